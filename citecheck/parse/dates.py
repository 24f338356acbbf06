"""Front-matter date strings as Hugo reads them.

Hugo parses a date string with Go's `time.Parse` against a fixed list of layouts (spf13/cast's
`StringToDate`); a string no layout accepts becomes the zero date, silently, and the page sorts
and publishes as if it had none. This module accepts exactly the layouts that carry a year.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# Go matches month and day names without regard to case.
_DAYS = "(?i:mon|tue|wed|thu|fri|sat|sun)"
_LONG_DAYS = "(?i:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MON = "(?P<mon>(?i:" + "|".join(_MONTHS) + "))"
_CLOCK = r"(?P<h>\d\d):(?P<mi>\d\d):(?P<s>\d\d)(?:\.(?P<frac>\d{1,9}))?"
_ZONE = r"(?P<zone>[A-Z]{3,5}|[A-Z]{3}[+-]\d{1,2})"  # an abbreviation: Go takes its offset as unknown (UTC)
_NUM = r"(?P<num>[+-]\d{4})"

# Layout by layout, as Go reads them. Numeric forms first: they are what sites write.
_LAYOUTS = [re.compile(p) for p in (
    # 2006-01-02, 2006-01-02T15:04:05 with Z07:00, -0700 or no zone
    r"(?P<y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)",
    rf"(?P<y>\d{{4}})-(?P<m>\d\d)-(?P<d>\d\d)T{_CLOCK}(?:Z|(?P<off>[+-]\d\d:\d\d)|(?P<num>[+-]\d{{4}}))?",
    # 2006-01-02 15:04:05 with " -07:00", " -0700", " -0700 MST", "Z07:00", "Z0700" or no zone
    rf"(?P<y>\d{{4}})-(?P<m>\d\d)-(?P<d>\d\d) {_CLOCK}"
    rf"(?: (?P<off>[+-]\d\d:\d\d)| {_NUM}(?: {_ZONE})?|Z|(?P<off2>[+-]\d\d:\d\d)|(?P<num2>[+-]\d{{4}}))?",
    rf"(?P<d>\d\d) {_MON} (?P<y>\d{{4}})",  # 02 Jan 2006
    rf"{_DAYS}, (?P<d>\d\d) {_MON} (?P<y>\d{{4}}) {_CLOCK} (?:{_NUM}|{_ZONE})",  # RFC 1123, 1123Z
    rf"(?P<d>\d\d) {_MON} (?P<yy>\d\d) (?P<h>\d\d):(?P<mi>\d\d) (?:{_NUM}|{_ZONE})",  # RFC 822, 822Z
    rf"{_LONG_DAYS}, (?P<d>\d\d)-{_MON}-(?P<yy>\d\d) {_CLOCK} {_ZONE}",  # RFC 850
    rf"{_DAYS} {_MON}  ?(?P<d>\d{{1,2}}) {_CLOCK} (?:{_ZONE} )?(?P<y>\d{{4}})",  # ANSIC, UnixDate ("_2": Jan  2, Jan 2)
    rf"{_DAYS} {_MON} (?P<d>\d\d) {_CLOCK} {_NUM} (?P<y>\d{{4}})",  # RubyDate
)]


def hugo_date(text: str) -> datetime | None:
    """The moment Hugo reads from a front-matter date string; None where Hugo reads none."""
    for layout in _LAYOUTS:
        match = layout.fullmatch(text)
        if match:
            return _moment(match.groupdict())
    return None


def _moment(g: dict) -> datetime | None:
    year = int(g["y"]) if g.get("y") else _two_digit_year(int(g["yy"]))
    month = int(g["m"]) if g.get("m") else _MONTHS.index(g["mon"].lower()) + 1
    offset = g.get("off") or g.get("off2")
    number = g.get("num") or g.get("num2")
    minutes = 0
    if offset or number:
        sign, digits = (offset or number)[0], (offset or number)[1:].replace(":", "")
        hours, mins = int(digits[:2]), int(digits[2:])
        if hours > 23 or mins > 59:
            return None
        minutes = (hours * 60 + mins) * (-1 if sign == "-" else 1)
    try:
        return datetime(year, month, int(g["d"]), int(g.get("h") or 0), int(g.get("mi") or 0), int(g.get("s") or 0),
                        tzinfo=timezone(timedelta(minutes=minutes)))
    except ValueError:  # February 30th, hour 25: Go refuses them too
        return None


def _two_digit_year(yy: int) -> int:
    return 1900 + yy if yy >= 69 else 2000 + yy  # Go's rule for the "06" layout
