"""A note's mod time moves only when what the note shows changes (prep.export.note_mods).

Anki overwrites its copy of a note when a package brings a newer mod: the user's own
edits in Anki go with it. So an edit the note does not show (a follow-up's answer, a
claim's private notes) must leave the note's mod as it was, and every change it does
show (an edit, a new renderer with no row changed) must bring a later one.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

import genanki
import pytest
from test_anki_export import N_NOTES, T0, col, counts, do_export, import_apkg, note_for, package_notes, rich_kb  # noqa: F401  (fixtures)

from prep.export import anki, html_cache, note_mods, render

pytest.importorskip("anki")

LATER = T0 + dt.timedelta(minutes=5)
RESUME = "stories/resume.yaml"


def edit(root, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def kept(db) -> int:
    return db.execute("SELECT count(*) FROM anki_notes").fetchone()[0]


def test_a_claims_private_notes_leave_every_note_as_it_was(rich_kb, db, col, tmp_path):  # noqa: F811
    do_export(db, rich_kb, tmp_path / "a.apkg", lang="en")
    assert counts(import_apkg(col, tmp_path / "a.apkg")) == (N_NOTES, 0, 0, 0)
    assert kept(db) == N_NOTES
    edit(rich_kb, RESUME, "Be ready to say how p99 was measured", "Be ready to say how the p99 was measured")
    do_export(db, rich_kb, tmp_path / "b.apkg", lang="en", now=LATER)
    assert package_notes(tmp_path / "b.apkg") == package_notes(tmp_path / "a.apkg")  # mods too
    assert counts(import_apkg(col, tmp_path / "b.apkg")) == (0, 0, N_NOTES, 0)


def test_an_edit_in_anki_survives_an_edit_of_a_follow_ups_answer(rich_kb, db, col, tmp_path):  # noqa: F811
    do_export(db, rich_kb, tmp_path / "a.apkg")
    import_apkg(col, tmp_path / "a.apkg")
    mine = note_for(col, "r.code")  # r.code lists r.script as a follow-up: its question only
    mine["Answer"] += "<p>my own note</p>"
    col.update_note(mine)
    # made before the edit below (the test's clock is T0; Anki's is today's)
    col.db.execute("update notes set mod = ? where id = ?", int((T0 + dt.timedelta(minutes=1)).timestamp()), mine.id)
    edit(rich_kb, "decks/render.yaml", "| 1 | 2 |", "| 1 | 3 |")  # in r.script's answer
    do_export(db, rich_kb, tmp_path / "b.apkg", now=LATER)
    new, updated, _, _ = counts(log := import_apkg(col, tmp_path / "b.apkg"))
    assert (new, updated) == (0, 1) and log.updated[0].id.nid == note_for(col, "r.script").id
    assert "my own note" in note_for(col, "r.code")["Answer"]
    assert "<td>3</td>" in note_for(col, "r.script")["Answer"]


def test_what_a_note_shows_changing_still_brings_a_later_mod(rich_kb, db, col, tmp_path):  # noqa: F811
    do_export(db, rich_kb, tmp_path / "a.apkg")
    import_apkg(col, tmp_path / "a.apkg")
    edit(rich_kb, RESUME, "Cut checkout p99 latency", "Cut the checkout p99 latency")  # the claim's text: shown
    do_export(db, rich_kb, tmp_path / "b.apkg", now=LATER)
    before, after = package_notes(tmp_path / "a.apkg"), package_notes(tmp_path / "b.apkg")
    shown = {g for g in before if before[g][0] != after[g][0]}
    assert shown and all(after[g][2] > before[g][2] for g in shown)
    assert all(after[g] == before[g] for g in before if g not in shown)
    assert counts(import_apkg(col, tmp_path / "b.apkg")) == (0, len(shown), N_NOTES - len(shown), 0)


def test_a_new_renderer_with_no_row_changed_updates_the_notes_it_renders_anew(rich_kb, db, col, tmp_path, monkeypatch):  # noqa: F811
    do_export(db, rich_kb, tmp_path / "a.apkg")
    import_apkg(col, tmp_path / "a.apkg")
    monkeypatch.setattr(render, "CODE_FG", "#123456")
    monkeypatch.setattr(html_cache, "current_renderer", lambda: html_cache.renderer_identity(b"render.py, edited"))
    anki.export(db, rich_kb, tmp_path / "b.apkg")
    before, after = package_notes(tmp_path / "a.apkg"), package_notes(tmp_path / "b.apkg")
    code = genanki.guid_for("tw.basic")
    assert b"#123456" in after[code][0] and after[code][2] == before[code][2] + 1
    renewed = {g for g in before if before[g][0] != after[g][0]}
    assert counts(import_apkg(col, tmp_path / "b.apkg")) == (0, len(renewed), N_NOTES - len(renewed), 0)
    assert "#123456" in note_for(col, "tw.basic")["Answer"]


def test_an_unchanged_reexport_writes_nothing(rich_kb, db, tmp_path):  # noqa: F811
    do_export(db, rich_kb, tmp_path / "a.apkg")
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    try:
        anki.export(db, rich_kb, tmp_path / "b.apkg")
    finally:
        db.conn.set_trace_callback(None)
    assert not [s for s in statements if "anki_notes" in s and not s.startswith("SELECT")]
    assert kept(db) == N_NOTES


@pytest.mark.parametrize(("keeper", "table"), [(html_cache, "export_html"), (note_mods, "anki_notes")])
def test_a_full_disk_costs_what_the_export_keeps_not_the_export(rich_kb, db, col, tmp_path, monkeypatch, keeper, table):  # noqa: F811
    def full(conn, sql, rows):
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(sql, rows[:1])  # half a batch
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(keeper, "write_rows", full)
    result = do_export(db, rich_kb, tmp_path / "a.apkg")
    assert result.notes == N_NOTES and db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0  # rolled back
    assert not db.conn.in_transaction
    assert counts(import_apkg(col, tmp_path / "a.apkg")) == (N_NOTES, 0, 0, 0)


def test_a_table_that_cannot_be_read_gives_the_worked_out_mods(rich_kb, db, tmp_path, monkeypatch):  # noqa: F811
    do_export(db, rich_kb, tmp_path / "a.apkg")
    db.execute("DROP TABLE anki_notes")  # as a damaged page would: every lookup fails
    anki.export(db, rich_kb, tmp_path / "b.apkg")
    assert package_notes(tmp_path / "b.apkg") == package_notes(tmp_path / "a.apkg")
