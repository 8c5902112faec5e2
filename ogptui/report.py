"""Plain-text rendering of records for the terminal (`ogptui show`, `ogptui parse`). No Textual.

Every function returns text passed through `ogptui.clean.safe_output`: a bad value in the store (another
door than ingest, an older version) never reaches the terminal as an escape or control character.
"""

from __future__ import annotations

from collections.abc import Iterable

from ogptui import regions
from ogptui.clean import safe_output
from ogptui.i18n import _, language, ngettext
from ogptui.model import (
    COMMITMENT_DETAIL_LABELS,
    CommitmentPage,
    DirectoryPage,
    Document,
    DocumentPage,
    Member,
    commitment_count,
)
from ogptui.vocab import shown_value, value_in


def _v(x: object) -> str:
    return _("unknown") if x in (None, "", []) else str(x)


def _section(title: str, lines: Iterable[str]) -> list[str]:
    body = list(lines)
    return ["", title, "-" * len(title), *(body or [_("(none on the page)")])]


def member_text(m: Member, freshness: str | None = None) -> str:
    cp = m.current_plan
    out = [m.name, "=" * len(m.name)]
    facts = _("{level} member · Member since {since} · Action plan {plan}").format(
        level=regions.word(m.level), since=_v(m.member_since), plan=_v(m.action_plan)
    )
    out.append(facts[:1].upper() + facts[1:])
    if freshness:
        out.append(freshness)
    out += _section(
        _("Current action plan"),
        [
            _("Years: {years}   Plan: {plan}   Commitments: {n}").format(
                years=_v(cp.years), plan=_v(cp.number), n=_v(cp.commitment_count)
            ),
            _("Policy area focus: {focus}").format(focus=_v(cp.policy_area_focus)),
            *([f"{cp.summary}"] if cp.summary else []),
            *([_("More: {url}").format(url=cp.summary_url)] if cp.summary_url else []),
        ],
    )
    out += _section(
        _("Contacts ({n})").format(n=len(m.contacts)),
        (
            "  ".join(x for x in (c.name, c.role or "", c.email or "", f"({c.side})" if c.side else "") if x)
            for c in m.contacts
        ),
    )
    out += _section(
        _("Commitments ({n})").format(n=commitment_count(len(m.commitments), cp.commitment_count, "heading")),
        (
            f"{c.id:<9} {c.year or '':<5} {c.title or ''}"
            + (f"  [{c.policy_area}]" if c.policy_area else "")
            + ("  " + _("status: {status}").format(status=value_in(c.status, language())) if c.status else "")
            + (
                "  " + _("early results: {results}").format(results=value_in(c.early_results, language()))
                if c.early_results
                else ""
            )
            for c in m.commitments
        ),
    )
    out += _section(
        _("Resources ({n})").format(n=len(m.resources)),
        (
            f"{r.year or '    '}  {r.title}  ({', '.join(x for x in (r.type, r.format) if x)})"
            for r in m.resources
        ),
    )
    perf = []
    for p in m.performance:
        if p.major is None and p.outstanding is None and p.starred is None:
            perf.append(_("Action Plan {plan}: unknown (raw {raw})").format(plan=p.action_plan, raw=p.raw))
        else:
            perf.append(
                _("Action Plan {plan}: major {major}, outstanding {outstanding}, starred {starred}").format(
                    plan=p.action_plan, major=_v(p.major), outstanding=_v(p.outstanding), starred=_v(p.starred)
                )
            )
    perf += [f"{b.scope.title()} — {b.label}: {', '.join(map(str, b.raw))}" for b in m.benchmarks]
    out += _section(_("Starred metrics (commitment performance)"), perf)
    part = [
        _("{phase} · Action Plan {plan}: {level}").format(phase=p.phase.title(), plan=p.action_plan, level=_v(p.level))
        for p in m.participation
    ]
    out += _section(_("Public participation"), part)
    none = _("none")
    out += _section(
        _("OGP Global Report (2019)"),
        (f"{g.area}: {', '.join(i or '—' for i in g.implications) or none}" for g in m.global_report),
    )
    out += _section(_("Recent posts"), (f"{p.title}" + (f" — {p.teaser}" if p.teaser else "") for p in m.posts))
    if m.warnings:
        out += _section(_("Parser warnings"), m.warnings)
    return safe_output("\n".join(out))


