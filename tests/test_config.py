"""Settings: one rule per setting, shared with the command-line options; a bad settings.json never stops
ogptui (a bad value is reported in one line naming the key and the file, and its default is used; a file that
cannot be parsed is moved aside, never overwritten)."""

from __future__ import annotations

import dataclasses
import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from ogptui import config
from ogptui.cli import main
from ogptui.config import Settings

ROOT = Path(__file__).resolve().parent.parent


def settings_file(home: Path) -> Path:
    return home / "settings.json"


def write_raw(home: Path, data: str | bytes) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    path = settings_file(home)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def bad_files(home: Path) -> list[Path]:
    return sorted(home.glob("settings.json.bad-*"))


# ---- the rules -------------------------------------------------------------------------------------
# (setting, accepted values, refused values): each limit tested at both sides.
RULE_CASES = [
    ("concurrency", [1, 16, 4.0], [0, 17, -3, True, "4", 4.5, None, math.inf]),
    ("delay", [0, 60, 0.001, 59.999], [-0.001, 60.001, math.inf, -math.inf, math.nan, 1e300, True, "0.5", None]),
    ("stale_hours", [0.1, 87_600, 24], [0.09, 87_601, math.nan, math.inf, False, "24"]),
    ("revalidate_every", [0, 10_000], [-1, 10_001, 2.5, False]),
    ("auto_sync", [True, False], [0, 1, "true", None]),
    ("source", ["https://www.opengovpartnership.org", "http://127.0.0.1:8765/", "http://[::1]:65535"],
     ["ftp://x y", "ftp://example.org", "http://127.0.0.1:99999", "http://h:0", "http://exa mple.org", "not-a-url",
      "http://example.org/\x1b[31m", "https://", "http://[::1", 42, None]),
    ("theme", ["textual-dark", "ansi-light", "catppuccin-mocha"], ["", "a b", "x" * 65, 5, None, "\x1b[31m"]),
    ("run_deadline", [0, 0.5, 3600, 604800], [-1, -0.001, 604800.5, float("inf"), float("nan"), "60", True, None]),
    ("last_member", ["peru", "buenos-aires-argentina", None], ["", "a b", "a/b", "x" * 201, 3, "../etc"]),
    ("documents", ["none", "pages", "all", " ALL "], ["", "some", "files", 1, True, None, ["all"]]),
    ("language", ["", "en", "es", "fr", " ES "], ["de", "español", "es_PE", 1, True, None, ["es"]]),
    ("content_language", ["same", "en", "es", "fr", " FR "], ["", "de", "auto", 1, True, None, ["es"]]),
    ("max_file_mb", [1, 10_000, 50.0], [0, 10_001, -1, 1.5, "50", True, None]),
    ("files_budget_mb", [1, 10_000_000, 2000], [0, 10_000_001, -5, 2.5, "2000", False, None]),
    ("sort_members", ["", "name", "-freshness", "watched"], ["-", "--name", "title", "Name", None, 1, "name\x1b"]),
    ("sort_commitments", ["", "id", "-early_results"], ["-", "type", "-title ", None]),
    ("sort_resources", ["", "year", "-year", "format"], ["-", "id", "status", False]),
    ("max_age_days", [0, 3650, 7], [-1, 3651, 1.5, "7", True, None]),
]  # fmt: skip


@pytest.mark.parametrize(("name", "good", "bad"), RULE_CASES, ids=[c[0] for c in RULE_CASES])
def test_each_setting_has_its_rule(name, good, bad):
    rule = Settings.rules()[name]
    for value in good:
        rule.check(value, name)
    for value in bad:
        with pytest.raises(ValueError) as e:
            rule.check(value, f'"{name}"')
        message = str(e.value)
        assert message.startswith(f'"{name}" ') and "\n" not in message and "\x1b" not in message


def test_every_setting_has_a_rule_and_its_default_passes_it():
    names = [f.name for f in dataclasses.fields(Settings) if "rule" in f.metadata]
    assert set(names) == set(Settings.rules()) == set(c[0] for c in RULE_CASES)
    defaults = Settings()
    for name, rule in Settings.rules().items():
        assert rule.check(getattr(defaults, name), name) == getattr(defaults, name)


