"""Visible labels of OGP pages in English, Spanish and French, and how to match them.

Each table maps a key to its labels per language. Matching is on `norm()`: case-folded, accents removed,
curly apostrophes straightened, whitespace collapsed, a trailing colon (and a trailing glossary `i`) dropped.

Also the words of values in the three languages: `COMMITMENT_VALUES` (enumerated values → their canonical
English word) and the tables behind `resource_type_key`, `resource_format_key` and `policy_area_key`. Over
400 lines because it is data: every word of every table in English, Spanish and French, kept in one place.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from ogptui.model import COMMITMENT_PAGE_LABELS

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

# Enumerated commitment-page values → the canonical English word the rest of the code compares against
# (`compare.COMPLETION`, the TUI's distributions): {canonical: {language: words}}. Words not listed here are
# kept as the page gives them. Applied to VALUE_FIELDS and to a pending `IRM Report` value.
COMMITMENT_VALUES: dict[str, dict[str, tuple[str, ...]]] = {
    "Yes": {"es": ("Sí", "Si"), "fr": ("Oui",)},
    "No": {"es": ("No",), "fr": ("Non",)},
    "Low": {"es": ("Bajo", "Baja"), "fr": ("Bas", "Basse", "Faible")},
    "High": {"es": ("Alto", "Alta"), "fr": ("Haut", "Haute", "Élevé", "Élevée")},
    "None": {"es": ("Ninguno", "Ninguna"), "fr": ("Aucun", "Aucune")},
    "Minor": {"es": ("Menor",), "fr": ("Mineur", "Mineure")},
    "Moderate": {"es": ("Moderado", "Moderada"), "fr": ("Modéré", "Modérée")},
    "Transformative": {"es": ("Transformador", "Transformadora"), "fr": ("Transformateur", "Transformatrice")},
    "Did Not Change": {"es": ("No cambió",), "fr": ("N'a pas changé", "Pas de changement")},
    "Worsened": {"es": ("Empeoró",), "fr": ("A empiré", "Détérioré")},
    "Marginal": {"es": ("Marginal", "Marginales"), "fr": ("Marginal", "Marginaux", "Marginale", "Marginales")},
    "Major": {"es": ("Significativo", "Significativos", "Mayor"), "fr": ("Majeur", "Majeurs", "Important")},
    "Outstanding": {
        "es": ("Sobresaliente", "Sobresalientes", "Excepcional"),
        "fr": ("Exceptionnel", "Exceptionnels", "Remarquable"),
    },
    "Not Started": {"es": ("No iniciado", "No iniciada", "No comenzado"), "fr": ("Non commencé", "Pas commencé")},
    "Limited": {"es": ("Limitado", "Limitada"), "fr": ("Limité", "Limitée")},
    "Substantial": {"es": ("Sustancial", "Sustantivo"), "fr": ("Substantiel", "Substantielle", "Considérable")},
    "Completed": {"es": ("Completado", "Completada", "Completo"), "fr": ("Achevé", "Achevée", "Terminé", "Complet")},
    "Active": {"es": ("Activo", "Activa"), "fr": ("Actif", "Active")},
    "Pending IRM Review": {
        "es": ("Pendiente de revisión del IRM", "Revisión del IRM pendiente"),
        "fr": ("En attente de la revue IRM", "En attente de l'examen du MRI", "Revue IRM en attente"),
    },
}
# The commitment-page fields whose values are enumerated (mapped through COMMITMENT_VALUES).
VALUE_FIELDS = (
    "status",
    "starred",
    "early_results",
    "verifiable",
    "relevant_to_ogp_values",
    "ambition",
    "potential_impact",
    "completion",
)

# Words that are kept as the page gives them, with the English word that classifies them: resource types,
# resource formats and policy areas ({English: (English, Spanish and French words)}). Code that sorts,
# counts or filters by these compares `resource_type_key(x)` etc., never the raw word.
RESOURCE_TYPES: dict[str, tuple[str, ...]] = {
    "Action Plan": ("Action Plan", "Plan de acción", "Plan d'action"),
    "IRM Report": ("IRM Report", "Informe del IRM", "Informe IRM", "Rapport du MRI", "Rapport IRM", "Rapport du IRM"),
    "Report Comments": ("Report Comments", "Comentarios al informe", "Commentaires sur le rapport"),
    "Self Assessment": (
        "Self Assessment",
        "Self-Assessment",
        "Autoevaluación",
        "Informe de autoevaluación",
        "Auto-évaluation",
        "Autoévaluation",
    ),
    "Letter": ("Letter", "Carta", "Lettre"),
    "Research Product": ("Research Product", "Producto de investigación", "Produit de recherche"),
    "Case Study": ("Case Study", "Estudio de caso", "Étude de cas"),
    "Final Learning Exercise": (
        "Final Learning Exercise",
        "Ejercicio final de aprendizaje",
        "Exercice final d'apprentissage",
    ),
    "Inception Report": ("Inception Report", "Informe inicial", "Rapport initial"),
    "End of Commitment Report": (
        "End of Commitment Report",
        "Informe de fin de compromiso",
        "Rapport de fin d'engagement",
    ),
}
RESOURCE_FORMATS: dict[str, tuple[str, ...]] = {
    "Web page": ("Web page", "Página web", "Page web", "Page Web"),
    "PDF": ("PDF",),
    "Word": ("Word", "Doc", "Docx"),
    "Excel": ("Excel", "XLS", "XLSX", "Spreadsheet", "Hoja de cálculo", "Tableur"),
    "CSV": ("CSV",),
    "Document": ("Document", "Documento"),
    "Video": ("Video", "Vídeo", "Vidéo"),
    "Audio": ("Audio",),
    "ZIP": ("ZIP",),
    "Link": ("Link", "Enlace", "Lien"),
}
POLICY_AREAS: dict[str, tuple[str, ...]] = {
    "Anti-Corruption": ("Anti-Corruption", "Anticorrupción", "Lutte contre la corruption", "Anti-corruption"),
    "Access to Information": ("Access to Information", "Acceso a la información", "Accès à l'information"),
    "Public Participation": ("Public Participation", "Participación pública", "Participation publique"),
    "Fiscal Openness": ("Fiscal Openness", "Apertura fiscal", "Ouverture fiscale", "Transparence budgétaire"),
    "Public Service Delivery": (
        "Public Service Delivery",
        "Prestación de servicios públicos",
        "Prestation de services publics",
    ),
    "Justice": ("Justice", "Justicia"),
    "Environment and Climate": ("Environment and Climate", "Medio ambiente y clima", "Environnement et climat"),
    "Infrastructure & Transport": (
        "Infrastructure & Transport",
        "Infraestructura y transporte",
        "Infrastructures et transports",
    ),
    "Capacity Building": ("Capacity Building", "Fortalecimiento de capacidades", "Renforcement des capacités"),
    "Open Data": ("Open Data", "Datos abiertos", "Données ouvertes"),
    "Gender and Inclusion": ("Gender and Inclusion", "Género e inclusión", "Genre et inclusion"),
    "Health": ("Health", "Salud", "Santé"),
    "Education": ("Education", "Educación", "Éducation"),
    "Beneficial Ownership": ("Beneficial Ownership", "Beneficiarios finales", "Propriété effective"),
    "Digital Governance": ("Digital Governance", "Gobernanza digital", "Gouvernance numérique"),
    "Open Contracting": ("Open Contracting", "Contrataciones abiertas", "Contrats ouverts", "Contrats publics ouverts"),
    "Open Policy Making": (
        "Open Policy Making",
        "Elaboración de políticas abiertas",
        "Élaboration de politiques ouvertes",
    ),
    "Civic Space": ("Civic Space", "Espacio cívico", "Espace civique"),
    "Water and Sanitation": ("Water and Sanitation", "Agua y saneamiento", "Eau et assainissement"),
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


def strip_accents(s: str) -> str:
    if s.isascii():
        return s
    s = s.replace("œ", "oe").replace("Œ", "OE")
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def fold(s: str) -> str:
    """Case-folded, accent-free, straight apostrophes, single spaces."""
    s = strip_accents(s.replace("’", "'").replace("‘", "'").replace("ʼ", "'")).casefold()
    return " ".join(s.split())


@lru_cache(maxsize=4096)
def norm(s: str) -> str:
    """Comparison form of a label or heading line (fold, minus a trailing colon or glossary `i`)."""
    s = fold(s)
    if s.endswith(" i"):
        s = s[:-2]
    return s.rstrip(" :").strip()


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


def flat_index(table: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """{norm(label): key} for a {key: labels} table."""
    return {norm(label): key for key, labels in table.items() for label in labels}


@lru_cache(maxsize=1)
def _value_index() -> dict[str, str]:
    return {norm(w): key for key, by_lang in COMMITMENT_VALUES.items() for words in by_lang.values() for w in words}


def canonical_value(value: str | None) -> str | None:
    """An enumerated commitment-page value in its canonical English word (`Oui` → `Yes`, `Alto` → `High`,
    `marginaux` → `Marginal`); a word not in COMMITMENT_VALUES (English included) is returned as given."""
    if not value or len(value) > 60:
        return value
    return _value_index().get(norm(value), value)


def value_in(value: str | None, lang: str) -> str | None:
    """A canonical value word as the site writes it in `lang` (`High` → `Alto` / `Haut`), for a person
    reading the interface in that language; English, and words not in COMMITMENT_VALUES, as they are."""
    if not value or lang == "en":
        return value
    words = COMMITMENT_VALUES.get(value, {}).get(lang)
    return words[0] if words else value


def shown_value(field: str, value: Any, lang: str) -> Any:
    """`value_in` for the enumerated fields (VALUE_FIELDS); any other field's value as it is."""
    return value_in(value, lang) if field in VALUE_FIELDS and isinstance(value, str) else value


