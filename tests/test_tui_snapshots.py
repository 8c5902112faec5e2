"""Snapshot tests at 120x36 (SVGs under snapshots/test_tui_snapshots/).

Deterministic: a fixed clock (`now`) for every "N ago", sample data with fixed dates, no cursor blink, no
animations, no background sync, no data-version polling. Update with `pytest --snapshot-update` and look at
the SVGs before committing them.
"""

from __future__ import annotations

import pytest

from tests.tuikit import make_app

SIZE = (120, 36)


def test_members_list(snap_compare, sample_store):
    assert snap_compare(make_app(store=sample_store), terminal_size=SIZE)


@pytest.mark.slow
def test_peru_overview(snap_compare):
    assert snap_compare(make_app(slug="peru"), terminal_size=SIZE)


@pytest.mark.slow
def test_peru_resources(snap_compare):
    assert snap_compare(make_app(slug="peru"), press=["3"], terminal_size=SIZE)


@pytest.mark.slow
def test_peru_metrics(snap_compare):
    assert snap_compare(make_app(slug="peru"), press=["4"], terminal_size=SIZE)


@pytest.mark.slow
@pytest.mark.parametrize("tab", ["1", "2", "3", "4", "5", "6", "7"])
def test_member_tab(snap_compare, sample_store, tab):
    assert snap_compare(make_app(store=sample_store, slug="testland"), press=[tab], terminal_size=SIZE)


@pytest.mark.slow
def test_commitment_detail(snap_compare, sample_store):
    assert snap_compare(make_app(store=sample_store, slug="testland"), press=["2", "enter"], terminal_size=SIZE)


@pytest.mark.slow
def test_help(snap_compare, sample_store):
    assert snap_compare(make_app(store=sample_store, slug="testland"), press=["question_mark"], terminal_size=SIZE)


@pytest.mark.slow
def test_resources_filtered_80x24(snap_compare, sample_store):
    app = make_app(store=sample_store, slug="testland")
    assert snap_compare(app, press=["3", "t", "slash", *"design"], terminal_size=(80, 24))


# --- issue 14.6: the member screen at four sizes, with a crowded member (long name, nine resource types, a
# long contact, a failed last sync): no clipped freshness, tabs, type bar, email or footer keys.
SIZES = [(80, 24), (100, 30), (120, 36), (160, 48)]


@pytest.fixture
def crowded():
    from tests.test_tui_layout import crowded_store

    s = crowded_store()
    yield s
    s.close()


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("tab", ["1", "3", "5"])
def test_crowded_member_tab_at_size(snap_compare, crowded, tab, size):
    press = [tab, "t", "t", "t", "t", "t", "t"] if tab == "3" else [tab]  # Resources: a type far along
    assert snap_compare(make_app(store=crowded, slug="testland"), press=press, terminal_size=size)


@pytest.mark.parametrize("tab", ["2", "6", "7"])
def test_crowded_member_tab_at_80x24(snap_compare, crowded, tab):
    assert snap_compare(make_app(store=crowded, slug="testland"), press=[tab], terminal_size=(80, 24))


def test_members_list_at_80x24(snap_compare, store):
    assert snap_compare(make_app(store=store), terminal_size=(80, 24))
