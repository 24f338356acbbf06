"""One lint run: discover -> read -> parse what changed -> site index -> checks -> suppression.

What is cached, and why a re-run is cheap (all keyed by content hash):
- light pages: a page's links, front matter and anchors, for the site index;
- page-only findings, per configuration (a page's text does not depend on other pages);
- final findings, per configuration and site index (nothing about the site changed: reuse).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from citecheck import __version__, discover
from citecheck.cache import Cache
from citecheck.checks import kind_class
from citecheck.checks.base import Check, Context, Hit, is_remote
from citecheck.config import Config, ConfigError
from citecheck.engine import codec, parallel, suppress
from citecheck.engine import pages as pageload
from citecheck.engine.catalog import Rule, load_catalog
from citecheck.engine.selection import (answered_locally, check_rule_options, enabled_rules, ignored_for_file, matches,
                                        rule_options, severity_of)
from citecheck.model import Finding, Page
from citecheck.parse import frontmatter
from citecheck.parse.page import PARSER_VERSION
from citecheck.site.files import site_files
from citecheck.site.index import SiteIndex

SITE_PHASE_THRESHOLD = 400


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


@dataclass
class _Plan:
    """What every phase needs; shared with forked workers."""

    config: Config
    local_checks: list[tuple[Rule, Check, str]]
    site_checks: list[tuple[Rule, Check, str]]
    active: set[str]
    unused_rule: Rule | None


def cache_for(config: Config, enabled: bool) -> Cache:
    if not enabled:
        return Cache(None)
    path = Path(config.get("cache.path"))
    return Cache(path if path.is_absolute() else config.root / path)


def build_checks(rules: list[Rule], config: Config) -> list[tuple[Rule, Check, str]]:
    checks = []
    for rule in rules:
        cls = kind_class(rule.kind)
        if cls is None:
            raise ConfigError(f"{rule.source}: unknown kind '{rule.kind}'")
        check = cls(rule, rule_options(rule, config))
        if answered_locally(rule, config):
            check.scope = "page"
        checks.append((rule, check, severity_of(rule, config)))
    return checks


def fingerprint(config: Config, rules: list[Rule]) -> str:
    """Everything besides the pages that shapes findings: config, Hugo settings, rule files."""
    hugo = config.hugo
    state = [__version__, codec.FORMAT, config.values, vars(hugo),
             [(r.code, r.kind, r.severity, r.message, r.fix, r.options) for r in rules],
             _listing_version(config, rules)]
    text = json.dumps(state, sort_keys=True, default=str)
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def _listing_version(config: Config, rules: list[Rule]):
    if not any(answered_locally(rule, config) for rule in rules):
        return None
    from citecheck.remote import manifest  # only sites with a manifest or a mirror need it

    return manifest.version(config)


def run(config: Config, options: Options) -> Result:
    extra = [config.root / d for d in config.get("rules-dirs")]
    catalog = load_catalog(extra)
    check_rule_options(catalog, config)
    rules = enabled_rules(catalog, config, options.select, options.ignore, options.network,
                          options.extend_select)
    checks = build_checks(rules, config)
    remote = [c for c in checks if is_remote(c[1])] if options.network else []
    offline = [rule for rule, check, _ in checks if check.scope != "remote"]
    plan = _Plan(
        config=config,
        local_checks=[c for c in checks if c[1].scope == "page"],
        site_checks=[c for c in checks if c[1].scope == "site"],
        active={rule.code for rule in offline},
        unused_rule=next((r for r in rules if r.code == "CC001"), None),
    )
    parallel.share(plan=plan)
    root = config.root
    max_bytes = config.get("max-file-size")
    settings = f"{config.hugo.anchor_style}:{max_bytes}"
    cfg = fingerprint(config, offline)  # offline caches are shared by offline and network runs
    full_run = options.only is None and not options.paths
    clock = _Clock()
    cache = cache_for(config, options.use_cache)
    try:
        known = cache.files(f"{PARSER_VERSION}:{settings}")  # read while the listing is being made
        if options.listing is not None and not full_run:
            frontmatter.prepare_yaml()  # the pages a pre-commit run names are likely to need parsing
        listed, other, in_site, targets, warnings = _listing(options, config)
        entries, errors = pageload.read(listed, settings, max_bytes, known)
        clock(f"discover + read ({len(entries)} files)")
        if options.progress:
            options.progress("index", len(entries), len(entries))
        findings, parsed, skipped = _lint(entries, other, targets, in_site, cfg, cache, plan, max_bytes, clock)
        if options.progress:
            options.progress("parse", len(targets), len(targets))
        _remember_files(cache, f"{PARSER_VERSION}:{settings}", entries, known, full_run)
        if full_run:
            cache.prune("pages", {e.key for e in entries})  # forget pages that no longer exist
        counts: dict[str, int] = {}
        if remote:
            checked = [e for e in entries if e.rel in targets and not e.big]
            outcome = _network(checked, remote, plan, cache, options)
            warnings.extend(outcome.warnings)
            # A record-assisted finding replaces the offline one for the same text (ENC001).
            sharper = {(f.path, f.code, f.start, f.end) for f in outcome.findings}
            findings = [f for f in findings if (f.path, f.code, f.start, f.end) not in sharper]
            findings.extend(outcome.findings)
            counts = {"links": outcome.links, "dois": len(outcome.facts.dois), "urls": len(outcome.facts.urls)}
            clock(f"network ({counts['dois']} DOIs, {counts['urls']} URLs)")
    finally:
        cache.close()
    # A page left unlinted fails the run like an unreadable one: a clean exit would claim it passed.
    for entry in entries:
        if entry.rel in targets and entry.big:
            errors.append(f"{entry.rel}: not linted: {entry.size:,} bytes, more than max-file-size ({max_bytes:,})")
    for rel, reason in sorted(skipped.items()):
        if not reason.startswith("larger"):
            errors.append(f"{rel}: not linted: {reason}")
    findings.sort(key=Finding.sort_key)
    sources = _Sources({e.rel: e for e in entries if e.rel in targets and not e.big})
    return Result(findings, len(targets), len(in_site), parsed, errors, warnings, rules, sources, root,
                  clock.phases, set(targets), counts)


def _listing(options: Options, config: Config):
    """(every file to read, the content folder's other files, {rel: path} of the site's content
    files, the pages to lint, warnings)."""
    if options.listing is not None:
        listed, notes, other = options.listing.take(), options.listing.notes, options.listing.other
    else:
        listed, notes, other = discover.walk(config.content_dir, config.root, config.get("exclude"),
                                      config.get("follow-symlinks"))
    listed = _site_listed(config, listed)
    in_site = {rel: path for rel, path, _, _ in listed}
    targets, warnings = _targets(options, config, in_site)
    if options.only is None:  # a run over changed pages says nothing of links elsewhere
        warnings.extend(note for note in notes if _asked_about(note, options.paths, config.root))
    if not in_site and not targets:
        warnings.append(f"no Markdown files under {config.content_dir} (is this the site root?)")
    listed.extend((rel, str(path), None, None) for rel, path in targets.items() if rel not in in_site)
    return listed, other, in_site, targets, warnings


def _site_listed(config: Config, listed: list) -> list:
    """The listed files that are pages of the site: HTML in the content folder is a page only
    where Hugo builds the site."""
    if config.hugo.found:
        return listed
    return [item for item in listed if item[0].endswith(discover.CONTENT_SUFFIXES)]


def _asked_about(note: str, paths: list[Path], root: Path) -> bool:
    """Whether a note about a file (it starts with the file's rel) concerns the paths given."""
    if not paths:
        return True
    for path in paths:
        prefix = discover.relative(_unresolved(path), root)
        if prefix in (".", "") or note.startswith(prefix + "/") or note.startswith(prefix + ":"):
            return True
    return False


def _unresolved(path: Path) -> Path:
    """The absolute path of `path` itself, not of where it leads if it is a link."""
    return path.absolute().parent.resolve() / path.name


def _remember_files(cache, settings: str, entries, known, full_run: bool) -> None:
    """Save each file's (mtime, size, key, ref), so that the next run reads only what changed.
    A pre-commit run re-hashes its few files next time rather than rewrite the whole table."""
    # A file this run did not hash matched its saved row; one it hashed differs from it.
    changed = sum(1 for e in entries if e.fresh and e.ref)
    if not full_run and changed <= 50:
        return
    seen = {e.rel: (e.mtime, e.size, e.key, e.ref) for e in entries if not e.big and e.ref}
    if changed or (full_run and known.keys() - seen.keys()):
        cache.put_files(settings, {**({} if full_run else known), **seen})


def _network(checked, remote, plan: _Plan, cache, options: Options):
    from citecheck.engine import network

    anchor_style, max_bytes = plan.config.hugo.anchor_style, plan.config.get("max-file-size")
    light = _LightPages(checked, {}, cache, anchor_style, max_bytes)
    # Suppression comments are judged for the remote codes here; the offline pass judged the rest.
    remote_plan = _Plan(plan.config, [], [], {r.code for r, c, _ in remote if c.scope == "remote"},
                        plan.unused_rule)

    def pages():
        for entry in checked:
            yield light[entry.rel], lambda entry=entry: entry.data
            entry.forget()  # judged: its bytes are not needed again

    def suppress_remote(page, source, found):
        return _suppress(page, source, found, remote_plan)

    return network.run(plan.config, remote, pages, cache, suppress_remote, to_finding, options.progress,
                       options.max_age)


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


def site_pages(config: Config, use_cache: bool = True) -> Iterator[Page]:
    """Every content page of the site as a light page (links, front matter, anchors), from the
    cache where it can, parsing (and caching) the rest. For questions about the whole site."""
    parallel.share(plan=_Plan(config, [], [], set(), None))
    listed = _site_listed(config, discover.content_stats(config.content_dir, config.root, config.get("exclude"),
                                                         config.get("follow-symlinks")))
    max_bytes = config.get("max-file-size")
    settings = f"{config.hugo.anchor_style}:{max_bytes}"
    cache = cache_for(config, use_cache)
    try:
        entries, _ = pageload.read(listed, settings, max_bytes, cache.files(f"{PARSER_VERSION}:{settings}"))
        readable = [e for e in entries if not e.big]
        parsed = _parse_unseen(readable, set(), cache, config.hugo.anchor_style, max_bytes)
        pages = _LightPages(readable, parsed, cache, config.hugo.anchor_style, max_bytes)
        for entry in readable:
            yield pages[entry.rel]
    finally:
        cache.close()


def _parse_unseen(readable, want_local: set[str], cache, anchor_style: str, max_bytes: int):
    """Fill in each entry's ref (digest of its site-index facts) and return the pages parsed now:
    only pages the cache has never seen are parsed, and their light form is cached."""
    unknown = [e for e in readable if not e.ref]  # the files table knows the refs of the others
    refs = cache.refs([e.key for e in unknown])
    fresh = [e for e in unknown if e.key not in refs]
    parsed = {p.key: p for p in pageload.parse_many(fresh, want_local, anchor_style, max_bytes)}
    cache.put("pages", [(p.key, p.ref, p.light) for p in parsed.values()])
    refs.update({key: p.ref for key, p in parsed.items()})
    for e in unknown:
        e.ref = refs.get(e.key)
    return parsed


def _lint(entries, other, targets, in_site, cfg, cache, plan, max_bytes, clock):
    anchor_style = plan.config.hugo.anchor_style
    readable = [e for e in entries if not e.big]
    parsed = _parse_unseen(readable, set(targets), cache, anchor_style, max_bytes)
    clock(f"parse + page checks ({len(parsed)} pages)")
    for e in readable:
        e.forget()  # hashed and parsed: later phases re-read the few they need
    cache.put("local", [(f"{p.key}:{cfg}", p.local) for p in parsed.values() if p.local is not None])
    clock("cache findings of page checks")

    static, resources, assets = site_files(plan.config, other)
    # The day is part of it: dated pages come out (publishDate) and go (expiryDate) as days pass.
    index_fp = _index_fingerprint(cfg, [(e.rel, e.ref or e.key) for e in entries if e.rel in in_site],
                                  {*static, *resources, *("assets:" + a for a in assets), "day:" + _today()})
    target_entries = [e for e in readable if e.rel in targets]
    final_key = {e.rel: f"{e.key}:{cfg}:{index_fp}" for e in target_entries}
    finals = cache.get("final", list(final_key.values()))
    findings: list[Finding] = []
    skipped: dict[str, str] = {}
    misses = []
    for e in target_entries:
        cached = codec.decode_result(finals[final_key[e.rel]]) if final_key[e.rel] in finals else None
        if cached is None:
            misses.append(e)
        else:
            findings.extend(cached[1])
            if cached[0]:
                skipped[e.rel] = cached[0]
    clock("cached findings")
    if not misses:
        return findings, len(parsed), skipped

    # Some targets need linting. A few: ask the saved site index key by key; many: build it.
    site = None
    if len(misses) < SITE_PHASE_THRESHOLD:
        tables = cache.site_tables(index_fp, SiteIndex.TABLES)
        site = SiteIndex(plan.config, static, tables) if tables is not None else None
    miss_keys = {e.key for e in misses}
    light = _LightPages([e for e in entries if site is None or e.key in miss_keys], parsed, cache,
                        anchor_style, max_bytes)
    parsed.clear()  # the light pages hold what is still needed
    if site is None:
        clock("load pages")
        site = SiteIndex.build(light.only(sorted(rel for rel in in_site if rel in light)), static, plan.config,
                               resources, assets)
        clock("site index")
        cache.save_site(index_fp, site.tables)
    clock("save site index")

    local = dict(light.local)
    local.update({k.split(":")[0]: v for k, v in cache.get("local", [f"{e.key}:{cfg}" for e in misses
                                                                      if e.key not in local]).items()})
    redo = [e for e in misses if e.key not in local]
    if redo:
        again = pageload.parse_many(redo, {e.rel for e in redo}, anchor_style, max_bytes)
        local.update({p.key: p.local for p in again})
        cache.put("local", [(f"{p.key}:{cfg}", p.local) for p in again])

    parallel.share(site=site, light=light, local=local, entries={e.rel: e for e in misses})
    results = list(parallel.map_chunks(_site_chunk, [(e.rel, e.key) for e in misses], SITE_PHASE_THRESHOLD))
    clock(f"site checks ({len(misses)} pages)")
    cache.put("final", [(final_key[rel], blob) for rel, blob in results])
    for rel, blob in results:
        reason, found = codec.decode_result(blob)
        findings.extend(found)
        if reason:
            skipped[rel] = reason
    clock("cache findings")
    return findings, len(parsed), skipped


def _today() -> str:
    return datetime.now(timezone.utc).date().isoformat()


def _index_fingerprint(cfg: str, site_entries: list[tuple[str, str]], static: set[str]) -> str:
    """Digest of what the site index is built from: configuration, each page's facts, static files.
    Fields are NUL separated (no path or digest holds a NUL); the count keeps pages and files apart."""
    fields = [cfg, str(len(site_entries)), *(f for entry in sorted(site_entries) for f in entry), *sorted(static)]
    return hashlib.blake2b("\0".join(fields).encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


class _LightPages:
    """rel -> light page, decoded on each access so that 15,000 of them never sit in memory at once."""

    def __init__(self, entries, parsed, cache, anchor_style: str, max_bytes: int):
        self.entries = {e.rel: e for e in entries}
        self.blobs = {k: p.light for k, p in parsed.items()}
        self.blobs.update(cache.get("pages", [e.key for e in entries if not e.big and e.key not in self.blobs]))
        self.local = {k: p.local for k, p in parsed.items() if p.local is not None}
        self.anchor_style, self.max_bytes = anchor_style, max_bytes

    def __contains__(self, rel: str) -> bool:
        return rel in self.entries

    def only(self, rels: list[str]) -> Mapping[str, Page]:
        """These pages, as a mapping that decodes each one when it is asked for."""
        return _Subset(self, rels)

    def __getitem__(self, rel: str) -> Page:
        entry = self.entries[rel]
        if entry.big:
            return pageload.skipped_page(entry, self.max_bytes)
        page = codec.decode_page(self.blobs[entry.key]) if entry.key in self.blobs else None
        if page is None:  # an unreadable cache row: parse again
            again = pageload.parse_many([entry], set(), self.anchor_style, self.max_bytes)[0]
            self.blobs[entry.key] = again.light
            page = codec.decode_page(again.light)
        page.path = str(entry.path)
        return page


class _Subset(Mapping):
    def __init__(self, pages: _LightPages, rels: list[str]):
        self.pages, self.rels = pages, rels

    def __getitem__(self, rel: str) -> Page:
        return self.pages[rel]

    def __iter__(self):
        return iter(self.rels)

    def __len__(self) -> int:
        return len(self.rels)


def _site_chunk(items: list[tuple[str, str]]) -> list[tuple[str, bytes]]:
    plan: _Plan = parallel.shared("plan")
    site, light, local, entries = (parallel.shared(n) for n in ("site", "light", "local", "entries"))
    out = []
    for rel, key in items:
        page, source = light[rel], entries[rel].data
        found = codec.decode_findings(local.get(key, b"")) or []
        if page.decode_error is None and not page.skipped:
            found.extend(_run(plan.site_checks, page, source, Context(site, source, plan.config), plan.config))
        found = _suppress(page, source, found, plan)
        entries[rel].forget()
        out.append((rel, codec.encode_result(page.skipped, found)))
    return out


def local_findings(page: Page, source: bytes) -> list[Finding]:
    """Findings of the checks that look at this page alone (run where the page was parsed)."""
    plan: _Plan = parallel.shared("plan")
    if page.skipped:
        return []
    return _run(plan.local_checks, page, source, Context(None, source, plan.config), plan.config)


def _run(checks, page: Page, source: bytes, ctx: Context, config: Config) -> list[Finding]:
    ignored = ignored_for_file(page.rel, config)
    found = []
    for rule, check, severity in checks:
        if page.decode_error is not None and rule.code != "ENC004":
            continue  # the text is a lossy copy; only the encoding itself can be judged
        if ignored and matches(rule.code, ignored):
            continue
        for hit in check.check(page, ctx):
            found.append(to_finding(rule, severity, page, source, hit))
    return found


def _suppress(page: Page, source: bytes, found: list[Finding], plan: _Plan) -> list[Finding]:
    unused = plan.unused_rule
    make = None
    if unused is not None and not matches("CC001", ignored_for_file(page.rel, plan.config)):
        severity = severity_of(unused, plan.config)

        def make(page, start, end, values, fix, subject):
            return to_finding(unused, severity, page, source, Hit(start, end, values, fix, subject))

    return suppress.apply(page, source, found, plan.active, make)


def to_finding(rule: Rule, severity: str, page: Page, source: bytes, hit: Hit) -> Finding:
    line, column = page.position(hit.start, source)
    end_line, end_column = page.position(hit.end, source) if hit.end > hit.start else (line, column)
    return Finding(
        code=rule.code, name=rule.name, severity=severity, path=page.rel, line=line, column=column,
        end_line=end_line, end_column=end_column, message=rule.format(**hit.values), subject=hit.subject,
        evidence=dict(hit.evidence), fix=hit.fix, start=hit.start, end=hit.end,
    )


def _targets(options: Options, config: Config, rels: dict[str, Path]) -> tuple[dict[str, Path], list[str]]:
    """The pages to lint: everything under the given folders, the given files, or the whole site."""
    warnings: list[str] = []
    if options.only is not None:
        return {rel: rels[rel] for rel in options.only if rel in rels}, warnings
    # Pages written in HTML are pages of the site, linted only when named: they are not Markdown,
    # and their markup is the site's own (a form, a table of data), not prose to check.
    if not options.paths:
        return {rel: path for rel, path in rels.items() if rel.endswith(discover.CONTENT_SUFFIXES)}, warnings
    chosen: dict[str, Path] = {}
    root = config.root
    for path in options.paths:
        resolved = path.resolve()
        if resolved.is_dir():
            prefix = discover.relative(resolved, root)
            prefix = "" if prefix in (".", "") else prefix + "/"
            inside = {rel: p for rel, p in rels.items()
                      if rel.startswith(prefix) and rel.endswith(discover.CONTENT_SUFFIXES)}
            if not inside and resolved != root.resolve():
                for file in discover.content_files(resolved, root, config.get("exclude"), config.get("follow-symlinks")):
                    if file.name.endswith(discover.CONTENT_SUFFIXES):
                        inside[discover.relative(file, root)] = file
            if not inside:
                warnings.append(f"{path}: no content files")
            chosen.update(inside)
        elif path.is_symlink() and resolved.is_file():
            # A link named on the command line is what discovery makes of it: a page when
            # links are followed and it leads inside the site, else left out with a note.
            rel = discover.relative(_unresolved(path), root)
            if rel in rels:
                chosen[rel] = rels[rel]
        elif resolved.is_file():
            rel = discover.relative(resolved, root)
            if not discover.excluded(rel, config.get("exclude")):
                chosen[rel] = resolved
        else:
            raise ConfigError(f"{path}: no such file or folder")
    return chosen, warnings
