"""Redirects the host serves besides Hugo's alias pages: Netlify's `_redirects` (copied from a static
folder, or the rules a site's template for it writes as they stand) and `[[redirects]]` of
`netlify.toml`, Apache's `.htaccess` (site/htaccess.py), and `aliases` that a site with
`disableAliases` writes into its own `_redirects`."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from citecheck.site.htaccess import htaccess_rules
from citecheck.site.redirect_template import FILLED, written_lines


def host_redirects(root: Path, static_sources: list[str], mount_targets: list[str],
                   templates: Iterable[Path] = (), base_url: str = "/") -> dict[str, tuple[str, bool]]:
    """Source path (or pattern) -> (destination, whether the host redirects rather than rewrites).
    `templates`: the site's templates of its own `_redirects`, whose rules written as they stand
    count too; a rule whose destination a template fills in is served, to a place unknown here.
    A rule written with the site's own address (`from = "https://example.org/old"`, which Netlify
    applies to requests for that host) is a rule of its path."""
    rules: list[tuple[str, str, str]] = []
    files = [root / source / "_redirects" for source, target in zip(static_sources, mount_targets)
             if not target.strip("/")]  # `_redirects` only counts at the top of the published folder
    for path in [*files, *templates]:
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            for line in written_lines(text) if path.name != "_redirects" else text.splitlines():
                fields = line.split("#", 1)[0].split()
                # `/store id=:id  /blog/:id  301`: a rule for requests with that query, served
                # where they lead is not judged
                if len(fields) >= 2 and _QUERY_MATCH.fullmatch(fields[1]):
                    rest = [f for f in fields[2:] if not _QUERY_MATCH.fullmatch(f)]  # destination, status
                    fields = [fields[0], FILLED, *rest[1:]]
                if len(fields) >= 2:
                    rules.append((fields[0], fields[1], fields[2] if len(fields) > 2 else "301"))
    for source, target in zip(static_sources, mount_targets):
        htaccess = root / source / ".htaccess"
        if not target.strip("/") and htaccess.is_file():
            rules.extend(htaccess_rules(htaccess.read_text(encoding="utf-8", errors="replace")))
    netlify = root / "netlify.toml"
    if netlify.is_file():
        try:
            table = tomllib.loads(netlify.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            table = {}
        for rule in table.get("redirects") or []:
            if isinstance(rule, dict) and isinstance(rule.get("from"), str) and isinstance(rule.get("to"), str):
                rules.append((rule["from"], rule["to"], str(rule.get("status", 301))))
    out: dict[str, tuple[str, bool]] = {}
    own = _own_origin(base_url)
    for source, destination, status in rules:
        status = status.rstrip("!")
        if own and source.lower().startswith(own):
            source = source[len(own):] or "/"
            if destination.lower().startswith(own):
                destination = destination[len(own):] or "/"
        # Rules with placeholders (`/shop/:id`), a splat (`/blog/*`) or a regular expression are
        # kept as patterns (`pattern_redirect`).
        if source.startswith(_REGEX) and status[:1] in ("2", "3"):
            out.setdefault(source, (destination, status.startswith("3")))
        elif source.startswith("/") and status[:1] in ("2", "3"):
            out.setdefault(unquote(source).rstrip("/") or "/", (destination, status.startswith("3")))
    return out


def _own_origin(base_url: str) -> str:
    """`https://example.org` of a baseURL `https://example.org/sub/`, lower case; "" without a host."""
    scheme, _, rest = base_url.partition("://")
    host = rest.split("/", 1)[0]
    return f"{scheme}://{host}".lower() if scheme.lower() in ("http", "https") and host else ""


# A partial called by name: `{{ partial "x.html" . }}`, `partialCached`, a name in backquotes.
PARTIAL_CALL = re.compile(r"""\bpartial(?:Cached)?\s+(?:"([^"]+)"|`([^`]+)`)""")


