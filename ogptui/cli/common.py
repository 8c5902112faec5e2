"""What every command shares: exit codes, the one-line error, the output doors, the store and settings.

Every byte a command writes goes through `out`, `write`, `say` or `print_json` here, and each of them
applies `ogptui.clean` as its last step (`safe_output`; `clean_text` for the one-line messages): even a value that reached the store by another door (a bundle,
a damaged file) never reaches the terminal as an escape sequence, a C1 or a bidi control.
(`tests/test_cli_package.py` checks that no command module prints by itself.)
"""

from __future__ import annotations

import argparse
import errno
import json
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from ogptui import config
from ogptui.clean import clean_text, safe_data, safe_output
from ogptui.i18n import N_, _, ngettext
from ogptui.rules import Rule

if TYPE_CHECKING:
    from datetime import datetime

    from ogptui.model import Member
    from ogptui.store import Store

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130
MESSAGE_CAP = 4_000  # an error line is one line, however long the path or reason in it
CHANGES_SHOWN = 50  # change lines printed after a sync or an import; the rest via `ogptui changes`

# `add(name, handler, help)` as given to each command module's `register(add)`: returns the subparser.
AddCommand = Callable[[str, Callable[[argparse.Namespace], int], str], argparse.ArgumentParser]


class UsageError(Exception):
    """Bad input from the user: printed as one line, exit 2."""


class ArgParser(argparse.ArgumentParser):
    """argparse with one clean line (exit 2) instead of usage + error; what the user typed is echoed safely."""

    def error(self, message: str) -> NoReturn:
        say(_("{message} (see `{prog} --help`)").format(message=message, prog=self.prog))
        self.exit(EXIT_USAGE)


# argparse's own words (usage errors, help headings) come from the same catalogs: `argparse` looks up its
# module globals `_` and `ngettext` when it speaks, and `use_catalogs` points them at ours.
ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("argument %(argument_name)s: %(message)s"),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("unrecognized arguments: %s"),
    N_("the following arguments are required: %s"),
    N_("expected one argument"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("show program's version number and exit"),
)


def use_catalogs() -> None:
    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]


# ---- the output doors ---------------------------------------------------------------------------
def out(text: object = "") -> None:
    """One piece of text to stdout, followed by a newline."""
    sys.stdout.write(safe_output(text) + "\n")


def write(text: str) -> None:
    """Text to stdout as it is (a Markdown brief, CSV): it already ends with its own newline."""
    sys.stdout.write(safe_output(text))


def say(message: object, prefix: str = "ogptui: ") -> None:
    """One line on stderr, `ogptui: ...`: errors, warnings and notices (cleaned and folded to one line)."""
    print(f"{prefix}{clean_text(str(message), cap=MESSAGE_CAP)}", file=sys.stderr)


def print_json(obj: Any) -> None:
    """JSON on stdout; every string is cleaned first (json.dumps writes C1 and bidi controls raw)."""
    out(json.dumps(safe_data(obj), ensure_ascii=False, indent=2))


def print_changes(changes: Sequence[str], run_id: int | None) -> None:
    """The change lines of a sync or an import, at most CHANGES_SHOWN of them."""
    for line in changes[:CHANGES_SHOWN]:
        out(f"  {line}")
    if len(changes) > CHANGES_SHOWN:
        out(
            _("  … and {n} more (`ogptui changes --run {run_id}`)").format(
                n=len(changes) - CHANGES_SHOWN, run_id=run_id
            )
        )


def arg_type(rule: Rule, name: str) -> Callable[[str], Any]:
    """An argparse `type=` that checks an option with the same rule as the setting of that name."""

    def convert(text: str) -> Any:
        try:
            return rule.from_text(text, name)
        except ValueError as e:
            raise argparse.ArgumentTypeError(str(e)) from None

    convert.__name__ = name  # argparse names it in "invalid <name> value" messages
    return convert


# ---- shared helpers -----------------------------------------------------------------------------
def open_store() -> Store:
    from ogptui.seed import open_store as _open

    store = _open()
    for notice in store.notices:
        say(notice)
    return store


def load_settings() -> config.Settings:
    """The settings file, each problem in it said in one line (the defaults stand in for bad values)."""
    settings = config.Settings.load()
    for notice in settings.notices:
        say(notice)
    return settings


