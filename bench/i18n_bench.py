"""Start-up cost of the interface language: the standard library's `gettext` (what ogptui runs) against
Babel (what builds the catalogs), each in a fresh interpreter, median of N runs.

    python -m bench.i18n_bench [N]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

CASES = {
    "python -c pass": "pass",
    "ogptui.i18n, French catalog loaded, one lookup": (
        "from ogptui import i18n; i18n.set_language('fr'); i18n.ngettext('{n} day ago', '{n} days ago', 3)"
    ),
    "babel.dates format_timedelta (French, 3 days ago)": (
        "import babel.dates; babel.dates.format_timedelta(-259200, add_direction=True, locale='fr')"
    ),
}


def run(n: int = 9) -> dict[str, float]:
    out = {}
    for name, code in CASES.items():
        times = []
        for _ in range(n):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True)
            times.append(time.perf_counter() - start)
        out[name] = statistics.median(times) * 1000
    return out


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 9
    results = run(n)
    base = results["python -c pass"]
    for name, ms in results.items():
        print(f"{name:<52} {ms:6.1f} ms  (+{ms - base:5.1f} ms over a bare interpreter)")


if __name__ == "__main__":
    main()
