"""Fewer requests (issue 19): member pages every sync; commitment and document pages and files only when
their member page changed, their last check failed, or it is older than their max-age (`max_age_days`,
shortened by a fixed per-URL jitter); `sync --full` checks everything. 304s are recorded in batches."""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import signal
from datetime import UTC, datetime, timedelta

import pytest

from ogptui import config
from ogptui import sync as syncmod
from ogptui.cli import main
from ogptui.model import Post
from ogptui.seed import open_store
from ogptui.store import Store
from ogptui.sync import run_sync
from ogptui.sync_checks import MAX_AGE_JITTER, due, max_age_limit
from ogptui.timefmt import checked_text
from tests.crashkit import (
    DIRECTORY,
    connect,
    crash_site_data,
    done_paths,
    half_written,
    integrity_problems,
    norm_path,
    requested_paths,
    resume_point,
    run_cli,
    site_paths,
    start_cli,
    wait_for,
    write_settings,
)

FAST = {"delay": 0, "backoff_initial": 0.001, "backoff_max": 0.005, "backoff_jitter": 0, "offline_after": 2}
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
URL = "https://example.org/members/peru/commitments/PE0001/"


def iso(dt: datetime) -> str:
    return dt.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def state(checked: datetime | None, **kw) -> dict:
    return {"checked_at": iso(checked) if checked else None, "failures": 0, "last_error": None, **kw}


def settings(**kw) -> config.Settings:
    s = config.Settings()
    for k, v in kw.items():
        setattr(s, k, v)
    return s


def sync(store, site, slugs=None, **kw):
    kw.setdefault("settings", settings(documents="none"))
    return asyncio.run(run_sync(store, slugs=slugs, source=site.url, source_options=dict(FAST), **kw))


def commitment_paths(site, slug: str) -> list[str]:
    return [f"/members/{slug}/commitments/{c.id}/" for c in site.member(slug).commitments]


def asked(site) -> int:
    return site.counters.requests


# ------------------------------------------------------------------------------------------- the rule


def test_max_age_limit_is_fixed_per_url_and_spread_within_a_quarter():
    limits = [max_age_limit(f"{URL}{i}", 7) for i in range(2000)]
    assert all(timedelta(days=7 * (1 - MAX_AGE_JITTER)) <= x <= timedelta(days=7) for x in limits)
    assert max(limits) - min(limits) > timedelta(days=1.5)  # pages fetched together fall due over days
    assert max_age_limit(URL, 7) == max_age_limit(URL, 7)  # the same every run
    assert max_age_limit(URL, 14) == 2 * max_age_limit(URL, 7)


def test_due_at_both_sides_of_the_max_age():
    limit = max_age_limit(URL, 7)
    kw = {"url": URL, "changed_at": None, "now": NOW, "max_age_days": 7}
    assert not due(state(NOW - limit + timedelta(seconds=1)), **kw)
    assert due(state(NOW - limit), **kw)
    assert due(state(NOW - limit - timedelta(seconds=1)), **kw)
    assert not due(state(NOW - timedelta(minutes=5)), **kw)


def test_due_when_never_checked_failed_not_found_or_max_age_zero():
    kw = {"url": URL, "changed_at": None, "now": NOW, "max_age_days": 7}
    recent = NOW - timedelta(hours=1)
    assert due(None, **kw)
    assert due(state(None), **kw)
    assert due(state(recent, last_error="server answered 500", failures=1), **kw)
    assert due(state(recent, failures=2), **kw)
    assert due(state(recent, not_found=1), **kw)  # the second 404 in a row decides "gone"
    assert not due(state(recent, not_found=2, gone_at=iso(recent)), **kw)  # gone: the max-age decides
    assert due(state(recent), **{**kw, "max_age_days": 0})


def test_due_when_the_member_changed_after_the_last_check():
    checked = NOW - timedelta(hours=2)
    kw = {"url": URL, "now": NOW, "max_age_days": 7}
    assert due(state(checked), changed_at=iso(checked + timedelta(seconds=1)), **kw)
    assert not due(state(checked), changed_at=iso(checked - timedelta(seconds=1)), **kw)
    assert not due(state(checked), changed_at=iso(checked), **kw)


