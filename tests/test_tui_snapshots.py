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
