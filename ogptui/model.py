"""Records: what a parsed OGP page becomes, and what the store keeps.

These dataclasses *are* the JSON contract of `ogptui parse --json` and `ogptui show --json`
(`to_dict()` gives it). Field names are the public scripting interface: do not rename them.
Nothing here imports Textual, httpx or sqlite.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any

# Fields of a commitment that only its own page (not the member page) provides.
COMMITMENT_DETAIL_FIELDS = (
    "member",
    "language",
    "action_plan",
    "action_plan_cycle",
    "status",
    "lead_institution",
    "support_institutions",
    "policy_areas",
    "irm_reports",
    "starred",
    "early_results",
    "verifiable",
    "relevant_to_ogp_values",
    "ambition",
    "potential_impact",
    "completion",
    "description",
)

# How people read those fields (the CLI, the Markdown brief and the TUI label them the same way).
COMMITMENT_DETAIL_LABELS = (
    ("Action plan", "action_plan"),
    ("Action plan cycle", "action_plan_cycle"),
    ("Status", "status"),
    ("Lead institution", "lead_institution"),
    ("Support institutions", "support_institutions"),
    ("Policy areas", "policy_areas"),
    ("IRM reports", "irm_reports"),
    ("Starred", "starred"),
    ("Early results", "early_results"),
    ("Verifiable", "verifiable"),
    ("Relevant to OGP values", "relevant_to_ogp_values"),
    ("Ambition", "ambition"),
    ("Potential impact", "potential_impact"),
    ("Completion", "completion"),
)


class PageRejected(Exception):
    """The page is not an OGP page of the expected kind (error page, challenge, login wall...).

    `reason` is one plain sentence meant for the user. This is the only exception the parsers raise.
    """

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class Contact:
    name: str
    role: str | None = None
    email: str | None = None
    side: str | None = None  # "government", "civil society" or None


@dataclass
class Commitment:
    """A commitment: the member page gives id/title/year/policy_area/url; its own page gives the rest."""

    id: str
    title: str | None = None
    year: int | None = None
    policy_area: str | None = None
    url: str | None = None
    # --- from the commitment page (None until synced) ---
    member: str | None = None
    language: str | None = None
    action_plan: str | None = None
    action_plan_cycle: int | None = None
    status: str | None = None
    lead_institution: str | None = None
    support_institutions: str | None = None
    policy_areas: list[str] = field(default_factory=list)
    irm_reports: list[str] = field(default_factory=list)
    starred: str | None = None
    early_results: str | None = None
    verifiable: str | None = None
    relevant_to_ogp_values: str | None = None
    ambition: str | None = None
    potential_impact: str | None = None
    completion: str | None = None
    description: str | None = None

    def has_details(self) -> bool:
        return any(getattr(self, f) not in (None, []) for f in COMMITMENT_DETAIL_FIELDS)

    def to_dict(self) -> dict[str, Any]:
        """Member-page form: the list fields, plus the commitment-page fields when known."""
        d: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "year": self.year,
            "policy_area": self.policy_area,
            "url": self.url,
        }
        if self.has_details():
            for f in COMMITMENT_DETAIL_FIELDS:
                d[f] = getattr(self, f)
        return d


@dataclass
class CommitmentPage:
    """A parsed commitment page (`kind` = "commitment")."""

    id: str
    title: str | None = None
    member: str | None = None
    language: str | None = None
    action_plan: str | None = None
    action_plan_cycle: int | None = None
    status: str | None = None
    lead_institution: str | None = None
    support_institutions: str | None = None
    policy_areas: list[str] = field(default_factory=list)
    irm_reports: list[str] = field(default_factory=list)
    starred: str | None = None
    early_results: str | None = None
    verifiable: str | None = None
    relevant_to_ogp_values: str | None = None
    ambition: str | None = None
    potential_impact: str | None = None
    completion: str | None = None
    description: str | None = None
    url: str | None = None
    fetched_at: str | None = None
    warnings: list[str] = field(default_factory=list)
    kind: str = "commitment"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def details(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in COMMITMENT_DETAIL_FIELDS}


@dataclass
class Resource:
    title: str
    year: int | None = None
    type: str | None = None
    format: str | None = None
    url: str | None = None


@dataclass
class PerformanceRow:
    """One action plan's row of the Commitment Performance chart.

    `raw` keeps the numbers as shown; named fields stay None when the mapping is ambiguous.
    """

    action_plan: int
    major: int | None = None
    outstanding: int | None = None
    starred: int | None = None
    raw: list[int] = field(default_factory=list)


@dataclass
class Benchmark:
    scope: str  # "global" or "regional"
    label: str  # e.g. "Most per action plan"
    raw: list[int] = field(default_factory=list)


@dataclass
class ParticipationRow:
    phase: str  # "development" or "implementation"
    action_plan: int
    level: str | None = None  # Collaborate/Involve/Consult/Inform/No Consultation, None = unknown


@dataclass
class GlobalReportArea:
    """One policy area of the 2019 Global Report block: an action implication per dimension."""

    area: str
    implications: list[str | None] = field(default_factory=list)


@dataclass
class Post:
    title: str
    teaser: str | None = None
    url: str | None = None


@dataclass
class CurrentPlan:
    years: str | None = None
    number: int | None = None
    commitment_count: int | None = None
    policy_area_focus: str | None = None
    summary: str | None = None
    summary_url: str | None = None


@dataclass
class Member:
    slug: str
    name: str
    level: str = "national"  # "national" or "local"
    member_since: int | None = None
    action_plan: int | None = None
    current_plan: CurrentPlan = field(default_factory=CurrentPlan)
    contacts: list[Contact] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)
    performance: list[PerformanceRow] = field(default_factory=list)
    benchmarks: list[Benchmark] = field(default_factory=list)
    participation: list[ParticipationRow] = field(default_factory=list)
    global_report: list[GlobalReportArea] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    language: str | None = None
    fetched_at: str | None = None
    source_url: str | None = None
    warnings: list[str] = field(default_factory=list)
    kind: str = "member"

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"kind": self.kind}
        for f in fields(self):
            if f.name == "kind":
                continue
            if f.name == "commitments":
                d["commitments"] = [c.to_dict() for c in self.commitments]
            else:
                v = getattr(self, f.name)
                d[f.name] = asdict(v) if hasattr(v, "__dataclass_fields__") else _plain(v)
        return d

    def record_hash(self) -> str:
        """Hash of what the page says: ignores when/where it was fetched and the parser's warnings."""
        d = self.to_dict()
        for k in ("fetched_at", "source_url", "warnings"):
            d.pop(k, None)
        d["commitments"] = [
            {k: c.get(k) for k in ("id", "title", "year", "policy_area", "url")} for c in d["commitments"]
        ]
        return stable_hash(d)