# ------------------------------------------------------------------------------------ against the site


def test_resync_checks_the_member_page_and_no_recent_commitment_page(store: Store, fake_site):
    first = sync(store, fake_site, ["peru"])
    n = len(fake_site.member("peru").commitments)
    assert first.requests == 1 + n and first.not_due == 0
    fake_site.reset_counters()
    again = sync(store, fake_site, ["peru"])
    assert asked(fake_site) == 1 and fake_site.hits("/members/peru/") == 1
    assert again.outcome == "ok" and again.not_due == n and again.unchanged == 1
    assert f"{n} pages checked recently not re-checked (`ogptui sync --full` checks them)" in again.text()


def test_full_checks_every_page(store: Store, fake_site):
    sync(store, fake_site, ["peru"])
    fake_site.reset_counters()
    again = sync(store, fake_site, ["peru"], full=True)
    paths = commitment_paths(fake_site, "peru")
    assert asked(fake_site) == 1 + len(paths) == fake_site.counters.not_modified
    assert all(fake_site.hits(p) == 1 for p in paths)
    assert again.not_due == 0


def test_a_changed_member_page_rechecks_all_its_commitment_pages(store: Store, fake_site):
    sync(store, fake_site, ["peru", "valdoria"])
    peru = fake_site.member("peru")
    fake_site.set_member(dataclasses.replace(peru, posts=[Post("News", "Something new.", None), *peru.posts]))
    fake_site.reset_counters()
    again = sync(store, fake_site, ["peru", "valdoria"])
    assert again.updated == 1
    assert all(fake_site.hits(p) == 1 for p in commitment_paths(fake_site, "peru"))
    assert all(fake_site.hits(p) == 0 for p in commitment_paths(fake_site, "valdoria"))
    assert asked(fake_site) == 2 + len(peru.commitments)


def test_commitment_pages_fall_due_at_their_max_age_and_not_a_second_before(store: Store, fake_site):
    sync(store, fake_site, ["peru"])
    now = datetime.now(UTC)
    with store.transaction() as db:  # the member page last changed a month ago
        db.execute("UPDATE members SET fetched_at = ? WHERE slug = 'peru'", [iso(now - timedelta(days=30))])
    paths = commitment_paths(fake_site, "peru")
    old, young = (fake_site.url + p for p in paths[:2])
    # checked_at one minute past / one minute short of each URL's own limit (a run takes well under that)
    store.note_http(old, checked_at=iso(now - max_age_limit(old, 7) - timedelta(minutes=1)))
    store.note_http(young, checked_at=iso(now - max_age_limit(young, 7) + timedelta(minutes=1)))
    fake_site.reset_counters()
    again = sync(store, fake_site, ["peru"], settings=settings(documents="none", max_age_days=7))
    assert fake_site.hits(paths[0]) == 1 and fake_site.hits(paths[1]) == 0
    assert asked(fake_site) == 2 and again.not_due == len(paths) - 1
    # the re-checked page's check time moved on: not due again in the next run
    fake_site.reset_counters()
    sync(store, fake_site, ["peru"])
    assert asked(fake_site) == 1


def test_a_failed_commitment_page_is_retried_next_run(store: Store, fake_site):
    first = commitment_paths(fake_site, "peru")[0]
    fake_site.fault(first, "500", times=1)
    s1 = sync(store, fake_site, ["peru"])
    assert s1.commitments_failed == 1
    fake_site.reset_counters()
    sync(store, fake_site, ["peru"])
    assert fake_site.hits(first) == 1 and asked(fake_site) == 2


def test_documents_and_files_follow_the_same_rule(store: Store, fake_site):
    docs = settings(documents="all")
    sync(store, fake_site, ["peru"], settings=docs)
    fake_site.reset_counters()
    again = sync(store, fake_site, ["peru"], settings=docs)
    assert asked(fake_site) == 1 and again.not_due > len(fake_site.member("peru").commitments)
    # a changed document page is found by --full (its member page did not change)
    slug = "peru-design-report-2019-2021"
    page = copy.deepcopy(fake_site.document(slug))
    page.summary = "A new summary."
    fake_site.set_document(page)
    assert sync(store, fake_site, ["peru"], settings=docs).documents_updated == 0
    assert sync(store, fake_site, ["peru"], settings=docs, full=True).documents_updated == 1


