"""`gqrec init`: a records repository a coordinator can use the same day.

The records live in `records/` (gqrec finds them from anywhere in the repository, so `gqrec check` needs
no argument there) with a commented federation.yaml, the national library of themes and indicators, and
one example region that passes the checks; the README walks through a first group in the order the rules
need.
Around them: a pre-commit configuration with gqrec's hooks, a CI pipeline (a GitHub Actions workflow that
annotates pull requests and may upload SARIF to code scanning, or a GitLab pipeline with JUnit and Code
Quality reports), VS Code settings mapping each layout glob to its schema, and a French README.

Hooks and CI install gqrec from a git repository at a full commit id (`authoring.source`: `--source
URL[@REV]` resolved once, or where this gqrec was installed from); a GitHub workflow uses gqrec's own
Action (`action.yml`) when that repository is on GitHub. CI fetches the whole history, which GQ116 and
--changed-since read. `upgrade_repository` moves those lines to another commit.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..fsio import WriteError, make_folder, write_atomic
from ..ids import luhn_digit
from ..layout import LAYOUT_FR, folder_of, path_of, region_folder
from ..roots import RECORDS_FOLDER
from . import AuthoringError
from .pull import apply, fetch_library
from .source import Source, choose, split
from .editor import VSCODE_EXTENSIONS, export_schemas, vscode_settings
from .library import embedded_library
from .skeletons import record_text, region_document, render

CI_KINDS = ("github", "gitlab")
SCHEMA_COPY = ".gqrec/schema"
EXAMPLE_REGION = "ma-region"
EXAMPLE_TERRITORY = "mon-territoire"
EXAMPLE_COORDINATOR = "1000000000" + luhn_digit("1000000000")  # a placeholder RPPS with a right check digit

GITIGNORE = "# Le cache de gqrec check (propre à chaque machine, jamais commité).\n.gqrec-cache/\n"

@dataclass(frozen=True)
class Created:
    """What init wrote (paths relative to the new repository) and whether it ran `git init`."""

    root: Path
    files: tuple[str, ...]
    git_initialised: bool


def init_repository(target: Path, *, region: str = EXAMPLE_REGION, source: str | None = None,
                    rev: str | None = None, ci: str = "github", code_scanning: bool = False,
                    year: int | None = None, library: str | None = None) -> Created:
    """Lay out a new records repository in target, which must be absent, empty, or hold only `.git`.
    The README's walkthrough is dated in `year` (by default the coming one: its meetings are planned ahead,
    so that `gqrec check` is clean whatever the day the walkthrough is followed).

    Hooks and CI install gqrec from the git repository `source` (`URL[@REV]`, or `rev`) at the commit it
    names, or from where this gqrec was installed (see `authoring.source`). `ci` is `github` or `gitlab`;
    `code_scanning` adds the upload of SARIF to GitHub code scanning.

    With `library` (`URL[@REV]`: the national repository, see `pull`), the national library is pulled from
    it, with its library.lock, instead of gqrec's own copy (fetched first: nothing is written if it fails).
    """
    if ci not in CI_KINDS:
        raise AuthoringError(f"Intégration continue inconnue : {ci} (possibles : {', '.join(CI_KINDS)}).")
    if code_scanning and ci != "github":
        raise AuthoringError("Le code scanning (SARIF) est celui de GitHub : il ne va qu'avec --ci github.")
    _refuse_unless_empty(target)
    origin = choose(source, rev)
    national = fetch_library(*split(library)) if library else None
    records = RECORDS_FOLDER
    install = origin.pip
    files = {f"{records}/{path}": text
             for path, text in {**_records(region), **(embedded_library() if national is None else {})}.items()}
    files[".pre-commit-config.yaml"] = PRE_COMMIT_REPO.format(source=origin.url, rev=origin.commit)
    if ci == "github":
        files[".github/workflows/gqrec.yml"] = _github_workflow(origin, code_scanning)
    else:
        files[".gitlab-ci.yml"] = GITLAB_CI.format(install=install)
    files[".vscode/settings.json"] = _json(vscode_settings(records, SCHEMA_COPY))
    files[".vscode/extensions.json"] = _json(VSCODE_EXTENSIONS)
    files["README.md"] = README.format(records=records, region=region, layout=LAYOUT_FR, install=install,
                                       region_folder=region_folder(region), themes=folder_of("theme"),
                                       indicators=folder_of("indicator"),
                                       ci=CI_README[ci], **_walkthrough(year or date.today().year + 1))
    files[".gitignore"] = GITIGNORE
    before = set(os.listdir(target)) if target.is_dir() else None
    try:
        make_folder(target)
        for relative, text in files.items():
            path = target / relative
            make_folder(path.parent)
            write_atomic(path, text)
        schemas = [p.relative_to(target).as_posix() for p in export_schemas(target / SCHEMA_COPY)]
        pulled = [f"{records}/{path}" for path in apply(target / records, national).written] if national else []
    except WriteError:
        _undo(target, before)
        raise
    return Created(target, tuple(sorted([*files, *schemas, *pulled])), _git_init(target))


def _undo(target: Path, before: set[str] | None) -> None:
    """Remove what a failed `init` wrote (a full disk), so that the next `init` finds the folder as it was
    (empty, or with its .git only) instead of refusing a half-made repository."""
    if before is None:
        shutil.rmtree(target, ignore_errors=True)
        return
    for name in set(os.listdir(target)) - before:
        path = target / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                path.unlink()


def _walkthrough(year: int) -> dict[str, str]:
    """The invented RPPS and dates of the README's first group, in the year it plans."""
    def rpps(n: int) -> str:
        payload = f"{n:010d}"
        return payload + luhn_digit(payload)

    return {"year": str(year), "trained": f"{year - 1}-11-20", "animator": rpps(1000000100),
            "members": " ".join(rpps(1000000101 + i) for i in range(10)), "first_member": rpps(1000000101)}


