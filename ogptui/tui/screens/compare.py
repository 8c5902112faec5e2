"""Members side by side (C, or the palette): the table of `ogptui compare` and bars drawn with Rich.

Which members: those marked with m on the members list (else the member shown and the row selected), and
`/` edits the list (slugs, and `region:NAME` for every cached national member of a region). Unknown values
are the word "unknown", never a zero bar. textual-plotext was measured for the bars (25-42 ms to import on
top of Textual, only when this screen opens, and it renders under Textual 8.2.8), but a plot cannot say
"unknown" in place of a bar and it would add two dependencies; block characters in a Rich `Text` say it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Input, Static

from ogptui.compare import BAR, HALF, Comparison, bar_charts, compare, shown
from ogptui.i18n import _, content_language
from ogptui.model import Member
from ogptui.regions import UNKNOWN, member_region, parse_region
from ogptui.tui import render
from ogptui.tui.commands import bindings
from ogptui.tui.widgets.common import DetailScroll, Footer, StatusBar, TitleBar, reload_on_cache_change

if TYPE_CHECKING:
    from ogptui.tui.app import OgpApp

BAR_STYLE = "bold blue"
MAX_MEMBERS = 12  # columns that still fit a wide terminal
SHORT = {"Africa and the Middle East": "Africa & M. East", "Asia and the Pacific": "Asia-Pacific"}  # narrow columns


def _bar(value: object, biggest: int, room: int) -> Text:
    if not isinstance(value, int) or isinstance(value, bool):
        return Text(shown(None), style="dim italic")
    if biggest <= 0:
        return Text(f"· {value}")
    cells = value * room / biggest
    full = int(cells)
    body = BAR * full + (HALF if cells - full >= 0.5 else "")
    t = Text(body or "·", style=BAR_STYLE if body else "dim")
    t.append(f" {value}")
    return t


def comparison_text(cmp: Comparison, width: int) -> Text:
    """The table (metrics down, members across) and the bars, as plain text with styles (never markup)."""
    label_w = 34 if width >= 100 else 26
    col = max(9, min(18, (width - label_w - 4) // max(1, len(cmp.members)) - 1))
    out = Text()
    out.append(" " * label_w)
    for m in cmp.members:
        name = render.safe(m.name)
        out.append(f" {name[:col]:>{col}}", style="bold")
    for section in cmp.sections():
        out.append(f"\n\n{render.safe(section)}", style="bold underline")
        for r in (r for r in cmp.rows if r.section == section):
            out.append(f"\n  {render.safe(r.metric)[: label_w - 2]:<{label_w - 2}}")
            for v in r.values:
                text = render.safe(SHORT.get(v, shown(v)) if isinstance(v, str) else shown(v))[:col]
                out.append(f" {text:>{col}}", style="dim italic" if v is None else "")
    charts = bar_charts(cmp)
    if charts:
        out.append("\n\nBars", style="bold underline")
        out.append(_("  (unknown is a word, never a bar)"), style="dim")
        name_w = min(24, max(len(render.safe(m.name)) for m in cmp.members))
        room = max(10, min(50, width - name_w - 14))
        for title, items, biggest in charts:
            out.append(f"\n\n{render.safe(title)}", style="bold")
            for name, v in items:
                out.append(f"\n  {render.safe(name)[:name_w]:<{name_w}} ")
                out.append_text(_bar(v, biggest, room))
    return out


class CompareScreen(Screen):
    app: OgpApp  # (Textual types it App[Any])
    SCOPE = "compare"
    BINDINGS = bindings("compare")

    def __init__(self, slugs: list[str]) -> None:
        super().__init__(id="compare-screen")
        self.slugs = list(dict.fromkeys(slugs))
        self.comparison: Comparison | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar(id="title")
        yield Input(" ".join(self.slugs), placeholder=_("members to compare: slugs, region:americas"), id="compare-input")
        yield Static(id="compare-info", classes="pane-info")
        with DetailScroll(id="compare-scroll"):
            yield Static(id="compare-text", classes="pane-text")
        yield StatusBar(id="status")
        yield Footer()

    def on_mount(self) -> None:
        box = self.query_one("#compare-input", Input)
        box.cursor_blink = getattr(self.app, "blink", True)
        self.reload()
        reload_on_cache_change(self, self.reload)
        self.query_one("#compare-scroll").focus()

    def set_members(self, slugs: list[str]) -> None:
        self.slugs = list(dict.fromkeys(slugs))
        self.query_one("#compare-input", Input).value = " ".join(self.slugs)
        self.reload()

    def _members(self) -> tuple[list[Member], list[str]]:
        """The members named in the input (region:NAME expanded), and what could not be used."""
        store = self.app.store
        members: list[Member] = []
        problems: list[str] = []
        want = content_language(self.app.settings.content_language)  # each member in the data language
        seen: set[str] = set()
        for word in self.query_one("#compare-input", Input).value.split():
            if word.lower().startswith("region:"):
                try:
                    region = parse_region(word.split(":", 1)[1])
                except ValueError:
                    problems.append(_("{word} (regions: americas, europe, asia, africa, unknown)").format(word=render.safe(word)))
                    continue
                for s in store.list_members():
                    in_region = (member_region(s.slug, s.name, s.level) or UNKNOWN) == region
                    if in_region and (s.level or "national") == "national" and s.slug not in seen:
                        found = store.get_member(s.slug, want)
                        if found is not None:
                            members.append(found)
                            seen.add(s.slug)
                continue
            slug = word.strip().lower()
            if slug in seen:
                continue
            m = store.get_member(slug, want)
            if m is None:
                hint = store.find_slug(slug)
                problems.append(render.safe(word) + (_(" (did you mean {hint}?)").format(hint=', '.join(hint)) if hint else _(" (not cached)")))
                continue
            members.append(m)
            seen.add(slug)
        return members, problems

    def reload(self) -> None:
        members, problems = self._members()
        info = Text(style="dim")
        text = self.query_one("#compare-text", Static)
        if len(members) > MAX_MEMBERS:
            problems.append(_("only the first {MAX_MEMBERS} of {members} members are shown").format(MAX_MEMBERS=MAX_MEMBERS, members=len(members)))
            members = members[:MAX_MEMBERS]
        if len(members) < 2:
            self.comparison = None
            text.update(
                Text(
                    _("Compare needs at least two members: mark them with m on the members list and press C, "
                    "or press / and type their slugs (peru chile) or region:americas."),
                    style="dim",
                )
            )
        else:
            self.comparison = compare(members)
            text.update(comparison_text(self.comparison, self.app.size.width - 6))
        info.append(_("{members} members · / change members · esc back").format(members=len(members)))
        if problems:
            info.append(_("   not used: ") + "; ".join(problems), style="bold")
        self.query_one("#compare-info", Static).update(info)
        names = ", ".join(render.safe(m.name) for m in members[:4]) + ("…" if len(members) > 4 else "")
        self.query_one("#title", TitleBar).set_title("ogptui", _("Compare"), names or _("no members"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.reload()
        self.query_one("#compare-scroll").focus()

    def action_edit_members(self) -> None:
        self.query_one("#compare-input", Input).focus()

    def action_back(self) -> None:
        self.app.pop_screen()
