"""Record declarations: each record is declared once (model.py) and rows, labels, cleaning and search documents
are derived from it. These tests pin the derivations to what the schema, the parser and the screens expect."""

from __future__ import annotations

from dataclasses import fields

import pytest

from ogptui import model
from ogptui.model import (
    COLUMN_TYPES,
    COMMITMENT_DETAIL_FIELDS,
    COMMITMENT_DETAIL_LABELS,
    COMMITMENT_PAGE_LABELS,
    Benchmark,
    Commitment,
    CommitmentDetails,
    CommitmentPage,
    Contact,
    CurrentPlan,
    GlobalReportArea,
    Member,
    PerformanceRow,
    Post,
    Resource,
    clean_record,
)
from ogptui.store import db as dbmod
from ogptui.store.rows import (
    CHILD_FIELDS,
    CHILD_TABLES,
    _row_fields,
    child_rows,
    detail_row,
    from_row,
    member_from_rows,
    member_row,
    to_row,
)
from ogptui.store.schema import CACHE_MIGRATIONS

HOSTILE = "\x1b]0;pwned\x07A\x1b[2J\x9b31mB\x1b]52;c;ZXZpbA==\x07C\u202e\x00"


@pytest.fixture
def schema():
    db = dbmod.connect(":memory:")
    dbmod.migrate(db, CACHE_MIGRATIONS, dbmod.CACHE_APP_ID)
    cols = {}
    for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
        cols[table] = {r[1]: r[2] for r in db.execute(f"PRAGMA table_info({table})")}
    db.close()
    return cols


def _declared_types(cls, prefix=""):
    out = {}
    for f in _row_fields(cls):
        if f.metadata.get("prefix") is not None:
            out.update(_declared_types(f.default_factory, prefix + f.metadata["prefix"]))
        else:
            out[prefix + f.name] = COLUMN_TYPES[f.metadata["type"]]
    return out


def test_declared_columns_and_types_match_the_schema(schema):
    bookkeeping = {"record_hash": "TEXT", "embedded": "INTEGER", "captured_at": "TEXT", "gone_at": "TEXT"}
    assert schema["members"] == {**_declared_types(Member), **bookkeeping}
    for table in CHILD_FIELDS:
        cls = {
            "contacts": Contact,
            "commitments": Commitment,
            "resources": Resource,
            "performance": PerformanceRow,
            "benchmarks": Benchmark,
            "participation": model.ParticipationRow,
            "dimensions": GlobalReportArea,
            "posts": Post,
        }[table]
        want = {"member_slug": "TEXT", "position": "INTEGER", **_declared_types(cls)}
        assert schema[table] == want, table
    details = {**_declared_types(CommitmentPage), "member_slug": "TEXT", "record_hash": "TEXT"}
    assert schema["commitment_details"] == details
    assert set(CHILD_TABLES) == set(CHILD_FIELDS)


def test_commitment_is_declared_once_and_both_records_share_it():
    detail_names = [f.name for f in fields(CommitmentDetails)]
    assert list(COMMITMENT_DETAIL_FIELDS) == detail_names
    for cls in (Commitment, CommitmentPage):
        inherited = [f for f in fields(cls) if f.name in detail_names]
        assert [f.metadata for f in inherited] == [f.metadata for f in fields(CommitmentDetails)]
    # the parser's table and the display labels come from the same declarations
    from ogptui.parse import labels

    assert labels.COMMITMENT_FIELDS is COMMITMENT_PAGE_LABELS
    assert [k for _, k in COMMITMENT_DETAIL_LABELS] == list(COMMITMENT_PAGE_LABELS)
    assert COMMITMENT_DETAIL_LABELS[0] == ("Action plan", "action_plan")
    assert ("Relevant to OGP values", "relevant_to_ogp_values") in COMMITMENT_DETAIL_LABELS
    for by_lang in COMMITMENT_PAGE_LABELS.values():
        assert set(by_lang) == {"en", "es", "fr"}


def test_json_contract_field_order_is_kept():
    page = CommitmentPage(id="X1", title="t", url="u")
    assert list(page.to_dict())[:3] == ["id", "title", "member"]
    assert list(page.to_dict())[-4:] == ["url", "fetched_at", "warnings", "kind"]
    c = Commitment("X1", "t", 2020, "Justice", "u")
    assert list(c.to_dict()) == ["id", "title", "year", "policy_area", "url"]
    c.status = "Active"
    assert list(c.to_dict()) == ["id", "title", "year", "policy_area", "url", *COMMITMENT_DETAIL_FIELDS]


