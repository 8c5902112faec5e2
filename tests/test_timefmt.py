"""ogptui.timefmt: times read from the store, ages in words, and freshness lines, each threshold at both sides."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

import pytest

from ogptui.timefmt import CLOCK_SKEW, ago, freshness_text, in_future, parse_iso, short_date

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


def iso(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-06-01T12:00:00Z", NOW),
        ("2025-06-01T12:00:00.250Z", NOW + timedelta(milliseconds=250)),  # what utcnow_ms writes
        ("2025-06-01T14:00:00+02:00", NOW),
        ("2025-06-01T12:00:00", NOW),  # no zone: UTC
        ("2025-06-01", datetime(2025, 6, 1, tzinfo=UTC)),
        ("", None),
        (None, None),
        ("yesterday", None),
        ("2025-13-01T00:00:00Z", None),
    ],
)
def test_parse_iso(text, expected):
    assert parse_iso(text) == expected


def test_parse_iso_always_gives_an_aware_time():
    assert parse_iso("2025-06-01T12:00:00").tzinfo is not None
    assert parse_iso("2025-06-01T12:00:00-05:00").utcoffset() == timezone(timedelta(hours=-5)).utcoffset(None)


def test_in_future_allows_the_clock_skew_and_no_more():
    assert not in_future(NOW + CLOCK_SKEW, NOW)
    assert in_future(NOW + CLOCK_SKEW + timedelta(seconds=1), NOW)
    assert in_future(iso(NOW + CLOCK_SKEW + timedelta(seconds=1)), NOW)
    assert not in_future(NOW - timedelta(days=3), NOW)
    assert not in_future(None, NOW) and not in_future("not a time", NOW)


@pytest.mark.parametrize(
    ("before", "words"),
    [
        (timedelta(0), "just now"),
        (timedelta(seconds=59), "just now"),
        (timedelta(seconds=60), "1 min ago"),
        (timedelta(minutes=59, seconds=59), "59 min ago"),
        (timedelta(minutes=60), "1 h ago"),
        (timedelta(hours=47, minutes=59), "47 h ago"),
        (timedelta(hours=48), "2 days ago"),
        (timedelta(days=59, hours=23), "59 days ago"),
        (timedelta(days=60), "2 months ago"),  # was "1 months ago" (60 days are 1.97 of 30.4 days)
        (timedelta(days=91), "2 months ago"),
        (timedelta(days=92), "3 months ago"),
        (timedelta(days=729), "23 months ago"),
        (timedelta(days=730), "2 years ago"),  # was "1 years ago" (24 months of 30.4 days are 1.997 years)
        (timedelta(days=1095), "2 years ago"),
        (timedelta(days=1096), "3 years ago"),
    ],
)
def test_ago_at_each_threshold(before, words):
    assert ago(NOW - before, NOW) == words
    assert ago(iso(NOW - before), NOW) == words


def test_ago_of_nothing_is_never():
    assert ago(None, NOW) == ago("garbage", NOW) == "never"


def test_short_date():
    assert short_date("2025-06-01T23:59:59Z") == "2025-06-01"
    assert short_date(None) == short_date("x") == "unknown date"


@dataclass
class Fresh:
    """The fields of a store `Freshness` (or `MemberSummary`)."""

    fetched_at: str | None = None
    checked_at: str | None = None
    last_error: str | None = None
    failures: int = 0
    gone_at: str | None = None
    embedded: bool = False
    captured_at: str | None = None


HOUR = timedelta(hours=1)


@pytest.mark.parametrize(
    ("fresh", "symbol", "state", "text"),
    [
        (None, "?", "never", "not in the cache"),
        (Fresh(), "?", "never", "never synced"),
        (Fresh(fetched_at=iso(NOW - HOUR)), "✓", "fresh", "synced 1 h ago"),
        (Fresh(fetched_at=iso(NOW - 24 * HOUR)), "✓", "fresh", "synced 24 h ago"),  # 24 h: not yet stale
        (Fresh(fetched_at=iso(NOW - 24 * HOUR - timedelta(seconds=1))), "!", "stale", "stale · synced 24 h ago"),
        # a cheap check (304) counts as seen: the newer of the two times
        (Fresh(fetched_at=iso(NOW - 30 * HOUR), checked_at=iso(NOW - HOUR)), "✓", "fresh", "synced 1 h ago"),
        (
            Fresh(fetched_at=iso(NOW - HOUR), last_error="timeout", failures=1),
            "✗", "failed", "failed last sync: timeout · synced 1 h ago",
        ),
        (Fresh(fetched_at=iso(NOW - HOUR), last_error="timeout", failures=0), "✓", "fresh", "synced 1 h ago"),
        (Fresh(last_error="refused", failures=2), "✗", "failed", "failed last sync: refused"),
        (
            Fresh(fetched_at=iso(NOW - HOUR), gone_at="2025-05-01T00:00:00Z"),
            "†", "gone", "gone from site since 2025-05-01",
        ),
        (Fresh(embedded=True, captured_at="2026-11-28"), "◆", "embedded", "embedded sample captured before 2026-11-28"),
        (
            Fresh(embedded=True, captured_at="2026-11-28", last_error="offline", failures=1),
            "✗", "failed", "failed last sync: offline · embedded sample captured before 2026-11-28",
        ),
        (Fresh(captured_at="2025-01-01"), "?", "unknown", "date unknown (data from before 2025-01-01)"),
    ],
)  # fmt: skip
def test_freshness_text(fresh, symbol, state, text):
    f = freshness_text(fresh, NOW)
    assert (f.symbol, f.state, f.text) == (symbol, state, text)
    assert str(f) == f"{symbol} {text}"


def test_stale_hours_is_the_threshold():
    fresh = Fresh(fetched_at=iso(NOW - 2 * HOUR))
    assert freshness_text(fresh, NOW, stale_hours=2).state == "fresh"
    assert freshness_text(fresh, NOW, stale_hours=1.99).state == "stale"


@pytest.mark.parametrize(
    ("fresh", "short"),
    [
        (Fresh(embedded=True, captured_at="2026-11-28"), "◆ embedded sample"),
        (Fresh(last_error="refused", failures=1), "✗ sync failed · never synced"),
        (Fresh(gone_at="2025-05-01T00:00:00Z"), "† gone from site"),
        (Fresh(fetched_at=iso(NOW - HOUR)), "✓ synced 1 h ago"),
        (None, "? not cached"),
    ],
)
def test_compact_freshness_for_table_cells(fresh, short):
    assert freshness_text(fresh, NOW).compact() == short
