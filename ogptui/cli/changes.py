"""`ogptui changes`: what recent syncs and imports added, changed or removed."""

from __future__ import annotations

import argparse

from ogptui.cli.common import EXIT_OK, AddCommand, arg_type, open_store, out, print_json
from ogptui.i18n import _
from ogptui.rules import IntRange


def cmd_changes(args: argparse.Namespace) -> int:
    with open_store() as store:
        rows = store.recent_changes(limit=args.limit, run_id=args.run)
    if args.json:
        print_json([r.__dict__ for r in rows])
        return EXIT_OK
    if not rows:
        out(_("No changes recorded") + (_(" for run {run}.").format(run=args.run) if args.run else " yet."))
    for r in rows:
        out(f"{r.at}  run {r.run_id or '—':<4} {r.action:<8} {r.summary}")
    return EXIT_OK


def register(add: AddCommand) -> None:
    s = add("changes", cmd_changes, _("Show what recent syncs added, changed or removed."))
    s.add_argument("--run", type=arg_type(IntRange(1, 2**62), "run"), help=_("only this sync run"))
    s.add_argument(
        "--limit",
        type=arg_type(IntRange(1, 100_000), "limit"),
        default=200,
        help=_("at most this many lines, 1-100000 (default 200)"),
    )
    s.add_argument("--json", action="store_true", help=_("print as JSON"))
