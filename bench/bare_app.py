"""A bare Textual app, started the same way as ogptui for the start-up ratio: `python -m bench.bare_app`.

It gets the same benchmark hook as `OgpApp`: with OGPTUI_EXIT_AFTER_PAINT=1 it exits right after its
first screen has been painted.
"""

from __future__ import annotations

import os

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static

MARKER = "bare textual app ready"


class BareApp(App[int]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(MARKER)
        yield Footer()

    def on_mount(self) -> None:
        if os.environ.get("OGPTUI_EXIT_AFTER_PAINT") == "1":
            self.screen.call_after_refresh(self.exit, 0)


if __name__ == "__main__":
    raise SystemExit(BareApp().run() or 0)
