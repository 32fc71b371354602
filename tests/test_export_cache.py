"""The rendered-HTML cache of Anki exports, and the bulk package writer.

A re-export answered from the cache must be the package a fresh rendering makes, byte
for byte; an edit (of a card, of a fact it cites, of the renderer) must re-render; and
the cache failing (a locked or full database) must never fail the export.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import sqlite3
import zipfile
from pathlib import Path

import genanki
import pytest
from conftest import write
from test_anki_export import N_NOTES, T0, assert_integrity, col, counts, do_export, import_apkg, package_notes, rich_kb  # noqa: F401  (fixtures)

from prep.export import anki, anki_rows, apkg, html_cache, render, side_writes
from prep.index.sync import sync

pytest.importorskip("anki")


def cached_rows(db) -> int:
    return db.execute("SELECT count(*) FROM export_html").fetchone()[0]


def count_renders(monkeypatch) -> list[str]:
    """The texts handed to markdown-it from now on."""
    seen: list[str] = []
    block, inline = render.markdown_to_html, render.inline_html

    def counted_block(text, *, image=None):
        seen.append(text)
        return block(text, image=image)

    def counted_inline(text):
        seen.append(text)
        return inline(text)

    monkeypatch.setattr(render, "markdown_to_html", counted_block)
    monkeypatch.setattr(render, "inline_html", counted_inline)
    return seen


def test_a_reexport_from_the_cache_is_byte_identical_to_a_fresh_one(rich_kb, db, tmp_path, monkeypatch):  # noqa: F811
    first = do_export(db, rich_kb, tmp_path / "first.apkg")
    assert cached_rows(db) > 0
    seen = count_renders(monkeypatch)
    again = anki.export(db, rich_kb, tmp_path / "again.apkg")
    # only texts with images are rendered again (their media must be registered each time)
    assert seen and all("![" in t or render._plain(t) for t in seen if t)
    with monkeypatch.context() as m:
        m.setattr(html_cache, "current_renderer", lambda: None)  # no cache at all
        fresh = anki.export(db, rich_kb, tmp_path / "fresh.apkg")
    assert package_notes(tmp_path / "again.apkg") == package_notes(tmp_path / "fresh.apkg") == package_notes(tmp_path / "first.apkg")
    assert (first.media, first.notes, first.cards) == (again.media, again.notes, again.cards) == (fresh.media, fresh.notes, fresh.cards)
    assert first.media == 2


def test_editing_one_card_changes_only_its_html(rich_kb, db, col, tmp_path):  # noqa: F811
    do_export(db, rich_kb, tmp_path / "a.apkg")
    before = package_notes(tmp_path / "a.apkg")
    import_apkg(col, tmp_path / "a.apkg")
    deck = rich_kb / "decks/render.yaml"
    deck.write_text(deck.read_text(encoding="utf-8").replace("| 1 | 2 |", "| 1 | 3 |"), encoding="utf-8")
    do_export(db, rich_kb, tmp_path / "b.apkg", now=T0 + dt.timedelta(minutes=5))
    after = package_notes(tmp_path / "b.apkg")
    changed = {g for g in before if before[g][0] != after[g][0]}
    assert changed == {genanki.guid_for("r.script")}
    assert b"<td>3</td>" in after[genanki.guid_for("r.script")][0] and b"<td>3</td>" not in before[genanki.guid_for("r.script")][0]
    # r.code shows r.script as a follow-up (its question): an edit of r.script's answer
    # leaves r.code's note as it was, so Anki leaves it alone too
    assert after[genanki.guid_for("r.code")] == before[genanki.guid_for("r.code")]  # fields, tags and mod
    new, updated, unchanged, conflicting = counts(import_apkg(col, tmp_path / "b.apkg"))
    assert (new, updated, conflicting) == (0, 1, 0) and unchanged == len(before) - 1


def test_a_fact_edit_rerenders_the_html_citing_it(kb, db, tmp_path):
    write(
        kb,
        "decks/cited.yaml",
        """
        name: {en: Cited}
        cards:
          - id: cite.md
            q: {en: How fast is checkout now?}
            a: {en: "**Measured**: {{fact:acme.checkout-latency.p99}}."}
            claims: [acme.checkout-latency]
        """,
    )
    do_export(db, kb, tmp_path / "a.apkg", lang="en")
    resume = kb / "stories/resume.yaml"
    resume.write_text(resume.read_text(encoding="utf-8").replace("over 7 days", "over 14 days"), encoding="utf-8")
    do_export(db, kb, tmp_path / "b.apkg", lang="en", now=T0 + dt.timedelta(minutes=5))
    before = package_notes(tmp_path / "a.apkg")[genanki.guid_for("cite.md")][0]
    after = package_notes(tmp_path / "b.apkg")[genanki.guid_for("cite.md")][0]
    assert b"<strong>Measured</strong>" in after and b"over 7 days" in before
    assert b"over 14 days" in after and b"over 7 days" not in after


def test_a_renderer_change_rerenders(rich_kb, db, tmp_path, monkeypatch):  # noqa: F811
    do_export(db, rich_kb, tmp_path / "a.apkg")
    code = genanki.guid_for("tw.basic")  # a code block and no image
    monkeypatch.setattr(render, "CODE_FG", "#123456")  # the renderer now writes another colour...
    anki.export(db, rich_kb, tmp_path / "b.apkg")
    assert b"#123456" not in package_notes(tmp_path / "b.apkg")[code][0]  # (the same identity: the cache answers)
    # ...and its identity changes with its source, as an upgraded render.py's would
    monkeypatch.setattr(html_cache, "current_renderer", lambda: html_cache.renderer_identity(b"render.py, edited"))
    anki.export(db, rich_kb, tmp_path / "c.apkg")
    assert b"color: #123456" in package_notes(tmp_path / "c.apkg")[code][0]


def test_the_renderer_identity_covers_its_source_and_libraries(monkeypatch):
    import pygments

    assert html_cache.current_renderer() == html_cache.renderer_identity(Path(render.__file__).read_bytes())
    one = html_cache.renderer_identity(b"source")
    assert one == html_cache.renderer_identity(b"source") and one != html_cache.renderer_identity(b"source 2")
    monkeypatch.setattr(pygments, "__version__", "0.0-other")
    assert html_cache.renderer_identity(b"source") != one
    assert html_cache.renderer_identity(None) is None


def test_a_locked_database_costs_the_cache_not_the_export(rich_kb, db, tmp_path):  # noqa: F811
    do_export(db, rich_kb, tmp_path / "a.apkg")
    db.execute("DELETE FROM export_html")
    path = db.execute("PRAGMA database_list").fetchone()[2]
    other = sqlite3.connect(path, isolation_level=None)  # a reviewer answering in the TUI
    other.execute("BEGIN IMMEDIATE")
    try:
        result = anki.export(db, rich_kb, tmp_path / "b.apkg")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert result.notes == 9 and cached_rows(db) == 0
    assert package_notes(tmp_path / "b.apkg") == package_notes(tmp_path / "a.apkg")
    anki.export(db, rich_kb, tmp_path / "c.apkg")  # the lock is free again: the cache fills
    assert cached_rows(db) > 0


def test_unused_entries_are_dropped_after_a_whole_export_only(rich_kb, db, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setattr(html_cache, "PRUNE_FACTOR", 1)
    do_export(db, rich_kb, tmp_path / "a.apkg")
    rows = cached_rows(db)
    deck = rich_kb / "decks/render.yaml"
    deck.write_text(deck.read_text(encoding="utf-8").replace("| 1 | 2 |", "| 1 | 3 |"), encoding="utf-8")
    sync(db, rich_kb, now=T0)
    anki.export(db, rich_kb, tmp_path / "b.apkg", deck="render")  # a part: the rest stays
    assert cached_rows(db) == rows + 1
    anki.export(db, rich_kb, tmp_path / "c.apkg")  # the whole: the old answer goes
    assert cached_rows(db) == rows
    assert not db.execute("SELECT 1 FROM export_html WHERE html LIKE '%<td>2</td>%'").fetchall()


def _by_guid(conn: sqlite3.Connection) -> tuple[dict, dict]:
    """A collection's notes by guid and cards by (guid, ord), their ids left out: the
    streaming writer numbers notes in the export's order, genanki deck by deck."""
    guid = dict(conn.execute("SELECT id, guid FROM notes"))
    notes = {r[1]: r[2:] for r in conn.execute("SELECT * FROM notes")}
    cards = {(guid[r[1]], r[3]): (r[2], *r[4:]) for r in conn.execute("SELECT * FROM cards")}
    return notes, cards


