"""Search: FTS5 index kept in step with writes, accent-insensitive prefix matching, IDs, filters, ranking,
hostile queries, recent searches, and the `ogptui search` command."""

from __future__ import annotations

import copy
import json
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ogptui.cli import main
from ogptui.model import Commitment, CommitmentPage, Contact, CurrentPlan, Member, Resource
from ogptui.search import Hit, fts_query, recent_searches, remember_search, search, snippet
from ogptui.seed import open_store


def member(slug: str = "ruritania", name: str = "Ruritania") -> Member:
    p = slug[:2].upper()  # commitment IDs are unique across members
    return Member(
        slug=slug,
        name=name,
        current_plan=CurrentPlan(summary="The plan improves public procurement and open courts."),
        contacts=[Contact("Ana Pérez", "Open Government Coordinator", "ana@gob.example", "government")],
        commitments=[
            Commitment(
                f"{p}0084", "Open budgets portal", 2019, "Fiscal Openness", f"https://x.test/c/{p}0084"
            ),
            Commitment(f"{p}0085", "Courts transparency", 2021, "Justice", f"https://x.test/c/{p}0085"),
            Commitment(f"{p}00841", "Budget training", 2021, "Fiscal Openness"),
        ],
        resources=[
            Resource(f"{name} Design Report 2019-2021", 2021, "IRM Report", "Web page", "https://x.test/r/0"),
            Resource(f"{name} Action Plan 2019-2021", 2019, "Action Plan", "Web page", "https://x.test/r/1"),
            Resource(f"{name} Letter of Support", 2020, "Letter", "Web page", "https://x.test/r/2"),
            Resource("Informe de Diseño Perú 2017", 2017, "IRM Report", "Web page", "https://x.test/r/3"),
        ],
    )


@pytest.fixture
def store(store):
    """The shared empty store with two members."""
    store.write_member(member())
    store.write_member(member("borduria", "Borduria"))
    return store


def titles(hits: list[Hit]) -> list[str]:
    return [h.title for h in hits]


def test_accent_insensitive_both_ways(store):
    assert "Informe de Diseño Perú 2017" in titles(search(store, "diseno peru"))
    assert "Informe de Diseño Perú 2017" in titles(search(store, "DISEÑO PERÚ"))
    assert titles(search(store, "perez", kind="contact")) == ["Ana Pérez", "Ana Pérez"]


def test_prefix_matching_while_typing(store):
    for typed in ("r", "ru", "rur", "rurit", "ruritania d", "ruritania des", "ruritania design r"):
        hits = search(store, typed, member="ruritania")
        assert hits, typed
    assert titles(search(store, "ruritania design r", kind="resource")) == [
        "Ruritania Design Report 2019-2021"
    ]
    assert titles(search(store, "des rep 2019", member="ruritania")) == ["Ruritania Design Report 2019-2021"]


def test_commitment_id_matches_exactly_and_case_insensitively(store):
    hits = search(store, "ru0084", member="ruritania")
    assert [(h.kind, h.id) for h in hits] == [("commitment", "RU0084")]
    h = hits[0]
    assert (h.ref, h.title, h.url, h.year, h.type) == (
        "RU0084",
        "Open budgets portal",
        "https://x.test/c/RU0084",
        2019,
        "Fiscal Openness",
    )
    assert search(store, "PE0084") == []
    # while typing a partial ID, it is a prefix
    assert {h.id for h in search(store, "RU008", member="ruritania")} == {"RU0084", "RU0085", "RU00841"}


def test_exact_id_comes_before_mentions(store):
    m = member()
    m.resources.append(Resource("Progress on RU0084 and the budgets portal", 2022, "Letter"))
    store.write_member(m)
    hits = search(store, "RU0084", member="ruritania")
    assert hits[0].kind == "commitment" and hits[0].id == "RU0084"
    assert "Progress on RU0084 and the budgets portal" in titles(hits)


