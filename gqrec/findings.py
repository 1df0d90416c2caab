"""One data type for every problem gqrec reports, whatever stage found it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace

ERROR = "error"
WARNING = "warning"
OFF = "off"

SEVERITY_FR = {ERROR: "erreur", WARNING: "avertissement"}


@dataclass(frozen=True, order=True)
class Finding:
    """A problem at a place in the records: what rule, how bad, where, and what to do about it.

    Field order is the sort order of a report: by path, then line, then column. `year` is the year a
    finding on an undated file is about (a period, a judged year, a meeting day): the bilan of a year
    counts it under that year only. It takes no part in comparisons (the message already says it).
    """

    path: str
    line: int
    column: int
    rule: str
    severity: str
    message: str
    hint: str = ""
    year: int | None = field(default=None, compare=False)

    def with_severity(self, severity: str) -> Finding:
        return replace(self, severity=severity)

    def as_row(self) -> tuple:
        """The fields as a plain tuple (`Finding(*row)` rebuilds it): what the cache keeps and workers send."""
        return (self.path, self.line, self.column, self.rule, self.severity, self.message, self.hint, self.year)

    def as_json(self) -> dict:
        """The stable JSON contract of RECORDS.md (plus the optional hint)."""
        out = {
            "rule": self.rule,
            "severity": self.severity,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }
        if self.hint:
            out["hint"] = self.hint
        return out


def sort_findings(findings) -> list[Finding]:
    """Findings in report order, each reported once."""
    return sorted(set(findings))


def count_by_severity(findings) -> dict[str, int]:
    errors = sum(1 for f in findings if f.severity == ERROR)
    return {"errors": errors, "warnings": len(findings) - errors}


def identity(finding: Finding) -> tuple[str, str, str]:
    """What names a finding across edits: its rule, path and message, not its place (an edit above moves it)."""
    return finding.rule, finding.path, finding.message


def fingerprints(findings) -> list[str]:
    """One stable fingerprint per finding, in order: its identity and its rank among the findings of the
    same identity (two identical messages in one file stay two), hashed (SARIF, GitLab Code Quality)."""
    seen: dict[tuple, int] = {}
    out = []
    for finding in findings:
        key = identity(finding)
        rank = seen[key] = seen.get(key, -1) + 1
        out.append(hashlib.sha256("\0".join((*key, str(rank))).encode("utf-8", "surrogatepass")).hexdigest())
    return out
