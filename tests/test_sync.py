"""Sync against the fake OGP site on 127.0.0.1: full sync, no-change re-sync, faults, offline, gone, resume."""

from __future__ import annotations

import asyncio
import copy
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ogptui import config
from ogptui.cli import main
from ogptui.model import Resource
from ogptui.seed import open_store
from ogptui.sync import run_sync

FAST = {"delay": 0, "backoff_initial": 0.001, "backoff_max": 0.005, "backoff_jitter": 0, "offline_after": 2}
DATA_TABLES = (
    "members",
    "contacts",
    "commitments",
    "resources",
    "performance",
    "benchmarks",
    "participation",
    "dimensions",
    "posts",
    "commitment_details",
)


def sync(store, site, slugs=None, **kw):
    return asyncio.run(run_sync(store, slugs=slugs, source=site.url, source_options=dict(FAST), **kw))


def data_snapshot(store) -> dict[str, list]:
    """Every data row of every record table (not bookkeeping), to prove nothing was written."""
    return {t: store.cache.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in DATA_TABLES}


def test_full_sync_populates_every_table(store, fake_site):
    summary = sync(store, fake_site, ["peru", "valdoria", "port-esmer-valdoria", "norland"])
    assert summary.outcome == "ok", summary.failed
    assert summary.updated == 4 and not summary.failed
    counts = store.counts()
    for table in DATA_TABLES:
        assert counts[table] > 0, f"{table} is empty after a full sync"
    peru = store.get_member("peru")
    site_peru = fake_site.member("peru")
    assert [r.title for r in peru.resources] == [r.title for r in site_peru.resources]
    assert peru.commitments and all(c.has_details() for c in peru.commitments)
    first = peru.commitments[0]
    page = fake_site.commitment("peru", first.id)
    assert first.status == page.status and first.lead_institution == page.lead_institution
    assert store.get_member("port-esmer-valdoria").level == "local"
    run = store.last_run()
    assert run.outcome == "ok" and run.counters["requests"] == summary.requests > 4


def test_immediate_resync_is_all_304_and_writes_nothing(store, fake_site):
    slugs = ["peru", "valdoria"]
    sync(store, fake_site, slugs)
    before = data_snapshot(store)
    changes_before = store.cache.execute("SELECT count(*) FROM changes").fetchone()[0]
    fake_site.reset_counters()
    summary = sync(store, fake_site, slugs)
    c = fake_site.counters
    assert summary.outcome == "ok"
    assert c.requests == c.conditional == c.not_modified == summary.not_modified > 0
    assert summary.written == 0 and summary.updated == 0 and summary.unchanged == 2
    assert summary.nbytes == 0
    assert data_snapshot(store) == before
    assert store.cache.execute("SELECT count(*) FROM changes").fetchone()[0] == changes_before


def test_no_validators_and_changing_nonce_writes_nothing(store, make_fake_site):
    site = make_fake_site(validators=False, nonce=True)
    sync(store, site, ["peru"])
    before = data_snapshot(store)
    site.reset_counters()
    summary = sync(store, site, ["peru"])
    assert site.counters.conditional == 0 and site.counters.not_modified == 0
    assert summary.written == 0 and summary.updated == 0 and summary.unchanged == 1
    assert data_snapshot(store) == before


def test_changed_page_rewrites_only_that_member_and_logs_the_change(store, fake_site):
    sync(store, fake_site, ["peru", "valdoria"])
    valdoria_before = store.get_member("valdoria").to_dict()
    peru = copy.deepcopy(fake_site.member("peru"))
    peru.resources.insert(
        0,
        Resource(
            "Peru Open Parliament Brief 2026",
            2026,
            "Research Product",
            "Web page",
            "/documents/peru-open-parliament-brief-2026/",
        ),
    )
    fake_site.set_member(peru)
    summary = sync(store, fake_site, ["peru", "valdoria"])
    assert summary.updated == 1 and summary.unchanged == 1
    assert store.get_member("valdoria").to_dict() == valdoria_before
    assert store.get_member("peru").resources[0].title == "Peru Open Parliament Brief 2026"
    rows = store.recent_changes(run_id=summary.run_id)
    assert [(r.action, r.kind, r.member_slug) for r in rows] == [("added", "resource", "peru")]
    assert "Peru Open Parliament Brief 2026" in rows[0].summary
    assert any("Peru Open Parliament Brief 2026" in line for line in summary.changes)


