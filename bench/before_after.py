"""Before/after series of issue 19 (bench/NOTES.md, "Round 2"), each tree a source checkout:

    git archive 6680539 | tar -x -C /tmp/before
    python -m bench.before_after startup /tmp/before HOME SLUG "NAME"   # HOME: a cache, e.g. tui_bench.build_cache
    python -m bench.before_after search /tmp/before HOME [site]        # HOME: a search_bench.build cache

`startup` alternates the bare app, `ogptui open SLUG` and bare `ogptui` (members list) of both trees on a
120x40 pty, each tree on its own copy of HOME's databases; `search` runs `search_bench.measure` in a child per
tree, three alternating rounds, and counts the results of the issue's broad queries.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import ROOT, child_env, compile_bytecode, spread
from bench.tui_bench import list_home, pty_run

BROAD = ["irm report", "IRM Report", "ministry of finance", "ministry of testing", "self assessment", "p"]


def startup(before: Path, home: Path, slug: str, name: str, reps: int = 7) -> dict:
    from bench.bare_app import MARKER

    compile_bytecode()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(before / "ogptui")], check=False)
    with tempfile.TemporaryDirectory(prefix="ogptui-before-after-") as tmp:
        runs = {"bare": ([sys.executable, "-m", "bench.bare_app"], child_env(home, OGPTUI_EXIT_AFTER_PAINT="1"),
                         MARKER, ROOT)}  # fmt: skip
        for label, tree in (("before", before), ("after", ROOT)):
            h = list_home(home, Path(tmp) / f"{label}-open")
            m = list_home(home, Path(tmp) / f"{label}-members")
            env_o = child_env(h, OGPTUI_EXIT_AFTER_PAINT="1", PYTHONPATH=str(tree))
            env_m = child_env(m, OGPTUI_EXIT_AFTER_PAINT="1", PYTHONPATH=str(tree))
            runs[f"open {label}"] = ([sys.executable, "-m", "ogptui", "open", slug], env_o, name, tree)
            runs[f"members {label}"] = ([sys.executable, "-m", "ogptui"], env_m, "Members (", tree)
        for cmd, env, marker, cwd in runs.values():
            pty_run(cmd, env, marker, cwd=cwd)
        got: dict[str, list[dict]] = {k: [] for k in runs}
        for _ in range(reps):
            for k, (cmd, env, marker, cwd) in runs.items():
                got[k].append(pty_run(cmd, env, marker, cwd=cwd))
    bare_p = statistics.median(r["paint_s"] for r in got["bare"])
    bare_c = statistics.median(r["cpu_s"] for r in got["bare"])
    out = {}
    for k, rs in got.items():
        p = spread([r["paint_s"] or float("nan") for r in rs], 3)
        c = spread([r["cpu_s"] for r in rs], 3)
        out[k] = {"paint_s": p, "cpu_s": c, "ratio_paint": round(p["median"] / bare_p, 2),
                  "ratio_cpu": round(c["median"] / bare_c, 2)}  # fmt: skip
    return out


_CHILD = r"""
import json, os, sys, importlib.util
from pathlib import Path
home, site = Path(sys.argv[1]), sys.argv[2] == "site"
spec = importlib.util.spec_from_file_location("sb", sys.argv[3])
sb = importlib.util.module_from_spec(spec); spec.loader.exec_module(sb)
r = sb.measure(home, shapes=sb.site_shapes(home) if site else None)
from ogptui import config
from ogptui.seed import open_store
from ogptui.search import search
with open_store(config.paths(), seed=False) as st:
    r["hits"] = {q: len(search(st, q)) for q in json.loads(sys.argv[4])}
print(json.dumps(r))
"""


def search(before: Path, home: Path, site: bool = False, rounds: int = 3) -> dict:
    got: dict[str, list[dict]] = {"before": [], "after": []}
    for _ in range(rounds):
        for label, tree in (("before", before), ("after", ROOT)):
            env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tree), "OGPTUI_HOME": str(home)}
            cmd = [sys.executable, "-c", _CHILD, str(home), "site" if site else "-",
                   str(ROOT / "bench" / "search_bench.py"), json.dumps(BROAD)]  # fmt: skip
            res = subprocess.run(cmd, env=env, cwd=tree, capture_output=True, text=True, timeout=900, check=True)
            got[label].append(json.loads(res.stdout.strip().splitlines()[-1]))
    out = {}
    for label, rs in got.items():
        out[label] = {k: statistics.median(r[k] for r in rs) for k in
                      ("p50_ms", "p95_ms", "raw_p50_ms", "raw_p95_ms", "ratio_p95", "cpu_p95_ms")}  # fmt: skip
        out[label]["hits"] = rs[0]["hits"]
    return out


def main(argv: list[str]) -> int:
    what, before, home = argv[0], Path(argv[1]), Path(argv[2])
    if what == "startup":
        print(json.dumps(startup(before, home, argv[3], argv[4]), indent=1))
    elif what == "search":
        print(json.dumps(search(before, home, site=argv[3:4] == ["site"]), indent=1))
    else:
        raise SystemExit("usage: python -m bench.before_after startup|search BEFORE_TREE HOME ...")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
