"""Search benchmark: p50/p95 query time on generated caches of 1k, 10k and 100k indexed rows.

    python -m bench.search_bench            # 1k, 10k, 100k
    python -m bench.search_bench --quick    # 1k, 10k

Caches are written through `Store.write_member` (so the index is built the way sync builds it) into a
temporary OGPTUI_HOME. Queries are the shapes people type: growing prefixes ("p", "pe", "per", "peru d"...),
whole phrases, commitment IDs, filters. Target (DESIGN.md): p95 <= 20 ms at 100k rows.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from ogptui.model import Commitment, Contact, CurrentPlan, Member, Resource

SIZES = (1_000, 10_000, 100_000)
QUICK_SIZES = (1_000, 10_000)
QUERIES_PER_SIZE = 200
TARGET_P95_MS = 20.0

COUNTRIES = [
    "Peru", "Perú", "Kenya", "Colombia", "Côte d'Ivoire", "México", "Brasil", "Ghana", "Nigeria", "Indonesia",
    "Philippines", "Ukraine", "Georgia", "Armenia", "Moldova", "Tunisia", "Morocco", "Senegal", "Sri Lanka",
    "Paraguay", "Uruguay", "Argentina", "Chile", "Ecuador", "Guatemala", "Honduras", "Panamá", "Costa Rica",
    "Jamaica", "Canada", "France", "Italia", "España", "Portugal", "Romania", "Serbia", "Croatia", "Latvia",
]  # fmt: skip
RESOURCE_KINDS = [
    ("Design Report", "IRM Report"),
    ("Implementation Report", "IRM Report"),
    ("Results Report", "IRM Report"),
    ("Action Plan Review", "IRM Report"),
    ("Action Plan", "Action Plan"),
    ("Mid-Term Self-Assessment", "Self Assessment"),
    ("End-of-Term Self-Assessment", "Self Assessment"),
    ("Letter of Support", "Letter"),
    ("Contrary to Process Letter", "Letter"),
    ("Design Report – For Public Comment", "Report Comments"),
]
AREAS = [
    "Access to Information", "Anti-Corruption", "Public Procurement", "Fiscal Openness", "Open Parliaments",
    "Justice", "Civic Space", "Beneficial Ownership", "Open Contracting", "Health", "Education", "Water",
    "Environment and Climate", "Gender and Inclusion", "Digital Governance", "Local Government",
]  # fmt: skip
_WORDS = (
    "transparency participation citizens portal data budget municipal regional national ministry "
    "procurement contracts monitoring evaluation registry lobbying integrity complaints mechanism "
    "platform public services health schools water infrastructure extractive industries mining "
    "forests climate gender youth indigenous communities justice courts judiciary police security "
    "open data standards publication accountability oversight audit parliament legislative access "
    "information requests archives records digital government strategy capacity training network"
)
WORDS = _WORDS.split()
FIRST = ["Ana", "Luis", "José", "María", "Sebastián", "Wanjiru", "Kwame", "Olena", "Nino", "Chloé", "Amina"]
LAST = ["Pérez", "River", "Cheng", "Otieno", "Mensah", "Kovalenko", "Beridze", "Dubois", "Haddad", "Silva"]

QUERIES = [
    "p", "pe", "per", "peru", "peru d", "peru de", "peru des", "peru design", "peru design r",
    "peru design report", "design report 2019", "perú design 2017", "k", "ke", "ken", "kenya",
    "kenya action plan", "procurement", "public proc", "open contracting", "access to information",
    "beneficial ownership", "luis", "luis river", "ana pérez", "PE0084", "KE0012", "pe00", "irm report",
    "self assessment", "c", "co", "col", "colombia justice", "côte", "cote d", "budget transparency",
    "mid-term", "letter of support", "2019", "water", "health schools", "climate", "gender youth",
    '"unbalanced', "NEAR(peru", "-peru", "*", "AND OR NOT",
]  # fmt: skip
FILTERED = [
    ("report", {"kind": "resource"}),
    ("peru", {"kind": "commitment", "year": 2019}),
    ("plan", {"type": "Action Plan"}),
    ("open", {"member": "peru"}),
]


def _text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def _member(rng: random.Random, i: int, n_commit: int, n_res: int) -> Member:
    country = COUNTRIES[i % len(COUNTRIES)]
    name = country if i < len(COUNTRIES) else f"{country} {_text(rng, 1).title()} {i}"
    slug = "peru" if i == 0 else f"m{i:05d}"
    prefix = "".join(ch for ch in country.upper() if ch.isalpha())[:2]
    commitments = [
        Commitment(
            id=f"{prefix}{i:02d}{j:02d}" if i else f"PE{j:04d}",
            title=f"{_text(rng, 2).title()} {rng.choice(AREAS).lower()} {_text(rng, 4)}",
            year=rng.randint(2011, 2025),
            policy_area=rng.choice(AREAS),
        )
        for j in range(n_commit)
    ]
    resources = []
    for j in range(n_res):
        label, rtype = rng.choice(RESOURCE_KINDS)
        y = rng.randint(2011, 2024)
        resources.append(
            Resource(f"{country} {label} {y}-{y + 2}", y, rtype, "Web page", f"https://x.test/{i}/{j}")
        )
    contacts = [
        Contact(
            f"{rng.choice(FIRST)} {rng.choice(LAST)}", "Open Government Coordinator", f"c{i}.{k}@gob.test"
        )
        for k in range(2)
    ]
    return Member(
        slug=slug,
        name=name,
        current_plan=CurrentPlan(years="2023-2025", number=5, summary=_text(rng, 60)),
        contacts=contacts,
        commitments=commitments,
        resources=resources,
    )


def build(home: Path, rows: int, seed: int = 7) -> int:
    """Fill a cache under `home` with about `rows` indexed rows; returns the exact count."""
    from ogptui import config
    from ogptui.seed import open_store

    os.environ["OGPTUI_HOME"] = str(home)
    rng = random.Random(seed)
    per_member = 100  # 1 member + 40 commitments + 57 resources + 2 contacts
    n_members = max(1, rows // per_member)
    with open_store(config.paths(), seed=False) as store:
        for i in range(n_members):
            store.write_member(_member(rng, i, 40, per_member - 43))
        return store.cache.execute("SELECT count(*) FROM search_docs").fetchone()[0]


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = min(len(values) - 1, max(0, round(p / 100 * (len(values) - 1))))
    return values[k]


SITE_QUERIES = [
    "m", "mi", "min", "ministry", "ministry of f", "ministry of finance", "b", "bu", "budget", "budget tr",
    "budget transparency", "open data", "irm report", "self assessment", "letter", "action plan 2019",
    "civil society", "beneficial ownership register", "access to information", "public service delivery",
    "report comments", "2021", "education", "health", "justice", "quarter", "multi-stakeholder forum",
    "open government coordinator", '"unbalanced', "NEAR(budget", "-budget", "AND OR NOT",
]  # fmt: skip


def site_shapes(home: Path) -> list[tuple[str, dict]]:
    """Queries for a cache of the fake site: its words, plus typing the first members' names."""
    import sqlite3

    db = sqlite3.connect(f"file:{home / 'cache.db'}?mode=ro", uri=True)
    try:
        names = [r[0] for r in db.execute("SELECT name FROM members ORDER BY slug LIMIT 3")]
        slug = db.execute("SELECT slug FROM members ORDER BY slug LIMIT 1").fetchone()[0]
        cid = db.execute("SELECT id FROM commitments ORDER BY id LIMIT 1").fetchone()[0]
    finally:
        db.close()
    typed = [n.lower()[:k] for n in names for k in (2, 4, len(n))]
    return (
        [(q, {}) for q in SITE_QUERIES + typed + [cid, f"{names[0]} report"]]
        + [("report", {"kind": "resource"}), ("budget", {"kind": "commitment", "year": 2019})]
        + [("open", {"member": slug}), ("plan", {"type": "Action Plan"})]
    )


