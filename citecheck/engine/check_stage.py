"""The check stage: each target page's final findings (page-only findings, site checks against
the site index, suppression comments), in forked workers when there are many."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from citecheck.engine import codec, parallel
from citecheck.engine.checking import site_findings
from citecheck.engine.pages import Entry, read_bytes, source_reader
from citecheck.engine.plan import Plan

# Below this many pages, forking workers (and building the whole site index) costs more than it saves.
THRESHOLD = 400


def check_pages(plan: Plan, site, pages, local: dict[str, bytes], entries: list[Entry],
                meanwhile: Callable[[], None] | None = None) -> Iterator[tuple[str, bytes]]:
    """(rel, encoded result) of each entry; `pages` holds their parsed parts, `local` their
    page-only findings by content key; `meanwhile`: the caller's work, done while workers check."""
    pages.load([e.rel for e in entries])  # from the cache here: workers share no connection
    parallel.share(plan=plan, site=site, pages=pages, local=local)
    items = [(e.rel, e.key, e.path, e.size, e.big) for e in entries]
    return parallel.map_chunks(_check_chunk, items, THRESHOLD, meanwhile)


def _check_chunk(items: list[tuple[str, str, str, int, bool]]) -> list[tuple[str, bytes]]:
    plan, site, pages, local = (parallel.shared(n) for n in ("plan", "site", "pages", "local"))
    out = []
    for rel, key, path, size, big in items:
        page = pages.page(rel)
        # The bytes are read only if a finding needs placing (most pages have none here).
        source = None if big else source_reader(page, partial(read_bytes, path, size))
        found = site_findings(plan, page, source, site, codec.decode_findings(local.get(key, b"")) or [])
        out.append((rel, codec.encode_result(page.skipped, found)))
    return out