def test_strings_read_from_settings_are_cleaned():
    rules = Settings.rules()
    assert rules["theme"].check("\x1b[31mansi-dark\u202e", "theme") == "ansi-dark"
    assert rules["last_member"].check("  Peru ", "last_member") == "peru"
    assert rules["source"].check(" https://example.org/ ", "source") == "https://example.org"


@pytest.mark.parametrize(
    ("option", "rule_name", "edge_ok", "edge_bad"),
    [("--concurrency", "concurrency", "16", "17"), ("--delay", "delay", "60", "60.5"), ("--delay", "delay", "0", "-0.1")],
)
def test_cli_options_use_the_same_rule_as_the_settings(capsys, option, rule_name, edge_ok, edge_bad):
    rule = Settings.rules()[rule_name]
    assert rule.from_text(edge_ok, rule_name) == rule.check(json.loads(edge_ok), rule_name)
    with pytest.raises(SystemExit):
        main(["sync", "peru", option, edge_bad])
    err = capsys.readouterr().err
    with pytest.raises(ValueError) as e:
        rule.from_text(edge_bad, rule_name)
    assert str(e.value) in err and len(err.splitlines()) == 1
    for text in ("inf", "nan", "1e300"):
        with pytest.raises(ValueError):
            rule.from_text(text, rule_name)


# ---- loading -------------------------------------------------------------------------------------------
def test_no_file_gives_the_defaults_silently(ogptui_home):
    s = Settings.load()
    assert s == Settings() and s.notices == []


def test_bad_values_are_reported_one_line_each_and_defaults_used(ogptui_home):
    path = write_raw(ogptui_home, '{"source": "ftp://x y", "concurrency": 99999, "delay": Infinity, '
                                  '"stale_hours": 1e300, "theme": "ansi-light", "auto_sync": false, "dealy": 3}')  # fmt: skip
    s = Settings.load()
    assert (s.source, s.concurrency, s.delay, s.stale_hours) == (config.DEFAULT_SOURCE, 4, 0.25, 24.0)
    assert (s.theme, s.auto_sync) == ("ansi-light", False)  # the good values are kept
    assert len(s.notices) == 5
    for key in ("source", "concurrency", "delay", "stale_hours"):
        line = next(n for n in s.notices if f'"{key}"' in n)
        assert str(path) in line and "using the default" in line and "\n" not in line
    assert any("unknown setting 'dealy'" in n for n in s.notices)
    assert "Infinity" in next(n for n in s.notices if '"delay"' in n)
    assert path.exists() and bad_files(ogptui_home) == []  # a parseable file stays where it is


UNPARSABLE = {
    "not json": b"{source: nope",
    "100k nested lists": b"[" * 100_000,
    "100k nested objects": b'{"a":' * 100_000,
    "not utf-8": b'{"theme": "\xff\xfe"}',
    "not an object": b"[1, 2, 3]",
    "empty": b"",
    "too large": b'{"theme": "' + b"x" * 1_100_000 + b'"}',
    "huge integer": b'{"concurrency": ' + b"9" * 5000 + b"}",
}


@pytest.mark.parametrize("content", list(UNPARSABLE.values()), ids=list(UNPARSABLE))
def test_an_unparsable_file_is_moved_aside_never_overwritten(ogptui_home, content):
    path = write_raw(ogptui_home, content)
    s = Settings.load()
    assert s == Settings()
    assert len(s.notices) == 1 and str(path) in s.notices[0] and "moved it to settings.json.bad-" in s.notices[0]
    [moved] = bad_files(ogptui_home)
    assert moved.read_bytes() == content and not path.exists()
    s.theme = "ansi-dark"
    s.save()  # the app may save afterwards: a new file, the bad one kept as it was
    assert json.loads(path.read_text())["theme"] == "ansi-dark" and moved.read_bytes() == content
    write_raw(ogptui_home, content)
    Settings.load()  # twice in the same second: a second name, nothing overwritten
    assert len(bad_files(ogptui_home)) == 2


