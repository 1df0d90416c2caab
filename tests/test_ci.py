"""CI and editor integration through the real command: root discovery, `check FILE...`, the SARIF, JUnit
and GitLab formats, the baseline, and the CI files `gqrec init` writes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from world import AS_OF, FEEDBACK_KEY, G, MEETING_DAYS, MEMBERS, meeting_path
from gqrec.cli import cli

DATA = Path(__file__).parent / "data"
MEETING = meeting_path(MEETING_DAYS[2])
OTHER = meeting_path(MEETING_DAYS[5])


def gqrec(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def check_json(*args: str) -> list[dict]:
    result = gqrec("check", "--format", "json", "--as-of", AS_OF, *args)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def drop_from_roll_call(world, rel: str) -> None:
    """A member left out of both present and absent: GQ112, an error that no other rule follows."""
    world.edit(rel, f'  - "{MEMBERS[8]}"\n', "")


def restore_roll_call(world, rel: str) -> None:
    world.edit(rel, "absent:\n", f'  - "{MEMBERS[8]}"\nabsent:\n')


def break_two_files(world) -> None:
    drop_from_roll_call(world, MEETING)  # GQ112, an error
    world.edit(MEETING, "duration_minutes: 120", "duration_minutes: 60")  # GQ111, a warning
    drop_from_roll_call(world, OTHER)


# -- root discovery -------------------------------------------------------------------------------------

def test_root_is_found_from_the_repository_root_from_records_and_from_a_group_folder(world, monkeypatch):
    break_two_files(world)
    expected = {(f["rule"], f["path"]) for f in check_json(str(world.root))}
    assert expected == {("GQ112", MEETING), ("GQ111", MEETING), ("GQ112", OTHER)}
    for where in (world.root.parent, world.root, world.root / "regions/armor", world.root / "regions/armor/groups/lamballe"):
        monkeypatch.chdir(where)
        assert {(f["rule"], f["path"]) for f in check_json()} == expected, where
    monkeypatch.chdir(world.root.parent)
    assert {(f["rule"], f["path"]) for f in check_json(".")} == expected  # not GQ003 on records/…


def test_no_records_around_is_a_usage_error_naming_what_was_looked_for(tmp_path, monkeypatch):
    empty = tmp_path / "vide"
    empty.mkdir()
    monkeypatch.chdir(empty)
    for args in (["check"], ["check", str(empty)], ["fmt"], ["report", "--year", "2024"],
                 ["feedback", "--period", "2024-S1"], ["new", "theme", "--id", "x", "--title", "X"],
                 ["ledger", "--year", "2024"], ["export", "--out", str(tmp_path / "x.db")]):
        result = gqrec(*args)
        assert result.exit_code == 2, (args, result.output)
        assert "federation.yaml" in result.output and "records/federation.yaml" in result.output
        assert "Aucun registre trouvé" in result.output


def test_every_command_taking_a_root_finds_it_from_inside(world, monkeypatch):
    group = world.root / "regions/armor/groups/lamballe"
    monkeypatch.chdir(group)
    bilan = gqrec("report", "--year", "2024", "--format", "json", "--as-of", AS_OF)
    assert bilan.exit_code == 0 and json.loads(bilan.output)["total"]["meetings_held"] == 10
    assert gqrec("report", ".", "--year", "2024", "--format", "json", "--as-of", AS_OF).exit_code == 0
    made = gqrec("new", "meeting", "--region", "armor", "--group", "lamballe", "--date", "2024-12-17",
                 "--theme", "asthme-adulte")
    assert made.exit_code == 0, made.output
    assert (group / "meetings/2024-12-17.yaml").is_file()
    world.edit(OTHER, "clinical_cases: 4", "clinical_cases:   4")
    formatted = gqrec("fmt", "--check")
    assert formatted.exit_code == 1 and OTHER in formatted.output


# -- check FILE... ---------------------------------------------------------------------------------------

def test_check_files_reports_only_their_findings(world):
    break_two_files(world)
    only = check_json(str(world.root / MEETING))
    assert {f["path"] for f in only} == {MEETING} and {f["rule"] for f in only} == {"GQ112", "GQ111"}
    folder = {f["path"] for f in check_json(str(world.root / "regions/armor/groups/lamballe/meetings"))}
    assert folder == {MEETING, OTHER}
    both = check_json(str(world.root / MEETING), str(world.root / OTHER))
    assert {f["path"] for f in both} == {MEETING, OTHER}


def test_check_files_judges_cross_file_rules_on_the_whole_root(world):
    world.remove(f"regions/armor/contracts/2024/{MEMBERS[0]}.yaml")  # present at the meeting: GQ107 in it
    found = check_json(str(world.root / MEETING))
    assert [f["rule"] for f in found] == ["GQ107"] and found[0]["path"] == MEETING


def test_check_files_exit_status_is_that_of_their_findings(world):
    drop_from_roll_call(world, OTHER)
    result = gqrec("check", str(world.root / MEETING), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "aucun constat dans les chemins demandés" in result.output and "conformes" not in result.output
    assert gqrec("check", str(world.root / OTHER), "--as-of", AS_OF).exit_code == 1


def test_check_of_a_file_outside_the_records_is_a_usage_error(world, tmp_path):
    stray = tmp_path / "notes.txt"
    stray.write_text("x", encoding="utf-8")
    result = gqrec("check", str(stray))
    assert result.exit_code == 2 and "n'est pas dans le dossier des registres" in result.output
    assert gqrec("check", str(world.root / "regions/armor/absent.yaml")).exit_code == 2


# -- SARIF ----------------------------------------------------------------------------------------------

def sarif_of(world, *args: str) -> dict:
    result = gqrec("check", str(world.root), "--format", "sarif", "--as-of", AS_OF, *args)
    return json.loads(result.stdout)


def test_sarif_validates_against_the_official_schema(world):
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    break_two_files(world)
    world.write("regions/armor/groups/lamballe/meetings/notes libres.yaml", "x: [\n")  # a space in a path
    log = sarif_of(world)
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    clean = build_clean(world)
    jsonschema.validators.validator_for(schema)(schema).validate(clean)
    with pytest.raises(jsonschema.ValidationError):  # the schema does judge: a result needs its message
        broken = json.loads(json.dumps(log))
        del broken["runs"][0]["results"][0]["message"]
        jsonschema.validators.validator_for(schema)(schema).validate(broken)


def build_clean(world) -> dict:
    from world import build_world

    build_world(world.root)
    world.remove("regions/armor/groups/lamballe/meetings/notes libres.yaml")
    log = sarif_of(world)
    assert log["runs"][0]["results"] == []
    return log


def test_sarif_has_one_run_with_the_french_rule_catalogue_and_located_results(world):
    from gqrec.rules import catalogue

    break_two_files(world)
    log = sarif_of(world)
    [run] = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [entry.id for entry in catalogue()]
    gq105 = next(r for r in rules if r["id"] == "GQ105")
    assert "majorité" in gq105["help"]["text"] and "Pour corriger" in gq105["help"]["text"]
    assert gq105["defaultConfiguration"]["level"] == "error"
    results = run["results"]
    assert sorted((r["ruleId"], r["level"]) for r in results) == [
        ("GQ111", "warning"), ("GQ112", "error"), ("GQ112", "error")]
    plain = check_json(str(world.root))
    for result, finding in zip(results, plain):  # same order, same places as the JSON format
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == finding["path"]  # the root is not below the current folder
        assert location["region"] == {"startLine": finding["line"], "startColumn": finding["column"]}
        assert result["ruleId"] == finding["rule"] and result["message"]["text"].startswith(finding["message"])
        assert result["level"] == finding["severity"]
        assert rules[result["ruleIndex"]]["id"] == finding["rule"]


def test_sarif_paths_are_the_repositorys_and_fingerprints_survive_an_edit_above(world, monkeypatch):
    break_two_files(world)
    monkeypatch.chdir(world.root.parent)
    before = json.loads(gqrec("check", "--format", "sarif", "--as-of", AS_OF).stdout)["runs"][0]["results"]
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in before} == {
        f"records/{MEETING}", f"records/{OTHER}"}
    world.edit(MEETING, "theme:", "# une ligne ajoutée au-dessus\ntheme:")
    after = json.loads(gqrec("check", "--format", "sarif", "--as-of", AS_OF).stdout)["runs"][0]["results"]
    line = lambda result: result["locations"][0]["physicalLocation"]["region"]["startLine"]  # noqa: E731
    moved = [(line(b), line(a)) for b, a in zip(before, after) if "lamballe/meetings/2024-03-12" in json.dumps(a)]
    assert moved and all(a == b + 1 for b, a in moved)
    assert [r["partialFingerprints"] for r in after] == [r["partialFingerprints"] for r in before]
    assert len({json.dumps(r["partialFingerprints"]) for r in after}) == len(after)


# -- JUnit and GitLab Code Quality ------------------------------------------------------------------------

def test_junit_parses_with_one_case_per_file_and_a_failure_per_failing_file(world):
    break_two_files(world)
    world.edit(MEETING, "theme: asthme-adulte", "theme: theme-inconnu")  # a second error in the same file
    result = gqrec("check", str(world.root), "--format", "junit", "--as-of", AS_OF)
    assert result.exit_code == 1
    errors = [f for f in check_json(str(world.root)) if f["severity"] == "error"]
    assert [f["path"] for f in errors].count(MEETING) == 2
    document = ET.fromstring(result.stdout)
    [suite] = document.findall("testsuite")
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert set(cases) == {MEETING, OTHER}
    meeting = cases[MEETING]
    [failure] = meeting.findall("failure")  # one failing case, whatever its number of errors
    assert failure.get("type") == "GQ004" and "(et 1 autre)" in failure.get("message")  # the first of the file
    assert "GQ004" in failure.text and "GQ112" in failure.text and "GQ111" not in failure.text  # not the warning
    assert "GQ111" in meeting.find("system-out").text
    assert MEMBERS[8] in cases[OTHER].find("failure").get("message")
    assert (suite.get("tests"), suite.get("failures")) == ("2", "2")
    assert (document.get("tests"), document.get("failures")) == ("2", "2")


def test_junit_reads_back_with_junitparser_counted_per_case_with_file_and_time(world, tmp_path, monkeypatch):
    """As a CI reads it (junitparser, the library GitLab-like tools and action reporters use): cases,
    failures per case, and the file and time attributes of each case, the paths the repository's."""
    from junitparser import Failure, JUnitXml

    break_two_files(world)
    monkeypatch.chdir(world.root.parent)
    report = tmp_path / "gqrec-junit.xml"
    report.write_text(gqrec("check", "--format", "junit", "--as-of", AS_OF).stdout, encoding="utf-8")
    xml = JUnitXml.fromfile(str(report))
    [suite] = list(xml)
    assert (suite.tests, suite.failures, suite.errors) == (2, 2, 0)
    cases = {case.name: case for case in suite}
    assert set(cases) == {f"records/{MEETING}", f"records/{OTHER}"}
    for name, case in cases.items():
        assert case._elem.get("file") == name and case.time == 0
        assert [type(r) for r in case.result] == [Failure] and not case.is_passed
    assert "GQ111" in cases[f"records/{MEETING}"].system_out


