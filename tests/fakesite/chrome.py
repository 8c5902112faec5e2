"""WordPress-like page chrome: head with styles and scripts, a mega-menu header, a footer.

Real member pages are 100–200 KB, mostly this. It is deterministic (built once) and holds no member data,
so a page's ETag changes only when its own data changes. `NONCE` marks where a per-response token goes.
"""

from __future__ import annotations

import json
from functools import lru_cache
from html import escape

from .translations import HTML_LANG, label

NONCE = "__OGP_FAKESITE_NONCE__"

_MENU = {
    "About": (
        "About OGP",
        "Open Government Declaration",
        "Articles of Governance",
        "Steering Committee",
        "Support Unit",
        "Independent Reporting Mechanism",
        "Financials",
        "Careers",
        "Contact Us",
        "Strategy 2023-2028",
        "Annual Reports",
        "Frequently Asked Questions",
    ),
    "Members": (
        "Members",
        "National Members",
        "Local Members",
        "Join OGP",
        "Action Plans",
        "Commitments",
        "Points of Contact",
        "Parliaments in OGP",
        "OGP Local",
        "Members Map",
    ),
    "Policy Areas": (
        "Anti-Corruption",
        "Access to Information",
        "Beneficial Ownership",
        "Civic Space",
        "Climate and Environment",
        "Digital Governance",
        "Fiscal Openness",
        "Gender and Inclusion",
        "Justice",
        "Lobbying",
        "Media Freedom",
        "Natural Resources",
        "Open Contracting",
        "Open Parliaments",
        "Public Participation",
        "Public Service Delivery",
        "Regulatory Governance",
        "Right to Information",
        "Water and Sanitation",
        "Youth",
    ),
    "Resources": (
        "Resource Library",
        "IRM Reports",
        "Action Plan Reviews",
        "Results Reports",
        "OGP Global Report",
        "Guidance and Toolkits",
        "Open Gov Guide",
        "Data Dashboard",
        "Research Products",
        "Case Studies",
    ),
    "News & Events": (
        "Stories",
        "Blog",
        "Press Releases",
        "Events",
        "Summits",
        "Newsletter",
        "Podcasts",
        "Videos",
        "Open Gov Week",
        "Open Gov Challenge",
    ),
}

_PRESET_COLORS = [
    "black",
    "cyan-bluish-gray",
    "white",
    "pale-pink",
    "vivid-red",
    "luminous-vivid-orange",
    "luminous-vivid-amber",
    "light-green-cyan",
    "vivid-green-cyan",
    "pale-cyan-blue",
    "vivid-cyan-blue",
    "vivid-purple",
    "ogp-navy",
    "ogp-teal",
    "ogp-orange",
    "ogp-sand",
    "ogp-sky",
    "ogp-slate",
    "ogp-mint",
    "ogp-coral",
]


def _slug(text: str) -> str:
    return "-".join("".join(c.lower() if c.isalnum() else " " for c in text).split())


def _inline_css() -> str:
    """Global-styles inline CSS as WordPress block themes emit it (tens of KB)."""
    out = [":root{"]
    for i, c in enumerate(_PRESET_COLORS):
        out.append(f"--wp--preset--color--{c}: #{(i * 0x3A5F1D) % 0xFFFFFF:06x};")
    for i, a in enumerate(_PRESET_COLORS):
        for b in _PRESET_COLORS[i + 1 : i + 4]:
            out.append(
                f"--wp--preset--gradient--{a}-to-{b}: linear-gradient(135deg,var(--wp--preset--color--{a}) 0%,"
                f"var(--wp--preset--color--{b}) 100%);"
            )
    for n, size in enumerate(("13px", "16px", "20px", "36px", "42px", "56px")):
        out.append(f"--wp--preset--font-size--size-{n}: {size};")
    for n in range(1, 8):
        out.append(f"--wp--preset--spacing--{n * 10}: {0.44 * n:.2f}rem;")
    out.append("}")
    for kind in ("color", "background-color", "border-color"):
        for c in _PRESET_COLORS:
            out.append(f".has-{c}-{kind}{{{kind}: var(--wp--preset--color--{c}) !important;}}")
    for i, a in enumerate(_PRESET_COLORS):
        for b in _PRESET_COLORS[i + 1 : i + 4]:
            out.append(
                f".has-{a}-to-{b}-gradient-background{{background: var(--wp--preset--gradient--{a}-to-{b}) !important;}}"
            )
    for bp in (480, 768, 1024, 1280):
        out.append(f"@media (min-width: {bp}px){{")
        for col in range(1, 13):
            out.append(f".col-{bp}-{col}{{flex:0 0 {col / 12 * 100:.4f}%;max-width:{col / 12 * 100:.4f}%;}}")
            out.append(f".offset-{bp}-{col}{{margin-left:{col / 12 * 100:.4f}%;}}")
        for side in ("top", "right", "bottom", "left"):
            for n in range(0, 6):
                out.append(f".m{side[0]}-{bp}-{n}{{margin-{side}:{n * 0.25:.2f}rem !important;}}")
                out.append(f".p{side[0]}-{bp}-{n}{{padding-{side}:{n * 0.25:.2f}rem !important;}}")
        out.append("}")
    return "\n".join(out)


