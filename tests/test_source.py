"""Source (the httpx client) against the fake OGP site: results, retries, errors, politeness, offline."""

from __future__ import annotations

import asyncio
import time
import zlib
from email.utils import formatdate

import httpx
import pytest

from ogptui.source import USER_AGENT, FetchError, Source, parse_retry_after

PERU = "/members/peru/"
FAST = {"delay": 0.0, "backoff_initial": 0.001, "backoff_max": 0.005, "backoff_jitter": 0.0}


class Chunks(httpx.AsyncByteStream):
    """A streamed mock body (httpx reads a plain `content=` body eagerly, before Source sees it)."""

    def __init__(self, data: bytes, size: int = 1000) -> None:
        self.data, self.size = data, size

    async def __aiter__(self):
        for i in range(0, len(self.data), self.size):
            yield self.data[i : i + self.size]


async def fetch_err(src: Source, path: str = PERU, **kw) -> FetchError:
    with pytest.raises(FetchError) as info:
        await src.fetch(path, **kw)
    return info.value


# --------------------------------------------------------------------------------------------- happy paths


async def test_fetch_200(fake_site):
    async with Source(fake_site.url, **FAST) as src:
        res = await src.fetch(PERU)
    assert res.status == 200 and not res.not_modified and not res.gone
    assert "Member Since 2011" in res.text
    assert res.url == res.final_url == fake_site.url + PERU
    assert res.etag and res.last_modified and res.content_type.startswith("text/html")
    assert res.nbytes == len(res.text.encode("utf-8")) and res.tries == 1 and res.elapsed > 0
    assert src.counters.requests == 1 and src.counters.bytes == res.nbytes and src.counters.retries == 0
    assert fake_site.counters.user_agents[USER_AGENT] == 1
    assert USER_AGENT.startswith("ogptui/0.1.0 ")


async def test_conditional_get_304(make_fake_site):
    site = make_fake_site(nonce=True)
    async with Source(site.url, **FAST) as src:
        first = await src.fetch(PERU)
        by_etag = await src.fetch(PERU, etag=first.etag)
        by_date = await src.fetch(PERU, last_modified=first.last_modified)
        both = await src.fetch(PERU, etag=first.etag, last_modified=first.last_modified)
    for r in (by_etag, by_date, both):
        assert r.not_modified and r.status == 304 and r.text is None and r.nbytes == 0
        assert r.etag == first.etag and r.last_modified == first.last_modified
    assert src.counters.conditional == 3 and src.counters.not_modified == 3
    assert site.counters.conditional == 3 and site.counters.not_modified == 3


async def test_changed_page_answers_200_to_old_validators(fake_site):
    async with Source(fake_site.url, **FAST) as src:
        first = await src.fetch(PERU)
        m = fake_site.member("peru")
        m.member_since = 2010
        fake_site.set_member(m)
        res = await src.fetch(PERU, etag=first.etag, last_modified=first.last_modified)
    assert res.status == 200 and "Member Since 2010" in res.text and res.etag != first.etag


async def test_redirect_followed(fake_site):
    async with Source(fake_site.url, **FAST) as src:
        res = await src.fetch("/countries/Peru")
    assert res.status == 200 and res.final_url == fake_site.url + PERU
    assert src.counters.requests == 2 and fake_site.hits("/countries/peru") == 1


@pytest.mark.parametrize("kind", ["404", "410"])
async def test_gone_is_a_result(fake_site, kind):
    fake_site.fault(PERU, kind)
    async with Source(fake_site.url, **FAST) as src:
        res = await src.fetch(PERU)
    assert res.status == int(kind) and res.gone and res.text is None
    assert fake_site.hits(PERU) == 1


async def test_unknown_page_is_404_result(fake_site):
    async with Source(fake_site.url, **FAST) as src:
        res = await src.fetch("/members/atlantis/")
    assert res.status == 404 and res.gone


async def test_absolute_url_and_base_with_path(fake_site):
    async with Source(fake_site.url + "/", **FAST) as src:
        assert (await src.fetch(fake_site.url + PERU)).status == 200
        assert src.url_for("members/peru/") == fake_site.url + PERU


