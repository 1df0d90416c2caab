"""`gqrec init`: a records repository a coordinator can use the same day.

The records live in `records/` (gqrec's default root, so `gqrec check` needs no argument there) with a
commented federation.yaml and one example region that passes the checks. Around them: a pre-commit
configuration using gqrec's own hooks, a GitHub Actions workflow that annotates pull requests, VS Code
settings mapping each layout glob to its schema, and a French README.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml.comments import CommentedMap

from .. import __version__
from ..charter import DEFAULTS
from ..ids import luhn_digit
from ..layout import DEFAULT_ROOT, LAYOUT_FR, path_of
from . import AuthoringError
from .editor import VSCODE_EXTENSIONS, export_schemas, vscode_settings
from .skeletons import build, record_text, render
from .yamlio import append_lines

GQREC_SOURCE = "https://github.com/gqrec/gqrec"  # where CI and pre-commit fetch gqrec; `init --source` changes it
SCHEMA_COPY = ".gqrec/schema"
EXAMPLE_REGION = "ma-region"
EXAMPLE_TERRITORY = "mon-territoire"
EXAMPLE_COORDINATOR = "1000000000" + luhn_digit("1000000000")  # a placeholder RPPS with a right check digit

CHARTER_COMMENTS = {
    "group_size": "membres actifs d'un groupe à chaque réunion, bornes comprises (GQ101)",
    "meetings_per_year": "réunions par année civile entière d'activité, une par mois environ (GQ102)",
    "meeting_minutes_min": "durée minimale d'une réunion en minutes ; environ 2 heures prévues (GQ111)",
    "territory_coverage_min": "part des généralistes du territoire membres du groupe : la majorité (GQ105)",
    "feedback_period": "retour d'information : semester (semestriel) ou trimester (trimestriel) (GQ113)",
    "animator_max_groups": "groupes qu'un même animateur peut animer en même temps (GQ114)",
}
CHARTER_HINTS = "".join(
    f"{line:<36}# {comment}\n" for line, comment in [
        ("  # minutes_within_days: 90", "délai en jours pour enregistrer le compte rendu d'une réunion (GQ116)"),
        ("  # rules: {GQ111: warning}", "gravité d'une règle : error, warning ou off"),
    ]
)
REGION_HINTS = (
    f"{'# charter:':<32}# valeurs régionales qui remplacent la charte nationale, par ex. :\n"
    "#   group_size: {min: 10, max: 12}\n"
)

@dataclass(frozen=True)
class Created:
    """What init wrote (paths relative to the new repository) and whether it ran `git init`."""

    root: Path
    files: tuple[str, ...]
    git_initialised: bool


def init_repository(target: Path, *, region: str = EXAMPLE_REGION, source: str = GQREC_SOURCE,
                    rev: str | None = None) -> Created:
    """Lay out a new records repository in target, which must be absent, empty, or hold only `.git`."""
    _refuse_unless_empty(target)
    rev = rev or f"v{__version__}"
    records = DEFAULT_ROOT
    files = {f"{records}/{path}": text for path, text in _records(region).items()}
    files[".pre-commit-config.yaml"] = PRE_COMMIT_CONFIG.format(source=source, rev=rev)
    files[".github/workflows/gqrec.yml"] = WORKFLOW.format(source=source, rev=rev)
    files[".vscode/settings.json"] = _json(vscode_settings(records, SCHEMA_COPY))
    files[".vscode/extensions.json"] = _json(VSCODE_EXTENSIONS)
    files["README.md"] = README.format(records=records, region=region, layout=LAYOUT_FR, source=source)
    target.mkdir(parents=True, exist_ok=True)
    for relative, text in files.items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    schemas = [p.relative_to(target).as_posix() for p in export_schemas(target / SCHEMA_COPY)]
    return Created(target, tuple(sorted([*files, *schemas])), _git_init(target))


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
        path_of("federation"): _federation(),
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


def _federation() -> str:
    charter = {key: value for key, value in DEFAULTS.items() if value is not None}
    group_size = CommentedMap(charter["group_size"])
    group_size.fa.set_flow_style()
    charter["group_size"] = group_size
    document = build("federation", {"name": "Fédération des Groupes Qualité", "charter": charter})
    for key, comment in CHARTER_COMMENTS.items():
        document["charter"].yaml_add_eol_comment(f"# {comment}", key, column=36)
    append_lines(document["charter"], list(document["charter"])[-1], CHARTER_HINTS)
    heading = ("Fédération nationale : les valeurs du cahier des charges appliquées dans toutes les régions.\n"
               "Une région peut en remplacer certaines dans la clé « charter » de son region.yaml.")
    return render("federation", document, heading)


def _region(region: str, coordinator: str) -> str:
    document = build("region", {
        "name": "Ma région",
        "association": {"name": "Association régionale des Groupes Qualité", "legal_form": "association loi 1901"},
        "partners": [
            {"name": "URPS médecins libéraux", "role": "urps"},
            {"name": "Agence régionale de santé", "role": "ars"},
            {"name": "Assurance Maladie", "role": "assurance-maladie"},
        ],
        "coordinator": coordinator,
    })
    append_lines(document, "coordinator", REGION_HINTS)
    heading = (f"Région d'exemple : renommez le dossier regions/{region}/ et remplacez les valeurs.\n"
               "Le coordonnateur est un médecin de la région (physicians/<rpps>.yaml).")
    return render("region", document, heading)


PRE_COMMIT_CONFIG = """\
# Vérifications avant chaque commit : une fois dans ce dépôt, `pip install pre-commit` puis
# `pre-commit install`. gqrec-fmt met les registres en forme, gqrec-check les vérifie.
repos:
  - repo: {source}
    rev: {rev}
    hooks:
      - id: gqrec-fmt
      - id: gqrec-check
