"""Notes and bookmarks (issue 16): stable target keys, revisions and conflicts, cleaning, merges, backups,
restore, and notes surviving re-syncs, gone members, cache rebuilds and bundles."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest

from ogptui import config
from ogptui.bundle import export_bundle, import_bundle
from ogptui.model import Member, Note
from ogptui.notes import (
    GONE,
    HERE,
    UNCACHED,
    Target,
    TargetError,
    describe,
    entries,
    kind_of_key,
    member_notes,
    new_bookmark,
    new_note,
    parse_target,
)
from ogptui.notes_files import export_json, export_markdown, import_notes, parse_notes_data
from ogptui.seed import open_store
from ogptui.store import StoreError
from ogptui.store import backup as backup_mod
from ogptui.store import db as dbmod
from ogptui.store.notes import ANY_REV, NoteConflict
from ogptui.store.schema import USER_MIGRATIONS, _user_v1
from tests.fakesite.data import sample_member
from tests.tuikit import fill_store

NOW = "2025-06-01T12:00:00.000Z"
HOSTILE = "\x1b]0;pwned\x07line one [bold]x[/] [@click=app.quit]q[/]\r\nline\u202e two \x9b31m\x1b[2J end"


@pytest.fixture
def store(sample_store):
    """Peru (embedded) and Testland: the shared sample (tests/conftest.py)."""
    return sample_store


def key(store, text: str) -> tuple[str, str]:
    t = parse_target(text, store)
    return t.kind, t.key


# ---- targets --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "typed, kind, stored",
    [
        ("testland", "member", "testland"),
        ("TestLand", "member", "testland"),
        ("testland/tl0001", "commitment", "testland/TL0001"),
        ("https://www.opengovpartnership.org/members/testland/commitments/TL0002/", "commitment", "testland/TL0002"),
        ("https://www.opengovpartnership.org/members/testland/", "member", "testland"),
        ("testland-design-report-2019-2021", "document", "doc:testland-design-report-2019-2021"),
        ("doc:testland-action-plan-2023-2025", "document", "doc:testland-action-plan-2023-2025"),
        (
            "https://www.opengovpartnership.org/documents/testland-results-report/",
            "document",
            "doc:testland-results-report",
        ),
        ("https://example.org/c", "document", "doc:https://example.org/c"),
        ("ana@example.gob", "contact", "contact:ana@example.gob"),
        ("testland/ANA@example.gob", "contact", "contact:ana@example.gob"),
        ("contact:testland/Civic Forum", "contact", "contact:testland/Civic Forum"),
    ],
)
def test_targets_parse_to_stable_keys_and_are_found(store, typed, kind, stored):
    t = parse_target(typed, store)
    assert (t.kind, t.key) == (kind, stored)
    assert t.member == "testland" and t.title  # the cache says whose it is and what it is called
    assert describe(store, t)[1] == HERE
    assert kind_of_key(t.key) == kind  # the same key read back from a file is understood


@pytest.mark.parametrize(
    "typed, says",
    [
        ("", "give a target"),
        ("two words", "is not a target"),
        ("testland/not-an-id", "is not a commitment ID"),
        ("testland/TL9999", "no commitment 'testland/TL9999'"),
        ("nosuchland", "no member, document or note 'nosuchland'"),
        ("ftp://example.org/x", "not an http(s) address"),
        ("javascript:alert(1)", "is not a target"),
        ("contact:testland", "a contact is EMAIL or contact:SLUG/NAME"),
        ("nosuch/AB0001", "no member 'nosuch' in the cache"),
    ],
)
def test_bad_or_unknown_targets_are_one_clear_sentence(store, typed, says):
    with pytest.raises(TargetError) as e:
        parse_target(typed, store)
    assert says in str(e.value) and "\n" not in str(e.value)


def test_kind_of_key_refuses_what_is_not_a_key():
    for bad in ("", "a b", "doc:", "doc:ftp://x/y", "contact:", "peru/pe0084", "x" * 3000, "peru\x1b[2J"):
        assert kind_of_key(bad) is None, bad


# ---- saving, revisions, conflicts ----------------------------------------------------------------
def test_save_read_replace_with_revisions_and_conflicts(store):
    t = parse_target("testland/TL0001", store)
    first = store.notes.save(new_note(t, "ask about the delay"), None, NOW)
    assert (first.rev, first.text, first.kind, first.member_slug) == (1, "ask about the delay", "commitment", "testland")
    second = store.notes.save(new_note(t, "ask about the delay\nand the budget"), 1, "2025-06-01T12:01:00.000Z")
    assert second.rev == 2 and second.created_at == NOW and second.updated_at > NOW
    # a save that read revision 1 (an editor opened before the second save) is refused, not applied
    with pytest.raises(NoteConflict) as e:
        store.notes.save(new_note(t, "stale edit"), 1, NOW)
    assert e.value.current is not None and e.value.current.text.endswith("budget")
    with pytest.raises(NoteConflict):  # "there was no note" while there is one
        store.notes.save(new_note(t, "new"), None, NOW)
    assert store.notes.note(t.key).text == "ask about the delay\nand the budget"
    # deleted elsewhere: the save that read revision 2 is told so
    assert store.notes.delete(t.key) == 1
    with pytest.raises(NoteConflict) as e:
        store.notes.save(new_note(t, "after delete"), 2, NOW)
    assert e.value.current is None
    assert store.notes.save(new_note(t, "replace whatever"), ANY_REV, NOW).text == "replace whatever"


def test_same_text_saved_again_is_not_a_new_revision(store):
    t = parse_target("testland", store)
    store.notes.save(new_note(t, "x"), None, NOW)
    assert store.notes.save(new_note(t, "x"), 1, NOW).rev == 1


def test_note_text_is_cleaned_keeps_lines_and_markup_literally(store):
    t = parse_target("testland", store)
    saved = store.notes.save(new_note(t, HOSTILE), None, NOW)
    assert saved.text == "line one [bold]x[/] [@click=app.quit]q[/]\nline two end"
    stored = store.user.execute("SELECT text FROM notes").fetchone()[0]
    assert stored == saved.text


def test_empty_note_is_refused(store):
    t = parse_target("testland", store)
    with pytest.raises(ValueError):
        store.notes.save(new_note(t, " \n\x1b[2J \t "), None, NOW)
    assert store.notes.notes() == []


def test_a_failure_in_the_middle_of_a_save_leaves_the_old_note(store, monkeypatch):
    t = parse_target("testland", store)
    store.notes.save(new_note(t, "old text"), None, NOW)
    real = store.user.query
    calls = {"n": 0}

    def failing_query(sql, params=()):
        calls["n"] += 1
        if calls["n"] == 2:  # after the UPDATE ran, inside the transaction
            raise sqlite3.OperationalError("disk I/O error (injected)")
        return real(sql, params)

    monkeypatch.setattr(store.user, "query", failing_query)
    with pytest.raises(sqlite3.OperationalError):
        store.notes.save(new_note(t, "new text"), 1, NOW)
    monkeypatch.setattr(store.user, "query", real)
    assert not store.user.in_transaction
    assert store.notes.note(t.key).text == "old text" and store.notes.note(t.key).rev == 1
    assert [r[0] for r in store.user.execute("SELECT text FROM notes_fts WHERE notes_fts MATCH 'old'")] == ["old text"]


def test_conflict_copies_are_kept_beside_the_note(store):
    t = parse_target("testland", store)
    store.notes.save(new_note(t, "mine"), None, NOW)
    copy = store.notes.add_copy(new_note(t, "theirs"), "test", NOW)
    assert copy.copy == 1 and copy.origin == "test"
    assert [n.text for n in store.notes.notes_of(t.key)] == ["mine", "theirs"]
    assert store.notes.drop_copies(t.key) == 1
    assert [n.text for n in store.notes.notes_of(t.key)] == ["mine"]


def test_bookmarks_add_once_and_remove(store):
    t = parse_target("testland-design-report-2019-2021", store)
    assert store.notes.add_bookmark(new_bookmark(t), NOW) is True
    assert store.notes.add_bookmark(new_bookmark(t), NOW) is False
    b = store.notes.bookmark(t.key)
    assert (b.kind, b.member_slug, b.title) == ("document", "testland", "Testland Design Report 2019-2021")
    assert store.notes.marks([t.key, "testland"]) == {t.key: (False, True)}
    assert store.notes.remove_bookmark(t.key) is True and store.notes.remove_bookmark(t.key) is False


# ---- merging (import files and bundles) ------------------------------------------------------------
def _note(target: str, text: str, updated: str, kind: str = "member") -> Note:
    return Note(target=target, kind=kind, member_slug=target.split("/")[0], title=None, text=text,
                created_at=updated, updated_at=updated)  # fmt: skip


def test_merge_adds_skips_same_and_keeps_both_on_conflict(store):
    t = parse_target("testland", store)
    store.notes.save(new_note(t, "local text"), None, "2025-06-01T10:00:00.000Z")
    incoming = [
        _note("testland", "newer remote text", "2025-06-02T10:00:00.000Z"),  # newer: becomes the note
        _note("norland", "a note on another member", "2025-05-01T10:00:00.000Z"),
    ]
    result = import_notes(store, incoming, [new_bookmark(t)], "import of a.json", NOW)
    assert (result.added, result.conflicts, result.same, result.bookmarks) == (1, 1, 0, 1)
    texts = [(n.copy, n.text) for n in store.notes.notes_of("testland")]
    assert texts == [(0, "newer remote text"), (1, "local text")]  # never a silent overwrite
    # the same file again changes nothing (its texts are all here already)
    again = import_notes(store, incoming, [new_bookmark(t)], "import of a.json", NOW)
    assert (again.added, again.conflicts, again.same, again.bookmarks) == (0, 0, 2, 0)
    # an older different text is kept as a copy, the note stays
    older = import_notes(store, [_note("testland", "ancient", "2020-01-01T00:00:00Z")], [], "old.json", NOW)
    assert older.conflicts == 1
    assert [(n.copy, n.text) for n in store.notes.notes_of("testland")][0] == (0, "newer remote text")
    assert store.notes.notes_of("testland")[-1].origin == "old.json"


def test_merge_is_one_transaction(store, monkeypatch):
    from ogptui.store.notes import UserNotes

    t = parse_target("testland", store)
    store.notes.save(new_note(t, "local"), None, NOW)
    before = store.notes.counts()

    def boom(*a, **k):
        raise sqlite3.OperationalError("disk full (injected)")

    monkeypatch.setattr(UserNotes, "_insert_copy", staticmethod(boom))
    with pytest.raises(sqlite3.OperationalError):  # the first note is added, the conflict then fails
        import_notes(store, [_note("norland", "new", NOW), _note("testland", "different", NOW)], [], "x", NOW)
    assert store.notes.counts() == before
    assert store.notes.notes_of("norland") == []


def test_export_json_round_trips_and_files_are_checked(store):
    t = parse_target("testland/TL0001", store)
    store.notes.save(new_note(t, "line 1\nline 2"), None, NOW)
    store.notes.add_bookmark(new_bookmark(parse_target("ana@example.gob", store)), NOW)
    import json

    data = json.loads(export_json(store))
    notes, books, skipped = parse_notes_data(data, "x.json")
    assert [(n.target, n.text, n.kind) for n in notes] == [("testland/TL0001", "line 1\nline 2", "commitment")]
    assert [(b.target, b.kind) for b in books] == [("contact:ana@example.gob", "contact")]
    assert skipped == 0
    data["notes"] += [
        {"target": "not a key", "text": "x"},
        {"target": "peru", "text": ""},
        {"target": "peru", "text": 5},
        "junk",
        {"target": "peru", "text": HOSTILE, "updated_at": "2099-01-01T00:00:00Z"},
    ]
    notes, _, skipped = parse_notes_data(data, "x.json")
    assert skipped == 4
    assert notes[-1].text.startswith("line one") and notes[-1].updated_at is None  # future time: unknown
    for bad, says in [({"format": "other"}, "not an ogptui notes file"), ({"format": "ogptui-notes", "version": 9},
                                                                            "newer ogptui")]:  # fmt: skip
        with pytest.raises(TargetError, match=says):
            parse_notes_data(bad, "x.json")


def test_markdown_export_keeps_hostile_text_literal(store):
    t = parse_target("testland", store)
    store.notes.save(new_note(t, "# not a heading\n[link](javascript:x) | pipe"), None, NOW)
    md = export_markdown(store)
    assert "> \\# not a heading" in md and "\\[link\\](javascript:x) \\| pipe" in md
    assert "## Testland" in md


# ---- what a note's target is, over time ----------------------------------------------------------
def test_notes_survive_resync_removal_and_a_gone_member(store):
    c = parse_target("testland/TL0004", store)
    m = parse_target("testland", store)
    store.notes.save(new_note(c, "ask about the water portal"), None, NOW)
    store.notes.save(new_note(m, "member note"), None, NOW)
    # a re-sync rewrites the member with a new title for TL0004: the note follows the ID, with the new title
    changed = sample_member()
    changed.commitments[3].title = "Water data portal (renamed)"
    store.write_member(changed)
    target, state = describe(store, c)
    assert state == HERE and target.title == "TL0004 Water data portal (renamed)"
    # the site drops TL0004: the note stays, marked gone
    dropped = sample_member()
    dropped.commitments = dropped.commitments[:3]
    store.write_member(dropped)
    (entry,) = [e for e in entries(store) if e.target.key == "testland/TL0004"]
    assert entry.state == GONE and entry.state_text() == "target gone from site"
    assert entry.note.text == "ask about the water portal"
    # the member itself goes (two 404s)
    url = "https://www.opengovpartnership.org/members/testland/"
    store.note_http(url, kind="member", member_slug="testland")
    store.record_not_found(url, "testland", 404)
    store.record_not_found(url, "testland", 404)
    assert describe(store, m)[1] == GONE
    assert {e.note.text for e in entries(store) if e.note} == {"ask about the water portal", "member note"}


def test_notes_survive_a_corrupt_cache_being_rebuilt(ogptui_home):
    with open_store() as s:
        fill_store(s)
        s.notes.save(new_note(parse_target("testland/TL0001", s), "keep me"), None, NOW)
    (ogptui_home / "cache.db").write_bytes(b"\x00not a database\x00" * 600)
    for side in ("cache.db-wal", "cache.db-shm"):
        (ogptui_home / side).unlink(missing_ok=True)
    with open_store() as s:
        assert any("damaged" in n for n in s.notices)
        assert s.get_member("testland") is None  # rebuilt from the embedded sample only
        (entry,) = entries(s)
        assert entry.note.text == "keep me" and entry.state == UNCACHED
        assert entry.target.title == "TL0001 Open contracting for public works"  # remembered at save time
        fill_store(s)  # synced again: found again
        assert describe(s, parse_target("testland/TL0001", s))[1] == HERE


def test_bundles_carry_notes_only_when_asked(tmp_path, ogptui_home, monkeypatch):
    with open_store() as s:
        fill_store(s)
        s.notes.save(new_note(parse_target("testland", s), "private note"), None, NOW)
        s.notes.add_bookmark(new_bookmark(parse_target("testland/TL0002", s)), NOW)
        plain = export_bundle(s, tmp_path / "plain.bundle")
        carried = export_bundle(s, tmp_path / "notes.bundle", with_notes=True)
    assert "notes" not in plain.manifest and carried.manifest["notes"]["notes"] == 1
    import zipfile

    assert "notes.json" not in zipfile.ZipFile(tmp_path / "plain.bundle").namelist()
    monkeypatch.setenv("OGPTUI_HOME", str(tmp_path / "other"))
    with open_store() as s:
        report = import_bundle(s, tmp_path / "notes.bundle")
        assert s.notes.notes() == [] and "not merged" in report.text()
        report = import_bundle(s, tmp_path / "notes.bundle", with_notes=True)
        assert [n.text for n in s.notes.notes()] == ["private note"]
        assert [b.target for b in s.notes.bookmarks()] == ["testland/TL0002"]
        assert "1 notes added" in report.text()


def test_a_bundle_with_altered_notes_is_refused_whole(tmp_path, ogptui_home, monkeypatch):
    import zipfile

    from ogptui.bundle import BundleError

    with open_store() as s:
        fill_store(s)
        s.notes.save(new_note(parse_target("testland", s), "note"), None, NOW)
        export_bundle(s, tmp_path / "n.bundle", with_notes=True)
    src = zipfile.ZipFile(tmp_path / "n.bundle")
    with zipfile.ZipFile(tmp_path / "bad.bundle", "w") as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "notes.json":
                data = data.replace(b"note", b"nite")
            out.writestr(info, data)
    monkeypatch.setenv("OGPTUI_HOME", str(tmp_path / "other"))
    with open_store() as s:
        before = s.counts()
        with pytest.raises(BundleError, match="checksum"):
            import_bundle(s, tmp_path / "bad.bundle", with_notes=True)
        assert s.counts() == before and s.notes.notes() == []


def test_member_notes_for_the_overview_and_brief(store):
    store.notes.save(new_note(parse_target("testland/TL0001", store), "n1"), None, NOW)
    store.notes.add_bookmark(new_bookmark(parse_target("testland-design-report-2019-2021", store)), NOW)
    store.notes.save(new_note(Target("member", "norland", "norland"), "other member"), None, NOW)
    notes, books = member_notes(store, "testland")
    assert [e.note.text for e in notes] == ["n1"]
    assert [e.target.key for e in books] == ["doc:testland-design-report-2019-2021"]


# ---- user.db: migration, backups, damage, restore -------------------------------------------------
def test_v1_user_db_rows_carry_over_to_v2_with_a_backup_first(ogptui_home):
    ogptui_home.mkdir(parents=True, exist_ok=True)
    path = ogptui_home / "user.db"
    db = dbmod.connect(path, synchronous="FULL")
    dbmod.migrate(db, [_user_v1], dbmod.USER_APP_ID)
    db.execute("INSERT INTO notes VALUES ('peru', '', 'member note', '2024-01-01T00:00:00Z')")
    db.execute("INSERT INTO notes VALUES ('peru', 'pe0084', 'commitment note', '2024-01-02T00:00:00Z')")
    db.execute("INSERT INTO notes VALUES ('peru', 'x', '   ', '2024-01-02T00:00:00Z')")  # empty: dropped
    db.execute("INSERT INTO bookmarks (member_slug, kind, ref, title, url, added_at) "
               "VALUES ('kenya', 'member', NULL, 'Kenya', NULL, '2024-01-03T00:00:00Z')")  # fmt: skip
    db.execute("INSERT INTO watchlist VALUES ('peru', '2024-01-01T00:00:00Z')")
    db.close()
    with open_store() as s:
        assert s.user.execute("PRAGMA user_version").fetchone()[0] == len(USER_MIGRATIONS)
        assert [(n.target, n.kind, n.text) for n in s.notes.notes()] == [
            ("peru", "member", "member note"),
            ("peru/PE0084", "commitment", "commitment note"),
        ]
        assert [(b.target, b.kind) for b in s.notes.bookmarks()] == [("kenya", "member")]
        assert s.watchlist() == ["peru"]
        assert s.notes.search('"commitment"*', 5)[0][0].target == "peru/PE0084"  # the index was filled
    (bak,) = backup_mod.backups(path)
    old = sqlite3.connect(bak)
    assert old.execute("PRAGMA user_version").fetchone()[0] == 1  # the copy made before the schema changed
    old.close()


def test_daily_backups_once_a_day_newest_five(ogptui_home, monkeypatch):
    day = [date(2025, 6, 1)]
    monkeypatch.setattr(backup_mod, "today", lambda: day[0])
    with open_store() as s:
        fill_store(s)
        t = parse_target("testland", s)
        for n in range(7):
            day[0] = date(2025, 6, 1) + timedelta(days=n)
            s.notes.save(new_note(t, f"day {n} first"), ANY_REV, NOW)
            s.notes.save(new_note(t, f"day {n} second"), ANY_REV, NOW)  # no second backup that day
    found = backup_mod.backups(ogptui_home / "user.db")
    assert [p.name for p in found] == [f"user.db.bak-2025-06-0{d}" for d in (7, 6, 5, 4, 3)]
    newest = backup_mod.check(found[0])
    assert newest.good and newest.notes == 1
    conn = sqlite3.connect(found[0])
    try:  # the state before the day's first write; a self-contained file with our identity
        assert conn.execute("SELECT text FROM notes").fetchone()[0] == "day 5 second"
        assert conn.execute("PRAGMA application_id").fetchone()[0] == dbmod.USER_APP_ID
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        conn.close()
    assert not list(ogptui_home.glob(".user.db.bak-*.tmp"))


def test_a_damaged_user_db_is_never_written_and_the_newest_good_backup_is_offered(ogptui_home, monkeypatch):
    from ogptui.cli import main

    monkeypatch.setattr(backup_mod, "today", lambda: date(2025, 6, 1))
    with open_store() as s:
        fill_store(s)
        s.notes.save(new_note(parse_target("testland", s), "precious"), None, NOW)
    monkeypatch.setattr(backup_mod, "today", lambda: date(2025, 6, 2))
    with open_store() as s:
        s.notes.save(new_note(parse_target("testland", s), "precious, edited"), ANY_REV, NOW)
    user = ogptui_home / "user.db"
    (ogptui_home / "user.db.bak-2025-05-30").write_bytes(b"damaged backup" * 100)  # older, unusable
    junk = b"SQLite format 3\x00" + bytes(range(256)) * 40
    user.write_bytes(junk)
    for side in ("user.db-wal", "user.db-shm"):
        (ogptui_home / side).unlink(missing_ok=True)
    with open_store() as s:
        assert s.user is None
        notice = next(n for n in s.notices if "user.db" in n)
        assert "restore-notes" in notice and "user.db.bak-2025-06-02" in notice
        with pytest.raises(StoreError, match="restore-notes"):
            s.notes.save(new_note(Target("member", "testland", "testland"), "x"), None, NOW)
        assert s.notes.notes() == [] and s.notes.marks(["testland"]) == {}
    assert user.read_bytes() == junk
    assert main(["restore-notes"]) == 2  # no terminal to ask: refused, nothing changed
    assert user.read_bytes() == junk
    assert main(["restore-notes", "--yes"]) == 0
    moved = list(ogptui_home.glob("user.db.before-restore-*"))
    assert len(moved) == 1 and moved[0].read_bytes() == junk  # moved aside byte for byte, never overwritten
    with open_store() as s:
        assert [n.text for n in s.notes.notes()] == ["precious"]  # the newest good backup (before day 2's save)


def test_restore_lists_and_refuses_a_bad_choice(ogptui_home, capsys):
    from ogptui.cli import main

    assert main(["restore-notes", "--list"]) == 0
    assert "no backups" in capsys.readouterr().out
    bad = ogptui_home / "junk.db"
    config.ensure_home()
    bad.write_bytes(b"nope" * 100)
    assert main(["restore-notes", "--from", str(bad), "--yes"]) == 2
    assert "cannot be restored" in capsys.readouterr().err


def test_read_only_folder_reads_an_old_user_db_through_an_upgraded_copy(ogptui_home):
    ogptui_home.mkdir(parents=True, exist_ok=True)
    db = dbmod.connect(ogptui_home / "user.db", synchronous="FULL")
    dbmod.migrate(db, [_user_v1], dbmod.USER_APP_ID)
    db.execute("INSERT INTO watchlist VALUES ('peru', '2024-01-01T00:00:00Z')")
    db.execute("INSERT INTO notes VALUES ('peru', '', 'old note', '2024-01-01T00:00:00Z')")
    db.close()
    before = (ogptui_home / "user.db").read_bytes()
    with open_store(writable=lambda p: False) as s:
        assert s.watchlist() == ["peru"] and [n.text for n in s.notes.notes()] == ["old note"]
    assert (ogptui_home / "user.db").read_bytes() == before


def test_entries_and_members_without_user_db_are_empty(store):
    store.user.close()
    store.user = None
    assert entries(store) == [] and store.notes.counts() == {"notes": 0, "bookmarks": 0}
    assert isinstance(sample_member(), Member)


# ---- limits, at and past each edge ---------------------------------------------------------------
def test_note_cap_keeps_a_note_at_the_cap_and_cuts_one_past_it(store):
    from ogptui.model import NOTE_CAP

    t = parse_target("testland", store)
    at_cap = "x" * NOTE_CAP
    assert store.notes.save(new_note(t, at_cap), None, NOW).text == at_cap
    assert store.notes.save(new_note(t, at_cap + "y"), 1, NOW).text == at_cap  # one past: cut at the cap


def test_five_backups_are_kept_and_the_sixth_day_drops_the_oldest(ogptui_home, monkeypatch):
    day = [date(2025, 6, 1)]
    monkeypatch.setattr(backup_mod, "today", lambda: day[0])
    with open_store() as s:
        fill_store(s)
        t = parse_target("testland", s)
        for n in range(5):
            day[0] = date(2025, 6, 1) + timedelta(days=n)
            s.notes.save(new_note(t, f"day {n}"), ANY_REV, NOW)
        assert len(backup_mod.backups(ogptui_home / "user.db")) == 5  # at the limit: all kept
        day[0] = date(2025, 6, 6)
        s.notes.save(new_note(t, "day 5"), ANY_REV, NOW)
    names = [p.name for p in backup_mod.backups(ogptui_home / "user.db")]
    assert len(names) == 5 and "user.db.bak-2025-06-01" not in names and names[0] == "user.db.bak-2025-06-06"


def test_notes_file_size_limit_at_and_past_the_edge(store, tmp_path, monkeypatch):
    import ogptui.notes_files as notes_mod
    from ogptui.notes_files import read_notes_file

    path = tmp_path / "n.json"
    path.write_text(export_json(store))
    size = path.stat().st_size
    monkeypatch.setattr(notes_mod, "MAX_FILE_BYTES", size)
    assert read_notes_file(path) == ([], [], 0)  # at the limit: read
    monkeypatch.setattr(notes_mod, "MAX_FILE_BYTES", size - 1)
    with pytest.raises(TargetError, match="too large"):
        read_notes_file(path)


def test_compare_member_limit_at_and_past_the_edge(ogptui_home, capsys, monkeypatch):
    from ogptui.cli import compare as compare_cli
    from ogptui.cli import main

    with open_store() as s:
        fill_store(s, [sample_member(f"m{n}", f"M{n}") for n in range(4)], details=False)
    monkeypatch.setattr(compare_cli, "MAX_MEMBERS", 3)
    assert main(["compare", "m0", "m1", "m2"]) == 0
    capsys.readouterr()
    assert main(["compare", "m0", "m1", "m2", "m3"]) == 2
    assert "too many to compare at once (at most 3)" in capsys.readouterr().err


def test_stdin_text_limit_at_and_past_the_edge(store, monkeypatch):
    import io
    import sys

    from ogptui.cli import common

    monkeypatch.setattr(sys, "stdin", io.StringIO("abc"))
    assert common.read_stdin(3) == "abc"
    monkeypatch.setattr(sys, "stdin", io.StringIO("abcd"))
    with pytest.raises(common.UsageError, match="longer than 3 characters"):
        common.read_stdin(3)


def test_note_search_ranks_every_match_so_the_best_is_found_however_broad_the_query(store):
    """The best note is written last, behind 600 weaker matches: a ranking over a window of the first
    matches (as before, 500) would miss it."""
    for n in range(600):
        store.notes.save(new_note(Target("member", f"m{n}", f"m{n}"), f"delay once, filler text {n}"), None, NOW)
    store.notes.save(new_note(Target("member", "m9999", "m9999"), "delay delay delay delay"), None, NOW)
    match = '{title text} : ("delay"*)'
    hits = store.notes.search(match, 2)
    assert len(hits) == 2 and hits[0][0].target == "m9999"
    assert [n.target for n, _ in store.notes.search(match, 5, member="m9999")] == ["m9999"]
