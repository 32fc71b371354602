"""Mock sessions: scores are saved and feed the schedule (a failed question becomes
due); the TUI runs a session one question at a time; the dashboard shows the audit."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import run_app as run
from textual.widgets import Static

from prep.errors import PrepError
from prep.export.when import local
from prep.index.db import iso
from prep.index.sync import sync
from prep.mock import session as mock
from prep.mock.draw import Draw, DrawOptions, Followup, Question, draw
from prep.mock.profiles import get_profile
from prep.study import engine
from prep.tui.app import PrepApp
from prep.tui.screens.dashboard import DashboardScreen


@pytest.fixture
def synced(db, kb, now):
    sync(db, kb, now=now)
    return db


def q(item_type, item_id, followups=()):
    return Question(
        slot="card",
        label="L",
        item_type=item_type,
        item_id=item_id,
        q="?",
        key_points="k",
        followups=[Followup(f"{c}?", "a", card=c) for c in followups],
    )


def session(db, now, *questions) -> int:
    return mock.start_session(db, Draw("p", "P", 1, "en", 10, iso(now), list(questions)), now)


def log(db):
    return db.execute("SELECT item_type, item_id, rating, mode FROM review_log ORDER BY id").fetchall()


def test_rubric_to_rating():
    assert mock.rating_for({}) == 1
    assert mock.rating_for({"complete": True, "concise": True, "confident": True}) == 1  # wrong is a fail
    assert mock.rating_for({"correct": True}) == 1
    assert mock.rating_for({"correct": True, "concise": True}) == 2
    assert mock.rating_for({"correct": True, "complete": True, "concise": True}) == 3
    assert mock.rating_for(dict.fromkeys(mock.RUBRIC, True)) == 3


def test_failed_question_becomes_due_good_one_is_scheduled_later(synced, now, settings):
    db = synced
    sid = session(db, now, q("card", "tw.basic", ["tw.hier"]), q("card", "perf.p99", ["perf.measure"]), q("story", "checkout-latency"))
    a = mock.score_question(db, sid, 0, {"correct": False, "complete": True}, now, followups_shown=1, settings=settings)
    assert a["rating"] == 1 and not a["passed"] and len(a["log_ids"]) == 2
    mock.score_question(db, sid, 1, dict.fromkeys(mock.RUBRIC, True), now, followups_shown=0, settings=settings)
    mock.score_question(db, sid, 2, {"correct": True, "complete": True}, now, settings=settings)
    assert log(db) == [
        ("card", "tw.basic", 1, "mock"),
        ("card", "tw.hier", 1, "mock"),
        ("card", "perf.p99", 3, "mock"),
        ("story", "checkout-latency", 2, "mock"),
    ]
    later = now + dt.timedelta(minutes=30)
    due = {x.item_id for x in engine.build_queue(db, later, settings) if not x.new}
    assert {"tw.basic", "tw.hier"} <= due  # failed in the mock: due again in review
    assert engine.get_state(db, "card", "perf.p99")["due"] > iso(now)
    assert engine.get_state(db, "card", "perf.measure") is None  # never asked
    with pytest.raises(PrepError, match="already scored"):
        mock.score_question(db, sid, 0, {}, now, settings=settings)
    with pytest.raises(PrepError, match="no question 9"):
        mock.score_question(db, sid, 8, {}, now, settings=settings)
    with pytest.raises(PrepError, match="unknown rubric"):
        mock.score_question(db, sid, 1, {"brave": True}, now, settings=settings)
    s = mock.finish_session(db, sid, now)
    assert s == {
        "id": sid,
        "profile": "p",
        "status": "finished",
        "questions": 3,
        "answered": 3,
        "passed": 2,
        "score": round((0.25 + 1 + 0.5) / 3, 3),
        "failed": ["tw.basic"],
    }


def test_failed_deep_dive_makes_its_whole_chain_due(synced, now, settings):
    db = synced
    chain = ["perf.p99", "perf.measure", "tw.basic"]
    sid = session(db, now, q("claim", "acme.checkout-latency", chain), q("claim", "acme.checkout-latency", chain))
    mock.score_question(db, sid, 0, {"correct": True, "complete": True, "concise": True}, now, followups_shown=1, settings=settings)
    assert log(db) == [("card", "perf.p99", 3, "mock")]  # a pass counts for what was asked
    mock.score_question(db, sid, 1, {}, now, followups_shown=0, settings=settings)
    assert [r[1] for r in log(db)[1:]] == chain and {r[2] for r in log(db)[1:]} == {1}
    assert db.execute("SELECT item_type, item_id, score FROM mock_answers ORDER BY position").fetchall() == [
        ("claim", "acme.checkout-latency", 0.75),
        ("claim", "acme.checkout-latency", 0.0),
    ]


def test_drawn_session_round_trips(synced, now, settings):
    d = draw(synced, get_profile("backend-onsite"), DrawOptions(name="backend-onsite", seed=3), now=now, settings=settings)
    sid = mock.start_session(synced, d, now)
    saved = mock.get_session(synced, sid)
    assert Draw.from_dict(saved["draw"]) == d and saved["status"] == "running" and saved["answers"] == []
    assert mock.list_sessions(synced)[0] == {
        "id": sid,
        "profile": "backend-onsite",
        "started_at": iso(now),
        "status": "running",
        "answered": 0,
        "score": None,
    }


# -- the TUI ---------------------------------------------------------------------------


def make_app(db, now, *, settings):
    return PrepApp(db, clock=lambda: now, settings=settings, lang="en")  # the assertions read English labels


def test_mock_screen_lists_the_knowledge_bases_own_profiles(synced, kb, now, settings):
    from textual.widgets import DataTable

    from prep.tui.screens.mock import MockScreen

    (kb / "profiles").mkdir()
    (kb / "profiles" / "quick.yaml").write_text("title: {en: Quick}\nslots:\n  - kind: card\n", encoding="utf-8")
    app = PrepApp(synced, clock=lambda: now, settings=settings, kb_root=kb)

    async def steps(pilot):
        await pilot.press("m")
        assert isinstance(app.screen, MockScreen)
        table = app.screen.query_one("#profiles", DataTable)
        assert "quick" in [str(table.get_row_at(i)[0]) for i in range(table.row_count)]

    run(app, steps)


def test_mock_session_in_the_tui(synced, now, settings):
    from prep.tui.screens.mock import MockScreen, MockSessionScreen

    db = synced
    app = make_app(db, now, settings=settings)

    async def steps(pilot):
        dash = app.screen
        assert isinstance(dash, DashboardScreen)
        await app.workers.wait_for_complete()  # the audit runs in a worker thread
        await pilot.pause()
        assert "Audit: the claim is covered, figures consistent" in str(dash.query_one("#audit", Static).content)
        assert any(b.binding.key == "m" and b.binding.show for b in dash.active_bindings.values())
        await pilot.press("m")
        assert isinstance(app.screen, MockScreen)
        app.screen.seed = 11
        await pilot.press("enter")  # the first profile: backend-onsite
        screen = app.screen
        assert isinstance(screen, MockSessionScreen)
        qs = screen.draw.questions
        assert qs[0].item_type == "claim" and qs[0].q in str(screen.query_one("#question", Static).content)
        assert "Q 1/" in str(screen.query_one("#status", Static).content)
        assert "▸" not in str(screen.query_one("#followups", Static).content)
        await pilot.press("f")  # the interviewer drills down
        assert qs[0].followups[0].q in str(screen.query_one("#followups", Static).content)
        await pilot.press("space")
        assert screen.query_one("#keypoints").display
        await pilot.press("enter")  # nothing ticked: a fail
        assert screen.index == 1
        for _ in qs[1:]:
            await pilot.press("1", "2", "3", "enter")  # correct, complete, concise: a pass
        assert screen.done
        assert f"Session complete: {len(qs) - 1}/{len(qs)} passed" in str(screen.query_one("#question", Static).content)
        await pilot.press("q")
        assert isinstance(app.screen, MockScreen)
        assert "finished" in str(app.screen.query_one("#recent", Static).content)
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)

    run(app, steps)
    ((sid, status, seed),) = db.execute("SELECT id, status, seed FROM mock_sessions").fetchall()
    assert status == "finished" and seed == 11
    answers = mock.answers(db, sid)
    assert [a["rating"] for a in answers] == [1] + [3] * (len(answers) - 1)
    assert answers[0]["followups_shown"] == 1
    draw_json = json.loads(db.execute("SELECT draw FROM mock_sessions").fetchone()[0])
    chain = [f["card"] for f in draw_json["questions"][0]["followups"]]
    # the failed deep-dive made its chain due; everything was recorded as a mock answer
    assert {r[1] for r in log(db) if r[2] == 1} == set(chain)
    assert {r[3] for r in log(db)} == {"mock"}
    due = {x.item_id for x in engine.build_queue(db, now + dt.timedelta(minutes=5), settings) if not x.new}
    assert set(chain) <= due


def test_leaving_a_mock_early_keeps_scores(synced, now, settings):
    from prep.tui.screens.confirm import ConfirmScreen
    from prep.tui.screens.mock import MockScreen

    db = synced
    app = make_app(db, now, settings=settings)

    async def steps(pilot):
        app.push_screen(MockScreen(seed=5))
        await pilot.pause()
        await pilot.press("enter", "1", "enter", "q")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        assert isinstance(app.screen, MockScreen)
        recent = str(app.screen.query_one("#recent", Static).content)
        assert f"#1 {local(now)} (now)  backend-onsite" in recent and "abandoned" in recent  # local time, not UTC ISO

    run(app, steps)
    assert db.execute("SELECT status FROM mock_sessions").fetchall() == [("abandoned",)]
    assert db.execute("SELECT count(*), sum(rating) FROM mock_answers").fetchone() == (1, 1)


def test_the_mock_screen_words_times_and_states_in_the_kbs_language(synced, now, settings):
    from prep.tui.screens.mock import MockScreen

    db = synced
    then = now - dt.timedelta(days=2)
    drawn = draw(db, get_profile("backend-onsite"), DrawOptions(name="backend-onsite", seed=5), now=then, settings=settings)
    mock.finish_session(db, mock.start_session(db, drawn, then), then)
    app = PrepApp(db, clock=lambda: now, settings=settings, lang="zh")

    async def steps(pilot):
        app.push_screen(MockScreen(seed=5))
        await pilot.pause()
        recent = str(app.screen.query_one("#recent", Static).content)
        assert f"#1 {local(then)} (2天前)  backend-onsite" in recent and "已完成" in recent

    run(app, steps)
