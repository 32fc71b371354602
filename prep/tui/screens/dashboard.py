"""The dashboard: what is due, how ready each resume claim is, and the study habit."""

from __future__ import annotations

import datetime as dt
import gc
from concurrent.futures import Future
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Header, Static

from prep.index.views import DeckStats
from prep.kb.vocab import code_word
from prep.study.readiness import ClaimReadiness
from prep.tui import launch
from prep.tui.app import PrepApp
from prep.tui.dashboard_data import DashboardData, Prefetch, gather
from prep.tui.screens.base import PrepScreen
from prep.tui.widgets.charts import bars, heatmap, meter
from prep.tui.widgets.columns import fill, natural, share, table_width
from prep.tui.widgets.footer import PrepFooter
from prep.tui.widgets.table import FixedTable

if TYPE_CHECKING:
    from prep.study.plan import Plan

LAUNCH_WAIT_S = 0.05  # what launch may wait for its prefetched figures, at most (below a key's 50 ms budget)


def prefetch(app: PrepApp) -> Prefetch:
    """The launch's figures, started before the app runs; `gather` is looked up here so a
    test that replaces it replaces the launch's call too."""
    return Prefetch(app.db, app.now(), app.settings, app.lang, lambda *args: gather(*args))


def _ready(launch: Future[DashboardData]) -> bool:
    """The launch's reading is in, or comes within LAUNCH_WAIT_S: at mount it is usually a
    few ms from done, and waiting (the GIL released) beats painting "Loading…" first, then
    the figures a frame or two later (~40-80 ms at 50k cards)."""
    try:
        return launch.exception(timeout=LAUNCH_WAIT_S) is None
    except TimeoutError:
        return False