# --------------------------------------------------------------------------------------------- retries


async def test_503_retried_then_ok(fake_site):
    fake_site.fault(PERU, "503", times=2)
    async with Source(fake_site.url, **FAST) as src:
        res = await src.fetch(PERU)
    assert res.status == 200 and res.tries == 3
    assert fake_site.hits(PERU) == 3 and src.counters.retries == 2


@pytest.mark.parametrize("kind", ["503", "429"])
async def test_retry_status_gives_up_after_attempts(fake_site, kind):
    fake_site.fault(PERU, kind)
    async with Source(fake_site.url, attempts=4, **FAST) as src:
        err = await fetch_err(src)
    assert err.kind == "http" and err.status == int(kind) and err.tries == 4
    assert err.message == f"server answered {kind} after 4 tries" and str(err) == err.message
    assert err.url == fake_site.url + PERU
    assert fake_site.hits(PERU) == 4
    assert not src.offline  # the server answered: not a connection failure


async def test_502_504_are_retried():
    # The fake site has no 502/504 fault; a mock transport stands in (no sockets involved).
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        return httpx.Response(502 if len(calls) == 1 else 504)

    async with Source("https://example.invalid", transport=httpx.MockTransport(handler), **FAST) as src:
        err = await fetch_err(src)
    assert err.status == 504 and len(calls) == 4 and err.tries == 4


async def test_other_5xx_not_retried(fake_site):
    fake_site.fault(PERU, "500")
    async with Source(fake_site.url, **FAST) as src:
        err = await fetch_err(src)
    assert err.kind == "http" and err.status == 500 and err.message == "server answered 500"
    assert fake_site.hits(PERU) == 1


@pytest.mark.parametrize("status", [403, 503])
async def test_challenge_with_error_status(fake_site, status):
    fake_site.fault(PERU, "challenge", status=status)
    async with Source(fake_site.url, **FAST) as src:
        err = await fetch_err(src)
    # A bot-check is not retried at once (it would only answer the same): one request, a clear reason.
    assert err.kind == "challenge" and err.status == status
    assert "bot-check challenge" in err.message
    assert fake_site.hits(PERU) == 1


async def test_challenge_with_200_is_returned_for_the_parser_to_reject(fake_site):
    fake_site.fault(PERU, "challenge", status=200)
    async with Source(fake_site.url, **FAST) as src:
        res = await src.fetch(PERU)
    assert res.status == 200 and "Just a moment..." in res.text


async def test_retry_after_seconds_honoured(fake_site):
    fake_site.fault(PERU, "429", times=1, retry_after=1)
    async with Source(fake_site.url, **FAST) as src:
        t = time.monotonic()
        res = await src.fetch(PERU)
    assert res.status == 200 and time.monotonic() - t >= 0.95 and fake_site.hits(PERU) == 2


async def test_retry_after_date_honoured_and_capped(fake_site):
    fake_site.fault(PERU, "503", times=1, retry_after=formatdate(time.time() + 3600, usegmt=True))
    async with Source(fake_site.url, retry_after_max=0.3, **FAST) as src:
        t = time.monotonic()
        res = await src.fetch(PERU)
    took = time.monotonic() - t
    assert res.status == 200 and 0.25 <= took < 2.0


def test_parse_retry_after():
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after(None) is None and parse_retry_after("soon") is None
    assert parse_retry_after(formatdate(1000.0 + 30, usegmt=True), now=1000.0) == pytest.approx(30.0)
    assert parse_retry_after(formatdate(1000.0 - 30, usegmt=True), now=1000.0) == 0.0


@pytest.mark.parametrize("where", ["before", "mid"])
async def test_reset_retried(fake_site, where):
    fake_site.fault(PERU, "reset", times=1, where=where)
    async with Source(fake_site.url, **FAST) as src:
        res = await src.fetch(PERU)
    assert res.status == 200 and res.tries == 2 and fake_site.hits(PERU) == 2


