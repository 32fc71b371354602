"""The index rows of a knowledge base's items, and writing them.

One row per claim, card and story, with a hash of what a reviewer sees; a search entry
per live item; links for what backs what. Apart from the sync's orchestration because
both the full sync and the incremental one (prep.index.incremental) write rows the same
way: the incremental sync must leave exactly the index the full one would.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

from prep.index.conn import Database
from prep.index.db import dumps
from prep.index.facts import write_facts
from prep.kb.vocab import all_text

if TYPE_CHECKING:
    from prep.index.sync import SyncResult
    from prep.kb.loader import KnowledgeBase
    from prep.kb.models import Deck

# An item's row as the writers compare it: (hash, archived, rowid, position, file, line).
OLD_COLS = "hash, archived, rowid, position, file, line"
Old = tuple


def content_hash(obj) -> str:
    return hashlib.sha1(dumps(obj).encode()).hexdigest()


def rows(kb: KnowledgeBase, carry=lambda file: False):
    """(table, row) for every item, with a content hash of what a reviewer sees. An item
    of a file `carry` names yields only {id, position}: its file's bytes are unchanged
    since the last sync, so is its row (bar its place among all items)."""
    for table, kind, items in (("claims", "claim", kb.claims), ("cards", "card", kb.cards), ("stories", "story", kb.stories)):
        for pos, item_id in enumerate(items):
            if carry(kb.where[(kind, item_id)][0]):
                yield table, {"id": item_id, "position": pos}
            else:
                yield table, item_row(kb, table, item_id, pos)


def item_row(kb: KnowledgeBase, table: str, item_id: str, pos: int) -> dict:
    """The full row of one item at position `pos`."""
    return {"claims": _claim_row, "cards": _card_row}.get(table, _story_row)(kb, item_id, pos)


def _claim_row(kb: KnowledgeBase, item_id: str, pos: int) -> dict:
    cid, claim = item_id, kb.claims[item_id]
    d = claim.model_dump(mode="json")
    file, line = kb.where[("claim", cid)]
    return {
        "id": cid,
        "project": kb.claim_project[cid],
        "text": dumps(d["text"]),
        "en": d["en"],
        "source": d["source"],
        "before": d["before"],
        "numbers": dumps(d["numbers"]),
        "tech": dumps(d["tech"]),
        "risk": d["risk"],
        "notes": dumps(d["notes"]),
        "hash": content_hash(d),
        "file": file,
        "line": line,
        "position": pos,
    }


def _card_row(kb: KnowledgeBase, item_id: str, pos: int) -> dict:
    cid, card = item_id, kb.cards[item_id]
    d = card.model_dump(mode="json")
    file, line = kb.where[("card", cid)]
    return {
        "id": cid,
        "deck": kb.card_deck[cid],
        "q": dumps(d["q"]),
        "a": dumps(d["a"]),
        "claims": dumps(d["claims"]),
        "tags": dumps(d["tags"]),
        "kind": d["kind"],
        "difficulty": d["difficulty"],
        "followups": dumps(d["followups"]),
        "source": d["source"],
        "gist": dumps(d["gist"]),
        # a gist counts only where there is one: adding the field kept every other card's hash
        "hash": content_hash(
            {k: d[k] for k in ("q", "a", "claims", "tags", "kind", "difficulty", "followups", "source")}
            | {"deck": kb.card_deck[cid]}
            | ({"gist": d["gist"]} if d["gist"] else {})
        ),
        "file": file,
        "line": line,
        "position": pos,
    }


def _story_row(kb: KnowledgeBase, item_id: str, pos: int) -> dict:
    sid, story = item_id, kb.stories[item_id]
    d = story.model_dump(mode="json")
    file, line = kb.where[("story", sid)]
    return {
        "id": sid,
        "title": dumps(d["title"]),
        "claims": dumps(d["claims"]),
        "competencies": dumps(d["competencies"]),
        "minutes": d["minutes"],
        "tags": dumps(d["tags"]),
        "sections": dumps(d["sections"]),
        "followups": dumps(d["followups"]),
        "hash": content_hash(d),
        "file": file,
        "line": line,
        "position": pos,
    }


def search_row(table: str, row: dict) -> tuple:
    j = json.loads
    if table == "cards":
        title, body = all_text(j(row["q"])), all_text(j(row["a"]))
        body += "\n" + " ".join(j(row["tags"]))
    elif table == "stories":
        title = all_text(j(row["title"]))
        body = "\n".join(all_text(v) for v in j(row["sections"]).values())
    else:
        title = all_text(j(row["text"])) + "\n" + (row["en"] or "")
        body = "\n".join(filter(None, [row["before"] or "", all_text(j(row["notes"])), " ".join(j(row["tech"]))]))
    return (table[:-1] if table != "stories" else "story", row["id"], title, body)


# Search rows are keyed by rowid = offset + the item's own rowid: FTS5 can only find a
# row quickly by rowid, and deleting by an UNINDEXED column scans the whole index.
SEARCH_OFFSET = {"cards": 0, "stories": 1 << 40, "claims": 2 << 40}


def write_item(conn: sqlite3.Connection, table: str, row: dict, old: Old | None, now: str, result: SyncResult, rebuild_search: bool = False) -> None:
    """Write one item's full row and its search entry, unless they are the same; count it."""
    if (
        not rebuild_search
        and table != "claims"
        and old is not None
        and not old[1]  # a claim's project is outside its hash
        and (old[0], old[3], old[4], old[5]) == (row.get("hash"), row["position"], row.get("file"), row.get("line"))
    ):
        return  # in a parsed file, but this item's row is the same
    if old is None:
        row |= {"created_at": now, "changed_at": now, "archived": 0}
        cols = ",".join(row)
        cur = conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({','.join('?' * len(row))})", list(row.values()))
        rowid = cur.lastrowid
        assert rowid is not None  # set by every INSERT
        result.added += 1
    else:
        changed = old[0] != row["hash"]
        if changed:
            row["changed_at"] = now
            result.updated += 1
        if old[1]:
            result.restored += 1
        row["archived"] = 0
        sets = ",".join(f"{k} = ?" for k in row if k != "id")
        conn.execute(f"UPDATE {table} SET {sets} WHERE id = ?", [v for k, v in row.items() if k != "id"] + [row["id"]])
        rowid = old[2]
        if not (changed or old[1] or rebuild_search):
            return
        if not rebuild_search:
            conn.execute("DELETE FROM search WHERE rowid = ?", [SEARCH_OFFSET[table] + rowid])
    conn.execute("INSERT INTO search (rowid, type, id, title, body) VALUES (?,?,?,?,?)", [SEARCH_OFFSET[table] + rowid, *search_row(table, row)])


