"""Commands of gqrec: feedback, the prescription profiles (retour d'information), and seal / unseal, the
feedback files encrypted in the repository; see docs/feedback.md."""

from __future__ import annotations

from pathlib import Path

import click

from ..feedback import FORMATS
from ..layout import path_of
from ..roots import RECORDS_FOLDER
from .options import (as_of_option, csv_dialect_option, echo_outcome, feedback_key, format_option, key_file_option,
                      progress, records_root, root_argument)


@click.command()
@root_argument
@click.option("--period", required=True, metavar="AAAA-S1|AAAA-T1",
              help="Période du retour : AAAA-S1, AAAA-S2 (semestre) ou AAAA-T1 à AAAA-T4 (trimestre).")
@click.option("--region", metavar="RÉGION", help="Région (par défaut : celle qui contient le groupe ou le médecin, "
              "ou toutes les régions ayant des données pour la période).")
@click.option("--group", metavar="GROUPE", help="Profil d'un groupe, ses membres sous code.")
@click.option("--physician", metavar="RPPS", help="Profil individuel d'un médecin (jamais sous reports/).")
@format_option(FORMATS)
@click.option("--out", type=click.Path(path_type=Path), metavar="DOSSIER",
              help="Écrit un fichier par profil dans DOSSIER au lieu de la sortie standard.")
@click.option("--lang", type=click.Choice(["fr", "en"]), default="fr", show_default=True)
@click.option("--attention", "--seulement-a-surveiller", "attention", is_flag=True,
              help="Seulement les indicateurs à surveiller : taux du groupe (ou du médecin) moins bon que celui des "
              "groupes de la région (ou, pour un médecin, de son groupe).")
@click.option("--pdf", is_flag=True, help="Écrit aussi chaque profil en PDF, A4 (WeasyPrint ; demande --out).")
@key_file_option
@csv_dialect_option
@as_of_option
def feedback(root, period, region, group, physician, fmt, out, lang, attention, pdf, key_file, csv_dialect, as_of):
    """Profils de prescription d'une période : médecin, groupe, groupes de la région et groupe témoin.

    Un profil de groupe montre ses membres sous des codes tirés d'une clé secrète (GQREC_FEEDBACK_KEY ou
    --key-file) ; un taux sur moins de 10 patients est affiché « effectif insuffisant ».

    Code de sortie : 0 profils produits, 1 pas de données pour la période (ou groupe, médecin sans
    membre actif), 2 usage incorrect ou refus (profil individuel sous reports/, pas de clé, clé dans le dépôt).
    """
    from ..feedback.produce import Request, produce

    echo_outcome(produce(Request(records_root(root), period, region, group, physician, fmt, out, lang,
                                 feedback_key(key_file, records_root(root), "coder les membres des profils"),
                                 csv_dialect, as_of, attention, pdf, progress)))


@click.command()
@click.argument("files", metavar="FICHIERS", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--to", type=click.Path(dir_okay=False, path_type=Path), metavar="FICHIER",
              help="Chiffre l'unique FICHIER donné (un export reçu, hors du dépôt) vers cette place des registres, "
              f"par ex. {RECORDS_FOLDER}/{path_of('feedback', 'bretagne', '2025-S1')}.")
@key_file_option
def seal(files, to, key_file):
    """Chiffre des fichiers de retour d'information (lignes individuelles) avec la clé des retours.

    Sans --to, chaque FICHIER est chiffré sur place (un fichier déjà chiffré avec cette clé ne change
    pas). Seuls des fichiers chiffrés doivent être commités : `gqrec check` signale GQ121 sinon.
    """
    from ..feedback.sealed import records_of, seal_file

    if to is not None and len(files) != 1:
        raise click.UsageError("--to demande un seul fichier source.")
    for path in files:
        done = seal_file(path, feedback_key(key_file, records_of(to or path), "chiffrer des retours"), to)
        click.echo(f"{'Chiffré' if done.changed else 'Déjà chiffré'} : {done.path}")


@click.command()
@click.argument("file", metavar="FICHIER", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), metavar="FICHIER",
              help="Écrit les lignes en clair dans FICHIER, hors du dépôt (sinon sur la sortie standard).")
@key_file_option
def unseal(file, out, key_file):
    """Affiche en clair un fichier de retour chiffré (pour corriger une ligne : hors du dépôt, puis gqrec seal --to)."""
    from ..feedback.sealed import records_of, unseal_into

    text = unseal_into(file, feedback_key(key_file, records_of(file)), out)
    if out is None:
        click.echo(text, nl=False)
        return
    click.echo(f"Écrit : {out}")


@click.command()
@root_argument
@click.option("--from", "old", type=click.Path(path_type=Path, dir_okay=False), metavar="FICHIER", required=True,
              help="Fichier de l'ancienne clé (hors du dépôt).")
@click.option("--to", "new", type=click.Path(path_type=Path, dir_okay=False), metavar="FICHIER", required=True,
              help="Fichier de la nouvelle clé (hors du dépôt).")
def rekey(root, old, new):
    """Rechiffre tous les fichiers de retour des registres sous une nouvelle clé, tout ou rien.

    Chaque fichier est ouvert avec l'ancienne clé (en mémoire, aucune copie en clair sur le disque), puis
    tous sont rechiffrés avec la nouvelle et remplacés ensemble. Les codes des membres changent avec la
    clé : voir docs/feedback.md, « Changer de clé ». Code de sortie : 0 rechiffré, 2 refus (clé absente,
    identique, ou qui n'ouvre pas un fichier : rien n'est écrit).
    """
    from ..feedback.sealed import rekey as rekey_files

    root_path = records_root(root)
    done = rekey_files(root_path, feedback_key(old, root_path), feedback_key(new, root_path, "rechiffrer les retours"))
    click.echo(f"Rechiffrés sous la nouvelle clé : {len(done)} fichiers de retour. Les codes des membres ont "
               "changé : donnez à chaque médecin son nouveau code (docs/feedback.md), puis commitez.")


COMMANDS = [feedback, seal, unseal, rekey]
