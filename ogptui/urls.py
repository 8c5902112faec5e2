"""The one URL validator, and the redirect rule (same site, never a downgrade from https to http).

A leaf module (standard library only): the settings rules, the HTTP client and the mirror all use it, and
importing it costs nothing at start-up.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote, urlsplit

DEFAULT_EXAMPLE = "https://www.opengovpartnership.org"
_DEFAULT_PORTS = {"http": 80, "https": 443}


def slug_problem(slug: str) -> str | None:
    """Why `slug` cannot be a member slug as it appears in `/members/<slug>/` (None: it can): it must be
    lower case, at most 200 characters, with no space, control character, `/`, `?`, `#` or backslash."""
    if not slug:
        return "it is empty"
    if len(slug) > 200:
        return "it is longer than 200 characters"
    if slug != slug.lower():
        return "it is not lower case"
    if any(ch.isspace() or not ch.isprintable() or ch in "/?#\\" for ch in slug):
        return "it holds a space, a control character or one of / ? # \\"
    return None


def url_problem(url: object, example: str = DEFAULT_EXAMPLE) -> str | None:
    """Why `url` is not a usable http(s) address (a phrase such as "has an invalid port"), or None."""
    if not isinstance(url, str):
        return f"is not an http(s) address such as {example}"
    value = url.strip()
    if not value or any(ord(c) < 33 or 127 <= ord(c) < 160 or c.isspace() or not c.isprintable() for c in value):
        return "contains spaces or control characters"
    try:
        parts = urlsplit(value)
        port = parts.port  # raises ValueError for a bad port
    except ValueError:  # a bad port, or a broken [IPv6] host
        return "has an invalid port or host"
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return f"is not an http(s) address such as {example}"
    if port == 0:
        return "has an invalid port or host"
    return None


def validate_base_url(url: str, *, what: str = "source URL", example: str = DEFAULT_EXAMPLE) -> str:
    """`url` stripped of surrounding spaces and a trailing slash; ValueError (one sentence) unless it is
    http(s) with a host, a valid port and no spaces or control characters.

    Used for `--source`, the `source` setting, `--mirror` and every absolute URL a Source is asked for.
    """
    problem = url_problem(url, example)
    if problem:
        raise ValueError(f"{what} {url!r} {problem}")
    return url.strip().rstrip("/")


def host_of(url: str) -> str:
    """`host[:port]` of a URL, for messages."""
    return urlsplit(url).netloc


def _origin(url: str) -> tuple[str, str, int | None]:
    p = urlsplit(url)
    scheme = p.scheme.lower()
    try:
        port = p.port or _DEFAULT_PORTS.get(scheme)
    except ValueError:
        port = None
    return scheme, (p.hostname or "").lower(), port


def same_site(a: str, b: str) -> bool:
    """Same scheme, host and port."""
    return _origin(a) == _origin(b)


def redirect_refusal(current: str, target: str) -> str | None:
    """Why a redirect from `current` to `target` must not be followed (None: follow it).

    Followed: the same scheme, host and port, or an upgrade from http to https on the same host (default
    ports). Refused: any other host or port, a downgrade from https to http, a scheme that is not http(s).
    """
    old, new = _origin(current), _origin(target)
    if new[0] not in ("http", "https") or not new[1]:
        return f"redirected to an address that is not http(s): {target}"
    if old[0] == "https" and new[0] == "http":
        return f"refused a redirect from https to plain http ({target})"
    if old == new:
        return None
    upgrade = old[0] == "http" and new[0] == "https" and old[2] == 80 and new[2] == 443
    if upgrade and old[1] == new[1]:
        return None
    return f"refused a redirect to another site ({host_of(target)})"


_SLUG_STRIP = re.compile(r"[^a-z0-9]+")
_DOCUMENT_PATH = re.compile(r"^(?:/(?:es|fr))?/documents/([^/?#]+)/?$", re.I)


def slug_of(name: str) -> str:
    """`Elgeyo Marakwet, Kenya` → `elgeyo-marakwet-kenya`; `Perú` → `peru` (accents dropped, at most 120)."""
    if not name.isascii():
        name = name.replace("œ", "oe").replace("Œ", "OE")
        name = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return _SLUG_STRIP.sub("-", name.lower()).strip("-")[:120]


def document_slug(url: str | None, page_url: str | None = None) -> str | None:
    """The slug of a document page link (`/documents/<slug>/`, also under `/es/` or `/fr/`), else None.

    With `page_url`, a link to another host than the page's own is not a document of this site (None).
    The member parser, the document parser and the store all key documents by this one function.
    """
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    m = _DOCUMENT_PATH.match(parts.path or "")
    if not m:
        return None
    if page_url and parts.netloc:
        try:
            here = urlsplit(page_url).netloc.lower()
        except ValueError:
            return None
        if here and parts.netloc.lower() != here:
            return None
    return slug_of(unquote(m.group(1))) or None