def archive(conn: sqlite3.Connection, table: str, gone: list[tuple[str, int]], result: SyncResult, tick: Callable[[], None]) -> list[tuple[str, str]]:
    """Archive the items `gone` (id, rowid) of `table` (history kept; out of search);
    returns their (kind, id), whose links are to be dropped."""
    kind = "story" if table == "stories" else table[:-1]
    for item_id, rowid in gone:
        tick()
        conn.execute(f"UPDATE {table} SET archived = 1 WHERE id = ?", [item_id])
        reviews = conn.execute("SELECT count(*) FROM review_log WHERE item_type = ? AND item_id = ? AND undone = 0", [kind, item_id]).fetchone()[0]
        if reviews:
            result.archived_history.append((kind, item_id, reviews))
        conn.execute("DELETE FROM search WHERE rowid = ?", [SEARCH_OFFSET[table] + rowid])
    result.archived += len(gone)
    return [(kind, item_id) for item_id, _ in gone]


def write_index(
    db: Database,
    kb: KnowledgeBase,
    now: str,
    result: SyncResult,
    rebuild_search: bool = False,
    tick: Callable[[], None] = lambda: None,
    fresh: set[str] | None = None,
) -> None:
    """Write the index of `kb`. `fresh`: the files parsed this time (None: all); items of
    other files keep their rows, search entries and links, and only move if their place
    among all items changed: an edit of one card at 50k writes a few rows, not 50k."""
    conn = db.conn
    if rebuild_search:
        conn.execute("DELETE FROM search")
    present: dict[str, set[str]] = {"claims": set(), "cards": set(), "stories": set()}
    existing = {t: {r[0]: r[1:] for r in conn.execute(f"SELECT id, {OLD_COLS} FROM {t}")} for t in present}
    carry = (lambda file: file not in fresh) if fresh is not None else (lambda file: False)
    rewritten: list[tuple[str, str]] = []  # (kind, id) whose links are written again
    for table, row in rows(kb, carry):
        tick()
        present[table].add(row["id"])
        old = existing[table].get(row["id"])
        if "hash" not in row:  # carried over
            if old is not None and not old[1]:
                if old[3] != row["position"]:
                    conn.execute(f"UPDATE {table} SET position = ? WHERE id = ?", [row["position"], row["id"]])
                continue
            row = item_row(kb, table, row["id"], row["position"])  # not live in the index after all: write it in full
        # A parsed file's items get their links written again even when the row is the same:
        # a sync interrupted between batches may have written the rows but not the links.
        rewritten.append(("story" if table == "stories" else table[:-1], row["id"]))
        write_item(conn, table, row, old, now, result, rebuild_search)
    for table, ids in present.items():
        rewritten += archive(conn, table, [(i, old[2]) for i, old in existing[table].items() if i not in ids and not old[1]], result, tick)
    write_projects(conn, kb)
    conn.execute("UPDATE decks SET archived = 1")
    for pos, (did, deck) in enumerate(kb.decks.items()):
        write_deck(conn, did, deck, pos, kb.where[("deck", did)][0])
    tick()
    write_facts(conn, kb)
    tick()
    write_links(conn, kb, None if fresh is None else rewritten, tick)


