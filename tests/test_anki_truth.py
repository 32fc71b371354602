"""Anki: gists shown first on the back, assumptions marked with a legend, fact citations
rendered, and the note-type change (new fields) merged on re-import into a real Anki
collection without duplicating a note or losing its reviews."""

from __future__ import annotations

import datetime as dt

import genanki
import pytest
from test_anki_export import N_NOTES, T0, col, counts, do_export, import_apkg, note_for, rich_kb, text_of  # noqa: F401

from prep.export import anki, notetypes

pytest.importorskip("anki")

OLD_QA = ["Question", "Answer", "Claims", "Followups", "Source"]
OLD_STORY = ["Title", "Situation", "Task", "Action", "Result", "Followups", "Claims", "Lessons"]


def _without_new_fields(template: str) -> str:
    return "\n".join(line for line in template.split("\n") if "Gist" not in line and "Legend" not in line)


def old_note_types(monkeypatch):
    """prep before gists: 5 Q&A fields, 8 story fields, the same note type ids."""

    def qa():
        return genanki.Model(
            notetypes.QA_MODEL_ID,
            "prep Q&A",
            fields=[{"name": f} for f in OLD_QA],
            templates=[{"name": "Q&A", "qfmt": notetypes.QA_FRONT, "afmt": _without_new_fields(notetypes.QA_BACK)}],
            css=notetypes.CSS,
        )

    def story():
        return genanki.Model(
            notetypes.STORY_MODEL_ID,
            "prep STAR story",
            fields=[{"name": f} for f in OLD_STORY],
            templates=[{"name": "Story", "qfmt": notetypes.STORY_FRONT, "afmt": _without_new_fields(notetypes.STORY_BACK)}],
            css=notetypes.CSS,
        )

    class OldNote(anki.Note):
        def __init__(self, model, fields, *args, **kw):
            super().__init__(model, fields[: len(model.fields)], *args, **kw)

    monkeypatch.setattr(notetypes, "qa_model", qa)
    monkeypatch.setattr(notetypes, "story_model", story)
    monkeypatch.setattr(anki, "Note", OldNote)
    # notes rendered by the old version carry its older render epoch
    monkeypatch.setattr(anki, "RENDER_EPOCH", int((T0 - dt.timedelta(days=30)).timestamp()))


def test_new_note_type_merges_on_reimport_without_duplicates(rich_kb, db, col, tmp_path):  # noqa: F811  (fixtures from test_anki_export)
    with pytest.MonkeyPatch.context() as mp:
        old_note_types(mp)
        do_export(db, rich_kb, tmp_path / "old.apkg")
    assert counts(import_apkg(col, tmp_path / "old.apkg")) == (N_NOTES, 0, 0, 0)
    assert [f["name"] for f in col.models.by_name("prep Q&A")["flds"]] == OLD_QA
    card = note_for(col, "perf.p99").cards()[0]
    card.start_timer()
    col.sched.answerCard(card, 3)
    reviews = col.db.scalar("select count() from revlog")

    # the upgrade: the same content, exported with the new note types
    do_export(db, rich_kb, tmp_path / "new.apkg", now=T0)
    assert counts(import_apkg(col, tmp_path / "new.apkg")) == (0, N_NOTES, 0, 0)
    assert col.note_count() == N_NOTES and col.card_count() == N_NOTES
    assert [f["name"] for f in col.models.by_name("prep Q&A")["flds"]] == notetypes.QA_FIELDS
    assert [f["name"] for f in col.models.by_name("prep STAR story")["flds"]] == notetypes.STORY_FIELDS
    note = note_for(col, "perf.p99")
    assert note.id == card.nid and text_of(note["Gist"]).startswith("The latency 99% of requests beat.")
    assert col.db.scalar("select count() from revlog") == reviews
    back = col.get_card(card.id).answer()
    assert back.index("The latency 99% of requests beat.") < back.index("are faster than")  # the gist comes first
    # and afterwards: an unchanged export updates nothing, an edit updates its note
    do_export(db, rich_kb, tmp_path / "again.apkg", now=T0)
    assert counts(import_apkg(col, tmp_path / "again.apkg")) == (0, 0, N_NOTES, 0)


def test_assumptions_and_citations_render_in_anki(kb, db, col, tmp_path):  # noqa: F811
    do_export(db, kb, tmp_path / "a.apkg", lang="en")
    import_apkg(col, tmp_path / "a.apkg")
    story = note_for(col, "checkout-latency", story=True)
    assert '<span class="assumed">about 3% of carts were abandoned after a slow page</span>' in story["Situation"]
    assert "Text marked like this" in story["Legend"]
    assert "measured with Prometheus histograms over 7 days" in story["Result"] and "{{fact:" not in story["Result"]
    assert note_for(col, "perf.p99")["Legend"] == ""  # no assumption, no legend
    assert ".prep .assumed" in col.models.by_name("prep STAR story")["css"]


def test_a_fact_edit_updates_the_notes_citing_it(kb, db, col, tmp_path):  # noqa: F811
    do_export(db, kb, tmp_path / "a.apkg")
    import_apkg(col, tmp_path / "a.apkg")
    resume = kb / "stories/resume.yaml"
    resume.write_text(resume.read_text(encoding="utf-8").replace("over 7 days", "over 14 days"), encoding="utf-8")
    do_export(db, kb, tmp_path / "b.apkg", now=T0 + dt.timedelta(minutes=5))
    log = import_apkg(col, tmp_path / "b.apkg")
    assert counts(log)[0] == 0 and counts(log)[3] == 0
    assert "over 14 days" in note_for(col, "checkout-latency", story=True)["Result"]
