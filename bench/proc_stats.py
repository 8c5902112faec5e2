"""Run a module and, at exit, write this process's CPU, peak RSS and I/O as JSON to a file.

    python /path/to/bench/proc_stats.py OUT.json MODULE [ARGS...]

Run by path (not `-m bench.proc_stats`) so that it also measures another tree's code (`PYTHONPATH=OLD_TREE`,
`cwd=OLD_TREE`): the module named is imported from the path, this file from where it lies.

- `cpu_s`: user + system CPU of this process and of the children it waited for (the PDF extractor);
- `rss_mb`: VmHWM (peak resident set of this address space, fresh at exec; see `rss_wrap.py`);
- `write_bytes`: bytes this process caused to be written to the block device (`/proc/self/io`), the disk
  cost of SQLite's writes, WAL and checkpoints; `wchar`: bytes passed to write()/send() (sockets too).
"""

from __future__ import annotations

import atexit
import json
import os
import resource
import runpy
import sys


def _io() -> dict[str, int]:
    out: dict[str, int] = {}
    with open("/proc/self/io", encoding="ascii") as fh:
        for line in fh:
            k, v = line.split(":")
            out[k] = int(v)
    return out


def _report(path: str) -> None:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    hwm = 0
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                hwm = int(line.split()[1])
    io = _io()
    stats = {
        "cpu_s": round(own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime, 3),
        "rss_mb": round(hwm / 1024, 1),
        "write_bytes": io.get("write_bytes", 0),
        "wchar": io.get("wchar", 0),
        "ogptui": sys.modules["ogptui"].__file__ if "ogptui" in sys.modules else None,
    }
    with open(path, "w", encoding="utf-8") as out:
        json.dump(stats, out)


if __name__ == "__main__":
    out_path = sys.argv[1]
    module = sys.argv[2]
    sys.argv = [module, *sys.argv[3:]]
    sys.path[0] = os.getcwd()  # the measured tree (cwd), not this file's folder
    atexit.register(_report, out_path)
    runpy.run_module(module, run_name="__main__", alter_sys=True)
