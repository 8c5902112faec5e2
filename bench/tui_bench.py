"""TUI benchmarks: start-up against a bare Textual app, peak memory, keystroke-to-repaint of the filters.

Start-up: each app runs in a subprocess on a pseudo-terminal (os.openpty, 120x40, TERM=xterm-256color)
with OGPTUI_EXIT_AFTER_PAINT=1, which makes it exit right after its first screen is painted. Timed from
just before the launch to (a) the first output containing the screen's text (the member's name; the bare
app's label), and (b) the process exit. Both apps are started as `python -m ...` in the same run,
alternating, so interpreter start-up and machine noise hit both alike.

Peak memory: `ogptui open SLUG` on the pty with the full cache; the bench presses 2..7 and 1 (every tab)
and q; the child's ru_maxrss comes from os.wait4.

Keystroke-to-repaint: in-process, headless (`App.run_test` + Pilot): time from a key press in a filter box
to the end of the first compositor refresh of the screen after the table was refilled.
"""

from __future__ import annotations

import asyncio
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

from bench.common import ROOT, child_env, log, pct, spread

TARGET_STARTUP_RATIO = 1.3  # issue 19 (DESIGN.md: 1.5)
TARGET_KEYSTROKE_MS = 50.0
TARGET_RSS_MB = 150.0
_ANSI = re.compile(
    rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|[@-Z\\-_])"
)


# ---------------------------------------------------------------------------------------- the cache
def build_cache(home: Path, members: int = 200, commitments: int = 5000, resources: int = 8000) -> dict:
    """The synthetic site's records written into a cache at `home` (what a full sync stores)."""
    sys.path.insert(0, str(ROOT))
    from ogptui import config
    from ogptui.seed import open_store
    from tests.fakesite import synthetic_site

    data = synthetic_site(members=members, commitments=commitments, resources=resources, seed=0)
    old = os.environ.get("OGPTUI_HOME")
    os.environ["OGPTUI_HOME"] = str(home)
    try:
        with open_store(config.paths(), seed=False) as store:
            for m in data.members:
                store.write_member(m)
            for (slug, _cid), page in data.commitments.items():
                store.write_commitment(page, slug)
    finally:
        if old is None:
            os.environ.pop("OGPTUI_HOME", None)
        else:
            os.environ["OGPTUI_HOME"] = old
    biggest = max(data.members, key=lambda m: len(m.commitments) + len(m.resources))
    return {
        "slug": biggest.slug,
        "name": biggest.name,
        "commitments": len(biggest.commitments),
        "resources": len(biggest.resources),
        "db_bytes": sum(p.stat().st_size for p in home.glob("cache.db*") if p.is_file()),
    }


