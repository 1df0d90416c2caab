"""gqrec and git, with real repositories in temporary folders: `check --changed-since` and GQ116."""

from __future__ import annotations

import os
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest

from gqrec import gitio
from world import G, MEMBERS, MEETING_DAYS, REGION, build_world, meeting_path

IDENTITY = {
    "GIT_AUTHOR_NAME": "Coordination Test",
    "GIT_AUTHOR_EMAIL": "coordination@example.org",
    "GIT_COMMITTER_NAME": "Coordination Test",
    "GIT_COMMITTER_EMAIL": "coordination@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(cwd: Path, *args: str, when: date | None = None) -> str:
    """Run git in cwd as the test identity; `when` back-dates the commit (author and committer)."""
    env = {**os.environ, **IDENTITY}
    if when is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{when.isoformat()}T12:00:00+00:00"
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def commit_all(top: Path, message: str = "registres", when: date | None = None) -> None:
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", message, when=when)


@pytest.fixture(autouse=True)
def git_identity(monkeypatch):
    """gqrec's own git subprocesses see the same isolated configuration."""
    for key, value in IDENTITY.items():
        monkeypatch.setenv(key, value)


@pytest.fixture
def repo(world):
    """The compliant world committed in a repository whose root is one level above the records."""
    top = world.root.parent
    git(top, "init", "-q")
    commit_all(top)
    return world


# -- check --changed-since -------------------------------------------------------------------------------

def test_a_deleted_physician_is_caught_in_the_untouched_files_that_name_them(repo):
    repo.remove(f"regions/armor/physicians/{MEMBERS[0]}.yaml")
    run = repo.check("--changed-since", "HEAD")
    assert run.exit_code == 1
    where = {f["path"] for f in run.only("GQ004")}
    # their member entry, their contract and feedback rows; the meetings that list them are judged on that
    # entry alone (one fault, one finding)
    assert where == {G, f"regions/armor/contracts/2024/{MEMBERS[0]}.yaml", "regions/armor/feedback/2024-S1.csv",
                     "regions/armor/feedback/2024-S2.csv"}


def test_findings_already_there_at_rev_in_untouched_files_are_not_reported(repo):
    old = meeting_path(MEETING_DAYS[0])
    repo.edit(old, "clinical_cases: 4", "clinical_cases: -1")  # an error…
    repo.edit(meeting_path(MEETING_DAYS[1]), "duration_minutes: 120", "duration_minutes: 60")  # …and a warning
    commit_all(repo.root.parent, "deux défauts")
    repo.edit("regions/armor/territories/lamballe.yaml", "name: Lamballe", "name: Pays de Lamballe")
    assert repo.check().exit_code == 1  # both are still there…
    run = repo.check("--changed-since", "HEAD")
    assert run.findings == [] and run.exit_code == 0  # …but this change is not answerable for them

    newer = meeting_path(MEETING_DAYS[2])
    repo.edit(newer, "duration_minutes: 120", "duration_minutes: 45")
    run = repo.check("--changed-since", "HEAD")
    assert [(f["rule"], f["path"]) for f in run.findings] == [("GQ111", newer)]


def test_a_change_in_a_committed_history_is_judged_against_its_base(repo):
    top = repo.root.parent
    git(top, "tag", "base")
    repo.edit(meeting_path(MEETING_DAYS[3]), f'  - "{MEMBERS[8]}"\n', "")  # a member dropped from the roll call
    commit_all(top, "appel incomplet")
    run = repo.check("--changed-since", "base")
    assert [(f["rule"], f["path"]) for f in run.findings] == [("GQ112", meeting_path(MEETING_DAYS[3]))]
    assert repo.check("--changed-since", "HEAD").findings == []


def test_a_change_in_one_region_is_compared_in_that_region_and_the_national_files(repo):
    """Only the touched region and the national files are exported and judged again: an untouched
    region's standing faults stay out, a national fault the change causes is in."""
    import shutil

    top = repo.root.parent
    shutil.copytree(repo.root / "regions/armor", repo.root / "regions/argoat")
    argoat_meeting = f"regions/argoat/groups/lamballe/meetings/{MEETING_DAYS[0]}.yaml"
    repo.edit(argoat_meeting, "duration_minutes: 120", "duration_minutes: 60")  # standing, in argoat
    repo.write("themes/cystite.yaml", "title: Cystite\ncriteria: {daily_practice: true, evaluable: true, "
               "evidence_based: true, efficiency: false}\ndossier:\n  problem: x\n  key_messages: [y]\n"
               "  references: [{title: z, publisher: HAS, year: 2020}]\nindicators: [asthme-corticoide-inhale]\n")
    repo.write("regions/argoat/programmes/2024.yaml", "validated: 2023-12-15\nthemes: [asthme-adulte, cystite]\n")
    commit_all(top, "argoat")
    standing = repo.check()
    assert {(f["rule"], f["path"]) for f in standing.findings} >= {("GQ111", argoat_meeting), ("GQ109", "themes/cystite.yaml")}

    repo.write("regions/armor/programmes/2024.yaml", "validated: 2023-12-15\nthemes: [asthme-adulte, cystite]\n")
    repo.edit(meeting_path(MEETING_DAYS[1]), "duration_minutes: 120", "duration_minutes: 45")
    run = repo.check("--changed-since", "HEAD")
    assert {(f["rule"], f["path"]) for f in run.findings} == {("GQ111", meeting_path(MEETING_DAYS[1]))}
    # GQ109 on the theme was there at HEAD (argoat offers it): not this change's doing

    repo.remove(f"regions/armor/physicians/{MEMBERS[0]}.yaml")
    run = repo.check("--changed-since", "HEAD")
    assert G in {f["path"] for f in run.only("GQ004")} and argoat_meeting not in {f["path"] for f in run.findings}


def test_links_in_the_history_are_written_back_as_links_and_never_followed(repo, tmp_path):
    outside = tmp_path / "secret.yaml"
    outside.write_text("name: secret\n", encoding="utf-8")
    os.symlink(outside, repo.root / "regions/armor/lien.yaml")
    commit_all(repo.root.parent, "un lien")
    os.remove(repo.root / "regions/armor/lien.yaml")
    run = repo.check("--changed-since", "HEAD")
    assert run.findings == []  # the link was reported at HEAD, not read: its removal causes nothing
    with gitio.tree_at(repo.root, "HEAD") as past:
        link = past / "regions/armor/lien.yaml"
        assert link.is_symlink() and os.readlink(link) == str(outside)
    assert outside.read_text(encoding="utf-8") == "name: secret\n"


def test_changed_since_with_the_records_at_the_repository_root(world):
    git(world.root, "init", "-q")
    world.edit(meeting_path(MEETING_DAYS[0]), "duration_minutes: 120", "duration_minutes: 60")
    commit_all(world.root)
    world.remove(f"regions/armor/physicians/{MEMBERS[0]}.yaml")
    run = world.check("--changed-since", "HEAD")
    assert G in {f["path"] for f in run.only("GQ004")}
    assert run.only("GQ111") == []  # there before the change


def test_an_unknown_revision_is_a_usage_error(repo):
    run = repo.check("--changed-since", "pas-une-revision")
    assert run.exit_code == 2


# -- GQ116: meeting files committed late -----------------------------------------------------------------

LATE, ON_TIME = MEETING_DAYS[2], MEETING_DAYS[3]  # 2024-03-12 and 2024-04-09


@pytest.fixture
def history(tmp_path):
    """Everything committed early, except two meetings committed 100 and exactly 90 days after they took place."""
    world = build_world(tmp_path / "records")
    top = tmp_path
    git(top, "init", "-q")
    git(top, "add", "-A")
    git(top, "reset", "-q", "--", f"records/{meeting_path(LATE)}", f"records/{meeting_path(ON_TIME)}")
    git(top, "commit", "-q", "-m", "registres", when=date(2024, 1, 2))
    for day, delay in ((LATE, 100), (ON_TIME, 90)):
        git(top, "add", f"records/{meeting_path(day)}")
        git(top, "commit", "-q", "-m", f"réunion du {day}", when=date.fromisoformat(day) + timedelta(days=delay))
    return world


def with_deadline(world, days: int = 90) -> None:
    world.edit(REGION, "charter:\n", f"charter:\n  minutes_within_days: {days}\n")


def test_gq116_fires_past_the_deadline_and_not_on_it(history):
    with_deadline(history)
    run = history.check()
    assert run.exit_code == 0  # a warning
    late = run.only("GQ116")
    assert [(f["path"], f["line"], f["column"], f["severity"]) for f in late] == [
        (meeting_path(LATE), 1, 1, "warning")
    ]
    assert "100 jours" in late[0]["message"] and "90" in late[0]["message"]


def test_gq116_is_silent_without_the_charter_key(history):
    assert history.check().only("GQ116") == []


def test_gq116_does_not_judge_files_not_committed_yet(history):
    with_deadline(history, 10)
    history.write(meeting_path("2024-07-09"), history.read(meeting_path(LATE)))
    flagged = {f["path"] for f in history.check().only("GQ116")}
    assert meeting_path("2024-07-09") not in flagged
    assert flagged == {meeting_path(LATE), meeting_path(ON_TIME)}


def test_gq116_yields_nothing_outside_a_git_repository(world):
    with_deadline(world, 1)
    run = world.check()
    assert run.findings == [] and run.exit_code == 0


def test_gq116_explains_itself():
    from gqrec.rules import CATALOGUE, catalogue

    catalogue()
    entry = CATALOGUE["GQ116"]
    assert entry.severity == "warning" and entry.parameters == ("minutes_within_days",)
    assert "trois mois" in entry.explanation and "allemands" in entry.explanation



# -- report --at ---------------------------------------------------------------------------------------

def bilan_json(world, *args: str) -> dict:
    import json

    run = world.invoke("report", str(world.root), "--year", "2024", "--format", "json", "--as-of", "2025-01-01", *args)
    assert run.exit_code == 0, run.output
    return json.loads(run.output)


def test_report_at_an_older_commit_gives_the_older_figures(repo):
    repo.remove(meeting_path(MEETING_DAYS[-1]))
    commit_all(repo.root.parent, "une réunion retirée")
    assert bilan_json(repo)["total"]["meetings_held"] == 9
    assert bilan_json(repo, "--at", "HEAD~1")["total"]["meetings_held"] == 10
    assert bilan_json(repo, "--at", "HEAD")["total"]["meetings_held"] == 9
    assert not (repo.root / meeting_path(MEETING_DAYS[-1])).exists()  # the working tree is untouched


def test_report_at_an_unknown_revision_is_a_usage_error(repo):
    run = repo.invoke("report", str(repo.root), "--year", "2024", "--at", "nulle-part")
    assert run.exit_code == 2


def test_report_at_a_revision_names_it_and_its_commit_date_in_the_header(repo):
    git(repo.root.parent, "commit", "-q", "--allow-empty", "-m", "mars", when=date(2025, 3, 12))
    git(repo.root.parent, "tag", "v2025-03")
    sha = git(repo.root.parent, "rev-parse", "v2025-03").strip()
    for fmt in ("md", "html"):
        run = repo.invoke("report", str(repo.root), "--year", "2024", "--format", fmt, "--as-of", "2025-01-01",
                          "--at", "v2025-03")
        assert run.exit_code == 0, run.output
        assert f"révision git v2025-03 (commit {sha[:12]} du 12 mars 2025)" in run.output
    plain = repo.invoke("report", str(repo.root), "--year", "2024", "--as-of", "2025-01-01")
    assert "révision" not in plain.output
