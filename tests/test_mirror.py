"""Mirror sync: a bundle published on a static web server (here a tiny server on 127.0.0.1)."""

from __future__ import annotations

import copy
import hashlib
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import stamina

from ogptui.bundle import export_bundle
from ogptui.cli import main
from ogptui.mirror import MirrorError, meta_key, mirror_sync
from ogptui.seed import open_store
from tests.fakesite.data import default_site

MEMBERS = {m.slug: m for m in default_site().members}


@dataclass
class StaticServer:
    """Serves files from a dict path → (bytes, content type), with ETag / Last-Modified and 304s."""

    files: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    validators: bool = True
    redirects: dict[str, str] = field(default_factory=dict)  # path → Location (302)
    trickle: float = 0.0  # seconds between body bytes (0: all at once)
    log: list[tuple[str, int, bool]] = field(default_factory=list)  # (path, status, conditional)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> StaticServer:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                if self.path in site.redirects:
                    site.log.append((self.path, 302, False))
                    self.send_response(302)
                    self.send_header("Location", site.redirects[self.path])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                entry = site.files.get(self.path)
                cond = bool(self.headers.get("If-None-Match") or self.headers.get("If-Modified-Since"))
                if entry is None:
                    body = b"<html><body>Not found</body></html>"
                    site.log.append((self.path, 404, cond))
                    self.send_response(404)
                    self.send_header("Content-Type", "text/html")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                data, ctype = entry
                etag = '"' + hashlib.sha256(data).hexdigest()[:16] + '"'
                if site.validators and self.headers.get("If-None-Match") == etag:
                    site.log.append((self.path, 304, cond))
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                site.log.append((self.path, 200, cond))
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                if site.validators:
                    self.send_header("ETag", etag)
                    self.send_header("Last-Modified", formatdate(usegmt=True))
                self.end_headers()
                if not site.trickle:
                    self.wfile.write(data)
                    return
                for i in range(len(data)):
                    time.sleep(site.trickle)
                    try:
                        self.wfile.write(data[i : i + 1])
                    except OSError:
                        return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


@pytest.fixture(autouse=True)
def no_retry_waits() -> Iterator[None]:
    stamina.set_testing(True, attempts=2)
    yield
    stamina.set_testing(False)


@pytest.fixture
def static_server() -> Iterator[StaticServer]:
    s = StaticServer().start()
    yield s
    s.stop()


def make_bundle(tmp_path: Path, monkeypatch, name: str, members: dict[str, str]) -> bytes:
    """A bundle of the given members (slug → fetched_at), made in its own home."""
    monkeypatch.setenv("OGPTUI_HOME", str(tmp_path / f"maker-{name}"))
    with open_store(seed=False) as store:
        for slug, when in members.items():
            m = copy.deepcopy(MEMBERS[slug])
            m.fetched_at = when
            store.write_member(m)
        path = tmp_path / f"{name}.bundle"
        export_bundle(store, path)
    return path.read_bytes()


def run(capsys, *argv: str) -> tuple[int, str, str]:
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_mirror_imports_then_304_imports_nothing(static_server, tmp_path, monkeypatch, capsys):
    data = make_bundle(
        tmp_path, monkeypatch, "v1", {"valdoria": "2026-03-01T00:00:00Z", "norland": "2026-03-01T00:00:00Z"}
    )
    static_server.files["/ogp/ogptui.bundle"] = (data, "application/zip")
    url = static_server.url + "/ogp/ogptui.bundle"
    home = tmp_path / "user"
    monkeypatch.setenv("OGPTUI_HOME", str(home))

    rc, out, err = run(capsys, "sync", "--mirror", url, "--quiet")
    assert rc == 0, err
    assert "2 members: 2 updated" in out and url in out
    assert "Valdoria: added" in out
    with open_store() as store:
        assert sorted(store.member_slugs()) == ["norland", "peru", "valdoria"]
        state = store.get_meta(meta_key(url))
        assert state and '"etag"' in state
        run_id = store.last_run().id
        target = store.cache.execute("SELECT target, source FROM sync_runs WHERE id = ?", [run_id]).fetchone()
        assert tuple(target) == ("mirror", url)
        changes_before = len(store.recent_changes())
    cache_before = sha(home / "cache.db")

    rc, out, err = run(capsys, "sync", "--mirror", url, "--quiet")
    assert rc == 0, err
    assert "not modified" in out and "nothing imported" in out
    assert static_server.log[-1] == ("/ogp/ogptui.bundle", 304, True)
    with open_store() as store:
        assert len(store.recent_changes()) == changes_before
        assert sorted(store.member_slugs()) == ["norland", "peru", "valdoria"]
        assert store.last_run().summary == "mirror not modified; nothing imported"

    # A newer bundle is published: the next mirror sync downloads and merges it.
    data2 = make_bundle(
        tmp_path, monkeypatch, "v2", {"valdoria": "2026-05-01T00:00:00Z", "peru": "2026-05-01T00:00:00Z"}
    )
    static_server.files["/ogp/ogptui.bundle"] = (data2, "application/zip")
    monkeypatch.setenv("OGPTUI_HOME", str(home))
    rc, out, err = run(capsys, "sync", "--mirror", url, "--quiet")
    assert rc == 0, err
    assert "2 members: 2 updated" in out
    assert static_server.log[-1] == ("/ogp/ogptui.bundle", 200, True)
    with open_store() as store:
        assert not store.freshness("peru").embedded
    assert sha(home / "cache.db") != cache_before