def _github_workflow(origin: Source, code_scanning: bool) -> str:
    """gqrec's own Action when its repository is on GitHub (`uses: OWNER/gqrec@COMMIT`), else the same
    steps written out: set up Python, pip install from git at the commit, check (and SARIF)."""
    action = origin.github_action
    permissions = CODE_SCANNING_PERMISSIONS if code_scanning else ""
    if action is not None:
        sarif = ACTION_SARIF if code_scanning else ""
        steps = ACTION_STEPS.format(action=action, sarif=sarif)
    else:
        steps = PIP_STEPS.format(install=origin.pip, sarif=CODE_SCANNING_STEPS if code_scanning else "")
    return WORKFLOW.format(permissions=permissions, steps=steps)


@dataclass(frozen=True)
class Upgraded:
    """What `upgrade_repository` changed: the files rewritten, and the install source before and after."""

    files: tuple[str, ...]
    before: Source
    after: Source


INSTALLING_FILES = (".pre-commit-config.yaml", ".github/workflows/gqrec.yml", ".gitlab-ci.yml", "README.md")


def upgrade_repository(target: Path, *, source: str | None = None, rev: str | None = None) -> Upgraded:
    """Move a repository init made to another commit of gqrec: the pre-commit `rev:`, the CI's install
    line or Action, the README's. By default the same git repository at its current HEAD."""
    config = target / ".pre-commit-config.yaml"
    found = re.search(r"^\s*-\s*repo:\s*(\S+)\s*\n\s*rev:\s*([0-9a-f]{40})\s*$", _read(config), re.M)
    if found is None:
        raise AuthoringError(f"{config} ne nomme pas de commit de gqrec (repo: URL, rev: COMMIT) : ce dépôt n'a "
                             "pas été créé par gqrec init, ou l'a été par une version qui installait gqrec par son "
                             "nom. Recréez ces fichiers avec gqrec init --source URL dans un dossier vide.")
    before = Source(found.group(1), found.group(2))
    after = choose(source or before.url, rev) if source or rev else choose(before.url, None)
    changed = []
    for relative in INSTALLING_FILES:
        path = target / relative
        if not path.is_file():
            continue
        text = _read(path)
        new = _moved(text, before, after)
        if new != text:
            write_atomic(path, new)
            changed.append(relative)
    return Upgraded(tuple(changed), before, after)