def test_a_file_that_cannot_be_read_is_left_alone_and_never_written_over(ogptui_home):
    ogptui_home.mkdir(parents=True)
    settings_file(ogptui_home).mkdir()  # a folder where the file should be
    s = Settings.load()
    assert s == Settings() and len(s.notices) == 1 and "cannot read" in s.notices[0]
    s.theme = "ansi-dark"
    s.save()
    assert settings_file(ogptui_home).is_dir() and bad_files(ogptui_home) == []


def test_save_keeps_what_the_user_wrote_and_this_version_could_not_use(ogptui_home):
    write_raw(ogptui_home, '{"delay": "fast", "future_setting": [1, 2], "theme": "ansi-light"}')
    s = Settings.load()
    s.last_member = "peru"
    s.save()
    saved = json.loads(settings_file(ogptui_home).read_text())
    assert saved["delay"] == "fast" and saved["future_setting"] == [1, 2]  # still there for the user to fix
    assert saved["last_member"] == "peru" and saved["theme"] == "ansi-light"
    s.delay = 1.5  # changed by the program: now the new value is what the user wants
    s.save()
    assert json.loads(settings_file(ogptui_home).read_text())["delay"] == 1.5
    assert Settings.load().delay == 1.5


# ---- the commands ----------------------------------------------------------------------------------
def _run(home: Path, *args: str) -> subprocess.CompletedProcess:
    from tests.crashkit import cli_env

    return subprocess.run([sys.executable, "-m", "ogptui", *args], env=cli_env(home), capture_output=True,
                          text=True, timeout=120, cwd=ROOT)  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize(
    "content",
    ['{"source": "ftp://x y"}', '{"source": "http://127.0.0.1:99999"}', '{"delay": Infinity}', '{"delay": 1e300}',
     '{"concurrency": 0, "delay": NaN}', "[" * 100_000],
    ids=lambda content: content if len(content) < 40 else f"{content[:5]}…({len(content):,} chars)",
)  # fmt: skip
def test_sync_with_a_bad_settings_file_reports_it_and_runs(fake_site, ogptui_home, content):
    """Was: a traceback (source), a hang (delay) or a RecursionError. The site is named on the command line so
    the default source (the real site) is never reached from a test."""
    path = write_raw(ogptui_home, content)
    r = _run(ogptui_home, "sync", "peru", "--source", fake_site.url, "--quiet")
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    lines = [line for line in r.stderr.splitlines() if str(path) in line]
    assert lines and all(line.startswith("ogptui: ") for line in lines), r.stderr
    if content.startswith("{"):
        key = json.loads(content.replace("Infinity", "0").replace("NaN", "0")).keys()
        assert all(any(f'"{k}"' in line for line in lines) for k in key), lines
    else:
        assert "moved it to settings.json.bad-" in lines[0] and len(bad_files(ogptui_home)) == 1
    assert "1 member" in r.stdout


async def test_the_tui_starts_with_a_bad_settings_file_and_says_so(ogptui_home):
    from tests.tuikit import make_app

    write_raw(ogptui_home, "[" * 100_000)
    app = make_app()
    said = []
    notify = app.notify
    app.notify = lambda message, **kw: (said.append(message), notify(message, **kw))[1]
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.is_running
        assert any("settings.json" in m and "moved it to" in m for m in said), said
    assert len(bad_files(ogptui_home)) == 1


async def test_the_tui_names_a_bad_value_and_uses_the_default(ogptui_home):
    from tests.tuikit import make_app

    write_raw(ogptui_home, '{"theme": 5, "stale_hours": "soon", "last_member": "\\u001b]0;x\\u0007"}')
    app = make_app()
    said = []
    notify = app.notify
    app.notify = lambda message, **kw: (said.append(message), notify(message, **kw))[1]
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.is_running and app.settings.stale_hours == 24.0 and app.theme == "textual-dark"
    for key in ("theme", "stale_hours", "last_member"):
        assert any(f'"{key}"' in m and "settings.json" in m for m in said), (key, said)
    assert all("\x1b" not in m for m in said)


