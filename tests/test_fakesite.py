"""The fake OGP site does what its controls say (checked with plain httpx)."""

from __future__ import annotations

import dataclasses
import time
from email.utils import formatdate

import httpx
import pytest

from tests.fakesite import FakeSite, default_site, synthetic_site


@pytest.fixture
def client():
    with httpx.Client(timeout=httpx.Timeout(5.0)) as c:
        yield c


def test_pages_look_like_ogp(fake_site, client):
    r = client.get(fake_site.url + "/members/Peru/")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert 100_000 <= len(r.content) <= 200_000
    for text in (
        "Member Since 2011",
        "Current Action Plan",
        "Number of Commitments: 6",
        "PE0110, 2023, Anti-Corruption",
        "2024, IRM Report, Web page",
        "Starred Commitments",
        "Most per action plan",
        "OGP Global Report Data",
        "Recent Posts",
        "(More)",
        'href="/members/peru/commitments/PE0110/"',
    ):
        assert text in r.text, text
    c = client.get(fake_site.url + "/members/peru/commitments/pe0110/")
    assert c.status_code == 200
    for text in (
        "Open Public Works Monitoring (PE0110)",
        "Action Plan Cycle:",
        "Lead Institution:",
        "Description",
    ):
        assert text in c.text
    d = client.get(fake_site.url + "/local/participants")
    assert "Members" in d.text and "Joined in 2020 and is implementing 3 commitments." in d.text
    assert 'href="/members/port-esmer-valdoria/"' in d.text


def test_redirects_and_not_found(fake_site, client):
    r = client.get(fake_site.url + "/countries/Peru")
    assert r.status_code == 301 and r.headers["location"] == "/members/peru/"
    assert client.get(fake_site.url + "/members/peru").status_code == 301
    n = client.get(fake_site.url + "/members/atlantis/")
    assert n.status_code == 404 and "Page not found" in n.text
    assert client.get(fake_site.url + "/members/peru/commitments/XX0001/").status_code == 404


def test_validators_and_304(fake_site, client):
    url = fake_site.url + "/members/peru/"
    r = client.get(url)
    etag, lm = r.headers["etag"], r.headers["last-modified"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(url, headers={"If-None-Match": f'"x", W/{etag}'}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": lm}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"other"', "If-Modified-Since": lm}).status_code == 200
    assert client.get(url, headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}).status_code == 200
    assert fake_site.counters.conditional == 5 and fake_site.counters.not_modified == 3

    peru = fake_site.member("peru")
    fake_site.set_member(dataclasses.replace(peru, member_since=2012))
    r2 = client.get(url, headers={"If-None-Match": etag, "If-Modified-Since": lm})
    assert r2.status_code == 200 and "Member Since 2012" in r2.text
    assert r2.headers["etag"] != etag
    assert client.get(url, headers={"If-Modified-Since": lm}).status_code == 200  # Last-Modified moved on
    assert client.get(url, headers={"If-Modified-Since": formatdate(usegmt=True)}).status_code == 304


def test_no_validators(make_fake_site, client):
    site = make_fake_site(validators=False)
    r = client.get(site.url + "/members/peru/", headers={"If-None-Match": "*"})
    assert r.status_code == 200 and "etag" not in r.headers and "last-modified" not in r.headers


def test_nonce_changes_body_not_etag(make_fake_site, client):
    site = make_fake_site(nonce=True)
    a = client.get(site.url + "/members/peru/")
    b = client.get(site.url + "/members/peru/")
    assert a.text != b.text and a.headers["etag"] == b.headers["etag"]
    assert (
        client.get(site.url + "/members/peru/", headers={"If-None-Match": a.headers["etag"]}).status_code
        == 304
    )
    plain = make_fake_site()
    assert client.get(plain.url + "/members/peru/").text == client.get(plain.url + "/members/peru/").text


def test_gzip_option(make_fake_site, client):
    site = make_fake_site(gzip=True)
    r = client.get(site.url + "/members/peru/")
    assert r.headers["content-encoding"] == "gzip" and "Member Since 2011" in r.text
    assert site.counters.bytes_sent < len(r.content) / 3


def test_set_commitment_and_remove(fake_site, client):
    page = dataclasses.replace(fake_site.commitment("peru", "PE0111"), completion="Completed")
    fake_site.set_commitment(page)
    r = client.get(fake_site.url + "/members/peru/commitments/PE0111/")
    assert "Completed" in r.text
    fake_site.remove("/members/peru/commitments/PE0111/")
    assert client.get(fake_site.url + "/members/peru/commitments/PE0111/").status_code == 404
    fake_site.remove("/members/norland/")
    assert client.get(fake_site.url + "/members/norland/").status_code == 404
    assert "norland" not in client.get(fake_site.url + "/local/participants").text


@pytest.mark.parametrize("kind", ["500", "503", "429", "404", "410"])
def test_status_faults(fake_site, client, kind):
    fake_site.fault("/members/peru/", kind, times=2, retry_after=3)
    for _ in range(2):
        r = client.get(fake_site.url + "/members/PERU")
        assert r.status_code == int(kind)
        assert r.headers["retry-after"] == "3"
    assert client.get(fake_site.url + "/members/peru/").status_code == 200
    assert fake_site.hits("/members/peru/") == 3 and fake_site.counters.faults == 2


def test_fault_everywhere_and_clear(fake_site, client):
    fake_site.fault("*", "503")
    assert client.get(fake_site.url + "/members/valdoria/").status_code == 503
    assert client.get(fake_site.url + "/").status_code == 503
    fake_site.clear_faults()
    assert client.get(fake_site.url + "/").status_code == 200
    with pytest.raises(ValueError):
        fake_site.fault("/", "teapot")


def test_slow_fault(fake_site, client):
    fake_site.fault("/members/peru/", "slow", times=1, delay=0.3)
    t = time.monotonic()
    assert client.get(fake_site.url + "/members/peru/").status_code == 200
    assert time.monotonic() - t >= 0.3
    fake_site.fault("/members/peru/", "slow", times=1, delay=0.5, where="body")
    with pytest.raises(httpx.ReadTimeout):
        client.get(fake_site.url + "/members/peru/", timeout=httpx.Timeout(5.0, read=0.1))


@pytest.mark.parametrize("where", ["before", "mid"])
def test_reset_fault(fake_site, client, where):
    fake_site.fault("/members/peru/", "reset", times=1, where=where)
    with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)):
        client.get(fake_site.url + "/members/peru/")
    assert client.get(fake_site.url + "/members/peru/").status_code == 200


