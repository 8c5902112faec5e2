"""What a fetch returns or raises, and the Source's counters."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ERROR_KINDS = frozenset(
    {"offline", "connect", "timeout", "http", "too_large", "content_type", "redirects", "decode", "challenge"}
)


@dataclass(frozen=True)
class FetchResult:
    """One answered fetch. 304 → `not_modified=True`, `text=None`; 404/410 → `status` set, `text=None`.

    A download (`Source.download`) has `path` and `sha256` of the file written instead of `text`.
    """

    url: str
    final_url: str  # after redirects (same site only)
    status: int
    text: str | None
    etag: str | None
    last_modified: str | None
    content_type: str | None
    nbytes: int  # decoded body bytes
    elapsed: float  # seconds, all tries included
    not_modified: bool = False
    tries: int = 1
    replaced_chars: int = 0  # invalid byte sequences replaced while decoding
    path: Path | None = None
    sha256: str | None = None
    resumed_from: int = 0  # a resumed download: bytes already on disk before this request (nbytes excludes them)

    @property
    def gone(self) -> bool:
        return self.status in (404, 410)


class FetchError(Exception):
    """A fetch that failed. `message` is one sentence for users; `kind` is one of ERROR_KINDS.

    `reason` is the message without the "after N tries" suffix.
    """

    def __init__(
        self,
        kind: str,
        message: str,
        *,
        url: str | None = None,
        status: int | None = None,
        tries: int = 1,
        retryable: bool = False,
        retry_after: float | None = None,
        no_answer: bool = False,
        reason: str | None = None,
    ) -> None:
        assert kind in ERROR_KINDS, kind
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.reason = reason or message
        self.url = url
        self.status = status
        self.tries = tries
        # Whether another try may help and the server's wait hint (internal), and whether the source gave
        # no answer at all (no connection, or silence / a trickle past the time limits): those count
        # toward "offline".
        self.retryable = retryable
        self.retry_after = retry_after
        self.no_answer = no_answer

    def __repr__(self) -> str:
        return f"FetchError(kind={self.kind!r}, status={self.status!r}, url={self.url!r}, message={self.message!r})"


@dataclass
class SourceStats:
    requests: int = 0  # HTTP requests sent (each redirect hop and retry counts)
    conditional: int = 0  # requests with If-None-Match / If-Modified-Since
    not_modified: int = 0  # 304 answers
    bytes: int = 0  # decoded body bytes read
    retries: int = 0  # tries after the first
    replaced_chars: int = 0  # invalid UTF-8 (or other charset) sequences replaced
    probes: int = 0  # reachability checks (`probe`)
