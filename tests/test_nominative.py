"""Files naming physicians stay private, and gqrec never replaces what is not a regular file.

Every nominative output (ledger, attestations, attendance sheet, individual profile, export, clear
feedback rows) is written 0600 whatever the umask, and refused inside the git work tree of the records
unless git ignores the place; clear rows are refused inside the records root with or without git. A
character device is written as a stream (never replaced by a regular file), a symbolic link, a FIFO are
refused (docs/hostile.md). Devices are nodes these tests create in their own temporary folder.
"""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from world import AS_OF, FEEDBACK_KEY, MEETING_DAYS, MEMBERS
from gqrec import sealing
from gqrec.cli import cli

HEADER = "population,physician,indicator,numerator,denominator\n"


def invoke(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


def git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True)


@pytest.fixture
def umask_022():
    before = os.umask(0o022)
    yield
    os.umask(before)


def outputs(world, out: Path) -> dict[str, list[str]]:
    """Each nominative command writing into the folder `out` (a file for export and unseal)."""
    root = world.root
    sealed = root / "regions/armor/feedback/2024-S1.csv"
    return {
        "ledger": ["ledger", root, "--year", "2024", "--format", "csv", "--out", out],
        "attestation": ["attestation", root, "--year", "2024", "--all", "--out", out],
        "sheet": ["sheet", root, "--region", "armor", "--group", "lamballe", "--date", MEETING_DAYS[0], "--out", out],
        "profile": ["feedback", root, "--period", "2024-S1", "--physician", MEMBERS[0], "--out", out],
        "export": ["export", root, "--format", "sqlite", "--out", out / "export.db", "--as-of", AS_OF],
        "unseal": ["unseal", sealed, "--out", out / "clair.csv"],
    }


COMMANDS = ("ledger", "attestation", "sheet", "profile", "export", "unseal")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_nominative_file_is_written_0600_under_umask_022(world, tmp_path_factory, umask_022, command):
    out = tmp_path_factory.mktemp("hors-du-depot") / "sortie"
    out.mkdir()
    result = invoke(*outputs(world, out)[command])
    assert result.exit_code == 0, result.output
    written = [p for p in out.iterdir() if p.is_file()]
    assert written, result.output
    assert {oct(p.stat().st_mode & 0o777) for p in written} == {"0o600"}


def test_a_replaced_nominative_file_loses_others_permissions_and_keeps_its_group(world, tmp_path_factory):
    out = tmp_path_factory.mktemp("hors-du-depot")
    target = out / "export.db"
    target.write_bytes(b"")
    target.chmod(0o664)
    assert invoke("export", world.root, "--format", "sqlite", "--out", target, "--as-of", AS_OF).exit_code == 0
    assert target.stat().st_mode & 0o777 == 0o660  # a group given on purpose stays; others lose their read


@pytest.mark.parametrize("command", COMMANDS)
def test_nominative_outputs_inside_the_records_work_tree_are_refused_unless_git_ignores_them(world, command):
    top = world.root.parent
    git(top, "init", "-q")
    out = top / "docs"
    out.mkdir()
    result = invoke(*outputs(world, out)[command])
    assert result.exit_code == 2, result.output
    assert "dépôt git" in result.output and "git add" in result.output
    assert not any(out.iterdir())
    (top / ".gitignore").write_text("/docs/\n")
    allowed = invoke(*outputs(world, out)[command])
    assert allowed.exit_code == 0, allowed.output
    assert subprocess.run(["git", "-C", str(top), "status", "--porcelain", "--", "docs"],
                          capture_output=True, text=True, check=True).stdout == ""


def test_clear_rows_are_refused_inside_the_records_root_even_without_git(world):
    sealed = world.root / "regions/armor/feedback/2024-S1.csv"
    assert not (world.root.parent / ".git").exists()
    for place in (world.root / "clair.csv", world.root / "regions/clair.csv"):
        result = invoke("unseal", sealed, "--out", place)
        assert result.exit_code == 2 and "registres" in result.output, result.output
        assert not place.exists()


# -- devices, links, FIFOs ---------------------------------------------------------------------------


def null_device(folder: Path) -> Path:
    """A character device node like /dev/null (1, 3), created here; a skip where nodes cannot be made."""
    node = folder / "nul"
    try:
        os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except (PermissionError, OSError) as error:
        pytest.skip(f"pas de nœud de périphérique possible ici ({error})")
    return node


def still_a_device(node: Path) -> bool:
    info = os.lstat(node)
    return stat.S_ISCHR(info.st_mode) and info.st_rdev == os.makedev(1, 3)


def test_a_baseline_written_to_a_device_streams_to_it_and_leaves_the_device(world, tmp_path_factory):
    node = null_device(tmp_path_factory.mktemp("dev"))
    result = invoke("check", world.root, "--as-of", AS_OF, "--write-baseline", node)
    assert result.exit_code == 0, result.output
    assert still_a_device(node)


@pytest.mark.parametrize("fmt", ["sqlite", "unseal"])
def test_nominative_output_to_a_device_stays_a_device(world, tmp_path_factory, fmt):
    folder = tmp_path_factory.mktemp("dev")
    node = null_device(folder)
    if fmt == "sqlite":
        result = invoke("export", world.root, "--format", "sqlite", "--out", node, "--as-of", AS_OF)
    else:
        result = invoke("unseal", world.root / "regions/armor/feedback/2024-S1.csv", "--out", node)
    assert result.exit_code == 0, result.output
    assert still_a_device(node)
    assert sorted(p.name for p in folder.iterdir()) == ["nul"]  # no temporary file left beside it


@pytest.mark.parametrize("kind", ["symlink", "fifo"])
def test_a_link_or_a_fifo_target_is_refused_and_left_alone(world, tmp_path_factory, kind):
    folder = tmp_path_factory.mktemp("cibles")
    aim = folder / "ailleurs.json"
    aim.write_text("intact")
    target = folder / "base.json"
    if kind == "symlink":
        target.symlink_to(aim)
    else:
        os.mkfifo(target)
    for args in (["check", world.root, "--as-of", AS_OF, "--write-baseline", target],
                 ["export", world.root, "--format", "sqlite", "--out", target, "--as-of", AS_OF],
                 ["unseal", world.root / "regions/armor/feedback/2024-S1.csv", "--out", target]):
        result = invoke(*args)
        assert result.exit_code == 2, (args, result.output)
        assert ("lien symbolique" if kind == "symlink" else "fichier ordinaire") in result.output
        assert "Traceback" not in result.output
    assert aim.read_text() == "intact"
    assert (target.is_symlink() if kind == "symlink" else stat.S_ISFIFO(os.lstat(target).st_mode))


def test_the_sealed_rows_of_the_world_open_with_the_test_key(world):
    """The fixtures above unseal the world's 2024-S1 rows: they exist and open with the tests' key."""
    raw = (world.root / "regions/armor/feedback/2024-S1.csv").read_bytes()
    assert sealing.unseal(raw, FEEDBACK_KEY.encode(), 1 << 20).decode().startswith(HEADER)