def test_mirror_without_validators_skips_an_identical_download(static_server, tmp_path, monkeypatch):
    static_server.validators = False
    data = make_bundle(tmp_path, monkeypatch, "v1", {"valdoria": "2026-03-01T00:00:00Z"})
    static_server.files["/b"] = (data, "application/octet-stream")
    monkeypatch.setenv("OGPTUI_HOME", str(tmp_path / "user"))
    with open_store() as store:
        first, report = mirror_sync(store, static_server.url + "/b")
        assert report is not None and report.added == ["Valdoria"]
        second, report2 = mirror_sync(store, static_server.url + "/b")
        assert report2 is None and second.updated == 0 and second.unchanged == 1
        assert [s for _, s, c in static_server.log] == [200, 200]


def test_mirror_offline_says_so_and_changes_nothing(tmp_path, monkeypatch, capsys):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/ogptui.bundle"
    home = tmp_path / "home"
    with open_store():
        pass
    before = sha(home / "cache.db")
    rc, out, err = run(capsys, "sync", "--mirror", url, "--quiet")
    assert rc == 1
    assert (
        err.strip()
        == f"ogptui: cannot reach {url}: cannot connect to 127.0.0.1:{port}; cached data is unchanged"
    )
    assert out == ""
    assert sha(home / "cache.db") == before


@pytest.mark.parametrize(
    ("path", "files", "expected"),
    [
        ("/missing.bundle", {}, "answered HTTP 404"),
        ("/page", {"/page": (b"<html>login</html>", "text/html; charset=utf-8")}, "a web page, not a bundle"),
        (
            "/junk",
            {"/junk": (b"not a bundle at all" * 100, "application/octet-stream")},
            "is not an ogptui bundle",
        ),
    ],
)
def test_mirror_refuses_unusable_answers(static_server, tmp_path, capsys, path, files, expected):
    static_server.files.update(files)
    home = tmp_path / "home"
    with open_store():
        pass
    before = sha(home / "cache.db")
    rc, out, err = run(capsys, "sync", "--mirror", static_server.url + path, "--quiet")
    assert rc == 1
    line = err.strip()
    assert "\n" not in line and expected in line and line.endswith("cached data is unchanged"), line
    assert "/.mirror-" not in line  # messages name the URL, not the temp file
    assert sha(home / "cache.db") == before


def test_mirror_size_cap(static_server, tmp_path, monkeypatch):
    data = make_bundle(tmp_path, monkeypatch, "v1", {"valdoria": "2026-03-01T00:00:00Z"})
    static_server.files["/b"] = (data, "application/zip")
    monkeypatch.setenv("OGPTUI_HOME", str(tmp_path / "user"))
    with open_store() as store, pytest.raises(MirrorError, match="larger than"):
        mirror_sync(store, static_server.url + "/b", max_bytes=len(data) - 1)


def test_mirror_is_exclusive_with_slugs_all_and_source(capsys):
    for extra in (["peru"], ["--all"], ["--source", "https://example.org"]):
        rc, _, err = run(capsys, "sync", "--mirror", "http://127.0.0.1:1/x", *extra)
        assert rc == 2 and "--mirror replaces" in err
    rc, _, err = run(capsys, "sync", "--mirror", "ftp://x/y")
    assert rc == 2 and "not an http(s) address" in err


