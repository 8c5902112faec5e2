"""The seven tabs of a member. Each pane gets the whole `Member` through `show()`.

Panes with a table also answer `focus_filter`, `selected`, `copy_value` and `link_value`, which the member
screen's actions (`/`, `enter`, `y`, `o`) call on the active pane.

Why this module is over 400 lines: it is the seven tabs, each a short class (its columns, its rows, what
its info line says); the table machinery they share is `TablePane` here and `ogptui.tui.tables`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.widgets import Input, Static

from ogptui import i18n
from ogptui.i18n import N_, _, ngettext
from ogptui.model import Member
from ogptui.notes import commitment_key, contact_key, resource_key
from ogptui.tui import render
from ogptui.tui.tables import Column, Row, TableView, type_bar
from ogptui.tui.widgets.common import DetailScroll, FilterInput
from ogptui.tui.widgets.navtable import NavTable
from ogptui.vocab import value_in

if TYPE_CHECKING:
    from ogptui.tui.app import OgpApp


@dataclass
class PaneContext:
    freshness_line: str
    watched: bool
    width: int
    marks: dict[str, str] = field(default_factory=dict)  # note/bookmark marks by target key (ogptui.notes)
    notes: tuple[Any, ...] = ()  # the user's notes on the member and its targets (overview)
    bookmarks: tuple[Any, ...] = ()
    readable: frozenset[str] = frozenset()  # slugs of the member's documents cached (readable offline)


OFFLINE_MARK = "✓"


class Pane(Vertical):
    """Base: nothing selectable."""

    table_id: str | None = None
    member: Member | None = None

    def __init__(self, *args: Any, lazy: bool = False, **kwargs: Any) -> None:
        """`lazy`: compose nothing until `build()` (the member screen builds a tab when it is first shown)."""
        super().__init__(*args, **kwargs)
        self.built = not lazy
        self._when_built: list[Callable[[], Any]] = []

    def compose(self) -> ComposeResult:
        if self.built:
            yield from self.compose_content()

    def compose_content(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        if self.built:
            self.setup()

    def setup(self) -> None:
        """Once the content is mounted: the tables' columns."""

    async def build(self) -> None:
        if self.built:
            return
        self.built = True
        await self.recompose()
        self.setup()

    def when_built(self, callback: Callable[[], Any]) -> None:
        """Run `callback` now if the content is there, else once the member screen has built and filled it."""
        if self.built:
            callback()
        else:
            self._when_built.append(callback)

    def run_pending(self) -> None:
        pending, self._when_built = self._when_built, []
        for callback in pending:
            callback()

    def discard_pending(self) -> None:
        self._when_built.clear()

    def show(self, member: Member, ctx: PaneContext) -> None:
        self.member = member

    def focus_main(self) -> None:
        if not self.built:
            self.when_built(self.focus_main)
            return
        if self.table_id:
            self.query_one(f"#{self.table_id}").focus()
        else:
            scroll = self.query(DetailScroll)
            if scroll:
                scroll.first().focus()

    def focus_filter(self) -> bool:
        if not self.built:
            if self.table_id:
                self.when_built(self.focus_filter)
            return bool(self.table_id)
        inputs = self.query(FilterInput)
        if not inputs:
            return False
        inputs.first().focus()
        return True

    def selected(self) -> Any:
        return None

    def copy_value(self) -> tuple[str | None, str]:
        """(text to copy, what it is) or (None, reason)."""
        return None, _("nothing to copy on this tab")

    def link_value(self) -> tuple[str | None, str]:
        return None, _("no link on this tab")

    def _table(self) -> NavTable:
        return self.query_one(f"#{self.table_id}", NavTable)

    def _selected_key(self) -> str | None:
        return self._table().current_key() if self.table_id and self.built else None


def counted(noun: str, n: int) -> str:
    """A count of a pane's rows ("3 commitments", "1 compromiso", "0 engagement"): in the interface language."""
    phrases = {
        "commitment": ngettext("{n} commitment", "{n} commitments", n),
        "resource": ngettext("{n} resource", "{n} resources", n),
        "contact": ngettext("{n} contact", "{n} contacts", n),
        "post": ngettext("{n} post", "{n} posts", n),
    }
    return phrases.get(noun, ngettext("{n} item", "{n} items", n)).format(n=n)


