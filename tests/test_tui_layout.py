"""Issue 14.6: nothing clipped at common sizes. At 80x24, 100x30, 120x36 and 160x48, on every member tab:
the header keeps its freshness, all seven tabs are on screen, the footer keeps help, search and quit, the
tables do not scroll sideways (the email whole), and the Resources type bar shows the selected type and the
count whatever type `t` selects. The snapshots of these screens are in tests/test_tui_snapshots.py."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from ogptui.model import Contact, Resource
from ogptui.seed import open_store
from ogptui.tui import tables
from ogptui.tui.tables import Column
from tests.fakesite.data import sample_member
from tests.tuikit import fill_store, make_app, screen_lines

SIZES = [(80, 24), (100, 30), (120, 36), (160, 48)]
TYPES = ["IRM Report", "Report Comments", "Action Plan", "Letter", "Self Assessment", "Research Product",
         "Case Study", "Mid-Term Report", "End-of-Term Report"]  # fmt: skip


def crowded_member():
    """Testland with nine resource types, a long contact role and email, a long name and a failed sync."""
    m = sample_member()
    m.name = "Testland, Autonomous Region of the Northern Highlands"
    m.resources += [Resource(f"{t} of Testland 2019-2021, with a long title", 2019 + n % 4, t, "Web page",
                             None) for n, t in enumerate(TYPES)]  # fmt: skip
    m.contacts.append(Contact("María Fernanda de la Torre Villanueva",
                              "Director General of Open Government, Secretariat of Public Administration",
                              "maria.fernanda.delatorre@presidencia.gob.example", "civil society"))  # fmt: skip
    return m


def crowded_store():
    """A store with the crowded Testland whose last sync failed (the layout, i18n and snapshot tests)."""
    s = open_store()
    fill_store(s, [crowded_member()])
    s.note_http(crowded_member().source_url, kind="member", member_slug="testland", failures=1,
                last_error="cannot connect to www.opengovpartnership.org after 4 tries")  # fmt: skip
    return s


@pytest.fixture
def store():
    s = crowded_store()
    yield s
    s.close()


def tables_fit(app) -> list[str]:
    """Tables that would scroll sideways (wider than the room they have)."""
    out = []
    for t in app.screen.query(DataTable):
        room = t.scrollable_content_region.width
        if room and t.virtual_size.width > room:  # (a table on a hidden tab has no room at all)
            out.append(f"{t.id}: {t.virtual_size.width} > {t.scrollable_content_region.width}")
    return out


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
async def test_every_tab_fits(store, size):
    app = make_app(store=store, slug="testland")
    async with app.run_test(size=size) as pilot:
        for key in "1234567":
            await pilot.press(key)
            await pilot.pause()
            lines = screen_lines(app)
            where = f"{size} tab {key}"
            assert "sync failed" in lines[0] or "failed last sync" in lines[0], (where, lines[0])
            assert "synced 3 h ago" in lines[0], (where, lines[0])  # the age of the data, whole
            assert "1 Overview" in lines[1] and "7 Posts" in lines[1], (where, lines[1])
            assert "? Help" in lines[-1] and "^f Search" in lines[-1] and "q Quit" in lines[-1], (
                where,
                lines[-1],
            )
            assert "auto-sync" in lines[-2] or "auto " in lines[-2], (where, lines[-2])
            assert not tables_fit(app), (where, tables_fit(app))
            if key == "5":
                assert any("maria.fernanda.delatorre@presidencia.gob.example" in line for line in lines), (
                    where
                )


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
async def test_the_type_bar_shows_every_selection(store, size):
    app = make_app(store=store, slug="testland")
    async with app.run_test(size=size) as pilot:
        await pilot.press("3")
        await pilot.pause()
        pane = app.screen.active_pane()
        for _ in range(len(pane.types())):
            await pilot.press("t")
            await pilot.pause()
            want = pane.current_type or "All"
            bar = next(line for line in screen_lines(app) if line.startswith(" t "))
            assert f"[{want} " in bar, (size, want, bar)
            if pane.current_type is not None:
                assert "showing" in bar, (size, bar)


def test_fit_columns_shrinks_titles_first_then_hides():
    cols = (Column("id", "ID"), Column("title", "Title", min=24, grow=True), Column("area", "Area", cap=12),
            Column("more", "More", min=6, drop=1))  # fmt: skip
    natural = {"id": 6, "title": 60, "area": 30, "more": 10}
    wide = {c.key: w for c, _, w in tables.fit_columns(cols, natural, 200)}
    assert wide == natural  # room enough: nothing clipped
    mid = {c.key: w for c, _, w in tables.fit_columns(cols, natural, 80)}
    assert mid["area"] == 12 and mid["id"] == 6 and mid["more"] == 10 and mid["title"] == 80 - 8 - 6 - 12 - 10
    narrow = {c.key: w for c, _, w in tables.fit_columns(cols, natural, 52)}
    assert (
        "more" not in narrow and narrow["title"] >= 24
    )  # a column goes before the title drops below its min
