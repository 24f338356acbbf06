"""A resolver link's DOI is read the same way whether the URL takes the quick path (the usual
`https://doi.org/10.…` shape) or the general one (urlsplit): generated URLs near that shape."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.extract.doi import RESOLVER_HOSTS, from_href, from_split_url

PREFIXES = [f"{scheme}://{host}/" for host in sorted(RESOLVER_HOSTS) for scheme in ("https", "http")]
PIECES = st.sampled_from(["10.", "1000", "/", "abc", "x", ".", "-", "(", ")", "%2F", "%", "é", " ", "?", "#", "=",
                          "&", "\t", "\n", "\r", "10.1000/", "/10.", "doi.org", "@", ":", "[", "]"])
TAILS = st.lists(PIECES, max_size=8).map("".join)


@settings(max_examples=600, deadline=None)
@given(st.sampled_from(PREFIXES), st.sampled_from(["10.", "10.1000/", "", "1", "x10."]), TAILS)
def test_quick_and_general_paths_agree(prefix, head, tail):
    url = prefix + head + tail
    assert from_href(url) == from_split_url(url)


def test_the_usual_shape():
    found = from_href("https://doi.org/10.1000/xyz%2F1")
    assert (found.raw, found.start, found.end, found.via, found.canonical) == ("10.1000/xyz/1", 16, 31, "resolver", True)
