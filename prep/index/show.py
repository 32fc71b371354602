"""One item in full, whatever kind its id names: `prep show`, the TUI detail and review
screens, the Markdown export.

A list row carries a few columns; a view carries everything (every language resolved,
{{fact:ID}} citations read as the fact's text, the claims and follow-ups it links to,
its review state and history). It lives apart from the lists so that `prep stats` and
`prep list` load none of it: `prep.index.read` imports it when a view is asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from prep.index.conn import Database
from prep.index.db import loads as _j
from prep.index.read import list_cards, list_claims
from prep.kb.vocab import STORY_SECTIONS, claim_text, pick

if TYPE_CHECKING:  # TypedDicts cost ~2 ms to build; read models need them for mypy only
    from prep.index.facts import Citations, FactRow
    from prep.index.views import (
        CardView,
        ClaimView,
        DeckView,
        HistoryEntry,
        ItemView,
        ProjectView,
        ReviewState,
        StoryView,
    )

Row = dict[str, Any]
V = TypeVar("V")


def _citations(db: Database) -> Citations:
    # imported here: the facts and marks' regexes are for `show`, not for list or stats
    from prep.index.facts import Citations

    return Citations(db)


def _facts(db: Database, claim: str) -> list[FactRow]:
    from prep.index.facts import facts

    return facts(db, claim)


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
        "followup_of": [x[1] for x in _linked(db, "followup", "card", r["id"])],
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


# The links table has no order of its own (read by an index it comes by id; a resync writes
# an edited item's links again at its end): list what links to an item as the knowledge
# base does, cards before stories, each in file order.
_LINKED = """SELECT l.src_type, l.src FROM links l
    LEFT JOIN cards c ON l.src_type = 'card' AND c.id = l.src
    LEFT JOIN stories s ON l.src_type = 'story' AND s.id = l.src
    WHERE l.rel = ? AND l.dst_type = ? AND l.dst = ?
    ORDER BY l.src_type, coalesce(c.position, s.position), l.src"""


def _linked(db: Database, rel: str, dst_type: str, dst: str) -> list[tuple[str, str]]:
    """(type, id) of the items with a `rel` link to `dst`, in the knowledge base's order."""
    return [(t, i) for t, i in db.execute(_LINKED, [rel, dst_type, dst])]


def _show_claim(db: Database, r: Row, lang: str) -> ClaimView:
    backing = _linked(db, "backs", "claim", r["id"])
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