def test_the_bulk_writer_writes_what_genanki_writes(rich_kb, db, tmp_path, monkeypatch):  # noqa: F811
    """The same rows as genanki's own per-note writer, for the same notes and time."""
    streamed: list[tuple[genanki.Deck, apkg.Note]] = []
    captured: dict = {}
    real = apkg.write_apkg

    def capture(notes, media, out, ts):
        captured["ts"] = ts
        return real((streamed.append(pair) or pair for pair in notes), media, out, ts)

    monkeypatch.setattr(anki, "write_apkg", capture)
    result = do_export(db, rich_kb, tmp_path / "a.apkg")
    ts = captured["ts"]
    assert len(streamed) == result.notes == 9
    ours = tmp_path / "ours.anki2"
    assert apkg.write_collection(ours, streamed, ts) == (result.notes, result.cards)

    class Dated(genanki.Note):
        def __init__(self, note: apkg.Note):
            super().__init__(note.model, note.fields, tags=note.tags, guid=note.guid, due=note.due)
            self.mod = note.mod

        def write_to_db(self, cursor, timestamp, deck_id, id_gen):
            super().write_to_db(cursor, self.mod, deck_id, id_gen)

    theirs_decks: dict[int, genanki.Deck] = {}
    for d, n in streamed:
        g = theirs_decks.get(d.deck_id) or theirs_decks.setdefault(d.deck_id, genanki.Deck(d.deck_id, d.name, d.description))
        g.add_note(Dated(n))
    theirs = sqlite3.connect(tmp_path / "theirs.anki2")
    genanki.Package(list(theirs_decks.values())).write_to_db(theirs.cursor(), ts, itertools.count(int(ts * 1000)))
    theirs.commit()
    mine = sqlite3.connect(ours)
    assert _by_guid(mine) == _by_guid(theirs)
    ids = "SELECT id FROM notes UNION ALL SELECT id FROM cards ORDER BY id"
    assert mine.execute(ids).fetchall() == theirs.execute(ids).fetchall()  # the same counter, in another order
    # ours in the export's order: Anki's browser shows notes created in document order
    assert [g for (g,) in mine.execute("SELECT guid FROM notes ORDER BY id")] == [n.guid for _, n in streamed]
    (d1, m1), (d2, m2) = (c.execute("SELECT decks, models FROM col").fetchone() for c in (mine, theirs))
    assert json.loads(d1) == json.loads(d2)
    assert {k: {**v, "did": 0} for k, v in json.loads(m1).items()} == {k: {**v, "did": 0} for k, v in json.loads(m2).items()}