# ---- paths and the data folder -------------------------------------------------------------------------
def test_ogptui_home_holds_everything(monkeypatch, tmp_path):
    monkeypatch.setenv("OGPTUI_HOME", str(tmp_path / "h"))
    p = config.paths()
    assert p.home == tmp_path / "h"
    assert (p.cache_db, p.user_db, p.settings) == (p.home / "cache.db", p.home / "user.db", p.home / "settings.json")
    assert p.to_dict()["cache_db"] == str(p.home / "cache.db")
    monkeypatch.setenv("OGPTUI_HOME", "~/portable")
    assert config.paths().home == Path("~/portable").expanduser()


def test_without_ogptui_home_the_platform_folders_are_used(monkeypatch, tmp_path):
    import platformdirs

    monkeypatch.delenv("OGPTUI_HOME")
    monkeypatch.setattr(platformdirs, "user_data_dir", lambda name, appauthor: str(tmp_path / "data" / name))
    monkeypatch.setattr(platformdirs, "user_config_dir", lambda name, appauthor: str(tmp_path / "conf" / name))
    p = config.paths()
    assert p.home == tmp_path / "data" / "ogptui" and p.cache_db.parent == p.home
    assert p.settings == tmp_path / "conf" / "ogptui" / "settings.json"


def test_ensure_home_makes_the_folder_or_says_why_not(tmp_path):
    home = tmp_path / "a" / "b"
    p = config.Paths(home, home / "cache.db", home / "user.db", home / "settings.json", home / "briefs")
    assert config.ensure_home(p) == p and home.is_dir()
    assert config.ensure_home(p) == p  # already there
    blocker = tmp_path / "file"
    blocker.write_text("x")
    as_file = config.Paths(blocker, blocker / "c", blocker / "u", blocker / "s", blocker / "b")
    with pytest.raises(config.ConfigError, match="is a file, not a folder"):
        config.ensure_home(as_file)
    under_file = config.Paths(blocker / "home", blocker / "c", blocker / "u", blocker / "s", blocker / "b")
    with pytest.raises(config.ConfigError, match="cannot create data folder"):
        config.ensure_home(under_file)


# ---- saving --------------------------------------------------------------------------------------------
def test_every_setting_survives_a_save_and_load(ogptui_home):
    changed = Settings(source="http://127.0.0.1:8765", concurrency=16, delay=0, auto_sync=False,
                       stale_hours=0.1, revalidate_every=0, theme="ansi-light", run_deadline=0,
                       last_member="peru", documents="pages", max_file_mb=1, files_budget_mb=10,
                       sort_members="-name", sort_commitments="id", sort_resources="-year", max_age_days=30,
                       language="fr", content_language="es")  # fmt: skip
    assert all(getattr(changed, n) != getattr(Settings(), n) for n in Settings.rules())
    changed.save()
    again = Settings.load()
    assert [getattr(again, n) for n in Settings.rules()] == [getattr(changed, n) for n in Settings.rules()]
    assert again.notices == []


def test_a_save_that_fails_half_way_leaves_the_old_file(ogptui_home, monkeypatch):
    Settings(theme="ansi-light").save()
    before = settings_file(ogptui_home).read_bytes()

    def dump_half(obj, fh, **kw):
        fh.write('{"theme": "ans')
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(config.json, "dump", dump_half)
    with pytest.raises(OSError, match="No space left"):
        Settings(theme="ansi-dark").save()
    assert settings_file(ogptui_home).read_bytes() == before
    assert [p.name for p in ogptui_home.iterdir() if p.name.startswith(".settings.")] == []  # no temp left


def test_aside_names_never_collide(tmp_path, monkeypatch):
    """The one rule for where an unusable file goes (a bad settings file, a damaged or foreign database)."""
    monkeypatch.setattr(config.time, "strftime", lambda fmt: "20250601-120000")
    path = tmp_path / "cache.db"
    first = config.aside_name(path, "corrupt")
    assert first.name == "cache.db.corrupt-20250601-120000" and not first.exists()
    first.write_text("moved before")
    assert config.aside_name(path, "corrupt").name == "cache.db.corrupt-20250601-120000-2"
    assert config.aside_name(path, "bad").name == "cache.db.bad-20250601-120000"
