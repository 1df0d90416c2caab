"""The library side of `gqrec check`: run the check once, keep the findings of the paths given, write or
apply a baseline, and render them with their closing line. The click command only passes its options
and prints what this returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .. import baseline
from ..budgets import MAX_YAML_BYTES
from ..findings import count_by_severity
from ..french import counted
from ..roots import Target
from . import FORMATS, Shown, text


@dataclass(frozen=True)
class Request:
    target: Target  # the records root, and the paths whose findings are reported
    as_of: date
    fmt: str = "text"
    show_source: bool = True
    changed_since: str | None = None
    max_yaml_bytes: int = MAX_YAML_BYTES
    use_cache: bool = True
    baseline: Path | None = None  # report only the findings this baseline does not know
    write_baseline: Path | None = None  # record today's findings there instead of reporting them
    summary: bool = False  # counts by rule and file rather than each finding (text)
    key: bytes | None = None  # the feedback key that opens the sealed feedback files (None: none)


@dataclass(frozen=True)
class Outcome:
    document: str  # for standard output
    closing: str = ""  # the baseline's notes and the closing line
    closing_on_stdout: bool = False  # else on standard error
    notices: tuple[str, ...] = ()
    failed: bool = False  # an error among the findings reported


def produce(request: Request) -> Outcome:
    """The findings of a check as the request wants them shown (see the module's docstring)."""
    from ..check import check
    target, root = request.target, request.target.root
    known = baseline.read(request.baseline) if request.baseline is not None else None
    result = check(root, request.as_of, key=request.key, changed_since=request.changed_since,
                   max_yaml_bytes=request.max_yaml_bytes, use_cache=request.use_cache)
    findings = [f for f in result.findings if target.selects(f.path)]
    if request.write_baseline is not None:
        written = baseline.write(request.write_baseline, findings, root)
        return Outcome(f"Référence écrite : {request.write_baseline} "
                       f"({counted(written, 'constat connu', 'constats connus')}).\n")
    notes = ""
    if known is not None:
        # --changed-since reports part of the findings only: what is not reported is not gone
        selects = (lambda path: False) if request.changed_since else target.selects
        filtered = baseline.apply(known, findings, selects=selects)
        findings = list(filtered.findings)
        notes = text.baseline_notes(request.baseline, filtered)
    renderer = FORMATS[request.fmt]
    if request.fmt == "text" and request.summary:
        from ..rules import titles
        from . import summary

        document = summary.render(findings, titles())
    else:
        document = renderer.render(findings, Shown.of(root, result.files, request.show_source))
    closing = text.summary(findings, result.files, target.paths is not None) if renderer.summary else ""
    return Outcome(document, notes + closing, renderer.summary == "stdout", tuple(result.notices),
                   count_by_severity(findings)["errors"] > 0)

