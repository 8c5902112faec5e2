"""Issue 19's sync targets, measured in one run against wget on the same fake site (another process).

    python -m bench.sync_targets [--members 200] [--tree LABEL=PATH ...] [--reps 2] [--out FILE]

For each tree (default: this one; `--tree before=/tmp/old` adds another checkout of the code, e.g.
`git archive COMMIT | tar -x -C /tmp/old`), alternating trees on each repetition:
- a full sync (`bench.sync_child`, i.e. `run_sync(all_members=True)`, concurrency 4, delay 0) into an
  empty cache, in its own process: CPU (user + system), peak RSS, bytes written to disk (`proc_stats.py`);
- a no-change re-sync of that cache (the same), plus wall time, and the TCP connections the site accepted;
  and, where the tree has `sync --full`, a no-change re-sync with `--full` (every page checked, as wget does);
- wget: `wget -r -N -l 2` of the same pages (first copy), then `wget -r -N --no-if-modified-since` (a
  conditional re-check of every page); CPU from wait4, wall time, requests, connections.

The site is `bench.siteproc` (TCP_NODELAY, so no Nagle/delayed-ACK stall on reused connections) with
25 commitments and 40 resources per member (the proportions of the 200-member bench site).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import ROOT, log
from bench.siteproc import SiteProcess
from bench.sync_bench import WGET, WGET_CHECK

STATS = ROOT / "bench" / "proc_stats.py"


def _env(tree: Path, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OGPTUI_")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # bytecode compiled once, as an installed program runs
    env.update(OGPTUI_HOME=str(home), PYTHONPATH=str(tree), OGPTUI_NO_AUTOSYNC="1")
    return env


def child_sync(tree: Path, site: SiteProcess, home: Path, *extra: str) -> dict:
    """One sync in its own process with the code of `tree`; the site's counters and the process's stats."""
    out = home / "stats.json"
    site.reset()
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, str(STATS), str(out), "bench.sync_child", "--source", site.url, *extra],
        cwd=tree,
        env=_env(tree, home),
        capture_output=True,
        text=True,
        timeout=3600,
    )
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"sync child failed: {proc.stderr[-2000:]}")
    c = site.counters()
    stats = json.loads(out.read_text())
    out.unlink()
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    return {
        "wall_s": round(wall, 3),
        **stats,
        "requests": c["requests"],
        "not_modified": c["not_modified"],
        "bytes": c["bytes_sent"],
        "connections": c["connections"],
        "outcome": summary.get("outcome"),
        "written": summary.get("written"),
    }


def wget_run(site: SiteProcess, dest: Path, *extra: str) -> dict:
    cmd = [
        WGET,
        *extra,
        "-r",
        "-N",
        "-l",
        "2",
        "-nv",
        "-nH",
        "--accept-regex",
        r"/(local/participants|members/)",
        "-P",
        str(dest),
        f"{site.url}/local/participants/",
    ]
    site.reset()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t0
    c = site.counters()
    return {
        "wall_s": round(wall, 3),
        "cpu_s": round(ru.ru_utime + ru.ru_stime, 3),
        "requests": c["requests"],
        "not_modified": c["not_modified"],
        "bytes": c["bytes_sent"],
        "connections": c["connections"],
        "exit": proc.returncode,
    }


def run(members: int, trees: dict[str, Path], reps: int = 1) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="ogptui-bench-targets-"))
    res: dict = {"members": members, "trees": {k: str(v) for k, v in trees.items()}, "runs": []}
    try:
        with SiteProcess(members=members, commitments=25 * members, resources=40 * members) as site:
            res["site"] = site.command
            for rep in range(reps):
                row: dict = {}
                for label, tree in trees.items():
                    home = tmp / f"{label}-{rep}"
                    home.mkdir()
                    log(f"targets: {label} full sync, {members} members, rep {rep + 1}")
                    full = child_sync(tree, site, home)
                    log(f"targets: {label} no-change re-sync")
                    again = child_sync(tree, site, home)
                    row[label] = {"full": full, "resync": again}
                    if "--full" in (tree / "bench" / "sync_child.py").read_text():
                        log(f"targets: {label} no-change re-sync --full (every page checked)")
                        row[label]["resync_full"] = child_sync(tree, site, home, "--full")
                    shutil.rmtree(home, ignore_errors=True)
                dest = tmp / f"wget-{rep}"
                log("targets: wget first copy, then -N --no-if-modified-since")
                row["wget"] = {"full": wget_run(site, dest), "resync": wget_run(site, dest, WGET_CHECK)}
                shutil.rmtree(dest, ignore_errors=True)
                res["runs"].append(row)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return res


def documents_rss(sizes: list[int]) -> list[dict]:
    """Peak RSS of a full sync with documents (pages and files, `--documents all`) at each site size."""
    out = []
    for n in sizes:
        tmp = Path(tempfile.mkdtemp(prefix="ogptui-bench-docs-"))
        try:
            with SiteProcess(members=n, commitments=25 * n, resources=40 * n) as site:
                log(f"targets: full sync with documents, {n} members")
                r = child_sync(ROOT, site, tmp, "--documents", "all")
                out.append({"members": n} | r)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return out


def _mb(n: float) -> str:
    return f"{n / 1e6:,.1f} MB"


def render(res: dict) -> str:
    """A Markdown table of one run's figures, with the ratios to wget of the same repetition."""
    n = res["members"]
    lines = [
        f"{n} members (`{res['site']}`), concurrency 4, delay 0; one row per tree and repetition.",
        "",
        "| tree | full sync CPU | ×wget | full wall | peak RSS | disk written (full) | re-sync wall | ×wget -N "
        "| re-sync requests | connections | disk written (re-sync) | `--full` re-sync wall | ×wget -N "
        "| `--full` CPU | `--full` disk |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for run in res["runs"]:
        w = run["wget"]
        lines.append(
            f"| wget | {w['full']['cpu_s']:.2f} s | 1 | {w['full']['wall_s']:.2f} s | | "
            f"| {w['resync']['wall_s']:.2f} s | 1 | {w['resync']['requests']:,} | {w['resync']['connections']} "
            "| | | | | |"
        )
        for label, r in run.items():
            if label == "wget":
                continue
            f, a, ff = r["full"], r["resync"], r.get("resync_full")
            tail = (
                f"| {ff['wall_s']:.2f} s | {ff['wall_s'] / w['resync']['wall_s']:.2f} | {ff['cpu_s']:.2f} s "
                f"| {_mb(ff['write_bytes'])} |"
                if ff
                else "| — | — | — | — |"
            )
            lines.append(
                f"| {label} | {f['cpu_s']:.2f} s | {f['cpu_s'] / w['full']['cpu_s']:.1f} | {f['wall_s']:.2f} s "
                f"| {f['rss_mb']:.0f} MB | {_mb(f['write_bytes'])} | {a['wall_s']:.2f} s "
                f"| {a['wall_s'] / w['resync']['wall_s']:.2f} | {a['requests']:,} | {a['connections']} "
                f"| {_mb(a['write_bytes'])} " + tail
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.sync_targets")
    ap.add_argument("--members", type=int, default=200)
    ap.add_argument("--tree", action="append", default=[], help="LABEL=PATH of another checkout")
    ap.add_argument("--reps", type=int, default=1)
    ap.add_argument("--out")
    ap.add_argument("--no-after", action="store_true", help="measure only the --tree checkouts")
    ap.add_argument("--render", metavar="JSON", help="print the Markdown table of a saved run and exit")
    ap.add_argument("--documents-rss", metavar="N,N", help="only: peak RSS of syncs with documents at these sizes")
    a = ap.parse_args(argv)
    if a.documents_rss:
        print(json.dumps(documents_rss([int(x) for x in a.documents_rss.split(",")]), indent=1))
        return 0
    if a.render:
        print(render(json.loads(Path(a.render).read_text())))
        return 0
    trees = dict(t.split("=", 1) for t in a.tree)
    trees_p = {k: Path(v).resolve() for k, v in trees.items()} | ({} if a.no_after else {"after": ROOT})
    res = run(a.members, trees_p, a.reps)
    text = json.dumps(res, indent=1)
    if a.out:
        Path(a.out).write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
