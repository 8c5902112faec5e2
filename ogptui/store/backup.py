"""Backups of user.db (the user's notes, bookmarks and watchlist: the one file that cannot be rebuilt).

Once a day, before the first write, `daily` copies user.db to `user.db.bak-<YYYY-MM-DD>` beside it with
SQLite's online backup API (a consistent copy even while another process writes; never a copy of a live
WAL file), written to a temporary name, synced and renamed, so a backup is whole or absent. The newest
KEEP backups are kept. `candidates` checks each backup (identity, quick_check, schema) for
`ogptui restore-notes`; `restore` puts one back: the current user.db is moved aside (renamed, never
overwritten or deleted, damaged or not) and the backup is copied in with the same API.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ogptui.store import db as dbmod
from ogptui.store.schema import USER_MIGRATIONS

KEEP = 5
_NAME = re.compile(r"\.bak-(\d{4}-\d{2}-\d{2})$")

today: Callable[[], date] = date.today  # tests replace it to step through days


def backup_path(user_db: Path, day: date) -> Path:
    return user_db.with_name(f"{user_db.name}.bak-{day.isoformat()}")


def backups(user_db: Path) -> list[Path]:
    """The backups beside user.db, newest first (by the date in their names)."""
    found = []
    for p in user_db.parent.glob(f"{user_db.name}.bak-*"):
        m = _NAME.search(p.name)
        if m and p.is_file():
            found.append((m.group(1), p))
    return [p for _, p in sorted(found, reverse=True)]


def _copy(source: sqlite3.Connection, target: Path) -> None:
    """source → target with the backup API, via a temporary file renamed into place (whole or absent)."""
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        dest = sqlite3.connect(str(tmp))
        try:
            source.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        finally:
            dest.close()
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def daily(user: dbmod.Database, user_db: Path, *, keep: int = KEEP) -> Path | None:
    """Make today's backup if there is none yet; prune to the newest `keep`. Returns the new backup."""
    target = backup_path(user_db, today())
    if target.exists():
        return None
    _copy(user.conn, target)
    for old in backups(user_db)[keep:]:
        with contextlib.suppress(OSError):
            old.unlink()
    return target


@dataclass
class Candidate:
    path: Path
    problem: str | None  # None: a good backup
    notes: int = 0
    bookmarks: int = 0
    watched: int = 0

    @property
    def good(self) -> bool:
        return self.problem is None

    def text(self) -> str:
        if self.problem:
            return f"{self.path.name}: unusable ({self.problem})"
        return f"{self.path.name}: {self.notes} notes, {self.bookmarks} bookmarks, {self.watched} watched"


def check(path: Path) -> Candidate:
    """Is this a readable ogptui user.db (or backup) of a schema this version knows? With its counts."""
    try:
        db = dbmod.connect(path, readonly=True, app_id=dbmod.USER_APP_ID, what=str(path))
    except dbmod.ForeignDatabase as e:
        return Candidate(path, e.reason)
    except sqlite3.DatabaseError as e:
        return Candidate(path, str(e))
    try:
        problem = dbmod.quick_check(db)
        if problem is not None:
            return Candidate(path, problem)
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version == 0 or version > len(USER_MIGRATIONS):
            return Candidate(path, f"schema {version}, this ogptui knows 1-{len(USER_MIGRATIONS)}")
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        counts = {
            t: int(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0])
            for t in ("notes", "bookmarks", "watchlist")
            if t in tables
        }
        return Candidate(
            path, None, counts.get("notes", 0), counts.get("bookmarks", 0), counts.get("watchlist", 0)
        )
    except sqlite3.DatabaseError as e:
        return Candidate(path, str(e))
    finally:
        db.close()


def candidates(user_db: Path) -> list[Candidate]:
    return [check(p) for p in backups(user_db)]


def restore(backup: Path, user_db: Path) -> Path | None:
    """Put `backup` in place of user.db. The current file (if any) is moved aside, never overwritten;
    returns where it went. The backup itself is left as it was."""
    found = check(backup)
    if not found.good:
        raise dbmod.StoreError(f"{backup} cannot be restored: {found.problem}; choose another backup")
    staged = user_db.with_name(f".{user_db.name}.restore")
    src = sqlite3.connect(backup.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        _copy(src, staged)  # the whole copy first: a failure here leaves user.db as it was
    finally:
        src.close()
    moved = None
    if user_db.exists():
        moved = dbmod.move_aside(user_db, "restore", tag="before-restore")
    os.replace(staged, user_db)
    return moved
