"""Issue 12.5: deeply nested or huge HTML is bounded before the HTML parser, read up to the cap, and warned.

No timings are asserted here (speed belongs in bench/parse_bench.py); a generous timeout catches a
return of the quadratic behaviour (50,000 nested divs took 9.4 s before the cap).
"""

from __future__ import annotations

import pytest

import ogptui.parse as parse_pkg
from ogptui.model import DocumentPage, Member
from ogptui.parse import parse_page
from ogptui.parse.blocks import BLOCKS_WARNING, DEPTH_WARNING, MAX_BLOCKS, MAX_DEPTH, TAGS_WARNING, parse_html
from ogptui.parse.nesting import FAST_TAGS, MAX_TAG_DEPTH, cap_markup

URL = "https://www.opengovpartnership.org/members/zembla/"


@pytest.fixture(autouse=True)
def _strict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse_pkg, "STRICT", True)


def member_page(inner: str) -> str:
    return (
        "<html><head><title>Zembla | Open Government Partnership</title></head><body><main>"
        "<h1>Zembla</h1><ul><li>Member Since 2014</li><li>Action Plan 3</li></ul>"
        f"<h2>Resources</h2><ol><li><a href='/documents/a/'>Zembla Action Plan 2022-2024</a>"
        f"<div>2022, Action Plan, Web page</div></li></ol>{inner}<h2>Recent Posts</h2></main></body></html>"
    )


@pytest.mark.timeout(240)
@pytest.mark.parametrize("n", [25_000, 50_000])
def test_deeply_nested_divs_parse_with_a_warning(n: int) -> None:
    page = member_page("<div>" * n + "deep text" + "</div>" * n + "<p>after the deep block</p>")
    m = parse_page(page, url=URL)
    assert isinstance(m, Member)
    assert (m.name, m.member_since, m.action_plan) == ("Zembla", 2014, 3)
    assert [r.title for r in m.resources] == ["Zembla Action Plan 2022-2024"]
    assert m.warnings[0] == DEPTH_WARNING
    blocks = parse_html(page).blocks
    assert any("deep text" in b.text for b in blocks)  # read as text, not lost
    assert any(b.text == "after the deep block" for b in blocks)


@pytest.mark.timeout(240)
@pytest.mark.parametrize(
    ("name", "inner", "deep"),
    [
        ("nested lists", "<ul><li>" * 20_000 + "x", True),
        ("svg with stray end tags", "<svg>" + "<g>" * 20_000 + "</x>" * 20_000 + "</svg>", True),
        ("mathml with stray end tags", "<math>" + "<mrow>" * 20_000 + "</x>" * 20_000 + "</math>", True),
        ("stray end tags between divs", "<span><div></span>" * 20_000, True),
        ("unclosed formatting elements", "<b>" * 20_000 + "<p>x</p>" * 100, True),
        ("a select of many options", "<select>" + "<option>x</option>" * 20_000 + "</select>", False),
        ("flat unclosed list items", "<ul>" + "<li>x" * 20_000 + "</ul>", False),
        ("flat unclosed paragraphs", "<p>x" * 20_000, False),
    ],
)
def test_hostile_shapes_parse(name: str, inner: str, deep: bool) -> None:
    m = parse_page(member_page(inner), url=URL)
    assert isinstance(m, Member) and m.name == "Zembla", name
    assert (DEPTH_WARNING in m.warnings) is deep, name


def test_ordinary_pages_are_untouched() -> None:
    html = member_page("<div><p>x</p><ul><li>y<li>z</ul><table><tr><td>1<td>2</table></div>" * 500)
    assert html.count("<") > FAST_TAGS  # scanned
    capped = cap_markup(html)
    assert capped.html is html and capped.dropped == 0 and capped.cut_at_tags is None
    assert capped.max_depth < 10
    warnings = parse_page(html, url=URL).warnings
    assert not {DEPTH_WARNING, TAGS_WARNING, BLOCKS_WARNING} & set(warnings)


@pytest.mark.parametrize(("depth", "dropped"), [(20, 0), (21, 1), (25, 5)])
def test_depth_cap_edges(depth: int, dropped: int) -> None:
    html = "<div>" * depth + "text" + "</div>" * depth
    capped = cap_markup(html, max_depth=20, fast_tags=0)
    assert (capped.dropped, capped.max_depth) == (dropped, min(depth, 20))
    assert capped.html == "<div>" * min(depth, 20) + "text" + "</div>" * min(depth, 20)


def test_fast_gate_edges() -> None:
    at_gate = "<i>" * FAST_TAGS
    assert cap_markup(at_gate).max_depth == 0  # not scanned: cannot be slow to parse
    over = at_gate + "<i>"
    assert cap_markup(over).max_depth == MAX_TAG_DEPTH  # scanned, and capped


