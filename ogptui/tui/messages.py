"""Typed messages the app's background workers post from their threads (`post_message` is thread-safe).

The sync worker posts a `SyncProgressed` per progress event and a `SyncFinished` with the summary; the probe
worker posts `ProbeFinished`. The app handles them with `@on`. A worker that raises posts nothing: the app's
one `Worker.StateChanged` handler turns that into a notification.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from ogptui.sync import SyncEvent, SyncSummary


class SyncProgressed(Message):
    """A sync progress event (start, fetch, member done or failed, offline)."""

    def __init__(self, event: SyncEvent) -> None:
        super().__init__()
        self.event = event


class SyncFinished(Message):
    """A sync ran to its end (whatever its outcome: ok, partial, offline, failed)."""

    def __init__(self, summary: SyncSummary, *, auto: bool) -> None:
        super().__init__()
        self.summary = summary
        self.auto = auto  # started by auto-sync, not by `s`


class ProbeFinished(Message):
    """The answer to "does the source answer at all?"."""

    def __init__(self, reachable: bool, *, sync_after: bool) -> None:
        super().__init__()
        self.reachable = reachable
        self.sync_after = sync_after  # auto-sync asked: sync the stale data if the source answers
