"""Hostile text: a fake-site member whose every text carries terminal escapes, controls and markup.

After a sync: no control character is stored anywhere (every text column of every table is scanned), the
CLI prints none, and the TUI shows the markup literally on every tab and the commitment detail, with no
action run (the app keeps running, the title is unchanged).
"""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import json
import sqlite3
import subprocess

import pytest
from textual.widgets import DataTable, Static

from ogptui.clean import SINGLE_LINE_CAP
from ogptui.parse import parse_page
from ogptui.seed import open_store
from ogptui.sync import run_sync
from tests.crashkit import OGPTUI, cli_env, control_chars_in, report, run_cli, scan_controls
from tests.fakesite import default_site
from tests.tuikit import make_app

FAST = {"delay": 0, "backoff_initial": 0.001, "backoff_max": 0.005, "backoff_jitter": 0}
MARKUP = "[bold]B[/bold] [link=https://x.example]L[/link] [@click=app.quit]Q[/]"
PAYLOADS = {
    "csi": "\x1b[31mred\x1b[0m \x1b[2J\x1b[H",
    "osc0-title": "\x1b]0;pwned title\x07",
    "osc2-title-st": "\x1b]2;pwned title 2\x1b\\",
    "osc8-link": "\x1b]8;;https://evil.example/\x1b\\click me\x1b]8;;\x1b\\",
    "osc52-clipboard": "\x1b]52;c;cm0gLXJmIH4K\x07",
    "dcs": "\x1bP+q544e\x1b\\",
    "c1-csi": "\x9b31m8-bit\x9b0m",
    "c1-osc": "\x9d0;eight bit title\x9c",
    "c1-controls": "".join(chr(c) for c in range(0x80, 0xA0)),
    "bel": "ding\x07\x07",
    "nul": "nul\x00byte",
    "bidi": "\u202eevil\u202c \u2066isolate\u2069 \u200fmark",
    "markup": MARKUP,
}
ALL = " | ".join(PAYLOADS.values())
LONG = "Long " + "x" * 60_000
SLUG = "valdoria"


def hostile(tag: str) -> str:
    return f"{tag}: {ALL}"


def hostile_site():
    data = default_site()
    base = data.member(SLUG)
    m = copy.deepcopy(base)
    m.name = "Valdoria \x1b]0;pwned\x07[@click=app.quit]Q[/] \u202eland"
    plan = m.current_plan
    m.current_plan = dataclasses.replace(
        plan, summary=hostile("summary") + " " + LONG, policy_area_focus=hostile("focus"), years="2022–2024"
    )
    for i, c in enumerate(m.contacts):
        m.contacts[i] = dataclasses.replace(c, name=hostile("contact"), role=hostile("role") + " " + LONG)
    for i, c in enumerate(m.commitments):
        m.commitments[i] = dataclasses.replace(
            c, title=hostile(f"title {i}") + " " + LONG, policy_area=MARKUP
        )
    for i, r in enumerate(m.resources):
        m.resources[i] = dataclasses.replace(r, title=hostile(f"resource {i}"), type=MARKUP)
    for i, p in enumerate(m.posts):
        m.posts[i] = dataclasses.replace(p, title=hostile("post"), teaser=hostile("teaser") + " " + LONG)
    m.global_report = [dataclasses.replace(g, area=hostile("area")) for g in m.global_report[:2]]
    details = {}
    for (slug, cid), page in data.commitments.items():
        if slug == SLUG:
            details[(slug, cid)] = dataclasses.replace(
                page,
                title=hostile("detail title"),
                lead_institution=hostile("lead"),
                support_institutions=hostile("support"),
                policy_areas=[MARKUP, hostile("area")],
                irm_reports=[hostile("irm")],
                description=hostile("description") + "\n" + LONG,
                status=MARKUP,
            )
    data.members = [m if x.slug == SLUG else x for x in data.members]
    data.commitments.update(details)
    return data


@pytest.fixture
def hostile_home(make_fake_site, ogptui_home):
    site = make_fake_site(hostile_site())
    with open_store() as s:
        summary = asyncio.run(run_sync(s, slugs=[SLUG, "peru"], source=site.url, source_options=FAST))
        assert summary.outcome == "ok", summary.failed
        assert summary.commitments_failed == 0
    return ogptui_home


def test_stored_clean_in_every_table(hostile_home):
    found = scan_controls(hostile_home / "cache.db")
    assert found == {}, found
    with open_store(seed=False) as s:
        m = s.get_member(SLUG)
        assert "[@click=app.quit]Q[/]" in m.name  # literal text is kept, only controls go
        c = m.commitments[0]
        assert MARKUP in c.title and len(c.title) <= SINGLE_LINE_CAP
        assert MARKUP in (c.description or "") and len(c.description) < 100_001
        assert "pwned" not in m.name  # an OSC's payload goes with it
        assert not any("pwned" in (x.title or "") for x in m.commitments)
        n_rows = sum(s.counts().values())
    report("hostile-stored", payloads=len(PAYLOADS), rows_scanned=n_rows, control_chars_found=0)


