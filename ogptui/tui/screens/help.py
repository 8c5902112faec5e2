"""Help: every key, generated from the command list (the same one that makes the bindings)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from ogptui.i18n import _
from ogptui.tui.commands import bindings, help_rows
from ogptui.tui.widgets.common import Footer, TitleBar
from ogptui.tui.widgets.navtable import NavTable

if TYPE_CHECKING:
    from ogptui.tui.app import OgpApp


class HelpScreen(Screen):
    SCOPE = "help"
    BINDINGS = bindings("help")
    app: OgpApp  # (Textual types it App[Any])

    def __init__(self) -> None:
        super().__init__(id="help-screen")

    def compose(self) -> ComposeResult:
        yield TitleBar(id="title")
        yield Static(
            Text(
                _("Every action is also in the command palette (ctrl+p). Scraped text is shown as plain text."),
                style="dim",
            ),
            classes="pane-info",
        )
        yield NavTable(id="help-table")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#title", TitleBar).set_title("ogptui", _("Help"), _("keys"))
        t = self.query_one("#help-table", NavTable)
        t.add_column(_("Where"), key="where")
        t.add_column(_("Keys"), key="keys")
        t.add_column(_("What it does"), key="what")
        rows = []
        last = None
        for n, (where, keys, what) in enumerate(help_rows()):
            rows.append((n, [Text(where if where != last else "", style="bold"), Text(keys), Text(what)]))
            last = where
        t.refill(rows)
        t.focus()

    def action_back(self) -> None:
        self.app.go_back()
