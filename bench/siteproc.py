"""The synthetic fake OGP site in its own process (so it never shares the GIL with the client measured).

    python -m bench.siteproc --members 200 --commitments 5000 --resources 8000 [--no-validators --nonce]

The child prints one JSON line ({"url": ..., "members": ..., "commitments": ...}) once it listens on
127.0.0.1, then answers commands read from stdin, one JSON line each:
`counters` (requests, conditional, not_modified, bytes_sent, statuses, max_in_flight, connections), `reset`, `quit`.
`SiteProcess` is the parent's side.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _counters(site) -> dict:
    with site._lock:
        c = site.counters
        return {
            "requests": c.requests,
            "conditional": c.conditional,
            "not_modified": c.not_modified,
            "bytes_sent": c.bytes_sent,
            "statuses": {str(k): v for k, v in sorted(c.statuses.items())},
            "max_in_flight": c.max_in_flight,
            "connections": c.connections,
        }


def main(argv: list[str] | None = None) -> int:
    sys.path.insert(0, str(ROOT))
    from tests.fakesite import FakeSite, synthetic_site

    ap = argparse.ArgumentParser(prog="python -m bench.siteproc")
    ap.add_argument("--members", type=int, default=200)
    ap.add_argument("--commitments", type=int, default=5000)
    ap.add_argument("--resources", type=int, default=8000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-validators", action="store_true")
    ap.add_argument("--nonce", action="store_true")
    a = ap.parse_args(argv)
    data = synthetic_site(members=a.members, commitments=a.commitments, resources=a.resources, seed=a.seed)
    site = FakeSite(data, port=0, validators=not a.no_validators, nonce=a.nonce).start()
    hello = {"url": site.url, "members": len(data.members), "commitments": len(data.commitments)}
    print(json.dumps(hello), flush=True)
    try:
        for line in sys.stdin:
            cmd = line.strip()
            if cmd == "counters":
                print(json.dumps(_counters(site)), flush=True)
            elif cmd == "reset":
                site.reset_counters()
                print("{}", flush=True)
            elif cmd == "quit":
                break
            else:
                print(json.dumps({"error": f"unknown command {cmd!r}"}), flush=True)
    finally:
        site.stop()
    return 0


class SiteProcess:
    """`with SiteProcess(members=200, ...) as site: site.url; site.counters(); site.reset()`."""

    def __init__(
        self,
        *,
        members: int = 200,
        commitments: int = 5000,
        resources: int = 8000,
        seed: int = 0,
        validators: bool = True,
        nonce: bool = False,
    ) -> None:
        self.args = [
            "--members",
            str(members),
            "--commitments",
            str(commitments),
            "--resources",
            str(resources),
            "--seed",
            str(seed),
        ]
        if not validators:
            self.args.append("--no-validators")
        if nonce:
            self.args.append("--nonce")
        self.proc: subprocess.Popen | None = None
        self.url = ""
        self.info: dict = {}

    @property
    def command(self) -> str:
        return "python -m bench.siteproc " + " ".join(self.args)

    def __enter__(self) -> SiteProcess:
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bench.siteproc", *self.args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=env,
        )
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("the fake site process did not start")
        self.info = json.loads(line)
        self.url = self.info["url"]
        return self

    def _ask(self, cmd: str) -> dict:
        assert self.proc is not None
        self.proc.stdin.write(cmd + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def counters(self) -> dict:
        return self._ask("counters")

    def reset(self) -> None:
        self._ask("reset")

    def __exit__(self, *exc: object) -> None:
        if self.proc is None:
            return
        try:
            self.proc.stdin.write("quit\n")
            self.proc.stdin.close()
            self.proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()
        finally:
            self.proc.stdout.close()
            self.proc = None


if __name__ == "__main__":
    raise SystemExit(main())