def no_match(noun: str, query: str) -> str:
    phrases = {
        "commitment": _("No commitment matches “{query}”"),
        "resource": _("No resource matches “{query}”"),
        "contact": _("No contact matches “{query}”"),
        "post": _("No post matches “{query}”"),
    }
    return phrases.get(noun, _("Nothing matches “{query}”")).format(query=query)


class TextPane(Pane):
    def compose_content(self) -> ComposeResult:
        with DetailScroll():
            yield Static(id=f"{self.id}-text", classes="pane-text")

    def set_text(self, text: Text) -> None:
        self.query_one(f"#{self.id}-text", Static).update(text)


class OverviewPane(TextPane):
    def show(self, member: Member, ctx: PaneContext) -> None:
        super().show(member, ctx)
        self.set_text(
            render.overview_text(
                member, ctx.freshness_line, ctx.watched, ctx.width - 6, ctx.notes, ctx.bookmarks
            )
        )

    def link_value(self) -> tuple[str | None, str]:
        if self.member and self.member.current_plan.summary_url:
            return self.member.current_plan.summary_url, _("the summary's More link")
        return None, _("the summary has no More link")

    def copy_value(self) -> tuple[str | None, str]:
        return self.link_value()


class MetricsPane(TextPane):
    def show(self, member: Member, ctx: PaneContext) -> None:
        super().show(member, ctx)
        self.set_text(render.metrics_text(member, ctx.width))


class ParticipationPane(TextPane):
    def show(self, member: Member, ctx: PaneContext) -> None:
        super().show(member, ctx)
        self.set_text(render.participation_text(member, ctx.width - 6))


class TablePane(Pane):
    """A pane whose table fits the width (`TableView`), filters as you type (when it has a filter box),
    sorts (when it has a `SORT` setting) and says so when nothing matches."""

    app: OgpApp  # (Textual types it App[Any])
    COLUMNS: tuple[Column, ...] = ()
    SORT: str | None = None  # the settings field that keeps the sort ("sort_commitments"), None: no sort
    FILTER_HINT = ""  # the filter box's placeholder ("" = no filter box)
    NOUN = ("item", "items")  # which `counted` phrases to use (kept in English: a key, not a word shown)
    filter_id = ""  # the filter box's id
    info_id = ""  # the line above the table: counts, the sort, "no match"
    ctx = PaneContext("", False, 120)  # the last `show()`'s context

    def compose_content(self) -> ComposeResult:
        if self.FILTER_HINT:
            yield FilterInput(self.table_id or "", _(self.FILTER_HINT), id=self.filter_id)
        yield Static(id=self.info_id, classes="pane-info")
        yield NavTable(id=self.table_id)

    def setup(self) -> None:
        sort = getattr(self.app.settings, self.SORT) if self.SORT else ""
        self.view = TableView(self.COLUMNS, sort)

    def show(self, member: Member, ctx: PaneContext) -> None:
        super().show(member, ctx)
        self.width = ctx.width
        self.ctx = ctx  # `rows()` reads the user's marks (and the resources, what is readable offline)
        self.view.load(self.rows(member), max(20, ctx.width - 2))  # a cell each side for the scrollbar
        self.refill()

    def rows(self, member: Member) -> list[Row]:
        return []

    def query_text(self) -> str:
        boxes = self.query(FilterInput)
        return boxes.first().value if boxes else ""

    def keep(self, row: Row) -> bool:
        return True

    def refill(self) -> None:
        if self.member is None:
            return
        table = self._table()
        keep = table.current_key()
        table.set_columns(self.view.headers())
        q = self.query_text()
        shown = self.view.shown(render.query_words(q), self.keep)
        table.refill(self.table_rows(shown), keep=keep)
        self.query_one(f"#{self.info_id}", Static).update(self.info(len(shown), q))

    def table_rows(self, shown: list[Row]) -> list[tuple[str, list[Text]]]:
        return [(r.key, r.shown) for r in shown]

    def info(self, n: int, q: str) -> Text:
        total = len(self.view.rows)
        if q and not n:
            t = Text(no_match(self.NOUN[0], render.safe(q)), style="bold")
            t.append(_(" (of {total}): esc clears the filter.").format(total=total), style="dim")
            return t
        words = counted(self.NOUN[0], total)
        if q:
            words = _("{n} of {total}").format(n=n, total=words)
        sort = self.view.describe()
        return Text(words + (f" · {sort} (S)" if sort else ""), style="dim")

    def cycle_sort(self) -> None:
        if self.SORT:
            self.view.cycle()
            self._sorted()

    def on_data_table_header_selected(self, event: Any) -> None:
        event.stop()
        if self.SORT:
            self.view.click(str(event.column_key.value))
            self._sorted()

    def _sorted(self) -> None:
        setattr(self.app.settings, self.SORT or "", self.view.sort)
        self.app._save_settings()
        self.refill()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.refill()

    def _item(self, items: list[Any]) -> Any:
        key = self._selected_key()
        if key is None or self.member is None:
            return None
        try:
            return items[int(key)]
        except (ValueError, IndexError):
            return None


