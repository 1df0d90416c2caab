"""Where the repositories `gqrec init` writes install gqrec from: a git repository at a full commit id.

No package index serves gqrec, and a version pin (`gqrec==X.Y.Z`) would install nothing — or someone
else's package of the same name. So hooks and CI install from git, pinned to one commit: `--source
URL[@REV]` (a git URL or path; REV a branch, tag or commit, HEAD when not given), resolved once with `git
ls-remote`; or else where the running gqrec itself was installed from, as pip recorded it (PEP 610
`direct_url.json`: a VCS URL and the commit it was installed at).
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from importlib import metadata

from . import AuthoringError

FULL_COMMIT = re.compile(r"[0-9a-f]{40}")
ASK_FOR_SOURCE = (
    "Indiquez d'où pre-commit et la CI installeront gqrec : --source URL[@RÉVISION] (le dépôt git de gqrec, "
    "par exemple --source https://github.com/gqrec/gqrec ou --source https://github.com/gqrec/gqrec@v1.2). "
)


@dataclass(frozen=True)
class Source:
    """A git repository of gqrec and the full commit id hooks and CI install."""

    url: str
    commit: str

    @property
    def pip(self) -> str:
        """What `pip install` is given (quoted for a shell and for YAML alike)."""
        return f'"gqrec @ git+{self.url}@{self.commit}"'

    @property
    def github_action(self) -> str | None:
        """`OWNER/REPO@COMMIT` for a workflow's `uses:` when the source is on GitHub, else None."""
        found = re.fullmatch(r"(?:https://github\.com/|git@github\.com:)([\w.-]+/[\w.-]+?)(?:\.git)?/?", self.url)
        return f"{found.group(1)}@{self.commit}" if found else None


def split(source: str) -> tuple[str, str | None]:
    """`URL@REV` -> (URL, REV); an `@` that belongs to the URL (`git@host:path`, `user@host/...`) stays."""
    url, at, rev = source.rpartition("@")
    if at and url and rev and "/" not in rev and ":" not in rev:
        return url, rev
    return source, None


def resolve(source: str, rev: str | None = None) -> Source:
    """The commit `source` (`URL[@REV]`, or URL with `rev`) names, asked of the repository itself."""
    url, named = split(source)
    if rev is not None and named is not None:
        raise AuthoringError(f"Révision donnée deux fois : « @{named} » dans --source et --rev {rev}.")
    rev = rev or named
    if not url or url.startswith("-") or any(c in url for c in "\0\n"):
        raise AuthoringError(f"--source « {source} » refusé : ce n'est pas l'adresse d'un dépôt git.")
    if rev is not None and FULL_COMMIT.fullmatch(rev):
        return Source(url, rev)
    if rev is not None and (rev.startswith("-") or any(c in rev for c in "\0\n")):
        raise AuthoringError(f"Révision « {rev} » refusée : un nom de révision git ne commence pas par « - ».")
    try:
        patterns = [rev, rev + "^{}"] if rev else ["HEAD"]  # an annotated tag's commit is its "^{}" line
        done = subprocess.run(["git", "ls-remote", "--", url, *patterns],
                              capture_output=True, text=True, timeout=120, check=False)
    except FileNotFoundError:
        raise AuthoringError("git est introuvable sur cette machine : il faut git pour résoudre --source.") from None
    except subprocess.TimeoutExpired:
        raise AuthoringError(f"Le dépôt {url} ne répond pas (git ls-remote) : réessayez, ou donnez --source "
                             "URL@COMMIT avec l'identifiant complet du commit.") from None
    if done.returncode != 0:
        said = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""
        raise AuthoringError(f"Le dépôt {url} est illisible (git ls-remote" + (f" : {said}" if said else "") + ").")
    refs = dict(reversed(line.split("\t", 1)) for line in done.stdout.splitlines() if "\t" in line)
    wanted = rev or "HEAD"
    for name in (f"refs/tags/{wanted}^{{}}", f"refs/tags/{wanted}", f"refs/heads/{wanted}", wanted):
        if name in refs:  # an annotated tag's own commit (^{}) before the tag object
            return Source(url, refs[name])
    if refs:
        return Source(url, next(iter(refs.values())))
    raise AuthoringError(f"Révision « {wanted} » introuvable dans {url} (ni branche ni étiquette ; pour un "
                         "commit, donnez son identifiant complet de 40 caractères).")


def installed() -> Source | None:
    """Where the running gqrec was installed from, if pip recorded a git URL and commit (PEP 610)."""
    try:
        text = metadata.distribution("gqrec").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return None
    return from_direct_url(text)


def from_direct_url(text: str | None) -> Source | None:
    """The git URL and commit of a `direct_url.json`, None for any other origin (an index, a folder)."""
    try:
        data = json.loads(text) if text else None
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    vcs, url = data.get("vcs_info"), data.get("url")
    if not isinstance(vcs, dict) or vcs.get("vcs") != "git" or not isinstance(url, str):
        return None
    commit = vcs.get("commit_id")
    return Source(url, commit) if isinstance(commit, str) and FULL_COMMIT.fullmatch(commit) else None


def choose(source: str | None, rev: str | None) -> Source:
    """`--source` resolved, or where this gqrec came from, or a French request for `--source`."""
    if source is not None:
        return resolve(source, rev)
    if rev is not None:
        raise AuthoringError("--rev donne la révision de --source : indiquez aussi --source URL.")
    found = installed()
    if found is None:
        raise AuthoringError(ASK_FOR_SOURCE + "Ce gqrec n'a pas été installé depuis un dépôt git (pip install "
                             "\"gqrec @ git+URL\") : l'endroit d'où l'installer ne peut pas être deviné.")
    return found
