"""results dict → BENCHMARKS.md (Markdown). Hand-written findings come from bench/NOTES.md."""

from __future__ import annotations

from pathlib import Path

from bench.common import fmt, size

NOTES = Path(__file__).with_name("NOTES.md")


def _v(ok: bool | None) -> str:
    return "—" if ok is None else ("✅ met" if ok else "❌ missed")


def _mb(s: dict) -> str:
    if s["min"] == s["max"]:
        return f"{size(s['median'])} (n={s['n']})"
    return f"{size(s['median'])} ({size(s['min'])}–{size(s['max'])}, n={s['n']})"


def _int(s: dict) -> str:
    if s["min"] == s["max"]:
        return f"{s['median']:,.0f} (n={s['n']})"
    return f"{s['median']:,.0f} ({s['min']:,.0f}–{s['max']:,.0f}, n={s['n']})"


def _pct(x: float) -> str:
    return f"{100 * x:.2f}%" if x < 0.1 else f"{100 * x:.0f}%"


def summary_rows(r: dict) -> list[tuple[str, str, str, str]]:
    rows = []
    if p := r.get("parse"):
        m = p["member"]
        rows.append(
            (
                "Parse one member page, p50",
                f"≤ {p['target_p50_ms']:g} ms",
                f"{m['p50_ms']:.2f} ms (CPU {m.get('cpu_p50_ms', '-')} ms)",
                _v(p["met"]),
            )
        )
        if "lexbor_ratio" in m:
            rows.append(
                (
                    "Parse one member page vs lexbor's own parse of it (CPU p50, same loop)",
                    f"≤ {p['target_lexbor_ratio']:g}×",
                    f"{m['lexbor_ratio']:.2f}× ({m['cpu_p50_ms']:.2f} ms vs {m['lexbor_cpu_p50_ms']:.2f} ms)",
                    _v(p["lexbor_met"]),
                )
            )
    if s := r.get("sync"):
        v = s["resync_validators"]
        rows.append(
            (
                "No-change re-sync with validators: rows written",
                "0",
                f"{v['written']['max']:.0f}",
                _v(v["written"]["max"] == 0),
            )
        )
        rows.append(
            (
                "No-change re-sync with validators: bytes vs full sync",
                "≤ 5%",
                f"{_pct(v['bytes_ratio'])} ({size(v['bytes']['median'])})",
                _v(v["bytes_ratio"] <= 0.05),
            )
        )
        h = s["resync_hash"]
        rows.append(
            (
                "No-change re-sync without validators (record hash): rows written",
                "0",
                f"{h['written']['max']:.0f}",
                _v(h["written"]["max"] == 0),
            )
        )
    if t := r.get("tui"):
        for n, z in _tui_sizes(t):
            st = z["startup"]
            for label, suffix, key in (("`ogptui open SLUG`", "", "met"), ("bare `ogptui` (members list)",
                                                                            "_members", "met_members")):  # fmt: skip
                if f"ratio_paint{suffix}" not in st:
                    continue
                who = "ogptui" if not suffix else "members"
                rows.append(
                    (
                        f"First paint vs a bare Textual app, {label}, {n:,} members",
                        f"≤ {_startup_target(st)}×",
                        f"{st[f'ratio_paint{suffix}']:.2f}× ({st[who]['paint_s']['median']:.3f} s vs "
                        f"{st['bare']['paint_s']['median']:.3f} s)",
                        _v(st[key]),
                    )
                )
    if se := r.get("search"):
        for v in se["sizes"].values():
            if "ratio_p95" in v:
                at_target = v["rows"] >= 100_000  # the target is set at 100k rows (and 1,000 members)
                rows.append(
                    (
                        f"Search p95 vs the raw FTS5 query, {v['rows']:,} indexed rows",
                        "≤ 1.5×" if at_target else "(reported)",
                        f"{v['ratio_p95']:.2f}× ({v['p95_ms']:.1f} ms vs {v['raw_p95_ms']:.1f} ms)",
                        _v(v["ratio_p95"] <= 1.5) if at_target else "—",
                    )
                )
            rows.append(
                (
                    f"Search (FTS5) p95 at {v['rows']:,} indexed rows",
                    f"≤ {se['target_p95_ms']:g} ms",
                    f"{v['p95_ms']:.1f} ms",
                    _v(v["p95_ms"] <= se["target_p95_ms"]),
                )
            )
        for k, v in se["sizes"].items():
            kk = v["keystroke"]
            if kk.get("samples"):
                rows.append(
                    (
                        f"Filter keystroke-to-repaint p95, members list of {v['members']:,} "
                        f"({int(k):,}-row cache)",
                        "≤ 50 ms",
                        f"{kk['p95_ms']:.1f} ms",
                        _v(kk["met"]),
                    )
                )
    if t := r.get("tui"):
        for n, z in _tui_sizes(t):
            sr = z.get("search")
            if sr:
                at_target = n >= 1000  # the target is set at 1,000 members' worth of data (and 100k rows)
                rows.append(
                    (
                        f"Search p95 vs the raw FTS5 query, {n:,}-member cache ({sr['rows']:,} rows)",
                        "≤ 1.5×" if at_target else "(reported)",
                        f"{sr['ratio_p95']:.2f}× ({sr['p95_ms']:.1f} ms vs {sr['raw_p95_ms']:.1f} ms)",
                        _v(sr["ratio_p95"] <= 1.5) if at_target else "—",
                    )
                )
            for label, key in (("members list", "keystroke_members"), ("commitments tab", "keystroke_commitments")):
                kk = z[key]
                if kk.get("samples"):
                    rows.append(
                        (
                            f"Filter keystroke-to-repaint p95, {label}, {n:,}-member cache",
                            "≤ 50 ms",
                            f"{kk['p95_ms']:.1f} ms (CPU p95 {kk.get('cpu_p95_ms', '-')} ms)",
                            _v(kk["met"]),
                        )
                    )
            m = _clean_rss(z["memory"])
            rows.append(
                (
                    f"TUI peak memory (RSS), every tab, {n:,}-member cache",
                    "≤ 150 MB",
                    f"{m['max']:.0f} MB (max of {m['n']} clean exits)",
                    _v(m["max"] <= 150),
                )
            )
        if (rd := t.get("reader")) and rd.get("samples"):
            rows.append(
                (
                    "Reader: open a 200 kB document to the first paint of its text, p95 (CPU p50)",
                    "≤ 100 ms",
                    f"{rd['big']['p95_ms']:.0f} ms ({rd['big']['cpu_p50_ms']:.0f} ms CPU)",
                    _v(rd["met"]),
                )
            )
    return rows


