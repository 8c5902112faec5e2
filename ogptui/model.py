"""Records: what a parsed OGP page becomes, and what the store keeps. Each record is declared once, here.

These dataclasses *are* the JSON contract of `ogptui parse --json` and `ogptui show --json`
(`to_dict()` gives it). Field names are the public scripting interface: do not rename them.

Every field carries its declaration in `metadata` (see `spec`): how people read it (`label`), the labels the
commitment page shows for it in English, Spanish and French (`page`), its value type (which is also its
column type: text, integer, or a list stored as JSON), how its text is cleaned (one line with a cap, or
multi-line), the child table a list of records lives in, the column prefix of a nested record, and the
search-document columns it feeds. The store's rows (both directions), the parser's commitment labels, the
display labels of the CLI report / brief / TUI detail, input cleaning and search documents are derived from
these declarations (`ogptui/store/rows.py` for rows and search documents). Nothing here imports Textual,
httpx or sqlite. It is over 400 lines because every field of every record carries its declaration here,
once, instead of in six places.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Mapping
from dataclasses import MISSING, Field, asdict, dataclass, field, fields, is_dataclass
from typing import Any, TypeGuard, TypeVar

from ogptui.clean import MULTILINE_CAP, SINGLE_LINE_CAP, clean_multiline, clean_text
from ogptui.i18n import N_, _
from ogptui.urls import slug_problem

# Value types (and so column types): TEXT, INTEGER, and lists kept as JSON text in a TEXT column.
TEXT, INT, TEXT_LIST, INT_LIST, OPT_TEXT_LIST = "text", "int", "text_list", "int_list", "opt_text_list"
TEXT_MAP = "text_map"  # {label: value} of one-line texts, kept as JSON (a document's At a glance rows)
LIST_TYPES = (TEXT_LIST, INT_LIST, OPT_TEXT_LIST)
JSON_TYPES = (*LIST_TYPES, TEXT_MAP)
COLUMN_TYPES = {
    TEXT: "TEXT",
    INT: "INTEGER",
    TEXT_LIST: "TEXT",
    INT_LIST: "TEXT",
    OPT_TEXT_LIST: "TEXT",
    TEXT_MAP: "TEXT",
}
# Columns of a search document (`search_docs`): text columns are joined, the others take the first value.
SEARCH_TEXT = ("body", "extra", "summary")


def spec(
    label: str | None = None,
    *,
    type: str = TEXT,
    default: Any = None,
    factory: Any = None,
    page: Mapping[str, tuple[str, ...]] | None = None,
    multiline: bool = False,
    cap: int | None = None,
    search: Mapping[str, int] | None = None,
    table: str | None = None,
    prefix: str | None = None,
    stored: bool = True,
) -> Any:
    """A declared field.

    label      how people read it ("Lead institution"): CLI report, Markdown brief, TUI detail.
    type       TEXT / INT / TEXT_LIST / INT_LIST / OPT_TEXT_LIST / TEXT_MAP: the value and column type (lists
               and maps as JSON).
    page       labels of the field on its own OGP page, per language: {"en": (...), "es": (...), "fr": (...)}.
    multiline  text keeps its line breaks (`clean_multiline`); else one line (`clean_text`), capped at `cap`.
    search     {search_docs column: order}: which columns of the record's search document it feeds.
    table      for a list of records: the child table that holds them (one row per item, in page order).
    prefix     for a nested record: the prefix of its columns in the parent's row (`plan_` + `years`).
    stored     False for what is not a column (`kind`).
    """
    meta = {
        "label": label,
        "type": type,
        "page": dict(page) if page else None,
        "multiline": multiline,
        "cap": cap or (MULTILINE_CAP if multiline else SINGLE_LINE_CAP),
        "search": dict(search or {}),
        "table": table,
        "prefix": prefix,
        "stored": stored,
    }
    if factory is not None:
        return field(default_factory=factory, metadata=meta)
    if default is MISSING:
        return field(metadata=meta)
    return field(default=default, metadata=meta)


REQUIRED = MISSING  # `spec(..., default=REQUIRED)`: a field without a default


class PageRejected(Exception):
    """The page is not an OGP page of the expected kind (error page, challenge, login wall...).

    `reason` is one plain sentence meant for the user. This is the only exception the parsers raise.
    """

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class Contact:
    name: str = spec(N_("Name"), default=REQUIRED, cap=200, search={"title": 0})
    role: str | None = spec(N_("Role"), search={"body": 0})
    email: str | None = spec(N_("Email"), search={"extra": 0})
    side: str | None = spec(N_("Side"), search={"type": 0})  # "government", "civil society" or None


@dataclass(kw_only=True)
class CommitmentDetails:
    """What only a commitment's own page says (None until that page is synced), in page order.

    Declared once: `Commitment` (a member's commitment, with these once known) and `CommitmentPage` (the
    parsed page) both inherit these fields.
    """

    member: str | None = spec(N_("Member"))
    language: str | None = spec(N_("Language"))
    action_plan: str | None = spec(
        N_("Action plan"), page={"en": ("Action Plan",), "es": ("Plan de acción",), "fr": ("Plan d'action",)}
    )
    action_plan_cycle: int | None = spec(
        N_("Action plan cycle"),
        type=INT,
        page={
            "en": ("Action Plan Cycle",),
            "es": ("Ciclo del plan de acción",),
            "fr": ("Cycle du plan d'action",),
        },
    )
    status: str | None = spec(N_("Status"), page={"en": ("Status",), "es": ("Estado",), "fr": ("Statut",)})
    lead_institution: str | None = spec(
        N_("Lead institution"),
        page={"en": ("Lead Institution",), "es": ("Institución líder",), "fr": ("Institution chef de file",)},
        search={"body": 1},
    )
    support_institutions: str | None = spec(
        N_("Support institutions"),
        page={
            "en": ("Support Institution(s)", "Support Institutions"),
            "es": ("Institución(es) de apoyo", "Instituciones de apoyo"),
            "fr": ("Institution(s) de soutien",),
        },
        cap=20_000,
        search={"body": 2},
    )
    policy_areas: list[str] = spec(
        N_("Policy areas"),
        type=TEXT_LIST,
        factory=list,
        page={"en": ("Policy Areas",), "es": ("Áreas de política",), "fr": ("Domaines politiques",)},
        search={"extra": 1},
    )
    irm_reports: list[str] = spec(
        N_("IRM reports"),
        type=TEXT_LIST,
        factory=list,
        page={
            "en": ("IRM Report", "IRM Reports"),
            "es": ("Informe del IRM", "Informes del IRM"),
            "fr": ("Rapport IRM", "Rapports IRM"),
        },
    )
    starred: str | None = spec(N_("Starred"), page={"en": ("Starred",), "es": ("Estelar",), "fr": ("Étoilé",)})
    early_results: str | None = spec(
        N_("Early results"),
        page={"en": ("Early Results",), "es": ("Resultados iniciales",), "fr": ("Premiers résultats",)},
    )
    verifiable: str | None = spec(
        N_("Verifiable"), page={"en": ("Verifiable",), "es": ("Verificable",), "fr": ("Vérifiable",)}
    )
    relevant_to_ogp_values: str | None = spec(
        N_("Relevant to OGP values"),
        page={
            "en": ("Relevant to OGP Values",),
            "es": ("Relevante para los valores de OGP",),
            "fr": ("Pertinent pour les valeurs OGP",),
        },
    )
    ambition: str | None = spec(
        N_("Ambition"),
        page={
            "en": ("Ambition (see definition)", "Ambition"),
            "es": ("Ambición (ver definición)", "Ambición"),
            "fr": ("Ambition (voir définition)",),
        },
    )
    potential_impact: str | None = spec(
        N_("Potential impact"),
        page={"en": ("Potential Impact",), "es": ("Impacto potencial",), "fr": ("Impact potentiel",)},
    )
    completion: str | None = spec(
        N_("Completion"), page={"en": ("Completion",), "es": ("Finalización",), "fr": ("Achèvement",)}
    )
    description: str | None = spec(N_("Description"), multiline=True, search={"body": 0})

    def has_details(self) -> bool:
        return any(getattr(self, f) not in (None, []) for f in COMMITMENT_DETAIL_FIELDS)

    def details(self) -> dict[str, Any]:
        return {f: _plain(getattr(self, f)) for f in COMMITMENT_DETAIL_FIELDS}


@dataclass
class Commitment(CommitmentDetails):
    """A commitment: the member page gives id/title/year/policy_area/url; its own page gives the rest."""

    id: str = spec(N_("ID"), default=REQUIRED, cap=100, search={"ident": 0})
    title: str | None = spec(N_("Title"), search={"title": 0})
    year: int | None = spec(N_("Year"), type=INT, search={"year": 0})
    policy_area: str | None = spec(N_("Policy area"), search={"type": 0, "extra": 0})
    url: str | None = spec(N_("Link"), search={"url": 0})

    def to_dict(self) -> dict[str, Any]:
        """Member-page form: the list fields, plus the commitment-page fields when known."""
        d: dict[str, Any] = {f: getattr(self, f) for f in COMMITMENT_LIST_FIELDS}
        if self.has_details():
            d.update(self.details())
        return d


@dataclass
class CommitmentPage(CommitmentDetails):
    """A parsed commitment page (`kind` = "commitment")."""

    id: str = spec(N_("ID"), default=REQUIRED, cap=100, search={"ident": 0})
    title: str | None = spec(N_("Title"), search={"title": 0})
    url: str | None = spec(N_("Link"), search={"url": 0})
    fetched_at: str | None = spec(N_("Fetched"))
    warnings: list[str] = spec(N_("Parser warnings"), type=TEXT_LIST, factory=list)
    kind: str = spec(default="commitment", stored=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            **self.details(),
            "url": self.url,
            "fetched_at": self.fetched_at,
            "warnings": list(self.warnings),
            "kind": self.kind,
        }


@dataclass
class Resource:
    title: str = spec(N_("Title"), default=REQUIRED, search={"title": 0})
    year: int | None = spec(N_("Year"), type=INT, search={"year": 0})
    type: str | None = spec(N_("Type"), search={"type": 0, "extra": 0})
    format: str | None = spec(N_("Format"), search={"extra": 1})
    url: str | None = spec(N_("Link"), search={"url": 0})
    # The slug of the document page the link leads to (`/documents/<slug>/` on the member page's own host),
    # None for a link elsewhere. Derived from `url` by the parser; not in `Member.to_dict` (so neither in the
    # member's record hash nor in `parse --json`): `show --json` adds it with `offline`.
    document: str | None = spec(N_("Document"), cap=200)


@dataclass
class PerformanceRow:
    """One action plan's row of the Commitment Performance chart.

    `raw` keeps the numbers as shown; named fields stay None when the mapping is ambiguous.
    """

    action_plan: int = spec(N_("Action plan"), type=INT, default=REQUIRED)
    major: int | None = spec(N_("Major results"), type=INT)
    outstanding: int | None = spec(N_("Outstanding results"), type=INT)
    starred: int | None = spec(N_("Starred"), type=INT)
    raw: list[int] = spec(N_("Raw values"), type=INT_LIST, factory=list)


@dataclass
class Benchmark:
    scope: str = spec(N_("Scope"), default=REQUIRED, search={"type": 0})  # "global" or "regional"
    label: str = spec(N_("Benchmark"), default=REQUIRED, cap=200, search={"body": 0})  # "Most per action plan"
    raw: list[int] = spec(N_("Raw values"), type=INT_LIST, factory=list)


@dataclass
class ParticipationRow:
    phase: str = spec(N_("Phase"), default=REQUIRED, search={"type": 0})  # "development" or "implementation"
    action_plan: int = spec(N_("Action plan"), type=INT, default=REQUIRED)
    level: str | None = spec(N_("Level"), search={"body": 0})  # Collaborate/Involve/Consult/Inform/No Consultation


@dataclass
class GlobalReportArea:
    """One policy area of the 2019 Global Report block: an action implication per dimension."""

    area: str = spec(N_("Policy area"), default=REQUIRED, search={"title": 0})
    implications: list[str | None] = spec(
        N_("Action implications"), type=OPT_TEXT_LIST, factory=list, search={"body": 0}
    )


@dataclass
class Post:
    title: str = spec(N_("Title"), default=REQUIRED, search={"title": 0})
    teaser: str | None = spec(N_("Teaser"), search={"body": 0})
    url: str | None = spec(N_("Link"), search={"url": 0})


@dataclass
class CurrentPlan:
    years: str | None = spec(N_("Years"))
    number: int | None = spec(N_("Plan"), type=INT)
    commitment_count: int | None = spec(N_("Commitments"), type=INT)
    policy_area_focus: str | None = spec(N_("Policy area focus"), search={"extra": 0})
    summary: str | None = spec(N_("Summary"), search={"body": 0})
    summary_url: str | None = spec(N_("Summary link"), search={"url": 1})


@dataclass
class Member:
    slug: str = spec(N_("Slug"), default=REQUIRED, cap=200)
    name: str = spec(N_("Name"), default=REQUIRED, cap=200, search={"title": 0})
    level: str = spec(N_("Level"), default="national", search={"type": 0})  # "national" or "local"
    member_since: int | None = spec(N_("Member since"), type=INT)
    action_plan: int | None = spec(N_("Action plans"), type=INT)
    current_plan: CurrentPlan = spec(N_("Current action plan"), factory=CurrentPlan, prefix="plan_")
    contacts: list[Contact] = spec(N_("Contacts"), factory=list, table="contacts")
    commitments: list[Commitment] = spec(N_("Commitments"), factory=list, table="commitments")
    resources: list[Resource] = spec(N_("Resources"), factory=list, table="resources")
    performance: list[PerformanceRow] = spec(N_("Starred metrics"), factory=list, table="performance")
    benchmarks: list[Benchmark] = spec(N_("Benchmarks"), factory=list, table="benchmarks")
    participation: list[ParticipationRow] = spec(N_("Public participation"), factory=list, table="participation")
    global_report: list[GlobalReportArea] = spec(N_("OGP Global Report"), factory=list, table="dimensions")
    posts: list[Post] = spec(N_("Recent posts"), factory=list, table="posts")
    language: str | None = spec(N_("Language"))
    fetched_at: str | None = spec(N_("Fetched"))
    source_url: str | None = spec(N_("Source"), search={"url": 0})
    warnings: list[str] = spec(N_("Parser warnings"), type=TEXT_LIST, factory=list)
    kind: str = spec(default="member", stored=False)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"kind": self.kind}
        for f in fields(self):
            if f.name == "kind":
                continue
            if f.name == "commitments":
                d["commitments"] = [c.to_dict() for c in self.commitments]
            elif f.name == "resources":  # `document` is derived from the link: `show --json` adds it
                d["resources"] = [{k: v for k, v in asdict(r).items() if k != "document"} for r in self.resources]
            else:
                d[f.name] = _plain(getattr(self, f.name))
        return d

    def record_hash(self) -> str:
        """Hash of what the page says: ignores when/where it was fetched and the parser's warnings."""
        d = self.to_dict()
        for k in ("fetched_at", "source_url", "warnings"):
            d.pop(k, None)
        d["commitments"] = [{k: c.get(k) for k in COMMITMENT_LIST_FIELDS} for c in d["commitments"]]
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
    joined with blank lines. The sections feed their document's search row (`store.rows`), and a hit's
    section heading says where it is."""

    heading: str | None = spec(N_("Heading"), cap=300)
    text: str = spec(N_("Text"), default="", multiline=True)


@dataclass
class DocumentAttachment:
    """A download link on a document page to a file (PDF, DOCX, XLSX…) on the page's own host."""

    url: str = spec(N_("Link"), default=REQUIRED)
    name: str = spec(N_("Name"), default="", cap=300)


