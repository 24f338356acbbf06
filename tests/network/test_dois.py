"""resolve_dois against the Crossref and doi.org look-alikes: batching, pools, retries, the registry, the cache."""

from __future__ import annotations

import math
import threading
from pathlib import Path
from urllib.parse import quote

import pytest

from citecheck.cache import Cache
from citecheck.config import load
from citecheck.remote.crossref import URL_LIMIT, CrossrefClient
from citecheck.remote.dois import resolve_dois
from tests.conftest import write_site
from tests.servers.crossref import CrossrefServer
from tests.servers.doiorg import DoiOrgServer
from tests.servers.records import synthetic, work

WORKS = synthetic(400)
DOIS = [w["DOI"] for w in WORKS]


@pytest.fixture
def crossref():
    with CrossrefServer(WORKS, recorded=False) as server:
        yield server


@pytest.fixture
def doiorg():
    with DoiOrgServer() as server:
        yield server


@pytest.fixture
def setup(tmp_path, crossref, doiorg):
    """config(...) -> a Config for a site pointing at the look-alikes; cache() -> a Cache on its file."""
    cache_path = tmp_path / "cache" / "cache.db"

    def config(mailto: str | None = "team@example.org", crossref_url: str | None = None, **network):
        network = {"retries": 2, "backoff": 0.05, "max-wait": 3, **network}
        lines = ["[crossref]", f'base-url = "{crossref_url or crossref.url}"']
        lines += [f'mailto = "{mailto}"'] if mailto else []
        lines += ["[doi]", f'resolver-url = "{doiorg.url}"', "[network]"]
        lines += [f"{key} = {value}" for key, value in network.items()]
        lines += ["[cache]", f'path = "{cache_path}"']
        return load(write_site(tmp_path / "site", {}, "\n".join(lines)))

    def cache() -> Cache:
        return Cache(cache_path)

    return config, cache


@pytest.mark.parametrize("mailto, concurrency", [("team@example.org", 3), (None, 1)])
def test_one_request_per_batch_within_the_pool_then_none_from_a_warm_cache(setup, crossref, doiorg, mailto,
                                                                           concurrency):
    crossref.latency = 0.05
    config, cache = setup
    config = config(mailto)
    batches = CrossrefClient(config).batches(sorted(DOIS))
    seen = []
    answers = resolve_dois(DOIS, config, cache(), lambda done, total: seen.append((done, total)))

    assert {doi: a.status for doi, a in answers.items()} == dict.fromkeys(DOIS, "found")
    assert answers[DOIS[7]].record["title"] == ["Synthetic study number 7"]
    assert len(batches[0]) >= 50
    assert crossref.count("/works") == len(batches) == math.ceil(len(DOIS) / len(batches[0]))
    assert crossref.count() == len(batches) and doiorg.count() == 0
    assert crossref.max_in_flight <= concurrency and crossref.count(status=429) == 0
    assert seen[-1] == (len(DOIS), len(DOIS))
    # Batches fill the URL up to the limit, all but one (the rest); requests in flight together arrive
    # in any order.
    urls = sorted(len(crossref.url) + len(hit.raw) for hit in crossref.hits_for("/works"))
    cost = len(quote(f"doi:{DOIS[0]},", safe=""))
    assert urls[-1] <= URL_LIMIT and min(urls[1:] or [URL_LIMIT]) > URL_LIMIT - 2 * cost
    assert all(("mailto:" in hit.headers["User-Agent"]) == bool(mailto) for hit in crossref.log)

    again = resolve_dois(DOIS, config, cache())
    assert again == answers and crossref.count() == len(batches)


def test_429_with_retry_after_then_success_ends_found(setup, crossref):
    config, cache = setup
    crossref.fail_first(1, 429)
    answers = resolve_dois(DOIS[:5], config(), cache())
    assert {a.status for a in answers.values()} == {"found"}
    assert crossref.count("/works", status=429) == 1 and crossref.count("/works", status=200) == 1


