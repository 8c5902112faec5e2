"""Fault descriptions for the fake site and the bodies some of them send."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from functools import lru_cache

FAULT_KINDS = frozenset(
    {
        "500",
        "503",
        "429",
        "404",
        "410",
        "slow",
        "reset",
        "truncated",
        "oversize",
        "wrong_type",
        "challenge",
        "redirect_loop",
        "invalid_utf8",
        "hang",
        "trickle_body",
        "trickle_headers",
        "redirect",
        "serve_other",
    }
)

MB = 1024 * 1024


@dataclass
class Fault:
    """One fault on a path. `times=None` means until cleared; otherwise it is used up request by request.

    - status faults ("500", "503", "429", "404", "410"): `retry_after` (seconds or an HTTP date string)
    - "slow": `delay` seconds, `where="before"` (before the status line) or `"body"` (after half the body)
    - "reset": `where="before"` (no response at all) or `"mid"` (headers and half the body, then RST)
    - "truncated": Content-Length of the whole page, half of it sent, then the connection is closed
    - "oversize": `size_mb` of HTML; `gzip=True` sends it compressed (small on the wire, big decoded);
      `length=False` sends no Content-Length (body ends when the connection closes)
    - "wrong_type": `content_type` (default application/pdf)
    - "challenge": a Cloudflare-like "Just a moment..." page with `status` (default 503)
    - "redirect_loop": 302 between the path and path?loop=1
    - "invalid_utf8": the real page with invalid UTF-8 bytes in it
    - "hang": the connection is accepted and the request read, then nothing is sent for `delay` seconds
      (default: until the client gives up or the site stops)
    - "trickle_body": the status line and headers at once, then the body one byte every `interval` seconds
    - "trickle_headers": the status line, then header bytes one every `interval` seconds, without end
    - "redirect": `status` (default 301) to `location` (a path on this site or an absolute URL: another
      member, another host, plain http)
    - "serve_other": answers 200 with the page at the path `location` (another member's page under this
      address, without a redirect)
    """

    kind: str
    times: int | None = None
    status: int | None = None
    retry_after: int | float | str | None = None
    delay: float = 1.0
    where: str = "before"
    size_mb: float = 10.0
    gzip: bool = False
    length: bool = True
    content_type: str | None = None
    location: str | None = None
    interval: float = 0.1

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {self.kind!r}; known: {', '.join(sorted(FAULT_KINDS))}")
        if self.kind in ("redirect", "serve_other") and not self.location:
            raise ValueError(f"a {self.kind} fault needs location=")
        if self.kind == "hang" and self.delay == 1.0:
            self.delay = 3600.0  # "until the client gives up"


_FILLER = (
    b'<div class="filler"><p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor '
    b"incididunt ut labore et dolore magna aliqua.</p></div>\n"
)


def oversize_chunks(size: int, chunk: int = 64 * 1024):
    """`size` bytes of HTML, in chunks."""
    head = b"<!DOCTYPE html><html><head><title>Big page</title></head><body>\n"
    block = _FILLER * (chunk // len(_FILLER) + 1)
    yield head[:size]
    sent = min(len(head), size)
    while sent < size:
        part = block[: min(chunk, size - sent)]
        yield part
        sent += len(part)


@lru_cache(maxsize=8)
def oversize_gzip(size: int) -> bytes:
    """The oversize body gzip-compressed (computed once per size)."""
    comp = zlib.compressobj(6, zlib.DEFLATED, 31)
    out = [comp.compress(c) for c in oversize_chunks(size, 1024 * 1024)]
    out.append(comp.flush())
    return b"".join(out)


def wrong_type_body(content_type: str) -> bytes:
    if "pdf" in content_type:
        return b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
    if "json" in content_type:
        return b'{"code":"rest_forbidden","message":"Sorry, you are not allowed to do that.","data":{"status":401}}'
    return b"not a web page\n"