def _clean_rss(mem: dict) -> dict:
    """Peak RSS over the runs that exited cleanly (a run killed at the harness's deadline has none)."""
    from bench.common import spread

    vals = [r["maxrss_mb"] for r in mem.get("runs", []) if r["exit_code"] == 0 and r["maxrss_mb"] == r["maxrss_mb"]]
    return spread(vals, 1) if vals else mem["maxrss_mb"]


def _ms(v: float | None) -> str:
    return "not run (quadratic)" if v is None else f"{v} ms"


def _bytecode(m: dict) -> str:
    b = m.get("bytecode")
    if not b:
        return "-"
    env = b.get("PYTHONDONTWRITEBYTECODE") or "unset"
    state = "compiled before the run" if b.get("compiled") else "compiling failed"
    return f"{state} (PYTHONDONTWRITEBYTECODE={env}: Python would not write it itself)"


def _tui_sizes(t: dict) -> list[tuple[int, dict]]:
    """[(members, figures)] of the tui section, smallest first (older results: one size, 200)."""
    if "sizes" in t:
        return sorted(((int(k), v) for k, v in t["sizes"].items()), key=lambda kv: kv[0])
    return [(200, t)]


def _startup_target(st: dict) -> str:
    from bench.tui_bench import TARGET_STARTUP_RATIO

    return f"{TARGET_STARTUP_RATIO:g}"


