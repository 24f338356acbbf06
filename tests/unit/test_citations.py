"""Citation blocks found by the parser, on fresh Markdown in the wiki's shapes."""

from __future__ import annotations

import pytest

from citecheck.engine.codec import decode_parts, encode_parts
from citecheck.parse.page import parse_page

FRONT = "---\ntitle: Example\ndate: 2021-03-04\n---\n\n"


def parse(body: str):
    return parse_page("post.md", (FRONT + body).encode("utf-8"))


def cite(doi: str, written: str | None = None) -> str:
    """The wiki's DOI link; `written` as the text and href say it (a captured period, say)."""
    written = written or doi
    return f"[doi: {written}](https://doi.org/{written})"


@pytest.mark.parametrize("body, doi, title, authors", [
    pytest.param("Some words about the paper.\n\n#### Zinc intake and sleep quality in shift workers.\n\n"
                 f"Sleep Med. 2020 Mar 3;68(2):101-109. {cite('10.1016/j.sleep.2020.01.004')}\n\n"
                 "Okafor B1,2, Lindqvist E2, Moreau C3.\n\n1 Department of Occupational Health, Example University.\n",
                 "10.1016/j.sleep.2020.01.004", "Zinc intake and sleep quality in shift workers.",
                 "Okafor B1,2, Lindqvist E2, Moreau C3.", id="pubmed paste"),
    pytest.param(" **Magnesium status of older adults in two cohorts** \n\n"
                 f"Nutr J. 2021 Jun 2. {cite('10.1186/s12937-021-00700-1')}\n\nAna Pereira 1, Kofi Mensah 2, Li Wei 1\n",
                 "10.1186/s12937-021-00700-1", "Magnesium status of older adults in two cohorts",
                 "Ana Pereira 1, Kofi Mensah 2, Li Wei 1", id="bold title, given-family authors"),
    pytest.param("#### Iron and fatigue in runners.\n\nHaddad R1, Novak P2.\n\n"
                 f"J Sports Sci. 2018;36(4):400-407. {cite('10.1080/02640414.2017.1313999')}\n",
                 "10.1080/02640414.2017.1313999", "Iron and fatigue in runners.", "Haddad R1, Novak P2.",
                 id="authors above"),
    pytest.param("#### Vitamin K and arterial stiffness.\n\nAtherosclerosis. 2017 Dec 1;267:41-48. "
                 f"{cite('', '10.1016/j.atherosclerosis.2017.10.014.')} Epub 2017 Oct 12.\n",
                 "10.1016/j.atherosclerosis.2017.10.014", "Vitamin K and arterial stiffness.", "",
                 id="href with a trailing period"),
    pytest.param("#### What the press release said\n\nThe company announced that the trial, run over three years in "
                 "four hospitals with several hundred patients on dialysis and published in a kidney journal this "
                 f"spring, met its endpoint {cite('10.1093/ndt/gfx001')} according to the authors.\n",
                 "10.1093/ndt/gfx001", "", "", id="a DOI in a sentence has no block"),
    pytest.param("#### A letter to the editor about the groups\n\n **[Treatment of deficiency in school children]"
                 "(https://onlinelibrary.wiley.com/doi/full/10.1111/jpc.99999)** _\n",
                 "10.1111/jpc.99999", "", "", id="a link whose text is a title takes no heading"),
])
def test_block_lines_are_found(body, doi, title, authors):
    [citation] = parse(body).citations
    assert (citation.doi, citation.title, citation.authors) == (doi, title, authors)
    assert citation.journal  # the line holding the DOI, whatever it holds


def test_authors_start_is_the_byte_offset_of_the_line_as_written():
    body = ("#### Selenium and thyroid function.\n\n"
            "Thyroid. 2019 May;29(5):700-8. [doi: 10.1089/thy.2018.0541](https://doi.org/10.1089/thy.2018.0541)\n\n"
            "Åström K1, Dvořák M2, Øster L1.\n")
    data = (FRONT + body).encode("utf-8")
    [citation] = parse_page("post.md", data).citations
    start = citation.authors_start
    assert data[start:start + len(citation.authors.encode("utf-8"))].decode("utf-8") == "Åström K1, Dvořák M2, Øster L1."


