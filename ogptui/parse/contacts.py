"""Split a contact line `Name Role, Organisation email (Side)` into a Contact.

There is no delimiter between name and role, so the split is a heuristic:
1. the side marker `(Government)` / `(Civil Society)` (EN/ES/FR) and the email are taken out first;
2. the text before the first comma is scanned for the first *role word* (a job title noun such as
   Coordinator, Director, Minister, Officer, Coordinadora, Directeur, or an organisation noun such as
   Ministry, Office, Secretaría), at word 2 or later so the name keeps at least one word;
3. from that word we step back over *role modifiers* (Open, Government, Senior, Deputy, of, de, ...):
   `Luis Sebastián River Cheng Open Government Coordinator` → name `Luis Sebastián River Cheng`,
   role `Open Government Coordinator, <organisation>`;
4. with no role word, the whole text before the comma is the name and the organisation (if any) the role.
The name is never empty: with nothing else left it falls back to the email address.
"""

from __future__ import annotations

import re

from ogptui.clean import clean_text
from ogptui.model import Contact
from ogptui.parse.labels import SIDES
from ogptui.vocab import fold

_EMAIL = re.compile(r"(?:mailto:)?([A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)")
_SIDE = re.compile(
    r"\(\s*(" + "|".join(re.escape(x) for labels in SIDES.values() for x in labels) + r")\s*\)", re.I
)
_SIDE_OF = {fold(x): side for side, labels in SIDES.items() for x in labels}
# A side marker glued to the end of the name, without brackets: `Jane Doe Civil Society`.
_GLUED_SIDE = re.compile(
    r"^(.*\S)\s+(" + "|".join(re.escape(x) for labels in SIDES.values() for x in labels) + r")$", re.I
)

_ROLE_NOUNS = frozenset(
    fold(w)
    for w in [
        "coordinator",
        "coordinadora",
        "coordinador",
        "coordinatrice",
        "coordinateur",
        "responsable",
        "chargé",
        "chargée",
        "encargado",
        "encargada",
        "délégué",
        "déléguée",
        "delegado",
        "delegada",
        "coordonnateur",
        "coordonnatrice",
        "coordination",
        "coordinación",
        "director",
        "directora",
        "directeur",
        "directrice",
        "manager",
        "gerente",
        "minister",
        "ministra",
        "ministro",
        "ministre",
        "secretary",
        "secretaria",
        "secretario",
        "secrétaire",
        "undersecretary",
        "subsecretario",
        "subsecretaria",
        "officer",
        "oficial",
        "advisor",
        "adviser",
        "asesor",
        "asesora",
        "conseiller",
        "conseillère",
        "counsellor",
        "counselor",
        "head",
        "chief",
        "jefe",
        "jefa",
        "chef",
        "specialist",
        "especialista",
        "spécialiste",
        "analyst",
        "analista",
        "lead",
        "lider",
        "líder",
        "president",
        "presidente",
        "président",
        "présidente",
        "consultant",
        "consultor",
        "consultora",
        "assistant",
        "asistente",
        "representative",
        "representante",
        "représentant",
        "représentante",
        "focal",
        "commissioner",
        "comisionado",
        "comisionada",
        "ombudsman",
        "mayor",
        "alcalde",
        "alcaldesa",
        "vicealcalde",
        "vicealcaldesa",
        "maire",
        "governor",
        "gobernador",
        "gobernadora",
        "expert",
        "experto",
        "experta",
        "researcher",
        "investigador",
        "investigadora",
        "administrator",
        "administrador",
        "administradora",
        "editor",
        "chargé",
        "chargée",
        "responsable",
        "técnico",
        "técnica",
        "superintendent",
        "intendente",
        "founder",
        "fundador",
        "fundadora",
        "member",
        "miembro",
        "membre",
        "ministry",
        "ministerio",
        "ministère",
        "office",
        "oficina",
        "bureau",
        "department",
        "departamento",
        "département",
        "secretariat",
        "secretaría",
        "secrétariat",
        "unit",
        "unidad",
        "unité",
        "council",
        "consejo",
        "conseil",
        "agency",
        "agencia",
        "agence",
        "commission",
        "comisión",
        "foundation",
        "fundación",
        "fondation",
        "institute",
        "instituto",
        "institut",
        "association",
        "asociación",
        "centre",
        "center",
        "centro",
        "municipality",
        "municipalidad",
        "municipalité",
        "presidency",
        "presidencia",
        "présidence",
    ]
)
_MODIFIERS = frozenset(
    fold(w)
    for w in [
        "open",
        "government",
        "gobierno",
        "abierto",
        "ouvert",
        "ouverte",
        "gouvernement",
        "senior",
        "deputy",
        "vice",
        "executive",
        "ejecutivo",
        "ejecutiva",
        "exécutif",
        "national",
        "nacional",
        "general",
        "technical",
        "policy",
        "program",
        "programme",
        "project",
        "public",
        "público",
        "pública",
        "digital",
        "data",
        "datos",
        "transparency",
        "transparencia",
        "transparence",
        "ogp",
        "anti-corruption",
        "legal",
        "regional",
        "local",
        "municipal",
        "chief",
        "head",
        "assistant",
        "associate",
        "principal",
        "lead",
        "special",
        "especial",
        "of",
        "for",
        "and",
        "the",
        "de",
        "del",
        "la",
        "el",
        "los",
        "las",
        "du",
        "des",
        "d'",
        "y",
        "et",
        "&",
        "adjoint",
        "adjointe",
        "adjunto",
        "adjunta",
        "teniente",  # `Teniente de alcalde` (deputy mayor)
        "sub",
        "acting",
        "interim",
    ]
)


def split_contact(line: str) -> Contact | None:
    """One contact from one line, or None when the line holds no name."""
    text = clean_text(line)
    if not text:
        return None
    side = None
    m = _SIDE.search(text)
    if m:
        side = _SIDE_OF.get(fold(m.group(1)))
        text = _SIDE.sub(" ", text)
    emails = _EMAIL.findall(text)
    email = emails[0] if emails else None
    text = clean_text(_EMAIL.sub(" ", text)).strip(" ,;|-–—:")
    if not text:
        return Contact(name=email, email=email, side=side) if email else None
    head, _, org = text.partition(",")
    org = org.strip(" ,;")
    words = head.split()
    start = _role_start(words)
    if start is None:
        name, role = head.strip(), org or None
    else:
        name = " ".join(words[:start])
        role = " ".join(words[start:]) + (f", {org}" if org else "")
    if side is None and (g := _GLUED_SIDE.match(name)) and len(g.group(1).split()) >= 1:
        name, side = g.group(1), _SIDE_OF.get(fold(g.group(2)))
    if not name:
        name = email or role or ""
        role = None if name == role else role
    if not name:
        return None
    return Contact(name=clean_text(name, cap=200), role=clean_text(role) or None, email=email, side=side)


def _role_start(words: list[str]) -> int | None:
    folded = [fold(w.strip(".,;()")) for w in words]
    for j in range(1, len(words)):
        if folded[j] in _ROLE_NOUNS:
            k = j
            while k - 1 >= 1 and folded[k - 1] in _MODIFIERS:
                k -= 1
            return k
    return None


def side_marker(line: str) -> str | None:
    """The side named by a line that holds only a side marker, e.g. `(Civil Society)`."""
    m = _SIDE.fullmatch(line.strip())
    return _SIDE_OF.get(fold(m.group(1))) if m else None
