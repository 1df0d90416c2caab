"""Meeting rules: the animator of the day, contracts, the yearly programme, duration, the roll call."""

from __future__ import annotations

from typing import Iterator

from .. import ids
from ..findings import ERROR, WARNING
from ..layout import path_of
from ..records import CANCELLED, HELD
from . import Hit, hit, hit_key, rule
from .examples import Create, Edit, Example, Find, Remove


def _meetings_with_group(registry, counted: bool = False):
    """Each meeting with its group, but a cancelled one; with `counted`, only those that count (held, on or
    before the reference date: a future one recorded as held is GQ122's alone). One dated before the
    group's constitution is GQ006's alone (its roll call, animator, contracts and theme cannot be judged
    against a group that did not exist)."""
    for (region, group_id), meetings in sorted(registry.meetings.items()):
        group = registry.groups.get((region, group_id))
        if group is not None:
            for meeting in meetings:
                if meeting.date >= group.constituted and meeting.status != CANCELLED \
                        and (not counted or meeting.counts(registry.as_of)):
                    yield group, meeting


@rule(
    "GQ103",
    ERROR,
    "Animateur de séance qui n'anime pas le groupe",
    "Cahier des charges : « chaque groupe est accompagné par un animateur » désigné pour ce groupe ; la "
    "séance est animée par un animateur actif du groupe à sa date.",
    "Corrigez « animator » de la réunion, ou ajoutez la période de cet animateur dans group.yaml.",
    summary="L'animateur de la séance n'est pas animateur actif du groupe ce jour-là",
    example=Example("Un membre présent noté comme animateur de la séance.", (Edit(
        "meeting", 'animator: "{rpps}"\npresent:\n  - "{rpps2}"\n', 'animator: "{rpps2}"\npresent:\n  - "{rpps2}"\n'),)),
)
def meeting_animator(registry, conf) -> Iterator[Hit]:
    for group, meeting in _meetings_with_group(registry):
        active = group.active_animators(meeting.date)
        if meeting.animator not in active and ids.luhn_ok(meeting.animator) \
                and meeting.animator not in group.doubtful_animators(meeting.date) \
                and not active & registry.faulty_entries(group):  # GQ005's, GQ006's or GQ004's alone
            listed = ", ".join(sorted(active)) or "aucun"
            yield hit(
                meeting.src, ("animator",),
                f"{meeting.animator} n'est pas animateur actif du groupe « {group.id} » le {meeting.date} "
                f"({'animateur actif' if len(active) <= 1 else 'animateurs actifs'} : {listed}).",
            )


@rule(
    "GQ107",
    ERROR,
    "Présent sans contrat de l'année",
    "Cahier des charges : « les médecins s'engagent […] à une participation active aux réunions qui se "
    "concrétise par une contractualisation individuelle des médecins avec l'association ». Le contrat de "
    "l'année est signé au plus tard le jour de la réunion.",
    "Ajoutez contracts/AAAA/<rpps>.yaml avec la date de signature, ou corrigez la liste des présents.",
    summary="Présent à une réunion sans contrat de l'année signé au plus tard ce jour-là",
    example=Example("Le contrat d'un médecin présent supprimé.", (
        Find("meeting", 'present:\n  - "{rpps}"\n'),
        Remove("contract", id="{rpps}"),
    ), at=None),
)
def contract_before_attendance(registry, conf) -> Iterator[Hit]:
    for group, meeting in _meetings_with_group(registry, counted=True):
        day = meeting.date
        signed = registry.signatures(meeting.region, day.year)
        reported = registry.faulty_entries(group)  # an entry at fault in group.yaml: its finding is there
        for index, rpps in enumerate(meeting.present):
            if rpps in reported:
                continue
            when = signed.get(rpps)
            partial = registry.partial_contracts.get((meeting.region, day.year, rpps)) if when is None else None
            if partial is not None:
                when = partial.day("signed")
                if when is None:
                    continue  # the contract file is there, its date unreadable: its own finding says so
            if when is None and not ids.luhn_ok(rpps):
                continue  # a mistyped RPPS is GQ005's finding, not a missing contract
            if when is None:
                yield hit(
                    meeting.src, ("present", index),
                    f"{rpps} est présent le {day} sans contrat pour {day.year} (contracts/{day.year}/{rpps}.yaml).",
                )
            elif when > day:
                yield hit(
                    meeting.src, ("present", index),
                    f"{rpps} est présent le {day} mais son contrat {day.year} n'est signé que le {when}.",
                )


