"""App state as reactive variables, sync and probe results as typed messages, services injected.

A fake sync (`StepSync`) runs in the app's real thread worker and does what the test says, one step at a
time: post a progress event, write to the cache from its own connection (as the real sync does), return a
summary or raise. The status bar and the member screen's header must follow each step by themselves (they
watch the app's variables; nothing calls a refresh).
"""

from __future__ import annotations

import ast
import queue
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from textual.widgets import Static

from ogptui.model import Contact
from ogptui.seed import open_store
from ogptui.sync import SyncEvent, SyncSummary
from ogptui.tui.app import OgpApp
from ogptui.tui.messages import ProbeFinished, SyncFinished, SyncProgressed
from ogptui.tui.status import AppStatus, progress_text, status_text
from tests.fakesite.data import sample_member
from tests.tuikit import FIXED_NOW, make_app

SIZE = (120, 36)
ROOT = Path(__file__).resolve().parent.parent


class StepSync:
    """A sync function for `Services(sync=...)` that waits for the test's steps."""

    def __init__(self) -> None:
        self.steps: queue.Queue = queue.Queue()
        self.calls: list[dict] = []
        self.threads: list[str] = []
        self.cancel: threading.Event | None = None

    def __call__(self, *, slugs, watchlist, source, on_event, cancel):
        self.calls.append({"slugs": slugs, "watchlist": watchlist, "source": source})
        self.threads.append(threading.current_thread().name)
        self.cancel = cancel
        while True:
            step = self.steps.get(timeout=30)
            if isinstance(step, SyncEvent):
                on_event(step)
            elif isinstance(step, BaseException):
                raise step
            elif callable(step):
                step()
            else:
                return step


def status(app) -> str:
    return str(app.screen.query_one("#status", Static).render())


def title(app) -> str:
    return str(app.screen.query_one("#title", Static).render())


def toasts(app) -> list[str]:
    """The notifications on screen, as the user reads them (title and message)."""
    return [str(t.render()) for t in app.screen.query("Toast")]


async def wait_until(pilot, condition, what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.02)
    await pilot.pause()


def rename_member_and_record_run(name: str, outcome: str = "ok") -> None:
    """What a real sync leaves behind: a member written and a finished run, from another connection."""
    with open_store(seed=False) as s:
        run = s.begin_run("https://fake.example", "testland")
        m = sample_member()
        m.name = name
        m.contacts = [*m.contacts, Contact("New Person", "Role", "new@example.gob", "government")]
        s.write_member(m, run_id=run)
        s.finish_run(run, outcome=outcome, members=1, updated=1)


@pytest.mark.slow
async def test_status_follows_offline_online_syncing_progress_done(sample_store):
    """offline → back online → syncing with progress → done: the status bar and the header change by
    themselves at each step; the probe, the sync and the clock are all fakes passed to the constructor."""
    sync = StepSync()
    answers = [False]
    app = make_app(
        store=sample_store,
        slug="testland",
        sync=sync,
        probe=lambda source: answers[-1],
        auto_sync=True,
        recheck_delays=(0.1,),
        source="https://fake.example",
        now=lambda: FIXED_NOW + timedelta(days=3),  # Testland is stale: auto-sync wants it
    )
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.online is False, "the first probe")
        assert "○ offline" in status(app) and "auto-sync on (a)" in status(app)
        assert "Testland" in title(app) and "Testland Renamed" not in title(app)

        answers.append(True)  # the source answers again: the next recheck starts an auto-sync
        await wait_until(pilot, lambda: app.syncing, "the auto-sync")
        assert app.online is True
        assert "⟳ syncing testland…" in status(app)
        assert sync.calls == [{"slugs": ["testland"], "watchlist": False, "source": "https://fake.example"}]
        assert sync.threads[0] != threading.main_thread().name  # the sync ran in the worker's thread

        sync.steps.put(SyncEvent("start", 0, 2))
        await wait_until(pilot, lambda: "0/2" in status(app), "the start event")
        assert "⟳ syncing ▱▱▱▱▱▱▱▱▱▱ 0/2" in status(app)
        sync.steps.put(SyncEvent("member_done", 1, 2, "testland"))
        await wait_until(pilot, lambda: "1/2" in status(app), "a member done")
        assert "▰▰▰▰▰▱▱▱▱▱ 1/2 testland" in status(app)

        sync.steps.put(lambda: rename_member_and_record_run("Testland Renamed"))
        sync.steps.put(SyncSummary(outcome="ok", members=1, updated=1, changes=["Testland: 1 new contact"]))
        await wait_until(pilot, lambda: not app.syncing, "the end of the sync")
        assert "● online" in status(app) and "last sync ✓ ok" in status(app)
        assert "Testland Renamed" in title(app)  # the header reloaded with the cache, no hand-call
        assert app.last_run is not None and app.last_run.outcome == "ok"
        assert app.cache_version >= 1


