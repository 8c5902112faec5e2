"""The members list: every cached member, filter as you type, watch marks and freshness."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Input

from ogptui.timefmt import short_freshness
from ogptui.tui import render
from ogptui.tui.commands import bindings
from ogptui.tui.widgets.common import FilterInput, Footer, StatusBar, TitleBar, reload_on_cache_change
from ogptui.tui.widgets.navtable import NavTable


class MembersScreen(Screen):
    SCOPE = "members"
    BINDINGS = bindings("members")

    def __init__(self) -> None:
        super().__init__(id="members-screen")
        self.summaries: list = []
        self._rows: list = []
        self._built = False

    def compose(self) -> ComposeResult:
        # Under a member opened at start (`ogptui open SLUG`) the list is built when first shown, not before
        # the member screen's first paint.
        self._built = self.app.screen is self
        if self._built:
            yield from self._widgets()

    @staticmethod
    def _widgets() -> list:
        return [
            TitleBar(id="title"),
            FilterInput("members-table", "/ filter members by name", id="members-filter"),
            NavTable(id="members-table"),
            StatusBar(id="status"),
            Footer(),
        ]

    def on_mount(self) -> None:
        reload_on_cache_change(self, self.reload)  # does nothing until the list is built
        if self._built:
            self._setup()
            self._just_loaded = True

    def _setup(self) -> None:
        t = self.query_one("#members-table", NavTable)
        for label, key in (("★", "watched"), ("Member", "name"), ("Level", "level"), ("Since", "since"),
                           ("Plan", "plan"), ("Commitments", "commitments"), ("Resources", "resources"),
                           ("Freshness", "freshness")):  # fmt: skip
            t.add_column(label, key=key)
        self.set_focus(t)
        self.reload()

    async def on_screen_resume(self) -> None:
        if self.app.screen is not self:  # the resume of its push, already covered by a member opened at start
            return
        if not self._built:
            self._built = True
            await self.mount_all(self._widgets())
            self._setup()
            return
        if getattr(self, "_just_loaded", False):  # the first resume follows on_mount's load: skip the
            self._just_loaded = False  # second full refill (it re-renders the whole table at start-up)
            return
        self.reload()

    def reload(self) -> None:
        if not self._built:
            return
        self.summaries = self.app.store.list_members()
        # what filtering and the table need of each member, built once per load, not on every keystroke
        self._rows = [self._row(s) for s in self.summaries]
        self.refill()

    @staticmethod
    def _row(s) -> list:
        """[summary, haystack, cells without freshness, freshness text, freshness cell, 5 s it was for]"""
        cells = [
            Text("★" if s.watched else " "),
            render.clip(s.name, 40),
            render.plain(s.level),
            render.plain(s.member_since),
            render.plain(s.action_plan),
            Text(str(s.commitment_count), justify="right"),
            Text(str(s.resource_count), justify="right"),
        ]
        return [s, render.haystack(s.name, s.slug, s.level), cells, None, None, None]

    def refill(self) -> None:
        q = self.query_one("#members-filter", Input).value
        words = render.query_words(q)
        now = self.app.now()
        second = int(now.timestamp()) // 5  # freshness ("5 min ago") is worked out at most every 5 s per row
        stale = self.app.settings.stale_hours
        rows = []
        for entry in self._rows:
            s, hay, cells = entry[0], entry[1], entry[2]
            if words and not all(w in hay for w in words):
                continue
            if entry[5] != second:
                entry[5] = second
                fresh = short_freshness(s, now, stale)
                if fresh != entry[3]:  # the clock moves: the cell is rebuilt only when its text changes
                    entry[3], entry[4] = fresh, Text(render.safe(fresh))
            rows.append((s.slug, [*cells, entry[4]]))
        self.query_one("#members-table", NavTable).refill(rows)
        watched = sum(1 for s in self.summaries if s.watched)
        shown = f"{len(rows)} of {len(self.summaries)}" if q else str(len(self.summaries))
        self.query_one("#title", TitleBar).set_title("ogptui", f"Members ({shown})", f"★ watched: {watched}")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.refill()

    def selected_slug(self) -> str | None:
        return self.query_one("#members-table", NavTable).current_key()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_selected()

    def action_open_selected(self) -> None:
        slug = self.selected_slug()
        if slug:
            self.app.open_member(slug)

    def action_filter(self) -> None:
        self.query_one("#members-filter", Input).focus()

    def action_toggle_watch(self) -> None:
        slug = self.selected_slug()
        if slug:
            self.app.toggle_watch(slug)
            self.reload()

    def action_sync(self) -> None:
        if self.app.store.watchlist():
            self.app.start_sync(watchlist=True, what="the watchlist")
        elif slug := self.selected_slug():
            self.app.notify("The watchlist is empty (w watches a member): syncing the selected member.")
            self.app.start_sync(slugs=[slug], what=slug)
