"""Mapping between records and table rows (both directions), search documents, and the change list between
two members. Every mapping is derived from the record declarations in `ogptui/model.py`: a field's value type
says how it is stored (lists as JSON text), a nested record's `prefix` names its columns (`plan_years`), a list
of records lives in its `table`, and a field's `search` metadata says which search-document column it feeds.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import MISSING, Field, dataclass, fields
from typing import Any, TypeVar, get_args, get_type_hints

from ogptui.model import (
    JSON_TYPES,
    TEXT_MAP,
    AttachmentFile,
    Commitment,
    CommitmentDetails,
    CommitmentPage,
    DocumentAttachment,
    DocumentPage,
    DocumentSection,
    Member,
    own_fields,
    search_values,
)

# Member fields kept in child tables, and the record class of each table's rows.
CHILD_FIELDS = {f.metadata["table"]: f.name for f in fields(Member) if f.metadata.get("table")}
CHILD_TABLES = tuple(CHILD_FIELDS)
_LIST_OWN = own_fields(Commitment, CommitmentDetails)  # the commitments table: the member page's list fields


def _j(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False)


def _unj(v: str | None, default: Any) -> Any:
    if v is None:
        return default
    try:
        return json.loads(v)
    except (ValueError, TypeError, RecursionError):
        return default


_R = TypeVar("_R")


@functools.cache
def _row_fields(cls: Any) -> tuple[Field[Any], ...]:
    if cls is Commitment:
        return _LIST_OWN
    return tuple(f for f in fields(cls) if f.metadata.get("stored", True) and not f.metadata.get("table"))


@functools.cache
def _columns(cls: Any, prefix: str = "") -> tuple[tuple[str, str, Any, Any], ...]:
    """Per record class: (field, column, how, extra): how is "json" (a list), "nested" (extra = its class,
    column = its prefix), or "plain" (extra = the default that stands for NULL, e.g. a member's level)."""
    out: list[tuple[str, str, str, Any]] = []
    for f in _row_fields(cls):
        nested = f.metadata.get("prefix")
        if nested is not None:
            out.append((f.name, prefix + nested, "nested", f.default_factory))
        elif f.metadata.get("type") in JSON_TYPES:
            out.append((f.name, prefix + f.name, "json", {} if f.metadata["type"] == TEXT_MAP else []))
        else:
            fill = f.default if f.default is not MISSING else None
            out.append((f.name, prefix + f.name, "plain", fill))
    return tuple(out)


def to_row(rec: object, prefix: str = "") -> dict[str, Any]:
    """The columns of one record (a nested record's columns carry its prefix; lists become JSON text)."""
    row: dict[str, Any] = {}
    cls: type = type(rec)  # (mypy takes `type[object]` for unhashable)
    for name, column, how, _ in _columns(cls, prefix):
        value = getattr(rec, name)
        if how == "nested":
            row.update(to_row(value, column))
        elif how == "json":
            row[column] = _j(value)
        else:
            row[column] = value
    return row


def from_row(
    cls: type[_R], row: Mapping[str, Any], prefix: str = "", *, extra: Mapping[str, Any] | None = None
) -> _R:
    """A record from its columns (missing columns give the field's default); the inverse of `to_row`."""
    kwargs: dict[str, Any] = {}
    record: type = cls  # (mypy takes `type[_R]` for unhashable)
    for name, column, how, more in _columns(record, prefix):
        if how == "nested":
            kwargs[name] = from_row(more, row, column)
            continue
        if column not in row:
            continue
        value = row[column]
        if how == "json":
            empty = more
            value = _unj(value, type(empty)())
            if not isinstance(value, type(empty)):
                value = type(empty)()
        elif value is None and more is not None:
            value = more  # e.g. a member's level: "national" when not stored
        kwargs[name] = value
    kwargs.update(extra or {})
    return cls(**kwargs)


def member_row(
    m: Member, *, embedded: bool = False, captured_at: str | None = None, record_hash: str | None = None
) -> dict[str, Any]:
    return {
        **to_row(m),
        "record_hash": record_hash or m.record_hash(),
        "embedded": 1 if embedded else 0,
        "captured_at": captured_at,
        "gone_at": None,
    }


def child_rows(m: Member) -> dict[str, list[dict[str, Any]]]:
    s = m.slug
    return {
        table: [{"member_slug": s, "position": i, **to_row(x)} for i, x in enumerate(getattr(m, name))]
        for table, name in CHILD_FIELDS.items()
    }


def detail_row(page: CommitmentPage, member_slug: str | None) -> dict[str, Any]:
    row = {**to_row(page), "member_slug": member_slug}
    row["id"] = page.id.upper()
    return row


def detail_record(row: Mapping[str, Any]) -> CommitmentPage:
    """A stored commitment_details row as the page record it came from."""
    return from_row(CommitmentPage, row)


def apply_detail(c: Commitment, row: Mapping[str, Any]) -> None:
    """Give a member's commitment the details of its own page (a commitment_details row)."""
    page = detail_record(row)
    for f in fields(CommitmentDetails):
        setattr(c, f.name, getattr(page, f.name))


def member_from_rows(row: Mapping[str, Any], children: Mapping[str, Sequence[Mapping[str, Any]]]) -> Member:
    kids = {
        name: [from_row(_CHILD_CLASSES[name], r) for r in children.get(table, [])]
        for table, name in CHILD_FIELDS.items()
    }
    return from_row(Member, row, extra=kids)


# The record class of each child table's rows: `list[Contact]` → Contact.
_CHILD_CLASSES = {name: get_args(get_type_hints(Member)[name])[0] for name in CHILD_FIELDS.values()}


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

    def keyed(items: list[Any], key: Callable[[Any], str]) -> dict[str, Any]:
        return {key(x): x for x in items}

    pairs: list[tuple[str, list[Any], list[Any], Callable[[Any], str]]] = [
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


def commitment_search_row(slug: str, c: Commitment, detail: Mapping[str, Any] | None) -> dict[str, Any]:
    """The `search_docs` row of one commitment: list fields from the member page, text from its own page."""
    own = Commitment(c.id, c.title, c.year, c.policy_area, c.url)  # the member page's list fields only
    records: tuple[Any, ...] = (own, detail_record(detail)) if detail else (own,)
    return _search_row("commitment", slug, c.id, records)


def _search_row(
    kind: str, slug: str, ref: str, records: tuple[Any, ...], **fixed: Any
) -> dict[str, Any]:
    """One `search_docs` row from the declared search fields of `records`; `fixed` columns (a title made
    of several fields, a word that names the kind) are set as given."""
    v = search_values(records)
    row = {
        "kind": kind,
        "member_slug": slug,
        "ref": ref,
        "title": v.get("title") or "",
        "ident": v.get("ident"),
        "body": v.get("body", ""),
        "extra": v.get("extra", ""),
        "year": v.get("year"),
        "type": v.get("type"),
        "url": v.get("url"),
        "summary": v.get("summary", ""),
        "place": v.get("place"),
    }
    row.update(fixed)
    return row


# The kinds of search documents a member gives, in the order results are grouped. What each holds comes
# from its record's declared `search` fields; the kind's own words (`extra`) let a search name the pane.
SEARCH_KINDS = ("member", "commitment", "resource", "contact", "post", "global_report", "participation",
                "benchmark")  # fmt: skip


def search_rows(m: Member, details: Mapping[str, Mapping[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Rows of `search_docs` for one member: itself, its commitments (with their page details, keyed by
    upper-case commitment ID), resources, contacts, recent posts, Global Report areas, public participation
    (levels that are known) and benchmarks: everything its tabs show. The FTS index follows by triggers."""
    s = m.slug
    details = details or {}
    rows = [_search_row("member", s, s, (m,))]
    rows += [commitment_search_row(s, c, details.get(c.id.upper())) for c in m.commitments]
    rows += [_search_row("resource", s, str(i), (r,)) for i, r in enumerate(m.resources)]
    rows += [_search_row("contact", s, str(i), (c,)) for i, c in enumerate(m.contacts)]
    rows += [_search_row("post", s, str(i), (p,), extra="recent post") for i, p in enumerate(m.posts)]
    rows += [
        _search_row("global_report", s, str(i), (g,), extra="OGP Global Report action implications")
        for i, g in enumerate(m.global_report)
    ]
    rows += [
        _search_row("participation", s, str(i), (p,),
                    title=f"Public participation, Action Plan {p.action_plan} ({p.phase})",
                    extra="public participation level of public influence")  # fmt: skip
        for i, p in enumerate(m.participation)
        if p.level
    ]
    rows += [
        _search_row("benchmark", s, str(i), (b,), title=f"{(b.scope or '').capitalize()} benchmark: {b.label}",
                    extra="commitment performance starred metrics " + ", ".join(map(str, b.raw)))  # fmt: skip
        for i, b in enumerate(m.benchmarks)
    ]
    return rows


# ---- documents ----------------------------------------------------------------------------------------
DOCUMENT_TABLES = ("document_sections", "document_attachments")


def document_row(page: DocumentPage, *, source_url: str | None, record_hash: str) -> dict[str, Any]:
    return {**to_row(page), "source_url": source_url, "record_hash": record_hash}


def document_child_rows(page: DocumentPage) -> dict[str, list[dict[str, Any]]]:
    s = page.slug
    return {
        "document_sections": [
            {"document_slug": s, "position": i, **to_row(x)} for i, x in enumerate(page.sections)
        ],
        "document_attachments": [
            {"document_slug": s, "position": i, **to_row(x)} for i, x in enumerate(page.attachments)
        ],
    }


def document_from_rows(
    row: Mapping[str, Any], sections: Sequence[Mapping[str, Any]], attachments: Sequence[Mapping[str, Any]]
) -> DocumentPage:
    return from_row(
        DocumentPage,
        row,
        extra={
            "sections": [from_row(DocumentSection, r) for r in sections],
            "attachments": [from_row(DocumentAttachment, r) for r in attachments],
        },
    )


def attachment_row(f: AttachmentFile) -> dict[str, Any]:
    return to_row(f)


def attachment_from_row(row: Mapping[str, Any]) -> AttachmentFile:
    return from_row(AttachmentFile, row)


PLACE_JOIN = "\n\n"  # between the sections (or pages) of a document's search body


def _with_places(parts: list[tuple[str, str]]) -> tuple[str, str]:
    """(body, place) for text parts [(where, text)]: the texts joined, and `place` as JSON
    [[offset, where], ...] so a hit's offset in the body tells where it is (`ogptui.search`)."""
    body, places, at = [], [], 0
    for where, text in parts:
        if not text:
            continue
        places.append([at, where])
        body.append(text)
        at += len(text) + len(PLACE_JOIN)
    return PLACE_JOIN.join(body), _j(places)


def document_search_rows(
    page: DocumentPage,
    member_slug: str,
    *,
    year: int | None,
    type: str | None,
    files: Mapping[str, tuple[str, list[str]]] | None = None,
) -> list[dict[str, Any]]:
    """Rows of `search_docs` for one document, all of kind `document` with `ref` = its slug: one for the page
    (title, summary, At a glance and headings in `extra`, the sections in `body`), one per attachment with
    text (its pages in `body`). `place` maps offsets in `body` to a section heading or "PDF page 4".
    `files` maps an attachment URL to (its kind word, e.g. "PDF", its pages). `year` and `type` (of the
    resource that links it) make the `--year`/`--type` filters apply.

    One row per document rather than per section: a common word then lists each document once in the index,
    which keeps broad queries fast with thousands of long documents (bench/documents_bench.py)."""
    s = page.slug or ""

    def row(records: tuple[Any, ...], **over: Any) -> dict[str, Any]:
        r = _search_row("document", member_slug, s, records)
        r.update(year=year, type=type, **over)
        if r["url"] is None:
            r["url"] = page.url
        return r

    headings = " ".join(sec.heading for sec in page.sections if sec.heading)
    body, place = _with_places([(sec.heading or "Introduction", sec.text) for sec in page.sections])
    head = row((page,), body=body, place=place)
    head["extra"] = " ".join(x for x in (head["extra"], headings) if x)
    rows = [head]
    for att in page.attachments:
        kind, pages = (files or {}).get(att.url, ("", []))
        parts = [
            (f"{kind} page {n}" if kind else f"{att.name or 'file'}, page {n}", t)
            for n, t in enumerate(pages, 1)
        ]
        body, place = _with_places(parts)
        if body:
            rows.append(row((), title="", body=body, url=att.url, place=place))
    return rows
