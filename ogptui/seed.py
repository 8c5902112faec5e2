"""The app's way to open the store: an empty cache is filled with the embedded sample (Peru's member page),
so the app works with no network from its first start.

This lives above `ogptui.store` because it parses: the store never imports the parser (see the layer
contracts in pyproject.toml). The CLI, the TUI and the sync worker open their store here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from ogptui import config
from ogptui.model import Member
from ogptui.store import Store


def embedded_manifest() -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads(
        resources.files("ogptui.data").joinpath("embedded.json").read_text(encoding="utf-8")
    )
    return manifest


def load_embedded(store: Store) -> None:
    """Parse the shipped page with the normal parser and store it, marked as the embedded sample."""
    from ogptui.parse import parse_page  # only for an empty cache: the parser stays out of start-up

    man = embedded_manifest()
    text = resources.files("ogptui.data").joinpath(man["file"]).read_text(encoding="utf-8")
    # fetched_at stays None: the capture date is not known exactly, only that it is older than `captured`.
    member = parse_page(text, url=man["url"], kind="member")
    assert isinstance(member, Member)  # kind="member" gives a Member or raises PageRejected
    store.write_member(member, embedded=True, captured_at=man["captured_before"])


def open_store(
    paths: config.Paths | None = None, *, seed: bool = True, writable: Callable[[Path], bool] | None = None
) -> Store:
    """The Store on `paths` (default: the configured data folder); `seed`: fill an empty cache with the
    embedded sample."""
    store = Store(paths or config.paths(), writable=writable)
    if seed:
        try:
            store.fill_if_empty(load_embedded)
        except BaseException:
            store.close()
            raise
    return store
