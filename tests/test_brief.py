"""Exports for people: the Markdown brief and CSV tables (embedded Peru, hostile text, file naming)."""

from __future__ import annotations

import copy
import csv
import io
import json
import re
from datetime import date

import pytest

from ogptui.brief import brief_filename, md_text, member_csv, member_markdown, write_brief
from ogptui.cli import main
from ogptui.model import Commitment, Contact, Member, PerformanceRow, Resource
from ogptui.seed import open_store
from tests.fakesite.data import default_site


@pytest.fixture
def peru() -> Member:
    with open_store() as store:  # an empty home: the embedded Peru page
        m = store.get_member("peru")
    assert m is not None
    return m


def section(md: str, title: str) -> str:
    m = re.search(rf"^## {re.escape(title)}.*?$(.*?)(?=^## |\Z)", md, re.M | re.S)
    assert m, f"no section {title}"
    return m.group(1)


def test_peru_brief_has_overview_metrics_and_all_resources(peru):
    md = member_markdown(peru, "◆ embedded sample captured 2026-11-28")
    assert md.startswith("# Peru: OGP member brief\n")
    overview = section(md, "Overview")
    assert "| Member since | 2011 |" in overview
    assert "| Action plans | 5 |" in overview
    assert "| Resources | 40 |" in overview
    plan = section(md, "Current action plan")
    assert "**Years:** 2023-2025" in plan and "**Commitments:** 13" in plan
    metrics = section(md, "Starred metrics")
    assert "| Action plan | Major results | Outstanding results | Starred | Raw values |" in metrics
    assert "| 2 | 3 | 0 | 3 | 3, 0, 3 |" in metrics
    assert "| 4 | 0 | 1 | 0 | 0, 1, 0 |" in metrics
    assert "| 1 | — | — | — | 0 |" in metrics  # ambiguous row kept, with its raw value
    resources = section(md, "Resources")
    items = [line for line in resources.splitlines() if line.startswith("- ")]
    assert len(items) == 40 == len(peru.resources)
    for r in peru.resources:
        assert any(md_text(r.title) in line for line in items), r.title
    years = re.findall(r"^### (\d{4})$", resources, re.M)
    assert years == sorted(set(years), reverse=True) and years[0] == "2024"
    assert "Luis Sebastián River Cheng" in section(md, "Contacts")
    assert "embedded sample captured 2026-11-28" in md


