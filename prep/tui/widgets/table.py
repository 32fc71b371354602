"""A DataTable that does not redo work whose result cannot have changed.

Textual's DataTable measures every cell of every new row when it next goes idle, to
size auto-width columns. `columns.fill` gives every column a width from the terminal,
so that measuring decides nothing, yet on the dashboard at 50k cards (500 claims, 100
decks) it took ~70 ms of the UI thread per refill. This table skips it for rows that
need no height of their own; the virtual size is still computed by Textual.

DataTable also throws away every rendered line whenever its styles are recomputed, which
Textual does when focus moves or a screen is pushed over it: back on the dashboard, both
tables were rendered again from nothing (~30 ms of a 45 ms return), as they were after
any Resize event. Its caches are keyed
by the table's pseudo-classes (focus, hover) already, so here they are kept unless what
the table looks like in its current state (its own and its components' styles) changed.

Each cell of the first frame was drawn by Rich's general layout (a Padding inside a
Styled, rendered, split, cropped and shaped: ~0.2 ms a cell, two thirds of drawing the
dashboard's tables at launch). A plain one-line cell that fits its column is here built
as the same segments directly; anything else (markup, styles, wrapping, cut cells, the
header) is still drawn by DataTable. `tests/test_tui_cells.py` checks the segments are
equal to DataTable's own.

Drawing a line also asked for the table's style and two of its component styles again,
each a walk up the DOM that blends every ancestor's colours (a third of what was left of
drawing a frame). Styles cannot change while one frame is drawn, so within `render_lines`
each is computed once.

Adding a row re-validated the cursor (a reactive that always runs its watcher) and listed
the columns twice, for every row: filling the dashboard's ~600 rows at 50k cards took
15-25 ms of the launch. Here a plain row added after the first is only recorded.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import zip_longest

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.css.styles import RenderStyles
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import DataTable
from textual.widgets._data_table import Row
from textual.widgets.data_table import CellType, DuplicateKey, RowKey


def _plain(value: object) -> str | None:
    """The text of a cell DataTable would draw as plain text on one line (a str, a Text
    without styles, a number), else None: a str it reads as markup (`[`) or emoji codes
    (`:`) is not plain."""
    if isinstance(value, Text):
        if value.spans or value.style or value.justify not in (None, "default", "left"):
            return None
        text = value.plain
    elif isinstance(value, str):
        if "[" in value or ":" in value:
            return None
        text = value
    elif isinstance(value, float):  # as DataTable's default_cell_formatter writes them
        text = f"{value:.2f}"
    elif isinstance(value, int):
        text = str(value)
    else:
        return None
    return text if text.isprintable() else None  # tabs, newlines, control codes: DataTable's way


class _FrameStyles(RenderStyles):
    """A component's styles, its Rich style computed once (for one frame)."""

    _rich: Style | None = None

    @property
    def rich_style(self) -> Style:
        if self._rich is None:
            self._rich = super().rich_style
        return self._rich


