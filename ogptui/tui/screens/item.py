"""A post or a contact in full, over the member screen (the table clips them): y copies the link or the
email, o opens the post's link."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ogptui.tui import render
from ogptui.tui.commands import bindings
from ogptui.tui.widgets.common import Footer

if TYPE_CHECKING:
    from ogptui.tui.app import OgpApp


class ItemScreen(ModalScreen[None]):
    app: OgpApp  # (Textual types it App[Any])
    SCOPE = "item"
    BINDINGS = bindings("item")

    def __init__(
        self,
        fields: list[tuple[str, object]],
        *,
        copy: tuple[str | None, str],
        link: tuple[str | None, str],
    ) -> None:
        """`fields`: (label, value) lines; `copy` / `link`: (value, what it is) for `y` / `o`."""
        super().__init__(id="item-screen")
        self.fields = fields
        self.copy_target = copy
        self.link_target = link

    def compose(self) -> ComposeResult:
        width = min(110, int(self.app.size.width * 0.9)) - 6
        with VerticalScroll(id="item-box"):
            yield Static(render.field_lines(self.fields, label_width=12, width=width), id="item-text")
        yield Footer()

    def action_back(self) -> None:
        self.dismiss()

    def action_copy(self) -> None:
        self.app.copy_value(*self.copy_target)

    def action_browse(self) -> None:
        self.app.open_link(*self.link_target)
