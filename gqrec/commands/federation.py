"""Commands of gqrec: bundle, a region's aggregates for the national bilan (FEDERATION.md)."""

from __future__ import annotations

from pathlib import Path

import click

from .options import as_of_option, echo_outcome, feedback_key, key_file_option, records_root, root_argument


@click.command()
@root_argument
@click.option("--year", type=click.IntRange(1900, 9999), required=True, metavar="AAAA", help="Année civile du bilan.")
@click.option("--region", metavar="RÉGION", help="Une seule région (par défaut toutes celles du dépôt).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, metavar="FICHIER.json",
              help="Fichier du paquet à écrire (à envoyer à la fédération).")
@click.option("--sign", "sign", type=click.Path(dir_okay=False, path_type=Path), metavar="CLÉ",
              help="Clé SSH privée qui signe le paquet (ssh-keygen -Y sign) : la signature est écrite dans "
              "FICHIER.json.sig.")
@as_of_option
@key_file_option
def bundle(root, year, region, out, sign, as_of, key_file):
    """Paquet des chiffres agrégés de la région pour le bilan national : les objets région du bilan, les
    comptes qui permettent de les additionner, l'effet des thèmes, les constats par règle, la provenance
    et une empreinte SHA-256. Aucun RPPS, aucun nom de médecin, aucun chiffre individuel."""
    from ..report.federation.bundle import Request, produce

    echo_outcome(produce(Request(records_root(root), year, out, region, as_of,
                                 feedback_key(key_file, records_root(root), "publier un paquet"), sign)))


COMMANDS = [bundle]
