"""Member page: blocks → Member, sections found by their visible headings (EN/ES/FR)."""

from __future__ import annotations

import re

from ogptui.clean import clean_text
from ogptui.model import (
    Benchmark,
    CurrentPlan,
    GlobalReportArea,
    Member,
    PageRejected,
    ParticipationRow,
    PerformanceRow,
    Post,
)
from ogptui.parse.blocks import Block
from ogptui.parse.common import (
    Line,
    find_sections,
    flatten,
    is_chrome,
    is_local_name,
    key_of,
    lang_from_url,
    member_slug_from_url,
    origin,
    resolve,
    slugify,
)
from ogptui.parse.contacts import side_marker, split_contact
from ogptui.parse.items import commitment_from_item, resource_from_item
from ogptui.parse.labels import (
    ACTION_IMPLICATIONS,
    BENCHMARK_SCOPES,
    GLOBAL_REPORT_AREAS,
    IMPLICATION_VALUES,
    MEMBER_SECTIONS,
    MORE_LINK,
    NARRATIVE_COUNT,
    PARTICIPATION_LEVELS,
    PHASES,
    SHOW_MORE,
    flat_index,
    fold,
    norm,
    norm_set,
    table_index,
)

SECTION_INDEX = table_index(MEMBER_SECTIONS)
_SHOW_MORE = norm_set(x for v in SHOW_MORE.values() for x in v)
_SCOPES = flat_index(BENCHMARK_SCOPES)
_PHASES = flat_index(PHASES)
_LEVELS = flat_index(PARTICIPATION_LEVELS)
_AREAS = flat_index(GLOBAL_REPORT_AREAS)
_IMPLICATIONS = norm_set(ACTION_IMPLICATIONS)
_IMPLICATION_VALUES = norm_set(IMPLICATION_VALUES)
_MORE = frozenset(fold(x) for x in MORE_LINK)

_AP = r"(?:action plan|plan de accion|plan d'action)"
MEMBER_SINCE_RE = re.compile(r"^(?:member since|miembro desde|membre depuis)\s*:?\s*(\d{4})$")
ACTION_PLAN_RE = re.compile(rf"^{_AP}\s*:?\s*(\d{{1,3}})$")
YEARS_RE = re.compile(r"^(\d{4})\s*[-–—]\s*(\d{2,4})$")
COUNT_RE = re.compile(
    r"^(?:number of commitments|numero de compromisos|nombre d'engagements)\s*:?\s*(\d{1,5})$"
)
FOCUS_RE = re.compile(
    r"^(?:policy area focus|enfoque de area de politica|area de politica prioritaria|domaines? politiques? "
    r"prioritaires?)\s*:"
)
NARRATIVE_RE = re.compile("|".join(NARRATIVE_COUNT))
_MORE_SUFFIX = re.compile(r"\s*\((?:More|Más|Mas|Plus|En savoir plus|Leer más)\)\s*$", re.I)
_NUMBER = re.compile(r"^\d{1,6}$")
_LEGEND_KEYS = frozenset(
    {"major", "outstanding", "starred commitments", "key", "no irm data", "pending irm review"}
)


def parse_member(
    blocks: list[Block], *, url: str | None, fetched_at: str | None, lang: str | None = None
) -> Member:
    lines = flatten(blocks)
    sections, langs = find_sections(lines, SECTION_INDEX)
    warnings: list[str] = []
    first_section = min((s - 1 for s, _ in sections.values()), default=len(lines))

    name_at = _find_name(lines, first_section)
    if name_at is None:
        raise PageRejected("no member name found")
    name = clean_text(lines[name_at].text, cap=200)
    head = lines[name_at + 1 : first_section]

    member_since = action_plan = None
    for line in head:
        f = fold(line.text)
        if member_since is None and (m := MEMBER_SINCE_RE.match(f)):
            member_since = int(m.group(1))
        elif action_plan is None and (m := ACTION_PLAN_RE.match(f)):
            action_plan = int(m.group(1))

    has_member_data = (
        member_since is not None
        or action_plan is not None
        or bool({"current_plan", "contact", "commitments", "resources", "performance"} & sections.keys())
    )
    if not has_member_data:
        raise PageRejected(
            "the page shows no member data (no Member Since, action plan, contacts or resources)"
        )

    slug = member_slug_from_url(url) or slugify(name)
    if not slug:
        raise PageRejected("no member name found")

    def part(key: str) -> list[Line]:
        if key not in sections:
            return []
        s, e = sections[key]
        return lines[s:e]

    for key, label in (
        ("current_plan", "Current Action Plan"),
        ("contact", "Contact"),
        ("resources", "Resources"),
    ):
        if key not in sections:
            warnings.append(f"no {label} section")

    member = Member(
        slug=slug,
        name=name,
        level="local" if is_local_name(name) else "national",
        member_since=member_since,
        action_plan=action_plan,
        current_plan=_current_plan(part("current_plan"), url),
        contacts=_contacts(part("contact")),
        commitments=[],
        resources=[],
        language=lang or lang_from_url(url) or _lang(langs),
        fetched_at=fetched_at,
        source_url=url,
        warnings=warnings,
    )
    member.commitments = _commitments(part("commitments"), url, slug, warnings)
    member.resources = _resources(part("resources"), url, warnings)
    perf_lines = part("performance") or part("current_data")
    member.performance, member.benchmarks = _performance(perf_lines)
    member.participation = _participation(part("participation"))
    member.global_report = _global_report(part("global_report"))
    member.posts = _posts(part("posts"), url)
    return member


