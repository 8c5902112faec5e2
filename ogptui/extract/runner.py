"""The parent side: one child process (`ogptui.extract.worker`) serves a batch of files, one at a time.

Per file: a wall-clock timeout enforced here (the child is killed), a CPU-time limit and an address-space
limit enforced by the kernel in the child, and a cap on what comes back (pages, characters, bytes of JSON).
Whatever the child does, `extract` returns an `Extracted` and never raises; a child that hangs, crashes or
runs out of memory is reaped and the next file gets a fresh one. Text is cleaned here, in the parent, with
the project's one cleaner, so nothing the child sends reaches a caller uncleaned.
(About 400 lines: the child's lifecycle — start, limits, timeouts, reaping — and the results it sends back
are one protocol, read best in one place; the child's side is worker.py.)
"""

from __future__ import annotations

import json
import math
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal

from ogptui.clean import clean_multiline, clean_text

Status = Literal["ok", "failed", "timeout", "too_large", "unsupported", "empty"]
STATUSES: frozenset[str] = frozenset({"ok", "failed", "timeout", "too_large", "unsupported", "empty"})
KINDS: frozenset[str] = frozenset({"pdf", "docx", "xlsx"})

DEFAULT_TIMEOUT = 30.0
DEFAULT_MEMORY_MB = 512
DEFAULT_MAX_PAGES = 2_000
DEFAULT_MAX_CHARS = 2_000_000
DEFAULT_MAX_FILE_MB = 200
DEFAULT_RECYCLE_AFTER = 200
START_TIMEOUT = 30.0  # the child's own start-up (interpreter + PDFium), before any file's clock starts

_PACKAGE_ROOT = str(Path(__file__).resolve().parent.parent.parent)
_OVERFLOW = b"<overflow>"


@dataclass(frozen=True, slots=True)
class Extracted:
    """The text of one file: `pages` holds one cleaned string per PDF page (per sheet for XLSX; a DOCX is one
    page). `error` is one sentence when the status is not "ok" (or, with "ok", says what was skipped)."""

    status: Status
    pages: list[str] = field(default_factory=list)
    error: str | None = None
    page_count: int = 0  # pages the file declares (may exceed len(pages) when truncated)
    truncated: bool = False  # max_pages or max_chars cut the text

    @property
    def text(self) -> str:
        return "\n\n".join(p for p in self.pages if p)


def _kill(proc: subprocess.Popen[bytes], reader: threading.Thread | None) -> None:
    """End a child for good: kill, reap (so its pid is gone), close its pipes, let the reader finish."""
    if proc.poll() is None:
        try:
            proc.kill()
        except OSError:
            pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:  # pragma: no cover - a SIGKILLed process always goes
        pass
    for stream in (proc.stdin, proc.stdout):
        try:
            if stream is not None:
                stream.close()
        except OSError:
            pass
    if reader is not None and reader is not threading.current_thread():
        reader.join(timeout=5)


def _read_lines(stream: IO[bytes], q: queue.SimpleQueue[bytes | None], cap: int) -> None:
    try:
        while True:
            line = stream.readline(cap)
            if not line:
                break
            if not line.endswith(b"\n"):
                q.put(_OVERFLOW)
                break
            q.put(line)
    except (OSError, ValueError):
        pass
    finally:
        q.put(None)


class _Child:
    def __init__(self, argv: list[str], result_cap: int) -> None:
        env = dict(os.environ)
        env.pop("PYTHONSTARTUP", None)
        t0 = time.perf_counter()
        # cwd = the folder holding the `ogptui` package: `-m` puts it first on sys.path, and nothing from the
        # caller's current folder can shadow a module in the child.
        self.proc = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            close_fds=True,
            cwd=_PACKAGE_ROOT,
            env=env,
            start_new_session=(os.name == "posix"),
        )
        self.lines: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self.reader = threading.Thread(
            target=_read_lines,
            args=(self.proc.stdout, self.lines, result_cap),
            daemon=True,
            name="extract-reader",
        )
        self.reader.start()
        self._finalizer = weakref.finalize(self, _kill, self.proc, self.reader)
        self.ready: dict[str, Any] | None = None
        self.start_ms = 0.0
        line = self._get(START_TIMEOUT)
        if isinstance(line, bytes) and line != _OVERFLOW:
            try:
                msg = json.loads(line)
                if isinstance(msg, dict) and msg.get("ready") and "error" not in msg:
                    self.ready = msg
            except ValueError:
                pass
        self.start_ms = (time.perf_counter() - t0) * 1000
        self.jobs = 0

    @property
    def pid(self) -> int:
        return self.proc.pid

    def _get(self, timeout: float) -> bytes | None | Literal[False]:
        """A line, None at end of output, False when nothing came in time."""
        try:
            return self.lines.get(timeout=max(0.0, timeout))
        except queue.Empty:
            return False

    def send(self, job: dict[str, Any]) -> bool:
        try:
            assert self.proc.stdin is not None
            self.proc.stdin.write(json.dumps(job).encode("utf-8") + b"\n")
            self.proc.stdin.flush()
            return True
        except (OSError, ValueError):
            return False

    def kill(self) -> int | None:
        self._finalizer()
        return self.proc.returncode

    def stop(self) -> None:
        """Ask politely (end of input), then kill if it does not go."""
        try:
            if self.proc.stdin is not None:
                self.proc.stdin.close()
            self.proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            pass
        self._finalizer()


