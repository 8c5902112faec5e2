"""The TUI's user layer (issue 16): every key (n, b, m, C, N, r, l, and the editor's ctrl+s / esc), marks,
the overview's notes, the Notes and Compare screens, a concurrent save, hostile note text; snapshots of the
Notes and Compare screens at 120x36 and 80x24."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Static, TextArea

from ogptui.notes import new_bookmark, new_note, parse_target
from ogptui.seed import open_store
from ogptui.store.notes import ANY_REV
from tests.fakesite.data import sample_member
from tests.tuikit import fill_store, make_app, notified, screen_lines

NOW = "2025-06-01T12:00:00.000Z"
SIZE = (120, 36)


@pytest.fixture
def store():
    s = open_store()
    fill_store(s, [sample_member(), sample_member("kenya", "Kenya"), sample_member("chile", "Chile")])
    yield s
    s.close()


def screen_text(app) -> str:
    """Everything the current screen's widgets show, as plain text."""
    parts = []
    for w in app.screen.query("*"):
        if isinstance(w, Static):
            parts.append(str(w.render()))
    return "\n".join(parts)


def table_cells(app, table_id: str) -> list[list[str]]:
    t = app.screen.query_one(f"#{table_id}")
    return [[str(c) for c in t.get_row_at(i)] for i in range(t.row_count)]


def messages(app) -> list[str]:
    return [n.message for n in notified(app)]


async def type_note(pilot, text: str) -> None:
    await pilot.pause()
    area = pilot.app.screen.query_one("#note-text", TextArea)
    area.insert(text)
    await pilot.press("ctrl+s")
    await pilot.pause()


async def test_n_on_the_overview_notes_the_member_and_the_overview_shows_it(store):
    app = make_app(store=store, slug="testland")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert type(app.screen).__name__ == "NoteEditor"
        await type_note(pilot, "Meet the coordinator\nsecond line [bold]x[/]")
        assert type(app.screen).__name__ == "MemberScreen"
        assert "Note on Testland saved." in messages(app)
        text = str(app.screen.query_one("#pane-overview-text", Static).render())
        assert "Your notes" in text and "Meet the coordinator" in text and "second line [bold]x[/]" in text
    assert store.notes.note("testland").text == "Meet the coordinator\nsecond line [bold]x[/]"


async def test_n_and_b_on_commitment_resource_and_contact_rows_show_marks(store):
    app = make_app(store=store, slug="testland")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("2", "j", "n")  # TL0002
        await type_note(pilot, "check the register")
        await pilot.pause()
        rows = table_cells(app, "commitments-table")
        assert rows[1][0] == "✎ TL0002" and rows[0][0] == "TL0001"
        await pilot.press("3", "j", "b")  # the second row of the timeline: a resource with a link
        await pilot.pause()
        titles = [r[1] for r in table_cells(app, "resources-table")]
        assert sum(t.startswith("⚑ ") for t in titles) == 1
        await pilot.press("b")  # again: removed
        await pilot.pause()
        assert not any(r[1].startswith("⚑") for r in table_cells(app, "resources-table"))
        await pilot.press("5", "n")
        await type_note(pilot, "call Ana")
        await pilot.press("b")
        await pilot.pause()
        assert table_cells(app, "contacts-table")[0][0] == "✎⚑ Ana Pérez"
    assert store.notes.note("contact:ana@example.gob").text == "call Ana"
    assert store.notes.note("testland/TL0002").text == "check the register"


async def test_b_on_a_resource_without_a_link_says_why(store):
    app = make_app(store=store, slug="testland")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        table = app.screen.query_one("#resources-table")
        row = next(i for i in range(table.row_count) if "Letter of Support" in str(table.get_row_at(i)[1]))
        table.move_cursor(row=row)
        await pilot.press("b", "n")
        await pilot.pause()
        assert sum("no link, so no stable key" in m for m in messages(app)) == 2
        assert type(app.screen).__name__ == "MemberScreen"


async def test_escape_in_the_editor_asks_before_discarding(store):
    app = make_app(store=store, slug="testland")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("escape")  # nothing typed: closes at once
        await pilot.pause()
        assert type(app.screen).__name__ == "MemberScreen"
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#note-text", TextArea).insert("draft")
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "Confirm"
        await pilot.press("n")  # keep editing
        await pilot.pause()
        assert type(app.screen).__name__ == "NoteEditor"
        assert app.screen.query_one("#note-text", TextArea).text == "draft"
        await pilot.press("escape", "y")  # discard
        await pilot.pause()
        assert type(app.screen).__name__ == "MemberScreen"
    assert store.notes.note("testland") is None


