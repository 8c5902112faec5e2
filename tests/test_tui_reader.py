"""The document reader (issue 13.7) through Pilot: opened from the Resources tab and from search, find with
n/N, o/y with injected opener and clipboard, s with an injected one-document sync, esc; hostile text shown
literally; the offline marks on the Resources tab; snapshots at 120x36 and 80x24. Unit tests of the wrapping
and finding underneath (`ogptui.tui.doctext`) are at the end."""

from __future__ import annotations

import hashlib
import html
import re
import threading
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Static, TabbedContent

from ogptui import config
from ogptui.model import AttachmentFile, DocumentAttachment, DocumentPage, DocumentSection, Resource
from ogptui.parse import parse_page
from ogptui.seed import open_store
from ogptui.tui import doctext
from ogptui.tui.commands import COMMANDS, key_display
from ogptui.tui.screens.help import HelpScreen
from ogptui.tui.screens.member import MemberScreen
from ogptui.tui.screens.reader import ReaderScreen
from ogptui.tui.screens.resource import ResourceScreen
from ogptui.tui.screens.search import SearchScreen
from ogptui.tui.services import Services
from ogptui.tui.widgets.docview import DocView
from tests.fakesite.data import MARKUP_TITLE, sample_member
from tests.tuikit import fill_store, make_app

SIZE = (120, 36)
PAGES = Path(__file__).parent / "fixtures" / "pages"
SITE = "https://www.opengovpartnership.org"
PERU_DESIGN = "peru-design-report-2019-2021"
TL_PLAN = "testland-action-plan-2023-2025"
TL_DESIGN = "testland-design-report-2019-2021"
PDF_URL = f"{SITE}/wp-content/uploads/2023/05/Testland_Action-Plan_2023-2025.pdf"
XLSX_URL = f"{SITE}/wp-content/uploads/2023/05/Testland_annex.xlsx"
PDF_BYTES = b"%PDF-1.4 test file for the reader\n"
SHA = hashlib.sha256(PDF_BYTES).hexdigest()


# ---- data ---------------------------------------------------------------------------------------------
def peru_design_report() -> DocumentPage:
    """The shape of the real page (`captures/document-peru-design-report-2019-2021.txt`), shortened."""
    return DocumentPage(
        title="Peru Design Report 2019-2021",
        summary="The majority of commitments included in Peru’s fourth action plan are relevant to OGP "
        "values, but their potential impact is low.",
        at_a_glance={
            "Member since": "2011",
            "Action plan under review": "4",
            "Type of report": "Design",
            "Number of commitments": "21",
            "Is there a multi-stakeholder forum?": "No",
            "Level of public influence": "Involve",
            "Relevant to OGP values": "17 (81%)",
            "Potentially starred": "1 (5%)",
        },
        sections=[
            DocumentSection(None, "The Open Government Partnership (OGP) is a global partnership. Peru joined "
                            "OGP in 2011."),
            DocumentSection("General overview of action plan", "Peru’s fourth action plan includes commitments "
                            "that, for the most part, represent incremental positive steps."),
        ],  # fmt: skip
        url=f"{SITE}/documents/{PERU_DESIGN}/",
        slug=PERU_DESIGN,
        fetched_at="2025-05-29T12:00:00+00:00",
    )


def plan_document() -> DocumentPage:
    """Testland's action plan: sections far apart, a word 12 times, a PDF whose page 3 alone says 'walrus'."""
    filler = "\n\n".join(f"Paragraph {n} of the plan text, about budgets and open contracting." for n in range(40))
    return DocumentPage(
        title="Testland Action Plan 2023-2025",
        summary="Testland’s fifth action plan covers water, budgets and open contracting in Perú.",
        at_a_glance={},
        sections=[
            DocumentSection(None, "Introduction text before any heading, with one WATER mention."),
            DocumentSection("Background", filler),
            DocumentSection("Commitments", "• Water data portal\n• Open water boards\n• Water quality reports"),
            DocumentSection("More background", filler),
            DocumentSection(
                "Recommendations",
                "The IRM recommends publishing water tariffs. " * 4 + "Also a zebracorn.",
            ),
        ],
        attachments=[
            DocumentAttachment(PDF_URL, "Testland Action Plan 2023-2025 (PDF)"),
            DocumentAttachment(XLSX_URL, "Annex"),
        ],
        url=f"{SITE}/documents/{TL_PLAN}/",
        slug=TL_PLAN,
        fetched_at="2025-05-29T12:00:00+00:00",
    )


PDF_PAGES = [
    "Page one of the plan: foreword.",
    "Page two: the plan's water commitments in detail.",
    "Page three mentions the walrus register once.",
]


