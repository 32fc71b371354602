"""YAML in, plain data and line numbers out, safely.

PyYAML's constructors lose positions, silently keep the last of two duplicate keys
and expand aliases without limit (the "billion laughs" bomb). We compose the node
graph with libyaml's `CSafeLoader` (never an unsafe loader) and build the Python
values ourselves, recording the line of every value by its path, rejecting
duplicate keys and capping the number of expanded nodes.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from prep.errors import ContentError

try:
    Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing; still safe, only slower
    Loader = yaml.SafeLoader

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_NODES = 2_000_000

LineMap = dict[str, int]


def path_key(path: tuple) -> str:
    return ".".join(str(p) for p in path)


def format_path(path: tuple) -> str:
    """`("cards", 3, "q")` -> `cards[3].q`, the way a user reads a field."""
    out = ""
    for p in path:
        if isinstance(p, int):
            out += f"[{p}]"
        else:
            out += f".{p}" if out else str(p)
    return out


def line_for(lines: LineMap, path: tuple) -> int:
    """The line of the deepest known prefix of `path` (1-based; 0 if unknown)."""
    path = tuple(path)
    while path:
        got = lines.get(path_key(path))
        if got:
            return got
        path = path[:-1]
    return lines.get("", 0)


_PLAIN_TAGS = ("tag:yaml.org,2002:seq", "tag:yaml.org,2002:map")
_STR = "tag:yaml.org,2002:str"


class _Budget(Exception):
    pass


class _Builder:
    def __init__(self, line_offset: int):
        self.constructor = SafeConstructor()
        self.lines: LineMap = {}
        self.errors: list[tuple[int, tuple, str]] = []
        self.nodes = 0
        self.offset = line_offset

    def build(self, node, path: tuple, key: str = "") -> Any:
        # `key` is path_key(path), built incrementally: joining the tuple at every node
        # was a fifth of the parse time of a large deck.
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _Budget()
        line = node.start_mark.line + 1 + self.offset
        self.lines[key] = line
        if isinstance(node, ScalarNode):
            if node.tag == _STR:  # what SafeConstructor gives for a string, without its bookkeeping
                return node.value
            try:
                value = self.constructor.construct_object(node, deep=True)
            except yaml.YAMLError as e:
                # Unknown or unsafe tags (!!python/object...) are content errors, not crashes.
                self.errors.append((line, path, f"unsupported value: {getattr(e, 'problem', None) or e}"))
                return None
            if not isinstance(value, (str, int, float, bool, type(None))):
                # Dates, binary... our formats have no such fields; keep the text.
                value = node.value
            return value
        if not isinstance(node, ScalarNode) and node.tag not in _PLAIN_TAGS:
            self.errors.append((line, path, f"unsupported value: tag {node.tag}"))
            return None
        if isinstance(node, SequenceNode):
            prefix = key + "." if key else ""
            return [self.build(child, (*path, i), f"{prefix}{i}") for i, child in enumerate(node.value)]
        if isinstance(node, MappingNode):
            out: dict = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode):
                    self.errors.append((key_node.start_mark.line + 1 + self.offset, path, "mapping keys must be plain strings"))
                    continue
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self.errors.append((key_node.start_mark.line + 1 + self.offset, path, "merge keys (<<) are not supported"))
                    continue
                name = str(key_node.value)
                if name in out:
                    self.errors.append((key_node.start_mark.line + 1 + self.offset, (*path, name), f"duplicate key '{name}'"))
                    continue
                child_key = f"{key}.{name}" if key else name
                out[name] = self.build(value_node, (*path, name), child_key)
                self.lines[child_key] = key_node.start_mark.line + 1 + self.offset
            return out
        raise AssertionError(f"unknown node {node!r}")  # pragma: no cover


def read_text(path, rel: str, data: bytes | None = None) -> tuple[str | None, list[ContentError]]:
    """Read a content file as UTF-8 text, refusing huge and binary files."""
    try:
        size = len(data) if data is not None else path.stat().st_size
    except OSError as e:
        return None, [ContentError(rel, 0, "", f"cannot read: {e.strerror}")]
    if size > MAX_FILE_BYTES:
        return None, [ContentError(rel, 0, "", f"file is {size / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES // 2**20} MiB per file (split the deck)")]
    if data is None:
        data = path.read_bytes()
    if b"\x00" in data:
        return None, [ContentError(rel, 0, "", "binary file (contains NUL bytes), not YAML/Markdown text")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        return None, [ContentError(rel, line, "", f"not valid UTF-8 text (byte {e.start})")]
    return text, []


def _flow_hint(e: yaml.MarkedYAMLError) -> str:
    """libyaml's "while parsing a flow mapping" almost always means a ':' or ',' inside
    `{en: ...}` text: say how to fix it."""
    if "flow mapping" in str(e.context or "") or "flow sequence" in str(e.context or ""):
        return '; a ":" or "," inside {...} or [...] ends the value: quote the text: {en: "..."}'
    return ""


def parse_yaml(text: str, rel: str, line_offset: int = 0) -> tuple[Any, LineMap, list[ContentError]]:
    """Parse one YAML document. Returns (data, lines, errors); data is None on a fatal error."""
    try:
        node = yaml.compose(text, Loader=Loader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = (mark.line + 1 + line_offset) if mark else 0
        msg = " ".join(str(x) for x in (e.context, e.problem) if x)
        return None, {}, [ContentError(rel, line, "", f"invalid YAML: {msg}{_flow_hint(e)}")]
    except yaml.reader.ReaderError as e:
        # A raw control character: libyaml gives a character offset, not a line.
        line = text[: e.position].count("\n") + 1 + line_offset
        char = e.character if isinstance(e.character, int) else ord(str(e.character)[:1] or "\0")
        return (
            None,
            {},
            [
                ContentError(
                    rel,
                    line,
                    "",
                    f'control character U+{char:04X} is not allowed in YAML; remove it, or write it as \\u{char:04X} inside a "double-quoted" string',
                )
            ],
        )
    except yaml.YAMLError as e:
        return None, {}, [ContentError(rel, 0, "", f"invalid YAML: {e}")]
    if node is None:
        return None, {"": 1 + line_offset}, []
    builder = _Builder(line_offset)
    try:
        data = builder.build(node, ())
    except _Budget:
        return None, {}, [ContentError(rel, 1 + line_offset, "", f"document expands to more than {MAX_NODES:,} nodes (an alias bomb?)")]
    except RecursionError:
        return None, {}, [ContentError(rel, 1 + line_offset, "", "document is nested too deeply")]
    errors = [ContentError(rel, line, format_path(path), msg) for line, path, msg in builder.errors]
    return data, builder.lines, errors
