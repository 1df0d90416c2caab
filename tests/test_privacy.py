"""The records repository cannot tie a member code to a physician: individual feedback rows are sealed
at rest, small groups get no group profile, published rates are rounded; the re-identification attack
of issue 18 is run for real against a demo archive, its git history included, and must tie no code.
Without the key, `gqrec check` says so once and judges nothing it could not read; the cache never
holds a sealed file's rows. Real files, real git, the real commands."""

from __future__ import annotations

import csv
import io
import json
import struct
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from world import FEEDBACK_KEY, G, MEMBERS, World
from gqrec import sealing
from gqrec.cli import cli
from gqrec.demo import generate
from gqrec.member_codes import codes
from gqrec.feedback.profiles import DIGITS

KEY = FEEDBACK_KEY.encode()
PERIOD = "2025-S1"
FEEDBACK = "regions/armor/feedback/2024-S1.csv"
HEADER = "population,physician,indicator,numerator,denominator\n"


def invoke(*args: str, key: str | None = FEEDBACK_KEY):
    result = CliRunner().invoke(cli, list(args), env={sealing.KEY_ENV: key})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def findings(result) -> list[dict]:
    return json.loads(result.stdout) if result.stdout.startswith("[") else []


# -- the attack ---------------------------------------------------------------------------------------


def git(root: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin"}
    return subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True, text=True).stdout


def every_version(root: Path) -> list[str]:
    """Every text the repository holds, working tree and every blob of its history, as the attacker
    reads them."""
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in root.rglob("*.csv")]
    for line in git(root, "rev-list", "--all", "--objects").splitlines():
        sha, _, path = line.partition(" ")
        if path.endswith(".csv"):
            texts.append(git(root, "cat-file", "-p", sha))
    return texts


def rows_in(texts: list[str]) -> dict[str, dict[str, tuple[int, int]]]:
    """Each physician's pooled (numerator, denominator) per indicator, from whatever reads as a feedback
    CSV: the attacker's "rates computed from the repository's own rows". One period's files only are
    wanted; the attacker keeps every CSV whose rows parse, whatever its name."""
    pooled: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for text in texts:
        for row in csv.DictReader(io.StringIO(text)):
            try:
                if row.get("population") == "participant":
                    cell = pooled[row["physician"]][row["indicator"]]
                    cell[0] += int(row["numerator"])
                    cell[1] += int(row["denominator"])
            except (KeyError, TypeError, ValueError):
                continue
    return {who: {ind: (n, d) for ind, (n, d) in by.items()} for who, by in pooled.items()}


def attack(root: Path, profiles: list[dict], period_texts: list[str]) -> dict[str, str]:
    """Tie each code of each group profile to the one member of group.yaml whose repository-computed rates
    (rounded as published) equal the code's published rates on every shown indicator."""
    rows = rows_in(period_texts)
    yaml = YAML(typ="safe")
    tied = {}
    for profile in profiles:
        group = yaml.load((root / f"regions/{profile['region']}/groups/{profile['group']}/group.yaml").read_text())
        members = {m["physician"] for m in group["members"]}
        published: dict[str, dict[str, float]] = defaultdict(dict)
        for section in profile["themes"]:
            for indicator in section["indicators"]:
                for line in indicator["members"]:
                    if line["current"] and line["current"]["rate"] is not None:
                        published[line["code"]][indicator["indicator"]] = line["current"]["rate"]
        for code, rates in published.items():
            matches = [
                who for who in members
                if all((cell := rows.get(who, {}).get(ind)) and cell[1] and round(cell[0] / cell[1], DIGITS) == rate
                       for ind, rate in rates.items())
            ]
            if len(matches) == 1:
                tied[code] = matches[0]
    return tied


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("attack") / "records"
    generate(root, regions=2, groups=6, years=2, first_year=2024, key=KEY)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "registres")
    return root


