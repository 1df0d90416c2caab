"""What `gqrec new` offers for each kind of the kind table: the skeleton that writes it and the fields
the coordinator gives, declared here once; the command line makes one subcommand per entry.

A kind of `gqrec.kinds` is either authored here (an `Entry` in ENTRIES) or said not to be, with the
reason (NOT_AUTHORED); tests/test_authoring.py holds the table to that. The fields are declared in plain
terms (`Field.form`), so that the library knows nothing of Click and the command module only parses.
The skeletons are imported when a file is made, not when the help lists the kinds.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..kinds import KINDS
from ..layout import pattern_fr
from ..safe import printable


@dataclass(frozen=True)
class Field:
    """One thing the coordinator gives: its option, the skeleton's parameter it fills, and its form.

    form: "text"; "day" (AAAA-MM-JJ); "count" (a whole number from 1); "year" (AAAA); "choice" (one of
    `choices`); "rpps" (RPPS, repeatable, several in one value); "flag" (present or not).
    """

    option: str
    param: str
    help: str | None = None
    required: bool = False
    form: str = "text"
    choices: tuple[str, ...] = ()
    many: bool = False  # repeatable (a "text" field)
    metavar: str | None = None
    default: Any = None  # shown in the help


@dataclass(frozen=True)
class Entry:
    """How `gqrec new <kind>` makes a kind's file: its help (`{path}` is the layout's path of the kind),
    its fields, and the skeleton function (by name in `skeletons`) that the fields are given to."""

    summary: str
    fields: tuple[Field, ...]
    skeleton: str
    one_of: tuple[str, str] | None = None  # two fields of which exactly one must be given
    one_of_message: str = ""

    def help(self, kind: str) -> str:
        return self.summary.format(path=pattern_fr(kind))


REGION = Field("--region", "region",
               "Identifiant de la région (nom de son dossier) ; facultatif quand le dépôt n'en a qu'une.")
RPPS = Field("--rpps", "rpps", "Numéro RPPS du médecin (11 chiffres).", required=True)


def _id(example: str, what: str) -> Field:
    return Field("--id", "id", f"Identifiant {what}, par ex. {example}.", required=True)


def _people(option: str, param: str, who: str) -> Field:
    return Field(option, param, f"{who} (répétable, ou plusieurs RPPS séparés par des virgules ou des espaces).",
                 form="rpps")


# In the order `gqrec new --help` names them.
ENTRIES: dict[str, Entry] = {
    "region": Entry(
        "Région : {path} (puis la fiche du coordonnateur avec gqrec new physician).",
        (_id("bretagne", "de la région"), Field("--name", "name", required=True),
         Field("--association", "association", "Nom de l'association régionale.", required=True),
         Field("--coordinator", "coordinator", "RPPS du médecin coordonnateur.", required=True, metavar="RPPS")),
        "region"),
    "territory": Entry(
        "Territoire : {path}.",
        (REGION, _id("pays-de-morlaix", "du territoire"), Field("--name", "name", required=True),
         Field("--setting", "setting", required=True, form="choice", choices=("rural", "urban", "mixed")),
         Field("--general-practitioners", "general_practitioners", "Médecins généralistes libéraux du territoire.",
               required=True, form="count"),
         Field("--commune", "communes", "Code INSEE d'une commune (répétable).", many=True, metavar="INSEE")),
        "territory"),
    "physician": Entry(
        "Fiche d'un médecin : {path}.",
        (REGION, RPPS, Field("--name", "name", "Nom affiché, par ex. « Dr Anne Le Gall ».", required=True),
         Field("--territory", "territory", "Territoire d'exercice (identifiant).", required=True),
         Field("--specialty", "specialty", "Spécialité, si ce n'est pas la médecine générale."),
         Field("--animator-trained", "animator_trained", "Date de la formation d'animateur.", form="day")),
        "physician"),
    "group": Entry(
        "Groupe qualité : {path}.",
        (REGION, _id("lamballe", "du groupe"), Field("--name", "name", required=True),
         Field("--territory", "territory", required=True),
         Field("--constituted", "constituted", "Date de validation du groupe par l'association.", required=True,
               form="day"),
         Field("--wave", "wave", "Vague de démarrage.", form="count"),
         _people("--animator", "animators", "Animateur"), _people("--member", "members", "Membre"),
         Field("--since", "since", "Début des périodes (par défaut --constituted).", form="day")),
        "group"),
    "contract": Entry(
        "Contrat de l'année : {path} (un médecin, ou tout le groupe).",
        (REGION, Field("--rpps", "rpps", "Numéro RPPS du médecin (11 chiffres) ; ou --all-members."),
         Field("--all-members", "all_members", "Un contrat pour chaque membre et animateur du groupe dans l'année "
               "(--year), sauf ceux déjà là.", form="flag"),
         Field("--group", "group", required=True), Field("--signed", "signed", required=True, form="day"),
         Field("--year", "year", "Année du contrat (par défaut celle de --signed).", form="year"),
         Field("--role", "role", "Rôle (avec --all-members : animator pour les animateurs du groupe, participant "
               "pour les autres).", form="choice", choices=("participant", "animator"), default="participant")),
        "contracts", one_of=("rpps", "all_members"),
        one_of_message="Donnez soit --rpps (un médecin), soit --all-members (tout le groupe)."),
    "programme": Entry(
        "Programme annuel : {path}.",
        (REGION, Field("--year", "year", required=True, form="year"),
         Field("--validated", "validated", "Date de la décision du COPIL.", required=True, form="day"),
         Field("--theme", "themes", "Thème retenu (répétable).", many=True)),
        "programme"),
    "meeting": Entry(
        "Réunion prévue (status: planned), sans appel : {path} ; gqrec roll-call enregistre l'appel une fois "
        "la réunion tenue.",
        (REGION, Field("--group", "group", required=True), Field("--date", "day", required=True, form="day"),
         Field("--theme", "theme", "Thème d'une réunion thématique."),
         Field("--period", "period", "Période restituée d'une réunion de restitution, par ex. 2024-S1."),
         Field("--duration", "duration_minutes", "Durée en minutes.", form="count", default=120),
         Field("--animator", "animator", "Animateur de la séance (par défaut l'animateur actif du groupe).",
               metavar="RPPS"),
         Field("--start", "start", "Heure de début, HH:MM.", metavar="HH:MM"),
         Field("--place", "place", "Lieu de la réunion."),

         Field("--action", "actions", "Action d'amélioration décidée par le groupe (répétable).", many=True,
               metavar="TEXTE"),
         Field("--watch", "watch", "Indicateur à surveiller pour l'action de même rang (répétable).", many=True,
               metavar="INDICATEUR"),
         Field("--review", "review", "Période où revoir l'action de même rang, par ex. 2025-S2 (répétable).",
               many=True, metavar="PÉRIODE"),
         Field("--highlight", "highlights", "Idée force de la réunion pour le COPIL, anonyme (répétable).",
               many=True, metavar="TEXTE")),
        "meeting"),
    "theme": Entry(
        "Thème de la bibliothèque nationale, à rédiger : {path}.",
        (_id("asthme-adulte", "du thème"), Field("--title", "title", required=True),
         Field("--indicator", "indicators", "Indicateur de suivi (répétable).", many=True)),
        "theme"),
    "indicator": Entry(
        "Indicateur de la bibliothèque nationale : {path}.",
        (_id("asthme-corticoide-inhale", "de l'indicateur"), Field("--title", "title", required=True),
         Field("--theme", "theme", "Thème dont relève l'indicateur (identifiant).", required=True),
         Field("--numerator", "numerator", "Ce que compte le numérateur, en clair.", required=True),
         Field("--denominator", "denominator", "Ce que compte le dénominateur, en clair.", required=True),
         Field("--better", "better", "Sens de l'amélioration : lower (mieux quand il baisse) ou higher.",
               required=True, form="choice", choices=("lower", "higher")),
         Field("--source", "source", "Origine des données, par ex. SNDS.")),
        "indicator"),
}

NOT_AUTHORED: dict[str, str] = {
    "federation": "written once by `gqrec init` with the national charter; a repository has only one",
    "feedback": "a table of individual prescribing figures received from the Assurance Maladie and sealed "
                "with `gqrec seal`, never typed in by a coordinator",
    "lock": "written by `gqrec library pull` from the national repository it records, never by hand",
}


def authorable() -> list[str]:
    """The kinds of the kind table that `gqrec new` writes, in the order its help names them."""
    return [kind for kind in ENTRIES if kind in KINDS]


@dataclass(frozen=True)
class Created:
    """What `gqrec new` wrote (none when every file was already there) and its remarks for the user."""

    paths: tuple[Path, ...]
    notes: tuple[str, ...]


def create(root: Path, kind: str, **fields: Any) -> Created:
    """Write the new files of a kind under a records root from the fields given (an absent region: the
    repository's only one); existing files are never replaced."""
    from . import skeletons

    _refuse_control_characters(fields)
    if "region" in fields and fields["region"] is None:
        fields["region"] = skeletons.sole_region(root)
    drafts = getattr(skeletons, ENTRIES[kind].skeleton)(root, **fields)
    drafts = drafts if isinstance(drafts, list) else [drafts]
    paths = tuple(skeletons.write(root, draft) for draft in drafts)
    return Created(paths, tuple(dict.fromkeys(note for draft in drafts for note in draft.notes)))


def _refuse_control_characters(fields: dict[str, Any]) -> None:
    """No authored value carries a control character (ESC, CR, a bidi override…): it would go raw into
    the file's header comment and its fields, and from there into every document (GQ126)."""
    from . import AuthoringError

    for name, value in fields.items():
        for text in value if isinstance(value, (list, tuple)) else (value,):
            if isinstance(text, str) and printable(text) != text:
                option = "--" + name.replace("_", "-")
                raise AuthoringError(f"{option} « {printable(text)} » contient un caractère de contrôle : "
                                     "écrivez la valeur sans lui.")
