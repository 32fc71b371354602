"""Pydantic's errors, said the way a person who edits YAML can act on them.

`String should match pattern '^[^\\s]+$'` and `1 unknown language key:
'Kafka Streams and CDC'` are true but useless: the first means "tags cannot contain spaces", the second
means a comma inside `{en: ...}` split the text and it needs quotes. Each rule here turns
one pydantic error (type, location, input) into one sentence, with a "did you mean" for
misspelt keys and choices.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from prep.errors import ContentError
from prep.kb.models import LANGS, Card, Claim, Deck, Fact, Figure, Project, Resume, Story, StoryFront
from prep.kb.spelling import did_you_mean
from prep.kb.vocab import count
from prep.kb.yamlsrc import LineMap, format_path, line_for

# The models a list or mapping field holds, to name the keys a misspelt one could mean.
NESTED: dict[type[BaseModel], dict[str, type[BaseModel]]] = {
    Resume: {"projects": Project},
    Project: {"claims": Claim},
    Claim: {"facts": Fact, "numbers": Figure},
    Deck: {"cards": Card},
}
_UNION_TAGS = frozenset({"str", "int", "float", "bool", "Figure"})
_BOOL_WORDS = "yes/no, on/off, true/false"


def clean_loc(loc: tuple) -> tuple:
    """The path in the file: without pydantic's validator and union-branch markers."""
    out: list = []
    for x in loc:
        if isinstance(x, str) and (x.startswith("function-") or (x in _UNION_TAGS and out and isinstance(out[-1], int))):
            continue
        out.append(x)
    return tuple(out)


def model_at(root: type[BaseModel] | None, path: tuple) -> type[BaseModel] | None:
    """The model class that holds the field at `path` (None when unknown)."""
    model = root
    for x in path:
        if model is None:
            return None
        if isinstance(x, int):
            continue
        model = NESTED.get(model, {}).get(x)
        if model is None:
            return None
    return model


def _quote_hint(field: str, value: dict) -> str:
    """`{en: Kafka, Kafka Streams and CDC}` parsed as {en: 'Kafka', 'Kafka Streams and CDC': None}:
    put the pieces back together, quoted."""
    parts: list[tuple[str, list[str]]] = []
    for k, v in value.items():
        if k in LANGS:
            parts.append((k, [str(v) if v is not None else ""]))
        elif parts:
            parts[-1][1].append(str(k) if v is None else f"{k}: {v}")
    fixed = ", ".join(f'{lang}: "{", ".join(p for p in pieces if p)}"' for lang, pieces in parts)
    return f"a comma inside {{...}} split the text; quote the text: {field}: {{{fixed}}}"


def _text_message(field: str, value: Any, raw_msg: str) -> str:
    if isinstance(value, bool):
        return _bool_message(field, value)
    if isinstance(value, dict):
        unknown = [k for k in value if k not in LANGS]
        if unknown and any(k in LANGS for k in value) and all(value[k] is None or ":" in str(k) for k in unknown):
            return _quote_hint(field, value)
        if unknown:
            hint = "".join(did_you_mean(str(k), LANGS) for k in unknown[:1])
            return f"{count(len(unknown), 'unknown language key')}: {', '.join(repr(k) for k in unknown)}; use zh and/or en{hint}"
    if isinstance(value, (int, float)):
        return f'must be text; quote the number: {field}: "{value}"'
    return raw_msg


def _bool_message(field: str, value: bool, in_list: bool = False) -> str:
    word = "true" if value else "false"
    example = f'- "{"yes" if value else "no"}"' if in_list else f'{field}: "{"yes" if value else "no"}"'
    return f"was read as the boolean {word} (YAML reads unquoted {_BOOL_WORDS} as booleans); quote it if you meant the text: {example}"


def _choices(ctx: dict | None) -> list[str]:
    expected = (ctx or {}).get("expected", "")
    return [c.strip().strip("'") for c in expected.replace(" or ", ", ").split(",") if c.strip()]


