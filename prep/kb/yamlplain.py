"""The common YAML document, read with fewer Python calls per event.

A content file is almost always plain: mappings, sequences and scalars, with no anchor,
alias, tag, merge key, duplicate key or key that is not a string. prep.kb.yamlsrc's
builder handles every case, and paid for it on every event of every file (a wrapper
call, a tag lookup, a merge-key test): 40 ms for a 500-card deck whose events libyaml
makes in 19. Here only the plain case is built, straight from libyaml's events; at the
first event it does not handle (and on any error) it gives up with None, and the full
builder reads the document from the start: it alone reports errors, so they, the data
and the line map are what it would give.
"""

from __future__ import annotations

from typing import Any

from yaml.constructor import SafeConstructor
from yaml.events import DocumentStartEvent, MappingEndEvent, MappingStartEvent, ScalarEvent, SequenceEndEvent, SequenceStartEvent, StreamEndEvent
from yaml.nodes import ScalarNode

_STR = "tag:yaml.org,2002:str"
# Deeper than any content file: past it the full builder decides (it may find the
# document nested too deeply, with its own recursion).
MAX_DEPTH = 64


class _NotPlain(Exception):
    pass


class _Plain:
    def __init__(self, parser: Any, offset: int):
        self.get = parser.get_event
        self.parser = parser
        self.offset = offset + 1  # libyaml's lines count from 0
        self.lines: dict[str, int] = {}
        self.nodes = 1  # the root; each container adds its values
        # Resolvers by first character (plus any for every text): a plain scalar whose first
        # character has none is a string without asking.
        self.resolvers = parser.yaml_implicit_resolvers
        self.wildcard = None in self.resolvers
        self.resolved: dict[str, Any] = {}  # plain text -> its value: ints, bools... repeat
        self.constructor: SafeConstructor | None = None

    def document(self) -> tuple[Any, dict[str, int]]:
        get = self.get
        get()  # StreamStartEvent
        if type(get()) is not DocumentStartEvent:  # an empty stream
            raise _NotPlain()
        event = get()
        self.lines[""] = event.start_mark.line + self.offset
        data = self.scalar(event) if type(event) is ScalarEvent else self.container(event, "", 0)
        get()  # DocumentEndEvent
        if type(get()) is not StreamEndEvent:
            raise _NotPlain()
        return data, self.lines

    def scalar(self, event: Any) -> Any:
        if event.tag is not None or event.anchor is not None:
            raise _NotPlain()
        value = event.value
        if not event.implicit[0] or (value[:1] not in self.resolvers and not self.wildcard):
            return value  # quoted, a block, or plain text no resolver claims: a string
        got = self.resolved.get(value, self)
        if got is self:
            got = self.resolved[value] = self._resolve(event)
        return got

    def _resolve(self, event: Any) -> Any:
        """As the full builder resolves and constructs a plain scalar (an error raises)."""
        tag = self.parser.resolve(ScalarNode, event.value, event.implicit)
        if tag == _STR:
            return event.value
        if self.constructor is None:
            self.constructor = SafeConstructor()
        value = self.constructor.construct_object(ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style), deep=True)
        return value if isinstance(value, (str, int, float, bool, type(None))) else event.value

    def container(self, event: Any, key: str, depth: int) -> Any:
        kind = type(event)
        if kind not in (MappingStartEvent, SequenceStartEvent) or event.tag is not None or event.anchor is not None or depth > MAX_DEPTH:
            raise _NotPlain()  # an alias, a tag, an anchor
        return self.mapping(key, depth) if kind is MappingStartEvent else self.sequence(key, depth)

    def mapping(self, key: str, depth: int) -> dict:
        # A key's line replaces its value's. Written before the value, for the line map's
        # order, and after it, as the full builder does: under a key '' the paths of the
        # value's own keys can be the key's path ('' again, or a sibling's).
        get, lines, offset, scalar = self.get, self.lines, self.offset, self.scalar
        prefix = key + "." if key else ""
        out: dict = {}
        while (kind := type(event := get())) is not MappingEndEvent:
            if kind is not ScalarEvent or event.tag is not None or event.anchor is not None:
                raise _NotPlain()
            name = event.value
            if name in out or (name == "<<" and event.implicit[0]):
                raise _NotPlain()  # a duplicate or a merge key: errors the full builder names
            child = prefix + name
            lines[child] = line = event.start_mark.line + offset
            event = get()
            if type(event) is ScalarEvent:
                out[name] = scalar(event)
            else:
                out[name] = self.container(event, child, depth + 1)
                lines[child] = line
        self.nodes += len(out)
        return out

    def sequence(self, key: str, depth: int) -> list:
        get, lines, offset, scalar = self.get, self.lines, self.offset, self.scalar
        prefix = key + "." if key else ""
        out: list = []
        while (kind := type(event := get())) is not SequenceEndEvent:
            child = f"{prefix}{len(out)}"
            lines[child] = event.start_mark.line + offset
            out.append(scalar(event) if kind is ScalarEvent else self.container(event, child, depth + 1))
        self.nodes += len(out)
        return out


def plain_document(text: str, loader: type, line_offset: int, max_nodes: int) -> tuple[Any, dict[str, int]] | None:
    """(data, lines) of the one document in `text`, if it is plain; else None."""
    parser = None
    try:
        parser = loader(text)
        builder = _Plain(parser, line_offset)
        data, lines = builder.document()
    except Exception:  # not plain, or a syntax error, a bad value...: the full builder says which
        return None
    finally:
        if parser is not None:
            parser.dispose()
    return (data, lines) if builder.nodes <= max_nodes else None
