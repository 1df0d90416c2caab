"""`gqrec import physicians|members FILE`: the association's spreadsheet into records (`authoring.importing`)."""

from __future__ import annotations

from pathlib import Path

import click

from .authoring import root_option
from .members import REGION_HELP, _region
from .options import parse_day, records_root

FILE = click.argument("source", metavar="FICHIER", type=click.Path(exists=True, dir_okay=False, path_type=Path))
SKIP = click.option("--skip-invalid", is_flag=True,
                    help="Importe les lignes valides même si d'autres sont refusées (sinon rien n'est écrit).")


@click.group("import", subcommand_metavar="physicians|members FICHIER [OPTIONS]...")
def import_group():
    """Importe le tableur de l'association (.csv séparé par ; ou par virgules, UTF-8 ou Windows-1252, ou .xlsx).

    Chaque ligne est vérifiée (RPPS et sa clé, territoire, groupe…) ; les lignes refusées sont listées avec
    leur numéro et la raison, et rien n'est écrit sauf --skip-invalid. Relancer le même import ne change rien.
    """


def _run(root, what: str, source: Path, region, **options) -> None:
    from ..authoring.importing import import_rows

    folder = records_root(root)
    done = import_rows(folder, what, source, region=_region(folder, region), **options)
    for line in done.lines():
        click.echo(line)
    for note in done.notes:
        click.echo(f"attention : {note}", err=True)
    if done.status:
        click.get_current_context().exit(done.status)


@import_group.command()
@FILE
@root_option
@click.option("--region", help=REGION_HELP)
@click.option("--territory", metavar="TERRITOIRE",
              help="Territoire des médecins dont la ligne n'en donne pas (colonne « Territoire »).")
@SKIP
def physicians(source, root, region, territory, skip_invalid):
    """Une fiche de médecin par ligne (colonnes RPPS, Nom, Prénom ou Nom complet, Territoire ; Spécialité,
    Formation animateur facultatives), écrite comme gqrec new physician ; une fiche existante est laissée."""
    _run(root, "physicians", source, region, territory=territory, skip_invalid=skip_invalid)


@import_group.command()
@FILE
@root_option
@click.option("--region", help=REGION_HELP)
@click.option("--group", metavar="GROUPE", help="Groupe des membres dont la ligne n'en donne pas (colonne « Groupe »).")
@click.option("--since", callback=parse_day, metavar="AAAA-MM-JJ",
              help="Date d'arrivée des lignes qui n'en donnent pas (colonne « Depuis ») ; par défaut la date de "
              "constitution du groupe.")
@SKIP
def members(source, root, region, group, since, skip_invalid):
    """Une entrée de membre par ligne (colonnes RPPS ; Groupe, Depuis facultatives) dans le group.yaml du
    groupe, comme gqrec member join ; un membre déjà actif est laissé."""
    _run(root, "members", source, region, group=group, since=since, skip_invalid=skip_invalid)


COMMANDS = [import_group]
