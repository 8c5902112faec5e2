"""Mirror sync: download a published bundle over HTTP and import it (`ogptui sync --mirror URL`).

A bundle is binary and can be large, so this is a small dedicated httpx download rather than
`ogptui.source.Source` (which decodes `text/html` pages into memory): streamed to a temp file next to the
cache, a cap on decoded bytes, conditional GET with the validators of the last *imported* download,
redirects followed, retries with backoff and jitter (stamina) for connect/read errors and 429/502-504
(honouring `Retry-After`). The validators live in the cache's `meta` table under `mirror:<url>` and are
written in the import's own transaction, so they only move when the data did. `meta` is never exported.
No Textual here; blocking (the TUI calls it from a thread worker).
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import stamina

from ogptui.bundle import BundleError, ImportReport, merge_verified, verify_bundle
from ogptui.source import USER_AGENT
from ogptui.store import Store, utcnow
from ogptui.sync import SyncEvent, SyncSummary

MAX_BUNDLE_BYTES = 500_000_000
RETRY_STATUSES = (429, 502, 503, 504)


class MirrorOffline(Exception):
    """The mirror could not be reached (or the connection broke off); nothing was changed."""


class MirrorError(Exception):
    """The mirror answered, but not with a usable bundle (one sentence, says what to do)."""


@dataclass
class Download:
    status: int  # 200 or 304
    path: Path | None
    etag: str | None
    last_modified: str | None
    nbytes: int
    tries: int
    sha256: str | None = None


class _RetryStatus(Exception):
    def __init__(self, status: int, retry_after: float | None):
        super().__init__(f"HTTP {status}")
        self.status = status
        self.retry_after = retry_after


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _retry_hook(exc: Exception) -> bool | float:
    if isinstance(exc, _RetryStatus):
        return min(exc.retry_after, 30.0) if exc.retry_after is not None else True
    return isinstance(exc, httpx.TransportError)


def meta_key(url: str) -> str:
    return f"mirror:{url}"


def validate_mirror_url(value: str) -> str:
    url = value.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(ord(ch) < 32 for ch in value):
        raise ValueError(
            f"'{value}' is not an http(s) address such as https://intranet.example/ogptui.bundle"
        )
    return url


def download(
    url: str,
    dest: Path,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    max_bytes: int = MAX_BUNDLE_BYTES,
    on_progress: Callable[[int, int | None], None] | None = None,
    attempts: int = 3,
    timeout: float = 30.0,
    transport: httpx.BaseTransport | None = None,
) -> Download:
    """GET `url` into `dest` (conditional when validators are given). Raises MirrorOffline / MirrorError."""
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": "application/zip, application/octet-stream;q=0.9, */*;q=0.1",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    host = urlsplit(url).netloc
    tries = 0
    client = httpx.Client(
        headers=headers,
        timeout=httpx.Timeout(timeout, connect=min(10.0, timeout)),
        follow_redirects=True,
        max_redirects=5,
        transport=transport,
    )
    try:
        for attempt in stamina.retry_context(
            on=_retry_hook, attempts=attempts, timeout=300.0, wait_initial=0.5, wait_max=8.0
        ):
            with attempt:
                tries += 1
                result = _attempt(client, url, dest, max_bytes, on_progress)
                result.tries = tries
                return result
    except _RetryStatus as e:
        raise MirrorError(f"the mirror {url} answered HTTP {e.status} {tries} times; try again later") from e
    except httpx.TooManyRedirects as e:
        raise MirrorError(f"the mirror {url} redirects too often; check the address") from e
    except (httpx.ConnectError, httpx.ConnectTimeout) as e:
        raise MirrorOffline(f"cannot connect to {host}") from e
    except httpx.TimeoutException as e:
        raise MirrorOffline(f"{host} stopped answering for {timeout:g} s") from e
    except httpx.TransportError as e:
        raise MirrorOffline(f"the connection to {host} broke off ({type(e).__name__})") from e
    finally:
        client.close()
    raise AssertionError("unreachable")  # pragma: no cover


def _attempt(
    client: httpx.Client,
    url: str,
    dest: Path,
    max_bytes: int,
    on_progress: Callable[[int, int | None], None] | None,
) -> Download:
    with client.stream("GET", url) as resp:
        if resp.status_code == 304:
            return Download(304, None, resp.headers.get("etag"), resp.headers.get("last-modified"), 0, 0)
        if resp.status_code in RETRY_STATUSES:
            raise _RetryStatus(resp.status_code, _retry_after(resp.headers.get("retry-after")))
        if resp.status_code != 200:
            reason = resp.reason_phrase or ""
            raise MirrorError(
                f"the mirror {url} answered HTTP {resp.status_code} {reason}".rstrip()
                + "; check the address (it should name the bundle file)"
            )
        ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype in ("text/html", "application/xhtml+xml"):
            raise MirrorError(
                f"the mirror {url} answered with a web page, not a bundle (a login page or a wrong address?); "
                "check the address"
            )
        length = resp.headers.get("content-length", "")
        total = int(length) if length.isdigit() and "content-encoding" not in resp.headers else None
        if total is not None and total > max_bytes:
            raise MirrorError(f"the bundle at {url} is larger than the {max_bytes // 1_000_000} MB limit")
        h = hashlib.sha256()
        n = 0
        with dest.open("wb") as out:
            for chunk in resp.iter_bytes(1 << 16):
                n += len(chunk)
                if n > max_bytes:
                    raise MirrorError(
                        f"the bundle at {url} is larger than the {max_bytes // 1_000_000} MB limit"
                    )
                h.update(chunk)
                out.write(chunk)
                if on_progress is not None:
                    on_progress(n, total)
        return Download(
            200, dest, resp.headers.get("etag"), resp.headers.get("last-modified"), n, 0, h.hexdigest()
        )


def mirror_sync(
    store: Store,
    url: str,
    *,
    on_event: Callable[[SyncEvent], None] | None = None,
    max_bytes: int = MAX_BUNDLE_BYTES,
    attempts: int = 3,
    transport: httpx.BaseTransport | None = None,
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

    def progress(done: int, total: int | None) -> None:
        try:
            emit(SyncEvent("fetch", done, total or 0, message=f"{done // 1000} kB of bundle"))
        except Exception:
            pass

    with tempfile.TemporaryDirectory(dir=store.paths.home, prefix=".mirror-") as work:
        try:
            dl = download(
                url,
                Path(work) / "mirror.bundle",
                etag=state.get("etag"),
                last_modified=state.get("last_modified"),
                max_bytes=max_bytes,
                on_progress=progress,
                attempts=attempts,
                transport=transport,
            )
        except MirrorOffline as e:
            summary.outcome = "offline"
            summary.message = f"cannot reach {url}: {e}; cached data is unchanged"
            summary.seconds = time.monotonic() - t0
            emit(SyncEvent("offline", 0, 0, message=summary.message))
            return summary, None
        summary.requests, summary.conditional = (
            dl.tries,
            int(bool(state.get("etag") or state.get("last_modified"))),
        )
        summary.nbytes = dl.nbytes
        report = None
        if dl.status == 304 or (dl.sha256 and dl.sha256 == state.get("sha256")):
            summary.not_modified = 1 if dl.status == 304 else 0
            summary.unchanged = len(state.get("members") or [])
            summary.members = summary.unchanged
            summary.run_id = _note_unchanged(store, url, summary, t0)
        else:
            assert dl.path is not None
            new_state = {
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
