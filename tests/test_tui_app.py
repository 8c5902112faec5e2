"""Behaviour of the TUI through Pilot: navigation, filters, watch, copy, help, palette, safety."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Static, TabbedContent

from ogptui import config
from ogptui.seed import open_store
from ogptui.tui.commands import COMMANDS, key_display
from ogptui.tui.screens.commitment import CommitmentScreen
from ogptui.tui.screens.help import HelpScreen
from ogptui.tui.screens.member import MemberScreen
from ogptui.tui.screens.members import MembersScreen
from ogptui.tui.screens.resource import ResourceScreen
from tests.fakesite.data import MARKUP_TITLE
from tests.tuikit import make_app, notified

SIZE = (120, 36)


def static_text(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def table(app, selector: str) -> DataTable:
    return app.screen.query_one(selector, DataTable)


def column(t: DataTable, key: str) -> list[str]:
    return [getattr(v, "plain", str(v)) for v in t.get_column(key)]


async def test_opens_peru_from_embedded_data_without_network():
    app = make_app(slug="peru")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MemberScreen)
        text = static_text(app, "#pane-overview-text")
        assert "Member Since" in text and "2011" in text
        assert "embedded sample captured" in text
        await pilot.press("3")
        titles = column(table(app, "#resources-table"), "title")
        assert "Peru Design Report 2019-2021" in titles
        await pilot.press("5")
        assert "lrivera@pcm.gob.pe" in column(table(app, "#contacts-table"), "email")
        await pilot.press("q")
    assert app.return_code == 0


@pytest.mark.slow
async def test_bare_start_opens_last_member_else_list(sample_store):
    app = make_app(store=sample_store, open_last=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MembersScreen)
        names = column(table(app, "#members-table"), "name")
        assert "Testland" in names
        # open Testland from the list with enter; it becomes the last member
        t = table(app, "#members-table")
        t.move_cursor(row=names.index("Testland"))
        await pilot.press("enter")
        assert isinstance(app.screen, MemberScreen)
        assert app.screen.slug == "testland"
    assert config.Settings.load().last_member == "testland"
    app = make_app(store=sample_store, open_last=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MemberScreen) and app.screen.slug == "testland"
        await pilot.press("escape")
        assert isinstance(app.screen, MembersScreen)
        await pilot.press("escape")  # the list is the bottom: escape stays
        assert isinstance(app.screen, MembersScreen)


@pytest.mark.slow
async def test_every_tab_by_number_key(sample_store):
    app = make_app(store=sample_store, slug="testland")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        tabs = app.screen.query_one("#tabs", TabbedContent)
        expected = ["overview", "commitments", "resources", "metrics", "contacts", "participation", "posts"]
        for n, name in enumerate(expected, start=1):
            await pilot.press(str(n))
            assert tabs.active == name
        await pilot.press("4")
        metrics = static_text(app, "#pane-metrics-text")
        assert "Action Plan 1" in metrics and "unknown" in metrics
        assert "███ 3" in metrics
        assert "Most per action plan: 4, 7" in metrics
        assert "Early results" in metrics and "Completion" in metrics
        await pilot.press("6")
        part = static_text(app, "#pane-participation-text")
        assert "Involve" in part and "Anti-Corruption" in part


@pytest.mark.slow
async def test_filter_commitments_and_open_detail(sample_store):
    app = make_app(store=sample_store, slug="testland")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        t = table(app, "#commitments-table")
        assert t.row_count == 4
        await pilot.press("slash", *"owner")
        assert t.row_count == 1
        assert column(t, "id") == ["TL0002"]
        await pilot.press("enter")  # leave the filter: focus goes to the table
        assert app.focused is t
        await pilot.press("enter")  # open the commitment
        assert isinstance(app.screen, CommitmentScreen)
        body = static_text(app, "#commitment-text")
        assert "Beneficial ownership register" in body and "Marginal" in body and "Paragraph 59" in body
        await pilot.press("j", "j", "G")
        assert app.screen.query_one("#commitment-scroll").scroll_y > 0
        await pilot.press("escape")
        assert isinstance(app.screen, MemberScreen)
        assert app.screen.query_one("#tabs", TabbedContent).active == "commitments"
        # escape in the filter clears it
        await pilot.press("slash", "z", "z", "z")
        assert t.row_count == 0
        await pilot.press("escape")
        assert t.row_count == 4
        assert isinstance(app.screen, MemberScreen)


@pytest.mark.slow
async def test_resources_timeline_type_cycle_and_text_filter(sample_store):
    app = make_app(store=sample_store, slug="testland")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        t = table(app, "#resources-table")
        years = column(t, "year")
        assert years[0] == "2023" and years[1] == ""  # grouped: year shown once per group, newest first
        assert [y for y in years if y] == ["2023", "2021", "2020"]
        await pilot.press("t")  # the most common type first: IRM Report (2)
        assert column(t, "type") == ["IRM Report", "IRM Report"]
        assert "[IRM Report 2]" in static_text(app, "#resources-types")
        await pilot.press("slash", *"design", "enter")
        assert column(t, "title") == ["Testland Design Report 2019-2021"]
        await pilot.press("enter")
        assert isinstance(app.screen, ResourceScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, MemberScreen)
        for _ in range(4):  # cycle back to all types
            await pilot.press("t")
        assert "[All 6]" in static_text(app, "#resources-types")


@pytest.mark.slow
async def test_watch_toggle_from_list_and_member(sample_store):
    app = make_app(store=sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        t = table(app, "#members-table")
        t.move_cursor(row=column(t, "name").index("Testland"))
        await pilot.press("w")
        assert sample_store.is_watched("testland")
        row = column(t, "name").index("Testland")
        assert column(t, "watched")[row] == "★"
        await pilot.press("enter", "w")
        assert not sample_store.is_watched("testland")
        await pilot.press("w")
        assert sample_store.is_watched("testland")
        assert "★ watched" in static_text(app, "#title")


@pytest.mark.slow
async def test_copy_email_and_links(sample_store, monkeypatch):
    app = make_app(store=sample_store, slug="testland")
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5", "y")
        assert copied == ["ana@example.gob"]
        await pilot.press("j", "y")  # no email: nothing copied
        assert copied == ["ana@example.gob"]
        await pilot.press("3", "y")
        assert copied[-1] == "https://www.opengovpartnership.org/documents/testland-action-plan-2023-2025/"
        # the javascript: link is refused
        t = table(app, "#resources-table")
        t.move_cursor(row=column(t, "title").index("Unsafe link"))
        await pilot.press("y")
        assert len(copied) == 2
        await pilot.press("2", "y")
        assert copied[-1].endswith("/commitments/TL0001/")


@pytest.mark.slow
async def test_open_link_only_when_safe(sample_store):
    opened: list[str] = []
    app = make_app(store=sample_store, slug="testland", open_url=opened.append)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3", "o")
        assert opened == ["https://www.opengovpartnership.org/documents/testland-action-plan-2023-2025/"]
        t = table(app, "#resources-table")
        t.move_cursor(row=column(t, "title").index("Unsafe link"))
        await pilot.press("o")
        assert len(opened) == 1
        await pilot.pause()
        assert any("Not opened" in n.message for n in notified(app))


def _all_bindings():
    from ogptui.tui.app import OgpApp
    from ogptui.tui.screens.changes import ChangesScreen
    from ogptui.tui.widgets.navtable import NavTable

    for cls in (OgpApp, MembersScreen, MemberScreen, CommitmentScreen, ResourceScreen, ChangesScreen,
                HelpScreen, NavTable):  # fmt: skip
        for b in cls.BINDINGS:
            yield cls.__name__, b


@pytest.mark.slow
async def test_help_lists_every_binding(sample_store):
    app = make_app(store=sample_store, slug="testland")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        t = table(app, "#help-table")
        rows = list(zip(column(t, "keys"), column(t, "what"), strict=True))
        for owner, b in _all_bindings():
            assert (key_display(b.key), b.tooltip) in rows, (owner, b)
        assert len(rows) == len(COMMANDS)
        await pilot.press("escape")
        assert isinstance(app.screen, MemberScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)


@pytest.mark.slow
async def test_command_palette_runs_commands(sample_store):
    app = make_app(store=sample_store, slug="testland")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"watch or unwatch")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert sample_store.is_watched("testland")
        await pilot.press("ctrl+p")
        await pilot.press(*"starred metrics")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one("#tabs", TabbedContent).active == "metrics"


@pytest.mark.slow
async def test_markup_and_escapes_render_literally(sample_store):
    app = make_app(store=sample_store, slug="testland")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        t = table(app, "#commitments-table")
        titles = column(t, "title")
        assert any(x.startswith("[@click=app.quit]x[/] [bold]loud[/bold]") for x in titles)
        svg = app.export_screenshot()
        assert "[@click=app.quit]x[/]" in svg
        # clicking the title does not quit
        await pilot.click("#commitments-table", offset=(12, 3))
        await pilot.pause()
        assert app.is_running
        t.move_cursor(row=column(t, "id").index("TL0003"))
        await pilot.press("enter")
        body = static_text(app, "#commitment-text")
        assert MARKUP_TITLE.replace("\x1b", "") in body.replace("\x1b", "") or "[@click=app.quit]x[/]" in body
        assert "[red]Access[/red] to Information" in body
        await pilot.press("escape", "7")
        assert "[@click=app.quit]Post[/]" in column(table(app, "#posts-table"), "title")
    assert app.return_code is None or app.return_code == 0


@pytest.mark.slow
async def test_theme_is_remembered(sample_store):
    app = make_app(store=sample_store)
    async with app.run_test(size=SIZE) as pilot:
        app.theme = "ansi-dark"
        await pilot.pause()
    assert config.Settings.load().theme == "ansi-dark"
    app = make_app(store=sample_store, settings=config.Settings.load())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "ansi-dark"


@pytest.mark.slow
async def test_works_at_80x24(sample_store):
    app = make_app(store=sample_store, slug="testland")
    async with app.run_test(size=(80, 24)) as pilot:
        for key in "1234567":
            await pilot.press(key)
        await pilot.press("2", "enter")
        assert isinstance(app.screen, CommitmentScreen)
        await pilot.press("escape", "c")
        await pilot.pause()
        assert app.screen.id == "changes-screen"


async def test_unknown_member_shows_notice_and_list(sample_store):
    app = make_app(store=sample_store, slug="atlantis")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MembersScreen)
        assert any("atlantis" in n.message for n in notified(app))


async def test_refreshes_when_another_process_writes(sample_store):
    from tests.fakesite.data import sample_member

    app = make_app(store=sample_store, poll_seconds=0.1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Norland" not in column(table(app, "#members-table"), "name")
        other = open_store()  # another connection, as `ogptui sync` in another terminal would use
        try:
            other.write_member(sample_member("norland", "Norland"))
        finally:
            other.close()
        for _ in range(40):
            await pilot.pause(0.05)
            if "Norland" in column(table(app, "#members-table"), "name"):
                break
        assert "Norland" in column(table(app, "#members-table"), "name")
