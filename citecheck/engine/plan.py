"""What a run checks: the enabled rules as checks, split by what they look at, and the
fingerprint of everything besides the pages that shapes findings."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from citecheck import __version__
from citecheck.checks import kind_class
from citecheck.checks.base import Check, is_remote
from citecheck.config import Config, ConfigError
from citecheck.engine import codec
from citecheck.engine.catalog import Rule, load_catalog
from citecheck.engine.selection import answered_locally, check_rule_options, enabled_rules, rule_options, severity_of
from citecheck.site.index import SiteIndex


@dataclass
class Plan:
    """What every stage needs; shared with forked workers."""

    config: Config
    rules: list[Rule]
    local_checks: list[tuple[Rule, Check, str]]  # look at one page
    site_checks: list[tuple[Rule, Check, str]]  # look a page's links up in the site index
    remote_checks: list[tuple[Rule, Check, str]]  # ask the network (network runs only)
    active: set[str]  # codes judged offline (suppression comments for them are in use)
    unused_rule: Rule | None  # CC001, when enabled
    fingerprint: str  # of the offline checks: their caches are shared by offline and network runs


def make_plan(config: Config, select=None, ignore=None, network: bool = False, extend_select=None) -> Plan:
    catalog = load_catalog([config.root / d for d in config.get("rules-dirs")])
    check_rule_options(catalog, config)
    rules = enabled_rules(catalog, config, select, ignore, network, extend_select)
    checks = build_checks(rules, config)
    offline = [rule for rule, check, _ in checks if check.scope != "remote"]
    return Plan(
        config=config,
        rules=rules,
        local_checks=[c for c in checks if c[1].scope == "page"],
        site_checks=[c for c in checks if c[1].scope == "site"],
        remote_checks=[c for c in checks if is_remote(c[1])] if network else [],
        active={rule.code for rule in offline},
        unused_rule=next((r for r in rules if r.code == "CC001"), None),
        fingerprint=fingerprint(config, offline),
    )


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
    state = [__version__, codec.FORMAT, SiteIndex.TABLES, config.values, vars(hugo),
             [(r.code, r.kind, r.severity, r.message, r.fix, r.options) for r in rules],
             _listing_version(config, rules)]
    text = json.dumps(state, sort_keys=True, default=_plain)
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def _plain(value: object) -> object:
    """What JSON cannot write: a set in sorted order (its own order changes from run to run with
    string hashing, and a fingerprint that changes makes every run start from nothing), anything
    else as its text."""
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    return str(value)


def _listing_version(config: Config, rules: list[Rule]):
    if not any(answered_locally(rule, config) for rule in rules):
        return None
    from citecheck.remote import manifest  # only sites with a manifest or a mirror need it

    return manifest.version(config)
