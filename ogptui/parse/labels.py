"""Visible labels of OGP pages in English, Spanish and French, and how to match them.

Each table maps a key to its labels per language. Matching is on `norm()`: case-folded, accents removed,
curly apostrophes straightened, whitespace collapsed, a trailing colon (and a trailing glossary `i`) dropped.

The words of *values* every layer shares (enumerated commitment values, resource types, formats, policy
areas) and `norm` itself live in `ogptui.vocab`, below the parser, search, compare and the TUI.
"""

from __future__ import annotations

from collections.abc import Iterable

from ogptui.model import COMMITMENT_PAGE_LABELS
from ogptui.vocab import (  # the shared word tables, re-exported for the parser's modules
    norm,
)

# Section headings of a member page.
MEMBER_SECTIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "on_the_page": {
        "en": ("On the page",),
        "es": ("En esta página",),
        "fr": ("Sur la page", "Sur cette page"),
    },
    "current_plan": {
        "en": ("Current Action Plan",),
        "es": ("Plan de acción actual",),
        "fr": ("Plan d'action actuel",),
    },
    "contact": {
        "en": ("Contact", "Contacts", "Point of Contact", "Points of Contact"),
        "es": ("Contacto", "Contactos", "Punto de contacto", "Puntos de contacto"),
        "fr": ("Point de contact", "Points de contact"),
    },
    "commitments": {"en": ("Commitments",), "es": ("Compromisos",), "fr": ("Engagements",)},
    "resources": {"en": ("Resources",), "es": ("Recursos",), "fr": ("Ressources",)},
    "current_data": {"en": ("Current Data",), "es": ("Datos actuales",), "fr": ("Données actuelles",)},
    "performance": {
        "en": ("Commitment Performance",),
        "es": ("Desempeño de los compromisos",),
        "fr": ("Performance des engagements",),
    },
    "starred_help": {
        "en": ("How to Get More Starred Commitments",),
        "es": ("Cómo obtener más compromisos estelares",),
        "fr": ("Comment obtenir plus d'engagements étoilés",),
    },
    "participation": {
        "en": ("Public Participation",),
        "es": ("Participación pública",),
        "fr": ("Participation publique",),
    },
    "global_report": {
        "en": ("OGP Global Report Data",),
        "es": ("Datos del Informe Global de OGP",),
        "fr": ("Données du rapport mondial de l'OGP",),
    },
    "posts": {
        "en": ("Recent Posts",),
        "es": ("Publicaciones recientes", "Entradas recientes"),
        "fr": ("Articles récents", "Publications récentes"),
    },
}

# Words that end a section without starting a new one.
SHOW_MORE = {"en": ("Show More",), "es": ("Ver más", "Mostrar más"), "fr": ("Voir plus", "Afficher plus")}

# Lines of site chrome that are never a page title.
CHROME = {
    "en": ("Skip Navigation", "Skip to content", "Skip to main content", "Menu", "Search", "Home"),
    "es": ("Saltar navegación", "Saltar al contenido", "Inicio", "Buscar"),
    "fr": ("Aller au contenu", "Passer la navigation", "Accueil", "Rechercher"),
}

MORE_LINK = ("more", "(more)", "mas", "(mas)", "plus", "(plus)", "en savoir plus", "leer mas")
NARRATIVE_COUNT = (
    r"implementing\s+(\d+)\s+commitments",
    r"implementando\s+(\d+)\s+compromisos",
    r"met\s+en\s+(?:oe|œ)uvre\s+(\d+)\s+engagements",
)

# Contacts: side markers.
SIDES = {
    "government": ("Government", "Gobierno", "Gouvernement"),
    "civil society": ("Civil Society", "Sociedad Civil", "Société civile", "Societe civile"),
}

# Performance chart and benchmarks.
BENCHMARK_SCOPES = {"global": ("Global",), "regional": ("Regional", "Régional")}
PHASES = {
    "development": ("Development", "Desarrollo", "Élaboration", "Développement"),
    "implementation": (
        "Implementation",
        "Implementación",
        "Mise en œuvre",
        "Mise en oeuvre",
        "Implémentation",
    ),
}
PARTICIPATION_LEVELS = {
    "Collaborate": ("Collaborate", "Colaborar", "Collaborer"),
    "Involve": ("Involve", "Involucrar", "Impliquer"),
    "Consult": ("Consult", "Consultar", "Consulter"),
    "Inform": ("Inform", "Informar", "Informer"),
    "No Consultation": ("No Consultation", "Sin consulta", "Pas de consultation"),
}

# Global Report block.
GLOBAL_REPORT_AREAS = {
    "Anti-Corruption": ("Anti-Corruption", "Anticorrupción", "Lutte contre la corruption", "Anti-corruption"),
    "Civic Space": ("Civic Space", "Espacio cívico", "Espace civique"),
    "Open Policy Making": (
        "Open Policy Making",
        "Elaboración de políticas abiertas",
        "Élaboration de politiques ouvertes",
    ),
    "Access to Information": ("Access to Information", "Acceso a la información", "Accès à l'information"),
    "Fiscal Openness": ("Fiscal Openness", "Apertura fiscal", "Ouverture fiscale"),
}
ACTION_IMPLICATIONS = ("Action Implications", "Implicaciones de acción", "Implications pour l'action")
# Action implication values → their English word (stored in English, like the other enumerated values).
IMPLICATION_VALUES = {
    "Consider Action": ("Consider Action", "Considerar acción", "Envisager une action", "Envisager des actions"),
    "Implement for Results": (
        "Implement for Results",
        "Implementar para obtener resultados",
        "Implementar para resultados",
        "Mettre en œuvre pour des résultats",
        "Mettre en œuvre pour obtenir des résultats",
    ),
}

