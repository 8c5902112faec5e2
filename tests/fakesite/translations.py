"""The fake site in Spanish and French (issue 17): the words of its pages and the translated data, declared
once here as data; the renderer (`render.py`, `documents.py`) draws every language from the same records.

- `LABELS[key][lang]`: the words of the page itself (headings, bullets, field labels), for the renderer.
- `WORDS[lang]`: value words every member shares (resource types and formats, policy areas, commitment
  values, Global Report areas…), English word → translation.
- `TRANSLATIONS[(lang, slug)]`: one member's own texts (its name, titles, roles…), English → translation.
  A member has a page in a language exactly when its (lang, slug) key is here: `peru` (national) and
  `port-esmer-valdoria` (local) in `es` and `fr`; `valdoria` and `norland` in English only (`/es/…` is 404).

Translated records keep every ID, year and number of the English ones; links point into the same language
(`/es/members/peru/commitments/PE0110/`, `/es/documents/<same slug>/`). Text with no translation declared
stays English (descriptions of the generated commitment pages, the filler of generated documents), as on
the real site where action-plan text is often not translated.

Everything is invented; the label words follow `ogptui/parse/labels.py`, `model.COMMITMENT_PAGE_LABELS` and
SITE.md, written independently of them so that a test against this site can catch a parser gap.
"""

from __future__ import annotations

import copy
from typing import TypeVar

from ogptui.model import CommitmentPage, DocumentAttachment, DocumentPage, DocumentSection, Member

LANGUAGES = ("es", "fr")
HTML_LANG = {"en": "en-US", "es": "es-ES", "fr": "fr-FR"}

