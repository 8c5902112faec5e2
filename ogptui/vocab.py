"""The site's words in English, Spanish and French that mean the same thing wherever they are read: the
enumerated commitment values (`Oui`/`Sí` = `Yes`), resource types, formats and policy areas, and how to match
any of them (`norm`). The parser maps page words through these tables; search, compare, the reports and the
TUI use the same tables to count, filter and show them, so this is a leaf module below all of them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

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
    "Transformative": {
        "es": ("Transformador", "Transformadora"),
        "fr": ("Transformateur", "Transformatrice"),
    },
    "Did Not Change": {"es": ("No cambió",), "fr": ("N'a pas changé", "Pas de changement")},
    "Worsened": {"es": ("Empeoró",), "fr": ("A empiré", "Détérioré")},
    "Marginal": {
        "es": ("Marginal", "Marginales"),
        "fr": ("Marginal", "Marginaux", "Marginale", "Marginales"),
    },
    "Major": {"es": ("Significativo", "Significativos", "Mayor"), "fr": ("Majeur", "Majeurs", "Important")},
    "Outstanding": {
        "es": ("Sobresaliente", "Sobresalientes", "Excepcional"),
        "fr": ("Exceptionnel", "Exceptionnels", "Remarquable"),
    },
    "Not Started": {
        "es": ("No iniciado", "No iniciada", "No comenzado"),
        "fr": ("Non commencé", "Pas commencé"),
    },
    "Limited": {"es": ("Limitado", "Limitada"), "fr": ("Limité", "Limitée")},
    "Substantial": {
        "es": ("Sustancial", "Sustantivo"),
        "fr": ("Substantiel", "Substantielle", "Considérable"),
    },
    "Completed": {
        "es": ("Completado", "Completada", "Completo"),
        "fr": ("Achevé", "Achevée", "Terminé", "Complet"),
    },
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
    "IRM Report": (
        "IRM Report",
        "Informe del IRM",
        "Informe IRM",
        "Rapport du MRI",
        "Rapport IRM",
        "Rapport du IRM",
    ),
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
    "Environment and Climate": (
        "Environment and Climate",
        "Medio ambiente y clima",
        "Environnement et climat",
    ),
    "Infrastructure & Transport": (
        "Infrastructure & Transport",
        "Infraestructura y transporte",
        "Infrastructures et transports",
    ),
    "Capacity Building": (
        "Capacity Building",
        "Fortalecimiento de capacidades",
        "Renforcement des capacités",
    ),
    "Open Data": ("Open Data", "Datos abiertos", "Données ouvertes"),
    "Gender and Inclusion": ("Gender and Inclusion", "Género e inclusión", "Genre et inclusion"),
    "Health": ("Health", "Salud", "Santé"),
    "Education": ("Education", "Educación", "Éducation"),
    "Beneficial Ownership": ("Beneficial Ownership", "Beneficiarios finales", "Propriété effective"),
    "Digital Governance": ("Digital Governance", "Gobernanza digital", "Gouvernance numérique"),
    "Open Contracting": (
        "Open Contracting",
        "Contrataciones abiertas",
        "Contrats ouverts",
        "Contrats publics ouverts",
    ),
    "Open Policy Making": (
        "Open Policy Making",
        "Elaboración de políticas abiertas",
        "Élaboration de politiques ouvertes",
    ),
    "Civic Space": ("Civic Space", "Espacio cívico", "Espace civique"),
    "Water and Sanitation": ("Water and Sanitation", "Agua y saneamiento", "Eau et assainissement"),
}


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


def flat_index(table: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """{norm(label): key} for a {key: labels} table."""
    return {norm(label): key for key, labels in table.items() for label in labels}


@lru_cache(maxsize=1)
def _value_index() -> dict[str, str]:
    return {
        norm(w): key
        for key, by_lang in COMMITMENT_VALUES.items()
        for words in by_lang.values()
        for w in words
    }


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
