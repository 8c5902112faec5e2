"""Body decoding with a bounded output size: content-encoding (gzip/deflate) and charset.

httpx would inflate a whole network chunk at once (a 64 KB gzip chunk can hold 64 MB); here every step
yields at most `step` bytes, so the size cap on decoded bytes holds memory to the cap.
"""

from __future__ import annotations

import codecs
import zlib
from collections.abc import Iterator

ACCEPT_ENCODING = "gzip, deflate"


class DecodeError(Exception):
    """The body cannot be decompressed (one sentence)."""


class BodyDecoder:
    def __init__(self, content_encoding: str | None, step: int = 64 * 1024) -> None:
        enc = (content_encoding or "").strip().lower()
        self.step = step
        self._deflate = False
        if enc in ("", "identity"):
            self._z = None
        elif enc in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif enc == "deflate":
            self._z = zlib.decompressobj(zlib.MAX_WBITS)
            self._deflate = True  # servers also send raw deflate; switch on the first error
        else:
            raise DecodeError(f"the page uses an unsupported content encoding ({enc})")
        self._started = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self._z is None:
            for i in range(0, len(data), self.step):
                yield data[i : i + self.step]
            return
        buf = data
        while True:
            try:
                out = self._z.decompress(buf, self.step)
            except zlib.error as e:
                if self._deflate and not self._started:
                    self._z = zlib.decompressobj(-zlib.MAX_WBITS)
                    self._deflate = False
                    continue
                raise DecodeError("the page could not be decompressed") from e
            self._started = True
            buf = self._z.unconsumed_tail
            if out:
                yield out
            if not buf and len(out) < self.step:
                break

    def flush(self) -> bytes:
        if self._z is None:
            return b""
        try:
            return self._z.flush()
        except zlib.error as e:
            raise DecodeError("the page could not be decompressed") from e


def decode_text(data: bytes, charset: str | None) -> tuple[str, int]:
    """Text and the number of replaced invalid sequences (never raises; unknown charsets read as UTF-8)."""
    enc = charset or "utf-8"
    try:
        enc = codecs.lookup(enc).name
    except LookupError:
        enc = "utf-8"
    try:
        return data.decode(enc), 0
    except UnicodeDecodeError:
        text = data.decode(enc, errors="replace")
        legit = data.count(b"\xef\xbf\xbd") if enc == "utf-8" else 0
        return text, max(1, text.count("\ufffd") - legit)
