"""Issue 17, data language in the store: a member and its commitment pages cached in several languages
(cache schema 6, `store.translations`), read in the language asked for with the primary record as the
fallback, every language searchable (accents ignored), one hit per target, atomic writes."""

from __future__ import annotations

import sqlite3

import pytest

from ogptui.i18n import fallback_note, set_language
from ogptui.model import Commitment, CommitmentPage, Contact, CurrentPlan, Member, Resource
from ogptui.search import search
from ogptui.seed import open_store
from ogptui.store import docs as docs_mod


def ruritania(language: str = "en") -> Member:
    es = language == "es"
    return Member(
        slug="ruritania",
        name="Ruritania",
        language=language,
        source_url=f"https://x.test{'/es' if es else ''}/members/ruritania/",
        fetched_at="2026-11-01T00:00:00Z" if not es else "2026-11-20T00:00:00Z",
        current_plan=CurrentPlan(summary="Presupuestos abiertos." if es else "Open budgets."),
        contacts=[Contact("Ana Pérez", "Coordinadora" if es else "Coordinator", "ana@gob.example", "government")],
        commitments=[
            Commitment("RU0084", "Portal de presupuestos abiertos" if es else "Open budgets portal", 2019,
                       "Apertura fiscal" if es else "Fiscal Openness"),  # fmt: skip
            Commitment("RU0085", "Transparencia judicial" if es else "Courts transparency", 2021,
                       "Justicia" if es else "Justice"),  # fmt: skip
        ],
        resources=[
            Resource("Informe de diseño" if es else "Design Report", 2021,
                     "Informe del IRM" if es else "IRM Report", "Página web" if es else "Web page"),  # fmt: skip
        ],
    )


@pytest.fixture
def both(store):
    store.write_member(ruritania("en"))
    store.write_member(ruritania("es"))
    return store


def test_primary_record_stays_and_the_translation_is_kept_beside_it(both):
    en, es = both.get_member("ruritania"), both.get_member("ruritania", "es")
    assert (en.language, en.commitments[0].title) == ("en", "Open budgets portal")
    assert (es.language, es.commitments[0].title) == ("es", "Portal de presupuestos abiertos")
    assert es.resources[0].type == "Informe del IRM"  # resource types as given
    assert both.get_member("ruritania", "en").commitments[0].title == "Open budgets portal"
    assert both.member_languages("ruritania") == ["en", "es"]
    assert both.member_language("ruritania") == "en"
    # not cached in French: the primary record, whose language tells the screen to say so
    fr = both.get_member("ruritania", "fr")
    assert fr.language == "en"
    assert both.member_languages("atlantis") == []


def test_one_member_in_the_list_and_freshness_of_the_language_shown(both):
    both.note_http("https://x.test/members/ruritania/", kind="member", member_slug="ruritania",
                   checked_at="2026-11-02T00:00:00Z")  # fmt: skip
    both.note_http("https://x.test/es/members/ruritania/", kind="translation", member_slug="ruritania",
                   checked_at="2026-11-21T00:00:00Z")  # fmt: skip
    assert [m.slug for m in both.list_members()] == ["ruritania"]
    assert both.freshness("ruritania").checked_at == "2026-11-02T00:00:00Z"
    es = both.get_member("ruritania", "es")
    f = both.freshness("ruritania", es)
    assert (f.fetched_at, f.checked_at) == ("2026-11-20T00:00:00Z", "2026-11-21T00:00:00Z")
    primary = both.freshness("ruritania", both.get_member("ruritania"))
    assert primary.checked_at == "2026-11-02T00:00:00Z"


def test_a_translation_is_written_only_when_it_changed_and_its_changes_are_logged(both):
    assert not both.write_member(ruritania("es")).written
    m = ruritania("es")
    m.commitments[1].title = "Tribunales abiertos"
    result = both.write_member(m)
    assert result.written
    summaries = [c.summary for c in both.recent_changes()]
    assert any(s.startswith("[es] ") and "RU0085" in s for s in summaries), summaries
    assert both.get_member("ruritania").commitments[1].title == "Courts transparency"  # English untouched


