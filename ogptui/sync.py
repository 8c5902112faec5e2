"""Sync: plan what is due, fetch politely, parse, check identity, store only what changed, report.

Used by `ogptui sync` and by the TUI's background worker (same API, same progress events).
No Textual here. The store is used from the thread running the event loop only.

A run is a bounded pool of workers (as many as the source's concurrency) pulling jobs from one queue:
member pages first in the order asked, and each member's commitment pages as soon as the member is done
(before the next members), in an `asyncio.TaskGroup`, so one failure (offline, a full disk) or a
cancellation stops every worker. Every run is bounded: each request by the source's time limits, the whole
run by `run_deadline`. However a run ends (done, offline, Ctrl-C, deadline, cancelled, killed), what it
stored is kept and the next run with the same target resumes after it.

Member pages are checked on every run; a member's commitment and document pages (and files) only when due
(`sync_checks.due`: the member page changed, their last check failed, or it is older than `max_age_days`),
or all of them with `full` (`ogptui sync --full`). Unchanged pages (304s) and changed commitment pages are
written in batches (`CHECKED_BATCH`, `WRITE_BATCH`, `CHECKED_SECONDS`), each batch one transaction.

(Over 400 lines on purpose: planning, the worker pool and how a run ends are one idea and read best
together; the checks of a fetched page live in `sync_checks.py`.)
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

from ogptui import config
from ogptui.clean import clean_text
from ogptui.i18n import LANGUAGE_WORDS, content_language
from ogptui.model import DirectoryPage, PageRejected
from ogptui.seed import open_store
from ogptui.source import FetchError, FetchResult, Source, same_site
from ogptui.store import Store, utcnow, utcnow_ms
from ogptui.sync_checks import done_since as _done_since
from ogptui.sync_checks import due as _due
from ogptui.sync_checks import moved_commitment as _moved_commitment
from ogptui.sync_checks import moved_member as _moved_member
from ogptui.sync_checks import parse_commitment as _parse_commitment
from ogptui.sync_checks import parse_member as _parse_member
from ogptui.sync_documents import DOCUMENT_MODES, DocumentSync
from ogptui.units import human_size

DIRECTORY_PATH = "/local/participants"
# Outcomes of runs that stopped before the end: the next run with the same target resumes after them
# ("running" is a run that was killed).
RESUMABLE_OUTCOMES = frozenset({"running", "offline", "cancelled", "interrupted", "deadline"})


@dataclass
class SyncEvent:
    kind: str  # start | fetch | member_done | member_failed | offline | done
    done: int
    total: int
    slug: str | None = None
    message: str = ""


@dataclass
class SyncSummary:
    outcome: str = "ok"  # ok | partial | failed | offline | cancelled | interrupted | deadline
    members: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)
    moved: list[tuple[str, str]] = field(default_factory=list)  # (member slug or "slug ID", moved to)
    language: str = "en"  # the language of the pages asked for (setting content_language)
    untranslated: list[str] = field(default_factory=list)  # members with no page in `language`: English kept
    skipped: int = 0  # already done by an interrupted run this one resumed
    commitments_updated: int = 0
    commitments_failed: int = 0
    documents_updated: int = 0
    documents_failed: int = 0
    files_updated: int = 0  # attachments downloaded and stored (new or changed)
    files_failed: int = 0  # attachments refused (too large, not what the link promised, over the budget…)
    files_bytes: int = 0
    files_pruned: int = 0  # files of unwatched members given up to stay within the files budget
    not_due: int = 0  # commitment/document pages and files not checked: checked within max_age_days
    requests: int = 0
    conditional: int = 0
    not_modified: int = 0
    retries: int = 0
    replaced_chars: int = 0
    nbytes: int = 0
    written: int = 0
    seconds: float = 0.0
    changes: list[str] = field(default_factory=list)
    run_id: int | None = None
    source: str = ""
    message: str = ""  # the offline / interruption / failure sentence

    def text(self) -> str:
        stopped = ("offline", "cancelled", "interrupted", "deadline")
        if self.outcome in stopped or (self.outcome == "failed" and self.message):
            return self.message
        s = (
            f"{self.members} member{'s' if self.members != 1 else ''}: {self.updated} updated, "
            f"{self.unchanged} unchanged, {len(self.failed)} failed; {self.requests} requests, "
            f"{self.not_modified} not modified, {human_size(self.nbytes)}, {self.seconds:.1f} s"
        )
        if self.skipped:
            s += f" (resumed: {self.skipped} already done)"
        if self.commitments_updated:
            s += f"; {self.commitments_updated} commitment pages updated"
        if self.commitments_failed:
            s += f"; {self.commitments_failed} commitment pages failed"
        if self.documents_updated:
            s += f"; {self.documents_updated} document page{'s' if self.documents_updated != 1 else ''} updated"
        if self.documents_failed:
            s += f"; {self.documents_failed} document page{'s' if self.documents_failed != 1 else ''} failed"
        if self.files_updated:
            n = self.files_updated
            s += f"; {n} file{'s' if n != 1 else ''} downloaded ({human_size(self.files_bytes)})"
        if self.files_failed:
            s += f"; {self.files_failed} file{'s' if self.files_failed != 1 else ''} not kept"
        if self.files_pruned:
            n = self.files_pruned
            s += f"; {n} older file{'s' if n != 1 else ''} of unwatched members removed (files budget)"
        if self.not_due:
            s += f"; {self.not_due} pages checked recently not re-checked (`ogptui sync --full` checks them)"
        if self.untranslated:
            name = LANGUAGE_WORDS.get(self.language, self.language)
            s += f"; not published in {name} (the English page was synced): " + ", ".join(self.untranslated)
        if self.moved:
            s += "; moved on the site: " + ", ".join(f"{a} → {b}" for a, b in self.moved)
        if self.retries:
            s += f"; {self.retries} retries"
        if self.replaced_chars:
            s += f"; {self.replaced_chars} invalid characters replaced"
        return s

    def stored(self) -> str:
        """What this run stored, in words ("3 members and 12 commitment pages updated")."""
        parts = [f"{self.updated} member{'s' if self.updated != 1 else ''}"]
        if self.commitments_updated:
            c = self.commitments_updated
            parts.append(f"{c} commitment page{'s' if c != 1 else ''}")
        if self.documents_updated:
            d = self.documents_updated
            parts.append(f"{d} document page{'s' if d != 1 else ''}")
        if self.files_updated:
            f = self.files_updated
            parts.append(f"{f} file{'s' if f != 1 else ''}")
        m = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]
        return f"{m} updated"


class Offline(Exception):
    pass


class Cancelled(Exception):
    pass


@dataclass
class _Plan:
    slugs: list[str]
    target: str
    resume_since: str | None  # URLs checked successfully after this time are already done
    named: bool = False  # the members were named (not the watchlist, --all or every cached member)
    documents: list[tuple[str, str]] = field(default_factory=list)  # (document slug, member slug) only


_MEMBER, _COMMITMENT, _STOP = 1, 0, 9  # queue priorities: a member's commitments before the next member
# 304s and changed commitment pages are written in batches: one transaction per CHECKED_BATCH 304s, per
# WRITE_BATCH pages or per CHECKED_SECONDS, whichever comes first (a killed run loses at most that much:
# those URLs are fetched again next time). A member page is written at once (its commitments follow it).
CHECKED_BATCH = 500
WRITE_BATCH = 100
CHECKED_SECONDS = 1.0
Job = tuple[Any, ...]  # ("member", slug) or ("commitment", slug, commitment ID, URL or None)


class Syncer(DocumentSync):
    def __init__(
        self,
        store: Store,
        source: Source,
        *,
        on_event: Callable[[SyncEvent], None] | None = None,
        validators: bool = True,
        cancel: threading.Event | None = None,
        deadline: float | None = None,
        documents_for: Callable[[str], str] | None = None,
        max_file_mb: int = 50,
        files_budget_mb: int = 2000,
        watched: set[str] | None = None,
        full: bool = False,
        max_age_days: float = 0,
        language: str = "en",
    ):
        self._init_documents(
            documents_for, max_file_mb=max_file_mb, files_budget_mb=files_budget_mb, watched=watched
        )
        self.cancel = cancel
        self.deadline = deadline if deadline and deadline > 0 else None
        self.answered = False  # did the server answer anything at all in this run?
        self.unreachable: str | None = None  # the last could-not-connect message
        self.store = store
        self.source = source
        self.on_event = on_event or (lambda e: None)
        self.validators = validators
        self.language = language  # of the pages fetched: `/es/…`, `/fr/…` ("en": the site's own paths)
        self.summary = SyncSummary(source=source.base_url, language=language)
        self.run_id: int | None = None
        self.done = 0
        self.total = 0
        self._queue: asyncio.PriorityQueue[tuple[int, int, Job | None]] | None = None
        self._seq = itertools.count()
        self.full = full  # check every page (`sync --full`), not only those due
        self.max_age_days = max_age_days
        self._now = datetime.now(UTC)
        self._checked: dict[str, dict[str, Any]] = {}  # 304s not yet written (see CHECKED_BATCH)
        self._pages: list[tuple[Any, str, dict[str, Any]]] = []  # commitment pages not yet written
        self._checked_flush_at = time.monotonic() + CHECKED_SECONDS

    # ---- bookkeeping of unchanged pages ---------------------------------------------------------
    def _not_modified(self, url: str, res: FetchResult, state: dict[str, Any] | None) -> None:
        """Record a 304 in the next batch (written by `_flush_checked`)."""
        row = self._http_ok(res, state)
        row["url"] = url
        self._checked[url] = row
        self._maybe_flush()

    def _write_later(self, page: Any, slug: str, http: dict[str, Any]) -> None:
        """Write a fetched commitment page (with its http_state row) in the next batch."""
        self._pages.append((page, slug, http))
        self._maybe_flush()

    def _maybe_flush(self) -> None:
        if (
            len(self._checked) >= CHECKED_BATCH
            or len(self._pages) >= WRITE_BATCH
            or time.monotonic() >= self._checked_flush_at
        ):
            self._flush_checked()

    def _flush_safely(self) -> None:
        """The last batch of a run that is ending (done, stopped, offline, interrupted); a failure here
        (e.g. a full disk) only means those pages are fetched again next time."""
        try:
            self._flush_checked()
        except Exception as e:
            if self.summary.outcome == "ok":
                self.summary.outcome = "failed"
                self.summary.message = f"the sync stopped: {e}"

    def _flush_checked(self) -> None:
        """Write the waiting 304s and commitment pages in one transaction."""
        rows, self._checked = list(self._checked.values()), {}
        pages, self._pages = self._pages, []
        self._checked_flush_at = time.monotonic() + CHECKED_SECONDS
        if not rows and not pages:
            return
        with self.store.transaction():
            self.store.note_checked(rows)
            results = [
                self.store.write_commitment(page, slug, http=http, run_id=self.run_id) for page, slug, http in pages
            ]
        for result in results:
            if result.written:
                self.summary.commitments_updated += 1
                self.summary.written += result.rows

    def _due_urls(self, urls: list[str], changed_at: str | None, changed: bool = False) -> list[str]:
        """Those of `urls` to check in this run (all with `--full`, or when `changed`: their member page
        changed in this run); counts the others in `not_due`."""
        if self.full or changed or self.max_age_days <= 0 or not urls:
            return urls
        states = self.store.http_states(urls)
        out = [
            u
            for u in urls
            if _due(states.get(u), url=u, changed_at=changed_at, now=self._now, max_age_days=self.max_age_days)
        ]
        self.summary.not_due += len(urls) - len(out)
        return out

    def _member_finished(self, kind: str, slug: str, message: str) -> None:
        self.done += 1
        self._emit(kind, slug, message)

    def _emit(self, kind: str, slug: str | None = None, message: str = "") -> None:
        try:
            self.on_event(SyncEvent(kind, self.done, self.total, slug, message))
        except Exception:  # a broken listener must not break the sync
            pass

    def url(self, path: str) -> str:
        return urljoin(self.source.base_url.rstrip("/") + "/", path.lstrip("/"))

    async def _get(self, url: str) -> tuple[FetchResult, dict[str, Any] | None]:
        state = self.store.http_state(url)
        etag = last_mod = None
        if self.validators and state and state.get("gone_at") is None:
            etag, last_mod = state.get("etag"), state.get("last_modified")
        self._check_cancel()
        try:
            res = await self.source.fetch(url, etag=etag, last_modified=last_mod)
        except FetchError as e:
            self._answered_with(e)
            raise
        self.answered = True
        return res, state

    def _check_cancel(self) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise Cancelled()

    def _answered_with(self, e: FetchError) -> None:
        """Bookkeeping of a failed request: offline (raises Offline), no answer, or an answer."""
        if self.source.offline:  # this failure (no answer) tipped the source offline
            raise Offline(e.message) from e
        if e.no_answer:
            self.unreachable = e.message
        else:
            self.answered = True

    def _http_ok(self, res: FetchResult, state: dict[str, Any] | None) -> dict[str, Any]:
        """The http_state row after a successful answer (a 304 keeps the validators and fetch time it had)."""
        prev = state or {}
        if res.not_modified:
            etag = res.etag or prev.get("etag")
            last_modified = res.last_modified or prev.get("last_modified")
            fetched_at = prev.get("fetched_at")
        else:
            etag, last_modified, fetched_at = res.etag, res.last_modified, utcnow()
        checked = utcnow_ms()
        return {
            "url": res.url,
            "etag": etag,
            "last_modified": last_modified,
            "status": res.status,
            "fetched_at": fetched_at,
            "checked_at": checked,
            "confirmed_at": checked,  # the stored data matches the site (a failed check confirms nothing)
            "failures": 0,
            "last_error": None,
            "not_found": 0,
            "gone_at": None,
            "moved_to": None,
        }

    def _fail(self, url: str, slug: str | None, reason: str, kind: str) -> None:
        state = self.store.http_state(url) or {}
        self.store.note_http(
            url, kind=kind, member_slug=slug, failures=int(state.get("failures") or 0) + 1, last_error=reason
        )

    def _enqueue(self, priority: int, job: Job | None) -> None:
        assert self._queue is not None
        self._queue.put_nowait((priority, next(self._seq), job))

    def _enqueue_commitments(self, slug: str, changed: bool = False) -> None:
        """Queue a member's commitment pages that are due, then its documents (when the plan gives it
        documents). Due: see `sync_checks.due`; the member's record time says when its page last changed
        (`changed`: it changed in this run)."""
        member = self.store.get_member(slug, self.language)
        if member is None:
            return
        lang = member.language or "en"
        jobs = {self._commitment_url(slug, c.id, c.url, lang): c for c in member.commitments}
        for url in self._due_urls(list(jobs), member.fetched_at, changed):
            c = jobs[url]
            self._enqueue(_COMMITMENT, ("commitment", slug, c.id, c.url))
        self._enqueue_documents(slug, member.resources, member.fetched_at, changed)

    def _commitment_url(self, slug: str, cid: str, href: str | None, lang: str = "en") -> str:
        if href and same_site(href, self.source.base_url):
            return href
        return self.url(f"{_prefix(lang)}/members/{slug}/commitments/{cid}/")

    def _kind(self, slug: str, lang: str) -> str:
        """The http_state kind of a member page in `lang`: "member" for the page of its primary record (or
        of a member not cached yet), "translation" for another language's."""
        primary = self.store.member_language(slug)
        return "member" if primary is None or primary == lang else "translation"

    # ---- one member ---------------------------------------------------------------------------
    async def sync_member(self, slug: str, resume_since: str | None, lang: str | None = None) -> None:
        """Fetch, check and store one member page (in the run's language: when the site has no page in it,
        the English page instead); queue its commitment pages when it is done."""
        lang = lang or self.language
        url = self.url(f"{_prefix(lang)}/members/{slug}/")
        kind = self._kind(slug, lang)
        if resume_since and _done_since(self.store.http_state(url), resume_since):
            self.summary.skipped += 1
            self._member_finished("member_done", slug, f"{slug}: already synced by the interrupted run")
            self._enqueue_commitments(slug)
            return
        self._emit("fetch", slug, f"fetching {slug}")
        try:
            res, state = await self._get(url)
        except FetchError as e:
            self._fail(url, slug, e.message, kind)
            self.summary.failed.append((slug, e.message))
            self._member_finished("member_failed", slug, e.message)
            return
        moved = _moved_member(slug, res.final_url)
        if moved:
            self.store.record_moved(url, kind=kind, member_slug=slug, moved_to=moved)
            self.summary.moved.append((slug, moved))
            self._member_finished(
                "member_done",
                slug,
                f"{slug}: moved to {moved} on the site (renamed or merged); kept as it was",
            )
            return
        if res.status in (404, 410) and lang != "en":  # not published in this language: the English page
            self.store.note_http(url, kind="translation", member_slug=slug, status=res.status, last_error="not published")
            self.summary.untranslated.append(slug)
            await self.sync_member(slug, resume_since, "en")
            return
        if res.status in (404, 410):
            gone = self.store.record_not_found(url, slug, res.status)
            reason = f"page not found ({res.status})" + ("; marked gone" if gone else "; kept (first time)")
            if gone:
                self.summary.gone.append(slug)
            self.summary.failed.append((slug, reason))
            self._member_finished("member_failed", slug, reason)
            return
        if res.not_modified:
            self._not_modified(url, res, state)
            self.summary.unchanged += 1
            self._member_finished("member_done", slug, f"{slug}: not modified")
            self._enqueue_commitments(slug)
            return
        self.summary.replaced_chars += res.replaced_chars
        try:
            rec = _parse_member(res, url, slug)  # parse_page validates the record (once)
        except PageRejected as e:
            reason = f"unusable page: {e.reason}"
            self._fail(url, slug, reason, kind)
            self.summary.failed.append((slug, reason))
            self._member_finished("member_failed", slug, reason)
            return
        if lang != "en" and rec.language != lang:  # e.g. redirected to the English page
            self.summary.untranslated.append(slug)
        result = self.store.write_member(rec, http=self._http_ok(res, state), run_id=self.run_id)
        if result.written:
            self.summary.updated += 1
            self.summary.written += result.rows
            self.summary.changes += [c.summary for c in result.changes]
        else:
            self.summary.unchanged += 1
        self._member_finished(
            "member_done", slug, f"{rec.name}: {'updated' if result.written else 'unchanged'}"
        )
        self._enqueue_commitments(slug, changed=result.written)

    async def sync_commitment(self, slug: str, cid: str, href: str | None, resume_since: str | None) -> None:
        url = self._commitment_url(slug, cid, href)
        if resume_since and _done_since(self.store.http_state(url), resume_since):
            return
        try:
            res, state = await self._get(url)
        except FetchError as e:
            self._fail(url, slug, e.message, "commitment")
            self.summary.commitments_failed += 1
            return
        moved = _moved_commitment(cid, res.final_url)
        if moved:
            self.store.record_moved(url, kind="commitment", member_slug=slug, moved_to=moved)
            self.summary.moved.append((f"{slug} {cid.upper()}", moved))
            return
        if res.status in (404, 410):
            self.store.record_not_found(url, slug, res.status)
            self.summary.commitments_failed += 1
            return
        if res.not_modified:
            self._not_modified(url, res, state)
            return
        self.summary.replaced_chars += res.replaced_chars
        try:
            page = _parse_commitment(res, url, cid)
        except PageRejected as e:
            self._fail(url, slug, f"unusable page: {e.reason}", "commitment")
            self.summary.commitments_failed += 1
            return
        self._write_later(page, slug, self._http_ok(res, state))

    # ---- the run ------------------------------------------------------------------------------
    async def discover(self) -> list[str]:
        """Slugs from the directory page, plus those already cached."""
        from ogptui.parse import parse_page

        slugs = list(self.store.member_slugs())
        url = self.url(DIRECTORY_PATH)
        if self.store.get_meta("directory") is None:  # validators are useless without the list they guard
            self.store.note_http(url, kind="directory", etag=None, last_modified=None)
        try:
            res, state = await self._get(url)
            if res.text and not res.not_modified:
                page = parse_page(res.text, url=res.final_url or url, kind="directory")
                if isinstance(page, DirectoryPage):
                    for e in page.members:
                        if e.slug and e.slug not in slugs:
                            slugs.append(e.slug)
                    # The list first, then the validators: a kill in between only costs a full fetch.
                    self.store.set_meta("directory", json.dumps([e.slug for e in page.members]))
                    http = self._http_ok(res, state)
                    del http["url"]
                    self.store.note_http(url, kind="directory", **http)
            elif res.not_modified:
                for s in json.loads(self.store.get_meta("directory") or "[]"):
                    if s not in slugs:
                        slugs.append(s)
        except (FetchError, PageRejected) as e:
            msg = e.message if isinstance(e, FetchError) else e.reason
            self.summary.failed.append(("(directory)", msg))
        return slugs

    async def _worker(self, resume_since: str | None) -> None:
        assert self._queue is not None
        while True:
            _, _, job = await self._queue.get()
            try:
                if job is None:
                    return
                if job[0] == "member":
                    await self.sync_member(job[1], resume_since)
                elif job[0] == "commitment":
                    await self.sync_commitment(job[1], job[2], job[3], resume_since)
                elif job[0] == "document":
                    await self.sync_document(job[1], job[2], job[3], job[4], resume_since)
                else:
                    await self.sync_file(job[1], job[2], job[3], resume_since)
            finally:
                self._queue.task_done()

    async def _work(self, plan: _Plan) -> None:
        """Discover (for --all), then the worker pool until the queue is empty."""
        self._queue = asyncio.PriorityQueue()
        async with asyncio.TaskGroup() as tg:
            if plan.target == "--all":
                plan.slugs = await self.discover()
                self.total = len(plan.slugs)
            for slug in plan.slugs:
                problem = _slug_problem(slug)
                if problem:  # from a hand-edited watchlist or an odd directory page: never a URL
                    self.summary.failed.append((clean_text(slug, cap=80), problem))
                    self._member_finished("member_failed", clean_text(slug, cap=80), problem)
                    continue
                self._enqueue(_MEMBER, ("member", slug))
            for doc, member in plan.documents:
                self._docs_seen.add(doc)
                self._enqueue(_MEMBER, ("document", member, doc, self.url(f"/documents/{doc}/"), "all"))
            workers = max(1, self.source.concurrency)
            for _ in range(workers):
                tg.create_task(self._worker(plan.resume_since))
            await self._queue.join()
            for _ in range(workers):
                self._enqueue(_STOP, None)
            self._flush_checked()  # here, so a failing write stops the run as any write does

    async def run(self, plan: _Plan) -> SyncSummary:
        t0 = time.monotonic()
        from ogptui import files

        files.sweep(self.store.paths.files)  # temp files of killed downloads
        self.run_id = self.store.begin_run(self.source.base_url, plan.target)
        self.summary.run_id = self.run_id
        self.total = len(plan.slugs)
        self._emit("start", message=f"syncing {self.total} member{'s' if self.total != 1 else ''}")
        try:
            try:
                async with asyncio.timeout(self.deadline):
                    await self._work(plan)
            except TimeoutError:
                self._flush_safely()
                self.summary.outcome = "deadline"
                self.summary.message = (
                    f"the sync stopped at its time limit of {self.deadline:g} s (setting run_deadline): "
                    f"{self.summary.stored()} before it; run `ogptui sync` to finish"
                )
            except BaseExceptionGroup as group:
                self._stopped(group)
            if self.summary.outcome == "ok" and not self.answered and self.unreachable:
                # Nothing answered at all (e.g. one member and the connection refused): that is offline too.
                self._go_offline(self.unreachable)
        except asyncio.CancelledError:  # Ctrl-C (asyncio.run cancels the main task) or the caller's cancel
            self._flush_safely()  # before the message, which counts what was stored
            self.summary.outcome = "interrupted"
            self.summary.message = (
                f"sync interrupted: {self.summary.stored()} before the interruption; "
                "run `ogptui sync` to finish"
            )
            raise
        finally:
            self._finish(t0)
        return self.summary

    def _stopped(self, group: BaseExceptionGroup) -> None:
        """The run stopped early: offline, cancelled, or an error (e.g. a full disk), which is re-raised."""
        errors = _leaves(group)
        others = [e for e in errors if not isinstance(e, Offline | Cancelled)]
        if not others:
            self._flush_safely()
        if others:
            self.summary.outcome = "failed"
            self.summary.message = f"the sync stopped: {others[0]}"
            raise others[0]
        if any(isinstance(e, Cancelled) for e in errors):
            self.summary.outcome = "cancelled"
            self.summary.message = "sync cancelled; what was fetched is saved, the rest is unchanged"
        else:
            self._go_offline(str(next(e for e in errors if isinstance(e, Offline))))

    def _go_offline(self, reason: str) -> None:
        self._flush_safely()
        self.summary.outcome = "offline"
        self.summary.message = (
            f"cannot reach {self.source.base_url}: {reason}; cached data is unchanged"
            if not (self.summary.updated or self.summary.commitments_updated)
            else f"lost {self.source.base_url} part-way ({reason}); {self.summary.stored()} before that; "
            "run `ogptui sync` again to finish"
        )
        self._emit("offline", message=self.summary.message)

    def _finish(self, t0: float) -> None:
        self._close_extractor()
        self._flush_safely()
        s = self.summary
        s.members = self.total
        s.seconds = time.monotonic() - t0
        c = self.source.counters
        s.requests, s.conditional, s.not_modified, s.nbytes, s.retries = (
            c.requests,
            c.conditional,
            c.not_modified,
            c.bytes,
            c.retries,
        )
        if s.outcome == "ok":  # not already offline, cancelled, interrupted or stopped by an error
            s.outcome = (
                "ok" if not s.failed else ("failed" if len(s.failed) >= max(1, s.members) else "partial")
            )
        assert self.run_id is not None  # run() begins the run before anything else
        self.store.finish_run(
            self.run_id,
            outcome=s.outcome,
            members=s.members,
            updated=s.updated,
            unchanged=s.unchanged,
            failed=len(s.failed),
            requests=s.requests,
            conditional=s.conditional,
            not_modified=s.not_modified,
            bytes=s.nbytes,
            written=s.written,
            duration=round(s.seconds, 3),
            summary=s.text(),
        )
        self._emit("done", message=s.text())


