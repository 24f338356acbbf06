"""The rule catalog: one TOML file per rule, shipped in the package (or read from the checkout)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from citecheck.config import ConfigError

_REQUIRED = ("code", "name", "kind", "severity", "message", "summary", "explanation")
_CODE = re.compile(r"[A-Z]+[0-9]{3}")
_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_FIX = ("none", "safe", "unsafe")


@dataclass
class Rule:
    code: str
    name: str
    kind: str
    severity: str
    message: str
    summary: str
    explanation: str
    fix: str = "none"
    network: bool = False
    # In the default set: near-zero false alarms on any valid Hugo site. Opt-in rules (house
    # conventions) run when selected, or when the site gives them options.
    default: bool = True
    default_when: list[str] = field(default_factory=list)  # config keys that put an opt-in rule in the set
    offline_when: list[str] = field(default_factory=list)  # config keys that make a network rule offline
    options: dict[str, Any] = field(default_factory=dict)
    examples: list[dict[str, Any]] = field(default_factory=list)
    source: Path | None = None
    builtin: bool = True

    def format(self, **values: Any) -> str:
        return self.message.format_map(_Missing(values))


class _Missing(dict):
    """Placeholders a check did not fill stay visible instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def builtin_dir() -> Path:
    """`citecheck/rules` inside an installed wheel; the checkout's `rules/` for editable installs."""
    packaged = Path(__file__).resolve().parent.parent / "rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "rules"


# The built-in rule files as parsed, once per process: they are the package's own and do not
# change while it runs (a server stops when they do). Read-only: Rule objects share them.
_BUILTIN: dict[Path, dict[str, Any]] = {}


def load_rule(path: Path, builtin: bool) -> Rule:
    data = _BUILTIN.get(path) if builtin else None
    if data is None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: invalid rule file: {exc}") from None
        if builtin:
            _BUILTIN[path] = data
    missing = [key for key in _REQUIRED if key not in data]
    if missing:
        raise ConfigError(f"{path}: rule file lacks {', '.join(missing)}")
    unknown = set(data) - set(_REQUIRED) - {"fix", "network", "default", "default-when", "offline-when", "options", "examples"}
    if unknown:
        raise ConfigError(f"{path}: unknown key '{sorted(unknown)[0]}' in rule file")
    rule = Rule(**{key.replace("-", "_"): data[key] for key in data}, source=path, builtin=builtin)
    if not _CODE.fullmatch(rule.code) or path.stem != rule.code:
        raise ConfigError(f"{path}: code '{rule.code}' must look like ABC123 and match the file name")
    if not _NAME.fullmatch(rule.name):
        raise ConfigError(f"{path}: name '{rule.name}' must be kebab-case")
    if rule.severity not in ("error", "warning", "info"):
        raise ConfigError(f"{path}: severity must be error, warning or info")
    if not isinstance(rule.default, bool):
        raise ConfigError(f"{path}: default must be true or false")
    if rule.fix not in _FIX:
        raise ConfigError(f"{path}: fix must be one of {', '.join(_FIX)}")
    return rule


def load_catalog(extra_dirs: list[Path] | None = None) -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for path in sorted(builtin_dir().glob("*.toml")):
        rule = load_rule(path, builtin=True)
        rules[rule.code] = rule
    for folder in extra_dirs or []:
        if not folder.is_dir():
            raise ConfigError(f"rules-dirs: {folder} is not a folder")
        for path in sorted(folder.glob("*.toml")):
            rule = load_rule(path, builtin=False)
            if rule.code in rules:
                raise ConfigError(f"{path}: code {rule.code} is already taken by a built-in rule")
            from citecheck.checks import DECLARATIVE

            if rule.kind not in DECLARATIVE:
                raise ConfigError(f"{path}: site rules may use only the kinds {', '.join(sorted(DECLARATIVE))}")
            rules[rule.code] = rule
    return rules
