"""The layout of a published mirror (`ogptui publish DIR`) and the one reader of its `index.json`.

A mirror is a folder any static web server, object store or CDN can serve:

- `index.json` (the root): `format` ("ogptui-mirror"), `format_version`, `app_version`, `schema_version`,
  `created_at`, `generation` (1, 2, … one per publish), `members` (how many) and `shards`: the files that
  list the members, each `{sha256, size, members}` (a shard is served at `index/<sha256[:16]>.json`).
- `index/<first 16 hex of its sha256>.json` (a shard): `format` ("ogptui-mirror-shard") and `members`: per
  member slug, `name`, `fetched_at`,
  `record_hash` (32 hex digits of the digest of its records, `ogptui.store.published`), `part` (the path
  of its bundle), `size` and `sha256` of that part, and `files`: the documents' attachment files it links,
  each `{path, size}`; `path` is where the cache keeps it, `<sha256[:2]>/<sha256>.<ext>`, so it names the
  file's sha256, and the mirror serves the file at `files/<sha256>`. The members, in slug order, are cut into
  ceil(sqrt(10 × members)) shards of equal count, so one change costs the root and one shard — a few kB —
  rather than an index of every member (~900 bytes each with their files). A member joining or leaving
  shifts the later shards (a one-off cost of the whole index); a change of data moves nothing. Compact JSON.
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

import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

FORMAT = "ogptui-mirror"
SHARD_FORMAT = "ogptui-mirror-shard"
INDEX_DIR = "index"
SHARD_RE = re.compile(r"\Aindex/([0-9a-f]{16})\.json\Z")
MAX_SHARDS = 10_000
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


@dataclass(frozen=True)
class ShardEntry:
    path: str  # "index/<hash16>.json"
    size: int
    sha256: str
    members: int


def _dump(doc: dict[str, Any]) -> bytes:
    return (json.dumps(doc, separators=(",", ":"), ensure_ascii=False) + "\n").encode("utf-8")


def shard_count(members: int) -> int:
    return max(1, math.ceil(math.sqrt(10 * members)))


@dataclass
class MirrorIndex:
    """A mirror's index: the root's fields, its shards, and the members (once the shards are read)."""

    created_at: str
    generation: int
    schema_version: int
    app_version: str
    members: dict[str, PartEntry] = field(default_factory=dict)
    shards: list[ShardEntry] = field(default_factory=list)
    member_count: int = 0

    def documents(self) -> tuple[bytes, dict[str, bytes]]:
        """The root's bytes and each shard's ({path: bytes}), from `members`; sets `shards`."""
        ordered = sorted(self.members.items())
        per = math.ceil(len(ordered) / shard_count(len(ordered))) if ordered else 1
        groups = [
            {slug: e.as_json() for slug, e in ordered[i : i + per]} for i in range(0, len(ordered), per)
        ]
        files: dict[str, bytes] = {}
        self.shards = []
        for members in groups:
            data = _dump({"format": SHARD_FORMAT, "members": members})
            sha = hashlib.sha256(data).hexdigest()
            path = f"{INDEX_DIR}/{sha[:16]}.json"
            files[path] = data
            self.shards.append(ShardEntry(path, len(data), sha, len(members)))
        self.member_count = len(self.members)
        root = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "app_version": self.app_version,
            "schema_version": self.schema_version,
            "created_at": self.created_at,
            "generation": self.generation,
            "members": self.member_count,
            "shards": [{"sha256": s.sha256, "size": s.size, "members": s.members} for s in self.shards],
        }
        return _dump(root), files

    def paths(self) -> set[str]:
        """Every shard, part and file path this index names (relative to the mirror's folder)."""
        out = {s.path for s in self.shards}
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


def _json(data: bytes, where: str) -> Any:
    if len(data) > MAX_INDEX_BYTES:
        raise MirrorIndexError(
            f"the mirror index {where} is larger than {MAX_INDEX_BYTES // 1_000_000} MB, far more than any "
            "real mirror lists; check the address"
        )
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise MirrorIndexError(
            f"the mirror index {where} is not valid JSON ({str(e)[:80]}); check the address, or publish again"
        ) from None


def parse_shard(data: bytes, where: str) -> dict[str, PartEntry]:
    """The members one shard lists, each checked (see `parse_index`). Raises MirrorIndexError."""
    doc = _json(data, where)
    if (
        not isinstance(doc, dict)
        or doc.get("format") != SHARD_FORMAT
        or not isinstance(doc.get("members"), dict)
    ):
        raise MirrorIndexError(f"{where} is not a shard of an ogptui mirror index; publish the mirror again")
    return {slug: _entry(slug, raw, where) for slug, raw in doc["members"].items()}


def parse_index(data: bytes, where: str) -> MirrorIndex:
    """Read and check a root index (its shards are listed, not read); `where` names it in messages (its URL).
    Raises MirrorIndexError."""
    doc = _json(data, where)
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
    shards = doc.get("shards")
    if not isinstance(shards, list) or len(shards) > MAX_SHARDS:
        raise MirrorIndexError(f"the mirror index {where} lists no shards; publish it again")
    index = MirrorIndex(
        created_at=_text(doc.get("created_at"), 64) or "",
        generation=_int(doc.get("generation"), 10**12) or 0,
        schema_version=_int(doc.get("schema_version"), 1_000_000) or 0,
        app_version=_text(doc.get("app_version"), 64) or "",
    )
    for raw in shards:
        fields = raw if isinstance(raw, dict) else {}
        sha = fields.get("sha256")
        size, n = _int(fields.get("size"), MAX_INDEX_BYTES), _int(fields.get("members"), 10**7)
        if not isinstance(sha, str) or not SHA_RE.match(sha) or not size or n is None:
            raise _bad(where, raw)
        path = f"{INDEX_DIR}/{sha[:16]}.json"  # named by its hash; a "path" given must say the same
        if fields.get("path", path) != path:
            raise _bad(where, fields.get("path"))
        index.shards.append(ShardEntry(path, size, sha, n))
    index.member_count = sum(s.members for s in index.shards)
    return index


def load_folder(folder: Any) -> MirrorIndex:
    """A published mirror read from its folder (root and every shard, each checked against its sha256).
    Raises MirrorIndexError or OSError."""
    from pathlib import Path

    root = Path(folder)
    with (root / INDEX_NAME).open("rb") as fh:
        index = parse_index(fh.read(MAX_INDEX_BYTES + 1), str(root / INDEX_NAME))
    for s in index.shards:
        with (root / s.path).open("rb") as fh:
            data = fh.read(MAX_INDEX_BYTES + 1)
        if len(data) != s.size or hashlib.sha256(data).hexdigest() != s.sha256:
            raise MirrorIndexError(f"{root / s.path} does not match its sha256 in index.json")
        index.members.update(parse_shard(data, str(root / s.path)))
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
    "ShardEntry",
    "load_folder",
    "parse_shard",
    "MirrorIndexError",
    "PartEntry",
    "parse_index",
    "part_name",
]
