"""Offline bundles: one file that carries the cache to a colleague without a network.

Format (version 1): a **zip** file holding exactly two members, in this order:

- `manifest.json`: `format` ("ogptui-bundle"), `format_version`, `app_version`, `schema_version` (the
  cache's `PRAGMA user_version`), `created_at`, `sources` (the sites the data came from), `counts` per
  table, `members` (per member: name, `fetched_at`, the oldest and newest `fetched_at` of the member and its
  commitment details, embedded or not), and `db` (`name`, `size`, `sha256` of the database file).
- `cache.sqlite`: a consistent snapshot of cache.db made with `VACUUM INTO` (never a copy of a live WAL
  file), stamped with its own `application_id` (BUNDLE_APP_ID, "OGPB") so it can never be mistaken for a
  cache and vice versa, journal mode DELETE (one self-contained file), run log and `meta` emptied. Document
  pages and the text of their files are in it (always).
- `files/<sha256[:2]>/<sha256>.<ext>` (only with `export --with-files`): the documents' attachments, listed
  in the manifest's `files` ({`path`, `sha256`, `size`}). Import checks every one (its size, and that its
  bytes hash to its name and to the manifest) before anything is written to the cache or the files folder.

Why a zip and not a bare SQLite file: the checksum has to live *beside* the data it covers, and a zip
gives that place without inventing a header or trailer; the manifest can be read (and a newer format or
schema refused) without extracting anything; deflate shrinks the text-heavy database 3-5x for USB sticks
and mirror downloads; and every tool can list or unpack it. The inner file is a normal SQLite database:
`unzip bundle && sqlite3 cache.sqlite` works for anyone who wants to look inside.

Import verifies everything on a private copy before touching the cache: the sizes the zip declares (against
a cap proportional to the bundle's own size, a compression-ratio limit and the free disk space, before a
byte is unpacked), zip structure and CRCs, manifest, format and schema version, sha256, application_id,
`PRAGMA integrity_check`, and no value larger than any page could give (an older schema is migrated on the
copy with the store's own migrations). Then it merges in **one** transaction through the store's own write
path (`Store.transaction`, `write_member`, `write_commitment`, `put_http_state`, `begin_run`): per member
the newer `fetched_at` wins (an embedded sample always loses to a fetched copy, equal times keep the cache),
commitment details and http_state rows by their own `fetched_at`. Every record is cleaned on the way in
like a parsed page (`ogptui.model.clean_record`), and times in the future are taken as unknown. user.db is
never opened for writing. Any error rolls the transaction back, so a refused or failed import leaves cache.db
exactly as it was. All SQL on the bundle's database is in `ogptui/store/snapshot.py`. No Textual here.

Over 400 lines because export, verification and merge implement one file format with one set of limits
(its specification is the first part of this docstring); the SQL is in `store/snapshot.py`.

Why this module is over 400 lines: export, verification and import are the three halves of one file
format and share its constants and messages; most of the length is the refusals, one sentence each.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ogptui import __version__, bundle_notes, leftovers
from ogptui.clean import clean_text
from ogptui.i18n import LANGUAGES
from ogptui.model import validate_member
from ogptui.store import Store, snapshot, utcnow
from ogptui.store import db as dbmod
from ogptui.store.schema import CACHE_MIGRATIONS
from ogptui.timefmt import in_future, parse_iso
from ogptui.units import human_size

BUNDLE_APP_ID = 0x4F475042  # "OGPB" (cache.db is "OGPC")
FORMAT = "ogptui-bundle"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
DB_NAME = "cache.sqlite"
MAX_MANIFEST_BYTES = 4_000_000
MAX_DB_BYTES = 4_000_000_000  # never unpack more than this, whatever the bundle's size
# Zip bombs: the database may unpack to at most MAX_RATIO times the bundle's size (real bundles deflate
# 3-8x; the ratio is not checked below FREE_UNPACK, so a tiny bundle of a nearly empty cache is fine), and
# must fit in the free space of the disk it is unpacked on, with DISK_MARGIN to spare.
MAX_RATIO = 50
FREE_UNPACK = 64_000_000
DISK_MARGIN = 50_000_000
# No value in a bundle may be larger than this (a description is capped at 100,000 characters).
MAX_VALUE_BYTES = 1_000_000
SQLITE_MAGIC = b"SQLite format 3\x00"
EXPORT_PREFIX, IMPORT_PREFIX = ".export-", ".import-"

Progress = Callable[[str, int, int | None], None]  # (what, done, total)


class BundleError(Exception):
    """A bundle cannot be written or read; the message is one sentence that says what to do."""


FILES_PREFIX = "files/"


@dataclass
class ExportReport:
    path: Path
    size: int
    members: int
    counts: dict[str, int]
    manifest: dict[str, Any]
    swept: leftovers.Swept = field(default_factory=leftovers.Swept)
    files: int = 0  # attachment files carried (export --with-files)
    missing_files: int = 0  # referenced files that were not on this device

    def text(self) -> str:
        c = self.counts
        s = (
            f"wrote {self.path} ({human_size(self.size)}): {self.members} member{'s' if self.members != 1 else ''}, "
            f"{c.get('commitments', 0)} commitments ({c.get('commitment_details', 0)} with details), "
            f"{c.get('resources', 0)} resources, {c.get('contacts', 0)} contacts"
        )
        if c.get("documents"):
            s += f", {c['documents']} documents"
            s += f" with {self.files} file{'s' if self.files != 1 else ''}" if self.files else " (pages only)"
        if self.missing_files:
            s += f" ({self.missing_files} file{'s' if self.missing_files != 1 else ''} not on this device left out)"
        notes = self.manifest.get("notes")
        if isinstance(notes, dict):
            s += f"; with your notes ({notes.get('notes', 0)} notes, {notes.get('bookmarks', 0)} bookmarks)"
        swept = self.swept.text("exports")
        return f"{s}; {swept}" if swept else s


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
    skipped: int = 0  # records the store would not take (no name, no slug, no commitment ID)
    future_times: int = 0  # fetch times later than now, taken as unknown
    swept: leftovers.Swept = field(default_factory=leftovers.Swept)
    notes: str | None = None  # what became of the notes a bundle carries (one sentence), None if it has none
    documents_added: int = 0
    documents_updated: int = 0
    files_added: int = 0  # attachment files placed in the files folder

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
        if self.documents_added or self.documents_updated:
            s += f"; documents: {self.documents_added} added, {self.documents_updated} updated"
        if self.files_added:
            s += f"; {self.files_added} file{'s' if self.files_added != 1 else ''} added"
        if self.migrated_from is not None:
            s += f" (bundle schema {self.migrated_from} upgraded)"
        if self.future_times:
            s += f"; {self.future_times} fetch time{'s' if self.future_times != 1 else ''} in the future taken as unknown"
        if self.skipped:
            s += f"; {self.skipped} unusable record{'s' if self.skipped != 1 else ''} skipped"
        if self.notes:
            s += f"; {self.notes}"
        swept = self.swept.text("imports")
        return f"{s}; {swept}" if swept else s


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


# ---- export --------------------------------------------------------------------------------------
def export_bundle(
    store: Store,
    path: str | os.PathLike[str],
    *,
    members: list[str] | None = None,
    on_progress: Progress | None = None,
    with_notes: bool = False,
    with_files: bool = False,
) -> ExportReport:
    """Write the cache (or the named members) to one bundle file; temp file + rename, so never half a file.

    Document pages and their files' text always go; the files themselves (PDFs…) with `with_files`.

    Leftovers of killed exports (their work folders, their half-written bundles beside `path`) are removed
    first and reported.
    """
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
    slugs = chosen_members(store, members)
    # A read-only data folder can still be exported: the work folder then goes beside the bundle.
    work_parent = target.parent if store.readonly else store.paths.home
    swept = leftovers.sweep_dirs(work_parent, EXPORT_PREFIX) + leftovers.sweep_files(target)
    _progress(on_progress, "snapshot", 0, 3)
    try:
        with leftovers.work_dir(work_parent, EXPORT_PREFIX) as work:
            snap = work / DB_NAME
            try:
                store.snapshot_into(snap)
            except sqlite3.Error as e:
                raise BundleError(
                    f"cannot snapshot the cache ({e}); free some disk space and try again, or move cache.db "
                    "away and run `ogptui sync` to rebuild it"
                ) from e
            _progress(on_progress, "trim", 1, 3)
            info = snapshot.trim(snap, slugs, BUNDLE_APP_ID)
            manifest = _manifest(info)
            manifest["db"] = {"name": DB_NAME, "size": snap.stat().st_size, "sha256": _sha256_file(snap)}
            carried: list[tuple[Path, dict[str, Any]]] = []
            missing = 0
            if with_files:
                for rel, sha, _size in info.files:
                    local = store.local_file(rel)
                    if local is None or not rel.startswith(sha[:2] + "/" + sha):
                        missing += 1
                        continue
                    carried.append((local, {"path": rel, "sha256": sha, "size": local.stat().st_size}))
                manifest["files"] = [entry for _, entry in carried]
            _progress(on_progress, "write", 2, 3)
            extra = {}
            if with_notes:  # never without being asked: a bundle is shared, notes are the user's own
                blob, manifest["notes"] = bundle_notes.payload(store, slugs)
                extra[bundle_notes.NOTES_NAME] = blob
            _progress(on_progress, "write", 2, 3)
            _write_zip(target, manifest, snap, carried, extra)
    except OSError as e:
        raise BundleError(
            f"cannot write a temporary copy in {work_parent}: {e.strerror or e}; check free space and permissions"
        ) from e
    _progress(on_progress, "done", 3, 3)
    return ExportReport(
        path=target,
        size=target.stat().st_size,
        members=len(manifest["members"]),
        counts=manifest["counts"],
        manifest=manifest,
        swept=swept,
        files=len(manifest.get("files", [])),
        missing_files=missing,
    )


def chosen_members(store: Store, members: list[str] | None) -> list[str] | None:
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


def _manifest(info: snapshot.SnapshotInfo) -> dict[str, Any]:
    per_member: dict[str, Any] = {}
    for m in info.members:
        times = [m["fetched_at"], *m["detail_times"]]
        dated = [(when, t) for t in times if (when := parse_iso(t)) is not None]
        known = [t for _, t in sorted(dated, key=lambda pair: pair[0])]
        per_member[m["slug"]] = {
            "name": m["name"],
            "fetched_at": m["fetched_at"],
            "oldest_fetched_at": known[0] if known else None,
            "newest_fetched_at": known[-1] if known else None,
            "embedded": m["embedded"],
            "captured_at": m["captured_at"],
        }
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "app_version": __version__,
        "schema_version": info.schema,
        "created_at": utcnow(),
        "sources": sorted({o for o in (_origin(u) for u in info.source_urls) if o}),
        "counts": info.counts,
        "members": per_member,
    }


def _origin(url: str) -> str | None:
    from urllib.parse import urlsplit

    try:
        p = urlsplit(url)
    except ValueError:
        return None
    return f"{p.scheme}://{p.netloc}" if p.scheme and p.netloc else None


def _write_zip(
    target: Path,
    manifest: dict[str, Any],
    snap: Path,
    files: list[tuple[Path, dict[str, Any]]] | None = None,
    extra: dict[str, bytes] | None = None,
) -> None:
    tmp: Path | None = None
    try:
        with leftovers.temp_file(target) as (fh, tmp):
            with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
                zf.writestr(MANIFEST_NAME, json.dumps(manifest, indent=2, ensure_ascii=False))
                zf.write(snap, DB_NAME)
                for local, entry in files or []:
                    zf.write(local, FILES_PREFIX + entry["path"], compress_type=zipfile.ZIP_STORED)
                for name, blob in (extra or {}).items():
                    zf.writestr(name, blob)
            fh.flush()
            os.fsync(fh.fileno())
            os.replace(tmp, target)
    except OSError as e:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise BundleError(f"cannot write {target}: {e.strerror or e}; check the folder and free space") from e
    except BaseException:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise


# ---- verify --------------------------------------------------------------------------------------
@dataclass
class VerifiedBundle:
    """A bundle checked and unpacked into a private folder; `db` is safe to read, and `files` holds the
    attachment files it carries, each checked against its sha256 ({relative path: unpacked file})."""

    db: Path
    manifest: dict[str, Any]
    migrated_from: int | None
    files: dict[str, Path] = field(default_factory=dict)


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
        entries = _file_entries(zf, src, manifest)
        _check_sizes(zf, src, manifest, workdir, extra=sum(e["size"] for e in entries))
        db = workdir / DB_NAME
        _extract_db(zf, src, db, manifest)
        unpacked = _extract_files(zf, src, entries, workdir / "files")
    migrated_from = _check_db(src, db, manifest)
    return VerifiedBundle(db=db, manifest=manifest, migrated_from=migrated_from, files=unpacked)


def _file_entries(zf: zipfile.ZipFile, src: Path, manifest: dict[str, Any]) -> list[dict[str, Any]]:
    """The files the manifest lists, each checked for shape (a content-addressed name) and presence."""
    from ogptui.files import relative_path

    listed = manifest.get("files", [])
    if not isinstance(listed, list):
        raise BundleError(f"{src} has an unreadable manifest (files); export the bundle again")
    names = set(zf.namelist())
    out = []
    for entry in listed:
        ok = (
            isinstance(entry, dict)
            and isinstance(entry.get("path"), str)
            and isinstance(entry.get("sha256"), str)
        )
        ok = ok and isinstance(entry.get("size"), int) and not isinstance(entry.get("size"), bool)
        if ok:
            rel, sha = entry["path"], entry["sha256"].lower()
            try:
                ok = relative_path(sha, rel.rsplit(".", 1)[-1]) == rel and entry["size"] >= 0
            except ValueError:
                ok = False
        if not ok:
            raise BundleError(
                f"{src} lists a file it cannot hold ({str(entry)[:80]}); export the bundle again"
            )
        if FILES_PREFIX + rel not in names:
            raise BundleError(
                f"{src} lacks the file {rel} its manifest lists; copy or export the bundle again"
            )
        info = zf.getinfo(FILES_PREFIX + rel)
        if info.file_size != entry["size"]:
            raise BundleError(
                f"{src} does not match its manifest (file {rel} of {info.file_size} bytes, manifest says "
                f"{entry['size']}); copy or download the bundle again"
            )
        out.append({"path": rel, "sha256": sha, "size": entry["size"]})
    return out


def _extract_files(
    zf: zipfile.ZipFile, src: Path, entries: list[dict[str, Any]], folder: Path
) -> dict[str, Path]:
    """Unpack each listed file into the private folder, checking its bytes against its sha256."""
    out: dict[str, Path] = {}
    for entry in entries:
        rel = entry["path"]
        dest = folder / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        n, digest = _unpack_checked(
            zf,
            FILES_PREFIX + rel,
            dest,
            src,
            entry["size"],
            f"{src} holds more data in {rel} than its manifest says",
        )
        if n != entry["size"] or digest != entry["sha256"]:
            raise BundleError(
                f"{src}: the file {rel} does not match its checksum (the bundle was damaged or altered); "
                "copy or download it again"
            )
        out[rel] = dest
    return out


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


def _unpack_checked(
    zf: zipfile.ZipFile, name: str, dest: Path, src: Path, cap: int, too_big: str
) -> tuple[int, str]:
    """Copy the member `name` of the bundle to `dest`, stopping past `cap` bytes (`too_big` says so);
    returns (bytes written, their sha256). A damaged archive or a full disk is one BundleError line."""
    h = hashlib.sha256()
    n = 0
    try:
        with zf.open(name) as inp, dest.open("wb") as out:
            for chunk in iter(lambda: inp.read(1 << 20), b""):
                n += len(chunk)
                if n > cap:
                    raise BundleError(f"{too_big}; export the bundle again")
                h.update(chunk)
                out.write(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as e:
        raise BundleError(f"{src} is damaged ({e}); copy or download the bundle again") from e
    except OSError as e:
        raise BundleError(
            f"cannot unpack {src}: {e.strerror or e}; free some disk space and try again"
        ) from e
    return n, h.hexdigest()


def _extract_db(zf: zipfile.ZipFile, src: Path, db: Path, manifest: dict[str, Any]) -> None:
    info = zf.getinfo(DB_NAME)
    expected = manifest["db"]["size"]
    n, digest = _unpack_checked(
        zf, DB_NAME, db, src, max(expected, info.file_size), f"{src} holds more data than its manifest says"
    )
    if n != expected or digest != manifest["db"]["sha256"].lower():
        raise BundleError(
            f"{src} does not match its checksum (the file was damaged or altered); copy or download it again"
        )


def _check_sizes(
    zf: zipfile.ZipFile, src: Path, manifest: dict[str, Any], workdir: Path, extra: int = 0
) -> None:
    """Refuse a zip bomb from what the zip declares, before anything is unpacked (nothing is written).

    The database may unpack to at most MAX_RATIO times the bundle's own size (and never more than
    MAX_DB_BYTES), and must fit in the free space of `workdir`'s disk. The sizes the zip and the manifest
    declare must agree; unpacking then stops at the declared size, so a lying header gains nothing.
    """
    info = zf.getinfo(DB_NAME)
    packed = info.compress_size
    expected = manifest["db"]["size"]
    if info.file_size != expected:
        raise BundleError(
            f"{src} does not match its manifest (database of {info.file_size} bytes, manifest says {expected}); "
            "copy or download the bundle again"
        )
    declared = info.file_size + extra  # the database and the attachment files together
    bundle_size = src.stat().st_size
    cap = min(MAX_DB_BYTES, max(FREE_UNPACK, bundle_size * MAX_RATIO))
    if declared > cap:
        ratio = f", {declared // max(packed, 1)}x compressed" if packed else ""
        raise BundleError(
            f"{src} would unpack to {human_size(declared)} from {human_size(bundle_size)}{ratio}, more than a "
            f"real bundle holds (limit {human_size(cap)}); it is not a usable bundle, export it again"
        )
    try:
        free = shutil.disk_usage(workdir).free
    except OSError:
        return
    if declared + DISK_MARGIN > free:
        raise BundleError(
            f"unpacking {src} needs {human_size(declared + DISK_MARGIN)} of free disk space and "
            f"{human_size(free)} is free; free some space and try again"
        )


def _check_db(src: Path, db: Path, manifest: dict[str, Any]) -> int | None:
    """application_id, schema, integrity, value sizes; migrate an older schema on the private copy."""
    bad = f"{src} contains a damaged database"
    try:
        found = snapshot.inspect(db)
    except sqlite3.DatabaseError as e:
        raise BundleError(f"{bad} ({e}); make a new bundle with `ogptui export`") from e
    if found.app_id != BUNDLE_APP_ID:
        raise BundleError(f"{src} does not contain an ogptui bundle database; make one with `ogptui export`")
    if found.version != manifest["schema_version"]:
        raise BundleError(
            f"{src} disagrees with its manifest (schema {found.version} vs {manifest['schema_version']}); "
            "export the bundle again"
        )
    if found.integrity != "ok":
        raise BundleError(
            f"{bad} (SQLite integrity check: {found.integrity[:160]}); make a new bundle with `ogptui export`"
        )
    migrated_from = None
    tables = found.tables
    if found.version < len(CACHE_MIGRATIONS):
        try:
            snapshot.upgrade(db, BUNDLE_APP_ID)
            tables = snapshot.inspect(db).tables
        except (sqlite3.Error, dbmod.StoreError) as e:
            raise BundleError(
                f"cannot upgrade {src} from schema {found.version} ({e}); export it again with a newer ogptui"
            ) from e
        migrated_from = found.version
    needed = set(snapshot.DATA_TABLES)
    if not needed <= tables:
        missing = ", ".join(sorted(needed - tables))
        raise BundleError(
            f"{src} lacks tables ({missing}); it is not a usable ogptui bundle, export it again"
        )
    try:
        big = snapshot.oversized(db, MAX_VALUE_BYTES)
    except sqlite3.DatabaseError as e:
        raise BundleError(f"{bad} ({e}); make a new bundle with `ogptui export`") from e
    if big is not None:
        table, column, size = big
        raise BundleError(
            f"{src} holds a value of {human_size(size)} in {table}.{column}, far more than any page gives; "
            "it is not a usable ogptui bundle, export it again"
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
    with_notes: bool = False,
) -> ImportReport:
    """Verify a bundle, then merge it into the cache in one transaction (all or nothing). Notes it carries
    are merged into user.db only `with_notes` (then in their own transaction, after the cache).

    `label` names the origin in reports and the run log (default: the file path); `target` is the run's
    target in `sync_runs` ("import", or "mirror" for mirror sync). Leftovers of killed imports are removed
    first and reported.
    """
    src = Path(path).expanduser()
    label = label or str(src)
    if store.readonly:
        raise BundleError(
            f"cannot import into {store.paths.home}: the data folder is read-only; make it writable or point "
            "OGPTUI_HOME at another folder"
        )
    swept = leftovers.sweep_dirs(store.paths.home, IMPORT_PREFIX)
    with leftovers.work_dir(store.paths.home, IMPORT_PREFIX) as work:
        _progress(on_progress, "verify", 0, 2)
        verified = verify_bundle(src, work)
        _progress(on_progress, "merge", 1, 2)
        notes = None
        if with_notes:  # read and checked before the cache merge: a bad notes file refuses the whole import
            try:
                notes = bundle_notes.read(src, verified.manifest)
            except bundle_notes.BundleNotesError as e:
                raise BundleError(f"{e}; nothing was imported") from None
        report = merge_verified(store, verified, label=label, target=target)
        _progress(on_progress, "done", 2, 2)
    report.swept = swept
    report.notes = _merge_notes(store, src, verified.manifest, notes)
    return report


def _merge_notes(store: Store, src: Path, manifest: dict[str, Any], notes: Any) -> str | None:
    from ogptui.notes_files import import_notes

    carried = bundle_notes.offered(manifest)
    if carried is None:
        return "the bundle carries no notes" if notes is not None else None
    if notes is None:
        return (
            f"it carries {carried[0]} notes and {carried[1]} bookmarks, not merged: "
            f"`ogptui import {src} --with-notes` merges them with yours (a different text keeps both)"
        )
    found, books, skipped = notes
    result = import_notes(store, found, books, f"the bundle {src.name}", utcnow())
    result.skipped = skipped
    return "notes: " + result.text(src.name).split(": ", 1)[1]


def merge_verified(
    store: Store,
    verified: VerifiedBundle,
    *,
    label: str,
    target: str = "import",
    meta: dict[str, str] | None = None,
) -> ImportReport:
    """Merge a verified bundle in one transaction; `meta` rows are written in the same transaction."""
    try:
        reader = snapshot.SnapshotReader(verified.db)
    except sqlite3.Error as e:
        raise BundleError(
            f"cannot open the unpacked bundle ({e}); check free disk space and try again"
        ) from e
    try:
        with store.transaction():
            report = _merge(store, reader, label, target, verified.files)
            for k, v in (meta or {}).items():
                store.set_meta(k, v)
    except sqlite3.Error as e:
        raise BundleError(f"importing {label} failed ({e}); the cache is unchanged, try again") from e
    finally:
        reader.close()
    report.manifest = verified.manifest
    report.migrated_from = verified.migrated_from
    return report


@dataclass
class _Merge:
    store: Store
    bundle: snapshot.SnapshotReader
    report: ImportReport
    run_id: int
    now: datetime
    touched: set[str] = field(default_factory=set)  # members whose search rows must be rebuilt
    files: dict[str, Path] = field(default_factory=dict)  # verified attachment files of the bundle

    @property
    def stamp(self) -> str:
        return self.now.strftime("%Y-%m-%dT%H:%M:%SZ")

    def when(self, value: Any) -> str | None:
        """A fetch time as the cache may keep it: a real past time, else None (unknown)."""
        if not isinstance(value, str) or parse_iso(value) is None:
            return None
        if in_future(value, self.now):
            self.report.future_times += 1
            return None
        return value


def _key(value: Any, cap: int = 200) -> str:
    """A slug or commitment ID from the bundle as the cache keys it (cleaned like any text)."""
    return clean_text(value if isinstance(value, str) else "", cap=cap)


def _merge(
    store: Store,
    bundle: snapshot.SnapshotReader,
    label: str,
    target: str,
    files: dict[str, Path] | None = None,
) -> ImportReport:
    report = ImportReport(source=label)
    run_id = store.begin_run(label, target)
    report.run_id = run_id
    m = _Merge(store, bundle, report, run_id, datetime.now(UTC), files=files or {})
    kept = _merge_members(m)
    _merge_details(m)
    _merge_translations(m)
    _merge_documents(m)
    _merge_attachments(m)
    _merge_http_state(m, kept)
    for slug in sorted(m.touched):
        store.reindex_member(slug)
    store.finish_run(
        run_id,
        outcome="ok",
        members=report.members,
        updated=len(report.added) + len(report.updated),
        unchanged=len(report.kept),
        written=len(report.added) + len(report.updated) + report.details_added + report.details_updated,
        summary=report.text(),
    )
    return report


def _merge_members(m: _Merge) -> set[str]:
    """Take each member whose copy is newer; returns the slugs of those kept from the cache."""
    ours = m.store.member_times()
    kept: set[str] = set()
    for raw_slug, raw_name, raw_fetched in m.bundle.member_times():
        slug = _key(raw_slug)
        fetched = m.when(raw_fetched)
        if slug in ours and not newer(fetched, ours[slug]):
            m.report.kept.append(_key(raw_name) or slug)
            kept.add(slug)
            continue
        got = m.bundle.member(raw_slug)
        if got is None:
            continue
        member = got.member
        member.fetched_at = fetched
        member.slug, member.name = slug, _key(member.name)
        if validate_member(member):
            m.report.skipped += 1
            continue
        captured = (
            got.captured_at if parse_iso(got.captured_at) and not in_future(got.captured_at, m.now) else None
        )
        if fetched is None and not got.embedded:
            captured = m.stamp  # when it was fetched is unknown; that it predates this import is certain
        result = m.store.write_member(
            member,
            run_id=m.run_id,
            embedded=got.embedded,
            captured_at=captured,
            gone_at=m.when(got.gone_at),
            force=True,
            reindex=False,
        )
        (m.report.updated if slug in ours else m.report.added).append(member.name)
        m.report.changes += [c.summary for c in result.changes]
        m.touched.add(slug)
    return kept


def _merge_details(m: _Merge) -> None:
    ours = m.store.detail_times()
    for raw_id, raw_slug, raw_fetched in m.bundle.detail_times():
        cid = _key(raw_id, cap=100).upper()
        if not cid:
            m.report.skipped += 1
            continue
        fetched = m.when(raw_fetched)
        exists = cid in ours
        if exists and not newer(fetched, ours[cid]):
            continue
        page = m.bundle.detail(raw_id)
        if page is None:
            continue
        page.id, page.fetched_at = cid, fetched
        slug = _key(raw_slug) or None
        result = m.store.write_commitment(page, slug, run_id=m.run_id, force=True, reindex=False)
        if slug:
            m.touched.add(slug)
        if exists:
            m.report.details_updated += 1
            m.report.changes += [c.summary for c in result.changes]
        else:
            m.report.details_added += 1


def _merge_translations(m: _Merge) -> None:
    """Members and commitment pages the bundle holds in another language (after the primary records, so a
    translation finds its member): the copy fetched more recently wins, through the store's write path."""
    ours = m.store.translation_times()
    for t in m.bundle.translations():
        kind, key, language = _key(t["kind"]), _key(t["key"], cap=120), _key(t["language"])
        if language not in LANGUAGES or kind not in ("member", "commitment"):
            m.report.skipped += 1
            continue
        fetched = m.when(t["fetched_at"])
        if (kind, key, language) in ours and not newer(fetched, ours[(kind, key, language)]):
            continue
        slug = _key(t["member_slug"]) or None
        if kind == "member":
            member = m.bundle.translated_member(t["key"], t["language"])
            if member is None or validate_member(member):
                m.report.skipped += 1
                continue
            member.slug, member.name, member.language, member.fetched_at = key, _key(member.name), language, fetched
            result = m.store.write_member(member, run_id=m.run_id, force=True, reindex=False)
            m.report.changes += [c.summary for c in result.changes]
            m.touched.add(key)
        else:
            page = m.bundle.translated_detail(t["key"], t["language"])
            if page is None:
                m.report.skipped += 1
                continue
            page.id, page.language, page.fetched_at = key.upper(), language, fetched
            m.store.write_commitment(page, slug, run_id=m.run_id, force=True, reindex=False)
            if slug:
                m.touched.add(slug)


