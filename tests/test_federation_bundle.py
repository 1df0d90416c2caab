"""Federation (FEDERATION.md): a region's bundle, and the national bilan made from bundles alone.

The invariant is the heart: a national demo archive split into one records tree per region (each with
the national library), each bundled by `gqrec bundle`, then combined by `gqrec report --from-bundles`,
gives exactly the whole tree's `gqrec report --format json` (`total` and every region), and the same
Markdown tables. Then each refusal, with real files (and real `ssh-keygen` keys for signatures), real git
for the provenance, and what a bundle must never hold.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from world import FEEDBACK_KEY
from gqrec.cli import cli
from gqrec.demo import generate, split
from gqrec.report.federation.bundle import digest

YEAR = 2025
AS_OF = "2026-03-01"
SSH_KEYGEN = shutil.which("ssh-keygen")
needs_ssh_keygen = pytest.mark.skipif(SSH_KEYGEN is None, reason="ssh-keygen absent (paquet openssh-client)")


def gqrec(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args], env={"GQREC_FEEDBACK_KEY": FEEDBACK_KEY})


def bundle(tree: Path, out: Path, *args: str, year: int = YEAR) -> Path:
    result = gqrec("bundle", tree, "--year", year, "--as-of", AS_OF, "--out", out, *args)
    assert result.exit_code == 0, result.output
    return out


def combined(*bundles: Path, fmt: str = "json", more: tuple = ()):
    return gqrec("report", "--year", YEAR, "--from-bundles", "--format", fmt, *more, *bundles)


@pytest.fixture(scope="module")
def national(tmp_path_factory) -> tuple[Path, dict[str, Path]]:
    """A three-region demo archive, and each region's bundle."""
    top = tmp_path_factory.mktemp("federation")
    root = top / "national"
    generate(root, regions=3, groups=7, years=2, first_year=2024, seed=3, key=FEEDBACK_KEY.encode())
    trees = split(root, top / "regions")
    return root, {region: bundle(tree, top / f"{region}.json") for region, tree in trees.items()}


# -- the invariant -----------------------------------------------------------------------------------


def tables_of(markdown: str) -> str:
    """A bilan's Markdown from its inventory line on (not its cover, which a bundle gives without the
    coordinator's and the COPIL's names, nor its origin line), without the provenance of a bilan from bundles."""
    body = markdown.split("## 14. Provenance")[0]
    return body[body.index("\n**", body.index("Registres arrêtés")):].rstrip()


@pytest.mark.parametrize("seed", [2, 5])
def test_bundles_combined_give_exactly_the_whole_tree_bilan(tmp_path, seed):
    root = tmp_path / "national"
    generate(root, regions=3, groups=6, years=2, first_year=2024, seed=seed, key=FEEDBACK_KEY.encode())
    trees = split(root, tmp_path / "regions")
    bundles = [bundle(tree, tmp_path / f"{region}.json") for region, tree in trees.items()]
    whole = gqrec("report", root, "--year", YEAR, "--as-of", AS_OF, "--format", "json")
    assert whole.exit_code == 0, whole.output
    result = combined(*reversed(bundles))  # the order the bundles are given in does not matter
    assert result.exit_code == 0, result.output
    expected, got = json.loads(whole.output), json.loads(result.output)
    assert len(got["regions"]) == 3 and got["total"]["participants"] > 0
    assert got["total"] == expected["total"]
    assert got["regions"] == expected["regions"]
    # every other format shows the same tables: the indicators' evolution, the idées forces…
    whole_md = gqrec("report", root, "--year", YEAR, "--as-of", AS_OF).output
    assert "Évolution des indicateurs" in whole_md and "Pas de données de retour" not in whole_md
    national_md = combined(*bundles, fmt="md").output
    assert tables_of(national_md) == tables_of(whole_md)
    assert "Médecin coordonnateur" in whole_md and "Médecin coordonnateur" not in national_md
    assert "APIMED" in national_md