def group_profiles(root: Path) -> list[dict]:
    result = invoke("feedback", str(root), "--period", PERIOD, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["profiles"]


def period_files(root: Path) -> list[Path]:
    return sorted(root.glob(f"regions/*/feedback/{PERIOD}.csv"))


def test_the_re_identification_attack_ties_no_code(archive):
    profiles = group_profiles(archive)
    assert len(profiles) >= 5 and sum(len(p["members"]) for p in profiles) >= 60
    history = every_version(archive)
    assert not any("participant," in text for text in history)  # no clear row anywhere, history included
    assert attack(archive, profiles, history) == {}


@pytest.mark.slow
def test_the_same_attack_ties_the_codes_of_rows_left_in_clear(archive, tmp_path):
    """The attack is real: on the same records with the period's rows in clear (as before sealing), it
    ties most codes, every one rightly. Rounding alone does not protect the rows: sealing does."""
    clear = tmp_path / "clear"
    subprocess.run(["cp", "-r", str(archive), str(clear)], check=True)
    for path in period_files(clear):
        path.write_bytes(sealing.unseal(path.read_bytes(), KEY, 1 << 24))
    profiles = group_profiles(clear)
    tied = attack(clear, profiles, [p.read_text() for p in period_files(clear)])
    members = [code for p in profiles for code in p["members"]]
    assert len(tied) > len(members) / 2
    truth = {}
    for profile in profiles:
        group = YAML(typ="safe").load((clear / f"regions/{profile['region']}/groups/{profile['group']}/group.yaml").read_text())
        truth.update({code: rpps for rpps, code in codes(KEY, [m["physician"] for m in group["members"]]).items()})
    assert all(truth[code] == rpps for code, rpps in tied.items())


def test_published_rates_are_rounded_to_a_tenth_of_a_point(archive):
    for profile in group_profiles(archive):
        for section in profile["themes"]:
            for indicator in section["indicators"]:
                for line in indicator["members"]:
                    rate = line["current"] and line["current"]["rate"]
                    if rate is not None and rate is not False:
                        assert round(rate, 3) == rate
                    assert line["percentile_rank"] is None or float(line["percentile_rank"]).is_integer()
                for value in indicator["distribution"]["deciles"] or ():
                    assert round(value, 3) == value


# -- small groups --------------------------------------------------------------------------------------


def one_member_group(world: World) -> None:
    """Dinan, one member (MEMBERS[0], also in Lamballe): its group rate would be that member's rate."""
    world.write("regions/armor/groups/dinan/group.yaml", f"""
        name: Groupe Qualité de Dinan
        territory: lamballe
        constituted: 2024-01-01
        animators:
          - physician: "{MEMBERS[9]}"
            since: 2024-01-01
        members:
          - physician: "{MEMBERS[0]}"
            since: 2024-01-01
    """)


def test_a_group_under_the_minimum_size_has_no_profile_and_no_group_rate(world):
    one_member_group(world)
    refused = invoke("feedback", str(world.root), "--period", "2024-S1", "--group", "dinan")
    assert refused.exit_code == 1
    assert "ne compte que 1 membre" in refused.stderr and "feedback_min_members" in refused.stderr
    listed = invoke("feedback", str(world.root), "--period", "2024-S1", "--format", "json")
    assert [p["group"] for p in json.loads(listed.stdout)["profiles"]] == ["lamballe"]
    assert "dinan : 1 membre pendant la période, pas de profil de groupe sous 5" in listed.stderr
    # MEMBERS[0]'s own profile names Dinan (first by id on a tie of days) and hides its rate
    own = json.loads(invoke("feedback", str(world.root), "--period", "2024-S1", "--physician", MEMBERS[0],
                            "--format", "json").stdout)["profiles"][0]
    assert own["group"] == "dinan"
    ind = own["themes"][0]["indicators"][0]
    assert ind["physician"]["current"]["rate"] is not None
    assert ind["group"]["current"] == {"rate": None, "suppressed": True}


def test_the_minimum_is_a_charter_key_validated_like_the_others(world):
    one_member_group(world)
    world.edit("federation.yaml", "  meetings_per_year: 10\n", "  meetings_per_year: 10\n  feedback_min_members: 3\n")
    for who in MEMBERS[1:3]:  # Dinan now has three members
        world.edit("regions/armor/groups/dinan/group.yaml", "members:\n",
                   f'members:\n  - physician: "{who}"\n    since: 2024-01-01\n')
    assert invoke("feedback", str(world.root), "--period", "2024-S1", "--group", "dinan").exit_code == 0
    world.edit("federation.yaml", "feedback_min_members: 3", "feedback_min_members: 2")
    assert ("federation.yaml", "GQ002") in {(f["path"], f["rule"]) for f in world.check().findings}


# -- sealed at rest, checked with the key ------------------------------------------------------------


def test_feedback_files_are_sealed_and_the_check_opens_them_with_the_key(world):
    raw = (world.root / FEEDBACK).read_bytes()
    assert sealing.is_sealed(raw) and MEMBERS[0].encode() not in raw and b"asthme" not in raw
    world.edit(FEEDBACK, f"participant,{MEMBERS[0]},asthme-corticoide-inhale,5,20",
               f"participant,{MEMBERS[0]},asthme-corticoide-inhale,25,20")
    found = world.check()
    assert [(f["rule"], f["path"], f["line"]) for f in found.findings] == [("GQ002", FEEDBACK, 2)]
    assert "25" not in found.findings[0]["message"]  # a sealed row's figures are not quoted


def test_without_the_key_one_warning_and_no_verdict_on_what_was_not_read(world):
    world.edit(FEEDBACK, f"participant,{MEMBERS[0]},asthme-corticoide-inhale,5,20",
               f"participant,{MEMBERS[0]},asthme-corticoide-inhale,25,20")  # a GQ002 the key would show
    world.write("regions/armor/feedback/2024-S2.csv", HEADER + "control,,asthme-corticoide-inhale,400,1000\n")  # GQ113
    result = invoke("check", str(world.root), "--format", "json", "--as-of", "2025-01-01", key=None)
    assert result.exit_code == 0, result.output
    [warning] = findings(result)
    assert (warning["rule"], warning["severity"], warning["path"]) == ("GQ120", "warning", FEEDBACK)
    assert warning["message"].startswith("2 fichiers de retour chiffrés non vérifiés")
    with_key = invoke("check", str(world.root), "--format", "json", "--as-of", "2025-01-01")
    assert sorted(f["rule"] for f in findings(with_key)) == ["GQ002", "GQ113"]


def test_another_key_opens_nothing_and_says_so(world, tmp_path):
    result = invoke("check", str(world.root), "--format", "json", "--as-of", "2025-01-01",
                    key="une-tout-autre-cle-de-seize-octets")
    assert result.exit_code == 1
    assert {(f["rule"], f["path"]) for f in findings(result)} == {
        ("GQ001", FEEDBACK), ("GQ001", "regions/armor/feedback/2024-S2.csv")}
    assert all("autre clé" in f["message"] for f in findings(result))


def test_a_file_left_in_clear_is_an_error_and_still_counts(world):
    clear = world.read(FEEDBACK)
    world.write_bytes(FEEDBACK, clear.encode())
    found = world.check()
    assert [(f["rule"], f["line"], f["severity"]) for f in found.findings] == [("GQ121", 1, "error")]
    profile = invoke("feedback", str(world.root), "--period", "2024-S1", "--group", "lamballe")
    assert profile.exit_code == 0 and "GQ121" in profile.stderr


def cache_bytes(root: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted((root / ".gqrec-cache").rglob("*")) if p.is_file())


@pytest.mark.parametrize("sealed", [True, False])
def test_the_cache_never_holds_a_sealed_files_rows(world, sealed):
    marker = 7391  # a numerator found nowhere else
    world.edit(FEEDBACK, f"participant,{MEMBERS[0]},asthme-corticoide-inhale,5,20",
               f"participant,{MEMBERS[0]},asthme-corticoide-inhale,{marker},9999")
    world.edit(FEEDBACK, f"participant,{MEMBERS[1]},asthme-corticoide-inhale,6,21",
               f"participant,{MEMBERS[1]},asthme-corticoide-inhale,60,21")  # a GQ002: the row is judged
    if not sealed:
        world.write_bytes(FEEDBACK, world.read(FEEDBACK).encode())
    runs = [world.check() for _ in range(2)]  # written, then read back
    assert runs[0].findings == runs[1].findings and "GQ002" in runs[1].rules()
    cached = cache_bytes(world.root)
    # the row's numerator, as text (cells of a plain file) or as a marshalled int (rows of a faulty one)
    held = str(marker).encode() in cached or struct.pack("<i", marker) in cached
    assert held is not sealed  # a clear file's rows are cached, a sealed file's never in clear
    if sealed:  # what was remembered with the key is not taken without it
        result = invoke("check", str(world.root), "--format", "json", "--as-of", "2025-01-01", key=None)
        assert [f["rule"] for f in findings(result)] == ["GQ120"]


# -- the commands that seal and open ------------------------------------------------------------------


def test_seal_an_export_into_place_and_open_it_outside_the_repository(world, tmp_path):
    git(world.root, "init", "-q")
    export = tmp_path / "export.csv"
    export.write_text(HEADER + f"participant,{MEMBERS[0]},asthme-corticoide-inhale,3,30\n", encoding="utf-8")
    target = world.root / "regions/armor/feedback/2025-S1.csv"
    sealed = invoke("seal", str(export), "--to", str(target))
    assert sealed.exit_code == 0, sealed.output
    assert sealing.is_sealed(target.read_bytes()) and b"participant" not in target.read_bytes()
    assert invoke("seal", str(target)).stdout.startswith("Déjà chiffré")
    assert invoke("unseal", str(target)).stdout == export.read_text()
    out = tmp_path / "clair.csv"
    assert invoke("unseal", str(target), "--out", str(out)).exit_code == 0 and out.read_text() == export.read_text()
    inside = invoke("unseal", str(target), "--out", str(world.root / "clair.csv"))
    assert inside.exit_code == 2 and "dépôt" in inside.stderr and not (world.root / "clair.csv").exists()
    assert invoke("seal", str(world.root / G)).exit_code == 2  # not a feedback export
    from gqrec.feedback.sealed import Refusal, unseal_into

    key = FEEDBACK_KEY.encode()
    assert unseal_into(target, key) == export.read_text()  # the library does the command's work
    again = tmp_path / "encore.csv"
    assert unseal_into(target, key, again) is None and again.read_text() == export.read_text()
    with pytest.raises(Refusal):
        unseal_into(target, key, world.root / "clair.csv")
    no_key = invoke("seal", str(export), "--to", str(target), key=None)
    assert no_key.exit_code == 2 and "Pas de clé" in no_key.stderr


def test_make_run_s_sample_is_sealed_with_the_sample_key():
    sample = Path(__file__).resolve().parent.parent / "records"
    makefile = (sample.parent / "Makefile").read_text()
    assert f"SAMPLE_KEY := {FEEDBACK_KEY}" in makefile
    files = sorted(sample.glob("regions/*/feedback/*.csv"))
    assert files and all(sealing.is_sealed(p.read_bytes()) for p in files)


def test_a_new_repository_s_ci_gets_the_key_as_a_secret(tmp_path, gqrec_source):
    result = invoke("init", str(tmp_path / "depot"), "--source", gqrec_source)
    assert result.exit_code == 0, result.output
    workflow = YAML(typ="safe").load((tmp_path / "depot/.github/workflows/gqrec.yml").read_text(encoding="utf-8"))
    assert workflow["jobs"]["check"]["env"] == {sealing.KEY_ENV: "${{ secrets.GQREC_FEEDBACK_KEY }}"}
    federation = (tmp_path / "depot/records/federation.yaml").read_text(encoding="utf-8")
    assert "feedback_min_members: 5" in federation and federation.count("feedback_min_members") == 1
