"""ogptui.report: the plain-text records `show` and `parse` print, safe whatever the record holds."""

from __future__ import annotations

import copy
import re

import pytest

from ogptui.model import CommitmentPage, DirectoryEntry, DirectoryPage, DocumentPage, Member
from ogptui.report import commitment_text, directory_text, document_text, member_text, record_text
from tests.fakesite.data import sample_member

BAD = "\x1b]0;pwned\x07\x1b[2J\x9b31m\x9d0;t\x9c\u202eevil\u2069\x00\x07\rX"
UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def test_member_text_lists_every_section_and_stays_safe():
    m = copy.deepcopy(sample_member())
    plain = member_text(m, freshness="✓ synced 1 h ago")
    for title in ("Current action plan", "Contacts (", "Commitments (", "Resources (", "Starred metrics",
                  "Public participation", "OGP Global Report", "Recent posts"):  # fmt: skip
        assert title in plain
    assert "[@click=app.quit]x[/]" in plain  # markup-looking text is literal text
    m.name = BAD
    m.commitments[0].title = BAD
    m.resources[0].title = BAD
    m.contacts[0].role = BAD
    m.warnings = [BAD]
    text = member_text(m, freshness=BAD)
    assert UNSAFE.findall(text) == [] and "pwned" not in text and "evil" in text


def test_other_records_are_safe():
    page = CommitmentPage(
        id="TL0001", title=BAD, status=BAD, policy_areas=[BAD], description=BAD + "\nline 2"
    )
    doc = DocumentPage(title=BAD, summary=BAD, at_a_glance={BAD: BAD})
    directory = DirectoryPage(members=[DirectoryEntry(name=BAD, slug="x" + BAD)])
    for text in (commitment_text(page), document_text(doc), directory_text(directory), record_text(page)):
        assert UNSAFE.findall(text) == [] and "evil" in text
    assert "line 2" in commitment_text(page).splitlines()[-1]


def test_an_empty_member_says_unknown_and_none_rather_than_leaving_blanks():
    text = member_text(Member(slug="x", name="Xland"))
    lines = text.splitlines()
    assert lines[:3] == ["Xland", "=====", "National member · Member since unknown · Action plan unknown"]
    assert "Years: unknown   Plan: unknown   Commitments: unknown" in lines
    for title in ("Contacts (0)", "Commitments (0)", "Resources (0)", "Recent posts"):
        at = lines.index(title)
        assert lines[at + 1] == "-" * len(title) and lines[at + 2] == "(none on the page)"
    assert "Parser warnings" not in text


def test_member_lines_carry_each_value_once():
    m = sample_member()
    text = member_text(m, freshness="✓ synced 1 h ago")
    assert text.splitlines()[3] == "✓ synced 1 h ago"
    assert "TL0001    2021  Open contracting for public works  [Open Contracting]" in text
    assert "Ana Pérez  Open Government Coordinator, Ministry  ana@example.gob  (government)" in text
    assert "2023  Testland Action Plan 2023-2025  (Action Plan, Web page)" in text
    assert "Action Plan 1: unknown (raw [0])" in text  # a chart value that cannot be told apart is not guessed
    assert "Action Plan 2: major 3, outstanding 0, starred 3" in text
    assert "Global — Most per action plan: 4, 7" in text
    assert "Implementation · Action Plan 3: unknown" in text
    assert "Civic Space: Consider Action, —" in text
    assert "More: https://www.opengovpartnership.org/documents/testland-results-report/" in text


def test_commitment_text_lists_every_detail_label():
    from ogptui.model import COMMITMENT_DETAIL_LABELS

    page = CommitmentPage(id="TL0001", title="Open contracting", policy_areas=["A", "B"], status="Active")
    lines = commitment_text(page).splitlines()
    assert lines[0] == "Open contracting (TL0001)" and lines[1] == "Member: unknown"
    assert [line.split(":")[0] for line in lines[2:]] == [label for label, _ in COMMITMENT_DETAIL_LABELS]
    assert "Status: Active" in lines and "Policy areas: A, B" in lines
    assert "Description" not in lines


def test_document_and_directory_text():
    assert document_text(DocumentPage()) == "(untitled document)"
    doc = DocumentPage(title="Peru Design Report", summary="The report.", at_a_glance={"Commitments": "17 (81%)"})
    assert document_text(doc).splitlines() == [
        "Peru Design Report", "", "The report.", "", "At a glance", "-----------", "Commitments: 17 (81%)",
    ]  # fmt: skip
    directory = DirectoryPage(members=[DirectoryEntry(name="Peru", slug="peru", level="national"),
                                       DirectoryEntry(name="Nowhere", slug="nowhere")])  # fmt: skip
    assert directory_text(directory).splitlines() == [
        f"{'peru':<30} Peru  (national)", f"{'nowhere':<30} Nowhere  (unknown level)",
    ]  # fmt: skip


def test_record_text_chooses_by_kind_and_refuses_anything_else():
    member = sample_member()
    assert record_text(member) == member_text(member)
    page = CommitmentPage(id="X1", title="T")
    assert record_text(page) == commitment_text(page)
    assert record_text(DirectoryPage()) == ""
    with pytest.raises(TypeError):
        record_text({"kind": "member"})
