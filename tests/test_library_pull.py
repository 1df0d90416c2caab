"""`gqrec library pull`, library.lock and GQ125, with a real national git repository in a temporary folder:
a region takes the national library at a commit, follows its changes theme by theme, keeps its local
edits (reported) and the themes it still uses, and `gqrec init --library` starts a region from it."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from gqrec.parse import decode, parse_yaml
from test_git import IDENTITY, commit_all, git
from world import build_world

pytestmark = pytest.mark.slow  # real git

LIBRARY = Path(__file__).resolve().parent.parent / "gqrec" / "library"
ASTHMA = "themes/asthme-adulte.yaml"
ASTHMA_INDICATOR = "indicators/asthme-corticoide-inhale.yaml"
CYSTITIS = "themes/cystite-aigue-simple.yaml"
CYSTITIS_INDICATOR = "indicators/cystite-ecbu-traitement-court.yaml"


@pytest.fixture(autouse=True)
def git_identity(monkeypatch):
    for key, value in IDENTITY.items():
        monkeypatch.setenv(key, value)


class National:
    """The national repository: a records root at its top, committed; `commit()` gives the new HEAD."""

    def __init__(self, top: Path):
        self.top = top

    def write(self, rel: str, text: str) -> None:
        path = self.top / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def edit(self, rel: str, old: str, new: str) -> None:
        text = (self.top / rel).read_text(encoding="utf-8")
        assert old in text
        self.write(rel, text.replace(old, new, 1))

    def remove(self, rel: str) -> None:
        (self.top / rel).unlink()

    def commit(self, message: str = "bibliothèque") -> str:
        commit_all(self.top, message)
        return git(self.top, "rev-parse", "HEAD").strip()


@pytest.fixture
def national(tmp_path) -> National:
    """The world's national files (federation, the asthma theme and its indicator) and the cystitis theme
    with its indicator, which the world's region does not use."""
    source = build_world(tmp_path / "source")
    top = tmp_path / "national"
    for rel in ("federation.yaml", ASTHMA, ASTHMA_INDICATOR):
        (top / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source.root / rel, top / rel)
    for rel in (CYSTITIS, CYSTITIS_INDICATOR):
        shutil.copy(LIBRARY / rel, top / rel)
    git(top, "init", "-q")
    repo = National(top)
    repo.first = repo.commit("v1")
    return repo


def pull(world, source, *args):
    return world.invoke("library", "pull", str(source), "--root", str(world.root), *args)


def lock(world, root: Path | None = None) -> dict:
    return parse_yaml(decode(((root or world.root) / "library.lock").read_bytes())).data


def sha(path: Path) -> str:
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


def title(rel: str, root: Path) -> str:
    return parse_yaml((root / rel).read_text(encoding="utf-8")).data["title"]


def test_a_first_pull_writes_the_library_and_its_lock(world, national):
    run = pull(world, national.top)
    assert run.exit_code == 0, run.output
    assert (world.root / CYSTITIS).read_bytes() == (national.top / CYSTITIS).read_bytes()
    assert f"nouveau : thème « {title(CYSTITIS, national.top)} » ({CYSTITIS})" in run.output
    assert "asthme" not in run.output  # already there, the same: nothing to say
    written = lock(world)
    assert written["source"] == str(national.top.resolve()) and written["revision"] == national.first
    assert written["files"] == {rel: sha(national.top / rel) for rel in
                                ("federation.yaml", ASTHMA, ASTHMA_INDICATOR, CYSTITIS, CYSTITIS_INDICATOR)}
    assert world.check().exit_code == 0 and world.findings_of("GQ125") == []


def test_changed_and_new_themes_are_said_by_their_title(world, national):
    pull(world, national.top)
    national.edit(ASTHMA, "title: ", "title: Asthme de l'adulte, révision 2027 — ")
    shutil.copy(LIBRARY / "themes/diabete-type-2.yaml", national.top / "themes/diabete-type-2.yaml")
    second = national.commit("v2")
    run = pull(world, national.top)
    assert run.exit_code == 0, run.output
    assert f"(précédent : {national.first[:12]})" in run.output
    assert f"modifié : thème « {title(ASTHMA, national.top)} » ({ASTHMA})" in run.output
    assert f"nouveau : thème « {title('themes/diabete-type-2.yaml', national.top)} »" in run.output
    assert (world.root / ASTHMA).read_bytes() == (national.top / ASTHMA).read_bytes()
    assert lock(world)["revision"] == second and world.findings_of("GQ125") == []


