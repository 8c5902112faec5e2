"""The document commands (issue 13.6, 13.4, 13.8): the done-when sequence of issue 13, `ogptui document`,
`show --json` resources, `storage [--prune]`, `where`, bundles with documents and files, the brief."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest

from ogptui.cli import main
from tests.crashkit import ESC_C1_BEL, run_cli

DOC = "peru-design-report-2019-2021"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    rc = main(list(argv))
    captured = capsys.readouterr()
    return rc, captured.out, captured.err


@pytest.fixture
def synced(fake_site, capsys):
    assert main(["sync", "peru", "--source", fake_site.url, "--quiet", "--delay", "0"]) == 0
    capsys.readouterr()
    return fake_site


def test_done_when_sync_stop_the_site_read_the_document_and_find_a_pdf_word(fake_site, ogptui_home):
    """Issue 13, "Done when": from a fresh OGPTUI_HOME, in separate processes like a user's shell."""
    r = run_cli(ogptui_home, "sync", "peru", "--source", fake_site.url, "--quiet")
    assert r.returncode == 0, r.stderr
    fake_site.stop()
    r = run_cli(ogptui_home, "document", DOC)
    assert r.returncode == 0 and r.stderr == ""
    text = r.stdout
    assert text.startswith("Peru Design Report 2019-2021\n")
    assert (
        "The majority of commitments included in Peru’s fourth action plan are relevant to OGP values" in text
    )
    for row in ("Member since                         2011", "Number of commitments                21",
                "Is there a multi-stakeholder forum?  No", "Relevant to OGP values               17 (81%)"):  # fmt: skip
        assert row in text
    assert (
        "General overview of action plan\n-------------------------------\nPeru’s fourth action plan includes"
        in text
    )
    r = run_cli(ogptui_home, "search", "quipucamayoc")
    assert r.returncode == 0
    assert (
        "Documents (1)\n  Peru Action Plan 2023-2025  (2023, Action Plan)\n    Peru (PDF page 3):" in r.stdout
    )
    assert "«quipucamayoc»" in r.stdout


def test_document_json_is_the_contract(synced, capsys):
    rc, out, _ = run(capsys, "document", "peru-action-plan-2023-2025", "--json")
    d = json.loads(out)
    assert rc == 0 and list(d) == [
        "kind", "slug", "url", "title", "summary", "at_a_glance", "sections", "attachments", "members",
        "fetched_at", "source_url", "warnings",
    ]  # fmt: skip
    (a,) = d["attachments"]
    assert a["path"] and Path(a["path"]).is_file() and a["content_type"] == "application/pdf"
    assert a["text_status"] == "ok" and len(a["sha256"]) == 64 and a["size"] == Path(a["path"]).stat().st_size
    assert (
        d["members"] == ["peru"] and d["source_url"] == f"{synced.url}/documents/peru-action-plan-2023-2025/"
    )
    rc, out2, _ = run(capsys, "document", d["url"], "--format", "json")  # DOC as its URL
    assert json.loads(out2) == d


def test_document_markdown_and_files_text(synced, capsys):
    rc, out, _ = run(capsys, "document", DOC, "--format", "md")
    assert rc == 0 and out.startswith("# Peru Design Report 2019-2021\n")
    assert "## At a glance" in out and "| Number of commitments | 21 |" in out
    rc, out, _ = run(capsys, "document", "peru-action-plan-2023-2025", "--files")
    assert "Peru Action Plan 2023-2025 (PDF), page 3" in out and "quipucamayoc" in out
    rc, out, _ = run(capsys, "document", "peru-action-plan-2023-2025")
    assert "quipucamayoc" not in out and "text read (3 pages)" in out


def test_unknown_document_is_one_line_with_did_you_mean(synced, capsys):
    rc, out, err = run(capsys, "document", "peru-desgn-report-2019-2021")
    assert rc == 2 and out == ""
    assert err.splitlines() == [
        "ogptui: no document 'peru-desgn-report-2019-2021' in the cache; did you mean "
        "peru-design-report-2019-2021, peru-design-report-2017-2019, peru-results-report-2019-2022?"
    ]
    rc, out, err = run(capsys, "document", "\x1b]0;x\x07zzzz")
    assert rc == 2 and len(err.splitlines()) == 1 and not any(c in err for c in ESC_C1_BEL)
    assert "search WORDS --kind document" in err


