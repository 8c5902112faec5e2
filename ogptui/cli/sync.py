"""`ogptui sync`: a progress bar on a terminal, plain lines otherwise, a summary and what changed.

`sync --mirror URL` is handed to `ogptui.cli.bundle` (this module imports that one; never the reverse).
The option limits are the settings' own rules (`ogptui.config`), so `--delay 1e300` and `"delay": 1e300`
in settings.json are refused by the same check.
"""

from __future__ import annotations

import argparse

from ogptui import config
from ogptui.cli.bundle import cmd_sync_mirror
from ogptui.cli.common import (
    EXIT_OK,
    EXIT_PARTIAL,
    AddCommand,
    Progress,
    UsageError,
    arg_type,
    load_settings,
    open_store,
    out,
    print_changes,
    say,
)
from ogptui.i18n import _, content_language

EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C


def cmd_sync(args: argparse.Namespace) -> int:
    import asyncio  # here, not at import: every other command would pay for it

    from ogptui.sync import run_sync

    if getattr(args, "mirror", None):
        return cmd_sync_mirror(args)
    if args.all and args.slugs:
        raise UsageError(_("give member slugs or --all, not both"))
    settings = load_settings()
    interrupted = None
    with open_store() as store, Progress(args.quiet) as progress:
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
                    documents=args.documents,
                    full=args.full,
                    language=content_language(args.content_language) if args.content_language else None,
                )
            )
        except KeyboardInterrupt:  # Ctrl-C: the run recorded itself as interrupted, with what it stored
            run = store.last_run()
            told = run.summary if run is not None and run.outcome == "interrupted" else None
            interrupted = told or _("interrupted before the sync started; stored data is unchanged")
    if interrupted is not None:
        say(interrupted)
        return EXIT_INTERRUPTED
    if summary.outcome in ("offline", "deadline"):
        say(summary.message)
        return EXIT_PARTIAL
    if summary.message and not summary.members:
        say(summary.message)
        return EXIT_OK
    out(summary.text())
    for slug, reason in summary.failed:
        say(
            _("failed: {slug}: {reason}").format(slug=slug, reason=reason), prefix="  "
        )  # under the summary line, as before
    for old, new in summary.moved:
        out(
            _(
                "  moved: {old} → {new} on the site (renamed or merged); kept as it was; sync {new} to fetch it"
            ).format(old=old, new=new)
        )
    print_changes(summary.changes, summary.run_id)
    return EXIT_PARTIAL if summary.failed else EXIT_OK


def register(add: AddCommand) -> None:
    s = add(
        "sync", cmd_sync, _("Fetch members from the OGP site into the cache (only what changed is written).")
    )
    s.add_argument(
        "slugs",
        nargs="*",
        metavar="SLUG",
        type=arg_type(config.SLUG, "slug"),
        help=_("members to sync (default: the watchlist, else all cached)"),
    )
    s.add_argument("--all", action="store_true", help=_("every member listed on the site's directory page"))
    s.add_argument(
        "--source",
        type=arg_type(config.SOURCE, "source"),
        help=_("site address (default {DEFAULT_SOURCE})").format(DEFAULT_SOURCE=config.DEFAULT_SOURCE),
    )
    s.add_argument(
        "--concurrency",
        type=arg_type(config.CONCURRENCY, "concurrency"),
        help=_("parallel requests, 1-16 (default 4)"),
    )
    s.add_argument(
        "--delay",
        type=arg_type(config.DELAY, "delay"),
        help=_("seconds between requests to the site, 0-60 (default 0.25; 0 for your own mirror)"),
    )
    s.add_argument(
        "--documents",
        type=arg_type(config.DOCUMENTS, "documents"),
        metavar="none|pages|all",
        help=_(
            "documents behind the resources for every member synced: none, their pages, or pages and files "
            "(default: the setting `documents` for members named or watched, none for the others)"
        ),
    )
    s.add_argument("--quiet", action="store_true", help=_("no progress output"))
    s.add_argument(
        "--content-language",
        type=arg_type(config.CONTENT_LANGUAGE, "content_language"),
        metavar="LANG",
        help=_("fetch the site's pages in this language: en, es (/es/…), fr (/fr/…) or same as the interface "
               "(default: the setting content_language)"),  # fmt: skip
    )
    s.add_argument(
        "--full",
        action="store_true",
        help=_(
            "check every commitment and document page and file, not only those due (member pages are "
            "always checked; the others when their member page changed or after the setting max_age_days)"
        ),
    )
    s.add_argument(
        "--mirror",
        metavar="URL",
        help=_("instead of the site, download a bundle published with `ogptui export` and import it"),
    )
