"""Commitment, document and directory pages; rejections; blocks."""

from __future__ import annotations

from pathlib import Path

import pytest

import ogptui.parse as parse_pkg
from ogptui.model import CommitmentPage, DirectoryPage, DocumentPage, PageRejected
from ogptui.parse import html_to_blocks, parse_page, text_to_blocks
from ogptui.parse.blocks import capture_header
from ogptui.parse.commitment import split_reports
from ogptui.parse.contacts import split_contact

PAGES = Path(__file__).parent / "fixtures" / "pages"
SITE = "https://www.opengovpartnership.org"


@pytest.fixture(autouse=True)
def _strict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse_pkg, "STRICT", True)


def page(name: str, url: str | None = None, **kw):
    return parse_page((PAGES / name).read_bytes(), url=url, **kw)


# ------------------------------------------------------------------------------------------ commitments


def test_commitment_english() -> None:
    c = page("commitment-en.txt")
    assert isinstance(c, CommitmentPage)
    assert (c.id, c.title, c.member, c.language) == (
        "ZB0021",
        "Open Fisheries Licensing Register",
        "Zembla",
        "en",
    )
    assert (c.action_plan, c.action_plan_cycle, c.status) == ("Zembla Action Plan 2022-2024", 2022, "Active")
    assert c.lead_institution == "Ministry of Coastal Affairs"
    assert c.support_institutions.startswith("Fisheries Inspectorate, Harbour Authority")
    assert c.policy_areas == ["Fiscal Openness", "Open Data", "Marine Resources"]
    assert c.irm_reports == ["Zembla Action Plan Review 2022-2024", "Zembla Results Report 2022-2024"]
    assert (c.early_results, c.verifiable, c.relevant_to_ogp_values) == ("Major", "Yes", "Yes")
    assert (c.ambition, c.completion, c.starred, c.potential_impact) == ("High", "Substantial", None, None)
    assert c.description.splitlines()[:2] == [
        "Commitment 1: Open Fisheries Licensing Register",
        "What is the problem?",
    ]
    assert c.description.endswith(
        "2. Hold two public hearings per year on quota allocation."
    )  # footer dropped
    assert c.url == f"{SITE}/members/zembla/commitments/ZB0021/"
    assert c.warnings == []


def test_commitment_french_html() -> None:
    c = page("commitment-fr.html", f"{SITE}/fr/members/zembla/commitments/zb0022/", kind="commitment")
    assert isinstance(c, CommitmentPage)
    assert (c.id, c.title, c.member, c.language) == (
        "ZB0022",
        "Registre ouvert des baux portuaires",
        "Zembla",
        "fr",
    )
    assert (c.action_plan, c.action_plan_cycle, c.status) == ("Plan d'action de Zembla 2022-2024", 2022, None)
    assert c.lead_institution == "Autorité portuaire de Zembla"
    assert c.support_institutions == "Cour des comptes, Réseau citoyen des ports"
    assert c.policy_areas == ["Ouverture fiscale", "Lutte contre la corruption"]
    assert c.irm_reports == ["Revue du plan d'action de Zembla 2022-2024"]
    # issue 17: enumerated values are mapped to the canonical English words (they were kept as given before)
    assert (c.early_results, c.verifiable, c.ambition, c.completion) == ("Marginal", "Yes", "High", "Limited")
    assert (
        c.description
        == "Engagement 2 : Registre ouvert des baux portuaires\nPublier chaque bail portuaire,\navec son loyer et sa durée."
    )


def test_commitment_french_language_detected_without_url() -> None:
    c = parse_page((PAGES / "commitment-fr.html").read_text(encoding="utf-8"))
    assert isinstance(c, CommitmentPage) and c.language == "fr" and c.id == "ZB0022"


def test_commitment_spanish() -> None:
    c = page("commitment-es.txt")
    assert isinstance(c, CommitmentPage)
    assert (c.id, c.member, c.language) == ("RIV0002", "Riverton, Zembla", "es")
    assert (c.action_plan_cycle, c.status, c.completion) == (2021, None, None)
    assert c.lead_institution == "Concejo Municipal de Riverton"
    assert c.policy_areas == ["Participación pública", "Agua y saneamiento"]
    assert c.irm_reports == ["Pending IRM Review"]  # kept as the page states it
    assert (c.verifiable, c.relevant_to_ogp_values, c.ambition) == ("Yes", "Yes", "Low")  # mapped (issue 17)
    assert c.description.startswith("Compromiso 2:")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "A Transitional Results Report 2018-2021, A Design Report 2018-2020",
            ["A Transitional Results Report 2018-2021", "A Design Report 2018-2020"],
        ),
        ("Pending IRM Review", ["Pending IRM Review"]),
        (
            "Report on Water, Sanitation and Ports 2020, Second Report 2021",
            ["Report on Water, Sanitation and Ports 2020", "Second Report 2021"],
        ),
        ("", []),
        (None, []),
    ],
)
def test_split_reports(value, expected) -> None:
    assert split_reports(value) == expected


