"""The seven real page captures in ../shared/ogp/captures/ keep giving the facts they gave before issue 15.

The captures are read in place (they are not copied into the repository). Long texts are pinned by hash so
that the test holds the facts without repeating the pages' prose; short facts are spelt out.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import ogptui.parse as parse_pkg
from ogptui.model import CommitmentPage, DirectoryPage, DocumentPage, Member, stable_hash
from ogptui.parse import parse_page


def _captures() -> Path | None:
    here = Path(__file__).resolve().parent.parent
    for folder in (here, *here.parents):
        candidate = folder / "shared" / "ogp" / "captures"
        if candidate.is_dir():
            return candidate
    return None


CAPTURES = _captures()
pytestmark = pytest.mark.skipif(CAPTURES is None, reason="../shared/ogp/captures is not here")
SITE = "https://www.opengovpartnership.org"


@pytest.fixture(autouse=True)
def _strict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse_pkg, "STRICT", True)


def capture(name: str):
    assert CAPTURES is not None
    return parse_page((CAPTURES / name).read_bytes())


def test_member_peru() -> None:
    m = capture("member-peru.txt")
    assert isinstance(m, Member)
    assert (m.slug, m.name, m.level, m.language, m.member_since, m.action_plan) == (
        "peru",
        "Peru",
        "national",
        "en",
        2011,
        5,
    )
    cp = m.current_plan
    assert (cp.years, cp.number, cp.commitment_count, cp.policy_area_focus) == (
        "2023-2025",
        5,
        13,
        "Not specified",
    )
    assert stable_hash(cp.summary) == "e51e672bc7110b1d68b16ed2c228fbef822cf0ae285e55a61dbfee9ec8138084"
    assert [(c.name, c.email, c.side) for c in m.contacts] == [
        ("Luis Sebastián River Cheng", "lrivera@pcm.gob.pe", None)
    ]
    assert m.contacts[0].role == "Open Government Coordinator, Public Administration Undersecretary"
    assert m.commitments == []
    assert len(m.resources) == 40
    assert stable_hash([[r.title, r.year, r.type, r.format] for r in m.resources]) == (
        "333c14056c1a861557e1fe308b7facf05159d6072061781a3a50fa641009e7b5"
    )
    assert [(p.action_plan, p.major, p.outstanding, p.starred, p.raw) for p in m.performance] == [
        (1, None, None, None, [0]),
        (2, 3, 0, 3, [3, 0, 3]),
        (3, 3, 0, 0, [3, 0, 0]),
        (4, 0, 1, 0, [0, 1, 0]),
    ]
    assert [(b.scope, b.raw) for b in m.benchmarks] == [("global", [4, 7]), ("regional", [2, 7])]
    assert len(m.participation) == 8 and all(p.level is None for p in m.participation)
    assert [len(a.implications) for a in m.global_report] == [2, 3, 2, 4, 3]
    assert stable_hash([[p.title, p.teaser] for p in m.posts]) == (
        "22a7609a51ad33c8ee7dfd30786f94629fafd00d9b7ea210eb903899aa0e602e"
    )
    assert m.warnings == []


def test_member_peru_2019() -> None:
    m = capture("member-peru-2019.txt")
    assert isinstance(m, Member)
    assert (m.slug, m.name, m.member_since, m.action_plan) == ("peru", "Peru", 2011, 4)
    cp = m.current_plan
    assert (cp.years, cp.number, cp.commitment_count, cp.summary) == ("2019-2021", 4, 21, None)
    assert [c.id for c in m.commitments] == [f"PE{n:04d}" for n in range(84, 103)]
    assert stable_hash([[c.id, c.title, c.year, c.policy_area, c.url] for c in m.commitments]) == (
        "f95ca43123bf6051fbf3128b8bf8fd8e3e8186aee06ba6c4ffd8da915bb9dddc"
    )
    assert m.contacts == [] and m.resources == []
    assert "commitment 20 is cut off at the end of the page; it was left out" in m.warnings


def test_member_kenya() -> None:
    m = capture("member-kenya.txt")
    assert isinstance(m, Member)
    assert (m.slug, m.name, m.member_since, m.action_plan) == ("kenya", "Kenya", 2011, 5)
    cp = m.current_plan
    assert (cp.years, cp.number, cp.commitment_count, cp.policy_area_focus) == (
        "2023-2027",
        5,
        9,
        "Not specified",
    )
    assert stable_hash(cp.summary) == "d32c7b93534061ffe63401fb97358469d20dd90de46512fb6648570112af2a51"
    assert m.contacts == [] and m.commitments == []
    complete = m.resources[:17]
    assert stable_hash([[r.title, r.year, r.type, r.format] for r in complete]) == (
        "3de713c1958a84e1c79d8864f91e58dcee668f861a956f7cd083f4792240f4d8"
    )
    assert [r.year for r in complete] == [2024] * 3 + [2023] * 6 + [2022] + [2021] * 7
    assert (complete[1].type, complete[10].type) == (None, None)  # `2024, Web page`: no type
    # The 18th item is cut off mid-title: left out with a warning since issue 15.3 (it used to be kept as
    # a resource with a truncated title and no year).
    assert len(m.resources) == 17
    assert "resource 18 is cut off at the end of the page; it was left out" in m.warnings


def test_commitment_ke0023() -> None:
    c = capture("commitment-KE0023.txt")
    assert isinstance(c, CommitmentPage)
    assert (c.id, c.title, c.member, c.language) == ("KE0023", "Open Government Resiliency", "Kenya", "en")
    assert (c.action_plan, c.action_plan_cycle, c.status) == ("Kenya Action Plan 2018-2020", 2018, None)
    assert c.lead_institution == "Office of the Deputy President, Ministry of Foreign Affairs"
    assert c.policy_areas == ["Capacity Building", "Public Participation"]
    assert c.irm_reports == ["Kenya Transitional Results Report 2018-2021", "Kenya Design Report 2018-2020"]
    assert (c.early_results, c.verifiable, c.relevant_to_ogp_values, c.ambition, c.completion) == (
        "Marginal",
        "Yes",
        "Yes",
        "Low",
        None,
    )
    assert (c.starred, c.potential_impact) == (None, None)
    assert c.description.startswith("Commitment 6: Build Open Government\nResiliency\n")
    assert stable_hash({"support_institutions": c.support_institutions, "description": c.description}) == (
        "f8fbddf8e8333e4a8d2c3f0a15df61eaf0cd4e67d6a6f30008ea199fa1efe8b7"
    )
    assert c.url == f"{SITE}/members/kenya/commitments/KE0023/"
    assert c.warnings == []


def test_commitment_pe0084() -> None:
    c = capture("commitment-PE0084.txt")
    assert isinstance(c, CommitmentPage)
    assert (c.id, c.title, c.member) == ("PE0084", "Social Oversight of Public Works", "Peru")
    assert (c.action_plan, c.action_plan_cycle, c.status) == ("Peru Action Plan 2019-2021", 2019, "Active")
    assert c.lead_institution == "Contraloría General de la República"
    assert stable_hash({"support_institutions": c.support_institutions, "description": c.description}) == (
        "423898045196125997b9a5ae3f1ba0293ebde687e3d4c6f817a928409341d23b"
    )
    assert (c.policy_areas, c.irm_reports, c.description) == ([], [], None)  # the excerpt ends before them


def test_directory() -> None:
    d = capture("directory-members.txt")
    assert isinstance(d, DirectoryPage)
    assert [(e.slug, e.level) for e in d.members] == [
        ("elgeyo-marakwet-kenya", "local"),
        ("mexico", "national"),
        ("nigeria", "national"),
        ("latvia", "national"),
        ("indonesia", "national"),
        ("south-cotabato-philippines", "local"),
        ("buenos-aires-argentina", "local"),
    ]
    assert d.members[0].name == "Elgeyo Marakwet, Kenya"
    assert d.members[1].url == f"{SITE}/members/mexico/"
    assert d.warnings == []


def test_document_peru_design_report() -> None:
    d = capture("document-peru-design-report-2019-2021.txt")
    assert isinstance(d, DocumentPage)
    assert d.title == "Peru Design Report 2019-2021"
    assert stable_hash(d.summary) == "961e3ca5ebda2b3419fc2676088b60fb92d4006e8527f97585f1e6af545c5cbb"
    assert d.at_a_glance == {
        "Member since": "2011",
        "Action plan under review": "4",
        "Type of report": "Design",
        "Number of commitments": "21",
        "Is there a multi-stakeholder forum?": "No",
        "Level of public influence": "Involve",
        "Acted contrary to OGP process": "No",
        "Relevant to OGP values": "17 (81%)",
        "Transformative": "1 (5%)",
        "Potentially starred": "1 (5%)",
    }
    assert d.url == f"{SITE}/documents/peru-design-report-2019-2021/"
