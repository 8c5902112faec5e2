"""bench/mirror_bench.py runs on a tiny site and keeps its invariants (no timing thresholds here)."""

from __future__ import annotations

import pytest

from bench import mirror_bench


@pytest.mark.slow
def test_mirror_bench_invariants(monkeypatch, tmp_path):
    monkeypatch.setenv("OGPTUI_HOME", str(tmp_path / "unused"))  # the bench sets both; restored after
    monkeypatch.setenv("OGPTUI_NO_AUTOSYNC", "1")
    r = mirror_bench.run(members=2)
    assert r["members"] == 6
    assert r["first_sync"]["bytes"] == r["mirror_bytes"]  # every part and file once, nothing twice
    assert r["no_change"] == {"bytes": 0, "requests": 1}
    o = r["one_change"]
    assert [p.split("/")[1] for p in o["requests"]] == ["index.json", "index", "members"]
    assert o["parts_bytes"] == o["part_bytes"] and o["files_bytes"] == 0
    assert o["bytes"] == o["index_bytes"] + o["shard_bytes"] + o["parts_bytes"]
    assert "1 part written, 5 unchanged" in r["publish_again"]
