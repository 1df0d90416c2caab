"""Commands of gqrec that change who is in a group: `member join|leave|move` (`authoring.members`)."""

from __future__ import annotations

import click

from .authoring import root_option
from .options import parse_day, records_root

REGION_HELP = "Identifiant de la région ; facultatif quand le dépôt n'en a qu'une."


def _say(change) -> None:
    for line in change.lines:
        click.echo(line)
    for path in change.paths:
        click.echo(f"Modifié : {path}")
    for note in change.notes:
        click.echo(f"attention : {note}", err=True)


def _region(folder, region):
    from ..authoring.skeletons import sole_region

    return region or sole_region(folder)


physician_option = click.option("--physician", required=True, metavar="RPPS", help="RPPS du médecin (11 chiffres).")
date_option = click.option("--date", "day", required=True, callback=parse_day, metavar="AAAA-MM-JJ",
                           help="Date du changement.")


@click.group(subcommand_metavar="join|leave|move [OPTIONS]...")
def member():
    """Arrivées, départs et changements de groupe des membres, écrits dans group.yaml (commentaires gardés).

    Une réunion tenue n'est jamais réécrite : une date que son appel contredit est refusée.
    """


def _one_group(name: str, group_help: str, help: str) -> click.Command:
    """`member join` or `member leave`: one group, one physician, one date."""

    def run(root, region, group, physician, day):
        from ..authoring import members

        folder = records_root(root)
        _say(getattr(members, name)(folder, region=_region(folder, region), group=group, physician=physician,
                                    day=day))

    command = click.command(name, help=help)(run)
    for option in (root_option, click.option("--region", help=REGION_HELP),
                   click.option("--group", required=True, help=group_help), physician_option, date_option):
        command = option(command)
    return command


member.add_command(_one_group("join", "Identifiant du groupe rejoint.",
                              "Un médecin rejoint le groupe le jour --date (une entrée « since » dans members)."))
member.add_command(_one_group("leave", "Identifiant du groupe quitté.",
                              "Un médecin quitte le groupe : --date est son dernier jour de membre (« until » de son "
                              "entrée)."))


@member.command()
@root_option
@click.option("--region", help=REGION_HELP)
@physician_option
@click.option("--from", "from_group", required=True, metavar="GROUPE", help="Groupe quitté.")
@click.option("--to", "to_group", required=True, metavar="GROUPE", help="Groupe rejoint.")
@date_option
def move(root, region, physician, from_group, to_group, day):
    """Un médecin change de groupe : il quitte --from la veille de --date et rejoint --to le jour --date."""
    from ..authoring.members import move as run

    folder = records_root(root)
    _say(run(folder, region=_region(folder, region), physician=physician, from_group=from_group,
             to_group=to_group, day=day))


COMMANDS = [member]
