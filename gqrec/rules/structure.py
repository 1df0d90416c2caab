"""Structure rules: readable files, schemas, layout, references, RPPS keys, dates in order."""

from __future__ import annotations

from typing import Iterator, NamedTuple

from .. import ids
from ..findings import ERROR, WARNING
from ..layout import folder_of, path_of
from ..records import Source
from ..safe import printable
from ..suggest import did_you_mean
from . import Hit, hit, loading_rule, rule
from .examples import STRANGER, Create, Edit, Example, Set

loading_rule(
    "GQ001",
    "Fichier illisible",
    "Chaque registre est un fichier texte UTF-8 contenant un seul document YAML dont le niveau supérieur est "
    "un dictionnaire de champs (ou, pour les retours d'information, un CSV séparé par des virgules). Un fichier "
    "illisible ne peut être vérifié : tout ce qu'il devrait dire est perdu pour le programme.",
    "Corrigez la syntaxe à la ligne indiquée : indentation par espaces, une seule clé de chaque nom, "
    "pas de « --- », pas d'étiquette « !! », encodage UTF-8.",
    summary=("Fichier illisible : syntaxe, clé en double, pas UTF-8, pas un dictionnaire, plusieurs documents,"
             " étiquette, limites"),
    example=Example("Un crochet ouvert jamais fermé.",
                    (Edit("meeting", "duration_minutes: {n}\n", "duration_minutes: [{n}\n"),)),
)
loading_rule(
    "GQ002",
    "Registre non conforme à son schéma",
    "Chaque type de registre a un schéma (schema/*.schema.json) : champs obligatoires, types, valeurs permises. "
    "Un champ inconnu est refusé pour qu'une faute de frappe ne passe pas inaperçue.",
    "Corrigez le champ indiqué ; votre éditeur peut compléter et souligner les champs si les schémas "
    "lui sont associés (`gqrec schema`).",
    summary=("Registre non conforme à son schéma (champ manquant ou inconnu, type, valeur, doublon dans une "
             "liste) ; charte fusionnée invalide ; CSV : valeur non entière, numérateur > dénominateur"),
    example=Example("Une durée écrite en lettres.",
                    (Edit("meeting", "duration_minutes: {n}\n", "duration_minutes: deux heures\n"),)),
)
loading_rule(
    "GQ003",
    "Fichier hors de la disposition des registres",
    "L'emplacement d'un fichier dit quel registre il contient et donne son identifiant : un fichier mal placé "
    "ou mal nommé serait ignoré en silence.",
    "Déplacez ou renommez le fichier selon la disposition du README (identifiants en minuscules et tirets, "
    "dates AAAA-MM-JJ, années AAAA, extension .yaml).",
    summary="Fichier hors de la disposition, nom sans la forme de son identifiant, lien symbolique sortant",
    example=Example("Un ordre du jour posé dans le dossier de la région.",
                    (Create("ordre-du-jour.txt", "Ordre du jour de la prochaine réunion, à compléter.\n",
                             numbered=True),)),
)


class PhysicianRef(NamedTuple):
    """A place in the records where a physician is named by RPPS; its position is found only if needed."""

    src: Source
    at: tuple  # the value's path in the record, or ("line", n) for a CSV row
    region: str
    rpps: str
    role: str

    def hit(self, message: str) -> Hit:
        if self.at and self.at[0] == "line":
            return Hit(self.src.path, self.at[1], 1, message)
        return hit(self.src, self.at, message)


