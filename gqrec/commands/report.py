"""Commands of gqrec: report, the annual bilan (REPORTS.md)."""

from __future__ import annotations

from pathlib import Path

import click

from ..report import FORMATS
from .options import (as_of_option, csv_dialect_option, echo_outcome, feedback_key, format_option, key_file_option,
                      records_root, root_argument)


@click.command()
@root_argument
@click.option("--year", type=click.IntRange(1900, 9999), required=True, metavar="AAAA", help="Année civile du bilan.")
@click.option("--region", metavar="RÉGION", help="Une seule région (par défaut toutes, avec le total national).")
@format_option(FORMATS)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Dossier où écrire bilan-AAAA[-région].<format> ; sans --out, le bilan s'affiche.")
@click.option("--pdf", is_flag=True, help="Écrit aussi le bilan en PDF (WeasyPrint, sans navigateur ; demande --out).")
@click.option("--lang", type=click.Choice(["fr", "en"]), default="fr", show_default=True, help="Langue du bilan.")
@click.option("--at", "at_rev", metavar="RÉV",
              help="Bilan des registres tels qu'ils étaient à la révision git RÉV (lus par git, sans extraction).")
@as_of_option
@key_file_option
@csv_dialect_option
def report(root, year, region, fmt, out, pdf, lang, as_of, at_rev, key_file, csv_dialect):
    """Bilan annuel des Groupes Qualité de RACINE (par défaut : les registres du dossier courant) : par groupe,
    par région et au total.

    Le même état des registres donne toujours les mêmes octets (aucun horodatage).
    """
    from ..report.produce import Request, produce

    echo_outcome(produce(Request(records_root(root), year, region, fmt, out, lang, as_of, at_rev,
                                 feedback_key(key_file, records_root(root), "publier un bilan"), csv_dialect, pdf)))


COMMANDS = [report]
