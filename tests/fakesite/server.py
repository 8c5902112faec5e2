"""The fake OGP site: a real HTTP/1.1 server on 127.0.0.1 in a thread, with validators, faults, counters."""

from __future__ import annotations

import gzip as gzip_mod
import hashlib
import json
import re
import secrets
import select
import socket
import struct
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

from ogptui.model import CommitmentPage, DocumentPage, Member
from ogptui.urls import document_slug, slug_of

from . import documents as docs
from . import render
from .chrome import NONCE
from .data import SiteData, default_site
from .faults import MB, Fault, oversize_chunks, oversize_gzip, wrong_type_body
from .translations import (
    LANGUAGES,
    TRANSLATIONS,
    Translator,
    translate_commitment,
    translate_document,
    translate_member,
)

_REASONS = {429: "Too Many Requests", 410: "Gone", 404: "Not Found", 500: "Internal Server Error"}
_HTML = "text/html; charset=UTF-8"


@dataclass
class Counters:
    requests: int = 0
    by_path: Counter[str] = field(default_factory=Counter)
    conditional: int = 0
    not_modified: int = 0
    bytes_sent: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    user_agents: Counter[str] = field(default_factory=Counter)
    faults: int = 0
    in_flight: int = 0
    max_in_flight: int = 0
    connections: int = 0  # TCP connections accepted (keep-alive reuses one for many requests)


def norm_path(path: str) -> str:
    """The key used for faults and counters: decoded, no query, lower case, no trailing slash."""
    p = unquote(urlsplit(path).path).lower()
    return p.rstrip("/") or "/"


@dataclass
class _Page:
    status: int
    template: str | None = None  # HTML with the nonce placeholder
    etag: str | None = None
    mtime: int | None = None
    location: str | None = None
    body: bytes | None = None  # for non-HTML answers
    content_type: str = _HTML


class _Server(ThreadingHTTPServer):
    allow_reuse_address = True
    daemon_threads = True
    site: FakeSite

    def handle_error(self, request: Any, client_address: Any) -> None:  # noqa: ARG002
        import sys

        self.site.errors.append(repr(sys.exc_info()[1]))


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # TCP_NODELAY: headers and body go out in separate writes; with Nagle's algorithm the body would wait
    # for the client's delayed ACK (~40 ms) on a reused connection, a stall no real server has.
    disable_nagle_algorithm = True
    server_version = "FakeOGP/1.0"
    sys_version = ""
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.server.site._track(self.connection, True)

    def finish(self) -> None:
        try:
            super().finish()
        except OSError:
            pass
        finally:
            self.server.site._track(self.connection, False)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:
        self.server.site._handle(self, head=False)

    def do_HEAD(self) -> None:
        self.server.site._handle(self, head=True)


