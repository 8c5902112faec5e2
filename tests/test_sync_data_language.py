"""Issue 17.2 in sync: `content_language` (or `--content-language`) fetches `/es/…` and `/fr/…` pages into
records in that language, kept beside the member's other languages; a member with no page in that
language gets its English page instead, said in the summary and never marked gone for it."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from ogptui import config
from ogptui.cli import main
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
