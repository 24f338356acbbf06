"""Bibliographic text read tolerantly: what a citation block says, and whether it says what a
Crossref record says.

Every comparison answers True (same), False (clearly different) or None (cannot tell). Only False
is ever reported, so anything absent, unparseable or borderline is None: a false DOI004 costs
more than a missed one.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

# ---------------------------------------------------------------------------------------------
# Folding: the form two spellings of one string share.

_TAG = re.compile(r"</?[A-Za-z][\w:.-]*(?:\s[^<>]*)?/?>")
_RETRACTED = re.compile(r"^\s*(?:retracted|withdrawn|retraction)\s*(?:article)?\s*[:.\-–]\s*", re.I)
_NOT_WORD = re.compile(r"[^\w?\ufffd]+")
_LOST = re.compile(r"[?\ufffd]")
# Letters NFKD leaves whole.
_LETTERS = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae",
                          "Æ": "AE", "œ": "oe", "Œ": "OE", "ı": "i", "þ": "th", "Þ": "Th", "ð": "d", "_": " "})


def plain(text: str) -> str:
    """Markup out: JATS/HTML tags, entities (once or twice escaped), mojibake that re-encoding undoes unambiguously."""
    if "<" in text:
        text = _TAG.sub("", text)
    for _ in range(2):
        if "&" not in text:
            break
        text = html.unescape(text)
    if not text.isascii():
        from citecheck.text.mojibake import repair

        found = repair(text)
        if found is not None and found.unambiguous:
            text = found.fixed
    return text


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Lower-case ASCII-ish words separated by single spaces; `?`/U+FFFD (lost letters) kept."""
    text = unicodedata.normalize("NFKD", plain(text).translate(_LETTERS))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(_NOT_WORD.sub(" ", text).split())


def _compact(folded: str) -> str:
    return folded.replace(" ", "")


# ---------------------------------------------------------------------------------------------
# Reading the journal line.

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Spring|Summer|Fall|Autumn|Winter)[a-z]*\.?"
_YEAR = r"(?:19|20)\d\d"
_PAGES = r"[A-Za-z]?\d[\w\-–]*"
_WORD = r"[A-Za-z][\w'&\-]*"
# NLM abbreviations have no periods or commas; a parenthetical (Oxf) may close them.
_NAME = rf"{_WORD}(?:\s+(?:&|{_WORD}|\([A-Za-z .]+\)))*"
# Publisher styles write dotted abbreviations (Front. Endocrinol.) or full names with `&`.
_DOTTED = rf"{_WORD}\.?(?:\s+(?:&|{_WORD}\.?))*"
_DATE = rf"(?:\d{{1,2}}\s+)?(?:{_MONTH}\s*)?(?:\d{{1,2}},?\s+)?\(?(?P<year>{_YEAR})(?!\d)"
_SHAPES = (
    # PubMed: `J Clin Endocrinol Metab. 2019 Nov 20;104(4):1-9` (volume, issue and pages optional)
    re.compile(rf"(?P<journal>{_NAME})\.\s*(?P<year>{_YEAR})\b(?:\s+{_MONTH}(?:\s*-\s*{_MONTH})?"
               rf"(?:\s+\d{{1,2}}(?:\s*-\s*\d{{1,2}})?)?)?\s*(?:;\s*(?P<volume>\d+[A-Za-z]?)?\s*"
               rf"(?:\((?P<issue>[^()]{{1,20}})\))?\s*(?::\s*(?P<pages>{_PAGES}))?)?"),
    # MDPI: `Nutrients 2022, 14(12), 2538`
    re.compile(rf"(?P<journal>{_NAME})\.?\s+(?P<year>{_YEAR}),\s*(?P<volume>\d+)\s*"
               rf"(?:\((?P<issue>[^()]{{1,20}})\))?\s*,\s*(?P<pages>{_PAGES})"),
    # Older PLoS: `PLoS ONE 8(6): e65835`
    re.compile(rf"(?P<journal>{_NAME})\.?\s+(?P<volume>\d+)\s*\((?P<issue>[^()]{{1,20}})\)\s*:\s*(?P<pages>{_PAGES})"),
    # Publisher pages: `Front. Endocrinol., 08 November 2018`, `Lancet :January 08, 2021`, `QJM (2013)`,
    # `J of Clinical Endocrinology & Metabolism, Vol 104, #12, Dec 2019`
    re.compile(rf"(?P<journal>{_DOTTED})\s*[,:(|]\s*(?:Vol(?:ume)?\.?\s*\d+\s*,?\s*)?(?:(?:Issue|No\.?|#)\s*\d+\s*,?\s*)?"
               rf"{_DATE}"),
)
_VOLUME_WORD = re.compile(r"\bVol(?:ume)?\.?\s*(\d+)", re.I)
_ISSUE_WORD = re.compile(r"(?:\bIssue|\bNo\.|#)\s*(\d+)", re.I)
_DOI_START = re.compile(r"(?<![A-Za-z])doi\b|https?://|\b10\.\d{4,9}/|\bpii\b|\bPMID\b", re.I)
_ANY_YEAR = re.compile(rf"(?<![\d.\-/]){_YEAR}(?![\d.\-/])")
_URLISH = re.compile(r"\S*(?:https?://|10\.\d{4,9}/)\S*")
_SMALL = frozenset("of and the in for on de la le des du der und fur et y a an to from at with &".split())
_NOT_A_JOURNAL = frozenset(("epub", "published", "received", "accepted", "available", "online", "preprint", "print",
                            "copyright", "pmid", "pmcid", "updated", "posted", "issue", "volume", "vol", "in",
                            "from", "see", "free", "download", "study", "article", "and", "by", "ecollection",
                            "citation", "source", "doi", "pages", "page"))


