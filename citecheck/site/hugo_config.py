"""Hugo's configuration as Hugo merges it: the project's config file, `config/_default/`, the
environment's overlay (`config/production/` for a plain `hugo` build), module mounts and languages."""

from __future__ import annotations

import os
import posixpath
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from citecheck.extract.anchors import ID_PREFIX
from citecheck.parse.heading_ids import style_flags
from citecheck.site.host_redirects import (
    PARTIAL_CALL,
    host_redirects,
    redirects_templates,
    writes_aliases,
)
from citecheck.site.link_hook import LinkHook, read_hook

HUGO_NAMES = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml", "config.yaml", "config.yml", "config.json")
_SUFFIXES = (".toml", ".yaml", ".yml", ".json")
# An id written as it stands: no template action in it (`id="{{ .Anchor }}"` is the page's own).
_LITERAL_ID = re.compile(r"""(?<![\w$.:-])id\s*=\s*(?:"([^"{}<>\s]+)"|'([^'{}<>\s]+)')""")
_READ_FILE = re.compile(r"""\breadFile\s+(?:"([^"{}]+)"|`([^`{}]+)`)""")
# Other pages rendered into the page: a `range` over pages that renders their content (a page
# given by path, as an include shortcode does, brings its ids along instead: site/index.py).
_RANGES_PAGES = re.compile(r"\brange\b[^}]*\b(?:Pages|RegularPages|RegularPagesRecursive|Sections|Children)\b")
_RENDERS_PAGES = re.compile(r"\.(?:Content|RenderShortcodes)\b")
_TOC = re.compile(r"\.TableOfContents\b")  # writes `<nav id="TableOfContents">`
_RENDERS_MARKDOWN = re.compile(r"\bmarkdownify\b|\bRenderString\b")


class HugoConfigError(Exception):
    """A Hugo config file that cannot be read; the message names the file."""


@dataclass(frozen=True)
class Mount:
    """A folder Hugo reads for one component: `source` (relative to the site root, "/" separated)
    appears at `target` inside the component (`""` is the component's root), for `lang` or all."""

    source: str
    target: str = ""
    lang: str = ""
    files: tuple[str, ...] = ()  # the mount's `files` globs (site/mount_filter.py)
    more_langs: tuple[str, ...] = ()  # further languages of one mount (`sites.matrix.languages: [en, fr]`)
    theme: bool = False  # a theme's: its pages are the site's, but not the site's to lint


@dataclass
class Hugo:
    """What citecheck needs from the site's Hugo config."""

    base_url: str = "/"
    content_dir: str = "content"
    static_dirs: list[str] = field(default_factory=lambda: ["static"])
    ugly_urls: bool = False
    ugly_sections: dict[str, bool] = field(default_factory=dict)  # uglyURLs given per section
    permalinks: dict[str, str] = field(default_factory=dict)  # section -> pattern, for pages
    section_permalinks: dict[str, str] = field(default_factory=dict)  # section -> pattern, for the section page
    taxonomies: dict[str, str] = field(default_factory=lambda: {"category": "categories", "tag": "tags"})
    anchor_style: str = "github"
    source: Path | None = None
    found: bool = False  # a Hugo config exists (else the folder is plain Markdown)
    content_mounts: list[Mount] = field(default_factory=lambda: [Mount("content")])
    static_mounts: list[Mount] = field(default_factory=lambda: [Mount("static")])
    assets_mounts: list[Mount] = field(default_factory=lambda: [Mount("assets")])
    languages: list[str] = field(default_factory=lambda: ["en"])  # enabled, by weight
    disabled_languages: frozenset[str] = frozenset()  # configured but switched off: Hugo builds nothing for them
    default_language: str = "en"
    default_in_subdir: bool = False
    disable_path_to_lower: bool = False
    build_drafts: bool = False
    build_future: bool = False
    build_expired: bool = False
    embedded_link_hook: bool = False  # Hugo's embedded link render hook rewrites Markdown links
    link_hook: LinkHook | None = None  # the site's (or its theme's) own link render hook, as its template reads
    disable_aliases: bool = False
    # kind ("home", "section") -> files its output formats write besides its HTML: (folder the
    # format's `path` puts them in, file name), `llms.txt` or ("_print", "index.html")
    output_files: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    ignore_files: tuple[re.Pattern, ...] = ()  # `ignoreFiles`: content files hugo never reads
    cascade: Any = None  # the configuration's `cascade`: handed down to every page, after the home page's
    raw_html: bool = True  # raw HTML in Markdown is published (`markup.goldmark.renderer.unsafe`; off in Hugo's defaults)
    # shortcodes whose ids cannot be told (`NAME`), and each id one writes as it stands (`NAME#ID`)
    id_shortcodes: frozenset[str] = frozenset()
    # Hugo's own `ref` and `relref`, which write a page's URL and nothing of the page; a site's
    # shortcode of the same name replaces Hugo's
    builtin_refs: frozenset[str] = frozenset({"ref", "relref"})
    builtin_figure: bool = True  # Hugo's own `figure` shortcode, which no template of the site replaces
    layout_ids: frozenset[str] = frozenset()  # ids that page templates write as they stand (`id="main"`)
    # (section, "list" | "single" | "all", ids or None): a section's own templates that write ids
    # made by actions; their pages' ids of that start (`ID_PREFIX` + start), or all of them, unknown
    section_ids: tuple[tuple[str, str, frozenset[str] | None], ...] = ()
    # assets a template publishes as they are (`{{ $logo := resources.Get "icons/logo.svg" }}` and
    # `$logo.RelPermalink`): "/icons/logo.svg" is served
    template_assets: frozenset[str] = frozenset()
    # a template rewrites the relative `src` of its pages' images against the page's file folder
    # (`findRE "src=…" .Content` … `path.Dir .File.Path`)
    srcs_from_file: bool = False
    # (folder under layouts/, file): a page template there renders that file's Markdown (`readFile`)
    layout_includes: tuple[tuple[str, str], ...] = ()
    environment: str = "production"  # the build's environment (config overlay, `cascade` targets)
    aliases_redirected: bool = False  # the site writes its host's `_redirects` (its aliases, other rules) itself
    redirects: dict[str, tuple[str, bool]] = field(default_factory=dict)  # the host's exact rules
    exact_pages: dict[str, tuple[str, str]] | None = None  # exact mode: rel -> (URL, why left out)

    def ugly_for(self, section: str) -> bool:
        return self.ugly_sections.get(section, self.ugly_urls)

    def lang_prefix(self, lang: str) -> str:
        """`/fr` for a page in French; nothing for the default language unless it is in a subdir."""
        if len(self.languages) < 2 and not self.default_in_subdir:
            return ""
        if lang == self.default_language and not self.default_in_subdir:
            return ""
        return "/" + lang

    @property
    def resolves_page_links(self) -> bool:
        """Markdown links name pages by their content path (`../other.md`): a render hook turns them
        into page URLs, or there is no Hugo at all (plain Markdown, read as files)."""
        hook = self.link_hook
        return self.embedded_link_hook or not self.found or (
            hook is not None and (hook.get_page or not hook.readable))


