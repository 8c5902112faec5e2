"""A watchlist can hold a slug that no command would accept (an old or hand-edited user.db): sync skips it
with one line and syncs the rest, instead of ending in a traceback."""

from __future__ import annotations

import sqlite3

from ogptui.cli import main
from ogptui.config import paths
from ogptui.seed import open_store


def test_a_bad_slug_in_the_watchlist_is_skipped_with_one_line(fake_site, capsys):
    with open_store() as store:
        store.watch("peru")
    user = sqlite3.connect(paths().user_db)
    with user:
        user.execute("INSERT INTO watchlist (slug, added_at) VALUES (?, ?)", ["pe\x1b]0;x\x07ru x", "2026-01-01"])
    user.close()
    code = main(["sync", "--source", fake_site.url, "--quiet"])
    captured = capsys.readouterr()
    assert code == 1  # partial: one member could not be synced
    assert "Traceback" not in captured.err and "\x1b" not in captured.err + captured.out
    failed = [line for line in captured.err.splitlines() if "not a valid member slug" in line]
    assert len(failed) == 1 and "skipped" in failed[0]
    assert captured.out.startswith("2 members: 1 updated, 0 unchanged, 1 failed;")
    with open_store() as store:  # the good member was synced: no longer the embedded sample
        fresh = store.freshness("peru")
        assert fresh is not None and not fresh.embedded and fresh.fetched_at
