"""Offline bundles: one file that carries the cache to a colleague without a network.

Format (version 1): a **zip** file holding exactly two members, in this order:

- `manifest.json`: `format` ("ogptui-bundle"), `format_version`, `app_version`, `schema_version` (the
  cache's `PRAGMA user_version`), `created_at`, `sources` (the sites the data came from), `counts` per
  table, `members` (per member: name, `fetched_at`, the oldest and newest `fetched_at` of the member and its
  commitment details, embedded or not), and `db` (`name`, `size`, `sha256` of the database file).
- `cache.sqlite`: a consistent snapshot of cache.db made with `VACUUM INTO` (never a copy of a live WAL
  file), stamped with its own `application_id` (BUNDLE_APP_ID, "OGPB") so it can never be mistaken for a
  cache and vice versa, journal mode DELETE (one self-contained file), run log and `meta` emptied.

Why a zip and not a bare SQLite file: the checksum has to live *beside* the data it covers, and a zip
gives that place without inventing a header or trailer; the manifest can be read (and a newer format or
schema refused) without extracting anything; deflate shrinks the text-heavy database 3-5x for USB sticks
and mirror downloads; and every tool can list or unpack it. The inner file is a normal SQLite database:
`unzip bundle && sqlite3 cache.sqlite` works for anyone who wants to look inside.

Import verifies everything on a private copy before touching the cache (zip structure and CRCs, manifest,
format and schema version, sha256, application_id, `PRAGMA integrity_check`; an older schema is migrated
on the copy with the store's own migrations), then merges in **one** `BEGIN IMMEDIATE` transaction on
cache.db with the copy ATTACHed: per member the newer `fetched_at` wins (an embedded sample always loses
to a fetched copy, equal times keep the cache), commitment details and http_state rows by their own
`fetched_at`. user.db is never opened for writing. Any error rolls the transaction back, so a refused or
failed import leaves cache.db exactly as it was. No Textual here.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ogptui import __version__
from ogptui.store import Store, utcnow
from ogptui.store import db as dbmod
from ogptui.store.rows import CHILD_TABLES, Change, diff_members
from ogptui.store.schema import CACHE_MIGRATIONS
from ogptui.timefmt import parse_iso
from ogptui.units import human_size

BUNDLE_APP_ID = 0x4F475042  # "OGPB" (cache.db is "OGPC")
FORMAT = "ogptui-bundle"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
DB_NAME = "cache.sqlite"
MAX_MANIFEST_BYTES = 4_000_000
MAX_DB_BYTES = 4_000_000_000  # refuse to unpack anything larger (zip bombs, wrong files)
SQLITE_MAGIC = b"SQLite format 3\x00"
# Tables that describe the exporting machine's own history, not data: emptied in a bundle.
LOCAL_TABLES = ("changes", "sync_runs", "meta")

Progress = Callable[[str, int, int | None], None]  # (what, done, total)


class BundleError(Exception):
    """A bundle cannot be written or read; the message is one sentence that says what to do."""


@dataclass
class ExportReport:
    path: Path
    size: int
    members: int
    counts: dict[str, int]
    manifest: dict[str, Any]

    def text(self) -> str:
        c = self.counts
        return (
            f"wrote {self.path} ({human_size(self.size)}): {self.members} member{'s' if self.members != 1 else ''}, "
            f"{c.get('commitments', 0)} commitments ({c.get('commitment_details', 0)} with details), "
            f"{c.get('resources', 0)} resources, {c.get('contacts', 0)} contacts"
        )


@dataclass
class ImportReport:
    source: str
    added: list[str] = field(default_factory=list)  # member names
    updated: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # the cache had the same or a newer copy
    details_added: int = 0
    details_updated: int = 0
    changes: list[str] = field(default_factory=list)
    run_id: int | None = None
    migrated_from: int | None = None  # schema version of an older bundle, when it was upgraded
    manifest: dict[str, Any] = field(default_factory=dict)

    @property
    def members(self) -> int:
        return len(self.added) + len(self.updated) + len(self.kept)

    def text(self) -> str:
        s = (
            f"imported {self.source}: {len(self.added)} member{'s' if len(self.added) != 1 else ''} added, "
            f"{len(self.updated)} updated, {len(self.kept)} kept (the cache was as new or newer)"
        )
        if self.details_added or self.details_updated:
            s += f"; commitment details: {self.details_added} added, {self.details_updated} updated"
        if self.migrated_from is not None:
            s += f" (bundle schema {self.migrated_from} upgraded)"
        return s


def _progress(cb: Progress | None, what: str, done: int, total: int | None) -> None:
    if cb is None:
        return
    try:
        cb(what, done, total)
    except Exception:  # a broken listener must not break the export or import
        pass


def newer(candidate: str | None, current: str | None) -> bool:
    """True when `candidate` is a real fetch time strictly later than `current` (None = never fetched)."""
    a, b = parse_iso(candidate), parse_iso(current)
    return a is not None and (b is None or a > b)


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _raw(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), timeout=dbmod.BUSY_TIMEOUT_MS / 1000)
    conn.isolation_level = None
    return conn


def _table_count(conn: sqlite3.Connection, table: str) -> int:
    return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


# ---- export --------------------------------------------------------------------------------------
def export_bundle(
    store: Store,
    path: str | os.PathLike[str],
    *,
    members: list[str] | None = None,
    on_progress: Progress | None = None,
) -> ExportReport:
    """Write the cache (or the named members) to one bundle file; temp file + rename, so never half a file."""
    target = Path(path).expanduser()
    if target.is_dir():
        raise BundleError(f"{target} is a folder; give a file name such as {target / 'ogptui.bundle'}")
    if not target.parent.is_dir():
        raise BundleError(f"the folder {target.parent} does not exist; create it or choose another place")
    try:
        live = {store.paths.cache_db.resolve(), store.paths.user_db.resolve()}
        if target.resolve() in live or target.resolve().parent == store.paths.home.resolve():
            raise BundleError(f"{target} is inside ogptui's data folder; write the bundle somewhere else")
    except OSError:
        pass
    slugs = _chosen(store, members)
    _progress(on_progress, "snapshot", 0, 3)
    with tempfile.TemporaryDirectory(dir=store.paths.home, prefix=".export-") as work:
        snap = Path(work) / DB_NAME
        try:
            store.cache.execute("VACUUM INTO ?", [str(snap)])
        except sqlite3.Error as e:
            raise BundleError(f"cannot snapshot the cache ({e}); run `ogptui check` and try again") from e
        _progress(on_progress, "trim", 1, 3)
        manifest = _prepare_snapshot(snap, slugs)
        manifest["db"] = {"name": DB_NAME, "size": snap.stat().st_size, "sha256": _sha256_file(snap)}
        _progress(on_progress, "write", 2, 3)
        _write_zip(target, manifest, snap)
    _progress(on_progress, "done", 3, 3)
    return ExportReport(
        path=target,
        size=target.stat().st_size,
        members=len(manifest["members"]),
        counts=manifest["counts"],
        manifest=manifest,
    )


def _chosen(store: Store, members: list[str] | None) -> list[str] | None:
    if not members:
        return None
    slugs = list(dict.fromkeys(s.strip().lower() for s in members if s.strip()))
    known = set(store.member_slugs())
    missing = [s for s in slugs if s not in known]
    if missing:
        hint = store.find_slug(missing[0])
        more = (
            f"; did you mean {', '.join(hint)}?" if hint else "; run `ogptui members` to list cached members"
        )
        raise BundleError(f"no member '{missing[0]}' in the cache{more}")
    return slugs


def _prepare_snapshot(snap: Path, slugs: list[str] | None) -> dict[str, Any]:
    """Trim the snapshot to the chosen members, stamp it as a bundle, and describe it."""
    conn = _raw(snap)
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
            trim = (*CHILD_TABLES, "commitment_details", "http_state", "search_docs")
            for t in (t for t in trim if t in tables):
                conn.execute(
                    f"DELETE FROM {t} WHERE member_slug IS NULL OR member_slug NOT IN (SELECT slug FROM keep)"
                )
            conn.execute("INSERT INTO search_index(search_index) VALUES ('optimize')")
        conn.execute("COMMIT")
        conn.execute(f"PRAGMA application_id = {BUNDLE_APP_ID}")
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("VACUUM")
        schema = int(conn.execute("PRAGMA user_version").fetchone()[0])
        counts = {
            t: _table_count(conn, t) for t in ("members", *CHILD_TABLES, "commitment_details", "http_state")
        }
        per_member: dict[str, Any] = {}
        for slug, name, fetched, embedded, captured in conn.execute(
            "SELECT slug, name, fetched_at, embedded, captured_at FROM members ORDER BY slug"
        ):
            times = [fetched] + [
                r[0]
                for r in conn.execute(
                    "SELECT fetched_at FROM commitment_details WHERE member_slug = ? AND fetched_at IS NOT NULL",
                    [slug],
                )
            ]
            known = sorted((t for t in times if parse_iso(t)), key=lambda t: parse_iso(t))
            per_member[slug] = {
                "name": name,
                "fetched_at": fetched,
                "oldest_fetched_at": known[0] if known else None,
                "newest_fetched_at": known[-1] if known else None,
                "embedded": bool(embedded),
                "captured_at": captured,
            }
        sources = sorted(
            {
                _origin(r[0])
                for r in conn.execute("SELECT source_url FROM members WHERE source_url IS NOT NULL")
                if _origin(r[0])
            }
        )
    finally:
        conn.close()
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "app_version": __version__,
        "schema_version": schema,
        "created_at": utcnow(),
        "sources": sources,
        "counts": counts,
        "members": per_member,
    }


def _origin(url: str) -> str | None:
    from urllib.parse import urlsplit

    try:
        p = urlsplit(url)
    except ValueError:
        return None
    return f"{p.scheme}://{p.netloc}" if p.scheme and p.netloc else None


def _write_zip(target: Path, manifest: dict[str, Any], snap: Path) -> None:
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
                zf.writestr(MANIFEST_NAME, json.dumps(manifest, indent=2, ensure_ascii=False))
                zf.write(snap, DB_NAME)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise BundleError(f"cannot write {target}: {e.strerror or e}; check the folder and free space") from e
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# ---- verify --------------------------------------------------------------------------------------
@dataclass
class VerifiedBundle:
    """A bundle checked and unpacked into a private folder; `db` is safe to ATTACH."""

    db: Path
    manifest: dict[str, Any]
    migrated_from: int | None


def verify_bundle(path: str | os.PathLike[str], workdir: Path, *, name: str | None = None) -> VerifiedBundle:
    """Check a bundle and unpack its database into `workdir`; raise BundleError for anything wrong.

    `name` is how messages call the file (e.g. "the bundle from <url>" for a download in a temp folder).
    """
    src = Path(path).expanduser()
    try:
        return _verify(src, workdir)
    except BundleError as e:
        if name is None:
            raise
        raise BundleError(str(e).replace(str(src), name)) from e


def _verify(src: Path, workdir: Path) -> VerifiedBundle:
    _check_file(src)
    try:
        zf = zipfile.ZipFile(src)
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise BundleError(f"{src} is damaged or incomplete ({e}); copy or download the bundle again") from e
    with zf:
        manifest = _read_manifest(zf, src)
        db = workdir / DB_NAME
        _extract_db(zf, src, db, manifest)
    migrated_from = _check_db(src, db, manifest)
    return VerifiedBundle(db=db, manifest=manifest, migrated_from=migrated_from)


def _check_file(src: Path) -> None:
    if not src.exists():
        raise BundleError(f"{src} does not exist; check the file name")
    if src.is_dir():
        raise BundleError(f"{src} is a folder; give the bundle file made by `ogptui export`")
    try:
        with src.open("rb") as fh:
            head = fh.read(100)
    except OSError as e:
        raise BundleError(f"cannot read {src}: {e.strerror or e}; check the file and its permissions") from e
    if not head:
        raise BundleError(f"{src} is empty; copy or download the bundle again")
    if head.startswith(SQLITE_MAGIC):
        app_id = int.from_bytes(head[68:72], "big") if len(head) >= 72 else 0
        if app_id == dbmod.CACHE_APP_ID:
            raise BundleError(
                f"{src} is an ogptui cache database, not a bundle; make a bundle with `ogptui export FILE`"
            )
        raise BundleError(
            f"{src} is a SQLite database but not an ogptui bundle; make one with `ogptui export FILE`"
        )
    if head.startswith(b"PK\x03\x04"):
        if not zipfile.is_zipfile(src):
            raise BundleError(f"{src} is damaged or incomplete (it ends early); copy or download it again")
        return
    raise BundleError(f"{src} is not an ogptui bundle; make one with `ogptui export FILE`")


def _read_manifest(zf: zipfile.ZipFile, src: Path) -> dict[str, Any]:
    names = zf.namelist()
    if MANIFEST_NAME not in names or DB_NAME not in names:
        raise BundleError(f"{src} is a zip file but not an ogptui bundle; make one with `ogptui export FILE`")
    info = zf.getinfo(MANIFEST_NAME)
    if info.file_size > MAX_MANIFEST_BYTES:
        raise BundleError(f"{src} has an implausibly large manifest; it is not a usable ogptui bundle")
    try:
        manifest = json.loads(zf.read(MANIFEST_NAME).decode("utf-8"))
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError) as e:
        raise BundleError(f"{src} is damaged ({e}); copy or download the bundle again") from e
    except ValueError as e:
        raise BundleError(f"{src} has an unreadable manifest ({e}); export the bundle again") from e
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BundleError(f"{src} is a zip file but not an ogptui bundle; make one with `ogptui export FILE`")
    fmt = manifest.get("format_version")
    if not isinstance(fmt, int) or fmt < 1:
        raise BundleError(f"{src} has an unreadable manifest (format version {fmt!r}); export it again")
    if fmt > FORMAT_VERSION:
        raise BundleError(
            f"{src} was made by a newer ogptui (bundle format {fmt}, this one reads {FORMAT_VERSION}); "
            "upgrade ogptui to import it"
        )
    schema = manifest.get("schema_version")
    if not isinstance(schema, int) or schema < 1:
        raise BundleError(f"{src} has an unreadable manifest (schema version {schema!r}); export it again")
    if schema > len(CACHE_MIGRATIONS):
        raise BundleError(
            f"{src} was made by a newer ogptui (data schema {schema}, this one knows {len(CACHE_MIGRATIONS)}); "
            "upgrade ogptui to import it"
        )
    db = manifest.get("db")
    if (
        not isinstance(db, dict)
        or not isinstance(db.get("sha256"), str)
        or not isinstance(db.get("size"), int)
    ):
        raise BundleError(f"{src} has an unreadable manifest (no checksum); export the bundle again")
    return manifest


def _extract_db(zf: zipfile.ZipFile, src: Path, db: Path, manifest: dict[str, Any]) -> None:
    info = zf.getinfo(DB_NAME)
    expected = manifest["db"]["size"]
    if info.file_size > MAX_DB_BYTES or expected > MAX_DB_BYTES:
        raise BundleError(
            f"{src} holds a database larger than {human_size(MAX_DB_BYTES)}; it is not a usable bundle"
        )
    h = hashlib.sha256()
    n = 0
    try:
        with zf.open(info) as inp, db.open("wb") as out:
            for chunk in iter(lambda: inp.read(1 << 20), b""):
                n += len(chunk)
                if n > max(expected, info.file_size):
                    raise BundleError(
                        f"{src} holds more data than its manifest says; export the bundle again"
                    )
                h.update(chunk)
                out.write(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as e:
        raise BundleError(f"{src} is damaged ({e}); copy or download the bundle again") from e
    except OSError as e:
        raise BundleError(
            f"cannot unpack {src}: {e.strerror or e}; free some disk space and try again"
        ) from e
    if n != expected or h.hexdigest() != manifest["db"]["sha256"].lower():
        raise BundleError(
            f"{src} does not match its checksum (the file was damaged or altered); copy or download it again"
        )


def _check_db(src: Path, db: Path, manifest: dict[str, Any]) -> int | None:
    """application_id, schema, integrity; migrate an older schema on the private copy."""
    bad = f"{src} contains a damaged database"
    try:
        conn = _raw(db)
    except sqlite3.Error as e:
        raise BundleError(f"{bad} ({e}); make a new bundle with `ogptui export`") from e
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        if app_id != BUNDLE_APP_ID:
            raise BundleError(
                f"{src} does not contain an ogptui bundle database; make one with `ogptui export`"
            )
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version != manifest["schema_version"]:
            raise BundleError(
                f"{src} disagrees with its manifest (schema {version} vs {manifest['schema_version']}); "
                "export the bundle again"
            )
        rows = conn.execute("PRAGMA integrity_check(5)").fetchall()
        problem = "; ".join(r[0] for r in rows)
        if problem != "ok":
            raise BundleError(
                f"{bad} (SQLite integrity check: {problem[:160]}); make a new bundle with `ogptui export`"
            )
    except sqlite3.DatabaseError as e:
        raise BundleError(f"{bad} ({e}); make a new bundle with `ogptui export`") from e
    finally:
        conn.close()
    migrated_from = None
    if version < len(CACHE_MIGRATIONS):
        wrapped = dbmod.connect(db)
        try:
            dbmod.migrate(wrapped, CACHE_MIGRATIONS, BUNDLE_APP_ID)
            wrapped.execute("PRAGMA journal_mode = DELETE")
        except (sqlite3.Error, dbmod.StoreError) as e:
            raise BundleError(
                f"cannot upgrade {src} from schema {version} ({e}); export it again with a newer ogptui"
            ) from e
        finally:
            wrapped.close()
        migrated_from = version
    conn = _raw(db)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        conn.close()
    needed = {"members", *CHILD_TABLES, "commitment_details", "http_state"}
    if not needed <= tables:
        missing = ", ".join(sorted(needed - tables))
        raise BundleError(
            f"{src} lacks tables ({missing}); it is not a usable ogptui bundle, export it again"
        )
    return migrated_from


# ---- import --------------------------------------------------------------------------------------
def import_bundle(
    store: Store,
    path: str | os.PathLike[str],
    *,
    on_progress: Progress | None = None,
    label: str | None = None,
    target: str = "import",
) -> ImportReport:
    """Verify a bundle, then merge it into the cache in one transaction (all or nothing).

    `label` names the origin in reports and the run log (default: the file path); `target` is the run's
    target in `sync_runs` ("import", or "mirror" for mirror sync).
    """
    src = Path(path).expanduser()
    label = label or str(src)
    with tempfile.TemporaryDirectory(dir=store.paths.home, prefix=".import-") as work:
        _progress(on_progress, "verify", 0, 2)
        verified = verify_bundle(src, Path(work))
        _progress(on_progress, "merge", 1, 2)
        report = merge_verified(store, verified, label=label, target=target)
        _progress(on_progress, "done", 2, 2)
    return report


def merge_verified(
    store: Store,
    verified: VerifiedBundle,
    *,
    label: str,
    target: str = "import",
    meta: dict[str, str] | None = None,
) -> ImportReport:
    """Merge a verified bundle in one transaction; `meta` rows are written in the same transaction."""
    db = store.cache
    try:
        db.execute("ATTACH DATABASE ? AS b", [str(verified.db)])
    except sqlite3.Error as e:
        raise BundleError(
            f"cannot open the unpacked bundle ({e}); check free disk space and try again"
        ) from e
    try:
        db.execute("BEGIN IMMEDIATE")
        try:
            report = _merge(store, label, target)
            for k, v in (meta or {}).items():
                db.execute("INSERT OR REPLACE INTO main.meta (key, value) VALUES (?, ?)", [k, v])
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
    except sqlite3.Error as e:
        raise BundleError(f"importing {label} failed ({e}); the cache is unchanged, try again") from e
    finally:
        try:
            db.execute("DETACH DATABASE b")
        except sqlite3.Error:
            pass
    report.manifest = verified.manifest
    report.migrated_from = verified.migrated_from
    return report


def _columns(db: Any, schema: str, table: str) -> list[str]:
    return [r[1] for r in db.execute(f"PRAGMA {schema}.table_info({table})").fetchall()]


def _copy_sql(db: Any, table: str, where: str) -> str:
    theirs = set(_columns(db, "b", table))
    cols = ", ".join(c for c in _columns(db, "main", table) if c in theirs)
    return f"INSERT OR REPLACE INTO main.{table} ({cols}) SELECT {cols} FROM b.{table} WHERE {where}"


def _merge(store: Store, label: str, target: str) -> ImportReport:
    db = store.cache
    now = utcnow()
    report = ImportReport(source=label)
    cur = db.execute(
        "INSERT INTO sync_runs (started_at, source, target) VALUES (?, ?, ?)", [now, label, target]
    )
    run_id = int(cur.lastrowid)
    report.run_id = run_id
    ours = {r[0]: r[1] for r in db.execute("SELECT slug, fetched_at FROM main.members")}
    theirs = db.execute(
        "SELECT slug, name, fetched_at FROM b.members ORDER BY name COLLATE NOCASE"
    ).fetchall()
    member_sql = _copy_sql(db, "members", "slug = ?")
    child_sql = {t: _copy_sql(db, t, "member_slug = ?") for t in CHILD_TABLES}
    touched: set[str] = set()  # members whose search rows must be rebuilt
    taken: set[str] = set()  # members copied from the bundle
    changes: list[tuple[str | None, str | None, Change]] = []
    for slug, name, fetched in theirs:
        if slug in ours and not newer(fetched, ours[slug]):
            report.kept.append(name)
            continue
        old = store.get_member(slug) if slug in ours else None
        for t in CHILD_TABLES:
            db.execute(f"DELETE FROM main.{t} WHERE member_slug = ?", [slug])
        db.execute("DELETE FROM main.members WHERE slug = ?", [slug])
        db.execute(member_sql, [slug])
        for t in CHILD_TABLES:
            db.execute(child_sql[t], [slug])
        new = store.get_member(slug)
        assert new is not None
        (report.updated if old is not None else report.added).append(new.name)
        changes += [(slug, new.name, c) for c in diff_members(old, new)]
        touched.add(slug)
        taken.add(slug)
    _merge_details(store, report, changes, touched)
    _merge_http_state(db, kept={slug for slug, _, _ in theirs if slug not in taken})
    for slug in sorted(touched):
        store.reindex_member(slug)
    for slug, name, c in changes:
        db.execute(
            "INSERT INTO changes (run_id, at, member_slug, member_name, action, kind, key, summary)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [run_id, now, slug, name, c.action, c.kind, c.key, c.summary],
        )
    report.changes = [c.summary for _, _, c in changes]
    db.execute(
        "UPDATE sync_runs SET finished_at = ?, outcome = 'ok', members = ?, updated = ?, unchanged = ?,"
        " written = ?, summary = ? WHERE id = ?",
        [
            utcnow(),
            report.members,
            len(report.added) + len(report.updated),
            len(report.kept),
            len(report.added) + len(report.updated) + report.details_added + report.details_updated,
            report.text(),
            run_id,
        ],
    )
    return report


def _merge_details(
    store: Store,
    report: ImportReport,
    changes: list[tuple[str | None, str | None, Change]],
    touched: set[str],
) -> None:
    db = store.cache
    ours = {r[0]: r[1] for r in db.execute("SELECT id, fetched_at FROM main.commitment_details")}
    sql = _copy_sql(db, "commitment_details", "id = ?")
    for cid, slug, fetched in db.execute(
        "SELECT id, member_slug, fetched_at FROM b.commitment_details"
    ).fetchall():
        exists = cid in ours
        if exists and not newer(fetched, ours[cid]):
            continue
        db.execute(sql, [cid])
        if slug:
            touched.add(slug)
        if exists:
            report.details_updated += 1
            row = db.execute("SELECT name FROM main.members WHERE slug = ?", [slug]).fetchone()
            name = row[0] if row else slug
            changes.append(
                (slug, name, Change("changed", "commitment", cid, f"{name}: commitment {cid} updated"))
            )
        else:
            report.details_added += 1


def _merge_http_state(db: Any, kept: set[str]) -> None:
    """Per URL, the row with the newer fetch wins (its validators describe the data now stored).

    A member page's row is taken only with the member itself: validators of a copy we did not take would
    make the next sync accept a 304 for data the cache does not hold.
    """
    ours = {r[0]: r[1] for r in db.execute("SELECT url, fetched_at FROM main.http_state")}
    sql = _copy_sql(db, "http_state", "url = ?")
    rows = db.execute("SELECT url, fetched_at, kind, member_slug FROM b.http_state").fetchall()
    for url, fetched, kind, slug in rows:
        if kind == "member" and slug in kept:
            continue
        if url not in ours or newer(fetched, ours[url]):
            db.execute(sql, [url])
