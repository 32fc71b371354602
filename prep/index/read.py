"""Read-only questions to the index: list, show, search, stats.

Every function returns plain dicts so the CLI can print them as a table or as
JSON and the TUI can show them, without either knowing SQL.
"""

from __future__ import annotations

import json
import re

from sqlite_utils import Database

from prep.kb.models import STORY_SECTIONS, pick
from prep.index.db import iso, utcnow


def _j(value):
    return json.loads(value) if value else None


def _deck_names(db: Database, lang: str) -> dict[str, str]:
    return {r[0]: pick(_j(r[1]), lang) or r[0] for r in db.execute("SELECT id, name FROM decks")}


def item_filter(table: str, *, archived=False, equals: dict | None = None, contains: dict | None = None, ids=None) -> tuple[str, list]:
    """A WHERE clause over `table` (a table name or alias): column = value for `equals`,
    JSON-array column holds value for `contains`; None values are ignored."""
    where, params = [f"{table}.archived = ?"], [1 if archived else 0]
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


def card_filter(table: str = "cards", *, deck=None, claim=None, tag=None, kind=None, ids=None, archived=False) -> tuple[str, list]:
    return item_filter(table, archived=archived, equals={"deck": deck, "kind": kind}, contains={"claims": claim, "tags": tag}, ids=ids)


def list_cards(db: Database, *, deck=None, claim=None, tag=None, kind=None, lang="zh", archived=False) -> list[dict]:
    where, params = card_filter(deck=deck, claim=claim, tag=tag, kind=kind, archived=archived)
    out = []
    for r in db.query(f"SELECT * FROM cards WHERE {where} ORDER BY position", params):
        out.append({
            "id": r["id"], "deck": r["deck"], "q": pick(_j(r["q"]), lang), "kind": r["kind"],
            "difficulty": r["difficulty"], "claims": _j(r["claims"]), "tags": _j(r["tags"]),
            "followups": _j(r["followups"]), "file": r["file"], "line": r["line"],
        })
    return out


def list_stories(db: Database, *, claim=None, tag=None, lang="zh", archived=False) -> list[dict]:
    where, params = item_filter("stories", archived=archived, contains={"claims": claim, "tags": tag})
    return [
        {
            "id": r["id"], "title": pick(_j(r["title"]), lang), "claims": _j(r["claims"]),
            "competencies": _j(r["competencies"]), "minutes": r["minutes"], "tags": _j(r["tags"]),
            "file": r["file"], "line": r["line"],
        }
        for r in db.query(f"SELECT * FROM stories WHERE {where} ORDER BY position", params)
    ]


def _link_counts(db: Database) -> dict[tuple[str, str], int]:
    # links are rebuilt from the live knowledge base at every sync: no archived rows to skip
    sql = """SELECT dst, src_type, count(*) FROM links
             WHERE dst_type = 'claim' AND rel = 'backs' GROUP BY dst, src_type"""
    return {(r[0], r[1]): r[2] for r in db.execute(sql)}


def list_claims(db: Database, *, project=None, tag=None, lang="zh", archived=False) -> list[dict]:
    where, params = ["archived = ?"], [1 if archived else 0]
    if project:
        where.append("project = ?")
        params.append(project)
    if tag:
        where.append("EXISTS (SELECT 1 FROM json_each(claims.tech) WHERE lower(value) = lower(?))")
        params.append(tag)
    counts = _link_counts(db)
    out = []
    for r in db.query(f"SELECT * FROM claims WHERE {' AND '.join(where)} ORDER BY position", params):
        text = _j(r["text"])
        out.append({
            "id": r["id"], "project": r["project"], "text": pick(text, lang) if lang == "zh" or not r["en"] else r["en"],
            "risk": r["risk"], "numbers": [n["value"] for n in _j(r["numbers"]) or []], "tech": _j(r["tech"]),
            "cards": counts.get((r["id"], "card"), 0), "stories": counts.get((r["id"], "story"), 0),
            "file": r["file"], "line": r["line"],
        })
    return out


