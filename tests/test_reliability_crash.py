"""Crash harness: `ogptui sync --all` SIGKILLed at random moments, again and again.

After every kill the cache passes `PRAGMA integrity_check` and the FTS5 integrity checks, no member is
half-written (children add up to the stored record hash), `ogptui show` works, and the killed run asked only
for pages the interrupted runs before it had not finished. After each chain of kills a run completes and
fetches exactly what was left (plus the directory page, which every run reads).

OGPTUI_KILL_CYCLES (default 30) sets how many kills must land; OGPTUI_KILL_SEED varies the moments.
"""

from __future__ import annotations

import dataclasses
import os
import random
import subprocess
import time

import pytest

from ogptui.model import Post
from ogptui.seed import open_store
from tests.crashkit import (
    DIRECTORY,
    connect,
    crash_site_data,
    done_paths,
    half_written,
    integrity_problems,
    kill_after,
    norm_path,
    report,
    requested_paths,
    resume_point,
    run_cli,
    site_paths,
    start_cli,
    wait_for,
    write_settings,
)

CYCLES = int(os.environ.get("OGPTUI_KILL_CYCLES", "30"))
SEED = int(os.environ.get("OGPTUI_KILL_SEED", "20240601"))
KILLS_PER_CHAIN = 6


def left_to_fetch(home, all_paths: set[str]) -> set[str]:
    db = home / "cache.db"
    if not db.exists():
        return set(all_paths)
    conn = connect(db)
    try:
        return all_paths - done_paths(conn, resume_point(conn))
    finally:
        conn.close()


def check_cache(home, rng: random.Random) -> list[str]:
    db = home / "cache.db"
    if not db.exists():
        return []
    problems = integrity_problems(db)
    store = open_store(seed=False)
    try:
        problems += [f"notice on open: {n}" for n in store.notices]
        problems += half_written(store)
        slugs = store.member_slugs()
    finally:
        store.close()
    if slugs:
        slug = rng.choice(slugs)
        r = run_cli(home, "show", slug)
        if r.returncode != 0 or "Traceback" in r.stderr or not r.stdout.strip():
            problems.append(f"`ogptui show {slug}` failed ({r.returncode}): {r.stderr.strip()[-300:]}")
    return problems


def first_request(site, proc) -> float:
    """Wait until the run asks the site for its first page (or ends); the moment it did."""
    wait_for(lambda: site.counters.requests > 0 or proc.poll() is not None)
    return time.monotonic()


def bump_upstream(site, chain: int) -> None:
    """Change every member's page so the next chain rewrites every member (kills land mid-rewrite)."""
    for m in site.members():
        news = Post(title=f"Chain {chain}: news from {m.name}", teaser="What changed upstream.", url=None)
        site.set_member(dataclasses.replace(m, posts=[news, *m.posts[-2:]]))


@pytest.mark.slow
def test_sigkill_during_sync_all_never_damages_the_cache(make_fake_site, ogptui_home):
    home = ogptui_home
    data = crash_site_data(members=50)
    site = make_fake_site(data, latency=0.003)
    # max_age_days 0: every run checks every page, so "what is left" is exactly the pages not done since the
    # chain began (the max-age rule has its own tests in test_sync_maxage.py)
    write_settings(home, delay=0.001, concurrency=4, max_age_days=0)
    all_paths = site_paths(data)
    directory = norm_path(DIRECTORY)
    rng = random.Random(SEED)
    landed = finished_early = chains = 0
    per_page = 0.02  # seconds of work per page (an upper bound, lowered by what the runs show)
    kill_moments: list[float] = []
    kills_after_progress = 0  # kills that landed after the run had stored something
    t_start = time.monotonic()
    while landed < CYCLES:
        chains += 1
        if chains > 1:
            # Right away: resume compares millisecond times, so the pages the last full run checked just
            # before the next (interrupted) run started are not taken as done by it.
            bump_upstream(site, chains)
        in_chain = 0
        while in_chain < KILLS_PER_CHAIN and landed < CYCLES:
            left = left_to_fetch(home, all_paths)
            site.reset_counters()
            proc = start_cli(home, "sync", "--all", "--source", site.url, "--quiet")
            t_first = None
            if rng.random() < 0.15:  # now and then, while it starts up (opening the store, migrations)
                moment = rng.uniform(0.02, 0.4)
            else:  # mostly while it fetches and writes: a random point of the work left
                t_first = first_request(site, proc)
                moment = rng.uniform(0.0, len(left) * per_page)
            if kill_after(proc, moment):
                landed += 1
                in_chain += 1
                kill_moments.append(moment)
            else:
                finished_early += 1
                assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""
                if t_first is not None and left:
                    per_page = min(per_page, (time.monotonic() - t_first) / len(left))
            if proc.stderr:
                proc.stderr.close()
            asked = requested_paths(site)
            extra = asked - left - {directory}
            assert not extra, (
                f"cycle {landed}: re-fetched pages an interrupted run had finished: {sorted(extra)[:5]}"
            )
            problems = check_cache(home, rng)
            assert not problems, f"after kill {landed} at {moment:.2f} s: {problems}"
            if len(left_to_fetch(home, all_paths)) < len(left):
                kills_after_progress += 1
        # the next run completes and fetches only what was left
        left = left_to_fetch(home, all_paths)
        site.reset_counters()
        proc = start_cli(home, "sync", "--all", "--source", site.url, "--quiet")
        t0 = first_request(site, proc)
        _, err = proc.communicate(timeout=120)
        per_page = min(per_page, (time.monotonic() - t0) / max(1, len(left)))
        r = subprocess.CompletedProcess(proc.args, proc.returncode, "", err)
        assert r.returncode == 0, r.stderr
        assert "Traceback" not in r.stderr
        assert requested_paths(site) == left | {directory}
        assert max(site.counters.by_path.values()) == 1, "a page was fetched twice"
        assert not check_cache(home, rng)
        store = open_store(seed=False)
        try:
            summaries = {
                m.slug: (m.posts[0].title if m.posts else None)
                for m in map(store.get_member, store.member_slugs())
            }
        finally:
            store.close()
        want = f"Chain {chains}:" if chains > 1 else None
        stale = [s for s, text in summaries.items() if want and not (text or "").startswith(want)]
        assert not stale, f"members not refreshed in chain {chains}: {stale[:5]}"
        assert len(summaries) == len(data.members)
    report(
        "crash",
        kills_landed=landed,
        kills_after_progress=kills_after_progress,
        runs_finished_before_kill=finished_early,
        chains=chains,
        members=len(data.members),
        pages=len(all_paths),
        kill_moment_range=[round(min(kill_moments), 2), round(max(kill_moments), 2)],
        seconds=round(time.monotonic() - t_start, 1),
    )
