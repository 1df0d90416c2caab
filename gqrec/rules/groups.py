"""Group rules: size, yearly meetings, trained animators, territorial coverage, single membership, entries
listed once."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from fractions import Fraction
from typing import Iterator

from ..findings import ERROR, WARNING
from ..french import counted
from ..records import GENERAL_PRACTICE
from . import Hit, hit, hit_key, rule
from .examples import Create, Edit, Example, Find, Set


def _whose(charter, key: str) -> str:
    return {"régional": "de la région", "national": "national"}.get(charter.origin[key], "(valeur par défaut)")


@rule(
    "GQ101",
    ERROR,
    "Taille du groupe hors des bornes",
    "Cahier des charges : « les groupes Qualité sont constitués de 10 à 15 médecins généralistes qui exercent "
    "dans la même zone géographique de proximité » (10 à 12 en Bretagne). La taille se compte en membres "
    "actifs à chaque date de réunion.",
    "Ajoutez ou retirez des membres (périodes since/until de group.yaml), ou corrigez une date de période.",
    ("group_size",),
    summary="Taille du groupe hors des bornes à une date de réunion (un constat par groupe et par an)",
    example=Example("La région demande 13 à 15 membres à des groupes qui en comptent moins.",
                    (Set("region", (("charter.group_size", {"min": 13, "max": 15}),)),), at=None),
)
def group_size(registry, conf) -> Iterator[Hit]:
    for group in registry.groups_in_path_order:
        charter = conf(group.region)
        low, high = charter.group_min, charter.group_max
        reported: set[int] = set()
        for meeting in registry.held(group.region, group.id):
            if meeting.date < group.constituted:
                continue  # GQ006's finding, not a group of no one
            count = len(group.active_members(meeting.date))
            doubt = len(group.doubtful_members(meeting.date))  # a reversed period may well cover the day
            if (count <= high and count + doubt >= low) or meeting.date.year in reported:
                continue
            reported.add(meeting.date.year)
            yield hit_key(
                group.src, ("members",),
                f"Le groupe compte {count} membres actifs le {meeting.date} ; le cahier des charges "
                f"{_whose(charter, 'group_size')} en demande {low} à {high}.",
                "Un constat par groupe et par année : la première réunion hors des bornes est citée.",
                year=meeting.date.year,
            )


@rule(
    "GQ102",
    ERROR,
    "Nombre de réunions annuel insuffisant",
    "Cahier des charges : « le fonctionnement repose sur l'organisation de 10 réunions par an », mensuelles, "
    "d'environ deux heures. Une année n'est jugée qu'une fois terminée ; pour une année où le groupe n'est actif "
    "qu'une partie de l'année (constitué, ou quitté par son dernier membre, en cours d'année), le nombre attendu "
    "est pris au prorata des jours d'activité, arrondi à l'entier inférieur. Seules comptent les réunions tenues.",
    "Ajoutez les comptes rendus des réunions manquantes (meetings/AAAA-MM-JJ.yaml) ou justifiez l'écart auprès du COPIL.",
    ("meetings_per_year",),
    summary="Groupe avec moins de réunions tenues que prévu dans une année jugée (au prorata des jours d'activité pour une année partielle)",
    example=Example("La région demande 11 réunions par an à des groupes qui en tiennent 10.",
                    (Set("region", (("charter.meetings_per_year", 11),)),), at=None,
                    fixed=(Set("region", (("charter.meetings_per_year", 10),)),)),
)
def meetings_per_year(registry, conf) -> Iterator[Hit]:
    for group in registry.groups_in_path_order:
        per_year = conf(group.region)["meetings_per_year"]
        held: dict[int, int] = defaultdict(int)
        for meeting in registry.held(group.region, group.id):  # a meeting file counts by its date, valid or not
            held[meeting.date.year] += 1
        for year in registry.years_of(group):
            if not registry.judged_year(year):
                continue
            expected = registry.meetings_expected(group, year)
            if expected and held[year] < expected:
                share = "" if expected == per_year else (
                    f" ({per_year} par an, au prorata des {registry.days_active(group, year)} jours d'activité du groupe)")
                yield hit(
                    group.src, ("constituted",),
                    f"{counted(held[year], 'réunion tenue', 'réunions tenues')} en {year} pour {expected} attendues "
                    f"par le cahier des charges{share}.",
                    year=year,
                )


@rule(
    "GQ104",
    ERROR,
    "Animateur non formé",
    "Cahier des charges : « chaque groupe est accompagné par un animateur, recruté parmi les médecins de terrain, "
    "spécialement formé pour cette fonction » ; la formation précède la prise de fonction.",
    "Renseignez « animator_trained » dans la fiche du médecin, ou reportez le début de sa période d'animateur.",
    summary="Animateur sans date de formation, ou formé après sa prise de fonction",
    example=Example("La date de formation d'un animateur effacée de sa fiche.", (
        Find("group", 'animators:\n  - physician: "{rpps}"\n'),
        Set("physician", (("animator_trained", None),), id="{rpps}"),
    )),
)
def trained_animators(registry, conf) -> Iterator[Hit]:
    for group in registry.groups_in_path_order:
        for tenure in group.animators:
            physician = registry.physician(group.region, tenure.physician)
            if physician is None:
                continue
            where = ("animators", tenure.index, "physician")
            if physician.animator_trained is None:
                yield hit(group.src, where, f"L'animateur {tenure.physician} ({physician.name}) n'a pas de date de formation d'animateur.")
            elif physician.animator_trained > tenure.since:
                yield hit(
                    group.src, where,
                    f"L'animateur {tenure.physician} anime depuis le {tenure.since} mais n'a été formé que le "
                    f"{physician.animator_trained}.",
                )


@rule(
    "GQ105",
    ERROR,
    "Couverture du territoire insuffisante",
    "Cahier des charges : le groupe « doit regrouper la majorité des médecins du territoire en question » ; "
    "cette territorialité fait son caractère innovant. Couverture = membres actifs exerçant dans le territoire "
    "du groupe / médecins généralistes libéraux du territoire.",
    "Invitez d'autres médecins du territoire, ou corrigez « general_practitioners » du territoire s'il est faux.",
    ("territory_coverage_min",),
    summary=("Couverture du territoire sous le minimum, au 31 décembre d'une année jugée ou à la dernière "
             "réunion"),
    example=Example("Un territoire qui compte bien plus de généralistes que ses groupes de membres.", (
        Find("group", "territory: {id}\n"),
        Edit("territory", "general_practitioners: {n}\n", "general_practitioners: 9000\n", id="{id}"),
    ), at=None),
)
def territory_coverage(registry, conf) -> Iterator[Hit]:
    for group in registry.groups_in_path_order:
        charter = conf(group.region)
        threshold = Fraction(str(charter["territory_coverage_min"]))
        for year in registry.years_of(group):
            day = registry.coverage_day(group, year)
            counts = registry.coverage(group, day) if day else None
            if counts is None:
                continue
            local, practitioners, unsure = counts
            if Fraction(local + unsure, practitioners) >= threshold:
                continue  # a member whose file is at fault may well be local: that file's finding says so
            yield hit(
                group.src, ("territory",),
                f"Le {day}, {local} des {practitioners} médecins généralistes du territoire « {group.territory} » "
                f"sont membres actifs ({local / practitioners:.0%}) ; le cahier des charges "
                f"{_whose(charter, 'territory_coverage_min')} en demande au moins {float(threshold):.0%}.",
                year=year,
            )


@rule(
    "GQ106",
    ERROR,
    "Membre de deux groupes à la fois",
    "Cahier des charges : la démarche est territoriale, chaque médecin s'engage par un contrat individuel dans "
    "le groupe de son territoire ; il n'est membre actif que d'un groupe à la fois.",
    "Fermez la période (« until ») dans l'un des deux groupes avant le début de l'autre.",
    summary="Médecin membre actif de deux groupes le même jour (signalé sur le second group.yaml)",
    example=Example("Un membre d'un groupe inscrit aussi dans un nouveau groupe du même territoire.", (
        Find("group", ("territory: {id}\n", 'animators:\n  - physician: "{rpps}"\n',
                       'members:\n  - physician: "{rpps2}"\n    since: {date}\n  - '), id="{group}"),  # no until
        Create("groups/{group}-bis/group.yaml",
               'name: Groupe bis\nterritory: {id}\nconstituted: {date}\nanimators:\n  - physician: "{rpps}"\n'
               '    since: {date}\nmembers:\n  - physician: "{rpps2}"\n    since: {date}\n'),
    ), alone=False, at=None),
)
def single_membership(registry, conf) -> Iterator[Hit]:
    for region in registry.region_ids:
        for rpps, entries in sorted(registry.tenures(region, "members").items()):
            for i, (first_group, first) in enumerate(entries):
                for second_group, second in entries[i + 1:]:
                    if second_group.id == first_group.id:
                        continue
                    start = max(first.since, second.since)
                    if first.active_on(start) and second.active_on(start):
                        yield hit(
                            second_group.src, ("members", second.index, "physician"),
                            f"Le médecin {rpps} est membre actif de « {first_group.id} » et de « {second_group.id} » "
                            f"le {start}.",
                            year=start.year,
                        )


@rule(
    "GQ114",
    WARNING,
    "Animateur de trop nombreux groupes",
    "Un animateur peut accompagner plusieurs groupes, dans une limite fixée par la région pour garder le temps "
    "de préparation et de lien avec le coordonnateur.",
    "Confiez l'un des groupes à un autre animateur formé, ou relevez « animator_max_groups » en COPIL.",
    ("animator_max_groups",),
    summary="Animateur actif dans plus de groupes que permis le même jour",
    example=Example("Un animateur de deux groupes dans une région qui n'en permet qu'un.", (
        Find("group", ("territory: {id}\n", 'animators:\n  - physician: "{rpps}"\n    since: {date}\n'),
             id="{group}"),
        Create("groups/{group}-bis/group.yaml",
               'name: Groupe bis\nterritory: {id}\nconstituted: {date}\nanimators:\n  - physician: "{rpps}"\n'
               '    since: {date}\nmembers: []\n'),
        Set("region", (("charter.animator_max_groups", 1),)),
    ), at=None),
)
def animator_load(registry, conf) -> Iterator[Hit]:
    for region in registry.region_ids:
        for rpps, entries in sorted(registry.tenures(region, "animators").items()):
            limit = conf(region)["animator_max_groups"]
            if len({g.id for g, _ in entries}) <= limit:
                continue
            for day in sorted({t.since for _, t in entries}):
                groups = registry.groups_of(region, rpps, day, "animators")
                if len({g.id for g in groups}) > limit:
                    group = max(groups, key=lambda g: g.src.path)
                    tenure = next(t for t in group.animators if t.physician == rpps and t.active_on(day))
                    yield hit(
                        group.src, ("animators", tenure.index, "physician"),
                        f"Le {day}, l'animateur {rpps} anime {len(groups)} groupes "
                        f"({', '.join(sorted(g.id for g in groups))}) pour {limit} au plus.",
                        year=day.year,
                    )
                    break


@rule(
    "GQ115",
    WARNING,
    "Membre qui n'est pas médecin généraliste",
    "Cahier des charges : les groupes Qualité réunissent des « médecins généralistes libéraux » d'un même territoire.",
    "Vérifiez la spécialité dans la fiche du médecin, ou retirez-le du groupe.",
    summary="Membre dont la spécialité n'est pas « médecine générale »",
    example=Example("Un membre cardiologue.", (
        Find("group", 'members:\n  - physician: "{rpps}"\n'),
        Set("physician", (("specialty", "cardiologie"),), id="{rpps}"),
    )),
)
def general_practitioners_only(registry, conf) -> Iterator[Hit]:
    for group in registry.groups_in_path_order:
        for tenure in group.members:
            physician = registry.physician(group.region, tenure.physician)
            if physician is not None and physician.specialty != GENERAL_PRACTICE:
                yield hit(
                    group.src, ("members", tenure.index, "physician"),
                    f"Le membre {tenure.physician} a pour spécialité « {physician.specialty} », "
                    f"pas « {GENERAL_PRACTICE} ».",
                )


@rule(
    "GQ118",
    ERROR,
    "Médecin listé deux fois dans le groupe",
    "La fiche d'un groupe liste chaque période d'un médecin dans un rôle une seule fois : deux entrées du même "
    "médecin dont les périodes se chevauchent (ou identiques) sont un copier-coller ou une période mal close, "
    "et faussent ce qui se compte à partir d'elles (taille du groupe, appel, contrats).",
    "Supprimez l'entrée en double, ou fermez la première période (« until ») avant le début de la seconde.",
    summary=("Médecin listé deux fois parmi les membres (ou les animateurs) d'un groupe pour des périodes qui "
             "se chevauchent, signalé à la seconde entrée"),
    example=Example("Le premier membre recopié juste sous lui.", (Edit(
        "group", 'members:\n  - physician: "{rpps}"\n    since: {date}\n',
        'members:\n  - physician: "{rpps}"\n    since: {date}\n  - physician: "{rpps}"\n    since: {date}\n'),)),
)
def listed_twice(registry, conf) -> Iterator[Hit]:
    for group in registry.groups_in_path_order:
        for field, role in (("members", "membres"), ("animators", "animateurs")):
            seen: dict[str, list] = defaultdict(list)
            for tenure in getattr(group, field):
                overlapping = next((t for t in seen[tenure.physician] if _overlap(t, tenure)), None)
                seen[tenure.physician].append(tenure)
                if overlapping is not None:
                    yield hit(
                        group.src, (field, tenure.index, "physician"),
                        f"Le médecin {tenure.physician} figure deux fois parmi les {role} du groupe « {group.id} » "
                        f"(entrées {overlapping.index + 1} et {tenure.index + 1}) pour des périodes qui se chevauchent.",
                    )


def _overlap(first, second) -> bool:
    """Whether two periods share a day (an open end runs on; a reversed period is GQ006's alone)."""
    if any(t.until is not None and t.until < t.since for t in (first, second)):
        return False
    return first.overlaps(second.since, second.until or date.max)
