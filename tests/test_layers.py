"""Import layers: the import-linter contracts in pyproject.toml hold, and they would catch a broken layer.

The rules (DESIGN.md, "Architecture"): `parse` imports neither `store` nor `source`; `source` imports no
`store`; `store` imports no `sync`, `tui`, `cli` and never parses (the embedded sample is loaded by
`ogptui.seed`); nothing but `ogptui.tui` imports Textual; `model`, `clean` and `urls` import nothing of ours
but each other. `tests/test_hygiene.py` checks the Textual rule at run time too (what an import really loads).
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "ogptui"
LINT = (
    "import sys; from importlinter.cli import lint_imports; "
    "sys.exit(lint_imports(no_cache=True, no_logo=True))"
)


def lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    """import-linter on the package and pyproject.toml found in `cwd` (it puts `cwd` first on sys.path)."""
    return subprocess.run(
        [sys.executable, "-c", LINT], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def test_the_import_contracts_are_kept():
    r = lint_imports(ROOT)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
    assert "0 broken" in r.stdout and "BROKEN" not in r.stdout


@pytest.fixture(scope="module")
def copy_of_the_package(tmp_path_factory) -> Path:
    """The package and its pyproject.toml in a folder of their own, to break on purpose."""
    where = tmp_path_factory.mktemp("layers")
    shutil.copytree(PACKAGE, where / "ogptui", ignore=shutil.ignore_patterns("__pycache__", "data"))
    shutil.copy(ROOT / "pyproject.toml", where / "pyproject.toml")
    return where


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("store/store.py", "from ogptui.parse import parse_page", "The store keeps records"),
        ("store/rows.py", "import ogptui.sync", "The store keeps records"),
        ("parse/member.py", "from ogptui.store import Store", "The parser reads pages"),
        ("source/client.py", "from ogptui.store import Store", "The source fetches"),
        ("search.py", "from textual.app import App", "Only the TUI imports Textual"),
        ("cli/show.py", "import textual", "Only the TUI imports Textual"),
        ("model.py", "from ogptui.config import paths", "Layers"),
        ("clean.py", "from ogptui import urls", "Layers"),
    ],
)
def test_a_broken_rule_is_caught(copy_of_the_package, module, line, contract):
    path = copy_of_the_package / "ogptui" / module
    original = path.read_text(encoding="utf-8")
    path.write_text(original + f"\n{line}  # added by the test\n", encoding="utf-8")
    try:
        r = lint_imports(copy_of_the_package)
    finally:
        path.write_text(original, encoding="utf-8")
    assert r.returncode == 1, r.stdout[-3000:] + r.stderr[-2000:]
    broken = [chunk for chunk in r.stdout.split("\n\n") if "BROKEN" in chunk]
    assert any(contract in " ".join(chunk.split()) for chunk in broken), r.stdout[-3000:]


# ---- the leaf modules: a rule import-linter cannot say without listing every other module --------------
LEAVES = {"ogptui.model", "ogptui.clean", "ogptui.urls"}


def ours_imported_by(path: Path) -> set[str]:
    """Every `ogptui...` module a file imports, wherever the import statement is (lazy ones included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "ogptui":
                found |= {f"ogptui.{a.name}" for a in node.names}
            elif node.module.startswith("ogptui."):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("ogptui.")}
    return found


@pytest.mark.parametrize("leaf", sorted(LEAVES))
def test_model_clean_and_urls_import_nothing_of_ours_but_each_other(leaf):
    path = PACKAGE / (leaf.removeprefix("ogptui.").replace(".", "/") + ".py")
    assert ours_imported_by(path) <= LEAVES - {leaf}


def test_the_leaf_check_sees_lazy_and_package_imports(tmp_path):
    sample = tmp_path / "m.py"
    sample.write_text(
        "from ogptui import config\nimport ogptui.store.db\n"
        "def f():\n    from ogptui.clean import clean_text\n    from . import x\n",
        encoding="utf-8",
    )
    assert ours_imported_by(sample) == {"ogptui.config", "ogptui.store.db", "ogptui.clean"}
