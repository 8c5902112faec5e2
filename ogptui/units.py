"""Sizes as people read them ("696 kB", "1.3 MB", "8 MB"), the same everywhere in the app's messages."""

from __future__ import annotations


def human_size(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f}".removesuffix(".0") + " MB"
    if n >= 1_000:
        return f"{n / 1_000:.0f} kB"
    return f"{n} B"