@dataclass
class DocumentPage:
    """A parsed document (resource) page (`kind` = "document"); also the stored row of `documents`."""

    title: str | None = spec(N_("Title"), cap=500, search={"title": 0})
    summary: str | None = spec(N_("Summary"), cap=5000, search={"summary": 0})
    # label (no trailing colon) → value as written
    at_a_glance: dict[str, str] = spec(N_("At a glance"), type=TEXT_MAP, factory=dict, search={"extra": 0})
    sections: list[DocumentSection] = spec(N_("Sections"), factory=list, table="document_sections")
    attachments: list[DocumentAttachment] = spec(N_("Attachments"), factory=list, table="document_attachments")
    language: str | None = spec(N_("Language"))
    url: str | None = spec(N_("Link"), search={"url": 0})
    slug: str | None = spec(N_("Slug"), cap=200)  # from /documents/<slug>/, else from the title
    fetched_at: str | None = spec(N_("Fetched"))
    warnings: list[str] = spec(N_("Parser warnings"), type=TEXT_LIST, factory=list)
    kind: str = spec(default="document", stored=False)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def record_hash(self) -> str:
        """Hash of what the page says: ignores when it was fetched and the parser's warnings."""
        d = self.to_dict()
        for k in ("fetched_at", "warnings"):
            d.pop(k, None)
        return stable_hash(d)


