"""The guard against IPv6 addresses that lead to a private IPv4 one (NAT64, 6to4, Teredo, the
mapped, translated and compatible forms), as literals in content and as redirect targets."""

from __future__ import annotations

import ipaddress
import json

from hypothesis import given
from hypothesis import strategies as st

from citecheck.cache import Cache
from citecheck.config import load
from citecheck.remote.guard import public
from citecheck.remote.urls import check_urls
from tests.servers.hosts import WebHost

PRIVATE_V4 = ["127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10",
              "0.0.0.0/8"]
WEB = "https://web.example.org/"


def _in(network: str) -> st.SearchStrategy[ipaddress.IPv4Address]:
    net = ipaddress.ip_network(network)
    return st.integers(int(net.network_address), int(net.broadcast_address)).map(ipaddress.IPv4Address)


private_v4 = st.sampled_from(PRIVATE_V4).flatmap(_in)
# Public unicast addresses: 1.0.0.0/8 to 9.255.255.255 holds none of the special ranges.
public_v4 = _in("1.0.0.0/8") | _in("8.0.0.0/7")


def _forms(v4: ipaddress.IPv4Address) -> dict[str, str]:
    n = int(v4)
    return {
        "mapped": f"::ffff:{v4}",
        "nat64": str(ipaddress.IPv6Address((0x64FF9B << 96) | n)),
        "translated": str(ipaddress.IPv6Address((0xFFFF << 32) | n)),
        "compatible": str(ipaddress.IPv6Address(n)),
        "6to4": str(ipaddress.IPv6Address((0x2002 << 112) | (n << 80) | 1)),
    }


def _teredo(server: ipaddress.IPv4Address, client: ipaddress.IPv4Address) -> str:
    return str(ipaddress.IPv6Address((0x20010000 << 96) | (int(server) << 64) | (int(client) ^ 0xFFFFFFFF)))


@given(private_v4)
def test_every_form_carrying_a_private_ipv4_address_is_refused(v4):
    for form, address in _forms(v4).items():
        assert not public(address), (form, address)
    assert not public(_teredo(ipaddress.IPv4Address("65.54.227.120"), v4))
    assert not public(f"64:ff9b:1::{v4}")  # the local-use NAT64 prefix, whatever it carries


@given(public_v4)
def test_the_same_forms_carrying_a_public_address_pass(v4):
    assert all(public(address) for address in _forms(v4).values())


def _config(tmp_path, web):
    root = tmp_path / "site"
    root.mkdir(exist_ok=True)
    (root / "citecheck.toml").write_text(f"remap = {json.dumps([[WEB, web.url + '/']])}\n"
                                         "[network]\ntimeout = 0.5\nretries = 0\nmax-wait = 1\n", encoding="utf-8")
    return load(root)


def test_literal_ipv6_urls_leading_to_loopback_or_metadata_are_never_asked(tmp_path):
    with WebHost() as web:
        port = web.server_address[1]
        urls = [f"http://[{address}]:{port}/ok" for v4 in ("127.0.0.1", "169.254.169.254", "10.1.2.3")
                for address in (*_forms(ipaddress.IPv4Address(v4)).values(), _teredo(ipaddress.IPv4Address("8.8.8.8"),
                                                                                    ipaddress.IPv4Address(v4)))]
        out = check_urls(urls, _config(tmp_path, web), Cache(None))
        assert web.requests == []
    for url in urls:
        assert (out[url].status, out[url].reason[:26]) == ("unverified", "refused: private address ("), url


def test_a_redirect_to_a_nat64_or_6to4_form_of_loopback_is_refused_at_that_hop(tmp_path):
    with WebHost() as web, WebHost() as inside:
        port = inside.server_address[1]
        targets = [f"http://[64:ff9b::7f00:1]:{port}/ok", f"http://[2002:7f00:1::1]:{port}/ok",
                   f"http://[::127.0.0.1]:{port}/ok"]
        urls = [f"{WEB}redirect/302?to={target}" for target in targets]
        out = check_urls(urls, _config(tmp_path, web), Cache(None))
        assert inside.requests == []
    for url in urls:
        assert out[url].status == "unverified" and out[url].reason.startswith("refused: private address"), url
    assert web.count("/redirect/") == len(urls)
