"""A member with its seven tabs (keys 1-7)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Input, TabbedContent, TabPane

from ogptui import i18n, regions
from ogptui.i18n import N_, _
from ogptui.model import Member
from ogptui.notes import (
    Target,
    commitment_key,
    commitment_target,
    contact_key,
    contact_target,
    member_notes,
    member_target,
    resource_key,
    resource_target,
)
from ogptui.timefmt import freshness_text
from ogptui.tui.commands import bindings
from ogptui.tui.notes_flow import edit_note, marks, toggle_bookmark
from ogptui.tui.widgets.common import (
    FilterInput,
    Footer,
    StatusBar,
    TitleBar,
    reload_on_cache_change,
    reload_on_change,
)
from ogptui.tui.widgets.navtable import NavTable
from ogptui.tui.widgets.panes import (
    CommitmentsPane,
    ContactsPane,
    MetricsPane,
    OverviewPane,
    Pane,
    PaneContext,
    ParticipationPane,
    PostsPane,
    ResourcesPane,
)

if TYPE_CHECKING:
    from ogptui.tui.app import OgpApp

TABS = (
    ("overview", N_("1 Overview"), OverviewPane),
    ("commitments", N_("2 Commitments"), CommitmentsPane),
    ("resources", N_("3 Resources"), ResourcesPane),
    ("metrics", N_("4 Starred metrics"), MetricsPane),
    ("contacts", N_("5 Contacts"), ContactsPane),
    ("participation", N_("6 Participation & Global Report"), ParticipationPane),
    ("posts", N_("7 Posts"), PostsPane),
)
# Shorter tab labels for narrower screens, so all seven tabs stay on screen: the first set whose labels
# (plus a cell of padding each side) fit the width; the last one also narrows the padding ("tight").
_SHORTER: tuple[dict[str, str], ...] = (
    {},
    {"participation": N_("6 Participation")},
    {"metrics": N_("4 Metrics"), "participation": N_("6 Participation")},
    {"metrics": N_("4 Metrics"), "participation": N_("6 Particip.")},
)


def tab_labels(width: int) -> tuple[dict[str, str], bool]:
    """({tab: label}, tight) for a screen `width` columns wide."""
    for n, shorter in enumerate(_SHORTER):
        labels = {tab: _(shorter.get(tab, label)) for tab, label, _pane in TABS}
        tight = n == len(_SHORTER) - 1
        used = sum(len(x) for x in labels.values()) + len(labels) * (1 if tight else 2)
        if used <= width or tight:
            return labels, tight
    raise AssertionError("unreachable")


# Which actions make sense on which tab (others are hidden from the footer).
_ACTIONS_BY_TAB = {
    "open_selected": {"commitments", "resources", "contacts", "posts"},
    "filter": {"commitments", "resources"},
    "cycle_sort": {"commitments", "resources"},
    "cycle_type": {"resources"},
    "copy": {"overview", "commitments", "resources", "contacts", "posts"},
    "browse": {"overview", "commitments", "resources", "posts"},
}


class MemberScreen(Screen):
    SCOPE = "member"
    BINDINGS = bindings("member")
    app: OgpApp  # (Textual types it App[Any])

    def __init__(
        self, slug: str, tab: str = "overview", select: str | None = None, *, id: str = "member-screen"
    ) -> None:
        super().__init__(id=id)
        self.slug = slug
        self.initial_tab = tab
        self.initial_select = select
        self.member: Member | None = None
        self._unshown: set[str] = set()
        self._building: set[str] = set()
        self._ctx: PaneContext | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar(id="title")
        labels, tight = tab_labels(self.app.size.width)
        self._tab_labels = labels
        self.set_class(tight, "-tight-tabs")
        with TabbedContent(initial=self.initial_tab, id="tabs"):
            for tab_id, _label, pane in TABS:
                with TabPane(labels[tab_id], id=tab_id):
                    yield pane(id=f"pane-{tab_id}", lazy=tab_id != self.initial_tab)
        yield StatusBar(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        reload_on_cache_change(self, self.reload)
        reload_on_change(self, "notes_version", self.reload)
        self.active_pane().focus_main()
        if self.initial_select is not None:
            self.select_row(self.initial_tab, self.initial_select)

    def on_resize(self) -> None:
        """Another width: tab labels, and the tables' columns (each pane is refilled when next shown)."""
        labels, tight = tab_labels(self.app.size.width)
        self.set_class(tight, "-tight-tabs")
        if labels != getattr(self, "_tab_labels", None):
            self._tab_labels = labels
            tabs = self.query_one("#tabs", TabbedContent)
            for tab_id, label in labels.items():
                tabs.get_tab(tab_id).label = label
        if self._ctx is not None and self._ctx.width != self.app.size.width:
            self.reload()

    def reload(self) -> bool:
        store = self.app.store
        want = i18n.content_language(self.app.settings.content_language)
        member = store.get_member(self.slug, want)
        if member is None:
            return False
        self.member = member
        fresh = freshness_text(
            store.freshness(self.slug, member), self.app.now(), self.app.settings.stale_hours
        )
        note = i18n.fallback_note(member.language, want)  # "shown in English: not synced in Spanish"
        watched = store.is_watched(self.slug)
        marks, notes, bookmarks = user_layer(self.app, member)
        readable = frozenset(store.documents_cached(r.document for r in member.resources))
        self._ctx = PaneContext(
            freshness_line=str(fresh), watched=watched, width=self.app.size.width, marks=marks, notes=notes,
            bookmarks=bookmarks, readable=readable,
        )  # fmt: skip
        # only the tab shown is filled now; the others when first shown (`_show_pane`), so opening a member
        # does not build seven tabs' tables and texts before the first paint
        self._unshown = {tab_id for tab_id, _label, _pane in TABS}
        self._show_pane(self.active_tab())
        name = Text(member.name, style="bold")  # TitleBar cleans
        star = (_("★ watched"),) if watched else ()
        shown = (note,) if note else ()
        lang = (
            (
                _("in {shown}, not {wanted}").format(
                    shown=(member.language or "en").upper(), wanted=want.upper()
                ),
            )
            if note
            else ()
        )
        self.query_one("#title", TitleBar).set_fitted(
            (name, _("{level} member").format(level=regions.word(member.level)), *star, str(fresh), *shown),
            (name, *star, str(fresh), *shown),
            (name, *star, fresh.compact(), *shown),
            (name, *star, fresh.compact(), *lang),
            (name, *(("★",) if watched else ()), fresh.compact()),
        )  # the freshness is never the part that is cut
        return True

    def active_tab(self) -> str:
        return self.query_one("#tabs", TabbedContent).active or self.initial_tab

    def active_pane(self) -> Pane:
        return self._show_pane(self.active_tab())

    def _show_pane(self, tab: str) -> Pane:
        """The pane of `tab`, filled with the member if it has not been since the last load. A tab not
        shown before is composed first (`Pane.build`, a few messages later; `Pane.when_built` waits)."""
        pane = self.query_one(f"#pane-{tab}", Pane)
        if not pane.built:
            if tab not in self._building:
                self._building.add(tab)
                self.call_later(self._build_pane, pane, tab)
            return pane
        if tab in self._unshown and self.member is not None and self._ctx is not None:  # (set together)
            self._unshown.discard(tab)
            pane.show(self.member, self._ctx)
        return pane

    async def _build_pane(self, pane: Pane, tab: str) -> None:
        await pane.build()
        self._building.discard(tab)
        self._show_pane(tab)
        if tab == self.active_tab():
            pane.run_pending()  # focus, a search's row: only while the tab is still the one shown (focusing
        else:  # a widget of a hidden tab would switch to it)
            pane.discard_pending()

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self._show_pane(self.active_tab())
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        tabs = _ACTIONS_BY_TAB.get(action)
        if tabs is None:
            return True
        return self.active_tab() in tabs

    def select_row(self, tab: str, key: str | None) -> bool:
        """Show `tab` with the cursor on the row `key` (global search's jump); filters are cleared first so
        the row is there. False when the row does not exist (the cursor stays where it was)."""
        self.action_tab(tab)
        pane = self.active_pane()
        if key is None or not pane.table_id:
            return False
        if not pane.built:
            pane.when_built(lambda: self.select_row(tab, key))
            return False
        if isinstance(pane, ResourcesPane):
            pane.type_index = 0
            pane.year_hint = str(key)
        for box in pane.query(FilterInput):
            with box.prevent(Input.Changed):
                box.value = ""
        refill = getattr(pane, "refill", None)
        if refill is not None:
            refill()
        table = pane.query_one(f"#{pane.table_id}", NavTable)
        try:
            row = table.get_row_index(str(key))
        except Exception:  # RowDoesNotExist: the item went away since the search
            return False
        head = pane.year_head(str(key)) if isinstance(pane, ResourcesPane) else None
        if head is not None and head < row:
            # the row's year heads its group, maybe rows above it: show the head too (when both fit)
            self.call_after_refresh(self._show_with_head, table, row, head)
        table.move_cursor(row=row, animate=False, scroll=True)
        return True

    @staticmethod
    def _show_with_head(table: NavTable, row: int, head: int) -> None:
        visible = max(1, table.scrollable_content_region.height - 1)  # the header row is fixed
        top = head if row - head < visible else row - visible + 1
        table.scroll_to(y=top, animate=False)
        table.move_cursor(row=row, animate=False, scroll=True)

    # --- actions (bound from the command list) ---
    def action_tab(self, name: str) -> None:
        self.query_one("#tabs", TabbedContent).active = name
        self.active_pane().focus_main()

    def action_back(self) -> None:
        self.app.go_back()

    def action_filter(self) -> None:
        self.active_pane().focus_filter()

    def action_cycle_type(self) -> None:
        pane = self.active_pane()
        if isinstance(pane, ResourcesPane):
            pane.cycle_type()

    def action_open_selected(self) -> None:
        pane = self.active_pane()
        item = pane.selected()
        if item is None:
            return
        if isinstance(pane, CommitmentsPane):
            self.app.open_commitment(self.slug, item.id)
        elif isinstance(pane, ResourcesPane):
            self.app.open_resource(item, self.slug)
        elif isinstance(pane, ContactsPane | PostsPane):
            from ogptui.tui.screens.item import ItemScreen

            if isinstance(pane, ContactsPane):
                fields = [(_("Name"), item.name), (_("Role"), item.role), (_("Email"), item.email or _("no email on the page")),
                          (_("Side"), item.side or "unknown")]  # fmt: skip
                link: tuple[str | None, str] = (None, _("a contact has no link"))
            else:
                fields = [(_("Title"), item.title), (_("Teaser"), item.teaser or _("no teaser on the page")),
                          (_("Link"), item.url or _("no link in the cache"))]  # fmt: skip
                link = pane.link_value()
            self.app.push_screen(ItemScreen(fields, copy=pane.copy_value(), link=link))

    def action_cycle_sort(self) -> None:
        pane = self.active_pane()
        if isinstance(pane, CommitmentsPane | ResourcesPane):
            pane.cycle_sort()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_selected()

    def action_copy(self) -> None:
        value, what = self.active_pane().copy_value()
        self.app.copy_value(value, what)

    def action_browse(self) -> None:
        value, what = self.active_pane().link_value()
        self.app.open_link(value, what)

    def action_toggle_watch(self) -> None:
        self.app.toggle_watch(self.slug)
        self.reload()

    def action_brief(self) -> None:
        if self.member is None:
            return
        from ogptui.brief import write_brief

        store = self.app.store
        fresh = freshness_text(store.freshness(self.slug), self.app.now(), self.app.settings.stale_hours)
        _marks, notes, bookmarks = user_layer(self.app, self.member)
        documents = store.document_summaries(r.document for r in self.member.resources)
        try:
            path = write_brief(self.member, str(fresh), folder=store.paths.briefs, notes=notes, bookmarks=bookmarks,
                               documents=documents)  # fmt: skip
        except OSError as e:  # an unwritable briefs folder, a full disk
            reason = e.strerror or str(e)
            where = f" ({e.filename})" if getattr(e, "filename", None) else ""
            self.app.notify(_("Brief not written: {reason}.").format(reason=reason + where), title=_("Brief"), severity="error",
                            timeout=8, markup=False)  # fmt: skip
            return
        self.app.notify(_("Brief of {name} written to {path}").format(name=self.member.name, path=path), title=_("Brief"), timeout=8,
                        markup=False)  # fmt: skip

    def action_sync(self) -> None:
        name = self.member.name if self.member else self.slug
        self.app.start_sync(slugs=[self.slug], what=name)

    def selected_target(self) -> tuple[Target | None, str]:
        """What `n` and `b` act on: the selected commitment, resource or contact, else the member."""
        member = self.member
        if member is None:
            return None, _("no member")
        pane = self.active_pane()
        item = pane.selected() if pane.built else None
        if isinstance(pane, CommitmentsPane) and item is not None:
            return commitment_target(self.slug, item), ""
        if isinstance(pane, ResourcesPane) and item is not None:
            return resource_target(self.slug, item), _(
                "this resource has no link, so no stable key to keep a note by"
            )
        if isinstance(pane, ContactsPane) and item is not None:
            return contact_target(self.slug, item), ""
        return member_target(self.slug, member.name), ""

    def action_note(self) -> None:
        edit_note(self.app, *self.selected_target())

    def action_bookmark(self) -> None:
        toggle_bookmark(self.app, *self.selected_target())


def user_layer(app, member) -> tuple[dict[str, str], tuple, tuple]:
    """(row marks by target key, notes, bookmarks) of a member, for its panes; empty if user.db is off."""
    slug = member.slug
    keys = [slug, *(commitment_key(slug, c) for c in member.commitments),
            *(k for r in member.resources if (k := resource_key(slug, r))),
            *(contact_key(slug, c) for c in member.contacts)]  # fmt: skip
    try:
        notes, bookmarks = member_notes(app.store, slug)
    except Exception:  # a damaged user.db or cache: the member is still shown
        notes, bookmarks = [], []
    return marks(app, keys), tuple(notes), tuple(bookmarks)
