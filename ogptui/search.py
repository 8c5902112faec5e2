"""Full-text search over the cache (FTS5), and the user's recent searches. No Textual here.

Whatever a person types is searched as plain words: the text is cut into the same word tokens the index
uses, each one quoted, so FTS5 operators, quotes, `NEAR(`, `*`, `-` or control characters can never make a
query fail. Words are ANDed; every word matches as a prefix ("pe" finds "Perú") except commitment IDs
("PE0084"), which match exactly. Ranking is bm25 with titles and IDs weighted above bodies.
"""

from __future__ import annotations

import functools
import itertools
import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ogptui.clean import clean_text, fold

if TYPE_CHECKING:
    from ogptui.store.store import Store

KINDS = ("member", "commitment", "resource", "contact")
MAX_QUERY_CHARS = 256
MAX_TERMS = 12
MAX_LIMIT = 1000
MAX_RECENT = 50
SNIPPET_TOKENS = 16
SNIPPET_CONTEXT = 4
MEMBER_SLOTS = 5  # members matching by name that are always in the results
FILTER_SLACK = 10  # extra rows fetched for the exact filter check
TEXT_COLUMNS = "title ident body extra"
TITLE_COLUMNS = "title ident"
DEFAULT_MARKS = ("«", "»")

_WORD = re.compile(r"[^\W_]+")
_ID = re.compile(r"[a-z]{2,6}\d{4,}")  # a whole commitment ID, e.g. pe0084


@dataclass
class Hit:
    kind: str  # member / commitment / resource / contact
    member_slug: str
    member_name: str | None
    ref: str  # row in its pane: member slug, commitment ID, resource or contact position
    id: str | None  # commitment ID, member slug, contact email; None for resources
    title: str
    url: str | None
    snippet: str  # plain text with the matched words between the two marks
    score: float  # higher is better
    year: int | None
    type: str | None  # resource type, commitment policy area, contact side, member level

    def to_dict(self) -> dict[str, Any]:
        """The `ogptui search --json` shape."""
        return {
            "kind": self.kind,
            "member": self.member_slug,
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "snippet": self.snippet,
            "score": self.score,
        }


def terms(text: str) -> list[str]:
    """The words of a query, as the index tokenizes them (lower case; accents are folded by FTS5)."""
    text = unicodedata.normalize("NFC", clean_text(text, cap=MAX_QUERY_CHARS)).lower()
    return _WORD.findall(text)[:MAX_TERMS]


def fts_query(text: str, columns: str = TEXT_COLUMNS) -> str | None:
    """An FTS5 MATCH expression that always parses: quoted words, prefix on all but commitment IDs."""
    words = " ".join(f'"{t}"' if _ID.fullmatch(t) else f'"{t}"*' for t in terms(text))
    return f"{{{columns}}} : ({words})" if words else None


def _tag(prefix: str, value: str) -> str:
    """A phrase matching one filter token sequence of the `tags` column (see schema v2)."""
    return 'tags : "' + " ".join(terms(prefix + value)) + '"'


def search(
    store: Store,
    query: str,
    *,
    member: str | None = None,
    kind: str | None = None,
    type: str | None = None,
    year: int | None = None,
    limit: int = 50,
    marks: tuple[str, str] = DEFAULT_MARKS,
) -> list[Hit]:
    """Best hits first. Never raises for any query text; an unknown `kind` is a ValueError."""
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    words = terms(query)
    if not words:
        return []
    limit = max(1, min(int(limit), MAX_LIMIT))
    f = _Filters(member.strip().lower() if member else None, kind, type.strip() if type else None, year)
    try:
        ranked = _rank(store, query, f, limit + FILTER_SLACK)
        hits, rows = _hits(store, ranked, f)
    except sqlite3.OperationalError:  # e.g. a damaged index: no results rather than a crash
        return []
    ids = {t for t in words if _ID.fullmatch(t)}
    # An exact commitment ID beats anything that merely mentions it.
    hits.sort(key=lambda h: (not (h.kind == "commitment" and h.ref.lower() in ids), -h.score))
    # Members matching by name keep their places (up to MEMBER_SLOTS); the rest fill up by score.
    members = [h for h in hits if h.kind == "member"][: min(MEMBER_SLOTS, limit)]
    keep = {id(h) for h in members}
    others = [h for h in hits if id(h) not in keep]
    keep |= {id(h) for h in others[: limit - len(members)]}
    out = [h for h in hits if id(h) in keep]
    for h, r in zip(out, (rows[id(h)] for h in out), strict=True):  # snippets of the kept hits only
        h.snippet = snippet(r, words, marks)
    return out