@pytest.mark.parametrize(
    ("kind", "options", "expect_requests", "reason_part"),
    [
        ("500", {}, 1, "500"),
        ("503", {"retry_after": 0}, 4, "503"),
        ("429", {"retry_after": 0}, 4, "429"),
        ("wrong_type", {}, 1, "text/html"),
        ("challenge", {}, 1, "challenge"),
        ("oversize", {"size_mb": 12}, 1, "larger"),
        ("redirect_loop", {}, None, "redirect"),
        ("truncated", {}, 4, ""),
    ],
)
def test_fault_fails_that_member_keeps_its_data_and_syncs_others(
    store, fake_site, kind, options, expect_requests, reason_part
):
    sync(store, fake_site, ["peru", "valdoria"])
    peru_before = store.get_member("peru").to_dict()
    fake_site.set_member(_with_extra_resource(fake_site.member("valdoria")))
    fake_site.fault("/members/peru/", kind, **options)
    fake_site.reset_counters()
    summary = sync(store, fake_site, ["peru", "valdoria"])
    assert summary.outcome == "partial"
    failed = dict(summary.failed)
    assert "peru" in failed and reason_part.lower() in failed["peru"].lower()
    assert store.get_member("peru").to_dict() == peru_before
    assert summary.updated == 1  # valdoria still synced
    assert store.get_member("valdoria").resources[0].title == "Valdoria Added Report 2026"
    if expect_requests is not None:
        assert fake_site.hits("/members/peru/") == expect_requests
    state = store.http_state(fake_site.member_url("peru"))
    assert state["failures"] == 1 and state["last_error"]


def test_transient_503_with_retry_after_then_success(store, fake_site):
    fake_site.fault("/members/peru/", "503", times=2, retry_after=0)
    summary = sync(store, fake_site, ["peru"])
    assert summary.outcome == "ok" and summary.updated == 1
    assert fake_site.hits("/members/peru/") == 3


def test_404_is_never_retried_and_gone_only_after_two(store, fake_site):
    sync(store, fake_site, ["peru", "valdoria"])
    fake_site.fault("/members/valdoria/", "404")
    fake_site.reset_counters()
    s1 = sync(store, fake_site, ["valdoria"])
    assert fake_site.hits("/members/valdoria/") == 1
    assert "valdoria" in dict(s1.failed)
    assert store.list_members()[-1].gone_at is None or all(m.gone_at is None for m in store.list_members())
    s2 = sync(store, fake_site, ["valdoria"])
    assert s2.gone == ["valdoria"]
    gone = {m.slug: m.gone_at for m in store.list_members()}
    assert gone["valdoria"] is not None and gone["peru"] is None
    assert store.get_member("valdoria") is not None  # still viewable
    # It comes back: the mark is cleared.
    fake_site.clear_faults()
    s3 = sync(store, fake_site, ["valdoria"])
    assert s3.outcome == "ok"
    assert {m.slug: m.gone_at for m in store.list_members()}["valdoria"] is None


def test_server_down_from_start_is_offline_and_cache_intact(store, fake_site):
    sync(store, fake_site, ["peru"])
    before = data_snapshot(store)
    fake_site.stop()
    summary = sync(store, fake_site, ["peru", "valdoria"])
    assert summary.outcome == "offline"
    assert summary.message.startswith(f"cannot reach {fake_site.url}")
    assert summary.message.endswith("cached data is unchanged")
    assert data_snapshot(store) == before
    assert store.last_run().outcome == "offline"


