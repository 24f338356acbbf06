"""Configuration: `citecheck.toml` or `[tool.citecheck]` in `pyproject.toml`, plus Hugo's own config."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from citecheck.site.hugo_config import HUGO_NAMES, Hugo, HugoConfigError, load_hugo
from citecheck.site.mount_filter import mount_filter


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
    "site": {"hosts": ((_LIST,), []), "base-url": ((str,), None), "link-style": ((str,), "extensionless"),
             # Hugo's build: its environment's config overlay, and what a deploy builds beyond
             # a plain `hugo` (--buildDrafts, --buildFuture, --buildExpired).
             "environment": ((str,), None), "build-drafts": ((bool,), False),
             "build-future": ((bool,), False), "build-expired": ((bool,), False),
             # The site's own link conventions: [{pattern = regex, url = template | ignore = true}].
             "link-conventions": ((_LIST,), []),
             "exact": ((bool,), False)},  # take pages' URLs and dates from `hugo list all`
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


# What a value must be beyond its type, by dotted key ("table.*": each entry of an open table).
# A check returns None, or the end of "'key' must be …" (what is allowed, and what was given).
# A number with no entry here must be finite and 0 or more: no setting means anything negative.
def _one_of(*choices: str):
    return lambda v: None if v in choices else f"one of {', '.join(map(repr, choices))}, not {_shown(v)}"


def _number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and abs(v) != float("inf") and v == v


def _above(low: float, unit: str = ""):
    return lambda v: None if _number(v) and v > low else f"a number greater than {low}{unit}, not {_shown(v)}"


def _at_least(low: float, unit: str = ""):
    return lambda v: None if _number(v) and v >= low else f"a number of {low}{unit} or more, not {_shown(v)}"


def _strings(v) -> str | None:
    bad = next((x for x in v if not isinstance(x, str)), None) if isinstance(v, list) else v
    return None if bad is None else f"a list of strings, not with {_shown(bad)}"


def _regex(v) -> str | None:
    import re

    for pattern in [v] if isinstance(v, str) else v:
        if not isinstance(pattern, str):
            return f"a list of regular expressions (strings), not with {_shown(pattern)}"
        try:
            re.compile(pattern)
        except re.error as exc:
            return f"a valid regular expression; {pattern!r} is not ({exc})"
    return None


def _ttl_keys(v) -> str | None:
    from citecheck.remote.answers import TTL_DAYS  # only a config that sets ttl pays the import

    unknown = sorted(set(v) - set(TTL_DAYS))
    return f"a table with keys among {', '.join(TTL_DAYS)}, not with {unknown[0]!r}" if unknown else None


VALUE_CHECKS: dict[str, Any] = {
    "fail-on": _one_of(*_SEVERITIES),
    "severity.*": _one_of(*_SEVERITIES),
    "site.link-style": _one_of("extensionless", "canonical"),
    "exclude": _strings, "select": _strings, "ignore": _strings, "extend-select": _strings,
    "rules-dirs": _strings, "site.hosts": _strings, "attachments.extensions": _strings,
    "per-file-ignores.*": _strings,
    "attachments.base-url": lambda v: None if isinstance(v, str) else _strings(v),
    "max-file-size": _at_least(1, " bytes"),
    "network.timeout": _above(0, " seconds"),
    "network.concurrency": _at_least(1),
    "network.per-host": _at_least(1),
    "network.retries": _at_least(0),
    "network.max-wait": _above(0, " seconds"),
    "crossref.rate": _above(0, " requests per second"),
    "crossref.concurrency": _at_least(1),
    "cache.ttl": _ttl_keys,
    "cache.ttl.*": _at_least(0, " days"),
    "external.exclude": _regex,
    "attachments.path-pattern": _regex,
}


@dataclass
class Config:
    root: Path
    source: Path | None
    values: dict[str, Any]
    hugo: Hugo
    notes: list[str] = field(default_factory=list)  # how the site was found, when not where asked

    def get(self, dotted: str) -> Any:
        node: Any = self.values
        for part in dotted.split("."):
            node = node[part]
        return node

    @property
    def content_dir(self) -> Path:
        """The configured folder; a bare folder of Markdown files (no content/ inside) is its own.
        A Hugo site's missing content folder stays missing (one made by a build step not yet run):
        its archetypes and READMEs are no pages."""
        folder = self.root / (self.values["content"] or _common_folder(self.hugo))
        if not folder.is_dir() and not self.values["content"] and not self.hugo.found:
            return self.root
        return folder

    @property
    def content_roots(self) -> list[tuple[str, str, tuple[str, ...], Callable[[str], bool] | None]]:
        """(folder or file relative to the root, where it appears in the content tree, its languages
        ("" for the default one), which files below it the mount takes, None for all) of each place
        Hugo reads content from, in the order Hugo gives them precedence."""
        if self.values["content"] or not self.hugo.found:
            rel = _root_relative(self.content_dir, self.root)
            return [(rel, "", ("",), None)]
        return [(m.source, m.target, (m.lang, *m.more_langs), mount_filter(m.files)) for m in self.hugo.content_mounts]

    @property
    def outside_mounts(self) -> list[str]:
        """Content mounts listed on their own, whose pages are the site's but are never linted or
        fixed here, only linked to: those from outside the site's folder (`../README.md`) and a
        theme's content."""
        if self.values["content"] or not self.hugo.found:
            return []
        return [m.source for m in self.hugo.content_mounts if _outside(m.source) or m.theme]

    @property
    def static_dirs(self) -> list[Path]:
        if self.values["static"]:
            return [self.root / self.values["static"]]
        return [self.root / d for d in self.hugo.static_dirs]

    def where(self) -> str:
        return str(self.source) if self.source else "defaults"


