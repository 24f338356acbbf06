"""URL checks over HTTPS, as real CDNs and sites answer: TLS with a verified certificate, and
HTTP/2 where the server offers it (tests/servers/tls.py; its CA is trusted through SSL_CERT_FILE,
as a site behind a corporate proxy would configure it)."""

from __future__ import annotations

import json

import pytest

from citecheck.cache import Cache
from citecheck.config import load
from citecheck.remote.urls import check_urls
from tests.conftest import run_cli, write_site
from tests.servers.tls import TlsHost

CDN = "https://cdn.example.org/"
NETWORK = "[network]\ntimeout = 2\nretries = 1\nbackoff = 0.01\nmax-wait = 1\n"


@pytest.fixture
def host():
    with TlsHost() as tls:
        yield tls


def _config(tmp_path, host):
    (tmp_path / "citecheck.toml").write_text(f'remap = [["{CDN}", "{host.url}/"]]\n[attachments]\n'
                                             f'base-url = ["{CDN}"]\n{NETWORK}', encoding="utf-8")
    return load(tmp_path)


def test_https_answers_over_http2_with_a_verified_certificate(tmp_path, host, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", host.ca_file)
    urls = [f"{CDN}attachments/pdf/trial-{n}.pdf" for n in range(5)] + [f"{CDN}attachments/pdf/missing.pdf"]
    out = check_urls(urls, _config(tmp_path, host), Cache(None))
    assert {url: out[url].status for url in urls} == {**dict.fromkeys(urls[:5], "ok"), urls[5]: "broken"}
    assert out[urls[0]].content_type == "application/pdf"
    assert set(host.protocols) == {"h2"}  # every request, the 404's confirmation included


def test_an_untrusted_certificate_is_unverified_never_broken(tmp_path, host, monkeypatch):
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)  # the test CA is nobody's: the handshake fails
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    out = check_urls([f"{CDN}attachments/pdf/trial.pdf"], _config(tmp_path, host), Cache(None))
    outcome = out[f"{CDN}attachments/pdf/trial.pdf"]
    assert outcome.status == "unverified" and "certificate" in outcome.reason, outcome
    assert host.protocols == []  # no request was sent over a connection it could not trust


def test_check_network_over_https_end_to_end(tmp_path, host, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", host.ca_file)  # inherited by the command
    body = f"[report]({CDN}attachments/pdf/trial.pdf) and [slides]({CDN}attachments/pdf/missing.pdf)\n"
    root = write_site(tmp_path / "site", {"content/posts/a.md": "---\ntitle: A\ndate: 2020-01-01\n---\n\n" + body},
                      f'remap = [["{CDN}", "{host.url}/"]]\n{NETWORK}')
    done = run_cli("check", "--network", "--format", "json", "--select", "ATT,NET", cwd=root)
    findings = json.loads(done.stdout)
    assert [f["code"] for f in findings] == ["ATT001"], done.stdout + done.stderr
    assert "missing.pdf" in findings[0]["message"] and "h2" in host.protocols
