"""The real wiki sample as a site: its Hugo config, its posts, and stubs for link targets known to exist.

The posts are read from ../shared at test time, never copied into the repository; the tests that
need them are marked `corpus` and run only with `--corpus` (see tests/conftest.py).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import CORPUS

POSTS = CORPUS / "vdw2-sample" / "posts"
TARGETS = CORPUS / "vdw2-sample" / "link-targets-checked.tsv"

# What the wiki's maintainers would configure (SPEC: site matters are configuration).
WIKI_CONFIG = """
extend-select = ["FM003"]

[site]
hosts = ["vitamindwiki.com", "www.vitamindwiki.com"]

[attachments]
base-url = ["https://d378j1rmrlek7x.cloudfront.net/", "https://d1bk1kqxc0sym.cloudfront.net/"]

[rule-options.ATT002]
ignore = ["/attachments/d3.mock.*"]

[rule-options.FM001]
require = true

[rule-options.FM002]
required = ["title", "date"]
"""


def known_targets() -> dict[str, str]:
    """slug -> EXISTS | MISSING, as checked against the real repository."""
    status = {}
    for line in TARGETS.read_text(encoding="utf-8").splitlines()[1:]:
        slug, state = line.split("\t")[:2]
        status[slug] = state
    return status


def build(root: Path) -> Path:
    (root / "content" / "posts").mkdir(parents=True)
    shutil.copy(CORPUS / "vdw2-site" / "hugo.toml", root / "hugo.toml")
    for post in POSTS.glob("*.md"):
        shutil.copy(post, root / "content" / "posts" / post.name)
    static = root / "static" / "attachments"
    static.mkdir(parents=True)
    (static / "d3.mock.jpg").write_bytes(b"\xff\xd8\xff")
    (static / "d3.mock.pdf").write_bytes(b"%PDF-1.4")
    for slug, state in known_targets().items():
        stub = root / "content" / "posts" / f"{slug}.md"
        if state == "EXISTS" and not stub.exists():
            stub.write_text(f'---\ntitle: "{slug}"\nslug: "{slug}"\ndate: 2020-01-01\n---\n', encoding="utf-8")
    (root / "citecheck.toml").write_text(WIKI_CONFIG, encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def corpus_site(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("corpus") / "site")
