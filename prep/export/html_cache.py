"""Rendered HTML kept between Anki exports, so an unchanged re-export skips the renderer.

markdown-it and pygments are about two thirds of an export's time, and their output
depends on nothing but their input and themselves. So each rendering is stored under a
hash of exactly that: the text as handed to the renderer (fact citations already
resolved into it, in the export's language), the mode (block or inline), and the
renderer's identity (the source of prep/export/render.py, the versions of markdown-it-py,
mdit-py-plugins, pygments and Python). An edited card, a fact's new wording or a new
renderer is a new key: an entry is never stale, only unused. Unused entries are dropped
once they far outnumber the ones a whole export uses (both languages fit).

Not cached: texts with images (rendering them registers media files and reports bad
paths, which must happen on every export) and one-line plain texts (render's fast path
costs less than a hash).

Memory follows the export, not the table: an entry is looked up when its text comes
(a primary-key probe, ~10 us), never loaded with the rest, and new renderings are
written FLUSH_ROWS at a time while the export goes on. Only the keys this export used
stay in memory (32 bytes each), for pruning. Writing before the package is complete is
harmless: an entry is never stale. (Asking for a chunk of notes' keys at once, `key IN
(...)`, was tried: 0.08 s instead of 0.11 s for 10,000 entries, most of it reading the
HTML itself, against a chunk's texts held ahead and a second way to look up.)

A first export (an empty table, or only another renderer's entries: after an upgrade)
would probe for every text and find nothing: 10,000 misses are ~0.1 s, 4% of the
export. So the first write of a renderer's entries also stores a marker row for that
renderer (its key hashed from the identity alone, no text); an export that finds no
marker probes only for texts it has itself written (a text repeated in the export).
The marker is an entry like the others: in use while its renderer exports, pruned
with the rest when it is not. Lost or stale, it costs time only: without it texts are
rendered again, with it (entries pruned behind it) probes miss.

It is a cache: failing to read or write it (a full disk, a locked or read-only
database) costs time, never the export; after one failed write it stops trying for the
rest of the export. Writes are short transactions that wait little for the lock and
give way between batches (prep.export.side_writes).
"""

from __future__ import annotations

import hashlib
import sqlite3
import sys
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path

from prep.export import render
from prep.export.side_writes import begin, guarded, write_rows
from prep.index.batches import GAP_S
from prep.index.conn import Database

FORMAT = b"prep export_html 1"
PRUNE_FACTOR = 3  # unused entries are dropped when the table holds this many times what an export used
FLUSH_ROWS = 1000  # new renderings held before they are written (~2 MB of HTML)
PRUNE_ROWS = 5000  # entries deleted per transaction


def renderer_identity(source: bytes | None) -> bytes | None:
    """What the rendered HTML depends on besides its text; None (no caching) without the
    renderer's source."""
    if source is None:
        return None
    import markdown_it
    import mdit_py_plugins
    import pygments

    parts = [FORMAT, b"%d.%d" % sys.version_info[:2], hashlib.sha256(source).digest()]
    parts += [v.encode() for v in (markdown_it.__version__, mdit_py_plugins.__version__, pygments.__version__)]
    return hashlib.sha256(b"\0".join(parts)).digest()


@cache
def current_renderer() -> bytes | None:
    try:
        source = Path(render.__file__).read_bytes()
    except OSError:  # pragma: no cover - an install without the source (frozen, zipped)
        source = None
    return renderer_identity(source)


def marker_key(renderer: bytes) -> bytes:
    """The key of the row saying `renderer` has entries in the table: no text's key (a
    text's hash covers a mode between the identity and the text)."""
    return hashlib.sha256(renderer + b"\0entries\0").digest()


def _needs_renderer(text: str) -> bool:
    return "![" in text or render._plain(text)


