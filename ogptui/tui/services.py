"""What the app does to the outside world: sync, probe the source, open a browser.

The app takes a `Services` in its constructor; `Services()` is the real thing, and tests pass fakes
(`Services(sync=fake_sync)`), so the app has no branch of its own for tests. The real functions import
their modules on first use: `ogptui.sync` brings httpx, which start-up does not need.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ogptui.sync import SyncEvent, SyncSummary


class SyncFunction(Protocol):
    """Runs a whole sync in the calling (worker) thread; reports progress through `on_event`, stops at
    its next request once `cancel` is set. `ogptui.sync.sync_blocking` is one."""

    def __call__(
        self,
        *,
        slugs: list[str] | None,
        watchlist: bool,
        source: str,
        on_event: Callable[[SyncEvent], None],
        cancel: threading.Event,
    ) -> SyncSummary: ...


CANCEL_POLL = 0.05  # seconds between looks at the cancel event while a sync runs


def real_sync(
    *,
    slugs: list[str] | None,
    watchlist: bool,
    source: str,
    on_event: Callable[[SyncEvent], None],
    cancel: threading.Event,
) -> SyncSummary:
    """`ogptui.sync.run_sync` in this (worker) thread's own event loop, with its own store.

    Quitting must not wait for a request in flight (a hanging source holds one for up to 10 s, retries
    longer): once `cancel` is set the sync's task is cancelled at once, wherever it waits. The sync records
    the run as interrupted (what was stored stays; the next sync resumes it, as after Ctrl-C)."""
    import asyncio

    from ogptui.store import open_store
    from ogptui.sync import SyncSummary, run_sync

    async def cancellable() -> SyncSummary:
        task = asyncio.ensure_future(
            run_sync(store, slugs=slugs, watchlist=watchlist, source=source, on_event=on_event, cancel=cancel)
        )
        while not task.done():
            if cancel.is_set():
                task.cancel()
                break
            await asyncio.wait({task}, timeout=CANCEL_POLL)
        try:
            return await task
        except asyncio.CancelledError:
            return SyncSummary(outcome="interrupted", message="sync interrupted; run `ogptui sync` to finish")

    with open_store() as store:
        return asyncio.run(cancellable())


def real_probe(source: str) -> bool:
    """Does the source answer at all? (never raises)"""
    from ogptui.sync import source_reachable

    return source_reachable(source)


def real_open_url(url: str) -> bool:
    """Open `url` in the user's browser; False when no browser could be started."""
    import webbrowser

    return webbrowser.open(url, new=2)


@dataclass(frozen=True)
class Services:
    sync: SyncFunction = real_sync
    probe: Callable[[str], bool] = real_probe
    open_url: Callable[[str], object] = real_open_url  # False: no browser found (anything else: opened)
