"""The remote side: fetching OGP pages politely (no Textual, no sqlite here)."""

from .client import USER_AGENT, Source, validate_base_url
from .retry_after import parse_retry_after
from .types import ERROR_KINDS, FetchError, FetchResult, SourceStats

__all__ = [
    "ERROR_KINDS",
    "USER_AGENT",
    "FetchError",
    "FetchResult",
    "Source",
    "SourceStats",
    "parse_retry_after",
    "validate_base_url",
]
