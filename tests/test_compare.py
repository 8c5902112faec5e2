"""Compare (ogptui/compare.py) and regions (ogptui/regions.py, ogptui/data/regions.tsv)."""

from __future__ import annotations

import pytest

from ogptui.compare import bar_charts, bar_text, compare, to_csv, to_text
from ogptui.model import CommitmentPage, Member, ParticipationRow, PerformanceRow
from ogptui.regions import REGIONS, member_region, parse_region, table
from ogptui.store.rows import apply_detail, detail_row
from tests.fakesite.data import sample_member


def value(cmp, section: str, metric: str) -> list:
    (row,) = [r for r in cmp.rows if r.section == section and r.metric == metric]
    return row.values


def with_details(m: Member, completions: list[str | None]) -> Member:
    for c, completion in zip(m.commitments, completions, strict=False):
        if completion is not None:
            apply_detail(c, detail_row(CommitmentPage(id=c.id, completion=completion, status="Active"), m.slug))
    return m


def test_unknown_stays_unknown_never_zero():
    a = sample_member("a", "Aland")  # performance rows 1 (raw only), 2, 3, 4
    b = sample_member("b", "Bland")
    b.performance = [PerformanceRow(2, 1, 1, 5, [1, 1, 5])]
    b.commitments = []
    b.participation = []
    cmp = compare([a, b])
    assert value(cmp, "Performance, Action Plan 1", "Starred") == [None, None]  # a's row is ambiguous
    assert value(cmp, "Performance, Action Plan 2", "Starred") == [3, 5]
    assert value(cmp, "Performance, Action Plan 3", "Starred") == [0, None]  # a real 0; b has no row
    assert value(cmp, "Commitments per policy area (listed in the cache)", "Open Data") == [1, None]
    assert value(cmp, "Commitments per policy area (listed in the cache)", "Anti-Corruption") == [1, None]
    assert value(cmp, "Public participation", "Levels known") == [2, None]
    assert value(cmp, "Public participation, Action Plan 3", "Development") == ["Involve", None]
    assert value(cmp, "Public participation, Action Plan 3", "Implementation") == [None, None]
    text = to_text(cmp)
    assert " 0 " not in text.split("Performance, Action Plan 1")[1].split("Performance, Action Plan 2")[0]
    csv = to_csv(cmp)
    assert '"Performance, Action Plan 1",Starred,unknown,unknown' in csv


def test_completion_counts_only_synced_commitment_pages():
    a = with_details(sample_member("a", "Aland"), ["Completed", "Substantial", "Limited", None])
    b = with_details(sample_member("b", "Bland"), [None, None, None, None])
    c = with_details(sample_member("c", "Cland"), ["Not started", "Pending IRM Review", None, None])
    cmp = compare([a, b, c])
    s = "Completion (commitments with their page synced)"
    assert value(cmp, s, "Completion known") == [3, None, 1]
    assert value(cmp, s, "Completed") == [1, None, 0]
    assert value(cmp, s, "Not Started") == [0, None, 1]
    assert value(cmp, s, "Substantial or completed (%)") == [67, None, 0]


def test_bars_share_a_scale_and_say_unknown():
    a, b = sample_member("a", "Aland"), sample_member("b", "Bland")
    b.performance = [PerformanceRow(2, 6, 0, 6, [6, 0, 6])]
    charts = {title: (items, scale) for title, items, scale in bar_charts(compare([a, b]))}
    items, scale = charts["Performance, Action Plan 2: Starred"]
    assert items == [("Aland", 3), ("Bland", 6)] and scale == 6
    assert charts["Performance, Action Plan 3: Starred"][1] == 6  # the same scale for every plan
    assert bar_text(None, 6, 12) == "unknown"
    assert bar_text(0, 6, 12) == "· 0"
    assert bar_text(3, 6, 12) == "██████ 3" and bar_text(6, 6, 12) == "████████████ 6"


def test_hostile_names_in_the_comparison_are_cleaned():
    a = sample_member("a", "\x1b]0;x\x07Aland")
    b = sample_member("b", "Bland\u202e")
    out = to_text(compare([a, b])) + to_csv(compare([a, b]))
    assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out


# ---- regions -----------------------------------------------------------------------------------
def test_the_region_table_is_well_formed_and_covers_the_four_regions():
    t = table()
    assert set(t.values()) == set(REGIONS)
    assert len({r for r in t.values()}) == 4 and len(t) >= 75
    assert t["peru"] == "Americas" and t["kenya"] == "Africa and the Middle East"


@pytest.mark.parametrize(
    "slug, name, level, region",
    [
        ("peru", "Peru", "national", "Americas"),
        ("kenya", "Kenya", "national", "Africa and the Middle East"),
        ("elgeyo-marakwet-kenya", "Elgeyo Marakwet, Kenya", "local", "Africa and the Middle East"),
        ("buenos-aires-argentina", "Buenos Aires, Argentina", "local", "Americas"),
        ("south-cotabato-philippines", None, "local", "Asia and the Pacific"),
        ("cote-divoire", "Côte d'Ivoire", "national", "Africa and the Middle East"),
        ("united-kingdom", "United Kingdom", "national", "Europe"),
        ("ozurgeti-georgia", "Ozurgeti, Georgia", "local", "Europe"),
        ("valdoria", "Valdoria", "national", None),  # not a real country: unknown, never guessed
        ("port-esmer-valdoria", "Port Esmer, Valdoria", "local", None),
    ],
)
def test_member_region(slug, name, level, region):
    assert member_region(slug, name, level) == region


@pytest.mark.parametrize("typed, region", [("americas", "Americas"), ("ASIA", "Asia and the Pacific"),
                                           ("africa-and-the-middle-east", "Africa and the Middle East"),
                                           ("eu", "Europe"), ("unknown", "unknown region")])  # fmt: skip
def test_parse_region(typed, region):
    assert parse_region(typed) == region


@pytest.mark.parametrize("typed", ["", "a", "mars", "pacific"])
def test_parse_region_refuses_what_is_not_one(typed):
    with pytest.raises(ValueError, match="region must be one of"):
        parse_region(typed)


def test_participation_rows_only_for_plans_somebody_knows():
    a = sample_member("a", "Aland")
    a.participation = [ParticipationRow("development", 1, None), ParticipationRow("development", 2, "Consult")]
    b = sample_member("b", "Bland")
    b.participation = []
    sections = compare([a, b]).sections()
    assert "Public participation, Action Plan 2" in sections and "Public participation, Action Plan 1" not in sections
