"""OGP regions of members: a shipped table (`ogptui/data/regions.tsv`, its source stated at its top).

Member pages do not say a member's region, so it comes from the member's country: a national member is its
country (by slug or name), a local member ("Buenos Aires, Argentina", slug `buenos-aires-argentina`) takes
its country's region. A member whose country is not in the table has no region (None, shown "unknown
region"), never a guessed one. No Textual here.
"""

from __future__ import annotations

import functools
import re
from importlib import resources

from ogptui.clean import fold
from ogptui.i18n import N_, _

REGIONS = ("Africa and the Middle East", "Asia and the Pacific", "Americas", "Europe")
UNKNOWN = "unknown region"
LEVELS = ("national", "local")
_NON_WORD = re.compile(r"[^a-z0-9]+")
# How a person reads them, in the interface language (the names above are keys, kept in English).
_WORDS = {
    "Africa and the Middle East": N_("Africa and the Middle East"),
    "Asia and the Pacific": N_("Asia and the Pacific"),
    "Americas": N_("Americas"),
    "Europe": N_("Europe"),
    UNKNOWN: N_("unknown region"),
    "national": N_("national"),
    "local": N_("local"),
}


def word(name: str | None) -> str:
    """A region or level (`Americas`, `national`) in the interface language; another word as it is."""
    if not name:
        return ""
    return _(_WORDS[name]) if name in _WORDS else name


def _key(text: str) -> str:
    """Names and slugs compared alike: folded, apostrophes dropped, any other run of punctuation a dash."""
    return _NON_WORD.sub("-", fold(text).replace("'", "").replace("’", "")).strip("-")


@functools.cache
def table() -> dict[str, str]:
    """{country key: region} for every country name, alias and slug in the shipped table."""
    text = resources.files("ogptui.data").joinpath("regions.tsv").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    header = True
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if header:  # the column names
            header = False
            continue
        country, region, *rest = line.split("\t")
        if region not in REGIONS:
            raise ValueError(f"regions.tsv: {country!r} has an unknown region {region!r}")
        for name in [country, *(rest[0].split(";") if rest and rest[0] else [])]:
            out[_key(name)] = region
    return out


def country_region(country: str | None) -> str | None:
    return table().get(_key(country or "")) if country else None


def member_region(slug: str, name: str | None = None, level: str | None = None) -> str | None:
    """The region of a member (None when its country is not in the table)."""
    t = table()
    if name:
        country = name.rsplit(",", 1)[-1] if level == "local" or "," in name else name
        found = t.get(_key(country))
        if found:
            return found
    key = _key(slug)
    if key in t:
        return t[key]
    # a local member's slug ends with its country's slug: "buenos-aires-argentina"
    parts = key.split("-")
    for i in range(1, len(parts)):
        found = t.get("-".join(parts[i:]))
        if found:
            return found
    return None


def parse_region(text: str) -> str:
    """A region from what someone typed: its name, a unique start of it ("asia", "africa"), or "unknown".
    ValueError (one sentence listing the choices) otherwise."""
    want = _key(text)
    if want in ("unknown", "unknown-region", "none"):
        return UNKNOWN
    hits = [r for r in REGIONS if _key(r) == want] or [r for r in REGIONS if _key(r).startswith(want)]
    if want and len(hits) == 1:
        return hits[0]
    choices = ", ".join(f"'{r}'" for r in REGIONS)
    raise ValueError(
        f"region must be one of {choices} (or a unique start such as 'asia', or 'unknown'), not '{text}'"
    )


def parse_level(text: str) -> str:
    want = fold(text).strip()
    if want in LEVELS:
        return want
    raise ValueError(f"level must be 'national' or 'local', not '{text}'")
