"""Notes files: `ogptui notes --export FILE.md|.json` and `ogptui notes --import FILE.json`.

The JSON file is the notes and bookmarks as records (`model.Note`, `model.Bookmark`); importing merges by
target and updated time and never overwrites silently: a different text on the same target keeps both. Every
value read from a file goes in through the one cleaner, like every other door into the store. The targets
themselves are parsed in `ogptui.notes`. No Textual here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ogptui.clean import clean_multiline, clean_text
from ogptui.model import NOTE_CAP, Bookmark, Note
from ogptui.notes import SLUG_RE, TargetError, entries, kind_of_key, member_of_key
from ogptui.timefmt import in_future, parse_iso

if TYPE_CHECKING:
    from ogptui.store import Store

FILE_FORMAT = "ogptui-notes"
FILE_VERSION = 1
MAX_FILE_BYTES = 50_000_000  # a notes file of 1,000 full-length notes; anything bigger is not ours


# ---- files: export and import ------------------------------------------------------------------------
def export_json(store: Store) -> str:
    notes = store.notes.notes()
    books = store.notes.bookmarks()
    data = {
        "format": FILE_FORMAT,
        "version": FILE_VERSION,
        "notes": [n.to_dict() for n in notes],
        "bookmarks": [b.to_dict() for b in books],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def export_markdown(store: Store) -> str:
    """Notes and bookmarks as a Markdown document, by member (the text escaped: it stays literal)."""
    from ogptui.brief import md_text

    lines = ["# My ogptui notes and bookmarks", ""]
    current: object = object()
    for e in entries(store):
        if e.member != current:
            current = e.member
            head = e.member_name or e.member or "Documents and contacts of no cached member"
            lines += [f"## {md_text(head)}", ""]
        title = md_text(e.target.label())
        state = f" ({e.state_text()})" if e.state_text() else ""
        mark = " · bookmarked" if e.bookmark else ""
        if e.note is None:
            lines += [f"- **{title}** `{md_text(e.target.key)}`{state}{mark}", ""]
            continue
        copy = f" · conflict copy {e.note.copy} ({md_text(e.note.origin or '')})" if e.note.copy else ""
        lines += [
            f"### {title}{state}",
            "",
            f"`{md_text(e.target.key)}` · updated {e.note.updated_at}{mark}{copy}",
            "",
        ]
        lines += [f"> {md_text(line)}" if line else ">" for line in e.note.text.split("\n")]
        lines.append("")
    if len(lines) == 2:
        lines.append("_No notes or bookmarks yet._")
    return "\n".join(lines).rstrip() + "\n"


@dataclass
class ImportResult:
    added: int = 0
    same: int = 0
    conflicts: int = 0
    bookmarks: int = 0
    skipped: int = 0

    def text(self, name: str) -> str:
        parts = [
            f"{self.added} notes added",
            f"{self.conflicts} kept beside a different note (conflict copies)",
            f"{self.same} already here",
            f"{self.bookmarks} bookmarks added",
        ]
        if self.skipped:
            parts.append(f"{self.skipped} entries skipped (not notes this version understands)")
        return f"imported {name}: " + ", ".join(parts)


def read_notes_file(path: Path) -> tuple[list[Note], list[Bookmark], int]:
    """Notes and bookmarks of an export file, checked entry by entry (bad ones counted, never stored)."""
    try:
        size = path.stat().st_size
    except OSError as e:
        raise TargetError(f"cannot read {path}: {e.strerror or e}; check the file name") from None
    if path.is_dir():
        raise TargetError(f"{path} is a folder; give the .json file made by `ogptui notes --export`")
    if size > MAX_FILE_BYTES:
        raise TargetError(
            f"{path} is too large for a notes file ({size} bytes); it is not an ogptui notes export"
        )
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as e:
        raise TargetError(f"{path} is not a readable notes file ({str(e)[:120]}); export it again") from None
    return parse_notes_data(data, str(path))


def parse_notes_data(data: Any, name: str) -> tuple[list[Note], list[Bookmark], int]:
    if not isinstance(data, dict) or data.get("format") != FILE_FORMAT:
        raise TargetError(f"{name} is not an ogptui notes file (made by `ogptui notes --export FILE.json`)")
    version = data.get("version")
    if not isinstance(version, int) or version < 1:
        raise TargetError(f"{name} has no readable version; export it again")
    if version > FILE_VERSION:
        raise TargetError(f"{name} was written by a newer ogptui (notes format {version}); upgrade ogptui")
    notes: list[Note] = []
    books: list[Bookmark] = []
    skipped = 0
    for item in data.get("notes") or []:
        n = _note_from(item)
        if n is None:
            skipped += 1
        else:
            notes.append(n)
    for item in data.get("bookmarks") or []:
        b = _bookmark_from(item)
        if b is None:
            skipped += 1
        else:
            books.append(b)
    return notes, books, skipped


def _time(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    from datetime import UTC, datetime

    if parse_iso(value) is None or in_future(value, datetime.now(UTC)):
        return None  # unknown, or in the future: taken as now when stored
    return clean_text(value, cap=40)


def _str(value: Any, cap: int = 400) -> str | None:
    return clean_text(value, cap=cap) or None if isinstance(value, str) else None


def _note_from(item: Any) -> Note | None:
    if (
        not isinstance(item, dict)
        or not isinstance(item.get("target"), str)
        or not isinstance(item.get("text"), str)
    ):
        return None
    key = item["target"]
    kind = kind_of_key(key)
    text = clean_multiline(item["text"], cap=NOTE_CAP)
    if kind is None or not text:
        return None
    member = _str(item.get("member_slug"), 200)
    if member is None or not SLUG_RE.fullmatch(member):
        member = member_of_key(key)
    return Note(
        target=key,
        kind=kind,
        member_slug=member,
        title=_str(item.get("title")),
        text=text,
        created_at=_time(item.get("created_at")),
        updated_at=_time(item.get("updated_at")),
    )


def _bookmark_from(item: Any) -> Bookmark | None:
    if not isinstance(item, dict) or not isinstance(item.get("target"), str):
        return None
    key = item["target"]
    kind = kind_of_key(key)
    if kind is None:
        return None
    member = _str(item.get("member_slug"), 200)
    if member is None or not SLUG_RE.fullmatch(member):
        member = member_of_key(key)
    url = _str(item.get("url"), 2_000)
    return Bookmark(key, kind, member, _str(item.get("title")), url, _time(item.get("created_at")))


def import_notes(
    store: Store, notes: list[Note], books: list[Bookmark], origin: str, now: str
) -> ImportResult:
    counts = store.notes.merge(notes, books, origin, now)
    return ImportResult(counts["added"], counts["same"], counts["conflicts"], counts["bookmarks"])
