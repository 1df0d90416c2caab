"""Commands of gqrec that write records: init, new, fmt, schema, roll-call, library pull. Options in, library
call, messages out."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .options import as_of_option, parse_day as _day, records_root, records_target


@click.command()
@click.argument("directory", metavar="DOSSIER", type=click.Path(file_okay=False, path_type=Path))
@click.option("--region", default="ma-region", show_default=True, help="Identifiant de la région d'exemple.")
@click.option("--ci", type=click.Choice(["github", "gitlab"]), default="github", show_default=True,
              help="Intégration continue écrite : workflow GitHub Actions ou .gitlab-ci.yml (JUnit, Code Quality).")
@click.option("--code-scanning", is_flag=True,
              help="Avec --ci github : envoie aussi les constats (SARIF) au code scanning de GitHub.")
@click.option("--source", metavar="URL[@RÉV]",
              help="Dépôt git d'où pre-commit et la CI installent gqrec, et sa révision (branche, étiquette ou "
              "commit ; HEAD par défaut), fixée une fois pour toutes à l'identifiant complet de son commit. Par "
              "défaut : le dépôt et le commit d'où ce gqrec a été installé (pip install \"gqrec @ git+URL\").")
@click.option("--rev", metavar="RÉV", help="Avec --source : la révision, comme URL@RÉV.")
@click.option("--library", metavar="SOURCE[@RÉV]",
              help="Tire la bibliothèque nationale (fédération et charte, thèmes, indicateurs) du dépôt national "
              "SOURCE (adresse git ou chemin), avec library.lock, au lieu de la copie livrée avec gqrec.")
@click.option("--upgrade", is_flag=True,
              help="DOSSIER est un dépôt déjà créé par gqrec init : passe ses hooks, sa CI et son README au commit "
              "de --source (par défaut : le même dépôt, à sa révision HEAD actuelle).")
def init(directory, region, ci, code_scanning, source, rev, library, upgrade):
    """Crée un dépôt de registres prêt à l'emploi dans DOSSIER (vide, ou ne contenant que .git).

    Registres d'exemple dans records/, configuration pre-commit, intégration continue (GitHub Actions ou
    GitLab), schémas et réglages pour VS Code, README. Lance `git init` si DOSSIER n'est pas encore un dépôt git.
    Avec --upgrade, met à jour le commit de gqrec qu'installent les hooks et la CI d'un dépôt existant.
    """
    if upgrade:
        from ..authoring.init import upgrade_repository

        done = upgrade_repository(directory, source=source, rev=rev)
        if not done.files:
            click.echo(f"Déjà à jour : gqrec {done.after.url} au commit {done.after.commit}.")
            return
        click.echo(f"gqrec {done.before.url}@{done.before.commit[:12]} → {done.after.url}@{done.after.commit[:12]} "
                   f"dans {', '.join(done.files)}.")
        return
    from ..authoring.init import init_repository

    created = init_repository(directory, region=region, source=source, rev=rev, ci=ci, code_scanning=code_scanning,
                              library=library)
    click.echo(f"Dépôt de registres créé dans {created.root} ({len(created.files)} fichiers).")
    if created.git_initialised:
        click.echo("Dépôt git initialisé.")
    click.echo(f"Étapes suivantes : cd {created.root} && gqrec check, puis lisez README.md.")


ROOT_HELP = "Dossier des registres (par défaut : trouvé depuis le dossier courant, comme pour gqrec check)."
root_option = click.option("--root", type=click.Path(file_okay=False), help=ROOT_HELP)


class _KindCommands(click.Group):
    """`gqrec new`'s subcommands, one per kind the authoring library writes (`authoring.new.ENTRIES`),
    made from its entry when asked: a kind added to the kind table with its entry is offered.

    `on_made` is applied to each subcommand made (the command line's error statuses)."""

    on_made = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._made: dict[str, tuple[object, click.Command]] = {}

    @property
    def help(self):
        from ..authoring.new import authorable

        return (f"Crée un registre commenté au bon emplacement (TYPE : {', '.join(authorable())}) ; gqrec new "
                "TYPE --help pour ses options. Ne remplace jamais un fichier existant.")

    @help.setter
    def help(self, value):  # click sets it once from the docstring; the table is the truth
        pass

    def list_commands(self, ctx):
        from ..authoring.new import authorable

        return sorted(authorable())

    def get_command(self, ctx, name):
        from ..authoring.new import ENTRIES, authorable

        if name not in authorable():
            return None
        entry = ENTRIES[name]
        made = self._made.get(name)
        if made is None or made[0] is not entry:
            command = _new_command(name, entry)
            if self.on_made is not None:
                self.on_made(command)
            made = self._made[name] = (entry, command)
        return made[1]


@click.group(cls=_KindCommands, subcommand_metavar="TYPE [OPTIONS]...")
def new():
    """A record skeleton of any kind the authoring library writes (its help: `_KindCommands.help`)."""


def _rpps_list(ctx, param, values: tuple[str, ...]) -> list[str]:
    """RPPS given one an option or several in one (« 10000000018,10000000026 » or separated by spaces)."""
    return [rpps for value in values for rpps in value.replace(",", " ").split()]


FORMS = {  # how each form of `authoring.new.Field` is parsed
    "text": {},
    "day": {"callback": _day, "metavar": "AAAA-MM-JJ"},
    "count": {"type": click.IntRange(min=1)},
    "year": {"type": click.IntRange(1900, 9999)},
    "choice": {},
    "rpps": {"multiple": True, "metavar": "RPPS", "callback": _rpps_list},
    "flag": {"is_flag": True},
}


def _option(field) -> click.Option:
    settings = {"help": field.help, "required": field.required, "multiple": field.many, **FORMS[field.form]}
    if field.metavar is not None:
        settings["metavar"] = field.metavar
    if field.choices:
        settings["type"] = click.Choice(field.choices)
    if field.default is not None:
        settings.update(default=field.default, show_default=True)
    return click.Option([field.option, field.param], **settings)


def _new_command(kind: str, entry) -> click.Command:
    """`gqrec new <kind>`: --root, then the entry's fields; the library writes the files."""

    def run(root, **fields):
        if entry.one_of and bool(fields[entry.one_of[0]]) == bool(fields[entry.one_of[1]]):
            raise click.UsageError(entry.one_of_message)
        from ..authoring.new import create

        created = create(records_root(root), kind, **fields)
        if not created.paths:
            click.echo("Rien à créer : tous les fichiers existent déjà.")
        for path in created.paths:
            click.echo(f"Créé : {path}")
        for note in created.notes:
            click.echo(f"attention : {note}", err=True)

    params = [click.Option(["--root"], type=click.Path(file_okay=False), help=ROOT_HELP),
              *(_option(field) for field in entry.fields)]
    return click.Command(kind, callback=run, params=params, help=entry.help(kind))


@click.command()
@click.argument("paths", metavar="CHEMINS", nargs=-1, type=click.Path(exists=True, path_type=Path))
@root_option
@click.option("--check", is_flag=True, help="N'écrit rien : liste les fichiers à reformater, sortie 1 s'il y en a.")
@click.option("--fix-dates", is_flag=True,
              help="Convertit aussi les dates écrites jour, mois, année (02/12/2024, 20-11-2024) en AAAA-MM-JJ.")
def fmt(paths, root, check, fix_dates):
    """Met en forme les registres YAML (tous, ou ceux sous CHEMINS) en gardant commentaires et valeurs.

    Indentation de 2 espaces (tabulations remplacées), listes sous leur clé, RPPS entre guillemets, dates
    AAAA-MM-JJ, clés dans l'ordre du schéma. Un fichier illisible est laissé tel quel (GQ001).
    """
    from ..authoring.fmt import format_records
    from ..render import Shown, text

    folder = records_root(root) if root or not paths else records_target(paths).root
    outcome = format_records(folder, paths, check=check, fix_dates=fix_dates)
    for path in outcome.changed:
        click.echo(f"{outcome.verb} : {path}")
    for path, why in outcome.unwritten:
        click.echo(f"non écrit : {path} ({why}) ; le fichier est resté tel quel.", err=True)
    click.echo(text.render(outcome.findings, Shown(folder)), nl=False, err=True)
    click.echo(outcome.summary(), err=True)
    sys.exit(outcome.status)


@click.command()
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path), help="Dossier de destination.")
def schema(out):
    """Écrit les schémas JSON des registres pour un éditeur (complétion, erreurs soulignées)."""
    from ..authoring.editor import export_schemas

    written = export_schemas(out)
    click.echo(f"{len(written)} schémas écrits dans {out}.")