# ------------------------------------------------------------------------------------------ page words
LABELS: dict[str, dict[str, str]] = {
    "skip": {"en": "Skip Navigation", "es": "Saltar navegación", "fr": "Aller au contenu"},
    "member_since": {"en": "Member Since", "es": "Miembro desde", "fr": "Membre depuis"},
    # The French pages write a curly apostrophe (`Plan d’action`), as WordPress typesets it.
    "action_plan": {"en": "Action Plan", "es": "Plan de acción", "fr": "Plan d’action"},
    "on_the_page": {"en": "ON THE PAGE", "es": "EN ESTA PÁGINA", "fr": "SUR CETTE PAGE"},
    "current_plan": {"en": "Current Action Plan", "es": "Plan de acción actual", "fr": "Plan d’action actuel"},
    "number_of_commitments": {
        "en": "Number of Commitments",
        "es": "Número de compromisos",
        "fr": "Nombre d’engagements",
    },
    "policy_area_focus": {
        "en": "Policy Area Focus",
        "es": "Enfoque de área de política",
        "fr": "Domaines politiques prioritaires",
    },
    "more": {"en": "(More)", "es": "(Más)", "fr": "(Plus)"},
    "contact": {"en": "Contact", "es": "Contacto", "fr": "Point de contact"},
    "government": {"en": "(Government)", "es": "(Gobierno)", "fr": "(Gouvernement)"},
    "civil society": {"en": "(Civil Society)", "es": "(Sociedad civil)", "fr": "(Société civile)"},
    "commitments": {"en": "Commitments", "es": "Compromisos", "fr": "Engagements"},
    "resources": {"en": "Resources", "es": "Recursos", "fr": "Ressources"},
    "current_data": {"en": "Current Data", "es": "Datos actuales", "fr": "Données actuelles"},
    "current_data_intro": {
        "en": "The data below is updated periodically, most often after large numbers of new action plans and "
        "IRM reports.",
        "es": "Los datos a continuación se actualizan periódicamente, sobre todo después de un gran número de "
        "nuevos planes de acción e informes del IRM.",
        "fr": "Les données ci-dessous sont mises à jour périodiquement, le plus souvent après la publication de "
        "nombreux plans d’action et rapports du MRI.",
    },
    "performance": {
        "en": "Commitment Performance",
        "es": "Desempeño de los compromisos",
        "fr": "Performance des engagements",
    },
    "key": {"en": "Key", "es": "Leyenda", "fr": "Légende"},
    "no_irm_data": {"en": "No IRM data", "es": "Sin datos del IRM", "fr": "Pas de données du MRI"},
    "pending_review": {
        "en": "Pending IRM Review",
        "es": "Pendiente de revisión del IRM",
        "fr": "En attente de la revue IRM",
    },
    "major": {"en": "Major", "es": "Significativo", "fr": "Majeur"},
    "outstanding": {"en": "Outstanding", "es": "Sobresaliente", "fr": "Exceptionnel"},
    "starred_commitments": {
        "en": "Starred Commitments",
        "es": "Compromisos estelares",
        "fr": "Engagements étoilés",
    },
    "global": {"en": "Global", "es": "Global", "fr": "Global"},
    "regional": {"en": "Regional", "es": "Regional", "fr": "Régional"},
    "starred_help": {
        "en": "How to Get More Starred Commitments",
        "es": "Cómo obtener más compromisos estelares",
        "fr": "Comment obtenir plus d’engagements étoilés",
    },
    "participation": {
        "en": "Public Participation",
        "es": "Participación pública",
        "fr": "Participation publique",
    },
    "development": {"en": "Development", "es": "Desarrollo", "fr": "Élaboration"},
    "implementation": {"en": "Implementation", "es": "Implementación", "fr": "Mise en œuvre"},
    "global_report": {
        "en": "OGP Global Report Data",
        "es": "Datos del Informe Global de OGP",
        "fr": "Données du rapport mondial de l’OGP",
    },
    "action_implications": {
        "en": "Action Implications",
        "es": "Implicaciones de acción",
        "fr": "Implications pour l’action",
    },
    "irm_findings": {
        "en": "IRM-Based Findings",
        "es": "Hallazgos basados en el IRM",
        "fr": "Constats fondés sur le MRI",
    },
    "third_party": {
        "en": "3rd-Party Score (0-4)",
        "es": "Puntuación de terceros (0-4)",
        "fr": "Note de tiers (0-4)",
    },
    "posts": {"en": "Recent Posts", "es": "Publicaciones recientes", "fr": "Articles récents"},
    "show_more": {"en": "Show More", "es": "Ver más", "fr": "Voir plus"},
    # Commitment page.
    "overview": {"en": "Overview", "es": "Resumen", "fr": "Aperçu"},
    "at_a_glance": {"en": "At-a-Glance", "es": "De un vistazo", "fr": "En bref"},
    "c_action_plan": {"en": "Action Plan:", "es": "Plan de acción:", "fr": "Plan d'action:"},
    "c_cycle": {"en": "Action Plan Cycle:", "es": "Ciclo del plan de acción:", "fr": "Cycle du plan d'action :"},
    "c_status": {"en": "Status:", "es": "Estado:", "fr": "Statut:"},
    "institutions": {"en": "Institutions", "es": "Instituciones", "fr": "Institutions"},
    "c_lead": {"en": "Lead Institution:", "es": "Institución líder:", "fr": "Institution chef de file :"},
    "c_support": {
        "en": "Support Institution(s):",
        "es": "Institución(es) de apoyo:",
        "fr": "Institution(s) de soutien :",
    },
    "policy_areas": {"en": "Policy Areas", "es": "Áreas de política", "fr": "Domaines politiques"},
    "irm_review": {"en": "IRM Review", "es": "Revisión del IRM", "fr": "Revue IRM"},
    "c_irm_report": {"en": "IRM Report:", "es": "Informe del IRM:", "fr": "Rapport IRM:"},
    "c_starred": {"en": "Starred:", "es": "Estelar:", "fr": "Étoilé :"},
    "c_early": {"en": "Early Results:", "es": "Resultados iniciales:", "fr": "Premiers résultats :"},
    "design": {"en": "Design", "es": "Diseño", "fr": "Conception"},
    "c_verifiable": {"en": "Verifiable:", "es": "Verificable:", "fr": "Vérifiable :"},
    "c_relevant": {
        "en": "Relevant to OGP Values:",
        "es": "Relevante para los valores de OGP:",
        "fr": "Pertinent pour les valeurs OGP :",
    },
    "c_ambition": {"en": "Ambition", "es": "Ambición", "fr": "Ambition"},
    "c_see_definition": {"en": "see definition", "es": "ver definición", "fr": "voir définition"},
    "c_impact": {"en": "Potential Impact:", "es": "Impacto potencial:", "fr": "Impact potentiel :"},
    "c_implementation": {"en": "Implementation", "es": "Implementación", "fr": "Implémentation"},
    "c_completion": {"en": "Completion:", "es": "Finalización:", "fr": "Achèvement:"},
    "description": {"en": "Description", "es": "Descripción", "fr": "Description"},
    # Document page.
    "glance_caption": {"en": "Table I. At a glance", "es": "Tabla I. De un vistazo", "fr": "Tableau I. En bref"},
    "commitments_that_are": {
        "en": "Commitments that are:",
        "es": "Compromisos que son:",
        "fr": "Engagements qui sont :",
    },
}