CONFIG_NAMES = ("citecheck.toml", "pyproject.toml")


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
        if hugo_root is None and _hugo_site(folder):
            hugo_root = folder
    return (hugo_root or start), None


def in_a_site(path: Path) -> bool:
    """Whether `path` lies in a folder with a citecheck config or a Hugo config, or below one."""
    root, source = find_root(path)
    return source is not None or _hugo_site(root)


def sites_below(start: Path, depth: int = 3, budget: int = 2000) -> list[Path]:
    """The Hugo sites in the folders below `start` (a repository whose site lives in `docs/` or
    `website/`), nearest first; none inside another. Hidden folders, dependencies and build
    output are not searched, and at most `budget` folders are looked at."""
    found: list[Path] = []
    level = [start]
    for _ in range(depth):
        below = []
        for folder in level:
            try:
                children = sorted(child for child in folder.iterdir()
                                  if child.is_dir() and not child.is_symlink() and child.name not in _NOT_SITES
                                  and not child.name.startswith((".", "_")))
            except OSError:
                continue
            for child in children:
                budget -= 1
                if budget < 0:
                    return found
                if _surely_hugo_site(child):
                    found.append(child)
                else:
                    below.append(child)
        level = below
    return found


# Folders that hold no site of the project's own: dependencies, build output, themes' demo sites.
_NOT_SITES = frozenset(("node_modules", "vendor", "public", "resources", "themes", "exampleSite", "site-packages"))


def _hugo_site(folder: Path) -> bool:
    """A Hugo config file, or Hugo's config folder (`config/_default/`, as a theme's exampleSite
    often has below the theme's own `hugo.toml`)."""
    if any((folder / name).is_file() for name in HUGO_NAMES):
        return True
    defaults = folder / "config" / "_default"
    return defaults.is_dir() and any(path.suffix in (".toml", ".yaml", ".yml", ".json") for path in defaults.iterdir())


def _surely_hugo_site(folder: Path) -> bool:
    """A Hugo site, not only a folder holding some tool's `config.json`: a `hugo.*` config, Hugo's
    config folder, or a `config.*` beside a folder Hugo reads."""
    if any((folder / name).is_file() for name in HUGO_NAMES if name.startswith("hugo.")):
        return True
    return _hugo_site(folder) and any((folder / name).is_dir() for name in _HUGO_FOLDERS)


_HUGO_FOLDERS = ("content", "layouts", "themes", "archetypes")


