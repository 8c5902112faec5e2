"""Make docs/screenshot.svg: Peru's overview at 120x36, from the embedded data (not a test).

Run: `.venv/bin/python tests/make_screenshot.py` — uses a throw-away data folder and a fixed clock.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


async def main(out: Path) -> None:
    from tests.tuikit import make_app

    app = make_app(slug="peru")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        app.save_screenshot(filename=out.name, path=str(out.parent))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ["OGPTUI_HOME"] = tempfile.mkdtemp(prefix="ogptui-shot-")
    os.environ["OGPTUI_NO_AUTOSYNC"] = "1"
    target = ROOT / "docs" / "screenshot.svg"
    target.parent.mkdir(exist_ok=True)
    asyncio.run(main(target))
    print(target)
