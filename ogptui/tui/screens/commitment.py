"""Commitment detail: every field of the commitment page; the description scrolls."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from ogptui import i18n
from ogptui.i18n import N_, _
from ogptui.model import COMMITMENT_DETAIL_LABELS, Commitment
from ogptui.tui import render
from ogptui.tui.commands import bindings
from ogptui.tui.widgets.common import DetailScroll, Footer, StatusBar, TitleBar, reload_on_cache_change
from ogptui.vocab import shown_value

if TYPE_CHECKING:
    from ogptui.tui.app import OgpApp

FIELDS = (
    (N_("ID"), "id"),
    (N_("Title"), "title"),
    (N_("Member"), "member"),
    (N_("Year"), "year"),
    (N_("Policy area"), "policy_area"),
    *COMMITMENT_DETAIL_LABELS,
    (N_("Language"), "language"),
    (N_("Link"), "url"),
)


def commitment_text(c: Commitment, width: int | None = None, checked: str | None = None) -> Text:
    """Every field; `checked` ("checked 3 days ago") says how old this page is (sync re-checks commitment
    pages less often than member pages)."""
    lang = i18n.language()
    rows = [(_(label), shown_value(attr, getattr(c, attr), lang)) for label, attr in FIELDS]
    if checked:
        rows.append((_("Page"), checked))
    out = render.field_lines(rows, label_width=24, width=width)
    out.append("\n\n")
    if not c.has_details():
        out.append(
            _("The commitment page has not been synced yet: press s on the member screen to fetch it.\n"),
            style="dim",
        )
    out.append(_("Description\n"), style="bold")
    out.append_text(render.plain(c.description, _("no description in the cache"), multiline=True))
    return out


class CommitmentScreen(Screen):
    SCOPE = "commitment"
    BINDINGS = bindings("commitment")
    app: OgpApp  # (Textual types it App[Any])

    def __init__(self, slug: str, commitment_id: str, *, id: str = "commitment-screen") -> None:
        super().__init__(id=id)
        self.slug = slug
        self.commitment_id = commitment_id
        self.commitment: Commitment | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar(id="title")
        with DetailScroll(id="commitment-scroll"):
            yield Static(id="commitment-text", classes="pane-text")
        yield StatusBar(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        reload_on_cache_change(self, self.reload)
        self.query_one("#commitment-scroll").focus()

    def reload(self) -> bool:
        want = i18n.content_language(self.app.settings.content_language)
        c = self.app.store.get_commitment(self.slug, self.commitment_id, want)
        if c is None:
            return False
        self.commitment = c
        self.query_one("#title", TitleBar).set_title(
            Text(self.commitment_id, style="bold"), Text(c.title or "untitled"), Text(self.slug)
        )
        self.query_one("#commitment-text", Static).update(
            commitment_text(c, self.app.size.width - 6, self._checked())
        )
        return True

    def _checked(self) -> str | None:
        from ogptui.timefmt import checked_text

        times = self.app.store.commitment_checked(self.slug, self.commitment_id)
        return checked_text(*times, self.app.now()) if times else None

    def on_resize(self) -> None:
        if self.commitment is not None:
            self.reload()

    def action_back(self) -> None:
        self.app.go_back()

    def action_copy(self) -> None:
        url = self.commitment.url if self.commitment else None
        self.app.copy_value(url, _("the link of {commitment_id}").format(commitment_id=self.commitment_id))

    def action_browse(self) -> None:
        url = self.commitment.url if self.commitment else None
        self.app.open_link(url, _("the page of {commitment_id}").format(commitment_id=self.commitment_id))

    def _target(self):
        from ogptui.notes import commitment_target

        return commitment_target(self.slug, self.commitment) if self.commitment else None

    def action_note(self) -> None:
        from ogptui.tui.notes_flow import edit_note

        edit_note(self.app, self._target(), _("the commitment is not in the cache"))

    def action_bookmark(self) -> None:
        from ogptui.tui.notes_flow import toggle_bookmark

        toggle_bookmark(self.app, self._target(), _("the commitment is not in the cache"))
