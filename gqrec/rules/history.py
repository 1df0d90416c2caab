"""Rules on the records' history in git: what the files alone cannot tell, such as when a meeting was
written down. They declare `needs=("git",)`; the Registry asks git (`Registry.first_committed`), and only
when a region's charter puts such a rule in force."""

from __future__ import annotations

from typing import Iterator

from .. import gitio
from ..layout import path_of
from ..findings import WARNING
from . import Hit, rule
from .examples import Example, Set


@rule(
    "GQ116",
    WARNING,
    "Compte rendu de réunion enregistré tardivement",
    "Quand la charte fixe « minutes_within_days », le fichier d'une réunion doit être enregistré (premier "
    "commit) au plus tard ce nombre de jours après la réunion, tant que l'on se souvient de qui était là et "
    "de ce qui a été dit. C'est la pratique des cercles de qualité allemands (Qualitätszirkel), dont les "
    "portails exigent que le compte rendu de chaque séance soit remis dans les trois mois. Sans cette clé, "
    "le délai n'est pas vérifié ; un fichier pas encore commité n'est pas jugé.",
    "Enregistrez les réunions sans attendre ; pour une réunion ancienne retrouvée, gardez l'avertissement "
    "ou désactivez la règle pour la région (charter: rules: {GQ116: off}).",
    ("minutes_within_days",),
    needs=("git",),
    summary="Compte rendu de réunion versé dans git plus de N jours après la réunion",
    example=Example("Des réunions commitées bien après 90 jours (le dépôt est commité aujourd'hui).",
                    (Set("region", (("charter.minutes_within_days", 90),)),), at=None),
)
def minutes_on_time(registry, conf) -> Iterator[Hit]:
    limits = {region: conf(region)["minutes_within_days"] for region in registry.region_ids}
    if not any(limits.values()):
        return
    try:
        first_committed = registry.first_committed()
    except gitio.ShallowHistory:
        for region in sorted(region for region, limit in limits.items() if limit):  # gathered into one by the check
            yield Hit(path_of("region", region), 1, 1, f"{gitio.SHALLOW_NOTE} : {gitio.SHALLOW}")
        return
    except gitio.GitError:
        return  # not a git repository, or no commit yet: nothing to judge
    for (region, _group), meetings in sorted(registry.meetings.items()):
        limit = limits.get(region)
        if not limit:
            continue
        for meeting in meetings:
            committed = first_committed.get(meeting.src.path)
            if committed is None:
                continue
            delay = (committed - meeting.date).days
            if delay > limit:
                yield Hit(
                    meeting.src.path, 1, 1,
                    f"Réunion du {meeting.date} enregistrée (premier commit) le {committed}, {delay} jours après ; "
                    f"la charte demande au plus {limit} jours (minutes_within_days).",
                )