# ---------------------------------------------------------------------------------------- the pty
def pty_run(
    cmd: list[str],
    env: dict[str, str],
    marker: str,
    *,
    keys: list[bytes] = (),
    key_pause: float = 0.3,
    timeout: float = 60.0,
    rows: int = 40,
    cols: int = 120,
    cwd: Path = ROOT,
) -> dict:
    """Run `cmd` on a new pseudo-terminal; time to `marker` on screen and to exit; the child's max RSS."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    env = dict(env, TERM="xterm-256color", COLUMNS=str(cols), LINES=str(rows))
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        cwd=cwd,
        start_new_session=True,
        close_fds=True,
    )
    os.close(slave)
    buf = b""
    seen_at = None
    want = marker.encode()
    deadline = t0 + timeout
    pending = list(keys)
    next_key_at = None
    try:
        while True:
            now = time.perf_counter()
            if now > deadline:
                proc.kill()
                break
            if seen_at is not None and pending and next_key_at is not None and now >= next_key_at:
                os.write(master, pending.pop(0))
                next_key_at = now + key_pause
            r, _, _ = select.select([master], [], [], 0.02)
            if r:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # EIO: the child closed the terminal
                    break
                if not chunk:
                    break
                buf += chunk
                if seen_at is None and want in _ANSI.sub(b"", buf[-200_000:]):
                    seen_at = time.perf_counter()
                    next_key_at = seen_at + key_pause
            elif proc.poll() is not None:
                break
        _, status, usage = os.wait4(proc.pid, 0)
        exit_at = time.perf_counter()
    finally:
        os.close(master)
        proc.returncode = os.waitstatus_to_exitcode(status) if "status" in locals() else proc.poll()
    return {
        "paint_s": round(seen_at - t0, 4) if seen_at else None,
        "exit_s": round(exit_at - t0, 4),
        "exit_code": proc.returncode,
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 4),  # to exit; steadier than wall time
        "maxrss_mb": round(usage.ru_maxrss / 1024, 1),
        "output_bytes": len(buf),
    }


def _read_kb(path: Path) -> float:
    try:
        kb = float(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return float("nan")
    path.unlink()
    return kb


def list_home(home: Path, dest: Path) -> Path:
    """A copy of `home`'s databases in `dest` without settings: bare `ogptui` there opens the members list
    (in `home` it opens the member `ogptui open` viewed last)."""
    import shutil

    dest.mkdir(parents=True, exist_ok=True)
    for name in ("cache.db", "user.db"):
        if (home / name).exists():
            shutil.copyfile(home / name, dest / name)
    return dest


def startup(home: Path, slug: str, name: str, reps: int = 7, members_home: Path | None = None) -> dict:
    """`ogptui open SLUG` (and, with `members_home`, bare `ogptui` on the members list) against the bare
    Textual app, alternating in one series."""
    from bench.bare_app import MARKER

    env = child_env(home, OGPTUI_EXIT_AFTER_PAINT="1")
    runs: dict[str, tuple[list[str], dict[str, str], str]] = {
        "bare": ([sys.executable, "-m", "bench.bare_app"], env, MARKER),
        "ogptui": ([sys.executable, "-m", "ogptui", "open", slug], env, name),
    }
    if members_home is not None:
        env_list = child_env(members_home, OGPTUI_EXIT_AFTER_PAINT="1")
        runs["members"] = ([sys.executable, "-m", "ogptui"], env_list, "Members (")
    # one unmeasured run each: the first run writes settings (last member), leaves the clean-close mark and
    # warms the OS page cache
    for cmd, e, marker in runs.values():
        pty_run(cmd, e, marker)
    got: dict[str, list[dict]] = {k: [] for k in runs}
    for i in range(reps):
        log(f"tui: start-up run {i + 1}/{reps}")
        for k, (cmd, e, marker) in runs.items():
            got[k].append(pty_run(cmd, e, marker))
    bad = [r for rs in got.values() for r in rs if r["paint_s"] is None or r["exit_code"] != 0]
    out: dict = {
        "reps": reps,
        "failed_runs": len(bad),
        "runs": got,
        "command_ogptui": "OGPTUI_EXIT_AFTER_PAINT=1 python -m ogptui open SLUG  (on a 120x40 pty)",
        "command_members": "OGPTUI_EXIT_AFTER_PAINT=1 python -m ogptui  (no last member: the members list)",
        "command_bare": "OGPTUI_EXIT_AFTER_PAINT=1 python -m bench.bare_app  (on a 120x40 pty)",
    }
    for k, rs in got.items():
        out[k] = {
            "paint_s": spread([r["paint_s"] or float("nan") for r in rs], 4),
            "exit_s": spread([r["exit_s"] for r in rs], 4),
            "cpu_s": spread([r["cpu_s"] for r in rs], 4),
        }
    for k in runs:
        if k == "bare":
            continue
        suffix = "" if k == "ogptui" else f"_{k}"
        for what in ("paint", "exit", "cpu"):
            out[f"ratio_{what}{suffix}"] = round(
                out[k][f"{what}_s"]["median"] / out["bare"][f"{what}_s"]["median"], 3
            )
    out["met"] = out["ratio_paint"] <= TARGET_STARTUP_RATIO
    if "members" in runs:
        out["met_members"] = out["ratio_paint_members"] <= TARGET_STARTUP_RATIO
    return out


def startup_compare(home: Path, slug: str, name: str, trees: dict[str, Path], reps: int = 9) -> dict:
    """Start-up of `ogptui open SLUG` from several source trees (e.g. a `git archive` of an older commit
    and the working tree) and of the bare app, alternating in one series: before/after ratios measured
    under the same load. Returns {label: {"paint_s", "cpu_s", "ratio_paint", "ratio_cpu"}}."""
    from bench.bare_app import MARKER

    runs: dict[str, tuple[list[str], dict[str, str], str, Path]] = {
        "bare": (
            [sys.executable, "-m", "bench.bare_app"],
            child_env(home, OGPTUI_EXIT_AFTER_PAINT="1"),
            MARKER,
            ROOT,
        )
    }
    for label, tree in trees.items():
        env = child_env(home, OGPTUI_EXIT_AFTER_PAINT="1", PYTHONPATH=str(tree))
        runs[label] = ([sys.executable, "-m", "ogptui", "open", slug], env, name, tree)
    for cmd, env, marker, cwd in runs.values():  # unmeasured warm-up
        pty_run(cmd, env, marker, cwd=cwd)
    got: dict[str, list[dict]] = {label: [] for label in runs}
    for i in range(reps):
        log(f"tui: start-up comparison run {i + 1}/{reps}")
        for label, (cmd, env, marker, cwd) in runs.items():
            got[label].append(pty_run(cmd, env, marker, cwd=cwd))
    out = {
        label: {
            "paint_s": spread([r["paint_s"] or float("nan") for r in rs], 4),
            "cpu_s": spread([r["cpu_s"] for r in rs], 4),
            "failed_runs": sum(1 for r in rs if r["paint_s"] is None or r["exit_code"] != 0),
        }
        for label, rs in got.items()
    }
    for v in out.values():
        v["ratio_paint"] = round(v["paint_s"]["median"] / out["bare"]["paint_s"]["median"], 3)
        v["ratio_cpu"] = round(v["cpu_s"]["median"] / out["bare"]["cpu_s"]["median"], 3)
    return out


# The child of `startup_cpu_compare`: CPU time (process_time) of one start of `OgpApp(slug)`, headless at
# 120x40, in-process after one warm-up start: to the member screen's first paint, and to 0.5 s after it
# (what runs right after the paint, e.g. panes mounted lazily). Works on older trees too (the exit hook
# was an environment variable before it was a constructor argument).
_STARTUP_CPU_CHILD = r"""
import asyncio, json, os, sys, time
from pathlib import Path
slug, n = sys.argv[1], int(sys.argv[2])
os.environ["OGPTUI_EXIT_AFTER_PAINT"] = "1"
from ogptui import config
from ogptui.seed import open_store
import ogptui.tui.app as appmod

