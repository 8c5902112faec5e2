"""Source.download(resume=True): HTTP ranges for mirror parts (issue 18), against mock transports (no sockets)."""

from __future__ import annotations

import hashlib

import httpx
import pytest

from ogptui.source import FetchError, Source
from tests.test_source import FAST, Chunks

DATA = bytes(range(256)) * 400  # 102,400 bytes


class RangeServer:
    """Serves DATA at /b, honouring `Range: bytes=N-` unless told otherwise; records each request."""

    def __init__(self, *, ranges: bool = True, wrong_start: bool = False, cut_first_at: int | None = None):
        self.ranges, self.wrong_start, self.cut_first_at = ranges, wrong_start, cut_first_at
        self.requests: list[dict[str, str]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(dict(request.headers))
        asked = request.headers.get("range")
        if asked and self.ranges:
            start = int(asked.removeprefix("bytes=").rstrip("-"))
            if start >= len(DATA):
                return httpx.Response(416, headers={"Content-Range": f"bytes */{len(DATA)}"})
            sent = start + 7 if self.wrong_start else start
            body = DATA[sent:]
            headers = {
                "Content-Type": "application/octet-stream",
                "Content-Range": f"bytes {sent}-{len(DATA) - 1}/{len(DATA)}",
                "Content-Length": str(len(body)),
            }
            return httpx.Response(206, headers=headers, stream=Chunks(body, 4096))
        body = DATA
        headers = {"Content-Type": "application/octet-stream", "Content-Length": str(len(DATA))}
        if self.cut_first_at is not None and len(self.requests) == 1:
            return httpx.Response(200, headers=headers, stream=Cut(DATA, self.cut_first_at))
        return httpx.Response(200, headers=headers, stream=Chunks(body, 4096))


class Cut(httpx.AsyncByteStream):
    """A body that breaks off (connection reset) after `at` bytes."""

    def __init__(self, data: bytes, at: int) -> None:
        self.data, self.at = data, at

    async def __aiter__(self):
        yield self.data[: self.at]
        raise httpx.ReadError("connection reset")


async def download(server: RangeServer, dest, **kw):
    async with Source("https://example.invalid", transport=httpx.MockTransport(server), **FAST) as src:
        res = await src.download("/b", dest, resume=True, **kw)
        return res, src.counters.bytes


async def test_resume_asks_for_the_rest_and_hashes_the_whole_file(tmp_path):
    dest = tmp_path / "b"
    dest.write_bytes(DATA[:30_000])
    server = RangeServer()
    res, transferred = await download(server, dest)
    assert server.requests[0]["range"] == "bytes=30000-"
    assert server.requests[0]["accept-encoding"] == "identity"
    assert dest.read_bytes() == DATA
    assert res.sha256 == hashlib.sha256(DATA).hexdigest()
    assert (res.resumed_from, res.nbytes, transferred) == (30_000, len(DATA) - 30_000, len(DATA) - 30_000)


async def test_no_partial_file_means_no_range_header(tmp_path):
    server = RangeServer()
    res, _ = await download(server, tmp_path / "b")
    assert "range" not in server.requests[0] and res.resumed_from == 0 and res.nbytes == len(DATA)


async def test_without_resume_a_partial_file_is_replaced_not_continued(tmp_path):
    dest = tmp_path / "b"
    dest.write_bytes(b"x" * 500)
    server = RangeServer()
    async with Source("https://example.invalid", transport=httpx.MockTransport(server), **FAST) as src:
        res = await src.download("/b", dest)
    assert "range" not in server.requests[0] and dest.read_bytes() == DATA and res.resumed_from == 0


async def test_a_server_without_ranges_answers_200_and_the_partial_file_is_replaced(tmp_path):
    dest = tmp_path / "b"
    dest.write_bytes(b"garbage that is not the start of the file")
    res, _ = await download(RangeServer(ranges=False), dest)
    assert (
        dest.read_bytes() == DATA and res.sha256 == hashlib.sha256(DATA).hexdigest() and res.resumed_from == 0
    )


async def test_a_range_that_starts_elsewhere_drops_the_partial_file_and_starts_over(tmp_path):
    dest = tmp_path / "b"
    dest.write_bytes(DATA[:1000])
    server = RangeServer(wrong_start=True)
    res, _ = await download(server, dest)
    # The first try got bytes from 1007: refused; the file was emptied, so the second try asked for it whole.
    assert server.requests[0]["range"] == "bytes=1000-" and "range" not in server.requests[1]
    assert dest.read_bytes() == DATA and res.resumed_from == 0


async def test_416_for_a_partial_as_long_as_the_file_starts_over(tmp_path):
    dest = tmp_path / "b"
    dest.write_bytes(DATA + b"extra")
    server = RangeServer()
    res, _ = await download(server, dest)
    assert server.requests[0]["range"] == f"bytes={len(DATA) + 5}-" and "range" not in server.requests[1]
    assert dest.read_bytes() == DATA


async def test_a_try_cut_off_midway_is_resumed_by_the_next_try(tmp_path):
    dest = tmp_path / "b"
    server = RangeServer(cut_first_at=40_000)
    res, transferred = await download(server, dest)
    assert "range" not in server.requests[0] and server.requests[1]["range"] == "bytes=40000-"
    assert dest.read_bytes() == DATA and res.sha256 == hashlib.sha256(DATA).hexdigest()
    assert transferred == len(DATA)  # 40,000 then the rest: nothing fetched twice


@pytest.mark.parametrize("limit, ok", [(len(DATA), True), (len(DATA) - 1, False)])
async def test_the_size_cap_counts_the_bytes_already_on_disk(tmp_path, limit, ok):
    dest = tmp_path / "b"
    dest.write_bytes(DATA[:50_000])
    if ok:
        res, _ = await download(RangeServer(), dest, max_bytes=limit)
        assert res.nbytes + res.resumed_from == len(DATA)
    else:
        with pytest.raises(FetchError) as info:
            await download(RangeServer(), dest, max_bytes=limit)
        assert info.value.kind == "too_large"


async def test_an_unasked_206_is_an_error(tmp_path):
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(206, headers={"Content-Range": "bytes 0-9/10"}, content=b"0123456789")

    async with Source("https://example.invalid", transport=httpx.MockTransport(handler), **FAST) as src:
        with pytest.raises(FetchError) as info:
            await src.download("/b", tmp_path / "b")
    assert info.value.status == 206
