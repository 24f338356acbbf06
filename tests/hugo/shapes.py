"""Site shapes for the differential tests: each a Hugo config and content files, built from a seed.

Every Markdown page carries a marker word (`SRC-n`) so that the built HTML tells which source
page it came from, and a few headings of varied text (their ids are Hugo's to decide)."""

from __future__ import annotations

import json
import random

HEADINGS = ["Dosage and timing", "Side effects", "What's new?", "Über Vitamin D", "Results (2019)",
            "Q&A: the basics", "Notes on 25-OH-D", "Why it matters", "A/B comparison", "Step 1 -- begin"]

LAYOUT = "<!doctype html><html><body>{{ .Content }}</body></html>\n"
LAYOUTS = {"layouts/_default/single.html": LAYOUT, "layouts/_default/list.html": LAYOUT}


class Shape:
    def __init__(self, name: str, config: dict[str, str], seed: int):
        self.name = name
        self.rng = random.Random(f"{name}:{seed}")
        self.files: dict[str, str | bytes] = {**config, **LAYOUTS}
        self.markers = 0

    def page(self, rel: str, title: str | None = None, headings: bool = True, **fm) -> None:
        """A Markdown page with front matter `fm` (YAML), a marker and a few headings."""
        self.markers += 1
        meta = {"title": title or rel.rsplit("/", 1)[-1].split(".")[0].replace("-", " ").title(), **fm}
        lines = ["---", *(f"{k}: {json.dumps(v)}" for k, v in meta.items()), "---", "",
                 f"Opening words SRC-{self.markers}.", ""]
        if headings:
            for text in self.rng.sample(HEADINGS, 3):
                lines += [f"## {text}", "", "Some text.", ""]
            lines += ["## Fixed part {#custom-id}", "", "More text.", ""]
        self.files[rel] = "\n".join(lines) + "\n"

    def file(self, rel: str, data: bytes = b"x\n") -> None:
        self.files[rel] = data


def plain(seed: int) -> Shape:
    s = Shape("plain", {"hugo.toml": 'baseURL = "https://example.org/"\n'}, seed)
    s.page("content/_index.md", "Home")
    s.page("content/posts/_index.md", "Posts")
    s.page("content/posts/alpha.md", aliases=["/old/alpha/", "/legacy-alpha.html"], tags=["Vitamin D", "Sleep"])
    s.page("content/posts/beta.md", slug="beta-slug")
    s.page("content/posts/gamma.md", url="/special/gamma/")
    s.page("content/docs/intro.md")
    s.page("content/docs/setup/install.md")
    s.page("content/about.md")
    s.file("static/files/report.pdf")
    s.file("static/img/Logo.PNG")
    return s


def leaf_bundles(seed: int) -> Shape:
    s = Shape("leaf-bundles", {"hugo.json": '{"baseURL": "https://example.org/"}\n'}, seed)
    s.page("content/posts/bundle-one/index.md")
    s.file("content/posts/bundle-one/diagram.png")
    s.file("content/posts/bundle-one/img/photo.jpg")
    s.file("content/posts/bundle-one/data/table.csv")
    s.page("content/posts/bundle-two/index.md", slug="second")
    s.file("content/posts/bundle-two/Chart.SVG")
    s.page("content/posts/plain.md")
    s.page("content/notes/bundle-three/index.md")
    s.file("content/notes/bundle-three/notes.txt")
    return s


def branch_bundles(seed: int) -> Shape:
    s = Shape("branch-bundles", {"config.toml": 'baseURL = "https://example.org/"\n'}, seed)
    s.page("content/docs/_index.md", "Docs")
    s.file("content/docs/overview.pdf")
    s.page("content/docs/guide/_index.md", "Guide")
    s.file("content/docs/guide/cheatsheet.pdf")
    s.page("content/docs/guide/step-one.md")
    s.page("content/docs/guide/step-two/index.md")
    s.file("content/docs/guide/step-two/shot.png")
    s.page("content/docs/faq.md")
    s.file("content/misc/loose.png")
    s.file("content/docs/img/diagram.svg")  # folders without a page: files of the bundle above
    s.file("content/docs/guide/shots/deeper/one.png")
    s.file("content/misc/sub/two.txt")
    s.page("content/misc/thing.md")
    return s


def headless(seed: int) -> Shape:
    s = Shape("headless", {"hugo.toml": 'baseURL = "https://example.org/"\n'}, seed)
    s.page("content/shared/index.md", headless=True)
    s.page("content/shared/snippet.md")
    s.file("content/shared/logo.png")
    s.page("content/posts/a.md")
    s.page("content/posts/b.md")
    s.page("content/hidden/_index.md", "Hidden", build={"render": "never", "list": "never"})
    s.page("content/hidden/child.md")
    return s