@lru_cache(maxsize=1)
def _word_indexes() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    return flat_index(RESOURCE_TYPES), flat_index(RESOURCE_FORMATS), flat_index(POLICY_AREAS)


def resource_type_key(text: str | None) -> str | None:
    """The English resource type a type word means in any language (`Informe del IRM` → `IRM Report`)."""
    return _word_indexes()[0].get(norm(text)) if text else None


def resource_format_key(text: str | None) -> str | None:
    """The English format a format word means in any language (`Página web` → `Web page`)."""
    return _word_indexes()[1].get(norm(text)) if text else None


def policy_area_key(text: str | None) -> str | None:
    """The English policy area a policy-area word means in any language (`Anticorrupción` → `Anti-Corruption`)."""
    return _word_indexes()[2].get(norm(text)) if text else None


def type_words(text: str) -> tuple[str, ...]:
    """Every word meaning the same resource type or policy area as `text`, in any language (`IRM Report` →
    `IRM Report`, `Informe del IRM`, `Rapport du MRI`, …): what a type filter accepts. `text` alone when it
    is not in the tables."""
    for table, key in ((RESOURCE_TYPES, resource_type_key(text)), (POLICY_AREAS, policy_area_key(text))):
        if key is not None:
            return tuple(dict.fromkeys((text, *table[key])))
    return (text,)

