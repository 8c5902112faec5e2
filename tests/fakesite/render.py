"""Records → WordPress-like HTML whose visible text has the shapes of the real pages (see captures/)."""

from __future__ import annotations

import zlib
from html import escape

from ogptui.model import CommitmentPage, Member

from . import chrome
from .data import GLOBAL_REPORT_AREAS, LEVELS
from .translations import WORDS, label

_FINDINGS = ("NC", "CA", "IR", "C", "A", "ER")
_SIDES = ("government", "civil society")


def e(text: object) -> str:
    return escape("" if text is None else str(text))


def _section(sid: str, title: str, inner: str) -> str:
    return (
        f'<section id="{sid}" class="member-section member-section--{sid}"><div class="container">'
        f'<h2 class="member-section__title">{e(title)}</h2>{inner}</div></section>'
    )


def _hero(m: Member, lang: str) -> str:
    ap = e(label("action_plan", lang))
    bullets = []
    if m.member_since is not None:
        bullets.append(f"<li>{e(label('member_since', lang))} {m.member_since}</li>")
    bullets.append(f"<li>{ap} {m.action_plan}</li>" if m.action_plan is not None else f"<li>{ap}</li>")
    return (
        '<div class="member-hero"><div class="member-hero__bg"></div><div class="container"><div class="row">'
        f'<div class="col-12"><h1 class="member-hero__title">{e(m.name)}</h1>'
        f'<ul class="member-hero__meta">{"".join(bullets)}</ul></div></div></div></div>'
        f'<div class="page-nav"><div class="container"><span class="page-nav__label">{e(label("on_the_page", lang))}</span>'
        '<ul class="page-nav__links" hidden></ul></div></div>'
    )


def _current_plan(m: Member, lang: str) -> str:
    p = m.current_plan
    ap = e(label("action_plan", lang))
    bits = []
    if p.years:
        bits.append(f'<div class="current-plan__years">{e(p.years)}</div>')
    bits.append(
        f'<h3 class="current-plan__title">{ap} {p.number}</h3>'
        if p.number is not None
        else f'<h3 class="current-plan__title">{ap}</h3>'
    )
    lis = []
    if p.commitment_count is not None:
        lis.append(f"<li>{e(label('number_of_commitments', lang))}: {p.commitment_count}</li>")
    if p.policy_area_focus is not None:
        lis.append(f"<li>{e(label('policy_area_focus', lang))}: {e(p.policy_area_focus)}</li>")
    if lis:
        bits.append(f'<ul class="current-plan__facts">{"".join(lis)}</ul>')
    if p.summary:
        more = f' <a class="more-link" href="{e(p.summary_url)}">{e(label("more", lang))}</a>' if p.summary_url else ""
        bits.append(f'<div class="current-plan__summary"><p>{e(p.summary)}{more}</p></div>')
    return _section("current-action-plan", label("current_plan", lang), "".join(bits))


def _contacts(m: Member, lang: str) -> str:
    if not m.contacts:
        return ""
    rows = []
    for c in m.contacts:
        parts = [f'<span class="contact__name">{e(c.name)}</span>']
        if c.role:
            parts.append(f'<span class="contact__title">{e(c.role)}</span>')
        if c.email:
            parts.append(f'<a class="contact__email" href="mailto:{e(c.email)}">{e(c.email)}</a>')
        if c.side in _SIDES:
            parts.append(f'<span class="contact__side">{e(label(c.side, lang))}</span>')
        rows.append(f'<div class="contact"><p>{" ".join(parts)}</p></div>')
    return _section("contact", label("contact", lang), f'<div class="contact-list">{"".join(rows)}</div>')


def _commitments(m: Member, lang: str) -> str:
    items = []
    for c in m.commitments:
        meta = ", ".join(str(x) for x in (c.id, c.year, c.policy_area) if x not in (None, ""))
        title = e(c.title)
        link = f'<a class="commitment-item__link" href="{e(c.url)}">{title}</a>' if c.url else title
        items.append(
            f'<li class="commitment-item"><div class="commitment-item__title">{link}</div>'
            f'<div class="commitment-item__meta">{e(meta)}</div></li>'
        )
    inner = (
        f'<ol class="commitments-list">{"".join(items)}</ol>'
        if items
        else '<div class="commitments-empty"></div>'
    )
    return _section("commitments", label("commitments", lang), inner)


