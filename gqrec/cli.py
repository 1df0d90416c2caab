"""The `gqrec` command: a thin Click layer over the library; no logic of its own."""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import click

from . import clickfr

clickfr.install()  # first: Click's own texts (Usage, Error, Missing option…) and type names in French

from . import __version__, errors  # noqa: E402  (after the French catalogue, which options' types read)
from .commands.options import (  # noqa: E402
    as_of_option, echo_outcome, feedback_key, format_option, key_file_option, records_target,
)
from .layout import LAYOUT_FR  # noqa: E402
from .render import FORMATS as FINDINGS, RULE_FORMATS  # noqa: E402

EXIT_STATUS = {errors.UsageError: 2, errors.RecordsError: 1, errors.InternalError: 3}


@click.group(subcommand_metavar="COMMANDE [ARGUMENTS]...", context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="gqrec")
def cli() -> None:
    """gqrec : les registres des Groupes Qualité en texte brut, vérifiés contre le cahier des charges."""


@cli.command(epilog="Disposition des registres :\n\n\b\n" + LAYOUT_FR)
@click.argument("paths", nargs=-1, metavar="[CHEMIN]...", type=click.Path(path_type=Path))
@format_option(FINDINGS)
@as_of_option
@click.option("--no-source", is_flag=True, help="N'affiche pas la ligne source sous chaque constat (format text).")
@click.option("--changed-since", metavar="REV",
              help="Ne rapporte que les constats dont le changement depuis la révision git REV est responsable : "
              "fichiers modifiés, et constats nouveaux qu'il provoque ailleurs.")
@click.option("--max-file-size", type=click.IntRange(min=1), default=1024, show_default=True, metavar="KIO",
              help="Taille maximale d'un registre YAML, en Kio.")
@click.option("--no-cache", is_flag=True,
              help="Relit tous les fichiers sans utiliser ni écrire le cache .gqrec-cache/ du dossier.")
@click.option("--baseline", "baseline_file", metavar="FICHIER", type=click.Path(dir_okay=False, path_type=Path),
              help="Ne rapporte que les constats absents de cette référence (écrite par --write-baseline).")
@click.option("--write-baseline", metavar="FICHIER", type=click.Path(dir_okay=False, path_type=Path),
              help="Écrit dans FICHIER les constats d'aujourd'hui comme référence connue, puis sort avec 0.")
@click.option("--summary", "fmt", flag_value="summary",
              help="Au lieu de chaque constat, leur nombre par règle et par fichier, pour les longues listes "
              "(--format summary).")
@key_file_option
def check(paths, fmt, as_of, no_source, changed_since, max_file_size, no_cache, baseline_file, write_baseline,
          key_file):
    """Vérifie les registres : schémas, références, règles du cahier des charges.

    Sans CHEMIN, les registres du dossier courant (celui qui contient federation.yaml, son sous-dossier
    records/, ou le plus proche dossier parent qui en a un). Avec des fichiers ou des dossiers des
    registres, tout le dossier de registres est jugé et seuls leurs constats sont rapportés.

    Code de sortie : 0 sans erreur (avertissements permis), 1 avec au moins une erreur, 2 pour un usage incorrect.
    """
    from .render.produce import Request, produce

    echo_outcome(produce(Request(records_target(paths), as_of, fmt, not no_source, changed_since, max_file_size * 1024,
                                 not no_cache, baseline_file, write_baseline,
                                 feedback_key(key_file, records_target(paths).root))))


def _rule_ids(ctx, param, incomplete: str) -> list[str]:
    """Shell completion of `gqrec rule`: the catalogue's rule ids that start as typed."""
    from .render.rules import rule_ids

    return rule_ids(incomplete)


@cli.command("rule")
@click.argument("rule_id", metavar="RÈGLE", required=False, shell_complete=_rule_ids)
@format_option(RULE_FORMATS)
def rule_cmd(rule_id, fmt):
    """Liste les règles, ou explique la règle RÈGLE (par ex. GQ105)."""
    from .render.rules import Request, produce

    echo_outcome(produce(Request(rule_id, fmt)))


def _register_commands() -> None:
    import importlib

    from .commands import MODULES

    for name in MODULES:
        for command in importlib.import_module(f"gqrec.commands.{name}").COMMANDS:
            cli.add_command(command)
    for command in cli.commands.values():
        _map_errors(command)


def _map_errors(command: click.Command) -> None:
    """Every command's (and subcommand's) callback turns gqrec's errors into exit statuses, those a group
    makes when asked (`on_made`) included."""
    for sub in getattr(command, "commands", {}).values():
        _map_errors(sub)
    if hasattr(command, "on_made"):
        command.on_made = _map_errors
    if command.callback is not None:
        command.callback = _statuses(command.callback)


def _statuses(callback):
    """The one place where gqrec's errors become exit statuses: a usage error or refusal 2 (a full disk
    too), a request the records cannot satisfy 1, an internal error 3; each one French line on stderr."""

    @functools.wraps(callback)
    def run(*args, **kwargs):
        try:
            return callback(*args, **kwargs)
        except errors.GqrecError as error:
            ctx = click.get_current_context()
            click.echo(f"gqrec {ctx.command_path.partition(' ')[2]} : {error}", err=True)
            ctx.exit(next((status for kind, status in EXIT_STATUS.items() if isinstance(error, kind)), 3))

    return run


_register_commands()


def main() -> None:
    """Console entry point: usage problems exit 2; an internal bug says so without a traceback."""
    try:
        cli.main(prog_name="gqrec", standalone_mode=True)
    except Exception as error:  # a bug of ours: say it plainly, keep the traceback for developers
        if os.environ.get("GQREC_DEBUG"):
            raise
        click.echo(
            f"gqrec : erreur interne ({type(error).__name__}: {error}). Relancez avec GQREC_DEBUG=1 et "
            "signalez-la avec le fichier en cause.",
            err=True,
        )
        sys.exit(3)


if __name__ == "__main__":
    main()
