"""The remote side: a polite async HTTP client for OGP pages.

Concurrency limit, per-host spacing of request starts, connect/read timeouts plus a deadline per try,
a cap on decoded body bytes, `text/html` only, redirects followed by hand (at most `max_redirects`, loops
detected), conditional GET, retries with exponential backoff and jitter (stamina) for connection errors,
timeouts, 429 and 502–504 honouring Retry-After, and an "offline" state after repeated connection failures.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import replace
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
import stamina

from ogptui import __version__
from ogptui.units import human_size

from .decode import ACCEPT_ENCODING, BodyDecoder, DecodeError, decode_text
from .retry_after import parse_retry_after
from .types import FetchError, FetchResult, SourceStats

USER_AGENT = f"ogptui/{__version__} (offline OGP data browser)"
RETRY_STATUSES = frozenset({429, 502, 503, 504})
GONE_STATUSES = frozenset({404, 410})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

# stamina logs each scheduled retry at WARNING on the "stamina" logger; without a handler Python would
# print those to stderr. A NullHandler keeps them quiet unless the application configures logging.
logging.getLogger("stamina").addHandler(logging.NullHandler())


def validate_base_url(url: str) -> str:
    """The base URL without a trailing slash; ValueError (one sentence) if it is not http(s) with a host."""
    if not isinstance(url, str) or any(ord(c) < 33 or ord(c) == 127 for c in url):
        raise ValueError(f"source URL {url!r} contains spaces or control characters")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise ValueError(f"source URL {url!r} must start with http:// or https://")
    if not parts.hostname:
        raise ValueError(f"source URL {url!r} names no host")
    try:
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        raise ValueError(f"source URL {url!r} has an invalid port") from None
    return url.rstrip("/")


def _host(url: str) -> str:
    return urlsplit(url).netloc


class Source:
    """`async with Source(base) as src: res = await src.fetch("/members/peru/", etag=..., last_modified=...)`."""

    def __init__(
        self,
        base_url: str,
        *,
        concurrency: int = 4,
        delay: float = 0.25,
        max_bytes: int = 8_000_000,
        connect_timeout: float = 10.0,
        read_timeout: float = 30.0,
        deadline: float = 60.0,
        attempts: int = 4,
        backoff_initial: float = 0.5,
        backoff_max: float = 10.0,
        backoff_jitter: float = 1.0,
        retry_after_max: float = 30.0,
        retry_timeout: float | None = 300.0,
        offline_after: int = 3,
        max_redirects: int = 5,
        user_agent: str = USER_AGENT,
        transport: httpx.AsyncBaseTransport | None = None,
        trust_env: bool = True,
    ) -> None:
        self.base_url = validate_base_url(base_url)
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.concurrency = concurrency
        self.delay = max(0.0, delay)
        self.max_bytes = max_bytes
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.deadline = deadline
        self.attempts = max(1, attempts)
        self.backoff_initial = backoff_initial
        self.backoff_max = backoff_max
        self.backoff_jitter = backoff_jitter
        self.retry_after_max = retry_after_max
        self.retry_timeout = retry_timeout
        self.offline_after = max(1, offline_after)
        self.max_redirects = max_redirects
        self.counters = SourceStats()
        self._sem = asyncio.Semaphore(concurrency)
        self._next_start: dict[str, float] = {}
        self._connect_failures = 0
        self._offline = False
        self._client = httpx.AsyncClient(
            headers={
                "User-Agent": user_agent,
                "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
                "Accept-Language": "en",
                "Accept-Encoding": ACCEPT_ENCODING,
            },
            timeout=httpx.Timeout(
                connect=connect_timeout, read=read_timeout, write=read_timeout, pool=deadline
            ),
            limits=httpx.Limits(max_connections=concurrency + 1, max_keepalive_connections=concurrency + 1),
            follow_redirects=False,
            transport=transport,
            trust_env=trust_env,
        )

    # ------------------------------------------------------------------ lifecycle and state

    async def __aenter__(self) -> Source:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    @property
    def stats(self) -> SourceStats:
        """Alias of `counters`."""
        return self.counters

    @property
    def offline(self) -> bool:
        """True after `offline_after` connection failures in a row; fetches then fail at once."""
        return self._offline

    def reset_offline(self) -> None:
        self._offline = False
        self._connect_failures = 0

    def url_for(self, target: str) -> str:
        """An absolute http(s) URL for a site path (`/members/peru/`) or an absolute URL."""
        if "://" in target:
            validate_base_url(target)
            return target
        return f"{self.base_url}/{target.lstrip('/')}"

    # ------------------------------------------------------------------ fetching

    async def fetch(
        self, target: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """GET one page. Raises FetchError; 304 and 404/410 are results, not errors."""
        url = self.url_for(target)
        if self._offline:
            raise self._offline_error(url)
        started = time.monotonic()
        tries = 0
        try:
            async for attempt in stamina.retry_context(
                on=self._retry_hook,
                attempts=self.attempts,
                timeout=self.retry_timeout,
                wait_initial=self.backoff_initial,
                wait_max=self.backoff_max,
                wait_jitter=self.backoff_jitter,
            ):
                with attempt:
                    tries = attempt.num
                    if tries > 1:
                        self.counters.retries += 1
                    if self._offline:
                        raise self._offline_error(url)
                    async with self._sem:
                        result = await self._attempt(url, etag, last_modified)
        except FetchError as e:
            if e.no_connection:
                self._connect_failures += 1
                if self._connect_failures >= self.offline_after:
                    self._offline = True
            if e.kind == "offline":
                raise
            suffix = f" after {tries} tries" if tries > 1 else ""
            raise FetchError(
                e.kind,
                e.message + suffix,
                url=url,
                status=e.status,
                tries=tries,
                no_connection=e.no_connection,
            ) from e
        return replace(result, elapsed=time.monotonic() - started, tries=tries)

    def _offline_error(self, url: str) -> FetchError:
        return FetchError(
            "offline",
            f"offline after {self._connect_failures} connection failures in a row; try again when the network is back",
            url=url,
        )

    def _retry_hook(self, exc: Exception) -> bool | float:
        if not isinstance(exc, FetchError) or not exc.retryable or self._offline:
            return False
        if exc.retry_after is not None:
            return min(max(0.0, exc.retry_after), self.retry_after_max)
        return True

    async def _pace(self, url: str) -> None:
        """Space request starts to one host at least `delay` seconds apart."""
        if self.delay <= 0:
            return
        loop = asyncio.get_running_loop()
        host = _host(url)
        now = loop.time()
        start = max(now, self._next_start.get(host, 0.0))
        self._next_start[host] = start + self.delay
        if start > now:
            await asyncio.sleep(start - now)

    async def _attempt(self, url: str, etag: str | None, last_modified: str | None) -> FetchResult:
        try:
            async with asyncio.timeout(self.deadline):
                return await self._follow(url, etag, last_modified)
        except TimeoutError:
            raise FetchError(
                "timeout",
                f"no complete answer from {_host(url)} within {self.deadline:g} s",
                url=url,
                retryable=True,
            ) from None

    async def _follow(self, url: str, etag: str | None, last_modified: str | None) -> FetchResult:
        seen = {url}
        current = url
        for _ in range(self.max_redirects + 1):
            resp = await self._send(current, etag, last_modified)
            try:
                location = resp.headers.get("location")
                if resp.status_code in REDIRECT_STATUSES and location:
                    nxt = urljoin(current, location.strip())
                    if urlsplit(nxt).scheme not in ("http", "https"):
                        raise FetchError(
                            "redirects", f"redirected to an address that is not http(s): {nxt}", url=url
                        )
                    if nxt in seen:
                        raise FetchError("redirects", f"redirect loop at {nxt}", url=url)
                    seen.add(nxt)
                    current = nxt
                    continue
                return await self._read(url, current, resp, etag, last_modified)
            finally:
                await resp.aclose()
        raise FetchError("redirects", f"more than {self.max_redirects} redirects", url=url)

    async def _send(self, url: str, etag: str | None, last_modified: str | None) -> httpx.Response:
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        await self._pace(url)
        self.counters.requests += 1
        if headers:
            self.counters.conditional += 1
        request = self._client.build_request("GET", url, headers=headers)
        try:
            resp = await self._client.send(request, stream=True)
        except httpx.HTTPError as e:
            raise _transport_error(e, url, self) from e
        self._connect_failures = 0  # the server answered
        return resp

    async def _read(
        self, url: str, final_url: str, resp: httpx.Response, etag: str | None, last_modified: str | None
    ) -> FetchResult:
        status = resp.status_code
        ctype = resp.headers.get("content-type")
        if status == 304:
            self.counters.not_modified += 1
            return FetchResult(
                url=url,
                final_url=final_url,
                status=304,
                text=None,
                etag=resp.headers.get("etag") or etag,
                last_modified=resp.headers.get("last-modified") or last_modified,
                content_type=ctype,
                nbytes=0,
                elapsed=0.0,
                not_modified=True,
            )
        if status in GONE_STATUSES:
            return FetchResult(url, final_url, status, None, None, None, ctype, 0, 0.0)
        if status >= 400 and (resp.headers.get("cf-mitigated") or "").lower() == "challenge":
            # A bot-check answers instead of the page; retrying at once only repeats it.
            raise FetchError(
                "challenge",
                f"the site answered with a bot-check challenge (HTTP {status}) instead of the page; try again later",
                url=url,
                status=status,
            )
        if status in RETRY_STATUSES:
            raise FetchError(
                "http",
                f"server answered {status}",
                url=url,
                status=status,
                retryable=True,
                retry_after=parse_retry_after(resp.headers.get("retry-after")),
            )
        if not 200 <= status < 300:
            raise FetchError("http", f"server answered {status}", url=url, status=status)
        mime = (ctype or "").split(";")[0].strip().lower()
        if mime != "text/html":
            got = mime or "no content type"
            raise FetchError(
                "content_type", f"expected a web page (text/html) but got {got}", url=url, status=status
            )
        too_large = FetchError(
            "too_large", f"page larger than {human_size(self.max_bytes)}", url=url, status=status
        )
        length = resp.headers.get("content-length", "")
        if "content-encoding" not in resp.headers and length.isdigit() and int(length) > self.max_bytes:
            raise too_large
        chunks: list[bytes] = []
        n = 0
        try:
            decoder = BodyDecoder(resp.headers.get("content-encoding"))
            async for raw in resp.aiter_raw():
                for piece in decoder.feed(raw):
                    n += len(piece)
                    if n > self.max_bytes:
                        self.counters.bytes += n
                        raise too_large
                    chunks.append(piece)
            tail = decoder.flush()
            n += len(tail)
            if n > self.max_bytes:
                self.counters.bytes += n
                raise too_large
            chunks.append(tail)
        except DecodeError as e:
            self.counters.bytes += n
            raise FetchError("decode", str(e), url=url, status=status) from e
        except httpx.HTTPError as e:
            self.counters.bytes += n
            raise _transport_error(e, url, self) from e
        self.counters.bytes += n
        text, replaced = decode_text(b"".join(chunks), resp.charset_encoding)
        self.counters.replaced_chars += replaced
        return FetchResult(
            url=url,
            final_url=final_url,
            status=status,
            text=text,
            etag=resp.headers.get("etag"),
            last_modified=resp.headers.get("last-modified"),
            content_type=ctype,
            nbytes=n,
            elapsed=0.0,
            replaced_chars=replaced,
        )

    # ------------------------------------------------------------------ reachability

    async def probe(self, timeout: float = 5.0) -> bool:
        """Is the base URL answering (any status below 500)? One quick try, no retries, no pacing.

        A True answer also leaves the offline state.
        """
        self.counters.probes += 1
        try:
            async with asyncio.timeout(timeout):
                request = self._client.build_request(
                    "GET", self.base_url + "/", timeout=httpx.Timeout(timeout)
                )
                resp = await self._client.send(request, stream=True)
                await resp.aclose()
        except (httpx.HTTPError, TimeoutError, OSError):
            return False
        ok = resp.status_code < 500
        if ok:
            self.reset_offline()
        return ok


def _transport_error(e: Exception, url: str, src: Source) -> FetchError:
    host = _host(url)
    kw: dict[str, Any] = {"url": url, "retryable": True}
    if isinstance(e, httpx.ConnectTimeout):
        return FetchError(
            "timeout", f"no connection to {host} within {src.connect_timeout:g} s", no_connection=True, **kw
        )
    if isinstance(e, httpx.ConnectError):
        return FetchError("connect", f"cannot connect to {host}", no_connection=True, **kw)
    if isinstance(e, httpx.TimeoutException):
        return FetchError("timeout", f"{host} stopped answering for {src.read_timeout:g} s", **kw)
    if isinstance(e, httpx.DecodingError):
        return FetchError("decode", f"the page from {host} could not be decompressed", url=url)
    if isinstance(e, httpx.TransportError):
        return FetchError("connect", f"the connection to {host} broke off before the page was complete", **kw)
    return FetchError("connect", f"request to {host} failed: {type(e).__name__}", url=url)
