"""The members list: every cached member, filter as you type, watch marks and freshness."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from ogptui.notes import member_target
from ogptui.regions import LEVELS, REGIONS, UNKNOWN, member_region
from ogptui.timefmt import short_freshness
from ogptui.tui import render
from ogptui.tui.commands import bindings
from ogptui.tui.notes_flow import edit_note, marks, toggle_bookmark
from ogptui.tui.widgets.common import FilterInput, Footer, StatusBar, TitleBar, reload_on_cache_change
from ogptui.tui.widgets.navtable import NavTable

if TYPE_CHECKING:
    from ogptui.tui.app import OgpApp


class MembersScreen(Screen):
    SCOPE = "members"
    BINDINGS = bindings("members")
    app: OgpApp  # (Textual types it App[Any])

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
            Static(id="members-groups", classes="pane-info"),  # shown while r/l filter by region or level
            NavTable(id="members-table"),
            StatusBar(id="status"),
            Footer(),
        ]

    def on_mount(self) -> None:
        reload_on_cache_change(self, self.reload)  # does nothing until the list is built
        self.watch(self.app, "notes_version", self.reload, init=False)
        if self._built:
            self._setup()
            self._just_loaded = True

    def _setup(self) -> None:
        t = self.query_one("#members-table", NavTable)
        for label, key in (("★", "watched"), ("Member", "name"), ("Level", "level"), ("Since", "since"),
                           ("Plan", "plan"), ("Commitments", "commitments"), ("Resources", "resources"),
                           ("Freshness", "freshness")):  # fmt: skip
            t.add_column(label, key=key)
        self.reload()
        t.focus()

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
        self.regions = {s.slug: member_region(s.slug, s.name, s.level) or UNKNOWN for s in self.summaries}
        user_marks = marks(self.app, [s.slug for s in self.summaries])
        # what filtering and the table need of each member, built once per load, not on every keystroke
        self._rows = [self._row(s) for s in self.summaries]
        for entry in self._rows:
            s = entry[0]
            mark = user_marks.get(s.slug, "") + ("▸" if s.slug in self.app.marked else "")
            cells = entry[2]
            entry[2] = [cells[0], *render.with_mark([cells[1]], mark), *cells[2:]]
            entry[1] = f"{entry[1]} {render.haystack(self.regions[s.slug])}"  # "/ americas" filters by region
        self.refill()

    @staticmethod
    def _row(s) -> list:
        """[summary, haystack, cells without freshness, freshness text, freshness cell]"""
        cells = [
            Text("★" if s.watched else " "),
            render.clip(s.name, 40),
            render.plain(s.level),
            render.plain(s.member_since),
            render.plain(s.action_plan),
            Text(str(s.commitment_count), justify="right"),
            Text(str(s.resource_count), justify="right"),
        ]
        return [s, render.haystack(s.name, s.slug, s.level), cells, None, None]

    def refill(self) -> None:
        q = self.query_one("#members-filter", Input).value
        words = render.query_words(q)
        now = self.app.now()
        stale = self.app.settings.stale_hours
        rows = []
        region, level = self.region_filter, self.level_filter
        for entry in self._rows:
            s, hay, cells = entry[0], entry[1], entry[2]
            if words and not all(w in hay for w in words):
                continue
            if (region and self.regions.get(s.slug) != region) or (level and (s.level or "national") != level):
                continue
            fresh = short_freshness(s, now, stale)
            if fresh != entry[3]:  # the clock moves: the cell is rebuilt only when its text changes
                entry[3], entry[4] = fresh, Text(render.safe(fresh))
            rows.append((s.slug, [*cells, entry[4]]))
        self.query_one("#members-table", NavTable).refill(rows)
        watched = sum(1 for s in self.summaries if s.watched)
        filtered = q or region or level
        shown = f"{len(rows)} of {len(self.summaries)}" if filtered else str(len(self.summaries))
        self.query_one("#title", TitleBar).set_title("ogptui", f"Members ({shown})", f"★ watched: {watched}")
        self._show_groups()

    # --- region and level (r, l): filters with counts, shown only while one is on ----------------
    region_filter: str | None = None
    level_filter: str | None = None

    def _show_groups(self) -> None:
        box = self.query_one("#members-groups", Static)
        box.display = bool(self.region_filter or self.level_filter)
        if not box.display:
            return
        level = self.level_filter
        in_level = [s for s in self.summaries if not level or (s.level or "national") == level]
        counts = Counter(self.regions.get(s.slug) for s in in_level)
        t = Text()
        t.append("r ", style="bold")
        for n, name in enumerate((None, *REGIONS, UNKNOWN)):
            count = len(in_level) if name is None else counts.get(name, 0)
            if name == UNKNOWN and not count:
                continue
            label = f"{name or 'All regions'} {count}"
            if n:
                t.append(" · ", style="dim")
            active = name == self.region_filter
            t.append(f"[{label}]" if active else label, style="reverse" if active else "dim")
        in_region = [s for s in self.summaries if not self.region_filter or self.regions.get(s.slug) == self.region_filter]
        lv = Counter(s.level or "national" for s in in_region)
        t.append("   l ", style="bold")
        for n, name in enumerate((None, *LEVELS)):
            label = f"{name or 'All levels'} {len(in_region) if name is None else lv.get(name, 0)}"
            if n:
                t.append(" · ", style="dim")
            active = name == self.level_filter
            t.append(f"[{label}]" if active else label, style="reverse" if active else "dim")
        box.update(t)

    def action_cycle_region(self) -> None:
        order = [None, *REGIONS, UNKNOWN]
        self.region_filter = order[(order.index(self.region_filter) + 1) % len(order)]
        self.refill()

    def action_cycle_level(self) -> None:
        order = [None, *LEVELS]
        self.level_filter = order[(order.index(self.level_filter) + 1) % len(order)]
        self.refill()

    # --- notes, bookmarks and marks to compare ---------------------------------------------------
    def _selected_target(self):
        slug = self.selected_slug()
        if slug is None:
            return None
        name = next((s.name for s in self.summaries if s.slug == slug), None)
        return member_target(slug, name)

    def action_note(self) -> None:
        edit_note(self.app, self._selected_target(), "no member selected")

    def action_bookmark(self) -> None:
        toggle_bookmark(self.app, self._selected_target(), "no member selected")

    def action_mark(self) -> None:
        slug = self.selected_slug()
        if slug is None:
            return
        marked = self.app.marked
        if slug in marked:
            marked.remove(slug)
        else:
            marked.append(slug)
        self.reload()
        what = f"{len(marked)} marked to compare" + (": C compares them" if len(marked) >= 2 else "")
        self.app.notify(f"▸ {what}.", markup=False)

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
