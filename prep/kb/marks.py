"""The two marks content carries inside its Markdown: fact citations and assumptions.

`{{fact:ID}}` cites one of a claim's facts: it renders as the fact's text, so editing
the fact changes every story and card that states it. `[text]{.assumed}` (a Pandoc
bracketed span, parsed by mdit-py-plugins' attrs plugin) marks a detail written on
the candidate's behalf that only they can confirm. This module finds both, checks
that spans are well formed, and resolves citations to text in one language; the
renderers (prep.export.render) turn the spans into HTML, markers or terminal styles.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from prep.kb.vocab import pick

FACT_REF = re.compile(r"\{\{\s*fact:([^{}\s]*)\s*\}\}")
# A well-formed assumption: [text]{.assumed} or [text]{.assumed .other #id}.
SPAN = re.compile(r"\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\{([^{}]*)\}")
ASSUMED = "assumed"


class Span(NamedTuple):  # a NamedTuple: every command citing facts imports this module
    """An assumption: its text (Markdown) and its source form, as written."""

    text: str
    source: str
    start: int


@lru_cache(maxsize=1)
def _md():
    from markdown_it import MarkdownIt
    from mdit_py_plugins.attrs import attrs_plugin

    return MarkdownIt("commonmark").use(attrs_plugin, spans=True)


def _is_assumed(attrs: str) -> bool:
    return f".{ASSUMED}" in attrs.split()


def citations(text: str) -> list[str]:
    """The fact ids `text` cites, in order."""
    return FACT_REF.findall(text) if text and "{{" in text else []


def spans(text: str) -> tuple[list[Span], list[str]]:
    """(the assumptions in `text`, the malformed ones as source snippets).

    A span markdown-it does not read as a span (`[x]{.assumed` with no closing brace,
    `[x] {.assumed}`, a missing `[`) would print its markers literally: an error."""
    if not text or ASSUMED not in text:
        return [], []
    scan = _blank_code(text)  # same length: a marker in code is no assumption
    found = [Span(m.group(1), m.group(0), m.start()) for m in SPAN.finditer(scan) if _is_assumed(m.group(2))]
    if scan.count(f".{ASSUMED}") == len(found):
        return found, []  # every marker outside code is in a well-formed span: no need to parse
    parsed, stray = 0, []
    for tok in _md().parse(text):
        for child in tok.children or ():
            if child.type == "span_open" and ASSUMED in str(child.attrs.get("class", "")).split():
                parsed += 1
            elif child.type == "text" and f".{ASSUMED}" in child.content:
                stray.append(_snippet(child.content, child.content.index(f".{ASSUMED}")))
    if parsed < len(found) and not stray:
        stray = [s.source for s in found[parsed:]]
    return (found if not stray else found[:parsed]), stray


def _snippet(text: str, at: int, width: int = 30) -> str:
    return " ".join(text[max(0, at - width) : at + width].split())


def resolve(text: str, facts: Mapping[str, tuple[Any, str]], lang: str) -> str:
    """`text` with every `{{fact:ID}}` replaced by the fact's text in `lang`; an assumed
    fact becomes an assumption span, so it renders like one. `facts`: id -> (text, status)."""
    if not text or "{{" not in text:
        return text

    def one(m: re.Match) -> str:
        fact = facts.get(m.group(1))
        if fact is None:
            return m.group(0)
        body = pick(fact[0], lang).strip()
        return f"[{body}]{{.{ASSUMED}}}" if fact[1] == ASSUMED else body

    return FACT_REF.sub(one, text)


def plain(text: str) -> str:
    """Markdown with assumption spans reduced to their text (for searching figures)."""
    if not text or ASSUMED not in text:
        return text
    return SPAN.sub(lambda m: m.group(1) if _is_assumed(m.group(2)) else m.group(0), text)


MARK_OPEN, MARK_CLOSE = "⟦", "⟧"
LEGEND = {"zh": "⟦…⟧ 为替你写的假设，面试前请确认或改成真实情况", "en": "⟦…⟧ marks an assumption written for you: confirm or correct it"}


def markers(text: str, style: str = "text") -> str:
    """Assumption spans as a visible marker for places without CSS: `⟦text⟧` (plain text,
    Markdown sheets and exports) or `*⟦text⟧*` (the TUI's Markdown, which styles it)."""
    if not text or ASSUMED not in text:
        return text

    def one(m: re.Match) -> str:
        if not _is_assumed(m.group(2)):
            return m.group(0)
        body = f"{MARK_OPEN}{m.group(1)}{MARK_CLOSE}"
        return f"*{body}*" if style == "tui" else body

    return SPAN.sub(one, text)


_CODE = re.compile(r"```.*?(?:```|$)|~~~.*?(?:~~~|$)|`[^`\n]*`", re.S)


def _blank_code(text: str) -> str:
    if "`" not in text and "~~~" not in text:
        return text
    return _CODE.sub(lambda m: " " * len(m.group(0)), text)


def prose(text: str) -> str:
    """`plain(text)` with code blanked out (same length, so offsets hold): the numbers in
    `0 * * * *` or `interval '30s'` are code, not figures the candidate states."""
    return _blank_code(plain(text)) if text else text


class Locator:
    """Finds the line a snippet is on, in a knowledge-base file, at or after an item's
    line: the index keeps one line per item, the audit and the validator quote the line
    of the span or figure itself. Files are read once; an unreadable file or a snippet
    not found (a YAML escape changed it) gives the item's line."""

    def __init__(self, root: Path | str | None):
        self.root = Path(root) if root else None
        self._lines: dict[str, list[str]] = {}

    def _file(self, rel: str) -> list[str]:
        if rel not in self._lines:
            try:
                self._lines[rel] = (self.root / rel).read_text(encoding="utf-8").split("\n") if self.root else []
            except (OSError, UnicodeDecodeError):
                self._lines[rel] = []
        return self._lines[rel]

    def line(self, rel: str, from_line: int, snippet: str) -> int:
        needle = snippet.strip().split("\n")[0][:60]
        if not needle:
            return from_line
        lines = self._file(rel)
        for i in range(max(from_line - 1, 0), len(lines)):
            if needle in lines[i]:
                return i + 1
        return from_line


def walk_text(value: Any) -> Iterator[str]:
    """Every string inside a text field ({zh, en}, a list of them, nested dicts)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from walk_text(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from walk_text(v)
