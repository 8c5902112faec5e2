"""Issue 18: `ogptui publish DIR` and incremental `sync --mirror URL/`, against a static server of our own
(tests/mirrorkit.py: ETags and byte ranges, on 127.0.0.1) and the fake OGP site for the publisher's data."""

from __future__ import annotations

import copy
import fcntl
import hashlib
import json
import sqlite3
from pathlib import Path

import pytest
import stamina

from ogptui import mirror_index
from ogptui.cli import main
from ogptui.seed import open_store
from ogptui.store.published import member_digests
from tests.fakesite.data import default_site
from tests.mirrorkit import MirrorServer

SLUGS = ["norland", "peru", "port-esmer-valdoria", "valdoria"]


@pytest.fixture(autouse=True)
def no_retry_waits():
    stamina.set_testing(True, attempts=2)
    yield
    stamina.set_testing(False)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    rc = main(list(argv))
    captured = capsys.readouterr()
    return rc, captured.out, captured.err


def use(monkeypatch, home: Path) -> Path:
    monkeypatch.setenv("OGPTUI_HOME", str(home))
    return home


def show_all(capsys) -> dict[str, dict]:
    with open_store() as store:
        slugs = store.member_slugs()
    out = {}
    for slug in slugs:
        rc, text, err = run(capsys, "show", slug, "--json")
        assert rc == 0, err
        out[slug] = json.loads(text)
    return out


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def index_of(folder: Path) -> mirror_index.MirrorIndex:
    return mirror_index.load_folder(folder)


def edit_members(folder: Path, slug: str, change) -> None:
    """Change the shard that lists `slug` (`change(members dict)`), and the root to match (as a publisher
    could: names, sizes and hashes all consistent)."""
    root = json.loads((folder / "index.json").read_text())
    for s in root["shards"]:
        shard = json.loads((folder / f"index/{s['sha256'][:16]}.json").read_text())
        if slug in shard["members"]:
            change(shard["members"])
            data = json.dumps(shard).encode()
            digest = hashlib.sha256(data).hexdigest()
            s.update(size=len(data), sha256=digest)
            (folder / f"index/{digest[:16]}.json").write_bytes(data)
    (folder / "index.json").write_text(json.dumps(root))


def intact(folder: Path) -> list[str]:
    """Problems with the index in `folder` and the parts and files it names (empty: a client can use it)."""
    problems = []
    idx = index_of(folder)
    for e in idx.members.values():
        p = folder / e.part
        if not p.is_file() or p.stat().st_size != e.size or sha(p) != e.sha256:
            problems.append(f"part {e.part}")
        for f in e.files:
            if not (folder / f.url_path).is_file() or sha(folder / f.url_path) != f.sha256:
                problems.append(f"file {f.url_path}")
    return problems


def change_upstream(site, capsys, slug: str, version: int) -> None:
    """The member changes on the site (its `member_since`) and the publisher's cache syncs it."""
    m = copy.deepcopy(next(m for m in default_site().members if m.slug == slug))
    m.member_since = 1990 + version
    site.set_member(m)
    rc, _, err = run(capsys, "sync", slug, "--source", site.url, "--quiet", "--delay", "0")
    assert rc == 0, err


@pytest.fixture
def publisher(fake_site, tmp_path, monkeypatch, capsys):
    """A cache synced from the fake site (four members, Peru with documents and files); OGPTUI_HOME is it."""
    home = use(monkeypatch, tmp_path / "office")
    monkeypatch.setenv("OGPTUI_NO_AUTOSYNC", "1")
    rc, _, err = run(
        capsys, "sync", "--all", "--source", fake_site.url, "--quiet", "--delay", "0", "--documents", "all"
    )
    assert rc == 0, err
    return home


