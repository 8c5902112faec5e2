"""Data the fake OGP site serves: a small hand-written default set and a deterministic synthetic generator.

Everything here is invented (only the slug/name `peru`/`Peru` is real); shapes follow
/work/shared/ogp/SITE.md. URLs in the records are site-relative paths (`/members/peru/`), because the
port of the fake site is not known when the data is made; the renderer writes them as `href`s unchanged.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from ogptui.model import (
    Benchmark,
    Commitment,
    CommitmentPage,
    Contact,
    CurrentPlan,
    GlobalReportArea,
    Member,
    ParticipationRow,
    PerformanceRow,
    Post,
    Resource,
)

GLOBAL_REPORT_AREAS = (
    "Anti-Corruption",
    "Civic Space",
    "Open Policy Making",
    "Access to Information",
    "Fiscal Openness",
)
POLICY_AREAS = (
    "Anti-Corruption",
    "Access to Information",
    "Public Participation",
    "Fiscal Openness",
    "Public Service Delivery",
    "Justice",
    "Environment and Climate",
    "Infrastructure & Transport",
    "Capacity Building",
    "Open Data",
    "Gender and Inclusion",
    "Health",
    "Education",
    "Beneficial Ownership",
    "Digital Governance",
)
RESOURCE_TYPES = (
    "Action Plan",
    "IRM Report",
    "Report Comments",
    "Self Assessment",
    "Letter",
    "Research Product",
    "Case Study",
    "Final Learning Exercise",
    "Inception Report",
    "End of Commitment Report",
)
LEVELS = ("Collaborate", "Involve", "Consult", "Inform", "No Consultation")


@dataclass
class SiteData:
    """Members plus the commitment detail pages, keyed by (slug, commitment ID)."""

    members: list[Member] = field(default_factory=list)
    commitments: dict[tuple[str, str], CommitmentPage] = field(default_factory=dict)

    def member(self, slug: str) -> Member:
        for m in self.members:
            if m.slug == slug.lower():
                return m
        raise KeyError(slug)

    def commitment(self, slug: str, cid: str) -> CommitmentPage:
        return self.commitments[(slug.lower(), cid.upper())]


def member_path(slug: str) -> str:
    return f"/members/{slug}/"


def commitment_path(slug: str, cid: str) -> str:
    return f"/members/{slug}/commitments/{cid}/"


def document_path(title: str) -> str:
    keep = "".join(ch.lower() if ch.isalnum() else "-" for ch in title)
    return "/documents/" + "-".join(p for p in keep.split("-") if p) + "/"


def _c(slug: str, cid: str, title: str, year: int, area: str) -> Commitment:
    return Commitment(id=cid, title=title, year=year, policy_area=area, url=commitment_path(slug, cid))


def _r(title: str, year: int | None, rtype: str | None, fmt: str = "Web page") -> Resource:
    return Resource(title=title, year=year, type=rtype, format=fmt, url=document_path(title))


def _detail(member: Member, c: Commitment, **kw) -> CommitmentPage:
    page = CommitmentPage(
        id=c.id,
        title=c.title,
        member=member.name,
        language="en",
        url=c.url,
        policy_areas=[c.policy_area] if c.policy_area else [],
    )
    for k, v in kw.items():
        setattr(page, k, v)
    return page


def _peru() -> tuple[Member, list[CommitmentPage]]:
    slug = "peru"
    commitments = [
        _c(slug, "PE0110", "Open Public Works Monitoring", 2023, "Anti-Corruption"),
        _c(slug, "PE0111", "Citizen Reporting of Water Service Outages", 2023, "Public Service Delivery"),
        _c(slug, "PE0112", "Open Register of Mining Concessions", 2023, "Environment and Climate"),
        _c(slug, "PE0113", "Participatory Budget Dashboards for Regions", 2023, "Fiscal Openness"),
        _c(slug, "PE0114", "Court Decisions Open Data Portal", 2023, "Justice"),
        _c(slug, "PE0115", "Multilingual Public Service Helpline", 2023, "Public Service Delivery"),
    ]
    m = Member(
        slug=slug,
        name="Peru",
        member_since=2011,
        action_plan=5,
        current_plan=CurrentPlan(
            years="2023-2025",
            number=5,
            commitment_count=6,
            policy_area_focus="Not specified",
            summary=(
                "Peru’s fifth action plan focuses on public works, water services and extractive industries. "
                "Most commitments build on earlier reforms; the IRM recommends stronger civil society roles "
                "in monitoring their implementation."
            ),
            summary_url="/documents/peru-action-plan-review-2023-2025/",
        ),
        contacts=[
            Contact(
                name="Mariela Quispe Soto",
                role="Open Government Coordinator, Secretariat of Public Administration",
                email="mquispe@example.gob.pe",
                side="government",
            ),
            Contact(
                name="Jorge Salas Pinto",
                role="Director, Transparencia Ciudadana",
                email="jsalas@example.org",
                side="civil society",
            ),
        ],
        commitments=commitments,
        resources=[
            _r("Peru Action Plan Review 2023-2025", 2024, "IRM Report"),
            _r("Peru Action Plan Review 2023-2025 – For Public Comment", 2024, "Report Comments"),
            _r("Peru Action Plan 2023-2025", 2023, "Action Plan"),
            _r("Peru Results Report 2019-2022", 2023, "IRM Report"),
            _r("Peru – Contrary to Process Letter (March 2023)", 2023, "Letter"),
            _r("Peru Mid-Term Self-Assessment 2020-2022", 2022, "Self Assessment"),
            _r("Peru Design Report 2019-2021", 2021, "IRM Report"),
            _r("Trujillo – Letter of Support", 2021, "Letter"),
            _r("Peru Action Plan 2019-2021", 2020, "Action Plan", "Web Page"),
            _r("Perú Design Report 2017-2019", 2020, "IRM Report"),
            _r("Peru Open Contracting Case Study", 2016, "Case Study"),
            _r("Peru Action Plan 2012", 2015, "Action Plan"),
        ],
        performance=[
            PerformanceRow(action_plan=1, raw=[0]),
            PerformanceRow(action_plan=2, major=3, outstanding=0, starred=3, raw=[3, 0, 3]),
            PerformanceRow(action_plan=3, major=3, outstanding=0, starred=0, raw=[3, 0, 0]),
            PerformanceRow(action_plan=4, major=0, outstanding=1, starred=0, raw=[0, 1, 0]),
        ],
        benchmarks=[
            Benchmark(scope="global", label="Most per action plan", raw=[4, 7]),
            Benchmark(scope="regional", label="Most per action plan", raw=[2, 7]),
        ],
        participation=[
            ParticipationRow(phase=ph, action_plan=n, level=lvl)
            for ph, lv in (
                ("development", ("Consult", "Involve", "Involve", "Collaborate")),
                ("implementation", ("Inform", "Consult", None, "Involve")),
            )
            for n, lvl in enumerate(lv, start=1)
        ],
        global_report=[
            GlobalReportArea(
                area="Anti-Corruption", implications=["Consider Action", "Implement for Results"]
            ),
            GlobalReportArea(area="Civic Space", implications=["Consider Action", None, "Consider Action"]),
            GlobalReportArea(
                area="Open Policy Making", implications=["Consider Action", "Implement for Results"]
            ),
            GlobalReportArea(
                area="Access to Information",
                implications=["Implement for Results", "Consider Action", "Consider Action"],
            ),
            GlobalReportArea(
                area="Fiscal Openness", implications=["Implement for Results", "Consider Action", None]
            ),
        ],
        posts=[
            Post(
                title="Auditing Public Works with Citizen Monitors",
                teaser="Supreme audit institutions and volunteers are checking construction sites together...",
                url="/stories/auditing-public-works-with-citizen-monitors/",
            ),
            Post(
                title="Water Data for Regional Planning",
                teaser="Lessons from reformers: open data on outages helps small providers plan repairs...",
                url="/stories/water-data-for-regional-planning/",
            ),
        ],
        language="en",
    )
    details = [
        _detail(
            m,
            commitments[0],
            action_plan="Peru Action Plan 2023-2025",
            action_plan_cycle=2023,
            status="Active",
            lead_institution="Contraloría General de la República",
            support_institutions=(
                "Organismo Supervisor de las Contrataciones del Estado (OSCE); Ministerio de Economía y Finanzas; "
                "civil society organisations, academia and the private sector"
            ),
            policy_areas=["Anti-Corruption", "Public Participation", "Open Contracting"],
            irm_reports=["Peru Action Plan Review 2023-2025"],
            early_results="Pending IRM Review",
            verifiable="Yes",
            relevant_to_ogp_values="Yes",
            ambition="High",
            completion="Pending IRM Review",
            description=(
                "Commitment 1: Open public works monitoring\n"
                "We will publish the progress, budget and photos of every public works project above a threshold.\n\n"
                "Objective\n"
                "Let citizens see and report delays in public works in their district."
            ),
        ),
        _detail(
            m,
            commitments[1],
            action_plan="Peru Action Plan 2023-2025",
            action_plan_cycle=2023,
            status="Active",
            lead_institution="National Water Services Authority",
            support_institutions="Regional water providers",
            policy_areas=["Public Service Delivery", "Water and Sanitation"],
            irm_reports=["Peru Action Plan Review 2023-2025"],
            early_results="Marginal",
            verifiable="Yes",
            relevant_to_ogp_values="Yes",
            ambition="Low",
            completion="Limited",
            description="A public online form and hotline to report water outages, with published response times.",
        ),
    ]
    # The others have pages with the labels present and the values empty (seen on the real site).
    for c in commitments[2:]:
        details.append(
            _detail(
                m,
                c,
                action_plan="Peru Action Plan 2023-2025",
                action_plan_cycle=2023,
                lead_institution="Presidency of the Council of Ministers",
                irm_reports=["Pending IRM Review"],
                description=f"{c.title}: the ministry will publish the data every quarter.",
            )
        )
    return m, details


def _valdoria() -> tuple[Member, list[CommitmentPage]]:
    slug = "valdoria"
    areas = ("Open Data", "Fiscal Openness", "Justice", "Health", "Anti-Corruption")
    commitments = [
        _c(slug, f"VD{n:04d}", t, 2022, areas[n % len(areas)])
        for n, t in enumerate(
            (
                "Open Budget Data in Machine-Readable Formats",
                "Beneficial Ownership Register for Public Contractors",
                "Publish Court Statistics Monthly",
                "Hospital Waiting Times Online",
                "Lobbying Transparency Register",
            ),
            start=31,
        )
    ]
    m = Member(
        slug=slug,
        name="Valdoria",
        member_since=2014,
        action_plan=4,
        current_plan=CurrentPlan(
            years="2022–2024",
            number=4,
            commitment_count=5,
            policy_area_focus="Fiscal Openness, Anti-Corruption",
            summary=(
                "Valdoria’s fourth action plan opens budget and contracting data and creates a lobbying "
                "register. Its commitments are verifiable and relevant to OGP values."
            ),
            summary_url="/documents/valdoria-action-plan-review-2022-2024/",
        ),
        contacts=[
            Contact(
                name="Ana Novak",
                role="Head of Open Government Unit, Ministry of Public Administration",
                email="ana.novak@example.gov.vd",
                side=None,
            )
        ],
        commitments=commitments,
        resources=[
            _r("Valdoria Action Plan Review 2022-2024", 2023, "IRM Report"),
            _r("Valdoria Action Plan 2022-2024", 2022, "Action Plan"),
            _r("Port Esmer – Letter of Support", 2021, "Letter"),
            _r("Valdoria Results Report 2019-2021", 2022, "IRM Report"),
            _r("Valdoria Inception Report 2019", 2019, "Inception Report"),
        ],
        performance=[
            PerformanceRow(action_plan=1, major=1, outstanding=0, starred=1, raw=[1, 0, 1]),
            PerformanceRow(action_plan=2, major=2, outstanding=1, starred=2, raw=[2, 1, 2]),
            PerformanceRow(action_plan=3, major=4, outstanding=0, starred=1, raw=[4, 0, 1]),
        ],
        benchmarks=[
            Benchmark(scope="global", label="Most per action plan", raw=[4, 7]),
            Benchmark(scope="regional", label="Most per action plan", raw=[3, 6]),
        ],
        participation=[
            ParticipationRow(phase="development", action_plan=n, level=lv)
            for n, lv in ((1, "Consult"), (2, "Involve"), (3, "Involve"))
        ]
        + [ParticipationRow(phase="implementation", action_plan=n, level=None) for n in (1, 2, 3)],
        global_report=[
            GlobalReportArea(area=a, implications=["Consider Action"]) for a in GLOBAL_REPORT_AREAS
        ],
        posts=[
            Post(
                title="Valdoria Opens Its Budget",
                teaser="Machine-readable budget data arrives in time for the parliamentary debate...",
                url="/stories/valdoria-opens-its-budget/",
            )
        ],
        language="en",
    )
    details = [
        _detail(
            m,
            c,
            action_plan="Valdoria Action Plan 2022-2024",
            action_plan_cycle=2022,
            status="Active",
            lead_institution="Ministry of Finance",
            support_institutions="National Statistics Office, Open Knowledge Valdoria",
            policy_areas=[c.policy_area or "Open Data", "Capacity Building"],
            irm_reports=["Valdoria Action Plan Review 2022-2024"],
            early_results="Major" if i == 0 else "Marginal",
            verifiable="Yes",
            relevant_to_ogp_values="Yes",
            ambition="High" if i % 2 == 0 else "Low",
            completion=("Substantial", "Completed", "Limited", "Not Started", "Completed")[i],
            description=f"{c.title}. The responsible ministry publishes progress every quarter.",
        )
        for i, c in enumerate(commitments)
    ]
    return m, details


def _port_esmer() -> tuple[Member, list[CommitmentPage]]:
    slug = "port-esmer-valdoria"
    commitments = [
        _c(slug, "PEV0001", "Open Council Meetings Online", 2021, "Public Participation"),
        _c(slug, "PEV0002", "City Procurement Portal", 2021, "Anti-Corruption"),
        _c(slug, "PEV0003", "Neighbourhood Budget Assemblies", 2021, "Fiscal Openness"),
    ]
    m = Member(
        slug=slug,
        name="Port Esmer, Valdoria",
        level="local",
        member_since=2020,
        action_plan=None,  # local pages show a bare "Action Plan"
        current_plan=CurrentPlan(
            years="2021-2023",
            number=None,
            commitment_count=3,
            policy_area_focus="Public Participation",
            summary="Port Esmer’s first action plan brings council meetings and city procurement online.",
            summary_url=None,
        ),
        contacts=[
            Contact(
                name="Luka Marin", role="Deputy Mayor, City of Port Esmer", email=None, side="government"
            ),
        ],
        commitments=commitments,
        resources=[
            _r("Port Esmer Action Plan 2021-2023", 2021, "Action Plan"),
            _r("Port Esmer Design Report 2021-2023", 2022, None),
        ],
        language="en",
    )
    details = [
        _detail(
            m,
            c,
            action_plan="Port Esmer Action Plan 2021-2023",
            action_plan_cycle=2021,
            status="Active",
            lead_institution="City of Port Esmer",
            support_institutions="Port Esmer Civic Lab",
            irm_reports=["Port Esmer Design Report 2021-2023"],
            early_results="Pending IRM Review",
            verifiable="Yes",
            relevant_to_ogp_values="Yes",
            potential_impact="Moderate",
            completion="Substantial",
            description=f"{c.title} for all residents of Port Esmer.",
        )
        for c in commitments
    ]
    return m, details


def _norland() -> tuple[Member, list[CommitmentPage]]:
    """An older-style page: no Contact section, resources without TYPE, starred values on commitments."""
    slug = "norland"
    commitments = [
        _c(slug, "NL0007", "Freedom of Information Act Amendments", 2016, "Access to Information"),
        _c(slug, "NL0008", "Open Parliament Voting Records", 2016, "Open Data"),
    ]
    m = Member(
        slug=slug,
        name="Norland",
        member_since=2012,
        action_plan=3,
        current_plan=CurrentPlan(
            years="2016-2018",
            number=3,
            commitment_count=2,
            policy_area_focus="Access to Information",
            summary="Norland’s third action plan revises its access to information law.",
            summary_url="/documents/norland-end-of-term-report-2016-2018/",
        ),
        commitments=commitments,
        resources=[
            _r("Norland End-of-Term Report 2016-2018", 2019, None),
            _r("Norland Action Plan 2016-2018", 2016, "Action Plan", "Web Page"),
        ],
        performance=[PerformanceRow(action_plan=1, raw=[2]), PerformanceRow(action_plan=2, raw=[1])],
        language="en",
    )
    details = [
        _detail(
            m,
            c,
            action_plan="Norland Action Plan 2016-2018",
            action_plan_cycle=2016,
            lead_institution="Ministry of Justice",
            irm_reports=["Norland End-of-Term Report 2016-2018"],
            starred="Yes" if i == 0 else "No",
            early_results="Outstanding" if i == 0 else "Major",
            verifiable="Yes",
            relevant_to_ogp_values="Yes",
            potential_impact="Transformative" if i == 0 else "Moderate",
            completion="Completed",
            description=f"{c.title}.",
        )
        for i, c in enumerate(commitments)
    ]
    return m, details


def default_site() -> SiteData:
    """Four invented members: peru (national), valdoria (national), a local member, norland (older page)."""
    data = SiteData()
    for make in (_peru, _valdoria, _port_esmer, _norland):
        m, details = make()
        data.members.append(m)
        for d in details:
            data.commitments[(m.slug, d.id)] = d
    return data


# ---------------------------------------------------------------------------------------------- testland
# Testland: every section filled, with markup-looking and escape-laden values and links of every kind
# (absolute, missing, `javascript:`), for the TUI, report and store tests. Not served by the fake site.

MARKUP_TITLE = "[@click=app.quit]x[/] [bold]loud[/bold] \x1b[31mred"


def sample_member(slug: str = "testland", name: str = "Testland") -> Member:
    """A member with every section filled, including commitments with and without details."""
    commitments = [
        Commitment(
            id="TL0001",
            title="Open contracting for public works",
            year=2021,
            policy_area="Open Contracting",
            url="https://www.opengovpartnership.org/members/testland/commitments/TL0001/",
        ),
        Commitment(
            id="TL0002",
            title="Beneficial ownership register",
            year=2021,
            policy_area="Anti-Corruption",
            url="https://www.opengovpartnership.org/members/testland/commitments/TL0002/",
        ),
        Commitment(
            id="TL0003",
            title=MARKUP_TITLE,
            year=2019,
            policy_area="[red]Access[/red] to Information",
            url="https://www.opengovpartnership.org/members/testland/commitments/TL0003/",
        ),
        Commitment(id="TL0004", title="Water data portal", year=2019, policy_area="Open Data", url=None),
    ]
    resources = [
        Resource("Testland Action Plan 2023-2025", 2023, "Action Plan", "Web page",
                 "https://www.opengovpartnership.org/documents/testland-action-plan-2023-2025/"),
        Resource("Testland Design Report 2019-2021", 2021, "IRM Report", "Web page",
                 "https://www.opengovpartnership.org/documents/testland-design-report-2019-2021/"),
        Resource("Testland Results Report 2019-2022", 2023, "IRM Report", "Web page",
                 "https://www.opengovpartnership.org/documents/testland-results-report/"),
        Resource("Letter of Support", 2021, "Letter", "Web Page", None),
        Resource("Unsafe link", 2020, "Letter", "Web page", "javascript:alert(1)"),
        Resource("Testland comments [b]x[/b]", 2020, None, "Web page", "https://example.org/c"),
    ]  # fmt: skip
    return Member(
        slug=slug,
        name=name,
        level="national",
        member_since=2011,
        action_plan=5,
        current_plan=CurrentPlan(
            years="2023-2025",
            number=5,
            commitment_count=13,
            policy_area_focus="Not specified",
            summary="Testland's fourth action plan has a moderate level of completion. [link=x]y[/link]",
            summary_url="https://www.opengovpartnership.org/documents/testland-results-report/",
        ),
        contacts=[
            Contact("Ana Pérez", "Open Government Coordinator, Ministry", "ana@example.gob", "government"),
            Contact("Civic Forum", "Network", None, "civil society"),
        ],
        commitments=commitments,
        resources=resources,
        performance=[
            PerformanceRow(1, raw=[0]),
            PerformanceRow(2, 3, 0, 3, [3, 0, 3]),
            PerformanceRow(3, 3, 0, 0, [3, 0, 0]),
            PerformanceRow(4, 0, 1, 0, [0, 1, 0]),
        ],
        benchmarks=[
            Benchmark("global", "Most per action plan", [4, 7]),
            Benchmark("regional", "Most per action plan", [2, 7]),
        ],
        participation=[
            ParticipationRow("development", 3, "Involve"),
            ParticipationRow("implementation", 3, None),
            ParticipationRow("development", 4, "Consult"),
        ],
        global_report=[
            GlobalReportArea("Anti-Corruption", ["Consider Action", "Implement for Results"]),
            GlobalReportArea("Civic Space", ["Consider Action", None]),
        ],
        posts=[
            Post(
                "Citizen Participation in Auditing",
                "Supreme Audit Institutions are essential…",
                "https://www.opengovpartnership.org/stories/citizen-participation/",
            ),
            Post("[@click=app.quit]Post[/]", None, None),
        ],  # fmt: skip
        source_url="https://www.opengovpartnership.org/members/testland/",
        fetched_at="2025-06-01T09:00:00+00:00",
    )


def detail_page(cid: str = "TL0001", **kw) -> CommitmentPage:
    base = dict(
        id=cid,
        title="Open contracting for public works",
        member="Testland",
        action_plan="Testland Action Plan 2019-2021",
        action_plan_cycle=2019,
        status="Active",
        lead_institution="Ministry of Finance",
        support_institutions="Civil society groups",
        policy_areas=["Open Contracting", "Public Procurement"],
        irm_reports=["Testland Design Report 2019-2021"],
        early_results="Major",
        verifiable="Yes",
        relevant_to_ogp_values="Yes",
        ambition="High",
        completion="Substantial",
        description="\n".join(f"Paragraph {n}: the action plan text of the commitment." for n in range(60)),
        url=f"https://www.opengovpartnership.org/members/testland/commitments/{cid}/",
    )
    base.update(kw)
    return CommitmentPage(**base)


# ---------------------------------------------------------------------------------------------- synthetic

_SYLLABLES = (
    "va",
    "lo",
    "ri",
    "ta",
    "mon",
    "dor",
    "sel",
    "ka",
    "bri",
    "nor",
    "est",
    "li",
    "quo",
    "zan",
    "pel",
)
_TITLE_VERBS = ("Open", "Publish", "Strengthen", "Expand", "Create", "Digitise", "Improve", "Monitor")
_TITLE_THINGS = (
    "Public Procurement Data",
    "Budget Transparency Portal",
    "Citizen Feedback Mechanism",
    "Beneficial Ownership Register",
    "Court Records Access",
    "Health Service Data",
    "School Performance Information",
    "Environmental Permits Registry",
    "Police Accountability Reports",
    "Land Registry Records",
    "Lobbying Disclosure",
    "Asset Declarations",
    "Participatory Budgeting",
    "Water Utility Performance Data",
    "Extractive Industry Payments",
)
_TITLE_TAILS = (
    "",
    " at Municipal Level",
    " for Rural Communities",
    " Online",
    " in Open Formats",
    " Nationwide",
)
_INSTITUTIONS = (
    "Ministry of Finance",
    "Ministry of Justice",
    "Office of the Prime Minister",
    "National Audit Office",
    "Ministry of Health",
    "Ministry of Education",
    "Information Commissioner",
    "National Statistics Office",
)
_SENTENCES = (
    "The commitment builds on reforms started in the previous action plan.",
    "Civil society organisations will take part in monitoring its implementation.",
    "Data will be published in open, machine-readable formats every quarter.",
    "The responsible institution will report progress to the multi-stakeholder forum.",
    "Training will be provided to officials in every region.",
    "A public consultation will precede the adoption of the new regulation.",
)


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """`total` split into `parts` positive-ish integers that vary (deterministic for the rng)."""
    weights = [rng.uniform(0.3, 1.7) for _ in range(parts)]
    s = sum(weights)
    counts = [int(total * w / s) for w in weights]
    for i in range(total - sum(counts)):
        counts[i % parts] += 1
    return counts


def synthetic_site(
    members: int = 200, commitments: int = 5000, resources: int = 8000, seed: int = 0
) -> SiteData:
    """A deterministic generated site: same arguments → same records. About 1 in 4 members is local."""
    rng = random.Random(seed)
    data = SiteData()
    used: set[str] = set()
    used_prefixes: set[str] = set()
    nationals: list[tuple[str, str, str]] = []  # (slug, name, id prefix)
    c_counts = _split(commitments, members, rng)
    r_counts = _split(resources, members, rng)
    for i in range(members):
        local = i % 4 == 3 and nationals
        while True:
            place = _name(rng)
            if local:
                parent = nationals[rng.randrange(len(nationals))]
                name = f"{place}, {parent[1]}"
                slug = f"{place.lower()}-{parent[0]}"
                prefix = (parent[2] + place[:1]).upper()
            else:
                name = place
                slug = place.lower()
                prefix = (place[:1] + place[-1]).upper()
            if slug not in used:
                break
        used.add(slug)
        letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        base, n = prefix, 0
        while prefix in used_prefixes:
            prefix = base + letters[n % 26] * (n // 26 + 1)
            n += 1
        used_prefixes.add(prefix)
        if not local:
            nationals.append((slug, name, prefix))
        m, details = _synthetic_member(rng, slug, name, prefix, bool(local), c_counts[i], r_counts[i])
        data.members.append(m)
        for d in details:
            data.commitments[(slug, d.id)] = d
    return data


def _synthetic_member(
    rng: random.Random, slug: str, name: str, prefix: str, local: bool, n_commit: int, n_res: int
) -> tuple[Member, list[CommitmentPage]]:
    since = rng.randint(2011, 2019) if not local else rng.randint(2016, 2021)
    plans = max(1, min(6, (2024 - since) // 2))
    start_year = 2023
    commits: list[Commitment] = []
    for k in range(n_commit):
        cid = f"{prefix}{k + 1:04d}"
        title = f"{rng.choice(_TITLE_VERBS)} {rng.choice(_TITLE_THINGS)}{rng.choice(_TITLE_TAILS)}"
        year = rng.randint(since, 2024)
        commits.append(_c(slug, cid, title, year, rng.choice(POLICY_AREAS)))
    commits.sort(key=lambda c: (-(c.year or 0), c.id))
    res: list[Resource] = []
    titles: dict[str, int] = {}
    for _ in range(n_res):
        rtype = rng.choice(RESOURCE_TYPES) if rng.random() > 0.08 else None
        year = rng.randint(since, 2024)
        title = f"{name} {rtype or 'Report'} {year}-{year + 2}"
        titles[title] = titles.get(title, 0) + 1
        if titles[title] > 1:
            title = f"{title} (Part {titles[title]})"
        res.append(_r(title, year, rtype, "Web Page" if rng.random() < 0.1 else "Web page"))
    res.sort(key=lambda r: -(r.year or 0))
    perf = []
    for n in range(1, plans + 1):
        if rng.random() < 0.15:
            perf.append(PerformanceRow(action_plan=n, raw=[rng.randint(0, 3)]))
        else:
            major, out, star = rng.randint(0, 6), rng.randint(0, 2), rng.randint(0, 4)
            perf.append(
                PerformanceRow(
                    action_plan=n, major=major, outstanding=out, starred=star, raw=[major, out, star]
                )
            )
    m = Member(
        slug=slug,
        name=name,
        level="local" if local else "national",
        member_since=since,
        action_plan=None if local else plans,
        current_plan=CurrentPlan(
            years=f"{start_year}-{start_year + 2}",
            number=None if local else plans,
            commitment_count=n_commit,
            policy_area_focus=rng.choice(("Not specified", rng.choice(POLICY_AREAS))),
            summary=" ".join(rng.sample(_SENTENCES, 3)),
            summary_url=res[0].url if res else None,
        ),
        contacts=[
            Contact(
                name=f"{_name(rng)} {_name(rng)}",
                role=f"Open Government Coordinator, {rng.choice(_INSTITUTIONS)}",
                email=f"contact{k}@{slug}.example.org",
                side=rng.choice(("government", "civil society", None)),
            )
            for k in range(rng.randint(0, 3))
        ],
        commitments=commits,
        resources=res,
        performance=perf,
        benchmarks=[
            Benchmark(scope="global", label="Most per action plan", raw=[4, 7]),
            Benchmark(
                scope="regional", label="Most per action plan", raw=[rng.randint(1, 4), rng.randint(5, 8)]
            ),
        ],
        participation=[
            ParticipationRow(phase=ph, action_plan=n, level=rng.choice((*LEVELS, None)))
            for ph in ("development", "implementation")
            for n in range(1, plans + 1)
        ],
        global_report=[]
        if local
        else [
            GlobalReportArea(
                area=a,
                implications=[
                    rng.choice(("Consider Action", "Implement for Results", None)) for _ in range(2)
                ],
            )
            for a in GLOBAL_REPORT_AREAS
        ],
        posts=[
            Post(
                title=f"{name}: {rng.choice(_TITLE_THINGS)} in Practice",
                teaser=" ".join(rng.sample(_SENTENCES, 2))[:100].rstrip(" .,")
                + "...",  # excerpts, as on the site
                url=f"/stories/{slug}-story-{k}/",
            )
            for k in range(rng.randint(0, 4))
        ],
        language="en",
    )
    details = []
    for c in commits:
        details.append(
            _detail(
                m,
                c,
                action_plan=f"{name} Action Plan {c.year}-{(c.year or 2020) + 2}",
                action_plan_cycle=c.year,
                status=rng.choice(("Active", None)),
                lead_institution=rng.choice(_INSTITUTIONS),
                support_institutions=", ".join(rng.sample(_INSTITUTIONS, 2)),
                policy_areas=sorted({c.policy_area or "Open Data", rng.choice(POLICY_AREAS)}),
                irm_reports=[f"{name} Design Report {c.year}-{(c.year or 2020) + 2}"],
                early_results=rng.choice(("Marginal", "Major", "Outstanding", "Pending IRM Review")),
                verifiable=rng.choice(("Yes", "No")),
                relevant_to_ogp_values="Yes",
                ambition=rng.choice(("Low", "High")),
                completion=rng.choice(("Not Started", "Limited", "Substantial", "Completed")),
                description="\n".join(rng.sample(_SENTENCES, 4)),
            )
        )
    return m, details
