"""A web link is told external without urlsplit only when its host is the one urlsplit reads:
generated URLs near the usual shape, with the pieces that make urlsplit read a host otherwise."""

from __future__ import annotations

from urllib.parse import urlsplit

from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.site.index import _PLAIN_WEB_URL

HOST_PIECES = st.sampled_from(["example", ".", "org", "EXAMPLE", "-", "1", "@", ":", "80", "[", "]", " ", "\t",
                               "\n", "é", "%41", "user", "www"])
TAIL_PIECES = st.sampled_from(["/", "?", "#", "a", "/b", "\n", " ", "@", ":", "%2F", ""])


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(["http://", "https://", "HTTP://", "https:/", "//", "https:///"]),
       st.lists(HOST_PIECES, max_size=6).map("".join), st.lists(TAIL_PIECES, max_size=4).map("".join))
def test_the_quick_host_is_the_one_urlsplit_reads(scheme, host, tail):
    url = scheme + host + tail
    quick = _PLAIN_WEB_URL.match(url)
    if quick is not None:
        parts = urlsplit(url)
        assert parts.scheme in ("http", "https") and parts.hostname == quick.group(1).lower()
