"""What changed: the change log of recent syncs, newest first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from ogptui.timefmt import ago
from ogptui.tui import render
from ogptui.tui.commands import bindings
from ogptui.tui.widgets.common import Footer, StatusBar, TitleBar, reload_on_cache_change
from ogptui.tui.widgets.navtable import NavTable

if TYPE_CHECKING:
    from ogptui.tui.app import OgpApp

_ACTION_MARK = {"added": "+ added", "changed": "~ changed", "removed": "- removed"}


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
        for label in ("When", "Member", "Change", "Kind", "Summary"):
            t.add_column(label, key=label.lower())
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
                        Text(_ACTION_MARK.get(r.action) or render.safe(r.action)),
                        render.plain(r.kind),
                        render.clip(r.summary or r.key, width),
                    ],
                )
                for n, r in enumerate(rows)
            ]
        )
        self.query_one("#title", TitleBar).set_title("ogptui", "What changed", f"{len(rows)} changes")
        info = "Newest first." if rows else "No changes recorded yet: they appear after a sync (s)."
        self.query_one("#changes-info", Static).update(Text(info, style="dim"))
        return True

    def action_back(self) -> None:
        self.app.go_back()
