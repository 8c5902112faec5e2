"""Global search (ctrl+f) and the member brief (e), through Pilot at 120x36; snapshots of the search screen."""

from __future__ import annotations

import html
import re

import pytest
from textual.widgets import DataTable, Input, Static, TabbedContent

from ogptui.search import recent_searches
from ogptui.tui.commands import COMMANDS, key_display
from ogptui.tui.screens.commitment import CommitmentScreen
from ogptui.tui.screens.help import HelpScreen
from ogptui.tui.screens.member import MemberScreen
from ogptui.tui.screens.members import MembersScreen
from ogptui.tui.screens.resource import ResourceScreen
from ogptui.tui.screens.search import ResultList, SearchScreen
from tests.tuikit import make_app, notified

SIZE = (120, 36)
HOSTILE = ['"', "NEAR(", "*", "[@click=app.quit]", "-", "'; DROP TABLE members; --", "[b]x[/b] \\[", "(((("]


async def settle(pilot) -> None:
    """Wait until the debounced query has run and its results are painted."""
    for _ in range(50):
        await pilot.pause()
        screen = pilot.app.screen
        if not (isinstance(screen, SearchScreen) and screen.pending):
            break
        await pilot.pause(0.02)
    await pilot.pause()


async def wait_for(pilot, predicate, tries: int = 50) -> None:
    for _ in range(tries):
        await pilot.pause()
        if predicate():
            return
        await pilot.pause(0.02)
    raise AssertionError("timed out")


async def search_for(pilot, text: str) -> SearchScreen:
    if not isinstance(pilot.app.screen, SearchScreen):
        await pilot.press("ctrl+f")
    screen = pilot.app.screen
    assert isinstance(screen, SearchScreen)
    box = screen.query_one("#search-input", Input)
    box.value = ""
    if all(c.isalnum() or c == " " for c in text):
        await pilot.press(*text)
    else:  # punctuation has key names of its own: set the text as a paste would
        box.value = text
    await settle(pilot)
    return screen


def screen_text(app) -> str:
    """What the screen shows, as text (the screenshot without its SVG tags)."""
    return html.unescape(re.sub(r"<[^>]+>", "", app.export_screenshot())).replace("\xa0", " ")


def option_texts(screen: SearchScreen) -> list[str]:
    results = screen.query_one("#search-results", ResultList)
    return [str(results.get_option_at_index(i).prompt) for i in range(results.option_count)]


def highlighted_text(screen: SearchScreen) -> str:
    option = screen.query_one("#search-results", ResultList).highlighted_option
    return "" if option is None else str(option.prompt)


def highlight(screen: SearchScreen, contains: str) -> None:
    results = screen.query_one("#search-results", ResultList)
    texts = option_texts(screen)
    results.highlighted = next(
        i for i, t in enumerate(texts) if contains in t and not results.get_option_at_index(i).disabled
    )


def cursor_title(app, table_id: str, column: str = "title") -> str:
    t = app.screen.query_one(table_id, DataTable)
    row = t.get_row_at(t.cursor_row)
    return getattr(row[t.get_column_index(column)], "plain", str(row[t.get_column_index(column)]))


# --- jump to a resource ------------------------------------------------------------------------------
@pytest.mark.slow
async def test_design_report_lands_on_its_resource_row(sample_store):
    app = make_app(store=sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MembersScreen)
        screen = await search_for(pilot, "design report")
        texts = option_texts(screen)
        assert texts[0].startswith("Resources (")  # grouped, with a count per group
        n_resources = int(texts[0].split("(")[1].rstrip(")"))
        assert n_resources == sum(1 for h in screen.hits if h.kind == "resource") >= 2
        assert any("Peru Design Report 2019-2021" in t for t in texts)
        assert "Peru Design Report 2019-2021" in highlighted_text(screen)  # best hit highlighted first
        await pilot.press("enter")
        await pilot.pause()
        # a resource opens as with enter on its row: its reader, or (the embedded capture has no links, so
        # no document page) its card, over the member screen on the resource's row
        assert isinstance(app.screen, ResourceScreen)
        assert app.screen.resource.title == "Peru Design Report 2019-2021"
        await pilot.press("escape")
        assert isinstance(app.screen, MemberScreen) and app.screen.slug == "peru"
        assert app.screen.query_one("#tabs", TabbedContent).active == "resources"
        assert cursor_title(app, "#resources-table") == "Peru Design Report 2019-2021"
        assert app.screen.active_pane().selected().title == "Peru Design Report 2019-2021"
        await pilot.press("escape")  # back from the member to the results (issue 14.7)
        assert isinstance(app.screen, SearchScreen) and "Peru Design Report 2019-2021" in highlighted_text(screen)
        await pilot.press("escape")  # and to the list we started on
        assert isinstance(app.screen, MembersScreen)


