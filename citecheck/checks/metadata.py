"""DOI004: a citation block that says something else than its DOI's Crossref record."""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from citecheck.checks.base import Context, Hit
from citecheck.checks.doi_status import _DoiCheck
from citecheck.model import Citation, Page
from citecheck.text import bibliographic as bib

_WINDOW = 4096  # bytes around a DOI mention where its title and author lines are looked for


@dataclass(frozen=True, slots=True)
class Difference:
    field: str  # title | journal | year | volume | issue | first author
    cited: str
    record: str
    where: str  # the block line the cited value was read from: "title" | "journal" | "authors"
    start: int  # character offsets of the cited value in that line
    end: int


def differences(citation: Citation, record: dict[str, Any]) -> Iterator[Difference]:
    """What the block states and the record clearly contradicts, one per field."""
    if citation.title and bib.same_title(citation.title, bib.record_titles(record)) is False:
        yield Difference("title", citation.title, bib.plain(bib.record_titles(record)[0]), "title", 0,
                         len(citation.title))
    line = bib.read_journal_line(citation.journal)
    journals = bib.record_journals(record)
    if line.journal and bib.same_journal(line.journal.value, journals) is False:
        yield _from_line("journal", line.journal, journals[0])
    years = bib.record_years(record)
    if bib.same_year(line, years) is False:
        shown = str(years[0]) + (f" (also {', '.join(map(str, years[1:]))})" if len(years) > 1 else "")
        yield _from_line("year", line.year, shown)
    for name in ("volume", "issue"):
        cited = getattr(line, name)
        if cited and bib.same_number(cited.value, record.get(name)) is False:
            yield _from_line(name, cited, str(record[name]))
    author = _first_author_difference(citation, record)
    if author:
        yield author


def _from_line(name: str, cited: bib.Field, record: str) -> Difference:
    return Difference(name, cited.value, record, "journal", cited.start, cited.end)


def _first_author_difference(citation: Citation, record: dict[str, Any]) -> Difference | None:
    names = bib.author_names(citation.authors) if citation.authors else []
    first = bib.first_author(record)
    if len(names) < 2 or first is None or bib.same_person(names[0], first) is not False:
        return None
    # The line must be this paper's author list: another of its names is one of the record's.
    authors = [a for a in record.get("author") or [] if isinstance(a, dict)]
    if not any(bib.same_person(name, author) for name in names[1:4] for author in authors):
        return None
    return Difference("first author", names[0].written, bib.person(first), "authors", names[0].start, names[0].end)


class MetadataMismatch(_DoiCheck):
    """Asks about every cited DOI, like the other DOI rules; judges field by field, on the cited text."""

    def check_remote(self, page: Page, ctx: Context) -> Iterator[Hit]:
        for citation in page.citations:
            answer = ctx.facts.dois.get(citation.doi) if ctx.facts else None
            if answer is None or answer.status != "found" or not answer.record:
                continue
            for diff in differences(citation, answer.record):
                start, end = _position(page, ctx.source, citation, diff)
                values = {"field": diff.field, "cited": diff.cited, "record": diff.record}
                yield Hit(start, end, values, subject=citation.doi, evidence={"doi": citation.doi, **values})


def _position(page: Page, source: bytes, citation: Citation, diff: Difference) -> tuple[int, int]:
    """Bytes of the cited value when the block's line is found as written, else the DOI mention."""
    text = {"title": citation.title, "journal": citation.journal, "authors": citation.authors}[diff.where]
    head = text[: diff.end].encode("utf-8")
    size = len(text[diff.start : diff.end].encode("utf-8"))
    if diff.where == "authors" and citation.authors_start is not None:
        at = citation.authors_start
    elif diff.where == "journal":
        line = bisect.bisect_right(page.line_starts, citation.start) - 1
        line_start = page.line_starts[line] if line >= 0 else 0
        at = source.find(head, line_start, citation.end)
    elif diff.where == "title":
        at = source.rfind(head, max(citation.start - _WINDOW, 0), citation.start)
    else:  # an author line that is not written verbatim
        at = source.find(head, citation.end, citation.end + _WINDOW)
        if at < 0:
            at = source.rfind(head, max(citation.start - _WINDOW, 0), citation.start)
    if at < 0:
        return citation.start, citation.end
    start = at + len(head) - size
    return start, start + size
