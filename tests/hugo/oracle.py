"""The real Hugo as the judge: build a site, then answer what a static host serves from public/."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from citecheck.site.hugo_exact import hugo_binary as find_hugo

_ANCHOR = re.compile(r'<a href="([^"]*)"[^>]*>(L\d+)</a>')
_ID = re.compile(r"""(?<![\w-])id=(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""")  # quoted, or not
_REFRESH = re.compile(r'<meta http-equiv="?refresh"? content="0; url=([^"]+)"')


@cache
def hugo_binary() -> str | None:
    """The hugo that exact mode would use, if it runs here."""
    path = find_hugo()
    try:
        if path and subprocess.run([path, "version"], capture_output=True, timeout=30).returncode == 0:
            return path
    except OSError:
        pass
    return None


def build(root: Path) -> subprocess.CompletedProcess:
    """A plain `hugo` build (production environment), as a deploy runs it."""
    shutil.rmtree(root / "public", ignore_errors=True)
    return subprocess.run([hugo_binary(), "--quiet", "--source", str(root)], capture_output=True, text=True,
                          timeout=60)


def base_path(base_url: str) -> str:
    return urlsplit(base_url).path.rstrip("/")


def page_url(public: Path, html_file: Path, base: str) -> str:
    """The URL a built HTML file is served at."""
    rel = html_file.relative_to(public).as_posix()
    if rel == "index.html" or rel.endswith("/index.html"):
        rel = rel[: -len("index.html")]
    return base + "/" + rel


def html_files(public: Path) -> list[Path]:
    return sorted(public.rglob("*.html"))


def rendered_links(public: Path, base: str) -> dict[str, str]:
    """Link id (the link text `L17`) -> the absolute URL it points at, as a browser resolves it."""
    found = {}
    for file in html_files(public):
        here = page_url(public, file, base)
        for href, label in _ANCHOR.findall(file.read_text(encoding="utf-8")):
            found[label] = urljoin("http://site.test" + here, html.unescape(href))
    return found


def served_file(public: Path, base: str, path: str) -> Path | None:
    """The file a static host answers `path` with: the file, a folder's index.html, and a path
    without `.html` (with or without the closing slash), as Netlify-style hosts do."""
    if base and not (path == base or path.startswith(base + "/")):
        return None
    inner = path[len(base):] or "/"
    if inner.endswith("/"):
        forms = [inner + "index.html"] + ([inner[:-1] + ".html"] if inner != "/" else [])
    else:
        forms = [inner, inner + "/index.html", inner + ".html"]
    for form in forms:
        file = public / form.lstrip("/")
        if file.is_file():
            return file
    return None


def verdict(public: Path, base: str, url: str) -> str:
    """ok | broken | fragment: what a reader following the link gets."""
    parts = urlsplit(url)
    if parts.netloc != "site.test":
        return "external"
    file = served_file(public, base, unquote(parts.path))
    if file is None:
        return "broken"
    if not parts.fragment:
        return "ok"
    text = file.read_text(encoding="utf-8", errors="replace") if file.suffix == ".html" else ""
    redirect = _REFRESH.search(text)
    if redirect:  # an alias page: the reader lands on the page it names
        target = served_file(public, base, unquote(urlsplit(html.unescape(redirect.group(1))).path))
        text = target.read_text(encoding="utf-8", errors="replace") if target else ""
    ids = {html.unescape("".join(groups)) for groups in _ID.findall(text)}
    return "ok" if unquote(parts.fragment) in ids else "fragment"


def hugo_list(root: Path) -> list[dict[str, str]]:
    """`hugo list all`: every page hugo knows, with its source path and permalink."""
    import csv
    import io

    done = subprocess.run([hugo_binary(), "list", "all", "--source", str(root)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    return list(csv.DictReader(io.StringIO(done.stdout[done.stdout.index("path,"):])))
