"""Document pages and attachment files of the fake site (issue 13). Everything is invented.

Every resource of a member whose link is `/documents/<slug>/` has a document page, made from the resource
(deterministic: same resource → same page): IRM reports (and report comments) carry their text on the page —
a summary, an "At a glance" table in several row styles, sections under headings — while action plans,
letters, self-assessments and the rest have a short page with a PDF under `/wp-content/uploads/…`. The PDFs
are written here with fpdf2 (never real OGP files); each one has a word on its last page that is nowhere else
(`pdf_word`), so tests can prove that search finds text only a PDF holds.

Pages are rendered in two markups: WordPress-like (Elementor widgets inside the site chrome) and plain
semantic HTML (tables for the glance rows); `markup_for` picks one per document, so a site serves both.
"""

from __future__ import annotations

import functools
import re
import zlib
from dataclasses import dataclass
from html import escape

from ogptui.model import DocumentAttachment, DocumentPage, DocumentSection, Member, Resource
from ogptui.urls import document_slug

from . import chrome
from .translations import GLANCE_WORDS, HTML_LANG, WORDS, label

MARKUPS = ("wordpress", "semantic")
TEXT_TYPES = frozenset({"IRM Report", "Report Comments"})
PDF_TYPE = "application/pdf"

_FILLER = (
    "The multi-stakeholder forum met four times during the development of the plan.",
    "Civil society organisations asked for clearer milestones and public progress reports.",
    "The government published the draft for comment and answered most of the submissions.",
    "Several commitments continue reforms that started under earlier action plans.",
    "The IRM recommends that each commitment name one lead institution and a budget.",
    "Implementation will be tracked on a public dashboard updated every quarter.",
    "Regional governments took part in the consultation for the first time.",
    "Access to information requests rose after the new portal opened.",
)


def e(text: object) -> str:
    return escape("" if text is None else str(text))


def pdf_word(slug: str) -> str:
    """A word that appears only in the PDF of this document (letters only, one search token)."""
    if slug == "peru-action-plan-2023-2025":
        return "quipucamayoc"
    n = zlib.crc32(slug.encode())
    letters = ""
    for _ in range(7):
        n, r = divmod(n, 26)
        letters += chr(ord("a") + r)
    return "zq" + letters


def file_path(slug: str, year: int | None) -> str:
    return f"/wp-content/uploads/{year or 2020}/{slug}.pdf"


def markup_for(slug: str) -> str:
    """Which markup a generated document page uses (both occur on every site)."""
    if slug == "peru-design-report-2019-2021":
        return "wordpress"
    return MARKUPS[zlib.crc32(slug.encode()) % 2]


# ---------------------------------------------------------------------------------------------- records


def _paras(slug: str, n: int, words: int = 0) -> list[str]:
    """`n` paragraphs of filler (deterministic for the slug); `words` pads each to about that many words."""
    seed = zlib.crc32(slug.encode())
    out = []
    for i in range(n):
        picks = [_FILLER[(seed + i * 3 + k) % len(_FILLER)] for k in range(3)]
        text = " ".join(picks)
        while words and len(text.split()) < words:
            text += " " + _FILLER[(seed + len(text)) % len(_FILLER)]
        out.append(text)
    return out


def peru_design_report(url: str) -> DocumentPage:
    """The shape of captures/document-peru-design-report-2019-2021.txt (text invented where not captured)."""
    return DocumentPage(
        title="Peru Design Report 2019-2021",
        summary=(
            "The majority of commitments included in Peru’s fourth action plan are relevant to OGP values, but "
            "their potential impact is low. The IRM researcher recommends for the newly-created multi-stakeholder "
            "forum to play a key role in monitoring and enhancing the commitments’ open government component."
        ),
        at_a_glance={
            "Member since": "2011",
            "Action plan under review": "4",
            "Type of report": "Design",
            "Number of commitments": "21",
            "Is there a multi-stakeholder forum?": "No",
            "Level of public influence": "Involve",
            "Acted contrary to OGP process": "No",
            "Relevant to OGP values": "17 (81%)",
            "Transformative": "1 (5%)",
            "Potentially starred": "1 (5%)",
        },
        sections=[
            DocumentSection(
                heading="Introduction",
                text=(
                    "The Open Government Partnership (OGP) is a global partnership that brings together government "
                    "reformers and civil society leaders to create action plans that make governments more "
                    "inclusive, responsive, and accountable. Peru joined OGP in 2011. This report evaluates the "
                    "design of Peru’s fourth action plan."
                ),
            ),
            DocumentSection(
                heading="General overview of action plan",
                text=(
                    "Peru’s fourth action plan includes commitments that, for the most part, represent "
                    "incremental positive steps to open up the government. For the development of the plan, the "
                    "Secretariat of Public Administration developed a public feedback mechanism.\n\n"
                    "However, the plan still fails to represent an ambitious agenda of commitments designed to "
                    "bring about significant change in the water and sanitation sector."
                ),
            ),
        ],
        url=url,
        slug="peru-design-report-2019-2021",
        language="en",
    )