@dataclass(frozen=True, slots=True)
class Field:
    value: str
    start: int  # character offsets in the journal line
    end: int


@dataclass(slots=True)
class JournalLine:
    """The fields a journal line states; absent fields are None."""

    journal: Field | None = None
    year: Field | None = None
    volume: Field | None = None
    issue: Field | None = None
    pages: Field | None = None
    other_years: list[int] = field(default_factory=list)  # Epub, Print, eCollection years on the line

    @property
    def ahead_of_print(self) -> bool:
        return self.volume is None and self.issue is None and self.pages is None


def read_journal_line(line: str) -> JournalLine:
    """Fields of `line` when it starts the way journal lines do; nothing from prose."""
    out = JournalLine()
    cut = _DOI_START.search(line)
    head = line[: cut.start()] if cut else line
    lead = len(head) - len(head.lstrip())
    for shape in _SHAPES:
        match = shape.match(head, lead)
        if match and _is_journal_name(match.group("journal")):
            break
    else:
        return out
    for name in ("journal", "year", "volume", "issue", "pages"):
        if name in shape.groupindex and match.group(name):
            value = match.group(name).strip()
            start = match.start(name) + (len(match.group(name)) - len(match.group(name).lstrip()))
            setattr(out, name, Field(value, start, start + len(value)))
    for attr, words in (("volume", _VOLUME_WORD), ("issue", _ISSUE_WORD)):
        if getattr(out, attr) is None:
            found = words.search(head, out.journal.end)
            if found:
                setattr(out, attr, Field(found.group(1), found.start(1), found.end(1)))
    others = _URLISH.sub(" ", line[match.end():])
    out.other_years = [int(y) for y in _ANY_YEAR.findall(others)]
    return out


def _is_journal_name(name: str) -> bool:
    words = name.replace(".", " ").split()
    if not words or len(words) > 12 or words[0].casefold() in _NOT_A_JOURNAL or re.fullmatch(_MONTH, words[0]):
        return False
    # Title case, small words, or a lower-case start with a capital inside (mBio, eLife).
    return all(w[0].isupper() or w[0].isdigit() or w.casefold() in _SMALL or w[0] == "(" or w == "&"
               or any(c.isupper() for c in w[1:]) for w in words)


# ---------------------------------------------------------------------------------------------
# Reading the author line.

_SEPARATOR = re.compile(r"\s*[,;]\s*(?=[^\W\d_])|\s+(?:and|&)\s+")
# Affiliation marks, degrees, e-mail addresses and ORCID icons around the names.
_NOISE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|ORCID\b|\b(?:MD|PhD|MBA|MSc|MHA|MMSc|MPH|FRCPC|RN|BSc|DrPH|Prof|Dr)\b\.?"
                    r"|[\d#*†‡§¶⇑✉%]+|\bet al\b\.?|^\s*by\b", re.I)
_NAME_WORD = re.compile(r"[^\s,;.]+")
_INITIALS = re.compile(r"[A-Z]{1,4}")


@dataclass(frozen=True, slots=True)
class Name:
    written: str  # the author as written, affiliation marks left out
    family: str  # the family name, as far as the form tells
    start: int  # character offsets of `written` in the author line
    end: int