def test_max_age_zero_checks_everything_every_time(store: Store, fake_site):
    sync(store, fake_site, ["peru"])
    fake_site.reset_counters()
    sync(store, fake_site, ["peru"], settings=settings(documents="none", max_age_days=0))
    assert asked(fake_site) == 1 + len(fake_site.member("peru").commitments)


def test_max_age_days_setting_rule():
    assert config.Settings().max_age_days == 7
    assert "max_age_days" in config.Settings.rules()
    with pytest.raises(ValueError):
        config.Settings.rules()["max_age_days"].check(-1, "max_age_days")


# ------------------------------------------------------------------------------------- batched 304s


def test_304s_are_written_in_batches_not_one_transaction_each(store: Store, fake_site, monkeypatch):
    sync(store, fake_site, ["peru", "valdoria"])
    calls: list[int] = []
    singles: list[str] = []
    real_checked, real_note = Store.note_checked, Store.note_http
    monkeypatch.setattr(Store, "note_checked", lambda self, rows: (calls.append(len(rows)), real_checked(self, rows)))
    monkeypatch.setattr(Store, "note_http", lambda self, url, **f: (singles.append(url), real_note(self, url, **f)))
    monkeypatch.setattr(syncmod, "CHECKED_SECONDS", 3600.0)
    monkeypatch.setattr(syncmod, "CHECKED_BATCH", 4)
    fake_site.reset_counters()
    t0 = iso(datetime.now(UTC) - timedelta(milliseconds=1))
    sync(store, fake_site, ["peru", "valdoria"], full=True)
    n = fake_site.counters.not_modified
    assert n == asked(fake_site) > 8 and singles == []
    assert sum(calls) == n and all(c == 4 for c in calls[:-1]) and len(calls) == -(-n // 4)
    # every URL's check was recorded (a later run's resume and max-age depend on it)
    checked = store.cache.execute("SELECT count(*) FROM http_state WHERE checked_at >= ?", [t0]).fetchone()[0]
    assert checked == n


def test_sigkill_mid_resync_keeps_the_written_batches_and_the_next_run_resumes(make_fake_site, ogptui_home):
    """A no-change `--full` re-sync killed once a batch of 304s is on disk: the cache is intact, nothing
    stored changed, the batches written count as done, and the next run asks exactly for the rest."""
    home = ogptui_home
    data = crash_site_data(members=40, commitments_per_member=20)
    site = make_fake_site(data, latency=0.01)
    write_settings(home, delay=0, concurrency=4)
    assert run_cli(home, "sync", "--all", "--source", site.url, "--quiet", timeout=300).returncode == 0
    db = home / "cache.db"

    def hashes() -> list:
        conn = connect(db)
        try:
            return conn.execute("SELECT slug, record_hash FROM members ORDER BY slug").fetchall()
        finally:
            conn.close()

    def done() -> set[str]:
        conn = connect(db)
        try:
            return done_paths(conn, resume_point(conn))
        finally:
            conn.close()

    before = hashes()
    all_paths = site_paths(data)
    site.reset_counters()
    proc = start_cli(home, "sync", "--all", "--full", "--source", site.url, "--quiet")
    try:
        assert wait_for(lambda: bool(done()) or proc.poll() is not None, timeout=120)
        assert proc.poll() is None, "the re-sync ended before its first batch was written"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.stderr:
            proc.stderr.close()
    answered = requested_paths(site)
    assert integrity_problems(db) == []
    with open_store(seed=False) as store:
        assert half_written(store) == []
    assert hashes() == before
    kept = done()
    assert 0 < len(kept) < len(all_paths)
    assert kept <= answered  # what is recorded as done was asked and answered (304) in the killed run
    site.reset_counters()
    assert run_cli(home, "sync", "--all", "--full", "--source", site.url, "--quiet", timeout=300).returncode == 0
    assert requested_paths(site) == (all_paths - kept) | {norm_path(DIRECTORY)}
    assert hashes() == before


# ------------------------------------------------------------------- every view says how old it is


def test_checked_text():
    now = NOW
    assert checked_text(None, None, now) is None
    assert checked_text(iso(now - timedelta(days=2)), None, now) == "checked 2 days ago"
    assert checked_text(iso(now - timedelta(days=9)), iso(now - timedelta(days=2)), now) == (
        "checked 2 days ago (content from 9 days ago)"
    )
    assert checked_text(iso(now - timedelta(seconds=30)), iso(now - timedelta(seconds=5)), now) == "checked just now"


def test_show_and_document_say_when_their_pages_were_checked(store: Store, fake_site, capsys):
    sync(store, fake_site, ["peru"], settings=settings(documents="pages"))
    paths = commitment_paths(fake_site, "peru")
    store.note_http(fake_site.url + paths[0], checked_at=iso(datetime.now(UTC) - timedelta(days=6, hours=1)))
    assert main(["show", "peru"]) == 0
    out = capsys.readouterr().out
    assert (
        f"Commitment pages ({len(paths)}): checked just now, the oldest 6 days ago "
        "(`ogptui sync --full` checks them all now)"
    ) in out
    assert main(["document", "peru-design-report-2019-2021"]) == 0
    assert "checked just now" in capsys.readouterr().out


async def test_commitment_screen_says_when_its_page_was_checked(store: Store, fake_site):
    from ogptui.tui.screens.commitment import CommitmentScreen
    from tests.tuikit import fixed_now, make_app

    await run_sync(store, slugs=["peru"], source=fake_site.url, source_options=dict(FAST))
    first = fake_site.member("peru").commitments[0]
    assert store.commitment_checked("peru", first.id) is not None
    old = iso(fixed_now() - timedelta(days=3))  # the app's clock is fixed
    store.note_http(fake_site.url + f"/members/peru/commitments/{first.id}/", fetched_at=old, checked_at=old)
    app = make_app(store=store, slug="peru")
    async with app.run_test(size=(120, 36)) as pilot:
        await app.push_screen(CommitmentScreen("peru", first.id))
        await pilot.pause()
        body = str(app.screen.query_one("#commitment-text").render())
        assert "checked 3 days ago" in body and "Page" in body
    assert store.commitment_checked("peru", "NO-SUCH") is None


def test_a_batch_is_all_or_nothing_when_a_write_fails_mid_batch(store: Store, fake_site, monkeypatch):
    """A full disk on the second commitment page of a batch: the whole batch (the first page and every
    304 with it) is rolled back, the run stops with the error, and the next run stores both pages."""
    import sqlite3

    sync(store, fake_site, ["peru"])
    ids = [c.id for c in fake_site.member("peru").commitments[:2]]
    for cid in ids:
        page = copy.deepcopy(fake_site.commitment("peru", cid))
        page.description = f"Rewritten upstream: {cid}."
        fake_site.set_commitment(page, "peru")

    def rows() -> tuple:
        details = store.cache.execute("SELECT id, record_hash FROM commitment_details ORDER BY id").fetchall()
        checks = store.cache.execute("SELECT url, checked_at FROM http_state ORDER BY url").fetchall()
        return details, checks

    before = rows()
    real = Store.write_commitment
    calls = []

    def failing(self, page, slug, **kw):
        calls.append(page.id)
        if len(calls) == 2:
            raise sqlite3.OperationalError("database or disk is full")
        return real(self, page, slug, **kw)

    monkeypatch.setattr(Store, "write_commitment", failing)
    monkeypatch.setattr(syncmod, "CHECKED_SECONDS", 3600.0)
    with pytest.raises(sqlite3.OperationalError):
        sync(store, fake_site, ["peru"], full=True)
    assert rows() == before  # the first page and the 304s of the batch were rolled back with it
    assert store.cache.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert store.last_run().outcome == "failed"
    monkeypatch.setattr(Store, "write_commitment", real)
    again = sync(store, fake_site, ["peru"], full=True)
    assert again.outcome == "ok" and again.commitments_updated == 2
    assert {store.get_commitment("peru", cid).description for cid in ids} == {f"Rewritten upstream: {c}." for c in ids}
