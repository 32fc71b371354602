"""`prep mv OLD NEW`: the id changes in every file that names it, and its history follows."""

from __future__ import annotations

import datetime as dt

from click.testing import CliRunner
from conftest import kb_db_file

from prep.cli import cli
from prep.index.db import open_db
from prep.kb.rename import token
from prep.study import engine

T0 = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)


def run(kb, *args):
    return CliRunner().invoke(cli, ["--kb", str(kb), *args])


def studied(kb, prep_home, item="perf.measure", n=3, *, settings):
    assert run(kb, "sync").exit_code == 0
    db = open_db(kb_db_file(prep_home, kb))
    for i in range(n):
        engine.record_answer(db, "card", item, 3, T0 + dt.timedelta(days=i), settings=settings)
    return db


def history(db, item):
    log = db.execute("SELECT count(*) FROM review_log WHERE item_id = ?", [item]).fetchone()[0]
    state = db.execute("SELECT reps FROM review_state WHERE item_id = ?", [item]).fetchone()
    return log, state[0] if state else None


def test_rename_a_card_edits_every_file_and_moves_its_history(kb, prep_home, settings):
    deck_name = next(p for p in (kb / "decks").iterdir() if "perf.measure" in p.read_text())
    before = deck_name.read_text()
    db = studied(kb, prep_home, settings=settings)
    result = run(kb, "mv", "perf.measure", "perf.how-measured")
    assert result.exit_code == 0, result.output
    assert "3 reviews, its FSRS state and 0 mock answers moved" in result.output
    after = deck_name.read_text()
    # Only the id and the followup link changed; comments and layout stayed.
    assert after == before.replace("perf.measure", "perf.how-measured")
    assert "# what the interviewer asks next" in after
    assert history(db, "perf.how-measured") == (3, 3)
    assert history(db, "perf.measure") == (0, None)
    shown = run(kb, "show", "perf.how-measured", "--json")
    assert shown.exit_code == 0 and "perf.how-measured" in shown.output
    assert run(kb, "list", "cards", "--archived").output.count("perf.") == 0


def test_rename_a_claim_and_a_project_keeps_longer_ids(kb, prep_home):
    run(kb, "sync")
    assert run(kb, "mv", "acme", "acme-corp").exit_code == 0
    resume = (kb / "stories/resume.yaml").read_text()
    assert "- id: acme-corp " in resume and "acme.checkout-latency" in resume  # a longer id is not touched
    assert "project: acme-corp" in (kb / "decks/time-wheel.yaml").read_text()
    result = run(kb, "mv", "acme.checkout-latency", "acme.checkout-p99")
    assert result.exit_code == 0, result.output
    texts = [p.read_text() for p in (*(kb / "decks").iterdir(), *(kb / "stories").iterdir()) if p.is_file()]
    assert not any(token("acme.checkout-latency").search(t) for t in texts)
    assert any("acme.checkout-latency.p99" in t for t in texts)  # the fact's longer id stays
    assert run(kb, "validate").exit_code == 0


def test_refuses_an_existing_id_and_changes_nothing(kb, prep_home, settings):
    db = studied(kb, prep_home, settings=settings)
    files = {p: p.read_text() for p in (kb / "decks").iterdir()}
    result = run(kb, "mv", "perf.measure", "tw.basic")
    assert result.exit_code == 1
    assert "'tw.basic' already exists: the card at decks/time-wheel.yaml:4" in result.output
    assert {p: p.read_text() for p in files} == files
    assert history(db, "perf.measure") == (3, 3)
    assert run(kb, "mv", "perf.mesure", "x").exit_code == 1
    assert "did you mean 'perf.measure'?" in run(kb, "mv", "perf.mesure", "x").output
    assert "not an id" in run(kb, "mv", "perf.measure", "Bad Id").output


def test_a_hand_rename_is_reported_and_mv_brings_the_history_back(kb, prep_home, settings):
    db = studied(kb, prep_home, settings=settings)
    deck = next(p for p in (kb / "decks").iterdir() if "perf.measure" in p.read_text())
    deck.write_text(deck.read_text().replace("perf.measure", "perf.measured"))
    result = run(kb, "sync")
    assert "1 card archived with 3 reviews: perf.measure; if you renamed it, `prep mv perf.measure NEW`" in result.output
    result = run(kb, "mv", "perf.measure", "perf.measured")
    assert result.exit_code == 0, result.output
    assert history(db, "perf.measured") == (3, 3)
    assert "archived" not in run(kb, "sync").output
    assert run(kb, "list", "cards", "--archived").output.count("perf.") == 0


def test_mock_answers_and_drawn_sets_follow(kb, prep_home, settings):
    db = studied(kb, prep_home, n=1, settings=settings)
    db.execute(
        "INSERT INTO mock_sessions (id, profile, draw, started_at) VALUES (1, 'p', ?, ?)",
        ['{"questions": [{"id": "perf.measure", "type": "card"}]}', T0.isoformat()],
    )
    db.execute(
        """INSERT INTO mock_answers (session_id, position, item_type, item_id, correct, complete, concise,
                  confident, score, passed, rating, answered_at) VALUES (1, 0, 'card', 'perf.measure', 1, 1, 1, 1, 4, 1, 3, ?)""",
        [T0.isoformat()],
    )
    db.conn.commit()
    result = run(kb, "mv", "perf.measure", "perf.measured")
    assert "1 review, its FSRS state and 1 mock answer moved" in result.output
    assert db.execute("SELECT item_id FROM mock_answers").fetchall() == [("perf.measured",)]
    assert "perf.measured" in db.execute("SELECT draw FROM mock_sessions").fetchone()[0]


def test_rename_a_fact_edits_its_citations(kb, prep_home):
    run(kb, "sync")
    result = run(kb, "mv", "acme.checkout-latency.p99", "acme.p99")
    assert result.exit_code == 0, result.output
    story = next(p for p in (kb / "stories").iterdir() if p.suffix == ".md").read_text()
    assert "{{fact:acme.p99}}" in story
    assert run(kb, "validate").exit_code == 0