def land_member():
    m = sample_member()
    for r in m.resources:
        if r.url and "/documents/" in r.url:
            r.document = r.url.rstrip("/").rsplit("/", 1)[-1]
    return m


def put_file(store, data: bytes = PDF_BYTES) -> str:
    """A file in the files folder, as a download would place it; its relative path."""
    sha = hashlib.sha256(data).hexdigest()
    rel = f"{sha[:2]}/{sha}.pdf"
    path = store.paths.files / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return rel


def write_plan(store, *, on_device: bool = True) -> None:
    store.write_document(plan_document())
    rel = put_file(store) if on_device else None
    store.write_attachment(
        AttachmentFile(PDF_URL, sha256=SHA, size=1_300_000, content_type="application/pdf", path=rel,
                       text_status="ok", page_count=3, fetched_at="2025-05-29T12:00:00+00:00"),
        list(PDF_PAGES),
    )  # fmt: skip
    store.record_attachment_problem(XLSX_URL, "larger than 50 MB (setting max_file_mb)")


@pytest.fixture
def store():
    """Testland (its resources linking document pages) with the action plan's document and PDF cached; the
    design report's document is not cached."""
    s = open_store()
    fill_store(s, [land_member()])
    write_plan(s)
    yield s
    s.close()


def reader_app(store, *, copied=None, opened=None, files=None, fetch=None, **kw):
    services = Services(
        open_url=(opened.append if opened is not None else lambda url: True),
        open_file=(files.append if files is not None else lambda path: True),
        **({"sync_document": fetch} if fetch is not None else {}),
    )
    app = make_app(store=store, services=services, **kw)
    if copied is not None:
        app.copy_to_clipboard = copied.append
    return app


# ---- helpers ------------------------------------------------------------------------------------------
def screen_text(app) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", app.export_screenshot())).replace("\xa0", " ")


def info(app) -> str:
    return str(app.screen.query_one("#reader-info", Static).render())


def view_of(app) -> DocView:
    return app.screen.query_one("#reader-text", DocView)


def doc_text(app) -> str:
    """The whole document as the reader holds it (every block)."""
    return "\n".join(b.text for b in view_of(app).blocks)


def visible_lines(app) -> list[str]:
    view = view_of(app)
    return [view.render_line(y).text for y in range(view.size.height)]


def notes(app) -> list[str]:
    return [n.message for n in app._notifications]


async def wait_for(pilot, predicate, tries: int = 100) -> None:
    for _ in range(tries):
        await pilot.pause()
        if predicate():
            return
        await pilot.pause(0.02)
    raise AssertionError("timed out")


async def open_resource_row(pilot, title: str) -> None:
    app = pilot.app
    await pilot.press("3")
    t = app.screen.query_one("#resources-table", DataTable)
    titles = [c.plain for c in t.get_column("title")]
    t.move_cursor(row=titles.index(title))
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen) and view_of(app).wrapped is not None)
    await pilot.pause()


async def find(pilot, text: str, submit: bool = True) -> None:
    await pilot.press("slash")
    box = pilot.app.screen.query_one("#reader-find", Input)
    assert box.has_focus
    await pilot.press(*text)
    await wait_for(pilot, lambda: not pilot.app.screen.pending)
    if submit:
        await pilot.press("enter")
    await pilot.pause()


# ---- done-when and opening ------------------------------------------------------------------------------
async def test_done_when_resources_tab_enter_shows_the_document_with_at_a_glance():
    """Issue 13's done-when in the TUI: `3`, a resource, `enter` shows the document with its At a glance."""
    s = open_store()
    html_page = (PAGES / "peru-semantic.html").read_text(encoding="utf-8")
    peru = parse_page(html_page, url=f"{SITE}/members/peru/", fetched_at="2025-05-30T12:00:00+00:00")
    design = next(r for r in peru.resources if r.title == "Peru Design Report 2019-2021")
    assert design.document == PERU_DESIGN  # the parser links the resource to its document page
    s.write_member(peru)
    s.write_document(peru_design_report())
    app = make_app(store=s, slug="peru")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        t = app.screen.query_one("#resources-table", DataTable)
        titles = [c.plain for c in t.get_column("title")]
        marks = [c.plain for c in t.get_column("offline")]
        assert marks[titles.index("Peru Design Report 2019-2021")] == "✓"
        assert marks.count("✓") == 1
        types = str(app.screen.query_one("#resources-types", Static).render())
        assert f"✓ 1 of {sum(1 for r in peru.resources if r.document)} readable offline" in types
        await open_resource_row(pilot, "Peru Design Report 2019-2021")
        shown = screen_text(app)
        assert "Peru Design Report 2019-2021" in shown
        assert "At a glance" in shown
        assert re.search(r"Number of commitments\s+21", shown)
        assert re.search(r"Relevant to OGP values\s+17 \(81%\)", shown)
        assert "synced 3 days ago" in shown  # fetched 2025-05-29, the tests' clock is 2025-06-01
        assert "IRM Report" in shown and "2021" in shown
        assert "General overview of action plan" in doc_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, MemberScreen)
        assert app.screen.query_one("#tabs", TabbedContent).active == "resources"
    s.close()


