"""Where Hugo publishes a content file, and whether a production build publishes it at all."""

from __future__ import annotations

import functools
import posixpath
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timezone
from urllib.parse import unquote_plus

from citecheck.parse.dates import hugo_date
from citecheck.site.hugo_config import Hugo

_TOKEN = re.compile(r":([a-z]+)(\[[0-9:]*\])?")
_PLAIN_PATH = re.compile(r"[A-Za-z0-9._~+#/-]*")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(slots=True)
class PageInfo:
    """One content file as Hugo sees it."""

    rel: str  # relative to the site root
    logical: str  # its path in the content tree, "/posts/b/index.md"
    key: str  # what GetPage knows it by, "/posts/b" (lower case)
    lang: str
    kind: str  # page | section | home | resource (a Markdown file inside a leaf bundle)
    bundle: str  # the folder of its bundle ("/posts/b"), "" for a plain page
    url: str = ""  # the path it is published at, below the baseURL
    reason: str = ""  # why a production build does not publish it ("" when it does)


def content_placements(rel: str, roots: list[tuple], default: str = "") -> list[tuple[str, str]]:
    """Every (path in the content tree, mount language) under which Hugo publishes a file, the
    page's own first (`config.content_roots`): a file that several mounts take is published by
    each (a folder mounted again as another language's fallback pages, one mount for several
    languages). The page's own is the most specific mount for the default language, else for any.
    Below a mount's source, hidden files and folders are left out (a mount may name one itself)."""
    found = []
    for order, (source, target, langs, admits) in enumerate(roots):
        inner = below_source(rel, source)
        if inner is None or inner.startswith(".") or "/." in inner:
            continue  # Hugo skips hidden files and folders below a mount's source
        if admits is None or rel == source or admits(inner):
            logical = mounted_path(target, inner)
            found.extend(((lang not in ("", default), -len(source), order), logical, lang) for lang in langs)
    found.sort(key=lambda place: place[0])
    return [(logical, lang) for _, logical, lang in found]


def below_source(rel: str, source: str) -> str | None:
    """`rel`'s path below a mount's source ("" for the source itself), or None when it is not there."""
    if source in ("", "."):
        return rel
    if rel == source:
        return ""
    return rel[len(source) + 1:] if rel.startswith(source + "/") else None


def mounted_path(target: str, inner: str) -> str:
    """The path in the content tree of what lies at `inner` below a mount's source."""
    return posixpath.join("/", target, inner) if inner else "/" + target


def content_path(rel: str, roots: list[tuple], default: str = "") -> tuple[str, str] | None:
    """(path in the content tree, language of its mount) of the page's own placement."""
    places = content_placements(rel, roots, default)
    return places[0] if places else None


def describe(rel: str, logical: str, mount_lang: str, hugo: Hugo, leaf_dirs: set[str]) -> PageInfo:
    folder, name = posixpath.split(logical)
    stem = name.rsplit(".", 1)[0]
    lang = mount_lang or hugo.default_language
    base, dot, suffix = stem.rpartition(".")
    if dot and _is_language(suffix, hugo):
        stem, lang = base, suffix.lower()
    bundle = bundle_of(folder, leaf_dirs)
    if stem == "_index" and bundle in ("", folder):
        kind, key = ("home" if folder == "/" else "section"), folder
    elif stem == "index" and folder in leaf_dirs:
        kind, key = "page", folder
    elif bundle:  # any file below a leaf bundle, an `index.md` or `_index.md` in a folder of it too
        kind, key = "resource", posixpath.join(folder, stem)
    else:
        kind, key = "page", posixpath.join(folder, stem)
    return PageInfo(rel, logical, key.lower(), lang, kind, bundle)


def _is_language(suffix: str, hugo: Hugo) -> bool:
    """A file name's `.fr` names a language of the site's config, enabled or disabled."""
    return suffix.lower() in hugo.languages or suffix.lower() in hugo.disabled_languages


def bundle_of(folder: str, leaf_dirs: set[str]) -> str:
    while folder not in ("/", ""):
        if folder in leaf_dirs:
            return folder
        folder = posixpath.dirname(folder)
    return ""


