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

    run_app(PrepApp(db, clock=lambda: now, settings=settings), look)
    assert seen == {"text": "", "shown": False}

    interviews.add(db, (now + dt.timedelta(days=3)).date().isoformat(), now, time="15:00", company="ACME")
    run_app(PrepApp(db, clock=lambda: now, settings=settings), look)
    assert seen["shown"] is True
    text = str(seen["text"])
    assert "Interview #1 2026-11-27 15:00 (UTC) ACME in 3d 6h" in text and "today: " in text and " new" in text
    # The forecast, computed in a worker: readiness of its claims today and on the day.
    assert "today ░░░░░░░░ 0%  →  on the day " in text and "(weakest acme.checkout-latency" in text
