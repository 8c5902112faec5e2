"""The document reader: a resource's document page (and its attachments' text), offline.

Opened with `enter` on a resource that links a document page (the Resources tab, a search hit of kind
resource or document). Shows the title, type, year and freshness, the summary, the At-a-glance table, the
sections under their headings, the attachments (size, on this device or not, text or not) and the text of
each attachment page by page ("PDF page 4"). A search hit opens it at its place with the word found.

Keys come from the command list (scope `reader`): `/` find (`enter` keeps the matches, `esc` clears them),
`n`/`N` next/previous match, `j`/`k`, `space`/`b`, `g`/`G` scroll, `o` opens the file on this device (else
the link), `y` copies the link, `s` fetches this document now, `esc` back. The text is drawn by `DocView`
(plain `rich.text.Text`, cleaned on the way out, never markup).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static

from ogptui.i18n import _, ngettext
from ogptui.model import Document, DocumentFile, Resource
from ogptui.tui.commands import bindings
from ogptui.tui.doctext import anchor_block, document_blocks, freshness_words, place_anchor
from ogptui.tui.render import safe
from ogptui.tui.widgets.common import Footer, StatusBar, TitleBar, reload_on_cache_change
from ogptui.tui.widgets.docview import DocView

if TYPE_CHECKING:
    from ogptui.tui.app import OgpApp

FIND_DEBOUNCE = 0.05  # seconds: a burst of keys (fast typing, a paste) runs one find


class FindInput(Input):
    """The find box: `enter` goes back to the text keeping the matches, `esc` clears them."""

    BINDINGS = [Binding("escape", "leave(True)", "Clear find", show=False)]

    def on_mount(self) -> None:
        self.cursor_blink = getattr(self.app, "blink", True)

    def action_leave(self, clear: bool = False) -> None:
        screen = self.screen
        if isinstance(screen, ReaderScreen):
            screen.close_find(clear=clear)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_leave(False)


class ReaderScreen(Screen):
    app: OgpApp  # (Textual types it App[Any])
    SCOPE = "reader"
    BINDINGS = bindings("reader")

    def __init__(
        self,
        document: str,
        *,
        resource: Resource | None = None,
        member_slug: str | None = None,
        place: str | None = None,
        place_url: str | None = None,
        find: str | None = None,
    ) -> None:
        super().__init__(id="reader-screen")
        self.document_slug = document
        self.resource = resource
        self.member_slug = member_slug
        self.place = place
        self.place_url = place_url
        self.initial_find = find
        self.doc: Document | None = None
        self.query_text = ""  # what is being found ("" for nothing)
        self.fetching = False
        self._note = ""  # a one-off line for the info bar ("wrapped to the top")
        self._pending: Timer | None = None
        self._loaded = False

    @property
    def slug(self) -> str | None:
        """The member this document was opened from (auto-sync looks at the screens' `slug`)."""
        return self.member_slug

    def compose(self) -> ComposeResult:
        yield TitleBar(id="title")
        yield Static(id="reader-info", classes="pane-info")
        yield DocView(id="reader-text")
        yield FindInput(placeholder=_("find in the document (enter: keep the matches · esc: clear)"),
                        id="reader-find")  # fmt: skip
        yield StatusBar(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        reload_on_cache_change(self, self.reload)
        self.watch(self.app, "sync_progress", self._sync_progress_changed, init=False)
        view = self.view
        view.focus()
        anchor = place_anchor(self.doc, self.place, self.place_url)
        if anchor is not None:
            view.go_to_anchor(anchor)
        if self.initial_find:
            self.query_text = " ".join(self.initial_find.split())
            view.find(self.query_text, from_block=anchor_block(view.blocks, anchor))
            self._show_info()

    @property
    def view(self) -> DocView:
        return self.query_one("#reader-text", DocView)

    # ---- loading ---------------------------------------------------------------------------------
    def reload(self) -> None:
        store = self.app.store
        doc = store.get_document(self.document_slug)
        pages = {}
        if doc is not None:
            for f in doc.attachments:
                if f.sha256 and f.text_status == "ok" and f.sha256 not in pages:
                    pages[f.sha256] = store.attachment_pages(f.sha256)
        self.doc = doc
        if doc is not None:
            self.fetching = False
        blocks = document_blocks(doc, self.resource, now=self.app.now(), pages=pages)
        view = self.view
        view.set_blocks(blocks, keep_position=self._loaded)
        self._loaded = True
        if self.query_text:
            view.find(self.query_text)
        self._set_title()
        self._show_info()

    def _set_title(self) -> None:
        r, doc = self.resource, self.doc
        title = (doc.title if doc else None) or (r.title if r else None) or self.document_slug
        parts: list[str | Text] = [Text(title, style="bold")]
        if r is not None:
            parts += [str(v) for v in (r.type, r.year) if v not in (None, "")]
        parts.append(freshness_words(doc, self.app.now()) if doc is not None else _("not on this device yet"))
        self.query_one("#title", TitleBar).set_title(*parts)

    def _show_info(self) -> None:
        info = Text(style="dim")
        view = self.view
        if self.query_text:
            info.append(_("Find "))
            info.append(f"“{safe(self.query_text)}”", style="")
            if view.matches:
                more = "+" if len(view.matches) >= 10_000 else ""
                info.append(": " + _("{n} of {total}").format(n=view.current + 1, total=f"{len(view.matches)}{more}"), style="bold")
                info.append(_("  ·  n next · N previous"))
            else:
                info.append(_(": no match"), style="bold")
        elif self.fetching:
            info.append(_("Fetching this document… (the status bar shows how far it is)"))
        elif self.doc is None:
            info.append(_("Not on this device yet: "))
            info.append("s", style="bold")
            info.append(_(" fetches it now."))
        else:
            page = self.doc.page
            files = self.doc.attachments
            here = sum(1 for f in files if f.on_device)
            parts = [ngettext("{n} section", "{n} sections", len(page.sections)).format(n=len(page.sections))]
            if page.at_a_glance:
                parts.append(_("At a glance table"))
            attached = ngettext("{n} attachment ({here} on this device)", "{n} attachments ({here} on this device)", len(files))
            parts.append(attached.format(n=len(files), here=here) if files else _("no attachments"))
            info.append(" · ".join(parts) + _("  ·  / find"))
        if self._note:
            info.append(f"  ·  {self._note}", style="italic")
        self.query_one("#reader-info", Static).update(info)

    # ---- find ------------------------------------------------------------------------------------
    def action_find(self) -> None:
        box = self.query_one("#reader-find", FindInput)
        box.display = True
        box.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._pending is not None:
            self._pending.stop()
        self._pending = self.set_timer(FIND_DEBOUNCE, self._run_find)

    def _run_find(self) -> None:
        self._pending = None
        self.query_text = " ".join(self.query_one("#reader-find", FindInput).value.split())
        self._note = ""
        if self.query_text:
            self.view.find(self.query_text)
        else:
            self.view.clear_find()
        self._show_info()

    @property
    def pending(self) -> bool:
        """True while a keystroke's find waits for the debounce."""
        return self._pending is not None

    def close_find(self, *, clear: bool) -> None:
        box = self.query_one("#reader-find", FindInput)
        if self._pending is not None:  # enter right after typing: find the latest text first
            self._pending.stop()
            self._run_find()
        if clear:
            with box.prevent(Input.Changed):
                box.value = ""
            self.query_text = ""
            self._note = ""
            self.view.clear_find()
        box.display = False
        self.view.focus()
        self._show_info()

    def action_next_match(self) -> None:
        self._step(1)

    def action_previous_match(self) -> None:
        self._step(-1)

    def _step(self, delta: int) -> None:
        view = self.view
        if not self.query_text:
            self._note = _("press / to find a word first")
        elif not view.matches:
            self._note = ""
        else:
            wrapped = view.step(delta)
            self._note = (_("wrapped to the top") if delta > 0 else _("wrapped to the end")) if wrapped else ""
        self._show_info()

    # ---- scrolling -------------------------------------------------------------------------------
    def action_line_down(self) -> None:
        self.view.scroll_to(y=self.view.scroll_y + 1, animate=False)

    def action_line_up(self) -> None:
        self.view.scroll_to(y=max(0, self.view.scroll_y - 1), animate=False)

    def action_page_down(self) -> None:
        self.view.scroll_page_down(animate=False)

    def action_page_up(self) -> None:
        self.view.scroll_page_up(animate=False)

    def action_top(self) -> None:
        self.view.scroll_home(animate=False)

    def action_bottom(self) -> None:
        self.view.scroll_end(animate=False)

    # ---- open, copy, fetch, back -------------------------------------------------------------------
    def _file_in_view(self) -> DocumentFile | None:
        """The attachment the view shows (its text or its line in the list), else None."""
        part = self.view.part_in_view()
        if self.doc is None or part is None:
            return None
        return next((f for f in self.doc.attachments if f.url == part), None)

    def _page_link(self) -> str | None:
        if self.doc is not None and self.doc.page.url:
            return self.doc.page.url
        return self.resource.url if self.resource else None

    def action_open(self) -> None:
        """The file on this device (the one in view, else the first there), else the page's link."""
        files = self.doc.attachments if self.doc else []
        in_view = self._file_in_view()
        target = in_view if in_view is not None and in_view.on_device else None
        target = target or next((f for f in files if f.on_device), None)
        if target is not None:
            name = safe(target.name)
            self.app.open_file(target.path, _("the file {name}").format(name=name) if name else _("the file of the document"))
            return
        self.app.open_link(self._page_link(), _("the document"))

    def action_copy(self) -> None:
        f = self._file_in_view()
        if f is not None:
            self.app.copy_value(f.url, _("the link of {name}").format(name=safe(f.name) or _("the file")))
        else:
            self.app.copy_value(self._page_link(), _("the document link"))

    def action_fetch(self) -> None:
        member = self.member_slug or (self.doc.members[0] if self.doc and self.doc.members else None)
        if member is None:
            self.app.notify(_("No member lists this document, so it cannot be fetched from here."),
                            severity="warning", markup=False)  # fmt: skip
            return
        title = (self.doc.title if self.doc else None) or (self.resource.title if self.resource else None)
        if self.app.start_document_sync(self.document_slug, member, what=title or self.document_slug):
            self.fetching = True
            self._show_info()

    def _sync_progress_changed(self, progress: str | None) -> None:
        if progress is None and self.fetching:  # the fetch ended; a stored document reloads by itself
            self.fetching = False
            if self.doc is None:
                self._note = _("not fetched (the notification says why)")
            self._show_info()

    def action_back(self) -> None:
        if self._pending is not None:
            self._pending.stop()
            self._pending = None
        self.app.go_back()
