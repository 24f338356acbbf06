"""Configuration: `citecheck.toml` or `[tool.citecheck]` in `pyproject.toml`, plus Hugo's own config."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class ConfigError(Exception):
    """A configuration problem; the message names the file and the key."""


_LIST = list
# key -> (accepted types, default). Tables are nested dicts of the same shape.
SCHEMA: dict[str, Any] = {
    "content": ((str,), None),
    "static": ((str,), None),
    "exclude": ((_LIST,), []),
    "select": ((_LIST,), []),
    "ignore": ((_LIST,), []),
    "extend-select": ((_LIST,), []),
    "per-file-ignores": ((dict,), {}),
    "severity": ((dict,), {}),
    "fail-on": ((str,), "error"),
    "rules-dirs": ((_LIST,), []),
    "rule-options": ((dict,), {}),
    "baseline": ((str,), None),
    "remap": ((_LIST,), []),
    "max-file-size": ((int,), 64 << 20),
    "follow-symlinks": ((bool,), False),  # follow links inside the content folder (Hugo does not)
    "site": {"hosts": ((_LIST,), []), "base-url": ((str,), None), "link-style": ((str,), "extensionless")},
    "attachments": {
        "base-url": ((str, _LIST), []),
        "manifest": ((str,), None),
        "local-dir": ((str,), None),
        "path-pattern": ((str,), r"^/attachments/[A-Za-z0-9_-]+/[^/]+\.[A-Za-z0-9]{2,5}$"),
        "extensions": ((_LIST,), ["pdf", "jpg", "jpeg", "png", "gif", "webp", "svg", "doc", "docx", "xls",
                                  "xlsx", "ppt", "pptx", "mp3", "mp4", "zip", "txt", "csv", "tif", "tiff"]),
    },
    "crossref": {"base-url": ((str,), "https://api.crossref.org"), "mailto": ((str,), None),
                 "rate": ((int, float), None), "concurrency": ((int,), None)},
    "doi": {"resolver-url": ((str,), "https://doi.org")},
    # retries: extra tries of a transient failure; backoff: first wait (s), doubled with jitter;
    # max-wait: one question's whole budget (s) across tries and Retry-After waits.
    "network": {"timeout": ((int, float), 20.0), "concurrency": ((int,), 128), "per-host": ((int,), 8),
                "allow-private": ((bool,), False), "retries": ((int,), 3), "backoff": ((int, float), 1.0),
                "max-wait": ((int, float), 120.0), "processes": ((int,), 0)},
    "external": {"exclude": ((_LIST,), [])},
    "cache": {"path": ((str,), ".citecheck/cache.db"), "ttl": ((dict,), {})},
}
_SEVERITIES = ("error", "warning", "info")


@dataclass
class Hugo:
    """What citecheck needs from the site's Hugo config."""

    base_url: str = "/"
    content_dir: str = "content"
    static_dirs: list[str] = field(default_factory=lambda: ["static"])
    ugly_urls: bool = False
    permalinks: dict[str, str] = field(default_factory=dict)
    taxonomies: dict[str, str] = field(default_factory=lambda: {"category": "categories", "tag": "tags"})
    anchor_style: str = "github"
    source: Path | None = None


@dataclass
class Config:
    root: Path
    source: Path | None
    values: dict[str, Any]
    hugo: Hugo

    def get(self, dotted: str) -> Any:
        node: Any = self.values
        for part in dotted.split("."):
            node = node[part]
        return node

    @property
    def content_dir(self) -> Path:
        """The configured folder; a bare folder of Markdown files (no content/ inside) is its own."""
        folder = self.root / (self.values["content"] or self.hugo.content_dir)
        if not folder.is_dir() and not self.values["content"]:
            return self.root
        return folder

    @property
    def static_dirs(self) -> list[Path]:
        if self.values["static"]:
            return [self.root / self.values["static"]]
        return [self.root / d for d in self.hugo.static_dirs]

    def where(self) -> str:
        return str(self.source) if self.source else "defaults"


CONFIG_NAMES = ("citecheck.toml", "pyproject.toml")
HUGO_NAMES = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml", "config.yaml", "config.yml", "config.json")


def find_root(start: Path) -> tuple[Path, Path | None]:
    """Walk up from `start` to the first folder with a citecheck config, else a Hugo config."""
    start = start.absolute()
    if start.is_file():
        start = start.parent  # of a linked page, where the link is: the site it belongs to
    start = start.resolve()
    hugo_root = None
    for folder in (start, *start.parents):
        if (folder / "citecheck.toml").is_file():
            return folder, folder / "citecheck.toml"
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and b"[tool.citecheck" in pyproject.read_bytes():
            return folder, pyproject
        if hugo_root is None and any((folder / name).is_file() for name in HUGO_NAMES):
            hugo_root = folder
    return (hugo_root or start), None


