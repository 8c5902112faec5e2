"""Members side by side: the figures of `ogptui compare` and the TUI's Compare screen. No Textual here.

A comparison is a list of rows (section, metric, one value per member). A value the cache does not have is
None and is shown "unknown" — never 0: a member whose page gives no performance row for Action Plan 3, or
whose commitment pages are not synced (no completion known), is unknown there, not zero. A real zero (a
listed commitment list with none in a policy area) stays 0.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ogptui.clean import safe_output
from ogptui.model import Member
from ogptui.regions import member_region
from ogptui.vocab import policy_area_key

COMPLETION = ("Completed", "Substantial", "Limited", "Not Started")
PHASES = ("development", "implementation")
UNKNOWN = "unknown"
BAR = "█"
HALF = "▌"

Value = int | str | None


@dataclass
class Row:
    section: str
    metric: str
    values: list[Value]
    bar: bool = False  # drawn as bars too (a number worth seeing side by side)

    def numeric(self) -> bool:
        return all(v is None or isinstance(v, int) for v in self.values)


@dataclass
class Comparison:
    members: list[Member]
    regions: list[str | None]
    rows: list[Row] = field(default_factory=list)

    @property
    def slugs(self) -> list[str]:
        return [m.slug for m in self.members]

    def sections(self) -> list[str]:
        return list(dict.fromkeys(r.section for r in self.rows))

    def to_dict(self) -> dict[str, Any]:
        """The `ogptui compare --json` shape: members, then rows with a value per member slug (null = unknown)."""
        return {
            "members": [
                {"slug": m.slug, "name": m.name, "level": m.level, "region": reg}
                for m, reg in zip(self.members, self.regions, strict=True)
            ],
            "rows": [
                {
                    "section": r.section,
                    "metric": r.metric,
                    "values": dict(zip(self.slugs, r.values, strict=True)),
                }
                for r in self.rows
            ],
        }


def _completion_of(c: Any) -> str | None:
    text = (c.completion or "").strip().lower()
    for value in COMPLETION:
        if text.startswith(value.lower().split()[0][:5]):  # "Complete"/"Completed", "Not started"
            return value
    return None


def compare(members: list[Member]) -> Comparison:
    """The rows of a comparison of `members` (in the given order)."""
    regions = [member_region(m.slug, m.name, m.level) for m in members]
    rows: list[Row] = []

    def add(section: str, metric: str, values: list[Value], bar: bool = False) -> None:
        rows.append(Row(section, metric, values, bar))

    s = "Member"
    add(s, "Region", [r or UNKNOWN for r in regions])
    add(s, "Level", [m.level or None for m in members])
    add(s, "Member since", [m.member_since for m in members])
    add(s, "Action plans", [m.action_plan for m in members])
    s = "Current action plan"
    add(s, "Years", [m.current_plan.years for m in members])
    add(s, "Plan number", [m.current_plan.number for m in members])
    add(s, "Commitments (page figure)", [m.current_plan.commitment_count for m in members], bar=True)
    add(
        s, "Commitments listed in the cache", [len(m.commitments) if m.commitments else None for m in members]
    )

    plans = sorted({p.action_plan for m in members for p in m.performance if isinstance(p.action_plan, int)})
    for plan in plans:
        s = f"Performance, Action Plan {plan}"
        per = []
        for m in members:
            row = next((p for p in m.performance if p.action_plan == plan), None)
            per.append(row)
        add(s, "Starred", [p.starred if p else None for p in per], bar=True)
        add(s, "Major results", [p.major if p else None for p in per])
        add(s, "Outstanding results", [p.outstanding if p else None for p in per])

    s = "Completion (commitments with their page synced)"
    detailed = [[c for c in m.commitments if c.has_details()] for m in members]
    known = [[c for c in d if _completion_of(c)] for d in detailed]
    counts = [Counter(_completion_of(c) for c in k) for k in known]
    add(s, "Completion known", [len(k) if d else None for k, d in zip(known, detailed, strict=True)])
    for value in COMPLETION:
        add(s, value, [cnt[value] if k else None for cnt, k in zip(counts, known, strict=True)])
    add(
        s,
        "Substantial or completed (%)",
        [
            round(100 * (cnt["Completed"] + cnt["Substantial"]) / len(k)) if k else None
            for cnt, k in zip(counts, known, strict=True)
        ],
        bar=True,
    )

    s = "Commitments per policy area (listed in the cache)"
    # An area is counted by what it means (`Anticorrupción` is `Anti-Corruption`, so members synced in
    # different languages line up) and named as the first member that has it writes it.
    areas: list[Counter[str]] = []
    shown: dict[str, str] = {}
    for m in members:
        count: Counter[str] = Counter()
        for c in m.commitments:
            word = c.policy_area or (c.policy_areas[0] if c.policy_areas else "no policy area")
            key = policy_area_key(word) or word
            shown.setdefault(key, word)
            count[key] += 1
        areas.append(count)
    names = sorted({a for cnt in areas for a in cnt}, key=lambda a: (-sum(cnt[a] for cnt in areas), a))
    for area in names:
        add(
            s,
            shown[area],
            [cnt[area] if m.commitments else None for cnt, m in zip(areas, members, strict=True)],
        )

    s = "Public participation"
    add(
        s,
        "Levels known",
        [sum(1 for p in m.participation if p.level) if m.participation else None for m in members],
    )
    # only the plans for which some member's level is known (the site draws most of them as a chart)
    part_plans = sorted(
        {
            p.action_plan
            for m in members
            for p in m.participation
            if isinstance(p.action_plan, int) and p.level
        }
    )
    for plan in part_plans:
        s = f"Public participation, Action Plan {plan}"
        for phase in PHASES:
            add(
                s,
                phase.capitalize(),
                [
                    next(
                        (p.level for p in m.participation if p.action_plan == plan and p.phase == phase), None
                    )
                    for m in members
                ],
            )
    return Comparison(members, regions, rows)


def shown(value: Value) -> str:
    return UNKNOWN if value is None or value == "" else str(value)


def to_csv(cmp: Comparison) -> str:
    """section, metric, then one column per member slug; unknown is the word "unknown" (never 0 or empty)."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["section", "metric", *cmp.slugs])
    for r in cmp.rows:
        w.writerow([r.section, r.metric, *(_cell(shown(v)) for v in r.values)])
    return safe_output(buf.getvalue())