def _resources(m: Member, lang: str) -> str:
    items = []
    for r in m.resources:
        meta = ", ".join(str(x) for x in (r.year, r.type, r.format) if x not in (None, ""))
        title = e(r.title)
        link = f'<a class="resource-item__link" href="{e(r.url)}">{title}</a>' if r.url else title
        items.append(
            f'<li class="resource-item"><div class="resource-item__title">{link}</div>'
            f'<div class="resource-item__meta">{e(meta)}</div></li>'
        )
    return _section("resources", label("resources", lang), f'<ol class="resources-list">{"".join(items)}</ol>')


def _key(*labels: str, lang: str = "en") -> str:
    return (
        f'<div class="chart-key"><p class="chart-key__title">{e(label("key", lang))}</p><ul>'
        + "".join(f"<li>{e(x)}</li>" for x in labels)
        + "</ul></div>"
    )


def _current_data(m: Member, lang: str) -> str:
    ap = e(label("action_plan", lang))
    rows = []
    for row in m.performance:
        nums = row.raw or [x for x in (row.major, row.outstanding, row.starred) if x is not None]
        cells = "".join(f'<div class="perf-chart__value">{n}</div>' for n in nums)
        rows.append(
            f'<div class="perf-chart__row" data-action-plan="{row.action_plan}">'
            f'<div class="perf-chart__label">{ap} {row.action_plan}</div>{cells}</div>'
        )
    bench = []
    for b in m.benchmarks:
        nums = "".join(f'<div class="benchmark__value">{n}</div>' for n in b.raw)
        bench.append(
            f'<div class="benchmark benchmark--{e(b.scope)}"><h4 class="benchmark__title">{e(label(b.scope, lang))}</h4>'
            f'<div class="benchmark__label">{e(b.label)}</div>{nums}</div>'
        )
    legend = "".join(f"<div>{e(label(k, lang))}</div>" for k in ("major", "outstanding", "starred_commitments"))
    perf = (
        f'<h3 class="chart-title">{e(label("performance", lang))}</h3>'
        "<p>The following variables answer the question “Did this commitment open government?“, and focus on "
        "how government practices have changed as a result of the commitment’s implementation.</p>"
        + _key(label("no_irm_data", lang), label("pending_review", lang), lang=lang)
        + f'<div class="perf-chart"><div class="perf-chart__legend">{legend}</div>' + "".join(rows) + "</div>"
        f'<div class="benchmarks">{"".join(bench)}</div>'
    )
    stars = (
        f'<h3 class="chart-title">{e(label("starred_help", lang))}</h3>'
        "<p>Starred commitments in OGP are one of the ways the IRM designates promising reforms. The graph below "
        "shows where the major areas for improvement in action plan design and implementation should take place "
        "based on past action plans.</p>"
        + _key(
            "Stars (Global average 7%)",
            "Focus on implementation",
            "Focus on design",
            "Pending IRM review",
            "No IRM data",
            lang=lang,
        )
    )
    return _section(
        "current-data",
        label("current_data", lang),
        f"<p>{e(label('current_data_intro', lang))}</p>" + perf + stars + _participation(m, lang),
    )


