"""The library side of `gqrec report`: read the records (now or at a git revision), take the check's
findings, build the bilan and render it, printed or written. The click command only passes its options."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Sequence

from .. import effects, gitio, rules
from ..document import letterhead, pdf
from ..load import unread
from ..errors import UsageError
from ..findings import Finding, sort_findings
from ..fsio import write_files
from ..product import Outcome
from . import FORMATS, figures, files, stem


UNREAD = ("des fichiers de retour chiffrés n'ont pas été lus faute de clé (GQREC_FEEDBACK_KEY ou --key-file) : le "
          "tableau des indicateurs est incomplet.")


@dataclass(frozen=True)
class Request:
    root: Path
    year: int
    region: str | None = None
    fmt: str = "md"
    out: Path | None = None
    lang: str = "fr"
    as_of: date | None = None
    at_rev: str | None = None  # the records as they were at this git revision
    key: bytes | None = None  # the feedback key that opens the sealed feedback files (None: none)
    csv_dialect: str = "fr"  # `document.spreadsheet`: for a French spreadsheet, or `data` for programs
    pdf: bool = False  # also the HTML page as PDF (needs --out)


def produce(request: Request) -> Outcome:
    """The bilan of the request, from the records under root or as they were at `at_rev`."""
    FORMATS.refuse_without_folder(request.fmt, request.out)
    pdf.refuse_early(request)
    if request.at_rev is None:
        return _produce(request, request.root, use_cache=True)
    try:
        commit, day = gitio.commit_of(request.root, request.at_rev)
        with gitio.tree_at(request.root, request.at_rev) as past_root:
            return _produce(request, past_root, use_cache=False,
                            revision=figures.Revision(request.at_rev, commit, day))
    except gitio.GitError as error:
        raise UsageError(f"--at : {error}") from None


def _produce(request: Request, root: Path, *, use_cache: bool, revision: figures.Revision | None = None) -> Outcome:
    from .. import check
    from ..pipeline import Pipeline

    # The bilan of a year shows that year and the one before (feedback evolution), and the effect of its
    # themes (the feedback periods around its meetings, up to the next year's first): only those years'
    # dated records are read. Its findings are those of the check, region by region, remembered between
    # runs; the tree is listed once for both.
    pipeline = Pipeline(root, key=request.key, use_cache=use_cache)
    checked, registry = check.run_and_read(pipeline, request.as_of, effects.years_read(request.year))
    findings = checked.findings
    check.refuse_unopened(findings)
    made = bilan(registry, request.year, request.region, findings, revision)
    logos, unprintable = letterhead.logos(root, {r.id: r.masthead.letterhead for r in made.regions if r.masthead})
    made = replace(made, logos=logos)
    written = files(made, request.fmt, request)
    notices = ((UNREAD,) if any(map(unread, findings)) else ()) + checked.notices + tuple(unprintable)
    if request.out is None:
        return Outcome(next(iter(written.values())), notices=notices)
    if request.pdf:
        written = pdf.with_pdf(written, stem(made), lambda: files(made, "html", request)[f"{stem(made)}.html"])
    return Outcome(written=write_files(request.out, written), notices=notices, written_as="")


def bilan(registry, year: int, region: str | None = None, findings: Sequence[Finding] | None = None,
          revision: figures.Revision | None = None) -> figures.Bilan:
    """The bilan of a year for one region or all; the rules are run here when no findings are given."""
    if findings is None:
        findings = sort_findings(rules.run(registry))
    return figures.build(registry, year, region, findings, rules.titles(), revision)
