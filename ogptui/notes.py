"""The user's own layer: what a note or bookmark is attached to, and notes files (export and import).

A target is keyed by identifiers that survive re-syncs, renames of titles on the site and cache rebuilds:

| what you type                                   | kind       | stored key                         |
|-------------------------------------------------|------------|------------------------------------|
| `peru`                                          | member     | `peru`                             |
| `peru/PE0084`                                   | commitment | `peru/PE0084`                      |
| `peru-design-report-2019-2021`, `doc:SLUG`, a `/documents/SLUG/` address | document | `doc:SLUG` |
| any other `https://` address of a resource      | document   | `doc:https://…`                    |
| `ana@example.org`, `peru/ana@example.org`       | contact    | `contact:ana@example.org`          |
| `contact:peru/Ana Pérez` (a contact without email) | contact | `contact:peru/Ana Pérez`           |

A member or commitment address (`…/members/peru/`, `…/commitments/PE0084/`) gives the same key as its slug.
Each note and bookmark also remembers its target's title and member when saved, so a target that the site
no longer lists is still shown by name, marked "target gone from site". No Textual here; the SQL is in
`ogptui/store/notes.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ogptui.clean import clean_multiline, clean_text, fold
from ogptui.i18n import N_, _
from ogptui.model import NOTE_CAP, TARGET_KINDS, Bookmark, Commitment, Contact, Note, Resource
from ogptui.store.notes import commitment_row as _commitment_row
from ogptui.store.notes import contact_rows, member_names, member_row, resource_rows

if TYPE_CHECKING:
    from ogptui.store import Store

MAX_TARGET_CHARS = 2_000

SLUG_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,199}")
_CID = re.compile(r"[A-Za-z]{2,6}\d{2,6}")
_EMAIL = re.compile(r"[^\s@/]+@[^\s@/]+\.[^\s@/]+")
_MEMBER_URL = re.compile(r"/members/([A-Za-z0-9-]+)/?(?:commitments/([A-Za-z]{2,6}\d{2,6})/?)?$")
_DOC_URL = re.compile(r"/documents/([A-Za-z0-9_-]+)/?$")

# What a target is, when the cache is asked
HERE, GONE, UNCACHED = "here", "gone", "uncached"
STATE_TEXT = {HERE: "", GONE: N_("target gone from site"), UNCACHED: N_("not in the cache (sync its member)")}


def state_words(state: str) -> str:
    """What a target's state says to a person, in the interface language ("" when it is here)."""
    return _(STATE_TEXT[state]) if STATE_TEXT[state] else ""


class TargetError(ValueError):
    """A target that cannot be understood or found (one sentence, says what to type)."""


@dataclass(frozen=True)
class Target:
    kind: str  # member / commitment / document / contact
    key: str  # the stored key (see the module's table)
    member: str | None = None  # the member slug, when the key says it or the cache knows it
    title: str | None = None  # how the target is called now (None when the cache does not know it)
    url: str | None = None  # its link, when it has one

    def label(self) -> str:
        return self.title or self.key


# ---- building keys from records (the TUI's selected rows) --------------------------------------------
def member_target(slug: str, name: str | None = None) -> Target:
    return Target("member", slug.lower(), slug.lower(), name)


def commitment_target(slug: str, c: Commitment) -> Target:
    title = f"{c.id} {c.title}" if c.title else c.id
    return Target("commitment", f"{slug.lower()}/{c.id.upper()}", slug.lower(), title, c.url)


def resource_target(slug: str, r: Resource) -> Target | None:
    """A resource's note key comes from its link; a resource without one has no stable key (None)."""
    key = document_key(r.url) if r.url else None
    return Target("document", key, slug.lower(), r.title, r.url) if key else None


def contact_target(slug: str, c: Contact) -> Target:
    if c.email and _EMAIL.fullmatch(c.email.strip()):
        return Target("contact", f"contact:{c.email.strip().lower()}", slug.lower(), c.name)
    return Target("contact", f"contact:{slug.lower()}/{clean_text(c.name, cap=200)}", slug.lower(), c.name)


def commitment_key(slug: str, c: Commitment) -> str:
    return commitment_target(slug, c).key


