"""Export the knowledge base as an Anki package (.apkg) that re-imports cleanly.

Anki matches an imported note to one it has by guid, and replaces it only when the
incoming note's mod time is newer. So this module is about identity and time: the
guid comes from the card id (never the text), a note's mod time is when the content
it shows last changed (from the index, never "now"), and note type and deck ids are
constants. Exporting again then updates edited notes in place, keeps their review
history, leaves untouched notes alone and never duplicates anything.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import re
import sqlite3
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import genanki

from prep.errors import PrepError
from prep.export import notetypes
from prep.export.render import ImageRef, MediaCollector, escape, inline_html, markdown_to_html, neutralize_anki
from prep.index import read
from prep.index.conn import Database
from prep.index.db import get_meta, set_meta
from prep.index.db import loads as _j
from prep.index.facts import Citations
from prep.index.facts import facts as fact_rows
from prep.kb.marks import citations, walk_text
from prep.kb.vocab import claim_text, pick

ROOT_DECK = "Interview Prep"
STORIES_DECK = {"zh": "STAR 故事", "en": "STAR stories"}
# When the HTML this module makes from unchanged content last changed. No note is
# older, so a prep upgrade that renders differently updates each note once. Bump it
# (to the current time, never a future one) with any change to the rendered fields.
RENDER_EPOCH = 1_796_083_200  # 2026-12-01: gists, fact citations, assumption spans (and FIELDS_GRACE)

# How far ahead the first export after a note-type field change dates its notes: the
# time a user takes to import it (see _Exporter).
FIELDS_GRACE = 3600

# stage ("render" | "write"), done, total
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
        return f"{self.notes} notes ({self.qa} Q&A, {self.stories} stories), {self.cards} cards, {self.media} media files, {self.decks} decks"


def deck_id(name: str) -> int:
    """A stable Anki deck id for a deck name, in [2^30, 2^31)."""
    h = int.from_bytes(hashlib.sha1(name.encode("utf-8")).digest()[:8], "big")
    return (1 << 30) + h % (1 << 30)


def _deck_part(text: str) -> str:
    # "::" is Anki's hierarchy separator; a name containing it would nest by accident.
    return " ".join(text.replace("::", ":").split())


def _tag(text: str) -> str:
    return re.sub(r"\s+", "_", text.strip())


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


class _Note(genanki.Note):
    """A note written with its own mod time: genanki stamps every note with the export
    time, which would make Anki overwrite every note (and the user's edits) on import."""

    def __init__(self, *args, mod: int, tick: Callable[[], None] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.mod = mod
        self.tick = tick

    def write_to_db(self, cursor, timestamp, deck_id, id_gen):
        super().write_to_db(cursor, self.mod, deck_id, id_gen)
        if self.tick:
            self.tick()


class _Exporter:
    """Builds genanki notes from the index rows, one language, one knowledge base."""

    def __init__(self, db: Database, root: Path, lang: str):
        self.lang = lang
        self.media = MediaCollector(root)
        self.qa_model = notetypes.qa_model()
        self.story_model = notetypes.story_model()
        self.decks: dict[str, genanki.Deck] = {}
        self.deck_rows = {r["id"]: r for r in db.query("SELECT id, name, project, description, file FROM decks WHERE archived = 0")}
        self.projects = {r["id"]: pick(_j(r["company"]), lang) or r["id"] for r in db.query("SELECT id, company FROM projects WHERE archived = 0")}
        self.claims = {r["id"]: r for r in db.query("SELECT id, project, text, en, changed_at FROM claims WHERE archived = 0")}
        self.cards = list(
            db.query(
                "SELECT id, deck, q, a, gist, claims, tags, kind, difficulty, followups, source, file, line, changed_at "
                "FROM cards WHERE archived = 0 ORDER BY position"
            )
        )
        self.card_by_id = {r["id"]: r for r in self.cards}
        self.stories = list(
            db.query(
                "SELECT id, title, claims, competencies, tags, sections, followups, file, line, changed_at "
                "FROM stories WHERE archived = 0 ORDER BY position"
            )
        )
        self._question_html: dict[str, str] = {}
        self.cite = Citations(db)  # {{fact:ID}} renders as the fact's text
        self.fact_claim = {f.id: f.claim for f in fact_rows(db)}
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
        return [self.fact_claim[f] for v in values for t in walk_text(v) for f in citations(t) if f in self.fact_claim]

    def _claim_text(self, claim_id: str) -> str:
        row = self.claims.get(claim_id)
        return claim_text(_j(row["text"]), row["en"], self.lang) if row else ""

    def claims_html(self, ids: list[str]) -> str:
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

    def card_note(self, r, due: int, tick) -> _Note:
        lang = self.lang
        where = f"{r['file']}:{r['line']}: card {r['id']}"
        ref = ImageRef()
        hook = self.media.hook(r["file"], where, ref)
        claims, followups, tags = _j(r["claims"]) or [], _j(r["followups"]) or [], _j(r["tags"]) or []
        question = markdown_to_html(self.text(_j(r["q"])), image=hook)
        fq = [f"<li>{inline_html(self.text(_j(self.card_by_id[f]['q'])))}</li>" for f in followups if f in self.card_by_id]
        fields = [
            question or f"<p>{escape(r['id'])}</p>",  # an empty front would make no Anki card
            markdown_to_html(self.text(_j(r["a"])), image=hook),
            self.claims_html(claims),
            f'<ul class="followups">{"".join(fq)}</ul>' if fq else "",
            _source_html(r["source"]),
            markdown_to_html(self.text(_j(r["gist"])), image=hook),
        ]
        fields.append(notetypes.legend(fields, lang))
        deck_row = self.deck_rows.get(r["deck"])
        topic = _deck_part(pick(_j(deck_row["name"]), lang) if deck_row else "") or r["deck"]
        project = self._project_part(deck_row["project"]) if deck_row else None
        name = "::".join(p for p in (ROOT_DECK, project, topic) if p)
        if name not in self.decks:
            desc = ""
            if deck_row and deck_row["description"]:
                hook = self.media.hook(deck_row["file"], f"{deck_row['file']}: deck description")
                desc = markdown_to_html(pick(_j(deck_row["description"]), lang), image=hook)
            self._deck(name, desc)
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
            *(_ts(self.card_by_id[f]["changed_at"]) for f in followups if f in self.card_by_id),
            *(_ts(self.claims[c]["changed_at"]) for c in [*claims, *self.cited_claims(_j(r["q"]), _j(r["a"]), _j(r["gist"]))] if c in self.claims),
        )
        note = _Note(self.qa_model, [neutralize_anki(f) for f in fields], tags=note_tags, guid=genanki.guid_for(r["id"]), due=due, mod=mod, tick=tick)
        self.decks[name].add_note(note)
        return note

    def story_note(self, r, due: int, tick) -> _Note:
        lang = self.lang
        where = f"{r['file']}:{r['line']}: story {r['id']}"
        ref = ImageRef()
        hook = self.media.hook(r["file"], where, ref)
        sections = _j(r["sections"]) or {}
        claims = _j(r["claims"]) or []

        def section(name: str) -> str:
            return markdown_to_html(self.text(sections.get(name)), image=hook)

        items = []
        for f in _j(r["followups"]) or []:
            notes = markdown_to_html(self.text(f.get("notes")), image=hook)
            items.append(f"<li>{inline_html(self.text(f['question']))}" + (f'<div class="notes">{notes}</div>' if notes else "") + "</li>")
        fields = [
            inline_html(pick(_j(r["title"]), lang)) or escape(r["id"]),
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
        self._deck(name)
        tags = ["story"] + [_tag(t) for t in _j(r["tags"]) or []] + [f"competency::{c}" for c in _j(r["competencies"]) or []]
        tags += [f"claim::{c}" for c in claims]
        shown = [*claims, *self.cited_claims(sections, _j(r["followups"]))]
        mod = self._mod(_ts(r["changed_at"]), ref.mtime, *(_ts(self.claims[c]["changed_at"]) for c in shown if c in self.claims))
        # Salted with the kind since ids were once unique per kind only; changing it now
        # would duplicate every story note in the collections that imported it.
        guid = genanki.guid_for("story", r["id"])
        note = _Note(self.story_model, [neutralize_anki(f) for f in fields], tags=tags, guid=guid, due=due, mod=mod, tick=tick)
        self.decks[name].add_note(note)
        return note


def _selected(db: Database, table: str, selection: tuple[str, list] | None) -> set[str]:
    """Ids of `table` matching a `prep.index.read` filter (None selects nothing)."""
    if selection is None:
        return set()
    where, params = selection
    return {r[0] for r in db.execute(f"SELECT id FROM {table} WHERE {where}", params)}


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
        raise ExportError(f"{out}: the folder {out.parent} does not exist")
    ex = _Exporter(db, Path(root), lang)
    # The same selection as `prep list` and the study queue; stories only when no card-only
    # filter (--deck, --kind) is given. Rows keep the knowledge base's order.
    picked = _selected(db, "cards", read.card_filter(deck=deck, claim=claim, tag=tag, kind=kind))
    cards = [r for r in ex.cards if r["id"] in picked]
    story_selection = read.story_filter(deck=deck, claim=claim, tag=tag, kind=kind) if stories else None
    picked = _selected(db, "stories", story_selection)
    chosen_stories = [r for r in ex.stories if r["id"] in picked]
    total = len(cards) + len(chosen_stories)
    if total == 0:
        raise ExportError("nothing to export: no card or story matches the selection")
    done = itertools.count(1)
    written = itertools.count(1)

    def tick():
        if progress:
            progress("write", next(written), total)

    notes = []
    # due = position in the export: Anki shows new cards in document order.
    for due, r in enumerate(cards):
        notes.append(ex.card_note(r, due, tick))
        if progress:
            progress("render", next(done), total)
    for due, r in enumerate(chosen_stories, start=len(cards)):
        notes.append(ex.story_note(r, due, tick))
        if progress:
            progress("render", next(done), total)
    if ex.media.errors:
        n = len(ex.media.errors)
        raise ExportError(f"{n} image problem(s); nothing was written:\n  " + "\n  ".join(ex.media.errors))

    # the note types' mod time too: their templates must beat the merge's re-stamp
    _write_apkg(list(ex.decks.values()), ex.media.files, out, max(time.time(), ex.fields_at))
    if ex.lang_changed or get_meta(db, "anki_export_lang") is None:
        set_meta(db, "anki_export_lang", lang)
        set_meta(db, "anki_export_lang_at", str(ex.lang_at))
    if ex.fields_changed or get_meta(db, "anki_export_fields") is None:
        set_meta(db, "anki_export_fields", ex.fields)
        set_meta(db, "anki_export_fields_at", str(ex.fields_at))
    return ExportResult(
        path=out.resolve(),
        notes=len(notes),
        cards=sum(len(n.cards) for n in notes),
        media=len(ex.media.files),
        decks=len(ex.decks),
        qa=len(cards),
        stories=len(chosen_stories),
    )


def _write_apkg(decks: list[genanki.Deck], media: dict[str, Path], out: Path, timestamp: float) -> None:
    """genanki's Package.write_to_file, but atomic (a failed export never leaves half a
    file; only a regular file is replaced, see prep.fsio), with its temporary database next
    to the target rather than leaked into the temp folder, and with media stored under their
    content-hash names straight from the knowledge base (no copies)."""
    from prep import fsio

    def write(tmp_out: Path) -> None:
        dbname = tmp_out.with_name(tmp_out.name + ".anki2")
        try:
            conn = sqlite3.connect(dbname)
            try:
                genanki.Package(decks).write_to_db(conn.cursor(), timestamp, itertools.count(int(timestamp * 1000)))
                conn.commit()
            finally:
                conn.close()
            with zipfile.ZipFile(tmp_out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z:
                z.write(dbname, "collection.anki2")
                z.writestr("media", json.dumps({str(i): name for i, name in enumerate(media)}))
                for i, src in enumerate(media.values()):
                    z.write(src, str(i))
        except sqlite3.Error as e:  # a full disk while genanki writes its database
            raise OSError(28, f"cannot write the package's database ({e})") from None
        finally:
            dbname.unlink(missing_ok=True)

    try:
        fsio.write_atomic(out, write)
    except PrepError as e:
        raise ExportError(str(e)) from None
