"""Text builders for the read-only panes (overview, starred metrics, participation & Global Report).

Everything from the store goes into `rich.text.Text` as plain text (never markup), and through `safe` /
`safe_block` (`ogptui.clean`) on the way out: the ingest cleans already, and this is the second line for a
store that holds a bad value anyway (a crafted bundle, an old cache, a hand edit). Values of the wrong type
(text in a number column) are shown as text, never a crash. No Textual imports here, so these are cheap to
unit-test.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from rich.console import Console
from rich.text import Text

from ogptui import i18n, regions
from ogptui.clean import clean_multiline, clean_text, fold
from ogptui.i18n import _, ngettext
from ogptui.model import Commitment, Member, commitment_count
from ogptui.vocab import value_in

_CONSOLE = Console(width=200, color_system=None, force_terminal=False)
LABEL = "bold"
DIM = "dim"
BAR = "█"
# Major / Outstanding / Starred: distinct colours, but the column header and the number always say it too.
BAR_STYLES = ("bold blue", "bold magenta", "bold yellow")
HALF = "▌"


def haystack(*fields: object) -> str:
    """The folded text `matches` looks in; lists that filter on every keystroke build it once per record."""
    return " ".join(fold(str(f)) for f in fields if f not in (None, ""))


def query_words(query: str) -> list[str]:
    return fold(query).split()


def matches(query: str, *fields: object) -> bool:
    words = query_words(query)
    if not words:
        return True
    hay = haystack(*fields)
    return all(w in hay for w in words)


def safe(value: object) -> str:
    """One line for the screen: control characters and escape sequences removed (never markup)."""
    if value is None:
        return ""
    return clean_text(value if isinstance(value, str) else str(value))


def safe_block(value: object) -> str:
    """Like `safe`, keeping line breaks (descriptions, summaries)."""
    if value is None:
        return ""
    return clean_multiline(value if isinstance(value, str) else str(value))


def number(value: object) -> int | None:
    """An int from the store, or None for anything else (a bad value is never computed with)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def order(value: object) -> tuple[int, int, str]:
    """Sort key that never compares an int with a str: numbers first, then anything else as text."""
    n = number(value)
    return (0, n, "") if n is not None else (1, 0, safe(value))


def plain(value: object, empty: str = "—", *, multiline: bool = False) -> Text:
    if value is None or value == "" or value == []:
        return Text(empty, style=DIM)
    if isinstance(value, list):
        text = ", ".join(safe(v) for v in value)
    else:
        text = safe_block(value) if multiline else safe(value)
    return Text(text) if text else Text(empty, style=DIM)


def clip(value: object, width: int, empty: str = "—") -> Text:
    t = plain(value, empty)
    if width > 0 and t.cell_len > width:
        t.truncate(width, overflow="ellipsis")
    return t


def field_lines(pairs: Iterable[tuple[str, object]], label_width: int = 20, width: int | None = None) -> Text:
    """`Label  value` lines; the value is plain text, wrapped under itself (hanging indent) to `width`.
    A label longer than `label_width` (translations often are) widens the label column for every line."""
    out = Text()
    pairs = list(pairs)
    label_width = max([label_width, *(len(label) + 2 for label, _value in pairs)])
    for label, value in pairs:
        out.append(f"{label:<{label_width}}", style=LABEL)
        t = plain(value)
        room = (width or 0) - label_width
        if room >= 20 and t.cell_len > room:
            lines = t.wrap(_CONSOLE, room)
            for n, line in enumerate(lines):
                if n:
                    out.append("\n" + " " * label_width)
                line.rstrip()
                out.append_text(line)
        else:
            out.append_text(t)
        out.append("\n")
    out.rstrip()
    return out


def with_mark(cells: list[Text], mark: str | None) -> list[Text]:
    """Row cells with the note/bookmark mark (✎ ⚑) before the first cell's text (unchanged without one)."""
    if not mark or not cells:
        return cells
    first = Text(f"{mark} ")
    first.append_text(cells[0])
    return [first, *cells[1:]]


def notes_block(notes: Sequence[Any], bookmarks: Sequence[Any], width: int | None = None) -> Text:
    """The user's own notes and bookmarks on a member (`ogptui.notes.Entry`), marked as theirs."""
    out = Text()
    out.append(_("Your notes"), style=LABEL)
    out.append(_("  (yours, not from the OGP site; n edits, N lists them all)\n"), style=DIM)
    for e in notes:
        out.append(f"✎ {safe(e.target.label())}", style="bold")
        if e.state_text():
            out.append(f"  ({safe(e.state_text())})", style="italic")
        if e.note.copy:
            out.append("  " + _("conflict copy {n}").format(n=e.note.copy), style=DIM)
        out.append(f"  {safe((e.note.updated_at or '')[:10])}\n", style=DIM)
        for line in safe_block(e.note.text).split("\n"):
            out.append(f"  {line}\n")
    if bookmarks:
        out.append(_("Bookmarked: "), style=LABEL)
        out.append(" · ".join(f"⚑ {safe(e.target.label())}" for e in bookmarks))
        out.append("\n")
    out.rstrip()
    return out


