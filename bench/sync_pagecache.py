"""Per-request CPU of a full sync and of `--full` re-syncs in one process, alternating SQLite's default page
cache with a 64 MB one (bench/NOTES.md, issue 19: is the sync linear in the number of members?).

    python -m bench.sync_pagecache --members 1000 --home /tmp/h1000

Prints one line per sync: (CPU seconds, wall seconds, requests).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import time
from pathlib import Path

from bench.siteproc import SiteProcess


def one(site: SiteProcess, *, full: bool, cache_kib: int) -> tuple[float, float, int]:
    from ogptui import config
    from ogptui.seed import open_store
    from ogptui.sync import run_sync

    with open_store(config.paths(), seed=False) as store:
        if cache_kib:
            store.cache.execute(f"PRAGMA cache_size = -{int(cache_kib)}")
        cpu, wall = time.process_time(), time.perf_counter()
        s = asyncio.run(
            run_sync(
                store,
                all_members=True,
                source=site.url,
                concurrency=4,
                delay=0,
                settings=config.Settings(revalidate_every=0),
                full=full,
            )
        )
        return round(time.process_time() - cpu, 2), round(time.perf_counter() - wall, 2), s.requests


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.sync_pagecache")
    ap.add_argument("--members", type=int, default=1000)
    ap.add_argument("--home", required=True, help="a scratch data folder (emptied first)")
    ap.add_argument("--reps", type=int, default=2)
    a = ap.parse_args(argv)
    home = Path(a.home)
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    os.environ["OGPTUI_HOME"] = str(home)
    n = a.members
    with SiteProcess(members=n, commitments=25 * n, resources=40 * n) as site:
        print("full sync", one(site, full=False, cache_kib=0), flush=True)
        for _ in range(a.reps):
            for kib in (0, 64_000):
                print(f"--full re-sync, cache_size {kib or 'default'}", one(site, full=True, cache_kib=kib), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
