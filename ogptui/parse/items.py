"""List items of a member page: commitments (`ID, YEAR, POLICY AREA`) and resources (`YEAR, TYPE, FORMAT`)."""

from __future__ import annotations

import re

from ogptui.model import Commitment, Resource
from ogptui.parse.blocks import Block
from ogptui.vocab import RESOURCE_FORMATS, fold

COMMITMENT_META = re.compile(r"^([A-Z]{2,8}\d{2,6}[A-Z0-9]*)\s*(?:,\s*(\d{4}))?\s*(?:,\s*(.+))?$")
RESOURCE_META = re.compile(r"^(\d{4})\s*(?:,\s*(.*))?$")
_COMMITMENT_HREF = re.compile(r"/commitments/([A-Za-z]{2,8}\d{2,6}[A-Za-z0-9]*)/?(?:[?#].*)?$")
# Format words in every language (`Web page`, `Página web`, `Page web`, `PDF`…), declared in labels.py.
FORMATS = frozenset(fold(x) for words in RESOURCE_FORMATS.values() for x in words)


def item_parts(block: Block, meta: re.Pattern[str]) -> tuple[str | None, re.Match[str] | None]:
    """(title, meta match) of an item; a rendering without link text leaves only the meta line."""
    lines = block.lines
    meta_m = None
    title_lines: list[str] = []
    for line in lines:
        m = meta.match(line) if meta_m is None else None
        if m:
            meta_m = m
        elif meta_m is None:
            title_lines.append(line)
    title = " ".join(title_lines) or None
    return title, meta_m


UNTITLED = "(untitled)"  # the title of a resource whose link text the rendering lost


def commitment_from_item(block: Block, href: str | None) -> Commitment | None:
    title, m = item_parts(block, COMMITMENT_META)
    return _commitment(title, m, href)


def commitment_from_parts(title: str | None, meta: str | None, href: str | None) -> Commitment | None:
    return _commitment(title, COMMITMENT_META.match(meta) if meta else None, href)


def _commitment(title: str | None, m: re.Match[str] | None, href: str | None) -> Commitment | None:
    cid = m.group(1) if m else None
    if cid is None and href:
        hm = _COMMITMENT_HREF.search(href)
        cid = hm.group(1).upper() if hm else None
    if cid is None:
        return None
    year = int(m.group(2)) if m and m.group(2) else None
    area = (m.group(3) or "").strip() or None if m else None
    return Commitment(id=cid, title=title, year=year, policy_area=area, url=href)


def resource_from_item(block: Block, href: str | None) -> Resource | None:
    title, m = item_parts(block, RESOURCE_META)
    if not title:
        return None
    return _resource(title, m, href)


def resource_from_parts(title: str | None, meta: str | None, href: str | None) -> Resource:
    """A resource from its title and meta line; a missing title becomes UNTITLED."""
    return _resource(title or UNTITLED, RESOURCE_META.match(meta) if meta else None, href)


def _resource(title: str, m: re.Match[str] | None, href: str | None) -> Resource:
    year = rtype = fmt = None
    if m:
        year = int(m.group(1))
        parts = [p.strip() for p in (m.group(2) or "").split(",") if p.strip()]
        if len(parts) >= 2:
            rtype, fmt = ", ".join(parts[:-1]), parts[-1]
        elif len(parts) == 1:
            if fold(parts[0]) in FORMATS:
                fmt = parts[0]
            else:
                rtype = parts[0]
    return Resource(title=title, year=year, type=rtype, format=fmt, url=href)
