"""Theme rules: a theme offered in a programme has a complete dossier and meets the four criteria."""

from __future__ import annotations

from typing import Iterator

from ..findings import ERROR
from . import Hit, hit, hit_key, rule
from .examples import Edit, Example, Find

CRITERIA_FR = {
    "daily_practice": "concerne la pratique quotidienne ou l'organisation professionnelle",
    "evaluable": "facilement évaluable",
    "evidence_based": "cohérent avec les données actuelles de la science",
    "efficiency": "au service de l'efficience des soins",
}


@rule(
    "GQ109",
    ERROR,
    "Thème au programme avec un dossier incomplet",
    "Cahier des charges : « les thèmes retenus par l'association doivent répondre à 4 critères » (pratique "
    "quotidienne, facilement évaluable, cohérent avec les données actuelles de la science, efficience), et "
    "« un dossier documentaire mis à disposition en amont de la rencontre présente la problématique, les sources "
    "documentaires, les messages essentiels issus des recommandations, les indicateurs de suivi des pratiques ».",
    "Complétez le dossier du thème (problem, key_messages, references, indicators), ou retirez-le du programme.",
    summary="Thème au programme dont le dossier est incomplet ou qui ne remplit pas les quatre critères",
    example=Example("Un thème au programme qui n'est pas « facilement évaluable ».", (
        Find("meeting", "theme: {id}\n"),
        Edit("theme", "evaluable: true", "evaluable: false", id="{id}"),
    ), at=1),
)
def complete_dossier(registry, conf) -> Iterator[Hit]:
    offered = sorted({theme for region, year in {*registry.programmes, *registry.partial_programmes}
                      for theme in registry.programme_terms(region, year)[0] or ()})
    for theme_id in offered:
        theme = registry.themes.get(theme_id)
        if theme is None:
            continue
        for key, meaning in CRITERIA_FR.items():
            if not theme.criteria.get(key):
                yield hit(theme.src, ("criteria", key), f"Le thème ne remplit pas le critère « {meaning} » ({key}).")
        empty = [
            (("dossier", "problem"), "la problématique (problem)", theme.problem.strip()),
            (("dossier", "key_messages"), "les messages essentiels (key_messages)", theme.key_messages),
            (("dossier", "references"), "les références (references)", theme.references),
        ]
        for path, what, value in empty:
            if not value:
                yield hit_key(theme.src, path, f"Dossier documentaire incomplet : {what} est vide.")
        if not theme.indicators:
            yield hit_key(theme.src, ("indicators",), "Le thème n'a aucun indicateur de suivi (indicators).")
