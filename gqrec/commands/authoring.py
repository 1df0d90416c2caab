"""Commands of gqrec that write records: init, new, fmt, schema. Options in, library call, messages out."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..french import counted
from .options import parse_day as _day, records_root, records_target


@click.command()
@click.argument("directory", metavar="DOSSIER", type=click.Path(file_okay=False, path_type=Path))
@click.option("--region", default="ma-region", show_default=True, help="Identifiant de la région d'exemple.")
@click.option("--ci", type=click.Choice(["github", "gitlab"]), default="github", show_default=True,
              help="Intégration continue écrite : workflow GitHub Actions ou .gitlab-ci.yml (JUnit, Code Quality).")
@click.option("--code-scanning", is_flag=True,
              help="Avec --ci github : envoie aussi les constats (SARIF) au code scanning de GitHub.")
@click.option("--source", metavar="URL",
              help="Dépôt git d'où pre-commit et la CI installent gqrec (par défaut : le paquet gqrec de "
              "cette version, par son nom).")
@click.option("--rev", metavar="ÉTIQUETTE", help="Avec --source : l'étiquette git de gqrec (par défaut v + cette version).")
def init(directory, region, ci, code_scanning, source, rev):
    """Crée un dépôt de registres prêt à l'emploi dans DOSSIER (vide, ou ne contenant que .git).

    Registres d'exemple dans records/, configuration pre-commit, intégration continue (GitHub Actions ou
    GitLab), schémas et réglages pour VS Code, README. Lance `git init` si DOSSIER n'est pas encore un dépôt git.
    """
    from ..authoring.init import init_repository

    created = init_repository(directory, region=region, source=source, rev=rev, ci=ci, code_scanning=code_scanning)
    click.echo(f"Dépôt de registres créé dans {created.root} ({len(created.files)} fichiers).")
    if created.git_initialised:
        click.echo("Dépôt git initialisé.")
    click.echo(f"Étapes suivantes : cd {created.root} && gqrec check, puis lisez README.md.")


root_option = click.option(
    "--root", type=click.Path(file_okay=False),
    help="Dossier des registres (par défaut : trouvé depuis le dossier courant, comme pour gqrec check).",
)
region_option = click.option(
    "--region", help="Identifiant de la région (nom de son dossier) ; facultatif quand le dépôt n'en a qu'une.")
rpps_option = click.option("--rpps", required=True, help="Numéro RPPS du médecin (11 chiffres).")


@click.group(subcommand_metavar="TYPE [OPTIONS]...")
def new():
    """Crée un registre commenté au bon emplacement (TYPE : region, territory, physician, group, contract,
    programme, meeting, theme, indicator) ; gqrec new TYPE --help pour ses options. Ne remplace jamais un
    fichier existant."""


def _write(root: str, make, **fields) -> None:
    from ..authoring import skeletons

    folder = records_root(root)
    if "region" in fields and fields["region"] is None:
        fields["region"] = skeletons.sole_region(folder)
    drafts = make(folder, **fields)
    drafts = drafts if isinstance(drafts, list) else [drafts]
    paths = [skeletons.write(folder, draft) for draft in drafts]
    if not paths:
        click.echo("Rien à créer : tous les fichiers existent déjà.")
    for path in paths:
        click.echo(f"Créé : {path}")
    for note in dict.fromkeys(note for draft in drafts for note in draft.notes):
        click.echo(f"attention : {note}", err=True)


def _rpps_list(ctx, param, values: tuple[str, ...]) -> list[str]:
    """RPPS given one an option or several in one (« 10000000018,10000000026 » or separated by spaces)."""
    return [rpps for value in values for rpps in value.replace(",", " ").split()]


def _skeleton(name: str):
    from ..authoring import skeletons

    return getattr(skeletons, name)


@new.command("physician")
@root_option
@region_option
@rpps_option
@click.option("--name", required=True, help="Nom affiché, par ex. « Dr Anne Le Gall ».")
@click.option("--territory", required=True, help="Territoire d'exercice (identifiant).")
@click.option("--specialty", help="Spécialité, si ce n'est pas la médecine générale.")
@click.option("--animator-trained", callback=_day, metavar="AAAA-MM-JJ", help="Date de la formation d'animateur.")
def new_physician(root, **fields):
    """Fiche d'un médecin : regions/<région>/physicians/<rpps>.yaml."""
    _write(root, _skeleton("physician"), **fields)


