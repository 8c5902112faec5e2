"""Issue 17.2 in the TUI: the member and commitment screens show the member in the data language
(setting content_language, "same" = the interface's) when it is cached so, else another cached language
with a visible note; `D` (and the palette) switches the data language at run time."""

from __future__ import annotations

import copy

from ogptui import config
from ogptui.model import CommitmentPage
from tests.tuikit import make_app, notified, screen_lines


def _spanish(store) -> None:
    """Testland as synced from its /es/ page (titles translated), beside the English record."""
    m = copy.deepcopy(store.get_member("testland"))
    m.language = "es"
    m.source_url = "https://www.opengovpartnership.org/es/members/testland/"
    for c in m.commitments:
        c.title = f"Compromiso {c.id}"
        c.description = None
    m.commitments = [type(c)(c.id, c.title, c.year, c.policy_area, c.url) for c in m.commitments]
    store.write_member(m)
    store.write_commitment(CommitmentPage(id=m.commitments[0].id, language="es",
                                          description="Texto del compromiso en español."), "testland")  # fmt: skip


def _title(app) -> str:
    return screen_lines(app)[0]


async def test_not_synced_in_the_data_language_says_so_and_shows_english(sample_store):
    settings = config.Settings(content_language="es")
    app = make_app(store=sample_store, slug="testland", settings=settings)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert "shown in English: not synced in Spanish" in _title(app)
        await pilot.press("2")
        await pilot.pause()
        text = "\n".join(screen_lines(app))
        assert "Compromiso" not in text


async def test_same_follows_the_interface_language(sample_store):
    app = make_app(store=sample_store, slug="testland", language="fr")  # content_language "same"
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert "affiché en anglais : non synchronisé en français" in _title(app)


async def test_synced_in_the_data_language_shows_it_without_a_note(sample_store):
    _spanish(sample_store)
    cid = sample_store.get_member("testland").commitments[0].id
    settings = config.Settings(content_language="es")
    app = make_app(store=sample_store, slug="testland", settings=settings)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert "not synced" not in _title(app)
        await pilot.press("2")
        await pilot.pause()
        assert f"Compromiso {cid}" in "\n".join(screen_lines(app))
        await pilot.press("enter")  # the commitment screen: its Spanish page
        await pilot.pause()
        assert type(app.screen).__name__ == "CommitmentScreen"
        assert "Texto del compromiso en español." in "\n".join(screen_lines(app))


async def test_narrow_title_keeps_a_language_mark(sample_store):
    settings = config.Settings(content_language="fr")
    app = make_app(store=sample_store, slug="testland", settings=settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        title = _title(app)
        assert "not synced in French" in title or title.rstrip().endswith("in EN, not FR"), title


async def test_D_cycles_the_data_language_and_rereads_the_member(sample_store):
    _spanish(sample_store)
    cid = sample_store.get_member("testland").commitments[0].id
    app = make_app(store=sample_store, slug="testland")  # English interface, content_language "same"
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        assert f"Compromiso {cid}" not in "\n".join(screen_lines(app))
        seen = []
        for _ in range(4):
            await pilot.press("D")
            await pilot.pause()
            seen.append((app.settings.content_language, config.Settings.load().content_language,
                         f"Compromiso {cid}" in "\n".join(screen_lines(app)),
                         "not synced in French" in _title(app)))  # fmt: skip
        assert seen == [
            ("en", "en", False, False),
            ("es", "es", True, False),
            ("fr", "fr", False, True),
            ("same", "same", False, False),
        ]
        assert [n.message for n in notified(app)][-4:] == [
            "Data language: English",
            "Data language: Español",
            "Data language: Français",
            "Data language: as the interface (English)",
        ]


async def test_levels_regions_and_values_read_in_the_interface_language(sample_store):
    """Stored as keys (`national`, `Americas`, `Limited`), shown in the reader's language."""
    app = make_app(store=sample_store, language="es")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        text = "\n".join(screen_lines(app))
        assert "nacional" in text and "national" not in text
        await pilot.press("r")
        await pilot.pause()
        text = "\n".join(screen_lines(app))
        assert "Américas" in text and "Americas" not in text
    app = make_app(store=sample_store, slug="peru", language="fr")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert "membre national" in "\n".join(screen_lines(app))  # the Overview's line under the name