async def test_reader_shows_sections_attachments_and_pdf_pages(store):
    app = reader_app(store, slug="testland")
    async with app.run_test(size=SIZE) as pilot:
        await open_resource_row(pilot, "Testland Action Plan 2023-2025")
        text = doc_text(app)
        assert text.index("Summary") < text.index("Background") < text.index("Recommendations")
        assert "Action Plan · 2023 · synced 3 days ago" in text
        assert "Attachments (2)" in text
        assert "Testland Action Plan 2023-2025 (PDF) (PDF, 1.3 MB) — on this device · its text is below (3 pages)" in text
        assert "Annex — not downloaded: larger than 50 MB (setting max_file_mb)" in text
        for n in (1, 2, 3):
            assert f"PDF page {n}" in text
        assert "Page three mentions the walrus register once." in text
        assert "4 sections" not in info(app) and "5 sections" in info(app)
        assert "2 attachments (1 on this device)" in info(app)
        # list items keep their bullet and hang under it
        bullets = [b for b in view_of(app).blocks if b.text.startswith("• Water")]
        assert bullets and bullets[0].hang == 2


async def test_scroll_keys(store):
    app = reader_app(store, slug="testland")
    async with app.run_test(size=SIZE) as pilot:
        await open_resource_row(pilot, "Testland Action Plan 2023-2025")
        view = view_of(app)
        assert view.scroll_y == 0
        await pilot.press("j", "j", "j")
        assert view.scroll_y == 3
        await pilot.press("k")
        assert view.scroll_y == 2
        await pilot.press("space")
        assert view.scroll_y > 2 + view.size.height // 2
        page_y = view.scroll_y
        await pilot.press("b")
        assert view.scroll_y < page_y
        await pilot.press("G")
        assert view.scroll_y == view.max_scroll_y > 0
        assert any("walrus" in line for line in visible_lines(app))  # the end is the PDF's last page
        await pilot.press("g")
        assert view.scroll_y == 0


async def test_a_resize_keeps_the_reading_position(store):
    app = reader_app(store, slug="testland")
    async with app.run_test(size=SIZE) as pilot:
        await open_resource_row(pilot, "Testland Action Plan 2023-2025")
        view = view_of(app)
        view.go_to_anchor("section:3")  # "More background"
        await pilot.pause()
        assert visible_lines(app)[0].strip() == "More background"
        lines_before = len(view.wrapped.lines)
        await pilot.resize_terminal(60, 20)
        await wait_for(pilot, lambda: view.wrapped.width < 60)
        assert len(view.wrapped.lines) > lines_before  # wrapped again, to the narrower width
        assert visible_lines(app)[0].strip() == "More background"
        assert all(len(line.rstrip()) <= view.size.width for line in visible_lines(app))


async def test_resource_without_a_document_page_opens_its_card(store):
    app = reader_app(store, slug="testland")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        t = app.screen.query_one("#resources-table", DataTable)
        t.move_cursor(row=[c.plain for c in t.get_column("title")].index("Testland comments [b]x[/b]"))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ResourceScreen)


# ---- find ---------------------------------------------------------------------------------------------
async def test_find_highlights_and_n_N_move_between_matches(store):
    app = reader_app(store, slug="testland")
    async with app.run_test(size=SIZE) as pilot:
        await open_resource_row(pilot, "Testland Action Plan 2023-2025")
        view = view_of(app)
        await find(pilot, "water")
        total = len(view.matches)
        # summary 1, introduction 1, commitments 3, recommendations 4, PDF page 2: 1
        assert total == 10
        assert f"1 of {total}" in info(app)
        assert view.has_focus  # enter went back to the text
        # every match is highlighted, the current one differently
        m = view.matches[0]
        assert view.line_in_view(m.block, m.start)
        await pilot.press("n", "n", "n", "n", "n", "n", "n")
        assert f"8 of {total}" in info(app)
        m = view.matches[7]
        assert view.blocks[m.block].text[m.start : m.end].lower() == "water"
        assert view.line_in_view(m.block, m.start)
        assert view.scroll_y > 0  # the recommendations are far below the first screen
        line = _line_with_match(view, 7)
        assert "reverse" in str(_style_at(line, "water", view, 7))
        await pilot.press("N")
        assert f"7 of {total}" in info(app)
        await pilot.press("g", "n")  # n moves from the current match, wherever the view is
        assert f"8 of {total}" in info(app)
        await pilot.press("n", "n")
        assert info(app).startswith(f"Find “water”: {total} of {total}") and "wrapped" not in info(app)
        await pilot.press("n")
        assert info(app).startswith(f"Find “water”: 1 of {total}") and "wrapped to the top" in info(app)
        await pilot.press("N")
        assert info(app).startswith(f"Find “water”: {total} of {total}") and "wrapped to the end" in info(app)


