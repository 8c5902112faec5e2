"""What a table shows, apart from Textual: its rows, the columns that fit the width, the filter and the sort.

A screen builds a `Row` per item once per load (the cells unclipped, the folded text the filter looks in,
a sortable value per column); `TableView.layout` picks the columns and widths for the screen's width
(`fit_columns`) and clips the cells once; `TableView.shown` filters and sorts on every keystroke
without building anything. The sort is a column and a direction ("" = the table's own order), cycled by
`S` or set by a click on a header, and kept in the settings (`sort_<table>`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rich.text import Text

from ogptui.clean import fold
from ogptui.i18n import _
from ogptui.tui import render

ASC, DESC = "▲", "▼"


@dataclass(frozen=True)
class Column:
    """A table column as `fit_columns` lays it out.

    `min`: None keeps the column as wide as its widest cell; a number lets it be clipped down to that many
    cells when the screen is narrow. `grow`: clipped first (a title, a role: long text that reads fine cut).
    `short`: the header when the room is short. `drop`: 0 always shown; otherwise hidden at narrow widths,
    the highest first (it is still in the detail, the filter and the sort). `cap`: a column other than the
    `grow` ones is clipped to this many cells before the `grow` ones give way (a long policy area)."""

    key: str
    label: str
    short: str | None = None
    min: int | None = None
    grow: bool = False
    drop: int = 0
    cap: int | None = None


CELL_PADDING = 2  # DataTable's cell_padding 1, each side


def fit_columns(
    columns: Sequence[Column], natural: Mapping[str, int], width: int
) -> list[tuple[Column, str, int]]:
    """[(column, header, width)] of the columns shown, so the table fits `width` cells without scrolling
    sideways. In turn, until it fits: columns with a `cap` are clipped to it, then the `grow` columns down
    to their `min`, then the other columns that have a `min`; then the same with the shorter headers; then
    a column is hidden (highest `drop` first) and it starts again. A column is never wider than its widest
    cell or header."""
    shown = list(columns)
    while True:
        for short in (False, True):
            layout: list[list[Any]] = []
            for c in shown:
                label = _(c.short or c.label) if short else _(c.label)
                layout.append([c, label, max(natural.get(c.key, 0), len(label))])
            total = sum(w + CELL_PADDING for _c, _l, w in layout)
            steps = [(e, e[0].cap) for e in layout if e[0].cap is not None and not e[0].grow]
            steps += [(e, e[0].min) for e in layout if e[0].grow]
            steps += [(e, e[0].min) for e in layout if e[0].min is not None and not e[0].grow]
            for entry, least in steps:
                if total <= width:
                    break
                c, label, w = entry
                floor = max(least or 0, len(label), 1)
                take = min(max(0, w - floor), total - width)
                entry[2] = w - take
                total -= take
            if total <= width:
                return [(c, label, w) for c, label, w in layout]
        droppable = [c for c in shown if c.drop]
        if not droppable:
            return [(c, label, w) for c, label, w in layout]
        shown.remove(max(droppable, key=lambda c: c.drop))


def natural_widths(rows: Iterable[Mapping[str, Text]]) -> dict[str, int]:
    """The widest cell of each column over `rows` ({column: cell})."""
    out: dict[str, int] = {}
    for row in rows:
        for key, cell in row.items():
            n = cell.cell_len
            if n > out.get(key, 0):
                out[key] = n
    return out


def project(row: Mapping[str, Text], layout: Sequence[tuple[Column, str, int]]) -> list[Text]:
    """The cells of the shown columns, each clipped to its width (with an ellipsis)."""
    out = []
    for c, _label, w in layout:
        cell = row.get(c.key) or Text("")
        if cell.cell_len > w:
            cell = cell.copy()
            cell.truncate(w, overflow="ellipsis")
        out.append(cell)
    return out


def type_bar(labels: list[str], active: int, width: int, tail: str = "", key: str = "t") -> Text:
    """`t [All 40] · IRM Report 9 · …`: a filter's choices (`key` cycles them) on one line of `width` cells,
    the active one in brackets and reversed. When they do not all fit, a window of them around the active one is shown
    with `…` where more are hidden, so the selection is always on screen; `tail` ("showing 5") always is."""

    def cell(n: int) -> tuple[str, str]:
        return (f"[{labels[n]}]", "reverse") if n == active else (labels[n], "dim")

    def line(lo: int, hi: int) -> Text:
        t = Text()
        t.append(f"{key} ", style="bold")
        if lo > 0:
            t.append("… ", style="dim")
        for n in range(lo, hi + 1):
            if n > lo:
                t.append(" · ", style="dim")
            text, style = cell(n)
            t.append(text, style=style)
        if hi < len(labels) - 1:
            t.append(" …", style="dim")
        if tail:
            t.append(f"   {tail}", style="dim")
        return t

    if not labels:
        return line(0, -1)
    active = max(0, min(active, len(labels) - 1))
    lo = hi = active
    grew = True
    while grew:  # widen the window, right first, while it fits
        grew = False
        if hi + 1 < len(labels) and line(lo, hi + 1).cell_len <= width:
            hi, grew = hi + 1, True
        if lo > 0 and line(lo - 1, hi).cell_len <= width:
            lo, grew = lo - 1, True
    out = line(lo, hi)
    if out.cell_len > width:
        out.truncate(max(1, width), overflow="ellipsis")
    return out


@dataclass
class Row:
    key: str
    hay: str  # what the filter looks in (`render.haystack`)
    values: dict[str, Any]  # a sortable value per column (None: unknown, always last)
    cells: dict[str, Text]  # the cells, unclipped
    shown: list[Text] = field(default_factory=list)  # the cells of the shown columns, clipped


def parse_sort(value: str | None) -> tuple[str | None, bool]:
    """ "-year" → ("year", True); "" → (None, False)."""
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
        self.fitted = fit_columns(self.columns, natural_widths(r.cells for r in rows), width)
        for r in rows:
            r.shown = project(r.cells, self.fitted)

    def headers(self) -> list[tuple[str, str]]:
        """(column key, header) of the shown columns; the sorted one carries ▲ or ▼."""
        out = []
        for c, label, _w in self.fitted:
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
        """ "sorted by Year ▼" (or "" in the table's own order)."""
        if self.key is None:
            return ""
        label = next(c.label for c in self.columns if c.key == self.key)
        return _("sorted by {column}").format(column=f"{_(label)} {DESC if self.desc else ASC}")
