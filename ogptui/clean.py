"""The one text cleaner: no escape sequences, no control or bidi characters, sane whitespace.

Every door uses this module, so a rule changes in one place:

- **in** (pages, bundles, mirrors, notes, settings, search queries): `clean_text` (one line) or
  `clean_multiline` (keeps `\\n`) before a value reaches a record or the store;
- **search**: `fold` (case and accents ignored, "peru" finds "Perú") for matching and highlighting;
- **out** (CLI text, JSON, Markdown, CSV, TUI): `safe_output` is the last step of every output path, so
  even a bad value that got into the store by another door never reaches a terminal as an escape
  sequence; `safe_data` does the same for every string of a JSON-able structure.

Markup-looking text such as `[bold]` is left alone: it is literal text, and the UI renders without markup.
No Textual, no third-party imports (the CLI's start-up imports this).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

SINGLE_LINE_CAP = 2_000
MULTILINE_CAP = 100_000

# Terminal escape sequences, 7-bit (ESC ...) and 8-bit (C1) forms. String-type sequences (OSC, DCS, SOS,
# PM, APC) run to their terminator (BEL or ST); an unterminated one is removed up to the end of its line.
# The 8-bit string forms must be terminated (a stray C1 byte from mojibake then only loses itself).
# A short escape's intermediates exclude the space: "ESC SP x" is harmless once the ESC is gone, and
# "kenya\x1b contact" must not lose the start of its next word.
_ESCAPES = re.compile(
    r"""
      (?:\x1b\[|\x9b) [0-?]* [ -/]* [@-~]                            # CSI
    | \x1b\] [^\x07\x1b\x9c\n]* (?:\x07|\x1b\\|\x9c)?               # OSC (0/2 title, 8 link, 52 clipboard)
    | \x9d [^\x07\x1b\x9c\n]* (?:\x07|\x1b\\|\x9c)                    # OSC, 8-bit
    | \x1b[PX^_] [^\x1b\x9c\n]* (?:\x1b\\|\x9c)?                     # DCS, SOS, PM, APC
    | [\x90\x98\x9e\x9f] [^\x1b\x9c\n]* (?:\x1b\\|\x9c)                # the same, 8-bit
    | \x1b [!-/]* [0-~]                                             # other short escapes
    """,
    re.VERBOSE,
)

# Zero-width and bidi controls (LRM/RLM, ALM, embeddings/overrides, isolates), word joiner, BOM, and lone
# surrogates (they cannot even be encoded to UTF-8).
_FORMAT = "\u200b-\u200f\u202a-\u202e\u2060-\u2069\u061c\ufeff\ud800-\udfff"
# C0 controls except tab/newline/CR (handled as whitespace by the input cleaners), DEL, C1, and the above.
_INVISIBLE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_FORMAT}]")
# What may never be written to a terminal: the same, plus a CR that does not end a line (it can overwrite
# one). Tab, newline and CRLF (CSV's line end) stay.
_UNSAFE_OUT = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_FORMAT}]|\r(?!\n)")
_LINE_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x85\u2028\u2029]")
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_RUNS = re.compile(r"\n{3,}")
_ODD_SPACE = re.compile(r"[^\S\n ]")  # whitespace other than a space or a newline (tab, CR, NBSP, U+2028…)


def _canonical(s: str) -> bool:
    """True when `clean_multiline` would change nothing but the cap: no invisible character, no other
    whitespace than single spaces and newlines, no space at either end of a line, no run of blank lines,
    no space or newline at either end. Text the ingest cleaned is so, and these searches cost far less
    than the substitutions (the reader cleans a 200 kB document on opening)."""
    return not (
        s[0] in " \n"
        or s[-1] in " \n"
        or "  " in s
        or " \n" in s
        or "\n " in s
        or "\n\n\n" in s
        or _ODD_SPACE.search(s)
        or _INVISIBLE.search(s)
    )


def _strip_controls(s: str) -> str:
    if _INVISIBLE.search(s) is None:  # every escape sequence starts with ESC or a C1 control
        return s
    return _INVISIBLE.sub("", _ESCAPES.sub("", s))


def clean_text(s: str | None, cap: int = SINGLE_LINE_CAP) -> str:
    """One safe line: escapes and controls removed, all whitespace (incl. newlines) collapsed, capped."""
    if not s:
        return ""
    if len(s) > cap * 4 + 1000:
        s = s[: cap * 4 + 1000]
    if not (s.isascii() and s.isprintable()):
        s = _strip_controls(s)
    s = " ".join(s.split())
    return s[:cap].rstrip() if len(s) > cap else s


def clean_multiline(s: str | None, cap: int = MULTILINE_CAP) -> str:
    """Like `clean_text` but keeps line breaks (at most one blank line in a row); lines are stripped."""
    if not s:
        return ""
    if len(s) > cap * 4 + 1000:
        s = s[: cap * 4 + 1000]
    if _canonical(s):  # already clean: only the cap
        return s[:cap].rstrip() if len(s) > cap else s
    s = _LINE_BREAKS.sub("\n", s)
    s = _strip_controls(s)
    s = _SPACES.sub(" ", s)
    s = "\n".join(line.strip() for line in s.split("\n"))
    s = _BLANK_RUNS.sub("\n\n", s).strip()
    return s[:cap].rstrip() if len(s) > cap else s


@functools.lru_cache(maxsize=65536)  # filter-as-you-type folds the same cell texts on every keystroke
def fold(s: str | None) -> str:
    """Case- and accent-insensitive form for matching ("Perú" → "peru", "ÉTAT" → "etat", "ﬁ" → "fi")."""
    if not s:
        return ""
    if s.isascii():  # nothing to decompose: same result, without the per-character loop
        return s.casefold()
    decomposed = unicodedata.normalize("NFKD", s)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def safe_output(s: object) -> str:
    """Text that is safe to write to a terminal or a file: the last step of every output path.

    Escape sequences go whole (CSI, OSC with BEL or ST, DCS/SOS/PM/APC, their 8-bit forms), then every C0
    control but tab, newline and the CR of a CRLF, DEL, C1, bidi and zero-width controls and lone surrogates. Everything
    else, line structure included, is kept as it is (this is not a reformatter; see `clean_text`).
    """
    text = s if isinstance(s, str) else str(s)
    if _UNSAFE_OUT.search(text) is None:
        return text
    return _UNSAFE_OUT.sub("", _ESCAPES.sub("", text))


def safe_data(obj: Any) -> Any:
    """A copy of a JSON-able structure with `safe_output` applied to every string (keys too).

    `json.dumps(..., ensure_ascii=False)` escapes C0 controls but writes C1 controls (U+009B is an 8-bit
    CSI) and bidi overrides raw, so strings are cleaned before dumping.
    """
    if isinstance(obj, str):
        return safe_output(obj)
    if isinstance(obj, dict):
        return {safe_output(k) if isinstance(k, str) else k: safe_data(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [safe_data(v) for v in obj]
    return obj