class Timed(appmod.OgpApp):
    CSS_PATH = str(Path(appmod.__file__).parent / "ogptui.tcss")
    def _exit_after_paint(self):
        if not self.screen.is_mounted:
            self.call_later(self._exit_after_paint)
            return
        self.screen.call_after_refresh(self._painted)
    def _painted(self):
        self.marks["paint"] = time.process_time()
        self.set_timer(0.5, self._settled)
    def _settled(self):
        self.marks["settled"] = time.process_time()
        self.exit(0)

async def once(store):
    kw = dict(store=store, settings=config.Settings(auto_sync=False), auto_sync=False, poll_seconds=0)
    try:
        app = Timed(slug, exit_after_paint=True, **kw)
    except TypeError:
        app = Timed(slug, **kw)
    app.marks = {}
    t0 = time.process_time()
    await app.run_async(headless=True, size=(120, 40))
    return app.marks["paint"] - t0, app.marks["settled"] - t0

with open_store(config.paths(), seed=False) as store:
    out = [asyncio.run(once(store)) for _ in range(n + 1)][1:]
print(json.dumps(out))
"""


def startup_cpu_compare(
    home: Path, slug: str, trees: dict[str, Path], reps: int = 8, rounds: int = 3
) -> dict:
    """CPU of the app's own start-up work (no interpreter, no imports) per source tree, in alternating rounds
    so the machine's load hits every tree alike: {label: {"paint_ms", "settled_ms"}} (medians, p25, min).
    Steadier than wall time on a shared machine; used to choose between `Pane(lazy=True)` and
    `textual.lazy.Lazy` for the member screen's tabs (bench/NOTES.md)."""
    got: dict[str, list[tuple[float, float]]] = {label: [] for label in trees}
    for r in range(rounds):
        for label, tree in trees.items():
            log(f"tui: start-up CPU, round {r + 1}/{rounds}: {label}")
            env = child_env(home, PYTHONPATH=str(tree))
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            cmd = [sys.executable, "-c", _STARTUP_CPU_CHILD, slug, str(reps)]
            res = subprocess.run(cmd, env=env, cwd=tree, capture_output=True, text=True, timeout=600)
            got[label] += [tuple(x) for x in json.loads(res.stdout.strip().splitlines()[-1])]
    out = {}
    for label, runs in got.items():
        out[label] = {
            key: {
                "median": round(statistics.median(v) * 1000, 1),
                "p25": round(pct(v, 25) * 1000, 1),
                "min": round(min(v) * 1000, 1),
                "n": len(v),
            }
            for key, v in (("paint_ms", [a for a, _ in runs]), ("settled_ms", [b for _, b in runs]))
        }
    return out