@dataclass
class _Filters:
    member: str | None
    kind: str | None
    type: str | None
    year: int | None

    def match(self) -> str:
        """Extra MATCH terms: filters are index lookups, so the ranking only sees rows that pass."""
        parts = []
        if self.member:
            parts.append(_tag("m", self.member))
        if self.kind:
            parts.append(_tag("k", self.kind))
        if self.year is not None:
            parts.append(_tag("y", str(self.year)))
        if self.type:
            parts.append(_tag("t", self.type))
        return "".join(f" AND {p}" for p in parts if not p.endswith(' ""'))

    def accepts(self, r: dict[str, Any]) -> bool:
        """Exact check (a tag phrase can also match a longer slug or type)."""
        return (
            (self.member is None or r["member_slug"] == self.member)
            and (self.kind is None or r["kind"] == self.kind)
            and (self.year is None or r["year"] == self.year)
            and (self.type is None or (r["type"] or "").casefold() == self.type.casefold())
        )


def _rank(store: Store, query: str, f: _Filters, n: int) -> list[tuple[int, float]]:
    """(rowid, bm25) of the best `n` rows over every match, plus the best members whose name matches.

    One ranked FTS5 query (exact bm25 over every match, however broad) and, unless the kind filter rules
    members out, a second one over member names alone: bm25 normalises by the whole row's length, so a
    member's long plan summary would otherwise push "Kenya" below every "Kenya ... Report". That second
    query intersects with the `kmember` tag, so it reads member rows only and costs a fraction of the first.
    """
    index = store.search_index
    filters = f.match()
    rows: dict[int, float] = {}
    if f.kind in (None, "member"):
        by_name = f"{fts_query(query, TITLE_COLUMNS)}{filters} AND {_tag('k', 'member')}"
        rows.update(index.best(by_name, MEMBER_SLOTS))
    members = len(rows)
    for rowid, rank in index.best(f"{fts_query(query)}{filters}", n + members):
        if len(rows) >= n + members:
            break
        rows.setdefault(rowid, rank)
    return sorted(rows.items(), key=lambda kv: kv[1])


def _hits(
    store: Store, ranked: list[tuple[int, float]], f: _Filters
) -> tuple[list[Hit], dict[int, dict[str, Any]]]:
    """The hits of the ranked rows that pass the exact filter check (snippets still empty), and each hit's
    search document by `id(hit)`."""
    if not ranked:
        return [], {}
    rows = store.search_index.docs([rowid for rowid, _ in ranked])
    hits = []
    docs = {}
    for rowid, rank in ranked:
        r = rows.get(rowid)
        if r is None or not f.accepts(r):
            continue
        hit = Hit(
            kind=r["kind"],
            member_slug=r["member_slug"],
            member_name=r["member_name"],
            ref=r["ref"],
            id=_hit_id(r),
            title=r["title"] or "",
            url=r["url"],
            snippet="",
            score=round(-float(rank), 4),
            year=r["year"],
            type=r["type"],
        )
        hits.append(hit)
        docs[id(hit)] = r
    return hits, docs


