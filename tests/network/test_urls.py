"""Attachment and external-link checks against real hosts on 127.0.0.1.

Content names public hosts; `remap` points them at the look-alikes (tests/servers/hosts.py), as
a site points citecheck at a staging CDN. Nothing here leaves the loopback interface: names
that are not remapped are resolved by a stand-in resolver.
"""

from __future__ import annotations

import json
import socket

import pytest

from citecheck.cache import Cache
from citecheck.checks.urls import type_contradicts
from citecheck.config import load
from citecheck.remote import manifest
from citecheck.remote.urls import check_urls
from tests.conftest import run_cli, write_site
from tests.servers.hosts import CdnHost, WebHost, closed_port, gzip_bomb

CDN = "https://cdn.example.org/"
WEB = "https://web.example.org/"
FILES = {
    "attachments/pdf/trial.pdf": b"%PDF-1.7 a trial report",
    "attachments/jpeg/figure 1.jpg": b"\xff\xd8\xff\xe0 a figure",
    "attachments/pdf/login.pdf": (b"<html>please log in</html>", "text/html; charset=utf-8"),
    "attachments/pdf/empty.pdf": b"",
}
# Short budgets: a host that misbehaves must end a test in well under a second or two.
NETWORK = "[network]\ntimeout = 0.5\nretries = 1\nbackoff = 0.01\nmax-wait = 1\n"


@pytest.fixture
def cdn():
    with CdnHost(FILES) as host:
        yield host


@pytest.fixture
def web():
    with WebHost() as host:
        yield host


def _config(tmp_path, cdn=None, web=None, network: str = NETWORK, extra: str = ""):
    """A site config remapping the public names to the look-alikes given."""
    pairs = [[name, host.url + "/"] for name, host in ((CDN, cdn), (WEB, web)) if host is not None]
    root = tmp_path / "site"
    root.mkdir(exist_ok=True)
    (root / "citecheck.toml").write_text(f"remap = {json.dumps(pairs)}\n{extra}\n[attachments]\n"
                                         f'base-url = ["{CDN}"]\n{network}', encoding="utf-8")
    return load(root)


def _check(config, urls, cache=None, **kwargs):
    return check_urls(urls, config, cache or Cache(None), **kwargs)


def _resolver(names: dict[str, str]):
    """Stands in for DNS: a name maps to an address, "NXDOMAIN" or "SERVFAIL"."""

    async def resolve(host: str, port: int) -> list[str]:
        answer = names.get(host, "127.0.0.1" if host == "127.0.0.1" else "NXDOMAIN")
        if answer == "NXDOMAIN":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        if answer == "SERVFAIL":
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        return [answer]

    return resolve


# --- outcomes -------------------------------------------------------------------------------


def test_cdn_answers_present_missing_and_mistyped_attachments(tmp_path, cdn):
    urls = [CDN + "attachments/pdf/trial.pdf", CDN + "attachments/jpeg/figure%201.jpg",
            CDN + "attachments/pdf/gone.pdf", CDN + "attachments/pdf/login.pdf", CDN + "attachments/pdf/empty.pdf"]
    out = _check(_config(tmp_path, cdn=cdn), urls)
    assert (out[urls[0]].status, out[urls[0]].code, out[urls[0]].content_type) == ("ok", 200, "application/pdf")
    assert (out[urls[1]].status, out[urls[1]].content_type) == ("ok", "image/jpeg")
    assert (out[urls[2]].status, out[urls[2]].code, out[urls[2]].reason) == ("broken", 404, "404 Not Found")
    assert (out[urls[3]].status, out[urls[3]].content_type) == ("ok", "text/html")  # parameters dropped
    assert out[urls[4]].status == "ok"
    # A 404 is confirmed by a second chain, asked with a one-byte GET.
    assert [m for m, p, _ in cdn.requests if p == "/attachments/pdf/gone.pdf"] == ["HEAD", "GET"]
    assert out[urls[0]].final_url == urls[0]  # shown as content writes it, not as remapped


