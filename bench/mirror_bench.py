"""Mirror benchmark (issue 18): what `sync --mirror URL/` downloads from a mirror made by `ogptui publish`.

    python -m bench.mirror_bench              # 60 synthetic members + the default site's 4 (about 1 minute)
    python -m bench.mirror_bench --quick      # 10 + 4
    python -m bench.mirror_bench --members 196   # 196 + 4 (about 5 minutes)

A publisher cache is synced (`--all --documents all`) from the fake site (a synthetic site plus the default
site, whose Peru has documents and 7 PDF files), published with `--with-files` and served by
`tests/mirrorkit.MirrorServer` (ETags, ranges) on 127.0.0.1. Figures, all from the server's own count of
body bytes sent:

- first sync of an empty cache: bytes, requests, seconds;
- no change: bytes (a 304 for the index);
- one member changes upstream, the publisher syncs it and publishes again (seconds; parts written): the
  client's next sync downloads the root index, the one shard that lists that member, and its part. Target:
  bytes fetched ≤ 1.2 × the changed part's size, index and shard included; also as a server that
  compresses JSON (nginx `gzip_types application/json`) would send them.
"""

from __future__ import annotations

import contextlib
import copy
import gzip
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path

TARGET_RATIO = 1.2


def _cli(home: Path, *argv: str) -> str:
    from ogptui.cli import main

    os.environ["OGPTUI_HOME"] = str(home)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main(list(argv))
    if rc != 0:
        raise RuntimeError(f"ogptui {' '.join(argv)} failed ({rc}): {err.getvalue().strip()}")
    return out.getvalue()


def run(quick: bool = False, members: int | None = None) -> dict:
    from ogptui.mirror_index import load_folder
    from tests.fakesite import FakeSite, default_site, synthetic_site
    from tests.mirrorkit import MirrorServer

    n = members if members is not None else (10 if quick else 60)
    data = synthetic_site(members=n, commitments=n * 5, resources=n * 8, seed=11)
    base = default_site()
    data.members += base.members
    data.commitments.update(base.commitments)
    os.environ["OGPTUI_NO_AUTOSYNC"] = "1"
    out: dict = {"members": len(data.members)}
    with tempfile.TemporaryDirectory(prefix="ogptui-bench-mirror-") as tmp:
        root = Path(tmp)
        office, field, mirror = root / "office", root / "field", root / "m"
        site = FakeSite(data).start()
        try:
            _cli(
                office, "sync", "--all", "--source", site.url, "--quiet", "--delay", "0", "--documents", "all"
            )
            t0 = time.perf_counter()
            _cli(office, "publish", str(mirror), "--with-files")
            out["publish_first_s"] = round(time.perf_counter() - t0, 2)
            index = load_folder(mirror)
            out["mirror_bytes"] = sum(p.stat().st_size for p in mirror.rglob("*") if p.is_file())
            out["index_bytes"] = (mirror / "index.json").stat().st_size
            out["shards"] = len(index.shards)
            out["index_total_bytes"] = out["index_bytes"] + sum(s.size for s in index.shards)
            out["index_bytes_per_member"] = round(out["index_total_bytes"] / len(index.members))
            with MirrorServer(mirror) as srv:
                t0 = time.perf_counter()
                _cli(field, "sync", "--mirror", srv.url, "--quiet")
                out["first_sync"] = {
                    "s": round(time.perf_counter() - t0, 2),
                    "bytes": srv.sent(),
                    "requests": len(srv.hits()),
                }
                srv.clear()
                _cli(field, "sync", "--mirror", srv.url, "--quiet")
                out["no_change"] = {"bytes": srv.sent(), "requests": len(srv.hits())}

                victim = sorted(index.members)[len(index.members) // 2]
                changed = copy.deepcopy(next(m for m in data.members if m.slug == victim))
                changed.member_since = (changed.member_since or 2000) + 1
                site.set_member(changed)
                _cli(office, "sync", victim, "--source", site.url, "--quiet", "--delay", "0")
                t0 = time.perf_counter()
                text = _cli(office, "publish", str(mirror), "--with-files")
                out["publish_again_s"] = round(time.perf_counter() - t0, 2)
                out["publish_again"] = text.strip()
                new = load_folder(mirror)
                part = new.members[victim]
                srv.clear()
                t0 = time.perf_counter()
                _cli(field, "sync", "--mirror", srv.url, "--quiet")
                hits = srv.hits()
                total = srv.sent()
                out["one_change"] = {
                    "member": victim,
                    "s": round(time.perf_counter() - t0, 2),
                    "part_bytes": part.size,
                    "bytes": total,
                    "index_bytes": srv.sent("/index.json"),
                    "shard_bytes": srv.sent("/index/"),
                    "parts_bytes": srv.sent("/members/"),
                    "files_bytes": srv.sent("/files/"),
                    "requests": [h.path for h in hits],
                    "ratio": round(total / part.size, 3),
                    "ratio_parts_only": round(srv.sent("/members/") / part.size, 3),
                }
                gz = sum(
                    len(gzip.compress((mirror / h.path.lstrip("/")).read_bytes(), 6))
                    for h in hits
                    if h.path == "/index.json" or h.path.startswith("/index/")
                )
                out["one_change"]["index_gzip_bytes"] = gz
                out["one_change"]["ratio_gzip_index"] = round((srv.sent("/members/") + gz) / part.size, 3)
        finally:
            site.stop()
    out["target_ratio"] = TARGET_RATIO
    out["met"] = out["one_change"]["ratio"] <= TARGET_RATIO
    return out


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    quick = "--quick" in args
    members = int(args[args.index("--members") + 1]) if "--members" in args else None
    print(json.dumps(run(quick, members), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