async def test_reset_gives_up(fake_site):
    fake_site.fault(PERU, "reset")
    async with Source(fake_site.url, attempts=3, **FAST) as src:
        err = await fetch_err(src)
    assert err.kind == "connect" and err.tries == 3 and err.message.endswith("after 3 tries")
    assert fake_site.hits(PERU) == 3 and not src.offline  # connections were made


async def test_truncated_body_retried(fake_site):
    fake_site.fault(PERU, "truncated", times=1)
    async with Source(fake_site.url, **FAST) as src:
        res = await src.fetch(PERU)
    assert res.status == 200 and res.tries == 2 and "Recent Posts" in res.text


async def test_truncated_body_gives_up(fake_site):
    fake_site.fault(PERU, "truncated")
    async with Source(fake_site.url, attempts=2, **FAST) as src:
        err = await fetch_err(src)
    assert err.kind == "connect" and "broke off" in err.message and fake_site.hits(PERU) == 2


async def test_read_timeout_retried_then_error(fake_site):
    fake_site.fault(PERU, "slow", delay=0.4)
    async with Source(fake_site.url, read_timeout=0.1, attempts=2, **FAST) as src:
        err = await fetch_err(src)
    assert err.kind == "timeout" and err.tries == 2 and fake_site.hits(PERU) == 2
    assert err.message == f"127.0.0.1:{fake_site.port} stopped answering for 0.1 s after 2 tries"


async def test_deadline_limits_a_trickling_body(fake_site):
    fake_site.fault(PERU, "slow", delay=1.0, where="body")
    async with Source(fake_site.url, read_timeout=5.0, deadline=0.3, attempts=1, **FAST) as src:
        t = time.monotonic()
        err = await fetch_err(src)
    assert err.kind == "timeout" and "within 0.3 s" in err.message
    assert time.monotonic() - t < 0.9


# --------------------------------------------------------------------------------------------- refusals


async def test_oversize_with_length_refused_before_reading(fake_site):
    fake_site.fault(PERU, "oversize", size_mb=50)
    async with Source(fake_site.url, max_bytes=5_000_000, **FAST) as src:
        err = await fetch_err(src)
    assert err.kind == "too_large" and err.message == "page larger than 5 MB"
    assert fake_site.hits(PERU) == 1 and src.counters.bytes == 0


async def test_oversize_streamed_aborted_early(fake_site):
    fake_site.fault(PERU, "oversize", size_mb=200, length=False)
    async with Source(fake_site.url, max_bytes=1_000_000, **FAST) as src:
        t = time.monotonic()
        err = await fetch_err(src)
    assert err.kind == "too_large" and err.message == "page larger than 1 MB"
    assert src.counters.bytes <= 1_000_000 + 256 * 1024
    assert time.monotonic() - t < 3.0 and fake_site.hits(PERU) == 1
    await asyncio.sleep(0.1)
    assert fake_site.counters.bytes_sent < 50 * 1024 * 1024


async def test_oversize_counts_decoded_bytes(fake_site):
    fake_site.fault(PERU, "oversize", size_mb=20, gzip=True)  # about 20 KB on the wire
    async with Source(fake_site.url, max_bytes=2_000_000, **FAST) as src:
        err = await fetch_err(src)
    assert err.kind == "too_large" and src.counters.bytes <= 2_000_000 + 1024 * 1024


async def test_gzip_pages_decoded(make_fake_site):
    site = make_fake_site(gzip=True)
    async with Source(site.url, **FAST) as src:
        res = await src.fetch(PERU)
    assert "Member Since 2011" in res.text and res.nbytes == len(res.text.encode("utf-8"))
    assert site.counters.bytes_sent < res.nbytes / 3


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS])
async def test_deflate_both_flavours(wbits):
    page = "<html><body><p>Peru café</p></body></html>" * 500

    def handler(request: httpx.Request) -> httpx.Response:
        c = zlib.compressobj(6, zlib.DEFLATED, wbits)
        body = c.compress(page.encode()) + c.flush()
        return httpx.Response(
            200, stream=Chunks(body), headers={"Content-Type": "text/html", "Content-Encoding": "deflate"}
        )

    async with Source("https://example.invalid", transport=httpx.MockTransport(handler), **FAST) as src:
        res = await src.fetch("/")
    assert res.text == page