TEXT_STATUSES = ("ok", "empty", "failed", "timeout", "too_large", "unsupported")


@dataclass
class AttachmentFile:
    """What this device holds of one attachment URL (a row of `attachments`; a file shared by several
    documents is kept once). `path` is relative to the files folder (`ab/ab12….pdf`), None when the file is
    not on this device (never downloaded, refused, or pruned); `text_status` says whether its text could be
    read (`ogptui.extract` statuses), None when it was never downloaded. The text itself is kept per page by
    `sha256` (`attachment_pages`)."""

    url: str = spec(N_("Link"), default=REQUIRED)
    sha256: str | None = spec(N_("SHA-256"), cap=64)
    size: int | None = spec(N_("Size"), type=INT)
    content_type: str | None = spec(N_("Content type"), cap=200)  # from the bytes, not the server's word
    path: str | None = spec(N_("Local file"), cap=200)
    text_status: str | None = spec(N_("Text"), cap=20)
    text_error: str | None = spec(N_("Text problem"), cap=300)
    page_count: int | None = spec(N_("Pages"), type=INT)
    fetched_at: str | None = spec(N_("Fetched"))
    error: str | None = spec(N_("Problem"), cap=500)  # why the last download was refused (too large, not a PDF…)


@dataclass
class DocumentFile:
    """One attachment as a reader sees it: the link, and what this device holds of it (the `--json` shape)."""

    url: str
    name: str
    size: int | None = None
    sha256: str | None = None
    path: str | None = None  # absolute path of the local file, when it is on this device
    content_type: str | None = None
    text_status: str | None = None  # None: not downloaded
    text_error: str | None = None
    page_count: int | None = None
    error: str | None = None

    @property
    def on_device(self) -> bool:
        return self.path is not None

    def to_dict(self) -> dict[str, Any]:
        keys = ("url", "name", "size", "sha256", "path", "content_type", "text_status")
        return {k: getattr(self, k) for k in keys}


