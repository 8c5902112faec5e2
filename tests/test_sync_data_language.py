"""Issue 17.2 in sync: `content_language` (or `--content-language`) fetches `/es/…` and `/fr/…` pages into
records in that language, kept beside the member's other languages; a member with no page in that
language gets its English page instead, said in the summary and never marked gone for it."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from ogptui import config
from ogptui.cli import main
from ogptui.search import search
from ogptui.sync import run_sync

FAST = {"delay": 0, "backoff_initial": 0.001, "backoff_max": 0.005, "backoff_jitter": 0, "offline_after": 2}


def sync(store, site, slugs, **kw):
    return asyncio.run(run_sync(store, slugs=slugs, source=site.url, source_options=dict(FAST), **kw))


def test_no_page_in_the_language_syncs_the_english_one_and_never_marks_gone(store, fake_site):
    slug = "norland"
    no_page = httpx.get(fake_site.url.rstrip("/") + f"/fr/members/{slug}/")
    assert no_page.status_code == 404  # the fake site has no French page of it
    for _ in range(3):  # a page that is 404 twice would mark a member gone: its translation never does
        summary = sync(store, fake_site, [slug], language="fr")
        assert summary.outcome == "ok", summary.failed
        assert summary.untranslated == [slug] and not summary.gone and not summary.failed
    m = store.get_member(slug, "fr")
    assert m is not None and m.language == "en"
    assert store.list_members(slug)[0].gone_at is None
    assert store.member_languages(slug) == ["en"]
    assert "not published in French (the English page was synced): norland" in summary.text()
    state = store.http_state(fake_site.url.rstrip("/") + f"/fr/members/{slug}/")
    assert state["kind"] == "translation" and state["status"] == 404
    assert len(store.list_members()) == 1


def test_the_setting_chooses_the_language_and_same_follows_the_interface(store, fake_site):
    from ogptui import i18n

    i18n.set_language("es")
    summary = sync(store, fake_site, ["norland"], settings=config.Settings(content_language="same"))
    assert summary.language == "es"
    summary = sync(store, fake_site, ["norland"], settings=config.Settings(content_language="en"))
    assert summary.language == "en" and summary.untranslated == []


def test_cli_content_language_option_is_checked(ogptui_home, capsys):
    for command in ("sync", "show"):
        with pytest.raises(SystemExit) as exit_:
            main([command, "peru", "--content-language", "de"])
        err = capsys.readouterr().err
        assert exit_.value.code == 2
        assert err.strip() == (
            'ogptui: argument --content-language: content_language must be one of "same" (as the interface), '
            f'"en", "es", "fr", not \'de\' (see `ogptui {command} --help`)'
        )


def test_show_says_which_language_it_shows(ogptui_home, capsys):
    rc = main(["show", "peru", "--content-language", "es"])
    out = capsys.readouterr().out
    assert rc == 0 and "(shown in English: not synced in Spanish)" in out
    rc = main(["show", "peru", "--content-language", "en"])
    out = capsys.readouterr().out
    assert rc == 0 and "not synced" not in out


def _titles(items) -> list:
    return [x.title for x in items]


def test_spanish_pages_sync_into_a_spanish_record_beside_the_english_one(store, fake_site):
    """The done-when: after a sync with content_language es, the commitments and resources are the
    Spanish ones; the English record stays; a re-sync is all 304s; search finds Spanish words."""
    summary = sync(store, fake_site, ["peru"], language="en")
    assert summary.outcome == "ok", summary.failed
    summary = sync(store, fake_site, ["peru"], settings=config.Settings(content_language="es"))
    assert summary.outcome == "ok" and summary.updated == 1 and not summary.untranslated, summary.text()
    site_es, site_en = fake_site.member("peru", "es"), fake_site.member("peru")
    es, en = store.get_member("peru", "es"), store.get_member("peru")
    assert _titles(site_es.commitments) != _titles(site_en.commitments)  # (the fake site translates them)
    assert (es.language, _titles(es.commitments), _titles(es.resources)) == (
        "es", _titles(site_es.commitments), _titles(site_es.resources))  # fmt: skip
    assert [r.type for r in es.resources] == [r.type for r in site_es.resources]  # types as given
    assert (en.language, _titles(en.commitments)) == ("en", _titles(site_en.commitments))
    assert store.member_languages("peru") == ["en", "es"]
    # the Spanish commitment pages: their details in Spanish, canonical values the same as English
    first = es.commitments[0]
    page_es = fake_site.commitment("peru", first.id, "es")
    assert first.description.split() == page_es.description.split() and first.has_details()
    assert (first.completion, first.ambition) == (en.commitments[0].completion, en.commitments[0].ambition)
    fake_site.reset_counters()
    again = sync(store, fake_site, ["peru"], language="es")
    c = fake_site.counters
    assert again.updated == 0 and again.written == 0 and c.requests == c.not_modified > 0
    word = first.title.split()[0]
    assert any(h.language == "es" for h in search(store, first.title) if h.kind == "commitment"), word
    assert len(store.list_members()) == 1


def test_french_first_makes_french_the_primary_record(store, fake_site):
    summary = sync(store, fake_site, ["port-esmer-valdoria"], language="fr")
    assert summary.outcome == "ok", summary.failed
    assert store.member_language("port-esmer-valdoria") == "fr"
    m = store.get_member("port-esmer-valdoria")
    assert _titles(m.commitments) == _titles(fake_site.member("port-esmer-valdoria", "fr").commitments)
    sync(store, fake_site, ["port-esmer-valdoria"], language="en")
    assert store.member_languages("port-esmer-valdoria") == ["fr", "en"]
    en = store.get_member("port-esmer-valdoria", "en")
    assert _titles(en.commitments) == _titles(fake_site.member("port-esmer-valdoria").commitments)


def test_a_translation_taken_off_the_site_keeps_what_was_cached(store, fake_site):
    sync(store, fake_site, ["peru"], language="es")
    before = _titles(store.get_member("peru", "es").commitments)
    fake_site.remove("/es/members/peru/")
    summary = sync(store, fake_site, ["peru"], language="es")
    assert summary.untranslated == ["peru"] and not summary.gone
    assert _titles(store.get_member("peru", "es").commitments) == before  # kept, as any page that fails
    assert store.list_members("peru")[0].gone_at is None


def test_cli_done_when(ogptui_home, fake_site, capsys):
    """`ogptui sync peru --source URL` with content_language es, then `show --json`: Spanish."""
    config.Settings(content_language="es").save()
    assert main(["sync", "peru", "--source", fake_site.url, "--quiet"]) == 0
    capsys.readouterr()
    assert main(["show", "peru", "--json"]) == 0
    import json

    shown = json.loads(capsys.readouterr().out)
    site_es = fake_site.member("peru", "es")
    assert [c["title"] for c in shown["commitments"]] == _titles(site_es.commitments)
    assert [r["title"] for r in shown["resources"]] == _titles(site_es.resources)
    assert main(["show", "peru", "--content-language", "en", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert [c["title"] for c in shown["commitments"]] != _titles(site_es.commitments)  # the embedded English
