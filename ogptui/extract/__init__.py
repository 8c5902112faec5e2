"""Text of downloaded attachments (PDF, DOCX, XLSX), read in a child process with limits.

    kind = sniff(path)                       # "pdf" | "docx" | "xlsx" | "html" | None, from the bytes
    result = extract_text(path, kind)        # one file, one child process
    with Extractor() as ex:                  # many files, one reused child
        result = ex.extract(path, kind)

`Extracted.status` is "ok", "empty" (no text layer), "failed", "timeout", "too_large" or "unsupported";
`pages` holds one cleaned string per PDF page. Nothing here raises on a bad file, and nothing imports
Textual; PDFium (pypdfium2) is only ever loaded in the child.
"""

from __future__ import annotations

from ogptui.extract.runner import (
    DEFAULT_MAX_CHARS,
    DEFAULT_MAX_FILE_MB,
    DEFAULT_MAX_PAGES,
    DEFAULT_MEMORY_MB,
    DEFAULT_TIMEOUT,
    KINDS,
    STATUSES,
    Extracted,
    Extractor,
    Status,
    extract_many,
    extract_text,
)
from ogptui.extract.sniff import sniff

__all__ = [
    "DEFAULT_MAX_CHARS",
    "DEFAULT_MAX_FILE_MB",
    "DEFAULT_MAX_PAGES",
    "DEFAULT_MEMORY_MB",
    "DEFAULT_TIMEOUT",
    "KINDS",
    "STATUSES",
    "Extracted",
    "Extractor",
    "Status",
    "extract_many",
    "extract_text",
    "sniff",
]
