"""Opening the two SQLite files: pragmas, identity checks, corruption handling, numbered migrations."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlite_utils

CACHE_APP_ID = 0x4F475043  # "OGPC"
USER_APP_ID = 0x4F475055  # "OGPU"
BUSY_TIMEOUT_MS = 10_000

Migration = Callable[["Database"], None]


class StoreError(Exception):
    """A storage problem the user must act on (one sentence, says what to do)."""


class CorruptDatabase(StoreError):
    pass


class Database:
    """A connection with the read helpers start-up needs; sqlite-utils' Database on first use of anything else.

    Importing sqlite-utils costs 50-70 ms (it pulls in click, dateutil and pluggy), more than a third of
    what ogptui adds to a bare Textual start. Reads (`execute`, `query`) go straight to sqlite3, so the
    first screen is painted without it; table helpers (`db["t"].upsert`, `atomic`, `executescript`, ...)
    build the real sqlite_utils.Database on the same connection the first time they are needed.
    """

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self._full: sqlite_utils.Database | None = None

    @property
    def full(self) -> sqlite_utils.Database:
        if self._full is None:
            import sqlite_utils

            self._full = sqlite_utils.Database(self.conn)
        return self._full

    def execute(self, sql: str, parameters: Any = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, parameters)

    def query(self, sql: str, params: Any = ()) -> Iterator[dict[str, Any]]:
        cursor = self.conn.execute(sql, params)
        keys = [d[0] for d in cursor.description or ()]
        return (dict(zip(keys, row, strict=True)) for row in cursor)

    def close(self) -> None:
        self.conn.close()

    def __getitem__(self, table: str) -> Any:
        return self.full[table]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.full, name)


def connect(path: Path, *, synchronous: str = "NORMAL", readonly: bool = False) -> Database:
    """A connection in autocommit mode (transactions are explicit), WAL, with a busy timeout."""
    if readonly:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    else:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
    conn.isolation_level = None
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if not readonly:
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":  # e.g. a read-only folder: keep going with what we have
            pass
        conn.execute(f"PRAGMA synchronous = {synchronous}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(
        "PRAGMA recursive_triggers = ON"
    )  # what sqlite-utils sets: the same before and after it loads
    return Database(conn)


def check_identity(db: Database, app_id: int, what: str) -> None:
    """Refuse a file that belongs to another program (a non-zero, different application_id)."""
    found = db.execute("PRAGMA application_id").fetchone()[0]
    if found not in (0, app_id):
        raise StoreError(f"{what} is not an ogptui database (application_id {found:#x}); move it away")


def quick_check(db: Database) -> str | None:
    """None when healthy, else the first problem reported by SQLite."""
    try:
        rows = db.execute("PRAGMA quick_check(1)").fetchall()
    except sqlite3.DatabaseError as e:
        return str(e)
    msg = rows[0][0] if rows else "no answer"
    return None if msg == "ok" else msg


def migrate(db: Database, migrations: Sequence[Migration], app_id: int) -> int:
    """Apply numbered migrations past `user_version`, each in its own immediate transaction.

    Returns how many were applied (0 when up to date, so re-running is a no-op).
    """
    current = db.execute("PRAGMA user_version").fetchone()[0]
    if current > len(migrations):
        raise StoreError(
            f"the database was written by a newer ogptui (schema {current}, this one knows {len(migrations)}); "
            "upgrade ogptui"
        )
    applied = 0
    for number in range(current + 1, len(migrations) + 1):
        db.execute("BEGIN IMMEDIATE")
        try:
            migrations[number - 1](db)
            db.execute(f"PRAGMA user_version = {number}")
            db.execute(f"PRAGMA application_id = {app_id}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        applied += 1
    return applied


def move_aside(path: Path, reason: str) -> Path:
    """Rename a damaged database (and its -wal/-shm) out of the way; never delete it."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    path.rename(target)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.rename(target.with_name(target.name + suffix))
    return target
