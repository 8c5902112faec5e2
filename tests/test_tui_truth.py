"""Issue 14: the TUI tells the truth — freshness after a failed sync (14.1), a first run that checks the
source (14.3), quitting during a sync (14.4), honest open and copy (14.5), the embedded sample's counts
(14.8), the palette and toasts (14.10)."""

from __future__ import annotations

import socket
import time

import pytest
from textual.widgets import Static

from tests.test_tui_support import make_app, screen_lines

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
