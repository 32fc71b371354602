"""When each exported Anki note's content last changed, kept between exports.

Anki updates a note on import when the package's mod time is newer than its own copy's,
and the update overwrites the copy, edits the user made in Anki included. A note's mod
is worked out from the change times of the rows it draws on: its card or story, its
follow-ups, its claims, the facts it cites. Those are whole rows: a follow-up's answer
or a claim's private notes change them, and the note shows neither. On the built-in
knowledge base, one word changed in a claim's notes had Anki update 82 notes of 537, each
the same as before.

So each export keeps every note's content hash (note type, fields, tags) and the mod it
gave it. A note whose content is the same as at its last export keeps that mod; one
whose content changed gets the worked-out mod, and always a later one than it had (a
new renderer changes the HTML with no row changed). Rows are looked up a chunk of notes
at a time and written FLUSH_ROWS at a time while the export goes on: a written row is
never wrong, even if the package then fails, since it records only what the content was
and the mod it had then. Failing to read or write the table (locked, read-only, full)
costs only the over-eager updates of before, never the export.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence

from prep.export.apkg import Note
from prep.export.side_writes import guarded, write_rows
from prep.index.conn import Database

FLUSH_ROWS = 1000  # renewed mods held before they are written
WRITE = "INSERT OR REPLACE INTO anki_notes (guid, hash, mod) VALUES (?, ?, ?)"


def content_hash(note: Note) -> bytes:
    """What Anki compares of a note on import, besides its mod: its note type, fields and
    tags (one string, hashed in one call: a call per field was twice the time)."""
    text = f"{note.model.model_id}\x1f" + "\x1f".join(note.fields) + "\x1e" + "\x1f".join(note.tags)
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).digest()


class NoteMods:
    """`settle(notes)`: each note's mod kept or renewed against its last export;
    `flush()` writes what is left."""

    def __init__(self, db: Database):
        self.conn = db.conn
        self.new: list[tuple[str, bytes, int]] = []  # renewed, not yet written
        self.writable = True

    def settle(self, notes: Sequence[Note]) -> None:
        """Set each note's mod (in place): its last export's if its content is the same,
        else the worked-out mod, later than its last export's."""
        known = self._known([n.guid for n in notes])
        for note in notes:
            digest = content_hash(note)
            was = known.get(note.guid)
            if was is not None and was[0] == digest:
                note.mod = was[1]
                continue
            if was is not None:
                note.mod = max(note.mod, was[1] + 1)
            self.new.append((note.guid, digest, note.mod))
        if len(self.new) >= FLUSH_ROWS:
            self.flush()

    def _known(self, guids: list[str]) -> dict[str, tuple[bytes, int]]:
        if not guids:
            return {}
        sql = f"SELECT guid, hash, mod FROM anki_notes WHERE guid IN ({','.join('?' * len(guids))})"
        try:
            return {guid: (digest, mod) for guid, digest, mod in self.conn.execute(sql, guids)}
        except sqlite3.Error:  # unreadable now (locked schema, corrupt page): worked-out mods
            return {}

    def flush(self) -> bool:
        """Write the renewed mods held so far; False when the database refused (then the
        rest of this export writes none: nothing is raised)."""
        rows, self.new = self.new, []
        if rows and self.writable and not guarded(self.conn, lambda: write_rows(self.conn, WRITE, rows)):
            self.writable = False
        return self.writable
