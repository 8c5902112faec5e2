"""Helpers shared by the page parsers: the line stream, section finding, URLs and slugs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from ogptui.parse.blocks import Block
from ogptui.parse.labels import CHROME, norm_set
from ogptui.urls import document_slug, slug_of
from ogptui.vocab import norm

MAX_LABEL_LEN = 90
_CHROME = norm_set(x for labels in CHROME.values() for x in labels)


@dataclass(slots=True)
class Line:
    """One visual line of the page, with the block it came from."""

    text: str
    block: Block
    index: int  # position of the line inside its block

    @property
    def is_item(self) -> bool:
        return self.block.kind == "item"

    @property
    def standalone(self) -> bool:
        """A line that can be a heading: a heading, or a paragraph line that is not a table cell.

        (Text renderings carry no heading marks, and put a heading and the line below it in one paragraph.)
        """
        return self.block.kind == "heading" or (self.block.kind == "paragraph" and self.block.cells is None)


def flatten(blocks: list[Block]) -> list[Line]:
    return [Line(t, b, i) for b in blocks for i, t in enumerate(b.lines)]


def key_of(text: str) -> str | None:
    """norm(text) if the text is short enough to be a label, else None."""
    return norm(text) if len(text) <= MAX_LABEL_LEN else None


def is_chrome(text: str) -> bool:
    return len(text) <= 40 and norm(text) in _CHROME


def find_sections(
    lines: list[Line], index: dict[str, tuple[str, str]]
) -> tuple[dict[str, tuple[int, int]], set[str]]:
    """First occurrence of each section heading → (start, end) line range (end = next heading).

    Returns the ranges and the set of languages whose labels were seen.
    """
    starts: list[tuple[int, str]] = []
    seen: set[str] = set()
    langs: set[str] = set()
    for i, line in enumerate(lines):
        if not line.standalone:
            continue
        k = key_of(line.text)
        hit = index.get(k) if k else None
        if hit and hit[0] not in seen:
            seen.add(hit[0])
            langs.add(hit[1])
            starts.append((i, hit[0]))
    ranges: dict[str, tuple[int, int]] = {}
    for n, (i, key) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        ranges[key] = (i + 1, end)
    return ranges, langs


# ------------------------------------------------------------------------------------------- URLs

_LANG_PREFIX = re.compile(r"^/(es|fr)(/|$)")
_MEMBER_PATH = re.compile(r"^(?:/(?:es|fr))?/(?:members|countries|country)/([^/?#]+)/?$", re.I)
_COMMITMENT_PATH = re.compile(r"^(?:/(?:es|fr))?/members/([^/?#]+)/commitments/([^/?#]+)/?$", re.I)
_DOCUMENT_PATH = re.compile(r"^(?:/(?:es|fr))?/documents/([^/?#]+)/?$", re.I)
_DIRECTORY_PATH = re.compile(r"^(?:/(?:es|fr))?/(?:local/participants|members|our-members)/?$", re.I)


def url_path(url: str | None) -> str:
    if not url:
        return ""
    try:
        return urlsplit(url).path or ""
    except ValueError:
        return ""


def kind_from_url(url: str | None) -> str | None:
    path = url_path(url)
    if not path:
        return None
    if _COMMITMENT_PATH.match(path):
        return "commitment"
    if _DIRECTORY_PATH.match(path):
        return "directory"
    if _MEMBER_PATH.match(path):
        return "member"
    if _DOCUMENT_PATH.match(path):
        return "document"
    return None


def member_slug_from_url(url: str | None) -> str | None:
    path = url_path(url)
    m = _COMMITMENT_PATH.match(path) or _MEMBER_PATH.match(path)
    return slugify(m.group(1)) if m else None


def commitment_id_from_url(url: str | None) -> str | None:
    m = _COMMITMENT_PATH.match(url_path(url))
    return m.group(2).upper() if m else None


def document_slug_from_url(url: str | None, page_url: str | None = None) -> str | None:
    """The slug of a document page link, or None for any other link (see `ogptui.urls.document_slug`)."""
    return document_slug(url, page_url)


def member_slug_from_href(href: str | None) -> str | None:
    m = _MEMBER_PATH.match(url_path(href))
    return slugify(m.group(1)) if m else None


def lang_from_url(url: str | None) -> str | None:
    m = _LANG_PREFIX.match(url_path(url))
    return m.group(1) if m else None


def origin(url: str | None) -> str | None:
    """`scheme://host[:port]` of an absolute http(s) URL, else None."""
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


# A path-absolute href that urljoin would return unchanged after the base's origin: no `//` anywhere
# (urljoin collapses empty segments), no `.`/`..` segments, no params, query or
# fragment (urljoin drops an empty one), nothing urlsplit would strip.
_PLAIN_ABS_PATH = re.compile(r"/(?![/.])(?:(?!//|/\.)[^?#;\s\\\x00-\x1f\x7f])*\Z")


def resolve(href: str | None, base: str | None) -> str | None:
    """Absolute form of a link when the page URL is known; the href as given otherwise."""
    if not href:
        return None
    if href.startswith(("https://", "http://")):
        return href
    root = origin(base) if base else None
    if root and _PLAIN_ABS_PATH.match(href):
        return root + href  # what urljoin gives for a plain `/path` (no `//`, `.` or `..`), 10× faster
    if root and base:
        try:
            return urljoin(base, href)
        except ValueError:
            return href
    return href


def slugify(name: str) -> str:
    """`Elgeyo Marakwet, Kenya` → `elgeyo-marakwet-kenya`; `Peru` → `peru`."""
    return slug_of(name)


_PLACE_COUNTRY = re.compile(r"^[^,]{1,80},\s*[^,\d]{2,60}$")


def is_local_name(name: str) -> bool:
    """Local members are named `Place, Country`."""
    return bool(_PLACE_COUNTRY.match(name))
