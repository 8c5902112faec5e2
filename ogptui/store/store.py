"""The Store: cache.db (rebuildable from the network) and user.db (the user's own: never rebuilt).

One Store object belongs to one thread (sqlite connections are not shared); open another per worker.
Every member is written with all its children and its http_state row in one `BEGIN IMMEDIATE`
transaction, so readers never see half a member and a reader never makes the writer fail busy.

Why this module is over 400 lines: it is the one facade every other layer talks to (each of its methods is
a few lines of SQL with the transaction it needs). What is not the facade lives beside it: opening and
read-only handling (`opening.py`), rows and search documents (`rows.py`), the FTS index (`fts.py`), bundle
snapshots (`snapshot.py`), migrations (`schema.py`), connections (`db.py`).
"""

from __future__ import annotations

import contextlib
import difflib
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ogptui import config
from ogptui.clean import clean_text
from ogptui.model import Commitment, CommitmentPage, Member, clean_record, stable_hash
from ogptui.store import backup, docs, opening, translations
from ogptui.store import db as dbmod
from ogptui.store.db import Database
from ogptui.store.documents import DocumentStore
from ogptui.store.fts import SearchIndex
from ogptui.store.notes import UserNotes
from ogptui.store.opening import can_write
from ogptui.store.rows import (
    CHILD_TABLES,
    Change,
    apply_detail,
    child_rows,
    commitment_search_row,
    detail_row,
    diff_members,
    member_row,
)
from ogptui.store.translations import lang_of
from ogptui.urls import slug_problem

DATA_TABLES = ("members", *CHILD_TABLES, "commitment_details")