"""

WORKFLOW = """\
# Vérification des registres à chaque pull request : les constats de gqrec s'affichent
# sur les lignes concernées de la pull request.
name: gqrec
on:
  pull_request:
  workflow_dispatch:
permissions:
  contents: read
jobs:
  check:
    name: Registres conformes au cahier des charges
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Installer gqrec
        run: python -m pip install "gqrec @ git+{source}@{rev}"
      - name: Vérifier les registres
        run: gqrec check --format github
      - name: Vérifier la mise en forme
        if: ${{{{ !cancelled() }}}}
        run: gqrec fmt --check
"""

README = """\
# Registres des Groupes Qualité

Ce dépôt tient les registres d'un programme Groupes Qualité : un fichier YAML par médecin, groupe,
réunion, contrat, programme… dans `{records}/`. [gqrec]({source}) les vérifie contre le cahier des
charges.

## Au quotidien

```sh
pip install "gqrec @ git+{source}"   # une fois
gqrec check                           # vérifie tous les registres
gqrec new meeting --region {region} --group mon-groupe --date 2024-03-12 --theme asthme-adulte
gqrec fmt                             # met les fichiers en forme (commentaires conservés)
gqrec rule GQ105                      # explique une règle
```

`gqrec new` crée un fichier prêt à remplir au bon endroit (médecin, territoire, groupe, réunion,
contrat, programme, thème) ; pour une réunion, l'appel est pré-rempli avec les membres actifs du
groupe ce jour-là. `gqrec new KIND --help` donne les options.

## Avant chaque commit, et sur chaque pull request

- `pip install pre-commit` puis `pre-commit install` : chaque commit met en forme et vérifie les
  registres (`.pre-commit-config.yaml`).
- Sur GitHub, `.github/workflows/gqrec.yml` lance `gqrec check` sur chaque pull request et affiche
  les constats sur les lignes concernées.

## Dans l'éditeur

Avec VS Code et l'extension YAML de Red Hat (proposée à l'ouverture du dossier), les champs sont
complétés et les erreurs soulignées pendant la saisie : `.vscode/settings.json` associe chaque
emplacement à son schéma (`.gqrec/schema/`, à rafraîchir avec `gqrec schema --out .gqrec/schema`).

## Disposition des registres

```
{layout}
```

La région d'exemple (`{records}/regions/{region}/`) est à renommer et à compléter.
"""
