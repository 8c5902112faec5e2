"""Build the message catalogs with Babel (a development tool: the app itself never imports Babel).

    python -m ogptui.i18n_build          # extract the strings, update es/fr .po files, compile the .mo files
    python -m ogptui.i18n_build --check  # say what is missing, fuzzy, untranslated or not compiled (exit 1)

Strings are found in `_()`, `N_()` and `ngettext()` calls in every module of the package.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

from ogptui.i18n import DOMAIN, LANGUAGES, LOCALE_DIR

PACKAGE = Path(__file__).parent
KEYWORDS: dict[str, Any] = {"_": None, "N_": None, "ngettext": (1, 2)}
TRANSLATED = tuple(lang for lang in LANGUAGES if lang != "en")


def extract() -> Any:
    """A Babel catalog of every marked string in the package (the template)."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    catalog = Catalog(project="ogptui", domain=DOMAIN, charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)
    ):
        catalog.add(message, None, [(f"ogptui/{filename}", lineno)], auto_comments=comments, context=context)
    return catalog


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_po(lang: str) -> Any:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po as _read

    path = po_path(lang)
    if not path.exists():
        return Catalog(locale=lang, domain=DOMAIN, project="ogptui", charset="utf-8")
    with path.open("rb") as fh:
        return _read(fh, locale=lang, domain=DOMAIN)


def write_po(lang: str, catalog: Any) -> None:
    from babel.messages.pofile import write_po as _write

    path = po_path(lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    _write(buf, catalog, width=110, omit_header=False, sort_output=True, include_previous=False)
    path.write_bytes(buf.getvalue())


def mo_bytes(catalog: Any) -> bytes:
    from babel.messages.mofile import write_mo

    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


def build() -> None:
    template = extract()
    for lang in TRANSLATED:
        catalog = read_po(lang)
        catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
        catalog.obsolete.clear()
        catalog.fuzzy = False  # the header: the catalogs are reviewed by hand, entry by entry
        catalog.project, catalog.version = "ogptui", "0.1"
        catalog.language_team = catalog.last_translator = "ogptui <https://github.com/ogptui>"
        write_po(lang, catalog)
        po_path(lang).with_suffix(".mo").write_bytes(mo_bytes(read_po(lang)))


def problems() -> list[str]:
    """Every string not translated (missing, empty, fuzzy) in each catalog, and catalogs not compiled."""
    template = extract()
    found: list[str] = []
    for lang in TRANSLATED:
        catalog = read_po(lang)
        for message in template:
            if not message.id:
                continue
            entry = catalog.get(message.id, message.context)
            strings = entry.string if entry is not None else None
            if entry is None:
                found.append(f"{lang}: missing {message.id!r}")
            elif entry.fuzzy:
                found.append(f"{lang}: fuzzy {message.id!r}")
            elif not strings or (isinstance(strings, tuple | list) and not all(strings)):
                found.append(f"{lang}: untranslated {message.id!r}")
        mo = po_path(lang).with_suffix(".mo")
        if not mo.exists() or mo.read_bytes() != mo_bytes(catalog):
            found.append(f"{lang}: {mo.name} is not compiled from {po_path(lang).name}")
    return found


def main(argv: list[str]) -> int:
    if "--check" in argv:
        found = problems()
        for line in found:
            print(line)
        return 1 if found else 0
    build()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
