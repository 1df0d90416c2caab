"""The national library shipped with gqrec: the themes (with their dossiers) and the indicators that the
sample records use, so that a repository made by `gqrec init` can validate a programme on its first day.

The files live in the package (`gqrec/library/`); the sample records' `themes/` and `indicators/` are the
same files (a test keeps them equal); `gqrec init` writes them into a new repository, with a commented
federation.yaml (`embedded_library`), unless it pulls them from a national repository (`pull`).
"""

from __future__ import annotations

from pathlib import Path

from ruamel.yaml.comments import CommentedMap

from ..charter import DEFAULTS
from ..layout import folder_of, path_of
from .skeletons import build, render
from .yamlio import append_lines

CHARTER_COMMENTS = {
    "group_size": "membres actifs d'un groupe à chaque réunion, bornes comprises (GQ101)",
    "meetings_per_year": "réunions par année civile entière d'activité, une par mois environ (GQ102)",
    "meeting_minutes_min": "durée minimale d'une réunion en minutes ; environ 2 heures prévues (GQ111)",
    "territory_coverage_min": "part des généralistes du territoire membres du groupe : la majorité (GQ105)",
    "feedback_period": "retour d'information : semester (semestriel) ou trimester (trimestriel) (GQ113)",
    "feedback_min_members": "membres minimum d'un groupe pour son profil de prescription",
    "animator_max_groups": "groupes qu'un même animateur peut animer en même temps (GQ114)",
    "attestation_min_meetings": "réunions suivies ou animées dans l'année pour l'attestation EPP/DPC",
}
CHARTER_HINTS = "".join(
    f"{line:<36}# {comment}\n" for line, comment in [
        ("  # minutes_within_days: 90", "délai en jours pour enregistrer le compte rendu d'une réunion (GQ116)"),
        ("  # indemnity_participant: 95.50", "euros par réunion suivie, pour gqrec ledger (sans : comptes seuls)"),
        ("  # indemnity_animator: 190.00", "euros par réunion animée, pour gqrec ledger"),
        ("  # rules: {GQ111: warning}", "gravité d'une règle : error, warning ou off"),
    ]
)

LIBRARY = Path(__file__).resolve().parent.parent / "library"
KINDS = ("theme", "indicator")  # laid out in the package as under a records root


def library_files() -> dict[str, str]:
    """Path under a records root -> text, for every theme and indicator of the national library."""
    return {
        path_of(kind, id=path.stem): path.read_text(encoding="utf-8")
        for kind in KINDS for path in sorted((LIBRARY / folder_of(kind)).glob("*.yaml"))
    }


def embedded_library() -> dict[str, str]:
    """Path under a records root -> text, for the national files `gqrec init` writes without a national
    repository to pull from: a commented federation.yaml with the default charter, and the library."""
    return {path_of("federation"): federation_text(), **library_files()}


def federation_text() -> str:
    """The federation.yaml of a new repository: the default charter, each key commented."""
    charter = {key: value for key, value in DEFAULTS.items() if value is not None}
    group_size = CommentedMap(charter["group_size"])
    group_size.fa.set_flow_style()
    charter["group_size"] = group_size
    document = build("federation", {"name": "Fédération des Groupes Qualité", "charter": charter})
    for key, comment in CHARTER_COMMENTS.items():
        document["charter"].yaml_add_eol_comment(f"# {comment}", key, column=36)
    append_lines(document["charter"], list(document["charter"])[-1], CHARTER_HINTS)
    heading = ("Fédération nationale : les valeurs du cahier des charges appliquées dans toutes les régions.\n"
               f"Une région peut en remplacer certaines dans la clé « charter » de son {path_of('region', '*').rpartition('/')[2]}.")
    return render("federation", document, heading)
