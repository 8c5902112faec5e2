"""The document reader's text: blocks from a stored document, wrapped into lines, words found. No Textual.

A document becomes a flat list of `Block`s (a title, a heading, one paragraph or one At-a-glance row each),
every text cleaned on the way out (`render.safe`). `layout` wraps them greedily to the view's width into
`Line`s that keep their offsets into the block, so a word found in a block maps to its exact line, and a
resize keeps the reading position. The reader's widget draws only the lines in view (Textual's line API):
a 200 KB document costs one wrapping pass, not one widget per paragraph.

`find` is case- and accent-insensitive (`ogptui.clean.fold`, "peru" finds "Perú") and maps every match
back to offsets in the original text, so the highlight covers exactly the characters shown.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import accumulate

from rich.cells import get_character_cell_size

from ogptui.clean import fold
from ogptui.i18n import _
from ogptui.model import Document, DocumentFile, Resource
from ogptui.timefmt import ago, in_future, parse_iso
from ogptui.tui.render import safe, safe_block
from ogptui.units import human_size

TITLE = "bold underline"
HEADING = "bold"
PAGE_HEADING = "bold italic"
LABEL = "bold"
DIM = "dim"
MAX_MATCHES = 10_000  # a one-letter find in a 200 KB document stays cheap to draw and count
GLANCE_LABEL_MAX = 40
# Words for the kinds of attachment text, as search names them in a hit's place ("PDF page 4").
KIND_WORDS = {"application/pdf": "PDF"}
_PAGE_PLACE = re.compile(r"page (\d+)\Z")
# Characters one cell wide (what most documents are made of): wrapping counts them without a table.
_ONE_CELL = re.compile(r"[\x20-\x7e\xa0-\u02ff\u0370-\u0482\u2010-\u2027\u2030-\u205e]*\Z")


@dataclass(slots=True)
class Block:
    """One paragraph-like piece of the document: wrapped as a unit, found in as a unit.

    `anchor` names a place the reader can jump to ("head", "glance", "section:3", "files", "file:URL",
    "page:URL:4"); `part` is the attachment URL whose text the block belongs to (what `o` and `y` act on
    while it is in view)."""

    text: str
    style: str = ""
    spans: tuple[tuple[int, int, str], ...] = ()  # extra styles inside the block (an At-a-glance label)
    indent: int = 0  # left margin of every line
    hang: int = 0  # extra margin of the lines after the first
    anchor: str | None = None
    part: str | None = None


@dataclass(slots=True)
class Line:
    block: int
    start: int
    end: int
    indent: int  # cells of margin before the text


@dataclass
class Layout:
    width: int
    lines: list[Line] = field(default_factory=list)
    first: list[int] = field(default_factory=list)  # first line of each block

    def line_of(self, block: int, offset: int) -> int:
        """The line showing character `offset` of `block`."""
        lo = self.first[block]
        hi = self.first[block + 1] if block + 1 < len(self.first) else len(self.lines)
        starts = [self.lines[i].start for i in range(lo, hi)]
        return lo + max(0, bisect_right(starts, offset) - 1)


@dataclass(frozen=True)
class Match:
    block: int
    start: int
    end: int


# ---- building the blocks ---------------------------------------------------------------------------
class _Builder:
    def __init__(self) -> None:
        self.blocks: list[Block] = []

    def add(self, text: str, style: str = "", **kw: object) -> None:
        self.blocks.append(Block(text, style, **kw))  # type: ignore[arg-type]

    def blank(self) -> None:
        if self.blocks and self.blocks[-1].text:
            self.blocks.append(Block(""))

    def paragraphs(self, text: str | None, *, part: str | None = None, anchor: str | None = None) -> None:
        """Multi-line text: one block per line, blank lines kept (one at most); list items hang."""
        for line in safe_block(text).split("\n"):
            line = line.replace("\t", " ")
            if not line:
                self.blank()
                continue
            hang = 2 if line.startswith(("• ", "- ", "* ")) else 0
            self.add(line, hang=hang, part=part, anchor=anchor)
            anchor = None


def kind_word(f: DocumentFile) -> str | None:
    return KIND_WORDS.get((f.content_type or "").split(";")[0].strip())


def page_label(f: DocumentFile, n: int) -> str:
    """What a page of an attachment's text is called; the same words search gives a hit's place."""
    kind = kind_word(f)
    return f"{kind} page {n}" if kind else f"{f.name or 'file'}, page {n}"


def file_status(f: DocumentFile) -> str:
    """'on this device' / 'not downloaded' / 'text not available', with why where the store knows."""
    if f.on_device:
        if f.text_status == "ok":
            pages = _(" ({page_count} pages)").format(page_count=f.page_count) if f.page_count else ""
            return _("on this device · its text is below{pages}").format(pages=pages)
        if f.text_status is None:
            return _("on this device · text not read yet")
        why = f.text_error or {"empty": _("the file has no text in it")}.get(f.text_status, f.text_status)
        return _("on this device · text not available ({why})").format(why=safe(why))
    if f.text_status == "ok":
        return _("not on this device (removed to save space) · its text is kept below")
    if f.error:
        return _("not downloaded: {error}").format(error=safe(f.error))
    return _("not downloaded")


def freshness_words(doc: Document, now: datetime) -> str:
    """'synced 3 days ago · checked 2 h ago' (the check only when it says more than the sync)."""
    fetched = doc.page.fetched_at
    if fetched and in_future(fetched, now):
        words = _("synced at an unknown date")
    elif fetched and parse_iso(fetched):
        words = _("synced {ago}").format(ago=ago(fetched, now))
    else:
        words = _("sync date unknown")
    checked = parse_iso(doc.checked_at)
    got = parse_iso(fetched)
    if checked and not in_future(checked, now) and (got is None or (checked - got).total_seconds() > 60):
        words += _(" · checked {ago}").format(ago=ago(checked, now))
    return words


def meta_parts(doc: Document | None, resource: Resource | None, now: datetime) -> list[str]:
    parts = []
    if resource is not None:
        parts += [safe(v) for v in (resource.type, resource.year) if v not in (None, "")]
    parts.append(freshness_words(doc, now) if doc is not None else _("not on this device yet"))
    return parts


def document_blocks(
    doc: Document | None,
    resource: Resource | None,
    *,
    now: datetime,
    pages: Mapping[str, Sequence[str]] | None = None,
) -> list[Block]:
    """The reader's text. `pages` maps an attachment's sha256 to its text, one string per page."""
    b = _Builder()
    title = (doc.title if doc else None) or (resource.title if resource else None) or "untitled"
    b.add(safe(title) or "untitled", TITLE, anchor="head")
    b.add(" · ".join(meta_parts(doc, resource, now)), DIM)
    if doc is None:
        link = resource.url if resource else None
        b.blank()
        b.add(_("This document is not on this device yet."), HEADING)
        b.add(_("Press s to fetch it now (it needs a connection to the site). o opens the page in a browser, "
              "y copies its link."))  # fmt: skip
        if link:
            b.blank()
            b.add(_("Link"), DIM)
            b.add(safe(link), indent=2)
        return b.blocks
    page = doc.page
    if page.summary:
        b.blank()
        b.add(_("Summary"), HEADING)
        b.paragraphs(page.summary)
    if page.at_a_glance:
        b.blank()
        b.add(_("At a glance"), HEADING, anchor="glance")
        labels = [safe(k) for k in page.at_a_glance]
        width = min(GLANCE_LABEL_MAX, max(len(k) for k in labels)) + 2
        for label, value in zip(labels, page.at_a_glance.values(), strict=True):
            text = f"{label:<{width}}{safe(value)}"
            b.add(text, spans=((0, len(label), LABEL),), indent=2, hang=width)
    for i, sec in enumerate(page.sections):
        b.blank()
        if sec.heading:
            b.add(safe(sec.heading), HEADING, anchor=f"section:{i}")
            b.paragraphs(sec.text)
        else:
            b.paragraphs(sec.text, anchor=f"section:{i}")
    if not page.sections and not page.summary:
        b.blank()
        b.add(_("The page has no text besides its title (see the attachments)."), DIM)
    files = doc.attachments
    if files:
        b.blank()
        b.add(_("Attachments ({files})").format(files=len(files)), HEADING, anchor="files")
        for f in files:
            name = safe(f.name) or safe(f.url) or "file"
            facts = [x for x in (kind_word(f), human_size(f.size) if f.size else None) if x]
            label = f"• {name}" + (f" ({', '.join(facts)})" if facts else "")
            b.add(f"{label} — {file_status(f)}", hang=2, part=f.url)
    for f in files:
        file_pages = (pages or {}).get(f.sha256 or "", ()) if f.text_status == "ok" else ()
        if not any(file_pages):
            continue
        b.blank()
        what = kind_word(f) or "file"
        b.add(_("{name} — the text of the {kind}").format(name=safe(f.name) or what, kind=what), HEADING, anchor=f"file:{f.url}", part=f.url)
        for n, body in enumerate(file_pages, 1):
            if not body.strip():
                continue
            b.blank()
            b.add(page_label(f, n), PAGE_HEADING, anchor=f"page:{f.url}:{n}", part=f.url)
            b.paragraphs(body, part=f.url)
    if page.warnings:
        b.blank()
        b.add(_("Parser notes"), DIM)
        for w in page.warnings:
            b.add(f"• {safe(w)}", DIM, hang=2)
    return b.blocks


def place_anchor(doc: Document | None, place: str | None, url: str | None = None) -> str | None:
    """The anchor a search hit's place names: a section heading ("Introduction" for text before the first
    heading) or a page of an attachment ("PDF page 4", the attachment by its URL). None: the top."""
    if doc is None or not place:
        return None
    m = _PAGE_PLACE.search(place)
    if m:
        n = int(m.group(1))
        files = [f for f in doc.attachments if f.url == url] or [
            f for f in doc.attachments if page_label(f, n) == place
        ]
        if files:
            return f"page:{files[0].url}:{n}"
    for i, sec in enumerate(doc.page.sections):
        if (sec.heading or "Introduction") == place or (sec.heading and safe(sec.heading) == place):
            return f"section:{i}"
    return None


def anchor_block(blocks: Sequence[Block], anchor: str | None) -> int:
    """The block an anchor names (0, the title, when it names nothing here)."""
    if anchor:
        for i, b in enumerate(blocks):
            if b.anchor == anchor:
                return i
    return 0


# ---- wrapping --------------------------------------------------------------------------------------
def wrap(text: str, width: int, hang: int = 0) -> list[tuple[int, int, int]]:
    """Greedy word wrap by terminal cells: [(start, end, margin)] covering `text`; the spaces where a line
    breaks are left out, a word longer than a line is cut. Lines after the first get `hang` cells of margin
    (none when that would leave less than half the width)."""
    n = len(text)
    width = max(1, width)
    if n == 0:
        return [(0, 0, 0)]
    if hang * 2 > width:
        hang = 0
    cum = None if _ONE_CELL.match(text) else list(accumulate(map(get_character_cell_size, text), initial=0))
    out: list[tuple[int, int, int]] = []
    start, margin = 0, 0
    while start < n:
        room = width - margin
        if cum is None:
            end = min(n, start + room)
        else:
            end = max(start + 1, bisect_right(cum, cum[start] + room) - 1)
        if end >= n:
            out.append((start, n, margin))
            break
        if text[end] == " ":
            cut = end
        else:
            cut = text.rfind(" ", start, end)
            if cut <= start:
                cut = end
        out.append((start, cut, margin))
        start = cut
        while start < n and text[start] == " ":
            start += 1
        margin = hang
    return out


def layout(blocks: Sequence[Block], width: int) -> Layout:
    out = Layout(width)
    for i, b in enumerate(blocks):
        out.first.append(len(out.lines))
        for start, end, margin in wrap(b.text, width - b.indent, b.hang):
            out.lines.append(Line(i, start, end, b.indent + margin))
    return out


# ---- finding ---------------------------------------------------------------------------------------
def folded(text: str) -> tuple[str, list[int] | None]:
    """`fold(text)` and, when folding changed the length of some character, the index in `text` of every
    folded character (None: the same offsets)."""
    if text.isascii():
        return text.lower(), None
    parts: list[str] = []
    index: list[int] = []
    same = True
    for i, ch in enumerate(text):
        f = ch.lower() if ch.isascii() else fold(ch)
        if len(f) != 1:
            same = False
        parts.append(f)
        index.extend([i] * len(f))
    return "".join(parts), None if same else index


def find(blocks: Sequence[Block], query: str, cache: dict[int, tuple[str, list[int] | None]] | None = None) -> list[Match]:
    """Every place `query` occurs (case and accents ignored), in reading order, at most MAX_MATCHES."""
    q = fold(" ".join(query.split()))
    if not q:
        return []
    cache = {} if cache is None else cache
    out: list[Match] = []
    for i, b in enumerate(blocks):
        if not b.text:
            continue
        hay = cache.get(i)
        if hay is None:
            hay = cache[i] = folded(b.text)
        text, index = hay
        pos = text.find(q)
        while pos >= 0:
            if index is None:
                out.append(Match(i, pos, pos + len(q)))
            else:
                out.append(Match(i, index[pos], index[pos + len(q) - 1] + 1))
            if len(out) >= MAX_MATCHES:
                return out
            pos = text.find(q, pos + len(q))
    return out