@dataclass
class Document:
    """A stored document with what the store knows around it (`Store.get_document`): the page record, its
    attachments with their local files, the members listing it, and when it was fetched and checked."""

    page: DocumentPage
    attachments: list[DocumentFile] = field(default_factory=list)
    members: list[str] = field(default_factory=list)  # slugs of the members whose resources link it
    source_url: str | None = None  # where it was fetched
    checked_at: str | None = None  # last time the site was asked (a 304 counts)
    kind: str = "document"

    @property
    def slug(self) -> str:
        return self.page.slug or ""

    @property
    def title(self) -> str | None:
        return self.page.title

    def to_dict(self) -> dict[str, Any]:
        """The `ogptui document DOC --json` contract."""
        p = self.page
        return {
            "kind": "document",
            "slug": p.slug,
            "url": p.url,
            "title": p.title,
            "summary": p.summary,
            "at_a_glance": dict(p.at_a_glance),
            "sections": [{"heading": s.heading, "text": s.text} for s in p.sections],
            "attachments": [a.to_dict() for a in self.attachments],
            "members": list(self.members),
            "fetched_at": p.fetched_at,
            "source_url": self.source_url,
            "warnings": list(p.warnings),
        }

# ---- the user's own layer (user.db): notes and bookmarks ------------------------------------------
NOTE_CAP = 50_000  # characters of one note (a few pages of text); longer text is cut at the cap
TARGET_KINDS = ("member", "commitment", "document", "contact")


