"""Helpers for the reliability tests (no tests here): run the CLI in a subprocess, kill it, check the files.

The checks open the databases the way a user's next command would, and report problems as strings so a
test can show every one of them at once.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from tests.fakesite import SiteData, default_site, norm_path, synthetic_site

OGPTUI = [sys.executable, "-m", "ogptui"]
DIRECTORY = "/local/participants"
ESC_C1_BEL = [chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0))]


def cli_env(home: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(OGPTUI_HOME=str(home), OGPTUI_NO_AUTOSYNC="1", PYTHONDONTWRITEBYTECODE="1", COLUMNS="120")
    env.pop("OGPTUI_SOURCE", None)
    env.update(extra)
    return env


def run_cli(home: Path, *args: str, timeout: float = 60, **popen: object) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*OGPTUI, *args],
        env=cli_env(home),
        capture_output=True,
        text=True,
        timeout=timeout,
        **popen,  # type: ignore[arg-type]
    )


def start_cli(home: Path, *args: str, nice: int = 0) -> subprocess.Popen:
    return subprocess.Popen(
        [*OGPTUI, *args],
        env=cli_env(home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=(lambda: os.nice(nice)) if nice else None,  # noqa: PLW1509
    )


_SITE_CODE = """
import sys, time
from tests.crashkit import crash_site_data
from tests.fakesite import FakeSite
members, per_member, res, seed, latency = sys.argv[1:6]
data = crash_site_data(int(members), int(per_member), int(res), int(seed))
site = FakeSite(data, latency=float(latency)).start()
print(site.url, flush=True)
sys.stdin.read()  # serve until the test closes our stdin
site.stop()
"""


def start_site_process(
    members: int, per_member: int, resources: int, seed: int = 7, latency: float = 0.0, nice: int = 0
) -> tuple[subprocess.Popen, str]:
    """The fake site (crash_site_data) in its own process, so it takes no CPU or GIL from the test."""
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            _SITE_CODE,
            str(members),
            str(per_member),
            str(resources),
            str(seed),
            str(latency),
        ],
        cwd=root,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        preexec_fn=(lambda: os.nice(nice)) if nice else None,  # noqa: PLW1509
    )
    url = proc.stdout.readline().strip()
    if not url.startswith("http://127.0.0.1:"):
        proc.kill()
        raise RuntimeError(f"fake site did not start: {url!r}")
    return proc, url


def stop_site_process(proc: subprocess.Popen) -> None:
    proc.stdin.close()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def kill_after(proc: subprocess.Popen, seconds: float) -> bool:
    """SIGKILL `proc` after `seconds` (if still running). True when the kill landed on a live process."""
    try:
        proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        return True
    return False


def write_settings(home: Path, **fields: object) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "settings.json").write_text(json.dumps(fields), encoding="utf-8")


def crash_site_data(
    members: int = 50, commitments_per_member: int = 2, resources_per_member: int = 6, seed: int = 7
) -> SiteData:
    """A synthetic site plus Peru (so the embedded sample's member exists upstream too)."""
    data = synthetic_site(
        members=members,
        commitments=members * commitments_per_member,
        resources=members * resources_per_member,
        seed=seed,
    )
    peru = default_site()
    data.members.append(peru.member("peru"))
    for (slug, cid), page in peru.commitments.items():
        if slug == "peru":
            data.commitments[(slug, cid)] = page
    return data


# ---- database checks ---------------------------------------------------------------------------------
def connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), timeout=10)
    conn.execute("PRAGMA busy_timeout = 10000")
    return conn


def fts_tables(conn: sqlite3.Connection) -> list[str]:
    """Every FTS5 table of the current schema (the search engineer may rename or add some)."""
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL"
    ).fetchall()
    return [name for name, sql in rows if "USING FTS5" in sql.upper().replace("  ", " ")]


