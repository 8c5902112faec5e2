"""The rules settings and command-line options are checked by: one `Rule` per kind of value (a range of
integers, a number with a unit, a flag, an http(s) address, a name, a choice, a member slug, a sort order).

`Rule.check` takes a value from a settings file (JSON types), `Rule.from_text` the same from a command-line
option, so a limit is written once; both raise ValueError with one sentence naming the setting and what is
allowed. Strings are cleaned (`ogptui.clean`); an address holding controls is refused, never cleaned.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from ogptui.clean import clean_text
from ogptui.urls import slug_problem, url_problem


class _Bad(Exception):
    """A value a rule refuses; `reason` replaces the generic "must be ..." when given."""

    def __init__(self, reason: str = ""):
        super().__init__(reason)
        self.reason = reason


def shown(value: object, limit: int = 60) -> str:
    """A value as it may appear in a message: short, and never a control character (repr/JSON escape them)."""
    if isinstance(value, str):
        return repr(value[:limit]) + ("…" if len(value) > limit else "")
    try:
        text = json.dumps(value, ensure_ascii=True)
    except (TypeError, ValueError):  # not JSON, or an integer too long to print
        text = f"a {type(value).__name__} value"
    return text[:limit] + ("…" if len(text) > limit else "")


class Rule:
    """What a value must be (`what`, for messages) and how to check a JSON value or parse a command line."""

    what = "a valid value"

    def convert(self, value: object) -> Any:  # pragma: no cover - every rule overrides it
        raise NotImplementedError

    def parse(self, text: str) -> object:
        """A command-line string as the JSON-ish value `convert` expects (raise _Bad if it is none)."""
        return text

    def _message(self, name: str, value: object, bad: _Bad) -> str:
        if bad.reason:
            return f"{name} {shown(value)} {bad.reason}"
        return f"{name} must be {self.what}, not {shown(value)}"

    def check(self, value: object, name: str) -> Any:
        """The value to use; ValueError (one sentence naming `name`) if the value breaks the rule."""
        try:
            return self.convert(value)
        except _Bad as bad:
            raise ValueError(self._message(name, value, bad)) from None

    def from_text(self, text: str, name: str) -> Any:
        """The same check for a command-line string (argparse type functions call this)."""
        try:
            return self.convert(self.parse(text))
        except _Bad as bad:
            raise ValueError(self._message(name, text, bad)) from None


class IntRange(Rule):
    def __init__(self, lo: int, hi: int):
        self.lo, self.hi = lo, hi
        self.what = f"a whole number from {lo} to {hi}"

    def parse(self, text: str) -> object:
        try:
            return int(text.strip())
        except ValueError:
            raise _Bad() from None

    def convert(self, value: object) -> int:
        if isinstance(value, float) and math.isfinite(value) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not self.lo <= value <= self.hi:
            raise _Bad()
        return value


class NumberRange(Rule):
    def __init__(self, lo: float, hi: float, unit: str = ""):
        self.lo, self.hi = lo, hi
        self.what = f"a number{unit} from {lo:g} to {hi:g}"

    def parse(self, text: str) -> object:
        try:
            return float(text.strip())
        except ValueError:
            raise _Bad() from None

    def convert(self, value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _Bad()
        try:
            v = float(value)
        except OverflowError:  # an int too big for a float
            raise _Bad() from None
        if not (math.isfinite(v) and self.lo <= v <= self.hi):  # NaN and ±Infinity fail here
            raise _Bad()
        return v


class Flag(Rule):
    what = "true or false"

    def parse(self, text: str) -> object:
        word = text.strip().lower()
        if word in ("true", "yes", "on", "1"):
            return True
        if word in ("false", "no", "off", "0"):
            return False
        raise _Bad()

    def convert(self, value: object) -> bool:
        if not isinstance(value, bool):
            raise _Bad()
        return value


class HttpUrl(Rule):
    """An http(s) address with a host and a valid port; spaces and control characters are refused."""

    what = "an http(s) address such as https://www.opengovpartnership.org"

    def convert(self, value: object) -> str:
        if not isinstance(value, str):
            raise _Bad()
        problem = url_problem(value)
        if problem:
            raise _Bad(problem)
        return value.strip().rstrip("/")


class Name(Rule):
    """A short single-line string, cleaned; `pattern` (optional) is what the cleaned text must match."""

    def __init__(self, cap: int, pattern: str | None = None):
        self.cap, self.pattern = cap, pattern
        self.what = f"a name of at most {cap} characters" + (f" matching {pattern}" if pattern else "")

    def convert(self, value: object) -> str:
        if not isinstance(value, str):
            raise _Bad()
        text = clean_text(value, cap=self.cap + 1)
        if not text or len(text) > self.cap or (self.pattern and not re.fullmatch(self.pattern, text)):
            raise _Bad()
        return text


class Choice(Rule):
    """One of a few words (lower-cased)."""

    def __init__(self, *words: str):
        self.words = words
        self.what = "one of " + ", ".join(words)

    def convert(self, value: object) -> str:
        if not isinstance(value, str) or value.strip().lower() not in self.words:
            raise _Bad()
        return value.strip().lower()


class Slug(Rule):
    """A member slug as it appears in `/members/<slug>/`: lower-cased; no spaces, controls, `/`, `?`, `#`."""

    what = "a member slug such as peru or buenos-aires-argentina"

    def __init__(self, optional: bool = False):
        self.optional = optional

    def convert(self, value: object) -> str | None:
        if value is None and self.optional:
            return None
        if not isinstance(value, str):
            raise _Bad()
        slug = value.strip().lower()
        if slug_problem(slug):
            raise _Bad(f"is not {self.what}")
        return slug


class SortOrder(Rule):
    """How a table is sorted: "" (its own order), a column name (ascending) or "-" and a column name
    (descending)."""

    def __init__(self, columns: tuple[str, ...]):
        self.columns = columns
        self.what = f'"" or a column ({", ".join(columns)}), with "-" in front for descending'

    def convert(self, value: object) -> str:
        if not isinstance(value, str) or value.removeprefix("-") not in ("", *self.columns) or value == "-":
            raise _Bad()
        return value


# The columns the TUI's sortable tables have (tests/test_tui_sort.py checks the tables agree).
