"""DOI004 (citation block vs the DOI's record) and ENC001's record-assisted half, judged on pages
parsed from fresh Markdown with answers as the resolver hands them over. No network."""

from __future__ import annotations

import copy

import pytest

from citecheck import config as configlib
from citecheck.checks.base import Context
from citecheck.checks.encoding import MojibakeAuthorName
from citecheck.checks.metadata import MetadataMismatch
from citecheck.engine.catalog import load_catalog
from citecheck.parse.page import parse_page
from citecheck.remote.answers import DoiAnswer, Facts

DOI = "10.1371/journal.pone.0123456"
FRONT = "---\ntitle: Example\ndate: 2020-01-01\n---\n\n"
BLOCK = (
    "#### {title}\n\n"
    "{journal} [doi: {doi}](https://doi.org/{doi})\n\n"
    "{authors}\n"
)
WIKI = {
    "title": "Magnesium intake and bone density in postmenopausal women: a cohort study.",
    "journal": "PLoS One. 2019 Nov 14;14(11):e0123456.",
    "authors": "Haddad R1,2, Lindqvist E2, Moreau C3.",
    "doi": DOI,
}
RECORD = {
    "DOI": DOI,
    "type": "journal-article",
    "title": ["Magnesium intake and bone density in postmenopausal women: A cohort study"],
    "container-title": ["PLOS ONE"],
    "short-container-title": ["PLoS ONE"],
    "issued": {"date-parts": [[2019, 11, 14]]},
    "published-online": {"date-parts": [[2019, 11, 14]]},
    "volume": "14",
    "issue": "11",
    "article-number": "e0123456",
    "author": [
        {"given": "Rania", "family": "Haddad", "sequence": "first"},
        {"given": "Erik", "family": "Lindqvist", "sequence": "additional"},
        {"given": "Claire", "family": "Moreau", "sequence": "additional"},
    ],
}


