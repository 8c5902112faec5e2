"""Member pages: the Peru page in three renditions, and invented pages of other shapes."""

from __future__ import annotations

from pathlib import Path

import pytest

import ogptui.parse as parse_pkg
from ogptui.model import Member, PageRejected, validate_member
from ogptui.parse import parse_page

PAGES = Path(__file__).parent / "fixtures" / "pages"
PERU_URL = "https://www.opengovpartnership.org/members/peru/"


@pytest.fixture(autouse=True)
def _strict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse_pkg, "STRICT", True)  # parser bugs surface as themselves


def load(name: str, url: str | None = None, **kw) -> Member:
    record = parse_page((PAGES / name).read_bytes(), url=url, **kw)
    assert isinstance(record, Member)
    return record


def comparable(m: Member, *, drop_links: bool) -> dict:
    d = m.to_dict()
    for key in ("source_url", "fetched_at"):
        d.pop(key)
    if drop_links:  # a text rendering has no hrefs
        d["current_plan"]["summary_url"] = None
        for key in ("resources", "posts", "commitments"):
            for item in d[key]:
                item["url"] = None
    return d


@pytest.fixture(scope="module")
def renditions() -> dict[str, Member]:
    return {
        "text": parse_page((PAGES / "peru.txt").read_text(encoding="utf-8")),
        "wordpress": parse_page(
            (PAGES / "peru-wordpress.html").read_bytes(), url=PERU_URL, fetched_at="2025-01-02T03:04:05Z"
        ),
        "semantic": parse_page((PAGES / "peru-semantic.html").read_text(encoding="utf-8"), url=PERU_URL),
    }


@pytest.mark.parametrize("name", ["text", "wordpress", "semantic"])
def test_peru_golden(renditions: dict[str, Member], name: str) -> None:
    m = renditions[name]
    assert validate_member(m) == []
    assert (m.slug, m.name, m.level, m.language) == ("peru", "Peru", "national", "en")
    assert (m.member_since, m.action_plan) == (2011, 5)
    cp = m.current_plan
    assert (cp.years, cp.number, cp.commitment_count, cp.policy_area_focus) == (
        "2023-2025",
        5,
        13,
        "Not specified",
    )
    assert cp.summary.startswith("Peru’s fourth action plan has a moderate level")
    assert cp.summary.endswith("are recommended.")
    assert len(m.contacts) == 1
    c = m.contacts[0]
    assert (c.name, c.email) == ("Luis Sebastián River Cheng", "lrivera@pcm.gob.pe")
    assert c.role == "Open Government Coordinator, Public Administration Undersecretary"
    assert m.commitments == []
    assert len(m.resources) == 40
    r0 = m.resources[0]
    assert (r0.title, r0.year, r0.type, r0.format) == (
        "Peru Action Plan Review 2023-2025 – For Public Comment",
        2024,
        "Report Comments",
        "Web page",
    )
    assert m.resources[30].title == "La Libertad, Peru Action Plan (Spanish)"
    assert m.resources[-1].title == "Improving Government – Civil Society Interactions within OGP"
    perf = {p.action_plan: p for p in m.performance}
    assert sorted(perf) == [1, 2, 3, 4]
    assert (perf[1].major, perf[1].outstanding, perf[1].starred, perf[1].raw) == (None, None, None, [0])
    assert (perf[2].major, perf[2].outstanding, perf[2].starred) == (3, 0, 3)
    assert (perf[3].major, perf[3].outstanding, perf[3].starred) == (3, 0, 0)
    assert (perf[4].major, perf[4].outstanding, perf[4].starred) == (0, 1, 0)
    assert [(b.scope, b.label, b.raw) for b in m.benchmarks] == [
        ("global", "Most per action plan", [4, 7]),
        ("regional", "Most per action plan", [2, 7]),
    ]
    assert [(p.phase, p.action_plan, p.level) for p in m.participation] == [
        (phase, n, None) for phase in ("development", "implementation") for n in (1, 2, 3, 4)
    ]
    areas = {a.area: a.implications for a in m.global_report}
    assert list(areas) == [
        "Anti-Corruption",
        "Civic Space",
        "Open Policy Making",
        "Access to Information",
        "Fiscal Openness",
    ]
    assert areas["Civic Space"] == ["Consider Action", None, "Consider Action"]
    assert areas["Fiscal Openness"] == ["Implement for Results", "Consider Action", None]
    assert len(m.posts) == 4
    assert m.posts[0].title == "Citizen Participation in Auditing: The Key to Open Response and Recovery"
    assert m.posts[3].teaser.startswith("We often think that only civil society")
    assert m.warnings == []


def test_three_renditions_give_identical_records(renditions: dict[str, Member]) -> None:
    text, wp, sem = renditions["text"], renditions["wordpress"], renditions["semantic"]
    assert comparable(wp, drop_links=False) == comparable(sem, drop_links=False)
    assert comparable(text, drop_links=True) == comparable(wp, drop_links=True)
    assert wp.record_hash() == sem.record_hash()


def test_html_renditions_carry_links(renditions: dict[str, Member]) -> None:
    wp = renditions["wordpress"]
    assert (
        wp.current_plan.summary_url
        == "https://www.opengovpartnership.org/documents/peru-results-report-2019-2022/"
    )
    assert wp.resources[0].url == (
        "https://www.opengovpartnership.org/documents/peru-action-plan-review-2023-2025-for-public-comment/"
    )
    assert all(p.url and p.url.startswith("https://www.opengovpartnership.org/stories/") for p in wp.posts)
    assert (wp.source_url, wp.fetched_at) == (PERU_URL, "2025-01-02T03:04:05Z")
    assert renditions["text"].source_url == "https://www.opengovpartnership.org/members/Peru/"


