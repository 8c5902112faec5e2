"""Issue 14.7: no dead ends — posts and contacts open in full, changes say "1 change" and lead to what
changed, a filter with no match says so, `esc` from a search result returns to the results, a jump to a
resource keeps its year heading on screen, and a members filter with no match offers to sync the slug."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from ogptui.model import Resource
from ogptui.seed import open_store
from ogptui.tui.screens.commitment import CommitmentScreen
from ogptui.tui.screens.item import ItemScreen
from ogptui.tui.screens.member import MemberScreen
from ogptui.tui.screens.search import SearchScreen
from tests.fakesite.data import sample_member
from tests.tuikit import fill_store, make_app, screen_lines

SIZE = (120, 36)


@pytest.fixture
def store():
    s = open_store()
    fill_store(s)
    yield s
    s.close()


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_a_post_opens_in_full_with_its_link(store):
    opened: list[str] = []
    app = make_app(store=store, slug="testland", open_url=opened.append)
    copied: list[str] = []
    app.copy_to_clipboard = copied.append
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("7", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ItemScreen)
        body = text_of(app, "#item-text").replace("\n            ", "")  # a long link wraps under itself
        assert (
            "Supreme Audit Institutions are essential…" in body and "/stories/citizen-participation/" in body
        )
        await pilot.press("o", "y")
        assert opened == copied == ["https://www.opengovpartnership.org/stories/citizen-participation/"]
        await pilot.press("escape")
        assert isinstance(app.screen, MemberScreen)


async def test_a_contact_opens_in_full_and_the_role_uses_the_free_width(store):
    m = sample_member()
    m.contacts[0].role = "Open Government Coordinator, Secretariat of Public Administration"
    store.write_member(m)
    app = make_app(store=store, slug="testland")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("5")
        await pilot.pause()
        row = next(line for line in screen_lines(app) if "Ana Pérez" in line)
        assert m.contacts[0].role in row and "ana@example.gob" in row  # room enough: nothing clipped
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ItemScreen)
        assert "Secretariat of Public" in text_of(app, "#item-text") and "ana@example.gob" in text_of(
            app, "#item-text"
        )


async def test_changes_say_one_change_and_enter_goes_to_it():
    with open_store(seed=False) as s:
        s.write_member(sample_member())  # one change: Testland added (no embedded sample)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await pilot.pause()
        assert text_of(app, "#title").endswith("What changed  ·  1 change")
        m = sample_member()
        new = Resource("A brand new report", 2025, "IRM Report", "Web page", "https://example.org/new")
        m.resources.append(new)
        app.store.write_member(m)
        app.cache_changed()
        await pilot.pause()
        assert text_of(app, "#title").endswith("2 changes")
        await pilot.press("enter")  # the newest: the new resource
        await pilot.pause()
        assert isinstance(app.screen, MemberScreen) and app.screen.active_tab() == "resources"
        assert app.screen.active_pane().selected().title == "A brand new report"
        await pilot.press("escape")
        assert app.screen.id == "changes-screen"


async def test_a_changed_commitment_opens_its_detail(store):
    from tests.fakesite.data import detail_page

    store.write_commitment(detail_page("TL0001", status="Completed"), "testland")
    app = make_app(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CommitmentScreen) and app.screen.commitment_id == "TL0001"


@pytest.mark.parametrize(("tab", "info"), [("2", "#commitments-count"), ("3", "#resources-types")])
async def test_a_filter_with_no_match_says_so(store, tab, info):
    app = make_app(store=store, slug="testland")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(tab, "slash", *"zzzq")
        await pilot.pause()
        said = text_of(app, f"#{info.lstrip('#')}")
        assert "matches “zzzq”" in said, said


async def test_esc_from_a_search_result_returns_to_the_results(store):
    app = make_app(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+f", *"beneficial")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CommitmentScreen)
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.query_one("#search-input").value == "beneficial" and app.screen.hits


@pytest.mark.parametrize("target", ["12", "26"])
async def test_a_jump_to_a_resource_keeps_its_year_heading_on_screen(store, target):
    """A jump into a long year group: the group's year stays on screen — its head above the row when both
    fit, and the row itself repeats it (a 30-row group is longer than the screen)."""
    m = sample_member()
    m.resources = [Resource(f"Report {n:02d}", 2020, "IRM Report", "Web page", None) for n in range(30)]
    m.resources.insert(0, Resource("Newer report", 2024, "IRM Report", "Web page", None))
    store.write_member(m)
    app = make_app(store=store, slug="testland")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        assert app.screen.select_row("resources", target)
        await pilot.pause()
        await pilot.pause()
        lines = screen_lines(app)
        title = f"Report {int(target) - 1:02d}"
        row = next(n for n, line in enumerate(lines) if title in line)
        heads = [n for n, line in enumerate(lines) if line.strip().startswith("2020")]
        assert heads and min(heads) <= row, "\n".join(lines)
        table = app.screen.query_one("#resources-table")
        assert [c.plain for c in table.get_column("year")][int(target)] == "2020"


async def test_members_filter_with_no_match_offers_to_sync_the_slug():
    calls: list[dict] = []

    def sync(*, slugs, watchlist, source, on_event, cancel):
        from ogptui.sync import SyncSummary

        calls.append({"slugs": slugs, "watchlist": watchlist})
        return SyncSummary(outcome="ok")

    app = make_app(sync=sync)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"Costa Rica")
        await pilot.pause()
        info = text_of(app, "#members-info")
        assert "No member matches “Costa Rica”" in info and "s syncs 'costa-rica'" in info
        assert "s syncs 'costa-rica'" in screen_lines(app)[2]  # on screen at 80 columns
        await pilot.press("enter", "s")
        await pilot.pause(0.3)
        assert calls == [{"slugs": ["costa-rica"], "watchlist": False}]
