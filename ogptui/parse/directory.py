"""Members directory: member links and `Name` + `Joined in YYYY …` blocks → DirectoryPage."""

from __future__ import annotations

import re

from ogptui.clean import clean_text
from ogptui.model import DirectoryEntry, DirectoryPage
from ogptui.parse.blocks import Block
from ogptui.parse.common import (
    flatten,
    is_chrome,
    is_local_name,
    member_slug_from_href,
    origin,
    resolve,
    slugify,
)
from ogptui.parse.labels import IMAGE_ALT_PREFIX, JOINED
from ogptui.vocab import fold

JOINED_RE = re.compile("^(?:" + "|".join(JOINED) + ")")


def parse_directory(blocks: list[Block], *, url: str | None, fetched_at: str | None = None) -> DirectoryPage:
    page = DirectoryPage()
    seen: set[str] = set()
    base = origin(url)

    def add(name: str, slug: str, href: str | None) -> None:
        name = clean_text(name, cap=200)
        if not name or not slug or slug in seen:
            return
        seen.add(slug)
        link = resolve(href, url) if href else (f"{base}/members/{slug}/" if base else None)
        level = "local" if is_local_name(name) else "national"
        page.members.append(DirectoryEntry(name=name, slug=slug, url=link, level=level))

    lines = flatten(blocks)
    for i, line in enumerate(lines):
        for text, href in line.block.links if line.index == 0 else ():
            slug = member_slug_from_href(href)
            if slug and text and not fold(text).startswith(IMAGE_ALT_PREFIX):
                add(text, slug, href)
        if JOINED_RE.match(fold(line.text)) and i > 0:
            prev = lines[i - 1]
            if is_chrome(prev.text) or fold(prev.text).startswith(IMAGE_ALT_PREFIX) or len(prev.text) > 100:
                continue
            link = prev.block.href if member_slug_from_href(prev.block.href) else None
            slug = member_slug_from_href(link) or slugify(prev.text)
            add(prev.text, slug, link)
    if not page.members:
        page.warnings.append("no members found")
    return page