def _cell(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


def to_text(cmp: Comparison, width: int = 100) -> str:
    """The table (metrics down, members across), then bars of the numbers worth seeing side by side."""
    label_w = 34
    col = max(9, min(18, (width - label_w) // max(1, len(cmp.members)) - 1))
    lines = [" " * label_w + " ".join(f"{_clip(m.name, col):>{col}}" for m in cmp.members)]
    for section in cmp.sections():
        lines += ["", section]
        for r in (r for r in cmp.rows if r.section == section):
            cells = " ".join(f"{_clip(shown(v), col):>{col}}" for v in r.values)
            lines.append(f"  {_clip(r.metric, label_w - 2):<{label_w - 2}}{cells}")
    bars = bar_charts(cmp)
    if bars:
        lines += ["", "Bars (unknown is a word, never a bar)"]
        name_w = min(24, max(len(m.name) for m in cmp.members))
        for title, items, biggest in bars:
            lines += ["", title]
            room = max(10, min(40, width - name_w - 12))
            for name, v in items:
                lines.append(f"  {_clip(name, name_w):<{name_w}} {bar_text(v, biggest, room)}")
    return safe_output("\n".join(lines))


def bar_charts(cmp: Comparison) -> list[tuple[str, list[tuple[str, Value]], int]]:
    """(title, [(member name, value)], scale) for every row drawn as bars that has a known number; `scale`
    is the largest number of its kind (the starred counts of every plan share one scale)."""
    out = []
    for r in cmp.rows:
        if not (r.bar and r.numeric() and any(isinstance(v, int) for v in r.values)):
            continue
        title = (
            "Commitments in the current action plan"
            if r.section == "Current action plan"
            else f"{r.section}: {r.metric}"
        )
        out.append((title, [(m.name, v) for m, v in zip(cmp.members, r.values, strict=True)], r.metric))
    scales: dict[str, int] = {}
    for _, items, metric in out:
        scales[metric] = max([scales.get(metric, 0), *(v for _, v in items if isinstance(v, int))])
    return [(title, items, scales[metric]) for title, items, metric in out]


def bar_text(value: Value, biggest: int, room: int) -> str:
    """A bar of block characters scaled to `biggest` over `room` cells, then the number; unknown is a word."""
    if not isinstance(value, int):
        return UNKNOWN
    if biggest <= 0:
        return f"· {value}"
    cells = value * room / biggest
    full = int(cells)
    body = BAR * full + (HALF if cells - full >= 0.5 else "")
    return f"{body or '·'} {value}"
