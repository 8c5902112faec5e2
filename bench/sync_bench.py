"""Sync benchmarks against the synthetic site served by another process on 127.0.0.1.

- full sync of the whole site (`--all`) at concurrency 1, 2 and 4, delay 0 (no politeness pause);
- the same on a few members with the default polite delay, against delay 0;
- no-change re-sync with validators (conditional GET → 304) and without (`--no-validators --nonce`:
  every page comes back in full with a fresh random token, so only the record hash can say "unchanged"),
  both with `--full` (every page checked, as wget does); and the default re-sync (member pages, and the
  other pages only when due: `max_age_days`);
- resume: a sync process SIGKILLed at about half of the requests, then run again;
- the baseline: `wget -r -N -l 2` of the same pages (directory → members → commitments), first copy and
  re-run, on the same site in the same run.

Requests and bytes are counted by the site (response bodies, headers excluded), so ogptui and wget are
measured by the same meter.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.common import ROOT, child_env, log, spread
from bench.siteproc import SiteProcess

WGET = shutil.which("wget") or "/usr/bin/wget"
TARGET_RESYNC_BYTES_RATIO = 0.05


@dataclass
class Config:
    members: int = 200
    commitments: int = 5000
    resources: int = 8000
    full_reps: dict | None = None  # concurrency -> repetitions
    resync_reps: int = 3
    hash_resync_reps: int = 2
    wget_reps: int = 2
    polite_members: int = 3
    resume: bool = True
    wget: bool = True
    polite: bool = True

    def reps(self) -> dict:
        return self.full_reps or {1: 1, 2: 1, 4: 2}


QUICK = Config(
    members=40,
    commitments=1000,
    resources=1600,
    full_reps={4: 1},
    resync_reps=2,
    hash_resync_reps=1,
    wget_reps=1,
    polite=False,
)


def _db_size(home: Path) -> int:
    return sum(p.stat().st_size for p in home.glob("cache.db*") if p.is_file())


def sync_once(
    site: SiteProcess,
    home: Path,
    *,
    concurrency: int = 4,
    delay: float | None = 0.0,
    slugs: list[str] | None = None,
    full: bool = False,
) -> dict:
    """One in-process `run_sync` into `home`; timings plus the site's own counters (`full`: `sync --full`)."""
    from ogptui import config
    from ogptui.seed import open_store
    from ogptui.sync import run_sync

    old = os.environ.get("OGPTUI_HOME")
    os.environ["OGPTUI_HOME"] = str(home)
    try:
        settings = config.Settings(revalidate_every=0)  # always conditional: this run is about 304s
        site.reset()
        with open_store(config.paths(), seed=False) as store:
            t0 = time.perf_counter()
            s = asyncio.run(
                run_sync(
                    store,
                    slugs=slugs,
                    all_members=slugs is None,
                    source=site.url,
                    concurrency=concurrency,
                    delay=delay,
                    settings=settings,
                    full=full,
                )
            )
            wall = time.perf_counter() - t0
        c = site.counters()
    finally:
        if old is None:
            os.environ.pop("OGPTUI_HOME", None)
        else:
            os.environ["OGPTUI_HOME"] = old
    return {
        "wall_s": round(wall, 3),
        "outcome": s.outcome,
        "members": s.members,
        "updated": s.updated,
        "unchanged": s.unchanged,
        "failed": len(s.failed),
        "requests": c["requests"],
        "not_modified": c["not_modified"],
        "bytes": c["bytes_sent"],
        "client_requests": s.requests,
        "client_bytes": s.nbytes,
        "written": s.written,
        "db_bytes": _db_size(home),
        "max_in_flight": c["max_in_flight"],
        "connections": c.get("connections"),
        "not_due": s.not_due,
    }


def _agg(runs: list[dict]) -> dict:
    out = {"runs": runs}
    for key in ("wall_s", "requests", "bytes", "not_modified", "written"):
        out[key] = spread([r[key] for r in runs])
    return out


