"""Attachment text: pypdfium2 against pypdf on the same PDFs, and the cost of the extraction child.

    python -m bench.extract_bench            # everything (~1-2 min on 2 cores), Markdown on stdout
    python -m bench.extract_bench --quick    # fewer repetitions, smaller hostile files
Needs the `bench` extra (`pip install -e '.[test,bench]'`: fpdf2 builds the PDFs, pypdf is measured).
Raw results go to bench/out/extract.json.

1. Speed: a 100-page report built here with fpdf2 (real sentences on every page, a heading per page, every
   third page in two columns, every third with a 4-column table; DejaVu Sans embedded as a subset with a
   ToUnicode map when the machine has it, like most real reports, else Helvetica). Each library opens the
   file and extracts every page, in a fresh child process per repetition (imports not timed), alternating.
2. Robustness: both libraries on hostile files, each run in a child process with the limits ogptui uses
   (RLIMIT_AS 512 MB, RLIMIT_CPU 30 s, wall clock 30 s), then the same files through `ogptui.extract`.
3. Child cost: start-up of the extraction child, and a batch of small PDFs through one child vs one child
   per file.
The file builders below are also used by tests/test_extract.py.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from pathlib import Path

from bench.common import OUT, ROOT

LIMIT_MB = 512
LIMIT_CPU_S = 30
WALL_S = 30.0
MAX_PAGES = 2_000  # the same cap for both libraries as for ogptui.extract
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

WORDS = tuple(
    [
        "government",
        "open",
        "participation",
        "citizens",
        "commitment",
        "transparency",
        "ministry",
        "budget",
        "access",
        "información",
        "accountability",
        "civil",
        "society",
        "action",
        "plan",
        "reform",
        "data",
        "public",
        "procurement",
        "justice",
        "oversight",
        "milestone",
        "implementation",
        "review",
        "consultation",
        "portal",
        "beneficial",
        "ownership",
        "integrity",
        "anticorruption",
        "municipal",
    ]
)


# -- builders: real PDFs (fpdf2) ---------------------------------------------------------------------------


def _sentences(rng: random.Random, n: int, tag: str) -> str:
    out = []
    for i in range(n):
        words = [rng.choice(WORDS) for _ in range(rng.randint(8, 16))]
        if i == 0:
            words.insert(3, tag)
        out.append(" ".join(words).capitalize() + ".")
    return " ".join(out)


def report_pdf(pages: int = 100, *, unicode_font: bool = True, seed: int = 7) -> bytes:
    """A report: per page a heading, a paragraph tagged `pageN`, then one column, two columns or a table."""
    from fpdf import FPDF

    rng = random.Random(seed)
    pdf = FPDF()
    pdf.set_auto_page_break(False)
    family = "Helvetica"
    if unicode_font and DEJAVU.exists():
        pdf.add_font("DejaVu", "", str(DEJAVU))
        bold = DEJAVU.with_name("DejaVuSans-Bold.ttf")
        pdf.add_font("DejaVu", "B", str(bold if bold.exists() else DEJAVU))
        family = "DejaVu"
    for i in range(1, pages + 1):
        pdf.add_page()
        pdf.set_font(family, size=14)
        pdf.cell(0, 10, f"Chapter {i}: Open government in practice", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, size=10)
        pdf.multi_cell(0, 5, _sentences(rng, 4, f"page{i}"), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        if i % 3 == 1:
            with pdf.text_columns(ncols=2, gutter=8) as cols:
                cols.write(_sentences(rng, 18, f"column{i}"))
        elif i % 3 == 2:
            with pdf.table(col_widths=(20, 50, 60, 40)) as table:
                for r in range(10):
                    row = table.row()
                    row.cell(f"{i}.{r}")
                    row.cell(rng.choice(WORDS).capitalize())
                    row.cell(" ".join(rng.choice(WORDS) for _ in range(4)))
                    row.cell(rng.choice(["Complete", "Substantial", "Limited", "Not started"]))
        else:
            pdf.multi_cell(0, 5, _sentences(rng, 14, f"body{i}"))
    return bytes(pdf.output())


def simple_pdf(page_texts: list[str]) -> bytes:
    """One page per string (core font, Latin-1), for tests."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for text in page_texts:
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