async def test_bad_compression_is_decode_error():
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, stream=Chunks(b"not gzip"), headers={"Content-Type": "text/html", "Content-Encoding": "gzip"}
        )

    async with Source("https://example.invalid", transport=httpx.MockTransport(handler), **FAST) as src:
        err = await fetch_err(src, "/")
    assert err.kind == "decode" and err.tries == 1


@pytest.mark.parametrize("ctype", ["application/pdf", "application/json"])
async def test_wrong_content_type(fake_site, ctype):
    fake_site.fault(PERU, "wrong_type", content_type=ctype)
    async with Source(fake_site.url, **FAST) as src:
        err = await fetch_err(src)
    assert err.kind == "content_type" and ctype in err.message and fake_site.hits(PERU) == 1


async def test_redirect_loop(fake_site):
    fake_site.fault(PERU, "redirect_loop")
    async with Source(fake_site.url, **FAST) as src:
        err = await fetch_err(src)
    assert err.kind == "redirects" and "loop" in err.message and fake_site.hits(PERU) == 2


async def test_too_many_redirects():
    def handler(request: httpx.Request) -> httpx.Response:
        n = int(request.url.path.strip("/") or 0)
        return httpx.Response(302, headers={"Location": f"/{n + 1}"})

    async with Source("https://example.invalid", transport=httpx.MockTransport(handler), **FAST) as src:
        err = await fetch_err(src, "/0")
    assert err.kind == "redirects" and err.message == "more than 5 redirects" and src.counters.requests == 6


async def test_invalid_utf8_replaced_not_error(fake_site):
    fake_site.fault(PERU, "invalid_utf8")
    async with Source(fake_site.url, **FAST) as src:
        res = await src.fetch(PERU)
    assert res.status == 200 and "\ufffd" in res.text and "Member Since 2011" in res.text
    assert res.replaced_chars >= 1 and src.counters.replaced_chars == res.replaced_chars


@pytest.mark.parametrize(
    "bad", ["ftp://example.org", "http://", "example.org", "", "https://exa mple.org", "http://x:99999"]
)
def test_base_url_validated(bad):
    with pytest.raises(ValueError) as info:
        Source(bad)
    assert str(info.value).startswith("source URL")


# --------------------------------------------------------------------------------------------- offline, politeness


async def test_offline_after_connection_failures_and_back(fake_site):
    fake_site.stop()
    async with Source(fake_site.url, offline_after=3, attempts=2, **FAST) as src:
        for _ in range(3):
            err = await fetch_err(src)
            assert err.kind == "connect" and err.message.startswith("cannot connect to 127.0.0.1:")
            assert err.message.endswith("after 2 tries")
        assert src.offline and src.counters.requests == 6
        t = time.monotonic()
        err = await fetch_err(src)
        assert err.kind == "offline" and "offline" in err.message and time.monotonic() - t < 0.05
        assert src.counters.requests == 6
        assert await src.probe(timeout=0.5) is False and src.offline
        fake_site.start()
        assert await src.probe(timeout=2.0) is True and not src.offline
        assert (await src.fetch(PERU)).status == 200


async def test_a_success_resets_the_failure_count(fake_site):
    async with Source(fake_site.url, offline_after=2, attempts=1, **FAST) as src:
        fake_site.stop()
        await fetch_err(src)
        fake_site.start()
        await src.fetch(PERU)
        fake_site.stop()
        await fetch_err(src)
        assert not src.offline
        await fetch_err(src)
        assert src.offline


async def test_probe_false_on_server_error(fake_site):
    async with Source(fake_site.url, **FAST) as src:
        assert await src.probe() is True
        fake_site.fault("*", "503")
        assert await src.probe() is False
    assert src.counters.probes == 2 and src.counters.requests == 0


async def test_concurrency_limit(make_fake_site):
    site = make_fake_site(latency=0.08)
    paths = [
        PERU,
        "/members/valdoria/",
        "/members/norland/",
        "/members/port-esmer-valdoria/",
        "/",
        "/local/participants",
    ]
    async with Source(site.url, concurrency=2, **FAST) as src:
        results = await asyncio.gather(*(src.fetch(p) for p in paths))
    assert all(r.status == 200 for r in results)
    assert site.counters.max_in_flight == 2


