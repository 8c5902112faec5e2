"""Background sync from the TUI against the fake OGP site on 127.0.0.1."""

from __future__ import annotations

import dataclasses
import time

import pytest
from textual.widgets import DataTable, Static

from ogptui.model import Commitment
from ogptui.tui.screens.member import MemberScreen
from tests.tuikit import make_app, notified

pytest.importorskip("ogptui.sync")

SIZE = (120, 36)


async def wait_until(pilot, condition, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        await pilot.pause(0.05)
    await pilot.pause()


def messages(app) -> list[str]:
    return [n.message for n in notified(app)]


def ids(app) -> list[str]:
    t = app.screen.query_one("#commitments-table", DataTable)
    return [v.plain for v in t.get_column("id")]


@pytest.mark.slow
async def test_sync_updates_the_open_member_and_keeps_the_cursor(fake_site):
    app = make_app(slug="peru", source=fake_site.url)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        assert ids(app) == []  # the embedded page lists no commitments
        await pilot.press("s")
        assert app.syncing
        await wait_until(pilot, lambda: not app.syncing)
        assert any("1 updated" in m for m in messages(app)), messages(app)
        assert isinstance(app.screen, MemberScreen)
        assert ids(app)[:2] == ["PE0110", "PE0111"]
        title = str(app.screen.query_one("#title", Static).render())
        assert "embedded" not in title and "synced" in title
        status = str(app.screen.query_one("#status", Static).render())
        assert "● online" in status and "last sync ✓ ok" in status
        # put the cursor on PE0113, change the page upstream, sync again: the cursor stays on PE0113
        t = app.screen.query_one("#commitments-table", DataTable)
        t.move_cursor(row=ids(app).index("PE0113"))
        peru = fake_site.member("peru")
        new = dataclasses.replace(
            peru,
            commitments=[Commitment("PE0100", "A new first commitment", 2024, "Justice"), *peru.commitments],
        )
        fake_site.set_member(new)
        await pilot.press("s")
        await wait_until(pilot, lambda: not app.syncing)
        assert ids(app)[0] == "PE0100"
        assert ids(app)[t.cursor_row] == "PE0113"
        # what changed lists the new commitment
        await pilot.press("c")
        await pilot.pause()
        summaries = [v.plain for v in app.screen.query_one("#changes-table", DataTable).get_column("summary")]
        assert any("PE0100" in s for s in summaries), summaries


@pytest.mark.slow
async def test_sync_with_the_server_down_notifies_and_keeps_data(fake_site):
    url = fake_site.url
    fake_site.stop()
    app = make_app(slug="peru", source=url)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await wait_until(pilot, lambda: not app.syncing, timeout=60)
        assert app.is_running
        msgs = messages(app)
        assert any("cannot connect" in m and "cached data is unchanged" in m for m in msgs), msgs
        await wait_until(pilot, lambda: app.online is False)  # a probe after the failure tells offline
        text = str(app.screen.query_one("#pane-overview-text", Static).render())
        assert "Member Since" in text and "2011" in text
        status = str(app.screen.query_one("#status", Static).render())
        assert (
            "○ offline" in status and "last sync ○ offline" in status
        )  # nothing answered: offline, not failed


@pytest.mark.slow
async def test_sync_from_the_members_list_syncs_the_watchlist(fake_site):
    app = make_app(source=fake_site.url)
    async with app.run_test(size=SIZE) as pilot:
        app.store.watch("valdoria")
        await pilot.press("s")
        await wait_until(pilot, lambda: not app.syncing)
        names = [v.plain for v in app.screen.query_one("#members-table", DataTable).get_column("name")]
        assert "Valdoria" in names


@pytest.mark.slow
async def test_auto_sync_when_the_site_comes_back(fake_site, ogptui_home):
    # Member pages only: with Peru's 12 documents and 7 PDFs at the default 0.25 s between requests, the sync
    # outlasts the 5 s "Back online" notification this test reads afterwards.
    ogptui_home.mkdir(parents=True, exist_ok=True)
    (ogptui_home / "settings.json").write_text('{"documents": "none"}')
    url = fake_site.url
    fake_site.stop()
    app = make_app(slug="peru", source=url, auto_sync=True, recheck_delays=(0.3,))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.online is False)
        assert not app.syncing
        fake_site.start()
        await wait_until(pilot, lambda: app.online is True and not app.syncing and app._data_version)
        await wait_until(
            pilot, lambda: any("synced" in str(m) for m in [app.screen.query_one("#title").render()])
        )
        msgs = messages(app)
        assert any("Back online" in m for m in msgs), msgs
        await pilot.press("2")
        assert "PE0110" in ids(app)


@pytest.mark.slow
async def test_auto_sync_can_be_turned_off_with_a(fake_site):
    app = make_app(slug="peru", source=fake_site.url, auto_sync=True, recheck_delays=(0.3,))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        assert app.auto_sync is False
        assert app.settings.auto_sync is False
        status = str(app.screen.query_one("#status", Static).render())
        assert "auto-sync off" in status
