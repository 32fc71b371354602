"""Launch: the dashboard's first figures are gathered while Textual starts (a prefetch),
used only while the database is unchanged, and its tables hold every row, reached by the
cursor past the first screenful. Driven by the pilot, never timed."""

from __future__ import annotations

from conftest import run_app as run
from conftest import write
from textual.widgets import DataTable, Static

from prep.index import read
from prep.index.db import iso, transaction
from prep.index.sync import sync
from prep.study.readiness import claim_readiness
from prep.tui.app import PrepApp
from prep.tui.dashboard_data import RISK_ORDER
from prep.tui.screens import dashboard

DECKS = 60  # more deck rows than a 100x30 dashboard shows at once


def summary(app) -> str:
    return str(app.screen.query_one("#summary", Static).content)


async def settled(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def counting(monkeypatch) -> list[int]:
    calls: list[int] = []
    real = dashboard.gather

    def gather(*args):
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(dashboard, "gather", gather)
    return calls


def test_launch_gathers_the_figures_once(db, kb, now, settings, monkeypatch):
    sync(db, kb, now=now)
    calls = counting(monkeypatch)
    app = PrepApp(db, clock=lambda: now, settings=settings, lang="en")

    async def steps(pilot):
        await settled(pilot)
        assert "Due 0 · New 4" in summary(app)
        assert len(calls) == 1  # the prefetch's reading, not a second one after the first frame

    run(app, steps)


def test_a_write_before_the_first_refresh_drops_the_prefetched_figures(db, kb, now, settings, monkeypatch):
    sync(db, kb, now=now)
    calls = counting(monkeypatch)
    app = PrepApp(db, clock=lambda: now, settings=settings, lang="en")
    app.prefetch._future.result(timeout=10)  # type: ignore[union-attr]  # the reading is taken: streak 0
    with transaction(db):
        db.execute(
            "INSERT INTO review_log (item_type, item_id, reviewed_at, rating, mode) VALUES ('card', 'tw.basic', ?, 3, 'review')",
            [iso(now)],
        )

    async def steps(pilot):
        await settled(pilot)
        assert "Streak 1d" in summary(app)  # read again after the answer, not the stale 0d
        assert len(calls) == 2

    run(app, steps)


def test_figures_prefetched_long_before_the_dashboard_shows_are_read_again(db, kb, now, settings, monkeypatch):
    import datetime as dt

    sync(db, kb, now=now)
    calls = counting(monkeypatch)
    clock = [now]
    app = PrepApp(db, clock=lambda: clock[0], settings=settings, lang="en")
    later = now + dt.timedelta(hours=1)  # e.g. `prep study`: the dashboard shows when the review closes
    clock[0] = later

    async def steps(pilot):
        await settled(pilot)
        assert len(calls) == 2
        assert app.screen.data is not None and app.screen.data.now == later

    run(app, steps)


def test_every_row_is_shown_and_the_cursor_reaches_the_last(db, kb, now, settings):
    for d in range(DECKS):
        write(
            kb,
            f"decks/many-{d:02}.yaml",
            f"""
            name: {{zh: 主题{d:02}, en: Topic {d:02}}}
            cards:
              - id: many.{d}
                q: Question {d}?
                a: Answer {d}.
                claims: [acme.checkout-latency]
            """,
        )
    sync(db, kb, now=now)
    app = PrepApp(db, clock=lambda: now, settings=settings, lang="en")
    decks_expected = [d["deck"] for d in read.stats(db, now=now, lang="en")["per_deck"]]
    ready = claim_readiness(db, now, settings, "en")
    claims_expected = [c["id"] for c in sorted(ready, key=lambda c: (RISK_ORDER.get(c["risk"], 3), c["score"]))]

    async def steps(pilot):
        await settled(pilot)
        decks = app.screen.query_one("#decks", DataTable)
        claims = app.screen.query_one("#claims", DataTable)
        assert len(decks_expected) > DECKS > decks.scrollable_content_region.height  # more than fit
        assert [r.key.value for r in decks.ordered_rows] == decks_expected
        assert [r.key.value for r in claims.ordered_rows] == claims_expected
        decks.focus()
        for _ in range(len(decks_expected) - 1):
            await pilot.press("down")
        await pilot.pause()
        assert decks.cursor_row == len(decks_expected) - 1
        last = decks.coordinate_to_cell_key(decks.cursor_coordinate).row_key.value
        assert last == decks_expected[-1]
        assert decks.scroll_y > 0
        assert "Topic 59" in app.export_screenshot().replace("&#160;", " ")  # scrolled into view
        await pilot.press("down")
        assert decks.cursor_row == len(decks_expected) - 1  # the end, not past it

    run(app, steps)


def test_the_first_frame_drawn_shows_the_figures(db, kb, now, settings, monkeypatch):
    """The prefetched figures are painted by the time Textual first lays out and renders the
    dashboard: its first render already holds them (no "Loading…" frame first)."""
    from textual._compositor import Compositor

    sync(db, kb, now=now)
    app = PrepApp(db, clock=lambda: now, settings=settings, lang="en")
    app.prefetch._future.result(timeout=10)  # type: ignore[union-attr]  # read, as at a real launch
    drawn: list[tuple[str, int]] = []
    real = Compositor.render_update

    def render_update(self, *args, **kw):
        screen = app.screen if app._screen_stack else None
        if isinstance(screen, dashboard.DashboardScreen):
            drawn.append((summary(app), screen.query_one("#decks", DataTable).row_count))
        return real(self, *args, **kw)

    monkeypatch.setattr(Compositor, "render_update", render_update)

    async def steps(pilot):
        await settled(pilot)
        assert drawn, "the dashboard was never drawn"
        text, rows = drawn[0]
        assert "Due 0 · New 4" in text and rows == len(read.stats(db, now=now, lang="en")["per_deck"])

    run(app, steps)


def test_footer_keys_are_built_in_the_footers_style(db, kb, now, settings, monkeypatch):
    """At 60 columns the footer is compact, at 120 not: each key is built in that style, so
    none is restyled for a class switched after it was mounted (twice per key, 20-30 ms of
    a launch), and each shows the style."""
    from textual.widgets._footer import FooterKey

    from prep.tui.widgets.footer import PrepFooter

    sync(db, kb, now=now)
    restyled: list[str] = []
    real = FooterKey.update_node_styles

    def update_node_styles(self, *args, **kw):
        restyled.append(self.key)
        return real(self, *args, **kw)

    monkeypatch.setattr(FooterKey, "update_node_styles", update_node_styles)
    for width, compact in ((60, True), (120, False)):
        restyled.clear()
        app = PrepApp(db, clock=lambda: now, settings=settings, lang="en")

        async def steps(pilot, app=app, compact=compact):
            await settled(pilot)
            footer = app.screen.query_one(PrepFooter)
            keys = list(footer.query(FooterKey))
            assert keys and footer.compact is compact
            assert all(k.has_class("-compact") is compact and k.compact is compact for k in keys)
            assert restyled == []

        run(app, steps, size=(width, 30))


def test_what_the_audit_imported_is_frozen_once_its_line_is_shown(db, kb, now, settings, monkeypatch):
    """The audit line's worker imports the content models (objects that live as long as the
    process): they are frozen out of the cyclic GC when the line arrives, so its later full
    collections do not rescan them during a key."""
    import gc

    sync(db, kb, now=now)
    counts: list[int] = []
    real = dashboard.DashboardScreen.on_dashboard_screen_audit_ready

    def audit_ready(self, message):
        counts.append(gc.get_freeze_count())
        real(self, message)
        counts.append(gc.get_freeze_count())

    monkeypatch.setattr(dashboard.DashboardScreen, "on_dashboard_screen_audit_ready", audit_ready)
    app = PrepApp(db, clock=lambda: now, settings=settings, lang="en")

    async def steps(pilot):
        await settled(pilot)
        assert len(counts) == 2 and counts[1] > counts[0]

    run(app, steps)
