"""Search documents (`search_docs`, indexed by FTS5 through triggers): which rows a member gives, and the
rebuild of the whole index from the stored records.

What a member's documents hold comes from the record declarations (`model.py`, each field's `search`
metadata) through `rows.search_rows`. Documents (kind `document`) have their own rows, written with the
document (`store.documents`): the member-side functions here leave them alone.
"""

from __future__ import annotations

from typing import Any

from ogptui.model import Member
from ogptui.store import translations
from ogptui.store.db import Database
from ogptui.store.rows import CHILD_TABLES, member_from_rows, search_rows


def load_member(db: Database, slug: str) -> Member | None:
    """A member with its children, as stored (no commitment-page details)."""
    rows = list(db.query("SELECT * FROM members WHERE slug = ?", [slug]))
    if not rows:
        return None
    children = {
        t: list(db.query(f"SELECT * FROM {t} WHERE member_slug = ? ORDER BY position", [slug]))
        for t in CHILD_TABLES
    }
    return member_from_rows(rows[0], children)


def commitment_details(db: Database, member: Member) -> dict[str, dict[str, Any]]:
    """Stored commitment-page details of a member's commitments, keyed by upper-case ID (for the index)."""
    ids = sorted({c.id.upper() for c in member.commitments})
    out: dict[str, dict[str, Any]] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ", ".join("?" * len(chunk))
        for r in db.query(f"SELECT * FROM commitment_details WHERE id IN ({marks})", chunk):
            out[r["id"]] = r
    return out


def member_docs(db: Database, member: Member) -> list[dict[str, Any]]:
    """The search rows of one member (itself and every list its page shows)."""
    return search_rows(member, commitment_details(db, member))


def replace_member_docs(db: Database, member: Member | str) -> None:
    """Replace a member's search rows (not its documents'), in every language it is cached in; inside the
    caller's transaction. A `member` record given must be its primary one (else give the slug)."""
    slug = member if isinstance(member, str) else member.slug
    db.execute("DELETE FROM search_docs WHERE member_slug = ? AND kind != 'document'", [slug])
    loaded = load_member(db, member) if isinstance(member, str) else member
    if loaded is not None:
        db.insert("search_docs", member_docs(db, loaded))
        if more := translations.search_docs(db, slug):
            db.insert("search_docs", more)


def rebuild_search_docs(db: Database, *, translated: bool = True) -> int:
    """Rebuild every member-side search row from the stored records (inside the caller's transaction);
    documents' rows stay. Returns the number of rows written."""
    db.execute("DELETE FROM search_docs WHERE kind != 'document'")
    n = 0
    for (slug,) in db.execute("SELECT slug FROM members ORDER BY slug").fetchall():
        member = load_member(db, slug)
        if member is not None:
            n += db.insert("search_docs", member_docs(db, member))
            if translated and (more := translations.search_docs(db, slug)):
                n += db.insert("search_docs", more)
    return n
