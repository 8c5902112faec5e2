"""Commitment page: blocks → CommitmentPage, from `Label: value` lines and section headings (EN/ES/FR)."""

from __future__ import annotations

import re
from dataclasses import fields

from ogptui.clean import clean_multiline, clean_text
from ogptui.model import TEXT, CommitmentDetails, CommitmentPage, PageRejected
from ogptui.parse.blocks import Block
from ogptui.parse.common import Line, commitment_id_from_url, flatten, is_chrome, key_of, lang_from_url
from ogptui.parse.labels import COMMITMENT_FIELDS, COMMITMENT_SECTIONS, norm_set, table_index
from ogptui.vocab import COMMITMENT_VALUES, VALUE_FIELDS, canonical_value

_FIELDS = table_index(COMMITMENT_FIELDS)
_SECTIONS = table_index(COMMITMENT_SECTIONS)
TITLE_ID_RE = re.compile(r"^(.*\S)\s*\(\s*([A-Za-z]{2,8}\d{2,6}[A-Za-z0-9]*)\s*\)$")
_TITLE_END = re.compile(r"(?:\d{2}|\)|Report|Review|Brief|Plan|Informe|Rapport|Revisión|Revue)$", re.I)
_FOOTER = frozenset({"open government partnership"})
_TEXT_FIELDS = tuple(
    f for f in fields(CommitmentDetails) if f.name in COMMITMENT_FIELDS and f.metadata["type"] == TEXT
)
# Fields of the IRM block: when one follows the description, the description has ended (pages still
# pending review can put the description before the IRM block).
_IRM_FIELDS = frozenset(
    {
        "irm_reports",
        "starred",
        "early_results",
        "verifiable",
        "relevant_to_ogp_values",
        "ambition",
        "potential_impact",
        "completion",
    }
)
_AFTER_DESCRIPTION = frozenset({"irm_review", "design", "implementation"})
_PENDING = norm_set(
    ("Pending IRM Review", *(w for words in COMMITMENT_VALUES["Pending IRM Review"].values() for w in words))
)


def parse_commitment(
    blocks: list[Block],
    *,
    url: str | None,
    fetched_at: str | None,
    lang: str | None = None,
    lines: list[Line] | None = None,
) -> CommitmentPage:
    lines = flatten(blocks) if lines is None else lines
    warnings: list[str] = []
    title_at, title, cid = _find_title(lines)
    cid = cid or commitment_id_from_url(url)
    if cid is None:
        raise PageRejected("the page has no commitment ID, so it is not a commitment page")
    page = CommitmentPage(id=cid.upper(), title=title, url=url, fetched_at=fetched_at, warnings=warnings)
    if title_at is not None:
        page.member = _member_name(lines[:title_at])

    values: dict[str, str | None] = {}
    langs: list[str] = []
    section: str | None = None
    description: list[str] = []
    pending_text: list[str] = []  # text after a bare "Pending IRM Review" marker
    policy_lines: list[str] = []
    for line in lines[(title_at or -1) + 1 :]:
        text = line.text
        if section == "description" and len(text) > 90 and ":" not in text[:91]:
            description.append(_line_text(line))  # prose: neither a heading nor a `Label:` line
            continue
        key = key_of(text) if line.standalone else None
        label, sep, value = text.partition(":")
        hit = _FIELDS.get(key_of(label) or "") if sep else None
        if section == "description":
            ends = (hit is not None and hit[0] in _IRM_FIELDS and hit[0] not in values) or (
                key is not None and _SECTIONS.get(key, ("",))[0] == "irm_review" and ":" not in text
            )
            if not ends:
                description.append(_line_text(line))
                continue
            section = "after_description"
            while description and key_of(description[-1]) in _SECTIONS:
                description.pop()  # a "Design" / "Implementation" heading that came before the IRM block
        if key is not None and key in _SECTIONS and ":" not in text:
            section, lang_seen = _SECTIONS[key]
            langs.append(lang_seen)
            continue
        if hit and hit[0] not in values:
            values[hit[0]] = clean_text(value) or None
            langs.append(hit[1])
            continue
        if key is not None and key in _PENDING and section != "description":
            section = "pending"
            values.setdefault("irm_reports", clean_text(text))
            continue
        if section == "pending":
            pending_text.append(_line_text(line))
            continue
        if section == "policy_areas" and "policy_areas" not in values:
            policy_lines.append(text)

    for f in _TEXT_FIELDS:  # the one-line text fields, declared with their caps in ogptui/model.py
        setattr(page, f.name, clean_text(values.get(f.name) or "", cap=f.metadata["cap"]) or None)
    for name in VALUE_FIELDS:  # `Oui` → `Yes`, `Haut` → `High`: the words the rest of the code compares
        setattr(page, name, canonical_value(getattr(page, name)))
    cycle = values.get("action_plan_cycle")
    page.action_plan_cycle = int(cycle) if cycle and cycle.isascii() and cycle.isdigit() else None
    if cycle and page.action_plan_cycle is None:
        warnings.append(f"action plan cycle is not a year: {cycle[:40]}")
    areas = values.get("policy_areas") or ", ".join(policy_lines)
    page.policy_areas = [a.strip() for a in areas.split(",") if a.strip()]
    page.irm_reports = [
        "Pending IRM Review" if key_of(r) in _PENDING else r for r in split_reports(values.get("irm_reports"))
    ]
    if not description and pending_text:
        description = pending_text
    while description and description[-1].strip().casefold() in _FOOTER:
        description.pop()
    page.description = clean_multiline("\n".join(description)) or None
    page.language = (
        lang or lang_from_url(url) or (max(("en", "es", "fr"), key=langs.count) if langs else None)
    )
    if not values:
        warnings.append("no At-a-Glance fields found")
    if page.description is None:
        warnings.append("no Description")
    return page


def _find_title(lines: list[Line]) -> tuple[int | None, str | None, str | None]:
    for i, line in enumerate(lines):
        if len(line.text) > 600:
            continue
        m = TITLE_ID_RE.match(line.text)
        if m:
            return i, clean_text(m.group(1)), m.group(2).upper()
    return None, None, None


def _member_name(lines: list[Line]) -> str | None:
    for line in reversed(lines):
        if line.standalone and not is_chrome(line.text) and len(line.text) <= 200:
            return line.text
    return None


def _line_text(line: Line) -> str:
    b = line.block
    if b.kind == "item" and line.index == 0:
        return f"{b.ordinal}. {line.text}" if b.ordinal is not None else f"• {line.text}"
    return line.text


def split_reports(value: str | None) -> list[str]:
    """`A Report 2018-2021, B Report 2018-2020` → two titles; a comma inside a title stays.

    A comma splits only where the text before it ends like a report title (a year or year range, or a word
    such as Report/Review/Informe/Rapport) — titles themselves rarely hold such a comma. Values are kept as
    the page states them (`Pending IRM Review` → ["Pending IRM Review"]).
    """
    if not value:
        return []
    out: list[str] = []
    for part in value.split(", "):
        part = part.strip()
        if not part:
            continue
        if out and not (_TITLE_END.search(out[-1]) and part[:1].isupper()):
            out[-1] = f"{out[-1]}, {part}"
        else:
            out.append(part)
    return out