def test_a_removed_theme_still_used_is_kept_and_said_an_unused_one_removed(world, national):
    pull(world, national.top)
    for rel in (ASTHMA, ASTHMA_INDICATOR, CYSTITIS, CYSTITIS_INDICATOR):
        national.remove(rel)
    national.commit("v2: thèmes retirés")
    run = pull(world, national.top)
    assert run.exit_code == 0, run.output
    assert not (world.root / CYSTITIS).exists() and not (world.root / CYSTITIS_INDICATOR).exists()
    assert f"retiré : thème « {title(CYSTITIS, LIBRARY)} » ({CYSTITIS})" in run.output
    assert (world.root / ASTHMA).exists() and (world.root / ASTHMA_INDICATOR).exists()
    assert f"gardé : thème « {title(ASTHMA, world.root)} » ({ASTHMA}) : retiré de la bibliothèque nationale, mais " \
           "encore utilisé (programme 2024 de armor, 10 réunions)" in run.output
    assert f"gardé : indicateur « {title(ASTHMA_INDICATOR, world.root)} »" in run.output
    assert lock(world)["kept"] == [ASTHMA_INDICATOR, ASTHMA]
    assert world.check().exit_code == 0 and world.findings_of("GQ125") == []
    again = pull(world, national.top)  # still used: still kept, nothing else to do
    assert "déjà à jour" in again.output and (world.root / ASTHMA).exists()


def test_a_local_edit_is_reported_by_gq125_and_never_overwritten_without_force(world, national):
    pull(world, national.top)
    world.edit(ASTHMA, "title: ", "title: (version régionale) ")
    assert [(f["path"], f["line"]) for f in world.findings_of("GQ125")] == [(ASTHMA, 1)]
    assert "gqrec library pull --force" in world.findings_of("GQ125")[0]["message"]
    mine, before = (world.root / ASTHMA).read_bytes(), (world.root / "library.lock").read_bytes()

    national.edit(CYSTITIS, "title: ", "title: Cystite, révisée — ")  # the asthma theme unchanged nationally
    national.commit("v2")
    run = pull(world, national.top)
    assert run.exit_code == 0, run.output
    assert f"modification locale gardée : thème « {title(ASTHMA, national.top)} » ({ASTHMA})" in run.output
    assert (world.root / ASTHMA).read_bytes() == mine and [f["path"] for f in world.findings_of("GQ125")] == [ASTHMA]

    national.edit(ASTHMA, "title: ", "title: Asthme, révisé — ")  # now the nation changed it too
    national.commit("v3")
    before = (world.root / "library.lock").read_bytes()
    refused = pull(world, national.top)
    assert refused.exit_code == 2
    assert f"Modifications locales de la bibliothèque nationale : {ASTHMA}" in refused.output and "--force" in refused.output
    assert (world.root / ASTHMA).read_bytes() == mine and (world.root / "library.lock").read_bytes() == before

    forced = pull(world, national.top, "--force")
    assert forced.exit_code == 0, forced.output
    assert (world.root / ASTHMA).read_bytes() == (national.top / ASTHMA).read_bytes()
    assert world.findings_of("GQ125") == []


def test_force_restores_a_local_edit_the_nation_did_not_change(world, national):
    pull(world, national.top)
    world.edit(ASTHMA, "title: ", "title: (version régionale) ")
    run = pull(world, national.top, "--force")
    assert run.exit_code == 0 and f"rétabli (--force) : thème « {title(ASTHMA, national.top)} »" in run.output
    assert (world.root / ASTHMA).read_bytes() == (national.top / ASTHMA).read_bytes()


def test_gq125_reports_a_missing_and_an_unlisted_library_file_and_nothing_without_a_lock(world, national):
    world.write("themes/theme-maison.yaml", world.read(ASTHMA))
    assert world.findings_of("GQ125") == []  # no federation pulled, no lock: nothing to compare with
    world.remove("themes/theme-maison.yaml")
    pull(world, national.top)
    world.write("themes/theme-maison.yaml", world.read(ASTHMA))
    world.remove(CYSTITIS_INDICATOR)
    found = {(f["path"], f["line"], f["column"]): f["message"] for f in world.findings_of("GQ125")}
    at = world.pos("library.lock", CYSTITIS_INDICATOR)
    assert set(found) == {("themes/theme-maison.yaml", 1, 1), ("library.lock", *at)}
    assert found[("library.lock", *at)].startswith(f"{CYSTITIS_INDICATOR}, que library.lock enregistre, manque")


def test_pulling_the_same_commit_again_changes_nothing(world, national):
    pull(world, national.top)
    lock_file = world.root / "library.lock"
    before = lock_file.read_bytes(), lock_file.stat().st_mtime_ns
    run = pull(world, national.top)
    assert run.exit_code == 0
    assert run.output.startswith(f"Bibliothèque nationale déjà à jour (commit {national.first[:12]} ")
    assert "rien n'a changé" in run.output
    assert (lock_file.read_bytes(), lock_file.stat().st_mtime_ns) == before


def test_rev_pins_a_commit_a_tag_or_an_abbreviated_id_from_a_url(world, national):
    git(national.top, "tag", "v1")
    national.edit(ASTHMA, "title: ", "title: Asthme, révisé — ")
    second = national.commit("v2")
    url = national.top.as_uri()
    for rev in (national.first, "v1", national.first[:10]):
        run = pull(world, url, "--rev", rev, "--force")
        assert run.exit_code == 0, run.output
        assert lock(world)["revision"] == national.first and lock(world)["source"] == url
        assert title(ASTHMA, world.root) != title(ASTHMA, national.top)
    run = pull(world, url)
    assert lock(world)["revision"] == second and title(ASTHMA, world.root) == title(ASTHMA, national.top)
    unknown = pull(world, url, "--rev", "pas-une-revision")
    assert unknown.exit_code == 2 and "pas-une-revision" in unknown.output