def encrypted_pdf(user_password: str = "secret") -> bytes:
    """RC4-encrypted; with a user password it cannot be opened without it ('' = owner password only)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_encryption(owner_password="owner-pw", user_password=user_password)
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 6, "Confidential letter of intent")
    return bytes(pdf.output())


def image_only_pdf(pages: int = 2) -> bytes:
    """Scanned-looking pages: a picture and lines, no text layer."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    img = Image.new("L", (400, 500), 255)
    draw = ImageDraw.Draw(img)
    for y in range(40, 480, 18):
        draw.line((30, y, 370, y), fill=0, width=6)
    pdf = FPDF()
    for _ in range(pages):
        pdf.add_page()
        pdf.image(img, x=20, y=20, w=160)
        pdf.rect(10, 10, 190, 277)
    return bytes(pdf.output())


# -- builders: hand-made PDFs with broken structure -------------------------------------------------------


def raw_pdf(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF from object bodies (object i+1 = objects[i]) with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _text_ops(text: str) -> bytes:
    return b"BT /F1 12 Tf 72 720 Td (" + text.encode("latin-1") + b") Tj ET"


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
_RES = b"/Resources << /Font << /F1 %d 0 R >> >> /MediaBox [0 0 612 792]"


def looping_tree_pdf() -> bytes:
    """The page tree's second kid is a /Pages node whose only kid is the root again."""
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
            b"<< /Type /Page /Parent 2 0 R /Contents 5 0 R " + _RES % 6 + b" >>",
            b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>",
            _stream(_text_ops("looped tree page")),
            _FONT,
        ]
    )


def deep_tree_pdf(depth: int = 5_000) -> bytes:
    """A page tree `depth` levels deep, one kid per level, one page at the bottom."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for k in range(2, depth + 2):  # /Pages nodes 2 .. depth+1
        parent = b"/Parent %d 0 R " % (k - 1) if k > 2 else b""
        objs.append(b"<< /Type /Pages %s/Kids [%d 0 R] /Count 1 >>" % (parent, k + 1))
    page, content, font = depth + 2, depth + 3, depth + 4
    objs.append(
        b"<< /Type /Page /Parent %d 0 R /Contents %d 0 R " % (page - 1, content) + _RES % font + b" >>"
    )
    objs.append(_stream(_text_ops("deep page")))
    objs.append(_FONT)
    return raw_pdf(objs)


def tree_bomb_pdf(fanout: int = 10, levels: int = 6) -> bytes:
    """fanout**levels pages in a few hundred bytes: every /Pages node lists the same kid `fanout` times."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for lv in range(levels):  # node objects 2 .. levels+1
        k = 2 + lv
        kids = b" ".join([b"%d 0 R" % (k + 1)] * fanout)
        parent = b"/Parent %d 0 R " % (k - 1) if lv else b""
        objs.append(b"<< /Type /Pages %s/Kids [%s] /Count %d >>" % (parent, kids, fanout ** (levels - lv)))
    page = levels + 2
    objs.append(
        b"<< /Type /Page /Parent %d 0 R /Contents %d 0 R " % (page - 1, page + 1) + _RES % (page + 2) + b" >>"
    )
    objs.append(_stream(_text_ops("bomb page")))
    objs.append(_FONT)
    return raw_pdf(objs)


def many_pages_pdf(n: int = 20_000) -> bytes:
    """n real pages in a flat tree, each with its own one-line text."""
    font = 3 + 2 * n
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = b" ".join(b"%d 0 R" % (3 + 2 * i) for i in range(n))
    objs.append(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n))
    for i in range(n):
        objs.append(b"<< /Type /Page /Parent 2 0 R /Contents %d 0 R " % (4 + 2 * i) + _RES % font + b" >>")
        objs.append(_stream(_text_ops(f"Page number {i + 1}")))
    objs.append(_FONT)
    return raw_pdf(objs)


def flate_bomb_pdf(mb: int = 1024) -> bytes:
    """One page whose content stream inflates to `mb` MB (of spaces) from ~1/1000 of that."""
    z = zlib.compressobj(9)
    chunk = b" " * 2**20
    data = b"".join(z.compress(chunk) for _ in range(mb)) + z.flush()
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R " + _RES % 5 + b" >>",
            _stream(data, b"/Filter /FlateDecode "),
            _FONT,
        ]
    )


