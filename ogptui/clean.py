"""The one text cleaner: no escape sequences, no control or bidi characters, sane whitespace.

Every string that reaches a record goes through `clean_text` (one line) or `clean_multiline` (keeps `\\n`).
Markup-looking text such as `[bold]` is left alone: it is literal text, and the UI renders without markup.
"""

from __future__ import annotations

import re

SINGLE_LINE_CAP = 2_000
MULTILINE_CAP = 100_000

# Terminal escape sequences, 7-bit (ESC ...) and 8-bit (C1) forms. String-type sequences (OSC, DCS, SOS,
# PM, APC) run to their terminator (BEL or ST); an unterminated one is removed up to the end of its line.
# The 8-bit string forms must be terminated (a stray C1 byte from mojibake then only loses itself).
_ESCAPES = re.compile(
    r"""
      (?:\x1b\[|\x9b) [0-?]* [ -/]* [@-~]                            # CSI
    | \x1b\] [^\x07\x1b\x9c\n]* (?:\x07|\x1b\\|\x9c)?               # OSC (0/2 title, 8 link, 52 clipboard)
    | \x9d [^\x07\x1b\x9c\n]* (?:\x07|\x1b\\|\x9c)                    # OSC, 8-bit
    | \x1b[PX^_] [^\x1b\x9c\n]* (?:\x1b\\|\x9c)?                     # DCS, SOS, PM, APC
    | [\x90\x98\x9e\x9f] [^\x1b\x9c\n]* (?:\x1b\\|\x9c)                # the same, 8-bit
    | \x1b [ -/]* [0-~]                                             # other short escapes
    """,
    re.VERBOSE,
)

# C0 controls except tab/newline/CR (handled as whitespace), DEL, C1, zero-width and bidi controls,
# BOM, and lone surrogates.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\u061c\ufeff\ud800-\udfff]"
)
_LINE_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x85\u2028\u2029]")
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_RUNS = re.compile(r"\n{3,}")


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
    s = _LINE_BREAKS.sub("\n", s)
    s = _strip_controls(s)
    s = _SPACES.sub(" ", s)
    s = "\n".join(line.strip() for line in s.split("\n"))
    s = _BLANK_RUNS.sub("\n\n", s).strip()
    return s[:cap].rstrip() if len(s) > cap else s