def test_hit_fields_and_snippet(store):
    (h,) = search(store, "design report", member="ruritania")
    assert h.kind == "resource" and h.member_slug == "ruritania" and h.member_name == "Ruritania"
    assert h.ref == "0" and h.id is None and h.url == "https://x.test/r/0"
    assert h.snippet == "Ruritania «Design» «Report» 2019-2021"
    assert h.score > 0
    (c,) = search(store, "lead ana", member="ruritania") or [None]  # no such words: nothing
    assert c is None
    (c,) = search(store, "ana gob", member="ruritania")
    assert (c.kind, c.ref, c.id, c.type) == ("contact", "0", "ana@gob.example", "government")
    assert c.to_dict() == {
        "kind": "contact",
        "member": "ruritania",
        "id": "ana@gob.example",
        "title": "Ana Pérez",
        "url": None,
        "snippet": c.snippet,
        "score": c.score,
        "language": "en",  # of the member page it was found in (issue 17)
    }


def test_snippet_marks_and_window():
    row = {"title": "T", "body": " ".join(f"w{i}" for i in range(40)) + " Procurement here", "extra": ""}
    s = snippet(row, ["procure"], ("[", "]"))
    assert s.startswith("…") and "[Procurement]" in s and s.endswith("here")
    assert snippet({"title": "Perú", "body": "", "extra": ""}, ["peru"]) == "«Perú»"
    assert snippet({"title": "No match", "body": "", "extra": ""}, ["zzz"]) == "No match"


def test_filters(store):
    assert {h.kind for h in search(store, "ruritania", kind="resource")} == {"resource"}
    assert {h.member_slug for h in search(store, "report", member="borduria")} == {"borduria"}
    assert {h.member_slug for h in search(store, "report", member=" BORDURIA ")} == {"borduria"}
    assert titles(search(store, "ruritania", type="action plan")) == ["Ruritania Action Plan 2019-2021"]
    assert search(store, "ruritania", type="action") == []  # type is exact (case-insensitive)
    assert {h.year for h in search(store, "open", year=2019)} == {2019}
    assert {h.id for h in search(store, "fiscal", kind="commitment", type="Fiscal Openness", year=2021)} == {
        "RU00841",
        "BO00841",
    }
    assert search(store, "ruritania", member="nowhere") == []
    with pytest.raises(ValueError):
        search(store, "x", kind="no-such-kind")


def test_ranking_puts_title_matches_first(store):
    m = member("zembla", "Zembla")
    m.current_plan.summary = "Zembla procurement reform, procurement data and procurement monitoring."
    m.resources = [Resource("Zembla Procurement Review", 2020, "IRM Report")]
    m.commitments = [Commitment("ZE0001", "Budget openness", 2020, "Public Procurement")]
    store.write_member(m)
    hits = search(store, "procurement", member="zembla")
    assert hits[0].title == "Zembla Procurement Review"
    assert [h.kind for h in hits[1:]] == ["commitment", "member"] or [h.kind for h in hits[1:]] == [
        "member",
        "commitment",
    ]
    assert hits[0].score > hits[-1].score


def test_limit(store):
    assert len(search(store, "r", limit=2)) == 2
    assert len(search(store, "r", limit=0)) == 1  # clamped


HOSTILE = [
    '"',
    '"unbalanced',
    'design "report',
    "NEAR(",
    "NEAR(design report, 2)",
    "*",
    "design*",
    "-",
    "-design",
    "design - report",
    "AND OR NOT",
    "design AND",
    "NOT design",
    "^",
    "^design",
    ":",
    "title:design",
    "{title}: x",
    "(((",
    ")",
    "+",
    "'",
    "\x00design\x1b[31m report\x07",
    "design\nreport\tr",
    "x" * 10_000,
    "design " * 500,
    "",
    "   ",
    "🙂 design",
    "\u202ereport",
    "ﬁ",
]


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_queries_never_raise(store, q):
    hits = search(store, q)
    assert isinstance(hits, list)
    assert all(isinstance(h, Hit) for h in hits)


