"""Index a knowledge base folder into the database, incrementally and all-or-nothing.

Every command that reads content calls `sync` first, so it must be nearly free when
nothing changed (a `stat` per file). When something did change, only changed files
are parsed; the whole knowledge base is then checked, and the index is written in
one transaction only if there is no error: a broken edit never touches the database.
Items are matched by id, so an edited card keeps its history; a card that disappears
is archived (history kept) and comes back if its id returns.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prep.errors import ContentErrors, PrepError
from prep.index import batches
from prep.index.conn import Database
from prep.index.db import dumps, get_meta, iso, set_meta, utcnow
from prep.index.facts import write_facts
from prep.kb import layout
from prep.kb.vocab import all_text

if TYPE_CHECKING:
    from prep.kb.loader import KnowledgeBase


@dataclass
class SyncResult:
    kb: Path
    unchanged: bool = False
    parsed: list[str] = field(default_factory=list)  # files actually parsed this time
    added: int = 0
    updated: int = 0
    archived: int = 0
    restored: int = 0
    # (kind, id, reviews) of archived items that had a history: maybe a renamed id.
    archived_history: list[tuple[str, str, int]] = field(default_factory=list)

    def hints(self) -> list[str]:
        """What the user should hear about archived items that had a history."""
        out = []
        for kind in ("card", "story"):
            items = [(i, n) for k, i, n in self.archived_history if k == kind]
            if not items:
                continue
            total = sum(n for _, n in items)
            plural = "stories" if kind == "story" and len(items) > 1 else f"{kind}s" if len(items) > 1 else kind
            first = items[0][0]
            out.append(
                f"{len(items)} {plural} archived with {total} review(s): {', '.join(i for i, _ in items[:5])}"
                f"{' ...' if len(items) > 5 else ''}; if you renamed {'it' if len(items) == 1 else 'one'}, "
                f"`prep mv {first} NEW` brings its history back"
            )
        return out

    def summary(self) -> str:
        if self.unchanged:
            return "up to date"
        return f"parsed {len(self.parsed)} file(s); {self.added} added, {self.updated} updated, {self.archived} archived, {self.restored} restored"


def _sha1(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def sync(db: Database, root: Path, *, now=None, force: bool = False, allow_empty: bool = False) -> SyncResult:
    root = Path(root).resolve()
    kb_key = str(root)
    now = now or utcnow()
    result = SyncResult(kb=root)
    rels = layout.list_files(root)
    stats = {}
    for rel in rels:
        st = (root / rel).stat()
        stats[rel] = (st.st_mtime_ns, st.st_size)
    # The warm path reads stat columns only: the cached parses (tens of MB at 100k cards)
    # are fetched below, and only when something changed.
    seen = {row[0]: (row[1], row[2]) for row in db.execute("SELECT path, mtime_ns, size FROM files WHERE kb = ?", [kb_key])}
    same_kb = get_meta(db, "kb") == kb_key
    rebuild_search = get_meta(db, "search_stale") == "1"
    if not force and not rebuild_search and same_kb and seen == stats:
        result.unchanged = True
        return result
    cached = {row[0]: row for row in db.execute("SELECT path, kind, mtime_ns, size, sha1, raw, lines FROM files WHERE kb = ?", [kb_key])}

    with no_gc():
        scan = _Scan(root, kb_key, rels, stats, cached, now, force, rebuild_search, allow_empty)
        return _sync_changed(db, scan, result)


@contextlib.contextmanager
def no_gc():
    """Parsing allocates millions of small objects that all stay alive; the cyclic GC
    would rescan them again and again (a third of a 50k-card sync). Nothing here makes
    cycles worth collecting mid-way."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass(frozen=True)
class _Scan:
    """What the cheap pass (a stat per file) found, for the slow path to act on."""

    root: Path
    kb_key: str
    rels: list[str]  # the content files, relative to root
    stats: dict[str, tuple[int, int]]  # rel -> (mtime_ns, size)
    cached: dict[str, Any]  # rel -> its files row (the parse cache)
    now: dt.datetime
    force: bool  # re-parse every file
    rebuild_search: bool
    allow_empty: bool  # allow a sync that archives every card or story


