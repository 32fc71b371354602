"""Export the knowledge base as an Anki package (.apkg) that re-imports cleanly.

Anki matches an imported note to one it has by guid, and replaces it only when the
incoming note's mod time is newer. So this module is about identity and time: the
guid comes from the card id (never the text), a note's mod time is when the content
it shows last changed (from the index, never "now"), and note type and deck ids are
constants. Exporting again then updates edited notes in place, keeps their review
history, leaves untouched notes alone and never duplicates anything.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import itertools
import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import genanki

from prep.errors import PrepError
from prep.export import anki_rows, notetypes
from prep.export.apkg import Note, write_apkg
from prep.export.html_cache import HtmlCache
from prep.export.note_mods import NoteMods
from prep.export.render import ImageRef, MediaCollector, escape, markdown_to_html, neutralize_anki
from prep.index.conn import Database
from prep.index.db import get_meta, own_connection, set_meta
from prep.index.db import loads as _j
from prep.index.facts import Citations
from prep.index.facts import facts as fact_rows
from prep.index.filters import card_filter, story_filter
from prep.index.sync import no_gc
from prep.kb.marks import citations, walk_text
from prep.kb.vocab import claim_text, count, pick

ROOT_DECK = "Interview Prep"
STORIES_DECK = {"zh": "STAR 故事", "en": "STAR stories"}
# When the HTML this module makes from unchanged content last changed. No note is
# older, so a prep upgrade that renders differently updates each note once. Bump it
# (to the current time, never a future one) with any change to the rendered fields.
RENDER_EPOCH = 1_796_083_200  # 2026-12-01: gists, fact citations, assumption spans (and FIELDS_GRACE)

# How far ahead the first export after a note-type field change dates its notes: the
# time a user takes to import it (see _Exporter).
FIELDS_GRACE = 3600

# stage ("render": each note is written as soon as it is rendered), done, total
Progress = Callable[[str, int, int], None]


class ExportError(PrepError):
    """The export cannot be written (bad images, nothing selected, bad output path)."""


@dataclass
class ExportResult:
    path: Path
    notes: int
    cards: int
    media: int
    decks: int
    qa: int
    stories: int

    def summary(self) -> str:
        """What was written, in English ('1 story', '3 stories')."""
        return (
            f"{count(self.notes, 'note')} ({self.qa} Q&A, {count(self.stories, 'story')}), {count(self.cards, 'card')}, "
            f"{count(self.media, 'media file')}, {count(self.decks, 'deck')}"
        )


def deck_id(name: str) -> int:
    """A stable Anki deck id for a deck name, in [2^30, 2^31)."""
    h = int.from_bytes(hashlib.sha1(name.encode("utf-8")).digest()[:8], "big")
    return (1 << 30) + h % (1 << 30)


def _deck_part(text: str) -> str:
    # "::" is Anki's hierarchy separator; a name containing it would nest by accident.
    return " ".join(text.replace("::", ":").split())


@lru_cache(maxsize=4096)  # a few tags, on thousands of notes
def _tag(text: str) -> str:
    return re.sub(r"\s+", "_", text.strip())


def _list(raw: str | None) -> list:
    return [] if not raw or raw == "[]" else _j(raw)


def _ts(iso_time: str | None) -> int:
    return int(dt.datetime.fromisoformat(iso_time).timestamp()) if iso_time else 0


_URL = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:)\]]")


def _source_html(text: str | None) -> str:
    if not text:
        return ""
    out, pos = [], 0
    for m in _URL.finditer(text):
        out += [escape(text[pos : m.start()]), f'<a href="{escape(m.group())}">{escape(m.group())}</a>']
        pos = m.end()
    out.append(escape(text[pos:]))
    return "".join(out)


class _Exporter:
    """Builds genanki notes from the index rows, one language, one knowledge base."""

    def __init__(self, db: Database, root: Path, lang: str, rows: Database | None = None):
        """Content from `rows` (the export's snapshot; `db` when None), the HTML cache and
        the export's own settings from `db`."""
        src = rows or db
        self.lang = lang
        self.media = MediaCollector(root)
        self.qa_model = notetypes.qa_model()
        self.story_model = notetypes.story_model()
        self.decks: dict[str, genanki.Deck] = {}
        self.deck_rows = {r["id"]: r for r in src.query("SELECT id, name, project, description, file FROM decks WHERE archived = 0")}
        self.projects = {r["id"]: pick(_j(r["company"]), lang) or r["id"] for r in src.query("SELECT id, company FROM projects WHERE archived = 0")}
        self.claims = {r["id"]: r for r in src.query("SELECT id, project, text, en, changed_at FROM claims WHERE archived = 0")}
        self.follows: dict[str, tuple[str, str | None]] = {}  # the current chunk's follow-ups (anki_rows.followed)
        self.html = HtmlCache(db)  # markdown_to_html / inline_html, rendered once per input
        self.mods = NoteMods(db)  # a note's mod kept while its content is the same
        self._card_decks: dict[str, genanki.Deck] = {}  # prep deck id -> its Anki deck
        self._claims_html: dict[tuple[str, ...], str] = {}
        self.cite = Citations(src)  # {{fact:ID}} renders as the fact's text
        self.fact_claim = {f.id: f.claim for f in fact_rows(src)}
        # A note's fields depend on the language; switching it must update every note once.
        prev = get_meta(db, "anki_export_lang")
        self.lang_changed = prev is not None and prev != lang
        self.lang_at = int(time.time()) if self.lang_changed else int(get_meta(db, "anki_export_lang_at", "0") or 0)
        # New note-type fields: Anki merges the note type on import and re-stamps every
        # existing note with the import time, so a note of the same package must be newer
        # than that import to be updated. The first export after a field change dates its
        # notes FIELDS_GRACE ahead; later edits are newer than that floor again.
        self.fields = json.dumps([[f["name"] for f in m.fields] for m in (self.qa_model, self.story_model)])
        last = get_meta(db, "anki_export_fields")
        self.fields_changed = prev is not None and last != self.fields
        floor = get_meta(db, "anki_export_fields_at", "0") or 0
        self.fields_at = int(time.time()) + FIELDS_GRACE if self.fields_changed else int(floor)

    # --- text -----------------------------------------------------------------

    def text(self, value) -> str:
        """A text field in the export's language, its fact citations resolved."""
        return self.cite(pick(value, self.lang), self.lang)

    def cited_claims(self, *values) -> list[str]:
        """The claims whose facts these texts cite: a fact's edit must update the note."""
        if not self.fact_claim:
            return []
        return [self.fact_claim[f] for v in values for t in walk_text(v) for f in citations(t) if f in self.fact_claim]

    def _claim_text(self, claim_id: str) -> str:
        row = self.claims.get(claim_id)
        return claim_text(_j(row["text"]), row["en"], self.lang) if row else ""

    def claim_ts(self, claim_id: str) -> int:
        row = self.claims.get(claim_id)
        return _ts(row["changed_at"]) if row else 0

    def claims_html(self, ids: list[str]) -> str:
        key = tuple(ids)
        html = self._claims_html.get(key)
        if html is None:
            html = self._claims_html[key] = self._claims_list(ids)
        return html

    def _claims_list(self, ids: list[str]) -> str:
        items = [f'<li><span class="claim">{escape(self._claim_text(c))}</span> <span class="id">{escape(c)}</span></li>' for c in ids]
        return f'<ul class="claims">{"".join(items)}</ul>' if items else ""

    def _deck(self, name: str, description: str = "") -> genanki.Deck:
        deck = self.decks.get(name)
        if deck is None:
            deck = self.decks[name] = genanki.Deck(deck_id(name), name, description)
        return deck

    def _project_part(self, project: str | None) -> str | None:
        return _deck_part(self.projects[project]) if project in self.projects else None

    def _mod(self, *times: int) -> int:
        return max(RENDER_EPOCH, self.lang_at, self.fields_at, *times)

    # --- notes ----------------------------------------------------------------

    def card_deck(self, deck: str) -> genanki.Deck:
        """The Anki deck of the cards of a prep deck: Interview Prep::project::topic."""
        found = self._card_decks.get(deck)
        if found is not None:
            return found
        lang = self.lang
        deck_row = self.deck_rows.get(deck)
        topic = _deck_part(pick(_j(deck_row["name"]), lang) if deck_row else "") or deck
        project = self._project_part(deck_row["project"]) if deck_row else None
        name = "::".join(p for p in (ROOT_DECK, project, topic) if p)
        if name not in self.decks:
            desc = ""
            if deck_row and deck_row["description"]:
                hook = self.media.hook(deck_row["file"], f"{deck_row['file']}: deck description")
                desc = markdown_to_html(pick(_j(deck_row["description"]), lang), image=hook)
            self._deck(name, desc)
        found = self._card_decks[deck] = self.decks[name]
        return found

    def card_note(self, r, due: int) -> tuple[genanki.Deck, Note]:
        ref = ImageRef()
        # Raw JSON holds "![" exactly when a text does (JSON escapes neither character).
        images = any("![" in (r[c] or "") for c in ("q", "a", "gist"))
        hook = self.media.hook(r["file"], f"{r['file']}:{r['line']}: card {r['id']}", ref) if images else None
        claims, followups, tags = _list(r["claims"]), _list(r["followups"]), _list(r["tags"])
        q, a, gist = _j(r["q"]), _j(r["a"]), _j(r["gist"])
        block = self.html.block
        follows = [self.follows[f] for f in followups if f in self.follows]
        fq = [f"<li>{self.html.inline(self.text(_j(raw)))}</li>" for raw, _ in follows]
        fields = [
            block(self.text(q), image=hook) or f"<p>{escape(r['id'])}</p>",  # an empty front would make no Anki card
            block(self.text(a), image=hook),
            self.claims_html(claims),
            f'<ul class="followups">{"".join(fq)}</ul>' if fq else "",
            _source_html(r["source"]),
            block(self.text(gist), image=hook),
        ]
        fields.append(notetypes.legend(fields, self.lang))
        note_tags = (
            [_tag(t) for t in tags]
            + [
                f"deck::{r['deck']}",
                f"kind::{r['kind']}",
                f"difficulty::{r['difficulty']}",
            ]
            + [f"claim::{c}" for c in claims]
        )
        # The note shows its follow-ups' questions and its claims' text: their edits count too.
        mod = self._mod(
            _ts(r["changed_at"]),
            ref.mtime,
            *(_ts(changed) for _, changed in follows),
            *(self.claim_ts(c) for c in claims),
            *(self.claim_ts(c) for c in self.cited_claims(q, a, gist)),
        )
        note = Note(self.qa_model, [neutralize_anki(f) for f in fields], note_tags, genanki.guid_for(r["id"]), due, mod)
        return self.card_deck(r["deck"]), note

    def story_note(self, r, due: int) -> tuple[genanki.Deck, Note]:
        lang = self.lang
        where = f"{r['file']}:{r['line']}: story {r['id']}"
        ref = ImageRef()
        hook = self.media.hook(r["file"], where, ref)
        sections = _j(r["sections"]) or {}
        claims = _j(r["claims"]) or []

        def section(name: str) -> str:
            return self.html.block(self.text(sections.get(name)), image=hook)

        items = []
        for f in _j(r["followups"]) or []:
            notes = self.html.block(self.text(f.get("notes")), image=hook)
            items.append(f"<li>{self.html.inline(self.text(f['question']))}" + (f'<div class="notes">{notes}</div>' if notes else "") + "</li>")
        fields = [
            self.html.inline(pick(_j(r["title"]), lang)) or escape(r["id"]),
            section("Situation"),
            section("Task"),
            section("Action"),
            section("Result"),
            f'<ul class="followups">{"".join(items)}</ul>' if items else "",
            self.claims_html(claims),
            section("Lessons"),
        ]
        fields.append(notetypes.legend(fields, lang))
        project = next((self._project_part(self.claims[c]["project"]) for c in claims if c in self.claims), None)
        name = "::".join(p for p in (ROOT_DECK, project, STORIES_DECK[lang]) if p)
        deck = self._deck(name)
        tags = ["story"] + [_tag(t) for t in _j(r["tags"]) or []] + [f"competency::{c}" for c in _j(r["competencies"]) or []]
        tags += [f"claim::{c}" for c in claims]
        shown = [*claims, *self.cited_claims(sections, _j(r["followups"]))]
        mod = self._mod(_ts(r["changed_at"]), ref.mtime, *(_ts(self.claims[c]["changed_at"]) for c in shown if c in self.claims))
        # Salted with the kind since ids were once unique per kind only; changing it now
        # would duplicate every story note in the collections that imported it.
        guid = genanki.guid_for("story", r["id"])
        note = Note(self.story_model, [neutralize_anki(f) for f in fields], tags, guid, due, mod)
        return deck, note


def _notes(ex: _Exporter, db: Database, cards: list[str], stories: list[str], progress: Progress | None) -> Iterator[tuple[genanki.Deck, Note]]:
    """(deck, note) of the selected cards, then stories, a chunk of rows read at a time;
    ExportError at the end if any image was bad (the package is then not written)."""
    done, total = itertools.count(1), len(cards) + len(stories)
    due = itertools.count()  # position in the export: Anki shows new cards in document order
    for rows in anki_rows.chunks(db, "cards", anki_rows.CARD_COLUMNS, cards):
        ex.follows = anki_rows.followed(db, rows)
        yield from _settled(ex, [ex.card_note(r, next(due)) for r in rows], progress, done, total)
    for rows in anki_rows.chunks(db, "stories", anki_rows.STORY_COLUMNS, stories):
        yield from _settled(ex, [ex.story_note(r, next(due)) for r in rows], progress, done, total)
    if ex.media.errors:
        n = len(ex.media.errors)
        listed = "\n  ".join(ex.media.errors)
        raise ExportError(f"{count(n, 'image problem')}; nothing was written:\n  {listed}", zh=f"{n} 处图片问题；什么都没有写入：\n  {listed}")


def _settled(
    ex: _Exporter, made: list[tuple[genanki.Deck, Note]], progress: Progress | None, done: Iterator[int], total: int
) -> Iterator[tuple[genanki.Deck, Note]]:
    """A chunk's notes, each keeping its last export's mod while its content is the same."""
    ex.mods.settle([note for _, note in made])
    for pair in made:
        yield pair
        if progress:
            progress("render", next(done), total)


@contextlib.contextmanager
def _snapshot(snap: Database, db: Database):
    """A read transaction on `snap`: every read in it sees the database as it was at its
    first read. (An in-memory database has one connection: no second writer to fear.)"""
    if snap is db:
        yield
        return
    snap.execute("BEGIN")
    try:
        yield
    finally:
        snap.execute("ROLLBACK")  # it only read


def export(
    db: Database,
    root: Path,
    out: Path,
    *,
    lang: str = "zh",
    deck: str | None = None,
    claim: str | None = None,
    tag: str | None = None,
    kind: str | None = None,
    stories: bool = True,
    progress: Progress | None = None,
) -> ExportResult:
    """Write the selected cards and stories of the indexed knowledge base at `root`
    (the caller syncs `db` first) to the .apkg file `out`."""
    out = Path(out)
    if not out.parent.is_dir():
        raise ExportError(f"{out}: the folder {out.parent} does not exist", zh=f"{out}：文件夹 {out.parent} 不存在")
    # Rows are read a chunk at a time while the package is written: from one snapshot (a
    # read transaction on a connection of their own), so a sync meanwhile (the TUI, another
    # `prep`) changes nothing of this package: it is the knowledge base at one moment, never
    # half before and half after an edit. The HTML cache writes on `db` beside it.
    with own_connection(db) as snap, _snapshot(snap, db):
        ex = _Exporter(db, Path(root), lang, rows=snap)
        # The same selection as `prep list` and the study queue; stories only when no
        # card-only filter (--deck, --kind) is given. Rows keep the knowledge base's order.
        cards = anki_rows.selected_ids(snap, "cards", card_filter(deck=deck, claim=claim, tag=tag, kind=kind))
        story_selection = story_filter(deck=deck, claim=claim, tag=tag, kind=kind) if stories else None
        chosen_stories = anki_rows.selected_ids(snap, "stories", story_selection)
        if not cards and not chosen_stories:
            raise ExportError("nothing to export: no card or story matches the selection", zh="没有可导出的内容：没有卡片或故事符合所选条件")
        # Rendering allocates millions of short-lived objects and nothing here makes cycles:
        # the cyclic GC would only rescan the ones alive (cf. prep.index.sync.no_gc).
        with no_gc():
            notes = _notes(ex, snap, cards, chosen_stories, progress)
            # the note types' mod time too: their templates must beat the merge's re-stamp
            try:
                n_notes, n_cards = write_apkg(notes, lambda: ex.media.files, out, max(time.time(), ex.fields_at))
            except PrepError as e:
                raise ExportError(str(e), zh=e.zh) from None
    # Renderings were written as they came (an entry is never stale); pruning waits for a
    # package that was written.
    ex.html.save(db, whole=deck is None and claim is None and tag is None and kind is None and stories)
    ex.mods.flush()
    if ex.lang_changed or get_meta(db, "anki_export_lang") is None:
        set_meta(db, "anki_export_lang", lang)
        set_meta(db, "anki_export_lang_at", str(ex.lang_at))
    if ex.fields_changed or get_meta(db, "anki_export_fields") is None:
        set_meta(db, "anki_export_fields", ex.fields)
        set_meta(db, "anki_export_fields_at", str(ex.fields_at))
    return ExportResult(
        path=out.resolve(),
        notes=n_notes,
        cards=n_cards,
        media=len(ex.media.files),
        decks=len(ex.decks),
        qa=len(cards),
        stories=len(chosen_stories),
    )
