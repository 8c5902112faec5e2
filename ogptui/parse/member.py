"""Member page: blocks → Member, sections found by their visible headings (EN/ES/FR).

(Over 400 lines: one page's sections, each a small reader — name, current plan, contacts, the two lists,
the charts, posts — over the same line index and section ranges; what other pages share lives in common.py,
entries.py, items.py and contacts.py.)"""

from __future__ import annotations

import re
from collections.abc import Callable

from ogptui.clean import clean_text
from ogptui.model import (
    Benchmark,
    Commitment,
    Contact,
    CurrentPlan,
    GlobalReportArea,
    Member,
    PageRejected,
    ParticipationRow,
    PerformanceRow,
    Post,
    Resource,
)
from ogptui.parse.blocks import Block
from ogptui.parse.common import (
    Line,
    document_slug_from_url,
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
from ogptui.parse.entries import Entry, cut_at_page_end, find_entries, shape_of
from ogptui.parse.items import UNTITLED, commitment_from_parts, resource_from_parts
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
    norm_set,
    table_index,
)
from ogptui.vocab import flat_index, fold, norm

SECTION_INDEX = table_index(MEMBER_SECTIONS)
_SHOW_MORE = norm_set(x for v in SHOW_MORE.values() for x in v)
_SCOPES = flat_index(BENCHMARK_SCOPES)
_PHASES = flat_index(PHASES)
_LEVELS = flat_index(PARTICIPATION_LEVELS)
_AREAS = flat_index(GLOBAL_REPORT_AREAS)
_IMPLICATIONS = norm_set(ACTION_IMPLICATIONS)
_IMPLICATION_VALUES = flat_index(IMPLICATION_VALUES)
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


_DATA_SECTIONS = ("current_data", "performance", "starred_help", "participation", "global_report", "posts")
_SECTION_KEYS = frozenset(SECTION_INDEX)
Explain = Callable[[tuple[str, str]], object]  # (part of the page, the rule that found it)
_WORDS = {"current_plan": "Current Action Plan", "contact": "Contact", "resources": "Resources"}


