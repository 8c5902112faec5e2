"""Full-text search over the cache (FTS5), and the user's recent searches. No Textual here.

Whatever a person types is searched as plain words: the text is cut into the same word tokens the index
uses, each one quoted, so FTS5 operators, quotes, `NEAR(`, `*`, `-` or control characters can never make a
query fail. Words are ANDed; every word matches as a prefix ("pe" finds "Perú") except commitment IDs
("PE0084"), which match exactly. Ranking is bm25 with titles and IDs weighted above bodies.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ogptui.clean import clean_text
from ogptui.i18n import N_
from ogptui.snippets import COMMITMENT_ID, DEFAULT_MARKS, WORD, document_place, snippet
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
MEMBER_SLOTS = 5  # members matching by name that are always in the results
FILTER_SLACK = 10  # extra rows fetched for the exact filter check
TEXT_COLUMNS = "title ident body extra summary"
TITLE_COLUMNS = "title ident"



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
    language: str | None = None  # the language of the member page it is from (None: a document, a note)

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
        if self.language:
            d["language"] = self.language  # the language of the member page it was found in
        return d


def terms(text: str) -> list[str]:
    """The words of a query, as the index tokenizes them (lower case; accents are folded by FTS5)."""
    text = unicodedata.normalize("NFC", clean_text(text, cap=MAX_QUERY_CHARS)).lower()
    return WORD.findall(text)[:MAX_TERMS]


def fts_query(text: str, columns: str = TEXT_COLUMNS) -> str | None:
    """An FTS5 MATCH expression that always parses: quoted words, prefix on all but commitment IDs."""
    words = " ".join(f'"{t}"' if COMMITMENT_ID.fullmatch(t) else f'"{t}"*' for t in terms(text))
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
    try:
        ranked = _rank(store, query, f, limit + FILTER_SLACK)
        hits, rows = _hits(store, ranked, f)
    except sqlite3.OperationalError:  # e.g. a damaged index: no results rather than a crash
        return notes
    hits = _one_per_target(store, hits)
    limit -= len(notes)
    ids = {t for t in words if COMMITMENT_ID.fullmatch(t)}
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
            h.place, r = document_place(r, words)
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
        if self.type:  # any word meaning the same type, in any language (`IRM Report`, `Informe del IRM`)
            from ogptui.vocab import type_words  # (the word tables: only when a type filter is used)

            tags = [t for t in (_tag("t", w) for w in type_words(self.type)) if not t.endswith(' ""')]
            parts.append(f"({' OR '.join(tags)})" if tags else "")
        return "".join(f" AND {p}" for p in parts if p and not p.endswith(' ""'))

    def accepts(self, r: dict[str, Any]) -> bool:
        """Exact check (a tag phrase can also match a longer slug or type)."""
        from ogptui.vocab import type_words

        return (
            (self.member is None or r["member_slug"] == self.member)
            and (self.kind is None or r["kind"] == self.kind)
            and (self.year is None or r["year"] == self.year)
            and (self.type is None or (r["type"] or "").casefold() in {w.casefold() for w in type_words(self.type)})
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
            language=None if r["kind"] == "document" else r["page_language"],
        )
        hits.append(hit)
        docs[id(hit)] = r
    return hits, docs


def _one_per_target(store: Store, hits: list[Hit]) -> list[Hit]:
    """A document matches once, at its best place (its title, a section, a page of an attachment); the
    hit carries the document's title whichever row matched. Likewise a commitment (a resource, …) cached in
    several languages matches once, in its best-matching language."""
    docs = [h for h in hits if h.kind == "document"]
    titles = store.document_titles(h.ref for h in docs) if docs else {}
    seen: set[tuple[str, str, str]] = set()
    out = []
    for h in hits:  # best first
        key = (h.kind, h.member_slug, h.ref)
        if key in seen:  # a document's other places; a member's row in another cached language
            continue
        seen.add(key)
        if h.kind == "document":
            h.title = titles.get(h.ref, h.title or h.ref)
        out.append(h)
    return out


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
