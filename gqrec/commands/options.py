"""Options shared by the commands: the records root, the as-of date and the feedback key."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Iterator

import click

DEFAULT_ROOT = "records"


def parse_as_of(ctx, param, value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"date AAAA-MM-JJ attendue, reçu « {value} »") from None


def records_root(value: str | None) -> Path:
    """The records root given (default `records/`), which must be a folder: a usage error otherwise."""
    root = Path(value or DEFAULT_ROOT)
    if not root.is_dir():
        raise click.UsageError(f"Dossier de registres introuvable : {root}")
    return root


root_argument = click.argument("root", required=False, type=click.Path(file_okay=False))
as_of_option = click.option(
    "--as-of", callback=parse_as_of, metavar="AAAA-MM-JJ",
    help="Date de référence : une année ou une période n'est jugée qu'une fois terminée avant cette date "
    "(par défaut aujourd'hui).",
)
key_file_option = click.option(
    "--key-file", type=click.Path(path_type=Path, dir_okay=False), metavar="FICHIER",
    help="Fichier de la clé des retours d'information, hors du dépôt des registres (sinon la variable "
    "GQREC_FEEDBACK_KEY) : elle ouvre les fichiers de retour chiffrés.",
)


@contextmanager
def feedback_key(key_file: Path | None, root: Path) -> Iterator[bytes | None]:
    """The feedback key of the command (refused with exit 2 where it could be committed), in force for
    reading the sealed feedback files within the block."""
    from ..feedback.codes import KeyRefusal, load_key
    from ..sealing import using

    try:
        key = load_key(key_file, root)
    except KeyRefusal as refusal:
        raise click.UsageError(str(refusal)) from None
    with using(key):
        yield key