def _moved(text: str, before: Source, after: Source) -> str:
    """The text with every mention of the old source and commit put to the new ones."""
    for old, new in ((f"git+{before.url}@{before.commit}", f"git+{after.url}@{after.commit}"),
                     (f"repo: {before.url}\n", f"repo: {after.url}\n"),
                     (f"rev: {before.commit}", f"rev: {after.commit}")):
        text = text.replace(old, new)
    before_action, after_action = before.github_action, after.github_action
    if before_action and after_action:
        text = text.replace(f"uses: {before_action}", f"uses: {after_action}")
    return text.replace(before.commit, after.commit)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise AuthoringError(f"Impossible de lire {path} : {error.strerror if isinstance(error, OSError) else error}.") from None


def _refuse_unless_empty(target: Path) -> None:
    if target.exists() and not target.is_dir():
        raise AuthoringError(f"{target} existe et n'est pas un dossier.")
    if target.is_dir():
        others = sorted(p.name for p in target.iterdir() if p.name != ".git")
        if others:
            shown = ", ".join(others[:5]) + (" …" if len(others) > 5 else "")
            raise AuthoringError(
                f"{target} n'est pas vide ({shown}) : gqrec init ne crée un dépôt que dans un dossier vide "
                "(ou qui ne contient que .git)."
            )


def _git_init(target: Path) -> bool:
    """`git init` unless target already is a repository or git is not installed."""
    if (target / ".git").exists():
        return False
    try:
        done = subprocess.run(["git", "init", "--quiet", str(target)], capture_output=True, check=False)
    except FileNotFoundError:
        return False
    return done.returncode == 0


def _json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _records(region: str) -> dict[str, str]:
    """The example records, relative to the records root; together they pass `gqrec check`."""
    coordinator = EXAMPLE_COORDINATOR
    return {
        path_of("region", region): _region(region, coordinator),
        path_of("territory", region, EXAMPLE_TERRITORY): record_text(
            "territory",
            {"name": "Mon territoire", "setting": "rural", "general_practitioners": 20},
            "Territoire d'exemple : renommez le fichier et donnez le nombre réel de généralistes libéraux.",
        ),
        path_of("physician", region, coordinator): record_text(
            "physician",
            {"name": "Dr Prénom Nom (coordonnateur, à remplacer)", "territory": EXAMPLE_TERRITORY},
            "Médecin coordonnateur de la région : le nom du fichier est son numéro RPPS (à remplacer).",
        ),
    }


def _region(region: str, coordinator: str) -> str:
    document = region_document("Ma région", "Association régionale des Groupes Qualité", coordinator)
    heading = (f"Région d'exemple : renommez le dossier {region_folder(region)}/ et remplacez les valeurs.\n"
               "Le coordonnateur est un médecin de la région (physicians/<rpps>.yaml).")
    return render("region", document, heading)


PRE_COMMIT_REPO = """\
# Vérifications avant chaque commit : une fois dans ce dépôt, `pip install pre-commit` puis
# `pre-commit install`. gqrec-fmt met les registres en forme, gqrec-check les vérifie. pre-commit
# installe gqrec depuis son dépôt git à ce commit ; `gqrec init --upgrade` passe à un commit plus récent.
repos:
  - repo: {source}
    rev: {rev}
    hooks:
      - id: gqrec-fmt
      - id: gqrec-check
"""

WORKFLOW = """\
# Vérification des registres à chaque pull request (et sur la branche principale) : les constats de
# gqrec s'affichent sur les lignes concernées de la pull request.
name: gqrec
on:
  pull_request:
  push:  # la branche principale aussi : le code scanning compare une pull request à l'analyse de sa base
    branches: [main]
  workflow_dispatch:
permissions:
  contents: read
{permissions}jobs:
  check:
    name: Registres conformes au cahier des charges
    runs-on: ubuntu-latest
    env:
      # la clé des retours d'information, secret du dépôt (Settings > Secrets) : elle ouvre les fichiers
      # de retour chiffrés ; sans elle, un seul avertissement GQ120 (docs/feedback.md de gqrec)
      GQREC_FEEDBACK_KEY: ${{{{ secrets.GQREC_FEEDBACK_KEY }}}}
    steps:
      - uses: actions/checkout@v4
        with:
          # tout l'historique : GQ116 (date du commit d'un compte rendu) et --changed-since le lisent
          fetch-depth: 0
{steps}      - name: Vérifier la mise en forme
        if: ${{{{ !cancelled() }}}}
        run: gqrec fmt --check
"""

