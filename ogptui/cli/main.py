"""The `ogptui` parser and dispatcher. The bare command starts the TUI; everything else works without Textual.

Each command group lives in its own module with a `register(add)` function; `COMMAND_MODULES` lists them
all, imported statically, so a missing or broken module fails at once instead of silently dropping its
commands. Exit codes: 0 ok, 1 partial failure (some members failed, or the source was unreachable), 2 usage
error (bad arguments, unknown slug, unreadable file, unusable data folder), 130 interrupted. Errors are one
sentence on stderr.
"""

from __future__ import annotations

import argparse
import io
import sqlite3
import sys
from collections.abc import Callable, Sequence

from ogptui import __version__, config
from ogptui.cli import (
    bundle,
    changes,
    compare,
    document,
    members,
    note,
    parse,
    publish,
    search,
    show,
    sync,
    tui,
    where,
)
from ogptui.cli.common import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    ArgParser,
    UsageError,
    say,
    storage_problem,
)

# In the order of `ogptui --help`.
COMMAND_MODULES = (show, parse, members, where, tui, changes, sync, search, bundle, document, note, compare, publish)


def build_parser() -> argparse.ArgumentParser:
    p = ArgParser(
        prog="ogptui", description="Offline-first browser for Open Government Partnership member data."
    )
    p.add_argument("--version", action="version", version=f"ogptui {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=ArgParser)

    def add(name: str, fn: Callable[[argparse.Namespace], int], help: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help, description=help)
        sp.set_defaults(func=fn)
        return sp

    for module in COMMAND_MODULES:
        module.register(add)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    _tolerate_any_encoding()
    parser = build_parser()
    args = parser.parse_args(argv)
    from ogptui.store import StoreError

    try:
        if getattr(args, "func", None) is None:
            return tui.cmd_tui(args)
        return args.func(args)
    except UsageError as e:
        say(e)
        return EXIT_USAGE
    except (config.ConfigError, StoreError) as e:
        say(e)
        return EXIT_USAGE
    except KeyboardInterrupt:
        say("interrupted; stored data is unchanged")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
    except (sqlite3.Error, OSError) as e:  # disk full, read-only folder, damaged file met mid-run
        say(storage_problem(e))
        return EXIT_USAGE


def _tolerate_any_encoding() -> None:
    """A terminal that cannot show "★" or "é" (LANG=C on an old system, a latin-1 pipe) gets "?" instead of
    a UnicodeEncodeError traceback."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            stream.reconfigure(errors="replace")
