"""The document side of the Store (issue 13): document pages, their attachments' files and text, search rows.

`DocumentStore` is mixed into `ogptui.store.Store`; every statement here runs on the cache.db connection of
that Store, in its transactions. What is stored:

- `documents` (one row per document, keyed by slug) with `document_sections` and `document_attachments`
  (the links on its page, in page order), rewritten together in one transaction with the page's
  `http_state` row, only when the page's record hash changed;
- `attachments` (one row per attachment URL: the file on this device, by sha256, and its text status) and
  `attachment_pages` (the text, one row per page, keyed by sha256 so a file shared by several documents or
  URLs is kept once), written in one transaction with the file's `http_state` row;
- the search rows of a document (kind `document`, `ref` = its slug): the head, one per section and one per
  page of attachment text. They belong to one member, the first (by slug) whose resources link the
  document, so `--member` filters and the search row keys work as for every other kind.

The files themselves live in the files folder (`ogptui.files`); the store only keeps their relative paths.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ogptui.model import AttachmentFile, DocumentPage, clean_record
from ogptui.store.document_reads import DocumentReads
from ogptui.store.rows import (
    DOCUMENT_TABLES,
    Change,
    attachment_from_row,
    attachment_row,
    document_child_rows,
    document_row,
    document_search_rows,
)

if TYPE_CHECKING:
    from ogptui.store.db import Database
    from ogptui.store.store import WriteResult

# Words for the kinds of attachment text, used in "where" a search hit is ("PDF page 4").
KIND_WORDS = {"application/pdf": "PDF"}
# Characters of text kept per page of a file: under a bundle's 1 MB limit per value even at 3 bytes a
# character (a real page holds a few thousand).
PAGE_TEXT_CAP = 300_000


class DocumentStore(DocumentReads):
    """Document methods of `Store` (see the module docstring): the writes here, the reads in
    `store.document_reads`. Relies on the Store's `cache`, `paths`, `_write()`, `_upsert_http`,
    `_record_changes`, `_member_name`."""

    # ---- writing ---------------------------------------------------------------------------------
    def write_document(
        self,
        page: DocumentPage,
        *,
        http: dict[str, Any] | None = None,
        run_id: int | None = None,
        source_url: str | None = None,
        force: bool = False,
    ) -> WriteResult:
        """Store a parsed document page if its record changed; always refresh its http_state row. One
        transaction: the page, its sections and links, its search rows and its change line together."""
        from ogptui.store.store import WriteResult, utcnow

        clean_record(page)
        if not page.slug:
            raise ValueError("a document needs a slug")
        new_hash = page.record_hash()
        now = utcnow()
        with self._write() as db:  # type: ignore[attr-defined]
            old = db.execute(
                "SELECT record_hash, title FROM documents WHERE slug = ?", [page.slug]
            ).fetchone()
            result = WriteResult(written=False)
            owner = self._document_owner(db, page.slug)
            if force or old is None or old[0] != new_hash:
                for t in DOCUMENT_TABLES:
                    db.execute(f"DELETE FROM {t} WHERE document_slug = ?", [page.slug])
                db.upsert(
                    "documents", document_row(page, source_url=source_url, record_hash=new_hash), pk="slug"
                )
                result = WriteResult(written=True, rows=1)
                for t, rows in document_child_rows(page).items():
                    if rows:
                        db.insert(t, rows)
                        result.rows += len(rows)
                self._reindex_document(db, page, owner)
                if old is not None and old[0] != new_hash:
                    name = self._member_name(owner[0]) if owner else None  # type: ignore[attr-defined]
                    ch = Change(
                        "changed",
                        "document",
                        page.slug,
                        f"{name or 'document'}: document {page.title} updated",
                    )
                    result.changes = [ch]
                    self._record_changes(  # type: ignore[attr-defined]
                        db, run_id, None, [ch], now, slug=owner[0] if owner else None, name=name
                    )
            if http is not None:
                self._upsert_http(  # type: ignore[attr-defined]
                    db,
                    {
                        **http,
                        "kind": "document",
                        "member_slug": owner[0] if owner else None,
                        "record_hash": new_hash,
                    },
                    now,
                )
        return result

    def write_attachment(
        self,
        file: AttachmentFile,
        pages: list[str] | None,
        *,
        http: dict[str, Any] | None = None,
        run_id: int | None = None,
    ) -> WriteResult:
        """Store what this device holds of one attachment URL, its text per page (kept once per sha256) and
        its http_state row, and refresh the search rows of every document linking it. One transaction.

        `pages` None keeps the text already stored for the file's sha256. A file whose content changed is a
        change line of the documents linking it ("Peru: document … file … updated")."""
        from ogptui.store.store import WriteResult, utcnow

        clean_record(file)
        now = utcnow()
        with self._write() as db:  # type: ignore[attr-defined]
            before = list(db.query("SELECT * FROM attachments WHERE url = ?", [file.url]))
            old = attachment_from_row(before[0]) if before else None
            row = attachment_row(file)
            changed = old is None or attachment_row(old) != row
            new_text = bool(
                pages is not None
                and file.sha256
                and db.execute(
                    "SELECT 1 FROM attachment_pages WHERE sha256 = ? LIMIT 1", [file.sha256]
                ).fetchone()
                is None
            )
            result = WriteResult(written=changed or new_text)
            if changed or new_text:
                db.upsert("attachments", row, pk="url")
                result.rows = 1
                if new_text and pages:
                    db.insert(
                        "attachment_pages",
                        [
                            {"sha256": file.sha256, "page": n, "text": t[:PAGE_TEXT_CAP]}
                            for n, t in enumerate(pages, 1)
                        ],
                    )
                    result.rows += len(pages)
                replaced = old is not None and old.sha256 is not None and old.sha256 != file.sha256
                if replaced:
                    self._drop_orphan_pages(db, old.sha256)  # type: ignore[union-attr, arg-type]
                if new_text or replaced or old is None or old.text_status != file.text_status:
                    for slug in self._documents_linking(db, file.url):
                        page = self._load_document(slug)
                        owner = self._document_owner(db, slug)
                        if page is not None:
                            self._reindex_document(db, page, owner)
                        if replaced and file.sha256:
                            name = self._member_name(owner[0]) if owner else None  # type: ignore[attr-defined]
                            title = page.title if page else slug
                            ch = Change(
                                "changed",
                                "document",
                                slug,
                                f"{name or 'document'}: document {title}: file updated",
                            )
                            result.changes.append(ch)
                            self._record_changes(  # type: ignore[attr-defined]
                                db, run_id, None, [ch], now, slug=owner[0] if owner else None, name=name
                            )
            if http is not None:
                self._upsert_http(db, {**http, "kind": "attachment", "url": file.url}, now)  # type: ignore[attr-defined]
        return result

    def record_attachment_problem(self, url: str, error: str, *, http: dict[str, Any] | None = None) -> None:
        """A download that was refused (too large, not the file it claims to be, over the budget): say why on
        the attachment's row (a file already on this device stays), with its bookkeeping."""
        from ogptui.store.store import utcnow

        now = utcnow()
        with self._write() as db:  # type: ignore[attr-defined]
            found = list(db.query("SELECT * FROM attachments WHERE url = ?", [url]))
            file = attachment_from_row(found[0]) if found else AttachmentFile(url=url)
            file.error = error
            clean_record(file)
            db.upsert("attachments", attachment_row(file), pk="url")
            if http is not None:
                self._upsert_http(db, {**http, "kind": "attachment"}, now, url=url)  # type: ignore[attr-defined]

    def forget_files(self, paths: Iterable[str]) -> int:
        """The files at these (relative) paths are no longer on this device: their rows say so (path NULL).
        Their text stays searchable. Returns how many rows changed."""
        paths = list(paths)
        if not paths:
            return 0
        n = 0
        with self._write() as db:  # type: ignore[attr-defined]
            for p in paths:
                n += db.execute("UPDATE attachments SET path = NULL WHERE path = ?", [p]).rowcount
        return n

    def reindex_document(self, slug: str) -> None:
        """Rebuild one document's search rows (inside the caller's transaction: a bundle merge)."""
        page = self._load_document(slug)
        self.cache.execute("DELETE FROM search_docs WHERE kind = 'document' AND ref = ?", [slug])
        if page is not None:
            self._reindex_document(self.cache, page, self._document_owner(self.cache, slug))

    # ---- inside a write -------------------------------------------------------------------------------
    def _document_owner(self, db: Database, slug: str) -> tuple[str, int | None, str | None] | None:
        """(member slug, year, type) of the first resource (by member slug, then position) linking `slug`."""
        row = db.execute(
            "SELECT member_slug, year, type FROM resources WHERE document = ? ORDER BY member_slug, position LIMIT 1",
            [slug],
        ).fetchone()
        return (row[0], row[1], row[2]) if row else None

    def _reindex_document(
        self, db: Database, page: DocumentPage, owner: tuple[str, int | None, str | None] | None
    ) -> None:
        db.execute("DELETE FROM search_docs WHERE kind = 'document' AND ref = ?", [page.slug])
        files: dict[str, tuple[str, list[str]]] = {}
        for a in page.attachments:
            f = db.execute("SELECT sha256, content_type FROM attachments WHERE url = ?", [a.url]).fetchone()
            if f and f[0]:
                pages = [
                    r[0]
                    for r in db.execute(
                        "SELECT text FROM attachment_pages WHERE sha256 = ? ORDER BY page", [f[0]]
                    )
                ]
                files[a.url] = (KIND_WORDS.get(f[1] or "", ""), pages)
        member, year, rtype = owner or ("", None, None)
        db.insert("search_docs", document_search_rows(page, member, year=year, type=rtype, files=files))

    def _documents_linking(self, db: Database, url: str) -> list[str]:
        return [
            r[0]
            for r in db.execute(
                "SELECT DISTINCT document_slug FROM document_attachments WHERE url = ?", [url]
            )
        ]

    def _drop_orphan_pages(self, db: Database, sha256: str) -> None:
        if db.execute("SELECT 1 FROM attachments WHERE sha256 = ? LIMIT 1", [sha256]).fetchone() is None:
            db.execute("DELETE FROM attachment_pages WHERE sha256 = ?", [sha256])
