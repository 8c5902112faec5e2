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

from ogptui.clean import clean_multiline, clean_text, fold
from ogptui.model import Commitment, Member, commitment_count

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
    """`Label  value` lines; the value is plain text, wrapped under itself (hanging indent) to `width`."""
    out = Text()
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
    out.append("Your notes", style=LABEL)
    out.append("  (yours, not from the OGP site; n edits, N lists them all)\n", style=DIM)
    for e in notes:
        out.append(f"✎ {safe(e.target.label())}", style="bold")
        if e.state_text():
            out.append(f"  ({safe(e.state_text())})", style="italic")
        if e.note.copy:
            out.append(f"  conflict copy {e.note.copy}", style=DIM)
        out.append(f"  {safe((e.note.updated_at or '')[:10])}\n", style=DIM)
        for line in safe_block(e.note.text).split("\n"):
            out.append(f"  {line}\n")
    if bookmarks:
        out.append("Bookmarked: ", style=LABEL)
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
        plan = f"{plan} (Action Plan {cp.number})"
    elif cp.number:
        plan = f"Action Plan {cp.number}"
    out = Text()
    out.append(safe(m.name), style="bold")
    out.append(f"   {safe(m.level)} member", style=DIM)
    if watched:
        out.append("   ★ watched")
    out.append("\n\n")
    out.append_text(
        field_lines(
            [
                ("Member Since", m.member_since),
                ("Action Plan", m.action_plan),
                ("Current plan", plan),
                ("Commitments", cp.commitment_count if cp.commitment_count is not None else None),
                ("Policy area focus", cp.policy_area_focus),
                ("Contacts", len(m.contacts)),
                *(("  " + (safe(c.side) or "contact"), _contact_line(c)) for c in m.contacts[:3]),
                ("Resources", len(m.resources)),
                ("Commitments listed", commitment_count(len(m.commitments), cp.commitment_count)),
                ("Freshness", freshness_line),
                ("Source", m.source_url),
            ],
            width=width,
        )
    )
    if notes or bookmarks:
        out.append("\n\n")
        out.append_text(notes_block(notes, bookmarks, width))
    out.append("\n\n")
    out.append("Summary\n", style=LABEL)
    out.append_text(plain(cp.summary, "no summary on the page", multiline=True))
    if cp.summary_url:
        out.append("\n")
        out.append("More: ", style=LABEL)
        out.append(safe(cp.summary_url))
    if m.warnings:
        out.append("\n\n")
        out.append("Parser notes\n", style=LABEL)
        for w in m.warnings:
            out.append(f"• {safe(w)}\n", style=DIM)
        out.rstrip()
    return out


def _contact_line(c) -> str:
    return " · ".join(safe(x) for x in (c.name, c.email) if x)