ACTION_STEPS = """\
      - name: Vérifier les registres
        uses: {action}
        with:
          format: github
{sarif}"""

ACTION_SARIF = """\
          sarif: "true"
"""

PIP_STEPS = """\
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Installer gqrec
        run: python -m pip install {install}
{sarif}      - name: Vérifier les registres
        run: gqrec check --format github
"""

CODE_SCANNING_PERMISSIONS = """\
  security-events: write  # envoi des constats au code scanning (SARIF)
  actions: read
"""

CODE_SCANNING_STEPS = """\
      - name: Constats au format SARIF
        # code 1 (des erreurs) est attendu ici : c'est l'étape suivante qui fait échouer la vérification
        run: gqrec check --format sarif > gqrec.sarif || [ $? -eq 1 ]
      - name: Envoyer les constats au code scanning
        uses: github/codeql-action/upload-sarif@v3
        with:
          sarif_file: gqrec.sarif
          category: gqrec
"""

GITLAB_CI = """\
# Vérification des registres à chaque push et merge request : les constats de gqrec
# s'affichent dans la merge request (rapport de tests JUnit et rapport Code Quality).
gqrec:
  image: python:3.12
  variables:
    GIT_DEPTH: "0"  # tout l'historique : GQ116 et --changed-since le lisent
  # la clé des retours d'information : variable masquée et protégée GQREC_FEEDBACK_KEY du projet
  # (Settings > CI/CD > Variables) ; elle ouvre les fichiers de retour chiffrés (sinon, GQ120)
  script:
    - python -m pip install {install}
    # code 1 (des erreurs) est attendu pour les rapports : c'est « gqrec check » qui fait échouer le job
    - gqrec check --format gitlab > gl-code-quality-report.json || [ $? -eq 1 ]
    - gqrec check --format junit > gqrec-junit.xml || [ $? -eq 1 ]
    - gqrec check
    - gqrec fmt --check
  artifacts:
    when: always
    reports:
      codequality: gl-code-quality-report.json
      junit: gqrec-junit.xml
"""

CI_README = {
    "github": "Sur GitHub, `.github/workflows/gqrec.yml` lance `gqrec check` sur chaque pull request et "
              "affiche\n  les constats sur les lignes concernées.",
    "gitlab": "Sur GitLab, `.gitlab-ci.yml` lance `gqrec check` à chaque push : les constats s'affichent dans "
              "la\n  merge request (rapport de tests et Code Quality).",
}

