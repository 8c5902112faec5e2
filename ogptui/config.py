"""Where data lives, and the settings file.

Paths come from platformdirs; `OGPTUI_HOME` puts everything (both databases and settings) in one folder,
which is what tests and portable installs use.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import platformdirs

APP_NAME = "ogptui"
DEFAULT_SOURCE = "https://www.opengovpartnership.org"


class ConfigError(Exception):
    """A configuration problem the user must fix (one sentence)."""


@dataclass(frozen=True)
class Paths:
    home: Path
    cache_db: Path
    user_db: Path
    settings: Path

    def to_dict(self) -> dict[str, str]:
        return {k: str(v) for k, v in asdict(self).items()}


def paths() -> Paths:
    env = os.environ.get("OGPTUI_HOME")
    if env:
        home = Path(env).expanduser()
        settings = home / "settings.json"
    else:
        home = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
        settings = Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "settings.json"
    return Paths(home=home, cache_db=home / "cache.db", user_db=home / "user.db", settings=settings)


def ensure_home(p: Paths | None = None) -> Paths:
    p = p or paths()
    if p.home.exists() and not p.home.is_dir():
        raise ConfigError(f"data folder {p.home} is a file, not a folder; point OGPTUI_HOME at a folder")
    try:
        p.home.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ConfigError(f"cannot create data folder {p.home}: {e.strerror or e}") from e
    return p


@dataclass
class Settings:
    source: str = DEFAULT_SOURCE
    concurrency: int = 4
    delay: float = 0.25  # seconds between request starts to one host (politeness)
    auto_sync: bool = True
    stale_hours: float = 24.0
    # Every N runs, fetch once without validators (some servers never update Last-Modified).
    revalidate_every: int = 10
    theme: str = "textual-dark"
    run_deadline: float = 3600.0  # seconds a whole sync (or mirror download) may take; 0 = no limit
    last_member: str | None = None

    @classmethod
    def load(cls, p: Paths | None = None) -> Settings:
        p = p or paths()
        try:
            raw = json.loads(p.settings.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(raw, dict):
            return cls()
        s = cls()
        for f in fields(cls):
            if f.name in raw and _type_ok(f.name, raw[f.name]):
                setattr(s, f.name, raw[f.name])
        return s

    def save(self, p: Paths | None = None) -> None:
        """Write atomically (temp file + rename) so a crash never leaves half a settings file."""
        p = p or paths()
        p.settings.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=p.settings.parent, prefix=".settings.", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(asdict(self), fh, indent=2)
            os.replace(tmp, p.settings)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


_TYPES = {f.name: f.type for f in fields(Settings)}


def _type_ok(name: str, value: object) -> bool:
    t = str(_TYPES[name])
    if "bool" in t:
        return isinstance(value, bool)
    if "int" in t:
        return isinstance(value, int) and not isinstance(value, bool) and value > 0
    if "float" in t:
        return isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0
    if "None" in t:
        return value is None or isinstance(value, str)
    return isinstance(value, str)
