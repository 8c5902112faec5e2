"""PDF text with pypdfium2 (PDFium), one string per page (runs inside the extraction child).

Chosen over pypdf by measurement: see `bench/extract_bench.py` and bench/NOTES.md ("Attachment text").
"""

from __future__ import annotations

from ogptui.extract.errors import ExtractError


def pdf_pages(path: str, max_pages: int, max_chars: int) -> tuple[list[str], bool, int, int]:
    """(pages' raw text, truncated, page count, pages that could not be read)."""
    try:
        import pypdfium2 as pdfium
        import pypdfium2.raw as pdfium_c
    except ImportError:
        raise ExtractError("unsupported", "PDF support (pypdfium2) is not installed.") from None
    try:
        doc = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as e:
        if e.err_code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise ExtractError("failed", "The PDF is encrypted with a password.") from None
        raise ExtractError("failed", f"Not a readable PDF ({_reason(e)}).") from None
    except FileNotFoundError:
        raise ExtractError("failed", "The file is missing.") from None
    try:
        count = len(doc)
        pages: list[str] = []
        left = max_chars
        bad = 0
        truncated = count > max_pages
        for i in range(min(count, max_pages)):
            try:
                page = doc[i]
            except pdfium.PdfiumError:
                pages.append("")
                bad += 1
                continue
            try:
                textpage = page.get_textpage()
                try:
                    n = textpage.count_chars()
                    text = textpage.get_text_range(0, min(n, left)) if n > 0 and left > 0 else ""
                    if n > left:
                        truncated = True
                finally:
                    textpage.close()
            except pdfium.PdfiumError:
                text = ""
                bad += 1
            finally:
                page.close()
            pages.append(text)
            left -= len(text)
            if left <= 0:
                truncated = truncated or i + 1 < count
                break
        return pages, truncated, count, bad
    finally:
        doc.close()


def _reason(e: Exception) -> str:
    msg = str(e)
    start = msg.find("(PDFium: ")
    if start >= 0 and msg.endswith(")."):
        return "PDFium: " + msg[start + 9 : -2].rstrip(".").lower()
    return type(e).__name__