def _leaves(group: BaseExceptionGroup) -> list[BaseException]:
    out: list[BaseException] = []
    for e in group.exceptions:
        out += _leaves(e) if isinstance(e, BaseExceptionGroup) else [e]
    return out


def _prefix(lang: str) -> str:
    """The site's path prefix of a language: "" for English (its own paths), "/es" and "/fr" otherwise."""
    return "" if lang == "en" else f"/{lang}"


def _slug_problem(slug: str) -> str | None:
    """Why `slug` cannot name a member page (None when it can): the same rule as `ogptui sync SLUG`."""
    try:
        config.SLUG.check(slug, "slug")
    except ValueError:
        return "not a valid member slug; skipped"
    return None


def plan_sync(store: Store, *, slugs: list[str] | None, all_members: bool, watchlist: bool) -> _Plan:
    named = False
    if all_members:
        chosen, target = [], "--all"
    elif slugs:
        chosen = list(dict.fromkeys(s.strip().lower() for s in slugs))
        target = " ".join(chosen)
        named = True
    else:
        chosen = store.watchlist() or ([] if watchlist else store.member_slugs())
        target = "watchlist" if store.watchlist() else " ".join(chosen)
    # Resume: an interrupted run (killed, Ctrl-C, offline, deadline) with the same target leaves its finished work.
    # Runs killed one after another form a chain: resume from the first, or each kill would lose the work
    # done by the runs before it (they skipped those pages, so they did not re-check them).
    resume = None
    for run in store.runs(100):  # newest first
        if run.outcome not in RESUMABLE_OUTCOMES or _target_of(store, run.id) != target:
            break
        resume = run.started_at
    return _Plan(chosen, target, resume, named=named)