def integrity_problems(db_path: Path) -> list[str]:
    """PRAGMA integrity_check, foreign keys and every FTS5 table's integrity-check."""
    problems: list[str] = []
    conn = connect(db_path)
    try:
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
        if rows != ["ok"]:
            problems += [f"integrity_check: {r}" for r in rows[:5]]
        fk = conn.execute("PRAGMA foreign_key_check").fetchall()
        if fk:
            problems.append(f"foreign_key_check: {fk[:3]}")
        tables = fts_tables(conn)
        migrated = conn.execute("PRAGMA user_version").fetchone()[0] > 0
        named = conn.execute("SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchone()[
            0
        ]
        if not migrated and named:
            problems.append(f"half a schema: {named} objects but user_version 0 (a migration was not atomic)")
        if migrated and not tables:  # killed before the first migration committed: an empty file is fine
            problems.append("no FTS5 table in the schema")
        for t in tables:
            try:
                conn.execute(f"INSERT INTO {t}({t}) VALUES('integrity-check')")
            except sqlite3.DatabaseError as e:
                problems.append(f"FTS5 {t} integrity-check: {e}")
    finally:
        conn.close()
    return problems


def half_written(store) -> list[str]:
    """Members whose stored children do not add up to the stored record hash (or its http_state row)."""
    problems = []
    rows = store.cache.execute(
        "SELECT m.slug, m.record_hash, h.record_hash FROM members m "
        "LEFT JOIN http_state h ON h.member_slug = m.slug AND h.kind = 'member'"
    ).fetchall()
    for slug, stored, http_hash in rows:
        m = store.get_member(slug)
        if m is None or m.record_hash() != stored:
            problems.append(f"{slug}: children do not match the stored record hash")
        if http_hash is not None and http_hash != stored:
            problems.append(f"{slug}: http_state hash differs from the member row")
    return problems


# ---- what a resumed run still has to fetch ---------------------------------------------------------------
def resume_point(conn: sqlite3.Connection) -> str | None:
    """Start of the chain of interrupted runs at the end of sync_runs (None: the last run finished)."""
    from ogptui.sync import RESUMABLE_OUTCOMES

    since = None
    target = None
    for started, outcome, tgt in conn.execute(
        "SELECT started_at, outcome, target FROM sync_runs ORDER BY id DESC"
    ).fetchall():
        if outcome not in RESUMABLE_OUTCOMES or (target is not None and tgt != target):
            break
        since, target = started, tgt
    return since


def site_paths(data: SiteData) -> set[str]:
    """Every page a full sync of `data` fetches (normalised as the fake site counts them)."""
    paths = {norm_path(DIRECTORY)}
    for m in data.members:
        paths.add(norm_path(f"/members/{m.slug}/"))
        for c in m.commitments:
            paths.add(norm_path(f"/members/{m.slug}/commitments/{c.id}/"))
    return paths


def done_paths(conn: sqlite3.Connection, since: str | None) -> set[str]:
    """Pages the interrupted chain already finished (the resumed run must not ask for them again)."""
    from ogptui.timefmt import parse_iso

    if since is None:
        return set()
    start = parse_iso(since)
    rows = conn.execute("SELECT url, checked_at FROM http_state WHERE last_error IS NULL").fetchall()
    # times compared parsed, as sync does (millisecond and older whole-second values mix)
    return {
        norm_path(urlsplit(u).path)
        for u, checked in rows
        if (when := parse_iso(checked)) is not None and start is not None and when >= start
    }


def requested_paths(site) -> set[str]:
    with site._lock:
        return {p for p, n in site.counters.by_path.items() if n}


def wait_for(condition, timeout: float = 10.0, step: float = 0.01) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


def control_chars_in(text: str) -> list[str]:
    """Escape, C0 (but tab/newline) and C1 controls, BEL, NUL, bidi overrides found in `text`."""
    bad = set(ESC_C1_BEL) | {chr(c) for c in range(0x202A, 0x202F)} | {chr(c) for c in range(0x2066, 0x206A)}
    return sorted({f"U+{ord(ch):04X}" for ch in text if ch in bad})


