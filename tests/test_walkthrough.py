"""The README of `gqrec init` followed to the letter: every command of its walkthrough, in order, run by a
real shell on the repository init made, ends in a clean `gqrec check` with one group and ten meetings.
Nothing is written by hand: if the README or a command it relies on breaks, this test does."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # some thirty gqrec processes run by a real shell

BIN = Path(sys.executable).parent  # the gqrec console script installed beside this Python


def gqrec(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "gqrec"), *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"})


def walkthrough(readme: str) -> list[str]:
    """The shell blocks of the section « Premier groupe, pas à pas », in order, unindented."""
    section = readme.split("## Premier groupe, pas à pas", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"^( *)```sh\n(.*?)^\1```", section, flags=re.M | re.S)
    return ["\n".join(line[len(indent):] for line in body.splitlines()) for indent, body in blocks]


def test_the_init_readme_alone_leads_to_a_clean_region(tmp_path, gqrec_source):
    repo = tmp_path / "registres"
    made = gqrec(tmp_path, "init", str(repo), "--source", gqrec_source)
    assert made.returncode == 0, made.stderr
    readme = (repo / "README.md").read_text(encoding="utf-8")
    assert "territoire → médecins → groupe → contrats → programme → réunions" in readme
    blocks = walkthrough(readme)
    assert len(blocks) == 6  # one per step
    script = "set -eu\n" + "\n".join(blocks)
    ran = subprocess.run(["bash", "-c", script], cwd=repo, capture_output=True, text=True,
                         env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"})
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "conformes au cahier des charges" in ran.stdout  # the last command of the walkthrough is gqrec check
    assert "attention" not in ran.stderr, ran.stderr  # no command warned about a missing record
    records = repo / "records"
    groups = list(records.glob("regions/*/groups/*/group.yaml"))
    assert [g.parent.name for g in groups] == ["mon-groupe"]
    assert len(list(records.glob("regions/*/groups/mon-groupe/meetings/*.yaml"))) == 10
    checked = gqrec(repo, "check", "--format", "json")
    assert checked.returncode == 0 and json.loads(checked.stdout) == [], checked.stdout
    assert gqrec(repo, "fmt", "--check").returncode == 0
    daily = readme.split("## Au quotidien", 1)[1].split("\n## ", 1)[0]
    new_meeting = next(line.split("  #")[0] for line in daily.splitlines() if line.startswith("gqrec new meeting"))
    assert "--group mon-groupe" in new_meeting
    done = subprocess.run(["bash", "-c", new_meeting], cwd=repo, capture_output=True, text=True,
                          env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"})
    assert done.returncode == 0, done.stderr  # the README's everyday example works on this repository
