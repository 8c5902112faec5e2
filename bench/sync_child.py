"""A sync in its own process (for the resume benchmark, which SIGKILLs it part-way).

    OGPTUI_HOME=... python -m bench.sync_child --source URL [--concurrency 4] [--delay 0] [--full]

The same `run_sync(all_members=True)` that `ogptui sync --all --source URL` runs; only the delay between
requests can be set here (the CLI has no option for it, and its polite default would make a 5,201-request
run take over 20 minutes).
"""

from __future__ import annotations

import argparse
import asyncio
import json


def main(argv: list[str] | None = None) -> int:
    from ogptui import config
    from ogptui.seed import open_store
    from ogptui.sync import run_sync

    ap = argparse.ArgumentParser(prog="python -m bench.sync_child")
    ap.add_argument("--source", required=True)
    ap.add_argument("--concurrency", type=int, default=4)
    ap.add_argument("--delay", type=float, default=0.0)
    ap.add_argument("--full", action="store_true", help="check every page (`ogptui sync --full`)")
    ap.add_argument("--documents", choices=("none", "pages", "all"), help="documents for every member")
    a = ap.parse_args(argv)
    settings = config.Settings(revalidate_every=0)
    with open_store(config.paths(), seed=False) as store:
        s = asyncio.run(
            run_sync(
                store,
                all_members=True,
                source=a.source,
                concurrency=a.concurrency,
                delay=a.delay,
                settings=settings,
                **({"full": True} if a.full else {}),
                **({"documents": a.documents} if a.documents else {}),
            )
        )
    print(json.dumps({"requests": s.requests, "written": s.written, "outcome": s.outcome}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
