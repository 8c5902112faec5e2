"""Documents in the store (issue 13.4, 13.5): one transaction per document, changes recorded, files kept once,
search over titles, summaries, sections and attachment text saying where a hit is."""

from __future__ import annotations

import copy
import sqlite3

import pytest

from ogptui.model import (
    AttachmentFile,
    DocumentAttachment,
    DocumentPage,
    DocumentSection,
    Member,
    Resource,
)
from ogptui.search import search
from ogptui.seed import open_store
from ogptui.store import db as dbmod
from ogptui.store.schema import CACHE_MIGRATIONS

SITE = "https://www.opengovpartnership.org"
SHA_A = "a" * 64
SHA_B = "b" * 64


def member(slug: str, *docs: str) -> Member:
    return Member(
        slug=slug,
        name=slug.title(),
        resources=[
            Resource(f"{d} title", 2021, "IRM Report", "Web page", f"{SITE}/documents/{d}/", document=d)
            for d in docs
        ],
        source_url=f"{SITE}/members/{slug}/",
    )


def page(slug: str = "ruritania-design-report", **kw) -> DocumentPage:
    base = dict(
        title="Ruritania Design Report 2021-2023",
        summary="The plan is broad but its commitments are modest.",
        at_a_glance={"Member since": "2014", "Number of commitments": "8"},
        sections=[
            DocumentSection(
                "Section I: Overview", "The forum met four times.\n\nTwo commitments carry over."
            ),
            DocumentSection("Section II: Promising commitments", "The lobbying register is promising."),
        ],
        attachments=[DocumentAttachment(f"{SITE}/wp-content/uploads/2023/{slug}.pdf", "Full report (PDF)")],
        url=f"{SITE}/documents/{slug}/",
        slug=slug,
        language="en",
        fetched_at="2026-01-02T00:00:00Z",
    )
    base.update(kw)
    return DocumentPage(**base)


def pdf(url: str, sha: str = SHA_A, **kw) -> AttachmentFile:
    base = dict(
        url=url,
        sha256=sha,
        size=1234,
        content_type="application/pdf",
        path=f"{sha[:2]}/{sha}.pdf",
        text_status="ok",
        page_count=2,
        fetched_at="2026-01-02T00:00:00Z",
    )
    base.update(kw)
    return AttachmentFile(**base)


@pytest.fixture
def store():
    s = open_store(seed=False)
    s.write_member(member("ruritania", "ruritania-design-report", "shared-letter"))
    s.write_member(member("borduria", "shared-letter"))
    yield s
    s.close()


def doc_rows(store) -> dict[str, list]:
    return {
        t: store.cache.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
        for t in ("documents", "document_sections", "document_attachments", "attachments", "attachment_pages")
    }


def test_a_document_round_trips_with_its_members_and_files(store):
    p = page()
    r = store.write_document(copy.deepcopy(p), source_url=p.url, http={"url": p.url, "etag": '"e1"'})
    assert r.written and r.rows == 1 + 2 + 1
    store.write_attachment(pdf(p.attachments[0].url), ["first page words", "second page zanzibar"])
    d = store.get_document("ruritania-design-report")
    assert d is not None and d.page == p
    assert d.members == ["ruritania"] and d.source_url == p.url and d.checked_at
    (a,) = d.attachments
    assert (a.url, a.name, a.sha256, a.size, a.text_status) == (
        p.attachments[0].url,
        "Full report (PDF)",
        SHA_A,
        1234,
        "ok",
    )
    assert a.path is None  # the row names a file, but it is not on this device
    assert store.get_document(f"{SITE}/documents/ruritania-design-report/").page == p  # DOC as a URL
    assert store.get_document("RURITANIA-design-report ").page == p
    assert store.attachment_pages(SHA_A) == ["first page words", "second page zanzibar"]
    assert store.get_document("no-such-document") is None


def test_the_json_contract_has_exactly_the_issue_keys(store):
    store.write_document(page(), source_url="x")
    d = store.get_document("ruritania-design-report").to_dict()
    assert list(d) == [
        "kind", "slug", "url", "title", "summary", "at_a_glance", "sections", "attachments", "members",
        "fetched_at", "source_url", "warnings",
    ]  # fmt: skip
    assert list(d["attachments"][0]) == [
        "url",
        "name",
        "size",
        "sha256",
        "path",
        "content_type",
        "text_status",
    ]
    assert d["kind"] == "document" and d["members"] == ["ruritania"]


