"""The start-up CPU harness of bench/tui_bench.py runs and reports what the notes quote (a smoke test: no
timing is asserted; figures belong to `python -m bench`)."""

from __future__ import annotations

import pytest

from bench.tui_bench import ROOT, startup_cpu_compare
from ogptui.seed import open_store
from tests.tuikit import fill_store


@pytest.mark.slow
def test_startup_cpu_compare_reports_paint_and_settled(ogptui_home):
    with open_store() as s:
        fill_store(s)
    out = startup_cpu_compare(ogptui_home, "testland", {"this tree": ROOT}, reps=1, rounds=1)
    figures = out["this tree"]
    assert set(figures) == {"paint_ms", "settled_ms"}
    assert (
        figures["paint_ms"]["n"] == 1 and 0 < figures["paint_ms"]["median"] <= figures["settled_ms"]["median"]
    )
