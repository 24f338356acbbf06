"""Which rules run, where, and at which severity: select/ignore, per-file ignores, overrides."""

from __future__ import annotations

import fnmatch

from citecheck.config import Config, ConfigError
from citecheck.engine.catalog import Rule


def matches(code: str, selectors: list[str]) -> bool:
    """`LNK` selects LNK001…; `ALL` selects everything (ruff's convention)."""
    return any(s == "ALL" or code.startswith(s) for s in selectors)


def enabled_rules(catalog: dict[str, Rule], config: Config, select: list[str] | None, ignore: list[str] | None,
                  network: bool, extend_select: list[str] | None = None) -> list[Rule]:
    chosen_select = select if select else config.get("select")
    chosen_ignore = list(config.get("ignore")) + list(ignore or [])
    extend = list(config.get("extend-select")) + list(extend_select or [])
    for selector in [*chosen_select, *chosen_ignore, *extend]:
        if selector != "ALL" and not any(code.startswith(selector) for code in catalog):
            raise ConfigError(f"unknown rule selector '{selector}' (see `citecheck rules`)")
    rules = []
    for code, rule in sorted(catalog.items()):
        on = matches(code, chosen_select) if chosen_select else in_default_set(rule, config)
        on = (on or matches(code, extend)) and not matches(code, chosen_ignore)
        if on and (network or not rule.network or answered_locally(rule, config)):
            rules.append(rule)
    return rules


def in_default_set(rule: Rule, config: Config) -> bool:
    """Default rules, plus opt-in rules the site configures: it gives them options
    (`[rule-options.FM002] required = […]`) or sets a key the rule names (`site.hosts` for LNK004)."""
    return rule.default or rule.code in config.get("rule-options") or any(config.get(k) for k in rule.default_when)


def answered_locally(rule: Rule, config: Config) -> bool:
    """A network rule this site answers from local data (its `offline-when` keys are set: a
    manifest, a local copy): it runs without the network, as a page check."""
    return any(config.get(key) for key in rule.offline_when)


def severity_of(rule: Rule, config: Config) -> str:
    overrides = config.get("severity")
    return overrides.get(rule.code, rule.severity)


def ignored_for_file(rel: str, config: Config) -> list[str]:
    codes: list[str] = []
    for pattern, listed in config.get("per-file-ignores").items():
        if fnmatch.fnmatch(rel, pattern):
            codes.extend(listed)
    return codes


def rule_options(rule: Rule, config: Config) -> dict:
    """The rule file's options, overridden by `[rule-options.CODE]` in the site config."""
    site = config.get("rule-options").get(rule.code, {})
    if not isinstance(site, dict):
        raise ConfigError(f"{config.where()}: 'rule-options.{rule.code}' must be a table")
    unknown = set(site) - set(rule.options)
    if unknown and rule.kind != "pattern":
        raise ConfigError(f"{config.where()}: unknown key 'rule-options.{rule.code}.{sorted(unknown)[0]}' "
                          f"(the rule's options: {', '.join(sorted(rule.options)) or 'none'})")
    return {**rule.options, **site}