@dataclass
class DirectoryEntry:
    name: str
    slug: str
    url: str | None = None
    level: str | None = None


@dataclass
class DirectoryPage:
    members: list[DirectoryEntry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    kind: str = "directory"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class DocumentSection:
    """One part of a document's body: its heading (None before the first heading) and its paragraphs,
    joined with blank lines."""

    heading: str | None
    text: str


@dataclass
class DocumentAttachment:
    """A download link on a document page to a file (PDF, DOCX, XLSX…) on the page's own host."""

    url: str
    name: str


@dataclass
class DocumentPage:
    """A parsed document (resource) page (`kind` = "document")."""

    title: str | None = None
    summary: str | None = None
    at_a_glance: dict[str, str] = field(default_factory=dict)  # label (no trailing colon) → value as written
    sections: list[DocumentSection] = field(default_factory=list)  # the body, in page order
    attachments: list[DocumentAttachment] = field(default_factory=list)
    language: str | None = None
    url: str | None = None
    slug: str | None = None  # from /documents/<slug>/, else from the title
    fetched_at: str | None = None
    warnings: list[str] = field(default_factory=list)
    kind: str = "document"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def record_hash(self) -> str:
        """Hash of what the page says: ignores when it was fetched and the parser's warnings."""
        d = self.to_dict()
        for k in ("fetched_at", "warnings"):
            d.pop(k, None)
        return stable_hash(d)


Record = Member | CommitmentPage | DocumentPage | DirectoryPage


def _plain(v: Any) -> Any:
    if isinstance(v, list):
        return [asdict(x) if hasattr(x, "__dataclass_fields__") else x for x in v]
    return v


def stable_hash(obj: Any) -> str:
    data = json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def member_from_dict(d: dict[str, Any]) -> Member:
    """Inverse of Member.to_dict (used by the store and by tests)."""
    commitments = []
    for c in d.get("commitments") or []:
        known = {f.name for f in fields(Commitment)}
        commitments.append(Commitment(**{k: v for k, v in c.items() if k in known}))
    return Member(
        slug=d["slug"],
        name=d["name"],
        level=d.get("level") or "national",
        member_since=d.get("member_since"),
        action_plan=d.get("action_plan"),
        current_plan=CurrentPlan(**(d.get("current_plan") or {})),
        contacts=[Contact(**x) for x in d.get("contacts") or []],
        commitments=commitments,
        resources=[Resource(**x) for x in d.get("resources") or []],
        performance=[PerformanceRow(**x) for x in d.get("performance") or []],
        benchmarks=[Benchmark(**x) for x in d.get("benchmarks") or []],
        participation=[ParticipationRow(**x) for x in d.get("participation") or []],
        global_report=[GlobalReportArea(**x) for x in d.get("global_report") or []],
        posts=[Post(**x) for x in d.get("posts") or []],
        language=d.get("language"),
        fetched_at=d.get("fetched_at"),
        source_url=d.get("source_url"),
        warnings=list(d.get("warnings") or []),
    )


def validate_member(m: Member) -> list[str]:
    """Reasons a parsed member must not be stored (empty list = valid)."""
    problems = []
    if not m.name or not m.name.strip():
        problems.append("the page has no member name")
    if not m.slug or not m.slug.strip():
        problems.append("the member has no slug")
    if len(m.name or "") > 200:
        problems.append("the member name is implausibly long")
    return problems
