"""`gqrec demo`: a fictional, compliant records archive at any scale (sample records, benchmark)."""

from __future__ import annotations

from pathlib import Path

import click

from ..layout import folder_of, path_of
from .options import feedback_key, key_file_option


@click.command()
@click.argument("out", metavar="DOSSIER", type=click.Path(file_okay=False, path_type=Path))
@click.option("--regions", type=click.IntRange(min=1), default=2, show_default=True)
@click.option("--groups", type=click.IntRange(min=1), default=6, show_default=True, help="Nombre total de groupes.")
@click.option("--years", type=click.IntRange(min=1), default=2, show_default=True)
@click.option("--first-year", type=int, default=2024, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True, help="Même graine, mêmes fichiers à l'octet près.")
@click.option("--library", type=click.Path(file_okay=False, path_type=Path),
              help=f"Registres dont copier {path_of('federation')}, {folder_of('theme')}/ et {folder_of('indicator')}/ "
              "(par défaut ceux de gqrec).")
@click.option("--faults", type=click.IntRange(min=0), default=0, show_default=True,
              help="Nombre de fautes connues à semer (listées à la fin).")
@key_file_option
def demo(out, regions, groups, years, first_year, seed, library, faults, key_file):
    """Génère dans DOSSIER une archive fictive et conforme de registres Groupes Qualité.

    Les retours d'information y sont chiffrés avec la clé donnée (GQREC_FEEDBACK_KEY ou --key-file),
    sinon avec la clé de démonstration, publique : « gqrec-demo-cle-publique-donnees-inventees ».
    """
    from ..demo import generate

    summary = generate(out, regions=regions, groups=groups, years=years, first_year=first_year,
                       seed=seed, library=library, faults=faults, key=feedback_key(key_file, out))
    for line in summary.lines():
        click.echo(line)


COMMANDS = [demo]
