"""Exports for people: a Markdown brief of a member, and CSV of its commitments or resources.

Used by `ogptui show SLUG --format md|csv` and by the TUI's `e` key (`write_brief`). Scraped text is
always *escaped*, never interpreted: Markdown punctuation is backslash-escaped (so a `|` stays inside its
table cell, a leading `#` does not make a heading, `[x](y)` is not a link, `&copy;` is not an entity),
line breaks are folded to spaces, and links are emitted only when `ogptui.links.safe_link` allows them.
CSV cells that a spreadsheet would run as a formula (leading `=`, `+`, `-`, `@`, tab, CR) get a leading
`'`. No Textual here.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ogptui import __version__, regions
from ogptui.clean import MULTILINE_CAP, clean_text, safe_output
from ogptui.i18n import _, language
from ogptui.links import safe_link
from ogptui.model import Document, Member, Resource, commitment_count
from ogptui.vocab import value_in

if TYPE_CHECKING:
    from ogptui.notes import Entry

TABLES = ("commitments", "resources")
_INLINE = re.compile(r"([\\`*_\[\]<>|~&!#])")
_ORDERED = re.compile(r"^(\d{1,9})([.)])")


def md_text(value: object) -> str:
    """Scraped text as inert inline Markdown (one line, punctuation escaped, no leading block marker)."""
    if value is None:
        return ""
    s = clean_text(str(value), cap=MULTILINE_CAP)
    s = _INLINE.sub(r"\\\1", s)
    if s[:1] in ("-", "+", "=", ">"):
        s = "\\" + s
    return _ORDERED.sub(r"\1\\\2", s)


def _v(value: object) -> str:
    return "—" if value in (None, "", []) else md_text(value)


def md_link(text: object, url: str | None) -> str:
    """`[text](<url>)` when the link is safe to open, else just the escaped text."""
    label = md_text(text) or "link"
    safe = safe_link(url)
    if safe is None:
        return label
    quoted = safe.replace("<", "%3C").replace(">", "%3E").replace("(", "%28").replace(")", "%29")
    return f"[{label}](<{quoted}>)"


def _table(header: list[str], rows: Iterable[list[str]], align: list[str] | None = None) -> list[str]:
    align = align or ["---"] * len(header)
    out = ["| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out


def user_sections(notes: Sequence[Entry], bookmarks: Sequence[Entry]) -> list[str]:
    """The user's own notes and bookmarks, marked as theirs (escaped like scraped text: literal)."""
    out: list[str] = []
    if notes:
        out += ["", "## " + _("Your notes"), "", "_" + _("Written by you in ogptui; not from the OGP site.") + "_"]
        for e in notes:
            assert e.note is not None
            state = f" ({md_text(e.state_text())})" if e.state_text() else ""
            copy = ", " + _("conflict copy {n}").format(n=e.note.copy) if e.note.copy else ""
            updated = _("updated {when}").format(when=md_text(e.note.updated_at))
            out += ["", f"**{md_text(e.target.label())}**{state} · {updated}{copy}", ""]
            out += [f"> {md_text(line)}" if line else ">" for line in e.note.text.split("\n")]
    if bookmarks:
        out += ["", "## " + _("Your bookmarks"), "", "_" + _("Bookmarked by you in ogptui.") + "_", ""]
        for e in sorted(bookmarks, key=lambda e: e.target.kind != "document"):
            state = f" ({md_text(e.state_text())})" if e.state_text() else ""
            out.append(f"- {md_link(e.target.label(), e.target.url)} ({md_text(e.target.kind)}){state}")
    return out


_DASHES = re.compile(r"\s*[-–—]\s*")


def current_plan_resources(m: Member) -> list[Resource]:
    """The resources of the member's current action plan: those whose title names the plan's years
    ("2023-2025", any dash), and the document its summary links to (the latest IRM report)."""
    from ogptui.urls import document_slug

    years = _DASHES.sub("-", m.current_plan.years or "").strip()
    linked = document_slug(m.current_plan.summary_url)
    out = []
    for r in m.resources:
        named = bool(years) and years in _DASHES.sub("-", r.title or "")
        if named or (linked is not None and r.document == linked):
            out.append(r)
    return out