def physician_refs(registry) -> Iterator[PhysicianRef]:
    """Every RPPS written in a field (file names are checked by the layout), but a meeting's naming of a
    member or animator whose entry in group.yaml is at fault: that entry's finding is the one."""
    for region in registry.regions.values():
        yield PhysicianRef(region.src, ("coordinator",), region.id, region.coordinator, "coordonnateur")
    for group in registry.groups.values():
        for field, role in (("animators", "animateur"), ("members", "membre")):
            for tenure in getattr(group, field):
                yield PhysicianRef(group.src, (field, tenure.index, "physician"), group.region, tenure.physician, role)
    for (region, group_id), meetings in registry.meetings.items():
        group = registry.groups.get((region, group_id))
        reported = registry.faulty_entries(group) if group is not None else frozenset()
        for meeting in meetings:
            src = meeting.src
            if meeting.animator not in reported:
                yield PhysicianRef(src, ("animator",), meeting.region, meeting.animator, "animateur de séance")
            for field, role in (("present", "présent"), ("absent", "absent")):
                for index, rpps in enumerate(getattr(meeting, field)):
                    if rpps not in reported:
                        yield PhysicianRef(src, (field, index), meeting.region, rpps, role)
    for feedback in registry.feedback.values():
        for row in feedback.rows:
            if row.physician:
                yield PhysicianRef(feedback.src, ("line", row.line), feedback.region, row.physician, "ligne de retour")


def named_physicians(registry) -> dict[str, set[str]]:
    """Each RPPS written in a field, once per region: cheap to test in bulk, located only when at fault."""
    return registry.memo("named_physicians", lambda: _named_physicians(registry))


def _named_physicians(registry) -> dict[str, set[str]]:
    named: dict[str, set[str]] = {}
    for region in registry.regions.values():
        named.setdefault(region.id, set()).add(region.coordinator)
    for group in registry.groups.values():
        names = named.setdefault(group.region, set())
        names.update(t.physician for t in group.animators)
        names.update(t.physician for t in group.members)
    for (region, _), meetings in registry.meetings.items():
        names = named.setdefault(region, set())
        for meeting in meetings:
            names.add(meeting.animator)
            names.update(meeting.present)
            names.update(meeting.absent)
    for (region, _), feedback in registry.feedback.items():
        named.setdefault(region, set()).update(feedback.physicians)
    return named


@rule(
    "GQ005",
    ERROR,
    "Clé de contrôle RPPS fausse",
    "Le numéro RPPS identifie chaque médecin dans tout le dispositif (contrats, indemnisation, retours "
    "d'information) ; son dernier chiffre est une clé de Luhn qui détecte les fautes de frappe.",
    "Recopiez le numéro depuis l'annuaire santé ou la fiche du médecin dans physicians/.",
    summary="RPPS dont la clé de Luhn est fausse (nom de fichier ou champ)",
    example=Example("Le dernier chiffre d'un RPPS de l'appel mal recopié.",
                    (Edit("meeting", 'present:\n  - "{rpps}"\n', 'present:\n  - "{rpps|mistyped}"\n'),)),
)
def rpps_check_digit(registry, conf) -> Iterator[Hit]:
    wrong = {rpps for names in named_physicians(registry).values() for rpps in names if not ids.luhn_ok(rpps)}
    if not wrong:
        return
    for ref in physician_refs(registry):
        if ref.rpps in wrong:
            yield ref.hit(f"Le RPPS {ref.rpps} ({ref.role}) a une clé de contrôle fausse : une faute de frappe est probable.")


