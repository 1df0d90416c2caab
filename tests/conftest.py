"""The test session: the feedback key and a cache home of its own, and the `world` fixture (tests/world.py)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from gqrec import sealing
from world import FEEDBACK_KEY, World, build_world


@pytest.fixture(scope="session", autouse=True)
def session_environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The sample's feedback key, and a cache home under pytest's own temporary folder, so the cache key of
    this "installation" is never the user's own (see gqrec.cache.secret). The xdist workers of one run share
    it (their temporary folders are siblings): a cache one worker writes in the sample is one the others can
    use. Both variables are put back as they were when the session ends; pytest removes old folders."""
    base = tmp_path_factory.getbasetemp()
    home = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "cache-home"
    home.mkdir(exist_ok=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(sealing.KEY_ENV, FEEDBACK_KEY)
        patch.setenv("XDG_CACHE_HOME", str(home))
        yield


@pytest.fixture(scope="session")
def gqrec_source(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A git repository to give `gqrec init --source`: a `file://` URL whose HEAD is one commit (init only
    resolves it; the test that installs gqrec from git clones this project instead)."""
    repo = tmp_path_factory.mktemp("gqrec-source")
    for args in (["init", "-q"], ["-c", "user.name=gqrec", "-c", "user.email=gqrec@example.org", "-c",
                                  "commit.gpgsign=false", "commit", "-q", "--allow-empty", "-m", "source"]):
        subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)
    return repo.as_uri()


@pytest.fixture
def world(tmp_path: Path) -> World:
    return build_world(tmp_path / "records")