def member_markdown(
    member: Member,
    freshness_text: str | None = None,
    *,
    notes: Sequence[Entry] = (),
    bookmarks: Sequence[Entry] = (),
    documents: dict[str, tuple[str | None, str | None]] | None = None,
) -> str:
    """A one-file brief to read before a meeting or paste into a report: with the user's own notes and
    bookmarks on the member (`ogptui.notes.member_notes`), marked as theirs, and — given `documents`
    ({slug: (title, summary)} of the cached documents, `Store.document_summaries`) — each current-plan
    document with its summary."""
    m = member
    cp = m.current_plan
    out = ["# " + _("{name}: OGP member brief").format(name=md_text(m.name)), ""]
    if freshness_text:
        out += [
            _("Data: {freshness}. Exported {day} with ogptui {version}.").format(
                freshness=md_text(freshness_text), day=date.today().isoformat(), version=__version__
            ),
            "",
        ]
    if m.source_url:
        out += [_("Source: {link}").format(link=md_link(_("member page on the OGP site"), m.source_url)), ""]

    out += ["## " + _("Overview"), ""]
    out += _table(
        [_("Figure"), _("Value")],
        [
            [_("Level"), _v(regions.word(m.level).capitalize())],
            [_("Member since"), _v(m.member_since)],
            [_("Action plans"), _v(m.action_plan)],
            [_("Commitments in the cache"), md_text(commitment_count(len(m.commitments), cp.commitment_count))],
            [_("Resources"), str(len(m.resources))],
            [_("Contacts"), str(len(m.contacts))],
        ],
        ["---", "---:"],
    )
    out += user_sections(notes, bookmarks)

    out += ["", "## " + _("Current action plan"), ""]
    facts = ((_("Years"), cp.years), (_("Action plan"), cp.number), (_("Commitments"), cp.commitment_count),
             (_("Policy area focus"), cp.policy_area_focus))  # fmt: skip
    out += [f"- **{label}:** {_v(value)}" for label, value in facts]
    if cp.summary:
        out += ["", md_text(cp.summary)]
    if cp.summary_url and safe_link(cp.summary_url):
        out += ["", md_link(_("Read the full summary"), cp.summary_url)]

    plan_docs = current_plan_resources(m)
    if plan_docs:
        out += ["", "### " + _("Documents of the current plan"), ""]
        for r in plan_docs:
            kind = ", ".join(md_text(x) for x in (r.type, r.year) if x)
            out.append(f"- {md_link(r.title, r.url)}" + (f" ({kind})" if kind else ""))
            title_summary = (documents or {}).get(r.document or "")
            if title_summary and title_summary[1]:
                out.append(f"  {md_text(title_summary[1])}")
            elif documents is not None:
                out.append("  _" + _("Not downloaded yet (`ogptui sync` with documents fetches it).") + "_")

    out += ["", "## " + _("Starred metrics (commitment performance)"), ""]
    if m.performance:
        out += _table(
            [_("Action plan"), _("Major results"), _("Outstanding results"), _("Starred"), _("Raw values")],
            (
                [
                    _v(p.action_plan),
                    _v(p.major),
                    _v(p.outstanding),
                    _v(p.starred),
                    md_text(", ".join(str(x) for x in p.raw)) or "—",
                ]
                for p in m.performance
            ),
            ["---", "---:", "---:", "---:", "---"],
        )
        out.append("")
        out.append(
            _("— means the page did not say, or its chart could not be read unambiguously (see the raw values).")
        )
    else:
        out.append("_" + _("Not on the cached page.") + "_")
    if m.benchmarks:
        out.append("")
        out += [
            "- "
            + _("{scope} benchmark, {label}: {values}").format(
                scope=md_text(b.scope.title()), label=md_text(b.label), values=md_text(", ".join(map(str, b.raw)))
            )
            for b in m.benchmarks
        ]

    out += ["", "## " + _("Contacts ({n})").format(n=len(m.contacts)), ""]
    for c in m.contacts:
        parts = [f"**{md_text(c.name)}**"]
        if c.role:
            parts.append(md_text(c.role))
        if c.email:
            parts.append(md_text(c.email))
        if c.side:
            parts.append(f"({md_text(c.side)})")
        out.append("- " + " · ".join(parts))
    if not m.contacts:
        out.append("_" + _("None on the cached page.") + "_")

    counted = md_text(commitment_count(len(m.commitments), cp.commitment_count, "heading"))
    out += ["", "## " + _("Commitments ({n})").format(n=counted), ""]
    if m.commitments:
        out += _table(
            [_("ID"), _("Year"), _("Title"), _("Policy area"), _("Status"), _("Early results")],
            (
                [
                    md_link(c.id, c.url),
                    _v(c.year),
                    _v(c.title),
                    _v(c.policy_area),
                    _v(value_in(c.status, language())),
                    _v(value_in(c.early_results, language())),
                ]
                for c in m.commitments
            ),
        )
    else:
        out.append("_" + _("None in the cache.") + "_")

    out += ["", "## " + _("Resources ({n})").format(n=len(m.resources))]
    years: dict[int | None, list[str]] = {}
    for r in m.resources:
        kind = ", ".join(md_text(x) for x in (r.type, r.format) if x)
        years.setdefault(r.year, []).append(f"- {md_link(r.title, r.url)}" + (f" ({kind})" if kind else ""))
    unknown_year = _("Year not given")
    for year in sorted(years, key=lambda y: (y is None, -(y or 0))):
        out += ["", f"### {year if year is not None else unknown_year}", "", *years[year]]
    if not m.resources:
        out += ["", "_" + _("None on the cached page.") + "_"]
    return safe_output("\n".join(out) + "\n")  # the last step: nothing unsafe, whatever the store held