def resource_key(slug: str, r: Resource) -> str | None:
    t = resource_target(slug, r)
    return t.key if t else None


def contact_key(slug: str, c: Contact) -> str:
    return contact_target(slug, c).key


def document_key(url: str) -> str | None:
    """`doc:<slug>` for a document page address, `doc:<address>` for any other http(s) link."""
    text = clean_text(url, cap=MAX_TARGET_CHARS)
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        if text.startswith("/documents/"):
            m = _DOC_URL.search(text.split("?")[0])
            return f"doc:{m.group(1).lower()}" if m else None
        return None
    m = _DOC_URL.search(parts.path)
    if m:
        return f"doc:{m.group(1).lower()}"
    return f"doc:{text}"


# ---- parsing what the person typed -------------------------------------------------------------------
def parse_target(text: str, store: Store, *, must_exist: bool = True) -> Target:
    """The target of `ogptui note/bookmark TARGET`. With `must_exist`, a key the cache does not know and
    that has no note or bookmark yet is refused with a hint; otherwise any well-formed key is taken."""
    raw = clean_text(text, cap=MAX_TARGET_CHARS)
    if not raw:
        raise TargetError(
            "give a target: a member slug (peru), SLUG/ID (peru/PE0084), a document or an email"
        )
    target = _parse(raw, store)
    found, state = describe(store, target)
    missing = state == UNCACHED or (state == GONE and target.kind != "member")
    if must_exist and missing and not _has_user_data(store, target.key):
        raise TargetError(_not_found(raw, target, store))
    return found


def _parse(raw: str, store: Store) -> Target:
    low = raw.lower()
    if low.startswith("doc:"):
        rest = raw[4:].strip()
        if "://" in rest or rest.startswith("/"):
            key = document_key(rest)
            if key is None:
                raise TargetError(f"'{rest}' is not an http(s) address of a document")
            return Target("document", key)
        if not SLUG_RE.fullmatch(rest.lower()):
            raise TargetError(f"'{rest}' is not a document slug (letters, digits and dashes)")
        return Target("document", f"doc:{rest.lower()}")
    if low.startswith("contact:"):
        rest = raw[8:].strip()
        if _EMAIL.fullmatch(rest):
            return Target("contact", f"contact:{rest.lower()}")
        slug, sep, name = rest.partition("/")
        if not sep or not SLUG_RE.fullmatch(slug.lower()) or not name.strip():
            raise TargetError("a contact is EMAIL or contact:SLUG/NAME (contact:peru/Ana Pérez)")
        return Target("contact", f"contact:{slug.lower()}/{name.strip()}", slug.lower())
    if "://" in raw:
        return _from_url(raw)
    if _EMAIL.fullmatch(raw):
        return Target("contact", f"contact:{low}")
    if "/" in raw:
        slug, _, rest = raw.partition("/")
        slug = slug.lower().strip()
        rest = rest.strip()
        if not SLUG_RE.fullmatch(slug):
            raise TargetError(f"'{slug}' is not a member slug (letters, digits and dashes)")
        if _CID.fullmatch(rest):
            return Target("commitment", f"{slug}/{rest.upper()}", slug)
        if _EMAIL.fullmatch(rest):
            return Target("contact", f"contact:{rest.lower()}", slug)
        raise TargetError(
            f"'{rest}' is not a commitment ID such as PE0084 (or an email); use SLUG/ID, e.g. peru/PE0084"
        )
    if not SLUG_RE.fullmatch(low):
        raise TargetError(
            f"'{raw}' is not a target: give a member slug (peru), SLUG/ID (peru/PE0084), a document slug or "
            "address, or a contact's email"
        )
    if (
        member_row(store, low) is None
        and not _has_user_data(store, low)
        and (resource_rows(store, doc_slug=low) or _has_user_data(store, f"doc:{low}"))
    ):
        return Target("document", f"doc:{low}")
    return Target("member", low, low)