def commitment_text(c: CommitmentPage) -> str:
    out = [f"{c.title or ''} ({c.id})", _("Member: {member}").format(member=_v(c.member))]
    lang = language()
    for label, key in COMMITMENT_DETAIL_LABELS:
        v = shown_value(key, getattr(c, key), lang)
        out.append(f"{_(label)}: {', '.join(v) if isinstance(v, list) and v else _v(v)}")
    if c.description:
        out += _section(_("Description"), [c.description])
    return safe_output("\n".join(out))


def document_text(d: DocumentPage) -> str:
    out = [d.title or _("(untitled document)")]
    if d.summary:
        out += ["", d.summary]
    if d.at_a_glance:
        out += _section(_("At a glance"), (f"{k}: {v}" for k, v in d.at_a_glance.items()))
    return safe_output("\n".join(out))


def document_report(doc: Document, texts: dict[str, list[str]] | None = None, freshness: str | None = None) -> str:
    """A stored document for reading in a terminal: summary, At a glance rows, the body under its headings,
    its files (size, whether they are on this device, whether their text could be read) and, with `texts`
    ({sha256: pages}), the text read from each file, page by page."""
    from ogptui.units import human_size

    p = doc.page
    title = p.title or _("(untitled document)")
    out = [title, "=" * min(len(title), 100)]
    meta = []
    if doc.members:
        meta.append(_("listed by {members}").format(members=", ".join(doc.members)))
    if freshness:
        meta.append(freshness)
    if meta:
        out.append(" · ".join(meta))
    if p.url:
        out.append(_("Link: {url}").format(url=p.url))
    if p.summary:
        out += ["", p.summary]
    if p.at_a_glance:
        width = min(48, max(len(k) for k in p.at_a_glance))
        out += _section(_("At a glance"), (f"{k:<{width}}  {v}" for k, v in p.at_a_glance.items()))
    for sec in p.sections:
        heading = sec.heading or _("Introduction")
        out += ["", heading, "-" * min(len(heading), 100)]
        if sec.text:
            out.append(sec.text)
    if doc.attachments:
        lines = []
        for a in doc.attachments:
            size = human_size(a.size) if a.size is not None else _("size unknown")
            if a.path:
                where = _("on this device: {path}").format(path=a.path)
            elif a.error:
                where = _("not on this device ({error})").format(error=a.error)
            else:
                where = _("not downloaded")
            read = ngettext("; text read ({n} page)", "; text read ({n} pages)", a.page_count or 0)
            text = {
                None: "",
                "ok": read.format(n=a.page_count),
                "empty": _("; no text layer (scanned?)"),
            }.get(a.text_status, _("; text not available ({why})").format(why=a.text_error or a.text_status))
            lines.append(f"{a.name or a.url} ({size}) — {where}{text}")
            lines.append(f"    {a.url}")
        out += _section(_("Files ({n})").format(n=len(doc.attachments)), lines)
        for a in doc.attachments:
            pages = (texts or {}).get(a.sha256 or "", [])
            for n, page in enumerate(pages, 1):
                head = _("{name}, page {n}").format(name=a.name or a.url, n=n)
                out += ["", head, "~" * min(len(head), 100), page]
    return safe_output("\n".join(out))


def directory_text(d: DirectoryPage) -> str:
    unknown = _("unknown level")
    return safe_output("\n".join(f"{e.slug:<30} {e.name}  ({e.level or unknown})" for e in d.members))


def record_text(rec: object) -> str:
    if isinstance(rec, Member):
        return member_text(rec)
    if isinstance(rec, CommitmentPage):
        return commitment_text(rec)
    if isinstance(rec, DocumentPage):
        return document_text(rec)
    if isinstance(rec, DirectoryPage):
        return directory_text(rec)
    raise TypeError(type(rec))