README = """\
# Registres des Groupes Qualité

Ce dépôt tient les registres d'un programme Groupes Qualité : un fichier YAML par médecin, groupe,
réunion, contrat, programme… dans `{records}/`. gqrec les vérifie contre le cahier des charges.
La bibliothèque nationale (thèmes avec leur dossier documentaire, dans `{records}/{themes}/`, et
indicateurs de suivi, dans `{records}/{indicators}/`) est déjà là : un programme peut être validé dès le
premier jour.

```sh
pip install {install}   # une fois
gqrec check                           # vérifie tous les registres
```

## Premier groupe, pas à pas

Le premier groupe se prépare pour l'année qui vient ({year}) : tout s'écrit d'avance, et les
réunions restent prévues jusqu'à leur appel.

Un groupe nomme son territoire et ses médecins, un contrat nomme son groupe, une réunion demande le
programme validé de l'année et le contrat de chaque présent : les registres se créent donc dans cet
ordre, **territoire → médecins → groupe → contrats → programme → réunions**. Chaque commande crée un
fichier commenté au bon endroit (le dépôt n'a qu'une région, `{region}` : `--region` peut être omis).
Les numéros RPPS ci-dessous sont fictifs, avec une clé de contrôle valide : remplacez-les par les vrais,
comme les noms.

1. Le territoire du groupe et son nombre de médecins généralistes libéraux :

   ```sh
   gqrec new territory --id pays-de-la-riviere --name "Pays de la rivière" --setting rural --general-practitioners 18
   ```

2. Les médecins : l'animateur, formé avant de prendre ses fonctions, puis les dix membres :

   ```sh
   ANIMATEUR={animator}
   MEMBRES="{members}"
   gqrec new physician --rpps $ANIMATEUR --name "Dr Anne Animatrice" --territory pays-de-la-riviere --animator-trained {trained}
   for rpps in $MEMBRES; do
     gqrec new physician --rpps $rpps --name "Dr Membre $rpps" --territory pays-de-la-riviere
   done
   ```

3. Le groupe, son animateur et ses membres (chacun avec sa période, modifiable ensuite) :

   ```sh
   gqrec new group --id mon-groupe --name "Groupe Qualité de la rivière" --territory pays-de-la-riviere --constituted {year}-01-06 --wave 1 --animator $ANIMATEUR --member "$MEMBRES"
   ```

4. Les contrats de l'année, pour tout le groupe d'un coup (même commande chaque année pour les renouveler) :

   ```sh
   gqrec new contract --group mon-groupe --all-members --year {year} --signed {year}-01-06
   ```

5. Le programme de l'année, validé par le COPIL, avec des thèmes de la bibliothèque :

   ```sh
   gqrec new programme --year {year} --validated {year}-01-06 --theme asthme-adulte --theme diabete-type-2 --theme hypertension-arterielle --theme cystite-aigue-simple --theme lombalgie-commune --theme angine-antibiotiques
   ```

6. Les dix réunions de l'année, dont une de restitution du retour d'information, écrites d'avance :
   chacune est **prévue** (`status: planned`), sans appel ; elle ne compte nulle part (bilan, indemnités,
   attestations) avant que son appel soit enregistré :

   ```sh
   gqrec new meeting --group mon-groupe --date {year}-01-20 --theme asthme-adulte
   gqrec new meeting --group mon-groupe --date {year}-02-17 --theme diabete-type-2
   gqrec new meeting --group mon-groupe --date {year}-03-17 --theme hypertension-arterielle
   gqrec new meeting --group mon-groupe --date {year}-04-14 --theme cystite-aigue-simple
   gqrec new meeting --group mon-groupe --date {year}-05-12 --theme lombalgie-commune
   gqrec new meeting --group mon-groupe --date {year}-06-16 --theme angine-antibiotiques
   gqrec new meeting --group mon-groupe --date {year}-09-08 --period {year}-S1
   gqrec new meeting --group mon-groupe --date {year}-09-29 --theme asthme-adulte
   gqrec new meeting --group mon-groupe --date {year}-10-13 --theme diabete-type-2
   gqrec new meeting --group mon-groupe --date {year}-11-17 --theme hypertension-arterielle
   gqrec check
   ```

7. Après chaque réunion, son appel : nommez les absents (les autres membres actifs ce jour-là sont
   marqués présents), ou les présents (`--present`), ou `--none-absent` ; la réunion passe en
   `status: held`. Un appel oublié plus de 30 jours est signalé (GQ123) ; une réunion annulée s'écrit
   `status: cancelled` avec sa raison (`reason`).

   ```
   gqrec roll-call --group mon-groupe --date {year}-01-20 --absent {first_member}
   ```

## Au quotidien

```sh
gqrec check                           # vérifie tous les registres ; gqrec check --summary pour un résumé
gqrec new meeting --group mon-groupe --date {year}-12-08 --theme cystite-aigue-simple
gqrec fmt                             # met les fichiers en forme (commentaires conservés)
gqrec rule GQ105                      # explique une règle
```

`gqrec new` crée un fichier prêt à remplir au bon endroit (région, territoire, médecin, groupe, contrat,
programme, réunion, thème, indicateur) ; `gqrec new TYPE --help` donne les options.

## Avant chaque commit, et sur chaque pull request

- `pip install pre-commit` puis `pre-commit install` : chaque commit met en forme et vérifie les
  registres (`.pre-commit-config.yaml`).
- {ci}

## Dans l'éditeur

Avec VS Code et l'extension YAML de Red Hat (proposée à l'ouverture du dossier), les champs sont
complétés et les erreurs soulignées pendant la saisie : `.vscode/settings.json` associe chaque
emplacement à son schéma (`.gqrec/schema/`, à rafraîchir avec `gqrec schema --out .gqrec/schema`).

## Disposition des registres

```
{layout}
```

La région d'exemple (`{records}/{region_folder}/`) est à renommer et à compléter.
"""
