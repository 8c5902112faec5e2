"""`ogptui parse FILE --explain`: which rule found each part of a page, and every warning.

The member parser records its own trace (heading label or item shape, per section); for the other page
kinds the parts are described from the record.
"""

from __future__ import annotations

from ogptui.model import CommitmentPage, DirectoryPage, DocumentPage, Record


def trace_record(rec: Record) -> list[tuple[str, str]]:
    """(part, rule) pairs for a commitment, document or directory record."""
    out: list[tuple[str, str]] = []
    if isinstance(rec, CommitmentPage):
        out.append(("title and ID", "the `Title (ID)` line" if rec.title else "the address"))
        known = [f for f, v in rec.details().items() if v not in (None, [])]
        out.append(("fields", f"`Label: value` lines and section headings: {len(known)} found"))
        if rec.description:
            out.append(("description", "the text under Description (or after Pending IRM Review)"))
    elif isinstance(rec, DocumentPage):
        out.append(("title", "the first heading"))
        if rec.summary:
            out.append(("summary", "the first paragraph after the title"))
        if rec.at_a_glance:
            out.append(
                (
                    "at a glance",
                    f"rows (`Label: value`, `Label   value`, label then value): {len(rec.at_a_glance)}",
                )
            )
        for s in rec.sections:
            out.append(
                ("section", f"heading {s.heading!r}" if s.heading else "text before the first heading")
            )
        if rec.attachments:
            out.append(("attachments", f"links to files on the page's own host: {len(rec.attachments)}"))
    elif isinstance(rec, DirectoryPage):
        out.append(("members", f"member links and `Joined in YEAR` lines: {len(rec.members)}"))
    return out


def explain_lines(rec: Record, trace: list[tuple[str, str]]) -> list[str]:
    """The explanation as plain lines: one per part found, then one per warning."""
    lines = [f"{part}: {rule}" for part, rule in trace]
    warnings = rec.warnings
    lines.append(f"warnings: {len(warnings)}" if warnings else "warnings: none")
    lines += [f"  - {w}" for w in warnings]
    return lines


def explain_text(rec: Record, trace: list[tuple[str, str]]) -> str:
    return "\n".join(["", "How this page was read:", *(f"  {x}" for x in explain_lines(rec, trace))])