def _line_with_match(view: DocView, n: int) -> int:
    m = view.matches[n]
    return view.wrapped.line_of(m.block, m.start) - int(view.scroll_y)


def _style_at(y: int, word: str, view: DocView, n: int):
    """The style of the first segment of screen line `y` that shows the match `n`."""
    strip = view.render_line(y)
    for seg in strip:
        if seg.text.lower() == word:
            return seg.style
    raise AssertionError(f"{word!r} not a segment of line {y}: {strip.text!r}")


async def test_find_ignores_case_and_accents_and_esc_clears(store):
    app = reader_app(store, slug="testland")
    async with app.run_test(size=SIZE) as pilot:
        await open_resource_row(pilot, "Testland Action Plan 2023-2025")
        view = view_of(app)
        await find(pilot, "peru")
        assert len(view.matches) == 1
        m = view.matches[0]
        assert view.blocks[m.block].text[m.start : m.end] == "Perú"
        await find(pilot, "zzzz", submit=False)
        assert "no match" in info(app)
        await pilot.press("escape")  # in the box: clears the find, back to the text
        assert view.matches == [] and view.has_focus
        assert "Find" not in info(app)
        assert not app.screen.query_one("#reader-find", Input).display
        await pilot.press("n")
        assert "press / to find a word first" in info(app)
        await pilot.press("escape")  # in the text: back
        assert isinstance(app.screen, MemberScreen)


async def test_find_in_a_document_of_200_kb(store):
    """A document of ~200 KB opens, finds a word in its last section, and draws only what is in view."""
    big = plan_document()
    big.slug, big.url = "testland-big", f"{SITE}/documents/testland-big/"
    body = "\n\n".join(f"Paragraph {n}: " + "open budgets and public procurement data " * 12 for n in range(400))
    big.sections = [DocumentSection(f"Chapter {n}", body[n * 5000 : (n + 1) * 5000]) for n in range(40)]
    big.sections.append(DocumentSection("Last chapter", "The final word is quokka."))
    store.write_document(big)
    assert sum(len(s.text) for s in big.sections) > 190_000
    app = reader_app(store, slug="testland")
    async with app.run_test(size=SIZE) as pilot:
        app.open_reader("testland-big", member_slug="testland")
        await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen) and view_of(app).wrapped is not None)
        view = view_of(app)
        assert len(view.wrapped.lines) > 2000
        await find(pilot, "quokka")
        assert "1 of 1" in info(app)
        assert any("quokka" in line for line in visible_lines(app))


# ---- from search ----------------------------------------------------------------------------------------
async def search(pilot, text: str) -> SearchScreen:
    await pilot.press("ctrl+f")
    screen = pilot.app.screen
    assert isinstance(screen, SearchScreen)
    await pilot.press(*text)
    await wait_for(pilot, lambda: not screen.pending and screen.hits)
    await pilot.pause()
    return screen


async def test_search_hit_in_a_pdf_opens_the_reader_at_its_page(store):
    app = reader_app(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await search(pilot, "walrus")
        hit = screen.hits[0]
        assert (hit.kind, hit.place, hit.url) == ("document", "PDF page 3", PDF_URL)
        results = [str(o.prompt) for o in screen.query_one("#search-results").options]
        assert results[0] == "Documents (1)"
        assert "in PDF page 3" in results[1]
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen) and view_of(app).matches)
        view = view_of(app)
        lines = visible_lines(app)
        assert "PDF page 3" in [line.strip() for line in lines]  # the page's heading in view (at the top
        assert view.scroll_y == view.max_scroll_y  # unless, as here, the page is on the last screen)
        assert any("walrus register" in line for line in lines)
        assert "Find “walrus”: 1 of 1" in info(app)
        await pilot.press("escape")  # the reader sits on the member screen, on the resource's row
        member = app.screen
        assert isinstance(member, MemberScreen) and member.slug == "testland"
        assert member.active_pane().selected().title == "Testland Action Plan 2023-2025"
        assert view.matches  # (the closed reader kept its state; nothing leaks into the member screen)


