"""Feedback rules: each period's prescribing feedback reaches every group, at the charter's rhythm."""

from __future__ import annotations

from datetime import timedelta
from typing import Iterable, Iterator

from .. import ids
from ..findings import ERROR, WARNING
from ..layout import path_of
from ..records import DOUBT
from . import Hit, hit, loading_rule, rule
from .examples import Example, Remove, Set, Unseal

YEAR = timedelta(days=366)  # how long after a period its restitution meeting may come
RHYTHM_FR = {"semester": "semestriel (AAAA-S1, AAAA-S2)", "trimester": "trimestriel (AAAA-T1 à AAAA-T4)"}


rule(
    "GQ120",
    WARNING,
    "Retours chiffrés non vérifiés, faute de clé",
    "Les lignes individuelles des retours d'information sont chiffrées dans le dépôt (docs/feedback.md) : sans "
    "la clé, gqrec ne peut juger leur contenu (lignes conformes, médecins et indicateurs connus, période reçue "
    "par chaque groupe). Il ne l'invente pas : un seul avertissement dit combien de fichiers n'ont pas été lus.",
    "Donnez la clé (variable GQREC_FEEDBACK_KEY ou --key-file) ; en CI, comme secret du dépôt.",
    summary="Fichiers de retour chiffrés non vérifiés faute de clé (un seul constat pour tous)",
    example=Example("Le check lancé sans la clé des retours, devant des fichiers de retour chiffrés.", keyless=True,
                    at=None),
)(None)
loading_rule(
    "GQ121",
    "Retours d'information en clair dans le dépôt",
    "Un fichier de retour en clair donne les numérateurs et dénominateurs de chaque médecin : en recalculant "
    "leurs taux, quiconque détient le dépôt relierait les codes des profils de groupe aux médecins. Les lignes "
    "individuelles sont chiffrées avec la clé de codage (docs/feedback.md).",
    f"Chiffrez le fichier : « gqrec seal {path_of('feedback', '<région>', '<période>')} » (la clé par GQREC_FEEDBACK_KEY "
    "ou --key-file). Un fichier déjà commité en clair reste dans l'historique git : voir docs/feedback.md.",
    summary=("Fichier de retour en clair dans le dépôt (lignes individuelles lisibles par tous) : à chiffrer "
             "avec `gqrec seal`"),
    example=Example("Un fichier de retour déchiffré et laissé en clair.", (Unseal(),)),
)


@rule(
    "GQ113",
    WARNING,
    "Période sans retour d'information",
    "Cahier des charges : « chaque semestre, les médecins reçoivent, à l'occasion des réunions de restitution, "
    "un retour d'information sur les pratiques ». Une période n'est jugée qu'une fois terminée, et seulement "
    "pour un groupe actif pendant toute la période.",
    "Ajoutez les lignes de ses membres dans feedback/<période>.csv, ou le compte rendu de la réunion de "
    "restitution de la période (type: feedback, period: …).",
    ("feedback_period",),
    summary=("Période jugée sans retour d'information pour le groupe (ni lignes CSV de ses membres, ni réunion"
             " de restitution)"),
    example=Example("Les données d'une période et ses réunions de restitution supprimées.", (
        Remove("feedback", id="{period}"),
        Remove("meeting", "period: {period}\n", every=True),
    ), alone=False, at=None),
)
def feedback_every_period(registry, conf) -> Iterator[Hit]:
    for group in registry.groups_in_path_order:
        for period, year in periods_without_feedback(registry, group, conf(group.region)["feedback_period"]):
            yield hit(
                group.src, ("constituted",),
                f"Aucun retour d'information pour la période {period} : ni ligne pour ses membres dans "
                f"feedback/{period}.csv, ni réunion de restitution.",
                year=year,
            )


def periods_without_feedback(registry, group, rhythm: str, years: Iterable[int] | None = None
                             ) -> Iterator[tuple[str, int]]:
    """(period, year) of each judged period (over before the reference date, the group active throughout)
    without feedback for the group: no rows for its members, no restitution meeting (GQ113; `gqrec status`
    lists them as pending). `years`: those years only (by default, from its constitution to the as-of date)."""
    held = registry.held(group.region, group.id)
    restituted = {m.restitution for m in held if m.restitution}
    doubts = [m.date for m in held if m.restitution == DOUBT]
    misnamed = _off_rhythm(registry, group.region, rhythm) + [
        ids.period_bounds(p) for p in restituted if p != DOUBT and not ids.in_rhythm(p, rhythm)
    ]
    for year in registry.years_of(group) if years is None else years:
        for period in ids.periods_of_year(year, rhythm):
            first, last = ids.period_bounds(period)
            if not registry.judged_period(period) or not registry.active_throughout(group, first, last):
                continue
            if period in restituted or any(first <= day <= last + YEAR for day in doubts):
                continue  # restituted, or maybe by a meeting whose file is at fault (its finding says so)
            if any(start <= last and first <= end for start, end in misnamed):
                continue  # data or a restitution of this time under another rhythm's name: GQ117's finding
            members = {t.physician for t in group.members if t.overlaps(first, last)}
            data = registry.feedback.get((group.region, period))
            if data is None and registry.exists("feedback", group.region, period):
                continue  # the period's file is there but unreadable: its GQ001 says so, once
            if data is not None and not data.opened:
                continue  # sealed and no key: not judged, GQ120 says so once
            if data and not members.isdisjoint(data.physicians):
                continue
            yield period, year


def _off_rhythm(registry, region: str, rhythm: str) -> list[tuple]:
    """The bounds of the region's feedback files named for another rhythm than the charter's (GQ117)."""
    return registry.memo(("off_rhythm", region), lambda: [
        ids.period_bounds(period) for (where, period) in registry.feedback
        if where == region and not ids.in_rhythm(period, rhythm)
    ])


@rule(
    "GQ117",
    ERROR,
    "Période de retour au mauvais rythme",
    "La charte fixe le rythme du retour d'information (« feedback_period ») : semestriel par défaut, trimestriel "
    "dans les régions qui l'ont choisi. Un fichier ou une réunion de restitution d'un autre rythme ne serait "
    "comparé à rien.",
    "Renommez le fichier de retour, ou corrigez « period » de la réunion de restitution, selon le rythme de la région.",
    ("feedback_period",),
    summary=("Fichier de retour ou réunion de restitution d'une période hors du rythme de la charte (S en "
             "semestriel, T en trimestriel)"),
    example=Example("Une région passée au rythme trimestriel, ses retours toujours semestriels.",
                    (Set("region", (("charter.feedback_period", "trimester"),)),), at=None),
)
def feedback_rhythm(registry, conf) -> Iterator[Hit]:
    for (region, period), data in sorted(registry.feedback.items()):
        rhythm = conf(region)["feedback_period"]
        if not ids.in_rhythm(period, rhythm):
            yield Hit(data.src.path, 1, 1, f"Période {period} hors du rythme {RHYTHM_FR[rhythm]} de la région.")
    for (region, _), meetings in sorted(registry.meetings.items()):
        rhythm = conf(region)["feedback_period"]
        for meeting in meetings:
            if meeting.period and not ids.in_rhythm(meeting.period, rhythm):
                yield hit(
                    meeting.src, ("period",),
                    f"Période {meeting.period} hors du rythme {RHYTHM_FR[rhythm]} de la région.",
                )
