"""Commands of gqrec for the year as it happens: status, each group at a glance, and calendar, the meetings
as an .ics file (docs/operations.md)."""

from __future__ import annotations

from pathlib import Path

import click

from ..status import FORMATS as STATUS_FORMATS
from .options import as_of_option, echo_outcome, feedback_key, format_option, key_file_option, records_root, root_argument


@click.command()
@root_argument
@click.option("--region", metavar="RÉGION", help="Les groupes d'une région (par défaut toutes).")
@click.option("--group", metavar="GROUPE", help="Un seul groupe (avec --region si son nom est dans plusieurs régions).")
@as_of_option
@format_option(STATUS_FORMATS)
@key_file_option
def status(root, region, group, as_of, fmt, key_file):
    """Chaque groupe d'un coup d'œil : réunions tenues et attendues à ce jour de l'année, réunions prévues,
    appels à enregistrer, contrats manquants, retours d'information en attente, tendance des présences.

    Code de sortie : 0 état affiché, 1 aucun groupe, 2 usage incorrect (région ou groupe inconnus).
    """
    from ..status.produce import Request, produce

    echo_outcome(produce(Request(records_root(root), region, group, as_of, fmt, feedback_key(key_file, records_root(root)))))


@click.command()
@root_argument
@click.option("--region", metavar="RÉGION", help="Les réunions d'une région (par défaut toutes).")
@click.option("--group", metavar="GROUPE", help="Les réunions d'un seul groupe.")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), metavar="FICHIER.ics", required=True,
              help="Le fichier iCalendar à écrire (il ne nomme aucun médecin : il peut être publié).")
@as_of_option
@key_file_option
def calendar(root, region, group, out, as_of, key_file):
    """Le calendrier des réunions (prévues, tenues, annulées) en iCalendar (RFC 5545), pour l'agenda des
    groupes : une réunion par événement, à son heure (start) et son lieu (place) s'ils sont connus, sur la
    journée sinon ; mêmes registres, même fichier.

    Code de sortie : 0 calendrier écrit, 1 aucune réunion, 2 usage incorrect (région ou groupe inconnus).
    """
    from ..agenda.produce import Request, produce

    echo_outcome(produce(Request(records_root(root), out, region, group, as_of, feedback_key(key_file, records_root(root)))))


COMMANDS = [status, calendar]