def test_hostile_queries_are_searched_as_words(store):
    assert "Ruritania Design Report 2019-2021" in titles(search(store, '(design "report'))
    assert "Ruritania Design Report 2019-2021" in titles(search(store, "-design* ^report:"))
    assert "Ruritania Design Report 2019-2021" in titles(search(store, "\x00design\x1b[31m report"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_any_text_is_a_valid_query(store, q):
    assert isinstance(search(store, q, limit=5), list)
    m = fts_query(q)
    assert m is None or m.startswith("{")


def test_index_follows_updates_and_deletions(store):
    m = member()
    assert titles(search(store, "letter of support", member="ruritania")) == ["Ruritania Letter of Support"]
    gone = copy.deepcopy(m)
    gone.resources = [r for r in m.resources if r.title != "Ruritania Letter of Support"]
    gone.commitments = gone.commitments[1:]
    gone.contacts = []
    store.write_member(gone)
    assert search(store, "letter of support", member="ruritania") == []
    assert search(store, "RU0084", member="ruritania") == []
    assert search(store, "ana", member="ruritania") == []
    # positions moved up: refs follow the new order
    (d,) = search(store, "informe", member="ruritania")
    assert d.ref == "2"
    renamed = copy.deepcopy(gone)
    renamed.name = "New Ruritania"
    store.write_member(renamed)
    assert [h.member_name for h in search(store, "informe", member="ruritania")] == ["New Ruritania"]
    n = store.cache.execute("SELECT count(*) FROM search_docs WHERE member_slug = 'ruritania'").fetchone()[0]
    assert n == 1 + 2 + 3  # member + commitments + resources
    assert store.cache.execute("INSERT INTO search_index (search_index) VALUES ('integrity-check')")


def test_commitment_page_details_are_indexed_and_replaced(store):
    page = CommitmentPage(
        id="RU0085",
        title="Courts transparency",
        lead_institution="Supreme Court of Justice",
        policy_areas=["Judicial Openness", "Access to Information"],
        description="Publish all rulings of the supreme court online.",
    )
    store.write_commitment(page, "ruritania")
    assert [h.id for h in search(store, "rulings")] == ["RU0085"]
    assert [h.id for h in search(store, "judicial openness")] == ["RU0085"]
    assert "«rulings»" in search(store, "rulings")[0].snippet
    page.description = "Publish every verdict."
    page.policy_areas = ["Judicial Openness"]
    store.write_commitment(page, "ruritania")
    assert search(store, "rulings") == []
    assert [h.id for h in search(store, "verdict")] == ["RU0085"]
    assert search(store, "access information", kind="commitment") == []
    # a later member write keeps the commitment page's text in the index
    store.write_member(member())
    m = member()
    m.commitments[1].title = "Courts transparency and verdicts"
    store.write_member(m)
    assert [h.id for h in search(store, "every verdict")] == ["RU0085"]


def test_migration_rebuilds_index_from_tables(store):
    store.write_commitment(CommitmentPage(id="RU0084", description="Quarterly spending data."), "ruritania")
    before = sorted(tuple(r) for r in store.cache.execute("SELECT * FROM search_docs ORDER BY id"))
    from ogptui.store.schema import _cache_v2, _search_v4

    store.cache.execute("BEGIN")
    store.cache.script(
        "DELETE FROM search_docs; "
        "DROP TRIGGER search_docs_ai; DROP TRIGGER search_docs_ad; DROP TRIGGER search_docs_au; "
        "DROP TABLE search_docs;"
    )
    _cache_v2(store.cache)
    _search_v4(store.cache)  # the index as the current schema has it
    store.cache.execute("ALTER TABLE search_docs ADD COLUMN language TEXT")  # (cache v6)
    store.cache.execute("COMMIT")
    after = sorted(tuple(r) for r in store.cache.execute("SELECT * FROM search_docs ORDER BY id"))
    strip = [tuple(x for x in r[1:]) for r in before]
    assert sorted(tuple(x for x in r[1:]) for r in after) == sorted(strip)
    assert [h.id for h in search(store, "quarterly")] == ["RU0084"]


def test_recent_searches(store):
    assert recent_searches(store) == []
    for q in ("peru", "design", "peru", "  kenya\x1b  contact "):
        remember_search(store, q)
    remember_search(store, "   ")
    assert recent_searches(store) == ["kenya contact", "peru", "design"]
    assert recent_searches(store, limit=1) == ["kenya contact"]
    for i in range(80):
        remember_search(store, f"q{i}")
    assert len(recent_searches(store, limit=1000)) == 50


def test_recent_searches_without_user_db(store):
    store.user.close()
    store.user = None
    remember_search(store, "peru")
    assert recent_searches(store) == []


# ---- the command, with only the embedded data --------------------------------------------------------
def test_cli_done_when_design_report(capsys):
    assert main(["search", "design report"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Resources (")
    assert "Peru Design Report 2019-2021" in out
    assert "Peru: Peru «Design» «Report» 2019-2021" in out
    assert "\x1b" not in out


def test_cli_done_when_peru_design_2017(capsys):
    assert main(["search", "peru design 2017", "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert hits[0]["title"] == "Perú Design Report 2017-2019"
    assert set(hits[0]) == {"kind", "member", "id", "title", "url", "snippet", "score", "language"}
    assert hits[0]["kind"] == "resource" and hits[0]["member"] == "peru"


def test_cli_filters_and_empty_result(capsys):
    assert main(["search", "report", "--kind", "resource", "--year", "2020", "--type", "IRM report"]) == 0
    out = capsys.readouterr().out
    assert "Perú Design Report 2017-2019" in out and "Results Report" not in out
    assert main(["search", "zzzz nothing"]) == 0
    assert capsys.readouterr().out.strip() == "No results for 'zzzz nothing'."
    assert main(["search", 'NEAR("*', "--member", "peru", "--limit", "3"]) == 0


@pytest.mark.parametrize(
    "args",
    [["--year", "20x"], ["--year", "99999"], ["--limit", "0"], ["--limit", "many"], ["--kind", "no-such-kind"]],
)
def test_cli_bad_options_exit_2_in_one_line(capsys, args):
    with pytest.raises(SystemExit) as e:
        main(["search", "peru", *args])
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("ogptui: ")


def test_cli_remembers_searches(capsys):
    assert main(["search", "design report"]) == 0
    with open_store() as s:
        assert recent_searches(s) == ["design report"]


def test_cli_subprocess(ogptui_home):
    r = subprocess.run(
        [sys.executable, "-m", "ogptui", "search", "design report", "--limit", "5"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"OGPTUI_HOME": str(ogptui_home), "PATH": "/usr/bin:/bin", "PYTHONIOENCODING": "utf-8"},
    )
    assert r.returncode == 0, r.stderr
    assert "Peru Design Report 2019-2021" in r.stdout


def test_member_matching_by_name_is_always_listed(store):
    m = member("kenya", "Kenya")
    m.current_plan.summary = " ".join(["long plan summary text"] * 50)
    m.resources = [Resource(f"Kenya Report {i}", 2000 + i % 20, "IRM Report") for i in range(120)]
    store.write_member(m)
    hits = search(store, "kenya", limit=10)
    assert len(hits) == 10
    assert [h.ref for h in hits if h.kind == "member"] == ["kenya"]


def test_broad_queries_rank_every_match(store):
    m = member("kenya", "Kenya")
    m.resources = [Resource(f"Kenya Report {i}", 2000 + i % 20, "IRM Report") for i in range(60)]
    store.write_member(m)
    exact = titles(search(store, "k", limit=5))
    broad = search(store, "k", limit=5)
    assert len(broad) == 5 and "Kenya" in titles(broad) and "Kenya" in exact
    assert titles(search(store, "kenya report 59", kind="resource")) == ["Kenya Report 59"]


# ---- broad queries on a large cache (issue 19: they returned nothing past the old ranking cap) ------------
BROAD_MEMBERS = 30
BROAD_PER_MEMBER = 90  # 30 x 90 = 2,700 IRM reports and 2,700 Ministry of Testing contacts: past the old cap


@pytest.fixture(scope="module")
def broad_store(tmp_path_factory):
    """A cache where "IRM Report" (a resource type) and "ministry of testing" (a contact role) each match
    2,700 rows in their body/extra columns and no title."""
    from ogptui import config

    home = tmp_path_factory.mktemp("broad")
    s = open_store(config.Paths(home, home / "cache.db", home / "user.db", home / "settings.json", home / "briefs"), seed=False)
    for i in range(BROAD_MEMBERS):
        name = f"Member{i:02d}"
        s.write_member(
            Member(
                slug=f"member{i:02d}",
                name=name,
                current_plan=CurrentPlan(summary="A plan."),
                resources=[
                    Resource(f"{name} Design {j} {'words ' * (j % 7)}".strip(), 2000 + j % 20, "IRM Report")
                    for j in range(BROAD_PER_MEMBER)
                ]
                + [Resource(f"{name} Unrelated {j}", 2001, "Letter") for j in range(5)],
                contacts=[
                    Contact(f"Person {i} {j}", "Ministry of Testing" + " officer" * (j % 5), f"p{i}.{j}@x.test")
                    for j in range(BROAD_PER_MEMBER)
                ],
            )
        )
    yield s
    s.close()


def _exact_best(store, query: str, n: int) -> tuple[list[float], int]:
    """Brute force: the scores of the best `n` matches by bm25 over every match, and the number of matches."""
    rows = store.cache.execute(
        "SELECT bm25(search_index, 10.0, 10.0, 1.0, 2.0, 0.0) FROM search_index WHERE search_index MATCH ?",
        [fts_query(query)],
    ).fetchall()
    return sorted(round(-r, 4) for (r,) in rows)[::-1][:n], len(rows)


@pytest.mark.parametrize(
    ("query", "kind"), [("IRM Report", "resource"), ("irm", "resource"), ("ministry of testing", "contact")]
)
def test_broad_queries_on_a_large_cache_return_the_best_matches(broad_store, query, kind):
    best, matches = _exact_best(broad_store, query, 20)
    assert matches >= BROAD_MEMBERS * BROAD_PER_MEMBER  # far more matches than any ranking cap
    hits = search(broad_store, query, limit=20)
    assert {h.kind for h in hits} == {kind}
    # The best rows of an exact bm25 ranking over every match, best first.
    assert [h.score for h in hits] == best


def test_broad_query_with_a_filter_on_a_large_cache(broad_store):
    hits = search(broad_store, "irm report", member="member07", limit=100)
    assert len(hits) == BROAD_PER_MEMBER
    assert {(h.kind, h.member_slug, h.type) for h in hits} == {("resource", "member07", "IRM Report")}
    assert len(search(broad_store, "ministry testing", kind="contact", limit=1000)) == 1000


def _reference_snippet(row, words, marks=("«", "»")):
    """The snippet as first written (one fold per token): the faster `snippet` must give the same text."""
    import re

    from ogptui.clean import fold

    word, ident = re.compile(r"[^\W_]+"), re.compile(r"[a-z]{2,6}\d{4,}")
    words = [fold(w) for w in words]

    def matches(token):
        t = fold(token)
        return any(t == w if ident.fullmatch(w) else t.startswith(w) for w in words)

    best = None
    for col in ("title", "body", "extra"):
        text = row.get(col) or ""
        tokens = list(word.finditer(text))
        hit = [i for i, m in enumerate(tokens) if matches(m.group())]
        if hit and (best is None or len(hit) > best[0]):
            best = (len(hit), text, tokens, hit)
    if best is None:
        return row.get("title") or ""
    _, text, tokens, hit = best
    start = max(0, hit[0] - 4)
    end = min(len(tokens), start + 16)
    lo = 0 if start == 0 else tokens[start].start()
    hi = len(text) if end == len(tokens) else tokens[end - 1].end()
    out, pos = [], lo
    for i in hit:
        if start <= i < end:
            m = tokens[i]
            out += [text[pos : m.start()], marks[0], m.group(), marks[1]]
            pos = m.end()
    out.append(text[pos:hi])
    return ("…" if lo > 0 else "") + "".join(out) + ("…" if hi < len(text) else "")


_SNIPPET_WORDS = ["Perú", "peru", "PE0084", "pe00841", "Design", "report", "ÉTAT", "ﬁscal", "naïve", "cafe\u0301",
                  "Straße", "x_y", "½", "İstanbul", "KE0012", "a", "des"]  # fmt: skip
_snippet_text = st.lists(
    st.one_of(st.sampled_from(_SNIPPET_WORDS), st.text(max_size=6)), max_size=40
).map(lambda ws: " ".join(ws))


@given(title=_snippet_text, body=_snippet_text, extra=_snippet_text, query=_snippet_text)
@settings(max_examples=400, deadline=None)
def test_snippet_equals_reference(title, body, extra, query):
    from ogptui.search import terms

    row = {"title": title, "body": body, "extra": extra}
    words = terms(query)
    assert snippet(row, words) == _reference_snippet(row, words)