def test_truncated_fault(fake_site, client):
    fake_site.fault("/members/peru/", "truncated", times=1)
    with pytest.raises(httpx.RemoteProtocolError):
        client.get(fake_site.url + "/members/peru/")


def test_oversize_fault(fake_site, client):
    fake_site.fault("/members/peru/", "oversize", size_mb=2)
    r = client.get(fake_site.url + "/members/peru/")
    assert len(r.content) == 2 * 1024 * 1024 and r.headers["content-type"].startswith("text/html")
    fake_site.clear_faults()
    fake_site.fault("/members/peru/", "oversize", size_mb=3, gzip=True)
    r = client.get(fake_site.url + "/members/peru/")
    assert len(r.content) == 3 * 1024 * 1024 and int(r.headers["content-length"]) < 100_000
    fake_site.clear_faults()
    fake_site.fault("/members/peru/", "oversize", size_mb=1, length=False)
    r = client.get(fake_site.url + "/members/peru/")
    assert "content-length" not in r.headers and len(r.content) == 1024 * 1024


@pytest.mark.parametrize("ctype", ["application/pdf", "application/json"])
def test_wrong_type_fault(fake_site, client, ctype):
    fake_site.fault("/members/peru/", "wrong_type", content_type=ctype)
    r = client.get(fake_site.url + "/members/peru/")
    assert r.status_code == 200 and r.headers["content-type"] == ctype


@pytest.mark.parametrize("status", [200, 403, 503])
def test_challenge_fault(fake_site, client, status):
    fake_site.fault("/members/peru/", "challenge", status=status)
    r = client.get(fake_site.url + "/members/peru/")
    assert r.status_code == status and "Just a moment..." in r.text
    assert r.headers["cf-mitigated"] == "challenge"


def test_redirect_loop_fault(fake_site):
    fake_site.fault("/members/peru/", "redirect_loop")
    with httpx.Client(follow_redirects=True, max_redirects=5) as c, pytest.raises(httpx.TooManyRedirects):
        c.get(fake_site.url + "/members/peru/")
    assert fake_site.hits("/members/peru/") == 6


def test_hang_fault_sends_nothing_until_the_client_gives_up(fake_site, client):
    fake_site.fault("/members/peru/", "hang", times=1)
    t = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        client.get(fake_site.url + "/members/peru/", timeout=httpx.Timeout(5.0, read=0.3))
    assert 0.3 <= time.monotonic() - t < 3.0
    assert client.get(fake_site.url + "/members/peru/").status_code == 200  # used up