class HtmlCache:
    """`block(text, image=hook)` and `inline(text)`: render's markdown_to_html and
    inline_html, answered from the database when the same input was rendered before.
    New renderings are written as they pile up; `save(db, whole=...)` writes the rest."""

    def __init__(self, db: Database, renderer: bytes | None = None):
        self.renderer = renderer if renderer is not None else current_renderer()
        self.conn = db.conn
        self.new: dict[bytes, str] = {}  # rendered, not yet written
        self.used: set[bytes] = set()
        self.writable = True
        self._stored = False  # whether this renderer had entries when the export began (its marker)
        self._marked = False  # whether the marker is known to be in the table
        if self.renderer is None:
            return
        self._prefix = {mode: hashlib.sha256(self.renderer + mode) for mode in (b"\0block\0", b"\0inline\0")}
        self._marker = marker_key(self.renderer)
        self.used.add(self._marker)  # kept by this export's pruning
        self._stored = self._marked = self._lookup(self._marker) is not None

    def _key(self, mode: bytes, text: str) -> bytes:
        h = self._prefix[mode].copy()
        h.update(text.encode("utf-8", "surrogatepass"))
        return h.digest()

    def _lookup(self, key: bytes) -> str | None:
        try:
            row = self.conn.execute("SELECT html FROM export_html WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:  # unreadable now (locked schema, corrupt page): render instead
            return None
        return row[0] if row else None

    def _get(self, mode: bytes, text: str, fresh: Callable[[], str]) -> str:
        key = self._key(mode, text)
        html = self.new.get(key)
        if html is None:
            # Without the marker, the table can only hold what this export wrote (used).
            html = self._lookup(key) if self._stored or key in self.used else None
            self.used.add(key)
            if html is None:
                html = self.new[key] = fresh()
                if len(self.new) >= FLUSH_ROWS:
                    self.flush()
        return html

    def block(self, text: str, *, image: render.ImageHook | None = None) -> str:
        if not text or self.renderer is None or _needs_renderer(text):
            return render.markdown_to_html(text, image=image)
        return self._get(b"\0block\0", text, lambda: render.markdown_to_html(text, image=image))

    def inline(self, text: str) -> str:
        if not text or self.renderer is None or _needs_renderer(text):
            return render.inline_html(text)
        return self._get(b"\0inline\0", text, lambda: render.inline_html(text))

    # --- storing ------------------------------------------------------------------

    def flush(self) -> bool:
        """Write the renderings held so far; False when the database refused (then the
        rest of this export writes nothing: nothing is raised, it is a cache)."""
        rows, self.new = list(self.new.items()), {}
        if not rows or not self.writable:
            return self.writable
        if not self._marked:  # with the first entries, in their transaction
            rows.append((self._marker, ""))
        if not guarded(self.conn, lambda: write_rows(self.conn, "INSERT OR REPLACE INTO export_html (key, html) VALUES (?, ?)", rows)):
            self.writable = False
            return False
        self._marked = True
        return True

    def save(self, db: Database, *, whole: bool) -> bool:
        """Write what is left and, after an export of everything, drop entries long unused;
        False when the database refused."""
        if not self.flush():
            return False
        return not whole or self.renderer is None or guarded(self.conn, self._prune)

    def _prune(self) -> None:
        """Delete the entries this export did not use, once they far outnumber those it
        did: their rowids are found by reading keys only, then deleted a batch at a time."""
        conn = self.conn
        (stored,) = conn.execute("SELECT count(*) FROM export_html").fetchone()
        if stored <= PRUNE_FACTOR * max(len(self.used), 1):
            return
        used = self.used
        unused = [(rowid,) for rowid, key in conn.execute("SELECT rowid, key FROM export_html") if key not in used]
        for i in range(0, len(unused), PRUNE_ROWS):
            if i:
                time.sleep(GAP_S)
            begin(conn)
            conn.executemany("DELETE FROM export_html WHERE rowid = ?", unused[i : i + PRUNE_ROWS])
            conn.execute("COMMIT")
