"""A static file server for the mirror tests and bench (no tests here): serves a folder like nginx would.

`MirrorServer(root)` serves the files under `root` on 127.0.0.1 with strong ETags (`If-None-Match` → 304),
`Last-Modified`, and single byte ranges (`Range: bytes=N-` / `N-M` → 206 with `Content-Range`, past the
end → 416). It logs every request (path, status, the Range asked, bytes of body sent), can be told to
serve some paths slowly (to kill a client mid-download) and to ignore ranges (like a server without them).
Paths outside `root`, folders and symlinks are 404. A thread in the test's process; the client under test
may be another process.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit


@dataclass
class Hit:
    path: str
    status: int
    range: str | None
    sent: int = 0  # body bytes written to the socket


@dataclass
class MirrorServer:
    root: Path
    ranges: bool = True
    slow: dict[str, float] = field(default_factory=dict)  # path substring → seconds between 1 kB chunks
    log: list[Hit] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    def hits(self, prefix: str = "") -> list[Hit]:
        with self.lock:
            return [h for h in self.log if h.path.startswith(prefix)]

    def sent(self, prefix: str = "") -> int:
        return sum(h.sent for h in self.hits(prefix))

    def clear(self) -> None:
        with self.lock:
            self.log.clear()

    def __enter__(self) -> MirrorServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> MirrorServer:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _hit(self, status: int, sent: int = 0) -> Hit:
                hit = Hit(urlsplit(self.path).path, status, self.headers.get("Range"), sent)
                with site.lock:
                    site.log.append(hit)
                return hit

            def _empty(self, status: int, headers: dict[str, str] | None = None) -> None:
                self._hit(status)
                self.send_response(status)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_GET(self) -> None:
                rel = unquote(urlsplit(self.path).path).lstrip("/") or "index.html"
                root = site.root.resolve()
                target = (root / rel).resolve()
                if root not in target.parents or not target.is_file() or (root / rel).is_symlink():
                    return self._empty(404)
                data = target.read_bytes()
                st = target.stat()
                etag = '"' + hashlib.sha256(data).hexdigest()[:20] + '"'
                headers = {
                    "ETag": etag,
                    "Last-Modified": formatdate(st.st_mtime, usegmt=True),
                    "Content-Type": "application/json"
                    if rel.endswith(".json")
                    else "application/octet-stream",
                }
                if self.headers.get("If-None-Match") == etag:
                    return self._empty(304, {"ETag": etag})
                status, body = 200, data
                asked = self.headers.get("Range")
                if asked and site.ranges:
                    first, _, last = asked.removeprefix("bytes=").partition("-")
                    start = int(first)
                    end = int(last) if last else len(data) - 1
                    if start >= len(data):
                        return self._empty(416, {"Content-Range": f"bytes */{len(data)}"})
                    end = min(end, len(data) - 1)
                    status, body = 206, data[start : end + 1]
                    headers["Content-Range"] = f"bytes {start}-{end}/{len(data)}"
                if site.ranges:
                    headers["Accept-Ranges"] = "bytes"
                hit = self._hit(status)
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                delay = next((d for part, d in site.slow.items() if part in rel), 0.0)
                step = 1024 if delay else 1 << 16
                for i in range(0, len(body), step):
                    if delay:
                        time.sleep(delay)
                    try:
                        self.wfile.write(body[i : i + step])
                        self.wfile.flush()
                    except OSError:
                        return
                    with site.lock:
                        hit.sent += len(body[i : i + step])

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
