"""A DataTable whose columns all have set widths, so new rows are never measured.

Textual's DataTable measures every cell of every new row when it next goes idle, to
size auto-width columns. `columns.fill` gives every column a width from the terminal,
so that measuring decides nothing, yet on the dashboard at 50k cards (500 claims, 100
decks) it took ~70 ms of the UI thread per refill. This table skips it for rows that
need no height of their own; the virtual size is still computed by Textual.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.widgets import DataTable
from textual.widgets.data_table import RowKey


class FixedTable(DataTable):
    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        # Textual 8.2 private hook (widgets/_data_table.py): measuring is needed only for
        # auto-width columns, labelled rows and auto-height rows.
        if not any(column.auto_width for column in self.columns.values()):
            rows = self.rows
            new_rows = [key for key in new_rows if (row := rows.get(key)) is not None and (row.auto_height or row.label is not None)]
        super()._update_dimensions(new_rows)
