"""Mirror sync: download a published bundle over HTTP and import it (`ogptui sync --mirror URL`).

The download goes through `ogptui.source.Source.download`, so it follows the rules of every other request:
retries with backoff for connection errors, timeouts, 429 and 502–504 (honouring `Retry-After`), same-site
redirects only, a limit on the time to headers, a read timeout, a minimum transfer rate, a cap on decoded
bytes, and the whole-run deadline (`run_deadline`). It streams to a temp file next to the cache; the
request is conditional with the validators of the last *imported* download. The validators live in the
cache's `meta` table under `mirror:<url>` and are written in the import's own transaction, so they only
move when the data did. `meta` is never exported. No Textual here; blocking (it runs its own event loop).

A mirror published by `ogptui publish` (a folder with `index.json`) is synced incrementally: a URL ending
in `/` (or naming `index.json`) fetches the index, and any answer that is an index rather than a bundle is
handed to `ogptui.mirror_parts`, which fetches only the members' parts this cache has not imported yet.
A URL naming a bundle file works as before.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
import time
from collections.abc import Callable
from http import HTTPStatus
from pathlib import Path
from typing import Any

import httpx

from ogptui.bundle import BundleError, ImportReport, merge_verified, verify_bundle
from ogptui.mirror_index import INDEX_NAME, MAX_INDEX_BYTES
from ogptui.source import FetchError, FetchResult, Source, validate_base_url
from ogptui.store import Store, utcnow
from ogptui.sync import SyncEvent, SyncSummary
from ogptui.units import human_size

MAX_BUNDLE_BYTES = 500_000_000


class MirrorOffline(Exception):
    """The mirror could not be reached (or stopped answering); nothing was changed."""


class MirrorError(Exception):
    """The mirror answered, but not with a usable bundle (one sentence, says what to do)."""


def meta_key(url: str) -> str:
    return f"mirror:{url}"


def validate_mirror_url(value: str) -> str:
    """The mirror URL (the same validator as `--source`); ValueError (one sentence) otherwise."""
    validate_base_url(value, what="mirror URL", example="https://intranet.example/ogptui.bundle")
    return value.strip()


def download(
    url: str,
    dest: Path,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    max_bytes: int = MAX_BUNDLE_BYTES,
    on_progress: Callable[[int, int | None], None] | None = None,
    deadline: float | None = None,
    source_options: dict | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> tuple[FetchResult, Source]:
    """GET `url` into `dest` (conditional when validators are given). Raises MirrorOffline / MirrorError."""

    async def run() -> tuple[FetchResult, Source]:
        async with Source(url, delay=0, transport=transport, **(source_options or {})) as src:
            async with asyncio.timeout(deadline if deadline and deadline > 0 else None):
                res = await src.download(
                    url,
                    dest,
                    etag=etag,
                    last_modified=last_modified,
                    max_bytes=max_bytes,
                    on_progress=on_progress,
                )
            return res, src

    try:
        res, src = asyncio.run(run())
    except TimeoutError:
        raise MirrorOffline(f"the download took longer than {deadline:g} s (setting run_deadline)") from None
    except FetchError as e:
        raise _mirror_error(e, url, max_bytes) from e
    if res.gone:
        raise MirrorError(_answered(url, res.status))
    return res, src


def _answered(url: str, status: int) -> str:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = ""
    return (
        f"the mirror {url} answered HTTP {status} {phrase}".rstrip()
        + "; check the address (it should name a bundle file, or a published mirror folder ending in /)"
    )


def _mirror_error(e: FetchError, url: str, max_bytes: int) -> Exception:
    """The shared client's error as the mirror's one sentence."""
    if e.kind in ("connect", "timeout", "offline"):
        return MirrorOffline(e.reason)
    if e.kind == "http" and e.retryable and e.status is not None:
        return MirrorError(f"the mirror {url} answered HTTP {e.status} {e.tries} times; try again later")
    if e.kind == "http" and e.status is not None:
        return MirrorError(_answered(url, e.status))
    if e.kind == "content_type":
        return MirrorError(
            f"the mirror {url} answered with a web page, not a bundle (a login page or a wrong address?); "
            "check the address"
        )
    if e.kind == "too_large":
        what = "mirror index" if url.endswith("/" + INDEX_NAME) else "bundle"
        return MirrorError(f"the {what} at {url} is larger than the {human_size(max_bytes)} limit")
    if e.kind == "redirects":
        return MirrorError(f"the mirror {url}: {e.reason}; check the address")
    return MirrorError(f"the mirror {url}: {e.reason}")


def mirror_sync(
    store: Store,
    url: str,
    *,
    on_event: Callable[[SyncEvent], None] | None = None,
    max_bytes: int = MAX_BUNDLE_BYTES,
    deadline: float | None = None,
    source_options: dict | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> tuple[SyncSummary, ImportReport | None]:
    """Download the bundle at `url` if it changed and import it. Offline → outcome "offline", nothing changed.

    Raises MirrorError or BundleError when the mirror answers with something unusable (cache unchanged).
    """
    emit = on_event or (lambda e: None)
    t0 = time.monotonic()
    summary = SyncSummary(source=url)
    raw = store.get_meta(meta_key(url))
    try:
        state = json.loads(raw) if raw else {}
    except ValueError:
        state = {}
    if not isinstance(state, dict):
        state = {}
    emit(SyncEvent("start", 0, 0, message=f"downloading {url}"))
    fetch_url = url + INDEX_NAME if url.endswith("/") else url
    indexed = fetch_url.endswith("/" + INDEX_NAME)
    if state.get("index_url") and not state.get("complete"):
        # An index imported only in part: fetch it anew (no validators), keep the record of finished parts.
        state = {k: v for k, v in state.items() if k not in ("etag", "last_modified", "sha256")}

    def progress(done: int, total: int | None) -> None:
        try:
            emit(SyncEvent("fetch", done, total or 0, message=f"{done // 1000} kB of bundle"))
        except Exception:
            pass

    with tempfile.TemporaryDirectory(dir=store.paths.home, prefix=".mirror-") as work:
        try:
            dl, src = download(
                fetch_url,
                Path(work) / "mirror.bundle",
                etag=state.get("etag"),
                last_modified=state.get("last_modified"),
                max_bytes=min(max_bytes, MAX_INDEX_BYTES) if indexed else max_bytes,
                on_progress=progress,
                deadline=deadline,
                source_options=source_options,
                transport=transport,
            )
        except MirrorOffline as e:
            summary.outcome = "offline"
            summary.message = f"cannot reach {url}: {e}; cached data is unchanged"
            summary.seconds = time.monotonic() - t0
            emit(SyncEvent("offline", 0, 0, message=summary.message))
            return summary, None
        summary.requests, summary.conditional = src.counters.requests, src.counters.conditional
        summary.retries = src.counters.retries
        summary.nbytes = dl.nbytes
        report = None
        if dl.not_modified or (dl.sha256 and dl.sha256 == state.get("sha256")):
            summary.not_modified = 1 if dl.not_modified else 0
            summary.unchanged = state.get("member_count") or len(state.get("members") or [])
            summary.members = summary.unchanged
            summary.run_id = _note_unchanged(store, url, summary, t0)
        elif dl.path is not None and _is_index(dl.path):
            return _from_index(
                store, url, fetch_url, dl, state, summary, emit, t0, deadline, source_options, transport
            )
        else:
            assert dl.path is not None
            new_state: dict[str, Any] = {
                "etag": dl.etag,
                "last_modified": dl.last_modified,
                "sha256": dl.sha256,
                "imported_at": utcnow(),
            }
            # Verification raises BundleError before the cache is touched; the validators are written in
            # the import's own transaction, so they move only together with the data.
            with tempfile.TemporaryDirectory(dir=store.paths.home, prefix=".import-") as unpacked:
                verified = verify_bundle(dl.path, Path(unpacked), name=f"the bundle from {url}")
                new_state["members"] = sorted(verified.manifest.get("members") or {})
                report = merge_verified(
                    store, verified, label=url, target="mirror", meta={meta_key(url): json.dumps(new_state)}
                )
            summary.members = report.members
            summary.updated = len(report.added) + len(report.updated)
            summary.unchanged = len(report.kept)
            summary.changes = report.changes
            summary.run_id = report.run_id
            summary.written = summary.updated + report.details_added + report.details_updated
    summary.seconds = time.monotonic() - t0
    emit(SyncEvent("done", 1, 1, message=summary.text()))
    return summary, report


def _is_index(path: Path) -> bool:
    """An index.json (JSON text), not a bundle (a zip)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(64)
    except OSError:
        return False
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def _from_index(
    store: Store,
    url: str,
    index_url: str,
    dl: FetchResult,
    state: dict[str, Any],
    summary: SyncSummary,
    emit: Callable[[SyncEvent], None],
    t0: float,
    deadline: float | None,
    source_options: dict | None,
    transport: httpx.AsyncBaseTransport | None,
) -> tuple[SyncSummary, ImportReport | None]:
    from ogptui.mirror_parts import PartsError, read_index, sync_parts

    assert dl.path is not None
    try:
        index = read_index(dl.path, index_url, MAX_INDEX_BYTES)
        report = sync_parts(
            store,
            url=url,
            index_url=dl.final_url or index_url,
            index=index,
            state=state,
            key=meta_key(url),
            validators={"etag": dl.etag, "last_modified": dl.last_modified, "sha256": dl.sha256},
            summary=summary,
            emit=emit,
            deadline_at=(t0 + deadline) if deadline and deadline > 0 else None,
            source_options=source_options,
            transport=transport,
        )
    except PartsError as e:
        raise MirrorError(str(e)) from None
    summary.run_id = report.run_id
    summary.written = summary.updated + report.details_added + report.details_updated
    summary.seconds = time.monotonic() - t0
    if summary.outcome in ("ok", "partial"):
        emit(SyncEvent("done", 1, 1, message=summary.text()))
    return summary, report


def _note_unchanged(store: Store, url: str, summary: SyncSummary, t0: float) -> int:
    run_id = store.begin_run(url, "mirror")
    store.finish_run(
        run_id,
        outcome="ok",
        members=summary.members,
        unchanged=summary.unchanged,
        requests=summary.requests,
        conditional=summary.conditional,
        not_modified=summary.not_modified,
        bytes=summary.nbytes,
        duration=round(time.monotonic() - t0, 3),
        summary="mirror not modified; nothing imported",
    )
    return run_id


__all__ = ["BundleError", "MirrorError", "MirrorOffline", "download", "mirror_sync", "meta_key"]
