"""The usual shape of YAML front matter, read without PyYAML.

Most pages write their front matter as one key per line with a quoted string, a date, a whole
number or true/false, and lists as `- "item"` lines. Those lines are read here directly, some
ten times faster than PyYAML builds and then converts its node tree; anything else (plain
strings, comments, nesting, anchors, flow style, a duplicate key) returns None and is left to
PyYAML, so that every document gives the value PyYAML gives.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

# A double-quoted scalar without escapes on one line: no quote or backslash, and only characters
# YAML's reader accepts unchanged (no control, line-separator, byte-order or surrogate characters).
_QUOTED = r'"([^"\\\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]*)"'
# A date (2006-01-02), a whole number within 18 digits (YAML 1.1 reads 012 as octal, 1_000 as
# 1000: left to PyYAML), or lower-case true/false.
_PLAIN = r"([0-9]{4}-[0-9]{2}-[0-9]{2})|(0|[1-9][0-9]{0,17})|(true|false)"
_LINE = re.compile(
    r"([A-Za-z_][A-Za-z0-9_]{0,199}):(?: +(?:" + _QUOTED + "|" + _PLAIN + r"))?\n"  # key: value, or key: alone
    r"|( *)- (?:" + _QUOTED + "|" + _PLAIN + r")\n"  # an item of the list under the last key
)
# Keys YAML 1.1 reads as booleans or null, not strings. (A key is short: YAML's reader refuses an
# implicit key over 1024 characters.)
_NOT_STRING_KEYS = frozenset(("yes", "no", "true", "false", "on", "off", "null"))


def load(raw: str) -> dict[str, Any] | None:
    """The mapping `raw` holds, or None when it is not of the simple shape."""
    data: dict[str, Any] = {}
    pos, end = 0, len(raw)
    key = None  # the last key, while its value is a list (or still empty)
    indent = None  # the items' indentation: every item of one list has the same
    for match in _LINE.finditer(raw):
        if match.start() != pos:
            return None
        pos = match.end()
        name = match.group(1)
        if name is not None:
            if name in data or name.lower() in _NOT_STRING_KEYS:
                return None
            if match.lastindex == 1:  # `key:` alone: null, or a list
                data[name], key, indent = None, name, None
            else:
                data[name], key = _scalar(match, 2), None
            continue
        if key is None or (indent is not None and match.group(6) != indent):
            return None
        if indent is None:
            indent, data[key] = match.group(6), []
        data[key].append(_scalar(match, 7))
    if pos != end or not data:
        return None
    return data


def _scalar(match: re.Match, first: int) -> Any:
    """The value of the quoted string, date, number or boolean whose groups start at `first`."""
    quoted, date, number, boolean = match.group(first, first + 1, first + 2, first + 3)
    if quoted is not None:
        return quoted
    if number is not None:
        return int(number)
    if boolean is not None:
        return boolean == "true"
    try:
        return _dt.date(int(date[:4]), int(date[5:7]), int(date[8:]))
    except ValueError:  # 2019-02-30 stays a string, as the PyYAML loader keeps it
        return date