def _participation(m: Member, lang: str) -> str:
    words = WORDS.get(lang, {})
    ap = e(label("action_plan", lang))
    legend = "".join(f"<div>{e(words.get(x, x))}</div>" for x in LEVELS)
    phases = []
    for phase in ("development", "implementation"):
        rows = [r for r in m.participation if r.phase == phase]
        if not rows:
            continue
        cells = "".join(
            f'<div class="participation__row" data-phase="{phase}" data-action-plan="{r.action_plan}"'
            + (f' data-level="{e(r.level)}"' if r.level else "")
            + f">{ap} {r.action_plan}</div>"
            for r in rows
        )
        phases.append(
            f'<div class="participation__legend">{legend}</div>'
            f'<h4 class="participation__phase">{e(label(phase, lang))}</h4><div class="participation__rows">{cells}</div>'
        )
    return (
        f'<h3 class="chart-title">{e(label("participation", lang))}</h3>'
        "<p>This table shows: 1) the level of public influence during the development and implementation of OGP "
        "action plans, 2) whether consultations were open to any member of the public or only to those invited; "
        "and 3) whether a forum existed that met regularly.</p>"
        + _key(
            "Participation was closed",
            "Participation was open to any interested party",
            "No IRM data",
            "Forum",
            "Pending IRM review",
            lang=lang,
        )
        + '<div class="definitions"><p>Definitions</p>'
        "<p>Collaborate: Iterative dialogue and public helped set agenda</p>"
        "<p>Involve: Government gave feedback on public inputs</p><p>Consult: Public gave input</p>"
        "<p>Inform: Government provided public with information on plan</p></div>"
        f'<div class="participation">{"".join(phases)}</div>'
    )


def _global_report(m: Member, lang: str) -> str:
    if not m.global_report:
        return ""
    areas = []
    words = WORDS.get(lang, {})
    known = [words.get(a, a) for a in GLOBAL_REPORT_AREAS]
    by_name = {a.area: a for a in m.global_report}
    order = [a for a in known if a in by_name] + [a for a in by_name if a not in known]
    for name in order:
        blocks = []
        for imp in by_name[name].implications:
            findings = "".join(f"<div>{f}</div>" for f in _FINDINGS)
            value = f'<div class="dimension__implication">{e(imp)}</div>' if imp else ""
            blocks.append(
                f'<div class="dimension"><div class="dimension__label">{e(label("action_implications", lang))}</div>'
                f'{value}<div class="dimension__label">{e(label("irm_findings", lang))}</div>'
                f'<div class="dimension__findings">{findings}</div>'
                f'<div class="dimension__label">{e(label("third_party", lang))}</div></div>'
            )
        areas.append(f'<div class="gr-area"><h4 class="gr-area__title">{e(name)}</h4>{"".join(blocks)}</div>')
    intro = (
        "<p>The data below is drawn from the 2019 OGP Global Report. You can view and learn more about the report "
        '<a href="/campaigns/global-report/">here</a>.</p>'
        '<h3 class="chart-title">Selected Dimensions of Open Government</h3>'
        "<p>This section captures how each OGP member can play a leadership role, based on IRM-based findings and "
        "third-party scores. This list does not cover all of open government and OGP members are not required to "
        "take any action.</p>"
        "<h4>Action implications</h4><p>These are recommendations on the role that each OGP member might play in "
        "each policy area.</p><h4>IRM-based findings</h4><p>Reflect the performance of commitments in a particular "
        "policy area, as assessed by the IRM.</p>"
        '<ul class="findings-key"><li>(NC) No Commitments</li><li>(CA) Commitment(s) in the policy area.</li>'
        "<li>(IR) IRM-Reviewed: At least one IRM-assessed commitment.</li>"
        "<li>(C) Was Complete: At least one commitment was substantially or fully completed.</li>"
        "<li>(A) Was Ambitious: At least one commitment with moderate or transformative potential impact.</li>"
        "<li>(ER) Showed Early Results: At least one commitment opened government in a “Major” or “Outstanding” "
        "way.</li></ul><h4>Third-party scores</h4><p>Reflect “real-world” performance, i.e., performance outside of "
        "the OGP framework.</p>"
    )
    return _section("global-report", label("global_report", lang), intro + "".join(areas))


def _posts(m: Member, lang: str) -> str:
    if not m.posts:
        return ""
    cards = []
    for p in m.posts:
        title = f'<a href="{e(p.url)}">{e(p.title)}</a>' if p.url else e(p.title)
        teaser = f'<p class="post-card__teaser">{e(p.teaser)}</p>' if p.teaser else ""
        cards.append(
            f'<article class="post-card"><div class="post-card__image"><img src="/wp-content/uploads/post.jpg" '
            f'alt="{e(p.title[:24])}" loading="lazy" /></div><h3 class="post-card__title">{title}</h3>{teaser}</article>'
        )
    return _section(
        "recent-posts",
        label("posts", lang),
        f'<div class="post-cards">{"".join(cards)}</div>'
        f'<p><a class="button" href="/stories/">{e(label("show_more", lang))}</a></p>',
    )


