"""The hints `prep new` writes into a new card, claim or story, and how to tell one is left.

A new item must validate, so its fields hold hints ("How would an interviewer ask it?")
rather than nothing. A hint left in place, or a field written as "TODO", would be studied,
exported and drawn as if it were the answer: `prep validate` notes it and `prep audit`
lists it as unfinished, by these functions (and the table `prep new` writes from). No
pydantic here: the audit reads the index.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

# field -> {lang: the hint}; a card's `a` and a story's sections are matched when they
# still contain their hint (kept, with a line added), titles when they are the hint.
HINTS: dict[str, dict[str, str]] = {
    "card.q": {"zh": "面试官会怎么问？", "en": "How would an interviewer ask it?"},
    "card.a": {
        "zh": "机制、关键数字、取舍、失败场景、和你系统的关系。",
        "en": "Mechanism, the numbers that matter, the trade-off, the failure mode, where it touches your system.",
    },
    "claim.text": {"zh": "简历上的原话", "en": "the resume line, quoted exactly as sent"},
    "story.title": {"zh": "故事标题", "en": "Story title"},
    "story.Situation": {"zh": "背景、规模、痛点，两三行。", "en": "Context, scale, the pain, in two or three lines."},
    "story.Task": {"zh": "你负责什么，目标是什么。", "en": "What you owned and the goal."},
    "story.Action": {"zh": "你做了什么、为什么这么选（第一人称）。", "en": "What you did and why you chose it (first person)."},
    "story.Result": {"zh": "结果和数字。", "en": "The result, with numbers."},
}
_WHOLE = ("card.q", "claim.text", "story.title")


def hint(field: str, lang: str) -> str:
    """What `prep new` writes into `field` ("card.q", "story.Action"...) in `lang`."""
    return HINTS[field]["zh" if lang == "zh" else "en"]


def _texts(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        yield from (v for v in value.values() if isinstance(v, str))


def is_hint(field: str, value: Any) -> bool:
    """Whether `value` (a text, or `{zh, en}`) still holds the hint of `field`."""
    hints = HINTS[field].values()
    for text in _texts(value):
        text = " ".join(text.split())
        if any(text == h if field in _WHOLE else h in text for h in hints):
            return True
    return False


# A field the author left as a to-do ("TODO", "TBD: numbers", "待补充") validates as well as a
# hint does. Only a field that *starts* with one counts: an answer about Go's
# `context.TODO()` is not unfinished.
MARKERS = ("TODO", "TBD", "FIXME", "待补充", "待填写", "待写")
_MARKED = re.compile(r"^\W*(TODO|TBD|FIXME)(?![\w(.])|^\W*(待补充|待填写|待写)")


def marked(value: Any) -> bool:
    """Whether a text (or any language of `{zh, en}`) starts with a to-do marker."""
    return any(_MARKED.match(text.strip()) for text in _texts(value))


def _fields(found: list[str], values: dict[str, Any]) -> list[str]:
    """`found` (hinted fields) and the fields starting with a marker, each once, in order."""
    return list(dict.fromkeys([*found, *(name for name, value in values.items() if marked(value))]))


def card_fields(q: Any, a: Any) -> list[str]:
    """The fields of a card still holding their hint or a to-do marker."""
    return _fields([name for name, value in (("q", q), ("a", a)) if is_hint(f"card.{name}", value)], {"q": q, "a": a})


def story_fields(title: Any, sections: dict[str, Any] | None) -> list[str]:
    """The fields of a story still holding their hint or a to-do marker (its title, its sections)."""
    sections = sections or {}
    hinted = (["title"] if is_hint("story.title", title) else []) + [
        name for name in ("Situation", "Task", "Action", "Result") if is_hint(f"story.{name}", sections.get(name))
    ]
    return _fields(hinted, {"title": title, **sections})


def claim_fields(text: Any) -> list[str]:
    """["text"] when a claim's text is still the hint or a to-do marker."""
    return _fields(["text"] if is_hint("claim.text", text) else [], {"text": text})
