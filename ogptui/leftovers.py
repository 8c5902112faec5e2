"""Temporary files and folders of our own runs, and removing those that killed runs left behind.

Exports, imports and mirror downloads work in a temporary folder (`.export-XXXXXXXX`, `.import-…`,
`.mirror-…` in the data folder) or write a temporary file beside their target (`.<name>.XXXXXXXX.tmp`).
A run that is killed cannot remove them, so the next run of the same kind does (`sweep`), and says how much
space it recovered. Only ours are touched: the name must match exactly what `work_dir`/`temp_file` create
(the prefix plus tempfile's 8 random characters), and it must be a real folder or file (never a symlink,
never followed). Whether its run is dead is decided by a lock where the platform has advisory locks: a live
run holds one on its folder's `.lock` file, or on its temporary file, for as long as it runs, and the kernel
drops it when the process dies — so a leftover is removed once it is unlocked and `GRACE` seconds old (the
moment between creating a folder and locking it). Without a lock to ask (no `fcntl`, or a folder made by
code that does not lock), only age decides: nothing inside changed for `STALE_AFTER` seconds.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

try:
    import fcntl
except ImportError:  # Windows: age alone decides
    fcntl = None  # type: ignore[assignment]  # the module or None (Windows): checked before use

GRACE = 10.0  # seconds: an unlocked leftover younger than this may belong to a run that is just starting
STALE_AFTER = 3600.0  # seconds without any change inside: stale even without a lock to ask
LOCK_NAME = ".lock"
_RANDOM = r"[a-z0-9_]{8}"  # what tempfile puts between prefix and suffix


@dataclass
class Swept:
    removed: int = 0
    nbytes: int = 0

    def __add__(self, other: Swept) -> Swept:
        return Swept(self.removed + other.removed, self.nbytes + other.nbytes)

    def text(self, what: str) -> str:
        """'removed 3 leftovers of interrupted exports (126 MB)' (empty when nothing was removed)."""
        if not self.removed:
            return ""
        from ogptui.units import human_size

        n = self.removed
        return (
            f"removed {n} leftover{'s' if n != 1 else ''} of interrupted {what} ({human_size(self.nbytes)})"
        )


# ---- creating: what a run uses while it works ------------------------------------------------------
@contextlib.contextmanager
def work_dir(parent: Path, prefix: str) -> Iterator[Path]:
    """A private temporary folder `parent/<prefix>XXXXXXXX`, locked while in use, removed afterwards."""
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    try:
        with _held(path / LOCK_NAME):
            yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def temp_file(target: Path) -> Iterator[tuple[IO[bytes], Path]]:
    """An open, locked temporary file `.<target name>.XXXXXXXX.tmp` beside `target` (caller renames it)."""
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    fh = os.fdopen(fd, "wb")
    _lock(fh.fileno())
    try:
        yield fh, Path(name)
    finally:
        fh.close()


@contextlib.contextmanager
def _held(lock: Path) -> Iterator[None]:
    with lock.open("wb") as fh:
        _lock(fh.fileno())
        yield


def _lock(fd: int) -> None:
    if fcntl is not None:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _locked_by_someone(path: Path) -> bool:
    if fcntl is None or not path.exists():
        return False
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


# ---- sweeping: what killed runs left ----------------------------------------------------------------
def dir_pattern(prefix: str) -> re.Pattern[str]:
    return re.compile(re.escape(prefix) + _RANDOM + r"\Z")


def file_pattern(target: Path) -> re.Pattern[str]:
    return re.compile(re.escape(f".{target.name}.") + _RANDOM + re.escape(".tmp") + r"\Z")


def sweep_dirs(parent: Path, prefix: str, *, now: float | None = None) -> Swept:
    """Remove `parent/<prefix>XXXXXXXX` folders left by killed runs."""
    return _sweep(parent, dir_pattern(prefix), stat.S_ISDIR, now)


def sweep_files(target: Path, *, now: float | None = None, grace: float = GRACE) -> Swept:
    """Remove `.<target name>.XXXXXXXX.tmp` files beside `target` left by killed runs.

    `grace`: how old an unlocked one must be (files from `temp_file` are locked the moment they exist, so
    a caller that only ever makes them that way may pass 0)."""
    return _sweep(target.parent, file_pattern(target), stat.S_ISREG, now, grace)


def _sweep(
    parent: Path, pattern: re.Pattern[str], kind: Callable[[int], bool], now: float | None, grace: float = GRACE
) -> Swept:
    now = time.time() if now is None else now
    out = Swept()
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return out
    for entry in entries:
        if not pattern.match(entry.name):
            continue
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not kind(st.st_mode):  # a symlink or anything else with our name: not ours
            continue
        path = Path(entry.path)
        newest, size = _newest_and_size(path, st)
        lock = path / LOCK_NAME if stat.S_ISDIR(st.st_mode) else path
        if fcntl is not None and lock.is_file() and not lock.is_symlink():
            if now - newest < grace or _locked_by_someone(lock):
                continue
        elif now - newest < STALE_AFTER:
            continue
        try:
            if stat.S_ISDIR(st.st_mode):
                shutil.rmtree(path)
            else:
                path.unlink()
        except OSError:
            continue
        out.removed += 1
        out.nbytes += size
    return out


def _newest_and_size(path: Path, st: os.stat_result) -> tuple[float, int]:
    newest, size = st.st_mtime, st.st_size if stat.S_ISREG(st.st_mode) else 0
    if stat.S_ISDIR(st.st_mode):
        for root, dirs, files in os.walk(path, followlinks=False):
            for name in dirs + files:
                try:
                    s = os.lstat(os.path.join(root, name))
                except OSError:
                    continue
                newest = max(newest, s.st_mtime)
                if stat.S_ISREG(s.st_mode):
                    size += s.st_size
    return newest, size
