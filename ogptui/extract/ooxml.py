"""DOCX and XLSX text with the standard library only (runs inside the extraction child).

Zip bombs: the entry count, each part's declared size and its compression ratio are checked before a byte
is inflated, and `zipfile` never inflates past a part's declared size (a lie ends in a CRC error).
XML: parsed by expat as a stream, with any DOCTYPE or entity declaration refused (OOXML has none), so no
entity expansion and no external fetch; text stops at the character cap.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from typing import NoReturn
from xml.parsers import expat

from ogptui.extract.errors import ExtractError

MAX_ENTRIES = 10_000
MAX_PART_BYTES = 256 * 2**20  # declared uncompressed size of one part
MAX_RATIO = 200  # uncompressed / compressed; text XML deflates ~5-30x, bombs 1,000x and more
MAX_TOTAL_BYTES = 512 * 2**20  # all parts read for one file
CHUNK = 64 * 1024
MAX_SHEETS = 1_000

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_R = "http://schemas.openxmlformats.org/package/2006/relationships"


class _Full(Exception):
    """The character cap is reached: stop parsing."""


class _Budget:
    def __init__(self, max_chars: int) -> None:
        self.left = max_chars
        self.truncated = False
        self.bytes_left = MAX_TOTAL_BYTES


def _refuse(*_args: object) -> NoReturn:
    raise ExtractError("failed", "The document declares XML entities or a DOCTYPE, which are refused.")


def _parser() -> expat.XMLParserType:
    p = expat.ParserCreate(namespace_separator=" ")
    p.StartDoctypeDeclHandler = _refuse
    p.EntityDeclHandler = _refuse
    p.UnparsedEntityDeclHandler = _refuse
    p.ExternalEntityRefHandler = _refuse
    p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    p.buffer_text = True
    return p


def _open_zip(path: str) -> zipfile.ZipFile:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
        raise ExtractError("failed", f"Not a readable zip archive ({type(e).__name__}).") from None
    if len(zf.infolist()) > MAX_ENTRIES:
        zf.close()
        raise ExtractError("too_large", f"The archive has more than {MAX_ENTRIES:,} entries.")
    return zf


def _stream(zf: zipfile.ZipFile, name: str, budget: _Budget, parser: expat.XMLParserType) -> None:
    """Feed one part to `parser`, after checking what it declares."""
    try:
        info = zf.getinfo(name)
    except KeyError:
        raise ExtractError("failed", f"The document has no {name} part.") from None
    if info.file_size > MAX_PART_BYTES or info.file_size > budget.bytes_left:
        raise ExtractError("too_large", f"{name} declares {info.file_size:,} bytes uncompressed.")
    if info.file_size > 1_000_000 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise ExtractError(
            "too_large",
            f"{name} is compressed {info.file_size // max(info.compress_size, 1):,}:1 (a zip bomb?).",
        )
    budget.bytes_left -= info.file_size
    try:
        with zf.open(info) as part:
            while chunk := part.read(CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _Full:
        budget.truncated = True
    except expat.ExpatError as e:
        raise ExtractError(
            "failed", f"{name} is not well-formed XML ({expat.ErrorString(e.code)})."
        ) from None
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as e:
        raise ExtractError("failed", f"{name} could not be inflated ({type(e).__name__}).") from None


def _local(name: str) -> tuple[str, str]:
    uri, _, local = name.rpartition(" ")
    return uri, local


class _Text:
    """Collects text up to the budget; raises _Full at the cap."""

    def __init__(self, budget: _Budget) -> None:
        self.budget = budget
        self.parts: list[str] = []

    def add(self, s: str) -> None:
        if not s:
            return
        if len(s) >= self.budget.left:
            self.parts.append(s[: self.budget.left])
            self.budget.left = 0
            raise _Full
        self.parts.append(s)
        self.budget.left -= len(s)

    def text(self) -> str:
        return "".join(self.parts)


CELL_SEP = " | "


def docx_pages(path: str, max_chars: int) -> tuple[list[str], bool]:
    """The body of word/document.xml as one page: paragraphs on lines, a table row on one line with its
    cells separated by " | "."""
    budget = _Budget(max_chars)
    out = _Text(budget)
    in_t = 0
    rows: list[bool] = []  # per open table row: is the next cell its first?
    cells = 0  # open table cells

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal in_t, cells
        uri, local = _local(name)
        if uri != _W:
            return
        if local == "t":
            in_t += 1
        elif local == "tab":
            out.add("\t")
        elif local in ("br", "cr"):
            out.add(" " if cells else "\n")
        elif local == "tr":
            rows.append(True)
        elif local == "tc":
            cells += 1
            if rows:
                if not rows[-1]:
                    out.add(CELL_SEP)
                rows[-1] = False

    def end(name: str) -> None:
        nonlocal in_t, cells
        uri, local = _local(name)
        if uri != _W:
            return
        if local == "t":
            in_t -= 1
        elif local == "p":
            out.add(" " if cells else "\n")
        elif local == "tc":
            cells = max(0, cells - 1)
        elif local == "tr":
            if rows:
                rows.pop()
            out.add(" " if cells else "\n")

    def chars(data: str) -> None:
        if in_t > 0:
            out.add(data)

    p = _parser()
    p.StartElementHandler = start
    p.EndElementHandler = end
    p.CharacterDataHandler = chars
    with _open_zip(path) as zf:
        _stream(zf, "word/document.xml", budget, p)
    return [out.text()], budget.truncated


def _collect(
    zf: zipfile.ZipFile,
    name: str,
    budget: _Budget,
    on_start: Callable[[str, dict[str, str]], None],
    on_end: Callable[[str], None],
    on_chars: Callable[[str], None],
) -> None:
    p = _parser()
    p.StartElementHandler = on_start
    p.EndElementHandler = on_end
    p.CharacterDataHandler = on_chars
    _stream(zf, name, budget, p)


def _shared_strings(zf: zipfile.ZipFile, budget: _Budget) -> tuple[list[str], bool]:
    """The shared-string table, its text capped at the same `max_chars` (kept apart from the sheets' text)."""
    if "xl/sharedStrings.xml" not in zf.NameToInfo:
        return [], False
    own = _Budget(budget.left)
    own.bytes_left = budget.bytes_left
    cap = _Text(own)
    strings: list[str] = []
    current: list[str] = []
    state = {"si": False, "t": False, "rph": 0}

    def start(name: str, attrs: dict[str, str]) -> None:
        uri, local = _local(name)
        if uri != _S:
            return
        if local == "si":
            state["si"] = True
            current.clear()
        elif local == "t" and state["si"]:
            state["t"] = True
        elif local == "rPh":  # phonetic guides repeat the text
            state["rph"] += 1

    def end(name: str) -> None:
        uri, local = _local(name)
        if uri != _S:
            return
        if local == "si":
            state["si"] = False
            strings.append("".join(current))
        elif local == "t":
            state["t"] = False
        elif local == "rPh":
            state["rph"] -= 1

    def chars(data: str) -> None:
        if state["t"] and not state["rph"]:
            before = len(cap.parts)
            try:
                cap.add(data)
            finally:
                current.extend(cap.parts[before:])

    _collect(zf, "xl/sharedStrings.xml", own, start, end, chars)
    if own.truncated:
        strings.append("".join(current))
    budget.bytes_left = own.bytes_left
    return strings, own.truncated


def _sheets(zf: zipfile.ZipFile, budget: _Budget) -> list[tuple[str, str]]:
    """(sheet name, part name) in workbook order."""
    rels: dict[str, str] = {}

    def rel_start(name: str, attrs: dict[str, str]) -> None:
        if _local(name) == (_PKG_R, "Relationship") and "Id" in attrs and "Target" in attrs:
            target = attrs["Target"]
            rels[attrs["Id"]] = target.lstrip("/") if target.startswith("/") else "xl/" + target

    _collect(zf, "xl/_rels/workbook.xml.rels", budget, rel_start, _ignore, _ignore)
    sheets: list[tuple[str, str]] = []

    def wb_start(name: str, attrs: dict[str, str]) -> None:
        if _local(name) == (_S, "sheet") and len(sheets) < MAX_SHEETS:
            rid = attrs.get(_R + " id", "")
            if rid in rels:
                sheets.append((attrs.get("name", ""), rels[rid]))

    _collect(zf, "xl/workbook.xml", budget, wb_start, _ignore, _ignore)
    return sheets


def _ignore(*_args: object) -> None:
    return None


class _SheetText:
    """Rows of one worksheet as lines, non-empty cells separated by " | "."""

    def __init__(self, out: _Text, strings: list[str]) -> None:
        self.out = out
        self.strings = strings
        self.type = ""
        self.value: list[str] = []
        self.value_len = 0
        self.in_value = False
        self.first = True

    def start(self, name: str, attrs: dict[str, str]) -> None:
        uri, local = _local(name)
        if uri != _S:
            return
        if local == "c":
            self.type, self.value, self.value_len = attrs.get("t", ""), [], 0
        elif local in ("v", "t"):
            self.in_value = True
        elif local == "row":
            self.first = True

    def end(self, name: str) -> None:
        uri, local = _local(name)
        if uri != _S:
            return
        if local in ("v", "t"):
            self.in_value = False
        elif local == "c":
            raw = "".join(self.value)
            if self.type == "s":
                try:
                    raw = self.strings[int(raw)]
                except (ValueError, IndexError):
                    raw = ""
            if raw:
                self.out.add(raw if self.first else CELL_SEP + raw)
                self.first = False
        elif local == "row":
            self.out.add("\n")

    def chars(self, data: str) -> None:
        if self.in_value and self.value_len <= self.out.budget.left:  # one cell cannot outgrow the cap
            self.value.append(data)
            self.value_len += len(data)


def xlsx_pages(path: str, max_chars: int) -> tuple[list[str], bool]:
    """One page per worksheet: its name, then one line per row with its non-empty cells separated by " | "."""
    budget = _Budget(max_chars)
    pages: list[str] = []
    with _open_zip(path) as zf:
        strings, strings_cut = _shared_strings(zf, budget)
        for sheet_name, part in _sheets(zf, budget):
            if budget.truncated or budget.left <= 0:
                budget.truncated = True
                break
            out = _Text(budget)
            reader = _SheetText(out, strings)
            try:
                out.add(sheet_name + "\n")
            except _Full:
                budget.truncated = True
            else:
                _collect(zf, part, budget, reader.start, reader.end, reader.chars)
            pages.append(out.text())
    return pages, budget.truncated or strings_cut