async def test_an_emptied_note_is_deleted_after_asking(store):
    store.notes.save(new_note(parse_target("testland", store), "old"), None, NOW)
    app = make_app(store=store, slug="testland")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#note-text", TextArea).clear()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "Confirm"
        await pilot.press("y")
        await pilot.pause()
    assert store.notes.note("testland") is None


@pytest.mark.parametrize("choice, expected", [
    ("k", ["saved by ogptui note", "mine"]),
    ("o", ["mine"]),
    ("d", ["saved by ogptui note"]),
    ("escape", ["saved by ogptui note", "mine"]),
])  # fmt: skip
async def test_a_note_saved_elsewhere_while_editing_is_never_lost(store, choice, expected):
    store.notes.save(new_note(parse_target("testland", store), "first"), None, NOW)
    app = make_app(store=store, slug="testland")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        with open_store() as other:  # `ogptui note testland ...` in another terminal, meanwhile
            other.notes.save(new_note(parse_target("testland", other), "saved by ogptui note"), ANY_REV, NOW)
        area = app.screen.query_one("#note-text", TextArea)
        area.clear()
        area.insert("mine")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "Conflict"
        assert "saved by ogptui note" in screen_text(app)
        await pilot.press(choice)
        await pilot.pause()
        assert type(app.screen).__name__ == "MemberScreen"
    assert [n.text for n in store.notes.notes_of("testland")] == expected


async def test_a_note_written_by_another_process_shows_up(store):
    app = make_app(store=store, slug="testland")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app._poll_data_version()  # the first look (make_app turns the timer off)
        with open_store() as other:
            other.notes.save(new_note(parse_target("testland/TL0001", other), "from the CLI"), None, NOW)
        app._poll_data_version()
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        assert table_cells(app, "commitments-table")[0][0] == "✎ TL0001"