def label(key: str, lang: str = "en") -> str:
    return LABELS[key][lang]


# ------------------------------------------------------------------------------------------ shared values
_ES_FR: tuple[tuple[str, str, str], ...] = (
    # resource types
    ("Action Plan", "Plan de acción", "Plan d’action"),
    ("IRM Report", "Informe del IRM", "Rapport du MRI"),
    ("Report Comments", "Comentarios al informe", "Commentaires sur le rapport"),
    ("Self Assessment", "Autoevaluación", "Auto-évaluation"),
    ("Letter", "Carta", "Lettre"),
    ("Research Product", "Producto de investigación", "Produit de recherche"),
    ("Case Study", "Estudio de caso", "Étude de cas"),
    ("Final Learning Exercise", "Ejercicio final de aprendizaje", "Exercice final d’apprentissage"),
    ("Inception Report", "Informe inicial", "Rapport initial"),
    ("End of Commitment Report", "Informe de fin de compromiso", "Rapport de fin d’engagement"),
    # formats
    ("Web page", "Página web", "Page web"),
    ("Web Page", "Página web", "Page web"),
    # policy areas
    ("Anti-Corruption", "Anticorrupción", "Lutte contre la corruption"),
    ("Access to Information", "Acceso a la información", "Accès à l’information"),
    ("Public Participation", "Participación pública", "Participation publique"),
    ("Fiscal Openness", "Apertura fiscal", "Ouverture fiscale"),
    ("Public Service Delivery", "Prestación de servicios públicos", "Prestation de services publics"),
    ("Justice", "Justicia", "Justice"),
    ("Environment and Climate", "Medio ambiente y clima", "Environnement et climat"),
    ("Open Contracting", "Contrataciones abiertas", "Contrats ouverts"),
    ("Water and Sanitation", "Agua y saneamiento", "Eau et assainissement"),
    ("Civic Space", "Espacio cívico", "Espace civique"),
    ("Open Policy Making", "Elaboración de políticas abiertas", "Élaboration de politiques ouvertes"),
    ("Not specified", "No especificado", "Non précisé"),
    # commitment values (the French early results are lower case, as on the real /fr/ pages)
    ("Yes", "Sí", "Oui"),
    ("No", "No", "Non"),
    ("High", "Alto", "Haut"),
    ("Low", "Bajo", "Bas"),
    ("Moderate", "Moderado", "Modéré"),
    ("Transformative", "Transformador", "Transformateur"),
    ("Marginal", "Marginal", "marginaux"),
    ("Major", "Significativo", "majeurs"),
    ("Outstanding", "Sobresaliente", "exceptionnels"),
    ("Pending IRM Review", "Pendiente de revisión del IRM", "En attente de la revue IRM"),
    ("Not Started", "No iniciado", "Non commencé"),
    ("Limited", "Limitado", "Limité"),
    ("Substantial", "Sustancial", "Substantiel"),
    ("Completed", "Completado", "Achevé"),
    ("Active", "Activo", "Actif"),
    # Global Report, participation, benchmarks
    ("Consider Action", "Considerar acción", "Envisager une action"),
    ("Implement for Results", "Implementar para obtener resultados", "Mettre en œuvre pour des résultats"),
    ("Collaborate", "Colaborar", "Collaborer"),
    ("Involve", "Involucrar", "Impliquer"),
    ("Consult", "Consultar", "Consulter"),
    ("Inform", "Informar", "Informer"),
    ("No Consultation", "Sin consulta", "Pas de consultation"),
    ("Most per action plan", "Máximo por plan de acción", "Maximum par plan d’action"),
    # document pages: word values of the At-a-glance rows, headings
    ("Design", "Diseño", "Conception"),
    ("Results", "Resultados", "Résultats"),
    ("Action plan development", "Desarrollo del plan de acción", "Élaboration du plan d’action"),
    ("Action plan design", "Diseño del plan de acción", "Conception du plan d’action"),
    ("Section I: Overview of the action plan", "Sección I: Resumen del plan de acción", "Section I : Aperçu du plan d’action"),
    ("Section II: Promising commitments", "Sección II: Compromisos prometedores", "Section II : Engagements prometteurs"),
    ("About this document", "Acerca de este documento", "À propos de ce document"),
    ("Introduction", "Introducción", "Introduction"),
    ("General overview of action plan", "Panorama general del plan de acción", "Aperçu général du plan d’action"),
)  # fmt: skip
WORDS: dict[str, dict[str, str]] = {
    "es": {en: es for en, es, _ in _ES_FR},
    "fr": {en: fr for en, _, fr in _ES_FR},
}
# The row labels of a document's At-a-glance table (`Transformative` is a label here, a value above).
_GLANCE_ROWS: tuple[tuple[str, str, str], ...] = (
    ("Member since", "Miembro desde", "Membre depuis"),
    ("Action plan under review", "Plan de acción en revisión", "Plan d’action examiné"),
    ("Type of report", "Tipo de informe", "Type de rapport"),
    ("Number of commitments", "Número de compromisos", "Nombre d’engagements"),
    ("Is there a multi-stakeholder forum?", "¿Existe un foro multiactor?", "Existe-t-il un forum multipartite ?"),
    ("Level of public influence", "Nivel de influencia del público", "Niveau d’influence du public"),
    ("Acted contrary to OGP process", "Actuó en contra del proceso de OGP", "A agi contrairement au processus OGP"),
    ("Relevant to OGP values", "Relevantes para los valores de OGP", "Pertinents pour les valeurs OGP"),
    ("Transformative", "Transformadores", "Transformateurs"),
    ("Potentially starred", "Potencialmente estelares", "Potentiellement étoilés"),
)  # fmt: skip
GLANCE_WORDS: dict[str, dict[str, str]] = {
    "es": {en: es for en, es, _ in _GLANCE_ROWS},
    "fr": {en: fr for en, _, fr in _GLANCE_ROWS},
}

