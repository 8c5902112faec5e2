"""Damaged files and failing disks: corrupt cache.db, corrupt user.db, disk full and a read-only home.

A cache that fails `quick_check` is moved aside with a timestamp (never deleted), rebuilt from the embedded
sample, then refilled by sync, and the user is told where the old file went (CLI and TUI). A damaged user.db
is never written to: the app says so and runs without the watchlist. A full disk or a read-only home while
syncing ends in one clear line and a non-zero exit; what was stored stays as it was.
"""

from __future__ import annotations

import asyncio
import errno
import os
import re
import sqlite3

import pytest

from ogptui import config
from ogptui.cli import main
from ogptui.seed import open_store
from ogptui.store import store as store_mod
from ogptui.sync import run_sync
from tests.crashkit import integrity_problems, run_cli
from tests.tuikit import make_app, notified

FAST = {"delay": 0, "backoff_initial": 0.001, "backoff_max": 0.005, "backoff_jitter": 0}
DATA_TABLES = ("members", "contacts", "commitments", "resources", "commitment_details", "search_docs")


def moved_caches(home) -> list:
    """The moved-aside cache files (their -wal/-shm go with them)."""
    return [p for p in home.glob("cache.db.corrupt-*") if not p.name.endswith(("-wal", "-shm"))]


def snapshot(path) -> dict[str, list]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in DATA_TABLES}
    finally:
        conn.close()


def damage_pages(path) -> None:
    """Overwrite b-tree pages in the middle of a valid database so that quick_check fails."""
    size = path.stat().st_size
    page = 4096
    with open(path, "r+b") as fh:
        for n in range(2, size // page, 3):
            fh.seek(n * page + 8)
            fh.write(b"\xa5" * 600)
    conn = sqlite3.connect(path)
    try:
        result = conn.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as e:
        result = str(e)
    finally:
        conn.close()
    assert result != "ok", "the damage did not show"


@pytest.fixture
def synced_home(fake_site, ogptui_home):
    """A cache with the four fake-site members, closed (no -wal left)."""
    with open_store() as s:
        summary = asyncio.run(run_sync(s, all_members=True, source=fake_site.url, source_options=FAST))
        assert summary.outcome == "ok", summary.failed
    return ogptui_home


@pytest.mark.slow
@pytest.mark.parametrize("damage", ["garbage", "pages"])
def test_corrupt_cache_is_moved_aside_rebuilt_and_refilled(synced_home, fake_site, damage):
    cache = synced_home / "cache.db"
    if damage == "garbage":
        cache.write_bytes(b"\x00not a database at all\x00" * 500)
    else:
        damage_pages(cache)
    damaged = cache.read_bytes()
    r = run_cli(synced_home, "members")
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    moved = moved_caches(synced_home)
    assert len(moved) == 1 and re.fullmatch(r"cache\.db\.corrupt-\d{8}-\d{6}", moved[0].name)
    assert moved[0].read_bytes() == damaged  # kept byte for byte, never deleted
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and str(moved[0]) in lines[0] and "ogptui sync" in lines[0], r.stderr
    assert "Peru" in r.stdout  # rebuilt from the embedded sample
    assert not integrity_problems(cache)
    # then sync refills it
    r = run_cli(synced_home, "sync", "--all", "--source", fake_site.url, "--quiet")
    assert r.returncode == 0, r.stderr
    assert {"peru", "valdoria", "norland", "port-esmer-valdoria"} <= set(
        run_cli(synced_home, "members").stdout.split()
    )
    assert len(moved_caches(synced_home)) == 1  # the healthy cache is not moved again


async def test_tui_says_where_the_damaged_cache_went(synced_home):
    damage_pages(synced_home / "cache.db")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        moved = moved_caches(synced_home)
        assert len(moved) == 1
        messages = [n.message for n in notified(app)]
        assert any(str(moved[0]) in m for m in messages), messages
        assert app.is_running


@pytest.mark.slow
def test_corrupt_user_db_is_never_overwritten_cli(synced_home, fake_site):
    user = synced_home / "user.db"
    junk = b"SQLite format 3\x00" + os.urandom(8000)  # a header, then noise
    user.write_bytes(junk)
    r = run_cli(synced_home, "members")
    assert r.returncode == 0 and "watchlist" in r.stderr and str(user) in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    r = run_cli(synced_home, "watch", "peru")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.strip().splitlines()[-1].startswith("ogptui: the watchlist file")
    r = run_cli(synced_home, "sync", "--source", fake_site.url, "--quiet", "peru")
    assert r.returncode == 0, r.stderr
    assert user.read_bytes() == junk
    assert not list(synced_home.glob("user.db.corrupt-*"))  # not moved either: it is the user's


async def test_corrupt_user_db_tui_runs_without_watchlist(synced_home):
    user = synced_home / "user.db"
    junk = b"garbage" * 2000
    user.write_bytes(junk)
    app = make_app(slug="valdoria")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert any("watchlist" in n.message for n in notified(app))
        await pilot.press("w")  # watch: refused with a message, no crash
        await pilot.pause()
        assert app.is_running
        messages = [n.message for n in notified(app)]
        assert any(m.startswith("Not changed: the watchlist file") for m in messages), messages
        await pilot.press("escape", "w")  # from the members list too
        await pilot.pause()
        assert app.is_running
    assert user.read_bytes() == junk


DISK_ERRORS = {
    "disk-full": sqlite3.OperationalError("database or disk is full"),
    "read-only": sqlite3.OperationalError("attempt to write a readonly database"),
    "enospc": OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)),
}