@new.command("territory")
@root_option
@region_option
@click.option("--id", "id_", required=True, help="Identifiant du territoire, par ex. pays-de-morlaix.")
@click.option("--name", required=True)
@click.option("--setting", required=True, type=click.Choice(["rural", "urban", "mixed"]))
@click.option("--general-practitioners", required=True, type=click.IntRange(min=1),
              help="Médecins généralistes libéraux du territoire.")
@click.option("--commune", "communes", multiple=True, metavar="INSEE", help="Code INSEE d'une commune (répétable).")
def new_territory(root, id_, **fields):
    """Territoire : regions/<région>/territories/<territoire>.yaml."""
    _write(root, _skeleton("territory"), id=id_, **fields)


@new.command("group")
@root_option
@region_option
@click.option("--id", "id_", required=True, help="Identifiant du groupe, par ex. lamballe.")
@click.option("--name", required=True)
@click.option("--territory", required=True)
@click.option("--constituted", required=True, callback=_day, metavar="AAAA-MM-JJ",
              help="Date de validation du groupe par l'association.")
@click.option("--wave", type=click.IntRange(min=1), help="Vague de démarrage.")
@click.option("--animator", "animators", multiple=True, metavar="RPPS", callback=_rpps_list,
              help="Animateur (répétable, ou plusieurs RPPS séparés par des virgules ou des espaces).")
@click.option("--member", "members", multiple=True, metavar="RPPS", callback=_rpps_list,
              help="Membre (répétable, ou plusieurs RPPS séparés par des virgules ou des espaces).")
@click.option("--since", callback=_day, metavar="AAAA-MM-JJ", help="Début des périodes (par défaut --constituted).")
def new_group(root, id_, **fields):
    """Groupe qualité : regions/<région>/groups/<groupe>/group.yaml."""
    _write(root, _skeleton("group"), id=id_, **fields)


@new.command("meeting")
@root_option
@region_option
@click.option("--group", required=True)
@click.option("--date", "day", required=True, callback=_day, metavar="AAAA-MM-JJ")
@click.option("--theme", help="Thème d'une réunion thématique.")
@click.option("--period", help="Période restituée d'une réunion de restitution, par ex. 2024-S1.")
@click.option("--duration", "duration_minutes", default=120, show_default=True, type=click.IntRange(min=1),
              help="Durée en minutes.")
@click.option("--animator", metavar="RPPS", help="Animateur de la séance (par défaut l'animateur actif du groupe).")
def new_meeting(root, **fields):
    """Réunion, appel pré-rempli : regions/<région>/groups/<groupe>/meetings/<AAAA-MM-JJ>.yaml."""
    _write(root, _skeleton("meeting"), **fields)


@new.command("contract")
@root_option
@region_option
@click.option("--rpps", help="Numéro RPPS du médecin (11 chiffres) ; ou --all-members.")
@click.option("--all-members", is_flag=True,
              help="Un contrat pour chaque membre et animateur du groupe dans l'année (--year), sauf ceux déjà là.")
@click.option("--group", required=True)
@click.option("--signed", required=True, callback=_day, metavar="AAAA-MM-JJ")
@click.option("--year", type=click.IntRange(1900, 9999), help="Année du contrat (par défaut celle de --signed).")
@click.option("--role", type=click.Choice(["participant", "animator"]), default="participant", show_default=True,
              help="Rôle (avec --all-members : animator pour les animateurs du groupe, participant pour les autres).")