@pytest.mark.parametrize(("path", "status", "code", "reason"), [
    ("status/404", "broken", 404, "404 Not Found"),
    ("status/410", "broken", 410, "410 Gone"),
    ("status/403", "unverified", 403, "403 Forbidden"),
    ("status/401", "unverified", 401, "401 Unauthorized"),
    ("status/999", "unverified", 999, "999"),
    ("status/503", "unverified", 503, "503 Service Unavailable after 2 tries"),
    ("status/500", "unverified", 500, "500 Internal Server Error after 2 tries"),
    ("status/429", "unverified", 429, "429 Too Many Requests after 2 tries"),
])
def test_status_codes_map_to_outcomes(tmp_path, web, path, status, code, reason):
    out = _check(_config(tmp_path, web=web), [WEB + path])[WEB + path]
    assert (out.status, out.code) == (status, code)
    assert out.reason.startswith(reason)


@pytest.mark.parametrize("refusal", [405, 403, 501])
def test_head_refused_falls_back_to_a_one_byte_get(tmp_path, web, refusal):
    url = f"{WEB}file/paper.pdf?head={refusal}"
    out = _check(_config(tmp_path, web=web), [url])[url]
    assert (out.status, out.content_type) == ("ok", "application/pdf")
    asked = [(m, h.get("Range")) for m, p, h in web.requests]
    assert asked == [("HEAD", None), ("GET", "bytes=0-0")]


def test_requests_name_citecheck(tmp_path, web):
    _check(_config(tmp_path, web=web), [WEB + "ok"])
    agent = web.requests[0][2]["User-Agent"]
    assert agent.startswith("citecheck/") and "https://" in agent


def test_redirects(tmp_path, web):
    urls = {name: WEB + path for name, path in {
        "permanent": "redirect/301?to=/ok",
        "permanent-308": "redirect/308?to=/page.html",
        "temporary": "redirect/302?to=/ok",
        "permanent-then-temporary": "redirect/301?to=/redirect/302%3Fto%3D/ok",
        "to-public-name": f"redirect/301?to={WEB}ok",
        "chain": "chain/3",
        "too-long": "chain/11",
        "loop": "loop/a",
        "to-missing": "redirect/301?to=/status/404",
    }.items()}
    out = _check(_config(tmp_path, web=web), list(urls.values()))
    got = {name: out[url] for name, url in urls.items()}
    assert (got["permanent"].status, got["permanent"].moved_to, got["permanent"].final_url) == \
        ("ok", WEB + "ok", WEB + "ok")
    assert got["permanent-308"].moved_to == WEB + "page.html"
    assert (got["temporary"].status, got["temporary"].moved_to) == ("ok", "")
    assert got["permanent-then-temporary"].moved_to == WEB + "redirect/302?to=/ok"
    assert got["to-public-name"].moved_to == WEB + "ok" and got["to-public-name"].status == "ok"
    assert (got["chain"].status, got["chain"].moved_to) == ("ok", WEB + "chain/0")
    assert (got["too-long"].status, got["too-long"].reason) == ("unverified", "more than 10 redirects")
    assert (got["loop"].status, got["loop"].reason) == ("unverified", "redirect loop")
    assert (got["to-missing"].status, got["to-missing"].code) == ("broken", 404)
    assert web.hits["/chain/11"] == 1 and web.hits["/chain/1"] == 2  # ten hops followed, not more


def test_429_then_200_ends_ok(tmp_path, web):
    config = _config(tmp_path, web=web, network=NETWORK.replace("retries = 1", "retries = 3"))
    out = _check(config, [WEB + "busy/2/x"])[WEB + "busy/2/x"]
    assert out.status == "ok"
    assert web.hits["/busy/2/x"] == 3


def test_a_long_retry_after_is_capped_by_the_budget(tmp_path, web):
    url = WEB + "status/429?retry-after=3600"
    out = _check(_config(tmp_path, web=web), [url])[url]
    assert (out.status, out.code) == ("unverified", 429)


def test_slow_headers_time_out_and_a_slow_body_is_never_waited_for(tmp_path, web):
    slow_headers, slow_body = WEB + "slow-headers?seconds=3", WEB + "slow-body?seconds=1"
    gets = WEB + "slow-body?seconds=1&head=405"
    out = _check(_config(tmp_path, web=web), [slow_headers, slow_body, gets])
    assert (out[slow_headers].status, out[slow_headers].reason) == ("unverified", "timed out after 2 tries")
    assert out[slow_body].status == "ok" and out[gets].status == "ok"


