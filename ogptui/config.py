"""Where data lives, and the settings file.

Paths come from platformdirs; `OGPTUI_HOME` puts everything (both databases and settings) in one folder,
which is what tests and portable installs use.

Settings are validated on load, one rule per setting (`setting(default, rule)` on the `Settings` field),
and the command-line options that set the same thing use the same rule (`Rule.from_text`), so a limit is
written once. A bad value is reported in one line naming the key and the file, and the default is used; a
file that cannot be parsed at all is moved aside as `settings.json.bad-<time>`, never overwritten. Every
string read from the file is cleaned (`ogptui.clean`) or, for the source address, refused if it holds
controls. Loading never raises: problems end up in `Settings.notices` for the CLI or the TUI to show.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import platformdirs

from ogptui.clean import clean_text
from ogptui.rules import Choice, Flag, HttpUrl, IntRange, Name, NumberRange, Rule, Slug, SortOrder, shown

APP_NAME = "ogptui"
DEFAULT_SOURCE = "https://www.opengovpartnership.org"
SETTINGS_MAX_BYTES = 1_000_000  # a settings file is a few hundred bytes; a bigger one is not ours


class ConfigError(Exception):
    """A configuration problem the user must fix (one sentence)."""


@dataclass(frozen=True)
class Paths:
    home: Path
    cache_db: Path
    user_db: Path
    settings: Path
    briefs: Path  # where the TUI's `e` writes Markdown briefs (created only when one is written)

    @property
    def files(self) -> Path:
        """Attachments (PDFs…) of documents, stored by content (`files/<sha256[:2]>/<sha256>.<ext>`)."""
        return self.home / "files"

    def to_dict(self) -> dict[str, str]:
        return {**{k: str(v) for k, v in asdict(self).items()}, "files": str(self.files)}


def paths() -> Paths:
    env = os.environ.get("OGPTUI_HOME")
    if env:
        home = Path(env).expanduser()
        settings = home / "settings.json"
        briefs = home / "briefs"  # everything in the one folder: nothing lands in ~/Documents
    else:
        home = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
        settings = Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "settings.json"
        briefs = Path(platformdirs.user_documents_dir())
    return Paths(
        home=home, cache_db=home / "cache.db", user_db=home / "user.db", settings=settings, briefs=briefs
    )


def ensure_home(p: Paths | None = None) -> Paths:
    p = p or paths()
    if p.home.exists() and not p.home.is_dir():
        raise ConfigError(f"data folder {p.home} is a file, not a folder; point OGPTUI_HOME at a folder")
    try:
        p.home.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ConfigError(f"cannot create data folder {p.home}: {e.strerror or e}") from e
    return p


# ---- rules: one per setting, shared with the command-line options ---------------------------------
SORT_COLUMNS = {
    "members": ("watched", "name", "level", "since", "plan", "commitments", "resources", "freshness"),
    "commitments": ("id", "title", "year", "policy_area", "status", "early_results", "completion"),
    "resources": ("year", "title", "type", "format", "offline"),
}


# The command-line options use these very rules (see ogptui/cli/sync.py).
SOURCE = HttpUrl()
SLUG = Slug()
CONCURRENCY = IntRange(1, 16)
DELAY = NumberRange(0, 60, unit=" of seconds")
RUN_DEADLINE = NumberRange(0, 7 * 24 * 3600, unit=" of seconds")
# Documents behind resources: none, their pages only, or pages and attachment files (PDFs…).
DOCUMENTS = Choice("none", "pages", "all")
LANGUAGE = Choice("", "en", "es", "fr")
LANGUAGE.what = 'one of "en", "es", "fr", or "" (follow the locale)'
CONTENT_LANGUAGE = Choice("same", "en", "es", "fr")
CONTENT_LANGUAGE.what = 'one of "same" (as the interface), "en", "es", "fr"'
MAX_FILE_MB = IntRange(1, 10_000)
FILES_BUDGET_MB = IntRange(1, 10_000_000)
MAX_AGE_DAYS = IntRange(0, 3650)


def setting(default: Any, rule: Rule) -> Any:
    """A settings field: its default and the rule its value must follow (one line per setting)."""
    return field(default=default, metadata={"rule": rule})


# ---- the settings file ---------------------------------------------------------------------------
@dataclass
class Settings:
    source: str = setting(DEFAULT_SOURCE, SOURCE)
    concurrency: int = setting(4, CONCURRENCY)
    delay: float = setting(0.25, DELAY)  # seconds between request starts to one host (politeness)
    auto_sync: bool = setting(True, Flag())
    stale_hours: float = setting(24.0, NumberRange(0.1, 87_600, unit=" of hours"))
    # Every N runs, fetch once without validators (some servers never update Last-Modified); 0 = never.
    revalidate_every: int = setting(10, IntRange(0, 10_000))
    theme: str = setting("textual-dark", Name(64, pattern=r"[A-Za-z0-9][A-Za-z0-9_.-]*"))
    # Seconds a whole sync (or mirror download) may take; 0 = no limit.
    run_deadline: float = setting(3600.0, RUN_DEADLINE)
    last_member: str | None = setting(None, Slug(optional=True))
    # Documents of members synced by name or watched: "all" (pages and files), "pages" or "none".
    documents: str = setting("all", DOCUMENTS)
    max_file_mb: int = setting(50, MAX_FILE_MB)  # an attachment larger than this is not downloaded
    files_budget_mb: int = setting(2000, FILES_BUDGET_MB)  # all attachments together; oldest unwatched go first
    # How the TUI's tables are sorted (S, or a click on a header): "" = their own order.
    sort_members: str = setting("", SortOrder(SORT_COLUMNS["members"]))
    sort_commitments: str = setting("", SortOrder(SORT_COLUMNS["commitments"]))
    sort_resources: str = setting("", SortOrder(SORT_COLUMNS["resources"]))
    # A member page is checked on every sync; its commitment and document pages (and files) only when the
    # member page changed or their own last check is older than this many days (spread by up to a quarter
    # per page, so pages fetched together do not all fall due on one day); 0 = check everything every time.
    max_age_days: int = setting(7, MAX_AGE_DAYS)
    # The interface language: "en", "es", "fr", or "" to follow the locale (LC_ALL, LC_MESSAGES, LANG);
    # `--lang` overrides it for one run.
    language: str = setting("", LANGUAGE)
    # The language of the OGP pages sync fetches (`/es/…`, `/fr/…`) and screens show: "same" = the
    # interface language. A member not synced in it is shown in a language it is cached in, with a note.
    content_language: str = setting("same", CONTENT_LANGUAGE)
    # Not settings: what loading found wrong (one sentence each), and what `save` must keep as it was.
    notices: list[str] = field(default_factory=list, repr=False, compare=False, metadata={})
    _kept: dict[str, Any] = field(default_factory=dict, repr=False, compare=False, metadata={})
    _frozen: bool = field(default=False, repr=False, compare=False, metadata={})

    @classmethod
    def rules(cls) -> dict[str, Rule]:
        return {f.name: f.metadata["rule"] for f in fields(cls) if "rule" in f.metadata}

    @classmethod
    def load(cls, p: Paths | None = None) -> Settings:
        """The settings in the file, each checked by its rule; never raises (see `notices`)."""
        p = p or paths()
        s = cls()
        path = p.settings
        raw, problem = _read_json(path)
        if problem is not None:
            s._frozen = True  # until it is moved aside, never write over a file we could not read
            if problem.startswith("cannot read"):
                s.notices.append(f"{problem}; using the default settings")
                return s
            try:
                target = _move_aside(path)
            except OSError as e:
                s.notices.append(
                    f"{path} {problem} and could not be moved aside ({e.strerror or e}); "
                    "using the default settings; fix or remove the file"
                )
                return s
            s._frozen = False
            s.notices.append(f"{path} {problem}; moved it to {target.name}; using the default settings")
            return s
        if raw is None:
            return s
        rules = cls.rules()
        for key, value in raw.items():
            rule = rules.get(key)
            if rule is None:
                s._kept[key] = value
                s.notices.append(
                    f"{path}: unknown setting {shown(key)} is ignored; known settings: {', '.join(rules)}"
                )
                continue
            try:
                setattr(s, key, rule.check(value, f'"{key}"'))
            except ValueError as e:
                s._kept[key] = value
                s.notices.append(f"{path}: {e}; using the default {shown(getattr(s, key))}")
        return s

    def save(self, p: Paths | None = None) -> None:
        """Write atomically (temp file + rename) so a crash never leaves half a settings file.

        What the user wrote and this version could not use (unknown keys, bad values not changed since)
        is written back as it was; a file that could not be read or moved aside is not written over.
        """
        if self._frozen:
            return
        p = p or paths()
        defaults = Settings()
        data = dict(self._kept)
        for name in self.rules():
            value = getattr(self, name)
            if name in self._kept and value == getattr(defaults, name):
                continue  # still the default that stood in for a bad value: keep the user's value
            data[name] = value
        p.settings.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=p.settings.parent, prefix=".settings.", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, indent=2)
            os.replace(tmp, p.settings)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def peek_setting(name: str, p: Paths | None = None) -> Any:
    """One setting's value as the file holds it, checked by its rule; None when absent, bad or unreadable.
    Reads only: unlike `Settings.load`, it never moves a bad file aside (the command that loads the
    settings later does that, and says so)."""
    try:
        raw, problem = _read_json((p or paths()).settings)
        if raw is None or name not in raw:
            return None
        return Settings.rules()[name].check(raw[name], f'"{name}"')
    except (ValueError, KeyError, ConfigError, OSError):
        return None


def _read_json(path: Path) -> tuple[dict[str, Any] | None, str | None]:
    """(object, None), (None, None) when there is no file, or (None, what is wrong with it)."""
    try:
        with path.open("rb") as fh:
            data = fh.read(SETTINGS_MAX_BYTES + 1)
    except (FileNotFoundError, NotADirectoryError):  # no file (or the folder is a file: said elsewhere)
        return None, None
    except OSError as e:
        return None, f"cannot read {path}: {e.strerror or e}"
    if len(data) > SETTINGS_MAX_BYTES:
        return None, f"is larger than {SETTINGS_MAX_BYTES // 1_000_000} MB"
    try:
        raw = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return None, "is not UTF-8 text"
    except RecursionError:
        return None, "is nested too deeply to be a settings file"
    except ValueError as e:  # JSONDecodeError, or an integer too long to convert
        return None, f"is not valid JSON ({clean_text(str(e), cap=120)})"
    if not isinstance(raw, dict):
        return None, "does not hold a JSON object ({...})"
    return raw, None


def aside_name(path: Path, tag: str) -> Path:
    """A free name beside `path` to move an unusable file to, `<name>.<tag>-<YYYYmmdd-HHMMSS>` (`-2`, `-3`...
    after it when taken), so that it is never deleted and never put over another (settings, databases)."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.{tag}-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.{tag}-{stamp}-{n}")
    return target


def _move_aside(path: Path) -> Path:
    """Rename an unusable settings file to `settings.json.bad-<time>` (never deleted, never overwritten)."""
    target = aside_name(path, "bad")
    path.rename(target)
    return target
