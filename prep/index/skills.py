"""The skills a resume lists: its top-level `skills:` line and every live project's `stack`.

The audit (what has nothing to study) and the mock draw (a card slot with `skills: true`)
read the same list, so it lives below both.
"""

from __future__ import annotations

import re

from prep.index.conn import Database
from prep.index.db import get_meta
from prep.index.db import loads as _j


def norm(name: str) -> str:
    """`Kafka Streams`, `kafka-streams` and `kafkastreams` are one skill."""
    return re.sub(r"[\s_\-./]+", "", name.lower())


def listed(db: Database) -> list[str]:
    """The resume's top-level skills, then every live project's stack, once each."""
    names = list(_j(get_meta(db, "skills") or "[]") or [])
    for (stack,) in db.execute("SELECT stack FROM projects WHERE archived = 0 ORDER BY position"):
        names += _j(stack) or []
    seen: dict[str, str] = {}
    for n in names:
        seen.setdefault(norm(n), n)
    return list(seen.values())


def skill_cards(db: Database) -> set[str]:
    """Live cards tagged with a listed skill."""
    wanted = {norm(n) for n in listed(db)}
    return {cid for cid, tags in db.execute("SELECT id, tags FROM cards WHERE archived = 0") if any(norm(t) in wanted for t in _j(tags) or [])}
