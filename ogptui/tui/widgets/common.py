"""Small building blocks: a filter box, the title line, the status bar, a footer, a scrolling detail area.

The vim-keyed table is `ogptui.tui.widgets.navtable.NavTable`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer as _Footer
from textual.widgets import Input, Static
from textual.widgets._footer import FooterKey

from ogptui.i18n import _
from ogptui.tui.commands import bindings
from ogptui.tui.render import safe
from ogptui.tui.status import STATUS_FIELDS, status_text


def reload_on_cache_change(screen: Screen[Any], reload: Callable[[], object]) -> None:
    """Call `reload` whenever the app's `cache_version` changes (a sync finished, another process wrote)."""
    reload_on_change(screen, "cache_version", reload)


def reload_on_change(screen: Screen[Any], version: str, reload: Callable[[], object]) -> None:
    """Call `reload` whenever the app's counter `version` changes (`cache_version`, `notes_version`).

    Only on a change: Textual also calls watchers when it initialises the app's reactive variables (old and
    new value the same), which came right after the screens' first load and made them load twice."""

    def changed(old: int, new: int) -> None:
        if old != new:
            reload()

    screen.watch(screen.app, version, changed, init=False)


# Keys the footer always shows, whatever the width (help lists the rest, the palette runs them), and the
# actions whose keys go first when the footer is too narrow (then the others, from the end).
ESSENTIAL_KEYS = ("question_mark", "ctrl+f", "q")
DROP_FIRST = ("brief", "toggle_watch", "browse", "cycle_sort", "filter")
COMPACT_BELOW = 100  # columns: a narrower footer drops the spaces around keys


class Footer(_Footer):
    """Textual's footer, recomposed once per refresh however many times the bindings changed before it, and
    fitted to the width: below `COMPACT_BELOW` columns it is compact, and when the keys still do not fit, the
    screen's own keys go from the end until they do; help (`?`), search and quit always stay.

    Textual's own footer schedules a full recompose (a FooterKey per binding) on every bindings update; at
    start-up focus moves and tab activation send a dozen of them in a row, each rebuilding the same keys.
    """

    _recompose_pending = False
    _fitted_width = 0

    def compose(self) -> ComposeResult:
        width = self.app.size.width
        self._fitted_width = width
        self.compact = width < COMPACT_BELOW
        keys = list(super().compose())  # FooterKeys only: the command list defines no binding groups
        palette = [k for k in keys if isinstance(k, FooterKey) and k.has_class("-command-palette")]
        # the palette key: a border cell, "^p Commands" and a space
        room = width - sum(len(k.key_display) + len(k.description) + 3 for k in palette)
        rest = [k for k in keys if k not in palette]

        def used(ks: list[Any]) -> int:
            pad = 2 if self.compact else 3  # compact: "key desc" + a cell of margin; else " key desc "
            cells = sum(len(getattr(k, "key_display", "")) + len(getattr(k, "description", "")) + pad for k in ks)
            return cells - (1 if self.compact and ks else 0)  # no margin needed after the last key

        def rank(k: Any) -> tuple[int, int]:
            action = getattr(k, "action", "")
            return (DROP_FIRST.index(action) if action in DROP_FIRST else len(DROP_FIRST), -rest.index(k))

        while used(rest) > room:
            droppable = [k for k in rest if getattr(k, "key", None) not in ESSENTIAL_KEYS]
            if not droppable:
                break
            rest.remove(min(droppable, key=rank))
        yield from rest
        yield from palette

    def on_resize(self) -> None:
        width = self.app.size.width
        if width != self._fitted_width and self.is_attached and not self._recompose_pending:
            self._recompose_pending = True
            self.call_after_refresh(self._recompose_once)

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

    BINDINGS = [Binding("escape", "leave(True)", "Clear filter", show=False)]  # hidden: never shown

    def __init__(self, target: str, placeholder: str = "", **kwargs: Any) -> None:
        super().__init__(placeholder=placeholder or _("/ filter"), **kwargs)
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
    control characters here, whatever the caller passes (a `Text` part keeps its style, not its spans).

    `set_title` takes the parts of one line; `set_fitted` takes forms of it from the longest to the
    shortest and shows the longest that fits the width (again on every resize). When even the shortest does
    not fit, its first part (a name) is clipped, never the others (a freshness, a count)."""

    _forms: list[tuple[str | Text, ...]] | None = None

    def set_title(self, *parts: str | Text) -> None:
        self._forms = None
        self.update(self._line(parts))

    def set_fitted(self, *forms: tuple[str | Text, ...]) -> None:
        self._forms = list(forms)
        self._fit()

    def on_resize(self) -> None:
        if self._forms:
            self._fit()

    def _fit(self) -> None:
        forms = self._forms or [()]
        width = max(1, self.app.size.width - 2)  # the bar spans the screen (padding 1 each side)
        for parts in forms:
            line = self._line(parts)
            if line.cell_len <= width:
                self.update(line)
                return
        parts = forms[-1]
        rest = self._line(parts[1:]) if len(parts) > 1 else Text()
        room = width - rest.cell_len - (5 if len(parts) > 1 else 0)
        head = parts[0]
        head_text = Text(safe(head.plain), style=head.style) if isinstance(head, Text) else Text(safe(head))
        if room >= 4:
            head_text.truncate(room, overflow="ellipsis")
            line = self._line((head_text, *parts[1:]))
        else:
            line = rest
        line.truncate(width, overflow="ellipsis")
        self.update(line)

    @staticmethod
    def _line(parts: tuple[str | Text, ...] | list[str | Text]) -> Text:
        t = Text()
        for n, p in enumerate(parts):
            if n:
                t.append("  ·  ", style="dim")
            if isinstance(p, Text):
                t.append(safe(p.plain), style=p.style)
            else:
                t.append(safe(p))
        return t


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
        width = max(1, app.size.width - 2)  # the bar spans the screen (padding 1 each side)
        self.update(status_text(app.status, app.now(), width))

    def on_resize(self) -> None:
        self.show_status()


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
