"""`ogptui export FILE`, `ogptui import FILE` and `ogptui sync --mirror URL` (offline bundles).

Exit codes as everywhere: 0 ok, 1 the mirror was unreachable or sent something unusable, 2 a bad command
line or a missing, unreadable or damaged file. Errors are one sentence on stderr, never a traceback.
"""

from __future__ import annotations

import argparse

from ogptui.cli.common import (
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_USAGE,
    AddCommand,
    Progress,
    UsageError,
    load_settings,
    open_store,
    out,
    print_changes,
    say,
)
from ogptui.i18n import _


def cmd_export(args: argparse.Namespace) -> int:
    from ogptui.bundle import BundleError, export_bundle

    with open_store() as store:
        try:
            report = export_bundle(
                store,
                args.file,
                members=args.members or None,
                with_notes=args.with_notes,
                with_files=args.with_files,
            )
        except BundleError as e:
            say(str(e))
            return EXIT_USAGE
    out(report.text())
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from ogptui.bundle import BundleError, import_bundle

    with open_store() as store:
        try:
            report = import_bundle(store, args.file, with_notes=args.with_notes)
        except BundleError as e:
            say(str(e))
            return EXIT_USAGE
    out(report.text())
    print_changes(report.changes, report.run_id)
    return EXIT_OK


def cmd_sync_mirror(args: argparse.Namespace) -> int:
    """`ogptui sync --mirror URL` (called by `cmd_sync` in ogptui/cli/sync.py)."""
    from ogptui.bundle import BundleError
    from ogptui.mirror import MirrorError, mirror_sync, validate_mirror_url

    if getattr(args, "slugs", None) or getattr(args, "all", False) or getattr(args, "source", None):
        raise UsageError(_("--mirror replaces member slugs, --all and --source; give only --mirror URL"))
    try:
        url = validate_mirror_url(args.mirror)
    except ValueError as e:
        raise UsageError(str(e)) from None
    failure = None
    with open_store() as store, Progress(args.quiet) as progress:
        try:
            deadline = load_settings().run_deadline
            summary, report = mirror_sync(store, url, on_event=progress, deadline=deadline)
        except (MirrorError, BundleError) as e:
            failure = str(e)
    if failure is not None:
        say(failure if "unchanged" in failure else _("{failure}; cached data is unchanged").format(failure=failure))
        return EXIT_PARTIAL
    if summary.outcome in ("offline", "deadline"):
        say(summary.message)
        return EXIT_PARTIAL
    if report is None:
        out(_("{url}: not modified since the last mirror sync; nothing imported ({seconds} s)").format(
            url=url, seconds=f"{summary.seconds:.1f}"
        ))
        return EXIT_OK
    out(_("{value}; from {url}").format(value=summary.text(), url=url))
    print_changes(summary.changes, summary.run_id)
    for _slug, why in summary.failed:  # parts of a published mirror that were refused (one line each)
        say(why)
    return EXIT_PARTIAL if summary.failed else EXIT_OK


def register(add: AddCommand) -> None:
    s = add(
        "export",
        cmd_export,
        _("Write the cache (or some members) to one bundle file to carry to a machine without a network."),
    )
    s.add_argument(
        "file", metavar="FILE", help=_("the bundle to write, e.g. ogptui.bundle (replaced if it exists)")
    )
    s.add_argument(
        "--member",
        dest="members",
        action="append",
        metavar="SLUG",
        help=_("only this member (repeat for more); default: every cached member"),
    )
    s.add_argument(
        "--with-notes",
        action="store_true",
        help=_("also carry your notes and bookmarks (of these members); never without this option"),
    )
    s.add_argument(
        "--with-files",
        action="store_true",
        help=_("also carry the documents' files (PDFs…); document pages and the files' text always go"),
    )
    s = add(
        "import",
        cmd_import,
        _("Merge a bundle made by `ogptui export` into the cache (newer data wins; nothing newer is overwritten)."),
    )
    s.add_argument("file", metavar="FILE", help=_("the bundle file"))
    s.add_argument(
        "--with-notes",
        action="store_true",
        help=_("also merge the notes the bundle carries into yours (a different text on the same target keeps both)"),
    )