def message(e: Any, loc: tuple, root: type[BaseModel] | None) -> str:
    """One plain sentence for one pydantic error at the (clean) location `loc`."""
    kind, value, ctx = e["type"], e.get("input"), e.get("ctx")
    field = next((str(x) for x in reversed(loc) if isinstance(x, str)), "value")
    if kind == "extra_forbidden":
        model = model_at(root, loc[:-1])
        hint = did_you_mean(str(loc[-1]), model.model_fields) if model else ""
        return f"unknown key '{loc[-1]}'{hint}"
    if kind == "missing":
        return "required field is missing"
    if kind == "string_pattern_mismatch":
        if field == "tags" or (ctx or {}).get("pattern") == r"^[^\s]+$":
            return f"tags cannot contain spaces: '{value}' (use '-': '{str(value).replace(' ', '-')}')"
        return f"ids are lowercase letters, digits and . _ - (e.g. 'meican.scheduler'); got '{value}'"
    if kind == "literal_error":
        choices = _choices(ctx)
        if isinstance(value, bool):
            return _bool_message(field, value)
        hint = did_you_mean(str(value), choices) if choices else ""
        what = f"one of the allowed {field}" if isinstance(loc[-1], int) else f"a {field}"
        return f"'{value}' is not {what}; use {(ctx or {}).get('expected')}{hint}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"must be a whole number, got {value!r}"
    if kind in ("float_parsing", "float_type"):
        return f"must be a number, got {value!r}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bounds = {"greater_than_equal": "at least", "less_than_equal": "at most", "greater_than": "more than", "less_than": "less than"}
        limit = next(iter((ctx or {}).values()), "")
        return f"must be {bounds[kind]} {limit}, got {value!r}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"is too long ({len(str(value))} characters; at most {(ctx or {}).get('max_length')})"
    if kind == "string_type":
        if isinstance(value, bool):
            return _bool_message(field, value, isinstance(loc[-1], int))
        if isinstance(value, (int, float)):
            return f'must be text; quote the number: {field}: "{value}"'
        return f"must be text, got {type(value).__name__}"
    if kind == "list_type":
        return f"must be a list ([a, b] or one '- item' per line), got {value!r}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"must be a mapping of keys (key: value), got {value!r}"
    if kind == "bool_type" or kind == "bool_parsing":
        return f"must be true or false, got {value!r}"
    msg = str(e["msg"])
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    if kind == "value_error":
        return _text_message(field, value, msg)
    return msg


def _union_filter(errors: list[dict]) -> list[dict]:
    """A `str | Figure` field reports one error per branch; keep the branch that fits the
    input (a mapping: the Figure's own errors; else: one 'text or mapping' error)."""
    by_loc: dict[tuple, list[dict]] = {}
    for e in errors:
        loc = e["loc"]
        branch = next((i for i, x in enumerate(loc) if isinstance(x, str) and x in _UNION_TAGS and i and isinstance(loc[i - 1], int)), None)
        by_loc.setdefault(loc[:branch] if branch is not None else loc, []).append(e)
    out = []
    for group in by_loc.values():
        if len(group) > 1 and any("str" in g["loc"] for g in group):
            mapping = [g for g in group if "str" not in g["loc"] and g["type"] not in ("model_type", "dict_type")]
            out += mapping or [g for g in group if "str" in g["loc"]]
        else:
            out += group
    return out


def explain(rel: str, lines: LineMap, exc: ValidationError, root: type[BaseModel] | None = None) -> list[ContentError]:
    """Every error of one validation, each with its file, line and field."""
    out = []
    for e in _union_filter([dict(x) for x in exc.errors()]):
        loc = clean_loc(e["loc"])
        out.append(ContentError(rel, line_for(lines, loc), format_path(loc), message(e, loc, root)))
    return out


ROOTS: dict[str, type[BaseModel]] = {"resume": Resume, "deck": Deck, "story": Story, "story-front-matter": StoryFront}
