"""The one exception the child's extractors raise for an expected failure: a status and one sentence."""

from __future__ import annotations


class ExtractError(Exception):
    def __init__(self, status: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
