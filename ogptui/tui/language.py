"""Switching the interface language while the TUI runs: the footer words of every binding, in the language
chosen (`ogptui.i18n`), from the one command list (`commands.COMMANDS`)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual.app import App
from textual.binding import BindingsMap
from textual.dom import DOMNode

from ogptui.i18n import _
from ogptui.tui.commands import COMMANDS

_BY_ID = {c.id: c for c in COMMANDS}


def _relabel(bindings_map: BindingsMap) -> None:
    for key, found in bindings_map.key_to_bindings.items():
        bindings_map.key_to_bindings[key] = [
            replace(b, description=_(_BY_ID[b.id].footer), tooltip=_(_BY_ID[b.id].description))
            if b.id in _BY_ID
            else b
            for b in found
        ]


def relabel_bindings(app: App[Any]) -> None:
    """Footer and tooltip words in the interface language, after it was switched (or chosen after import).

    Textual workaround: a Binding's description is fixed when the class is created (`_merged_bindings`, a
    class attribute, copied into each node's `_bindings`), so both the classes and the live nodes are
    relabelled here; this is the one place that touches those private attributes."""
    classes: list[type[DOMNode]] = [DOMNode]
    while classes:
        cls = classes.pop()
        classes.extend(cls.__subclasses__())
        merged = cls.__dict__.get("_merged_bindings")
        if merged is not None:
            _relabel(merged)
    nodes: list[DOMNode] = [app]
    for screen in app.screen_stack:
        nodes.extend(screen.walk_children(with_self=True))
    for node in nodes:
        _relabel(node._bindings)
    app.refresh_bindings()