class FixedTable(DataTable):
    _frame: dict[tuple[str, ...], RenderStyles] | None = None  # styles of the frame being drawn
    _frame_style: Style | None = None

    def render_lines(self, crop: Region) -> list[Strip]:
        self._frame, self._frame_style = {}, None
        try:
            return super().render_lines(crop)
        finally:
            self._frame, self._frame_style = None, None

    @property
    def rich_style(self) -> Style:
        if self._frame is None:
            return super().rich_style
        if self._frame_style is None:
            self._frame_style = super().rich_style
        return self._frame_style

    def get_component_styles(self, *names: str) -> RenderStyles:
        frame = self._frame
        if frame is None:
            return super().get_component_styles(*names)
        styles = frame.get(names)
        if styles is None:
            styles = super().get_component_styles(*names)
            styles.__class__ = _FrameStyles
            frame[names] = styles
        return styles

    def add_row(self, *cells: CellType, height: int | None = 1, key: str | None = None, label: object = None) -> RowKey:
        # Textual 8.2's add_row (widgets/_data_table.py) less what cannot change once the
        # table has a row: the cursor, valid already, stays valid with more rows below it.
        if self.row_count == 0 or height != 1 or label is not None:
            return super().add_row(*cells, height=height, key=key, label=label)  # type: ignore[arg-type]
        row_key = RowKey(key)
        if row_key in self._row_locations:
            raise DuplicateKey(f"The row key {row_key!r} already exists.")
        columns = self.ordered_columns
        if len(cells) > len(columns):
            raise ValueError("More values provided than there are columns.")
        self._row_locations[row_key] = self.row_count
        self._data[row_key] = {column.key: cell for column, cell in zip_longest(columns, cells)}
        self.rows[row_key] = Row(row_key, 1, None, False)
        self._new_rows.add(row_key)
        self._require_update_dimensions = True
        self._update_count += 1
        self.check_idle()
        return row_key

    def _render_cell(
        self, row_index: int, column_index: int, base_style: Style, width: int, cursor: bool = False, hover: bool = False
    ) -> list[list[Segment]]:
        # Textual 8.2's _render_cell (widgets/_data_table.py), for a plain cell that fits:
        # the same cache key, styles and segments, without Rich's layout of a Padding.
        pad = self.cell_padding
        row_key = self._row_locations.get_key(row_index) if row_index >= max(self.fixed_rows, 0) else None
        column_key = self._column_locations.get_key(column_index) if column_index >= max(self.fixed_columns, 0) else None
        if row_key is None or column_key is None or pad < 1:  # the header, a label, fixed cells
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        key = (row_key, column_key, base_style, cursor, hover, self._show_hover_cursor, self._update_count, self._pseudo_class_state)
        cached = self._cell_render_cache.get(key)
        if cached is not None:
            return cached
        row = self.rows.get(row_key)
        text = _plain(self._data.get(row_key, {}).get(column_key)) if row is not None and row.height == 1 else None
        room = width - 2 * pad
        if text is None or not 0 < cell_len(text) <= room:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        component_style, post_style = self._get_styles_to_render_cell(
            False,
            False,
            False,
            hover,
            cursor,
            self.show_cursor,
            self._show_hover_cursor,
            self.cursor_foreground_priority == "css",
            self.cursor_background_priority == "css",
        )
        style = base_style + Style.from_meta({"row": row_index, "column": column_index}) + component_style + post_style
        edge = Segment(" " * pad, style)
        fill = room - cell_len(text)
        line = [edge, Segment(text, style), Segment(" " * fill, style), edge] if fill else [edge, Segment(text, style), edge]
        self._cell_render_cache[key] = lines = [line]
        return lines

    def _look(self) -> tuple[Style, ...] | None:
        try:
            return (self.rich_style, *(self.get_component_rich_style(name) for name in sorted(self.COMPONENT_CLASSES)))
        except KeyError:  # component styles are not set up yet (before mount)
            return None

    def _on_resize(self, event: events.Resize) -> None:
        # DataTable's own handler (Textual runs it after this one) only bumps the generation
        # its caches are keyed by; the event arrives after the frame at the new size was
        # drawn, so every line is drawn again. Lines are keyed by width already, and with
        # set column widths a row's cells do not depend on the table's size.
        if not any(column.auto_width for column in self.columns.values()):
            event.prevent_default()

    def notify_style_update(self) -> None:
        # Textual 8.2: DataTable.notify_style_update is Widget's plus clearing every cache.
        Widget.notify_style_update(self)
        state, look = self.get_pseudo_class_state(), self._look()
        looks = self.__dict__.setdefault("_looks", {})
        if look is None or looks.get(state) != look:
            looks.clear()  # a style changed: lines cached for any state may be stale
            self._clear_caches()
        if look is not None:
            looks[state] = look
        self.refresh()

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        # Textual 8.2 private hook (widgets/_data_table.py): measuring is needed only for
        # auto-width columns, labelled rows and auto-height rows.
        if not any(column.auto_width for column in self.columns.values()):
            rows = self.rows
            new_rows = [key for key in new_rows if (row := rows.get(key)) is not None and (row.auto_height or row.label is not None)]
        super()._update_dimensions(new_rows)
