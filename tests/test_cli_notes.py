"""`ogptui note`, `notes`, `bookmark`, `search` over notes, `show --format md` with notes, `compare`,
`members --region`, and the issue's "done when" walk-through on the fake site."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from ogptui.cli import main
from ogptui.seed import open_store
from tests.crashkit import cli_env
from tests.fakesite.data import sample_member
from tests.test_notes import HOSTILE
from tests.tuikit import fill_store

UNSAFE = [chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0))] + ["\u202e"]


@pytest.fixture
def filled(ogptui_home):
    with open_store() as s:
        fill_store(s)
    return ogptui_home


def run(capsys, *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as e:  # argparse refuses a bad option value itself (exit 2, one line)
        code = e.code
    cap = capsys.readouterr()
    return code, cap.out, cap.err


def test_note_write_print_replace_delete(filled, capsys):
    code, out, _ = run(capsys, "note", "testland/TL0001", "ask about the delay")
    assert code == 0 and "saved a note on TL0001 Open contracting for public works [testland/TL0001]" in out
    code, out, _ = run(capsys, "note", "testland/tl0001")
    assert code == 0 and "ask about the delay" in out and "-- note, updated" in out
    code, out, _ = run(capsys, "note", "testland/TL0001", "second text")
    assert "replaced the note of" in out
    code, out, _ = run(capsys, "note", "testland/TL0001", "--delete")
    assert code == 0 and "deleted the note" in out
    code, out, _ = run(capsys, "note", "testland/TL0001")
    assert code == 0 and out.startswith("no note on")


@pytest.mark.parametrize(
    "args, says",
    [
        (["note", "nosuchland", "x"], "no member, document or note 'nosuchland'"),
        (["note", "testland", ""], "the note is empty"),
        (["note", "testland", "x", "--delete"], "not both"),
        (["note", "testland", "--edit", "--delete"], "give one of"),
        (["bookmark", "testland/ZZ"], "is not a commitment ID"),
        (["notes", "--export", "notes.txt"], "FILE.md or FILE.json"),
        (["notes", "--import", "missing.json"], "cannot read"),
        (["compare", "testland"], "at least two members"),
        (["compare", "testland", "nosuch"], "no member 'nosuch'"),
        (["compare", "--region", "mars"], "region must be one of"),
        (["members", "--level", "regional"], "level must be 'national' or 'local'"),
    ],
)
def test_user_errors_are_one_line_exit_2(filled, capsys, args, says):
    code, _, err = run(capsys, *args)
    assert code == 2 and says in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_note_from_stdin_and_hostile_text_never_reaches_the_terminal(filled, capsys, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO(HOSTILE))
    assert run(capsys, "note", "testland", "-")[0] == 0
    for args in (["note", "testland"], ["notes"], ["notes", "--json"], ["search", "line", "--kind", "note"],
                 ["show", "testland", "--format", "md"]):  # fmt: skip
        code, out, _ = run(capsys, *args)
        assert code == 0
        assert not [c for c in UNSAFE if c in out], (args, out)
        assert "[@click=app.quit]q[/]" in out or "\\[@click=app.quit\\]q\\[/\\]" in out  # literal, not markup


def test_bookmark_add_remove_and_list(filled, capsys):
    code, out, _ = run(capsys, "bookmark", "https://www.opengovpartnership.org/documents/testland-results-report/")
    assert code == 0 and out.startswith("bookmarked Testland Results Report 2019-2022 [doc:testland-results-report]")
    assert "already bookmarked" in run(capsys, "bookmark", "doc:testland-results-report")[1]
    code, out, _ = run(capsys, "notes", "--json")
    (e,) = json.loads(out)
    assert (e["target"], e["kind"], e["member"], e["bookmarked"], e["note"]) == (
        "doc:testland-results-report", "document", "testland", True, None,
    )  # fmt: skip
    assert "removed the bookmark" in run(capsys, "bookmark", "doc:testland-results-report", "--remove")[1]
    assert json.loads(run(capsys, "notes", "--json")[1]) == []


def test_notes_listing_groups_by_member_and_filters(filled, capsys):
    run(capsys, "note", "testland/TL0002", "check the register")
    run(capsys, "note", "testland", "member note")
    run(capsys, "note", "ana@example.gob", "call Ana")
    code, out, _ = run(capsys, "notes")
    lines = out.splitlines()
    assert lines[0] == "Testland (testland)"
    marked = [ln for ln in lines if ln.startswith("  ✎")]
    assert [next(n for n in ("Testland  [", "TL0002", "Ana Pérez") if n in ln) for ln in marked] == [
        "Testland  [",
        "TL0002",
        "Ana Pérez",
    ]  # the member first, then commitments, then contacts
    assert run(capsys, "notes", "--member", "norland")[1].startswith("No notes or bookmarks on norland")


def test_export_and_import_files(filled, capsys, tmp_path, monkeypatch):
    run(capsys, "note", "testland", "exported note")
    run(capsys, "bookmark", "testland/TL0001")
    assert run(capsys, "notes", "--export", str(tmp_path / "n.json"))[0] == 0
    assert run(capsys, "notes", "--export", str(tmp_path / "n.md"))[0] == 0
    assert "exported note" in (tmp_path / "n.md").read_text()
    monkeypatch.setenv("OGPTUI_HOME", str(tmp_path / "other"))
    with open_store() as s:
        fill_store(s)
    run(capsys, "note", "testland", "a different local note")
    code, out, _ = run(capsys, "notes", "--import", str(tmp_path / "n.json"))
    assert code == 0 and "1 kept beside a different note (conflict copies)" in out and "1 bookmarks added" in out
    code, out, _ = run(capsys, "note", "testland")
    assert "exported note" in out and "a different local note" in out and "conflict copy 1" in out
    assert run(capsys, "note", "testland", "--drop-copies")[0] == 0
    assert "conflict copy" not in run(capsys, "note", "testland")[1]
    (tmp_path / "bad.json").write_text("{not json")
    code, _, err = run(capsys, "notes", "--import", str(tmp_path / "bad.json"))
    assert code == 2 and "not a readable notes file" in err


def test_search_finds_notes_and_briefs_carry_them(filled, capsys):
    run(capsys, "note", "testland/TL0001", "ask about the delay")
    code, out, _ = run(capsys, "search", "delay")
    assert code == 0 and "Your notes (1)" in out and "TL0001 Open contracting for public works" in out
    hits = json.loads(run(capsys, "search", "delay", "--json")[1])
    assert [(h["kind"], h["id"], h["member"]) for h in hits] == [("note", "testland/TL0001", "testland")]
    assert json.loads(run(capsys, "search", "delay", "--kind", "resource", "--json")[1]) == []
    with open_store() as s:  # another cached member: its results leave out testland's note
        s.write_member(sample_member("norland", "Norland"))
    assert json.loads(run(capsys, "search", "delay", "--member", "norland", "--json")[1]) == []
    assert run(capsys, "search", "delay", "--member", "atlantis")[0] == 2  # not cached: a usage error
    md = run(capsys, "show", "testland", "--format", "md")[1]
    assert "## Your notes" in md and "> ask about the delay" in md and "Written by you" in md


def test_note_edit_uses_the_editor_and_keeps_both_on_a_concurrent_save(filled, capsys, tmp_path, monkeypatch):
    """`ogptui note --edit` while another process saves the same note: the later save does not overwrite
    the other; with no terminal to ask, both texts are kept (the edit as a conflict copy)."""
    run(capsys, "note", "testland", "original")
    editor = tmp_path / "editor.py"
    editor.write_text(
        textwrap.dedent(
            f"""
            import subprocess, sys
            if {str(tmp_path / "concurrent")!r} and __import__("os").path.exists({str(tmp_path / "concurrent")!r}):
                subprocess.run([sys.executable, "-m", "ogptui", "note", "testland", "saved meanwhile"], check=True)
            path = sys.argv[1]
            text = open(path).read()
            open(path, "w").write(text.strip() + " + edited")
            """
        )
    )
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    monkeypatch.delenv("VISUAL", raising=False)
    code, out, _ = run(capsys, "note", "testland", "--edit")
    assert code == 0 and "saved the note" in out
    assert run(capsys, "note", "testland")[1].count("original + edited") == 1
    (tmp_path / "concurrent").write_text("")
    code, out, _ = run(capsys, "note", "testland", "--edit")
    assert code == 0 and "kept as a conflict copy" in out
    shown = run(capsys, "note", "testland")[1]
    assert "saved meanwhile" in shown and "original + edited + edited" in shown  # nothing lost


def test_note_edit_without_an_editor_is_a_usage_error(filled, capsys, monkeypatch):
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    code, _, err = run(capsys, "note", "testland", "--edit")
    assert code == 2 and "set EDITOR" in err


def test_members_by_region_and_level(capsys, ogptui_home):
    from tests.fakesite.data import sample_member

    with open_store() as s:
        fill_store(s, [sample_member(), sample_member("lima-peru", "Lima, Peru"), sample_member("kenya", "Kenya")])
        s.cache.execute("UPDATE members SET level = 'local' WHERE slug = 'lima-peru'")
    code, out, _ = run(capsys, "members", "--by-region")
    assert code == 0
    assert "Africa and the Middle East (1: 1 national, 0 local)" in out
    assert "Americas (2: 1 national, 1 local)" in out  # Peru (embedded) and Lima, Peru (local)
    assert "unknown region (1: 1 national, 0 local)" in out  # Testland is in no table
    rows = json.loads(run(capsys, "members", "--region", "americas", "--json")[1])
    assert sorted(r["slug"] for r in rows) == ["lima-peru", "peru"]
    rows = json.loads(run(capsys, "members", "--region", "amer", "--level", "local", "--json")[1])
    assert [(r["slug"], r["region"]) for r in rows] == [("lima-peru", "Americas")]


def test_compare_formats(capsys, ogptui_home):
    from tests.fakesite.data import sample_member

    with open_store() as s:
        fill_store(s, [sample_member(), sample_member("kenya", "Kenya")])
    code, out, _ = run(capsys, "compare", "testland", "kenya", "--format", "csv")
    assert code == 0 and out.splitlines()[0] == "section,metric,testland,kenya"
    assert "Member,Region,unknown,Africa and the Middle East" in out
    assert '"Performance, Action Plan 1",Starred,unknown,unknown' in out  # never 0
    data = json.loads(run(capsys, "compare", "testland", "kenya", "--json")[1])
    assert [m["slug"] for m in data["members"]] == ["testland", "kenya"]
    code, out, _ = run(capsys, "compare", "kenya", "--region", "unknown")
    assert code == 0 and "Testland" in out and "Kenya" in out and "Bars" in out


@pytest.mark.slow
def test_done_when_walkthrough_on_the_fake_site(fake_site, ogptui_home, tmp_path):
    """The issue's acceptance path, as a user types it (real processes, the fake site on 127.0.0.1)."""

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "ogptui", *args], env=cli_env(ogptui_home), capture_output=True,
                              text=True, timeout=120)  # fmt: skip

    assert cli("sync", "--source", fake_site.url, "--quiet", "peru", "valdoria").returncode == 0
    r = cli("note", "peru/PE0110", "ask about the delay")
    assert r.returncode == 0, r.stderr
    r = cli("search", "delay")
    assert "Your notes (1)" in r.stdout and "PE0110" in r.stdout
    assert cli("sync", "--source", fake_site.url, "--quiet", "peru").returncode == 0  # a re-sync
    (ogptui_home / "cache.db").write_bytes(b"\x00corrupted\x00" * 1000)  # a damaged cache, moved aside
    for side in ("cache.db-wal", "cache.db-shm"):
        (ogptui_home / side).unlink(missing_ok=True)
    r = cli("note", "peru/PE0110")
    assert "ask about the delay" in r.stdout and "damaged" in r.stderr
    assert cli("sync", "--source", fake_site.url, "--quiet", "peru", "valdoria").returncode == 0
    assert "ask about the «delay»" in cli("search", "delay").stdout
    r = cli("compare", "peru", "valdoria")
    assert r.returncode == 0 and "Peru" in r.stdout and "Valdoria" in r.stdout and "Commitments" in r.stdout
    assert os.path.exists(ogptui_home / "user.db")


def test_notes_on_a_read_only_data_folder_are_read_and_refused_in_one_line(filled, capsys, monkeypatch):
    from ogptui.store import store as store_mod

    assert run(capsys, "note", "testland", "written before")[0] == 0
    writable = store_mod.can_write
    monkeypatch.setattr(store_mod, "can_write", lambda path: False)
    code, out, _ = run(capsys, "note", "testland")
    assert code == 0 and "written before" in out
    for args in (["note", "testland", "x"], ["bookmark", "testland"], ["note", "testland", "--delete"]):
        code, _, err = run(capsys, *args)
        assert code == 2 and "read-only" in err.splitlines()[-1] and "Traceback" not in err
    monkeypatch.setattr(store_mod, "can_write", writable)  # (not undo(): that would also restore OGPTUI_HOME)
    assert "written before" in run(capsys, "note", "testland")[1]
