"""Markdown -> HTML for readers outside the terminal (Anki notes, printouts).

Content is written as Markdown but shown as HTML in places prep does not control,
so the rules live here once: raw HTML in content is shown as text, never passed
through (a card quoting `<script>` must not run it); code is highlighted with
inline styles, because a phone's Anki or a printed page has no pygments
stylesheet; and images are reported to a hook, so an exporter can pack them as
media with collision-free names and refuse paths that leave the knowledge base.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import unquote

from markdown_it import MarkdownIt
from mdit_py_plugins.attrs import attrs_plugin
from pygments import highlight as _pyg_highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

# An image hook gets the `src` of each `![alt](src)` and returns the src to emit.
ImageHook = Callable[[str], str]

PYGMENTS_STYLE = "default"
# Explicit colours on every code block: a dark-mode stylesheet may invert the block,
# and inherited text colour would then vanish into the background.
CODE_FG = "#1f2328"

_formatter = HtmlFormatter(noclasses=True, nowrap=True, style=PYGMENTS_STYLE)
_CODE_BG = _formatter.style.background_color or "#f8f8f8"
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@cache
def _lexer(lang: str):
    try:
        return get_lexer_by_name(lang)
    except ClassNotFound:
        return None


def escape(text: str) -> str:
    """HTML-escape text the way markdown-it does (&, <, >, ")."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def highlight_code(code: str, lang: str) -> str:
    """A `<pre>` block with inline-styled spans, or '' when the language is unknown."""
    lexer = _lexer(lang.lower()) if lang else None
    if lexer is None:
        return ""
    body = _pyg_highlight(code, lexer, _formatter)
    return f'<pre class="highlight" style="background: {_CODE_BG}; color: {CODE_FG}"><code class="language-{escape(lang)}">{body}</code></pre>\n'


def _md_highlight(code: str, lang: str, attrs: str) -> str:
    # markdown-it uses the result as-is when it starts with <pre>, else escapes the code itself.
    return highlight_code(code, lang)


def _new_md() -> MarkdownIt:
    # "html": False turns raw HTML into text; tables and ~~strike~~ are common in notes.
    # Bracketed spans carry assumptions ([11:40]{.assumed} -> <span class="assumed">); only
    # the class attribute passes, so no {onclick=...} reaches a reader.
    md = MarkdownIt("commonmark", {"html": False, "highlight": _md_highlight}).enable(["table", "strikethrough"])
    return md.use(attrs_plugin, spans=True, allowed=["class"])


_md = _new_md()

# One line that starts with a letter and holds none of Markdown's inline or block
# markers renders as itself in a <p>: most questions, titles and claims. Skipping the
# parser for them halves the cost of a 10,000-card export.
_PLAIN = re.compile(r"[^\W\d_][^\\`*_\[\]<>!&|~\x00-\x1f\x7f]*")


def _plain(text: str) -> bool:
    return _PLAIN.fullmatch(text) is not None and not text[-1].isspace()


def markdown_to_html(text: str, *, image: ImageHook | None = None) -> str:
    """Render Markdown to safe HTML (no trailing newline); `image`, if given, rewrites
    every image src."""
    if not text:
        return ""
    if _plain(text):
        return f"<p>{escape(text)}</p>"
    env: dict = {}
    tokens = _md.parse(text, env)
    if image is not None:
        for tok in tokens:
            for child in tok.children or ():
                if child.type == "image":
                    child.attrs["src"] = image(str(child.attrs.get("src", "")))
    return _md.renderer.render(tokens, _md.options, env).rstrip("\n")


def inline_html(text: str) -> str:
    """Render one line of Markdown without the surrounding <p> (titles, list items)."""
    if not text:
        return ""
    if _plain(text):
        return escape(text)
    return _md.renderInline(text).strip()


IMAGE_TYPES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".bmp"}


@dataclass
class ImageRef:
    """What one item's images resolved to; `mtime` is the newest image file's mtime."""

    mtime: int = 0


