"""The report's words in French (the default) and English: one place, so every format says the same."""

from __future__ import annotations

from .. import i18n
from ..document.table import WORDS

LABELS: dict[str, tuple[str, str]] = {
    # titles and sentences
    "title": ("Bilan annuel {year} des Groupes Qualité", "Groupes Qualité annual report {year}"),
    "all_regions": ("ensemble des régions", "all regions"),
    "as_of": ("Registres arrêtés au {day}.", "Records as of {day}."),
    "revision": ("Registres tels qu'à la révision git {name} (commit {commit} du {day}).",
                 "Records as they were at git revision {name} (commit {commit} of {day})."),
    "generated": ("Produit par gqrec à partir des registres ; aucune donnée individuelle n'y figure.",
                  "Produced by gqrec from the records; no individual data appears in it."),
    "group_count": ("{n} groupe|{n} groupes", "{n} group|{n} groups"),
    "animator_count": ("{n} animateur|{n} animateurs", "{n} animator|{n} animators"),
    "coordinator_count": ("{n} médecin coordonnateur|{n} médecins coordonnateurs", "{n} coordinator|{n} coordinators"),
    "participant_count": ("{n} médecin participant|{n} médecins participants",
                          "{n} participating physician|{n} participating physicians"),
    "compliance_clean": ("Aucun constat : registres conformes au cahier des charges.",
                         "No finding: the records comply with the cahier des charges."),
    "no_feedback": ("Pas de données de retour d'information pour ces périodes.",
                    "No feedback data for these periods."),
    # the cover (region.yaml)
    "partners": ("Partenaires", "Partners"),
    "coordinator": ("Médecin coordonnateur", "Coordinating physician"),
    "copil": ("Comité de pilotage (COPIL)", "Steering committee (COPIL)"),
    "national": ("Bilan national : {n} régions, chacune sous la responsabilité de son association.",
                 "National report: {n} regions, each under the responsibility of its association."),
    # table titles
    "t_figures": ("Chiffres clés", "Key figures"),
    "t_inventory": ("Inventaire", "Inventory"),
    "t_settings": ("Équilibre rural / urbain", "Rural / urban balance"),
    "t_waves": ("Vagues de constitution", "Waves"),
    "t_meetings": ("Réunions tenues et attendues", "Meetings held and expected"),
    "t_attendance": ("Heures et assiduité", "Hours and attendance"),
    "t_themes": ("Thèmes traités", "Themes covered"),
    "t_coverage": ("Couverture des territoires", "Territory coverage"),
    "t_compliance": ("Conformité au cahier des charges", "Compliance with the cahier des charges"),
    "t_indicators": ("Évolution des indicateurs : participants et groupe témoin",
                     "Indicators over time: participants and control group"),
    "t_highlights": ("Idées forces des réunions, par thème", "Key ideas of the meetings, per theme"),
    "t_actions_due": ("Actions d'amélioration à revoir dans l'année", "Improvement actions due for review this year"),
    "no_highlights": ("Aucune idée force notée dans les réunions de l'année.", "No key idea noted in the year's meetings."),
    "no_actions_due": ("Aucune action d'amélioration à revoir dans l'année.", "No improvement action due for review this year."),
    "highlight": ("Idée force", "Key idea"),
    "action": ("Action", "Action"),
    "review": ("À revoir", "Review"),
    "meeting_day": ("Réunion", "Meeting"),
    # chart titles
    "c_meetings": ("Réunions tenues et attendues par groupe", "Meetings held and expected per group"),
    "c_attendance": ("Taux d'assiduité par groupe", "Attendance rate per group"),
    "c_indicators": ("Indicateurs : participants et groupe témoin", "Indicators: participants and control group"),
    # column headers and row labels
    "region": ("Région", "Region"),
    "figure": ("Chiffre", "Figure"),
    **WORDS,  # total, yes, no: the words the tables write themselves
    "groups": ("Groupes", "Groups"),
    "animators": ("Animateurs", "Animators"),
    "coordinators": ("Coordonnateurs", "Coordinators"),
    "participants": ("Participants", "Participants"),
    "meetings_held": ("Réunions tenues", "Meetings held"),
    "meetings_expected": ("Réunions attendues", "Meetings expected"),
    "hours": ("Heures", "Hours"),
    "attendances": ("Présences", "Attendances"),
    "absences": ("Absences", "Absences"),
    "attendance_rate": ("Taux d'assiduité", "Attendance rate"),
    "themes_count": ("Thèmes traités", "Themes covered"),
    "coverage": ("Couverture", "Coverage"),
    "errors": ("Erreurs", "Errors"),
    "indemnities": ("Indemnités des séances (total)", "Session indemnities (total)"),
    "warnings": ("Avertissements", "Warnings"),
    "territories": ("Territoires", "Territories"),
    "setting": ("Milieu", "Setting"),
    "rural": ("rural", "rural"),
    "urban": ("urbain", "urban"),
    "mixed": ("mixte", "mixed"),
    "unknown": ("inconnu", "unknown"),
    "wave": ("Vague", "Wave"),
    "no_wave": ("sans vague", "no wave"),
    "constituted_from": ("Constitués du", "Constituted from"),
    "constituted_to": ("au", "to"),
    "group": ("Groupe", "Group"),
    "constituted": ("Constitué le", "Constituted"),
    "held": ("Tenues", "Held"),
    "feedback_meetings": ("dont restitution", "of which feedback"),
    "expected": ("Attendues", "Expected"),
    "members": ("Membres", "Members"),
    "meetings": ("Réunions", "Meetings"),
    "theme": ("Thème", "Theme"),
    "theme_title": ("Intitulé", "Title"),
    "in_programme": ("Au programme", "In programme"),
    "territory": ("Territoire", "Territory"),
    "measured_on": ("Mesurée le", "Measured on"),
    "local_members": ("Membres du territoire", "Members from the territory"),
    "practitioners": ("Médecins généralistes", "General practitioners"),
    "rule": ("Règle", "Rule"),
    "severity": ("Gravité", "Severity"),
    "error": ("erreur", "error"),
    "warning": ("avertissement", "warning"),
    "findings": ("Constats", "Findings"),
    "indicator": ("Indicateur", "Indicator"),
    "better": ("Objectif", "Aim"),
    "aim": (" (objectif : {aim})", " (aim: {aim})"),
    "lower": ("baisse", "decrease"),
    "higher": ("hausse", "increase"),
    "population": ("Population", "Population"),
    "participant": ("participants", "participants"),
    "control": ("groupe témoin", "control group"),
    # notes under tables
    "n_figures": (
        "Taux mis en commun : somme des numérateurs / somme des dénominateurs (jamais une moyenne de taux).",
        "Pooled rates: sum of numerators / sum of denominators (never an average of rates).",
    ),
    "n_meetings": (
        "Réunions attendues au prorata des jours d'activité pour un groupe constitué ou arrêté en cours "
        "d'année ; « — » : groupe sans aucun jour d'activité dans l'année.",
        "Meetings expected pro rata of the days active for a group constituted or stopped during the year; "
        "“—”: group not active on any day of the year.",
    ),
    "n_attendance": (
        "Présences et absences des membres actifs à la date de chaque réunion ; l'animateur de séance qui "
        "n'est pas membre n'est pas compté.",
        "Attendances and absences of the members active on each meeting date; a session animator who is not "
        "a member is not counted.",
    ),
    "n_coverage": (
        "Membres actifs exerçant dans le territoire du groupe, au 31 décembre (ou à la dernière réunion "
        "de l'année), rapportés aux médecins généralistes libéraux du territoire.",
        "Active members practising in the group's territory on 31 December (or the year's last meeting "
        "date) over the territory's general practitioners.",
    ),
    "n_compliance": (
        "Constats de « gqrec check » sur les fichiers de l'année (réunions, contrats, programme, retours) et sur "
        "les fiches permanentes de la région (région, territoires, médecins, groupes), sauf ceux qui portent sur "
        "une autre année (période de retour, année jugée).",
        "Findings of “gqrec check” on the year's files (meetings, contracts, programme, feedback) and on the "
        "region's standing files (region, territories, physicians, groups), except those about another year "
        "(feedback period, judged year).",
    ),
    "n_indicators": (
        "Taux mis en commun par période (somme des numérateurs / somme des dénominateurs) ; « — » : moins de "
        "10 patients ou pas de données. Aucun chiffre individuel.",
        "Pooled rates per period (sum of numerators / sum of denominators); “—”: fewer than 10 patients or no "
        "data. No individual figure.",
    ),
}


