"""What `ogptui publish` needs to know about each member without exporting it: a digest of its records.

A member's digest covers every row a member bundle would carry for it (the member row, its child tables,
its commitment pages, the documents its resources link, their sections, attachment links, attachment rows
and the files' text), in a fixed order, so it changes exactly when the data a client would import changes.
It leaves out the bookkeeping that moves on every sync without the data moving (`http_state`: when a page
was last checked, its validators) and what is derived (the search rows). Publish compares it with the
previous index to reuse a member's part instead of exporting it again. All SQL here; no Textual.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ogptui.store.rows import CHILD_TABLES


@dataclass
class MemberDigest:
    slug: str
    name: str
    fetched_at: str | None
    digest: str  # sha256 hex of the member's records
    files: list[tuple[str, str, int]] = field(default_factory=list)  # (relative path, sha256, size) on record


def _rows(conn: Any, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in conn.execute(sql, list(params)).fetchall()]


def _table_exists(conn: Any, name: str) -> bool:
    return (
        conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name]).fetchone()
        is not None
    )


def member_digests(conn: Any, slugs: Sequence[str] | None = None) -> list[MemberDigest]:
    """One MemberDigest per member (`slugs` or all), ordered by slug. `conn`: the cache's connection."""
    wanted = (
        list(slugs)
        if slugs is not None
        else [r[0] for r in conn.execute("SELECT slug FROM members ORDER BY slug")]
    )
    documents = _table_exists(conn, "documents")
    out = []
    for slug in sorted(set(wanted)):
        head = conn.execute("SELECT name, fetched_at FROM members WHERE slug = ?", [slug]).fetchone()
        if head is None:
            continue
        h = hashlib.sha256()

        def feed(label: str, rows: list[tuple[Any, ...]], h: Any = h) -> None:
            h.update(label.encode())
            for row in rows:
                h.update(json.dumps(row, default=str, ensure_ascii=False).encode("utf-8"))
                h.update(b"\n")

        feed("members", _rows(conn, "SELECT * FROM members WHERE slug = ?", [slug]))
        for t in CHILD_TABLES:
            feed(t, _rows(conn, f"SELECT * FROM {t} WHERE member_slug = ? ORDER BY position", [slug]))
        feed(
            "details",
            _rows(conn, "SELECT * FROM commitment_details WHERE member_slug = ? ORDER BY id", [slug]),
        )
        if _table_exists(conn, "translations"):  # its pages in other languages (cache schema 6)
            other = _rows(
                conn,
                "SELECT kind, key, language, record_hash, fetched_at FROM translations WHERE member_slug = ? "
                "ORDER BY kind, key, language",
                [slug],
            )
            if other:  # (a member without any keeps the digest it had before schema 6: nothing republished)
                feed("translations", other)
        files: list[tuple[str, str, int]] = []
        if documents:
            linked = "SELECT DISTINCT document FROM resources WHERE member_slug = ? AND document IS NOT NULL"
            feed(
                "documents",
                _rows(conn, f"SELECT * FROM documents WHERE slug IN ({linked}) ORDER BY slug", [slug]),
            )
            feed(
                "sections",
                _rows(
                    conn,
                    f"SELECT * FROM document_sections WHERE document_slug IN ({linked}) "
                    "ORDER BY document_slug, position",
                    [slug],
                ),
            )
            links = f"SELECT url FROM document_attachments WHERE document_slug IN ({linked})"
            feed(
                "links",
                _rows(
                    conn,
                    f"SELECT * FROM document_attachments WHERE document_slug IN ({linked}) "
                    "ORDER BY document_slug, position",
                    [slug],
                ),
            )
            attachments = _rows(
                conn, f"SELECT * FROM attachments WHERE url IN ({links}) ORDER BY url", [slug]
            )
            feed("attachments", attachments)
            feed(
                "pages",
                _rows(
                    conn,
                    "SELECT * FROM attachment_pages WHERE sha256 IN "
                    f"(SELECT sha256 FROM attachments WHERE url IN ({links})) ORDER BY sha256, page",
                    [slug],
                ),
            )
            files = [
                (r[0], r[1], int(r[2] or 0))
                for r in conn.execute(
                    "SELECT path, sha256, max(COALESCE(size, 0)) FROM attachments "
                    f"WHERE url IN ({links}) AND path IS NOT NULL AND sha256 IS NOT NULL "
                    "GROUP BY path ORDER BY path",
                    [slug],
                )
            ]
        out.append(
            MemberDigest(slug=slug, name=head[0], fetched_at=head[1], digest=h.hexdigest(), files=files)
        )
    return out


__all__ = ["MemberDigest", "member_digests"]