def publish_reason(info: PageInfo, fm: dict, hugo: Hugo, now: datetime) -> str:
    """Why a plain `hugo` build leaves the page out, or ""."""
    if info.kind == "resource":
        return f"a file of the bundle {info.bundle}, not a page of its own"
    if fm.get("draft") is True and not hugo.build_drafts:
        return "a draft"
    publish = to_datetime(fm.get("publishdate", fm.get("publishDate"))) or to_datetime(fm.get("date"))
    if publish is not None and publish > now and not hugo.build_future:
        return f"dated in the future ({publish.date().isoformat()})"
    expiry = to_datetime(fm.get("expirydate", fm.get("expiryDate")))
    if expiry is not None and expiry <= now and not hugo.build_expired:
        return f"expired ({expiry.date().isoformat()})"
    build = fm.get("build") if isinstance(fm.get("build"), dict) else {}
    render = build.get("render", fm.get("_build", {}).get("render") if isinstance(fm.get("_build"), dict) else None)
    if render == "link":
        return LINK_ONLY
    if fm.get("headless") is True or render in ("never", False):
        return "not rendered (headless or build.render)"
    return ""


# `build.render = "link"`: a permalink and no page; sites use it for addresses their host redirects.
LINK_ONLY = "not rendered (build.render: link)"


def publishes_resources(fm: dict, reason: str) -> bool:
    """Hugo copies a bundle's files unless the page is left out of the build or says not to."""
    build = fm.get("build") if isinstance(fm.get("build"), dict) else {}
    if build.get("publishResources") is False or build.get("publishresources") is False:
        return False
    return not reason or reason.startswith("not rendered")


def to_datetime(value) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
    if isinstance(value, str) and value.strip():
        return read_date(value.strip())  # None where Hugo reads no date (zero date: no effect)
    return None


# hugo_date, remembered: many pages of a site carry the same dates (a migration's day, a series).
read_date = functools.lru_cache(maxsize=4096)(hugo_date)


def make_path(text: str, hugo: Hugo) -> str:
    """Hugo's path sanitising (`UnicodeSanitize`): letters, digits, marks and `._-~+#/\\@` stay, a
    `%` only before two hex digits; a run of spaces becomes one dash (none next to a dash, none
    before the first character kept); the path is lower-cased unless `disablePathToLower`."""
    if _PLAIN_PATH.fullmatch(text):  # the usual case, without a loop over characters
        return text if hugo.disable_path_to_lower else text.lower()
    out: list[str] = []
    dash = was_dash = False
    for i, char in enumerate(text):
        if char.isalnum() or char in "._-~+#/\\@" or unicodedata.category(char)[0] == "M" or \
                (char == "%" and _HEX.fullmatch(text[i + 1 : i + 3])):
            was_dash = char == "-"
            if dash and not was_dash:
                out.append("-")
            dash = False
            out.append(char)
        elif out and not was_dash and char.isspace():
            dash = True
    path = "".join(out)
    return path if hugo.disable_path_to_lower else _go_lower(path)


def title_path(title: str) -> str:
    """What a `:title` (or a `:slug` falling back to it) becomes before the path is sanitised: its
    slashes dashes, then query-unescaped as Go does (`+` a space, `%2F` a slash), unless an
    escape is broken, in which case it stays as written."""
    title = title.replace("/", "-").replace("\\", "-")
    if "%" in title and _BROKEN_ESCAPE.search(title):
        return title
    return unquote_plus(title) if "%" in title or "+" in title else title


def _go_lower(text: str) -> str:
    """Lower case one character at a time, as Go's strings.ToLower: `İ` is `i`, a final `Σ` is `σ`."""
    if text.isascii():
        return text.lower()
    return "".join("i" if char == "İ" else char.lower() for char in text)


_HEX = re.compile(r"[0-9A-Fa-f]{2}")
_BROKEN_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def page_url(info: PageInfo, fm: dict, hugo: Hugo, title_urlize, branch_dirs: set[str] = frozenset()) -> str:
    """The path Hugo publishes a page at, below the baseURL (language prefix included)."""
    prefix = hugo.lang_prefix(info.lang)
    explicit = fm.get("url")
    if isinstance(explicit, str) and explicit.strip():
        url = explicit.strip()
        url = url if url.startswith("/") else "/" + url
        return url if url.endswith(("/", ".html", ".xml", ".json")) else url + "/"
    folder, name = posixpath.split(info.logical)
    stem = name.rsplit(".", 1)[0]
    if "." in stem and _is_language(stem.rsplit(".", 1)[1], hugo):
        stem = stem.rsplit(".", 1)[0]
    if info.kind == "page" and stem == "index":  # a leaf bundle: its folder is the page
        folder, stem = posixpath.split(folder)
    sections = [s for s in folder.split("/") if s]
    section = sections[0] if sections else ""
    slug = fm.get("slug")
    slug = str(slug).strip() if isinstance(slug, (str, int)) and str(slug).strip() else ""
    if info.kind in ("home", "section"):
        pattern = hugo.section_permalinks.get(section) if info.kind == "section" else None
        if pattern:
            url = _expand(pattern, fm, slug, posixpath.basename(info.key), _sections(sections, branch_dirs), hugo,
                          title_urlize)
        else:
            url = make_path(info.logical.rsplit("/", 1)[0] + "/", hugo) or "/"
        return prefix + url  # Hugo writes section lists as folder/index.html, uglyURLs or not
    pattern = hugo.permalinks.get(section)
    if pattern:
        url = _expand(pattern, fm, slug, stem, _sections(sections, branch_dirs), hugo, title_urlize)
    else:
        url = make_path("/" + "/".join(sections) + ("/" if sections else ""), hugo) + make_path(slug or stem, hugo)
    if "//" in url:
        url = re.sub(r"/{2,}", "/", url)
    if url.endswith("/"):
        return prefix + (url.rstrip("/") + ".html" if hugo.ugly_for(section) else url)
    return prefix + (url + ".html" if hugo.ugly_for(section) else url + "/")