def test_connection_reset_is_unverified(tmp_path, web):
    out = _check(_config(tmp_path, web=web), [WEB + "reset"])[WEB + "reset"]
    assert (out.status, out.reason) == ("unverified", "connection reset after 2 tries")


def test_gzip_bomb_is_never_inflated(tmp_path, web):
    gzip_bomb()  # made before it is asked for, so the host answers at once
    url = WEB + "gzip-bomb?head=405"
    out = _check(_config(tmp_path, web=web), [url])[url]
    assert (out.status, out.content_type) == ("ok", "text/html")
    assert [m for m, _, _ in web.requests] == ["HEAD", "GET"]


def test_a_host_that_is_down_is_unverified_never_broken(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    (root / "citecheck.toml").write_text(f'remap = [["{WEB}", "http://127.0.0.1:{closed_port()}/"]]\n{NETWORK}')
    out = _check(load(root), [WEB + "anything"])[WEB + "anything"]
    assert (out.status, out.reason) == ("unverified", "connection failed after 2 tries")


def test_nxdomain_is_broken_and_a_failed_lookup_is_not(tmp_path, web):
    config = _config(tmp_path, web=web)
    resolve = _resolver({"no-such-host.example": "NXDOMAIN", "flaky-dns.example": "SERVFAIL"})
    out = _check(config, ["https://no-such-host.example/a", "https://flaky-dns.example/b"], resolve=resolve)
    assert (out["https://no-such-host.example/a"].status, out["https://no-such-host.example/a"].reason) == \
        ("broken", "NXDOMAIN (no such host)")
    assert out["https://flaky-dns.example/b"].status == "unverified"
    assert "DNS" in out["https://flaky-dns.example/b"].reason


# --- the guard ------------------------------------------------------------------------------


def test_loopback_written_in_content_is_never_asked(tmp_path, web):
    with WebHost() as inside:
        config = _config(tmp_path, web=web)
        urls = [inside.url + "/ok", f"http://localhost:{inside.server_address[1]}/ok",
                f"http://[::ffff:127.0.0.1]:{inside.server_address[1]}/ok", "http://innocent-looking.example/ok",
                "ftp://files.example.org/a.pdf", "file:///etc/passwd"]
        resolve = _resolver({"localhost": "127.0.0.1", "::ffff:127.0.0.1": "::ffff:127.0.0.1",
                             "innocent-looking.example": "127.0.0.1"})
        out = _check(config, urls, resolve=resolve)
        assert inside.requests == []
    for url in urls[:4]:
        assert (out[url].status, out[url].reason[:26]) == ("unverified", "refused: private address ("), url
    for url in urls[4:]:
        assert (out[url].status, out[url].reason) == ("unverified", "refused: not an http(s) URL")


def test_a_trusted_host_redirecting_to_a_private_address_is_refused_at_that_hop(tmp_path, web):
    with WebHost() as inside:
        url = f"{WEB}redirect/302?to={inside.url}/ok"
        out = _check(_config(tmp_path, web=web), [url])[url]
        assert inside.requests == []
    assert out.status == "unverified" and out.reason.startswith("refused: private address")
    assert web.hits[f"/redirect/302?to={inside.url}/ok"] == 1


def test_allow_private_opts_in(tmp_path, web):
    with WebHost() as inside:
        config = _config(tmp_path, web=web, network=NETWORK + "allow-private = true\n")
        out = _check(config, [inside.url + "/ok"])[inside.url + "/ok"]
        assert out.status == "ok" and inside.hits["/ok"] == 1


# --- one request chain per URL, cache, limits -----------------------------------------------


def test_same_url_on_many_pages_costs_one_request(tmp_path, web):
    urls = [WEB + "ok"] + [f"{WEB}ok#section-{i}" for i in range(50)]
    out = _check(_config(tmp_path, web=web), urls)
    assert set(out) == set(urls) and all(o.status == "ok" for o in out.values())
    assert web.hits["/ok"] == 1


def test_warm_cache_asks_nothing_and_unverified_is_asked_again(tmp_path, cdn, web):
    config = _config(tmp_path, cdn, web)
    cache = Cache(tmp_path / "cache.db")
    urls = [CDN + "attachments/pdf/trial.pdf", CDN + "attachments/pdf/gone.pdf", WEB + "status/503"]
    first = _check(config, urls, cache)
    cdn_hits, web_hits = len(cdn.requests), len(web.requests)
    seen = []
    second = _check(config, urls, cache, progress=lambda done, total: seen.append((done, total)))
    assert len(cdn.requests) == cdn_hits  # ok and broken answers come from the cache
    assert len(web.requests) > web_hits  # unverified was not stored
    assert second == first
    assert seen[0] == (2, 3) and seen[-1] == (3, 3)
    _check(config, urls[:1], cache, max_age=0)
    assert len(cdn.requests) == cdn_hits + 1  # --max-age asks again
    cache.close()


def test_cache_is_keyed_by_the_url_requested(tmp_path, cdn):
    cache = Cache(tmp_path / "cache.db")
    _check(_config(tmp_path, cdn=cdn), [CDN + "attachments/pdf/trial.pdf"], cache)
    assert set(cache.answers("url", [cdn.url + "/attachments/pdf/trial.pdf"])) == \
        {cdn.url + "/attachments/pdf/trial.pdf"}
    cache.close()


def test_in_flight_never_exceeds_the_per_host_cap(tmp_path):
    with WebHost(latency=0.05) as slow:
        config = _config(tmp_path, web=slow, network=NETWORK + "per-host = 3\n")
        out = _check(config, [f"{WEB}ok?n={i}" for i in range(30)])
        assert all(o.status == "ok" for o in out.values())
        assert 2 <= slow.max_in_flight <= 3


def test_in_flight_never_exceeds_the_global_cap(tmp_path):
    with WebHost(latency=0.05) as slow:
        config = _config(tmp_path, web=slow, network=NETWORK + "concurrency = 2\nper-host = 8\n")
        _check(config, [f"{WEB}ok?n={i}" for i in range(20)])
        assert slow.max_in_flight == 2


# --- manifests ------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "text"), [
    ("keys.txt", "attachments/pdf/trial.pdf\n# a comment\n/attachments/jpeg/figure 1.jpg\n"),
    ("keys.csv", "Key,Size\nattachments/pdf/trial.pdf,12\nattachments/jpeg/figure 1.jpg,7\n"),
    ("keys.csv", "attachments/pdf/trial.pdf,12\nattachments/jpeg/figure 1.jpg,7\n"),
    ("keys.json", '["attachments/pdf/trial.pdf", "attachments/jpeg/figure 1.jpg"]'),
    ("keys.json", '[{"Key": "attachments/pdf/trial.pdf"}, {"Key": "attachments/jpeg/figure 1.jpg"}]'),
    ("s3.json", '{"Contents": [{"Key": "attachments/pdf/trial.pdf", "Size": 12},'
                ' {"Key": "attachments/jpeg/figure 1.jpg", "Size": 7}]}'),
    ("urls.txt", f"{CDN}attachments/pdf/trial.pdf\n{CDN}attachments/jpeg/figure%201.jpg\n"),
])
def test_manifest_formats(tmp_path, name, text):
    (tmp_path / name).write_text(text, encoding="utf-8")
    root = tmp_path
    (root / "citecheck.toml").write_text(f'[attachments]\nbase-url = "{CDN}"\nmanifest = "{name}"\n')
    present = manifest.from_config(load(root))
    assert manifest.key_of(CDN + "attachments/pdf/trial.pdf", CDN) in present
    assert manifest.key_of(CDN + "attachments/jpeg/figure%201.jpg?v=2", CDN) in present
    assert manifest.key_of(CDN + "attachments/pdf/other.pdf", CDN) not in present