def test_junit_of_clean_records_is_one_passing_case(world):
    result = gqrec("check", str(world.root), "--format", "junit", "--as-of", AS_OF)
    assert result.exit_code == 0
    suite = ET.fromstring(result.stdout).find("testsuite")
    assert (suite.get("tests"), suite.get("failures")) == ("1", "0")
    assert suite.find("testcase/failure") is None


def test_junit_escapes_control_characters_from_the_records(world):
    world.edit(MEETING, "theme: asthme-adulte", 'theme: "x\\u001b[31m\\u0007"')
    result = gqrec("check", str(world.root), "--format", "junit", "--as-of", AS_OF)
    ET.fromstring(result.stdout)  # XML 1.0 would refuse the raw characters
    assert "\x1b" not in result.stdout and "\\x1b" in result.stdout


def test_gitlab_code_quality_has_the_documented_fields(world, monkeypatch):
    break_two_files(world)
    monkeypatch.chdir(world.root.parent)
    result = gqrec("check", "--format", "gitlab", "--as-of", AS_OF)
    assert result.exit_code == 1
    issues = json.loads(result.stdout)
    assert len(issues) == 3
    for issue in issues:
        assert set(issue) >= {"description", "check_name", "fingerprint", "severity", "location"}
        assert isinstance(issue["location"]["lines"]["begin"], int) and issue["location"]["path"].startswith("records/")
    plain = check_json(str(world.root))
    for issue, finding in zip(issues, plain):
        assert issue["check_name"] == finding["rule"] and finding["message"] in issue["description"]
        assert issue["severity"] == {"error": "major", "warning": "minor"}[finding["severity"]]
        assert issue["location"] == {"path": f"records/{finding['path']}", "lines": {"begin": finding["line"]}}
    assert len({issue["fingerprint"] for issue in issues}) == 3