_COLUMNS = {
    "commitments": [
        "id",
        "title",
        "year",
        "policy_area",
        "url",
        "action_plan",
        "status",
        "lead_institution",
        "support_institutions",
        "starred",
        "early_results",
        "completion",
        "ambition",
        "potential_impact",
    ],
    "resources": ["year", "title", "type", "format", "url"],
}


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, list):
        value = "; ".join(str(x) for x in value)
    if isinstance(value, str):
        value = safe_output(value)
        if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
            return "'" + value
    return value


def member_csv(member: Member, table: str = "commitments") -> str:
    """CSV (RFC 4180, header row, member slug first) of a member's commitments or resources."""
    if table not in _COLUMNS:
        raise ValueError(f"table must be one of {', '.join(TABLES)}, not {table!r}")
    cols = _COLUMNS[table]
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["member", *cols])
    items = member.commitments if table == "commitments" else member.resources
    for item in items:
        w.writerow([_cell(member.slug), *(_cell(getattr(item, c, None)) for c in cols)])
    return safe_output(buf.getvalue())


def document_markdown(doc: Document) -> str:
    """A document as Markdown: title, link, summary, the At a glance table, the body, its files."""
    p = doc.page
    out = ["# " + md_text(p.title or _("Untitled document")), ""]
    if p.url:
        out += [_("Source: {link}").format(link=md_link(_("the document page on the OGP site"), p.url)), ""]
    if doc.members:
        out += [_("Listed by: {members}").format(members=", ".join(md_text(s) for s in doc.members)), ""]
    if p.summary:
        out += [md_text(p.summary), ""]
    if p.at_a_glance:
        out += ["## " + _("At a glance"), ""]
        out += _table(["", _("Value")], ([md_text(k), md_text(v)] for k, v in p.at_a_glance.items()))
        out.append("")
    for sec in p.sections:
        out += ["## " + md_text(sec.heading or _("Introduction")), ""]
        for para in (sec.text or "").split("\n\n"):
            if para.strip():
                out += [md_text(para), ""]
    if doc.attachments:
        out += ["## " + _("Files"), ""]
        unnamed = _("file")
        for a in doc.attachments:
            state = _("on this device") if a.path else _("not downloaded")
            out.append(f"- {md_link(a.name or unnamed, a.url)} ({state})")
    return safe_output("\n".join(out).rstrip("\n") + "\n")


def brief_filename(slug: str, day: date | None = None) -> str:
    safe = re.sub(r"[^a-z0-9]+", "-", slug.lower()).strip("-")[:60] or "member"
    return f"ogp-{safe}-brief-{(day or date.today()).isoformat()}.md"


def write_brief(
    member: Member,
    freshness_text: str | None = None,
    folder: Path | None = None,
    *,
    notes: Sequence[Entry] = (),
    bookmarks: Sequence[Entry] = (),
    documents: dict[str, tuple[str | None, str | None]] | None = None,
) -> Path:
    """Write the member's Markdown brief into `folder` (default: `config.paths().briefs`, the folder
    `ogptui where` shows: `briefs` in OGPTUI_HOME when that is set, else the user's documents folder).

    The name is `ogp-<slug>-brief-<date>.md`; an existing file is never replaced (`-2`, `-3`, ... are
    added). Returns the path written. Raises OSError when the folder cannot be created or written.
    """
    if folder is None:
        from ogptui import config

        folder = config.paths().briefs
    folder.mkdir(parents=True, exist_ok=True)
    text = member_markdown(member, freshness_text, notes=notes, bookmarks=bookmarks, documents=documents)
    base = brief_filename(member.slug)
    stem, suffix = base[: -len(".md")], ".md"
    for n in range(1, 1000):
        path = folder / (base if n == 1 else f"{stem}-{n}{suffix}")
        try:
            with path.open("x", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
        except FileExistsError:
            continue
        return path
    raise FileExistsError(_("too many briefs of {slug} in {folder} today; move some away").format(slug=member.slug, folder=folder))