def test_several_citations_in_one_post_do_not_borrow_each_others_lines():
    page = parse(
        "#### First paper on calcium absorption.\n\n"
        "Bone. 2019 Feb 1;120:1-8. [doi: 10.1016/j.bone.2018.11.001](https://doi.org/10.1016/j.bone.2018.11.001)\n\n"
        "Tanaka H1, Berg S2.\n\n"
        "Osteoporos Int. 2019 Mar;30(3):500-9. [doi: 10.1007/s00198-018-4790-4](https://doi.org/10.1007/s00198-018-4790-4)\n\n"
        "---\n\n"
        " **Third paper, bold title** \n\n"
        "Nutrients 2020, 12(3), 815; doi:10.3390/nu12030815\n"
    )
    first, second, third = page.citations
    assert (first.title, first.authors) == ("First paper on calcium absorption.", "Tanaka H1, Berg S2.")
    # The second DOI's nearest lines are the first citation's: it gets no title, and no authors.
    assert (second.title, second.authors) == ("", "")
    assert third.doi == "10.3390/nu12030815"
    assert third.title == "Third paper, bold title"
    assert third.journal.startswith("Nutrients 2020, 12(3), 815;")


def test_citations_in_lists_and_tables_are_found_without_borrowed_titles():
    page = parse(
        "#### Further reading\n\n"
        "* Omega-3 and mood - 2016 [doi: 10.3945/jn.115.000001](https://doi.org/10.3945/jn.115.000001)\n"
        "* Another review, see https://doi.org/10.3390/nu9111111 free PDF\n\n"
        "| Study | Link |\n|---|---|\n| Trial of D3 | doi:10.1136/bmj.l1234 |\n"
    )
    assert [c.doi for c in page.citations] == ["10.3945/jn.115.000001", "10.3390/nu9111111", "10.1136/bmj.l1234"]
    assert all(c.title == "" and c.authors == "" for c in page.citations)
    assert "Omega-3 and mood" in page.citations[0].journal


def test_nothing_inside_code_or_pre_is_cited():
    page = parse(
        "Inline `doi:10.1000/in.code` and <code>10.1000/in.html.code</code> are not citations.\n\n"
        "```\n#### Title\nJ Test. 2020;1(1):1. doi: 10.1000/in.fence\n```\n\n"
        "<pre><code>Markdown: [doi: 10.1000/in.dump](https://doi.org/10.1000/in.dump)</code></pre>\n\n"
        "But doi: 10.1000/real.one is.\n"
    )
    assert [c.doi for c in page.citations] == ["10.1000/real.one"]


def test_link_text_and_href_naming_one_doi_are_one_mention():
    page = parse("[doi: 10.1093/ajcn/nqz001](https://doi.org/10.1093/ajcn/nqz001) and "
                 "<a href=\"https://dx.doi.org/10.1093/ajcn/nqz002\">10.1093/ajcn/nqz002</a>\n")
    assert [c.doi for c in page.citations] == ["10.1093/ajcn/nqz001", "10.1093/ajcn/nqz002"]


def test_publisher_urls_and_doi_scheme_are_mentions():
    page = parse("See https://link.springer.com/article/10.1007/s00394-020-02222-2 and [x](doi:10.1002/jbmr.3000).\n")
    assert sorted(c.doi for c in page.citations) == ["10.1002/jbmr.3000", "10.1007/s00394-020-02222-2"]


def test_citations_survive_the_light_page_form():
    page = parse(
        "#### Iron and fatigue in runners.\n\n"
        "J Sports Sci. 2018;36(4):400-407. [doi: 10.1080/02640414.2017.1313999](https://doi.org/10.1080/02640414.2017.1313999)\n\n"
        "Haddad R1, Novak P2.\n"
    )
    assert decode_parts(*encode_parts(page)).citations == page.citations


@pytest.mark.parametrize("written, linked", [
    ("Editorial doi:http://dx.doi.org/10.1212/WNL.0000000000002487.", False),  # linkify leaves it as text
    ("Editorial https://doi.org/10.1212/WNL.0000000000002487.", True),
])
def test_a_doi_in_a_resolver_url_is_cited_whether_or_not_it_becomes_a_link(written, linked):
    page = parse(written + "\n")
    [citation] = page.citations
    assert citation.doi == "10.1212/wnl.0000000000002487"
    url = written[written.index("http"):-1]
    start = len(FRONT.encode()) + written.index("http")
    assert (citation.start, citation.end) == (start, start + len(url))
    assert [link.url for link in page.links] == ([url] if linked else [])
