"""Where a bundle comes from: the regional repository (its remote, without any credentials in the URL),
the commit its records were at, whether the work tree had uncommitted changes, the gqrec version, and
the national library's revision pulled into it (`library.lock`, FEDERATION.md) — what the national
coordination reads in the provenance table of the bilan."""

from __future__ import annotations

import hashlib
import subprocess
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from ruamel.yaml import YAML, YAMLError

from ... import __version__, gitio

LOCK = "library.lock"


def _git(root: Path, *args: str) -> str | None:
    try:
        proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)
    except OSError:
        return None
    return proc.stdout.strip() if proc.returncode == 0 else None


def public_url(url: str | None) -> str | None:
    """A remote URL without the user and password an https URL may carry (a token is no provenance)."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme and "@" in parts.netloc:
        return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
    return url


def library(root: Path) -> dict | None:
    """The library revision the region pulled (`library.lock`'s `revision`) and the lock's digest; None
    when the region has no lock (a library copied by `gqrec init`, or a single national tree)."""
    lock = Path(root) / LOCK
    try:
        raw = lock.read_bytes()
    except OSError:
        return None
    try:
        data = YAML(typ="safe").load(raw)
    except YAMLError:
        data = None
    revision = data.get("revision") if isinstance(data, dict) else None
    return {"revision": str(revision) if revision is not None else None,
            "digest": "sha256:" + hashlib.sha256(raw).hexdigest()}


def of(root: Path) -> dict:
    """The provenance object of a bundle of the records under root (git's answers, None outside a repository)."""
    commit = gitio.head(root)
    committed = _git(root, "show", "-s", "--format=%cI", "HEAD") if commit else None
    status = _git(root, "status", "--porcelain", "--", ".") if commit else None
    return {
        "repository": public_url(_git(root, "remote", "get-url", "origin")),
        "commit": commit,
        "committed": datetime.fromisoformat(committed).date().isoformat() if committed else None,
        "dirty": bool(status) if status is not None else None,
        "gqrec": __version__,
        "library": library(root),
    }
