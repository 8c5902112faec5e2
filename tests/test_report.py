"""ogptui.report: the plain-text records `show` and `parse` print, safe whatever the record holds."""

from __future__ import annotations

import copy
import re

from ogptui.model import CommitmentPage, DirectoryEntry, DirectoryPage, DocumentPage
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