def load_hugo(root: Path, environment: str | None = None) -> Hugo:
    hugo = Hugo()
    data: dict[str, Any] = {}
    for name in HUGO_NAMES:
        path = root / name
        if path.is_file():
            data = read_file(path)
            hugo.source = path
            break
    config_dir = root / "config"
    env = environment or os.environ.get("HUGO_ENVIRONMENT") or os.environ.get("HUGO_ENV") or "production"
    for layer in ("_default", env):
        folder = config_dir / layer
        if folder.is_dir():
            data = merge(data, read_dir(folder))
            hugo.source = hugo.source or folder
    hugo.found = hugo.source is not None
    hugo.environment = env
    _apply(hugo, environment_overrides(data, os.environ), root)
    return hugo


def environment_overrides(data: dict[str, Any], environ: Mapping[str, str]) -> dict[str, Any]:
    """The configuration as hugo reads it with the environment's `HUGO…` variables: the character
    after `HUGO` separates the parts of the key (`HUGO_MARKUP_GOLDMARK_RENDERER_UNSAFE=true`,
    `HUGOxPARAMSxFOO=bar`). A value takes the type of the one it replaces (one that cannot is
    ignored, as hugo ignores it); a new `true` or `false` is a boolean, as hugo decodes it later."""
    for name, value in sorted(environ.items()):
        if not name.startswith("HUGO") or len(name) < 6:
            continue
        path = [part.lower() for part in name[5:].split(name[4])]
        if not all(path):
            continue
        owner = _table(data, *path[:-1])
        typed = _typed(value, owner.get(path[-1]), path)
        if typed is not None:
            for key in reversed(path):
                typed = {key: typed}
            data = merge(data, typed)
    return data


def _typed(value: str, existing: Any, path: list[str]) -> Any:
    if isinstance(existing, bool) or (existing is None and value.lower() in ("true", "false")):
        return _BOOLEANS.get(value.lower())
    if isinstance(existing, int):
        return int(value) if re.fullmatch(r"[-+]?\d+", value) else None
    if isinstance(existing, (list, dict)):
        return None  # hugo reads these from the variable as data: not followed here
    if existing is None and path in (["disablekinds"], ["disablelanguages"]):
        return value.split(",") if "," in value else value.split()
    return value


# strconv.ParseBool's words
_BOOLEANS = {"1": True, "t": True, "true": True, "0": False, "f": False, "false": False}


def read_dir(folder: Path) -> dict[str, Any]:
    """A config folder: `hugo.toml`/`config.toml` at the top level, any other `KEY.toml` under KEY.
    A file named `KEY.LANG.toml` belongs to language LANG, as Hugo's loader places it: under
    `languages.LANG`, and for `params`/`menu(s)` under `languages.LANG.KEY`. Files in folders
    below count by their own name, as Hugo walks the folder (`module/module.yaml` is `module`)."""
    out: dict[str, Any] = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.suffix not in _SUFFIXES:
            continue
        data = read_file(path)
        key, _, lang = path.stem.lower().rpartition(".")
        key, lang = (key, lang) if key else (lang, "")
        if key in ("hugo", "config") and not lang:
            out = merge(out, data)
        elif not lang:
            out = merge(out, {key: data})
        elif key in ("params", "menu", "menus"):
            out = merge(out, {"languages": {lang: {key if key == "params" else "menus": data}}})
        else:
            out = merge(out, {"languages": {lang: data}})
    return out


