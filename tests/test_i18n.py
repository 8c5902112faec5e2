"""Issue 17.1: the interface in English, Spanish and French from gettext catalogs.

What is proved here: every string marked for translation is translated in es and fr (no missing, empty or
fuzzy entry) and the shipped `.mo` files are compiled from the `.po` files; no string shown to a person in
the TUI or the CLI is left unmarked (an AST scan: a prose literal outside `_()`/`N_()`/`ngettext()` fails,
with a short list of exceptions, each with its reason); plural forms and relative ages per language; the
language is chosen by --lang, the setting `language`, then the locale; CLI errors keep their exit codes in
every language. The TUI side (screens, palette switch, snapshots) is in tests/test_tui_i18n.py.
"""

from __future__ import annotations

import ast
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ogptui import i18n
from ogptui.cli.main import main
from ogptui.i18n_build import extract, problems, read_po

PACKAGE = Path(i18n.__file__).parent
# Every module that shows text to a person: the TUI, the CLI, and the ages and freshness words they use.
SHOWN = sorted([*PACKAGE.glob("tui/**/*.py"), *PACKAGE.glob("cli/*.py"), PACKAGE / "timefmt.py"])
MARKERS = {"_", "N_", "ngettext"}
# Keyword arguments whose strings are names, not words for people (Rich styles, ids, actions, keys...).
NAME_KEYWORDS = {"style", "classes", "id", "key", "severity", "markup", "action", "group", "metavar", "dest",
                 "prog", "choices", "default", "type", "nargs", "const", "scope", "tab", "select", "prefix",
                 "suffix", "encoding", "errors", "newline", "mode", "thread", "exclusive", "name"}  # fmt: skip
PROSE = re.compile(r"[A-Za-z]{2,}[,.:;!?']? +[A-Za-z]{2,}")
STYLE_WORDS = re.compile(r"^(bold|italic|dim|underline|reverse|blue|magenta|yellow|green|red| )+$")
# Literals that look like prose but are not shown as interface text, with why.
NOT_SHOWN = {
    "PRAGMA data_version": "SQL, never shown",
    "TUI edit saved while the note changed elsewhere": "stored as a conflict copy's origin (data, like a key)",
    "Africa and the Middle East": "an OGP region name as the site writes it (data: the key of a short form)",
    "Asia and the Pacific": "an OGP region name as the site writes it (data: the key of a short form)",
    "No Consultation": "the site's participation level names (data; translated with the data, issue 17.2)",
    "More values provided than there are columns.": "a programming error inside the table widget",
    "Keep both": "a binding of the conflict question, which has no footer (its text says k/o/d)",
    "Discard mine": "a binding of the conflict question, which has no footer (its text says k/o/d)",
    "Clear filter": "a hidden binding (show=False): never shown",
    "Clear find": "a hidden binding (show=False): never shown",
    "ogptui.tcss": "a file name",
    "ogptui note --edit (saved while the note changed elsewhere)": "stored as a conflict copy's origin (data)",
}
NOT_SHOWN_PREFIXES = (
    "import of",  # stored as the imported notes' origin (data)
    "The row key",  # a programming error inside the table widget (a duplicate row key)
    "already exists.",
)


def unmarked_prose(path: Path, root: Path = PACKAGE.parent) -> list[str]:
    """Prose string literals in `path` outside `_()`, `N_()` and `ngettext()` (docstrings, names and the
    NOT_SHOWN exceptions aside), as "file:line: text"."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    ignored: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):  # docstrings, attribute docs
            ignored.add(id(node.value))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in MARKERS:
            ignored.update(id(n) for n in ast.walk(node))
        elif isinstance(node, ast.keyword) and node.arg in NAME_KEYWORDS:
            ignored.update(id(n) for n in ast.walk(node.value))
        elif isinstance(node, ast.Subscript | ast.Compare):  # dict keys looked up, values compared: names
            ignored.update(id(n) for n in ast.walk(node))
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)) or id(node) in ignored:
            continue
        text = node.value.strip()
        if not PROSE.search(text) or STYLE_WORDS.match(text) or text in NOT_SHOWN:
            continue
        if text.startswith(NOT_SHOWN_PREFIXES):
            continue
        found.append(f"{path.relative_to(root)}:{node.lineno}: {node.value[:80]!r}")
    return found


def test_every_shown_string_goes_through_the_catalogs():
    """A new message written without `_()` fails here (extract-and-compare's other half: a string that is
    marked but not translated fails `test_es_and_fr_catalogs_are_complete_and_compiled`)."""
    found = [line for path in SHOWN for line in unmarked_prose(path)]
    assert not found, "\n".join(found)


def test_no_translation_call_hides_inside_an_f_string():
    """Babel's extractor does not look inside f-strings: `f"{_('All')} {n}"` would be shown untranslated
    and never reach the catalogs, so a literal inside `_()` in an f-string is refused everywhere (`_(label)`
    of a string marked elsewhere with `N_()` is fine)."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                for inner in ast.walk(node):
                    if (isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name) and inner.func.id in MARKERS
                            and inner.args and isinstance(inner.args[0], ast.Constant)):  # fmt: skip
                        found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    assert not found, found


