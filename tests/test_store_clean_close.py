"""Start-up without `quick_check` after a clean close (issue 19): the check is skipped only when the cache was
closed clean and nothing touched it since; after a kill, a change, a replaced file or a concurrent user it
runs, and a damaged cache is still moved aside unchanged before anything is written to it."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from ogptui import config
from ogptui.seed import open_store
from ogptui.store import db as dbmod
from tests.test_reliability_files import moved_caches
from tests.test_store import sample_member


@pytest.fixture
def checks(monkeypatch) -> list[str]:
    """The files `quick_check` ran on, in order."""
    seen: list[str] = []
    real = dbmod.quick_check

    def spy(db):
        seen.append(os.path.basename(db.execute("PRAGMA database_list").fetchone()[2]))
        return real(db)

    monkeypatch.setattr(dbmod, "quick_check", spy)
    return seen


@pytest.fixture
def home(ogptui_home):
    """A cache with one member, closed clean."""
    with open_store(seed=False) as s:
        s.write_member(sample_member())
    return ogptui_home


def test_clean_close_skips_the_check_once(home, checks):
    assert (home / "cache.db.clean").exists()
    s = open_store(seed=False)
    try:
        assert checks == ["user.db"]  # user.db is small and the user's own: always checked
        assert not (home / "cache.db.clean").exists()  # taken at open: a kill from here on leaves none
        assert s.get_member("ruritania") is not None
    finally:
        s.close()
    assert (home / "cache.db.clean").exists()


def test_no_mark_no_skip(home, checks):
    (home / "cache.db.clean").unlink()
    open_store(seed=False).close()
    assert checks == ["cache.db", "user.db"]


def test_killed_process_leaves_no_mark_and_the_next_start_checks(home, checks):
    code = (
        "import sys, time\n"
        "from ogptui.seed import open_store\n"
        "s = open_store(seed=False)\n"
        "s.list_members()\n"
        "print('ready', flush=True)\n"
        "time.sleep(60)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "ready"
        assert not (home / "cache.db.clean").exists()
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    open_store(seed=False).close()
    assert checks == ["cache.db", "user.db"]


def test_open_elsewhere_gives_no_mark_and_a_check(home, checks):
    other = open_store(seed=False)  # takes the mark (clean: no check)
    try:
        s = open_store(seed=False)  # no mark any more, and the other connection's -wal: checked
        s.close()
        assert not (home / "cache.db.clean").exists()  # not the last to close: no claim
    finally:
        other.close()
    assert checks == ["user.db", "cache.db", "user.db"]
    assert (home / "cache.db.clean").exists()  # the last to close marks it


def _damage_data_pages(path) -> None:
    """Overwrite pages in the last third of the file (member data, not the schema read at open), size kept."""
    page = 4096
    pages = path.stat().st_size // page
    with open(path, "r+b") as fh:
        for n in range(pages * 2 // 3, pages - 1, 2):
            fh.seek(n * page + 8)
            fh.write(b"\xa5" * 600)


def test_damage_after_a_clean_close_is_still_found_moved_aside_unchanged_and_rebuilt(ogptui_home, checks):
    with open_store(seed=False) as s:
        for i in range(40):
            s.write_member(sample_member(f"member{i:02d}", n_resources=30))
    cache = ogptui_home / "cache.db"
    _damage_data_pages(cache)  # right after the close, same size, well within the kernel's timestamp tick
    damaged = cache.read_bytes()
    s = open_store(seed=False)
    try:
        assert checks[-2:] == ["cache.db", "user.db"]
        (moved,) = moved_caches(ogptui_home)
        assert moved.read_bytes() == damaged  # nothing was written to it before the check
        assert any("damaged" in n and str(moved) in n for n in s.notices)
        assert s.list_members() == []  # a new cache
    finally:
        s.close()


def test_garbage_after_a_clean_close_is_moved_aside(home):
    cache = home / "cache.db"
    size = cache.stat().st_size
    with open(cache, "r+b") as fh:  # same size, same inode
        fh.write(b"\x00not a database\x00" * (size // 16))
    damaged = cache.read_bytes()
    s = open_store(seed=False)
    try:
        (moved,) = moved_caches(home)
        assert moved.read_bytes() == damaged
    finally:
        s.close()


def test_replaced_file_is_checked(home, checks):
    cache = home / "cache.db"
    copy = home / "copy.db"
    copy.write_bytes(cache.read_bytes())
    os.replace(copy, cache)  # same bytes, another inode
    open_store(seed=False).close()
    assert checks == ["cache.db", "user.db"]


def test_a_write_by_another_program_is_checked(home, checks):
    conn = sqlite3.connect(home / "cache.db")
    conn.execute("UPDATE members SET name = 'Changed' WHERE slug = 'ruritania'")
    conn.commit()
    conn.close()
    with open_store(seed=False) as s:
        assert s.get_member("ruritania").name == "Changed"
    assert checks == ["cache.db", "user.db"]


def test_stale_or_foreign_mark_is_not_trusted(home, checks):
    (home / "cache.db.clean").write_text("0:0:0:0", encoding="ascii")
    open_store(seed=False).close()
    (home / "cache.db.clean").write_bytes(b"\xff\xfe")
    open_store(seed=False).close()
    assert checks == ["cache.db", "user.db", "cache.db", "user.db"]


def test_the_mark_stamps_metadata_only(home):
    cache = home / "cache.db"
    before = cache.read_bytes()
    mtime = cache.stat().st_mtime_ns
    time.sleep(0.01)
    open_store(seed=False).close()
    assert cache.read_bytes() == before
    assert cache.stat().st_mtime_ns != mtime


def test_read_only_store_writes_no_mark(home, checks):
    (home / "cache.db.clean").unlink()
    s = open_store(config.paths(), seed=False, writable=lambda _: False)
    s.close()
    assert not (home / "cache.db.clean").exists()
    assert checks[0] == "cache.db"