def test_a_large_cache_write_leaves_the_lock_free_between_short_transactions(rich_kb, db, tmp_path, monkeypatch):  # noqa: F811
    """Each transaction writes a slice and commits once BATCH_S has passed; a waiting
    reviewer gets the lock in the gap. Here every slice (one row) is its own transaction."""
    monkeypatch.setattr(side_writes, "ROWS_PER_CHECK", 1)
    monkeypatch.setattr(side_writes, "BATCH_S", 0.0)
    monkeypatch.setattr(side_writes, "GAP_S", 0.0)
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    try:
        do_export(db, rich_kb, tmp_path / "a.apkg")
    finally:
        db.conn.set_trace_callback(None)
    inserts = [i for i, s in enumerate(statements) if s.startswith("INSERT OR REPLACE INTO export_html")]
    assert len(inserts) == cached_rows(db) > 1
    for i in inserts:  # each insert between its own BEGIN IMMEDIATE and COMMIT
        assert statements[i - 1] == "BEGIN IMMEDIATE" and statements[i + 1] == "COMMIT"


def test_texts_with_images_are_rendered_on_every_export(rich_kb, db, tmp_path):  # noqa: F811
    """Their HTML names the picture by its content hash, and a missing one must be reported."""
    do_export(db, rich_kb, tmp_path / "a.apkg")
    image = rich_kb / "decks/images/时间轮.png"
    old_name = render.MediaCollector(rich_kb)._name(image.resolve(), (0, 0))
    assert old_name.encode() in package_notes(tmp_path / "a.apkg")[genanki.guid_for("r.code")][0]
    image.write_bytes(image.read_bytes() + b"edited")
    anki.export(db, rich_kb, tmp_path / "b.apkg")
    field = package_notes(tmp_path / "b.apkg")[genanki.guid_for("r.code")][0]
    assert old_name.encode() not in field and render.MediaCollector(rich_kb)._name(image.resolve(), (0, 0)).encode() in field
    image.unlink()
    with pytest.raises(anki.ExportError, match=r"时间轮\.png' not found"):
        anki.export(db, rich_kb, tmp_path / "c.apkg")


