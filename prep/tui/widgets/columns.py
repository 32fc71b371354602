"""Column widths from the terminal, not fixed cells.

A DataTable sizes columns to their content and scrolls sideways when they do not fit,
which at 80 columns hides the last columns; fixed widths cut deck names and claim ids
that would have fitted. Here each table gets its columns' natural widths (in terminal
cells: CJK is double width) and the flexible ones (names, ids, titles) share what is
left, cut with an ellipsis only when the terminal is too narrow for them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable

PAD = 2  # DataTable's cell_padding on both sides of every column
SCROLLBAR = 2  # a vertical scrollbar, reserved so a long table never scrolls sideways


def natural(values: Iterable[object], header: str) -> int:
    return max([cell_len(header), *(v.cell_len if isinstance(v, Text) else cell_len(str(v)) for v in values)])


def table_width(widths: Sequence[int]) -> int:
    """Cells a table with these column widths takes, scrollbar included."""
    return sum(widths) + PAD * len(widths) + SCROLLBAR


def share(available: int, fixed: Sequence[int], flexible: Sequence[int], minimum: int = 8) -> list[int]:
    """Widths for the flexible columns: their natural widths if they fit in `available`
    beside the fixed ones, else the room left shared in proportion (at least `minimum`)."""
    room = available - table_width([*fixed, *([0] * len(flexible))])
    if sum(flexible) <= room:
        return list(flexible)
    total = sum(flexible) or 1
    widths = [max(minimum, room * w // total) for w in flexible]
    return [min(w, n) for w, n in zip(widths, flexible, strict=True)]


def fit(text: str | Text, cells: int) -> Text:
    out = Text(text, no_wrap=True) if isinstance(text, str) else text.copy()
    out.no_wrap = True
    out.truncate(cells, overflow="ellipsis")
    return out


def widths(available: int, headers: Sequence[str], rows: Sequence[tuple[str, Sequence[object]]], flex: int) -> list[int]:
    """Natural widths for every column but `flex`, which takes what is left of `available`."""
    out = [natural([r[1][i] for r in rows], h) for i, h in enumerate(headers)]
    (out[flex],) = share(available, out[:flex] + out[flex + 1 :], [out[flex]])
    return out


def _cell(value: object, cells: int) -> object:
    """A value that fits stays as it is (a str stays a str); a longer one is cut with …. A
    str with a `[` becomes Text: DataTable reads a str as Rich markup, and `list[int]` in a
    card's question showed as `list`."""
    if isinstance(value, str) and cell_len(value) <= cells and "\n" not in value and "[" not in value:
        return value
    return fit(value, cells) if isinstance(value, str | Text) else value


def fill(table: DataTable, headers: Sequence[str], sizes: Sequence[int], rows: Iterable[tuple[str, Sequence[object]]]) -> None:
    """Show these columns and rows (key, cells) in `table`, keeping the cursor row. When
    the columns and row keys are the ones shown, only changed cells are updated: a
    refresh after one review then costs a few cells, not a rebuilt table."""
    new = [(key, [_cell(c, w) for c, w in zip(cells, sizes, strict=True)]) for key, cells in rows]
    if _same_shape(table, headers, sizes, [key for key, _ in new]):
        columns = list(table.columns)
        for key, cells in new:
            for column, old, value in zip(columns, table.get_row(key), cells, strict=True):
                if old != value:
                    table.update_cell(key, column, value)
        return
    row = table.cursor_row
    table.clear(columns=True)
    for header, width in zip(headers, sizes, strict=True):
        table.add_column(header, width=width)
    for key, cells in new:
        table.add_row(*cells, key=key)
    if table.row_count:
        table.move_cursor(row=min(row, table.row_count - 1), animate=False)


def _same_shape(table: DataTable, headers: Sequence[str], sizes: Sequence[int], keys: Sequence[str]) -> bool:
    columns = list(table.columns.values())
    if [(str(c.label), c.width, c.auto_width) for c in columns] != [(h, w, False) for h, w in zip(headers, sizes, strict=True)]:
        return False
    return table.row_count == len(keys) and all(r.key.value == k for r, k in zip(table.ordered_rows, keys, strict=True))
