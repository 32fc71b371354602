"""The study TUI: dashboard, review, browse, story rehearsal.

The app holds only what screens share (database, language, filters, a clock);
everything that decides or records lives in the core (`prep.study.engine`, `prep.index.read`),
so the TUI is a view that can be driven by the pilot in tests.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
from collections.abc import Callable
from pathlib import Path, PurePath
from typing import ClassVar

from rich.text import Text
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from prep.errors import PrepError
from prep.index.conn import Database
from prep.index.db import utcnow
from prep.study.engine import load_settings
from prep.study.srs import Settings
from prep.tui import launch
from prep.tui.dashboard_data import Prefetch
from prep.tui.words import binding_label


class FailureSentence(Exception):
    """An error the user reads as one sentence, never as a traceback."""

    def __init__(self, message: str, lang: str = "en"):
        super().__init__(message)
        self.lang = lang

    def __rich__(self) -> Text:
        return Text(f"{'错误：' if self.lang == 'zh' else 'Error: '}{self}", style="red")


def _sentence(db: Database, error: Exception, lang: str) -> str:
    """The sentence the command line would print for `error`, in `lang`."""
    from prep.fsio import os_sentence
    from prep.index.db import sqlite_message

    if isinstance(error, sqlite3.Error):
        try:
            path = db.execute("PRAGMA database_list").fetchone()[2] or "the database"
        except sqlite3.Error:
            path = "the database"
        return sqlite_message(path, error, lang)
    if isinstance(error, OSError):
        return os_sentence(error, lang)
    if isinstance(error, PrepError):
        return error.text(lang)
    return str(error)


# Every screen's CSS, read once at start-up. A screen's own CSS_PATH is read when it is
# first pushed, and adding a source makes Textual parse the whole stylesheet again and
# restyle every widget: ~60 ms on the UI thread at the first `b` or `r`, against ~5 ms more
# at launch for parsing these files with the rest. (Every rule names its screen, so none
# applies elsewhere sooner than it did.)
SCREEN_CSS = sorted(f"screens/{path.name}" for path in (Path(__file__).parent / "screens").glob("*.tcss"))


class PrepApp(App):
    CSS_PATH: ClassVar[list[str | PurePath]] = ["app.tcss", *SCREEN_CSS]
    TITLE = "prep"
    # The footer must fit every key at 80 columns; the palette hint would push keys off.
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
    ]

    def __init__(
        self,
        db: Database,
        *,
        lang: str = "zh",
        filters: dict | None = None,
        cram: bool = False,
        clock: Callable[[], dt.datetime] = utcnow,
        settings=None,
        start: str = "dashboard",
        kb_root: Path | None = None,
        prefetch: Prefetch | None = None,
    ):
        super().__init__()
        self.db = db
        self.lang = lang
        self.filters = {k: v for k, v in (filters or {}).items() if v}
        self.cram = cram
        self.clock = clock
        self.settings = settings or load_settings(db)
        self.start = start
        self.kb_root = kb_root  # the knowledge base's folder: its profiles/ feed the mock screen
        # Footer labels are declared in English and shown in the app's language; set before
        # the dashboard (the first screen) is composed, so its footer is built once.
        for key, bindings in self._bindings.key_to_bindings.items():
            self._bindings.key_to_bindings[key] = [dataclasses.replace(b, description=binding_label(b.description, lang)) for b in bindings]
        if prefetch is None:
            from prep.tui.screens import dashboard

            prefetch = dashboard.prefetch(self)
        # The dashboard's first figures, gathered while Textual starts (prep.tui.dashboard_data);
        # `prep` starts them before importing Textual (prep.tui.launch).
        self.prefetch = prefetch

    def _handle_exception(self, error: Exception) -> None:
        # A busy, full, read-only or damaged database is a sentence here too, as on the
        # command line: Textual renders an exception that has __rich__ instead of a traceback.
        if isinstance(error, sqlite3.Error | OSError | PrepError):
            error = FailureSentence(_sentence(self.db, error, self.lang), self.lang)
        super()._handle_exception(error)

    def now(self) -> dt.datetime:
        return self.clock()

    def get_default_screen(self) -> Screen:
        # The dashboard is the app's first screen, composed inside Textual's start-up batch:
        # pushed from on_mount over Textual's blank default screen instead, it was composed
        # after that batch, and the terminal got a partial frame (no summary, no tables)
        # first and the whole dashboard ~50-100 ms later. Its CSS is the app's (CSS_PATH):
        # Textual loads a screen's own CSS_PATH only when it is pushed, not for this one.
        from prep.tui.screens.dashboard import DashboardScreen

        return DashboardScreen()

    def on_mount(self) -> None:
        if self.start == "review":
            self.action_study()

    def action_study(self, **filters) -> None:
        from prep.tui.screens.review import ReviewScreen

        self.push_screen(ReviewScreen(filters={**self.filters, **filters}, cram=self.cram))

    def action_help(self) -> None:
        from prep.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())


def run(
    db: Database,
    *,
    kb_root: Path | None = None,
    lang: str = "zh",
    filters: dict | None = None,
    cram: bool = False,
    start: str = "review",
    settings: Settings | None = None,
    prefetch: Prefetch | None = None,
) -> None:
    """`start`: "review" reviews at once (over the dashboard, where leaving lands), or "dashboard".
    `prefetch`: the dashboard's figures, started by `prep.tui.launch.begin` before Textual was imported."""
    filters = {k: v for k, v in (filters or {}).items() if v}
    app = PrepApp(db, lang=lang, filters=filters, cram=cram, start=start, kb_root=kb_root, settings=settings, prefetch=prefetch)
    try:
        app.run()
    finally:
        launch.resume_gc()  # the app ended before its first figures (a failure): collect as usual
    if app.return_code:  # a failure was shown as a sentence: the shell must see it too
        raise SystemExit(app.return_code)
