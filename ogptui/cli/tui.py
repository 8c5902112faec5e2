"""The bare `ogptui` and `ogptui open SLUG`: start the TUI (Textual is imported only here, only then)."""

from __future__ import annotations

import argparse

from ogptui.cli.common import AddCommand, member_or_exit, open_store
from ogptui.i18n import _


def cmd_tui(args: argparse.Namespace) -> int:
    from ogptui.tui.app import run

    slug = getattr(args, "slug", None)
    # One store for the check and the TUI (each open runs quick_check); an unusable data folder is then a
    # usage error (exit 2) like for every other command, and its notices are printed before the TUI starts.
    # Problems in settings.json are shown by the TUI itself, as notifications.
    with open_store() as store:
        if slug:
            slug = member_or_exit(store, slug).slug
        return run(slug, store=store)


def register(add: AddCommand) -> None:
    s = add("open", cmd_tui, _("Start the TUI on one member."))
    s.add_argument("slug", help=_("member slug, e.g. peru"))
