"""Move an item's history to its new id, in one transaction.

Identity is the id: a card whose id changes in the files is archived and a new card with
no history appears. `prep mv` renames the id in the files (prep.kb.rename) and here in
the database: the item's row, its FSRS state, every review and mock answer, the drawn
sets that name it and the interviews that plan for it. The next sync then finds the
item under its new id with everything it had.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from prep.errors import PrepError
from prep.index import card_ids
from prep.index.conn import Database
from prep.index.db import set_meta
from prep.kb.vocab import count

ITEM_TABLES = {"card": "cards", "story": "stories", "claim": "claims", "project": "projects", "fact": "facts"}
# (table, item type column or None, id column): rows that belong to an item.
HISTORY = (("review_state", "item_type", "item_id"), ("review_log", "item_type", "item_id"), ("mock_answers", "item_type", "item_id"))


@dataclass
class Moved:
    reviews: int = 0
    mock_answers: int = 0
    state: bool = False
    sessions: int = 0
    interviews: int = 0


def history_count(db: Database, kind: str, item_id: str) -> int:
    """Reviews and mock answers recorded under `item_id`."""
    n = 0
    for table, type_col, id_col in HISTORY[1:]:
        n += db.execute(f"SELECT count(*) FROM {table} WHERE {type_col} = ? AND {id_col} = ?", [kind, item_id]).fetchone()[0]
    return n


def known_kind(db: Database, item_id: str) -> str | None:
    """The kind of the item the database knows as `item_id` (live or archived)."""
    for kind, table in ITEM_TABLES.items():
        if db.execute(f"SELECT 1 FROM {table} WHERE id = ?", [item_id]).fetchone():
            return kind
    return None


def _rename_json(value: str | None, old: str, new: str) -> tuple[str | None, bool]:
    if not value or old not in value:
        return value, False
    data = json.loads(value)

    def walk(x: Any) -> Any:
        if isinstance(x, str):
            return new if x == old else x
        if isinstance(x, list):
            return [walk(v) for v in x]
        if isinstance(x, dict):
            return {k: walk(v) for k, v in x.items()}
        return x

    fixed = walk(data)
    return (json.dumps(fixed, ensure_ascii=False), True) if fixed != data else (value, False)


def move(db: Database, kind: str, old: str, new: str) -> Moved:
    """Rename `old` to `new` in the database; the caller holds the transaction.
    Refuses when `new` already has history of its own (two histories never mix)."""
    if history_count(db, kind, new):
        n = history_count(db, kind, new)
        raise PrepError(
            f"'{new}' already has {count(n, 'review')} of its own; not mixing two histories",
            zh=f"'{new}' 已经有自己的 {n} 次复习；不把两份记录混在一起",
        )
    out = Moved()
    table = ITEM_TABLES[kind]
    db.execute(f"DELETE FROM {table} WHERE id = ?", [new])  # a fresh row from a sync after a hand rename
    db.execute(f"UPDATE {table} SET id = ? WHERE id = ?", [new, old])
    if kind in ("card", "story"):
        db.execute("DELETE FROM review_state WHERE item_type = ? AND item_id = ?", [kind, new])
        out.state = db.execute("UPDATE review_state SET item_id = ? WHERE item_type = ? AND item_id = ?", [new, kind, old]).rowcount > 0
    out.reviews = db.execute("UPDATE review_log SET item_id = ? WHERE item_type = ? AND item_id = ?", [new, kind, old]).rowcount
    out.mock_answers = db.execute("UPDATE mock_answers SET item_id = ? WHERE item_type = ? AND item_id = ?", [new, kind, old]).rowcount
    for rid, draw in db.execute("SELECT id, draw FROM mock_sessions WHERE draw LIKE ?", [f"%{old}%"]).fetchall():
        fixed, changed = _rename_json(draw, old, new)
        if changed:
            db.execute("UPDATE mock_sessions SET draw = ? WHERE id = ?", [fixed, rid])
            out.sessions += 1
    if db["interviews"].exists():
        for rid, claims in db.execute("SELECT id, claims FROM interviews WHERE claims LIKE ?", [f"%{old}%"]).fetchall():
            fixed, changed = _rename_json(claims, old, new)
            if changed:
                db.execute("UPDATE interviews SET claims = ? WHERE id = ?", [fixed, rid])
                out.interviews += 1
    # Links and search rows name the id; the next sync rewrites links, and the search
    # index is rebuilt from the items (their content hash did not change).
    set_meta(db, "search_stale", "1")
    card_ids.forget(db)  # a card's id is in them
    return out
