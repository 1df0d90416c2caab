"""The test session: the feedback key and a cache home of its own, and the `world` fixture (tests/world.py)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from gqrec import sealing
from world import FEEDBACK_KEY, World, build_world

os.environ[sealing.KEY_ENV] = FEEDBACK_KEY
# The cache key of this test session's "installation", never the user's own (see gqrec.cache.secret).
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="gqrec-test-cache-home-")


@pytest.fixture
def world(tmp_path: Path) -> World:
    return build_world(tmp_path / "records")