def read_file(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        if path.suffix == ".toml":
            data = tomllib.loads(text)
        elif path.suffix == ".json":
            import json

            data = json.loads(text)
        else:
            import yaml

            data = yaml.safe_load(text) or {}
    except Exception as exc:  # any parser's error: the message is what matters
        raise HugoConfigError(f"{path}: cannot read Hugo config: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise HugoConfigError(f"{path}: Hugo config is not a mapping")
    return _lower(data)


def _lower(value: Any) -> Any:
    """Hugo's config keys are case-insensitive."""
    if isinstance(value, dict):
        return {str(k).lower(): _lower(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_lower(v) for v in value]
    return value


def merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def _table(data: Any, *keys: str) -> dict[str, Any]:
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data if isinstance(data, dict) else {}


def _output_files(data: dict[str, Any], formats: dict[str, Any]) -> dict[str, tuple[tuple[str, str], ...]]:
    """What the home page's and sections' output formats write besides their HTML (`outputs`,
    Hugo's formats or the site's `outputFormats` with their `baseName`, `path` and media type's
    suffix), and `robots.txt` where `enableRobotsTXT` asks for it."""
    suffixes = dict(_MEDIA_SUFFIXES)
    for name, media in _table(data, "mediatypes").items():
        found = media.get("suffixes") if isinstance(media, dict) else None
        if isinstance(found, list) and found:
            suffixes[str(name).lower()] = str(found[0])
    outputs, files = _table(data, "outputs"), {}
    for kind in ("home", "section"):
        names = outputs.get(kind)
        written = []
        for name in names if isinstance(names, list) else []:
            name = str(name).lower()
            own = formats.get(name) if isinstance(formats.get(name), dict) else {}
            base, media, folder = _OUTPUT_FORMATS.get(name, ("index", "", ""))
            base = str(own.get("basename", base))
            media = str(own.get("mediatype", media)).lower()
            folder = str(own.get("path", folder)).strip("/")
            suffix = suffixes.get(media)
            if suffix and name != "html":
                written.append((folder, f"{base}.{suffix}"))
        files[kind] = tuple(written)
    if data.get("enablerobotstxt") is True:
        files["home"] = (*files.get("home", ()), ("", "robots.txt"))
    return files


# Hugo's output formats: (baseName, media type, path)
_OUTPUT_FORMATS = {"html": ("index", "text/html", ""), "rss": ("index", "application/rss+xml", ""),
                   "json": ("index", "application/json", ""), "calendar": ("index", "text/calendar", ""),
                   "csv": ("index", "text/csv", ""), "amp": ("index", "text/html", "amp"),
                   "markdown": ("index", "text/markdown", ""), "robots": ("robots", "text/plain", ""),
                   "sitemap": ("sitemap", "application/xml", "")}
_MEDIA_SUFFIXES = {"text/html": "html", "application/rss+xml": "xml", "application/xml": "xml", "text/xml": "xml",
                   "application/json": "json", "text/calendar": "ics", "text/csv": "csv", "text/plain": "txt",
                   "text/markdown": "md", "application/manifest+json": "webmanifest"}


def _ignore_patterns(value: Any) -> tuple[re.Pattern, ...]:
    """`ignoreFiles`: regular expressions hugo searches in each content file's absolute path
    (case-sensitive, as Go's are); one that Python's `re` cannot read is left out."""
    patterns = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(str(pattern)))
        except re.error:
            continue
    return tuple(compiled)


def _apply(hugo: Hugo, data: dict[str, Any], root: Path) -> None:
    hugo.base_url = str(data.get("baseurl", "/") or "/")
    hugo.content_dir = str(data.get("contentdir", "content"))
    static = data.get("staticdir", "static")
    hugo.static_dirs = [str(s) for s in static] if isinstance(static, list) else [str(static)]
    ugly = data.get("uglyurls", False)
    if isinstance(ugly, dict):
        hugo.ugly_sections = {str(k): bool(v) for k, v in ugly.items()}
    else:
        hugo.ugly_urls = bool(ugly)
    hugo.disable_path_to_lower = bool(data.get("disablepathtolower", False))
    hugo.disable_aliases = bool(data.get("disablealiases", False))
    hugo.ignore_files = _ignore_patterns(data.get("ignorefiles"))
    hugo.cascade = data.get("cascade")
    for flag in ("drafts", "future", "expired"):
        setattr(hugo, "build_" + flag, bool(data.get("build" + flag, False)))
    _permalinks(hugo, _table(data, "permalinks"))
    taxonomies = data.get("taxonomies")
    if isinstance(taxonomies, dict):
        hugo.taxonomies = {str(k): str(v) for k, v in taxonomies.items()}
    goldmark = _table(data, "markup", "goldmark")
    hugo.raw_html = _table(goldmark, "renderer").get("unsafe") is True or not hugo.found
    parser = _table(goldmark, "parser")
    hugo.anchor_style = str(parser.get("autoheadingidtype", "github")).lower()
    # Flags for the page parser: which elements get ids besides headings (`:plain` is added below).
    if parser.get("autoheadingid") is False:
        hugo.anchor_style += ":noauto"
    if parser.get("autodefinitiontermid") is True:
        hugo.anchor_style += ":dt"
    if _table(parser, "attribute").get("block") is True:
        hugo.anchor_style += ":attrs"
    if _table(goldmark, "extensions").get("linkify") is False:
        hugo.anchor_style += ":nolinkify"
    if _table(goldmark, "extensions").get("typographer") in (False, {"disable": True}) or \
            _table(goldmark, "extensions", "typographer").get("disable") is True:
        hugo.anchor_style += ":plain"
    else:  # what the typographer writes for `--`, quotes…: part of a heading's id where it is a letter or `-`
        hugo.anchor_style += style_flags(_table(goldmark, "extensions", "typographer"))
    _languages(hugo, data)
    _mounts(hugo, data, root)
    themes = _themes(root, data)
    hugo.static_mounts = hugo.static_mounts + _theme_mounts(root, themes, "static")
    hugo.content_mounts = hugo.content_mounts + _theme_mounts(root, themes, "content")
    embedded = _use_embedded(data, goldmark, hugo.default_language)
    layouts = _layout_dirs(root, themes)
    hugo.link_hook = read_hook(_link_hooks(layouts))
    templates = _layout_templates(layouts)
    hugo.id_shortcodes, hugo.layout_ids, hugo.layout_includes = _template_ids(templates)
    hugo.section_ids = _section_ids(templates)
    hugo.template_assets = _template_assets(templates)
    hugo.srcs_from_file = any(_SRC_REWRITE.search(text) and _FILE_FOLDER.search(text)
                              for text in templates.values() if "src=" in text)
    hugo.builtin_refs = _builtin_refs(layouts)
    hugo.builtin_figure = "figure" not in _own_shortcodes(layouts)
    formats = _table(data, "outputformats")
    hugo.output_files = _output_files(data, formats)
    hugo.aliases_redirected = writes_aliases(formats)
    hugo.redirects = host_redirects(root, [m.source for m in hugo.static_mounts], [m.target for m in hugo.static_mounts],
                                    redirects_templates(layouts, formats), hugo.base_url)
    hugo.embedded_link_hook = embedded == "always" or (embedded == "fallback" and hugo.link_hook is None)


def _use_embedded(data: dict[str, Any], goldmark: dict[str, Any], default_language: str) -> str:
    """`renderHooks.link.useEmbedded` as Hugo resolves it: "auto" is "fallback" (the embedded hook
    unless the site has its own) wherever the config has a `languages` table, even of one language
    or with the others disabled, and the default language has no baseURL of its own (one host);
    else "never"."""
    embedded = str(_table(goldmark, "renderhooks", "link").get("useembedded", "auto")).lower()
    if embedded != "auto":
        return embedded
    languages = _table(data, "languages")
    one_host = "baseurl" not in _table(languages, default_language)
    return "fallback" if languages and one_host else "never"


def _permalinks(hugo: Hugo, table: dict[str, Any]) -> None:
    for key, value in table.items():
        if isinstance(value, str):
            hugo.permalinks[key] = value
        elif key == "page" and isinstance(value, dict):
            hugo.permalinks.update({k: str(v) for k, v in value.items() if isinstance(v, str)})
        elif key == "section" and isinstance(value, dict):
            hugo.section_permalinks.update({k: str(v) for k, v in value.items() if isinstance(v, str)})


def _languages(hugo: Hugo, data: dict[str, Any]) -> None:
    hugo.default_language = str(data.get("defaultcontentlanguage", "en")).lower()
    hugo.default_in_subdir = bool(data.get("defaultcontentlanguageinsubdir", False))
    languages = _table(data, "languages")
    disabled = {str(x).lower() for x in data.get("disablelanguages") or []}
    disabled |= {lang for lang, conf in languages.items() if isinstance(conf, dict) and conf.get("disabled")}
    hugo.disabled_languages = frozenset(disabled - {hugo.default_language})
    enabled = [(lang, conf) for lang, conf in languages.items() if lang not in disabled]
    if not enabled:
        hugo.languages = [hugo.default_language]
        return
    enabled.sort(key=lambda item: (_weight(item[1]), item[0]))
    hugo.languages = [lang for lang, _ in enabled]
    # A language's own contentDir is a mount of that folder as its content.
    dirs = [(lang, conf.get("contentdir")) for lang, conf in enabled if isinstance(conf, dict)]
    if any(d for _, d in dirs):
        hugo.content_mounts = [Mount(_clean(str(d)), "", lang) for lang, d in dirs if d]
        if any(not d for _, d in dirs):
            hugo.content_mounts.append(Mount(_clean(hugo.content_dir)))


def _weight(conf: Any) -> int:
    weight = conf.get("weight", 0) if isinstance(conf, dict) else 0
    return weight if isinstance(weight, int) and weight > 0 else 1 << 30


def _mounts(hugo: Hugo, data: dict[str, Any], root: Path) -> None:
    if not any(m.lang for m in hugo.content_mounts):
        hugo.content_mounts = [Mount(_clean(hugo.content_dir))]
    hugo.static_mounts = [Mount(_clean(d)) for d in hugo.static_dirs]
    hugo.assets_mounts = [Mount(_clean(str(data.get("assetdir", "assets"))))]
    mounts = _table(data, "module").get("mounts")
    if not isinstance(mounts, list):
        return
    found: dict[str, list[Mount]] = {}
    for mount in mounts:
        if not isinstance(mount, dict) or not isinstance(mount.get("source"), str):
            continue
        target = _clean(str(mount.get("target", "")))
        component, _, inner = target.partition("/")
        langs = _mount_languages(mount, hugo.disabled_languages)
        if not langs:
            continue  # mounted only for disabled languages: Hugo publishes nothing from it
        files = mount.get("files") or ()
        files = (files,) if isinstance(files, str) else tuple(str(f) for f in files if isinstance(f, str))
        source = mount["source"]
        # An absolute source is a folder elsewhere on the machine: relative to the root from here on.
        source = _relative_to(Path(source), root) if os.path.isabs(source) else _clean(source)
        found.setdefault(component, []).append(Mount(source, inner, langs[0] if langs else "", files, tuple(langs[1:])))
    # Mounts given for a component replace that component's default folder, as in Hugo.
    if "content" in found:
        hugo.content_mounts = found["content"]
    if "static" in found:
        hugo.static_mounts = found["static"]
    if "assets" in found:
        hugo.assets_mounts = found["assets"]


def _mount_languages(mount: dict[str, Any], disabled: frozenset[str]) -> list[str]:
    """The enabled languages a mount gives its files (`lang`, `sites.matrix.languages`): `[""]` for
    all of them, `[]` when each it names is disabled."""
    lang = mount.get("lang") or _table(mount, "sites", "matrix").get("languages") or ""
    langs = [str(one).lower() for one in lang] if isinstance(lang, list) else [str(lang).lower()]
    return [one for one in langs if one not in disabled]


def _clean(path: str) -> str:
    path = posixpath.normpath(path.replace("\\", "/")).strip("/")
    return "" if path == "." else path


def _layout_dirs(root: Path, themes: list[tuple[Path, dict[str, Any]]]) -> list[Path]:
    """The site's layouts folder and its themes', in Hugo's order."""
    folders = [root / "layouts", *(folder / "layouts" for folder, _ in themes)]
    return [folder for folder in folders if folder.is_dir()]


def _theme_mounts(root: Path, themes: list[tuple[Path, dict[str, Any]]], component: str) -> list[Mount]:
    """The folders of the site's themes for one component ("static", "content"), after the
    project's (whose files win): each theme's folder of that name, or where its own config's mounts
    put that component (a theme that lists mounts has only those), sources relative to the root."""
    mounts: list[Mount] = []
    for folder, config in themes:
        listed = _table(config, "module").get("mounts")
        if not isinstance(listed, list) or not listed:
            mounts.append(Mount(_relative_to(folder / component, root), theme=True))
            continue
        for mount in listed:
            if isinstance(mount, dict) and isinstance(mount.get("source"), str):
                target, _, inner = _clean(str(mount.get("target", ""))).partition("/")
                if target == component:
                    mounts.append(Mount(_relative_to(folder / mount["source"], root), inner, theme=True))
    return mounts


def _themes(root: Path, data: dict[str, Any]) -> list[tuple[Path, dict[str, Any]]]:
    """(folder, own config) of each theme in Hugo's order: those the site names (`theme`, a name or
    a list, then `module.imports`), each followed by those its own config names, each once. A
    theme is where `module.replacements` (or HUGO_MODULE_REPLACEMENTS) puts it, else in the
    project's `_vendor/` (`hugo mod vendor`), else in its themesDir; a module only in Hugo's
    module cache is not read."""
    themes = data.get("themesdir")
    themes_dir = root / themes if isinstance(themes, str) and themes else root / "themes"
    replaced = _replacements(data, themes_dir)
    found: list[tuple[Path, dict[str, Any]]] = []

    def visit(config: dict[str, Any]) -> None:
        for name in _theme_names(config):
            folder = replaced.get(name) or next(
                (place for place in (root / "_vendor" / name, themes_dir / name) if place.is_dir()), themes_dir / name)
            if folder.is_dir() and all(folder != seen for seen, _ in found):
                own = _theme_config(folder)
                found.append((folder, own))
                visit(own)

    visit(data)
    return found


def _replacements(data: dict[str, Any], themes_dir: Path) -> dict[str, Path]:
    """Module path -> folder, from `module.replacements` ("path -> folder", comma separated, or a
    list) and the HUGO_MODULE_REPLACEMENTS variable, which wins; relative folders are the themesDir's."""
    found: dict[str, Path] = {}
    for given in (_table(data, "module").get("replacements"), os.environ.get("HUGO_MODULE_REPLACEMENTS")):
        pairs = given.split(",") if isinstance(given, str) else given if isinstance(given, list) else []
        for pair in pairs:
            name, arrow, folder = str(pair).partition("->")
            if arrow and name.strip() and folder.strip():
                # Lexically, as Go joins paths: `themes/../x` is `x` even with no `themes/` there.
                found[name.strip()] = Path(os.path.normpath(themes_dir / folder.strip()))
    return found


def _theme_names(config: dict[str, Any]) -> list[str]:
    """The themes a config names: `theme` (a name or a list) and the paths of `module.imports`."""
    theme = config.get("theme")
    names = [theme] if isinstance(theme, str) else list(theme) if isinstance(theme, list) else []
    imports = _table(config, "module").get("imports")
    for one in imports if isinstance(imports, list) else []:
        if isinstance(one, dict) and not one.get("disable"):
            names.append(one.get("path"))
    return [name for name in names if isinstance(name, str) and name]


def _theme_config(folder: Path) -> dict[str, Any]:
    """A theme's own config: its `hugo.toml` (or `config.toml`…) and its `config/_default/`; a
    file that cannot be read counts as empty (the theme is not the site being checked)."""
    data: dict[str, Any] = {}
    try:
        for name in HUGO_NAMES:
            if (folder / name).is_file():
                data = read_file(folder / name)
                break
        if (folder / "config" / "_default").is_dir():
            data = merge(data, read_dir(folder / "config" / "_default"))
    except (HugoConfigError, OSError):
        return {}
    return data


def _relative_to(path: Path, root: Path) -> str:
    """`path` relative to the site root, "/" separated (`../shared/static` outside it)."""
    return posixpath.normpath(os.path.relpath(path, root).replace(os.sep, "/"))


def _link_hooks(layouts: list[Path]) -> list[Path]:
    """The `render-link` templates of the site's layouts, else of its theme's: their rules are the site's."""
    for folder in layouts:
        found = sorted(folder.rglob("render-link*.html"))
        if found:
            return found
    return []


def _builtin_refs(layout_dirs: list[Path]) -> frozenset[str]:
    """`ref` and `relref` where they are Hugo's: a site (or theme) template `shortcodes/ref.html`
    (or `_shortcodes/`, any variant such as `ref.en.html`) takes the name over."""
    return frozenset({"ref", "relref"} - _own_shortcodes(layout_dirs))


def _own_shortcodes(layout_dirs: list[Path]) -> set[str]:
    return {template.name.split(".", 1)[0] for layouts in layout_dirs for folder in ("shortcodes", "_shortcodes")
            for template in (layouts / folder).glob("*.html")}


def _layout_templates(layout_dirs: list[Path]) -> dict[str, str]:
    """Path below `layouts/` -> text of each HTML template, read once: a site's hides its theme's
    of the same path, as in Hugo."""
    templates: dict[str, str] = {}
    for layouts in layout_dirs:
        for template in layouts.rglob("*.html"):
            rel = template.relative_to(layouts).as_posix()
            if rel not in templates:
                try:
                    templates[rel] = template.read_text(encoding="utf-8", errors="replace")
                except OSError:
                    continue
    return templates


def _template_ids(templates: dict[str, str]) -> tuple[frozenset[str], frozenset[str], tuple[tuple[str, str], ...]]:
    """What the templates (`_layout_templates`) tell of a page's ids:

    - shortcodes whose template (any variant: `NAME.html`, `NAME.en.html`, under `shortcodes/` or
      `_shortcodes/`) gives a page ids, by itself or through the partials it calls (`_gives_ids`):
      `NAME#ID` for each id it writes as it stands, the calling page has it; `NAME` where the ids
      cannot be read from the page (Hugo's shortcode names hold no `#`);
    - ids that page templates (layouts, partials, base templates; not render hooks) write as they
      stand (`.TableOfContents` writes `TableOfContents`);
    - files whose Markdown a page template renders into its pages
      (`{{ readFile "content/manual/setup.md" | markdownify }}`), by the template's folder:
      `manual/single.html` renders the pages under /manual, `_default/` and partials any page."""
    shortcodes: dict[str, str] = {}  # name -> its templates, every variant, joined
    partials: dict[str, str] = {}  # path under partials/ -> template
    ids: set[str] = set()
    includes: set[tuple[str, str]] = set()
    for rel, raw in templates.items():
        top, _, inner = rel.partition("/")
        if top == "_markup":
            continue
        text = _COMMENTS.sub("", raw)
        if top in ("shortcodes", "_shortcodes"):
            if inner:
                name = posixpath.basename(rel).split(".", 1)[0]  # any variant: NAME.en.html, NAME.amp.html
                name = posixpath.join(posixpath.dirname(inner), name).lstrip("./")
                shortcodes[name] = shortcodes.get(name, "") + text
            continue
        if top in ("partials", "_partials"):
            partials.setdefault(inner, text)
        ids.update(a or b for a, b in _LITERAL_ID.findall(text))
        if _TOC.search(text):
            ids.add("TableOfContents")
        if _RENDERS_MARKDOWN.search(text):
            folder = posixpath.dirname(rel) if inner and not top.startswith("_") and top != "partials" else ""
            includes.update((folder, _clean(a or b)) for a, b in _READ_FILE.findall(text)
                            if (a or b).lower().endswith((".md", ".markdown")))
    writers: set[str] = set()
    for name, text in shortcodes.items():
        given = _gives_ids(text, partials, set())
        writers.update([name] if given is None else (f"{name}#{one}" for one in given))
    return frozenset(writers), frozenset(ids), tuple(sorted(includes))


# What a template writes no element with: HTML comments (`<!-- # Original shortcode -->` holds no
# heading, even under `{{% %}}`) and template comments.
_COMMENTS = re.compile(r"<!--.*?-->|\{\{-?\s*/\*.*?\*/\s*-?\}\}", re.S)
# An id entry standing for the `id` argument of each call (`id="{{ .Get "id" }}"`): the value each
# call gives is an id of its page; a call without one gives none.
ARGUMENT_ID = "\x01id"
_ACTION = re.compile(r"\{\{-?\s*([^{}]*?)\s*-?\}\}")
_WITH = re.compile(r"with\s+(.+)")
_GET_ID = re.compile(r'\$?\.Get\s+(?:"id"|`id`)')
_PARTIAL_DICT = re.compile(r'\bpartial(?:Cached)?\s+"([^"]+)"\s+\(\s*dict\b((?:[^()]|\([^()]*\))*)\)')
_DICT_PAIR = re.compile(r'"(\w+)"\s+(\([^()]*\)|[^\s()]+)')
_RENDERS_INNER = re.compile(r"\.Inner\s*\|\s*(?:\$?\.Page\.RenderString|markdownify)\b"
                            r"|(?:\$?\.Page\.RenderString|markdownify)\s+\.Inner\b")
_MARKDOWN_IDS = re.compile(r"^[ \t]*(?:#{1,6}[ \t]|:[ \t])", re.M)  # headings, terms: ids under {{% %}}
_ID_ATTRIBUTE = re.compile(r"""(?<![\w$.:-])id\s*=\s*(["'])""")
_PLAIN_ID = re.compile(r"""[^"'{}<>\s]+""")
_SAFE_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_-]{2,}")  # what anchorize keeps as it is, but for case


def _id_values(text: str) -> list[tuple[str, int]]:
    """The values of a template's id attributes, actions included (`id="{{ printf "%s-x" $a }}"`:
    a quote inside an action does not end the value), each with where its attribute starts."""
    values = []
    for match in _ID_ATTRIBUTE.finditer(text):
        quote, at, value = match.group(1), match.end(), []
        while at < len(text) and text[at] != quote:
            if text.startswith("{{", at):
                end = text.find("}}", at)
                end = len(text) if end < 0 else end + 2
                value.append(text[at:end])
                at = end
            else:
                value.append(text[at])
                at += 1
        values.append(("".join(value), match.start()))
    return values


def _is_id_argument(value: str, before: str, text: str, keys: frozenset[str]) -> bool:
    """Whether an id attribute's value is exactly the call's `id` argument: `{{ .Get "id" }}`, a
    variable assigned it once, a partial's context key holding it, or `{{ . }}` right after
    `{{ with … }}` of one of those (no id at all where the call gives none)."""
    action = _ACTION.fullmatch(value)
    if action is None:
        return False
    expression = action.group(1).strip()
    if expression == ".":
        actions = _ACTION.findall(before)
        scope = _WITH.fullmatch(actions[-1].strip()) if actions else None
        return scope is not None and _names_id_argument(scope.group(1), text, keys)
    return _names_id_argument(expression, text, keys)


def _names_id_argument(expression: str, text: str, keys: frozenset[str], depth: int = 0) -> bool:
    expression = expression.strip()
    if expression.startswith("(") and expression.endswith(")"):
        expression = expression[1:-1].strip()
    if _GET_ID.fullmatch(expression):
        return True
    key = re.fullmatch(r"\.(\w+)", expression)
    if key:
        return key.group(1) in keys
    variable = re.fullmatch(r"\$(\w+)", expression)
    if variable is None or depth > 2:
        return False
    assigned = re.findall(r"\$" + variable.group(1) + r"\s*(:?=)\s*(.*?)\s*-?\}\}", text)
    # Assigned once, with `:=`: a later `=` could make it anything.
    return len(assigned) == 1 and assigned[0][0] == ":=" and _names_id_argument(assigned[0][1], text, keys, depth + 1)


def _partial_contexts(text: str, keys: frozenset[str]) -> dict[str, frozenset[str]]:
    """Partial name -> the keys of the `dict` it is called with that hold the call's `id`
    argument (`partial "alert" (dict "id" $id "title" $t)`, `$id := .Get "id"`)."""
    contexts: dict[str, frozenset[str]] = {}
    for name, pairs in _PARTIAL_DICT.findall(text):
        found = frozenset(key for key, value in _DICT_PAIR.findall(pairs) if _names_id_argument(value, text, keys))
        contexts[name] = contexts.get(name, found) & found  # called twice: only what both calls give
    return contexts


def _section_ids(templates: dict[str, str]) -> tuple[tuple[str, str, frozenset[str] | None], ...]:
    """A section's templates (`layouts/adopters/list.html`) that write ids made by actions, from
    data (`<h2 id={{ .project | urlize }}>`): the ids' literal start where they have one, else
    None. A layout a page names (`glossary.html`) and folders of Hugo's own (`_default`, `_markup`,
    partials) are not a section's."""
    found: dict[tuple[str, str], frozenset[str] | None] = {}
    for rel, raw in templates.items():
        section, _, name = rel.partition("/")
        kind = _SECTION_TEMPLATES.get(name.split(".", 1)[0])
        if "/" in name or kind is None or section.startswith("_") or section in ("partials", "shortcodes") \
                or (section, kind) in found:
            continue
        text = _COMMENTS.sub("", raw)
        values = [value for value, _ in _id_values(text)] + _BARE_ID_ACTION.findall(text)
        prefixes = {_id_prefix(value, text) for value in values if "{{" in value}
        if prefixes:
            found[(section, kind)] = None if "" in prefixes else frozenset(ID_PREFIX + p for p in prefixes)
    return tuple((section, kind, ids) for (section, kind), ids in sorted(found.items(), key=lambda item: item[0]))


_SRC_REWRITE = re.compile(r"""\bfindRE\s+\(?\s*["`]src=.*\.Content\b""")
_FILE_FOLDER = re.compile(r"\.File\.Dir\b|\bpath\.Dir\s+\S*\.File\.Path\b")


def _template_assets(templates: dict[str, str]) -> frozenset[str]:
    """Paths of assets the templates publish unchanged: got by a literal path and asked for their
    permalink with no pipe between (one piped through `minify` or `fingerprint` is published
    under another name)."""
    found: set[str] = set()
    for text in templates.values():
        if "resources.Get" not in text:
            continue
        for name, path in _ASSET_ASSIGNED.findall(text):
            if re.search(rf"\${name}\.(?:Rel)?Permalink\b", text) and not re.search(rf"\${name}\s*=[^=]", text):
                found.add("/" + path.lstrip("/"))
        found.update("/" + (m.group(1) or m.group(2)).lstrip("/") for m in _ASSET_DIRECT.finditer(text))
    return frozenset(found)


_ASSET_ASSIGNED = re.compile(r'\$(\w+)\s*:=\s*resources\.Get\s+"([^"{}|]+)"\s*-?\}\}')
_ASSET_DIRECT = re.compile(r'\(\s*resources\.Get\s+"([^"{}|]+)"\s*\)\.(?:Rel)?Permalink\b'
                           r'|\bwith\s+resources\.Get\s+"([^"{}|]+)"\s*-?\}\}\s*[^{]*\{\{-?\s*\.(?:Rel)?Permalink\b')
_SECTION_TEMPLATES = {"list": "list", "section": "list", "terms": "list", "taxonomy": "list", "term": "list",
                      "single": "single", "page": "single", "baseof": "all"}
_BARE_ID_ACTION = re.compile(r"(?<![\w$.:-])id\s*=\s*(\{\{.*?\}\})")  # `id={{ .x | urlize }}`, no quotes


def _id_prefix(value: str, text: str) -> str:
    """The literal start every id of `value` has (lower case), or "" when none can be told."""
    literal = value.split("{{", 1)[0]
    if not literal:
        action = value[2:value.find("}}")] if "}}" in value else ""
        literal = _expression_prefix(action.strip("- \t"), text, 0)[0]
    return literal.lower() if _SAFE_PREFIX.fullmatch(literal) else ""


def _expression_prefix(expression: str, text: str, depth: int) -> tuple[str, bool]:
    """(the literal start of what a template expression makes, whether that is all it makes): a
    string, a `printf` format's text before its first verb (after its first argument's, for a
    format starting `%s`), a variable's assignment."""
    expression = expression.split("|", 1)[0].strip()  # anchorize, lower: the start stays a start
    if depth > 3:
        return "", False
    if re.fullmatch(r'"[^"%]*"', expression):
        return expression[1:-1], True
    variable = re.fullmatch(r"\$(\w+)", expression)
    if variable:
        assigned = re.search(r"\$" + variable.group(1) + r"\s*:?=\s*(.*?)\s*-?\}\}", text)
        return _expression_prefix(assigned.group(1), text, depth + 1) if assigned else ("", False)
    printf = re.fullmatch(r'printf\s+"([^"]*)"\s*(.*)', expression)
    if not printf:
        return "", False
    fmt, args = printf.groups()
    literal = fmt.split("%", 1)[0]
    if literal or not fmt.startswith(("%s", "%v")) or not args:
        return literal, "%" not in fmt
    start, whole = _expression_prefix(args.split()[0], text, depth + 1)
    if not whole:
        return start, False
    rest = fmt[2:]
    return start + rest.split("%", 1)[0], "%" not in rest


def _gives_ids(text: str, partials: dict[str, str], seen: set[str]) -> frozenset[str] | None:
    """The ids a template writes as they stand (`id="toc"`, the `nav` of `.TableOfContents`),
    itself or in the partials it calls; None when the ids it gives cannot be told: an id made by
    an action (`id="{{ .Get "id" }}"`, `id="x-{{ $n }}"`), Markdown headings or definition terms
    (ids when called as `{{% %}}`), pages it ranges over and renders, or ids written beside what
    cannot be read: Markdown it renders, a page's content, a partial not found or named by a value."""
    written: set[str] = set()
    unread = False

    def read(text: str, keys: frozenset[str] = frozenset()) -> bool:
        """Adds what one template writes; False where its ids are made by actions. `keys`: the
        keys of a partial's context that hold the call's `id` argument."""
        nonlocal unread
        if _MARKDOWN_IDS.search(text) or (_RANGES_PAGES.search(text) and _RENDERS_PAGES.search(text)):
            return False
        for value, before in _id_values(text):
            if "{{" not in value:
                if _PLAIN_ID.fullmatch(value):
                    written.add(value)
                continue
            if _is_id_argument(value, text[:before], text, keys):
                written.add(ARGUMENT_ID)
                continue
            prefix = _id_prefix(value, text)
            if not prefix:
                return False  # an id made of what the call gives (`.Get "id" | anchorize`): none can be told
            written.add(ID_PREFIX + prefix)
        if _TOC.search(text):
            written.add("TableOfContents")
        calls = PARTIAL_CALL.findall(text)
        # Markdown of the call's own inner text is the page's, read with it: only other Markdown is unread.
        unread = unread or bool(_RENDERS_MARKDOWN.search(_RENDERS_INNER.sub("", text)) or _RENDERS_PAGES.search(text)) \
            or len(re.findall(r"\bpartial(?:Cached)?\b", text)) > len(calls)
        contexts = _partial_contexts(text, keys)
        for quoted, raw in calls:
            name = quoted or raw
            name = name if name.endswith(".html") else name + ".html"
            if name not in seen:
                seen.add(name)
                unread = unread or name not in partials
                if name in partials and not read(partials[name], contexts.get(quoted or raw, frozenset())):
                    return False
        return True

    # The call's own `id` argument is as plain as no id at all: only ids written as they stand
    # beside what cannot be read leave the rest unknown.
    return None if not read(text) or (written - {ARGUMENT_ID} and unread) else frozenset(written)