def label(key: str, lang: str = "fr", **values) -> str:
    """The text of `key` in `lang`, with `values` filled in."""
    return LABELS[key][1 if lang == "en" else 0].format(**values)


def counted(key: str, n: int, lang: str = "fr") -> str:
    """« 1 médecin coordonnateur », « 230 médecins participants »: the number and the form it takes."""
    one, many = LABELS[key][1 if lang == "en" else 0].split("|")
    return (one if n == 1 else many).format(n=i18n.number(n, lang))


def cover_lines(region, lang: str) -> list[tuple[str, list[str]]]:
    """(label, names) of a region's cover: its partners, its coordinator and its COPIL (region.yaml)."""
    head = region.masthead
    if head is None:
        return []
    members = [f"{name} ({organisation})" if organisation else name for name, organisation in head.copil]
    lines = [("partners", list(head.partners)), ("coordinator", [head.coordinator] if head.coordinator else []),
             ("copil", members)]
    return [(label(key, lang), names) for key, names in lines if names]


def association_line(region) -> str:
    """« APIMED Bretagne (association loi 1901) »."""
    head = region.masthead
    if head is None:
        return region.name
    return head.association + (f" ({head.legal_form})" if head.legal_form else "")


def report_title(bilan, lang: str) -> str:
    scope = bilan.regions[0].name if bilan.region else label("all_regions", lang)
    return f"{label('title', lang, year=bilan.year)} — {scope}"


def inventory_line(bilan, lang: str) -> str:
    """« 24 groupes — 22 animateurs — 1 médecin coordonnateur — 230 médecins participants »."""
    f = bilan.total
    return " — ".join(counted(key, n, lang) for key, n in (
        ("group_count", f.groups), ("animator_count", f.animators),
        ("coordinator_count", f.coordinators), ("participant_count", f.participants),
    ))


def meta_line(bilan, lang: str) -> str:
    """The line under the title: the as-of date, the git revision shown if any, what the report holds."""
    parts = [label("as_of", lang, day=i18n.day(bilan.as_of, lang))]
    if bilan.revision is not None:
        r = bilan.revision
        parts.append(label("revision", lang, name=r.name, commit=r.commit[:12], day=i18n.day(r.day, lang)))
    return " ".join(parts + [label("generated", lang)])