def test_identical_findings_get_distinct_fingerprints(world):
    """Two identical messages in one file are two issues, each with its own fingerprint."""
    from gqrec.findings import Finding, fingerprints

    twice = [Finding("a.yaml", line, 1, "GQ002", "error", "même message") for line in (3, 7)]
    assert len(set(fingerprints(twice))) == 2
    assert fingerprints(twice) == fingerprints([Finding("a.yaml", line + 5, 1, "GQ002", "error", "même message")
                                                for line in (3, 7)])


# -- baseline -------------------------------------------------------------------------------------------

def test_baseline_hides_known_findings_reports_new_ones_and_the_gone(world, tmp_path):
    base = tmp_path / "gqrec-baseline.json"
    break_two_files(world)
    written = gqrec("check", str(world.root), "--as-of", AS_OF, "--write-baseline", str(base))
    assert written.exit_code == 0 and "3 constats connus" in written.output
    stored = json.loads(base.read_text(encoding="utf-8"))
    assert stored["gqrec_baseline"] == 1
    assert all(set(entry) == {"rule", "path", "message", "count"} for entry in stored["findings"])

    again = gqrec("check", str(world.root), "--as-of", AS_OF, "--baseline", str(base))
    assert again.exit_code == 0, again.output
    assert "3 constats connus masqués" in again.output and "GQ112" not in again.output

    world.edit(MEETING, "theme:", "# commentaire\ntheme:")  # the known findings move down one line: still known
    new_fault = meeting_path(MEETING_DAYS[7])
    drop_from_roll_call(world, new_fault)
    run = gqrec("check", str(world.root), "--as-of", AS_OF, "--baseline", str(base), "--format", "json")
    assert run.exit_code == 1
    assert [(f["rule"], f["path"]) for f in json.loads(run.stdout)] == [("GQ112", new_fault)]
    assert "3 constats connus masqués" in run.stderr

    restore_roll_call(world, new_fault)
    restore_roll_call(world, OTHER)  # a baselined fault fixed
    fixed = gqrec("check", str(world.root), "--as-of", AS_OF, "--baseline", str(base))
    assert fixed.exit_code == 0
    assert "2 constats connus masqués" in fixed.output
    gone = [line for line in fixed.output.splitlines() if line.startswith("  disparu")]
    assert len(gone) == 1 and OTHER in gone[0] and "GQ112" in gone[0]