# ------------------------------------------------------------------------------------------ members' texts
_PERU: tuple[tuple[str, str, str], ...] = (
    ("Peru", "Perú", "Pérou"),
    (
        "Peru’s fifth action plan focuses on public works, water services and extractive industries. Most "
        "commitments build on earlier reforms; the IRM recommends stronger civil society roles in monitoring "
        "their implementation.",
        "El quinto plan de acción del Perú se centra en obras públicas, servicios de agua e industrias "
        "extractivas. La mayoría de los compromisos se basan en reformas anteriores; el IRM recomienda un papel "
        "más fuerte de la sociedad civil en el seguimiento de su implementación.",
        "Le cinquième plan d’action du Pérou porte sur les travaux publics, les services d’eau et les industries "
        "extractives. La plupart des engagements prolongent des réformes antérieures ; le MRI recommande un rôle "
        "plus fort de la société civile dans le suivi de leur mise en œuvre.",
    ),
    (
        "Open Government Coordinator, Secretariat of Public Administration",
        "Coordinadora de Gobierno Abierto, Secretaría de Gestión Pública",
        "Coordinatrice du gouvernement ouvert, Secrétariat de l’administration publique",
    ),
    ("Director, Transparencia Ciudadana", "Director, Transparencia Ciudadana", "Directeur, Transparencia Ciudadana"),
    ("Open Public Works Monitoring", "Monitoreo abierto de obras públicas", "Suivi ouvert des travaux publics"),
    (
        "Citizen Reporting of Water Service Outages",
        "Reporte ciudadano de cortes del servicio de agua",
        "Signalement citoyen des coupures d’eau",
    ),
    ("Open Register of Mining Concessions", "Registro abierto de concesiones mineras", "Registre ouvert des concessions minières"),
    (
        "Participatory Budget Dashboards for Regions",
        "Tableros de presupuesto participativo para las regiones",
        "Tableaux de bord du budget participatif pour les régions",
    ),
    (
        "Court Decisions Open Data Portal",
        "Portal de datos abiertos de decisiones judiciales",
        "Portail de données ouvertes des décisions de justice",
    ),
    (
        "Multilingual Public Service Helpline",
        "Línea de ayuda multilingüe de servicios públicos",
        "Ligne d’assistance multilingue des services publics",
    ),
    (
        "Peru Action Plan Review 2023-2025",
        "Revisión del plan de acción de Perú 2023-2025",
        "Examen du plan d’action du Pérou 2023-2025",
    ),
    (
        "Peru Action Plan Review 2023-2025 – For Public Comment",
        "Revisión del plan de acción de Perú 2023-2025 – Para comentarios públicos",
        "Examen du plan d’action du Pérou 2023-2025 – Pour commentaires publics",
    ),
    ("Peru Action Plan 2023-2025", "Plan de acción de Perú 2023-2025", "Plan d’action du Pérou 2023-2025"),
    ("Peru Results Report 2019-2022", "Informe de resultados de Perú 2019-2022", "Rapport sur les résultats du Pérou 2019-2022"),
    (
        "Peru – Contrary to Process Letter (March 2023)",
        "Perú – Carta de actuación contraria al proceso (marzo de 2023)",
        "Pérou – Lettre de non-respect du processus (mars 2023)",
    ),
    (
        "Peru Mid-Term Self-Assessment 2020-2022",
        "Autoevaluación de medio término de Perú 2020-2022",
        "Auto-évaluation à mi-parcours du Pérou 2020-2022",
    ),
    ("Peru Design Report 2019-2021", "Informe de diseño de Perú 2019-2021", "Rapport de conception du Pérou 2019-2021"),
    ("Trujillo – Letter of Support", "Trujillo – Carta de apoyo", "Trujillo – Lettre de soutien"),
    ("Peru Action Plan 2019-2021", "Plan de acción de Perú 2019-2021", "Plan d’action du Pérou 2019-2021"),
    ("Perú Design Report 2017-2019", "Informe de diseño de Perú 2017-2019", "Rapport de conception du Pérou 2017-2019"),
    (
        "Peru Open Contracting Case Study",
        "Estudio de caso de contrataciones abiertas de Perú",
        "Étude de cas sur les contrats ouverts du Pérou",
    ),
    ("Peru Action Plan 2012", "Plan de acción de Perú 2012", "Plan d’action du Pérou 2012"),
    (
        "Auditing Public Works with Citizen Monitors",
        "Auditar obras públicas con monitores ciudadanos",
        "Auditer les travaux publics avec des observateurs citoyens",
    ),
    (
        "Supreme audit institutions and volunteers are checking construction sites together...",
        "Las entidades fiscalizadoras superiores y los voluntarios revisan juntos las obras...",
        "Les institutions supérieures de contrôle et des bénévoles vérifient ensemble les chantiers...",
    ),
    (
        "Water Data for Regional Planning",
        "Datos de agua para la planificación regional",
        "Données sur l’eau pour la planification régionale",
    ),
    (
        "Lessons from reformers: open data on outages helps small providers plan repairs...",
        "Lecciones de reformadores: los datos abiertos sobre cortes ayudan a planificar reparaciones...",
        "Leçons de réformateurs : les données ouvertes sur les coupures aident à planifier les réparations...",
    ),
    ("National Water Services Authority", "Autoridad Nacional de Servicios de Agua", "Autorité nationale des services d’eau"),
    ("Regional water providers", "Proveedores regionales de agua", "Fournisseurs régionaux d’eau"),
    ("Presidency of the Council of Ministers", "Presidencia del Consejo de Ministros", "Présidence du Conseil des ministres"),
    (
        "Organismo Supervisor de las Contrataciones del Estado (OSCE); Ministerio de Economía y Finanzas; "
        "civil society organisations, academia and the private sector",
        "Organismo Supervisor de las Contrataciones del Estado (OSCE); Ministerio de Economía y Finanzas; "
        "organizaciones de la sociedad civil, la academia y el sector privado",
        "Organismo Supervisor de las Contrataciones del Estado (OSCE) ; Ministerio de Economía y Finanzas ; "
        "organisations de la société civile, milieu universitaire et secteur privé",
    ),
    (
        "Commitment 1: Open public works monitoring\n"
        "We will publish the progress, budget and photos of every public works project above a threshold.\n\n"
        "Objective\n"
        "Let citizens see and report delays in public works in their district.",
        "Compromiso 1: Monitoreo abierto de obras públicas\n"
        "Publicaremos el avance, el presupuesto y las fotos de cada obra pública por encima de un umbral.\n\n"
        "Objetivo\n"
        "Que la ciudadanía vea y reporte retrasos en las obras públicas de su distrito.",
        "Engagement 1 : Suivi ouvert des travaux publics\n"
        "Nous publierons l’avancement, le budget et les photos de chaque chantier public au-delà d’un seuil.\n\n"
        "Objectif\n"
        "Permettre aux citoyens de voir et de signaler les retards des travaux publics de leur district.",
    ),
    (
        "A public online form and hotline to report water outages, with published response times.",
        "Un formulario en línea y una línea telefónica para reportar cortes de agua, con tiempos de respuesta "
        "publicados.",
        "Un formulaire en ligne et une ligne téléphonique pour signaler les coupures d’eau, avec des délais de "
        "réponse publiés.",
    ),
    (
        "The majority of commitments included in Peru’s fourth action plan are relevant to OGP values, but their "
        "potential impact is low. The IRM researcher recommends for the newly-created multi-stakeholder forum to "
        "play a key role in monitoring and enhancing the commitments’ open government component.",
        "La mayoría de los compromisos del cuarto plan de acción del Perú son relevantes para los valores de OGP, "
        "pero su impacto potencial es bajo. El investigador del IRM recomienda que el nuevo foro multiactor "
        "cumpla un papel clave en el seguimiento de los compromisos.",
        "La plupart des engagements du quatrième plan d’action du Pérou sont pertinents pour les valeurs OGP, "
        "mais leur impact potentiel est faible. Le chercheur du MRI recommande que le nouveau forum multipartite "
        "joue un rôle clé dans le suivi des engagements.",
    ),
)  # fmt: skip
_PORT_ESMER: tuple[tuple[str, str, str], ...] = (
    (
        "Port Esmer’s first action plan brings council meetings and city procurement online.",
        "El primer plan de acción de Port Esmer lleva en línea las sesiones del concejo y las compras de la "
        "ciudad.",
        "Le premier plan d’action de Port Esmer met en ligne les séances du conseil et les achats de la ville.",
    ),
    ("Deputy Mayor, City of Port Esmer", "Teniente de alcalde, Ciudad de Port Esmer", "Maire adjoint, Ville de Port Esmer"),
    ("Open Council Meetings Online", "Sesiones abiertas del concejo en línea", "Séances publiques du conseil en ligne"),
    ("City Procurement Portal", "Portal de compras de la ciudad", "Portail des achats de la ville"),
    ("Neighbourhood Budget Assemblies", "Asambleas de presupuesto vecinal", "Assemblées budgétaires de quartier"),
    ("Port Esmer Action Plan 2021-2023", "Plan de acción de Port Esmer 2021-2023", "Plan d’action de Port Esmer 2021-2023"),
    (
        "Port Esmer Design Report 2021-2023",
        "Informe de diseño de Port Esmer 2021-2023",
        "Rapport de conception de Port Esmer 2021-2023",
    ),
    ("City of Port Esmer", "Ciudad de Port Esmer", "Ville de Port Esmer"),
    ("Port Esmer Civic Lab", "Laboratorio Cívico de Port Esmer", "Laboratoire civique de Port Esmer"),
)  # fmt: skip