def page_aliases(fm: dict) -> list[str]:
    """The page's aliases as Hugo reads them: a list of strings, or one string split at white space
    (`aliases: /docs/old/` is one alias, as Hugo casts it)."""
    aliases = fm.get("aliases")
    if isinstance(aliases, str):
        return aliases.split()
    if isinstance(aliases, list):
        return [alias.strip() for alias in aliases if isinstance(alias, str) and alias.strip()]
    return []


def alias_path(alias: str, url: str, lang: str, section: str, hugo: Hugo) -> str:
    """Where Hugo writes the redirect page of a page's alias, as a path below the baseURL: an
    absolute alias in the page's language (`/old` of a French page is /fr/old), a relative one
    beside the page (`../old` of /docs/a/b/ is /docs/old); in a section with ugly URLs the
    redirect is a .html file (`/old/` is /old.html). Addresses with a query or a scheme (old wiki
    links) are kept as written."""
    if "?" in alias or "://" in alias:
        return alias
    if alias.startswith("/"):
        path = hugo.lang_prefix(lang) + alias
    else:
        folder = posixpath.dirname(url.rstrip("/")) or "/"
        path = posixpath.normpath(posixpath.join(folder, alias))
        if alias.endswith("/") and not path.endswith("/"):
            path += "/"
    if hugo.ugly_for(section) and not path.endswith(".html"):
        path = path.rstrip("/") + ".html"
    return path


def section_of_key(key: str) -> str:
    """The section of a page by its content path ("/posts/b" and "/posts" are in "posts")."""
    return key.split("/", 2)[1] if key.startswith("/") else ""


def _sections(folders: list[str], branch_dirs: set[str]) -> list[str]:
    """A page's sections: the top folder, and each folder below it that has an _index.md."""
    return [part for i, part in enumerate(folders) if i == 0 or "/" + "/".join(folders[: i + 1]) in branch_dirs]


def _expand(pattern: str, fm: dict, slug: str, stem: str, sections: list[str], hugo: Hugo, title_urlize) -> str:
    when = to_datetime(fm.get("date"))
    title = fm.get("title") if isinstance(fm.get("title"), str) else ""

    def value(match: re.Match) -> str:
        token, index = match.group(1), match.group(2)
        if token == "sections" and index:
            return "/".join(_slice(sections, index[1:-1]))
        dated = {"year": "%Y", "month": "%m", "monthname": "%B", "day": "%d", "weekday": "%w",
                 "weekdayname": "%A", "yearday": "%j"}
        if token in dated:
            if when is None:
                when_ = datetime(1, 1, 1)
            else:
                when_ = when
            if token == "weekday":
                return str((when_.weekday() + 1) % 7)
            if token == "yearday":
                return str(when_.timetuple().tm_yday)
            if token == "monthname":
                return _MONTHS[when_.month - 1].lower()
            if token == "weekdayname":
                return _DAYS[when_.weekday()].lower()
            return when_.strftime(dated[token])
        values = {"section": sections[0] if sections else "", "sections": "/".join(sections),
                  "title": title_urlize(title), "slug": slug or title_urlize(title), "filename": stem,
                  "slugorfilename": slug or stem, "contentbasename": stem,
                  "slugorcontentbasename": slug or stem}
        return values.get(token, match.group(0))

    url = make_path(_TOKEN.sub(value, pattern), hugo)
    url = re.sub(r"/{2,}", "/", url)
    return url if url.startswith("/") else "/" + url


def _slice(items: list[str], spec: str) -> list[str]:
    try:
        if ":" in spec:
            start, _, end = spec.partition(":")
            return items[int(start) if start else 0: int(end) if end else None]
        return [items[int(spec)]]
    except (ValueError, IndexError):
        return []
