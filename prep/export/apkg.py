"""Writing the .apkg file: genanki's collection, written in bulk, atomically.

genanki's `Package.write_to_file` writes one INSERT per note and per card, checks every
field against an HTML regex, validates tags one by one and keeps its SQLite file with
full journaling and fsyncs: about twice what the same rows cost here (10,000 notes),
the largest part of a re-export once the HTML is cached.
Here the same rows (genanki's schema, collection row, note type and deck JSON, ids
from the same counter in the same order) are built in one pass and inserted with
`executemany` into a scratch database without a journal (it is zipped, then deleted).
The package is written as prep.fsio does every output: to a temporary file, renamed
only when complete.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import genanki
from genanki.apkg_col import APKG_COL
from genanki.apkg_schema import APKG_SCHEMA


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


def _rows(decks: list[genanki.Deck], timestamp: float, tick: Callable[[], None] | None) -> tuple[dict, dict, list[tuple], list[tuple]]:
    ids = itertools.count(int(timestamp * 1000))
    deck_json: dict = {}
    model_json: dict = {}
    notes: list[tuple] = []
    cards: list[tuple] = []
    for d in decks:
        did = d.deck_id
        deck_json[str(did)] = d.to_json()
        for model in {n.model.model_id: n.model for n in d.notes}.values():
            model_json[str(model.model_id)] = model.to_json(timestamp, did)
        for n in d.notes:
            if len(n.fields) != len(n.model.fields):
                raise ValueError(f"note {n.guid}: {len(n.fields)} fields for a note type of {len(n.model.fields)}")
            if any(" " in t for t in n.tags):
                raise ValueError(f"note {n.guid}: a tag contains a space: {n.tags}")
            nid = next(ids)
            notes.append(
                (
                    nid,
                    n.guid,
                    n.model.model_id,
                    n.mod,
                    -1,
                    f" {' '.join(n.tags)} ",
                    "\x1f".join(n.fields),
                    n.fields[n.model.sort_field_index],
                    0,
                    0,
                    "",
                )
            )
            for ord_ in card_ords(n.model, n.fields):
                cards.append((next(ids), nid, did, ord_, n.mod, -1, 0, 0, n.due, 0, 0, 0, 0, 0, 0, 0, 0, ""))
            if tick:
                tick()
    return deck_json, model_json, notes, cards


def write_collection(path: Path, decks: list[genanki.Deck], timestamp: float, tick: Callable[[], None] | None = None) -> None:
    """The collection.anki2 of a package: genanki's schema and rows, in bulk; `tick()`
    after each note."""
    deck_json, model_json, notes, cards = _rows(decks, timestamp, tick)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = OFF")  # a scratch file: a crash just leaves it to delete
        conn.execute("PRAGMA synchronous = OFF")
        conn.executescript(APKG_SCHEMA)
        conn.executescript(APKG_COL)
        conn.execute("BEGIN")
        (decks_text, models_text) = conn.execute("SELECT decks, models FROM col").fetchone()
        conn.execute(
            "UPDATE col SET decks = ?, models = ?",
            (json.dumps({**json.loads(decks_text), **deck_json}), json.dumps({**json.loads(models_text), **model_json})),
        )
        conn.executemany("INSERT INTO notes VALUES (?,?,?,?,?,?,?,?,?,?,?)", notes)
        conn.executemany("INSERT INTO cards VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", cards)
        conn.execute("COMMIT")
    finally:
        conn.close()


def write_apkg(decks: list[genanki.Deck], media: dict[str, Path], out: Path, timestamp: float, tick: Callable[[], None] | None = None) -> None:
    """The package at `out`, atomically (a failed export never leaves half a file; only a
    regular file is replaced, see prep.fsio), with its scratch database next to the target
    rather than leaked into the temp folder, and media stored under their content-hash
    names straight from the knowledge base (no copies). Raises PrepError."""
    from prep import fsio

    def write(tmp_out: Path) -> None:
        dbname = tmp_out.with_name(tmp_out.name + ".anki2")
        try:
            write_collection(dbname, decks, timestamp, tick)
            with zipfile.ZipFile(tmp_out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z:
                z.write(dbname, "collection.anki2")
                z.writestr("media", json.dumps({str(i): name for i, name in enumerate(media)}))
                for i, src in enumerate(media.values()):
                    z.write(src, str(i))
        except sqlite3.Error as e:  # a full disk while the package's database is written
            raise OSError(28, f"cannot write the package's database ({e})") from None
        finally:
            dbname.unlink(missing_ok=True)

    fsio.write_atomic(out, write)