@pytest.mark.slow
async def test_jump_clears_filters_on_the_open_member(sample_store):
    """From Peru's resources tab with a type and text filter that hide the row: the jump clears them."""
    app = make_app(store=sample_store, slug="peru")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3", "t", "t", "slash", *"letter", "enter")  # type: Report Comments; text: letter
        member = app.screen
        table = member.query_one("#resources-table", DataTable)
        assert "Peru Design Report 2019-2021" not in [c.plain for c in table.get_column("title")]
        screen = await search_for(pilot, "peru design 2019")
        highlight(screen, "Peru Design Report 2019-2021  ·")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ResourceScreen)  # the resource opens over its row (see above)
        await pilot.press("escape")
        # the result opens over the search (esc returns to the results, issue 14.7), with no filter hiding it
        jumped = app.screen
        assert isinstance(jumped, MemberScreen) and jumped.slug == "peru" and jumped is not member
        assert jumped.query_one("#resources-filter", Input).value == ""
        assert "[All 40]" in str(jumped.query_one("#resources-types", Static).render())
        assert cursor_title(app, "#resources-table") == "Peru Design Report 2019-2021"
        await pilot.press("escape", "escape")  # the results, then the member screen as it was left
        assert app.screen is member and member.query_one("#resources-filter", Input).value == "letter"


# --- commitments, contacts, members ----------------------------------------------------------------
@pytest.mark.slow
async def test_commitment_result_opens_detail_over_its_member(sample_store):
    app = make_app(store=sample_store, slug="peru")
    async with app.run_test(size=SIZE) as pilot:
        screen = await search_for(pilot, "beneficial ownership")
        texts = option_texts(screen)
        assert texts[0] == "Commitments (1)"
        assert texts[1].strip().startswith("TL0002  Beneficial ownership register")  # the ID first
        assert "Testland · 2021 · Anti-Corruption" in texts[1]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CommitmentScreen) and app.screen.commitment_id == "TL0002"
        assert "Marginal" in str(app.screen.query_one("#commitment-text", Static).render())
        await pilot.press("escape")  # escape returns to the member, on the commitment's row
        assert isinstance(app.screen, MemberScreen) and app.screen.slug == "testland"
        assert app.screen.query_one("#tabs", TabbedContent).active == "commitments"
        assert cursor_title(app, "#commitments-table", "id") == "TL0002"
        await pilot.press("escape")  # then the results (issue 14.7), then the member the search started on
        assert isinstance(app.screen, SearchScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, MemberScreen) and app.screen.slug == "peru"


@pytest.mark.slow
async def test_commitment_id_and_body_matches(sample_store):
    app = make_app(store=sample_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await search_for(pilot, "TL0003")
        assert [h.ref for h in screen.hits][:1] == ["TL0003"]
        # a description match shows its snippet under the title, the matched word marked
        screen = await search_for(pilot, "paragraph")
        row = screen.query_one("#search-results", ResultList).get_option_at_index(1).prompt
        assert "\n" in row.plain and "Paragraph 0" in row.plain.split("\n")[1]
        marked = [row.plain[s.start : s.end] for s in row.spans if "reverse" in str(s.style)]
        assert marked and set(marked) == {"Paragraph"}
        assert "\x02" not in row.plain and "\x03" not in row.plain


@pytest.mark.slow
async def test_contact_result_selects_the_contact(sample_store):
    app = make_app(store=sample_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await search_for(pilot, "civic forum")
        assert option_texts(screen)[0] == "Contacts (1)"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MemberScreen) and app.screen.slug == "testland"
        assert app.screen.query_one("#tabs", TabbedContent).active == "contacts"
        assert app.screen.active_pane().selected().name == "Civic Forum"  # row 2, not the default first row
        assert cursor_title(app, "#contacts-table", "name") == "Civic Forum"


@pytest.mark.slow
async def test_member_result_opens_overview(sample_store):
    app = make_app(store=sample_store, slug="peru")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        screen = await search_for(pilot, "testland")
        texts = option_texts(screen)
        assert texts[0] == "Members (1)" and texts.index("Resources (4)") > 1
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MemberScreen) and app.screen.slug == "testland"
        assert app.screen.query_one("#tabs", TabbedContent).active == "overview"


