"""JUnit XML, for the test reports of GitLab, Jenkins and the like: one test case per file with findings.

Text from the records is escaped as for a terminal (`safe.printable`): XML 1.0 cannot carry control
characters, nor the undecodable bytes of a file name.

A file is one test case, with its path in `name` and `file`: with errors it fails once, its `<failure>`
naming the first error (rule, line, message) and listing them all; its warnings, which do not fail a
check, are listed in the case's `<system-out>`. With no finding at all, one passing case says the records
were checked. `tests` and `failures` count cases, as test reports count them (a file with two errors is
one failing case). A check does not time files one by one: `time` is 0.
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
        shown_path = printable(prefix + path)
        case = ET.SubElement(suite, "testcase", classname="gqrec", name=shown_path, file=shown_path, time="0")
        cases += 1
        of_file = list(of_file)
        errors = [finding for finding in of_file if finding.severity == ERROR]
        if errors:
            failures += 1
            first = errors[0]
            more = f" (et {len(errors) - 1} autre{'s' if len(errors) > 2 else ''})" if len(errors) > 1 else ""
            failure = ET.SubElement(case, "failure", type=first.rule, message=printable(
                f"{first.rule} (ligne {first.line}, colonne {first.column}) : {first.message}{more}"))
            failure.text = "\n".join(_detail(prefix, finding) for finding in errors)
        notes = [_detail(prefix, finding) for finding in of_file if finding.severity != ERROR]
        if notes:
            ET.SubElement(case, "system-out").text = "\n".join(notes)
    if cases == 0:
        ET.SubElement(suite, "testcase", classname="gqrec", name="registres conformes au cahier des charges",
                      time="0")
        cases = 1
    suite.set("tests", str(cases))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", "0")
    suite.set("time", "0")
    document = ET.Element("testsuites", name="gqrec", tests=str(cases), failures=str(failures), errors="0", time="0")
    document.append(suite)
    ET.indent(document)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(document, encoding="unicode") + "\n"


def _detail(prefix: str, finding) -> str:
    """The finding as the text format writes it (one line, and its hint on the next)."""
    return headline(finding, prefix) + (f"\nconseil : {printable(finding.hint)}" if finding.hint else "")
