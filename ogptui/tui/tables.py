"""What a table shows, apart from Textual: its rows, the columns that fit the width, the filter and the sort.

A screen builds a `Row` per item once per load (the cells unclipped, the folded text the filter looks in,
a sortable value per column); `TableView.layout` picks the columns and widths for the screen's width
(`render.fit_columns`) and clips the cells once; `TableView.shown` filters and sorts on every keystroke
without building anything. The sort is a column and a direction ("" = the table's own order), cycled by
`S` or set by a click on a header, and kept in the settings (`sort_<table>`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rich.text import Text

from ogptui.clean import fold
from ogptui.tui import render
from ogptui.tui.render import Column

ASC, DESC = "▲", "▼"


@dataclass
class Row:
    key: str
    hay: str  # what the filter looks in (`render.haystack`)
    values: dict[str, Any]  # a sortable value per column (None: unknown, always last)
    cells: dict[str, Text]  # the cells, unclipped
    shown: list[Text] = field(default_factory=list)  # the cells of the shown columns, clipped


def parse_sort(value: str | None) -> tuple[str | None, bool]:
    """"-year" → ("year", True); "" → (None, False)."""
    if not value:
        return None, False
    return value.removeprefix("-"), value.startswith("-")


def format_sort(key: str | None, desc: bool) -> str:
    return "" if key is None else ("-" if desc else "") + key


def next_sort(columns: Sequence[str], key: str | None, desc: bool) -> tuple[str | None, bool]:
    """The order `S` goes through: own order → 1st column ▲ → 1st ▼ → 2nd ▲ → … → last ▼ → own order."""
    if key is None or key not in columns:
        return columns[0], False
    if not desc:
        return key, True
    i = columns.index(key) + 1
    return (columns[i], False) if i < len(columns) else (None, False)


def clicked_sort(column: str, key: str | None, desc: bool) -> tuple[str, bool]:
    """A click on a header: sort by that column, ascending; a second click reverses it."""
    return (column, not desc) if column == key else (column, False)


def _value_key(value: Any) -> tuple[int, Any]:
    n = render.number(value)
    if n is not None:
        return (0, n)
    return (1, fold(render.safe(value)))


def sort_rows(rows: Sequence[Row], key: str | None, desc: bool) -> list[Row]:
    """Stable: equal values keep the table's own order; unknown values go last in both directions."""
    if key is None:
        return list(rows)
    known = [r for r in rows if r.values.get(key) not in (None, "", [])]
    unknown = [r for r in rows if r.values.get(key) in (None, "", [])]
    return sorted(known, key=lambda r: _value_key(r.values[key]), reverse=desc) + unknown


class TableView:
    """The columns, widths and sort of one table; see the module's docstring."""

    def __init__(self, columns: Sequence[Column], sort: str = "") -> None:
        self.columns = tuple(columns)
        self.key, self.desc = parse_sort(sort)
        if self.key not in (None, *self.column_keys):
            self.key, self.desc = None, False
        self.rows: list[Row] = []
        self.fitted: list[tuple[Column, str, int]] = []

    @property
    def column_keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)

    @property
    def sort(self) -> str:
        return format_sort(self.key, self.desc)

    def load(self, rows: list[Row], width: int) -> None:
        """Take the rows, fit the columns to `width` cells and clip the cells to them."""
        self.rows = rows
        self.fitted = render.fit_columns(self.columns, render.natural_widths(r.cells for r in rows), width)
        for r in rows:
            r.shown = render.project(r.cells, self.fitted)

    def headers(self) -> list[tuple[str, str]]:
        """(column key, header) of the shown columns; the sorted one carries ▲ or ▼."""
        out = []
        for c, label, _ in self.fitted:
            if c.key == self.key:
                label = f"{label} {DESC if self.desc else ASC}"
            out.append((c.key, label))
        return out

    def shown(self, words: Sequence[str], keep: Callable[[Row], bool] | None = None) -> list[Row]:
        """The rows the filter `words` (and `keep`) let through, in the current sort."""
        rows = [r for r in self.rows if all(w in r.hay for w in words) and (keep is None or keep(r))]
        return sort_rows(rows, self.key, self.desc)

    def cycle(self) -> None:
        self.key, self.desc = next_sort(self.column_keys, self.key, self.desc)

    def click(self, column: str) -> None:
        if column in self.column_keys:
            self.key, self.desc = clicked_sort(column, self.key, self.desc)

    def describe(self) -> str:
        """"sorted by Year ▼" (or "" in the table's own order)."""
        if self.key is None:
            return ""
        label = next(c.label for c in self.columns if c.key == self.key)
        return f"sorted by {label} {DESC if self.desc else ASC}"