# ------------------------------------------------------------------------------------------ contacts


@pytest.mark.parametrize(
    ("line", "name", "role", "email", "side"),
    [
        (
            "Ana Lucía Quispe Directora de Gobierno Abierto, Secretaría Invented ana@x.example",
            "Ana Lucía Quispe",
            "Directora de Gobierno Abierto, Secretaría Invented",
            "ana@x.example",
            None,
        ),
        (
            "Jo Bloggs Ministry of Ports jo@ports.example (Government)",
            "Jo Bloggs",
            "Ministry of Ports",
            "jo@ports.example",
            "government",
        ),
        (
            "Kim Sato, Civic Lab kim@lab.example (Civil Society)",
            "Kim Sato",
            "Civic Lab",
            "kim@lab.example",
            "civil society",
        ),
        ("Marguerite Osei-Lindqvist", "Marguerite Osei-Lindqvist", None, None, None),
        ("mailto:only@mail.example", "only@mail.example", None, "only@mail.example", None),
    ],
)
def test_split_contact(line, name, role, email, side) -> None:
    c = split_contact(line)
    assert (c.name, c.role, c.email, c.side) == (name, role, email, side)


def test_split_contact_empty() -> None:
    assert split_contact("  (Government)  ") is None
    assert split_contact("\x1b[31m\u202e") is None


# ------------------------------------------------------------------------------------------ documents, directory


def test_document_page() -> None:
    d = page("document.txt")
    assert isinstance(d, DocumentPage)
    assert d.title == "Zembla Action Plan Review 2022-2024"
    assert d.summary.startswith("Zembla’s third action plan is built around the sea")
    assert d.at_a_glance == {
        "Action Plan": "Zembla Action Plan 2022-2024",
        "Dates Under Review": "2022-2024",
        "Report Publication Year": "2023",
        "Number of commitments": "11",
        "Is there a multi-stakeholder forum?": "Yes",
        "Level of public influence": "Collaborate",
        "Relevant to OGP values": "10 (91%)",
        "Promising commitments": "2 (18%)",
    }
    assert d.url == f"{SITE}/documents/zembla-action-plan-review-2022-2024/"


def test_document_table_html() -> None:
    html = (
        "<html><body><main><h1>Ostravia Results Report 2019-2021</h1><p>An invented report about Ostravia, "
        "written only so that the parser has a summary paragraph to find.</p><table><caption>At a glance</caption>"
        "<tr><th>Starred commitments</th><td>0</td></tr><tr><th>Completed commitments:</th><td>3</td></tr></table>"
        "</main></body></html>"
    )
    d = parse_page(html, url=f"{SITE}/documents/ostravia-results-report-2019-2021/")
    assert isinstance(d, DocumentPage)
    assert d.at_a_glance == {"Starred commitments": "0", "Completed commitments": "3"}


def test_directory_page() -> None:
    d = page("directory.html", f"{SITE}/local/participants")
    assert isinstance(d, DirectoryPage)
    assert [(m.name, m.slug, m.level) for m in d.members] == [
        ("Zembla", "zembla", "national"),
        ("Valmora", "valmora", "national"),
        ("Riverton, Zembla", "riverton-zembla", "local"),
        ("Ostravia", "ostravia", "national"),
        ("Port Vell, Zembla", "port-vell-zembla", "local"),
    ]
    assert d.members[1].url == f"{SITE}/members/valmora/"
    assert d.members[2].url == f"{SITE}/members/riverton-zembla/"


def test_directory_detected_from_content() -> None:
    text = "Members\n\nZembla\n\nJoined in 2014 and is implementing 11 commitments.\n\nImage for Valmora\n\nValmora\n\nJoined in 2012.\n"
    d = parse_page(text)
    assert isinstance(d, DirectoryPage)
    assert [m.slug for m in d.members] == ["zembla", "valmora"]


