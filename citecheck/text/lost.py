"""Characters lost in a lossy conversion: U+FFFD, and "?" standing in for a symbol (1?-hydroxylase)."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Lost:
    start: int  # character offsets of the suspicious span in the text given to find_lost
    end: int
    hint: str
    kind: str


_GREEK = "a Greek letter such as α or β was probably lost"
_COMPARISON = "a sign such as ≥, ≤ or ± was probably lost"
_MICRO = "a micro sign (µ) was probably lost"
_DEGREE = "a degree sign (°) was probably lost"
_THIN_SPACE = "a thin space (25 000) was probably lost"
_BETWEEN_DIGITS = "an en dash (10–20), × or thin space was probably lost"
_SPACES = "thin or non-breaking spaces around the sign were probably lost"
_APOSTROPHE = "a curly apostrophe (’) was probably lost"
_REPLACED = "a character was lost in an encoding conversion (U+FFFD)"


def _rule(pattern: str, kind: str, hint: str) -> tuple[re.Pattern[str], str, str]:
    return re.compile(pattern), kind, hint


# Each pattern marks the suspicious span as group "q".  The first rule to claim a "?" wins, so
# specific rules come before general ones.
_RULES = [
    # r?=?0.45, p?<?0.05: the spaces around the sign were thin or non-breaking.
    _rule(r"[\w)](?P<q>\?[=<>]\?)(?=[-−]?\.?\d)", "lost-spaces", _SPACES),
    # 1?-hydroxylase, 17?-estradiol, 1?,25(OH)2D
    _rule(r"\d(?P<q>\?)(?=-[A-Za-z]|,\d)", "greek-letter", _GREEK),
    # TNF-?, Interferon-?, NF-?B, TGF-?1, ER-?-positive; requiring a capital keeps "low-?" out.
    _rule(r"[A-Z][A-Za-z]*-(?P<q>\?)(?=[A-Za-z\d-]|[\s.,;:)\]]|$)", "greek-letter", _GREEK),
    # ?-tocopherol, ?-blockers
    _rule(r"(?:^|(?<=[\s(\[]))(?P<q>\?)(?=-[A-Za-z]{3})", "greek-letter", _GREEK),
    # 5?g, 1 ?g/day, 10 ?mol, 2 ?M
    _rule(r"\d\s?(?P<q>\?)(?=(?:g|mol|m|M|L|l)(?![A-Za-z\d]))", "micro-sign", _MICRO),
    # 37 ?C, 98.6?F
    _rule(r"\d\s?(?P<q>\?)(?=[CF](?![A-Za-z\d]))", "degree-sign", _DEGREE),
    # 37.5?S, 12?N
    _rule(r"\d(?P<q>\?)(?=[NSEW](?![A-Za-z\d]))", "degree-sign", _DEGREE),
    # 25?000
    _rule(r"\d(?P<q>\?)(?=\d{3}(?!\d))", "digit-separator", _THIN_SPACE),
    # 2019?2020, 1?2
    _rule(r"\d(?P<q>\?)(?=\d)", "digit-separator", _BETWEEN_DIGITS),
    # (?75nmol), " ?30 ng/mL": a sign attached to the number after it.
    _rule(r"(?:^|(?<=[\s(\[]))(?P<q>\?)(?=\d)", "comparison-sign", _COMPARISON),
    # (? 75 nmol)
    _rule(r"\((?P<q>\?)(?= \d)", "comparison-sign", _COMPARISON),
    # p?0.05, r?0.45: a one-letter statistic glued to its value.
    _rule(r"\b[pPrRnN](?P<q>\?)(?=\.?\d)", "comparison-sign", _COMPARISON),
    # it?s, don?t, I?m, you?re: nobody glues a question mark to these endings.
    _rule(r"[A-Za-z](?P<q>\?)(?=(?:s|t|m|re|ve|ll|d)(?![\w'’]))", "apostrophe", _APOSTROPHE),
]

# "level ? 20 ng/mL", "p ? 0.05", "5.2 ? 1.3": spaced on both sides, which an English question
# mark never is.  French puts a space before "?", so a comparison context is required as well.
_SPACED = re.compile(
    r"(?<!\S)(?P<prev>\S+)[ \u00a0](?P<q>\?)[ \u00a0](?P<num>[-−]?\.?\d[\d.,]*)\s?(?P<unit>\S*)"
)
_UNIT = re.compile(
    r"(?:[nµμmp]?mol|[nµμmk]?g|mcg|I\.?U|[mdµμ]?L|ml|dl|%|‰|mmHg|kg/m2|mm|cm|°C|years?|y)(?![A-Za-z])"
)
_COMPARED = frozenset(
    "p r n or rr hr ci level levels concentration concentrations value values dose doses "
    "intake intakes age aged bmi score ratio".split()
)

# Places where "?" is literal: URLs, paths, query strings, inline code, <?xml … ?>.
_TOKEN = r"[^\s()\[\]<>\"']"
_LITERAL = re.compile(
    rf"(?<!{_TOKEN})(?:{_TOKEN}*(?:://|www\.|\?[\w.%-]+=|\.(?:php|html?|aspx?|jsp|cgi)\?){_TOKEN}*"
    rf"|\.{{0,2}}/{_TOKEN}*)"
    r"|`[^`]*`"
    r"|<\?.*?(?:\?>|$)"
)
_QUERY = re.compile(r"\?[\w.%-]+=")
_REPLACEMENT = re.compile("\ufffd+")

# Characters next to a "?" that some rule needs.  A "?" between a letter and a space, a quote
# or the end of the text is an ordinary question mark, and most lines stop there.
_NEEDED_BEFORE = frozenset("0123456789-([ \t\n\u00a0")
_NEEDED_AFTER = frozenset("-=<>,.")


def _worth_a_look(text: str) -> bool:
    i = text.find("?")
    while i >= 0:
        after = text[i + 1:i + 2]
        if not _QUERY.match(text, i) and (
            i == 0 or text[i - 1] in _NEEDED_BEFORE or after.isalnum() or (after and after in _NEEDED_AFTER)
        ):
            return True
        i = text.find("?", i + 1)
    return False


def find_lost(text: str) -> list[Lost]:
    """Spans of ``text`` where a character was probably lost; nothing when in doubt."""
    found: list[Lost] = []
    if "\ufffd" in text:
        found += [Lost(m.start(), m.end(), _REPLACED, "replacement-char") for m in _REPLACEMENT.finditer(text)]
    if not _worth_a_look(text):
        return found
    literal = [m.span() for m in _LITERAL.finditer(text) if "?" in m.group()]
    claimed: set[int] = set()

    def claim(start: int, end: int, kind: str, hint: str) -> None:
        # "??" and "???" are emphasis, not lost characters.
        if text[start - 1:start] == "?" or text[end:end + 1] == "?":
            return
        if claimed.intersection(range(start, end)) or any(a <= start < b for a, b in literal):
            return
        claimed.update(range(start, end))
        found.append(Lost(start, end, hint, kind))

    for pattern, kind, hint in _RULES:
        for m in pattern.finditer(text):
            claim(*m.span("q"), kind, hint)
    for m in _SPACED.finditer(text):
        prev = m["prev"].strip("([{.,;:\"'“”").lower()
        if prev[-1:].isdigit() or prev in _COMPARED or _UNIT.match(m["unit"]):
            claim(*m.span("q"), "comparison-sign", _COMPARISON)
    return sorted(found, key=lambda lost: lost.start)
