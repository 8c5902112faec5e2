"""The start-up path of the TUI (issue 19): each screen loads once before its first paint, and the cache
still reloads when it really changes."""

from __future__ import annotations

from ogptui.seed import open_store
from ogptui.tui.screens.members import MembersScreen
from tests.tuikit import fill_store, make_app


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


async def test_a_member_opened_at_start_reads_no_list_of_every_member(ogptui_home, monkeypatch):
    """`ogptui open SLUG` read the whole members list twice before its first paint (the embedded sample's
    date and the member's freshness), 20-40 ms each at 1,000 members; both are single-row queries now."""
    from ogptui.store import Store

    with open_store() as s:  # seeded: the embedded sample (Peru) is there too
        fill_store(s)
        embedded = [m.captured_at for m in s.list_members() if m.embedded]
        lists: list[str | None] = []
        real = Store.list_members

        def counting(self, slug=None):
            lists.append(slug)
            return real(self, slug)

        monkeypatch.setattr(Store, "list_members", counting)
        app = make_app(s, slug="testland")
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            await pilot.pause()
            assert app.screen.id != "members-screen"
            assert None not in lists
            assert app.embedded_captured == embedded[0] and embedded[0]


def test_single_member_freshness_equals_the_list(ogptui_home):
    from ogptui.store.store import Freshness

    with open_store() as s:
        fill_store(s)
        for m in s.list_members():
            assert s.freshness(m.slug) == Freshness(
                m.fetched_at, m.checked_at, m.last_error, m.failures, m.gone_at, m.embedded, m.captured_at,
                m.confirmed_at,
            )  # fmt: skip
            assert s.list_members(m.slug) == [m]
        assert s.freshness("nowhere") is None and s.list_members("nowhere") == []


async def test_objects_of_start_up_are_frozen_after_the_first_paint_and_unfrozen_at_exit(ogptui_home):
    import gc

    gc.unfreeze()
    with open_store() as s:
        fill_store(s)
        app = make_app(s)
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            await pilot.pause()
            assert gc.get_freeze_count() > 0  # out of the full collections' way
        assert gc.get_freeze_count() == 0  # a test run (or anything after the app) is not left frozen