def parse_member(
    blocks: list[Block],
    *,
    url: str | None,
    fetched_at: str | None,
    lang: str | None = None,
    title: str = "",
    trace: list[tuple[str, str]] | None = None,
    lines: list[Line] | None = None,
) -> Member:
    """Blocks of a member page → Member. `title` is the HTML <title>; `trace` collects (part, rule) pairs."""
    lines = flatten(blocks) if lines is None else lines
    sections, langs = find_sections(lines, SECTION_INDEX)
    warnings: list[str] = []
    explain = trace.append if trace is not None else (lambda _: None)
    label = {key: repr(lines[s - 1].text) for key, (s, _) in sections.items()}
    first_section = min((s - 1 for s, _ in sections.values()), default=len(lines))

    name_at, name, rule = _find_name(lines, first_section, title, url)
    if name is None:
        raise PageRejected("no member name found")
    name = clean_text(name, cap=200)
    if name_at is None:
        warnings.append(f"no name heading on the page; the name was taken from {rule}")
    explain(("name", rule))
    head_from = name_at + 1 if name_at is not None else 0
    head = lines[head_from:first_section]

    member_since = action_plan = None
    for line in head:
        f = fold(line.text)
        if member_since is None and (m := MEMBER_SINCE_RE.match(f)):
            member_since = int(m.group(1))
            if not langs:
                langs = {_SINCE_LANG[f.split()[0]]}
        elif action_plan is None and line.is_item and (m := ACTION_PLAN_RE.match(f)):
            action_plan = int(m.group(1))

    # Which section each line sits under, and where the lists can be (before the data charts).
    owner: list[str | None] = [None] * len(lines)
    for key, (s, e) in sections.items():
        owner[s:e] = [key] * (e - s)
    data_at = min((sections[k][0] - 1 for k in _DATA_SECTIONS if k in sections), default=len(lines))
    entries = find_entries(lines, owner, data_at, _SECTION_KEYS)
    cut = cut_at_page_end(entries, lines)

    plan_range = _plan_range(lines, sections, head_from, entries, data_at)
    has_member_data = (
        member_since is not None
        or action_plan is not None
        or plan_range is not None
        or bool(entries)
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

    plan, after_summary = CurrentPlan(), len(lines)
    if plan_range is not None:
        s, e = plan_range
        plan, used = _current_plan(lines[s:e], url)
        after_summary = s + used
        explain(
            (
                "current plan",
                f"heading {label['current_plan']}"
                if "current_plan" in sections
                else "years line + Action Plan line",
            )
        )
    else:
        warnings.append("no Current Action Plan section")

    if "contact" in sections:
        contacts = _contacts(part("contact"))
        explain(("contacts", f"heading {label['contact']}: {len(contacts)}"))
    else:
        first_list = min((e.at for e in entries), default=data_at)
        stop = min([first_list, *(s - 1 for s, _ in sections.values() if s - 1 >= after_summary)])
        contacts = _loose_contacts(lines[min(after_summary, stop) : stop])
        if contacts:
            explain(("contacts", f"contact lines after the plan summary: {len(contacts)}"))
        else:
            warnings.append("no Contact section")

    member = Member(
        slug=slug,
        name=name,
        level="local" if is_local_name(name) else "national",
        member_since=member_since,
        action_plan=action_plan,
        current_plan=plan,
        contacts=contacts,
        commitments=[],
        resources=[],
        language=lang or lang_from_url(url) or _lang(langs),
        fetched_at=fetched_at,
        source_url=url,
        warnings=warnings,
    )
    member.commitments, member.resources = _lists(entries, cut, url, slug, warnings, explain, label)
    if not member.resources and "resources" not in sections:
        warnings.append("no Resources section")
    perf_lines = part("performance") or part("current_data")
    member.performance, member.benchmarks = _performance(perf_lines)
    member.participation = _participation(part("participation"))
    member.global_report = _global_report(part("global_report"))
    member.posts = _posts(part("posts"), url)
    for key, part_name in (
        ("performance", "commitment performance"),
        ("participation", "public participation"),
        ("global_report", "Global Report data"),
        ("posts", "recent posts"),
    ):
        if key in sections:
            explain((part_name, f"heading {label[key]}"))
    return member


def _find_name(
    lines: list[Line], limit: int, title: str, url: str | None
) -> tuple[int | None, str | None, str]:
    """(line index or None, name, how it was found). The page's own name is the line just above its
    `Member Since` / `Action Plan N` bullets (a featured story may come first), else its h1, else the
    <title>, else the URL slug, else (text renderings without any of these) the first standalone line."""
    limit = min(limit, len(lines))
    for i in range(limit):
        line = lines[i]
        f = fold(line.text)
        if line.is_item and (MEMBER_SINCE_RE.match(f) or ACTION_PLAN_RE.match(f)):
            for j in range(i - 1, -1, -1):
                prev = lines[j]
                if prev.is_item:
                    break
                if _name_like(prev):
                    return j, prev.text, "the line above the Member Since / Action Plan bullets"
                break
            break
    for i in range(limit):
        b = lines[i].block
        if b.kind == "heading" and b.level == 1 and not is_chrome(lines[i].text):
            return i, lines[i].text, "the page's h1 heading"
    page_title = _title_name(title)
    if page_title:
        return None, page_title, "the page title"
    slug = member_slug_from_url(url)
    if slug:
        return None, name_from_slug(slug), "the address (URL slug)"
    for i in range(limit):
        line = lines[i]
        if line.is_item or not line.standalone or is_chrome(line.text):
            continue
        if len(line.text) > 200 or key_of(line.text) in SECTION_INDEX:
            return None, None, ""
        f = fold(line.text)
        if MEMBER_SINCE_RE.match(f) or ACTION_PLAN_RE.match(f):
            return None, None, ""
        return i, line.text, "the first line of the page"
    return None, None, ""


def _name_like(line: Line) -> bool:
    text = line.text
    return (
        line.standalone
        and 0 < len(text) <= 200
        and not is_chrome(text)
        and key_of(text) not in SECTION_INDEX
        and not YEARS_RE.match(text)
        and not text.endswith((".", "…", "...", "!", "?"))
    )


_TITLE_SPLIT = re.compile(r"\s+[|–—-]\s+")


def _title_name(title: str) -> str | None:
    """`Riverton, Zembla | Open Government Partnership` → `Riverton, Zembla`."""
    if not title:
        return None
    first = clean_text(_TITLE_SPLIT.split(title, 1)[0])
    if not first or is_chrome(first) or fold(first) == "open government partnership" or len(first) > 200:
        return None
    return first


# Country names of more than one word, for telling `south-africa` (a country) from `riverton-zembla`
# (a place, then its country).
_MULTI_WORD_COUNTRIES = (
    "bosnia and herzegovina",
    "burkina faso",
    "cabo verde",
    "cape verde",
    "costa rica",
    "cote d ivoire",
    "czech republic",
    "dominican republic",
    "el salvador",
    "north macedonia",
    "new zealand",
    "papua new guinea",
    "sierra leone",
    "slovak republic",
    "south africa",
    "south korea",
    "sri lanka",
    "trinidad and tobago",
    "united kingdom",
    "united states",
    "kyrgyz republic",
    "republic of korea",
    "sao tome and principe",
    "cote divoire",
    "the gambia",
)


def name_from_slug(slug: str) -> str:
    """`riverton-zembla` → `Riverton, Zembla`; `peru` → `Peru`; `south-africa` → `South Africa`."""
    words = [w for w in slug.split("-") if w]
    text = " ".join(words)
    if len(words) <= 1 or text in _MULTI_WORD_COUNTRIES:
        return text.title()
    for country in _MULTI_WORD_COUNTRIES:
        if text.endswith(" " + country):
            return f"{text[: -len(country) - 1].title()}, {country.title()}"
    return f"{' '.join(words[:-1]).title()}, {words[-1].title()}"


def _plan_range(
    lines: list[Line],
    sections: dict[str, tuple[int, int]],
    head_from: int,
    entries: list[Entry],
    data_at: int,
) -> tuple[int, int] | None:
    """Lines of the current plan: its section, or a bare `2018-2020` line followed by `Action Plan N`."""
    if "current_plan" in sections:
        return sections["current_plan"]
    end = min(
        [data_at, *(e.at for e in entries), *(s - 1 for s, _ in sections.values() if s - 1 > head_from)]
    )
    for i in range(head_from, min(end, len(lines)) - 1):
        if YEARS_RE.match(lines[i].text) and ACTION_PLAN_RE.match(fold(lines[i + 1].text)):
            return i, end
    return None


def _lang(langs: set[str]) -> str | None:
    for lang in ("es", "fr", "en"):
        if lang in langs:
            return lang
    return None


def _is_prose(text: str) -> bool:
    return (text.endswith((".", "…", "!", "?", ")")) and len(text.split()) >= 6) or len(text.split()) >= 20


def _current_plan(lines: list[Line], url: str | None) -> tuple[CurrentPlan, int]:
    """The plan, and how many of `lines` it used (what follows the summary may be contact lines).

    Facts come from their lines (years, `Action Plan N`, `Number of Commitments: N`, `Policy Area Focus:`).
    The summary is the first paragraph of prose, and the prose paragraphs right after it up to one that
    ends with `(More)`. A narrative paragraph ("… is currently implementing 5 commitments from their
    2018-2020 action plan") gives the count and years; the paragraphs after it are the summary.
    """
    plan = CurrentPlan()
    narrative: list[Line] = []
    paragraphs: list[list[Line]] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        j = i + 1
        while j < len(lines) and lines[j].block is line.block and not line.is_item:
            j += 1
        para = lines[i:j] if not line.is_item else [line]
        text = " ".join(x.text for x in para)
        if narrative or paragraphs:  # after the first paragraph: more prose, or the end of the plan
            if line.is_item or not _is_prose(text) or "@" in text:
                return _finish(plan, narrative, paragraphs, url), i
            if paragraphs and _MORE_SUFFIX.search(" ".join(x.text for x in paragraphs[-1])):
                return _finish(plan, narrative, paragraphs, url), i
            paragraphs.append(para)
            i = j
            continue
        f = fold(line.text)
        if plan.years is None and (m := YEARS_RE.match(line.text)):
            plan.years = f"{m.group(1)}-{m.group(2)}"
        elif plan.number is None and (m := ACTION_PLAN_RE.match(f)):
            plan.number = int(m.group(1))
        elif plan.commitment_count is None and (m := COUNT_RE.match(f)):
            plan.commitment_count = int(m.group(1))
        elif plan.policy_area_focus is None and FOCUS_RE.match(f):
            plan.policy_area_focus = clean_text(line.text.split(":", 1)[1]) or None
        elif len(line.text) > 40 and not line.is_item:
            if m := NARRATIVE_RE.search(fold(text)):
                narrative = para
                if plan.commitment_count is None:
                    plan.commitment_count = int(next(g for g in m.groups() if g))
                if plan.years is None and (y := _YEARS_IN.search(text)):
                    plan.years = f"{y.group(1)}-{y.group(2)}"
            else:
                paragraphs.append(para)
            i = j
            continue
        i += 1
    return _finish(plan, narrative, paragraphs, url), len(lines)


def _finish(
    plan: CurrentPlan, narrative: list[Line], paragraphs: list[list[Line]], url: str | None
) -> CurrentPlan:
    parts = paragraphs or ([narrative] if narrative else [])
    texts = [_MORE_SUFFIX.sub("", " ".join(x.text for x in p)).strip() for p in parts]
    plan.summary = clean_text("\n\n".join(t for t in texts if t), cap=5000) if any(texts) else None
    if plan.summary and len(texts) > 1:
        plan.summary = "\n\n".join(clean_text(t, cap=5000) for t in texts if t)
    for para in [*parts, narrative]:
        for line in para:
            for link_text, href in line.block.links:
                if plan.summary_url is None and fold(link_text) in _MORE:
                    plan.summary_url = resolve(href, url)
    return plan


_YEARS_IN = re.compile(r"\b(\d{4})\s*[-–—]\s*(\d{2,4})\b")


def _contacts(lines: list[Line]) -> list[Contact]:
    contacts: list[Contact] = []
    for line in lines:
        if fold(line.text) in _SITE_FOOTER:
            continue
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


def _loose_contacts(lines: list[Line]) -> list[Contact]:
    """Contact lines with no Contact heading: short `Name Role, Organisation [email]` lines, not prose."""
    picked = []
    for line in lines:
        text = line.text
        if line.is_item or not line.standalone or is_chrome(text) or key_of(text) in SECTION_INDEX:
            continue
        if "@" not in text and (_is_prose(text) or len(text.split()) > 16 or not text[:1].isupper()):
            continue
        if shape_of(text) or YEARS_RE.match(text) or ACTION_PLAN_RE.match(fold(text)):
            continue
        picked.append(line)
    return _contacts(picked)


def _lists(
    entries: list[Entry],
    cut: Entry | None,
    url: str | None,
    slug: str,
    warnings: list[str],
    explain: Explain,
    label: dict[str, str],
) -> tuple[list[Commitment], list[Resource]]:
    commitments: list[Commitment] = []
    resources: list[Resource] = []
    base = origin(url)
    lang = lang_from_url(url)
    prefix = "/" + lang if lang else ""
    counts = {"commitment": 0, "resource": 0}
    rules: dict[str, set[str]] = {"commitment": set(), "resource": set()}
    for e in entries:
        counts[e.kind] += 1
        n = counts[e.kind]
        if e is cut:
            warnings.append(f"{e.kind} {n} is cut off at the end of the page; it was left out")
            continue
        rules[e.kind].add("heading" if e.by_heading else "item shape")
        href = resolve(e.href, url)
        if e.kind == "commitment":
            c = commitment_from_parts(e.title, e.meta, href)
            if c is None:
                warnings.append(f"commitment {n} has no ID")
                continue
            if c.url is None and base:
                c.url = f"{base}{prefix}/members/{slug}/commitments/{c.id}/"
            commitments.append(c)
        else:
            r = resource_from_parts(e.title, e.meta, href)
            r.document = document_slug_from_url(r.url, url)
            if e.title is None:
                warnings.append(f"resource {n} has no title on the page; listed as {UNTITLED}")
            elif r.year is None:
                warnings.append(f"resource {n} has no year line (the page may be cut short)")
            resources.append(r)
    for kind, found, label_key in (
        ("commitment", commitments, "commitments"),
        ("resource", resources, "resources"),
    ):
        if rules[kind]:
            how = " and ".join(
                f"heading {label.get(label_key, '')}".rstrip()
                if r == "heading"
                else f"item shape ({_SHAPES[kind]})"
                for r in sorted(rules[kind])
            )
            explain((label_key, f"{how}: {len(found)}"))
    return commitments, resources


_SINCE_LANG = {"member": "en", "miembro": "es", "membre": "fr"}
_SITE_FOOTER = frozenset({"open government partnership"})
_SHAPES = {"commitment": "ID, YEAR, POLICY AREA", "resource": "YEAR, TYPE, FORMAT"}


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
            area.implications.append(_IMPLICATION_VALUES.get(norm(value)))
            pending = False
            continue
        if k in _IMPLICATIONS:
            if pending:
                area.implications.append(None)
            pending = True
            continue
        if pending:
            area.implications.append(_IMPLICATION_VALUES.get(k))
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
