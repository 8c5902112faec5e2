"""Shared helpers for the TUI tests (no tests here): a fixed clock, the sample store's contents, an app factory.

The sample members themselves are built in `tests/fakesite/data.py` with the fake site's data.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from weakref import WeakKeyDictionary

from ogptui.model import Member
from tests.fakesite.data import detail_page, sample_member

FIXED_NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


def fixed_now() -> datetime:
    return FIXED_NOW


def fill_store(store, members: list[Member] | None = None, details: bool = True) -> None:
    """Write sample data into a real store (as a sync would)."""
    for m in members or [sample_member()]:
        store.write_member(m)
    if details:
        store.write_commitment(detail_page("TL0001"), "testland")
        store.write_commitment(
            detail_page("TL0002", title="Beneficial ownership register", early_results="Marginal",
                        completion="Limited"),
            "testland",
        )  # fmt: skip


_NOTIFIED: WeakKeyDictionary[Any, list[Any]] = WeakKeyDictionary()


def notified(app) -> list[Any]:
    """The notifications (`textual.notifications.Notification`: `.message`, `.severity`) an app made by
    `make_app` posted while it ran, oldest first, expired ones included. They are recorded through
    `App.run_test(message_hook=...)`, Textual's public way to see every message, rather than by reading
    the app's private `_notifications`."""
    return _NOTIFIED.setdefault(app, [])


def make_app(store=None, *, sync=None, probe=None, open_url=None, **kw):
    """The app as the tests run it: a fixed clock, no cursor blink, no polling, auto-sync off unless asked;
    `sync`, `probe` and `open_url` replace the real services (`ogptui.tui.services.Services`); its
    notifications are recorded for `notified(app)`."""
    from textual.notifications import Notify

    from ogptui.tui.app import OgpApp
    from ogptui.tui.services import Services

    fakes = {"sync": sync, "probe": probe, "open_url": open_url}
    kw.setdefault("services", Services(**{k: v for k, v in fakes.items() if v is not None}))
    kw.setdefault("now", fixed_now)
    kw.setdefault("blink", False)
    kw.setdefault("poll_seconds", 0)
    kw.setdefault("auto_sync", False)
    app = OgpApp(store=store, **kw)
    app.animation_level = "none"  # no tab-underline or scroll animations: faster and deterministic
    record = notified(app)
    run_test = app.run_test

    def run_test_recording(*args, **options):
        def hook(message) -> None:
            if isinstance(message, Notify):
                record.append(message.notification)

        options.setdefault("message_hook", hook)
        return run_test(*args, **options)

    app.run_test = run_test_recording
    return app


def screen_lines(app) -> list[str]:
    """The screen as the person sees it: one string per terminal line (what a snapshot shows as text).

    PRIVATE(textual 8.2.8): the compositor's `render_strips` (what the driver writes)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]
