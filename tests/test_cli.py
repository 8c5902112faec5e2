"""The non-TUI commands on the embedded data: show, parse, members, where, watch, errors and exit codes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ogptui import __version__
from ogptui.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "pages"
ROOT = Path(__file__).resolve().parent.parent

MEMBER_KEYS = {
    "kind", "slug", "name", "level", "member_since", "action_plan", "current_plan", "contacts", "commitments",
    "resources", "performance", "benchmarks", "participation", "global_report", "posts", "fetched_at",
    "source_url", "warnings",
}  # fmt: skip


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        rc = main(list(argv))
    except SystemExit as e:  # argparse's own exits (--help, --version, usage errors)
        rc = e.code
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_show_peru_prints_overview_from_embedded_data(capsys):
    rc, out, _ = run(capsys, "show", "peru")
    assert rc == 0
    assert out.startswith("Peru\n====")
    assert "Member since 2011" in out and "Action plan 5" in out
    assert "Years: 2023-2025   Plan: 5   Commitments: 13" in out
    assert "lrivera@pcm.gob.pe" in out
    assert "Resources (40)" in out and "Peru Design Report 2019-2021" in out
    assert "Action Plan 2: major 3, outstanding 0, starred 3" in out
    assert "Action Plan 1: unknown (raw [0])" in out
    assert "embedded sample" in out


def test_show_json_matches_the_contract(capsys):
    rc, out, _ = run(capsys, "show", "peru", "--json")
    assert rc == 0
    d = json.loads(out)
    assert set(d) >= MEMBER_KEYS
    assert d["kind"] == "member" and d["slug"] == "peru" and d["name"] == "Peru" and d["level"] == "national"
    assert d["member_since"] == 2011 and d["action_plan"] == 5
    assert set(d["current_plan"]) == {
        "years",
        "number",
        "commitment_count",
        "policy_area_focus",
        "summary",
        "summary_url",
    }
    assert d["current_plan"]["years"] == "2023-2025" and d["current_plan"]["commitment_count"] == 13
    assert d["contacts"][0]["email"] == "lrivera@pcm.gob.pe"
    assert set(d["contacts"][0]) == {"name", "role", "email", "side"}
    assert len(d["resources"]) == 40
    assert d["resources"][0] == {
        "title": "Peru Action Plan Review 2023-2025 – For Public Comment",
        "year": 2024, "type": "Report Comments", "format": "Web page", "url": None,
        "document": None, "offline": False,  # issue 13.6: show --json resources gain these two
    }  # fmt: skip
    perf = {p["action_plan"]: p for p in d["performance"]}
    assert (perf[2]["major"], perf[2]["outstanding"], perf[2]["starred"]) == (3, 0, 3)
    assert (perf[3]["major"], perf[3]["outstanding"], perf[3]["starred"]) == (3, 0, 0)
    assert (perf[4]["major"], perf[4]["outstanding"], perf[4]["starred"]) == (0, 1, 0)
    assert perf[1] == {"action_plan": 1, "major": None, "outstanding": None, "starred": None, "raw": [0]}
    assert {b["scope"]: b["raw"] for b in d["benchmarks"]} == {"global": [4, 7], "regional": [2, 7]}
    assert all(set(p) == {"title", "teaser", "url"} for p in d["posts"]) and len(d["posts"]) == 4


def test_unknown_slug_exits_2_with_suggestion(capsys):
    rc, out, err = run(capsys, "show", "pery")
    assert rc == 2 and out == ""
    assert err.strip() == "ogptui: no member 'pery' in the cache; did you mean peru?"


def test_members_lists_embedded_peru(capsys):
    rc, out, _ = run(capsys, "members")
    assert rc == 0 and "peru" in out and "Peru" in out and "embedded sample" in out
    rc, out, _ = run(capsys, "members", "--json")
    rows = json.loads(out)
    assert [r["slug"] for r in rows] == ["peru"] and rows[0]["embedded"] is True


def test_where_follows_ogptui_home(capsys, ogptui_home):
    rc, out, _ = run(capsys, "where", "--json")
    d = json.loads(out)
    assert rc == 0 and d["home"] == str(ogptui_home)
    assert d["cache_db"] == str(ogptui_home / "cache.db") and d["user_db"] == str(ogptui_home / "user.db")


def test_watch_and_unwatch(capsys):
    assert run(capsys, "watch", "peru")[0] == 0
    rc, out, _ = run(capsys, "members")
    assert out.lstrip().startswith("★ peru")
    rc, out, err = run(capsys, "watch", "pru")
    assert rc == 2 and "did you mean peru" in err
    assert run(capsys, "unwatch", "peru")[0] == 0
    assert "★" not in run(capsys, "members")[1]


def test_parse_text_and_html_renditions_agree(capsys):
    rc, out, _ = run(capsys, "parse", str(FIXTURES / "peru.txt"), "--json")
    assert rc == 0
    text = json.loads(out)
    rc, out, _ = run(capsys, "parse", str(FIXTURES / "peru-semantic.html"), "--url",
                     "https://www.opengovpartnership.org/members/peru/", "--json")  # fmt: skip
    html = json.loads(out)
    assert text["slug"] == html["slug"] == "peru"
    assert [r["title"] for r in text["resources"]] == [r["title"] for r in html["resources"]]


def test_parse_rejected_page_exits_1_with_reason(capsys, tmp_path):
    page = tmp_path / "challenge.html"
    page.write_text(
        "<html><head><title>Just a moment...</title></head><body>Checking your browser</body></html>"
    )
    rc, out, err = run(capsys, "parse", str(page))
    assert rc == 1 and out == ""
    assert err.startswith(f"ogptui: {page} was not parsed: ") and "challenge" in err


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["parse", "/nonexistent/page.html"], "cannot read /nonexistent/page.html"),
        (["parse", "/"], "is a folder"),
        (["show"], "the following arguments are required: slug"),
        (["frobnicate"], "invalid choice"),
        (["show", "peru", "--bogus"], "unrecognized arguments: --bogus"),
    ],
)
def test_usage_errors_are_one_line_exit_2(capsys, argv, needle):
    rc, out, err = run(capsys, *argv)
    assert rc == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ogptui") and needle in lines[0]


def test_version_and_help(capsys):
    rc, out, _ = run(capsys, "--version")
    assert rc == 0 and out.strip() == f"ogptui {__version__}"
    for cmd in ("show", "parse", "members", "where", "open", "sync", "watch", "changes", "search"):
        rc, out, _ = run(capsys, cmd, "--help")
        assert rc == 0 and out.startswith("usage: ogptui " + cmd)


def test_home_pointing_at_a_file_is_a_clear_error(tmp_path, monkeypatch, capsys):
    f = tmp_path / "afile"
    f.write_text("x")
    monkeypatch.setenv("OGPTUI_HOME", str(f))
    rc, out, err = run(capsys, "members")
    assert rc == 2 and "is a file, not a folder" in err and len(err.strip().splitlines()) == 1


def test_python_dash_m_and_console_script_work_without_network():
    r = subprocess.run([sys.executable, "-m", "ogptui", "show", "peru"], capture_output=True, text=True,
                       cwd=ROOT, timeout=60)  # fmt: skip
    assert r.returncode == 0 and "Member since 2011" in r.stdout and r.stderr == ""


BAD = "\x1b]0;pwned\x07\x1b]52;c;ZXZpbA==\x07\x9b2J\u202eevil\u2066\x00\x07\rX\nsecond line"
UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.mark.parametrize("outcome", ["partial", "offline", "nothing"])
def test_sync_summary_and_failure_lines_are_cleaned(monkeypatch, capsys, outcome):
    """Whatever a sync reports (a reason from a server, a name from the store), the terminal gets it safe."""
    import ogptui.sync
    from ogptui.sync import SyncSummary

    summaries = {
        "partial": SyncSummary(outcome="partial", members=2, updated=1, failed=[("peru", BAD)], changes=[BAD] * 60,
                               run_id=7),
        "offline": SyncSummary(outcome="offline", message=BAD),
        "nothing": SyncSummary(message=BAD),
    }  # fmt: skip

    async def fake_run_sync(store, **kwargs):
        return summaries[outcome]

    monkeypatch.setattr(ogptui.sync, "run_sync", fake_run_sync)
    rc, out, err = run(capsys, "sync", "peru", "--quiet")
    assert rc == {"partial": 1, "offline": 1, "nothing": 0}[outcome]
    assert UNSAFE.findall(out) == [] and UNSAFE.findall(err) == []
    assert "pwned" not in out + err and "evil" in out + err
    for line in err.splitlines():  # every error line is one line, however many the reason had
        assert line.startswith(("ogptui: ", "  failed: peru: "))
    if outcome == "partial":
        assert "… and 10 more (`ogptui changes --run 7`)" in out


def test_a_terminal_that_cannot_show_unicode_gets_question_marks_not_a_traceback():
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    r = subprocess.run([sys.executable, "-m", "ogptui", "members"], capture_output=True, text=True, cwd=ROOT,
                       timeout=60, env=env)  # fmt: skip
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    assert "? embedded sample" in r.stdout


def test_user_typed_escapes_are_echoed_safely(capsys):
    rc, out, err = run(capsys, "show", "\x1b]0;pwned\x07nosuch\u202e")
    assert rc == 2 and err.strip() == "ogptui: no member 'nosuch' in the cache; run `ogptui members` to list cached members"
    rc, out, err = run(capsys, "show", "peru", "--format", "\x1b[2Jpdf")
    assert rc == 2 and UNSAFE.findall(err) == [] and len(err.splitlines()) == 1