def measure(home: Path, n: int = QUERIES_PER_SIZE, shapes: list[tuple[str, dict]] | None = None) -> dict:
    """Time `search()` and, interleaved with it, the raw FTS5 query under it: the same MATCH expression
    (words and filters) ranked by the same bm25 in one statement, `SELECT rowid, bm25(...) AS r ...
    ORDER BY r LIMIT 50` — the least any ranked search over every match must do. Shapes without a word
    (a lone `*`) are left out: there is no query to compare."""
    from ogptui import config
    from ogptui.search import _Filters, fts_query, search
    from ogptui.seed import open_store
    from ogptui.store.fts import _BM25

    os.environ["OGPTUI_HOME"] = str(home)
    shapes = shapes if shapes is not None else [(q, {}) for q in QUERIES] + FILTERED
    sql = f"SELECT rowid, {_BM25} AS r FROM search_index WHERE search_index MATCH ? ORDER BY r LIMIT 50"
    cases = []
    for q, kw in shapes:
        expr = fts_query(q)
        if expr is None:
            continue
        f = _Filters(kw.get("member"), kw.get("kind"), kw.get("type"), kw.get("year"))
        cases.append((q, kw, expr + f.match()))
    times: list[float] = []
    cpu: list[float] = []
    raw: list[float] = []
    per_query: dict[str, list[tuple[float, float]]] = {}
    with open_store(config.paths(), seed=False) as store:
        db = store.cache
        for q, kw, expr in cases[:5]:  # warm the page cache (the search index warms its own)
            search(store, q, **kw)
            db.execute(sql, [expr]).fetchall()
        for k in range(n):
            q, kw, expr = cases[k % len(cases)]
            for side in ("raw", "ours") if k % 2 else ("ours", "raw"):
                t0, c0 = time.perf_counter(), time.process_time()
                if side == "raw":
                    db.execute(sql, [expr]).fetchall()
                else:
                    search(store, q, **kw)
                ms = (time.perf_counter() - t0) * 1000
                if side == "raw":
                    raw.append(ms)
                    per_query.setdefault(q, []).append((ms, -1.0))
                else:
                    times.append(ms)
                    cpu.append((time.process_time() - c0) * 1000)
                    per_query.setdefault(q, []).append((-1.0, ms))
    by_query = []
    for q, pairs in per_query.items():
        r = statistics.median([a for a, _ in pairs if a >= 0])
        o = statistics.median([b for _, b in pairs if b >= 0])
        by_query.append({"query": q, "raw_ms": round(r, 2), "ours_ms": round(o, 2)})
    by_query.sort(key=lambda d: -d["ours_ms"])
    p95, raw95 = _pct(times, 95), _pct(raw, 95)
    return {
        "queries": len(cases),
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(p95, 2),
        "max_ms": round(max(times), 2),
        "cpu_p95_ms": round(_pct(cpu, 95), 2),  # this process's CPU only: steadier on a busy machine
        "raw_p50_ms": round(statistics.median(raw), 2),
        "raw_p95_ms": round(raw95, 2),
        "ratio_p95": round(p95 / raw95, 2) if raw95 else None,
        "slowest_query": by_query[0]["query"],
        "slowest": by_query[:5],
    }


