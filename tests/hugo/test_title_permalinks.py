"""Pages published at `:title` (and at `:slug`, where a page without a slug falls back to its
title): hugo makes the path of the title as it sanitises paths (a run of spaces one dash, none
next to a dash or before the first character kept; `._~@` kept, other punctuation dropped; Go's
lower case). Generated titles, built by hugo: every page is linked at the address hugo published
it, and citecheck must find each one."""

from __future__ import annotations

import json
import os
import random
from urllib.parse import unquote

import pytest

from tests.hugo import oracle
from tests.hugo.test_hugo_rules import hugo, lint

pytestmark = pytest.mark.skipif(oracle.hugo_binary() is None, reason="the hugo binary cannot run here")

SEEDS = [int(s) for s in os.environ.get("CITECHECK_TITLE_SEEDS", "1,2,3").split(",")]  # more: 1,2,…,40
WORDS = ["Checkpoints", "part", "1", "2.0", "Über", "ça", "İstanbul", "ΣΑΣ", "中文", "e\u0301", "x_y", "O'Reilly's",
         "50%", "a~b", "me@host", "v1.2"]
# `+`, `#`, `/` and `%` followed by hex digits are left out: hugo then parses the title as a URL
# (a fragment, a query escape), which citecheck models only roughly.
BETWEEN = [" ", "  ", "\t", "-", "--", " - ", " -- ", " & ", " — ", ": ", "? ", " = ", "! ", '"', " (", ") ", "[",
           "] ", ", ", "...", " 🎉 "]


def _title(rng: random.Random) -> str:
    """A title as people write them: words with spaces, dashes and punctuation between them."""
    parts = [rng.choice(WORDS)]
    for _ in range(rng.randint(0, 5)):
        parts += [rng.choice(BETWEEN), rng.choice(WORDS)]
    return "".join(parts)


@pytest.mark.parametrize("seed", SEEDS)
def test_pages_published_at_their_title_are_found_where_hugo_puts_them(tmp_path, seed):
    rng = random.Random(seed)
    root = tmp_path / "site"
    files = {"hugo.toml": 'baseURL = "https://example.org/"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n'
                          '[permalinks.page]\nposts = "/:year/:title/"\nnotes = "/:slug/"\n',
             "layouts/_default/single.html": "{{ .Content }}", "layouts/_default/list.html": "{{ .Content }}"}
    titles = []
    for n in range(30):
        title = _title(rng)
        section = "posts" if n % 2 else "notes"
        front = {"title": title, "date": "2020-10-15"}
        if section == "notes" and n % 3 == 0:
            front["slug"] = _title(rng)
        titles.append((f"content/{section}/p{n}.md", front))
        files[f"content/{section}/p{n}.md"] = json.dumps(front, ensure_ascii=False) + "\n\nText.\n"
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    assert hugo(root).returncode == 0
    listed = oracle.hugo_list(root)
    published = {row["path"]: row["permalink"].removeprefix("https://example.org") for row in listed}
    served = {rel: url for rel, url in published.items() if url not in ("", "/") and rel.startswith("content/")}
    # Two titles may land on one address (hugo keeps one page there): only the others are asked about.
    counts = {url: list(served.values()).count(url) for url in served.values()}
    links = [(rel, url) for rel, url in sorted(served.items()) if counts[url] == 1 and oracle.served_file(
        root / "public", "", unquote(url)) is not None]
    assert len(links) >= 20
    (root / "content/links.md").write_text(
        "---\ntitle: Links\n---\n\n" + "".join(f"[L{n}]({url})\n\n" for n, (_, url) in enumerate(links)), encoding="utf-8")
    broken = [(f["subject"], f["message"]) for f in lint(root) if f["path"] == "content/links.md"]
    said = dict(broken)
    assert broken == [], [(dict(titles)[rel], url, said[url]) for rel, url in links if url in said]

