"""The content's vocabulary without pydantic: languages, card kinds, story sections,
and the helpers for text fields (a string or `{zh, en}`).

They live apart from the pydantic models (`prep.kb.models` re-exports them) so that
read commands, which only show indexed text, never import pydantic (~75 ms).
"""

from __future__ import annotations

import unicodedata
from typing import Any, Literal

LANGS = ("zh", "en")
Kind = Literal["concept", "design", "defend-the-number", "behavioural", "trivia"]
STORY_SECTIONS = ("Situation", "Task", "Action", "Result", "Follow-ups", "Lessons")
REQUIRED_SECTIONS = ("Situation", "Task", "Action", "Result")


def pick(text: Any, lang: str = "zh") -> str:
    """The text in `lang`, falling back to the other language, or ''."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    other = "en" if lang == "zh" else "zh"
    return text.get(lang) or text.get(other) or ""


def say(words: dict[str, Any], key: str, lang: str, **kw: object) -> str:
    """A generated string from a table of `{key: {zh, en}}`, in `lang`, with its blanks
    filled: every module's own words (sheets, TUI labels, the item renderer) go through here."""
    return pick(words[key], lang).format(**kw)


# A Chinese count takes a measure word, not a plural: 1 张卡, 3 个故事.
NOUNS_ZH: dict[str, str] = {
    "claim": "个条目",
    "card": "张卡",
    "story": "个故事",
    "deck": "个卡组",
    "fact": "条事实",
    "skill": "项技能",
    "item": "项",
    "flag": "个问题",
    "review": "次复习",
}


# Codes the index stores, as a reader's words: a claim's risk, an answer's rating and the
# mode it was given in. Every screen, report and rendering that shows one reads it here.
CODE_WORDS: dict[str, dict[Any, dict[str, str]]] = {
    "risk": {"high": {"zh": "高", "en": "high"}, "medium": {"zh": "中", "en": "medium"}, "low": {"zh": "低", "en": "low"}},
    "rating": {1: {"zh": "重来", "en": "Again"}, 2: {"zh": "困难", "en": "Hard"}, 3: {"zh": "良好", "en": "Good"}, 4: {"zh": "简单", "en": "Easy"}},
    "mode": {
        "review": {"zh": "复习", "en": "review"},
        "cram": {"zh": "突击", "en": "cram"},
        "rehearsal": {"zh": "讲故事", "en": "rehearsal"},
        "mock": {"zh": "模拟面试", "en": "mock"},
    },
}


def code_word(kind: str, value: Any, lang: str) -> str:
    """A stored code (risk `high`, rating 3, mode `cram`) in `lang`; an unknown one as it is."""
    words = CODE_WORDS[kind].get(value)
    return pick(words, lang) if words else str(value)


def count(n: int, noun: str, lang: str = "en") -> str:
    """'1 deck', '2 decks', '1 story', '3 stories': a count of a countable English noun;
    in zh its measure word from NOUNS_ZH ('3 个故事')."""
    if lang == "zh" and noun in NOUNS_ZH:
        return f"{n} {NOUNS_ZH[noun]}"
    if n == 1:
        return f"{n} {noun}"
    return f"{n} {noun[:-1]}ies" if noun.endswith("y") and noun[-2:-1] not in "aeiou" else f"{n} {noun}s"


_WIDTH: dict[str, int] = {}


def char_cells(ch: str) -> int:
    """Terminal cells of a character (2 for wide CJK), remembered per character."""
    w = _WIDTH.get(ch)
    if w is None:
        w = _WIDTH[ch] = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return w


def cell_len(text: str) -> int:
    """Terminal cells of a text: a Chinese word is twice as wide as its length."""
    return sum(map(char_cells, text))


def pad(text: str, width: int) -> str:
    """`text` padded with spaces to `abs(width)` terminal cells, as `f"{text:<{width}}"`
    (width < 0) or `f"{text:>{width}}"` (width > 0) would if every character were one
    cell wide: the columns of a table with Chinese heads or words stay aligned."""
    fill = " " * max(0, abs(width) - cell_len(text))
    return text + fill if width < 0 else fill + text


def claim_text(text: Any, en: str | None, lang: str = "zh") -> str:
    """A claim's text in `lang`: its separate English line (`en`) when English is
    asked for and there is one, else `pick` of its text."""
    return en if lang == "en" and en else pick(text, lang)


def all_text(text: Any) -> str:
    """Every language of a text field, for search and number checks."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    return "\n".join(v for v in text.values() if v)
