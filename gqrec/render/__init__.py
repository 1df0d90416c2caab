"""Renderers of findings: each turns the same list of findings into one output format.

`FORMATS` is the table `gqrec check --format` offers and dispatches on; each renderer is
`render(findings, shown)` (the interface of `gqrec.formats`): the sorted findings and a `Shown` (what
else it may use), the text for standard output. `RULE_FORMATS` is `gqrec rule --format`'s: the rule
catalogue (`render.rules`), `render(entries, request)`.
"""

from __future__ import annotations

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