def test_server_stopped_mid_run_is_offline_and_keeps_what_was_written(store, make_fake_site):
    site = make_fake_site(members=12)
    slugs = [m.slug for m in site.members()]
    calls = {"n": 0}

    def on_event(ev):
        if ev.kind == "member_done":
            calls["n"] += 1
            if calls["n"] == 3:
                site.stop()

    summary = asyncio.run(
        run_sync(
            store, slugs=slugs, source=site.url, source_options=dict(FAST, concurrency=1), on_event=on_event
        )
    )
    assert summary.outcome == "offline"
    assert 3 <= len(store.member_slugs()) < 12
    for slug in store.member_slugs():  # nothing half-written
        m = store.get_member(slug)
        row = store.cache.execute("SELECT record_hash FROM members WHERE slug = ?", [slug]).fetchone()
        assert m.record_hash() == row[0]


@pytest.mark.slow
def test_cli_sync_then_resync_then_offline(fake_site, capsys):
    assert main(["sync", "peru", "--source", fake_site.url, "--quiet"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1 member: 1 updated, 0 unchanged, 0 failed;")
    assert main(["sync", "peru", "--source", fake_site.url, "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "0 updated, 1 unchanged" in out and "not modified" in out
    fake_site.stop()
    assert main(["sync", "peru", "--source", fake_site.url, "--quiet"]) == 1
    captured = capsys.readouterr()
    err_lines = captured.err.strip().splitlines()
    assert len(err_lines) == 1
    assert (
        err_lines[0].startswith(f"ogptui: cannot reach {fake_site.url}")
        and "cached data is unchanged" in err_lines[0]
    )
    assert main(["show", "peru"]) == 0
    assert "Peru" in capsys.readouterr().out


def test_cli_sync_names_each_failed_member(fake_site, capsys):
    fake_site.fault("/members/norland/", "500")
    assert main(["sync", "peru", "norland", "--source", fake_site.url, "--quiet"]) == 1
    captured = capsys.readouterr()
    assert "1 failed" in captured.out
    assert "failed: norland: " in captured.err


@pytest.mark.parametrize(
    "argv",
    [
        ["sync", "--source", "ftp://example.org"],
        ["sync", "--source", "not a url"],
        ["sync", "--concurrency", "0"],
        ["sync", "--concurrency", "many"],
        ["sync", "peru", "--all"],
    ],
)
def test_cli_sync_usage_errors(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        rc = main(argv)
        raise SystemExit(rc)
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("ogptui: ")


def test_sync_all_discovers_members_from_directory(store, fake_site):
    summary = asyncio.run(run_sync(store, all_members=True, source=fake_site.url, source_options=dict(FAST)))
    assert summary.outcome == "ok", summary.failed
    assert set(store.member_slugs()) == {m.slug for m in fake_site.members()}


def test_watchlist_is_the_default_target(store, fake_site):
    store.watch("valdoria")
    summary = asyncio.run(run_sync(store, source=fake_site.url, source_options=dict(FAST)))
    assert summary.members == 1 and store.member_slugs() == ["valdoria"]


def test_changes_command_lists_run(fake_site, capsys):
    main(["sync", "peru", "--source", fake_site.url, "--quiet"])
    capsys.readouterr()
    assert main(["changes", "--run", "1"]) == 0
    out = capsys.readouterr().out  # the embedded sample was replaced: new resources are listed
    assert "run 1" in out and "Peru: new resource" in out
    assert main(["changes", "--run", "99"]) == 0
    assert "No changes recorded for run 99." in capsys.readouterr().out


def test_revalidate_every_n_runs_fetches_without_validators(store, fake_site):
    settings = config.Settings(revalidate_every=3)
    for _ in range(2):
        sync(store, fake_site, ["valdoria"], settings=settings)
    fake_site.reset_counters()
    summary = sync(store, fake_site, ["valdoria"], settings=settings)  # third run: no validators
    assert fake_site.counters.conditional == 0 and summary.written == 0


def _with_extra_resource(member):
    m = copy.deepcopy(member)
    m.resources.insert(0, Resource("Valdoria Added Report 2026", 2026, "IRM Report", "Web page", None))
    return m


# ---- a run killed mid-way, then resumed ----------------------------------------------------------------
@pytest.mark.slow
def test_killed_run_resumes_without_redoing_finished_work(tmp_path, ogptui_home):
    """SIGKILL a CLI sync in a subprocess mid-run; the DB is intact and the next run fetches only what is left."""
    port_file = tmp_path / "port"
    root = Path(__file__).resolve().parent.parent
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.fakesite",
            "--members",
            "30",
            "--port",
            "0",
            "--latency",
            "0.02",
            "--port-file",
            str(port_file),
        ],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = _wait_for_url(server, port_file)
        env = dict(os.environ, OGPTUI_HOME=str(ogptui_home))
        cmd = [
            sys.executable,
            "-m",
            "ogptui",
            "sync",
            "--all",
            "--source",
            url,
            "--quiet",
            "--concurrency",
            "2",
            "--delay",
            "0",
        ]
        proc = subprocess.Popen(cmd, env=env, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        db = config.paths().cache_db
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if _count(db, "SELECT count(*) FROM http_state WHERE kind = 'member'") >= 8:
                break
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        conn = sqlite3.connect(db)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        done = {r[0] for r in conn.execute("SELECT url FROM http_state WHERE last_error IS NULL")}
        assert conn.execute("SELECT outcome FROM sync_runs").fetchone()[0] == "running"
        conn.close()
        assert 8 <= len([u for u in done if "/commitments/" not in u and "/members/" in u]) < 30
        with open_store(seed=False) as s:
            for slug in s.member_slugs():
                m = s.get_member(slug)
                row = s.cache.execute("SELECT record_hash FROM members WHERE slug = ?", [slug]).fetchone()
                assert m.record_hash() == row[0], f"{slug} is half-written"
        log_before = _request_log(url)
        r = subprocess.run(cmd, env=env, cwd=root, capture_output=True, text=True, timeout=120)
        # The only failure allowed is the embedded sample's Peru, which this synthetic site does not have.
        assert r.returncode in (0, 1) and all("peru" in line for line in r.stderr.splitlines()), r.stderr
        assert "resumed:" in r.stdout
        fetched_again = [p for p in _request_log(url)[len(log_before) :] if _is_page(p)]
        refetched = {p for p in fetched_again if url + p in done}
        assert not refetched, f"re-fetched finished pages: {sorted(refetched)[:5]}"
        with open_store(seed=False) as s:
            assert len(set(s.member_slugs()) - {"peru"}) == 30  # every site member (+ the embedded sample)
    finally:
        server.terminate()
        server.wait(timeout=10)


def _wait_for_url(server: subprocess.Popen, port_file: Path) -> str:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if port_file.exists() and port_file.read_text().strip():
            return f"http://127.0.0.1:{int(port_file.read_text().strip())}"
        if server.poll() is not None:
            raise RuntimeError(server.stdout.read())
        time.sleep(0.05)
    raise RuntimeError("fake site did not start")


def _count(db: Path, sql: str) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return conn.execute(sql).fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def _request_log(url: str) -> list[str]:
    import httpx

    return json.loads(httpx.get(url + "/__log__", timeout=5).text)


def _is_page(path: str) -> bool:
    return path.startswith("/members/")


def test_sync_all_revalidates_the_directory_page(store, fake_site):
    asyncio.run(run_sync(store, all_members=True, source=fake_site.url, source_options=dict(FAST)))
    fake_site.reset_counters()
    summary = asyncio.run(run_sync(store, all_members=True, source=fake_site.url, source_options=dict(FAST)))
    assert summary.outcome == "ok" and summary.members == 4
    assert fake_site.counters.requests == fake_site.counters.not_modified  # the directory too: 304
    assert fake_site.hits("/local/participants") == 1


# ---- Ctrl-C (issue 12.6) -------------------------------------------------------------------------------
INTERRUPTED = re.compile(
    r"^ogptui: sync interrupted: (\d+) members?(?: and (\d+) commitment pages?)? updated before the "
    r"interruption; run `ogptui sync` to finish$"
)


@pytest.mark.slow
def test_ctrl_c_is_recorded_as_interrupted_says_what_was_stored_and_resumes(tmp_path, ogptui_home):
    """A real SIGINT to `ogptui sync --all` mid-run: exit 130, one true line, outcome `interrupted`, and the
    next run fetches only what was left (exactly as after SIGKILL)."""
    root = Path(__file__).resolve().parent.parent
    port_file = tmp_path / "port"
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.fakesite", "--members", "30", "--port", "0", "--latency", "0.02"]
        + ["--port-file", str(port_file)],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = _wait_for_url(server, port_file)
        env = dict(os.environ, OGPTUI_HOME=str(ogptui_home))
        cmd = [sys.executable, "-m", "ogptui", "sync", "--all", "--source", url, "--quiet"]
        cmd += ["--concurrency", "2", "--delay", "0"]
        proc = subprocess.Popen(
            cmd, env=env, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        db = config.paths().cache_db
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if (
                _count(db, "SELECT count(*) FROM http_state WHERE kind = 'member' AND last_error IS NULL")
                >= 8
            ):
                break
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        assert proc.returncode == 130, err
        lines = err.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in err, err
        m = INTERRUPTED.match(lines[0])
        assert m, lines[0]
        conn = sqlite3.connect(db)
        try:
            outcome, summary = conn.execute(
                "SELECT outcome, summary FROM sync_runs ORDER BY id DESC"
            ).fetchone()
            members = conn.execute(
                "SELECT count(*) FROM http_state WHERE kind = 'member' AND last_error IS NULL"
            ).fetchone()[0]
            details = conn.execute(
                "SELECT count(*) FROM http_state WHERE kind = 'commitment' AND last_error IS NULL"
            ).fetchone()[0]
            done = {r[0] for r in conn.execute("SELECT url FROM http_state WHERE last_error IS NULL")}
        finally:
            conn.close()
        assert outcome == "interrupted" and "ogptui: " + summary == lines[0]
        # the message tells the truth: every member page stored is counted (all are new to this cache)
        assert int(m.group(1)) == members >= 8 and int(m.group(2) or 0) == details
        log_before = _request_log(url)
        r = subprocess.run(cmd, env=env, cwd=root, capture_output=True, text=True, timeout=120)
        assert r.returncode in (0, 1) and all("peru" in line for line in r.stderr.splitlines()), r.stderr
        assert "resumed:" in r.stdout
        again = [p for p in _request_log(url)[len(log_before) :] if _is_page(p)]
        assert not {p for p in again if url + p in done}, "re-fetched pages the interrupted run had finished"
        with open_store(seed=False) as s:
            assert len(set(s.member_slugs()) - {"peru"}) == 30
        from tests.crashkit import report

        report("ctrl-c", members_stored=members, commitment_pages_stored=details, resumed_requests=len(again))
    finally:
        server.terminate()
        server.wait(timeout=10)


# ---- bounds (issue 12.3) -------------------------------------------------------------------------------
HANGING_BOUND_S = 70  # README / RELIABILITY.md: "an unreachable or hanging source gives up within 70 s"


@pytest.mark.slow
def test_hanging_source_on_a_50_member_cache_ends_offline_within_the_documented_bound(
    make_fake_site, ogptui_home
):
    """The real defaults (no test timeouts): the site accepts connections and never answers."""
    from tests.crashkit import crash_site_data, run_cli

    site = make_fake_site(crash_site_data(members=50, commitments_per_member=1, resources_per_member=2))
    with open_store() as store:
        first = sync(store, site, all_members=True)
        assert first.outcome == "ok", first.failed
        assert len(store.member_slugs()) == 51
        before = data_snapshot(store)
    site.fault("*", "hang")
    t0 = time.monotonic()
    r = run_cli(ogptui_home, "sync", "--source", site.url, "--quiet", timeout=HANGING_BOUND_S + 30)
    took = time.monotonic() - t0
    site.clear_faults()
    assert r.returncode == 1, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"ogptui: cannot reach {site.url}: "), r.stderr
    # silence (read timeout) and the limit on the time to headers are both 10 s: either may speak first
    assert re.search(
        r"(stopped answering for 10 s|sent no complete answer within 10 s) after 2 tries; cached data is unchanged$",
        lines[0],
    ), lines[0]
    assert took < HANGING_BOUND_S, f"a hanging source took {took:.1f} s"
    with open_store() as store:
        assert data_snapshot(store) == before
        assert store.last_run().outcome == "offline"
    from tests.crashkit import report

    report("hanging-source", members=51, seconds=round(took, 1), bound=HANGING_BOUND_S)


@pytest.mark.slow
def test_run_deadline_stops_the_run_truthfully_and_the_next_run_resumes(store, make_fake_site):
    site = make_fake_site(members=12, latency=0.05)
    slugs = [m.slug for m in site.members()]
    # Member pages only: 480 document pages and 240 PDFs at 50 ms each would only make the test slow
    # (documents under a deadline: tests/test_documents_sync.py).
    summary = sync(store, site, slugs, deadline=0.6, documents="none")
    assert summary.outcome == "deadline"
    assert re.fullmatch(
        r"the sync stopped at its time limit of 0\.6 s \(setting run_deadline\): \d+ members?( and \d+ commitment"
        r" pages?)? updated before it; run `ogptui sync` to finish",
        summary.message,
    ), summary.message
    assert store.last_run().outcome == "deadline" and store.last_run().summary == summary.message
    stored = len(store.member_slugs())
    assert stored < 12
    again = sync(store, site, slugs, documents="none")
    assert again.outcome == "ok" and again.skipped == stored and len(store.member_slugs()) == 12


def test_run_deadline_setting_has_a_default():
    assert config.Settings().run_deadline == 3600.0


# ---- sync internals (issue 11.7) -----------------------------------------------------------------------
def test_resume_compares_milliseconds_not_whole_seconds(store, fake_site):
    """A page the last complete run checked just before an interrupted run started is not 'done' by it."""
    sync(store, fake_site, ["valdoria"])  # run A checks every page
    store.begin_run(fake_site.url, "valdoria")  # run B starts at once (same second) and is killed
    fake_site.set_member(_with_extra_resource(fake_site.member("valdoria")))
    summary = sync(store, fake_site, ["valdoria"])  # run C resumes after B
    assert summary.skipped == 0 and summary.updated == 1
    assert store.get_member("valdoria").resources[0].title == "Valdoria Added Report 2026"


def test_done_since_reads_old_whole_second_times():
    from ogptui.sync_checks import done_since as _done_since

    ok = {"checked_at": "2026-01-01T00:00:06Z", "last_error": None}
    assert _done_since(ok, "2026-01-01T00:00:05.400Z")
    assert _done_since({"checked_at": "2026-01-01T00:00:05.100Z"}, "2026-01-01T00:00:05Z")
    assert not _done_since({"checked_at": "2026-01-01T00:00:05.100Z"}, "2026-01-01T00:00:05.400Z")
    assert _done_since({"checked_at": "2026-01-01T00:00:05.400Z"}, "2026-01-01T00:00:05.400Z")
    assert not _done_since({"checked_at": "2026-01-01T00:00:06Z", "last_error": "x"}, "2026-01-01T00:00:05Z")
    assert not _done_since({"checked_at": None}, "2026-01-01T00:00:05Z") and not _done_since(None, "x")


def test_run_times_have_milliseconds(store, fake_site):
    sync(store, fake_site, ["norland"])
    started = store.last_run().started_at
    checked = store.http_state(fake_site.member_url("norland"))["checked_at"]
    for value in (started, checked):
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", value), value


def test_every_counter_counted_is_reported(store, fake_site):
    fake_site.fault("/members/peru/", "503", times=1, retry_after=0)
    summary = sync(store, fake_site, ["peru", "norland"])
    n = summary.commitments_updated
    assert n > 0 and summary.retries == 1
    text = summary.text()
    assert f"; {n} commitment pages updated" in text and "; 1 retries" in text
    run = store.last_run()
    assert run.summary == text


@pytest.mark.slow
def test_workers_are_bounded_by_the_concurrency(store, make_fake_site):
    site = make_fake_site(members=6, latency=0.03)
    summary = asyncio.run(
        run_sync(store, all_members=True, source=site.url, source_options=dict(FAST, concurrency=2))
    )
    assert summary.outcome == "ok", summary.failed
    assert site.counters.max_in_flight == 2 and len(store.member_slugs()) == 6
