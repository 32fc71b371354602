"""Browse: search everything (the same FTS as `prep search`) and open an item."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Input, Static

from prep.index import read
from prep.index.search import hit_spans, terms
from prep.index.views import SearchHit
from prep.tui.screens.base import BackScreen

TYPES = ("all", "claim", "card", "story")


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

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Search cards, stories, claims (Chinese works: 时间轮); empty lists the claims", id="q")
        yield Static(id="info", classes="muted")
        yield DataTable(id="results", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#results", DataTable)
        table.add_columns("type", "id", "text")
        self.run_search("")
        self.query_one("#q", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one("#results", DataTable).focus()

    def run_search(self, text: str) -> None:
        app = self.app
        table = self.query_one("#results", DataTable)
        table.clear()
        types = () if self.type_filter == "all" else (self.type_filter,)
        rows: list[tuple[str, str, str | Text]]
        if text.strip():
            rows = [(r["type"], r["id"], hit_text(r, text)) for r in read.search(app.db, text, limit=200, types=types)]
        else:
            rows = []
            if self.type_filter in ("all", "claim"):
                rows += [("claim", c["id"], c["text"]) for c in read.list_claims(app.db, lang=app.lang)]
            if self.type_filter in ("story",):
                rows += [("story", s["id"], s["title"]) for s in read.list_stories(app.db, lang=app.lang)]
            if self.type_filter in ("card",):
                rows += [("card", c["id"], c["q"]) for c in read.list_cards(app.db, lang=app.lang)]
        for kind, item_id, title in rows:
            cell = title if isinstance(title, Text) else Text(title.replace("\n", " ")[:120])
            table.add_row(kind, item_id, cell, key=f"{kind}:{item_id}")
        self.query_one("#info", Static).update(f"{len(rows)} result(s) · type: {self.type_filter} (ctrl+t) · Enter opens")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        from prep.tui.screens.detail import DetailScreen

        if event.row_key.value is not None:
            self.app.push_screen(DetailScreen(event.row_key.value.split(":", 1)[1]))

    def action_cycle_type(self) -> None:
        self.type_filter = TYPES[(TYPES.index(self.type_filter) + 1) % len(TYPES)]
        self.run_search(self.query_one("#q", Input).value)