def garbage_pdf(size: int = 200_000, seed: int = 1) -> bytes:
    return b"%PDF-1.7\n" + random.Random(seed).randbytes(size)


# -- builders: office files ----------------------------------------------------------------------------------

_CT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>'
)
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _xml_escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def docx(
    paragraphs: list[str], table: list[list[str]] | None = None, *, document_xml: str | None = None
) -> bytes:
    """A minimal DOCX: paragraphs, then an optional table (or `document_xml` as given)."""
    body = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{_xml_escape(p)}</w:t></w:r></w:p>' for p in paragraphs
    )
    if table:
        rows = "".join(
            "<w:tr>"
            + "".join(f"<w:tc><w:p><w:r><w:t>{_xml_escape(c)}</w:t></w:r></w:p></w:tc>" for c in row)
            + "</w:tr>"
            for row in table
        )
        body += f"<w:tbl>{rows}</w:tbl>"
    xml = (
        document_xml
        or f'<?xml version="1.0" encoding="UTF-8"?><w:document {_W}><w:body>{body}</w:body></w:document>'
    )
    over = (
        '<Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CT.format(overrides=over))
        zf.writestr("word/document.xml", xml)
    return buf.getvalue()


def xlsx(sheets: dict[str, list[list[str | float]]]) -> bytes:
    """A minimal XLSX: text cells through the shared-string table, numbers inline."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rns = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    strings: list[str] = []
    over = (
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CT.format(overrides=over))
        wb_sheets, rels = [], []
        for n, (name, rows) in enumerate(sheets.items(), 1):
            wb_sheets.append(f'<sheet name="{_xml_escape(name)}" sheetId="{n}" r:id="rId{n}"/>')
            rels.append(
                f'<Relationship Id="rId{n}" Target="worksheets/sheet{n}.xml" '
                'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
            )
            xml_rows = []
            for row in rows:
                cells = []
                for value in row:
                    if isinstance(value, str):
                        strings.append(value)
                        cells.append(f'<c t="s"><v>{len(strings) - 1}</v></c>')
                    else:
                        cells.append(f"<c><v>{value}</v></c>")
                xml_rows.append("<row>" + "".join(cells) + "</row>")
            zf.writestr(
                f"xl/worksheets/sheet{n}.xml",
                f"<worksheet {ns}><sheetData>{''.join(xml_rows)}</sheetData></worksheet>",
            )
        zf.writestr(
            "xl/workbook.xml", f"<workbook {ns} {rns}><sheets>{''.join(wb_sheets)}</sheets></workbook>"
        )
        zf.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(rels)
            + "</Relationships>",
        )
        sst = "".join(f"<si><t>{_xml_escape(s)}</t></si>" for s in strings)
        zf.writestr("xl/sharedStrings.xml", f"<sst {ns}>{sst}</sst>")
    return buf.getvalue()


def docx_bomb(mb: int = 1024) -> bytes:
    """A DOCX whose document.xml inflates to `mb` MB (a zip bomb, ~1,000:1)."""
    buf = io.BytesIO()
    over = (
        '<Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    )
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", _CT.format(overrides=over))
        with zf.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(f'<?xml version="1.0"?><w:document {_W}><w:body><w:p><w:r><w:t>'.encode())
            chunk = b"a" * 2**20
            for _ in range(mb):
                part.write(chunk)
            part.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return buf.getvalue()


def docx_entities() -> bytes:
    """A DOCX whose document.xml declares nested entities ("billion laughs")."""
    lol = "".join(f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY l0 "lol">{lol}]>'
        f"<w:document {_W}><w:body><w:p><w:r><w:t>&l9;</w:t></w:r></w:p></w:body></w:document>"
    )
    return docx([], document_xml=xml)


# -- the child that runs one library on one file -------------------------------------------------------------


def _child_limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_MB * 2**20, LIMIT_MB * 2**20))
    resource.setrlimit(resource.RLIMIT_CPU, (LIMIT_CPU_S, LIMIT_CPU_S + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _extract_pdfium(path: str) -> tuple[int, list[str]]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(path)
    try:
        n = len(doc)
        out = []
        for i in range(min(n, MAX_PAGES)):
            page = doc[i]
            tp = page.get_textpage()
            out.append(tp.get_text_range())
            tp.close()
            page.close()
        return n, out
    finally:
        doc.close()


def _extract_pypdf(path: str) -> tuple[int, list[str]]:
    import pypdf

    reader = pypdf.PdfReader(path)
    if reader.is_encrypted:
        reader.decrypt("")
    n = len(reader.pages)
    return n, [reader.pages[i].extract_text() for i in range(min(n, MAX_PAGES))]


def child_main(lib: str, path: str, reps: int) -> None:
    """Runs in the child: one JSON line on stdout with times (imports excluded) and what came out."""
    import warnings

    warnings.simplefilter("ignore")
    import logging

    logging.disable(logging.CRITICAL)
    fn = _extract_pdfium if lib == "pypdfium2" else _extract_pypdf
    if lib == "pypdfium2":
        import pypdfium2  # noqa: F401
    else:
        import pypdf  # noqa: F401
    times = []
    cpu = []
    result: dict = {}
    for _ in range(reps):
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            n, pages = fn(path)
        except BaseException as e:  # noqa: BLE001 - the bench reports whatever happens
            result = {"outcome": "error", "error": f"{type(e).__name__}: {str(e)[:120]}"}
            times.append(time.perf_counter() - t0)
            break
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        result = {
            "outcome": "ok",
            "page_count": n,
            "pages": len(pages),
            "chars": sum(len(p) for p in pages),
            "text_pages": sum(1 for p in pages if p.strip()),
        }
    result["seconds"] = times
    result["cpu_seconds"] = cpu
    sys.stdout.write(json.dumps(result) + "\n")


def run_child(lib: str, path: Path, reps: int = 1) -> dict:
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.extract_bench", "--child", lib, str(path), str(reps)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
        preexec_fn=_child_limits,  # noqa: PLW1509 - single-threaded bench process
    )
    try:
        out, _ = proc.communicate(timeout=WALL_S * reps)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return {"outcome": "timeout", "wall": round(time.perf_counter() - t0, 2)}
    wall = round(time.perf_counter() - t0, 2)
    if proc.returncode != 0 or not out.strip():
        rc = proc.returncode
        how = f"killed by signal {-rc}" if rc and rc < 0 else f"exit {rc}"
        import signal

        if rc and rc < 0:
            how = f"killed by {signal.Signals(-rc).name}"
        return {"outcome": "crash", "error": how, "wall": wall}
    res = json.loads(out.splitlines()[-1])
    res["wall"] = wall
    return res


# -- the benchmark -------------------------------------------------------------------------------------------


SPEED_INNER = 3  # extractions per process: the first is "cold" (first document in a fresh process)


def speed(tmp: Path, reps: int) -> tuple[dict, Path]:
    """pages/s of each library on the same file: per repetition one fresh process per library
    (alternating), which extracts the file SPEED_INNER times; wall and CPU time, cold and warm."""
    t0 = time.perf_counter()
    data = report_pdf(100)
    build_s = time.perf_counter() - t0
    path = tmp / "report-100.pdf"
    path.write_bytes(data)
    libs = ("pypdfium2", "pypdf")
    series: dict[str, dict[str, list[float]]] = {
        lib: {"cold": [], "warm": [], "warm_cpu": []} for lib in libs
    }
    chars: dict[str, int] = {}
    for _ in range(reps):
        for lib in libs:
            r = run_child(lib, path, SPEED_INNER)
            if r.get("outcome") != "ok":
                raise RuntimeError(f"{lib} failed on the report: {r}")
            series[lib]["cold"].append(100 / r["seconds"][0])
            series[lib]["warm"] += [100 / t for t in r["seconds"][1:]]
            series[lib]["warm_cpu"] += [100 / max(t, 1e-6) for t in r["cpu_seconds"][1:]]
            chars[lib] = r["chars"]
    out = {
        "file": {
            "pages": 100,
            "bytes": len(data),
            "font": "DejaVu Sans (embedded subset)" if DEJAVU.exists() else "Helvetica",
            "build_s": round(build_s, 2),
        },
        "pages_per_s": {lib: {k: _spread(v) for k, v in s.items()} for lib, s in series.items()},
        "chars": chars,
    }
    pps = out["pages_per_s"]
    out["ratio"] = {
        k: round(pps["pypdfium2"][k]["median"] / pps["pypdf"][k]["median"], 1)
        for k in ("cold", "warm", "warm_cpu")
    }
    return out, path


def _spread(values: list[float]) -> dict:
    return {
        "median": round(statistics.median(values), 1),
        "min": round(min(values), 1),
        "max": round(max(values), 1),
        "n": len(values),
    }


def hostile_files(tmp: Path, report: Path, quick: bool) -> dict[str, Path]:
    whole = report.read_bytes()
    files = {
        "truncated (first 60% of the report)": whole[: int(len(whole) * 0.6)],
        "garbage after a %PDF- header (200 kB)": garbage_pdf(),
        "encrypted, user password": encrypted_pdf("secret"),
        "encrypted, owner password only": encrypted_pdf(""),
        "page tree loops back to the root": looping_tree_pdf(),
        "page tree 5,000 levels deep": deep_tree_pdf(5_000),
        "page-tree bomb: 10^6 pages in 1 kB": tree_bomb_pdf(10, 6),
        f"{2_000 if quick else 20_000:,} real pages": many_pages_pdf(2_000 if quick else 20_000),
        f"content stream inflating to {256 if quick else 1024} MB": flate_bomb_pdf(256 if quick else 1024),
        "no text layer (image only)": image_only_pdf(2),
    }
    paths = {}
    for i, (name, data) in enumerate(files.items()):
        p = tmp / f"hostile-{i}.pdf"
        p.write_bytes(data)
        paths[name] = p
    return paths


def _describe(r: dict) -> str:
    if r["outcome"] == "ok":
        return f"{r['text_pages']}/{r['pages']} pages with text of {r['page_count']:,}, {r['wall']:.1f} s"
    if r["outcome"] == "error":
        return f"raises {r['error'].split(':')[0]}, {r['wall']:.1f} s"
    if r["outcome"] == "timeout":
        return f"**hung**: killed at {WALL_S:g} s"
    return f"**{r['error']}**, {r['wall']:.1f} s"


def robustness(files: dict[str, Path]) -> dict:
    from ogptui.extract import Extractor, sniff

    out = {}
    with Extractor(timeout=WALL_S, memory_mb=LIMIT_MB) as ex:
        for name, path in files.items():
            row = {lib: run_child(lib, path) for lib in ("pypdfium2", "pypdf")}
            t0 = time.perf_counter()
            res = ex.extract(path, sniff(path))
            row["ogptui"] = {
                "status": res.status,
                "pages": len(res.pages),
                "text_pages": sum(1 for p in res.pages if p),
                "page_count": res.page_count,
                "truncated": res.truncated,
                "error": res.error,
                "wall": round(time.perf_counter() - t0, 2),
            }
            out[name] = row
    return out


def child_cost(tmp: Path, n_files: int, n_starts: int) -> dict:
    from ogptui.extract import Extractor, extract_text

    starts = []
    for _ in range(n_starts):
        with Extractor() as ex:
            ex.extract(tmp / "missing.pdf", "pdf")  # answered without a child
            ex._ensure_child()
            starts.append(ex.start_ms[-1])
    small = []
    for i in range(n_files):
        p = tmp / f"small-{i}.pdf"
        p.write_bytes(simple_pdf([f"Letter {i}: the ministry commits to open data.", "Second page."]))
        small.append(p)
    t0 = time.perf_counter()
    with Extractor() as ex:
        batch = [ex.extract(p, "pdf").status for p in small]
    batch_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    single = [extract_text(p, "pdf").status for p in small]
    single_s = time.perf_counter() - t0
    assert set(batch) == set(single) == {"ok"}, (batch, single)
    return {
        "start_ms": _spread(starts),
        "files": n_files,
        "batch_ms_per_file": round(batch_s * 1000 / n_files, 1),
        "child_per_file_ms_per_file": round(single_s * 1000 / n_files, 1),
    }


def api_speed(path: Path, reps: int) -> dict:
    """pages/s of the 100-page report through ogptui.extract with a warm child (JSON + cleaning included)."""
    from ogptui.extract import Extractor

    rates = []
    with Extractor() as ex:
        ex.extract(path, "pdf")
        for _ in range(reps):
            t0 = time.perf_counter()
            res = ex.extract(path, "pdf")
            rates.append(len(res.pages) / (time.perf_counter() - t0))
    return _spread(rates)


def run(quick: bool = False) -> dict:
    reps = 3 if quick else 7
    with tempfile.TemporaryDirectory(prefix="ogptui-bench-extract-") as tmp_s:
        tmp = Path(tmp_s)
        sp, report = speed(tmp, reps)
        files = hostile_files(tmp, report, quick)
        return {
            "speed": sp,
            "api_pages_per_s": api_speed(report, reps),
            "robustness": robustness(files),
            "child": child_cost(tmp, 10 if quick else 40, 5 if quick else 15),
            "limits": {"memory_mb": LIMIT_MB, "cpu_s": LIMIT_CPU_S, "wall_s": WALL_S, "max_pages": MAX_PAGES},
            "versions": _versions(),
        }


def _versions() -> dict:
    from importlib import metadata

    return {d: metadata.version(d) for d in ("pypdfium2", "pypdf", "fpdf2")}


def markdown(r: dict) -> str:
    sp = r["speed"]
    pps = sp["pages_per_s"]
    v = r["versions"]

    def cell(x: dict, bold: bool = False) -> str:
        m = f"{x['median']:,.0f}"
        return f"{'**' + m + '**' if bold else m} ({x['min']:,.0f}–{x['max']:,.0f})"

    lines = [
        f"Same 100-page file ({sp['file']['bytes'] / 1000:.0f} kB, fpdf2, {sp['file']['font']}, every third page "
        f"in two columns, every third with a table). Per repetition a fresh process per library, alternating, "
        f"extracting the file {SPEED_INNER} times (the first is cold: first document of the process); imports not "
        f"timed; n = {pps['pypdfium2']['cold']['n']} repetitions. Medians (min–max):",
        "",
        "| library | pages/s cold (wall) | pages/s warm (wall) | pages/s warm (CPU) | characters |",
        "|---|---|---|---|---|",
    ]
    for lib, bold in (("pypdfium2", True), ("pypdf", False)):
        x = pps[lib]
        lines.append(
            f"| {lib} {v[lib]} | {cell(x['cold'], bold)} | {cell(x['warm'], bold)} | {cell(x['warm_cpu'], bold)} "
            f"| {sp['chars'][lib]:,} |"
        )
    ratio = sp["ratio"]
    lines += [
        "",
        f"pypdfium2 / pypdf: **{ratio['cold']}×** cold, **{ratio['warm']}×** warm, **{ratio['warm_cpu']}×** in CPU "
        f"time. Through `ogptui.extract` (warm child; JSON, parent-side cleaning and caps included): "
        f"{r['api_pages_per_s']['median']:,.0f} pages/s ({r['api_pages_per_s']['min']:,.0f}–"
        f"{r['api_pages_per_s']['max']:,.0f}).",
        "",
        f"Robustness (each library in a child with RLIMIT_AS {r['limits']['memory_mb']} MB, RLIMIT_CPU "
        f"{r['limits']['cpu_s']} s, wall clock {r['limits']['wall_s']:g} s, first {r['limits']['max_pages']:,} pages):",
        "",
        "| file | pypdfium2 | pypdf | `ogptui.extract` status |",
        "|---|---|---|---|",
    ]
    for name, row in r["robustness"].items():
        o = row["ogptui"]
        status = f"`{o['status']}`" + (
            f" ({o['text_pages']} pages with text{', truncated' if o['truncated'] else ''})"
            if o["status"] == "ok"
            else ""
        )
        if o["status"] != "ok" and o["error"]:
            status += f": {o['error']}"
        lines.append(f"| {name} | {_describe(row['pypdfium2'])} | {_describe(row['pypdf'])} | {status} |")
    c = r["child"]
    s = c["start_ms"]
    lines += [
        "",
        f"Extraction child start-up (interpreter + PDFium loaded, ready): **{s['median']:.0f} ms** median "
        f"({s['min']:.0f}–{s['max']:.0f}, n = {s['n']}). {c['files']} two-page PDFs: "
        f"{c['batch_ms_per_file']:.1f} ms per file through one child, {c['child_per_file_ms_per_file']:.1f} ms "
        "per file with a child per file.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--child", nargs=3, metavar=("LIB", "PATH", "REPS"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child_main(args.child[0], args.child[1], int(args.child[2]))
        return 0
    result = run(args.quick)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "extract.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(markdown(result))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
