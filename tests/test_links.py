from __future__ import annotations

import pytest

from ogptui.links import check_link, safe_link


@pytest.mark.parametrize(
    "url",
    [
        "https://www.opengovpartnership.org/documents/peru-design-report-2019-2021/",
        "HTTPS://example.org/x?a=1#b",
        "https://example.org:8443/p",
    ],
)
def test_https_links_open(url):
    assert safe_link(url) == url


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        (None, "no link"),
        ("", "no link"),
        ("http://example.org/", "only https"),
        ("javascript:alert(1)", "no host"),
        ("file:///etc/passwd", "no host"),
        ("-https://example.org/", "starts with '-'"),
        ("--help", "starts with '-'"),
        ("https://example.org/a b", "whitespace"),
        ("https://example.org/\x1b[31m", "control"),
        ("https://example.org/\u202e", "control"),
        ("https://example.org/\n", "whitespace"),
        ("https://exa\x00mple.org/", "control"),
        ("/members/peru/", "no host"),
        ("https:///nohost", "no host"),
        ("https://[::1/", "not a valid"),
    ],
)
def test_unsafe_links_refused(url, reason):
    got, why = check_link(url)
    assert got is None
    assert reason in why


def test_configured_source_scheme_and_host_allowed():
    src = "http://127.0.0.1:8765"
    assert safe_link("http://127.0.0.1:8765/members/peru/", src) == "http://127.0.0.1:8765/members/peru/"
    # same scheme but another host or port: refused
    assert safe_link("http://127.0.0.2:8765/x", src) is None
    assert safe_link("http://127.0.0.1:9999/x", src) is None
    assert safe_link("ftp://127.0.0.1:8765/x", src) is None


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("javascript://example.org/%0Aalert(1)", "only https"),  # a host does not make it a web link
        ("JAVASCRIPT:alert(1)", "no host"),
        ("file://localhost/etc/passwd", "only https"),
        ("data:text/html,<script>alert(1)</script>", "no host"),
        ("vbscript:msgbox", "no host"),
        ("\thttps://example.org/", "whitespace"),
        (" https://example.org/", "whitespace"),
        ("https://example.org/\u00a0x", "whitespace"),
        ("https://example.org/\x9b31m", "control"),
        ("https://example.org/\x07", "control"),
        ("https://example.org/\u2066x", "control"),
        ("-n https://example.org/", "starts with '-'"),
    ],
)
def test_more_unsafe_links_refused(url, reason):
    got, why = check_link(url, "http://127.0.0.1:8765")
    assert got is None
    assert reason in why


def test_configured_source_does_not_open_other_schemes_on_its_host():
    src = "http://127.0.0.1:8765"
    assert safe_link("javascript://127.0.0.1:8765/x", src) is None
    assert safe_link("file://127.0.0.1:8765/etc/passwd", src) is None
