"""The full-text index (FTS5 over `search_docs`): the SQL of a search, behind two calls.

`ogptui/search.py` builds the MATCH expressions and decides what to rank (the query language, filters,
snippets); this module runs them. Ranking is bm25 with the column weights of the current schema (`SEARCH_WEIGHTS`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ogptui.store.db import Database
from ogptui.store.schema import SEARCH_WEIGHTS

SEARCH_CACHE_KIB = 32_000  # page cache of the cache.db connection once it has searched

_BM25 = f"bm25(search_index, {', '.join(map(str, SEARCH_WEIGHTS))})"


class SearchIndex:
    def __init__(self, db: Database):
        self.db = db
        self._warm = False

    def _warmed(self) -> Database:
        """A page cache big enough for the index (SQLite's default 2 MB thrashes at 100k rows; pages are
        only allocated when used, so a small cache costs nothing). Once per connection."""
        if not self._warm:
            self.db.execute(f"PRAGMA cache_size = -{SEARCH_CACHE_KIB}")
            self._warm = True
        return self.db

    def best(self, match: str, limit: int) -> list[tuple[int, float]]:
        """(rowid, bm25) of the best `limit` matches (exact bm25 over every match), best (lowest) first."""
        sql = f"SELECT rowid, {_BM25} AS r FROM search_index WHERE search_index MATCH ? ORDER BY r, rowid LIMIT ?"
        return [(int(a), float(b)) for a, b in self._warmed().execute(sql, [match, limit]).fetchall()]

    def docs(self, rowids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """The search documents of `rowids`, with their member's name and the language of the member page
        they come from (`page_language`), by rowid."""
        if not rowids:
            return {}
        marks = ", ".join("?" * len(rowids))
        sql = (
            "SELECT d.*, m.name AS member_name, COALESCE(d.language, m.language, 'en') AS page_language "
            "FROM search_docs d "
            f"LEFT JOIN members m ON m.slug = d.member_slug WHERE d.id IN ({marks})"
        )
        return {r["id"]: r for r in self.db.query(sql, list(rowids))}