# ---- the done-when ------------------------------------------------------------------------------------
def test_publish_then_mirror_sync_gives_the_same_data_and_then_only_the_changed_member(
    publisher, fake_site, tmp_path, monkeypatch, capsys
):
    mirror = tmp_path / "m"
    rc, out, err = run(capsys, "publish", str(mirror), "--with-files")
    assert (
        rc == 0 and err == "" and out.startswith(f"published 4 members to {mirror} (generation 1): 4 parts")
    )
    expected = show_all(capsys)
    idx = index_of(mirror)
    assert sorted(idx.members) == SLUGS and len(idx.members["peru"].files) == 7
    with MirrorServer(mirror) as srv:
        client = use(monkeypatch, tmp_path / "field")
        rc, out, err = run(capsys, "sync", "--mirror", srv.url, "--quiet")
        assert rc == 0 and err == "", err
        assert out.startswith("4 members: 4 updated, 0 unchanged, 0 failed")
        assert show_all(capsys) == expected
        assert sorted(h.path for h in srv.hits("/members/")) == sorted(
            "/" + e.part for e in idx.members.values()
        )
        files = {f.url_path for e in idx.members.values() for f in e.files}
        assert (
            sorted(h.path for h in srv.hits("/files/")) == sorted("/" + p for p in files) and len(files) == 14
        )
        rc, out, _ = run(capsys, "document", "peru-action-plan-2023-2025", "--json")
        (a,) = json.loads(out)["attachments"]
        assert Path(a["path"]).is_relative_to(client / "files") and sha(Path(a["path"])) == a["sha256"]
        assert not list((client / ".mirror-parts").glob("*.part"))  # nothing left behind

        # Nothing changed: one conditional request, answered 304.
        srv.clear()
        rc, out, _ = run(capsys, "sync", "--mirror", srv.url, "--quiet")
        assert rc == 0 and "not modified" in out
        assert [(h.path, h.status) for h in srv.hits()] == [("/index.json", 304)]

        # One member changes upstream; publish again writes its part only; the client downloads that only.
        use(monkeypatch, publisher)
        change_upstream(fake_site, capsys, "valdoria", 1)
        rc, out, _ = run(capsys, "publish", str(mirror), "--with-files")
        assert "(generation 2): 1 part written, 3 unchanged; files: 0 written, 14 already there" in out
        expected = show_all(capsys)
        again = index_of(mirror)
        new = again.members["valdoria"]
        assert new.part != idx.members["valdoria"].part
        new_shards = sorted({s.path for s in again.shards} - {s.path for s in idx.shards})
        assert len(new_shards) == 1  # only the shard that lists valdoria changed
        assert all(index_of(mirror).members[s].part == idx.members[s].part for s in SLUGS if s != "valdoria")
        use(monkeypatch, client)
        srv.clear()
        rc, out, err = run(capsys, "sync", "--mirror", srv.url, "--quiet")
        assert rc == 0 and err == ""
        assert out.startswith("4 members: 1 updated, 3 unchanged, 0 failed")
        assert [(h.path, h.status) for h in srv.hits()] == [
            ("/index.json", 200),
            ("/" + new_shards[0], 200),
            ("/" + new.part, 200),
        ]
        assert srv.sent("/members/") == new.size
        assert srv.sent() <= 1.2 * new.size  # the target: index and shard included
        assert show_all(capsys) == expected


def test_a_bundle_url_still_works_beside_a_mirror(publisher, tmp_path, monkeypatch, capsys):
    mirror = tmp_path / "m"
    assert run(capsys, "publish", str(mirror))[0] == 0
    assert run(capsys, "export", str(mirror / "all.bundle"))[0] == 0
    with MirrorServer(mirror) as srv:
        use(monkeypatch, tmp_path / "other")
        rc, out, err = run(capsys, "sync", "--mirror", srv.url + "all.bundle", "--quiet")
        assert rc == 0 and out.startswith("4 members: 4 updated"), err
        rc, out, _ = run(capsys, "sync", "--mirror", srv.url + "index.json", "--quiet")  # the index by name
        assert rc == 0 and out.startswith("4 members: 0 updated, 4 unchanged")  # same data: kept


