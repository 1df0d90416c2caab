"""`gqrec init`, `gqrec new`, `gqrec schema` and the hooks: what a coordinator gets is valid and passes the checks."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path, PurePosixPath

import pytest
from click.testing import CliRunner
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from ruamel.yaml import YAML
from referencing.jsonschema import DRAFT7

from world import ANIMATOR, COORDINATOR, MEMBERS, OUTSIDER, World, meeting_path, rpps
from gqrec.cli import cli
from gqrec.layout import Place, classify, path_of
from gqrec.parse import decode, parse_yaml
from gqrec.schemas import schema_files, violations
from test_git import IDENTITY, git

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def git_identity(monkeypatch):
    for key, value in IDENTITY.items():
        monkeypatch.setenv(key, value)


def gqrec(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def valid_record(root: Path, rel: str) -> None:
    """The file is where the layout expects it and passes its kind's schema (no GQ001/GQ002/GQ003)."""
    place = classify(rel)
    assert isinstance(place, Place), place
    document = parse_yaml(decode((root / rel).read_bytes()))
    assert list(violations(place.kind, document)) == []


# -- init -------------------------------------------------------------------------------------------------

@pytest.fixture
def fresh(tmp_path, gqrec_source) -> Path:
    target = tmp_path / "registres"
    result = gqrec("init", str(target), "--source", gqrec_source)
    assert result.exit_code == 0, result.output
    return target


def test_init_lays_out_a_repository_that_passes_check(fresh, monkeypatch):
    for rel in ("records/federation.yaml", "records/regions/ma-region/region.yaml", ".pre-commit-config.yaml",
                ".github/workflows/gqrec.yml", ".vscode/settings.json", "README.md", ".gqrec/schema/meeting.schema.json"):
        assert (fresh / rel).is_file(), rel
    assert (fresh / ".git").is_dir()
    monkeypatch.chdir(fresh)
    result = gqrec("check")  # records/ is the default root: no argument needed
    assert result.exit_code == 0, result.output
    assert gqrec("fmt", "--check").exit_code == 0  # written the way fmt writes


def test_init_federation_comments_every_charter_key(fresh):
    text = (fresh / "records/federation.yaml").read_text(encoding="utf-8")
    charter = parse_yaml(text).data["charter"]
    assert charter["group_size"] == {"min": 10, "max": 15} and charter["meetings_per_year"] == 10
    for key in charter:
        line = next(line for line in text.splitlines() if line.strip().startswith(f"{key}:"))
        assert "# " in line, line
    assert "# minutes_within_days:" in text  # the optional key, shown commented out


def test_init_example_region_has_its_coordinator_and_territory(fresh):
    records = fresh / "records"
    region = parse_yaml((records / "regions/ma-region/region.yaml").read_text(encoding="utf-8")).data
    assert region["association"]["name"] and {p["role"] for p in region["partners"]} >= {"urps", "ars"}
    coordinator = f"regions/ma-region/physicians/{region['coordinator']}.yaml"
    valid_record(records, coordinator)
    territory = parse_yaml((records / coordinator).read_text(encoding="utf-8")).data["territory"]
    valid_record(records, f"regions/ma-region/territories/{territory}.yaml")
    assert f'coordinator: "{region["coordinator"]}"' in (records / "regions/ma-region/region.yaml").read_text("utf-8")


def test_init_refuses_a_folder_that_is_not_empty(tmp_path, gqrec_source):
    target = tmp_path / "occupé"
    target.mkdir()
    (target / "notes.txt").write_text("à garder", encoding="utf-8")
    result = gqrec("init", str(target), "--source", gqrec_source)
    assert result.exit_code == 2
    assert "n'est pas vide" in result.output
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]


def test_init_accepts_a_clone_of_an_empty_repository(tmp_path, gqrec_source):
    target = tmp_path / "clone"
    target.mkdir()
    git(target, "init", "-q")
    head = (target / ".git" / "HEAD").read_text()
    assert gqrec("init", str(target), "--source", gqrec_source).exit_code == 0
    assert (target / ".git" / "HEAD").read_text() == head  # its repository, not a new one
    assert (target / "records/federation.yaml").is_file()