def test_unchanged_document_writes_no_row_and_a_change_rewrites_only_it(store):
    store.write_document(page())
    store.write_document(page("shared-letter", title="Shared letter", attachments=[]))
    before = doc_rows(store)
    changes_before = len(store.recent_changes())
    assert store.write_document(page()).written is False
    assert doc_rows(store) == before and len(store.recent_changes()) == changes_before
    changed = page(summary="A new summary.")
    r = store.write_document(changed, run_id=None)
    assert r.written and [c.kind for c in r.changes] == ["document"]
    after = doc_rows(store)
    letter = [row for row in after["documents"] if row[0] == "shared-letter"]
    assert letter == [row for row in before["documents"] if row[0] == "shared-letter"]
    (ch,) = [c for c in store.recent_changes() if c.kind == "document"]
    assert ch.member_slug == "ruritania" and "Ruritania Design Report 2021-2023 updated" in ch.summary


def test_a_failure_mid_transaction_leaves_the_document_as_it_was(store, monkeypatch):
    store.write_document(page())
    before = doc_rows(store)
    search_before = store.cache.execute("SELECT * FROM search_docs ORDER BY id").fetchall()
    real_insert = dbmod.Database.insert

    def failing_insert(self, table, rows):
        if table == "document_attachments":  # after the page row and its sections were written
            raise sqlite3.OperationalError("database or disk is full")
        return real_insert(self, table, rows)

    monkeypatch.setattr(dbmod.Database, "insert", failing_insert)
    with pytest.raises(sqlite3.OperationalError):
        store.write_document(
            page(summary="Changed", sections=[DocumentSection("Only", "one")]), http={"url": "u"}
        )
    assert doc_rows(store) == before
    assert store.cache.execute("SELECT * FROM search_docs ORDER BY id").fetchall() == search_before
    assert store.http_state("u") is None


def test_a_file_shared_by_two_documents_and_two_urls_is_kept_once(store):
    store.write_document(page())
    other = page(
        "shared-letter", title="Shared letter", attachments=[DocumentAttachment(f"{SITE}/copy.pdf", "Copy")]
    )
    store.write_document(other)
    store.write_attachment(pdf(page().attachments[0].url), ["one", "two"])
    store.write_attachment(pdf(f"{SITE}/copy.pdf"), None)  # the same bytes under another URL
    assert store.cache.execute("SELECT count(*) FROM attachment_pages").fetchone()[0] == 2
    assert store.text_of(SHA_A) is not None
    assert len(store.stored_files()) == 1 and store.files_total() == 1234
    # Both documents find the text, each once.
    assert sorted(h.ref for h in search(store, "two")) == ["ruritania-design-report", "shared-letter"]


def test_a_changed_file_replaces_its_text_and_is_a_change(store):
    p = page()
    store.write_document(p)
    url = p.attachments[0].url
    store.write_attachment(pdf(url), ["old words quokka"])
    r = store.write_attachment(pdf(url, SHA_B), ["new words wombat"])
    assert r.written and [c.summary for c in r.changes] == [
        "Ruritania: document Ruritania Design Report 2021-2023: file updated"
    ]
    assert store.attachment_pages(SHA_A) == []  # no row refers to the old content any more
    assert [h.ref for h in search(store, "wombat")] == ["ruritania-design-report"]
    assert search(store, "quokka") == []
    same = store.write_attachment(pdf(url, SHA_B), ["new words wombat"])
    assert not same.written and same.rows == 0


def test_search_hits_say_where_and_come_once_per_document(store):
    p = page()
    store.write_document(p)
    store.write_attachment(pdf(p.attachments[0].url), ["alpha", "beta", "gamma zanzibar"])
    (h,) = search(store, "zanzibar")
    assert (h.kind, h.ref, h.id, h.title, h.place) == (
        "document", "ruritania-design-report", "ruritania-design-report", "Ruritania Design Report 2021-2023", "PDF page 3"
    )  # fmt: skip
    assert h.snippet == "gamma «zanzibar»" and h.url == p.attachments[0].url
    assert h.member_slug == "ruritania" and h.year == 2021 and h.type == "IRM Report"
    (h,) = search(store, "lobbying register")
    assert h.place == "Section II: Promising commitments" and "«lobbying» «register»" in h.snippet
    hits = search(store, "ruritania design report")  # the title: the document once, not once per section
    (h,) = [x for x in hits if x.kind == "document"]
    assert h.place is None and {x.kind for x in hits} == {"document", "resource"}
    assert [x.kind for x in search(store, "modest")] == ["document"]  # the summary
    assert search(store, "zanzibar", kind="document", member="borduria") == []
    assert [x.ref for x in search(store, "zanzibar", kind="document", member="ruritania")] == [p.slug]
    assert search(store, "zanzibar", kind="commitment") == []
    assert h.to_dict()["place"] is None and "place" in h.to_dict()