def write_projects(conn: sqlite3.Connection, kb: KnowledgeBase) -> None:
    """Projects are few: rewritten whole."""
    conn.execute("UPDATE projects SET archived = 1")
    for pos, (pid, proj) in enumerate(kb.projects.items()):
        d = proj.model_dump(mode="json")
        conn.execute(
            "INSERT OR REPLACE INTO projects (id, position, company, name, role, period, stack, before, after, archived) VALUES (?,?,?,?,?,?,?,?,?,0)",
            [
                pid,
                pos,
                dumps(d["company"]),
                dumps(d["name"]),
                dumps(d["role"]),
                d["period"],
                dumps(d["stack"]),
                dumps(d["before"]),
                dumps(d["after"]),
            ],
        )


def write_deck(conn: sqlite3.Connection, did: str, deck: Deck, pos: int, file: str) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO decks (id, position, file, name, project, description, archived) VALUES (?,?,?,?,?,?,0)",
        [did, pos, file, dumps(deck.name), deck.project, dumps(deck.description)],
    )


def write_links(conn: sqlite3.Connection, kb: KnowledgeBase, items: list[tuple[str, str]] | None, tick: Callable[[], None]) -> bool:
    """The links of `items` (kind, id) written again (None: every item's): links hold
    only the live knowledge base, so an archived item's are dropped. Returns whether the
    claims these items back may have changed (`link_counts` is to be counted again)."""
    before = _backs(conn, items)
    if items is None:
        conn.execute("DELETE FROM links")
        cards, stories = kb.cards, kb.stories
    else:
        conn.executemany("DELETE FROM links WHERE src_type = ? AND src = ?", items)
        cards = {i: kb.cards[i] for k, i in items if k == "card" and i in kb.cards}
        stories = {i: kb.stories[i] for k, i in items if k == "story" and i in kb.stories}
    links = []
    for cid, card in cards.items():
        links += [("card", cid, "backs", "claim", c) for c in card.claims]
        links += [("card", cid, "followup", "card", c) for c in card.followups]
    for sid, story in stories.items():
        links += [("story", sid, "backs", "claim", c) for c in story.claims]
    for start in range(0, len(links), 5000):
        tick()
        conn.executemany("INSERT INTO links VALUES (?,?,?,?,?)", links[start : start + 5000])
    return before is None or before != sorted((t, src, dst) for t, src, rel, _, dst in links if rel == "backs")


def _backs(conn: sqlite3.Connection, items: list[tuple[str, str]] | None) -> list[tuple[str, str, str]] | None:
    """The claims `items` (kind, id) back now, sorted. None for every item or many: telling
    would cost more than counting them all again (~10 ms at 50k cards)."""
    if items is None or len(items) > 200:
        return None
    # by links_src (`+`): SQLite would walk links_backs, where rel = 'backs' AND dst_type =
    # 'claim' is every card's link (6-9 ms at 50k for one card)
    sql = "SELECT src_type, src, dst FROM links WHERE src_type = ? AND src = ? AND +rel = 'backs' AND +dst_type = 'claim'"
    return sorted(row for item in items for row in conn.execute(sql, item))