async def test_search_hit_in_a_section_opens_the_reader_at_the_section(store):
    app = reader_app(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await search(pilot, "zebracorn")
        assert screen.hits[0].place == "Recommendations"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen) and view_of(app).matches)
        assert "Recommendations" in [line.strip() for line in visible_lines(app)]
        assert any("zebracorn" in line for line in visible_lines(app))


async def test_search_resource_hit_opens_the_reader_over_its_row(store):
    app = reader_app(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await search(pilot, "testland design report")
        hit = next(h for h in screen.hits if h.kind == "resource")
        assert hit.title == "Testland Design Report 2019-2021"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen))
        await pilot.pause()
        assert "This document is not on this device yet." in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, MemberScreen)
        assert app.screen.active_pane().selected().title == "Testland Design Report 2019-2021"


# ---- o, y, s --------------------------------------------------------------------------------------------
async def test_o_opens_the_file_on_this_device_else_the_link(store):
    files: list[str] = []
    opened: list[str] = []
    app = reader_app(store, files=files, opened=opened, slug="testland")
    async with app.run_test(size=SIZE) as pilot:
        await open_resource_row(pilot, "Testland Action Plan 2023-2025")
        await pilot.press("o")
        folder = config.paths().files.resolve()
        assert len(files) == 1 and Path(files[0]).resolve().parent.parent == folder
        assert Path(files[0]).read_bytes() == PDF_BYTES
        assert opened == []
        await pilot.press("escape")
        await open_resource_row(pilot, "Testland Design Report 2019-2021")  # not cached: the link
        await pilot.press("o")
        assert opened == [f"{SITE}/documents/{TL_DESIGN}/"]
        assert len(files) == 1


async def test_o_never_opens_a_path_outside_the_files_folder(store, tmp_path):
    """A crafted attachment row pointing outside the files folder (or a symlink out of it) opens nothing;
    the reader falls back to the page's link."""
    files: list[str] = []
    opened: list[str] = []
    outside = tmp_path / "secret.pdf"
    outside.write_bytes(b"%PDF- not yours")
    rel = f"{SHA[:2]}/{SHA}.pdf"
    target = store.paths.files / rel
    target.unlink()
    target.symlink_to(outside)
    app = reader_app(store, files=files, opened=opened, slug="testland")
    async with app.run_test(size=SIZE) as pilot:
        await open_resource_row(pilot, "Testland Action Plan 2023-2025")
        assert "(PDF, 1.3 MB) — not on this device (removed to save space) · its text is kept below" in doc_text(app)
        await pilot.press("o")
        assert files == []
        assert opened == [f"{SITE}/documents/{TL_PLAN}/"]
        # and the app refuses such a path even when asked directly
        assert app.open_file(str(target), "the file") is False
        assert app.open_file(str(outside), "the file") is False
        assert app.open_file("../../etc/passwd", "the file") is False
        assert files == []
        await pilot.pause()
        assert any("is not a file on this device" in n for n in notes(app))


async def test_o_says_when_no_opener_or_browser_exists(store):
    app = make_app(store=store, slug="testland",
                   services=Services(open_file=lambda path: False, open_url=lambda url: False))  # fmt: skip
    async with app.run_test(size=SIZE) as pilot:
        await open_resource_row(pilot, "Testland Action Plan 2023-2025")
        await pilot.press("o")
        await pilot.pause()
        assert any(n.startswith("No program to open files on this machine") for n in notes(app))
        assert any(str(config.paths().files) in n for n in notes(app))  # says where the file is
        await pilot.press("escape")
        await open_resource_row(pilot, "Testland Design Report 2019-2021")
        await pilot.press("o")
        await pilot.pause()
        assert any(n.startswith("No browser found to open") for n in notes(app))