def render(r: dict) -> str:
    m = r["machine"]
    L: list[str] = []
    title = "Benchmarks" + (" (QUICK subset — not the reference figures)" if r.get("quick") else "")
    L += [f"# {title}", ""]
    L += [
        "Generated by `python -m bench`"
        + (" --quick" if r.get("quick") else "")
        + f" on {m['date']} at commit `{m['commit']}`; the whole run took {r['seconds']['total']:.0f} s. "
        "Raw results: `bench/out/*.json` (git-ignored). Targets: `DESIGN.md` → Performance budgets.",
        "",
        "Figures are medians with (min–max, n = repetitions) unless marked otherwise. Everything runs on "
        "127.0.0.1 against the synthetic site of `tests/fakesite` (200 members, 5,000 commitment pages, 8,000 "
        "resources; member pages 110–136 kB of HTML, commitment pages ~97 kB), served by a **separate "
        "process** (`python -m bench.siteproc`) so it never shares the GIL with the client measured.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        f"| CPU | {m['cpu']}, {m['cores']} cores |",
        f"| RAM | {m['ram_gb']} GB |",
        f"| OS | {m['os']} |",
        f"| Python / SQLite | {m['python']} / {m['sqlite']} |",
        f"| textual / httpx / selectolax | {m['textual']} / {m['httpx']} / {m['selectolax']} |",
        f"| wget | {m['wget']} |",
        f"| load average (1 min) at start / end | {m['load_avg_start']} / {m.get('load_avg_end', '-')} |",
        f"| bytecode | {_bytecode(m)} |",
        "| fake site sockets | TCP_NODELAY (the handler disables Nagle's algorithm) |",
        "",
        "The machine is shared with other work sessions (tests running in parallel), so absolute times are "
        "noisy; ratios measured in the same run (start-up vs bare Textual, ogptui vs wget) are the steadier "
        "figures.",
        "",
        "## Summary against the targets",
        "",
        "| Figure | Target | Measured | Verdict |",
        "|---|---|---|---|",
    ]
    for row in summary_rows(r):
        L.append("| " + " | ".join(row) + " |")
    L.append("")
    L += ["## How to reproduce", ""]
    L += [
        "```sh",
        ". .venv/bin/activate",
        "python -m bench                      # everything, writes BENCHMARKS.md (~10 min on 2 cores)",
        "python -m bench --quick              # subset, writes bench/out/BENCHMARKS-quick.md (< 2 min)",
        "python -m bench --only parse,tui     # some sections: parse, sync, search, tui",
        "python -m bench.parse_bench          # one section alone, JSON on stdout",
        "python -m bench.siteproc --members 200 --commitments 5000 --resources 8000   # the site alone",
        "pip install pyinstrument             # optional, for the profiles in bench/NOTES.md",
        "```",
        "",
    ]
    if p := r.get("parse"):
        L += _parse(p)
    if s := r.get("sync"):
        L += _sync(s)
    if se := r.get("search"):
        L += _search(se)
    if t := r.get("tui"):
        L += _tui(t)
    if NOTES.exists():
        L += ["", NOTES.read_text(encoding="utf-8").strip(), ""]
    return "\n".join(L).rstrip() + "\n"