def memory(home: Path, slug: str, name: str, reps: int = 3) -> dict:
    """Peak RSS of `ogptui open SLUG` going through every tab, and of the bare app for reference."""
    from bench.bare_app import MARKER

    keys = [b"2", b"3", b"4", b"5", b"6", b"7", b"1", b"\x1b", b"q"]
    wrap = [sys.executable, "-m", "bench.rss_wrap"]
    runs = []
    with tempfile.TemporaryDirectory(prefix="ogptui-bench-rss-") as tmp:
        rss_file = Path(tmp) / "vmhwm"
        env = child_env(home, OGPTUI_BENCH_RSS_FILE=str(rss_file))
        for i in range(reps):
            log(f"tui: peak memory run {i + 1}/{reps}")
            r = pty_run([*wrap, "ogptui", "open", slug], env, name, keys=keys)
            r["maxrss_mb"] = _read_kb(rss_file) / 1024
            runs.append(r)
        bare = pty_run([*wrap, "bench.bare_app"], env, MARKER, keys=[b"\x11"])  # ctrl+q
        bare["maxrss_mb"] = _read_kb(rss_file) / 1024
    ok = [r for r in runs if r["exit_code"] == 0]
    # a run killed at the harness's deadline (a key lost under load) wrote no VmHWM: not a figure
    rss = spread([r["maxrss_mb"] for r in ok if r["maxrss_mb"] == r["maxrss_mb"]] or [float("nan")], 1)
    return {
        "maxrss_mb": rss,
        "bare_maxrss_mb": round(bare["maxrss_mb"], 1),
        "clean_exits": len(ok),
        "runs": runs,
        "met": rss["max"] <= TARGET_RSS_MB,
        "command": "python -m bench.rss_wrap ogptui open SLUG; keys 2 3 4 5 6 7 1 escape q (120x40 pty)",
    }


