"""`cascade`: what a section's front matter hands down to itself and the pages below it (drafts,
build options, dates), narrowed by `_target`, as the real hugo publishes it. Generated cascades;
every page is linked at its address, and public/ says which of them exist."""

from __future__ import annotations

import json
import random

import pytest

from tests.hugo import oracle
from tests.hugo.test_hugo_rules import front, hugo, lint, site

pytestmark = pytest.mark.skipif(oracle.hugo_binary() is None, reason="the hugo binary cannot run here")

PAGES = ["docs/a.md", "docs/b.md", "docs/inner/c.md", "docs/inner/deep/d.md", "blog/e.md", "blog/2020/f.md"]
SECTIONS = ["docs/_index.md", "docs/inner/_index.md", "blog/_index.md"]
VALUES = [{"draft": True}, {"build": {"render": "never"}}, {"build": {"render": "never", "list": "never"}},
          {"publishDate": "2999-01-01"}, {"expiryDate": "2000-01-01"}, {"draft": False}, {"title": "Same"}]
TARGETS = [None, {"path": "/docs/inner/**"}, {"path": "/docs/*"}, {"kind": "page"}, {"kind": "section"},
           {"path": "{/blog/**,/docs/a}"}, {"environment": "production"}, {"environment": "development"}]


def _address(source: str) -> str:
    folder, name = source.rsplit("/", 1)
    return f"/{folder}/" if name == "_index.md" else f"/{folder}/{name[:-3]}/"


@pytest.mark.parametrize("seed", range(6))
def test_pages_under_a_cascade_are_published_as_hugo_publishes_them(tmp_path, seed):
    rng = random.Random(seed)
    files = {}
    for section in SECTIONS:
        entries = []
        for _ in range(rng.randint(0, 2)):
            entry = dict(rng.choice(VALUES))
            target = rng.choice(TARGETS)
            if target:
                entry["_target"] = target
            entries.append(entry)
        files[f"content/{section}"] = front(section, cascade=entries) if entries else front(section)
    for page in PAGES:
        own = rng.choice([{}, {}, {"draft": False}, {"build": {"render": "always"}}])
        files[f"content/{page}"] = front(page, **own)
    addresses = sorted({_address(s) for s in PAGES + SECTIONS})
    files["content/zz-links.md"] = front("Links") + "".join(f"[l]({a})\n\n" for a in addresses)
    root = site(tmp_path, files)
    built = hugo(root)
    assert built.returncode == 0, built.stderr
    found = {f["message"].split()[1] for f in lint(root) if f["code"] == "LNK001"}
    cascades = {k: v for k, v in files.items() if "cascade" in v}
    for address in addresses:
        published = oracle.served_file(root / "public", "", address) is not None
        assert (address in found) == (not published), (address, published, json.dumps(cascades)[:600])
