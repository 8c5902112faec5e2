"""Run a module and, at exit, write this process's peak RSS (VmHWM, kB) to $OGPTUI_BENCH_RSS_FILE.

    OGPTUI_BENCH_RSS_FILE=/tmp/x python -m bench.rss_wrap ogptui open SLUG

Why not ru_maxrss from wait4: on Linux a child's ru_maxrss starts from the parent's resident size at fork
(it survives exec), so a child of a big bench process would report the bench's size. VmHWM belongs to the
process's own address space, created fresh by exec.
"""

from __future__ import annotations

import atexit
import os
import runpy
import sys


def _report() -> None:
    path = os.environ.get("OGPTUI_BENCH_RSS_FILE")
    if not path:
        return
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                with open(path, "w", encoding="ascii") as out:
                    out.write(line.split()[1])
                return


if __name__ == "__main__":
    atexit.register(_report)
    module, sys.argv = sys.argv[1], [sys.argv[1], *sys.argv[2:]]
    runpy.run_module(module, run_name="__main__", alter_sys=True)