@click.command("roll-call")
@root_option
@click.option("--region", help="Identifiant de la région ; facultatif quand le dépôt n'en a qu'une.")
@click.option("--group", required=True, help="Identifiant du groupe.")
@click.option("--date", "day", required=True, callback=_day, metavar="AAAA-MM-JJ", help="Date de la réunion.")
@click.option("--absent", multiple=True, metavar="RPPS", callback=_rpps_list,
              help="Membre absent (répétable, ou plusieurs RPPS séparés par des virgules) : les autres membres "
              "actifs ce jour-là sont marqués présents.")
@click.option("--present", multiple=True, metavar="RPPS", callback=_rpps_list,
              help="Membre présent (répétable, ou plusieurs RPPS séparés par des virgules) : les autres membres "
              "actifs ce jour-là sont marqués absents.")
@click.option("--none-absent", is_flag=True, help="Tous les membres actifs ce jour-là étaient présents.")
@click.option("--duration", "duration_minutes", type=click.IntRange(min=1), metavar="MINUTES",
              help="Durée effective en minutes (sinon celle du fichier de la réunion).")
@as_of_option
def roll_call(root, region, group, day, absent, present, none_absent, duration_minutes, as_of):
    """Enregistre l'appel d'une réunion prévue une fois tenue : elle passe en « status: held ».

    Nommez l'appel : les absents (--absent), ou les présents (--present), ou --none-absent. Rien n'est
    écrit si un RPPS n'est pas membre actif du groupe ce jour-là, si la réunion est à venir, annulée,
    ou si son appel est déjà enregistré.
    """
    from ..authoring.rollcall import record
    from ..authoring.skeletons import sole_region

    folder = records_root(root)
    marked = record(folder, region=region or sole_region(folder), group=group, day=day, absent=absent,
                    present=present, none_absent=none_absent, duration_minutes=duration_minutes, as_of=as_of)
    click.echo(f"Appel enregistré : {marked.path}")
    for line in marked.lines():
        click.echo(line)


@click.group(subcommand_metavar="COMMANDE [ARGUMENTS]...")
def library():
    """La bibliothèque nationale (federation.yaml, themes/, indicators/) tirée du dépôt national."""


@library.command("pull")
@click.argument("source", metavar="SOURCE")
@click.option("--rev", metavar="RÉV", help="Branche, étiquette ou commit du dépôt national (par défaut : son HEAD).")
@click.option("--force", is_flag=True,
              help="Remplace (ou retire) aussi les fichiers de la bibliothèque modifiés sur place depuis le dernier tirage.")
@root_option
def library_pull(source, rev, force, root):
    """Écrit la bibliothèque nationale du dépôt SOURCE (adresse git, ou chemin d'un dépôt ou de ses registres)
    dans les registres, avec library.lock (dépôt, commit, empreinte de chaque fichier).

    Dit ce qui a changé, thème par thème. Ne remplace jamais une modification locale sans --force (code 2) ;
    garde un thème retiré que le programme ou une réunion de la région utilise encore. Tirer le même commit
    une seconde fois ne change rien.
    """
    from ..authoring.pull import pull

    for line in pull(records_root(root), source, rev, force=force).lines():
        click.echo(line)


COMMANDS = [init, new, fmt, schema, roll_call, library]