async def test_o_on_a_member_tab_says_when_no_browser_exists(store):
    """The other `o` is as honest: webbrowser.open answers False when it finds no browser (it used to be
    reported as "Opening …")."""
    app = make_app(store=store, slug="testland", open_url=lambda url: False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3", "o")
        await pilot.pause()
        assert any(n.startswith("No browser found to open") for n in notes(app))
        assert not any(n.startswith("Opening") for n in notes(app))


async def test_y_copies_the_page_link_or_the_file_link_in_view(store):
    copied: list[str] = []
    app = reader_app(store, copied=copied, slug="testland")
    async with app.run_test(size=SIZE) as pilot:
        await open_resource_row(pilot, "Testland Action Plan 2023-2025")
        await pilot.press("y")
        assert copied == [f"{SITE}/documents/{TL_PLAN}/"]
        await pilot.press("G")  # the PDF's text is at the end
        await pilot.press("y")
        assert copied[-1] == PDF_URL


async def test_s_fetches_a_document_not_cached_yet(store):
    calls: list[dict] = []
    release = threading.Event()

    def fetch(*, document, member_slug, source, on_event, cancel):
        from ogptui.sync import SyncEvent, SyncSummary

        calls.append({"document": document, "member_slug": member_slug, "source": source})
        on_event(SyncEvent("fetch", 0, 1, member_slug, document))
        release.wait(5)
        with open_store() as own:  # the worker thread's own store, as the real sync does
            own.write_document(land_design_report())
        return SyncSummary(outcome="ok", members=0, requests=1)

    app = reader_app(store, fetch=fetch, slug="testland")
    async with app.run_test(size=SIZE) as pilot:
        await open_resource_row(pilot, "Testland Design Report 2019-2021")
        assert "This document is not on this device yet." in screen_text(app)
        assert "s fetches it now" in info(app)
        await pilot.press("s")
        await wait_for(pilot, lambda: calls)
        assert calls == [{"document": TL_DESIGN, "member_slug": "testland", "source": app.source}]
        assert "Fetching this document" in info(app)
        assert app.syncing
        release.set()
        await wait_for(pilot, lambda: not app.syncing and app.screen.doc is not None)
        assert "At a glance" in doc_text(app)
        assert any("Sync done" in n.title for n in app._notifications)
        await pilot.press("escape")  # the Resources tab's mark follows
        t = app.screen.query_one("#resources-table", DataTable)
        titles = [c.plain for c in t.get_column("title")]
        assert [c.plain for c in t.get_column("offline")][titles.index("Testland Design Report 2019-2021")] == "✓"


async def test_s_that_stores_nothing_says_so(store):
    def fetch(*, document, member_slug, source, on_event, cancel):
        from ogptui.sync import SyncSummary

        return SyncSummary(outcome="offline", message="cannot reach the site: connection refused")

    app = reader_app(store, fetch=fetch, slug="testland")
    async with app.run_test(size=SIZE) as pilot:
        await open_resource_row(pilot, "Testland Design Report 2019-2021")
        await pilot.press("s")
        await wait_for(pilot, lambda: not app.syncing and "not fetched" in info(app))
        assert any("cannot reach the site" in n for n in notes(app))
        assert isinstance(app.screen, ReaderScreen)


def test_default_sync_document_service_uses_the_one_document_entry_point(monkeypatch):
    """`Services().sync_document` calls `ogptui.sync.sync_document_blocking` with what it accepts, and syncs
    the member (documents come with it) where that entry point does not exist."""
    from ogptui import sync
    from ogptui.tui.services import real_sync_document

    seen = []
    cancel = threading.Event()

    def one(slug, *, member_slug, source=None, files=True, on_event=None):
        seen.append(("one", slug, member_slug, source, files, on_event))
        return "summary"

    monkeypatch.setattr(sync, "sync_document_blocking", one, raising=False)
    out = real_sync_document(document="d", member_slug="m", source="http://x", on_event=print, cancel=cancel)
    assert out == "summary" and seen == [("one", "d", "m", "http://x", True, print)]
    monkeypatch.delattr(sync, "sync_document_blocking", raising=False)
    monkeypatch.setattr(sync, "sync_blocking", lambda **kw: seen.append(("member", kw)) or "member")
    assert real_sync_document(document="d", member_slug="m", source="http://x", on_event=print,
                              cancel=cancel) == "member"  # fmt: skip
    assert seen[-1] == ("member", {"slugs": ["m"], "source": "http://x", "on_event": print, "cancel": cancel})


# ---- safety ---------------------------------------------------------------------------------------------
async def test_hostile_document_text_renders_literally(store):
    page = plan_document()
    page.slug, page.url = TL_DESIGN, f"{SITE}/documents/{TL_DESIGN}/"
    page.title = MARKUP_TITLE
    page.summary = "[@click=app.quit]click me[/] \x1b]52;c;ZXZpbA==\x07copied? \x1b[2J cleared?"
    page.at_a_glance = {"[b]Label[/b]": "[red]value[/red]"}
    page.sections = [DocumentSection("[link=https://evil.example]heading[/link]", "\x9b31m C1 \u202e bidi")]
    page.attachments = []
    store.write_document(page)
    # and a value that got into the cache by another door than the cleaners
    with store.transaction() as db:
        db.execute("UPDATE document_sections SET text = ? WHERE document_slug = ?",
                   ["raw \x1b[31mred\x1b[0m [@click=app.quit]x[/]", TL_DESIGN])  # fmt: skip
    app = reader_app(store, slug="testland")
    async with app.run_test(size=SIZE) as pilot:
        await open_resource_row(pilot, "Testland Design Report 2019-2021")
        text = doc_text(app)
        assert "[@click=app.quit]x[/] [bold]loud[/bold]" in text
        assert "[@click=app.quit]click me[/]" in text
        assert "[b]Label[/b]" in text and "[red]value[/red]" in text
        assert "[link=https://evil.example]heading[/link]" in text
        assert "raw red [@click=app.quit]x[/]" in text
        for bad in ("\x1b", "\x9b", "\x07", "\u202e"):
            assert bad not in text
        shown = screen_text(app)
        assert "[@click=app.quit]click me[/]" in shown and "[red]value[/red]" in shown
        await pilot.click("#reader-text", offset=(4, 4))
        await pilot.click("#reader-text", offset=(12, 0))
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, ReaderScreen)