def load(start: Path, explicit: Path | None = None, exact: bool = False) -> Config:
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"{explicit}: no such configuration file")
        root, source = explicit.resolve().parent, explicit.resolve()
    else:
        root, source = find_root(start)
    notes = []
    if source is None and not _hugo_site(root) and Path(start).is_dir():
        # No site here or above: a repository whose site lives in a folder of its own. Its one
        # site is the one meant; with several, linting the whole tree as loose Markdown would
        # judge every site's links against none of them.
        below = sites_below(root)
        if len(below) > 1:
            names = ", ".join(f"{p.relative_to(root).as_posix()}/" for p in below[:5])
            raise ConfigError(f"{root}: no Hugo site here, but {len(below)} below ({names}): name the one to check")
        if below:
            notes.append(f"no Hugo site in {root}; checking the one in {below[0].relative_to(root).as_posix()}/")
            root, source = find_root(below[0])
    raw: dict[str, Any] = {}
    if source is not None:
        raw = _read_toml(source)
        if source.name == "pyproject.toml":
            raw = raw.get("tool", {}).get("citecheck", {})
    values = _validate(raw, SCHEMA, str(source or "config"), "")
    _check_values(values, str(source or "config"))
    _check_paths(values, root, str(source or "config"))
    try:
        hugo = load_hugo(root, values["site"]["environment"])
    except HugoConfigError as exc:
        raise ConfigError(str(exc)) from None
    if not hugo.found and not values["content"]:
        # A folder of loose Markdown, not a Hugo site: its installed packages' READMEs are no pages of it.
        values["exclude"] = [*values["exclude"], "node_modules", "*/node_modules"]
    for flag in ("drafts", "future", "expired"):
        if values["site"]["build-" + flag]:
            setattr(hugo, "build_" + flag, True)
    if exact or values["site"]["exact"]:
        values["site"]["exact"] = True
        from citecheck.site.hugo_exact import ExactModeError, page_table

        try:
            hugo.exact_pages = page_table(root, hugo, values["site"]["environment"])
        except ExactModeError as exc:
            raise ConfigError(str(exc)) from None
    return Config(root=root, source=source, values=values, hugo=hugo, notes=notes)


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
    for key, value, check in _leaves(values, ""):
        if check is None and isinstance(value, (int, float)) and not isinstance(value, bool):
            check = _at_least(0)
        problem = check(value) if check is not None and value is not None else None
        if problem:
            raise ConfigError(f"{where}: '{key}' must be {problem}")
    for i, pair in enumerate(values["remap"]):
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)):
            raise ConfigError(f"{where}: 'remap[{i}]' must be a pair [from, to]")
    if isinstance(values["attachments"]["base-url"], str):
        values["attachments"]["base-url"] = [values["attachments"]["base-url"]]
    for i, rule in enumerate(values["site"]["link-conventions"]):
        _check_convention(rule, f"{where}: 'site.link-conventions[{i}]'")


def _leaves(values: dict[str, Any], prefix: str, schema: dict[str, Any] = SCHEMA):
    """(dotted key, value, its check) of every setting, through the schema's tables; with
    "key.*" in VALUE_CHECKS, each entry of the open table `key` too."""
    for key, value in values.items():
        name, spec = prefix + key, schema.get(key)
        if isinstance(spec, dict):
            yield from _leaves(value, name + ".", spec)
            continue
        yield name, value, VALUE_CHECKS.get(name)
        entries = VALUE_CHECKS.get(name + ".*")
        if entries is not None and isinstance(value, dict):
            yield from ((f"{name}.{k}", v, entries) for k, v in value.items())


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _check_paths(values: dict[str, Any], root: Path, where: str) -> None:
    """Settings naming a folder that must exist when the run starts."""
    content = values["content"]
    if content is not None and not (root / content).is_dir():
        raise ConfigError(f"{where}: 'content' must be a folder relative to the site root; "
                          f"{root / content} is not one")


def _check_convention(rule: Any, where: str) -> None:
    """{pattern = regex, ignore = true} or {pattern = regex, url = template (\\1 for groups)}."""
    import re

    if not isinstance(rule, dict) or not isinstance(rule.get("pattern"), str) or set(rule) - {"pattern", "url", "ignore"}:
        raise ConfigError(f"{where} must be a table with 'pattern' and 'url' or 'ignore'")
    if (rule.get("ignore") is True) == isinstance(rule.get("url"), str):
        raise ConfigError(f"{where} needs either 'url' (a template) or 'ignore = true'")
    try:
        re.compile(rule["pattern"])
    except re.error as exc:
        raise ConfigError(f"{where}: invalid pattern: {exc}") from None


def _common_folder(hugo: Hugo) -> str:
    """The one folder to list: the content folder, or the folder that holds every mounted one
    (mounts from outside the site's folder and themes' are listed on their own: `Config.outside_mounts`)."""
    sources = [m.source for m in hugo.content_mounts if not (_outside(m.source) or m.theme)] or [hugo.content_dir]
    common = os.path.commonpath(["/" + s for s in sources]).strip("/")
    return common or "."


def _outside(source: str) -> bool:
    return source == ".." or source.startswith("../")


def _root_relative(path: Path, root: Path) -> str:
    try:
        rel = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
    return "" if rel == "." else rel
