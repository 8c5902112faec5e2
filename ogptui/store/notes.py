"""The SQL of the user's own layer: notes and bookmarks in user.db, and the cache look-ups that say what a
note's target is (its title, its member, whether the site still lists it).

Every write is one `BEGIN IMMEDIATE` transaction on user.db (`Store._user_write`, which also makes the
daily backup first), so a killed process leaves the old note or the new one, never half of one. A save
names the revision it read (`expected_rev`): when another process saved the same note in between, the save
raises `NoteConflict` with what is stored now instead of overwriting it; the caller asks the person.
Notes are searched through their own FTS5 index (`notes_fts`, schema user v2). Target keys are built and
parsed in `ogptui.notes`; here they are opaque strings.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ogptui.model import Bookmark, Note, clean_record

if TYPE_CHECKING:
    from ogptui.store.store import Store

ANY_REV = -1  # `expected_rev` of a save that replaces whatever is stored (the person said so)
_NOTE_COLUMNS = "id, target, kind, member_slug, title, text, created_at, updated_at, rev, copy, origin"


class NoteConflict(Exception):
    """The note changed since it was read (`current`: what is stored now, None if it was deleted)."""

    def __init__(self, target: str, current: Note | None):
        what = "deleted" if current is None else f"saved at {current.updated_at}"
        super().__init__(f"the note of {target} was {what} by another window or command since you opened it")
        self.target = target
        self.current = current


def _note(r: dict[str, Any]) -> Note:
    return Note(
        target=r["target"],
        kind=r["kind"],
        member_slug=r["member_slug"],
        title=r["title"],
        text=r["text"],
        created_at=r["created_at"],
        updated_at=r["updated_at"],
        rev=r["rev"],
        copy=r["copy"],
        origin=r["origin"],
        id=r["id"],
    )


def _bookmark(r: dict[str, Any]) -> Bookmark:
    return Bookmark(r["target"], r["kind"], r["member_slug"], r["title"], r["url"], r["created_at"])


class UserNotes:
    """Notes and bookmarks of one Store (`store.notes`). Reads answer empty without a readable user.db."""

    def __init__(self, store: Store):
        self.store = store

    # ---- reading ------------------------------------------------------------------------------
    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        user = self.store.user
        if user is None:
            return []
        return list(user.query(sql, params))

    def note(self, target: str, copy: int = 0) -> Note | None:
        rows = self._query(f"SELECT {_NOTE_COLUMNS} FROM notes WHERE target = ? AND copy = ?", [target, copy])
        return _note(rows[0]) if rows else None

    def notes_of(self, target: str) -> list[Note]:
        """The note of `target` and its conflict copies (copy 0 first)."""
        sql = f"SELECT {_NOTE_COLUMNS} FROM notes WHERE target = ? ORDER BY copy"
        return [_note(r) for r in self._query(sql, [target])]

    def notes(self, member: str | None = None) -> list[Note]:
        """Every note (of one member's targets with `member`), by member, then target, then copy."""
        where, params = ("WHERE member_slug = ?", [member]) if member else ("", [])
        sql = (
            f"SELECT {_NOTE_COLUMNS} FROM notes {where} "
            "ORDER BY COALESCE(member_slug, '~'), target COLLATE NOCASE, copy"
        )
        return [_note(r) for r in self._query(sql, params)]

    def bookmark(self, target: str) -> Bookmark | None:
        rows = self._query("SELECT * FROM bookmarks WHERE target = ?", [target])
        return _bookmark(rows[0]) if rows else None

    def bookmarks(self, member: str | None = None) -> list[Bookmark]:
        where, params = ("WHERE member_slug = ?", [member]) if member else ("", [])
        sql = f"SELECT * FROM bookmarks {where} ORDER BY COALESCE(member_slug, '~'), target COLLATE NOCASE"
        return [_bookmark(r) for r in self._query(sql, params)]

    def marks(self, targets: Iterable[str]) -> dict[str, tuple[bool, bool]]:
        """{target: (has a note, is bookmarked)} for the targets that have either (the row marks)."""
        keys = sorted(set(targets))
        out: dict[str, tuple[bool, bool]] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            marks = ", ".join("?" * len(chunk))
            noted = {
                r["target"] for r in self._query(f"SELECT target FROM notes WHERE target IN ({marks})", chunk)
            }
            booked = {
                r["target"]
                for r in self._query(f"SELECT target FROM bookmarks WHERE target IN ({marks})", chunk)
            }
            for k in noted | booked:
                out[k] = (k in noted, k in booked)
        return out

    def counts(self) -> dict[str, int]:
        if self.store.user is None:
            return {"notes": 0, "bookmarks": 0}
        u = self.store.user
        return {
            "notes": int(u.execute("SELECT count(*) FROM notes").fetchone()[0]),
            "bookmarks": int(u.execute("SELECT count(*) FROM bookmarks").fetchone()[0]),
        }

    def search(self, match: str, limit: int, member: str | None = None) -> list[tuple[Note, float]]:
        """(note, bm25) of the best matches of an FTS5 MATCH expression over title and text.

        The ranking reads only the index (rowid and bm25) and is exact over every match, however broad the
        query (as the cache's search since issue 19: a window of the first matches could leave out the best
        one); the notes themselves are read for the best `limit` only. bm25 over 2,000 matching notes takes
        7-12 ms, far more notes than a person writes."""
        where = "notes_fts MATCH ?" + (
            " AND rowid IN (SELECT id FROM notes WHERE member_slug = ?)" if member else ""
        )
        params: list[Any] = [match, *([member] if member else [])]
        ranked = self._query(
            f"SELECT rowid AS id, bm25(notes_fts, 5.0, 1.0) AS r FROM notes_fts WHERE {where} ORDER BY r LIMIT ?",
            [*params, limit],
        )
        if not ranked:
            return []
        marks = ", ".join("?" * len(ranked))
        rows = {
            r["id"]: r
            for r in self._query(
                f"SELECT {_NOTE_COLUMNS} FROM notes WHERE id IN ({marks})", [r["id"] for r in ranked]
            )
        }
        return [(_note(rows[r["id"]]), float(r["r"])) for r in ranked if r["id"] in rows]

    # ---- writing: each call one transaction -----------------------------------------------------
    def save(self, note: Note, expected_rev: int | None, now: str) -> Note:
        """Write the note of `note.target` (copy 0). `expected_rev`: the revision read before editing
        (None: there was no note), or ANY_REV to replace whatever is there. Raises NoteConflict when the
        stored note is not the one read. Returns the note as stored."""
        clean_record(note)
        if not note.text:
            raise ValueError("a note cannot be empty")
        with self.store._user_write() as u:
            rows = list(
                u.query(f"SELECT {_NOTE_COLUMNS} FROM notes WHERE target = ? AND copy = 0", [note.target])
            )
            current = _note(rows[0]) if rows else None
            if expected_rev != ANY_REV and (current.rev if current else None) != expected_rev:
                raise NoteConflict(note.target, current)
            if current is None:
                u.execute(
                    "INSERT INTO notes (target, kind, member_slug, title, text, created_at, updated_at, rev, "
                    "copy, origin) VALUES (?, ?, ?, ?, ?, ?, ?, 1, 0, ?)",
                    [note.target, note.kind, note.member_slug, note.title, note.text,
                     note.created_at or now, now, note.origin],
                )  # fmt: skip
            elif current.text != note.text or current.title != note.title:
                u.execute(
                    "UPDATE notes SET text = ?, title = ?, kind = ?, member_slug = ?, updated_at = ?, "
                    "rev = rev + 1 WHERE id = ?",
                    [note.text, note.title, note.kind, note.member_slug, now, current.id],
                )
            rows = list(
                u.query(f"SELECT {_NOTE_COLUMNS} FROM notes WHERE target = ? AND copy = 0", [note.target])
            )
        return _note(rows[0])

    def add_copy(self, note: Note, origin: str, now: str) -> Note:
        """Keep `note`'s text as a conflict copy beside the note of its target (never replacing it)."""
        clean_record(note)
        if not note.text:
            raise ValueError("a note cannot be empty")
        with self.store._user_write() as u:
            self._insert_copy(u, note, origin, now)
            rows = list(
                u.query(
                    f"SELECT {_NOTE_COLUMNS} FROM notes WHERE target = ? ORDER BY copy DESC LIMIT 1",
                    [note.target],
                )
            )
        return _note(rows[0])

    @staticmethod
    def _insert_copy(u: Any, note: Note, origin: str, now: str) -> None:
        nxt = u.execute(
            "SELECT COALESCE(max(copy), 0) + 1 FROM notes WHERE target = ?", [note.target]
        ).fetchone()[0]
        u.execute(
            "INSERT INTO notes (target, kind, member_slug, title, text, created_at, updated_at, rev, copy, origin) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
            [note.target, note.kind, note.member_slug, note.title, note.text, note.created_at or now,
             note.updated_at or now, nxt, origin],
        )  # fmt: skip

    def delete(self, target: str, copy: int | None = 0) -> int:
        """Delete the note (copy 0), one conflict copy, or with `copy=None` the note and all its copies."""
        with self.store._user_write() as u:
            if copy is None:
                cur = u.execute("DELETE FROM notes WHERE target = ?", [target])
            else:
                cur = u.execute("DELETE FROM notes WHERE target = ? AND copy = ?", [target, copy])
            return int(cur.rowcount)

    def drop_copies(self, target: str) -> int:
        """Delete the conflict copies of a target, keeping its note."""
        with self.store._user_write() as u:
            return int(u.execute("DELETE FROM notes WHERE target = ? AND copy > 0", [target]).rowcount)

    def add_bookmark(self, bookmark: Bookmark, now: str) -> bool:
        """True if added, False if it was already there."""
        clean_record(bookmark)
        with self.store._user_write() as u:
            cur = u.execute(
                "INSERT OR IGNORE INTO bookmarks (target, kind, member_slug, title, url, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [bookmark.target, bookmark.kind, bookmark.member_slug, bookmark.title, bookmark.url,
                 bookmark.created_at or now],
            )  # fmt: skip
            return cur.rowcount == 1

    def remove_bookmark(self, target: str) -> bool:
        with self.store._user_write() as u:
            return u.execute("DELETE FROM bookmarks WHERE target = ?", [target]).rowcount == 1

    def merge(
        self, notes: Sequence[Note], bookmarks: Sequence[Bookmark], origin: str, now: str
    ) -> dict[str, int]:
        """Merge notes and bookmarks from elsewhere (an export file, a bundle) in ONE transaction.

        Per target: no note here → added; the same text as the note or one of its copies → nothing;
        a different text → both kept: the newer (by updated time) becomes the note and the other a
        conflict copy marked with `origin`. Bookmarks are added when missing. Never a silent overwrite.
        """
        counts = {"added": 0, "same": 0, "conflicts": 0, "bookmarks": 0}
        for n in notes:
            clean_record(n)
        with self.store._user_write() as u:
            for n in notes:
                if not n.text:
                    continue
                texts = {r[0] for r in u.execute("SELECT text FROM notes WHERE target = ?", [n.target])}
                if n.text in texts:
                    counts["same"] += 1
                    continue
                rows = list(
                    u.query(f"SELECT {_NOTE_COLUMNS} FROM notes WHERE target = ? AND copy = 0", [n.target])
                )
                if not rows:
                    u.execute(
                        "INSERT INTO notes (target, kind, member_slug, title, text, created_at, updated_at, rev, "
                        "copy, origin) VALUES (?, ?, ?, ?, ?, ?, ?, 1, 0, NULL)",
                        [n.target, n.kind, n.member_slug, n.title, n.text, n.created_at or now,
                         n.updated_at or now],
                    )  # fmt: skip
                    counts["added"] += 1
                    continue
                here = _note(rows[0])
                counts["conflicts"] += 1
                if (n.updated_at or "") > (here.updated_at or ""):
                    # the incoming text is newer: it becomes the note, ours is kept as a copy
                    self._insert_copy(u, here, f"kept when {origin} brought a newer text", now)
                    u.execute(
                        "UPDATE notes SET text = ?, title = COALESCE(?, title), updated_at = ?, rev = rev + 1 "
                        "WHERE id = ?",
                        [n.text, n.title, n.updated_at or now, here.id],
                    )
                else:
                    self._insert_copy(u, n, origin, now)
            for b in bookmarks:
                clean_record(b)
                cur = u.execute(
                    "INSERT OR IGNORE INTO bookmarks (target, kind, member_slug, title, url, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    [b.target, b.kind, b.member_slug, b.title, b.url, b.created_at or now],
                )
                counts["bookmarks"] += cur.rowcount
        return counts


