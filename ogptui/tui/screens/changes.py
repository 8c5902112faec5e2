"""What changed: the change log of recent syncs, newest first."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Static

from ogptui.i18n import N_, _, ngettext
from ogptui.timefmt import ago
from ogptui.tui import render
from ogptui.tui.commands import bindings
from ogptui.tui.widgets.common import Footer, StatusBar, TitleBar, reload_on_cache_change
from ogptui.tui.widgets.navtable import NavTable

if TYPE_CHECKING:
    from ogptui.tui.app import OgpApp

_ACTION_MARK = {"added": N_("+ added"), "changed": N_("~ changed"), "removed": N_("- removed")}


class ChangesScreen(Screen):
    SCOPE = "changes"
    BINDINGS = bindings("changes")
    app: OgpApp  # (Textual types it App[Any])

    def __init__(self) -> None:
        super().__init__(id="changes-screen")

    def compose(self) -> ComposeResult:
        yield TitleBar(id="title")
        yield Static(id="changes-info", classes="pane-info")
        yield NavTable(id="changes-table")
        yield StatusBar(id="status")
        yield Footer()

    def on_mount(self) -> None:
        t = self.query_one("#changes-table", NavTable)
        for key, label in (("when", _("When")), ("member", _("Member")), ("change", _("Change")),
                           ("kind", _("Kind")), ("summary", _("Summary"))):  # fmt: skip
            t.add_column(label, key=key)
        self.reload()
        reload_on_cache_change(self, self.reload)
        t.focus()

    def reload(self) -> bool:
        rows = self.app.store.recent_changes(limit=500)
        now = self.app.now()
        width = max(30, self.app.size.width - 60)
        self.query_one("#changes-table", NavTable).refill(
            [
                (
                    n,
                    [
                        Text(ago(r.at, now)),
                        render.clip(r.member_name or r.member_slug, 20),
                        Text(_(_ACTION_MARK[r.action]) if r.action in _ACTION_MARK else render.safe(r.action)),
                        render.plain(r.kind),
                        render.clip(r.summary or r.key, width),
                    ],
                )
                for n, r in enumerate(rows)
            ]
        )
        self.rows = rows
        count = ngettext("{n} change", "{n} changes", len(rows)).format(n=len(rows))
        self.query_one("#title", TitleBar).set_title("ogptui", _("What changed"), count)
        info = (
            _("Newest first · enter goes to what changed")
            if rows
            else _("No changes recorded yet: they appear after a sync (s).")
        )
        self.query_one("#changes-info", Static).update(Text(info, style="dim"))
        return True

    def action_back(self) -> None:
        self.app.go_back()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_selected()

    def action_open_selected(self) -> None:
        """The member screen on the tab and row of what changed (a commitment: its detail too)."""
        key = self.query_one("#changes-table", NavTable).current_key()
        if key is None:
            return
        change = self.rows[int(key)]
        slug = change.member_slug
        member = self.app.store.get_member(slug) if slug else None
        if member is None or slug is None:
            who = render.safe(change.member_name or slug) or _("That member")
            self.app.notify(_("{member} is no longer in the cache.").format(member=who),
                            severity="warning", markup=False)  # fmt: skip
            return
        tab, row = where_it_is(member, change.kind, change.key)
        if row is None and change.action == "removed":
            self.app.notify(_("Removed since: {key}.").format(key=render.safe(change.summary or change.key)), markup=False)
        self.app.open_member(slug, tab=tab, select=row)
        if change.kind == "commitment" and row is not None:
            self.app.open_commitment(slug, row)


def where_it_is(member: Any, kind: str, key: str | None) -> tuple[str, str | None]:
    """(tab, row key) of a change's item in a member (row None: the tab only, e.g. a removed item)."""
    if kind == "commitment":
        found = next((c.id for c in member.commitments if c.id.upper() == (key or "").upper()), None)
        return "commitments", found
    finders = {
        "resource": ("resources", member.resources, lambda r: f"{r.title} ({r.year})"),
        "contact": ("contacts", member.contacts, lambda c: c.email or c.name),
        "post": ("posts", member.posts, lambda p: p.title),
    }
    if kind in finders:
        tab, items, name = finders[kind]
        row = next((str(i) for i, x in enumerate(items) if name(x) == key), None)
        return tab, row
    return ("metrics" if kind == "performance" else "overview"), None