def _find_name(lines: list[Line], limit: int) -> int | None:
    """The member name: an h1 before the first section, else the first non-chrome standalone line."""
    for i in range(min(limit, len(lines))):
        b = lines[i].block
        if b.kind == "heading" and b.level == 1 and not is_chrome(lines[i].text):
            return i
    for i in range(min(limit, len(lines))):
        line = lines[i]
        if line.is_item or not line.standalone or is_chrome(line.text):
            continue
        if len(line.text) > 200 or key_of(line.text) in SECTION_INDEX:
            return None
        f = fold(line.text)
        if MEMBER_SINCE_RE.match(f) or ACTION_PLAN_RE.match(f):
            return None
        return i
    return None


def _lang(langs: set[str]) -> str | None:
    for lang in ("es", "fr", "en"):
        if lang in langs:
            return lang
    return None


def _current_plan(lines: list[Line], url: str | None) -> CurrentPlan:
    plan = CurrentPlan()
    for line in lines:
        text = line.text
        f = fold(text)
        if plan.years is None and (m := YEARS_RE.match(text)):
            plan.years = f"{m.group(1)}-{m.group(2)}"
        elif plan.number is None and (m := ACTION_PLAN_RE.match(f)):
            plan.number = int(m.group(1))
        elif plan.commitment_count is None and (m := COUNT_RE.match(f)):
            plan.commitment_count = int(m.group(1))
        elif plan.policy_area_focus is None and FOCUS_RE.match(f):
            plan.policy_area_focus = clean_text(text.split(":", 1)[1]) or None
        elif plan.summary is None and len(text) > 40 and not line.is_item:
            plan.summary = _MORE_SUFFIX.sub("", text).strip() or None
            for link_text, href in line.block.links:
                if fold(link_text) in _MORE:
                    plan.summary_url = resolve(href, url)
            if plan.commitment_count is None and (m := NARRATIVE_RE.search(fold(text))):
                plan.commitment_count = int(next(g for g in m.groups() if g))
    return plan


def _contacts(lines: list[Line]):
    contacts = []
    for line in lines:
        side = side_marker(line.text)
        if side:
            if contacts and contacts[-1].side is None:
                contacts[-1].side = side
            continue
        if len(line.text.split()) > 25 and "@" not in line.text:
            continue
        c = split_contact(line.text)
        if c is not None:
            contacts.append(c)
    return contacts


def _items(lines: list[Line]) -> list[Block]:
    blocks: list[Block] = []
    for line in lines:
        if line.is_item and line.index == 0:
            blocks.append(line.block)
    return blocks


def _commitments(lines: list[Line], url: str | None, slug: str, warnings: list[str]):
    out = []
    base = origin(url)
    prefix = "/" + lang_from_url(url) if lang_from_url(url) else ""
    for n, block in enumerate(_items(lines), 1):
        c = commitment_from_item(block, resolve(block.href, url))
        if c is None:
            warnings.append(f"commitment {n} has no ID")
            continue
        if c.url is None and base:
            c.url = f"{base}{prefix}/members/{slug}/commitments/{c.id}/"
        out.append(c)
    return out


def _resources(lines: list[Line], url: str | None, warnings: list[str]):
    out = []
    for n, block in enumerate(_items(lines), 1):
        r = resource_from_item(block, resolve(block.href, url))
        if r is None:
            warnings.append(f"resource {n} has no title")
            continue
        if r.year is None:
            warnings.append(f"resource {n} has no year line (the page may be cut short)")
        out.append(r)
    return out


