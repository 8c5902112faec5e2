"""Small building blocks: a vim-keyed table, a filter box, the title line and the status bar."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Input, Static

from ogptui.tui.commands import bindings


class NavTable(DataTable):
    """A row-cursor DataTable with j/k/g/G, refilled by key so the cursor survives a refresh."""

    BINDINGS = bindings("lists")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("cursor_type", "row")
        kwargs.setdefault("zebra_stripes", True)
        super().__init__(*args, **kwargs)

    def refill(self, rows: Sequence[tuple[Hashable, Sequence[Any]]], keep: Hashable | None = None) -> None:
        """Show `rows` (key, cells) in this order; put the cursor back on `keep` (default: the current row's
        key), else on the same row number.

        Filter-as-you-type calls this on every keystroke, so it changes no more than it must: the same rows
        with the same cells change nothing; a narrower filter (the new keys an ordered subsequence of the
        shown ones, their cells unchanged) only removes rows, so the rows kept are not added and measured
        again; anything else clears the table and adds every row."""
        if keep is None:
            keep = self.current_key()
        old_row = self.cursor_row
        new = [(str(key), cells) for key, cells in rows]
        shown = [row.key.value for row in self.ordered_rows]
        with self.app.batch_update():
            if [key for key, _ in new] == shown:
                if all(_same_cells(self.get_row(key), cells) for key, cells in new):
                    return  # nothing to do: the cursor, the scroll and the render caches stay
                self.clear()
                self._add_rows(new)
            elif new and self._is_narrowing(shown, new):
                wanted = {key for key, _ in new}
                for key in shown:
                    if key not in wanted:
                        self.remove_row(key)
                # as clear() does, so the view ends up where a full refill would put it
                self.scroll_x = self.scroll_y = 0
                self.scroll_target_x = self.scroll_target_y = 0
            else:
                self.clear()
                self._add_rows(new)
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

    def _add_rows(self, rows: list[tuple[str, Sequence[Any]]]) -> None:
        for key, cells in rows:
            self.add_row(*cells, key=key)

    def _is_narrowing(self, shown: list[str], new: list[tuple[str, Sequence[Any]]]) -> bool:
        """The new keys are an ordered subsequence of the shown ones and the rows kept have the same cells."""
        i = 0
        for key, cells in new:
            try:
                i = shown.index(key, i) + 1
            except ValueError:
                return False
            if not _same_cells(self.get_row(key), cells):
                return False
        return True

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
