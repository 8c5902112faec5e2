"""Mapping between records and table rows (both directions), and the change list between two members."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ogptui.model import (
    COMMITMENT_DETAIL_FIELDS,
    Benchmark,
    Commitment,
    CommitmentPage,
    Contact,
    CurrentPlan,
    GlobalReportArea,
    Member,
    ParticipationRow,
    PerformanceRow,
    Post,
    Resource,
)

CHILD_TABLES = (
    "contacts",
    "commitments",
    "resources",
    "performance",
    "benchmarks",
    "participation",
    "dimensions",
    "posts",
)


def _j(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False)


def _unj(v: str | None, default: Any) -> Any:
    if v is None:
        return default
    try:
        return json.loads(v)
    except ValueError:
        return default


def member_row(m: Member, *, embedded: bool = False, captured_at: str | None = None) -> dict[str, Any]:
    cp = m.current_plan
    return {
        "slug": m.slug,
        "name": m.name,
        "level": m.level,
        "member_since": m.member_since,
        "action_plan": m.action_plan,
        "plan_years": cp.years,
        "plan_number": cp.number,
        "plan_commitment_count": cp.commitment_count,
        "plan_policy_area_focus": cp.policy_area_focus,
        "plan_summary": cp.summary,
        "plan_summary_url": cp.summary_url,
        "language": m.language,
        "fetched_at": m.fetched_at,
        "source_url": m.source_url,
        "warnings": _j(m.warnings),
        "record_hash": m.record_hash(),
        "embedded": 1 if embedded else 0,
        "captured_at": captured_at,
        "gone_at": None,
    }


def child_rows(m: Member) -> dict[str, list[dict[str, Any]]]:
    s = m.slug
    return {
        "contacts": [
            {
                "member_slug": s,
                "position": i,
                "name": c.name,
                "role": c.role,
                "email": c.email,
                "side": c.side,
            }
            for i, c in enumerate(m.contacts)
        ],
        "commitments": [
            {
                "member_slug": s,
                "position": i,
                "id": c.id,
                "title": c.title,
                "year": c.year,
                "policy_area": c.policy_area,
                "url": c.url,
            }
            for i, c in enumerate(m.commitments)
        ],
        "resources": [
            {
                "member_slug": s,
                "position": i,
                "title": r.title,
                "year": r.year,
                "type": r.type,
                "format": r.format,
                "url": r.url,
            }
            for i, r in enumerate(m.resources)
        ],
        "performance": [
            {
                "member_slug": s,
                "position": i,
                "action_plan": p.action_plan,
                "major": p.major,
                "outstanding": p.outstanding,
                "starred": p.starred,
                "raw": _j(p.raw),
            }
            for i, p in enumerate(m.performance)
        ],
        "benchmarks": [
            {"member_slug": s, "position": i, "scope": b.scope, "label": b.label, "raw": _j(b.raw)}
            for i, b in enumerate(m.benchmarks)
        ],
        "participation": [
            {
                "member_slug": s,
                "position": i,
                "phase": p.phase,
                "action_plan": p.action_plan,
                "level": p.level,
            }
            for i, p in enumerate(m.participation)
        ],
        "dimensions": [
            {"member_slug": s, "position": i, "area": g.area, "implications": _j(g.implications)}
            for i, g in enumerate(m.global_report)
        ],
        "posts": [
            {"member_slug": s, "position": i, "title": p.title, "teaser": p.teaser, "url": p.url}
            for i, p in enumerate(m.posts)
        ],
    }


def detail_row(page: CommitmentPage, member_slug: str | None) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": page.id.upper(),
        "member_slug": member_slug,
        "url": page.url,
        "title": page.title,
    }
    for f in COMMITMENT_DETAIL_FIELDS:
        v = getattr(page, f)
        row[f] = _j(v) if f in ("policy_areas", "irm_reports") else v
    row["fetched_at"] = page.fetched_at
    row["warnings"] = _j(page.warnings)
    return row


def apply_detail(c: Commitment, row: dict[str, Any]) -> None:
    for f in COMMITMENT_DETAIL_FIELDS:
        v = row.get(f)
        if f in ("policy_areas", "irm_reports"):
            v = _unj(v, [])
        setattr(c, f, v)


def member_from_rows(row: dict[str, Any], children: dict[str, list[dict[str, Any]]]) -> Member:
    return Member(
        slug=row["slug"],
        name=row["name"],
        level=row["level"] or "national",
        member_since=row["member_since"],
        action_plan=row["action_plan"],
        current_plan=CurrentPlan(
            years=row["plan_years"],
            number=row["plan_number"],
            commitment_count=row["plan_commitment_count"],
            policy_area_focus=row["plan_policy_area_focus"],
            summary=row["plan_summary"],
            summary_url=row["plan_summary_url"],
        ),
        contacts=[Contact(r["name"], r["role"], r["email"], r["side"]) for r in children["contacts"]],
        commitments=[
            Commitment(
                id=r["id"], title=r["title"], year=r["year"], policy_area=r["policy_area"], url=r["url"]
            )
            for r in children["commitments"]
        ],
        resources=[
            Resource(r["title"], r["year"], r["type"], r["format"], r["url"]) for r in children["resources"]
        ],
        performance=[
            PerformanceRow(r["action_plan"], r["major"], r["outstanding"], r["starred"], _unj(r["raw"], []))
            for r in children["performance"]
        ],
        benchmarks=[Benchmark(r["scope"], r["label"], _unj(r["raw"], [])) for r in children["benchmarks"]],
        participation=[
            ParticipationRow(r["phase"], r["action_plan"], r["level"]) for r in children["participation"]
        ],
        global_report=[
            GlobalReportArea(r["area"], _unj(r["implications"], [])) for r in children["dimensions"]
        ],
        posts=[Post(r["title"], r["teaser"], r["url"]) for r in children["posts"]],
        language=row["language"],
        fetched_at=row["fetched_at"],
        source_url=row["source_url"],
        warnings=_unj(row["warnings"], []),
    )


@dataclass
class Change:
    action: str  # added / changed / removed
    kind: str  # member / resource / commitment / contact / performance / post / plan
    key: str
    summary: str


def diff_members(old: Member | None, new: Member) -> list[Change]:
    """What a reader would call the changes between two versions of a member page."""
    if old is None:
        return [Change("added", "member", new.slug, f"{new.name}: added")]
    out: list[Change] = []

    def keyed(items, key):
        return {key(x): x for x in items}

    pairs = [
        ("resource", old.resources, new.resources, lambda r: f"{r.title} ({r.year})"),
        ("commitment", old.commitments, new.commitments, lambda c: c.id),
        ("contact", old.contacts, new.contacts, lambda c: c.email or c.name),
        ("post", old.posts, new.posts, lambda p: p.title),
    ]
    for kind, before, after, key in pairs:
        b, a = keyed(before, key), keyed(after, key)
        for k in a.keys() - b.keys():
            out.append(Change("added", kind, k, f"{new.name}: new {kind} {k}"))
        for k in b.keys() - a.keys():
            out.append(Change("removed", kind, k, f"{new.name}: {kind} {k} removed"))
        for k in a.keys() & b.keys():
            if a[k] != b[k]:
                out.append(Change("changed", kind, k, f"{new.name}: {kind} {k} updated"))
    if old.performance != new.performance:
        out.append(Change("changed", "performance", new.slug, f"{new.name}: commitment performance updated"))
    if old.current_plan != new.current_plan or (old.member_since, old.action_plan, old.name) != (
        new.member_since,
        new.action_plan,
        new.name,
    ):
        out.append(Change("changed", "member", new.slug, f"{new.name}: overview updated"))
    if not out and old.record_hash() != new.record_hash():
        out.append(Change("changed", "member", new.slug, f"{new.name}: page details updated"))
    out.sort(key=lambda c: ("added", "changed", "removed").index(c.action))
    return out


def _join(*parts: Any) -> str:
    return " ".join(str(p) for p in parts if p not in (None, "", []))


def commitment_search_row(slug: str, c: Commitment, detail: Mapping[str, Any] | None) -> dict[str, Any]:
    """The `search_docs` row of one commitment: list fields from the member page, text from its own page."""
    d = detail or {}
    areas = _unj(d.get("policy_areas"), [])
    return {
        "kind": "commitment",
        "member_slug": slug,
        "ref": c.id,
        "title": c.title or d.get("title") or "",
        "ident": c.id,
        "body": _join(d.get("description"), d.get("lead_institution"), d.get("support_institutions")),
        "extra": _join(c.policy_area, ", ".join(a for a in areas if isinstance(a, str))),
        "year": c.year,
        "type": c.policy_area,
        "url": c.url or d.get("url"),
    }


def search_rows(m: Member, details: Mapping[str, Mapping[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Rows of `search_docs` for one member: itself, its commitments (with their page details, keyed by
    upper-case commitment ID), resources and contacts. The FTS index follows by triggers."""
    s = m.slug
    details = details or {}
    rows = [
        {
            "kind": "member",
            "member_slug": s,
            "ref": s,
            "title": m.name,
            "ident": None,
            "body": m.current_plan.summary or "",
            "extra": m.current_plan.policy_area_focus or "",
            "year": None,
            "type": m.level,
            "url": m.source_url or m.current_plan.summary_url,
        }
    ]
    rows += [commitment_search_row(s, c, details.get(c.id.upper())) for c in m.commitments]
    for i, r in enumerate(m.resources):
        rows.append(
            {
                "kind": "resource",
                "member_slug": s,
                "ref": str(i),
                "title": r.title or "",
                "ident": None,
                "body": "",
                "extra": _join(r.type, r.format),
                "year": r.year,
                "type": r.type,
                "url": r.url,
            }
        )
    for i, c in enumerate(m.contacts):
        rows.append(
            {
                "kind": "contact",
                "member_slug": s,
                "ref": str(i),
                "title": c.name or "",
                "ident": None,
                "body": c.role or "",
                "extra": c.email or "",
                "year": None,
                "type": c.side,
                "url": None,
            }
        )
    return rows