@dataclass
class Note:
    """The user's note on a target, keyed by a stable identifier (`ogptui.notes` builds the keys):
    `peru`, `peru/PE0084`, `doc:<document slug or URL>`, `contact:<email>` or `contact:<slug>/<name>`.

    `copy` 0 is the note of its target; 1, 2, ... are conflict copies kept beside it (an import or a
    concurrent save whose text differed: never overwritten silently). `rev` counts saves, so a save can
    tell that the note changed since it was read.
    """

    target: str = spec(N_("Target"), default=REQUIRED, cap=2_000)
    kind: str = spec(N_("Kind"), default="member")  # one of TARGET_KINDS
    member_slug: str | None = spec(N_("Member"))
    title: str | None = spec(N_("Title"), cap=400)  # what the target was called when the note was saved
    text: str = spec(N_("Note"), default="", multiline=True, cap=NOTE_CAP)
    created_at: str | None = spec(N_("Created"))
    updated_at: str | None = spec(N_("Updated"))
    rev: int = spec(N_("Revision"), type=INT, default=1)
    copy: int = spec(N_("Conflict copy"), type=INT, default=0)
    origin: str | None = spec(N_("Origin"), cap=400)  # where a conflict copy came from
    id: int | None = spec(N_("Row"), type=INT, stored=False)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("id", None)
        return d