class Extractor:
    """Extracts text from files one at a time in a reused child process (calls from several threads are
    served in turn). Use as a context manager, or call `close()`; a child left running ends with the object.

    timeout: wall-clock seconds per file (the child is killed past it); cpu_seconds: CPU-time limit per file
    in the child (default: the timeout); memory_mb: address-space limit of the child (interpreter and PDFium
    included); max_pages / max_chars: caps on the text kept; max_file_mb: larger files are not opened;
    recycle_after: a fresh child after this many files.
    """

    def __init__(
        self,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        cpu_seconds: float | None = None,
        memory_mb: int = DEFAULT_MEMORY_MB,
        max_pages: int = DEFAULT_MAX_PAGES,
        max_chars: int = DEFAULT_MAX_CHARS,
        max_file_mb: float = DEFAULT_MAX_FILE_MB,
        recycle_after: int = DEFAULT_RECYCLE_AFTER,
        _test_hooks: bool = False,
    ) -> None:
        self.timeout = float(timeout)
        self.cpu_seconds = max(1, math.ceil(cpu_seconds if cpu_seconds is not None else timeout))
        self.memory_mb = int(memory_mb)
        self.max_pages = int(max_pages)
        self.max_chars = int(max_chars)
        self.max_bytes = int(max_file_mb * 2**20)
        self.recycle_after = max(1, int(recycle_after))
        self._test_hooks = _test_hooks
        self._child: _Child | None = None
        self._lock = threading.Lock()
        self._next_id = 0
        self.start_ms: list[float] = []  # start-up time of each child started (for the benchmark)

    # -- lifecycle -------------------------------------------------------------------------------------

    def __enter__(self) -> Extractor:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            if self._child is not None:
                self._child.stop()
                self._child = None

    @property
    def pid(self) -> int | None:
        """The current child's pid (None when no child runs)."""
        return self._child.pid if self._child is not None else None

    def _argv(self) -> list[str]:
        argv = [sys.executable, "-m", "ogptui.extract.worker", str(self.memory_mb)]
        return argv + ["--test-hooks"] if self._test_hooks else argv

    def _result_cap(self) -> int:
        # ASCII JSON: at most 6 bytes per character (\\uXXXX), plus per-page quoting and the envelope.
        return 6 * self.max_chars + 8 * self.max_pages + 65_536

    def _ensure_child(self) -> _Child | None:
        if self._child is None:
            child = _Child(self._argv(), self._result_cap())
            self.start_ms.append(child.start_ms)
            if child.ready is None:
                child.kill()
                return None
            self._child = child
        return self._child

    # -- work ------------------------------------------------------------------------------------------

    def extract(self, path: str | os.PathLike[str], kind: str | None) -> Extracted:
        """The text of `path` read as `kind` (what `sniff` said). Never raises."""
        try:
            return self._extract(path, kind)
        except Exception as e:  # pragma: no cover - a bug here must still not stop a sync
            with self._lock:
                if self._child is not None:
                    self._child.kill()
                    self._child = None
            return Extracted("failed", error=f"The extraction failed ({type(e).__name__}).")

    def _extract(self, path: str | os.PathLike[str], kind: str | None) -> Extracted:
        if kind not in KINDS and not (self._test_hooks and isinstance(kind, str) and kind.startswith("_")):
            what = f"{kind} files" if kind else "files of an unknown type"
            return Extracted("unsupported", error=f"Text is not extracted from {what}.")
        try:
            size = os.stat(path).st_size
        except OSError:
            return Extracted("failed", error="The file is missing or unreadable.")
        if size > self.max_bytes:
            return Extracted(
                "too_large",
                error=f"The file is {size / 2**20:.0f} MB, over the {self.max_bytes / 2**20:.0f} MB cap.",
            )
        with self._lock:
            return self._run_job(os.path.abspath(path), kind)

    def _run_job(self, path: str, kind: str) -> Extracted:
        self._next_id += 1
        job = {
            "id": self._next_id,
            "path": path,
            "kind": kind,
            "cpu_s": self.cpu_seconds,
            "max_pages": self.max_pages,
            "max_chars": self.max_chars,
        }
        child = None
        for _attempt in range(2):  # an idle child that died is replaced once
            child = self._ensure_child()
            if child is None:
                return Extracted("failed", error="The text extractor could not be started.")
            if child.send(job):
                break
            child.kill()
            self._child = child = None
        if child is None:
            return Extracted("failed", error="The text extractor could not be started.")
        line = child._get(self.timeout)
        if line is False:
            child.kill()
            self._child = None
            return Extracted("timeout", error=f"Reading the file took longer than {self.timeout:g} s.")
        if line is None or line == _OVERFLOW:
            rc = child.kill()
            self._child = None
            if line == _OVERFLOW:
                return Extracted("failed", error="The extractor returned more than the size cap.")
            return _died(rc, self.cpu_seconds)
        child.jobs += 1
        try:
            msg = json.loads(line)
        except ValueError:
            msg = None
        if not isinstance(msg, dict) or msg.get("id") != job["id"]:
            child.kill()
            self._child = None
            return Extracted("failed", error="The extractor returned something unreadable.")
        if msg.get("exiting") or child.jobs >= self.recycle_after:
            child.stop()  # after a MemoryError (the child exits) or many files: a fresh process next
            self._child = None
        return self._finish(msg)

    def _finish(self, msg: dict[str, Any]) -> Extracted:
        status = msg.get("status")
        error = msg.get("error")
        error = clean_text(error, cap=300) if isinstance(error, str) else None
        if status not in STATUSES:
            return Extracted("failed", error="The extractor returned an unknown status.")
        if status != "ok":
            return Extracted(status, error=error or "The text could not be extracted.")
        raw_pages = msg.get("pages")
        if not isinstance(raw_pages, list):
            return Extracted("failed", error="The extractor returned something unreadable.")
        truncated = bool(msg.get("truncated")) or len(raw_pages) > self.max_pages
        pages: list[str] = []
        left = self.max_chars
        for raw in raw_pages[: self.max_pages]:
            if left <= 0:
                truncated = True
                break
            text = clean_multiline(raw, cap=left) if isinstance(raw, str) else ""
            if len(text) >= left:
                truncated = True
            left -= len(text)
            pages.append(text)
        count = msg.get("page_count")
        page_count = count if isinstance(count, int) and count >= 0 else len(pages)
        if not any(pages):
            why = "The file has no text layer (scanned pages?)." if page_count else "The file has no pages."
            return Extracted("empty", pages=pages, error=why, page_count=page_count)
        return Extracted("ok", pages=pages, error=error, page_count=page_count, truncated=truncated)


