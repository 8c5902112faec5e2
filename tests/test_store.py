"""Store: migrations, idempotent writes, child removal, gone marking, watchlist, corruption handling."""

from __future__ import annotations

import copy
import sqlite3

import pytest

from ogptui import config
from ogptui.model import (
    Benchmark,
    Commitment,
    CommitmentPage,
    Contact,
    CurrentPlan,
    Member,
    PerformanceRow,
    Resource,
)
from ogptui.seed import open_store
from ogptui.store import db as dbmod
from ogptui.store.schema import CACHE_MIGRATIONS


def sample_member(slug: str = "ruritania", n_resources: int = 3) -> Member:
    return Member(
        slug=slug,
        name=slug.title(),
        member_since=2014,
        action_plan=3,
        current_plan=CurrentPlan(years="2022-2024", number=3, commitment_count=2, summary="A plan."),
        contacts=[Contact("Ana Pérez", "Coordinator, Ministry", "ana@example.org", "government")],
        commitments=[
            Commitment(id="RU0001", title="Open budgets", year=2022, policy_area="Fiscal Openness"),
            Commitment(id="RU0002", title="Open courts", year=2022, policy_area="Justice"),
        ],
        resources=[
            Resource(f"Ruritania Report {i}", 2020 + i, "IRM Report", "Web page") for i in range(n_resources)
        ],
        performance=[PerformanceRow(1, raw=[0]), PerformanceRow(2, 1, 0, 1, [1, 0, 1])],
        benchmarks=[Benchmark("global", "Most per action plan", [4, 7])],
        fetched_at="2026-01-01T00:00:00Z",
        source_url="http://127.0.0.1/members/ruritania/",
    )


def test_migrations_from_empty_and_rerun_is_noop(store):
    assert store.cache.execute("PRAGMA user_version").fetchone()[0] == len(CACHE_MIGRATIONS)
    assert store.cache.execute("PRAGMA application_id").fetchone()[0] == dbmod.CACHE_APP_ID
    assert store.cache.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert dbmod.migrate(store.cache, CACHE_MIGRATIONS, dbmod.CACHE_APP_ID) == 0


def test_member_round_trip_is_identical(store):
    m = sample_member()
    res = store.write_member(m)
    assert res.written and res.rows > 1
    got = store.get_member("ruritania")
    assert got.to_dict() == m.to_dict()


def test_second_write_of_same_member_changes_no_rows(store):
    m = sample_member()
    store.write_member(m)
    before = store.cache.execute("SELECT total_changes()").fetchone()[0]
    res = store.write_member(copy.deepcopy(m))
    assert not res.written and res.rows == 0
    # without http bookkeeping nothing at all is touched
    assert store.cache.execute("SELECT total_changes()").fetchone()[0] == before


def test_update_removes_children_that_disappeared(store):
    store.write_member(sample_member(n_resources=3))
    res = store.write_member(sample_member(n_resources=1))
    assert res.written
    got = store.get_member("ruritania")
    assert [r.title for r in got.resources] == ["Ruritania Report 0"]
    assert store.cache.execute("SELECT count(*) FROM resources").fetchone()[0] == 1
    removed = [c for c in res.changes if c.action == "removed" and c.kind == "resource"]
    assert len(removed) == 2


def test_changes_recorded_for_added_resource(store):
    store.write_member(sample_member(n_resources=1))
    run = store.begin_run("http://x", "ruritania")
    store.write_member(sample_member(n_resources=2), run_id=run)
    rows = store.recent_changes(run_id=run)
    assert [(r.action, r.kind) for r in rows] == [("added", "resource")]
    assert "Ruritania Report 1" in rows[0].summary


def test_commitment_details_join_and_are_idempotent(store):
    store.write_member(sample_member())
    page = CommitmentPage(
        id="RU0001",
        title="Open budgets",
        status="Active",
        policy_areas=["Fiscal Openness"],
        irm_reports=["Ruritania Design Report"],
        description="Line one\nLine two",
    )
    assert store.write_commitment(page, "ruritania").written
    assert not store.write_commitment(copy.deepcopy(page), "ruritania").written
    c = store.get_commitment("ruritania", "ru0001")
    assert c.status == "Active" and c.irm_reports == ["Ruritania Design Report"]
    d = store.get_member("ruritania").to_dict()
    assert d["commitments"][0]["status"] == "Active"
    assert "status" not in d["commitments"][1]  # details only when known


def test_gone_only_after_two_not_found(store):
    store.write_member(sample_member(), http={"url": "u1", "etag": '"a"'})
    assert store.record_not_found("u1", "ruritania", 404) is False
    assert store.get_member("ruritania") is not None
    assert store.list_members()[0].gone_at is None
    assert store.record_not_found("u1", "ruritania", 404) is True
    summary = store.list_members()[0]
    assert summary.gone_at is not None
    assert store.get_member("ruritania") is not None  # still viewable


def test_watchlist_lives_in_user_db(store):
    store.write_member(sample_member())
    store.watch("ruritania")
    store.watch("ruritania")
    assert store.watchlist() == ["ruritania"]
    assert store.list_members()[0].watched
    store.unwatch("ruritania")
    assert store.watchlist() == []


def test_find_slug_suggests_close_matches(store):
    store.write_member(sample_member())
    assert store.find_slug("ruritnia") == ["ruritania"]