def test_local_dir_mirrors_the_cdn(tmp_path):
    (tmp_path / "mirror/attachments/pdf").mkdir(parents=True)
    (tmp_path / "mirror/attachments/pdf/trial.pdf").write_bytes(b"%PDF")
    (tmp_path / "secret.txt").write_text("outside the mirror")
    (tmp_path / "citecheck.toml").write_text(f'[attachments]\nbase-url = "{CDN}"\nlocal-dir = "mirror"\n')
    present = manifest.from_config(load(tmp_path))
    assert manifest.key_of(CDN + "attachments/pdf/trial.pdf", CDN) in present
    assert manifest.key_of(CDN + "attachments/pdf/gone.pdf", CDN) not in present
    assert manifest.key_of(CDN + "attachments/../../secret.txt", CDN) not in present


@pytest.mark.parametrize(("url", "content_type", "contradicts"), [
    ("a.pdf", "text/html", True),
    ("a.pdf", "application/pdf", False),
    ("a.pdf", "application/octet-stream", False),
    ("a.pdf", "image/png", True),
    ("a.jpg", "image/jpeg", False),
    ("a.JPG", "image/webp", False),
    ("a.jpg", "text/html", True),
    ("a.docx", "application/msword", False),
    ("a.svg", "image/svg+xml", False),
    ("a.mp3", "audio/mpeg", False),
    ("a.txt", "text/html", True),
    ("noextension", "text/html", False),
    ("a.html", "text/html", False),
])
def test_type_mismatch_is_tolerant(url, content_type, contradicts):
    assert type_contradicts(CDN + "attachments/x/" + url, content_type) is contradicts


