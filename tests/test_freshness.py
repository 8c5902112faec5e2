"""Issue 14.1: freshness tells the truth. A check that failed or got no answer is not a sync: ages come from
the last successful fetch (or a 304 that confirmed the data), and the embedded sample stays labelled until
real data replaces it: in `ogptui members` (text and JSON), `show`, the Markdown brief, and the TUI
(tests/test_tui_truth.py)."""

from __future__ import annotations

import json
import socket
from datetime import UTC, datetime, timedelta

import pytest

from ogptui.cli.main import main
from ogptui.seed import open_store
from ogptui.timefmt import freshness_text
from tests.fakesite.data import sample_member

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
PERU_URL = "https://www.opengovpartnership.org/members/peru/"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def fail_check(
    store, url: str, slug: str, reason: str = "cannot connect to 127.0.0.1:9 after 4 tries"
) -> None:
    """What sync records for a member page that got no answer (`Syncer._fail`)."""
    state = store.http_state(url) or {}
    store.note_http(url, kind="member", member_slug=slug, failures=int(state.get("failures") or 0) + 1,
                    last_error=reason)  # fmt: skip


@pytest.fixture
def peru_failed(capsys):
    """A fresh data home (the embedded Peru) after `ogptui sync peru` with no network."""
    rc, out, err = run(capsys, "sync", "peru", "--source", f"http://127.0.0.1:{closed_port()}", "--quiet")
    assert rc == 1, (out, err)
    with open_store() as s:
        f = s.freshness("peru")
    assert f.embedded and f.failures and f.last_error  # the failed check is recorded
    return f


def test_a_failed_sync_of_the_embedded_sample_is_not_a_sync(peru_failed):
    text = freshness_text(peru_failed, datetime.now(UTC))
    assert text.state == "failed" and text.embedded
    assert "synced" not in text.text.replace("last sync", "")  # no "synced just now"
    assert "failed last sync" in text.text and "embedded sample captured before" in text.text
    assert text.confirmed is None and text.stale


def test_members_show_and_brief_after_a_failed_sync(peru_failed, capsys):
    rc, out, _ = run(capsys, "members")
    assert rc == 0 and "embedded sample" in out and "synced" not in out.replace("last sync", "")
    rc, out, _ = run(capsys, "members", "--json")
    (peru,) = json.loads(out)
    assert peru["fetched_at"] is None and peru["synced_at"] is None
    assert peru["freshness"] == "failed" and "embedded sample" in peru["freshness_text"]
    rc, out, _ = run(capsys, "show", "peru")
    assert rc == 0 and "embedded sample" in out and "min ago" not in out and "just now" not in out
    rc, out, _ = run(capsys, "show", "peru", "--format", "md")
    assert rc == 0 and "embedded sample" in out and "just now" not in out and "min ago" not in out


def test_age_comes_from_the_last_confirmation_not_the_last_check():
    with open_store() as s:
        m = sample_member()
        url = m.source_url
        fetched = NOW - timedelta(days=3)
        m.fetched_at = iso(fetched)
        s.write_member(m, http={"url": url, "fetched_at": iso(fetched), "checked_at": iso(fetched),
                                "confirmed_at": iso(fetched)})  # fmt: skip
        # a 304 one hour ago confirmed the data (the fetch time stays the first fetch's)
        s.note_http(url, checked_at=iso(NOW - timedelta(hours=1)), confirmed_at=iso(NOW - timedelta(hours=1)),
                    failures=0, last_error=None)  # fmt: skip
        assert freshness_text(s.freshness("testland"), NOW).text == "synced 1 h ago"
        # then a check that failed, just now: the age stays that of the 304
        fail_check(s, url, "testland", "timeout")
        s.note_http(url, checked_at=iso(NOW))
        f = freshness_text(s.freshness("testland"), NOW)
    assert f.state == "failed" and f.text == "failed last sync: timeout · synced 1 h ago"
    assert not f.stale  # confirmed an hour ago: auto-sync has no reason to hammer


def test_a_row_from_before_confirmed_at_counts_its_clean_check():
    """Rows written before schema 4 have no `confirmed_at`: a check without an error confirmed the data."""
    with open_store() as s:
        m = sample_member()
        m.fetched_at = iso(NOW - timedelta(days=3))
        s.write_member(m, http={"url": m.source_url, "fetched_at": iso(NOW - timedelta(days=3)),
                                "checked_at": iso(NOW - timedelta(hours=2))})  # fmt: skip
        assert s.freshness("testland").confirmed_at == iso(NOW - timedelta(hours=2))
        fail_check(s, m.source_url, "testland")
        assert s.freshness("testland").confirmed_at is None  # a failed last check confirmed nothing


@pytest.mark.parametrize(
    ("age", "state", "stale"),
    [(timedelta(hours=23, minutes=59), "fresh", False), (timedelta(hours=24, minutes=1), "stale", True)],
)
def test_both_edges_of_the_stale_threshold(age, state, stale):
    with open_store() as s:
        m = sample_member()
        m.fetched_at = iso(NOW - age)
        s.write_member(
            m, http={"url": m.source_url, "fetched_at": iso(NOW - age), "confirmed_at": iso(NOW - age)}
        )
        f = freshness_text(s.freshness("testland"), NOW, 24)
        summary = next(x for x in s.list_members() if x.slug == "testland")
    assert (f.state, f.stale) == (state, stale)
    assert freshness_text(summary, NOW, 24).state == state  # the members list says the same
    assert f.text == ("synced 23 h ago" if state == "fresh" else "stale · synced 24 h ago")


def test_the_embedded_sample_is_labelled_until_real_data_replaces_it():
    with open_store() as s:
        f = freshness_text(s.freshness("peru"), NOW)
        assert f.state == "embedded" and f.compact() == "◆ embedded sample"
        peru = s.get_member("peru")
        s.write_member(peru, http={"url": PERU_URL, "fetched_at": iso(NOW), "confirmed_at": iso(NOW)})
        f = freshness_text(s.freshness("peru"), NOW)
    assert f.state == "fresh" and not f.embedded and f.text == "synced just now"
