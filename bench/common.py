"""Shared helpers: statistics, the machine and versions, temporary homes."""

from __future__ import annotations

import contextlib
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


def pct(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank on the sorted values)."""
    if not values:
        return float("nan")
    s = sorted(values)
    k = min(len(s) - 1, max(0, round(p / 100 * (len(s) - 1))))
    return s[k]


def spread(values: list[float], digits: int = 3) -> dict:
    """Median with min–max (and IQR when there are enough values)."""
    vals = [float(v) for v in values]
    out = {
        "n": len(vals),
        "median": round(statistics.median(vals), digits),
        "min": round(min(vals), digits),
        "max": round(max(vals), digits),
        "values": [round(v, digits) for v in vals],
    }
    if len(vals) >= 4:
        out["p25"] = round(pct(vals, 25), digits)
        out["p75"] = round(pct(vals, 75), digits)
    return out


def fmt(s: dict, unit: str = "", digits: int = 2) -> str:
    """'12.3 s (11.9–12.8, n=3)'."""

    def f(x: float) -> str:
        return f"{x:,.{digits}f}"

    if s["n"] == 1:
        return f"{f(s['median'])}{unit} (n=1)"
    return f"{f(s['median'])}{unit} ({f(s['min'])}–{f(s['max'])}, n={s['n']})"


def size(n: float) -> str:
    n = float(n)
    for unit, k in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if abs(n) >= k:
            return f"{n / k:.1f} {unit}"
    return f"{n:.0f} B"


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "-"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_gb() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return float("nan")


def _wget_version() -> str:
    try:
        out = subprocess.run(["wget", "--version"], capture_output=True, text=True, timeout=10).stdout
        return out.splitlines()[0].split()[2] if out else "-"
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "-"


def machine() -> dict:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT, timeout=10
        ).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        commit = "-"
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "ram_gb": _ram_gb(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "textual": _version("textual"),
        "httpx": _version("httpx"),
        "selectolax": _version("selectolax"),
        "wget": _wget_version(),
        "commit": commit,
        "load_avg_start": round(os.getloadavg()[0], 2),
    }


@contextlib.contextmanager
def temp_home(prefix: str = "ogptui-bench-") -> Iterator[Path]:
    """A temporary OGPTUI_HOME, set in os.environ for the duration (and restored after)."""
    old = os.environ.get("OGPTUI_HOME")
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        os.environ["OGPTUI_HOME"] = tmp
        try:
            yield Path(tmp)
        finally:
            if old is None:
                os.environ.pop("OGPTUI_HOME", None)
            else:
                os.environ["OGPTUI_HOME"] = old


def child_env(home: Path | None = None, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["OGPTUI_NO_AUTOSYNC"] = "1"
    if home is not None:
        env["OGPTUI_HOME"] = str(home)
    env.update(extra)
    return env


def compile_bytecode() -> dict:
    """Compile ogptui, bench and the fake site to bytecode (`__pycache__`), as an installed package would be.

    With PYTHONDONTWRITEBYTECODE=1 (set on these machines) Python never writes the .pyc files of an editable
    install, so every child process compiled every module again: tens of ms on every start-up measured."""
    import compileall

    ok = all(
        compileall.compile_dir(str(ROOT / d), quiet=1, force=False)
        for d in ("ogptui", "bench", "tests/fakesite")
    )
    return {"compiled": ok, "PYTHONDONTWRITEBYTECODE": os.environ.get("PYTHONDONTWRITEBYTECODE", "")}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)