def test_search_finds_every_language_accents_ignored_one_hit_per_target(both):
    hits = search(both, "transparencia judicial")
    assert [(h.kind, h.id, h.language) for h in hits] == [("commitment", "RU0085", "es")]
    assert [h.id for h in search(both, "courts transparency")] == ["RU0085"]
    assert search(both, "courts transparency")[0].language == "en"  # the primary record's row
    assert [h.language for h in search(both, "pagina web", kind="resource")] == ["es"]  # accents ignored
    # the ID is in both languages' rows: one hit
    assert [h.id for h in search(both, "RU0084") if h.kind == "commitment"] == ["RU0084"]
    assert search(both, "transparencia")[0].to_dict()["language"] == "es"


def test_commitment_page_in_another_language_is_kept_beside_the_primary_details(both):
    both.write_commitment(CommitmentPage(id="RU0084", language="en", completion="Substantial",
                                         description="Publish the budget monthly."), "ruritania")  # fmt: skip
    both.write_commitment(CommitmentPage(id="RU0084", language="es", completion="Substantial",
                                         description="Publicar el presupuesto cada mes."), "ruritania")  # fmt: skip
    assert both.get_member("ruritania").commitments[0].description == "Publish the budget monthly."
    es = both.get_member("ruritania", "es")
    assert es.commitments[0].description == "Publicar el presupuesto cada mes."
    assert both.get_commitment("ruritania", "RU0084", "es").description == "Publicar el presupuesto cada mes."
    # its words are found, in its language's row
    assert [(h.id, h.language) for h in search(both, "presupuesto cada mes")] == [("RU0084", "es")]
    # a detail not synced in Spanish falls back to the primary one
    both.write_commitment(CommitmentPage(id="RU0085", language="en", description="Open hearings."), "ruritania")
    assert both.get_member("ruritania", "es").commitments[1].description == "Open hearings."


def test_a_failure_half_way_through_a_translation_leaves_nothing_of_it(both, monkeypatch):
    before = both.get_member("ruritania", "es")
    m = ruritania("es")
    m.commitments[0].title = "Nuevo título"

    def boom(db, member):
        raise sqlite3.OperationalError("disk I/O error (injected)")

    real = docs_mod.replace_member_docs
    monkeypatch.setattr(docs_mod, "replace_member_docs", boom)
    n_changes = len(both.recent_changes())
    with pytest.raises(sqlite3.OperationalError):
        both.write_member(m, http={"url": "https://x.test/es/members/ruritania/", "status": 200})
    monkeypatch.setattr(docs_mod, "replace_member_docs", real)
    assert both.get_member("ruritania", "es").commitments[0].title == before.commitments[0].title
    assert len(both.recent_changes()) == n_changes
    assert both.http_state("https://x.test/es/members/ruritania/") is None


def test_first_language_synced_is_the_primary_one(store):
    store.write_member(ruritania("es"))
    store.write_member(ruritania("en"))
    assert store.member_language("ruritania") == "es"
    assert store.get_member("ruritania").commitments[0].title == "Portal de presupuestos abiertos"
    assert store.get_member("ruritania", "en").commitments[0].title == "Open budgets portal"


def test_translations_survive_reopening_and_a_search_rebuild(both):
    path = both.paths
    both.close()
    with open_store(seed=False) as s:
        assert s.get_member("ruritania", "es").name == "Ruritania"
        with s.transaction() as db:
            docs_mod.rebuild_search_docs(db)
        assert [h.language for h in search(s, "transparencia")] == ["es"]
    assert path is not None


def test_a_damaged_translation_reads_as_not_cached(both):
    both.cache.execute("UPDATE translations SET record = '{not json' WHERE kind = 'member'")
    assert both.get_member("ruritania", "es").language == "en"  # the primary record, with its note


