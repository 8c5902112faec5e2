"""The fake site's `/es/` and `/fr/` pages (issue 17): what they show, which members have them, validators."""

from __future__ import annotations

import html
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.fakesite import FakeSite
from tests.fakesite.translations import LABELS, TRANSLATIONS, WORDS, languages_of

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def client():
    with httpx.Client(timeout=httpx.Timeout(5.0)) as c:
        yield c


def test_which_members_have_which_languages(fake_site) -> None:
    assert fake_site.languages("peru") == ["en", "es", "fr"]
    assert fake_site.languages("Port-Esmer-Valdoria") == ["en", "es", "fr"]
    assert fake_site.languages("valdoria") == ["en"] and fake_site.languages("norland") == ["en"]
    assert languages_of("peru") == ["es", "fr"] and languages_of("norland") == []
    assert fake_site.member_url("peru", "es") == f"{fake_site.url}/es/members/peru/"
    assert fake_site.commitment_url("peru", "PE0110", "fr") == f"{fake_site.url}/fr/members/peru/commitments/PE0110/"
    assert fake_site.document_url("x", "es") == f"{fake_site.url}/es/documents/x/"
    assert fake_site.member_url("peru", "en") == fake_site.member_url("peru")
    with pytest.raises(ValueError, match="not 'de'"):
        fake_site.member_url("peru", "de")
    with pytest.raises(KeyError):
        fake_site.member("valdoria", "es")


@pytest.mark.parametrize(
    ("lang", "texts"),
    [
        (
            "es",
            (
                '<html lang="es-ES">',
                "Saltar navegación",
                "Perú",
                "Miembro desde 2011",
                "Plan de acción 5",
                "Plan de acción actual",
                "Número de compromisos: 6",
                "(Más)",
                "Contacto",
                "(Gobierno)",
                "(Sociedad civil)",
                "PE0110, 2023, Anticorrupción",
                "2024, Informe del IRM, Página web",
                "Monitoreo abierto de obras públicas",
                "Desempeño de los compromisos",
                "Máximo por plan de acción",
                "Datos del Informe Global de OGP",
                "Considerar acción",
                "Publicaciones recientes",
                "Ver más",
                'href="/es/members/peru/commitments/PE0110/"',
                'href="/es/documents/peru-design-report-2019-2021/"',
                'rel="canonical" href="https://www.opengovpartnership.org/es/members/peru/"',
            ),
        ),
        (
            "fr",
            (
                '<html lang="fr-FR">',
                "Pérou",
                "Membre depuis 2011",
                "Plan d’action actuel",
                "Nombre d’engagements: 6",
                "Point de contact",
                "(Gouvernement)",
                "(Société civile)",
                "PE0110, 2023, Lutte contre la corruption",
                "2024, Rapport du MRI, Page web",
                "Performance des engagements",
                "Mise en œuvre",
                "Articles récents",
                "Voir plus",
                'href="/fr/members/peru/commitments/PE0110/"',
            ),
        ),
    ],
)
def test_member_page_in_spanish_and_french(fake_site, client, lang, texts) -> None:
    r = client.get(fake_site.member_url("peru", lang))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = html.unescape(r.text)
    for text in texts:
        assert text in page, text
    for english in ("Member Since", "Current Action Plan", "Recent Posts", "IRM Report, Web page", 'href="/members/peru', 'href="/documents/'):
        assert english not in page, english


def test_commitment_and_document_pages_in_french(fake_site, client) -> None:
    c = client.get(fake_site.commitment_url("peru", "pe0111", "fr"))
    assert c.status_code == 200
    for text in (
        '<html lang="fr-FR">',
        "Signalement citoyen des coupures d’eau (PE0111)",
        "Cycle du plan d'action :",
        "Institution chef de file :",
        "Domaines politiques",
        "Prestation de services publics, Eau et assainissement",
        "Premiers résultats :</strong> marginaux",
        "Vérifiable :</strong> Oui",
        "voir définition",
        "</strong> Bas",
        "Achèvement:</strong> Limité",
        'href="/fr/members/peru/"',
    ):
        assert text in html.unescape(c.text), text
    d = client.get(fake_site.document_url("peru-design-report-2019-2021", "es"))
    assert d.status_code == 200
    for text in ('lang="es-ES"', "Informe de diseño de Perú 2019-2021", "Tabla I. De un vistazo", "Miembro desde"):
        assert text in d.text, text
    # The same numbers in every language.
    assert fake_site.document_in("peru-design-report-2019-2021", "es").at_a_glance["Número de compromisos"] == "21"


def test_same_ids_and_numbers_in_every_language(fake_site) -> None:
    for slug in ("peru", "port-esmer-valdoria"):
        en = fake_site.member(slug)
        for lang in ("es", "fr"):
            m = fake_site.member(slug, lang)
            assert m.language == lang
            assert [(c.id, c.year) for c in m.commitments] == [(c.id, c.year) for c in en.commitments]
            assert [r.year for r in m.resources] == [r.year for r in en.resources]
            assert (m.performance, m.member_since, m.current_plan.commitment_count) == (
                en.performance,
                en.member_since,
                en.current_plan.commitment_count,
            )
            for c in en.commitments:
                page = fake_site.commitment(slug, c.id, lang)
                assert (page.id, page.action_plan_cycle) == (c.id, fake_site.commitment(slug, c.id).action_plan_cycle)


