"""What a downloaded file is, from its bytes alone (a server's content type is never trusted).

Runs in the calling process, so it reads little and bounded: the first 8 KB, and for a zip only the
end-of-central-directory record plus `[Content_Types].xml` (at most 1 MB, never XML-parsed).
"""

from __future__ import annotations

import os
import struct
import zipfile
from typing import BinaryIO

HEAD_BYTES = 8192
PDF_HEADER_WINDOW = 1024  # readers accept `%PDF-` anywhere in the first 1 KB
MAX_ZIP_ENTRIES = 10_000
MAX_CENTRAL_DIRECTORY = 16 * 2**20
MAX_CONTENT_TYPES = 2**20

_EOCD = b"PK\x05\x06"
_EOCD_SIZE = 22
_EOCD_SEARCH = _EOCD_SIZE + 65535  # the record plus the longest possible archive comment

# Main-part content types in [Content_Types].xml (plain, macro-enabled and template variants).
_DOCX_TYPES = (
    b"wordprocessingml.document.main+xml",
    b"wordprocessingml.template.main+xml",
    b"ms-word.document.macroEnabled.main+xml",
    b"ms-word.template.macroEnabledTemplate.main+xml",
)
_XLSX_TYPES = (
    b"spreadsheetml.sheet.main+xml",
    b"spreadsheetml.template.main+xml",
    b"ms-excel.sheet.macroEnabled.main+xml",
)
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<title", b"<meta", b"<script")
_LEADING_JUNK = b"\xef\xbb\xbf \t\r\n\f\x00"


def sniff(path: str | os.PathLike[str]) -> str | None:
    """The kind of file by its bytes: "pdf", "docx", "xlsx" or "html"; None for anything else or unreadable."""
    try:
        with open(path, "rb") as f:
            head = f.read(HEAD_BYTES)
            if head.startswith(b"PK\x03\x04"):
                return _sniff_zip(f)
    except OSError:
        return None
    start = head.lstrip(_LEADING_JUNK)
    if start.startswith(b"%PDF-"):
        return "pdf"
    if _looks_html(start):
        return "html"
    if b"%PDF-" in head[:PDF_HEADER_WINDOW]:
        return "pdf"
    return None


def _looks_html(start: bytes) -> bool:
    if not start.startswith(b"<"):
        return False
    low = start[:2048].lower()
    return any(marker in low for marker in _HTML_MARKERS)


def _zip_directory_ok(f: BinaryIO) -> bool:
    """The end-of-central-directory record promises a directory small enough to read here."""
    size = f.seek(0, os.SEEK_END)
    if size < _EOCD_SIZE:
        return False
    tail_len = min(size, _EOCD_SEARCH)
    f.seek(size - tail_len)
    tail = f.read(tail_len)
    at = tail.rfind(_EOCD)
    if at < 0 or at + _EOCD_SIZE > len(tail):
        return False
    _disk, _cd_disk, _n_here, n_total, cd_size, _cd_offset = struct.unpack_from("<HHHHII", tail, at + 4)
    # 0xFFFF / 0xFFFFFFFF mean "see the ZIP64 record": no office attachment of ours needs one.
    return bool(n_total < min(MAX_ZIP_ENTRIES, 0xFFFF) and cd_size <= MAX_CENTRAL_DIRECTORY)


def _sniff_zip(f: BinaryIO) -> str | None:
    try:
        if not _zip_directory_ok(f):
            return None
        f.seek(0)
        with zipfile.ZipFile(f) as zf:
            info = zf.getinfo("[Content_Types].xml")
            if info.file_size > MAX_CONTENT_TYPES:
                return None
            with zf.open(info) as part:  # reads at most the declared size
                types = part.read(MAX_CONTENT_TYPES + 1)
    except (KeyError, OSError, ValueError, EOFError, RuntimeError, NotImplementedError, zipfile.BadZipFile):
        return None
    if any(t in types for t in _DOCX_TYPES):
        return "docx"
    if any(t in types for t in _XLSX_TYPES):
        return "xlsx"
    return None
