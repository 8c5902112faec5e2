"""Issue 14: the TUI tells the truth — freshness after a failed sync (14.1), a first run that checks the
source (14.3), quitting during a sync (14.4), honest open and copy (14.5), the embedded sample's counts
(14.8), the palette and toasts (14.10)."""

from __future__ import annotations

import socket
import time

import pytest
from textual.widgets import Static

from tests.tuikit import make_app, screen_lines

SIZE = (120, 36)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def wait_until(pilot, condition, what: str = "", timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.05)
    await pilot.pause()


# --- 14.1 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
async def test_a_failed_sync_keeps_the_embedded_label_everywhere(size):
    """Fresh home, open Peru, `s` with no network: no "synced just now" anywhere, the sample stays
    labelled in the header, the overview and the status bar."""
    app = make_app(slug="peru", source=f"http://127.0.0.1:{closed_port()}")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await wait_until(pilot, lambda: app.last_run is not None and not app.syncing, "the sync to fail")
        await pilot.pause()
        title, status = text_of(app, "#title"), text_of(app, "#status")
        overview = text_of(app, "#pane-overview-text")
        for shown in (title, overview):
            assert "just now" not in shown and "min ago" not in shown, shown
            assert "embedded sample" in shown, shown
        assert "failed" in title
        assert "failed last sync" in overview
        assert "◆ embedded sample" in status, status
        lines = screen_lines(app)  # what is on screen, not only in the widgets: nothing clipped away
        assert "embedded sample" in lines[0] and "failed" in lines[0], lines[0]
        assert "embedded sample" in lines[-2], lines[-2]


# --- 14.3 ---------------------------------------------------------------------------------------
class FakeSync:
    def __init__(self) -> None:
        self.calls: list[dict] = []

    def __call__(self, *, slugs, watchlist, source, on_event, cancel):
        from ogptui.sync import SyncSummary

        self.calls.append({"slugs": slugs, "watchlist": watchlist})
        return SyncSummary(outcome="ok")


@pytest.mark.parametrize("start", ["list", "member"])
async def test_both_start_paths_check_the_source_and_sync_stale_data(start):
    """Bare `ogptui` (the members list) and `ogptui open peru` check the same way: the probe runs at once
    and the stale embedded sample is synced (every cached member from the list, the member when opened)."""
    probes: list[str] = []
    sync = FakeSync()
    app = make_app(slug="peru" if start == "member" else None, auto_sync=True, sync=sync,
                   probe=lambda source: probes.append(source) or True)  # fmt: skip
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: sync.calls, "the auto-sync", timeout=10)
        assert len(probes) == 1 and app.online is True
        expected = (
            {"slugs": ["peru"], "watchlist": False}
            if start == "member"
            else {"slugs": None, "watchlist": False}
        )
        assert sync.calls == [expected]
        assert "source not checked" not in text_of(app, "#status")


async def test_fresh_data_is_not_synced_but_the_source_is_checked_at_start():
    from ogptui.seed import open_store
    from tests.tuikit import fill_store

    with open_store() as s:
        fill_store(s)
    probes: list[str] = []
    sync = FakeSync()
    app = make_app(slug="testland", auto_sync=True, sync=sync, probe=lambda src: probes.append(src) or True)
    async with app.run_test(size=SIZE) as pilot:  # the fixed clock: testland was synced 3 h before it
        await wait_until(pilot, lambda: app.online is not None, "the probe", timeout=10)
        await pilot.pause(0.2)
    assert probes and sync.calls == []


# --- 14.5 ---------------------------------------------------------------------------------------
@pytest.fixture
def store():
    from ogptui.seed import open_store
    from tests.tuikit import fill_store

    s = open_store()
    fill_store(s)
    yield s
    s.close()


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_open_with_no_browser_says_so_and_offers_copy(store):
    app = make_app(store=store, slug="testland", open_url=lambda url: False)  # webbrowser.open's "no"
    copied: list[str] = []
    app.copy_to_clipboard = copied.append
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3", "o")
        await pilot.pause()
        (said,) = messages(app)
        assert said.startswith("No browser found") and "y to copy" in said and "Opening" not in said
        await pilot.press("y")
        assert copied == ["https://www.opengovpartnership.org/documents/testland-action-plan-2023-2025/"]


async def test_copy_does_not_claim_more_than_it_knows_and_http_links_copy(store):
    from ogptui.model import Resource

    m = store.get_member("testland")
    m.resources.append(Resource("Plain http page", 2024, "Letter", "Web page", "http://example.org/letter"))
    store.write_member(m)
    app = make_app(store=store, slug="testland", open_url=lambda url: True)
    copied: list[str] = []
    app.copy_to_clipboard = copied.append
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        table = app.screen.query_one("#resources-table")
        table.move_cursor(row=[c.plain for c in table.get_column("title")].index("Plain http page"))
        await pilot.press("y")
        assert copied == ["http://example.org/letter"]  # copying a cleaned http:// link is harmless
        assert (
            messages(app)[-1]
            == "Copied the resource link (if your terminal allows it): http://example.org/letter"
        )
        await pilot.press("o")  # opening stays restricted to https:// (or the configured source)
        await pilot.pause()
        assert messages(app)[-1].startswith("Not opened: only https:// links open")
        table.move_cursor(row=[c.plain for c in table.get_column("title")].index("Unsafe link"))
        await pilot.press("y")  # javascript: is never copied
        assert copied == ["http://example.org/letter"] and messages(app)[-1].startswith("Not copied")