def test_the_scan_finds_an_unmarked_message(tmp_path):
    """The scan can fail: a notification and an f-string error written without `_()` are found, the same
    words inside `_()`, a docstring and a style are not."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        'def f(app, x):\n    """Say something to the user here."""\n    app.notify("Sync failed: try again later.")\n'
        '    app.notify(_("Sync failed: try again later."), style="bold italic")\n'
        '    raise ValueError(f"bad value {x} here")\n',
        encoding="utf-8",
    )
    found = unmarked_prose(sample, tmp_path)
    assert found == ["sample.py:3: 'Sync failed: try again later.'", "sample.py:5: 'bad value '"], found


def test_es_and_fr_catalogs_are_complete_and_compiled():
    assert problems() == []


def test_every_catalog_entry_is_still_used_and_keeps_its_placeholders():
    """No stale entries (a renamed message would otherwise keep an old translation), and each translation
    has the same {placeholders} and %(names)s as its source, so `.format()` never raises in another language."""
    wanted = {m.id for m in extract() if m.id}
    placeholder = re.compile(r"\{[A-Za-z_0-9]*\}|%\([a-z_]+\)[sr]|%[sr]")
    for lang in ("es", "fr"):
        catalog = read_po(lang)
        ids = {m.id for m in catalog if m.id}
        assert ids == wanted, (lang, ids ^ wanted)
        for m in catalog:
            if not m.id:
                continue
            sources = m.id if isinstance(m.id, tuple) else (m.id,)
            targets = m.string if isinstance(m.string, tuple) else (m.string,)
            for source, target in zip(sources, targets, strict=True):
                assert sorted(placeholder.findall(source)) == sorted(placeholder.findall(target)), (lang, m.id)


def test_a_fuzzy_or_empty_entry_fails_the_check(tmp_path, monkeypatch):
    """The completeness check can fail: a catalog with one entry marked fuzzy and one emptied is reported."""
    from ogptui import i18n_build

    catalog = read_po("es")
    entries = [m for m in catalog if m.id and not isinstance(m.id, tuple)]
    entries[0].flags.add("fuzzy")
    entries[1].string = ""
    monkeypatch.setattr(i18n_build, "read_po", lambda lang: catalog if lang == "es" else read_po(lang))
    found = i18n_build.problems()
    assert any(f"fuzzy {entries[0].id!r}" in line for line in found)
    assert any(f"untranslated {entries[1].id!r}" in line for line in found)
    assert any("ogptui.mo is not compiled" in line for line in found)


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ["0 commitments", "1 commitment", "2 commitments"]),
        ("es", ["0 compromisos", "1 compromiso", "2 compromisos"]),
        ("fr", ["0 engagement", "1 engagement", "2 engagements"]),  # French: 0 and 1 are singular
    ],
)
def test_plural_forms_follow_each_language(lang, words):
    i18n.set_language(lang)
    assert [i18n.ngettext("{n} commitment", "{n} commitments", n).format(n=n) for n in (0, 1, 2)] == words


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", ["just now", "5 min ago", "3 h ago", "2 days ago", "3 days ago", "2 months ago", "3 years ago"]),
        ("es", ["ahora mismo", "hace 5 min", "hace 3 h", "hace 2 días", "hace 3 días", "hace 2 meses", "hace 3 años"]),
        ("fr", ["à l'instant", "il y a 5 min", "il y a 3 h", "il y a 2 jours", "il y a 3 jours", "il y a 2 mois",
                "il y a 3 ans"]),
    ],
)  # fmt: skip
def test_relative_ages_are_localised(lang, expected):
    from ogptui.timefmt import ago

    i18n.set_language(lang)
    now = datetime(2026, 6, 1, tzinfo=UTC)
    deltas = [timedelta(seconds=10), timedelta(minutes=5), timedelta(hours=3), timedelta(hours=48),
              timedelta(days=3), timedelta(days=61), timedelta(days=3 * 366)]  # fmt: skip
    assert [ago(now - d, now) for d in deltas] == expected


def test_the_language_is_chosen_by_option_then_setting_then_locale():
    env = {"LANG": "fr_FR.UTF-8"}
    assert i18n.resolve("es", "en", env) == "es"  # --lang first
    assert i18n.resolve(None, "es", env) == "es"  # then the setting
    assert i18n.resolve(None, None, env) == "fr"  # then the locale
    assert i18n.resolve(None, None, {}) == "en"
    # POSIX order within the locale: LC_ALL, then LC_MESSAGES, then LANG
    assert i18n.from_locale({"LC_ALL": "es_PE.UTF-8", "LC_MESSAGES": "fr_FR", "LANG": "en_US"}) == "es"
    assert i18n.from_locale({"LC_MESSAGES": "fr_CA.UTF-8", "LANG": "es_ES.UTF-8"}) == "fr"
    assert i18n.from_locale({"LANG": "C.UTF-8"}) is None
    assert i18n.from_locale({"LANG": "de_DE.UTF-8"}) is None  # not ours: English
    assert i18n.from_locale({"LC_ALL": "", "LANG": "es_MX"}) == "es"  # an empty variable is not set


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError):
        i18n.set_language("de")
    assert i18n.language() == "en"


def _run(capsys, *argv):
    rc = main(list(argv))
    captured = capsys.readouterr()
    return rc, captured.out, captured.err


@pytest.mark.parametrize(
    ("lang", "not_found", "bad_option"),
    [
        ("en", "no member 'nowhere' in the cache", "unrecognized arguments: --bogus"),
        ("es", "no hay ningún miembro 'nowhere' en la caché", "argumentos no reconocidos: --bogus"),
        ("fr", "aucun membre 'nowhere' dans le cache", "arguments non reconnus : --bogus"),
    ],
)
def test_cli_errors_are_translated_and_keep_their_exit_codes(capsys, lang, not_found, bad_option):
    rc, out, err = _run(capsys, "--lang", lang, "show", "nowhere")
    assert rc == 2 and not_found in err and err.count("\n") == 1, err
    with pytest.raises(SystemExit) as exit_:
        main(["--lang", lang, "sync", "--bogus"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert bad_option in err and "Traceback" not in err and err.count("\n") == 1, err
    rc, out, err = _run(capsys, "--lang", lang, "sync", "peru", "--all")
    assert rc == 2 and err.startswith("ogptui: ") and err.count("\n") == 1


def test_cli_help_is_translated(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--lang", "es", "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("uso: ogptui") and "argumentos posicionales" in out
    assert "Imprime un miembro en caché" in out


def test_the_setting_and_the_locale_choose_the_cli_language(capsys, monkeypatch):
    from ogptui import config

    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    rc, out, err = _run(capsys, "show", "nowhere")
    assert rc == 2 and "aucun membre 'nowhere'" in err  # the locale
    settings = config.Settings.load()
    settings.language = "es"
    settings.save()
    rc, out, err = _run(capsys, "show", "nowhere")
    assert rc == 2 and "no hay ningún miembro 'nowhere'" in err  # the setting beats the locale
    rc, out, err = _run(capsys, "--lang", "en", "show", "nowhere")
    assert rc == 2 and "no member 'nowhere'" in err  # --lang beats both


def test_a_bad_language_setting_is_one_notice_and_english(capsys, ogptui_home):
    ogptui_home.mkdir(parents=True, exist_ok=True)
    (ogptui_home / "settings.json").write_text('{"language": "klingon"}', encoding="utf-8")
    rc, out, err = _run(capsys, "members")
    assert rc == 0
    assert '"language"' in err and "klingon" in err
    assert "The cache is empty" in out or "peru" in out


def test_the_cli_speaks_spanish_on_the_embedded_member(capsys):
    rc, out, err = _run(capsys, "--lang", "es", "members")
    assert rc == 0 and "desde 2011" in out and "muestra incluida" in out


def test_start_up_does_not_import_babel():
    """Babel builds the catalogs; the app reads them with the standard library only."""
    import subprocess
    import sys

    code = "import sys, ogptui.cli.main, ogptui.i18n; ogptui.i18n.set_language('fr'); print('babel' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
