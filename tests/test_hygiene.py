"""Architecture and hygiene: the core never imports Textual; the code is ruff-clean."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE = [
    "ogptui.model",
    "ogptui.parse",
    "ogptui.store",
    "ogptui.source",
    "ogptui.sync",
    "ogptui.config",
    "ogptui.report",
    "ogptui.cli",
    "ogptui.cli.main",
    "ogptui.cli.sync",
    "ogptui.cli.bundle",
    "ogptui.cli.search",
    "ogptui.clean",
]


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)


@pytest.mark.parametrize("module", CORE)
def test_core_module_does_not_import_textual(module):
    r = _run(
        f"import sys, importlib; importlib.import_module({module!r}); "
        "print(sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.')))"
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]", f"{module} pulled in Textual: {r.stdout[:300]}"


@pytest.mark.parametrize(
    "argv", [["where"], ["members"], ["show", "peru"], ["show", "peru", "--json"], ["search", "peru"], ["changes"]]
)
def test_non_tui_commands_do_not_import_textual(argv, ogptui_home):
    code = (
        f"import sys; from ogptui.cli import main; rc = main({argv!r}); "
        "bad = [m for m in sys.modules if m == 'textual' or m.startswith('textual.')]; "
        "print('TEXTUAL', bad, file=sys.stderr); sys.exit(rc)"
    )
    r = _run(code)
    assert r.returncode == 0, r.stderr
    assert "TEXTUAL []" in r.stderr


def test_ruff_is_clean():
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    r = subprocess.run([ruff, "check", "ogptui", "tests", "bench"], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
