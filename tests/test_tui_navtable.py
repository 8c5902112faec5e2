"""NavTable's fast refill against the public way: `DataTable.clear()` + `add_row()` for every row.

`NavTable._replace_rows` writes DataTable's private row storage in one pass (textual is pinned; see the
`PRIVATE(textual ...)` comments in `ogptui/tui/widgets/navtable.py`). These tests run the same refills on a
NavTable and on a stock DataTable filled the public way, side by side in one app, and compare everything a
user or the code can see: row keys and order, cell values, cursor, column widths, scroll, and the rendered
lines. A Textual upgrade that changes those internals fails here, not on the screen; one that removes them
makes NavTable fall back to the public methods, which fails `test_the_fast_path_is_the_one_taken`.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist

from ogptui.tui.widgets.navtable import NavTable

COLUMNS = ("ID", "Name", "Count")
Rows = list[tuple[Hashable, Sequence[Any]]]


def reference_refill(t: DataTable, rows: Rows, keep: Hashable | None = None) -> None:
    """What NavTable.refill promises, with public DataTable methods only: the rows replaced, the cursor back
    on `keep` (default: the current row's key), else on the same row number."""
    if keep is None and t.row_count:
        keep = t.coordinate_to_cell_key(t.cursor_coordinate).row_key.value
    old_row = t.cursor_row
    t.clear()
    for key, cells in rows:
        t.add_row(*cells, key=str(key))
    if rows:
        try:
            target = t.get_row_index(str(keep))
        except RowDoesNotExist:
            target = min(max(old_row, 0), len(rows) - 1)
        t.move_cursor(row=target, animate=False, scroll=True)


class TwoTables(App[None]):
    CSS = "DataTable { height: 9; width: 70; }"
    AUTO_FOCUS = None  # neither table focused: the cursor renders the same in both

    def compose(self) -> ComposeResult:
        yield NavTable(id="fast")
        yield DataTable(id="ref", cursor_type="row", zebra_stripes=True)

    def __init__(self) -> None:
        super().__init__()
        self.highlighted: dict[str, list[str | None]] = {"fast": [], "ref": []}

    def on_mount(self) -> None:
        for t in self.query(DataTable):
            for label in COLUMNS:
                t.add_column(label, key=label.lower())

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.highlighted[event.data_table.id or ""].append(event.row_key.value)


def make_rows(n: int, *, name: str = "member", start: int = 0) -> Rows:
    """Rows keyed like the app's (str or int keys), cells as the app builds them (Text, some dim)."""
    return [
        (f"k{i:03d}", [Text(f"K{i:03d}"), Text(f"{name} {i}"), Text(str(i * 7), justify="right")])
        for i in range(start, start + n)
    ]


def state(t: DataTable) -> dict[str, Any]:
    def plain(v: Any) -> str:
        return v.plain if isinstance(v, Text) else str(v)

    lines = []
    for y in range(t.size.height):
        strip = t.render_line(y)
        # text, style and meta (the row and column a mouse click reports)
        lines.append([(seg.text, str(seg.style), seg.style and seg.style.meta) for seg in strip])
    return {
        "keys": [row.key.value for row in t.ordered_rows],
        "cells": [[plain(v) for v in t.get_row(row.key)] for row in t.ordered_rows],
        "row_count": t.row_count,
        "cursor": t.cursor_coordinate,
        "current": (t.coordinate_to_cell_key(t.cursor_coordinate).row_key.value if t.row_count else None),
        "widths": [(c.label.plain, c.content_width, c.get_render_width(t)) for c in t.ordered_columns],
        "virtual_size": t.virtual_size,
        "scroll": (t.scroll_x, t.scroll_y),
        "lines": lines,
    }


async def refill_both(pilot, rows: Rows, keep: Hashable | None = None) -> tuple[dict, dict]:
    fast = pilot.app.query_one("#fast", NavTable)
    ref = pilot.app.query_one("#ref", DataTable)
    fast.refill(rows, keep=keep)
    reference_refill(ref, rows, keep=keep)
    await pilot.pause()  # DataTable measures on idle
    await pilot.pause()
    # the row a RowHighlighted last named (what the member screen's footer and actions follow)
    last = {k: (v[-1] if v else None) for k, v in pilot.app.highlighted.items()}
    return {**state(fast), "highlighted": last["fast"]}, {**state(ref), "highlighted": last["ref"]}


async def test_refill_equals_clear_and_add_rows_over_many_refills():
    app = TwoTables()
    everything = make_rows(30)
    steps: list[tuple[str, Rows, Hashable | None]] = [
        ("first fill", everything, None),
        ("narrower filter", [r for r in everything if "1" in r[0]], None),
        ("wider filter", everything, None),
        ("identical", everything, None),
        ("empty", [], None),
        ("after empty", everything, None),
        ("reordered", list(reversed(everything)), None),
        ("a wider cell widens its column", [*everything[:5], *make_rows(3, name="a much longer name", start=40)],
         None),
        ("cursor's row filtered away: same row number", everything[20:], None),
        ("changed cells under the same keys", make_rows(30, name="renamed"), None),
        ("explicit keep", everything, "k025"),
        ("keep that is not there", everything[:10], "k029"),
        ("one row", everything[3:4], None),
    ]  # fmt: skip
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for n, (what, rows, keep) in enumerate(steps):
            fast, ref = await refill_both(pilot, rows, keep)
            assert fast == ref, what
            if n == 0:  # put the cursor somewhere inside, scrolled, for the next steps
                for t in app.query(DataTable):
                    t.move_cursor(row=12, animate=False, scroll=True)
                await pilot.pause()
                assert state(app.query_one("#fast", NavTable)) == state(app.query_one("#ref", DataTable))
        assert fast["current"] == "k003" and fast["row_count"] == 1


async def test_the_fast_path_is_the_one_taken(monkeypatch):
    """If a Textual upgrade removed the private attributes, refill would fall back to clear() + add_row():
    still right, but the filter's speed gone. This fails then, so the pin is revisited on purpose."""
    app = TwoTables()
    async with app.run_test(size=(80, 24)) as pilot:
        fast = app.query_one("#fast", NavTable)
        calls: list[str] = []
        monkeypatch.setattr(fast, "clear", lambda columns=False: calls.append("clear"))
        monkeypatch.setattr(fast, "add_row", lambda *a, **k: calls.append("add_row"))
        for rows in (make_rows(30), make_rows(5), [], make_rows(12, start=3)):
            fast.refill(rows)
            await pilot.pause()
        assert calls == []
        assert [r.key.value for r in fast.ordered_rows] == [k for k, _ in make_rows(12, start=3)]


async def test_identical_refill_keeps_cursor_and_scroll_and_changes_nothing():
    app = TwoTables()
    async with app.run_test(size=(80, 24)) as pilot:
        fast = app.query_one("#fast", NavTable)
        rows = make_rows(30)
        fast.refill(rows)
        await pilot.pause()
        fast.move_cursor(row=17, animate=False, scroll=True)
        await pilot.pause()
        before = (fast.cursor_coordinate, fast.scroll_y, fast._update_count)
        fast.refill(make_rows(30))  # equal cells, new objects
        await pilot.pause()
        assert (fast.cursor_coordinate, fast.scroll_y, fast._update_count) == before


async def test_duplicate_keys_are_refused_and_the_table_is_unchanged():
    app = TwoTables()
    async with app.run_test(size=(80, 24)) as pilot:
        fast = app.query_one("#fast", NavTable)
        fast.refill(make_rows(4))
        await pilot.pause()
        before = state(fast)
        rows = make_rows(4)
        try:
            fast.refill([*rows, rows[0]])
        except Exception as e:
            assert "already exists" in str(e)
        else:
            raise AssertionError("a duplicate key was accepted")
        await pilot.pause()
        assert state(fast) == before


async def test_measuring_equals_datatable_for_hostile_widths():
    """NavTable measures plain Text cells itself (`_update_dimensions`); the widths must be DataTable's."""
    app = TwoTables()
    odd = [
        Text("日本語の名前"), Text("emoji 🙂🙂 here"), Text("two\nlines, the second longer"),
        Text(""), Text("tab\tin it"), Text("line\u2028separator wider on the left"), Text("x" * 600),
        Text("combining e\u0301e\u0301e\u0301"), Text("\x1cfile sep"), Text("  padded  ", justify="right"),
    ]  # fmt: skip
    mixed = "plain str cell"  # not a Text: measured by DataTable itself
    rows: Rows = [(f"h{i}", [odd[i % len(odd)], odd[(i * 3) % len(odd)], Text(str(i))]) for i in range(12)]
    rows.append(("s", [Text("S"), mixed, Text("9")]))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for step in (rows[:1], rows, rows[3:], [*rows, ("w", [Text("W" * 90), Text("w"), Text("1")])]):
            fast, ref = await refill_both(pilot, step)
            assert fast["widths"] == ref["widths"]
            assert fast == ref


async def test_rows_filtered_away_before_they_were_measured_are_measured_when_they_come_back():
    app = TwoTables()
    base = make_rows(5)
    wide = ("w", [Text("W"), Text("a name much wider than the others"), Text("1")])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        fast = app.query_one("#fast", NavTable)
        ref = app.query_one("#ref", DataTable)
        fast.refill([*base, wide])  # no pause: the wide row is not measured yet
        fast.refill(base)  # filtered away before the table was idle
        reference_refill(ref, base)
        await pilot.pause()
        await pilot.pause()
        for step in ([*base, wide], base, [*base, wide]):  # the very same cell objects come back
            fast_state, ref_state = await refill_both(pilot, step)
            assert fast_state == ref_state
