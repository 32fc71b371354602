"""The dashboard counts down to the next interview and shows today's share of the plan."""

from __future__ import annotations

import datetime as dt

from conftest import run_app
from textual.widgets import Static

from prep.index.sync import sync
from prep.study import interviews
from prep.study.srs import Settings
from prep.tui.app import PrepApp


def test_dashboard_countdown_only_while_an_interview_is_ahead(db, kb, now, monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    sync(db, kb, now=now)
    settings = Settings(enable_fuzzing=False)
    seen: dict[str, object] = {}

    async def look(pilot):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        line = pilot.app.screen.query_one("#countdown", Static)
        seen["text"], seen["shown"] = str(line.content), line.display

    run_app(PrepApp(db, clock=lambda: now, settings=settings, lang="en"), look)  # English labels
    assert seen == {"text": "", "shown": False}

    interviews.add(db, (now + dt.timedelta(days=3)).date().isoformat(), now, time="15:00", company="ACME")
    run_app(PrepApp(db, clock=lambda: now, settings=settings, lang="en"), look)  # English labels
    assert seen["shown"] is True
    text = str(seen["text"])
    assert "Interview #1 2026-11-27 15:00 (UTC) ACME in 3d 6h" in text and "today: " in text and " new" in text
    # The forecast, computed in a worker: readiness of its claims today and on the day.
    assert "today ░░░░░░░░ 0%  →  on the day " in text and "(weakest acme.checkout-latency" in text


def test_stories_of_the_interview_come_first_in_the_rehearsal_list(db, kb, now, monkeypatch):
    from textual.widgets import DataTable

    from prep.study.engine import record_answer
    from prep.study.interview_mode import interview_stories

    monkeypatch.setenv("TZ", "UTC")
    sync(db, kb, now=now)
    settings = Settings(enable_fuzzing=False)
    stories = [r[0] for r in db.execute("SELECT id FROM stories ORDER BY id")]
    assert stories
    assert interview_stories(db, now, settings) == set()  # no interview: the normal list
    interviews.add(db, (now + dt.timedelta(days=4)).date().isoformat(), now)
    assert interview_stories(db, now, settings) == set(stories)  # never told: all to rehearse
    rows: list[tuple] = []

    async def look(pilot):
        await pilot.press("r")
        await pilot.pause()
        table = pilot.app.screen.query_one("#stories", DataTable)
        rows.extend(table.get_row_at(i) for i in range(table.row_count))

    run_app(PrepApp(db, clock=lambda: now, settings=settings, lang="en"), look)  # English labels
    assert rows and all(r[2] == "interview" for r in rows[: len(stories)])
    for s in stories:  # told twice today: remembered on the day, not pulled
        record_answer(db, "story", s, 4, now, mode="rehearsal", settings=settings)
        record_answer(db, "story", s, 4, now + dt.timedelta(minutes=20), mode="rehearsal", settings=settings)
    assert interview_stories(db, now + dt.timedelta(hours=1), settings) == set()
    assert interview_stories(db, now + dt.timedelta(days=5), settings) == set()  # the interview is over


def test_the_rehearsal_list_says_when_a_story_is_due_in_words(db, kb, now):
    from textual.widgets import DataTable

    from prep.study.engine import record_answer

    sync(db, kb, now=now)
    settings = Settings(enable_fuzzing=False)
    story = db.execute("SELECT id FROM stories ORDER BY id").fetchone()[0]
    record_answer(db, "story", story, 3, now - dt.timedelta(days=1), mode="rehearsal", settings=settings)
    due = db.execute("SELECT due FROM review_state WHERE item_id = ?", [story]).fetchone()[0]
    cells: dict[str, str] = {}

    async def look(pilot):
        await pilot.press("r")
        await pilot.pause()
        table = pilot.app.screen.query_one("#stories", DataTable)
        cells.update({str(table.get_row_at(i)[0]): str(table.get_row_at(i)[2]) for i in range(table.row_count)})

    run_app(PrepApp(db, clock=lambda: now, settings=settings, lang="en"), look)
    assert due[:10] not in cells[story]  # not the UTC date of the stored timestamp
    assert cells[story] in ("due (23 hours ago)", "due (a day ago)")  # past due: said so, with how long ago
