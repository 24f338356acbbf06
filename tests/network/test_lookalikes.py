"""The look-alikes answer as the recorded Crossref and doi.org responses do, and enforce the limits."""

from __future__ import annotations

import json
import threading

import httpx2
import pytest

from tests.servers.crossref import CrossrefServer
from tests.servers.doiorg import DoiOrgServer
from tests.servers.records import recorded, work

POLITE = {"User-Agent": "python-httpx2/2 habanero/2 (mailto:team@example.org)"}
LIMIT_HEADERS = ("x-api-pool", "x-rate-limit-limit", "x-rate-limit-interval", "x-concurrency-limit", "content-type",
                 "server", "access-control-allow-origin")


@pytest.fixture
def crossref():
    with CrossrefServer([work("10.1000/Mixed.Case", title="A title", journal="A journal", year=2020)]) as server:
        yield server


def test_single_work_is_the_recorded_body_and_headers(crossref):
    status, headers, body = recorded("works_10.1371_journal.pone.0033693")
    response = httpx2.get(f"{crossref.url}/works/10.1371/journal.pone.0033693")
    assert response.status_code == status
    assert response.content == body
    assert {k: response.headers[k] for k in LIMIT_HEADERS} == {k: headers[k] for k in LIMIT_HEADERS}


def test_polite_pool_headers_follow_the_mailto_in_the_user_agent(crossref):
    _, headers, _ = recorded("works_10.1016_j.neurobiolaging.2010.03.024")
    response = httpx2.get(f"{crossref.url}/works/10.1016/J.NEUROBIOLAGING.2010.03.024", headers=POLITE)
    assert response.json()["message"]["DOI"] == "10.1016/j.neurobiolaging.2010.03.024"
    assert {k: response.headers[k] for k in LIMIT_HEADERS} == {k: headers[k] for k in LIMIT_HEADERS}


def test_unknown_doi_is_the_recorded_plain_text_404(crossref):
    status, headers, body = recorded("works_404_10.1371_notarealdoi")
    response = httpx2.get(f"{crossref.url}/works/10.1371/notarealdoi")
    assert (response.status_code, response.content, response.headers["content-type"]) == (
        status, body, headers["content-type"])


def test_doi_filters_are_ored_case_insensitive_limited_and_projected(crossref):
    _, _, body = recorded("list_works_query-ecology_select-DOI-title")
    shape = json.loads(body)
    dois = ["10.1000/mixed.case", "10.1371/JOURNAL.PONE.0033693", "10.1038/srep16696", "10.9999/absent"]
    response = httpx2.get(f"{crossref.url}/works", params={
        "filter": ",".join(f"doi:{d}" for d in dois), "rows": "3", "select": "DOI,title"})
    answer = response.json()
    assert list(answer) == list(shape) and answer["message-type"] == "work-list"
    assert list(answer["message"]) == list(shape["message"])
    assert answer["message"]["total-results"] == 3
    items = answer["message"]["items"]
    assert {item["DOI"] for item in items} == {"10.1000/mixed.case", "10.1371/journal.pone.0033693",
                                               "10.1038/srep16696"}
    assert all(set(item) == {"DOI", "title"} for item in items)
    assert b"10.1000\\/mixed.case" in response.content  # slashes escaped as Crossref does
    fewer = httpx2.get(f"{crossref.url}/works", params={"filter": ",".join(f"doi:{d}" for d in dois), "rows": "1"})
    assert len(fewer.json()["message"]["items"]) == 1 and fewer.json()["message"]["total-results"] == 3


def test_bad_parameters_get_the_recorded_validation_failure_shape(crossref):
    _, _, body = recorded("works_400_field-query-on-doi-route")
    shape = json.loads(body)
    for params in ({"filter": "doi:10.1/a,b"}, {"rows": "1001"}, {"select": "DOI,nonsense"}):
        response = httpx2.get(f"{crossref.url}/works", params=params)
        answer = response.json()
        assert response.status_code == 400, params
        assert (answer["status"], answer["message-type"]) == (shape["status"], shape["message-type"])
        assert all(set(problem) == set(shape["message"][0]) for problem in answer["message"])


def test_over_the_concurrency_limit_is_429_with_retry_after():
    with CrossrefServer(latency=0.5, concurrency=1, rate=100) as server:
        start = threading.Barrier(4)
        answers = []

        def ask() -> None:
            start.wait()
            answers.append(httpx2.get(f"{server.url}/works/10.1038/srep16696"))

        threads = [threading.Thread(target=ask) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    statuses = sorted(a.status_code for a in answers)
    assert statuses[0] == 200 and statuses[-1] == 429
    assert all(a.headers["retry-after"] == "1" for a in answers if a.status_code == 429)
    assert server.count(status=429) == statuses.count(429)


def test_over_the_rate_is_429():
    # One client, one connection: the four requests follow each other far faster than the bucket
    # refills (a client per request spends longer building its TLS context than that).
    with CrossrefServer(rate=2) as server, httpx2.Client() as client:
        statuses = [client.get(f"{server.url}/works/10.1038/srep16696").status_code for _ in range(4)]
    assert statuses[:2] == [200, 200] and 429 in statuses[2:]


def test_down_and_fail_first_knobs(crossref):
    crossref.fail_first(2, 500)
    statuses = [httpx2.get(f"{crossref.url}/works/10.1038/srep16696", headers=POLITE).status_code for _ in range(3)]
    assert statuses == [500, 500, 200]
    crossref.down = 503
    assert httpx2.get(f"{crossref.url}/works/10.1038/srep16696", headers=POLITE).status_code == 503
    assert crossref.count("/works/10.1038/srep16696") == 4
    assert crossref.count("/works/10.1038/srep16696", status=200) == 1


def test_doi_ra_answers_each_doi_in_the_real_shape():
    with DoiOrgServer({"10.5061/dryad.X": "DataCite"}, unknown=["10.1000/odd"]) as doiorg:
        doiorg.register("Crossref", "10.1038/srep16696")
        answer = httpx2.get(f"{doiorg.url}/doiRA/10.5061/DRYAD.x,10.1038/srep16696,10.1000/gone,"
                            "not-a-doi,10.1000/odd").json()
        assert answer == [{"DOI": "10.5061/DRYAD.x", "RA": "DataCite"}, {"DOI": "10.1038/srep16696", "RA": "Crossref"},
                          {"DOI": "10.1000/gone", "status": "DOI does not exist"},
                          {"DOI": "not-a-doi", "status": "Invalid DOI"}, {"DOI": "10.1000/odd", "status": "Unknown"}]
        found = httpx2.get(f"{doiorg.url}/api/handles/10.1038/srep16696")
        missing = httpx2.get(f"{doiorg.url}/api/handles/10.1000/gone")
        assert (found.status_code, found.json()["responseCode"], found.json()["handle"]) == (
            200, 1, "10.1038/srep16696")
        assert (missing.status_code, missing.json()) == (404, {"responseCode": 100, "handle": "10.1000/gone"})
        assert doiorg.count(prefix="/doiRA/") == 1 and doiorg.count(prefix="/api/handles/") == 2
