"""Options shared by the commands: the records root and the as-of date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ..layout import DEFAULT_ROOT



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


class FormatChoice(click.Choice):
    """The names of a product's formats table, read when asked: a format added to it is offered."""

    def __init__(self, formats):
        self.formats = formats
        super().__init__(tuple(formats))

    @property
    def choices(self):
        return tuple(self.formats)

    @choices.setter
    def choices(self, value):  # click sets it once in __init__; the table is the truth
        pass


class _FormatOption(click.Option):
    def __init__(self, *args, formats, **kwargs):
        self.formats = formats
        super().__init__(*args, type=FormatChoice(formats), default=formats.default, show_default=True, **kwargs)

    def get_help_record(self, ctx):
        self.help = self.formats.help()
        return super().get_help_record(ctx)


def format_option(formats):
    """`--format`, its choices, default and help read from a product's formats table (`gqrec.formats`)."""
    return click.option("--format", "fmt", cls=_FormatOption, formats=formats)
