"""Table cells show their text as written: a DataTable reads a str cell as Rich markup,
so `list[int]` in a card's question showed as `list` in browse."""

from __future__ import annotations

import asyncio

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


def test_a_plain_cell_is_drawn_as_datatable_draws_it():
    """FixedTable draws a plain one-line cell that fits without Rich's layout: the segments
    (text, style and its row/column meta for the mouse) equal DataTable's own, for CJK, wide
    and narrow columns, the cursor and hover; the rest goes to DataTable's drawing."""
    import random

    from rich.style import Style
    from rich.text import Text
    from textual.app import App

    from prep.tui.widgets.table import FixedTable

    rng = random.Random(7)
    alphabet = "ab Z9-_.…/é中文名字αβ·✓%"
    values: list[object] = ["Topic 0", "500", "0", "中文名字", " lead", "trail ", "x" * 12, "", "a\tb", "[b]x[/b]", ":smile:", "p0.claim-4"]
    values += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 14))) for _ in range(60)]
    values += [Text("plain text"), Text("styled", style="bold"), Text("right", justify="right"), 42, 3.5, 0, -7, True, 12345678901234]

    class Host(App):
        def compose(self):
            yield FixedTable(id="t", cursor_type="row", zebra_stripes=True)

    async def go():
        app = Host()
        async with app.run_test(size=(100, 30)) as pilot:
            table = app.query_one(FixedTable)
            for name, width in (("name", 10), ("n", 4), ("wide", 16)):
                table.add_column(name, width=width)
            for i, value in enumerate(values):
                table.add_row(value, value, value, key=f"r{i}")
            await pilot.pause()
            fast = slow_calls = 0
            real = DataTable._render_cell

            def counted(self, *args, **kw):
                nonlocal slow_calls
                slow_calls += 1
                return real(self, *args, **kw)

            for row in range(len(values)):
                for column, key in enumerate(table.columns):
                    width = table.columns[key].get_render_width(table)
                    for cursor, hover in ((False, False), (True, False), (False, True)):
                        base = Style(bgcolor="red") if row % 2 else Style(color="blue")
                        table._cell_render_cache.clear()
                        DataTable._render_cell = counted  # type: ignore[method-assign]
                        try:
                            before = slow_calls
                            mine = table._render_cell(row, column, base, width, cursor, hover)
                            fast += slow_calls == before
                        finally:
                            DataTable._render_cell = real  # type: ignore[method-assign]
                        table._cell_render_cache.clear()
                        theirs = real(table, row, column, base, width, cursor, hover)
                        assert mine == theirs, (values[row], width, cursor, hover)
            assert fast > len(values)  # most plain cells took the direct way, not DataTable's

    asyncio.run(go())
