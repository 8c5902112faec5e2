"""Snippets of search hits: the words around the matches, marked, and where in a document they are.

Both read text the way the FTS5 index tokenizes it (`unicode61 remove_diacritics 2`): a word is a run of
letters and digits, accents and case are ignored, a query word matches the words it begins, a commitment ID
only a whole word.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
from typing import Any

from ogptui.clean import fold

SNIPPET_TOKENS = 16
SNIPPET_CONTEXT = 4
DEFAULT_MARKS = ("«", "»")
WORD = re.compile(r"[^\W_]+")
COMMITMENT_ID = re.compile(r"[a-z]{2,6}\d{4,}")  # a whole commitment ID, e.g. pe0084


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
        alts.append(body + (r"(?![^\W_])" if COMMITMENT_ID.fullmatch(w) else ""))
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
                after_ok = not COMMITMENT_ID.fullmatch(w) or end >= len(low) or not low[end].isalnum()
                if before_ok and after_ok:
                    best = at
                    break
                start = at + 1
        return best
    m = _finder(tuple(words)).search(body)
    return m.start() if m else None


def document_place(r: dict[str, Any], words: list[str]) -> tuple[str | None, dict[str, Any]]:
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


@functools.lru_cache(maxsize=64)
def _word_patterns(words: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """For folded query words: a pattern that `match`es a folded token matching one of them (prefix words
    match any token they begin, commitment IDs only a whole token), and the same anchored at token
    boundaries to `search` a lower-cased ASCII text."""
    ws = sorted(set(words))
    token = "|".join(re.escape(w) + ("\\Z" if COMMITMENT_ID.fullmatch(w) else "") for w in ws)
    text = "|".join(re.escape(w) + ("(?![^\\W_])" if COMMITMENT_ID.fullmatch(w) else "") for w in ws)
    return re.compile(f"(?:{token})"), re.compile(f"(?<![^\\W_])(?:{text})")


def _column_hits(text: str, token: re.Pattern[str], anywhere: re.Pattern[str]) -> list[int] | None:
    """Where the matching tokens of `text` start (in order), or None when none does."""
    if text.isascii():  # folding ASCII is lower-casing: positions stay, one regex finds every match
        starts = [m.start() for m in anywhere.finditer(text.lower())]
    else:
        starts = [m.start() for m in WORD.finditer(text) if token.match(fold(m.group()))]
    return starts or None


def _tokens_before(text: str, pos: int, n: int) -> list[re.Match[str]]:
    """The last `n` tokens that end before `pos` (a token start), reading only a little of the text."""
    if pos == 0:
        return []
    lo = max(0, pos - 24 * (n + 1))
    found = list(WORD.finditer(text, lo, pos))
    if lo and len(found) <= n:  # the first token read may be cut by `lo`: read from the start instead
        found = list(WORD.finditer(text, 0, pos))
    return found[-n:]


def snippet(row: dict[str, Any], words: list[str], marks: tuple[str, str] = DEFAULT_MARKS) -> str:
    """Plain text around the matched words of the best field (title first), matches between `marks`."""
    if not words:
        return row.get("title") or ""
    token, anywhere = _word_patterns(tuple(fold(w) for w in words))
    best: tuple[str, list[int]] | None = None
    for col in ("title", "summary", "body", "extra"):
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
    lo = from_pos if WORD.search(text, 0, from_pos) else 0  # the window starts at the first token: all of it
    window = list(itertools.islice(WORD.finditer(text, from_pos), SNIPPET_TOKENS + 1))
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