def run(quick: bool = False) -> dict:
    """Build caches and time queries; prints a markdown table and returns the figures."""
    sizes = QUICK_SIZES if quick else SIZES
    results: dict[str, dict] = {}
    old_home = os.environ.get("OGPTUI_HOME")
    try:
        for size in sizes:
            with tempfile.TemporaryDirectory(prefix="ogptui-search-bench-") as tmp:
                t0 = time.perf_counter()
                rows = build(Path(tmp), size)
                build_s = time.perf_counter() - t0
                fig = measure(Path(tmp))
                results[str(size)] = {"rows": rows, "build_s": round(build_s, 1), **fig}
    finally:
        if old_home is None:
            os.environ.pop("OGPTUI_HOME", None)
        else:
            os.environ["OGPTUI_HOME"] = old_home
    print(f"search: {QUERIES_PER_SIZE} queries per size, target p95 <= {TARGET_P95_MS:g} ms")
    print()
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print()
    print("| rows | p50 ms | p95 ms | raw FTS5 p50 / p95 ms | p95 ratio | CPU p95 ms | slowest query | build s |")
    print("|---:|---:|---:|---:|---:|---:|---|---:|")
    for r in results.values():
        print(
            f"| {r['rows']:,} | {r['p50_ms']} | {r['p95_ms']} | {r['raw_p50_ms']} / {r['raw_p95_ms']} "
            f"| {r['ratio_p95']} | {r['cpu_p95_ms']} | `{r['slowest_query']}` | {r['build_s']} |"
        )
    return {"search": results, "target_p95_ms": TARGET_P95_MS}


if __name__ == "__main__":
    run(quick="--quick" in sys.argv[1:])
