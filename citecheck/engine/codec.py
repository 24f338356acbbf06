"""Compact, fast serialisation of pages and findings for the cache and for worker processes.

marshal of plain tuples loads several times faster than pickle of dataclasses, and what is
stored is only what later runs need: a "light" page (no prose runs, no raw HTML) for the site
index and the site-wide checks, and findings.
"""

from __future__ import annotations

import marshal

from citecheck.model import Citation, Edit, Finding, Fix, Heading, Link, Page, Suppression
from citecheck.parse.frontmatter import plain

FORMAT = 3


def encode_page(page: Page) -> bytes:
    """The light form: everything but prose runs and raw HTML (citation blocks keep what the
    network stage compares with a DOI's record)."""
    return marshal.dumps((
        FORMAT, page.path, page.rel, page.digest, page.size, page.front_matter, page.fm_format, page.fm_error,
        page.fm_error_offset, page.fm_end, page.fm_lines, page.decode_error,
        [(l.url, l.start, l.end, l.url_start, l.url_end, l.form, l.text, l.text_start, l.text_end, l.tag, l.attr,
          l.attrs, l.tag_start, l.tag_end) for l in page.links],
        [(h.level, h.text, h.anchor, h.start, h.end) for h in page.headings],
        page.html_ids,
        [(s.action, s.codes, s.start, s.end, s.line) for s in page.suppressions],
        page.line_starts, page.skipped,
        [(c.doi, c.start, c.end, c.title, c.journal, c.authors, c.authors_start) for c in page.citations],
        page.shortcodes,
    ))


def decode_page(blob: bytes) -> Page | None:
    try:
        data = marshal.loads(blob)
    except (ValueError, EOFError, TypeError):
        return None
    if not isinstance(data, tuple) or data[0] != FORMAT:
        return None
    (_, path, rel, digest, size, fm, fm_format, fm_error, fm_error_offset, fm_end, fm_lines, decode_error,
     links, headings, html_ids, suppressions, line_starts, skipped, citations, shortcodes) = data
    return Page(
        path=path, rel=rel, digest=digest, size=size, front_matter=fm, fm_format=fm_format, fm_error=fm_error,
        fm_error_offset=fm_error_offset, fm_end=fm_end, fm_lines=fm_lines, decode_error=decode_error,
        links=[Link(*l) for l in links], headings=[Heading(*h) for h in headings], html_ids=html_ids,
        suppressions=[Suppression(*s) for s in suppressions], line_starts=line_starts, skipped=skipped,
        citations=[Citation(*c) for c in citations], shortcodes=[(name, list(args)) for name, args in shortcodes],
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
    return marshal.dumps((skipped, encode_findings(findings)))


def decode_result(blob: bytes) -> tuple[str | None, list[Finding]] | None:
    try:
        skipped, findings = marshal.loads(blob)
    except (ValueError, EOFError, TypeError):
        return None
    decoded = decode_findings(findings)
    return None if decoded is None else (skipped, decoded)
