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

from ogptui import __version__, config, i18n
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
    use_catalogs,
)
from ogptui.i18n import _

# In the order of `ogptui --help`.
COMMAND_MODULES = (show, parse, members, where, tui, changes, sync, search, bundle, document, note, compare, publish)


def build_parser() -> argparse.ArgumentParser:
    p = ArgParser(
        prog="ogptui", description=_("Offline-first browser for Open Government Partnership member data.")
    )
    p.add_argument("--version", action="version", version=f"ogptui {__version__}")
    p.add_argument(
        "--lang",
        choices=i18n.LANGUAGES,
        help=_("interface language (default: the setting `language`, else the locale)"),
    )
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
    i18n.set_language(i18n.resolve(_lang_option(argv), _language_setting()))
    use_catalogs()
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
        say(_("interrupted; stored data is unchanged"))
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
    except (sqlite3.Error, OSError) as e:  # disk full, read-only folder, damaged file met mid-run
        say(storage_problem(e))
        return EXIT_USAGE


def _lang_option(argv: Sequence[str] | None) -> str | None:
    """`--lang X` (or `--lang=X`) before the command, read ahead of the parser so that its own messages
    (help, usage errors) are in that language; the parser checks the value itself."""
    args = list(sys.argv[1:] if argv is None else argv)
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        else:
            continue
        return value if value in i18n.LANGUAGES else None
    return None


def _language_setting() -> str | None:
    """The setting `language`, read without a word and without moving a bad file aside (the command's own
    `load_settings` says what is wrong with the file)."""
    return config.peek_setting("language") or None


def _tolerate_any_encoding() -> None:
    """A terminal that cannot show "★" or "é" (LANG=C on an old system, a latin-1 pipe) gets "?" instead of
    a UnicodeEncodeError traceback."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            stream.reconfigure(errors="replace")
