"""`ogptui` commands, one module per command group (see ogptui/cli/main.py for the list).

- `main.py`: the parser, dispatch and the mapping of errors to exit codes;
- `common.py`: what every command shares (exit codes, `UsageError`, the output doors `out`/`write`/`say`/
  `print_json`, store and settings opening, the progress display);
- `show.py`, `parse.py`, `members.py` (members, watch, unwatch), `where.py`, `changes.py`, `sync.py`,
  `search.py`, `bundle.py` (export, import, sync --mirror), `tui.py` (the bare command and `open`).

The entry point is `ogptui = "ogptui.cli:main"`; `python -m ogptui` calls the same function.
"""

from ogptui.cli.main import build_parser, main

__all__ = ["build_parser", "main"]
