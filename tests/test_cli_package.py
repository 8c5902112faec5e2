"""The `ogptui/cli/` package: every command module registered, no cycles, no private imports, one output door."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from ogptui.cli import main as cli_main
from ogptui.cli.main import COMMAND_MODULES

ROOT = Path(__file__).resolve().parent.parent
CLI = ROOT / "ogptui" / "cli"
NOT_COMMANDS = {"__init__", "main", "common"}


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module, [names]) for every `from X import ...` and `import X` in the file, wherever it is."""
    found = []
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            found += [(a.name, []) for a in node.names]
    return found


def test_every_command_module_is_registered():
    files = {p.stem for p in CLI.glob("*.py")} - NOT_COMMANDS
    registered = {m.__name__.rsplit(".", 1)[1] for m in COMMAND_MODULES}
    assert files == registered
    assert all(callable(m.register) for m in COMMAND_MODULES)


@pytest.mark.parametrize("module", ["ogptui.cli.search", "ogptui.cli.bundle", "ogptui.cli.common"])
def test_a_missing_command_module_fails_loudly(module):
    """The old `_extra_commands()` skipped a module it could not import, and its commands vanished."""
    code = (
        f"import sys; sys.modules[{module!r}] = None\n"
        "try:\n    from ogptui.cli import main; main(['--help'])\n"
        "except ModuleNotFoundError as e:\n    print('LOUD', e.name)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert r.stdout.strip() == f"LOUD {module}", r.stdout + r.stderr


def test_a_module_missing_inside_a_command_is_not_swallowed(monkeypatch):
    monkeypatch.setitem(sys.modules, "ogptui.search", None)
    with pytest.raises(ModuleNotFoundError):
        cli_main(["search", "peru"])


def _private(name: str) -> bool:
    if name == "_":  # gettext's translation function (`from ogptui.i18n import _`), public by convention
        return False
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def test_no_module_imports_another_modules_private_names():
    offenders = []
    for path in (ROOT / "ogptui").rglob("*.py"):
        for module, names in _imports(path):
            if module.startswith("ogptui"):
                offenders += [f"{path.relative_to(ROOT)}: {module}.{n}" for n in names if _private(n)]
    assert offenders == []


def test_no_import_cycle_between_command_modules():
    graph = {}
    for path in CLI.glob("*.py"):
        deps = set()
        for module, names in _imports(path):
            if module == "ogptui.cli":
                deps |= {n for n in names if (CLI / f"{n}.py").exists()}
            elif module.startswith("ogptui.cli."):
                deps.add(module.rsplit(".", 1)[1])
        graph[path.stem] = deps - {path.stem}
    assert graph["sync"] >= {"bundle"} and "sync" not in graph["bundle"]

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(d == goal or (d not in seen and reaches(d, goal, seen | {d})) for d in graph.get(start, ()))

    cycles = [name for name in graph if reaches(name, name, set())]
    assert cycles == [], graph


def test_commands_write_only_through_the_common_doors():
    """`out`, `write`, `say` and `print_json` clean what they write; a bare print() would bypass that."""
    offenders = []
    for path in CLI.glob("*.py"):
        if path.stem == "common":
            continue
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
                offenders.append(f"{path.name}:{node.lineno} print()")
            if isinstance(node, ast.Attribute) and node.attr in ("stdout", "stderr"):
                if not (isinstance(node.value, ast.Name) and node.value.id == "sys"):
                    continue
                parent_ok = path.stem == "main"  # main only reconfigures the streams' error handling
                if not parent_ok:
                    offenders.append(f"{path.name}:{node.lineno} sys.{node.attr}")
    assert offenders == []


def test_entry_point_and_python_dash_m_use_the_package():
    text = (ROOT / "pyproject.toml").read_text()
    assert 'ogptui = "ogptui.cli:main"' in text
    assert "from ogptui.cli import main" in (ROOT / "ogptui" / "__main__.py").read_text()
    r = subprocess.run([sys.executable, "-m", "ogptui", "--version"], capture_output=True, text=True,
                       cwd=ROOT, timeout=60)  # fmt: skip
    assert r.returncode == 0 and r.stdout.startswith("ogptui ")
