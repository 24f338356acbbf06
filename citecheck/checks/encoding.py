"""ENC001–ENC004: text damaged by encoding accidents (mojibake, lost characters, non-UTF-8 files)."""

from __future__ import annotations

from collections.abc import Iterator

from citecheck.checks.base import Check, Context, Hit, fm_value_span
from citecheck.extract.authors import is_author_line
from citecheck.model import Edit, Page, TextRun
from citecheck.remote.answers import Ask

AUTHOR_FIELDS = ("author", "authors")
TEXT_FIELDS = ("title", "description", "summary", "subtitle")


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _common_ends(text: str, fixed: str) -> tuple[int, int]:
    """Lengths of the common prefix and (non-overlapping) common suffix of two strings."""
    prefix = 0
    while prefix < min(len(text), len(fixed)) and text[prefix] == fixed[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(text), len(fixed)) - prefix and text[-1 - suffix] == fixed[-1 - suffix]:
        suffix += 1
    return prefix, suffix


def _minimal_edit(text: str, fixed: str, byte_start: int) -> Edit:
    """Replace only the part that changed, so the fix touches as few bytes as possible."""
    prefix, suffix = _common_ends(text, fixed)
    start = byte_start + len(text[:prefix].encode("utf-8"))
    end = byte_start + len(text[: len(text) - suffix].encode("utf-8"))
    return Edit(start, end, fixed[prefix : len(fixed) - suffix])


def _char_span(run: TextRun, start: int, end: int) -> tuple[int, int]:
    if not run.exact:
        return run.start, run.end
    b_start = run.start + len(run.text[:start].encode("utf-8"))
    return b_start, b_start + len(run.text[start:end].encode("utf-8"))


class _Mojibake(Check):
    authors: bool

    def check(self, page: Page, ctx: Context) -> Iterator[Hit]:
        from citecheck.text.mojibake import repair

        fm = page.front_matter or {}
        for name in AUTHOR_FIELDS if self.authors else TEXT_FIELDS:
            for value in _strings(fm.get(name)):
                found = repair(value)
                if found is None:
                    continue
                start, end = fm_value_span(page, ctx.source, name, value)
                verbatim = ctx.source[start:end] == value.encode("utf-8")
                fix = None
                if found.unambiguous and verbatim:
                    fix = self.fix([_minimal_edit(value, found.fixed, start)], f"Replace with {found.fixed!r}")
                yield self._hit(start, end, value, found, fix, name)
        authors = ctx.memo.get("author-runs")
        if authors is None:  # shared by ENC001 and ENC002
            authors = ctx.memo["author-runs"] = {i for i, run in enumerate(page.texts)
                                                 if not run.text.isascii() and is_author_line(run.text)}
        for i, run in enumerate(page.texts):
            if run.text.isascii() or (i in authors) != self.authors:
                continue
            found = repair(run.text)
            if found is None:
                continue
            fix = None
            if found.unambiguous and run.exact:
                fix = self.fix([_minimal_edit(run.text, found.fixed, run.start)], f"Replace with {found.fixed!r}")
            start, end = run.start, run.end
            if run.exact:  # point at the garbled words, not at the start of the paragraph
                lo, hi = _differing_span(run.text, found.fixed)
                start, end = _char_span(run, lo, hi)
            yield self._hit(start, end, run.text, found, fix, run.block)

    @staticmethod
    def _hit(start: int, end: int, text: str, found, fix, where: str) -> Hit:
        bad, good = _differing_words(text, found.fixed)
        return Hit(start, end, {"text": bad, "fixed": good, "where": where, "explanation": found.explanation},
                   fix=fix, subject=bad, evidence={"text": text, "fixed": found.fixed})


def _differing_span(text: str, fixed: str) -> tuple[int, int]:
    """Character range of the words of `text` that the repair changes."""
    if text == fixed:
        return 0, len(text)
    prefix, suffix = _common_ends(text, fixed)
    lo = text.rfind(" ", 0, prefix) + 1
    hi = text.find(" ", len(text) - suffix)
    return lo, len(text) if hi < 0 else hi


def _differing_words(text: str, fixed: str) -> tuple[str, str]:
    """The words that differ, for a readable message: `Ak√ßimen` -> `Akçimen`."""
    if text == fixed:
        return text[:80], ""
    lo, hi = _differing_span(text, fixed)
    tail = len(text) - hi
    return text[lo:hi].strip(",.;:")[:80], fixed[lo : len(fixed) - tail].strip(",.;:")[:80]