def _merge_documents(m: _Merge) -> None:
    """Per document, the copy fetched more recently wins (written through the store: cleaned, indexed)."""
    ours = m.store.document_times()
    for raw_slug, raw_fetched in m.bundle.document_times():
        slug = _key(raw_slug)
        fetched = m.when(raw_fetched)
        if not slug:
            m.report.skipped += 1
            continue
        exists = slug in ours
        if exists and not newer(fetched, ours[slug]):
            continue
        got = m.bundle.document(raw_slug)
        if got is None:
            continue
        page, source_url = got
        page.slug, page.fetched_at = slug, fetched
        result = m.store.write_document(
            page, run_id=m.run_id, source_url=_key(source_url, 2000) or None, force=True
        )
        if exists:
            m.report.documents_updated += 1
            m.report.changes += [c.summary for c in result.changes]
        else:
            m.report.documents_added += 1


def _merge_attachments(m: _Merge) -> None:
    """Per attachment URL, the newer row wins; its file is placed from the bundle (already checked against
    its sha256) or kept from this device; its text comes cleaned like every other text."""
    from ogptui import files as files_mod
    from ogptui.clean import clean_multiline

    ours = m.store.all_attachment_files()
    folder = m.store.paths.files
    for f in m.bundle.attachments():
        fetched = m.when(f.fetched_at)
        mine = ours.get(f.url)
        local = m.store.local_file(mine.path) if mine is not None and mine.path else None
        carried = m.files.get(f.path or "")
        if (
            mine is not None
            and not newer(fetched, mine.fetched_at)
            and (local is not None or carried is None)
        ):
            continue
        f.fetched_at = fetched
        path = None
        sha = (f.sha256 or "").lower()
        try:
            named = bool(f.path) and files_mod.relative_path(sha, (f.path or "").rsplit(".", 1)[-1]) == f.path
        except ValueError:  # not a sha256 and an extension: no file for this row
            named = False
        if named and carried is not None:
            folder.mkdir(parents=True, exist_ok=True)
            path = files_mod.place(carried, folder, sha, (f.path or "").rsplit(".", 1)[-1])
            m.report.files_added += 1
        elif named and m.store.local_file(f.path or "") is not None:
            path = f.path
        f.path = path
        pages = (
            [clean_multiline(p if isinstance(p, str) else "") for p in m.bundle.attachment_pages(f.sha256)]
            if f.sha256
            else []
        )
        m.store.write_attachment(f, pages or None, run_id=m.run_id)


def _merge_http_state(m: _Merge, kept: set[str]) -> None:
    """Per URL, the row with the newer fetch wins (its validators describe the data now stored).

    A member page's row is taken only with the member itself: validators of a copy we did not take would
    make the next sync accept a 304 for data the cache does not hold.
    """
    ours = m.store.http_times()
    for row in m.bundle.http_rows():
        if row.get("kind") == "member" and _key(row.get("member_slug")) in kept:
            continue
        for k in ("fetched_at", "checked_at", "confirmed_at", "gone_at"):
            if k in row:
                row[k] = m.when(row[k])
        url = row.get("url")
        if url not in ours or newer(row.get("fetched_at"), ours[url]):
            m.store.put_http_state(row)
