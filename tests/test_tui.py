"""The TUI driven like a person would: keys through Textual's pilot, checked against the DB."""

from __future__ import annotations

import pytest
from conftest import run_app as run
from textual.widgets import DataTable, Markdown, Static

from prep.index.sync import sync
from prep.tui.app import PrepApp
from prep.tui.screens.dashboard import DashboardScreen
from prep.tui.screens.review import ReviewScreen


@pytest.fixture
def app_factory(db, kb, now, settings):
    sync(db, kb, now=now)

    def make(**kw):
        kw.setdefault("lang", "en")  # the assertions read English labels; zh has its own tests
        return PrepApp(db, clock=lambda: now, settings=settings, **kw)

    return make


def log(db):
    return db.execute("SELECT item_id, rating, mode, undone FROM review_log ORDER BY id").fetchall()


def test_full_session_reveal_rate_undo_finish(app_factory, db):
    app = app_factory()

    async def steps(pilot):
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("s")
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.current == "perf.p99"
        assert not screen.query_one("#answer", Markdown).display
        await pilot.press("3")  # rating before reveal does nothing
        assert log(db) == []
        await pilot.press("space")
        assert screen.query_one("#answer", Markdown).display
        # what the footer shows for each rating key
        descriptions = {k: b.binding.description for k, b in screen.active_bindings.items() if k in "1234"}
        assert descriptions == {"1": "Again 1m", "2": "Hard 6m", "3": "Good 10m", "4": "Easy 8d"}
        assert "How did you measure the 120 ms?" in str(screen.query_one("#followups", Static).content)
        await pilot.press("3")
        assert screen.current == "perf.measure"
        await pilot.press("space", "1")
        assert screen.current == "tw.basic"
        await pilot.press("u")  # undo the Again on perf.measure
        assert screen.current == "perf.measure"
        assert log(db) == [("perf.p99", 3, "review", 0), ("perf.measure", 1, "review", 1)]
        assert db.execute("SELECT count(*) FROM review_state WHERE item_id = 'perf.measure'").fetchone()[0] == 0
        for _ in range(3):
            await pilot.press("space", "4")
        assert screen.current is None
        assert "Session complete: 4 answered" in str(screen.query_one("#status", Static).content)
        await pilot.press("q")
        assert isinstance(app.screen, DashboardScreen)

    run(app, steps)
    assert [r for r in log(db) if not r[3]] == [
        ("perf.p99", 3, "review", 0),
        ("perf.measure", 4, "review", 0),
        ("tw.basic", 4, "review", 0),
        ("tw.hier", 4, "review", 0),
    ]


def test_followup_key_takes_followup_next(app_factory, db):
    app = app_factory(filters={"deck": "time-wheel"}, start="review")

    async def steps(pilot):
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.current == "tw.basic"
        await pilot.press("space", "f", "3")
        assert screen.current == "tw.hier"

    run(app, steps)


def test_leaving_mid_session_asks_and_keeps_answers(app_factory, db):
    app = app_factory()

    async def steps(pilot):
        await pilot.press("s", "space", "3", "q")
        from prep.tui.screens.confirm import ConfirmScreen

        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("q", "y")
        assert isinstance(app.screen, DashboardScreen)
        await settled(pilot)  # the dashboard's figures come from a worker
        assert "Due 0 · New 3" in str(app.screen.query_one("#summary", Static).content)

    run(app, steps)
    assert len(log(db)) == 1


def test_cram_claim_from_dashboard_leaves_schedule(app_factory, db):
    app = app_factory()

    async def steps(pilot):
        await settled(pilot)
        table = app.screen.query_one("#claims", DataTable)
        table.focus()
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.mode == "cram"
        await pilot.press("space", "1")

    run(app, steps)
    assert [r[2] for r in log(db)] == ["cram"]
    assert db.execute("SELECT count(*) FROM review_state").fetchone()[0] == 0


def test_browse_search_open_claim_and_card(app_factory):
    app = app_factory()

    async def steps(pilot):
        await pilot.press("b")
        await pilot.press(*"时间轮")
        await browse_settled(app, pilot)
        results = app.screen.query_one("#results", DataTable)
        keys = [results.coordinate_to_cell_key((i, 0)).row_key.value for i in range(results.row_count)]
        assert "card:tw.basic" in keys
        await pilot.press("enter")  # focus the table
        await pilot.press("enter")  # open the first result
        from prep.tui.screens.detail import DetailScreen

        assert isinstance(app.screen, DetailScreen)
        assert app.screen.item["type"] == "card"
        await pilot.press("escape", "escape")
        await pilot.press("b")
        await browse_settled(app, pilot)
        await pilot.press("enter", "enter")  # empty search lists claims; open the first
        assert app.screen.item["id"] == "acme.checkout-latency"
        links = app.screen.query_one("#links", DataTable)
        assert links.row_count == 5  # 1 story + 4 cards

    run(app, steps)


async def browse_settled(app, pilot):
    """Browse debounces typing and queries in a worker: wait for the rows."""
    from prep.tui.screens.browse import DEBOUNCE_S

    await pilot.pause(DEBOUNCE_S + 0.05)
    await app.workers.wait_for_complete()
    await pilot.pause()


def test_browse_lists_a_page_of_cards_and_says_how_many(app_factory, monkeypatch):
    monkeypatch.setattr("prep.tui.screens.browse.PAGE", 3)
    app = app_factory()

    async def steps(pilot):
        await pilot.press("b")
        await browse_settled(app, pilot)
        await pilot.press("ctrl+t", "ctrl+t")  # all -> claim -> card
        await browse_settled(app, pilot)
        assert app.screen.query_one("#results", DataTable).row_count == 3
        info = str(app.screen.query_one("#info", Static).render())
        assert "first 3 of 4" in info and "type: card" in info

    run(app, steps)


