"""The `gqrec` command: a thin Click layer over the library; no logic of its own."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from . import __version__
from .commands.options import as_of_option, feedback_key, key_file_option, records_target
from .layout import LAYOUT_FR


class _Commands(click.Group):
    """The command group, which turns a refused write or read of a file gqrec was asked to handle (full disk,
    a FIFO as key file…) into its French message and exit 2, never a traceback."""

    def invoke(self, ctx: click.Context):
        from .fsio import ReadError, WriteError

        try:
            return super().invoke(ctx)
        except (WriteError, ReadError) as error:
            click.echo(f"gqrec : {error}", err=True)
            ctx.exit(2)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="gqrec")
def cli() -> None:
    """gqrec : les registres des Groupes Qualité en texte brut, vérifiés contre le cahier des charges."""


@cli.command(epilog="Disposition des registres :\n\n\b\n" + LAYOUT_FR)
@click.argument("paths", nargs=-1, metavar="[CHEMIN]...", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github", "sarif", "junit", "gitlab"]),
              default="text", show_default=True,
              help="text : pour un humain ; json : tableau stable ; github : annotations de pull request ; "
              "sarif : code scanning (SARIF 2.1.0) ; junit : rapport de tests ; gitlab : Code Quality de GitLab.")
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
@key_file_option
def check(paths, fmt, as_of, no_source, changed_since, max_file_size, no_cache, baseline_file, write_baseline,
          key_file):
    """Vérifie les registres : schémas, références, règles du cahier des charges.

    Sans CHEMIN, les registres du dossier courant (celui qui contient federation.yaml, son sous-dossier
    records/, ou le plus proche dossier parent qui en a un). Avec des fichiers ou des dossiers des
    registres, tout le dossier de registres est jugé et seuls leurs constats sont rapportés.

    Code de sortie : 0 sans erreur (avertissements permis), 1 avec au moins une erreur, 2 pour un usage incorrect.
    """
    from . import baseline
    from .check import check as run_check
    from .findings import count_by_severity
    from .gitio import GitError
    from .render import FORMATS, json_, text

    if baseline_file is not None and write_baseline is not None:
        raise click.UsageError("--baseline et --write-baseline s'excluent : l'un lit la référence, l'autre l'écrit.")
    if write_baseline is not None and changed_since is not None:
        raise click.UsageError("--write-baseline enregistre les constats d'aujourd'hui, pas ceux d'un changement : "
                               "sans --changed-since.")
    target = records_target(paths)
    root_path = target.root
    try:
        known = baseline.read(baseline_file) if baseline_file is not None else None
        with feedback_key(key_file, root_path):
            result = run_check(
                root_path, as_of, changed_since=changed_since, max_yaml_bytes=max_file_size * 1024,
                use_cache=not no_cache,
            )
    except GitError as error:
        raise click.UsageError(f"--changed-since : {error}") from None
    except baseline.BaselineError as error:
        raise click.UsageError(str(error)) from None
    findings = [f for f in result.findings if target.selects(f.path)]
    if write_baseline is not None:
        try:
            written = baseline.write(write_baseline, findings, root_path)
        except baseline.BaselineError as error:
            raise click.UsageError(str(error)) from None
        click.echo(f"Référence écrite : {write_baseline} ({written} constat(s) connu(s)).")
        sys.exit(0)
    notes = ""
    if known is not None:
        # --changed-since reports part of the findings only: what is not reported is not gone
        filtered = baseline.apply(known, findings, selects=(lambda path: False) if changed_since else target.selects)
        findings = list(filtered.findings)
        notes = text.baseline_notes(baseline_file, filtered)
    if fmt == "text":
        click.echo(text.render(findings, root_path, show_source=not no_source), nl=False)
        click.echo(notes + text.summary(findings, result.files, target.paths is not None), nl=False)
    elif fmt == "json":
        click.echo(json_.render(findings), nl=False)
        click.echo(notes, err=True, nl=False)
    else:
        click.echo(FORMATS[fmt](findings, root_path, prefix=_prefix_in_repo(root_path)), nl=False)
        click.echo(notes + text.summary(findings, result.files, target.paths is not None), err=True, nl=False)
    sys.exit(1 if count_by_severity(findings)["errors"] else 0)


def _prefix_in_repo(root: Path) -> str:
    """The records root as seen from the current directory, so annotations land on the right files."""
    try:
        rel = root.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return ""
    return "" if rel == "." else rel + "/"


@cli.command("rule")
@click.argument("rule_id", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rule_cmd(rule_id, fmt):
    """Liste les règles, ou explique la règle RULE_ID (par ex. GQ105)."""
    from .rules import catalogue
    from .render.rules import render_catalogue, render_rule

    entries = catalogue()
    if rule_id:
        wanted = rule_id.upper()
        entries = [e for e in entries if e.id == wanted]
        if not entries:
            raise click.UsageError(f"Règle inconnue : {rule_id}. `gqrec rule` les liste toutes.")
    if fmt == "json":
        click.echo(json.dumps([_rule_json(e) for e in entries], ensure_ascii=False, indent=2))
    elif rule_id:
        click.echo(render_rule(entries[0]), nl=False)
    else:
        click.echo(render_catalogue(entries), nl=False)


def _rule_json(entry) -> dict:
    return {
        "id": entry.id, "severity": entry.severity, "family": entry.family, "title": entry.title,
        "explanation": entry.explanation, "fix": entry.fix, "parameters": list(entry.parameters),
    }


def _register_commands() -> None:
    import importlib

    from .commands import MODULES

    for name in MODULES:
        for command in importlib.import_module(f"gqrec.commands.{name}").COMMANDS:
            cli.add_command(command)


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