# ------------------------------------------------------------------------------------------ rejections


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("error-404.html", "error page"),
        ("challenge.html", "bot-check challenge"),
        ("login.html", "login wall"),
    ],
)
def test_rejected_fixtures(name: str, words: str) -> None:
    with pytest.raises(PageRejected) as err:
        page(name, f"{SITE}/members/zembla/")
    assert err.value.reason == f"the page is a {words}, not a member page" or words in err.value.reason
    assert err.value.reason.endswith("not a member page")


@pytest.mark.parametrize(
    "content",
    [
        "",
        b"",
        "   \n\n\t  ",
        "<html><body></body></html>",
        "Page not found",
        "404",
        "500 Internal Server Error",
        "<html><head><title>Just a moment...</title></head><body><p>Checking your browser before accessing.</p></body></html>",
        "Enable JavaScript and cookies to continue",
        "Log in\n\nUsername\n\nPassword\n",
        "<html><body><h1>Welcome</h1><form><input type='password'></form></body></html>",
        b"\xff\xfe\x00garbage\x00",
        "Just some unrelated text that is not an OGP page at all.",
    ],
)
def test_rejections(content) -> None:
    with pytest.raises(PageRejected) as err:
        parse_page(content)
    reason = err.value.reason
    assert reason and "\n" not in reason and len(reason) < 200


def test_wrong_kind_is_rejected() -> None:
    with pytest.raises(PageRejected, match="commitment page, not a member page"):
        page("commitment-en.txt", kind="member")
    with pytest.raises(PageRejected, match="not a commitment page"):
        page("peru.txt", kind="commitment")
    with pytest.raises(PageRejected, match="unknown page kind"):
        page("peru.txt", kind="nonsense")


def test_member_page_with_login_link_in_nav_is_not_rejected() -> None:
    m = page("zembla-commitments.html", f"{SITE}/members/zembla/", kind="member")
    assert m.name == "Zembla"


# ------------------------------------------------------------------------------------------ blocks


def test_text_blocks() -> None:
    text = (PAGES / "peru.txt").read_text(encoding="utf-8")
    assert capture_header(text) == {"url": f"{SITE}/members/Peru/", "capture": "full"}
    blocks = text_to_blocks(text)
    assert blocks[0].text == "Skip Navigation"  # the header lines are not blocks
    assert (blocks[2].kind, blocks[2].ordinal, blocks[2].text) == ("item", None, "Member Since 2011")
    items = [b for b in blocks if b.kind == "item" and b.ordinal is not None]
    assert len(items) == 40
    assert items[0].lines == [
        "Peru Action Plan Review 2023-2025 – For Public Comment",
        "2024, Report Comments, Web page",
    ]
    assert [b.ordinal for b in items] == list(range(1, 41))


def test_html_blocks_drop_chrome_and_keep_structure() -> None:
    html = (
        "<html><head><title>T</title><style>p{}</style></head><body>"
        "<header><nav><a href='/'>Home</a></nav><h1>Site name</h1></header>"
        "<script>document.write('<h1>evil</h1>')</script><noscript>Enable JavaScript</noscript>"
        "<main><h1>Zembla\u00a0Island</h1><svg><text>svg text</text></svg>"
        "<p>one <b>bold</b><br>two (<a href='/d/x/'>More</a>)</p>"
        "<ol start='3'><li><h3><a href='/documents/a/'>Doc A</a></h3><p>2024, Letter, Web page</p></li><li>Doc B</li></ol>"
        "<ul><li>Bullet</li></ul><form><input type='search'></form></main><footer>Footer text</footer></body></html>"
    )
    blocks = html_to_blocks(html)
    assert [(b.kind, b.text) for b in blocks] == [
        ("heading", "Zembla Island"),
        ("paragraph", "one bold two (More)"),
        ("item", "Doc A"),
        ("item", "Doc B"),
        ("item", "Bullet"),
    ]
    assert blocks[1].lines == ["one bold", "two (More)"] and blocks[1].links == [("More", "/d/x/")]
    assert (blocks[2].ordinal, blocks[2].href, blocks[2].lines) == (
        3,
        "/documents/a/",
        ["Doc A", "2024, Letter, Web page"],
    )
    assert (blocks[3].ordinal, blocks[4].ordinal) == (4, None)


def test_deeply_nested_html_does_not_crash() -> None:
    html = "<div>" * 5000 + "Zembla" + "</div>" * 5000
    blocks = html_to_blocks(html)
    assert blocks and "Zembla" in blocks[-1].text
