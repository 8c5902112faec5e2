"""Issue 15 (and the parse side of 13.1): every page shape, in the text rendering and both HTML markups,
gives the exact record. Fixtures: tests/fixtures/pages/shapes/ (regenerate with make_shapes.py).

HTML renditions are parsed with the page URL (so links resolve); the text rendering carries no links, so
its record is compared with link fields set to None.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

import ogptui.parse as parse_pkg
from ogptui.model import CommitmentPage, DocumentPage, Member
from ogptui.parse import parse_page
from ogptui.parse.contacts import split_contact
from ogptui.parse.document import unglue
from ogptui.parse.member import name_from_slug

SHAPES = Path(__file__).parent / "fixtures" / "pages" / "shapes"
SITE = "https://www.opengovpartnership.org"
MARKUPS = ["text", "wordpress", "semantic"]


@pytest.fixture(autouse=True)
def _strict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse_pkg, "STRICT", True)


def load(name: str, markup: str, url: str):
    if markup == "text":
        return parse_page((SHAPES / f"{name}.txt").read_bytes())
    return parse_page((SHAPES / f"{name}-{markup}.html").read_bytes(), url=url)


def record(rec, markup: str) -> dict:
    d = copy.deepcopy(rec.to_dict())
    for key in ("fetched_at", "source_url"):
        d.pop(key, None)
    if markup == "text" and d["kind"] == "member":
        d["current_plan"]["summary_url"] = None
        for key in ("resources", "posts"):
            for item in d[key]:
                item["url"] = None
    return d


def doc(slug: str) -> str:
    return f"{SITE}/documents/{slug}/"


def member(**kw) -> dict:
    base = {
        "kind": "member",
        "level": "national",
        "member_since": None,
        "action_plan": None,
        "contacts": [],
        "commitments": [],
        "resources": [],
        "performance": [],
        "benchmarks": [],
        "participation": [],
        "global_report": [],
        "posts": [],
        "language": "en",
        "warnings": [],
    }
    plan = {
        "years": None,
        "number": None,
        "commitment_count": None,
        "policy_area_focus": None,
        "summary": None,
        "summary_url": None,
    }
    plan.update(kw.pop("current_plan", {}))
    return {**base, "current_plan": plan, **kw}


def res(title, year, rtype, fmt, url=None) -> dict:
    return {"title": title, "year": year, "type": rtype, "format": fmt, "url": url}


def contact(name, role=None, email=None, side=None) -> dict:
    return {"name": name, "role": role, "email": email, "side": side}


def text_view(expected: dict, markup: str) -> dict:
    out = copy.deepcopy(expected)
    if markup == "text" and out["kind"] == "member":
        out["current_plan"]["summary_url"] = None
        for key in ("resources", "posts"):
            for item in out[key]:
                item["url"] = None
    return out


# ---------------------------------------------------------------------------------------------- 15.1, 15.6

NO_HEADINGS = member(
    slug="port-vell-zembla",
    name="Port Vell, Zembla",
    level="local",
    member_since=2020,
    action_plan=1,
    current_plan={
        "years": "2021-2023",
        "number": 1,
        "commitment_count": 3,
        "policy_area_focus": "Ports and Harbours",
        "summary": "Port Vell’s first action plan opens the harbour’s berth allocation to the public and "
        "publishes mooring fees as open data every month.",
        "summary_url": doc("port-vell-action-plan-2021-2023"),
    },
    contacts=[
        contact("Mirela Ostrova"),
        contact("Jane Kovač", side="civil society"),
        contact("Omar Haddad", side="government"),
        contact("Lena Brisk", "Coordinator, Port Vell Harbour Office", "lena@portvell.example"),
    ],
    commitments=[
        {
            "id": f"PVZ000{n}",
            "title": title,
            "year": 2021,
            "policy_area": area,
            "url": f"{SITE}/members/port-vell-zembla/commitments/PVZ000{n}/",
        }
        for n, title, area in (
            (1, "Open Berth Allocation Register", "Open Data"),
            (2, "Monthly Mooring Fees", "Fiscal Openness"),
            (3, "Harbour Users’ Forum", "Public Participation"),
        )
    ],
    resources=[
        res("Port Vell Action Plan Review 2021-2023", 2022, "IRM Report", "Web page", doc("pv-review")),
        res(
            "Port Vell Action Plan Review – For Public Comment",
            2022,
            None,
            "Web Page",
            doc("pv-review-comment"),
        ),
        res("Port Vell Action Plan 2021-2023", 2021, "Action Plan", "PDF", doc("pv-action-plan")),
    ],
)


@pytest.mark.parametrize("markup", MARKUPS)
def test_lists_contacts_and_plan_without_headings(markup: str) -> None:
    m = load("no-headings", markup, f"{SITE}/members/port-vell-zembla/")
    assert isinstance(m, Member)
    assert record(m, markup) == text_view(NO_HEADINGS, markup)


# ---------------------------------------------------------------------------------------------- 15.2

UNTITLED = member(
    slug="ostravia",
    name="Ostravia",
    member_since=2013,
    action_plan=4,
    current_plan={"years": "2022-2024", "number": 4, "commitment_count": 8},
    contacts=[
        contact(
            "Teodor Vasz",
            "Open Government Coordinator, Chancellery of Ostravia",
            "t.vasz@gov.ostravia.example",
        )
    ],
    resources=[
        res("(untitled)", 2023, "IRM Report", "Web page", doc("ostravia-results-report-2020-2022")),
        res("(untitled)", 2023, "Report Comments", "Web page", doc("ostravia-results-report-comments")),
        res("(untitled)", 2022, "Action Plan", "Web page", doc("ostravia-action-plan-2022-2024")),
    ],
    warnings=[f"resource {n} has no title on the page; listed as (untitled)" for n in (1, 2, 3)],
)


@pytest.mark.parametrize("markup", MARKUPS)
def test_meta_lines_without_titles_are_untitled_resources(markup: str) -> None:
    m = load("untitled", markup, f"{SITE}/members/ostravia/")
    assert record(m, markup) == text_view(UNTITLED, markup)


# ---------------------------------------------------------------------------------------------- 15.3

CUT_OFF = member(
    slug="valmora",
    name="Valmora",
    member_since=2012,
    action_plan=6,
    current_plan={
        "years": "2024-2028",
        "number": 6,
        "commitment_count": 7,
        "policy_area_focus": "Not specified",
    },
    resources=[
        res("Valmora Action Plan 2024-2028", 2024, "Action Plan", "Web page", doc("valmora-action-plan")),
        res("Valmora Co-Creation Brief 2024", 2024, "IRM Report", "Web page", doc("valmora-brief")),
    ],
    warnings=["no Contact section", "resource 3 is cut off at the end of the page; it was left out"],
)


@pytest.mark.parametrize("markup", MARKUPS)
def test_list_cut_off_by_the_end_of_the_page(markup: str) -> None:
    m = load("cut-off", markup, f"{SITE}/members/valmora/")
    assert record(m, markup) == text_view(CUT_OFF, markup)


# ---------------------------------------------------------------------------------------------- 15.4

FEATURED = member(
    slug="zembla",
    name="Zembla",
    member_since=2014,
    action_plan=2,
    current_plan={
        "years": "2018-2020",
        "number": 2,
        "commitment_count": 4,
        "summary": "Zembla’s second action plan turned to the fisheries register and to the budgets of its water "
        "boards.",
    },
    resources=[res("Zembla Action Plan 2018-2020", 2018, "Action Plan", "Web page", doc("zembla-ap-2018"))],
    warnings=["no Contact section"],
)


@pytest.mark.parametrize("markup", MARKUPS)
def test_featured_story_before_the_name_and_a_bare_current_plan(markup: str) -> None:
    m = load("featured-story", markup, f"{SITE}/members/zembla/")
    assert record(m, markup) == text_view(FEATURED, markup)


@pytest.mark.parametrize("markup", MARKUPS)
def test_no_name_heading_name_from_title_or_slug(markup: str) -> None:
    m = load("no-name", markup, f"{SITE}/members/riverton-zembla/")
    source = "the address (URL slug)" if markup == "text" else "the page title"
    expected = member(
        slug="riverton-zembla",
        name="Riverton, Zembla",
        level="local",
        member_since=2020,
        action_plan=1,
        resources=[
            res("Riverton Action Plan 2021-2023", 2021, "Action Plan", "Web page", doc("riverton-ap"))
        ],
        warnings=[
            f"no name heading on the page; the name was taken from {source}",
            "no Current Action Plan section",
            "no Contact section",
        ],
    )
    assert record(m, markup) == text_view(expected, markup)


@pytest.mark.parametrize(
    ("slug", "name"),
    [
        ("riverton-zembla", "Riverton, Zembla"),
        ("peru", "Peru"),
        ("south-africa", "South Africa"),
        ("elgeyo-marakwet-kenya", "Elgeyo Marakwet, Kenya"),
        ("makeni-sierra-leone", "Makeni, Sierra Leone"),
    ],
)
def test_name_from_slug(slug: str, name: str) -> None:
    assert name_from_slug(slug) == name


# ---------------------------------------------------------------------------------------------- 15.5

NARRATIVE = member(
    slug="valmora",
    name="Valmora",
    member_since=2012,
    action_plan=4,
    current_plan={
        "years": "2020-2022",
        "number": 4,
        "commitment_count": 6,
        "summary": "The plan centres on a public register of lobbyists and on open budgets for the island councils."
        "\n\nCivil society asked for the register in the last two plans; this time it is a commitment with a "
        "date.",
        "summary_url": doc("valmora-design-report-2020-2022"),
    },
    contacts=[
        contact(
            "Ana Ferreira", "Head of Open Government Unit, Office of the Prime Minister", side="government"
        )
    ],
    warnings=["no Resources section"],
)


@pytest.mark.parametrize("markup", MARKUPS)
def test_narrative_current_plan(markup: str) -> None:
    m = load("narrative", markup, f"{SITE}/members/valmora/")
    assert record(m, markup) == text_view(NARRATIVE, markup)


# ---------------------------------------------------------------------------------------------- 15.6


@pytest.mark.parametrize(
    ("line", "name", "side"),
    [
        ("Jane Doe Civil Society", "Jane Doe", "civil society"),
        ("Jane Doe Government", "Jane Doe", "government"),
        ("Jane Doe (Government)", "Jane Doe", "government"),
        ("Ana Pérez Sociedad Civil", "Ana Pérez", "civil society"),
        ("Jane Doe", "Jane Doe", None),
        ("Jo Bloggs Ministry of Government", "Jo Bloggs", None),  # an organisation, not a marker
    ],
)
def test_side_marker_glued_to_the_name(line: str, name: str, side: str | None) -> None:
    c = split_contact(line)
    assert (c.name, c.side) == (name, side)


# ---------------------------------------------------------------------------------------------- 15.9

PENDING_BEFORE = {
    "id": "ZB0031",
    "title": "Open Water Board Budgets",
    "member": "Zembla",
    "language": "en",
    "action_plan": "Zembla Action Plan 2024-2026",
    "action_plan_cycle": 2024,
    "status": "Active",
    "lead_institution": "Water Boards Authority of Zembla",
    "support_institutions": None,
    "policy_areas": ["Fiscal Openness", "Water and Sanitation"],
    "irm_reports": ["Pending IRM Review"],
    "starred": None,
    "early_results": None,
    "verifiable": None,
    "relevant_to_ogp_values": None,
    "ambition": None,
    "potential_impact": None,
    "completion": None,
    "description": "Publish each water board’s budget, quarter by quarter, as open data.\n"
    "Hold one public hearing a year on water tariffs.",
    "url": f"{SITE}/members/zembla/commitments/ZB0031/",
    "warnings": [],
    "kind": "commitment",
}
PENDING_MARKER = {
    **PENDING_BEFORE,
    "id": "ZB0032",
    "title": "Fisheries Quota Hearings",
    "status": None,
    "lead_institution": "Ministry of Coastal Affairs",
    "policy_areas": [],
    "description": "Hold two public hearings a year before fishing quotas are set.\n"
    "Publish the minutes of each hearing within a month.",
    "url": f"{SITE}/members/zembla/commitments/ZB0032/",
}


@pytest.mark.parametrize("markup", MARKUPS)
@pytest.mark.parametrize(
    ("name", "expected"),
    [("commitment-pending-before", PENDING_BEFORE), ("commitment-pending-marker", PENDING_MARKER)],
)
def test_commitment_pending_review_description(markup: str, name: str, expected: dict) -> None:
    c = load(name, markup, expected["url"])
    assert isinstance(c, CommitmentPage)
    assert record(c, markup) == expected


# ---------------------------------------------------------------------------------------------- 13.1, 15.7, 15.8

REPORT_URL = doc("ostravia-design-report-2022-2024")
REPORT = {
    "kind": "document",
    "title": "Ostravia Design Report 2022-2024",
    "summary": "Ostravia’s fourth action plan is broad and relevant to open government, but few of its eight "
    "commitments promise large changes.",
    "at_a_glance": {
        "Member since": "2013",
        "Action plan under review": "4",
        "Type of report": "Design",
        "Number of commitments": "8",
        "Is there a multi-stakeholder forum?": "Yes",
        "Level of public influence (development)": "Collaborate",
        "Level of public influence (implementation)": "Involve",
        "Relevant to OGP values": "7 (88%)",
        "Potentially starred": "1 (13%)",
    },
    "sections": [
        {
            "heading": "Section I: Overview of the action plan",
            "text": "The plan was written with the national forum over six months. Each action plan names a lead "
            "institution.\n\nTwo commitments carry over from the third plan.",
        },
        {
            "heading": "Section II: Promising commitments",
            "text": "The register of lobbyists is the most promising commitment.",
        },
    ],
    "attachments": [
        {
            "url": f"{SITE}/wp-content/uploads/2023/05/Ostravia_Design-Report_2022-2024.pdf",
            "name": "Ostravia Design Report 2022-2024 (PDF)",
        },
        {"url": f"{SITE}/wp-content/uploads/2023/05/Ostravia_annex.xlsx", "name": "Data annex (XLSX)"},
    ],
    "language": "en",
    "url": REPORT_URL,
    "slug": "ostravia-design-report-2022-2024",
    "warnings": [],
}


@pytest.mark.parametrize("markup", MARKUPS)
def test_irm_report_document(markup: str) -> None:
    d = load("document-irm-report", markup, REPORT_URL)
    assert isinstance(d, DocumentPage)
    expected = {**REPORT, "attachments": [] if markup == "text" else REPORT["attachments"]}
    assert record(d, markup) == expected
    # never another host's file, never a page link
    assert all(a.url.startswith(SITE + "/wp-content/") for a in d.attachments)


REVIEW_URL = doc("zembla-action-plan-review-2024-2028")


@pytest.mark.parametrize("markup", MARKUPS)
def test_action_plan_review_document(markup: str) -> None:
    d = load("document-plan-review", markup, REVIEW_URL)
    assert record(d, markup) == {
        "kind": "document",
        "title": "Zembla Action Plan Review 2024-2028",
        "summary": None,
        "at_a_glance": {
            "Action Plan": "Zembla Action Plan 2024-2028",
            "Dates Under Review": "2024-2028",
            "Report Publication Year": "2025",
        },
        "sections": [
            {
                "heading": "Overview",
                "text": "Zembla’s fourth plan keeps its focus on the sea and adds a commitment on port pollution data.",
            },
            {
                "heading": "Promising commitments",
                "text": "Open port pollution data could change how licences are renewed.",
            },
        ],
        "attachments": [],
        "language": "en",
        "url": REVIEW_URL,
        "slug": "zembla-action-plan-review-2024-2028",
        "warnings": ["no summary paragraph"],
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Each action planAction plans are at the core of a government’s participation in OGP. names a lead.",
            "Each action plan names a lead.",
        ),
        ("The IRM reviewsIRM reviews are written by researchers. each plan.", "The IRM reviews each plan."),
        ("A plain sentence about OpenData and iPhones.", "A plain sentence about OpenData and iPhones."),
    ],
)
def test_glossary_tooltips_are_removed_where_recognised(text: str, expected: str) -> None:
    assert unglue(text) == expected


def test_attachments_only_from_the_pages_own_host() -> None:
    html = (
        "<html><body><h1>Zembla Action Plan 2024-2028</h1><p>Type of report: Action plan</p>"
        "<p><a href='/wp-content/uploads/2024/01/Zembla_AP.pdf'>Download the plan</a></p>"
        "<p><a href='https://www.opengovpartnership.org/wp-content/uploads/2024/01/Annex.DOCX'></a></p>"
        "<p><a href='https://evil.example/wp-content/uploads/x.pdf'>Mirror</a></p>"
        "<p><a href='http://www.opengovpartnership.org.evil.example/x.pdf'>Look-alike</a></p>"
        "<p><a href='/documents/zembla-action-plan-2024-2028/'>The page itself</a></p>"
        "<p><a href='javascript:alert(1)//x.pdf'>Script</a></p></body></html>"
    )
    d = parse_page(html, url=doc("zembla-action-plan-2024-2028"))
    assert [(a.url, a.name) for a in d.attachments] == [
        (f"{SITE}/wp-content/uploads/2024/01/Zembla_AP.pdf", "Download the plan"),
        (f"{SITE}/wp-content/uploads/2024/01/Annex.DOCX", "Annex.DOCX"),
    ]


def test_malformed_page_address_keeps_only_relative_attachments() -> None:
    html = (
        "<html><body><h1>Zembla Plan</h1><p><a href='/wp-content/uploads/plan.pdf'>Plan</a></p>"
        "<p><a href='https://www.opengovpartnership.org/wp-content/uploads/other.pdf'>Other</a></p></body></html>"
    )
    d = parse_page(html, url="https://[broken/documents/zembla-plan/", kind="document")  # used to raise
    assert isinstance(d, DocumentPage) and d.title == "Zembla Plan"
    assert [(a.url, a.name) for a in d.attachments] == [("/wp-content/uploads/plan.pdf", "Plan")]