def overview_text(
    m: Member,
    freshness_line: str,
    watched: bool,
    width: int | None = None,
    notes: Sequence[Any] = (),
    bookmarks: Sequence[Any] = (),
) -> Text:
    cp = m.current_plan
    plan = cp.years or None
    if plan and cp.number:
        plan = _("{years} (Action Plan {number})").format(years=plan, number=cp.number)
    elif cp.number:
        plan = _("Action Plan {number}").format(number=cp.number)
    out = Text()
    out.append(safe(m.name), style="bold")
    out.append("   " + _("{level} member").format(level=safe(regions.word(m.level))), style=DIM)
    if watched:
        out.append(_("   ★ watched"))
    out.append("\n\n")
    out.append_text(
        field_lines(
            [
                (_("Member Since"), m.member_since),
                (_("Action Plan"), m.action_plan),
                (_("Current plan"), plan),
                (_("Commitments"), cp.commitment_count if cp.commitment_count is not None else None),
                (_("Policy area focus"), cp.policy_area_focus),
                (_("Contacts"), len(m.contacts)),
                *(("  " + (safe(c.side) or _("contact")), _contact_line(c)) for c in m.contacts[:3]),
                (_("Resources"), len(m.resources)),
                (_("Commitments listed"), commitment_count(len(m.commitments), cp.commitment_count)),
                (_("Freshness"), freshness_line),
                (_("Source"), m.source_url),
            ],
            width=width,
        )
    )
    if notes or bookmarks:
        out.append("\n\n")
        out.append_text(notes_block(notes, bookmarks, width))
    out.append("\n\n")
    out.append(_("Summary\n"), style=LABEL)
    out.append_text(plain(cp.summary, _("no summary on the page"), multiline=True))
    if cp.summary_url:
        out.append("\n")
        out.append(_("More: "), style=LABEL)
        out.append(safe(cp.summary_url))
    if m.warnings:
        out.append("\n\n")
        out.append(_("Parser notes\n"), style=LABEL)
        for w in m.warnings:
            out.append(f"• {safe(w)}\n", style=DIM)
        out.rstrip()
    return out


def _contact_line(c) -> str:
    return " · ".join(safe(x) for x in (c.name, c.email) if x)


def bar(value: int | None, per: float, width: int, style: str = "bold") -> Text:
    """A bar of block characters (`per` cells per unit) then the number; unknown is a word, never a bar."""
    if value is None or number(value) is None:
        word = _("unknown") if value is None else safe(value)
        return Text(f"{word:<{width}}", style=DIM)
    cells = value * per
    full = int(cells)
    half = cells - full >= 0.5
    body = BAR * full + (HALF if half else "")
    t = Text(body, style=style) if body else Text("·", style=DIM)
    t.append(f" {value}")
    t.pad_right(max(0, width - t.cell_len))
    return t


