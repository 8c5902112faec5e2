"""Textual-free pieces of the TUI: ages, freshness words, filters, bars."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ogptui.model import PerformanceRow
from ogptui.timefmt import ago, freshness_text
from ogptui.tui import render
from tests.fakesite.data import sample_member

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


@dataclass
class F:
    fetched_at: str | None = None
    checked_at: str | None = None
    last_error: str | None = None
    failures: int = 0
    gone_at: str | None = None
    embedded: bool = False
    captured_at: str | None = None


def iso(delta: timedelta) -> str:
    return (NOW - delta).isoformat()


def test_ago_words():
    assert ago(NOW, NOW) == "just now"
    assert ago(iso(timedelta(minutes=5)), NOW) == "5 min ago"
    assert ago(iso(timedelta(hours=3)), NOW) == "3 h ago"
    assert ago(iso(timedelta(days=3)), NOW) == "3 days ago"
    assert ago(None, NOW) == "never"
    assert ago("2025-06-01T09:00:00Z", NOW) == "3 h ago"


def test_freshness_states_are_words_and_symbols():
    assert str(freshness_text(F(fetched_at=iso(timedelta(hours=3))), NOW)) == "✓ synced 3 h ago"
    assert str(freshness_text(F(fetched_at=iso(timedelta(days=3))), NOW)) == "! stale · synced 3 days ago"
    # checked (304) counts as seen
    f = F(fetched_at=iso(timedelta(days=3)), checked_at=iso(timedelta(hours=1)))
    assert freshness_text(f, NOW).state == "fresh"
    f = F(fetched_at=iso(timedelta(days=1, hours=1)), last_error="timeout", failures=1)
    assert str(freshness_text(f, NOW)) == "✗ failed last sync: timeout · synced 25 h ago"
    assert freshness_text(F(gone_at="2025-05-01T00:00:00Z"), NOW).text == "gone from site since 2025-05-01"
    emb = freshness_text(F(embedded=True, captured_at="2026-11-28"), NOW)
    assert emb.state == "embedded" and "captured before 2026-11-28" in emb.text
    assert freshness_text(None, NOW).state == "never"
    assert freshness_text(F(), NOW).text == "never synced"


def test_filter_is_case_and_accent_insensitive():
    assert render.matches("peru design", "Perú Design Report 2017-2019")
    assert render.matches("", "anything")
    assert not render.matches("kenya", "Peru")


def test_metrics_unknown_is_a_word_and_bars_scale():
    m = sample_member()
    text = render.metrics_text(m, 120).plain
    assert "unknown (raw numbers: 0" in text
    assert "Most per action plan: 2, 7" in text
    m.performance = [PerformanceRow(1, 40, 0, None, [40, 0])]
    m.benchmarks = []
    text = render.metrics_text(m, 120).plain
    assert "40" in text and "unknown" in text
    line = next(x for x in text.splitlines() if x.startswith("Action Plan 1"))
    assert len(line) < 120  # a big value is scaled, not drawn 40 cells long per unit


def test_scraped_text_is_never_markup():
    m = sample_member()
    m.name = "[bold]X[/bold]"
    text = render.overview_text(m, "fresh", False)
    assert text.plain.startswith("[bold]X[/bold]")


def test_store_text_is_cleaned_on_output_and_wrong_types_do_not_crash():
    """A store may hold what the ingest would never write (a crafted bundle, a hand edit): the text
    builders clean it, and text where a number belongs is shown as text (these raised TypeError before)."""
    bad = "\x1b]0;pwned\x07x\x9b31m\u202e7"
    m = sample_member()
    m.name = bad
    m.contacts[0].side = bad
    m.warnings = [bad]
    m.performance[1].major = bad
    m.performance[2].action_plan = bad
    m.participation[0].action_plan = bad
    m.global_report[0].implications = [bad]
    texts = [
        render.overview_text(m, bad, True, 100).plain,
        render.metrics_text(m, 100).plain,
        render.participation_text(m).plain,
        render.plain(bad).plain,
        render.plain(f"a\n{bad}\nb", multiline=True).plain,
    ]
    for text in texts:
        assert not [ch for ch in text if ord(ch) < 32 and ch != "\n" or 0x7F <= ord(ch) <= 0x9F], text
        assert "pwned" not in text and "\u202e" not in text
        assert "x7" in text
    assert render.plain(f"a\n{bad}\nb", multiline=True).plain == "a\nx7\nb"
    assert render.order(3) < render.order(10) < render.order("x")
    assert render.number(True) is None and render.number("3") is None and render.number(3) == 3