def _table(rows: tuple[tuple[str, str, str], ...]) -> dict[str, dict[str, str]]:
    return {"es": {en: es for en, es, _ in rows}, "fr": {en: fr for en, _, fr in rows}}


_P, _E = _table(_PERU), _table(_PORT_ESMER)
TRANSLATIONS: dict[tuple[str, str], dict[str, str]] = {
    ("es", "peru"): _P["es"],
    ("fr", "peru"): _P["fr"],
    ("es", "port-esmer-valdoria"): _E["es"],
    ("fr", "port-esmer-valdoria"): _E["fr"],
}


def languages_of(slug: str, translations: dict[tuple[str, str], dict[str, str]] | None = None) -> list[str]:
    """The languages a member's pages are served in besides English."""
    table = TRANSLATIONS if translations is None else translations
    return [lang for lang in LANGUAGES if (lang, slug.lower()) in table]


# ------------------------------------------------------------------------------------------ records
T = TypeVar("T")


class Translator:
    """One member's texts in one language: its own table first, then the shared words, else English."""

    def __init__(self, lang: str, own: dict[str, str]):
        self.lang = lang
        self.own = own
        self.words = WORDS[lang]

    def __call__(self, text: T) -> T:
        if not isinstance(text, str):
            return text
        return self.own.get(text, self.words.get(text, text))  # type: ignore[return-value]

    def url(self, url: str | None) -> str | None:
        """A site path in this language (`/members/…` → `/es/members/…`); other links unchanged."""
        if url and url.startswith("/") and not url.startswith(("/es/", "/fr/", "/wp-content/")):
            return f"/{self.lang}{url}"
        return url


