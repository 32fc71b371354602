"""Keep what parsed of a file that does not validate, so every later check still runs.

Pydantic rejects a whole deck for one bad key; the loader then had no cards to check,
so fixing `unknown key 'followup'` revealed a dangling claim link and a followup cycle
in the same file on the next run, and a bad `kind:` hid duplicate ids. Here the errors'
locations say what to drop: a bad optional field falls back to its default, a bad
required text becomes empty, a bad list element or an item without a usable id goes.
The salvaged model only feeds the cross-file checks; the errors already stop the sync.

Dropping list elements shifts positions, so `kept` maps each list (by its path in the
file) to the original index of every element kept: lines and fields stay the file's.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from prep.kb.yamlsrc import path_key

# Required text fields: an empty string stands in, so the item (and its id) stays.
_TEXT_FIELDS = frozenset({"q", "a", "text", "company", "title", "name"})
Kept = dict[str, list[int]]


class _Drop(Exception):
    """The item cannot stand in for itself (its id or a required value is unusable)."""


def salvage(model: type[BaseModel], raw: dict, locs: list[tuple]) -> tuple[BaseModel | None, Kept]:
    """The model of `raw` without the parts at the error locations `locs`, and the kept indexes."""
    kept: Kept = {}
    try:
        data = _repair(model, raw, locs, (), kept)
        return model.model_validate(data), kept
    except (_Drop, ValidationError):
        return None, {}


def _repair(model: type[BaseModel], data: dict, locs: list[tuple], path: tuple, kept: Kept) -> dict:
    if any(not loc for loc in locs):
        raise _Drop()
    out = dict(data)
    by_field: dict[Any, list[tuple]] = {}
    for loc in locs:
        by_field.setdefault(loc[0], []).append(loc[1:])
    for name, sub in by_field.items():
        if name not in model.model_fields:
            out.pop(name, None)
            continue
        value = out.get(name)
        if isinstance(value, list) and sub and all(s and isinstance(s[0], int) for s in sub):
            from prep.kb.explain import NESTED  # only when a file is wrong: explain is the error path

            out[name] = _repair_list(NESTED.get(model, {}).get(name), value, sub, (*path, name), kept)
        elif not model.model_fields[name].is_required():
            out.pop(name, None)
        elif name in _TEXT_FIELDS:
            out[name] = ""
        else:
            raise _Drop()
    return out


def _repair_list(child: type[BaseModel] | None, items: list, locs: list[tuple], path: tuple, kept: Kept) -> list:
    bad: dict[int, list[tuple]] = {}
    for loc in locs:
        bad.setdefault(loc[0], []).append(loc[1:])
    out, index = [], []
    for i, item in enumerate(items):
        if i in bad:
            if child is None or not isinstance(item, dict):
                continue
            try:
                item = _repair(child, item, bad[i], (*path, i), kept)
            except _Drop:
                continue
        out.append(item)
        index.append(i)
    kept[path_key(path)] = index
    return out


def original(kept: Kept, path: tuple, items: list) -> list[tuple[int, Any]]:
    """(index in the file, item) for a list of a salvaged model (identity when nothing was dropped)."""
    index = kept.get(path_key(path))
    return list(zip(index, items, strict=True)) if index is not None else list(enumerate(items))