def test_the_check_command_is_one_library_call(world, tmp_path):
    """`render.produce` does what `gqrec check` prints: the findings of the paths given, a baseline
    written or applied, the closing line and where it goes, and whether an error was reported."""
    from datetime import date

    from gqrec.render.produce import Request, produce
    from gqrec.roots import Target

    break_two_files(world)
    as_of, key = date.fromisoformat(AS_OF), FEEDBACK_KEY.encode()  # a library caller passes its key
    whole = produce(Request(Target(world.root), as_of, key=key))
    assert whole.status == 1 and "GQ112" in whole.document and whole.closing_on_stdout
    assert whole.closing.endswith("\n") and "erreur" in whole.closing
    assert produce(Request(Target(world.root, (G,)), as_of, key=key)).status == 0  # the broken meetings are not asked for
    base = tmp_path / "base.json"
    written = produce(Request(Target(world.root), as_of, write_baseline=base, key=key))
    assert written.document.startswith(f"Référence écrite : {base} (3 constats connus)") and written.status == 0
    known = produce(Request(Target(world.root), as_of, "json", baseline=base, key=key))
    assert known.document == "[]\n" and known.status == 0 and not known.closing_on_stdout
    assert "3 constats connus masqués" in known.closing


def test_sarif_with_a_baseline_keeps_known_findings_as_suppressed_results(world, tmp_path):
    """Code scanning closes the alert of a result that disappears from the log: with --baseline, SARIF
    keeps the known findings, suppressed (`kind: external`), with the fingerprints they had without it;
    only a new error fails the check. The log still validates against the SARIF schema."""
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    base = tmp_path / "gqrec-baseline.json"
    break_two_files(world)
    assert gqrec("check", str(world.root), "--as-of", AS_OF, "--write-baseline", str(base)).exit_code == 0
    plain = sarif_of(world)["runs"][0]["results"]
    new_fault = meeting_path(MEETING_DAYS[7])
    drop_from_roll_call(world, new_fault)
    result = gqrec("check", str(world.root), "--format", "sarif", "--as-of", AS_OF, "--baseline", str(base))
    assert result.exit_code == 1 and "3 constats connus masqués" in result.stderr
    log = json.loads(result.stdout)
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    results = log["runs"][0]["results"]
    assert len(results) == 4
    suppressed = [r for r in results if r.get("suppressions")]
    assert all(r["suppressions"][0]["kind"] == "external" for r in suppressed)
    assert sorted(r["partialFingerprints"]["gqrecFinding/v1"] for r in suppressed) == sorted(
        r["partialFingerprints"]["gqrecFinding/v1"] for r in plain)
    [fresh] = [r for r in results if not r.get("suppressions")]
    assert fresh["ruleId"] == "GQ112" and new_fault in json.dumps(fresh["locations"])
    restore_roll_call(world, new_fault)
    known_only = gqrec("check", str(world.root), "--format", "sarif", "--as-of", AS_OF, "--baseline", str(base))
    assert known_only.exit_code == 0  # every error known: the check passes, the alerts stay
    assert all(r.get("suppressions") for r in json.loads(known_only.stdout)["runs"][0]["results"])


def test_baseline_counts_identical_findings(world, tmp_path):
    """A further finding identical to a known one (same rule, path and message) is new."""
    base = tmp_path / "base.json"
    world.edit(G, "wave: 1", "wave: 1\nextra_a: 1")
    gqrec("check", str(world.root), "--as-of", AS_OF, "--write-baseline", str(base))
    known = json.loads(base.read_text(encoding="utf-8"))["findings"]
    assert [entry["count"] for entry in known] == [1]
    base.write_text(json.dumps({"gqrec_baseline": 1, "findings": [{**known[0], "count": 0}]}), encoding="utf-8")
    assert gqrec("check", str(world.root), "--baseline", str(base)).exit_code == 2  # a count must be positive


