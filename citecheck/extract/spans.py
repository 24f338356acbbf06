"""Byte ranges in the file of character ranges of a prose run."""

from __future__ import annotations

from citecheck.model import TextRun


class RunSpans:
    """For one run: (start, end) in characters -> (start, end) in file bytes. For ranges in
    increasing order only the text since the previous one is encoded, so a long non-ASCII run
    full of URLs or DOIs stays linear. A run not written verbatim maps every range to the whole run."""

    def __init__(self, run: TextRun):
        self.run = run
        self.ascii = run.text.isascii()
        self.char = self.byte = 0  # a character offset and the bytes before it

    def __call__(self, start: int, end: int) -> tuple[int, int]:
        run = self.run
        if not run.exact:
            return run.start, run.end
        if self.ascii:
            return run.start + start, run.start + end
        if start < self.char:
            self.char = self.byte = 0
        self.byte += len(run.text[self.char:start].encode("utf-8"))
        self.char = start
        b_start = run.start + self.byte
        return b_start, b_start + len(run.text[start:end].encode("utf-8"))
