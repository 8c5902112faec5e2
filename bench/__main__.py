"""`python -m bench`: every benchmark of issue 8, then BENCHMARKS.md and bench/out/results.json.

    python -m bench                 # everything (under 10 minutes on 2 cores) → BENCHMARKS.md
    python -m bench --quick         # a small subset (under 2 minutes) → bench/out/BENCHMARKS-quick.md
    python -m bench --only parse,search   # some sections (report → bench/out/BENCHMARKS-partial.md)
    python -m bench --render bench/out/results.json   # re-write BENCHMARKS.md from saved results

Sections: parse (with lexbor's own parse of each page), sync, search (FTS p95 against the raw FTS5 query,
filter keystroke-to-repaint at 1k/10k/100k rows), tui (at 200 and 1,000 members: start-up ratios of
`ogptui open SLUG` and bare `ogptui`, peak memory, keystroke-to-repaint, search on the site's cache).

Before anything, the source trees are compiled to bytecode: these machines set PYTHONDONTWRITEBYTECODE=1,
which makes an editable install compile every module again at every start of a child process.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from bench.common import OUT, ROOT, compile_bytecode, log, machine

SECTIONS = ("parse", "sync", "search", "tui")


def run_parse(quick: bool) -> dict:
    from bench import parse_bench

    return parse_bench.run(quick)


def run_sync(quick: bool) -> dict:
    from bench import sync_bench

    return sync_bench.run(quick)


def run_search(quick: bool) -> dict:
    """FTS query times from the search engineer's bench/search_bench.py, and on each of its caches the
    members filter's keystroke-to-repaint."""
    from bench import search_bench, tui_bench

    sizes = search_bench.QUICK_SIZES if quick else search_bench.SIZES
    out: dict = {"sizes": {}, "target_p95_ms": search_bench.TARGET_P95_MS}
    old = os.environ.get("OGPTUI_HOME")
    try:
        for size in sizes:
            with tempfile.TemporaryDirectory(prefix="ogptui-bench-search-") as tmp:
                home = Path(tmp)
                log(f"search: building a cache of ~{size:,} indexed rows")
                t0 = time.perf_counter()
                rows = search_bench.build(home, size)
                build_s = time.perf_counter() - t0
                log(f"search: {search_bench.QUERIES_PER_SIZE} queries on {rows:,} rows")
                fig = search_bench.measure(home)
                log("search: members filter keystroke-to-repaint")
                keys = tui_bench.keystroke(home, "members", reps=3 if quick else 5)
                out["sizes"][str(size)] = {
                    "rows": rows,
                    "members": tui_bench.member_count(home),
                    "build_s": round(build_s, 1),
                    **fig,
                    "keystroke": keys,
                }
    finally:
        if old is None:
            os.environ.pop("OGPTUI_HOME", None)
        else:
            os.environ["OGPTUI_HOME"] = old
    out["met"] = all(s["p95_ms"] <= out["target_p95_ms"] for s in out["sizes"].values())
    return out


TUI_SIZES = {  # members: (commitments, resources) of the synthetic site, as in the sync bench (25 / 40 each)
    200: (5000, 8000),
    1000: (25000, 40000),
}
QUICK_TUI_SIZES = {40: (1000, 1600)}


def run_tui(quick: bool) -> dict:
    """At each size (200 and 1,000 members): start-up of `ogptui open SLUG` and bare `ogptui` against the
    bare Textual app, peak memory, filter keystrokes, and search (with its raw FTS5 floor) on the cache."""
    from bench import search_bench, tui_bench

    res: dict = {"sizes": {}}
    for members, (commitments, resources) in (QUICK_TUI_SIZES if quick else TUI_SIZES).items():
        with tempfile.TemporaryDirectory(prefix="ogptui-bench-tui-") as tmp:
            home = Path(tmp) / "home"
            home.mkdir()
            log(f"tui: writing the records of a {members}-member synthetic site into a cache")
            t0 = time.perf_counter()
            info = tui_bench.build_cache(home, members=members, commitments=commitments, resources=resources)
            info["build_s"] = round(time.perf_counter() - t0, 1)
            listed = tui_bench.list_home(home, Path(tmp) / "members-home")
            r: dict = {"cache": info, "members": members}
            r["startup"] = tui_bench.startup(
                home, info["slug"], info["name"], reps=3 if quick else 9, members_home=listed
            )
            r["memory"] = tui_bench.memory(home, info["slug"], info["name"], reps=1 if quick else 3)
            log("tui: keystroke-to-repaint, members list and commitments tab")
            r["keystroke_members"] = tui_bench.keystroke(listed, "members", reps=3 if quick else 5)
            r["keystroke_commitments"] = tui_bench.keystroke(
                home, "commitments", slug=info["slug"], reps=3 if quick else 5
            )
            log("tui: search on the cache, against its raw FTS5 query")
            r["search"] = search_bench.measure(listed, shapes=search_bench.site_shapes(listed))
            r["search"]["rows"] = tui_bench.search_rows(listed)
            res["sizes"][str(members)] = r
    log("tui: reader first paint of a 200 kB document")
    res["reader"] = tui_bench.reader_open(reps=5 if quick else 15)
    return res


RUNNERS = {"parse": run_parse, "sync": run_sync, "search": run_search, "tui": run_tui}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a small subset, under 2 minutes")
    ap.add_argument("--only", help=f"comma-separated sections of {', '.join(SECTIONS)}")
    ap.add_argument("--output", type=Path, help="the Markdown report (default: see above)")
    ap.add_argument("--render", type=Path, metavar="JSON", help="only re-write the report from saved results")
    a = ap.parse_args(argv)
    if a.render:
        from bench.report import render

        results = json.loads(a.render.read_text(encoding="utf-8"))
        out = a.output or ROOT / "BENCHMARKS.md"
        out.write_text(render(results), encoding="utf-8")
        log(f"wrote {out} from {a.render}")
        return 0
    sections = [s.strip() for s in a.only.split(",")] if a.only else list(SECTIONS)
    unknown = [s for s in sections if s not in SECTIONS]
    if unknown:
        ap.error(f"unknown section(s): {', '.join(unknown)}")
    partial = sections != list(SECTIONS)
    OUT.mkdir(parents=True, exist_ok=True)
    name = "quick" if a.quick else ("partial" if partial else "results")
    report_path = a.output or (
        OUT / f"BENCHMARKS-{name}.md" if (a.quick or partial) else ROOT / "BENCHMARKS.md"
    )

    results: dict = {"machine": machine(), "quick": a.quick, "sections": sections, "seconds": {}}
    results["machine"]["bytecode"] = compile_bytecode()
    t_all = time.perf_counter()
    for s in sections:
        log(f"== {s}")
        t0 = time.perf_counter()
        results[s] = RUNNERS[s](a.quick)
        results["seconds"][s] = round(time.perf_counter() - t0, 1)
    results["seconds"]["total"] = round(time.perf_counter() - t_all, 1)
    results["machine"]["load_avg_end"] = round(os.getloadavg()[0], 2)
    json_path = OUT / f"{name}.json"
    json_path.write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")

    from bench.report import render

    report_path.write_text(render(results), encoding="utf-8")
    log(f"wrote {report_path} and {json_path} in {results['seconds']['total']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