async def test_delay_spaces_request_starts(fake_site):
    async with Source(fake_site.url, concurrency=4, **{**FAST, "delay": 0.1}) as src:
        t = time.monotonic()
        await asyncio.gather(*(src.fetch(PERU) for _ in range(4)))
    assert time.monotonic() - t >= 0.3


# --------------------------------------------------------------------------------------------- bounds (issue 12.3)


class Paced(httpx.AsyncByteStream):
    """A body sent as `chunks` pieces of `size` bytes, one every `every` seconds."""

    def __init__(self, chunks: int, size: int, every: float) -> None:
        self.chunks, self.size, self.every = chunks, size, every

    async def __aiter__(self):
        for _ in range(self.chunks):
            await asyncio.sleep(self.every)
            yield b"<p>" + b"x" * (self.size - 3)


def paced_site(chunks: int, size: int, every: float, ctype: str = "text/html") -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=Paced(chunks, size, every), headers={"Content-Type": ctype})

    return httpx.MockTransport(handler)


async def test_hang_after_accept_is_a_timeout_tried_twice_and_counts_toward_offline(fake_site):
    fake_site.fault(PERU, "hang")
    async with Source(fake_site.url, read_timeout=0.2, attempts=4, offline_after=1, **FAST) as src:
        err = await fetch_err(src)
        assert err.kind == "timeout" and err.no_answer and err.tries == 2
        assert err.message == f"127.0.0.1:{fake_site.port} stopped answering for 0.2 s after 2 tries"
        assert fake_site.hits(PERU) == 2  # timeouts get 2 tries, not 4
        assert src.offline  # a silent server counts like an unreachable one
        assert (await fetch_err(src, "/members/norland/")).kind == "offline"
    assert fake_site.hits("/members/norland/") == 0


async def test_timeouts_in_a_row_go_offline_and_an_answer_resets_the_count(fake_site):
    fake_site.fault(PERU, "hang")
    async with Source(fake_site.url, read_timeout=0.15, timeout_attempts=1, offline_after=2, **FAST) as src:
        await fetch_err(src)
        assert (await src.fetch("/members/norland/")).status == 200  # an answer in between
        await fetch_err(src)
        assert not src.offline
        await fetch_err(src)
        assert src.offline


async def test_trickled_headers_stop_at_the_headers_limit(fake_site):
    fake_site.fault(PERU, "trickle_headers", interval=0.02)
    async with Source(fake_site.url, read_timeout=5.0, headers_timeout=0.3, offline_after=1, **FAST) as src:
        t = time.monotonic()
        err = await fetch_err(src)
        took = time.monotonic() - t
    assert err.kind == "timeout" and err.no_answer and err.tries == 2
    assert err.reason == f"127.0.0.1:{fake_site.port} sent no complete answer within 0.3 s"
    assert 0.6 <= took < 5.0  # two tries of 0.3 s, not two read timeouts of 5 s
    assert src.offline


async def test_trickled_body_stops_at_the_minimum_rate(fake_site):
    fake_site.fault(PERU, "trickle_body", interval=0.01)  # about 100 bytes/s
    async with Source(
        fake_site.url, read_timeout=5.0, deadline=30.0, min_rate=1000, rate_window=0.3, **FAST
    ) as src:
        t = time.monotonic()
        err = await fetch_err(src)
        took = time.monotonic() - t
    assert err.kind == "timeout" and err.no_answer and err.tries == 2
    assert err.reason == f"127.0.0.1:{fake_site.port} sent less than 1 kB/s for 0.3 s"
    assert took < 5.0  # neither the 5 s read timeout nor the 30 s deadline was needed


