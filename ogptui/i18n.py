"""The interface language: message catalogs (gettext `.mo` files shipped in `ogptui/locale/`).

Every string shown to a person goes through `_()` (or `ngettext()` when it holds a count); strings declared
before a language is chosen (command lists, column titles) are marked with `N_()` and translated where shown.
The language is chosen by `--lang`, the setting `language`, or the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`),
in that order (`resolve`); `set_language` switches it at run time (the TUI's palette does).

Only the standard library's `gettext` runs here: start-up never imports Babel. Babel extracts the strings and
compiles the catalogs (`python -m ogptui.i18n_build`), and its CLDR plural rules are in each catalog's header,
which `gettext` evaluates ("1 compromiso", "2 compromisos"; "0 engagement", "2 engagements").
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from pathlib import Path

DOMAIN = "ogptui"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("en", "es", "fr")
LANGUAGE_NAMES = {"en": "English", "es": "Español", "fr": "Français"}

_loaded: dict[str, gettext.NullTranslations] = {}
_current: list[str] = ["en"]
_translations: list[gettext.NullTranslations] = [gettext.NullTranslations()]


def _catalog(lang: str) -> gettext.NullTranslations:
    if lang not in _loaded:
        _loaded[lang] = gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)
    return _loaded[lang]


def set_language(lang: str) -> str:
    """Make `lang` (one of LANGUAGES) the interface language; returns it. Unknown codes raise ValueError."""
    if lang not in LANGUAGES:
        raise ValueError(lang)
    _current[0] = lang
    _translations[0] = gettext.NullTranslations() if lang == "en" else _catalog(lang)
    return lang


def language() -> str:
    return _current[0]


def _(message: str) -> str:
    return _translations[0].gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations[0].ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now (it is translated with `_()` where shown)."""
    return message


def from_locale(environ: Mapping[str, str] | None = None) -> str | None:
    """The language of the locale: the first set of LC_ALL, LC_MESSAGES, LANG (POSIX order), when it is one
    of ours ("fr_FR.UTF-8" → "fr"); None for "C", "POSIX" or another language."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "").strip()
        if value:
            code = value.split(".")[0].split("@")[0].split("_")[0].lower()
            return code if code in LANGUAGES else None
    return None


def resolve(option: str | None, setting: str | None, environ: Mapping[str, str] | None = None) -> str:
    """`--lang`, else the setting `language`, else the locale, else English."""
    for choice in (option, setting):
        if choice:
            return choice
    return from_locale(environ) or "en"


def content_language(setting: str | None) -> str:
    """The language of the site's pages to sync and show: the setting `content_language`, where "same"
    (or nothing) means the interface language."""
    return setting if setting in LANGUAGES else language()


# The languages as words in a sentence ("shown in English"), translated where shown.
LANGUAGE_WORDS = {"en": N_("English"), "es": N_("Spanish"), "fr": N_("French")}


def fallback_note(shown: str | None, wanted: str) -> str | None:
    """"shown in English: not synced in Spanish" when a record is not in the language asked for; else None."""
    shown = shown or "en"
    if shown == wanted or shown not in LANGUAGE_WORDS or wanted not in LANGUAGE_WORDS:
        return None
    return _("shown in {shown}: not synced in {wanted}").format(
        shown=_(LANGUAGE_WORDS[shown]), wanted=_(LANGUAGE_WORDS[wanted])
    )