def test_init_then_new_records_then_check_passes(fresh, monkeypatch):
    """The coordinator's first day: init, commit, then each record through `gqrec new`, then check."""
    git(fresh, "add", "-A")
    git(fresh, "commit", "-q", "-m", "gqrec init")
    monkeypatch.chdir(fresh)
    region = ["--region", "ma-region"]
    animator, members = rpps(1), [rpps(10 + i) for i in range(10)]

    def new(*args):
        result = gqrec("new", *args)
        assert result.exit_code == 0, result.output
        return result

    new("territory", *region, "--id", "lamballe", "--name", "Lamballe", "--setting", "rural",
        "--general-practitioners", "14", "--commune", "22093")
    new("physician", *region, "--rpps", animator, "--name", "Dr Anne Animatrice", "--territory", "lamballe",
        "--animator-trained", "2023-06-01")
    for number, member in enumerate(members):
        new("physician", *region, "--rpps", member, "--name", f"Dr Membre {number}", "--territory", "lamballe")
    new("theme", "--id", "asthme-enfant", "--title", "Asthme de l'enfant", "--indicator", "asthme-enfant-corticoide")
    new("indicator", "--id", "asthme-enfant-corticoide", "--title", "Corticoïde inhalé chez l'enfant asthmatique",
        "--theme", "asthme-enfant", "--numerator", "enfants avec au moins un corticoïde inhalé",
        "--denominator", "enfants avec au moins trois bronchodilatateurs", "--better", "higher")
    records = World(fresh / "records")
    theme = "themes/asthme-enfant.yaml"  # the author completes the draft before it enters a programme
    records.edit(theme, "false", "true", count=4)
    records.edit(theme, "problem: ''", "problem: L'asthme reste mal contrôlé chez beaucoup d'adultes.")
    records.edit(theme, "key_messages: []", "key_messages: [Un corticoïde inhalé pour tout asthme persistant.]")
    records.edit(theme, "references: []", "references: [{title: Guide du parcours asthme, publisher: HAS}]")
    new("group", *region, "--id", "lamballe", "--name", "Groupe Qualité de Lamballe", "--territory", "lamballe",
        "--constituted", "2024-01-01", "--wave", "1", "--animator", animator,
        *[arg for member in members for arg in ("--member", member)])
    new("programme", *region, "--year", "2024", "--validated", "2023-12-15", "--theme", "asthme-enfant")
    new("contract", *region, "--rpps", animator, "--group", "lamballe", "--signed", "2024-01-05", "--role", "animator")
    for member in members:
        new("contract", *region, "--rpps", member, "--group", "lamballe", "--signed", "2024-01-05")
    new("meeting", *region, "--group", "lamballe", "--date", "2024-03-12", "--theme", "asthme-enfant")
    meeting = parse_yaml(records.read("regions/ma-region/groups/lamballe/meetings/2024-03-12.yaml")).data
    assert meeting["animator"] == animator and meeting["status"] == "planned" and "present" not in meeting
    called = gqrec("roll-call", *region, "--group", "lamballe", "--date", "2024-03-12", "--absent", members[0],
                   "--as-of", "2024-06-01")
    assert called.exit_code == 0, called.output

    meeting = parse_yaml(records.read("regions/ma-region/groups/lamballe/meetings/2024-03-12.yaml")).data
    assert meeting["present"] == members[1:] and meeting["absent"] == members[:1] and meeting["status"] == "held"
    result = gqrec("check", "--as-of", "2024-06-01", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []
    assert gqrec("fmt", "--check").exit_code == 0
    result = gqrec("check", "--as-of", "2024-06-01", "--changed-since", "HEAD")
    assert result.exit_code == 0, result.output


# -- new --------------------------------------------------------------------------------------------------

KINDS = {
    "physician": (["--region", "armor", "--rpps", rpps(50), "--name", "Dr Nouveau", "--territory", "lamballe",
                   "--animator-trained", "2024-02-01"], f"regions/armor/physicians/{rpps(50)}.yaml"),
    "territory": (["--region", "armor", "--id", "dinan", "--name", "Dinan", "--setting", "urban",
                   "--general-practitioners", "30", "--commune", "22050", "--commune", "02691"],
                  "regions/armor/territories/dinan.yaml"),
    "group": (["--region", "armor", "--id", "dinan", "--name", "GQ de Dinan", "--territory", "lamballe",
               "--constituted", "2024-09-01", "--animator", ANIMATOR, "--member", OUTSIDER, "--member", MEMBERS[0]],
              "regions/armor/groups/dinan/group.yaml"),
    "meeting": (["--region", "armor", "--group", "lamballe", "--date", "2024-07-09", "--theme", "asthme-adulte"],
                meeting_path("2024-07-09")),
    "feedback meeting": (["--region", "armor", "--group", "lamballe", "--date", "2024-07-02", "--period", "2024-S1",
                          "--duration", "90"], meeting_path("2024-07-02")),
    "contract": (["--region", "armor", "--rpps", OUTSIDER, "--group", "lamballe", "--signed", "2024-12-20",
                  "--year", "2025"], f"regions/armor/contracts/2025/{OUTSIDER}.yaml"),
    "programme": (["--region", "armor", "--year", "2025", "--validated", "2024-12-10", "--theme", "asthme-adulte"],
                  "regions/armor/programmes/2025.yaml"),
    "theme": (["--id", "cystite-aigue", "--title", "Cystite aiguë simple de la femme"], "themes/cystite-aigue.yaml"),
    "indicator": (["--id", "cystite-ecbu", "--title", "Cystites simples traitées avec ECBU", "--theme", "asthme-adulte",
                   "--numerator", "patientes avec ECBU", "--denominator", "patientes traitées", "--better", "lower",
                   "--source", "SNDS"], "indicators/cystite-ecbu.yaml"),
    "region": (["--id", "iroise", "--name", "Iroise", "--association", "APIMED Iroise", "--coordinator", COORDINATOR],
               "regions/iroise/region.yaml"),
}


@pytest.mark.parametrize("label", KINDS)
def test_new_writes_a_valid_commented_record_at_its_place(world, label):
    args, rel = KINDS[label]
    kind = label.split()[-1]
    result = world.invoke("new", kind, "--root", str(world.root), *args)
    assert result.exit_code == 0, result.output
    assert rel in result.output
    valid_record(world.root, rel)
    text = world.read(rel)
    assert text.startswith("# ")  # a heading says what the file is
    keys = [line for line in text.splitlines() if line[:1].isalpha()]
    assert keys and all(" # " in line for line in keys), keys  # each field commented with its French title
    values = [line.split(" #")[0] for line in text.splitlines() if not line.startswith("#")]
    assert not [v for v in values if re.search(r'(?<!")\b[0-9]{11}\b', v)], values  # RPPS always quoted
    for number in (arg for arg in args if re.fullmatch("[0-9]{11}", arg) and arg not in rel):
        assert f'"{number}"' in text
    assert world.invoke("fmt", "--root", str(world.root), "--check").exit_code == 0


def test_every_kind_of_the_table_is_authored_by_new_or_said_not_to_be():
    """`gqrec new` offers the kinds of the kind table that have an authoring entry, and only them; the
    others say why not; each entry's fields are parameters of its skeleton, in a form the command parses."""
    import inspect

    from gqrec import kinds
    from gqrec.authoring import new, skeletons
    from gqrec.commands.authoring import FORMS

    assert set(new.ENTRIES) | set(new.NOT_AUTHORED) == set(kinds.KINDS)
    assert not set(new.ENTRIES) & set(new.NOT_AUTHORED) and all(new.NOT_AUTHORED.values())
    shown = CliRunner().invoke(cli, ["new", "--help"], terminal_width=200).output
    assert f"(TYPE : {', '.join(new.ENTRIES)})" in shown
    listed = shown.split("Commandes :")[1].split()
    assert [kind for kind in kinds.KINDS if kind in listed] == [kind for kind in kinds.KINDS if kind in new.ENTRIES]
    assert {label.split()[-1] for label in KINDS} == set(new.ENTRIES)  # each one writes a valid record above
    for kind, entry in new.ENTRIES.items():
        parameters = inspect.signature(getattr(skeletons, entry.skeleton)).parameters
        assert {field.param for field in entry.fields} <= set(parameters) - {"root"}, kind
        assert all(field.form in FORMS for field in entry.fields), kind


def test_a_kind_added_to_the_table_with_an_entry_is_offered_by_new(tmp_path, monkeypatch):
    from gqrec import kinds
    from gqrec.authoring import new, skeletons

    monkeypatch.setitem(kinds.KINDS, "toy", kinds.Kind("toy", "toys/{id}.yaml", "<jouet>", "Toy", "toys"))
    monkeypatch.setitem(new.ENTRIES, "toy", new.Entry(
        "Jouet : {path}.", (new.Field("--id", "id", "Identifiant du jouet.", required=True),), "toy"))
    monkeypatch.setattr(skeletons, "toy", lambda root, *, id: skeletons.Draft("toy", path_of("toy", id=id),
                                                                              "name: x\n"), raising=False)
    shown = CliRunner().invoke(cli, ["new", "--help"], terminal_width=200).output
    assert "toy" in shown.split("Commandes :")[1] and "Jouet : toys/<jouet>.yaml." in shown
    assert "indicator, toy)" in shown
    assert "--id TEXTE" in CliRunner().invoke(cli, ["new", "toy", "--help"]).output
    root = tmp_path / "records"
    root.mkdir()
    (root / "federation.yaml").write_text("name: x\n", encoding="utf-8")
    made = CliRunner().invoke(cli, ["new", "toy", "--root", str(root), "--id", "balle"])
    assert made.exit_code == 0, made.output
    assert (root / "toys/balle.yaml").read_text(encoding="utf-8") == "name: x\n"
    again = CliRunner().invoke(cli, ["new", "toy", "--root", str(root), "--id", "balle"])
    assert again.exit_code == 2 and "gqrec new toy : toys/balle.yaml existe déjà" in again.output


def test_new_meeting_plans_it_without_a_roll_call(world):
    """No one is marked present before the coordinator names the roll call (`gqrec roll-call`)."""
    result = world.invoke("new", "meeting", "--root", str(world.root), "--region", "armor", "--group", "lamballe",
                          "--date", "2024-07-09", "--theme", "asthme-adulte")
    assert result.exit_code == 0, result.output
    text = world.read(meeting_path("2024-07-09"))
    data = parse_yaml(text).data
    assert data["status"] == "planned" and "present" not in data and "absent" not in data
    assert data["animator"] == ANIMATOR and data["theme"] == "asthme-adulte"
    assert "gqrec roll-call --group lamballe --date 2024-07-09" in text
    findings = [f for f in world.check(as_of="2024-07-20").findings if f["path"] == meeting_path("2024-07-09")]
    assert findings == []  # animator, programme: all right; no roll call to judge yet


def test_new_group_names_each_physician_after_their_rpps(world):
    result = world.invoke("new", "group", "--root", str(world.root), "--id", "dinan", "--name", "GQ de Dinan",
                          "--territory", "lamballe", "--constituted", "2024-09-01", "--animator", ANIMATOR,
                          "--member", f"{MEMBERS[0]},{MEMBERS[1]}")  # --region left out: the world has one region
    assert result.exit_code == 0, result.output
    text = world.read("regions/armor/groups/dinan/group.yaml")
    assert re.search(rf'- physician: "{ANIMATOR}" +# Dr ', text)
    assert all(re.search(rf'- physician: "{m}" +# Dr Médecin', text) for m in MEMBERS[:2])  # like a meeting's roll call
    assert [t["physician"] for t in parse_yaml(text).data["members"]] == MEMBERS[:2]


def test_region_may_be_left_out_only_when_there_is_one(world):
    args = ["new", "territory", "--root", str(world.root), "--id", "dinan", "--name", "Dinan", "--setting", "urban",
            "--general-practitioners", "30"]
    assert world.invoke(*args).exit_code == 0
    assert (world.root / "regions/armor/territories/dinan.yaml").is_file()
    world.write("regions/iroise/region.yaml", "name: Iroise\n")
    result = world.invoke(*args[:5], "rance", *args[6:])
    assert result.exit_code == 2 and "Plusieurs régions (armor, iroise)" in result.output and "--region" in result.output


def test_new_contract_for_all_members_renews_a_group(world):
    """The world's 2024 contracts exist; --all-members writes the 2025 ones: the members and the animator."""
    result = world.invoke("new", "contract", "--root", str(world.root), "--group", "lamballe", "--all-members",
                          "--year", "2025", "--signed", "2024-12-15")
    assert result.exit_code == 0, result.output
    written = sorted(p.stem for p in (world.root / "regions/armor/contracts/2025").glob("*.yaml"))
    assert written == sorted(MEMBERS + [ANIMATOR])
    assert parse_yaml(world.read(f"regions/armor/contracts/2025/{ANIMATOR}.yaml")).data["role"] == "animator"
    member = parse_yaml(world.read(f"regions/armor/contracts/2025/{MEMBERS[0]}.yaml")).data
    assert member == {"signed": "2024-12-15", "group": "lamballe"}
    again = world.invoke("new", "contract", "--root", str(world.root), "--group", "lamballe", "--all-members",
                         "--year", "2025", "--signed", "2024-12-15")
    assert again.exit_code == 0 and "Rien à créer" in again.output  # existing contracts are never replaced
    both = world.invoke("new", "contract", "--root", str(world.root), "--group", "lamballe", "--all-members",
                        "--rpps", ANIMATOR, "--signed", "2024-12-15")
    assert both.exit_code == 2


def test_new_theme_asks_for_an_indicator_rather_than_calling_it_optional(world):
    result = world.invoke("new", "theme", "--root", str(world.root), "--id", "bronchiolite", "--title", "Bronchiolite")
    assert result.exit_code == 0, result.output
    heading = "".join(line for line in world.read("themes/bronchiolite.yaml").splitlines() if line.startswith("#"))
    assert "indicateur" in heading and "GQ109" in heading
    assert "facultatifs : indicators" not in heading and "indicators (" not in heading


def test_init_ships_the_national_library(fresh):
    """The themes (with their dossiers) and indicators of the sample records, the very same files."""
    for folder in ("themes", "indicators"):
        shipped = {p.name: p.read_bytes() for p in (fresh / "records" / folder).glob("*.yaml")}
        sample = {p.name: p.read_bytes() for p in (REPO / "records" / folder).glob("*.yaml")}
        assert shipped == sample and len(shipped) >= 10


def test_new_refuses_to_overwrite(world):
    rel = meeting_path("2024-03-12")
    before = world.read(rel)
    result = world.invoke("new", "meeting", "--root", str(world.root), "--region", "armor", "--group", "lamballe",
                          "--date", "2024-03-12", "--theme", "asthme-adulte")
    assert result.exit_code == 2
    assert "existe déjà" in result.output
    assert world.read(rel) == before


@pytest.mark.parametrize("args,words", [
    (["physician", "--region", "armor", "--rpps", "10000000018", "--name", "X", "--territory", "lamballe"], "Luhn"),
    (["physician", "--region", "armor", "--rpps", "123", "--name", "X", "--territory", "lamballe"], "RPPS"),
    (["territory", "--region", "armor", "--id", "Pays Bigouden", "--name", "X", "--setting", "rural",
      "--general-practitioners", "3"], "identifiant"),
    (["meeting", "--region", "armor", "--group", "inconnu", "--date", "2024-07-09", "--theme", "asthme-adulte"],
     "introuvable"),
    (["meeting", "--region", "armor", "--group", "lamballe", "--date", "2024-07-09"], "--theme"),
    (["meeting", "--region", "armor", "--group", "lamballe", "--date", "2024-02-30", "--theme", "x"], "AAAA-MM-JJ"),
    (["meeting", "--region", "armor", "--group", "lamballe", "--date", "2023-07-04", "--theme", "asthme-adulte"],
     "animateur"),
])
def test_new_refuses_what_would_not_be_a_record(world, args, words):
    before = sorted(p for p in world.root.rglob("*"))
    result = world.invoke("new", args[0], "--root", str(world.root), *args[1:])
    assert result.exit_code == 2, result.output
    assert words in result.output
    assert sorted(p for p in world.root.rglob("*")) == before


def test_new_warns_about_a_reference_still_missing(world):
    result = CliRunner().invoke(cli, ["new", "physician", "--root", str(world.root), "--region", "armor",
                                      "--rpps", rpps(51), "--name", "Dr Y", "--territory", "dinan"])
    assert result.exit_code == 0
    assert "dinan" in result.stderr and "n'existe pas encore" in result.stderr


def test_path_of_is_the_inverse_of_classify():
    cases = [
        Place("federation.yaml", "federation"),
        Place("themes/asthme-adulte.yaml", "theme", id="asthme-adulte"),
        Place("indicators/x.yaml", "indicator", id="x"),
        Place("regions/armor/region.yaml", "region", "armor", id="armor"),
        Place("regions/armor/territories/lamballe.yaml", "territory", "armor", id="lamballe"),
        Place(f"regions/armor/physicians/{ANIMATOR}.yaml", "physician", "armor", id=ANIMATOR),
        Place("regions/armor/groups/lamballe/group.yaml", "group", "armor", id="lamballe"),
        Place("regions/armor/groups/lamballe/meetings/2024-03-12.yaml", "meeting", "armor", id="2024-03-12",
              group="lamballe", year=2024),
        Place("regions/armor/programmes/2024.yaml", "programme", "armor", id="2024", year=2024),
        Place(f"regions/armor/contracts/2024/{ANIMATOR}.yaml", "contract", "armor", id=ANIMATOR, year=2024),
        Place("regions/armor/feedback/2024-S1.csv", "feedback", "armor", id="2024-S1", year=2024),
    ]
    for place in cases:
        rebuilt = path_of(place.kind, place.region, place.id, place.group, place.year)
        assert rebuilt == place.path
        assert classify(rebuilt) == place


# -- editor schemas, hooks, CI ------------------------------------------------------------------------------

def test_schema_command_writes_every_schema(tmp_path):
    out = tmp_path / "schemas"
    result = gqrec("schema", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in schema_files())


def test_editor_schemas_validate_like_ours(fresh, world):
    """The draft-07 copy written for editors accepts the compliant world and rejects what check rejects."""
    folder = fresh / ".gqrec/schema"
    resources = [(p.name, Resource.from_contents(json.loads(p.read_text("utf-8")), default_specification=DRAFT7))
                 for p in folder.glob("*.json")]
    registry = Registry().with_resources(resources)

    def errors(kind, data):
        return list(Draft7Validator({"$ref": f"{kind}.schema.json"}, registry=registry).iter_errors(data))

    for path in sorted(world.root.rglob("*.yaml")):
        place = classify(path.relative_to(world.root).as_posix())
        assert errors(place.kind, parse_yaml(path.read_text("utf-8")).data) == [], path
    assert errors("physician", {"name": "Dr X", "territory": "lamballe", "specialite": "x"})
    assert errors("meeting", {"duration_minutes": 90, "animator": 10000000017, "present": []})
    hover = json.loads((folder / "contract.schema.json").read_text("utf-8"))["properties"]["signed"]
    assert hover["title"] == "Date de signature" and hover["allOf"] == [{"$ref": "defs.schema.json#/$defs/date"}]


def test_vscode_settings_map_each_layout_glob_to_its_schema(fresh):
    settings = json.loads((fresh / ".vscode/settings.json").read_text("utf-8"))["yaml.schemas"]
    kinds = {}
    for schema, globs in settings.items():
        assert (fresh / schema).is_file(), schema
        kinds[Path(schema).name.split(".")[0]] = globs
    for path in (fresh / "records").rglob("*.yaml"):
        rel = path.relative_to(fresh).as_posix()
        kind = classify(path.relative_to(fresh / "records").as_posix()).kind
        matching = [k for k, globs in kinds.items() if any(PurePosixPath("/" + rel).match(g) for g in globs)]
        assert matching == [kind], (rel, matching)


def test_workflow_runs_check_on_pull_requests(fresh):
    workflow = YAML(typ="safe").load((fresh / ".github/workflows/gqrec.yml").read_text("utf-8"))
    assert "pull_request" in workflow["on"]
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    runs = [step.get("run", "") for step in steps]
    assert any(run.strip() == "gqrec check --format github" for run in runs), runs
    install = next(run for run in runs if "pip install" in run)
    assert "gqrec" in install
    assert any(step.get("uses", "").startswith("actions/checkout") for step in steps)


def pre_commit(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    pytest.importorskip("pre_commit", reason="pre-commit is in the test extra: pip install -e '.[test]'")
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=cwd, capture_output=True, text=True)


def test_pre_commit_accepts_the_generated_config(fresh):
    done = pre_commit("validate-config", ".pre-commit-config.yaml", cwd=fresh)
    assert done.returncode == 0, done.stdout + done.stderr
    config = parse_yaml((fresh / ".pre-commit-config.yaml").read_text("utf-8")).data
    hooks = [hook["id"] for repo in config["repos"] for hook in repo["hooks"]]
    assert "gqrec-check" in hooks


def test_pre_commit_accepts_the_project_hook_manifest():
    done = pre_commit("validate-manifest", ".pre-commit-hooks.yaml", cwd=REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    manifest = YAML(typ="safe").load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    hooks = {hook["id"]: hook for hook in manifest}
    check = hooks["gqrec-check"]
    assert (check["entry"], check["language"], check["pass_filenames"]) == ("gqrec check", "python", False)
    assert check["files"] == "^records/"
