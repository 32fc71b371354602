"""The review screen: question, Space to reveal, 1-4 to rate, u to undo.

Each rating is written by `prep.study.engine.record_answer` before the next card shows, so
quitting or a crash loses at most the card on screen. The footer shows what each
rating would do ("Good 10m") so the learner sees the cost of each answer.
"""

from __future__ import annotations

import dataclasses
import sqlite3
import time
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Markdown, Static

from prep.errors import PrepError
from prep.index import read
from prep.index.db import sqlite_reason
from prep.index.views import CardView
from prep.kb.marks import markers
from prep.kb.vocab import count
from prep.study import engine
from prep.study.srs import RATING_NAMES
from prep.tui.screens.base import PrepScreen
from prep.tui.widgets.footer import PrepFooter
from prep.tui.words import binding_label

# 1-4 = Again/Hard/Good/Easy, shared by every screen that self-rates (cards, stories).
RATING_BINDINGS: list[BindingType] = [Binding(str(r), f"rate({r})", name) for r, name in RATING_NAMES.items()]


class ReviewScreen(PrepScreen):
    CSS_PATH = "review.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "reveal", "Reveal"),
        *RATING_BINDINGS,
        Binding("u", "undo", "Undo"),
        Binding("f", "followup", "Followup"),
        Binding("q", "leave", "Back"),
        Binding("escape", "leave", "Back", show=False),
    ]

    def __init__(self, filters: dict | None = None, cram: bool = False, ids: list[str] | None = None):
        super().__init__()
        self.filters = {k: v for k, v in (filters or {}).items() if v}
        self.cram = cram
        self.mode = "cram" if cram else "review"
        self.ids = ids
        self.queue: list[str] = []
        self.current: str | None = None
        self.card: CardView | None = None
        self.revealed = False
        self.shown_at = 0.0
        self.answered: list[tuple[int, str]] = []  # (log id, card id), for undo
        self.pending_followup: str | None = None
        self.total = 0

    def compose(self) -> ComposeResult:
        yield Static(id="status", classes="title")
        yield Static(id="context", classes="muted")
        with VerticalScroll(id="body"):
            # The question is a plain Static: rebuilding a Markdown widget per card costs
            # tens of ms; the answer's Markdown is only rendered on reveal.
            yield Static(id="question")
            yield Markdown(id="answer")
            yield Static(id="followups")
        yield PrepFooter()

    def on_mount(self) -> None:
        app = self.app
        items = engine.build_queue(app.db, app.now(), app.settings, cram=self.cram, ids=self.ids, **self.filters)
        self.queue = [q.item_id for q in items]
        if self.ids is not None:
            order = {cid: i for i, cid in enumerate(self.ids)}
            self.queue.sort(key=lambda c: order.get(c, 0))
        self.total = len(self.queue)
        self.next_card()

    # -- showing ---------------------------------------------------------------
    def next_card(self) -> None:
        self.revealed = False
        if self.pending_followup and self.pending_followup not in self.queue:
            self.queue.insert(0, self.pending_followup)
        elif self.pending_followup:
            self.queue.remove(self.pending_followup)
            self.queue.insert(0, self.pending_followup)
        self.pending_followup = None
        if not self.queue:
            self.current = self.card = None
            self.show_done()
            return
        self.current = self.queue.pop(0)
        self.show_card(self.current)

    def show_card(self, card_id: str) -> None:
        app = self.app
        card = self.card = read.show_card(app.db, card_id, app.lang)
        if card is None:  # archived by a sync since the queue was built
            self.next_card()
            return
        self.shown_at = time.monotonic()
        done = len(self.answered)
        mode = self.t("cram_mode") if self.mode == "cram" else ""
        self.query_one("#status", Static).update(
            self.t(
                "status",
                n=done + 1,
                total=max(self.total, done + 1),
                deck=card["deck"],
                kind=card["kind"],
                stars="★" * card["difficulty"],
                mode=mode,
            )
        )
        context = "\n".join(self.t("backs", id=c["id"], text=c["text"]) for c in card["claims"]) or self.t("backs_none")
        self.query_one("#context", Static).update(context)
        self.query_one("#question", Static).update(Text(card["q"], style="bold"))
        self.query_one("#answer", Markdown).display = False
        fu = self.query_one("#followups", Static)
        fu.update("")
        fu.display = False
        self.query_one("#body", VerticalScroll).scroll_home(animate=False)
        self.update_intervals()
        self.refresh_bindings()

    def show_done(self) -> None:
        if self.answered or self.total:
            self.query_one("#status", Static).update(self.t("session_done", n=len(self.answered)))
            message = self.t("nothing_more")
        else:
            self.query_one("#status", Static).update(self.t("empty_title"))
            message = self.why_empty()
        self.query_one("#context", Static).update("")
        self.query_one("#question", Static).update(Text(message, style="bold"))
        self.query_one("#answer", Markdown).display = False
        self.query_one("#followups", Static).display = False
        self.refresh_bindings()

    def why_empty(self) -> str:
        """Why nothing is due, and what to do instead: a session that opens empty says so."""
        from prep.study.empty import why_empty
        from prep.study.srs import format_interval

        app = self.app
        now = app.now()
        e = why_empty(app.db, now, app.settings, **self.filters)
        scheduled = e.selected - e.unseen
        are = "is" if scheduled == 1 else "are"
        if not e.selected:
            lines = [self.t("empty_none")]
        elif e.next_due:
            lines = [self.t("empty_next", n=scheduled, cards=count(scheduled, "card"), are=are, when=format_interval(e.next_due - now))]
        elif scheduled:
            lines = [self.t("empty_later", n=scheduled, cards=count(scheduled, "card"), are=are)]
        else:
            lines = []
        if e.new_limit_hit:
            lines.append(self.t("empty_new_limit", n=e.unseen, new_cards=count(e.unseen, "new card"), wait="waits" if e.unseen == 1 else "wait"))
        if e.review_limit_hit:
            lines.append(self.t("empty_review_limit"))
        return "\n".join([*lines, "", self.t("empty_offer")])

    def update_intervals(self) -> None:
        if not self.current:
            return
        app = self.app
        labels = engine.intervals(app.db, "card", self.current, app.now(), app.settings)
        for rating, name in RATING_NAMES.items():
            key = str(rating)
            name = binding_label(name, app.lang)
            desc = name if self.mode == "cram" else f"{name} {labels[rating]}"
            self._bindings.key_to_bindings[key] = [dataclasses.replace(b, description=desc) for b in self._bindings.key_to_bindings[key]]

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "rate":
            return self.revealed and self.current is not None
        if action == "reveal":
            return not self.revealed and self.current is not None
        if action == "followup":
            return self.revealed and bool(self.card and self.card["followups"])
        if action == "undo":
            return bool(self.answered)
        return True

    # -- actions ---------------------------------------------------------------
    def action_reveal(self) -> None:
        if self.revealed or not self.card:
            return
        self.revealed = True
        answer = self.query_one("#answer", Markdown)
        gist = self.card.get("gist")  # the one-breath answer first, the study notes below
        body = f"**{' '.join(gist.split())}**\n\n---\n\n{self.card['a']}" if gist else self.card["a"]
        answer.update(markers(body, "tui"))
        answer.display = True
        if self.card["followups"]:
            fu = self.query_one("#followups", Static)
            lines = [self.t("asks_next"), *(f"  ▸ {f['q']}" for f in self.card["followups"]), self.t("take_first")]
            fu.update("\n".join(lines))
            fu.display = True
        self.refresh_bindings()

    def action_rate(self, rating: int) -> None:
        if not (self.revealed and self.current):
            return
        app = self.app
        duration = int((time.monotonic() - self.shown_at) * 1000)
        try:
            log_id = engine.record_answer(
                app.db, "card", self.current, rating, app.now(), duration_ms=duration, mode=self.mode, settings=app.settings
            )
        except sqlite3.Error as e:
            # Another process holds the write lock past the busy timeout: say so, keep the card.
            self.notify(self.t("not_saved", why=sqlite_reason(e, lang=self.app.lang)), severity="error")
            return
        self.answered.append((log_id, self.current))
        self.next_card()

    def action_undo(self) -> None:
        if not self.answered:
            return
        log_id, card_id = self.answered.pop()
        try:
            engine.undo(self.app.db, log_id)
        except PrepError as e:
            self.notify(e.text(self.app.lang), severity="error")
            return
        if self.current:
            self.queue.insert(0, self.current)
        self.current = card_id
        self.revealed = False
        self.show_card(card_id)
        self.notify(self.t("undid", id=card_id))

    def action_followup(self) -> None:
        if self.card and self.card["followups"]:
            self.pending_followup = self.card["followups"][0]["id"]
            # The whole question: a toast wraps, and a question cut mid-sentence reads as a different one.
            self.notify(self.t("next_followup", q=" ".join(self.card["followups"][0]["q"].split())))

    def action_leave(self) -> None:
        if not (self.current and self.answered):
            self.app.pop_screen()
            return
        from prep.tui.screens.confirm import ConfirmScreen

        left = len(self.queue) + 1
        n = len(self.answered)
        question = self.t("leave_review", left=left, n=n, cards_left=count(left, "card"), answers=count(n, "answer"), are="is" if n == 1 else "are")

        def done(leave: bool | None) -> None:
            if leave:
                self.app.pop_screen()

        self.app.push_screen(ConfirmScreen(question), done)
