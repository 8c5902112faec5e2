"""Full-text search over the cache (FTS5), and the user's recent searches. No Textual here.

Whatever a person types is searched as plain words: the text is cut into the same word tokens the index
uses, each one quoted, so FTS5 operators, quotes, `NEAR(`, `*`, `-` or control characters can never make a
query fail. Words are ANDed; every word matches as a prefix ("pe" finds "Perú") except commitment IDs
("PE0084"), which match exactly. Ranking is bm25 with titles and IDs weighted above bodies.
"""

from __future__ import annotations

import functools
import json
import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ogptui.clean import clean_text, fold
from ogptui.i18n import N_
from ogptui.store.rows import SEARCH_KINDS

if TYPE_CHECKING:
    from ogptui.store.store import Store

# What is searched: every kind of search document a member gives (`store.rows.search_rows`), documents
# (`store.documents`) and the user's notes (user.db).
KINDS = (*SEARCH_KINDS, "document", "note")
NOTE_SLOTS = 10  # the user's notes that match are always among the results (they live in user.db)
NOTE_COLUMNS = "title text"  # the columns of user.db's notes_fts
# How people read each kind (CLI group headings, TUI result groups, help).
KIND_TITLES = {
    "member": N_("Members"),
    "commitment": N_("Commitments"),
    "resource": N_("Resources"),
    "contact": N_("Contacts"),
    "post": N_("Recent posts"),
    "global_report": N_("Global Report"),
    "participation": N_("Public participation"),
    "benchmark": N_("Benchmarks"),
    "document": N_("Documents"),
    "note": N_("Your notes"),
}
MAX_QUERY_CHARS = 256
MAX_TERMS = 12
MAX_LIMIT = 1000
MAX_RECENT = 50
SNIPPET_TOKENS = 16
SNIPPET_CONTEXT = 4
RANK_CAP = 2500  # rows ranked exactly per query; broader queries are narrowed (see _rank)
BROAD_WINDOW = 1000  # rows ranked when even the title matches exceed RANK_CAP
MEMBER_SLOTS = 5  # members matching by name that are always in the results
FILTER_SLACK = 10  # extra rows fetched for the exact filter check
TEXT_COLUMNS = "title ident body extra summary"
TITLE_COLUMNS = "title ident"
DEFAULT_MARKS = ("«", "»")

_WORD = re.compile(r"[^\W_]+")
_ID = re.compile(r"[a-z]{2,6}\d{4,}")  # a whole commitment ID, e.g. pe0084


@dataclass
class Hit:
    kind: str  # one of KINDS
    member_slug: str
    member_name: str | None
    ref: str  # row in its pane: member slug, commitment ID, resource or contact position, document slug
    id: str | None  # commitment ID, member slug, contact email, document slug; None for resources
    title: str
    url: str | None
    snippet: str  # plain text with the matched words between the two marks
    score: float  # higher is better
    year: int | None
    type: str | None  # resource type, commitment policy area, contact side, member level
    place: str | None = None  # in a document: where the words are (a section heading, "PDF page 4")

    def to_dict(self) -> dict[str, Any]:
        """The `ogptui search --json` shape (a document hit adds `place`: where in it the words are)."""
        d = {
            "kind": self.kind,
            "member": self.member_slug,
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "snippet": self.snippet,
            "score": self.score,
        }
        if self.kind == "document":
            d["place"] = self.place
        return d


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
    notes = _note_hits(store, query, f, min(NOTE_SLOTS, limit), words, marks)
    if kind == "note":
        return notes
    rows: dict[int, dict[str, Any]] = {}  # the search document of each hit, for its snippet
    try:
        ranked = _rank(store, query, f, limit + FILTER_SLACK)
        hits = _hits(store, ranked, f, words, marks, rows)
    except sqlite3.OperationalError:  # e.g. a damaged index: no results rather than a crash
        return notes
    hits = _one_per_document(store, hits)
    limit -= len(notes)
    ids = {t for t in words if _ID.fullmatch(t)}
    # An exact commitment ID beats anything that merely mentions it.
    hits.sort(key=lambda h: (not (h.kind == "commitment" and h.ref.lower() in ids), -h.score))
    # Members matching by name keep their places (up to MEMBER_SLOTS); the rest fill up by score.
    members = [h for h in hits if h.kind == "member"][: min(MEMBER_SLOTS, limit)]
    keep = {id(h) for h in members}
    others = [h for h in hits if id(h) not in keep]
    keep |= {id(h) for h in others[: limit - len(members)]}
    out = [h for h in hits if id(h) in keep]
    for h in out:  # only the hits shown get their snippet (a document's also its place)
        r = rows[id(h)]
        if h.kind == "document":
            h.place, r = _document_place(r, words)
        h.snippet = snippet(r, words, marks)
    return notes + out


