"""The dashboard's figures come from a worker: keys are handled while it runs, the
figures painted stay until newer ones arrive, and an older refresh never overwrites a
newer one. Driven by the pilot; the worker is held on an Event, never timed."""

from __future__ import annotations

import dataclasses
import threading

import pytest
from conftest import run_app as run
from textual.widgets import DataTable, Static

from prep.index.sync import sync
from prep.tui import dashboard_data
from prep.tui.app import PrepApp
from prep.tui.screens import dashboard
from prep.tui.screens.browse import BrowseScreen
from prep.tui.screens.dashboard import DashboardScreen

WAIT_S = 10  # a held worker gives up after this, so a broken test fails instead of hanging


@pytest.fixture
def make_app(db, kb, now, settings):
    sync(db, kb, now=now)
    return lambda: PrepApp(db, clock=lambda: now, settings=settings, lang="en")


class Gate:
    """Stands in for `dashboard_data.gather`: each call blocks until released (when held),
    then returns the real figures, with `cards` replaced when `cards` is given."""

    def __init__(self) -> None:
        self.held = False
        self.calls: list[threading.Event] = []
        self.started = threading.Semaphore(0)
        self.cards: list[int | None] = []

    def __call__(self, db, now, settings, lang):
        release = threading.Event()
        if not self.held:
            release.set()
        self.calls.append(release)
        cards = self.cards.pop(0) if self.cards else None
        self.started.release()
        release.wait(WAIT_S)
        data = dashboard_data.gather(db, now, settings, lang)
        return data if cards is None else dataclasses.replace(data, stats={**data.stats, "cards": cards})


@pytest.fixture
def gate(monkeypatch) -> Gate:
    g = Gate()
    monkeypatch.setattr(dashboard, "gather", g)
    return g


def summary(app) -> str:
    return str(app.screen.query_one("#summary", Static).content)


async def until(pilot, done) -> None:
    """Let the app run (never blocking its loop) until `done()`; fail after many frames."""
    for _ in range(1000):
        if done():
            return
        await pilot.pause(0.01)
    raise AssertionError("the app never got there")


async def started(pilot, gate: Gate) -> None:
    """Until one more refresh has called `gather`."""
    await until(pilot, lambda: gate.started.acquire(blocking=False))


async def settled(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_a_slow_refresh_shows_a_placeholder_and_keys_still_work(make_app, gate):
    gate.held = True
    app = make_app()

    async def steps(pilot):
        await started(pilot, gate)  # the launch refresh is running, held
        assert summary(app) == "Loading…"  # a placeholder, never a zero
        assert app.screen.query_one("#claims", DataTable).row_count == 0
        await pilot.press("b")  # handled while the worker is still held
        assert isinstance(app.screen, BrowseScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)
        for release in gate.calls:
            release.set()
        await settled(pilot)
        assert "Due 0 · New 4" in summary(app) and "4 cards" in summary(app)
        assert app.screen.query_one("#claims", DataTable).row_count == 1

    run(app, steps)


def test_after_a_review_the_dashboard_shows_the_new_counts(make_app, gate):
    app = make_app()

    async def steps(pilot):
        await settled(pilot)
        assert "Due 0 · New 4" in summary(app)
        decks = app.screen.query_one("#decks", DataTable)
        before = {str(decks.get_row_at(i)[0]): decks.get_row_at(i)[1] for i in range(decks.row_count)}
        gate.held = True
        await pilot.press("s", "space", "3", "q", "y")  # one answer, then leave the session
        assert isinstance(app.screen, DashboardScreen)
        await started(pilot, gate)  # the launch refresh
        await started(pilot, gate)  # the refresh on return, held
        assert "Due 0 · New 4" in summary(app)  # the figures painted stay until the new ones arrive
        gate.calls[-1].set()
        await settled(pilot)
        assert "Due 0 · New 3" in summary(app)
        after = {str(decks.get_row_at(i)[0]): decks.get_row_at(i)[1] for i in range(decks.row_count)}
        assert sum(before.values()) - sum(after.values()) == 1  # one deck's "new" went down by one

    run(app, steps)


def test_an_older_refresh_finishing_last_is_dropped(make_app, gate):
    app = make_app()

    async def steps(pilot):
        await settled(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        gate.held, gate.cards = True, [111, 222]
        await started(pilot, gate)  # the launch refresh
        screen.refresh_data()  # older: held until the newer one has been painted
        await started(pilot, gate)
        screen.refresh_data()
        await started(pilot, gate)
        older, newer = gate.calls[-2:]
        newer.set()
        await until(pilot, lambda: "222 cards" in summary(app))
        older.set()
        await settled(pilot)
        assert "222 cards" in summary(app) and "111 cards" not in summary(app)

    run(app, steps)


def test_the_interview_plan_painted_stays_while_a_new_one_is_computed(make_app, db, now, gate, monkeypatch):
    import datetime as dt

    from prep.study import interviews, plan

    monkeypatch.setenv("TZ", "UTC")
    interviews.add(db, (now + dt.timedelta(days=3)).date().isoformat(), now, time="15:00", company="ACME")
    real, hold = plan.build_plan, threading.Event()
    plans: list[int] = []

    def slow_plan(*args, **kw):
        plans.append(1)
        if len(plans) > 1:
            hold.wait(WAIT_S)
        return real(*args, **kw)

    monkeypatch.setattr(plan, "build_plan", slow_plan)  # imported by the dashboard when it plans
    app = make_app()

    def line() -> str:
        return str(app.screen.query_one("#countdown", Static).content)

    async def steps(pilot):
        await settled(pilot)
        assert "ACME" in line() and "today: " in line()
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        screen.refresh_data()
        await until(pilot, lambda: len(plans) == 2)  # the figures are in, the new plan is held
        assert "today: " in line() and "planning…" not in line()
        hold.set()
        await settled(pilot)
        assert "today: " in line()

    run(app, steps)


def test_browse_opened_again_is_as_new(make_app):
    from textual.widgets import Input

    from prep.tui.screens.browse import DEBOUNCE_S

    app = make_app()

    async def listed(pilot) -> str:
        await pilot.pause(DEBOUNCE_S + 0.05)
        await settled(pilot)
        return str(app.screen.query_one("#info", Static).render())

    async def steps(pilot):
        await settled(pilot)
        await pilot.press("b")
        first = app.screen
        assert "type: all" in await listed(pilot)
        claims = app.screen.query_one("#results", DataTable).row_count
        await pilot.press("ctrl+t", "ctrl+t", *"wheel")
        assert "type: card" in await listed(pilot)
        await pilot.press("escape", "b")
        assert app.screen is first  # the same screen, shown again
        assert app.screen.query_one("#q", Input).value == ""
        info = await listed(pilot)
        assert "type: all" in info and "result" in info
        table = app.screen.query_one("#results", DataTable)
        assert table.row_count == claims and table.cursor_row == 0

    run(app, steps)