@dataclass
class Bookmark:
    """A bookmark on a target (same keys as `Note`)."""

    target: str = spec(N_("Target"), default=REQUIRED, cap=2_000)
    kind: str = spec(N_("Kind"), default="member")
    member_slug: str | None = spec(N_("Member"))
    title: str | None = spec(N_("Title"), cap=400)
    url: str | None = spec(N_("Link"))
    created_at: str | None = spec(N_("Created"))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


Record = Member | CommitmentPage | DocumentPage | DirectoryPage


# ---- what the declarations give ------------------------------------------------------------------
def own_fields(cls: type, base: type) -> tuple[Field[Any], ...]:
    """Fields `cls` declares itself, not those it inherits from `base`."""
    inherited = {f.name for f in fields(base)}
    return tuple(f for f in fields(cls) if f.name not in inherited)


def display_labels(cls: Any, names: tuple[str, ...] | None = None) -> tuple[tuple[str, str], ...]:
    """(label, field name) pairs, in declaration order (or the order of `names`)."""
    by_name = {f.name: f for f in fields(cls)}
    chosen = names if names is not None else tuple(by_name)
    return tuple((by_name[n].metadata["label"], n) for n in chosen if by_name[n].metadata.get("label"))


def page_labels(cls: Any) -> dict[str, dict[str, tuple[str, ...]]]:
    """{field: {language: labels}} of the fields a page shows as `Label: value` (the parser's table)."""
    return {f.name: f.metadata["page"] for f in fields(cls) if f.metadata.get("page")}