@pytest.mark.parametrize("status", [500, 503, None])
def test_crossref_down_leaves_every_doi_unverified_and_uncached(setup, crossref, doiorg, status):
    config, cache = setup
    crossref.retry_after = 0
    if status is None:  # nothing listening at all
        with CrossrefServer() as gone:
            url = gone.url
        config = config(crossref_url=url, retries=1)
    else:
        crossref.down = status
        config = config(retries=1)
    store = cache()
    answers = resolve_dois(DOIS, config, store)

    assert {a.status for a in answers.values()} == {"unverified"}
    reasons = {a.reason for a in answers.values()}
    assert all(r.startswith("Crossref: ") for r in reasons)
    assert all((f"HTTP {status}" if status else "connection failed") in r for r in reasons)
    assert store.answers("doi", DOIS) == {}
    assert doiorg.count() == 0
    if status:
        assert crossref.count("/works") == 2 * len(CrossrefClient(config).batches(DOIS))


def test_dois_missing_from_the_batch_are_asked_of_the_registry(setup, crossref, doiorg):
    lagging, withdrawn, datacite, gone = "10.5555/lagging", "10.5555/withdrawn", "10.5061/dryad.x1", "10.5555/gone"
    crossref.add(work(lagging, title="Indexed late"))
    crossref.unlisted.add(lagging)
    doiorg.register("Crossref", lagging, withdrawn)
    doiorg.register("DataCite", datacite)
    config, cache = setup
    answers = resolve_dois([DOIS[0], lagging, withdrawn, datacite, gone], config(), cache())

    assert answers[DOIS[0]].status == "found"
    assert (answers[lagging].status, answers[lagging].record["title"]) == ("found", ["Indexed late"])
    assert answers[withdrawn].status == "unverified" and "Crossref" in answers[withdrawn].reason
    assert (answers[datacite].status, answers[datacite].agency) == ("other-agency", "DataCite")
    assert answers[gone].status == "not-found"
    assert crossref.count("/works") == 1 and doiorg.count(prefix="/doiRA/") == 1
    assert sorted(hit.path for hit in crossref.log if hit.path != "/works") == [
        f"/works/{lagging}", f"/works/{withdrawn}"]


def test_registry_statuses_invalid_and_unknown(setup, doiorg):
    doiorg.unknown.add("10.5555/odd")
    config, cache = setup
    answers = resolve_dois(["10.5555/odd", "10.5555/"], config(), cache())
    assert answers["10.5555/"].status == "not-found"
    assert answers["10.5555/odd"].status == "unverified"


def test_a_doi_with_a_comma_never_rides_in_a_filter(setup, crossref, doiorg):
    odd = "10.5555/a,b"
    crossref.add(work(odd, title="Comma"))
    doiorg.register("Crossref", odd)
    config, cache = setup
    answers = resolve_dois([odd, DOIS[0]], config(), cache())
    assert {doi: a.status for doi, a in answers.items()} == {odd: "found", DOIS[0]: "found"}
    assert crossref.count(status=400) == 0
    assert doiorg.count(f"/api/handles/{odd}") == 1 and crossref.count(f"/works/{odd}") == 1


def test_an_awkward_doi_reaches_the_single_work_route_intact(setup, crossref, doiorg):
    odd = "10.5555/x#1?y=2 z"
    crossref.add(work(odd, title="Awkward"))
    crossref.unlisted.add(odd)
    doiorg.register("Crossref", odd)
    config, cache = setup
    answers = resolve_dois([odd], config(), cache())
    assert answers[odd].status == "found" and crossref.count(f"/works/{odd}") == 1


def test_mixed_case_dois_come_back_keyed_lower_case(setup, crossref):
    config, cache = setup
    asked = [DOIS[0].upper(), DOIS[1].replace("cc", "CC")]
    answers = resolve_dois(asked, config(), cache())
    assert {doi: a.status for doi, a in answers.items()} == {DOIS[0]: "found", DOIS[1]: "found"}


def test_two_runs_sharing_one_cache_file_at_once(setup, crossref):
    config, cache = setup
    config = config()
    start = threading.Barrier(2)
    results: list[dict] = []
    errors: list[BaseException] = []

    def run(dois: list[str]) -> None:
        store = cache()
        start.wait()
        try:
            results.append(resolve_dois(dois, config, store))
        except BaseException as exc:  # reported below, with the thread's failure
            errors.append(exc)
        finally:
            store.close()

    threads = [threading.Thread(target=run, args=(DOIS[:300],)), threading.Thread(target=run, args=(DOIS[100:],))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert all({a.status for a in answers.values()} == {"found"} for answers in results) and len(results) == 2
    assert set(Cache(Path(config.get("cache.path"))).answers("doi", DOIS)) == set(DOIS)