def bar(value: int | None, per: float, width: int, style: str = "bold") -> Text:
    """A bar of block characters (`per` cells per unit) then the number; unknown is a word, never a bar."""
    if value is None or number(value) is None:
        word = "unknown" if value is None else safe(value)
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
    out.append("Commitment performance", style="bold")
    out.append(" — did the commitment open government? (per action plan)\n\n", style=DIM)
    rows = sorted(m.performance, key=lambda r: order(r.action_plan))
    values = [number(v) for r in rows for v in (r.major, r.outstanding, r.starred, *r.raw)]
    values += [number(v) for b in m.benchmarks for v in b.raw]
    col = max(14, min(24, (width - 18) // 3))
    biggest = max((v for v in values if v is not None), default=0)
    per = min(3.0, (col - 5) / biggest) if biggest else 1.0
    if not rows:
        out.append("No commitment performance data on the page (unknown).\n", style=DIM)
    else:
        out.append(f"{'':<16}", style=LABEL)
        for name in ("Major", "Outstanding", "Starred"):
            out.append(f"{name:<{col}}", style=LABEL)
        out.append("\n")
        for r in rows:
            out.append(f"{'Action Plan ' + safe(r.action_plan):<16}", style=LABEL)
            if r.major is None and r.outstanding is None and r.starred is None:
                raw = ", ".join(safe(v) for v in r.raw) or "none"
                out.append("unknown", style="italic")
                out.append(f" (raw numbers: {raw}; the column cannot be told)", style=DIM)
            else:
                for v, style in zip((r.major, r.outstanding, r.starred), BAR_STYLES, strict=True):
                    out.append_text(bar(v, per, col, style))
                if r.raw and [r.major, r.outstanding, r.starred] != r.raw:
                    out.append(f" raw: {', '.join(map(safe, r.raw))}", style=DIM)
            out.append("\n")
        out.append(f"{'':<16}bar length: {per:.2g} cells per commitment\n", style=DIM)
    out.append("\n")
    out.append("Reference values", style="bold")
    out.append(" — raw numbers as the page shows them (their meaning is not given)\n", style=DIM)
    if not m.benchmarks:
        out.append("unknown\n", style=DIM)
    for b in m.benchmarks:
        out.append(f"{safe(b.scope).capitalize():<16}", style=LABEL)
        out.append(f"{safe(b.label)}: ")
        out.append(", ".join(safe(v) for v in b.raw) or "unknown")
        out.append("\n")
    detailed = [c for c in m.commitments if c.has_details()]
    out.append("\n")
    out.append("Commitment details", style="bold")
    if not detailed:
        out.append(
            " — early results and completion appear here once commitment pages are synced.\n", style=DIM
        )
    else:
        out.append(f" — {len(detailed)} of {len(m.commitments)} commitments synced\n", style=DIM)
        out.append_text(distribution(detailed, "early_results", "Early results", per))
        out.append_text(distribution(detailed, "completion", "Completion", per))
    out.rstrip()
    return out


def _plan_of(c: Commitment) -> str:
    if c.action_plan:
        return safe(c.action_plan)
    if c.action_plan_cycle:
        return f"Cycle {safe(c.action_plan_cycle)}"
    return "Unknown action plan"


def distribution(items: list[Commitment], attr: str, title: str, per: float = 2.0) -> Text:
    out = Text()
    out.append(f"\n{title}\n", style=LABEL)
    plans: dict[str, Counter[str]] = {}
    for c in items:
        value = safe(getattr(c, attr)) or "unknown"
        plans.setdefault(_plan_of(c), Counter())[value] += 1
    for plan in sorted(plans, reverse=True):
        counts = plans[plan]
        out.append("  ")
        out.append(plan)
        out.append("\n")
        for value, n in counts.most_common():
            out.append(f"    {value[:24]:<26}", style=DIM if value == "unknown" else "")
            out.append_text(bar(n, per, 0, "bold"))
            out.append("\n")
    return out


PARTICIPATION_LEVELS = ("Collaborate", "Involve", "Consult", "Inform", "No Consultation")


def participation_text(m: Member, width: int | None = None) -> Text:
    out = Text()
    out.append("Public participation", style="bold")
    out.append(" — level of public influence per action plan\n\n", style=DIM)
    plans = sorted({p.action_plan for p in m.participation}, key=order)
    if not plans:
        out.append("unknown — the page draws these levels as a chart that has no text form.\n", style=DIM)
        out.append("Levels used: " + ", ".join(PARTICIPATION_LEVELS) + "\n", style=DIM)
    else:
        out.append(f"{'':<16}", style=LABEL)
        for p in plans:
            out.append(f"{'Plan ' + safe(p):<17}", style=LABEL)
        out.append("\n")
        for phase in ("development", "implementation"):
            out.append(f"{phase.capitalize():<16}", style=LABEL)  # our own words, not the store's
            for p in plans:
                level = next(
                    (r.level for r in m.participation if r.phase == phase and r.action_plan == p), None
                )
                t = clip(level, 16, "unknown")
                t.pad_right(17 - t.cell_len)
                out.append_text(t)
            out.append("\n")
    out.append("\n")
    out.append("OGP Global Report (2019)", style="bold")
    out.append(" — action implications per policy area\n\n", style=DIM)
    if not m.global_report:
        out.append("No Global Report data on the page.\n", style=DIM)
    label_width = 24
    for area in m.global_report:
        out.append(f"{safe(area.area):<{label_width}}", style=LABEL)
        value = Text()
        if not area.implications:
            value.append("unknown", style=DIM)
        for n, imp in enumerate(area.implications):
            if n:
                value.append(" · ", style=DIM)
            if imp:
                value.append(safe(imp))
            else:
                value.append("none", style=DIM)
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
