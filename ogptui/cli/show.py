"""`ogptui show SLUG`: every section of a cached member as text, JSON, a Markdown brief or CSV."""

from __future__ import annotations

import argparse

from ogptui import config
from ogptui.cli.common import (
    EXIT_OK,
    AddCommand,
    UsageError,
    arg_type,
    load_settings,
    member_or_exit,
    now,
    open_store,
    out,
    print_json,
    write,
)
from ogptui.i18n import _, content_language, fallback_note


def cmd_show(args: argparse.Namespace) -> int:
    from ogptui.report import member_text
    from ogptui.timefmt import freshness_text

    fmt = args.format or ("json" if args.json else "text")
    if args.json and fmt != "json":
        raise UsageError(_("--json and --format {fmt} disagree; give one of them").format(fmt=fmt))
    if args.table and fmt != "csv":
        raise UsageError(_("--table only applies to --format csv"))
    settings = load_settings()
    stale = settings.stale_hours
    want = content_language(args.content_language or settings.content_language)
    with open_store() as store:
        m = member_or_exit(store, args.slug, want)
        fresh = str(freshness_text(store.freshness(m.slug, m), now(), stale))
        if note := fallback_note(m.language, want):
            fresh += f" ({note})"
        pages = _commitment_pages_text(store, m.slug)
        offline = store.documents_cached(r.document for r in m.resources)
        summaries = store.document_summaries(r.document for r in m.resources) if fmt == "md" else {}
        if fmt == "md":
            from ogptui.notes import member_notes

            notes, bookmarks = member_notes(store, m.slug)
    if fmt == "json":
        d = m.to_dict()
        for r, row in zip(m.resources, d["resources"], strict=True):
            row["document"] = r.document  # its document's slug (null: the link is not a document page)
            row["offline"] = r.document in offline  # its page is in the cache
        print_json(d)
    elif fmt == "md":
        from ogptui.brief import member_markdown

        write(member_markdown(m, fresh, notes=notes, bookmarks=bookmarks, documents=summaries))
    elif fmt == "csv":
        from ogptui.brief import member_csv

        write(member_csv(m, args.table or "commitments"))
    else:
        out(member_text(m, freshness=fresh + (f"\n{pages}" if pages else "")))
    return EXIT_OK


def _commitment_pages_text(store, slug: str) -> str | None:
    """'Commitment pages (38): checked 2 days ago, the oldest 6 days ago': sync re-checks them less often
    than the member page (setting max_age_days), so `show` says how old they are."""
    from ogptui.timefmt import ago

    n, newest, oldest = store.commitment_checks(slug)
    if not n:
        return None
    text = _("Commitment pages ({n}): checked {ago}").format(n=n, ago=ago(newest, now()))
    if oldest and ago(oldest, now()) != ago(newest, now()):
        text += _(", the oldest {ago}").format(ago=ago(oldest, now()))
    return text + _(" (`ogptui sync --full` checks them all now)")


def register(add: AddCommand) -> None:
    s = add(
        "show", cmd_show, _("Print a cached member: overview, contacts, commitments, resources, metrics.")
    )
    s.add_argument("slug", help=_("member slug, e.g. peru"))
    s.add_argument(
        "--content-language",
        type=arg_type(config.CONTENT_LANGUAGE, "content_language"),
        metavar="LANG",
        help=_("the member as synced in this language: en, es, fr or same (default: the setting)"),
    )
    s.add_argument("--json", action="store_true", help=_("print the member record as JSON (= --format json)"))
    s.add_argument(
        "--format",
        choices=["text", "md", "csv", "json"],
        help=_("text (default), md (a Markdown brief), csv (one table, see --table) or json"),
    )
    s.add_argument(
        "--table",
        choices=["commitments", "resources"],
        help=_("which table --format csv prints (default commitments)"),
    )
