"""Fixtures: `fake_site` (the default four-member site, started) and `make_fake_site(...)` (a factory).

Every site started through these is stopped at the end of the test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from ogptui.model import Member

from .data import SiteData, default_site, synthetic_site
from .server import FakeSite


def _data(members: SiteData | list[Member] | int | None) -> SiteData:
    if members is None:
        return default_site()
    if isinstance(members, SiteData):
        return members
    if isinstance(members, int):
        return synthetic_site(members=members, commitments=members * 25, resources=members * 40)
    return SiteData(members=list(members))


@pytest.fixture
def make_fake_site() -> Iterator[Callable[..., FakeSite]]:
    """`make_fake_site(members=None | SiteData | [Member...] | N, commitments={...}, **FakeSite options)`.

    `members=N` builds a synthetic site of N members; `commitments` (dict (slug, ID) → CommitmentPage)
    adds detail pages when `members` is a list.
    """
    sites: list[FakeSite] = []

    def make(members: SiteData | list[Member] | int | None = None, **options: Any) -> FakeSite:
        data = _data(members)
        extra = options.pop("commitments", None)
        if extra:
            data.commitments.update(extra)
        site = FakeSite(data, **options).start()
        sites.append(site)
        return site

    yield make
    for s in sites:
        s.stop()


@pytest.fixture
def fake_site(make_fake_site: Callable[..., FakeSite]) -> FakeSite:
    """The default site (peru, valdoria, port-esmer-valdoria, norland), started on 127.0.0.1."""
    return make_fake_site()