# ---- the mirror under the same rules as every request (issues 11.3 and 12.3) ---------------------------------
def test_mirror_from_a_hanging_server_gives_up_offline(fake_site, tmp_path):
    fake_site.fault("*", "hang")
    url = fake_site.url + "/ogptui.bundle"
    with open_store() as store:
        summary, report = mirror_sync(store, url, source_options={"read_timeout": 0.3})
    assert report is None and summary.outcome == "offline"
    assert summary.message == (
        f"cannot reach {url}: 127.0.0.1:{fake_site.port} stopped answering for 0.3 s; cached data is unchanged"
    )
    assert fake_site.hits("/ogptui.bundle") == 2  # timeouts are tried twice


def test_mirror_with_trickled_headers_gives_up_offline(fake_site):
    fake_site.fault("*", "trickle_headers", interval=0.02)
    url = fake_site.url + "/ogptui.bundle"
    with open_store() as store:
        summary, _ = mirror_sync(store, url, source_options={"headers_timeout": 0.3})
    assert summary.outcome == "offline"
    assert f"127.0.0.1:{fake_site.port} sent no complete answer within 0.3 s" in summary.message


def test_mirror_trickled_body_is_cut_at_the_minimum_rate(static_server, tmp_path, monkeypatch):
    data = make_bundle(tmp_path, monkeypatch, "v1", {"valdoria": "2026-03-01T00:00:00Z"})
    static_server.files["/b"] = (data, "application/zip")
    static_server.trickle = 0.01
    monkeypatch.setenv("OGPTUI_HOME", str(tmp_path / "user"))
    with open_store() as store:
        before = store.member_slugs()
        summary, report = mirror_sync(
            store, static_server.url + "/b", source_options={"min_rate": 1000, "rate_window": 0.3}
        )
        assert report is None and summary.outcome == "offline"
        assert "sent less than 1 kB/s for 0.3 s" in summary.message
        assert store.member_slugs() == before


def test_mirror_download_is_bounded_by_the_run_deadline(static_server, tmp_path, monkeypatch):
    data = make_bundle(tmp_path, monkeypatch, "v1", {"valdoria": "2026-03-01T00:00:00Z"})
    static_server.files["/b"] = (data, "application/zip")
    static_server.trickle = 0.001  # steady, above no minimum: only the whole-run deadline stops it
    monkeypatch.setenv("OGPTUI_HOME", str(tmp_path / "user"))
    with open_store() as store:
        t0 = time.monotonic()
        summary, report = mirror_sync(
            store, static_server.url + "/b", deadline=0.5, source_options={"min_rate": 0}
        )
        took = time.monotonic() - t0
    assert report is None and summary.outcome == "offline"
    assert summary.message.endswith(
        "the download took longer than 0.5 s (setting run_deadline); cached data is unchanged"
    )
    assert took < 5


def test_mirror_redirect_to_another_host_is_refused(static_server, capsys):
    static_server.redirects["/b"] = "http://localhost:9/ogptui.bundle"
    home_ok = run(capsys, "sync", "--mirror", static_server.url + "/b", "--quiet")
    rc, out, err = home_ok
    assert rc == 1 and out == ""
    assert err.strip() == (
        f"ogptui: the mirror {static_server.url}/b: refused a redirect to another site (localhost:9); "
        "check the address; cached data is unchanged"
    )


def test_mirror_follows_a_same_site_redirect(static_server, tmp_path, monkeypatch):
    data = make_bundle(tmp_path, monkeypatch, "v1", {"valdoria": "2026-03-01T00:00:00Z"})
    static_server.files["/new.bundle"] = (data, "application/zip")
    static_server.redirects["/old.bundle"] = "/new.bundle"
    monkeypatch.setenv("OGPTUI_HOME", str(tmp_path / "user"))
    with open_store() as store:
        summary, report = mirror_sync(store, static_server.url + "/old.bundle")
    assert report is not None and report.added == ["Valdoria"] and summary.requests == 2


def test_mirror_uses_the_one_url_validator():
    from ogptui.mirror import validate_mirror_url

    for bad in ("ftp://x/y", "http://exa mple.org/b", "http://x:99999/b", "https://", "x\x1b]0;t\x07"):
        with pytest.raises(ValueError, match="^mirror URL "):
            validate_mirror_url(bad)
    assert validate_mirror_url(" https://intranet.example/ogp/ogptui.bundle ") == (
        "https://intranet.example/ogp/ogptui.bundle"
    )
