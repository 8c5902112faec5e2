"""Which page a page says it is: its canonical link (`<link rel="canonical">`) or `og:url`.

Sync compares this with what it asked for, so a page served under another member's address (a redirect,
a mixed-up cache, a CMS error) is never stored under the wrong key. Only the `<head>` is parsed (selectolax
lexbor), so this costs a fraction of the page parse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser

from ogptui.clean import clean_text
from ogptui.parse.common import commitment_id_from_url, member_slug_from_url
from ogptui.urls import document_slug

_HEAD_END = re.compile(r"</head\s*>", re.I)
_HEAD_MAX = 512 * 1024


@dataclass(frozen=True)
class Identity:
    url: str | None = None  # the canonical link, else og:url
    member: str | None = None  # the member slug that URL names
    commitment: str | None = None  # the commitment ID that URL names (upper case)
    document: str | None = None  # the document slug that URL names


def canonical_url(html: str) -> str | None:
    """The page's canonical link, else its `og:url`, else None (also for text renderings)."""
    if not isinstance(html, str) or "<" not in html[:4096]:
        return None
    end = _HEAD_END.search(html, 0, _HEAD_MAX)
    head = html[: end.end()] if end else html[:_HEAD_MAX]
    tree = LexborHTMLParser(head)
    for node in tree.css("link[href]"):
        rel = (node.attributes.get("rel") or "").lower().split()
        if "canonical" in rel:
            href = clean_text(node.attributes.get("href") or "", cap=2000)
            if href:
                return href
    for node in tree.css("meta[content]"):
        if (node.attributes.get("property") or "").lower() == "og:url":
            content = clean_text(node.attributes.get("content") or "", cap=2000)
            if content:
                return content
    return None


def page_identity(html: str) -> Identity:
    url = canonical_url(html)
    if not url:
        return Identity()
    return Identity(
        url=url,
        member=member_slug_from_url(url),
        commitment=commitment_id_from_url(url),
        document=document_slug(url),
    )
