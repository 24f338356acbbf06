"""The shortcodes a page calls, as the site index needs them: every call named, content-path
and `id` arguments kept, whatever the arguments hold."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.parse.page import parse_page

_NAME = st.from_regex(r"[a-z][a-z0-9_-]{0,8}(/[a-z][a-z0-9_-]{0,8})?", fullmatch=True)
_ARG = st.one_of(
    st.text(alphabet=st.characters(blacklist_characters='"\\{}', blacklist_categories=("Cs",)), max_size=12)
    .map(lambda s: f'"{s}"'),
    st.from_regex(r"[a-z]+=\"[^\"{}\\\\]*\"", fullmatch=True),
    st.from_regex(r"`[^`{}]*`", fullmatch=True),
    st.from_regex(r"[/a-z_.-]{1,12}", fullmatch=True),
)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(_NAME, st.lists(_ARG, max_size=3), st.sampled_from("<%")), min_size=1, max_size=4))
def test_every_call_is_found_and_its_content_paths_kept(calls):
    body = "\n\n".join("{{" + f"{mark} {name} {' '.join(args)} {'>' if mark == '<' else '%'}" + "}}"
                       for name, args, mark in calls)
    page = parse_page("a.md", ("---\ntitle: x\n---\n" + body + "\n").encode("utf-8"))
    assert {name for name, _ in page.shortcodes} == {name for name, _, _ in calls}
    for name, paths in page.shortcodes:
        # content paths (a file a shortcode may read in: Markdown or HTML), and the `id` argument as `#value`
        assert all("/" in path or path.endswith((".md", ".html", ".htm")) or path.startswith("#") for path in paths)


def test_closing_tags_and_commented_calls_are_not_calls():
    page = parse_page("a.md", b'{{< def id="x" >}}t{{< /def >}} {{</* include "/a.md" */>}} {{% include "" %}}\n'
                              b'{{% include "/_common/b.md" %}}\n```\n{{< include `c/d` >}}\n```\n')
    assert page.shortcodes == [("def", ["#x"]), ("include", []), ("include", ["/_common/b.md"]), ("include", ["c/d"])]
