"""Applying fixes: byte-range edits, written atomically, keeping everything outside the edits."""

from __future__ import annotations

import bisect
import os
import stat
import tempfile
from pathlib import Path

from citecheck.model import Edit, Finding, Fix


def choose(findings: list[Finding], unsafe: bool) -> list[Fix]:
    """Fixes that may be applied together: allowed by safety, no edit overlapping another's."""
    taken = _Spans()
    chosen = []
    for finding in sorted(findings, key=lambda f: (f.start, f.code)):
        fix = finding.fix
        if fix is None or (fix.applicability == "unsafe" and not unsafe):
            continue
        spans = [(e.start, e.end) for e in fix.edits]
        if any(taken.collides(span) for span in spans):
            continue  # the next pass picks it up if it still applies
        for span in spans:
            taken.add(span)
        chosen.append(fix)
    return chosen


class _Spans:
    """Edit spans already taken, sorted, so that a new span is compared with its neighbours only:
    tens of thousands of fixes in one page stay linear (findings arrive in order, so adding is
    almost always an append). The edits of one fix never overlap one another."""

    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []

    def add(self, span: tuple[int, int]) -> None:
        bisect.insort(self.spans, span)

    def collides(self, span: tuple[int, int]) -> bool:
        # Taken spans never overlap one another, so sorted by start their ends are sorted too:
        # the ones that can overlap `span` sit around its insertion point.
        spans = self.spans
        here = bisect.bisect_left(spans, span)
        i = here - 1
        while i >= 0 and spans[i][1] >= span[0]:
            if _overlap(span, spans[i]):
                return True
            i -= 1
        i = here
        while i < len(spans) and spans[i][0] <= span[1]:
            if _overlap(span, spans[i]):
                return True
            i += 1
        return False


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    if a[0] == a[1] or b[0] == b[1]:  # insertions collide only when strictly inside the other
        return b[0] < a[0] < b[1] or a[0] < b[0] < a[1]
    return a[0] < b[1] and b[0] < a[1]


def apply_edits(data: bytes, edits: list[Edit]) -> bytes:
    """The file with the (non-overlapping) edits made; built in one pass, not one copy per edit."""
    pieces, done = [], 0
    # Of two insertions at one point the later-listed comes first, as it always has.
    order = sorted(range(len(edits)), key=lambda i: (edits[i].start, edits[i].end, -i))
    for edit in (edits[i] for i in order):
        pieces.append(data[done : edit.start])
        pieces.append(edit.text.encode("utf-8"))
        done = max(done, edit.end)
    pieces.append(data[done:])
    return b"".join(pieces)


class NotWritten(Exception):
    """A fixed file that was left as it was; the message says why, for one line of output."""


def write_atomic(path: Path, data: bytes, within: list[Path]) -> None:
    """Replace the file's bytes: a temp file beside it, then a rename, so a crash leaves the old
    file or the new, never half of one.

    Through a symbolic link the real file is replaced and the link stays a link. A file with
    other hard links is refused: a rename would give this name a new inode and leave the other
    names with the old text, and writing in place could leave half a file. So is a file whose
    owner may not write it (mode bits, not a failed write: root could write anyway) and a real
    file outside `within` (the site's folders, resolved).
    """
    real = Path(os.path.realpath(path))
    if not any(real.is_relative_to(os.path.realpath(folder)) for folder in within):
        raise NotWritten(f"it is a link to {real}, outside the site")
    try:
        info = real.stat()
    except OSError as exc:
        raise NotWritten(exc.strerror or str(exc)) from None
    if not info.st_mode & stat.S_IWUSR:
        raise NotWritten(f"the file is read-only (mode {stat.S_IMODE(info.st_mode):04o})")
    if info.st_nlink > 1:
        raise NotWritten(f"the file has {info.st_nlink} hard links; an atomic rewrite would split them")
    temp = None
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".citecheck", dir=real.parent)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        _keep_owner(temp, info)
        os.chmod(temp, stat.S_IMODE(info.st_mode))
        os.replace(temp, real)
    except OSError as exc:
        if temp is not None:
            Path(temp).unlink(missing_ok=True)
        raise NotWritten(f"cannot write: {exc.strerror or exc}") from None
    except BaseException:
        if temp is not None:
            Path(temp).unlink(missing_ok=True)
        raise


def _keep_owner(temp: str, info: os.stat_result) -> None:
    """The new file gets the old one's owner and group where the system lets us (as root)."""
    if not hasattr(os, "geteuid") or (info.st_uid, info.st_gid) == (os.geteuid(), os.getegid()):
        return
    try:
        os.chown(temp, info.st_uid, info.st_gid)
    except OSError:
        pass  # not allowed: the file now belongs to whoever ran the fix, as with any editor
