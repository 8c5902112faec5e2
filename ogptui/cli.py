"""`ogptui` commands. The bare command starts the TUI; everything else works without Textual.

Exit codes: 0 ok, 1 partial failure (some members failed, or the source was unreachable), 2 usage error
(bad arguments, unknown slug, unreadable file, unusable data folder). Errors are one sentence on stderr.
"""

from __future__ import annotations

import argparse
import errno
import json
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from ogptui import __version__, config

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad input from the user: printed as one line, exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one clear line instead of usage + error
        self.exit(EXIT_USAGE, f"ogptui: {message} (see `{self.prog} --help`)\n")


def _open_store():
    from ogptui.store import open_store

    store = open_store()
    for notice in store.notices:
        print(f"ogptui: {notice}", file=sys.stderr)
    return store


def _member_or_exit(store, slug: str):
    m = store.get_member(slug)
    if m is None:
        hint = store.find_slug(slug)
        more = (
            f"; did you mean {', '.join(hint)}?" if hint else "; run `ogptui members` to list cached members"
        )
        raise UsageError(f"no member '{slug}' in the cache{more}")
    return m


def _now():
    from datetime import UTC, datetime

    return datetime.now(UTC)


def _print_json(obj: Any) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2))


# ---- commands ------------------------------------------------------------------------------------
def cmd_show(args: argparse.Namespace) -> int:
    from ogptui.report import member_text
    from ogptui.timefmt import freshness_text

    fmt = args.format or ("json" if args.json else "text")
    if args.json and fmt != "json":
        raise UsageError(f"--json and --format {fmt} disagree; give one of them")
    if args.table and fmt != "csv":
        raise UsageError("--table only applies to --format csv")
    with _open_store() as store:
        m = _member_or_exit(store, args.slug)
        fresh = str(freshness_text(store.freshness(m.slug), _now()))
    if fmt == "json":
        _print_json(m.to_dict())
    elif fmt == "md":
        from ogptui.brief import member_markdown

        sys.stdout.write(member_markdown(m, fresh))
    elif fmt == "csv":
        from ogptui.brief import member_csv

        sys.stdout.write(member_csv(m, args.table or "commitments"))
    else:
        print(member_text(m, freshness=fresh))
    return EXIT_OK


def cmd_parse(args: argparse.Namespace) -> int:
    from ogptui.model import PageRejected
    from ogptui.parse import parse_page
    from ogptui.report import record_text

    path = Path(args.file)
    try:
        data = sys.stdin.buffer.read() if args.file == "-" else path.read_bytes()
    except IsADirectoryError:
        raise UsageError(f"{path} is a folder; give a saved page (HTML or text)") from None
    except OSError as e:
        raise UsageError(f"cannot read {path}: {e.strerror or e}") from None
    trace: list[tuple[str, str]] | None = [] if args.explain else None
    try:
        rec = parse_page(data, url=args.url, kind=args.kind, trace=trace)
    except PageRejected as e:
        print(f"ogptui: {path} was not parsed: {e.reason}", file=sys.stderr)
        return EXIT_PARTIAL
    if args.json:
        from ogptui.parse.explain import explain_lines

        _print_json({**rec.to_dict(), **({"explain": explain_lines(rec, trace)} if trace is not None else {})})
    else:
        print(record_text(rec))
        if trace is not None:
            from ogptui.parse.explain import explain_text

            print(explain_text(rec, trace))
    return EXIT_OK


def cmd_members(args: argparse.Namespace) -> int:
    from ogptui.timefmt import freshness_text

    now = _now()
    with _open_store() as store:
        rows = store.list_members()
    if args.json:
        _print_json([r.__dict__ for r in rows])
        return EXIT_OK
    if not rows:
        print("The cache is empty: run `ogptui sync SLUG` or `ogptui sync --all`.")
    for r in rows:
        mark = "★" if r.watched else " "
        print(
            f"{mark} {r.slug:<28} {r.name:<32} {(r.level or ''):<9} since {r.member_since or '—':<5} "
            f"AP {r.action_plan or '—':<3} {freshness_text(r, now)}"
        )
    return EXIT_OK


def cmd_where(args: argparse.Namespace) -> int:
    p = config.paths()
    if args.json:
        _print_json(p.to_dict())
    else:
        for k, v in p.to_dict().items():
            print(f"{k:<9} {v}")
    return EXIT_OK


def cmd_watch(args: argparse.Namespace) -> int:
    from ogptui.store import StoreError

    with _open_store() as store:
        for slug in args.slugs:
            slug = slug.strip().lower()
            if args.unwatch:
                store.unwatch(slug)
                print(f"no longer watching {slug}")
                continue
            if store.get_member(slug) is None and not args.force:
                hint = store.find_slug(slug)
                if hint:
                    raise UsageError(f"no member '{slug}' in the cache; did you mean {', '.join(hint)}?")
            try:
                store.watch(slug)
            except StoreError as e:
                raise UsageError(str(e)) from None
            print(
                f"watching {slug}"
                + ("" if store.get_member(slug) else " (not cached yet: `ogptui sync` fetches it)")
            )
    return EXIT_OK


def cmd_changes(args: argparse.Namespace) -> int:
    with _open_store() as store:
        rows = store.recent_changes(limit=args.limit, run_id=args.run)
    if args.json:
        _print_json([r.__dict__ for r in rows])
        return EXIT_OK
    if not rows:
        print("No changes recorded" + (f" for run {args.run}." if args.run else " yet."))
    for r in rows:
        print(f"{r.at}  run {r.run_id or '—':<4} {r.action:<8} {r.summary}")
    return EXIT_OK