# ---- keys in one list -------------------------------------------------------------------------------------
async def test_reader_keys_in_footer_help_and_palette(store):
    app = reader_app(store, slug="testland")
    async with app.run_test(size=SIZE) as pilot:
        await open_resource_row(pilot, "Testland Action Plan 2023-2025")
        footer = [line for line in screen_text(app).splitlines() if line.strip()][-1]
        for label in ("Back", "Find", "Next", "Open", "Copy link", "Fetch"):
            assert label in footer
        reader = [c for c in COMMANDS if c.scope == "reader"]
        assert {b.id for b in ReaderScreen.BINDINGS} == {c.id for c in reader}
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        t = app.screen.query_one("#help-table", DataTable)
        rows = [(k.plain, w.plain) for k, w in zip(t.get_column("keys"), t.get_column("what"), strict=True)]
        for c in reader:
            assert (key_display(c.keys), c.description) in rows
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"find in the document")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one("#reader-find", Input).has_focus


# ---- snapshots --------------------------------------------------------------------------------------------
def land_design_report() -> DocumentPage:
    page = peru_design_report()
    page.title, page.slug, page.url = "Testland Design Report 2019-2021", TL_DESIGN, f"{SITE}/documents/{TL_DESIGN}/"
    page.summary = page.summary.replace("Peru", "Testland")
    return page


def _snap_store():
    s = open_store()
    fill_store(s, [land_member()])
    write_plan(s)
    s.write_document(land_design_report())
    return s


def test_snapshot_reader_120x36(snap_compare):
    s = _snap_store()
    try:
        # rows by year, newest first: Action Plan 2023, Results Report 2023, Design Report 2021
        assert snap_compare(make_app(store=s, slug="testland"), press=["3", "j", "j", "enter"],
                            terminal_size=SIZE)  # fmt: skip
    finally:
        s.close()


def test_snapshot_reader_find_80x24(snap_compare):
    s = _snap_store()
    try:
        assert snap_compare(make_app(store=s, slug="testland"),
                            press=["3", "enter", "slash", *"water", "enter", "n"],
                            terminal_size=(80, 24))  # fmt: skip
    finally:
        s.close()


def test_snapshot_reader_not_cached_80x24(snap_compare):
    s = open_store()
    try:
        fill_store(s, [land_member()])
        assert snap_compare(make_app(store=s, slug="testland"), press=["3", "j", "j", "enter"],
                            terminal_size=(80, 24))  # fmt: skip
    finally:
        s.close()


# ---- the text underneath (no Textual) ----------------------------------------------------------------------
@pytest.mark.parametrize("width", [9, 10, 11])
def test_wrap_at_the_edges_of_a_word(width):
    """'abcde fghij': the second word fits on the first line at width 11, not at 10 (the space) or 9."""
    lines = doctext.wrap("abcde fghij", width)
    texts = ["abcde fghij"[s:e] for s, e, _ in lines]
    assert texts == (["abcde fghij"] if width >= 11 else ["abcde", "fghij"])


def test_wrap_cuts_a_word_longer_than_the_line_and_hangs():
    text = "x" * 25 + " tail words here"
    lines = doctext.wrap(text, 10, hang=2)
    assert [text[s:e] for s, e, _ in lines][:3] == ["x" * 10, "x" * 8, "x" * 7]
    assert [m for _, _, m in lines] == [0] + [2] * (len(lines) - 1)
    assert all(len(text[s:e]) + m <= 10 for s, e, m in lines)
    assert doctext.wrap("", 10) == [(0, 0, 0)]
    assert [m for _, _, m in doctext.wrap("a b c d e f", 3, hang=2)][1:] == [0] * 2  # hang > half: none


