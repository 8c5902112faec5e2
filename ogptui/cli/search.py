"""`ogptui search QUERY`: full-text search of the cache, grouped by kind, or `--json`."""

from __future__ import annotations

import argparse

from ogptui.clean import clean_text
from ogptui.cli.common import (
    EXIT_OK,
    AddCommand,
    arg_type,
    load_settings,
    member_or_exit,
    open_store,
    out,
    print_json,
)
from ogptui.i18n import _, content_language
from ogptui.rules import IntRange
from ogptui.search import KINDS

LIMIT = IntRange(1, 1000)


def _year_arg(value: str) -> int:
    v = value.strip()
    if not (v.isascii() and v.isdigit() and len(v) == 4):
        raise argparse.ArgumentTypeError(_("year must be four digits such as 2021, not '{value}'").format(value=value))
    return int(v)


def cmd_search(args: argparse.Namespace) -> int:
    from ogptui.search import KIND_TITLES, remember_search, search

    want = content_language(load_settings().content_language)
    with open_store() as store:
        if args.member is not None:
            member_or_exit(store, args.member)  # an unknown member is a usage error, as in `show`
        hits = search(
            store,
            args.query,
            member=args.member,
            kind=args.kind,
            type=args.type,
            year=args.year,
            limit=args.limit,
        )
        if hits:
            remember_search(store, args.query)
    if args.json:
        print_json([h.to_dict() for h in hits])
        return EXIT_OK
    if not hits:
        out(
            _("No results for '{query}'").format(query=clean_text(args.query))
            + (_(" with these filters.") if _filtered(args) else ".")
        )
        return EXIT_OK
    for kind in KINDS:
        group = [h for h in hits if h.kind == kind]
        if not group:
            continue
        out(f"{KIND_TITLES[kind]} ({len(group)})")
        for h in group:
            label = h.id if h.kind == "commitment" else None
            head = " ".join(x for x in (label, clean_text(h.title)) if x)
            other = h.language.upper() if h.language and h.language != want else None  # found in another language
            meta = ", ".join(str(x) for x in (h.year, clean_text(h.type), other) if x)
            out(f"  {head}" + (f"  ({meta})" if meta else ""))
            where = f" ({clean_text(h.place)})" if h.kind == "document" and h.place else ""
            out(f"    {clean_text(h.member_name or h.member_slug)}{where}: {clean_text(h.snippet)}")
            if h.url:
                out(f"    {clean_text(h.url)}")
        out()
    return EXIT_OK


def _filtered(args: argparse.Namespace) -> bool:
    return any(getattr(args, k) is not None for k in ("member", "kind", "type", "year"))


def register(add: AddCommand) -> None:
    s = add(
        "search",
        cmd_search,
        _("Search everything cached: members, commitments (with their pages), resources, contacts, recent posts, "
        "Global Report areas, public participation, benchmarks, documents and your notes."),
    )
    s.add_argument("query", help=_('words to find, e.g. "design report" or a commitment ID such as PE0084'))
    s.add_argument("--member", metavar="SLUG", help=_("only this member"))
    s.add_argument("--kind", choices=KINDS, help=_("only this kind"))
    s.add_argument("--type", metavar="TYPE", help=_('only this resource type or policy area, e.g. "IRM Report"'))
    s.add_argument("--year", type=_year_arg, metavar="YYYY", help=_("only items of this year"))
    s.add_argument(
        "--limit",
        type=arg_type(LIMIT, "limit"),
        default=50,
        metavar="N",
        help=_("at most N results (default 50)"),
    )
    s.add_argument("--json", action="store_true", help=_("print a JSON list of hits"))
