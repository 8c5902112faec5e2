"""The one text-cleaning module (ogptui.clean), tested once with the hostile payloads."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ogptui.clean import (
    MULTILINE_CAP,
    SINGLE_LINE_CAP,
    clean_multiline,
    clean_text,
    fold,
    safe_data,
    safe_output,
)

ESC = "\x1b"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (f"{ESC}[31mred{ESC}[0m text", "red text"),
        (f"a{ESC}[2J{ESC}[H{ESC}[?1049hb", "ab"),
        (f"x{ESC}]0;pwned title\x07y", "xy"),
        (f"x{ESC}]2;window title{ESC}\\y", "xy"),
        (f"see {ESC}]8;;https://evil.example/{ESC}\\here{ESC}]8;;{ESC}\\ now", "see here now"),
        (f"copy{ESC}]52;c;ZXZpbA==\x07 me", "copy me"),
        (f"d{ESC}Pq#0;2;0;0;0#0~~@@vv{ESC}\\e", "de"),
        (f"apc{ESC}_Gf=100;AAAA{ESC}\\end", "apcend"),
        ("8bit\x9b31mcsi\x9b0m", "8bitcsi"),
        ("8bit\x9d0;title\x07osc", "8bitosc"),
        ("dcs\x90payload\x9cend", "dcsend"),
        ("c1\x85\x8d\x9fchars", "c1chars"),
        ("bell\x07 nul\x00 del\x7f", "bell nul del"),
        ("bidi \u202eevil\u202c \u2066iso\u2069 \u200fmark\u200e \u061calm", "bidi evil iso mark alm"),
        ("zero\u200bwidth\ufeff\u2060joined", "zerowidthjoined"),
        ("nbsp\u00a0and\u2003em\u3000ideo  \t spaces", "nbsp and em ideo spaces"),
        ("multi\nline\r\ntext", "multi line text"),
        (
            "  [bold]literal[/bold] [@click=app.quit]quit[/]  ",
            "[bold]literal[/bold] [@click=app.quit]quit[/]",
        ),
        ("Perú – 2020–2022", "Perú – 2020–2022"),
        ("unterminated osc " + ESC + "]0;title with no end", "unterminated osc"),
        ("lone \ud800 surrogate", "lone surrogate"),
    ],
)
def test_clean_text_removes_escapes_and_controls(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


def test_no_control_characters_survive() -> None:
    hostile = "".join(chr(c) for c in range(0, 0xA0)) + "\u202a\u202b\u202d\u2067\u2068" + "ok"
    out = clean_text(hostile)
    assert all(ch.isprintable() for ch in out)
    assert out.endswith("ok")
    assert ESC not in clean_multiline(hostile)


def test_caps() -> None:
    assert len(clean_text("x" * 10_000)) == SINGLE_LINE_CAP
    assert len(clean_text("word " * 100_000, cap=50)) <= 50
    assert len(clean_multiline("line\n" * 100_000)) <= MULTILINE_CAP
    assert clean_text(None) == "" and clean_multiline("") == ""


def test_multiline_keeps_newlines_but_nothing_else() -> None:
    raw = f"First  line\u00a0here\r\n{ESC}[1mSecond{ESC}[0m\n\n\n\nThird\u2028Fourth\x07"
    assert clean_multiline(raw) == "First line here\nSecond\n\nThird\nFourth"


def test_unterminated_osc_in_multiline_only_eats_its_line() -> None:
    assert clean_multiline(f"keep\nbad {ESC}]0;title\nalso keep") == "keep\nbad\nalso keep"


# ---- the same hostile payloads, once, for every function of the module ----------------------------------
HOSTILE = {
    "csi": f"{ESC}[31mred{ESC}[0m {ESC}[2J{ESC}[H",
    "osc0-bel": f"{ESC}]0;pwned title\x07",
    "osc2-st": f"{ESC}]2;pwned title 2{ESC}\\",
    "osc8-link": f"{ESC}]8;;https://evil.example/{ESC}\\click me{ESC}]8;;{ESC}\\",
    "osc52-clipboard": f"{ESC}]52;c;cm0gLXJmIH4K\x07",
    "dcs": f"{ESC}P+q544e{ESC}\\",
    "c1-csi": "\x9b31m8-bit\x9b0m",
    "c1-osc": "\x9d0;eight bit title\x9c",
    "c1-dcs": "\x90payload\x9c",
    "c1-all": "".join(chr(c) for c in range(0x80, 0xA0)),
    "bel": "ding\x07\x07",
    "nul": "nul\x00byte",
    "cr": "overwrite\rme",
    "bidi": "\u202eevil\u202c \u2066isolate\u2069 \u200fmark\u200e \u061calm \u202a\u202b\u202d\u2067\u2068",
    "zero-width": "zero\u200bwidth\u200c\u200d\ufeff\u2060joined",
    "lone-surrogates": "lone \ud800 and \udfff",
}
ALL_HOSTILE = " | ".join(HOSTILE.values())
UNSAFE = (
    {chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]}
    | set(
        "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\u061c\ufeff"
    )
    | {chr(0xD800), chr(0xDFFF)}
)


def unsafe_in(text: str) -> list[str]:
    return sorted({f"U+{ord(ch):04X}" for ch in text if ch in UNSAFE})


@pytest.mark.parametrize("name", list(HOSTILE))
def test_every_function_removes_every_payload(name):
    raw = f"before {HOSTILE[name]} after\nnext line\tcell"
    for fn in (clean_text, clean_multiline, safe_output):
        out = fn(raw)
        assert unsafe_in(out) == [], (fn.__name__, unsafe_in(out))
        assert out.startswith("before") and "after" in out, (fn.__name__, out)
        assert "pwned" not in out and "evil.example" not in out and "cm0gLXJm" not in out
        out.encode("utf-8")  # no lone surrogate left to crash a writer


def test_safe_output_keeps_text_lines_and_tabs_but_nothing_unsafe():
    assert safe_output("Perú – [bold]x[/bold]\n\tnext  line") == "Perú – [bold]x[/bold]\n\tnext  line"
    assert safe_output(f"a{ESC}]8;;https://e.example/{ESC}\\link{ESC}]8;;{ESC}\\b") == "alinkb"
    assert safe_output("overwrite\rme\r\nnext\r") == "overwriteme\r\nnext"  # CRLF is a line end (CSV)
    out = safe_output(ALL_HOSTILE)
    assert all(w in out for w in ("red", "click me", "8-bit", "nulbyte", "overwriteme", "zerowidthjoined"))
    assert unsafe_in(safe_output("".join(chr(c) for c in range(0x2100)))) == []
    assert safe_output(42) == "42" and safe_output(None) == "None"


def test_safe_data_cleans_every_string_of_a_structure():
    data = {"name\x9b": ["x\x1b]0;t\x07y", ("\u202eab", 3)], "n": None, "f": 1.5, "ok": "Perú"}
    assert safe_data(data) == {"name": ["xy", ["ab", 3]], "n": None, "f": 1.5, "ok": "Perú"}
    dumped = json.dumps(safe_data({"v": ALL_HOSTILE}), ensure_ascii=False)
    assert unsafe_in(dumped) == [] and "\\u001b" not in dumped and "\\u0007" not in dumped
    # why it is needed: json escapes C0 but writes C1 and bidi controls raw
    assert "\x9b" in json.dumps({"v": "\x9b31m"}, ensure_ascii=False)


def test_an_escape_with_a_space_does_not_eat_the_next_word():
    assert clean_text("  kenya\x1b  contact ") == "kenya contact"
    assert clean_text("ascii\x1b(Bcharset") == "asciicharset"  # ESC ( B (tput sgr0's tail) goes whole


@pytest.mark.parametrize(
    ("raw", "folded"),
    [("Perú", "peru"), ("ÉTAT de l’ÉCOLE", "etat de l’ecole"), ("ﬁnance", "finance"), ("Straße", "strasse"),
     ("São Tomé", "sao tome"), ("", ""), (None, ""), ("plain ASCII", "plain ascii")],
)  # fmt: skip
def test_fold_ignores_case_and_accents(raw, folded):
    assert fold(raw) == folded


def _multiline_by_substitution(s: str, cap: int = MULTILINE_CAP) -> str:
    """`clean_multiline` without its already-clean shortcut (the substitutions always run)."""
    from ogptui import clean

    if not s:
        return ""
    if len(s) > cap * 4 + 1000:
        s = s[: cap * 4 + 1000]
    s = clean._LINE_BREAKS.sub("\n", s)
    s = clean._strip_controls(s)
    s = clean._SPACES.sub(" ", s)
    s = "\n".join(line.strip() for line in s.split("\n"))
    s = clean._BLANK_RUNS.sub("\n\n", s).strip()
    return s[:cap].rstrip() if len(s) > cap else s


@given(st.text(alphabet=st.sampled_from(list("ab \n\t\r\x0b\x0c\x85\u2028\u2029\xa0\u3000\x1b[31m\x07\x9b\u202e\x1c")),
               max_size=40),
       st.integers(min_value=1, max_value=30))  # fmt: skip
@settings(max_examples=3000, deadline=None)
def test_multiline_shortcut_gives_what_the_substitutions_give(raw: str, cap: int) -> None:
    assert clean_multiline(raw, cap) == _multiline_by_substitution(raw, cap)
    assert clean_multiline(raw) == _multiline_by_substitution(raw)


@pytest.mark.parametrize(
    "raw",
    ["a b\n\nc", " a", "a ", "a\n\n\nb", "\na", "a\n", "a  b", "a\tb", "a\xa0b", "a\r\nb", "a\u2028b", "a \nb",
     "a\n b", "x" * 50],
)  # fmt: skip
def test_multiline_shortcut_at_each_rule(raw: str) -> None:
    """Each thing the substitutions change (and the cap, on either side of it) gives the same result with
    the shortcut; text that is already clean comes back as it is."""
    assert clean_multiline(raw, 20) == _multiline_by_substitution(raw, 20)
    assert clean_multiline(raw, len(raw)) == _multiline_by_substitution(raw, len(raw))
    assert clean_multiline(raw, len(raw) - 1) == _multiline_by_substitution(raw, len(raw) - 1)
    clean = "a b\n\nc"
    assert clean_multiline(clean) is clean