def member_or_exit(store: Store, slug: str, language: str | None = None) -> Member:
    """A cached member (in `language` when it is cached so, see `Store.get_member`), or a usage error."""
    m = store.get_member(slug, language)
    if m is None:
        hint = store.find_slug(slug)
        more = (
            _("; did you mean {hint}?").format(hint=", ".join(hint))
            if hint
            else _("; run `ogptui members` to list cached members")
        )
        raise UsageError(_("no member {slug} in the cache{more}").format(slug=quoted(slug), more=more))
    return m


def quoted(text: str) -> str:
    """What the user typed, in quotes, as one safe line."""
    return f"'{clean_text(text, cap=200)}'"


def now() -> datetime:
    from datetime import UTC, datetime

    return datetime.now(UTC)


def storage_problem(e: BaseException) -> str:
    """One sentence for a storage failure: what happened, that stored data is kept, what to do."""
    home = config.paths().home
    text = str(e.strerror if isinstance(e, OSError) and e.strerror else e)
    low = text.lower()
    if "full" in low or getattr(e, "errno", None) == errno.ENOSPC:
        return _(
            "the disk is full ({text}); what was stored before is kept; free some space and try again"
        ).format(text=text)
    if "readonly" in low or "read-only" in low or getattr(e, "errno", None) in (errno.EROFS, errno.EACCES):
        return _(
            "cannot write to the data folder {home}: it is read-only ({text}); what was stored before is kept; make it writable or point OGPTUI_HOME at another folder"
        ).format(home=home, text=text)
    if isinstance(e, OSError):
        return _("cannot use {home}: {text}; what was stored before is kept").format(
            home=e.filename or home, text=text
        )
    return _(
        "the database in {home} failed ({text}); what was stored before is kept; try again, and if it keeps failing move cache.db away (it is rebuilt)"
    ).format(home=home, text=text)


class Progress:
    """Rich progress bar on a terminal; one plain line per member otherwise (sync and mirror runs)."""

    def __init__(self, quiet: bool):
        self.quiet = quiet
        self.tty = sys.stderr.isatty()
        self.bar: Any = None
        self.task: Any = None

    def __enter__(self) -> Progress:
        if self.tty and not self.quiet:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.bar = Progress(
                TextColumn("sync"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TextColumn("{task.description}", markup=False),
                console=Console(stderr=True),
                transient=True,
            )
            self.bar.__enter__()
            self.task = self.bar.add_task("", total=None)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)

    def __call__(self, ev: Any) -> None:
        if self.bar is not None:
            description = clean_text(ev.message, cap=60)
            self.bar.update(self.task, total=ev.total or None, completed=ev.done, description=description)
        elif not self.quiet and ev.kind in ("member_done", "member_failed"):
            print(f"[{ev.done}/{ev.total}] {clean_text(ev.message, cap=MESSAGE_CAP)}", file=sys.stderr)


def ask(question: str, choices: str) -> str | None:
    """Ask one question on the terminal (`choices`: the letters accepted, the first is the default).

    None when there is no one to ask (stdin or stderr is not a terminal: a script, a pipe): the caller then
    takes the choice that loses nothing and says so.
    """
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        return None
    sys.stderr.write(safe_output(f"ogptui: {clean_text(question, cap=MESSAGE_CAP)} "))
    sys.stderr.flush()
    try:
        answer = sys.stdin.readline().strip().lower()[:1]
    except (OSError, UnicodeDecodeError):
        return None
    return answer if answer and answer in choices else choices[0]


def read_stdin(cap: int) -> str:
    """Standard input as text, at most `cap` characters (what is beyond is left unread)."""
    data = sys.stdin.read(cap + 1)
    if len(data) > cap:
        raise UsageError(
            _("the text on standard input is longer than {cap} characters; shorten it").format(cap=cap)
        )
    return data


def region_arg(text: str) -> str:
    """An OGP region named on the command line (`--region americas`), or a usage error."""
    from ogptui.regions import parse_region

    try:
        return parse_region(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def level_arg(text: str) -> str:
    """A member level named on the command line (`--level local`), or a usage error."""
    from ogptui.regions import parse_level

    try:
        return parse_level(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None