# Commitment page: `Label: value` fields (declared with the record, in ogptui/model.py), and bare section
# headings.
COMMITMENT_FIELDS: dict[str, dict[str, tuple[str, ...]]] = COMMITMENT_PAGE_LABELS
COMMITMENT_SECTIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "overview": {"en": ("Overview",), "es": ("Resumen",), "fr": ("Aperçu",)},
    "at_a_glance": {
        "en": ("At-a-Glance", "At a Glance"),
        "es": ("De un vistazo", "En un vistazo"),
        "fr": ("En bref", "En un coup d'œil"),
    },
    "institutions": {"en": ("Institutions",), "es": ("Instituciones",)},
    "policy_areas": {"en": ("Policy Areas",), "es": ("Áreas de política",), "fr": ("Domaines politiques",)},
    "irm_review": {"en": ("IRM Review",), "es": ("Revisión del IRM",), "fr": ("Revue IRM",)},
    "design": {"en": ("Design",), "es": ("Diseño",), "fr": ("Conception",)},
    "implementation": {"en": ("Implementation",), "es": ("Implementación",), "fr": ("Implémentation",)},
    "description": {"en": ("Description",), "es": ("Descripción",)},
}

# Directory page.
DIRECTORY_HEADINGS = ("Members", "Miembros", "Membres")
JOINED = (r"joined in\s+(\d{4})", r"se unio en\s+(\d{4})", r"a rejoint (?:l'ogp )?en\s+(\d{4})")
IMAGE_ALT_PREFIX = ("image for ", "imagen de ", "image pour ")

# Document page.
DOCUMENT_MARKERS = (
    "at a glance",
    "table i. at a glance",
    "type of report",
    "dates under review",
    "report publication year",
    "action plan under review",
    "tipo de informe",
    "type de rapport",
    "tabla i. de un vistazo",
    "tableau i. en bref",
    "plan de accion en revision",
    "plan d'action examine",
)

# Row labels of a document's "At a glance" table (IRM reports) and of the newer Action Plan Review pages.
# Used to tell `Label value` rows without a colon, and a label whose value is on the next line.
GLANCE_LABELS_BY_LANG: dict[str, tuple[str, ...]] = {
    "en": (
        "Member since",
        "Action plan under review",
        "Type of report",
        "Number of commitments",
        "Is there a multi-stakeholder forum?",
        "Level of public influence",
        "Acted contrary to OGP process",
        "Relevant to OGP values",
        "Transformative",
        "Potentially starred",
        "Starred commitments",
        "Completed commitments",
        "Commitments with major DIOG*",
        "Commitments with major DIOG",
        "Promising commitments",
        "Action Plan",
        "Dates Under Review",
        "Report Publication Year",
    ),
    "es": (
        "Miembro desde",
        "Plan de acción en revisión",
        "Tipo de informe",
        "Número de compromisos",
        "¿Existe un foro multiactor?",
        "Nivel de influencia del público",
        "Actuó en contra del proceso de OGP",
        "Relevantes para los valores de OGP",
        "Transformadores",
        "Potencialmente estelares",
        "Compromisos estelares",
        "Compromisos completados",
    ),
    "fr": (
        "Membre depuis",
        "Plan d'action examiné",
        "Type de rapport",
        "Nombre d'engagements",
        "Existe-t-il un forum multipartite ?",
        "Niveau d'influence du public",
        "A agi contrairement au processus OGP",
        "Pertinents pour les valeurs OGP",
        "Transformateurs",
        "Potentiellement étoilés",
        "Engagements étoilés",
        "Engagements achevés",
    ),
}
GLANCE_LABELS = tuple(x for labels in GLANCE_LABELS_BY_LANG.values() for x in labels)

# Rejections: lines that mean the page is not an OGP content page.
ERROR_MARKERS = (
    "page not found",
    "404",
    "404 not found",
    "not found",
    "error 404",
    "404 error",
    "500 internal server error",
    "internal server error",
    "502 bad gateway",
    "503 service unavailable",
    "service unavailable",
    "bad gateway",
    "pagina no encontrada",
    "page introuvable",
    "page non trouvee",
    "oops! that page can't be found.",
    "nothing found",
)
CHALLENGE_MARKERS = (
    "just a moment...",
    "just a moment",
    "checking your browser",
    "checking your browser before accessing",
    "enable javascript and cookies to continue",
    "attention required! | cloudflare",
    "verify you are human",
    "verifying you are human. this may take a few seconds.",
    "please complete the security check to access",
    "ddos protection by cloudflare",
    "un momento...",
    "un instant...",
)
CHALLENGE_SUBSTRINGS = (
    "cloudflare",
    "cf-ray",
    "ray id:",
    "checking your browser",
    "enable javascript and cookies",
)
LOGIN_MARKERS = (
    "log in",
    "login",
    "sign in",
    "sign in to continue",
    "log in to continue",
    "please log in",
    "please sign in",
    "iniciar sesion",
    "se connecter",
    "connexion",
    "username or email address",
    "lost your password?",
)


def norm_set(labels: Iterable[str]) -> frozenset[str]:
    return frozenset(norm(x) for x in labels)


def table_index(table: dict[str, dict[str, tuple[str, ...]]]) -> dict[str, tuple[str, str]]:
    """{norm(label): (key, lang)} for a {key: {lang: labels}} table."""
    out: dict[str, tuple[str, str]] = {}
    for key, by_lang in table.items():
        for lang, labels in by_lang.items():
            for label in labels:
                out.setdefault(norm(label), (key, lang))
    return out
