"""The start-up path of the TUI (issue 19): each screen loads once before its first paint, and the cache
still reloads when it really changes."""

from __future__ import annotations

from ogptui.store import open_store
from ogptui.tui.screens.members import MembersScreen
from tests.test_tui_support import fill_store, make_app


async def test_members_list_loads_once_at_start_and_again_on_a_cache_change(ogptui_home, monkeypatch):
    loads: list[int] = []
    real = MembersScreen.reload

    def counting(self):
        loads.append(1)
        return real(self)

    monkeypatch.setattr(MembersScreen, "reload", counting)
    with open_store() as s:
        fill_store(s)
        app = make_app(s)
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            await pilot.pause()
            assert isinstance(app.screen, MembersScreen)
            assert len(loads) == 1  # was 2: Textual's initialisation of the app's reactives called the watcher
            app.cache_version += 1
            await pilot.pause()
            assert len(loads) == 2
