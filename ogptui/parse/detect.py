"""What a page is: HTML or text, which kind of OGP page, or a page to reject (error, challenge, login)."""

from __future__ import annotations

import re

from ogptui.parse.blocks import Block
from ogptui.parse.common import Line, is_chrome
from ogptui.parse.labels import (
    CHALLENGE_MARKERS,
    CHALLENGE_SUBSTRINGS,
    COMMITMENT_FIELDS,
    DIRECTORY_HEADINGS,
    DOCUMENT_MARKERS,
    ERROR_MARKERS,
    LOGIN_MARKERS,
    MEMBER_SECTIONS,
    norm_set,
    table_index,
)
from ogptui.vocab import fold, norm

_HTML_START = re.compile(
    r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype|html|head|body|meta|title|div|p|h[1-6]|main)\b", re.I | re.S
)
_HTML_ANY = re.compile(
    r"<(?:html|body|div|p|h[1-6]|main|section|article|ul|ol|li|table|span|a)\b[^>]*>", re.I
)
_ERRORS = norm_set(ERROR_MARKERS)
_CHALLENGES = norm_set(CHALLENGE_MARKERS)
_LOGINS = norm_set(LOGIN_MARKERS)
_ERROR_CODE = re.compile(r"^(?:error\s*)?(?:40[0-9]|410|5\d\d)\b(?:\s*[-:|]?\s*[a-z ]{0,40})?$")
_MEMBER_SECTIONS = table_index(MEMBER_SECTIONS)
_COMMITMENT_LABELS = table_index(COMMITMENT_FIELDS)
_DIRECTORY = norm_set(DIRECTORY_HEADINGS)
_DOCUMENT = norm_set(DOCUMENT_MARKERS)
_TITLE_ID = re.compile(r"\(\s*[A-Za-z]{2,8}\d{2,6}[A-Za-z0-9]*\s*\)$")
_MEMBER_BULLET = re.compile(r"^(?:member since|miembro desde|membre depuis)\s*:?\s*\d{4}$")
_JOINED = re.compile(r"^(?:joined in|se unio en|a rejoint)\b")

KINDS = ("member", "commitment", "document", "directory")


def looks_like_html(text: str) -> bool:
    head = text[:4096]
    if head.lstrip().startswith("URL:"):
        return False
    return bool(_HTML_START.match(head) or len(_HTML_ANY.findall(head)) >= 3)


def rejection(blocks: list[Block], title: str = "", has_password: bool = False) -> str | None:
    """Why a page is not an OGP content page (a sentence without its ending), or None."""
    if not blocks:
        return "the page is empty"
    candidates = [title] if title else []
    for b in blocks:
        if len(candidates) >= 5:
            break
        if not is_chrome(b.text):
            candidates.append(b.text)
    for text in candidates:
        if len(text) > 200:
            continue
        f = norm(text)
        if f in _CHALLENGES or any(s in f for s in CHALLENGE_SUBSTRINGS):
            return "the page is a bot-check challenge"
    for text in candidates:
        f = norm(text) if len(text) <= 200 else ""
        if f in _ERRORS or _ERROR_CODE.match(f) or f.startswith(("page not found", "404 ")):
            return "the page is an error page"
        if f in _LOGINS:
            return "the page is a login wall"
    if has_password and len(blocks) < 40:
        return "the page is a login wall"
    return None


def kind_from_content(lines: list[Line]) -> str | None:
    """Guess the page kind from visible labels."""
    member = commitment = directory = document = 0
    for line in lines[:4000]:
        text = line.text
        if len(text) > 200:
            continue
        f = fold(text)
        k = norm(text)
        if _TITLE_ID.search(text):
            commitment += 2
        label = k.split(":", 1)[0].strip() if ":" in k else None
        if label and label in _COMMITMENT_LABELS:
            commitment += 1
        if _MEMBER_BULLET.match(f):
            member += 3
        if line.standalone and k in _MEMBER_SECTIONS:
            member += 1
        if _JOINED.match(f):
            directory += 2
        if line.standalone and k in _DIRECTORY:
            directory += 1
        if k in _DOCUMENT or (label and label in _DOCUMENT):
            document += 2
    scores = {
        "commitment": commitment if commitment >= 4 else 0,
        "member": member if member >= 2 else 0,
        "directory": directory if directory >= 2 else 0,
        "document": document if document >= 2 else 0,
    }
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] else None
