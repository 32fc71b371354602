"""The index rows an Anki export reads, a chunk at a time.

An export once read every live card whole (texts in both languages) before writing
the first note: 80 MB of rows at 50,000 cards, kept to the end. Here only the selected
ids are read up front, in the knowledge base's order; the rows come CHUNK at a time by
primary key, with what their notes show of other cards (a follow-up's question and
edit time) in the same chunk, so memory stays that of one chunk however large the
knowledge base.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from prep.index.conn import Database
from prep.index.db import loads

CHUNK = 500  # rows per query: well under SQLite's 32,766 parameters

CARD_COLUMNS = "id, deck, q, a, gist, claims, tags, kind, difficulty, followups, source, file, line, changed_at"
STORY_COLUMNS = "id, title, claims, competencies, tags, sections, followups, file, line, changed_at"

Row = dict[str, Any]


def selected_ids(db: Database, table: str, selection: tuple[str, list] | None) -> list[str]:
    """Ids of the live rows of `table` matching a `prep.index.filters` filter (None
    selects nothing), in the knowledge base's order."""
    if selection is None:
        return []
    where, params = selection
    return [r[0] for r in db.execute(f"SELECT id FROM {table} WHERE archived = 0 AND ({where}) ORDER BY position", params)]


def chunks(db: Database, table: str, columns: str, ids: list[str]) -> Iterator[list[Row]]:
    """The rows of `ids` (as selected_ids gave them), CHUNK at a time, in their order."""
    for i in range(0, len(ids), CHUNK):
        part = ids[i : i + CHUNK]
        found = {r["id"]: r for r in db.query(f"SELECT {columns} FROM {table} WHERE id IN ({','.join('?' * len(part))})", part)}
        yield [found[x] for x in part if x in found]


def followed(db: Database, rows: list[Row]) -> dict[str, tuple[str, str | None]]:
    """Live card id -> (its question as stored, changed_at) for the follow-ups `rows`
    name; a follow-up that is archived or missing is left out, as the note leaves it."""
    wanted = sorted({f for r in rows if r["followups"] and r["followups"] != "[]" for f in loads(r["followups"])})
    out: dict[str, tuple[str, str | None]] = {}
    for i in range(0, len(wanted), CHUNK):
        part = wanted[i : i + CHUNK]
        sql = f"SELECT id, q, changed_at FROM cards WHERE archived = 0 AND id IN ({','.join('?' * len(part))})"
        out.update((r[0], (r[1], r[2])) for r in db.execute(sql, part))
    return out