@functools.lru_cache(maxsize=64)
def _word_patterns(words: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """For folded query words: a pattern that `match`es a folded token matching one of them (prefix words
    match any token they begin, commitment IDs only a whole token), and the same anchored at token
    boundaries to `search` a lower-cased ASCII text."""
    ws = sorted(set(words))
    token = "|".join(re.escape(w) + ("\\Z" if _ID.fullmatch(w) else "") for w in ws)
    text = "|".join(re.escape(w) + ("(?![^\\W_])" if _ID.fullmatch(w) else "") for w in ws)
    return re.compile(f"(?:{token})"), re.compile(f"(?<![^\\W_])(?:{text})")


def _column_hits(text: str, token: re.Pattern[str], anywhere: re.Pattern[str]) -> list[int] | None:
    """Where the matching tokens of `text` start (in order), or None when none does."""
    if text.isascii():  # folding ASCII is lower-casing: positions stay, one regex finds every match
        starts = [m.start() for m in anywhere.finditer(text.lower())]
    else:
        starts = [m.start() for m in _WORD.finditer(text) if token.match(fold(m.group()))]
    return starts or None


def _tokens_before(text: str, pos: int, n: int) -> list[re.Match[str]]:
    """The last `n` tokens that end before `pos` (a token start), reading only a little of the text."""
    if pos == 0:
        return []
    lo = max(0, pos - 24 * (n + 1))
    found = list(_WORD.finditer(text, lo, pos))
    if lo and len(found) <= n:  # the first token read may be cut by `lo`: read from the start instead
        found = list(_WORD.finditer(text, 0, pos))
    return found[-n:]


def snippet(row: dict[str, Any], words: list[str], marks: tuple[str, str] = DEFAULT_MARKS) -> str:
    """Plain text around the matched words of the best field (title first), matches between `marks`."""
    if not words:
        return row.get("title") or ""
    token, anywhere = _word_patterns(tuple(fold(w) for w in words))
    best: tuple[str, list[int]] | None = None
    for col in ("title", "body", "extra"):
        text = row.get(col) or ""
        starts = _column_hits(text, token, anywhere)
        if starts is not None and (best is None or len(starts) > len(best[1])):
            best = (text, starts)
    if best is None:
        return row.get("title") or ""
    text, starts = best
    # Only the tokens of the window are read: SNIPPET_CONTEXT before the first match, SNIPPET_TOKENS in all.
    before = _tokens_before(text, starts[0], SNIPPET_CONTEXT)
    from_pos = before[0].start() if before else starts[0]
    lo = from_pos if _WORD.search(text, 0, from_pos) else 0  # the window starts at the first token: all of it
    window = list(itertools.islice(_WORD.finditer(text, from_pos), SNIPPET_TOKENS + 1))
    hi = window[SNIPPET_TOKENS - 1].end() if len(window) > SNIPPET_TOKENS else len(text)
    marked = set(starts)
    out, pos = [], lo
    for m in window[:SNIPPET_TOKENS]:
        if m.start() in marked:
            a, b = m.span()
            out += [text[pos:a], marks[0], text[a:b], marks[1]]
            pos = b
    out.append(text[pos:hi])
    return ("…" if lo > 0 else "") + "".join(out) + ("…" if hi < len(text) else "")


def _hit_id(r: dict[str, Any]) -> str | None:
    if r["kind"] == "commitment":
        return r["ident"]
    if r["kind"] == "member":
        return r["member_slug"]
    if r["kind"] == "contact":
        return r["extra"] or None
    return None


# ---- recent searches (user.db, through the store) -------------------------------------------------
def remember_search(store: Store, query: str) -> None:
    """Keep a query at the top of the recent list (best effort: never fails the search itself)."""
    q = clean_text(query, cap=MAX_QUERY_CHARS)
    if q:
        store.remember_search(q, keep=MAX_RECENT)


def recent_searches(store: Store, limit: int = 10) -> list[str]:
    """Most recent first."""
    return store.recent_searches(limit)
