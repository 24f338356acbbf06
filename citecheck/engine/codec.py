"""Compact, fast serialisation of pages and findings for the cache and for worker processes.

marshal of plain tuples loads several times faster than pickle of dataclasses, and what is
stored is only what later runs need: a "light" page (no prose runs, no raw HTML) for the site
index and the site-wide checks, and findings.
"""

from __future__ import annotations

import functools
import marshal

from citecheck.compress import error as _corrupt
from citecheck.compress import pack, unpack
from citecheck.model import Citation, Edit, Finding, Fix, Heading, Link, Page, Suppression
from citecheck.parse.frontmatter import plain

FORMAT = 4


def encode_parts(page: Page) -> tuple[bytes, bytes]:
    """(facts, body), each compressed: the facts are what the site index takes from a page (front
    matter, anchors, shortcodes), the body what the checks of that page read (links, suppressions,
    citations). The index of a 15,000-page site decodes only the facts.

    Left out is what no stage after parsing reads: heading text (the index takes anchors; the
    page-only checks, which read the text, run right after parsing), the path and the digest
    (the caller knows both), and line starts, one pass over the source, which a check of the page
    reads anyway (`pages.with_source`); those are kept only for a page that is not UTF-8, whose
    offsets refer to a repaired copy of its bytes."""
    facts = (FORMAT, page.rel, page.size, page.front_matter, page.fm_format, page.fm_error, page.fm_error_offset,
             page.fm_end, page.fm_lines, page.decode_error,
             [(h.level, h.anchor, h.start, h.end) for h in page.headings], page.html_ids, page.skipped, page.shortcodes)
    body = (
        [(l.url, l.start, l.end, l.url_start, l.url_end, l.form, l.text, l.text_start, l.text_end, l.tag, l.attr,
          l.attrs, l.tag_start, l.tag_end) for l in page.links],
        [(s.action, s.codes, s.start, s.end, s.line) for s in page.suppressions],
        page.line_starts if page.decode_error is not None else None,
        [(c.doi, c.start, c.end, c.title, c.journal, c.authors, c.authors_start) for c in page.citations],
    )
    return pack(marshal.dumps(facts)), pack(marshal.dumps(body))


def decode_parts(facts: bytes, body: bytes | None, path: str = "", digest: str = "") -> Page | None:
    """The page from its parts; without a body, the facts alone (enough for the site index)."""
    try:
        data = marshal.loads(unpack(facts))
        rest = marshal.loads(unpack(body)) if body is not None else ([], [], None, [])
    except (ValueError, EOFError, TypeError, _corrupt):
        return None
    if not isinstance(data, tuple) or data[0] != FORMAT:
        return None
    (_, rel, size, fm, fm_format, fm_error, fm_error_offset, fm_end, fm_lines, decode_error, headings, html_ids,
     skipped, shortcodes) = data
    links, suppressions, line_starts, citations = rest
    del rest
    # In place: a row's tuple goes as its object comes (a 20 MB page holds 200,000 of them).
    for i, row in enumerate(links):
        links[i] = Link(*row)
    for i, row in enumerate(citations):
        citations[i] = Citation(*row)
    return Page(
        path=path, rel=rel, digest=digest, size=size, front_matter=fm, fm_format=fm_format, fm_error=fm_error,
        fm_error_offset=fm_error_offset, fm_end=fm_end, fm_lines=fm_lines, decode_error=decode_error,
        links=links, headings=[Heading(level, "", anchor, start, end) for level, anchor, start, end in headings],
        html_ids=html_ids, suppressions=[Suppression(*s) for s in suppressions], line_starts=line_starts or [],
        skipped=skipped, citations=citations, shortcodes=[(name, list(args)) for name, args in shortcodes],
    )


def encode_findings(findings: list[Finding]) -> bytes:
    return marshal.dumps([(
        f.code, f.name, f.severity, f.path, f.line, f.column, f.end_line, f.end_column, f.message, f.subject,
        plain(f.evidence), None if f.fix is None else
        (f.fix.applicability, f.fix.description, [(e.start, e.end, e.text) for e in f.fix.edits]),
        f.start, f.end,
    ) for f in findings])


def decode_findings(blob: bytes) -> list[Finding] | None:
    try:
        rows = marshal.loads(blob)
    except (ValueError, EOFError, TypeError):
        return None
    out = []
    for row in rows:
        fix = row[11]
        out.append(Finding(*row[:11], fix=None if fix is None else Fix([Edit(*e) for e in fix[2]], fix[0], fix[1]),
                           start=row[12], end=row[13]))
    return out


def encode_result(skipped: str | None, findings: list[Finding]) -> bytes:
    """A page's final result: why it was skipped (if it was) and its findings."""
    if skipped is None and not findings:
        return _nothing()  # half the pages of a site: one blob, made once
    return pack(marshal.dumps((skipped, encode_findings(findings))))


@functools.cache
def _nothing() -> bytes:
    return pack(marshal.dumps((None, encode_findings([]))))


def decode_result(blob: bytes) -> tuple[str | None, list[Finding]] | None:
    if blob == _nothing():
        return None, []
    try:
        skipped, findings = marshal.loads(unpack(blob))
    except (ValueError, EOFError, TypeError, _corrupt):
        return None
    decoded = decode_findings(findings)
    return None if decoded is None else (skipped, decoded)
