"""Architecture and hygiene: the core never imports Textual; the code is ruff-clean."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Every module but the TUI and the command that starts it (ogptui.cli.tui imports ogptui.tui when run).
NOT_CORE = ("ogptui.tui", "ogptui.cli.tui", "ogptui.__main__")
CORE = sorted(
    ".".join(("ogptui", *p.relative_to(ROOT / "ogptui").with_suffix("").parts)).removesuffix(".__init__")
    for p in (ROOT / "ogptui").rglob("*.py")
)
CORE = [m for m in CORE if not m.startswith(NOT_CORE)]


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)


def test_core_modules_do_not_import_textual():
    """Each core module imported in turn (one process): the first that pulls in Textual is named."""
    assert {"ogptui.model", "ogptui.store.store", "ogptui.cli.main", "ogptui.seed"} <= set(CORE)
    r = _run(
        f"import sys, importlib\nfor m in {CORE!r}:\n    importlib.import_module(m)\n"
        "    if any(n == 'textual' or n.startswith('textual.') for n in sys.modules):\n"
        "        print(m); break\nelse:\n    print('none')"
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "none", f"{r.stdout.strip()} pulled in Textual"


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


def test_a_module_over_400_lines_says_why_at_its_top():
    import ast

    long = []
    for path in sorted((ROOT / "ogptui").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > 400 and "400 lines" not in (ast.get_docstring(ast.parse(text)) or ""):
            long.append(f"{path.relative_to(ROOT)} ({text.count(chr(10))} lines)")
    assert long == [], "split these, or say in their docstring why they are over 400 lines: " + ", ".join(long)
