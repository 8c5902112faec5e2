"""The status bar's words: online/offline, last sync, a running sync's progress, auto-sync.

`AppStatus` is a snapshot of the app's reactive state (`OgpApp.status`); `status_text` turns it into the
one line the status bar shows. No Textual imports, so this is cheap to unit-test. Everything that came from
the store or a sync (outcome, slugs, messages) is cleaned on the way out (`render.safe`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text

from ogptui.timefmt import ago, short_date
from ogptui.tui.render import safe

if TYPE_CHECKING:
    from ogptui.store import SyncRun
    from ogptui.sync import SyncEvent

# The app's reactive variables the status bar shows (each is a `var` on OgpApp, watched by StatusBar).
STATUS_FIELDS = ("online", "auto_sync", "sync_progress", "last_run", "embedded_captured")

OUTCOME_WORDS = {
    "ok": "✓ ok",
    "partial": "~ partial",
    "offline": "○ offline",
    "failed": "✗ failed",
    "running": "⟳ running",
    "interrupted": "⏸ interrupted",
    "cancelled": "⏸ cancelled",
    "deadline": "◷ stopped at the time limit",
}


@dataclass(frozen=True)
class AppStatus:
    online: bool | None = None  # None: the source has not been checked yet
    auto_sync: bool = False
    sync_progress: str | None = None  # None: no sync running; else what it is doing
    last_run: SyncRun | None = None
    embedded_captured: str | None = None  # when the embedded sample was captured, if it is in the cache

    @property
    def syncing(self) -> bool:
        return self.sync_progress is not None


def status_text(status: AppStatus, now: datetime) -> Text:
    t = Text()
    if status.syncing:
        t.append("⟳ syncing ", style="bold")
        t.append(safe(status.sync_progress) or "…")
    else:
        if status.online is True:
            t.append("● online", style="bold")
        elif status.online is False:
            t.append("○ offline", style="bold")
        else:
            t.append("? source not checked")
        t.append("  ·  ", style="dim")
        run = status.last_run
        if run is not None and run.outcome != "running":
            when = run.finished_at or run.started_at
            outcome = OUTCOME_WORDS.get(run.outcome) or safe(run.outcome)
            t.append(f"last sync {outcome} {ago(when, now)}")
        elif status.embedded_captured:
            t.append(f"◆ embedded sample captured before {short_date(status.embedded_captured)}")
        else:
            t.append("never synced")
    t.append("  ·  ", style="dim")
    t.append(f"auto-sync {'on' if status.auto_sync else 'off'} (a)", style="dim")
    return t


def progress_text(event: SyncEvent) -> str:
    """What a progress event says: a bar of ten cells with done/total and the member, else its message."""
    bar = ""
    if event.total:
        filled = max(0, min(10, int(10 * event.done / event.total)))
        bar = "▰" * filled + "▱" * (10 - filled) + f" {event.done}/{event.total} "
    return safe(f"{bar}{event.slug or ''}".strip()) or safe(event.message) or "…"


def starting_text(what: str) -> str:
    """The progress shown from `s` until the first event arrives."""
    return f"{safe(what)}…" if what else "…"
