"""Renderers of findings: each turns the same list of findings into one output format.

`FORMATS` is the table `gqrec check --format` offers and dispatches on; a renderer takes the sorted
findings and a `Shown` (what else it may use) and returns the text for standard output. `RULE_FORMATS`
is `gqrec rule --format`'s: the rule catalogue (`render.rules`), given the rules and whether one was asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..formats import Formats, Renderer
from . import github, gitlab, json_, junit, sarif, text


@dataclass(frozen=True)
class Shown:
    """What a findings renderer may use besides the findings."""

    root: Path | None = None  # the records root, to quote source lines
    files: int = 0  # files checked, for the summary
    show_source: bool = True
    prefix: str = ""  # the records root as seen from the repository, so annotations land on the right files

    @classmethod
    def of(cls, root: Path, files: int, show_source: bool = True) -> Shown:
        return cls(root, files, show_source, prefix_in_repo(root))


def prefix_in_repo(root: Path) -> str:
    """The records root as seen from the current directory, `""` when it is the current directory or elsewhere."""
    try:
        rel = root.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return ""
    return "" if rel == "." else rel + "/"


FORMATS = Formats()
FORMATS.add("text", Renderer(lambda findings, shown: text.render(findings, shown.root, shown.show_source),
                             "pour un humain", summary="stdout"))
FORMATS.add("json", Renderer(lambda findings, shown: json_.render(findings), "tableau stable"))


def _in_repository(render):
    """A renderer for CI, given the paths as seen from the repository."""
    return lambda findings, shown: render(findings, prefix=shown.prefix)


FORMATS.add("github", Renderer(_in_repository(github.render), "annotations de pull request", summary="stderr"))
FORMATS.add("sarif", Renderer(_in_repository(sarif.render), "code scanning (SARIF 2.1.0)", summary="stderr"))
FORMATS.add("junit", Renderer(_in_repository(junit.render), "rapport de tests", summary="stderr"))
FORMATS.add("gitlab", Renderer(_in_repository(gitlab.render), "Code Quality de GitLab", summary="stderr"))


RULE_FORMATS = Formats()
RULE_FORMATS.add("text", Renderer("gqrec.render.rules:render_text", "le catalogue en tableau, ou une règle expliquée"))
RULE_FORMATS.add("json", Renderer("gqrec.render.rules:render_json", "tableau JSON des règles"))
