"""`ogptui sync`: a progress bar on a terminal, plain lines otherwise, a summary and what changed."""

from __future__ import annotations

import argparse
import sys

from ogptui import config
from ogptui.cli import EXIT_OK, EXIT_PARTIAL, UsageError, _open_store

EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C


def _source_arg(value: str) -> str:
    from ogptui.source.urls import validate_base_url

    try:  # the check the client makes (scheme, host, spaces, port), as a usage error instead of a traceback
        return validate_base_url(value)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def _concurrency_arg(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = 0
    if not 1 <= n <= 16:
        raise argparse.ArgumentTypeError(f"concurrency must be a whole number from 1 to 16, not '{value}'")
    return n


def _delay_arg(value: str) -> float:
    try:
        d = float(value)
    except ValueError:
        d = -1.0
    if not 0 <= d <= 60:
        raise argparse.ArgumentTypeError(f"delay must be a number of seconds from 0 to 60, not '{value}'")
    return d


class _Progress:
    """Rich progress bar on a terminal; one plain line per member otherwise."""

    def __init__(self, quiet: bool):
        self.quiet = quiet
        self.tty = sys.stderr.isatty()
        self.bar = None
        self.task = None

    def __enter__(self) -> _Progress:
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

    def __call__(self, ev) -> None:
        if self.bar is not None:
            self.bar.update(self.task, total=ev.total or None, completed=ev.done, description=ev.message[:60])
        elif not self.quiet and ev.kind in ("member_done", "member_failed"):
            print(f"[{ev.done}/{ev.total}] {ev.message}", file=sys.stderr)


def cmd_sync(args: argparse.Namespace) -> int:
    import asyncio  # here, not at import: every other command would pay for it

    from ogptui.sync import run_sync

    if getattr(args, "mirror", None):
        from ogptui.cli_bundle import cmd_sync_mirror

        return cmd_sync_mirror(args)
    if args.all and args.slugs:
        raise UsageError("give member slugs or --all, not both")
    settings = config.Settings.load()
    interrupted = None
    with _open_store() as store, _Progress(args.quiet) as progress:
        try:
            summary = asyncio.run(
                run_sync(
                    store,
                    slugs=args.slugs or None,
                    all_members=args.all,
                    source=args.source,
                    concurrency=args.concurrency,
                    delay=args.delay,
                    on_event=progress,
                    settings=settings,
                )
            )
        except KeyboardInterrupt:  # Ctrl-C: the run recorded itself as interrupted, with what it stored
            run = store.last_run()
            told = run is not None and run.outcome == "interrupted" and run.summary
            interrupted = (
                run.summary if told else "interrupted before the sync started; stored data is unchanged"
            )
    if interrupted is not None:
        print(f"ogptui: {interrupted}", file=sys.stderr)
        return EXIT_INTERRUPTED
    if summary.outcome in ("offline", "deadline"):
        print(f"ogptui: {summary.message}", file=sys.stderr)
        return EXIT_PARTIAL
    if summary.message and not summary.members:
        print(f"ogptui: {summary.message}", file=sys.stderr)
        return EXIT_OK
    print(summary.text())
    for slug, reason in summary.failed:
        print(f"  failed: {slug}: {reason}", file=sys.stderr)
    for old, new in summary.moved:
        print(
            f"  moved: {old} → {new} on the site (renamed or merged); kept as it was; sync {new} to fetch it"
        )
    for line in summary.changes[:50]:
        print(f"  {line}")
    if len(summary.changes) > 50:
        print(f"  … and {len(summary.changes) - 50} more (`ogptui changes --run {summary.run_id}`)")
    return EXIT_PARTIAL if summary.failed else EXIT_OK


def register(add) -> None:
    s = add(
        "sync", cmd_sync, "Fetch members from the OGP site into the cache (only what changed is written)."
    )
    s.add_argument(
        "slugs", nargs="*", metavar="SLUG", help="members to sync (default: the watchlist, else all cached)"
    )
    s.add_argument("--all", action="store_true", help="every member listed on the site's directory page")
    s.add_argument("--source", type=_source_arg, help=f"site address (default {config.DEFAULT_SOURCE})")
    s.add_argument("--concurrency", type=_concurrency_arg, help="parallel requests, 1-16 (default 4)")
    s.add_argument(
        "--delay",
        type=_delay_arg,
        help="seconds between requests to the site (default 0.25; 0 for your own mirror)",
    )
    s.add_argument("--quiet", action="store_true", help="no progress output")
    s.add_argument(
        "--mirror",
        metavar="URL",
        help="instead of the site, download a bundle published with `ogptui export` and import it",
    )