def test_unknown_document_in_an_empty_cache_says_how_to_get_documents(capsys):
    rc, _, err = run(capsys, "document", "anything")
    assert rc == 2 and err.strip().endswith(
        "no documents are cached yet: `ogptui sync SLUG` fetches a member's documents"
    )


def test_show_json_resources_gain_document_and_offline(synced, capsys):
    rc, out, _ = run(capsys, "show", "peru", "--json")
    resources = json.loads(out)["resources"]
    assert all(set(r) == {"title", "year", "type", "format", "url", "document", "offline"} for r in resources)
    assert {r["document"] for r in resources} >= {DOC} and all(r["offline"] for r in resources)


def test_show_json_marks_resources_without_a_cached_page(capsys):
    """The embedded sample (a text capture, no links): no document, nothing offline."""
    rc, out, _ = run(capsys, "show", "peru", "--json")
    resources = json.loads(out)["resources"]
    assert resources and all(r["offline"] is False for r in resources)


def test_where_shows_the_files_folder(capsys, ogptui_home):
    rc, out, _ = run(capsys, "where", "--json")
    assert json.loads(out)["files"] == str(ogptui_home / "files")
    rc, out, _ = run(capsys, "where")
    assert f"files     {ogptui_home / 'files'}" in out


def test_storage_prints_space_per_member_and_total_and_prunes_only_unreferenced(synced, capsys, ogptui_home):
    rc, out, _ = run(capsys, "storage")
    assert rc == 0
    assert "  Peru    12 documents     7 files" in out
    assert "Total: 12 documents, 7 files" in out
    folder = ogptui_home / "files"
    stray = folder / "ab" / ("ab" + "0" * 62 + ".pdf")
    stray.parent.mkdir(exist_ok=True)
    stray.write_bytes(b"%PDF-1.4 nobody refers to me")
    temp = folder / ".download.zzzz9999.tmp"
    temp.write_bytes(b"half")
    mine = folder / "README.txt"
    mine.write_text("not ogptui's")
    rc, out, _ = run(capsys, "storage")
    assert "1 file (28 B) belong to no stored document: `ogptui storage --prune` removes them" in out
    kept = sorted(p for p in folder.rglob("*.pdf") if p != stray)
    rc, out, _ = run(capsys, "storage", "--prune")
    assert rc == 0 and out.startswith(
        "removed 1 unreferenced file and 1 temporary file of interrupted downloads"
    )
    assert not stray.exists() and not temp.exists() and mine.exists()
    assert sorted(folder.rglob("*.pdf")) == kept
    rc, out, _ = run(capsys, "storage", "--prune")
    assert out.startswith("nothing to remove")
    rc, out, _ = run(capsys, "storage", "--json")
    d = json.loads(out)
    assert d["total"]["files"] == 7 and d["members"][0]["slug"] == "peru" and d["unreferenced"]["files"] == 0


def test_storage_prune_forgets_files_deleted_by_hand(synced, capsys, ogptui_home):
    victim = next((ogptui_home / "files").rglob("*.pdf"))
    victim.unlink()
    rc, out, _ = run(capsys, "storage", "--prune")
    rc, out, _ = run(capsys, "storage", "--json")
    assert json.loads(out)["total"]["files"] == 6


def test_brief_lists_each_current_plan_document_with_its_summary(synced, capsys):
    rc, out, _ = run(capsys, "show", "peru", "--format", "md")
    section = out.split("### Documents of the current plan", 1)[1].split("## ", 1)[0]
    titles = [line for line in section.splitlines() if line.startswith("- ")]
    assert [t.split(" (")[0] for t in titles] == [
        "- Peru Action Plan Review 2023-2025",
        "- Peru Action Plan Review 2023-2025 – For Public Comment",
        "- Peru Action Plan 2023-2025",
    ]
    assert "  Peru Action Plan 2023-2025: the document as published by Peru." in section


# ---- bundles ---------------------------------------------------------------------------------------------
def _other_home(tmp_path, monkeypatch, name: str) -> Path:
    home = tmp_path / name
    monkeypatch.setenv("OGPTUI_HOME", str(home))
    return home


