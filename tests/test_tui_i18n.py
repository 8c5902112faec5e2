"""Issue 17.1 in the TUI: the member screen and help in Spanish and French, nothing clipped at 80x24 to
160x48, the palette switching the language at run time, and `ogptui` starting in the locale's language.
Snapshots (es and fr, member screen and help, 120x36 and 80x24) are under snapshots/test_tui_i18n/."""

from __future__ import annotations

import re

import pytest

from ogptui import i18n
from tests.test_tui_layout import SIZES, crowded_store, tables_fit
from tests.tuikit import make_app, notified, screen_lines

# What each language must show (and English must not leak into): header, tabs, footer, overview labels.
WORDS = {
    "es": {
        "fresh": "sincronizado hace 3 h",
        "tabs": ("1 Resumen", "2 Compromisos", "7 Blog"),
        "footer": ("? Ayuda", "^f Buscar", "q Salir"),
        "overview": ("Miembro desde", "Plan de acción", "Compromisos listados", "Actualidad", "Síntesis"),
        "status": "sinc.",
    },
    "fr": {
        "fresh": "synchronisé il y a 3 h",
        "tabs": ("1 Aperçu", "2 Engagements", "7 Blog"),
        "footer": ("? Aide", "^f Chercher", "q Quitter"),
        "overview": ("Membre depuis", "Plan d'action", "Engagements listés", "Fraîcheur", "Résumé"),
        "status": "synchro",
    },
}
ENGLISH = ("Member Since", "Commitments listed", "Freshness", "? Help", "q Quit", "1 Overview")


@pytest.fixture
def crowded():
    s = crowded_store()
    yield s
    s.close()


@pytest.mark.parametrize("lang", ["es", "fr"])
async def test_peru_in_spanish_and_french_shows_every_label_translated(lang):
    """`ogptui --lang es open peru`: the embedded member with every label of the screen in that language."""
    words = WORDS[lang]
    app = make_app(slug="peru", language=lang)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        text = "\n".join(screen_lines(app))
        for word in (*words["tabs"], *words["footer"], *words["overview"]):
            assert word in text, (lang, word, text)
        assert "Peru" in text  # the data itself (its language is issue 17.2)
        for word in ENGLISH:
            assert not re.search(re.escape(word) + r"\b", text), (lang, word)


@pytest.mark.parametrize("lang", ["es", "fr"])
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
async def test_every_tab_fits_in_each_language(crowded, lang, size):
    """Translations are longer: at every size the header keeps the age of the data, all seven tabs are on
    screen, the footer keeps help, search and quit, and no table scrolls sideways."""
    words = WORDS[lang]
    app = make_app(store=crowded, slug="testland", language=lang)
    async with app.run_test(size=size) as pilot:
        for key in "1234567":
            await pilot.press(key)
            await pilot.pause()
            lines = screen_lines(app)
            where = f"{lang} {size} tab {key}"
            assert words["fresh"] in lines[0], (where, lines[0])
            assert all(tab in lines[1] for tab in (words["tabs"][0], words["tabs"][2])), (where, lines[1])
            assert all(key_ in lines[-1] for key_ in words["footer"]), (where, lines[-1])
            assert "auto" in lines[-2], (where, lines[-2])
            assert not tables_fit(app), (where, tables_fit(app))


async def test_the_palette_switches_the_language_at_run_time(sample_store):
    """ctrl+p, "language", enter: English → Spanish → French → English, on the same member and tab, without a
    restart; the choice is kept in the settings."""
    from ogptui import config

    app = make_app(store=sample_store, slug="testland")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        assert "? Help" in screen_lines(app)[-1]
        for lang, query, footer, tab in (("es", "language", "? Ayuda", "2 Compromisos"),
                                         ("fr", "idioma", "? Aide", "2 Engagements"),
                                         ("en", "langue", "? Help", "2 Commitments")):  # fmt: skip
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.press(*query)
            await pilot.pause(0.3)
            await pilot.press("enter")
            await pilot.pause()
            await pilot.pause()
            assert i18n.language() == lang
            lines = screen_lines(app)
            assert footer in lines[-1], (lang, lines[-1])
            assert tab in lines[1], (lang, lines[1])
            assert type(app.screen).__name__ == "MemberScreen" and app.screen.active_tab() == "commitments"
            assert config.Settings.load().language == lang
        assert [n.message for n in notified(app)][-3:] == [
            "Idioma de la interfaz: Español",
            "Langue de l'interface : Français",
            "Interface language: English",
        ]


async def test_help_lists_every_command_in_the_language(sample_store):
    app = make_app(store=sample_store, language="fr")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        text = "\n".join(screen_lines(app))
        assert "Ce que ça fait" in text and "Afficher toutes les touches" in text and "Partout" in text
        assert "What it does" not in text


def test_ogptui_starts_in_the_language_of_the_locale(monkeypatch):
    """`LANG=fr_FR.UTF-8 ogptui`: the TUI starts in French (the CLI chooses before it starts the TUI)."""
    from ogptui.cli.main import main
    from ogptui.tui import app as tui_app

    seen = []
    monkeypatch.setattr(tui_app, "run", lambda slug=None, store=None: seen.append((slug, i18n.language())) or 0)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    assert main([]) == 0
    assert main(["--lang", "es", "open", "peru"]) == 0
    assert seen == [(None, "fr"), ("peru", "es")]


# --- snapshots: the member screen and help in each language at 120x36 and 80x24 ------------------------
SNAP_SIZES = [(120, 36), (80, 24)]


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["es", "fr"])
@pytest.mark.parametrize("size", SNAP_SIZES, ids=[f"{w}x{h}" for w, h in SNAP_SIZES])
def test_member_screen_snapshot(snap_compare, sample_store, lang, size):
    assert snap_compare(make_app(store=sample_store, slug="testland", language=lang), terminal_size=size)


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["es", "fr"])
@pytest.mark.parametrize("size", SNAP_SIZES, ids=[f"{w}x{h}" for w, h in SNAP_SIZES])
def test_help_snapshot(snap_compare, sample_store, lang, size):
    app = make_app(store=sample_store, slug="testland", language=lang)
    assert snap_compare(app, press=["question_mark"], terminal_size=size)
