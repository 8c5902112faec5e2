"""Spanish and French pages parse into the same records as the English ones (issue 17, items 2, 3 and 5).

Two sources: the fixtures `member-zembla-{en,es,fr}.txt`, `document-{es,fr}.txt`, `commitment-es.txt` and
`commitment-fr.html` (invented pages in the shape of the captures), and the fake site's `/es/` and `/fr/`
pages, fetched over HTTP with `ogptui.source`. "The same record" means: the same IDs, years, counts and
numbers, enumerated values in their canonical English word, translated words (policy areas, resource types
and formats) kept as given but classified to the same English key, and `language` set from the URL.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import ogptui.parse as parse_pkg
from ogptui.model import CommitmentPage, DocumentPage, Member
from ogptui.parse import parse_page
from ogptui.source import Source
from ogptui.urls import document_slug
from ogptui.vocab import (
    COMMITMENT_VALUES,
    VALUE_FIELDS,
    canonical_value,
    policy_area_key,
    resource_format_key,
    resource_type_key,
)

PAGES = Path(__file__).parent / "fixtures" / "pages"
SITE = "https://www.opengovpartnership.org"
FAST = {"delay": 0.0, "backoff_initial": 0.001, "backoff_max": 0.005, "backoff_jitter": 0.0}
LANGS = ("es", "fr")


@pytest.fixture(autouse=True)
def _strict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse_pkg, "STRICT", True)


def fixture(name: str, url: str | None = None):
    return parse_page((PAGES / name).read_bytes(), url=url)


# ------------------------------------------------------------------------------------------ the same record


def member_shape(m: Member) -> dict:
    """What must not change with the language of a member page."""
    return {
        "slug": m.slug,
        "level": m.level,
        "member_since": m.member_since,
        "action_plan": m.action_plan,
        "plan": (m.current_plan.years, m.current_plan.number, m.current_plan.commitment_count),
        "has_summary": bool(m.current_plan.summary),
        "summary_document": document_slug(m.current_plan.summary_url),
        "contacts": [(c.name, c.email, c.side) for c in m.contacts],
        "commitments": [(c.id, c.year, policy_area_key(c.policy_area) or c.policy_area) for c in m.commitments],
        "resources": [
            (r.year, resource_type_key(r.type), resource_format_key(r.format), r.document) for r in m.resources
        ],
        "performance": m.performance,
        "benchmarks": [(b.scope, b.raw) for b in m.benchmarks],
        "participation": m.participation,
        "global_report": m.global_report,
        "posts": len(m.posts),
        "warnings": m.warnings,
    }


def commitment_shape(c: CommitmentPage) -> dict:
    return {
        "id": c.id,
        "cycle": c.action_plan_cycle,
        "values": {f: getattr(c, f) for f in VALUE_FIELDS},
        "policy_areas": [policy_area_key(a) or a for a in c.policy_areas],
        "irm_reports": len(c.irm_reports),
        "pending": c.irm_reports == ["Pending IRM Review"],
        "has": [getattr(c, f) is not None for f in ("action_plan", "lead_institution", "description", "title")],
        "warnings": c.warnings,
    }


def document_shape(d: DocumentPage) -> dict:
    return {
        "slug": d.slug,
        "glance_values": [v for v in d.at_a_glance.values() if any(ch.isdigit() for ch in v)],
        "glance_rows": len(d.at_a_glance),
        "sections": len(d.sections),
        "attachments": [a.url for a in d.attachments],
        "has_summary": d.summary is not None,
        "warnings": d.warnings,
    }


# ------------------------------------------------------------------------------------------ fixtures


def test_member_fixtures_parse_into_the_same_record() -> None:
    en = fixture("member-zembla-en.txt")
    assert isinstance(en, Member) and en.language == "en" and en.warnings == []
    assert len(en.commitments) == 3 and len(en.resources) == 4 and en.contacts[1].side == "civil society"
    for lang in LANGS:
        m = fixture(f"member-zembla-{lang}.txt")
        assert isinstance(m, Member)
        assert m.language == lang
        assert member_shape(m) == member_shape(en), lang
    es = fixture("member-zembla-es.txt")
    # Translated words are kept as given; what they mean is classified the same.
    assert [r.type for r in es.resources] == ["Informe del IRM", "Plan de acción", "Autoevaluación", None]
    assert {r.format for r in es.resources} == {"Página web"}
    assert es.commitments[1].policy_area == "Anticorrupción"
    assert es.contacts[0].role == "Coordinadora de Gobierno Abierto, Ministerio de Asuntos Costeros"
    assert es.current_plan.policy_area_focus == "Apertura fiscal"
    assert es.current_plan.summary.endswith("cada trimestre.")  # `(Más)` taken off
    fr = fixture("member-zembla-fr.txt")
    assert fr.global_report[1].implications == ["Implement for Results"]  # mapped to the English value
    assert fr.posts[0].title == "Zembla publie ses baux portuaires"  # ended by `Voir plus`


def test_document_fixtures_parse_in_each_language() -> None:
    en = fixture("document.txt")
    for lang, forum, level in (("es", "Sí", "Colaborar"), ("fr", "Oui", "Collaborer")):
        d = fixture(f"document-{lang}.txt")
        assert isinstance(d, DocumentPage)
        assert (d.language, d.slug, d.warnings) == (lang, en.slug, [])
        assert d.summary and d.sections and d.sections[0].heading.startswith(("Sección I", "Section I"))
        # Rows in every style (`Label: value`, `Label   value`, a question), values as written.
        assert list(d.at_a_glance.values()) == ["11", forum, level, "10 (91%)", "2 (18%)"]
        assert en.at_a_glance["Number of commitments"] == "11"


def test_document_kind_and_language_from_its_labels_without_url() -> None:
    """No address: the Spanish/French caption and glance labels say it is a document, and in which language."""
    for lang in LANGS:
        text = (PAGES / f"document-{lang}.txt").read_text(encoding="utf-8").split("\n", 2)[2]
        d = parse_page(text)
        assert isinstance(d, DocumentPage) and d.language == lang
    assert parse_page((PAGES / "document.txt").read_text().split("\n", 2)[2]).language == "en"


def test_commitment_fixtures_values_are_canonical() -> None:
    en = fixture("commitment-en.txt")
    fr = fixture("commitment-fr.html", f"{SITE}/fr/members/zembla/commitments/zb0022/")
    es = fixture("commitment-es.txt")
    assert (en.verifiable, en.ambition, en.early_results) == ("Yes", "High", "Major")  # English unchanged
    assert (fr.early_results, fr.verifiable, fr.relevant_to_ogp_values, fr.ambition, fr.completion) == (
        "Marginal",
        "Yes",
        "Yes",
        "High",
        "Limited",
    )
    assert [policy_area_key(a) for a in fr.policy_areas] == ["Fiscal Openness", "Anti-Corruption"]
    assert (es.verifiable, es.relevant_to_ogp_values, es.ambition, es.early_results) == (
        "Yes",
        "Yes",
        "Low",
        "Pending IRM Review",
    )
    assert es.irm_reports == ["Pending IRM Review"]


def test_pending_review_in_spanish_and_french_is_the_english_marker() -> None:
    for lang, words in (("es", "Pendiente de revisión del IRM"), ("fr", "En attente de la revue IRM")):
        page = (
            f"Zembla\n\nRegistro abierto (ZB0022)\n\nInforme del IRM: {words}\n\n"
            f"Resultados iniciales: {words}\n\nVerificable: Sí\n\nFinalización: {words}\n"
        )
        c = parse_page(page, url=f"{SITE}/{lang}/members/zembla/commitments/ZB0022/")
        assert isinstance(c, CommitmentPage)
        assert (c.irm_reports, c.early_results, c.completion, c.verifiable) == (
            ["Pending IRM Review"],
            "Pending IRM Review",
            "Pending IRM Review",
            "Yes",
        )
        assert c.language == lang


# ------------------------------------------------------------------------------------------ value tables


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Oui", "Yes"),
        ("Sí", "Yes"),
        ("si", "Yes"),  # accents and case do not matter
        ("Non", "No"),
        ("Haut", "High"),
        ("Alto", "High"),
        ("Baja", "Low"),
        ("marginaux", "Marginal"),
        ("Marginales", "Marginal"),
        ("Sobresaliente", "Outstanding"),
        ("exceptionnels", "Outstanding"),
        ("Limité", "Limited"),
        ("Sustancial", "Substantial"),
        ("Achevé", "Completed"),
        ("No iniciado", "Not Started"),
        ("Modéré", "Moderate"),
        ("Transformador", "Transformative"),
        ("Activo", "Active"),
        ("En attente de la revue IRM", "Pending IRM Review"),
        ("N’a pas changé", "Did Not Change"),  # curly apostrophe
        # kept as given: English words, unknown words, long text, nothing
        ("Yes", "Yes"),
        ("yes", "yes"),
        ("Substantial", "Substantial"),
        ("Peut-être", "Peut-être"),
        ("Oui " * 30, "Oui " * 30),
        ("", ""),
        (None, None),
    ],
)
def test_canonical_value(given, expected) -> None:
    assert canonical_value(given) == expected


def test_value_table_is_unambiguous() -> None:
    """No word means two canonical values (a word listed twice would map by chance)."""
    from ogptui.vocab import norm

    seen: dict[str, str] = {}
    for key, by_lang in COMMITMENT_VALUES.items():
        assert set(by_lang) <= {"es", "fr"}
        for words in by_lang.values():
            for w in words:
                assert seen.setdefault(norm(w), key) == key, w


@pytest.mark.parametrize(
    ("func", "given", "expected"),
    [
        (resource_type_key, "Informe del IRM", "IRM Report"),
        (resource_type_key, "Rapport du MRI", "IRM Report"),
        (resource_type_key, "Plan d’action", "Action Plan"),
        (resource_type_key, "Autoevaluación", "Self Assessment"),
        (resource_type_key, "IRM Report", "IRM Report"),
        (resource_type_key, "Informe", None),
        (resource_type_key, None, None),
        (resource_format_key, "Página web", "Web page"),
        (resource_format_key, "Page Web", "Web page"),
        (resource_format_key, "Web Page", "Web page"),
        (resource_format_key, "PDF", "PDF"),
        (resource_format_key, "Papel", None),
        (policy_area_key, "Anticorrupción", "Anti-Corruption"),
        (policy_area_key, "Lutte contre la corruption", "Anti-Corruption"),
        (policy_area_key, "Accès à l’information", "Access to Information"),
        (policy_area_key, "Marine Resources", None),
    ],
)
def test_word_tables(func, given, expected) -> None:
    assert func(given) == expected


# ------------------------------------------------------------------------------------------ edge cases


ES_MEMBER = (
    "Zembla\n\n  • Miembro desde 2014\n  • Plan de acción 3\n\n"
    "Plan de acción actual\n\n2022-2024\n\nPlan de acción 3\n\n  • Número de compromisos: 11\n\n"
    "Recursos\n\n  1. Plan de acción de Zembla 2022-2024\n\n    2022, Plan de acción, Página web\n"
)


def test_mixed_language_page_the_url_wins() -> None:
    # Spanish labels with an English heading among them, served under /fr/: the URL says French.
    mixed = ES_MEMBER.replace("Recursos", "Resources")
    for url, lang in ((f"{SITE}/fr/members/zembla/", "fr"), (f"{SITE}/members/zembla/", None)):
        m = parse_page(mixed, url=url)
        assert isinstance(m, Member) and m.resources[0].year == 2022
        if lang:
            assert m.language == lang
    # No URL: the labels decide, Spanish before English.
    assert parse_page(mixed).language == "es"
    # An English page under /es/ is recorded as Spanish, as the address says.
    en = (PAGES / "member-zembla-en.txt").read_text(encoding="utf-8").split("\n", 2)[2]
    m = parse_page(en, url=f"{SITE}/es/members/zembla/")
    assert m.language == "es" and len(m.commitments) == 3
    c = parse_page((PAGES / "commitment-en.txt").read_bytes(), url=f"{SITE}/fr/members/zembla/commitments/ZB0021/")
    assert c.language == "fr"


def test_accents_nbsp_and_case_in_labels() -> None:
    page = (
        ES_MEMBER.replace("Miembro desde 2014", "MIEMBRO\u00a0DESDE\u00a02014")
        .replace("Número de compromisos: 11", "Numero\u00a0de compromisos :\u00a011")
        .replace("Plan de acción actual", "PLAN DE ACCIÓN ACTUAL")
    )
    m = parse_page(page)
    assert (m.member_since, m.current_plan.commitment_count, m.current_plan.years) == (2014, 11, "2022-2024")
    assert m.language == "es"


def test_curly_apostrophe_in_french_labels() -> None:
    for apostrophe in ("’", "'", "ʼ"):
        page = (
            f"Zembla\n\n  • Membre depuis 2014\n  • Plan d{apostrophe}action 3\n\n"
            f"Plan d{apostrophe}action actuel\n\n2022–2024\n\nPlan d{apostrophe}action 3\n\n"
            f"  • Nombre d{apostrophe}engagements : 11\n\n"
            f"Performance des engagements\n\nPlan d{apostrophe}action 2\n2\n0\n1\n"
        )
        m = parse_page(page)
        assert (m.language, m.action_plan, m.current_plan.number, m.current_plan.commitment_count) == (
            "fr",
            3,
            3,
            11,
        ), apostrophe
        assert [(p.action_plan, p.major, p.outstanding, p.starred) for p in m.performance] == [(2, 2, 0, 1)]


@pytest.mark.parametrize(
    ("line", "side"),
    [
        ("Ana Ruiz Coordinadora, Ministerio ana@x.example (Gobierno)", "government"),
        ("Ana Ruiz Coordinadora, Red Cívica ana@x.example (Sociedad civil)", "civil society"),
        ("Paul Diouf Coordinateur, Ministère paul@x.example (Gouvernement)", "government"),
        ("Paul Diouf Directeur, Réseau civique paul@x.example (Société civile)", "civil society"),
        ("Paul Diouf Directeur, Réseau civique paul@x.example (Societe Civile)", "civil society"),
    ],
)
def test_contact_sides_in_spanish_and_french(line, side) -> None:
    page = f"Zembla\n\n  • Miembro desde 2014\n\nContacto\n\n{line}\n"
    m = parse_page(page)
    assert [(c.name, c.side) for c in m.contacts] == [(" ".join(line.split()[:2]), side)]


def test_spanish_deputy_mayor_is_a_role() -> None:
    from ogptui.parse.contacts import split_contact

    c = split_contact("Luka Marin Teniente de alcalde, Ciudad de Port Esmer")
    assert c is not None and (c.name, c.role) == ("Luka Marin", "Teniente de alcalde, Ciudad de Port Esmer")


# ------------------------------------------------------------------------------------------ the fake site


SLUGS = ("peru", "port-esmer-valdoria")


async def _get(src: Source, url: str):
    res = await src.fetch(url)
    assert res.status == 200, url
    return parse_page(res.text, url=res.url)


async def test_fake_site_members_in_three_languages_parse_alike(fake_site) -> None:
    async with Source(fake_site.url, **FAST) as src:
        for slug in SLUGS:
            en = await _get(src, fake_site.member_url(slug))
            assert isinstance(en, Member) and en.language == "en" and en.warnings == []
            for lang in LANGS:
                m = await _get(src, fake_site.member_url(slug, lang))
                assert isinstance(m, Member)
                assert m.language == lang
                assert member_shape(m) == member_shape(en), (slug, lang)
                served = fake_site.member(slug, lang)
                assert m.name == served.name
                assert [c.title for c in m.commitments] == [c.title for c in served.commitments]
                assert [(r.title, r.type, r.format) for r in m.resources] == [
                    (r.title, r.type, r.format) for r in served.resources
                ]
                assert [p.title for p in m.posts] == [p.title for p in served.posts]
                # Links stay in the page's language.
                assert all(f"/{lang}/members/{slug}/commitments/" in (c.url or "") for c in m.commitments)
                assert all(f"/{lang}/documents/" in (r.url or "") for r in m.resources)


async def test_fake_site_commitments_in_three_languages_parse_alike(fake_site) -> None:
    async with Source(fake_site.url, **FAST) as src:
        for slug in SLUGS:
            for c in fake_site.member(slug).commitments:
                en = await _get(src, fake_site.commitment_url(slug, c.id))
                assert isinstance(en, CommitmentPage) and en.language == "en"
                for lang in LANGS:
                    page = await _get(src, fake_site.commitment_url(slug, c.id, lang))
                    assert isinstance(page, CommitmentPage)
                    assert page.language == lang
                    assert commitment_shape(page) == commitment_shape(en), (slug, c.id, lang)
                    served = fake_site.commitment(slug, c.id, lang)
                    assert (page.title, page.member) == (served.title, served.member)
                    assert page.policy_areas == served.policy_areas  # kept as given
    # The values the English page states, in every language (a check that the table above is not empty).
    assert (en.verifiable, en.completion) == ("Yes", "Substantial")


async def test_fake_site_documents_in_three_languages_parse_alike(fake_site) -> None:
    async with Source(fake_site.url, **FAST) as src:
        for slug in SLUGS:
            for r in fake_site.member(slug).resources:
                doc = document_slug(r.url)
                en = await _get(src, fake_site.document_url(doc))
                assert isinstance(en, DocumentPage)
                for lang in LANGS:
                    d = await _get(src, fake_site.document_url(doc, lang))
                    assert isinstance(d, DocumentPage)
                    assert d.language == lang
                    assert document_shape(d) == document_shape(en), (doc, lang)
                    assert d.title == fake_site.document_in(doc, lang).title


async def test_member_without_a_translation_is_404(fake_site) -> None:
    async with Source(fake_site.url, **FAST) as src:
        for lang in LANGS:
            res = await src.fetch(fake_site.member_url("valdoria", lang))
            assert res.status == 404 and res.text is None
            res = await src.fetch(fake_site.commitment_url("valdoria", "VD0031", lang))
            assert res.status == 404
            res = await src.fetch(fake_site.document_url("valdoria-action-plan-2022-2024", lang))
            assert res.status == 404
        assert (await src.fetch(fake_site.member_url("valdoria"))).status == 200