def _state(db: Database, item_type: str, item_id: str) -> dict | None:
    r = db.execute(
        "SELECT due, state, reps, lapses, last_review, leech FROM review_state WHERE item_type = ? AND item_id = ?",
        [item_type, item_id],
    ).fetchone()
    if not r:
        return None
    return dict(zip(("due", "state", "reps", "lapses", "last_review", "leech"), r))


def _history(db: Database, item_type: str, item_id: str) -> list[dict]:
    rows = db.execute(
        "SELECT reviewed_at, rating, duration_ms, mode FROM review_log WHERE item_type = ? AND item_id = ? AND undone = 0 ORDER BY reviewed_at",
        [item_type, item_id],
    ).fetchall()
    return [dict(zip(("reviewed_at", "rating", "duration_ms", "mode"), r)) for r in rows]


def show(db: Database, item_id: str, lang="zh") -> dict | None:
    """Everything about one item, whichever kind its id names (card, story, claim, project, deck)."""
    for table, kind in (("cards", "card"), ("stories", "story"), ("claims", "claim"), ("projects", "project"), ("decks", "deck")):
        rows = list(db.query(f"SELECT * FROM {table} WHERE id = ?", [item_id]))
        if rows:
            return _SHOW[kind](db, rows[0], lang)
    return None


def _show_card(db, r, lang):
    return {
        "type": "card", "id": r["id"], "deck": r["deck"], "q": pick(_j(r["q"]), lang), "a": pick(_j(r["a"]), lang),
        "kind": r["kind"], "difficulty": r["difficulty"], "tags": _j(r["tags"]), "source": r["source"],
        "claims": [{"id": c, "text": _claim_text(db, c, lang)} for c in _j(r["claims"])],
        "followups": [{"id": f, "q": _card_q(db, f, lang)} for f in _j(r["followups"])],
        "followup_of": [x[0] for x in db.execute("SELECT src FROM links WHERE dst_type = 'card' AND dst = ? AND rel = 'followup'", [r["id"]])],
        "archived": bool(r["archived"]), "changed_at": r["changed_at"], "file": r["file"], "line": r["line"],
        "review": _state(db, "card", r["id"]), "history": _history(db, "card", r["id"]),
    }


def _show_story(db, r, lang):
    raw = _j(r["sections"]) or {}
    # stored JSON has sorted keys; a story is told in STAR order
    sections = {k: pick(raw[k], lang) for k in STORY_SECTIONS if k in raw}
    return {
        "type": "story", "id": r["id"], "title": pick(_j(r["title"]), lang), "minutes": r["minutes"],
        "claims": [{"id": c, "text": _claim_text(db, c, lang)} for c in _j(r["claims"])],
        "competencies": _j(r["competencies"]), "sections": sections,
        "followups": [{"question": pick(f["question"], lang), "notes": pick(f.get("notes"), lang)} for f in _j(r["followups"]) or []],
        "archived": bool(r["archived"]), "file": r["file"], "line": r["line"],
        "review": _state(db, "story", r["id"]), "history": _history(db, "story", r["id"]),
    }


def _show_claim(db, r, lang):
    backing = db.execute("SELECT src_type, src FROM links WHERE dst_type='claim' AND dst = ? AND rel='backs'", [r["id"]]).fetchall()
    return {
        "type": "claim", "id": r["id"], "project": r["project"], "text": pick(_j(r["text"]), "zh"), "en": r["en"],
        "source": r["source"], "before": r["before"], "risk": r["risk"], "numbers": _j(r["numbers"]),
        "tech": _j(r["tech"]), "notes": pick(_j(r["notes"]), lang),
        "stories": [{"id": s, "title": pick(_j(db.execute("SELECT title FROM stories WHERE id=?", [s]).fetchone()[0]), lang)} for t, s in backing if t == "story"],
        "cards": [{"id": c, "q": _card_q(db, c, lang)} for t, c in backing if t == "card"],
        "archived": bool(r["archived"]), "file": r["file"], "line": r["line"],
    }


def _show_project(db, r, lang):
    return {
        "type": "project", "id": r["id"], "company": pick(_j(r["company"]), lang), "name": pick(_j(r["name"]), lang),
        "role": pick(_j(r["role"]), lang), "period": r["period"], "stack": _j(r["stack"]),
        "claims": [c["id"] for c in list_claims(db, project=r["id"], lang=lang)],
    }


