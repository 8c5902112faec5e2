"""The remote side: a polite async HTTP client for OGP pages and for files (mirror bundles).

Every request of the application goes through `Source`: `fetch` reads a `text/html` page into memory,
`download` streams any other file to disk. Both share the same rules:

- a concurrency limit and per-host spacing of request starts (politeness);
- time limits that bound every request: a connect timeout, a read timeout (silence between reads), a limit
  on the time to the complete status line and headers (a trickle of header bytes), a minimum transfer rate
  for bodies (`min_rate` bytes/s over every `rate_window` seconds: a trickling body), a deadline per try
  for pages (headers + body), and a deadline for a whole fetch (all tries and waits);
- a cap on decoded body bytes (gzip/deflate decoded here, step by step);
- redirects followed by hand within the same site only (no other host, no https → http), loops detected;
- conditional GET; retries with exponential backoff and jitter (stamina) for connection errors, resets,
  429 and 502–504 (4 tries, honouring Retry-After) and timeouts (2 tries: each already waited long);
- "offline" after `offline_after` fetches in a row got no answer (no connection, or a timeout).

(Over 400 lines on purpose: pages and downloads share every rule above, so they share this one module;
URL checks, body decoding, Retry-After and the result types live beside it.)
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urljoin

import httpx
import stamina

from ogptui import __version__
from ogptui.units import human_size
from ogptui.urls import host_of, redirect_refusal, validate_base_url

from .decode import ACCEPT_ENCODING, BodyDecoder, DecodeError, decode_text
from .retry_after import parse_retry_after
from .types import FetchError, FetchResult, SourceStats

USER_AGENT = f"ogptui/{__version__} (offline OGP data browser)"
RETRY_STATUSES = frozenset({429, 502, 503, 504})
GONE_STATUSES = frozenset({404, 410})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PAGE_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"
FILE_ACCEPT = "application/zip, application/octet-stream;q=0.9, */*;q=0.1"
WEB_PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# What is left of an unread answer (a 304, a redirect, an error page) is read so its connection can be
# reused, when it is at most this big and arrives this fast (`Source._release`).
DRAIN_MAX = 256 * 1024  # a 404 page with the site's chrome is ~100 kB
DRAIN_SECONDS = 2.0

# stamina logs each scheduled retry at WARNING on the "stamina" logger; without a handler Python would
# print those to stderr. A NullHandler keeps them quiet unless the application configures logging.
logging.getLogger("stamina").addHandler(logging.NullHandler())

Progress = Callable[[int, int | None], None]


class _Rate:
    """Minimum transfer rate: every `window` seconds at least `min_rate * window` bytes must arrive."""

    def __init__(self, min_rate: float, window: float, now: float) -> None:
        self.quota = min_rate * window
        self.window = window
        self.start = now
        self.got = 0.0

    def deadline(self) -> float | None:
        """The loop time by which more bytes must have arrived (None: no minimum)."""
        if self.quota <= 0:
            return None
        end = self.start + self.window
        return end if self.got < self.quota else end + self.window

    def add(self, n: int, now: float) -> bool:
        """Count `n` bytes arrived at `now`; False when a window ended below its quota."""
        if self.quota <= 0:
            return True
        while now >= self.start + self.window:
            if self.got < self.quota:
                return False
            self.start += self.window
            self.got = 0.0
        self.got += n
        return True


class _PageSink:
    """Collects a page in memory; decoded to text at the end."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.chunks.append(data)

    def close(self) -> None:
        pass


