"""Test-wide fixtures: an isolated data home, no network but loopback, snapshots in top-level snapshots/."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from ogptui.seed import open_store
from ogptui.store import Store

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT_DIR = ROOT / "snapshots"

# The fake OGP site fixtures (`fake_site`) live with the fake site itself.
if (Path(__file__).parent / "fakesite" / "pytest_plugin.py").exists():
    pytest_plugins = ["tests.fakesite.pytest_plugin"]


def _patch_snapshot_dir() -> None:
    """pytest-textual-snapshot (pinned 1.1.0) stores SVGs beside the tests; keep them in snapshots/."""
    try:
        from pytest_textual_snapshot import SVGImageExtension
    except ImportError:  # plugin not installed: snapshot tests are skipped by their own import
        return

    @classmethod
    def dirname(cls, *, test_location) -> str:  # noqa: ARG001
        return str(SNAPSHOT_DIR / Path(test_location.filepath).stem)

    SVGImageExtension.dirname = dirname


_patch_snapshot_dir()


@pytest.fixture(autouse=True)
def ogptui_home(tmp_path, monkeypatch) -> Path:
    """Every test gets its own empty data home; nothing touches the user's real data."""
    home = tmp_path / "home"
    monkeypatch.setenv("OGPTUI_HOME", str(home))
    monkeypatch.setenv("OGPTUI_NO_AUTOSYNC", "1")
    monkeypatch.delenv("OGPTUI_SOURCE", raising=False)
    return home


@pytest.fixture(autouse=True)
def english_interface(monkeypatch) -> Iterator[None]:
    """Tests see the English interface whatever the machine's locale (LANG=fr_FR on a developer's laptop);
    a test that switches the language (`--lang`, `OgpApp(language=...)`) leaves English behind it."""
    from ogptui import i18n

    if i18n.from_locale() not in (None, "en"):
        monkeypatch.setenv("LC_ALL", "C.UTF-8")
    yield
    i18n.set_language("en")


@pytest.fixture
def store(ogptui_home) -> Iterator[Store]:
    """An empty store in the test's data home (no embedded sample)."""
    with open_store(seed=False) as s:
        yield s


@pytest.fixture
def sample_store(ogptui_home) -> Iterator[Store]:
    """The embedded Peru sample (as a first start loads it) plus Testland with every section and two
    commitment details (`tests.tuikit.sample_member`): what the TUI tests show."""
    from tests.tuikit import fill_store

    with open_store() as s:
        fill_store(s)
        yield s


def pytest_configure(config) -> None:
    # Subprocesses started by tests must not find the user's real data either.
    os.environ.setdefault("OGPTUI_TEST", "1")
    # A last wall around the user's real data folder: a test that loses its OGPTUI_HOME (a
    # `monkeypatch.undo()` undoes the `ogptui_home` fixture too) lands in this run's own folder instead.
    import tempfile

    sandbox = Path(tempfile.mkdtemp(prefix="ogptui-tests-"))
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        os.environ[var] = str(sandbox / var.lower())
    _compile_once()


def _compile_once() -> None:
    """Bytecode for ogptui/ and tests/ (in their `__pycache__/`, which git ignores), so that the few hundred
    `python -m ogptui ...` and fake-site processes the suite starts read it instead of each compiling the
    package again, as they do where PYTHONDONTWRITEBYTECODE is set (this machine and CI): about a fifth of
    the CPU time of a subprocess-heavy test file. Up-to-date files are only looked at."""
    import compileall

    for folder in ("ogptui", "tests"):
        compileall.compile_dir(ROOT / folder, quiet=1)
