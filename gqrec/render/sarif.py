"""SARIF 2.1.0, for GitHub code scanning and editors: one run, the rule catalogue, one result per finding.

Each rule of the catalogue is a `reportingDescriptor` with its French title, explanation and fix (help);
each finding a `result` at its file, line and column, with a `partialFingerprints` entry made of its
rule, path and message (not its line) so that code scanning follows it across edits above it. With a
baseline, the findings it knows stay in the log, suppressed (`kind: external`): dropping them would make
code scanning close their alerts as fixed.
"""

from __future__ import annotations

import json

from .. import __version__
from ..findings import ERROR, fingerprints
from . import Shown

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT_KEY = "gqrecFinding/v1"


def render(findings, shown: Shown = Shown()) -> str:
    """The SARIF log; `shown.prefix` is the records root seen from the repository (artifact paths are the
    repository's)."""
    prefix = shown.prefix
    from ..rules import catalogue

    rules = catalogue()
    index = {entry.id: position for position, entry in enumerate(rules)}
    results = []
    for position, (finding, fingerprint) in enumerate(zip(findings, fingerprints(findings))):
        result = {
            "ruleId": finding.rule,
            "level": _level(finding.severity),
            "message": {"text": finding.message + (f" Conseil : {finding.hint}" if finding.hint else "")},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": _uri(prefix + finding.path), "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": finding.line, "startColumn": finding.column},
            }}],
            "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        }
        if finding.rule in index:
            result["ruleIndex"] = index[finding.rule]
        if position in shown.known:  # known to the baseline: kept, so that its alert stays open, not closed
            result["suppressions"] = [{"kind": "external", "justification": "connu de la référence (--baseline)"}]
        results.append(result)
    log = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "gqrec",
                "version": __version__,
                "semanticVersion": __version__,
                "language": "fr",
                "rules": [_descriptor(entry) for entry in rules],
            }},
            "language": "fr",
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def _descriptor(entry) -> dict:
    """One rule as SARIF describes a rule: short and full description, help (how to fix), default level."""
    text = f"{entry.explanation}\n\nPour corriger : {entry.fix}"
    descriptor = {
        "id": entry.id,
        "name": entry.id,
        "shortDescription": {"text": entry.title},
        "fullDescription": {"text": entry.explanation},
        "help": {"text": text, "markdown": f"**{entry.title}**\n\n{text}"},
        "defaultConfiguration": {"level": _level(entry.severity)},
        "properties": {"tags": ["gqrec", entry.family]},
    }
    if entry.parameters:
        descriptor["properties"]["charterParameters"] = list(entry.parameters)
    return descriptor


def _level(severity: str) -> str:
    return "error" if severity == ERROR else "warning"


def _uri(path: str) -> str:
    """A relative URI reference for a records path: spaces, `%`, `#`, `?` and control characters escaped."""
    from urllib.parse import quote

    return quote(path, safe="/-._~!$&'()*+,;=:@", errors="surrogateescape")