@pytest.mark.parametrize("error", list(DISK_ERRORS))
def test_disk_errors_while_syncing_one_line_and_cache_unchanged(
    synced_home, fake_site, monkeypatch, capsys, error
):
    before = snapshot(synced_home / "cache.db")
    for m in fake_site.members():  # every member changed upstream, so the sync has to write
        fake_site.set_member(m.__class__(**{**m.__dict__, "name": m.name + " (new)"}))
    original = store_mod.Store._upsert_http

    def failing(self, db, fields, now, url=None):  # inside the member's transaction, after its rows
        if fields.get("kind") == "member":
            raise DISK_ERRORS[error]
        return original(self, db, fields, now, url)

    monkeypatch.setattr(store_mod.Store, "_upsert_http", failing)
    config.Settings(delay=0.001).save()
    capsys.readouterr()
    code = main(["sync", "--all", "--source", fake_site.url, "--quiet"])
    err = capsys.readouterr().err
    assert code != 0
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    hint = {"disk-full": "disk", "read-only": "read-only", "enospc": "disk"}[error]
    assert hint in lines[0].lower(), lines[0]
    monkeypatch.undo()
    assert snapshot(synced_home / "cache.db") == before
    assert not integrity_problems(synced_home / "cache.db")


def test_read_only_home_while_syncing(synced_home, fake_site, capsys):
    """The real thing where the platform allows it (not as root: root writes anyway)."""
    if os.geteuid() == 0:
        pytest.skip("running as root: file permissions do not stop writes (the injected cases cover it)")
    before = snapshot(synced_home / "cache.db")
    for m in fake_site.members():
        fake_site.set_member(m.__class__(**{**m.__dict__, "name": m.name + " (new)"}))
    config.Settings(delay=0.001).save()
    for p in [synced_home / "cache.db", synced_home]:
        p.chmod(0o500 if p.is_dir() else 0o400)
    try:
        capsys.readouterr()
        code = main(["sync", "--all", "--source", fake_site.url, "--quiet"])
        err = capsys.readouterr().err
    finally:
        synced_home.chmod(0o700)
        (synced_home / "cache.db").chmod(0o600)
    assert code != 0 and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert snapshot(synced_home / "cache.db") == before


async def test_tui_sync_on_a_full_disk_is_a_notification(synced_home, fake_site, monkeypatch):
    def failing(self, *a, **kw):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(store_mod.Store, "write_member", failing)
    for m in fake_site.members():
        fake_site.set_member(m.__class__(**{**m.__dict__, "name": m.name + " (new)"}))
    config.Settings(delay=0.001).save()
    app = make_app(slug="valdoria", source=fake_site.url)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("s")
        for _ in range(200):
            await pilot.pause(0.05)
            if not app.syncing:
                break
        assert not app.syncing and app.is_running
        errors = [n.message for n in notified(app) if n.severity == "error"]
        assert errors and "disk is full" in errors[-1], [n.message for n in notified(app)]
    with open_store(seed=False) as s:
        assert s.get_member("valdoria").name == "Valdoria"
