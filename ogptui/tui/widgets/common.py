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
        """Replace all rows; put the cursor back on `keep` (default: the current row's key)."""
        if keep is None:
            keep = self.current_key()
        old_row = self.cursor_row
        with self.app.batch_update():
            self.clear()
            for key, cells in rows:
                self.add_row(*cells, key=str(key))
            if not rows:
                return
            target = None
            if keep is not None:
                try:
                    target = self.get_row_index(str(keep))
                except Exception:
                    target = None
            if target is None:
                target = min(max(old_row, 0), len(rows) - 1)
            self.move_cursor(row=target, animate=False, scroll=True)

    def current_key(self) -> str | None:
        if not self.row_count:
            return None
        try:
            return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        except Exception:
            return None


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
