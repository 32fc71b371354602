"""Mock interviews in the terminal: pick a profile, then answer one question at a time
against a timer while the "interviewer" drills down, and self-score each answer.

Drawing and saving live in the core (`prep.mock.draw`, `prep.mock.session`); each score is saved
(and fed to the schedule) the moment it is given, so leaving early loses nothing.
"""

from __future__ import annotations

import random
import time
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Markdown, Static

from prep.errors import ContentErrors
from prep.kb.vocab import count, pick
from prep.mock import session
from prep.mock.draw import Draw
from prep.tui.screens.base import BACK, BackScreen, PrepScreen
from prep.tui.widgets.columns import fill, widths
from prep.tui.widgets.footer import PrepFooter
from prep.tui.words import WORDS


def _clock(seconds: float) -> str:
    s = int(max(seconds, 0))
    return f"{s // 60}:{s % 60:02d}"


class MockScreen(BackScreen):
    """Choose a profile; Enter draws a fresh set and starts the session."""

    CSS_PATH = "mock.tcss"
    BINDINGS: ClassVar[list[BindingType]] = BACK

    def __init__(self, seed: int | None = None):
        super().__init__()
        self.seed = seed  # fixed in tests; otherwise a fresh seed per session
        self.profiles: dict = {}

    def compose(self) -> ComposeResult:
        yield Static(self.t("mock_title"), classes="title")
        yield DataTable(id="profiles", cursor_type="row", zebra_stripes=True)
        yield Static(id="recent", classes="muted")
        yield PrepFooter()

    def on_mount(self) -> None:
        from prep.mock.profiles import BUILTIN, Profile, load_profiles

        try:
            self.profiles = load_profiles(self.app.kb_root)
        except ContentErrors as e:
            self.notify(self.t("profile_errors", n=len(e.errors), errors=count(len(e.errors), "error"), first=e.errors[0]), severity="error")
            self.profiles = {k: Profile.model_validate(v) for k, v in BUILTIN.items()}
        self.rows = [
            (name, [name, sum(s.count for s in p.slots), f"{p.minutes:g}", pick(p.title, self.app.lang)]) for name, p in self.profiles.items()
        ]
        self.render_table()
        self.query_one("#profiles", DataTable).focus()
        self.refresh_data()

    def on_resize(self) -> None:
        if hasattr(self, "rows"):
            self.render_table()

    def render_table(self) -> None:
        headers = [self.t("col_profile"), self.t("col_questions"), self.t("col_min"), self.t("col_title")]
        fill(self.query_one("#profiles", DataTable), headers, widths(self.app.size.width, headers, self.rows, flex=3), self.rows)

    def on_screen_resume(self) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        from prep.export.when import local, relative

        rows = session.list_sessions(self.app.db, limit=5)
        now, lang = self.app.now(), self.app.lang
        lines = [self.t("recent")] + [
            f"  #{r['id']} {local(r['started_at'])} ({relative(r['started_at'], now, lang)})  {r['profile']:<16} {self._status(r['status'])} "
            + self.t("answered", n=r["answered"])
            + (self.t("session_score", pct=round(r["score"] * 100)) if r["score"] is not None else "")
            for r in rows
        ]
        self.query_one("#recent", Static).update(Text("\n".join(lines) if rows else self.t("no_sessions")))

    def _status(self, status: str) -> str:
        key = f"session_{status}"
        return self.t(key) if key in WORDS else status

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.start(event.row_key.value)

    def start(self, name: str) -> None:
        from prep.mock.draw import DrawOptions, draw

        app = self.app
        seed = self.seed if self.seed is not None else random.SystemRandom().randrange(1, 1_000_000)
        drawn = draw(app.db, self.profiles[name], DrawOptions(name=name, seed=seed, lang=app.lang), now=app.now(), settings=app.settings)
        if not drawn.questions:
            self.notify(self.t("nothing_to_draw", why="; ".join(drawn.warnings)), severity="warning")
            return
        session_id = session.start_session(app.db, drawn, app.now())
        app.push_screen(MockSessionScreen(session_id, drawn))