def _menu_html() -> str:
    parts = ['<ul id="primary-menu" class="menu nav-menu" aria-expanded="false">']
    item_id = 1200
    for top, items in _MENU.items():
        item_id += 1
        parts.append(
            f'<li id="menu-item-{item_id}" class="menu-item menu-item-type-custom menu-item-object-custom '
            f'menu-item-has-children menu-item-{item_id}"><a href="#" class="menu-link">{escape(top)}</a>'
            f'<div class="mega-menu"><div class="mega-menu__inner container"><ul class="sub-menu">'
        )
        for it in items:
            item_id += 1
            parts.append(
                f'<li id="menu-item-{item_id}" class="menu-item menu-item-type-post_type menu-item-object-page '
                f'menu-item-{item_id}"><a href="/{_slug(top)}/{_slug(it)}/" class="menu-link sub-menu-link">'
                f"{escape(it)}</a></li>"
            )
        parts.append("</ul></div></div></li>")
    parts.append("</ul>")
    return "\n".join(parts)


def _svg_icons() -> str:
    icons = []
    for name in (
        "facebook",
        "x-twitter",
        "linkedin",
        "youtube",
        "instagram",
        "flickr",
        "search",
        "close",
        "menu",
    ):
        path = " ".join(f"M{i * 3 % 24} {i * 7 % 24}l{i % 5} {i % 3}" for i in range(40))
        icons.append(f'<symbol id="icon-{name}" viewBox="0 0 24 24"><path d="{path}z"/></symbol>')
    return '<svg xmlns="http://www.w3.org/2000/svg" style="display:none">' + "".join(icons) + "</svg>"


def _scripts() -> str:
    settings = {
        "baseUrl": "https://s.w.org/images/core/emoji/15.0.3/72x72/",
        "ext": ".png",
        "svgUrl": "https://s.w.org/images/core/emoji/15.0.3/svg/",
        "svgExt": ".svg",
        "source": {"concatemoji": "/wp-includes/js/wp-emoji-release.min.js?ver=6.5.5"},
    }
    menu_data = {
        "items": [
            {"id": 1200 + i, "title": it, "url": f"/{_slug(top)}/{_slug(it)}/", "parent": top, "order": i}
            for i, (top, items) in enumerate(_MENU.items())
            for it in items
        ],
        "i18n": {
            k: f"{k} label"
            for k in (
                "search",
                "close",
                "open",
                "menu",
                "skip",
                "next",
                "previous",
                "loading",
                "more",
                "less",
            )
        },
    }
    schema = {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "WebSite",
                "@id": "/#website",
                "url": "/",
                "name": "Open Government Partnership",
                "potentialAction": [{"@type": "SearchAction", "target": "/?s={search_term_string}"}],
            },
            {
                "@type": "Organization",
                "@id": "/#organization",
                "name": "Open Government Partnership",
                "logo": {"@type": "ImageObject", "url": "/wp-content/uploads/2019/07/ogp-logo.png"},
                "sameAs": [f"https://social.example/{n}" for n in ("fb", "x", "li", "yt", "ig")],
            },
        ],
    }
    # A minified-looking library chunk, as themes bundle them inline.
    lib = ";".join(
        f"function _{i:x}(e,t){{var n=e&&e[{i % 7}]||{{}};return t?n[t]||_{(i + 1) % 64:x}(n,t):n}}"
        for i in range(400)
    )
    return "\n".join(
        (
            f"<script>window._wpemojiSettings = {json.dumps(settings)};</script>",
            f'<script type="application/ld+json" class="yoast-schema-graph">{json.dumps(schema)}</script>',
            "<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);}"
            " gtag('js', new Date()); gtag('config', 'G-XXXXXXX');</script>",
            f'<script id="ogp-menu-data">var ogpMenuData = {json.dumps(menu_data)};</script>',
            f'<script id="ogp-theme-lib">(function(){{"use strict";{lib}}})();</script>',
        )
    )