# ---- publish: generations, pruning, refusals ----------------------------------------------------------
def test_old_parts_are_kept_one_generation_then_pruned(publisher, fake_site, tmp_path, capsys):
    mirror = tmp_path / "m"
    run(capsys, "publish", str(mirror))
    first = index_of(mirror).members["valdoria"].part
    change_upstream(fake_site, capsys, "valdoria", 2)
    rc, out, _ = run(capsys, "publish", str(mirror))
    second = index_of(mirror).members["valdoria"].part
    assert (mirror / first).is_file() and (mirror / second).is_file() and "removed" not in out
    change_upstream(fake_site, capsys, "valdoria", 3)
    rc, out, _ = run(capsys, "publish", str(mirror))
    third = index_of(mirror).members["valdoria"].part
    assert not (mirror / first).exists() and (mirror / second).is_file() and (mirror / third).is_file()
    # Removed: the first part, and the shard of generation 1 that listed it.
    assert "2 files of older generations removed" in out and index_of(mirror).generation == 3
    assert len(list((mirror / "members").iterdir())) == 5  # 3 unchanged + second + third
    assert intact(mirror) == []
    # Files not of our own form are never touched.
    (mirror / "members" / "README.txt").write_text("hello")
    run(capsys, "publish", str(mirror))
    assert (mirror / "members" / "README.txt").read_text() == "hello"


def test_published_files_are_readable_by_a_web_server_user(publisher, tmp_path, capsys):
    mirror = tmp_path / "m"
    run(capsys, "publish", str(mirror), "--with-files")
    idx = index_of(mirror)
    paths = [
        mirror / "index.json",
        mirror / idx.members["peru"].part,
        mirror / idx.members["peru"].files[0].url_path,
    ]
    assert all(p.stat().st_mode & 0o777 == 0o644 for p in paths)


def test_publish_member_subset(publisher, tmp_path, capsys):
    mirror = tmp_path / "m"
    rc, out, _ = run(capsys, "publish", str(mirror), "--member", "norland", "--member", "peru")
    assert rc == 0 and sorted(index_of(mirror).members) == ["norland", "peru"]
    assert index_of(mirror).members["peru"].files == []  # no --with-files: the pages and text only


@pytest.mark.parametrize(
    "case, expected",
    [
        ("file", "is a file; give the folder to publish the mirror in"),
        ("home", "is inside ogptui's data folder; publish somewhere else"),
        ("member", "no member 'atlantis' in the cache"),
        ("locked", "another `ogptui publish` is writing to"),
    ],
)
def test_publish_refusals_are_one_line(publisher, tmp_path, capsys, case, expected):
    target = tmp_path / "m"
    args = ["publish", str(target)]
    if case == "file":
        target.write_text("x")
    elif case == "home":
        args[1] = str(publisher / "mirror")
    elif case == "member":
        args += ["--member", "atlantis"]
    lock = None
    if case == "locked":
        target.mkdir()
        lock = (target / ".publish.lock").open("wb")
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    try:
        rc, out, err = run(capsys, *args)
    finally:
        if lock is not None:
            lock.close()
    assert rc == 2 and out == "" and expected in err and err.count("\n") == 1 and "Traceback" not in err