# --- end to end -----------------------------------------------------------------------------

FRONT = "---\ntitle: A\ndate: 2021-03-04\n---\n\n"


def _site(tmp_path, cdn, web, body: str):
    config = (f'remap = [["{CDN}", "{cdn.url}/"], ["{WEB}", "{web.url}/"]]\n'
              f"{NETWORK}[external]\nexclude = ['^https://web\\.example\\.org/excluded']\n")
    root = write_site(tmp_path / "site", {"content/posts/a.md": FRONT + body}, config)
    # write_site names https://cdn.example.org/ as the attachment host already
    return root


def _run(root, *args):
    done = run_cli("check", "--network", "--format", "json", "--select", "ATT,EXT,NET", *args, cwd=root)
    assert "Traceback" not in done.stderr, done.stderr
    return done, sorted((f["code"], f["line"]) for f in json.loads(done.stdout or "[]"))


BODY = f"""Report: [PDF]({CDN}attachments/pdf/trial.pdf)

Missing: <a href="{CDN}attachments/pdf/gone.pdf">the slides</a>

Served as a page: [login]({CDN}attachments/pdf/login.pdf)

Dead: {WEB}status/404

Moved: [moved]({WEB}redirect/301?to=/page.html#results)

Busy: {WEB}status/503

Excluded: {WEB}excluded/status/404

Citation: https://doi.org/10.1000/example.1

Own site: https://www.example.org/posts/other

`{WEB}status/410` in code is not a link.
"""


def test_check_network_reports_each_rule(tmp_path, cdn, web):
    root = _site(tmp_path, cdn, web, BODY)
    done, codes = _run(root)
    assert codes == [("ATT001", 8), ("ATT003", 10), ("EXT001", 12), ("EXT002", 14), ("NET001", 16)], done.stdout
    assert done.returncode == 1  # ATT001 is an error
    assert web.hits["/excluded/status/404"] == 0 and all("doi" not in p for p in web.hits)


def test_permanent_redirect_fix_is_unsafe_and_keeps_the_fragment(tmp_path, cdn, web):
    root = _site(tmp_path, cdn, web, f"Moved: [moved]({WEB}redirect/301?to=/page.html#results)\n")
    run_cli("check", "--network", "--select", "EXT002", "--fix", cwd=root)
    assert "redirect/301" in (root / "content/posts/a.md").read_text()
    run_cli("check", "--network", "--select", "EXT002", "--fix", "--unsafe-fixes", cwd=root)
    assert (root / "content/posts/a.md").read_text() == FRONT + f"Moved: [moved]({WEB}page.html#results)\n"


