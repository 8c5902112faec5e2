"""`ogptui parse FILE`: parse a saved page without storing it (the parser's own door for debugging)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ogptui.cli.common import EXIT_OK, EXIT_PARTIAL, AddCommand, UsageError, out, print_json, say
from ogptui.i18n import _


def cmd_parse(args: argparse.Namespace) -> int:
    from ogptui.model import PageRejected
    from ogptui.parse import parse_page
    from ogptui.report import record_text

    path = Path(args.file)
    try:
        data = sys.stdin.buffer.read() if args.file == "-" else path.read_bytes()
    except IsADirectoryError:
        raise UsageError(_("{path} is a folder; give a saved page (HTML or text)").format(path=path)) from None
    except OSError as e:
        raise UsageError(_("cannot read {path}: {e}").format(path=path, e=e.strerror or e)) from None
    trace: list[tuple[str, str]] | None = [] if args.explain else None
    try:
        rec = parse_page(data, url=args.url, kind=args.kind, trace=trace)
    except PageRejected as e:
        say(_("{path} was not parsed: {reason}").format(path=path, reason=e.reason))
        return EXIT_PARTIAL
    if args.json:
        from ogptui.parse.explain import explain_lines

        extra = {"explain": explain_lines(rec, trace)} if trace is not None else {}
        print_json({**rec.to_dict(), **extra})
    else:
        out(record_text(rec))
        if trace is not None:
            from ogptui.parse.explain import explain_text

            out(explain_text(rec, trace))
    return EXIT_OK


def register(add: AddCommand) -> None:
    s = add("parse", cmd_parse, _("Parse a saved OGP page (HTML or text rendering) and print its record."))
    s.add_argument("file", help=_("the saved page, or - for standard input"))
    s.add_argument("--url", help=_("the page's address (gives slug and language)"))
    s.add_argument("--kind", choices=["member", "commitment", "document", "directory"], help=_("page kind"))
    s.add_argument("--json", action="store_true", help=_("print the record as JSON"))
    s.add_argument(
        "--explain", action="store_true", help=_("also say which rule found each part, and every warning")
    )
