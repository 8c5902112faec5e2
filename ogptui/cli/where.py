"""`ogptui where`: the paths of the data folder, both databases and the settings file."""

from __future__ import annotations

import argparse

from ogptui import config
from ogptui.cli.common import EXIT_OK, AddCommand, out, print_json
from ogptui.i18n import _


def cmd_where(args: argparse.Namespace) -> int:
    p = config.paths()
    if args.json:
        print_json(p.to_dict())
    else:
        for k, v in p.to_dict().items():
            out(f"{k:<9} {v}")
    return EXIT_OK


def register(add: AddCommand) -> None:
    s = add("where", cmd_where, _("Show where ogptui keeps its data."))
    s.add_argument("--json", action="store_true", help=_("print as JSON"))
