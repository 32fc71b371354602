"""What is left to confirm: the assumptions written for the candidate, one by one.

The TUI face of `prep confirm`: a list (file:line, what, the assumed text) with the
selected one's context below. `t` confirms it as written (the marker goes, the text
stays: prep.audit.confirm edits that one line) and re-indexes; replacing the text with
the truth is done in the file, or with `prep confirm` on the command line.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Static

from prep.audit.assumptions import Assumption, to_confirm
from prep.errors import PrepError
from prep.tui.screens.base import BACK, BackScreen
from prep.tui.widgets.columns import fill, widths
from prep.tui.words import item_label

WIDE = 150  # columns from which the table shows each assumption's file:line too


class AssumptionsScreen(BackScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "true", "True as written"),
        *BACK,
    ]
    DEFAULT_CSS = """
    AssumptionsScreen #items { height: 2fr; }
    AssumptionsScreen #context { height: 1fr; padding: 0 1; }
    """

    def __init__(self, claim: str | None = None):
        super().__init__()
        self.claim = claim
        self.items: list[Assumption] = []

    def compose(self) -> ComposeResult:
        yield Static(id="title", classes="title")
        yield DataTable(id="items", cursor_type="row", zebra_stripes=True)
        yield Static(id="context")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()

    def on_resize(self) -> None:
        if self.items:
            self.render_table()

    def render_table(self) -> None:
        """The assumed text takes what the other columns leave; below WIDE columns the
        file:line goes (the line under the table shows it for the selected row)."""
        lang = self.app.lang
        wide = self.app.size.width >= WIDE
        headers = [self.t("col_item"), self.t("col_assumed")]
        rows = [(str(i), [item_label(a.item, lang), " ".join(a.text.split())]) for i, a in enumerate(self.items)]
        if wide:
            headers.insert(0, self.t("col_where"))
            rows = [(key, [f"{a.file}:{a.line}", *cells]) for (key, cells), a in zip(rows, self.items, strict=True)]
        table = self.query_one("#items", DataTable)
        fill(table, headers, widths(self.app.size.width, headers, rows, flex=len(headers) - 1), rows)

    def reload(self) -> None:
        self.items = to_confirm(self.app.db, self.app.lang, self.claim)
        table = self.query_one("#items", DataTable)
        if not self.items:
            table.clear()
        else:
            self.render_table()
        scope = f" · {self.claim}" if self.claim else ""
        self.query_one("#title", Static).update(Text(self.t("confirm_title", n=len(self.items), scope=scope)))
        self.show_context()

    def selected(self) -> Assumption | None:
        table = self.query_one("#items", DataTable)
        if not self.items or table.cursor_row >= len(self.items):
            return None
        return self.items[table.cursor_row]

    def show_context(self) -> None:
        a = self.selected()
        lang = self.app.lang
        text = (
            "" if a is None else f"{a.file}:{a.line} · {item_label(a.item, lang)} · {item_label(f'claim {a.claim}', lang)}\n\n…{a.context or a.text}…"
        )
        self.query_one("#context", Static).update(Text(text))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_context()

    def action_true(self) -> None:
        from prep.audit.confirm import confirm
        from prep.index.sync import sync

        a = self.selected()
        if a is None or self.app.kb_root is None:
            return
        try:
            message = confirm(self.app.kb_root, a)
            sync(self.app.db, self.app.kb_root)
        except PrepError as e:
            self.notify(e.text(self.app.lang), severity="error")
            return
        self.notify(message)
        row = self.query_one("#items", DataTable).cursor_row
        self.reload()
        if self.items:
            self.query_one("#items", DataTable).move_cursor(row=min(row, len(self.items) - 1))
