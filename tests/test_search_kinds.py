"""Issue 14.2: search covers everything the panes show — posts (title, teaser), Global Report areas and
implications, public participation, benchmarks and contacts' organisations join members, commitments and
resources; kind names are visible in results and in `ogptui search --kind`; schema 4 rebuilds the index
of an older cache, all or nothing."""

from __future__ import annotations

import sqlite3

import pytest

from ogptui.cli.main import main
from ogptui.search import KIND_TITLES, KINDS, search
from ogptui.seed import open_store
from ogptui.store import db as dbmod
from ogptui.store import docs
from ogptui.store.schema import CACHE_MIGRATIONS
from tests.fakesite.data import sample_member
from tests.tuikit import fill_store, make_app


@pytest.fixture
def store():
    s = open_store()  # the embedded Peru
    fill_store(s)  # and Testland
    yield s
    s.close()


def kinds(hits) -> set[str]:
    return {h.kind for h in hits}


def test_every_pane_is_searched(store):
    # "anti-corruption": the Participation & Global Report tab shows it for Peru (and a post's teaser)
    hits = search(store, "anti-corruption", member="peru")
    assert {"global_report", "post"} <= kinds(hits)
    area = next(h for h in hits if h.kind == "global_report")
    assert area.title == "Anti-Corruption" and area.member_slug == "peru"
    # a post by a word of its teaser only
    (post,) = search(store, "supreme audit institutions", kind="post", member="testland")
    assert post.title == "Citizen Participation in Auditing" and post.url.endswith("/citizen-participation/")
    # a Global Report implication
    assert "global_report" in kinds(search(store, "implement for results"))
    # public participation: known levels only, titled by plan and phase
    (part,) = search(store, "involve", kind="participation", member="testland")
    assert part.title == "Public participation, Action Plan 3 (development)" and part.type == "development"
    assert search(store, "unknown", kind="participation") == []
    # benchmarks
    bench = search(store, "most per action plan", kind="benchmark", member="testland")
    assert [h.title for h in bench] == ["Global benchmark: Most per action plan",
                                        "Regional benchmark: Most per action plan"]  # fmt: skip
    # a contact by their organisation (the part of the role after the comma)
    (contact,) = search(store, "undersecretary", member="peru")
    assert contact.kind == "contact" and contact.title == "Luis Sebastián River Cheng"


def test_every_kind_has_a_title_and_a_tab():
    from ogptui.tui.screens.search import GROUPS, TAB_OF_KIND

    assert set(KINDS) == set(KIND_TITLES) == {k for k, _ in GROUPS}
    assert set(TAB_OF_KIND) == set(KINDS) - {"note"}  # a note hit opens its target, wherever that is
    assert {"post", "global_report", "participation", "benchmark"} <= set(KINDS)


def test_cli_kind_names_and_unknown_member(capsys):
    open_store().close()
    rc = main(["search", "anti-corruption", "--kind", "global_report"])
    out, err = capsys.readouterr()
    assert rc == 0 and out.startswith("Global Report (1)") and "Anti-Corruption" in out
    rc = main(["search", "audit", "--kind", "post"])
    out, _ = capsys.readouterr()
    assert rc == 0 and out.startswith("Recent posts (")
    rc = main(["search", "peru", "--member", "atlantis"])
    out, err = capsys.readouterr()
    assert rc == 2 and out == ""
    assert (
        err.strip()
        == "ogptui: no member 'atlantis' in the cache; run `ogptui members` to list cached members"
    )
    rc = main(["search", "audit", "--member", "PERU"])  # a slug in another case is the same member
    assert rc == 0


def _as_schema_4(path) -> int:
    """Turn a current cache into what schema 4 left: no confirmed_at, only the first four kinds (and
    documents) indexed."""
    conn = sqlite3.connect(path)
    conn.execute(
        "DELETE FROM search_docs WHERE kind NOT IN ('member', 'commitment', 'resource', 'contact', 'document')"
    )
    conn.execute("ALTER TABLE http_state DROP COLUMN confirmed_at")
    conn.execute("DROP TABLE translations")  # (cache v6)
    conn.execute("ALTER TABLE search_docs DROP COLUMN language")
    conn.execute("PRAGMA user_version = 4")
    conn.commit()
    n = conn.execute("SELECT count(*) FROM search_docs").fetchone()[0]
    conn.close()
    return n


def test_schema_5_rebuilds_the_index_of_an_older_cache(store):
    store.note_http(
        "https://x.example/ok", kind="member", member_slug="testland", checked_at="2025-05-01T00:00:00Z"
    )
    path = store.paths.cache_db
    store.close()
    _as_schema_4(path)
    with open_store() as s:
        assert s.cache.execute("PRAGMA user_version").fetchone()[0] == len(CACHE_MIGRATIONS)
        assert "global_report" in kinds(search(s, "anti-corruption"))
        assert "post" in kinds(search(s, "supreme audit"))
        row = s.http_state("https://x.example/ok")
        assert row["confirmed_at"] == "2025-05-01T00:00:00Z"  # a clean check of before counts as confirmed


def test_schema_5_is_all_or_nothing(store, monkeypatch):
    path = store.paths.cache_db
    store.close()
    before = _as_schema_4(path)
    calls = {"n": 0}
    real = docs.member_docs

    def fail_on_second(db, member):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("injected failure half-way through the rebuild")
        return real(db, member)

    monkeypatch.setattr(docs, "member_docs", fail_on_second)
    db = dbmod.connect(path, app_id=dbmod.CACHE_APP_ID)
    with pytest.raises(RuntimeError, match="injected"):
        dbmod.migrate(db, CACHE_MIGRATIONS, dbmod.CACHE_APP_ID)
    assert calls["n"] == 2
    db.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 4
    assert conn.execute("SELECT count(*) FROM search_docs").fetchone()[0] == before
    assert "confirmed_at" not in {r[1] for r in conn.execute("PRAGMA table_info(http_state)")}
    conn.close()
    monkeypatch.setattr(docs, "member_docs", real)  # (not monkeypatch.undo(): that also undoes the test's
    with open_store() as s:  # data home, and the next open would be the user's real one) the next open applies it whole
        assert "global_report" in kinds(search(s, "anti-corruption"))


def test_a_member_rewritten_by_sync_reindexes_its_new_kinds(store):
    m = sample_member()
    m.posts[0].teaser = "A teaser about zanzibarian procurement"
    store.write_member(m)
    (hit,) = search(store, "zanzibarian")
    assert hit.kind == "post" and hit.ref == "0"


async def test_tui_search_groups_new_kinds_and_opens_their_tab(store):
    from textual.widgets import TabbedContent

    from ogptui.tui.screens.member import MemberScreen

    app = make_app(store=store)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("ctrl+f", *"implement for results")
        await pilot.pause(0.2)
        groups = [o.prompt.plain for o in app.screen.query_one("#search-results").options if o.disabled]
        assert any(g.startswith("Global Report (") for g in groups), groups
        while app.screen.hit_of_highlight().kind != "global_report":
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert isinstance(app.screen, MemberScreen)
        assert app.screen.query_one("#tabs", TabbedContent).active == "participation"
