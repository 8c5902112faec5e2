"""The user's notes in a bundle: only with `ogptui export --with-notes`, merged only with `import --with-notes`.

A bundle never carries user.db. With `--with-notes`, the export adds `notes.json` (the format of
`ogptui notes --export FILE.json`) beside the cache, with its size, sha256 and counts in the manifest under
`notes`; an import says that a bundle carries notes and merges them into user.db only when asked, with the
same rules as `ogptui notes --import` (a different text on the same target keeps both). No Textual here.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ogptui.model import Bookmark, Note

if TYPE_CHECKING:
    from ogptui.store import Store

NOTES_NAME = "notes.json"
MAX_NOTES_BYTES = 50_000_000


class BundleNotesError(Exception):
    """The notes of a bundle cannot be read (one sentence)."""


def payload(store: Store, members: list[str] | None) -> tuple[bytes, dict[str, Any]]:
    """notes.json for a bundle (all notes, or those of `members`) and its manifest entry."""
    from ogptui.notes_files import FILE_FORMAT, FILE_VERSION

    wanted = set(members) if members else None
    notes = [n for n in store.notes.notes() if wanted is None or n.member_slug in wanted]
    books = [b for b in store.notes.bookmarks() if wanted is None or b.member_slug in wanted]
    data = {
        "format": FILE_FORMAT,
        "version": FILE_VERSION,
        "notes": [n.to_dict() for n in notes],
        "bookmarks": [b.to_dict() for b in books],
    }
    blob = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    meta = {
        "name": NOTES_NAME,
        "size": len(blob),
        "sha256": hashlib.sha256(blob).hexdigest(),
        "notes": len(notes),
        "bookmarks": len(books),
    }
    return blob, meta


def offered(manifest: dict[str, Any]) -> tuple[int, int] | None:
    """(notes, bookmarks) a bundle says it carries, or None."""
    meta = manifest.get("notes")
    if not isinstance(meta, dict):
        return None
    n, b = meta.get("notes"), meta.get("bookmarks")
    return (n if isinstance(n, int) else 0, b if isinstance(b, int) else 0)


def read(src: Path, manifest: dict[str, Any]) -> tuple[list[Note], list[Bookmark], int]:
    """The notes of a verified bundle, checked against the manifest (size and sha256) and entry by entry."""
    from ogptui.notes import TargetError
    from ogptui.notes_files import parse_notes_data

    meta = manifest.get("notes")
    if (
        not isinstance(meta, dict)
        or not isinstance(meta.get("size"), int)
        or not isinstance(meta.get("sha256"), str)
    ):
        raise BundleNotesError(f"{src} carries no notes (export it with `ogptui export FILE --with-notes`)")
    if meta["size"] > MAX_NOTES_BYTES:
        raise BundleNotesError(
            f"{src} declares {meta['size']} bytes of notes, more than any notes file; export it again"
        )
    try:
        with zipfile.ZipFile(src) as zf:
            info = zf.getinfo(NOTES_NAME)
            if info.file_size != meta["size"]:
                raise BundleNotesError(
                    f"the notes in {src} do not match its manifest; export the bundle again"
                )
            with zf.open(info) as fh:
                blob = fh.read(MAX_NOTES_BYTES + 1)
    except KeyError:
        raise BundleNotesError(
            f"{src} lacks the notes its manifest announces; export the bundle again"
        ) from None
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError) as e:
        raise BundleNotesError(
            f"the notes in {src} are damaged ({e}); copy or download the bundle again"
        ) from e
    if len(blob) != meta["size"] or hashlib.sha256(blob).hexdigest() != meta["sha256"].lower():
        raise BundleNotesError(
            f"the notes in {src} do not match their checksum; copy or download the bundle again"
        )
    try:
        data = json.loads(blob.decode("utf-8"))
        return parse_notes_data(data, f"the notes in {src}")
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        raise BundleNotesError(
            f"the notes in {src} cannot be read ({str(e)[:120]}); export the bundle again"
        ) from None
    except TargetError as e:
        raise BundleNotesError(str(e)) from None
