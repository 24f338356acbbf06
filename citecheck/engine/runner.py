"""One lint run, as its stages: discover -> read -> parse -> index -> check (-> network).

Each stage is a plain function of its inputs (engine/scope.py, engine/pages.py, site/index.py,
engine/check_stage.py, engine/network.py). The cache is one layer around them (engine/memo.py):
an unchanged file is not read, a page the cache has seen is not parsed, an unchanged site's index
is not rebuilt, and a page whose text and site are unchanged keeps its findings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from citecheck import discover
from citecheck.config import Config
from citecheck.engine import codec, pages
from citecheck.engine.catalog import Rule
from citecheck.engine.check_stage import THRESHOLD, check_pages
from citecheck.engine.memo import Memo, cache_for
from citecheck.engine.plan import Plan, make_plan
from citecheck.engine.scope import Scope, outside_listed, scope, site_listed
from citecheck.model import Finding, Page
from citecheck.parse import frontmatter
from citecheck.site.files import site_files
from citecheck.site.index import SiteIndex

__all__ = ["Options", "Result", "cache_for", "run", "site_pages"]


@dataclass
class Options:
    paths: list[Path] = field(default_factory=list)
    select: list[str] | None = None
    ignore: list[str] | None = None
    extend_select: list[str] | None = None
    network: bool = False
    use_cache: bool = True
    only: set[str] | None = None  # rels to lint (e.g. changed pages); None: derived from paths
    progress: Callable[[str, int, int], None] | None = None  # (phase, done, total), for `audit`
    listing: discover.Listing | None = None  # the content files, when listing them started earlier
    max_age: float | None = None  # seconds: re-ask remote answers fetched longer ago than this


@dataclass
class Result:
    findings: list[Finding]
    pages: int  # pages linted
    site_pages: int
    parsed: int
    errors: list[str]
    warnings: list[str]
    rules: list[Rule]
    sources: dict[str, bytes]
    root: Path
    timings: list[tuple[str, float]] = field(default_factory=list)  # phase -> seconds, for -v
    targets: set[str] = field(default_factory=set)  # the pages this run checked
    counts: dict[str, int] = field(default_factory=dict)  # links, dois, urls asked (network runs)


def run(config: Config, options: Options) -> Result:
    plan = make_plan(config, options.select, options.ignore, options.network, options.extend_select)
    clock = _Clock()
    memo = Memo(config, options.use_cache, plan.fingerprint)
    full_run = options.only is None and not options.paths
    counts: dict[str, int] = {}
    try:
        known = memo.known_files()  # read while the listing is being made
        if options.listing is not None and not full_run and options.listing.pending():
            frontmatter.prepare_yaml()  # the pages a pre-commit run names may need it, and it would wait anyway
        where = scope(options, config)
        entries, errors = pages.read(where.listed, known, config.get("max-file-size"))
        clock(f"discover + read ({len(entries)} files)")
        _progress(options, "index", len(entries))

        def parse(todo, want_local, seen=frozenset()):
            return pages.parse(todo, want_local, plan, seen)

        parsed = memo.parsed(entries, set(where.targets), parse)
        files = site_files(config, where.other)
        site = None
        if len(parsed.fresh & where.targets.keys()) >= THRESHOLD:
            site = _index(config, parsed, where, files)  # a first run: built while the workers parse
            clock("parse + site index")
        parsed.finish()
        if parsed.errors:
            errors.extend(parsed.errors)
            site = None  # built with a page that turned out unreadable
            entries = [e for e in entries if e.rel in parsed]
        clock(f"parse + page checks ({parsed.parsed_now} pages)")
        findings, skipped = _check(plan, memo, where, entries, parsed, parse, files, site, clock)
        _progress(options, "parse", len(where.targets))
        memo.remember_files(entries, known, full_run)
        mine = [e for e in entries if e.rel in where.targets]
        if plan.remote_checks:
            checked = [e for e in mine if not e.big]
            findings, counts, warnings = _network(plan, memo, checked, parsed, findings, options)
            where.warnings.extend(warnings)
            clock(f"network ({counts['dois']} DOIs, {counts['urls']} URLs)")
    finally:
        memo.close()
    # A page left unlinted fails the run like an unreadable one: a clean exit would claim it passed.
    max_bytes = config.get("max-file-size")
    for entry in mine:
        if entry.big:
            errors.append(f"{entry.rel}: not linted: {entry.size:,} bytes, more than max-file-size ({max_bytes:,})")
    errors.extend(f"{rel}: not linted: {why}" for rel, why in sorted(skipped.items()) if not why.startswith("larger"))
    findings.sort(key=Finding.sort_key)
    sources = _Sources({e.rel: e for e in mine if not e.big})
    return Result(findings, len(where.targets), len(where.in_site), parsed.parsed_now, errors, where.warnings,
                  plan.rules, sources, config.root, clock.phases, set(where.targets), counts)


def _index(config: Config, parsed, where: Scope, files) -> SiteIndex:
    """The index stage: the site index, built from every page's facts."""
    static, resources, assets = files
    return SiteIndex.build(parsed.facts(sorted(rel for rel in where.in_site if rel in parsed)), static, config,
                           resources, assets)