@pytest.mark.slow
async def test_the_status_bar_of_every_screen_follows_the_same_state(sample_store):
    app = make_app(store=sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.open_member("testland")
        await pilot.pause()
        await pilot.press("2", "enter")  # a commitment over the member over the list
        await pilot.pause()
        bars = [s.query_one("#status", Static) for s in app.screen_stack if s.query("#status")]
        assert len(bars) == 3
        app.online = True
        app.auto_sync = True
        await pilot.pause()
        for bar in bars:
            assert "● online" in str(bar.render()) and "auto-sync on" in str(bar.render())
        app.sync_progress = "half way"
        await pilot.pause()
        assert all("⟳ syncing half way" in str(bar.render()) for bar in bars)


async def test_sync_results_arrive_as_typed_messages(sample_store):
    sync = StepSync()
    seen: list[object] = []
    app = make_app(store=sample_store, slug="testland", sync=sync)
    async with app.run_test(size=SIZE, notifications=True, message_hook=seen.append) as pilot:
        await pilot.press("s")
        sync.steps.put(SyncEvent("member_done", 1, 1, "testland"))
        summary = SyncSummary(outcome="partial", members=1, updated=0, failed=[("x", "timeout")])
        sync.steps.put(summary)
        await wait_until(pilot, lambda: not app.syncing, "the end of the sync")
        progressed = [m for m in seen if isinstance(m, SyncProgressed)]
        finished = [m for m in seen if isinstance(m, SyncFinished)]
        assert [m.event.slug for m in progressed] == ["testland"]
        assert len(finished) == 1 and finished[0].summary is summary and finished[0].auto is False
        await pilot.pause()
        assert any(t.startswith("Sync done") for t in toasts(app)), toasts(app)


async def test_messages_drive_the_state_without_a_worker(sample_store):
    """The handlers work from the messages alone (what a worker in another thread posts)."""
    app = make_app(store=sample_store, slug="testland", auto_sync=False)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        app.sync_progress = "…"
        app.post_message(SyncProgressed(SyncEvent("fetch", 3, 10, "peru")))
        await pilot.pause()
        assert "▰▰▰▱▱▱▱▱▱▱ 3/10 peru" in status(app)
        app.post_message(SyncProgressed(SyncEvent("offline", 3, 10, None, "cannot connect")))
        await pilot.pause()
        assert app.online is False
        offline = SyncSummary(outcome="offline", message="cannot connect to fake.example")
        app.post_message(SyncFinished(offline, auto=False))
        await pilot.pause()
        await pilot.pause()
        assert not app.syncing and "○ offline" in status(app)
        assert any("Offline: cannot connect to fake.example." in t for t in toasts(app)), toasts(app)
        app.post_message(ProbeFinished(True, sync_after=False))
        await pilot.pause()
        assert app.online is True and "● online" in status(app)


async def test_a_late_progress_event_after_the_end_changes_nothing(sample_store):
    app = make_app(store=sample_store, slug="testland")
    async with app.run_test(size=SIZE) as pilot:
        app.post_message(SyncProgressed(SyncEvent("fetch", 1, 2, "peru")))
        await pilot.pause()
        assert not app.syncing and "syncing" not in status(app)


async def test_a_sync_that_raises_is_one_notification_and_the_data_stays(sample_store):
    sync = StepSync()
    app = make_app(store=sample_store, slug="testland", sync=sync)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("s")
        assert app.syncing
        sync.steps.put(RuntimeError("disk on fire"))
        await wait_until(pilot, lambda: not app.syncing, "the failed sync")
        await pilot.pause()
        failed = [t for t in toasts(app) if "disk on fire" in t]
        assert failed == ["Sync\nSync failed: disk on fire. Your cached data is unchanged."], toasts(app)
        assert app.is_running and "Testland" in title(app)
        assert "syncing" not in status(app)
        await pilot.press("s")  # and a new sync can start
        assert app.syncing
        sync.steps.put(SyncSummary(outcome="ok"))
        await wait_until(pilot, lambda: not app.syncing, "the second sync")


async def test_a_probe_that_raises_counts_as_offline(sample_store):
    def probe(source: str) -> bool:
        raise OSError("no route")

    app = make_app(store=sample_store, slug="testland", probe=probe, auto_sync=True, recheck_delays=(60,),
                   now=lambda: FIXED_NOW + timedelta(days=3))  # fmt: skip
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.online is False, "the probe")
        assert "○ offline" in status(app) and app.is_running


