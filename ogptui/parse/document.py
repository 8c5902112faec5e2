"""Document (resource) page: title, first paragraph, and the "At a glance" rows."""

from __future__ import annotations

import re

from ogptui.clean import clean_text
from ogptui.model import DocumentPage, PageRejected
from ogptui.parse.blocks import Block
from ogptui.parse.common import is_chrome

_MAX_LABEL = 80
_MAX_VALUE = 160
_CAPTION = re.compile(r"^(?:table\s+[ivx\d]+\.?\s*)?(?:at a glance|de un vistazo|en bref)$", re.I)


def parse_document(blocks: list[Block], *, url: str | None, fetched_at: str | None = None) -> DocumentPage:
    title_at = _title_index(blocks)
    if title_at is None:
        raise PageRejected("no document title found")
    page = DocumentPage(title=clean_text(blocks[title_at].text, cap=500), url=url)
    for b in blocks[title_at + 1 :]:
        if b.kind == "paragraph" and b.cells is None and len(b.text) > 80 and _pair(b.text) is None:
            page.summary = clean_text(b.text, cap=5000)
            break
    for b in blocks[title_at + 1 :]:
        pairs = [(b.cells[0], b.cells[1])] if b.cells and len(b.cells) == 2 else [_pair(t) for t in b.lines]
        for pair in pairs:
            if pair is None:
                continue
            label, value = pair
            label = clean_text(label.rstrip(" :"), cap=_MAX_LABEL)
            if label and value and label not in page.at_a_glance:
                page.at_a_glance[label] = clean_text(value, cap=_MAX_VALUE)
    if page.summary is None:
        page.warnings.append("no summary paragraph")
    if not page.at_a_glance:
        page.warnings.append("no At a glance table")
    return page


def _title_index(blocks: list[Block]) -> int | None:
    for i, b in enumerate(blocks):
        if b.kind == "heading" and b.level == 1 and not is_chrome(b.text):
            return i
    for i, b in enumerate(blocks):
        if b.kind in ("heading", "paragraph") and not is_chrome(b.text) and len(b.text) <= 300:
            return i
    return None


def _pair(text: str) -> tuple[str, str] | None:
    """`Label: value` on one short line, else None."""
    label, sep, value = text.partition(":")
    label, value = label.strip(), value.strip()
    if not sep or not label or not value or len(label) > _MAX_LABEL or len(value) > _MAX_VALUE:
        return None
    if label.startswith(("http", "www")) or _CAPTION.match(label):
        return None
    return label, value
