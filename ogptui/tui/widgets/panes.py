"""The seven tabs of a member. Each pane gets the whole `Member` through `show()`.

Panes with a table also answer `focus_filter`, `selected`, `copy_value` and `link_value`, which the member
screen's actions (`/`, `enter`, `y`, `o`) call on the active pane.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from ogptui.model import Member
from ogptui.tui import render
from ogptui.tui.widgets.common import DetailScroll, FilterInput
from ogptui.tui.widgets.navtable import NavTable


@dataclass
class PaneContext:
    freshness_line: str
    watched: bool
    width: int


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
        return None, "nothing to copy on this tab"

    def link_value(self) -> tuple[str | None, str]:
        return None, "no link on this tab"

    def _table(self) -> NavTable:
        return self.query_one(f"#{self.table_id}", NavTable)

    def _selected_key(self) -> str | None:
        return self._table().current_key() if self.table_id and self.built else None


class TextPane(Pane):
    def compose_content(self) -> ComposeResult:
        with DetailScroll():
            yield Static(id=f"{self.id}-text", classes="pane-text")

    def set_text(self, text: Text) -> None:
        self.query_one(f"#{self.id}-text", Static).update(text)


class OverviewPane(TextPane):
    def show(self, member: Member, ctx: PaneContext) -> None:
        super().show(member, ctx)
        self.set_text(render.overview_text(member, ctx.freshness_line, ctx.watched, ctx.width - 6))

    def link_value(self) -> tuple[str | None, str]:
        if self.member and self.member.current_plan.summary_url:
            return self.member.current_plan.summary_url, "the summary's More link"
        return None, "the summary has no More link"

    def copy_value(self) -> tuple[str | None, str]:
        return self.link_value()


class MetricsPane(TextPane):
    def show(self, member: Member, ctx: PaneContext) -> None:
        super().show(member, ctx)
        self.set_text(render.metrics_text(member, ctx.width))


class ParticipationPane(TextPane):
    def show(self, member: Member, ctx: PaneContext) -> None:
        super().show(member, ctx)
        self.set_text(render.participation_text(member))


class CommitmentsPane(Pane):
    table_id = "commitments-table"

    def compose_content(self) -> ComposeResult:
        yield FilterInput(
            self.table_id, "/ filter commitments (id, title, policy area, status)", id="commitments-filter"
        )
        yield Static(id="commitments-count", classes="pane-info")
        yield NavTable(id=self.table_id)

    def setup(self) -> None:
        t = self._table()
        for label in ("ID", "Title", "Year", "Policy area", "Status", "Early results", "Completion"):
            t.add_column(label, key=label.lower())

    def show(self, member: Member, ctx: PaneContext) -> None:
        super().show(member, ctx)
        self.width = ctx.width
        # (id, haystack, cells) per commitment, built once per load, not on every keystroke
        title_w = max(24, ctx.width - 80)
        self._rows = [(c.id, self._haystack(c), self._cells(c, title_w)) for c in member.commitments]
        self.refill()

    @staticmethod
    def _haystack(c: Any) -> str:
        return render.haystack(c.id, c.title, c.year, c.policy_area, c.status, c.early_results, c.completion,
                               " ".join(c.policy_areas))  # fmt: skip

    @staticmethod
    def _cells(c: Any, title_w: int) -> list[Text]:
        unknown = "unknown" if not c.has_details() else "—"
        return [
            Text(render.safe(c.id)),
            render.clip(c.title, title_w),
            render.plain(c.year),
            render.clip(c.policy_area or ", ".join(c.policy_areas), 22),
            render.clip(c.status, 12, unknown),
            render.clip(c.early_results, 18, unknown),
            render.clip(c.completion, 14, unknown),
        ]

    def refill(self) -> None:
        if self.member is None:
            return
        q = self.query_one("#commitments-filter", Input).value
        words = render.query_words(q)
        rows = [(cid, cells) for cid, hay, cells in self._rows if all(w in hay for w in words)]
        self._table().refill(rows)
        total = len(self.member.commitments)
        info = Text(f"{len(rows)} of {total} commitments" if q else f"{total} commitments", style="dim")
        if not total:
            in_plan = self.member.current_plan.commitment_count
            info = Text(
                f"The current plan has {in_plan} commitments, but the page does not list them (s syncs the page)."
                if in_plan
                else "The page lists no commitments (the list can be empty on the site).",
                style="dim",
            )
        self.query_one("#commitments-count", Static).update(info)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.refill()

    def selected(self) -> Any:
        key = self._selected_key()
        if key is None or self.member is None:
            return None
        return next((c for c in self.member.commitments if c.id == key), None)

    def link_value(self) -> tuple[str | None, str]:
        c = self.selected()
        if c is None:
            return None, "no commitment selected"
        return (c.url, f"the link of {c.id}") if c.url else (None, f"{c.id} has no link")

    copy_value = link_value


class ResourcesPane(Pane):
    """Timeline: grouped by year (newest first); `t` cycles the type filter, `/` filters by text."""

    table_id = "resources-table"
    type_index = 0

    def compose_content(self) -> ComposeResult:
        yield FilterInput(self.table_id, "/ filter resources by title", id="resources-filter")
        yield Static(id="resources-types", classes="pane-info")
        yield NavTable(id=self.table_id)

    def setup(self) -> None:
        t = self._table()
        for label in ("Year", "Title", "Type", "Format"):
            t.add_column(label, key=label.lower())

    def show(self, member: Member, ctx: PaneContext) -> None:
        super().show(member, ctx)
        self.width = ctx.width
        self.refill()

    def types(self) -> list[tuple[str | None, int]]:
        """[(None, total), (type, count), ...] most common first; None type shows as 'no type'."""
        if self.member is None:
            return [(None, 0)]
        counts = Counter(r.type or "no type" for r in self.member.resources)
        return [(None, len(self.member.resources)), *sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]

    @property
    def current_type(self) -> str | None:
        types = self.types()
        return types[self.type_index % len(types)][0]

    def cycle_type(self) -> str:
        self.type_index = (self.type_index + 1) % len(self.types())
        self.refill()
        return self.current_type or "all types"

    def refill(self) -> None:
        if self.member is None:
            return
        q = self.query_one("#resources-filter", Input).value
        want = self.current_type
        title_w = max(30, getattr(self, "width", 120) - 44)
        indexed = [
            (i, r)
            for i, r in enumerate(self.member.resources)
            if (want is None or (r.type or "no type") == want) and render.matches(q, r.title, r.type, r.year)
        ]
        indexed.sort(key=lambda ir: (-(render.number(ir[1].year) or 0), ir[0]))
        rows = []
        last_year: object = object()
        for i, r in indexed:
            year_cell = Text("")
            if r.year != last_year:
                year_cell = Text(render.safe(r.year) if r.year else "no year", style="bold")
                last_year = r.year
            rows.append(
                (
                    i,
                    [year_cell, render.clip(r.title, title_w), render.clip(r.type, 20, "no type"),
                     render.clip(r.format, 10)],
                )
            )  # fmt: skip
        self._table().refill(rows)
        info = Text()
        info.append("t ", style="bold")
        parts = []
        for n, (name, count) in enumerate(self.types()):
            label = f"{render.safe(name) or 'All'} {count}"
            parts.append((label, n == self.type_index % len(self.types())))
        for n, (label, active) in enumerate(parts):
            if n:
                info.append(" · ", style="dim")
            info.append(f"[{label}]" if active else label, style="reverse" if active else "dim")
        if q or want:
            info.append(f"   showing {len(rows)}", style="dim")
        self.query_one("#resources-types", Static).update(info)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.refill()

    def selected(self) -> Any:
        key = self._selected_key()
        if key is None or self.member is None:
            return None
        return self.member.resources[int(key)]

    def link_value(self) -> tuple[str | None, str]:
        r = self.selected()
        if r is None:
            return None, "no resource selected"
        return (r.url, "the resource link") if r.url else (None, "this resource has no link in the cache")

    copy_value = link_value


class ContactsPane(Pane):
    table_id = "contacts-table"

    def compose_content(self) -> ComposeResult:
        yield Static(id="contacts-info", classes="pane-info")
        yield NavTable(id=self.table_id)

    def setup(self) -> None:
        t = self._table()
        for label in ("Name", "Role", "Email", "Side"):
            t.add_column(label, key=label.lower())

    def show(self, member: Member, ctx: PaneContext) -> None:
        super().show(member, ctx)
        role_w = max(20, ctx.width - 80)
        rows = [
            (i, [render.clip(c.name, 30), render.clip(c.role, role_w), render.plain(c.email, "no email"),
                 render.plain(c.side, "unknown")])
            for i, c in enumerate(member.contacts)
        ]  # fmt: skip
        self._table().refill(rows)
        info = "y copies the selected email" if member.contacts else "The page lists no contact."
        self.query_one("#contacts-info", Static).update(Text(info, style="dim"))

    def selected(self) -> Any:
        key = self._selected_key()
        return None if key is None or self.member is None else self.member.contacts[int(key)]

    def copy_value(self) -> tuple[str | None, str]:
        c = self.selected()
        if c is None:
            return None, "no contact selected"
        return (c.email, f"{c.name}'s email") if c.email else (None, f"{c.name} has no email on the page")


class PostsPane(Pane):
    table_id = "posts-table"

    def compose_content(self) -> ComposeResult:
        yield Static(id="posts-info", classes="pane-info")
        yield NavTable(id=self.table_id)

    def setup(self) -> None:
        t = self._table()
        t.add_column("Title", key="title")
        t.add_column("Teaser", key="teaser")

    def show(self, member: Member, ctx: PaneContext) -> None:
        super().show(member, ctx)
        title_w = min(60, max(30, ctx.width // 2 - 4))
        teaser_w = max(20, ctx.width - title_w - 8)
        rows = [
            (i, [render.clip(p.title, title_w), render.clip(p.teaser, teaser_w)])
            for i, p in enumerate(member.posts)
        ]
        self._table().refill(rows)
        info = f"{len(member.posts)} recent posts" if member.posts else "The page shows no recent posts."
        self.query_one("#posts-info", Static).update(Text(info, style="dim"))

    def selected(self) -> Any:
        key = self._selected_key()
        return None if key is None or self.member is None else self.member.posts[int(key)]

    def link_value(self) -> tuple[str | None, str]:
        p = self.selected()
        if p is None:
            return None, "no post selected"
        return (p.url, "the post link") if p.url else (None, "this post has no link in the cache")

    copy_value = link_value
