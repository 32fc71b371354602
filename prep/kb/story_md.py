"""STAR stories as Markdown with YAML front matter.

Stories are prose a candidate rehearses aloud, so they live as Markdown a person
edits comfortably, split by headings (`# zh` / `# en` language blocks, then
`## Situation` ... `## Lessons`). This module turns one such file into plain data
with line numbers, ready for the same strict validation as the YAML files.
"""

from __future__ import annotations

import re

from prep.errors import ContentError
from prep.kb.models import LANGS, REQUIRED_SECTIONS, STORY_SECTIONS
from prep.kb.yamlsrc import LineMap, parse_yaml

_FENCE = re.compile(r"^\s*(```|~~~)")
_LANG_HEADING = re.compile(r"^#\s+(\S+)\s*$")
_SECTION_HEADING = re.compile(r"^##\s+(.+?)\s*#*\s*$")
_BULLET = re.compile(r"^[-*+]\s+(.*)$")
_ALIASES = {s.lower(): s for s in STORY_SECTIONS} | {"followups": "Follow-ups", "follow ups": "Follow-ups", "lesson": "Lessons"}


def parse_story(text: str, rel: str) -> tuple[dict | None, LineMap, list[ContentError]]:
    """Split front matter and body; returns (raw, lines, errors)."""
    lines_in = text.split("\n")
    if not lines_in or lines_in[0].strip() != "---":
        return None, {}, [ContentError(rel, 1, "", "a story starts with YAML front matter between '---' lines")]
    try:
        end = next(i for i in range(1, len(lines_in)) if lines_in[i].strip() in ("---", "..."))
    except StopIteration:
        return None, {}, [ContentError(rel, 1, "", "front matter is not closed with '---'")]
    front, lines, errors = parse_yaml("\n".join(lines_in[1:end]), rel, line_offset=1)
    if front is None and not errors:
        errors = [ContentError(rel, 2, "", "front matter is empty")]
    if front is not None and not isinstance(front, dict):
        errors.append(ContentError(rel, 2, "", "front matter must be a mapping of keys"))
        front = None
    sections, followups, body_errors = _parse_body(lines_in, end + 1, rel, (front or {}).get("lang", "zh"), lines)
    errors += body_errors
    if front is None:
        return None, lines, errors
    raw = dict(front)
    raw["sections"] = sections
    raw["followups"] = followups
    return raw, lines, errors


def _parse_body(all_lines: list[str], start: int, rel: str, default_lang: str, lines: LineMap):
    default_lang = default_lang if default_lang in LANGS else "zh"
    blocks, heading_line, errors = _blocks(all_lines, start, rel, default_lang, lines)
    if not blocks:
        errors.append(ContentError(rel, start + 1, "body", "no sections; a story needs ## Situation, ## Task, ## Action and ## Result"))
    for lang, secs in blocks.items():
        for req in REQUIRED_SECTIONS:
            if not "\n".join(secs.get(req, [])).strip():
                errors.append(ContentError(rel, heading_line[lang], f"{lang}.{req}", f"missing or empty section '## {req}'"))
    sections: dict[str, dict[str, str]] = {}
    per_lang_followups: dict[str, list[tuple[str, str]]] = {}
    for lang, secs in blocks.items():
        for name, body in secs.items():
            sections.setdefault(name, {})[lang] = "\n".join(body).strip()
        per_lang_followups[lang] = _followups(secs.get("Follow-ups", []))
    return sections, _zip_followups(per_lang_followups), errors


def _blocks(all_lines: list[str], start: int, rel: str, default_lang: str, lines: LineMap):
    """The body's lines by language block and section (outside code fences, `# zh` opens a
    language and `## Action` a section), with the line of each language's first heading."""
    errors: list[ContentError] = []
    blocks: dict[str, dict[str, list[str]]] = {}
    heading_line: dict[str, int] = {}
    lang: str | None = None
    section: str | None = None
    in_fence = False
    for i in range(start, len(all_lines)):
        line = all_lines[i]
        lineno = i + 1
        if _FENCE.match(line):
            in_fence = not in_fence
        if not in_fence:
            m = _LANG_HEADING.match(line)
            if m:
                lang = m.group(1).lower()
                if lang not in LANGS:
                    errors.append(ContentError(rel, lineno, "body", f"unknown language heading '# {m.group(1)}'; use '# zh' or '# en'"))
                    lang = "_ignored"
                elif lang in blocks:
                    errors.append(ContentError(rel, lineno, "body", f"language block '# {lang}' appears twice"))
                blocks.setdefault(lang, {})
                heading_line.setdefault(lang, lineno)
                section = None
                continue
            m = _SECTION_HEADING.match(line)
            if m:
                name = _ALIASES.get(m.group(1).strip().lower())
                if lang is None:
                    lang = default_lang
                    blocks.setdefault(lang, {})
                    heading_line.setdefault(lang, lineno)
                if name is None:
                    errors.append(
                        ContentError(rel, lineno, "body", f"unknown section '## {m.group(1)}'; expected one of {', '.join(STORY_SECTIONS)}")
                    )
                    section = None
                    continue
                if name in blocks[lang]:
                    errors.append(ContentError(rel, lineno, f"{lang}.{name}", "section appears twice"))
                section = name
                blocks[lang].setdefault(section, [])
                lines.setdefault(f"sections.{name}", lineno)
                continue
        if section is None or lang is None:
            if line.strip() and lang != "_ignored":
                errors.append(ContentError(rel, lineno, "body", "text outside a '## Situation/Task/Action/Result/Follow-ups/Lessons' section"))
            continue
        blocks[lang][section].append(line)
    blocks.pop("_ignored", None)
    return blocks, heading_line, errors


def _zip_followups(per_lang: dict[str, list[tuple[str, str]]]) -> list[dict]:
    """The i-th follow-up of every language block as one follow-up {question, notes}."""
    followups = []
    for i in range(max((len(v) for v in per_lang.values()), default=0)):
        q, notes = {}, {}
        for lang, items in per_lang.items():
            if i < len(items):
                q[lang] = items[i][0]
                if items[i][1]:
                    notes[lang] = items[i][1]
        followups.append({"question": q, "notes": notes or None})
    return followups


def _followups(body: list[str]) -> list[tuple[str, str]]:
    """Top-level bullets are questions; the indented lines under one are its notes."""
    items: list[tuple[str, list[str]]] = []
    for line in body:
        m = _BULLET.match(line)
        if m:
            items.append((m.group(1).strip(), []))
        elif items and line.strip():
            items[-1][1].append(line.strip())
    return [(q, "\n".join(n)) for q, n in items]