def _full_member() -> Member:
    c = Commitment("RU0001", "Open budgets", 2022, "Fiscal Openness", "https://x/c/1")
    return Member(
        slug="ruritania",
        name="Ruritania",
        level="local",
        member_since=2014,
        action_plan=3,
        current_plan=CurrentPlan("2022-2024", 3, 2, "Justice", "A plan.", "https://x/plan"),
        contacts=[Contact("Ana", "Coordinator", "ana@example.org", "government")],
        commitments=[c],
        resources=[Resource("Report", 2021, "IRM Report", "PDF", "https://x/r")],
        performance=[PerformanceRow(1, 1, 0, 1, [1, 0, 1])],
        benchmarks=[Benchmark("global", "Most", [4, 7])],
        participation=[model.ParticipationRow("development", 1, "Involve")],
        global_report=[GlobalReportArea("Civic Space", ["Consider Action", None])],
        posts=[Post("News", "teaser", "https://x/p")],
        language="en",
        fetched_at="2026-01-01T00:00:00Z",
        source_url="https://x/members/ruritania/",
        warnings=["w1"],
    )


def test_rows_round_trip_every_field():
    m = _full_member()
    row = member_row(m)
    assert row["plan_years"] == "2022-2024" and row["warnings"] == '["w1"]'
    kids = child_rows(m)
    assert kids["dimensions"][0]["implications"] == '["Consider Action", null]'
    assert set(kids["commitments"][0]) == {"member_slug", "position", "id", "title", "year", "policy_area", "url"}
    back = member_from_rows(row, kids)
    assert back.to_dict() == m.to_dict()
    page = CommitmentPage(id="ru0001", title="T", status="Active", policy_areas=["A", "B"], description="x\ny")
    d = detail_row(page, "ruritania")
    assert d["id"] == "RU0001" and d["policy_areas"] == '["A", "B"]' and d["member_slug"] == "ruritania"
    again = from_row(CommitmentPage, d)
    assert again.policy_areas == ["A", "B"] and again.description == "x\ny" and again.kind == "commitment"
    assert to_row(again) == {k: v for k, v in d.items() if k != "member_slug"}


def test_bad_json_or_types_in_a_row_give_defaults_not_errors():
    row = {**member_row(_full_member()), "warnings": "[[[", "member_since": "1999; DROP"}
    m = from_row(Member, row)
    assert m.warnings == []
    clean_record(m)
    assert m.member_since is None


def test_clean_record_cleans_every_declared_text_and_checks_numbers():
    m = _full_member()
    m.name = HOSTILE
    m.current_plan.summary = HOSTILE
    m.contacts[0].role = HOSTILE
    m.commitments[0].description = "line one\x1b[31m\nline two\x07"
    m.commitments[0].policy_areas = [HOSTILE, 7, "\x1b[0m"]
    m.resources[0].year = "2021\x1b[2J"  # a bundle can put text in an INTEGER column
    m.performance[0].raw = [1, "\x1b", 2.5, True, 3]
    m.global_report[0].implications = [HOSTILE, None, 5]
    m.posts[0].teaser = "x" * 10_000
    m.warnings = [HOSTILE]
    clean_record(m)
    d = m.to_dict()

    def texts(v):
        if isinstance(v, dict):
            for x in v.values():
                yield from texts(x)
        elif isinstance(v, list):
            for x in v:
                yield from texts(x)
        elif isinstance(v, str):
            yield v

    for s in texts(d):
        assert not any(ord(ch) < 32 and ch != "\n" or 0x7F <= ord(ch) <= 0x9F for ch in s), repr(s)
        assert "\u202e" not in s
    assert m.name == "ABC"
    assert m.commitments[0].description == "line one\nline two"
    assert m.commitments[0].policy_areas == ["ABC"]
    assert m.resources[0].year is None
    assert m.performance[0].raw == [1, 3]
    assert m.global_report[0].implications == ["ABC", None, None]
    assert len(m.posts[0].teaser) == 2_000


def test_clean_record_leaves_clean_records_identical():
    m = _full_member()
    before = m.to_dict()
    clean_record(m)
    assert m.to_dict() == before


def test_declared_text_caps_fit_what_the_parser_keeps():
    by_name = {f.name: f for f in fields(CommitmentPage)}
    assert by_name["support_institutions"].metadata["cap"] == 20_000
    assert by_name["description"].metadata["multiline"]
    assert {f.name: f.metadata["cap"] for f in fields(Member)}["name"] == 200

