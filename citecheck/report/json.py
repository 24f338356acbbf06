"""JSON: one object per finding (the shape is part of the CLI contract)."""

from __future__ import annotations

import json
from typing import Any

from citecheck.model import Finding


def finding_dict(f: Finding) -> dict[str, Any]:
    fix = None
    if f.fix is not None:
        fix = {"applicability": f.fix.applicability, "message": f.fix.description,
               "edits": [{"start": e.start, "end": e.end, "content": e.text} for e in f.fix.edits]}
    return {
        "code": f.code, "name": f.name, "severity": f.severity, "path": f.path,
        "line": f.line, "column": f.column, "end": {"line": f.end_line, "column": f.end_column},
        "message": f.message, "subject": f.subject, "evidence": f.evidence, "fix": fix,
    }


def render(findings: list[Finding]) -> str:
    """A JSON array, one finding per line: readable, diffable, and written by the C encoder."""
    if not findings:
        return "[]\n"
    encode = json.JSONEncoder(ensure_ascii=False, default=str).encode
    return "[\n" + ",\n".join(encode(finding_dict(f)) for f in findings) + "\n]\n"
