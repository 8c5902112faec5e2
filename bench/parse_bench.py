"""Parse time per member page and per commitment page (p50/p95) and peak memory of parsing.

Pages are rendered in-process by the fake site's renderer (the same HTML the site serves), then each is
parsed with `ogptui.parse.parse_page` `reps` times; the figures are per page and per repetition.
Peak memory is tracemalloc's peak while parsing one page (the largest member page, and a commitment page).

Beside each page's parse, the same page is parsed by lexbor alone (`LexborHTMLParser(html)`, the C parser
under ogptui's, building the same tree) in the same loop, and the CPU time of both is reported: the target is
ogptui's p50 ≤ 2 × lexbor's (issue 19).

`scaling`: a member page padded to 10, 100 and 1,000 KB with deep markup (nested `<div>`s, the shape that
was quadratic: issue 12.5) and with flat markup (rows of paragraphs); ms per page and ms per KB, which
must stay flat as the page grows.
"""

from __future__ import annotations

import gc
import statistics
import time
import tracemalloc

from bench.common import pct, spread

TARGET_P50_MS = 5.0
TARGET_LEXBOR_RATIO = 2.0


def pages(members: int = 200, commitments: int = 5000, resources: int = 8000, n_commitments: int = 500):
    from tests.fakesite import render, synthetic_site

    data = synthetic_site(members=members, commitments=commitments, resources=resources, seed=0)
    member_pages = [(f"/members/{m.slug}/", render.member_html(m)) for m in data.members]
    step = max(1, len(data.commitments) // n_commitments)
    items = list(data.commitments.items())[::step][:n_commitments]
    commit_pages = [(f"/members/{s}/commitments/{c}/", render.commitment_html(p, s)) for (s, c), p in items]
    return member_pages, commit_pages


def _time(pages_: list[tuple[str, str]], kind: str, reps: int) -> dict:
    from selectolax.lexbor import LexborHTMLParser

    from ogptui.parse import parse_page

    per_rep: list[float] = []  # p50 of each repetition (for the spread)
    per_rep_p95: list[float] = []
    every: list[float] = []
    cpu: list[float] = []  # this thread's CPU time: steadier than wall time on a shared machine
    lexbor: list[float] = []  # CPU time of lexbor's own parse of the same page, in the same loop
    for _ in range(reps):
        times = []
        gc.collect()
        for path, html in pages_:
            url = "http://127.0.0.1" + path
            c0 = time.thread_time()
            LexborHTMLParser(html)
            lexbor.append((time.thread_time() - c0) * 1000)
            t0, c0 = time.perf_counter(), time.thread_time()
            parse_page(html, url=url, kind=kind)
            times.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.thread_time() - c0) * 1000)
        per_rep.append(statistics.median(times))
        per_rep_p95.append(pct(times, 95))
        every += times
    sizes = [len(h.encode("utf-8")) for _, h in pages_]
    return {
        "pages": len(pages_),
        "reps": reps,
        "page_kb_median": round(statistics.median(sizes) / 1000, 1),
        "page_kb_max": round(max(sizes) / 1000, 1),
        "p50_ms": round(statistics.median(every), 3),
        "p95_ms": round(pct(every, 95), 3),
        "max_ms": round(max(every), 3),
        "cpu_p50_ms": round(statistics.median(cpu), 3),
        "cpu_p95_ms": round(pct(cpu, 95), 3),
        "lexbor_cpu_p50_ms": round(statistics.median(lexbor), 3),
        "lexbor_ratio": round(statistics.median(cpu) / statistics.median(lexbor), 2),
        "p50_ms_per_rep": spread(per_rep),
        "p95_ms_per_rep": spread(per_rep_p95),
    }


def _peak(html: str, path: str, kind: str) -> int:
    from ogptui.parse import parse_page

    gc.collect()
    tracemalloc.start()
    try:
        parse_page(html, url="http://127.0.0.1" + path, kind=kind)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak


SCALING_KB = (10, 100, 1000)


