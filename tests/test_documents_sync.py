"""Sync of documents and their files against the fake site (issue 13.2): every document readable offline,
no-change re-syncs of pages and files all 304 with 0 rows written, a changed document rewrites only itself
and shows in `changes`, which members get documents, a bad file never stops the sync or escapes the files
folder, the files budget, moved and mislabelled pages."""

from __future__ import annotations

import asyncio
import copy
import hashlib
import os
from pathlib import Path

import pytest

from bench import extract_bench as build
from ogptui import config
from ogptui.model import DocumentAttachment, Resource
from ogptui.search import search
from ogptui.seed import open_store
from ogptui.sync import run_sync
from tests.fakesite.documents import file_path, pdf_word

FAST = {"delay": 0, "backoff_initial": 0.001, "backoff_max": 0.005, "backoff_jitter": 0, "offline_after": 2}
DOC_TABLES = ("documents", "document_sections", "document_attachments", "attachments", "attachment_pages")
PERU_DOCS = 12


def sync(store, site, slugs=None, **kw):
    options = {**FAST, **kw.pop("source_options", {})}
    return asyncio.run(run_sync(store, slugs=slugs, source=site.url, source_options=options, **kw))


def doc_rows(store) -> dict[str, list]:
    return {t: store.cache.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in DOC_TABLES}


def all_files(home: Path) -> set[str]:
    return {str(p.relative_to(home)) for p in home.rglob("*") if p.is_file()}


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def store():
    s = open_store(seed=False)
    yield s
    s.close()


def settings(**kw) -> config.Settings:
    s = config.Settings()
    for k, v in kw.items():
        setattr(s, k, v)
    return s


def test_full_sync_makes_every_document_readable_offline(store, fake_site):
    summary = sync(store, fake_site, ["peru", "valdoria"])
    assert summary.outcome == "ok" and summary.documents_failed == 0 and summary.files_failed == 0
    slugs = [
        s
        for s in fake_site.document_slugs()
        if s.startswith(("peru", "trujillo", "valdoria", "port-esmer-let"))
    ]
    assert len(slugs) == PERU_DOCS + 5
    assert summary.documents_updated == len(slugs)
    fake_site.stop()  # offline from here on
    markups = set()
    for slug in slugs:
        want = fake_site.document(slug)
        d = store.get_document(slug)
        assert d is not None, slug
        got = d.page
        assert (got.title, got.summary, got.at_a_glance) == (want.title, want.summary, want.at_a_glance), slug
        assert [(s.heading, s.text) for s in got.sections] == [(s.heading, s.text) for s in want.sections], (
            slug
        )
        assert len(d.attachments) == len(want.attachments)
        for a in d.attachments:
            assert a.path is not None and a.text_status == "ok" and a.page_count == 3, (slug, a)
            data = Path(a.path).read_bytes()
            assert data.startswith(b"%PDF-") and sha(data) == a.sha256 and a.size == len(data)
            assert Path(a.path).is_relative_to(store.paths.files)
            assert Path(a.path).name == f"{a.sha256}.pdf"
            words = [" ".join(t.split()) for t in store.attachment_pages(a.sha256)]
            assert words == [t.replace("–", "-") for t in fake_site.pdf_text(slug)]
        markups.add(fake_site._documents[slug][1])
    assert markups == {"wordpress", "semantic"}  # both markups were read
    member = store.get_member("peru")
    assert all(r.document for r in member.resources)
    assert store.documents_cached(r.document for r in member.resources) == {
        r.document for r in member.resources
    }


def test_no_change_resync_of_documents_and_files_is_all_304_with_zero_rows(store, fake_site):
    sync(store, fake_site, ["peru"])
    before = doc_rows(store)
    fake_site.reset_counters()
    again = sync(store, fake_site, ["peru"], full=True)  # --full: every page and file checked
    assert again.outcome == "ok"
    assert (again.documents_updated, again.files_updated, again.written) == (0, 0, 0)
    c = fake_site.counters
    assert c.requests == c.conditional == c.not_modified == again.not_modified
    assert c.requests == 1 + 6 + PERU_DOCS + 7  # member, commitment pages, document pages, files
    assert doc_rows(store) == before
    assert again.run_id not in {ch.run_id for ch in store.recent_changes()}


