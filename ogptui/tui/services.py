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


def real_sync(
    *,
    slugs: list[str] | None,
    watchlist: bool,
    source: str,
    on_event: Callable[[SyncEvent], None],
    cancel: threading.Event,
) -> SyncSummary:
    from ogptui.sync import sync_blocking

    return sync_blocking(slugs=slugs, watchlist=watchlist, source=source, on_event=on_event, cancel=cancel)


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
    open_url: Callable[[str], object] = real_open_url
