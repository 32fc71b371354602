"""One item in full: a card with its history, a claim with its stories and cards,
a story's sections. Linked items open in turn, so a claim can be walked down to
every card that backs it."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Markdown, Static

from prep.export.item import render
from prep.index import read
from prep.index.views import ItemView
from prep.kb.vocab import count
from prep.tui.screens.base import BACK, BackScreen
from prep.tui.widgets.columns import fill, widths
from prep.tui.widgets.footer import PrepFooter


def linked(item: ItemView) -> list[tuple[str, str, str]]:
    if item["type"] == "card":
        return [("claim", c["id"], c["text"]) for c in item["claims"]] + [("card", f["id"], f["q"]) for f in item["followups"]]
    if item["type"] == "claim":
        return [("story", s["id"], s["title"]) for s in item["stories"]] + [("card", c["id"], c["q"]) for c in item["cards"]]
    if item["type"] == "story":
        return [("claim", c["id"], c["text"]) for c in item["claims"]]
    return []


class DetailScreen(BackScreen):
    CSS_PATH = "detail.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "study", "Study this"),
        Binding("c", "confirm", "To confirm"),
        *BACK,
    ]

    def __init__(self, item_id: str):
        super().__init__()
        self.item_id = item_id
        self.item: ItemView | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="body"):
            yield Markdown(id="doc")
        yield Static(self.t("linked"), classes="muted")
        yield DataTable(id="links", cursor_type="row")
        yield PrepFooter()

    def on_mount(self) -> None:
        self.item = read.show(self.app.db, self.item_id, self.app.lang)
        if self.item is None:
            self.query_one("#doc", Markdown).update(self.t("no_item", id=self.item_id))
            return
        doc = render(self.item, lang=self.app.lang, assumed="tui")
        if self.item["type"] == "claim":
            from prep.audit.assumptions import to_confirm

            n = len(to_confirm(self.app.db, self.app.lang, self.item_id))
            facts = len(self.item["facts"])
            doc += "\n\n" + self.t("confirm_claim_line", facts=facts, fact_count=count(facts, "fact"), n=n)
        self.query_one("#doc", Markdown).update(doc)
        self.rows = [(item_id, [self.t(f"type_{kind}"), item_id, " ".join(text.split())[:200]]) for kind, item_id, text in linked(self.item)]
        self.render_table()

    def on_resize(self) -> None:
        if hasattr(self, "rows"):
            self.render_table()

    def render_table(self) -> None:
        headers = [self.t("col_type"), "id", self.t("col_text")]
        fill(self.query_one("#links", DataTable), headers, widths(self.app.size.width, headers, self.rows, flex=2), self.rows)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.app.push_screen(DetailScreen(event.row_key.value))

    def action_confirm(self) -> None:
        from prep.tui.screens.assumptions import AssumptionsScreen

        claim = self.item_id if self.item and self.item["type"] == "claim" else None
        self.app.push_screen(AssumptionsScreen(claim))

    def action_study(self) -> None:
        from prep.tui.screens.review import ReviewScreen

        if not self.item:
            return
        if self.item["type"] == "card":
            self.app.push_screen(ReviewScreen(ids=[self.item_id], cram=True))
        elif self.item["type"] == "claim":
            self.app.push_screen(ReviewScreen(filters={"claim": self.item_id}, cram=True))
        elif self.item["type"] == "story":
            from prep.tui.screens.rehearse import RehearseScreen

            self.app.push_screen(RehearseScreen(self.item_id))