def test_a_records_folder_inside_the_national_repository_and_uncommitted_edits(world, tmp_path, national):
    """The national records may sit in records/ of their repository; what is pulled is what is committed."""
    top = tmp_path / "federation"
    shutil.copytree(national.top, top / "records", ignore=shutil.ignore_patterns(".git"))
    git(top, "init", "-q")
    commit_all(top)
    (top / "records" / ASTHMA).write_text("title: [\n", encoding="utf-8")  # not committed: not pulled
    for source in (top, top / "records"):
        run = pull(world, source, "--force")
        assert run.exit_code == 0, run.output
        assert (world.root / ASTHMA).read_bytes() == (national.top / ASTHMA).read_bytes()
    outside = pull(world, tmp_path / "source")
    assert outside.exit_code == 2 and "n'est dans aucun dépôt git" in outside.output


def test_the_check_cache_sees_a_library_file_change(world, national):
    pull(world, national.top)
    assert world.check().rules() == []  # the cache written
    assert world.check().rules() == []  # and read
    world.edit(CYSTITIS, "title: ", "title: (modifié) ")
    assert world.check().rules() == ["GQ125"]
    world.edit(CYSTITIS, "title: (modifié) ", "title: ")
    assert world.check().rules() == []


def test_init_library_starts_a_region_from_the_national_repository(tmp_path, national, gqrec_source):
    from click.testing import CliRunner

    from gqrec.cli import cli

    national.edit(ASTHMA, "title: ", "title: Asthme, révisé — ")
    national.commit("v2")
    target = tmp_path / "region"
    result = CliRunner().invoke(cli, ["init", str(target), "--source", gqrec_source,
                                      "--library", f"{national.top.as_uri()}@{national.first}"])
    assert result.exit_code == 0, result.output
    records = target / "records"
    assert sorted(p.relative_to(records).as_posix() for p in records.glob("*s/*.yaml")) == \
        sorted([ASTHMA_INDICATOR, CYSTITIS_INDICATOR, ASTHMA, CYSTITIS])  # the nation's, not gqrec's own copy
    assert (records / "federation.yaml").read_bytes() == (national.top / "federation.yaml").read_bytes()
    assert title(ASTHMA, records) != title(ASTHMA, national.top)  # the commit asked for, not the newest
    assert lock(None, records)["revision"] == national.first
    checked = CliRunner().invoke(cli, ["check", str(records)])
    assert checked.exit_code == 0, checked.output
    assert "GQ125" not in checked.output


def test_fmt_leaves_a_pulled_library_as_the_nation_wrote_it(world, national):
    """A region's `gqrec fmt` (its pre-commit hook) would otherwise make a local edit of a library file."""
    untidy = (national.top / CYSTITIS).read_text(encoding="utf-8").replace("title: ", "title:     ", 1)
    national.write(CYSTITIS, untidy)
    national.commit("v2")
    pull(world, national.top)
    assert world.invoke("fmt", "--root", str(world.root)).exit_code == 0
    assert (world.root / CYSTITIS).read_text(encoding="utf-8") == untidy and world.findings_of("GQ125") == []
    (world.root / "library.lock").unlink()  # no library pulled: fmt formats the themes too
    world.invoke("fmt", "--root", str(world.root))
    assert (world.root / CYSTITIS).read_text(encoding="utf-8") != untidy


def test_a_first_pull_after_init_replaces_gqrec_s_own_copy_but_not_its_edits(tmp_path, national, gqrec_source):
    """Without a lock, the files as `gqrec init` wrote them count as pulled: the nation's versions replace
    them and those it does not have are removed; a file edited since is a local edit, kept and reported."""
    from click.testing import CliRunner

    from gqrec.cli import cli
    from world import World

    target = tmp_path / "region"
    assert CliRunner().invoke(cli, ["init", str(target), "--source", gqrec_source]).exit_code == 0
    region = World(target / "records")
    region.edit("themes/diabete-type-2.yaml", "title: ", "title: (version régionale) ")
    run = region.invoke("library", "pull", str(national.top), "--root", str(region.root))
    assert run.exit_code == 0, run.output
    assert "modifié : fédération et charte nationale (federation.yaml)" in run.output
    assert f"retiré : thème « {title('themes/lombalgie-commune.yaml', LIBRARY)} »" in run.output
    assert not (region.root / "themes/lombalgie-commune.yaml").exists()
    assert (region.root / "themes/diabete-type-2.yaml").exists()
    assert [f["path"] for f in region.findings_of("GQ125")] == ["themes/diabete-type-2.yaml"]