def _cell(value: object, empty: str = "—") -> Text:
    return render.plain(value, empty)


class CommitmentsPane(TablePane):
    table_id = "commitments-table"
    filter_id = "commitments-filter"
    info_id = "commitments-count"
    COLUMNS = (
        Column("id", N_("ID")),
        Column("title", N_("Title"), min=24, grow=True),
        Column("year", N_("Year")),
        Column("policy_area", N_("Policy area"), short=N_("Area"), min=10, cap=22),
        Column("status", N_("Status"), min=8, drop=2, cap=12),
        Column("early_results", N_("Early results"), short=N_("Early"), min=8, drop=3, cap=18),
        Column("completion", N_("Completion"), short=N_("Compl."), min=8, drop=4, cap=14),
    )
    SORT = "sort_commitments"
    FILTER_HINT = N_("/ filter commitments (id, title, policy area, status)")
    NOUN = ("commitment", "commitments")

    def rows(self, member: Member) -> list[Row]:
        out = []
        for c in member.commitments:
            unknown = _("unknown") if not c.has_details() else "—"
            area = c.policy_area or ", ".join(c.policy_areas)
            values = {"id": c.id, "title": c.title, "year": c.year, "policy_area": area, "status": c.status,
                      "early_results": c.early_results, "completion": c.completion}  # fmt: skip
            ident = render.with_mark(
                [Text(render.safe(c.id))], self.ctx.marks.get(commitment_key(member.slug, c))
            )[0]
            lang = i18n.language()  # enumerated values in the reader's language ("High" → "Alto")
            status, early, completion = (value_in(v, lang) for v in (c.status, c.early_results, c.completion))
            cells = {"id": ident, "title": _cell(c.title), "year": _cell(c.year),
                     "policy_area": _cell(area), "status": _cell(status, unknown),
                     "early_results": _cell(early, unknown), "completion": _cell(completion, unknown)}  # fmt: skip
            hay = render.haystack(c.id, c.title, c.year, c.policy_area, c.status, c.early_results, c.completion,
                                  status, early, completion, " ".join(c.policy_areas))  # fmt: skip
            out.append(Row(c.id, hay, values, cells))
        return out

    def info(self, n: int, q: str) -> Text:
        if self.member is not None and not self.member.commitments:
            in_plan = render.number(self.member.current_plan.commitment_count)
            return Text(
                ngettext(
                    "{n} commitment in the current plan; the page does not list it (s syncs it).",
                    "{n} commitments in the current plan; the page does not list them (s syncs it).",
                    int(in_plan),
                ).format(n=in_plan)
                if in_plan
                else _("The page lists no commitments (the list can be empty on the site)."),
                style="dim",
            )
        return super().info(n, q)

    def selected(self) -> Any:
        key = self._selected_key()
        if key is None or self.member is None:
            return None
        return next((c for c in self.member.commitments if c.id == key), None)

    def link_value(self) -> tuple[str | None, str]:
        c = self.selected()
        if c is None:
            return None, _("no commitment selected")
        if c.url:
            return c.url, _("the link of {id}").format(id=c.id)
        return None, _("{id} has no link").format(id=c.id)

    copy_value = link_value