def _died(rc: int | None, cpu_seconds: int) -> Extracted:
    if rc is not None and rc < 0:
        sig = -rc
        if hasattr(signal, "SIGXCPU") and sig == signal.SIGXCPU:
            return Extracted("timeout", error=f"Reading the file used more than {cpu_seconds} s of CPU time.")
        name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
        if hasattr(signal, "SIGKILL") and sig == signal.SIGKILL:
            return Extracted("failed", error="The extractor was killed (out of memory?).")
        return Extracted("failed", error=f"The extractor crashed on this file ({name}).")
    return Extracted("failed", error=f"The extractor stopped on this file (exit status {rc}).")


def extract_text(
    path: str | os.PathLike[str],
    kind: str | None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    memory_mb: int = DEFAULT_MEMORY_MB,
    max_pages: int = DEFAULT_MAX_PAGES,
    max_chars: int = DEFAULT_MAX_CHARS,
    max_file_mb: float = DEFAULT_MAX_FILE_MB,
) -> Extracted:
    """The text of one file, in a child process of its own (for many files, use `Extractor`)."""
    with Extractor(
        timeout=timeout,
        memory_mb=memory_mb,
        max_pages=max_pages,
        max_chars=max_chars,
        max_file_mb=max_file_mb,
    ) as ex:
        return ex.extract(path, kind)


def extract_many(
    items: Iterable[tuple[str | os.PathLike[str], str | None]],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    memory_mb: int = DEFAULT_MEMORY_MB,
    max_pages: int = DEFAULT_MAX_PAGES,
    max_chars: int = DEFAULT_MAX_CHARS,
    max_file_mb: float = DEFAULT_MAX_FILE_MB,
) -> Iterator[tuple[str | os.PathLike[str], Extracted]]:
    """(path, text) for each (path, kind), in order, as each is done; one child serves the whole batch."""
    with Extractor(
        timeout=timeout,
        memory_mb=memory_mb,
        max_pages=max_pages,
        max_chars=max_chars,
        max_file_mb=max_file_mb,
    ) as ex:
        for path, kind in items:
            yield path, ex.extract(path, kind)
