"""Chrome removal and inline unwrapping in one search of the tree each (issue 19): nested matches (a hidden
element inside a navigation block, inline tags inside inline tags, empty ones) give what one search per
selector or tag gave."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from ogptui.parse.blocks import _DROP_SELECTORS, _DROP_TAGS, _INLINE_TAGS, _Walker, parse_html

NESTED = (
    "<html><head><title>T</title></head><body>"
    "<header><nav><a href='/x'>menu</a></nav>site header</header>"
    "<div role=navigation><div aria-hidden=true><p hidden>hidden in hidden</p></div>nav text</div>"
    "<main><h1>Zembla <small>(member)</small></h1>"
    "<p>a<b><i><span>b</span></i></b>c <em></em>d<strong><em>e</em></strong></p>"
    "<section hidden><div role=banner><p>gone</p></div></section>"
    "<ul><li><span><a href='/members/zembla/'>Zem<b>bla</b></a></span><div>2014, <i>Action</i> Plan</div></li></ul>"
    "<div aria-hidden=true><div aria-hidden=true><div role=search>x</div></div></div>"
    "<p>kept <span><span><span>deep</span></span></span> end</p>"
    "</main><footer><p>footer</p></footer></body></html>"
)


def _one_search_per_selector(html: str) -> list:
    """The way of the first implementation, as the reference."""
    tree = LexborHTMLParser(html)
    for sel in _DROP_SELECTORS:
        for n in tree.css(sel):
            n.decompose()
    tree.strip_tags(_DROP_TAGS)
    tree.unwrap_tags(_INLINE_TAGS)
    tree.merge_text_nodes()
    w = _Walker()
    w.walk(tree.body)
    w.flush()
    return w.blocks


def test_nested_chrome_and_inline_tags_give_the_reference_blocks():
    page = parse_html(NESTED)
    assert page.blocks == _one_search_per_selector(NESTED)
    texts = [b.text for b in page.blocks]
    assert texts == ["Zembla (member)", "abc de", "Zembla", "kept deep end"]
    assert page.blocks[2].lines == ["Zembla", "2014, Action Plan"]
    assert page.title == "T"


def test_every_markup_fixture_gives_the_reference_blocks():
    from pathlib import Path

    fixtures = Path(__file__).parent / "fixtures"
    pages = sorted(fixtures.rglob("*.html"))
    assert pages
    for p in pages:
        html = p.read_text(encoding="utf-8", errors="replace")
        assert parse_html(html).blocks == _one_search_per_selector(html), p.name
