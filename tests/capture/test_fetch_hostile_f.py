"""Attack round f on the share-a-link fetcher: a resolver that hangs is cut off at the fetch's
deadline, and nonsense ports are refused before anything is resolved or dialled."""
from __future__ import annotations

import threading
import time

import pytest

from server.capture.fetch import Fetcher, FetchRefused, parse_target


class HangingDNS:
    """A resolver that never answers (until released at the end of the test)."""

    def __init__(self):
        self.release, self.calls = threading.Event(), 0

    def __call__(self, host: str, port: int) -> list[str]:
        self.calls += 1
        self.release.wait(30)
        return ["93.184.216.34"]


def test_a_hanging_resolver_is_cut_off_at_the_deadline():
    dns = HangingDNS()
    try:
        started = time.monotonic()
        with pytest.raises(FetchRefused) as refused:
            Fetcher(resolver=dns, timeout=0.5).fetch("http://slow-dns.example/item")
        elapsed = time.monotonic() - started
    finally:
        dns.release.set()
    assert dns.calls == 1
    assert refused.value.reason == "timeout" and refused.value.status == 422
    assert "0.5 s" in refused.value.message and "slow-dns.example" in refused.value.message
    assert elapsed < 2.0, elapsed


def test_hanging_resolutions_in_flight_are_bounded():
    """Every fetch whose resolver hangs leaves a worker behind until the resolver returns: past a
    bound, more such fetches are refused at once instead of piling up threads."""
    dns = HangingDNS()
    fetcher = Fetcher(resolver=dns, timeout=0.05)
    reasons = []
    try:
        for _ in range(fetcher.max_resolving + 3):
            with pytest.raises(FetchRefused) as refused:
                fetcher.fetch("http://slow-dns.example/")
            reasons.append(refused.value.reason)
    finally:
        dns.release.set()
    assert dns.calls == fetcher.max_resolving
    assert reasons.count("timeout") == fetcher.max_resolving and reasons.count("dns_busy") == 3


def test_a_resolver_error_inside_the_worker_is_still_the_dns_refusal():
    def broken(host, port):
        raise OSError("resolver exploded")

    with pytest.raises(FetchRefused) as refused:
        Fetcher(resolver=broken).fetch("http://broken.example/")
    assert refused.value.reason == "dns" and "resolver exploded" in refused.value.message


@pytest.mark.parametrize("url", ["http://example.com:0/", "https://example.com:00/x", "http://93.184.216.34:0/",
                                 "http://example.com:65536/", "http://example.com:99999999/",
                                 "http://[2606:2800:220:1::]:0/", "http://example.com:+80/",
                                 "http://example.com:\u0668\u0660/", "http://example.com:-1/", "http://example.com:0x50/",
                                 "http://example.com:80:80/"])
def test_nonsense_ports_are_refused_naming_the_port(url):
    def never(host, port):
        raise AssertionError("resolved a link whose port is nonsense")

    with pytest.raises(FetchRefused) as refused:
        Fetcher(resolver=never).fetch(url)
    assert refused.value.reason == "bad_port" and refused.value.status == 422
    assert "port" in refused.value.message and "port 80 " not in refused.value.message


@pytest.mark.parametrize(("url", "port"), [("http://example.com:8080/", 8080), ("https://example.com:/", 443),
                                           ("http://example.com:65535/", 65535), ("http://example.com:1/", 1)])
def test_real_ports_are_kept(url, port):
    assert parse_target(url).port == port


def test_the_api_names_a_port_zero(app, client):
    from tests.conftest import pair_user

    token, _ = pair_user(app, new_user=True)
    answer = client.post("/v1/fetches", json={"url": "https://shop.example:0/item/1"},
                         headers={"Authorization": f"Bearer {token}"})
    body = answer.get_json()
    assert answer.status_code == 422 and body["reason"] == "bad_port" and "port 0" in body["message"], body