def test_hang_fault_ends_when_the_site_stops(fake_site):
    import socket

    fake_site.fault("/members/peru/", "hang")
    with socket.create_connection(("127.0.0.1", fake_site.port), timeout=5) as s:
        s.sendall(b"GET /members/peru/ HTTP/1.1\r\nHost: x\r\n\r\n")
        time.sleep(0.1)
        t = time.monotonic()
        fake_site.stop()
        assert time.monotonic() - t < 3.0
        assert s.recv(100) == b""  # closed without a byte of answer


def test_trickle_body_fault(fake_site, client):
    fake_site.fault("/members/peru/", "trickle_body", interval=0.05)
    t = time.monotonic()
    got = b""
    with client.stream("GET", fake_site.url + "/members/peru/") as r:
        assert r.status_code == 200 and int(r.headers["content-length"]) > 10_000
        for chunk in r.iter_raw():
            got += chunk
            if len(got) >= 10:
                break
    # ten bytes took about ten intervals: the server never sends more than one byte at a time
    assert got and time.monotonic() - t >= 0.3


def test_trickle_headers_fault(fake_site):
    import socket

    fake_site.fault("/members/peru/", "trickle_headers", interval=0.05)
    with socket.create_connection(("127.0.0.1", fake_site.port), timeout=5) as s:
        s.sendall(b"GET /members/peru/ HTTP/1.1\r\nHost: x\r\n\r\n")
        first = s.recv(200)
        assert first.startswith(b"HTTP/1.1 200 OK\r\n")
        time.sleep(0.4)
        more = s.recv(200)
        assert more and set(more) <= set(b"aX-Padding: ")  # padding, never the end of the headers
        assert b"\r\n\r\n" not in first + more


@pytest.mark.parametrize(
    "location",
    ["/members/valdoria/", "http://localhost:9/members/peru/", "http://example.org/members/peru/"],
)
def test_redirect_fault(fake_site, client, location):
    fake_site.fault("/members/peru/", "redirect", location=location)
    r = client.get(fake_site.url + "/members/peru/")
    assert r.status_code == 301 and r.headers["location"] == location
    fake_site.clear_faults()
    fake_site.fault("/members/peru/", "redirect", location=location, status=302)
    assert client.get(fake_site.url + "/members/peru/").status_code == 302
    with pytest.raises(ValueError, match="location"):
        fake_site.fault("/members/peru/", "redirect")


def test_invalid_utf8_fault(fake_site, client):
    fake_site.fault("/members/peru/", "invalid_utf8")
    raw = client.get(fake_site.url + "/members/peru/").content
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert "Member Since 2011" in raw.decode("utf-8", errors="replace")


def test_stop_and_start_on_same_port(fake_site):
    port = fake_site.port
    with httpx.Client(timeout=2.0) as c:
        assert c.get(fake_site.url + "/").status_code == 200  # keep-alive connection now open
        fake_site.stop()
        with pytest.raises(httpx.TransportError):
            c.get(fake_site.url + "/")
        fake_site.start()
        assert fake_site.port == port
        assert c.get(fake_site.url + "/").status_code == 200


def test_counters(fake_site, client):
    client.get(fake_site.url + "/members/peru/")
    client.get(fake_site.url + "/members/Peru")
    client.get(fake_site.url + "/local/participants")
    c = fake_site.counters
    assert c.requests == 3 and fake_site.hits("/members/peru/") == 2 and c.bytes_sent > 100_000
    assert c.statuses[200] == 2 and c.statuses[301] == 1 and c.max_in_flight == 1
    fake_site.reset_counters()
    assert fake_site.counters.requests == 0 and fake_site.hits("/members/peru/") == 0


def test_concurrent_requests_are_seen_in_flight(make_fake_site):
    import concurrent.futures
    import threading

    site = make_fake_site(latency=0.5)
    clients = [httpx.Client() for _ in range(3)]  # made before: making one can take longer than the latency
    ready = threading.Barrier(3)  # on a loaded machine a thread can start late: all three ask together

    def get(i: int, path: str) -> int:
        ready.wait(timeout=30)
        return clients[i].get(site.url + path).status_code

    try:
        with concurrent.futures.ThreadPoolExecutor(3) as ex:
            paths = ["/members/peru/", "/members/valdoria/", "/members/norland/"]
            codes = list(ex.map(get, range(3), paths))
    finally:
        for c in clients:
            c.close()
    assert codes == [200, 200, 200] and site.counters.max_in_flight == 3


