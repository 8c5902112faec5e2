"""Bad input on the command line: exit 2 and exactly one clear line on stderr, never a traceback.

Every case runs `python -m ogptui` in a subprocess, as a user would.
"""

from __future__ import annotations

import subprocess

import pytest

from tests.crashkit import report, run_cli

CASES = {
    "unknown slug": (["show", "atlantis"], "no member 'atlantis'"),
    "unknown slug, close match": (["show", "peruu"], "did you mean peru"),
    "open unknown slug": (["open", "atlantis"], "no member 'atlantis'"),
    "source not a URL": (["sync", "peru", "--source", "not-a-url"], "is not an http(s) address"),
    "source ftp": (["sync", "peru", "--source", "ftp://example.org"], "is not an http(s) address"),
    "source with a space": (["sync", "peru", "--source", "http://exa mple.org"], "http"),
    "source with a bad port": (["sync", "peru", "--source", "http://127.0.0.1:99999"], "port"),
    "source with control chars": (["sync", "peru", "--source", "http://example.org/\x1b[31m"], "http"),
    "unknown option": (["--frobnicate"], "unrecognized arguments: --frobnicate"),
    "unknown option of a command": (["show", "peru", "--frobnicate"], "unrecognized arguments"),
    "unknown command": (["frobnicate"], "invalid choice"),
    "concurrency zero": (["sync", "peru", "--concurrency", "0"], "concurrency must be a whole number"),
    "concurrency text": (["sync", "peru", "--concurrency", "many"], "concurrency must be a whole number"),
    "concurrency huge": (["sync", "peru", "--concurrency", "1000"], "concurrency must be a whole number"),
    "concurrency negative": (["sync", "peru", "--concurrency=-3"], "concurrency must be a whole number"),
    "slugs and --all": (["sync", "peru", "--all"], "not both"),
    "parse missing file": (["parse", "{tmp}/missing.html"], "cannot read"),
    "parse a folder": (["parse", "{tmp}"], "is a folder"),
    "parse unreadable file": (["parse", "/proc/self/mem"], "cannot read"),
    "import missing file": (["import", "{tmp}/missing.zip"], "missing.zip"),
    "import a folder": (["import", "{tmp}"], "{tmp}"),
    "import not a bundle": (["import", "{tmp}/page.html"], "page.html"),
    "import unreadable file": (["import", "/proc/self/mem"], "/proc/self/mem"),
    "show bad format": (["show", "peru", "--format", "pdf"], "invalid choice"),
    "delay infinite": (["sync", "peru", "--delay", "inf"], "delay must be a number of seconds from 0 to 60"),
    "delay 1e300": (["sync", "peru", "--delay", "1e300"], "delay must be a number of seconds from 0 to 60"),
    "sync slug with a space": (["sync", "pe ru"], "is not a member slug"),
    "watch slug with an escape": (["watch", "--force", "x\x1b]0;t\x07"], "is not a member slug"),
    "changes limit zero": (["changes", "--limit", "0"], "limit must be a whole number"),
    "changes run not a number": (["changes", "--run", "x"], "run must be a whole number"),
}


@pytest.mark.parametrize(("args", "expect"), list(CASES.values()), ids=list(CASES))
def test_bad_input_exits_2_with_one_line(ogptui_home, tmp_path, args, expect):
    (tmp_path / "page.html").write_text("<html><body><h1>Hello</h1></body></html>")
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    expect = expect.replace("{tmp}", str(tmp_path))
    r = run_cli(ogptui_home, *args, timeout=30)
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("ogptui: "), lines[0]
    assert expect in lines[0], lines[0]
    assert "Traceback" not in r.stderr and "Error:" not in lines[0]
    assert r.stdout == ""


@pytest.mark.parametrize("command", [["members"], ["show", "peru"], ["sync", "peru"], [], ["open", "peru"]])
def test_ogptui_home_pointing_at_a_file(tmp_path, command):
    home = tmp_path / "not-a-folder"
    home.write_text("I am a file")
    r = run_cli(home, *command, timeout=30, stdin=subprocess.DEVNULL)
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert len(lines) == 1 and "is a file, not a folder" in lines[0], r.stderr
    assert home.read_text() == "I am a file"


def test_ogptui_home_under_a_file(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    r = run_cli(blocker / "home", "members", timeout=30)
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 2 and len(lines) == 1 and "cannot create data folder" in lines[0], r.stderr


def test_every_case_is_a_different_command_line():
    """The count RELIABILITY.md gives ("bad inputs") is of distinct command lines: no case is repeated."""
    lines = [tuple(args) for args, _ in CASES.values()]
    assert len(set(lines)) == len(lines) == len(CASES)
    report("cli", bad_inputs=len(CASES) + 5 + 1)  # + the five home-is-a-file commands + home under a file