class _FileSink:
    """Streams a file to disk with its sha256. With `keep` > 0 (a resumed download) the first `keep` bytes
    already on disk stay: they are hashed first and the body is appended; otherwise the file is truncated."""

    def __init__(self, path: Path, keep: int = 0) -> None:
        self.path = path
        self.sha = hashlib.sha256()
        if keep > 0:
            with path.open("rb") as fh:
                left = keep
                while left > 0 and (chunk := fh.read(min(left, 1 << 20))):
                    self.sha.update(chunk)
                    left -= len(chunk)
            self.fh: BinaryIO = path.open("r+b")
            self.fh.seek(keep)
            self.fh.truncate()
        else:
            self.fh = path.open("wb")

    def write(self, data: bytes) -> None:
        self.sha.update(data)
        self.fh.write(data)

    def close(self) -> None:
        self.fh.close()


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
        read_timeout: float = 10.0,
        headers_timeout: float = 10.0,
        deadline: float = 60.0,
        fetch_deadline: float = 150.0,
        min_rate: float = 1024.0,
        rate_window: float = 10.0,
        attempts: int = 4,
        timeout_attempts: int = 2,
        backoff_initial: float = 0.5,
        backoff_max: float = 10.0,
        backoff_jitter: float = 1.0,
        retry_after_max: float = 30.0,
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
        self.headers_timeout = headers_timeout
        self.deadline = deadline
        self.fetch_deadline = fetch_deadline
        self.min_rate = max(0.0, min_rate)
        self.rate_window = rate_window
        self.attempts = max(1, attempts)
        self.timeout_attempts = max(1, min(timeout_attempts, self.attempts))
        self.backoff_initial = backoff_initial
        self.backoff_max = backoff_max
        self.backoff_jitter = backoff_jitter
        self.retry_after_max = retry_after_max
        self.offline_after = max(1, offline_after)
        self.max_redirects = max_redirects
        self.counters = SourceStats()
        self._sem = asyncio.Semaphore(concurrency)
        self._next_start: dict[str, float] = {}
        self._no_answer = 0  # fetches in a row that got no answer
        self._offline = False
        self._client = httpx.AsyncClient(
            headers={
                "User-Agent": user_agent,
                "Accept": PAGE_ACCEPT,
                "Accept-Language": "en",
                "Accept-Encoding": ACCEPT_ENCODING,
            },
            timeout=httpx.Timeout(
                connect=connect_timeout, read=read_timeout, write=read_timeout, pool=fetch_deadline
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
    def offline(self) -> bool:
        """True after `offline_after` fetches in a row got no answer; fetches then fail at once."""
        return self._offline

    def reset_offline(self) -> None:
        self._offline = False
        self._no_answer = 0

    def url_for(self, target: str) -> str:
        """An absolute http(s) URL for a site path (`/members/peru/`) or an absolute URL."""
        if "://" in target:
            validate_base_url(target, what="URL")
            return target
        return f"{self.base_url}/{target.lstrip('/')}"

    # ------------------------------------------------------------------ fetching

    async def fetch(
        self, target: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """GET one web page (`text/html`) into memory. Raises FetchError; 304 and 404/410 are results."""
        return await self._request(target, etag, last_modified, sink_for=lambda _keep: _PageSink(), page=True)

    async def download(
        self,
        target: str,
        dest: Path,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        max_bytes: int | None = None,
        on_progress: Progress | None = None,
        resume: bool = False,
    ) -> FetchResult:
        """GET a file (anything but a web page) and stream it to `dest`, under the same rules as `fetch`.

        No deadline per try (a big file takes its time), but the minimum transfer rate, the read timeout
        and the limit on the time to headers hold. The result has `path` and `sha256`; 304 and 404/410 are
        results without a file. Raises FetchError (`dest` may then hold part of the file).

        `resume`: when `dest` already holds the start of the file (a download cut off earlier, or by a
        failed try of this one), ask for the rest only (`Range: bytes=N-`, uncompressed). A 206 whose
        `Content-Range` starts at N is appended (the result's `sha256` covers the whole file and
        `resumed_from` says N); a plain 200 replaces the partial file; a 416 or a range that starts
        elsewhere empties it and the next try starts over. Only for files whose content never changes
        under their URL (content-addressed mirror parts): no `If-Range` is sent.
        """
        return await self._request(
            target,
            etag,
            last_modified,
            sink_for=lambda keep: _FileSink(dest, keep),
            page=False,
            max_bytes=max_bytes,
            on_progress=on_progress,
            resume_path=dest if resume else None,
        )

    async def _request(
        self,
        target: str,
        etag: str | None,
        last_modified: str | None,
        *,
        sink_for: Callable[[int], _PageSink | _FileSink],
        page: bool,
        max_bytes: int | None = None,
        on_progress: Progress | None = None,
        resume_path: Path | None = None,
    ) -> FetchResult:
        url = self.url_for(target)
        if self._offline:
            raise self._offline_error(url)
        started = time.monotonic()
        tries = 0

        def retry_hook(exc: Exception) -> bool | float:
            if not isinstance(exc, FetchError) or not exc.retryable or self._offline:
                return False
            if exc.kind == "timeout" and tries >= self.timeout_attempts:
                return False
            if exc.retry_after is not None:
                return min(max(0.0, exc.retry_after), self.retry_after_max)
            return True

        try:
            async with asyncio.timeout(self.fetch_deadline):
                async for attempt in stamina.retry_context(
                    on=retry_hook,
                    attempts=self.attempts,
                    timeout=None,
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
                            result = await self._attempt(
                                url,
                                etag,
                                last_modified,
                                sink_for=sink_for,
                                page=page,
                                max_bytes=max_bytes if max_bytes is not None else self.max_bytes,
                                on_progress=on_progress,
                                resume_path=resume_path,
                            )
        except TimeoutError:
            self._count(no_answer=True)
            reason = f"no complete answer from {host_of(url)} within {self.fetch_deadline:g} s"
            raise FetchError(
                "timeout", f"{reason} ({tries} tries)", url=url, tries=tries, no_answer=True, reason=reason
            ) from None
        except FetchError as e:
            if e.kind == "offline":
                raise
            self._count(no_answer=e.no_answer)
            suffix = f" after {tries} tries" if tries > 1 else ""
            raise FetchError(
                e.kind,
                e.message + suffix,
                url=url,
                status=e.status,
                tries=tries,
                no_answer=e.no_answer,
                reason=e.message,
            ) from e
        self._count(no_answer=False)
        return replace(result, elapsed=time.monotonic() - started, tries=tries)

    def _count(self, *, no_answer: bool) -> None:
        """Count a fetch that ended: an answer resets the run of unanswered ones."""
        if not no_answer:
            self._no_answer = 0
            return
        self._no_answer += 1
        if self._no_answer >= self.offline_after:
            self._offline = True

    def _offline_error(self, url: str) -> FetchError:
        return FetchError(
            "offline",
            f"offline: {self._no_answer} requests in a row got no answer; try again when the network is back",
            url=url,
        )

    async def _pace(self, url: str) -> None:
        """Space request starts to one host at least `delay` seconds apart."""
        if self.delay <= 0:
            return
        loop = asyncio.get_running_loop()
        host = host_of(url)
        now = loop.time()
        start = max(now, self._next_start.get(host, 0.0))
        self._next_start[host] = start + self.delay
        if start > now:
            await asyncio.sleep(start - now)

    async def _attempt(self, url: str, etag: str | None, last_modified: str | None, **kw: Any) -> FetchResult:
        if not kw["page"]:  # a file takes its time; the rate and silence limits bound it
            return await self._follow(url, etag, last_modified, **kw)
        try:
            async with asyncio.timeout(self.deadline):
                return await self._follow(url, etag, last_modified, **kw)
        except TimeoutError:
            raise FetchError(
                "timeout",
                f"no complete answer from {host_of(url)} within {self.deadline:g} s",
                url=url,
                retryable=True,
                no_answer=True,
            ) from None

    async def _follow(self, url: str, etag: str | None, last_modified: str | None, **kw: Any) -> FetchResult:
        seen = {url}
        current = url
        offset = _partial_size(kw.get("resume_path"))
        for _ in range(self.max_redirects + 1):
            resp = await self._send(current, etag, last_modified, page=kw["page"], range_from=offset)
            answered = False  # an answer was handled (a result, a redirect or a refusal): keep the connection
            try:
                location = resp.headers.get("location")
                if resp.status_code in REDIRECT_STATUSES and location:
                    nxt = urljoin(current, location.strip())
                    refusal = redirect_refusal(current, nxt)
                    if refusal:
                        raise FetchError("redirects", refusal, url=url, status=resp.status_code)
                    if nxt in seen:
                        raise FetchError("redirects", f"redirect loop at {nxt}", url=url)
                    seen.add(nxt)
                    current = nxt
                    answered = True
                    continue
                result = await self._read(url, current, resp, etag, last_modified, offset=offset, **kw)
                answered = True
                return result
            except FetchError:
                answered = True
                raise
            finally:
                # A timeout or cancellation closes the connection at once; an answer releases it for reuse.
                await (self._release(resp) if answered else resp.aclose())
        raise FetchError("redirects", f"more than {self.max_redirects} redirects", url=url)

    async def _release(self, resp: httpx.Response) -> None:
        """Give a response's connection back to the pool for the next request (keep-alive).

        httpcore reuses a connection only once the answer was read to its end: a 304, a redirect or an
        error page closed unread would cost a new connection for every request. So what is left of an
        answer nobody read is read here, when it is small (at most `DRAIN_MAX` bytes: a whole 404 page) and quick (within
        `DRAIN_SECONDS`); anything bigger or slower closes the connection instead.
        """
        if not resp.is_stream_consumed:
            n = 0
            try:
                async with asyncio.timeout(min(DRAIN_SECONDS, self.read_timeout)):
                    async for chunk in resp.aiter_raw():
                        n += len(chunk)
                        if n > DRAIN_MAX:
                            break
            except (httpx.HTTPError, TimeoutError, OSError):
                pass
        await resp.aclose()

    async def _send(
        self, url: str, etag: str | None, last_modified: str | None, *, page: bool, range_from: int = 0
    ) -> httpx.Response:
        headers = {}
        if range_from > 0:  # resuming: the rest of the identity body (offsets of a gzip body differ)
            headers["Range"] = f"bytes={range_from}-"
            headers["Accept-Encoding"] = "identity"
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        if not page:
            headers["Accept"] = FILE_ACCEPT
        await self._pace(url)
        self.counters.requests += 1
        if headers.keys() & {"If-None-Match", "If-Modified-Since"}:
            self.counters.conditional += 1
        request = self._client.build_request("GET", url, headers=headers)
        try:
            async with asyncio.timeout(self.headers_timeout):
                return await self._client.send(request, stream=True)
        except TimeoutError:
            raise FetchError(
                "timeout",
                f"{host_of(url)} sent no complete answer within {self.headers_timeout:g} s",
                url=url,
                retryable=True,
                no_answer=True,
            ) from None
        except httpx.HTTPError as e:
            raise _transport_error(e, url, self) from e

    async def _read(
        self,
        url: str,
        final_url: str,
        resp: httpx.Response,
        etag: str | None,
        last_modified: str | None,
        *,
        sink_for: Callable[[int], _PageSink | _FileSink],
        page: bool,
        max_bytes: int,
        on_progress: Progress | None,
        offset: int = 0,
        resume_path: Path | None = None,
    ) -> FetchResult:
        status = resp.status_code
        keep = 0
        if offset and status in (206, 416):
            start = _range_start(resp.headers.get("content-range")) if status == 206 else None
            if start != offset:  # not the rest we asked for: drop the partial file, the next try starts over
                sink_for(0).close()
                raise FetchError(
                    "http",
                    f"the server could not resume the download at byte {offset} (HTTP {status})",
                    url=url,
                    status=status,
                    retryable=True,
                )
            keep = offset
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
        if not 200 <= status < 300 or (status == 206 and not keep):
            raise FetchError("http", f"server answered {status}", url=url, status=status)
        mime = (ctype or "").split(";")[0].strip().lower()
        if page and mime != "text/html":
            got = mime or "no content type"
            raise FetchError(
                "content_type", f"expected a web page (text/html) but got {got}", url=url, status=status
            )
        if not page and mime in WEB_PAGE_TYPES:
            raise FetchError(
                "content_type", f"expected a file but got a web page ({mime})", url=url, status=status
            )
        what = "page" if page else "file"
        too_large = FetchError(
            "too_large", f"{what} larger than {human_size(max_bytes)}", url=url, status=status
        )
        length = resp.headers.get("content-length", "")
        declared = int(length) if length.isdigit() and "content-encoding" not in resp.headers else None
        if declared is not None and keep + declared > max_bytes:
            raise too_large
        sink = sink_for(keep)
        n = 0
        try:
            decoder = BodyDecoder(resp.headers.get("content-encoding"))
            loop = asyncio.get_running_loop()
            rate = _Rate(self.min_rate, self.rate_window, loop.time())
            stream = resp.aiter_raw()
            while True:
                try:
                    async with asyncio.timeout_at(rate.deadline()):
                        raw = await anext(stream)
                except StopAsyncIteration:
                    break
                except TimeoutError:
                    raise self._too_slow(url, status) from None
                if not rate.add(len(raw), loop.time()):
                    raise self._too_slow(url, status)
                for piece in decoder.feed(raw):
                    n += len(piece)
                    if keep + n > max_bytes:
                        raise too_large
                    sink.write(piece)
                if on_progress is not None:
                    on_progress(keep + n, None if declared is None else keep + declared)
            tail = decoder.flush()
            n += len(tail)
            if keep + n > max_bytes:
                raise too_large
            sink.write(tail)
        except DecodeError as e:
            raise FetchError("decode", str(e), url=url, status=status) from e
        except httpx.HTTPError as e:
            raise _transport_error(e, url, self) from e
        finally:
            self.counters.bytes += n
            sink.close()
        common = dict(
            url=url,
            final_url=final_url,
            status=status,
            etag=resp.headers.get("etag"),
            last_modified=resp.headers.get("last-modified"),
            content_type=ctype,
            nbytes=n,
            elapsed=0.0,
        )
        if isinstance(sink, _FileSink):
            return FetchResult(
                text=None, path=sink.path, sha256=sink.sha.hexdigest(), resumed_from=keep, **common
            )
        text, replaced = decode_text(b"".join(sink.chunks), resp.charset_encoding)
        self.counters.replaced_chars += replaced
        return FetchResult(text=text, replaced_chars=replaced, **common)

    def _too_slow(self, url: str, status: int) -> FetchError:
        rate = human_size(int(self.min_rate))
        return FetchError(
            "timeout",
            f"{host_of(url)} sent less than {rate}/s for {self.rate_window:g} s",
            url=url,
            status=status,
            retryable=True,
            no_answer=True,
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
                await self._release(resp)
        except (httpx.HTTPError, TimeoutError, OSError):
            return False
        ok = resp.status_code < 500
        if ok:
            self.reset_offline()
        return ok


def _partial_size(path: Path | None) -> int:
    """How many bytes of a resumable download are already on disk (0: none, or not resuming)."""
    if path is None:
        return 0
    try:
        return path.stat().st_size if path.is_file() else 0
    except OSError:
        return 0


def _range_start(value: str | None) -> int | None:
    """The first byte of `Content-Range: bytes FIRST-LAST/TOTAL` (None when it is not that)."""
    if not value:
        return None
    unit, _, spec = value.strip().partition(" ")
    first, dash, _rest = spec.partition("-")
    if unit.lower() != "bytes" or not dash or not first.strip().isdigit():
        return None
    return int(first)


def _transport_error(e: Exception, url: str, src: Source) -> FetchError:
    host = host_of(url)
    kw: dict[str, Any] = {"url": url, "retryable": True}
    if isinstance(e, httpx.ConnectTimeout):
        return FetchError(
            "timeout", f"no connection to {host} within {src.connect_timeout:g} s", no_answer=True, **kw
        )
    if isinstance(e, httpx.ConnectError):
        return FetchError("connect", f"cannot connect to {host}", no_answer=True, **kw)
    if isinstance(e, httpx.TimeoutException):
        return FetchError(
            "timeout", f"{host} stopped answering for {src.read_timeout:g} s", no_answer=True, **kw
        )
    if isinstance(e, httpx.DecodingError):
        return FetchError("decode", f"the page from {host} could not be decompressed", url=url)
    if isinstance(e, httpx.TransportError):
        return FetchError("connect", f"the connection to {host} broke off before the page was complete", **kw)
    return FetchError("connect", f"request to {host} failed: {type(e).__name__}", url=url)


__all__ = ["USER_AGENT", "FetchError", "FetchResult", "Source", "validate_base_url"]
