"""Commands of gqrec: ledger, attestation, sheet — valorisation (REPORTS.md, docs/ledger.md)."""

from __future__ import annotations

from pathlib import Path

import click

from ..layout import folder_of
from ..ledger import FORMATS
from .options import (as_of_option, csv_dialect_option, echo_outcome, feedback_key, format_option, key_file_option, parse_day,
                      progress, records_root, root_argument)

year_option = click.option("--year", type=click.IntRange(1900, 9999), required=True, metavar="AAAA",
                           help="Année civile.")
region_option = click.option("--region", metavar="RÉGION", help="Une seule région (par défaut toutes).")


@click.command()
@root_argument
@year_option
@region_option
@format_option(FORMATS)
@click.option("--out", type=click.Path(path_type=Path), metavar="DOSSIER",
              help="Dossier où écrire valorisation-AAAA[-région].<format> (jamais sous reports/ ni dans les registres).")
@click.option("--pdf", is_flag=True, help="Écrit aussi le registre en PDF (WeasyPrint, sans navigateur ; demande --out).")
@key_file_option
@csv_dialect_option
@as_of_option
def ledger(root, year, region, fmt, out, pdf, key_file, csv_dialect, as_of):
    """Registre des présences et indemnités d'une année : par médecin, par groupe et par région.

    Document nominatif (noms, RPPS, montants), pour le trésorier : gqrec refuse de l'écrire sous reports/
    ou dans les registres. Code de sortie : 0 registre produit, 1 aucune réunion dans l'année, 2 usage
    incorrect ou refus.
    """
    from ..ledger.produce import Request, produce

    echo_outcome(produce(Request(records_root(root), year, region, fmt, out, feedback_key(key_file, records_root(root)),
                                 csv_dialect, as_of, pdf)))


@click.command()
@root_argument
@year_option
@click.option("--physician", metavar="RPPS", help="L'attestation d'un médecin.")
@click.option("--all", "everyone", is_flag=True, help="Les attestations de tous les médecins qui atteignent le seuil.")
@region_option
@click.option("--out", type=click.Path(path_type=Path), metavar="DOSSIER", required=True,
              help="Dossier des attestations (jamais sous reports/ ni dans les registres).")
@click.option("--issued", callback=parse_day, metavar="AAAA-MM-JJ", help="Date portée sur l'attestation (par défaut aujourd'hui).")
@click.option("--pdf", is_flag=True, help="Écrit aussi chaque attestation en PDF (WeasyPrint, sans navigateur).")
@key_file_option
@click.option("--verbose", is_flag=True, help="Nomme chaque médecin sans attestation avec le motif (sinon leur nombre "
              "seulement, au-delà de quelques-uns).")
@as_of_option
def attestation(root, year, physician, everyone, region, out, issued, pdf, key_file, verbose, as_of):
    """Attestations de participation EPP/DPC d'une année, une page imprimable par médecin.

    Un médecin qui n'atteint pas attestation_min_meetings réunions (présences et animations, 5 par
    défaut) n'en reçoit pas, et le motif est affiché. Code de sortie : 0 attestations écrites, 1 aucune
    réunion ou médecin sous le seuil (--physician), 2 usage incorrect, RPPS inconnu ou refus.
    """
    from ..ledger.attestation_produce import Request, produce

    echo_outcome(produce(Request(records_root(root), year, out, physician, everyone, region, issued, pdf,
                                 feedback_key(key_file, records_root(root)), verbose, progress, as_of)))


@click.command()
@root_argument
@click.option("--region", metavar="RÉGION", required=True, help="Région du groupe.")
@click.option("--group", metavar="GROUPE", required=True, help="Groupe.")
@click.option("--date", "day", callback=parse_day, metavar="AAAA-MM-JJ", required=True, help="Date de la réunion.")
@click.option("--theme", metavar="THÈME", help=f"Thème de la réunion (identifiant de {folder_of('theme')}/).")
@click.option("--out", type=click.Path(path_type=Path), metavar="DOSSIER",
              help="Dossier où écrire emargement-<région>-<groupe>-<date>.html ; sans --out, la page s'affiche.")
@click.option("--pdf", is_flag=True, help="Écrit aussi la feuille en PDF (WeasyPrint, sans navigateur ; demande --out).")
@key_file_option
@as_of_option
def sheet(root, region, group, day, theme, out, pdf, key_file, as_of):
    """Feuille d'émargement d'une réunion à venir : le groupe, la date, l'heure et le lieu (ceux de la
    réunion prévue, s'il y en a une), le thème, l'animateur et chaque membre actif ce jour-là, avec une
    colonne pour signer et deux lignes libres (page HTML imprimable, PDF avec --pdf)."""
    from ..ledger.sheet_produce import Request, produce

    echo_outcome(produce(Request(records_root(root), region, group, day, theme, out,
                                 feedback_key(key_file, records_root(root)), as_of, pdf)))


COMMANDS = [ledger, attestation, sheet]
