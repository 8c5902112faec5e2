"""`ogptui publish DIR`: write the cache as a static mirror that `sync --mirror URL` fetches incrementally.

The layout is described in `ogptui.mirror_index`. Publishing again only exports the members whose records
changed: each member's digest (`ogptui.store.published`) is compared with the `record_hash` of the index
already in DIR, and an unchanged member keeps its part (same name, same bytes), so clients download nothing
for it; only the shards of the index that list a changed member change. Every new file is written under a
temporary name, flushed to disk and renamed into place (parts, files, shards); `index.json` is replaced
last, in one rename, so a publish killed at any moment leaves the previous index
and every shard and part it names in place. Shards, parts and files named by neither the new index nor the
previous one are
then removed (a client that read the previous index can still finish), with the temporary files of
killed publishes. Two publishes into one folder at once are refused (a lock file, `.publish.lock`).
No Textual here.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ogptui import __version__, leftovers
from ogptui.bundle import BundleError, chosen_members, export_bundle
from ogptui.mirror_index import (
    FILES_DIR,
    INDEX_DIR,
    INDEX_NAME,
    MEMBERS_DIR,
    PART_RE,
    SHA_RE,
    SHARD_RE,
    FileEntry,
    MirrorIndex,
    MirrorIndexError,
    PartEntry,
    load_folder,
    part_name,
)
from ogptui.store import Store, utcnow
from ogptui.store.published import member_digests
from ogptui.store.schema import CACHE_MIGRATIONS
from ogptui.units import human_size

try:
    import fcntl
except ImportError:  # Windows: no advisory lock; a second publish is not detected
    fcntl = None  # type: ignore[assignment]

WORK_PREFIX = ".publish-"
LOCK_NAME = ".publish.lock"
_TEMP_RE = re.compile(r"\A\..+\.[a-z0-9_]{8}\.tmp\Z")  # what leftovers.temp_file names


@dataclass
class PublishReport:
    folder: Path
    generation: int = 0
    members: int = 0
    exported: int = 0  # parts written by this publish
    reused: int = 0  # members unchanged since the previous index: their parts kept
    files_written: int = 0
    files_kept: int = 0
    missing_files: int = 0  # files the records name but this device does not have (left out)
    pruned: int = 0  # parts and files of older generations removed
    bytes_written: int = 0
    previous_unreadable: bool = False
    swept: leftovers.Swept = field(default_factory=leftovers.Swept)

    def text(self) -> str:
        s = (
            f"published {self.members} member{'s' if self.members != 1 else ''} to {self.folder} "
            f"(generation {self.generation}): {self.exported} part{'s' if self.exported != 1 else ''} written, "
            f"{self.reused} unchanged"
        )
        if self.files_written or self.files_kept:
            s += f"; files: {self.files_written} written, {self.files_kept} already there"
        if self.missing_files:
            s += f" ({self.missing_files} not on this device left out)"
        s += f"; {human_size(self.bytes_written)} written"
        if self.pruned:
            s += f"; {self.pruned} file{'s' if self.pruned != 1 else ''} of older generations removed"
        if self.previous_unreadable:
            s += "; the previous index.json was unreadable and was replaced"
        swept = self.swept.text("publishes")
        return f"{s}; {swept}" if swept else s


def _readable(path: Path) -> None:
    """Readable by all (0644): a web server usually runs as another user. Temporary files are created
    private (mkstemp), so each published file gets its mode before it is renamed into place."""
    os.chmod(path, 0o644)


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def _exclusive(folder: Path) -> Iterator[None]:
    with (folder / LOCK_NAME).open("wb") as fh:
        if fcntl is not None:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                raise BundleError(
                    f"another `ogptui publish` is writing to {folder}; wait for it to finish"
                ) from None
        yield


def _target(store: Store, folder: str | os.PathLike[str]) -> Path:
    target = Path(folder).expanduser()
    if target.exists() and not target.is_dir():
        raise BundleError(f"{target} is a file; give the folder to publish the mirror in")
    if not target.parent.is_dir():
        raise BundleError(f"the folder {target.parent} does not exist; create it or choose another place")
    try:
        home = store.paths.home.resolve()
        if target.resolve() == home or home in target.resolve().parents:
            raise BundleError(f"{target} is inside ogptui's data folder; publish somewhere else")
    except OSError:
        pass
    try:
        for sub in ("", MEMBERS_DIR, FILES_DIR, INDEX_DIR):
            (target / sub).mkdir(exist_ok=True)
    except OSError as e:
        raise BundleError(
            f"cannot create {target}: {e.strerror or e}; check the folder and its permissions"
        ) from e
    return target


def _previous(folder: Path) -> tuple[MirrorIndex | None, bool]:
    if not (folder / INDEX_NAME).is_file():
        return None, False
    try:
        return load_folder(folder), False
    except (OSError, MirrorIndexError):
        return None, True


def publish(
    store: Store,
    folder: str | os.PathLike[str],
    *,
    members: list[str] | None = None,
    with_files: bool = False,
) -> PublishReport:
    """Write (or bring up to date) the mirror in `folder`. Raises BundleError (one sentence)."""
    target = _target(store, folder)
    slugs = chosen_members(store, members)
    report = PublishReport(folder=target)
    with _exclusive(target):
        report.swept = _sweep_temps(target)
        previous, report.previous_unreadable = _previous(target)
        index = MirrorIndex(
            created_at=utcnow(),
            generation=(previous.generation if previous else 0) + 1,
            schema_version=len(CACHE_MIGRATIONS),
            app_version=__version__,
        )
        try:
            with leftovers.work_dir(target, WORK_PREFIX) as work:
                for d in member_digests(store.cache, slugs):
                    d.digest = d.digest[:32]
                    old = previous.members.get(d.slug) if previous else None
                    if (
                        old is not None
                        and old.record_hash == d.digest
                        and _intact(target / old.part, old.size)
                    ):
                        entry = PartEntry(
                            d.slug, d.name, d.fetched_at, d.digest, old.part, old.size, old.sha256
                        )
                        report.reused += 1
                    else:
                        entry = _export_part(store, target, work, d.slug, d.name, d.fetched_at, d.digest)
                        report.exported += 1
                        report.bytes_written += entry.size
                    if with_files:
                        entry.files = _publish_files(store, target, d.files, report)
                    index.members[d.slug] = entry
            _fsync_dir(target / MEMBERS_DIR)
            _fsync_dir(target / FILES_DIR)
            _write_index(target, index)
        except OSError as e:
            raise BundleError(
                f"cannot write the mirror in {target}: {e.strerror or e}; check free space and permissions "
                "(the previous index is unchanged)"
            ) from e
        report.members = len(index.members)
        report.generation = index.generation
        report.pruned = _prune(target, index.paths() | (previous.paths() if previous else set()))
    return report


def _intact(path: Path, size: int) -> bool:
    try:
        return path.is_file() and not path.is_symlink() and path.stat().st_size == size
    except OSError:
        return False


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _export_part(
    store: Store, target: Path, work: Path, slug: str, name: str, fetched_at: str | None, digest: str
) -> PartEntry:
    staged = work / "part.bundle"
    export_bundle(store, staged, members=[slug])
    sha = _sha256(staged)
    rel = part_name(slug, sha)
    size = staged.stat().st_size
    _readable(staged)
    os.replace(staged, target / rel)  # same file system: the work folder is inside the mirror's folder
    return PartEntry(slug, name, fetched_at, digest, rel, size, sha)


def _publish_files(
    store: Store, target: Path, files: list[tuple[str, str, int]], report: PublishReport
) -> list[FileEntry]:
    out = []
    for rel, sha, _size in files:
        sha = sha.lower()
        if not SHA_RE.match(sha):
            report.missing_files += 1
            continue
        dest = target / FILES_DIR / sha
        local = store.local_file(rel)
        if local is None:
            report.missing_files += 1
            continue
        size = local.stat().st_size
        if _intact(dest, size):
            report.files_kept += 1
            out.append(FileEntry(rel, sha, size))
            continue
        if not _copy_checked(local, dest, sha):
            report.missing_files += 1  # damaged on this device: never publish bytes that lie about their name
            continue
        report.files_written += 1
        report.bytes_written += size
        out.append(FileEntry(rel, sha, size))
    return out


def _copy_checked(src: Path, dest: Path, sha: str) -> bool:
    h = hashlib.sha256()
    with leftovers.temp_file(dest) as (fh, tmp):
        try:
            with src.open("rb") as inp:
                for chunk in iter(lambda: inp.read(1 << 20), b""):
                    h.update(chunk)
                    fh.write(chunk)
            fh.flush()
            os.fsync(fh.fileno())
            if h.hexdigest() != sha:
                tmp.unlink(missing_ok=True)
                return False
            _readable(tmp)
            os.replace(tmp, dest)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    return True


def _write_index(target: Path, index: MirrorIndex) -> None:
    """The shards (content-addressed: one already there is kept), then the root, each renamed into place."""
    root, shards = index.documents()
    for rel, data in shards.items():
        if not _intact(target / rel, len(data)):
            _write_file(target / rel, data)
    _fsync_dir(target / INDEX_DIR)
    _write_file(target / INDEX_NAME, root)
    _fsync_dir(target)


def _write_file(path: Path, data: bytes) -> None:
    with leftovers.temp_file(path) as (fh, tmp):
        try:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
            _readable(tmp)
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise


def _sweep_temps(target: Path) -> leftovers.Swept:
    """Work folders and temporary files of killed publishes (we hold the folder's lock: none is in use)."""
    swept = leftovers.Swept()
    work = leftovers.dir_pattern(WORK_PREFIX)
    with contextlib.suppress(OSError):
        for p in target.iterdir():
            if work.match(p.name) and p.is_dir() and not p.is_symlink():
                size = sum(f.stat().st_size for f in p.rglob("*") if f.is_file())
                shutil.rmtree(p, ignore_errors=True)
                swept = swept + leftovers.Swept(1, size)
    for sub in ("", MEMBERS_DIR, FILES_DIR, INDEX_DIR):
        with contextlib.suppress(OSError):
            for p in (target / sub).iterdir():
                if _TEMP_RE.match(p.name) and p.is_file() and not p.is_symlink():
                    size = p.stat().st_size
                    p.unlink(missing_ok=True)
                    swept = swept + leftovers.Swept(1, size)
    return swept


def _prune(target: Path, keep: set[str]) -> int:
    """Remove parts and files that neither of the two newest indexes names (only names of our own form)."""
    removed = 0
    for sub, pattern in ((MEMBERS_DIR, PART_RE), (FILES_DIR, SHA_RE), (INDEX_DIR, SHARD_RE)):
        with contextlib.suppress(OSError):
            for p in (target / sub).iterdir():
                rel = f"{sub}/{p.name}"
                name_ok = pattern.match(p.name if sub == FILES_DIR else rel)
                if name_ok and rel not in keep and p.is_file() and not p.is_symlink():
                    p.unlink(missing_ok=True)
                    removed += 1
    return removed


__all__ = ["PublishReport", "publish"]
