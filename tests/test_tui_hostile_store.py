"""Defence in depth (issue 12.1, the TUI side): whatever the store holds, nothing the TUI shows carries a
control character or an escape sequence, and nothing is read as markup.

The ingest cleans every value, so these values are written straight into cache.db and user.db with sqlite3,
as a crafted bundle, an old cache or a hand edit could leave them: every text column of every table gets
terminal escapes (title change, clipboard write, screen clear, 8-bit CSI), a bidi override, a NUL and Textual
markup that would quit the app if it ran; the JSON lists get them in their items; some number columns hold
text. Then every screen is visited: the members list, the seven tabs, the header and status bar, the footer,
a commitment, a resource, what changed, search (recent searches and results), notifications, and the
terminal title; each is checked as widget text and as the exported screen.
"""

from __future__ import annotations

import html
import json
import re
import sqlite3

import pytest
from textual.widgets import DataTable, OptionList, Static

from ogptui.seed import open_store
from ogptui.sync import SyncEvent, SyncSummary
from tests.crashkit import control_chars_in, text_columns
from tests.tuikit import fill_store, make_app

SIZE = (120, 36)
HOSTILE = "\x1b]0;pwned\x07\x1b[2J\x1b]52;c;cm0gLXJmIH4K\x07\x9b31m\u202eevil\u202c\x00 [@click=app.quit]Q[/]"
EVIL_SLUG = "evil\x1b]0;slug\x07land"
# columns left as they are: the keys that tie rows together and to the screens, flags and counters
KEEP = {
    "members": {"slug", "embedded"},
    "search_docs": {"kind", "member_slug", "ref"},
    "http_state": {"url", "member_slug", "kind", "failures", "not_found", "status"},
    "commitment_details": {"id", "member_slug"},
    "changes": {"member_slug", "run_id"},
}
NUMBERS = {  # number columns that get text instead (a type the code does not expect)
    "members": ("member_since", "action_plan", "plan_number", "plan_commitment_count"),
    "commitments": ("year",),
    "resources": ("year",),
    "performance": ("action_plan", "major", "outstanding", "starred"),
    "participation": ("action_plan",),
    "commitment_details": ("action_plan_cycle",),
}


def poison(value: object) -> object:
    if isinstance(value, str):
        try:
            items = json.loads(value)
        except ValueError:
            items = None
        if isinstance(items, list):  # a JSON list column: the same in every item
            return json.dumps([f"{HOSTILE}{x}{HOSTILE}" for x in items] or [HOSTILE], ensure_ascii=False)
        return f"{HOSTILE}{value}{HOSTILE}"
    return value


@pytest.fixture
def hostile_home(ogptui_home):
    with open_store() as s:
        fill_store(s)
        run = s.begin_run("https://www.opengovpartnership.org", "testland")
        s.finish_run(run, outcome="ok", members=1)
        s.watch("testland")
        s.set_meta("x", "y")
    cache = sqlite3.connect(ogptui_home / "cache.db")
    with cache:
        cache.execute(
            "INSERT INTO changes (run_id, at, member_slug, member_name, action, kind, key, summary) "
            "VALUES (?, '2025-06-01T10:00:00Z', 'testland', 'Testland', 'added', 'commitment', 'TL0001', 'x')",
            [run],
        )
        for table, col in text_columns(cache):
            generated = {r[1] for r in cache.execute(f"PRAGMA table_xinfo({table})") if r[6] in (2, 3)}
            if table == "meta" or col == "member_slug" or col in KEEP.get(table, ()) or col in generated:
                continue
            rows = cache.execute(f'SELECT rowid, "{col}" FROM {table}').fetchall()
            for rowid, value in rows:
                cache.execute(f'UPDATE {table} SET "{col}" = ? WHERE rowid = ?', [poison(value), rowid])
        for table, cols in NUMBERS.items():
            for col in cols:
                cache.execute(f'UPDATE {table} SET "{col}" = ?', [f"{HOSTILE}7"])
        cache.execute("UPDATE http_state SET failures = 1")
        cache.execute(
            "INSERT INTO members (slug, name, level, fetched_at, embedded) VALUES (?, ?, ?, ?, 0)",
            [EVIL_SLUG, f"Aaa {HOSTILE}", HOSTILE, HOSTILE],
        )
    cache.close()
    user = sqlite3.connect(ogptui_home / "user.db")
    with user:
        user.execute("INSERT INTO recent_searches (query, at) VALUES (?, '2025-06-01T10:00:00Z')", [HOSTILE])
        user.execute("INSERT INTO watchlist (slug, added_at) VALUES (?, '2025-06-01T10:00:00Z')", [EVIL_SLUG])
    user.close()
    return ogptui_home