def member_html(m: Member, lang: str = "en") -> str:
    """A member page; `lang` ("en", "es", "fr") is the language of the page's own words (the record's
    values are given already translated: see translations.translate_member)."""
    main = (
        f'<article id="post-{zlib.crc32(m.slug.encode()) % 90000 + 10000}" class="member type-member status-publish">'
        + _hero(m, lang)
        + _current_plan(m, lang)
        + _contacts(m, lang)
        + _commitments(m, lang)
        + _resources(m, lang)
        + _current_data(m, lang)
        + _global_report(m, lang)
        + _posts(m, lang)
        + "</article>"
    )
    level = "local" if m.level == "local" else "national"
    return chrome.page(
        m.name,
        f"member-template-default single single-member member-{level}",
        main,
        canonical=f"{_prefix(lang)}/members/{m.slug}/",
        lang=lang,
    )


def _prefix(lang: str) -> str:
    return "" if lang == "en" else f"/{lang}"


def _pair(label: str, value: object, *, cls: str = "glance__item") -> str:
    text = "" if value in (None, "") else e(value)
    return f'<p class="{cls}"><strong class="glance__label">{e(label)}</strong> {text}</p>'


def commitment_html(c: CommitmentPage, member_slug: str, lang: str = "en") -> str:
    """A commitment page; `lang` is the language of the page's labels (values come translated)."""

    def L(key: str) -> str:
        return label(key, lang)

    title = f"{c.title} ({c.id})" if c.title else c.id
    design = [
        _pair(L("c_verifiable"), c.verifiable),
        _pair(L("c_relevant"), c.relevant_to_ogp_values),
    ]
    if c.potential_impact is not None and c.ambition is None:
        design.append(_pair(L("c_impact"), c.potential_impact))
    else:
        design.append(
            f'<p class="glance__item"><strong class="glance__label">{e(L("c_ambition"))} (<a '
            f'href="/irm-guidance-overview/">{e(L("c_see_definition"))}</a>):</strong> {e(c.ambition)}</p>'
        )
    irm = [_pair(L("c_irm_report"), ", ".join(c.irm_reports))]
    if c.starred is not None:
        irm.append(_pair(L("c_starred"), c.starred))
    irm.append(_pair(L("c_early"), c.early_results))
    paras = []
    for block in (c.description or "").split("\n\n"):
        if block.strip():
            paras.append("<p>" + "<br />\n".join(e(line) for line in block.split("\n")) + "</p>")
    info = '<span class="info-icon" aria-hidden="true">i</span>'
    prefix = _prefix(lang)
    main = (
        '<article class="commitment type-commitment">'
        f'<div class="commitment-hero"><div class="container"><div class="commitment-hero__member">'
        f'<a href="{prefix}/members/{e(member_slug)}/">{e(c.member)}</a></div>'
        f'<h1 class="commitment-hero__title">{e(title)}</h1></div></div>'
        f'<div class="commitment-tabs"><div class="container"><span class="tab tab--active">{e(L("overview"))}'
        "</span></div></div>"
        '<div class="container commitment-body"><aside class="at-a-glance">'
        f'<h2 class="at-a-glance__title">{e(L("at_a_glance"))}</h2>'
        + _pair(L("c_action_plan"), c.action_plan)
        + _pair(L("c_cycle"), c.action_plan_cycle)
        + _pair(L("c_status"), c.status)
        + f'<h3 class="glance__group">{e(L("institutions"))}</h3>'
        + _pair(L("c_lead"), c.lead_institution)
        + _pair(L("c_support"), c.support_institutions)
        + f'<h3 class="glance__group">{e(L("policy_areas"))}</h3>'
        + f'<p class="glance__tags">{e(", ".join(c.policy_areas))}</p>'
        + f'<h3 class="glance__group">{e(L("irm_review"))}</h3>'
        + "".join(irm)
        + f'<h3 class="glance__group">{e(L("design"))} {info}</h3>'
        + "".join(design)
        + f'<h3 class="glance__group">{e(L("c_implementation"))} {info}</h3>'
        + _pair(L("c_completion"), c.completion)
        + f'</aside><div class="commitment-description"><h2>{e(L("description"))}</h2>'
        + "".join(paras)
        + "</div></div></article>"
    )
    return chrome.page(
        title,
        "commitment-template-default single single-commitment",
        main,
        canonical=f"{prefix}/members/{member_slug}/commitments/{c.id}/",
        lang=lang,
    )


