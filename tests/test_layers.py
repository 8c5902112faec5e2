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
import tomllib
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


BREAKS = [  # (file, line added to it, the contract that must say so, importer, imported)
    ("store/store.py", "from ogptui.parse import parse_page", "The store keeps records", "ogptui.store.store", "ogptui.parse"),
    ("store/rows.py", "import ogptui.sync", "The store keeps records", "ogptui.store.rows", "ogptui.sync"),
    ("parse/member.py", "from ogptui.store import Store", "The parser reads pages", "ogptui.parse.member", "ogptui.store"),
    ("source/client.py", "from ogptui.store import Store", "The source fetches", "ogptui.source.client", "ogptui.store"),
    ("search.py", "from textual.app import App", "Only the TUI imports Textual", "ogptui.search", "textual"),
    ("cli/show.py", "import textual", "Only the TUI imports Textual", "ogptui.cli.show", "textual"),
    ("model.py", "from ogptui.config import paths", "Layers", "ogptui.model", "ogptui.config"),
    ("clean.py", "from ogptui import urls", "Layers", "ogptui.clean", "ogptui.urls"),
]  # fmt: skip


@pytest.fixture(scope="module")
def broken_report(tmp_path_factory) -> str:
    """import-linter's report on a copy of the package with every import of BREAKS added (one run)."""
    where = tmp_path_factory.mktemp("layers")
    shutil.copytree(PACKAGE, where / "ogptui", ignore=shutil.ignore_patterns("__pycache__", "data"))
    shutil.copy(ROOT / "pyproject.toml", where / "pyproject.toml")
    for module, line, *_ in BREAKS:
        with (where / "ogptui" / module).open("a", encoding="utf-8") as f:
            f.write(f"\n{line}  # added by the test\n")
    r = lint_imports(where)
    assert r.returncode == 1, r.stdout[-3000:] + r.stderr[-2000:]
    return " ".join(r.stdout.split())  # the report wraps long lines


def contract_section(report: str, name: str) -> str:
    """What the report says under one broken contract (`name`: the start of its name)."""
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    broken = report[report.index("Broken contracts") :]
    starts = sorted(i for c in contracts if (i := broken.find(" ".join(c["name"].split()))) >= 0)
    at = next(i for i in starts if broken[i:].startswith(name))
    return broken[at : next((i for i in starts if i > at), len(broken))]


@pytest.mark.parametrize(("module", "line", "contract", "importer", "imported"), BREAKS, ids=[b[0] for b in BREAKS])
def test_a_broken_rule_is_caught(broken_report, module, line, contract, importer, imported):
    assert f"- {importer} -> {imported} (l." in contract_section(broken_report, contract), broken_report[-3000:]


# ---- the leaf modules: a rule import-linter cannot say without listing every other module --------------
LEAVES = {"ogptui.model", "ogptui.clean", "ogptui.urls", "ogptui.i18n"}  # i18n: the standard library only


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