# --- keys ------------------------------------------------------------------------------------------
@pytest.mark.slow
async def test_arrow_and_ctrl_keys_move_while_typing(sample_store):
    app = make_app(store=sample_store, slug="peru")
    async with app.run_test(size=SIZE) as pilot:
        screen = await search_for(pilot, "open")
        results = screen.query_one("#search-results", ResultList)
        box = screen.query_one("#search-input", Input)
        rows = [i for i in range(results.option_count) if not results.get_option_at_index(i).disabled]
        assert len(rows) >= 4 and results.highlighted == rows[0]
        await pilot.press("down")  # skips the group heading in between
        assert results.highlighted == rows[1]
        await pilot.press("ctrl+j", "ctrl+j")
        assert results.highlighted == rows[3]
        await pilot.press("ctrl+k")
        assert results.highlighted == rows[2]
        await pilot.press("up", "up", "up", "up", "up", "up")
        assert results.highlighted == rows[0]  # the top stops at the first result
        assert app.focused is box and box.value == "open"  # typing was never interrupted
        await pilot.press(*" dat")
        await settle(pilot)
        assert box.value == "open dat" and screen.query_text == "open dat"


@pytest.mark.slow
async def test_escape_returns_where_you_were(sample_store):
    app = make_app(store=sample_store, slug="testland")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "enter")
        assert isinstance(app.screen, CommitmentScreen)
        detail = app.screen
        await search_for(pilot, "design")
        await pilot.press("escape")
        assert app.screen is detail
        assert recent_searches(sample_store) == []  # closing without opening a result remembers nothing


@pytest.mark.slow
async def test_ctrl_f_from_a_filter_box_and_from_the_palette(sample_store):
    app = make_app(store=sample_store, slug="testland")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "slash", *"own")  # typing in the commitments filter
        await pilot.press("ctrl+f")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press("ctrl+f")  # again: still one search screen
        assert sum(isinstance(s, SearchScreen) for s in app.screen_stack) == 1
        await pilot.press("escape")
        assert isinstance(app.screen, MemberScreen)
        assert app.screen.query_one("#commitments-filter", Input).value == "own"  # `/` kept its filter
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"search everything")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)