class ResourcesPane(TablePane):
    """Timeline: grouped by year (newest first) in its own order; `t` cycles the type filter, `/` filters
    by text, `S` sorts by a column (then every row shows its year). A `✓` in the Offline column marks a
    resource whose document is on this device (enter reads it)."""

    table_id = "resources-table"
    year_hint: str | None = None  # the row a jump landed on: it shows its year even inside a group
    filter_id = "resources-filter"
    info_id = "resources-types"
    type_index = 0
    readable: frozenset[str] = frozenset()
    COLUMNS = (
        Column("year", N_("Year")),
        Column("title", N_("Title"), min=24, grow=True),
        Column("type", N_("Type"), min=10, cap=20),
        Column("format", N_("Format"), min=6, drop=1, cap=10),
        Column("offline", N_("Offline"), short=OFFLINE_MARK),
    )
    SORT = "sort_resources"
    FILTER_HINT = N_("/ filter resources by title")
    NOUN = ("resource", "resources")

    def show(self, member: Member, ctx: PaneContext) -> None:
        self.readable = ctx.readable
        # the Offline column only where a resource has a document page (the embedded sample has none)
        has_documents = any(r.document for r in member.resources)
        self.view.columns = tuple(c for c in self.COLUMNS if has_documents or c.key != "offline")
        if self.view.key not in (None, *self.view.column_keys):  # sorted by the column just hidden
            self.view.key, self.view.desc = None, False
        super().show(member, ctx)

    def rows(self, member: Member) -> list[Row]:
        indexed = sorted(
            enumerate(member.resources), key=lambda ir: (-(render.number(ir[1].year) or 0), ir[0])
        )
        marks = self.ctx.marks
        out = []
        for i, r in indexed:
            readable = self.is_readable(r)
            values = {"year": r.year, "title": r.title, "type": r.type, "format": r.format,
                      "offline": 0 if readable else None}  # fmt: skip
            key = resource_key(member.slug, r)
            title = render.with_mark([_cell(r.title)], marks.get(key) if key else None)[0]
            cells = {"year": Text(render.safe(r.year) if r.year else _("no year"), style="bold"),
                     "title": title, "type": _cell(r.type, _("no type")), "format": _cell(r.format),
                     "offline": Text(OFFLINE_MARK if readable else "")}  # fmt: skip
            out.append(Row(str(i), render.haystack(r.title, r.type, r.year), values, cells))
        return out

    def is_readable(self, r: Any) -> bool:
        return bool(r.document) and r.document in self.readable

    def types(self) -> list[tuple[str | None, int]]:
        """[(None, total), (type, count), ...] most common first; None type shows as 'no type'."""
        if self.member is None:
            return [(None, 0)]
        counts = Counter(r.type or _("no type") for r in self.member.resources)
        return [(None, len(self.member.resources)), *sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]

    @property
    def current_type(self) -> str | None:
        types = self.types()
        return types[self.type_index % len(types)][0]

    def cycle_type(self) -> str:
        self.type_index = (self.type_index + 1) % len(self.types())
        self.refill()
        return self.current_type or _("all types")

    def keep(self, row: Row) -> bool:
        want = self.current_type
        return want is None or (row.values["type"] or _("no type")) == want

    def table_rows(self, shown: list[Row]) -> list[tuple[str, list[Text]]]:
        """In the timeline (no sort) the year heads its group only, except on the row a jump landed on
        (`year_hint`), which repeats it dimmed: a group can be longer than the screen, and the year must stay
        in sight. Sorted, every row shows its year."""
        if self.view.key is not None:
            return [(r.key, r.shown) for r in shown]
        out = []
        last: object = object()
        for r in shown:
            cells = r.shown
            if r.values["year"] == last:
                year = Text(cells[0].plain, style="dim") if r.key == self.year_hint else Text("")
                cells = [year, *cells[1:]]
            last = r.values["year"]
            out.append((r.key, cells))
        return out

    def info(self, n: int, q: str) -> Text:
        types = self.types()
        every = _("All")
        labels = [f"{render.safe(name) or every} {count}" for name, count in types]
        if (q or self.current_type) and not n:
            tail = no_match(self.NOUN[0], render.safe(q)) if q else _("no resource of this type")
        else:
            tail = _("showing {n}").format(n=n) if q or self.current_type else ""
        sort = self.view.describe()
        if sort:
            tail = f"{tail} · {sort}" if tail else sort
        documents = [r for r in self.member.resources if r.document] if self.member else []
        if documents:
            readable = sum(1 for r in documents if self.is_readable(r))
            offline = f"{OFFLINE_MARK} " + _("{n} of {total} readable offline").format(
                n=readable, total=len(documents)
            )
            tail = f"{tail} · {offline}" if tail else offline
        return type_bar(labels, self.type_index % len(types), getattr(self, "width", 120) - 2, tail)

    def year_head(self, key: str) -> int | None:
        """The row that heads the year group of the row `key` in the timeline (None when sorted)."""
        if self.view.key is not None or self.member is None:
            return None
        table = self._table()
        try:
            row = table.get_row_index(str(key))
        except Exception:
            return None
        year = self.member.resources[int(key)].year
        head = row
        while head > 0:
            prev = table.coordinate_to_cell_key(Coordinate(head - 1, 0)).row_key.value
            if self.member.resources[int(str(prev))].year != year:
                break
            head -= 1
        return head

    def selected(self) -> Any:
        return self._item(self.member.resources if self.member else [])

    def link_value(self) -> tuple[str | None, str]:
        r = self.selected()
        if r is None:
            return None, _("no resource selected")
        return (
            (r.url, _("the resource link")) if r.url else (None, _("this resource has no link in the cache"))
        )

    copy_value = link_value


