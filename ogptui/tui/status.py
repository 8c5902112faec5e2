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

from ogptui.i18n import N_, _
from ogptui.timefmt import ago, short_date
from ogptui.tui.render import safe

if TYPE_CHECKING:
    from ogptui.store import SyncRun
    from ogptui.sync import SyncEvent

# The app's reactive variables the status bar shows (each is a `var` on OgpApp, watched by StatusBar).
STATUS_FIELDS = ("online", "auto_sync", "sync_progress", "last_run", "embedded_captured")

OUTCOME_WORDS = {
    "ok": N_("✓ ok"),
    "partial": N_("~ partial"),
    "offline": N_("○ offline"),
    "failed": N_("✗ failed"),
    "running": N_("⟳ running"),
    "interrupted": N_("⏸ interrupted"),
    "cancelled": N_("⏸ cancelled"),
    "deadline": N_("◷ stopped at the time limit"),
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


def status_text(status: AppStatus, now: datetime, width: int | None = None) -> Text:
    """The status line; with `width`, the longest of its forms that fits (labels shorten, the embedded
    sample's date goes, the connection and the last sync's outcome stay)."""
    forms = [_status_parts(status, now, level) for level in range(3)]
    if width is not None:
        for parts in forms:
            t = _join(parts, "  ·  " if parts is not forms[-1] else " · ")
            if t.cell_len <= width:
                return t
        t.truncate(max(1, width), overflow="ellipsis")
        return t
    return _join(forms[0])


def _join(parts: list[tuple[str, str]], sep: str = "  ·  ") -> Text:
    t = Text()
    for n, (text, style) in enumerate(parts):
        if n:
            t.append(sep, style="dim")
        t.append(text, style=style)
    return t


def _status_parts(status: AppStatus, now: datetime, level: int) -> list[tuple[str, str]]:
    """The status line's parts at a level of compactness: 0 full, 1 shorter words, 2 shortest."""
    parts: list[tuple[str, str]] = []
    if status.syncing:
        parts.append(("⟳ " + _("syncing") + " " + (safe(status.sync_progress) or "…"), "bold"))
    else:
        if status.online is True:
            parts.append(("● " + _("online"), "bold"))
        elif status.online is False:
            parts.append(("○ " + _("offline"), "bold"))
        else:
            parts.append(("? " + (_("source not checked") if level == 0 else _("not checked")), ""))
        run = status.last_run
        if run is not None and run.outcome != "running":
            when = run.finished_at or run.started_at
            outcome = _(OUTCOME_WORDS[run.outcome]) if run.outcome in OUTCOME_WORDS else safe(run.outcome)
            if level == 2:
                outcome = outcome.split(" ")[0] if run.outcome in OUTCOME_WORDS else outcome
            label = _("last sync") if level < 2 else _("sync")
            parts.append((f"{label} {outcome} {ago(when, now)}", ""))
        elif not status.embedded_captured:
            parts.append((_("never synced"), ""))
    if status.embedded_captured:  # the sample stays labelled until real data replaces it
        if level == 0:
            captured = short_date(status.embedded_captured)
            parts.append(("◆ " + _("embedded sample captured before {date}").format(date=captured), ""))
        else:
            parts.append(("◆ " + _("embedded sample"), ""))
    if status.auto_sync:
        forms = (_("auto-sync on (a)"), _("auto-sync on"), _("auto on"))
    else:
        forms = (_("auto-sync off (a)"), _("auto-sync off"), _("auto off"))
    parts.append((forms[level], "dim"))
    return parts


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
