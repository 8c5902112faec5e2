"""mypy over ogptui/ with the configuration in pyproject.toml: strict for the core, default for the rest.

A cold run takes about 10 s here; the cache lives in pytest's cache folder (`.pytest_cache/`) when there is
one, so a second run takes about 1 s (mypy re-checks whatever changed).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE = ["model", "parse", "source", "store", "sync", "sync_checks", "search", "clean", "urls", "config", "extract"]
STRICT_FLAGS = {  # what `mypy --strict` turns on that can be set per module
    "disallow_any_generics",
    "disallow_subclassing_any",
    "disallow_untyped_calls",
    "disallow_untyped_defs",
    "disallow_incomplete_defs",
    "check_untyped_defs",
    "disallow_untyped_decorators",
    "warn_return_any",
    "no_implicit_reexport",
    "strict_equality",
    "extra_checks",
}


def mypy_config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]


def test_the_core_is_checked_strictly():
    config = mypy_config()
    strict = [o for o in config["overrides"] if {k for k, v in o.items() if v is True} >= STRICT_FLAGS]
    assert len(strict) == 1
    modules = set(strict[0]["module"])
    for name in CORE:
        assert f"ogptui.{name}" in modules, name
        if (ROOT / "ogptui" / name).is_dir():
            assert f"ogptui.{name}.*" in modules, name
    assert config["warn_unused_ignores"] and "ignore-without-code" in config["enable_error_code"]


def test_mypy_finds_no_error(request, tmp_path):
    pytest_cache = getattr(request.config, "cache", None)  # absent with `-p no:cacheprovider`
    cache = pytest_cache.mkdir("mypy") if pytest_cache is not None else tmp_path
    r = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(cache), "--no-error-summary"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert r.returncode == 0, r.stdout[-6000:] + r.stderr[-2000:]


INJECTED = {  # file: (code added at its end, the error mypy must report there or None)
    "ogptui/clean.py": ("def untyped(x):\n    return x\n", "no-untyped-def"),  # core: strict
    "ogptui/store/rows.py": ("def loose() -> dict:\n    return {}\n", "type-arg"),  # core: strict
    "ogptui/report.py": ("def untyped(x):\n    return x\n", None),  # the rest: default checks...
    "ogptui/brief.py": ("def typed() -> int:\n    return 'x'\n", "return-value"),  # ...which still check
}


@pytest.mark.slow
def test_the_configuration_is_strict_for_the_core_only(tmp_path):
    """The same configuration on a copy of the package with one mistake added to each of four modules."""
    shutil.copytree(ROOT / "ogptui", tmp_path / "ogptui", ignore=shutil.ignore_patterns("__pycache__", "data"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    for name, (code, _) in INJECTED.items():
        with (tmp_path / name).open("a", encoding="utf-8") as f:
            f.write("\n\n" + code)
    r = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "cache"), *INJECTED],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    errors = [line for line in r.stdout.splitlines() if ": error:" in line]
    found = {(line.split(":")[0], line.rsplit("[", 1)[-1].rstrip("]")) for line in errors}
    assert found == {(name, error) for name, (_, error) in INJECTED.items() if error}, r.stdout[-3000:] + r.stderr
