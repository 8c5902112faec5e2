"""The reading side of the document store (`DocumentStore` in `store.documents` writes): documents as
records, their attachments' files and text, what is cached and how much space it takes. Mixed into
`ogptui.store.Store`; every query runs on its cache.db connection.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ogptui.model import AttachmentFile, Document, DocumentFile, DocumentPage
from ogptui.store.rows import attachment_from_row, document_from_rows
from ogptui.urls import document_slug

if TYPE_CHECKING:
    from ogptui import config
    from ogptui.store.db import Database


@dataclass
class MemberStorage:
    """Space the files of one member's documents take on this device (a file shared by two members counts
    for both; the total counts it once)."""

    slug: str
    name: str
    files: int
    nbytes: int
    documents: int  # its documents stored (pages)


@dataclass
class StoredFile:
    """A file the store refers to, for pruning and budgets."""

    url: str
    path: str
    size: int
    fetched_at: str | None


class DocumentReads:
    """Document queries of `Store`."""

    cache: Database
    paths: config.Paths

    # ---- reading ----------------------------------------------------------------------------------
    def _load_document(self, slug: str) -> DocumentPage | None:
        rows = list(self.cache.query("SELECT * FROM documents WHERE slug = ?", [slug]))
        if not rows:
            return None
        sections = list(
            self.cache.query(
                "SELECT * FROM document_sections WHERE document_slug = ? ORDER BY position", [slug]
            )
        )
        links = list(
            self.cache.query(
                "SELECT * FROM document_attachments WHERE document_slug = ? ORDER BY position", [slug]
            )
        )
        return document_from_rows(rows[0], sections, links)

    @staticmethod
    def document_key(slug_or_url: str) -> str:
        """The slug a user's DOC means: a document URL gives its slug, a slug is taken lower-cased."""
        text = slug_or_url.strip()
        if "/" in text:
            return document_slug(text) or text.lower()
        return text.lower()

    def get_document(self, slug_or_url: str) -> Document | None:
        """A stored document with its sections, its attachments (local file and text status) and the members
        listing it; None when it is not in the cache. DOC is a document slug or its URL."""
        slug = self.document_key(slug_or_url)
        page = self._load_document(slug)
        if page is None:
            return None
        row = self.cache.execute("SELECT source_url FROM documents WHERE slug = ?", [slug]).fetchone()
        source_url = row[0] if row else None
        checked = None
        if source_url:
            h = self.cache.execute("SELECT checked_at FROM http_state WHERE url = ?", [source_url]).fetchone()
            checked = h[0] if h else None
        files = self.attachment_files([a.url for a in page.attachments])
        attachments = []
        for a in page.attachments:
            f = files.get(a.url)
            local = self.local_file(f.path) if f is not None and f.path else None
            attachments.append(
                DocumentFile(
                    url=a.url,
                    name=a.name,
                    size=f.size if f else None,
                    sha256=f.sha256 if f else None,
                    path=str(local) if local is not None else None,
                    content_type=f.content_type if f else None,
                    text_status=f.text_status if f else None,
                    text_error=f.text_error if f else None,
                    page_count=f.page_count if f else None,
                    error=f.error if f else None,
                )
            )
        return Document(
            page=page,
            attachments=attachments,
            members=self.document_members(slug),
            source_url=source_url,
            checked_at=checked,
        )

    def local_file(self, relative: str) -> Path | None:
        """The absolute path of a stored file when it is on this device and inside the files folder."""
        from ogptui.files import resolve_inside

        return resolve_inside(self.paths.files, relative)

    def document_members(self, slug: str) -> list[str]:
        return [
            r[0]
            for r in self.cache.execute(
                "SELECT DISTINCT member_slug FROM resources WHERE document = ? ORDER BY member_slug", [slug]
            )
        ]

    def document_times(self) -> dict[str, str | None]:
        """{slug: fetched_at} of every cached document."""
        return {r[0]: r[1] for r in self.cache.execute("SELECT slug, fetched_at FROM documents")}

    def all_attachment_files(self) -> dict[str, AttachmentFile]:
        """Every attachment this cache knows, by URL."""
        return {r["url"]: attachment_from_row(r) for r in self.cache.query("SELECT * FROM attachments")}

    def attachment_files(self, urls: Sequence[str]) -> dict[str, AttachmentFile]:
        out: dict[str, AttachmentFile] = {}
        for i in range(0, len(urls), 500):
            chunk = list(urls[i : i + 500])
            marks = ", ".join("?" * len(chunk))
            for r in self.cache.query(f"SELECT * FROM attachments WHERE url IN ({marks})", chunk):
                out[r["url"]] = attachment_from_row(r)
        return out

    def attachment_file(self, url: str) -> AttachmentFile | None:
        return self.attachment_files([url]).get(url)

    def text_of(self, sha256: str) -> AttachmentFile | None:
        """A row whose file has this content and whose text was already read (so it is not read again)."""
        rows = list(
            self.cache.query(
                "SELECT * FROM attachments WHERE sha256 = ? AND text_status IS NOT NULL "
                "AND (text_status != 'ok' OR EXISTS (SELECT 1 FROM attachment_pages p WHERE p.sha256 = ?)) LIMIT 1",
                [sha256, sha256],
            )
        )
        return attachment_from_row(rows[0]) if rows else None

    def attachment_pages(self, sha256: str) -> list[str]:
        """The text of a file, one string per page (empty when it was never read)."""
        return [
            r[0]
            for r in self.cache.execute(
                "SELECT text FROM attachment_pages WHERE sha256 = ? ORDER BY page", [sha256]
            )
        ]

    def document_slugs(self) -> list[str]:
        return [r[0] for r in self.cache.execute("SELECT slug FROM documents ORDER BY slug")]

    def documents_cached(self, slugs: Iterable[str | None]) -> set[str]:
        """Which of these document slugs have their page in the cache (readable offline)."""
        wanted = sorted({s for s in slugs if s})
        found: set[str] = set()
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            marks = ", ".join("?" * len(chunk))
            found |= {
                r[0] for r in self.cache.execute(f"SELECT slug FROM documents WHERE slug IN ({marks})", chunk)
            }
        return found

    def document_summaries(self, slugs: Iterable[str | None]) -> dict[str, tuple[str | None, str | None]]:
        """{slug: (title, summary)} of the cached ones among `slugs` (for the Markdown brief)."""
        wanted = sorted({s for s in slugs if s})
        out: dict[str, tuple[str | None, str | None]] = {}
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            marks = ", ".join("?" * len(chunk))
            for slug, title, summary in self.cache.execute(
                f"SELECT slug, title, summary FROM documents WHERE slug IN ({marks})", chunk
            ):
                out[slug] = (title, summary)
        return out

    def find_document(self, text: str) -> list[str]:
        """Close matches for a mistyped document slug or title (for 'did you mean')."""
        key = self.document_key(text)
        rows = {r[0]: (r[1] or "") for r in self.cache.execute("SELECT slug, title FROM documents")}
        by_title = {t.lower(): s for s, t in rows.items() if t}
        hits = difflib.get_close_matches(key, list(rows), n=3, cutoff=0.6)
        hits += [by_title[t] for t in difflib.get_close_matches(key, list(by_title), n=3, cutoff=0.6)]
        hits += [s for s in rows if key and key in s]
        seen: list[str] = []
        for h in hits:
            if h not in seen:
                seen.append(h)
        return seen[:3]

    def document_titles(self, slugs: Iterable[str]) -> dict[str, str]:
        wanted = sorted(set(slugs))
        out: dict[str, str] = {}
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            marks = ", ".join("?" * len(chunk))
            for slug, title in self.cache.execute(
                f"SELECT slug, title FROM documents WHERE slug IN ({marks})", chunk
            ):
                out[slug] = title or slug
        return out

    # ---- files: space, budget, pruning ----------------------------------------------------------------
    def stored_files(self) -> list[StoredFile]:
        """Every file the cache refers to (one entry per path), oldest fetch first."""
        rows = self.cache.execute(
            "SELECT url, path, COALESCE(size, 0), fetched_at FROM attachments WHERE path IS NOT NULL "
            "GROUP BY path ORDER BY fetched_at, path"
        ).fetchall()
        return [StoredFile(r[0], r[1], int(r[2]), r[3]) for r in rows]

    def referenced_paths(self) -> set[str]:
        return {
            r[0] for r in self.cache.execute("SELECT DISTINCT path FROM attachments WHERE path IS NOT NULL")
        }

    def files_total(self) -> int:
        """Bytes of the distinct files the cache refers to."""
        row = self.cache.execute(
            "SELECT COALESCE(sum(size), 0) FROM (SELECT max(COALESCE(size, 0)) AS size FROM attachments "
            "WHERE path IS NOT NULL GROUP BY path)"
        ).fetchone()
        return int(row[0])

    def prune_candidates(self, keep_members: Iterable[str]) -> list[StoredFile]:
        """Files none of whose documents is listed by a member of `keep_members` (the watched ones), oldest
        fetch first: what a full budget gives up first."""
        keep = sorted(set(keep_members))
        marks = ", ".join("?" * len(keep)) or "NULL"
        sql = f"""
            SELECT a.url, a.path, COALESCE(a.size, 0), a.fetched_at FROM attachments a
            WHERE a.path IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM attachments b
                JOIN document_attachments da ON da.url = b.url
                JOIN resources r ON r.document = da.document_slug
                WHERE b.path = a.path AND r.member_slug IN ({marks})
            )
            GROUP BY a.path ORDER BY a.fetched_at, a.path
        """
        return [StoredFile(r[0], r[1], int(r[2]), r[3]) for r in self.cache.execute(sql, keep)]

    def storage_by_member(self) -> list[MemberStorage]:
        """Per cached member: its documents stored and the files of them on this device (distinct by path)."""
        sql = """
            SELECT m.slug, m.name,
                   (SELECT count(DISTINCT d.slug) FROM resources r JOIN documents d ON d.slug = r.document
                    WHERE r.member_slug = m.slug) AS docs,
                   (SELECT count(*) FROM (
                        SELECT DISTINCT a.path FROM resources r
                        JOIN document_attachments da ON da.document_slug = r.document
                        JOIN attachments a ON a.url = da.url
                        WHERE r.member_slug = m.slug AND a.path IS NOT NULL)) AS files,
                   (SELECT COALESCE(sum(size), 0) FROM (
                        SELECT a.path, max(COALESCE(a.size, 0)) AS size FROM resources r
                        JOIN document_attachments da ON da.document_slug = r.document
                        JOIN attachments a ON a.url = da.url
                        WHERE r.member_slug = m.slug AND a.path IS NOT NULL GROUP BY a.path)) AS nbytes
            FROM members m ORDER BY m.name COLLATE NOCASE
        """
        return [MemberStorage(r[0], r[1], int(r[3]), int(r[4]), int(r[2])) for r in self.cache.execute(sql)]

    def document_counts(self) -> dict[str, int]:
        return {
            t: int(self.cache.execute(f"SELECT count(*) FROM {t}").fetchone()[0])
            for t in (
                "documents",
                "document_sections",
                "document_attachments",
                "attachments",
                "attachment_pages",
            )
        }