@pytest.mark.slow
async def test_quit_during_a_sync_cancels_it(sample_store):
    sync = StepSync()
    app = make_app(store=sample_store, slug="testland", sync=sync)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await wait_until(pilot, lambda: sync.cancel is not None, "the sync to start")
        assert not sync.cancel.is_set()
        await pilot.press("q")
    assert sync.cancel.is_set()
    sync.steps.put(SyncSummary(outcome="cancelled"))  # let the worker thread end


async def test_opening_a_link_uses_the_injected_opener(sample_store):
    opened: list[str] = []
    app = make_app(store=sample_store, slug="testland", open_url=opened.append)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "o")
    assert opened == ["https://www.opengovpartnership.org/documents/testland-results-report/"]


def test_status_text_words():
    run_ok = type("Run", (), {"outcome": "ok", "finished_at": "2025-06-01T11:00:00Z", "started_at": ""})()
    assert str(status_text(AppStatus(), FIXED_NOW)) == (
        "? source not checked  ·  never synced  ·  auto-sync off (a)"
    )
    assert str(status_text(AppStatus(online=True, auto_sync=True, last_run=run_ok), FIXED_NOW)) == (
        "● online  ·  last sync ✓ ok 1 h ago  ·  auto-sync on (a)"
    )
    emb = AppStatus(online=False, embedded_captured="2025-05-30")
    assert "○ offline  ·  ◆ embedded sample captured before 2025-05-30" in str(status_text(emb, FIXED_NOW))
    assert str(status_text(AppStatus(sync_progress="peru…"), FIXED_NOW)).startswith("⟳ syncing peru…")
    # an outcome the app does not know (a bad value in the store) is shown cleaned, not as is
    odd = type("Run", (), {"outcome": "\x1b]0;pwned\x07weird", "finished_at": None, "started_at": "x"})()
    text = str(status_text(AppStatus(last_run=odd), FIXED_NOW))
    assert "last sync weird never" in text and "\x1b" not in text


def test_progress_text():
    assert progress_text(SyncEvent("start", 0, 0)) == "…"
    assert progress_text(SyncEvent("offline", 0, 0, None, "cannot connect")) == "cannot connect"
    assert progress_text(SyncEvent("member_done", 10, 10, "peru")) == "▰▰▰▰▰▰▰▰▰▰ 10/10 peru"
    assert progress_text(SyncEvent("member_done", 12, 10, "x\x1b[2Jy")) == "▰▰▰▰▰▰▰▰▰▰ 12/10 xy"


def test_the_app_reads_no_environment_and_has_no_test_branches():
    """Tests pass fakes through the constructor; only `run()` (the CLI's way in) reads the environment."""
    tree = ast.parse((ROOT / "ogptui" / "tui" / "app.py").read_text(encoding="utf-8"))
    app_class = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "OgpApp")
    names = {n.attr for n in ast.walk(app_class) if isinstance(n, ast.Attribute)}
    names |= {n.id for n in ast.walk(app_class) if isinstance(n, ast.Name)}
    assert not names & {"environ", "getenv", "PYTEST_CURRENT_TEST"}
    literals = [
        n.value for n in ast.walk(app_class) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]
    assert not [v for v in literals if v.startswith("OGPTUI_") or "pytest" in v]
    assert OgpApp.__init__.__kwdefaults__["services"] is None  # None: the real `Services()`
