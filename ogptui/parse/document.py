"""Document (resource) page: title, summary, "At a glance" rows, body sections, attachments.

Shape (see ../shared/ogp/SITE.md, "Document page"): the title; a summary paragraph (absent on the newer
Action Plan Review pages); for IRM reports an "At a glance" table whose rows come in several styles —
`Label: value`, `Label   value` (a run of spaces, or table cells), a label on one line and its value on the
next, or `- Label: value` bullets right under the title — with sub-headings ("Action plan development")
that are not rows; then the body under its headings; download links to files on the page's own host.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from ogptui.clean import clean_multiline, clean_text
from ogptui.model import DocumentAttachment, DocumentPage, DocumentSection, PageRejected
from ogptui.parse.blocks import Block
from ogptui.parse.common import (
    Line,
    document_slug_from_url,
    flatten,
    is_chrome,
    lang_from_url,
    resolve,
    slugify,
)
from ogptui.parse.labels import GLANCE_LABELS, GLANCE_LABELS_BY_LANG
from ogptui.vocab import fold, norm

_MAX_LABEL = 80
_MAX_VALUE = 160
_CAPTION = re.compile(
    r"^(?:(?:table|tabla|tableau)\s+[ivx\d]+\.?\s*)?(?:at a glance|de un vistazo|en bref|en un coup d.(?:œ|oe)il)$",
    re.I,
)
# A value that can end a `Label value` line: a count, a count with its share, yes/no, a year range.
_TRAILING_VALUE = re.compile(
    r"^(.*?\S)\s+(\d{1,5}(?:\s*\(\d{1,3}(?:[.,]\d+)?\s*%\))?|yes|no|s[ií]|oui|non|\d{4}\s*[-–]\s*\d{2,4})$",
    re.I,
)
_SHORT_VALUE = re.compile(r"^.{1,40}$")
_FILE_EXTENSIONS = frozenset(
    {"pdf", "doc", "docx", "xls", "xlsx", "csv", "ppt", "pptx", "odt", "ods", "odp", "rtf", "zip", "txt"}
)
_FOOTER = frozenset({"open government partnership"})
_GLANCE = frozenset(norm(x) for x in GLANCE_LABELS)
# Glossary tooltips glued into a word: `action planAction plans are at the core of … OGP. names …`.
_GLUED = re.compile(r"(?<=[a-z\u00e0-\u00ff])(?=[A-Z\u00c0-\u00de])")
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")


def parse_document(
    blocks: list[Block],
    *,
    url: str | None,
    fetched_at: str | None = None,
    lang: str | None = None,
    lines: list[Line] | None = None,
) -> DocumentPage:
    lines = flatten(blocks) if lines is None else lines
    title_at = _title_index(lines)
    if title_at is None:
        raise PageRejected("no document title found")
    page = DocumentPage(
        title=clean_text(lines[title_at].text, cap=500),
        url=url,
        slug=_slug(url, lines[title_at].text),
        fetched_at=fetched_at,
    )
    body_at = _glance_and_summary(lines, title_at + 1, page)
    page.sections = _sections(lines[body_at:], page.summary)
    page.attachments = _attachments(blocks, url)
    page.language = lang or lang_from_url(url) or _glance_language(page)
    if page.summary is None:
        page.warnings.append("no summary paragraph")
    if not page.at_a_glance:
        page.warnings.append("no At a glance table")
    return page


def _title_index(lines: list[Line]) -> int | None:
    for i, line in enumerate(lines):
        b = line.block
        if b.kind == "heading" and b.level == 1 and not is_chrome(line.text):
            return i
    for i, line in enumerate(lines):
        if line.standalone and not is_chrome(line.text) and len(line.text) <= 300:
            return i
    return None


def _slug(url: str | None, title: str) -> str:
    return document_slug_from_url(url) or slugify(title)


# ----------------------------------------------------------------------------------- at a glance


def _row(line: Line, nxt: Line | None) -> tuple[str, str, int] | None:
    """(label, value, lines used) when `line` (maybe with the next one) is an At-a-glance row."""
    b = line.block
    if b.kind == "heading":
        return None
    if b.cells is not None:
        if len(b.cells) == 2 and line.index == 0:
            return _clean_pair(b.cells[0], b.cells[1], 2 if len(b.lines) == 2 else 1)
        return None
    text = line.text
    label, sep, value = text.partition(":")
    if sep and value.strip():
        if norm(label) not in _GLANCE and len(value.split()) > 3:
            return None  # `Section I: Overview of the action plan` is a heading, not a row
        return _clean_pair(label, value, 1)
    k = norm(text)
    m = _TRAILING_VALUE.match(text)
    if m and (norm(m.group(1)) in _GLANCE or m.group(1).endswith("?")):
        return _clean_pair(m.group(1), m.group(2), 1)
    if (
        nxt is not None
        and (k in _GLANCE or text.endswith("?"))
        and _SHORT_VALUE.match(nxt.text)
        and ":" not in nxt.text
        and norm(nxt.text) not in _GLANCE
    ):
        return _clean_pair(text, nxt.text, 2)
    return None


def _clean_pair(label: str, value: str, used: int) -> tuple[str, str, int] | None:
    label = clean_text(label.strip().rstrip(" :"), cap=_MAX_LABEL)
    value = clean_text(value, cap=_MAX_VALUE)
    if not label or not value or len(label) >= _MAX_LABEL or label.startswith(("http", "www")):
        return None
    if _CAPTION.match(label) or len(value) >= _MAX_VALUE:
        return None
    return label, value, used


def _heading_like(line: Line) -> bool:
    text = line.text
    if line.block.kind == "heading":
        return True
    return (
        line.standalone
        and line.block.kind == "paragraph"
        and len(line.block.lines) == 1
        and len(text) <= 100
        and text[:1].isupper()
        and not text.endswith((".", ",", ";", "!", "?", "…"))
        and not text.startswith(("http://", "https://", "www."))
    )


def _glance_and_summary(lines: list[Line], start: int, page: DocumentPage) -> int:
    """Read the summary and the At-a-glance rows after the title; return where the body starts."""
    rows: list[tuple[str, str, str | None]] = []  # label, value, sub-heading
    sub: str | None = None
    seen_rows = False
    i = start
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if is_chrome(line.text) or _CAPTION.match(line.text):
            i += 1
            continue
        row = _row(line, nxt)
        if row is not None and (seen_rows or line.is_item or not _prose(line.text)):
            label, value, used = row
            rows.append((label, value, sub))
            seen_rows = True
            i += used
            continue
        if line.text.endswith(":") and len(line.text) <= 60 and (seen_rows or _rows_ahead(lines, i)):
            i += 1  # `Commitments that are:` introduces rows
            continue
        if _heading_like(line) and _rows_ahead(lines, i):
            sub = _qualifier(line.text)  # `Action plan development`: a sub-heading, not a row
            i += 1
            continue
        if not seen_rows and page.summary is None and _prose(line.text) and not line.is_item:
            para = [x.text for x in lines[i:] if x.block is line.block]
            page.summary = clean_text(" ".join(para), cap=5000)
            i += len(para)
            continue
        break
    page.at_a_glance = _keys(rows)
    return i


def _rows_ahead(lines: list[Line], i: int) -> bool:
    """A row within the next two lines (after a sub-heading or an `X that are:` line)."""
    for j in range(i + 1, min(i + 3, len(lines))):
        nxt = lines[j + 1] if j + 1 < len(lines) else None
        if _row(lines[j], nxt) is not None:
            return True
        if not lines[j].text.endswith(":"):
            return False
    return False


def _qualifier(heading: str) -> str:
    """`Action plan development` → `development`."""
    words = clean_text(heading).split()
    f = [fold(w) for w in words]
    if len(words) > 2 and f[:2] in (["action", "plan"], ["plan", "de"]):
        words = words[2:] if f[:2] == ["action", "plan"] else words[3:] or words
    return " ".join(words).lower()


def _keys(rows: list[tuple[str, str, str | None]]) -> dict[str, str]:
    """Labels as keys; a label that repeats under two sub-headings is qualified by them."""
    counts: dict[str, int] = {}
    for label, _, _ in rows:
        counts[label] = counts.get(label, 0) + 1
    out: dict[str, str] = {}
    for label, value, sub in rows:
        key = f"{label} ({sub})" if counts[label] > 1 and sub else label
        out.setdefault(key, value)
    return out


def _prose(text: str) -> bool:
    return len(text) > 80 or (len(text.split()) >= 8 and text.endswith((".", "!", "?", "…")))


def _glance_language(page: DocumentPage) -> str | None:
    """The language most of the At-a-glance labels are in (None without known labels)."""
    seen = [_GLANCE_LANG[k] for k in (norm(k.split(" (")[0]) for k in page.at_a_glance) if k in _GLANCE_LANG]
    return max(("en", "es", "fr"), key=seen.count) if seen else None


_GLANCE_LANG = {norm(x): lang for lang, labels in reversed(GLANCE_LABELS_BY_LANG.items()) for x in labels}


# ----------------------------------------------------------------------------------- body


def _sections(lines: list[Line], summary: str | None) -> list[DocumentSection]:
    sections: list[DocumentSection] = []
    heading: str | None = None
    paras: list[str] = []

    def close() -> None:
        text = clean_multiline("\n\n".join(paras))
        if text or heading:
            sections.append(DocumentSection(heading=heading, text=text))

    i = 0
    while i < len(lines):
        line = lines[i]
        if is_chrome(line.text) or fold(line.text) in _FOOTER and i >= len(lines) - 2:
            i += 1
            continue
        if _heading_like(line) and (i + 1 < len(lines)) and not _link_only(line.block):
            if paras or heading is not None:
                close()
            heading, paras = clean_text(line.text, cap=300), []
            i += 1
            continue
        block = line.block
        if _link_only(block):  # download buttons, "read the plan" links: not body text
            i += len(block.lines) - line.index
            continue
        para = [x.text for x in lines[i:] if x.block is block] if not line.is_item else [line.text]
        step = len(para)
        if line.is_item:
            para = [" ".join(block.lines)]
            step = len(block.lines) - line.index
        text = _unglue(" ".join(para))
        if text and text != summary:
            paras.append(f"• {text}" if line.is_item else text)
        i += step
    if paras or heading is not None:
        close()
    return sections


def _link_only(block: Block) -> bool:
    return bool(block.links) and clean_text(" ".join(t for t, _ in block.links)) == clean_text(block.text)


def unglue(text: str) -> str:
    """Remove a glossary tooltip glued into a word: `action planAction plans are … OGP. names` →
    `action plan names`. Recognised when the glued text starts with the word(s) right before it."""
    return _unglue(text)


def _unglue(text: str) -> str:
    out = text
    pos = 0
    while True:
        m = _GLUED.search(out, pos)
        if m is None:
            return out
        at = m.start()
        before = out[:at].split()
        after = out[at:]
        hit = False
        for n in (3, 2, 1):
            if len(before) < n:
                continue
            term = " ".join(before[-n:])
            if len(term) >= 3 and fold(after[: len(term)]) == fold(term):
                end = _SENTENCE_END.search(after)
                if end is not None:
                    rest = after[end.end() :].lstrip()
                    out = out[:at] + (" " + rest if rest else "")
                    hit = True
                break
        pos = at + 1 if not hit else at


# ----------------------------------------------------------------------------------- attachments


def _attachments(blocks: list[Block], url: str | None) -> list[DocumentAttachment]:
    """Links to files (PDF, DOCX, XLSX…) on the page's own host; never other hosts."""
    try:
        host = urlsplit(url).netloc.lower() if url else ""
    except ValueError:  # a malformed page address: no host to trust
        host = ""
    seen: set[str] = set()
    out: list[DocumentAttachment] = []
    for b in blocks:
        for text, href in b.links:
            full = resolve(href, url)
            if not full:
                continue
            try:
                parts = urlsplit(full)
            except ValueError:
                continue
            if parts.scheme not in ("http", "https", ""):
                continue
            if parts.netloc:
                if not host or parts.netloc.lower() != host:
                    continue
            elif not full.startswith("/"):
                continue
            name = unquote(parts.path.rsplit("/", 1)[-1])
            ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
            if ext not in _FILE_EXTENSIONS or full in seen:
                continue
            seen.add(full)
            out.append(
                DocumentAttachment(url=full, name=clean_text(text, cap=300) or clean_text(name, cap=300))
            )
    return out