class FakeSite:
    """A fake opengovpartnership.org. Use as a context manager or call start()/stop().

    `validators=False` sends no ETag/Last-Modified; `nonce=True` puts a fresh random token in every
    response (the data and the ETag do not change); `gzip=True` compresses when the client accepts it;
    `latency` is a delay (seconds) before every answer.

    Documents: every member resource linking `/documents/<slug>/` has a page (`documents.document_for`,
    made on first request, in one of two markups) and, for non-report types, a PDF under
    `/wp-content/uploads/…` built by fpdf2. `set_document` / `set_file` replace them (their validators
    change), `remove` makes them answer 404. `documents=False` serves no document pages at all (404).

    Languages (issue 17): `/es/…` and `/fr/…` serve the member, commitment and document pages of the members
    that have a translation (`translations.TRANSLATIONS`: peru and port-esmer-valdoria in both; valdoria and
    norland none, so their `/es/` URLs answer 404), made from the English records by the same renderer.
    `member_url(slug, "es")`, `commitment_url(slug, cid, "fr")`, `document_url(slug, "es")` give the URLs;
    `member(slug, "es")`, `commitment(slug, cid, "es")`, `document_in(slug, "es")` the records those pages
    show; `languages(slug)` which languages a member has; `set_translation` / `remove("/es/members/<slug>/")`
    add or take away one language of a member. `translations=` replaces the whole table.
    """

    def __init__(
        self,
        data: SiteData | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        validators: bool = True,
        nonce: bool = False,
        gzip: bool = False,
        latency: float = 0.0,
        documents: bool = True,
        translations: dict[tuple[str, str], dict[str, str]] | None = None,
    ) -> None:
        data = data if data is not None else default_site()
        table = TRANSLATIONS if translations is None else translations
        self._translations: dict[tuple[str, str], dict[str, str]] = {k: dict(v) for k, v in table.items()}
        self._gone: set[str] = set()  # norm paths of translated pages removed one by one
        self.documents_enabled = documents
        self.host = host
        self.port = port
        self.validators = validators
        self.nonce = nonce
        self.gzip = gzip
        self.latency = latency
        self.counters = Counters()
        self.request_log: list[str] = []
        self.errors: list[str] = []
        self._members: dict[str, Member] = {m.slug.lower(): m for m in data.members}
        self._commitments: dict[tuple[str, str], CommitmentPage] = {
            (s.lower(), c.upper()): p for (s, c), p in data.commitments.items()
        }
        self._documents: dict[str, tuple[DocumentPage, str]] = {}  # slug → (page, markup), made or set
        self._files: dict[str, tuple[bytes, str]] = {}  # path (lower case) → (bytes, content type)
        self._removed: set[str] = set()  # document and file keys answering 404
        self._t0 = int(time.time()) - 86400
        self._mtimes: dict[str, int] = {}
        self._cache: dict[str, tuple[str, str]] = {}
        self._faults: dict[str, list[Fault]] = {}
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self._conns: set[socket.socket] = set()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ lifecycle

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        return self._server is not None

    def start(self) -> FakeSite:
        """Start serving (again on the same port after stop())."""
        if self._server is not None:
            return self
        self._stopping.clear()
        server = _Server((self.host, self.port), _Handler)
        server.site = self
        self.port = server.server_address[1]
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.02},
            daemon=True,
            name=f"fakesite:{self.port}",
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening and drop every open connection (clients see the site go offline)."""
        server, self._server = self._server, None
        if server is None:
            return
        self._stopping.set()  # hanging and trickling answers end
        server.shutdown()
        server.server_close()
        with self._lock:
            conns = list(self._conns)
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeSite:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _track(self, conn: socket.socket, add: bool) -> None:
        with self._lock:
            if add:
                self._conns.add(conn)
                self.counters.connections += 1
            else:
                self._conns.discard(conn)

    # ------------------------------------------------------------------ content

    def members(self) -> list[Member]:
        with self._lock:
            return list(self._members.values())

    def member(self, slug: str, lang: str | None = None) -> Member:
        """The member's record; with `lang`, as its `/es/` or `/fr/` page shows it (KeyError if none)."""
        m = self._members[slug.lower()]
        if lang in (None, "en"):
            return m
        return translate_member(m, self._translator(lang, slug))

    def commitment(self, slug: str, cid: str, lang: str | None = None) -> CommitmentPage:
        page = self._commitments[(slug.lower(), cid.upper())]
        if lang in (None, "en"):
            return page
        tr = self._translator(lang, slug)
        return translate_commitment(page, self._members[slug.lower()].name, tr)

    @staticmethod
    def _prefix(lang: str | None) -> str:
        if lang in (None, "en"):
            return ""
        if lang not in LANGUAGES:
            raise ValueError(f"the fake site speaks en, es and fr, not {lang!r}")
        return f"/{lang}"

    def member_url(self, slug: str, lang: str | None = None) -> str:
        return f"{self.url}{self._prefix(lang)}/members/{slug}/"

    def commitment_url(self, slug: str, cid: str, lang: str | None = None) -> str:
        return f"{self.url}{self._prefix(lang)}/members/{slug}/commitments/{cid}/"

    # ---- languages -------------------------------------------------------------------------------------
    def languages(self, slug: str) -> list[str]:
        """The languages a member's pages are served in: "en" and those with a translation."""
        with self._lock:
            return ["en", *(lang for lang in LANGUAGES if (lang, slug.lower()) in self._translations)]

    def _translator(self, lang: str, slug: str) -> Translator:
        table = self._translations.get((lang, slug.lower()))
        if table is None:
            raise KeyError(f"{slug} has no {lang} pages")
        return Translator(lang, table)

    def set_translation(self, lang: str, slug: str, texts: dict[str, str]) -> None:
        """Serve a member's pages in `lang` with these texts (English → translation; shared words are
        translated anyway). Their validators change."""
        self._prefix(lang)
        with self._lock:
            slug = slug.lower()
            self._translations[(lang, slug)] = dict(texts)
            self._gone = {p for p in self._gone if not p.startswith(f"/{lang}/members/{slug}")}
            self._touch(f"m:{slug}")

    def _touch(self, key: str) -> None:
        now = int(time.time())
        self._mtimes[key] = max(now, self._mtimes.get(key, self._t0) + 1)
        self._cache.clear()

    def set_member(self, member: Member) -> None:
        """Add or replace a member; its page's ETag and Last-Modified change."""
        with self._lock:
            slug = member.slug.lower()
            self._members[slug] = member
            self._touch(f"m:{slug}")

    def set_commitment(self, page: CommitmentPage, slug: str | None = None) -> None:
        """Add or replace a commitment page. The member slug comes from `slug`, `page.url` or the members."""
        with self._lock:
            slug = (slug or self._slug_for(page)).lower()
            cid = page.id.upper()
            self._commitments[(slug, cid)] = page
            self._touch(f"c:{slug}:{cid.lower()}")

    def _slug_for(self, page: CommitmentPage) -> str:
        if page.url:
            m = re.search(r"/members/([^/]+)/commitments/", page.url)
            if m:
                return m.group(1)
        for slug, member in self._members.items():
            if any(c.id.upper() == page.id.upper() for c in member.commitments):
                return slug
        raise ValueError(f"cannot tell which member commitment {page.id} belongs to; pass slug=")

    # ---- documents and files --------------------------------------------------------------------------
    def _resource_for(self, slug: str) -> tuple[Member, Any] | None:
        for member in self._members.values():
            for r in member.resources:
                if document_slug(r.url) == slug:
                    return member, r
        return None

    def document(self, slug: str) -> DocumentPage:
        """The page the site serves for a document (made from its resource on first use)."""
        with self._lock:
            got = self._document_entry(slug.lower())
        if got is None:
            raise KeyError(slug)
        return got[0]

    def _document_entry(self, slug: str) -> tuple[DocumentPage, str] | None:
        if slug in self._removed:
            return None
        hit = self._documents.get(slug)
        if hit is None:
            found = self._resource_for(slug)
            if found is None:
                return None
            page = docs.document_for(found[0], found[1])
            hit = self._documents[slug] = (page, docs.markup_for(slug))
        return hit

    def document_url(self, slug: str, lang: str | None = None) -> str:
        return f"{self.url}{self._prefix(lang)}/documents/{slug}/"

    def document_in(self, slug: str, lang: str | None) -> DocumentPage | None:
        """The document page as served in `lang` (None where that language has no such page)."""
        with self._lock:
            entry = self._document_entry(slug.lower())
            if entry is None or lang in (None, "en"):
                return entry[0] if entry else None
            owner = self._resource_for(slug.lower())
            if owner is None or (lang, owner[0].slug.lower()) not in self._translations:
                return None
            return translate_document(entry[0], self._translator(lang, owner[0].slug))

    def document_slugs(self) -> list[str]:
        """Every document the site's members link to (in member and resource order)."""
        with self._lock:
            out: list[str] = []
            for member in self._members.values():
                for r in member.resources:
                    s = document_slug(r.url)
                    if s and s not in out:
                        out.append(s)
            return out

    def set_document(self, page: DocumentPage, markup: str | None = None) -> None:
        """Add or replace a document page (its validators change). Attachment URLs may be site paths."""
        with self._lock:
            slug = (page.slug or "").lower()
            self._documents[slug] = (page, markup or docs.markup_for(slug))
            self._removed.discard(slug)
            self._touch(f"d:{slug}")

    def file_bytes(self, path: str) -> tuple[bytes, str] | None:
        """The bytes and content type served at a file path (a generated PDF is made on first use)."""
        key = norm_path(path)
        with self._lock:
            if key in self._removed:
                return None
            hit = self._files.get(key)
            if hit is None:
                hit = self._generated_file(key)
            return hit

    def _generated_file(self, key: str) -> tuple[bytes, str] | None:
        m = re.fullmatch(r"/wp-content/uploads/\d{4}/([^/]+)\.pdf", key)
        if not m:
            return None
        got = self._document_entry(m.group(1))
        if got is None or not any(norm_path(a.url) == key for a in got[0].attachments):
            return None
        return docs.pdf_file(tuple(docs.pdf_pages(got[0]))), docs.PDF_TYPE

    def set_file(self, path: str, data: bytes, content_type: str = docs.PDF_TYPE) -> None:
        """Serve `data` at a file path (its validators change)."""
        key = norm_path(path)
        with self._lock:
            self._files[key] = (data, content_type)
            self._removed.discard(key)
            self._touch(f"f:{key}")

    def pdf_text(self, slug: str) -> list[str]:
        """The page texts of a generated document's PDF."""
        return docs.pdf_pages(self.document(slug))

    def remove(self, path: str) -> None:
        """Remove the member, commitment, document page or file at `path`; it then answers 404."""
        key = norm_path(path)
        with self._lock:
            if m := re.fullmatch(r"/(es|fr)/members/([^/]+)", key):
                self._translations.pop((m.group(1), m.group(2)), None)  # that language of the member goes
                self._touch(f"m:{m.group(2)}")
                return
            if re.fullmatch(r"/(es|fr)/members/([^/]+)/commitments/([^/]+)", key):
                self._gone.add(key)
                self._cache.clear()
                return
            if m := re.fullmatch(r"/(?:es/|fr/)?documents/([^/]+)", key):
                self._removed.add(m.group(1))
                self._touch(f"d:{m.group(1)}")
                return
            if key.startswith("/wp-content/uploads/"):
                self._removed.add(key)
                self._touch(f"f:{key}")
                return
            if m := re.fullmatch(r"/members/([^/]+)/commitments/([^/]+)", key):
                self._commitments.pop((m.group(1), m.group(2).upper()), None)
                self._touch(f"c:{m.group(1)}:{m.group(2)}")
            elif m := re.fullmatch(r"/members/([^/]+)", key):
                self._members.pop(m.group(1), None)
                self._touch(f"m:{m.group(1)}")
            else:
                raise ValueError(f"{path} is not a member or commitment path")

    # ------------------------------------------------------------------ faults and counters

    def fault(self, path: str, kind: str, *, times: int | None = None, **options: Any) -> Fault:
        """Inject a fault on `path` ("*" = every path), for the next `times` requests or until cleared."""
        f = Fault(kind=kind, times=times, **options)
        with self._lock:
            self._faults.setdefault(path if path == "*" else norm_path(path), []).append(f)
        return f

    def clear_faults(self, path: str | None = None) -> None:
        with self._lock:
            if path is None:
                self._faults.clear()
            else:
                self._faults.pop(path if path == "*" else norm_path(path), None)

    def _take_fault(self, key: str) -> Fault | None:
        with self._lock:
            for k in (key, "*"):
                lst = self._faults.get(k)
                if not lst:
                    continue
                f = lst[0]
                if f.times is not None:
                    f.times -= 1
                    if f.times <= 0:
                        lst.pop(0)
                        if not lst:
                            del self._faults[k]
                return f
        return None

    def hits(self, path: str) -> int:
        """Requests seen for `path` (case, trailing slash and query ignored)."""
        with self._lock:
            return self.counters.by_path[norm_path(path)]

    def reset_counters(self) -> None:
        with self._lock:
            in_flight = self.counters.in_flight
            self.counters = Counters(in_flight=in_flight)

    # ------------------------------------------------------------------ routing

    def _mtime(self, key: str) -> int:
        return self._mtimes.get(key, self._t0)

    def _cached(self, key: str, make: Any) -> tuple[str, str]:
        with self._lock:
            hit = self._cache.get(key)
        if hit is None:
            html = make()
            etag = '"' + hashlib.sha256(html.encode("utf-8")).hexdigest()[:32] + '"'
            hit = (html, etag)
            with self._lock:
                self._cache[key] = hit
        return hit

    def _route(self, raw_path: str) -> _Page:
        path = unquote(urlsplit(raw_path).path)
        low = path.lower()
        if m := re.match(r"/(es|fr)(/.*)?$", low):
            with self._lock:
                return self._route_lang(m.group(1), m.group(2) or "/")
        with self._lock:
            if low in ("/", ""):
                html, etag = self._cached("home", render.home_html)
                return _Page(200, html, etag, self._t0)
            if low == "/robots.txt":
                return _Page(200, body=b"User-agent: *\nDisallow: /wp-admin/\n", content_type="text/plain")
            if re.fullmatch(r"/local/participants/?", low):
                members = list(self._members.values())
                html, etag = self._cached("dir", lambda: render.directory_html(members))
                mt = max([self._t0, *(self._mtime(f"m:{s}") for s in self._members)])
                return _Page(200, html, etag, mt)
            if m := re.fullmatch(r"/(?:countries|country)/([^/]+)/?", low):
                return _Page(301, location=f"/members/{m.group(1)}/")
            if m := re.fullmatch(r"/members/([^/]+)", low):
                return _Page(301, location=f"/members/{m.group(1)}/")
            if m := re.fullmatch(r"/members/([^/]+)/", low):
                slug = m.group(1)
                member = self._members.get(slug)
                if member is not None:
                    html, etag = self._cached(f"m:{slug}", lambda: render.member_html(member))
                    return _Page(200, html, etag, self._mtime(f"m:{slug}"))
            if m := re.fullmatch(r"/members/([^/]+)/commitments/([^/]+)/?", low):
                slug, cid = m.group(1), m.group(2)
                page = self._commitments.get((slug, cid.upper()))
                if page is not None:
                    html, etag = self._cached(f"c:{slug}:{cid}", lambda: render.commitment_html(page, slug))
                    return _Page(200, html, etag, self._mtime(f"c:{slug}:{cid}"))
            if self.documents_enabled and (m := re.fullmatch(r"/documents/([^/]+)/?", low)):
                slug = slug_of(m.group(1))  # `/documents/perú-…/` is `peru-…`, as on WordPress
                entry = self._document_entry(slug)
                if entry is not None:
                    doc, markup = entry
                    html, etag = self._cached(f"d:{slug}", lambda: docs.document_html(doc, markup))
                    return _Page(200, html, etag, self._mtime(f"d:{slug}"))
            if self.documents_enabled and low.startswith("/wp-content/uploads/"):
                key = norm_path(low)
                got = self.file_bytes(key)
                if got is not None:
                    data, ctype = got
                    etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
                    return _Page(200, body=data, etag=etag, mtime=self._mtime(f"f:{key}"), content_type=ctype)
            html, _ = self._cached("404", render.not_found_html)
            return _Page(404, html)

    def _route_lang(self, lang: str, low: str) -> _Page:
        """`/es/…` and `/fr/…`: member, commitment and document pages of the members translated."""
        prefix = f"/{lang}"
        if m := re.fullmatch(r"/members/([^/]+)", low):
            return _Page(301, location=f"{prefix}/members/{m.group(1)}/")
        if (m := re.fullmatch(r"/members/([^/]+)/", low)) and (lang, m.group(1)) in self._translations:
            slug = m.group(1)
            member = self._members.get(slug)
            if member is not None:
                tr = self._translator(lang, slug)
                html, etag = self._cached(
                    f"{lang}:m:{slug}", lambda: render.member_html(translate_member(member, tr), lang)
                )
                return _Page(200, html, etag, self._mtime(f"m:{slug}"))
        m = re.fullmatch(r"/members/([^/]+)/commitments/([^/]+)/?", low)
        if m and (lang, m.group(1)) in self._translations and norm_path(prefix + low) not in self._gone:
            slug, cid = m.group(1), m.group(2)
            page = self._commitments.get((slug, cid.upper()))
            member = self._members.get(slug)
            if page is not None and member is not None:
                tr = self._translator(lang, slug)
                html, etag = self._cached(
                    f"{lang}:c:{slug}:{cid}",
                    lambda: render.commitment_html(translate_commitment(page, member.name, tr), slug, lang),
                )
                return _Page(200, html, etag, self._mtime(f"c:{slug}:{cid}"))
        if self.documents_enabled and (m := re.fullmatch(r"/documents/([^/]+)/?", low)):
            slug = slug_of(m.group(1))
            doc = self.document_in(slug, lang)
            entry = self._document_entry(slug)
            if doc is not None and entry is not None:
                markup = entry[1]  # the same markup as the English page
                html, etag = self._cached(f"{lang}:d:{slug}", lambda: docs.document_html(doc, markup))
                return _Page(200, html, etag, self._mtime(f"d:{slug}"))
        html, _ = self._cached("404", render.not_found_html)
        return _Page(404, html)

    # ------------------------------------------------------------------ serving

    def _handle(self, h: _Handler, head: bool) -> None:
        if h.path == "/__log__":  # test control: the request paths seen so far, in order
            with self._lock:
                body = json.dumps(self.request_log).encode()
            h._ogp_done = True  # not counted as a page request
            self._send(h, 200, body, head, content_type="application/json")
            return
        key = norm_path(h.path)
        with self._lock:
            self.request_log.append(urlsplit(h.path).path)
        conditional = bool(h.headers.get("If-None-Match") or h.headers.get("If-Modified-Since"))
        with self._lock:
            c = self.counters
            c.requests += 1
            c.by_path[key] += 1
            c.conditional += conditional
            c.user_agents[h.headers.get("User-Agent") or ""] += 1
            c.in_flight += 1
            c.max_in_flight = max(c.max_in_flight, c.in_flight)
        h._ogp_counters = self.counters  # the object to decrement, even if reset meanwhile
        h._ogp_done = False
        try:
            if self.latency:
                time.sleep(self.latency)
            fault = self._take_fault(key)
            if fault is not None:
                with self._lock:
                    self.counters.faults += 1
                self._serve_fault(h, fault, head)
            else:
                self._serve_page(h, self._route(h.path), head)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            h.close_connection = True
        finally:
            self._done(h)

    def _done(self, h: _Handler) -> None:
        """Leave the in-flight count (before the answer goes out, so a client never sees N+1 overlap)."""
        if not h._ogp_done:
            h._ogp_done = True
            with self._lock:
                h._ogp_counters.in_flight -= 1

    def _headers(self, h: _Handler, status: int, headers: list[tuple[str, str]]) -> None:
        self._done(h)
        with self._lock:
            self.counters.statuses[status] += 1
        h.send_response(status, _REASONS.get(status))
        for k, v in headers:
            h.send_header(k, v)
        h.end_headers()

    def _write(self, h: _Handler, data: bytes) -> None:
        h.wfile.write(data)
        with self._lock:
            self.counters.bytes_sent += len(data)

    def _send(
        self,
        h: _Handler,
        status: int,
        body: bytes,
        head: bool,
        content_type: str = _HTML,
        extra: list[tuple[str, str]] | None = None,
    ) -> None:
        headers = [("Content-Type", content_type), *(extra or [])]
        if self.gzip and body and "gzip" in (h.headers.get("Accept-Encoding") or ""):
            body = gzip_mod.compress(body, 6)
            headers += [("Content-Encoding", "gzip"), ("Vary", "Accept-Encoding")]
        headers.append(("Content-Length", str(len(body))))
        self._headers(h, status, headers)
        if not head:
            self._write(h, body)

    def _validators(self, page: _Page) -> list[tuple[str, str]]:
        if not self.validators or page.etag is None:
            return []
        return [("ETag", page.etag), ("Last-Modified", formatdate(page.mtime, usegmt=True))]

    def _not_modified(self, h: _Handler, page: _Page) -> bool:
        if not self.validators or page.etag is None:
            return False
        inm = h.headers.get("If-None-Match")
        if inm:
            tags = [t.strip().removeprefix("W/") for t in inm.split(",")]
            return "*" in tags or page.etag in tags
        ims = h.headers.get("If-Modified-Since")
        if ims and page.mtime is not None:
            try:
                return page.mtime <= parsedate_to_datetime(ims).timestamp()
            except (TypeError, ValueError):
                return False
        return False

    def _body(self, page: _Page) -> bytes:
        if page.template is None:
            return page.body or b""
        token = secrets.token_hex(12) if self.nonce else "static"
        return page.template.replace(NONCE, token).encode("utf-8")

    def _serve_page(
        self, h: _Handler, page: _Page, head: bool, *, slow_body: float = 0.0, bad_utf8: bool = False
    ):
        if page.location is not None:
            self._send(h, page.status, b"", head, extra=[("Location", page.location)])
            return
        validators = self._validators(page)
        if page.status == 200 and self._not_modified(h, page):
            with self._lock:
                self.counters.not_modified += 1
            self._headers(h, 304, validators)
            return
        body = self._body(page)
        if bad_utf8:
            body = body.replace(
                b"Open Government Partnership</p>", b"Open Government \xff\xfe Partnership\xc3</p>", 1
            )
        extra = [*validators, ("Cache-Control", "max-age=0, must-revalidate")] if page.status == 200 else []
        if slow_body and not head:
            half = len(body) // 2
            self._headers(
                h,
                page.status,
                [("Content-Type", page.content_type), *extra, ("Content-Length", str(len(body)))],
            )
            self._write(h, body[:half])
            h.wfile.flush()
            time.sleep(slow_body)
            self._write(h, body[half:])
            return
        self._send(h, page.status, body, head, page.content_type, extra)

    def _reset(self, h: _Handler) -> None:
        """Close with RST (SO_LINGER 0): the client sees a connection reset."""
        h.close_connection = True
        try:
            h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            h.connection.close()
        except OSError:
            pass

    def _serve_fault(self, h: _Handler, f: Fault, head: bool) -> None:
        kind = f.kind
        if kind in ("500", "503", "429", "404", "410"):
            status = int(kind)
            if status in (404, 410):
                body = self._body(_Page(status, self._cached("404", render.not_found_html)[0]))
            else:
                body = render.error_html(status, _REASONS.get(status, "Service Unavailable")).encode()
            extra = [("Retry-After", str(f.retry_after))] if f.retry_after is not None else []
            self._send(h, status, body, head, extra=extra)
        elif kind == "slow":
            if f.where == "body":
                self._serve_page(h, self._route(h.path), head, slow_body=f.delay)
            else:
                time.sleep(f.delay)
                self._serve_page(h, self._route(h.path), head)
        elif kind == "reset":
            if f.where == "mid":
                page = self._route(h.path)
                body = self._body(page)
                self._headers(h, 200, [("Content-Type", page.content_type), ("Content-Length", str(len(body)))])
                self._write(h, body[: len(body) // 2])
                h.wfile.flush()
            self._done(h)
            self._reset(h)
        elif kind == "truncated":
            page = self._route(h.path)
            body = self._body(page)
            self._headers(h, 200, [("Content-Type", page.content_type), ("Content-Length", str(len(body)))])
            if not head:
                self._write(h, body[: len(body) // 2])
            h.close_connection = True
        elif kind == "oversize":
            self._serve_oversize(h, f, head)
        elif kind == "wrong_type":
            ctype = f.content_type or "application/pdf"
            self._send(h, 200, wrong_type_body(ctype), head, ctype)
        elif kind == "challenge":
            extra = [("Server", "cloudflare"), ("cf-mitigated", "challenge"), ("Cache-Control", "no-store")]
            self._send(h, f.status or 503, render.challenge_html().encode(), head, extra=extra)
        elif kind == "redirect_loop":
            split = urlsplit(h.path)
            target = split.path if split.query else f"{split.path}?loop=1"
            self._send(h, 302, b"", head, extra=[("Location", target)])
        elif kind == "invalid_utf8":
            self._serve_page(h, self._route(h.path), head, bad_utf8=True)
        elif kind == "hang":
            self._done(h)
            self._hold(h, f.delay)
            h.close_connection = True
        elif kind == "trickle_body":
            page = self._route(h.path)
            body = self._body(page)
            self._headers(h, 200, [("Content-Type", page.content_type), ("Content-Length", str(len(body)))])
            for i in range(len(body)):
                if head or self._hold(h, f.interval):
                    break
                self._write(h, body[i : i + 1])
            h.close_connection = True
        elif kind == "trickle_headers":
            self._done(h)
            h.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Padding: ")
            while not self._hold(h, f.interval):
                h.wfile.write(b"a")
            h.close_connection = True
        elif kind == "redirect":
            self._send(h, f.status or 301, b"", head, extra=[("Location", f.location or "/")])
        elif kind == "serve_other":
            self._serve_page(h, self._route(f.location or "/"), head)

    def _hold(self, h: _Handler, seconds: float) -> bool:
        """Wait `seconds`; True (early) when the client closed the connection or the site is stopping."""
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            if self._stopping.is_set():
                return True
            try:
                readable, _, _ = select.select([h.connection], [], [], min(left, 0.05))
                if readable and not h.connection.recv(1, socket.MSG_PEEK):
                    return True  # the client hung up
            except (OSError, ValueError):
                return True
            if readable:  # the client sent more (it should not): do not spin
                time.sleep(min(left, 0.05))
        return False

    def _serve_oversize(self, h: _Handler, f: Fault, head: bool) -> None:
        size = int(f.size_mb * MB)
        if f.gzip:
            body = oversize_gzip(size)
            headers = [
                ("Content-Type", _HTML),
                ("Content-Encoding", "gzip"),
                ("Content-Length", str(len(body))),
            ]
            self._headers(h, 200, headers)
            if not head:
                self._write(h, body)
            return
        headers = [("Content-Type", _HTML)]
        if f.length:
            headers.append(("Content-Length", str(size)))
        else:
            headers.append(("Connection", "close"))
            h.close_connection = True
        self._headers(h, 200, headers)
        if head:
            return
        try:
            for chunk in oversize_chunks(size):
                self._write(h, chunk)
        except OSError:
            h.close_connection = True
