"""Opening the two databases: identity, damage, migrations, and a data folder that cannot be written.

cache.db is rebuildable: damaged or another program's file, it is moved aside (never deleted) and a new one
started. user.db is the user's own: never moved, never modified when it cannot be used. A folder (or file)
that cannot be written is read in place: `mode=ro`, or `immutable=1` where SQLite cannot even open the WAL
index there; an older schema is then upgraded on an in-memory copy, and no cache at all gives an in-memory
one with the embedded sample.

`quick_check` reads the whole file (about 0.2 s for the cache of 1,000 members), so it runs only when the
cache may be damaged: not after a clean close. A clean close stamps the file's modification time with a
fine-grained time of its own and records the file's identity (device, inode, size, that time) in
`cache.db.clean`; opening removes that mark before anything else, and skips the check only if the mark was
there and the file is exactly as it was left (no -wal beside it). A killed process leaves no mark, and any
write by anyone gives the file another modification time (the kernel's are coarse ticks, never the stamp),
so the check runs after a crash, a concurrent user, a restored or replaced file, or a change by another
program. What it cannot see is damage that changes no metadata (a failing disk): SQLite then reports the
damaged pages when they are read.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from ogptui import config
from ogptui.store import backup
from ogptui.store import db as dbmod
from ogptui.store.db import Database
from ogptui.store.schema import CACHE_MIGRATIONS, USER_MIGRATIONS


def can_write(path: Path) -> bool:
    """Whether `path` (a database file, existing or not) and its folder can be written.

    `access(2)` also answers "no" on a read-only mount, even for root; file modes do not stop root, which is
    why the Store takes this check as a parameter (tests inject it).
    """
    folder = path.parent
    if not os.access(folder, os.W_OK | os.X_OK):
        return False
    return not path.exists() or os.access(path, os.W_OK)


def open_cache(paths: config.Paths, notices: list[str]) -> Database:
    """cache.db, checked (identity, quick_check) and migrated; a damaged or foreign file is moved aside."""
    path = paths.cache_db
    what = f"the cache database {path}"
    closed_clean = take_clean_mark(path)  # before the connection: opening may create a -wal
    try:
        cache = dbmod.connect(path, app_id=dbmod.CACHE_APP_ID, what=what)
        checked = path.exists() and path.stat().st_size and not closed_clean
        problem = dbmod.quick_check(cache) if checked else None
        if problem is None:
            dbmod.migrate(cache, CACHE_MIGRATIONS, dbmod.CACHE_APP_ID)
            return cache
        cache.close()
    except dbmod.ForeignDatabase as e:
        moved = dbmod.move_aside(path, str(e), tag="foreign")
        notices.append(
            f"{path} was not an ogptui cache ({e.reason}); it was moved, "
            f"unchanged, to {moved} and a new cache was started; run `ogptui sync` to fill it"
        )
        return new_cache(path)
    except sqlite3.DatabaseError as e:
        problem = str(e)
    moved = dbmod.move_aside(path, problem)
    notices.append(
        f"the cache database was damaged ({problem}); it was moved to {moved} and rebuilt from the "
        "embedded sample; run `ogptui sync` to refill it"
    )
    return new_cache(path)


def _clean_mark_path(path: Path) -> Path:
    return path.with_name(path.name + ".clean")


def _identity(st: os.stat_result) -> str:
    return f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}"


def take_clean_mark(path: Path) -> bool:
    """Whether `path` was closed clean and is untouched since; the mark is removed in any case (from now on
    this process has the file open, and if it is killed the next start must check)."""
    mark = _clean_mark_path(path)
    try:
        recorded = mark.read_text(encoding="ascii")
        mark.unlink()  # a mark that cannot be removed is not trusted: a crash would leave it behind
        if path.with_name(path.name + "-wal").exists():
            return False
        return recorded == _identity(path.stat())
    except (OSError, UnicodeDecodeError):
        return False


def mark_clean(path: Path) -> None:
    """After the last connection to `path` closed cleanly: stamp it and record its identity (best effort; a
    missing mark only means the next start checks). Nothing when another connection still has it open."""
    if path.with_name(path.name + "-wal").exists() or not path.exists():
        return
    mark = _clean_mark_path(path)
    tmp = mark.with_name(mark.name + ".tmp")
    try:
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, time.time_ns()))  # metadata only: the content is not touched
        tmp.write_text(_identity(path.stat()), encoding="ascii")
        os.replace(tmp, mark)
    except OSError:
        tmp.unlink(missing_ok=True)


def new_cache(path: Path) -> Database:
    cache = dbmod.connect(path, app_id=dbmod.CACHE_APP_ID)
    dbmod.migrate(cache, CACHE_MIGRATIONS, dbmod.CACHE_APP_ID)
    return cache


def open_cache_readonly(paths: config.Paths, notices: list[str]) -> Database:
    """The cache of a data folder that cannot be written: read in place, never changed.

    `mode=ro` first; `immutable=1` when SQLite cannot even open the WAL index there. An older schema is
    upgraded on an in-memory copy; no cache file at all gives an in-memory cache with the embedded sample.
    """
    path = paths.cache_db
    home = paths.home
    note = (
        f"the data folder {home} is read-only: showing the data stored there; sync, import, watch and "
        "other changes are unavailable until it is writable (or OGPTUI_HOME points at another folder)"
    )
    if not (path.exists() and path.stat().st_size):
        notices.append(
            note.replace("showing the data stored there", "no cache there yet, showing the embedded sample")
        )
        return new_cache(Path(":memory:"))
    last: Exception | None = None
    for immutable in (False, True):
        try:
            cache = dbmod.connect(
                path, readonly=True, immutable=immutable, app_id=dbmod.CACHE_APP_ID, what=str(path)
            )
        except dbmod.ForeignDatabase as e:
            raise dbmod.StoreError(f"{e}; the data folder is read-only, so it cannot be moved aside") from e
        except sqlite3.DatabaseError as e:
            last = e
            continue
        try:
            problem = dbmod.quick_check(cache)
            version = cache.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as e:
            cache.close()
            last = e
            continue
        if problem is not None:
            cache.close()
            raise dbmod.CorruptDatabase(
                f"the cache database {path} is damaged ({problem}) and the data folder is read-only; "
                "make the folder writable (the file is then moved aside and rebuilt)"
            )
        if version < len(CACHE_MIGRATIONS):
            cache = upgraded_copy(cache)
        elif version > len(CACHE_MIGRATIONS):
            cache.close()
            raise dbmod.StoreError(
                f"the database was written by a newer ogptui (schema {version}, this one knows "
                f"{len(CACHE_MIGRATIONS)}); upgrade ogptui"
            )
        notices.append(note)
        return cache
    raise dbmod.StoreError(
        f"cannot read the cache database {path} ({last}) and the data folder is read-only; "
        "make it writable or point OGPTUI_HOME at another folder"
    )


def upgraded_copy(cache: Database) -> Database:
    """An in-memory copy of an older cache, migrated (a read-only folder cannot be upgraded in place)."""
    memory = dbmod.connect(Path(":memory:"))
    cache.conn.backup(memory.conn)
    cache.close()
    dbmod.migrate(memory, CACHE_MIGRATIONS, dbmod.CACHE_APP_ID)
    return memory


def open_user(paths: config.Paths, notices: list[str], *, readonly: bool) -> Database | None:
    """user.db; a damaged or foreign file is left untouched and the watchlist is off (None)."""
    path = paths.user_db
    if readonly and not path.exists():
        return None  # nothing to show; the read-only note already says changes are unavailable
    problem = None
    for immutable in (False, True) if readonly else (False,):
        try:
            what = f"your watchlist file {path}"
            user = dbmod.connect(
                path,
                synchronous="FULL",
                readonly=readonly,
                immutable=immutable,
                app_id=dbmod.USER_APP_ID,
                what=what,
            )
            problem = dbmod.quick_check(user)
            if problem is None:
                current = user.execute("PRAGMA user_version").fetchone()[0]
                if readonly:
                    if 0 < current < len(USER_MIGRATIONS):  # read an upgraded copy; the file stays as it is
                        memory = dbmod.connect(Path(":memory:"))
                        user.conn.backup(memory.conn)
                        user.close()
                        dbmod.migrate(memory, USER_MIGRATIONS, dbmod.USER_APP_ID)
                        return memory
                    if current != len(USER_MIGRATIONS):
                        user.close()
                        problem = f"schema {current}, this ogptui needs {len(USER_MIGRATIONS)}"
                        break
                else:
                    if 0 < current < len(USER_MIGRATIONS):
                        backup.daily(user, path)  # the user's own data: a copy before its schema changes
                    dbmod.migrate(user, USER_MIGRATIONS, dbmod.USER_APP_ID)
                return user
            user.close()
            break
        except dbmod.ForeignDatabase as e:
            problem = e.reason
            break
        except (sqlite3.DatabaseError, dbmod.StoreError) as e:
            problem = str(e)
    good = next((c for c in backup.candidates(path) if c.good), None) if path.exists() else None
    restore = (
        f"; `ogptui restore-notes` puts back the newest good backup ({good.path.name})" if good is not None else ""
    )
    notices.append(
        f"your watchlist file {path} cannot be read ({problem}); it was left untouched and the "
        f"watchlist, notes and bookmarks are off until you repair or move it{restore}"
    )
    return None
