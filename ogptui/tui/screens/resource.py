"""One resource, shown over the member screen (y copies its link, o opens it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from ogptui.i18n import _
from ogptui.model import Resource
from ogptui.tui import render
from ogptui.tui.commands import bindings
from ogptui.tui.widgets.common import Footer

if TYPE_CHECKING:
    from ogptui.tui.app import OgpApp


class ResourceScreen(ModalScreen[None]):
    SCOPE = "resource"
    BINDINGS = bindings("resource")
    app: OgpApp  # (Textual types it App[Any])

    def __init__(self, resource: Resource) -> None:
        super().__init__(id="resource-screen")
        self.resource = resource

    def compose(self) -> ComposeResult:
        r = self.resource
        with Vertical(id="resource-box"):
            yield Static(
                render.field_lines(
                    [(_("Title"), r.title), (_("Year"), r.year), (_("Type"), r.type), (_("Format"), r.format),
                     (_("Link"), r.url or _("no link in the cache"))],
                    label_width=10,
                ),
                id="resource-text",
            )  # fmt: skip
        yield Footer()

    def action_back(self) -> None:
        self.dismiss()

    def action_copy(self) -> None:
        self.app.copy_value(self.resource.url, _("the resource link"))

    def action_browse(self) -> None:
        self.app.open_link(self.resource.url, _("the resource"))

    def _target(self):
        from ogptui.notes import resource_target

        slug = next((s.slug for s in reversed(self.app.screen_stack) if getattr(s, "slug", None)), "")
        return resource_target(slug, self.resource) if slug else None

    def action_note(self) -> None:
        from ogptui.tui.notes_flow import edit_note

        edit_note(self.app, self._target(), _("this resource has no link, so no stable key to keep a note by"))

    def action_bookmark(self) -> None:
        from ogptui.tui.notes_flow import toggle_bookmark

        toggle_bookmark(self.app, self._target(), _("this resource has no link, so no stable key to keep a note by"))
