"""Reliability round 2, store and bundles: data that arrives by another door than sync.

A crafted bundle (valid manifest and checksum) full of terminal escapes imports clean; zip bombs, oversized
values and fetch times from 2099 are refused or neutralised before they reach the cache; leftovers of killed
exports and imports are removed by the next run; a read-only data folder still reads; a SQLite file of
another program is never taken over. Figures go to OGPTUI_RELIABILITY_LOG (see RELIABILITY.md).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from ogptui import bundle as bundlemod
from ogptui import leftovers
from ogptui.bundle import DB_NAME, MANIFEST_NAME, BundleError, export_bundle, import_bundle, verify_bundle
from ogptui.model import CommitmentPage
from ogptui.seed import open_store
from ogptui.store import db as dbmod
from ogptui.store import store as store_mod
from tests.crashkit import OGPTUI, cli_env, control_chars_in, report, scan_controls
from tests.test_bundle import MEMBERS, dated, rewrite, run, sha, use_home
from tests.test_reliability_hostile import ALL

JSON_TEXT_LISTS = ("warnings", "policy_areas", "irm_reports", "implications")
KEYS = ("slug", "member_slug", "id", "position", "record_hash")


# ---- helpers -------------------------------------------------------------------------------------
def _maker(tmp_path, monkeypatch) -> Path:
    """A cache with two members, commitment pages and http_state rows, in its own home."""
    use_home(monkeypatch, tmp_path / "maker")
    with open_store(seed=False) as store:
        for slug in ("valdoria", "norland"):
            m = dated(MEMBERS[slug], "2026-03-03T00:00:00Z")
            store.write_member(m, http={"url": m.source_url, "etag": '"e1"', "fetched_at": m.fetched_at})
            for c in m.commitments[:2]:
                page = CommitmentPage(
                    id=c.id,
                    title=c.title,
                    status="Active",
                    description="Line one.\nLine two.",
                    policy_areas=["Justice"],
                    fetched_at="2026-03-03T00:00:00Z",
                )
                store.write_commitment(page, slug, http={"url": f"https://x.test/c/{c.id}", "etag": '"c"'})
    return tmp_path / "maker"


def _bundle(tmp_path, monkeypatch, name="good.bundle") -> Path:
    _maker(tmp_path, monkeypatch)
    with open_store(seed=False) as store:
        path = tmp_path / name
        export_bundle(store, path)
    return path


def _poison(path: Path) -> int:
    """Put the hostile payload into every text value of every table an import reads; returns the count."""
    conn = sqlite3.connect(path)
    n = 0
    tables = ["members", "contacts", "commitments", "resources", "performance", "benchmarks"]
    tables += ["participation", "dimensions", "posts", "commitment_details", "http_state"]
    for t in tables:
        for _, col, ctype, *_ in conn.execute(f"PRAGMA table_info({t})").fetchall():
            if col in KEYS:
                continue
            if col in JSON_TEXT_LISTS:
                n += conn.execute(f'UPDATE {t} SET "{col}" = ?', [json.dumps([ALL, "ok"])]).rowcount
            elif col == "raw":
                n += conn.execute(f'UPDATE {t} SET "{col}" = ?', [json.dumps([1, ALL, 2])]).rowcount
            elif ctype == "TEXT":
                n += conn.execute(f'UPDATE {t} SET "{col}" = COALESCE("{col}", \'\') || ?', [ALL]).rowcount
            elif ctype == "INTEGER" and col not in ("embedded", "failures", "not_found"):
                n += conn.execute(f'UPDATE {t} SET "{col}" = ?', ["\x1b]0;int\x07"]).rowcount
    # a slug with escapes in it, and its children
    conn.execute(
        "INSERT INTO members (slug, name, fetched_at) VALUES (?, ?, ?)",
        ["evil\x1b]0;t\x07land", "Evil\x1b[2J\u202e land", "2026-03-03T00:00:00Z"],
    )
    conn.execute(
        "INSERT INTO resources (member_slug, position, title) VALUES (?, 0, ?)", ["evil\x1b]0;t\x07land", ALL]
    )
    conn.commit()
    conn.close()
    return n


def _zip(path: Path, data: bytes | None = None, *, size: int | None = None, manifest: dict | None = None):
    """A bundle whose database entry is `data` (or `size` zero bytes, streamed), with an honest manifest."""
    man = manifest or {
        "format": "ogptui-bundle",
        "format_version": 1,
        "schema_version": 2,
        "members": {},
    }
    h = hashlib.sha256()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        if data is not None:
            h.update(data)
            n = len(data)
            db_bytes = data
        else:
            n = size or 0
            chunk = bytes(1 << 20)
            for i in range(0, n, len(chunk)):
                h.update(chunk[: min(len(chunk), n - i)])
            db_bytes = None
        man = {**man, "db": {"name": DB_NAME, "size": n, "sha256": h.hexdigest()}}
        zf.writestr(MANIFEST_NAME, json.dumps(man))
        if db_bytes is not None:
            zf.writestr(DB_NAME, db_bytes)
        else:
            with zf.open(DB_NAME, "w", force_zip64=True) as out:
                for i in range(0, n, len(chunk)):
                    out.write(chunk[: min(len(chunk), n - i)])
    return path


def _members_line(out: str, name: str) -> str:
    return next(line for line in out.splitlines() if name in line)


# ---- 12.1: a hostile bundle imports clean ----------------------------------------------------------
def test_hostile_bundle_imports_clean_and_prints_clean(tmp_path, monkeypatch, capsys):
    good = _bundle(tmp_path, monkeypatch)
    bad = tmp_path / "hostile.bundle"
    poisoned = []
    rewrite(good, bad, db=lambda p: poisoned.append(_poison(p)))
    home = use_home(monkeypatch, tmp_path / "victim")

    rc, out, err = run(capsys, "import", str(bad))
    assert rc == 0, err
    assert control_chars_in(out) == [] and control_chars_in(err) == [], (out, err)

    found = scan_controls(home / "cache.db")
    assert found == {}, found
    outputs = [out]
    for args in (
        ["members"],
        ["members", "--json"],
        ["show", "valdoria"],
        ["show", "valdoria", "--json"],
        ["show", "evilland"],
        ["changes"],
        ["search", "valdoria"],
    ):
        rc, text, err = run(capsys, *args)
        assert rc == 0, (args, err)
        assert control_chars_in(text) == [] and control_chars_in(err) == [], args
        outputs.append(text)
    with open_store(seed=False) as store:
        m = store.get_member("valdoria")
        assert "pwned" not in m.name and m.name.startswith("Valdoria")  # the OSC's payload goes with it
        assert all(r.year is None for r in m.resources)  # text in an INTEGER column is dropped
        assert "evilland" in store.member_slugs()
        http = store.http_state(m.source_url)
        assert http is not None and control_chars_in(json.dumps(http, ensure_ascii=False)) == []
    report("bundle-hostile", values_poisoned=poisoned[0], outputs_checked=len(outputs), control_chars_found=0)


def test_mirror_import_path_cleans_too(tmp_path, monkeypatch):
    """`sync --mirror` merges with `merge_verified`, the same path: check it directly."""
    good = _bundle(tmp_path, monkeypatch)
    bad = tmp_path / "hostile.bundle"
    rewrite(good, bad, db=_poison)
    home = use_home(monkeypatch, tmp_path / "victim")
    with open_store() as store:
        work = tmp_path / "work"
        work.mkdir()
        verified = verify_bundle(bad, work, name="the bundle from http://mirror.test/x")
        report_ = bundlemod.merge_verified(store, verified, label="http://mirror.test/x", target="mirror")
    assert report_.added
    assert scan_controls(home / "cache.db") == {}


# ---- 12.10: fetch times from 2099 --------------------------------------------------------------------
def _future(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("UPDATE members SET fetched_at = '2099-01-01T00:00:00Z' WHERE slug = 'valdoria'")
    conn.execute("UPDATE commitment_details SET fetched_at = '2099-01-01T00:00:00Z'")
    conn.execute(
        "UPDATE http_state SET fetched_at = '2099-01-01T00:00:00Z', checked_at = '2099-01-01T00:00:00Z'"
    )
    conn.commit()
    conn.close()


def test_future_fetch_time_is_unknown_not_just_now(tmp_path, monkeypatch, capsys):
    good = _bundle(tmp_path, monkeypatch)
    bad = tmp_path / "2099.bundle"
    rewrite(good, bad, db=_future)
    home = use_home(monkeypatch, tmp_path / "victim")
    rc, out, err = run(capsys, "import", str(bad))
    assert rc == 0, err
    assert "in the future taken as unknown" in out
    conn = sqlite3.connect(home / "cache.db")
    stored = dict(conn.execute("SELECT slug, fetched_at FROM members").fetchall())
    times = conn.execute("SELECT fetched_at, checked_at FROM http_state").fetchall()
    conn.close()
    assert stored["valdoria"] is None and stored["norland"] == "2026-03-03T00:00:00Z"
    assert all(not (a or "").startswith("2099") and not (b or "").startswith("2099") for a, b in times)
    rc, out, _ = run(capsys, "members")
    line = _members_line(out, "Valdoria")
    assert "date unknown" in line and "just now" not in line, line
    rc, out, _ = run(capsys, "show", "valdoria")
    assert "date unknown" in out and "just now" not in out


def test_future_copy_never_beats_a_real_one(tmp_path, monkeypatch, capsys):
    good = _bundle(tmp_path, monkeypatch)
    bad = tmp_path / "2099.bundle"
    rewrite(good, bad, db=_future)
    use_home(monkeypatch, tmp_path / "victim")
    with open_store(seed=False) as store:
        mine = dated(MEMBERS["valdoria"], "2026-05-05T00:00:00Z")
        mine.name = "Valdoria (mine)"
        store.write_member(mine)
        rep = import_bundle(store, bad)
        assert "Valdoria (mine)" in rep.kept or any("Valdoria" in k for k in rep.kept)
        assert store.get_member("valdoria").name == "Valdoria (mine)"


def test_future_edges_and_unknown_dates_in_words():
    from datetime import UTC, datetime, timedelta

    from ogptui.store import Freshness
    from ogptui.timefmt import CLOCK_SKEW, freshness_text, in_future

    now = datetime(2026, 6, 1, tzinfo=UTC)
    assert not in_future(now + CLOCK_SKEW, now)  # within the tolerated clock skew: believed
    assert in_future(now + CLOCK_SKEW + timedelta(seconds=1), now)  # one second beyond it: not
    assert in_future("2099-01-01T00:00:00Z", now) and not in_future(None, now)
    g = Freshness(None, None, None, 0, None, False, "2026-05-01T00:00:00Z")
    assert freshness_text(g, now).text == "date unknown (data from before 2026-05-01)"
    assert freshness_text(g, now).state == "unknown"
    h = Freshness(None, None, None, 0, None, False, None)
    assert freshness_text(h, now).text == "never synced"


# ---- 12.10: a huge value is refused before it is read -----------------------------------------------
@pytest.mark.parametrize("extra", [0, 1], ids=["at-limit", "over-limit"])
def test_huge_value_is_refused_by_size(extra, tmp_path, monkeypatch, capsys):
    limit = 50_000
    monkeypatch.setattr(bundlemod, "MAX_VALUE_BYTES", limit)
    good = _bundle(tmp_path, monkeypatch)
    big = tmp_path / "big.bundle"

    def grow(p: Path) -> None:
        conn = sqlite3.connect(p)
        conn.execute(
            "UPDATE members SET plan_summary = ? WHERE slug = 'valdoria'", ["é" * (limit // 2) + "a" * extra]
        )
        conn.commit()
        conn.close()

    rewrite(good, big, db=grow)
    home = use_home(monkeypatch, tmp_path / "victim")
    with open_store():
        pass
    before = sha(home / "cache.db")
    rc, out, err = run(capsys, "import", str(big))
    if extra:
        assert rc == 2 and len(err.strip().splitlines()) == 1, err
        assert "members.plan_summary" in err and "far more than any page gives" in err
        assert sha(home / "cache.db") == before
    else:
        assert rc == 0, err  # taken, and capped like any text (a summary is one line of 2,000 characters)


def test_oversized_never_loads_the_value_into_python(tmp_path, monkeypatch):
    """The check is SQL over the snapshot: a 30 MB value is measured, not fetched."""
    from ogptui.store import snapshot

    p = tmp_path / "s.sqlite"
    conn = sqlite3.connect(p)
    for t in snapshot.DATA_TABLES:
        conn.execute(f"CREATE TABLE {t} (a TEXT, b BLOB)")
    conn.execute("INSERT INTO posts VALUES (zeroblob(10), zeroblob(30000000))")
    conn.commit()
    conn.close()
    assert snapshot.oversized(p, 1_000_000) == ("posts", "b", 30_000_000)
    assert snapshot.oversized(p, 30_000_000) is None


# ---- 12.8: zip bombs ---------------------------------------------------------------------------------
@pytest.mark.slow
def test_zip_bomb_is_refused_before_anything_is_written(tmp_path, monkeypatch, capsys):
    bomb = _zip(tmp_path / "bomb.bundle", size=200_000_000)  # 200 MB of zeros in about 200 kB
    home = use_home(monkeypatch, tmp_path / "victim")
    with open_store():
        pass
    before = sha(home / "cache.db")
    work = tmp_path / "work"
    work.mkdir()
    t0 = time.perf_counter()
    with pytest.raises(BundleError, match="would unpack to 200 MB from") as exc:
        verify_bundle(bomb, work)
    seconds = time.perf_counter() - t0
    assert list(work.iterdir()) == []  # nothing written
    assert "\n" not in str(exc.value) and "export it again" in str(exc.value)
    rc, out, err = run(capsys, "import", str(bomb))
    assert rc == 2 and "would unpack to" in err and len(err.strip().splitlines()) == 1
    assert sha(home / "cache.db") == before
    report(
        "bundle-zip-bomb",
        bundle_bytes=bomb.stat().st_size,
        declared_bytes=200_000_000,
        refused_in_s=round(seconds, 4),
        bytes_written=0,
    )


@pytest.mark.parametrize("over", [0, 1], ids=["at-cap", "over-cap"])
def test_unpack_cap_edges(over, tmp_path, monkeypatch):
    """The cap is max(FREE_UNPACK, bundle size x MAX_RATIO): exactly at it passes the size check."""
    monkeypatch.setattr(bundlemod, "FREE_UNPACK", 3_000_000)
    bundle = _zip(tmp_path / "edge.bundle", size=3_000_000 + over)
    work = tmp_path / "work"
    work.mkdir()
    with pytest.raises(BundleError) as exc:  # zeros are no database: refused either way, later if at cap
        verify_bundle(bundle, work)
    if over:
        assert "would unpack to" in str(exc.value) and not (work / DB_NAME).exists()
    else:
        assert "would unpack to" not in str(exc.value) and (work / DB_NAME).stat().st_size == 3_000_000


def test_ratio_cap_grows_with_the_bundle(tmp_path, monkeypatch):
    monkeypatch.setattr(bundlemod, "FREE_UNPACK", 1_000)
    monkeypatch.setattr(bundlemod, "MAX_RATIO", 50)
    good = _bundle(tmp_path, monkeypatch)  # a real bundle (ratio 3-10) is well under its cap
    work = tmp_path / "w"
    work.mkdir()
    verify_bundle(good, work)
    with zipfile.ZipFile(good) as zf:
        info = zf.getinfo(DB_NAME)
    ratio = info.file_size / info.compress_size
    assert ratio < bundlemod.MAX_RATIO
    report("bundle-real-ratio", ratio=round(ratio, 2))


def test_not_enough_disk_space_is_refused(tmp_path, monkeypatch):
    good = _bundle(tmp_path, monkeypatch)

    class Usage:
        free = 10_000_000

    monkeypatch.setattr(bundlemod.shutil, "disk_usage", lambda p: Usage())
    work = tmp_path / "w"
    work.mkdir()
    with pytest.raises(BundleError, match="free disk space"):
        verify_bundle(good, work)
    assert list(work.iterdir()) == []


def test_zip_size_disagreeing_with_manifest_is_refused(tmp_path):
    data = b"x" * 1000
    path = _zip(tmp_path / "lie.bundle", data)
    with zipfile.ZipFile(path) as zf:
        man = json.loads(zf.read(MANIFEST_NAME))
    man["db"]["size"] = 10
    with zipfile.ZipFile(tmp_path / "lie2.bundle", "w") as zf:
        zf.writestr(MANIFEST_NAME, json.dumps(man))
        zf.writestr(DB_NAME, data)
    work = tmp_path / "w"
    work.mkdir()
    with pytest.raises(BundleError, match="does not match its manifest"):
        verify_bundle(tmp_path / "lie2.bundle", work)


# ---- 12.7: leftovers of killed runs ------------------------------------------------------------------
def _age(path: Path, seconds: float) -> None:
    t = time.time() - seconds
    for root, dirs, files in os.walk(path):
        for n in dirs + files:
            os.utime(os.path.join(root, n), (t, t), follow_symlinks=False)
    os.utime(path, (t, t), follow_symlinks=False)


def _leftover_dir(parent: Path, name: str, *, nbytes: int = 1000, lock: bool = True) -> Path:
    d = parent / name
    d.mkdir()
    (d / DB_NAME).write_bytes(b"x" * nbytes)
    if lock:
        (d / leftovers.LOCK_NAME).write_bytes(b"")
    return d


def test_sweep_removes_only_our_dead_leftovers(tmp_path):
    parent = tmp_path / "home"
    parent.mkdir()
    dead = _leftover_dir(parent, ".export-abcd1234", nbytes=5000)
    young = _leftover_dir(parent, ".export-young123")
    legacy_recent = _leftover_dir(parent, ".export-nolock12", lock=False)  # an older run: no lock file
    legacy_old = _leftover_dir(parent, ".export-nolock34", lock=False, nbytes=7000)
    not_ours = [
        _leftover_dir(parent, ".export-mine"),  # name not made by tempfile
        _leftover_dir(parent, "export-abcd1234"),
        _leftover_dir(parent, ".export-abcd1234x"),
        _leftover_dir(parent, ".import-abcd1234"),  # another kind of run
    ]
    outside = tmp_path / "precious"
    outside.mkdir()
    (outside / "keep").write_text("mine")
    (parent / ".export-link1234").symlink_to(outside, target_is_directory=True)
    for d in (dead, *not_ours):
        _age(d, 600)
    _age(legacy_recent, leftovers.STALE_AFTER - 60)
    _age(legacy_old, leftovers.STALE_AFTER + 60)
    _age(young, leftovers.GRACE - 5)

    swept = leftovers.sweep_dirs(parent, ".export-")

    assert not dead.exists() and not legacy_old.exists()
    assert swept.removed == 2 and swept.nbytes == 5000 + 7000
    assert young.exists() and legacy_recent.exists()
    assert all(d.exists() for d in not_ours)
    assert (parent / ".export-link1234").is_symlink() and (outside / "keep").read_text() == "mine"
    assert swept.text("exports") == "removed 2 leftovers of interrupted exports (12 kB)"


def test_sweep_keeps_a_live_run_even_when_old(tmp_path):
    parent = tmp_path / "home"
    parent.mkdir()
    with leftovers.work_dir(parent, ".export-") as live:
        (live / DB_NAME).write_bytes(b"x" * 100)
        _age(live, 3 * leftovers.STALE_AFTER)
        assert leftovers.sweep_dirs(parent, ".export-").removed == 0
        assert live.exists()
    assert not live.exists()  # and a finished run leaves nothing


def test_sweep_of_half_written_bundles_beside_the_target(tmp_path):
    target = tmp_path / "out.bundle"
    dead = tmp_path / ".out.bundle.ab12cd34.tmp"
    dead.write_bytes(b"z" * 2000)
    other = tmp_path / ".other.bundle.ab12cd34.tmp"
    other.write_bytes(b"z")
    mine = tmp_path / ".out.bundle.notours.tmp"
    mine.write_bytes(b"z")
    for p in (dead, other, mine):
        _age(p, 600)
    with leftovers.temp_file(target) as (fh, live):
        fh.write(b"being written")
        _age(live, 600)
        swept = leftovers.sweep_files(target)
        assert live.exists()
    assert swept.removed == 1 and swept.nbytes == 2000 and not dead.exists()
    assert other.exists() and mine.exists()


def test_next_export_and_import_remove_leftovers_and_say_so(tmp_path, monkeypatch, capsys):
    good = _bundle(tmp_path, monkeypatch)
    home = tmp_path / "maker"
    _age(_leftover_dir(home, ".export-dead0001", nbytes=300_000), 60)
    _age(_leftover_dir(home, ".import-dead0002", nbytes=200_000), 60)
    half = tmp_path / ".good.bundle.dead0003.tmp"
    half.write_bytes(b"x" * 100_000)
    _age(half, 60)
    rc, out, err = run(capsys, "export", str(good))
    assert rc == 0, err
    assert "removed 2 leftovers of interrupted exports (400 kB)" in out, out
    assert not half.exists() and not (home / ".export-dead0001").exists()
    rc, out, err = run(capsys, "import", str(good))
    assert rc == 0, err
    assert "removed 1 leftover of interrupted imports (200 kB)" in out, out
    assert [p.name for p in home.iterdir() if p.name.startswith(".")] == []


@pytest.mark.slow
def test_killed_exports_leave_nothing_after_the_next_one(tmp_path, monkeypatch):
    """Real SIGKILLs of `ogptui export` at random moments; the next export removes whatever they left."""
    kills = int(os.environ.get("OGPTUI_EXPORT_KILLS", "8"))
    from bench.search_bench import build

    home = use_home(monkeypatch, tmp_path / "big")
    build(home, 10_000)  # 100 members, 10,000 indexed rows: an export takes about a second
    target = tmp_path / "out.bundle"
    rng = random.Random(int(os.environ.get("OGPTUI_KILL_SEED", "5")))
    env = cli_env(home)
    landed = 0
    for _ in range(kills):
        p = subprocess.Popen([*OGPTUI, "export", str(target)], env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)  # fmt: skip
        time.sleep(rng.uniform(0.25, 1.0))
        if p.poll() is None:
            p.send_signal(signal.SIGKILL)
            landed += 1
        p.wait()
    left = [p for p in home.iterdir() if p.name.startswith(".export-")]
    left += [p for p in tmp_path.iterdir() if p.name.startswith(".out.bundle.")]
    for p in left:
        _age(p, leftovers.GRACE + 1)  # as if the next export ran a little later
    with open_store(seed=False) as store:
        rep = export_bundle(store, target)
    assert rep.swept.removed == len(left)
    assert [p for p in home.iterdir() if p.name.startswith(".export-")] == []
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".out.bundle.")] == []
    with zipfile.ZipFile(target) as zf:
        assert zf.testzip() is None
    report("export-kills", kills=kills, landed=landed, leftovers=len(left), removed=rep.swept.removed,
           bytes_recovered=rep.swept.nbytes)  # fmt: skip


# ---- 12.9: a read-only data folder -------------------------------------------------------------------
@pytest.fixture
def ro_home(tmp_path, monkeypatch):
    home = use_home(monkeypatch, tmp_path / "ro")
    with open_store() as store:  # the embedded sample, plus a watched member and a recent search
        store.watch("peru")
        store.remember_search("peru", keep=50)
    monkeypatch.setattr(store_mod, "can_write", lambda path: False)
    return home


def test_read_only_store_reads_and_refuses_writes_in_one_line(ro_home):
    before = {p.name: sha(p) for p in ro_home.iterdir() if p.is_file()}
    with open_store() as store:
        assert store.readonly
        assert any("read-only" in n and "sync" in n for n in store.notices)
        assert store.get_member("peru") is not None and store.watchlist() == ["peru"]
        assert store.recent_searches() == ["peru"]
        store.remember_search("lima", keep=50)  # best effort: silently not kept
        for write in (
            lambda: store.watch("chile"),
            lambda: store.begin_run("x", "y"),
            lambda: store.write_member(store.get_member("peru")),
        ):
            with pytest.raises(dbmod.ReadOnlyStore, match="read-only; make it writable"):
                write()
    after = {p.name: sha(p) for p in ro_home.iterdir() if p.is_file()}
    # (a read-only connection may create an empty -wal and its index where the folder lets it: bookkeeping)
    assert {k: v for k, v in after.items() if not k.endswith(("-wal", "-shm"))} == before
    assert all((ro_home / k).stat().st_size == 0 for k in after if k.endswith("-wal"))


@pytest.mark.parametrize(
    "args",
    [["members"], ["show", "peru"], ["show", "peru", "--json"], ["search", "peru"], ["changes"]],
    ids=" ".join,
)
def test_read_only_folder_reads_with_one_note(ro_home, args, capsys):
    rc, out, err = run(capsys, *args)
    assert rc == 0, err
    assert out.strip()
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "read-only" in lines[0] and "sync" in lines[0], err
    if "--json" in args:
        json.loads(out)


@pytest.mark.parametrize(
    "args", [["watch", "peru"], ["unwatch", "peru"], ["import", "x.bundle"]], ids=" ".join
)
def test_read_only_folder_writes_give_one_clear_line(ro_home, args, capsys):
    rc, out, err = run(capsys, *args)
    assert rc == 2 and out == ""
    lines = [line for line in err.strip().splitlines() if "showing the data" not in line]
    assert len(lines) == 1 and "read-only" in lines[0] and "Traceback" not in err, err


def test_read_only_folder_sync_gives_one_clear_line(ro_home, fake_site, capsys):
    rc, out, err = run(capsys, "sync", "peru", "--source", fake_site.url, "--quiet")
    assert rc == 2
    lines = [line for line in err.strip().splitlines() if "showing the data" not in line]
    assert len(lines) == 1 and "read-only" in lines[0] and "Traceback" not in err, err
    assert fake_site.requests() == [] if hasattr(fake_site, "requests") else True


def test_read_only_folder_can_still_export(ro_home, tmp_path, capsys):
    out_dir = tmp_path / "usb"
    out_dir.mkdir()
    rc, out, err = run(capsys, "export", str(out_dir / "x.bundle"))
    assert rc == 0, err
    assert (out_dir / "x.bundle").exists() and [p.name for p in out_dir.iterdir()] == ["x.bundle"]


def test_read_only_folder_without_a_cache_shows_the_sample(tmp_path, monkeypatch, capsys):
    use_home(monkeypatch, tmp_path / "empty").mkdir()
    monkeypatch.setattr(store_mod, "can_write", lambda path: False)
    rc, out, err = run(capsys, "show", "peru")
    assert rc == 0 and "Peru" in out
    assert "embedded sample" in err and len(err.strip().splitlines()) == 1
    assert list((tmp_path / "empty").iterdir()) == []


def _unshare_ro_works() -> bool:
    if sys.platform != "linux" or shutil.which("unshare") is None:
        return False
    probe = Path(os.environ.get("TMPDIR", "/tmp")) / f"ogptui-ro-probe-{os.getpid()}"
    probe.mkdir(exist_ok=True)
    try:
        r = subprocess.run(
            ["unshare", "-m", "--propagation", "private", "sh", "-c",
             f"mount --bind {probe} {probe} && mount -o remount,ro,bind {probe} {probe} && ! touch {probe}/x"],
            capture_output=True, timeout=20,
        )  # fmt: skip
        return r.returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False
    finally:
        shutil.rmtree(probe, ignore_errors=True)


@pytest.mark.slow
@pytest.mark.skipif(not _unshare_ro_works(), reason="needs `unshare -m` and bind mounts (a read-only mount)")
@pytest.mark.parametrize("wal_left", [False, True], ids=["clean", "wal-left-behind"])
def test_real_read_only_mount(wal_left, tmp_path, monkeypatch):
    """The real thing, also as root: the data folder bind-mounted read-only in a private mount namespace."""
    home = use_home(monkeypatch, tmp_path / "mounted")
    with open_store() as store:
        store.watch("peru")
    if wal_left:  # a reader that stays open keeps -wal/-shm present, as after a crash
        keep = sqlite3.connect(home / "cache.db")
        keep.execute("PRAGMA journal_mode").fetchone()
        keep.execute("SELECT count(*) FROM members").fetchone()
    before = {p.name: sha(p) for p in home.iterdir() if p.is_file()}

    def ro(*args: str) -> subprocess.CompletedProcess:
        cmd = " ".join(
            [f"mount --bind {home} {home} && mount -o remount,ro,bind {home} {home} && exec"]
            + [f"'{a}'" for a in (*OGPTUI, *args)]
        )
        return subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c", cmd],
                              env=cli_env(home), capture_output=True, text=True, timeout=60)  # fmt: skip

    try:
        for args in (["members"], ["show", "peru", "--json"], ["search", "lima"]):
            r = ro(*args)
            assert r.returncode == 0, (args, r.stderr)
            assert "read-only" in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
            assert "Traceback" not in r.stderr
        out = Path(os.environ.get("TMPDIR", "/tmp")) / f"ogptui-ro-export-{os.getpid()}.bundle"
        r = ro("export", str(out))  # a USB stick's data folder can still be carried elsewhere
        assert r.returncode == 0 and out.exists(), r.stderr
        out.unlink()
        r = ro("watch", "chile")
        assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 2, r.stderr  # note + refusal
        assert "Traceback" not in r.stderr
    finally:
        if wal_left:
            keep.close()
    if not wal_left:
        assert {p.name: sha(p) for p in home.iterdir() if p.is_file()} == before
    report("read-only-mount", wal_left=wal_left, commands=4, ok=True)


# ---- 12.10: another program's SQLite file --------------------------------------------------------------
def _foreign(path: Path, app_id: int = 0) -> bytes:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT)")
    conn.execute("INSERT INTO photos (path) VALUES ('holiday.jpg')")
    if app_id:
        conn.execute(f"PRAGMA application_id = {app_id}")
    conn.commit()
    conn.close()
    return path.read_bytes()


@pytest.mark.parametrize("app_id", [0, 0x12345678], ids=["no-app-id", "other-app-id"])
def test_foreign_cache_db_is_moved_aside_untouched(app_id, ogptui_home, capsys):
    ogptui_home.mkdir()
    original = _foreign(ogptui_home / "cache.db", app_id)
    rc, out, err = run(capsys, "members")
    assert rc == 0, err
    assert "was not an ogptui cache" in err and len(err.strip().splitlines()) == 1, err
    moved = list(ogptui_home.glob("cache.db.foreign-*"))
    assert len(moved) == 1 and moved[0].read_bytes() == original
    conn = sqlite3.connect(moved[0])
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["photos"]
    conn.close()
    assert "Peru" in out  # a new cache with the embedded sample


@pytest.mark.parametrize("app_id", [0, 0x12345678], ids=["no-app-id", "other-app-id"])
def test_foreign_user_db_is_refused_never_modified(app_id, ogptui_home, capsys):
    ogptui_home.mkdir()
    original = _foreign(ogptui_home / "user.db", app_id)
    rc, out, err = run(capsys, "members")
    assert rc == 0 and "watchlist" in err and "another program" in err, err
    rc, out, err = run(capsys, "watch", "peru")
    assert rc == 2 and "Traceback" not in err
    assert (ogptui_home / "user.db").read_bytes() == original
    assert not (ogptui_home / "user.db-wal").exists()


def test_our_own_new_empty_file_is_not_foreign(ogptui_home):
    ogptui_home.mkdir()
    (ogptui_home / "cache.db").write_bytes(b"")  # a kill right after creating the file
    with open_store() as store:
        assert store.notices == [] and store.get_member("peru") is not None
