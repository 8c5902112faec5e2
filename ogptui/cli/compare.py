"""`ogptui compare SLUG SLUG [...] [--region R] [--level L] [--json] [--format text|csv|json]`."""

from __future__ import annotations

import argparse

from ogptui.cli.common import (
    EXIT_OK,
    AddCommand,
    UsageError,
    level_arg,
    load_settings,
    member_or_exit,
    open_store,
    out,
    print_json,
    region_arg,
    write,
)
from ogptui.i18n import _, content_language

MAX_MEMBERS = 40  # a comparison wider than this is not readable in a terminal (use --format csv in parts)


def cmd_compare(args: argparse.Namespace) -> int:
    import shutil

    from ogptui.compare import compare, to_csv, to_text
    from ogptui.regions import UNKNOWN, member_region

    fmt = args.format or ("json" if args.json else "text")
    if args.json and fmt != "json":
        raise UsageError(_("--json and --format {fmt} disagree; give one of them").format(fmt=fmt))
    if args.level and not args.region:
        raise UsageError(_("--level chooses among the members of --region; give --region too"))
    want = content_language(load_settings().content_language)  # each member in the data language if cached so
    with open_store() as store:
        members = [
            member_or_exit(store, slug, want) for slug in dict.fromkeys(s.strip().lower() for s in args.slugs)
        ]
        if args.region:
            level = args.level or "national"
            chosen = {m.slug for m in members}
            for s in store.list_members():
                region = member_region(s.slug, s.name, s.level) or UNKNOWN
                if region == args.region and (s.level or "national") == level and s.slug not in chosen:
                    found = store.get_member(s.slug, want)
                    if found is not None:
                        members.append(found)
                        chosen.add(s.slug)
    if len(members) < 2:
        more = _(" (the cache has {members} in {region})").format(members=len(members), region=args.region) if args.region else ""
        raise UsageError(_("compare needs at least two members{more}; give more slugs or a --region").format(more=more))
    if len(members) > MAX_MEMBERS:
        raise UsageError(
            _("{members} members are too many to compare at once (at most {MAX_MEMBERS}); name fewer").format(members=len(members), MAX_MEMBERS=MAX_MEMBERS)
        )
    cmp = compare(members)
    if fmt == "json":
        print_json(cmp.to_dict())
    elif fmt == "csv":
        write(to_csv(cmp))
    else:
        out(to_text(cmp, width=max(80, min(200, shutil.get_terminal_size((120, 24)).columns))))
    return EXIT_OK


def register(add: AddCommand) -> None:
    s = add(
        "compare",
        cmd_compare,
        _("Compare members side by side: plans, performance, completion, policy areas, participation."),
    )
    s.add_argument("slugs", nargs="*", metavar="SLUG", help=_("members to compare, e.g. peru chile colombia"))
    s.add_argument(
        "--region",
        type=region_arg,
        metavar="REGION",
        help=_("also every cached member of this OGP region (americas, europe, asia, africa, unknown)"),
    )
    s.add_argument(
        "--level", type=level_arg, metavar="LEVEL", help=_("with --region: national (default) or local members")
    )
    s.add_argument("--json", action="store_true", help=_("print the table as JSON (= --format json)"))
    s.add_argument("--format", choices=["text", "csv", "json"], help=_("text (default, with bars), csv or json"))
