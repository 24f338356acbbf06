"""Citation blocks: every DOI mention of a page, with the title, journal and author lines around it.

The wiki pastes PubMed's shape, one line each, blank lines between:

    #### Paper title                                  <- title: heading or bold line just above
    PLoS One. 2019 Nov 14;14(11) [doi: 10.…](…)       <- journal: the line holding the DOI
    Sarayloo F1,2, Dionne-Laporte A2, …               <- authors: just below (or above)

Lines are source lines; their text is the prose the Markdown walk kept (code never reaches it).
Only a DOI standing in a paragraph of its own gets a title and authors: in a list item or a table
cell the lines around belong to other entries, and a false title costs more than a missing one.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from itertools import islice

from citecheck.extract import doi as doilib
from citecheck.extract.bare_urls import find_bare_urls
from citecheck.extract.authors import is_author_line
from citecheck.extract.spans import RunSpans
from citecheck.model import Citation, Page, TextRun

_LIST_MARKER = re.compile(rb"\s*(?:[-*+]|\d{1,9}[.)])\s")
_BOLD = (b"**", b"__")
_SPACED = re.compile(rb"[\s|]")
_CODE_OPEN = re.compile(r"<(code|pre|kbd|samp)\b", re.I)
# Prose is not a journal line: a DOI in the middle of a sentence has no citation block.
_MAX_JOURNAL_WORDS = 24
_URLISH = re.compile(r"https?://|10\.\d{4,9}/")  # a word holding it is a URL or a DOI


def extract_citations(page: Page, data: bytes) -> list[Citation]:
    if b"10." not in data:  # every DOI starts so, percent-encoded or not; most pages cite none
        return []
    mentions = _mentions(page, data)
    if not mentions:
        return []
    lines = _Lines(page, data, {mention[1] for mention in mentions})
    return [_block(*mention, lines) for mention in mentions]


def _mentions(page: Page, data: bytes, spare: bool = True) -> list[tuple[str, int, int, int, bool]]:
    """(doi, line, start, end, titled), one per DOI per source line: a link's text and href naming
    the same DOI, or the same DOI written twice on one line, are one mention. `titled`: the DOI is
    the target of a link whose text is prose (a paper's or a news item's title), not a citation.
    `spare`: a URL of the prose that is a link of its own is not read again (the same mentions)."""
    found: list[tuple[int, int, str, bool]] = []
    linked: set[tuple[int, str]] = set()  # bare links whose mention stands for their URL's in the prose
    for link in page.links:
        named = _url_doi(link.url) if "10." in link.url else None
        if named is not None:
            found.append((link.start, link.end, doilib.normalise(named[0]), _names_a_paper(link.text)))
        # Read from the prose, the URL's DOI would start where the link starts and end where the
        # DOI does: the same mention unless the URL goes on past its DOI (a fragment, a suffix).
        if link.form == "bare" and spare and "10." in link.url and (
                named is None or named[1].via != "resolver" or link.url_start is None or named[1].end == len(link.url)):
            linked.add((link.start, link.url))
        if link.form != "html" and "10." in link.text:  # an <a>'s text is also a prose run
            for doi, start, end in doilib.in_text(link.text):
                start, end = _text_span(link.text, start, end, link.text_start, link.text_end, data, link)
                found.append((start, end, doilib.normalise(doi), False))
    code = None
    for run in page.texts:
        if "10." not in run.text or run.block == "link":
            continue
        spans = None
        for doi, start, end in _text_dois(run, linked):
            spans = spans or RunSpans(run)
            start, end = spans(start, end)
            if code is None:
                code = sorted(_inline_code(page))
            if not _inside(code, start):
                found.append((start, end, doilib.normalise(doi), False))
    if not found:
        return []
    found.sort()
    seen, out = set(), []
    for start, end, doi, titled in found:
        line = bisect.bisect_right(page.line_starts, start) - 1
        if (doi, line) not in seen:
            seen.add((doi, line))
            out.append((doi, line, start, end, titled))
    return out


def _text_dois(run: TextRun, linked: set[tuple[int, str]]) -> Iterator[tuple[str, int, int]]:
    """DOIs written in prose: bare (`doi: 10.…`), and in a resolver URL the reader sees as text
    (`doi:http://dx.doi.org/10.…`, which linkify leaves unlinked; a linked one is the same mention
    as its link, and counted once: those in `linked`, (start, URL), are not read again)."""
    text = run.text
    yield from doilib.in_text(text)
    if "doi" in text:
        spans = None
        for url, start, end in find_bare_urls(text, linked_only=False):
            if linked:
                spans = spans or RunSpans(run)
                if ((spans(start, end)[0] if run.exact else run.start), url) in linked:
                    continue
            named = _url_doi(url)
            if named is not None and named[1].via == "resolver":
                yield named[0], start, start + named[1].end


def _url_doi(url: str) -> tuple[str, doilib.HrefDoi] | None:
    """The DOI a URL names (trailing punctuation left out), with what `from_href` read of it."""
    href = doilib.from_href(url)
    if href is None:
        return None
    doi = doilib.strip_trailing(href.raw)[0]
    return (doi, href) if doilib.is_doi(doi) else None


def _names_a_paper(text: str) -> bool:
    return len(text.split()) > 4 and "10." not in text


def _text_span(text: str, start: int, end: int, lo: int | None, hi: int | None, data: bytes, link) -> tuple[int, int]:
    if lo is None or hi is None or data[lo:hi] != text.encode("utf-8"):
        return link.start, link.end
    b_start = lo + len(text[:start].encode("utf-8"))
    return b_start, b_start + len(text[start:end].encode("utf-8"))


def _inside(ranges: list[tuple[int, int]], offset: int) -> bool:
    """Whether `offset` falls in one of the sorted, disjoint `ranges`."""
    i = bisect.bisect_right(ranges, (offset, float("inf"))) - 1
    return i >= 0 and ranges[i][0] <= offset < ranges[i][1]


def _inline_code(page: Page) -> list[tuple[int, int]]:
    """Byte ranges between inline <code>/<pre> tags: their text is shown as written, not cited."""
    ranges, opened = [], None
    for chunk in page.html:
        if not chunk.inline:
            continue
        if opened is None:
            if _CODE_OPEN.match(chunk.html):
                opened = chunk.end
        elif chunk.html.lower().startswith(("</code", "</pre", "</kbd", "</samp")):
            ranges.append((opened, chunk.start))
            opened = None
    return ranges


class _Lines:
    """The page's source lines as a citation block sees them, computed only near DOI mentions."""

    def __init__(self, page: Page, data: bytes, doi_lines: set[int]):
        self.page, self.data, self.doi_lines = page, data, doi_lines
        self.starts = page.line_starts
        self.first = bisect.bisect_right(self.starts, page.fm_end) - 1 if page.fm_end else 0
        if page.fm_end and self.starts[self.first] < page.fm_end:
            self.first += 1  # the body starts on the line after the front matter's fence
        self.run_starts = [run.start for run in page.texts]
        self.headings = {bisect.bisect_right(self.starts, h.start) - 1 for h in page.headings}
        self._runs: dict[int, list[TextRun]] = {}
        # Per line, worked out once: a line holding many DOIs is looked at for each of them.
        self._texts: dict[int, tuple[str, int | None]] = {}
        self._kinds: dict[int, str] = {}
        self._wordy: dict[int, bool] = {}

    def raw(self, i: int) -> bytes:
        end = self.starts[i + 1] if i + 1 < len(self.starts) else len(self.data)
        return self.data[self.starts[i]:end]

    def runs(self, i: int) -> list[TextRun]:
        found = self._runs.get(i)
        if found is None:
            end = self.starts[i + 1] if i + 1 < len(self.starts) else len(self.data)
            lo = bisect.bisect_left(self.run_starts, self.starts[i])
            found = self._runs[i] = self.page.texts[lo:bisect.bisect_left(self.run_starts, end, lo)]
        return found

    def text(self, i: int) -> tuple[str, int | None]:
        """The line's prose, and its byte offset when the prose is written verbatim."""
        found = self._texts.get(i)
        if found is None:
            found = self._texts[i] = self._text(i)
        return found

    def wordy(self, i: int) -> bool:
        """Whether the line's prose has more words besides URLs and DOIs than a journal line."""
        found = self._wordy.get(i)
        if found is None:
            words = self.text(i)[0].split()
            if len(words) <= _MAX_JOURNAL_WORDS:
                found = False
            else:  # counted only as far as needed: a paragraph of prose is long
                plain = (word for word in words if not _URLISH.search(word))
                found = next(islice(plain, _MAX_JOURNAL_WORDS, None), None) is not None
            self._wordy[i] = found
        return found

    def _text(self, i: int) -> tuple[str, int | None]:
        runs = self.runs(i)
        if not runs:
            return "", None
        start = runs[0].start
        if len(runs) == 1:  # most lines: an exact run is its source as written
            joined, verbatim = runs[0].text, runs[0].exact
        else:
            parts = [runs[0].text]
            for before, run in zip(runs, runs[1:]):
                # Markup between runs (`**`, `[`, a cell's `|`) reads as a space only where it held one.
                parts.append(" " if _SPACED.search(self.data, before.end, run.start) else "")
                parts.append(run.text)
            joined = "".join(parts)
            verbatim = all(run.exact for run in runs) and self.data[start:runs[-1].end] == joined.encode("utf-8")
        text = joined.strip()
        if not verbatim:
            return text, None
        return text, start + len(joined[: len(joined) - len(joined.lstrip())].encode("utf-8"))

    def kind(self, i: int) -> str:
        """"blank", "heading", "bold", "item", "table", "text" (prose), or "other" (HTML, images,
        rules, code: lines that end a block)."""
        found = self._kinds.get(i)
        if found is None:
            found = self._kinds[i] = self._kind(i)
        return found

    def _kind(self, i: int) -> str:
        raw = self.raw(i)
        stripped = raw.strip()
        if not stripped:
            return "blank"
        if i in self.headings:
            return "heading"
        runs = self.runs(i)
        if not runs:
            return "other"
        if _LIST_MARKER.match(raw) or any(run.block == "item" for run in runs):
            return "item"
        if stripped.startswith(b"|") or any(run.block == "table" for run in runs):
            return "table"
        if len(stripped) > 4 and stripped[:2] in _BOLD and stripped[-2:] == stripped[:2]:
            return "bold"
        return "text"

    def linked_only(self, i: int) -> bool:
        return all(run.block == "link" for run in self.runs(i))

    def step(self, i: int, direction: int) -> int | None:
        """The next non-blank line of the body above (-1) or below (+1), if any."""
        i += direction
        while self.first <= i < len(self.starts):
            if self.raw(i).strip():
                return i
            i += direction
        return None


def _block(doi: str, line: int, start: int, end: int, titled: bool, lines: _Lines) -> Citation:
    citation = Citation(doi, start, end)
    journal, _ = lines.text(line)
    citation.journal = journal
    if titled or lines.kind(line) != "text" or lines.wordy(line):
        return citation
    below = lines.step(line, 1)
    if below is not None and below not in lines.doi_lines and lines.kind(below) == "text":
        text, at = lines.text(below)
        if is_author_line(text):
            citation.authors, citation.authors_start = text, at
    above = lines.step(line, -1)
    if above is not None and not citation.authors and above not in lines.doi_lines and lines.kind(above) == "text":
        text, at = lines.text(above)
        higher = lines.step(above, -1)
        if higher not in lines.doi_lines and is_author_line(text):  # else the previous citation's authors
            citation.authors, citation.authors_start = text, at
            above = higher
    if above is not None and above not in lines.doi_lines and lines.kind(above) in ("heading", "bold") \
            and not lines.linked_only(above):
        citation.title = lines.text(above)[0]
    return citation
