"""Attachment text (ogptui.extract): sniffing by bytes, text per page, and a child process that can hang,
crash or run out of memory without the caller noticing more than a status.

Every file is built here (fpdf2, or by hand for broken structure; builders in bench/extract_bench.py).
No timed assertions: timeouts are set short and only the outcome is checked.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench import extract_bench as build
from ogptui.extract import Extracted, Extractor, extract_many, extract_text, sniff

pytestmark = pytest.mark.timeout(120)

ROOT = Path(__file__).resolve().parent.parent


def _gone(pid: int) -> bool:
    """The process no longer exists (or is a zombie waiting for a parent that is not us to reap it)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def _wait_gone(pid: int, limit_s: float = 30.0) -> bool:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if _gone(pid):
            return True
        time.sleep(0.1)
    return _gone(pid)


@pytest.fixture
def files(tmp_path) -> Path:
    d = tmp_path / "files"
    d.mkdir()
    return d


@pytest.fixture
def tmpdir_env(tmp_path, monkeypatch) -> Path:
    """The children's temporary folder, to prove nothing is left in it."""
    d = tmp_path / "tmp"
    d.mkdir()
    monkeypatch.setenv("TMPDIR", str(d))
    return d


def _write(folder: Path, name: str, data: bytes) -> Path:
    p = folder / name
    p.write_bytes(data)
    return p


PAGES = [
    "Alpha page: the ministry publishes budgets.",
    "Beta page: civil society reviews the plan.",
    "Gamma page: a two-year action plan.",
    "Delta page: zanzibar appears only here.",
    "Epsilon page: the end.",
]


# -- PDF text ------------------------------------------------------------------------------------------------


def test_pdf_text_comes_back_per_page(files):
    path = _write(files, "plan.pdf", build.simple_pdf(PAGES))
    res = extract_text(path, "pdf")
    assert res.status == "ok", res
    assert res.error is None
    assert res.page_count == 5
    assert len(res.pages) == 5
    assert res.pages[0].startswith("Alpha page")
    assert not res.truncated
    assert "Epsilon" in res.text


def test_a_word_only_on_page_4_is_on_page_4(files):
    path = _write(files, "plan.pdf", build.simple_pdf(PAGES))
    res = extract_text(path, "pdf")
    hits = [i + 1 for i, page in enumerate(res.pages) if "zanzibar" in page]
    assert hits == [4]


def test_report_with_columns_and_tables_reads_every_page(files):
    path = _write(files, "report.pdf", build.report_pdf(6))
    res = extract_text(path, "pdf")
    assert res.status == "ok"
    assert len(res.pages) == 6
    for n, page in enumerate(res.pages, 1):
        assert f"page{n}" in page.split(), (n, page[:200])
    assert "column1" in res.pages[0]  # two-column page
    assert "Complete" in res.pages[1] or "Limited" in res.pages[1] or "Substantial" in res.pages[1]  # table


def test_text_goes_through_the_cleaner(files):
    path = _write(
        files, "dirty.txt", "red \x1b[31mtext\x1b[0m\u202e here\x07\n\n\n\nnext\fpage two\x00".encode()
    )
    with Extractor(_test_hooks=True) as ex:
        res = ex.extract(path, "_text")
    assert res.status == "ok"
    assert res.pages == ["red text here\n\nnext", "page two"]


# -- bad PDFs: a status, never an exception -------------------------------------------------------------------