def cmd_tui(args: argparse.Namespace) -> int:
    from ogptui.tui.app import run

    slug = getattr(args, "slug", None)
    # One store for the check and the TUI (each open runs quick_check); an unusable data folder is then a
    # usage error (exit 2) like for every other command, and its notices are printed before the TUI starts.
    with _open_store() as store:
        if slug:
            slug = _member_or_exit(store, slug).slug
        return run(slug, store=store)


# ---- parser --------------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="ogptui", description="Offline-first browser for Open Government Partnership member data."
    )
    p.add_argument("--version", action="version", version=f"ogptui {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def add(name: str, fn: Callable[[argparse.Namespace], int], help: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help, description=help)
        sp.set_defaults(func=fn)
        return sp

    s = add("show", cmd_show, "Print a cached member: overview, contacts, commitments, resources, metrics.")
    s.add_argument("slug", help="member slug, e.g. peru")
    s.add_argument("--json", action="store_true", help="print the member record as JSON (= --format json)")
    s.add_argument(
        "--format",
        choices=["text", "md", "csv", "json"],
        help="text (default), md (a Markdown brief), csv (one table, see --table) or json",
    )
    s.add_argument(
        "--table",
        choices=["commitments", "resources"],
        help="which table --format csv prints (default commitments)",
    )

    s = add("parse", cmd_parse, "Parse a saved OGP page (HTML or text rendering) and print its record.")
    s.add_argument("file", help="the saved page, or - for standard input")
    s.add_argument("--url", help="the page's address (gives slug and language)")
    s.add_argument("--kind", choices=["member", "commitment", "document", "directory"], help="page kind")
    s.add_argument("--json", action="store_true", help="print the record as JSON")
    s.add_argument("--explain", action="store_true", help="also say which rule found each part, and every warning")

    s = add("members", cmd_members, "List cached members with their freshness (★ = watched).")
    s.add_argument("--json", action="store_true", help="print as JSON")

    s = add("where", cmd_where, "Show where ogptui keeps its data.")
    s.add_argument("--json", action="store_true", help="print as JSON")

    s = add("open", cmd_tui, "Start the TUI on one member.")
    s.add_argument("slug", help="member slug, e.g. peru")

    s = add("watch", cmd_watch, "Add members to the watchlist (what `ogptui sync` refreshes by default).")
    s.add_argument("slugs", nargs="+", metavar="SLUG")
    s.add_argument("--force", action="store_true", help="watch a slug that is not cached yet")
    s.set_defaults(unwatch=False)
    s = add("unwatch", cmd_watch, "Remove members from the watchlist.")
    s.add_argument("slugs", nargs="+", metavar="SLUG")
    s.set_defaults(unwatch=True, force=False)

    s = add("changes", cmd_changes, "Show what recent syncs added, changed or removed.")
    s.add_argument("--run", type=int, help="only this sync run")
    s.add_argument("--limit", type=int, default=200, help="at most this many lines (default 200)")
    s.add_argument("--json", action="store_true", help="print as JSON")

    for extra in _extra_commands():
        extra(add)
    return p


def _extra_commands() -> list[Callable[[Callable[..., argparse.ArgumentParser]], None]]:
    """Command groups living in their own modules (sync, search, bundles) register through `register(add)`."""
    import importlib

    found = []
    for mod in ("ogptui.cli_sync", "ogptui.cli_search", "ogptui.cli_bundle"):
        try:
            module = importlib.import_module(mod)
        except ModuleNotFoundError as e:
            if e.name != mod:
                raise
            continue
        found.append(module.register)
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from ogptui.store import StoreError

    try:
        if getattr(args, "func", None) is None:
            return cmd_tui(args)
        return args.func(args)
    except UsageError as e:
        print(f"ogptui: {e}", file=sys.stderr)
        return EXIT_USAGE
    except (config.ConfigError, StoreError) as e:
        print(f"ogptui: {e}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("ogptui: interrupted; stored data is unchanged", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except (sqlite3.Error, OSError) as e:  # disk full, read-only folder, damaged file met mid-run
        print(f"ogptui: {_storage_problem(e)}", file=sys.stderr)
        return EXIT_USAGE


def _storage_problem(e: BaseException) -> str:
    """One sentence for a storage failure: what happened, that stored data is kept, what to do."""
    home = config.paths().home
    text = str(e.strerror if isinstance(e, OSError) and e.strerror else e)
    low = text.lower()
    if "full" in low or getattr(e, "errno", None) == errno.ENOSPC:
        return f"the disk is full ({text}); what was stored before is kept; free some space and try again"
    if "readonly" in low or "read-only" in low or getattr(e, "errno", None) in (errno.EROFS, errno.EACCES):
        return (
            f"cannot write to the data folder {home}: it is read-only ({text}); what was stored before is kept; "
            "make it writable or point OGPTUI_HOME at another folder"
        )
    if isinstance(e, OSError):
        return f"cannot use {e.filename or home}: {text}; what was stored before is kept"
    return (
        f"the database in {home} failed ({text}); what was stored before is kept; try again, "
        "and if it keeps failing move cache.db away (it is rebuilt)"
    )


if __name__ == "__main__":
    raise SystemExit(main())
