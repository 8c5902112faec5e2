"""The extraction child: `python -m ogptui.extract.worker MEMORY_MB [--test-hooks]`.

Reads one JSON job per line on stdin ({"id", "path", "kind", "cpu_s", "max_pages", "max_chars"}), writes one
JSON result per line ({"id", "status", "pages", "error", "page_count", "truncated"}) on the stdout it was
started with; anything a library prints goes to stderr, which the parent discards. Before the first job it
writes {"ready": ...}. Limits, set here in the child:
- address space (RLIMIT_AS) for the whole process: past it Python raises MemoryError (reported, then this
  process exits so the next file gets a fresh one) or PDFium aborts (the parent reports the crash);
- CPU time per file (RLIMIT_CPU soft limit = CPU used so far + cpu_s): past it the kernel ends the process
  with SIGXCPU, which the parent reports as a timeout (and it also bounds a child whose parent died);
- no core files, no file writes (RLIMIT_FSIZE 0 after the imports), and SIGINT ignored (the parent owns
  the terminal). The parent enforces the wall-clock timeout and the size of what comes back.
Test hooks (kinds starting with "_") exist only when started with --test-hooks, which only tests pass.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from typing import Any

try:
    import resource
except ImportError:  # not POSIX: the parent's wall-clock timeout is the only limit
    resource = None  # type: ignore[assignment]  # the module or None (not POSIX): checked before use

from ogptui.extract.errors import ExtractError


def _set_limit(which: int, soft: int, hard: int | None = None) -> bool:
    """Lower a limit (never above the inherited hard limit); False where the platform refuses it."""
    if resource is None:
        return False
    try:
        cur_soft, cur_hard = resource.getrlimit(which)
        if hard is None:
            hard = cur_hard
        if cur_hard != resource.RLIM_INFINITY:
            soft = min(soft, cur_hard) if soft != resource.RLIM_INFINITY else cur_hard
            hard = min(hard, cur_hard) if hard != resource.RLIM_INFINITY else cur_hard
        resource.setrlimit(which, (soft, hard))
    except (ValueError, OSError):  # e.g. RLIMIT_AS on macOS: the parent's timeout still applies
        return False
    return True


def _limit_cpu(cpu_s: int) -> None:
    if resource is None:
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = int(usage.ru_utime + usage.ru_stime) + 1
    _set_limit(resource.RLIMIT_CPU, used + max(1, cpu_s))


def _run(job: dict[str, Any], test_hooks: bool) -> dict[str, Any]:
    kind = job["kind"]
    path = job["path"]
    max_pages = int(job["max_pages"])
    max_chars = int(job["max_chars"])
    page_count = 0
    bad = 0
    if kind == "pdf":
        from ogptui.extract.pdf import pdf_pages

        pages, truncated, page_count, bad = pdf_pages(path, max_pages, max_chars)
    elif kind in ("docx", "xlsx"):
        from ogptui.extract import ooxml

        pages, truncated = (ooxml.docx_pages if kind == "docx" else ooxml.xlsx_pages)(path, max_chars)
        pages = pages[:max_pages]
        page_count = len(pages)
    elif test_hooks and kind.startswith("_"):
        pages, truncated = _test_hook(kind, path, max_chars)
        page_count = len(pages)
    else:
        raise ExtractError("unsupported", f"No text extractor for {kind!r} files.")
    error = None
    if bad and bad == len(pages):
        raise ExtractError("failed", "No page of the PDF could be read.")
    if bad:
        error = f"{bad} of {len(pages)} pages could not be read."
    return {"status": "ok", "pages": pages, "error": error, "page_count": page_count, "truncated": truncated}


def _test_hook(kind: str, path: str, max_chars: int) -> tuple[list[str], bool]:
    """Misbehaving extractors for the tests: hang, spin, allocate, crash, flood, overrun, or echo a file."""
    if kind == "_sleep":
        time.sleep(3600)
    elif kind == "_spin":
        while True:
            pass
    elif kind == "_alloc":
        hog = []
        while True:
            hog.append(bytearray(64 * 2**20))
    elif kind == "_crash":
        os.abort()
    elif kind == "_flood":  # far more than any cap allows
        return ["x" * (16 * 2**20)], False
    elif kind == "_overrun":  # ignores max_chars, as a broken extractor might
        return ["y" * max_chars] * 3, False
    elif kind == "_text":  # pages separated by form feeds
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read().split("\f"), False
    raise ExtractError("unsupported", f"No test hook {kind!r}.")


def _one_sentence(e: BaseException) -> str:
    return f"The extractor failed ({type(e).__name__})."


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    memory_mb = int(args[0])
    test_hooks = "--test-hooks" in args[1:]
    out_fd = os.dup(1)
    os.dup2(2, 1)  # a library that prints cannot corrupt the results
    sys.stdout = sys.stderr
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    ready: dict[str, Any] = {"ready": True, "pid": os.getpid(), "limits": []}
    try:
        if resource is not None:
            if _set_limit(resource.RLIMIT_CORE, 0, 0):
                ready["limits"].append("core")
            if memory_mb > 0 and _set_limit(resource.RLIMIT_AS, memory_mb * 2**20):
                ready["limits"].append("as")
        try:  # loaded before the first file, so its cost is paid once per child
            import pypdfium2

            ready["pdfium"] = str(getattr(pypdfium2, "PDFIUM_INFO", "?"))
        except ImportError:
            ready["pdfium"] = None
        from ogptui.extract import ooxml, pdf  # noqa: F401

        if resource is not None and hasattr(resource, "RLIMIT_FSIZE"):
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write then fails instead of killing us
            if _set_limit(resource.RLIMIT_FSIZE, 0):
                ready["limits"].append("fsize")
    except MemoryError:
        ready["error"] = f"The extractor could not start within {memory_mb} MB."
    _write(out_fd, ready)
    if "error" in ready:
        return 3
    for line in sys.stdin.buffer:
        job_id = None
        try:
            job = json.loads(line)
            job_id = job.get("id")
            _limit_cpu(int(job.get("cpu_s", 60)))
            result = _run(job, test_hooks)
        except ExtractError as e:
            result = {"status": e.status, "pages": [], "error": e.message}
        except MemoryError:
            result = {
                "status": "failed",
                "pages": [],
                "error": f"The file needs more than {memory_mb} MB to read.",
            }
            _write(out_fd, {"id": job_id, **result, "exiting": True})
            return 3  # a fresh process for the next file
        except RecursionError:
            result = {"status": "failed", "pages": [], "error": "The file is nested too deeply to read."}
        except Exception as e:  # one bad file must never end the batch
            result = {"status": "failed", "pages": [], "error": _one_sentence(e)}
        _write(out_fd, {"id": job_id, **result})
    return 0


def _write(fd: int, obj: dict[str, Any]) -> None:
    data = (json.dumps(obj, ensure_ascii=True, separators=(",", ":")) + "\n").encode("ascii")
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


if __name__ == "__main__":
    sys.exit(main())