def test_baseline_file_problems_are_usage_errors(world, tmp_path):
    base = tmp_path / "base.json"
    assert gqrec("check", str(world.root), "--baseline", str(base)).exit_code == 2  # absent
    base.write_text("{pas du json", encoding="utf-8")
    result = gqrec("check", str(world.root), "--baseline", str(base))
    assert result.exit_code == 2 and "base.json" in result.output
    base.write_text("[" * 100_000, encoding="utf-8")
    assert gqrec("check", str(world.root), "--baseline", str(base)).exit_code == 2
    base.write_text('{"findings": []}', encoding="utf-8")
    assert gqrec("check", str(world.root), "--baseline", str(base)).exit_code == 2
    under = gqrec("check", str(world.root), "--write-baseline", str(world.root / "baseline.json"))
    assert under.exit_code == 2 and not (world.root / "baseline.json").exists()
    both = gqrec("check", str(world.root), "--baseline", str(base), "--write-baseline", str(tmp_path / "b.json"))
    assert both.exit_code == 2
    partial = gqrec("check", str(world.root), "--changed-since", "HEAD", "--write-baseline", str(tmp_path / "c.json"))
    assert partial.exit_code == 2 and not (tmp_path / "c.json").exists()


# -- what `gqrec init` writes for CI ---------------------------------------------------------------------

def load_yaml(path: Path):
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def head_of(url: str) -> str:
    return subprocess.run(["git", "ls-remote", url, "HEAD"], capture_output=True, text=True, check=True).stdout.split()[0]