_GLANCE_GROUPS = (
    (None, ("Member since", "Action plan under review", "Type of report", "Number of commitments")),
    (
        "Action plan development",
        ("Is there a multi-stakeholder forum?", "Level of public influence", "Acted contrary to OGP process"),
    ),
    ("Action plan design", ("Relevant to OGP values", "Transformative", "Potentially starred")),
)


def document_for(member: Member, r: Resource, base: str = "") -> DocumentPage:
    """The page of one resource of `member` (deterministic). `base` is the site's address (for the URL)."""
    slug = document_slug(r.url) or "document"
    url = f"{base}/documents/{slug}/"
    if slug == "peru-design-report-2019-2021":
        return peru_design_report(url)
    paras = _paras(slug, 4)
    if (r.type or "") in TEXT_TYPES:
        n = zlib.crc32(slug.encode()) % 20 + 3
        glance = {
            "Member since": str(member.member_since or 2015),
            "Action plan under review": str(member.action_plan or 1),
            "Type of report": "Design" if "Design" in r.title or "Review" in r.title else "Results",
            "Number of commitments": str(n),
            "Is there a multi-stakeholder forum?": "Yes" if n % 2 else "No",
            "Level of public influence": ("Involve", "Consult", "Collaborate")[n % 3],
            "Relevant to OGP values": f"{n - 1} ({round(100 * (n - 1) / n)}%)",
            "Transformative": f"1 ({round(100 / n)}%)",
            "Potentially starred": f"{n % 3} ({round(100 * (n % 3) / n)}%)",
        }
        return DocumentPage(
            title=r.title,
            summary=f"{member.name}: {paras[0]}",
            at_a_glance=glance,
            sections=[
                DocumentSection(
                    heading="Section I: Overview of the action plan", text=f"{paras[1]}\n\n{paras[2]}"
                ),
                DocumentSection(heading="Section II: Promising commitments", text=paras[3]),
            ],
            url=url,
            slug=slug,
            language="en",
        )
    return DocumentPage(
        title=r.title,
        summary=f"{r.title}: the document as published by {member.name}. {paras[0]}",
        sections=[DocumentSection(heading="About this document", text=paras[1])],
        attachments=[DocumentAttachment(url=f"{base}{file_path(slug, r.year)}", name=f"{r.title} (PDF)")],
        url=url,
        slug=slug,
        language="en",
    )


_SYLL = ("ka", "lo", "mi", "ne", "po", "ru", "sa", "te", "vi", "zo", "bra", "cle", "dri", "fro", "gle", "pla")


@functools.lru_cache(maxsize=1)
def _vocabulary() -> tuple[list[str], list[float]]:
    """20,000 words with Zipf weights (the shape of word frequencies in real text): the most frequent are
    English words of the domain, the rest invented."""
    import itertools
    import random

    domain = [w for p in _FILLER for w in re.findall(r"[a-z]+", p.lower())]
    domain += [
        "government",
        "open",
        "data",
        "budget",
        "procurement",
        "commitment",
        "plan",
        "forum",
        "society",
        "civil",
        "access",
        "information",
        "transparency",
        "accountability",
        "participation",
        "reform",
        "ministry",
        "report",
        "implementation",
        "review",
        "design",
    ]
    words = list(dict.fromkeys(domain))
    invented = []
    for combo in itertools.product(_SYLL, repeat=4):
        invented.append("".join(combo))
        if len(words) + len(invented) >= 20_000:
            break
    random.Random(13).shuffle(invented)
    words += invented
    cum, total = [], 0.0
    for r in range(1, len(words) + 1):
        total += 1.0 / r
        cum.append(total)
    return words, cum


