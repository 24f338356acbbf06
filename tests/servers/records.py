"""Crossref work records for the look-alikes: the recorded ones, and new ones shaped like them.

A record written here has what a real `/works/{doi}` message has where citecheck looks
(`title`/`container-title` as lists, `issued.date-parts`, string volume/issue/page, authors
with `sequence`, `updated-by` notices) plus enough of the rest (publisher, prefix, URL, …) that
a client reading the whole record meets the real shape.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "crossref"

Author = tuple[str | None, str] | str | dict[str, Any]
Update = tuple[str, str] | tuple[str, str, str] | dict[str, Any]


def _date(*parts: int | None) -> dict[str, Any]:
    return {"date-parts": [list(parts)]}


def work(doi: str, *, title: str | None = None, journal: str | None = None, short_journal: str | None = None,
         year: int | None = None, month: int | None = None, day: int | None = None, volume: str | int | None = None,
         issue: str | int | None = None, page: str | None = None, article_number: str | None = None,
         authors: list[Author] = (), updated_by: list[Update] = (), type: str = "journal-article",
         publisher: str = "Example Publisher", online: tuple[int, ...] | None = None,
         print_: tuple[int, ...] | None = None, **extra: Any) -> dict[str, Any]:
    """A work as Crossref returns it. `authors`: (given, family) pairs (given may be None), a plain
    string for an organisation, or a dict taken as is. `updated_by`: (type, notice DOI[, source])
    or dicts; `type` as Crossref spells it ("retraction", "correction", "expression_of_concern").
    `year=None` gives `issued: {"date-parts": [[null]]}`, as some proceedings records have."""
    issued = _date(*(p for p in (year, month, day) if p is not None)) if year is not None else _date(None)
    record: dict[str, Any] = {
        "indexed": {"date-parts": [[2026, 6, 1]], "date-time": "2026-06-01T00:00:00Z",
                    "timestamp": 1780272000000, "version": "3.54.1"},
        "reference-count": 0,
        "publisher": publisher,
        "issue": None if issue is None else str(issue),
        "short-container-title": [short_journal] if short_journal else [],
        "DOI": doi.lower(),
        "type": type,
        "created": {"date-parts": [[year or 2020, 1, 1]], "date-time": f"{year or 2020}-01-01T00:00:00Z",
                    "timestamp": 0},
        "page": page,
        "source": "Crossref",
        "is-referenced-by-count": 0,
        "title": [title] if title is not None else [],
        "prefix": doi.split("/", 1)[0],
        "volume": None if volume is None else str(volume),
        "author": [_author(a, i) for i, a in enumerate(authors)],
        "member": "1",
        "published-online": _date(*online) if online else None,
        "published-print": _date(*print_) if print_ else None,
        "updated-by": [_update(u) for u in updated_by],
        "container-title": [journal] if journal else [],
        "language": "en",
        "deposited": {"date-parts": [[2026, 1, 1]], "date-time": "2026-01-01T00:00:00Z", "timestamp": 0},
        "score": 1,
        "resource": {"primary": {"URL": f"https://publisher.example/{doi}"}},
        "issued": issued,
        "references-count": 0,
        "URL": f"https://doi.org/{doi.lower()}",
        "published": _date(*(online or print_)) if (online or print_) else issued,
        "article-number": article_number,
    }
    record.update(extra)
    # Crossref leaves out fields a record lacks (no nulls, no empty author list); title lists stay.
    return {k: v for k, v in record.items() if v is not None and not (k in ("author", "updated-by") and not v)}


def _author(author: Author, index: int) -> dict[str, Any]:
    sequence = "first" if index == 0 else "additional"
    if isinstance(author, dict):
        return author
    if isinstance(author, str):
        return {"name": author, "sequence": sequence, "affiliation": []}
    given, family = author
    out = {"given": given, "family": family, "sequence": sequence, "affiliation": []}
    return {k: v for k, v in out.items() if v is not None}


def _update(update: Update) -> dict[str, Any]:
    if isinstance(update, dict):
        return update
    kind, notice, source = (*update, "publisher")[:3]
    return {"DOI": notice.lower(), "type": kind, "label": kind.replace("_", " ").capitalize(), "source": source,
            "updated": {"date-parts": [[2021, 1, 1]], "date-time": "2021-01-01T00:00:00Z", "timestamp": 1609459200000}}


def synthetic(count: int, prefix: str = "10.5555", start: int = 0) -> list[dict[str, Any]]:
    """`count` distinct plausible records, DOIs `<prefix>/cc.<n>` (same length for a given count)."""
    width = len(str(start + count))
    return [work(f"{prefix}/cc.{n:0{width}d}", title=f"Synthetic study number {n}", journal="Journal of Examples",
                 short_journal="J Ex", year=2000 + n % 25, volume=n % 90 + 1, issue=n % 12 + 1,
                 page=f"{n % 900 + 1}-{n % 900 + 9}", authors=[("Ada", f"Author{n}"), ("Bo", "Second")])
            for n in range(start, start + count)]


def recorded(name: str) -> tuple[int | None, dict[str, str], bytes]:
    """A recorded response by fixture file name (without extension): (status, headers, body)."""
    index = {entry["file"].rsplit(".", 1)[0]: entry for entry in json.loads((FIXTURES / "index.json").read_text())}
    entry = index[name]
    headers = json.loads((FIXTURES / entry["headers"]).read_text())
    return entry.get("status"), headers, (FIXTURES / entry["file"]).read_bytes()


def recorded_works() -> list[dict[str, Any]]:
    """Every work of the recorded single-work responses."""
    return [json.loads(path.read_text())["message"] for path in sorted(FIXTURES.glob("works_10.*.json"))
            if not path.name.endswith(".headers.json")]