def scaling_page(kb: int, shape: str) -> str:
    """A member page of about `kb` KB: `deep` nests one <div> per level, `flat` repeats rows of text."""
    head = (
        "<html><head><title>Zembla | Open Government Partnership</title></head><body><main>"
        "<h1>Zembla</h1><ul><li>Member Since 2014</li><li>Action Plan 3</li></ul>"
        "<h2>Resources</h2><ol><li><a href='/documents/a/'>Zembla Action Plan 2022-2024</a>"
        "<div>2022, Action Plan, Web page</div></li></ol>"
    )
    tail = "<h2>Recent Posts</h2></main></body></html>"
    room = kb * 1000 - len(head) - len(tail)
    if shape == "deep":
        n = room // len("<div></div>")
        body = "<div>" * n + "the deepest text" + "</div>" * n
    else:
        row = '<div class="row"><p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do.</p></div>\n'
        body = row * (room // len(row))
    return head + body + tail


def scaling(quick: bool = False, reps: int = 3) -> dict:
    """ms and ms/KB for deep and flat pages of 10/100/1,000 KB (the last one skipped in quick mode)."""
    from selectolax.lexbor import LexborHTMLParser

    from ogptui.parse import parse_page

    out: dict[str, dict] = {}
    for shape in ("deep", "flat"):
        for kb in SCALING_KB[:2] if quick else SCALING_KB:
            html = scaling_page(kb, shape)
            times = []
            lex = []
            warnings: list[str] = []
            for _ in range(1 if quick else reps):
                gc.collect()
                if shape == "flat" or kb <= 100:  # lexbor alone is quadratic in nesting: 1 MB deep takes ~30 s
                    t0 = time.perf_counter()
                    LexborHTMLParser(html)
                    lex.append((time.perf_counter() - t0) * 1000)
                t0 = time.perf_counter()
                m = parse_page(html, url="http://127.0.0.1/members/zembla/", kind="member")
                times.append((time.perf_counter() - t0) * 1000)
                warnings = m.warnings
            size_kb = len(html.encode()) / 1000
            ms = statistics.median(times)
            out[f"{shape}_{kb}kb"] = {
                "kb": round(size_kb, 1),
                "ms": round(ms, 2),
                "ms_per_kb": round(ms / size_kb, 4),
                "lexbor_ms": round(statistics.median(lex), 2) if lex else None,
                "capped": any("levels deep" in w for w in warnings),
            }
    return out


def run(quick: bool = False, *, members: int = 200, commitments: int = 5000, resources: int = 8000) -> dict:
    n_commit = 100 if quick else 500
    reps = 2 if quick else 3
    member_pages, commit_pages = pages(members, commitments, resources, n_commit)
    if quick:
        member_pages = member_pages[:50]
    # warm up imports and selectolax
    from ogptui.parse import parse_page

    for path, html in member_pages[:3]:
        parse_page(html, url="http://127.0.0.1" + path, kind="member")
    member = _time(member_pages, "member", reps)
    commit = _time(commit_pages, "commitment", reps)
    biggest = max(member_pages, key=lambda p: len(p[1]))
    member["peak_kb"] = round(_peak(biggest[1], biggest[0], "member") / 1000, 1)
    member["peak_page_kb"] = round(len(biggest[1].encode()) / 1000, 1)
    commit["peak_kb"] = round(_peak(commit_pages[0][1], commit_pages[0][0], "commitment") / 1000, 1)
    commit["peak_page_kb"] = round(len(commit_pages[0][1].encode()) / 1000, 1)
    return {
        "member": member,
        "commitment": commit,
        "scaling": scaling(quick),
        "target_p50_ms": TARGET_P50_MS,
        "met": member["p50_ms"] <= TARGET_P50_MS,
        "target_lexbor_ratio": TARGET_LEXBOR_RATIO,
        "lexbor_met": member["lexbor_ratio"] <= TARGET_LEXBOR_RATIO,
    }


def profile(n: int = 60) -> str:
    """cProfile of parsing `n` member pages: the top functions by own time (for the report)."""
    import cProfile
    import io
    import pstats

    from ogptui.parse import parse_page

    member_pages, _ = pages(n_commitments=1)
    member_pages = member_pages[:n]
    prof = cProfile.Profile()
    prof.enable()
    for path, html in member_pages:
        parse_page(html, url="http://127.0.0.1" + path, kind="member")
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(12)
    return buf.getvalue()


if __name__ == "__main__":
    import json
    import sys

    print(json.dumps(run(quick="--quick" in sys.argv[1:]), indent=2))
