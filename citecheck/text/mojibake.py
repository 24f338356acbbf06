"""Mojibake: UTF-8 text that was decoded with a single-byte codec (MÃ¼ller, Ak√ßimen)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import ftfy

# ftfy's CHARMAP_ENCODINGS, with the standard codecs behind its "sloppy-" variants: the
# bytes those leave undefined decode to C1 controls, which _MAYBE_BAD covers anyway. Naming
# them here keeps ftfy (slow to import) off the path of the many files with clean text.
CHARMAP_ENCODINGS = ("latin-1", "windows-1252", "windows-1251", "windows-1250", "windows-1253", "windows-1254",
                     "windows-1257", "iso-8859-2", "mac_roman", "cp437")


@dataclass(frozen=True, slots=True)
class Repair:
    fixed: str  # the repaired text; equal to the input when no safe repair was found
    unambiguous: bool  # ftfy changed the text and the result no longer looks like mojibake
    explanation: str  # e.g. "utf-8 read as mac_roman"


def _decoded(first: int, last: int) -> str:
    """What bytes first..last become in any codec ftfy knows how to undo, as a regex class body."""
    chars: set[str] = set()
    for encoding in CHARMAP_ENCODINGS:
        chars.update(bytes(range(first, last + 1)).decode(encoding, errors="ignore"))
    # U+FFFD is a lost character, not a wrong decoding; citecheck.text.lost reports it.
    chars.discard("\ufffd")
    return re.escape("".join(sorted(chars)))


# UTF-8 read as a single-byte codec always leaves a lead byte (0xC2-0xF4) followed by a
# continuation byte (0x80-0xBF) in that codec's characters.  Correct text rarely has such a
# pair (Dvořák, Ξενοφών and Москва do not), so the slow badness regex runs on few lines.
# The single characters cover C1 controls and ftfy's Â/Ã-before-a-space and œ cases.
_MAYBE_BAD = re.compile(f"[\x80-\x9fŒœÃÂ]|[{_decoded(0xC2, 0xF4)}][{_decoded(0x80, 0xBF)}]")

_CODEC_NAMES = {"macroman": "mac_roman", "utf-8-variants": "utf-8"}
_STEP_NOTES = {
    "restore_byte_a0": "non-breaking spaces became spaces",
    "replace_lossy_sequences": "some bytes were lost",
    "decode_inconsistent_utf8": "utf-8 read as windows-1252 in places",
    "fix_c1_controls": "windows-1252 read as latin-1",
}


def _codec(name: str) -> str:
    name = name.removeprefix("sloppy-")
    return _CODEC_NAMES.get(name, name)


def _explain(steps: list[ftfy.ExplanationStep]) -> str:  # noqa: F821 (imported lazily)
    # ftfy lists the steps that undo the damage, outermost layer first; we describe the
    # damage in the order it happened.
    layers: list[str] = []
    notes: list[str] = []
    read_as = ""
    for action, parameter in steps:
        if action == "encode":
            read_as = _codec(parameter)
        elif action == "decode":
            layers.append(f"{_codec(parameter)} read as {read_as}")
        elif parameter in _STEP_NOTES:
            (notes if action == "transcode" and read_as else layers).append(_STEP_NOTES[parameter])
    text = ", then ".join(reversed(layers))
    if notes:
        text += f" ({'; '.join(notes)})"
    return text


def repair(text: str) -> Repair | None:
    """None when ``text`` shows no mojibake; otherwise ftfy's encoding repair, if it has one."""
    if text.isascii() or not _MAYBE_BAD.search(text):
        return None
    import ftfy
    from ftfy.badness import is_bad

    if not is_bad(text.replace("\ufffd", " ")):
        return None
    fixed, steps = ftfy.fix_encoding_and_explain(text)
    if fixed == text:
        return Repair(text, False, "looks like mojibake, but no encoding repair fits")
    if is_bad(fixed) or fixed.count("\ufffd") > text.count("\ufffd"):
        # A partial repair, or one that exposes lost bytes, is a hint for a human, not a fix.
        return Repair(fixed, False, _explain(steps) + "; the result is still damaged")
    return Repair(fixed, True, _explain(steps))