def test_a_publish_that_fails_midway_leaves_the_previous_index_valid(
    publisher, fake_site, tmp_path, monkeypatch, capsys
):
    mirror = tmp_path / "m"
    run(capsys, "publish", str(mirror))
    before = (mirror / "index.json").read_bytes()
    change_upstream(fake_site, capsys, "norland", 4)
    change_upstream(fake_site, capsys, "valdoria", 5)
    import ogptui.publish as pub

    real, calls = pub.export_bundle, []

    def dying(*a, **kw):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt  # killed while writing the second new part
        return real(*a, **kw)

    monkeypatch.setattr(pub, "export_bundle", dying)
    assert main(["publish", str(mirror)]) == 130
    assert len(calls) == 2 and not list(mirror.glob(".publish-*"))  # its work folder is gone too
    assert (mirror / "index.json").read_bytes() == before and intact(mirror) == []
    # Killed while replacing the index: the old one stays whole.
    monkeypatch.setattr(pub, "export_bundle", real)
    monkeypatch.setattr(pub.os, "replace", _failing_replace_of("index.json"))
    rc, _, err = run(capsys, "publish", str(mirror))
    assert rc == 2 and "the previous index is unchanged" in err
    assert (mirror / "index.json").read_bytes() == before and intact(mirror) == []
    monkeypatch.undo()
    use(monkeypatch, tmp_path / "client")
    with MirrorServer(mirror) as srv:
        rc, out, err = run(capsys, "sync", "--mirror", srv.url, "--quiet")
    assert rc == 0 and out.startswith("4 members: 4 updated"), err


def _failing_replace_of(name: str):
    import os

    real = os.replace

    def replace(src, dst, *a, **kw):
        if str(dst).endswith(name):
            raise OSError(28, "No space left on device")
        return real(src, dst, *a, **kw)

    return replace


def test_member_digest_follows_the_records_not_the_bookkeeping(publisher):
    with open_store() as store:
        (before,) = member_digests(store.cache, ["peru"])
        assert before.digest == member_digests(store.cache, ["peru"])[0].digest
        assert len(before.files) == 7 and all(len(s) == 64 for _, s, _ in before.files)
    conn = sqlite3.connect(publisher / "cache.db")
    with conn:
        conn.execute("UPDATE http_state SET checked_at = '2030-01-01T00:00:00Z', etag = 'x'")
    with open_store() as store:
        assert member_digests(store.cache, ["peru"])[0].digest == before.digest
    with conn:
        conn.execute(
            "UPDATE commitments SET title = title || '!' WHERE member_slug = 'peru' AND position = 0"
        )
    with open_store() as store:
        assert member_digests(store.cache, ["peru"])[0].digest != before.digest
    with conn:
        conn.execute(
            "UPDATE commitments SET title = substr(title, 1, length(title) - 1) WHERE member_slug = 'peru' AND position = 0"
        )
        conn.execute("UPDATE attachment_pages SET text = text || ' extra' WHERE page = 1")
    with open_store() as store:
        assert member_digests(store.cache, ["peru"])[0].digest != before.digest
    conn.close()