def wget_once(site: SiteProcess, dest: Path, *extra: str) -> dict:
    """`wget -r -N -l 2` of directory → member → commitment pages into `dest` (a re-run if it exists)."""
    cmd = [
        WGET,
        *extra,
        "-r",
        "-N",
        "-l",
        "2",
        "-nv",
        "-nH",
        "--accept-regex",
        r"/(local/participants|members/)",
        "-P",
        str(dest),
        f"{site.url}/local/participants/",
    ]
    site.reset()
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    wall = time.perf_counter() - t0
    c = site.counters()
    files = sum(1 for p in dest.rglob("*") if p.is_file())
    return {
        "wall_s": round(wall, 3),
        "exit": proc.returncode,
        "requests": c["requests"],
        "not_modified": c["not_modified"],
        "bytes": c["bytes_sent"],
        "files": files,
        "written": 0,
    }


WGET_COMMAND = (
    "wget -r -N -l 2 -nv -nH --accept-regex '/(local/participants|members/)' -P DIR URL/local/participants/"
)
# wget's -N sends If-Modified-Since by default: a 304 for the directory page ends the whole run there (it
# does not recurse into the unchanged local copy), so changed member or commitment pages would be missed.
# With --no-if-modified-since it sends a HEAD per page and recurses: the re-run that really checks.
WGET_CHECK = "--no-if-modified-since"


def resume_once(site: SiteProcess, home: Path, full_requests: int, concurrency: int = 4) -> dict:
    """SIGKILL a sync process at about half its requests, then run again; count requests repeated."""
    site.reset()
    env = child_env(home)
    cmd = [sys.executable, "-m", "bench.sync_child", "--source", site.url, "--concurrency", str(concurrency)]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    half = full_requests // 2
    seen = 0
    try:
        while proc.poll() is None:
            seen = site.counters()["requests"]
            if seen >= half:
                proc.send_signal(signal.SIGKILL)
                break
            time.sleep(0.02)
    finally:
        proc.wait()
        if proc.stderr:
            proc.stderr.close()
    killed = proc.returncode == -signal.SIGKILL
    time.sleep(0.2)  # in-flight answers finish on the site's side
    first = site.counters()["requests"]
    again = sync_once(site, home, concurrency=concurrency)
    repeated = first + again["requests"] - full_requests
    return {
        "killed": killed,
        "killed_at_requests": first,
        "killed_at_fraction": round(first / full_requests, 3) if full_requests else None,
        "resumed_requests": again["requests"],
        "resumed_written": again["written"],
        "resumed_outcome": again["outcome"],
        "full_requests": full_requests,
        "repeated_requests": repeated,
        "repeated_fraction": round(repeated / full_requests, 4) if full_requests else None,
        "wall_s_resumed": again["wall_s"],
    }


