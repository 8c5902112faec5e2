"""Issue 14.11: sort by column in the members, commitments and resources tables — `S` cycles the column
and direction, a click on a header sorts by it, the header shows ▲/▼, and each table's sort is kept in
the settings."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from ogptui import config
from ogptui.seed import open_store
from ogptui.tui.screens.members import COLUMNS as MEMBER_COLUMNS
from ogptui.tui.tables import Row, next_sort, sort_rows
from ogptui.tui.widgets.panes import CommitmentsPane, ResourcesPane
from tests.fakesite.data import sample_member
from tests.tuikit import fill_store, make_app

SIZE = (120, 36)


@pytest.fixture
def store():
    s = open_store()
    fill_store(s, [sample_member(), sample_member("zembla", "Zembla")])
    yield s
    s.close()


def column(app, selector: str, key: str) -> list[str]:
    t = app.screen.query_one(selector, DataTable)
    return [getattr(v, "plain", str(v)) for v in t.get_column(key)]


def headers(app, selector: str) -> list[str]:
    return [c.label.plain for c in app.screen.query_one(selector, DataTable).ordered_columns]


def test_the_settings_know_every_sortable_column():
    assert config.SORT_COLUMNS["members"] == tuple(c.key for c in MEMBER_COLUMNS)
    assert config.SORT_COLUMNS["commitments"] == tuple(c.key for c in CommitmentsPane.COLUMNS)
    assert config.SORT_COLUMNS["resources"] == tuple(c.key for c in ResourcesPane.COLUMNS)


def test_s_goes_through_every_column_both_ways_then_back():
    cols = ("a", "b")
    seen = [(None, False)]
    for _ in range(5):
        seen.append(next_sort(cols, *seen[-1]))
    assert seen == [(None, False), ("a", False), ("a", True), ("b", False), ("b", True), (None, False)]


def test_unknown_values_sort_last_both_ways_and_numbers_before_text():
    rows = [Row(k, "", {"v": v}, {}) for k, v in (("a", 3), ("b", None), ("c", 10), ("d", "x"), ("e", 2))]
    assert [r.key for r in sort_rows(rows, "v", False)] == ["e", "a", "c", "d", "b"]
    assert [r.key for r in sort_rows(rows, "v", True)] == ["d", "c", "a", "e", "b"]


async def test_members_sort_with_s_and_header_click_and_it_is_remembered(store):
    app = make_app(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert column(app, "#members-table", "name") == ["Peru", "Testland", "Zembla"]
        app.screen.view.click("name")  # what a click on the Member header does
        app.screen._sorted()
        await pilot.pause()
        assert "Member ▲" in headers(app, "#members-table")
        await pilot.click("#members-table", offset=(6, 0))  # a real click on the same header: reversed
        await pilot.pause()
        assert column(app, "#members-table", "name") == ["Zembla", "Testland", "Peru"]
        assert "Member ▼" in headers(app, "#members-table")
        assert "sorted by Member ▼" in str(app.screen.query_one("#members-info").render())
    assert config.Settings.load().sort_members == "-name"
    app = make_app(store=store, settings=config.Settings.load())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert column(app, "#members-table", "name") == ["Zembla", "Testland", "Peru"]  # kept
        await pilot.press("S")  # the next column: Level ▲
        await pilot.pause()
        assert "Level ▲" in headers(app, "#members-table")
    assert config.Settings.load().sort_members == "level"


async def test_commitments_and_resources_sort_by_column(store):
    app = make_app(store=store, slug="testland")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await pilot.pause()
        assert column(app, "#commitments-table", "id") == ["TL0001", "TL0002", "TL0003", "TL0004"]
        await pilot.press("S", "S")  # ID ▲, then ID ▼
        await pilot.pause()
        assert column(app, "#commitments-table", "id") == ["TL0004", "TL0003", "TL0002", "TL0001"]
        assert "ID ▼" in headers(app, "#commitments-table")
        await pilot.press("S", "S", "S", "S")  # Title ▲ ▼, then Year ▲ ▼ (2021 first)
        await pilot.pause()
        assert column(app, "#commitments-table", "year")[:2] == ["2021", "2021"]
        await pilot.press("3")
        await pilot.pause()
        years = column(app, "#resources-table", "year")
        assert years[:2] == ["2023", ""]  # the timeline: a year heads its group
        await pilot.press("S", "S", "S")  # Year ▲, Year ▼, Title ▲: every row shows its year
        await pilot.pause()
        titles = column(app, "#resources-table", "title")
        assert titles == sorted(titles, key=str.casefold)
        assert all(column(app, "#resources-table", "year"))
    settings = config.Settings.load()
    assert (settings.sort_commitments, settings.sort_resources) == ("-year", "title")


async def test_resources_sorted_by_offline_on_a_member_without_documents_falls_back_to_the_timeline(ogptui_home):
    """The Offline column is shown only where a resource has a document page; a remembered sort by it
    (settings) on a member without any is the timeline, not a crash."""
    from ogptui.tui.widgets.panes import ResourcesPane

    with open_store() as s:
        fill_store(s)
        app = make_app(store=s, slug="testland")
        app.settings.sort_resources = "-offline"
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press("3")
            await pilot.pause()
            pane = app.screen.query_one(ResourcesPane)
            assert "offline" not in [k for k, _ in pane.view.headers()]
            assert pane.view.key is None and pane.view.describe() == ""