def test_every_bilan_format_from_bundles_with_a_provenance_table(national, tmp_path):
    _, bundles = national
    paths = list(bundles.values())
    markdown = combined(*paths, fmt="md")
    assert markdown.exit_code == 0, markdown.output
    assert "Provenance des paquets régionaux" in markdown.output and "APIMED" in markdown.output
    assert "assemblé à partir des paquets des régions" in markdown.output
    html = combined(*paths, fmt="html", more=("--out", tmp_path / "html"))
    assert html.exit_code == 0, html.output
    page = (tmp_path / "html" / f"bilan-{YEAR}.html").read_text()
    assert "<svg" in page and "Provenance des paquets régionaux" in page
    csv = combined(*paths, fmt="csv", more=("--out", tmp_path / "csv"))
    assert csv.exit_code == 0, csv.output
    assert (tmp_path / "csv" / f"bilan-{YEAR}-provenance.csv").is_file()
    assert (tmp_path / "csv" / f"bilan-{YEAR}-chiffres.csv").is_file()
    provenance = json.loads(combined(*paths).output)["provenance"]
    assert [p["region"] for p in provenance] == sorted(bundles)
    assert all(p["signed_by"] is None and p["gqrec"] for p in provenance)


def test_a_bundle_carries_the_counts_the_total_pools(national):
    _, bundles = national
    document = json.loads(next(iter(bundles.values())).read_text())
    assert document["format"] == "gqrec-bundle/1" and document["year"] == YEAR
    assert document["digest"] == digest(document)
    region = document["regions"][0]
    for key in ("minutes", "attendances", "absences", "covered", "practitioners", "errors", "warnings"):
        assert isinstance(region["counts"][key], int)
    pairs = [pair for series in region["report"]["indicators"] for pair in series["participant_counts"] if pair]
    assert pairs, "the participants' numerator and denominator sums of each rate shown"
    assert set(document["provenance"]) >= {"repository", "commit", "committed", "dirty", "gqrec", "library"}


# -- refusals ----------------------------------------------------------------------------------------


def refused(result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.output, result.output


def test_a_bundle_edited_after_writing_is_refused(national, tmp_path):
    _, bundles = national
    first, *others = bundles.values()
    document = json.loads(first.read_text())
    document["regions"][0]["attendances"] += 1
    tampered = tmp_path / first.name
    tampered.write_text(json.dumps(document))
    refused(combined(tampered, *others), "empreinte", str(tampered))


def test_a_rewritten_digest_does_not_hide_figures_that_disagree(national, tmp_path):
    """Whoever edits a figure and recomputes the digest still gives region objects that disagree with the
    counts and report they carry."""
    _, bundles = national
    first = next(iter(bundles.values()))
    document = json.loads(first.read_text())
    document["regions"][0]["attendances"] += 1
    document["digest"] = digest(document)
    edited = tmp_path / first.name
    edited.write_text(json.dumps(document))
    refused(combined(edited), "mal formé", str(edited))


def test_a_region_given_twice_is_refused(national):
    _, bundles = national
    first = next(iter(bundles.values()))
    refused(combined(*bundles.values(), first), "déjà donnée", first.name)


def test_a_bundle_of_another_year_is_refused(national, tmp_path):
    root, bundles = national
    tree = next(iter(split(root, tmp_path / "split").values()))
    other = bundle(tree, tmp_path / "2024.json", year=2024)
    refused(combined(*list(bundles.values())[1:], other), "2024", str(other))


def test_a_file_that_is_no_bundle_is_refused(national, tmp_path):
    _, bundles = national
    report = tmp_path / "bilan.json"
    report.write_text(json.dumps({"year": YEAR, "regions": [], "total": {}}))
    refused(combined(report), "format", str(report))
    garbage = tmp_path / "abime.json"
    garbage.write_text("{ pas du json")
    refused(combined(garbage), "illisible", str(garbage))


def test_bundles_of_different_library_revisions_are_combined_with_a_warning(national, tmp_path):
    root, _ = national
    trees = split(root, tmp_path / "split")
    paths = []
    for n, (region, tree) in enumerate(trees.items()):
        (tree / "library.lock").write_text(f"source: /national\nrevision: {'ab' * 19}{n:02d}\nfiles: {{}}\n")
        paths.append(bundle(tree, tmp_path / f"{region}.json"))
    result = combined(*paths)
    assert result.exit_code == 0, result.output
    assert "révisions différentes de la bibliothèque" in result.output
    assert all(path.name in result.output for path in paths)
    lock = json.loads(paths[0].read_text())["provenance"]["library"]
    assert lock["revision"] == "ab" * 19 + "00" and lock["digest"].startswith("sha256:")


# -- provenance from real git --------------------------------------------------------------------------


def git(tree: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(tree), "-c", "user.name=t", "-c", "user.email=t@example.org",
                           "-c", "commit.gpgsign=false", *args], check=True, capture_output=True, text=True).stdout


