"""Bound the markup before the HTML parser sees it: nesting depth and number of tags.

Lexbor (like every HTML5 tree builder) walks the stack of open elements when a block tag opens, so
50,000 nested `<div>` cost it quadratic time (seconds). `cap_markup` runs first: one linear pass over the
tags that follows the tree builder's rules closely enough to know the depth of its stack: implied end tags
(`p`, `li`, `dt`/`dd`, table parts, `option`, headings, `a`), end tags ignored where the builder ignores
them, void elements, `/>` only inside SVG/MathML, comments and script/style text skipped. Start tags that
would open deeper than `MAX_TAG_DEPTH` are removed together with their end tags (their text stays), and a
page with more than `MAX_TAGS` tags is cut before the first tag over the cap.

The pass errs only towards a deeper stack than the builder's (its searches down the stack are bounded; when
unsure it does not pop), so whatever it lets through nests no deeper than the cap. Its cost is linear: one
regular-expression scan and a few dictionary operations per tag.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

MAX_TAG_DEPTH = 300  # well over real pages (WordPress/Elementor pages nest ~40 deep)
MAX_TAGS = 250_000  # a 1 MB page of ordinary markup has ~30,000
# Pages with at most this many `<` skip the pass: whatever their shape, lexbor parses them in ~25 ms at
# worst (measured on the dev machine: 2,000 nested div/section/ul-li/dl, SVG or MathML with stray end tags,
# a select of 2,000 options), while the pass costs about 2× lexbor's own parse of a normal page.
FAST_TAGS = 2_000
_SEARCH = 48  # how far down the stack an implied or explicit end tag is looked for

# One match per token, in the tokenizer's own order: a tag with its attributes (quoted values may hold `>`
# or `<`), a comment, a bogus comment (`<!x>`, `<?x>`, `</ x>`), or a raw-text element's start tag, whose
# text is then skipped up to its end tag. Possessive quantifiers keep every alternative linear.
_ATTRS = r"""(?:[\t\n\f\r /]++|[^\t\n\f\r />][^\t\n\f\r /=>]*+(?:[\t\n\f\r ]*+=[\t\n\f\r ]*+(?:"[^"]*+"|'[^']*+'|[^\t\n\f\r >]*+))?)*+"""
_TOKEN = re.compile(
    rf"""<(?:
        (/?)([a-zA-Z][^\t\n\f\r />]*+){_ATTRS}(?:>|\Z)
      | (!--)
      | [!?][^>]*+>?
      | /(?![a-zA-Z>])[^>]*+>?
    )""",
    re.X,
)


def _names(words: str) -> frozenset[str]:
    return frozenset(words.split())


_COMMENT_END = re.compile(r"--!?>")
_RAW = frozenset({"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes"})
_RAW_END = {name: re.compile(rf"</{name}[\t\n\f\r />]", re.I) for name in _RAW}
_SELECT_END = re.compile(r"</select[\t\n\f\r />][^>]*+>?", re.I)
_VOID = _names(
    "area base basefont bgsound br col embed frame hr image img input keygen link meta param source track "
    "wbr script style textarea title xmp iframe noembed noframes"  # raw-text names: see above
)
_IGNORED = frozenset({"html", "head", "body"})  # merged into the existing elements, never nested
_FOREIGN = frozenset({"svg", "math"})
# HTML tags that break out of SVG/MathML (there `/>` is ignored again, as in HTML).
_BREAKOUT = _names(
    "b big blockquote body br center code dd div dl dt em embed h1 h2 h3 h4 h5 h6 head hr i img li listing "
    "menu meta nobr ol p pre ruby s small span strong strike sub sup table tt u ul var"
)
_SCOPE = _names("applet caption html table td th marquee object template")
_BUTTON_SCOPE = _SCOPE | {"button"}
_TABLE_SCOPE = _names("html table template")
# End tag → the elements that stop the search for its element (its "scope" in the HTML standard).
_END_SCOPE = {
    **dict.fromkeys(("table", "tbody", "thead", "tfoot", "tr", "td", "th", "caption"), _TABLE_SCOPE),
    "p": _BUTTON_SCOPE,
    "li": _SCOPE | {"ol", "ul"},
}
# Start tags that close an open <p>.
_CLOSES_P = _names(
    "address article aside blockquote center details dialog dir div dl fieldset figcaption figure footer "
    "form h1 h2 h3 h4 h5 h6 header hgroup hr main menu nav ol p pre section summary table ul li dd dt "
    "listing plaintext search xmp"
)
_HEADINGS = _names("h1 h2 h3 h4 h5 h6")
_TABLE_PARTS = frozenset({"tbody", "thead", "tfoot", "tr", "td", "th"})
# Start tag → (open elements it closes, elements that stop the search for them).
_IMPLIED = {
    "li": (frozenset({"li"}), _SCOPE | {"ol", "ul"}),
    "dt": (frozenset({"dt", "dd"}), _SCOPE | {"dl"}),
    "dd": (frozenset({"dt", "dd"}), _SCOPE | {"dl"}),
    "option": (frozenset({"option"}), frozenset({"select", "datalist", "optgroup"})),
    "optgroup": (frozenset({"option", "optgroup"}), frozenset({"select"})),
    "td": (frozenset({"td", "th"}), frozenset({"tr", "table", "html", "template"})),
    "th": (frozenset({"td", "th"}), frozenset({"tr", "table", "html", "template"})),
    "tr": (
        frozenset({"tr", "td", "th"}),
        frozenset({"table", "tbody", "thead", "tfoot", "html", "template"}),
    ),
    "tbody": (_TABLE_PARTS, frozenset({"table", "html"})),
    "thead": (_TABLE_PARTS, frozenset({"table", "html"})),
    "tfoot": (_TABLE_PARTS, frozenset({"table", "html"})),
    "a": (frozenset({"a"}), frozenset()),
    "nobr": (frozenset({"nobr"}), frozenset()),
}
# Elements that stop an end tag for a non-special element ("any other end tag" in the HTML standard).
_SPECIAL = _names(
    "address applet area article aside base basefont bgsound blockquote body br button caption center col "
    "colgroup dd details dir div dl dt embed fieldset figcaption figure footer form frame frameset h1 h2 h3 "
    "h4 h5 h6 head header hgroup hr html iframe img input keygen li link listing main marquee menu meta nav "
    "noembed noframes noscript object ol p param plaintext pre script search section select source style "
    "summary table tbody td template textarea tfoot th thead title tr track ul wbr xmp"
)


@dataclass(slots=True)
class Capped:
    """The markup to parse, and what the pass did to it."""

    html: str
    dropped: int = 0  # start tags removed for depth (their end tags went with them)
    cut_at_tags: int | None = None  # the page was cut before this tag (counted from 1)
    max_depth: int = 0  # deepest stack of open elements the pass saw (after the cap)


def cap_markup(
    html: str, max_depth: int = MAX_TAG_DEPTH, max_tags: int = MAX_TAGS, fast_tags: int = FAST_TAGS
) -> Capped:
    """Remove tags nested deeper than `max_depth`, cut the page after `max_tags` tags (linear time).

    A page with at most `fast_tags` (or `max_depth`) `<` characters is returned as it is.
    """
    out = Capped(html)
    if html.count("<") <= max(max_depth, fast_tags):
        return out
    drops, cut, out.max_depth = _simulate(html, max_depth, max_tags)
    if not drops and cut is None:
        return out
    parts: list[str] = []
    pos = 0
    for a, b in drops:
        parts.append(html[pos:a])
        pos = b
    parts.append(html[pos : cut if cut is not None else len(html)])
    out.html = "".join(parts)
    out.dropped = sum(1 for a, _ in drops if html[a + 1] != "/" and html[a : a + 7].lower() != "<select")
    out.cut_at_tags = max_tags if cut is not None else None
    return out


def _simulate(  # noqa: C901 - one dispatch over token kinds, kept in one loop for speed
    html: str, max_depth: int, max_tags: int
) -> tuple[list[tuple[int, int]], int | None, int]:
    """Spans to remove (start tags over the depth cap and their end tags), where to cut, deepest stack."""
    stack: list[str] = []
    count: dict[str, int] = {}
    pending: dict[str, int] = {}  # removed start tags per name whose end tag is still to come
    drops: list[tuple[int, int]] = []
    foreign = 0
    deepest = 0
    tags = 0
    skip_to = 0
    get = count.get

    def find(name: str | None, names: Collection[str] | None, stop: Collection[str]) -> int | None:
        """Index of the nearest open `name` (or one of `names`), searched down to a `stop` element; bounded."""
        for i in range(len(stack) - 1, max(-1, len(stack) - 1 - _SEARCH), -1):
            n = stack[i]
            if n == name or (names is not None and n in names):
                return i
            if n in stop:
                return None
        return None

    def pop_to(i: int) -> None:
        nonlocal foreign
        for name in stack[i:]:
            count[name] -= 1
            if name in _FOREIGN:
                foreign -= 1
        del stack[i:]

    for m in _TOKEN.finditer(html):
        start = m.start()
        if start < skip_to:
            continue
        slash, name, comment = m.groups()
        if name is None:
            if comment:
                end = _COMMENT_END.search(html, m.end() - 1 if html.startswith("<!-->", start) else m.end())
                if end is None:
                    break  # the rest of the page is a comment
                skip_to = end.end()
            continue
        tags += 1
        if tags > max_tags:
            return drops, start, deepest
        name = name.lower()
        if slash:
            if pending and pending.get(name):
                pending[name] -= 1
                drops.append(m.span())
            elif stack and stack[-1] == name:  # the common case
                stack.pop()
                count[name] -= 1
                if name in _FOREIGN:
                    foreign -= 1
            elif get(name) and name not in _IGNORED:
                i = find(name, None, _END_SCOPE.get(name, _SCOPE) if name in _SPECIAL else _SPECIAL)
                if i is not None:
                    pop_to(i)
            continue
        if name in _VOID or name in _IGNORED:
            if name in _RAW:
                end = _RAW_END[name].search(html, m.end())
                if end is None:
                    break  # the rest of the page is the element's text
                skip_to = end.start()
            continue
        if name == "plaintext":
            break
        if name == "select":  # lexbor is quadratic in a select's options; the walker drops selects anyway
            end = _SELECT_END.search(html, m.end())
            stop = end.end() if end is not None else len(html)
            drops.append((start, stop))
            skip_to = stop
            continue
        if foreign and name not in _BREAKOUT and html[m.end() - 2] == "/":
            continue  # a self-closing SVG/MathML element
        if stack:
            if name in _CLOSES_P and get("p"):
                i = find("p", None, _BUTTON_SCOPE)
                if i is not None:
                    pop_to(i)
            if name in _HEADINGS and stack and stack[-1] in _HEADINGS:
                pop_to(len(stack) - 1)
            rule = _IMPLIED.get(name)
            if rule is not None and any(get(n) for n in rule[0]):
                i = find(None, *rule)
                if i is not None:
                    pop_to(i)
        if len(stack) >= max_depth:
            pending[name] = pending.get(name, 0) + 1
            drops.append(m.span())
            continue
        stack.append(name)
        count[name] = get(name, 0) + 1
        if name in _FOREIGN:
            foreign += 1
        if len(stack) > deepest:
            deepest = len(stack)
    return drops, None, deepest
