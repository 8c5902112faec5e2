"""Incremental mirror sync: import a published mirror (`ogptui publish`) part by part (`sync --mirror URL/`).

`ogptui.mirror.mirror_sync` fetches the root index (a conditional GET) and hands it here when it is an
`index.json` rather than a bundle. The shards it names that the last complete sync did not see are fetched
(each checked against its size and sha256, then read whole by `parse_shard`: one bad entry refuses the
sync). Then, for each member they list:

- its part is skipped when this cache already imported a part with the same sha256 from this mirror (and
  every attachment file the index lists for it is on this device);
- otherwise the part (and the missing files) are downloaded through `ogptui.source.Source` (the same retries,
  same-site redirects, time limits and size caps as every download; the cap is the size the index gives)
  into `<data folder>/.mirror-parts/<sha256>.part`, resuming a part cut off earlier with an HTTP range;
- each download is checked against the size and sha256 in the index: a part that does not match is deleted
  and nothing is imported from it;
- the part is verified like any bundle (`verify_bundle`: zip bombs, checksums, schema, integrity) and must
  hold exactly the member the index names; then it is merged with the bundle rules (newer-fetched wins,
  cleaned on the way in, user.db untouched) in **one transaction per member**, which also records in `meta`
  that this part is imported. A kill therefore loses at most the member being imported; the next run skips
  the finished ones and resumes the cut-off download.

The index's validators are stored only when every part of it is imported, so a conditional GET can only
answer 304 for an index the cache holds completely. No Textual here.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import shutil
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx

from ogptui import leftovers
from ogptui.bundle import IMPORT_PREFIX, BundleError, ImportReport, merge_verified, verify_bundle
from ogptui.mirror_index import MirrorIndex, MirrorIndexError, PartEntry, parse_index, parse_shard
from ogptui.source import FetchError, Source
from ogptui.store import Store, utcnow
from ogptui.sync import SyncEvent, SyncSummary
from ogptui.units import human_size

try:
    import fcntl
except ImportError:  # Windows: no advisory lock
    fcntl = None  # type: ignore[assignment]

PARTS_DIR = ".mirror-parts"
DISK_MARGIN = 50_000_000


class PartsError(Exception):
    """The mirror cannot be synced at all (one sentence); nothing was imported."""


class _Stop(Exception):
    """The run must stop (offline or deadline); finished members stay imported."""

    def __init__(self, outcome: str, message: str) -> None:
        super().__init__(message)
        self.outcome = outcome


@contextlib.contextmanager
def _parts_folder(home: Path) -> Iterator[Path]:
    folder = home / PARTS_DIR
    folder.mkdir(exist_ok=True)
    with (folder / ".lock").open("wb") as fh:
        if fcntl is not None:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                raise PartsError(
                    "another mirror sync is running in this data folder; wait for it to finish"
                ) from None
        yield folder


def read_index(path: Path, where: str, limit: int) -> MirrorIndex:
    try:
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
    except OSError as e:
        raise PartsError(f"cannot read the downloaded index of {where}: {e.strerror or e}") from e
    try:
        return parse_index(data, where)
    except MirrorIndexError as e:
        raise PartsError(str(e)) from None


def base_of(index_url: str) -> str:
    return index_url.rsplit("/", 1)[0] + "/"


def sync_parts(
    store: Store,
    *,
    url: str,
    index_url: str,
    index: MirrorIndex,
    state: dict[str, Any],
    key: str,
    validators: dict[str, Any],
    summary: SyncSummary,
    emit: Callable[[SyncEvent], None],
    deadline_at: float | None,
    source_options: dict | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> ImportReport:
    """Download and import what `index` has that this cache lacks; fills `summary` (failed parts included).

    `validators` (etag, last_modified, sha256 of the index) are stored only when every part is imported.
    Raises PartsError when nothing can be done (disk space, a concurrent run).
    """
    base = base_of(index_url)
    done: dict[str, str] = {
        k: v for k, v in (state.get("parts") or {}).items() if isinstance(k, str) and isinstance(v, str)
    }
    # Shards seen whole by the last complete sync list nothing new (a shard is named by its content).
    known = {p for p in (state.get("shards") or []) if isinstance(p, str)} if state.get("complete") else set()
    report = ImportReport(source=url)
    with _parts_folder(store.paths.home) as folder:
        try:
            fresh = [s for s in index.shards if s.path not in known]
            asyncio.run(
                _read_shards(base, index, fresh, folder, summary, deadline_at, source_options, transport)
            )
        except _Stop as stop:
            summary.outcome = stop.outcome
            summary.message = f"{stop}; nothing was imported, run `ogptui sync --mirror` again"
            return report
        todo = [e for slug, e in sorted(index.members.items()) if not _have(store, e, done.get(slug))]
        summary.members = index.member_count
        summary.unchanged = index.member_count - len(todo)
        work_state = {
            "parts": done,
            "member_count": index.member_count,
            "complete": False,
            "index_url": index_url,
        }
        need = sum(e.size + sum(f.size for f in e.files) for e in todo)
        _check_space(folder, need)
        if todo:
            emit(
                SyncEvent(
                    "start", 0, len(todo), message=f"{len(todo)} of {index.member_count} members to fetch"
                )
            )
        try:
            session = (deadline_at, source_options, transport)
            args = (store, base, todo, folder, done, work_state, key, report, summary, emit)
            asyncio.run(_run(*args, *session))
        except _Stop as stop:
            summary.outcome = stop.outcome
            n = sum(1 for e in todo if done.get(e.slug) == e.sha256)
            left = len(todo) - n - len(summary.failed)
            summary.message = (
                f"{stop}; {n} member part{'s' if n != 1 else ''} imported, {left} left: "
                "run `ogptui sync --mirror` again to continue (finished parts are kept)"
            )
        if summary.outcome == "ok" and not summary.failed:
            _forget_partials(folder, keep=set())
            shards = sorted(s.path for s in index.shards)
            state = {**work_state, **validators, "shards": shards, "complete": True, "imported_at": utcnow()}
            store.set_meta(key, json.dumps(state))
        elif summary.failed and summary.outcome == "ok":
            summary.outcome = "partial"
    return report


def _have(store: Store, entry: PartEntry, imported_sha: str | None) -> bool:
    if imported_sha != entry.sha256:
        return False
    return all(store.local_file(f.path) is not None for f in entry.files)


def _check_space(folder: Path, need: int) -> None:
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return
    if need * 2 + DISK_MARGIN > free:  # the part, then its unpacked database
        raise PartsError(
            f"the mirror's new parts need about {human_size(need * 2 + DISK_MARGIN)} of free disk space and "
            f"{human_size(free)} is free; free some space and try again"
        )


def _forget_partials(folder: Path, keep: set[str]) -> None:
    for p in folder.glob("*.part"):
        if p.name not in keep:
            p.unlink(missing_ok=True)


DEADLINE = "the mirror sync took longer than the run deadline (setting run_deadline)"


@contextlib.asynccontextmanager
async def _session(
    base: str,
    summary: SyncSummary,
    deadline_at: float | None,
    source_options: dict | None,
    transport: httpx.AsyncBaseTransport | None,
) -> AsyncIterator[Source]:
    """One Source for a run of downloads, under what is left of the run deadline; counts its requests."""
    left = None if deadline_at is None else deadline_at - time.monotonic()
    if left is not None and left <= 0:
        raise _Stop("deadline", DEADLINE)
    async with Source(base, delay=0, transport=transport, **(source_options or {})) as src:
        try:
            async with asyncio.timeout(left):
                yield src
        except TimeoutError:
            raise _Stop("deadline", DEADLINE) from None
        finally:
            summary.requests += src.counters.requests
            summary.retries += src.counters.retries
            summary.nbytes += src.counters.bytes


async def _read_shards(
    base: str, index: MirrorIndex, shards: list[Any], folder: Path, summary: SyncSummary, *session: Any
) -> None:
    """Fetch the shards not seen before (each checked against its size and sha256) into `index.members`."""
    if not shards:
        return
    async with _session(base, summary, *session) as src:
        for s in shards:
            dest = folder / f"{s.sha256}.part"
            try:
                await _fetch(src, base, s.path, dest, s.size, s.sha256)
                index.members.update(parse_shard(dest.read_bytes(), base + s.path))
            except (ValueError, MirrorIndexError) as e:
                raise PartsError(str(e)) from None
            finally:
                dest.unlink(missing_ok=True)


async def _run(
    store: Store,
    base: str,
    todo: list[PartEntry],
    folder: Path,
    done: dict[str, str],
    work_state: dict[str, Any],
    key: str,
    report: ImportReport,
    summary: SyncSummary,
    emit: Callable[[SyncEvent], None],
    *session: Any,
) -> None:
    async with _session(base, summary, *session) as src:
        for i, entry in enumerate(todo):
            await _one(store, src, base, entry, folder, done, work_state, key, report, summary)
            emit(SyncEvent("member_done", i + 1, len(todo), slug=entry.slug, message=entry.name))


async def _fetch(src: Source, base: str, rel: str, dest: Path, size: int, sha: str) -> int:
    """Download `rel` to `dest` (resuming), check size and sha256; returns bytes transferred.

    Raises _Stop when the mirror stopped answering, ValueError (one sentence) for a file that is not the one
    the index promised (it is deleted)."""
    url = base + rel
    if dest.is_file() and dest.stat().st_size == size and _sha(dest) == sha:
        return 0  # downloaded whole by a run that was stopped before importing it
    if dest.is_file() and dest.stat().st_size >= size:
        dest.unlink()
    try:
        res = await src.download(url, dest, max_bytes=size, resume=True)
    except FetchError as e:
        if e.kind in ("connect", "timeout", "offline"):
            raise _Stop("offline", f"cannot reach the mirror {base}: {e.reason}") from e
        if e.kind == "too_large":
            dest.unlink(missing_ok=True)
            raise ValueError(
                f"{url} is larger than index.json says ({size} bytes); publish the mirror again"
            ) from e
        raise ValueError(f"{url}: {e.reason}; check the mirror, or publish it again") from e
    if res.gone:
        raise ValueError(f"{url} is missing on the mirror (HTTP {res.status}); publish the mirror again")
    got = res.path.stat().st_size if res.path is not None and res.path.exists() else 0
    if got != size or res.sha256 != sha:
        dest.unlink(missing_ok=True)
        raise ValueError(
            f"{url} does not match its size and sha256 in index.json (damaged or altered on the way); "
            "nothing was imported from it, run the sync again"
        )
    return res.nbytes


def _sha(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


async def _one(
    store: Store,
    src: Source,
    base: str,
    entry: PartEntry,
    folder: Path,
    done: dict[str, str],
    work_state: dict[str, Any],
    key: str,
    report: ImportReport,
    summary: SyncSummary,
) -> None:
    part = folder / f"{entry.sha256}.part"
    try:
        carried: dict[str, Path] = {}
        for f in entry.files:
            if store.local_file(f.path) is not None:
                continue
            dest = folder / f"{f.sha256}.part"
            n = await _fetch(src, base, f.url_path, dest, f.size, f.sha256)
            summary.files_updated += 1
            summary.files_bytes += n
            carried[f.path] = dest
        await _fetch(src, base, entry.part, part, entry.size, entry.sha256)
        got = _import(store, base, entry, part, carried, done, work_state, key, report)
    except (ValueError, BundleError) as e:
        summary.failed.append((entry.slug, str(e)))
        return
    part.unlink(missing_ok=True)
    summary.updated += len(got.added) + len(got.updated)
    summary.unchanged += len(got.kept)  # this cache already had the part's data, or newer
    summary.changes = report.changes


def _import(
    store: Store,
    base: str,
    entry: PartEntry,
    part: Path,
    carried: dict[str, Path],
    done: dict[str, str],
    work_state: dict[str, Any],
    key: str,
    report: ImportReport,
) -> ImportReport:
    name = f"the part {base}{entry.part}"
    with leftovers.work_dir(store.paths.home, IMPORT_PREFIX) as work:
        try:
            verified = verify_bundle(part, work, name=name)
        except BundleError:
            part.unlink(missing_ok=True)  # a bad bundle never gets better: fetch it anew next time
            raise
        inside = sorted((verified.manifest.get("members") or {}).keys())
        if inside != [entry.slug]:
            part.unlink(missing_ok=True)
            raise BundleError(
                f"{name} holds {', '.join(inside[:3]) or 'no member'} instead of {entry.slug}; nothing was "
                "imported from it, publish the mirror again"
            )
        verified.files.update(carried)
        state = {**work_state, "parts": {**done, entry.slug: entry.sha256}}
        got = merge_verified(
            store, verified, label=f"{base}{entry.part}", target="mirror", meta={key: json.dumps(state)}
        )
    done[entry.slug] = entry.sha256
    report.added += got.added
    report.updated += got.updated
    report.kept += got.kept
    report.details_added += got.details_added
    report.details_updated += got.details_updated
    report.documents_added += got.documents_added
    report.documents_updated += got.documents_updated
    report.files_added += got.files_added
    report.changes += got.changes
    report.run_id = got.run_id
    return got


__all__ = ["PARTS_DIR", "PartsError", "base_of", "read_index", "sync_parts"]
