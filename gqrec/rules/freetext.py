"""Free-text rules: the notes, actions and idées forces of a meeting are read by the COPIL and committed
to git; they must never hold what identifies a patient (GQ124)."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from ..findings import ERROR
from ..ids import patient_identifiers
from ..records import Partial
from . import Hit, hit, rule
from .examples import Example, Set

FREE_TEXT = ("notes", "actions", "highlights", "reason", "evidence")  # a meeting's fields of free text
WHAT = {"nir": "un numéro de sécurité sociale (NIR)", "birth": "une date de naissance"}


def texts(meeting) -> Iterator[tuple[tuple, str]]:
    """(path in the file, text) of each free text of a meeting (an action's text included): a valid
    `Meeting`'s, or the valid fields of a meeting file that fails its schema (`records.Partial`), which
    must not keep a patient's identifier out of sight because another field is wrong."""
    for name in FREE_TEXT:
        if isinstance(meeting, Partial):
            value = meeting.fields.get(name) if meeting.known(name) else None
        else:
            value = getattr(meeting, name, None)
        if isinstance(value, str):
            yield (name,), value
        elif isinstance(value, (tuple, list)):
            for index, item in enumerate(value):
                text = item.get("text") if isinstance(item, dict) else getattr(item, "text", item)
                if isinstance(text, str):
                    yield ((name, index) if text is item else (name, index, "text")), text


def _at(root: Path, meeting, path: tuple, text: str, start: int) -> tuple[int, int] | None:
    """Line and column of the identifier's first character, found in the file from its value's position
    (a hit is rare: the file is read then, as its positions are); None when the text is not written as
    read (a folded block, escapes): the value's position is given then."""
    line, column = meeting.src.at(*path)
    try:
        lines = (root / meeting.src.path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeError):
        return None
    offset = sum(len(written) + 1 for written in lines[: line - 1]) + column - 1
    whole = "\n".join(lines)
    found = whole.find(text[start:], offset)
    if found < 0:
        prefix = text[start:].split("\n", 1)[0]
        found = whole.find(prefix, offset) if prefix else -1
    if found < 0:
        return None
    before = whole[:found]
    return before.count("\n") + 1, found - (before.rfind("\n") + 1) + 1


@rule(
    "GQ124",
    ERROR,
    "Identifiant de patient dans un texte libre",
    "Les registres ne contiennent aucune donnée de patient : ils sont versionnés dans git, lus par le COPIL et "
    "les partenaires. Un numéro de sécurité sociale (NIR, clé de contrôle valide) ou une date de naissance "
    "(après « né le », « née le » ou « DDN ») dans « notes », « actions », « highlights », « reason » ou "
    "« evidence » identifie un patient.",
    "Retirez l'identifiant du texte (parlez d'« une patiente de 70 ans », jamais de son numéro ou de sa date "
    "de naissance), puis réécrivez l'historique git si le fichier a déjà été poussé.",
    example=Example("Une date de naissance dans les notes d'une réunion.",
                    (Set("meeting", (("notes", "Cas d'une patiente née le 12/03/1956, revue en janvier."),)),),
                    fixed=(Set("meeting", (("notes", "Cas d'une patiente de 70 ans, revue le 12/03/2024."),)),)),
)
def patient_identifier(registry, conf) -> Iterator[Hit]:
    for _, meetings in sorted([*registry.meetings.items(), *registry.partial_meetings.items()], key=lambda item: item[0]):
        for meeting in meetings:
            for path, text in texts(meeting):
                for start, _, what in patient_identifiers(text):
                    message = (f"Le texte de « {path[0]} » contient {WHAT[what]} de patient : retirez-le "
                               "(aucune donnée de patient dans les registres).")
                    where = _at(Path(registry.root), meeting, path, text, start)
                    if where is None:
                        yield hit(meeting.src, path, message)
                    else:
                        yield Hit(meeting.src.path, where[0], where[1], message)
