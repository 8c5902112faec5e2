"""The members list: every cached member, filter as you type, watch marks, freshness, sort by column.

A filter that matches no cached member offers to sync what was typed as a slug (`s`)."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from ogptui import config
from ogptui.i18n import N_, _, ngettext
from ogptui.model import commitment_count
from ogptui.notes import member_target
from ogptui.regions import LEVELS, REGIONS, UNKNOWN, member_region
from ogptui.regions import word as region_word
from ogptui.timefmt import freshness_text
from ogptui.tui import render
from ogptui.tui.commands import bindings
from ogptui.tui.notes_flow import edit_note, marks, toggle_bookmark
from ogptui.tui.tables import Column, Row, TableView, type_bar
from ogptui.tui.widgets.common import (
    FilterInput,
    Footer,
    StatusBar,
    TitleBar,
    reload_on_cache_change,
    reload_on_change,
)
from ogptui.tui.widgets.navtable import NavTable

if TYPE_CHECKING:
    from ogptui.tui.app import OgpApp

COLUMNS = (
    Column("watched", "★"),
    Column("name", N_("Member"), min=14, grow=True),  # a long name gives way before any other column
    Column("level", N_("Level"), drop=3),
    Column("since", N_("Since"), drop=2),
    Column("plan", N_("Plan"), drop=4),
    Column("commitments", N_("Commitments"), short=N_("Commit.")),
    Column("resources", N_("Resources"), short=N_("Res."), drop=1),
    Column("freshness", N_("Freshness")),  # never clipped: the point of the list
)


def typed_slug(text: str) -> str | None:
    """What was typed in the filter, as a member slug to sync ("Costa Rica" → "costa-rica"), or None."""
    words = render.safe(text).strip().lower().split()
    try:
        return config.SLUG.check("-".join(words), "slug") if words else None
    except ValueError:
        return None


class MembersScreen(Screen):
    SCOPE = "members"
    BINDINGS = bindings("members")
    app: OgpApp  # (Textual types it App[Any])

    def __init__(self) -> None:
        super().__init__(id="members-screen")
        self.summaries: list = []
        self._built = False
        self.view = TableView(COLUMNS)
        self._width = 0

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
            FilterInput(
                "members-table",
                _("/ filter members by name or region (no match: s syncs what you typed)"),
                id="members-filter",
            ),  # fmt: skip
            Static(id="members-groups", classes="pane-info"),  # shown while r/l filter by region or level
            Static(id="members-info", classes="pane-info"),
            NavTable(id="members-table"),
            StatusBar(id="status"),
            Footer(),
        ]

    def on_mount(self) -> None:
        reload_on_cache_change(self, self.reload)  # does nothing until the list is built
        reload_on_change(self, "notes_version", self.reload)
        if self._built:
            self._setup()
            self._just_loaded = True

    def _setup(self) -> None:
        self.view = TableView(COLUMNS, self.app.settings.sort_members)
        self.reload()
        self.query_one("#members-table", NavTable).focus()

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

    def on_resize(self) -> None:
        if self._built and self.app.size.width != self._width:
            self.reload()

    def reload(self) -> None:
        if not self._built:
            return
        self.summaries = self.app.store.list_members()
        self.regions = {s.slug: member_region(s.slug, s.name, s.level) or UNKNOWN for s in self.summaries}
        self.levels = {s.slug: s.level or "national" for s in self.summaries}
        user_marks = marks(self.app, [s.slug for s in self.summaries])
        now = self.app.now()
        stale = self.app.settings.stale_hours
        # what filtering, sorting and the table need of each member, built once per load, not per keystroke
        self._width = self.app.size.width
        rows = []
        for s in self.summaries:
            mark = user_marks.get(s.slug, "") + ("▸" if s.slug in self.app.marked else "")
            rows.append(self._row(s, now, stale, mark, self.regions[s.slug]))
        self.view.load(rows, max(20, self._width - 2))
        self.refill()

    @staticmethod
    def _row(s: Any, now: Any, stale: float, mark: str = "", region: str = "") -> Row:
        fresh = freshness_text(s, now, stale)
        listed = commitment_count(s.commitment_count, s.plan_commitment_count, "short")
        cells = {
            "watched": Text("★" if s.watched else " "),
            "name": render.with_mark([render.plain(s.name)], mark)[0],
            "level": render.plain(region_word(s.level)),
            "since": render.plain(s.member_since),
            "plan": render.plain(s.action_plan),
            "commitments": Text(render.safe(listed), justify="right"),
            "resources": Text(str(s.resource_count), justify="right"),
            "freshness": Text(render.safe(fresh.compact())),
        }
        values = {
            "watched": 0 if s.watched else 1,  # watched first
            "name": s.name,
            "level": s.level,
            "since": s.member_since,
            "plan": s.action_plan,
            "commitments": s.commitment_count or s.plan_commitment_count,
            "resources": s.resource_count,
            "freshness": fresh.confirmed.isoformat() if fresh.confirmed else None,
        }
        # "/ americas" filters by region too
        return Row(s.slug, render.haystack(s.name, s.slug, s.level, region), values, cells)

    def refill(self) -> None:
        q = self.query_one("#members-filter", Input).value
        region, level = self.region_filter, self.level_filter
        table = self.query_one("#members-table", NavTable)
        keep = table.current_key()
        table.set_columns(self.view.headers())

        def in_groups(r: Row) -> bool:
            return (not region or self.regions.get(r.key) == region) and (not level or self.levels.get(r.key) == level)

        shown = self.view.shown(render.query_words(q), keep=in_groups if region or level else None)
        table.refill([(r.key, r.shown) for r in shown], keep=keep)
        watched = sum(1 for s in self.summaries if s.watched)
        total = len(self.summaries)
        count = _("{n} of {total}").format(n=len(shown), total=total) if q or region or level else str(total)
        self.query_one("#title", TitleBar).set_title(
            "ogptui", _("Members ({count})").format(count=count), _("★ watched: {n}").format(n=watched)
        )
        self.query_one("#members-info", Static).update(self._info(len(shown), q))
        self._show_groups()

    # --- region and level (r, l): filters with counts, shown only while one is on ----------------
    region_filter: str | None = None
    level_filter: str | None = None

    def _show_groups(self) -> None:
        box = self.query_one("#members-groups", Static)
        box.display = bool(self.region_filter or self.level_filter)
        if not box.display:
            return
        # one line each, scrolled so the active choice is always on screen (`tables.type_bar`)
        width = max(20, self.app.size.width - 2)
        level = self.level_filter
        all_regions, all_levels = _("All regions"), _("All levels")
        in_level = [s for s in self.summaries if not level or (s.level or "national") == level]
        counts = Counter(self.regions.get(s.slug) for s in in_level)
        regions = [
            (name, len(in_level) if name is None else counts.get(name, 0))
            for name in (None, *REGIONS, UNKNOWN)
            if name != UNKNOWN or counts.get(name, 0) or self.region_filter == UNKNOWN
        ]
        region_names = [name for name, _count in regions]
        t = type_bar([f"{region_word(name) if name else all_regions} {n}" for name, n in regions],
                     region_names.index(self.region_filter) if self.region_filter in region_names else 0,
                     width, key="r")  # fmt: skip
        in_region = [s for s in self.summaries if not self.region_filter or self.regions.get(s.slug) == self.region_filter]
        lv = Counter(s.level or "national" for s in in_region)
        levels = [(name, len(in_region) if name is None else lv.get(name, 0)) for name in (None, *LEVELS)]
        t.append("\n")
        t.append_text(type_bar([f"{region_word(name) if name else all_levels} {n}" for name, n in levels],
                               [name for name, _count in levels].index(self.level_filter), width, key="l"))  # fmt: skip
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
        edit_note(self.app, self._selected_target(), _("no member selected"))

    def action_bookmark(self) -> None:
        toggle_bookmark(self.app, self._selected_target(), _("no member selected"))

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
        what = ngettext("{n} marked to compare", "{n} marked to compare", len(marked)).format(n=len(marked))
        what += _(": C compares them") if len(marked) >= 2 else ""
        self.app.notify(f"▸ {what}.", markup=False)

    def _info(self, n: int, q: str) -> Text:
        if q and not n:
            slug = typed_slug(q)
            t = Text(_("No member matches “{query}”").format(query=render.safe(q)), style="bold")
            if slug:
                t.append(_(": enter, then s syncs '{slug}' · esc clears").format(slug=slug), style="dim")
            else:
                t.append(_("esc clears the filter"), style="dim")
            return t
        if not self.summaries:
            return Text(_("The cache is empty: / and a member's slug, then enter and s, syncs it."), style="dim")
        sort = self.view.describe()
        words = ngettext("{n} member", "{n} members", n).format(n=n)
        words += f" · {sort} (S)" if sort else " · " + _("S sorts")
        return Text(words, style="dim")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.refill()

    def selected_slug(self) -> str | None:
        return self.query_one("#members-table", NavTable).current_key()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_selected()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        self.view.click(str(event.column_key.value))
        self._sorted()

    def action_cycle_sort(self) -> None:
        self.view.cycle()
        self._sorted()

    def _sorted(self) -> None:
        self.app.settings.sort_members = self.view.sort
        self.app._save_settings()
        self.refill()

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
        q = self.query_one("#members-filter", Input).value
        if q and self.selected_slug() is None:  # the filter matches nothing: sync what was typed
            slug = typed_slug(q)
            if slug is None:
                self.app.notify(_("“{q}” is not a member slug (such as peru or costa-rica).").format(q=render.safe(q)),
                                severity="warning", markup=False)  # fmt: skip
                return
            self.app.notify(
                _("Syncing '{slug}' from the site; it is listed here once it arrives.").format(slug=slug), markup=False
            )
            self.app.start_sync(slugs=[slug], what=slug)
        elif self.app.store.watchlist():
            self.app.start_sync(watchlist=True, what=_("the watchlist"))
        elif slug := self.selected_slug():
            self.app.notify(_("The watchlist is empty (w watches a member): syncing the selected member."))
            self.app.start_sync(slugs=[slug], what=slug)
