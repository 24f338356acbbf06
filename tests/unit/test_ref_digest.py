"""The digest of what the site index takes from a page decides whether a saved index can be
reused: it must depend on the page's facts alone, never on how many references to them exist
(a check holding on to a front matter value must not make the next run rebuild the index)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.engine.pages import ref_digest
from citecheck.model import Heading, Page

_text = st.text(min_size=2, max_size=12)


def _fresh(value):
    """An equal value made of new objects, each referenced once (as a parser hands them over)."""
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass").decode("utf-8", "surrogatepass")
    if isinstance(value, list):
        return [_fresh(v) for v in value]
    return {_fresh(k): _fresh(v) for k, v in value.items()}


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(_text, st.one_of(_text, st.lists(_text, max_size=4)), min_size=1, max_size=6),
       st.lists(_text, max_size=5))
def test_the_digest_ignores_who_else_holds_the_facts(front_matter, anchors):
    def page():
        fresh = _fresh(anchors)
        return Page(path="a.md", rel="content/a.md", digest="k", size=1, front_matter=_fresh(front_matter),
                    headings=[Heading(2, "", a, 0, 0) for a in fresh], html_ids=_fresh(anchors))

    first = page()
    before = ref_digest(first)
    held = [*first.front_matter.values(), *first.front_matter.keys(), *first.html_ids]  # a check keeps them
    assert held and ref_digest(first) == before == ref_digest(page())