def test_member_with_commitments_list_html() -> None:
    m = load("zembla-commitments.html", "https://www.opengovpartnership.org/members/Zembla/")
    assert (m.slug, m.name, m.level, m.member_since, m.action_plan) == (
        "zembla",
        "Zembla",
        "national",
        2014,
        3,
    )
    # Older narrative form instead of the bullets
    assert (m.current_plan.years, m.current_plan.commitment_count) == ("2022-2024", 11)
    assert (
        m.current_plan.summary_url
        == "https://www.opengovpartnership.org/documents/zembla-action-plan-2022-2024/"
    )
    assert [(c.id, c.year, c.policy_area) for c in m.commitments] == [
        ("ZB0021", 2022, "Fiscal Openness"),
        ("ZB0022", 2022, "Public Participation"),
        ("ZB0023", 2022, "Anti-Corruption"),
    ]
    assert m.commitments[1].url == "https://www.opengovpartnership.org/members/zembla/commitments/ZB0022/"
    # no link on the third title: built from the page URL
    assert m.commitments[2].url == "https://www.opengovpartnership.org/members/zembla/commitments/ZB0023/"
    assert m.commitments[2].title == "Beneficial Ownership of Port Concessions"
    gov, cso = m.contacts
    assert (gov.name, gov.role, gov.email, gov.side) == (
        "Ilse Varga-Moretti",
        "Senior Open Government Officer, Ministry of Coastal Affairs",
        "ivarga@coast.gov.zb",
        "government",
    )
    assert (cso.name, cso.email, cso.side) == ("Tomas Bellweather", "tomas@ztf.example.org", "civil society")
    # a resource without a type, and "Web Page" spelt with a capital P
    r = m.resources[1]
    assert (r.year, r.type, r.format) == (2023, None, "Web page")
    assert m.resources[0].format == "Web Page"
    assert [(p.action_plan, p.major, p.raw) for p in m.performance] == [(1, 2, [2, 1, 1]), (2, None, [4, 0])]
    assert [(b.scope, b.raw) for b in m.benchmarks] == [("global", [5, 9])]


def test_local_member_missing_headings() -> None:
    m = load("riverton-local.txt")
    assert (m.slug, m.name, m.level) == ("riverton-zembla", "Riverton, Zembla", "local")
    assert (m.member_since, m.action_plan) == (2020, None)  # a bare "Action Plan" bullet
    assert m.current_plan.policy_area_focus == "Water and Sanitation"
    assert [(c.name, c.role, c.email) for c in m.contacts] == [
        ("Marguerite Osei-Lindqvist", None, None),
        ("Pavel Dragomir", "Coordinator of the Riverton Civic Lab", None),
    ]
    assert [c.id for c in m.commitments] == ["RIV0001", "RIV0002"]
    assert (
        m.commitments[0].url
        == "https://www.opengovpartnership.org/members/riverton-zembla/commitments/RIV0001/"
    )
    assert m.resources == [] and m.performance == [] and m.global_report == []
    assert "no Resources section" in m.warnings
    assert [p.title for p in m.posts] == ["Riverton Opens Its Water Books"]


def test_truncated_page_keeps_what_is_there() -> None:
    m = load("valmora-truncated.txt")
    assert m.name == "Valmora" and m.current_plan.commitment_count == 7
    assert m.contacts[0].name == "Anneke Sørlie-Baptiste"
    assert m.contacts[0].role == "Head of Open Government Unit, Office of the Prime Minister"
    # Issue 15.3: the third item ends the excerpt mid-title with no meta line: left out, with a warning
    # (it used to be kept as a resource with a truncated title and no year).
    assert [r.year for r in m.resources] == [2024, 2024]
    assert "resource 3 is cut off at the end of the page; it was left out" in m.warnings


def test_language_from_url_and_from_labels() -> None:
    es_page = (
        "Saltar navegación\n\nZembla\n\n  • Miembro desde 2014\n  • Plan de acción 3\n\n"
        "Plan de acción actual\n\n2022-2024\n\nPlan de acción 3\n\n  • Número de compromisos: 11\n\n"
        "Recursos\n\n  1. Plan de acción de Zembla 2022-2024\n\n    2022, Plan de acción, Página web\n"
    )
    m = parse_page(es_page)
    assert isinstance(m, Member)
    assert (m.language, m.member_since, m.action_plan, m.current_plan.commitment_count) == ("es", 2014, 3, 11)
    assert (m.resources[0].type, m.resources[0].format) == ("Plan de acción", "Página web")
    fr = parse_page(es_page, url="https://www.opengovpartnership.org/fr/members/zembla/")
    assert fr.language == "fr"  # the URL wins
    fr_page = "Zembla\n\n  • Membre depuis 2014\n\nPlan d’action actuel\n\n2022–2024\n\nRessources\n"
    m = parse_page(fr_page)
    assert (m.language, m.member_since, m.current_plan.years) == ("fr", 2014, "2022-2024")


def test_member_without_name_is_rejected() -> None:
    with pytest.raises(PageRejected, match="no member name"):
        parse_page("  • Member Since 2011\n\nCurrent Action Plan\n\n2023-2025\n", kind="member")


def test_page_without_member_data_is_rejected() -> None:
    with pytest.raises(PageRejected):
        parse_page("Hello world\n\nThis is a blog.\n", url=PERU_URL)