def text_columns(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(table, column) of every TEXT-ish column of every ordinary table (FTS shadow tables excluded)."""
    out = []
    shadow = set()
    for t in fts_tables(conn):
        shadow |= {f"{t}_{s}" for s in ("data", "idx", "content", "docsize", "config")}
    for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall():
        if name in shadow or name in fts_tables(conn):
            continue
        for col in conn.execute(f"PRAGMA table_xinfo({name})").fetchall():
            out.append((name, col[1]))
    return out


def scan_controls(db_path: Path) -> dict[str, list[str]]:
    """{table.column: [code points]} for every stored text value holding control characters."""
    conn = connect(db_path)
    found: dict[str, list[str]] = {}
    try:
        for table, col in text_columns(conn):
            for (v,) in conn.execute(f'SELECT "{col}" FROM {table} WHERE typeof("{col}") = \'text\''):
                bad = control_chars_in(v)
                if bad:
                    found.setdefault(
                        f"{table}.{col}", sorted(set(found.get(f"{table}.{col}", [])) | set(bad))
                    )
    finally:
        conn.close()
    return found


def report(name: str, **figures: object) -> None:
    """Append figures to the file named by OGPTUI_RELIABILITY_LOG (JSON lines), for RELIABILITY.md."""
    target = os.environ.get("OGPTUI_RELIABILITY_LOG")
    if target:
        with open(target, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"test": name, **figures}) + "\n")


# ---- a reader in its own process (for the concurrency tests) -------------------------------------------
def reader_main(seconds: float, stop_file: str) -> None:
    """Query the cache in a loop the way the TUI does, until `stop_file` exists; print timing as JSON.

    Every operation is timed on its own; sqlite errors are collected (the store's search() would swallow
    them, so the FTS table is queried directly as well).
    """
    import random as _random

    from ogptui.seed import open_store

    rng = _random.Random(1)
    store = open_store(seed=False)
    store.cache.execute("PRAGMA busy_timeout = 0")  # a lock shows up as an error here, never as a wait
    fts = fts_tables(store.cache.conn)
    lat: list[float] = []
    slow: list[tuple[float, int, float]] = []  # (wall ms, op, cpu ms) of operations over 20 ms
    errors: list[str] = []
    versions = set()
    deadline = time.monotonic() + seconds
    stop = Path(stop_file)
    slugs: list[str] = []
    n = 0
    while time.monotonic() < deadline and not stop.exists():
        n += 1
        op = n % 4
        t0 = time.perf_counter()
        c0 = time.thread_time()
        try:
            if op == 0:
                slugs = [s.slug for s in store.list_members()]
            elif op == 1 and slugs:
                store.get_member(rng.choice(slugs))
            elif op == 2 and fts:
                word = rng.choice(("open", "data", "report", "ministry", "action", "justice"))
                store.cache.execute(
                    f"SELECT count(*) FROM {fts[0]} WHERE {fts[0]} MATCH ?", [word]
                ).fetchone()
            else:
                versions.add(store.data_version())
        except sqlite3.Error as e:
            errors.append(f"{type(e).__name__}: {e}")
        took = time.perf_counter() - t0
        lat.append(took)
        if took > 0.02:
            slow.append((round(took * 1000, 1), op, round((time.thread_time() - c0) * 1000, 1)))
    store.close()
    lat.sort()
    print(
        json.dumps(
            {
                "queries": len(lat),
                "max_ms": round(lat[-1] * 1000, 2) if lat else None,
                "p99_ms": round(lat[int(len(lat) * 0.99)] * 1000, 2) if lat else None,
                "p50_ms": round(lat[len(lat) // 2] * 1000, 2) if lat else None,
                "errors": errors[:10],
                "n_errors": len(errors),
                "versions_seen": len(versions),
                "members_seen": len(slugs),
                "slow_ops": sorted(slow, reverse=True)[:8],
            }
        )
    )


def start_reader(home: Path, seconds: float, stop_file: Path) -> subprocess.Popen:
    root = Path(__file__).resolve().parent.parent
    code = f"from tests.crashkit import reader_main; reader_main({seconds!r}, {str(stop_file)!r})"
    return subprocess.Popen(
        [sys.executable, "-c", code], env=cli_env(home), cwd=root, stdout=subprocess.PIPE, text=True
    )
