"""Renderers of findings: each turns the same list of findings into one output format.

`FORMATS` is the table `gqrec check --format` offers and dispatches on; each renderer is
`render(findings, shown)` (the interface of `gqrec.formats`): the sorted findings and a `Shown` (what
else it may use), the text for standard output. `RULE_FORMATS` is `gqrec rule --format`'s: the rule
catalogue (`render.rules`), `render(entries, request)`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..formats import Formats, Renderer


@dataclass(frozen=True)
class Shown:
    """What a findings renderer may use besides the findings."""

    root: Path | None = None  # the records root, to quote source lines
    files: int = 0  # files checked, for the summary
    show_source: bool = True
    prefix: str = ""  # the records root as seen from the repository, so annotations land on the right files
    known: frozenset[int] = frozenset()  # positions of the findings a baseline knows (formats that keep them)
    here: str = ""  # the records root as seen from the current folder, so a terminal can open each path

    @classmethod
    def of(cls, root: Path, files: int, show_source: bool = True) -> Shown:
        return cls(root, files, show_source, prefix_in_repo(root), here=prefix_from_here(root))


def git_top(path: Path) -> Path | None:
    """The top of the git work tree holding `path` (a folder with `.git`), None outside any."""
    for folder in (path, *path.parents):
        if (folder / ".git").exists():
            return folder
    return None


def _as_prefix(relative: str) -> str:
    relative = relative.replace(os.sep, "/")
    return "" if relative == "." else relative + "/"


def prefix_in_repo(root: Path) -> str:
    """The records root as seen from the top of its git repository, whatever the current folder (SARIF's
    `%SRCROOT%`, the CI annotations and reports); without git, as seen from the current folder when the
    root is below it, else `""`."""
    resolved = root.resolve()
    top = git_top(resolved)
    if top is not None:
        return _as_prefix(resolved.relative_to(top).as_posix())
    try:
        return _as_prefix(resolved.relative_to(Path.cwd().resolve()).as_posix())
    except ValueError:
        return ""


def prefix_from_here(root: Path) -> str:
    """The records root as seen from the current folder when that folder is inside the repository (its git
    work tree, or the records root without git), as ruff or eslint name files: `records/regions/…` from
    the repository's top, `../../groups/…` from a region's folder. `""` from anywhere else (paths are then
    the records root's own, as the JSON format always gives them)."""
    resolved, here = root.resolve(), Path.cwd().resolve()
    top = git_top(resolved) or resolved
    if here != top and top not in here.parents:
        return ""
    return _as_prefix(os.path.relpath(resolved, here))


FORMATS = Formats()
FORMATS.add("text", Renderer("gqrec.render.text:render", "pour un humain", closing="stdout"))
FORMATS.add("json", Renderer("gqrec.render.json_:render", "tableau stable"))
FORMATS.add("github", Renderer("gqrec.render.github:render", "annotations de pull request", closing="stderr"))
FORMATS.add("sarif", Renderer("gqrec.render.sarif:render", "code scanning (SARIF 2.1.0)", closing="stderr",
                              keeps_known=True))
FORMATS.add("junit", Renderer("gqrec.render.junit:render", "rapport de tests", closing="stderr"))
FORMATS.add("gitlab", Renderer("gqrec.render.gitlab:render", "Code Quality de GitLab", closing="stderr"))
FORMATS.add("summary", Renderer("gqrec.render.summary:render", "les constats comptés par règle et par fichier, pour "
                                "les longues listes (--summary)", closing="stdout"))


RULE_FORMATS = Formats()
RULE_FORMATS.add("text", Renderer("gqrec.render.rules:render_text", "le catalogue en tableau, ou une règle expliquée"))
RULE_FORMATS.add("json", Renderer("gqrec.render.rules:render_json", "tableau JSON des règles"))
RULE_FORMATS.add("md", Renderer("gqrec.render.rules:render_markdown", "le tableau des règles du README (Markdown)"))
