"""Rename an id in the content files, touching only the places that name it.

A rename by hand left four dangling links and a new card with no history. `prep mv`
edits the text, not a re-dump of the YAML: every comment, quote style and blank line
stays. The parse says on which line each id or link value sits (its line map), so only
those lines change, and only the whole id on them (`acme` is not renamed inside
`acme.checkout-latency`); fact citations `{{fact:ID}}` are found in any text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prep.kb.loader import list_files, parse_file
from prep.kb.yamlsrc import path_key

# The fields whose values are ids, by the kind of file: `*` is any list index.
_ID_PATHS = {
    "resume": ("projects.*.id", "projects.*.claims.*.id", "projects.*.claims.*.facts.*.id"),
    "deck": ("project", "cards.*.id", "cards.*.claims.*", "cards.*.followups.*"),
    "story": ("id", "claims.*"),
}
_ID_CHARS = "A-Za-z0-9._-"


@dataclass
class Edit:
    rel: str
    before: str
    after: str
    lines: list[int]  # 1-based lines changed


def _values(data: Any, pattern: list[str], path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    if not pattern:
        yield path, data
        return
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        if isinstance(data, list):
            for i, item in enumerate(data):
                yield from _values(item, rest, (*path, i))
    elif isinstance(data, dict) and head in data:
        yield from _values(data[head], rest, (*path, head))


def token(old: str) -> re.Pattern[str]:
    """The whole id `old`, not a part of a longer id."""
    return re.compile(rf"(?<![{_ID_CHARS}]){re.escape(old)}(?![{_ID_CHARS}])")


def plan(root: Path, old: str, new: str) -> list[Edit]:
    """The edits renaming `old` to `new` in every content file (nothing is written)."""
    edits = []
    whole = token(old)
    cite = re.compile(r"(\{\{\s*fact:\s*)" + re.escape(old) + r"(\s*\}\})")
    for rel in list_files(root):
        p = parse_file(root, rel)
        text = (root / rel).read_text(encoding="utf-8-sig")
        lines = text.split("\n")
        changed: set[int] = set()
        for pattern in _ID_PATHS.get(p.kind, ()):
            for path, value in _values(p.raw, pattern.split(".")):
                line = p.lines.get(path_key(path), 0)
                if value == old and 0 < line <= len(lines):
                    fixed = whole.sub(new, lines[line - 1])
                    if fixed != lines[line - 1]:
                        lines[line - 1] = fixed
                        changed.add(line)
        for n, line_text in enumerate(lines, 1):
            fixed = cite.sub(lambda m: m.group(1) + new + m.group(2), line_text)
            if fixed != line_text:
                lines[n - 1] = fixed
                changed.add(n)
        if changed:
            edits.append(Edit(rel, text, "\n".join(lines), sorted(changed)))
    return edits


def write(root: Path, edits: list[Edit]) -> None:
    """Write the edits, each file replaced whole (temporary file, then rename); on any
    failure the files already written are put back."""
    done: list[Edit] = []
    try:
        for e in edits:
            _replace(root / e.rel, e.after)
            done.append(e)
    except OSError:
        for e in reversed(done):
            _replace(root / e.rel, e.before)
        raise


def undo(root: Path, edits: list[Edit]) -> None:
    for e in reversed(edits):
        _replace(root / e.rel, e.before)


def _replace(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.prep-mv")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
