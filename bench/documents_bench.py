"""Documents benchmark (issue 13): document page parse p50, search p95 with 5,000 documents of 20 KB in the
cache, and what 1,000 documents take in cache.db.

    python -m bench.documents_bench            # 5,000 documents of 20 KB (about 2 minutes)
    python -m bench.documents_bench --quick    # 1,000 documents

- parse: the fake site's document pages (both markups: WordPress-like in the site chrome, and semantic),
  each parsed 30 times; p50 of all. Target p50 <= 5 ms.
- search: documents (words drawn from a Zipf distribution over 20,000 words, `fakesite.documents.big_document`)
  written through `Store.write_document` (so their search rows are those sync writes: one per document,
  one per file) into a cache that also holds 100 members (10,000 member rows, as in
  bench/search_bench.py), plus a 3-page PDF text on every 10th document; then the queries of
  bench/search_bench.py and document words, p50/p95 over 300 queries. Target p95 <= 20 ms.
- storage: cache.db bytes (after a checkpoint) with and without the documents, per 1,000 documents;
  the attachment files themselves are extra (their size, once each, in the files folder).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.search_bench import QUERIES, build
from tests.fakesite.documents import big_document

DOCS = 5_000
QUICK_DOCS = 1_000
DOC_KB = 20
MEMBER_ROWS = 10_000
QUERIES_N = 300
TARGET_PARSE_MS = 5.0
TARGET_P95_MS = 20.0
DOC_QUERIES = [
    "forum", "multi-stakeholder forum", "dashboard quarterly", "lead institution budget", "civil society",
    "regional governments consultation", "report doc-00042", "section 3", "portal", "zanzibar",
    "access information requests", "milestones", "pdfword", "reforms earlier action plans", "kaplanefro",
    "miclemisa budget", "lovidrifro", "pobra", "government transparency", "pdfword120",
]  # fmt: skip


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = min(len(values) - 1, max(0, round(p / 100 * (len(values) - 1))))
    return values[k]


def parse_figures(rounds: int = 30) -> dict:
    from ogptui.parse import parse_page
    from tests.fakesite import FakeSite, default_site
    from tests.fakesite.documents import document_html, markup_for

    site = FakeSite(default_site())
    pages = []
    for slug in site.document_slugs():
        doc = site.document(slug)
        pages.append((slug, document_html(doc, markup_for(slug)), markup_for(slug)))
    times: dict[str, list[float]] = {"wordpress": [], "semantic": []}
    for _ in range(rounds):
        for slug, html, markup in pages:
            t0 = time.perf_counter()
            parse_page(html, url=f"https://www.opengovpartnership.org/documents/{slug}/", kind="document")
            times[markup].append((time.perf_counter() - t0) * 1000)
    every = times["wordpress"] + times["semantic"]
    sizes = [len(h.encode()) for _, h, _ in pages]
    return {
        "pages": len(pages),
        "kb_median": round(statistics.median(sizes) / 1024, 1),
        "p50_ms": round(statistics.median(every), 2),
        "p95_ms": round(_pct(every, 95), 2),
        "wordpress_p50_ms": round(statistics.median(times["wordpress"]), 2),
        "semantic_p50_ms": round(statistics.median(times["semantic"]), 2),
    }


def _db_bytes(store) -> int:
    store.cache.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return store.paths.cache_db.stat().st_size


def build_documents(home: Path, n: int, seed: int = 7) -> dict:
    """A cache with MEMBER_ROWS member rows and `n` documents of DOC_KB KB linked from those members."""
    from ogptui import config
    from ogptui.model import AttachmentFile, DocumentAttachment, Resource
    from ogptui.seed import open_store

    rng = random.Random(seed)
    build(home, MEMBER_ROWS)
    t0 = time.perf_counter()
    with open_store(config.paths(), seed=False) as store:
        before = _db_bytes(store)
        slugs = store.member_slugs()
        per = -(-n // len(slugs))
        with store.transaction():  # link resources to documents (one member page each)
            for i, slug in enumerate(slugs):
                m = store.get_member(slug)
                m.resources = [
                    Resource(f"Document {k}", 2020, "IRM Report", "Web page", f"https://x.test/documents/doc-{k:05d}/",
                             document=f"doc-{k:05d}")  # fmt: skip
                    for k in range(i * per, min(n, (i + 1) * per))
                ]
                store.write_member(m)
        for k in range(n):
            page = big_document(f"doc-{k:05d}", DOC_KB, base="https://x.test")
            if k % 10 == 0:
                page.attachments = [DocumentAttachment(f"https://x.test/f/{k}.pdf", "PDF")]
            store.write_document(page, source_url=page.url)
            if k % 10 == 0:
                text = [" ".join(rng.choice(page.sections[0].text.split()) for _ in range(300)) for _ in range(3)]
                text[2] += f" pdfword{k}"
                sha = f"{k:064x}"
                store.write_attachment(
                    AttachmentFile(page.attachments[0].url, sha, 50_000, "application/pdf", f"{sha[:2]}/{sha}.pdf",
                                   "ok", None, 3, "2026-01-01T00:00:00Z"),  # fmt: skip
                    text,
                )
        after = _db_bytes(store)
        rows = store.cache.execute("SELECT count(*) FROM search_docs").fetchone()[0]
        try:  # where the bytes are (dbstat is compiled into most SQLite builds)
            parts = dict(
                store.cache.execute(
                    "SELECT CASE WHEN name LIKE 'search_index%' THEN 'search_index (FTS5)' ELSE name END AS n, "
                    "sum(pgsize) FROM dbstat GROUP BY n ORDER BY 2 DESC LIMIT 6"
                ).fetchall()
            )
        except Exception:
            parts = {}
    return {
        "documents": n,
        "doc_kb": DOC_KB,
        "search_rows": rows,
        "build_s": round(time.perf_counter() - t0, 1),
        "db_bytes_without": before,
        "db_bytes_with": after,
        "db_mb_per_1000_docs": round((after - before) / n * 1000 / 1e6, 1),
        "largest_tables_mb": {k: round(v / 1e6, 1) for k, v in parts.items()},
    }


def search_figures(home: Path, n: int = QUERIES_N) -> dict:
    from ogptui import config
    from ogptui.search import search
    from ogptui.seed import open_store

    shapes = [(q, {}) for q in QUERIES + DOC_QUERIES] + [(q, {"kind": "document"}) for q in DOC_QUERIES]
    times: list[float] = []
    cpu: list[float] = []
    slowest = (0.0, "")
    with open_store(config.paths(), seed=False) as store:
        for q, kw in shapes[:5]:
            search(store, q, **kw)
        for k in range(n):
            q, kw = shapes[k % len(shapes)]
            t0, c0 = time.perf_counter(), time.process_time()
            search(store, q, **kw)
            ms = (time.perf_counter() - t0) * 1000
            times.append(ms)
            cpu.append((time.process_time() - c0) * 1000)
            slowest = max(slowest, (ms, q + (" [documents]" if kw else "")))
    return {
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(_pct(times, 95), 2),
        "max_ms": round(max(times), 2),
        "cpu_p95_ms": round(_pct(cpu, 95), 2),
        "slowest_query": slowest[1],
    }


def run(quick: bool = False) -> dict:
    n = QUICK_DOCS if quick else DOCS
    old_home = os.environ.get("OGPTUI_HOME")
    parse = parse_figures()
    try:
        with tempfile.TemporaryDirectory(prefix="ogptui-documents-bench-") as tmp:
            os.environ["OGPTUI_HOME"] = tmp
            built = build_documents(Path(tmp), n)
            found = search_figures(Path(tmp))
    finally:
        if old_home is None:
            os.environ.pop("OGPTUI_HOME", None)
        else:
            os.environ["OGPTUI_HOME"] = old_home
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print()
    print(f"document page parse ({parse['pages']} fake-site pages, median {parse['kb_median']} KB, both markups):")
    print(f"  p50 {parse['p50_ms']} ms (WordPress-like {parse['wordpress_p50_ms']}, semantic "
          f"{parse['semantic_p50_ms']}), p95 {parse['p95_ms']} ms; target p50 <= {TARGET_PARSE_MS:g} ms")  # fmt: skip
    print(f"search with {n:,} documents of {DOC_KB} KB and {MEMBER_ROWS:,} member rows "
          f"({built['search_rows']:,} search rows): p50 {found['p50_ms']} ms, p95 {found['p95_ms']} ms, "
          f"max {found['max_ms']} ms, CPU p95 {found['cpu_p95_ms']} ms (slowest: {found['slowest_query']!r}); "
          f"target p95 <= {TARGET_P95_MS:g} ms")  # fmt: skip
    print(f"storage: cache.db {built['db_bytes_without'] / 1e6:.1f} MB without documents, "
          f"{built['db_bytes_with'] / 1e6:.1f} MB with them: {built['db_mb_per_1000_docs']} MB per 1,000 documents "
          f"(built in {built['build_s']} s)")  # fmt: skip
    print("  largest parts (MB): " + ", ".join(f"{k} {v}" for k, v in built["largest_tables_mb"].items()))
    return {"parse": parse, "build": built, "search": found}


if __name__ == "__main__":
    run(quick="--quick" in sys.argv[1:])