class DashboardScreen(PrepScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "app.study", "Study"),
        Binding("b", "browse", "Browse"),
        Binding("r", "rehearse", "Stories"),
        Binding("m", "mock", "Mock"),
        Binding("c", "confirm", "To confirm"),
        Binding("enter", "open", "Study selection", show=False),
        Binding("q", "app.quit", "Quit"),
        Binding("escape", "app.quit", "Quit", show=False),
    ]

    _countdown: str | None = None  # the next interview's line, None when none is ahead
    data: DashboardData | None = None  # the figures painted, None until the first arrive

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="summary", classes="title")
        yield Static(id="countdown")
        with Horizontal(id="tables"):
            with Vertical(id="left"):
                yield Static(self.t("decks_title"), classes="muted")
                yield FixedTable(id="decks", cursor_type="row", zebra_stripes=True)
            with Vertical(id="right"):
                yield Static(self.t("claims_title"), classes="muted")
                yield FixedTable(id="claims", cursor_type="row", zebra_stripes=True)
        yield Static(id="audit", classes="muted")
        yield Static(id="charts")
        yield PrepFooter()

    def on_mount(self) -> None:
        self.deck_rows: list[DeckStats] = []
        self.claim_rows: list[ClaimReadiness] = []
        self.data = None
        self._generation = 0  # the newest refresh; an older worker's figures are dropped
        self._plan_shown = False  # the interview plan's line is painted (not "planning…")
        self._painted: tuple[int, list, list] | None = None  # (width, decks, claims) the tables show
        self._shown_once = False  # the first ScreenResume (the launch) asks for no second reading
        self._audit_shown = False
        self.query_one("#summary", Static).update(self.t("dashboard_loading"))
        self.query_one("#audit", Static).update(" " + self.t("audit_checking"))
        self.refresh_data()

    def on_unmount(self) -> None:
        launch.resume_gc()
        gc.unfreeze()  # the app is closing: what launch froze may be collected again

    def on_resize(self) -> None:
        self.render_tables()
        self.render_charts()

    def render_tables(self) -> None:
        """Both tables side by side when their columns fit the terminal, else one above the
        other; names and ids are cut (with …) only when even a full-width table is too narrow."""
        if not hasattr(self, "deck_rows"):
            return
        width = self.app.size.width
        painted = (width, self.deck_rows, self.claim_rows)
        if painted == self._painted:
            return  # a resize, or a refresh, that changed nothing the tables show
        self._painted = painted
        t = self.t
        deck_head = [t("col_deck"), t("col_new"), t("col_due")]
        deck_cells = [(d["deck"], [d["name"], d["new"], d["due"]]) for d in self.deck_rows]
        claim_head = [t("col_claim"), t("col_risk"), t("col_ready"), t("col_cards"), t("col_stories")]
        bar = width >= 100  # the meter earns its four cells only on a wide terminal
        claim_cells = [
            (
                c["id"],
                [
                    c["id"],
                    code_word("risk", c["risk"], self.app.lang),
                    f"{meter(c['score'], 4) if bar else ''}{round(c['score'] * 100):>4}%",
                    f"{c['cards_known']}/{c['cards']}",
                    f"{c['stories_known']}/{c['stories']}",
                ],
            )
            for c in self.claim_rows
        ]
        deck_w = [natural([r[1][i] for r in deck_cells], h) for i, h in enumerate(deck_head)]
        claim_w = [natural([r[1][i] for r in claim_cells], h) for i, h in enumerate(claim_head)]
        stacked = table_width(deck_w) + table_width(claim_w) > width
        self.query_one("#tables").set_class(stacked, "stacked")
        left = width if stacked else table_width(deck_w)
        right = width if stacked else width - left
        (deck_w[0],) = share(left, deck_w[1:], deck_w[:1])
        (claim_w[0],) = share(right, claim_w[1:], claim_w[:1])
        self.query_one("#left").styles.width = "100%" if stacked else left
        fill(self.query_one("#decks", DataTable), deck_head, deck_w, deck_cells)
        fill(self.query_one("#claims", DataTable), claim_head, claim_w, claim_cells)

    def on_screen_resume(self) -> None:
        # Also sent when the dashboard is first shown, after on_mount asked for the launch's
        # figures. Later refreshes start after the repaint, so the worker's Python does not
        # hold the GIL while the screen paints.
        if self._shown_once:
            self.call_after_refresh(self.refresh_data)
        self._shown_once = True

    def refresh_data(self) -> None:
        """Gather the figures in a worker; the ones painted stay until the new ones arrive."""
        self._generation += 1
        now = self.app.now()
        launch = self.app.prefetch.take(now) if self._generation == 1 else None
        if launch is not None and _ready(launch):
            # Painted now, in on_mount: Textual's first layout and render (inside its start-up
            # batch) then draw the real tables once, rather than empty ones to be drawn again.
            self.show_data(self._generation, launch.result())
        else:
            self.load_data(self._generation, now, launch)

    class DataReady(Message):
        def __init__(self, generation: int, data: DashboardData) -> None:
            super().__init__()
            self.generation, self.data = generation, data

    @work(thread=True, group="dashboard")
    def load_data(self, generation: int, now: dt.datetime, launch: Future[DashboardData] | None = None) -> None:
        from prep.index.db import own_connection

        if launch is not None:  # the launch's reading, still running on its own thread
            self.post_message(self.DataReady(generation, launch.result()))
            return
        app = self.app
        with own_connection(app.db) as db:
            data = gather(db, now, app.settings, app.lang)
        self.post_message(self.DataReady(generation, data))

    def on_dashboard_screen_data_ready(self, message: DataReady) -> None:
        self.show_data(message.generation, message.data)

    def show_data(self, generation: int, data: DashboardData) -> None:
        if generation != self._generation:
            return  # an older refresh finished after a newer one began
        s = data.stats
        summary = self.t(
            "summary", due=s["due"], new=s["new"], stories=s["stories_due"], streak=data.streak, leeches=len(s["leeches"]), cards=s["cards"]
        )
        self.query_one("#summary", Static).update(summary)
        self._countdown = data.countdown
        countdown = self.query_one("#countdown", Static)
        if data.countdown is None:
            countdown.update("")
            self._plan_shown = False
        elif not self._plan_shown:  # a plan painted stays until the new one arrives
            countdown.update(self.t("planning", line=data.countdown))
        countdown.display = data.countdown is not None
        if data.countdown:  # the slower extras start once these figures are painted
            self.call_after_refresh(self.load_forecast, generation, data.now)
        self.deck_rows, self.claim_rows = s["per_deck"], data.claims
        self.render_tables()
        self.call_after_refresh(self.load_audit, data.now)
        if self.data is None:
            # Once the first frame is drawn, what is alive lives as long as the app: frozen
            # out of the cyclic GC, which runs again (prep.tui.launch).
            self.call_after_refresh(launch.end)
        self.data = data
        self.render_charts()

    def render_charts(self) -> None:
        if self.data is None:
            return
        fc, daily = self.data.forecast, self.data.daily
        lines = [self.t("forecast", bars=bars(fc), total=sum(fc), today=fc[0])]
        if self.app.size.height >= 34:
            lines += [self.t("heatmap")] + ["  " + row for row in heatmap(daily)]
        else:
            weekly = [sum(daily[i : i + 7]) for i in range(0, 84, 7)]
            lines.append(self.t("weekly", bars=bars(weekly), total=sum(daily)))
        self.query_one("#charts", Static).update("\n".join(lines))

    class ForecastReady(Message):
        def __init__(self, generation: int, plan: Plan | None) -> None:
            super().__init__()
            self.generation, self.plan = generation, plan

    @work(thread=True, exclusive=True, group="forecast")
    def load_forecast(self, generation: int, now: dt.datetime) -> None:
        """The whole plan runs FSRS forward over every item: off the UI thread."""
        from prep.index.db import own_connection
        from prep.study.plan import build_plan

        app = self.app
        with own_connection(app.db) as db:
            plan = build_plan(db, now, settings=app.settings, lang=app.lang)
        self.post_message(self.ForecastReady(generation, plan))

    def on_dashboard_screen_forecast_ready(self, message: ForecastReady) -> None:
        plan = message.plan
        if message.generation != self._generation or plan is None or not plan.days or not self._countdown:
            return
        from prep.study.plan import today_text

        lines = [f"{self._countdown} · {today_text(plan, self.app.lang)}"]
        if plan.claims:
            today, day = (sum(getattr(c, f) for c in plan.claims) / len(plan.claims) for f in ("today", "planned"))
            weakest = min(plan.claims, key=lambda c: c.planned)
            lines.append(
                self.t(
                    "plan_readiness",
                    today_bar=meter(today, 8),
                    today=f"{today:.0%}",
                    day_bar=meter(day, 8),
                    day=f"{day:.0%}",
                    weakest=weakest.id,
                    weakest_pct=f"{weakest.planned:.0%}",
                )
            )
        self.query_one("#countdown", Static).update("\n".join(lines))
        self._plan_shown = True

    class AuditReady(Message):
        def __init__(self, line: str) -> None:
            super().__init__()
            self.line = line

    @work(thread=True, exclusive=True, group="audit")
    def load_audit(self, now: dt.datetime) -> None:
        """The cached line, or the audit run again after the content changed (seconds at 50k
        cards): off the UI thread, after the figures. Imported here, not at the top: the
        audit imports the content models (pydantic, ~100 ms), which launch does not need."""
        from prep.audit import summary as audit_summary
        from prep.index.db import own_connection

        app = self.app
        with own_connection(app.db) as db:
            line = audit_summary.cached(db, app.lang)
        self.post_message(self.AuditReady(line or audit_summary.compute(app.db, now, app.settings, app.lang)))

    def on_dashboard_screen_audit_ready(self, message: AuditReady) -> None:
        self.query_one("#audit", Static).update(" " + message.line)
        if not self._audit_shown:
            # The audit's worker imported the content models (pydantic, ~100k objects that
            # live as long as the process): frozen too, or the GC's next full collections
            # rescan them in the middle of a key (10-50 ms in browse at 50k cards).
            self._audit_shown = True
            launch.freeze_more()

    def action_open(self) -> None:
        focused = self.focused
        if not isinstance(focused, DataTable) or focused.row_count == 0:
            return
        key = focused.coordinate_to_cell_key(focused.cursor_coordinate).row_key.value
        if focused.id == "decks":
            self.app.action_study(deck=key)
        else:
            from prep.tui.screens.review import ReviewScreen

            self.app.push_screen(ReviewScreen(filters={"claim": key}, cram=True))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_confirm(self) -> None:
        from prep.tui.screens.assumptions import AssumptionsScreen

        self.app.push_screen(AssumptionsScreen())

    def action_browse(self) -> None:
        from prep.tui.screens.browse import BrowseScreen

        # One browse screen for the app's life, shown again as new: building it and, on
        # leaving, collecting it (its rows and rendered lines: a 30-60 ms GC pause at 50k
        # cards) cost more than the listing it shows.
        if not self.app.is_screen_installed("browse"):
            self.app.install_screen(BrowseScreen(), "browse")
        else:
            self.app.get_screen("browse", BrowseScreen).reopen()
        self.app.push_screen("browse")

    def action_rehearse(self) -> None:
        from prep.tui.screens.rehearse import StoryListScreen

        self.app.push_screen(StoryListScreen())

    def action_mock(self) -> None:
        from prep.tui.screens.mock import MockScreen

        self.app.push_screen(MockScreen())
