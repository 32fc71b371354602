"""The dashboard: what is due, how ready each resume claim is, and the study habit."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Static

from prep.audit import summary as audit_summary
from prep.index import read
from prep.study import engine
from prep.study.interviews import next_interview
from prep.study.plan import Plan, build_plan, headline, today_text
from prep.study.readiness import claim_readiness
from prep.tui.screens.base import PrepScreen
from prep.tui.widgets.charts import bars, heatmap, meter


def fit(text: str, cells: int) -> Text:
    out = Text(text, no_wrap=True)
    out.truncate(cells, overflow="ellipsis")
    return out


class DashboardScreen(PrepScreen):
    CSS_PATH = "dashboard.tcss"
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

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="summary", classes="title")
        yield Static(id="countdown")
        with Horizontal(id="tables"):
            with Vertical(id="left"):
                yield Static("Decks  (Enter: study deck)", classes="muted")
                yield DataTable(id="decks", cursor_type="row", zebra_stripes=True)
            with Vertical(id="right"):
                yield Static("Claim readiness  (Enter: cram claim)", classes="muted")
                yield DataTable(id="claims", cursor_type="row", zebra_stripes=True)
        yield Static(id="audit", classes="muted")
        yield Static(id="charts")
        yield Footer()

    def on_mount(self) -> None:
        decks = self.query_one("#decks", DataTable)
        # Columns sized in terminal cells (CJK is double width) so both tables fit 80 columns.
        decks.add_columns("deck", "new", "due")
        claims = self.query_one("#claims", DataTable)
        claims.add_columns("claim", "risk", "ready", "cards", "st.")

    def on_screen_resume(self) -> None:
        # Also sent when the dashboard is first shown: the one refresh on launch.
        self.refresh_data()

    def refresh_data(self) -> None:
        app = self.app
        now = app.now()
        s = read.stats(app.db, now=now, lang=app.lang)
        streak = engine.streak(app.db, now, app.settings)
        self.query_one("#summary", Static).update(
            f"Due {s['due']} · New {s['new']} · Stories due {s['stories_due']} · Streak {streak}d"
            f" · Leeches {len(s['leeches'])} · {s['cards']} cards"
        )
        interview = next_interview(app.db, now)
        self._countdown = headline(interview, now) if interview else None
        self.query_one("#countdown", Static).update(f"{self._countdown} · planning…" if interview else "")
        self.query_one("#countdown", Static).display = interview is not None
        if interview:
            self.load_forecast(now)
        decks = self.query_one("#decks", DataTable)
        decks.clear()
        for d in s["per_deck"]:
            decks.add_row(fit(d["name"], 16), d["new"], d["due"], key=d["deck"])
        claims = self.query_one("#claims", DataTable)
        claims.clear()
        ready = claim_readiness(app.db, now, app.settings, app.lang)
        order = {"high": 0, "medium": 1, "low": 2}
        for c in sorted(ready, key=lambda c: (order.get(c["risk"], 3), c["score"])):
            claims.add_row(
                fit(c["id"], 21), c["risk"][:4], f"{meter(c['score'], 4)}{round(c['score'] * 100):>4}%",
                f"{c['cards_known']}/{c['cards']}", f"{c['stories_known']}/{c['stories']}", key=c["id"],
            )
        line = audit_summary.cached(app.db)
        self.query_one("#audit", Static).update(" " + (line or "Audit: checking…"))
        if line is None:
            self.load_audit(now)
        fc = engine.forecast(app.db, now, 14, app.settings)
        daily = engine.daily_reviews(app.db, now, 84, app.settings)
        lines = [f"Due next 14 days  {bars(fc)}  ({sum(fc)} cards; today {fc[0]})"]
        if self.app.size.height >= 34:
            lines += ["Reviews, last 12 weeks (a column a week):"] + ["  " + row for row in heatmap(daily)]
        else:
            weekly = [sum(daily[i:i + 7]) for i in range(0, 84, 7)]
            lines.append(f"Reviews by week    {bars(weekly)}  ({sum(daily)} in 12 weeks)")
        self.query_one("#charts", Static).update("\n".join(lines))

    class ForecastReady(Message):
        def __init__(self, plan: Plan | None) -> None:
            super().__init__()
            self.plan = plan

    @work(thread=True, exclusive=True, group="forecast")
    def load_forecast(self, now: dt.datetime) -> None:
        """The whole plan runs FSRS forward over every item: off the UI thread."""
        app = self.app
        self.post_message(self.ForecastReady(build_plan(app.db, now, settings=app.settings, lang=app.lang)))

    def on_dashboard_screen_forecast_ready(self, message: ForecastReady) -> None:
        plan = message.plan
        if plan is None or not plan.days or not self._countdown:
            return
        lines = [f"{self._countdown} · {today_text(plan)}"]
        if plan.claims:
            today, day = (sum(getattr(c, f) for c in plan.claims) / len(plan.claims) for f in ("today", "planned"))
            weakest = min(plan.claims, key=lambda c: c.planned)
            lines.append(f"Readiness of its claims  today {meter(today, 8)} {today:.0%}  →  on the day "
                         f"{meter(day, 8)} {day:.0%}  (weakest {weakest.id} {weakest.planned:.0%})")
        self.query_one("#countdown", Static).update("\n".join(lines))

    class AuditReady(Message):
        def __init__(self, line: str) -> None:
            super().__init__()
            self.line = line

    @work(thread=True, exclusive=True, group="audit")
    def load_audit(self, now: dt.datetime) -> None:
        """Off the UI thread, so the dashboard paints at once even at 50k cards."""
        app = self.app
        self.post_message(self.AuditReady(audit_summary.compute(app.db, now, app.settings, app.lang)))

    def on_dashboard_screen_audit_ready(self, message: AuditReady) -> None:
        self.query_one("#audit", Static).update(" " + message.line)

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

        self.app.push_screen(BrowseScreen())

    def action_rehearse(self) -> None:
        from prep.tui.screens.rehearse import StoryListScreen

        self.app.push_screen(StoryListScreen())

    def action_mock(self) -> None:
        from prep.tui.screens.mock import MockScreen

        self.app.push_screen(MockScreen())
