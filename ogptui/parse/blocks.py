"""Stage 1: a page (HTML or text rendering) → a flat list of blocks.

Only tags, structure and visible text are used, never CSS class names. All text is cleaned here.
(Over 400 lines: the HTML walker and the text-rendering reader are the two halves of stage 1, which must give
the same blocks for the same page; the nesting bound is in nesting.py.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ogptui.clean import clean_text
from ogptui.parse.nesting import MAX_TAGS, cap_markup


@dataclass(slots=True)
class Block:
    """One visible unit of a page.

    kind: "heading" | "paragraph" | "item" | "link". `lines` are the visual lines (a list item's title and
    meta lines; a paragraph's lines; a table row's cells, which are also in `cells`). `links` are the
    (text, href) pairs inside the block, `href` the first of them.
    """

    kind: str
    text: str
    level: int | None = None
    ordinal: int | None = None
    href: str | None = None
    lines: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)
    cells: list[str] | None = None


# ---------------------------------------------------------------------------------------------- HTML

_DROP_TAGS = [
    "script",
    "style",
    "noscript",
    "svg",
    "template",
    "iframe",
    "nav",
    "footer",
    "form",
    "button",
    "select",
    "textarea",
    "input",
    "object",
    "canvas",
    "math",
    "head",
]
_DROP_SELECTORS = (
    "header:has(nav)",
    "[role=navigation]",
    "[role=banner]",
    "[role=contentinfo]",
    "[role=search]",
    "[aria-hidden=true]",
    "[hidden]",
)
_INLINE_TAGS = [
    "span",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "small",
    "abbr",
    "cite",
    "code",
    "mark",
    "q",
    "s",
    "sub",
    "sup",
    "time",
    "font",
    "label",
    "bdi",
    "bdo",
    "dfn",
    "kbd",
    "samp",
    "var",
    "ins",
    "del",
    "big",
    "tt",
    "data",
]
_DROP_QUERY = ", ".join(_DROP_SELECTORS)
_INLINE_QUERY = ", ".join(_INLINE_TAGS)
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "center",
        "details",
        "dialog",
        "div",
        "fieldset",
        "figcaption",
        "figure",
        "header",
        "hgroup",
        "hr",
        "main",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "caption",
        "body",
        "html",
    ]
)
MAX_DEPTH = 150  # deeper elements are read as plain text (their text is kept)
MAX_BLOCKS = 20_000  # a page with more blocks is read up to here


class _Walker:
    """Depth-first walk that turns element structure into blocks.

    `limits` collects which caps the page hit ("depth", "blocks"); item walkers share their parent's.
    """

    def __init__(self, limits: set[str] | None = None) -> None:
        self.blocks: list[Block] = []
        self.buf: list[str] = []
        self.lines: list[str] = []
        self.links: list[tuple[str, str]] = []
        self.limits: set[str] = set() if limits is None else limits

    def flush(self) -> None:
        if self.buf:
            self.lines.append("".join(self.buf))
            self.buf.clear()
        if not self.lines:
            return
        lines = [t for t in (clean_text(x) for x in self.lines if not x.isspace()) if t]
        self.lines = []
        if lines:
            href = self.links[0][1] if self.links else None
            self.blocks.append(Block("paragraph", " ".join(lines), href=href, lines=lines, links=self.links))
            self.links = []
        # else: a link with no text (a rendering that lost its link texts) stays for the next block

    def walk(self, node: LexborNode, depth: int = 0) -> None:  # noqa: C901 - a tag dispatch
        buf = self.buf
        blocks = self.blocks
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                text = child.text_content
                if text and (buf or not text.isspace()):  # leading blanks of a line never matter
                    buf.append(text)
                continue
            if tag == "-comment":
                continue
            if len(blocks) >= MAX_BLOCKS:
                self.limits.add("blocks")
                return
            if depth > MAX_DEPTH:
                self.limits.add("depth")
                buf.append(child.text(deep=True) or "")
            elif tag == "br":
                self.lines.append("".join(buf))
                buf.clear()
            elif tag == "a":
                text = child.text(deep=True) or ""
                href = _href(child)
                buf.append(text)
                if href:
                    self.links.append((clean_text(text), href))
            elif tag in _HEADINGS:
                if buf or self.lines:
                    self.flush()
                text = clean_text(child.text(deep=True))
                if text:
                    a = child.css_first("a[href]")
                    href = _href(a) if a is not None else None
                    links = [(text, href)] if href else []
                    self.blocks.append(
                        Block("heading", text, level=_HEADINGS[tag], href=href, lines=[text], links=links)
                    )
            elif tag in ("ol", "ul", "menu"):
                if buf or self.lines:
                    self.flush()
                self.walk_list(child, ordered=tag == "ol", depth=depth + 1)
            elif tag == "li":
                if buf or self.lines:
                    self.flush()
                self.item(child, None, depth + 1)
            elif tag == "tr":
                if buf or self.lines:
                    self.flush()
                self.row(child)
            elif tag == "dl":
                if buf or self.lines:
                    self.flush()
                self.walk_dl(child, depth + 1)
            elif tag in _BLOCK_TAGS or tag in ("dt", "dd", "td", "th"):
                if buf or self.lines:
                    self.flush()
                first = child.child
                if first is not None and first.tag == "-text" and first.next is None:
                    buf.append(first.text_content or "")  # a leaf: no need to walk
                else:
                    self.walk(child, depth + 1)
                if buf or self.lines:
                    self.flush()
            else:
                self.walk(child, depth + 1)

    def walk_list(self, node: LexborNode, ordered: bool, depth: int) -> None:
        n = _int_attr(node, "start", 1) if ordered else None
        for li in node.iter():
            if li.tag == "li":
                self.item(li, n, depth)
                if n is not None:
                    n += 1
            else:
                self.walk(li, depth)
                self.flush()

    def item(self, li: LexborNode, ordinal: int | None, depth: int) -> None:
        sub = _Walker(self.limits)
        sub.walk(li, depth)
        sub.flush()
        lines: list[str] = []
        links: list[tuple[str, str]] = []
        for b in sub.blocks:
            lines.extend(b.lines)
            links.extend(b.links)
        if lines:
            href = links[0][1] if links else None
            self.blocks.append(Block("item", lines[0], ordinal=ordinal, href=href, lines=lines, links=links))

    def row(self, tr: LexborNode) -> None:
        cells = [clean_text(c.text(deep=True)) for c in tr.iter() if c.tag in ("td", "th")]
        cells = [c for c in cells if c]
        if cells:
            links = [(clean_text(a.text(deep=True)), h) for a in tr.css("a[href]") if (h := _href(a))]
            href = links[0][1] if links else None
            self.blocks.append(
                Block("paragraph", " ".join(cells), href=href, lines=cells, links=links, cells=cells)
            )

    def walk_dl(self, dl: LexborNode, depth: int) -> None:
        term: str | None = None
        for c in dl.iter():
            if c.tag == "dt":
                if term is not None:
                    self.blocks.append(Block("paragraph", term, lines=[term]))
                term = clean_text(c.text(deep=True))
            elif c.tag == "dd":
                value = clean_text(c.text(deep=True))
                if term:
                    sep = " " if term.endswith(":") else ": "
                    text = clean_text(f"{term}{sep}{value}")
                else:
                    text = value
                if text:
                    links = [(clean_text(a.text(deep=True)), h) for a in c.css("a[href]") if (h := _href(a))]
                    href = links[0][1] if links else None
                    self.blocks.append(Block("paragraph", text, href=href, lines=[text], links=links))
                term = None
            else:
                self.walk(c, depth)
                self.flush()
        if term:
            self.blocks.append(Block("paragraph", term, lines=[term]))


def _href(node: LexborNode) -> str | None:
    if node is None:
        return None
    raw = node.attributes.get("href")
    href = clean_text(raw or "", cap=2000)
    if not href or href.startswith("#") or href.lower().startswith(("javascript:", "data:", "vbscript:")):
        return None
    return href


def _int_attr(node: LexborNode, name: str, default: int) -> int:
    try:
        return int(node.attributes.get(name) or default)
    except (TypeError, ValueError):
        return default


@dataclass(slots=True)
class HtmlPage:
    """What the HTML gives besides blocks: the <title>, whether a password field was present, and warnings
    about limits the page hit (too deep, too many tags or blocks: the rest is read as text or not read)."""

    blocks: list[Block]
    title: str = ""
    has_password: bool = False
    warnings: list[str] = field(default_factory=list)


DEPTH_WARNING = (
    f"the page's markup nests more than {MAX_DEPTH} levels deep; what lies deeper was read as plain text"
)
TAGS_WARNING = f"the page has more than {MAX_TAGS:,} tags; only the first {MAX_TAGS:,} were read"
BLOCKS_WARNING = (
    f"the page has more than {MAX_BLOCKS:,} blocks of text; only the first {MAX_BLOCKS:,} were read"
)


def parse_html(html: str) -> HtmlPage:
    """HTML → blocks, plus the page title and a password-form flag (for login-wall detection).

    The markup is first bounded (nesting depth, number of tags: see `nesting.cap_markup`), so the time is
    linear in the page's size whatever its shape.
    """
    capped = cap_markup(html)
    tree = LexborHTMLParser(capped.html)
    title_node = tree.css_first("title")
    title = clean_text(title_node.text(deep=True)) if title_node is not None else ""
    has_password = tree.css_first("input[type=password]") is not None
    # One selector list per step, so the tree is searched once each rather than once per selector or tag (a
    # query costs about as much as walking the whole tree). Chrome is detached, not freed: a match inside
    # another match is then detached from an already detached subtree, which is harmless.
    for n in tree.css(_DROP_QUERY):
        n.decompose(recursive=False)
    tree.strip_tags(_DROP_TAGS)
    # Fewer nodes for the Python walk: inline wrappers go, their text stays.
    for n in tree.css(_INLINE_QUERY):
        n.unwrap()
    tree.merge_text_nodes()
    root = tree.body or tree.root
    walker = _Walker()
    if root is not None:
        walker.walk(root)
        walker.flush()
    warnings = []
    if capped.dropped or "depth" in walker.limits:
        warnings.append(DEPTH_WARNING)
    if capped.cut_at_tags is not None:
        warnings.append(TAGS_WARNING)
    if "blocks" in walker.limits:
        warnings.append(BLOCKS_WARNING)
    return HtmlPage(walker.blocks, title, has_password, warnings)


def html_to_blocks(html: str) -> list[Block]:
    """HTML → blocks, chrome (script/style/nav/footer/svg/forms/header nav) dropped."""
    return parse_html(html).blocks


# ---------------------------------------------------------------------------------------------- text

_HEADER = re.compile(r"^(URL|CAPTURE):\s*(.*)$")
_NUMBERED = re.compile(r"^(\s+)(\d{1,4})[.)]\s+(\S.*)$")
_BULLET = re.compile(r"^(\s*)[•◦▪‣·]\s*(\S.*)$|^(\s+)[-*]\s+(\S.*)$")
_ROW = re.compile(r"\S(?: {2,}|\t+)\S")
_CELL_SPLIT = re.compile(r"(?: {2,}|\t+)")


def capture_header(text: str) -> dict[str, str]:
    """The `URL: …` / `CAPTURE: …` header lines of a text capture, as {"url": …, "capture": …}."""
    out: dict[str, str] = {}
    for line in text.lstrip("\ufeff").split("\n", 3)[:3]:
        m = _HEADER.match(line.strip())
        if m:
            out[m.group(1).lower()] = clean_text(m.group(2))
    return out


def text_to_blocks(text: str) -> list[Block]:
    """Text rendering → blocks: `  1. Title` items with indented meta lines, `  • X` bullets, paragraphs."""
    raw_lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start = 0
    while start < min(len(raw_lines), 3) and _HEADER.match(raw_lines[start].strip()):
        start += 1
    blocks: list[Block] = []
    para: list[str] = []
    item: Block | None = None
    item_indent = 0

    def flush_para() -> None:
        lines = [t for t in (clean_text(x) for x in para) if t]
        if lines:
            blocks.append(Block("paragraph", " ".join(lines), lines=lines))
        para.clear()

    for raw in raw_lines[start:]:
        line = raw.replace("\xa0", " ").expandtabs(4) if "\t" in raw or "\xa0" in raw else raw
        stripped = line.strip()
        if not stripped:
            flush_para()
            continue
        indent = len(line) - len(line.lstrip())
        m = _NUMBERED.match(line)
        b = None if m else _BULLET.match(line)
        if m or b:
            flush_para()
            if m:
                ordinal, first, item_indent = int(m.group(2)), m.group(3), len(m.group(1))
            elif b:
                ordinal, first = None, b.group(2) or b.group(4)
                item_indent = len(b.group(1) or b.group(3) or "")
            first = clean_text(first)
            item = Block("item", first, ordinal=ordinal, lines=[first] if first else [])
            blocks.append(item)
            continue
        if item is not None and indent > item_indent:
            t = clean_text(stripped)
            if t:
                item.lines.append(t)
                if not item.text:
                    item.text = t
            continue
        item = None
        if _ROW.search(stripped):
            flush_para()
            cells = [t for t in (clean_text(c) for c in _CELL_SPLIT.split(stripped)) if t]
            blocks.append(Block("paragraph", " ".join(cells), lines=cells, cells=cells))
            continue
        para.append(stripped)
    flush_para()
    return [b for b in blocks if b.lines]
