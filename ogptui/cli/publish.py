"""`ogptui publish DIR`: write the cache as a static mirror for `ogptui sync --mirror URL/` (issue 18).

Exit codes as everywhere: 0 ok, 2 a bad command line, an unknown member or a folder that cannot be written.
Errors are one sentence on stderr, never a traceback.
"""

from __future__ import annotations

import argparse

from ogptui.cli.common import EXIT_OK, EXIT_USAGE, AddCommand, open_store, out, say
from ogptui.i18n import _


def cmd_publish(args: argparse.Namespace) -> int:
    from ogptui.bundle import BundleError
    from ogptui.publish import publish

    with open_store() as store:
        try:
            report = publish(store, args.folder, members=args.members or None, with_files=args.with_files)
        except BundleError as e:
            say(str(e))
            return EXIT_USAGE
    out(report.text())
    return EXIT_OK


def register(add: AddCommand) -> None:
    s = add(
        "publish",
        cmd_publish,
        _(
            "Write the cache as a mirror folder any web server can serve; `sync --mirror URL/` then fetches "
            "only the members that changed."
        ),
    )
    s.add_argument(
        "folder",
        metavar="DIR",
        help=_("the mirror's folder (created if missing; publishing again brings it up to date)"),
    )
    s.add_argument(
        "--member",
        dest="members",
        action="append",
        metavar="SLUG",
        help=_("only this member (repeat for more); default: every cached member"),
    )
    s.add_argument(
        "--with-files",
        action="store_true",
        help=_("also publish the documents' files (PDFs…) as files/<sha256>; pages and their text always go"),
    )
