"""ogptui.seed: the app's store opener fills an empty cache with the embedded sample (the store never parses)."""

from __future__ import annotations

import pytest

from ogptui import config
from ogptui.seed import embedded_manifest, load_embedded, open_store
from ogptui.store import Store
from tests.fakesite.data import sample_member


def test_an_empty_cache_is_filled_with_the_embedded_sample_once():
    man = embedded_manifest()
    with open_store() as store:
        [peru] = store.list_members()
        assert peru.slug == man["slug"] and peru.embedded
        assert peru.captured_at == man["captured_before"] and peru.fetched_at is None
        assert len(store.get_member("peru").resources) == 40  # parsed by the normal parser
        runs = store.last_run()
    with open_store() as store:  # a second open finds it there and writes nothing
        assert [m.slug for m in store.list_members()] == ["peru"]
        assert store.last_run() == runs


def test_seed_false_leaves_the_cache_empty():
    with open_store(seed=False) as store:
        assert store.list_members() == []
    with Store(config.paths()) as store:  # the store alone never seeds
        assert store.list_members() == []


def test_a_cache_with_any_member_is_not_seeded():
    with open_store(seed=False) as store:
        store.write_member(sample_member())
    with open_store() as store:
        assert [m.slug for m in store.list_members()] == ["testland"]


def test_fill_if_empty_says_whether_it_loaded():
    with Store(config.paths()) as store:
        assert store.fill_if_empty(load_embedded) is True
        assert store.fill_if_empty(load_embedded) is False


def test_a_loader_failing_half_way_leaves_no_member_and_closes_the_store(monkeypatch):
    closed: list[Store] = []
    real_close = Store.close

    def close(self: Store) -> None:
        closed.append(self)
        real_close(self)

    def half(store: Store) -> None:
        with store.transaction():
            store.write_member(sample_member())
            raise RuntimeError("disk gone")

    with monkeypatch.context() as patch:
        patch.setattr(Store, "close", close)
        patch.setattr("ogptui.seed.load_embedded", half)
        with pytest.raises(RuntimeError, match="disk gone"):
            open_store()
    assert len(closed) == 1
    with open_store(seed=False) as store:
        assert store.list_members() == []  # the half-written member was rolled back


def test_a_read_only_folder_with_a_memberless_cache_shows_the_sample_in_memory():
    """Before: the sample's writes went to the read-only file and opening ended in a traceback
    (sqlite3.OperationalError: attempt to write a readonly database)."""
    from ogptui.store import db as dbmod

    open_store(seed=False).close()
    cache = config.paths().cache_db
    before = cache.read_bytes()
    with open_store(writable=lambda _p: False) as store:
        assert store.readonly
        assert [m.slug for m in store.list_members()] == ["peru"]
        with pytest.raises(dbmod.ReadOnlyStore):
            store.write_member(sample_member())  # writes are refused again once the sample is in
    assert cache.read_bytes() == before
