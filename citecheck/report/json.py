"""JSON: one object per finding (the shape is part of the CLI contract)."""

from __future__ import annotations

import json
from collections.abc import Callable
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
    encode = _encoder()
    return "[\n" + ",\n".join(encode(finding_dict(f)) for f in findings) + "\n]\n"


def _encoder() -> Callable[[Any], str]:
    """`JSONEncoder.encode`, with one C encoder for all findings: `encode` makes a new one per call,
    a quarter of the time of a 30,000-finding report. The same bytes (tested); where the module has
    no C encoder, or a Python whose encoder takes other arguments, `encode` itself."""
    encode = json.JSONEncoder(ensure_ascii=False, default=str).encode
    try:
        from json.encoder import c_make_encoder, encode_basestring

        chunks = c_make_encoder(None, str, encode_basestring, None, ": ", ", ", False, False, True)
    except (ImportError, TypeError):
        return encode
    return lambda value: "".join(chunks(value, 0))
