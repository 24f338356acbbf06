"""JUnit XML for CI test-report views (GitLab, Jenkins, Azure): a file with findings is a test case.

One suite "citecheck": a case per file with findings (a <failure> per error-level finding, warnings
and info as <system-out> lines, so they show without failing the case), and a case "citecheck"
for the run itself, which passes unless the run had errors; it also keeps the suite non-empty on a
clean site (some CI servers treat a report without test cases as broken).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from citecheck.model import Finding
from citecheck.report.sarif import repo_relative
from citecheck.report.text import summary

# Characters XML 1.0 cannot hold at all (ElementTree escapes markup but passes these through, which
# makes the document unparseable); a message quoting a broken file may contain them.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def render(findings: list[Finding], result) -> str:
    root = Path(result.root)
    by_file: dict[str, list[Finding]] = {}
    for f in findings:
        by_file.setdefault(repo_relative(root, f.path), []).append(f)

    suite = ET.Element("testsuite", name="citecheck")
    failing = 0
    for path, found in by_file.items():
        case = ET.SubElement(suite, "testcase", classname=_clean(path), name=_clean(path))
        errors = [f for f in found if f.severity == "error"]
        for f in errors:
            failure = ET.SubElement(case, "failure", message=_clean(f"{f.code} {f.message}"), type=f.code)
            failure.text = _clean(f"{path}:{f.line}:{f.column}")
        failing += bool(errors)
        others = [f for f in found if f.severity != "error"]
        if others:
            out = ET.SubElement(case, "system-out")
            out.text = _clean("".join(f"{path}:{f.line}:{f.column}: {f.code} [{f.severity}] {f.message}\n"
                                      for f in others))

    run_errors = list(getattr(result, "errors", []))
    case = ET.SubElement(suite, "testcase", classname="citecheck", name="citecheck")
    for text in run_errors:
        ET.SubElement(case, "error", message=_clean(text), type="citecheck")
    ET.SubElement(case, "system-out").text = _clean(summary(findings) + "\n")

    # `failures` counts failing test cases (not <failure> elements), so it never exceeds `tests`.
    counts = {"tests": str(len(by_file) + 1), "failures": str(failing), "errors": str(int(bool(run_errors))),
              "skipped": "0"}
    suite.attrib.update(counts)
    suites = ET.Element("testsuites", name="citecheck", **counts)
    suites.append(suite)
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"
