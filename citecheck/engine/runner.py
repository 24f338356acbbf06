"""One lint run: discover -> load/parse -> site index -> checks -> suppression -> findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from citecheck import discover
from citecheck.cache import Cache
from citecheck.checks import kind_class
from citecheck.checks.base import Check, Context, Hit
from citecheck.config import Config, ConfigError
from citecheck.engine import pages as pageload
from citecheck.engine import suppress
from citecheck.engine.catalog import Rule, load_catalog
from citecheck.engine.selection import enabled_rules, ignored_for_file, matches, rule_options, severity_of
from citecheck.model import Finding, Page
from citecheck.site.index import SiteIndex


@dataclass
class Options:
    paths: list[Path] = field(default_factory=list)
    select: list[str] | None = None
    ignore: list[str] | None = None
    extend_select: list[str] | None = None
    network: bool = False
    use_cache: bool = True
    only: set[str] | None = None  # rels to lint (e.g. changed pages); None: derived from paths


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
        checks.append((rule, cls(rule, rule_options(rule, config)), severity_of(rule, config)))
    return checks


def run(config: Config, options: Options) -> Result:
    extra = [config.root / d for d in config.get("rules-dirs")]
    catalog = load_catalog(extra)
    rules = enabled_rules(catalog, config, options.select, options.ignore, options.network, options.extend_select)
    checks = build_checks(rules, config)
    root = config.root
    exclude = config.get("exclude")
    files = discover.content_files(config.content_dir, root, exclude)
    rels = {discover.relative(p, root): p for p in files}
    targets, warnings = _targets(options, config, rels)
    for rel, path in targets.items():
        rels.setdefault(rel, path)
    cache = cache_for(config, options.use_cache)
    try:
        loaded = pageload.load([(p, r) for r, p in rels.items()], set(targets), cache, config.hugo.anchor_style,
                               config.get("max-file-size"))
        if options.only is None and not options.paths:
            cache.prune_pages(loaded.keys)
    finally:
        cache.close()
    in_site = {discover.relative(f, root) for f in files}
    site_pages = [p for p in loaded.pages if p.rel in in_site]
    site = SiteIndex(site_pages, discover.static_files(config.static_dirs), config)
    by_rel = {page.rel: page for page in loaded.pages}
    findings: list[Finding] = []
    active = {rule.code for rule in rules}
    unused_rule = next((r for r in rules if r.code == "CC001"), None)
    for rel in sorted(targets):
        page = by_rel.get(rel)
        if page is None:
            continue
        if page.skipped:
            warnings.append(f"{rel}: skipped: {page.skipped}")
            continue
        source = loaded.sources.get(rel, b"")
        findings.extend(lint_page(page, source, site, checks, config, active, unused_rule))
    findings.sort(key=Finding.sort_key)
    return Result(findings, len(targets), len(site_pages), loaded.parsed, loaded.errors, warnings, rules,
                  loaded.sources, root)


def lint_page(page: Page, source: bytes, site: SiteIndex, checks, config: Config, active: set[str],
              unused_rule: Rule | None) -> list[Finding]:
    ctx = Context(site, source)
    ignored = ignored_for_file(page.rel, config)
    found: list[Finding] = []
    for rule, check, severity in checks:
        if page.decode_error is not None and rule.code != "ENC004":
            continue  # the text is a lossy copy; only the encoding itself can be judged
        if ignored and matches(rule.code, ignored):
            continue
        for hit in check.check(page, ctx):
            found.append(to_finding(rule, severity, page, source, hit))
    make_unused = None
    if unused_rule is not None and not (ignored and matches("CC001", ignored)):
        severity = severity_of(unused_rule, config)

        def make_unused(page, start, end, values, fix, subject):
            return to_finding(unused_rule, severity, page, source, Hit(start, end, values, fix, subject))

    return suppress.apply(page, source, found, active, make_unused)


def to_finding(rule: Rule, severity: str, page: Page, source: bytes, hit: Hit) -> Finding:
    line, column = page.position(hit.start, source)
    end_line, end_column = page.position(hit.end, source) if hit.end > hit.start else (line, column)
    evidence: dict[str, Any] = dict(hit.evidence)
    return Finding(
        code=rule.code, name=rule.name, severity=severity, path=page.rel, line=line, column=column,
        end_line=end_line, end_column=end_column, message=rule.format(**hit.values), subject=hit.subject,
        evidence=evidence, fix=hit.fix, start=hit.start, end=hit.end,
    )


def _targets(options: Options, config: Config, rels: dict[str, Path]) -> tuple[dict[str, Path], list[str]]:
    """The pages to lint: everything under the given folders, the given files, or the whole site."""
    warnings: list[str] = []
    if options.only is not None:
        return {rel: rels[rel] for rel in options.only if rel in rels}, warnings
    if not options.paths:
        return dict(rels), warnings
    chosen: dict[str, Path] = {}
    root = config.root
    for path in options.paths:
        resolved = path.resolve()
        if resolved.is_dir():
            prefix = discover.relative(resolved, root)
            prefix = "" if prefix in (".", "") else prefix + "/"
            inside = {rel: p for rel, p in rels.items() if rel.startswith(prefix)}
            if not inside and not prefix and resolved != root.resolve():
                warnings.append(f"{path}: no content files")
            chosen.update(inside)
            if resolved != root.resolve() and not inside:
                for file in discover.content_files(resolved, root, config.get("exclude")):
                    chosen[discover.relative(file, root)] = file
        elif resolved.is_file():
            rel = discover.relative(resolved, root)
            if discover.excluded(rel, config.get("exclude")):
                continue
            chosen[rel] = resolved
        else:
            raise ConfigError(f"{path}: no such file or folder")
    return chosen, warnings
