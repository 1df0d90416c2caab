"""Commands of gqrec: report, the annual bilan (REPORTS.md)."""

from __future__ import annotations

from pathlib import Path

import click

from ..report import FORMATS
from .options import (as_of_option, csv_dialect_option, echo_outcome, feedback_key, format_option, key_file_option,
                      records_root)


@click.command()
@click.argument("sources", nargs=-1, metavar="[RACINE | PAQUET.json…]", type=click.Path(path_type=Path))
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
@click.option("--from-bundles", "from_bundles", is_flag=True,
              help="Bilan national à partir des paquets des régions (gqrec bundle) donnés en arguments, sans "
              "registres.")
@click.option("--allowed-signers", type=click.Path(dir_okay=False, path_type=Path), metavar="FICHIER",
              help="Avec --from-bundles : exige de chaque paquet une signature (PAQUET.json.sig) d'une clé de ce "
              "fichier de signataires autorisés (format de ssh-keygen).")
def report(sources, year, region, fmt, out, pdf, lang, as_of, at_rev, key_file, csv_dialect, from_bundles,
           allowed_signers):
    """Bilan annuel des Groupes Qualité de RACINE (par défaut : les registres du dossier courant) : par groupe,
    par région et au total ; avec --from-bundles, le bilan national des paquets régionaux PAQUET.json….

    Le même état des registres donne toujours les mêmes octets (aucun horodatage).
    """
    from ..report.produce import Request, produce

    echo_outcome(produce(Request(
        (root := _root(sources, key_file, from_bundles)), year, region, fmt, out, lang, as_of, at_rev,
        None if root is None else feedback_key(key_file, root, "publier un bilan"), csv_dialect, pdf,
        bundles=tuple(sources) if from_bundles else None, allowed_signers=allowed_signers)))


def _root(sources, key_file, from_bundles):
    """The records root of the arguments; none for a bilan made from bundles (nor a key to open them)."""
    if from_bundles:
        if key_file is not None:
            raise click.UsageError("--key-file ne s'emploie pas avec --from-bundles : les paquets sont déjà faits.")
        return None
    if len(sources) > 1:
        raise click.UsageError("une seule RACINE de registres (des paquets ? ajoutez --from-bundles).")
    return records_root(str(sources[0]) if sources else None)


COMMANDS = [report]