def _check(plan: Plan, memo: Memo, where: Scope, entries, parsed, parse, files, site, clock):
    """Index and check stages, memoised: each target's findings from the cache where neither its
    text nor the site changed; for the others, the site index (given, saved, or built) and the checks."""
    static, resources, assets = files
    index_key = memo.index_key(entries, where.in_site, [*static, *resources, *("assets:" + a for a in assets)])
    targets = [e for e in entries if e.rel in where.targets and not e.big]
    final_keys = {e.rel: memo.final_key(e, index_key) for e in targets}
    by_rel = {e.rel: e for e in targets}

    def check(misses: list[str]) -> Iterator[tuple[str, bytes]]:
        nonlocal site
        clock("cached findings")
        todo = [by_rel[rel] for rel in misses]
        # A few pages: ask the saved site index key by key; many: build it.
        saved = memo.saved_index(index_key, plan.config, static) if site is None and len(todo) < THRESHOLD else None
        if site is None:
            site = saved or _index(plan.config, parsed, where, files)
            clock("site index")
        local = memo.local_findings(parsed, todo, parse)
        def meanwhile():  # the parent's writes, done while the workers check
            memo.flush()
            if site is not saved:
                memo.save_index(index_key, site)

        yield from check_pages(plan, site, parsed, local, todo, meanwhile)
        clock(f"site checks + save site index ({len(todo)} pages)")

    findings: list[Finding] = []
    skipped: dict[str, str] = {}
    for rel, (reason, found) in memo.each("final", final_keys, check, codec.decode_result):
        findings.extend(found)
        if reason:
            skipped[rel] = reason
    clock("cache findings")
    return findings, skipped


def _network(plan: Plan, memo: Memo, checked, parsed, findings: list[Finding], options: Options):
    from citecheck.engine import network
    from citecheck.engine.checking import apply_suppressions, to_finding

    parsed.load([e.rel for e in checked])
    # Suppression comments are judged for the remote codes here; the offline pass judged the rest.
    codes = {r.code for r, c, _ in plan.remote_checks if c.scope == "remote"}

    def each_page():
        for entry in checked:
            page = parsed.page(entry.rel)
            yield page, pages.source_reader(page, lambda entry=entry: entry.data)  # this entry's, when called later
            entry.forget()  # judged: its bytes are not needed again

    def suppress_remote(page, source, found):
        return apply_suppressions(page, source, found, plan, codes)

    outcome = network.run(plan.config, plan.remote_checks, each_page, memo.cache, suppress_remote, to_finding,
                          options.progress, options.max_age)
    # A record-assisted finding replaces the offline one for the same text (ENC001).
    sharper = {(f.path, f.code, f.start, f.end) for f in outcome.findings}
    findings = [f for f in findings if (f.path, f.code, f.start, f.end) not in sharper] + outcome.findings
    counts = {"links": outcome.links, "dois": len(outcome.facts.dois), "urls": len(outcome.facts.urls)}
    return findings, counts, outcome.warnings


def site_pages(config: Config, use_cache: bool = True) -> Iterator[Page]:
    """Every content page of the site with its facts and links, from the cache where it can,
    parsing (and caching) the rest. For questions about the whole site."""
    plan = Plan(config, [], [], [], [], set(), None, "")
    listed = site_listed(config, discover.content_stats(config.content_dir, config.root, config.get("exclude"),
                                                        config.get("follow-symlinks")) + outside_listed(config, []))
    memo = Memo(config, use_cache)
    try:
        entries, _ = pages.read(listed, memo.known_files(), config.get("max-file-size"))
        parsed = memo.parsed(entries, set(), lambda todo, want, seen=frozenset(): pages.parse(todo, want, plan, seen))
        parsed.finish()
        readable = [e.rel for e in entries if not e.big and e.rel in parsed]
        parsed.load(readable)
        for rel in readable:
            yield parsed.page(rel)
    finally:
        memo.close()


def _progress(options: Options, phase: str, count: int) -> None:
    if options.progress:
        options.progress(phase, count, count)


class _Sources(dict):
    """rel -> bytes of the linted files, read only when asked for (by --fix)."""

    def __init__(self, entries: dict):
        super().__init__()
        self._entries = entries

    def __missing__(self, rel: str) -> bytes:
        entry = self._entries[rel]
        self[rel] = entry.data
        return self[rel]

    def get(self, rel: str, default=None):
        return self[rel] if rel in self._entries or dict.__contains__(self, rel) else default


class _Clock:
    """Phase timings for `check -v`: where a run spends its time, without a profiler."""

    def __init__(self) -> None:
        import time

        self.now = time.perf_counter
        self.last = self.now()
        self.phases: list[tuple[str, float]] = []

    def __call__(self, phase: str) -> None:
        now = self.now()
        self.phases.append((phase, now - self.last))
        self.last = now
