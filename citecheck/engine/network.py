"""The network stage: every remote question of the checked pages, asked once, then judged.

1. ask: each remote check lists the questions a page needs answered (a DOI, a URL);
2. resolve: the distinct questions of the whole run go to the resolvers — DOIs and URLs at the
   same time, each from the cache first, batched and paced (citecheck/remote/);
3. judge: each check reads the answers (`ctx.facts`) and reports; rules never do I/O.

Pages are visited twice (ask, judge) as light pages decoded on demand, so a 15,000-page audit
never holds every page in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from citecheck.checks.base import Context
from citecheck.config import Config
from citecheck.engine.selection import ignored_for_file, matches
from citecheck.model import Finding, Page
from citecheck.remote.answers import Ask, DoiAnswer, Facts, UrlOutcome

# phase ("Crossref" | "URLs"), done, total
Progress = Callable[[str, int, int], None]


@dataclass
class Outcome:
    findings: list[Finding]
    facts: Facts
    links: int = 0  # links on the checked pages
    warnings: list[str] = field(default_factory=list)


def run(config: Config, checks: list, pages: Callable[[], Iterable[tuple[Page, Callable[[], bytes]]]], cache,
        suppress: Callable[[Page, bytes, list[Finding]], list[Finding]], to_finding,
        progress: Progress | None = None, max_age: float | None = None) -> Outcome:
    """`checks`: (rule, check, severity) of the remote checks; `pages()`: a fresh iterable of
    (light page, source reader) over the checked pages, walked once to ask and once to judge."""
    asked: dict[str, list[Ask]] = {}
    links = 0
    for page, _ in pages():
        links += len(page.links)
        questions = list(_asks(checks, page, config))
        if questions:
            asked[page.rel] = questions
    dois = {a.key for questions in asked.values() for a in questions if a.kind == "doi"}
    urls = {a.key for questions in asked.values() for a in questions if a.kind == "url"}
    facts, warnings = resolve(dois, urls, config, cache, progress, max_age)

    findings: list[Finding] = []
    for page, read in pages():
        if page.rel not in asked:
            continue
        source = read()
        ctx = Context(None, source, config, facts=facts, asks=asked.get(page.rel, []))
        found = [to_finding(rule, severity, page, source, hit)
                 for rule, check, severity in _applicable(checks, page, config)
                 for hit in check.check_remote(page, ctx)]
        findings.extend(suppress(page, source, found))
    return Outcome(findings, facts, links, warnings)


def _applicable(checks: list, page: Page, config: Config) -> Iterator[tuple]:
    if page.decode_error is not None or page.skipped:
        return
    ignored = ignored_for_file(page.rel, config)
    for item in checks:
        if not (ignored and matches(item[0].code, ignored)):
            yield item


def _asks(checks: list, page: Page, config: Config) -> Iterator[Ask]:
    ctx = Context(None, b"", config)
    for _, check, _ in _applicable(checks, page, config):
        yield from check.asks(page, ctx)


def resolve(dois: set[str], urls: set[str], config: Config, cache, progress: Progress | None = None,
            max_age: float | None = None) -> tuple[Facts, list[str]]:
    """Answer every distinct question; DOIs and URLs are resolved side by side (different hosts,
    different limits). A resolver that fails outright leaves its questions unverified."""
    facts, warnings = Facts(), []

    def report(phase: str):
        return (lambda done, total: progress(phase, done, total)) if progress else None

    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="resolve") as pool:
        jobs = []
        if dois:
            from citecheck.remote.dois import resolve_dois

            jobs.append(("Crossref", dois, facts.dois, DoiAnswer,
                         pool.submit(resolve_dois, dois, config, cache, report("Crossref"), max_age)))
        if urls:
            from citecheck.remote.urls import check_urls

            jobs.append(("URLs", urls, facts.urls, UrlOutcome,
                         pool.submit(check_urls, urls, config, cache, report("URLs"), max_age)))
        for phase, keys, into, kind, job in jobs:
            try:
                into.update(job.result())
            except Exception as exc:  # a resolver bug must not lose the offline findings
                reason = f"{phase} check failed: {type(exc).__name__}: {exc}"
                warnings.append(reason)
                into.update({key: kind("unverified", reason=reason) for key in keys if key not in into})
    return facts, warnings