def publish_status(seed: int) -> Shape:
    s = Shape("publish-status", {"hugo.toml": 'baseURL = "https://example.org/"\n'}, seed)
    s.page("content/posts/ok.md", date="2020-05-01")
    s.page("content/posts/draft.md", draft=True)
    s.page("content/posts/future.md", date="2999-01-01")
    s.page("content/posts/pub-future.md", date="2001-01-01", publishDate="2999-06-01")
    s.page("content/posts/expired.md", expiryDate="2001-01-01")
    s.page("content/posts/not-rendered.md", build={"render": "never"})
    s.page("content/posts/link-only.md", build={"render": "link"})
    s.page("content/posts/no-list.md", build={"list": "never"})
    s.page("content/posts/keep-files/index.md", build={"publishResources": False})
    s.file("content/posts/keep-files/file.pdf")
    s.page("content/posts/draft-bundle/index.md", draft=True)
    s.file("content/posts/draft-bundle/pic.png")
    s.page("content/posts/quiet/index.md", build={"render": "never"})
    s.file("content/posts/quiet/data.csv")
    return s


def mixed_case(seed: int, keep_case: bool = False) -> Shape:
    config = 'baseURL = "https://example.org/"\n' + ("disablePathToLower = true\n" if keep_case else "")
    s = Shape("mixed-case-kept" if keep_case else "mixed-case", {"hugo.toml": config}, seed)
    s.page("content/posts/Mixed-Case.md")
    s.page("content/posts/CamelPage.md", slug="Camel-Slug")
    s.page("content/posts/space name.md")
    s.page("content/Guides/Upper-Section.md")
    s.page("content/posts/Big-Bundle/index.md")
    s.file("content/posts/Big-Bundle/Photo-One.JPG")
    s.page("content/posts/lower.md")
    return s


def multilingual_dirs(seed: int) -> Shape:
    config = ('baseURL = "https://example.org/"\ndefaultContentLanguage = "en"\n'
              '[languages.en]\nweight = 1\ncontentDir = "content/en"\n'
              '[languages.fr]\nweight = 2\ncontentDir = "content/fr"\n')
    s = Shape("multilingual-dirs", {"hugo.toml": config}, seed)
    for lang in ("en", "fr"):
        s.page(f"content/{lang}/_index.md", "Home")
        s.page(f"content/{lang}/posts/shared.md")
        s.page(f"content/{lang}/posts/bundle/index.md")
        s.file(f"content/{lang}/posts/bundle/figure.png")
    s.page("content/en/posts/english-only.md")
    s.page("content/fr/posts/seulement.md")
    return s


def multilingual_names(seed: int) -> Shape:
    config = ('baseURL = "https://example.org/"\ndefaultContentLanguage = "en"\n'
              'defaultContentLanguageInSubdir = true\n'
              '[languages.en]\nweight = 1\n[languages.de]\nweight = 2\n')
    s = Shape("multilingual-names", {"hugo.toml": config}, seed)
    s.page("content/posts/a.md")
    s.page("content/posts/a.de.md")
    s.page("content/posts/b.md")
    s.page("content/posts/c.de.md")
    s.page("content/docs/_index.md", "Docs")
    s.page("content/docs/_index.de.md", "Doku")
    s.page("content/posts/kit/index.md")
    s.page("content/posts/kit/index.de.md")
    s.file("content/posts/kit/manual.pdf")
    s.page("content/posts/solo/index.de.md")
    s.file("content/posts/solo/plan.pdf")
    return s


def mounts(seed: int) -> Shape:
    config = ('baseURL = "https://example.org/"\n'
              '[[module.mounts]]\nsource = "pages"\ntarget = "content"\n'
              '[[module.mounts]]\nsource = "blog-src"\ntarget = "content/blog"\n'
              '[[module.mounts]]\nsource = "files"\ntarget = "static/downloads"\n'
              '[[module.mounts]]\nsource = "static"\ntarget = "static"\n')
    s = Shape("mounts", {"hugo.toml": config}, seed)
    s.page("pages/_index.md", "Home")
    s.page("pages/docs/start.md")
    s.page("pages/docs/more/index.md")
    s.file("pages/docs/more/sheet.pdf")
    s.page("blog-src/first-post.md")
    s.page("blog-src/second-post.md", slug="two")
    s.file("files/manual.pdf")
    s.file("static/robots.txt")
    s.page("content/ignored.md")  # content/ is not mounted once mounts are given
    return s


def permalinks(seed: int) -> Shape:
    config = ('baseURL = "https://example.org/"\n[permalinks.page]\n'
              'posts = "/:year/:month/:day/:slug/"\n'
              'notes = "/n/:sections/:filename/"\n'
              'events = "/e/:monthname/:weekday/:yearday/:title/"\n'
              'misc = "/:section/:slugorfilename/"\n'
              'refs = "/r/:contentbasename/:weekdayname/"\n'
              '[permalinks.section]\nposts = "/blog/"\n')
    s = Shape("permalinks", {"hugo.toml": config}, seed)
    s.page("content/posts/_index.md", "Posts")
    s.page("content/posts/first.md", date="2021-03-04", slug="hello-world")
    s.page("content/posts/second.md", date="2019-12-31")
    s.page("content/notes/deep/third.md", date="2020-02-29")
    s.page("content/events/party.md", "Big Party Night", date="2022-07-15")
    s.page("content/misc/one.md", slug="uno")
    s.page("content/misc/two.md")
    s.page("content/refs/item/index.md", date="2023-01-02")
    return s