async def test_minimum_rate_both_sides_of_the_threshold():
    # quota: 1000 B/s over 0.2 s windows = 200 bytes per window; pieces come every 0.05 s (4 a window)
    fast = Source(
        "https://example.invalid", transport=paced_site(12, 100, 0.05), min_rate=1000, rate_window=0.2, **FAST
    )
    async with fast as src:  # 300-400 bytes a window: above the minimum, the page arrives whole
        res = await src.fetch("/")
    assert res.nbytes == 12 * 100
    slow = Source(
        "https://example.invalid", transport=paced_site(12, 20, 0.05), min_rate=1000, rate_window=0.2, **FAST
    )
    async with slow as src:  # 60-80 bytes a window: below it
        err = await fetch_err(src, "/")
    assert err.kind == "timeout" and "sent less than 1 kB/s for 0.2 s" in err.message


async def test_fetch_deadline_bounds_all_tries_and_waits(fake_site):
    fake_site.fault(PERU, "503", retry_after=1)
    async with Source(fake_site.url, fetch_deadline=0.5, **FAST) as src:
        t = time.monotonic()
        err = await fetch_err(src)
        took = time.monotonic() - t
    assert err.kind == "timeout" and err.message.startswith(
        f"no complete answer from 127.0.0.1:{fake_site.port} within 0.5 s"
    )
    assert took < 0.95  # the Retry-After wait of 1 s was cut short
    assert fake_site.hits(PERU) == 1


# --------------------------------------------------------------------------------------------- redirects (12.2)


async def test_redirect_to_another_member_is_followed_and_visible(fake_site):
    fake_site.fault(PERU, "redirect", location="/members/valdoria/")
    async with Source(fake_site.url, **FAST) as src:
        res = await src.fetch(PERU)
    assert res.status == 200 and res.url == fake_site.url + PERU
    assert res.final_url == fake_site.url + "/members/valdoria/"  # the caller sees where it landed


@pytest.mark.parametrize(
    "location", ["http://localhost:{port}/members/peru/", "http://example.org/members/peru/"]
)
async def test_redirect_to_another_host_is_refused(fake_site, location):
    location = location.format(port=fake_site.port)
    fake_site.fault(PERU, "redirect", location=location)
    async with Source(fake_site.url, **FAST) as src:
        err = await fetch_err(src)
    host = location.split("/")[2]
    assert err.kind == "redirects" and err.message == f"refused a redirect to another site ({host})"
    assert src.counters.requests == 1 and err.tries == 1


async def test_redirect_from_https_to_http_is_refused_and_the_upgrade_followed():
    # The fake site speaks plain http only; a mock transport stands in for an https site.
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.path == "/down/":
            return httpx.Response(301, headers={"Location": "http://example.invalid/members/peru/"})
        if request.url.path == "/up/":
            return httpx.Response(301, headers={"Location": "https://example.invalid/members/peru/"})
        return httpx.Response(200, stream=Chunks(b"<p>Peru</p>"), headers={"Content-Type": "text/html"})

    async with Source("https://example.invalid", transport=httpx.MockTransport(handler), **FAST) as src:
        err = await fetch_err(src, "/down/")
        assert err.kind == "redirects"
        assert (
            err.message
            == "refused a redirect from https to plain http (http://example.invalid/members/peru/)"
        )
        assert seen == ["https://example.invalid/down/"]
    async with Source("http://example.invalid", transport=httpx.MockTransport(handler), **FAST) as src:
        res = await src.fetch("/up/")
    assert res.final_url == "https://example.invalid/members/peru/"


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        ("https://a.org/x", "https://a.org/y", True),
        ("https://a.org/x", "https://A.ORG:443/y", True),
        ("http://a.org/x", "https://a.org/y", True),
        ("https://a.org/x", "http://a.org/y", False),
        ("https://a.org/x", "https://b.org/y", False),
        ("https://a.org/x", "https://a.org:8443/y", False),
        ("http://a.org:8080/x", "https://a.org/y", False),
        ("https://a.org/x", "javascript:alert(1)", False),
    ],
)
def test_redirect_rule(current, target, allowed):
    from ogptui.source import redirect_refusal

    assert (redirect_refusal(current, target) is None) is allowed


# --------------------------------------------------------------------------------------------- downloads (11.3)


