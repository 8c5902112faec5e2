"""The Textual app: cache first, keyboard first, background sync.

`run(slug)` is what the CLI calls for bare `ogptui` (slug None: the last viewed member, else the list) and for
`ogptui open SLUG`.
"""

from __future__ import annotations

import os
import sys
import threading
import webbrowser
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

from rich.text import Text
from textual import work
from textual.app import App
from textual.worker import Worker, WorkerState

from ogptui import config
from ogptui.links import check_link
from ogptui.model import Resource
from ogptui.timefmt import ago, freshness_text, short_date
from ogptui.tui.commands import OgpCommands, bindings

_OUTCOME = {
    "ok": "✓ ok",
    "partial": "~ partial",
    "offline": "○ offline",
    "failed": "✗ failed",
    "running": "⟳ running",
}

# Seconds between "is the source back?" checks while offline (then the last value repeats).
RECHECK_DELAYS = (120.0, 240.0, 480.0, 900.0)


def _utcnow() -> datetime:
    return datetime.now(UTC)


class OgpApp(App[int]):
    CSS_PATH = "ogptui.tcss"
    TITLE = "ogptui"
    SCOPE = "app"
    BINDINGS = bindings("app")
    COMMANDS = App.COMMANDS | {OgpCommands}
    ENABLE_COMMAND_PALETTE = True

    def __init__(
        self,
        slug: str | None = None,
        *,
        open_last: bool = False,
        store: Any = None,
        now: Callable[[], datetime] | None = None,
        settings: config.Settings | None = None,
        source: str | None = None,
        auto_sync: bool | None = None,
        sync_fn: Callable[..., Any] | None = None,
        probe_fn: Callable[[str], bool] | None = None,
        open_url: Callable[[str], Any] | None = None,
        blink: bool = True,
        poll_seconds: float = 2.0,
        recheck_delays: tuple[float, ...] = RECHECK_DELAYS,
    ) -> None:
        super().__init__()
        self.start_slug = slug
        self.open_last = open_last
        self._store = store
        self._owns_store = store is None
        self.now = now or _utcnow
        self.settings = settings or config.Settings.load()
        self.source = source or os.environ.get("OGPTUI_SOURCE") or self.settings.source
        if auto_sync is None:
            auto_sync = self.settings.auto_sync and os.environ.get("OGPTUI_NO_AUTOSYNC") != "1"
        self.auto_sync = auto_sync
        self._sync_fn = sync_fn
        self._sync_cancel = threading.Event()
        self._probe_fn = probe_fn
        self._open_url = open_url or (lambda url: webbrowser.open(url, new=2))
        self.blink = blink
        self.poll_seconds = poll_seconds
        self.recheck_delays = recheck_delays
        self.online: bool | None = None  # None = not checked yet
        self.syncing = False
        self.progress = ""
        self._recheck_n = 0
        self._recheck_timer = None
        self._data_version: int | None = None
        self._sync_auto = False

    # --- lifecycle -----------------------------------------------------------------------------
    @property
    def store(self) -> Any:
        if self._store is None:
            from ogptui.store import open_store

            self._store = open_store()
        return self._store

    def on_mount(self) -> None:
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        from ogptui.tui.screens.members import MembersScreen

        self.push_screen(MembersScreen())
        # a damaged cache moved aside, an unreadable user.db, a bad settings.json: say so where the user looks
        for notice in [*(getattr(self.store, "notices", None) or []), *self.settings.notices]:
            self.notify(notice[:1].upper() + notice[1:] + ".", severity="warning", timeout=20, markup=False)
        slug = self.start_slug or (self.settings.last_member if self.open_last else None)
        if slug:
            self.open_member(slug, quiet=self.start_slug is None)
        self._data_version = self._safe_data_version()
        if self.poll_seconds:
            self.set_interval(self.poll_seconds, self._poll_data_version)
        if self.auto_sync:
            self.call_after_refresh(self.check_auto_sync)
            self.set_interval(600, self.check_auto_sync)
        if os.environ.get("OGPTUI_EXIT_AFTER_PAINT") == "1":
            self._exit_after_paint()

    def _exit_after_paint(self) -> None:
        """Start-up benchmark hook (env OGPTUI_EXIT_AFTER_PAINT=1, set by `python -m bench`): exit with 0
        right after the first screen shown (the member screen when one is opened) has been painted."""
        screen = self.screen
        if not screen.is_mounted:  # a pushed screen mounts a few messages later
            self.call_later(self._exit_after_paint)
            return
        screen.call_after_refresh(self.exit, 0)

    def on_unmount(self) -> None:
        self._sync_cancel.set()
        if self._store is not None and self._owns_store:
            try:
                self._store.close()
            except Exception:
                pass

    def _theme_changed(self, theme: Any) -> None:
        name = getattr(theme, "name", None) or str(theme)
        if name != self.settings.theme:
            self.settings.theme = name
            self._save_settings()

    def _save_settings(self) -> None:
        try:
            self.settings.save()
        except OSError as e:
            self.notify(f"Could not save settings: {e}", severity="warning", markup=False)

    # --- navigation ----------------------------------------------------------------------------
    def open_member(
        self, slug: str, *, quiet: bool = False, tab: str = "overview", select: str | None = None
    ) -> bool:
        """Push the member screen on `tab`; `select` is the key of the row to put the cursor on."""
        from ogptui.tui.screens.member import MemberScreen

        found = self.store.get_member(slug)
        if found is None:
            matches = self.store.find_slug(slug) if hasattr(self.store, "find_slug") else []
            if len(matches) == 1:
                slug = matches[0]
            else:
                if not quiet:
                    self.notify(
                        f"No member '{slug}' in the cache. Sync it first: ogptui sync {slug}",
                        severity="warning",
                        markup=False,
                    )
                return False
        self.push_screen(MemberScreen(slug, tab=tab, select=select))
        if self.settings.last_member != slug:
            self.settings.last_member = slug
            self._save_settings()
        return True

    def open_commitment(self, slug: str, commitment_id: str) -> None:
        from ogptui.tui.screens.commitment import CommitmentScreen

        self.push_screen(CommitmentScreen(slug, commitment_id))

    def open_resource(self, resource: Resource) -> None:
        from ogptui.tui.screens.resource import ResourceScreen

        self.push_screen(ResourceScreen(resource))

    def go_back(self) -> None:
        if len(self.screen_stack) > 2:
            self.pop_screen()

    def action_help(self) -> None:
        from ogptui.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_search(self) -> None:
        from ogptui.tui.screens.search import SearchScreen

        if isinstance(self.screen, SearchScreen):
            self.screen.focus_input()
        else:
            self.push_screen(SearchScreen())

    def action_changes(self) -> None:
        from ogptui.tui.screens.changes import ChangesScreen

        if not isinstance(self.screen, ChangesScreen):
            self.push_screen(ChangesScreen())

    def action_quit(self) -> None:  # type: ignore[override]
        self._sync_cancel.set()  # a running sync stops at its next request instead of holding up the exit
        self.exit(0)

    # --- watch, copy, open ---------------------------------------------------------------------
    def toggle_watch(self, slug: str) -> None:
        from ogptui.store import StoreError

        try:
            if self.store.is_watched(slug):
                self.store.unwatch(slug)
                self.notify(f"No longer watching {slug}.", markup=False)
            else:
                self.store.watch(slug)
                self.notify(f"Watching {slug}: s on the members list syncs the watchlist.", markup=False)
        except StoreError as e:  # user.db is damaged: it is left alone, the watchlist is off
            self.notify(f"Not changed: {e}.", severity="warning", markup=False)
        self.refresh_status()

    def _absolute(self, url: str | None) -> str | None:
        if url and url.startswith("/") and not url.startswith("//"):
            return urljoin(self.source, url)
        return url

    def copy_value(self, value: str | None, what: str) -> None:
        if not value:
            self.notify(f"Nothing to copy: {what}.", severity="warning", markup=False)
            return
        if "@" in value and "/" not in value:
            text = value  # an email address
        else:
            text, reason = check_link(self._absolute(value), self.source)
            if text is None:
                self.notify(f"Not copied: {reason}.", severity="warning", markup=False)
                return
        self.copy_to_clipboard(text)
        self.notify(f"Copied {what}: {text}", markup=False)

    def open_link(self, url: str | None, what: str) -> None:
        if not url:
            self.notify(f"Nothing to open: {what}.", severity="warning", markup=False)
            return
        safe, reason = check_link(self._absolute(url), self.source)
        if safe is None:
            self.notify(f"Not opened: {reason}.", severity="warning", markup=False)
            return
        try:
            self._open_url(safe)
        except Exception as e:  # no browser on this machine
            self.notify(f"Could not open a browser: {e}", severity="warning", markup=False)
            return
        self.notify(f"Opening {safe}", markup=False)

    # --- status --------------------------------------------------------------------------------
    def status_text(self) -> Text:
        now = self.now()
        t = Text()
        if self.syncing:
            t.append("⟳ syncing ", style="bold")
            t.append(self.progress or "…")
        else:
            if self.online is True:
                t.append("● online", style="bold")
            elif self.online is False:
                t.append("○ offline", style="bold")
            else:
                t.append("? source not checked")
            t.append("  ·  ", style="dim")
            run = self._last_run()
            if run is not None and run.outcome != "running":
                when = run.finished_at or run.started_at
                t.append(f"last sync {_OUTCOME.get(run.outcome, run.outcome)} {ago(when, now)}")
            else:
                captured = self._embedded_captured()
                if captured:
                    t.append(f"◆ embedded sample captured before {short_date(captured)}")
                else:
                    t.append("never synced")
        t.append("  ·  ", style="dim")
        t.append(f"auto-sync {'on' if self.auto_sync else 'off'} (a)", style="dim")
        return t

    def _last_run(self) -> Any:
        try:
            return self.store.last_run()
        except Exception:
            return None

    def _embedded_captured(self) -> str | None:
        try:
            for s in self.store.list_members():
                if s.embedded:
                    return s.captured_at
        except Exception:
            return None
        return None

    def refresh_status(self) -> None:
        from ogptui.tui.widgets.common import StatusBar

        for bar in self.screen.query(StatusBar):
            bar.refresh_status()

    # --- refresh when data changes -------------------------------------------------------------
    def _safe_data_version(self) -> int | None:
        try:
            return self.store.data_version()
        except Exception:
            return None

    def _poll_data_version(self) -> None:
        v = self._safe_data_version()
        if v is not None and v != self._data_version:
            self._data_version = v
            self.reload_screens()

    def reload_screens(self) -> None:
        for screen in self.screen_stack:
            reload = getattr(screen, "reload", None)
            if reload is not None and screen.is_mounted:
                reload()
        self.refresh_status()

    # --- sync ----------------------------------------------------------------------------------
    def _sync_api(self) -> Any:
        from ogptui import sync

        return sync

    def start_sync(
        self, *, slugs: list[str] | None = None, watchlist: bool = False, what: str = "", auto: bool = False
    ) -> bool:
        if self.syncing:
            if not auto:
                self.notify("A sync is already running.", markup=False)
            return False
        self.syncing = True
        self._sync_auto = auto
        self._sync_cancel = threading.Event()
        self.progress = f"{what}…" if what else "…"
        self.refresh_status()
        self._sync_worker(slugs, watchlist)
        return True

    @work(thread=True, exclusive=True, exit_on_error=False, group="sync")
    def _sync_worker(self, slugs: list[str] | None, watchlist: bool) -> Any:
        fn = self._sync_fn or self._sync_api().sync_blocking

        def on_event(ev: Any) -> None:
            try:
                self.call_from_thread(self._on_sync_event, ev)
            except RuntimeError:  # the app is closing
                pass

        if self._sync_fn is None:
            return fn(
                slugs=slugs,
                watchlist=watchlist,
                source=self.source,
                on_event=on_event,
                cancel=self._sync_cancel,
            )
        return fn(slugs=slugs, watchlist=watchlist, source=self.source, on_event=on_event)

    def _on_sync_event(self, ev: Any) -> None:
        kind = getattr(ev, "kind", "")
        done, total = getattr(ev, "done", 0), getattr(ev, "total", 0)
        slug = getattr(ev, "slug", None) or ""
        if kind == "offline":
            self.online = False
        elif kind == "member_done":
            self.online = True
        bar = ""
        if total:
            filled = int(10 * done / total)
            bar = "▰" * filled + "▱" * (10 - filled) + f" {done}/{total} "
        self.progress = f"{bar}{slug}".strip() or (getattr(ev, "message", "") or "…")
        self.refresh_status()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group == "sync":
            if event.state == WorkerState.SUCCESS:
                self._sync_finished(worker.result)
            elif event.state in (WorkerState.ERROR, WorkerState.CANCELLED):
                self.syncing = False
                self.progress = ""
                reason = worker.error or "cancelled"
                self.notify(
                    f"Sync failed: {reason}. Your cached data is unchanged.",
                    title="Sync",
                    severity="error",
                    timeout=8,
                    markup=False,
                )
                self.reload_screens()
        elif worker.group == "probe" and event.state == WorkerState.SUCCESS:
            self._probe_done(*worker.result)
        elif worker.group == "probe" and event.state == WorkerState.ERROR:
            self._probe_done(False, True)

    def _sync_finished(self, summary: Any) -> None:
        self.syncing = False
        self.progress = ""
        outcome = getattr(summary, "outcome", "ok")
        text = summary.text() if hasattr(summary, "text") else str(summary)
        if outcome == "offline":
            self.online = False
            self.notify(
                f"Offline: {text}"
                + ("; ogptui will retry when the source answers." if self.auto_sync else "."),
                title="Sync",
                severity="warning",
                timeout=8,
                markup=False,
            )
            if self.auto_sync:
                self._schedule_recheck()
        elif outcome == "failed":
            reasons = "; ".join(
                f"{slug}: {why}" for slug, why in (getattr(summary, "failed", None) or [])[:3]
            )
            self.notify(
                f"Sync failed: {reasons or text}. Your cached data is unchanged.",
                title="Sync",
                severity="error",
                timeout=8,
                markup=False,
            )
            # Is the source down, or only these pages? A cheap probe tells (and syncs nothing itself).
            self._probe_worker(sync_after=False)
        else:
            self.online = True
            self._recheck_n = 0
            changes = list(getattr(summary, "changes", []) or [])
            body = text + ("\n" + "\n".join(changes[:3]) if changes else "")
            if len(changes) > 3:
                body += f"\n… and {len(changes) - 3} more (c shows what changed)"
            severity = "warning" if outcome == "partial" else "information"
            self.notify(body, title="Sync done" if not self._sync_auto else "Auto-sync done",
                        severity=severity, timeout=8, markup=False)  # fmt: skip
        self._data_version = self._safe_data_version()
        self.reload_screens()

    # --- auto-sync -----------------------------------------------------------------------------
    def action_toggle_autosync(self) -> None:
        self.auto_sync = not self.auto_sync
        self.settings.auto_sync = self.auto_sync
        self._save_settings()
        if self.auto_sync:
            self.notify("Auto-sync on: stale data syncs in the background when the source answers.")
            self.check_auto_sync()
        else:
            if self._recheck_timer is not None:
                self._recheck_timer.stop()
                self._recheck_timer = None
            self.notify("Auto-sync off: press s to sync by hand (useful on metered links).")
        self.refresh_status()

    def _auto_target(self) -> tuple[list[str] | None, bool, list[str]]:
        """(slugs, watchlist, slugs to judge staleness by)."""
        watch = self.store.watchlist()
        if watch:
            return None, True, watch
        slug = getattr(self.screen, "slug", None)
        if slug is None:
            for screen in reversed(self.screen_stack):
                slug = getattr(screen, "slug", None)
                if slug:
                    break
        if slug:
            return [slug], False, [slug]
        return None, False, []

    def _is_stale(self, slugs: list[str]) -> bool:
        now = self.now()
        for slug in slugs:
            f = freshness_text(self.store.freshness(slug), now, self.settings.stale_hours)
            if f.state != "fresh":
                return True
        return False

    def check_auto_sync(self) -> None:
        if not self.auto_sync or self.syncing:
            return
        _slugs, _watch, judge = self._auto_target()
        if not judge or not self._is_stale(judge):
            return
        self._probe_worker(sync_after=True)

    @work(thread=True, exclusive=True, exit_on_error=False, group="probe")
    def _probe_worker(self, sync_after: bool) -> tuple[bool, bool]:
        probe = self._probe_fn or self._sync_api().source_reachable
        return bool(probe(self.source)), sync_after

    def _probe_done(self, ok: bool, sync_after: bool) -> None:
        was_offline = self.online is False
        self.online = ok
        self.refresh_status()
        if not self.auto_sync or (ok and not sync_after):
            return
        if not ok:
            self._schedule_recheck()
            return
        self._recheck_n = 0
        slugs, watchlist, judge = self._auto_target()
        if not judge:
            return
        what = "the watchlist" if watchlist else ", ".join(slugs or [])
        if was_offline:
            self.notify(f"Back online: syncing {what} in the background.", markup=False)
        else:
            self.notify(f"Data is stale: syncing {what} in the background.", markup=False)
        self.start_sync(slugs=slugs, watchlist=watchlist, what=what, auto=True)

    def _schedule_recheck(self) -> None:
        if not self.auto_sync:
            return
        if self._recheck_timer is not None:
            self._recheck_timer.stop()
        delay = self.recheck_delays[min(self._recheck_n, len(self.recheck_delays) - 1)]
        self._recheck_n += 1
        self._recheck_timer = self.set_timer(delay, self.check_auto_sync)


def run(slug: str | None = None, store: Any = None) -> int:
    """Start the TUI; returns the exit code. `store`: an open Store to use (the caller closes it)."""
    owned = store is None
    if owned:
        try:
            from ogptui.store import open_store

            store = open_store()
        except Exception as e:  # a broken data folder must be one clear sentence, not a traceback
            print(f"ogptui: cannot open the data folder: {e}", file=sys.stderr)
            return 1
    try:
        app = OgpApp(slug=slug, open_last=slug is None, store=store)
        result = app.run()
    finally:
        if owned:
            store.close()
    return int(result or app.return_code or 0)