@pytest.fixture(scope="module")
def config(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    (root / "citecheck.toml").write_text("", encoding="utf-8")
    return configlib.load(root)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def source(**block: str) -> bytes:
    return (FRONT + BLOCK.format(**{**WIKI, **block})).encode("utf-8")


def record(**changes) -> dict:
    out = copy.deepcopy(RECORD)
    for key, value in changes.items():
        out[key.replace("_", "-")] = value
    return out


def judge(config, catalog, data: bytes, work: dict | None, status: str = "found") -> list:
    page = parse_page("post.md", data)
    check = MetadataMismatch(catalog["DOI004"], {})
    facts = Facts(dois={DOI: DoiAnswer(status, work)})
    return list(check.check_remote(page, Context(None, data, config, facts=facts)))


def test_the_wikis_citation_style_verifies_clean(config, catalog):
    assert judge(config, catalog, source(), record()) == []


def test_one_ask_per_citation(config, catalog):
    data = source() + b"\nAnd again: doi:10.1000/other.one\n"
    page = parse_page("post.md", data)
    asks = list(MetadataMismatch(catalog["DOI004"], {}).asks(page, Context(None, data, config)))
    assert [a.key for a in asks] == [DOI, "10.1000/other.one"]


@pytest.mark.parametrize("field, change, shown, cited", [
    ("year", {"issued": {"date-parts": [[2017, 2, 1]]}, "published_online": None}, "2017", "2019"),
    ("journal", {"container_title": ["Nutrients"], "short_container_title": ["Nutrients"]}, "Nutrients", "PLoS One"),
    ("volume", {"volume": "15"}, "15", "14"),
    ("issue", {"issue": "3"}, "3", "11"),
    ("title", {"title": ["Sodium restriction and blood pressure in hospital outpatients"]},
     "Sodium restriction and blood pressure in hospital outpatients", WIKI["title"]),
    ("first author", {"author": [{"given": "Tomas", "family": "Berg", "sequence": "first"}] + RECORD["author"][1:]},
     "Tomas Berg", "Haddad R"),
])
def test_each_single_field_change_gives_one_finding_naming_it(config, catalog, field, change, shown, cited):
    data = source()
    [hit] = judge(config, catalog, data, record(**change))
    assert hit.values == {"field": field, "cited": cited, "record": shown}
    assert hit.subject == DOI
    assert hit.evidence == {"doi": DOI, "field": field, "cited": cited, "record": shown}
    assert data[hit.start:hit.end].decode("utf-8") == cited  # on the cited text, not on the DOI


def test_nothing_is_judged_unless_the_doi_was_found(config, catalog):
    wrong = record(volume="99")
    for status in ("not-found", "other-agency", "unverified"):
        assert judge(config, catalog, source(), wrong, status) == []


def test_fields_the_record_lacks_are_not_compared(config, catalog):
    sparse = record(volume=None, issue=None, container_title=[], short_container_title=[],
                    issued={"date-parts": [[None]]}, published_online=None, author=[])
    assert judge(config, catalog, source(), sparse) == []


def test_fields_the_citation_does_not_state_are_not_compared(config, catalog):
    data = source(journal="Preprint", authors="See the abstract below.")
    assert judge(config, catalog, data, record(volume="1", issue="2", container_title=["Other"])) == []


# Tolerance: what a record and a wiki write differently for the same paper.

def test_tags_and_entities_in_the_record_title(config, catalog):
    title = ["Magnesium intake &amp; bone density in <jats:italic>postmenopausal</jats:italic> women: a cohort study"]
    data = source(title="Magnesium intake & bone density in postmenopausal women: a cohort study")
    assert judge(config, catalog, data, record(title=title)) == []


def test_retracted_prefix_and_subtitle(config, catalog):
    work = record(title=["RETRACTED: Magnesium intake and bone density in postmenopausal women"],
                  subtitle=["a cohort study"])
    assert judge(config, catalog, source(), work) == []
    assert judge(config, catalog, source(title="Retracted: " + WIKI["title"]), record()) == []


def test_journal_abbreviation_against_the_full_name(config, catalog):
    data = source(journal="J Clin Endocrinol Metab. 2019 Nov 14;104(11):5000-5010.")
    work = record(container_title=["The Journal of Clinical Endocrinology &amp; Metabolism"], short_container_title=[],
                  volume="104")
    assert judge(config, catalog, data, work) == []
    dotted = source(journal="Front. Endocrinol., 14 November 2019 |")
    assert judge(config, catalog, dotted, record(container_title=["Frontiers in Endocrinology"],
                                                 short_container_title=[])) == []


def test_online_year_against_print_year(config, catalog):
    # Cited as an epub in December; the issue it went into is dated the next year.
    data = source(journal="Bone. 2018 Dec 20. pii: S8756-3282(18)30001-1.")
    work = record(issued={"date-parts": [[2019, 3]]}, published_print={"date-parts": [[2019, 3]]},
                  published_online={"date-parts": [[2018, 12, 20]]}, container_title=["Bone"])
    assert judge(config, catalog, data, work) == []
    print_only = record(issued={"date-parts": [[2019, 3]]}, published_online=None, container_title=["Bone"])
    assert judge(config, catalog, data, print_only) == []  # ahead of print: a year apart is the same paper


def test_article_number_in_place_of_pages(config, catalog):
    data = source(journal="PLoS ONE 14(11): e0123456.")
    assert judge(config, catalog, data, record(page=None)) == []
    mdpi = source(journal="Nutrients 2019, 14(11), 2538;")
    assert judge(config, catalog, mdpi, record(container_title=["Nutrients"], article_number="2538")) == []


def test_diacritics_mojibake_and_lost_letters_in_the_first_author(config, catalog):
    work = record(author=[{"given": "Fulya", "family": "Akçimen", "sequence": "first"}] + RECORD["author"][1:])
    for written in ("Akçimen F1", "Akcimen F1", "Ak√ßimen F1", "Ak?imen F1", "Fulya Akçimen 1"):
        data = source(authors=f"{written}, Lindqvist E2, Moreau C3.")
        assert judge(config, catalog, data, work) == [], written


def test_a_line_that_is_not_this_papers_authors_is_not_compared(config, catalog):
    data = source(authors="Pereira A1, Mensah K2, Wei L3.")  # none of them in the record
    assert judge(config, catalog, data, record()) == []


# ENC001 with the record's spelling.

AKCIMEN = record(author=RECORD["author"][:1] + [{"given": "Fulya", "family": "Akçimen", "sequence": "additional"}])


def enc001(config, catalog, data: bytes, work: dict | None, status: str = "found") -> tuple[list, list]:
    page = parse_page("post.md", data)
    check = MojibakeAuthorName(catalog["ENC001"], {})
    facts = Facts(dois={DOI: DoiAnswer(status, work)})
    offline = list(check.check(page, Context(None, data, config)))
    return offline, list(check.check_remote(page, Context(None, data, config, facts=facts)))


def test_a_name_lost_to_question_marks_is_fixed_from_the_record(config, catalog):
    data = source(authors="Haddad R1,2, Ak?imen F1,2, Moreau C3.")
    offline, [hit] = enc001(config, catalog, data, AKCIMEN)
    assert offline == []  # ftfy cannot mend a lost letter
    assert data[hit.start:hit.end] == b"Ak?imen"
    assert (hit.values["text"], hit.values["fixed"]) == ("Ak?imen", "Akçimen")
    assert hit.fix.applicability == "safe"
    [edit] = hit.fix.edits
    fixed = data[:edit.start] + edit.text.encode("utf-8") + data[edit.end:]
    assert "Haddad R1,2, Akçimen F1,2, Moreau C3." in fixed.decode("utf-8")


def test_mojibake_found_offline_is_replaced_at_the_same_span(config, catalog):
    data = source(authors="Haddad R1,2, Ak√ßimen F1,2, Moreau C3.")
    [offline], [remote] = enc001(config, catalog, data, AKCIMEN)
    assert (remote.start, remote.end) == (offline.start, offline.end)
    assert remote.values["fixed"] == "Akçimen"


def test_correct_names_and_unanswered_dois_give_nothing(config, catalog):
    assert enc001(config, catalog, source(authors="Haddad R1,2, Akçimen F1,2, Moreau C3."), AKCIMEN)[1] == []
    assert enc001(config, catalog, source(authors="Haddad R1,2, Ak?imen F1,2."), None, "unverified")[1] == []


def test_enc001_asks_only_for_citations_with_an_author_line(config, catalog):
    data = source() + b"\nAnd again: doi:10.1000/other.one\n"
    page = parse_page("post.md", data)
    asks = list(MojibakeAuthorName(catalog["ENC001"], {}).asks(page, Context(None, data, config)))
    assert [a.key for a in asks] == [DOI]