async def test_download_streams_a_file_with_its_hash(tmp_path):
    import hashlib

    data = bytes(range(256)) * 4000

    def handler(request: httpx.Request) -> httpx.Response:
        if request.headers.get("if-none-match") == '"v1"':
            return httpx.Response(304, headers={"ETag": '"v1"'})
        assert request.headers["accept"].startswith("application/zip")
        return httpx.Response(
            200, stream=Chunks(data, 10_000), headers={"Content-Type": "application/zip", "ETag": '"v1"'}
        )

    progress = []
    async with Source("https://example.invalid", transport=httpx.MockTransport(handler), **FAST) as src:
        res = await src.download("/b", tmp_path / "b", on_progress=lambda n, total: progress.append(n))
        again = await src.download("/b", tmp_path / "c", etag=res.etag)
    assert res.status == 200 and res.path == tmp_path / "b" and res.text is None
    assert res.sha256 == hashlib.sha256(data).hexdigest() == hashlib.sha256(res.path.read_bytes()).hexdigest()
    assert res.nbytes == len(data) and progress[-1] == len(data) and len(progress) > 10
    assert again.not_modified and again.path is None and not (tmp_path / "c").exists()


@pytest.mark.parametrize(
    ("headers", "kind", "message"),
    [
        ({"Content-Type": "text/html"}, "content_type", "expected a file but got a web page (text/html)"),
        (
            {"Content-Type": "application/zip", "Content-Length": "999999"},
            "too_large",
            "file larger than 1 kB",
        ),
    ],
)
async def test_download_refusals(tmp_path, headers, kind, message):
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=Chunks(b"x" * 5000), headers=headers)

    async with Source("https://example.invalid", transport=httpx.MockTransport(handler), **FAST) as src:
        with pytest.raises(FetchError) as info:
            await src.download("/b", tmp_path / "b", max_bytes=1000)
    assert info.value.kind == kind and info.value.message == message


async def test_download_is_bounded_by_the_minimum_rate(tmp_path):
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=Paced(50, 10, 0.02), headers={"Content-Type": "application/zip"})

    async with Source(
        "https://example.invalid",
        transport=httpx.MockTransport(handler),
        min_rate=1000,
        rate_window=0.2,
        deadline=0.01,  # the deadline per try is for pages only: a file may take its time, not trickle
        **FAST,
    ) as src:
        with pytest.raises(FetchError) as info:
            await src.download("/b", tmp_path / "b")
    assert info.value.kind == "timeout" and info.value.no_answer and info.value.tries == 2
    assert info.value.reason == "example.invalid sent less than 1 kB/s for 0.2 s"


# --------------------------------------------------------------------------------------------- keep-alive


async def test_304s_reuse_one_connection(fake_site):
    """A 304 is read to its end before release, so the next request reuses the connection (keep-alive)."""
    async with Source(fake_site.url, concurrency=1, **FAST) as src:
        first = await src.fetch(PERU)
        for _ in range(10):
            assert (await src.fetch(PERU, etag=first.etag)).not_modified
    assert fake_site.counters.not_modified == 10
    assert fake_site.counters.connections == 1


async def test_error_and_redirect_answers_reuse_the_connection(fake_site):
    """404 pages, 500 pages and redirects are small answers drained before release: still one connection."""
    fake_site.fault("/members/broken/", "500")
    async with Source(fake_site.url, concurrency=1, **FAST) as src:
        for _ in range(3):
            assert (await src.fetch("/members/no-such-member/")).status == 404
            await fetch_err(src, "/members/broken/")
            assert (await src.fetch("/members/PERU")).status == 200  # redirected to /members/peru/
    assert fake_site.counters.statuses[404] == 3 and fake_site.counters.statuses[500] == 3
    assert fake_site.counters.connections == 1


async def test_big_unread_answer_closes_its_connection(fake_site):
    """An oversized page refused mid-body is not drained: its connection is closed, the next one is new."""
    fake_site.fault(PERU, "oversize", times=1, size_mb=1.0)
    async with Source(fake_site.url, concurrency=1, max_bytes=200_000, **FAST) as src:
        assert (await fetch_err(src)).kind == "too_large"
        assert (await src.fetch(PERU)).status == 200
    assert fake_site.counters.connections == 2
