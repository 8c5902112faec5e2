"""Offline bundles: round trip, per-member merge, subset export, and every refusal leaving the cache as it was."""

from __future__ import annotations

import asyncio
import copy
import hashlib
import json
import random
import sqlite3
import zipfile
from pathlib import Path

import pytest

from ogptui import bundle as bundlemod
from ogptui.bundle import BUNDLE_APP_ID, DB_NAME, MANIFEST_NAME, BundleError, export_bundle, import_bundle
from ogptui.cli import main
from ogptui.seed import open_store
from ogptui.store import db as dbmod
from ogptui.store.rows import CHILD_TABLES, child_rows, member_row
from ogptui.store.schema import CACHE_MIGRATIONS
from ogptui.sync import run_sync
from tests.fakesite.data import default_site


# ---- helpers -------------------------------------------------------------------------------------
def use_home(monkeypatch, home: Path) -> Path:
    monkeypatch.setenv("OGPTUI_HOME", str(home))
    return home


def run(capsys, *argv: str) -> tuple[int, str, str]:
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sync_all(url: str) -> None:
    with open_store() as store:
        summary = asyncio.run(run_sync(store, all_members=True, source=url, delay=0))
        assert summary.outcome == "ok", summary.text()


def show_all(capsys) -> dict[str, dict]:
    with open_store() as store:
        slugs = store.member_slugs()
    out = {}
    for slug in slugs:
        rc, text, err = run(capsys, "show", slug, "--json")
        assert rc == 0, err
        out[slug] = json.loads(text)
    return out


def search_docs(home: Path) -> list[tuple]:
    conn = sqlite3.connect(home / "cache.db")
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        if "search_docs" not in tables:
            return []
        cols = [r[1] for r in conn.execute("PRAGMA table_info(search_docs)") if r[1] != "id"]
        return sorted(conn.execute(f"SELECT {', '.join(cols)} FROM search_docs").fetchall(), key=repr)
    finally:
        conn.close()