def _from_url(raw: str) -> Target:
    try:
        parts = urlsplit(raw)
    except ValueError:
        raise TargetError(f"'{raw}' is not a web address") from None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise TargetError(f"'{raw}' is not an http(s) address")
    m = _MEMBER_URL.search(parts.path)
    if m:
        slug = m.group(1).lower()
        if m.group(2):
            return Target("commitment", f"{slug}/{m.group(2).upper()}", slug)
        return Target("member", slug, slug)
    key = document_key(raw)
    if key is None:
        raise TargetError(f"'{raw}' is not an http(s) address")
    return Target("document", key)


def _has_user_data(store: Store, key: str) -> bool:
    return bool(store.notes.notes_of(key)) or store.notes.bookmark(key) is not None


def _not_found(raw: str, target: Target, store: Store) -> str:
    what = {"member": "member", "commitment": "commitment", "document": "document", "contact": "contact"}
    if target.kind == "member":
        hint = store.find_slug(raw)
        more = (
            f"; did you mean {', '.join(hint)}?" if hint else "; run `ogptui members` to list cached members"
        )
        return f"no member, document or note '{raw}' in the cache{more}"
    if target.kind == "commitment" and target.member and member_row(store, target.member) is None:
        return f"no member '{target.member}' in the cache; run `ogptui sync {target.member}` first"
    return f"no {what[target.kind]} '{raw}' in the cache; check it with `ogptui show SLUG` or `ogptui search`"


# ---- what the cache says about a target ---------------------------------------------------------------
def describe(store: Store, target: Target) -> tuple[Target, str]:
    """(the target with its member, title and link filled from the cache where known, its state)."""
    kind, key = target.kind, target.key
    if kind == "member":
        row = member_row(store, key)
        if row is None:
            return target, UNCACHED
        return Target(kind, key, key, row["name"]), GONE if row["gone_at"] else HERE
    if kind == "commitment":
        slug, _, cid = key.partition("/")
        m = member_row(store, slug)
        if m is None:
            return target, UNCACHED
        c = _commitment_row(store, slug, cid)
        if c is None:  # the member's page no longer lists it (the embedded sample lists none: unknown)
            return Target(kind, key, slug, target.title), UNCACHED if m["embedded"] else GONE
        title = f"{c['id']} {c['title']}" if c["title"] else c["id"]
        return Target(kind, key, slug, title, c["url"]), GONE if m["gone_at"] else HERE
    if kind == "document":
        ref = key[4:]
        rows = resource_rows(store, url=ref) if "://" in ref else resource_rows(store, doc_slug=ref)
        if not rows:
            member = target.member
            if member and member_row(store, member) is not None:
                return target, GONE
            return target, UNCACHED
        pick = next((r for r in rows if r["member_slug"] == target.member), rows[0])
        return Target(kind, key, pick["member_slug"], pick["title"], pick["url"]), HERE
    if kind == "contact":
        ref = key[8:]
        if _EMAIL.fullmatch(ref):
            rows = contact_rows(store, email=ref)
            if not rows:
                member = target.member
                return target, GONE if member and member_row(store, member) is not None else UNCACHED
            pick = next((r for r in rows if r["member_slug"] == target.member), rows[0])
            return Target(kind, key, pick["member_slug"], pick["name"]), HERE
        slug, _, name = ref.partition("/")
        if member_row(store, slug) is None:
            return target, UNCACHED
        wanted = fold(name)
        for r in contact_rows(store, member=slug):
            if fold(r["name"]) == wanted:
                return Target(kind, key, slug, r["name"]), HERE
        return Target(kind, key, slug, target.title or name), GONE
    return target, UNCACHED


def kind_of_key(key: str) -> str | None:
    """The kind of a stored key (for keys read from a file), or None when it is not a key at all."""
    if not key or len(key) > MAX_TARGET_CHARS or key != clean_text(key, cap=MAX_TARGET_CHARS):
        return None
    if key.startswith("doc:"):
        rest = key[4:]
        return "document" if SLUG_RE.fullmatch(rest) or document_key(rest) == key else None
    if key.startswith("contact:"):
        rest = key[8:]
        if _EMAIL.fullmatch(rest) and rest == rest.lower():
            return "contact"
        slug, sep, name = rest.partition("/")
        return "contact" if sep and SLUG_RE.fullmatch(slug) and name.strip() else None
    if "/" in key:
        slug, _, cid = key.partition("/")
        return "commitment" if SLUG_RE.fullmatch(slug) and _CID.fullmatch(cid) and cid == cid.upper() else None
    return "member" if SLUG_RE.fullmatch(key) else None