def test_changed_document_rewrites_only_it_and_appears_in_changes(store, fake_site, capsys):
    sync(store, fake_site, ["peru"])
    before = doc_rows(store)
    page = copy.deepcopy(fake_site.document("peru-design-report-2019-2021"))
    page.summary = "A new summary: the forum now meets monthly."
    fake_site.set_document(page)
    summary = sync(store, fake_site, ["peru"], full=True)  # the member page did not change: --full checks it
    assert summary.documents_updated == 1 and summary.files_updated == 0
    after = doc_rows(store)
    changed = {r[0] for r in after["documents"]} - {r[0] for r in before["documents"]}
    assert not changed
    diff = [a for a, b in zip(after["documents"], before["documents"], strict=True) if a != b]
    assert [r[0] for r in diff] == ["peru-design-report-2019-2021"]
    for t in DOC_TABLES[1:]:
        assert after[t] == before[t], t
    assert summary.changes == ["Peru: document Peru Design Report 2019-2021 updated"]
    from ogptui.cli import main

    assert main(["changes", "--run", str(summary.run_id)]) == 0
    assert "document Peru Design Report 2019-2021 updated" in capsys.readouterr().out
    assert store.get_document("peru-design-report-2019-2021").page.summary == page.summary


def test_changed_file_is_downloaded_again_and_its_text_replaced(store, fake_site):
    sync(store, fake_site, ["peru"])
    slug = "peru-action-plan-2023-2025"
    path = file_path(slug, 2023)
    fake_site.set_file(path, build.simple_pdf(["A new version", "with the word kinkajou"]))
    summary = sync(store, fake_site, ["peru"], full=True)  # the member page did not change: --full checks it
    assert summary.files_updated == 1 and summary.documents_updated == 0
    assert summary.changes == ["Peru: document Peru Action Plan 2023-2025: file updated"]
    assert [h.ref for h in search(store, "kinkajou")] == [slug]
    assert search(store, pdf_word(slug)) == []


def test_search_finds_words_that_are_only_in_a_pdf(store, fake_site):
    sync(store, fake_site, ["peru"])
    word = pdf_word("peru-action-plan-2023-2025")
    assert word == "quipucamayoc"
    page = fake_site.document("peru-action-plan-2023-2025")
    assert word not in repr(page) and word not in repr(store.get_member("peru"))
    (hit,) = search(store, word)
    assert (hit.kind, hit.ref, hit.place) == ("document", "peru-action-plan-2023-2025", "PDF page 3")
    assert f"«{word}»" in hit.snippet


# ---- which members get documents ------------------------------------------------------------------------
def test_named_members_get_pages_and_files_and_all_gets_them_only_for_watched(store, fake_site):
    store.watch("valdoria")
    summary = sync(store, fake_site, all_members=True)
    assert summary.outcome == "ok"
    owners = {m for d in store.document_slugs() for m in store.document_members(d)}
    assert owners == {"valdoria"}
    assert summary.files_updated == 3  # valdoria's action plan, letter and inception report
    # --documents all on --all: every member
    summary = sync(store, fake_site, all_members=True, documents="all")
    owners = {m for d in store.document_slugs() for m in store.document_members(d)}
    assert owners == {"peru", "valdoria", "port-esmer-valdoria", "norland"}


def test_pages_only_fetches_no_file_and_none_fetches_nothing(store, fake_site):
    sync(store, fake_site, ["peru"], documents="none")
    assert store.document_slugs() == [] and not any(
        k.startswith("/documents") for k in fake_site.counters.by_path
    )
    sync(store, fake_site, ["peru"], settings=settings(documents="pages"))
    assert len(store.document_slugs()) == PERU_DOCS
    assert store.files_total() == 0 and not any(
        k.startswith("/wp-content") for k in fake_site.counters.by_path
    )
    d = store.get_document("peru-action-plan-2023-2025")
    assert d.attachments[0].text_status is None and d.attachments[0].path is None  # listed, not downloaded


def test_bare_sync_without_watchlist_gets_no_documents(store, fake_site):
    sync(store, fake_site, ["peru"], documents="none")
    sync(store, fake_site)  # every cached member, none named or watched
    assert store.document_slugs() == []


def test_a_document_listed_by_two_members_is_fetched_and_stored_once(store, fake_site):
    norland = copy.deepcopy(fake_site.member("norland"))
    shared = fake_site.member("peru").resources[4]  # Peru – Contrary to Process Letter
    norland.resources.append(Resource(shared.title, shared.year, shared.type, shared.format, shared.url))
    fake_site.set_member(norland)
    sync(store, fake_site, ["peru", "norland"])
    assert fake_site.hits("/documents/peru-contrary-to-process-letter-march-2023/") == 1
    assert store.document_members("peru-contrary-to-process-letter-march-2023") == ["norland", "peru"]
    assert store.cache.execute("SELECT count(*) FROM documents").fetchone()[0] == PERU_DOCS + 2