def rewrite(src: Path, dst: Path, *, manifest=None, db=None, fix_checksum: bool = True) -> None:
    """Copy a bundle, changing its manifest (a function of the dict) and/or database (a function of a path)."""
    with zipfile.ZipFile(src) as zf:
        man = json.loads(zf.read(MANIFEST_NAME))
        data = zf.read(DB_NAME)
    if db is not None:
        tmp = dst.with_suffix(".sqlite")
        tmp.write_bytes(data)
        db(tmp)
        data = tmp.read_bytes()
        tmp.unlink()
    if fix_checksum:
        man["db"]["sha256"] = hashlib.sha256(data).hexdigest()
        man["db"]["size"] = len(data)
    if manifest is not None:
        manifest(man)
    with zipfile.ZipFile(dst, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(MANIFEST_NAME, json.dumps(man))
        zf.writestr(DB_NAME, data)


def dated(member, when: str):
    m = copy.deepcopy(member)
    m.fetched_at = when
    m.source_url = f"http://127.0.0.1:1/members/{m.slug}/"
    return m


SITE = default_site()
MEMBERS = {m.slug: m for m in SITE.members}
DETAILS = SITE.commitments


# ---- round trip ----------------------------------------------------------------------------------
def test_round_trip_gives_identical_members(fake_site, tmp_path, monkeypatch, capsys):
    a = use_home(monkeypatch, tmp_path / "a")
    sync_all(fake_site.url)
    before = show_all(capsys)
    assert len(before) == 4
    bundle = tmp_path / "team.bundle"
    rc, out, err = run(capsys, "export", str(bundle))
    assert rc == 0, err
    assert str(bundle) in out and "4 members" in out and "resources" in out and "kB" in out

    with zipfile.ZipFile(bundle) as zf:
        assert zf.namelist() == [MANIFEST_NAME, DB_NAME]
        man = json.loads(zf.read(MANIFEST_NAME))
        data = zf.read(DB_NAME)
    assert man["format"] == "ogptui-bundle" and man["format_version"] == 1
    assert man["schema_version"] == len(CACHE_MIGRATIONS)
    assert man["db"]["sha256"] == hashlib.sha256(data).hexdigest()
    assert man["counts"]["members"] == 4 and man["counts"]["commitment_details"] == len(DETAILS)
    assert man["sources"] == [fake_site.url.rstrip("/")]
    peru = man["members"]["peru"]
    assert peru["fetched_at"] and peru["oldest_fetched_at"] <= peru["newest_fetched_at"]
    inner = tmp_path / "inner.sqlite"
    inner.write_bytes(data)
    conn = sqlite3.connect(inner)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == BUNDLE_APP_ID
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("SELECT count(*) FROM sync_runs").fetchone()[0] == 0
    conn.close()

    b = use_home(monkeypatch, tmp_path / "b")  # an empty home: it starts with the embedded Peru sample
    rc, out, err = run(capsys, "import", str(bundle))
    assert rc == 0, err
    assert "3 members added, 1 updated" in out  # the fetched Peru replaces the embedded sample
    assert show_all(capsys) == before
    assert search_docs(b) == search_docs(a)
    rc, out, _ = run(capsys, "changes")
    assert "Valdoria: added" in out

    # Importing the same bundle again changes nothing.
    rc, out, _ = run(capsys, "import", str(bundle))
    assert rc == 0 and "0 members added, 0 updated, 4 kept" in out
    assert show_all(capsys) == before


def test_subset_export(fake_site, tmp_path, monkeypatch, capsys):
    use_home(monkeypatch, tmp_path / "a")
    sync_all(fake_site.url)
    bundle = tmp_path / "one.bundle"
    rc, out, err = run(capsys, "export", str(bundle), "--member", "valdoria", "--member", "Norland")
    assert rc == 0, err
    assert "2 members" in out
    with zipfile.ZipFile(bundle) as zf:
        man = json.loads(zf.read(MANIFEST_NAME))
    assert sorted(man["members"]) == ["norland", "valdoria"]
    assert man["counts"]["commitment_details"] == sum(1 for (s, _) in DETAILS if s in ("valdoria", "norland"))

    use_home(monkeypatch, tmp_path / "b")
    rc, out, err = run(capsys, "import", str(bundle))
    assert rc == 0, err
    with open_store() as store:
        assert sorted(store.member_slugs()) == ["norland", "peru", "valdoria"]
        assert store.freshness("peru").embedded  # untouched embedded sample

    rc, _, err = run(capsys, "export", str(bundle), "--member", "atlantis")
    assert rc == 2 and "no member 'atlantis'" in err and "Traceback" not in err


def test_export_refuses_bad_targets(tmp_path, capsys, ogptui_home):
    run(capsys, "members")
    before = sha(ogptui_home / "cache.db")
    rc, _, err = run(capsys, "export", str(ogptui_home / "cache.db"))
    assert rc == 2 and "inside ogptui's data folder" in err
    assert sha(ogptui_home / "cache.db") == before
    rc, _, err = run(capsys, "export", str(tmp_path))
    assert rc == 2 and "is a folder" in err
    rc, _, err = run(capsys, "export", str(tmp_path / "missing" / "x.bundle"))
    assert rc == 2 and "does not exist" in err
    assert not list(tmp_path.glob(".*.tmp"))


# ---- merge ---------------------------------------------------------------------------------------
def test_merge_newer_wins_per_member_and_per_detail(tmp_path, monkeypatch):
    peru, valdoria, norland = MEMBERS["peru"], MEMBERS["valdoria"], MEMBERS["norland"]
    d1, d2 = (DETAILS[k] for k in list(k for k in DETAILS if k[0] == "peru")[:2])

    # The bundle: an OLD Peru with an extra resource, Valdoria; Peru's detail 1 newer, detail 2 older.
    use_home(monkeypatch, tmp_path / "a")
    with open_store(seed=False) as store:
        old_peru = dated(peru, "2026-01-01T00:00:00Z")
        old_peru.resources = [*old_peru.resources, copy.deepcopy(old_peru.resources[0])]
        old_peru.resources[-1].title = "Only in the old copy"
        http = {"etag": '"old"', "fetched_at": "2026-01-01T00:00:00Z", "status": 200}
        store.write_member(old_peru, http={**http, "url": "http://127.0.0.1:1/members/peru/"})
        store.write_member(
            dated(valdoria, "2026-01-01T00:00:00Z"),
            http={**http, "url": "http://127.0.0.1:1/members/valdoria/"},
        )
        p1 = copy.deepcopy(d1)
        p1.fetched_at, p1.status = "2026-09-01T00:00:00Z", "Completed (from bundle)"
        p2 = copy.deepcopy(d2)
        p2.fetched_at, p2.status = "2026-01-01T00:00:00Z", "Stale status (from bundle)"
        store.write_commitment(p1, "peru")
        store.write_commitment(p2, "peru")
        export_bundle(store, tmp_path / "old.bundle")

    # The cache: a NEWER Peru, Norland; detail 1 older, detail 2 newer.
    use_home(monkeypatch, tmp_path / "b")
    with open_store(seed=False) as store:
        store.write_member(dated(peru, "2026-06-01T00:00:00Z"))
        store.write_member(dated(norland, "2026-06-01T00:00:00Z"))
        c1 = copy.deepcopy(d1)
        c1.fetched_at, c1.status = "2026-06-01T00:00:00Z", "Ongoing (cache)"
        c2 = copy.deepcopy(d2)
        c2.fetched_at, c2.status = "2026-06-01T00:00:00Z", "Fresh status (cache)"
        store.write_commitment(c1, "peru")
        store.write_commitment(c2, "peru")
        peru_before = store.get_member("peru").to_dict()

        report = import_bundle(store, tmp_path / "old.bundle")
        assert report.added == ["Valdoria"] and report.updated == [] and report.kept == ["Peru"]
        assert report.details_updated == 1
        assert sorted(store.member_slugs()) == ["norland", "peru", "valdoria"]
        after = store.get_member("peru")
        assert all(r.title != "Only in the old copy" for r in after.resources)
        assert after.fetched_at == "2026-06-01T00:00:00Z"
        by_id = {c.id: c for c in after.commitments}
        assert by_id[d1.id].status == "Completed (from bundle)"
        assert by_id[d2.id].status == "Fresh status (cache)"
        expected = copy.deepcopy(peru_before)
        for c in expected["commitments"]:
            if c["id"] == d1.id:
                c["status"] = "Completed (from bundle)"
        assert after.to_dict() == expected
        assert store.get_member("norland") is not None  # members only in the cache stay
        # Validators come only with the data they describe: Valdoria's were taken, old Peru's were not.
        assert store.http_state("http://127.0.0.1:1/members/valdoria/")["etag"] == '"old"'
        assert store.http_state("http://127.0.0.1:1/members/peru/") is None

        run_ = store.runs(1)[0]
        assert (
            run_.id == report.run_id and run_.outcome == "ok" and run_.source == str(tmp_path / "old.bundle")
        )
        summaries = [c.summary for c in store.recent_changes(run_id=report.run_id)]
        assert "Valdoria: added" in summaries
        assert any(d1.id in s for s in summaries)


def test_embedded_sample_loses_to_fetched_copy_even_if_older(tmp_path, monkeypatch):
    use_home(monkeypatch, tmp_path / "a")
    with open_store(seed=False) as store:
        store.write_member(dated(MEMBERS["peru"], "2020-01-01T00:00:00Z"))
        export_bundle(store, tmp_path / "x.bundle")
    use_home(monkeypatch, tmp_path / "b")
    with open_store() as store:  # seeded with the embedded sample
        assert store.freshness("peru").embedded
        report = import_bundle(store, tmp_path / "x.bundle")
        assert report.updated == ["Peru"]
        fresh = store.freshness("peru")
        assert not fresh.embedded and fresh.fetched_at == "2020-01-01T00:00:00Z"


def test_user_db_is_never_touched(tmp_path, monkeypatch, capsys):
    use_home(monkeypatch, tmp_path / "a")
    rc, _, _ = run(capsys, "export", str(tmp_path / "x.bundle"))
    b = use_home(monkeypatch, tmp_path / "b")
    run(capsys, "watch", "peru")
    before = sha(b / "user.db")
    rc, _, err = run(capsys, "import", str(tmp_path / "x.bundle"))
    assert rc == 0, err
    assert sha(b / "user.db") == before


@pytest.mark.skipif(len(CACHE_MIGRATIONS) < 2, reason="needs an older schema to exist")
def test_older_schema_is_migrated_on_a_copy(tmp_path, monkeypatch):
    db_path = tmp_path / DB_NAME
    db = dbmod.connect(db_path)
    dbmod.migrate(db, CACHE_MIGRATIONS[:1], BUNDLE_APP_ID)
    m = dated(MEMBERS["valdoria"], "2026-02-02T00:00:00Z")
    db.insert("members", [member_row(m)])
    for t, rows in child_rows(m).items():
        if rows:  # the columns of schema 1 (`resources.document` came with schema 4)
            db.insert(t, [{k: v for k, v in r.items() if k != "document"} for r in rows])
    db.execute("PRAGMA journal_mode = DELETE")
    db.close()
    data = db_path.read_bytes()
    man = {
        "format": "ogptui-bundle",
        "format_version": 1,
        "schema_version": 1,
        "members": {"valdoria": {}},
        "db": {"name": DB_NAME, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()},
    }
    bundle = tmp_path / "v1.bundle"
    with zipfile.ZipFile(bundle, "w") as zf:
        zf.writestr(MANIFEST_NAME, json.dumps(man))
        zf.writestr(DB_NAME, data)
    with open_store() as store:
        report = import_bundle(store, bundle)
        assert report.migrated_from == 1 and report.added == ["Valdoria"]
        assert store.get_member("valdoria").to_dict()["resources"] == m.to_dict()["resources"]
    assert any(row[1] == "valdoria" for row in search_docs(tmp_path / "home"))


# ---- refusals: one clear sentence, exit 2, cache.db and user.db byte-for-byte unchanged ---------------
def _good_bundle(tmp_path, monkeypatch) -> Path:
    use_home(monkeypatch, tmp_path / "maker")
    with open_store(seed=False) as store:
        for slug in ("valdoria", "norland"):
            store.write_member(dated(MEMBERS[slug], "2026-03-03T00:00:00Z"))
        path = tmp_path / "good.bundle"
        export_bundle(store, path)
    return path


def _corrupt_middle_page(path: Path) -> None:
    size = path.stat().st_size
    page = 4096
    n = size // page
    assert n >= 4
    data = bytearray(path.read_bytes())
    start = (n // 2) * page
    data[start : start + page] = random.Random(7).randbytes(page)
    path.write_bytes(bytes(data))


def _newer_schema(man):
    man["schema_version"] = 99


def _make_bad(kind: str, good: Path, tmp_path: Path) -> Path:
    bad = tmp_path / f"{kind}.bundle"
    if kind == "truncated":
        bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    elif kind == "random":
        bad.write_bytes(random.Random(3).randbytes(50_000))
    elif kind == "empty":
        bad.write_bytes(b"")
    elif kind == "plain_sqlite":
        conn = sqlite3.connect(bad)
        conn.execute("CREATE TABLE members (slug TEXT)")
        conn.commit()
        conn.close()
    elif kind == "cache_db":
        return tmp_path / "maker" / "cache.db"
    elif kind == "other_zip":
        with zipfile.ZipFile(bad, "w") as zf:
            zf.writestr("photo.jpg", b"\xff\xd8")
    elif kind == "newer_schema":
        rewrite(good, bad, db=lambda p: _set_pragma(p, "user_version", 99), manifest=_newer_schema)
    elif kind == "newer_format":
        rewrite(good, bad, manifest=lambda m: m.update(format_version=2))
    elif kind == "checksum":
        rewrite(good, bad, manifest=lambda m: m["db"].update(sha256="0" * 64))
    elif kind == "altered_data":  # the database changed after export, manifest kept
        rewrite(good, bad, db=lambda p: _set_pragma(p, "user_version", 1), fix_checksum=False)
    elif kind == "integrity":
        rewrite(good, bad, db=_corrupt_middle_page)
    elif kind == "wrong_app_id":
        rewrite(good, bad, db=lambda p: _set_pragma(p, "application_id", dbmod.CACHE_APP_ID))
    elif kind == "missing":
        return tmp_path / "nowhere.bundle"
    elif kind == "folder":
        return tmp_path
    return bad


def _set_pragma(path: Path, name: str, value: int) -> None:
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA {name} = {value}")
    conn.close()


REFUSALS = {
    "truncated": "is damaged or incomplete",
    "random": "is not an ogptui bundle",
    "empty": "is empty",
    "plain_sqlite": "is a SQLite database but not an ogptui bundle",
    "cache_db": "is an ogptui cache database, not a bundle",
    "other_zip": "is a zip file but not an ogptui bundle",
    "newer_schema": "upgrade ogptui",
    "newer_format": "upgrade ogptui",
    "checksum": "does not match its checksum",
    "altered_data": "does not match its checksum",
    "integrity": "contains a damaged database",
    "wrong_app_id": "does not contain an ogptui bundle database",
    "missing": "does not exist",
    "folder": "is a folder",
}


@pytest.mark.parametrize("kind", list(REFUSALS))
def test_refusals_leave_the_cache_byte_for_byte(kind, tmp_path, monkeypatch, capsys):
    good = _good_bundle(tmp_path, monkeypatch)
    bad = _make_bad(kind, good, tmp_path)
    home = use_home(monkeypatch, tmp_path / "b")
    with open_store() as store:
        store.write_member(dated(MEMBERS["peru"], "2026-01-01T00:00:00Z"))
        store.watch("peru")
    cache_before, user_before = sha(home / "cache.db"), sha(home / "user.db")

    rc, out, err = run(capsys, "import", str(bad))

    assert rc == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    assert REFUSALS[kind] in lines[0], lines[0]
    assert sha(home / "cache.db") == cache_before
    assert sha(home / "user.db") == user_before
    assert not [p for p in home.iterdir() if p.name.startswith(".import-")]


def test_refusal_messages_say_what_to_do(tmp_path, monkeypatch):
    good = _good_bundle(tmp_path, monkeypatch)
    use_home(monkeypatch, tmp_path / "b")
    for kind in REFUSALS:
        bad = _make_bad(kind, good, tmp_path)
        with open_store() as store, pytest.raises(BundleError) as exc:
            import_bundle(store, bad)
        msg = str(exc.value)
        assert "\n" not in msg
        assert any(w in msg for w in ("again", "ogptui export", "upgrade ogptui", "check the file")), msg


def test_failure_during_merge_rolls_everything_back(tmp_path, monkeypatch):
    good = _good_bundle(tmp_path, monkeypatch)
    home = use_home(monkeypatch, tmp_path / "b")
    with open_store():
        pass
    before = sha(home / "cache.db")

    def boom(merge, kept):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(bundlemod, "_merge_http_state", boom)
    with open_store() as store:
        with pytest.raises(BundleError, match="the cache is unchanged"):
            import_bundle(store, good)
        assert store.member_slugs() == ["peru"]
        assert store.runs() == []
        # The store stays usable: the bundle was detached and no transaction is left open.
        assert not store.cache.conn.in_transaction
        assert store.cache.execute("PRAGMA database_list").fetchall()[-1][1] != "b"
    assert sha(home / "cache.db") == before


def test_manifest_counts_match_the_database(tmp_path, monkeypatch):
    good = _good_bundle(tmp_path, monkeypatch)
    with zipfile.ZipFile(good) as zf:
        man = json.loads(zf.read(MANIFEST_NAME))
        conn_data = zf.read(DB_NAME)
    p = tmp_path / "c.sqlite"
    p.write_bytes(conn_data)
    conn = sqlite3.connect(p)
    for t in ("members", *CHILD_TABLES, "commitment_details", "http_state"):
        assert man["counts"][t] == conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
    conn.close()


@pytest.mark.parametrize("bad", ["Valdoria", "val doria", "val/doria", "val\\doria"])
def test_a_member_key_the_site_cannot_have_is_skipped_on_import_and_refused_by_the_store(tmp_path, monkeypatch, bad):
    """A crafted bundle whose member slug is not a slug (upper case, a space, a slash) imports nothing under
    that key — it is counted as unusable — while its other members arrive; write_member refuses it too."""
    use_home(monkeypatch, tmp_path / "a")
    with open_store(seed=False) as store:
        store.write_member(dated(MEMBERS["valdoria"], "2026-01-01T00:00:00Z"))
        store.write_member(dated(MEMBERS["norland"], "2026-01-01T00:00:00Z"))
        db_path = store.paths.cache_db
    conn = sqlite3.connect(db_path)  # what a crafted bundle holds: another key, written past the store
    with conn:
        for table in ("members", *CHILD_TABLES):
            column = "slug" if table == "members" else "member_slug"
            conn.execute(f"UPDATE {table} SET {column} = ? WHERE {column} = 'valdoria'", [bad])
    conn.close()
    with open_store(seed=False) as store:
        export_bundle(store, tmp_path / "crafted.bundle")
        with pytest.raises(ValueError, match="refused"):
            crafted = dated(MEMBERS["valdoria"], "2026-02-01T00:00:00Z")
            crafted.slug = bad
            store.write_member(crafted)

    use_home(monkeypatch, tmp_path / "b")
    with open_store(seed=False) as store:
        report = import_bundle(store, tmp_path / "crafted.bundle")
        assert report.skipped == 1 and "1 unusable record skipped" in report.text()
        assert store.member_slugs() == ["norland"]
