"""Heading ids are what the real hugo writes, for generated headings: dashes, dots and quotes the
typographer replaces (with the site's own replacements, letters included), code spans, escapes
and entities it leaves alone, and emphasis, links and raw HTML, of which Hugo's id takes only the
first piece of text. A link to `#--flag` on a CLI reference page works when hugo says it does."""

from __future__ import annotations

import os
import random
import re

import pytest

from citecheck.config import load
from citecheck.parse.page import parse_page
from tests.hugo import oracle
from tests.hugo.test_hugo_rules import front, hugo, site

pytestmark = pytest.mark.skipif(oracle.hugo_binary() is None, reason="the hugo binary cannot run here")

SEED = int(os.environ.get("CITECHECK_HUGO_SEED", "12"))
HEADINGS = 70
WORDS = ["alpha", "Beta", "2019", "x", "Über", "vitamin", "D3", "q", "x²", "中文", "no\u00a0break", "ß"]
# Pieces that touch each other in a heading: what the typographer, the id and the parser make of them.
PUNCT = ["--", "---", "-", "...", "....", ". ", "'", "'s", "s'", "'90s ", "\"", "<<", ">>", "!", "?", "&amp;",
         "&eacute;", "&#233;", "&#45;&#45;", "\\-\\-", "\\'", "\\*", "_", "(", ")", "/", ":", " - ", " -- ",
         "&nbsp;", "\u2009", " www.example.org ", " https://example.org/a--b "]


def inline(rng: random.Random, depth: int = 0) -> str:
    pick = rng.random()
    if pick < 0.45 or depth > 1:
        return rng.choice(WORDS) + rng.choice(["", " ", *PUNCT]) + rng.choice(WORDS)
    if pick < 0.55:
        return "`" + rng.choice(["--flag", "a...b", "it's", "x--y z", "-v"]) + "`"
    if pick < 0.6:
        return rng.choice(["<span>", "</span>", "<b>x--y</b>"])
    inner = " ".join(inline(rng, depth + 1) for _ in range(rng.randint(1, 3)))
    return rng.choice(["*{}*", "**{}**", "_{}_", "[{}](/elsewhere/)", "~~{}~~", "***{}***"]).format(inner)


def headings(seed: int) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(inline(rng) for _ in range(rng.randint(1, 4))) for _ in range(HEADINGS)]


CONFIGS = {
    "defaults": "",
    "dashes-kept": '[markup.goldmark.extensions.typographer]\nenDash = "--"\nemDash = "-"\nellipsis = "..."\n',
    "letters": ('[markup.goldmark.extensions.typographer]\nenDash = "en"\nemDash = "&Alpha;"\nellipsis = "&#8230;"\n'
                'leftSingleQuote = "ls"\nrightSingleQuote = "rs"\nleftDoubleQuote = "ld"\nrightDoubleQuote = "rd"\n'
                'apostrophe = "ap"\nleftAngleQuote = "la"\nrightAngleQuote = "ra"\n'),
    "off": "[markup.goldmark.extensions.typographer]\ndisable = true\n",
    "github-ascii": "[markup.goldmark.parser]\nautoHeadingIDType = 'github-ascii'\n",
    "blackfriday": ('[markup.goldmark.parser]\nautoHeadingIDType = "blackfriday"\n'
                    '[markup.goldmark.extensions.typographer]\nenDash = "x"\n'),
}


@pytest.mark.parametrize("name", CONFIGS)
def test_heading_ids_are_the_ones_hugo_writes(tmp_path, name):
    written = headings(SEED + len(name))
    body = "".join(f"## {text}\n\nSome text.\n\n" for text in written)
    root = site(tmp_path, {"content/p.md": front("P") + "\n" + body},
                'baseURL = "https://example.org/"\n' + CONFIGS[name])
    built = hugo(root)
    assert built.returncode == 0, built.stderr
    # A heading of raw HTML alone gets no id: "" here, as citecheck gives it none.
    published = re.findall(r'<h2(?: id="([^"]*)")?>', (root / "public/p/index.html").read_text(encoding="utf-8"))
    assert len(published) == HEADINGS
    data = (root / "content/p.md").read_bytes()
    page = parse_page("content/p.md", data, anchor_style=load(root).hugo.anchor_style)
    mine = [h.anchor for h in page.headings]
    wrong = [(text, theirs, ours) for text, theirs, ours in zip(written, published, mine) if theirs != ours]
    assert wrong == []


def test_a_link_to_a_flag_heading_is_judged_by_the_id_hugo_writes(tmp_path):
    from tests.hugo.test_hugo_rules import lint

    flags = front("Flags") + "\n### `--name`\n\n### --listen-urls\n\n### *Don't* panic\n"
    links = front("Guide") + ("\n[a](../flags/#--name) [b](../flags/#--listen-urls) [c](../flags/#don-panic)\n\n"
                              "[d](../flags/#name) [e](../flags/#dont-panic)\n")
    config = 'baseURL = "https://example.org/"\n[markup.goldmark.extensions.typographer]\nenDash = "--"\n'
    root = site(tmp_path, {"content/flags.md": flags, "content/guide.md": links}, config)
    assert hugo(root).returncode == 0
    ids = set(re.findall(r'\bid="([^"]+)"', (root / "public/flags/index.html").read_text(encoding="utf-8")))
    assert {"--name", "--listen-urls", "don-panic"} <= ids and not {"name", "dont-panic"} & ids
    assert sorted(f["subject"] for f in lint(root) if f["code"] == "LNK003") == ["../flags/#dont-panic",
                                                                                  "../flags/#name"]


def test_a_heading_over_two_lines_takes_its_id_from_the_last(tmp_path):
    written = headings(SEED + 200)
    body = "".join(f"Line {first}\nthen {second}\n---\n\n" for first, second in zip(written[::2], written[1::2]))
    config = 'baseURL = "https://example.org/"\n[markup.goldmark.extensions.typographer]\nenDash = "--"\n'
    root = site(tmp_path, {"content/p.md": front("P") + "\n" + body}, config)
    built = hugo(root)
    assert built.returncode == 0, built.stderr
    published = re.findall(r'<h2(?: id="([^"]*)")?>', (root / "public/p/index.html").read_text(encoding="utf-8"))
    page = parse_page("content/p.md", (root / "content/p.md").read_bytes(), anchor_style=load(root).hugo.anchor_style)
    assert [h.anchor for h in page.headings] == published


def test_definition_term_ids_are_the_ones_hugo_writes(tmp_path):
    written = headings(SEED + 100)
    body = "".join(f"{text}\n: Defined.\n\n" for text in written)
    config = ('baseURL = "https://example.org/"\n[markup.goldmark.parser]\nautoDefinitionTermID = true\n'
              '[markup.goldmark.extensions.typographer]\nenDash = "--"\napostrophe = "ap"\n')
    root = site(tmp_path, {"content/p.md": front("P") + "\n" + body}, config)
    built = hugo(root)
    assert built.returncode == 0, built.stderr
    published = re.findall(r'<dt(?: id="([^"]*)")?>', (root / "public/p/index.html").read_text(encoding="utf-8"))
    page = parse_page("content/p.md", (root / "content/p.md").read_bytes(), anchor_style=load(root).hugo.anchor_style)
    assert page.html_ids == [term for term in published if term]
