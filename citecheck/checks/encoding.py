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


def _byte_range(text: str, at: int, start: int, end: int) -> tuple[int, int]:
    """Byte range of characters start..end of `text`, written verbatim from byte `at` on."""
    b_start = at + len(text[:start].encode("utf-8"))
    return b_start, b_start + len(text[start:end].encode("utf-8"))


def _char_span(run: TextRun, start: int, end: int) -> tuple[int, int]:
    return _byte_range(run.text, run.start, start, end) if run.exact else (run.start, run.end)


def _locate(text: str, at: int, exact: bool, source: bytes, limit: int, start: int, end: int) -> tuple[int, int] | None:
    """Byte range of characters start..end of `text` written from byte `at` on: by offset when the
    text is verbatim, else by its bytes when they occur once before `limit`. None: not placeable."""
    if exact:
        return _byte_range(text, at, start, end)
    needle = text[start:end].encode("utf-8")
    found = source.find(needle, at, limit)
    if found < 0 or source.find(needle, found + 1, limit) >= 0:
        return None
    return found, found + len(needle)


def _garbled_runs(page: Page, ctx: Context) -> list[tuple[TextRun, list, bool]]:
    """(run, its garbled words, whether it is an author line) for the runs with mojibake; shared by
    ENC001 and ENC002. The line is classified as repaired: `–ò–≤–∞–Ω–æ–≤ I` is `Иванов I`."""
    found = ctx.memo.get("mojibake-runs")
    if found is None:
        from citecheck.text.mojibake import find, may_be_garbled, repaired

        found = ctx.memo["mojibake-runs"] = []
        wide = _odd_runs(page, ctx)[0]
        if not wide or not may_be_garbled("\n".join([run.text for run in wide])):
            return found  # one look at the whole page's prose rather than one per run
        for run in wide:
            words = find(run.text)
            if words:
                found.append((run, words, is_author_line(repaired(run.text, words))))
    return found


def _odd_runs(page: Page, ctx: Context) -> tuple[list[TextRun], list[TextRun]]:
    """(the runs that are not all ASCII, the runs with a `?` or U+FFFD), in one pass over the
    page's prose for ENC001–ENC003: the rest cannot hold mojibake or a lost character."""
    found = ctx.memo.get("odd-runs")
    if found is None:
        wide, marked = [], []
        for run in page.texts:
            text = run.text
            if text.isascii():
                if "?" in text:
                    marked.append(run)
            else:
                wide.append(run)
                if "?" in text or "\ufffd" in text:
                    marked.append(run)
        found = ctx.memo["odd-runs"] = (wide, marked)
    return found


class _Mojibake(Check):
    authors: bool

    def check(self, page: Page, ctx: Context) -> Iterator[Hit]:
        fm = page.front_matter or {}
        for name in AUTHOR_FIELDS if self.authors else TEXT_FIELDS:
            if name not in fm:
                continue
            for value in _strings(fm[name]):
                if value.isascii():
                    continue
                from citecheck.text.mojibake import find

                words = find(value)
                if not words:
                    continue
                start, end = fm_value_span(page, ctx.source, name, value)
                verbatim = ctx.source[start:end] == value.encode("utf-8")
                for word in words:
                    yield self._hit(word, value, start, verbatim, ctx.source, end, (start, end), name)
        for run, words, is_author in _garbled_runs(page, ctx):
            if is_author == self.authors:
                for word in words:
                    yield self._hit(word, run.text, run.start, run.exact, ctx.source, run.end, (run.start, run.end),
                                    run.block)

    def _hit(self, word, text: str, at: int, exact: bool, source: bytes, limit: int,
             whole: tuple[int, int], where: str) -> Hit:
        """A finding on one garbled word, with its repair as a fix when it re-garbles exactly."""
        from citecheck.text.mojibake import round_trips

        span = _locate(text, at, exact, source, limit, word.start, word.end)
        fix = None
        if span is not None and round_trips(word):
            edits = [Edit(*_byte_range(word.text, span[0], start, end), fixed) for start, end, fixed in word.parts]
            fix = self.fix(edits, f"Replace with {word.fixed!r}")
        start, end = span or whole
        suggestion = f"probably {word.fixed!r}" if word.fixed is not None else "no repair fits"
        return Hit(start, end, {"text": word.text, "fixed": word.fixed or "", "where": where,
                                "explanation": word.explanation, "suggestion": suggestion},
                   fix=fix, subject=word.text, evidence={"text": word.text, "fixed": word.fixed,
                                                         "layers": list(word.layers)})


class MojibakeAuthorName(_Mojibake):
    """Offline: each garbled word undone by re-encoding it. With the network: the DOI's record spells
    the damaged name, which also mends what no re-encoding can (`Ak?imen`, a letter lost to `?`)."""

    authors = True

    def asks(self, page: Page, ctx: Context) -> Iterator[Ask]:
        for citation in page.citations:
            if citation.authors:
                yield Ask("doi", citation.doi, citation.start, citation.end, citation.doi)

    def check_remote(self, page: Page, ctx: Context) -> Iterator[Hit]:
        from citecheck.text.bibliographic import restorations
        from citecheck.text.mojibake import word_at

        seen = set()
        for citation in page.citations:
            line, at = citation.authors, citation.authors_start
            answer = ctx.facts.dois.get(citation.doi) if ctx.facts else None
            if at is None or answer is None or answer.status != "found" or not (answer.record or {}).get("author"):
                continue
            if ctx.source[at : at + len(line.encode("utf-8"))] != line.encode("utf-8"):
                continue
            for start, end, spelling in restorations(line, answer.record["author"]):
                # The span of the word the offline check points at, so this finding replaces that one.
                lo, hi = word_at(line, start, end)
                b_start = at + len(line[:lo].encode("utf-8"))
                b_end = b_start + len(line[lo:hi].encode("utf-8"))
                if (b_start, b_end) in seen:
                    continue
                seen.add((b_start, b_end))
                bad = line[start:end]
                e_start = at + len(line[:start].encode("utf-8"))
                edit = Edit(e_start, e_start + len(bad.encode("utf-8")), spelling)
                fix = self.fix([edit], f"Replace with {spelling!r}, as the DOI's record spells it")
                yield Hit(b_start, b_end, {"text": bad, "fixed": spelling, "where": "authors",
                                           "explanation": _damage(bad, spelling),
                                           "suggestion": f"the record of {citation.doi} spells it {spelling!r}"},
                          fix=fix, subject=bad, evidence={"text": bad, "fixed": spelling, "doi": citation.doi})


def _damage(bad: str, spelling: str) -> str:
    """How `spelling` became `bad`: a misreading of its UTF-8, or letters lost in a conversion."""
    from citecheck.text.mojibake import garble

    for codec in ("mac_roman", "latin-1", "windows-1252"):
        if garble(spelling, (codec,)) == bad:
            return f"utf-8 read as {codec}"
    return "letters lost in a conversion"


class MojibakeText(_Mojibake):
    authors = False


class LostCharacter(Check):
    def check(self, page: Page, ctx: Context) -> Iterator[Hit]:
        from citecheck.text.lost import find_lost

        fm = page.front_matter or {}
        for name in TEXT_FIELDS + AUTHOR_FIELDS:
            if name not in fm:
                continue
            for value in _strings(fm[name]):
                for lost in find_lost(value):
                    start, end = fm_value_span(page, ctx.source, name, value)
                    yield self._hit(value, lost, start, end)
        for run in _odd_runs(page, ctx)[1]:
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