def new_contract(root, rpps, all_members, role, **fields):
    """Contrat de l'année : regions/<région>/contracts/<AAAA>/<rpps>.yaml (un médecin, ou tout le groupe)."""
    if bool(rpps) == all_members:
        raise click.UsageError("Donnez soit --rpps (un médecin), soit --all-members (tout le groupe).")
    if all_members:
        fields["year"] = fields["year"] or fields["signed"].year
        _write(root, _skeleton("group_contracts"), **fields)
    else:
        _write(root, _skeleton("contract"), rpps=rpps, role=role, **fields)


@new.command("programme")
@root_option
@region_option
@click.option("--year", required=True, type=click.IntRange(1900, 9999))
@click.option("--validated", required=True, callback=_day, metavar="AAAA-MM-JJ", help="Date de la décision du COPIL.")
@click.option("--theme", "themes", multiple=True, help="Thème retenu (répétable).")
def new_programme(root, **fields):
    """Programme annuel : regions/<région>/programmes/<AAAA>.yaml."""
    _write(root, _skeleton("programme"), **fields)


@new.command("theme")
@root_option
@click.option("--id", "id_", required=True, help="Identifiant du thème, par ex. asthme-adulte.")
@click.option("--title", required=True)
@click.option("--indicator", "indicators", multiple=True, help="Indicateur de suivi (répétable).")
def new_theme(root, id_, **fields):
    """Thème de la bibliothèque nationale, à rédiger : themes/<thème>.yaml."""
    _write(root, _skeleton("theme"), id=id_, **fields)


@new.command("indicator")
@root_option
@click.option("--id", "id_", required=True, help="Identifiant de l'indicateur, par ex. asthme-corticoide-inhale.")
@click.option("--title", required=True)
@click.option("--theme", required=True, help="Thème dont relève l'indicateur (identifiant).")
@click.option("--numerator", required=True, help="Ce que compte le numérateur, en clair.")
@click.option("--denominator", required=True, help="Ce que compte le dénominateur, en clair.")
@click.option("--better", required=True, type=click.Choice(["lower", "higher"]),
              help="Sens de l'amélioration : lower (mieux quand il baisse) ou higher.")
@click.option("--source", help="Origine des données, par ex. SNDS.")
def new_indicator(root, id_, **fields):
    """Indicateur de la bibliothèque nationale : indicators/<indicateur>.yaml."""
    _write(root, _skeleton("indicator"), id=id_, **fields)


@new.command("region")
@root_option
@click.option("--id", "id_", required=True, help="Identifiant de la région, par ex. bretagne.")
@click.option("--name", required=True)
@click.option("--association", required=True, help="Nom de l'association régionale.")
@click.option("--coordinator", required=True, metavar="RPPS", help="RPPS du médecin coordonnateur.")
def new_region(root, id_, **fields):
    """Région : regions/<région>/region.yaml (puis la fiche du coordonnateur avec gqrec new physician)."""
    _write(root, _skeleton("region"), id=id_, **fields)


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
    from ..render import text

    folder = records_root(root) if root or not paths else records_target(paths).root
    outcome = format_records(folder, paths, check=check, fix_dates=fix_dates)
    for path in outcome.changed:
        click.echo(f"{'à reformater' if check else 'reformaté'} : {path}")
    for path, why in outcome.unwritten:
        click.echo(f"non écrit : {path} ({why}) ; le fichier est resté tel quel.", err=True)
    click.echo(text.render(outcome.findings, folder), nl=False, err=True)
    changed = len(outcome.changed)
    verb = "à reformater" if check else ("reformaté" if changed <= 1 else "reformatés")
    click.echo(f"{counted(outcome.files, 'fichier lu', 'fichiers lus')} : {changed} {verb}, "
               f"{len(outcome.findings)} {'illisible' if len(outcome.findings) <= 1 else 'illisibles'}.", err=True)
    sys.exit(1 if outcome.findings or outcome.unwritten or (check and outcome.changed) else 0)


@click.command()
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path), help="Dossier de destination.")
def schema(out):
    """Écrit les schémas JSON des registres pour un éditeur (complétion, erreurs soulignées)."""
    from ..authoring.editor import export_schemas

    written = export_schemas(out)
    click.echo(f"{len(written)} schémas écrits dans {out}.")


COMMANDS = [init, new, fmt, schema]
