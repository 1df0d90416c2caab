"""What gqrec asks of git history when it is cut short or comes from another revision: a shallow clone
(GitHub's default checkout) never gives GQ116 on every meeting nor a comparison with a missing past, and
`--changed-since` judges GQ116 at its base with the base's own history. Real git, real clones."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from world import G, meeting_path
from test_git import LATE, commit_all, git, git_identity, history, repo, with_deadline  # noqa: F401 - fixtures

pytestmark = pytest.mark.slow  # real git clones

SHALLOW = "superficiel"


@pytest.fixture
def shallow(history, tmp_path):
    """A `git clone --depth 1` of a repository whose charter sets minutes_within_days (one meeting late)."""
    with_deadline(history)
    commit_all(history.root.parent, "délai des comptes rendus")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{history.root.parent}", str(clone))
    return clone / "records"


def gqrec(*args: str):
    return subprocess.run([sys.executable, "-m", "gqrec.cli", *args], capture_output=True, text=True, timeout=120)


def test_the_full_history_flags_the_late_meeting(history):
    with_deadline(history)
    commit_all(history.root.parent, "délai des comptes rendus")
    assert [f["path"] for f in history.check().only("GQ116")] == [meeting_path(LATE)]


def test_a_shallow_clone_gives_one_warning_instead_of_one_per_meeting(shallow):
    run = gqrec("check", str(shallow), "--format", "json", "--as-of", "2025-01-01")
    assert run.returncode == 0, run.stderr
    found = [f for f in json.loads(run.stdout) if f["rule"] == "GQ116"]
    assert len(found) == 1, found
    assert found[0]["path"] == "regions/armor/region.yaml" and found[0]["severity"] == "warning"
    assert SHALLOW in found[0]["message"] and "fetch-depth: 0" in found[0]["message"]
    again = gqrec("check", str(shallow), "--format", "json", "--as-of", "2025-01-01")  # remembered alike
    assert [f for f in json.loads(again.stdout) if f["rule"] == "GQ116"] == found


def test_a_deepened_clone_is_judged_again(shallow):
    gqrec("check", str(shallow), "--as-of", "2025-01-01")
    git(shallow.parent, "fetch", "-q", "--unshallow")
    run = gqrec("check", str(shallow), "--format", "json", "--as-of", "2025-01-01")
    assert [f["path"] for f in json.loads(run.stdout) if f["rule"] == "GQ116"] == [meeting_path(LATE)]


@pytest.mark.parametrize("command", [["check", "--changed-since", "HEAD"], ["report", "--year", "2024", "--at", "HEAD"]])
def test_what_needs_history_is_refused_in_a_shallow_clone(shallow, command):
    run = gqrec(command[0], str(shallow), *command[1:], "--as-of", "2025-01-01")
    assert run.returncode == 2, run.stdout + run.stderr
    assert SHALLOW in run.stderr and "git fetch --unshallow" in run.stderr
    assert "Traceback" not in run.stderr


def test_changed_since_judges_gq116_at_the_base_with_the_base_history(history):
    """Editing a group's name used to report every old GQ116 of the region as new."""
    with_deadline(history)
    commit_all(history.root.parent, "délai des comptes rendus")
    history.edit(G, "name: Groupe Qualité de Lamballe", "name: Groupe Qualité de Lamballe-Penthièvre")
    run = history.check("--changed-since", "HEAD")
    assert run.exit_code == 0, run.output
    assert run.only("GQ116") == []
    history.edit("regions/armor/region.yaml", "minutes_within_days: 90", "minutes_within_days: 20")
    flagged = {f["path"] for f in history.check("--changed-since", "HEAD").only("GQ116")}
    assert meeting_path("2024-04-09") in flagged  # a shorter deadline: a finding the change caused


@pytest.mark.parametrize("rev", ["--output={target}", "-p", "--", ""])
def test_a_revision_that_looks_like_an_option_is_refused(repo, tmp_path, rev):
    """`--changed-since=--output=FILE` was handed to git as an option, which truncated FILE."""
    target = tmp_path / "perdu.txt"
    target.write_text("à garder", encoding="utf-8")
    rev = rev.format(target=target)
    run = repo.check(f"--changed-since={rev}")
    assert run.exit_code == 2, run.output
    assert target.read_text(encoding="utf-8") == "à garder"
    report = repo.invoke("report", str(repo.root), "--year", "2024", f"--at={rev}")
    assert report.exit_code == 2, report.output
    assert target.read_text(encoding="utf-8") == "à garder"


def test_without_any_history_the_message_says_so(world):
    run = world.check("--changed-since", "HEAD")
    assert run.exit_code == 2
    assert "aucun dépôt git" in run.output