# --- recent searches -------------------------------------------------------------------------------
@pytest.mark.slow
async def test_recent_searches_listed_and_rerun(sample_store):
    app = make_app(store=sample_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await search_for(pilot, "civic forum")
        await pilot.press("enter")  # opening a result remembers the query
        await pilot.pause()
        assert recent_searches(sample_store) == ["civic forum"]
        await pilot.press("ctrl+f")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        assert option_texts(screen) == ["Recent searches", "  civic forum"]
        await pilot.press("enter")  # re-runs it
        await settle(pilot)
        assert screen.query_one("#search-input", Input).value == "civic forum"
        assert option_texts(screen)[0] == "Contacts (1)"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.active_pane().selected().name == "Civic Forum"


# --- hostile input and scraped markup --------------------------------------------------------------
@pytest.mark.slow
async def test_hostile_queries_never_crash_and_render_literally(sample_store):
    app = make_app(store=sample_store, slug="peru")
    async with app.run_test(size=SIZE) as pilot:
        for q in HOSTILE:
            screen = await search_for(pilot, q)
            info = str(screen.query_one("#search-info", Static).render())
            assert screen.hits or f"No results for “{q}”" in info, q
            await pilot.press("enter")  # nothing to open, or a result: neither crashes
            if screen.hits:
                await wait_for(pilot, lambda: not isinstance(app.screen, SearchScreen))
                await pilot.press("ctrl+f")
        screen = await search_for(pilot, "[@click=app.quit]")  # matches Testland's markup-laden title
        shown = screen_text(app)
        assert "[@click=app.quit]" in shown and "[@click=app.quit]x[/] [bold]loud[/bold]" in shown
        screen = await search_for(pilot, "[@click=app.quit] zzzz")
        assert "No results for “[@click=app.quit] zzzz”" in screen_text(app)
        await pilot.press("escape")
    assert app.is_running is False and app.return_code in (None, 0)


@pytest.mark.slow
async def test_scraped_markup_in_results_is_plain_text(sample_store):
    app = make_app(store=sample_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await search_for(pilot, "loud")
        texts = option_texts(screen)
        assert any("TL0003  [@click=app.quit]x[/] [bold]loud[/bold]" in t for t in texts)
        assert not any("\x1b" in t for t in texts)  # an escape sequence in stored text is not shown raw
        await pilot.click("#search-results", offset=(20, 1))  # clicking the row opens it, never runs markup
        await pilot.pause()
        assert app.is_running
        assert isinstance(app.screen, CommitmentScreen) and app.screen.commitment_id == "TL0003"


# --- help lists the new keys -----------------------------------------------------------------------
async def test_help_lists_search_and_brief_keys(sample_store):
    app = make_app(store=sample_store, slug="testland")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        t = app.screen.query_one("#help-table", DataTable)
        rows = list(
            zip([c.plain for c in t.get_column("keys")], [c.plain for c in t.get_column("what")], strict=True)
        )
        assert len(rows) == len(COMMANDS)
        for b in SearchScreen.BINDINGS:
            assert (key_display(b.key), b.tooltip) in rows, b
        keys = {k for k, _ in rows}
        assert {"ctrl+f", "e", "down / ctrl+j", "up / ctrl+k"} <= keys


# --- e: the member brief ---------------------------------------------------------------------------
async def test_e_writes_the_brief_and_says_where(sample_store, tmp_path, monkeypatch):
    docs = sample_store.paths.briefs  # with OGPTUI_HOME set: its `briefs` folder (issue 14.9; `ogptui where`)
    app = make_app(store=sample_store, slug="peru")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3", "e")  # works from any tab
        await pilot.pause()
        files = list(docs.glob("ogp-peru-brief-*.md"))
        assert len(files) == 1
        text = files[0].read_text(encoding="utf-8")
        assert "Peru" in text and "Peru Design Report 2019-2021" in text
        assert "embedded sample captured before" in text  # the freshness the screen shows
        messages = [n.message for n in notified(app)]
        assert any(str(files[0]) in m for m in messages), messages
        await pilot.press("e")  # a second brief never replaces the first
        await pilot.pause()
        assert len(list(docs.glob("ogp-peru-brief-*.md"))) == 2


async def test_e_reports_an_unwritable_folder(sample_store, tmp_path, monkeypatch):
    from dataclasses import replace

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the briefs folder should be")
    monkeypatch.setattr(sample_store, "paths", replace(sample_store.paths, briefs=blocker / "briefs"))
    app = make_app(store=sample_store, slug="peru")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, MemberScreen)
        errors = [n for n in notified(app) if n.severity == "error"]
        assert errors and errors[-1].message.startswith("Brief not written:")
        assert "not-a-folder" in errors[-1].message


# --- snapshots -------------------------------------------------------------------------------------
def _typing(*keys: str, wait: float = 0.2):
    async def run_before(pilot) -> None:
        await pilot.press("ctrl+f", *keys)
        await pilot.pause(wait)
        await settle(pilot)

    return run_before


@pytest.mark.slow
def test_snapshot_search_design_report(snap_compare, sample_store):
    app = make_app(store=sample_store, slug="peru")
    assert snap_compare(app, run_before=_typing(*"design report"), terminal_size=SIZE)


@pytest.mark.slow
def test_snapshot_search_mixed_groups(snap_compare, sample_store):
    app = make_app(store=sample_store)
    assert snap_compare(app, run_before=_typing(*"open", "down", "down"), terminal_size=SIZE)