def test_truncated_pdf_fails(files):
    data = build.simple_pdf(PAGES)
    path = _write(files, "cut.pdf", data[: len(data) // 2])
    res = extract_text(path, "pdf")
    assert res.status == "failed"
    assert res.pages == []
    assert "Not a readable PDF" in res.error


def test_garbage_with_pdf_header_fails(files):
    path = _write(files, "junk.pdf", build.garbage_pdf(50_000))
    assert sniff(path) == "pdf"
    res = extract_text(path, "pdf")
    assert res.status == "failed"
    assert res.error.endswith(".")


def test_encrypted_pdf_fails_with_a_reason(files):
    path = _write(files, "locked.pdf", build.encrypted_pdf("secret"))
    res = extract_text(path, "pdf")
    assert res.status == "failed"
    assert "password" in res.error


def test_pdf_encrypted_with_owner_password_only_is_read(files):
    path = _write(files, "owner.pdf", build.encrypted_pdf(""))
    res = extract_text(path, "pdf")
    assert res.status == "ok"
    assert res.pages == ["Confidential letter of intent"]


def test_pdf_without_text_layer_is_empty(files):
    path = _write(files, "scan.pdf", build.image_only_pdf(2))
    res = extract_text(path, "pdf")
    assert res.status == "empty"
    assert res.page_count == 2
    assert "no text layer" in res.error


def test_looping_and_deep_page_trees_do_not_raise(files):
    loop = _write(files, "loop.pdf", build.looping_tree_pdf())
    deep = _write(files, "deep.pdf", build.deep_tree_pdf(3_000))
    with Extractor(timeout=60) as ex:
        res_loop = ex.extract(loop, "pdf")
        res_deep = ex.extract(deep, "pdf")
    assert res_loop.status == "ok"
    assert "looped tree page" in res_loop.pages[0]
    assert res_deep.status == "failed"
    assert isinstance(res_deep.error, str)


def test_huge_page_count_is_capped(files):
    path = _write(files, "bomb.pdf", build.tree_bomb_pdf(10, 6))
    res = extract_text(path, "pdf", max_pages=50)
    assert res.status == "ok"
    assert res.page_count == 10**6
    assert len(res.pages) == 50
    assert res.truncated


def test_text_over_the_character_cap_is_cut(files):
    path = _write(files, "plan.pdf", build.simple_pdf(PAGES))
    res = extract_text(path, "pdf", max_chars=60)
    assert res.status == "ok"
    assert res.truncated
    assert sum(len(p) for p in res.pages) <= 60
    assert res.pages[0].startswith("Alpha")


def test_file_over_the_size_cap_is_not_opened(files):
    path = _write(files, "big.pdf", build.simple_pdf(PAGES))
    res = extract_text(path, "pdf", max_file_mb=0.001)
    assert res.status == "too_large"
    assert "MB" in res.error


def test_missing_file_and_unsupported_kinds(files):
    assert extract_text(files / "nope.pdf", "pdf").status == "failed"
    html = _write(files, "page.html", b"<!doctype html><html><body>hi</body></html>")
    for kind in ("html", None, "exe", "_sleep"):  # test hooks only exist when asked for
        res = extract_text(html, kind)
        assert res.status == "unsupported", kind
        assert res.error


@pytest.mark.slow
def test_memory_bomb_in_a_content_stream_fails(files):
    """A page whose content inflates to 128 MB, read under a 96 MB address-space cap: PDFium gives up or
    aborts; either way the caller gets "failed"."""
    path = _write(files, "inflate.pdf", build.flate_bomb_pdf(128))
    good = _write(files, "good.pdf", build.simple_pdf(["fits"]))
    with Extractor(memory_mb=96) as ex:
        assert ex.extract(good, "pdf").pages == ["fits"]  # the cap leaves room for ordinary files
        res = ex.extract(path, "pdf")
        assert res.status == "failed", res
        assert ex.extract(good, "pdf").status == "ok"


# -- the child: timeouts, memory, crashes, no leftovers ---------------------------------------------------------


def test_a_hanging_child_is_killed_at_the_timeout(files, tmpdir_env):
    path = _write(files, "any.pdf", build.simple_pdf(["one"]))
    with Extractor(timeout=1.0, _test_hooks=True) as ex:
        ex.extract(path, "pdf")
        pid = ex.pid
        res = ex.extract(path, "_sleep")
        assert res.status == "timeout"
        assert "1 s" in res.error
        assert ex.pid is None
        assert _gone(pid)
        after = ex.extract(path, "pdf")  # the next file gets a fresh child
        assert after.status == "ok"
        assert ex.pid not in (None, pid)
    assert list(tmpdir_env.iterdir()) == []


@pytest.mark.slow
def test_cpu_limit_ends_a_spinning_child(files):
    path = _write(files, "any.bin", b"x")
    with Extractor(timeout=60, cpu_seconds=1, _test_hooks=True) as ex:
        ex.extract(path, "_text")
        pid = ex.pid
        res = ex.extract(path, "_spin")
    assert res.status == "timeout"
    assert "CPU" in res.error
    assert _gone(pid)


def test_memory_limit_gives_failed(files):
    path = _write(files, "any.pdf", build.simple_pdf(["one"]))
    with Extractor(memory_mb=256, _test_hooks=True) as ex:
        ex.extract(path, "pdf")
        pid = ex.pid
        res = ex.extract(path, "_alloc")
        assert res.status == "failed"
        assert "256 MB" in res.error
        assert ex.pid is None  # that child exits after a MemoryError
        assert ex.extract(path, "pdf").status == "ok"
    assert _gone(pid)


def test_a_crashing_child_gives_failed(files):
    path = _write(files, "any.pdf", build.simple_pdf(["one"]))
    with Extractor(_test_hooks=True) as ex:
        ex.extract(path, "pdf")
        pid = ex.pid
        res = ex.extract(path, "_crash")
        assert res.status == "failed"
        assert "SIGABRT" in res.error
        assert _gone(pid)
        assert ex.extract(path, "pdf").pages == ["one"]


def test_output_over_the_cap_is_refused(files):
    path = _write(files, "any.bin", b"x")
    with Extractor(max_chars=1_000, _test_hooks=True) as ex:
        res = ex.extract(path, "_flood")
        pid = ex.pid
    assert res.status == "failed"
    assert "size cap" in res.error
    assert pid is None


def test_text_over_max_chars_from_the_child_is_cut_here(files):
    path = _write(files, "any.bin", b"x")
    with Extractor(max_chars=1_000, _test_hooks=True) as ex:
        res = ex.extract(path, "_overrun")
    assert res.status == "ok"
    assert res.truncated
    assert res.pages == ["y" * 1_000]


def test_one_child_serves_a_batch_and_none_survives(files, tmpdir_env):
    good = _write(files, "a.pdf", build.simple_pdf(["first file"]))
    bad = _write(files, "b.pdf", build.garbage_pdf(5_000))
    doc = _write(files, "c.docx", build.docx(["a letter"]))
    pids = []
    with Extractor() as ex:
        for p, kind in ((good, "pdf"), (bad, "pdf"), (doc, "docx"), (good, "pdf")):
            assert isinstance(ex.extract(p, kind), Extracted)
            pids.append(ex.pid)
    assert len(set(pids)) == 1  # a failed file does not cost a new process
    assert _gone(pids[0])
    assert sorted(x.name for x in files.iterdir()) == ["a.pdf", "b.pdf", "c.docx"]
    assert list(tmpdir_env.iterdir()) == []


def test_extract_many_in_order(files):
    items = [
        (_write(files, "a.pdf", build.simple_pdf(["first", "second"])), "pdf"),
        (_write(files, "b.pdf", build.encrypted_pdf("pw")), "pdf"),
        (_write(files, "c.html", b"<html><body>x</body></html>"), "html"),
        (_write(files, "d.xlsx", build.xlsx({"Budget": [["Year", 2024]]})), "xlsx"),
    ]
    got = [(Path(p).name, r.status) for p, r in extract_many(items)]
    assert got == [("a.pdf", "ok"), ("b.pdf", "failed"), ("c.html", "unsupported"), ("d.xlsx", "ok")]


def test_a_dropped_extractor_leaves_no_child(files):
    code = (
        "import gc, sys; from ogptui.extract import Extractor; "
        f"ex = Extractor(); ex.extract({str(_write(files, 'a.pdf', build.simple_pdf(['x'])))!r}, 'pdf'); "
        "print(ex.pid); del ex; gc.collect()"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert r.returncode == 0, r.stderr
    assert _gone(int(r.stdout.strip()))


@pytest.mark.slow
def test_children_of_a_killed_parent_do_not_survive(files):
    """A sync killed with SIGKILL: its idle child ends at the end of its input, a busy one at its CPU limit."""
    pdf = str(_write(files, "a.pdf", build.simple_pdf(["x"])))
    code = f"""
import os, signal, threading, time
from ogptui.extract import Extractor
idle = Extractor()
idle.extract({pdf!r}, "pdf")
print(idle.pid, flush=True)
busy = Extractor(timeout=600, cpu_seconds=2, _test_hooks=True)
busy.extract({pdf!r}, "pdf")
print(busy.pid, flush=True)
threading.Thread(target=busy.extract, args=({pdf!r}, "_spin"), daemon=True).start()
time.sleep(0.5)
os.kill(os.getpid(), signal.SIGKILL)
"""
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert r.returncode == -9, r.stderr
    idle_pid, busy_pid = (int(x) for x in r.stdout.split())
    assert _wait_gone(idle_pid)
    assert _wait_gone(busy_pid)


def test_the_parent_loads_neither_pdfium_nor_textual():
    code = (
        "import sys, ogptui.extract; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pypdfium2', 'pypdf', 'textual')))"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"


# -- DOCX and XLSX ----------------------------------------------------------------------------------------------


def test_docx_text_with_table(files):
    path = _write(
        files,
        "letter.docx",
        build.docx(["Dear minister,", "We commit to open data."], [["A", "B"], ["1", "2"]]),
    )
    assert sniff(path) == "docx"
    res = extract_text(path, "docx")
    assert res.status == "ok"
    assert res.pages == ["Dear minister,\nWe commit to open data.\nA | B\n1 | 2"]


def test_docx_entity_declarations_are_refused(files):
    path = _write(files, "lol.docx", build.docx_entities())
    res = extract_text(path, "docx")
    assert res.status == "failed"
    assert "entities" in res.error


def test_docx_zip_bomb_is_refused_before_inflating(files):
    path = _write(files, "bomb.docx", build.docx_bomb(64))
    assert sniff(path) == "docx"
    res = extract_text(path, "docx")
    assert res.status == "too_large"
    assert "zip bomb" in res.error


def test_docx_without_body_and_broken_xml_fail(files):
    broken = _write(files, "broken.docx", build.docx([], document_xml="<w:document><w:body>"))
    assert extract_text(broken, "docx").status == "failed"
    not_zip = _write(files, "not.docx", b"PK\x03\x04 not really a zip")
    assert extract_text(not_zip, "docx").status == "failed"


def test_xlsx_one_page_per_sheet(files):
    path = _write(
        files,
        "budget.xlsx",
        build.xlsx({"Budget": [["Year", "Amount"], [2024, 1500.5]], "Notes": [["Published on the portal"]]}),
    )
    assert sniff(path) == "xlsx"
    res = extract_text(path, "xlsx")
    assert res.status == "ok"
    assert res.pages == ["Budget\nYear | Amount\n2024 | 1500.5", "Notes\nPublished on the portal"]


# -- sniff ---------------------------------------------------------------------------------------------------------


def test_sniff_every_kind(files):
    pdf = build.simple_pdf(["x"])
    cases = {
        "report.pdf": (pdf, "pdf"),
        # what a server called text/html but is a PDF, and an error page served as application/pdf
        "served-as-html.html": (pdf, "pdf"),
        "served-as-pdf.pdf": (b"\n<!DOCTYPE html>\n<html><head><title>404</title></head></html>", "html"),
        "bom.html": (b"\xef\xbb\xbf<html lang=en><body>x</body></html>", "html"),
        "junk-then-pdf.pdf": (b"garbage line\r\n" + pdf, "pdf"),
        "letter.docx": (build.docx(["x"]), "docx"),
        "budget.xlsx": (build.xlsx({"S": [["x"]]}), "xlsx"),
        "docx-named.xlsx": (build.docx(["x"]), "docx"),
        "plain.txt": (b"just text, mentioning <html> later", None),
        "random.bin": (os.urandom(4096), None),
        "empty.pdf": (b"", None),
        "zip-without-types.docx": (_zip({"word/document.xml": "<x/>"}), None),
        "odt-like.zip": (_zip({"[Content_Types].xml": "<Types/>", "content.xml": "<x/>"}), None),
    }
    for name, (data, kind) in cases.items():
        assert sniff(_write(files, name, data)) == kind, name
    assert sniff(files / "missing.pdf") is None


def test_sniff_refuses_a_zip_with_too_many_entries(files):
    real = build.docx(["x"])
    assert sniff(_write(files, "real.docx", real)) == "docx"
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(real)) as zf:
        types = zf.read("[Content_Types].xml").decode()
    path = _write(
        files, "many.docx", _zip({"[Content_Types].xml": types} | {f"f{i}": "" for i in range(10_000)})
    )
    assert sniff(path) is None


def _zip(parts: dict[str, str]) -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, text in parts.items():
            zf.writestr(name, text)
    return buf.getvalue()