def utcnow() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def utcnow_ms() -> str:
    """UTC time with milliseconds, for times compared to resume a sync (`sync_runs.started_at`,
    `http_state.checked_at`). Compare them parsed (`timefmt.parse_iso`): older rows hold whole seconds."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class WriteResult:
    written: bool
    rows: int = 0
    changes: list[Change] = field(default_factory=list)


@dataclass
class MemberSummary:
    slug: str
    name: str
    level: str | None
    member_since: int | None
    action_plan: int | None
    commitment_count: int
    resource_count: int
    fetched_at: str | None
    checked_at: str | None
    last_error: str | None
    failures: int
    gone_at: str | None
    embedded: bool
    captured_at: str | None
    watched: bool
    confirmed_at: str | None = None  # the last check that confirmed the data (a fetch or a 304)
    plan_commitment_count: int | None = None  # what the page says the current plan has (may be unlisted)


@dataclass
class Freshness:
    """How fresh a member's data is: what `timefmt.freshness_text` puts in words.

    `fetched_at` is the last successful fetch of the member page; `confirmed_at` the last check that
    confirmed the stored data (a fetch or a `304 Not Modified`); `checked_at` the last check of any
    outcome, `last_error`/`failures` what the last one(s) gave. A failed check confirms nothing."""

    fetched_at: str | None
    checked_at: str | None
    last_error: str | None
    failures: int
    gone_at: str | None
    embedded: bool
    captured_at: str | None
    confirmed_at: str | None = None


@dataclass
class ChangeRow:
    run_id: int | None
    at: str
    member_slug: str | None
    member_name: str | None
    action: str
    kind: str
    key: str | None
    summary: str | None


@dataclass
class SyncRun:
    id: int
    started_at: str
    finished_at: str | None
    outcome: str
    summary: str | None
    source: str | None
    counters: dict[str, Any]


class Store(DocumentStore):
    def __init__(
        self,
        paths: config.Paths | None = None,
        *,
        writable: Callable[[Path], bool] | None = None,
    ):
        self.paths = config.ensure_home(paths)
        self.notices: list[str] = []
        self._depth = 0  # nesting of `transaction()` on cache.db
        self._seeding = False
        self._search_index: SearchIndex | None = None
        self._notes: UserNotes | None = None
        self._closed = False
        self.readonly = not (writable or can_write)(self.paths.cache_db)
        self.cache = (
            opening.open_cache_readonly(self.paths, self.notices)
            if self.readonly
            else opening.open_cache(self.paths, self.notices)
        )
        self.user: Database | None = opening.open_user(self.paths, self.notices, readonly=self.readonly)

    def fill_if_empty(self, load: Callable[[Store], object]) -> bool:
        """Call `load(self)` when the cache holds no member (the app's opener, `ogptui.seed`, passes the
        embedded sample's loader: the store itself never parses). Its writes are allowed even when the data
        folder is read-only: they go to an in-memory cache (a copy, when there is a cache file without any
        member: a read-only file cannot take them). Whether it was called."""
        if self.cache.execute("SELECT 1 FROM members LIMIT 1").fetchone() is not None:
            return False
        if self.readonly and self.cache.readonly:
            self.cache = opening.upgraded_copy(self.cache)
            self._search_index = None
        self._seeding = True
        try:
            load(self)
        finally:
            self._seeding = False
        return True

    @property
    def search_index(self) -> SearchIndex:
        """The full-text index of cache.db (the SQL of `ogptui.search`)."""
        if self._search_index is None:
            self._search_index = SearchIndex(self.cache)
        return self._search_index

    def close(self) -> None:
        """Close both databases; a writable cache closed this way needs no `quick_check` at the next start
        (see `opening.mark_clean`)."""
        self.cache.close()
        if self.user is not None:
            self.user.close()
        if not self.readonly and not self._closed:
            self._closed = True
            opening.mark_clean(self.paths.cache_db)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check_writable(self) -> None:
        if self.readonly and not self._seeding:
            raise dbmod.ReadOnlyStore(
                f"cannot change anything: the data folder {self.paths.home} is read-only; make it writable "
                "or point OGPTUI_HOME at another folder"
            )

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Database]:
        """One immediate transaction on cache.db: takes the write lock up front (busy_timeout waits for it).

        Re-entrant: the store's own writes inside an outer `transaction()` join it, so a caller (a bundle
        import) can make many writes all-or-nothing.
        """
        self._check_writable()
        db = self.cache
        if self._depth:
            self._depth += 1
            try:
                yield db
            finally:
                self._depth -= 1
            return
        db.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield db
        except BaseException:
            self._depth = 0
            db.execute("ROLLBACK")
            raise
        self._depth = 0
        db.execute("COMMIT")

    _write = transaction

    @property
    def notes(self) -> UserNotes:
        """The user's notes and bookmarks in user.db (`ogptui/store/notes.py`)."""
        if self._notes is None:
            self._notes = UserNotes(self)
        return self._notes

    @contextlib.contextmanager
    def _user_write(self) -> Iterator[Database]:
        """One immediate transaction on user.db, after today's backup (made once a day, before the first
        write; a backup that cannot be made is a notice, not a lost write)."""
        if self.user is None:
            raise dbmod.StoreError(
                f"the watchlist file {self.paths.user_db} cannot be read (it holds your watchlist, notes and "
                "bookmarks); it is left untouched: run `ogptui restore-notes` to put back the newest good backup, "
                "or repair or move it"
            )
        self._check_writable()
        u = self.user
        try:
            backup.daily(u, self.paths.user_db)  # a look at the file's name when today's backup exists
        except (OSError, sqlite3.Error) as e:
            self.notices.append(f"today's backup of {self.paths.user_db} could not be made ({e})")
        u.execute("BEGIN IMMEDIATE")
        try:
            yield u
        except BaseException:
            u.execute("ROLLBACK")
            raise
        u.execute("COMMIT")

    # ---- writing -------------------------------------------------------------------------------
    def write_member(
        self,
        member: Member,
        *,
        http: dict[str, Any] | None = None,
        run_id: int | None = None,
        embedded: bool = False,
        captured_at: str | None = None,
        gone_at: str | None = None,
        force: bool = False,
        reindex: bool = True,
    ) -> WriteResult:
        """Store a parsed member if its record changed; always refresh its http_state row. One transaction.

        Every value is cleaned first (`clean_record`): the parser already did, but this is the one door every
        record passes, whatever brought it (a page, a bundle, a mirror). A bundle import passes `force` (its
        copy is newer, so even an identical record is taken with its fetch time), its `gone_at`, and
        `reindex=False` when it rebuilds the search rows itself once the commitment pages are in.
        """
        clean_record(member)
        if why := slug_problem(member.slug):  # a key the site cannot have (a crafted bundle) is never stored
            raise ValueError(f"member slug {member.slug!r} refused: {why}")
        new_hash = member.record_hash()
        now = utcnow()
        with self._write() as db:
            row = db.execute(
                "SELECT record_hash, embedded, gone_at, language FROM members WHERE slug = ?", [member.slug]
            ).fetchone()
            if row is not None and lang_of(row[3]) != lang_of(member.language):
                return self._write_translation(db, member, new_hash, http, run_id, now, force=force)
            changed = (
                force or row is None or row[0] != new_hash or bool(row[1]) != embedded or row[2] != gone_at
            )
            result = WriteResult(written=False)
            if changed:
                old = self._load_member(member.slug) if row is not None else None
                result = WriteResult(
                    written=True,
                    changes=diff_members(old, member) if row is None or row[0] != new_hash else [],
                )
                for t in CHILD_TABLES:
                    db.execute(f"DELETE FROM {t} WHERE member_slug = ?", [member.slug])
                db.upsert(
                    "members",
                    {
                        **member_row(
                            member, embedded=embedded, captured_at=captured_at, record_hash=new_hash
                        ),
                        "gone_at": gone_at,
                    },
                    pk="slug",
                )
                result.rows = 1
                for t, rows in child_rows(member).items():
                    if rows:
                        db.insert(t, rows)
                        result.rows += len(rows)
                if reindex:
                    self.reindex_member(member)
                self._record_changes(db, run_id, member, result.changes, now)
            if http is not None:
                self._upsert_http(
                    db, {**http, "kind": "member", "member_slug": member.slug, "record_hash": new_hash}, now
                )
        return result

    def _write_translation(
        self,
        db: Database,
        member: Member,
        new_hash: str,
        http: dict[str, Any] | None,
        run_id: int | None,
        now: str,
        *,
        force: bool,
    ) -> WriteResult:
        """`write_member` of a page in another language than the member's primary record (see
        `store.translations`): kept beside it, its changes logged and its words indexed. Same transaction."""
        result = WriteResult(written=False)
        if force or translations.member_hash(db, member.slug, lang_of(member.language)) != new_hash:
            old = translations.put_member(db, member, new_hash)
            changes = diff_members(old, member)
            tag = f"[{lang_of(member.language)}] "
            changes = [Change(c.action, c.kind, c.key, tag + c.summary) for c in changes]
            result = WriteResult(written=True, rows=1, changes=changes)
            docs.replace_member_docs(db, member.slug)
            self._record_changes(db, run_id, member, changes, now)
        if http is not None:
            row = {**http, "kind": "translation", "member_slug": member.slug, "record_hash": new_hash}
            self._upsert_http(db, row, now)
        return result

    def write_commitment(
        self,
        page: CommitmentPage,
        member_slug: str | None,
        *,
        http: dict[str, Any] | None = None,
        run_id: int | None = None,
        force: bool = False,
        reindex: bool = True,
    ) -> WriteResult:
        """Store a commitment page's details (keyed by commitment ID) if changed, with its http_state.

        `force` and `reindex` as in `write_member` (a bundle import).
        """
        clean_record(page)
        row = detail_row(page, member_slug)
        new_hash = stable_hash({k: v for k, v in row.items() if k not in ("fetched_at", "warnings")})
        row["record_hash"] = new_hash
        now = utcnow()
        with self._write() as db:
            old = db.execute(
                "SELECT record_hash, language FROM commitment_details WHERE id = ?", [row["id"]]
            ).fetchone()
            result = WriteResult(written=False)
            primary = translations.member_language(db, member_slug) or (lang_of(old[1]) if old else None)
            if primary is not None and primary != lang_of(page.language):
                if translations.put_detail(db, row, lang_of(page.language)) or force:
                    if reindex:
                        translations.reindex_detail(db, member_slug, row, lang_of(page.language))
                    result = WriteResult(written=True, rows=1)
                if http is not None:
                    fields = {**http, "kind": "commitment", "member_slug": member_slug, "record_hash": new_hash}
                    self._upsert_http(db, fields, now)
                return result
            if force or old is None or old[0] != new_hash:
                db.upsert("commitment_details", row, pk="id")
                name = self._member_name(member_slug)
                if reindex:
                    self._reindex_commitment(db, row)
                action = "added" if old is None else "changed"
                ch = Change(
                    action,
                    "commitment",
                    row["id"],
                    f"{name or member_slug}: commitment {row['id']} "
                    + ("details added" if old is None else "updated"),
                )
                result = WriteResult(written=True, rows=1, changes=[ch])
                if old is not None:
                    self._record_changes(db, run_id, None, [ch], now, slug=member_slug, name=name)
            if http is not None:
                self._upsert_http(
                    db,
                    {**http, "kind": "commitment", "member_slug": member_slug, "record_hash": new_hash},
                    now,
                )
        return result

    def reindex_member(self, member: Member | str) -> None:
        """Replace a member's search rows (the FTS index follows by trigger); its documents' rows are theirs.

        Runs inside the caller's transaction: use it only within a write (write_member, a bundle merge).
        """
        docs.replace_member_docs(self.cache, member)

    def _reindex_commitment(self, db: Database, detail: dict[str, Any]) -> None:
        """Refresh the search rows of the commitment a detail row belongs to (same transaction)."""
        sql = """
            SELECT s.id AS doc, c.* FROM search_docs s
            JOIN commitments c ON c.member_slug = s.member_slug AND c.id = s.ref
            WHERE s.ident = ? COLLATE NOCASE AND s.kind = 'commitment' AND s.language IS NULL
        """
        for r in list(db.query(sql, [detail["id"]])):
            c = Commitment(r["id"], r["title"], r["year"], r["policy_area"], r["url"])
            new = commitment_search_row(r["member_slug"], c, detail)
            sets = ", ".join(f"{k} = ?" for k in new)
            db.execute(f"UPDATE search_docs SET {sets} WHERE id = ?", [*new.values(), r["doc"]])

    def note_http(self, url: str, **fields: Any) -> None:
        """Bookkeeping for a URL (not-modified, failure): its own short transaction."""
        with self._write() as db:
            self._upsert_http(db, {**fields}, utcnow(), url=url)

    def _upsert_http(self, db: Database, fields: dict[str, Any], now: str, url: str | None = None) -> None:
        url = url or fields.pop("url")
        fields.pop("url", None)
        fields.setdefault("checked_at", now)
        existing = db.execute("SELECT 1 FROM http_state WHERE url = ?", [url]).fetchone()
        if existing:
            if fields:
                sets = ", ".join(f"{k} = ?" for k in fields)
                db.execute(f"UPDATE http_state SET {sets} WHERE url = ?", [*fields.values(), url])
        else:
            db.insert("http_state", [{"url": url, **fields}])

    def note_checked(self, rows: list[dict[str, Any]]) -> None:
        """Bookkeeping of many URLs found unchanged (304s), in one transaction: each row has `url` and the
        same other columns (a sync batches its 304s: one transaction per batch, not per URL)."""
        if not rows:
            return
        cols = [c for c in rows[0] if c != "url"]
        sets = ", ".join(f"{c} = ?" for c in cols)
        with self._write() as db:
            cur = db.conn.executemany(
                f"UPDATE http_state SET {sets} WHERE url = ?", [[r[c] for c in cols] + [r["url"]] for r in rows]
            )
            if cur.rowcount != len(rows):  # a URL without a row yet (rare: a 304 needs validators from one)
                have = self.http_states([r["url"] for r in rows])
                db.insert("http_state", [r for r in rows if r["url"] not in have])

    def http_states(self, urls: list[str]) -> dict[str, dict[str, Any]]:
        """{url: http_state row} of those of `urls` the cache keeps bookkeeping for (one query per 500)."""
        out: dict[str, dict[str, Any]] = {}
        for i in range(0, len(urls), 500):
            part = urls[i : i + 500]
            q = f"SELECT * FROM http_state WHERE url IN ({', '.join('?' * len(part))})"
            out.update((r["url"], r) for r in self.cache.query(q, part))
        return out

    def record_moved(self, url: str, *, kind: str, member_slug: str | None, moved_to: str) -> None:
        """The site redirects `url` to another member or commitment (`moved_to`, its slug or ID): renamed
        or merged. Only bookkeeping: nothing is stored under the requested key."""
        with self._write() as db:
            row = db.execute("SELECT failures FROM http_state WHERE url = ?", [url]).fetchone()
            self._upsert_http(
                db,
                {
                    "kind": kind,
                    "member_slug": member_slug,
                    "moved_to": moved_to,
                    "failures": (row[0] or 0) + 1 if row else 1,
                    "last_error": f"moved to {moved_to} on the site (renamed or merged)",
                },
                utcnow_ms(),
                url=url,
            )

    def record_not_found(self, url: str, member_slug: str | None, status: int) -> bool:
        """Count a 404/410; the second in a row marks the URL (and its member) gone. Returns gone."""
        now = utcnow()
        with self._write() as db:
            row = db.execute("SELECT not_found FROM http_state WHERE url = ?", [url]).fetchone()
            count = (row[0] if row else 0) + 1
            gone = count >= 2
            self._upsert_http(
                db,
                {
                    "not_found": count,
                    "status": status,
                    "last_error": f"page not found ({status})",
                    "gone_at": now if gone else None,
                    "member_slug": member_slug,
                },
                now,
                url=url,
            )
            if gone and member_slug:
                kind = db.execute("SELECT kind FROM http_state WHERE url = ?", [url]).fetchone()
                if kind and kind[0] == "member":
                    db.execute(
                        "UPDATE members SET gone_at = COALESCE(gone_at, ?) WHERE slug = ?", [now, member_slug]
                    )
        return gone

    def _record_changes(
        self,
        db: Database,
        run_id: int | None,
        member: Member | None,
        changes: list[Change],
        now: str,
        slug: str | None = None,
        name: str | None = None,
    ) -> None:
        if not changes:
            return
        db.insert(
            "changes",
            [
                {
                    "run_id": run_id,
                    "at": now,
                    "member_slug": member.slug if member else slug,
                    "member_name": member.name if member else name,
                    "action": c.action,
                    "kind": c.kind,
                    "key": c.key,
                    "summary": c.summary,
                }
                for c in changes
            ],
        )

    def put_http_state(self, row: dict[str, Any]) -> None:
        """Take a URL's bookkeeping row as given (a bundle's): text cleaned, numbers checked, unknown columns
        dropped. Inside the caller's transaction or its own."""
        known = {r[1]: (r[2] or "").upper() for r in self.cache.execute("PRAGMA table_info(http_state)")}
        clean: dict[str, Any] = {}
        for k, v in row.items():
            if k not in known:
                continue
            if isinstance(v, str):
                v = clean_text(v) or None
            elif isinstance(v, bool) or not isinstance(v, int) or not -(2**63) <= v < 2**63:
                v = None
            if v is None and known[k] == "INTEGER" and k in ("failures", "not_found"):
                v = 0  # NOT NULL counters
            clean[k] = v
        if not clean.get("url"):
            return
        with self._write() as db:
            db.upsert("http_state", clean, pk="url")

    def member_times(self) -> dict[str, str | None]:
        """{slug: fetched_at} of every cached member."""
        return {r[0]: r[1] for r in self.cache.execute("SELECT slug, fetched_at FROM members")}

    def detail_times(self) -> dict[str, str | None]:
        """{commitment ID: fetched_at} of every cached commitment page."""
        return {r[0]: r[1] for r in self.cache.execute("SELECT id, fetched_at FROM commitment_details")}

    def http_times(self) -> dict[str, str | None]:
        """{url: fetched_at} of every URL the cache keeps bookkeeping for."""
        return {r[0]: r[1] for r in self.cache.execute("SELECT url, fetched_at FROM http_state")}

    def snapshot_into(self, path: Path) -> None:
        """A consistent copy of cache.db at `path` (`VACUUM INTO`: safe while a sync writes)."""
        self.cache.execute("VACUUM INTO ?", [str(path)])

    def begin_run(self, source: str, target: str) -> int:
        with self._write() as db:
            cur = db.execute(
                "INSERT INTO sync_runs (started_at, source, target) VALUES (?, ?, ?)",
                [utcnow_ms(), source, target],
            )
            run_id = cur.lastrowid
            assert run_id is not None  # an INSERT sets it
            return run_id

    def finish_run(self, run_id: int, **counters: Any) -> None:
        counters.setdefault("finished_at", utcnow())
        with self._write() as db:
            sets = ", ".join(f"{k} = ?" for k in counters)
            db.execute(f"UPDATE sync_runs SET {sets} WHERE id = ?", [*counters.values(), run_id])

    def run_target(self, run_id: int) -> str | None:
        """What a run was asked to sync ("watchlist", "--all", slugs, "import", "mirror")."""
        row = self.cache.execute("SELECT target FROM sync_runs WHERE id = ?", [run_id]).fetchone()
        return row[0] if row else None

    def run_count(self) -> int:
        """How many runs (syncs, imports, mirror syncs) the run log holds."""
        return int(self.cache.execute("SELECT count(*) FROM sync_runs").fetchone()[0])

    def set_meta(self, key: str, value: str) -> None:
        with self._write() as db:
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [key, value])

    def get_meta(self, key: str) -> str | None:
        row = self.cache.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    # ---- reading -------------------------------------------------------------------------------
    def _member_name(self, slug: str | None) -> str | None:
        row = self.cache.execute("SELECT name FROM members WHERE slug = ?", [slug]).fetchone()
        return row[0] if row else None

    def _load_member(self, slug: str) -> Member | None:
        return docs.load_member(self.cache, slug)

    def get_member(self, slug: str, language: str | None = None) -> Member | None:
        """A member with its children; commitments carry their page details when synced.

        With `language`, the member as synced in that language when it is cached so; otherwise (and without
        `language`) its primary record. The record's own `language` says which one came back, so a screen
        can say "shown in English: not synced in Spanish".
        """
        slug = slug.strip().lower()
        m = self._load_member(slug)
        if m is None:
            return None
        details: dict[str, dict[str, Any]] = {}
        if m.commitments:
            details = {
                r["id"]: r
                for r in self.cache.query(
                    "SELECT d.* FROM commitment_details d JOIN commitments c ON c.id = d.id WHERE c.member_slug = ?",
                    [slug],
                )
            }
        if language and lang_of(m.language) != language:
            other = translations.get_member(self.cache, slug, language)
            if other is not None:
                return translations.with_details(self.cache, other, details)
        for c in m.commitments:
            if c.id.upper() in details:
                apply_detail(c, details[c.id.upper()])
        return m

    def member_languages(self, slug: str) -> list[str]:
        """The languages a member is cached in, its primary record's first ([] when not cached)."""
        return translations.languages(self.cache, slug.strip().lower())

    def translation_times(self) -> dict[tuple[str, str, str], str | None]:
        """{(kind, key, language): fetched_at} of every record kept in another language."""
        return translations.times(self.cache)

    def member_language(self, slug: str) -> str | None:
        """The language of a member's primary record (None when it is not cached)."""
        return translations.member_language(self.cache, slug.strip().lower())

    def get_commitment(self, slug: str, commitment_id: str, language: str | None = None) -> Commitment | None:
        m = self.get_member(slug, language)
        if m is None:
            return None
        for c in m.commitments:
            if c.id.upper() == commitment_id.upper():
                return c
        return None

    def member_slugs(self) -> list[str]:
        return [r[0] for r in self.cache.execute("SELECT slug FROM members ORDER BY name COLLATE NOCASE")]

    # A member's freshness columns: its own fetch time and its member page's http_state row. Rows written
    # before `confirmed_at` existed (cache schema 5) count a check without an error as a confirmation.
    _FRESHNESS_SQL = """
        SELECT m.slug, m.name, m.level, m.member_since, m.action_plan, m.plan_commitment_count, m.fetched_at,
               m.gone_at, m.embedded, m.captured_at,
               h.checked_at, h.last_error, COALESCE(h.failures, 0) AS failures,
               COALESCE(h.confirmed_at, CASE WHEN h.last_error IS NULL THEN h.checked_at END) AS confirmed_at
               {extra}
        FROM members m
        LEFT JOIN http_state h ON {join}
        {where}
    """
    # The member page's row: one per member, even if a page in another language was once booked as its
    # member page (a failed first fetch): the row of the page its record came from wins.
    _PRIMARY_PAGE = """h.url = COALESCE(
        (SELECT x.url FROM http_state x WHERE x.url = m.source_url AND x.kind = 'member'),
        (SELECT x.url FROM http_state x WHERE x.member_slug = m.slug AND x.kind = 'member'
         ORDER BY x.checked_at DESC LIMIT 1))"""

    def list_members(self, slug: str | None = None) -> list[MemberSummary]:
        """Every member (by name), or only `slug`'s summary."""
        watched = set(self.watchlist())
        sql = self._FRESHNESS_SQL.format(
            join=self._PRIMARY_PAGE,
            extra=""",
               (SELECT count(*) FROM commitments c WHERE c.member_slug = m.slug) AS ncommit,
               (SELECT count(*) FROM resources r WHERE r.member_slug = m.slug) AS nres""",
            where=("WHERE m.slug = ? " if slug is not None else "") + "ORDER BY m.name COLLATE NOCASE",
        )
        out = []
        for r in self.cache.query(sql, [slug] if slug is not None else []):
            out.append(
                MemberSummary(
                    slug=r["slug"],
                    name=r["name"],
                    level=r["level"],
                    member_since=r["member_since"],
                    action_plan=r["action_plan"],
                    commitment_count=r["ncommit"],
                    resource_count=r["nres"],
                    fetched_at=r["fetched_at"],
                    checked_at=r["checked_at"],
                    last_error=r["last_error"],
                    failures=r["failures"],
                    gone_at=r["gone_at"],
                    embedded=bool(r["embedded"]),
                    captured_at=r["captured_at"],
                    watched=r["slug"] in watched,
                    confirmed_at=r["confirmed_at"],
                    plan_commitment_count=r["plan_commitment_count"],
                )
            )
        return out

    def embedded_captured(self) -> str | None:
        """When the embedded sample in the cache was captured (None: no embedded member)."""
        sql = "SELECT captured_at FROM members WHERE embedded = 1 ORDER BY name COLLATE NOCASE LIMIT 1"
        row = self.cache.execute(sql).fetchone()
        return row[0] if row else None

    def freshness(self, slug: str, shown: Member | None = None) -> Freshness | None:
        """How old a member's data is. With `shown` (a translation `get_member` returned), the age of that
        language's page: its own fetch time and the checks of its own URL (never "embedded": the embedded
        sample is one language)."""
        translated = shown is not None and lang_of(shown.language) != self.member_language(slug)
        join = "h.url = ?" if translated else self._PRIMARY_PAGE
        sql = self._FRESHNESS_SQL.format(join=join, extra="", where="WHERE m.slug = ?")
        params = [shown.source_url, slug] if shown is not None and translated else [slug]
        for r in self.cache.query(sql, params):
            return Freshness(
                fetched_at=shown.fetched_at if shown is not None and translated else r["fetched_at"],
                checked_at=r["checked_at"],
                last_error=r["last_error"],
                failures=r["failures"],
                gone_at=r["gone_at"],
                embedded=bool(r["embedded"]) and not translated,  # (a translation was synced, never embedded)
                captured_at=None if translated else r["captured_at"],
                confirmed_at=r["confirmed_at"],
            )
        return None

    def commitment_checked(self, slug: str, commitment_id: str) -> tuple[str | None, str | None] | None:
        """(fetched_at, checked_at) of a commitment's page as sync last saw it; None: never fetched."""
        row = self.cache.execute(
            "SELECT h.fetched_at, h.checked_at FROM commitment_details d JOIN http_state h ON h.url = d.url "
            "WHERE d.id = ? COLLATE NOCASE AND d.member_slug = ?",
            [commitment_id, slug],
        ).fetchone()
        return (row[0], row[1]) if row else None

    def commitment_checks(self, slug: str) -> tuple[int, str | None, str | None]:
        """(pages, newest check, oldest check) of a member's commitment pages (sync's bookkeeping)."""
        row = self.cache.execute(
            "SELECT count(*), max(checked_at), min(checked_at) FROM http_state "
            "WHERE member_slug = ? AND kind = 'commitment' AND checked_at IS NOT NULL",
            [slug],
        ).fetchone()
        return int(row[0]), row[1], row[2]

    def find_slug(self, text: str) -> list[str]:
        """Close matches for a mistyped slug or name (for 'did you mean')."""
        text = text.strip().lower()
        names = {r[0]: r[1] for r in self.cache.execute("SELECT slug, name FROM members")}
        by_name = {n.lower(): s for s, n in names.items()}
        hits = difflib.get_close_matches(text, list(names), n=3, cutoff=0.6)
        hits += [by_name[n] for n in difflib.get_close_matches(text, list(by_name), n=3, cutoff=0.6)]
        hits += [s for s in names if text and text in s]
        seen: list[str] = []
        for h in hits:
            if h not in seen:
                seen.append(h)
        return seen[:3]

    def http_state(self, url: str) -> dict[str, Any] | None:
        rows = list(self.cache.query("SELECT * FROM http_state WHERE url = ?", [url]))
        return rows[0] if rows else None

    def recent_changes(self, limit: int = 200, run_id: int | None = None) -> list[ChangeRow]:
        where, args = ("WHERE run_id = ?", [run_id]) if run_id is not None else ("", [])
        rows = self.cache.query(f"SELECT * FROM changes {where} ORDER BY id DESC LIMIT ?", [*args, limit])
        return [
            ChangeRow(
                r["run_id"],
                r["at"],
                r["member_slug"],
                r["member_name"],
                r["action"],
                r["kind"],
                r["key"],
                r["summary"],
            )
            for r in rows
        ]

    def runs(self, limit: int = 20) -> list[SyncRun]:
        out = []
        for r in self.cache.query("SELECT * FROM sync_runs ORDER BY id DESC LIMIT ?", [limit]):
            counters = {
                k: r[k]
                for k in (
                    "members",
                    "updated",
                    "unchanged",
                    "failed",
                    "requests",
                    "conditional",
                    "not_modified",
                    "bytes",
                    "written",
                    "duration",
                )
            }
            out.append(
                SyncRun(
                    r["id"],
                    r["started_at"],
                    r["finished_at"],
                    r["outcome"],
                    r["summary"],
                    r["source"],
                    counters,
                )
            )
        return out

    def last_run(self) -> SyncRun | None:
        runs = self.runs(1)
        return runs[0] if runs else None

    def data_version(self) -> int:
        """Changes whenever another connection commits to cache.db (cheap to poll)."""
        return int(self.cache.execute("PRAGMA data_version").fetchone()[0])

    def counts(self) -> dict[str, int]:
        return {t: self.cache.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in DATA_TABLES}

    # ---- user.db -------------------------------------------------------------------------------
    def watchlist(self) -> list[str]:
        if self.user is None:
            return []
        return [r[0] for r in self.user.execute("SELECT slug FROM watchlist ORDER BY added_at, slug")]

    def is_watched(self, slug: str) -> bool:
        return slug in self.watchlist()

    def watch(self, slug: str) -> None:
        with self._user_write() as u:
            u.execute("INSERT OR IGNORE INTO watchlist (slug, added_at) VALUES (?, ?)", [slug, utcnow()])

    def unwatch(self, slug: str) -> None:
        with self._user_write() as u:
            u.execute("DELETE FROM watchlist WHERE slug = ?", [slug])

    def remember_search(self, query: str, keep: int) -> None:
        """Put a (cleaned) query at the top of the recent searches, keeping the newest `keep`.

        Best effort: no user.db, a read-only folder or a storage error leaves the list as it was.
        """
        if self.user is None or self.readonly:
            return
        try:
            with self._user_write() as u:
                u.execute(
                    "INSERT OR REPLACE INTO recent_searches (query, at) VALUES (?, ?)", [query, utcnow()]
                )
                u.execute(
                    "DELETE FROM recent_searches WHERE rowid NOT IN "
                    "(SELECT rowid FROM recent_searches ORDER BY at DESC, rowid DESC LIMIT ?)",
                    [keep],
                )
        except (sqlite3.Error, dbmod.StoreError):
            return

    def recent_searches(self, limit: int = 10) -> list[str]:
        """Most recent first (empty without a readable user.db)."""
        if self.user is None:
            return []
        try:
            rows = self.user.execute(
                "SELECT query FROM recent_searches ORDER BY at DESC, rowid DESC LIMIT ?", [max(0, limit)]
            ).fetchall()
        except sqlite3.Error:
            return []
        return [r[0] for r in rows]
