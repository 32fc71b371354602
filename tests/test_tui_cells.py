"""Table cells show their text as written: a DataTable reads a str cell as Rich markup,
so `list[int]` in a card's question showed as `list` in browse."""

from __future__ import annotations

from conftest import run_app, write
from textual.widgets import DataTable

from prep.index.sync import sync
from prep.tui.app import PrepApp
from prep.tui.screens.browse import DEBOUNCE_S


def test_browse_shows_brackets_in_a_question_as_written(db, kb, now, settings):
    write(
        kb,
        "decks/typing.yaml",
        """
        name: {zh: 类型, en: "Typing [bold]hints[/bold]"}
        cards:
          - id: ty.generic
            q: {zh: "list[int] 和 List[int] 有何不同？", en: "How do list[int] and List[int] differ?"}
            a: PEP 585 lets the builtin take the subscript.
            claims: [acme.checkout-latency]
        """,
    )
    sync(db, kb, now=now)
    app = PrepApp(db, clock=lambda: now, settings=settings, lang="en")

    def shown(table: DataTable) -> str:
        return "\n".join(table.render_line(y).text for y in range(table.size.height))

    async def steps(pilot):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert "Typing [bold]hints[/bold]" in shown(app.screen.query_one("#decks", DataTable))
        await pilot.press("b", *"differ")
        await pilot.pause(DEBOUNCE_S + 0.05)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "How do list[int] and List[int] differ?" in shown(app.screen.query_one("#results", DataTable))

    run_app(app, steps, size=(120, 30))