@pytest.mark.parametrize(
    "args",
    [
        ["show", SLUG],
        ["show", SLUG, "--json"],
        ["show", SLUG, "--format", "md"],
        ["show", SLUG, "--format", "csv"],
        ["show", SLUG, "--format", "csv", "--table", "resources"],
        ["members"],
        ["changes"],
        ["search", "title"],
    ],
    ids=lambda a: " ".join(a),
)
def test_cli_output_has_no_control_characters(hostile_home, args):
    r = run_cli(hostile_home, *args)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    assert control_chars_in(r.stdout) == [] and control_chars_in(r.stderr) == []
    if args[:2] == ["show", SLUG] and len(args) == 2:
        assert "[@click=app.quit]Q[/]" in r.stdout


def _texts(app) -> str:
    parts = []
    for w in app.screen.query(Static):
        parts.append(str(w.render()))
    for t in app.screen.query(DataTable):
        for row in range(t.row_count):
            parts += [getattr(v, "plain", str(v)) for v in t.get_row_at(row)]
    return "\n".join(parts)


@pytest.mark.slow
async def test_tui_renders_everything_literally_and_runs_nothing(hostile_home):
    app = make_app(slug=SLUG)
    quits = []
    app.action_quit = lambda: quits.append("quit")  # what [@click=app.quit] would call
    seen = []
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        for key in "1234567":
            await pilot.press(key)
            await pilot.pause()
            text = _texts(app)
            seen.append(text)
            assert control_chars_in(text) == [], (key, control_chars_in(text))
            for x, y in ((2, 2), (10, 4), (30, 6), (5, 8), (60, 10)):  # click where markup could be
                await pilot.click(offset=(x, y))
            assert app.is_running and not quits
        await pilot.press("2")
        await pilot.pause()
        app.screen.query_one("#commitments-table", DataTable).focus()
        await pilot.press("enter")
        await pilot.pause()
        detail = _texts(app)
        assert MARKUP in detail and control_chars_in(detail) == []
        for x, y in ((2, 2), (10, 4), (30, 6), (5, 8)):
            await pilot.click(offset=(x, y))
        svg = app.export_screenshot()
        assert "[@click=app.quit]Q[/]" in svg
        assert control_chars_in(svg) == []
        assert app.is_running and not quits
        assert app.title == "ogptui"
    everything = "\n".join(seen)
    assert "[@click=app.quit]Q[/]" in everything and "[link=https://x.example]L[/link]" in everything
    report("hostile-tui", tabs=7, detail=True, actions_fired=len(quits))


@pytest.mark.parametrize(
    "html",
    [
        "&#27;[31mred&#x1b;]0;title&#7; &#x9b;31m &#0;nul &#x202e;rtl &#128;",
        "<![CDATA[\x1b[31m]]> \x1b]52;c;aGk=\x07 plain",
    ],
)
def test_entity_encoded_controls_are_removed_too(html):
    page = (
        "<html><head><title>Valdoria | Open Government Partnership</title></head><body>"
        f"<h1>Valdoria {html}</h1><h2>Current Action Plan</h2><p>Summary {html}</p></body></html>"
    )
    m = parse_page(page, url="https://www.opengovpartnership.org/members/valdoria/", kind="member")
    assert control_chars_in(m.name) == [] and "Valdoria" in m.name
    assert control_chars_in(json.dumps(m.to_dict(), ensure_ascii=False)) == []


# ---- defence in depth: hostile values written straight into cache.db (no ingest cleaning) ---------------
# A bundle, a damaged file or an older version may have put them there; every output path must stay safe.
STORED = "\x1b]0;pwned\x07\x1b]52;c;ZXZpbA==\x07\x1b[2J\x9b31m\x9d0;t\x9c\u202eevil\u2066x\u2069\x00\x07 end"
BAD_SLUG = "evil\x1b[2j\x9b1m\u202e"  # lower case: get_member lowercases what it is given
UNSAFE_BYTES = (b"\x1b", b"\x07", b"\x00")
UNSAFE_CHARS = {chr(c) for c in range(0x80, 0xA0)} | set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
SKIP_COLUMNS = {"slug", "member_slug", "position", "record_hash", "kind", "ref", "tags", "embedded"}