def load(start: Path, explicit: Path | None = None) -> Config:
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"{explicit}: no such configuration file")
        root, source = explicit.resolve().parent, explicit.resolve()
    else:
        root, source = find_root(start)
    raw: dict[str, Any] = {}
    if source is not None:
        raw = _read_toml(source)
        if source.name == "pyproject.toml":
            raw = raw.get("tool", {}).get("citecheck", {})
    values = _validate(raw, SCHEMA, str(source or "config"), "")
    _check_values(values, str(source or "config"))
    return Config(root=root, source=source, values=values, hugo=load_hugo(root))


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None


def _validate(raw: dict[str, Any], schema: dict[str, Any], where: str, prefix: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in raw.items():
        spec = schema.get(key)
        name = prefix + key
        if spec is None:
            known = ", ".join(sorted(schema))
            raise ConfigError(f"{where}: unknown key '{name}' (known here: {known})")
        if isinstance(spec, dict):
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: '{name}' must be a table")
            out[key] = _validate(value, spec, where, name + ".")
        else:
            types, _ = spec
            if isinstance(value, bool) and bool not in types:
                raise ConfigError(f"{where}: '{name}' has the wrong type (bool)")
            if not isinstance(value, types):
                expected = " or ".join(t.__name__ for t in types)
                raise ConfigError(f"{where}: '{name}' must be {expected}, not {type(value).__name__}")
            out[key] = value
    for key, spec in schema.items():
        if key not in out:
            out[key] = _validate({}, spec, where, prefix + key + ".") if isinstance(spec, dict) else _copy(spec[1])
    return out


def _copy(value: Any) -> Any:
    return list(value) if isinstance(value, list) else dict(value) if isinstance(value, dict) else value


def _check_values(values: dict[str, Any], where: str) -> None:
    if values["fail-on"] not in _SEVERITIES:
        raise ConfigError(f"{where}: 'fail-on' must be one of {', '.join(_SEVERITIES)}")
    for code, severity in values["severity"].items():
        if severity not in _SEVERITIES:
            raise ConfigError(f"{where}: 'severity.{code}' must be one of {', '.join(_SEVERITIES)}")
    for pattern, codes in values["per-file-ignores"].items():
        if not isinstance(codes, list):
            raise ConfigError(f"{where}: 'per-file-ignores.{pattern}' must be a list of codes")
    for i, pair in enumerate(values["remap"]):
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)):
            raise ConfigError(f"{where}: 'remap[{i}]' must be a pair [from, to]")
    if isinstance(values["attachments"]["base-url"], str):
        values["attachments"]["base-url"] = [values["attachments"]["base-url"]]
    if values["site"]["link-style"] not in ("extensionless", "canonical"):
        raise ConfigError(f"{where}: 'site.link-style' must be 'extensionless' or 'canonical'")


def load_hugo(root: Path) -> Hugo:
    hugo = Hugo()
    for name in HUGO_NAMES:
        path = root / name
        if path.is_file():
            data = _read_hugo(path)
            hugo.source = path
            break
    else:
        return hugo
    lowered = {str(k).lower(): v for k, v in data.items()}
    hugo.base_url = str(lowered.get("baseurl", "/") or "/")
    hugo.content_dir = str(lowered.get("contentdir", "content"))
    static = lowered.get("staticdir", "static")
    hugo.static_dirs = [str(s) for s in static] if isinstance(static, list) else [str(static)]
    hugo.ugly_urls = bool(lowered.get("uglyurls", False))
    permalinks = lowered.get("permalinks") or {}
    hugo.permalinks = {str(k): str(v) for k, v in permalinks.items() if isinstance(v, str)}
    taxonomies = lowered.get("taxonomies")
    if isinstance(taxonomies, dict):
        hugo.taxonomies = {str(k): str(v) for k, v in taxonomies.items()}
    goldmark = (((lowered.get("markup") or {}).get("goldmark") or {}).get("parser") or {})
    hugo.anchor_style = str(goldmark.get("autoHeadingIDType", "github")).lower()
    return hugo


def _read_hugo(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        if path.suffix == ".toml":
            data = tomllib.loads(text)
        elif path.suffix == ".json":
            import json

            data = json.loads(text)
        else:
            import yaml

            data = yaml.safe_load(text)
    except Exception as exc:  # any parser's error: the message is what matters
        raise ConfigError(f"{path}: cannot read Hugo config: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: Hugo config is not a mapping")
    return data
