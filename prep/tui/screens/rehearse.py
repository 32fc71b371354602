"""Story rehearsal: tell a STAR story aloud against a timer, reveal it section by
section to check yourself, then self-rate; the story is scheduled like a card."""

from __future__ import annotations

import sqlite3
import time
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Markdown, Static

from prep.index import read
from prep.index.db import sqlite_reason
from prep.index.views import StoryView
from prep.kb.marks import markers
from prep.study import engine
from prep.study.interview_mode import interview_stories
from prep.study.srs import RATING_NAMES
from prep.tui.screens.base import BACK, BackScreen
from prep.tui.screens.review import RATING_BINDINGS
from prep.tui.widgets.columns import fill, widths
from prep.tui.widgets.footer import PrepFooter
from prep.tui.words import WORDS, binding_label


class StoryListScreen(BackScreen):
    CSS_PATH = "rehearse.tcss"
    BINDINGS: ClassVar[list[BindingType]] = BACK

    def compose(self) -> ComposeResult:
        yield Static(self.t("stories_title"), classes="title")
        yield DataTable(id="stories", cursor_type="row", zebra_stripes=True)
        yield PrepFooter()

    def on_mount(self) -> None:
        self.rows: list[tuple[str, list[object]]] = []
        self.refresh_data()
        self.query_one("#stories", DataTable).focus()

    def on_resize(self) -> None:
        if hasattr(self, "rows"):
            self.render_table()

    def render_table(self) -> None:
        headers = [self.t("col_story"), self.t("col_min"), self.t("col_due"), self.t("col_title")]
        table = self.query_one("#stories", DataTable)
        fill(table, headers, widths(self.app.size.width, headers, self.rows, flex=3), self.rows)

    def on_screen_resume(self) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        from prep.export.when import relative

        app = self.app
        now_s = app.now().isoformat()
        ahead = interview_stories(app.db, app.now(), app.settings)  # an interview ahead: its stories first
        rows = []
        for s in read.list_stories(app.db, lang=app.lang):
            st = engine.get_state(app.db, "story", s["id"])
            due = st["due"] if st else ""
            rows.append((0 if s["id"] in ahead else 1 if not st or due <= now_s else 2, due, s))
        self.rows = []
        for group, due, s in sorted(rows, key=lambda r: (r[0], r[1])):
            # A due time past reads "due (1 month ago)", not only "1 month ago": it waits to be told.
            due_in = relative(due, app.now(), app.lang) if due else self.t("story_new")
            due_in = self.t("story_due", ago=due_in) if group == 1 and due else due_in
            when = self.t("story_interview") if group == 0 else due_in
            self.rows.append((s["id"], [s["id"], f"{s['minutes']:g}", when, s["title"]]))
        self.render_table()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.app.push_screen(RehearseScreen(event.row_key.value))


class RehearseScreen(BackScreen):
    CSS_PATH = "rehearse.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "reveal", "Reveal next section"),
        Binding("a", "reveal_all", "Reveal all"),
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
            yield Static(id="done", classes="muted")
        yield PrepFooter()

    def on_mount(self) -> None:
        app = self.app
        story = read.show_story(app.db, self.story_id, app.lang)
        if story is None:  # archived by a sync since the list was shown
            self.notify(self.t("story_gone", id=self.story_id), severity="warning")
            self.app.pop_screen()
            return
        self.story = story
        self.sections = [(k, v) for k, v in self.story["sections"].items() if v and k != "Follow-ups"]
        if self.story["followups"]:
            self.sections.append(
                ("Follow-ups", "\n".join(f"- {f['question']}" + (f"\n  {f['notes']}" if f["notes"] else "") for f in self.story["followups"]))
            )
        self.started = time.monotonic()
        self.set_interval(1, self.tick)
        self.tick()
        self.render_story()

    def tick(self) -> None:
        elapsed = int(time.monotonic() - self.started)
        target = int(self.story["minutes"] * 60)
        over = self.t("over_time") if elapsed > target else ""
        self.query_one("#timer", Static).update(f"⏱ {elapsed // 60}:{elapsed % 60:02d} / {target // 60}:{target % 60:02d}{over}")

    def render_story(self) -> None:
        claims = "\n".join(f"- {c['id']}: {c['text']}" for c in self.story["claims"])
        parts = [f"# {self.story['title']}", self.t("tell_aloud"), "", f"**{self.t('backs_title')}**", claims]
        self.query_one("#story", Markdown).update(markers("\n".join(parts), "tui"))
        self.render_done()

    def render_done(self) -> None:
        done = self.query_one("#done", Static)
        done.update(self.t("all_revealed") if self.shown >= len(self.sections) else "")
        done.display = self.shown >= len(self.sections)
        self.refresh_bindings()

    async def reveal(self, count: int) -> None:
        """Show the next `count` sections, each its own Markdown, and scroll so the first of
        them starts at the top: what was just revealed is what the learner reads next."""
        body = self.query_one("#body", VerticalScroll)
        first: Markdown | None = None
        for name, text in self.sections[self.shown : self.shown + count]:
            section = Markdown(classes="section")
            await body.mount(section, before=self.query_one("#done"))
            heading = self.t("sec_" + name) if "sec_" + name in WORDS else name
            await section.update(markers(f"## {heading}\n\n{text}", "tui"))
            first = first or section
        self.shown = min(len(self.sections), self.shown + count)
        self.render_done()
        if first is not None:
            self.call_after_refresh(body.scroll_to_widget, first, top=True, animate=False)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ("reveal", "reveal_all"):
            return self.shown < len(self.sections)
        if action == "rate":
            return self.shown >= len(self.sections) and not self.rated
        return True

    async def action_reveal(self) -> None:
        if self.shown < len(self.sections):
            await self.reveal(1)

    async def action_reveal_all(self) -> None:
        if self.shown < len(self.sections):
            await self.reveal(len(self.sections) - self.shown)

    def action_rate(self, rating: int) -> None:
        if self.rated or self.shown < len(self.sections):
            return
        app = self.app
        duration = int((time.monotonic() - self.started) * 1000)
        try:
            engine.record_answer(app.db, "story", self.story_id, rating, app.now(), duration_ms=duration, mode="rehearsal", settings=app.settings)
        except sqlite3.Error as e:
            self.notify(self.t("not_saved", why=sqlite_reason(e, lang=self.app.lang)), severity="error")
            return
        self.rated = True
        self.notify(self.t("rehearsal_saved", rating=binding_label(RATING_NAMES[rating], app.lang)))
        self.app.pop_screen()