def test_title_outranks_summary_outranks_body(store):
    store.write_member(member("cobalt", "a-doc", "b-doc", "c-doc"))
    store.write_document(page("a-doc", title="Kestrel report", summary="x", sections=[], attachments=[]))
    store.write_document(
        page("b-doc", title="Other", summary="About the kestrel", sections=[], attachments=[])
    )
    store.write_document(
        page(
            "c-doc", title="Third", summary="y", sections=[DocumentSection("S", "a kestrel")], attachments=[]
        )
    )
    assert [h.ref for h in search(store, "kestrel")] == ["a-doc", "b-doc", "c-doc"]


def test_member_rewrite_keeps_its_documents_search_rows(store):
    store.write_document(page())
    n = store.cache.execute("SELECT count(*) FROM search_docs WHERE kind = 'document'").fetchone()[0]
    m = member("ruritania", "ruritania-design-report", "shared-letter")
    m.name = "Ruritania Renamed"
    assert store.write_member(m).written
    assert store.cache.execute("SELECT count(*) FROM search_docs WHERE kind = 'document'").fetchone()[0] == n


def test_storage_per_member_and_prune_candidates(store):
    store.write_document(page())
    store.write_document(
        page("shared-letter", title="Letter", attachments=[DocumentAttachment(f"{SITE}/l.pdf", "L")])
    )
    store.write_attachment(
        pdf(page().attachments[0].url, SHA_A, size=100, fetched_at="2026-01-01T00:00:00Z"), ["a"]
    )
    store.write_attachment(pdf(f"{SITE}/l.pdf", SHA_B, size=50, fetched_at="2026-01-03T00:00:00Z"), ["b"])
    by = {r.slug: r for r in store.storage_by_member()}
    assert (by["ruritania"].documents, by["ruritania"].files, by["ruritania"].nbytes) == (2, 2, 150)
    assert (by["borduria"].documents, by["borduria"].files, by["borduria"].nbytes) == (1, 1, 50)
    assert store.files_total() == 150
    # Oldest first; a file of a watched member is never a candidate.
    assert [f.size for f in store.prune_candidates(set())] == [100, 50]
    assert [f.size for f in store.prune_candidates({"borduria"})] == [100]
    assert store.prune_candidates({"ruritania"}) == []
    assert store.forget_files([f"{SHA_A[:2]}/{SHA_A}.pdf"]) == 1
    assert store.files_total() == 50
    assert store.attachment_pages(SHA_A) == ["a"]  # its text stays searchable


def test_migration_links_existing_resources_to_their_documents(tmp_path):
    db = dbmod.connect(tmp_path / "old.db")
    dbmod.migrate(db, CACHE_MIGRATIONS[:3], dbmod.CACHE_APP_ID)
    db.execute(
        "INSERT INTO members (slug, name, source_url) VALUES ('peru', 'Peru', ?)", [f"{SITE}/members/peru/"]
    )
    rows = [
        (0, f"{SITE}/documents/peru-design-report-2019-2021/"),
        (1, f"{SITE}/es/documents/Per%C3%BA-informe/"),
        (2, "https://elsewhere.example/documents/not-ours/"),
        (3, f"{SITE}/members/peru/"),
        (4, None),
    ]
    for pos, url in rows:
        db.execute(
            "INSERT INTO resources (member_slug, position, title, url) VALUES ('peru', ?, 't', ?)", [pos, url]
        )
    assert dbmod.migrate(db, CACHE_MIGRATIONS, dbmod.CACHE_APP_ID) == len(CACHE_MIGRATIONS) - 3
    got = [r[0] for r in db.execute("SELECT document FROM resources ORDER BY position")]
    assert got == ["peru-design-report-2019-2021", "peru-informe", None, None, None]
    db.close()


def test_text_of_a_failed_file_is_known_without_pages(store):
    p = page()
    store.write_document(p)
    store.write_attachment(
        pdf(p.attachments[0].url, text_status="failed", text_error="Broken.", page_count=None), []
    )
    got = store.text_of(SHA_A)
    assert got is not None and got.text_status == "failed"
    d = store.get_document(p.slug)
    assert d.attachments[0].text_status == "failed" and d.attachments[0].text_error == "Broken."


def test_page_text_is_capped_below_a_bundles_value_limit(store):
    from ogptui.store.documents import PAGE_TEXT_CAP

    p = page()
    store.write_document(p)
    store.write_attachment(pdf(p.attachments[0].url), ["a" * PAGE_TEXT_CAP, "b" * (PAGE_TEXT_CAP + 1)])
    first, second = store.attachment_pages(SHA_A)
    assert len(first) == PAGE_TEXT_CAP and len(second) == PAGE_TEXT_CAP
    assert len(("é" * PAGE_TEXT_CAP).encode()) < 1_000_000  # bundle.MAX_VALUE_BYTES
