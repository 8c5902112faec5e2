"""Opening the two SQLite files: pragmas, identity checks, corruption handling, numbered migrations.

Everything is plain sqlite3, named: reads (`Database.execute`, `Database.query`), writes of rows derived from
the record declarations (`Database.insert`, `Database.upsert`), and migrations, whose statements run one by
one inside one `BEGIN IMMEDIATE` (`sqlite3.executescript` would COMMIT first, so a failing step could leave
half a schema). sqlite-utils is not used: importing it cost 50-70 ms before the first paint, and its
`upsert`/`insert_all` read the table's columns on every call, which made a 200-member bundle import 1.8x
slower than these two statements.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from ogptui.config import aside_name

CACHE_APP_ID = 0x4F475043  # "OGPC"
USER_APP_ID = 0x4F475055  # "OGPU"
BUSY_TIMEOUT_MS = 10_000

Migration = Callable[["Database"], None]


class StoreError(Exception):
    """A storage problem the user must act on (one sentence, says what to do)."""


class CorruptDatabase(StoreError):
    pass


class ReadOnlyStore(StoreError):
    """A write was asked of a store opened read-only (the data folder or file cannot be written)."""


class ForeignDatabase(StoreError):
    """The file is a SQLite database of another application (`reason` says how that shows)."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


def statements(script: str) -> list[str]:
    """Split an SQL script into complete statements (a trigger body's `;` does not end its statement)."""
    out: list[str] = []
    buf = ""
    for piece in script.split(";"):
        buf += piece + ";"
        if sqlite3.complete_statement(buf):
            if buf.strip(" \t\r\n;"):
                out.append(buf.strip())
            buf = ""
    if buf.strip(" \t\r\n;"):
        raise ValueError(f"incomplete SQL statement at the end of a script: {buf.strip()[:80]!r}")
    return out


class Database:
    """One SQLite connection in autocommit mode (transactions are explicit), plain sqlite3 throughout.

    `insert`/`upsert` write rows whose keys are the columns derived from the record declarations.
    """

    def __init__(self, conn: sqlite3.Connection, *, readonly: bool = False):
        self.conn = conn
        self.readonly = readonly

    def execute(self, sql: str, parameters: Any = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, parameters)

    def query(self, sql: str, params: Any = ()) -> Iterator[dict[str, Any]]:
        cursor = self.conn.execute(sql, params)
        keys = [d[0] for d in cursor.description or ()]
        return (dict(zip(keys, row, strict=True)) for row in cursor)

    def insert(self, table: str, rows: Sequence[Mapping[str, Any]]) -> int:
        """INSERT rows that all have the same keys (the columns derived from a record); returns the count."""
        if not rows:
            return 0
        cols = list(rows[0])
        sql = f"INSERT INTO {_ident(table)} ({', '.join(map(_ident, cols))}) VALUES ({', '.join('?' * len(cols))})"
        self.conn.executemany(sql, [[r[c] for c in cols] for r in rows])
        return len(rows)

    def upsert(self, table: str, row: Mapping[str, Any], pk: str) -> None:
        """Insert a row, or replace the given columns of the row with the same primary key (others are kept)."""
        cols = list(row)
        sets = ", ".join(f"{_ident(c)} = excluded.{_ident(c)}" for c in cols if c != pk)
        sql = (
            f"INSERT INTO {_ident(table)} ({', '.join(map(_ident, cols))}) VALUES ({', '.join('?' * len(cols))})"
            f" ON CONFLICT ({_ident(pk)}) DO " + (f"UPDATE SET {sets}" if sets else "NOTHING")
        )
        self.conn.execute(sql, [row[c] for c in cols])

    def script(self, sql: str) -> None:
        """Run the statements of a script one by one, inside the caller's transaction (never COMMITs)."""
        if not self.conn.in_transaction:
            raise RuntimeError("Database.script runs inside a transaction (BEGIN IMMEDIATE first)")
        for statement in statements(sql):
            self.conn.execute(statement)

    @property
    def in_transaction(self) -> bool:
        return self.conn.in_transaction

    def close(self) -> None:
        self.conn.close()


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def connect(
    path: Path,
    *,
    synchronous: str = "NORMAL",
    readonly: bool = False,
    immutable: bool = False,
    app_id: int | None = None,
    what: str | None = None,
) -> Database:
    """A connection in autocommit mode (transactions are explicit), WAL, with a busy timeout.

    `readonly` opens with `mode=ro` (nothing can be written, no -wal/-shm created when they exist);
    `immutable` also tells SQLite that nobody else writes the file, which is what makes a WAL database on a
    read-only folder or medium readable at all (there is no -shm to create). With `app_id`, a file of another
    program raises ForeignDatabase before any pragma can change it (not even its journal mode).
    """
    if readonly or immutable:
        uri = Path(path).resolve().as_uri() + "?mode=ro" + ("&immutable=1" if immutable else "")
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    else:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
    conn.isolation_level = None
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db = Database(conn, readonly=readonly or immutable)
    if app_id is not None:
        try:
            check_identity(db, app_id, what or str(path))  # before anything below touches the file
        except BaseException:
            conn.close()
            raise
    if not (readonly or immutable):
        conn.execute("PRAGMA journal_mode = WAL")  # stays "delete" on media without WAL support: fine
        conn.execute(f"PRAGMA synchronous = {synchronous}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(
        "PRAGMA recursive_triggers = ON"
    )  # what sqlite-utils sets: the same before and after it loads
    return db


def foreign_reason(db: Database, app_id: int) -> str | None:
    """Why the file is another program's database, or None when it is ours (or new and empty).

    Ours carries `app_id` (set by the first migration, in the same transaction as the tables). A file with
    another non-zero application_id, or with none but with tables of its own, belongs to someone else:
    it must never get our tables added.
    """
    found = db.execute("PRAGMA application_id").fetchone()[0]
    if found == app_id:
        return None
    if found != 0:
        return f"it belongs to another program (application_id {found:#x})"
    tables = [
        r[0]
        for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name LIMIT 4"
        )
    ]
    if tables:
        shown = ", ".join(tables[:3]) + (", ..." if len(tables) > 3 else "")
        return f"it is another program's database (tables {shown})"
    return None


def check_identity(db: Database, app_id: int, what: str) -> None:
    """Refuse a file that belongs to another program (see `foreign_reason`)."""
    reason = foreign_reason(db, app_id)
    if reason is not None:
        raise ForeignDatabase(f"{what} is not an ogptui database ({reason}); move it away", reason)


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


def move_aside(path: Path, reason: str, *, tag: str = "corrupt") -> Path:
    """Rename a damaged (or foreign) database and its -wal/-shm out of the way; never delete it."""
    target = aside_name(path, tag)
    path.rename(target)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.rename(target.with_name(target.name + suffix))
    return target
