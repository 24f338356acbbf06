"""Choosing and applying fixes, against the plain quadratic definitions they replace.

`choose` keeps a fix unless one of its edits overlaps an edit already taken (insertions collide
only strictly inside a range); `apply_edits` makes the chosen edits in one pass. Both are compared
with the obvious implementation on generated edits: many fixes, overlapping, nested, insertions
at the same point, fixes with several edits.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.fix import _overlap, apply_edits, choose
from citecheck.model import Edit, Finding, Fix


def reference_choose(findings: list[Finding], unsafe: bool) -> list[Fix]:
    taken: list[tuple[int, int]] = []
    chosen = []
    for finding in sorted(findings, key=lambda f: (f.start, f.code)):
        fix = finding.fix
        if fix is None or (fix.applicability == "unsafe" and not unsafe):
            continue
        spans = [(e.start, e.end) for e in fix.edits]
        if any(_overlap(a, b) for a in spans for b in taken):
            continue
        taken.extend(spans)
        chosen.append(fix)
    return chosen


def reference_apply(data: bytes, edits: list[Edit]) -> bytes:
    out = data
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        out = out[: edit.start] + edit.text.encode("utf-8") + out[edit.end :]
    return out


SIZE = 80
EDIT = st.tuples(st.integers(0, SIZE), st.sampled_from([0, 0, 1, 3, 8]), st.sampled_from(["", "x", "yé", "zz"]))
FIX = st.tuples(st.lists(EDIT, min_size=1, max_size=3), st.sampled_from(["safe", "safe", "unsafe"]))


def build(drawn) -> list[Finding]:
    out = []
    for raw_edits, safety in drawn:
        edits: list[Edit] = []
        for start, length, text in raw_edits:  # a fix's own edits are disjoint
            edit = Edit(start, min(start + length, SIZE), text)
            if not any(_overlap((edit.start, edit.end), (e.start, e.end)) for e in edits):
                edits.append(edit)
        first = min(e.start for e in edits)
        out.append(Finding("X001", "x", "error", "a.md", 1, 1, 1, 1, "m", fix=Fix(edits, safety, "d"),
                           start=first, end=first))
    return out


@settings(max_examples=200, deadline=None)
@given(drawn=st.lists(FIX, max_size=30), unsafe=st.booleans())
def test_choose_and_apply_match_the_plain_definitions(drawn, unsafe):
    found, data = build(drawn), bytes(range(SIZE))
    chosen = choose(found, unsafe)
    assert [id(f) for f in chosen] == [id(f) for f in reference_choose(found, unsafe)]
    chosen_edits = [e for fix in chosen for e in fix.edits]
    assert apply_edits(data, chosen_edits) == reference_apply(data, chosen_edits)


def test_sixty_thousand_adjacent_fixes_are_all_chosen_and_applied():
    count = 60_000
    data = b"ab" * count
    found = [Finding("X001", "x", "error", "a.md", 1, 1, 1, 1, "m", start=2 * i, end=2 * i + 1,
                     fix=Fix([Edit(2 * i, 2 * i + 1, "A")], "safe", "d")) for i in range(count)]
    chosen = choose(found, unsafe=False)
    assert len(chosen) == count
    assert apply_edits(data, [e for fix in chosen for e in fix.edits]) == b"Ab" * count