def test_brief_of_fake_member_lists_commitments_with_details():
    m = copy.deepcopy(default_site().members[0])
    m.commitments[0].status = "Completed"
    md = member_markdown(m, None)
    table = section(md, "Commitments")
    rows = [line for line in table.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(rows) == len(m.commitments) + 1
    assert "Completed" in rows[1]


def hostile() -> Member:
    return Member(
        slug="../Evil Slug!",
        name="# Pwned | <script>alert(1)</script>",
        member_since=2011,
        contacts=[
            Contact("**Bold** [x](javascript:alert(1))", "Head | Deputy\n## not a heading", "a_b@c.org")
        ],
        commitments=[
            Commitment("XX01", "Cells | with | pipes", 2020, "=cmd|' /C calc'!A0", "javascript:alert(1)")
        ],
        resources=[
            Resource("1. Not a list", 2020, "- dash", None, "https://example.org/a (b)"),
            Resource("> quote &copy; `code`", None, None, None, "http://insecure.example/x"),
            Resource("Report [final]", 2021, None, None, "https://example.org/report(1)<2>.pdf"),
        ],
        performance=[PerformanceRow(1, 1, 2, 3, [1, 2, 3])],
    )


def test_scraped_text_never_becomes_markdown_structure():
    md = member_markdown(hostile(), "fresh | now")
    lines = md.splitlines()
    headings = [line for line in lines if line.startswith("#")]
    assert headings[0] == r"# \# Pwned \| \<script\>alert(1)\</script\>: OGP member brief"
    assert all(h.startswith(("# ", "## ", "### ")) for h in headings)
    assert not any("not a heading" in h for h in headings)
    # Every table row has exactly as many unescaped pipes as its header.
    for block in re.findall(r"((?:^\|.*\n)+)", md, re.M):
        counts = {len(re.findall(r"(?<!\\)\|", row)) for row in block.splitlines()}
        assert len(counts) == 1, block
    # Every real (unescaped) link points at an https:// URL; the javascript: and http:// ones stay text.
    targets = re.findall(r"(?<!\\)\]\((\S+?)\)", md)
    assert targets == ["<https://example.org/report%281%29%3C2%3E.pdf>"], targets
    assert r"[Report \[final\]](<https://example.org/" in md
    assert "](<http://insecure" not in md
    assert "[https://example.org/a (b)]" not in md
    assert "(<https://example.org/a%20%28b%29>)" not in md  # whitespace URLs are refused, not encoded
    assert r"1\. Not a list" in md
    assert r"\> quote \&copy; \`code\`" in md
    assert r"\*\*Bold\*\* \[x\](javascript:alert(1))" in md


def test_csv_parses_back(peru):
    text = member_csv(peru, "resources")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 40
    assert [r["title"] for r in rows] == [r.title for r in peru.resources]
    assert {r["member"] for r in rows} == {"peru"}
    assert rows[0]["year"] == str(peru.resources[0].year)

    m = default_site().members[0]
    rows = list(csv.DictReader(io.StringIO(member_csv(m, "commitments"))))
    assert [r["id"] for r in rows] == [c.id for c in m.commitments]
    assert rows[0]["title"] == m.commitments[0].title


def test_csv_neutralises_formulas_and_keeps_pipes():
    rows = list(csv.reader(io.StringIO(member_csv(hostile(), "commitments"))))
    assert rows[1][2] == "Cells | with | pipes"
    assert rows[1][4] == "'=cmd|' /C calc'!A0"
    res = list(csv.reader(io.StringIO(member_csv(hostile(), "resources"))))
    assert res[1][3] == "'- dash"
    with pytest.raises(ValueError):
        member_csv(hostile(), "posts")


def test_write_brief_never_overwrites(peru, tmp_path):
    first = write_brief(peru, "fresh", folder=tmp_path / "docs")
    second = write_brief(peru, "fresh", folder=tmp_path / "docs")
    assert first != second and first.exists() and second.exists()
    assert first.name == f"ogp-peru-brief-{date.today().isoformat()}.md"
    assert second.name == f"ogp-peru-brief-{date.today().isoformat()}-2.md"
    assert first.read_text(encoding="utf-8").startswith("# Peru")
    evil = write_brief(hostile(), None, folder=tmp_path / "docs")
    assert evil.parent == tmp_path / "docs" and evil.name.startswith("ogp-evil-slug-brief-")
    assert brief_filename("", date(2026, 1, 2)) == "ogp-member-brief-2026-01-02.md"


def test_write_brief_defaults_to_documents_folder(peru, tmp_path, monkeypatch):
    import platformdirs

    monkeypatch.delenv("OGPTUI_HOME")  # with OGPTUI_HOME set, briefs stay inside it (tests/test_tui_truth.py)
    monkeypatch.setattr(platformdirs, "user_documents_dir", lambda: str(tmp_path / "Documents"))
    path = write_brief(peru, None)
    assert path.parent == tmp_path / "Documents"


def test_show_formats(capsys):
    def run(*argv):
        rc = main(list(argv))
        out, err = capsys.readouterr()
        return rc, out, err

    rc, md, _ = run("show", "peru", "--format", "md")
    assert rc == 0 and md.startswith("# Peru: OGP member brief") and "◆ embedded sample" in md
    rc, text, _ = run("show", "peru", "--format", "csv", "--table", "resources")
    assert rc == 0 and len(list(csv.DictReader(io.StringIO(text)))) == 40
    rc, text, _ = run("show", "peru", "--format", "csv")
    assert rc == 0 and text.splitlines()[0].startswith("member,id,title")
    rc, a, _ = run("show", "peru", "--json")
    rc2, b, _ = run("show", "peru", "--format", "json")
    assert rc == rc2 == 0 and a == b and json.loads(a)["slug"] == "peru"
    rc, _, err = run("show", "peru", "--format", "md", "--table", "resources")
    assert rc == 2 and "--table only applies to --format csv" in err
    rc, _, err = run("show", "peru", "--json", "--format", "md")
    assert rc == 2 and "disagree" in err
    with pytest.raises(SystemExit) as exc:
        main(["show", "peru", "--format", "pdf"])
    assert exc.value.code == 2 and "invalid choice" in capsys.readouterr().err


# a store value that bypassed ingest cleaning (a bundle, an older version): the exports are still safe
STORED_ESCAPES = "\x1b]0;pwned\x07\x1b]52;c;ZXZpbA==\x07\x9b2J\u202eevil\u2066\x00\x07\rX"


def test_exports_are_safe_even_from_a_poisoned_member(tmp_path):
    bad = copy.deepcopy(default_site().members[0])
    slug = bad.slug
    bad.name += STORED_ESCAPES
    bad.slug += STORED_ESCAPES
    bad.commitments[0].title = STORED_ESCAPES
    bad.commitments[0].status = "=cmd|" + STORED_ESCAPES
    bad.resources[0].title = STORED_ESCAPES
    bad.resources[0].type = "\r" + STORED_ESCAPES
    bad.contacts[0].email = STORED_ESCAPES
    bad.performance[0].raw = [STORED_ESCAPES]
    written = write_brief(bad, STORED_ESCAPES, folder=tmp_path).read_text(encoding="utf-8")
    outputs = [member_markdown(bad, STORED_ESCAPES), written] + [member_csv(bad, t) for t in ("commitments", "resources")]
    for text in outputs:
        assert re.findall(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|\r(?!\n)", text) == []
        assert "pwned" not in text and "ZXZpbA" not in text and "evil" in text
    rows = list(csv.reader(io.StringIO(outputs[2])))
    assert rows[1][0].startswith(slug) and rows[1][7].startswith("'=cmd")  # still a neutralised formula