class ContactsPane(TablePane):
    table_id = "contacts-table"
    info_id = "contacts-info"
    COLUMNS = (
        Column("name", N_("Name"), min=14, cap=30),
        Column("role", N_("Role"), min=12, grow=True),
        Column("email", N_("Email")),  # never clipped: it is what people copy
        Column("side", N_("Side"), drop=1),
    )
    NOUN = ("contact", "contacts")

    def rows(self, member: Member) -> list[Row]:
        marks = self.ctx.marks
        return [
            Row(
                str(i),
                "",
                {},
                {
                    "name": render.with_mark([_cell(c.name)], marks.get(contact_key(member.slug, c)))[0],
                    "role": _cell(c.role),
                    "email": _cell(c.email, _("no email")),
                    "side": _cell(c.side, _("unknown")),
                },
            )  # fmt: skip
            for i, c in enumerate(member.contacts)
        ]

    def info(self, n: int, q: str) -> Text:
        if self.member is not None and not self.member.contacts:
            return Text(_("The page lists no contact."), style="dim")
        return Text(_("enter shows the whole contact · y copies the email"), style="dim")

    def selected(self) -> Any:
        return self._item(self.member.contacts if self.member else [])

    def copy_value(self) -> tuple[str | None, str]:
        c = self.selected()
        if c is None:
            return None, _("no contact selected")
        if c.email:
            return c.email, _("{name}'s email").format(name=c.name)
        return None, _("{name} has no email on the page").format(name=c.name)


class PostsPane(TablePane):
    table_id = "posts-table"
    info_id = "posts-info"
    COLUMNS = (Column("title", N_("Title"), min=24), Column("teaser", N_("Teaser"), min=20, grow=True))
    NOUN = ("post", "posts")

    def show(self, member: Member, ctx: PaneContext) -> None:
        # the title keeps at least half the width; the teaser (whole with enter) gives way first
        half = max(24, (ctx.width - 8) // 2)
        rest = max(20, ctx.width - 2 - half - 4)
        self.view.columns = (
            Column("title", N_("Title"), min=half),
            Column("teaser", N_("Teaser"), min=rest, grow=True),
        )
        super().show(member, ctx)

    def rows(self, member: Member) -> list[Row]:
        return [
            Row(str(i), "", {}, {"title": _cell(p.title), "teaser": _cell(p.teaser)})
            for i, p in enumerate(member.posts)
        ]

    def info(self, n: int, q: str) -> Text:
        if self.member is not None and not self.member.posts:
            return Text(_("The page shows no recent posts."), style="dim")
        return Text(
            ngettext("{n} recent post", "{n} recent posts", n).format(n=n)
            + " · "
            + _("enter shows the whole teaser · o opens, y copies the link"),
            style="dim",
        )

    def selected(self) -> Any:
        return self._item(self.member.posts if self.member else [])

    def link_value(self) -> tuple[str | None, str]:
        p = self.selected()
        if p is None:
            return None, _("no post selected")
        return (p.url, _("the post link")) if p.url else (None, _("this post has no link in the cache"))

    copy_value = link_value
