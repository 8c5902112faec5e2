"""Property tests: truncated or mutated pages never raise anything but PageRejected, never give a nameless member."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ogptui.parse as parse_pkg
from ogptui.clean import clean_text
from ogptui.model import Member, PageRejected, validate_member
from ogptui.parse import parse_page
from ogptui.parse.member import SECTION_INDEX
from ogptui.vocab import norm

PAGES = Path(__file__).parent / "fixtures" / "pages"
FIXTURES = sorted(p.name for p in PAGES.iterdir() if p.suffix in (".txt", ".html"))
CONTENT = {name: (PAGES / name).read_text(encoding="utf-8") for name in FIXTURES}
URLS = [
    None,
    "https://www.opengovpartnership.org/members/zembla/",
    "https://example.org/es/members/x/commitments/ZB0001/",
]

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# Characters that are likely to upset a parser: escapes, controls, bidi, markup, separators, digits.
NASTY = st.sampled_from(
    list("\x00\x07\x1b\x9b\x9d\u202e\u2066\u200b\ufeff\xa0\n\r\t <>/&;:,.()[]•–-0123456789")
    + [
        "\x1b[31m",
        "\x1b]8;;http://x\x07",
        "<li>",
        "</ol>",
        "  1. ",
        "Action Plan ",
        "Resources\n",
        "(ZB0001)",
        "@",
    ]
)


@pytest.fixture(autouse=True)
def _strict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse_pkg, "STRICT", True)  # a parser bug must show up as itself, not as PageRejected


def check(content: str | bytes, url: str | None) -> None:
    try:
        record = parse_page(content, url=url)
    except PageRejected as err:
        assert isinstance(err.reason, str) and err.reason
        return
    if isinstance(record, Member):
        assert record.name.strip(), "a member without a name was returned"
        assert validate_member(record) == []
        texts = [record.name, *(c.name for c in record.contacts), *(r.title for r in record.resources)]
        assert all(t == clean_text(t) for t in texts), "uncleaned text reached a record"


@SETTINGS
@given(name=st.sampled_from(FIXTURES), cut=st.floats(0, 1), url=st.sampled_from(URLS))
def test_truncation(name: str, cut: float, url: str | None) -> None:
    text = CONTENT[name]
    check(text[: int(len(text) * cut)], url)


@pytest.mark.slow
@SETTINGS
@given(name=st.sampled_from(FIXTURES), data=st.data(), url=st.sampled_from(URLS))
def test_char_mutations(name: str, data: st.DataObject, url: str | None) -> None:
    text = list(CONTENT[name])
    for _ in range(data.draw(st.integers(1, 25), label="edits")):
        op = data.draw(st.sampled_from(["insert", "delete", "swap", "replace"]), label="op")
        i = data.draw(st.integers(0, max(len(text) - 1, 0)), label="at")
        if op == "insert":
            text[i:i] = list(data.draw(st.one_of(NASTY, st.text(max_size=4)), label="what"))
        elif op == "delete" and text:
            del text[i : i + data.draw(st.integers(1, 200), label="span")]
        elif op == "swap" and len(text) > 1:
            j = data.draw(st.integers(0, len(text) - 1), label="with")
            text[i], text[j] = text[j], text[i]
        elif text:
            text[i] = data.draw(st.characters(), label="char")
    check("".join(text), url)


@SETTINGS
@given(name=st.sampled_from(FIXTURES), data=st.data())
def test_byte_mutations(name: str, data: st.DataObject) -> None:
    raw = bytearray(CONTENT[name].encode("utf-8"))
    for _ in range(data.draw(st.integers(1, 20), label="edits")):
        i = data.draw(st.integers(0, max(len(raw) - 1, 0)), label="at")
        op = data.draw(st.sampled_from(["insert", "delete", "flip"]), label="op")
        if op == "insert":
            raw[i:i] = data.draw(st.binary(min_size=1, max_size=6), label="bytes")
        elif op == "delete" and raw:
            del raw[i : i + data.draw(st.integers(1, 64), label="span")]
        elif raw:
            raw[i] ^= data.draw(st.integers(1, 255), label="mask")
    check(bytes(raw), None)


@settings(max_examples=80, deadline=None)
@given(content=st.one_of(st.text(max_size=300), st.binary(max_size=300)), url=st.sampled_from(URLS))
def test_arbitrary_input(content: str | bytes, url: str | None) -> None:
    check(content, url)


def test_member_names_survive_hostile_markup() -> None:
    hostile = CONTENT["riverton-local.txt"].replace(
        "Riverton, Zembla", "\x1b]0;x\x07[bold]Riverton\u202e[/bold], Zembla"
    )
    m = parse_page(hostile)
    assert isinstance(m, Member)
    assert m.name == "[bold]Riverton[/bold], Zembla"


# --------------------------------------------------------------------------------- issue 15: headings

SHAPES = PAGES / "shapes"
_HEADING_TAG = re.compile(r"<h([1-6])\b[^>]*>.*?</h\1>", re.S | re.I)
MEMBER_FIXTURES = [
    PAGES / "peru.txt",
    PAGES / "peru-wordpress.html",
    PAGES / "peru-semantic.html",
    PAGES / "riverton-local.txt",
    PAGES / "valmora-truncated.txt",
    PAGES / "zembla-commitments.html",
    *sorted(
        p
        for p in SHAPES.iterdir()
        if p.suffix in (".txt", ".html") and not p.name.startswith(("commitment-", "document-"))
    ),
]
MEMBER_URLS = {
    "peru": "https://www.opengovpartnership.org/members/peru/",
    "zembla-commitments": "https://www.opengovpartnership.org/members/zembla/",
}


def _headings(text: str, html: bool) -> list[tuple[int, int]]:
    """Spans of the page's headings: heading elements in HTML; section-label lines in a text rendering."""
    if html:
        return [m.span() for m in _HEADING_TAG.finditer(text)]
    spans = []
    pos = 0
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        stripped = line.strip()
        is_label = stripped and len(stripped) <= 90 and norm(stripped) in SECTION_INDEX
        # the name heading: the line above the `• Member Since` bullet (a blank line between)
        is_name = i + 2 < len(lines) and lines[i + 2].strip().startswith("• Member Since")
        if is_label or (stripped and is_name):
            spans.append((pos, pos + len(line)))
        pos += len(line)
    return spans


def _counts(content: str, url: str | None) -> tuple[int, int]:
    m = parse_page(content, url=url, kind="member")
    assert isinstance(m, Member)
    return len(m.commitments), len(m.resources)


@pytest.mark.parametrize("path", MEMBER_FIXTURES, ids=lambda p: p.name)
def test_fixture_has_headings_to_remove(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert _headings(text, path.suffix == ".html"), f"{path.name} has no heading to remove"


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_removing_one_heading_keeps_the_lists(data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(MEMBER_FIXTURES), label="fixture")
    text = path.read_text(encoding="utf-8")
    html = path.suffix == ".html"
    url = next((u for k, u in MEMBER_URLS.items() if path.name.startswith(k)), None) if html else None
    if html and url is None:
        slug = path.name.split("-")[0]
        url = f"https://www.opengovpartnership.org/members/{slug}/"
    before = _counts(text, url)
    a, b = data.draw(st.sampled_from(_headings(text, html)), label="heading")
    assert _counts(text[:a] + text[b:], url) == before