@pytest.mark.parametrize(
    ("ui", "shown", "wanted", "note"),
    [
        ("en", "en", "es", "shown in English: not synced in Spanish"),
        ("es", "en", "es", "mostrado en inglés: no sincronizado en español"),
        ("fr", "en", "fr", "affiché en anglais : non synchronisé en français"),
        ("en", "es", "es", None),
        ("en", None, "en", None),  # an older record without a language is English
    ],
)
def test_fallback_note(ui, shown, wanted, note):
    set_language(ui)
    assert fallback_note(shown, wanted) == note


def test_cli_search_marks_hits_in_another_language(both, capsys):
    from ogptui.cli import main

    both.close()
    assert main(["search", "transparencia"]) == 0
    out = capsys.readouterr().out
    assert "RU0085 Transparencia judicial  (2021, Justicia, ES)" in out
    assert main(["search", "courts"]) == 0
    assert "(2021, Justice)" in capsys.readouterr().out  # the data language's own hits carry no mark
    assert main(["search", "transparencia", "--json"]) == 0
    import json

    (hit,) = json.loads(capsys.readouterr().out)
    assert (hit["id"], hit["language"]) == ("RU0085", "es")



@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", ("Active", "Marginal", "Limited")), ("es", ("Activo", "Marginal", "Limitado")),
     ("fr", ("Actif", "Marginal", "Limité"))],  # fmt: skip
)
def test_enumerated_values_read_in_the_interface_language(both, lang, words, capsys):
    """Values are stored canonical (`Limited`) and shown in the reader's language (`Limitado`): the CLI
    report of a commitment and the TUI table use the same word table as the parser."""
    from ogptui.report import commitment_text
    from ogptui.vocab import canonical_value, value_in

    both.write_commitment(CommitmentPage(id="RU0084", language="en", status="Active", early_results="Marginal",
                                         completion="Limited", title="Open budgets portal"), "ruritania")  # fmt: skip
    set_language(lang)
    page = both.get_commitment("ruritania", "RU0084")
    text = commitment_text(CommitmentPage(**{k: getattr(page, k) for k in ("id", "title", "status",
                                             "early_results", "completion")}))  # fmt: skip
    for word in words:
        assert word in text
    assert all(canonical_value(value_in(v, lang)) == v for v in ("Active", "Marginal", "Limited", "High", "Yes"))
    assert value_in("Something else", lang) == "Something else"


def test_a_translation_of_the_embedded_sample_is_not_called_embedded(sample_store):
    peru = sample_store.get_member("peru")
    assert sample_store.freshness("peru").embedded
    es = Member(slug="peru", name="Perú", language="es", fetched_at="2026-11-30T10:00:00Z",
                source_url="https://www.opengovpartnership.org/es/members/peru/", commitments=peru.commitments)  # fmt: skip
    sample_store.write_member(es)
    f = sample_store.freshness("peru", sample_store.get_member("peru", "es"))
    assert (f.embedded, f.captured_at, f.fetched_at) == (False, None, "2026-11-30T10:00:00Z")
    assert sample_store.freshness("peru", peru).embedded  # the English record still is the sample



def test_compare_counts_a_policy_area_once_whatever_language_names_it():
    from ogptui.compare import compare

    es, en = ruritania("es"), ruritania("en")
    es.commitments[1].policy_area = "Anticorrupción"
    en.commitments[1].policy_area = "Anti-Corruption"
    en.slug, en.name = "borduria", "Borduria"
    rows = {r.metric: r.values for r in compare([es, en]).rows if r.section.startswith("Commitments per policy")}
    assert rows["Anticorrupción"] == [1, 1]  # named as the first member writes it
    assert "Anti-Corruption" not in rows
    assert rows["Apertura fiscal"] == [1, 1]  # "Fiscal Openness"


def test_type_filter_matches_the_type_in_every_language(both):
    hits = search(both, "informe", type="IRM Report")
    assert [(h.kind, h.type, h.language) for h in hits] == [("resource", "Informe del IRM", "es")]
    assert [h.type for h in search(both, "design", type="Informe del IRM")] == ["IRM Report"]
    assert search(both, "informe", type="Letter") == []
    assert [h.id for h in search(both, "portal", type="Fiscal Openness")] == ["RU0084"]