# ---- the cache side: what a target is -------------------------------------------------------------
def member_row(store: Store, slug: str) -> dict[str, Any] | None:
    rows = list(store.cache.query("SELECT slug, name, gone_at, embedded FROM members WHERE slug = ?", [slug]))
    return rows[0] if rows else None


def commitment_row(store: Store, slug: str, cid: str) -> dict[str, Any] | None:
    sql = (
        "SELECT member_slug, id, title, url FROM commitments WHERE member_slug = ? AND upper(id) = ? LIMIT 1"
    )
    rows = list(store.cache.query(sql, [slug, cid.upper()]))
    return rows[0] if rows else None


def resource_rows(
    store: Store, *, url: str | None = None, doc_slug: str | None = None
) -> list[dict[str, Any]]:
    """Resources whose link is `url`, or whose link is the document page `/documents/<doc_slug>/`."""
    if url is not None:
        sql = "SELECT member_slug, position, title, url FROM resources WHERE url = ? ORDER BY member_slug, position"
        return list(store.cache.query(sql, [url]))
    sql = (
        "SELECT member_slug, position, title, url FROM resources "
        "WHERE instr(url || '/', '/documents/' || ? || '/') > 0 ORDER BY member_slug, position"
    )
    return list(store.cache.query(sql, [doc_slug or ""]))


def contact_rows(
    store: Store, *, email: str | None = None, member: str | None = None
) -> list[dict[str, Any]]:
    """Contacts with this email (any member), or all contacts of `member`."""
    if email is not None:
        sql = "SELECT member_slug, position, name, email FROM contacts WHERE lower(email) = ? ORDER BY member_slug"
        return list(store.cache.query(sql, [email.lower()]))
    sql = "SELECT member_slug, position, name, email FROM contacts WHERE member_slug = ? ORDER BY position"
    return list(store.cache.query(sql, [member]))


def member_names(store: Store, slugs: Iterable[str]) -> dict[str, str]:
    keys = sorted({s for s in slugs if s})
    out: dict[str, str] = {}
    for i in range(0, len(keys), 500):
        chunk = keys[i : i + 500]
        marks = ", ".join("?" * len(chunk))
        for r in store.cache.query(f"SELECT slug, name FROM members WHERE slug IN ({marks})", chunk):
            out[r["slug"]] = r["name"]
    return out