def documents_rule(
    plan: _Plan, *, flag: str | None, setting: str, watched: set[str]
) -> Callable[[str], str]:
    """Which documents each member of a run gets: "none", "pages" or "all".

    `--documents X` (the flag) applies to every member of the run. Without it, members synced by name and
    watched members get the `documents` setting (default "all": pages and files); the others (`--all`, or
    a bare `ogptui sync` of every cached member without a watchlist) get none.
    """
    if flag is not None:
        return lambda slug: flag
    if plan.named:
        return lambda slug: setting
    return lambda slug: setting if slug in watched else "none"


def _target_of(store: Store, run_id: int) -> str | None:
    return store.run_target(run_id)


async def run_sync(
    store: Store,
    *,
    slugs: list[str] | None = None,
    all_members: bool = False,
    watchlist: bool = False,
    source: str | None = None,
    concurrency: int | None = None,
    delay: float | None = None,
    on_event: Callable[[SyncEvent], None] | None = None,
    settings: config.Settings | None = None,
    source_options: dict[str, Any] | None = None,
    cancel: threading.Event | None = None,
    deadline: float | None = None,
    documents: str | None = None,
    document_slugs: list[tuple[str, str]] | None = None,
    full: bool = False,
    language: str | None = None,
) -> SyncSummary:
    """Sync members into `store`. `deadline` (seconds, default: the `run_deadline` setting) bounds the run.

    `documents` ("none" / "pages" / "all", the `--documents` option) overrides which documents every member
    of the run gets (see `documents_rule`). `document_slugs` [(document slug, member slug)] syncs only those
    documents (pages and files), no member pages (the reader's "fetch this document now").
    Member pages are checked on every run; commitment and document pages (and files) when due (see
    `sync_checks.due`, setting `max_age_days`), or all of them with `full` (`ogptui sync --full`).
    Pages are fetched in `language` (default: the setting `content_language`).
    """
    if documents is not None and documents not in DOCUMENT_MODES:
        raise ValueError(f"documents must be one of {', '.join(DOCUMENT_MODES)}, not {documents!r}")
    settings = settings or config.Settings.load(store.paths)
    base = source or settings.source
    if document_slugs:
        plan = _Plan([], "document " + " ".join(d for d, _ in document_slugs), None, documents=document_slugs)
    else:
        plan = plan_sync(store, slugs=slugs, all_members=all_members, watchlist=watchlist)
    watched = set(store.watchlist())
    rule = documents_rule(plan, flag=documents, setting=settings.documents, watched=watched)
    runs_so_far = store.run_count()
    validators = settings.revalidate_every <= 0 or (runs_so_far + 1) % settings.revalidate_every != 0
    opts = dict(source_options or {})
    opts.setdefault("concurrency", concurrency or settings.concurrency)
    opts.setdefault("delay", delay if delay is not None else settings.delay)
    async with Source(base, **opts) as src:
        syncer = Syncer(
            store,
            src,
            on_event=on_event,
            validators=validators,
            cancel=cancel,
            deadline=settings.run_deadline if deadline is None else deadline,
            documents_for=rule,
            max_file_mb=settings.max_file_mb,
            files_budget_mb=settings.files_budget_mb,
            watched=watched,
            full=full,
            max_age_days=settings.max_age_days,
            language=language or content_language(settings.content_language),
        )
        if not plan.slugs and not plan.documents and plan.target != "--all":
            syncer.summary.message = (
                "nothing to sync: name members, watch some (`ogptui watch SLUG`) or use --all"
            )
            return syncer.summary
        return await syncer.run(plan)


