"""What the app does to the outside world: sync, probe the source, open a browser or a file.

The app takes a `Services` in its constructor; `Services()` is the real thing, and tests pass fakes
(`Services(sync=fake_sync)`), so the app has no branch of its own for tests. The real functions import
their modules on first use: `ogptui.sync` brings httpx, which start-up does not need.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from ogptui.i18n import _

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

    from ogptui.seed import open_store
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
            return SyncSummary(outcome="interrupted", message=_("sync interrupted; run `ogptui sync` to finish"))

    with open_store() as store:
        return asyncio.run(cancellable())


class SyncDocumentFunction(Protocol):
    """Fetches one document page and its files in the calling (worker) thread (`s` in the reader)."""

    def __call__(
        self,
        *,
        document: str,
        member_slug: str,
        source: str,
        on_event: Callable[[SyncEvent], None],
        cancel: threading.Event,
    ) -> SyncSummary: ...


def real_sync_document(
    *,
    document: str,
    member_slug: str,
    source: str,
    on_event: Callable[[SyncEvent], None],
    cancel: threading.Event,
) -> SyncSummary:
    """`ogptui.sync.sync_document_blocking` (the documents sync's one-document entry point), given the
    progress callback and the cancel event when it takes them. Where that entry point is missing (a build
    without the documents sync), the member is synced instead: its documents come with it."""
    import inspect

    from ogptui import sync

    fetch_one = getattr(sync, "sync_document_blocking", None)
    if fetch_one is None:
        return sync.sync_blocking(slugs=[member_slug], source=source, on_event=on_event, cancel=cancel)
    wanted = {"member_slug": member_slug, "source": source, "files": True, "on_event": on_event, "cancel": cancel}
    accepted = inspect.signature(fetch_one).parameters
    return fetch_one(document, **{k: v for k, v in wanted.items() if k in accepted})


def real_probe(source: str) -> bool:
    """Does the source answer at all? (never raises)"""
    from ogptui.sync import source_reachable

    return source_reachable(source)


def real_open_url(url: str) -> bool:
    """Open `url` in the user's browser; False when no browser could be started."""
    import webbrowser

    return webbrowser.open(url, new=2)


def real_open_file(path: str) -> bool:
    """Open a local file with the platform's opener (`open` on macOS, `xdg-open` elsewhere, the shell's
    association on Windows); False when this machine has none. No shell: the path is one argument."""
    import os
    import shutil
    import subprocess
    import sys

    if sys.platform == "win32":
        os.startfile(path)  # type: ignore[attr-defined]
        return True
    opener = shutil.which("open" if sys.platform == "darwin" else "xdg-open")
    if opener is None:
        return False
    subprocess.Popen(
        [opener, path],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    return True


@dataclass(frozen=True)
class Services:
    sync: SyncFunction = real_sync
    probe: Callable[[str], bool] = real_probe
    open_url: Callable[[str], object] = real_open_url  # False: no browser found (anything else: opened)
    sync_document: SyncDocumentFunction = real_sync_document
    open_file: Callable[[str], object] = real_open_file
