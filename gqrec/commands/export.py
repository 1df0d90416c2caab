"""Commands of gqrec: export, the records as SQL tables or CSV files for analysts (docs/export.md)."""

from __future__ import annotations

from pathlib import Path

import click

from ..export import FORMATS
from .options import (as_of_option, csv_dialect_option, echo_outcome, feedback_key, format_option, key_file_option,
                      records_root, root_argument)


@click.command()
@root_argument
@format_option(FORMATS)
@click.option("--out", type=click.Path(path_type=Path), required=True, metavar="CHEMIN",
              help="La base à écrire (sqlite) ou le dossier des tables (csv), hors du dépôt des registres.")
@click.option("--year", type=click.IntRange(1900, 9999), metavar="AAAA",
              help="Seulement les registres datés de l'année (réunions, appels, programmes, contrats, retours).")
@click.option("--region", metavar="RÉGION", help="Seulement une région (la bibliothèque nationale reste entière).")
@click.option("--at", "at_rev", metavar="RÉV",
              help="Les registres tels qu'ils étaient à la révision git RÉV (lus par git, sans extraction).")
@click.option("--pseudonymise", is_flag=True,
              help="Remplace chaque RPPS par son code sous la clé des retours (--key-file ou GQREC_FEEDBACK_KEY) "
              "et retire les noms.")
@key_file_option
@click.option("--no-cache", is_flag=True, help="Relit tous les fichiers sans utiliser ni écrire le cache.")
@as_of_option
@csv_dialect_option
def export(root, fmt, out, year, region, at_rev, pseudonymise, key_file, no_cache, as_of, csv_dialect):
    """Exporte les registres de RACINE (par défaut : les registres du dossier courant) en tables pour l'analyse :
    SQLite ou CSV.

    Toutes les tables de docs/export.md, avec clés primaires et étrangères, et les constats du check
    (table findings). L'écriture est atomique : la cible n'est remplacée qu'une fois l'export complet.

    Code de sortie : 0 export écrit (même si les registres ont des erreurs : voir la table findings),
    2 usage incorrect ou refus (cible dans les registres, pas de clé pour --pseudonymise, écriture impossible).
    """
    from ..export.produce import Request, produce

    echo_outcome(produce(Request(records_root(root), fmt, out, year, region, at_rev, pseudonymise,
                                 feedback_key(key_file, records_root(root),
                                              "pseudonymiser l'export" if pseudonymise else None), as_of,
                                 use_cache=not no_cache, csv_dialect=csv_dialect)))


COMMANDS = [export]
