"""Shared helpers for the TUI tests (no tests here): sample members, a fixed clock, an app factory."""

from __future__ import annotations

from datetime import UTC, datetime

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

FIXED_NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
MARKUP_TITLE = "[@click=app.quit]x[/] [bold]loud[/bold] \x1b[31mred"


def fixed_now() -> datetime:
    return FIXED_NOW


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


def fill_store(store, members: list[Member] | None = None, details: bool = True) -> None:
    """Write sample data into a real store (as a sync would)."""
    for m in members or [sample_member()]:
        store.write_member(m)
    if details:
        store.write_commitment(detail_page("TL0001"), "testland")
        store.write_commitment(
            detail_page("TL0002", title="Beneficial ownership register", early_results="Marginal",
                        completion="Limited"),
            "testland",
        )  # fmt: skip


def make_app(store=None, *, sync=None, probe=None, open_url=None, **kw):
    """The app as the tests run it: a fixed clock, no cursor blink, no polling, auto-sync off unless asked;
    `sync`, `probe` and `open_url` replace the real services (`ogptui.tui.services.Services`)."""
    from ogptui.tui.app import OgpApp
    from ogptui.tui.services import Services

    fakes = {"sync": sync, "probe": probe, "open_url": open_url}
    kw.setdefault("services", Services(**{k: v for k, v in fakes.items() if v is not None}))
    kw.setdefault("now", fixed_now)
    kw.setdefault("blink", False)
    kw.setdefault("poll_seconds", 0)
    kw.setdefault("auto_sync", False)
    app = OgpApp(store=store, **kw)
    app.animation_level = "none"  # no tab-underline or scroll animations: faster and deterministic
    return app


def screen_lines(app) -> list[str]:
    """The screen as the person sees it: one string per terminal line (what a snapshot shows as text).

    PRIVATE(textual 8.2.8): the compositor's `render_strips` (what the driver writes)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]
