"""`gqrec library`: the national library (federation.yaml, themes/, indicators/): `pull` writes it from the
national repository, `list` shows its themes."""

from __future__ import annotations

import click

from ..authoring.catalogue import FORMATS
from .authoring import root_option
from .options import format_option, records_root


@click.group(subcommand_metavar="COMMANDE [ARGUMENTS]...")
def library():
    """La bibliothèque nationale (federation.yaml, themes/, indicators/) : tirée du dépôt national, listée."""


@library.command("pull")
@click.argument("source", metavar="SOURCE")
@click.option("--rev", metavar="RÉV", help="Branche, étiquette ou commit du dépôt national (par défaut : son HEAD).")
@click.option("--force", is_flag=True,
              help="Remplace (ou retire) aussi les fichiers de la bibliothèque modifiés sur place depuis le dernier tirage.")
@root_option
def library_pull(source, rev, force, root):
    """Écrit la bibliothèque nationale du dépôt SOURCE (adresse git, ou chemin d'un dépôt ou de ses registres)
    dans les registres, avec library.lock (dépôt, commit, empreinte de chaque fichier).

    Dit ce qui a changé, thème par thème. Ne remplace jamais une modification locale sans --force (code 2) ;
    garde un thème retiré que le programme ou une réunion de la région utilise encore. Tirer le même commit
    une seconde fois ne change rien.
    """
    from ..authoring.pull import pull

    for line in pull(records_root(root), source, rev, force=force).lines():
        click.echo(line)


@library.command("list")
@root_option
@click.option("--year", type=click.IntRange(1900, 9999), metavar="AAAA",
              help="Année des programmes régionaux montrés (par défaut l'année en cours).")
@format_option(FORMATS)
def library_list(root, year, fmt):
    """Les thèmes nationaux avec leur titre, leurs indicateurs et les régions dont le programme de l'année
    les retient : les identifiants à donner à --theme."""
    from ..authoring.catalogue import catalogue

    click.echo(FORMATS[fmt].render(catalogue(records_root(root), year)), nl=False)


COMMANDS = [library]
