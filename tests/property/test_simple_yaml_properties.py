"""The direct reading of simple YAML front matter gives what PyYAML gives, or leaves the document
to PyYAML: generated front matter in the usual shape, with one damaged or unusual line or none."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.parse import simple_yaml
from citecheck.parse.frontmatter import _yaml_loader

GOOD_KEYS = ["title", "slug", "date", "tags", "aliases", "_x", "y", "n", "k9", "onward", "x" * 200]
KEYS = st.sampled_from(GOOD_KEYS * 8 + ["yes", "No", "on", "null", "TRUE", "x" * 1100, "a b", "a-b", "1a"])
# Quoted text: mostly characters YAML reads unchanged, sometimes one it escapes, folds or refuses.
CHARACTERS = st.sampled_from(["a", " ", "#", ":", "-", "é", "’", "\U0001F600", "'", "&", "*", "!", "{", "%", "\xa0",
                              "\ufffd", "\ue000"] * 6
                             + ['"', "\\", "\t", "\x85", "\u2028", "\ufeff", "\x7f", "\x00", "\ufffe"])
QUOTED = st.lists(CHARACTERS, max_size=6).map(lambda chars: '"' + "".join(chars) + '"')
PLAIN = st.sampled_from(["2024-10-14", "2019-02-30", "0000-01-01", "2024-13-01", "0", "1", "123456789012345678",
                         "true", "false"] * 8 + ["2024-1-14", "2024-10-14T10:00:00", "012", "1_000", "1234567890123456789",
                         "-1", "1.5", "0x1F", "1:20", "True", "yes", "~", "null", "plain text", "'s'", "[1]",
                         "{a: 1}", '&a "x"', "*a", "!!str x", ""])
SCALAR = st.one_of(QUOTED, PLAIN)
ENTRY = st.one_of(
    st.tuples(KEYS, st.sampled_from([": ", ":  ", ": ", ":"]), SCALAR).map("".join),
    st.tuples(KEYS, st.sampled_from(["", "  ", "    "]), st.lists(SCALAR, max_size=3)).map(
        lambda t: "\n".join([t[0] + ":"] + [t[1] + "- " + item for item in t[2]])),
)
ODD_LINE = st.sampled_from(["", "# note", "  ", "---", "a: b: c", '  - "x"', "- 1", "...", "%YAML 1.1", ' title: "x"',
                            'title: "x" ', 'title: "x" # note', "title:\r", "-  1", 'title:"x"'])


@settings(max_examples=400, deadline=None)
@given(st.lists(ENTRY, min_size=1, max_size=6, unique_by=lambda entry: entry.split(":")[0]),
       st.one_of(st.none(), st.none(), st.tuples(st.integers(0, 6), ODD_LINE)))
def test_same_value_as_pyyaml_or_none(entries, odd):
    lines = "\n".join(entries).split("\n")
    if odd is not None:
        lines.insert(min(odd[0], len(lines)), odd[1])
    raw = "\n".join(lines) + "\n"
    got = simple_yaml.load(raw)
    if got is not None:
        want = yaml.load(raw, Loader=_yaml_loader())
        assert type(want) is dict and repr(got) == repr(want)


def test_the_usual_front_matter_is_read_directly():
    raw = ('title: "1 in 10 have it"\nslug: "one-in-ten"\naliases:\n  - "/1+in+10"\n  - "/684"\n'
           "tiki_page_id: 684\ndate: 2010-08-01\ndraft: false\ntags:\n")
    assert simple_yaml.load(raw) == yaml.load(raw, Loader=_yaml_loader())
    assert simple_yaml.load(raw) is not None
