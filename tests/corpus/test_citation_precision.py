"""DOI004's precision on the wiki's real citation blocks.

The posts are read from ../shared at test time (the tests marked `corpus`, run with `--corpus`);
the blocks citing recorded Crossref answers (tests/fixtures/crossref) run always. `records/` holds,
in Crossref's shape, the bibliographic facts of the papers those blocks cite (DOI, title, journal, dates, volume, issue,
pages or article number, authors), written the way Crossref writes them: full journal names with
`&amp;`, JATS tags in titles, Unicode hyphens and apostrophes, online and print dates apart.
Where a fact was not known for sure it is left out, as Crossref leaves out what a publisher did not
deposit. Every block cites its own paper correctly, so every DOI004 here would be a false alarm.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from citecheck import config as configlib
from citecheck.checks.base import Context
from citecheck.checks.metadata import MetadataMismatch
from citecheck.engine.catalog import load_catalog
from citecheck.parse.page import parse_page
from citecheck.remote.answers import DoiAnswer, Facts
from citecheck.text import bibliographic as bib
from tests.corpus.conftest import POSTS
from tests.servers.records import FIXTURES

RECORDS = {r["DOI"]: r for r in (json.loads(p.read_text(encoding="utf-8"))
                                 for p in (Path(__file__).parent / "records").glob("*.json"))}


@pytest.fixture(scope="module")
def blocks() -> list[tuple[str, bytes, object, object]]:
    """(post, source, page, citation) for every citation block that states something to compare."""
    out = []
    for path in sorted(POSTS.glob("*.md")):
        data = path.read_bytes()
        page = parse_page(path.name, data)
        for citation in page.citations:
            if citation.doi in RECORDS and _states_something(citation):
                out.append((path.name, data, page, citation))
    return out


def _states_something(citation) -> bool:
    line = bib.read_journal_line(citation.journal)
    return bool(citation.title or citation.authors or line.journal or line.year or line.volume)


@pytest.fixture(scope="module")
def judge(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    (root / "citecheck.toml").write_text("", encoding="utf-8")
    config = configlib.load(root)
    check = MetadataMismatch(load_catalog()["DOI004"], {})

    def run(data, page, citation, record) -> list:
        facts = Facts(dois={citation.doi: DoiAnswer("found", record)})
        one = copy.copy(page)
        one.citations = [citation]
        return list(check.check_remote(one, Context(None, data, config, facts=facts)))
    return run


@pytest.mark.corpus
def test_real_citation_blocks_verify_clean_against_their_records(blocks, judge):
    alarms = [(post, hit.values) for post, data, page, citation in blocks
              for hit in judge(data, page, citation, RECORDS[citation.doi])]
    print(f"\nDOI004 precision: {len(blocks)} real citation blocks checked, {len(alarms)} DOI004")
    assert len(blocks) >= 30
    assert alarms == []


@pytest.mark.corpus
def test_the_records_are_really_compared(blocks, judge):
    """A control: the same blocks against records with one fact changed must be reported, or the
    clean result above would prove nothing."""
    planted, caught = 0, 0
    for _, data, page, citation in blocks:
        record = RECORDS[citation.doi]
        line = bib.read_journal_line(citation.journal)
        changes = []
        if line.year:
            changes.append(("year", {key: {"date-parts": [[1950]]} for key in bib.DATE_FIELDS}))
        if line.volume and record.get("volume"):
            changes.append(("volume", {"volume": "999"}))
        if citation.title:
            changes.append(("title", {"title": ["Sodium restriction and blood pressure in hospital outpatients"],
                                      "subtitle": []}))
        for field, change in changes:
            planted += 1
            hits = judge(data, page, citation, {**record, **change})
            caught += any(hit.values["field"] == field for hit in hits)
    print(f"\nDOI004 on planted changes: {caught} of {planted} reported")
    assert planted >= 60 and caught == planted


# Blocks written in the wiki's PubMed style for papers whose real Crossref answers are recorded:
# (fixture, title, journal line, author line).
RECORDED = [
    ("works_10.1136_jclinpath-2020-206745.json",
     "Construction of a reference material panel for detecting KRAS/NRAS/EGFR/BRAF/MET mutations in plasma ctDNA.",
     "J Clin Pathol. 2021 May;74(5):314-320.", "Xu J1, Qu S2, Sun N1."),
    ("works_10.1038_srep16696.json",
     "Single-molecule FRET studies on alpha-synuclein oligomerization of Parkinson's disease genetically related mutants.",
     "Sci Rep. 2015 Nov 19;5:16696.", "Tosatto L1, Horrocks MH2, Dear AJ2."),
    ("works_10.1002_jor.1100150407.json",
     "Growth hormone secretagogue increases muscle strength during remobilization after canine hindlimb immobilization.",
     "J Orthop Res. 1997 Jul;15(4):519-27.", "Lieber RL1, Jacks TM2, Mohler RL1."),
    ("works_10.1016_j.neurobiolaging.2010.03.024.json",
     "Human umbilical cord blood-derived mesenchymal stem cells improve neuropathology and cognitive impairment in an "
     "Alzheimer's disease mouse model through modulation of neuroinflammation.",
     "Neurobiol Aging. 2012 Mar;33(3):588-602.", "Lee HJ1, Lee JK1, Lee H2."),
    ("works_10.1136_esmoopen-2020-000776.json",
     "Phase II study of lenvatinib for metastatic colorectal cancer refractory to standard chemotherapy: the LEMON study (NCCH1503).",
     "ESMO Open. 2020;5(4):e000776.", "Iwasa S1, Okita N1, Kuchiba A2."),
    ("works_10.1371_journal.pone.0020476.json",
     "Using and reporting the Delphi method for selecting healthcare quality indicators: a systematic review.",
     "PLoS One. 2011;6(6):e20476.", "Boulkedid R1, Abdoul H2, Loustau M1."),
    ("works_10.3892_ijo_00000353.json",
     "Human bladder cancer cells undergo cisplatin-induced apoptosis that is associated with p53-dependent and "
     "p53-independent responses.", "Int J Oncol. 2009 Jun 26.", "Stravopodis D1, Papas K2."),
    ("works_10.1109_icdcsw.2003.1203662.json", "", "2003 Proceedings. 2003;1:1.", ""),
]


@pytest.mark.parametrize("fixture, title, journal, authors", RECORDED)
def test_recorded_crossref_answers_verify_blocks_citing_them(judge, fixture, title, journal, authors):
    record = json.loads((FIXTURES / fixture).read_text(encoding="utf-8"))["message"]
    doi = record["DOI"]
    body = (f"#### {title}\n\n" if title else "") + f"{journal} [doi: {doi}](https://doi.org/{doi})\n\n{authors}\n"
    data = ("---\ntitle: Example\n---\n\n" + body).encode("utf-8")
    page = parse_page("post.md", data)
    [citation] = page.citations
    assert judge(data, page, citation, record) == []
