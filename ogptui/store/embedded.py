"""The embedded sample (Peru's member page) that fills an empty cache, so the app works with no network."""

from __future__ import annotations

import json
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ogptui.store.store import Store


def embedded_manifest() -> dict:
    return json.loads(resources.files("ogptui.data").joinpath("embedded.json").read_text(encoding="utf-8"))


def load_embedded(store: Store) -> bool:
    """Parse the shipped page with the normal parser and store it, marked as the embedded sample."""
    from ogptui.parse import parse_page

    man = embedded_manifest()
    text = resources.files("ogptui.data").joinpath(man["file"]).read_text(encoding="utf-8")
    captured = man["captured_before"]
    # fetched_at stays None: the capture date is not known exactly, only that it is older than `captured`.
    member = parse_page(text, url=man["url"], kind="member")
    store.write_member(member, embedded=True, captured_at=captured)
    return True