@rule(
    "GQ004",
    ERROR,
    "Référence à un registre inexistant",
    "Un registre en nomme d'autres par leur identifiant (médecin, territoire, groupe, thème, indicateur) ; "
    "les territoires, médecins et groupes se cherchent dans la région du registre, les thèmes et indicateurs "
    "dans la bibliothèque nationale.",
    "Corrigez l'identifiant, ou créez le registre manquant (`gqrec new`).",
    summary=("Référence à un registre inexistant (médecin, territoire, groupe, thème, indicateur), résolue "
             "dans la région"),
    example=Example("Une réunion sur un thème absent de la bibliothèque.",
                    (Edit("meeting", "theme: {id}\n", "theme: vaccination-antigrippale\n"),)),
)
def dangling_references(registry, conf) -> Iterator[Hit]:
    def missing(kind: str, region: str | None, ident: str) -> bool:
        return not registry.exists(kind, region, ident)

    unknown = {
        (region, rpps) for region, names in named_physicians(registry).items() for rpps in names
        if ids.luhn_ok(rpps) and missing("physician", region, rpps)
    }
    for ref in physician_refs(registry) if unknown else ():
        if ref.role != "coordonnateur" and (ref.region, ref.rpps) in unknown:
            yield ref.hit(f"Le médecin {ref.rpps} ({ref.role}) n'a pas de fiche {path_of('physician', ref.region, ref.rpps)}.")
    for physician in registry.physicians.values():
        if missing("territory", physician.region, physician.territory):
            yield _territory_hit(registry, physician)
    for group in registry.groups.values():
        if missing("territory", group.region, group.territory):
            yield _territory_hit(registry, group)
    for (region, group_id), meetings in sorted(registry.meetings.items()):
        if missing("group", region, group_id):
            yield hit(
                meetings[0].src, (),
                f"Les réunions de « {group_id} » n'ont pas de fiche {path_of('group', region, group_id)}.",
            )
        for meeting in meetings:
            if meeting.theme and missing("theme", None, meeting.theme):
                yield _theme_hit(registry, meeting.src, ("theme",), meeting.theme)
    for programme in registry.programmes.values():
        for index, theme in enumerate(programme.themes):
            if missing("theme", None, theme):
                yield _theme_hit(registry, programme.src, ("themes", index), theme)
    for contract in registry.contracts.values():
        if missing("physician", contract.region, contract.physician):
            yield hit(
                contract.src, (),
                f"Contrat d'un médecin sans fiche : {path_of('physician', contract.region, contract.physician)} manque.",
            )
        if missing("group", contract.region, contract.group):
            known = [g for (r, g) in registry.groups if r == contract.region]
            yield hit(contract.src, ("group",), f"Le groupe « {contract.group} » n'existe pas dans la région "
                      f"{contract.region}.{did_you_mean(contract.group, known)}")
    for theme in registry.themes.values():
        for index, indicator in enumerate(theme.indicators):
            if missing("indicator", None, indicator):
                yield _indicator_hit(registry, theme.src.path, *theme.src.at("indicators", index), indicator)
    for indicator in registry.indicators.values():
        if missing("theme", None, indicator.theme):
            yield _theme_hit(registry, indicator.src, ("theme",), indicator.theme)
    for feedback in registry.feedback.values():
        unknown_indicators = feedback.indicators - set(registry.indicators)
        unknown_indicators = {i for i in unknown_indicators if missing("indicator", None, i)}
        for row in feedback.rows if unknown_indicators else ():
            if row.indicator in unknown_indicators:
                yield _indicator_hit(registry, feedback.src.path, row.line, 1, row.indicator)


def _territory_hit(registry, record) -> Hit:
    known = [t for (r, t) in registry.territories if r == record.region]
    return hit(
        record.src, ("territory",),
        f"Le territoire « {record.territory} » n'existe pas : {path_of('territory', record.region, record.territory)} "
        f"manque.{did_you_mean(record.territory, known)}",
    )


def _theme_hit(registry, src, path: tuple, theme: str) -> Hit:
    return hit(src, path, f"Le thème « {theme} » n'existe pas dans la bibliothèque ({path_of('theme', id=theme)})."
               + did_you_mean(theme, registry.themes))


def _indicator_hit(registry, path: str, line: int, column: int, indicator: str) -> Hit:
    return Hit(path, line, column, f"L'indicateur « {indicator} » n'existe pas ({path_of('indicator', id=indicator)})."
               + did_you_mean(indicator, registry.indicators))