@dataclass
class MediaCollector:
    """Maps image paths in content to media files named by content hash.

    A hash name is unique across every knowledge base and stable across exports, so
    the same picture used by ten cards is packed once and an unchanged picture never
    looks new to Anki. Problems are collected, not raised, so one run reports them all.
    """

    root: Path
    prefix: str = "prep-"
    files: dict[str, Path] = field(default_factory=dict)  # media name -> source file
    errors: list[str] = field(default_factory=list)
    _names: dict[Path, tuple[tuple[int, int], str]] = field(default_factory=dict)

    def __post_init__(self):
        self.root = Path(self.root).resolve()

    def hook(self, rel_file: str, where: str, ref: ImageRef | None = None) -> ImageHook:
        """A hook for the content of `rel_file` (relative to root); `where` names the item
        in error messages, e.g. 'decks/x.yaml:12: card tw.basic'."""
        base = (self.root / rel_file).parent

        def resolve(src: str) -> str:
            if _SCHEME.match(src):
                if src.startswith(("http://", "https://", "data:image/")):
                    return src  # remote images stay remote; Anki fetches them when online
                self.errors.append(f"{where}: image '{src}': only relative paths inside the knowledge base or http(s) URLs")
                return src
            path_text = unquote(src.split("#", 1)[0].split("?", 1)[0])
            if not path_text:
                self.errors.append(f"{where}: image with an empty path")
                return src
            path = (base / path_text).resolve()
            if not path.is_relative_to(self.root):
                self.errors.append(f"{where}: image '{path_text}' is outside the knowledge base ({self.root})")
                return src
            if not path.is_file():
                rel = os.path.relpath(path, self.root)
                self.errors.append(f"{where}: image '{path_text}' not found (looked for {rel})")
                return src
            if path.suffix.lower() not in IMAGE_TYPES:
                self.errors.append(f"{where}: '{path_text}' is not an image ({', '.join(sorted(IMAGE_TYPES))})")
                return src
            st = path.stat()
            if ref is not None:
                ref.mtime = max(ref.mtime, int(st.st_mtime))
            return self._name(path, (st.st_mtime_ns, st.st_size))

        return resolve

    def _name(self, path: Path, stamp: tuple[int, int]) -> str:
        cached = self._names.get(path)
        if cached and cached[0] == stamp:
            return cached[1]
        digest = hashlib.sha1(path.read_bytes()).hexdigest()[:16]
        name = f"{self.prefix}{digest}{path.suffix.lower()}"
        self._names[path] = (stamp, name)
        self.files[name] = path
        return name


# The block structure (which lines are code) comes from markdown-it's own tokens. Block
# tokens only: fences and indented code are block rules, and the inline pass (a third of
# the parse: 4 of 13 s over a 50k-card Markdown export) would only be thrown away.
_blocks = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"]).disable("inline")
_BACKTICKS = re.compile(r"`+")
# A link destination or reference definition with a script scheme: dropped, the text kept.
_BAD_LINK = re.compile(r"\]\(\s*<?\s*(?:javascript|vbscript|data|file)\s*:[^()\n]*(?:\([^()\n]*\)[^()\n]*)*\)?", re.IGNORECASE)
_BAD_DEF = re.compile(r"^(\s{0,3}\[[^\]]+\]:)\s*<?\s*(?:javascript|vbscript|data|file)\s*:.*$", re.IGNORECASE | re.MULTILINE)


def _escape_text(text: str) -> str:
    text = _BAD_DEF.sub(r"\1 #", text)
    text = _BAD_LINK.sub("]", text)
    return text.replace("&", "&amp;").replace("<", "&lt;")


def _escape_outside_spans(text: str) -> str:
    """Escape `<` and `&` outside inline code, finding code spans by CommonMark's rule: a
    run of n backticks opens a span closed by the next run of exactly n; an unmatched run
    is literal text (and what follows it is text, not code)."""
    out, pos = [], 0
    search_from = 0
    while True:
        m = _BACKTICKS.search(text, search_from)
        if m is None:
            break
        if m.start() > 0 and text[m.start() - 1] == "\\":  # an escaped backtick is text
            search_from = m.start() + 1
            continue
        closer = next((c for c in _BACKTICKS.finditer(text, m.end()) if len(c.group()) == len(m.group())), None)
        if closer is None:
            search_from = m.end()
            continue
        out.append(_escape_text(text[pos : m.start()]))
        out.append(text[m.start() : closer.end()])
        pos = search_from = closer.end()
    out.append(_escape_text(text[pos:]))
    return "".join(out)


def neutralize_html(markdown: str) -> str:
    """Markdown with raw HTML shown as text: `<` and `&` outside code are escaped and links
    to `javascript:` (and other script schemes) dropped, so a sheet opened in any Markdown
    viewer cannot run a `<script>` quoted in a card. Code blocks are found by markdown-it
    (fences, indented code, inside lists and quotes alike) and left alone, as are code
    spans: they already show their text literally."""
    lines = markdown.split("\n")
    code = [False] * len(lines)
    for tok in _blocks.parse(markdown):
        if tok.type in ("fence", "code_block") and tok.map:
            for i in range(tok.map[0], min(tok.map[1], len(lines))):
                code[i] = True
    out: list[str] = []
    chunk: list[str] = []

    def flush() -> None:
        if chunk:
            out.extend(_escape_outside_spans("\n".join(chunk)).split("\n"))
            chunk.clear()

    for line, is_code in zip(lines, code, strict=True):
        if is_code or not line.strip():  # a blank line ends any paragraph, so any code span
            flush()
            out.append(line)
        else:
            chunk.append(line)
    flush()
    return "\n".join(out)


# Anki plays `[sound:x.mp3]` and speaks `[anki:tts]...` wherever they appear in a field's
# HTML, even inside <code>: an opening bracket as an entity shows the same text, inertly.
_AV_TAG = re.compile(r"\[(?=\s*(?:sound|anki)\s*:)", re.IGNORECASE)


def neutralize_anki(field_html: str) -> str:
    return _AV_TAG.sub("&#91;", field_html)
