"""The one selection of cards and stories: a WHERE clause and its parameters.

`prep list`, the study queue, the empty-queue hints and the exports all pick items by
deck, kind, claim and tag; they share this module so that a filter means the same
thing everywhere (a deck or kind filter selects no story, archived rows are left out).
It is plain SQL text, no query run here, so the study and export layers can use it
without the read models.
"""

from __future__ import annotations

from typing import Any


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
