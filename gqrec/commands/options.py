"""Options shared by the commands: the records root (found as git finds `.git`), the as-of date and the
feedback key."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Iterator

import click

from ..roots import RECORDS_FOLDER, RootNotFound, Target, target_of

DEFAULT_ROOT = RECORDS_FOLDER


def parse_day(ctx, param, value: str | None) -> date | None:
    """A date option's value (AAAA-MM-JJ), None when not given."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"date AAAA-MM-JJ attendue, reçu « {value} »") from None


def parse_as_of(ctx, param, value: str | None) -> date:
    return parse_day(ctx, param, value) or date.today()


def echo_outcome(outcome) -> None:
    """What a command that writes documents says: notices on stderr, the document or the files written."""
    for notice in outcome.notices:
        click.echo(f"Attention : {notice}", err=True)
    if outcome.document is not None:
        click.echo(outcome.document, nl=False)
    for path in outcome.written:
        click.echo(f"Écrit : {path}")


def records_root(value: str | None) -> Path:
    """The records root of ROOT or --root (a root, the folder holding it in records/, or a folder inside
    it), or of the current folder when none is given; a usage error when there is none."""
    return records_target([value] if value else []).root


def records_target(paths) -> Target:
    """The records root of the paths given (files or folders), and those paths when they are inside it."""
    try:
        return target_of([Path(p) for p in paths])
    except RootNotFound as error:
        raise click.UsageError(str(error)) from None


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
