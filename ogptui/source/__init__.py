"""The remote side: fetching OGP pages and files politely (no Textual, no sqlite here)."""

from ogptui.urls import redirect_refusal, same_site, validate_base_url

from .client import USER_AGENT, Source
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
    "redirect_refusal",
    "same_site",
    "validate_base_url",
]