# --- 14.8 ---------------------------------------------------------------------------------------
async def test_the_embedded_sample_counts_agree_everywhere():
    """Embedded Peru: the page says 13 commitments in the current plan and lists none. No screen says 0
    beside a 13."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        t = app.screen.query_one("#members-table")
        assert [c.plain for c in t.get_column("commitments")] == ["13 (not listed)"]
        await pilot.press("enter")
        await pilot.pause()
        overview = text_of(app, "#pane-overview-text")
        assert "Commitments listed  13 (not listed on the page)" in overview
        await pilot.press("2")
        await pilot.pause()
        info = text_of(app, "#commitments-count")
        assert "13 commitments" in info and "does not list them" in info


def test_cli_show_and_brief_counts_agree(capsys):
    from ogptui.cli.main import main

    assert main(["show", "peru"]) == 0
    out = capsys.readouterr().out
    assert (
        "Commitments (13 in the current plan, not listed on the page)" in out and "Commitments (0)" not in out
    )
    assert main(["show", "peru", "--format", "md"]) == 0
    md = capsys.readouterr().out
    assert "| Commitments in the cache | 13 (not listed on the page) |" in md
    assert "## Commitments (13 in the current plan, not listed on the page)" in md


# --- 14.9 ---------------------------------------------------------------------------------------
async def test_the_brief_goes_to_the_folder_where_shows(store, ogptui_home, tmp_path, monkeypatch, capsys):
    """With OGPTUI_HOME set, `e` writes inside it (never creating ~/Documents) and says where; `ogptui
    where` names the same folder."""
    import json

    from ogptui.cli.main import main

    fake_home = tmp_path / "user-home"
    fake_home.mkdir()
    monkeypatch.setenv("HOME", str(fake_home))
    monkeypatch.delenv("XDG_DOCUMENTS_DIR", raising=False)
    assert main(["where", "--json"]) == 0
    briefs = json.loads(capsys.readouterr().out)["briefs"]
    assert briefs == str(ogptui_home / "briefs")
    app = make_app(store=store, slug="testland")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.pause()
        (said,) = messages(app)
    written = list((ogptui_home / "briefs").glob("ogp-testland-brief-*.md"))
    assert len(written) == 1 and str(written[0]) in said
    assert not (fake_home / "Documents").exists()


# --- 14.10 --------------------------------------------------------------------------------------
async def test_palette_shows_the_short_name_with_the_description_under_it(store):
    from textual.command import CommandList

    app = make_app(store=store, slug="testland")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        await pilot.press(*"watch or unwatch")
        await pilot.pause(0.5)
        options = app.screen.query_one(CommandList).options
        first = str(options[0].prompt)
        lines = first.splitlines()
        assert lines[0].strip() == "Watch  (w)", lines
        assert lines[1].strip() == "Watch or unwatch this member", lines


async def test_toasts_do_not_cover_the_status_bar(store):
    from textual.widgets._toast import Toast

    app = make_app(store=store, slug="testland")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.notify("A long notification that takes several lines of the toast and would sit on the status "
                   "bar if it were docked at the bottom of the screen as Textual does by default.")  # fmt: skip
        await pilot.pause(0.3)
        toast = app.screen.query(Toast).first()
        status = app.screen.query_one("#status")
        assert toast.region.bottom <= status.region.y, (toast.region, status.region)
        assert "synced 3 h ago" in screen_lines(app)[0]
        assert "auto-sync" in screen_lines(app)[-2]  # the status bar line, whole


# --- Also: the README's numbers and keys match the code ----------------------------------------------
def test_readme_numbers_match_the_code():
    from pathlib import Path

    from ogptui import config
    from ogptui.source.client import Source
    from ogptui.tui.app import RECHECK_DELAYS

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    minutes = [int(d // 60) for d in RECHECK_DELAYS]
    assert (
        f"re-checks after {minutes[0]}, {minutes[1]}, {minutes[2]} and then every {minutes[3]} minutes"
        in readme
    )
    import inspect

    defaults = {k: v.default for k, v in inspect.signature(Source.__init__).parameters.items()}
    assert f"tried up to {defaults['attempts']} times" in readme
    assert f"When {defaults['offline_after']} pages in a row get no answer" in readme
    assert f"`stale_hours` ({config.Settings().stale_hours:g} by default" in readme


def test_readme_key_table_names_every_footer_key():
    from pathlib import Path

    from ogptui.tui.commands import COMMANDS, key_display

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("| key | where | action |") : readme.index("**Sync without thinking")]
    for c in COMMANDS:
        if c.show and c.scope != "lists":
            first = key_display(c.keys).split(" / ")[0]
            shown = {"esc": "`esc`", "enter": "`enter`", "?": "`?`"}.get(first, f"`{first}`")
            assert shown in table, (c.id, shown)