def big_document(slug: str, kb: int, base: str = "") -> DocumentPage:
    """A document of about `kb` KB of body text in 10 sections (for benchmarks): words drawn from a Zipf
    distribution over a 20,000-word vocabulary, so common words are in every document and rare ones in few,
    as in real reports."""
    import random

    words, cum = _vocabulary()
    rng = random.Random(zlib.crc32(slug.encode()))
    per = max(20, kb * 1024 // 10 // 8)  # ~8 bytes a word
    sections = []
    for i in range(10):
        picked = rng.choices(words, cum_weights=cum, k=per)
        sentences = [" ".join(picked[j : j + 15]).capitalize() + "." for j in range(0, per, 15)]
        sections.append(DocumentSection(heading=f"Section {i + 1}", text=" ".join(sentences)))
    return DocumentPage(
        title=f"Report {slug}",
        summary=_paras(slug, 1)[0],
        at_a_glance={"Type of report": "Design", "Number of commitments": "12"},
        sections=sections,
        url=f"{base}/documents/{slug}/",
        slug=slug,
        language="en",
    )


def pdf_pages(page: DocumentPage) -> list[str]:
    """The text of each page of a generated document's PDF (the last one holds `pdf_word`)."""
    slug = page.slug or ""
    paras = _paras(slug + "-pdf", 2)
    return [
        f"{page.title}. {paras[0]}",
        f"Commitments of the plan. {paras[1]}",
        f"Annex: glossary. The word {pdf_word(slug)} appears only in this file.",
    ]


@functools.lru_cache(maxsize=256)
def pdf_file(texts: tuple[str, ...]) -> bytes:
    """A real PDF (fpdf2, core font) with one page per text; characters outside Latin-1 become '-'."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for text in texts:
        pdf.add_page()
        pdf.multi_cell(0, 6, text.encode("latin-1", "replace").decode("latin-1").replace("?", "-"))
    return bytes(pdf.output())


# ---------------------------------------------------------------------------------------------- HTML


@dataclass(frozen=True)
class _Row:
    label: str
    value: str


def _lang(page: DocumentPage) -> str:
    return page.language if page.language in GLANCE_WORDS else "en"


def _glance(page: DocumentPage) -> list[tuple[str | None, list[_Row]]]:
    """The At-a-glance rows in groups under their sub-headings (labels of unknown groups go first), with
    the group headings in the page's language."""
    lang = _lang(page)
    labels_in = GLANCE_WORDS.get(lang, {})
    words = WORDS.get(lang, {})
    left = dict(page.at_a_glance)
    groups: list[tuple[str | None, list[_Row]]] = []
    for heading, labels in _GLANCE_GROUPS:
        shown = [labels_in.get(k, k) for k in labels]
        rows = [_Row(k, left.pop(k)) for k in shown if k in left]
        if rows:
            groups.append((words.get(heading, heading) if heading else None, rows))
    if left:
        groups.insert(0, (None, [_Row(k, v) for k, v in left.items()]))
    return groups


def _wp_widget(inner: str, kind: str = "text-editor") -> str:
    return (
        f'<div class="elementor-element elementor-widget elementor-widget-{kind}">'
        f'<div class="elementor-widget-container">{inner}</div></div>\n'
    )


_COUNT = re.compile(r"^\d{1,5}(?: \(\d{1,3}%\))?$|^(?:Yes|No|Sí|Oui|Non)$")
_INFLUENCE = frozenset({"Level of public influence", *(w["Level of public influence"] for w in GLANCE_WORDS.values())})


def _wp_row(i: int, row: _Row) -> str:
    """Row styles vary as on the real pages (see the capture): `Label: value`; `Label   value` (a run of
    spaces) for questions and counts; a label and its value on two lines."""
    if row.label in _INFLUENCE and i % 2:
        return f'<div class="glance-label">{e(row.label)}</div><div class="glance-value">{e(row.value)}</div>'
    spaces = row.label.endswith("?") or (i % 2 == 1 and _COUNT.match(row.value))
    sep = "&nbsp; &nbsp; " if spaces else ": "
    return f'<div class="glance-row"><p>{e(row.label)}{sep}<strong>{e(row.value)}</strong></p></div>'


def _paragraphs(text: str, wrap: str = "p") -> str:
    out = []
    for para in text.split("\n\n"):
        if para.startswith("• "):
            out.append(f"<ul><li>{e(para[2:])}</li></ul>")
        elif para.strip():
            out.append(f"<{wrap}>{e(para)}</{wrap}>")
    return "".join(out)


def _canonical(page: DocumentPage) -> str:
    lang = _lang(page)
    return f"{'' if lang == 'en' else '/' + lang}/documents/{page.slug}/"


def wordpress_html(page: DocumentPage) -> str:
    lang = _lang(page)
    design = WORDS.get(lang, {}).get("Action plan design", "Action plan design")
    parts = [_wp_widget(f'<h1 class="elementor-heading-title">{e(page.title)}</h1>', "heading")]
    if page.summary:
        parts.append(_wp_widget(f"<p>{e(page.summary)}</p>"))
    if page.at_a_glance:
        caption = e(label("glance_caption", lang))
        parts.append(_wp_widget(f'<h3 class="elementor-heading-title">{caption}</h3>', "heading"))
        for heading, rows in _glance(page):
            if heading:
                parts.append(_wp_widget(f'<h3 class="elementor-heading-title">{e(heading)}</h3>', "heading"))
                if heading == design:
                    parts.append(_wp_widget(f"<p>{e(label('commitments_that_are', lang))}</p>"))
            parts.append(_wp_widget("".join(_wp_row(i, r) for i, r in enumerate(rows))))
    for sec in page.sections:
        if sec.heading:
            parts.append(_wp_widget(f'<h2 class="elementor-heading-title">{e(sec.heading)}</h2>', "heading"))
        parts.append(_wp_widget(_paragraphs(sec.text)))
    if page.attachments:
        links = "".join(
            f'<div class="download"><a class="elementor-button" href="{e(a.url)}"><span>{e(a.name)}</span></a></div>'
            for a in page.attachments
        )
        parts.append(_wp_widget(links, "button"))
    main = (
        '<article class="document type-document"><div class="elementor"><section class="elementor-section">'
        '<div class="elementor-container"><div class="elementor-widget-wrap">\n'
        + "".join(parts)
        + "</div></div></section></div></article>"
    )
    return chrome.page(
        page.title or "",
        "document-template-default single single-document",
        main,
        canonical=_canonical(page),
        lang=lang,
    )


def semantic_html(page: DocumentPage) -> str:
    lang = _lang(page)
    out = [
        f'<!doctype html>\n<html lang="{HTML_LANG[lang][:2]}"><head><meta charset="utf-8">'
        f"<title>{e(page.title)} – OGP</title>"
        f'<link rel="canonical" href="{chrome.SITE}{e(_canonical(page))}"></head>\n<body>\n<main>\n'
        f"<h1>{e(page.title)}</h1>\n"
    ]
    if page.summary:
        out.append(f"<p>{e(page.summary)}</p>\n")
    if page.at_a_glance:
        out.append(f"<h3>{e(label('glance_caption', lang))}</h3>\n")
        for heading, rows in _glance(page):
            if heading:
                out.append(f"<h3>{e(heading)}</h3>\n")
            out.append(
                "<table>"
                + "".join(f"<tr><th>{e(r.label)}</th><td>{e(r.value)}</td></tr>" for r in rows)
                + "</table>\n"
            )
    for sec in page.sections:
        if sec.heading:
            out.append(f"<h2>{e(sec.heading)}</h2>\n")
        out.append(_paragraphs(sec.text) + "\n")
    if page.attachments:
        out.append(
            "<ul>"
            + "".join(f'<li><a href="{e(a.url)}">{e(a.name)}</a></li>' for a in page.attachments)
            + "</ul>\n"
        )
    out.append("</main>\n<footer><p>Open Government Partnership</p></footer>\n</body></html>\n")
    return "".join(out)


def document_html(page: DocumentPage, markup: str) -> str:
    return wordpress_html(page) if markup == "wordpress" else semantic_html(page)
