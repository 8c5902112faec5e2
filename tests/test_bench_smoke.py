"""The benchmark code runs, on a tiny site, and its results keep the invariants that must hold.

No timing thresholds here (benchmarks measure, tests do not time): only structure and invariants such as
"a no-change re-sync writes 0 rows". Everything is served on 127.0.0.1 by a child process.
"""

from __future__ import annotations

import shutil

import pytest

from bench import parse_bench, report, sync_bench, tui_bench
from bench.common import machine, spread

pytestmark = pytest.mark.timeout(60)

TINY = sync_bench.Config(
    members=3,
    commitments=12,
    resources=20,
    full_reps={1: 1, 2: 1},
    resync_reps=1,
    hash_resync_reps=1,
    wget_reps=1,
    polite=False,
    resume=False,
)


def test_spread_reports_median_and_range():
    s = spread([3.0, 1.0, 2.0, 10.0])
    assert (s["median"], s["min"], s["max"], s["n"]) == (2.5, 1.0, 10.0, 4)
    assert s["p25"] <= s["median"] <= s["p75"]


@pytest.mark.slow
def test_parse_bench_structure():
    r = parse_bench.run(quick=True, members=4, commitments=20, resources=30)
    for kind in ("member", "commitment"):
        x = r[kind]
        assert x["pages"] > 0 and x["reps"] >= 1
        assert 0 < x["p50_ms"] <= x["p95_ms"] <= x["max_ms"]
        assert x["peak_kb"] > 0
        assert x["lexbor_cpu_p50_ms"] > 0 and x["lexbor_ratio"] > 0  # the floor, measured beside it
    assert r["target_p50_ms"] == 5.0
    md = report.render({"machine": machine(), "seconds": {"total": 1.0}, "parse": r})
    assert "lexbor" in md


def test_search_bench_times_the_raw_fts5_query_beside_search(tmp_path, monkeypatch):
    from bench import search_bench

    monkeypatch.setenv("OGPTUI_HOME", str(tmp_path))
    assert search_bench.build(tmp_path, 1000) == 1000
    r = search_bench.measure(tmp_path, n=40)
    assert r["queries"] > 0 and r["raw_p95_ms"] > 0 and r["ratio_p95"] > 0
    assert r["slowest"] and {"query", "raw_ms", "ours_ms"} <= set(r["slowest"][0])


@pytest.mark.slow
def test_sync_bench_invariants():
    cfg = TINY
    if shutil.which("wget") is None:
        cfg = sync_bench.Config(**{**TINY.__dict__, "wget": False})
    r = sync_bench.run(config=cfg)
    full = r["full"]
    assert set(full) == {"1", "2"}
    for f in full.values():
        assert f["requests"]["median"] == 1 + 3 + 12  # directory + members + commitment pages
        assert f["written"]["min"] > 0
        assert all(run["outcome"] == "ok" for run in f["runs"])
    v = r["resync_validators"]
    assert v["written"]["max"] == 0  # nothing changed → nothing written
    # every page answered 304: the directory, the members and their commitment pages
    assert v["not_modified"]["median"] == v["requests"]["median"] == 1 + 3 + 12
    assert v["bytes"]["median"] == 0
    h = r["resync_hash"]
    assert h["written"]["max"] == 0  # record hash: full pages with a fresh nonce, still nothing written
    assert h["not_modified"]["median"] == 0
    if cfg.wget:
        assert r["wget"]["first"]["bytes"]["median"] > 0
    md = report.render({"machine": machine(), "seconds": {"total": 1.0}, "sync": r})
    assert "No-change re-sync" in md and "Summary against the targets" in md


@pytest.mark.slow
def test_keystroke_bench_measures_repaints(tmp_path):
    info = tui_bench.build_cache(tmp_path, members=3, commitments=12, resources=20)
    assert tui_bench.member_count(tmp_path) == 3
    k = tui_bench.keystroke(tmp_path, "members", reps=1)
    assert k["samples"] == 6 and k["p50_ms"] > 0
    k = tui_bench.keystroke(tmp_path, "commitments", slug=info["slug"], reps=1)
    assert k["samples"] == 6


def test_reader_bench_measures_both_documents():
    r = tui_bench.reader_open(reps=1)
    assert r["samples"] == 1 and r["text_chars"] > 190_000
    assert r["big"]["p50_ms"] > 0 and r["small"]["p50_ms"] > 0
    lines = "\n".join(report._reader(r))
    assert "### Document reader: open to the first paint of the text" in lines
    assert "| 200 kB |" in lines and "| one paragraph |" in lines




def test_sync_targets_invariants():
    """bench.sync_targets on a 3-member site: child syncs with their CPU, RSS and disk figures, keep-alive
    (a re-sync opens no more connections than the pool holds), the default re-sync asks only the member
    pages and the directory, `--full` asks every page, and the table renders."""
    from bench import sync_targets
    from bench.common import ROOT

    r = sync_targets.run(3, {"after": ROOT}, reps=1)
    row = r["runs"][0]["after"]
    full, again, every = row["full"], row["resync"], row["resync_full"]
    assert full["outcome"] == again["outcome"] == every["outcome"] == "ok"
    assert full["requests"] == every["requests"] == every["not_modified"] == 1 + 3 + 3 * 25
    assert again["requests"] == again["not_modified"] == 1 + 3 and again["written"] == 0
    assert full["cpu_s"] > 0 and full["rss_mb"] > 0 and full["ogptui"].startswith(str(ROOT))
    assert again["connections"] <= 5 and every["connections"] <= 5
    if shutil.which("wget"):
        assert r["runs"][0]["wget"]["full"]["requests"] > 0
        assert "| after |" in sync_targets.render(r)
