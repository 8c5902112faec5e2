"""A record in more than one language (issue 17): the `translations` table (cache schema 6).

The member and commitment tables hold each record in its *primary* language: the language its first page
was synced in (the embedded sample: English). A page synced in another language is kept here, one row per
(kind, key, language), as the same table rows the primary record has (`{"row": …, "children": {…}}`), so
one codec (`store.rows`) reads both and nothing is declared twice. Search rows of a translation carry its
`language` (the primary's rows have NULL), so a search finds words in every cached language.
"""

from __future__ import annotations

import json
from typing import Any

from ogptui.model import Commitment, Member
from ogptui.store.db import Database
from ogptui.store.rows import (
    apply_detail,
    child_rows,
    commitment_search_row,
    member_from_rows,
    member_row,
    search_rows,
)

DEFAULT_LANGUAGE = "en"  # a record without a language (older caches) is English: the site's own


def lang_of(value: str | None) -> str:
    return value or DEFAULT_LANGUAGE


def member_language(db: Database, slug: str | None) -> str | None:
    """The primary language of a cached member; None when it is not cached."""
    row = db.execute("SELECT language FROM members WHERE slug = ?", [slug]).fetchone()
    return lang_of(row[0]) if row else None


def _encode_member(m: Member) -> str:
    return json.dumps({"row": member_row(m), "children": child_rows(m)}, ensure_ascii=False)


def _decode_member(text: str) -> Member | None:
    try:
        data = json.loads(text)
        return member_from_rows(data["row"], data["children"])
    except (ValueError, TypeError, KeyError, RecursionError):
        return None  # a damaged row reads as "not cached in that language"; the next sync replaces it


def get_member(db: Database, slug: str, language: str) -> Member | None:
    row = db.execute(
        "SELECT record FROM translations WHERE kind = 'member' AND key = ? AND language = ?", [slug, language]
    ).fetchone()
    return _decode_member(row[0]) if row else None


def put_member(db: Database, m: Member, record_hash: str) -> Member | None:
    """Store `m` as a translation; returns the translation it replaced (None: new). In the caller's
    transaction."""
    language = lang_of(m.language)
    old = get_member(db, m.slug, language)
    db.execute(
        "INSERT OR REPLACE INTO translations (kind, key, language, member_slug, record, record_hash, fetched_at) "
        "VALUES ('member', ?, ?, ?, ?, ?, ?)",
        [m.slug, language, m.slug, _encode_member(m), record_hash, m.fetched_at],
    )
    return old


def member_hash(db: Database, slug: str, language: str) -> str | None:
    row = db.execute(
        "SELECT record_hash FROM translations WHERE kind = 'member' AND key = ? AND language = ?",
        [slug, language],
    ).fetchone()
    return row[0] if row else None


def languages(db: Database, slug: str) -> list[str]:
    """Every language a member is cached in, its primary language first."""
    primary = member_language(db, slug)
    if primary is None:
        return []
    rows = db.execute(
        "SELECT language FROM translations WHERE kind = 'member' AND key = ? ORDER BY language", [slug]
    ).fetchall()
    return [primary, *(r[0] for r in rows if r[0] != primary)]


def put_detail(db: Database, row: dict[str, Any], language: str) -> bool:
    """Store a commitment page's detail row as a translation; True when it is new or changed."""
    old = db.execute(
        "SELECT record_hash FROM translations WHERE kind = 'commitment' AND key = ? AND language = ?",
        [row["id"], language],
    ).fetchone()
    if old is not None and old[0] == row["record_hash"]:
        return False
    db.execute(
        "INSERT OR REPLACE INTO translations (kind, key, language, member_slug, record, record_hash, fetched_at) "
        "VALUES ('commitment', ?, ?, ?, ?, ?, ?)",
        [
            row["id"],
            language,
            row.get("member_slug") or "",
            json.dumps(row, ensure_ascii=False),
            row["record_hash"],
            row.get("fetched_at"),
        ],  # fmt: skip
    )
    return True


def detail_rows(db: Database, ids: list[str], language: str) -> dict[str, dict[str, Any]]:
    """Translated commitment detail rows of `ids` (upper case) in `language`, by ID."""
    out: dict[str, dict[str, Any]] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ", ".join("?" * len(chunk))
        sql = f"SELECT key, record FROM translations WHERE kind = 'commitment' AND language = ? AND key IN ({marks})"
        for key, record in db.execute(sql, [language, *chunk]).fetchall():
            try:
                out[key] = json.loads(record)
            except (ValueError, RecursionError):
                continue
    return out


def with_details(db: Database, m: Member, primary: dict[str, dict[str, Any]]) -> Member:
    """A translated member's commitments with their page details in its language (else the primary's)."""
    ids = sorted({c.id.upper() for c in m.commitments})
    own = detail_rows(db, ids, lang_of(m.language)) if ids else {}
    for c in m.commitments:
        row = own.get(c.id.upper()) or primary.get(c.id.upper())
        if row is not None:
            apply_detail(c, row)
    return m


def search_docs(db: Database, slug: str) -> list[dict[str, Any]]:
    """The search rows of every translation of a member, each with its `language`."""
    out: list[dict[str, Any]] = []
    rows = db.execute(
        "SELECT language, record FROM translations WHERE kind = 'member' AND key = ? ORDER BY language",
        [slug],
    ).fetchall()
    for language, record in rows:
        m = _decode_member(record)
        if m is None:
            continue
        ids = sorted({c.id.upper() for c in m.commitments})
        details = detail_rows(db, ids, language) if ids else {}
        out += [{**r, "language": language} for r in search_rows(m, details)]
    return out


def reindex_detail(db: Database, slug: str | None, row: dict[str, Any], language: str) -> None:
    """Refresh the search row of a commitment in one translated member (after its page was stored)."""
    if not slug:
        return
    m = get_member(db, slug, language)
    if m is None:
        return
    for c in m.commitments:
        if c.id.upper() == row["id"]:
            new = commitment_search_row(slug, Commitment(c.id, c.title, c.year, c.policy_area, c.url), row)
            sets = ", ".join(f"{k} = ?" for k in new)
            db.execute(
                f"UPDATE search_docs SET {sets} WHERE member_slug = ? AND kind = 'commitment' AND ref = ? "
                "AND language = ?",
                [*new.values(), slug, c.id, language],
            )


def times(db: Database) -> dict[tuple[str, str, str], str | None]:
    """{(kind, key, language): fetched_at} of every translation (what a bundle import compares against)."""
    return {(r[0], r[1], r[2]): r[3] for r in db.execute("SELECT kind, key, language, fetched_at FROM translations")}
