"""The library side of `gqrec check`: refuse what cannot be asked together, run the check once, keep
the findings of the paths given, write or apply a baseline, and render them with their closing line.
The click command only passes its options and prints what this returns.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from .. import baseline
from ..budgets import MAX_YAML_BYTES
from ..errors import UsageError
from ..findings import count_by_severity
from ..french import counted
from ..product import Outcome
from ..roots import Target
from . import FORMATS, Shown, text


@dataclass(frozen=True)
class Request:
    target: Target  # the records root, and the paths whose findings are reported
    as_of: date
    fmt: str = "text"  # a name of FORMATS (`summary`: counts by rule and file rather than each finding)
    show_source: bool = True
    changed_since: str | None = None
    max_yaml_bytes: int = MAX_YAML_BYTES
    use_cache: bool = True
    baseline: Path | None = None  # report only the findings this baseline does not know
    write_baseline: Path | None = None  # record today's findings there instead of reporting them
    key: bytes | None = None  # the feedback key that opens the sealed feedback files (None: none)


def refuse(request: Request) -> None:
    if request.baseline is not None and request.write_baseline is not None:
        raise UsageError("--baseline et --write-baseline s'excluent : l'un lit la référence, l'autre l'écrit.")
    if request.write_baseline is not None and request.changed_since is not None:
        raise UsageError("--write-baseline enregistre les constats d'aujourd'hui, pas ceux d'un changement : "
                         "sans --changed-since.")


def produce(request: Request) -> Outcome:
    """The findings of a check as the request wants them shown (see the module's docstring); status 1
    when an error is among the findings reported."""
    from ..check import check
    refuse(request)
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
    renderer = FORMATS[request.fmt]
    shown = Shown.of(root, result.files, request.show_source)
    reported = findings
    if known is not None:
        # --changed-since reports part of the findings only: what is not reported is not gone
        selects = (lambda path: False) if request.changed_since else target.selects
        filtered = baseline.apply(known, findings, selects=selects)
        reported = list(filtered.findings)
        if renderer.keeps_known:
            shown = replace(shown, known=filtered.known)
        else:
            findings = reported
        notes = text.baseline_notes(request.baseline, filtered)
    document = renderer.render(findings, shown)
    closing = text.summary(reported, result.files, target.paths is not None) if renderer.closing else ""
    return Outcome(document, notices=tuple(result.notices), closing=notes + closing,
                   closing_on_stdout=renderer.closing == "stdout",
                   status=1 if count_by_severity(reported)["errors"] > 0 else 0)
