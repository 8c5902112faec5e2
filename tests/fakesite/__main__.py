"""Serve the fake OGP site by hand: `python -m tests.fakesite --members 200 --port 8765`."""

from __future__ import annotations

import argparse
import time

from .data import default_site, synthetic_site
from .server import FakeSite


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.fakesite", description=__doc__)
    ap.add_argument("--members", type=int, default=4, help="4 = the default set; more = a synthetic site")
    ap.add_argument("--commitments", type=int, help="synthetic: total commitments (default 25 per member)")
    ap.add_argument("--resources", type=int, help="synthetic: total resources (default 40 per member)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--no-validators", action="store_true", help="send no ETag/Last-Modified")
    ap.add_argument("--nonce", action="store_true", help="a random token in every response")
    ap.add_argument("--gzip", action="store_true", help="compress answers when the client accepts gzip")
    ap.add_argument("--port-file", help="write the port here once listening (use with --port 0)")
    ap.add_argument("--latency", type=float, default=0.0, help="seconds before every answer")
    ap.add_argument(
        "--fault",
        metavar="KIND",
        help="answer every request with this fault (e.g. hang, trickle_body, trickle_headers, 503)",
    )
    a = ap.parse_args(argv)
    if a.members == 4 and a.commitments is None and a.resources is None:
        data = default_site()
    else:
        data = synthetic_site(
            members=a.members,
            commitments=a.commitments if a.commitments is not None else a.members * 25,
            resources=a.resources if a.resources is not None else a.members * 40,
            seed=a.seed,
        )
    site = FakeSite(
        data,
        host=a.host,
        port=a.port,
        validators=not a.no_validators,
        nonce=a.nonce,
        gzip=a.gzip,
        latency=a.latency,
    ).start()
    if a.fault:
        site.fault("*", a.fault)
    print(f"fake OGP site: {len(data.members)} members, {len(data.commitments)} commitment pages", flush=True)
    print(site.url, flush=True)
    if a.port_file:
        from pathlib import Path

        Path(a.port_file).write_text(str(site.port))
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        site.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