def test_synthetic_site_is_deterministic_and_sized():
    a = synthetic_site(members=20, commitments=500, resources=800, seed=3)
    b = synthetic_site(members=20, commitments=500, resources=800, seed=3)
    assert [m.to_dict() for m in a.members] == [m.to_dict() for m in b.members]
    assert len(a.members) == 20 and len(a.commitments) == 500
    assert sum(len(m.resources) for m in a.members) == 800
    assert sum(m.level == "local" for m in a.members) >= 4
    assert len({cid for _, cid in a.commitments}) == 500
    with FakeSite(a) as site, httpx.Client() as c:
        sizes = [len(c.get(site.member_url(m.slug)).content) for m in a.members]
    assert min(sizes) >= 100_000 and max(sizes) <= 200_000


def test_default_site_shape():
    d = default_site()
    assert [m.slug for m in d.members] == ["peru", "valdoria", "port-esmer-valdoria", "norland"]
    assert all(d.commitment(m.slug, c.id) for m in d.members for c in m.commitments)


# ------------------------------------------------------------------------------------- parser round trip


def _norm(obj, base: str):
    """Site-relative URLs, one kind of dash, paragraphs as lines (what the parser normalises)."""
    if isinstance(obj, dict):
        return {k: _norm(v, base) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_norm(v, base) for v in obj]
    if isinstance(obj, str):
        s = obj.removeprefix(base).replace("\u2013", "-")
        return "\n".join(line for line in s.split("\n") if line.strip())
    return obj


def _member_view(d: dict, base: str) -> dict:
    d = _norm(d, base)
    for k in ("fetched_at", "source_url", "warnings"):
        d.pop(k, None)
    # Participation levels are chart data (data-level attributes in the fake markup, unseen on the real
    # site); the parser keeps them unknown, so compare which phases/plans are listed.
    d["participation"] = [{**p, "level": None} for p in d["participation"]]
    return d


def _commitment_view(d: dict, base: str) -> dict:
    d = _norm(d, base)
    for k in ("fetched_at", "url", "warnings"):
        d.pop(k, None)
    return d


@pytest.fixture
def strict_parser(monkeypatch):
    parse = pytest.importorskip("ogptui.parse")
    monkeypatch.setattr(parse, "STRICT", True)
    return parse.parse_page


@pytest.mark.parametrize("dataset", ["default", "synthetic"])
def test_rendered_pages_parse_back_to_their_records(make_fake_site, client, strict_parser, dataset):
    data = (
        default_site() if dataset == "default" else synthetic_site(members=12, commitments=150, resources=300)
    )
    site = make_fake_site(data)
    for m in data.members:
        r = client.get(site.member_url(m.slug))
        rec = strict_parser(r.text, url=str(r.url), kind="member")
        assert _member_view(rec.to_dict(), site.url) == _member_view(m.to_dict(), site.url), m.slug
    pages = list(data.commitments.items())
    for (slug, cid), page in pages if dataset == "default" else pages[::10]:
        r = client.get(site.commitment_url(slug, cid))
        rec = strict_parser(r.text, url=str(r.url), kind="commitment")
        assert _commitment_view(rec.to_dict(), site.url) == _commitment_view(page.to_dict(), site.url), cid
    r = client.get(site.url + "/local/participants")
    directory = strict_parser(r.text, url=str(r.url), kind="directory")
    assert [(e.slug, e.name, e.level) for e in directory.members] == [
        (m.slug, m.name, m.level) for m in data.members
    ]


@pytest.mark.parametrize("kind", ["challenge", "404"])
def test_fault_pages_are_rejected_by_the_parser(fake_site, client, strict_parser, kind):
    from ogptui.model import PageRejected

    fake_site.fault("/members/peru/", kind, status=200)
    r = client.get(fake_site.url + "/members/peru/")
    with pytest.raises(PageRejected):
        strict_parser(r.text, url=str(r.url), kind="member")


def test_invalid_utf8_page_still_parses(fake_site, client, strict_parser):
    fake_site.fault("/members/peru/", "invalid_utf8")
    raw = client.get(fake_site.url + "/members/peru/").content
    rec = strict_parser(
        raw.decode("utf-8", errors="replace"), url=fake_site.member_url("peru"), kind="member"
    )
    assert rec.name == "Peru" and len(rec.resources) == 12


def test_the_site_answers_with_tcp_nodelay(fake_site):
    """The benchmarks compare against wget on 127.0.0.1: Nagle's algorithm must not delay small answers."""
    import socket

    with socket.create_connection((fake_site.host, fake_site.port)) as s:
        s.sendall(b"GET /robots.txt HTTP/1.1\r\nHost: x\r\n\r\n")  # kept alive: the server's socket stays
        assert s.recv(64).startswith(b"HTTP/1.1")
        with fake_site._lock:
            conns = list(fake_site._conns)
        assert conns and all(c.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) for c in conns)
