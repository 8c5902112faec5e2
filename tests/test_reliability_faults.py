"""Fault matrix: every fault of the fake site against a sync of a member that already has stored data.

For each fault: the run's outcome, the reason given for the failing member, nothing stored changed for it
(`ogptui show --json` before and after), and the other members still synced (one of them changed upstream
and must be updated in the same run).
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import re
import time

import pytest

from ogptui.cli import main
from ogptui.model import Resource
from ogptui.seed import open_store
from ogptui.sync import run_sync
from tests.crashkit import integrity_problems, report
from tests.fakesite.faults import oversize_gzip

FAST = {
    "delay": 0,
    "backoff_initial": 0.001,
    "backoff_max": 0.005,
    "backoff_jitter": 0,
    "read_timeout": 0.4,
    "deadline": 1.0,
}
VICTIM = "valdoria"
OTHERS = ["peru", "port-esmer-valdoria", "norland"]
ALL = ["peru", VICTIM, "port-esmer-valdoria", "norland"]
CHALLENGE = r"^the site answered with a bot-check challenge \(HTTP {}\) instead of the page; try again later$"

# (id, fault options, expected outcome, regex for the victim's reason; None = the victim is not a failure)
FAULTS = [
    ("500", {"kind": "500"}, "partial", r"^server answered 500$"),
    ("503-retry-after", {"kind": "503", "retry_after": 0}, "partial", r"^server answered 503 after 4 tries$"),
    ("429-retry-after", {"kind": "429", "retry_after": 0}, "partial", r"^server answered 429 after 4 tries$"),
    (
        "slow-headers",
        {"kind": "slow", "delay": 0.8},
        "partial",
        r"stopped answering for 0\.4 s after 2 tries",
    ),
    (
        "slow-body",
        {"kind": "slow", "delay": 0.8, "where": "body"},
        "partial",
        r"stopped answering for 0\.4 s after 2 tries",
    ),
    ("reset-before", {"kind": "reset"}, "partial", r"broke off before the page was complete after 4 tries"),
    (
        "reset-mid",
        {"kind": "reset", "where": "mid"},
        "partial",
        r"broke off before the page was complete after 4 tries",
    ),
    ("truncated", {"kind": "truncated"}, "partial", r"broke off before the page was complete after 4 tries"),
    ("oversize-10mb", {"kind": "oversize", "size_mb": 10}, "partial", r"^page larger than 8 MB$"),
    (
        "oversize-50mb-no-length",
        {"kind": "oversize", "size_mb": 50, "length": False},
        "partial",
        r"^page larger than 8 MB$",
    ),
    (
        "gzip-bomb-50mb",
        {"kind": "oversize", "size_mb": 50, "gzip": True},
        "partial",
        r"^page larger than 8 MB$",
    ),
    (
        "wrong-type-pdf",
        {"kind": "wrong_type"},
        "partial",
        r"^expected a web page \(text/html\) but got application/pdf$",
    ),
    (
        "wrong-type-json",
        {"kind": "wrong_type", "content_type": "application/json"},
        "partial",
        r"^expected a web page \(text/html\) but got application/json$",
    ),
    (
        "challenge-200",
        {"kind": "challenge", "status": 200},
        "partial",
        r"^unusable page: the page is a bot-check challenge, not a member page$",
    ),
    ("challenge-403", {"kind": "challenge", "status": 403}, "partial", CHALLENGE.format(403)),
    ("challenge-503", {"kind": "challenge"}, "partial", CHALLENGE.format(503)),
    ("404", {"kind": "404"}, "partial", r"^page not found \(404\); kept \(first time\)$"),
    ("410", {"kind": "410"}, "partial", r"^page not found \(410\); kept \(first time\)$"),
    (
        "redirect-loop",
        {"kind": "redirect_loop"},
        "partial",
        r"^redirect loop at http://127\.0\.0\.1:\d+/members/valdoria/(\?loop=1)?$",
    ),
    ("invalid-utf8", {"kind": "invalid_utf8"}, "ok", None),  # replaced characters, then parsed
    # round 2 (issue 12): answers that never end, and redirects
    ("hang", {"kind": "hang"}, "partial", r"^127\.0\.0\.1:\d+ stopped answering for 0\.4 s after 2 tries$"),
    (
        "trickle-body",
        {"kind": "trickle_body", "interval": 0.01},
        "partial",
        r"^no complete answer from 127\.0\.0\.1:\d+ within 1 s after 2 tries$",
    ),
    (
        "trickle-headers",
        {"kind": "trickle_headers", "interval": 0.01},
        "partial",
        r"^no complete answer from 127\.0\.0\.1:\d+ within 1 s after 2 tries$",
    ),
    (
        "redirect-other-host",
        {"kind": "redirect", "location": "http://localhost:9/members/valdoria/", "status": 302},
        "partial",
        r"^refused a redirect to another site \(localhost:9\)$",
    ),
    (
        "other-member-served",
        {"kind": "serve_other", "location": "/members/norland/"},
        "partial",
        r"^unusable page: the page says it is member 'norland' \(its canonical link\), not 'valdoria'$",
    ),
]


def sync(store, site, slugs, **options):
    return asyncio.run(run_sync(store, slugs=slugs, source=site.url, source_options={**FAST, **options}))


def show_json(capsys, slug: str) -> dict:
    capsys.readouterr()
    assert main(["show", slug, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def victim_rows(store) -> dict[str, list]:
    """Every stored row that belongs to the victim (record tables, details, search rows)."""
    out = {}
    for (table,) in store.cache.execute(
        "SELECT m.name FROM sqlite_master m WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT IN ('http_state', 'sync_runs', 'changes', 'meta')"
    ).fetchall():
        cols = [c[1] for c in store.cache.execute(f"PRAGMA table_info({table})")]
        key = "slug" if table == "members" else "member_slug" if "member_slug" in cols else None
        if key:
            out[table] = store.cache.execute(
                f"SELECT * FROM {table} WHERE {key} = ? ORDER BY 1, 2", [VICTIM]
            ).fetchall()
    return out


@pytest.fixture
def synced(fake_site, ogptui_home):
    """All four members synced once; returns (site, store)."""
    store = open_store(seed=False)
    first = sync(store, fake_site, ALL)
    assert first.outcome == "ok", first.failed
    yield fake_site, store
    store.close()


SLOW_FAULTS = {"trickle-body", "trickle-headers", "hang"}  # each waits out a time limit


@pytest.mark.parametrize(
    ("fault_id", "fault", "outcome", "reason"),
    [pytest.param(*f, id=f[0], marks=[pytest.mark.slow] if f[0] in SLOW_FAULTS else []) for f in FAULTS],
)
def test_fault_on_a_stored_member(synced, capsys, fault_id, fault, outcome, reason):
    site, store = synced
    before = show_json(capsys, VICTIM)
    rows_before = victim_rows(store)
    # another member changes upstream: it must still be synced in the same run
    norland = site.member("norland")
    site.set_member(
        dataclasses.replace(
            norland, resources=[Resource("Norland Fresh Report 2026", 2026, "IRM Report", "Web page", None)]
        )
    )
    # ... and so does the victim: a fault must not let anything of the new page (or the error) in
    site.set_member(dataclasses.replace(site.member(VICTIM), name="Valdoria Changed"))
    if fault.get("gzip"):  # the fake site compresses the bomb once; do it now, outside the 1 s deadline
        oversize_gzip(int(fault["size_mb"] * 1024 * 1024))
    site.fault(f"/members/{VICTIM}/", **fault)
    t0 = time.monotonic()
    summary = sync(store, site, ALL)
    seconds = time.monotonic() - t0
    site.clear_faults()
    assert summary.outcome == outcome, (summary.outcome, summary.failed, summary.message)
    failed = dict(summary.failed)
    if reason is None:
        assert VICTIM not in failed
        assert show_json(capsys, VICTIM)["name"] == "Valdoria Changed"
    else:
        assert set(failed) == {VICTIM}, summary.failed
        assert re.search(reason, failed[VICTIM]), failed[VICTIM]
        last_error = store.http_state(site.member_url(VICTIM))["last_error"]
        assert last_error and failed[VICTIM].startswith(last_error)
        assert show_json(capsys, VICTIM) == before
        assert victim_rows(store) == rows_before
    assert summary.updated >= 1
    assert "Norland Fresh Report 2026" in [r["title"] for r in show_json(capsys, "norland")["resources"]]
    assert not integrity_problems(store.paths.cache_db)
    report(
        "fault", fault=fault_id, outcome=summary.outcome, reason=failed.get(VICTIM), seconds=round(seconds, 2)
    )


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["503", "429"])
def test_transient_overload_honours_retry_after_then_succeeds(synced, kind):
    site, store = synced
    site.set_member(dataclasses.replace(site.member(VICTIM), name="Valdoria Republic"))
    site.fault(f"/members/{VICTIM}/", kind, times=1, retry_after=1)
    site.reset_counters()
    t0 = time.monotonic()
    summary = sync(store, site, [VICTIM])
    elapsed = time.monotonic() - t0
    assert summary.outcome == "ok", summary.failed
    assert store.get_member(VICTIM).name == "Valdoria Republic"
    assert elapsed >= 0.95, "Retry-After: 1 was not honoured"
    assert site.hits(f"/members/{VICTIM}/") == 2


def test_redirect_to_another_member_is_recorded_as_moved_never_stored_as_it(synced, capsys):
    site, store = synced
    before = show_json(capsys, VICTIM)
    rows_before = victim_rows(store)
    norland_before = show_json(capsys, "norland")
    site.fault(f"/members/{VICTIM}/", "redirect", location="/members/norland/")
    summary = sync(store, site, ALL)
    assert summary.outcome == "ok" and summary.moved == [(VICTIM, "norland")] and not summary.failed
    assert "moved on the site: valdoria → norland" in summary.text()
    assert show_json(capsys, VICTIM) == before and victim_rows(store) == rows_before
    assert show_json(capsys, "norland") == norland_before  # norland's own page was not rewritten either
    state = store.http_state(site.member_url(VICTIM))
    assert state["moved_to"] == "norland" and "moved to norland" in state["last_error"]
    report("fault", fault="redirect-other-member", outcome=summary.outcome, reason=state["last_error"])
    # the site stops redirecting: the member syncs again and the mark is cleared
    site.clear_faults()
    again = sync(store, site, [VICTIM])
    assert again.outcome == "ok" and not again.moved
    assert store.http_state(site.member_url(VICTIM))["moved_to"] is None


def test_redirect_to_another_commitment_is_recorded_as_moved(synced):
    site, store = synced
    member = store.get_member(VICTIM)
    first, second = member.commitments[:2]
    before = store.cache.execute(
        "SELECT * FROM commitment_details WHERE id = ?", [first.id.upper()]
    ).fetchall()
    site.fault(
        f"/members/{VICTIM}/commitments/{first.id}/",
        "redirect",
        location=f"/members/{VICTIM}/commitments/{second.id}/",
    )
    site.set_member(dataclasses.replace(site.member(VICTIM), name="Valdoria Moved"))
    summary = sync(store, site, [VICTIM])
    assert (f"{VICTIM} {first.id.upper()}", second.id.upper()) in summary.moved
    assert (
        store.cache.execute("SELECT * FROM commitment_details WHERE id = ?", [first.id.upper()]).fetchall()
        == before
    )


def test_commitment_page_with_another_id_in_its_title_is_refused(synced):
    site, store = synced
    member = store.get_member(VICTIM)
    first, second = member.commitments[:2]
    before = store.cache.execute(
        "SELECT * FROM commitment_details WHERE id = ?", [first.id.upper()]
    ).fetchall()
    site.fault(
        f"/members/{VICTIM}/commitments/{first.id}/",
        "serve_other",
        location=f"/members/{VICTIM}/commitments/{second.id}/",
    )
    site.set_member(dataclasses.replace(site.member(VICTIM), name="Valdoria Mixed"))
    summary = sync(store, site, [VICTIM])
    assert summary.commitments_failed == 1 and not summary.moved
    state = store.http_state(f"{site.url}/members/{VICTIM}/commitments/{first.id}/")
    assert state["last_error"] == (
        f"unusable page: the page says it is commitment {second.id.upper()} (its title), not {first.id.upper()}"
    )
    assert (
        store.cache.execute("SELECT * FROM commitment_details WHERE id = ?", [first.id.upper()]).fetchall()
        == before
    )


def test_second_not_found_marks_gone_but_keeps_the_data(synced, capsys):
    site, store = synced
    before = show_json(capsys, VICTIM)
    site.fault(f"/members/{VICTIM}/", "404")
    first = sync(store, site, [VICTIM])
    second = sync(store, site, [VICTIM])
    assert dict(first.failed)[VICTIM].endswith("kept (first time)")
    assert dict(second.failed)[VICTIM].endswith("marked gone") and second.gone == [VICTIM]
    assert show_json(capsys, VICTIM) == before
    assert store.cache.execute("SELECT gone_at FROM members WHERE slug = ?", [VICTIM]).fetchone()[0]


def test_fault_on_a_commitment_page_keeps_its_stored_details(synced):
    site, store = synced
    member = store.get_member(VICTIM)
    cid = next(c.id for c in member.commitments if c.has_details())
    before = store.cache.execute("SELECT * FROM commitment_details WHERE id = ?", [cid.upper()]).fetchall()
    site.fault(f"/members/{VICTIM}/commitments/{cid}/", "challenge", status=200)
    site.set_member(dataclasses.replace(site.member(VICTIM), name="Valdoria Again"))
    summary = sync(store, site, [VICTIM])
    assert summary.commitments_failed == 1
    assert store.get_member(VICTIM).name == "Valdoria Again"
    assert (
        store.cache.execute("SELECT * FROM commitment_details WHERE id = ?", [cid.upper()]).fetchall()
        == before
    )


def test_cli_reports_the_failing_member_in_one_line(synced, capsys):
    site, store = synced
    site.fault(f"/members/{VICTIM}/", "wrong_type")
    store.close()
    from ogptui import config

    config.Settings(delay=0.001).save()
    capsys.readouterr()
    code = main(["sync", *ALL, "--source", site.url, "--quiet"])
    err = capsys.readouterr().err
    assert code == 1
    lines = [ln for ln in err.splitlines() if VICTIM in ln]
    assert lines == [f"  failed: {VICTIM}: expected a web page (text/html) but got application/pdf"], err
    assert "Traceback" not in err