def directory_html(members: list[Member]) -> str:
    cards = []
    for m in members:
        count = m.current_plan.commitment_count
        if count is None:
            count = len(m.commitments)
        img = (
            f'<div class="member-card__image"><img src="/wp-content/uploads/flags/{e(m.slug)}.png" '
            f'alt="Image for {e(m.name)}" /></div>'
            if m.level != "local"
            else ""
        )
        since = f"Joined in {m.member_since} and is implementing {count} commitments."
        cards.append(
            f'<div class="member-card member-card--{e(m.level)}">{img}'
            f'<h3 class="member-card__name"><a href="/members/{e(m.slug)}/">{e(m.name)}</a></h3>'
            f'<p class="member-card__meta">{e(since)}</p></div>'
        )
    main = (
        '<div class="page-hero"><div class="container"><h1 class="page-hero__title">Members</h1>'
        "<p>Since its founding in 2011, OGP has grown to many countries and local jurisdictions that work alongside "
        "thousands of civil society organizations. Every two years, each member submits an action plan co-created "
        "with civil society that outlines concrete commitments to enhance transparency, accountability and public "
        "participation in government.</p></div></div>"
        f'<div class="container"><div class="member-cards">{"".join(cards)}</div>'
        "<h2>Non-Voting Members</h2><p>Affiliates and OGP members that are not universally recognized are not "
        'eligible to run for the OGP Steering Committee. (<a href="/non-voting/">Learn more</a>)</p>'
        "<h2>Parliaments in OGP</h2><p>For information on how parliaments can engage with OGP, please visit "
        '<a href="/parliaments/">Parliaments in OGP</a> to learn more.</p>'
        "<h2>Local Members</h2><p>Local governments are closest to their citizens, resulting in innovative and "
        "ambitious open government reforms.</p></div>"
    )
    return chrome.page("Members", "page-template page-participants", main)


def home_html() -> str:
    main = (
        '<div class="container"><h1>Open Government Partnership</h1>'
        "<p>A partnership of national and local governments and civil society.</p>"
        '<p><a href="/local/participants">Members</a></p></div>'
    )
    return chrome.page("Home", "home page-template", main)


def not_found_html() -> str:
    main = (
        '<div class="container error-404 not-found"><h1 class="page-title">Page not found</h1>'
        "<p>It looks like nothing was found at this location. Maybe try a search?</p></div>"
    )
    return chrome.page("Page not found", "error404", main)


def error_html(status: int, reason: str) -> str:
    return (
        f"<!DOCTYPE html><html><head><title>{status} {e(reason)}</title></head>"
        f"<body><h1>{status} {e(reason)}</h1><p>The server could not answer your request.</p></body></html>"
    )


def challenge_html() -> str:
    return (
        '<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>'
        '<meta http-equiv="refresh" content="390" /><meta name="robots" content="noindex,nofollow" /></head>'
        '<body class="no-js"><div class="main-wrapper" role="main"><div class="main-content">'
        '<h1 class="zone-name-title h1">www.opengovpartnership.org</h1>'
        '<h2 class="h2" id="challenge-running">Checking if the site connection is secure</h2>'
        "<noscript><div>Enable JavaScript and cookies to continue</div></noscript>"
        "<script>(function(){window._cf_chl_opt={cvId: '3',cType: 'managed'};}());</script>"
        "</div></div></body></html>"
    )