def test_translations_are_complete(fake_site) -> None:
    """Every text a translated page shows is declared in its language (nothing falls back to English by
    accident), and every page word exists in all three languages."""
    for key, by_lang in LABELS.items():
        assert set(by_lang) == {"en", "es", "fr"}, key
    for lang, slug in TRANSLATIONS:
        en, m = fake_site.member(slug), fake_site.member(slug, lang)
        pairs = [(en.current_plan.summary, m.current_plan.summary), (en.name, m.name)] if slug == "peru" else []
        pairs += [(a.title, b.title) for a, b in zip(en.commitments, m.commitments, strict=True)]
        pairs += [(a.title, b.title) for a, b in zip(en.resources, m.resources, strict=True)]
        pairs += [(a.type, b.type) for a, b in zip(en.resources, m.resources, strict=True) if a.type]
        pairs += [(a.policy_area, b.policy_area) for a, b in zip(en.commitments, m.commitments, strict=True)]
        pairs += [(a.title, b.title) for a, b in zip(en.posts, m.posts, strict=True)]
        pairs += [(a.role, b.role) for a, b in zip(en.contacts, m.contacts, strict=True)]
        declared = TRANSLATIONS[(lang, slug)] | WORDS[lang]
        for a, b in pairs:
            assert a in declared and b == declared[a], (lang, slug, a)
    assert WORDS["fr"]["Marginal"] == "marginaux" and WORDS["fr"]["Yes"] == "Oui" and WORDS["es"]["High"] == "Alto"


def test_not_found_and_redirects(fake_site, client) -> None:
    for lang in ("es", "fr"):
        n = client.get(fake_site.member_url("valdoria", lang))
        assert n.status_code == 404 and "Page not found" in n.text
        assert client.get(fake_site.member_url("norland", lang)).status_code == 404
        assert client.get(fake_site.member_url("atlantis", lang)).status_code == 404
        assert client.get(fake_site.commitment_url("peru", "XX0001", lang)).status_code == 404
        assert client.get(fake_site.url + f"/{lang}/local/participants").status_code == 404
        r = client.get(fake_site.url + f"/{lang}/members/peru")
        assert r.status_code == 301 and r.headers["location"] == f"/{lang}/members/peru/"
    assert client.get(fake_site.url + "/ES/members/Peru/").status_code == 200  # case-insensitive, as the site


@pytest.mark.parametrize(
    "path",
    [
        "/es/members/peru/",
        "/fr/members/port-esmer-valdoria/",
        "/es/members/peru/commitments/PE0110/",
        "/fr/documents/peru-design-report-2019-2021/",
        "/es/documents/peru-action-plan-2023-2025/",
    ],
)
def test_validators_and_304_for_translated_pages(fake_site, client, path) -> None:
    url = fake_site.url + path
    r = client.get(url)
    etag, lm = r.headers["etag"], r.headers["last-modified"]
    assert r.status_code == 200 and etag and lm
    english = client.get(fake_site.url + path[3:])
    assert english.headers["etag"] != etag  # another body, another validator
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": lm}).status_code == 304
    assert client.get(url, headers={"If-None-Match": english.headers["etag"]}).status_code == 200
    assert fake_site.counters.not_modified == 2


def test_changes_reach_the_translated_pages(fake_site, client) -> None:
    url = fake_site.member_url("peru", "es")
    first = client.get(url)
    m = fake_site.member("peru")
    m.member_since = 2010
    fake_site.set_member(m)
    r = client.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert r.status_code == 200 and "Miembro desde 2010" in r.text and r.headers["etag"] != first.headers["etag"]
    # One language of a member goes; the others stay.
    fake_site.remove("/es/members/peru/")
    assert client.get(url).status_code == 404
    assert client.get(fake_site.commitment_url("peru", "PE0110", "es")).status_code == 404
    assert client.get(fake_site.member_url("peru", "fr")).status_code == 200
    assert client.get(fake_site.member_url("peru")).status_code == 200
    assert fake_site.languages("peru") == ["en", "fr"]
    # One translated commitment page goes.
    fake_site.remove("/fr/members/peru/commitments/PE0111/")
    assert client.get(fake_site.commitment_url("peru", "PE0111", "fr")).status_code == 404
    assert client.get(fake_site.commitment_url("peru", "PE0110", "fr")).status_code == 200
    # A language added to a member that had none.
    fake_site.set_translation("es", "valdoria", {"Valdoria": "Valdoria (es)"})
    v = client.get(fake_site.member_url("valdoria", "es"))
    assert v.status_code == 200 and "Valdoria (es)" in v.text and "Miembro desde 2014" in v.text


def test_translations_can_be_replaced_per_site() -> None:
    with FakeSite(translations={}) as site, httpx.Client() as c:
        assert site.languages("peru") == ["en"]
        assert c.get(site.member_url("peru", "es")).status_code == 404


def test_command_line_serves_the_languages(tmp_path) -> None:
    port_file = tmp_path / "port"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.fakesite", "--port", "0", "--port-file", str(port_file)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(200):
            if port_file.exists() and port_file.read_text():
                break
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port_file.read_text()}"
        with httpx.Client(timeout=5.0) as c:
            assert "Miembro desde 2011" in c.get(base + "/es/members/peru/").text
            assert "Membre depuis 2020" in c.get(base + "/fr/members/port-esmer-valdoria/").text
            assert c.get(base + "/es/members/valdoria/").status_code == 404
    finally:
        proc.terminate()
        proc.wait(timeout=10)
