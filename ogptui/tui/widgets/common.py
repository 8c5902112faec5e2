"""Small building blocks: a filter box, the title line, the status bar, a footer, a scrolling detail area.

The vim-keyed table is `ogptui.tui.widgets.navtable.NavTable`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer as _Footer
from textual.widgets import Input, Static

from ogptui.tui.commands import bindings
from ogptui.tui.render import safe
from ogptui.tui.status import STATUS_FIELDS, status_text


def reload_on_cache_change(screen: Screen[Any], reload: Callable[[], object]) -> None:
    """Call `reload` whenever the app's `cache_version` changes (a sync finished, another process wrote).

    Only on a change: Textual also calls watchers when it initialises the app's reactive variables (old and
    new value the same), which came right after the screens' first load and made them load twice."""

    def changed(old: int, new: int) -> None:
        if old != new:
            reload()

    screen.watch(screen.app, "cache_version", changed, init=False)


class Footer(_Footer):
    """Textual's footer, recomposed once per refresh however many times the bindings changed before it.

    Textual's own footer schedules a full recompose (a FooterKey per binding) on every bindings update; at
    start-up focus moves and tab activation send a dozen of them in a row, each rebuilding the same keys.
    """

    _recompose_pending = False

    def bindings_changed(self, screen: Any) -> None:
        # PRIVATE(textual 8.2.8): what Footer.bindings_changed sets before its recompose; compose() waits
        # for it.
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
    """One line at the top: what you are looking at. Plain text, never markup; every part is cleaned of
    control characters here, whatever the caller passes (a `Text` part keeps its style, not its spans)."""

    def set_title(self, *parts: str | Text) -> None:
        t = Text()
        for n, p in enumerate(parts):
            if n:
                t.append("  ·  ", style="dim")
            if isinstance(p, Text):
                t.append(safe(p.plain), style=p.style)
            else:
                t.append(safe(p))
        self.update(t)


class StatusBar(Static):
    """Online/offline, last sync, sync progress and auto-sync state.

    The state lives on the app as reactive variables (`STATUS_FIELDS`); the bar watches them (as Textual's
    own Header watches the app's title) and re-renders when any changes, and every 30 s for the ages."""

    def on_mount(self) -> None:
        for name in STATUS_FIELDS:
            self.watch(self.app, name, self.show_status, init=False)
        self.show_status()
        self.set_interval(30, self.show_status)

    def show_status(self) -> None:
        app: Any = self.app
        self.update(status_text(app.status, app.now()))


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
