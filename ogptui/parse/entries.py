"""The commitment and resource lists of a member page, found by the shape of their items' meta lines.

A commitment's meta line is `ID, YEAR[, POLICY AREA]` (`PE0084, 2019, Anti-Corruption`); a resource's is
`YEAR[, TYPE], FORMAT` (`2024, IRM Report, Web page`). A list is recognised by these lines whatever heading
is (or is not) above it; the heading only decides for items that carry no meta line (a title cut off by
the end of an excerpt, a resource listed without its year). Items are list items, or, in markups that do
not use lists, a title line followed by its meta line. A rendering that lost its link texts leaves meta
lines alone: those are untitled entries, never merged with their neighbours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ogptui.parse.common import Line, is_chrome, key_of
from ogptui.parse.items import COMMITMENT_META, FORMATS, RESOURCE_META
from ogptui.vocab import fold

# Strict shapes, for lines that no list heading vouches for.
COMMITMENT_SHAPE = re.compile(r"^[A-Z]{2,8}\d{2,6}[A-Z0-9]*\s*,\s*\d{4}\s*(?:,\s*\S.*)?$")
_RESOURCE_SHAPE = re.compile(r"^\d{4}\s*,\s*(?:[^,]{1,80},\s*)*([^,]{1,40})$")
_FOOTER = frozenset({"open government partnership", "show more"})

KINDS = {"commitments": "commitment", "resources": "resource"}


@dataclass(slots=True)
class Entry:
    """One commitment or resource item: its title lines and meta line as they appear on the page."""

    kind: str  # "commitment" or "resource"
    title: str | None
    meta: str | None
    href: str | None
    at: int  # index of its first line
    end: int  # index after its last line
    by_heading: bool  # True when a list heading of its kind is above it, False when found by shape


def shape_of(text: str, heading: str | None = None) -> str | None:
    """ "commitment" / "resource" when `text` is a meta line (strictly, or loosely under a list heading)."""
    if len(text) > 200:
        return None
    if COMMITMENT_SHAPE.match(text) or (heading == "commitments" and COMMITMENT_META.match(text)):
        return "commitment"
    m = _RESOURCE_SHAPE.match(text)
    if m and fold(m.group(1).strip()) in FORMATS:
        return "resource"
    if heading == "resources" and RESOURCE_META.match(text):
        return "resource"
    return None


def find_entries(
    lines: list[Line], owner: list[str | None], end: int, headings: frozenset[str]
) -> list[Entry]:
    """Entries among lines[:end]; `owner[i]` is the section key line i sits under (None before any)."""
    entries: list[Entry] = []
    i = 0
    while i < end:
        line = lines[i]
        heading = owner[i]
        if line.is_item and line.index == 0:
            block = line.block
            n = len(block.lines)
            kind = meta = None
            title_lines: list[str] = []
            for t in block.lines:
                if meta is None and (k := shape_of(t, heading)):
                    kind, meta = k, t
                elif meta is None:
                    title_lines.append(t)
            if kind is None and heading in KINDS:
                kind = KINDS[heading]
            if kind is not None:
                entries.append(
                    Entry(kind, " ".join(title_lines) or None, meta, block.href, i, i + n, heading in KINDS)
                )
            i += n
            continue
        kind = shape_of(line.text, heading) if line.block.cells is None else None
        if kind is None:
            i += 1
            continue
        last = entries[-1] if entries else None
        if last is not None and last.meta is None and last.end == i and last.kind == kind:
            last.meta, last.end = line.text, i + 1  # a title item whose meta line came out as a paragraph
            i += 1
            continue
        start, title, href = i, None, None
        prev = lines[i - 1] if i > 0 else None
        if (
            prev is not None
            and (last is None or last.end <= i - 1)
            and not prev.is_item
            and prev.standalone
            and len(prev.text) <= 300
            and not is_chrome(prev.text)
            and key_of(prev.text) not in headings
            and shape_of(prev.text, owner[i - 1]) is None
        ):
            start, title, href = i - 1, prev.text, prev.block.href
        entries.append(Entry(kind, title, line.text, href, start, i + 1, heading in KINDS))
        i += 1
    return entries


def cut_at_page_end(entries: list[Entry], lines: list[Line]) -> Entry | None:
    """The last entry when an excerpt ends inside it: a title with no meta line and nothing after it."""
    if not entries or entries[-1].meta is not None:
        return None
    last = entries[-1]
    for line in lines[last.end :]:
        if not is_chrome(line.text) and fold(line.text) not in _FOOTER:
            return None
    return last
