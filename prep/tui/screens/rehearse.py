"""Story rehearsal: tell a STAR story aloud against a timer, reveal it section by
section to check yourself, then self-rate; the story is scheduled like a card."""

from __future__ import annotations

import sqlite3
import time
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Markdown, Static

from prep.index import read
from prep.index.db import sqlite_reason
from prep.index.views import StoryView
from prep.kb.marks import markers
from prep.study import engine
from prep.study.interview_mode import interview_stories
from prep.study.srs import RATING_NAMES
from prep.tui.screens.base import BACK, BackScreen
from prep.tui.screens.review import RATING_BINDINGS


class StoryListScreen(BackScreen):
    CSS_PATH = "rehearse.tcss"
    BINDINGS: ClassVar[list[BindingType]] = BACK

    def compose(self) -> ComposeResult:
        yield Static("STAR stories: due first (Enter rehearses)", classes="title")
        yield DataTable(id="stories", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#stories", DataTable)
        table.add_columns("story", "min", "due", "title")
        self.refresh_data()
        table.focus()

    def on_screen_resume(self) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        app = self.app
        table = self.query_one("#stories", DataTable)
        table.clear()
        now_s = app.now().isoformat()
        ahead = interview_stories(app.db, app.now(), app.settings)  # an interview ahead: its stories first
        rows = []
        for s in read.list_stories(app.db, lang=app.lang):
            st = engine.get_state(app.db, "story", s["id"])
            due = st["due"] if st else ""
            rows.append((0 if s["id"] in ahead else 1 if not st or due <= now_s else 2, due, s))
        for group, due, s in sorted(rows, key=lambda r: (r[0], r[1])):
            when = "interview" if group == 0 else due[:10] if due else "new"
            table.add_row(s["id"], f"{s['minutes']:g}", when, s["title"], key=s["id"])

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.app.push_screen(RehearseScreen(event.row_key.value))


class RehearseScreen(BackScreen):
    CSS_PATH = "rehearse.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "reveal", "Reveal next section"),
        *RATING_BINDINGS,
        *BACK,
    ]

    def __init__(self, story_id: str):
        super().__init__()
        self.story_id = story_id
        self.story: StoryView  # read on mount
        self.sections: list[tuple[str, str]] = []
        self.shown = 0
        self.started = 0.0
        self.rated = False

    def compose(self) -> ComposeResult:
        yield Static(id="timer", classes="title")
        with VerticalScroll(id="body"):
            yield Markdown(id="story")
        yield Footer()

    def on_mount(self) -> None:
        app = self.app
        story = read.show_story(app.db, self.story_id, app.lang)
        if story is None:  # archived by a sync since the list was shown
            self.notify(f"No story '{self.story_id}' any more.", severity="warning")
            self.app.pop_screen()
            return
        self.story = story
        self.sections = [(k, v) for k, v in self.story["sections"].items() if v and k != "Follow-ups"]
        if self.story["followups"]:
            self.sections.append(("Follow-ups", "\n".join(f"- {f['question']}" + (f"\n  {f['notes']}" if f["notes"] else "") for f in self.story["followups"])))
        self.started = time.monotonic()
        self.set_interval(1, self.tick)
        self.tick()
        self.render_story()

    def tick(self) -> None:
        elapsed = int(time.monotonic() - self.started)
        target = int(self.story["minutes"] * 60)
        over = " — over time, wrap up!" if elapsed > target else ""
        self.query_one("#timer", Static).update(f"⏱ {elapsed // 60}:{elapsed % 60:02d} / {target // 60}:{target % 60:02d}{over}")

    def render_story(self) -> None:
        claims = "\n".join(f"- {c['id']}: {c['text']}" for c in self.story["claims"])
        parts = [f"# {self.story['title']}", "Tell this story aloud (Situation, Task, Action, Result), then reveal to check.", "", "**Backs:**", claims]
        for name, text in self.sections[: self.shown]:
            parts += ["", f"## {name}", text]
        if self.shown >= len(self.sections):
            parts += ["", "*All revealed: rate how well you told it (1-4).*"]
        self.query_one("#story", Markdown).update(markers("\n".join(parts), "tui"))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "reveal":
            return self.shown < len(self.sections)
        if action == "rate":
            return self.shown >= len(self.sections) and not self.rated
        return True

    def action_reveal(self) -> None:
        if self.shown < len(self.sections):
            self.shown += 1
            self.render_story()
            self.query_one("#body", VerticalScroll).scroll_end(animate=False)

    def action_rate(self, rating: int) -> None:
        if self.rated or self.shown < len(self.sections):
            return
        app = self.app
        duration = int((time.monotonic() - self.started) * 1000)
        try:
            engine.record_answer(app.db, "story", self.story_id, rating, app.now(), duration_ms=duration, mode="rehearsal", settings=app.settings)
        except sqlite3.Error as e:
            self.notify(f"Not saved: {sqlite_reason(e)}. Rate again to retry.", severity="error")
            return
        self.rated = True
        self.notify(f"Rehearsal saved: {RATING_NAMES[rating]}")
        self.app.pop_screen()