def test_att001_with_a_manifest_needs_no_network(tmp_path, cdn, web):
    body = f"[a]({CDN}attachments/pdf/trial.pdf) and [b]({CDN}attachments/pdf/missing.pdf)\n"
    root = _site(tmp_path, cdn, web, body)
    (root / "keys.txt").write_text("attachments/pdf/trial.pdf\n")
    config = (root / "citecheck.toml").read_text()
    (root / "citecheck.toml").write_text(config.replace("[attachments]\n", '[attachments]\nmanifest = "keys.txt"\n'))
    offline = run_cli("check", "--format", "json", "--select", "ATT001", cwd=root)
    findings = json.loads(offline.stdout)
    assert [(f["code"], f["line"]) for f in findings] == [("ATT001", 6)], offline.stdout + offline.stderr
    assert "manifest" in findings[0]["message"]
    done, codes = _run(root, "--select", "ATT001")
    assert codes == [("ATT001", 6)] and cdn.requests == []


def test_a_suppressed_missing_attachment_is_silent_with_the_network_and_its_comment_counts(tmp_path, cdn, web):
    body = (f"<!-- citecheck-disable-next-line ATT001 -->\n[b]({CDN}attachments/pdf/missing.pdf)\n\n"
            f"<!-- citecheck-disable-next-line ATT001 -->\n[a]({CDN}attachments/pdf/trial.pdf)\n")
    root = _site(tmp_path, cdn, web, body)
    done, codes = _run(root, "--select", "ATT001,CC")
    # The first comment silences a real finding; only the second, over a good link, is unused.
    assert codes == [("CC001", 9)], done.stdout + done.stderr


def test_a_changed_manifest_is_seen_by_the_next_offline_run(tmp_path, cdn, web):
    root = _site(tmp_path, cdn, web, f"[b]({CDN}attachments/pdf/missing.pdf)\n")
    (root / "keys.txt").write_text("attachments/pdf/trial.pdf\n")
    config = (root / "citecheck.toml").read_text()
    (root / "citecheck.toml").write_text(config.replace("[attachments]\n", '[attachments]\nmanifest = "keys.txt"\n'))
    first = run_cli("check", "--format", "json", "--select", "ATT001", cwd=root)
    assert [f["code"] for f in json.loads(first.stdout)] == ["ATT001"]
    # The upload lands and the listing is refreshed; the page itself did not change.
    (root / "keys.txt").write_text("attachments/pdf/trial.pdf\nattachments/pdf/missing.pdf\n")
    second = run_cli("check", "--format", "json", "--select", "ATT001", cwd=root)
    assert json.loads(second.stdout) == [], second.stdout


def test_urls_checked_in_worker_processes_have_the_same_outcomes(tmp_path, cdn, web):
    urls = [f"{CDN}attachments/pdf/trial.pdf", f"{CDN}attachments/pdf/gone.pdf", f"{CDN}attachments/pdf/login.pdf",
            f"{WEB}ok", f"{WEB}status/410", f"{WEB}redirect/301?to=/ok", f"{WEB}status/503", f"{WEB}loop/a"]
    one = _check(_config(tmp_path, cdn, web), urls)
    served = cdn.count() + web.count()
    shared = _check(_config(tmp_path, cdn, web, network=NETWORK + "processes = 2\n"), urls)
    assert shared == one
    assert cdn.count() + web.count() == 2 * served  # each URL asked as often as in one process


def test_hosts_are_dealt_whole_to_shards_and_the_pace_setting_host_gets_its_own():
    from citecheck.remote.url_shards import split

    cdn = [f"https://cdn.example.org/a/{n}.pdf" for n in range(6000)]
    others = [f"https://host-{n % 150}.example/{n}" for n in range(30000)]
    shards = split(cdn + others, 2)
    assert sorted(map(len, shards)) == [6000, 30000] and set(cdn) in [set(s) for s in shards]
    even = split(others, 2)  # no host sets the pace: the work is shared out evenly
    assert sorted(map(len, even)) == [15000, 15000]
    hosts = [{url.split("/")[2] for url in shard} for shard in even]
    assert not hosts[0] & hosts[1]  # a host's cap stays one cap
