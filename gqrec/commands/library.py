"""`gqrec library`: the national library (federation.yaml, themes/, indicators/). `list` shows its themes."""

from __future__ import annotations

from datetime import date

import click

from .authoring import root_option
from .options import records_root


@click.group(subcommand_metavar="COMMANDE [ARGUMENTS]...")
def library():
    """La bibliothèque nationale : fédération et charte, thèmes, indicateurs."""


@library.command("list")
@root_option
@click.option("--year", type=click.IntRange(1900, 9999), metavar="AAAA",
              help="Année des programmes régionaux montrés (par défaut l'année en cours).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def library_list(root, year, fmt):
    """Les thèmes nationaux avec leur titre, leurs indicateurs et les régions dont le programme de l'année
    les retient : les identifiants à donner à --theme."""
    from ..authoring.catalogue import render, themes

    year = year or date.today().year
    click.echo(render(themes(records_root(root), year), year, fmt), nl=False)


COMMANDS = [library]