def test_export_with_files_and_import_make_documents_readable_on_another_machine(
    synced, capsys, tmp_path, monkeypatch
):
    bundle = tmp_path / "peru.bundle"
    rc, out, _ = run(capsys, "export", str(bundle), "--with-files")
    assert rc == 0 and "12 documents with 7 files" in out
    pages_only = tmp_path / "pages.bundle"
    rc, out, _ = run(capsys, "export", str(pages_only))
    assert "12 documents (pages only)" in out
    assert not any(n.startswith("files/") for n in zipfile.ZipFile(pages_only).namelist())
    synced.stop()
    home = _other_home(tmp_path, monkeypatch, "laptop")
    rc, out, _ = run(capsys, "import", str(bundle))
    assert rc == 0 and "documents: 12 added, 0 updated; 7 files added" in out
    rc, out, _ = run(capsys, "document", "peru-action-plan-2023-2025", "--json")
    (a,) = json.loads(out)["attachments"]
    assert a["path"] and Path(a["path"]).is_relative_to(home / "files")
    assert hashlib.sha256(Path(a["path"]).read_bytes()).hexdigest() == a["sha256"]
    rc, out, _ = run(capsys, "search", "quipucamayoc", "--json")
    assert [h["id"] for h in json.loads(out)] == ["peru-action-plan-2023-2025"]
    # Pages only: readable and searchable, the files marked not on this device.
    _other_home(tmp_path, monkeypatch, "tablet")
    assert run(capsys, "import", str(pages_only))[0] == 0
    rc, out, _ = run(capsys, "document", "peru-action-plan-2023-2025", "--json")
    (a,) = json.loads(out)["attachments"]
    assert a["path"] is None and a["text_status"] == "ok"
    rc, out, _ = run(capsys, "search", "quipucamayoc", "--json")
    assert [h["id"] for h in json.loads(out)] == ["peru-action-plan-2023-2025"]


def _tamper(src: Path, dest: Path, name_prefix: str, change) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.startswith(name_prefix):
                data = change(data)
            zout.writestr(info, data)


def test_import_checks_every_file_before_anything_is_written(synced, capsys, tmp_path, monkeypatch):
    bundle = tmp_path / "peru.bundle"
    assert run(capsys, "export", str(bundle), "--with-files")[0] == 0
    bad = tmp_path / "bad.bundle"
    # Same size, one byte changed in the last file: only its sha256 tells.
    last = sorted(n for n in zipfile.ZipFile(bundle).namelist() if n.startswith("files/"))[-1]
    _tamper(bundle, bad, last, lambda b: b[:-2] + bytes([b[-2] ^ 1]) + b[-1:])
    home = _other_home(tmp_path, monkeypatch, "laptop")
    run(capsys, "members")  # a cache with the embedded sample
    cache_before = (home / "cache.db").read_bytes()
    rc, out, err = run(capsys, "import", str(bad))
    assert rc == 2 and out == "" and len(err.splitlines()) == 1
    assert "does not match its checksum" in err and last.removeprefix("files/") in err
    assert (home / "cache.db").read_bytes() == cache_before
    assert not (home / "files").exists() or not any((home / "files").rglob("*.pdf"))
    # A manifest entry whose name is not its content's address is refused too.
    odd = tmp_path / "odd.bundle"

    def rename(data: bytes) -> bytes:
        m = json.loads(data)
        m["files"][0]["path"] = "../../evil.pdf"
        return json.dumps(m).encode()

    _tamper(bundle, odd, "manifest.json", rename)
    rc, _, err = run(capsys, "import", str(odd))
    assert rc == 2 and "lists a file it cannot hold" in err
    assert (home / "cache.db").read_bytes() == cache_before


def test_export_of_one_member_carries_only_its_documents(fake_site, capsys, tmp_path, monkeypatch):
    assert main(["sync", "peru", "norland", "--source", fake_site.url, "--quiet", "--delay", "0"]) == 0
    bundle = tmp_path / "norland.bundle"
    rc, out, _ = run(capsys, "export", str(bundle), "--member", "norland", "--with-files")
    assert "2 documents with 2 files" in out
    _other_home(tmp_path, monkeypatch, "laptop")
    assert run(capsys, "import", str(bundle))[0] == 0
    rc, out, _ = run(capsys, "storage", "--json")
    d = json.loads(out)
    assert d["total"]["documents"] == 2 and d["total"]["files"] == 2
