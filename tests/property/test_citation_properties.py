"""A DOI in a resolver URL written in prose is one mention of the page, whether linkify made a
link of the URL or left it as text: the mentions are the same whether or not a URL that is a
link of its own is read again from the prose (the slow way)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.extract import citations
from citecheck.parse.page import parse_page

FRONT = "---\ntitle: Example\n---\n\n"
URLS = st.sampled_from([
    "https://doi.org/10.1212/WNL.0000000000002487", "http://dx.doi.org/10.1000/xyz1.", "https://doi.org/10.1000/a(b)",
    "www.doi.org/10.1000/b", "https://example.org/10.1000/c", "https://doi.org/10.1000/xyz1",
    "https://doi.org/10.1000/xyz1#part", "https://doi.org/10.1000/xyz1?x=1", "https://doi.org/10%2E1000/d",
])
# What stands before a URL decides whether linkify links it (a space, `(`, `*` do; `:`, a letter don't).
BEFORE = st.sampled_from(["", " ", "doi:", "(", "*", "x", "'", '"', "é ", "\\*", "&amp; "])
AFTER = st.sampled_from(["", ".", ")", " text", "**", ", and"])
PIECES = st.one_of(
    st.tuples(BEFORE, URLS, AFTER).map("".join),
    st.sampled_from(["\n", "\n\n", "- ", "| a | b |\n|---|---|\n| ", "`code ", "` ", "{{< note >}}", "{{< /note >}}",
                     "{{< ref \"x\" >}}", "<code>", "</code>", "#### Title\n\n", "Author A, Author B.\n\n",
                     "doi: 10.1000/xyz1 ", "[text](https://doi.org/10.1000/xyz1) "]),
    st.text(st.characters(categories=["Ll", "Zs"]), max_size=8),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=12), st.sampled_from(["github", "github:plain", "github:nolinkify"]))
def test_a_linked_url_read_once_gives_the_same_mentions(pieces, style):
    data = (FRONT + "".join(pieces)).encode("utf-8")
    page = parse_page("post.md", data, anchor_style=style)
    assert citations._mentions(page, data) == citations._mentions(page, data, spare=False)
