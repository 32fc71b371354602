"""Writing the .apkg file: genanki's collection, written in bulk as notes come, atomically.

genanki's `Package.write_to_file` writes one INSERT per note and per card, checks every
field against an HTML regex, validates tags one by one and keeps its SQLite file with
full journaling and fsyncs: about twice what the same rows cost here (10,000 notes),
the largest part of a re-export once the HTML is cached. It also needs every note in
memory first (decks hold their notes), as did this module once: 50,000 notes held
their fields three times over (the notes, the rows, the cache) for a ~0.5 GB peak.
Here the same rows (genanki's schema, collection row, note type and deck JSON) are
built a note at a time as the exporter yields them, inserted with `executemany`
FLUSH_NOTES at a time into a scratch database without a journal (it is zipped, then
deleted); decks and note types are written last, from what the notes used. Ids come
from genanki's counter in the order the notes come (the export's order), where genanki
numbers deck by deck; Anki matches notes by guid and orders new cards by due, so only
the note's creation time shown in Anki's browser follows. The package is written as
prep.fsio does every output: to a temporary file, renamed only when complete.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import sqlite3
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import genanki
from genanki.apkg_col import APKG_COL
from genanki.apkg_schema import APKG_SCHEMA

FLUSH_NOTES = 1000  # notes held before their rows are inserted


@dataclass
class Note:
    """One note as Anki stores it: `mod` is when the content it shows last changed (never
    the export time: a newer mod makes Anki overwrite the user's copy on import)."""

    model: genanki.Model
    fields: list[str]
    tags: list[str]
    guid: str
    due: int
    mod: int

    @property
    def cards(self) -> list[int]:
        """The card ords Anki makes of this note (genanki's rule, from the model's `req`)."""
        return card_ords(self.model, self.fields)


def card_ords(model: genanki.Model, fields: list[str]) -> list[int]:
    out = []
    for ord_, any_or_all, required in model._req:
        present = (fields[i] for i in required)
        if any(present) if any_or_all == "any" else all(present):
            out.append(ord_)
    return out


class CollectionWriter:
    """A package's collection.anki2, filled by `add(deck, note)` and completed by
    `finish()`. SQLite's errors (a full disk) come out as OSError, as other files' do."""

    def __init__(self, path: Path, timestamp: float):
        self.timestamp = timestamp
        self.ids = itertools.count(int(timestamp * 1000))
        self.notes = self.cards = 0
        self.decks: dict[int, genanki.Deck] = {}
        self.models: dict[int, dict[int, genanki.Model]] = {}  # deck id -> the note types of its notes
        self._notes: list[tuple] = []
        self._cards: list[tuple] = []
        with _package_db():
            self.conn = sqlite3.connect(path, isolation_level=None)
            self.conn.execute("PRAGMA journal_mode = OFF")  # a scratch file: a crash just leaves it to delete
            self.conn.execute("PRAGMA synchronous = OFF")
            self.conn.executescript(APKG_SCHEMA)
            self.conn.executescript(APKG_COL)
            self.conn.execute("BEGIN")

    def add(self, deck: genanki.Deck, n: Note) -> None:
        model = n.model
        if len(n.fields) != len(model.fields):
            raise ValueError(f"note {n.guid}: {len(n.fields)} fields for a note type of {len(model.fields)}")
        if any(" " in t for t in n.tags):
            raise ValueError(f"note {n.guid}: a tag contains a space: {n.tags}")
        did = deck.deck_id
        if did not in self.decks:
            self.decks[did] = deck
            self.models[did] = {}
        self.models[did].setdefault(model.model_id, model)
        nid = next(self.ids)
        sort_field = n.fields[model.sort_field_index]
        self._notes.append((nid, n.guid, model.model_id, n.mod, -1, f" {' '.join(n.tags)} ", "\x1f".join(n.fields), sort_field, 0, 0, ""))
        for ord_ in card_ords(model, n.fields):
            self._cards.append((next(self.ids), nid, did, ord_, n.mod, -1, 0, 0, n.due, 0, 0, 0, 0, 0, 0, 0, 0, ""))
            self.cards += 1
        self.notes += 1
        if len(self._notes) >= FLUSH_NOTES:
            self._flush()

    def _flush(self) -> None:
        with _package_db():
            self.conn.executemany("INSERT INTO notes VALUES (?,?,?,?,?,?,?,?,?,?,?)", self._notes)
            self.conn.executemany("INSERT INTO cards VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", self._cards)
        self._notes, self._cards = [], []

    def finish(self) -> None:
        """The remaining rows, then the decks and note types the notes used."""
        self._flush()
        deck_json = {str(did): d.to_json() for did, d in self.decks.items()}
        model_json = {str(mid): m.to_json(self.timestamp, did) for did, models in self.models.items() for mid, m in models.items()}
        with _package_db():
            (decks_text, models_text) = self.conn.execute("SELECT decks, models FROM col").fetchone()
            self.conn.execute(
                "UPDATE col SET decks = ?, models = ?",
                (json.dumps({**json.loads(decks_text), **deck_json}), json.dumps({**json.loads(models_text), **model_json})),
            )
            self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()


@contextlib.contextmanager
def _package_db() -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as e:  # a full disk while the package's database is written
        raise OSError(28, f"cannot write the package's database ({e})") from None


def write_collection(path: Path, notes: Iterable[tuple[genanki.Deck, Note]], timestamp: float) -> tuple[int, int]:
    """The collection.anki2 of a package, from (deck, note) pairs as they come; the
    numbers of notes and cards written."""
    writer = CollectionWriter(path, timestamp)
    try:
        for deck, note in notes:
            writer.add(deck, note)
        writer.finish()
    finally:
        writer.close()
    return writer.notes, writer.cards


def write_apkg(notes: Iterable[tuple[genanki.Deck, Note]], media: Callable[[], dict[str, Path]], out: Path, timestamp: float) -> tuple[int, int]:
    """The package at `out`, atomically (a failed export never leaves half a file; only a
    regular file is replaced, see prep.fsio): the notes written as `notes` yields them
    (an exception it raises, such as bad images found on the way, writes nothing), then
    `media()`, stored under their content-hash names straight from the knowledge base
    (no copies). The scratch database sits next to the target rather than leaked into
    the temp folder. Returns the numbers of notes and cards; raises PrepError."""
    from prep import fsio

    written = (0, 0)

    def write(tmp_out: Path) -> None:
        nonlocal written
        dbname = tmp_out.with_name(tmp_out.name + ".anki2")
        try:
            written = write_collection(dbname, notes, timestamp)
            files = media()
            with zipfile.ZipFile(tmp_out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z:
                z.write(dbname, "collection.anki2")
                z.writestr("media", json.dumps({str(i): name for i, name in enumerate(files)}))
                for i, src in enumerate(files.values()):
                    z.write(src, str(i))
        finally:
            dbname.unlink(missing_ok=True)

    fsio.write_atomic(out, write)
    return written
