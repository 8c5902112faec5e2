"""`ogptui parse FILE --explain`: which rule found each part of the page, and every warning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import ogptui.parse as parse_pkg
from ogptui.cli import main
from ogptui.parse import parse_page
from ogptui.parse.explain import explain_lines

PAGES = Path(__file__).parent / "fixtures" / "pages"


@pytest.fixture(autouse=True)
def _strict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse_pkg, "STRICT", True)


def explain(path: Path, url: str | None = None) -> list[str]:
    trace: list[tuple[str, str]] = []
    rec = parse_page(path.read_bytes(), url=url, trace=trace)
    return explain_lines(rec, trace)


def test_sections_found_by_heading() -> None:
    lines = explain(PAGES / "peru.txt")
    assert lines[:4] == [
        "page kind: member (the address)",
        "markup: text rendering",
        "name: the line above the Member Since / Action Plan bullets",
        "current plan: heading 'Current Action Plan'",
    ]
    assert "contacts: heading 'Contact': 1" in lines
    assert "resources: heading 'Resources': 40" in lines
    assert lines[-1] == "warnings: none"


def test_sections_found_by_item_shape() -> None:
    lines = explain(
        PAGES / "shapes" / "no-headings-semantic.html",
        "https://www.opengovpartnership.org/members/port-vell-zembla/",
    )
    assert lines == [
        "page kind: member (the address)",
        "markup: HTML",
        "name: the line above the Member Since / Action Plan bullets",
        "current plan: years line + Action Plan line",
        "contacts: contact lines after the plan summary: 4",
        "commitments: item shape (ID, YEAR, POLICY AREA): 3",
        "resources: item shape (YEAR, TYPE, FORMAT): 3",
        "warnings: none",
    ]


def test_every_warning_is_listed() -> None:
    lines = explain(PAGES / "shapes" / "cut-off.txt")
    assert lines[-3:] == [
        "warnings: 2",
        "  - no Contact section",
        "  - resource 3 is cut off at the end of the page; it was left out",
    ]


def test_document_parts() -> None:
    lines = explain(PAGES / "shapes" / "document-plan-review.txt")
    assert lines == [
        "page kind: document (the address)",
        "markup: text rendering",
        "title: the first heading",
        "at a glance: rows (`Label: value`, `Label   value`, label then value): 3",
        "section: heading 'Overview'",
        "section: heading 'Promising commitments'",
        "warnings: 1",
        "  - no summary paragraph",
    ]


def test_cli_explain(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(PAGES / "shapes" / "untitled.txt"), "--explain"]) == 0
    out = capsys.readouterr().out
    assert "How this page was read:" in out
    assert "  resources: heading 'Resources': 3" in out
    assert "    - resource 2 has no title on the page; listed as (untitled)" in out
    assert main(["parse", str(PAGES / "shapes" / "untitled.txt"), "--json", "--explain"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["kind"] == "member" and "resources: heading 'Resources': 3" in d["explain"]
    assert main(["parse", str(PAGES / "shapes" / "untitled.txt"), "--json"]) == 0
    assert "explain" not in json.loads(capsys.readouterr().out)  # the contract is unchanged without the flag
