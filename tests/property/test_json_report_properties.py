"""The JSON report is exactly what the json module's own encoder writes, one finding per line, for
generated findings: any text (control characters, lone surrogates, non-ASCII), evidence of any
shape (values JSON has no type for are written as their str), fixes and none, and fields that are
not the usual strings and numbers (None, booleans, large numbers)."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.model import Edit, Finding, Fix
from citecheck.report.json import finding_dict, render

TEXT = st.text(st.characters(categories=["Cs", "Cc", "Cf", "Lu", "Ll", "Lo", "Nd", "Po", "Zs", "So"]), max_size=12)
LEAVES = st.none() | st.booleans() | st.integers() | st.floats() | TEXT | st.frozensets(st.integers(), max_size=2)
VALUES = st.recursive(LEAVES, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
                      max_leaves=6)
EDITS = st.builds(Edit, st.integers(0, 99), st.integers(0, 99), TEXT)
FIXES = st.none() | st.builds(Fix, st.lists(EDITS, max_size=2), st.sampled_from(["safe", "unsafe"]), TEXT)
NUMBERS = st.integers(1, 10**6) | st.integers() | st.none() | st.booleans()
FINDINGS = st.builds(
    Finding, st.sampled_from(["LNK001", "ENC001", "DOI004"]), TEXT, st.sampled_from(["error", "warning"]), TEXT,
    NUMBERS, NUMBERS, NUMBERS, NUMBERS, TEXT, TEXT | st.none() | VALUES,
    st.dictionaries(TEXT, VALUES, max_size=3) | VALUES, FIXES)


@settings(max_examples=300, deadline=None)
@given(st.lists(FINDINGS, max_size=4))
def test_the_report_is_what_the_json_module_writes(findings):
    encode = json.JSONEncoder(ensure_ascii=False, default=str).encode
    expected = "[\n" + ",\n".join(encode(finding_dict(f)) for f in findings) + "\n]\n" if findings else "[]\n"
    assert render(findings) == expected
