"""Browse: search everything (the same FTS as `prep search`) and open an item.

At 50k cards the listing must never freeze the terminal: queries run in a thread
worker and post their rows back (the newest request wins), keystrokes are debounced,
and a listing shows at most `PAGE` rows (search narrows it; the count says how many).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static

from prep.index import read
from prep.index.search import hit_spans, terms
from prep.index.views import SearchHit
from prep.kb.vocab import count
from prep.tui.screens.base import BackScreen
from prep.tui.widgets.columns import fill, widths
from prep.tui.widgets.footer import PrepFooter
from prep.tui.widgets.table import FixedTable

TYPES = ("all", "claim", "card", "story")
PAGE = 200  # rows shown at once: a search narrows a listing, it is never loaded whole
DEBOUNCE_S = 0.15  # a search runs once typing pauses, not at every keystroke

Row = tuple[str, str, "str | Text"]


def hit_text(hit: SearchHit, query: str) -> Text:
    """The title with the hit highlighted, or, when the hit is not in the title, the snippet."""
    title = hit["title"]
    spans = hit_spans(title, terms(query))
    text, marks = (title, spans) if spans else (hit["snippet"], hit["marks"])
    out = Text(text[:120], no_wrap=True)
    for s, e in marks:
        out.stylize("bold reverse", s, e)
    return out


class BrowseScreen(BackScreen):
    CSS_PATH = "browse.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+t", "cycle_type", "Type filter"),
        Binding("escape", "leave", "Back"),
    ]

    def __init__(self):
        super().__init__()
        self.type_filter = "all"
        self._generation = 0  # the newest request; older workers' results are dropped
        self._debounce: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Input(placeholder=self.t("search_placeholder"), id="q")
        yield Static(id="info", classes="muted")
        yield FixedTable(id="results", cursor_type="row", zebra_stripes=True)
        yield PrepFooter()

    def on_mount(self) -> None:
        self.rows: list[tuple[str, list[object]]] = []
        self.run_search("")
        self.query_one("#q", Input).focus()

    def reopen(self) -> None:
        """Shown again from the dashboard: as a new one would be (every type, no search, the
        first row), without building it again."""
        self.type_filter = "all"
        if self._debounce is not None:
            self._debounce.stop()
        query = self.query_one("#q", Input)
        with query.prevent(Input.Changed):
            query.value = ""
        table = self.query_one("#results", DataTable)
        table.move_cursor(row=0, animate=False)
        table.scroll_home(animate=False)
        self.run_search("")
        query.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        value = event.value
        self._debounce = self.set_timer(DEBOUNCE_S, lambda: self.run_search(value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one("#results", DataTable).focus()

    def run_search(self, text: str) -> None:
        self._generation += 1
        self.query_one("#info", Static).update(self.t("browse_searching", type=self.t(f"type_{self.type_filter}")))
        self.load_rows(self._generation, text, self.type_filter)

    class Rows(Message):
        def __init__(self, generation: int, rows: list[Row], total: int, type_filter: str) -> None:
            super().__init__()
            self.generation, self.rows, self.total, self.type_filter = generation, rows, total, type_filter

    @work(thread=True, exclusive=True, group="browse")
    def load_rows(self, generation: int, text: str, type_filter: str) -> None:
        # Its own connection: the search's Python SQL function must not run on a connection
        # another thread is using.
        from prep.index.db import own_connection

        app = self.app
        with own_connection(app.db) as db:
            self._load_rows(db, app.lang, generation, text, type_filter)

    def _load_rows(self, db, lang: str, generation: int, text: str, type_filter: str) -> None:
        types = () if type_filter == "all" else (type_filter,)
        rows: list[Row] = []
        total = 0
        if text.strip():
            rows = [(r["type"], r["id"], hit_text(r, text)) for r in read.search(db, text, limit=PAGE, types=types, lang=lang)]
            total = len(rows)
        else:
            if type_filter in ("all", "claim"):
                claims = read.list_claims(db, lang=lang)
                rows += [("claim", c["id"], c["text"]) for c in claims[:PAGE]]
                total += len(claims)
            if type_filter == "story":
                stories = read.list_stories(db, lang=lang)
                rows += [("story", s["id"], s["title"]) for s in stories[:PAGE]]
                total += len(stories)
            if type_filter == "card":
                rows += [("card", c["id"], c["q"]) for c in read.list_cards(db, lang=lang, limit=PAGE)]
                total += read.count_cards(db)
        self.post_message(self.Rows(generation, rows, total, type_filter))

    def on_browse_screen_rows(self, message: Rows) -> None:
        if message.generation != self._generation:
            return
        self.rows = [
            (f"{kind}:{item_id}", [self.t(f"type_{kind}"), item_id, title if isinstance(title, Text) else " ".join(title.split())[:200]])
            for kind, item_id, title in message.rows
        ]
        self.render_table()
        shown = len(message.rows)
        kind = self.t(f"type_{message.type_filter}")
        key = "browse_info" if shown == message.total else "browse_first"
        self.query_one("#info", Static).update(self.t(key, n=shown, results=count(shown, "result"), total=message.total, type=kind))

    def on_resize(self) -> None:
        if hasattr(self, "rows"):
            self.render_table()

    def render_table(self) -> None:
        headers = [self.t("col_type"), "id", self.t("col_text")]
        table = self.query_one("#results", DataTable)
        fill(table, headers, widths(self.app.size.width, headers, self.rows, flex=2), self.rows)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        from prep.tui.screens.detail import DetailScreen

        if event.row_key.value is not None:
            self.app.push_screen(DetailScreen(event.row_key.value.split(":", 1)[1]))

    def action_cycle_type(self) -> None:
        self.type_filter = TYPES[(TYPES.index(self.type_filter) + 1) % len(TYPES)]
        self.run_search(self.query_one("#q", Input).value)