# ---- sync: refusals -----------------------------------------------------------------------------------
def test_a_part_whose_sha256_does_not_match_is_refused_and_nothing_is_imported_from_it(
    publisher, tmp_path, monkeypatch, capsys
):
    mirror = tmp_path / "m"
    run(capsys, "publish", str(mirror))
    part = mirror / index_of(mirror).members["valdoria"].part
    good = part.read_bytes()
    bad = bytearray(good)
    bad[len(bad) // 2] ^= 0xFF
    part.write_bytes(bytes(bad))
    use(monkeypatch, tmp_path / "client")
    with MirrorServer(mirror) as srv:
        rc, out, err = run(capsys, "sync", "--mirror", srv.url, "--quiet")
        assert rc == 1 and out.startswith("4 members: 3 updated, 0 unchanged, 1 failed")
        assert err.count("\n") == 1 and "does not match its size and sha256 in index.json" in err
        assert "/members/valdoria-" in err and "Traceback" not in err
        with open_store() as store:
            assert "valdoria" not in store.member_slugs() and "norland" in store.member_slugs()
        # Repaired upstream: the next run fetches the index anew (no 304) and only the refused part.
        part.write_bytes(good)
        srv.clear()
        rc, out, err = run(capsys, "sync", "--mirror", srv.url, "--quiet")
        assert rc == 0 and out.startswith("4 members: 1 updated, 3 unchanged"), err
        paths = [h.path for h in srv.hits() if not h.path.startswith("/index/")]
        assert paths == ["/index.json", "/" + part.relative_to(mirror).as_posix()]


def test_a_part_holding_another_member_is_refused(publisher, tmp_path, monkeypatch, capsys):
    mirror = tmp_path / "m"
    run(capsys, "publish", str(mirror))
    peru = index_of(mirror).members["peru"]
    # The index says "valdoria" but points at a copy of Peru's part (consistent name, size and hash).
    name = mirror_index.part_name("valdoria", peru.sha256)
    (mirror / name).write_bytes((mirror / peru.part).read_bytes())
    edit_members(
        mirror, "valdoria", lambda ms: ms["valdoria"].update(part=name, size=peru.size, sha256=peru.sha256)
    )
    use(monkeypatch, tmp_path / "client")
    with MirrorServer(mirror) as srv:
        rc, out, err = run(capsys, "sync", "--mirror", srv.url, "--quiet")
    assert rc == 1 and "holds peru instead of valdoria" in err and err.count("\n") == 1


ROOT_CASES = {
    "not json": lambda root: b"{this is not json",
    "another format": lambda root: {**root, "format": "something-else"},
    "newer format": lambda root: {**root, "format_version": 99},
    "shards not a list": lambda root: {**root, "shards": {"a": 1}},
    "shard traversal": lambda root: {
        **root,
        "shards": [{**root["shards"][0], "path": "index/../../etc/passwd"}],
    },
    "shard hash disagrees": lambda root: {**root, "shards": [{**root["shards"][0], "sha256": "0" * 64}]},
    "shard bytes altered": lambda root: {
        **root,
        "shards": [{**s, "sha256": s["sha256"][:16] + "0" * 48} for s in root["shards"]],
    },
}


def _entry_case(case: str):
    def change(ms: dict) -> None:
        e = ms["peru"]
        if case == "traversal":
            e["part"] = "members/../../../etc/passwd"
        elif case == "absolute url":
            e["part"] = "http://elsewhere.example/members/peru-" + e["sha256"][:16] + ".bundle"
        elif case == "bad sha":
            e["sha256"] = "z" * 64
        elif case == "name disagrees with sha":
            e["sha256"] = "0" * 64
        elif case == "file traversal":
            e["files"] = [{"path": "../../.bashrc", "sha256": "a" * 64, "size": 10}]
        elif case == "negative size":
            e["size"] = -5
        elif case == "slug traversal":
            ms["../x"] = e

    return change


@pytest.mark.parametrize(
    "case",
    [
        *ROOT_CASES,
        "traversal",
        "absolute url",
        "bad sha",
        "name disagrees with sha",
        "file traversal",
        "negative size",
        "slug traversal",
    ],
)
def test_a_hostile_index_is_refused_in_one_line_and_nothing_is_fetched(
    publisher, tmp_path, monkeypatch, capsys, case
):
    mirror = tmp_path / "m"
    run(capsys, "publish", str(mirror))
    if case in ROOT_CASES:
        root = json.loads((mirror / "index.json").read_text())
        bad = ROOT_CASES[case](root)
        (mirror / "index.json").write_bytes(bad if isinstance(bad, bytes) else json.dumps(bad).encode())
    else:
        edit_members(mirror, "peru", _entry_case(case))
    use(monkeypatch, tmp_path / "client")
    with open_store() as store:
        before = store.member_slugs()
    with MirrorServer(mirror) as srv:
        rc, out, err = run(capsys, "sync", "--mirror", srv.url, "--quiet")
        fetched = [h.path for h in srv.hits()]
    assert fetched[0] == "/index.json" and all(
        p.startswith("/index/") for p in fetched[1:]
    )  # no part, no file
    assert rc == 1 and out == "" and err.count("\n") == 1 and "Traceback" not in err, err
    assert "cached data is unchanged" in err
    with open_store() as store:
        assert store.member_slugs() == before


@pytest.mark.parametrize("size, ok", [(4000, True), (3999, False)])
def test_the_index_size_cap_edges(publisher, tmp_path, monkeypatch, capsys, size, ok):
    mirror = tmp_path / "m"
    run(capsys, "publish", str(mirror), "--member", "norland")
    raw = (mirror / "index.json").read_bytes().rstrip(b"\n")
    (mirror / "index.json").write_bytes(raw + b" " * (4000 - len(raw)))
    monkeypatch.setattr("ogptui.mirror.MAX_INDEX_BYTES", size)
    use(monkeypatch, tmp_path / "client")
    with MirrorServer(mirror) as srv:
        rc, out, err = run(capsys, "sync", "--mirror", srv.url, "--quiet")
    if ok:
        assert rc == 0, err
    else:
        assert rc == 1 and "the mirror index at" in err and "larger than the 4 kB limit" in err, err


def test_a_server_without_ranges_or_etags_still_works(publisher, tmp_path, monkeypatch, capsys):
    mirror = tmp_path / "m"
    run(capsys, "publish", str(mirror))
    use(monkeypatch, tmp_path / "client")
    with MirrorServer(mirror, ranges=False) as srv:
        rc, out, err = run(capsys, "sync", "--mirror", srv.url, "--quiet")
    assert rc == 0 and out.startswith("4 members: 4 updated"), err


# ---- sync: stopping early, and what it keeps -------------------------------------------------------------
def test_the_run_deadline_stops_between_parts_and_keeps_the_finished_ones(
    publisher, tmp_path, monkeypatch, capsys
):
    from ogptui.mirror import mirror_sync

    mirror = tmp_path / "m"
    run(capsys, "publish", str(mirror))
    idx = index_of(mirror)
    use(monkeypatch, tmp_path / "client")
    with MirrorServer(mirror, slow={"members/peru-": 0.2}) as srv:
        with open_store() as store:
            summary, _ = mirror_sync(store, srv.url, deadline=2.0)
        assert summary.outcome == "deadline"
        assert summary.message.startswith(
            "the mirror sync took longer than the run deadline (setting run_deadline)"
        )
        assert (
            "1 member part imported, 3 left: run `ogptui sync --mirror` again to continue" in summary.message
        )
        with open_store() as store:
            assert "norland" in store.member_slugs() and "valdoria" not in store.member_slugs()
        srv.slow.clear()
        srv.clear()
        rc, out, err = run(capsys, "sync", "--mirror", srv.url, "--quiet")
        assert rc == 0, err
        paths = [h.path for h in srv.hits()]
        assert "/" + idx.members["norland"].part not in paths and "/" + idx.members["peru"].part in paths


def test_a_missing_part_fails_that_member_only_and_an_unreachable_mirror_is_one_line(
    publisher, tmp_path, monkeypatch, capsys
):
    from ogptui.mirror import mirror_sync

    mirror = tmp_path / "m"
    run(capsys, "publish", str(mirror))
    peru = mirror / index_of(mirror).members["peru"].part
    peru.rename(peru.with_suffix(".away"))  # deleted on the server by hand
    use(monkeypatch, tmp_path / "client")
    with MirrorServer(mirror) as srv, open_store() as store:
        summary, _ = mirror_sync(store, srv.url)
    assert summary.outcome == "partial" and [s for s, _ in summary.failed] == ["peru"]
    assert "is missing on the mirror (HTTP 404); publish the mirror again" in summary.failed[0][1]
    with open_store() as store:
        assert {"norland", "port-esmer-valdoria", "valdoria"} <= set(store.member_slugs())
    with MirrorServer(mirror) as srv:
        url = srv.url
    rc, out, err = run(capsys, "sync", "--mirror", url, "--quiet")  # nothing listens on that port now
    assert rc == 1 and err.count("\n") == 1 and err.startswith(f"ogptui: cannot reach {url}")


def test_a_second_mirror_sync_at_the_same_time_is_refused(publisher, tmp_path, monkeypatch, capsys):
    mirror = tmp_path / "m"
    run(capsys, "publish", str(mirror))
    client = use(monkeypatch, tmp_path / "client")
    (client / ".mirror-parts").mkdir(parents=True)
    with (client / ".mirror-parts" / ".lock").open("wb") as lock, MirrorServer(mirror) as srv:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        rc, out, err = run(capsys, "sync", "--mirror", srv.url, "--quiet")
    assert rc == 1 and err.count("\n") == 1
    assert "another mirror sync is running in this data folder; wait for it to finish" in err


@pytest.mark.parametrize("free_mb, ok", [(1000, True), (1, False)])
def test_not_enough_disk_for_the_new_parts_is_one_line(publisher, tmp_path, monkeypatch, capsys, free_mb, ok):
    from collections import namedtuple

    mirror = tmp_path / "m"
    run(capsys, "publish", str(mirror))
    use(monkeypatch, tmp_path / "client")
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr("ogptui.mirror_parts.shutil.disk_usage", lambda p: usage(1, 0, free_mb * 1_000_000))
    with MirrorServer(mirror) as srv:
        rc, out, err = run(capsys, "sync", "--mirror", srv.url, "--quiet")
        parts = srv.hits("/members/")
    if ok:
        assert rc == 0, err
    else:
        assert rc == 1 and "of free disk space" in err and err.count("\n") == 1 and parts == []


def test_a_members_other_languages_are_published_and_a_changed_one_is_republished(
    publisher, fake_site, tmp_path, monkeypatch, capsys
):
    """Issue 17 through a mirror: the Spanish pages synced by the office reach the field, and a change to
    them alone (the English record unchanged) republishes that member's part."""
    with open_store() as store:
        (plain,) = member_digests(store.cache, ["peru"])
    rc, _, err = run(capsys, "sync", "peru", "--source", fake_site.url, "--quiet", "--delay", "0",
                     "--content-language", "es")  # fmt: skip
    assert rc == 0, err
    with open_store() as store:
        (with_es,) = member_digests(store.cache, ["peru"])
        (other,) = member_digests(store.cache, ["valdoria"])
        spanish = [c.title for c in store.get_member("peru", "es").commitments]
    assert with_es.digest != plain.digest
    mirror = tmp_path / "m"
    rc, _, err = run(capsys, "publish", str(mirror))
    assert rc == 0, err
    with MirrorServer(mirror) as srv:
        client = use(monkeypatch, tmp_path / "field")
        rc, out, err = run(capsys, "sync", "--mirror", srv.url, "--quiet")
        assert rc == 0, err
        with open_store() as store:
            assert [c.title for c in store.get_member("peru", "es").commitments] == spanish
            assert store.member_languages("peru") == ["en", "es"]
        # The Spanish page changes on the site; the English one does not.
        use(monkeypatch, publisher)
        from tests.fakesite.translations import TRANSLATIONS

        english = next(m for m in default_site().members if m.slug == "peru").commitments[0].title
        fake_site.set_translation("es", "peru", {**TRANSLATIONS[("es", "peru")], english: spanish[0] + " (revisado)"})
        rc, _, err = run(capsys, "sync", "peru", "--source", fake_site.url, "--quiet", "--delay", "0",
                         "--content-language", "es")  # fmt: skip
        assert rc == 0, err
        with open_store() as store:
            assert member_digests(store.cache, ["valdoria"])[0].digest == other.digest
        rc, out, _ = run(capsys, "publish", str(mirror))
        assert "1 part written, 3 unchanged" in out
        use(monkeypatch, client)
        rc, out, err = run(capsys, "sync", "--mirror", srv.url, "--quiet")
        assert rc == 0 and err == "", err
        assert "[es] " in out  # the change is in the import's change lines (the English record was kept)
        with open_store() as store:
            assert store.get_member("peru", "es").commitments[0].title == spanish[0] + " (revisado)"