def _sync_changed(db: Database, scan: _Scan, result: SyncResult) -> SyncResult:
    root, kb_key, rels, stats, now = scan.root, scan.kb_key, scan.rels, scan.stats, scan.now
    cached: Any = scan.cached  # sqlite rows, read by position below
    force, rebuild_search, allow_empty = scan.force, scan.rebuild_search, scan.allow_empty
    # Content models (pydantic) and the YAML parser are needed only now that a file changed.
    from prep.kb import loader, yamlsrc
    from prep.kb.loader import Parsed

    parsed: list[Parsed] = []
    # Parse-cache rows wait in a per-connection temp table until the whole knowledge base
    # validates: at 50k cards they are ~40 MB of JSON better kept out of the Python heap.
    db.conn.execute("CREATE TEMP TABLE IF NOT EXISTS pending_files AS SELECT * FROM main.files WHERE 0")
    db.conn.execute("DELETE FROM temp.pending_files")
    pending = "INSERT INTO temp.pending_files (kb, path, kind, mtime_ns, size, sha1, raw, lines) VALUES (?,?,?,?,?,?,?,?)"
    limit = yamlsrc.MAX_FILE_BYTES
    for rel in rels:
        row = cached.get(rel)
        # A symlink that leaves the knowledge base is re-checked every time (and refused).
        again = force or loader.outside(root, rel) is not None
        fresh = not (row and (row[2], row[3]) == stats[rel]) or again
        if fresh:
            data = (root / rel).read_bytes() if stats[rel][1] <= limit else None
            sha = _sha1(data) if data is not None else ""
            # Touched but not edited: keep the parse, refresh the stat.
            fresh = not (row and row[4] == sha) or again
        if not fresh:
            p = Parsed(rel, row[1], json.loads(row[5]), json.loads(row[6]), [])
            loader.check(p)
            p.raw = None
            parsed.append(p)
            if (row[2], row[3]) != stats[rel]:
                db.conn.execute(pending, (kb_key, rel, p.kind, *stats[rel], sha, row[5], row[6]))
            continue
        p = loader.parse_file(root, rel, data)
        result.parsed.append(rel)
        loader.check(p)
        # Keep the cache row as text and free the parse: dicts cost several times more.
        p.lines = loader.link_lines(p.lines)
        db.conn.execute(pending, (kb_key, rel, p.kind, *stats[rel], sha, dumps(p.raw), json.dumps(p.lines)))
        p.raw = None
        parsed.append(p)

    kb, errors = loader.build(root, parsed)
    if errors:
        db.conn.execute("DELETE FROM temp.pending_files")
        raise ContentErrors(errors)
    if not allow_empty:
        _refuse_emptying(db, kb, root)
    big = len(kb.cards) + len(kb.stories) + len(kb.claims) > batches.BATCH_ITEMS
    with batches.Batches(db, batched=big) as batch:
        # Files parsed now are rewritten; the rest carry their rows over (same content hash).
        # (All rewritten when another knowledge base was indexed last: its rows may share ids.)
        rewrite = None if (force or rebuild_search or get_meta(db, "kb") != kb_key) else set(result.parsed)
        _write_index(db, kb, iso(now), result, rebuild_search=rebuild_search, tick=batch.tick, fresh=rewrite)
        set_meta(db, "skills", dumps(kb.resume.skills))  # the resume's skills line, for the audit
        # The parse cache last: a sync interrupted between batches is redone by the next one.
        db.conn.execute("DELETE FROM files WHERE kb = ? AND path NOT IN ({})".format(",".join("?" * len(rels))), [kb_key, *rels])
        last = db.conn.execute("SELECT coalesce(max(rowid), 0) FROM temp.pending_files").fetchone()[0]
        for start in range(0, last + 1, 20):  # ~40 MB at 50k cards: in slices, between batches
            batch.tick()
            db.conn.execute("INSERT OR REPLACE INTO main.files SELECT * FROM temp.pending_files WHERE rowid BETWEEN ? AND ?", [start, start + 19])
        db.conn.execute("DELETE FROM temp.pending_files")
        set_meta(db, "kb", kb_key)
        set_meta(db, "search_stale", "0")
        # Lets content-only derived results (the audit summary) be cached until the next change.
        set_meta(db, "content_version", str(int(get_meta(db, "content_version", "0")) + 1))
    return result


def _refuse_emptying(db: Database, kb: KnowledgeBase, root: Path) -> None:
    """A knowledge base whose cards (or stories) all vanished is far more likely a moved or
    half-copied folder than a decision: archiving everything would hide the whole history."""
    for table, item_type, items, folder in (("cards", "card", kb.cards, "decks"), ("stories", "story", kb.stories, "stories")):
        if items:
            continue
        live, reviewed = db.execute(
            f"""SELECT count(*), count(DISTINCT l.item_id) FROM {table} t
                LEFT JOIN review_log l ON l.item_type = ? AND l.item_id = t.id WHERE t.archived = 0""",
            [item_type],
        ).fetchone()
        if live:
            raise PrepError(
                f"{root}: {folder}/ has no {table} now (missing or empty), so syncing would archive {live} {table[:-1]}(s)"
                f" ({reviewed} with reviews). Nothing was changed; if you meant it, run `prep sync --allow-empty`."
            )


def _hash(obj) -> str:
    return hashlib.sha1(dumps(obj).encode()).hexdigest()