def test_browse_runs_one_search_when_typing_pauses(app_factory, monkeypatch):
    calls = []
    from prep.index import read

    real = read.search
    monkeypatch.setattr(read, "search", lambda *a, **kw: calls.append(a[1]) or real(*a, **kw))
    app = app_factory()

    async def steps(pilot):
        await pilot.press("b")
        await browse_settled(app, pilot)
        await pilot.press(*"时间轮")
        await browse_settled(app, pilot)
        assert calls == ["时间轮"]

    run(app, steps)


def test_dashboard_refreshes_once_on_launch(app_factory, monkeypatch):
    count = []
    real = DashboardScreen.refresh_data
    monkeypatch.setattr(DashboardScreen, "refresh_data", lambda self: count.append(1) or real(self))
    app = app_factory()

    async def steps(pilot):
        await settled(pilot)
        assert len(count) == 1
        assert "cards" in str(app.screen.query_one("#summary", Static).render())

    run(app, steps)


def test_story_rehearsal_is_scheduled(app_factory, db):
    app = app_factory()

    async def steps(pilot):
        await pilot.press("r", "enter")
        from prep.tui.screens.rehearse import RehearseScreen

        screen = app.screen
        assert isinstance(screen, RehearseScreen)
        assert "0:00 / 2:00" in str(screen.query_one("#timer", Static).content)
        await pilot.press("3")  # cannot rate before the story is revealed
        assert log(db) == []
        for _ in range(len(screen.sections)):
            await pilot.press("space")
        await pilot.press("3")

    run(app, steps)
    assert log(db) == [("checkout-latency", 3, "rehearsal", 0)]
    assert db.execute("SELECT item_type FROM review_state").fetchall() == [("story",)]


def test_help_screen_and_small_terminal(app_factory):
    app = app_factory()

    async def steps(pilot):
        await pilot.press("question_mark")
        from prep.tui.screens.help import HelpScreen

        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("s")

        def footer_keys():
            return {b.binding.key for b in app.screen.active_bindings.values() if b.binding.show and b.enabled}

        assert {"space", "q", "question_mark"} <= footer_keys() and "1" not in footer_keys()
        await pilot.press("space")
        assert {"1", "2", "3", "4", "q"} <= footer_keys() and "u" not in footer_keys()
        await pilot.press("3", "space")
        assert {"1", "2", "3", "4", "q", "u"} <= footer_keys()

    run(app, steps, size=(80, 24))


async def settled(pilot):
    """Wait for the dashboard's audit worker so the snapshot never catches 'checking…'."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_help_lists_every_key_of_every_screen():
    from textual.binding import Binding

    from prep.tui.keys import _screens, help_markdown, key_name

    text = help_markdown("en")
    for cls in _screens():
        for b in cls.BINDINGS:
            assert isinstance(b, Binding)
            for key in b.key.split(","):
                assert f"`{b.key_display or key_name(key)}`" in text, (cls.__name__, key)
            assert b.description in text
    assert "**Mock session**: `f` Followup · `Space` Key points · `1` Correct" in text
    assert "`?` 帮助" in help_markdown("zh")


def test_snapshot_dashboard(app_factory, snap_compare):
    assert snap_compare(app_factory(), terminal_size=(80, 24), run_before=settled)


def test_snapshot_review_front_and_back(app_factory, snap_compare):
    assert snap_compare(app_factory(), terminal_size=(100, 30), press=["s"])
    assert snap_compare(app_factory(), terminal_size=(100, 30), press=["s", "space"])


def test_dashboard_audit_summary_is_cached_until_content_changes(app_factory, db, kb, now):
    from prep.index.db import get_meta

    async def first(pilot):
        await settled(pilot)
        assert "Audit: the claim is covered" in str(pilot.app.screen.query_one("#audit", Static).content)

    run(app_factory(), first)
    version = get_meta(db, "content_version")
    assert get_meta(db, "audit_version") == version and get_meta(db, "audit_summary").startswith("Audit: the claim is covered")

    db.execute("UPDATE meta SET value = 'Audit: cached line' WHERE key = 'audit_summary'")

    async def cached(pilot):
        assert "Audit: cached line" in str(pilot.app.screen.query_one("#audit", Static).content)

    run(app_factory(), cached)
    deck = kb / "decks/performance.yaml"
    deck.write_text(deck.read_text(encoding="utf-8").replace("Averages hide", "Means hide"), encoding="utf-8")
    sync(db, kb, now=now)
    assert get_meta(db, "content_version") == str(int(version) + 1)

    async def recomputed(pilot):
        await settled(pilot)
        assert "Audit: the claim is covered" in str(pilot.app.screen.query_one("#audit", Static).content)

    run(app_factory(), recomputed)


def test_dashboard_audit_summary_is_in_the_apps_language(app_factory, db):
    from prep.index.db import get_meta

    async def english(pilot):
        await settled(pilot)
        assert "Audit: the claim is covered" in str(pilot.app.screen.query_one("#audit", Static).content)

    run(app_factory(), english)

    async def chinese(pilot):  # the English line cached above is not shown in a Chinese app
        await settled(pilot)
        line = str(pilot.app.screen.query_one("#audit", Static).content)
        assert "审计：这个条目有支撑" in line and "Audit" not in line

    run(app_factory(lang="zh"), chinese)
    assert get_meta(db, "audit_summary").startswith("审计")