def test_init_workflow_fetches_history_and_installs_the_source_at_its_commit(tmp_path, gqrec_source):
    assert gqrec("init", str(tmp_path / "r"), "--source", gqrec_source).exit_code == 0
    commit = head_of(gqrec_source)
    workflow = load_yaml(tmp_path / "r/.github/workflows/gqrec.yml")
    assert workflow["on"]["push"]["branches"] == ["main"] and "pull_request" in workflow["on"]
    steps = workflow["jobs"]["check"]["steps"]
    checkout = next(step for step in steps if step.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0
    runs = [step.get("run", "") for step in steps]
    assert f'python -m pip install "gqrec @ git+{gqrec_source}@{commit}"' in runs
    assert not any("sarif" in run for run in runs) and "security-events" not in workflow["permissions"]
    readme = (tmp_path / "r/README.md").read_text(encoding="utf-8")
    assert f'pip install "gqrec @ git+{gqrec_source}@{commit}"' in readme and "gqrec==" not in readme
    assert not (tmp_path / "r/.gitlab-ci.yml").exists()


def test_init_code_scanning_uploads_the_sarif_file(tmp_path, gqrec_source):
    assert gqrec("init", str(tmp_path / "r"), "--source", gqrec_source, "--code-scanning").exit_code == 0
    workflow = load_yaml(tmp_path / "r/.github/workflows/gqrec.yml")
    assert workflow["permissions"]["security-events"] == "write"
    assert workflow["on"]["push"]["branches"] == ["main"]  # code scanning compares with the base's analysis
    steps = workflow["jobs"]["check"]["steps"]
    produce = next(i for i, step in enumerate(steps) if "--format sarif" in step.get("run", ""))
    upload = next(i for i, step in enumerate(steps) if step.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    assert produce < upload and steps[upload]["with"]["sarif_file"] in steps[produce]["run"]
    assert any(step.get("run") == "gqrec check --format github" for step in steps[upload:])  # still the gate
    assert gqrec("init", str(tmp_path / "g"), "--source", gqrec_source, "--ci", "gitlab", "--code-scanning").exit_code == 2


def test_init_from_a_github_source_uses_gqrecs_action_at_the_commit(tmp_path):
    """A source on GitHub at a full commit id (no network: a full id is not looked up): the workflow uses
    the Action of that repository at that commit, with SARIF when code scanning is asked."""
    commit = "0123456789abcdef0123456789abcdef01234567"
    url = "https://github.com/gqrec/gqrec"
    assert gqrec("init", str(tmp_path / "r"), "--source", f"{url}@{commit}", "--code-scanning").exit_code == 0
    steps = load_yaml(tmp_path / "r/.github/workflows/gqrec.yml")["jobs"]["check"]["steps"]
    [action] = [step for step in steps if step.get("uses", "").startswith("gqrec/")]
    assert action["uses"] == f"gqrec/gqrec@{commit}" and action["with"] == {"format": "github", "sarif": "true"}
    assert steps[-1]["run"] == "gqrec fmt --check"  # the Action installed gqrec for the job
    [repo] = load_yaml(tmp_path / "r/.pre-commit-config.yaml")["repos"]
    assert (repo["repo"], repo["rev"]) == (url, commit)


def test_init_gitlab_writes_a_pipeline_with_junit_and_code_quality_reports(tmp_path, gqrec_source):
    assert gqrec("init", str(tmp_path / "r"), "--source", gqrec_source, "--ci", "gitlab").exit_code == 0
    assert not (tmp_path / "r/.github").exists()
    job = load_yaml(tmp_path / "r/.gitlab-ci.yml")["gqrec"]
    assert str(job["variables"]["GIT_DEPTH"]) == "0"
    reports = job["artifacts"]["reports"]
    script = job["script"]
    assert any(line.startswith("gqrec check --format junit > " + reports["junit"]) for line in script)
    assert any(line.startswith("gqrec check --format gitlab > " + reports["codequality"]) for line in script)
    commit = head_of(gqrec_source)
    assert "gqrec check" in script and f'python -m pip install "gqrec @ git+{gqrec_source}@{commit}"' in script
    assert job["artifacts"]["when"] == "always"


def test_init_resolves_a_tag_or_branch_of_the_source_to_its_full_commit(tmp_path, gqrec_source):
    source = tmp_path / "source"
    subprocess.run(["git", "clone", "-q", gqrec_source, str(source)], check=True)
    identity = ["-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false", "-c",
                "tag.gpgsign=false"]
    subprocess.run(["git", "-C", str(source), *identity, "commit", "-q", "--allow-empty", "-m", "v2"], check=True)
    subprocess.run(["git", "-C", str(source), *identity, "tag", "-a", "v2.0", "-m", "v2.0"], check=True)
    tagged = subprocess.run(["git", "-C", str(source), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    url = source.as_uri()
    assert gqrec("init", str(tmp_path / "r"), "--source", f"{url}@v2.0").exit_code == 0
    [repo] = load_yaml(tmp_path / "r/.pre-commit-config.yaml")["repos"]
    assert (repo["repo"], repo["rev"]) == (url, tagged)  # the annotated tag's commit, not the tag object
    assert gqrec("init", str(tmp_path / "s"), "--source", url, "--rev", "v2.0").exit_code == 0
    missing = gqrec("init", str(tmp_path / "x"), "--source", f"{url}@v9.9")
    assert missing.exit_code == 2 and "introuvable" in missing.output and not (tmp_path / "x").exists()
    unreadable = gqrec("init", str(tmp_path / "y"), "--source", (tmp_path / "absent").as_uri())
    assert unreadable.exit_code == 2 and "illisible" in unreadable.output
    assert gqrec("init", str(tmp_path / "z"), "--rev", "v1").exit_code == 2  # a revision of what?


def test_without_source_init_installs_from_where_gqrec_came_or_asks_in_french(tmp_path):
    """PEP 610: pip records a VCS install's URL and commit in direct_url.json; anything else (this
    editable install from a folder, an index) cannot tell CI where to install from."""
    from gqrec.authoring.source import from_direct_url, installed

    commit = "89abcdef0123456789abcdef0123456789abcdef"
    vcs = {"url": "https://github.com/gqrec/gqrec.git", "vcs_info": {"vcs": "git", "commit_id": commit,
                                                                     "requested_revision": "main"}}
    found = from_direct_url(json.dumps(vcs))
    assert (found.url, found.commit, found.github_action) == (vcs["url"], commit, f"gqrec/gqrec@{commit}")
    assert from_direct_url(json.dumps({"url": "file:///src/gqrec", "dir_info": {"editable": True}})) is None
    assert from_direct_url("pas du json") is None and from_direct_url(None) is None
    if installed() is None:  # this test session's gqrec (an editable install, or the sdist's folder)
        result = gqrec("init", str(tmp_path / "r"))
        assert result.exit_code == 2 and "--source URL" in result.output and not (tmp_path / "r").exists()


def test_init_upgrade_moves_hooks_ci_and_readme_to_a_new_commit(tmp_path, gqrec_source):
    source = tmp_path / "source"
    subprocess.run(["git", "clone", "-q", gqrec_source, str(source)], check=True)
    url = source.as_uri()
    repo = tmp_path / "r"
    assert gqrec("init", str(repo), "--source", url, "--ci", "gitlab").exit_code == 0
    old = head_of(url)
    subprocess.run(["git", "-C", str(source), "-c", "user.name=t", "-c", "user.email=t@example.org", "-c",
                    "commit.gpgsign=false", "commit", "-q", "--allow-empty", "-m", "next"], check=True)
    new = head_of(url)
    done = gqrec("init", str(repo), "--upgrade")
    assert done.exit_code == 0, done.output
    for name in (".pre-commit-config.yaml", ".gitlab-ci.yml", "README.md"):
        text = (repo / name).read_text(encoding="utf-8")
        assert new in text and old not in text, name
    [hooks] = load_yaml(repo / ".pre-commit-config.yaml")["repos"]
    assert (hooks["repo"], hooks["rev"]) == (url, new)
    assert "Déjà à jour" in gqrec("init", str(repo), "--upgrade").output
    assert gqrec("init", str(tmp_path / "nothing"), "--upgrade").exit_code == 2


def test_init_pre_commit_hooks_are_the_published_ones_at_the_commit(tmp_path, gqrec_source):
    assert gqrec("init", str(tmp_path / "r"), "--source", gqrec_source).exit_code == 0
    [repo] = load_yaml(tmp_path / "r/.pre-commit-config.yaml")["repos"]
    assert (repo["repo"], repo["rev"]) == (gqrec_source, head_of(gqrec_source))
    manifest = {hook["id"] for hook in load_yaml(Path(__file__).parent.parent / ".pre-commit-hooks.yaml")}
    assert {hook["id"] for hook in repo["hooks"]} == manifest == {"gqrec-fmt", "gqrec-check"}


def run_ci_lines(lines: list[str], cwd: Path) -> list[subprocess.CompletedProcess]:
    """Each gqrec line of a CI script run by the shell, as the CI would (the pip line is this install)."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    return [subprocess.run(["sh", "-e", "-c", line], cwd=cwd, env=env, capture_output=True, text=True)
            for line in lines if line.startswith("gqrec ")]


@pytest.mark.slow
def test_the_gitlab_script_writes_both_reports_and_fails_only_on_check(tmp_path, gqrec_source):
    repo = tmp_path / "r"
    assert gqrec("init", str(repo), "--source", gqrec_source, "--ci", "gitlab").exit_code == 0
    job = load_yaml(repo / ".gitlab-ci.yml")["gqrec"]
    assert [done.returncode for done in run_ci_lines(job["script"], repo)] == [0, 0, 0, 0]
    region = next((repo / "records/regions").iterdir())
    (region / "territories/mon-territoire.yaml").write_text("name: x\n", encoding="utf-8")  # GQ002
    codes = [done.returncode for done in run_ci_lines(job["script"], repo)]
    assert codes[:3] == [0, 0, 1]  # the reports are written whatever the findings; `gqrec check` fails the job
    reports = job["artifacts"]["reports"]
    suite = ET.parse(repo / reports["junit"]).getroot().find("testsuite")
    assert suite.get("failures") != "0"
    issues = json.loads((repo / reports["codequality"]).read_text(encoding="utf-8"))
    assert issues and all(issue["location"]["path"].startswith("records/") for issue in issues)


def test_the_github_sarif_step_passes_on_findings_and_writes_the_file(tmp_path, gqrec_source):
    repo = tmp_path / "r"
    assert gqrec("init", str(repo), "--source", gqrec_source, "--code-scanning").exit_code == 0
    steps = load_yaml(repo / ".github/workflows/gqrec.yml")["jobs"]["check"]["steps"]
    region = next((repo / "records/regions").iterdir())
    (region / "territories/mon-territoire.yaml").write_text("name: x\n", encoding="utf-8")
    sarif_step, gate = (done.returncode for done in run_ci_lines([s.get("run", "") for s in steps][:-1], repo))
    assert (sarif_step, gate) == (0, 1)
    log = json.loads((repo / "gqrec.sarif").read_text(encoding="utf-8"))
    assert log["runs"][0]["results"]


def test_fmt_finds_the_root_from_the_files_it_is_given(world, tmp_path, monkeypatch):
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    world.edit(OTHER, "clinical_cases: 4", "clinical_cases:   4")
    result = gqrec("fmt", "--check", str(world.root / OTHER), str(world.root / MEETING))
    assert result.exit_code == 1 and OTHER in result.output and MEETING not in result.output
    assert "2 fichiers lus" in result.output


def test_a_baseline_that_cannot_be_written_is_refused_in_french(world, tmp_path):
    result = gqrec("check", str(world.root), "--write-baseline", str(tmp_path / "absent/base.json"))
    assert result.exit_code == 2 and "Impossible d'écrire" in result.output and "Traceback" not in result.output


def test_a_baseline_that_is_a_fifo_is_refused_without_waiting(world, tmp_path):
    fifo = tmp_path / "base.json"
    os.mkfifo(fifo)
    result = gqrec("check", str(world.root), "--baseline", str(fifo))
    assert result.exit_code == 2 and "fichier ordinaire" in result.output


# -- the files CI reads, against the schemas of the services (check-jsonschema's vendored copies) --------

def vendored_schema(name: str) -> dict:
    from importlib.resources import files

    return json.loads(files("check_jsonschema.builtin_schemas.vendor").joinpath(f"{name}.json").read_text("utf-8"))


def assert_valid(document, schema_name: str) -> None:
    schema = vendored_schema(schema_name)
    errors = sorted(jsonschema.validators.validator_for(schema)(schema).iter_errors(document), key=str)
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


def test_action_yml_is_a_valid_composite_action():
    action = load_yaml(Path(__file__).parent.parent / "action.yml")
    assert_valid(action, "github-actions")
    assert action["runs"]["using"] == "composite"
    runs = " ".join(step.get("run", "") for step in action["runs"]["steps"])
    assert 'pip install --disable-pip-version-check "$GITHUB_ACTION_PATH"' in runs
    assert "gqrec check" in runs and {"root", "format", "args", "sarif"} <= set(action["inputs"])
    assert any(step.get("uses", "").startswith("actions/cache") for step in action["runs"]["steps"])


@pytest.mark.parametrize("source", ["file", "github"])
@pytest.mark.parametrize("code_scanning", [False, True])
def test_init_workflows_are_valid_for_github_and_gitlab(tmp_path, gqrec_source, source, code_scanning):
    url = gqrec_source if source == "file" else "https://github.com/gqrec/gqrec@" + "ab" * 20
    scanning = ["--code-scanning"] if code_scanning else []
    assert gqrec("init", str(tmp_path / "gh"), "--source", url, *scanning).exit_code == 0
    assert_valid(load_yaml(tmp_path / "gh/.github/workflows/gqrec.yml"), "github-workflows")
    if not code_scanning:
        assert gqrec("init", str(tmp_path / "gl"), "--source", url, "--ci", "gitlab").exit_code == 0
        assert_valid(load_yaml(tmp_path / "gl/.gitlab-ci.yml"), "gitlab-ci")


@pytest.mark.slow
def test_pre_commit_installs_gqrec_from_the_init_source_and_runs_both_hooks(tmp_path):
    """The real thing: a clone of this project (a `file://` URL at a commit) given to `gqrec init --source`,
    the new repository committed, `pre-commit run --all-files` with a pre-commit home of its own: pre-commit
    installs gqrec from git at that commit, both hooks pass, and the check hook fails on a faulty record."""
    project = Path(__file__).resolve().parent.parent
    if not (project / ".git").exists():
        pytest.skip("not a git checkout of gqrec (an sdist): nothing to clone")
    clone = tmp_path / "gqrec"
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", project.as_uri(), str(clone)], check=True)
    commit = subprocess.run(["git", "-C", str(clone), "rev-parse", "HEAD"], capture_output=True, text=True,
                            check=True).stdout.strip()
    repo = tmp_path / "registres"
    made = gqrec("init", str(repo), "--source", f"{clone.as_uri()}@{commit}")
    assert made.exit_code == 0, made.output
    identity = ["-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(repo), *identity, "commit", "-q", "-m", "init"], check=True)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "PIP_DISABLE_PIP_VERSION_CHECK": "1",
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}

    def pre_commit() -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
                              cwd=repo, env=env, capture_output=True, text=True, timeout=600)

    clean = pre_commit()
    assert clean.returncode == 0, clean.stdout[-3000:] + clean.stderr[-2000:]
    assert clean.stdout.count("Passed") == 2, clean.stdout
    faulty = next((repo / "records/regions").iterdir()) / "territories/mon-territoire.yaml"
    faulty.write_text("name: x\n", encoding="utf-8")  # GQ002: required fields missing
    subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True)
    failed = pre_commit()
    assert failed.returncode == 1, failed.stdout[-3000:]
    assert "gqrec check" in failed.stdout and "Failed" in failed.stdout and "GQ002" in failed.stdout


# -- paths that open ---------------------------------------------------------------------------------------

def test_text_paths_open_from_the_current_folder_and_sarif_uris_are_the_repositorys(world, tmp_path_factory,
                                                                                     monkeypatch):
    """Inside the repository, the text format names each file as seen from the current folder (a terminal
    or an editor opens `path:line:col` as printed); SARIF names it from the git root (`%SRCROOT%`),
    whatever the current folder; outside the repository, the records root's own paths."""
    subprocess.run(["git", "init", "-q", str(world.root.parent)], check=True)
    break_two_files(world)
    inside = [world.root.parent, world.root, world.root / "regions/armor/groups/lamballe/meetings"]
    for where in inside:
        monkeypatch.chdir(where)
        text = gqrec("check", "--as-of", AS_OF, "--no-source").stdout
        printed = {line.split(":", 1)[0] for line in text.splitlines() if ": GQ" in line}
        assert {(where / path).resolve() for path in printed} == {world.root / MEETING, world.root / OTHER}, where
        sarif = json.loads(gqrec("check", "--format", "sarif", "--as-of", AS_OF).stdout)["runs"][0]["results"]
        uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif}
        assert uris == {f"records/{MEETING}", f"records/{OTHER}"}, where
        assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] for r in sarif} == {"%SRCROOT%"}
        assert {f["path"] for f in check_json()} == {MEETING, OTHER}  # JSON keeps RECORDS.md's contract
    monkeypatch.chdir(world.root.parent)
    assert f"records/{MEETING}:" in gqrec("check", "--as-of", AS_OF).stdout
    monkeypatch.chdir(tmp_path_factory.mktemp("ailleurs"))  # outside the repository
    assert gqrec("check", str(world.root), "--as-of", AS_OF).stdout.startswith(f"{MEETING}:")