def metrics_text(m: Member, width: int = 100) -> Text:
    out = Text()
    out.append(_("Commitment performance"), style="bold")
    out.append(_(" — did the commitment open government? (per action plan)\n\n"), style=DIM)
    rows = sorted(m.performance, key=lambda r: order(r.action_plan))
    values = [number(v) for r in rows for v in (r.major, r.outstanding, r.starred, *r.raw)]
    values += [number(v) for b in m.benchmarks for v in b.raw]
    col = max(14, min(24, (width - 18) // 3))
    biggest = max((v for v in values if v is not None), default=0)
    per = min(3.0, (col - 5) / biggest) if biggest else 1.0
    if not rows:
        out.append(_("No commitment performance data on the page (unknown).\n"), style=DIM)
    else:
        out.append(f"{'':<16}", style=LABEL)
        for name in (_("Major"), _("Outstanding"), _("Starred")):
            out.append(f"{name:<{col}}", style=LABEL)
        out.append("\n")
        for r in rows:
            plan_label = _("Action Plan {number}").format(number=safe(r.action_plan))
            out.append(f"{plan_label:<16}", style=LABEL)
            if r.major is None and r.outstanding is None and r.starred is None:
                raw = ", ".join(safe(v) for v in r.raw) or _("none")
                out.append(_("unknown"), style="italic")
                out.append(_(" (raw numbers: {raw}; the column cannot be told)").format(raw=raw), style=DIM)
            else:
                for v, style in zip((r.major, r.outstanding, r.starred), BAR_STYLES, strict=True):
                    out.append_text(bar(v, per, col, style))
                if r.raw and [r.major, r.outstanding, r.starred] != r.raw:
                    out.append(_(" raw: {numbers}").format(numbers=", ".join(map(safe, r.raw))), style=DIM)
            out.append("\n")
        out.append(
            " " * 16 + _("bar length: {n} cells per commitment").format(n=f"{per:.2g}") + "\n", style=DIM
        )
    out.append("\n")
    out.append(_("Reference values"), style="bold")
    out.append(_(" — raw numbers as the page shows them (their meaning is not given)\n"), style=DIM)
    if not m.benchmarks:
        out.append(_("unknown") + "\n", style=DIM)
    for b in m.benchmarks:
        out.append(f"{safe(b.scope).capitalize():<16}", style=LABEL)
        out.append(f"{safe(b.label)}: ")
        out.append(", ".join(safe(v) for v in b.raw) or _("unknown"))
        out.append("\n")
    detailed = [c for c in m.commitments if c.has_details()]
    out.append("\n")
    out.append(_("Commitment details"), style="bold")
    if not detailed:
        out.append(
            _(" — early results and completion appear here once commitment pages are synced.\n"), style=DIM
        )
    else:
        synced = ngettext(
            " — {n} of {total} commitment synced", " — {n} of {total} commitments synced", len(m.commitments)
        )
        out.append(synced.format(n=len(detailed), total=len(m.commitments)) + "\n", style=DIM)
        out.append_text(distribution(detailed, "early_results", _("Early results"), per))
        out.append_text(distribution(detailed, "completion", _("Completion"), per))
    out.rstrip()
    return out


def _plan_of(c: Commitment) -> str:
    if c.action_plan:
        return safe(c.action_plan)
    if c.action_plan_cycle:
        return _("Cycle {cycle}").format(cycle=safe(c.action_plan_cycle))
    return _("Unknown action plan")


def distribution(items: list[Commitment], attr: str, title: str, per: float = 2.0) -> Text:
    out = Text()
    out.append(f"\n{title}\n", style=LABEL)
    plans: dict[str, Counter[str]] = {}
    for c in items:
        value = safe(value_in(getattr(c, attr), i18n.language())) or "unknown"
        plans.setdefault(_plan_of(c), Counter())[value] += 1
    for plan in sorted(plans, reverse=True):
        counts = plans[plan]
        out.append("  ")
        out.append(plan)
        out.append("\n")
        for value, n in counts.most_common():
            word = _("unknown") if value == "unknown" else value
            out.append(f"    {word[:24]:<26}", style=DIM if value == "unknown" else "")
            out.append_text(bar(n, per, 0, "bold"))
            out.append("\n")
    return out


PARTICIPATION_LEVELS = ("Collaborate", "Involve", "Consult", "Inform", "No Consultation")


def participation_text(m: Member, width: int | None = None) -> Text:
    out = Text()
    out.append(_("Public participation"), style="bold")
    out.append(_(" — level of public influence per action plan\n\n"), style=DIM)
    plans = sorted({p.action_plan for p in m.participation}, key=order)
    if not plans:
        out.append(_("unknown — the page draws these levels as a chart that has no text form.\n"), style=DIM)
        out.append(_("Levels used: ") + ", ".join(PARTICIPATION_LEVELS) + "\n", style=DIM)
    else:
        out.append(f"{'':<16}", style=LABEL)
        for p in plans:
            plan_label = _("Plan {number}").format(number=safe(p))
            out.append(f"{plan_label:<17}", style=LABEL)
        out.append("\n")
        for phase, phase_label in (
            ("development", _("Development")),
            ("implementation", _("Implementation")),
        ):
            out.append(f"{phase_label:<16}", style=LABEL)  # our own words, not the store's
            for p in plans:
                level = next(
                    (r.level for r in m.participation if r.phase == phase and r.action_plan == p), None
                )
                t = clip(level, 16, _("unknown"))
                t.pad_right(17 - t.cell_len)
                out.append_text(t)
            out.append("\n")
    out.append("\n")
    out.append(_("OGP Global Report (2019)"), style="bold")
    out.append(_(" — action implications per policy area\n\n"), style=DIM)
    if not m.global_report:
        out.append(_("No Global Report data on the page.\n"), style=DIM)
    label_width = 24
    for area in m.global_report:
        out.append(f"{safe(area.area):<{label_width}}", style=LABEL)
        value = Text()
        if not area.implications:
            value.append(_("unknown"), style=DIM)
        for n, imp in enumerate(area.implications):
            if n:
                value.append(" · ", style=DIM)
            if imp:
                value.append(safe(imp))
            else:
                value.append(_("none"), style=DIM)
        room = (width or 0) - label_width
        if room >= 20 and value.cell_len > room:  # wrapped lines indent under the value, not the label
            for n, line in enumerate(value.wrap(_CONSOLE, room)):
                if n:
                    out.append("\n" + " " * label_width)
                line.rstrip()
                out.append_text(line)
        else:
            out.append_text(value)
        out.append("\n")
    out.rstrip()
    return out