def redirects_templates(layout_dirs: list[Path], output_formats: dict[str, Any]) -> list[Path]:
    """The home page's template of the output formats that write `_redirects` (`index.NAME`,
    `home.NAME`), the site's before its theme's, and the partials it calls by name (rules written
    in `{{ partial "redirects.txt" . }}` are the template's)."""
    for folder in layout_dirs:
        for name in _redirects_formats(output_formats):
            for pattern in (f"home.{name}*", f"index.{name}*", f"_default/home.{name}*", f"_default/index.{name}*"):
                found = sorted(folder.glob(pattern))
                if found:
                    return _with_partials(found[:1], layout_dirs)
    return []


def _with_partials(templates: list[Path], layout_dirs: list[Path]) -> list[Path]:
    out, todo = [], list(templates)
    while todo and len(out) < 20:  # a partial calling itself ends here
        path = todo.pop(0)
        if path in out or not path.is_file():
            continue
        out.append(path)
        text = path.read_text(encoding="utf-8", errors="replace")
        for quoted, raw in PARTIAL_CALL.findall(text):
            name = quoted or raw
            found = next((folder / sub / candidate for folder in layout_dirs for sub in ("_partials", "partials")
                          for candidate in (name, name + ".html") if (folder / sub / candidate).is_file()), None)
            if found is not None:
                todo.append(found)
    return out


def writes_aliases(output_formats: dict[str, Any]) -> bool:
    """Whether the site writes its own `_redirects` (an output format of that name, as sites with
    `disableAliases` do to turn `aliases` into host redirects instead of HTML pages)."""
    return bool(_redirects_formats(output_formats))


def _redirects_formats(output_formats: dict[str, Any]) -> list[str]:
    return [name for name, conf in output_formats.items()
            if isinstance(conf, dict) and str(conf.get("basename", "")).lower() == "_redirects"]


def pattern_redirect(redirects: dict[str, tuple[str, bool]], path: str) -> tuple[str | None, bool] | None:
    """The first pattern rule that matches `path`, as hosts take them: (where it sends the path,
    what the path gave filled in, or None where a template decides it; whether it redirects).
    Netlify's patterns: `:name` is one path segment and `:name` in the destination what it held,
    `*` the rest of the path and `:splat` what it held; what a template fills in (`{{}}`) is taken
    to stay within its segment. Apache's are regular expressions (site/htaccess.py), `$1` a group."""
    for rule, (destination, redirecting) in redirects.items():
        if not (rule.startswith(_REGEX) or "*" in rule or ":" in rule or FILLED in rule):
            continue
        match = _match(rule, path)
        if match is not None:
            return _filled(rule, match, destination), redirecting
    return None


def _filled(rule: str, match: re.Match, destination: str) -> str | None:
    if FILLED in destination:
        return None
    if rule.startswith(_REGEX):
        return re.sub(r"\$(\d)", lambda m: (match.group(int(m.group(1))) or "") if int(m.group(1)) <= match.re.groups
                      else "", destination)
    given = {name: value for name, value in match.groupdict().items() if value is not None}
    sent = re.sub(r":(\w+)", lambda m: given.get(m.group(1), m.group(0)), destination)
    return None if re.search(r"/:\w", sent) else sent  # a placeholder the path gave nothing for


def _match(rule: str, path: str) -> re.Match | None:
    if rule.startswith(_REGEX):
        return re.search(rule[3:], path if rule.startswith("re:") else path[1:])
    named = re.sub(r":(\w+)", r"(?P<\1>[^/]+)", re.escape(rule).replace(re.escape(FILLED), "[^/]*"))
    try:
        return re.fullmatch(named.replace(r"\*", "(?P<splat>.*)", 1).replace(r"\*", ".*") + "/?", path)
    except re.error:  # a placeholder named twice: matched, nothing to fill in
        return re.fullmatch(re.sub(r"\(\?P<\w+>", "(", named).replace(r"\*", ".*") + "/?", path)


_QUERY_MATCH = re.compile(r"[^/:=\s]+=\S*")  # a query parameter a Netlify rule matches (`id=:id`)
_REGEX = ("re:", "rw:")  # a regular expression of the path, with or without its first slash
