"""Issue 17.2 through bundles and mirrors: a member's other languages travel with it (export keeps the
translations of the members exported; import takes the newer copy through the store's write path)."""

from __future__ import annotations

from ogptui.cli import main
from ogptui.model import CommitmentPage
from ogptui.search import search
from ogptui.seed import open_store
from tests.test_data_language_store import ruritania


def run(capsys, *argv: str) -> tuple[int, str, str]:
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def test_translations_travel_in_a_bundle(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("OGPTUI_HOME", str(tmp_path / "a"))
    with open_store() as s:  # (with the embedded Peru)
        s.write_member(ruritania("en"))
        s.write_member(ruritania("es"))
        s.write_commitment(CommitmentPage(id="RU0084", language="es", fetched_at="2026-11-20T00:00:00Z",
                                          description="Publicar el presupuesto cada mes."), "ruritania")  # fmt: skip
    rc, _, err = run(capsys, "export", str(tmp_path / "t.bundle"))
    assert rc == 0, err
    only_peru = tmp_path / "peru.bundle"
    rc, _, err = run(capsys, "export", str(only_peru), "--member", "peru")
    assert rc == 0, err

    monkeypatch.setenv("OGPTUI_HOME", str(tmp_path / "b"))
    rc, _, err = run(capsys, "import", str(only_peru))
    assert rc == 0, err
    with open_store() as s:
        assert s.translation_times() == {}  # a subset export leaves the other members' languages out
    rc, out, err = run(capsys, "import", str(tmp_path / "t.bundle"))
    assert rc == 0, err
    with open_store() as s:
        es = s.get_member("ruritania", "es")
        assert (es.language, es.commitments[0].title) == ("es", "Portal de presupuestos abiertos")
        assert es.commitments[0].description == "Publicar el presupuesto cada mes."
        assert s.get_member("ruritania").commitments[0].title == "Open budgets portal"
        assert [h.language for h in search(s, "presupuesto cada mes")] == ["es"]
        times = s.translation_times()
    assert set(times) == {("member", "ruritania", "es"), ("commitment", "RU0084", "es")}
    rc, _, err = run(capsys, "import", str(tmp_path / "t.bundle"))  # the same again: nothing newer
    assert rc == 0, err
    with open_store() as s:
        assert s.translation_times() == times
        assert len([c for c in s.recent_changes() if c.summary.startswith("[es]")]) == 1  # only the first