def _performance(lines: list[Line]) -> tuple[list[PerformanceRow], list[Benchmark]]:
    rows: list[PerformanceRow] = []
    benchmarks: list[Benchmark] = []
    current: list[int] | None = None
    bench: Benchmark | None = None
    for line in lines:
        text = line.text
        f = fold(text)
        if _NUMBER.match(text):
            if bench is not None:
                bench.raw.append(int(text))
            elif current is not None:
                current.append(int(text))
            continue
        if m := ACTION_PLAN_RE.match(f):
            bench = None
            current = []
            rows.append(PerformanceRow(action_plan=int(m.group(1)), raw=current))
            continue
        scope = _SCOPES.get(norm(text)) if len(text) < 30 else None
        if scope:
            current = None
            bench = Benchmark(scope=scope, label="", raw=[])
            benchmarks.append(bench)
            continue
        if bench is not None and not bench.label and not bench.raw:
            bench.label = clean_text(text, cap=200)
            continue
        if f not in _LEGEND_KEYS:
            current = None
            bench = None
    out_rows = []
    for row in rows:
        if not row.raw:
            continue
        if len(row.raw) == 3:
            row.major, row.outstanding, row.starred = row.raw
        out_rows.append(row)
    return out_rows, [b for b in benchmarks if b.raw]


def _participation(lines: list[Line]) -> list[ParticipationRow]:
    rows: list[ParticipationRow] = []
    levels_after: list[list[str]] = []
    phase: str | None = None
    for line in lines:
        text = line.text
        k = norm(text) if len(text) < 40 else None
        if k and k in _PHASES:
            phase = _PHASES[k]
            continue
        if phase is None:
            continue
        if m := ACTION_PLAN_RE.match(fold(text)):
            rows.append(ParticipationRow(phase=phase, action_plan=int(m.group(1))))
            levels_after.append([])
            continue
        if k and k in _LEVELS and levels_after:
            levels_after[-1].append(_LEVELS[k])
    for row, seen in zip(rows, levels_after, strict=True):
        # A single level word right after the row is its level; the 5-word legend is not.
        row.level = seen[0] if len(seen) == 1 else None
    return rows


def _global_report(lines: list[Line]) -> list[GlobalReportArea]:
    areas: list[GlobalReportArea] = []
    area: GlobalReportArea | None = None
    pending = False
    for line in lines:
        k = norm(line.text) if len(line.text) < 60 else None
        if k is None:
            continue
        if k in _AREAS:
            area = GlobalReportArea(area=_AREAS[k])
            areas.append(area)
            pending = False
            continue
        if area is None:
            continue
        label, sep, value = line.text.partition(":")
        if sep and norm(label) in _IMPLICATIONS:  # `Action Implications: Consider Action` on one line
            if pending:
                area.implications.append(None)
            value = clean_text(value)
            area.implications.append(value if norm(value) in _IMPLICATION_VALUES else None)
            pending = False
            continue
        if k in _IMPLICATIONS:
            if pending:
                area.implications.append(None)
            pending = True
            continue
        if pending:
            area.implications.append(clean_text(line.text) if k in _IMPLICATION_VALUES else None)
            pending = False
    if pending and area is not None:
        area.implications.append(None)
    return areas


def _posts(lines: list[Line], url: str | None) -> list[Post]:
    body: list[Line] = []
    for line in lines:
        if len(line.text) < 30 and norm(line.text) in _SHOW_MORE:
            break
        body.append(line)
    if any(line.block.href or line.block.kind == "heading" for line in body):
        return _linked_posts(body, url)
    posts: list[Post] = []
    for i, line in enumerate(body):
        if i >= 1 and _is_teaser(line.text) and not _is_teaser(body[i - 1].text):
            posts.append(Post(title=body[i - 1].text, teaser=line.text))
    return posts


def _linked_posts(body: list[Line], url: str | None) -> list[Post]:
    posts: list[Post] = []
    for line in body:
        b = line.block
        if line.index == 0 and (b.kind == "heading" or (b.href and b.links and b.links[0][0] == line.text)):
            posts.append(Post(title=line.text, url=resolve(b.href, url)))
        elif posts and posts[-1].teaser is None and _is_teaser(line.text):
            posts[-1].teaser = line.text
    return posts


def _is_teaser(text: str) -> bool:
    return text.endswith(("...", "…")) or len(text) > 120
