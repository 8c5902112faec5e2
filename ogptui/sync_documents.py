"""Sync of documents (issue 13.2): the document pages behind a member's resources, then their attachments.

Mixed into `ogptui.sync.Syncer`, so documents share everything member pages have: the worker pool and its
queue (a member's documents run right after it, before the next member), politeness, conditional GET,
retries and time limits of `ogptui.source`, "offline" detection, resume after a killed run (`done_since`),
and how a run ends. Which members get documents is decided per member by the run's plan (`documents_for`:
"none", "pages" or "all").

A document page is fetched only when it lives on the source's site; a page redirected to another document,
or whose canonical link names another one, is recorded as moved and never stored under the asked slug.
It is written in one transaction with its sections, attachment links, search rows and http_state row.

An attachment (on the source's site only) streams into a locked temp file in the files folder
(`ogptui.files`), capped at `max_file_mb`; its bytes must be what the link promises (`ogptui.extract.sniff`:
a web page is never a file, a `.pdf` link must give a PDF). Then it is placed under its sha256 (a file
shared by several documents or URLs is kept once), room is made within `files_budget_mb` by giving up the
oldest files of unwatched members, its text is read in a limited child process (`ogptui.extract`; a file
whose text cannot be read is kept, marked), and its row, text and http_state are written in one
transaction. A bad file never stops the sync: it is recorded with the reason and the run goes on.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ogptui import files
from ogptui.model import AttachmentFile, PageRejected
from ogptui.source import FetchError, FetchResult, same_site
from ogptui.store import utcnow
from ogptui.sync_checks import done_since as _done_since
from ogptui.sync_checks import moved_document as _moved_document
from ogptui.sync_checks import parse_document as _parse_document
from ogptui.units import human_size

if TYPE_CHECKING:
    from ogptui.extract import Extracted, Extractor
    from ogptui.source import Source
    from ogptui.store import Store
    from ogptui.sync import SyncSummary

DOCUMENT_MODES = ("none", "pages", "all")
MB = 1024 * 1024
_DOCUMENT = 0  # queue priority: like commitment pages, right after their member


class DocumentSync:
    """Document and attachment jobs of a `Syncer` (see the module docstring)."""

    store: Store
    source: Source
    summary: SyncSummary
    run_id: int | None
    validators: bool
    answered: bool

    if TYPE_CHECKING:  # provided by the Syncer this is mixed into (ogptui/sync.py)

        def url(self, path: str) -> str: ...
        def _emit(self, kind: str, slug: str | None = None, message: str = "") -> None: ...
        async def _get(self, url: str) -> tuple[FetchResult, dict[str, Any] | None]: ...
        def _fail(self, url: str, slug: str | None, reason: str, kind: str) -> None: ...
        def _check_cancel(self) -> None: ...
        def _answered_with(self, e: FetchError) -> None: ...
        def _http_ok(self, res: FetchResult, state: dict[str, Any] | None) -> dict[str, Any]: ...
        def _enqueue(self, priority: int, job: tuple[Any, ...] | None) -> None: ...
        def _due_urls(self, urls: list[str], changed_at: str | None, changed: bool = False) -> list[str]: ...
        def _not_modified(self, url: str, res: FetchResult, state: dict[str, Any] | None) -> None: ...

    def _init_documents(
        self,
        documents_for: Callable[[str], str] | None,
        *,
        max_file_mb: int = 50,
        files_budget_mb: int = 2000,
        watched: set[str] | None = None,
    ) -> None:
        self.documents_for = documents_for or (lambda slug: "none")
        self.max_file_bytes = max_file_mb * MB
        self.max_file_mb = max_file_mb
        self.budget_bytes = files_budget_mb * MB
        self.files_budget_mb = files_budget_mb
        self.watched = set(watched or ())
        self._docs_seen: set[str] = set()
        self._files_seen: set[str] = set()
        self._placed: set[str] = set()  # files placed by this run: never given up to make room in it
        self._files_lock = asyncio.Lock()
        self._extractor: Extractor | None = None

    # ---- queueing ----------------------------------------------------------------------------------
    def _enqueue_documents(
        self, member_slug: str, resources: list[Any], changed_at: str | None = None, changed: bool = False
    ) -> None:
        """Queue the member's document pages that are due (`changed_at`: when the member's record last
        changed); the files of those not due are still looked at (each file has its own check time)."""
        mode = self.documents_for(member_slug)
        if mode not in ("pages", "all"):
            return
        jobs: dict[str, str] = {}
        for r in resources:
            doc = getattr(r, "document", None)
            if not doc or doc in self._docs_seen:
                continue
            self._docs_seen.add(doc)
            url = (
                r.url if r.url and same_site(r.url, self.source.base_url) else self.url(f"/documents/{doc}/")
            )
            jobs[url] = doc
        due = set(self._due_urls(list(jobs), changed_at, changed))
        for url, doc in jobs.items():
            if url in due:
                self._enqueue(_DOCUMENT, ("document", member_slug, doc, url, mode))
            elif mode == "all":
                self._enqueue_files(member_slug, doc)

    def _enqueue_files(self, member_slug: str, doc_slug: str, changed: bool = False) -> None:
        """Queue the document's files that are due (changed with their document page, or old)."""
        page = self.store._load_document(doc_slug)
        urls = []
        for a in page.attachments if page is not None else []:
            if a.url in self._files_seen or not same_site(a.url, self.source.base_url):
                continue
            self._files_seen.add(a.url)
            urls.append(a.url)
        for url in self._due_urls(urls, page.fetched_at if page is not None else None, changed):
            self._enqueue(_DOCUMENT, ("file", member_slug, doc_slug, url))

    # ---- one document page -------------------------------------------------------------------------
    async def sync_document(
        self, member_slug: str, slug: str, url: str, mode: str, resume_since: str | None
    ) -> None:
        files_too = mode == "all"
        if resume_since and _done_since(self.store.http_state(url), resume_since):
            if files_too:
                self._enqueue_files(member_slug, slug)
            return
        self._emit("fetch", member_slug, f"document {slug}")
        try:
            res, state = await self._get(url)
        except FetchError as e:
            self._fail(url, member_slug, e.message, "document")
            self.summary.documents_failed += 1
            return
        moved = _moved_document(slug, res.final_url)
        if moved:
            self.store.record_moved(url, kind="document", member_slug=member_slug, moved_to=moved)
            self.summary.moved.append((f"document {slug}", moved))
            return
        if res.status in (404, 410):
            self.store.record_not_found(url, member_slug, res.status)
            self.summary.documents_failed += 1
            return
        changed = False
        if res.not_modified:
            self._not_modified(url, res, state)
        else:
            self.summary.replaced_chars += res.replaced_chars
            try:
                page = _parse_document(res, url, slug)
            except PageRejected as e:
                self._fail(url, member_slug, f"unusable page: {e.reason}", "document")
                self.summary.documents_failed += 1
                return
            page.attachments = [a for a in page.attachments if same_site(a.url, self.source.base_url)]
            result = self.store.write_document(
                page,
                http=self._http_ok(res, state),
                run_id=self.run_id,
                source_url=url,
            )
            changed = result.written
            if result.written:
                self.summary.documents_updated += 1
                self.summary.written += result.rows
                self.summary.changes += [c.summary for c in result.changes]
        if files_too:
            self._enqueue_files(member_slug, slug, changed)

    # ---- one attachment ----------------------------------------------------------------------------
    async def sync_file(self, member_slug: str, doc_slug: str, url: str, resume_since: str | None) -> None:
        if resume_since and _done_since(self.store.http_state(url), resume_since):
            return
        known = self.store.attachment_file(url)
        local = self.store.local_file(known.path) if known is not None and known.path else None
        state = self.store.http_state(url)
        etag = last_modified = None
        if self.validators and local is not None and state and state.get("gone_at") is None:
            etag, last_modified = state.get("etag"), state.get("last_modified")
        self._check_cancel()
        folder = self.store.paths.files
        self._emit("fetch", member_slug, f"file of {doc_slug}")
        with files.temp_download(folder) as tmp:
            try:
                res = await self.source.download(
                    url, tmp, etag=etag, last_modified=last_modified, max_bytes=self.max_file_bytes
                )
            except FetchError as e:
                self._answered_with(e)
                self._file_refused(url, member_slug, self._download_problem(e))
                return
            self.answered = True
            if res.not_modified:
                self._not_modified(url, res, state)
                return
            if res.gone:
                self.store.record_not_found(url, member_slug, res.status)
                self.store.record_attachment_problem(url, f"the site answered {res.status}: the file is gone")
                self.summary.files_failed += 1
                return
            await self._keep_file(url, member_slug, res, tmp, known, local, state)

    async def _keep_file(
        self,
        url: str,
        member_slug: str,
        res: FetchResult,
        tmp: Any,
        known: AttachmentFile | None,
        local: Any,
        state: dict | None,
    ) -> None:
        from ogptui.extract import sniff

        kind = sniff(tmp)
        problem = files.file_problem(kind, url, res.content_type)
        if problem:
            self._file_refused(url, member_slug, f"refused: {problem}")
            return
        sha = res.sha256 or ""
        http = self._http_ok(res, state)
        if known is not None and known.sha256 == sha and local is not None:
            del http["url"]  # the same bytes again (a server without validators): nothing to write
            self.store.note_http(url, **http)
            return
        folder = self.store.paths.files
        rel = files.relative_path(sha, files.extension(kind, url))
        async with self._files_lock:
            room = self._make_room(0 if (folder / rel).is_file() else res.nbytes)
            if not room:
                self._file_refused(
                    url,
                    member_slug,
                    f"not kept: {human_size(res.nbytes)} does not fit in the files budget of "
                    f"{self.files_budget_mb} MB (setting files_budget_mb) beside watched members' files",
                )
                return
            rel = files.place(tmp, folder, sha, files.extension(kind, url))
            self._placed.add(rel)
        prior = self.store.text_of(sha)
        pages: list[str] | None = None
        if prior is not None:
            status, error, count = prior.text_status, prior.text_error, prior.page_count
        else:
            got = await asyncio.to_thread(self._extract, folder / rel, kind)
            pages, status, error, count = got.pages, got.status, got.error, got.page_count
        result = self.store.write_attachment(
            AttachmentFile(
                url=url,
                sha256=sha,
                size=res.nbytes,
                content_type=files.content_type(kind, res.content_type),
                path=rel,
                text_status=status,
                text_error=error,
                page_count=count,
                fetched_at=utcnow(),
            ),
            pages,
            http=http,
            run_id=self.run_id,
        )
        self.summary.files_updated += 1
        self.summary.files_bytes += res.nbytes
        self.summary.written += result.rows
        self.summary.changes += [c.summary for c in result.changes]

    def _download_problem(self, e: FetchError) -> str:
        if e.kind == "too_large":
            return f"not downloaded: larger than {self.max_file_mb} MB (setting max_file_mb)"
        if e.kind == "content_type":
            return f"not downloaded: {e.reason}"
        return e.message

    def _file_refused(self, url: str, member_slug: str, reason: str) -> None:
        """A file that could not be taken: its reason on its row and in its bookkeeping; the run goes on."""
        state = self.store.http_state(url) or {}
        self.store.record_attachment_problem(
            url,
            reason,
            http={
                "member_slug": member_slug,
                "failures": int(state.get("failures") or 0) + 1,
                "last_error": reason,
            },
        )
        self.summary.files_failed += 1

    def _make_room(self, nbytes: int) -> bool:
        """Whether `nbytes` more fit in the budget, after giving up the oldest files of unwatched members
        (never one this run placed). Called under the files lock."""
        total = self.store.files_total()
        if total + nbytes <= self.budget_bytes:
            return True
        if nbytes > self.budget_bytes:
            return False
        given_up: list[str] = []
        for f in self.store.prune_candidates(self.watched):
            if f.path in self._placed:
                continue
            given_up.append(f.path)
            total -= f.size
            if total + nbytes <= self.budget_bytes:
                break
        if total + nbytes > self.budget_bytes:
            return False
        self.store.forget_files(given_up)  # the rows first: a kill in between leaves an unreferenced file
        for rel in given_up:
            files.remove(self.store.paths.files, rel)
        self.summary.files_pruned += len(given_up)
        return True

    def _extract(self, path: Any, kind: str | None) -> Extracted:
        from ogptui.extract import Extracted, Extractor

        if kind not in ("pdf", "docx", "xlsx"):
            return Extracted("unsupported", error="Text is not read from this kind of file.")
        if self._extractor is None:
            self._extractor = Extractor(max_file_mb=max(1, self.max_file_mb))
        return self._extractor.extract(path, kind)

    def _close_extractor(self) -> None:
        if self._extractor is not None:
            self._extractor.close()
            self._extractor = None