def _show_deck(db, r, lang):
    return {
        "type": "deck", "id": r["id"], "name": pick(_j(r["name"]), lang), "project": r["project"],
        "description": pick(_j(r["description"]), lang), "file": r["file"],
        "cards": [c["id"] for c in list_cards(db, deck=r["id"], lang=lang)],
    }


_SHOW = {"card": _show_card, "story": _show_story, "claim": _show_claim, "project": _show_project, "deck": _show_deck}


def _claim_text(db, claim_id, lang):
    r = db.execute("SELECT text, en FROM claims WHERE id = ?", [claim_id]).fetchone()
    if not r:
        return ""
    return r[1] if lang == "en" and r[1] else pick(_j(r[0]), lang)


def _card_q(db, card_id, lang):
    r = db.execute("SELECT q FROM cards WHERE id = ?", [card_id]).fetchone()
    return pick(_j(r[0]), lang) if r else ""


_TERM = re.compile(r'"([^"]+)"|(\S+)')


def search(db: Database, query: str, *, limit: int = 50, types: tuple[str, ...] = ()) -> list[dict]:
    """Full-text search; every term must match. Terms of 3+ characters use the trigram
    index; shorter ones (two Chinese characters are common: 对账) fall back to LIKE."""
    terms = [a or b for a, b in _TERM.findall(query)]
    if not terms:
        return []
    where, params = [], []
    long_terms = [t for t in terms if len(t) >= 3]
    if long_terms:
        where.append("search MATCH ?")
        params.append(" AND ".join('"' + t.replace('"', '""') + '"' for t in long_terms))
    for t in terms:
        if len(t) < 3:
            where.append("(title LIKE ? ESCAPE '\\' OR body LIKE ? ESCAPE '\\')")
            like = "%" + t.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            params += [like, like]
    if types:
        where.append(f"type IN ({','.join('?' * len(types))})")
        params += list(types)
    order = "rank" if long_terms else "type, id"
    sql = (
        "SELECT type, id, title, snippet(search, 3, '[', ']', '…', 32) AS snippet "
        f"FROM search WHERE {' AND '.join(where)} ORDER BY {order} LIMIT ?"
    )
    params.append(limit)
    return [
        {"type": r[0], "id": r[1], "title": r[2].split("\n")[0], "snippet": r[3].replace("\n", " ")}
        for r in db.execute(sql, params)
    ]


def stats(db: Database, *, now=None, lang="zh") -> dict:
    now_s = iso(now or utcnow())
    names = _deck_names(db, lang)
    per_deck = []
    for deck_id, total, new, due in db.execute(
        """SELECT c.deck, count(*), sum(s.item_id IS NULL), sum(s.due <= ?)
           FROM cards c LEFT JOIN review_state s ON s.item_type = 'card' AND s.item_id = c.id
           WHERE c.archived = 0 GROUP BY c.deck ORDER BY min(c.position)""",
        [now_s],
    ):
        per_deck.append({"deck": deck_id, "name": names.get(deck_id, deck_id), "cards": total, "new": new or 0, "due": due or 0})

    def count(sql, params=()):
        return db.execute(sql, params).fetchone()[0] or 0

    return {
        "cards": count("SELECT count(*) FROM cards WHERE archived = 0"),
        "stories": count("SELECT count(*) FROM stories WHERE archived = 0"),
        "claims": count("SELECT count(*) FROM claims WHERE archived = 0"),
        "decks": len(per_deck),
        "archived_cards": count("SELECT count(*) FROM cards WHERE archived = 1"),
        "due": sum(d["due"] for d in per_deck),
        "new": sum(d["new"] for d in per_deck),
        "stories_due": count("SELECT count(*) FROM review_state s JOIN stories t ON t.id = s.item_id WHERE s.item_type='story' AND t.archived = 0 AND s.due <= ?", [now_s]),
        "reviews": count("SELECT count(*) FROM review_log WHERE undone = 0"),
        "leeches": [r[0] for r in db.execute("SELECT item_id FROM review_state WHERE leech = 1 ORDER BY item_id")],
        "per_deck": per_deck,
    }
