"""Small building blocks: a vim-keyed table, a filter box, the title line and the status bar."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from itertools import zip_longest
from typing import Any

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual._two_way_dict import TwoWayDict
from textual.binding import Binding
from textual.cache import LRUCache
from textual.containers import VerticalScroll
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Input, Static
from textual.widgets import Footer as _Footer
from textual.widgets.data_table import DuplicateKey, Row, RowKey

from ogptui.tui.commands import bindings


class NavTable(DataTable):
    """A row-cursor DataTable with j/k/g/G, refilled by key so the cursor survives a refresh."""

    BINDINGS = bindings("lists")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("cursor_type", "row")
        kwargs.setdefault("zebra_stripes", True)
        super().__init__(*args, **kwargs)
        self._measured: dict[str, Sequence[Any]] = {}  # row key -> the cells last measured for it
        # rendered cells that outlive a refill (DataTable's own caches are dropped on every row change)
        self._cell_lines: LRUCache[tuple, tuple[Any, int, list[list[Segment]]]] = LRUCache(4096)

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

    def clear(self, columns: bool = False) -> NavTable:
        self._measured.clear()  # with columns cleared, widths start again from the labels
        return super().clear(columns)

    def _replace_rows(self, rows: list[tuple[str, Sequence[Any]]]) -> None:
        """clear() + add_row() for every row, in one pass over DataTable's row storage (textual is pinned in
        pyproject.toml; on another version without these attributes, the public methods are used)."""
        columns = self.ordered_columns
        measured = self._measured
        try:
            data: dict[RowKey, dict[Any, Any]] = {}
            table_rows: dict[RowKey, Row] = {}
            locations: dict[RowKey, int] = {}
            unmeasured: list[tuple[RowKey, str, Sequence[Any]]] = []
            for index, (key, cells) in enumerate(rows):
                row_key = RowKey(key)
                if row_key in locations:
                    raise DuplicateKey(f"The row key {row_key!r} already exists.")
                if len(cells) > len(columns):
                    raise ValueError("More values provided than there are columns.")
                locations[row_key] = index
                table_rows[row_key] = Row(row_key, 1)
                data[row_key] = {column.key: cell for column, cell in zip_longest(columns, cells)}
                seen = measured.get(key)
                if seen is None or not _same_cells(seen, cells):
                    unmeasured.append((row_key, key, cells))
            for row_key, key, cells in unmeasured:  # only once every row is known good
                self._new_rows.add(row_key)
                measured[key] = cells
            self._data = data
            self.rows = table_rows
            self._row_locations = TwoWayDict(locations)
            self._new_rows.intersection_update(locations)
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
        self._require_update_dimensions = True
        self._update_count += 1
        self.refresh()
        self.check_idle()
        if rows and self.show_cursor and self.cursor_type != "none":
            self._highlight_cursor()

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
        segments' meta (what a mouse click reports) is rewritten."""
        if row_index < 0 or column_index < 0 or self.fixed_rows or self.fixed_columns:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        try:
            row_key = self._row_locations.get_key(row_index)
            column_key = self._column_locations.get_key(column_index)
            cell = self._data[row_key][column_key]
            row = self.rows[row_key]
        except (AttributeError, KeyError):
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        if row.height != 1 or row.auto_height or row.label is not None:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        key = (row_key, column_key, column_index, base_style, width, cursor, hover, self._show_hover_cursor,
               self.show_cursor, self.cell_padding, self._pseudo_class_state)  # fmt: skip
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


class Footer(_Footer):
    """Textual's footer, recomposed once per refresh however many times the bindings changed before it.

    Textual's own footer schedules a full recompose (a FooterKey per binding) on every bindings update; at
    start-up focus moves and tab activation send a dozen of them in a row, each rebuilding the same keys.
    """

    _recompose_pending = False

    def bindings_changed(self, screen: Any) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._recompose_pending:
            self._recompose_pending = True
            self.call_after_refresh(self._recompose_once)

    async def _recompose_once(self) -> None:
        self._recompose_pending = False  # a change from here on schedules another one
        await self.recompose()


class FilterInput(Input):
    """Filter-as-you-type box: enter goes to the table, escape clears and goes back to it."""

    BINDINGS = [Binding("escape", "leave(True)", "Clear filter", show=False)]

    def __init__(self, target: str, placeholder: str = "/ filter", **kwargs: Any) -> None:
        super().__init__(placeholder=placeholder, **kwargs)
        self.target = target

    def on_mount(self) -> None:
        self.cursor_blink = getattr(self.app, "blink", True)

    def action_leave(self, clear: bool = False) -> None:
        if clear:
            self.value = ""
        target = self.screen.query(f"#{self.target}")
        if target:
            target.first().focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_leave(False)


class TitleBar(Static):
    """One line at the top: what you are looking at (plain text, never markup)."""

    def set_title(self, *parts: str | Text) -> None:
        t = Text()
        for n, p in enumerate(parts):
            if n:
                t.append("  ·  ", style="dim")
            t.append_text(p if isinstance(p, Text) else Text(str(p)))
        self.update(t)


class StatusBar(Static):
    """Online/offline, last sync, sync progress and auto-sync state; the app builds the text."""

    def on_mount(self) -> None:
        self.refresh_status()
        self.set_interval(30, self.refresh_status)

    def refresh_status(self) -> None:
        build = getattr(self.app, "status_text", None)
        self.update(build() if build else Text(""))


class DetailScroll(VerticalScroll):
    """A focusable scrolling area that answers the same j/k/g/G keys as the tables."""

    BINDINGS = bindings("lists")
    can_focus = True

    def action_cursor_down(self) -> None:
        self.scroll_down(animate=False)

    def action_cursor_up(self) -> None:
        self.scroll_up(animate=False)

    def action_scroll_top(self) -> None:
        self.scroll_home(animate=False)

    def action_scroll_bottom(self) -> None:
        self.scroll_end(animate=False)