def test_wrap_counts_cells_of_wide_characters():
    text = "東京都の公開データ 計画"  # 2 cells each
    lines = doctext.wrap(text, 8)
    for s, e, m in lines:
        assert sum(2 for _ in text[s:e]) + m <= 8
    assert "".join(text[s:e] for s, e, _ in lines).replace(" ", "") == text.replace(" ", "")


def test_find_folds_case_and_accents_and_maps_offsets_back():
    blocks = [doctext.Block("Perú y PERU; the ﬁnal Straße, straße"), doctext.Block("")]
    got = [(m.start, m.end) for m in doctext.find(blocks, "peru")]
    assert [blocks[0].text[s:e] for s, e in got] == ["Perú", "PERU"]
    assert [blocks[0].text[m.start : m.end] for m in doctext.find(blocks, "final")] == ["ﬁnal"]
    assert [blocks[0].text[m.start : m.end] for m in doctext.find(blocks, "strasse")] == ["Straße", "straße"]
    assert doctext.find(blocks, "   ") == []
    assert len(doctext.find([doctext.Block("a" * 20_000)], "a")) == doctext.MAX_MATCHES


def test_layout_line_of_an_offset():
    blocks = [doctext.Block("one two three four five six"), doctext.Block(""), doctext.Block("seven")]
    lay = doctext.layout(blocks, 10)
    words = [blocks[ln.block].text[ln.start : ln.end] for ln in lay.lines]
    assert words == ["one two", "three four", "five six", "", "seven"]
    assert lay.line_of(0, 0) == 0 and lay.line_of(0, 8) == 1 and lay.line_of(0, 26) == 2
    assert lay.line_of(2, 0) == 4


def test_place_anchors():
    from ogptui.model import Document, DocumentFile

    page = plan_document()
    files = [
        DocumentFile(PDF_URL, "plan", content_type="application/pdf", text_status="ok"),
        DocumentFile(XLSX_URL, "Annex", content_type="application/vnd.ms-excel", text_status="ok"),
    ]
    doc = Document(page=page, attachments=files)
    assert doctext.place_anchor(doc, "Recommendations") == "section:4"
    assert doctext.place_anchor(doc, "Introduction") == "section:0"
    assert doctext.place_anchor(doc, "PDF page 3", PDF_URL) == f"page:{PDF_URL}:3"
    assert doctext.place_anchor(doc, "PDF page 2") == f"page:{PDF_URL}:2"
    assert doctext.place_anchor(doc, "Annex, page 1", XLSX_URL) == f"page:{XLSX_URL}:1"
    assert doctext.place_anchor(doc, "Nowhere") is None and doctext.place_anchor(None, "x") is None
    blocks = doctext.document_blocks(doc, None, now=_now(), pages={})
    assert doctext.anchor_block(blocks, "nothing") == 0
    assert blocks[doctext.anchor_block(blocks, "section:4")].text == "Recommendations"


def test_file_status_words():
    from ogptui.model import DocumentFile

    here = "/x/ab/ab.pdf"
    assert doctext.file_status(DocumentFile("u", "n", path=here, text_status="ok", page_count=4)).endswith(
        "its text is below (4 pages)"
    )
    assert doctext.file_status(DocumentFile("u", "n", path=here, text_status="timeout",
                                            text_error="reading took too long")) == (
        "on this device · text not available (reading took too long)"
    )  # fmt: skip
    assert doctext.file_status(DocumentFile("u", "n", path=here, text_status="empty")).endswith(
        "text not available (the file has no text in it)"
    )
    assert doctext.file_status(DocumentFile("u", "n")) == "not downloaded"
    assert doctext.file_status(DocumentFile("u", "n", text_status="ok")).startswith("not on this device")


def _now():
    from tests.tuikit import FIXED_NOW

    return FIXED_NOW


def test_meta_line_says_how_fresh():
    from ogptui.model import Document

    page = peru_design_report()
    doc = Document(page=page, checked_at="2025-06-01T10:00:00+00:00")
    r = Resource("Peru Design Report 2019-2021", 2021, "IRM Report", "Web page", None)
    assert doctext.meta_parts(doc, r, _now()) == ["IRM Report", "2021", "synced 3 days ago · checked 2 h ago"]
    page.fetched_at = "2099-01-01T00:00:00+00:00"
    assert doctext.meta_parts(Document(page=page), None, _now()) == ["synced at an unknown date"]
    assert doctext.meta_parts(None, r, _now())[-1] == "not on this device yet"


def test_snapshot_resources_offline_marks(snap_compare):
    s = _snap_store()
    try:
        assert snap_compare(make_app(store=s, slug="testland"), press=["3"], terminal_size=SIZE)
    finally:
        s.close()
