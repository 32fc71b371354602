"""The first hour: `prep study` reviews at once, an empty session says why, exports land
in the data dir (never in the KB's git repo uninvited)."""

from __future__ import annotations

import dataclasses

import pytest
from click.testing import CliRunner
from conftest import run_app
from textual.widgets import Static

from prep.cli import cli
from prep.index.sync import sync
from prep.study import engine
from prep.tui.app import PrepApp
from prep.tui.screens.dashboard import DashboardScreen
from prep.tui.screens.review import ReviewScreen


@pytest.fixture
def started(monkeypatch):
    """What `prep.tui.app.run` was asked to start, instead of running a terminal app."""
    calls: list[dict] = []
    monkeypatch.setattr("prep.tui.app.run", lambda db, **kw: calls.append(kw))
    return calls


@pytest.mark.parametrize(
    ("args", "start", "filters"),
    [
        ((), "dashboard", {}),
        (("study",), "review", {}),
        (("study", "--deck", "time-wheel"), "review", {"deck": "time-wheel"}),
        (("study", "--dashboard"), "dashboard", {}),
    ],
)
def test_study_reviews_at_once_and_prep_alone_opens_the_dashboard(kb, started, args, start, filters):
    result = CliRunner().invoke(cli, ["--kb", str(kb), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert started[0]["start"] == start
    assert {k: v for k, v in started[0]["filters"].items() if v} == filters


def test_review_start_opens_review_over_the_dashboard(db, kb, now, settings):
    sync(db, kb, now=now)
    app = PrepApp(db, clock=lambda: now, settings=settings, lang="en", start="review")

    async def steps(pilot):
        assert isinstance(app.screen, ReviewScreen) and app.screen.current is not None
        await pilot.press("q")
        assert isinstance(app.screen, DashboardScreen)

    run_app(app, steps)


@pytest.mark.parametrize(
    ("lang", "scheduled", "offer"),
    [
        ("en", "The 2 cards you have studied are scheduled: the next is due in", "Press q for the dashboard"),
        ("zh", "学过的 2 张卡都已排好期：下一张", "按 q 打开仪表盘"),
    ],
)
def test_an_empty_deck_session_says_why_and_offers_the_dashboard(db, kb, now, lang, scheduled, offer, settings):
    sync(db, kb, now=now)
    for card in ("tw.basic", "tw.hier"):
        engine.record_answer(db, "card", card, 4, now, settings=settings)
    app = PrepApp(db, clock=lambda: now, settings=settings, lang=lang, filters={"deck": "time-wheel"}, start="review")

    async def steps(pilot):
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.current is None
        text = str(screen.query_one("#question", Static).content)
        assert scheduled in text and offer in text
        await pilot.press("q")
        assert isinstance(app.screen, DashboardScreen)

    run_app(app, steps)


def test_an_empty_session_names_the_daily_new_limit(db, kb, now, settings):
    sync(db, kb, now=now)
    app = PrepApp(db, clock=lambda: now, settings=dataclasses.replace(settings, new_per_day=0), lang="en", start="review")

    async def steps(pilot):
        text = str(app.screen.query_one("#question", Static).content)
        assert "4 new cards wait: today's new_per_day limit is used up" in text
        assert "scheduled" not in text  # nothing has been studied yet

    run_app(app, steps)


def test_export_anki_writes_to_the_data_dir_and_says_where(kb, prep_home, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["--kb", str(kb), "export", "anki"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    written = list((prep_home / "exports").glob("*.apkg"))
    assert len(written) == 1 and f"Wrote {written[0]}" in result.output
    assert not list(tmp_path.glob("*.apkg")) and not list(kb.rglob("*.apkg"))


def test_export_anki_o_writes_where_asked(kb, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["--kb", str(kb), "export", "anki", "-o", "mine.apkg"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "mine.apkg").is_file() and f"Wrote {tmp_path / 'mine.apkg'}" in result.output
