"""Issue 18, kills: a mirror sync killed mid-download resumes without refetching what it finished, and a
publish killed at any moment leaves an index whose parts are all there (CLI in a subprocess, SIGKILL)."""

from __future__ import annotations

import signal
import sqlite3
import time

import pytest

from ogptui.cli import main
from tests.crashkit import integrity_problems, kill_after, start_cli
from tests.mirrorkit import MirrorServer
from tests.test_mirror_publish import index_of, intact, publisher, run, show_all, use  # noqa: F401

pytestmark = pytest.mark.timeout(120)


def test_a_killed_mirror_sync_resumes_without_refetching_finished_parts(
    publisher,  # noqa: F811 (the fixture imported above)
    tmp_path,
    monkeypatch,
    capsys,
):
    mirror = tmp_path / "m"
    assert run(capsys, "publish", str(mirror), "--with-files")[0] == 0
    expected = show_all(capsys)
    idx = index_of(mirror)
    peru = idx.members["peru"]
    client = use(monkeypatch, tmp_path / "field")
    with MirrorServer(mirror, slow={"members/peru-": 0.1}) as srv:  # 1 kB every 0.1 s for Peru's part
        proc = start_cli(client, "sync", "--mirror", srv.url, "--quiet")
        t0 = time.monotonic()
        while srv.sent("/" + peru.part) < 10_240 and time.monotonic() - t0 < 30 and proc.poll() is None:
            time.sleep(0.01)
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        first_run = srv.hits()
        assert integrity_problems(client / "cache.db") == []
        partial = client / ".mirror-parts" / f"{peru.sha256}.part"
        kept = partial.stat().st_size
        assert 0 < kept < peru.size  # the part was cut off midway, and what arrived is on disk

        srv.slow.clear()
        srv.clear()
        rc, out, err = run(capsys, "sync", "--mirror", srv.url, "--quiet")
        assert rc == 0 and err == "", err
        second_run = srv.hits()
    paths = [h.path for h in second_run]
    # Norland was imported before the kill: its part is not fetched again; neither are Peru's files, which
    # had arrived whole; Peru's part continues where it stopped.
    assert "/" + idx.members["norland"].part in [h.path for h in first_run]
    assert "/" + idx.members["norland"].part not in paths
    assert not any(p.removeprefix("/") in {f.url_path for f in peru.files} for p in paths)
    (resumed,) = [h for h in second_run if h.path == "/" + peru.part]
    assert resumed.status == 206 and resumed.range == f"bytes={kept}-" and resumed.sent == peru.size - kept
    assert show_all(capsys) == expected
    assert integrity_problems(client / "cache.db") == []
    assert not list((client / ".mirror-parts").glob("*.part"))


def _touch_all_members(home, n: int) -> None:
    """Every member's records change (a newer fetch time), so the next publish exports every part again."""
    conn = sqlite3.connect(home / "cache.db")
    with conn:
        conn.execute("UPDATE members SET fetched_at = ?", [f"2026-01-{n + 1:02d}T00:00:00Z"])
    conn.close()


def test_a_publish_killed_at_any_moment_leaves_the_previous_index_usable(
    publisher,  # noqa: F811 (the fixture imported above)
    tmp_path,
    monkeypatch,
    capsys,
):
    mirror = tmp_path / "m"
    assert run(capsys, "publish", str(mirror), "--with-files")[0] == 0
    generations = {1}
    for n, delay in enumerate((0.3, 0.5, 0.7, 0.9, 1.2, 1.6)):
        _touch_all_members(publisher, n)
        proc = start_cli(publisher, "publish", str(mirror), "--with-files")
        killed = kill_after(proc, delay)
        assert intact(mirror) == [], f"after a kill at {delay} s"
        generations.add(index_of(mirror).generation)
        if not killed:
            assert proc.returncode == 0
    rc, out, err = run(capsys, "publish", str(mirror), "--with-files")
    assert rc == 0 and intact(mirror) == []
    assert not list(mirror.glob(".publish-*")) and not list(mirror.rglob(".*.tmp"))
    # A client syncs from the result.
    expected = show_all(capsys)
    use(monkeypatch, tmp_path / "client")
    with MirrorServer(mirror) as srv:
        assert main(["sync", "--mirror", srv.url, "--quiet"]) == 0
    capsys.readouterr()
    assert show_all(capsys) == expected