def test_corrupt_cache_is_moved_aside_not_deleted(ogptui_home):
    p = config.ensure_home()
    p.cache_db.write_bytes(b"this is not a database" * 100)
    s = open_store(seed=False)
    try:
        assert any("moved to" in n for n in s.notices)
        moved = list(p.home.glob("cache.db.corrupt-*"))
        assert len(moved) == 1 and moved[0].read_bytes().startswith(b"this is not")
        assert s.list_members() == []
    finally:
        s.close()


def test_corrupt_user_db_is_never_overwritten(ogptui_home):
    p = config.ensure_home()
    junk = b"garbage" * 1000
    p.user_db.write_bytes(junk)
    s = open_store(seed=False)
    try:
        assert s.user is None and s.watchlist() == []
        assert any("watchlist" in n for n in s.notices)
    finally:
        s.close()
    assert p.user_db.read_bytes() == junk


def test_newer_schema_is_refused(ogptui_home):
    p = config.ensure_home()
    conn = sqlite3.connect(p.cache_db)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(dbmod.StoreError, match="upgrade ogptui"):
        open_store(seed=False)


def test_a_failing_migration_leaves_no_half_schema(ogptui_home):
    p = config.ensure_home()
    db = dbmod.connect(p.cache_db)

    def half_then_fail(d):
        CACHE_MIGRATIONS[0](d)  # the whole v1 script runs inside the migration's transaction...
        raise RuntimeError("power cut")  # ...and then the step dies

    with pytest.raises(RuntimeError):
        dbmod.migrate(db, [half_then_fail], dbmod.CACHE_APP_ID)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
    db.close()


def test_reads_do_not_load_sqlite_utils(ogptui_home):
    """Start-up reads go straight to sqlite3 (importing sqlite-utils costs 50-70 ms before the first paint)."""
    import subprocess
    import sys

    open_store().close()  # first open: migrations and the embedded sample (writes load it, that is fine)
    code = (
        "import sys; from ogptui.seed import open_store; s = open_store(); "
        "s.get_member('peru'); s.list_members(); s.watchlist(); s.last_run(); s.freshness('peru'); "
        "print('sqlite_utils' in sys.modules)"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "False"


def test_a_migration_step_failing_half_way_leaves_version_and_schema_as_before(ogptui_home):
    """Each step's statements run inside one BEGIN IMMEDIATE of our own (sqlite3.executescript would COMMIT
    first); checked from a second, plain sqlite3 connection."""
    p = config.ensure_home()
    path = p.home / "m.db"

    def v1(d):
        d.script("CREATE TABLE a (x INTEGER);")

    def v2_fails_half_way(d):
        d.script(
            "CREATE TABLE b (x); CREATE TRIGGER t AFTER INSERT ON b BEGIN DELETE FROM a; END; "
            "INSERT INTO a VALUES (1); INSERT INTO missing_table VALUES (1);"
        )

    db = dbmod.connect(path)
    assert dbmod.migrate(db, [v1], dbmod.CACHE_APP_ID) == 1
    with pytest.raises(sqlite3.OperationalError, match="missing_table"):
        dbmod.migrate(db, [v1, v2_fails_half_way], dbmod.CACHE_APP_ID)
    assert not db.in_transaction
    db.close()
    plain = sqlite3.connect(path)
    try:
        assert plain.execute("PRAGMA user_version").fetchone()[0] == 1
        names = {r[0] for r in plain.execute("SELECT name FROM sqlite_master")}
        assert names == {"a"}
        assert plain.execute("SELECT count(*) FROM a").fetchone()[0] == 0
    finally:
        plain.close()


def test_script_runs_only_inside_a_transaction_and_splits_statements():
    assert dbmod.statements("CREATE TABLE a (x); ; INSERT INTO a VALUES ('x;y');") == [
        "CREATE TABLE a (x);",
        "INSERT INTO a VALUES ('x;y');",
    ]
    trig = "CREATE TRIGGER t AFTER INSERT ON a BEGIN DELETE FROM a; INSERT INTO a VALUES (1); END;"
    assert dbmod.statements(trig + " SELECT 1;") == [trig, "SELECT 1;"]
    with pytest.raises(ValueError, match="incomplete"):
        dbmod.statements("SELECT 1; CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1")
    db = dbmod.connect(":memory:")
    with pytest.raises(RuntimeError, match="inside a transaction"):
        db.script("CREATE TABLE a (x);")
    db.close()


def test_migrations_do_not_need_sqlite_utils(ogptui_home):
    import subprocess
    import sys

    code = (
        "import sys; from ogptui.seed import open_store; s = open_store(seed=False); "
        "print(s.cache.execute('PRAGMA user_version').fetchone()[0], 'sqlite_utils' in sys.modules)"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == [str(len(CACHE_MIGRATIONS)), "False"]


def test_run_target_and_count(store):
    assert store.run_count() == 0
    run = store.begin_run("http://x", "watchlist")
    assert store.run_target(run) == "watchlist"
    assert store.run_target(run + 1) is None
    assert store.run_count() == 1


def test_transaction_is_reentrant_and_all_or_nothing(store):
    with pytest.raises(RuntimeError), store.transaction():
        store.write_member(sample_member("aaa"))
        run = store.begin_run("x", "import")
        assert store.run_target(run) == "import"
        raise RuntimeError("fail after two writes")
    assert store.member_slugs() == [] and store.run_count() == 0
    with store.transaction():
        store.write_member(sample_member("aaa"))
        store.write_member(sample_member("bbb"))
    assert store.member_slugs() == ["aaa", "bbb"]
    assert not store.cache.in_transaction