@pytest.mark.slow
def test_provenance_names_the_commit_and_hides_the_remote_credentials(national, tmp_path):
    root, _ = national
    tree = next(iter(split(root, tmp_path / "split").values()))
    git(tree, "init", "-q")
    git(tree, "add", "-A")
    git(tree, "commit", "-q", "-m", "records")
    git(tree, "remote", "add", "origin", "https://coordination:s3cret-token@git.example.org/apimed/gq.git")
    clean = json.loads(bundle(tree, tmp_path / "clean.json").read_text())["provenance"]
    assert clean["commit"] == git(tree, "rev-parse", "HEAD").strip()
    assert clean["repository"] == "https://git.example.org/apimed/gq.git"
    assert clean["dirty"] is False and clean["committed"]
    (tree / "regions" / next(p.name for p in (tree / "regions").iterdir()) / "notes.txt").write_text("brouillon\n")
    assert json.loads(bundle(tree, tmp_path / "dirty.json").read_text())["provenance"]["dirty"] is True


# -- signatures (real ssh-keygen) ----------------------------------------------------------------------


def keypair(folder: Path, name: str) -> tuple[Path, str]:
    key = folder / name
    subprocess.run([SSH_KEYGEN, "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key)], check=True)
    return key, (folder / f"{name}.pub").read_text().split()[:2]


def allowed(folder: Path, *signers: tuple[str, list[str]]) -> Path:
    path = folder / "allowed_signers"
    path.write_text("".join(f'{identity} namespaces="gqrec-bundle" {" ".join(public)}\n' for identity, public in signers))
    return path


@pytest.fixture(scope="module")
def signed(national, tmp_path_factory):
    """Each region's bundle signed by its own ed25519 key, and the allowed signers naming them."""
    if SSH_KEYGEN is None:
        pytest.skip("ssh-keygen absent (paquet openssh-client)")
    root, _ = national
    top = tmp_path_factory.mktemp("signed")
    trees = split(root, top / "split")
    keys = {region: keypair(top, f"{region}-key") for region in trees}
    bundles = {region: bundle(tree, top / f"{region}.json", "--sign", keys[region][0])
               for region, tree in trees.items()}
    signers = allowed(top, *((f"coordination@{region}.example.org", keys[region][1]) for region in trees))
    return bundles, signers, keys


@needs_ssh_keygen
def test_signed_bundles_are_combined_and_their_signers_named(signed):
    bundles, signers, _ = signed
    assert all(Path(f"{path}.sig").is_file() for path in bundles.values())
    result = combined(*bundles.values(), more=("--allowed-signers", signers))
    assert result.exit_code == 0, result.output
    provenance = json.loads(result.output)["provenance"]
    assert [p["signed_by"] for p in provenance] == [f"coordination@{r}.example.org" for r in sorted(bundles)]


@needs_ssh_keygen
def test_a_missing_signature_is_refused_when_signers_are_given(signed, national):
    bundles, signers, _ = signed
    _, unsigned = national
    region, path = next(iter(unsigned.items()))
    others = [p for r, p in bundles.items() if r != region]
    refused(combined(path, *others, more=("--allowed-signers", signers)), "signature absente", str(path))


@needs_ssh_keygen
def test_a_signature_by_a_key_not_allowed_is_refused(signed, tmp_path):
    bundles, _, keys = signed
    stranger = keypair(tmp_path, "inconnu")[1]
    signers = allowed(tmp_path, *((f"coordination@{r}.example.org", keys[r][1]) for r in list(bundles)[1:]),
                      ("autre@example.org", stranger))
    first = next(iter(bundles.values()))
    refused(combined(*bundles.values(), more=("--allowed-signers", signers)), "aucun signataire autorisé", str(first))


@needs_ssh_keygen
def test_a_bundle_changed_after_its_signature_is_refused(signed, tmp_path):
    """Edited and its digest recomputed: only the signature can tell."""
    bundles, signers, _ = signed
    first = next(iter(bundles.values()))
    document = json.loads(first.read_text())
    document["provenance"]["gqrec"] = "9.9.9"
    document["digest"] = digest(document)
    edited = tmp_path / first.name
    edited.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    shutil.copy(f"{first}.sig", f"{edited}.sig")
    refused(combined(edited, *list(bundles.values())[1:], more=("--allowed-signers", signers)),
            "signature invalide", str(edited))


# -- what a bundle never holds -----------------------------------------------------------------------------


def names_in(root: Path) -> set[str]:
    """Every person's name in the archive (physicians, COPIL members), without the « Dr » title."""
    names = set()
    for path in root.glob("regions/*/physicians/*.yaml"):
        names.add(re.search(r"^name: (.+)$", path.read_text(), re.M).group(1))
    for path in root.glob("regions/*/region.yaml"):
        names.update(re.findall(r"- name: ((?:Dr|M\.|Mme) .+)$", path.read_text(), re.M))
    return {re.sub(r"^(Dr|M\.|Mme|Pr) ", "", n) for n in names}


def test_no_bundle_holds_an_rpps_a_name_or_a_figure_under_the_thresholds(national):
    root, bundles = national
    names = names_in(root)
    assert len(names) > 50
    for path in bundles.values():
        text = path.read_text()
        assert not re.search(r"(?<!\d)\d{11}(?!\d)", text), f"{path}: an RPPS-like number"
        assert not [n for n in names if n in text], f"{path}: a person's name"
        document = json.loads(text)
        for region in document["regions"]:
            for series in region["report"]["indicators"]:
                for pairs in (series["participant_counts"], series["control_counts"]):
                    assert all(pair is None or pair[1] >= 10 for pair in pairs)
                for rate, pair in zip(series["participants"], series["participant_counts"]):
                    assert (rate is None) == (pair is None)
        rows = [row for region in document["impact"] for theme in region["themes"] for row in theme["indicators"]]
        rows += [group for row in rows for group in row["groups"]]
        assert rows
        for row in rows:
            if row["physicians"] < 5:
                assert row["change"] is row["effect"] is row["ci95"] is row["control_change"] is None


def test_options_that_make_no_sense_with_bundles_are_refused(national, tmp_path):
    root, bundles = national
    first = next(iter(bundles.values()))
    refused(gqrec("report", "--year", YEAR, "--from-bundles", "--region", "bretagne", first), "--region")
    refused(gqrec("report", "--year", YEAR, "--from-bundles"), "au moins un paquet")
    refused(gqrec("report", "--year", YEAR, "--allowed-signers", tmp_path / "s", root), "--from-bundles")
    refused(gqrec("report", "--year", YEAR, root, first), "--from-bundles")