def sync_blocking(
    *,
    slugs: list[str] | None = None,
    all_members: bool = False,
    watchlist: bool = False,
    source: str | None = None,
    on_event: Callable[[SyncEvent], None] | None = None,
    **kwargs: Any,
) -> SyncSummary:
    """Run a whole sync in the calling thread with its own Store (for the TUI's thread worker)."""
    with open_store() as store:
        return asyncio.run(
            run_sync(
                store,
                slugs=slugs,
                all_members=all_members,
                watchlist=watchlist,
                source=source,
                on_event=on_event,
                **kwargs,
            )
        )


def sync_document_blocking(
    slug: str,
    *,
    member_slug: str | None = None,
    source: str | None = None,
    on_event: Callable[[SyncEvent], None] | None = None,
    **kwargs: Any,
) -> SyncSummary:
    """Fetch one document page and its files now, in the calling thread with its own Store (the reader's
    "fetch this document"). `member_slug` defaults to the first member whose resources link it."""
    with open_store() as store:
        key = store.document_key(slug)
        owner = member_slug or next(iter(store.document_members(key)), "")
        return asyncio.run(
            run_sync(store, document_slugs=[(key, owner)], source=source, on_event=on_event, **kwargs)
        )


def source_reachable(url: str, timeout: float = 3.0) -> bool:
    """A cheap check that the source answers at all (for 'back online?' polling)."""

    async def probe() -> bool:
        async with Source(url, concurrency=1, delay=0) as src:
            return await src.probe(timeout=timeout)

    try:
        return asyncio.run(probe())
    except Exception:
        return False
