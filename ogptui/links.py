"""Which scraped links may be handed to a browser or the clipboard.

A link opens only if it is `https://` (or has the configured source's scheme and host, so a plain-http mirror
on an office server works), has no control characters, no whitespace and does not start with `-` (a browser
launcher could read it as an option). No Textual here: the CLI and the TUI share it.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit


def check_copy(url: str | None, source: str | None = None) -> tuple[str | None, str]:
    """Like `check_link`, for copying: a cleaned `http://` link may be copied too (pasting text runs
    nothing); other schemes (`javascript:`, `data:`…) and links with control characters may not."""
    safe, reason = check_link(url, source)
    if safe is not None or not url:
        return safe, reason
    try:
        scheme = urlsplit(str(url)).scheme.lower()
    except ValueError:
        return None, reason
    if scheme != "http":
        return None, reason.replace("only https:// links open", "only http:// and https:// links are copied")
    # every other rule of `check_link` still holds: judge the same link as if it were https
    as_https, why = check_link("https" + str(url)[len(scheme) :])
    return (str(url), "") if as_https is not None else (None, why)


def check_link(url: str | None, source: str | None = None) -> tuple[str | None, str]:
    """Return `(url, "")` when the link is safe to open, else `(None, reason)`; reason is one plain sentence."""
    if url is None or not str(url).strip():
        return None, "there is no link"
    url = str(url)
    if url.startswith("-"):
        return None, "the link starts with '-'"
    for ch in url:
        if ch.isspace():
            return None, "the link contains whitespace"
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cf", "Zl", "Zp"):
            return None, "the link contains control characters"
    try:
        parts = urlsplit(url)
    except ValueError:
        return None, "the link is not a valid URL"
    scheme = parts.scheme.lower()
    try:
        host = (parts.hostname or "").lower()
    except ValueError:
        return None, "the link is not a valid URL"
    if not host:
        return None, "the link has no host"
    if scheme == "https":
        return url, ""
    if source:
        try:
            src = urlsplit(source)
            src_host = (src.hostname or "").lower()
            src_port = src.port
            port = parts.port
        except ValueError:
            return None, "the link is not a valid URL"
        if scheme == src.scheme.lower() and host == src_host and port == src_port:
            return url, ""
    return None, f"only https:// links open (this one is {scheme or 'relative'})"


def safe_link(url: str | None, source: str | None = None) -> str | None:
    """The link if it may be opened or copied, else None (see `check_link` for the reason)."""
    return check_link(url, source)[0]