def _note_hits(
    store: Store, query: str, f: _Filters, limit: int, words: list[str], marks: tuple[str, str]
) -> list[Hit]:
    """The user's notes that match (kind `note`; user.db's own FTS5 index), best first. A note has no year
    or type, so those filters leave notes out."""
    if f.kind not in (None, "note") or f.type or f.year is not None or limit <= 0:
        return []
    match = fts_query(query, NOTE_COLUMNS)
    if match is None:
        return []
    try:
        found = store.notes.search(match, limit, f.member)
    except sqlite3.Error:  # a damaged notes index: no note hits rather than a crash
        return []
    from ogptui.store.notes import member_names

    names = member_names(store, (n.member_slug for n, _ in found if n.member_slug))
    return [
        Hit(
            kind="note",
            member_slug=n.member_slug or "",
            member_name=names.get(n.member_slug or ""),
            ref=n.target,
            id=n.target,
            title=n.title or n.target,
            url=None,
            snippet=snippet({"body": n.text}, words, marks) or n.text.split("\n", 1)[0],
            score=round(-rank, 4),
            year=None,
            type=n.kind,
        )
        for n, rank in found
    ]


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
    """(rowid, bm25) of the best `n` rows, plus the best members whose name matches.

    Exact bm25 over every match when there are at most RANK_CAP of them. A broader query (one or two
    letters typed into a big cache) is ranked over title matches only, and if even those are too many,
    over the first BROAD_WINDOW of them, so a keystroke never waits on a full sort. Members matching by name
    are ranked on their own and always included: bm25 normalises by the whole row's length, so a
    member's long plan summary would otherwise push "Kenya" below every "Kenya ... Report".
    """
    index = store.search_index
    filters = f.match()
    rows: dict[int, float] = {}
    if f.kind in (None, "member"):
        by_name = f"{fts_query(query, TITLE_COLUMNS)}{filters} AND {_tag('k', 'member')}"
        rows.update(index.best(by_name, MEMBER_SLOTS))
    for columns in (TEXT_COLUMNS, TITLE_COLUMNS):
        match = f"{fts_query(query, columns)}{filters}"
        if index.count(match, RANK_CAP + 1) <= RANK_CAP:
            rest = index.best(match, n)
            break
    else:
        rest = sorted(index.first(match, BROAD_WINDOW), key=lambda r: r[1])[:n]
    members = len(rows)
    for rowid, rank in rest:
        if len(rows) >= n + members:
            break
        rows.setdefault(rowid, rank)
    return sorted(rows.items(), key=lambda kv: kv[1])


def _hits(
    store: Store,
    ranked: list[tuple[int, float]],
    f: _Filters,
    words: list[str],
    marks: tuple[str, str],
    rows_out: dict[int, dict[str, Any]] | None = None,
) -> list[Hit]:
    """Hits of the ranked rows that pass the filters. With `rows_out`, snippets are left for the caller to
    make (`search` makes them for the hits it keeps) and each hit's row is put there (by `id(hit)`)."""
    if not ranked:
        return []
    rows = store.search_index.docs([rowid for rowid, _ in ranked])
    hits = []
    for rowid, rank in ranked:
        r = rows.get(rowid)
        if r is None or not f.accepts(r):
            continue
        place = None
        if rows_out is None and r["kind"] == "document":
            place, r = _document_place(r, words)
        hits.append(
            Hit(
                kind=r["kind"],
                member_slug=r["member_slug"],
                member_name=r["member_name"],
                ref=r["ref"],
                id=_hit_id(r),
                title=r["title"] or "",
                url=r["url"],
                snippet="" if rows_out is not None else snippet(r, words, marks),
                score=round(-float(rank), 4),
                year=r["year"],
                type=r["type"],
                place=place,
            )
        )
        if rows_out is not None:
            rows_out[id(hits[-1])] = r
    return hits


# ---- where in a document ------------------------------------------------------------------------------
DOCUMENT_WINDOW = (80, 240)  # characters of a long body kept before / after the first match, for the snippet
_ACCENTED = {
    "a": "aàáâãäåā", "c": "cçč", "e": "eèéêëē", "i": "iìíîïī", "n": "nñ", "o": "oòóôõöøō", "u": "uùúûüū",
    "y": "yýÿ", "s": "sš", "z": "zž",
}  # fmt: skip


@functools.lru_cache(maxsize=256)
def _finder(words: tuple[str, ...]) -> re.Pattern[str]:
    """A regex finding any query word as the index does: case and accents ignored, a prefix of a word
    (a commitment ID whole)."""
    alts = []
    for w in words:
        body = "".join(f"[{re.escape(_ACCENTED[c])}]" if c in _ACCENTED else re.escape(c) for c in fold(w))
        alts.append(body + (r"(?![^\W_])" if _ID.fullmatch(w) else ""))
    return re.compile(r"(?<![^\W_])(?:" + "|".join(alts) + ")", re.IGNORECASE)