# Fields of a commitment that only its own page (not the member page) provides, in page order.
COMMITMENT_DETAIL_FIELDS = tuple(f.name for f in fields(CommitmentDetails))
# Fields of a commitment that the member page's list provides.
COMMITMENT_LIST_FIELDS = tuple(f.name for f in own_fields(Commitment, CommitmentDetails))
# How people read the `Label: value` fields of a commitment page (CLI report, brief, TUI detail).
COMMITMENT_DETAIL_LABELS = display_labels(CommitmentDetails, tuple(page_labels(CommitmentDetails)))
# The labels of those fields on the page, per language (the parser's table).
COMMITMENT_PAGE_LABELS = page_labels(CommitmentDetails)


def _plain(v: Any) -> Any:
    if is_dataclass(v) and not isinstance(v, type):
        return asdict(v)
    if isinstance(v, list):
        return [asdict(x) if is_dataclass(x) and not isinstance(x, type) else x for x in v]
    return v


def stable_hash(obj: Any) -> str:
    data = json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


# ---- cleaning: every value that enters the store, whatever the door --------------------------------
@dataclass(frozen=True)
class _Cleaner:
    name: str
    kind: str
    multiline: bool
    cap: int
    required: bool


def _cleaner(f: Field[Any]) -> _Cleaner:
    md = f.metadata
    required = f.default is MISSING and f.default_factory is MISSING
    return _Cleaner(
        f.name, md.get("type", TEXT), bool(md.get("multiline")), md.get("cap", SINGLE_LINE_CAP), required
    )


def _text(c: _Cleaner, s: str) -> str:
    if c.multiline:
        return clean_multiline(s, cap=c.cap)
    if len(s) <= c.cap and s.isascii() and s.isprintable() and "  " not in s and s.strip() == s:
        return s  # already clean: the common case, kept cheap (clean_text would give the same)
    return clean_text(s, cap=c.cap)


def _clean_one(c: _Cleaner, value: Any) -> Any:
    """One declared field's value made safe: text cleaned (controls, escapes, caps), numbers checked.

    Values of the wrong type (a bundle can hold anything: SQLite columns are not typed) become None or are
    dropped from their list, never passed on.
    """
    kind = c.kind
    if kind == INT:
        return value if _is_int(value) else None
    if kind == TEXT:
        if value is None:
            return None
        if not isinstance(value, str):
            value = str(value) if _is_int(value) else ""
        text = _text(c, value)
        return text if text or c.required or value == "" else None
    if kind == TEXT_MAP:
        if not isinstance(value, dict):
            return {}
        out: dict[str, str] = {}
        for k, v in value.items():
            if isinstance(k, str) and isinstance(v, str):
                key, text = _text(c, k), _text(c, v)
                if key and text:
                    out.setdefault(key, text)
        return out
    if not isinstance(value, list):
        return []
    if kind == INT_LIST:
        return [v for v in value if _is_int(v)]
    if kind == TEXT_LIST:
        return [t for t in (_text(c, v) for v in value if isinstance(v, str)) if t]
    return [(_text(c, v) or None) if isinstance(v, str) else None for v in value]  # OPT_TEXT_LIST


def _is_int(v: Any) -> TypeGuard[int]:
    return type(v) is int and -(2**63) <= v < 2**63


@functools.cache
def _clean_plan(cls: type) -> tuple[tuple[str, str, _Cleaner | None], ...]:
    """Per record class: (field, "nested" | "table" | "value", cleaner), the stored fields only."""
    plan: list[tuple[str, str, _Cleaner | None]] = []
    for f in fields(cls):
        if not f.metadata.get("stored", True):
            continue
        if f.metadata.get("prefix") is not None:
            plan.append((f.name, "nested", None))
        elif f.metadata.get("table") is not None:
            plan.append((f.name, "table", None))
        else:
            plan.append((f.name, "value", _cleaner(f)))
    return tuple(plan)