def ugly(seed: int) -> Shape:
    s = Shape("ugly-urls", {"hugo.toml": 'baseURL = "https://example.org/"\nuglyURLs = true\n'}, seed)
    s.page("content/_index.md", "Home")
    s.page("content/posts/_index.md", "Posts")
    s.page("content/posts/one.md", tags=["Cofactor"], categories=["Minerals"])
    s.page("content/posts/two.md", slug="zwei")
    s.page("content/posts/bundle/index.md")
    s.file("content/posts/bundle/pic.png")
    s.page("content/docs/guide.md")
    return s


def subpath(seed: int) -> Shape:
    s = Shape("base-subpath", {"hugo.toml": 'baseURL = "https://example.org/sub/"\n'}, seed)
    s.page("content/_index.md", "Home")
    s.page("content/posts/one.md", aliases=["/old-one/"])
    s.page("content/posts/two.md")
    s.page("content/posts/bundle/index.md")
    s.file("content/posts/bundle/pic.png")
    s.file("static/files/doc.pdf")
    return s


def render_hook(seed: int) -> Shape:
    config = ('baseURL = "https://example.org/docs/"\n'
              '[markup.goldmark.renderHooks.link]\nuseEmbedded = "always"\n')
    s = Shape("render-hook", {"hugo.toml": config}, seed)
    s.page("content/_index.md", "Home")
    s.page("content/guide/_index.md", "Guide")
    s.file("content/guide/cheatsheet.pdf")
    s.page("content/guide/install.md")
    s.page("content/guide/configure.md", slug="setup")
    s.page("content/guide/bundle/index.md")
    s.file("content/guide/bundle/diagram.png")
    s.page("content/guide/bundle/part.md")
    s.page("content/blog/news.md")
    s.file("assets/css/site.css")
    s.file("static/robots.txt")
    return s


def config_dir(seed: int) -> Shape:
    config = {
        "config/_default/hugo.yaml": 'baseURL: "https://example.org/"\n',
        "config/_default/permalinks.toml": 'posts = "/articles/:slug/"\n',
        "config/_default/languages.yaml": "en:\n  weight: 1\nes:\n  weight: 2\n",
        "config/production/hugo.toml": "uglyURLs = true\n",
        "config/development/hugo.toml": "uglyURLs = false\n",
    }
    s = Shape("config-dir", config, seed)
    s.page("content/posts/one.md", slug="first")
    s.page("content/posts/two.md")
    s.page("content/posts/two.es.md")
    s.page("content/pages/about.md")
    return s


def html_pages(seed: int) -> Shape:
    """Content pages written in HTML (front matter and an HTML body) beside Markdown pages.
    Current Hugo builds them only where `security.allowContent` lets text/html in."""
    config = ('baseURL = "https://example.org/"\n[security]\nallowContent = [".*"]\n'
              '[permalinks.page]\nreports = "/r/:filename/"\n')
    s = Shape("html-pages", config={"hugo.toml": config}, seed=seed)
    s.page("content/_index.md", "Home")
    s.page("content/posts/alpha.md")
    s.page("content/posts/bundle/index.md")
    s.file("content/posts/bundle/extra.html", b'---\ntitle: Extra\n---\n<p id="extra">a page resource</p>\n')
    s.file("content/posts/donate.html", b'---\ntitle: Give\nslug: give-now\naliases: ["/old-donate/"]\n---\n'
           b'<h2 id="ways">Ways to give</h2>\n\n<div class="cards">\n\n    <form id="card-form">\n'
           b'        <a name="monthly"></a>\n    </form>\n\n</div>\n<section id="Tax-Receipts"></section>\n')
    s.file("content/posts/raw.html", b'<h2 id="plain-html">No front matter</h2>\n<p>Hugo titles it itself.</p>\n')
    s.file("content/about.htm", b'---\ntitle: About\n---\n<div id="team">\n\n    <h3 id="board">Board</h3>\n</div>\n')
    s.file("content/stats/_index.html", b'---\ntitle: Stats\n---\n<table id="daily"><tr><td>1</td></tr></table>\n')
    s.file("content/guide/index.html", b'---\ntitle: Guide\n---\n<ol id="steps"><li>one</li></ol>\n')
    s.file("content/guide/map.png")
    s.file("content/reports/q1.html", b'---\ntitle: First quarter\n---\n<h2 id="summary">Summary</h2>\n')
    return s


SHAPES = {f.__name__: f for f in (plain, leaf_bundles, branch_bundles, headless, publish_status, mixed_case,
                                   multilingual_dirs, multilingual_names, mounts, permalinks, ugly, subpath,
                                   render_hook, config_dir, html_pages)}
SHAPES["mixed_case_kept"] = lambda seed: mixed_case(seed, keep_case=True)
