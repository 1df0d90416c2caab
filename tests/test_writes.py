"""Every file gqrec writes is written all at once: on a full disk, a failure between write and rename, or
after a kill, the previous file is intact, no temporary file stays, and the user reads why (exit 2)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from world import MEETING_DAYS, meeting_path
from gqrec import fsio
from gqrec.cli import cli
from test_feedback import KEY, hand_world

PREVIOUS = "# le bilan complet de l'an dernier\n" * 50


@contextlib.contextmanager
def full_disk(tmp_path: Path, previous: str):
    """A 64 KiB tmpfs holding a complete previous report, filled to the last byte, or a skip."""
    mount = tmp_path / "petit-disque"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"pas de tmpfs de 64 Kio montable ici ({done.stderr.decode(errors='replace').strip()})")
    try:
        (mount / "out").mkdir()
        (mount / "out" / previous).write_text(PREVIOUS, encoding="utf-8")
        with contextlib.suppress(OSError), open(mount / "remplissage", "wb") as filler:
            while True:
                filler.write(b"x" * 1024)
                filler.flush()
        yield mount / "out"
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def invoke(*args: str, env: dict | None = None):
    return CliRunner().invoke(cli, list(args), env=env)


def test_report_on_a_full_disk_keeps_the_previous_report_and_says_why(world, tmp_path):
    with full_disk(tmp_path, "bilan-2024.html") as out:
        previous = out / "bilan-2024.html"
        result = invoke("report", str(world.root), "--year", "2024", "--format", "html", "--out", str(out))
        assert result.exit_code == 2, result.output
        assert "disque plein" in result.output and "erreur interne" not in result.output
        assert previous.read_text(encoding="utf-8") == PREVIOUS
        assert sorted(p.name for p in out.iterdir()) == ["bilan-2024.html"]


@pytest.mark.parametrize("command", ["report", "feedback"])
def test_a_failure_between_write_and_rename_keeps_the_previous_file(world, tmp_path, monkeypatch, command):
    out = tmp_path / "out"
    out.mkdir()
    if command == "report":
        args = ["report", str(world.root), "--year", "2024", "--format", "md", "--out", str(out)]
        target = out / "bilan-2024.md"
    else:
        hand_world(world)
        args = ["feedback", "--period", "2024-S1", "--group", "lamballe", "--out", str(out), str(world.root)]
        target = out / "profil-2024-S1-armor-lamballe.md"
    target.write_text(PREVIOUS, encoding="utf-8")

    def no_rename(source, destination, **folders):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", no_rename)
    result = invoke(*args, env={"GQREC_FEEDBACK_KEY": KEY})
    assert result.exit_code == 2, result.output
    assert "disque plein" in result.output and "intact" in result.output
    assert target.read_text(encoding="utf-8") == PREVIOUS
    assert sorted(p.name for p in out.iterdir()) == [target.name]


def dead_pid() -> int:
    """A pid no process has: the kernel hands out pids below pid_max only. (The pid of a child that just
    ended may already be another process's on a busy machine, which the sweep rightly leaves alone.)"""
    return int(Path("/proc/sys/kernel/pid_max").read_text(encoding="ascii"))


def leftover(folder: Path, name: str, pid: int) -> Path:
    """What a gqrec run killed between its write and its rename leaves."""
    path = folder / f".{name}.gqrec-{pid}-{uuid.uuid4().hex[:8]}.tmp"
    path.write_text("à moitié", encoding="utf-8")
    return path


def test_leftovers_of_killed_runs_are_swept_by_the_next_write(world, tmp_path):
    meeting = world.root / meeting_path(MEETING_DAYS[0])
    killed_fmt = leftover(meeting.parent, meeting.name, dead_pid())
    running = leftover(meeting.parent, "autre.yaml", os.getpid())  # a run still writing: never touched
    world.edit(meeting_path(MEETING_DAYS[0]), "duration_minutes: 120", "duration_minutes:    120")
    assert invoke("fmt", "--root", str(world.root)).exit_code == 0
    assert not killed_fmt.exists() and running.exists()

    out = tmp_path / "out"
    out.mkdir()
    killed_report = leftover(out, "bilan-2024.md", dead_pid())
    assert invoke("report", str(world.root), "--year", "2024", "--out", str(out)).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["bilan-2024.md"] and not killed_report.exists()


def test_a_killed_write_leaves_the_old_content(tmp_path):
    """kill -9 between the write and the rename: the target is untouched, the temporary file is swept later."""
    target = tmp_path / "bilan-2024.md"
    target.write_text(PREVIOUS, encoding="utf-8")
    script = (
        "import os, sys\nfrom gqrec import fsio\n"
        "def killed(source, destination):\n    os.kill(os.getpid(), 9)\n"
        "os.replace = killed\n"
        "fsio.write_atomic(sys.argv[1], 'nouveau' * 10000)\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(target)], capture_output=True)
    assert done.returncode == -9
    assert target.read_text(encoding="utf-8") == PREVIOUS
    assert len(list(tmp_path.iterdir())) == 2  # the target and the dead run's temporary file
    fsio.write_atomic(tmp_path / "autre.md", "x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["autre.md", "bilan-2024.md"]


def test_new_refuses_an_unwritable_folder_in_french(world, monkeypatch):
    def no_space(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "link", no_space)
    result = invoke("new", "territory", "--root", str(world.root), "--region", "armor", "--id", "plouha",
                    "--name", "Plouha", "--setting", "rural", "--general-practitioners", "10")
    assert result.exit_code == 2, result.output
    assert "disque plein" in result.output
    assert not list((world.root / "regions/armor/territories").glob(".*"))


def test_init_ignores_the_cache_folder_in_git(tmp_path, gqrec_source):
    result = invoke("init", str(tmp_path / "depot"), "--source", gqrec_source)
    assert result.exit_code == 0, result.output
    assert ".gqrec-cache/" in (tmp_path / "depot/.gitignore").read_text(encoding="utf-8").splitlines()