class MojibakeAuthorName(_Mojibake):
    """Offline: ftfy's repair. With the network: the DOI's record spells the damaged name, which
    also mends what ftfy cannot (`Ak?imen`, a letter lost to `?`)."""

    authors = True

    def asks(self, page: Page, ctx: Context) -> Iterator[Ask]:
        for citation in page.citations:
            if citation.authors:
                yield Ask("doi", citation.doi, citation.start, citation.end, citation.doi)

    def check_remote(self, page: Page, ctx: Context) -> Iterator[Hit]:
        from citecheck.text.bibliographic import restorations

        seen = set()
        for citation in page.citations:
            line, at = citation.authors, citation.authors_start
            answer = ctx.facts.dois.get(citation.doi) if ctx.facts else None
            if at is None or answer is None or answer.status != "found" or not (answer.record or {}).get("author"):
                continue
            if ctx.source[at : at + len(line.encode("utf-8"))] != line.encode("utf-8"):
                continue
            for start, end, spelling in restorations(line, answer.record["author"]):
                fixed = line[:start] + spelling + line[end:]
                # The words the offline repair would point at for this name, so this finding
                # replaces that one rather than doubling it.
                lo, hi = _differing_span(line, fixed)
                b_start = at + len(line[:lo].encode("utf-8"))
                b_end = b_start + len(line[lo:hi].encode("utf-8"))
                if (b_start, b_end) in seen:
                    continue
                seen.add((b_start, b_end))
                bad, good = _differing_words(line, fixed)
                fix = self.fix([_minimal_edit(line, fixed, at)], f"Replace with {good!r}, as the DOI's record spells it")
                yield Hit(b_start, b_end, {"text": bad, "fixed": good, "where": "authors",
                                           "explanation": f"the record of {citation.doi} spells it {spelling!r}"},
                          fix=fix, subject=bad, evidence={"text": line, "fixed": fixed, "doi": citation.doi})


class MojibakeText(_Mojibake):
    authors = False


class LostCharacter(Check):
    def check(self, page: Page, ctx: Context) -> Iterator[Hit]:
        from citecheck.text.lost import find_lost

        fm = page.front_matter or {}
        for name in TEXT_FIELDS + AUTHOR_FIELDS:
            for value in _strings(fm.get(name)):
                for lost in find_lost(value):
                    start, end = fm_value_span(page, ctx.source, name, value)
                    yield self._hit(value, lost, start, end)
        for run in page.texts:
            if "?" not in run.text and "\ufffd" not in run.text:
                continue
            for lost in find_lost(run.text):
                start, end = _char_span(run, lost.start, lost.end)
                yield self._hit(run.text, lost, start, end)
        yield from self._nul(ctx.source)

    @staticmethod
    def _nul(source: bytes) -> Iterator[Hit]:
        """NUL bytes, wherever they are: the page is still linted (NUL is valid UTF-8), but Hugo
        publishes each as U+FFFD. One finding per page, at the first, however many there are."""
        first = source.find(b"\0")
        if first < 0:
            return
        count = source.count(b"\0")
        line_start = source.rfind(b"\n", 0, first) + 1
        line_end = source.find(b"\n", first)
        line = source[line_start : line_end if line_end >= 0 else len(source)]
        at = first - line_start
        context = line[max(at - 12, 0) : at + 13].decode("utf-8", "replace").replace("\0", "\\0").strip()
        more = f" ({count:,} NUL bytes in the file; this is the first)" if count > 1 else ""
        yield Hit(first, first + 1, {"context": context,
                                     "hint": f"a NUL byte, which the published page shows as U+FFFD{more}"},
                  subject="NUL", evidence={"kind": "nul", "count": count})

    @staticmethod
    def _hit(text: str, lost, start: int, end: int) -> Hit:
        context = text[max(lost.start - 12, 0) : lost.end + 12].strip()
        return Hit(start, end, {"context": context, "hint": lost.hint}, subject=context,
                   evidence={"kind": lost.kind})


class FileNotUtf8(Check):
    def check(self, page: Page, ctx: Context) -> Iterator[Hit]:
        if page.decode_error is None:
            return
        offset, reason = page.decode_error
        yield Hit(offset, offset, {"offset": offset, "reason": reason}, subject="utf-8")