def _poison(db_path):
    """Append STORED to every stored text (JSON list columns get it as an element); add hostile rows."""
    conn = sqlite3.connect(db_path)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    tables = [t for t in tables if not t.startswith(("sqlite_", "search_fts")) and t != "meta"]
    n = 0
    for t in tables:
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info({t})") if r[1] not in SKIP_COLUMNS]
        for col in cols:
            values = [r[0] for r in conn.execute(f'SELECT "{col}" FROM {t} WHERE typeof("{col}") = \'text\'')]
            if not values:
                continue
            if all(v.startswith("[") for v in values):  # a JSON list column
                for (rowid, v) in conn.execute(f'SELECT rowid, "{col}" FROM {t}').fetchall():
                    if isinstance(v, str):
                        conn.execute(f'UPDATE {t} SET "{col}" = ? WHERE rowid = ?',
                                     [json.dumps([STORED, *json.loads(v)]), rowid])  # fmt: skip
            else:
                conn.execute(f'UPDATE {t} SET "{col}" = "{col}" || ? WHERE typeof("{col}") = \'text\'', [STORED])
            n += 1
    conn.execute(
        "INSERT INTO members (slug, name, level, embedded) VALUES (?, ?, 'national', 0)", [BAD_SLUG, STORED]
    )
    conn.execute(
        "INSERT INTO changes (run_id, at, member_slug, member_name, action, kind, key, summary) "
        "VALUES (1, ?, ?, ?, ?, 'member', ?, ?)",
        [STORED, BAD_SLUG, STORED, "added" + STORED, STORED, STORED],
    )
    conn.commit()
    conn.close()
    return n


def _unsafe(data: bytes) -> list[str]:
    found = [repr(b) for b in UNSAFE_BYTES if b in data]
    if data.replace(b"\r\n", b"\n").count(b"\r"):  # a CR that can overwrite a line (CSV's CRLF is fine)
        found.append("lone CR")
    text = data.decode("utf-8", errors="replace")
    return found + sorted({f"U+{ord(ch):04X}" for ch in text if ch in UNSAFE_CHARS})


def _run_bytes(home, *args):
    return subprocess.run([*OGPTUI, *args], env=cli_env(home), capture_output=True, timeout=60)


@pytest.fixture
def poisoned_home(make_fake_site, ogptui_home):
    site = make_fake_site(default_site())
    with open_store() as s:
        summary = asyncio.run(run_sync(s, slugs=[SLUG, "peru"], source=site.url, source_options=FAST))
        assert summary.outcome == "ok"
    columns = _poison(ogptui_home / "cache.db")
    assert columns >= 40  # the scan really reached the tables
    return ogptui_home, site, columns


POISONED_COMMANDS = [
    ["show", SLUG],
    ["show", SLUG, "--json"],
    ["show", SLUG, "--format", "md"],
    ["show", SLUG, "--format", "csv"],
    ["show", SLUG, "--format", "csv", "--table", "resources"],
    ["show", "peru"],
    ["show", BAD_SLUG],
    ["show", "evil"],  # the error line's "did you mean" names the hostile slug
    ["members"],
    ["members", "--json"],
    ["changes"],
    ["changes", "--json"],
    ["search", "valdoria"],
    ["search", "valdoria", "--json"],
    ["search", "evil"],
    ["watch", "evil"],
]


@pytest.mark.slow
def test_every_output_path_is_safe_with_a_poisoned_store(poisoned_home, tmp_path):
    home, site, columns = poisoned_home
    outputs = 0
    for args in POISONED_COMMANDS:
        r = _run_bytes(home, *args)
        assert b"Traceback" not in r.stderr, (args, r.stderr[-2000:])
        assert r.returncode in (0, 2), (args, r.returncode, r.stderr)
        assert _unsafe(r.stdout) == [] and _unsafe(r.stderr) == [], (args, _unsafe(r.stdout), _unsafe(r.stderr))
        assert r.stdout or r.stderr
        if r.returncode == 2:
            assert len(r.stderr.splitlines()) == 1, (args, r.stderr)  # still one line
        outputs += 1
    out = _run_bytes(home, "show", SLUG).stdout.decode()
    assert "end" in out and "pwned" not in out and "ZXZpbA" not in out  # escape sequences go whole
    assert json.loads(_run_bytes(home, "show", SLUG, "--json").stdout)["slug"] == SLUG

    # the import summary: a bundle carrying the hostile values, into another home
    bundle = tmp_path / "hostile.bundle"
    r = _run_bytes(home, "export", str(bundle))
    assert r.returncode == 0, r.stderr
    other = tmp_path / "other-home"
    r = _run_bytes(other, "import", str(bundle))
    assert b"Traceback" not in r.stderr and r.returncode == 0, r.stderr
    assert _unsafe(r.stdout) == [] and _unsafe(r.stderr) == [] and r.stdout
    for args in (["members"], ["changes"], ["show", SLUG]):
        r = _run_bytes(other, *args)
        assert r.returncode == 0 and _unsafe(r.stdout) == [] and _unsafe(r.stderr) == [], args

    # a hostile slug typed at the sync and watch doors: refused in one safe line, never sent or stored
    for args in (["sync", SLUG, BAD_SLUG, "--source", site.url], ["watch", "--force", BAD_SLUG]):
        r = _run_bytes(home, *args)
        assert r.returncode == 2 and len(r.stderr.splitlines()) == 1 and b"is not a member slug" in r.stderr
        assert _unsafe(r.stdout) == [] and _unsafe(r.stderr) == [], args
    with open_store(seed=False) as s:
        assert BAD_SLUG not in s.watchlist()
    report("hostile-store-output", columns_poisoned=columns, commands=outputs + 7, unsafe_bytes_found=0)
