"""Author lines of citation blocks: `Sarayloo F1,2, Dionne-Laporte A2, …` or `Zhonghui Huang 1, Tao You 1`."""

from __future__ import annotations

import re

# A name (no digits, no comma) followed by initials and/or affiliation numbers.
_NAME = r"[^\W\d_][^,;\d\n]{0,60}?"
_PUBMED = re.compile(_NAME + r"\s[A-Z]{1,4}(?:\d+(?:,\d+)*)?")
_NUMBERED = re.compile(_NAME + r"\s?\d+(?:,\s?\d+)*\*?")
_SPLIT = re.compile(r"(?<=[A-Za-z\d*])\s*[,;]\s+(?=[^\W\d_])")
# Every author list has an initial or an affiliation number right before a separator.
_HINT = re.compile(r"(?:\s[A-Z]{1,4}\d*|\s?\d+)(?:,|;|\.?\s*$)")
_TAIL = re.compile(r"[.;]?\s*(?:;\s*[^;]*(?:Group|Consortium|Investigators)[^;]*)?\.?\s*$")


def is_author_line(line: str) -> bool:
    """True for a list of at least two names in the forms PubMed and journals paste."""
    line = line.strip()
    if len(line) < 8 or len(line) > 3000 or line.count(",") < 1 or not _HINT.search(line):
        return False
    # The group suffix (`; Ausimmune Investigator Group.`) is rare; the regex is costly on long prose.
    line = _TAIL.sub("", line) if ("Group" in line or "Consortium" in line or "Investigators" in line) \
        else line.rstrip(" .;")
    items = [item for item in _SPLIT.split(line) if item]
    if len(items) < 2:
        return False
    good = sum(1 for item in items if _PUBMED.fullmatch(item) or _NUMBERED.fullmatch(item))
    return good >= 2 and good >= 0.8 * len(items)