def shown(app) -> str:
    """Everything the current screen shows: widget texts, table cells, options, toasts, the screenshot."""
    parts = [str(w.render()) for w in app.screen.query(Static)]
    for t in app.screen.query(DataTable):
        parts += [c.label.plain for c in t.ordered_columns]
        for row in range(t.row_count):
            parts += [getattr(v, "plain", str(v)) for v in t.get_row_at(row)]
    for options in app.screen.query(OptionList):
        parts += [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    parts += [str(t.render()) for t in app.screen.query("Toast")]
    parts += [app.title, app.sub_title, app.screen.title or "", app.screen.sub_title or ""]
    svg = app.export_screenshot()
    parts.append(html.unescape(re.sub(r"<[^>]+>", "", svg)))
    dirty = [p for p in parts if control_chars_in(p)]
    if dirty:
        i = min(dirty[0].find(chr(int(c[2:], 16))) for c in control_chars_in(dirty[0]))
        raise AssertionError(repr(dirty[0][max(0, i - 200) : i + 100]))
    return "\n".join(parts)


def assert_clean(app, where: str, seen: list[str], screen: str | None = None, evil: bool = True) -> None:
    """The screen shows no control character, and (`evil`) does show the hostile values, cleaned."""
    if screen is not None:
        assert app.screen.id == screen, (where, app.screen)
    text = shown(app)
    if evil:
        assert "evil [@click=app.quit]Q[/]" in text, where
    assert control_chars_in(text) == [], (where, control_chars_in(text))
    assert "pwned" not in text and "cm0gLXJm" not in text, where  # an OSC goes with its payload
    assert app.is_running, where
    assert app.title == "ogptui" and not app.sub_title, where  # the terminal's title is ours
    seen.append(text)


class FailingSync:
    def __call__(self, *, slugs, watchlist, source, on_event, cancel):
        on_event(SyncEvent("member_done", 1, 2, EVIL_SLUG, HOSTILE))
        return SyncSummary(outcome="failed", failed=[(EVIL_SLUG, HOSTILE)], message=HOSTILE)


@pytest.mark.slow
async def test_every_screen_is_clean_whatever_the_store_holds(hostile_home):
    app = make_app(sync=FailingSync())
    quits: list[str] = []
    app.action_quit = lambda: quits.append("quit")  # what [@click=app.quit] would run
    copied: list[str] = []
    app.copy_to_clipboard = copied.append
    seen: list[str] = []
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        assert_clean(app, "members list", seen, "members-screen")
        assert "Aaa" in seen[-1] and "evilland" not in seen[-1]  # the names are there, cleaned
        await pilot.press("w")  # (un)watch the first row: the evil slug, in a notification
        await pilot.pause()
        assert_clean(app, "watch notification", seen)
        await pilot.press("s")  # sync the watchlist: progress and failure name the evil slug
        for _ in range(100):
            await pilot.pause(0.02)
            if not app.syncing:
                break
        await pilot.pause()
        assert_clean(app, "failed sync", seen)
        assert "Sync failed" in seen[-1]

        assert app.open_member("testland")
        await pilot.pause()
        for key in "1234567":
            await pilot.press(key)
            await pilot.pause()
            assert_clean(app, f"tab {key}", seen, "member-screen")
            for x, y in ((2, 0), (10, 3), (30, 5), (5, 8)):  # click where markup could be
                await pilot.click(offset=(x, y))
            assert not quits
            if app.screen.id == "item-screen":  # a click on the highlighted contact or post opens it (14.7)
                await pilot.pause()
                assert_clean(app, f"tab {key} item", seen, "item-screen")
                await pilot.press("escape")
        await pilot.press("5", "y")  # copy an email: the toast quotes it or says why not
        await pilot.pause()
        assert_clean(app, "copy", seen)
        assert all(control_chars_in(c) == [] for c in copied)  # refused (it holds "/"), or clean
        await pilot.press("2")
        app.screen.query_one("#commitments-table", DataTable).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert_clean(app, "commitment detail", seen, "commitment-screen")
        await pilot.press("escape", "3")
        app.screen.query_one("#resources-table", DataTable).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert_clean(app, "resource", seen, "resource-screen")
        await pilot.press("escape", "c")
        await pilot.pause()
        assert_clean(app, "what changed", seen, "changes-screen")
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert_clean(app, "recent searches", seen, "search-screen")
        await pilot.press(*"testland")
        for _ in range(20):
            await pilot.pause(0.02)
        assert_clean(app, "search results", seen, "search-screen")
        assert "results" in seen[-1]
        await pilot.press("escape", "question_mark")
        await pilot.pause()
        assert_clean(app, "help", seen, "help-screen", evil=False)
    everything = "\n".join(seen)
    assert "[@click=app.quit]Q[/]" in everything  # markup shown as the literal text it is
    assert not quits
