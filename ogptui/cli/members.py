"""`ogptui members` (cached members with freshness) and the watchlist: `ogptui watch` / `unwatch`."""

from __future__ import annotations

import argparse

from ogptui import config
from ogptui.cli.common import (
    EXIT_OK,
    AddCommand,
    UsageError,
    arg_type,
    level_arg,
    load_settings,
    now,
    open_store,
    out,
    print_json,
    region_arg,
)
from ogptui.i18n import _


def cmd_members(args: argparse.Namespace) -> int:
    from ogptui.regions import UNKNOWN, member_region
    from ogptui.timefmt import freshness_text

    at = now()
    stale = load_settings().stale_hours
    with open_store() as store:
        rows = store.list_members()
    region_of = {r.slug: member_region(r.slug, r.name, r.level) or UNKNOWN for r in rows}
    filtered = bool(rows) and (args.region or args.level)
    rows = [
        r
        for r in rows
        if (args.region is None or region_of[r.slug] == args.region)
        and (args.level is None or (r.level or "national") == args.level)
    ]
    if args.json:
        listed = []
        for r in rows:
            f = freshness_text(r, at, stale)
            synced = f.confirmed.strftime("%Y-%m-%dT%H:%M:%SZ") if f.confirmed else None
            # `synced_at`: the last fetch or check that confirmed the data (a failed check is not one);
            # `freshness`: fresh | stale | failed | gone | embedded | never | unknown, and its words.
            region = None if region_of[r.slug] == UNKNOWN else region_of[r.slug]
            listed.append({**r.__dict__, "region": region, "synced_at": synced, "freshness": f.state,
                           "freshness_text": f.text})  # fmt: skip
        print_json(listed)
        return EXIT_OK
    if not rows:
        out(
            _("No cached member matches these filters.")
            if filtered
            else _("The cache is empty: run `ogptui sync SLUG` or `ogptui sync --all`.")
        )
    if args.by_region:
        return _by_region(rows, region_of)
    since = _("since")
    for r in rows:
        mark = "★" if r.watched else " "
        out(
            f"{mark} {r.slug:<28} {r.name:<32} {(r.level or ''):<9} {since} {r.member_since or '—':<5} "
            f"AP {r.action_plan or '—':<3} {freshness_text(r, at, stale)}"
        )
    return EXIT_OK


def _by_region(rows: list, region_of: dict[str, str]) -> int:
    """Members grouped by region, then level, with counts (`ogptui members --by-region`)."""
    from ogptui.regions import REGIONS, UNKNOWN

    for region in (*REGIONS, UNKNOWN):
        group = [r for r in rows if region_of[r.slug] == region]
        if not group:
            continue
        levels = {lv: [r for r in group if (r.level or "national") == lv] for lv in ("national", "local")}
        out(_("{region} ({group}: {national} national, {local} local)").format(region=region, group=len(group), national=len(levels['national']), local=len(levels['local'])))
        for lv, members in levels.items():
            for r in members:
                out(f"  {r.slug:<28} {r.name:<32} {lv}")
    return EXIT_OK


def cmd_watch(args: argparse.Namespace) -> int:
    from ogptui.store import StoreError

    with open_store() as store:
        for slug in args.slugs:
            slug = slug.strip().lower()
            if args.unwatch:
                store.unwatch(slug)
                out(_("no longer watching {slug}").format(slug=slug))
                continue
            if store.get_member(slug) is None and not args.force:
                hint = store.find_slug(slug)
                if hint:
                    raise UsageError(_("no member '{slug}' in the cache; did you mean {hint}?").format(slug=slug, hint=', '.join(hint)))
            try:
                store.watch(slug)
            except StoreError as e:
                raise UsageError(str(e)) from None
            out(
                _("watching {slug}").format(slug=slug)
                + ("" if store.get_member(slug) else _(" (not cached yet: `ogptui sync` fetches it)"))
            )
    return EXIT_OK


def register(add: AddCommand) -> None:
    s = add("members", cmd_members, _("List cached members with their freshness (★ = watched)."))
    s.add_argument("--json", action="store_true", help=_("print as JSON"))
    s.add_argument(
        "--region",
        type=region_arg,
        metavar="REGION",
        help=_("only this OGP region (americas, europe, asia, africa, unknown)"),
    )
    s.add_argument("--level", type=level_arg, metavar="LEVEL", help=_("only national or local members"))
    s.add_argument("--by-region", action="store_true", help=_("group by region and level, with counts"))

    s = add("watch", cmd_watch, _("Add members to the watchlist (what `ogptui sync` refreshes by default)."))
    s.add_argument("slugs", nargs="+", metavar="SLUG", type=arg_type(config.SLUG, "slug"))
    s.add_argument("--force", action="store_true", help=_("watch a slug that is not cached yet"))
    s.set_defaults(unwatch=False)
    s = add("unwatch", cmd_watch, _("Remove members from the watchlist."))
    s.add_argument("slugs", nargs="+", metavar="SLUG")
    s.set_defaults(unwatch=True, force=False)
