"""`ogptui document DOC`: a cached document (an IRM report, an action plan, a letter) as text, Markdown or
JSON; `ogptui storage [--prune]`: the space documents' files take, and removing what nothing refers to."""

from __future__ import annotations

import argparse

from ogptui.cli.common import (
    EXIT_OK,
    AddCommand,
    UsageError,
    open_store,
    out,
    print_json,
    quoted,
    say,
    write,
)
from ogptui.i18n import _, ngettext


def cmd_document(args: argparse.Namespace) -> int:
    fmt = args.format or ("json" if args.json else "text")
    if args.json and fmt != "json":
        raise UsageError(_("--json and --format {fmt} disagree; give one of them").format(fmt=fmt))
    with open_store() as store:
        doc = store.get_document(args.doc)
        if doc is None:
            raise UsageError(_not_found(store, args.doc))
        texts = {a.sha256: store.attachment_pages(a.sha256) for a in doc.attachments if a.sha256}
        fresh = _freshness(doc)
    if fmt == "json":
        print_json(doc.to_dict())
    elif fmt == "md":
        from ogptui.brief import document_markdown

        write(document_markdown(doc))
    else:
        from ogptui.report import document_report

        out(document_report(doc, texts if args.files else None, freshness=fresh))
    return EXIT_OK


def _freshness(doc) -> str | None:
    from ogptui.cli.common import now
    from ogptui.timefmt import checked_text

    return checked_text(doc.page.fetched_at, doc.checked_at, now())


def _not_found(store, doc: str) -> str:
    hint = store.find_document(doc)
    if hint:
        more = _("; did you mean {hint}?").format(hint=", ".join(hint))
    elif store.document_slugs():
        more = _("; `ogptui search WORDS --kind document` finds cached documents")
    else:
        more = _("; no documents are cached yet: `ogptui sync SLUG` fetches a member's documents")
    return _("no document {doc} in the cache{more}").format(doc=quoted(doc), more=more)


def _aligned(kind: str, n: int) -> str:
    """ "  12 documents", "   1 document " (as wide as the plural, so the columns line up)."""
    forms = {
        "document": lambda k: ngettext("{n} document", "{n} documents", k),
        "file": lambda k: ngettext("{n} file", "{n} files", k),
    }[kind]
    return forms(n).format(n=f"{n:>4}").ljust(len(forms(2).format(n=f"{n:>4}")))


def cmd_storage(args: argparse.Namespace) -> int:
    from ogptui import files
    from ogptui.units import human_size

    with open_store() as store:
        folder = store.paths.files
        if args.prune:
            if store.readonly:
                raise UsageError(
                    _(
                        "cannot prune {folder}: the data folder is read-only; make it writable or point "
                        "OGPTUI_HOME at another folder"
                    ).format(folder=folder)
                )
            swept = files.sweep(folder)
            # Paths whose file is gone are forgotten first, so the listing below tells the truth.
            gone = [p for p in store.referenced_paths() if store.local_file(p) is None]
            store.forget_files(gone)
            extra = files.unreferenced(folder, store.referenced_paths())
            freed = 0
            for path in extra.paths:
                try:
                    freed += path.stat().st_size
                    path.unlink()
                except OSError as e:
                    say(_("could not remove {path}: {reason}").format(path=path, reason=e.strerror or e))
            n = len(extra.paths) + swept.removed
            removed = ngettext("removed {n} unreferenced file", "removed {n} unreferenced files", len(extra.paths))
            temporary = ngettext(
                "{n} temporary file of interrupted downloads", "{n} temporary files of interrupted downloads",
                swept.removed,
            )
            out(
                _("{removed} and {temporary} ({size})").format(
                    removed=removed.format(n=len(extra.paths)),
                    temporary=temporary.format(n=swept.removed),
                    size=human_size(freed + swept.nbytes),
                )
                if n
                else _("nothing to remove: every file in the files folder belongs to a stored document")
            )
        rows = [r for r in store.storage_by_member() if r.documents or r.files]
        total = store.files_total()
        nfiles = len(store.stored_files())
        counts = store.document_counts()
        unreferenced = files.unreferenced(folder, store.referenced_paths())
        cache_bytes = store.paths.cache_db.stat().st_size if store.paths.cache_db.exists() else 0
    if args.json:
        print_json(
            {
                "files_folder": str(folder),
                "members": [
                    {"slug": r.slug, "name": r.name, "documents": r.documents, "files": r.files, "bytes": r.nbytes}
                    for r in rows
                ],
                "total": {"documents": counts["documents"], "files": nfiles, "bytes": total},
                "unreferenced": {"files": len(unreferenced.paths), "bytes": unreferenced.nbytes},
                "cache_db_bytes": cache_bytes,
            }
        )
        return EXIT_OK
    out(_("Files folder: {folder}").format(folder=folder))
    if rows:
        width = max(len(r.name) for r in rows)
        for r in rows:
            documents, stored = _aligned("document", r.documents), _aligned("file", r.files)
            out(f"  {r.name:<{width}}  {documents}  {stored}  {human_size(r.nbytes):>9}")
    else:
        out("  " + _("no documents cached yet (`ogptui sync SLUG` fetches a member's documents)"))
    stored_files = ngettext("{n} file", "{n} files", nfiles).format(n=nfiles)
    out(
        _(
            "Total: {documents} documents, {files} ({size}; a file shared by several members counted once); "
            "cache.db {cache}"
        ).format(documents=counts["documents"], files=stored_files, size=human_size(total), cache=human_size(cache_bytes))
    )
    if unreferenced.paths:
        n = len(unreferenced.paths)
        out(
            ngettext(
                "{n} file ({size}) belong to no stored document: `ogptui storage --prune` removes them",
                "{n} files ({size}) belong to no stored document: `ogptui storage --prune` removes them",
                n,
            ).format(n=n, size=human_size(unreferenced.nbytes))
        )
    return EXIT_OK


def register(add: AddCommand) -> None:
    s = add("document", cmd_document, _("Print a cached document (report, action plan, letter) and its files."))
    s.add_argument("doc", metavar="DOC", help=_("document slug or its URL, e.g. peru-design-report-2019-2021"))
    s.add_argument("--json", action="store_true", help=_("print the document record as JSON (= --format json)"))
    s.add_argument("--format", choices=["text", "md", "json"], help=_("text (default), md (Markdown) or json"))
    s.add_argument("--files", action="store_true", help=_("with text: also print the text read from its files"))
    s = add("storage", cmd_storage, _("Space taken by documents' files, per member and in total."))
    s.add_argument("--prune", action="store_true", help=_("remove files no stored document refers to"))
    s.add_argument("--json", action="store_true", help=_("print as JSON"))