async def test_notes_screen_lists_filters_jumps_edits_and_deletes(store):
    store.notes.save(new_note(parse_target("testland/TL0001", store), "ask about the delay"), None, NOW)
    store.notes.save(new_note(parse_target("kenya", store), "kenya note"), None, NOW)
    store.notes.add_bookmark(new_bookmark(parse_target("chile", store)), NOW)
    app = make_app(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("N")
        await pilot.pause()
        assert type(app.screen).__name__ == "NotesScreen"
        rows = table_cells(app, "notes-table")
        assert [r[0] for r in rows] == ["Chile", "Kenya", "Testland"]  # grouped by member
        assert rows[0][4] == "bookmark only"
        await pilot.press("slash", *"delay", "enter")
        await pilot.pause()
        assert len(table_cells(app, "notes-table")) == 1
        await pilot.press("enter")  # jump: the commitment's detail over its member
        await pilot.pause()
        assert type(app.screen).__name__ == "CommitmentScreen" and app.screen.commitment_id == "TL0001"
        await pilot.press("n")  # the commitment screen's n edits the same note
        await pilot.pause()
        assert app.screen.query_one("#note-text", TextArea).text == "ask about the delay"
        await pilot.press("escape", "escape", "escape")  # editor, commitment, member: back to the notes
        await pilot.pause()
        assert type(app.screen).__name__ == "NotesScreen" and len(table_cells(app, "notes-table")) == 1
        await pilot.press("escape")  # close them; N opens them afresh, unfiltered
        await pilot.pause()
        await pilot.press("N")
        await pilot.pause()
        assert len(table_cells(app, "notes-table")) == 3
        await pilot.press("d")
        await pilot.pause()
        assert type(app.screen).__name__ == "Confirm"
        await pilot.press("y")
        await pilot.pause()
        assert len(table_cells(app, "notes-table")) == 2
    assert store.notes.bookmark("chile") is None  # the first row (Chile's bookmark) was deleted


async def test_a_note_on_a_gone_target_is_kept_and_says_so(store):
    store.notes.save(new_note(parse_target("testland/TL0004", store), "water portal"), None, NOW)
    m = sample_member()
    m.commitments = m.commitments[:3]
    store.write_member(m)
    app = make_app(store=store, slug="testland")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "target gone from site" in str(app.screen.query_one("#pane-overview-text", Static).render())
        await pilot.press("N")
        await pilot.pause()
        assert "(target gone from site) water portal" in table_cells(app, "notes-table")[0][4]
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "MemberScreen"
        assert any("target gone from site" in m for m in messages(app))


async def test_search_finds_notes_and_enter_opens_the_target(store):
    store.notes.save(new_note(parse_target("testland/TL0002", store), "ask about the delay"), None, NOW)
    app = make_app(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+f", *"delay")
        await pilot.pause(0.1)
        assert [h.kind for h in app.screen.hits] == ["note"]
        assert "Your notes (1)" in str(app.screen.query_one("#search-results").get_option_at_index(0).prompt)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert type(app.screen).__name__ == "CommitmentScreen" and app.screen.commitment_id == "TL0002"


async def test_members_list_keys_note_bookmark_mark_compare_region_level(store):
    store.cache.execute("UPDATE members SET level = 'local' WHERE slug = 'chile'")
    app = make_app(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        names = [r[1] for r in table_cells(app, "members-table")]
        assert names == ["Chile", "Kenya", "Peru", "Testland"]
        await pilot.press("n")
        await type_note(pilot, "chile note")
        await pilot.press("b")
        await pilot.pause()
        assert table_cells(app, "members-table")[0][1] == "✎⚑ Chile"
        await pilot.press("m", "j", "m")
        await pilot.pause()
        assert app.marked == ["chile", "kenya"] and table_cells(app, "members-table")[1][1] == "▸ Kenya"
        assert app.screen.query_one("#members-groups").display is False
        await pilot.press("r", "r", "r")  # All → Africa and the Middle East → Asia and the Pacific → Americas
        await pilot.pause()
        assert app.screen.region_filter == "Americas"
        assert [r[1] for r in table_cells(app, "members-table")] == ["✎⚑▸ Chile", "Peru"]
        groups = str(app.screen.query_one("#members-groups", Static).render())
        assert "[Americas 2]" in groups and "Africa and the Middle East 1" in groups and "unknown region 1" in groups
        await pilot.press("r")  # on to Europe: nobody (0), an empty list
        await pilot.pause()
        assert table_cells(app, "members-table") == []
        await pilot.press("r", "r")  # Europe → unknown region → All regions (the cycle wraps)
        await pilot.pause()
        assert app.screen.region_filter is None
        await pilot.press("slash", *"americas", "enter")  # the filter box knows regions too
        await pilot.pause()
        assert [r[1] for r in table_cells(app, "members-table")] == ["✎⚑▸ Chile", "Peru"]
        await pilot.press("l")  # national only
        await pilot.pause()
        assert [r[1] for r in table_cells(app, "members-table")] == ["Peru"]
        assert "[national 3]" in str(app.screen.query_one("#members-groups", Static).render())  # of all regions
        await pilot.press("C")
        await pilot.pause()
        assert type(app.screen).__name__ == "CompareScreen"
        assert app.screen.query_one("#compare-input", Input).value == "chile kenya"
        assert [m.slug for m in app.screen.comparison.members] == ["chile", "kenya"]
        await pilot.press("slash")
        await pilot.pause()
        box = app.screen.query_one("#compare-input", Input)
        box.value = "testland region:africa nosuch"
        await pilot.press("enter")
        await pilot.pause()
        assert [m.slug for m in app.screen.comparison.members] == ["testland", "kenya"]
        assert "nosuch (not cached)" in str(app.screen.query_one("#compare-info", Static).render())
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "MembersScreen"
    assert store.notes.note("chile").text == "chile note"


async def test_compare_from_a_member_with_fewer_than_two_says_what_to_do(store):
    app = make_app(store=store, slug="kenya")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("C")
        await pilot.pause()
        assert type(app.screen).__name__ == "CompareScreen"
        assert app.screen.comparison is None
        assert "at least two members" in str(app.screen.query_one("#compare-text", Static).render())


async def test_resource_modal_n_and_b(store):
    app = make_app(store=store, slug="testland")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("3", "enter")  # the newest resource, with a link
        await pilot.pause()
        assert type(app.screen).__name__ == "ResourceScreen"
        await pilot.press("b", "n")
        await type_note(pilot, "read before the meeting")
    (b,) = store.notes.bookmarks()
    assert b.kind == "document" and b.target.startswith("doc:")
    assert store.notes.note(b.target).text == "read before the meeting"


async def test_hostile_note_text_renders_literally(store):
    hostile = "[@click=app.quit]quit[/] [bold red]loud[/] \x1b]0;title\x07 \x1b[2J tail"
    store.notes.save(new_note(parse_target("testland", store), hostile), None, NOW)
    store.user.execute("UPDATE notes SET text = text || ' \x1b[31mraw'")  # a bad value by another door
    app = make_app(store=store, slug="testland")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = str(app.screen.query_one("#pane-overview-text", Static).render())
        assert "[@click=app.quit]quit[/] [bold red]loud[/]" in text and "\x1b" not in text
        await pilot.press("N")
        await pilot.pause()
        assert "\x1b" not in "".join(c for r in table_cells(app, "notes-table") for c in r)
        await pilot.click("#notes-table")
        await pilot.press("n")
        await pilot.pause()
        assert "\x1b" not in app.screen.query_one("#note-text", TextArea).text
        assert app.is_running


def test_every_new_key_is_in_the_one_command_list():
    from ogptui.tui.commands import COMMANDS

    keys = {(c.scope, c.keys) for c in COMMANDS}
    for scope, key in [("app", "N"), ("app", "C"), ("members", "n"), ("members", "b"), ("members", "m"),
                       ("members", "r"), ("members", "l"), ("member", "n"), ("member", "b"), ("commitment", "n"),
                       ("commitment", "b"), ("resource", "n"), ("resource", "b"), ("notes", "d"),
                       ("note", "ctrl+s"), ("note", "escape")]:  # fmt: skip
        assert (scope, key) in keys


# ---- snapshots -----------------------------------------------------------------------------------
@pytest.fixture
def noted(store):
    s = store
    s.notes.save(new_note(parse_target("testland/TL0001", s), "Ask about the delay of the works portal."), None, NOW)
    s.notes.save(new_note(parse_target("testland", s), "Coordinator changed in March.\nBring the 2023 report."),
                 None, NOW)  # fmt: skip
    s.notes.save(new_note(parse_target("kenya", s), "[@click=app.quit]literal[/] markup stays text"), None, NOW)
    s.notes.add_bookmark(new_bookmark(parse_target("testland-design-report-2019-2021", s)), NOW)
    s.notes.add_bookmark(new_bookmark(parse_target("chile", s)), NOW)
    return s


@pytest.mark.parametrize("size", [SIZE, (80, 24)], ids=["120x36", "80x24"])
def test_snapshot_notes_screen(snap_compare, noted, size):
    assert snap_compare(make_app(store=noted), press=["N"], terminal_size=size)


@pytest.mark.parametrize("size", [SIZE, (80, 24)], ids=["120x36", "80x24"])
def test_snapshot_compare_screen(snap_compare, store, size):
    app = make_app(store=store)
    app.marked = ["testland", "kenya", "chile"]
    assert snap_compare(app, press=["C"], terminal_size=size)


def test_snapshot_overview_with_notes(snap_compare, noted):
    assert snap_compare(make_app(store=noted, slug="testland"), terminal_size=SIZE)


async def test_e_writes_a_brief_with_the_users_notes_and_bookmarks(store, tmp_path, monkeypatch):
    store.notes.save(new_note(parse_target("testland/TL0001", store), "# ask about [the delay](x)"), None, NOW)
    store.notes.add_bookmark(new_bookmark(parse_target("testland-results-report", store)), NOW)
    app = make_app(store=store, slug="testland")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
    (brief,) = store.paths.briefs.glob("ogp-testland-brief-*.md")
    text = brief.read_text(encoding="utf-8")
    assert "## Your notes" in text and "> \\# ask about \\[the delay\\](x)" in text  # the user's, escaped
    assert "## Your bookmarks" in text and "Testland Results Report 2019-2022" in text


@pytest.mark.slow
async def test_done_when_open_shows_the_mark_and_the_overview_note(fake_site, ogptui_home):
    """Sync a member, `ogptui note SLUG/ID ...`, then `ogptui open SLUG`: the mark on the commitment and the
    note on the overview."""
    from ogptui.cli import main
    from ogptui.sync import run_sync

    with open_store() as s:
        await run_sync(s, slugs=["peru"], source=fake_site.url, source_options={"delay": 0})
    assert main(["note", "peru/PE0110", "ask about the delay"]) == 0
    with open_store() as s:
        app = make_app(store=s, slug="peru")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            overview = str(app.screen.query_one("#pane-overview-text", Static).render())
            assert "Your notes" in overview and "ask about the delay" in overview
            await pilot.press("2")
            await pilot.pause()
            (row,) = [r for r in table_cells(app, "commitments-table") if "PE0110" in r[0]]
            assert row[0] == "✎ PE0110"


@pytest.mark.parametrize("words, screen", [("your notes", "NotesScreen"), ("compare the members", "CompareScreen")])
async def test_notes_and_compare_are_in_the_command_palette(store, words, screen):
    app = make_app(store=store, slug="testland")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*words)
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert type(app.screen).__name__ == screen


async def test_region_and_level_bars_keep_the_active_choice_on_screen_at_80_columns(store):
    """Six regions and their counts do not fit 80 columns: each bar is its own line, scrolled to the choice."""
    app = make_app(store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for expected in ("Americas", "Europe"):  # the third and the fifth choice
            while app.screen.region_filter != expected:
                await pilot.press("r")
                await pilot.pause()
            region_line, level_line = str(app.screen.query_one("#members-groups", Static).render()).split("\n")
            assert region_line.startswith("r ") and f"[{expected} " in region_line and len(region_line) <= 78
            assert level_line.startswith("l ") and "[All levels " in level_line
            shown = screen_lines(app)  # what the terminal shows
            assert any(f"[{expected} " in line for line in shown) and any("[All levels " in line for line in shown)
