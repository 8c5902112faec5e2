"""`NavTable`: a row-cursor DataTable with j/k/g/G that refills by key, fast enough to filter as you type.

Private Textual attributes are used here and only here. Each use is marked `# PRIVATE(textual 8.2.8):`
with the reason; textual is pinned in pyproject.toml, and `tests/test_tui_navtable.py` checks that a refill
gives exactly what `DataTable.clear()` + `add_row()` give (rows, keys, cells, cursor, column widths, the
rendered lines), so an upgrade that changes these internals fails a test instead of the screen. Where an
attribute is missing (another textual), `_replace_rows` falls back to the public methods.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from itertools import zip_longest
from typing import Any, NamedTuple, cast

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

# PRIVATE(textual 8.2.8): DataTable keeps row key <-> index in a TwoWayDict; `_replace_rows` builds one.
from textual._two_way_dict import TwoWayDict
from textual.cache import LRUCache
from textual.coordinate import Coordinate
from textual.widgets import DataTable
from textual.widgets.data_table import DuplicateKey, Row, RowKey

from ogptui.tui.commands import bindings

CellKey = tuple[Any, ...]


class NavTable(DataTable[Any]):
    """A row-cursor DataTable with j/k/g/G, refilled by key so the cursor survives a refresh."""

    BINDINGS = bindings("lists")
    _pass_style: Style | None = None  # the table's style during one `render_lines` pass

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("cursor_type", "row")
        kwargs.setdefault("zebra_stripes", True)
        super().__init__(*args, **kwargs)
        self._measured: dict[str, Sequence[Any]] = {}  # row key -> the cells last measured for it
        self._kept: dict[str, _Kept] = {}  # row key -> the row objects of its last fill (`_replace_rows`)
        # rendered cells that outlive a refill (DataTable's own caches are dropped on every row change)
        self._cell_lines: LRUCache[CellKey, tuple[Any, int, list[list[Segment]]]] = LRUCache(4096)

    def refill(self, rows: Sequence[tuple[Hashable, Sequence[Any]]], keep: Hashable | None = None) -> None:
        """Show `rows` (key, cells) in this order; put the cursor back on `keep` (default: the current row's
        key), else on the same row number.

        Filter-as-you-type calls this on every keystroke, so it does no more than it must: the same rows with
        the same cells change nothing (cursor, scroll and render caches stay); otherwise the rows are
        replaced in one pass (`_replace_rows`) and only cells the table has not measured before are
        measured (a column never narrows, so a row measured once cannot widen one again)."""
        if keep is None:
            keep = self.current_key()
        old_row = self.cursor_row
        new = [(str(key), cells) for key, cells in rows]
        with self.app.batch_update():
            if [key for key, _ in new] == [row.key.value for row in self.ordered_rows] and all(
                _same_cells(self.get_row(key), cells) for key, cells in new
            ):
                return
            self._replace_rows(new)
            if not new:
                return
            target = None
            if keep is not None:
                try:
                    target = self.get_row_index(str(keep))
                except Exception:
                    target = None
            if target is None:
                target = min(max(old_row, 0), len(new) - 1)
            self.move_cursor(row=target, animate=False, scroll=True)

    def set_columns(self, headers: Sequence[tuple[str, str]]) -> bool:
        """Show these (key, header) columns; when they differ from the current ones the table is emptied
        (refill it). Returns whether they changed."""
        current = [(str(c.key.value), c.label.plain) for c in self.ordered_columns]
        if current == [(k, label) for k, label in headers]:
            return False
        self.clear(columns=True)
        for key, label in headers:
            self.add_column(label, key=key)
        return True

    def clear(self, columns: bool = False) -> NavTable:
        self._measured.clear()  # with columns cleared, widths start again from the labels
        self._kept.clear()
        super().clear(columns)
        return self

    def _replace_rows(self, rows: list[tuple[str, Sequence[Any]]]) -> None:
        """clear() + add_row() for every row, in one pass over DataTable's row storage.

        A row whose cells are the very objects its kept cell map holds reuses its key, metadata and cell map
        objects (`_kept`): filtering a 1,000-row list back to everything then builds no new objects, and
        DataTable's row keys hash in Python, so each one made or looked up costs."""
        columns = self.ordered_columns
        measured = self._measured
        kept = self._kept
        if len(kept) > 4 * len(rows) + 4096:  # a table refilled with ever new keys: start again
            kept.clear()
        try:
            data: dict[RowKey, dict[Any, Any]] = {}
            table_rows: dict[RowKey, Row] = {}
            locations: dict[str, int] = {}
            unmeasured: list[tuple[RowKey, str, Sequence[Any]]] = []
            column_keys = tuple(column.key for column in columns)
            built: dict[str, _Kept] = {}  # kept once the whole fill is known good
            for index, (key, cells) in enumerate(rows):
                if key in locations:
                    raise DuplicateKey(f"The row key {RowKey(key)!r} already exists.")
                if len(cells) > len(columns):
                    raise ValueError("More values provided than there are columns.")
                locations[key] = index
                old = kept.get(key)
                if (
                    old is not None
                    and old.columns == column_keys
                    and len(cells) == len(column_keys)
                    # the very objects its cell map holds (DataTable's `update_cell` may have changed it)
                    and tuple(map(id, cells)) == tuple(map(id, old.cell_map.values()))
                ):
                    # measured when it was built (columns never narrow; clear() forgets both)
                    data[old.row_key] = old.cell_map
                    table_rows[old.row_key] = old.row
                    continue
                row_key = RowKey(key)
                row = Row(row_key, 1)
                cell_map = dict(zip_longest(column_keys, cells))
                built[key] = _Kept(column_keys, row_key, row, cell_map)
                data[row_key] = cell_map
                table_rows[row_key] = row
                seen = measured.get(key)
                if seen is None or not _same_cells(seen, cells):
                    unmeasured.append((row_key, key, cells))
            kept.update(built)
            for row_key, key, cells in unmeasured:  # only once every row is known good
                # PRIVATE(textual 8.2.8): the rows `_on_idle` measures (what add_row marks).
                self._new_rows.add(row_key)
                measured[key] = cells
            # PRIVATE(textual 8.2.8): the cell data by row key, and row key <-> index (what clear() empties
            # and add_row() fills, one row at a time with a cursor update and a refresh each).
            self._data = data
            self.rows = table_rows
            self._row_locations = TwoWayDict({kept[k].row_key: i for k, i in locations.items()})
            # PRIVATE(textual 8.2.8): pending measurements of rows and cells that are gone. A row dropped before
            # it was measured is forgotten, so it is measured if it comes back.
            for gone in self._new_rows.difference(table_rows):
                if gone.value is not None:
                    measured.pop(gone.value, None)
                    kept.pop(gone.value, None)
            self._new_rows.intersection_update(table_rows)
            self._updated_cells.clear()
        except AttributeError:  # another textual: the public way
            self.clear()
            for key, cells in rows:
                self.add_row(*cells, key=key)
            return
        # what clear() resets, then what add_row() marks
        self.cursor_coordinate = Coordinate(0, 0)
        self.hover_coordinate = Coordinate(0, 0)
        self.scroll_x = self.scroll_y = 0
        self.scroll_target_x = self.scroll_target_y = 0
        # PRIVATE(textual 8.2.8): re-measure on idle; the update count keys DataTable's render and
        # offset caches (bumping it is how add_row invalidates them).
        self._require_update_dimensions = True
        self._update_count += 1
        self.refresh()
        self.check_idle()
        if rows and self.show_cursor and self.cursor_type != "none":
            # PRIVATE(textual 8.2.8): posts RowHighlighted for the new first row, as add_row() does.
            self._highlight_cursor()

    def _update_dimensions(self, new_rows: Any) -> None:
        """Measure the new rows' cells, then what DataTable does after measuring (virtual size).

        DataTable measures every cell of every new row through Rich (the formatted cell, then the console's
        measure of it): about 30 µs a cell, so the first fill of a 1,000-member list spent ~0.25 s here
        before the first paint. For a row of height 1 without a label whose cells are all plain `Text`
        (what the screens put in tables), the width Rich reports is the widest line of the text in cells
        (`Text.__rich_measure__`'s maximum; DataTable's formatter returns a Text as it is): computed here
        directly. Any other row goes to DataTable's own measuring.

        PRIVATE(textual 8.2.8): overrides DataTable's private `_update_dimensions` (called on idle with the
        rows `add_row`/`_replace_rows` marked) and reads its row and cell maps; anything unexpected goes
        to DataTable's own, which `tests/test_tui_navtable.py` compares against."""
        rest = []
        try:
            columns = self.ordered_columns
            widths = [column.content_width for column in columns]
            for row_key in new_rows:
                row = self.rows.get(row_key)
                data = self._data.get(row_key)
                if row is None or data is None or self._row_locations.get(row_key) is None:
                    rest.append(row_key)  # gone since it was marked: DataTable skips it
                    continue
                cells = [data.get(column.key) for column in columns]
                if row.label is not None or row.auto_height or row.height != 1 or not all(
                    type(cell) is Text for cell in cells
                ):
                    rest.append(row_key)
                    continue
                for i, cell in enumerate(cells):
                    lines = cast(Text, cell).plain.splitlines()
                    width = max(map(cell_len, lines)) if lines else 0
                    if width > widths[i]:
                        widths[i] = width
        except (AttributeError, KeyError, TypeError):
            super()._update_dimensions(new_rows)
            return
        for column, width in zip(columns, widths, strict=True):
            column.content_width = width
        super()._update_dimensions(rest)

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> list[list[Segment]]:
        """DataTable's cell render, kept across refills. A filter keystroke changes the rows, and with them
        DataTable's update count that keys all its render caches, so every visible cell went through Rich
        again on each keystroke. Here a cell's lines are kept by (row key, column, the cell object, row
        style, width, cursor/hover state); moved to another row number, only the row number in the
        segments' meta (what a mouse click reports) is rewritten.

        PRIVATE(textual 8.2.8): overrides DataTable's private `_render_cell` (same signature) and reads its
        row and column maps and its hover/pseudo-class state; anything unexpected goes to DataTable's own."""
        if row_index < 0 or column_index < 0 or self.fixed_rows or self.fixed_columns:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        try:
            row_key = self._row_locations.get_key(row_index)
            column_key = self._column_locations.get_key(column_index)
            if row_key is None or column_key is None:
                raise KeyError(row_index, column_index)
            cell = self._data[row_key][column_key]
            row = self.rows[row_key]
            state = (self._show_hover_cursor, self._pseudo_class_state)
        except (AttributeError, KeyError):
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        if row.height != 1 or row.auto_height or row.label is not None:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        key = (row_key, column_key, column_index, base_style, width, cursor, hover, self.show_cursor,
               self.cell_padding, state)  # fmt: skip
        cached = self._cell_lines.get(key)
        if cached is None or cached[0] is not cell:
            lines = super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
            self._cell_lines[key] = (cell, row_index, lines)
            return lines
        _, rendered_at, lines = cached
        if rendered_at == row_index:
            return lines
        meta = Style.from_meta({"row": row_index, "column": column_index})
        return [
            [
                Segment(text, style + meta if style is not None else style, control)
                for text, style, control in line
            ]
            for line in lines
        ]

    def render_lines(self, crop: Any) -> Any:
        """DataTable's, with the widget's style worked out once per pass instead of once per line (Textual's
        `rich_style` walks every ancestor's styles; a 36-line table paid that 36 times per keystroke).

        PRIVATE(textual 8.2.8): `render_line` below is DataTable's own with that one change."""
        self._pass_style = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._pass_style = None

    def render_line(self, y: int) -> Any:
        style = getattr(self, "_pass_style", None)
        if style is None:  # outside a render pass (tests call render_line directly)
            return super().render_line(y)
        try:
            width = self.size.width
            scroll_x, scroll_y = self.scroll_offset
            keys = (self._row_locations.get_key(i) for i in range(self.fixed_rows))
            fixed = sum(self.get_row_height(k) for k in keys if k is not None)
            if self.show_header:
                fixed += self.get_row_height(self._header_row_key)
        except AttributeError:
            return super().render_line(y)
        if y >= fixed:
            y += scroll_y
        return self._render_line(y, scroll_x, scroll_x + width, style)

    def notify_style_update(self) -> None:
        self._cell_lines.clear()
        super().notify_style_update()

    def current_key(self) -> str | None:
        if not self.row_count:
            return None
        try:
            return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        except Exception:
            return None


class _Kept(NamedTuple):
    """What `_replace_rows` built for a row key, kept for the next refill with the same cell objects."""

    columns: tuple[Any, ...]
    row_key: RowKey
    row: Row
    cell_map: dict[Any, Any]


def _same_cell(a: Any, b: Any) -> bool:
    if a is b:
        return True
    if isinstance(a, Text) and isinstance(b, Text):  # Text's == compares the characters and spans only
        return (a.plain, a.spans, a.style, a.justify, a.overflow, a.no_wrap, a.end) == (
            b.plain, b.spans, b.style, b.justify, b.overflow, b.no_wrap, b.end,
        )  # fmt: skip
    return type(a) is type(b) and a == b


def _same_cells(old: Sequence[Any], new: Sequence[Any]) -> bool:
    return len(old) == len(new) and all(_same_cell(a, b) for a, b in zip(old, new, strict=True))
