"""Commands of gqrec: impact, the effect of the themes (REPORTS.md)."""

from __future__ import annotations

from pathlib import Path

import click

from ..impact import FORMATS
from .options import (as_of_option, csv_dialect_option, echo_outcome, feedback_key, format_option, key_file_option,
                      records_root, root_argument)


@click.command()
@root_argument
@click.option("--year", type=click.IntRange(1900, 9999), required=True, metavar="AAAA",
              help="Année des réunions thématiques dont on mesure l'effet.")
@click.option("--region", metavar="RÉGION", help="Une seule région (par défaut toutes).")
@format_option(FORMATS)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Dossier où écrire impact-AAAA[-région].<format> ; sans --out, le document s'affiche.")
@click.option("--pdf", is_flag=True, help="Écrit aussi la page HTML en PDF (WeasyPrint ; demande --out).")
@click.option("--lang", type=click.Choice(["fr", "en"]), default="fr", show_default=True, help="Langue du document.")
@as_of_option
@key_file_option
@csv_dialect_option
def impact(root, year, region, fmt, out, pdf, lang, as_of, key_file, csv_dialect):
    """Effet des thèmes de l'année : l'évolution des indicateurs des participants après chaque réunion
    thématique, comparée à celle du groupe témoin (différence de différences, intervalle de confiance à
    95 %), par région, thème, indicateur et groupe. Agrégats seulement ; lit les retours chiffrés (clé).
    """
    from ..impact.produce import Request, produce

    root_path = records_root(root)
    echo_outcome(produce(Request(root_path, year, region, fmt, out, lang, as_of, pdf, feedback_key(key_file, root_path, "publier l'effet des thèmes"),
                                 csv_dialect)))


COMMANDS = [impact]
