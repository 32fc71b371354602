"""Items still holding the hints `prep new` wrote (prep.kb.placeholders): unfinished.

A card whose answer is still "Mechanism, the numbers that matter, ..." validates, and
would be studied, exported and drawn as if it were written. The audit lists each with
its file and line; the index is filtered by SQL first (a hint is a plain substring of
the stored JSON), so a large knowledge base costs one scan, not a parse of every item.

A field the author left as a to-do marker ("TODO", "TBD: numbers", "待补充") is unfinished
too (prep.kb.placeholders.marked).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from prep.index.conn import Database
from prep.index.db import loads
from prep.kb.placeholders import HINTS, MARKERS, card_fields, claim_fields, story_fields


@dataclass(frozen=True)
class Unfinished:
    item: str  # "card perf.new"
    fields: tuple[str, ...]
    file: str
    line: int

    def to_dict(self) -> dict:
        return asdict(self) | {"fields": list(self.fields)}


def _hints(*fields: str) -> list[str]:
    return [h for f in fields for h in HINTS[f].values()]


def _candidates(db: Database, table: str, columns: tuple[str, ...], hints: list[str]):
    test = " OR ".join(f"instr({c}, ?)" for c in columns for _ in hints)
    params = [h for _ in columns for h in hints]
    sql = f"SELECT id, {', '.join(columns)}, file, line FROM {table} WHERE archived = 0 AND ({test}) ORDER BY position"
    return db.execute(sql, params).fetchall()


def unfinished(db: Database) -> list[Unfinished]:
    """Every live card, story and claim with a field still holding its hint or a to-do
    marker, in file order."""
    out: list[Unfinished] = []
    for cid, text, file, line in _candidates(db, "claims", ("text",), [*_hints("claim.text"), *MARKERS]):
        if fields := claim_fields(loads(text)):
            out.append(Unfinished(f"claim {cid}", tuple(fields), file, line))
    story_hints = [*_hints(*(f for f in HINTS if f.startswith("story."))), *MARKERS]
    for sid, title, sections, file, line in _candidates(db, "stories", ("title", "sections"), story_hints):
        if fields := story_fields(loads(title), loads(sections)):
            out.append(Unfinished(f"story {sid}", tuple(fields), file, line))
    for cid, q, a, file, line in _candidates(db, "cards", ("q", "a"), [*_hints("card.q", "card.a"), *MARKERS]):
        if fields := card_fields(loads(q), loads(a)):
            out.append(Unfinished(f"card {cid}", tuple(fields), file, line))
    return out
