"""Anki reviews come home, checked with the real `anki` library.

Export from prep, import into a fresh Anki collection, study there, close Anki, then
`prep import anki` the collection (or a .colpkg / .apkg of it): exactly Anki's reviews
appear once, importing again adds none, and a card reviewed in both tools has the
state one replay of both histories gives.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
import zipfile
from pathlib import Path

import genanki
import pytest
from click.testing import CliRunner

from prep.cli import cli
from prep.errors import PrepError
from prep.export import anki
from prep.export.anki_import import import_reviews
from prep.index.db import open_db
from prep.index.sync import sync
from prep.study import srs
from prep.study.engine import get_state, load_settings, record_answer, save_settings
from prep.study.replay import replay_state

pytest.importorskip("anki")
from anki.collection import Collection, DeckIdLimit, ExportAnkiPackageOptions
from test_anki_export import import_apkg

EASES = [3, 1, 3, 4]  # the answers given in Anki, in order


def _log_count(db, source: str | None = None) -> int:
    sql = "SELECT count(*) FROM review_log" + (" WHERE source = ?" if source else "")
    return db.execute(sql, [source] if source else []).fetchone()[0]


@pytest.fixture
def setup(kb, db, tmp_path):
    """The sample KB synced and exported; fuzzing off so every replay is exact."""
    sync(db, kb)
    save_settings(db, dataclasses.replace(load_settings(db), enable_fuzzing=False))
    apkg = tmp_path / "prep.apkg"
    anki.export(db, kb, apkg)
    return kb, db, apkg


def study_in_anki(apkg: Path, folder: Path, eases=EASES, foreign: bool = True) -> tuple[Path, list[tuple[int, str, int]]]:
    """Import `apkg` into a new collection, answer cards, close; (collection, [(revlog id, guid, ease)])."""
    folder.mkdir()
    col = Collection(str(folder / "collection.anki2"))
    try:
        import_apkg(col, apkg)
        if foreign:  # a note the user made and studied in Anki: counted and skipped
            note = col.new_note(col.models.by_name("Basic"))
            note["Front"], note["Back"] = "mine", "not from prep"
            col.add_note(note, 1)
            col.decks.select(1)
            col.sched.answerCard(col.sched.getCard(), 3)
        col.decks.select(col.decks.id_for_name("Interview Prep"))
        for ease in eases:
            card = col.sched.getCard()
            assert card is not None
            card.start_timer()
            col.sched.answerCard(card, ease)
        revlog = col.db.all("select r.id, n.guid, r.ease from revlog r join cards c on c.id = r.cid join notes n on n.id = c.nid order by r.id")
    finally:
        col.close()
    return folder / "collection.anki2", revlog


def test_anki_reviews_come_home_once(setup, tmp_path):
    _kb, db, apkg = setup
    path, revlog = study_in_anki(apkg, tmp_path / "anki")
    items = {genanki.guid_for(c): ("card", c) for (c,) in db.execute("SELECT id FROM cards")}
    items |= {genanki.guid_for("story", s): ("story", s) for (s,) in db.execute("SELECT id FROM stories")}
    ours = [r for r in revlog if r[1] in items]
    assert len(ours) == len(EASES)

    result = import_reviews(db, path)
    assert (result.added, result.already, result.foreign_notes, result.foreign_reviews) == (len(EASES), 0, 1, 1)
    rows = db.execute("SELECT source_id, item_id, rating, mode FROM review_log WHERE source = 'anki' ORDER BY CAST(source_id AS INTEGER)").fetchall()
    assert rows == [(str(rid), items[guid][1], ease, "review") for rid, guid, ease in ours]
    for item in {items[g] for _, g, _ in ours}:
        state = get_state(db, *item)
        assert state is not None and state["reps"] == sum(1 for _, g, _ in ours if items[g] == item)

    again = import_reviews(db, path)
    assert (again.added, again.already, again.items) == (0, len(EASES), 0)
    assert _log_count(db, "anki") == len(EASES)


def test_card_reviewed_in_both_tools_gets_one_replay(setup, tmp_path):
    _kb, db, apkg = setup
    path, revlog = study_in_anki(apkg, tmp_path / "anki", eases=[3], foreign=False)
    ((rid, guid, ease),) = revlog
    card_id = next(c for (c,) in db.execute("SELECT id FROM cards") if genanki.guid_for(c) == guid)
    anki_at = dt.datetime.fromtimestamp(rid / 1000, dt.UTC)
    # prep answers around the Anki one: two days before, and a day after it.
    early, late = anki_at - dt.timedelta(days=2), anki_at + dt.timedelta(days=1)
    record_answer(db, "card", card_id, 3, early)
    last_id = record_answer(db, "card", card_id, 2, late)

    import_reviews(db, path)
    settings = load_settings(db)
    expected = replay_state(srs.make_scheduler(settings), settings, "card", card_id, [(early, 3), (anki_at, ease), (late, 2)])
    state = get_state(db, "card", card_id)
    assert expected is not None and state is not None
    for col in ("fsrs", "due", "state", "reps", "lapses", "last_review"):
        assert state[col] == expected[col], col
    assert state["reps"] == 3
    # The last answer's snapshots follow the merged history: its undo restores the state after Anki's review.
    before = json.loads(db.execute("SELECT before FROM review_log WHERE id = ?", [last_id]).fetchone()[0])
    assert dt.datetime.fromisoformat(before["last_review"]) == anki_at


@pytest.mark.parametrize("kind", ["colpkg", "apkg", "legacy-colpkg"])
def test_packages_import_like_the_collection(setup, tmp_path, kind):
    _kb, db, apkg = setup
    path, _revlog = study_in_anki(apkg, tmp_path / "anki", eases=[3, 3])
    col = Collection(str(path))
    out = tmp_path / f"export.{kind.split('-')[-1]}"
    if kind == "apkg":
        opts = ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True, with_media=False, legacy=False)
        col.export_anki_package(out_path=str(out), options=opts, limit=DeckIdLimit(col.decks.id_for_name("Interview Prep")))
        col.close()
    else:
        col.export_collection_package(str(out), include_media=False, legacy=kind.startswith("legacy"))
    result = import_reviews(db, out)
    assert result.added == 2 and _log_count(db, "anki") == 2
    assert import_reviews(db, out).added == 0


def test_bad_files_are_refused_and_nothing_written(setup, tmp_path, monkeypatch):
    _kb, db, apkg = setup
    path, _ = study_in_anki(apkg, tmp_path / "anki", eases=[3])
    before = _log_count(db)

    text = tmp_path / "notes.txt"
    text.write_text("not a collection\n")
    with pytest.raises(PrepError, match="not an Anki collection"):
        import_reviews(db, text)

    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(PrepError, match="not an Anki collection"):
        import_reviews(db, other)

    # A .colpkg cut short (a copy that did not finish).
    col = Collection(str(path))
    good = tmp_path / "good.colpkg"
    col.export_collection_package(str(good), include_media=False, legacy=False)
    bad = tmp_path / "bad.colpkg"
    bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(PrepError, match="corrupt"):
        import_reviews(db, bad)
    # A zip whose collection is garbage.
    junk = tmp_path / "junk.colpkg"
    with zipfile.ZipFile(junk, "w") as z:
        z.writestr("collection.anki21b", b"\x28\xb5\x2f\xfd garbage")
        z.writestr("meta", b"\x08\x03")
    with pytest.raises(PrepError, match="corrupt"):
        import_reviews(db, junk)

    unreadable = tmp_path / "unreadable.anki2"
    unreadable.write_bytes(path.read_bytes())
    real_open = Path.open

    def deny(self, *args, **kwargs):  # chmod 0 means nothing to root, so refuse here
        if self == unreadable:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", deny)
    with pytest.raises(PrepError, match="cannot read the file \\(Permission denied\\)"):
        import_reviews(db, unreadable)
    monkeypatch.undo()

    # Anki holds the collection open: it keeps an exclusive lock.
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(PrepError, match="open in Anki"):
            import_reviews(db, path)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert _log_count(db) == before


def test_cli_import_and_stats(setup, tmp_path):
    kb, _db, apkg = setup
    path, _ = study_in_anki(apkg, tmp_path / "anki", eases=[3, 4])
    dbfile = tmp_path / "test.db"
    runner = CliRunner()
    r = runner.invoke(cli, ["--kb", str(kb), "--db", str(dbfile), "import", "anki", str(path)])
    assert r.exit_code == 0, r.output
    assert "2 new reviews from Anki" in r.output and "1 note not from this knowledge base" in r.output
    r = runner.invoke(cli, ["--kb", str(kb), "--db", str(dbfile), "stats"])
    assert "(2 from Anki)" in r.output
    r = runner.invoke(cli, ["--kb", str(kb), "--db", str(dbfile), "import", "anki", str(tmp_path / "missing.anki2")])
    assert r.exit_code == 1 and "no such file" in r.output and "Traceback" not in r.output
    assert open_db(dbfile).execute("SELECT count(*) FROM review_log").fetchone()[0] == 2
