"""Ages and freshness as words ("synced 3 h ago", "stale", "failed last sync: timeout").

Pure functions with an explicit `now`, so the screens (and snapshot tests) can use a fixed clock.
State is always a word plus a symbol, never colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from ogptui.i18n import _, ngettext

# How far ahead of this machine's clock a time may be and still be believed (clocks of two laptops differ).
# Anything later is not a time anyone synced at (a bundle "from 2099"): an import takes it as unknown.
CLOCK_SKEW = timedelta(minutes=10)


def parse_iso(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt


def in_future(when: datetime | str | None, now: datetime) -> bool:
    """True for a time later than `now` plus the tolerated clock skew (so not a real past event)."""
    dt = parse_iso(when) if isinstance(when, str) or when is None else when
    return dt is not None and dt > now + CLOCK_SKEW


def ago(when: datetime | str | None, now: datetime) -> str:
    """'just now', '5 min ago', '3 h ago', '2 days ago', '3 months ago'."""
    if isinstance(when, str) or when is None:
        when = parse_iso(when)
    if when is None:
        return _("never")
    secs = (now - when).total_seconds()
    if secs < 60:
        return _("just now")
    mins = secs / 60
    if mins < 60:
        return _("{n} min ago").format(n=int(mins))
    hours = mins / 60
    if hours < 48:
        return _("{n} h ago").format(n=int(hours))
    days = hours / 24
    if days < 60:
        n = int(days)
        return ngettext("{n} day ago", "{n} days ago", n).format(n=n)
    months = days / 30.4
    if months < 24:  # 60 days are 1.97 "months": at least 2 here, as 730 days are at least 2 years below
        n = max(2, int(months))
        return ngettext("{n} month ago", "{n} months ago", n).format(n=n)
    n = max(2, int(days / 365.25))
    return ngettext("{n} year ago", "{n} years ago", n).format(n=n)


def short_date(value: str | None) -> str:
    dt = parse_iso(value)
    return dt.strftime("%Y-%m-%d") if dt else _("unknown date")


@dataclass(frozen=True)
class FreshnessText:
    symbol: str  # one character, meaningful without colour
    state: str  # fresh | stale | failed | gone | embedded | never | unknown (imported, time not known)
    text: str  # the full line
    short: str = ""  # a compact form for narrow places (a table cell, a title bar at 80 columns)
    embedded: bool = False  # the data is still the embedded sample (whatever the last check said)
    stale: bool = True  # no confirmation within the stale threshold: auto-sync should try
    confirmed: datetime | None = None  # when the data was last confirmed (see `confirmed_at`)

    def __str__(self) -> str:
        return f"{self.symbol} {self.text}"

    def compact(self) -> str:
        return f"{self.symbol} {self.short or self.text}"


def confirmed_at(fresh: Any) -> datetime | None:
    """When the stored data was last known to match the site: its last successful fetch, or a check that
    confirmed it (a `304 Not Modified`). A check that failed or got no answer confirms nothing.

    `fresh` has `fetched_at`, and `confirmed_at` from the store; without `confirmed_at` (an object from
    before it existed), a check that recorded no error counts as a confirmation."""
    fetched = parse_iso(getattr(fresh, "fetched_at", None))
    if hasattr(fresh, "confirmed_at"):
        confirmed = parse_iso(fresh.confirmed_at)
    else:
        confirmed = (
            None if getattr(fresh, "last_error", None) else parse_iso(getattr(fresh, "checked_at", None))
        )
    return max((d for d in (fetched, confirmed) if d), default=None)


def freshness_text(fresh: Any, now: datetime, stale_hours: float = 24.0) -> FreshnessText:
    """Describe a store `Freshness` (or `MemberSummary`, same fields) in words.

    The age is that of the last confirmation (`confirmed_at`), never of a failed check; the embedded sample
    is called so until real data replaces it, whatever the last check gave."""
    if fresh is None:
        return FreshnessText("?", "never", _("not in the cache"), _("not cached"))
    gone_at = getattr(fresh, "gone_at", None)
    last_error = getattr(fresh, "last_error", None)
    failed = bool(last_error and (getattr(fresh, "failures", 0) or 0))
    embedded = bool(getattr(fresh, "embedded", False))
    captured = getattr(fresh, "captured_at", None)
    seen = None if embedded else confirmed_at(fresh)
    stale = seen is None or (now - seen).total_seconds() > stale_hours * 3600
    common: dict[str, Any] = {"embedded": embedded, "stale": stale, "confirmed": seen}
    if gone_at:
        text = _("gone from site since {date}").format(date=short_date(gone_at))
        return FreshnessText("†", "gone", text, _("gone from site"), **common)
    if embedded:
        base = _("embedded sample captured before {date}").format(date=short_date(captured))
        if failed:
            return FreshnessText(
                "✗",
                "failed",
                _("failed last sync: {error}").format(error=last_error) + f" · {base}",
                _("sync failed · embedded sample"),
                **common,
            )
        return FreshnessText("◆", "embedded", base, _("embedded sample"), **common)
    if seen is None and captured:
        # Data whose fetch time is not known: an import whose time was missing or in the future (a bundle
        # claiming 2099 is stored without it, never as "synced just now"); `captured_at` says how old it is
        # at most.
        text = _("date unknown (data from before {date})").format(date=short_date(captured))
        if failed:
            return FreshnessText(
                "✗",
                "failed",
                _("failed last sync: {error}").format(error=last_error) + f" · {text}",
                _("sync failed · date unknown"),
                **common,
            )
        return FreshnessText("?", "unknown", text, _("date unknown"), **common)
    if seen is None:
        if failed:
            failure = _("failed last sync: {error}").format(error=last_error)
            return FreshnessText("✗", "failed", failure, _("sync failed · never synced"), **common)
        return FreshnessText("?", "never", _("never synced"), **common)
    age = _("synced {ago}").format(ago=ago(seen, now))
    if failed:
        failure = _("failed last sync: {error}").format(error=last_error)
        return FreshnessText("✗", "failed", f"{failure} · {age}", _("sync failed") + f" · {age}", **common)
    if stale:
        return FreshnessText("!", "stale", _("stale") + f" · {age}", **common)
    return FreshnessText("✓", "fresh", age, **common)


def checked_text(fetched_at: str | None, checked_at: str | None, now: datetime) -> str | None:
    """When the site was last asked for one page ("checked 2 days ago"), and when its content last came
    ("content from 9 days ago") if that is earlier; None when the page was never fetched (an embedded or
    imported record). Sync re-checks commitment and document pages less often than member pages, so each
    detail view says its own age."""
    fetched, checked = parse_iso(fetched_at), parse_iso(checked_at)
    seen = max((d for d in (fetched, checked) if d), default=None)
    if seen is None:
        return None
    text = _("checked {ago}").format(ago=ago(seen, now))
    if fetched is not None and (seen - fetched).total_seconds() >= 60:
        text += _(" (content from {ago})").format(ago=ago(fetched, now))
    return text
