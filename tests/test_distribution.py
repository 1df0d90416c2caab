"""gqrec as others install it: the sdist and the wheel built by `python -m build`, the wheel installed in
a fresh virtual environment without the `pdf` extra, `python -m gqrec`, the licence and the metadata a
package index shows."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_metadata_names_the_licence_by_spdx_and_the_project_urls():
    project = PYPROJECT["project"]
    assert project["license"] == "MIT" and project["license-files"] == ["LICENSE"]
    assert (REPO / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert {"Homepage", "Source", "Documentation", "Issues"} <= set(project["urls"])
    assert any(c.startswith("Natural Language :: French") for c in project["classifiers"])
    for library in ("weasyprint", "reportlab", "rl_accel"):  # the `pdf` extra, out of a CI job's install
        assert library not in " ".join(project["dependencies"]).lower()
        assert any(d.startswith(library) for d in project["optional-dependencies"]["pdf"])


def test_the_readme_links_open_from_a_package_index_page():
    """A package index shows the README alone: its links are absolute, under the project's source, and
    each names a file or folder that exists in this repository."""
    source = PYPROJECT["project"]["urls"]["Source"].rstrip("/")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)\s]+)\)", readme)
    assert links
    for link in links:
        assert link.startswith(("https://", "http://", "#")), f"relative link in README.md: {link}"
        if link.startswith(source + "/"):
            path = re.sub(r"^(blob|tree)/main/", "", link[len(source) + 1:]).split("#")[0]
            assert (REPO / path).exists(), link


def test_python_dash_m_gqrec_is_the_command_line():
    done = subprocess.run([sys.executable, "-m", "gqrec", "--version"], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.startswith("gqrec, version"), done.stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    """The sdist of this tree, and the wheel built from that sdist (as `python -m build` does by default, so
    the sdist must hold all the wheel needs). Built with this environment's setuptools (`--no-isolation`:
    no second environment to install; the test extra brings the setuptools the build system asks for)."""
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(REPO)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    [sdist] = out.glob("gqrec-*.tar.gz")
    [wheel] = out.glob("gqrec-*.whl")
    return sdist, wheel


@pytest.mark.slow
def test_the_wheel_installs_alone_and_checks_the_sample(built, tmp_path):
    """In a fresh venv, the wheel and its dependencies only (no `pdf` extra, no test tools): `python -m
    gqrec check` passes on the sample records, and `--pdf` says in French how to get the extra."""
    _, wheel = built
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert "gqrec/__main__.py" in names and "gqrec/schema/meeting.schema.json" in names
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    done = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-compile",
                           "--disable-pip-version-check", str(wheel)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    env = {**os.environ, "PYTHONPATH": ""}
    cwd = tmp_path  # not the repository: the installed package, not this tree, is imported
    absent = subprocess.run([str(python), "-c", "import weasyprint"], capture_output=True, text=True, cwd=cwd)
    assert absent.returncode != 0  # the slim install
    checked = subprocess.run([str(python), "-m", "gqrec", "check", str(REPO / "records"), "--as-of", "2026-01-01",
                              "--no-cache"], capture_output=True, text=True, env=env, cwd=cwd)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "conformes au cahier des charges" in checked.stdout
    out = tmp_path / "pdf"
    pdf = subprocess.run([str(python), "-m", "gqrec", "attestation", str(REPO / "records"), "--year", "2025",
                          "--all", "--pdf", "--out", str(out)],
                         capture_output=True, text=True, env=env, cwd=cwd)
    assert pdf.returncode == 2, pdf.stdout + pdf.stderr
    assert 'pip install "gqrec[pdf]"' in pdf.stderr and "Traceback" not in pdf.stderr and not out.exists()


@pytest.mark.slow
def test_the_sdist_carries_its_tests_and_they_pass_from_it(built, tmp_path):
    sdist, _ = built
    with tarfile.open(sdist) as archive:
        names = archive.getnames()
        top = names[0].split("/")[0]
        for needed in ("LICENSE", "tests/conftest.py", "tests/world.py", "tests/data", "records/federation.yaml",
                       "Makefile", ".pre-commit-hooks.yaml"):
            assert f"{top}/{needed}" in names, needed
        archive.extractall(tmp_path, filter="data")
    unpacked = tmp_path / top
    where = subprocess.run([sys.executable, "-c", "import gqrec; print(gqrec.__file__)"], cwd=unpacked,
                           capture_output=True, text=True)
    assert Path(where.stdout.strip()).is_relative_to(unpacked), where.stdout + where.stderr
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist",
                           "-m", "not slow", "tests/test_world.py", "tests/test_load.py"],
                          cwd=unpacked, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert " passed" in done.stdout


def test_shell_completion_offers_commands_and_the_rule_ids_of_gqrec_rule():
    """The completion the README documents (`_GQREC_COMPLETE=bash_source gqrec`), asked as bash asks it."""
    def complete(words: str) -> list[str]:
        env = {**os.environ, "_GQREC_COMPLETE": "bash_complete", "COMP_WORDS": words,
               "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1))}
        done = subprocess.run([sys.executable, "-m", "gqrec"], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return [line.split(",", 1)[1] for line in done.stdout.splitlines()]

    assert {"GQ101", "GQ105", "GQ109"} <= set(complete("gqrec rule GQ10"))
    assert all(word.startswith("GQ10") for word in complete("gqrec rule GQ10"))
    assert "check" in complete("gqrec ch")
    script = subprocess.run([sys.executable, "-m", "gqrec"], env={**os.environ, "_GQREC_COMPLETE": "bash_source"},
                            capture_output=True, text=True)
    assert "complete -o nosort -F _gqrec_completion gqrec" in script.stdout