_R = TypeVar("_R")


def clean_record(rec: _R) -> _R:
    """Clean every declared value of a record and of the records it holds, in place; returns `rec`."""
    cls: type = type(rec)  # (mypy takes `type[_R]` for unhashable)
    for name, how, cleaner in _clean_plan(cls):
        value = getattr(rec, name)
        if cleaner is not None:  # how == "value"
            setattr(rec, name, _clean_one(cleaner, value))
        elif how == "nested":
            if is_dataclass(value):
                clean_record(value)
        else:
            for item in value:
                clean_record(item)
    return rec


@functools.cache
def _search_plan(cls: type) -> tuple[tuple[str, int, int, tuple[str, ...]], ...]:
    """Per record class: (search column, order, position, attribute path) of every field that feeds one."""
    out: list[tuple[str, int, int, tuple[str, ...]]] = []

    def walk(c: type, path: tuple[str, ...]) -> None:
        for f in fields(c):
            if f.metadata.get("prefix") is not None:
                record = f.default_factory  # a nested record is declared with its class as the factory
                assert isinstance(record, type)
                walk(record, (*path, f.name))
            elif f.metadata.get("table") is None:
                for column, order in f.metadata.get("search", {}).items():
                    out.append((column, order, len(out), (*path, f.name)))

    walk(cls, ())
    return tuple(out)


def search_values(records: tuple[Any, ...]) -> dict[str, Any]:
    """The search-document columns the declared fields of `records` feed (nested records included).

    `title`, `ident`, `year`, `type`, `url`, `place` take the first value found (records in the order given,
    fields by their declared order); `body`, `extra` and `summary` join every value with a space (a list with
    ", ", a map as "label value" pairs).
    """
    found: dict[str, list[tuple[int, int, int, Any]]] = {}
    for r, rec in enumerate(records):
        cls: type = type(rec)
        for column, order, pos, path in _search_plan(cls):
            value = rec
            for attr in path:
                value = getattr(value, attr)
            found.setdefault(column, []).append((r, order, pos, value))
    out: dict[str, Any] = {}
    for column, values in found.items():
        values.sort(key=lambda x: x[:3])
        if column in SEARCH_TEXT:
            parts = [
                ", ".join(x for x in v if isinstance(x, str))
                if isinstance(v, list)
                else " ".join(f"{k} {x}" for k, x in v.items())
                if isinstance(v, dict)
                else v
                for *_, v in values
            ]
            out[column] = " ".join(str(p) for p in parts if p not in (None, "", []))
        else:
            out[column] = next((v for *_, v in values if v not in (None, "")), None)
    return out


def commitment_count(listed: int, in_plan: int | None, form: str = "long") -> str:
    """How many commitments, in words that agree everywhere: the number the page lists, or, when it lists
    none but gives the current plan's count (the embedded Peru page: 13, listed 0), "13 (not listed on the
    page)" — never a bare 0 beside a 13. `form`: "long", "short" (a table cell) or "heading" (inside the
    parentheses of a section heading)."""
    if listed == 0 and _is_int(in_plan) and in_plan > 0:  # a count, not whatever a column holds
        return {
            "short": _("{n} (not listed)"),
            "heading": _("{n} in the current plan, not listed on the page"),
        }.get(form, _("{n} (not listed on the page)")).format(n=in_plan)
    return str(listed)


def validate_member(m: Member) -> list[str]:
    """Reasons a parsed member must not be stored (empty list = valid)."""
    problems = []
    if not m.name or not m.name.strip():
        problems.append("the page has no member name")
    if not m.slug or not m.slug.strip():
        problems.append("the member has no slug")
    elif why := slug_problem(m.slug):
        problems.append(f"the member slug {m.slug!r} is not one the site could have: {why}")
    if len(m.name or "") > 200:
        problems.append("the member name is implausibly long")
    return problems
