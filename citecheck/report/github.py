"""GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` annotation per finding.

GitHub shows at most 10 annotations of each kind per step, so every finding is still emitted (the
log keeps them all) and a closing plain line gives the counts and says where the full list is.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from citecheck.model import Finding
from citecheck.report.sarif import repo_relative

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}
SHOWN = 10  # annotations GitHub displays per kind and step


def escape_data(text: str) -> str:
    """The message after `::`; `%` first, or the escapes themselves would be escaped again."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A `key=value` before `::`: also `:` and `,`, which would end the value or the list."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(f: Finding, path: str) -> str:
    props = {"file": path, "line": f.line, "col": f.column, "endLine": f.end_line, "endColumn": f.end_column,
             "title": f"{f.code} {f.name}"}
    listed = ",".join(f"{key}={escape_property(str(value))}" for key, value in props.items())
    return f"::{COMMANDS.get(f.severity, 'warning')} {listed}::{escape_data(f.message)}"


def render(findings: list[Finding], result) -> str:
    root = Path(result.root)
    lines = [annotation(f, repo_relative(root, f.path)) for f in findings]
    lines.append(summary(findings))
    return "\n".join(lines) + "\n"


def summary(findings: list[Finding]) -> str:
    """Plain text, not a workflow command: it must read well in the raw log."""
    if not findings:
        return "citecheck: no findings."
    counts = Counter(f.severity for f in findings)
    kinds = [(severity, COMMANDS[severity]) for severity in COMMANDS if counts[severity]]
    detail = ", ".join(f"{counts[s]} {s}{'s' if counts[s] != 1 and s != 'info' else ''}" for s, _ in kinds)
    text = f"citecheck: {len(findings)} finding{'s' if len(findings) != 1 else ''} ({detail})."
    over = [f"{kind}s" for severity, kind in kinds if counts[severity] > SHOWN]
    if over:
        text += (f" GitHub shows only the first {SHOWN} {' / '.join(over)} per step as annotations;"
                 " the full list is in the SARIF/JSON report (--format sarif or json).")
    return text