def translate_member(m: Member, tr: Translator) -> Member:
    """The member's record as its page in `tr.lang` shows it: same IDs, years and numbers."""
    t = copy.deepcopy(m)
    t.name = tr(m.name)
    t.language = tr.lang
    t.current_plan.policy_area_focus = tr(m.current_plan.policy_area_focus)
    t.current_plan.summary = tr(m.current_plan.summary)
    t.current_plan.summary_url = tr.url(m.current_plan.summary_url)
    for person in t.contacts:
        person.role = tr(person.role)
    for c in t.commitments:
        c.title, c.policy_area, c.url = tr(c.title), tr(c.policy_area), tr.url(c.url)
    for r in t.resources:
        r.title, r.type, r.format, r.url = tr(r.title), tr(r.type), tr(r.format), tr.url(r.url)
    for b in t.benchmarks:
        b.label = tr(b.label)
    for row in t.participation:
        row.level = tr(row.level)
    for g in t.global_report:
        g.area = tr(g.area)
        g.implications = [tr(x) for x in g.implications]
    for p in t.posts:
        p.title, p.teaser, p.url = tr(p.title), tr(p.teaser), tr.url(p.url)
    return t


def translate_commitment(p: CommitmentPage, member_name: str | None, tr: Translator) -> CommitmentPage:
    t = copy.deepcopy(p)
    t.member = tr(member_name or p.member)
    t.language = tr.lang
    t.url = tr.url(p.url)
    for name in (
        "title",
        "action_plan",
        "status",
        "lead_institution",
        "support_institutions",
        "starred",
        "early_results",
        "verifiable",
        "relevant_to_ogp_values",
        "ambition",
        "potential_impact",
        "completion",
        "description",
    ):
        setattr(t, name, tr(getattr(p, name)))
    t.policy_areas = [tr(x) for x in p.policy_areas]
    t.irm_reports = [tr(x) for x in p.irm_reports]
    return t


def translate_document(p: DocumentPage, tr: Translator) -> DocumentPage:
    """A document page in `tr.lang`: title, summary, At-a-glance labels and word values, headings."""
    labels = GLANCE_WORDS[tr.lang]
    glance = {labels.get(k, k): tr(v) for k, v in p.at_a_glance.items()}
    return DocumentPage(
        title=tr(p.title),
        summary=tr(p.summary),
        at_a_glance=glance,
        sections=[DocumentSection(heading=tr(s.heading), text=tr(s.text)) for s in p.sections],
        attachments=[
            DocumentAttachment(url=a.url, name=a.name.replace(p.title or "\0", tr(p.title) or "")) for a in p.attachments
        ],
        url=tr.url(p.url) if p.url and p.url.startswith("/") else _lang_url(p.url, tr.lang),
        slug=p.slug,
        language=tr.lang,
    )


def _lang_url(url: str | None, lang: str) -> str | None:
    if not url or "/documents/" not in url:
        return url
    head, _, tail = url.partition("/documents/")
    return f"{head}/{lang}/documents/{tail}"
