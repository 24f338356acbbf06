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
    for key, value in site.items():
        problem = _option_problem(rule, key, value)
        if problem:
            raise ConfigError(f"{config.where()}: 'rule-options.{rule.code}.{key}' must be {problem}")
    return {**rule.options, **site}


def check_rule_options(catalog: dict[str, Rule], config: Config) -> None:
    """Every `[rule-options.CODE]` table, checked before anything is read, whether or not the
    run selects the rule: a typo should not wait for the day the rule is turned on."""
    for code in config.get("rule-options"):
        if code not in catalog:
            raise ConfigError(f"{config.where()}: 'rule-options.{code}' names no rule (see `citecheck rules`)")
        rule_options(catalog[code], config)


def _option_problem(rule: Rule, key: str, value) -> str | None:
    """What an option's value must be, if it is not: of its default's type (a count of 1 or more,
    a list of strings…), and a valid regular expression or glob where the check says so."""
    import math

    default = rule.options.get(key)
    shown = repr(value)[:60]
    if isinstance(default, bool):
        if not isinstance(value, bool):
            return f"true or false, not {shown}"
    elif isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            return f"a whole number of 1 or more, not {shown}"
    elif isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < math.inf:
            return f"a number of 0 or more, not {shown}"
    elif isinstance(default, str) and not isinstance(value, str):
        return f"a string, not {shown}"
    elif isinstance(default, list) and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        return f"a list of strings, not {shown}"
    from citecheck.checks import kind_class

    kind = getattr(kind_class(rule.kind), "option_kinds", {}).get(key)
    return _pattern_problem(kind, value) if kind else None


def _pattern_problem(kind: str, value) -> str | None:
    import fnmatch
    import re

    for pattern in value if isinstance(value, list) else [value]:
        if not isinstance(pattern, str):
            return f"a string, not {pattern!r}"
        if kind == "glob" and "(?!)" in fnmatch.translate(pattern):
            return f"a list of globs that can match something; {pattern!r} matches nothing"
        if kind == "regex":
            try:
                re.compile(pattern)
            except re.error as exc:
                return f"a valid regular expression; {pattern!r} is not ({exc})"
    return None