@rule(
    "GQ108",
    ERROR,
    "Thème hors du programme validé",
    "Cahier des charges : « un COPIL valide la constitution des groupes et le choix des thèmes » ; chaque "
    "réunion thématique porte sur un thème du programme annuel de la région, après sa validation.",
    "Choisissez un thème du programme (programmes/AAAA.yaml), ou faites valider le thème par le COPIL.",
    summary="Thème hors du programme de l'année, sans programme, ou réunion avant la validation du COPIL",
    example=Example("Le programme d'une année où le groupe s'est réuni supprimé.", (Remove("programme"),), at=None),
)
def theme_in_programme(registry, conf) -> Iterator[Hit]:
    for _group, meeting in _meetings_with_group(registry):
        if meeting.type != "thematic" or not meeting.theme or not registry.exists("theme", None, meeting.theme):
            continue  # an unknown theme is GQ004's finding, not a second one here
        terms = registry.programme_terms(meeting.region, meeting.date.year)
        if terms is None:
            yield hit(
                meeting.src, ("theme",),
                f"Aucun programme validé pour {meeting.date.year} dans la région "
                f"({path_of('programme', meeting.region, year=meeting.date.year)}).",
            )
            continue
        themes, validated = terms  # None where the programme file does not say it validly: its finding does
        if themes is not None and meeting.theme not in themes:
            yield hit(
                meeting.src, ("theme",),
                f"Le thème « {meeting.theme} » n'est pas au programme {meeting.date.year} de la région "
                f"({', '.join(themes)}).",
            )
        elif validated is not None and meeting.date < validated:
            yield hit(
                meeting.src, ("theme",),
                f"Réunion du {meeting.date} antérieure à la validation du programme {meeting.date.year} par le "
                f"COPIL le {validated}.",
            )


@rule(
    "GQ111",
    WARNING,
    "Réunion trop courte",
    "Cahier des charges : les réunions « sont organisées tous les mois et durent environ 2 heures ».",
    "Vérifiez la durée saisie ; une réunion écourtée peut être signalée au coordonnateur.",
    ("meeting_minutes_min",),
    summary="Réunion plus courte que le minimum",
    example=Example("Une réunion d'une heure.", (Edit("meeting", "duration_minutes: {n}\n", "duration_minutes: 60\n"),),
                    fixed=(Edit("meeting", "duration_minutes: {n}\n", "duration_minutes: 90\n"),)),
)
def meeting_duration(registry, conf) -> Iterator[Hit]:
    for (region, _), meetings in sorted(registry.meetings.items()):
        minimum = conf(region)["meeting_minutes_min"]
        for meeting in meetings:
            if meeting.status == HELD and meeting.duration_minutes < minimum:
                yield hit(
                    meeting.src, ("duration_minutes",),
                    f"Réunion de {meeting.duration_minutes} minutes ; le cahier des charges en demande au moins {minimum}.",
                )


@rule(
    "GQ112",
    ERROR,
    "Appel incomplet ou erroné",
    "L'indemnisation des séances et le bilan annuel reposent sur l'appel : chaque membre actif du groupe à la "
    "date de la réunion est soit présent, soit absent, et personne d'autre n'y figure (l'animateur de la "
    "séance peut être listé).",
    "Ajoutez les membres manquants à « present » ou « absent », retirez les doublons et les non-membres.",
    summary="Appel faux : membre actif ni présent ni absent, nom dans les deux listes, non-membre listé",
    example=Example("Un membre oublié dans l'appel.", (Edit("meeting", 'present:\n  - "{rpps}"\n', "present:\n"),)),
)
def roll_call(registry, conf) -> Iterator[Hit]:
    for group, meeting in _meetings_with_group(registry, counted=True):
        active = group.active_members(meeting.date)
        present, absent = set(meeting.present), set(meeting.absent)
        faulty = registry.faulty_entries(group) & active  # entries at fault in group.yaml: found there (GQ004/5)
        missing = sorted(active - present - absent - faulty)
        outside = (present | absent) - active  # nearly always empty: the checks below cost nothing then
        mistyped = {rpps for rpps in outside if not ids.luhn_ok(rpps)} if outside else outside  # GQ005's
        excused = mistyped | group.doubtful_members(meeting.date) if outside else outside  # and GQ006's
        unnamed = faulty - present - absent
        if unnamed and outside:  # as many names as faulty entries unnamed: each may be whom one meant
            strangers = outside - excused - {meeting.animator}
            excused = excused | strangers if len(strangers) <= len(unnamed) else excused
        if missing and len(missing) > len(mistyped):  # else each missing member may be a mistyped one
            yield hit_key(
                meeting.src, ("present",),
                (f"Membre actif le {meeting.date} ni présent ni absent : {missing[0]}." if len(missing) == 1 else
                 f"Membres actifs le {meeting.date} ni présents ni absents : {', '.join(missing)}."),
            )
        for index, rpps in enumerate(meeting.absent):
            if rpps in present:
                yield hit(meeting.src, ("absent", index), f"{rpps} est à la fois présent et absent.")
        for field in ("present", "absent"):
            for index, rpps in enumerate(getattr(meeting, field)):
                if rpps in outside and rpps != meeting.animator and rpps not in excused:
                    yield hit(
                        meeting.src, (field, index),
                        f"{rpps} n'est pas membre actif du groupe « {group.id} » le {meeting.date}.",
                    )


