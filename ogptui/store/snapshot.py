"""A bundle's database: a trimmed snapshot of cache.db (export) and a read-only reader of one (import).

All the SQL that `ogptui/bundle.py` needs lives here, so the bundle module deals in files, manifests and
records only. A snapshot is an ordinary cache database (same schema, own application_id); the reader opens
it read-only and hands out *records* (`Member`, `CommitmentPage`) built by the same row mapping as the store,
so an import goes through the store's own write path and its cleaning.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ogptui.model import AttachmentFile, CommitmentPage, DocumentPage, Member
from ogptui.store import db as dbmod
from ogptui.store import translations
from ogptui.store.db import Database
from ogptui.store.rows import (
    CHILD_TABLES,
    attachment_from_row,
    detail_record,
    document_from_rows,
    member_from_rows,
)
from ogptui.store.schema import CACHE_MIGRATIONS

# Tables that describe the exporting machine's own history, not data: emptied in a snapshot.
LOCAL_TABLES = ("changes", "sync_runs", "meta")
# What an import reads (the search index is rebuilt from these, never copied).
DOCUMENT_TABLES = (
    "documents",
    "document_sections",
    "document_attachments",
    "attachments",
    "attachment_pages",
)
DATA_TABLES = ("members", *CHILD_TABLES, "commitment_details", "http_state", *DOCUMENT_TABLES)
# Tables every readable bundle has (older schemas gain the document tables when upgraded).
REQUIRED_TABLES = ("members", *CHILD_TABLES, "commitment_details", "http_state")


def _open(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    if readonly:
        conn = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)
    else:
        conn = sqlite3.connect(str(path), timeout=dbmod.BUSY_TIMEOUT_MS / 1000)
    conn.isolation_level = None
    return conn


# ---- export --------------------------------------------------------------------------------------
@dataclass
class SnapshotInfo:
    """What a trimmed snapshot holds (the bundle's manifest is made from it)."""

    schema: int
    counts: dict[str, int]
    members: list[dict[str, Any]]  # slug, name, fetched_at, embedded, captured_at, detail_times
    source_urls: list[str]
    files: list[tuple[str, str, int]] = field(
        default_factory=list
    )  # (relative path, sha256, size) referenced


def trim(path: Path, slugs: Sequence[str] | None, app_id: int) -> SnapshotInfo:
    """Empty the local tables, keep only `slugs` (None = all), stamp `app_id`, compact, and describe it."""
    conn = _open(path)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("BEGIN")
        for t in LOCAL_TABLES:
            conn.execute(f"DELETE FROM {t}")
        if slugs is not None:
            conn.execute("CREATE TEMP TABLE keep (slug TEXT PRIMARY KEY)")
            conn.executemany("INSERT INTO keep VALUES (?)", [(s,) for s in slugs])
            conn.execute("DELETE FROM members WHERE slug NOT IN (SELECT slug FROM keep)")
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            trimmed = (*CHILD_TABLES, "commitment_details", "http_state", "search_docs", "translations")
            for t in (t for t in trimmed if t in tables):
                conn.execute(
                    f"DELETE FROM {t} WHERE member_slug IS NULL OR member_slug NOT IN (SELECT slug FROM keep)"
                )
            # Documents go with the members whose resources link them; files and text with their documents.
            conn.execute(
                "DELETE FROM documents WHERE slug NOT IN (SELECT document FROM resources WHERE document IS NOT NULL)"
            )
            conn.execute("DELETE FROM attachments WHERE url NOT IN (SELECT url FROM document_attachments)")
            conn.execute(
                "DELETE FROM attachment_pages WHERE sha256 NOT IN "
                "(SELECT sha256 FROM attachments WHERE sha256 IS NOT NULL)"
            )
            conn.execute("INSERT INTO search_index(search_index) VALUES ('optimize')")
        conn.execute("COMMIT")
        conn.execute(f"PRAGMA application_id = {int(app_id)}")
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("VACUUM")
        schema = int(conn.execute("PRAGMA user_version").fetchone()[0])
        counts = {t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in DATA_TABLES}
        members = []
        for slug, name, fetched, embedded, captured in conn.execute(
            "SELECT slug, name, fetched_at, embedded, captured_at FROM members ORDER BY slug"
        ).fetchall():
            times = [
                r[0]
                for r in conn.execute(
                    "SELECT fetched_at FROM commitment_details WHERE member_slug = ? AND fetched_at IS NOT NULL",
                    [slug],
                )
            ]
            members.append(
                {
                    "slug": slug,
                    "name": name,
                    "fetched_at": fetched,
                    "embedded": bool(embedded),
                    "captured_at": captured,
                    "detail_times": times,
                }
            )
        urls = [
            r[0] for r in conn.execute("SELECT DISTINCT source_url FROM members WHERE source_url IS NOT NULL")
        ]
        stored = [
            (r[0], r[1], r[2])
            for r in conn.execute(
                "SELECT path, sha256, max(COALESCE(size, 0)) FROM attachments "
                "WHERE path IS NOT NULL AND sha256 IS NOT NULL GROUP BY path ORDER BY path"
            )
        ]
    finally:
        conn.close()
    return SnapshotInfo(schema=schema, counts=counts, members=members, source_urls=urls, files=stored)


# ---- import: checks on the unpacked copy ---------------------------------------------------------
@dataclass
class Inspection:
    app_id: int
    version: int
    integrity: str  # "ok" or SQLite's first problems
    tables: set[str]


def inspect(path: Path) -> Inspection:
    """Header fields, integrity check and table names of an unpacked snapshot (sqlite3.DatabaseError if it
    is not a database at all)."""
    conn = _open(path, readonly=True)
    try:
        app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        rows = conn.execute("PRAGMA integrity_check(5)").fetchall()
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        conn.close()
    return Inspection(app_id, version, "; ".join(r[0] for r in rows), tables)


def upgrade(path: Path, app_id: int) -> None:
    """Migrate an older snapshot (a private copy) to the current schema, in place."""
    db = dbmod.connect(path)
    try:
        dbmod.migrate(db, CACHE_MIGRATIONS, app_id)
        db.execute("PRAGMA journal_mode = DELETE")
    finally:
        db.close()


def oversized(path: Path, limit: int) -> tuple[str, str, int] | None:
    """The first (table, column, bytes) of a value larger than `limit` in the tables an import reads.

    SQLite measures each value one row at a time; nothing is handed to Python, so a generated 500 MB string
    is refused before it could be loaded into memory.
    """
    conn = _open(path, readonly=True)
    try:
        for table in DATA_TABLES:
            cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
            if not cols:
                continue
            sizes = ", ".join(f'max(length(CAST("{c}" AS BLOB)))' for c in cols)
            row = conn.execute(f"SELECT {sizes} FROM {table}").fetchone()
            for col, size in zip(cols, row, strict=True):
                if size is not None and size > limit:
                    return table, col, int(size)
    finally:
        conn.close()
    return None


# ---- import: records out of the snapshot ---------------------------------------------------------
@dataclass
class BundledMember:
    member: Member
    embedded: bool
    captured_at: str | None
    gone_at: str | None


class SnapshotReader:
    """Read-only access to an unpacked, verified snapshot; hands out records, never raw SQL rows."""

    def __init__(self, path: Path):
        self.conn = _open(path, readonly=True)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> SnapshotReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _query(self, sql: str, params: Sequence[Any] = ()) -> Iterator[dict[str, Any]]:
        cur = self.conn.execute(sql, params)
        keys = [d[0] for d in cur.description or ()]
        return (dict(zip(keys, r, strict=True)) for r in cur.fetchall())

    def member_times(self) -> list[tuple[str, Any, Any]]:
        """(slug, name, fetched_at) of every member, by name."""
        return [
            tuple(r)
            for r in self.conn.execute(
                "SELECT slug, name, fetched_at FROM members ORDER BY name COLLATE NOCASE"
            )
        ]

    def member(self, slug: str) -> BundledMember | None:
        rows = list(self._query("SELECT * FROM members WHERE slug = ?", [slug]))
        if not rows:
            return None
        children = {
            t: list(self._query(f"SELECT * FROM {t} WHERE member_slug = ? ORDER BY position", [slug]))
            for t in CHILD_TABLES
        }
        row = rows[0]
        return BundledMember(
            member=member_from_rows(row, children),
            embedded=bool(row.get("embedded")),
            captured_at=row.get("captured_at"),
            gone_at=row.get("gone_at"),
        )

    def detail_times(self) -> list[tuple[Any, Any, Any]]:
        """(commitment id, member slug, fetched_at) of every commitment page."""
        return [
            tuple(r) for r in self.conn.execute("SELECT id, member_slug, fetched_at FROM commitment_details")
        ]

    def detail(self, commitment_id: str) -> CommitmentPage | None:
        rows = list(self._query("SELECT * FROM commitment_details WHERE id = ?", [commitment_id]))
        return detail_record(rows[0]) if rows else None

    def translations(self) -> list[dict[str, Any]]:
        """(kind, key, language, member_slug, fetched_at) of every record kept in another language."""
        return list(self._query("SELECT kind, key, language, member_slug, fetched_at FROM translations"))

    def translated_member(self, slug: str, language: str) -> Member | None:
        return translations.get_member(Database(self.conn, readonly=True), slug, language)

    def translated_detail(self, commitment_id: str, language: str) -> CommitmentPage | None:
        rows = translations.detail_rows(Database(self.conn, readonly=True), [commitment_id], language)
        return detail_record(rows[commitment_id]) if commitment_id in rows else None

    def http_rows(self) -> list[dict[str, Any]]:
        return list(self._query("SELECT * FROM http_state"))

    # ---- documents -------------------------------------------------------------------------------
    def document_times(self) -> list[tuple[Any, Any]]:
        """(slug, fetched_at) of every document."""
        return [tuple(r) for r in self.conn.execute("SELECT slug, fetched_at FROM documents ORDER BY slug")]

    def document(self, slug: str) -> tuple[DocumentPage, str | None] | None:
        """A document page record and where it was fetched (`source_url`)."""
        rows = list(self._query("SELECT * FROM documents WHERE slug = ?", [slug]))
        if not rows:
            return None
        sections = list(
            self._query("SELECT * FROM document_sections WHERE document_slug = ? ORDER BY position", [slug])
        )
        links = list(
            self._query(
                "SELECT * FROM document_attachments WHERE document_slug = ? ORDER BY position", [slug]
            )
        )
        return document_from_rows(rows[0], sections, links), rows[0].get("source_url")

    def attachments(self) -> list[AttachmentFile]:
        return [attachment_from_row(r) for r in self._query("SELECT * FROM attachments ORDER BY url")]

    def attachment_pages(self, sha256: str) -> list[Any]:
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT text FROM attachment_pages WHERE sha256 = ? ORDER BY page", [sha256]
            )
        ]