def run(quick: bool = False, config: Config | None = None) -> dict:
    cfg = config or (QUICK if quick else Config())
    tmp_root = Path(tempfile.mkdtemp(prefix="ogptui-bench-sync-"))
    res: dict = {"config": asdict(cfg) | {"full_reps": {str(k): v for k, v in cfg.reps().items()}}}
    site_args = {"members": cfg.members, "commitments": cfg.commitments, "resources": cfg.resources}
    try:
        with SiteProcess(**site_args) as site:
            res["site"] = site.info | {"command": site.command}
            # --- full syncs -------------------------------------------------------------------
            full: dict = {}
            keep: Path | None = None  # the last cache of the highest concurrency: re-synced below
            top = max(cfg.reps())
            for conc, reps in sorted(cfg.reps().items()):
                runs = []
                for i in range(reps):
                    home = tmp_root / f"full-c{conc}-{i}"
                    home.mkdir()
                    log(f"sync: full, concurrency {conc}, run {i + 1}/{reps}")
                    runs.append(sync_once(site, home, concurrency=conc))
                    if conc == top and i == reps - 1:
                        keep = home
                    else:
                        shutil.rmtree(home, ignore_errors=True)
                full[str(conc)] = _agg(runs)
            res["full"] = full
            best = full[str(max(cfg.reps()))]
            full_requests = int(best["requests"]["median"])
            full_bytes = best["bytes"]["median"]
            assert keep is not None
            res["db_bytes"] = _db_size(keep)
            # --- no-change re-sync with validators -----------------------------------------------
            runs = []
            for i in range(cfg.resync_reps):
                log(f"sync: no-change re-sync --full with validators, run {i + 1}/{cfg.resync_reps}")
                runs.append(sync_once(site, keep, concurrency=4, full=True))
            r = _agg(runs)
            r["bytes_ratio"] = round(r["bytes"]["median"] / full_bytes, 5)
            r["met"] = r["written"]["max"] == 0 and r["bytes_ratio"] <= TARGET_RESYNC_BYTES_RATIO
            res["resync_validators"] = r
            runs = []
            for i in range(cfg.resync_reps):
                log(f"sync: no-change re-sync (default: pages due only), run {i + 1}/{cfg.resync_reps}")
                runs.append(sync_once(site, keep, concurrency=4))
            r = _agg(runs)
            r["not_due"] = runs[-1]["not_due"]
            res["resync_default"] = r
            shutil.rmtree(keep, ignore_errors=True)
            # --- polite delay on a subset --------------------------------------------------------
            if cfg.polite:
                slugs = _first_slugs(site, cfg.polite_members)
                pol = {}
                for label, delay in (("delay_0", 0.0), ("default_delay", None)):
                    home = tmp_root / f"polite-{label}"
                    home.mkdir()
                    log(f"sync: {len(slugs)} members, concurrency 4, {label}")
                    pol[label] = sync_once(site, home, concurrency=4, delay=delay, slugs=slugs)
                    shutil.rmtree(home, ignore_errors=True)
                from ogptui.source import Source

                pol["default_delay_s"] = Source.__init__.__kwdefaults__["delay"]
                pol["members"] = slugs
                res["polite"] = pol
            # --- resume after a kill -------------------------------------------------------------
            if cfg.resume:
                home = tmp_root / "resume"
                home.mkdir()
                log("sync: resume after SIGKILL at ~50%")
                res["resume"] = resume_once(site, home, full_requests)
                shutil.rmtree(home, ignore_errors=True)
            # --- wget baseline -------------------------------------------------------------------
            if cfg.wget and Path(WGET).exists():
                first, again, check = [], [], []
                for i in range(cfg.wget_reps):
                    dest = tmp_root / f"wget-{i}"
                    log(f"sync: wget first copy, then re-runs (-N; -N {WGET_CHECK}), {i + 1}/{cfg.wget_reps}")
                    first.append(wget_once(site, dest))
                    again.append(wget_once(site, dest))
                    check.append(wget_once(site, dest, WGET_CHECK))
                    shutil.rmtree(dest, ignore_errors=True)
                res["wget"] = {
                    "first": _agg(first),
                    "again_ims": _agg(again),
                    "again_check": _agg(check),
                    "command": WGET_COMMAND,
                    "check_option": WGET_CHECK,
                }
        # --- no validators: record-hash path ------------------------------------------------------
        with SiteProcess(**site_args, validators=False, nonce=True) as site:
            home = tmp_root / "hash"
            home.mkdir()
            log("sync: full, no validators (nonce site)")
            first = sync_once(site, home, concurrency=4)
            runs = []
            for i in range(cfg.hash_resync_reps):
                log(f"sync: no-change re-sync --full without validators, run {i + 1}/{cfg.hash_resync_reps}")
                runs.append(sync_once(site, home, concurrency=4, full=True))
            r = _agg(runs)
            r["full"] = first
            r["bytes_ratio"] = round(r["bytes"]["median"] / max(1, first["bytes"]), 4)
            r["met"] = r["written"]["max"] == 0
            res["resync_hash"] = r
            res["site_nonce_command"] = site.command
            if cfg.wget and Path(WGET).exists():
                dest = tmp_root / "wget-nonce"
                log("sync: wget first copy and re-run on the no-validator site")
                w1 = wget_once(site, dest)
                w2 = wget_once(site, dest)
                res["wget_nonce"] = {"first": w1, "again": w2}
                shutil.rmtree(dest, ignore_errors=True)
    finally:
        shutil.rmtree(tmp_root, ignore_errors=True)
    return res


def _first_slugs(site: SiteProcess, n: int) -> list[str]:
    sys.path.insert(0, str(ROOT))
    from tests.fakesite import synthetic_site

    cfg = site.args
    members = int(cfg[cfg.index("--members") + 1])
    commitments = int(cfg[cfg.index("--commitments") + 1])
    resources = int(cfg[cfg.index("--resources") + 1])
    data = synthetic_site(members=members, commitments=commitments, resources=resources, seed=0)
    return [m.slug for m in data.members[:n]]


if __name__ == "__main__":
    import json

    print(json.dumps(run(quick="--quick" in sys.argv[1:]), indent=2))
