"""Quit during a sync: how long from `q` to the shell prompt, on a real pseudo-terminal.

    python -m bench.quit_bench [--reps 5]

`ogptui open peru` runs on a 100x30 pty against the fake OGP site (127.0.0.1) whose every answer hangs (the
connection is accepted, nothing is sent), so the sync sits in a request that would take 10 s to time out.
The bench waits for the first paint, presses `s`, waits until the status bar says "syncing" and 0.5 s more,
presses `q`, and times until the process has exited. It also reads the run the sync left in the cache
(it must be resumable: interrupted or cancelled).
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import re
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

from bench.common import ROOT, child_env

_ANSI = re.compile(
    rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|[@-Z\\-_])"
)


class _Pty:
    def __init__(self, cmd: list[str], env: dict[str, str], rows: int = 30, cols: int = 100) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        env = dict(env, TERM="xterm-256color", COLUMNS=str(cols), LINES=str(rows))
        self.proc = subprocess.Popen(cmd, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT,
                                     start_new_session=True, close_fds=True)  # fmt: skip
        os.close(slave)
        self.master = master
        self.buf = b""
        self.closed = False

    def read(self, timeout: float) -> None:
        r, _, _ = select.select([self.master], [], [], timeout)
        if r:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # EIO: the child closed the terminal
                chunk = b""
            if not chunk:
                self.closed = True
            self.buf += chunk

    def wait_for(self, text: str, timeout: float) -> bool:
        want = text.encode()
        start = len(self.buf)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not self.closed:
            if want in _ANSI.sub(b"", self.buf[max(0, start - 200) :]):
                return True
            self.read(0.02)
        return False

    def press(self, key: bytes) -> None:
        os.write(self.master, key)

    def wait_exit(self, timeout: float) -> int | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return self.proc.returncode
            self.read(0.01)
        return None

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        os.close(self.master)


def quit_during_sync(home: Path, source: str, timeout: float = 60.0) -> dict:
    """One run: seconds from `q` to exit while a sync waits on a hanging source, and the run it left."""
    env = child_env(home, OGPTUI_SOURCE=source)
    term = _Pty([sys.executable, "-m", "ogptui", "open", "peru"], env)
    try:
        if not term.wait_for("Overview", timeout):
            raise RuntimeError("the app did not paint: " + _ANSI.sub(b"", term.buf[-500:]).decode(errors="replace"))
        term.press(b"s")
        if not term.wait_for("syncing", timeout):
            raise RuntimeError("the sync did not start")
        time.sleep(0.5)  # the request is in flight and hangs
        t0 = time.perf_counter()
        term.press(b"q")
        code = term.wait_exit(timeout)
        seconds = time.perf_counter() - t0
    finally:
        term.close()
    return {"exit_s": round(seconds, 3), "exit_code": code}


def last_outcome() -> str | None:
    """The outcome of the last run in the cache of OGPTUI_HOME."""
    from ogptui.seed import open_store

    with open_store() as store:
        run = store.last_run()
    return run.outcome if run else None


def bench(reps: int = 5) -> dict:
    sys.path.insert(0, str(ROOT))
    from tests.fakesite import FakeSite, default_site

    site = FakeSite(default_site(), port=0).start()
    site.fault("*", "hang")
    runs = []
    try:
        for _ in range(reps):
            with tempfile.TemporaryDirectory() as tmp:
                home = Path(tmp) / "home"
                os.environ["OGPTUI_HOME"] = str(home)  # last_outcome() reads the same home
                runs.append({**quit_during_sync(home, site.url), "run_outcome": last_outcome()})
    finally:
        site.stop()
    exits = [r["exit_s"] for r in runs]
    return {
        "command": "python -m bench.quit_bench (ogptui open peru on a 100x30 pty, source hanging; s, then q)",
        "reps": reps,
        "exit_s_median": round(statistics.median(exits), 3),
        "exit_s_max": max(exits),
        "outcomes": sorted({str(r["run_outcome"]) for r in runs}),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.quit_bench")
    ap.add_argument("--reps", type=int, default=5)
    a = ap.parse_args(argv)
    print(json.dumps(bench(a.reps), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
