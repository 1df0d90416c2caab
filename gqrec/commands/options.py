"""Options shared by the commands: the records root (found as git finds `.git`), the as-of date and the
feedback key (loaded here, for every command, then passed explicitly to the library)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from ..member_codes import key_file_notice, load_key
from ..roots import RootNotFound, Target, target_of
from ..sample import refuse_demo_key


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
    """What every product's command says (`gqrec.product.Outcome`): notices on stderr, the document,
    the files written, the closing line; then it exits with the outcome's status."""
    for notice in outcome.notices:
        click.echo(f"Attention : {notice}", err=True)
    if outcome.document is not None:
        click.echo(outcome.document, nl=False)
    for path in outcome.written:
        click.echo(f"{outcome.written_as}{path}")
    if outcome.closing:
        click.echo(outcome.closing, err=not outcome.closing_on_stdout, nl=False)
    if outcome.status:
        click.get_current_context().exit(outcome.status)


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


root_argument = click.argument("root", metavar="RACINE", required=False, type=click.Path(file_okay=False))
as_of_option = click.option(
    "--as-of", callback=parse_as_of, metavar="AAAA-MM-JJ",
    help="Date de référence (par défaut aujourd'hui) : seule une réunion tenue datée au plus tard de ce jour "
    "compte ; une année ou une période n'est jugée qu'une fois terminée avant lui.",
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


def feedback_key(key_file: Path | None, root: Path, sealing_for: str | None = None) -> bytes | None:
    """The one place every command takes its feedback key: --key-file, else GQREC_FEEDBACK_KEY, else None
    (no key), refused where it could be committed (`member_codes.load_key`). The command puts it in the
    product's request; the library passes it on (the `Pipeline`) and never looks for one itself. A key
    file others may read is used, with a warning on standard error. A command that seals, codes or
    publishes with the key says what (`sealing_for`, French): the public demo key is then refused on
    records that are not invented (`sample.refuse_demo_key`)."""
    key = load_key(key_file, root)
    notice = key_file_notice(key_file)
    if notice:
        click.echo(f"Attention : {notice}", err=True)
    if sealing_for is not None:
        refuse_demo_key(key, root, sealing_for)
    return key


key_file_option = click.option(
    "--key-file", type=click.Path(path_type=Path, dir_okay=False), metavar="FICHIER",
    help="Fichier de la clé des retours d'information, hors du dépôt des registres (sinon la variable "
    "GQREC_FEEDBACK_KEY) : elle ouvre les fichiers de retour chiffrés.",
)


def csv_dialect_option(command):
    """`--csv-dialect`: the French spreadsheet's CSV (the default) or the programs' (`document.spreadsheet`)."""
    from ..document.spreadsheet import DIALECTS, HELP

    return click.option("--csv-dialect", type=click.Choice(tuple(DIALECTS)), default="fr", show_default=True,
                        help=HELP)(command)


def progress(items, length: int, label: str):
    """Click's progress bar on standard error for long work, silent when standard error is no terminal."""
    if not sys.stderr.isatty():
        yield from items
        return
    with click.progressbar(items, length=length, label=label, file=sys.stderr) as bar:
        yield from bar