def member_of_key(key: str) -> str | None:
    if key.startswith(("doc:", "contact:")):
        rest = key.split(":", 1)[1]
        slug, sep, _ = rest.partition("/")
        return slug if key.startswith("contact:") and sep and "@" not in rest else None
    return key.split("/", 1)[0]


# ---- saving ---------------------------------------------------------------------------------------
def new_note(target: Target, text: str) -> Note:
    """A note on `target` with `text` cleaned as every note is (multi-line, controls and escapes removed)."""
    return Note(
        target=target.key,
        kind=target.kind,
        member_slug=target.member,
        title=target.title,
        text=clean_multiline(text, cap=NOTE_CAP),
    )


def new_bookmark(target: Target) -> Bookmark:
    return Bookmark(target.key, target.kind, target.member, target.title, target.url)


# ---- listing --------------------------------------------------------------------------------------
@dataclass
class Entry:
    """One line of the notes list: a note (or conflict copy) and/or a bookmark, with its target's state."""

    target: Target
    state: str
    note: Note | None = None
    bookmark: Bookmark | None = None
    member_name: str | None = None

    @property
    def member(self) -> str | None:
        return self.target.member

    def state_text(self) -> str:
        return state_words(self.state)

    def to_dict(self) -> dict[str, Any]:
        return {
            "target": self.target.key,
            "kind": self.target.kind,
            "member": self.target.member,
            "title": self.target.title,
            "state": self.state,
            "note": self.note.text if self.note else None,
            "copy": self.note.copy if self.note else None,
            "origin": self.note.origin if self.note else None,
            "created_at": self.note.created_at if self.note else None,
            "updated_at": self.note.updated_at if self.note else None,
            "bookmarked": self.bookmark is not None,
        }


def entries(store: Store, member: str | None = None) -> list[Entry]:
    """Every note and bookmark (of one member), grouped by member: the member's own first, then its targets."""
    notes = store.notes.notes(member)
    marks = {b.target: b for b in store.notes.bookmarks(member)}
    out: list[Entry] = []
    seen: set[str] = set()
    for n in notes:
        saved = Target(n.kind, n.target, n.member_slug, n.title)
        target, state = describe(store, saved)
        if target.title is None:
            target = Target(target.kind, target.key, target.member, n.title, target.url)
        out.append(Entry(target, state, n, marks.get(n.target) if n.copy == 0 else None))
        seen.add(n.target)
    for key, b in marks.items():
        if key in seen:
            continue
        target, state = describe(store, Target(b.kind, b.target, b.member_slug, b.title, b.url))
        if target.title is None:
            target = Target(target.kind, target.key, target.member, b.title, b.url)
        out.append(Entry(target, state, None, b))
    names = member_names(store, (e.member for e in out if e.member))
    for e in out:
        e.member_name = names.get(e.member or "")
    order = {k: i for i, k in enumerate(TARGET_KINDS)}
    out.sort(
        key=lambda e: (
            e.member is None,
            fold(e.member_name or e.member or ""),
            order.get(e.target.kind, 9),
            fold(e.target.label()),
            e.note.copy if e.note else 0,
        )
    )
    return out


def member_notes(store: Store, slug: str) -> tuple[list[Entry], list[Entry]]:
    """(notes on the member and its targets, bookmarked targets) of one member, for its overview and brief.

    A document or contact that several members list (a national page lists its local members' letters)
    belongs to each of them here, whichever member it was noted from."""
    member = store.get_member(slug)
    shared: set[str] = set()
    if member is not None:
        shared = {k for r in member.resources if (k := resource_key(slug, r))}
        shared |= {contact_key(slug, c) for c in member.contacts}
    found = [e for e in entries(store) if e.member == slug or e.target.key in shared]
    return [e for e in found if e.note], [e for e in found if e.bookmark]