# ---- bad files: the sync goes on, nothing escapes the files folder -------------------------------------
def _attach(site, slug: str, *extra: tuple[str, str]) -> None:
    page = copy.deepcopy(site.document(slug))
    page.attachments += [DocumentAttachment(url=href, name=name) for name, href in extra]
    site.set_document(page)


def test_bad_files_never_stop_the_sync_and_never_escape_the_files_folder(store, fake_site, ogptui_home):
    slug = "peru-mid-term-self-assessment-2020-2022"
    good = build.simple_pdf(["A fine annex", "with the word ocelot"])
    _attach(
        fake_site,
        slug,
        ("Truncated", "/wp-content/uploads/bad/truncated.pdf"),
        ("HTML as PDF", "/wp-content/uploads/bad/login.pdf"),
        ("PDF as HTML", "/wp-content/uploads/bad/as-html.pdf"),
        ("Broken PDF", "/wp-content/uploads/bad/broken.pdf"),
        ("Too big", "/wp-content/uploads/bad/big.pdf"),
        ("Gone", "/wp-content/uploads/bad/gone.pdf"),
        ("Cut short", "/wp-content/uploads/bad/cut.pdf"),
        ("Traversal", "/wp-content/uploads/..%2F..%2F..%2Fevil.pdf"),
        ("Good annex", "/wp-content/uploads/bad/good.pdf"),
    )
    whole = build.simple_pdf(["Page one of a long report"] * 3)
    fake_site.set_file("/wp-content/uploads/bad/truncated.pdf", whole[: len(whole) // 2])
    fake_site.set_file(
        "/wp-content/uploads/bad/login.pdf", b"<!DOCTYPE html><html><title>Log in</title></html>"
    )
    fake_site.set_file("/wp-content/uploads/bad/as-html.pdf", whole, content_type="text/html; charset=UTF-8")
    fake_site.set_file("/wp-content/uploads/bad/broken.pdf", b"%PDF-1.7\n" + os.urandom(3000))
    fake_site.set_file("/wp-content/uploads/bad/big.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10))
    fake_site.set_file("/wp-content/uploads/bad/cut.pdf", good)
    fake_site.fault("/wp-content/uploads/bad/cut.pdf", "truncated")  # Content-Length of all, half sent
    fake_site.set_file("/wp-content/uploads/..%2F..%2F..%2Fevil.pdf", good)
    fake_site.set_file("/wp-content/uploads/bad/good.pdf", good)
    home_before = {p for p in all_files(ogptui_home.parent) if not p.startswith("home/")}
    summary = sync(store, fake_site, ["peru"], settings=settings(max_file_mb=1))
    assert summary.outcome == "ok" and not summary.failed
    assert summary.documents_updated == PERU_DOCS  # every page stored
    d = store.get_document(slug)
    by_name = {a.name: a for a in d.attachments}
    assert (
        by_name["Truncated"].path and by_name["Truncated"].text_status == "failed"
    )  # kept, text not available
    assert by_name["Broken PDF"].path and by_name["Broken PDF"].text_status == "failed"
    assert (
        "web page instead of the file" in by_name["HTML as PDF"].error and by_name["HTML as PDF"].path is None
    )
    assert "expected a file but got a web page" in by_name["PDF as HTML"].error
    assert by_name["Too big"].error == "not downloaded: larger than 1 MB (setting max_file_mb)"
    assert by_name["Too big"].path is None
    assert by_name["Gone"].error and by_name["Gone"].path is None
    assert by_name["Cut short"].path is None and by_name["Cut short"].error
    for name in ("Traversal", "Good annex"):
        a = by_name[name]
        assert a.text_status == "ok" and Path(a.path).parent.parent == store.paths.files, a
    assert by_name["Traversal"].sha256 == by_name["Good annex"].sha256 == sha(good)  # one file, kept once
    assert summary.files_failed == 5
    # Nothing was written outside the data folder, and inside it only the databases and content addresses.
    assert {p for p in all_files(ogptui_home.parent) if not p.startswith("home/")} == home_before
    for rel in all_files(store.paths.files):
        parts = Path(rel).parts
        assert len(parts) == 2 and parts[1].startswith(parts[0]) and len(parts[1].split(".")[0]) == 64, rel
    assert [h.ref for h in search(store, "ocelot")] == [slug]
    # The next sync does not trust a refused file's validators: it asks again (and is refused again).
    again = sync(store, fake_site, ["peru"], settings=settings(max_file_mb=1))
    assert again.files_failed == 5 and again.outcome == "ok"


def test_a_trickling_file_times_out_and_the_sync_goes_on(store, fake_site):
    path = file_path("peru-action-plan-2019-2021", 2020)
    fake_site.fault(path, "trickle_body", interval=0.5)
    summary = sync(
        store, fake_site, ["peru"], source_options={"min_rate": 2000, "rate_window": 0.5, "attempts": 1}
    )
    assert summary.outcome == "ok" and summary.files_failed == 1 and summary.files_updated == 6
    a = store.get_document("peru-action-plan-2019-2021").attachments[0]
    assert a.path is None and "less than" in a.error
    assert not list(store.paths.files.glob(".download.*"))


def test_files_budget_gives_up_the_oldest_unwatched_files_first(store, fake_site):
    fake_site.set_file(file_path("valdoria-action-plan-2022-2024", 2022), b"%PDF-1.4\n" + b"1" * 700_000)
    fake_site.set_file(file_path("peru-action-plan-2023-2025", 2023), b"%PDF-1.4\n" + b"2" * 700_000)
    tight = settings(files_budget_mb=1)
    store.watch("peru")
    sync(store, fake_site, ["valdoria"], settings=tight)  # valdoria: unwatched
    valdoria = store.get_document("valdoria-action-plan-2022-2024").attachments[0]
    assert valdoria.path is not None
    summary = sync(store, fake_site, ["peru"], settings=tight)  # peru's big file needs valdoria's room
    assert summary.files_pruned >= 1
    peru = store.get_document("peru-action-plan-2023-2025").attachments[0]
    assert peru.path is not None and Path(peru.path).stat().st_size == 700_009
    assert store.get_document("valdoria-action-plan-2022-2024").attachments[0].path is None
    assert store.files_total() <= 1024 * 1024
    # A watched member's files are never given up: another unwatched big file does not fit, and says so.
    fake_site.set_file(file_path("valdoria-action-plan-2022-2024", 2022), b"%PDF-1.4\n" + b"3" * 700_000)
    again = sync(store, fake_site, ["valdoria"], settings=tight, full=True)
    assert again.files_failed == 1
    assert "files budget of 1 MB" in store.get_document("valdoria-action-plan-2022-2024").attachments[0].error
    assert store.get_document("peru-action-plan-2023-2025").attachments[0].path is not None


# ---- identity: moved and mislabelled pages ---------------------------------------------------------------
def test_a_moved_document_is_recorded_and_never_stored_under_the_wrong_key(store, fake_site):
    fake_site.fault(
        "/documents/peru-action-plan-2012/", "redirect", location="/documents/peru-action-plan-2019-2021/"
    )
    fake_site.fault(
        "/documents/peru-open-contracting-case-study/",
        "serve_other",
        location="/documents/peru-action-plan-2023-2025/",
    )
    summary = sync(store, fake_site, ["peru"])
    assert ("document peru-action-plan-2012", "peru-action-plan-2019-2021") in summary.moved
    assert store.get_document("peru-action-plan-2012") is None
    assert store.get_document("peru-open-contracting-case-study") is None
    state = store.http_state(f"{fake_site.url}/documents/peru-open-contracting-case-study/")
    assert "canonical link" in state["last_error"]
    assert store.get_document("peru-action-plan-2019-2021").page.title == "Peru Action Plan 2019-2021"
    assert summary.documents_failed == 1 and summary.outcome == "ok"


def test_leftover_temp_files_of_killed_downloads_are_removed_by_the_next_sync(store, fake_site):
    folder = store.paths.files
    folder.mkdir(parents=True)
    orphan = folder / ".download.abcd1234.tmp"
    orphan.write_bytes(b"%PDF-1.4 half a file")
    mine = folder / "notes.txt"  # not ours: left alone
    mine.write_text("keep me")
    sync(store, fake_site, ["norland"])
    assert not orphan.exists() and mine.exists()


def test_one_document_can_be_fetched_on_its_own(store, fake_site, ogptui_home):
    from ogptui.sync import sync_document_blocking

    sync(store, fake_site, ["peru"], documents="none")
    fake_site.reset_counters()
    summary = sync_document_blocking(
        "peru-action-plan-2023-2025", source=fake_site.url, source_options=dict(FAST)
    )
    assert summary.outcome == "ok" and summary.documents_updated == 1 and summary.files_updated == 1
    assert sorted(fake_site.counters.by_path) == [
        "/documents/peru-action-plan-2023-2025",
        "/wp-content/uploads/2023/peru-action-plan-2023-2025.pdf",
    ]
    d = store.get_document("peru-action-plan-2023-2025")
    assert d.members == ["peru"] and d.attachments[0].path is not None
