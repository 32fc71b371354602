"""YAML in, plain data and line numbers out, safely.

PyYAML's constructors lose positions, silently keep the last of two duplicate keys
and expand aliases without limit (the "billion laughs" bomb). We read libyaml's
events with `CSafeLoader` (never an unsafe loader) and build the Python values
ourselves, as `yaml.compose` would resolve them, recording the line of every value by
its path, rejecting duplicate keys and capping the number of expanded nodes. A plain
document (most are) is read by prep.kb.yamlplain, with fewer Python calls per event.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    NodeEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from prep.errors import ContentError
from prep.kb.yamlplain import plain_document

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
_MERGE = "tag:yaml.org,2002:merge"
_DEFAULT_TAGS = {ScalarNode: _STR, SequenceNode: _PLAIN_TAGS[0], MappingNode: _PLAIN_TAGS[1]}


class _Budget(Exception):
    pass


_ENTER = (SequenceStartEvent, MappingStartEvent)
_LEAVE = (SequenceEndEvent, MappingEndEvent)


class _Events:
    """libyaml's events, one at a time, with each anchored subtree kept for its aliases.

    Composing the whole node graph first (what `yaml.compose` does) held ~20 bytes of
    nodes and marks per byte of YAML: 5.6 MB for a 500-card deck, the largest part of a
    resync's peak memory. Events are dropped as soon as they are built, except those of
    an anchored value, which an alias replays."""

    def __init__(self, text: str):
        self.parser = Loader(text)
        self.get_event = self.parser.get_event
        self.replays: list[Iterator[Any]] = []
        self.recording: list[list[Any]] = []  # [anchor, depth, events, first event]
        self.anchors: dict[str, tuple[list[Any], Any]] = {}

    def close(self) -> None:
        self.parser.dispose()

    def next(self) -> Any:
        if self.replays:
            return self._replayed()
        event = self.get_event()
        if self.recording or getattr(event, "anchor", None) is not None:
            self._record(event)
        return event

    def _replayed(self) -> Any:
        while self.replays:
            event = next(self.replays[-1], None)
            if event is not None:
                return event
            self.replays.pop()
        return self.next()

    def _record(self, event: Any) -> None:
        kind = type(event)
        step = 1 if kind in _ENTER else -1 if kind in _LEAVE else 0
        for rec in self.recording:
            rec[1] += step
            rec[2].append(event)
        anchor = event.anchor if kind is not AliasEvent and isinstance(event, NodeEvent) else None
        if anchor is not None:
            first = self.anchors[anchor][1] if anchor in self.anchors else next((rec[3] for rec in self.recording if rec[0] == anchor), None)
            if first is not None:
                raise ComposerError("found duplicate anchor; first occurrence", first.start_mark, "second occurrence", event.start_mark)
            self.recording.append([anchor, step, [event], event])
        while self.recording and self.recording[-1][1] == 0:
            name, _, events, first = self.recording.pop()
            self.anchors[name] = (events, first)

    def replay(self, alias: Any) -> Any:
        """The first event of the value `alias` names; the rest follow from next()."""
        got = self.anchors.get(alias.anchor)
        if got is None:
            inside = any(rec[0] == alias.anchor for rec in self.recording)
            problem = (
                f"alias *{alias.anchor} is inside its own anchor &{alias.anchor} (a cycle)" if inside else f"found undefined alias {alias.anchor!r}"
            )
            raise ComposerError(None, None, problem, alias.start_mark)
        events = iter(got[0])
        self.replays.append(events)
        return next(events)

    def skip(self, event: Any) -> None:
        """Consume the rest of the value `event` starts."""
        depth = 1 if type(event) in _ENTER else 0
        while depth:
            kind = type(self.next())
            depth += 1 if kind in _ENTER else -1 if kind in _LEAVE else 0

    def tag(self, event: Any, kind: type) -> str:
        tag = event.tag
        if tag is None or tag == "!":
            # Only a plain scalar is resolved by its text (int, bool, null...); anything else
            # takes its kind's default tag, as the resolver would (the safe loader has no path
            # resolvers). Calling the resolver for every node was a fifth of a deck's parse.
            if kind is ScalarNode and event.implicit[0]:
                return self.parser.resolve(kind, event.value, event.implicit)
            return _DEFAULT_TAGS[kind]
        return tag

    @staticmethod
    def is_merge_key(event: Any) -> bool:
        """Whether a mapping key is YAML's merge key: a plain `<<` or one tagged !!merge
        (the resolver's one match for it), without resolving every key."""
        tag = event.tag
        if tag is None:
            return event.implicit[0] and event.value == "<<"
        return tag == _MERGE


class _Builder:
    def __init__(self, events: _Events, line_offset: int):
        self.events = events
        self.constructor = SafeConstructor()
        self.lines: LineMap = {}
        self.errors: list[tuple[int, tuple, str]] = []
        self.nodes = 0
        self.offset = line_offset

    def document(self) -> Any:
        """The one document's value (None for an empty stream)."""
        events = self.events
        events.next()  # StreamStartEvent
        start = events.next()
        if type(start) is StreamEndEvent:
            return None
        data = self.build(events.next(), ())
        events.next()  # DocumentEndEvent
        end = events.next()
        if type(end) is not StreamEndEvent:
            raise ComposerError("expected a single document in the stream", start.start_mark, "but found another document", end.start_mark)
        return data

    def build(self, event, path: tuple, key: str = "") -> Any:
        # `key` is path_key(path), built incrementally: joining the tuple at every node
        # was a fifth of the parse time of a large deck.
        kind = type(event)
        if kind is AliasEvent:
            event = self.events.replay(event)
            kind = type(event)
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _Budget()
        line = event.start_mark.line + 1 + self.offset
        self.lines[key] = line
        if kind is ScalarEvent:
            return self._scalar(event, path, line)
        tag = self.events.tag(event, SequenceNode if kind is SequenceStartEvent else MappingNode)
        if tag not in _PLAIN_TAGS:
            self.errors.append((line, path, f"unsupported value: tag {tag}"))
            self.events.skip(event)
            return None
        if kind is SequenceStartEvent:
            return self._sequence(path, key)
        if kind is MappingStartEvent:
            return self._mapping(path, key)
        raise AssertionError(f"unexpected event {event!r}")  # pragma: no cover

    def _scalar(self, event, path: tuple, line: int) -> Any:
        tag = self.events.tag(event, ScalarNode)
        if tag == _STR:  # what SafeConstructor gives for a string, without its bookkeeping
            return event.value
        node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            value = self.constructor.construct_object(node, deep=True)
        except yaml.YAMLError as e:
            # Unknown or unsafe tags (!!python/object...) are content errors, not crashes.
            self.errors.append((line, path, f"unsupported value: {getattr(e, 'problem', None) or e}"))
            return None
        if not isinstance(value, (str, int, float, bool, type(None))):
            # Dates, binary... our formats have no such fields; keep the text.
            value = event.value
        return value

    def _sequence(self, path: tuple, key: str) -> list:
        prefix = key + "." if key else ""
        out: list = []
        next_event = self.events.next
        while type(event := next_event()) is not SequenceEndEvent:
            i = len(out)
            out.append(self.build(event, (*path, i), f"{prefix}{i}"))
        return out

    def _mapping(self, path: tuple, key: str) -> dict:
        events = self.events
        out: dict = {}
        while type(key_event := events.next()) is not MappingEndEvent:
            if type(key_event) is AliasEvent:
                key_event = events.replay(key_event)
            key_line = key_event.start_mark.line + 1 + self.offset
            if type(key_event) is not ScalarEvent:
                self.errors.append((key_line, path, "mapping keys must be plain strings"))
                events.skip(key_event)
                events.skip(events.next())
                continue
            if events.is_merge_key(key_event):
                self.errors.append((key_line, path, "merge keys (<<) are not supported"))
                events.skip(events.next())
                continue
            name = str(key_event.value)
            if name in out:
                self.errors.append((key_line, (*path, name), f"duplicate key '{name}'"))
                events.skip(events.next())
                continue
            child_key = f"{key}.{name}" if key else name
            out[name] = self.build(events.next(), (*path, name), child_key)
            self.lines[child_key] = key_line
        return out


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
    plain = plain_document(text, Loader, line_offset, MAX_NODES)
    if plain is not None:
        return plain[0], plain[1], []
    return parse_events(text, rel, line_offset)


def parse_events(text: str, rel: str, line_offset: int = 0) -> tuple[Any, LineMap, list[ContentError]]:
    """parse_yaml with the builder that handles every document (and names every error)."""
    events: _Events | None = None
    try:
        events = _Events(text)
        builder = _Builder(events, line_offset)
        data = builder.document()
    except _Budget:
        return None, {}, [ContentError(rel, 1 + line_offset, "", f"document expands to more than {MAX_NODES:,} nodes (an alias bomb?)")]
    except RecursionError:
        return None, {}, [ContentError(rel, 1 + line_offset, "", "document is nested too deeply")]
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
    finally:
        if events is not None:
            events.close()
    if not builder.lines:  # an empty stream
        return None, {"": 1 + line_offset}, []
    errors = [ContentError(rel, line, format_path(path), msg) for line, path, msg in builder.errors]
    return data, builder.lines, errors
