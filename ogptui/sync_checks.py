"""Is this the page sync asked for, and is it already done? (Used by `ogptui.sync`.)

- `parse_member` / `parse_commitment`: parse a fetched page and refuse it unless its own identity (the
  member slug of its canonical link or og:url; the commitment ID in its title or canonical link) is the one
  requested, so another page is never stored under the requested key.
- `moved_member` / `moved_commitment`: where a same-site redirect landed, when that is another member or
  commitment (renamed or merged).
- `parse_document` / `moved_document`: the same for a document page (its slug in the canonical link or in
  where a redirect landed).
- `done_since`: whether an interrupted run already finished a URL (times compared parsed, to the
  millisecond; older rows hold whole seconds).
- `due` / `max_age_limit`: whether a commitment or document page (or file) must be checked in this run:
  never checked, failed or not found last time, its member page changed since its last check, or its last
  check older than its max-age (the `max_age_days` setting, shortened by up to a quarter per URL so pages
  fetched on one day fall due over several).
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from ogptui.model import CommitmentPage, DocumentPage, Member, PageRejected
from ogptui.source import FetchResult
from ogptui.store import utcnow_ms
from ogptui.timefmt import parse_iso


def parse_member(res: FetchResult, url: str, slug: str) -> Member:
    """The member record of a fetched page, refused unless it is the member asked for."""
    from ogptui.parse import parse_page
    from ogptui.parse.identity import page_identity

    # to the millisecond: pages checked after it are told apart from pages checked before it (`due`)
    rec = parse_page(res.text or "", url=res.final_url or url, kind="member", fetched_at=utcnow_ms())
    if not isinstance(rec, Member):
        raise PageRejected("the page is not a member page")
    ident = page_identity(res.text or "")
    if ident.member and ident.commitment is None and ident.member != slug:
        raise PageRejected(f"the page says it is member '{ident.member}' (its canonical link), not '{slug}'")
    rec.slug = slug
    rec.source_url = url
    return rec


def parse_commitment(res: FetchResult, url: str, cid: str) -> CommitmentPage:
    """The commitment page of a fetched page, refused unless its ID (title, canonical link) is `cid`."""
    from ogptui.parse import parse_page
    from ogptui.parse.identity import page_identity

    want = cid.upper()
    page = parse_page(res.text or "", url=res.final_url or url, kind="commitment", fetched_at=utcnow_ms())
    if not isinstance(page, CommitmentPage):
        raise PageRejected("the page is not a commitment page")
    ident = page_identity(res.text or "")
    for said, where in ((page.id, "its title"), (ident.commitment, "its canonical link")):
        if said and said.upper() != want:
            raise PageRejected(f"the page says it is commitment {said.upper()} ({where}), not {want}")
    page.id = want
    page.url = url
    return page


def parse_document(res: FetchResult, url: str, slug: str) -> DocumentPage:
    """The document record of a fetched page, refused unless it is the document asked for (canonical link)."""
    from ogptui.parse import parse_page
    from ogptui.parse.identity import page_identity

    page = parse_page(res.text or "", url=res.final_url or url, kind="document", fetched_at=utcnow_ms())
    if not isinstance(page, DocumentPage):
        raise PageRejected("the page is not a document page")
    ident = page_identity(res.text or "")
    if ident.url and ident.document != slug:
        said = f"document '{ident.document}'" if ident.document else "another page"
        raise PageRejected(f"the page says it is {said} (its canonical link), not '{slug}'")
    page.slug = slug
    page.url = url
    return page


def moved_document(slug: str, final_url: str) -> str | None:
    """The document (or other page) a redirect landed on, when it is not the one asked for."""
    from ogptui.urls import document_slug

    other = document_slug(final_url)
    if other == slug:
        return None
    if other:
        return other
    from ogptui.parse.common import url_path

    return url_path(final_url) or final_url


def moved_member(slug: str, final_url: str) -> str | None:
    """The member a redirect landed on, when it is another one (renamed or merged)."""
    from ogptui.parse.common import commitment_id_from_url, member_slug_from_url

    other = member_slug_from_url(final_url)
    if other and other != slug and commitment_id_from_url(final_url) is None:
        return other
    return None


def moved_commitment(cid: str, final_url: str) -> str | None:
    """The commitment a redirect landed on, when it is another one."""
    from ogptui.parse.common import commitment_id_from_url

    other = commitment_id_from_url(final_url)
    return other if other and other != cid.upper() else None


def done_since(state: dict[str, Any] | None, since: str) -> bool:
    """Checked without error at or after `since` (times compared parsed: old rows hold whole seconds)."""
    if not state or state.get("last_error"):
        return False
    checked, start = parse_iso(state.get("checked_at")), parse_iso(since)
    return bool(checked and start and checked >= start)


MAX_AGE_JITTER = 0.25  # a URL's max-age is max_age_days × (1 − up to this fraction), fixed per URL


def max_age_limit(url: str, max_age_days: float) -> timedelta:
    """How old a URL's last check may be before it is due again: `max_age_days` shortened by a fraction in
    [0, MAX_AGE_JITTER) fixed by the URL (a hash, so every run agrees and the limit never flickers)."""
    h = int.from_bytes(hashlib.blake2b(url.encode("utf-8"), digest_size=8).digest(), "big") / 2**64
    return timedelta(days=max_age_days) * (1 - MAX_AGE_JITTER * h)


def due(
    state: dict[str, Any] | None,
    *,
    url: str,
    changed_at: str | None,
    now: datetime,
    max_age_days: float,
) -> bool:
    """Must this page be checked now? Yes when it was never checked, failed or was not found last time, its
    member page changed after its last check (`changed_at`: when the member's record last changed; a
    whole-second time counts as the end of its second, so a check in the same second is re-done once), or
    its last check is at least `max_age_limit` old. `max_age_days` 0 checks every page every time."""
    if max_age_days <= 0 or not state:
        return True
    if state.get("last_error") or state.get("failures") or (state.get("not_found") and not state.get("gone_at")):
        return True
    checked = parse_iso(state.get("checked_at"))
    if checked is None:
        return True
    changed = parse_iso(changed_at)
    if changed is not None and changed_at and "." not in changed_at:
        changed += timedelta(seconds=1)  # a whole-second time: the change may have come late in that second
    if changed is not None and checked < changed:
        return True
    return now - checked >= max_age_limit(url, max_age_days)
