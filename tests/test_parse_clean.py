"""clean_text / clean_multiline on hostile strings."""

from __future__ import annotations

import pytest

from ogptui.clean import MULTILINE_CAP, SINGLE_LINE_CAP, clean_multiline, clean_text

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
