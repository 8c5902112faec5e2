"""Parse OGP pages (HTML or text renderings) into records.

    parse_page(content, url=..., kind=..., fetched_at=...) -> Member | CommitmentPage | DocumentPage | DirectoryPage

`PageRejected` is the only exception it raises, whatever the input.
"""

from __future__ import annotations

from ogptui.clean import clean_multiline, clean_text
from ogptui.model import CommitmentPage, DirectoryPage, DocumentPage, Member, PageRejected, validate_member
from ogptui.parse.blocks import Block, capture_header, html_to_blocks, parse_html, text_to_blocks
from ogptui.parse.commitment import parse_commitment
from ogptui.parse.common import flatten, kind_from_url, lang_from_url
from ogptui.parse.detect import KINDS, kind_from_content, looks_like_html, rejection
from ogptui.parse.directory import parse_directory
from ogptui.parse.document import parse_document
from ogptui.parse.member import parse_member

__all__ = [
    "Block",
    "PageRejected",
    "capture_header",
    "clean_multiline",
    "clean_text",
    "html_to_blocks",
    "parse_page",
    "text_to_blocks",
]

MAX_CHARS = 8_000_000
# Tests set this to True so that parser bugs surface as themselves instead of as PageRejected.
STRICT = False

_KIND_WORDS = {
    "member": "a member page",
    "commitment": "a commitment page",
    "document": "a document page",
    "directory": "the members directory",
}


def parse_page(
    content: str | bytes,
    *,
    url: str | None = None,
    kind: str | None = None,
    fetched_at: str | None = None,
    trace: list[tuple[str, str]] | None = None,
) -> Member | CommitmentPage | DocumentPage | DirectoryPage:
    """Parse one page. Raises PageRejected (only) when it is not an OGP page of the expected kind.

    `trace`, when a list is given, receives (part of the page, rule that found it) pairs: see
    `ogptui.parse.explain` (`ogptui parse FILE --explain`).
    """
    try:
        return _parse(content, url=url, kind=kind, fetched_at=fetched_at, trace=trace)
    except PageRejected:
        raise
    except Exception as exc:  # the promise is: nothing but PageRejected, ever
        if STRICT:
            raise
        raise PageRejected(f"the page could not be read ({type(exc).__name__})") from exc


def _parse(  # noqa: C901 - the steps of one parse, in order
    content: str | bytes,
    *,
    url: str | None,
    kind: str | None,
    fetched_at: str | None,
    trace: list[tuple[str, str]] | None = None,
) -> Member | CommitmentPage | DocumentPage | DirectoryPage:
    if kind is not None and kind not in KINDS:
        raise PageRejected(f"unknown page kind {clean_text(str(kind), cap=40)!r}")
    if isinstance(content, bytes | bytearray | memoryview):
        content = bytes(content[: MAX_CHARS * 2]).decode("utf-8", errors="replace")
    if not isinstance(content, str):
        raise PageRejected("the page is not text")
    content = content[:MAX_CHARS]
    url = clean_text(url, cap=2000) or None if url else None
    want = _KIND_WORDS.get(kind or kind_from_url(url) or "", "an OGP page")

    title, has_password, notes = "", False, []
    if looks_like_html(content):
        page = parse_html(content)
        blocks, title, has_password, notes = page.blocks, page.title, page.has_password, page.warnings
    else:
        header = capture_header(content)
        url = url or header.get("url") or None
        blocks = text_to_blocks(content)
    if not blocks:
        raise PageRejected(f"the page is empty, not {want}")
    reason = rejection(blocks, title, has_password)
    if reason:
        raise PageRejected(f"{reason}, not {want}")

    lines = flatten(blocks)
    found = kind_from_url(url) or kind_from_content(lines)
    if kind is not None and found is not None and found != kind:
        raise PageRejected(f"the page is {_KIND_WORDS[found]}, not {want}")
    if trace is not None:
        how = "given (--kind)" if kind else "the address" if kind_from_url(url) else "the page's labels"
        trace.append(("page kind", f"{kind or found} ({how})"))
        trace.append(("markup", "HTML" if looks_like_html(content) else "text rendering"))
    kind = kind or found
    if kind is None:
        raise PageRejected(
            "the page does not look like an OGP member, commitment, document or directory page"
        )
    lang = lang_from_url(url)
    record: Member | CommitmentPage | DocumentPage | DirectoryPage
    if kind == "member":
        record = parse_member(
            blocks, url=url, fetched_at=fetched_at, lang=lang, title=title, trace=trace, lines=lines
        )
        problems = validate_member(record)
        if problems:
            raise PageRejected(f"{problems[0]}, so it cannot be stored as a member")
    elif kind == "commitment":
        record = parse_commitment(blocks, url=url, fetched_at=fetched_at, lang=lang, lines=lines)
    elif kind == "document":
        record = parse_document(blocks, url=url, fetched_at=fetched_at, lang=lang, lines=lines)
    else:
        record = parse_directory(blocks, url=url, fetched_at=fetched_at)
    record.warnings[:0] = notes  # limits the markup hit come first
    if trace is not None and kind != "member":
        from ogptui.parse.explain import trace_record

        trace.extend(trace_record(record))
    return record