def _first_match(body: str, folded: list[str], words: list[str]) -> int | None:
    """Offset of the first query word in `body` (as the index matches it), or None. Plain `str.find` on the
    lower-cased text when both are ASCII (a long report scans in microseconds), a regex otherwise."""
    if body.isascii() and all(w.isascii() for w in folded):
        low = body.lower()
        best = None
        for w in folded:
            start = 0
            while (at := low.find(w, start, best)) >= 0:
                before_ok = at == 0 or not low[at - 1].isalnum()
                end = at + len(w)
                after_ok = not _ID.fullmatch(w) or end >= len(low) or not low[end].isalnum()
                if before_ok and after_ok:
                    best = at
                    break
                start = at + 1
        return best
    m = _finder(tuple(words)).search(body)
    return m.start() if m else None


def _document_place(r: dict[str, Any], words: list[str]) -> tuple[str | None, dict[str, Any]]:
    """Where a document row matched (None: its title, summary or At a glance; else the section heading or
    "PDF page 4" holding the first match in its body) and the row cut to that part for the snippet."""
    head = " ".join(r.get(c) or "" for c in ("title", "summary", "extra"))
    folded = [fold(w) for w in words]
    in_head = all(_first_match(head, [f], [w]) is not None for f, w in zip(folded, words, strict=True))
    if in_head or not r.get("body"):
        return None, {**r, "body": ""}
    body = r["body"]
    at = _first_match(body, folded, words)
    if at is None:
        return None, {**r, "body": ""}
    try:
        places = [p for p in json.loads(r.get("place") or "[]") if isinstance(p, list) and len(p) == 2]
    except ValueError:
        places = []
    where, start, end = None, 0, len(body)
    for i, (offset, name) in enumerate(places):
        if isinstance(offset, int) and offset <= at:
            where, start = (str(name) if name else None), offset
            nxt = places[i + 1][0] if i + 1 < len(places) else None
            end = nxt if isinstance(nxt, int) else len(body)
    lo, hi = max(start, at - DOCUMENT_WINDOW[0]), min(end, at + DOCUMENT_WINDOW[1])
    window = ("…" if lo > start else "") + body[lo:hi].strip() + ("…" if hi < end else "")
    return where, {**r, "title": "", "summary": "", "extra": "", "body": window}


def _one_per_document(store: Store, hits: list[Hit]) -> list[Hit]:
    """A document matches once, at its best place (its title, a section, a page of an attachment); the
    hit carries the document's title whichever row matched."""
    docs = [h for h in hits if h.kind == "document"]
    if not docs:
        return hits
    titles = store.document_titles(h.ref for h in docs)
    seen: set[str] = set()
    out = []
    for h in hits:  # best first
        if h.kind == "document":
            if h.ref in seen:
                continue
            seen.add(h.ref)
            h.title = titles.get(h.ref, h.title or h.ref)
        out.append(h)
    return out


def _matches(token: str, words: list[str]) -> bool:
    t = fold(token)
    return any(t == w if _ID.fullmatch(w) else t.startswith(w) for w in words)


@functools.lru_cache(maxsize=256)
def _word_test(words: tuple[str, ...]) -> tuple[frozenset[str], tuple[str, ...]]:
    """(whole words, prefixes) of folded query words: a commitment ID matches whole, others as prefixes."""
    return frozenset(w for w in words if _ID.fullmatch(w)), tuple(w for w in words if not _ID.fullmatch(w))


def snippet(row: dict[str, Any], words: list[str], marks: tuple[str, str] = DEFAULT_MARKS) -> str:
    """Plain text around the matched words of the best field (title first), matches between `marks`."""
    words = [fold(w) for w in words]
    exact, prefixes = _word_test(tuple(words))  # the same test as `_matches`, decided once per query
    best: tuple[int, str, list[re.Match[str]], list[int]] | None = None
    for col in ("title", "summary", "body", "extra"):
        text = row.get(col) or ""
        tokens = list(_WORD.finditer(text))
        hit = [i for i, m in enumerate(tokens) if (t := fold(m.group())) in exact or t.startswith(prefixes)]
        if hit and (best is None or len(hit) > best[0]):
            best = (len(hit), text, tokens, hit)
    if best is None:
        return row.get("title") or ""
    _, text, tokens, hit = best
    start = max(0, hit[0] - SNIPPET_CONTEXT)
    end = min(len(tokens), start + SNIPPET_TOKENS)
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


def _hit_id(r: dict[str, Any]) -> str | None:
    value: str | None = None  # (the row's values are typed Any)
    if r["kind"] == "commitment":
        value = r["ident"]
    elif r["kind"] == "member":
        value = r["member_slug"]
    elif r["kind"] == "contact":
        value = r["extra"] or None
    elif r["kind"] == "document":
        value = r["ref"]
    return value


# ---- recent searches (user.db, through the store) -------------------------------------------------
def remember_search(store: Store, query: str) -> None:
    """Keep a query at the top of the recent list (best effort: never fails the search itself)."""
    q = clean_text(query, cap=MAX_QUERY_CHARS)
    if q:
        store.remember_search(q, keep=MAX_RECENT)


def recent_searches(store: Store, limit: int = 10) -> list[str]:
    """Most recent first."""
    return store.recent_searches(limit)
