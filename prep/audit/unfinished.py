"""Items still holding the hints `prep new` wrote (prep.kb.placeholders): unfinished.

A card whose answer is still "Mechanism, the numbers that matter, ..." validates, and
would be studied, exported and drawn as if it were written. The audit lists each with
its file and line; the index is filtered by SQL first (a hint is a plain substring of
the stored JSON), so a large knowledge base costs one scan, not a parse of every item.

A field the author left as a marker ("TODO", "TBD: numbers", "待补充") is unfinished too: it
validates as well as a hint does. Only a field that *starts* with the marker counts, so an
answer mentioning Go's `context.TODO()` is not one.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from prep.index.conn import Database
from prep.index.db import loads
from prep.kb.placeholders import HINTS, card_fields, claim_fields, story_fields


@dataclass(frozen=True)
class Unfinished:
    item: str  # "card perf.new"
    fields: tuple[str, ...]
    file: str
    line: int

    def to_dict(self) -> dict:
        return asdict(self) | {"fields": list(self.fields)}


MARKERS = ("TODO", "TBD", "FIXME", "待补充", "待填写", "待写")
_MARKED = re.compile(r"^\W*(TODO|TBD|FIXME)(?![\w(.])|^\W*(待补充|待填写|待写)")


def marked(value: Any) -> bool:
    """Whether a text (or any language of `{zh, en}`) starts with a to-do marker."""
    texts = [value] if isinstance(value, str) else list(value.values()) if isinstance(value, dict) else []
    return any(isinstance(t, str) and _MARKED.match(t.strip()) for t in texts)


def _marked_fields(names: tuple[str, ...], values: tuple[Any, ...]) -> list[str]:
    out = []
    for name, value in zip(names, values, strict=True):
        if name == "sections" and isinstance(value, dict):
            out += [section for section, text in value.items() if marked(text)]
        elif marked(value):
            out.append(name)
    return out


def _hints(*fields: str) -> list[str]:
    return [h for f in fields for h in HINTS[f].values()]


def _candidates(db: Database, table: str, columns: tuple[str, ...], hints: list[str]):
    test = " OR ".join(f"instr({c}, ?)" for c in columns for _ in hints)
    params = [h for _ in columns for h in hints]
    sql = f"SELECT id, {', '.join(columns)}, file, line FROM {table} WHERE archived = 0 AND ({test}) ORDER BY position"
    return db.execute(sql, params).fetchall()


def _with(hinted: list[str], todo: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys([*hinted, *todo]))


def unfinished(db: Database) -> list[Unfinished]:
    """Every live card, story and claim with a field still holding its hint or a to-do
    marker, in file order."""
    out: list[Unfinished] = []
    for cid, text, file, line in _candidates(db, "claims", ("text",), [*_hints("claim.text"), *MARKERS]):
        if fields := _with(claim_fields(loads(text)), _marked_fields(("text",), (loads(text),))):
            out.append(Unfinished(f"claim {cid}", fields, file, line))
    story_hints = [*_hints(*(f for f in HINTS if f.startswith("story."))), *MARKERS]
    for sid, title, sections, file, line in _candidates(db, "stories", ("title", "sections"), story_hints):
        title, sections = loads(title), loads(sections)
        if fields := _with(story_fields(title, sections), _marked_fields(("title", "sections"), (title, sections))):
            out.append(Unfinished(f"story {sid}", fields, file, line))
    for cid, q, a, file, line in _candidates(db, "cards", ("q", "a"), [*_hints("card.q", "card.a"), *MARKERS]):
        q, a = loads(q), loads(a)
        if fields := _with(card_fields(q, a), _marked_fields(("q", "a"), (q, a))):
            out.append(Unfinished(f"card {cid}", fields, file, line))
    return out
