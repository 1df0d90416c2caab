"""`gqrec roll-call`: the roll call of a planned meeting, once it is held (RECORDS.md, « A meeting's life »).

The coordinator names the roll call — the absent (everyone else active that day is present), or the
present (everyone else absent), or says that no one was absent — and the meeting becomes `held`. Nothing
marks anyone present unless the coordinator named it so: a meeting is planned without roll call (`gqrec
new meeting`) and stays so until this. Every name must be an active member of the group that day (the
session's animator may be listed present); a meeting in the future, cancelled, or whose roll call is
already written is refused, and nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterable

from ruamel.yaml.comments import CommentedSeq

from ..layout import path_of
from ..records import CANCELLED, HELD
from . import AuthoringError
from .edit import load, text_of
from ..fsio import write_atomic


@dataclass(frozen=True)
class Marked:
    """What a roll call wrote: the meeting file, and who it marked present and absent (RPPS, name)."""

    path: Path
    present: tuple[tuple[str, str | None], ...]
    absent: tuple[tuple[str, str | None], ...]

    def lines(self) -> list[str]:
        """The French summary the command prints: who was marked, by name."""
        def who(people):
            return ", ".join(f"{name} ({rpps})" if name else rpps for rpps, name in people) or "personne"
        return [f"Présents ({len(self.present)}) : {who(self.present)}.",
                f"Absents ({len(self.absent)}) : {who(self.absent)}."]


def record(root: Path, *, region: str, group: str, day: date, absent: Iterable[str] = (),
           present: Iterable[str] = (), none_absent: bool = False, duration_minutes: int | None = None,
           as_of: date | None = None) -> Marked:
    """Write the roll call of the planned meeting of `group` on `day` (see the module's docstring)."""
    from ..check import build_registry

    absent, present = list(dict.fromkeys(absent)), list(dict.fromkeys(present))
    if sum((bool(absent), bool(present), none_absent)) != 1:
        raise AuthoringError("Nommez l'appel : soit --absent RPPS… (les autres membres actifs sont présents), soit "
                             "--present RPPS… (les autres sont absents), soit --none-absent (tous présents).")
    as_of = as_of or date.today()
    if day > as_of:
        raise AuthoringError(f"La réunion du {day} n'a pas encore eu lieu (jour de référence {as_of}) : son appel "
                             "s'enregistre une fois la réunion tenue.")
    rel = path_of("meeting", region, group=group, id=day.isoformat())
    document = load(root, rel)
    status = document.get("status", HELD)
    if status == CANCELLED:
        raise AuthoringError(f"La réunion du {day} est annulée ({rel}) : pas d'appel à enregistrer.")
    if status == HELD and ("present" in document or "absent" in document):
        raise AuthoringError(f"L'appel de la réunion du {day} est déjà enregistré ({rel}) : modifiez le fichier "
                             "s'il faut le corriger.")
    if duration_minutes is None and "duration_minutes" not in document:
        raise AuthoringError(f"{rel} n'a pas de durée : précisez --duration (minutes).")
    registry = build_registry(root, as_of, use_cache=False)  # roll-call writes one file and nothing else
    found = registry.groups.get((region, group))
    if found is None:
        raise AuthoringError(f"Groupe « {group} » introuvable dans la région « {region} » "
                             f"({path_of('group', region, group)} absent ou invalide : lancez gqrec check).")
    active = sorted(found.active_members(day))
    animator = document.get("animator")
    allowed = set(active) | ({str(animator)} if present and animator else set())
    strangers = [rpps for rpps in absent + present if rpps not in allowed]
    if strangers:
        def named(rpps):
            physician = registry.physician(region, rpps)
            return f"{rpps} ({physician.name})" if physician else rpps
        raise AuthoringError(
            f"{', '.join(strangers)} : pas membre actif du groupe « {group} » le {day}. Membres actifs ce jour-là : "
            f"{', '.join(map(named, active)) or 'aucun'}. Rien n'a été écrit.")
    if present:
        absent = [rpps for rpps in active if rpps not in present]
    else:
        present = [rpps for rpps in active if rpps not in absent]

    def change(doc):
        doc["status"] = HELD
        if duration_minutes is not None:
            doc["duration_minutes"] = duration_minutes
        doc["present"] = CommentedSeq(present)
        doc["absent"] = CommentedSeq(absent)
        for key in ("present", "absent"):
            for index, rpps in enumerate(doc[key]):
                physician = registry.physician(region, rpps)
                if physician is not None:
                    doc[key].yaml_add_eol_comment(f"# {physician.name}", index, column=20)

    change(document)
    write_atomic(root / rel, text_of("meeting", document))

    def people(rppss):
        return tuple((rpps, p.name if (p := registry.physician(region, rpps)) else None) for rpps in rppss)
    return Marked(root / rel, people(present), people(absent))