class MockSessionScreen(PrepScreen):
    """One question at a time: answer aloud, drill down (f), check (space), score (1-4, Enter)."""

    CSS_PATH = "mock.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "followup", "Followup"),
        Binding("space", "reveal", "Key points"),
        # 1-4 are listed on the rubric line itself, which shows their state.
        *[Binding(str(i), f"rubric('{k}')", k.capitalize(), show=False) for i, k in enumerate(session.RUBRIC, 1)],
        Binding("enter", "score", "Score"),
        Binding("q", "leave", "Back"),
        Binding("escape", "leave", "Back", show=False),
    ]

    def __init__(self, session_id: int, drawn: Draw):
        super().__init__()
        self.session_id = session_id
        self.draw = drawn
        self.index = 0
        self.followups_shown = 0
        self.revealed = False
        self.rubric: dict[str, bool] = {}
        self.results: list[dict] = []
        self.started = self.q_started = 0.0
        self.done = False

    @property
    def question(self):
        return self.draw.questions[self.index] if not self.done else None

    def compose(self) -> ComposeResult:
        yield Static(id="status", classes="title")
        with VerticalScroll(id="body"):
            yield Static(id="question")
            yield Static(id="followups")
            yield Markdown(id="keypoints")
        yield Static(id="rubric")
        yield PrepFooter()

    def on_mount(self) -> None:
        self.started = time.monotonic()
        self.set_interval(1, self.tick)
        self.show_question()

    def tick(self) -> None:
        now = time.monotonic()
        total = self.t("mock_total", spent=_clock(now - self.started), budget=_clock(self.draw.minutes * 60))
        if self.done:
            return
        q = self.question
        spent = now - self.q_started
        over = self.t("over_time") if spent > q.minutes * 60 else ""
        self.query_one("#status", Static).update(
            self.t(
                "mock_status",
                title=self.draw.title,
                n=self.index + 1,
                total=len(self.draw.questions),
                label=q.label,
                spent=_clock(spent),
                budget=_clock(q.minutes * 60),
                all=total,
                over=over,
            )
        )

    def show_question(self) -> None:
        q = self.question
        self.followups_shown = 0
        self.revealed = False
        self.rubric = {}
        self.q_started = time.monotonic()
        self.query_one("#question", Static).update(Text(q.q, style="bold"))
        self.query_one("#keypoints", Markdown).display = False
        self.render_followups()
        self.render_rubric()
        self.query_one("#body", VerticalScroll).scroll_home(animate=False)
        self.tick()
        self.refresh_bindings()

    def render_followups(self) -> None:
        q = self.question
        fu = self.query_one("#followups", Static)
        shown = q.followups[: self.followups_shown] if q else []
        left = len(q.followups) - self.followups_shown if q else 0
        lines = [f"  ▸ {' '.join(f.q.split())}" for f in shown]
        if lines:
            lines.insert(0, self.t("drills_down"))
        if left:
            lines.append(self.t("followups_left", n=left))
        fu.update(Text("\n".join(lines)))
        fu.display = bool(lines)

    def render_rubric(self) -> None:
        marks = "  ".join(f"{i}[{'x' if self.rubric.get(k) else ' '}]{self.t('rubric_' + k)}" for i, k in enumerate(session.RUBRIC, 1))
        verdict = self.t(f"verdict_{session.rating_for(self.rubric)}")
        self.query_one("#rubric", Static).update(Text(self.t("self_score", marks=marks, verdict=verdict)))

    def render_keypoints(self) -> None:
        q = self.question
        parts = [q.key_points or f"*{self.t('no_key_points')}*"]
        for i, f in enumerate(q.followups[: self.followups_shown], 1):
            parts += ["", f"### {self.t('followup_n', n=i)}{' '.join(f.q.split())}", "", f.a or f"*{self.t('no_notes')}*"]
        md = self.query_one("#keypoints", Markdown)
        md.update("\n".join(parts))
        md.display = True

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "followup":
            return not self.done and self.followups_shown < len(self.question.followups)
        if action in ("reveal", "toggle", "score"):
            return not self.done
        return True

    def action_followup(self) -> None:
        if self.done or self.followups_shown >= len(self.question.followups):
            return
        self.followups_shown += 1
        self.render_followups()
        if self.revealed:
            self.render_keypoints()
        self.refresh_bindings()

    def action_reveal(self) -> None:
        if self.done:
            return
        self.revealed = not self.revealed
        if self.revealed:
            self.render_keypoints()
        else:
            self.query_one("#keypoints", Markdown).display = False

    def action_rubric(self, criterion: str) -> None:
        if self.done:
            return
        self.rubric[criterion] = not self.rubric.get(criterion)
        self.render_rubric()

    def action_score(self) -> None:
        if self.done:
            return
        app = self.app
        duration = int((time.monotonic() - self.q_started) * 1000)
        saved = session.score_question(
            app.db,
            self.session_id,
            self.index,
            self.rubric,
            app.now(),
            followups_shown=self.followups_shown,
            duration_ms=duration,
            settings=app.settings,
        )
        self.results.append(saved)
        if self.index + 1 < len(self.draw.questions):
            self.index += 1
            self.show_question()
        else:
            self.finish()

    def finish(self) -> None:
        self.done = True
        summary = session.finish_session(self.app.db, self.session_id, self.app.now())
        lines = [self.t("mock_done", passed=summary["passed"], n=summary["questions"], pct=round((summary["score"] or 0) * 100)), ""]
        for i, (q, r) in enumerate(zip(self.draw.questions, self.results, strict=False), 1):
            ok = self.t("pass") if r["passed"] else self.t("fail")
            lines.append(f"{i}. {ok} {round(r['score'] * 100):>3}%  {q.label}: {' '.join(q.q.split())}")
        if summary["failed"]:
            lines += ["", self.t("failed_due")]
        lines += ["", self.t("press_q")]
        self.query_one("#status", Static).update(self.t("mock_status_done", title=self.draw.title))
        self.query_one("#question", Static).update(Text("\n".join(lines)))
        self.query_one("#followups", Static).display = False
        self.query_one("#keypoints", Markdown).display = False
        self.query_one("#rubric", Static).update("")
        self.refresh_bindings()

    def action_leave(self) -> None:
        if self.done:
            self.app.pop_screen()
            return
        from prep.tui.screens.confirm import ConfirmScreen

        scores = len(self.results)
        are = "is" if scores == 1 else "are"
        question = self.t("leave_mock", n=self.index + 1, total=len(self.draw.questions), scores=scores, score_count=count(scores, "score"), are=are)

        def done(leave: bool | None) -> None:
            if leave:
                session.finish_session(self.app.db, self.session_id, self.app.now(), status="abandoned")
                self.app.pop_screen()

        self.app.push_screen(ConfirmScreen(question), done)