# ------------------------------------------------------------------------------ keystroke-to-repaint
async def _keystrokes(
    home: Path, table: str, keys: list[str], reps: int, slug: str | None, cpu: list[float] | None = None
) -> list[float]:
    from ogptui import config
    from ogptui.seed import open_store
    from ogptui.tui.app import OgpApp

    os.environ["OGPTUI_HOME"] = str(home)
    samples: list[float] = []
    with open_store(config.paths(), seed=False) as store:
        app = OgpApp(
            slug,
            store=store,
            settings=config.Settings(auto_sync=False),
            auto_sync=False,
            blink=False,
            poll_seconds=0,
        )
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause(0.2)
            screen = app.screen
            if table == "commitments":
                await pilot.press("2")
                await pilot.pause(0.1)
            marks: dict[str, float] = {}
            orig_refresh = screen._compositor_refresh

            def refresh_hook() -> None:
                orig_refresh()
                marks.setdefault("paint", time.perf_counter()) if "refill" in marks else None

            screen._compositor_refresh = refresh_hook
            target = screen if table == "members" else screen.query_one("#pane-commitments")
            orig_refill = target.refill

            def refill_hook() -> None:
                orig_refill()
                marks["refill"] = time.perf_counter()

            target.refill = refill_hook
            await pilot.press("slash")
            await pilot.pause(0.1)
            for _ in range(reps):
                for key in keys:
                    marks.clear()
                    t0, c0 = time.perf_counter(), time.process_time()
                    await pilot.press(key)
                    end = time.perf_counter() + 2.0
                    while "paint" not in marks and time.perf_counter() < end:
                        await asyncio.sleep(0.001)
                    if "paint" in marks:
                        samples.append((marks["paint"] - t0) * 1000)
                        if cpu is not None:  # this process's CPU from the press to the repaint
                            cpu.append((time.process_time() - c0) * 1000)
            await pilot.press("escape")
    return samples


def keystroke(home: Path, table: str = "members", slug: str | None = None, reps: int = 5) -> dict:
    """Type 'per' and delete it again, `reps` times; per-keystroke press → repaint times."""
    keys = ["p", "e", "r", "backspace", "backspace", "backspace"]
    old = os.environ.get("OGPTUI_HOME")
    cpu: list[float] = []
    try:
        samples = asyncio.run(_keystrokes(home, table, keys, reps, slug, cpu))
    finally:
        if old is None:
            os.environ.pop("OGPTUI_HOME", None)
        else:
            os.environ["OGPTUI_HOME"] = old
    if not samples:
        return {"samples": 0}
    return {
        "samples": len(samples),
        "p50_ms": round(statistics.median(samples), 2),
        "p95_ms": round(pct(samples, 95), 2),
        "max_ms": round(max(samples), 2),
        "cpu_p50_ms": round(statistics.median(cpu), 2) if cpu else None,
        "cpu_p95_ms": round(pct(cpu, 95), 2) if cpu else None,
        "met": pct(samples, 95) <= TARGET_KEYSTROKE_MS,
    }


def search_rows(home: Path) -> int:
    import sqlite3

    with sqlite3.connect(home / "cache.db") as db:
        return db.execute("SELECT count(*) FROM search_docs").fetchone()[0]


def member_count(home: Path) -> int:
    import sqlite3

    with sqlite3.connect(home / "cache.db") as db:
        return db.execute("SELECT count(*) FROM members").fetchone()[0]


# ------------------------------------------------------------------------------ reader: first paint
TARGET_READER_MS = 100.0