@rule(
    "GQ006",
    ERROR,
    "Dates dans le désordre",
    "Une période se lit du jour « since » au jour « until » inclus ; une réunion n'a lieu qu'une fois le groupe "
    "validé par l'association (« constituted »). Une date impossible trahit une faute de saisie.",
    "Corrigez la date indiquée : « until » au plus tôt le jour de « since », réunion au plus tôt le jour de la constitution.",
    summary=("Dates dans le désordre : `until` avant `since`, réunion avant la constitution, nom de réunion "
             "qui n'est pas une date réelle"),
    example=Example("Une période de membre qui finit avant de commencer.", (Edit(
        "group", 'members:\n  - physician: "{rpps}"\n    since: {date}\n  - ',
        'members:\n  - physician: "{rpps}"\n    since: {date}\n    until: 2001-01-01\n  - '),)),
)
def dates_out_of_order(registry, conf) -> Iterator[Hit]:
    for group in registry.groups.values():
        for field in ("animators", "members"):
            for tenure in getattr(group, field):
                if tenure.until is not None and tenure.until < tenure.since:
                    yield hit(
                        group.src, (field, tenure.index, "until"),
                        f"Fin de période {tenure.until} antérieure à son début {tenure.since} pour {tenure.physician}.",
                    )
    for (region, group_id), meetings in registry.meetings.items():
        group = registry.groups.get((region, group_id))
        if group is None:
            continue
        for meeting in meetings:
            if meeting.date < group.constituted:
                yield hit(
                    meeting.src, (),
                    f"Réunion du {meeting.date} antérieure à la constitution du groupe le {group.constituted}.",
                )


@rule(
    "GQ110",
    ERROR,
    "Coordonnateur hors de la région",
    "Cahier des charges : « un médecin coordonnateur régional est désigné par l'association pour assurer le "
    "lien entre les groupes Qualité ». Il doit être un médecin de la région, avec sa fiche dans physicians/.",
    "Indiquez dans region.yaml le RPPS d'un médecin de la région, ou créez sa fiche.",
    summary="Le coordonnateur n'est pas un médecin de la région",
    example=Example("Un coordonnateur sans fiche dans la région.",
                    (Edit("region", 'coordinator: "{rpps}"\n', f'coordinator: "{STRANGER}"\n'),)),
)
def coordinator_of_region(registry, conf) -> Iterator[Hit]:
    for region in registry.regions.values():
        if ids.luhn_ok(region.coordinator) and not registry.exists("physician", region.id, region.coordinator):
            yield hit(
                region.src, ("coordinator",),
                f"Le coordonnateur {region.coordinator} n'a pas de fiche dans {folder_of('physician', region.id)}/.",
            )


@rule(
    "GQ126",
    WARNING,
    "Caractère de contrôle dans un nom ou un titre",
    "Les noms (fédération, région, territoire, médecin, groupe) et les titres (thème, indicateur) sont repris "
    "dans le bilan, les profils, le registre, les attestations et les exports CSV. Un caractère de contrôle "
    "(retour chariot, échappement ANSI, inversion bidirectionnelle…) y est invisible et peut couper une ligne "
    "de tableur ou tromper un terminal : gqrec le neutralise partout, mais le registre doit être corrigé.",
    "Réécrivez le nom ou le titre sans le caractère signalé (gqrec fmt ne le retire pas).",
    example=Example("Un retour chariot dans le nom d'un médecin, qui couperait une ligne de tableur.",
                    (Set("physician", (("name", "Dr Anne\r@SUM(1)"),)),)),
)
def control_characters(registry, conf) -> Iterator[Hit]:
    named = [(r, "name", r.name) for r in (registry.federation, *registry.regions.values(),
                                           *registry.territories.values(), *registry.physicians.values(),
                                           *registry.groups.values()) if r is not None]
    named += [(r, "title", r.title) for r in (*registry.themes.values(), *registry.indicators.values())]
    for record, field, text in named:
        if isinstance(text, str) and printable(text) != text:
            yield hit(record.src, (field,), f"Caractère de contrôle dans {field} : « {printable(text)} ».")