def author_names(line: str) -> list[Name]:
    """The names of an author line (`Sarayloo F1,2, …`, `Zhonghui Huang 1, …`, `Khalid, Ayesha N. MD; …`)."""
    # Noise is blanked, not removed, so that offsets still point into the line.
    cleaned = _NOISE.sub(lambda m: " " * len(m.group()), line)
    names, position = [], 0
    for separator in [*_SEPARATOR.finditer(cleaned), None]:
        end = separator.start() if separator else len(cleaned)
        words = list(_NAME_WORD.finditer(cleaned, position, end))
        position = separator.end() if separator else end
        if not words:
            continue
        bare = [w.group() for w in words]
        if len(bare) > 1 and _INITIALS.fullmatch(bare[-1]) and not _INITIALS.fullmatch(bare[0]):
            family = " ".join(bare[:-1])  # PubMed: Family Initials
        else:
            family = bare[-1]  # Given Family, or a family name alone
        names.append(Name(line[words[0].start():words[-1].end()], family, words[0].start(), words[-1].end()))
    return names


# ---------------------------------------------------------------------------------------------
# The record's side.

DATE_FIELDS = ("issued", "published-print", "published-online", "published")


def record_titles(record: dict[str, Any]) -> list[str]:
    titles = [t for t in record.get("title") or [] if isinstance(t, str) and t.strip()]
    subtitles = [t for t in record.get("subtitle") or [] if isinstance(t, str) and t.strip()]
    return titles + [f"{t}: {s}" for t in titles[:1] for s in subtitles[:1]]


def record_journals(record: dict[str, Any]) -> list[str]:
    return [t for key in ("container-title", "short-container-title") for t in record.get(key) or []
            if isinstance(t, str) and t.strip()]


def record_years(record: dict[str, Any]) -> list[int]:
    years = []
    for key in DATE_FIELDS:
        try:
            year = record[key]["date-parts"][0][0]
        except (KeyError, IndexError, TypeError):
            continue
        if isinstance(year, int) and year not in years:
            years.append(year)
    return years


def first_author(record: dict[str, Any]) -> dict[str, Any] | None:
    authors = [a for a in record.get("author") or [] if isinstance(a, dict)]
    for author in authors:
        if author.get("sequence") == "first":
            return author
    return authors[0] if authors else None


def person(author: dict[str, Any]) -> str:
    return " ".join(str(author.get(k) or "").strip() for k in ("given", "family")).strip() or str(author.get("name") or "")


# ---------------------------------------------------------------------------------------------
# Comparisons: True, False, or None when it cannot tell.

def same_title(cited: str, titles: list[str]) -> bool | None:
    from rapidfuzz import fuzz

    mine = fold(_RETRACTED.sub("", plain(cited)))
    if len(mine.split()) < 3 or not titles:
        return None
    verdict: bool | None = False
    for title in titles:
        theirs = fold(_RETRACTED.sub("", plain(title)))
        if not theirs:
            return None
        a, b = _compact(mine), _compact(theirs)
        shorter = min(len(a), len(b))
        if a == b or (shorter >= 15 and (a.startswith(b) or b.startswith(a))):
            return True
        words = fuzz.token_set_ratio(mine, theirs)
        part = fuzz.partial_ratio(mine, theirs) if shorter >= 20 else 0
        if max(words, part) >= 85:
            return True
        if words >= 55 or part >= 65:
            verdict = None
    return verdict


def same_journal(cited: str, names: list[str]) -> bool | None:
    from rapidfuzz import fuzz

    mine = _journal_words(cited)
    verdict = None
    for name in names:
        theirs = _journal_words(name)
        if not mine or not theirs:
            continue
        if _abbreviates(mine, theirs) or _abbreviates(theirs, mine) \
                or fuzz.token_set_ratio(" ".join(mine), " ".join(theirs)) >= 90:
            return True
        verdict = False
    return verdict


def _journal_words(name: str) -> tuple[str, ...]:
    return tuple(fold(re.sub(r"\([^()]*\)", " ", plain(name))).split())  # Clin Endocrinol (Oxf): the place is optional