@pytest.mark.parametrize(("tags", "cut"), [(10, None), (11, 10)])
def test_tag_count_cap_edges(tags: int, cut: int | None) -> None:
    html = "<p>x</p>" * (tags // 2) + "<br>" * (tags % 2)
    capped = cap_markup(html, max_tags=10, fast_tags=0, max_depth=5)
    assert capped.cut_at_tags == cut
    assert capped.html == (html if cut is None else "<p>x</p>" * 5)


def test_tag_cap_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    import ogptui.parse.blocks as blocks_mod

    monkeypatch.setattr(blocks_mod, "cap_markup", lambda h: cap_markup(h, max_tags=200, fast_tags=0))
    m = parse_page(member_page("<p>filler</p>" * 200), url=URL)
    assert TAGS_WARNING in m.warnings and m.name == "Zembla"


@pytest.mark.parametrize(
    "hidden",
    [
        "<!-- " + "<div>" * 50 + " -->",
        "<script>var s = '" + "<div>" * 50 + "';</script>",
        "<style>/* " + "<div>" * 50 + " */</style>",
        "<textarea>" + "<div>" * 50 + "</textarea>",
        "<a title='" + "<div>" * 50 + "'>x</a>",
        '<a title="' + "<div>" * 50 + '">x</a>',
        "<!x " + "<div" * 50 + ">",
    ],
)
def test_tags_that_are_not_tags_are_not_counted(hidden: str) -> None:
    capped = cap_markup("<main>" + hidden + "</main>", max_depth=10, fast_tags=0)
    assert capped.dropped == 0 and capped.max_depth <= 2


@pytest.mark.parametrize(
    "hiding",
    [
        "<!-- " + "</div>" * 30 + " -->",  # end tags inside a comment close nothing
        "<script>'" + "</div>" * 30 + "'</script>",
        "<!x " + "</div" * 30 + ">",  # a bogus comment ends at the first >
        "<img alt='" + "</div>" * 30 + "'>",
        "</span>" * 30,  # end tags the tree builder ignores
    ],
)
def test_hidden_end_tags_do_not_lower_the_depth(hiding: str) -> None:
    html = ("<div>" + hiding) * 30
    capped = cap_markup(html, max_depth=20, fast_tags=0)
    assert capped.max_depth == 20 and capped.dropped == 10


def test_self_closing_only_counts_in_svg() -> None:
    icons = "<svg>" + "<path d='M0 0'/>" * 100 + "</svg>"
    assert cap_markup(icons, max_depth=20, fast_tags=0).dropped == 0
    html_divs = "<div/>" * 100  # `/>` means nothing on an HTML element: these nest
    assert cap_markup(html_divs, max_depth=20, fast_tags=0).dropped == 80


def test_blocks_cap_edges() -> None:
    at_cap = "<html><body>" + "<p>x</p>" * MAX_BLOCKS + "</body></html>"
    page = parse_html(at_cap)
    assert (len(page.blocks), page.warnings) == (MAX_BLOCKS, [])
    over = "<html><body>" + "<p>x</p>" * (MAX_BLOCKS + 1) + "</body></html>"
    page = parse_html(over)
    assert (len(page.blocks), page.warnings) == (MAX_BLOCKS, [BLOCKS_WARNING])


def test_walker_depth_edges() -> None:
    # Below the fast gate nothing is dropped: the walker itself reads deeper elements as text.
    inside = "<div>" * MAX_DEPTH + "<p>one</p>" + "</div>" * MAX_DEPTH
    assert parse_html(f"<html><body>{inside}</body></html>").warnings == []
    deeper = "<div>" * (MAX_DEPTH + 2) + "<p>one</p><p>two</p>" + "</div>" * (MAX_DEPTH + 2)
    page = parse_html(f"<html><body>{deeper}</body></html>")
    assert page.warnings == [DEPTH_WARNING]
    assert [b.text for b in page.blocks] == ["onetwo"]


@pytest.mark.timeout(240)
def test_document_page_over_the_cap_keeps_its_title() -> None:
    html = (
        "<html><body><h1>Zembla Action Plan Review 2022-2024</h1><p>Type of report: Design</p>"
        + "<div>" * 30_000
        + "x"
        + "</div>" * 30_000
        + "</body></html>"
    )
    d = parse_page(html, url="https://www.opengovpartnership.org/documents/zembla-review/")
    assert isinstance(d, DocumentPage)
    assert d.title == "Zembla Action Plan Review 2022-2024" and d.warnings[0] == DEPTH_WARNING
