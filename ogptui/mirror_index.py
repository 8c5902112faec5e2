"""The layout of a published mirror (`ogptui publish DIR`) and the one reader of its `index.json`.

A mirror is a folder any static web server, object store or CDN can serve:

- `index.json`: `format` ("ogptui-mirror"), `format_version`, `app_version`, `schema_version`,
  `created_at`, `generation` (1, 2, … one per publish) and `members`: per member slug, `name`, `fetched_at`,
  `record_hash` (32 hex digits of the digest of its records, `ogptui.store.published`), `part` (the path
  of its bundle), `size` and `sha256` of that part, and `files`: the documents' attachment files it links,
  each `{path, size}`; `path` is where the cache keeps it, `<sha256[:2]>/<sha256>.<ext>`, so it names the
  file's sha256, and the mirror serves the file at `files/<sha256>`. Compact JSON: the index is fetched
  whole whenever anything changed, so each member costs about 250 bytes in it.
- `members/<slug>-<first 16 hex of the part's sha256>.bundle`: one ordinary bundle (`ogptui export
  --member SLUG`) per member, named by its content, so a name never changes meaning.
- `files/<sha256>` (with `publish --with-files`): the attachment files, named by their content.

Everything is written to a temporary name and renamed into place, `index.json` last, so a web server never
serves half a file and a client that read the previous index finds its parts for one more generation.

`parse_index` refuses anything else in one sentence (`MirrorIndexError`): not JSON, too large, another
format or a newer version, a member or file entry of the wrong shape, a part or file name that is not
exactly the content-addressed form above (no `..`, no `/` beyond the one folder, no absolute URL), a hash
that is not 64 hex digits or a part whose name disagrees with its hash. Standard library only; no Textual.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

FORMAT = "ogptui-mirror"
FORMAT_VERSION = 1
INDEX_NAME = "index.json"
MEMBERS_DIR, FILES_DIR = "members", "files"
MAX_INDEX_BYTES = 16_000_000
MAX_PART_BYTES = 2_000_000_000
MAX_FILE_BYTES = 2_000_000_000

SHA_RE = re.compile(r"\A[0-9a-f]{64}\Z")
PART_RE = re.compile(r"\Amembers/([a-z0-9][a-z0-9_-]{0,119})-([0-9a-f]{16})\.bundle\Z")
_FILE_PATH_RE = re.compile(r"\A([0-9a-f]{2})/(\1[0-9a-f]{62})\.([a-z0-9]{1,5})\Z")
RECORD_RE = re.compile(r"\A[0-9a-f]{32,64}\Z")
_SLUG_RE = re.compile(r"\A[a-z0-9][a-z0-9_-]{0,119}\Z")


class MirrorIndexError(Exception):
    """index.json is not a usable mirror index (one sentence that says what to do)."""


@dataclass(frozen=True)
class FileEntry:
    path: str  # where the cache keeps it: "ab/ab12….pdf"
    sha256: str
    size: int

    @property
    def url_path(self) -> str:
        return f"{FILES_DIR}/{self.sha256}"


@dataclass
class PartEntry:
    slug: str
    name: str
    fetched_at: str | None
    record_hash: str
    part: str  # "members/<slug>-<hash16>.bundle"
    size: int
    sha256: str
    files: list[FileEntry] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "fetched_at": self.fetched_at,
            "record_hash": self.record_hash,
            "part": self.part,
            "size": self.size,
            "sha256": self.sha256,
            "files": [{"path": f.path, "size": f.size} for f in self.files],
        }


@dataclass
class MirrorIndex:
    created_at: str
    generation: int
    schema_version: int
    app_version: str
    members: dict[str, PartEntry] = field(default_factory=dict)

    def as_json(self) -> bytes:
        doc = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "app_version": self.app_version,
            "schema_version": self.schema_version,
            "created_at": self.created_at,
            "generation": self.generation,
            "members": {slug: e.as_json() for slug, e in sorted(self.members.items())},
        }
        return (json.dumps(doc, separators=(",", ":"), ensure_ascii=False) + "\n").encode("utf-8")

    def paths(self) -> set[str]:
        """Every part and file path this index names (relative to the mirror's folder)."""
        out = set()
        for e in self.members.values():
            out.add(e.part)
            out.update(f.url_path for f in e.files)
        return out


def part_slug(slug: str) -> str:
    """The slug as it may appear in a part's name (lower case letters, digits, `-` and `_`)."""
    s = re.sub(r"[^a-z0-9_-]+", "-", slug.lower()).strip("-_")[:120]
    return s or "member"


def part_name(slug: str, sha256: str) -> str:
    return f"{MEMBERS_DIR}/{part_slug(slug)}-{sha256[:16]}.bundle"


def _int(value: Any, limit: int) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= limit:
        return None
    return value


def _text(value: Any, cap: int = 500) -> str | None:
    return value if isinstance(value, str) and len(value) <= cap else None


def parse_index(data: bytes, where: str) -> MirrorIndex:
    """Read and check a whole index; `where` names it in messages (its URL). Raises MirrorIndexError."""
    if len(data) > MAX_INDEX_BYTES:
        raise MirrorIndexError(
            f"the mirror index {where} is larger than {MAX_INDEX_BYTES // 1_000_000} MB, far more than any "
            "real mirror lists; check the address"
        )
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise MirrorIndexError(
            f"the mirror index {where} is not valid JSON ({str(e)[:80]}); check the address, or publish again"
        ) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise MirrorIndexError(f"{where} is not an ogptui mirror index; check the address")
    version = _int(doc.get("format_version"), 1_000_000)
    if not version:
        raise MirrorIndexError(f"the mirror index {where} has no readable format version; publish it again")
    if version > FORMAT_VERSION:
        raise MirrorIndexError(
            f"the mirror {where} was published by a newer ogptui (mirror format {version}, this one reads "
            f"{FORMAT_VERSION}); upgrade ogptui"
        )
    members = doc.get("members")
    if not isinstance(members, dict):
        raise MirrorIndexError(f"the mirror index {where} lists no members; publish it again")
    index = MirrorIndex(
        created_at=_text(doc.get("created_at"), 64) or "",
        generation=_int(doc.get("generation"), 10**12) or 0,
        schema_version=_int(doc.get("schema_version"), 1_000_000) or 0,
        app_version=_text(doc.get("app_version"), 64) or "",
    )
    for slug, raw in members.items():
        index.members[slug] = _entry(slug, raw, where)
    return index


def _bad(where: str, what: Any) -> MirrorIndexError:
    return MirrorIndexError(
        f"the mirror index {where} has an entry that is not a safe mirror part ({str(what)[:80]!r}); "
        "nothing was imported, publish the mirror again"
    )


def _entry(slug: Any, raw: Any, where: str) -> PartEntry:
    if not isinstance(slug, str) or not _SLUG_RE.match(slug) or not isinstance(raw, dict):
        raise _bad(where, slug)
    part, sha = raw.get("part"), raw.get("sha256")
    size = _int(raw.get("size"), MAX_PART_BYTES)
    record = raw.get("record_hash")
    m = PART_RE.match(part) if isinstance(part, str) else None
    if (
        m is None
        or not isinstance(part, str)
        or not isinstance(sha, str)
        or not SHA_RE.match(sha)
        or m.group(2) != sha[:16]
        or m.group(1) != part_slug(slug)
        or not size
        or not isinstance(record, str)
        or not RECORD_RE.match(record)
    ):
        raise _bad(where, part if isinstance(part, str) else slug)
    files = raw.get("files", [])
    if not isinstance(files, list):
        raise _bad(where, files)
    checked = []
    for f in files:
        fm = (
            _FILE_PATH_RE.match(f.get("path", ""))
            if isinstance(f, dict) and isinstance(f.get("path"), str)
            else None
        )
        fsize = _int(f.get("size"), MAX_FILE_BYTES) if isinstance(f, dict) else None
        if fm is None or f.get("sha256", fm.group(2)) != fm.group(2) or fsize is None:
            raise _bad(where, f)
        checked.append(FileEntry(path=f["path"], sha256=fm.group(2), size=fsize))
    fetched = raw.get("fetched_at")
    return PartEntry(
        slug=slug,
        name=_text(raw.get("name")) or slug,
        fetched_at=_text(fetched, 64),
        record_hash=record,
        part=part,
        size=size,
        sha256=sha,
        files=checked,
    )


__all__ = [
    "FORMAT",
    "INDEX_NAME",
    "FileEntry",
    "MirrorIndex",
    "MirrorIndexError",
    "PartEntry",
    "parse_index",
    "part_name",
]
