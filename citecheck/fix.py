"""Applying fixes: byte-range edits, written atomically, keeping everything outside the edits."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from citecheck.model import Edit, Finding, Fix


def choose(findings: list[Finding], unsafe: bool) -> list[Fix]:
    """Fixes that may be applied together: allowed by safety, no edit overlapping another's."""
    taken: list[tuple[int, int]] = []
    chosen = []
    for finding in sorted(findings, key=lambda f: (f.start, f.code)):
        fix = finding.fix
        if fix is None or (fix.applicability == "unsafe" and not unsafe):
            continue
        spans = [(e.start, e.end) for e in fix.edits]
        if any(_overlap(a, b) for a in spans for b in taken):
            continue  # the next pass picks it up if it still applies
        taken.extend(spans)
        chosen.append(fix)
    return chosen


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    if a[0] == a[1] or b[0] == b[1]:  # insertions collide only when strictly inside the other
        return b[0] < a[0] < b[1] or a[0] < b[0] < a[1]
    return a[0] < b[1] and b[0] < a[1]


def apply_edits(data: bytes, edits: list[Edit]) -> bytes:
    out = data
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        out = out[: edit.start] + edit.text.encode("utf-8") + out[edit.end :]
    return out


def write_atomic(path: Path, data: bytes) -> None:
    """Temp file beside the target, then rename: a crash leaves the old file or the new, never half."""
    mode = path.stat().st_mode
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".citecheck", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, mode & 0o7777)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