def write_big_document(store, kb: int = 200) -> str:
    """A document page of about `kb` kB of text (40 sections under headings, a summary, an At-a-glance
    table) written through the store API; its slug."""
    from ogptui.model import DocumentPage, DocumentSection

    words = "the action plan commits the ministry to publish open budget and procurement data every month"
    para = " ".join([words] * 6)  # ~560 characters
    per_section = max(1, -(-kb * 1000 // 40 // (len(para) + 2)))
    sections = [
        DocumentSection(f"Chapter {n}: commitments and results", "\n\n".join([para] * per_section))
        for n in range(40)
    ]
    page = DocumentPage(
        title="Bench Design Report 2021-2023",
        summary="A long report to measure how fast the reader opens. " * 5,
        at_a_glance={"Member since": "2011", "Number of commitments": "21", "Relevant to OGP values": "17 (81%)"},
        sections=sections,
        url="https://www.opengovpartnership.org/documents/bench-design-report/",
        slug="bench-design-report",
        fetched_at="2025-01-01T00:00:00+00:00",
    )
    store.write_document(page)
    return page.slug


async def _reader_opens(home: Path, reps: int) -> tuple[dict[str, list[tuple[float, float]]], int]:
    """Open the reader on the big document and on a one-paragraph one, alternating (the small one is what
    any screen pushed costs here: compose, styles, footer); (wall ms, CPU ms) per opening."""
    from ogptui import config
    from ogptui.model import DocumentPage
    from ogptui.seed import open_store
    from ogptui.tui.app import OgpApp
    from ogptui.tui.screens.reader import ReaderScreen
    from ogptui.tui.widgets.docview import DocView

    os.environ["OGPTUI_HOME"] = str(home)
    marks: dict[str, tuple[float, float]] = {}
    draw = DocView.render_line

    def render_line(self, y):  # the first line of the document's text drawn
        strip = draw(self, y)
        if self.wrapped is not None and strip.text.strip():
            marks.setdefault("text", (time.perf_counter(), time.process_time()))
        return strip

    class Timed(ReaderScreen):
        def _compositor_refresh(self) -> None:
            super()._compositor_refresh()
            if "text" in marks:
                marks.setdefault("paint", (time.perf_counter(), time.process_time()))

    samples: dict[str, list[tuple[float, float]]] = {"big": [], "small": []}
    DocView.render_line = render_line
    try:
        with open_store(config.paths(), seed=False) as store:
            slug = write_big_document(store)
            store.write_document(DocumentPage(title="Small", summary="One paragraph.", slug="bench-small",
                                              url="https://www.opengovpartnership.org/documents/bench-small/"))
            nbytes = sum(len(s.text) for s in store.get_document(slug).page.sections)
            app = OgpApp(None, store=store, settings=config.Settings(auto_sync=False), auto_sync=False,
                         blink=False, poll_seconds=0)  # fmt: skip
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.pause(0.2)
                for i in range(reps + 1):  # the first round imports the reader's modules: not counted
                    for label, doc in (("big", slug), ("small", "bench-small")):
                        marks.clear()
                        t0, c0 = time.perf_counter(), time.process_time()
                        app.push_screen(Timed(doc))
                        end = t0 + 5.0
                        while "paint" not in marks and time.perf_counter() < end:
                            await asyncio.sleep(0.001)
                        if "paint" in marks and i:
                            t1, c1 = marks["paint"]
                            samples[label].append(((t1 - t0) * 1000, (c1 - c0) * 1000))
                        await pilot.pause(0.05)
                        await app.pop_screen()
                        await pilot.pause(0.05)
    finally:
        DocView.render_line = draw
    return samples, nbytes


def reader_open(reps: int = 15) -> dict:
    """Time from pushing the reader on a ~200 kB document to the end of the first screen refresh that
    draws its text (in-process, headless 120x40; the document is read from the store each time), against
    the same reader on a one-paragraph document in the same alternating series."""
    old = os.environ.get("OGPTUI_HOME")
    try:
        with tempfile.TemporaryDirectory(prefix="ogptui-bench-reader-") as tmp:
            samples, nbytes = asyncio.run(_reader_opens(Path(tmp), reps))
    finally:
        if old is None:
            os.environ.pop("OGPTUI_HOME", None)
        else:
            os.environ["OGPTUI_HOME"] = old
    if not samples["big"] or not samples["small"]:
        return {"samples": 0}
    out: dict = {"text_chars": nbytes, "samples": len(samples["big"])}
    for label, runs in samples.items():
        wall = [w for w, _ in runs]
        cpu = [c for _, c in runs]
        out[label] = {
            "p50_ms": round(statistics.median(wall), 1),
            "p95_ms": round(pct(wall, 95), 1),
            "cpu_p50_ms": round(statistics.median(cpu), 1),
        }
    out["met"] = out["big"]["p95_ms"] <= TARGET_READER_MS
    out["command"] = 'python -c "from bench.tui_bench import reader_open; print(reader_open())"'
    return out