def _parse(p: dict) -> list[str]:
    L = ["## Parsing", ""]
    L += [
        "`ogptui.parse.parse_page` on pages rendered by the fake site's renderer (the HTML the site "
        "serves); per page, in one process, GC collected between repetitions. In the same loop each page is "
        "also parsed by lexbor alone (`LexborHTMLParser(html)`: the C parser under ogptui's, the floor); "
        "CPU times of this thread. Peak memory: tracemalloc peak while parsing one page. Command: "
        "`python -m bench.parse_bench`.",
        "",
        "| Page | pages × reps | size (median / max) | p50 | p95 | max | p50 per rep | CPU p50 / p95 "
        "| lexbor CPU p50 | ratio | peak memory |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for label, k in (("member", "member"), ("commitment", "commitment")):
        x = p[k]
        L.append(
            f"| {label} | {x['pages']} × {x['reps']} | {x['page_kb_median']} / {x['page_kb_max']} kB "
            f"| {x['p50_ms']:.2f} ms | {x['p95_ms']:.2f} ms | {x['max_ms']:.1f} ms "
            f"| {fmt(x['p50_ms_per_rep'], ' ms')} | {x.get('cpu_p50_ms', '-')} / {x.get('cpu_p95_ms', '-')} ms "
            f"| {x.get('lexbor_cpu_p50_ms', '-')} ms | **{x.get('lexbor_ratio', '-')}×** "
            f"| {x['peak_kb'] / 1000:.1f} MB for a {x['peak_page_kb']} kB page |"
        )
    if sc := p.get("scaling"):
        L += [
            "",
            "Linear in page size: a member page padded to 10, 100 and 1,000 kB with deep markup (one `<div>` "
            "per level) and with flat markup (rows of paragraphs), median of 3 (wall time):",
            "",
            "| page | size | ogptui | ms per kB | lexbor alone | read as text past the depth cap |",
            "|---|---|---|---|---|---|",
        ]
        for name, v in sc.items():
            L.append(
                f"| {name.split('_')[0]} | {v['kb']:,} kB | {v['ms']} ms | {v['ms_per_kb']} "
                f"| {_ms(v.get('lexbor_ms'))} | {'yes' if v['capped'] else 'no'} |"
            )
    L.append("")
    return L


def _sync(s: dict) -> list[str]:
    L = ["## Sync", ""]
    L += [
        f"Site: `{s['site']['command']}`. Client: `run_sync(all_members=True, concurrency=N, delay=0)` in the "
        "bench process (the code `ogptui sync --all --source URL` runs), each full sync into an empty "
        "cache. **Delay 0**: no politeness pause between requests (the default pause is measured "
        "separately below). Requests and bytes are counted by the site: response bodies only, "
        "headers excluded, the same meter for ogptui and wget.",
        "",
        "### Full sync",
        "",
        "| Concurrency | wall time | requests | bytes | rows written |",
        "|---:|---|---|---|---|",
    ]
    for conc, f in s["full"].items():
        L.append(
            f"| {conc} | {fmt(f['wall_s'], ' s', 1)} | {_int(f['requests'])} | {_mb(f['bytes'])} "
            f"| {_int(f['written'])} |"
        )
    L += ["", f"Database after a full sync: {size(s['db_bytes'])} (`cache.db` + WAL).", ""]
    if pol := s.get("polite"):
        d0, dd = pol["delay_0"], pol["default_delay"]
        L += [
            "### Default polite delay (subset)",
            "",
            f"{len(pol['members'])} members ({d0['requests']} requests), concurrency 4: delay 0 took "
            f"{d0['wall_s']:.2f} s, the default delay of {pol['default_delay_s']} s between request starts "
            f"took {dd['wall_s']:.2f} s ({dd['requests'] / dd['wall_s']:.1f} requests/s). At that pace the "
            f"whole site ({s['full'][str(max(int(k) for k in s['full']))]['requests']['median']:,.0f} requests) "
            f"takes about {s['full'][str(max(int(k) for k in s['full']))]['requests']['median'] * pol['default_delay_s'] / 60:.0f} "
            "minutes: the delay, not the client, bounds a polite sync.",
            "",
        ]
    v, h = s["resync_validators"], s["resync_hash"]
    full_b = s["full"][str(max(int(k) for k in s["full"]))]["bytes"]["median"]
    L += [
        "### No-change re-sync",
        "",
        "The same cache synced again, nothing changed on the site; concurrency 4, delay 0. `--full` checks "
        "every page (as wget does); the default re-sync checks member pages, and commitment pages only when "
        "due (member page changed, or last check older than `max_age_days`).",
        "",
        "| | wall time | requests | 304 | bytes | bytes vs full sync | rows written |",
        "|---|---|---|---|---|---|---|",
        f"| `--full` with validators (ETag / Last-Modified → 304) | {fmt(v['wall_s'], ' s', 1)} | "
        f"{_int(v['requests'])} "
        f"| {_int(v['not_modified'])} | {_mb(v['bytes'])} | {_pct(v['bytes_ratio'])} | {_int(v['written'])} |",
        *(
            [
                f"| default (pages due only; {d['not_due']:,} not due) | {fmt(d['wall_s'], ' s', 2)} | "
                f"{_int(d['requests'])} | {_int(d['not_modified'])} | {_mb(d['bytes'])} | "
                f"{_pct(d['bytes']['median'] / max(1, full_b))} | {_int(d['written'])} |"
            ]
            if (d := s.get("resync_default"))
            else []
        ),
        f"| `--full` without validators, fresh nonce in every page (`{s.get('site_nonce_command', '')}`): "
        "record hash "
        f"| {fmt(h['wall_s'], ' s', 1)} | {_int(h['requests'])} | {_int(h['not_modified'])} | {_mb(h['bytes'])} "
        f"| {_pct(h['bytes_ratio'])} | {_int(h['written'])} |",
        "",
        f"(The first sync of the no-validator site: {h['full']['wall_s']:.1f} s, {h['full']['requests']:,} "
        f"requests, {size(h['full']['bytes'])}, {h['full']['written']:,} rows.) Without validators the bytes "
        "cannot shrink (the server sends every page); what the record hash saves is the writes: 0 rows.",
        "",
    ]
    if w := s.get("wget"):
        wf, wa, wc = w["first"], w["again_ims"], w["again_check"]
        L += [
            "### Against `wget` (same pages, same run)",
            "",
            f"`{w['command']}` (directory → member pages → commitment pages; robots.txt honoured). "
            "`-N` sends If-Modified-Since: the directory answers 304 and wget stops there without looking at "
            "any member or commitment page (it would miss changes below the directory). "
            f"`-N {w['check_option']}` instead sends a HEAD per page and re-downloads newer ones: the "
            "re-run that really checks every page, and the fair baseline.",
            "",
            "| | wall time | requests | bytes |",
            "|---|---|---|---|",
            f"| wget first copy | {fmt(wf['wall_s'], ' s', 1)} | {_int(wf['requests'])} | {_mb(wf['bytes'])} |",
            f"| ogptui full sync (concurrency 4) | "
            f"{fmt(s['full'][str(max(int(k) for k in s['full']))]['wall_s'], ' s', 1)} "
            f"| {_int(s['full'][str(max(int(k) for k in s['full']))]['requests'])} | {size(full_b)} |",
            f"| wget re-run `-N` | {fmt(wa['wall_s'], ' s', 2)} | {_int(wa['requests'])} | {_mb(wa['bytes'])} |",
            f"| wget re-run `-N {w['check_option']}` | {fmt(wc['wall_s'], ' s', 1)} | {_int(wc['requests'])} "
            f"| {_mb(wc['bytes'])} |",
            f"| ogptui no-change re-sync `--full` | {fmt(v['wall_s'], ' s', 1)} | {_int(v['requests'])} "
            f"| {_mb(v['bytes'])} |",
            *(
                [
                    f"| ogptui no-change re-sync (default) | {fmt(d['wall_s'], ' s', 2)} | {_int(d['requests'])} "
                    f"| {_mb(d['bytes'])} |"
                ]
                if (d := s.get("resync_default"))
                else []
            ),
        ]
        if wn := s.get("wget_nonce"):
            L += [
                f"| wget re-run `-N`, no-validator site | {wn['again']['wall_s']:.1f} s | "
                f"{wn['again']['requests']:,} | {size(wn['again']['bytes'])} |",
                f"| ogptui re-sync, no-validator site | {h['wall_s']['median']:.1f} s | "
                f"{h['requests']['median']:,.0f} | {size(h['bytes']['median'])} |",
            ]
        L.append("")
        ratio_first = full_b / wf["bytes"]["median"] if wf["bytes"]["median"] else float("nan")
        L.append(f"- **First copy: ogptui = {100 * ratio_first:.0f}% of wget's bytes** "
                 f"({size(full_b)} vs {size(wf['bytes']['median'])}).")  # fmt: skip
        if wc["bytes"]["median"]:
            L.append(
                f"- **No-change re-sync: ogptui = {100 * v['bytes']['median'] / wc['bytes']['median']:.0f}% of "
                f"wget's bytes** (`-N {w['check_option']}`: {size(v['bytes']['median'])} vs "
                f"{size(wc['bytes']['median'])}), in {v['wall_s']['median'] / wc['wall_s']['median']:.1f}× "
                "wget's time."
            )
        if (wn := s.get("wget_nonce")) and wn["again"]["bytes"]:
            L.append(
                f"- **No-validator site: ogptui re-sync = "
                f"{100 * h['bytes']['median'] / wn['again']['bytes']:.0f}% of wget's bytes** "
                f"({size(h['bytes']['median'])} vs {size(wn['again']['bytes'])}); ogptui writes 0 rows, "
                "wget rewrites every file."
            )
        L.append("")
    if rs := s.get("resume"):
        L += [
            "### Resume after a kill",
            "",
            "`python -m bench.sync_child --source URL` (the same `run_sync(all_members=True)` as `ogptui sync "
            "--all`, delay 0) SIGKILLed once the site had answered about half the requests of a full sync, "
            "then the sync run again to the end in the same cache.",
            "",
            f"Killed at {rs['killed_at_requests']:,} requests ({100 * rs['killed_at_fraction']:.0f}% of "
            f"{rs['full_requests']:,}); the resumed run made {rs['resumed_requests']:,} requests "
            f"(outcome {rs['resumed_outcome']}). **Requests repeated: {rs['repeated_requests']:,} = "
            f"{100 * rs['repeated_fraction']:.1f}% of an un-killed sync** (killed + resumed − un-killed).",
            "",
        ]
    return L


def _search(se: dict) -> list[str]:
    L = ["## Search and filter-as-you-type", ""]
    L += [
        "Caches built by `bench/search_bench.py` (`build`: members written through `Store.write_member`, "
        "~100 indexed rows per member) and queried by its `measure` (200 queries of the shapes people type: "
        "prefixes, phrases, IDs, filters). **Raw FTS5**: the same MATCH expression (words and filters) ranked "
        "by the same bm25 in one statement, `SELECT rowid, bm25(...) AS r FROM search_index WHERE "
        "search_index MATCH ? ORDER BY r LIMIT 50`, timed interleaved with `search()` on the same "
        "connection: the least any search ranking every match must do. On each cache, the TUI's members "
        "list filter: Pilot types `p`, `e`, `r` and three backspaces, five times; time from the key press "
        "to the end of the first compositor refresh after the table was refilled (headless, 120×40). "
        "Command: `python -m bench --only search` (search alone: `python -m bench.search_bench`).",
        "",
        "| indexed rows | members | search p50 | search p95 | raw FTS5 p50 | raw FTS5 p95 | **p95 ratio** "
        "| max | CPU p95 | slowest query | keystroke p50 | keystroke p95 | keystroke max |",
        "|---:|---:|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for v in se["sizes"].values():
        k = v["keystroke"]
        L.append(
            f"| {v['rows']:,} | {v['members']:,} | {v['p50_ms']} ms | {v['p95_ms']} ms "
            f"| {v.get('raw_p50_ms', '-')} ms | {v.get('raw_p95_ms', '-')} ms | **{v.get('ratio_p95', '-')}×** "
            f"| {v['max_ms']} ms | {v['cpu_p95_ms']} ms | `{v['slowest_query']}` | {k.get('p50_ms', '-')} ms "
            f"| {k.get('p95_ms', '-')} ms | {k.get('max_ms', '-')} ms |"
        )
    slow = [(v["rows"], q) for v in se["sizes"].values() for q in v.get("slowest", [])[:3]]
    if slow:
        L += ["", "Slowest queries (median of their repetitions), search() against raw FTS5:", ""]
        L += [f"- {rows:,} rows: `{q['query']}` {q['ours_ms']} ms vs {q['raw_ms']} ms" for rows, q in slow]
    L.append("")
    return L


def _tui(t: dict) -> list[str]:
    sizes = _tui_sizes(t)
    L = ["## TUI", ""]
    L += [
        "Caches: every member and commitment page of the synthetic site written into the store, at "
        + " and ".join(f"{n:,} members" for n, _ in sizes)
        + " (25 commitments and 40 resources per member). Opened member: the one with the most commitments "
        "and resources.",
        "",
        "### Start-up",
        "",
        "Each app in a subprocess on a fresh pseudo-terminal (120×40, `TERM=xterm-256color`), with "
        "`OGPTUI_EXIT_AFTER_PAINT=1` (exit right after the first screen is painted; the bare app has the "
        "same hook). Timed from just before launch to the first terminal output containing the screen's "
        "text (**paint**), and to the process exit. Runs alternate bare / `ogptui open SLUG` / bare "
        "`ogptui` (a copy of the cache without settings, so it opens on the members list); one unmeasured "
        "warm-up run each (it also leaves the clean-close mark, as any previous session would). Bytecode "
        "compiled beforehand.",
        "",
    ]
    st0 = sizes[0][1]["startup"]
    L += [
        f"- member screen: `{st0['command_ogptui']}`",
        f"- members list: `{st0.get('command_members', '-')}`",
        f"- bare Textual: `{st0['command_bare']}` (Header, one Static, Footer)",
        "",
        "| members | app | to paint | ratio | to exit | CPU time (user + sys, to exit) | CPU ratio |",
        "|---:|---|---|---|---|---|---|",
    ]
    for n, z in sizes:
        st = z["startup"]
        for who, label, suffix in (("bare", "bare Textual app", None), ("ogptui", "`ogptui open SLUG`", ""),
                                   ("members", "bare `ogptui` (members list)", "_members")):  # fmt: skip
            if who not in st:
                continue
            ratio = "1" if suffix is None else f"**{st[f'ratio_paint{suffix}']:.2f}×**"
            cpu_ratio = "1" if suffix is None else f"{st[f'ratio_cpu{suffix}']:.2f}×"
            L.append(
                f"| {n:,} | {label} | {fmt(st[who]['paint_s'], ' s', 3)} | {ratio} "
                f"| {fmt(st[who]['exit_s'], ' s', 3)} | {fmt(st[who]['cpu_s'], ' s', 3)} | {cpu_ratio} |"
            )
        if st.get("failed_runs"):
            L.append(f"| {n:,} | ({st['failed_runs']} runs did not paint or exit cleanly) | | | | | |")
    L += [
        "",
        "### Peak memory, filter keystrokes, search on the cache",
        "",
        "Peak memory: `python -m bench.rss_wrap ogptui open SLUG; keys 2 3 4 5 6 7 1 escape q (120x40 pty)`, "
        "peak resident size (VmHWM). Keystrokes: as in the search section (wall time key press → repaint; "
        "CPU of the process over the same span). Search: the fake site's words and member names typed "
        "letter by letter (`search_bench.site_shapes`), against the raw FTS5 query.",
        "",
        "| members | cache | peak RSS | members filter p50 / p95 (CPU p95) | commitments filter p50 / p95 "
        "| search p50 / p95 | raw FTS5 p50 / p95 | ratio p95 |",
        "|---:|---|---|---|---|---|---|---|",
    ]
    for n, z in sizes:
        c, mem, km, kc, sr = z["cache"], z["memory"], z["keystroke_members"], z["keystroke_commitments"], z.get(
            "search", {}
        )
        L.append(
            f"| {n:,} | {size(c['db_bytes'])}, {sr.get('rows', 0):,} indexed rows "
            f"| {fmt(_clean_rss(mem), ' MB', 0)}, {mem['clean_exits']} of {len(mem['runs'])} runs exited cleanly "
            f"(bare app {mem['bare_maxrss_mb']:.0f} MB) "
            f"| {km.get('p50_ms', '-')} / {km.get('p95_ms', '-')} ms ({km.get('cpu_p95_ms', '-')} ms) "
            f"| {kc.get('p50_ms', '-')} / {kc.get('p95_ms', '-')} ms "
            f"| {sr.get('p50_ms', '-')} / {sr.get('p95_ms', '-')} ms "
            f"| {sr.get('raw_p50_ms', '-')} / {sr.get('raw_p95_ms', '-')} ms | {sr.get('ratio_p95', '-')}× |"
        )
    L.append("")
    L += _reader(t.get("reader") or {})
    if len(sizes) >= 2:
        L += _growth(sizes[0], sizes[-1])
    return L


def _reader(rd: dict) -> list[str]:
    """The reader's first-paint section (nothing when it was not measured)."""
    if not rd.get("samples"):
        return []
    L: list[str] = []
    L += [
        "### Document reader: open to the first paint of the text",
        "",
        f"`{rd['command']}`: the reader pushed on a document of {rd['text_chars']:,} characters of text "
        "(40 sections), timed to the end of the first screen refresh that draws its text, alternating "
        "with the same reader on a one-paragraph document (what pushing any screen costs: compose, "
        f"styles, footer); {rd['samples']} openings each, in-process, headless 120×40.",
        "",
        "| document | wall p50 | wall p95 | CPU p50 |",
        "|---|---|---|---|",
    ]
    for label, key in (("200 kB", "big"), ("one paragraph", "small")):
        v = rd[key]
        L.append(f"| {label} | {v['p50_ms']} ms | {v['p95_ms']} ms | {v['cpu_p50_ms']} ms |")
    L.append("")
    return L


def _growth(small: tuple[int, dict], big: tuple[int, dict]) -> list[str]:
    """How each figure grows from the smaller cache to the bigger one, against the growth of the data."""
    (a, x), (b, y) = small, big
    data = b / a

    def row(label: str, fa: float | None, fb: float | None, unit: str) -> str:
        if not fa or fb is None:
            return f"| {label} | - | - | - | - |"
        g = fb / fa
        verdict = "better than linear" if g < data * 0.9 else ("linear" if g <= data * 1.1 else "worse than linear")
        return f"| {label} | {fa:,.2f}{unit} | {fb:,.2f}{unit} | {g:.2f}× | {verdict} |"

    def med(z: dict, who: str, what: str) -> float | None:
        return z["startup"].get(who, {}).get(what, {}).get("median")

    L = [
        f"### Growth from {a:,} to {b:,} members ({data:g}× the data)",
        "",
        "Linear or better means growing by at most the data's factor.",
        "",
        "| figure | " + f"{a:,} members | {b:,} members | growth | |",
        "|---|---|---|---|---|",
        row("cache size (MB)", x["cache"]["db_bytes"] / 1e6, y["cache"]["db_bytes"] / 1e6, ""),
        row("first paint, `ogptui open SLUG` (s)", med(x, "ogptui", "paint_s"), med(y, "ogptui", "paint_s"), ""),
        row("first paint, members list (s)", med(x, "members", "paint_s"), med(y, "members", "paint_s"), ""),
        row("start-up CPU, members list (s)", med(x, "members", "cpu_s"), med(y, "members", "cpu_s"), ""),
        row("peak RSS (MB)", _clean_rss(x["memory"])["max"], _clean_rss(y["memory"])["max"], ""),
        row("members filter keystroke p95 (ms)", x["keystroke_members"].get("p95_ms"),
            y["keystroke_members"].get("p95_ms"), ""),
        row("members filter keystroke CPU p95 (ms)", x["keystroke_members"].get("cpu_p95_ms"),
            y["keystroke_members"].get("cpu_p95_ms"), ""),
        row("commitments filter keystroke p95 (ms)", x["keystroke_commitments"].get("p95_ms"),
            y["keystroke_commitments"].get("p95_ms"), ""),
        row("search p95 (ms)", x.get("search", {}).get("p95_ms"), y.get("search", {}).get("p95_ms"), ""),
        row("raw FTS5 p95 (ms)", x.get("search", {}).get("raw_p95_ms"), y.get("search", {}).get("raw_p95_ms"), ""),
        row("cache build (s)", x["cache"].get("build_s"), y["cache"].get("build_s"), ""),
        "",
    ]  # fmt: skip
    return L
