"""Read-only questions to the index: list, show, search, stats.

Every function returns a typed read model (`prep.index.views`, TypedDicts) so the CLI
can print it as a table or as JSON and the TUI can show it, without either knowing SQL.
This is the read API callers use (`read.list_cards`, `read.show`, `read.search`); the
lists and counts live here, one item in full in `prep.index.show` and full-text search
in `prep.index.search`, each imported only by the command that asks for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from prep.index.conn import Database
from prep.index.db import dumps, get_meta, iso, set_meta, utcnow
from prep.index.db import loads as _j
from prep.index.filters import card_filter, story_filter
from prep.kb.vocab import claim_text, pick

if TYPE_CHECKING:  # TypedDicts cost ~2 ms to build; read models need them for mypy only
    from prep.index.views import (
        CardRow,
        CardView,
        ClaimRow,
        ClaimView,
        DeckStats,
        ItemView,
        ProjectView,
        SearchHit,
        Stats,
        StoryRow,
        StoryView,
    )


def search(db: Database, query: str, *, limit: int = 50, types: tuple[str, ...] = (), lang: str | None = None) -> list[SearchHit]:
    """Full-text search (`prep.index.search.search`): the query API, imported when used."""
    from prep.index.search import search as run

    return run(db, query, limit=limit, types=types, lang=lang)


def item_hash(db: Database, item_type: str, item_id: str) -> str | None:
    """The content hash of a card or story as indexed: what its review was of."""
    table = {"card": "cards", "story": "stories"}[item_type]
    row = db.execute(f"SELECT hash FROM {table} WHERE id = ?", [item_id]).fetchone()
    return row[0] if row else None


def _deck_names(db: Database, lang: str) -> dict[str, str]:
    return {r[0]: pick(_j(r[1]), lang) or r[0] for r in db.execute("SELECT id, name FROM decks")}


def list_cards(
    db: Database,
    *,
    deck: str | None = None,
    claim: str | None = None,
    tag: str | None = None,
    kind: str | None = None,
    lang: str = "zh",
    archived: bool = False,
    limit: int | None = None,
) -> list[CardRow]:
    return list(iter_cards(db, deck=deck, claim=claim, tag=tag, kind=kind, lang=lang, archived=archived, limit=limit))


def iter_cards(
    db: Database,
    *,
    deck: str | None = None,
    claim: str | None = None,
    tag: str | None = None,
    kind: str | None = None,
    lang: str = "zh",
    archived: bool = False,
    limit: int | None = None,
) -> Iterator[CardRow]:
    """`list_cards` one row at a time (`prep list cards --json` streams 50k of them)."""
    where, params = card_filter(deck=deck, claim=claim, tag=tag, kind=kind, archived=archived)
    sql = f"SELECT id, deck, q, kind, difficulty, claims, tags, followups, file, line FROM cards WHERE {where} ORDER BY position"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    for cid, deck_id, q, kind_, difficulty, claims, tags, followups, file, line in db.execute(sql, params):
        yield {
            "id": cid,
            "deck": deck_id,
            "q": pick(_j(q), lang),
            "kind": kind_,
            "difficulty": difficulty,
            "claims": _j(claims),
            "tags": _j(tags),
            "followups": _j(followups),
            "file": file,
            "line": line,
        }


def count_cards(db: Database, *, archived: bool = False) -> int:
    return db.execute("SELECT count(*) FROM cards WHERE archived = ?", [1 if archived else 0]).fetchone()[0]


def list_stories(
    db: Database,
    *,
    claim: str | None = None,
    tag: str | None = None,
    deck: str | None = None,
    kind: str | None = None,
    lang: str = "zh",
    archived: bool = False,
) -> list[StoryRow]:
    """Stories; `deck`/`kind` (card-only filters) select none, see `story_filter`."""
    selection = story_filter(claim=claim, tag=tag, deck=deck, kind=kind, archived=archived)
    if selection is None:
        return []
    where, params = selection
    return [
        {
            "id": r["id"],
            "title": pick(_j(r["title"]), lang),
            "claims": _j(r["claims"]),
            "competencies": _j(r["competencies"]),
            "minutes": r["minutes"],
            "tags": _j(r["tags"]),
            "file": r["file"],
            "line": r["line"],
        }
        for r in db.query(f"SELECT * FROM stories WHERE {where} ORDER BY position", params)
    ]


LINK_COUNTS, LINK_COUNTS_VERSION = "link_counts", "link_counts_version"
_LINK_COUNTS_SQL = "SELECT dst, src_type, count(*) FROM links WHERE dst_type = 'claim' AND rel = 'backs' GROUP BY dst, src_type"


def link_counts(db: Database) -> dict[tuple[str, str], int]:
    """(claim, "card" | "story") -> how many live items back it.

    Counting walks every 'backs' link (11 ms at 50k cards, in every draw and dashboard),
    and links change only when a sync changes content: the sync that writes them keeps
    the counts in `meta` beside its `content_version` (`remember_link_counts`). A database
    synced by an older prep has none: counted here, and not written (a read never writes)."""
    raw = get_meta(db, LINK_COUNTS)
    if raw and get_meta(db, LINK_COUNTS_VERSION) == get_meta(db, "content_version", "0"):
        return {(dst, t): n for dst, t, n in _j(raw)}
    # links are rebuilt from the live knowledge base at every sync: no archived rows to skip
    return {(dst, t): n for dst, t, n in db.execute(_LINK_COUNTS_SQL)}


def remember_link_counts(db: Database, version: str, unchanged_since: str | None = None) -> None:
    """Count the links a sync has just written, in its transaction, for `link_counts`;
    `unchanged_since`: the version before a sync that changed no content (files touched
    only), whose counts, if kept, still hold."""
    if unchanged_since is not None and get_meta(db, LINK_COUNTS_VERSION) == unchanged_since:
        set_meta(db, LINK_COUNTS_VERSION, version)
        return
    rows = db.execute(_LINK_COUNTS_SQL).fetchall()
    set_meta(db, LINK_COUNTS, dumps([list(r) for r in rows]))
    set_meta(db, LINK_COUNTS_VERSION, version)


def list_claims(
    db: Database,
    *,
    project: str | None = None,
    tag: str | None = None,
    lang: str = "zh",
    archived: bool = False,
) -> list[ClaimRow]:
    where: list[str] = ["archived = ?"]
    params: list[Any] = [1 if archived else 0]
    if project:
        where.append("project = ?")
        params.append(project)
    if tag:
        where.append("EXISTS (SELECT 1 FROM json_each(claims.tech) WHERE lower(value) = lower(?))")
        params.append(tag)
    counts = link_counts(db)
    out: list[ClaimRow] = []
    for r in db.query(f"SELECT * FROM claims WHERE {' AND '.join(where)} ORDER BY position", params):
        out.append(
            {
                "id": r["id"],
                "project": r["project"],
                "text": claim_text(_j(r["text"]), r["en"], lang),
                "risk": r["risk"],
                "numbers": [n["value"] for n in _j(r["numbers"]) or []],
                "tech": _j(r["tech"]),
                "cards": counts.get((r["id"], "card"), 0),
                "stories": counts.get((r["id"], "story"), 0),
                "file": r["file"],
                "line": r["line"],
            }
        )
    return out


def show(db: Database, item_id: str, lang: str = "zh") -> ItemView | None:
    """Everything about one item, whichever kind its id names (`prep.index.show.show`):
    the item views, imported when used; `prep stats` and `prep list` need none of them."""
    from prep.index.show import show as run

    return run(db, item_id, lang)


def show_card(db: Database, card_id: str, lang: str = "zh") -> CardView | None:
    from prep.index.show import show_card as run

    return run(db, card_id, lang)


def show_story(db: Database, story_id: str, lang: str = "zh") -> StoryView | None:
    from prep.index.show import show_story as run

    return run(db, story_id, lang)


def show_claim(db: Database, claim_id: str, lang: str = "zh") -> ClaimView | None:
    from prep.index.show import show_claim as run

    return run(db, claim_id, lang)


def show_project(db: Database, project_id: str, lang: str = "zh") -> ProjectView | None:
    from prep.index.show import show_project as run

    return run(db, project_id, lang)


def stats(db: Database, *, now: dt.datetime | None = None, lang: str = "zh") -> Stats:
    now_s = iso(now or utcnow())
    names = _deck_names(db, lang)
    per_deck: list[DeckStats] = []
    # Reviewed cards per deck, from the review states (a few thousand at most; CROSS JOIN
    # keeps SQLite from walking every card to probe them), then every deck's card count
    # from the cards_decks index alone: new = cards - reviewed. (One LEFT JOIN of every
    # card with its state was 85 ms at 50k cards, this 15.)
    reviewed = {
        deck: (n, due or 0)
        for deck, n, due in db.execute(
            """SELECT c.deck, count(*), sum(s.due <= ?) FROM review_state s CROSS JOIN cards c ON c.id = s.item_id
               WHERE s.item_type = 'card' AND c.archived = 0 GROUP BY c.deck""",
            [now_s],
        )
    }
    for deck_id, total in db.execute("SELECT deck, count(*) FROM cards WHERE archived = 0 GROUP BY deck ORDER BY min(position)"):
        n, due = reviewed.get(deck_id, (0, 0))
        per_deck.append({"deck": deck_id, "name": names.get(deck_id, deck_id), "cards": total, "new": total - n, "due": due})

    def count(sql: str, params: list[Any] | None = None) -> int:
        return db.execute(sql, params or []).fetchone()[0] or 0

    return {
        "cards": count("SELECT count(*) FROM cards WHERE archived = 0"),
        "stories": count("SELECT count(*) FROM stories WHERE archived = 0"),
        "claims": count("SELECT count(*) FROM claims WHERE archived = 0"),
        "decks": len(per_deck),
        "archived_cards": count("SELECT count(*) FROM cards WHERE archived = 1"),
        "due": sum(d["due"] for d in per_deck),
        "new": sum(d["new"] for d in per_deck),
        "stories_due": count(
            "SELECT count(*) FROM review_state s JOIN stories t ON t.id = s.item_id WHERE s.item_type='story' AND t.archived = 0 AND s.due <= ?",
            [now_s],
        ),
        "reviews": count("SELECT count(*) FROM review_log WHERE undone = 0"),
        "anki_reviews": count("SELECT count(*) FROM review_log WHERE undone = 0 AND source = 'anki'"),
        "leeches": [r[0] for r in db.execute("SELECT item_id FROM review_state WHERE leech = 1 ORDER BY item_id")],
        "per_deck": per_deck,
    }


def next_due(db: Database, now: dt.datetime) -> str | None:
    """When the next live card or story falls due after `now` (UTC ISO), or None."""
    row = db.execute(
        """SELECT min(s.due) FROM review_state s
           LEFT JOIN cards c ON s.item_type = 'card' AND c.id = s.item_id
           LEFT JOIN stories t ON s.item_type = 'story' AND t.id = s.item_id
           WHERE s.due > ? AND coalesce(c.archived, t.archived, 1) = 0""",
        [iso(now)],
    ).fetchone()
    return row[0] if row else None