def _rows(kb: KnowledgeBase, carry=lambda file: False):
    """(table, row) for every item, with a content hash of what a reviewer sees. An item
    of a file `carry` names yields only {id, position}: its file's bytes are unchanged
    since the last sync, so is its row (bar its place among all items)."""
    for table, kind, items in (("claims", "claim", kb.claims), ("cards", "card", kb.cards), ("stories", "story", kb.stories)):
        for pos, item_id in enumerate(items):
            if carry(kb.where[(kind, item_id)][0]):
                yield table, {"id": item_id, "position": pos}
            else:
                yield table, _row(kb, table, item_id, pos)


def _row(kb: KnowledgeBase, table: str, item_id: str, pos: int) -> dict:
    if table == "claims":
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
            "hash": _hash(d),
            "file": file,
            "line": line,
            "position": pos,
        }
    if table == "cards":
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
            "hash": _hash(
                {k: d[k] for k in ("q", "a", "claims", "tags", "kind", "difficulty", "followups", "source")}
                | {"deck": kb.card_deck[cid]}
                | ({"gist": d["gist"]} if d["gist"] else {})
            ),
            "file": file,
            "line": line,
            "position": pos,
        }
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
        "hash": _hash(d),
        "file": file,
        "line": line,
        "position": pos,
    }


def _search_row(table: str, row: dict) -> tuple:
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


def _write_index(
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
    existing = {
        t: {r[0]: (r[1], r[2], r[3], r[4], r[5], r[6]) for r in conn.execute(f"SELECT id, hash, archived, rowid, position, file, line FROM {t}")}
        for t in present
    }
    carry = (lambda file: file not in fresh) if fresh is not None else (lambda file: False)
    rewritten: list[tuple[str, str]] = []  # (kind, id) whose links are written again
    for table, row in _rows(kb, carry):
        tick()
        present[table].add(row["id"])
        old = existing[table].get(row["id"])
        if "hash" not in row:  # carried over
            if old is not None and not old[1]:
                if old[3] != row["position"]:
                    conn.execute(f"UPDATE {table} SET position = ? WHERE id = ?", [row["position"], row["id"]])
                continue
            row = _row(kb, table, row["id"], row["position"])  # not live in the index after all: write it in full
        # A parsed file's items get their links written again even when the row is the same:
        # a sync interrupted between batches may have written the rows but not the links.
        rewritten.append(("story" if table == "stories" else table[:-1], row["id"]))
        if (
            not rebuild_search
            and table != "claims"
            and old is not None
            and not old[1]  # a claim's project is outside its hash
            and (old[0], old[3], old[4], old[5]) == (row.get("hash"), row["position"], row.get("file"), row.get("line"))
        ):
            continue  # in a parsed file, but this item's row is the same
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
                continue
            if not rebuild_search:
                conn.execute("DELETE FROM search WHERE rowid = ?", [SEARCH_OFFSET[table] + rowid])
        conn.execute(
            "INSERT INTO search (rowid, type, id, title, body) VALUES (?,?,?,?,?)",
            [SEARCH_OFFSET[table] + rowid, *_search_row(table, row)],
        )
    for table, ids in present.items():
        gone = [(i, old[2]) for i, old in existing[table].items() if i not in ids and not old[1]]
        kind = "story" if table == "stories" else table[:-1]
        for item_id, rowid in gone:
            tick()
            conn.execute(f"UPDATE {table} SET archived = 1 WHERE id = ?", [item_id])
            reviews = conn.execute("SELECT count(*) FROM review_log WHERE item_type = ? AND item_id = ? AND undone = 0", [kind, item_id]).fetchone()[
                0
            ]
            if reviews:
                result.archived_history.append((kind, item_id, reviews))
            rewritten.append((kind, item_id))
            conn.execute("DELETE FROM search WHERE rowid = ?", [SEARCH_OFFSET[table] + rowid])
        result.archived += len(gone)
    # Projects and decks are small: rewrite them.
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
    conn.execute("UPDATE decks SET archived = 1")
    for pos, (did, deck) in enumerate(kb.decks.items()):
        conn.execute(
            "INSERT OR REPLACE INTO decks (id, position, file, name, project, description, archived) VALUES (?,?,?,?,?,?,0)",
            [did, pos, kb.where[("deck", did)][0], dumps(deck.name), deck.project, dumps(deck.description)],
        )
    tick()
    write_facts(conn, kb)
    tick()
    _write_links(conn, kb, None if fresh is None else rewritten, tick)


def _write_links(conn, kb: KnowledgeBase, items: list[tuple[str, str]] | None, tick: Callable[[], None]) -> None:
    """The links of `items` (kind, id) written again (None: every item's): links hold
    only the live knowledge base, so an archived item's are dropped."""
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