def package_col(path: Path) -> tuple:
    """A package's deck and note type JSON (note types' mod aside: it is the export time)."""
    with zipfile.ZipFile(path) as z:
        scratch = path.with_suffix(".col.anki2")
        scratch.write_bytes(z.read("collection.anki2"))
    conn = sqlite3.connect(scratch)
    try:
        decks, models = conn.execute("SELECT decks, models FROM col").fetchone()
    finally:
        conn.close()
    return json.loads(decks), {k: {**v, "mod": 0} for k, v in json.loads(models).items()}


def test_notes_streamed_a_few_at_a_time_make_the_same_package(rich_kb, db, col, tmp_path, monkeypatch):  # noqa: F811
    """Rows read one at a time (r.code's follow-up r.script in another chunk), notes
    inserted two at a time and renderings written one at a time while the export runs:
    the package a whole-at-once export makes, which Anki imports, and a re-export with
    the defaults then changes nothing in Anki."""
    do_export(db, rich_kb, tmp_path / "whole.apkg")
    rows = cached_rows(db)
    db.execute("DELETE FROM export_html")
    monkeypatch.setattr(anki_rows, "CHUNK", 1)
    monkeypatch.setattr(apkg, "FLUSH_NOTES", 2)
    monkeypatch.setattr(html_cache, "FLUSH_ROWS", 1)
    small = anki.export(db, rich_kb, tmp_path / "small.apkg")
    assert (small.notes, small.cards) == (N_NOTES, N_NOTES) and cached_rows(db) == rows
    assert package_notes(tmp_path / "small.apkg") == package_notes(tmp_path / "whole.apkg")
    assert package_col(tmp_path / "small.apkg") == package_col(tmp_path / "whole.apkg")
    assert b"alert(1)" in package_notes(tmp_path / "small.apkg")[genanki.guid_for("r.code")][0]  # the follow-up's question
    assert counts(import_apkg(col, tmp_path / "small.apkg")) == (N_NOTES, 0, 0, 0)
    monkeypatch.undo()
    anki.export(db, rich_kb, tmp_path / "again.apkg")
    assert counts(import_apkg(col, tmp_path / "again.apkg")) == (0, 0, N_NOTES, 0)
    assert col.note_count() == N_NOTES
    assert_integrity(col)


def test_a_reexport_reads_only_the_entries_it_uses(rich_kb, db, tmp_path):  # noqa: F811
    """The cache is probed per text, never read whole: a table full of other entries
    (another knowledge base's, an old renderer's) costs neither memory nor time."""
    do_export(db, rich_kb, tmp_path / "a.apkg")
    db.conn.executemany("INSERT INTO export_html (key, html) VALUES (randomblob(32), ?)", [("other",)] * 50)
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    try:
        anki.export(db, rich_kb, tmp_path / "b.apkg", deck="render")
    finally:
        db.conn.set_trace_callback(None)
    reads = [s for s in statements if "FROM export_html" in s]
    assert reads and all(s.startswith("SELECT html FROM export_html WHERE key = ") for s in reads), reads
    assert package_notes(tmp_path / "b.apkg").items() <= package_notes(tmp_path / "a.apkg").items()


def test_a_sync_during_the_export_changes_nothing_of_its_package(rich_kb, db, tmp_path, monkeypatch):  # noqa: F811
    """Rows are read a chunk at a time while the package is written: a writer meanwhile
    (the TUI syncing an edit, another `prep`) must not leave half the package before its
    change and half after, nor drop a card it archived."""
    do_export(db, rich_kb, tmp_path / "before.apkg")
    monkeypatch.setattr(anki_rows, "CHUNK", 1)
    other = sqlite3.connect(db.execute("PRAGMA database_list").fetchone()[2], isolation_level=None)
    ids = [r[0] for r in db.execute("SELECT id FROM cards WHERE archived = 0 ORDER BY position")]
    first, last = ids[1], ids[-1]  # both read after the first note
    wrote: list[int] = []

    def meanwhile(stage: str, done: int, total: int) -> None:
        if done == 1 and not wrote:  # after the first note: the rest is still to be read
            other.execute("UPDATE cards SET q = '\"edited meanwhile\"' WHERE id = ?", [first])
            wrote.append(other.execute("UPDATE cards SET archived = 1 WHERE id = ?", [last]).rowcount)

    result = anki.export(db, rich_kb, tmp_path / "during.apkg", progress=meanwhile)
    other.close()
    assert wrote == [1] and result.notes == N_NOTES
    assert package_notes(tmp_path / "during.apkg") == package_notes(tmp_path / "before.apkg")
    assert b"edited meanwhile" not in b"".join(f[0] for f in package_notes(tmp_path / "during.apkg").values())