# GQ122's and GQ123's examples: a meeting file written for a group, animated by its (first) animator
_ANIMATOR_OF_GROUP = Find("group", 'animators:\n  - physician: "{rpps}"\n', id="{group}")
_FUTURE = 'type: feedback\nperiod: 2098-S2\nduration_minutes: 120\nanimator: "{rpps}"\n'
_PAST = 'type: feedback\nperiod: 2024-S1\nduration_minutes: 120\nanimator: "{rpps}"\n'


@rule(
    "GQ122",
    ERROR,
    "Réunion future enregistrée comme tenue",
    "Une réunion n'est comptée, payée et attestée qu'une fois tenue : une réunion datée après le jour de "
    "référence ne peut pas avoir d'appel. On l'écrit d'avance avec « status: planned », puis on enregistre son "
    "appel une fois tenue (gqrec roll-call).",
    "Écrivez « status: planned » et retirez « present »/« absent » jusqu'à la réunion, ou corrigez sa date.",
    summary="Réunion datée après le jour de référence enregistrée comme tenue (avec un appel, ou sans "
    "`status: planned`)",
    example=Example(
        "Une réunion de 2099 déjà enregistrée comme tenue, avec son appel.",
        (_ANIMATOR_OF_GROUP, Create("groups/{group}/meetings/2099-01-13.yaml", _FUTURE + 'present:\n  - "{rpps}"\n')),
        alone=False, at=1,
        fixed=(_ANIMATOR_OF_GROUP, Create("groups/{group}/meetings/2099-01-13.yaml", "status: planned\n" + _FUTURE)),
    ),
)
def future_held(registry, conf) -> Iterator[Hit]:
    for (_region, _group_id), meetings in sorted(registry.meetings.items()):
        for meeting in meetings:
            if meeting.status == HELD and meeting.date > registry.as_of:
                where = ("present",) if meeting.present or meeting.absent else ("status",)
                yield hit_key(
                    meeting.src, where,
                    f"Réunion du {meeting.date}, postérieure au jour de référence {registry.as_of}, enregistrée "
                    "comme tenue" + (" avec son appel" if meeting.present or meeting.absent else " (sans « status: planned »)")
                    + " : elle n'est ni comptée, ni payée, ni attestée. Écrivez « status: planned » sans appel, "
                    "puis enregistrez l'appel une fois la réunion tenue (gqrec roll-call).",
                )


@rule(
    "GQ123",
    WARNING,
    "Appel manquant d'une réunion passée",
    "Une réunion prévue (« status: planned ») dont la date est passée depuis plus de « roll_call_within_days » "
    "jours n'a toujours pas d'appel : elle ne compte pas (bilan, indemnités, attestations) tant que l'appel "
    "n'est pas enregistré, ou qu'elle n'est pas déclarée annulée.",
    "Enregistrez l'appel (gqrec roll-call --group G --date AAAA-MM-JJ --absent RPPS…), ou écrivez "
    "« status: cancelled » avec sa raison (« reason »).",
    ("roll_call_within_days",),
    summary="Réunion prévue (`status: planned`) sans appel plus de N jours après sa date",
    example=Example(
        "Une réunion d'août 2024 restée prévue, sans appel.",
        (_ANIMATOR_OF_GROUP, Create("groups/{group}/meetings/2024-08-06.yaml", "status: planned\n" + _PAST)),
        alone=False, at=1,
        fixed=(_ANIMATOR_OF_GROUP, Create("groups/{group}/meetings/2099-01-13.yaml", "status: planned\n" + _FUTURE)),
    ),
)
def roll_call_missing(registry, conf) -> Iterator[Hit]:
    for (region, group_id), meetings in sorted(registry.meetings.items()):
        within = conf(region)["roll_call_within_days"]
        for meeting in meetings:
            late = registry.roll_call_late(meeting, within)
            if late is not None:
                yield hit(
                    meeting.src, ("status",),
                    f"Réunion prévue du {meeting.date} sans appel {late} jours après sa date ({within} au plus) : "
                    f"enregistrez son appel (gqrec roll-call --group {group_id} --date {meeting.date} --absent …) "
                    "ou déclarez-la annulée (status: cancelled, avec reason).",
                )
