"""Read-only questions to the index: list, show, search, stats.

Every function returns a typed read model (`prep.index.views`, TypedDicts) so the CLI
can print it as a table or as JSON and the TUI can show it, without either knowing SQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from prep.index.conn import Database
from prep.index.db import iso, utcnow
from prep.index.db import loads as _j
from prep.kb.vocab import STORY_SECTIONS, claim_text, pick

if TYPE_CHECKING:  # TypedDicts cost ~2 ms to build; read models need them for mypy only
    from prep.index.facts import Citations, FactRow
    from prep.index.views import (
        CardRow,
        CardView,
        ClaimRow,
        ClaimView,
        DeckStats,
        DeckView,
        HistoryEntry,
        ItemView,
        ProjectView,
        ReviewState,
        SearchHit,
        Stats,
        StoryRow,
        StoryView,
    )

Row = dict[str, Any]
V = TypeVar("V")


def search(db: Database, query: str, *, limit: int = 50, types: tuple[str, ...] = (), lang: str | None = None) -> list[SearchHit]:
    """Full-text search (`prep.index.search.search`): the query API, imported when used."""
    from prep.index.search import search as run

    return run(db, query, limit=limit, types=types, lang=lang)


def _citations(db: Database) -> Citations:
    # imported here: the facts and marks' regexes are for `show`, not for list or stats
    from prep.index.facts import Citations

    return Citations(db)


def _facts(db: Database, claim: str) -> list[FactRow]:
    from prep.index.facts import facts

    return facts(db, claim)


def item_hash(db: Database, item_type: str, item_id: str) -> str | None:
    """The content hash of a card or story as indexed: what its review was of."""
    table = {"card": "cards", "story": "stories"}[item_type]
    row = db.execute(f"SELECT hash FROM {table} WHERE id = ?", [item_id]).fetchone()
    return row[0] if row else None


def _deck_names(db: Database, lang: str) -> dict[str, str]:
    return {r[0]: pick(_j(r[1]), lang) or r[0] for r in db.execute("SELECT id, name FROM decks")}


def item_filter(
    table: str,
    *,
    archived: bool = False,
    equals: dict[str, str | None] | None = None,
    contains: dict[str, str | None] | None = None,
    ids: list[str] | None = None,
) -> tuple[str, list[Any]]:
    """A WHERE clause over `table` (a table name or alias): column = value for `equals`,
    JSON-array column holds value for `contains`; None values are ignored."""
    where: list[str] = [f"{table}.archived = ?"]
    params: list[Any] = [1 if archived else 0]
    for col, value in (equals or {}).items():
        if value:
            where.append(f"{table}.{col} = ?")
            params.append(value)
    for col, value in (contains or {}).items():
        if value:
            where.append(f"EXISTS (SELECT 1 FROM json_each({table}.{col}) WHERE value = ?)")
            params.append(value)
    if ids is not None:
        where.append(f"{table}.id IN ({','.join('?' * len(ids))})")
        params += list(ids)
    return " AND ".join(where), params


def card_filter(
    table: str = "cards",
    *,
    deck: str | None = None,
    claim: str | None = None,
    tag: str | None = None,
    kind: str | None = None,
    ids: list[str] | None = None,
    archived: bool = False,
) -> tuple[str, list[Any]]:
    """The one card selection (list, queue, exports): deck and kind match, claim and tag are held."""
    return item_filter(table, archived=archived, equals={"deck": deck, "kind": kind}, contains={"claims": claim, "tags": tag}, ids=ids)


def story_filter(
    table: str = "stories",
    *,
    deck: str | None = None,
    claim: str | None = None,
    tag: str | None = None,
    kind: str | None = None,
    ids: list[str] | None = None,
    archived: bool = False,
) -> tuple[str, list[Any]] | None:
    """The story selection matching `card_filter`'s arguments, or None when nothing can match:
    stories have no deck or kind, so a deck or kind filter means cards only."""
    if deck or kind:
        return None
    return item_filter(table, archived=archived, contains={"claims": claim, "tags": tag}, ids=ids)


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


def _link_counts(db: Database) -> dict[tuple[str, str], int]:
    # links are rebuilt from the live knowledge base at every sync: no archived rows to skip
    sql = """SELECT dst, src_type, count(*) FROM links
             WHERE dst_type = 'claim' AND rel = 'backs' GROUP BY dst, src_type"""
    return {(r[0], r[1]): r[2] for r in db.execute(sql)}


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
    counts = _link_counts(db)
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


def _state(db: Database, item_type: str, item_id: str) -> ReviewState | None:
    r = db.execute(
        "SELECT due, state, reps, lapses, last_review, leech FROM review_state WHERE item_type = ? AND item_id = ?",
        [item_type, item_id],
    ).fetchone()
    if not r:
        return None
    return {"due": r[0], "state": r[1], "reps": r[2], "lapses": r[3], "last_review": r[4], "leech": r[5]}


def _history(db: Database, item_type: str, item_id: str) -> list[HistoryEntry]:
    rows = db.execute(
        "SELECT reviewed_at, rating, duration_ms, mode FROM review_log WHERE item_type = ? AND item_id = ? AND undone = 0 ORDER BY reviewed_at",
        [item_type, item_id],
    ).fetchall()
    return [{"reviewed_at": r[0], "rating": r[1], "duration_ms": r[2], "mode": r[3]} for r in rows]


def _row(db: Database, table: str, item_id: str) -> Row | None:
    return next(db.query(f"SELECT * FROM {table} WHERE id = ?", [item_id]), None)


def show(db: Database, item_id: str, lang: str = "zh") -> ItemView | None:
    """Everything about one item, whichever kind its id names (card, story, claim, project,
    deck): an id names one item across all kinds (the loader refuses a second use)."""
    for table, render in _SHOW:
        r = _row(db, table, item_id)
        if r is not None:
            return render(db, r, lang)
    return None


def _one(db: Database, table: str, item_id: str, render: Callable[[Database, Row, str], V], lang: str) -> V | None:
    r = _row(db, table, item_id)
    return render(db, r, lang) if r else None


def show_card(db: Database, card_id: str, lang: str = "zh") -> CardView | None:
    return _one(db, "cards", card_id, _show_card, lang)


def show_story(db: Database, story_id: str, lang: str = "zh") -> StoryView | None:
    return _one(db, "stories", story_id, _show_story, lang)


def show_claim(db: Database, claim_id: str, lang: str = "zh") -> ClaimView | None:
    return _one(db, "claims", claim_id, _show_claim, lang)


def show_project(db: Database, project_id: str, lang: str = "zh") -> ProjectView | None:
    return _one(db, "projects", project_id, _show_project, lang)


def _show_card(db: Database, r: Row, lang: str) -> CardView:
    cite = _citations(db)  # {{fact:ID}} reads as the fact's text
    return {
        "type": "card",
        "id": r["id"],
        "deck": r["deck"],
        "q": cite(pick(_j(r["q"]), lang), lang),
        "a": cite(pick(_j(r["a"]), lang), lang),
        "gist": cite(pick(_j(r["gist"]), lang), lang),
        "kind": r["kind"],
        "difficulty": r["difficulty"],
        "tags": _j(r["tags"]),
        "source": r["source"],
        "claims": [{"id": c, "text": _claim_text(db, c, lang)} for c in _j(r["claims"])],
        "followups": [{"id": f, "q": _card_q(db, f, lang)} for f in _j(r["followups"])],
        "followup_of": [x[0] for x in db.execute("SELECT src FROM links WHERE dst_type = 'card' AND dst = ? AND rel = 'followup'", [r["id"]])],
        "archived": bool(r["archived"]),
        "changed_at": r["changed_at"],
        "file": r["file"],
        "line": r["line"],
        "review": _state(db, "card", r["id"]),
        "history": _history(db, "card", r["id"]),
    }


def _show_story(db: Database, r: Row, lang: str) -> StoryView:
    raw = _j(r["sections"]) or {}
    # stored JSON has sorted keys; a story is told in STAR order
    cite = _citations(db)
    sections = {k: cite(pick(raw[k], lang), lang) for k in STORY_SECTIONS if k in raw}
    return {
        "type": "story",
        "id": r["id"],
        "title": pick(_j(r["title"]), lang),
        "minutes": r["minutes"],
        "claims": [{"id": c, "text": _claim_text(db, c, lang)} for c in _j(r["claims"])],
        "competencies": _j(r["competencies"]),
        "sections": sections,
        "followups": [
            {"question": cite(pick(f["question"], lang), lang), "notes": cite(pick(f.get("notes"), lang), lang)} for f in _j(r["followups"]) or []
        ],
        "archived": bool(r["archived"]),
        "file": r["file"],
        "line": r["line"],
        "review": _state(db, "story", r["id"]),
        "history": _history(db, "story", r["id"]),
    }


def _show_claim(db: Database, r: Row, lang: str) -> ClaimView:
    backing = db.execute("SELECT src_type, src FROM links WHERE dst_type='claim' AND dst = ? AND rel='backs'", [r["id"]]).fetchall()
    return {
        "type": "claim",
        "id": r["id"],
        "project": r["project"],
        "text": claim_text(_j(r["text"]), r["en"], lang),
        "en": r["en"],
        "source": r["source"],
        "before": r["before"],
        "risk": r["risk"],
        "numbers": _j(r["numbers"]),
        "tech": _j(r["tech"]),
        "notes": _citations(db)(pick(_j(r["notes"]), lang), lang),
        "facts": [
            {"id": f.id, "text": pick(f.text, lang), "figure": f.figure, "status": f.status, "source": f.source, "file": f.file, "line": f.line}
            for f in _facts(db, r["id"])
        ],
        "stories": [
            {"id": s, "title": pick(_j(db.execute("SELECT title FROM stories WHERE id=?", [s]).fetchone()[0]), lang)}
            for t, s in backing
            if t == "story"
        ],
        "cards": [{"id": c, "q": _card_q(db, c, lang)} for t, c in backing if t == "card"],
        "archived": bool(r["archived"]),
        "file": r["file"],
        "line": r["line"],
    }


def _show_project(db: Database, r: Row, lang: str) -> ProjectView:
    return {
        "type": "project",
        "id": r["id"],
        "company": pick(_j(r["company"]), lang),
        "name": pick(_j(r["name"]), lang),
        "role": pick(_j(r["role"]), lang),
        "period": r["period"],
        "stack": _j(r["stack"]),
        "claims": [c["id"] for c in list_claims(db, project=r["id"], lang=lang)],
    }


def _show_deck(db: Database, r: Row, lang: str) -> DeckView:
    return {
        "type": "deck",
        "id": r["id"],
        "name": pick(_j(r["name"]), lang),
        "project": r["project"],
        "description": pick(_j(r["description"]), lang),
        "file": r["file"],
        "cards": [c["id"] for c in list_cards(db, deck=r["id"], lang=lang)],
    }


_SHOW: tuple[tuple[str, Any], ...] = (
    ("cards", _show_card),
    ("stories", _show_story),
    ("claims", _show_claim),
    ("projects", _show_project),
    ("decks", _show_deck),
)


def _claim_text(db: Database, claim_id: str, lang: str) -> str:
    r = db.execute("SELECT text, en FROM claims WHERE id = ?", [claim_id]).fetchone()
    return claim_text(_j(r[0]), r[1], lang) if r else ""


def _card_q(db: Database, card_id: str, lang: str) -> str:
    r = db.execute("SELECT q FROM cards WHERE id = ?", [card_id]).fetchone()
    return pick(_j(r[0]), lang) if r else ""


def stats(db: Database, *, now: dt.datetime | None = None, lang: str = "zh") -> Stats:
    now_s = iso(now or utcnow())
    names = _deck_names(db, lang)
    per_deck: list[DeckStats] = []
    for deck_id, total, new, due in db.execute(
        """SELECT c.deck, count(*), sum(s.item_id IS NULL), sum(s.due <= ?)
           FROM cards c LEFT JOIN review_state s ON s.item_type = 'card' AND s.item_id = c.id
           WHERE c.archived = 0 GROUP BY c.deck ORDER BY min(c.position)""",
        [now_s],
    ):
        per_deck.append({"deck": deck_id, "name": names.get(deck_id, deck_id), "cards": total, "new": new or 0, "due": due or 0})

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
