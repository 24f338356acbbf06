"""Front matter is where hugo finds it: after blank lines or indentation, with the first field on
the opening fence's line, closed by the first line starting with the fence (the rest of that
line is the body's). Each page is built alone by the real hugo; citecheck reads the same title
and slug from it, or reports FM001 exactly where hugo refuses to build."""

from __future__ import annotations

import json
import random
import re

import pytest

from tests.hugo import oracle
from tests.hugo.test_hugo_rules import hugo, site

pytestmark = pytest.mark.skipif(oracle.hugo_binary() is None, reason="the hugo binary cannot run here")

CONFIG = ('baseURL = "https://example.org/"\n'
          'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404", "home", "section"]\n')
LAYOUT = "{{ .Title }}|{{ .Params.slug }}|{{ .Content }}"
WRITTEN = {
    "blank line before +++": '\n+++\ntitle="T"\nslug="s"\n+++\n\nText.\n',
    "blank lines before ---": "\n\n---\ntitle: T\nslug: s\n---\n\nText.\n",
    "first field on the +++ line": '+++ title="T"\nslug="s"\n+++\n\nText.\n',
    "first field on the --- line": "--- title: T\nslug: s\n---\n\nText.\n",
    "indented ---": "  ---\ntitle: T\nslug: s\n---\n\nText.\n",
    "JSON after a blank line": '\n{"title": "T", "slug": "s"}\n\nText.\n',
    "CRLF": '\r\n+++\r\ntitle="T"\r\nslug="s"\r\n+++\r\nText.\r\n',
    "text after the closing +++": '+++\ntitle="T"\nslug="s"\n+++ trailing\nText.\n',
    "text after the closing ---": "---\ntitle: T\nslug: s\n--- x\nText.\n",
    "closing ----": "---\ntitle: T\nslug: s\n----\nText.\n",
    "opening ----": "----\ntitle: T\nslug: s\n----\nText.\n",
    "text before the fence": 'x\n+++\ntitle="T"\nslug="s"\n+++\nText.\n',
    "indented closing fence": '+++\ntitle="T"\nslug="s"\n  +++\nText.\n',
    "two fields on the +++ line": '+++ title="T" slug="s"\n+++\nText.\n',
    "--- inside a YAML block": "---\ntitle: T\ntext: |\n  a\n  ---\n  b\nslug: s\n---\nText.\n",
}


def generated(seed: int, count: int = 6) -> dict[str, str]:
    rng = random.Random(seed)
    out = {}
    for n in range(count):
        lead = "".join(rng.choice([" ", "\t", "\n", "\r\n"]) for _ in range(rng.randint(0, 4)))
        yaml = rng.random() < 0.5
        fence, field = ("---", "{}: {}") if yaml else ("+++", '{} = "{}"')
        closing = fence + rng.choice(["", " ", "  x"])
        out[f"generated {n}"] = (f"{lead}{fence}\n{field.format('title', 'T')}\n{field.format('slug', 's')}\n"
                                 f"{closing}\nText.\n")
    return out


@pytest.mark.parametrize("name, text", [*WRITTEN.items(), *generated(12).items()])
def test_front_matter_is_read_where_hugo_reads_it(tmp_path, name, text):
    root = site(tmp_path, {"content/p.md": text.encode("utf-8"), "layouts/_default/single.html": LAYOUT}, CONFIG)
    built = hugo(root)
    from tests.conftest import run_cli

    done = run_cli("check", str(root), "--select", "FM001", "--format", "json", "--no-cache")
    found = [f for f in json.loads(done.stdout) if f["code"] == "FM001"]
    if built.returncode != 0:  # hugo refuses the page: citecheck says why
        assert len(found) == 1 and found[0]["path"] == "content/p.md", built.stderr
        return
    assert found == []
    pages = [p for p in (root / "public").rglob("index.html")]
    [page] = pages
    title, slug, _ = page.read_text(encoding="utf-8").split("|", 2)
    from citecheck.parse.frontmatter import split

    fm = split(text)
    assert (fm.data or {}).get("title", "") == title and (fm.data or {}).get("slug", "") == slug
    if fm.format is not None:  # the body is what hugo renders after the front matter
        body = text[fm.body_start:]
        assert re.sub(r"\s+", " ", body).strip() in ("Text.", "trailing Text.", "x Text.", "- Text.")