@lru_cache(maxsize=4096)
def _abbreviates(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """Does `short` abbreviate `full` word by word (J Clin Endocrinol Metab ~ The Journal of
    Clinical Endocrinology & Metabolism)? Small words may be skipped on either side, and `full`'s
    last words may be left out (QJM ~ QJM: An International Journal of Medicine)."""
    if not short:
        return True
    if not full:
        return all(w in _SMALL for w in short)
    head, rest = short[0], short[1:]
    if head in _SMALL and _abbreviates(rest, full):
        return True
    if full[0] in _SMALL and _abbreviates(short, full[1:]):
        return True
    return _word_abbreviates(head, full[0]) and _abbreviates(rest, full[1:])


def _word_abbreviates(short: str, word: str) -> bool:
    """`Natl` ~ `national`, `Jpn` ~ `japanese`: same first letter, the rest in order."""
    if short == word:
        return True
    if not short or not word or short[0] != word[0] or len(short) > len(word):
        return False
    rest = iter(word[1:])
    return all(c in rest for c in short[1:])


def same_year(line: JournalLine, years: list[int]) -> bool | None:
    if line.year is None or not years:
        return None
    cited = [int(line.year.value)] + line.other_years
    if any(y in years for y in cited):
        return True
    # An ahead-of-print citation gives the online date; the record may know only the print year.
    if line.ahead_of_print and any(abs(cited[0] - y) == 1 for y in years):
        return True
    return False


def same_number(cited: str | None, recorded: Any) -> bool | None:
    """Volume or issue: plain numbers compared as numbers; ranges and supplements not at all."""
    if not cited or recorded is None:
        return None
    mine, theirs = _number(cited), _number(str(recorded))
    if mine is None or theirs is None:
        return None
    return mine == theirs


def _number(text: str) -> str | None:
    text = text.strip().replace("–", "-").replace(" ", "")
    if re.fullmatch(r"\d+(?:-\d+)?", text):
        return "-".join(part.lstrip("0") or "0" for part in text.split("-"))
    return None


def same_person(name: Name, author: dict[str, Any]) -> bool | None:
    """Is the cited author this record author? Order, diacritics, mojibake, lost letters and OCR
    slips aside."""
    from rapidfuzz import fuzz

    theirs = _compact(fold(str(author.get("family") or "")))
    if not theirs:
        return None  # an organisation
    written = fold(name.written)
    mine, family = _compact(written), _compact(fold(name.family))
    if not mine:
        return None
    given = fold(str(author.get("given") or "")).split()
    # Crossref sometimes swaps given and family names of East Asian authors.
    if theirs in mine or (given and len(given[0]) >= 3 and given[0] in written.split()):
        return True
    if _LOST.search(family) and _lost_match(family, theirs):
        return True
    return len(theirs) >= 4 and fuzz.ratio(family, theirs) >= 80  # OCR slips: Hyppbnen, Hyppönen


def _lost_match(damaged: str, word: str) -> bool:
    """`ak?imen` ~ `akcimen`: each lost character stands for one or two letters."""
    pattern = "".join(".{1,2}" if c in "?\ufffd" else re.escape(c) for c in damaged)
    return re.fullmatch(pattern, word) is not None


# ---------------------------------------------------------------------------------------------
# Names an encoding accident damaged, restored from the record's spelling.

def damaged_spellings(word: str) -> set[str]:
    """How an encoding accident writes `word`: its UTF-8 read as a single-byte codec (Ak√ßimen),
    or its non-ASCII letters lost to `?` or U+FFFD (Ak?imen), one per letter or one per byte."""
    if word.isascii():
        return set()
    from citecheck.text.mojibake import CHARMAP_ENCODINGS

    raw = word.encode("utf-8")
    out = set()
    for codec in CHARMAP_ENCODINGS:
        try:
            out.add(raw.decode(codec))
        except UnicodeDecodeError:
            continue
    for mark in ("?", "\ufffd"):
        out.add("".join(c if c.isascii() else mark for c in word))
        out.add("".join(c if c.isascii() else mark * len(c.encode("utf-8")) for c in word))
    out.discard(word)
    return out


def restorations(line: str, authors: list[dict[str, Any]]) -> list[tuple[int, int, str]]:
    """(start, end, spelling) for each word of `line` that is a record author's name as an encoding
    accident writes it; character offsets, in order, not overlapping."""
    found: dict[tuple[int, int], str] = {}
    for author in authors:
        for part in (author.get("family"), author.get("given")):
            if not isinstance(part, str) or part.isascii():
                continue
            for word in part.split():
                for bad in damaged_spellings(word):
                    if bad not in line:
                        continue
                    for match in re.finditer(rf"(?<![\w?\ufffd]){re.escape(bad)}(?![\w?\ufffd])", line):
                        found.setdefault((match.start(), match.end()), word)
    out, end = [], 0
    for (start, stop), word in sorted(found.items()):
        if start >= end:
            out.append((start, stop, word))
            end = stop
    return out
