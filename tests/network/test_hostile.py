"""Servers that never finish an answer: a run still ends, and each question they hold is NET001
with the reason. Crossref, doi.org and web hosts drip, stall, send endless headers or bodies, or
announce a gigabyte (tests/servers/base.py); the budgets are small so each run ends in seconds,
and the subprocess timeout only guards against a hang."""

from __future__ import annotations

import json

import pytest

from tests.conftest import run_cli, write_site
from tests.servers.crossref import CrossrefServer
from tests.servers.doiorg import DoiOrgServer
from tests.servers.hosts import WebHost, silent_port

DOI = "10.5555/hostile.1"
PAGE = "---\ntitle: A\n---\n\nSee [doi: {doi}](https://doi.org/{doi}).\n\n{links}\n"
NETWORK = "[network]\ntimeout = {timeout}\nretries = 1\nbackoff = 0.01\nmax-wait = 2\n"
HANG_GUARD = 60  # seconds; the runs below end in a few
TIMED_OUT = "timed out (no whole answer within"
# What each misbehaviour ends as, and the timeout it is given: a body sent at full speed must
# reach the size cap before the deadline, even on a busy machine.
OUTCOMES = {"drip": (0.5, TIMED_OUT), "stall": (0.5, TIMED_OUT), "endless-headers": (0.5, TIMED_OUT),
            "endless-body": (10, "response too large (over "), "huge-body": (0.5, "response too large (over ")}


def _run(root):
    done = run_cli("check", "--network", "--no-cache", "--format", "json", "--select", "NET,DOI,EXT", cwd=root,
                   timeout=HANG_GUARD)
    assert "Traceback" not in done.stderr, done.stderr
    return done, json.loads(done.stdout or "[]")


def _site(tmp_path, crossref, doiorg, timeout: float, links: str = "", remap: str = ""):
    config = (f"{remap}\n[crossref]\nbase-url = \"{crossref.url}\"\nmailto = \"ops@example.org\"\n"
              f"[doi]\nresolver-url = \"{doiorg.url}\"\n" + NETWORK.format(timeout=timeout))
    return write_site(tmp_path / "site", {"content/a.md": PAGE.format(doi=DOI, links=links)}, config)


@pytest.mark.parametrize("service", ["Crossref", "doi.org"])
@pytest.mark.parametrize("how", OUTCOMES)
def test_a_hostile_crossref_or_registry_leaves_the_dois_it_holds_unverified(tmp_path, how, service):
    timeout, reason = OUTCOMES[how]
    with CrossrefServer(recorded=False) as crossref, DoiOrgServer() as doiorg:
        hostile = crossref if service == "Crossref" else doiorg  # doi.org is asked what Crossref lacks
        hostile.hostile = how
        done, findings = _run(_site(tmp_path, crossref, doiorg, timeout))
    assert [(f["code"], f["line"]) for f in findings] == [("NET001", 5)], done.stdout
    assert f"{'' if hostile is crossref else 'not in Crossref; '}{service}: {reason}" in findings[0]["message"]
    assert done.returncode == 0  # NET001 is info: inconclusive never fails a run by default
    assert hostile.count() == (1 if "too large" in reason else 2)  # too large is not asked again


def test_a_crossref_whose_tls_handshake_never_ends_leaves_its_dois_unverified(tmp_path):
    silent = silent_port()
    with silent, CrossrefServer(recorded=False) as crossref, DoiOrgServer() as doiorg:
        root = _site(tmp_path, crossref, doiorg, 0.5)
        config = root / "citecheck.toml"
        config.write_text(config.read_text().replace(crossref.url, f"https://127.0.0.1:{silent.getsockname()[1]}"))
        done, findings = _run(root)
    assert [(f["code"], f["line"]) for f in findings] == [("NET001", 5)], done.stdout
    assert f"Crossref: {TIMED_OUT}" in findings[0]["message"]


def test_web_hosts_that_never_answer_are_unverified_and_bodies_are_never_waited_for(tmp_path):
    silent = silent_port()  # an https URL here stalls in the TLS handshake
    with silent, WebHost() as web, CrossrefServer(recorded=False) as crossref, DoiOrgServer() as doiorg:
        crossref.add({"DOI": DOI, "title": ["Hostile"], "type": "journal-article"})
        hows = ("stall", "endless-headers", "drip", "endless-body", "huge-body")
        links = "\n\n".join(f"[{how}](https://web.example.org/hostile/{how})" for how in hows)
        links += "\n\n[handshake](https://tls.example.org/a.pdf)"
        remap = json.dumps([["https://web.example.org/", web.url + "/"],
                            ["https://tls.example.org/", f"https://127.0.0.1:{silent.getsockname()[1]}/"]])
        done, findings = _run(_site(tmp_path, crossref, doiorg, 0.5, links, f"remap = {remap}"))
    unverified = {f["line"]: f["message"] for f in findings if f["code"] == "NET001"}
    # Lines 7, 9, … hold the links in the order written; the host's headers decide, never its body.
    assert sorted(unverified) == [7, 9, 17], done.stdout
    assert all("timed out" in message for message in unverified.values()), unverified
    assert [f for f in findings if f["code"] != "NET001"] == []


# --- a host that asks to slow down is paused once, not once per URL --------------------------

URLS = 64


def _throttled(tmp_path, web, retries: int):
    from citecheck.cache import Cache
    from citecheck.config import load
    from citecheck.remote.urls import check_urls

    root = tmp_path / "site"
    root.mkdir(exist_ok=True)
    (root / "citecheck.toml").write_text(
        f'remap = [["https://web.example.org/", "{web.url}/"]]\n'
        f"[network]\ntimeout = 2\nretries = {retries}\nbackoff = 0.01\nmax-wait = 5\nper-host = 8\n", encoding="utf-8")
    urls = [f"https://web.example.org/throttled/{n}" for n in range(URLS)]
    return check_urls(urls, load(root), Cache(None))


def test_a_host_refusing_its_first_requests_is_paused_once_and_every_url_ends_ok(tmp_path):
    with WebHost(throttle=8, throttle_after=1) as web:
        out = _throttled(tmp_path, web, retries=1)
        asked = web.count("/throttled/")
    assert {o.status for o in out.values()} == {"ok"}
    assert asked <= URLS + 8  # each URL once, plus the requests that met the 429s


def test_a_host_that_keeps_refusing_ends_its_queue_after_the_retry_budget_not_per_url(tmp_path):
    retries, per_host = 2, 8
    with WebHost(throttle=10**9, throttle_after=0) as web:
        out = _throttled(tmp_path, web, retries=retries)
        asked = web.count("/throttled/")
    assert {(o.status, o.reason[:21]) for o in out.values()} == {("unverified", "429 Too Many Requests")}
    assert any(o.reason.endswith("(the host kept asking to slow down)") for o in out.values())
    # A round of the host's share before each pause and after the last; asking every URL for
    # itself would be URLS * (retries + 1) = 192.
    assert asked <= per_host * (retries + 1)
