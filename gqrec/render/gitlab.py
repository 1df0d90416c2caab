"""GitLab Code Quality JSON (`artifacts:reports:codequality`): findings shown on merge requests' diffs.

An array of issues with the fields GitLab documents: description, check_name, fingerprint (the
finding's rule, path and message, so a finding moved by an edit stays the same issue), severity, and
location.path / location.lines.begin. Errors are `major`, warnings `minor`.
"""

from __future__ import annotations

import json

from ..findings import ERROR, fingerprints
from . import Shown

SEVERITY = {ERROR: "major"}  # anything else (a warning) is minor


def render(findings, shown: Shown = Shown()) -> str:
    """The Code Quality report; `shown.prefix` is the records root seen from the repository (paths are the
    repository's)."""
    prefix = shown.prefix
    issues = [
        {
            "description": f"{finding.rule} : {finding.message}",
            "check_name": finding.rule,
            "fingerprint": fingerprint,
            "severity": SEVERITY.get(finding.severity, "minor"),
            "location": {"path": prefix + finding.path, "lines": {"begin": finding.line}},
        }
        for finding, fingerprint in zip(findings, fingerprints(findings))
    ]
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"