def _footer() -> str:
    cols = []
    for top, items in _MENU.items():
        links = "".join(f'<li><a href="/{_slug(top)}/{_slug(it)}/">{escape(it)}</a></li>' for it in items)
        cols.append(
            f'<div class="footer-col"><h6 class="footer-col__title">{escape(top)}</h6><ul>{links}</ul></div>'
        )
    return (
        '<footer id="colophon" class="site-footer"><div class="container"><div class="footer-cols">'
        + "".join(cols)
        + '</div><div class="site-info"><p>Open Government Partnership</p>'
        "<p>1110 Vermont Ave NW, Suite 500, Washington, DC 20005</p>"
        '<p><a href="/privacy-policy/">Privacy Policy</a> <a href="/terms/">Terms of Use</a></p>'
        "</div></div></footer>"
    )


@lru_cache(maxsize=1)
def _parts() -> tuple[str, str, str]:
    styles = "\n".join(
        f"<link rel='stylesheet' id='{n}-css' href='/wp-content/themes/ogp/assets/css/{n}.css?ver=3.{i}.1' "
        "media='all' />"
        for i, n in enumerate(
            ("wp-block-library", "classic-theme", "global", "ogp-main", "ogp-members", "print")
        )
    )
    head = (
        '<meta name="viewport" content="width=device-width, initial-scale=1" />'
        '<link rel="profile" href="https://gmpg.org/xfn/11" />' + styles + "\n"
        f'<style id="global-styles-inline-css">{_inline_css()}</style>\n' + _scripts()
    )
    header = (
        '<header id="masthead" class="site-header"><div class="site-header__inner container">'
        '<div class="site-branding"><a href="/" rel="home" class="custom-logo-link">'
        '<img src="/wp-content/uploads/2019/07/ogp-logo.png" alt="Open Government Partnership" /></a></div>'
        '<nav id="site-navigation" class="main-navigation" aria-label="Primary">'
        '<button class="menu-toggle" aria-controls="primary-menu" aria-expanded="false">Menu</button>'
        + _menu_html()
        + '</nav><div class="header-search"><form role="search" method="get" action="/">'
        '<input type="search" name="s" placeholder="Search" /></form></div></div></header>'
    )
    return head, _svg_icons() + header, _footer()


SITE = "https://www.opengovpartnership.org"


def page(title: str, body_class: str, main_html: str, canonical: str | None = None, lang: str = "en") -> str:
    """A whole HTML document around `main_html`, with the nonce placeholder in a script and a comment.

    `canonical` (a path) becomes `<link rel="canonical">` and `og:url` on the real site's address, as a
    WordPress SEO plugin writes them. `lang` ("en", "es", "fr") sets `<html lang>` and the skip link.
    """

    head, header, footer = _parts()
    ident = (
        f'<link rel="canonical" href="{SITE}{escape(canonical)}" />\n'
        f'<meta property="og:url" content="{SITE}{escape(canonical)}" />\n'
        if canonical
        else ""
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{HTML_LANG[lang]}">\n<head>\n<meta charset="UTF-8" />\n'
        f"<title>{escape(title)} - Open Government Partnership</title>\n{ident}{head}\n"
        f'<script>var ogpNonce = "{NONCE}";</script>\n</head>\n'
        f'<body class="{body_class} wp-custom-logo wp-embed-responsive">\n'
        f'<a class="skip-link screen-reader-text" href="#content">{escape(label("skip", lang))}</a>\n'
        f'<div id="page" class="site">\n{header}\n'
        f'<div id="content" class="site-content"><main id="main" class="site-main">\n{main_html}\n</main></div>\n'
        f"{footer}\n</div>\n"
        '<script src="/wp-content/themes/ogp/assets/js/main.min.js?ver=3.2.1" id="ogp-main-js"></script>\n'
        f"<!-- Page generated by the fake OGP site; request {NONCE} -->\n</body>\n</html>\n"
    )
