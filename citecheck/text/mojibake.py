"""Mojibake: UTF-8 text that was decoded with a single-byte codec (MÃ¼ller, Ak√ßimen), word by word.

Each word is undone on its own: its characters are encoded back with the codec that garbled them
and the bytes must be valid UTF-8 again. Correct text almost never survives that (`Dvořák` holds a
letter no single-byte codec has; `Akçimen` gives a byte UTF-8 rejects), so the test is exact where a
line-level "does this look bad" guess is not. What the decoding gives must then read as a word of one
script, which keeps out the few clean words that do decode (`—Über` would become `цber`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# The codecs an encoding accident involves, for callers that enumerate damaged spellings
# (ftfy's CHARMAP_ENCODINGS, with the standard codecs behind its "sloppy-" variants).
CHARMAP_ENCODINGS = ("latin-1", "windows-1252", "windows-1251", "windows-1250", "windows-1253", "windows-1254",
                     "windows-1257", "iso-8859-2", "mac_roman", "cp437")

# The misreadings undone here: Windows-1252 (which covers Latin-1: the five bytes it leaves undefined
# read as the C1 controls Latin-1 gives them, as Windows and browsers do) and Mac Roman.
_WINDOWS, _MAC = "windows-1252", "mac_roman"
_FAMILIES = (_WINDOWS, _MAC)
_CP1252 = {ord(c): 0x80 + i for i, c in enumerate(bytes(range(0x80, 0xA0)).decode("cp1252", "replace"))
           if c != "\ufffd"}
_TO_LATIN1 = {char: chr(byte) for char, byte in _CP1252.items()}
_FROM_LATIN1 = {byte: chr(char) for char, byte in _CP1252.items()}
_MAX_LAYERS = 3


def _misread(raw: bytes, codec: str) -> str:
    if codec == _WINDOWS:
        return raw.decode("latin-1").translate(_FROM_LATIN1)
    return raw.decode(codec)


def _encode(text: str, family: str) -> bytes:
    """The bytes `text` was read from under `family`; UnicodeEncodeError when it cannot have been."""
    if family == _WINDOWS:
        return text.translate(_TO_LATIN1).encode("latin-1")
    return text.encode(family)


def garble(text: str, layers: tuple[str, ...]) -> str:
    """`text` as the accidents in `layers` (in the order they happened) write it."""
    for codec in layers:
        text = _misread(text.encode("utf-8"), codec)
    return text


def _codec_of(garbled: str, family: str) -> str:
    """The codec that wrote `garbled` exactly: latin-1 when no Windows-1252 character shows."""
    if family == _WINDOWS:
        try:
            garbled.encode("latin-1")
            return "latin-1"
        except UnicodeEncodeError:
            return _WINDOWS
    return family


def _chars(family: str, first: int, last: int) -> str:
    """What bytes first..last look like misread under `family`, as a regex class body."""
    raw = bytes(range(first, last + 1))
    if family == _WINDOWS:
        chars = raw.decode("latin-1") + raw.decode("latin-1").translate(_FROM_LATIN1)
    else:
        chars = raw.decode(family)
    return re.escape("".join(sorted(set(chars))))


_LEAD = {f: _chars(f, 0xC2, 0xF4) for f in _FAMILIES}
_CONT = {f: _chars(f, 0x80, 0xBF) for f in _FAMILIES}
# A lead byte followed by a continuation byte, as a codec shows them: every UTF-8 misreading has one,
# and most clean text (Dvořák, Москва, 김민수, µg, ≥) has none, so most lines stop here.
_CANDIDATE = re.compile("|".join(f"[{_LEAD[f]}][{_CONT[f]}]" for f in _FAMILIES))
# The same look with the codecs' characters pooled: a wider net, but one pass instead of one per
# codec, and clean text with accents or curly quotes slips through it as well.
_ANY_PAIR = re.compile(f"[{''.join(_LEAD.values())}][{''.join(_CONT.values())}]")
# A word: letters, digits and anything not ASCII, but no ASCII punctuation or space. No misreading
# makes ASCII, so a garbled word never spans one (U+00A0 and U+0085 are misread bytes: kept).
_WORD = re.compile(r"[^\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")


# A word of nothing but these is notation (√π, √±, ≈µ), not a Mac Roman misreading of one letter.
_MATH = frozenset("0123456789√∞±≤≥µ∂∑∏π∫Ω≠≈∆¬ƒ÷°")


def _strong_sequences(family: str) -> re.Pattern[str]:
    """Sequences decoded inside a word that also holds clean non-ASCII letters: only those no clean
    text has. Punctuation misread (â€™, ‚Äô: bytes E2 80-8x) and two-byte letters after Ã, Â, Å and
    the like (Mac Roman: √, ≈); `á»—` beside clean letters is a quote and a dash, not ỗ."""
    cont = _CONT[family]
    if family == _WINDOWS:
        return re.compile(f"â[{cont}]{{2}}|[ÂÃÄÅÎÏÐÑ][{cont}]")
    # √π and ≈µ beside other text are notation, whatever they would decode to.
    letters = re.escape("".join(sorted(set(bytes(range(0x80, 0xC0)).decode(family)) - _MATH)))
    return re.compile(f"‚[{cont}]{{2}}|[¬√ƒ≈][{letters}]")


_STRONG = {f: _strong_sequences(f) for f in _FAMILIES}
# Misreadings that are certain even where no repair fits (bytes lost to U+FFFD): the start of a
# General Punctuation character (’ “ – …) and a lead byte followed by a lost byte.
_KNOWN = {_WINDOWS: re.compile("â€|[ÃÂ]\ufffd"), _MAC: re.compile("‚Ä|√\ufffd")}
# A capital letter (a lead byte) followed by a mark that closes a word: what SKELLEFTEÅ» and UMEÅ’s
# hold, and what a misread Ż or Œ would too.
_GLUED = re.compile("[\u00c0-\u00de][”’»›—–…™®©°²³¹“‘\u00a0]")
# A single misread character that is certain on its own: é as Ã©, ° as Â°, à as √†.
_KNOWN_PAIR = re.compile(f"[ÃÂ][{_CONT[_WINDOWS]}]|â€|‚Ä|√[{_chars(_MAC, 0x80, 0xAF)}]")


@dataclass(frozen=True, slots=True)
class Garbled:
    """One garbled word of a text."""

    start: int  # character offsets of the word in the text given to `find`
    end: int
    text: str
    fixed: str | None  # the repaired word; None when the damage is certain but no repair fits
    explanation: str  # e.g. "utf-8 read as mac_roman"
    parts: tuple[tuple[int, int, str], ...] = ()  # (start, end, repair) within the word, each re-garbling exactly
    layers: tuple[str, ...] = ()  # the accidents, in the order they happened


@dataclass(frozen=True, slots=True)
class Repair:
    fixed: str  # the text with every garbled word repaired; the input when none could be
    unambiguous: bool  # every garbled word has a repair
    explanation: str


# ------------------------------------------------------------------------------------------------
# What a repaired word may look like.

_LATIN_EXTRA = frozenset([
    0x018F, 0x0259,  # Azerbaijani Ə ə
    0x0192,  # ƒ
    0x01A0, 0x01A1, 0x01AF, 0x01B0,  # Vietnamese Ơ ơ Ư ư
    0x0218, 0x0219, 0x021A, 0x021B,  # Romanian Ș ș Ț ț
])  # Not pinyin's ǎ or the digraphs: «élan and «Über in Mac Roman would read as ǎlan and ǆber.
# (first, last, script) of the letters people write words and names in.
_SCRIPTS = (
    (0x00C0, 0x017F, "Latin"), (0x0386, 0x03CE, "Greek"), (0x03D0, 0x03D6, "Greek"), (0x03F0, 0x03F5, "Greek"),
    (0x0400, 0x045F, "Cyrillic"), (0x0490, 0x04FF, "Cyrillic"), (0x0531, 0x0587, "Armenian"),
    (0x0591, 0x05F2, "Hebrew"), (0x0610, 0x06FF, "Arabic"), (0x0750, 0x077F, "Arabic"),
    (0x0900, 0x0DFF, "Indic"), (0x0E01, 0x0EFF, "Thai"), (0x0F00, 0x0FFF, "Tibetan"), (0x1000, 0x109F, "Myanmar"),
    (0x10A0, 0x10FF, "Georgian"), (0x1100, 0x11FF, "CJK"), (0x1200, 0x137F, "Ethiopic"), (0x1780, 0x17FF, "Khmer"),
    (0x1E00, 0x1EFF, "Latin"), (0x1F00, 0x1FFF, "Greek"), (0x3005, 0x3007, "CJK"), (0x3041, 0x30FF, "CJK"),
    (0x3100, 0x318F, "CJK"),
    (0x3400, 0x4DBF, "CJK"), (0x4E00, 0x9FFF, "CJK"), (0xAC00, 0xD7A3, "CJK"), (0xF900, 0xFAFF, "CJK"),
    (0xFF66, 0xFF9F, "CJK"), (0x20000, 0x2FFFF, "CJK"),
)


def _script(code: int) -> str | None:
    if code in _LATIN_EXTRA:
        return "Latin"
    if code in (0x00D7, 0x00F7):
        return None
    for first, last, script in _SCRIPTS:
        if first <= code <= last:
            return script
    return None


# (first, last) of the blocks whose signs and punctuation a word may hold: Latin-1's, General
# Punctuation to Dingbats, CJK punctuation, fullwidth forms, emoji.
_SIGNS = ((0x00A0, 0x00BF), (0x00D7, 0x00D7), (0x00F7, 0x00F7), (0x0370, 0x03FF), (0x0530, 0x05FF),
          (0x0600, 0x06FF), (0x0900, 0x0E7F), (0x2000, 0x27BF), (0x3000, 0x303F), (0xFF00, 0xFFEF),
          (0x1F000, 0x1FAFF))


def _sign(code: int) -> bool:
    return any(first <= code <= last for first, last in _SIGNS)


def _plausible(word: str) -> bool:
    """A word of one script (Greek letters allowed in Latin notation: TNFα), with marks only on letters,
    no lower-case letter outside ASCII inside a capital word (LULEŗ) or before a capital (TichỗO: a
    name's capitals follow a space or a hyphen), and no control, private or unassigned characters."""
    scripts: set[str] = set()
    ascii_letters = greek = capitals = 0
    previous = ""  # the script of the letter before, for a combining mark
    for i, char in enumerate(word):
        code = ord(char)
        lower = i > 0 and word[i - 1] > "\x7f" and word[i - 1].islower()
        if code < 0x80:
            if char.isalpha():
                if char.isupper() and lower:
                    return False  # TichỗO: a word, a quote and a dash, then the next word
                ascii_letters += 1
                previous = "Latin"
                capitals = capitals + 1 if char.isupper() else 0
            else:
                previous = ""
                capitals = 0
            continue
        category = unicodedata.category(char)
        kind = category[0]
        if code in (0x02BB, 0x02BC):  # ʻokina and the modifier apostrophe (Демʼян): any script
            previous = ""
        elif kind == "L":
            script = _script(code)
            if script is None or (category == "Ll" and capitals >= 2) or (category == "Lu" and lower):
                return False
            scripts.add(script)
            greek += script == "Greek"
            previous = script
            capitals = capitals + 1 if category == "Lu" else 0
            continue
        elif kind == "M":
            script = "Latin" if 0x0300 <= code <= 0x036F else _script(code)
            if not previous or script != previous:
                return False
            continue
        elif kind == "C" and char not in "\u00ad\u200c\u200d":
            return False
        elif not _sign(code):
            return False
        else:
            previous = ""
        capitals = 0
    if ascii_letters:
        scripts.add("Latin")
    if len(scripts) <= 1:
        return True
    return scripts == {"Latin", "Greek"} and greek <= 2


def _oddness(word: str) -> int:
    """Combining marks and rarely written letters: what a wrong misreading tends to produce."""
    return sum(1 for c in word if ord(c) >= 0x0180 and (ord(c) in _LATIN_EXTRA or unicodedata.combining(c)))


# ------------------------------------------------------------------------------------------------
# Undoing one word.


@dataclass(frozen=True, slots=True)
class _Candidate:
    fixed: str
    layers: tuple[str, ...]  # damage order
    mixed: bool  # clean non-ASCII letters stay beside the repaired sequences
    decoded: int  # how many characters the decoding made


def _weight(decoded: str) -> int:
    """How much a decoding proves: one per character it made, two for one of three bytes or more."""
    return sum(0 if c.isascii() else 1 if c < "\u0800" else 2 for c in decoded)


def _undo_word(word: str, family: str) -> tuple[str, str, bool, int] | None:
    """(repaired, codec, mixed, decoded characters) for one layer of `family`, or None."""
    try:
        fixed = _encode(word, family).decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        pass
    else:
        if fixed != word:
            return fixed, _codec_of(word, family), False, _weight(fixed)
        return None
    count = 0
    garbled: list[str] = []

    def decode(match: re.Match[str]) -> str:
        nonlocal count
        try:
            char = _encode(match.group(), family).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return match.group()
        count += 1 if len(match.group()) < 3 else 2
        garbled.append(match.group())
        return char

    fixed = _STRONG[family].sub(decode, word)
    if not count:
        return None
    return fixed, _codec_of("".join(garbled), family), True, count


def _candidates(word: str) -> list[_Candidate]:
    """Every chain of misreadings that undoes `word`, each followed as deep as it goes."""
    out: list[_Candidate] = []

    def follow(text: str, layers: tuple[str, ...], first: tuple[bool, int] | None) -> None:
        went_on = False
        if len(layers) < _MAX_LAYERS:
            for family in _FAMILIES:
                step = _undo_word(text, family)
                if step is None:
                    continue
                fixed, codec, mixed, decoded = step
                if layers and mixed:
                    continue  # a second layer is undone only where the whole word decodes
                went_on = True
                follow(fixed, (codec, *layers), first or (mixed, decoded))
        if layers and not went_on and first is not None:
            out.append(_Candidate(text, layers, *first))

    follow(word, (), None)
    return out


def _parts(word: str, fixed: str, layers: tuple[str, ...]) -> tuple[tuple[int, int, str], ...] | None:
    """The changed stretches of `word`, each with its repair, or None unless each re-garbles exactly."""
    if garble(fixed, layers) == word:
        return ((0, len(word), fixed),)
    # Mixed (one layer): clean characters are kept, so align on them.
    parts = []
    i = j = 0
    while i < len(word) and j < len(fixed):
        if word[i] == fixed[j]:
            i += 1
            j += 1
            continue
        bad = garble(fixed[j], layers)
        if word[i : i + len(bad)] != bad or len(bad) < 2:
            return None
        parts.append((i, i + len(bad), fixed[j]))
        i += len(bad)
        j += 1
    if i != len(word) or j != len(fixed):
        return None
    return tuple(parts)


def _known(word: str) -> str | None:
    for family, pattern in _KNOWN.items():
        if pattern.search(word):
            return family
    return None


def _explain(layers: tuple[str, ...], mixed: bool) -> str:
    text = ", then ".join(f"utf-8 read as {codec}" for codec in layers)
    return text + " in places" if mixed else text


@dataclass(slots=True)
class _Judged:
    start: int
    end: int
    word: str
    candidate: _Candidate | None
    strong: bool


def _glued_capitals(word: str) -> int:
    """How many capital words with a closing quote, dash, sign or space glued on `word` holds
    (SKELLEFTEÅ», UMEÅ’s, CAFÉ”): each would otherwise read as one misread letter (Å» is Ż)."""
    count = 0
    for match in _GLUED.finditer(word):
        head = word[: match.start()]
        if match.group()[1] in "“‘" and "„" not in head and "‚" not in head:
            continue  # “ and ‘ close a word only after German „ and ‚
        if len(head) - len(head.rstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞ")) >= 2:
            count += 1
    return count


def _judge(word: str, start: int) -> _Judged | None:
    found: dict[str, _Candidate] = {}
    for candidate in _candidates(word):
        if _plausible(candidate.fixed) and candidate.fixed not in found:
            found[candidate.fixed] = candidate
    if any(not c.mixed for c in found.values()):
        # A misreading that explains the whole word beats one that explains a part of it.
        found = {fixed: c for fixed, c in found.items() if not c.mixed}
    if len(found) > 1:
        # Two misreadings fit (`Ã¶` is ö as Latin-1 and o + U+0326 as Mac Roman): the one with fewer
        # rare characters wins; a tie is no repair.
        ranked = sorted(found, key=_oddness)
        if _oddness(ranked[0]) < _oddness(ranked[1]):
            found = {ranked[0]: found[ranked[0]]}
    if len(found) != 1:
        # Nothing fits, or two misreadings fit differently: no repair to offer.
        return _Judged(start, start + len(word), word, None, False) if _known(word) else None
    candidate = next(iter(found.values()))
    if set(word) <= _MATH or _glued_capitals(word) >= candidate.decoded:
        return None
    strong = (candidate.decoded >= 2 or len(candidate.layers) > 1
              or _KNOWN_PAIR.search(word) is not None
              or (any(c.isascii() and c.isalpha() for c in word)
                  and any(not c.isascii() and _script(ord(c)) == "Latin" for c in candidate.fixed)))
    return _Judged(start, start + len(word), word, candidate, strong)



def _families(layers: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(_WINDOWS if codec == "latin-1" else codec for codec in layers)


def may_be_garbled(text: str) -> bool:
    """False when `text` surely holds no garbled word (true of most text): a quick look that
    `find` would also take first. Texts joined by an ASCII separator may be asked at once."""
    return not text.isascii() and _ANY_PAIR.search(text) is not None


def find(text: str) -> list[Garbled]:
    """Every garbled word of `text`, with its repair where exactly one fits."""
    if text.isascii() or not _ANY_PAIR.search(text) or not _CANDIDATE.search(text):
        return []
    judged: list[_Judged] = []
    for match in _WORD.finditer(text):
        word = match.group()
        if word.isascii() or not _CANDIDATE.search(word):
            continue
        verdict = _judge(word, match.start())
        if verdict is not None:
            judged.append(verdict)
    # A word too short to be sure of on its own (в, à) counts when the same accident shows elsewhere
    # in the text.
    certain = {_families(j.candidate.layers) for j in judged if j.candidate and j.strong}
    out = []
    for j in judged:
        if j.candidate is None:
            family = _known(j.word)
            out.append(Garbled(j.start, j.end, j.word, None,
                               f"utf-8 read as {family}, with bytes lost or several accidents mixed"))
            continue
        if not j.strong and _families(j.candidate.layers) not in certain:
            continue
        parts = _parts(j.word, j.candidate.fixed, j.candidate.layers)
        if parts is None:
            continue
        out.append(Garbled(j.start, j.end, j.word, j.candidate.fixed,
                           _explain(j.candidate.layers, j.candidate.mixed), parts, j.candidate.layers))
    return out


def round_trips(garbled: Garbled) -> bool:
    """Re-garbling each repaired stretch gives back exactly what is written."""
    return garbled.fixed is not None and bool(garbled.parts) and all(
        garble(fixed, garbled.layers) == garbled.text[start:end] for start, end, fixed in garbled.parts)


def word_at(text: str, start: int, end: int) -> tuple[int, int]:
    """The word of `text` around characters start..end, as `find` delimits words."""
    while start > 0 and _WORD.match(text, start - 1, start):
        start -= 1
    while end < len(text) and _WORD.match(text, end, end + 1):
        end += 1
    return start, end


def repaired(text: str, found: list[Garbled]) -> str:
    """`text` with each garbled word of `found` (from `find(text)`) replaced by its repair, if any."""
    pieces, at = [], 0
    for garbled in found:
        pieces += [text[at : garbled.start], garbled.text if garbled.fixed is None else garbled.fixed]
        at = garbled.end
    pieces.append(text[at:])
    return "".join(pieces)


def repair(text: str) -> Repair | None:
    """None when ``text`` shows no mojibake; otherwise the text with each garbled word repaired."""
    found = find(text)
    if not found:
        return None
    explanations = list(dict.fromkeys(g.explanation for g in found))
    return Repair(repaired(text, found), all(g.fixed is not None for g in found), "; ".join(explanations))
