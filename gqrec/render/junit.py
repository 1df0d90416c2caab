"""JUnit XML, for the test reports of GitLab, Jenkins and the like: one test case per file with findings.

Text from the records is escaped as for a terminal (`safe.printable`): XML 1.0 cannot carry control
characters, nor the undecodable bytes of a file name.

A file's errors are its test case's `<failure>` elements (one per finding: rule, line, message); its
warnings, which do not fail a check, are listed in the case's `<system-out>`. With no finding at all,
one passing case says the records were checked. `failures` on the suite counts the errors.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from itertools import groupby

from ..findings import ERROR
from ..safe import printable
from .text import headline
from . import Shown

SUITE = "gqrec check"


def render(findings, shown: Shown = Shown()) -> str:
    """The JUnit document; `shown.prefix` is the records root seen from the repository (test names are paths)."""
    prefix = shown.prefix
    suite = ET.Element("testsuite", name=SUITE)
    cases = failures = 0
    for path, of_file in groupby(sorted(findings, key=lambda f: f.path), key=lambda f: f.path):
        case = ET.SubElement(suite, "testcase", classname="gqrec", name=printable(prefix + path))
        cases += 1
        notes = []
        for finding in of_file:
            where = f"ligne {finding.line}, colonne {finding.column}"
            if finding.severity == ERROR:
                failures += 1
                failure = ET.SubElement(case, "failure", type=finding.rule,
                                        message=printable(f"{finding.rule} ({where}) : {finding.message}"))
                failure.text = _detail(prefix, finding)
            else:
                notes.append(_detail(prefix, finding))
        if notes:
            ET.SubElement(case, "system-out").text = "\n".join(notes)
    if cases == 0:
        ET.SubElement(suite, "testcase", classname="gqrec", name="registres conformes au cahier des charges")
        cases = 1
    suite.set("tests", str(cases))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", "0")
    document = ET.Element("testsuites", name="gqrec", tests=str(cases), failures=str(failures), errors="0")
    document.append(suite)
    ET.indent(document)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(document, encoding="unicode") + "\n"


def _detail(prefix: str, finding) -> str:
    """The finding as the text format writes it (one line, and its hint on the next)."""
    return headline(finding, prefix) + (f"\nconseil : {printable(finding.hint)}" if finding.hint else "")
