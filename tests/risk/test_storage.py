"""Profile keys and storage: the site hash tag, per-user separation, and robustness."""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.risk import service
from server.storage import keys
from server.storage import profiles as store
from tests.risk.conftest import land


def _tag(key: str) -> str:
    return key[key.index("{") + 1:key.index("}")]


def test_profile_keys_share_the_site_slot_and_separate_users():
    built = [keys.user_platform_view("Shop.Example.com", "u1"), keys.user_seller_view("shop.example.com", "u1", "9"),
             keys.user_site_urls("shop.example.com", "u1"), keys.user_platform_badge("shop.example.com", "u1"),
             keys.user_seller_badge("shop.example.com", "u1", "名字:卖家"), keys.site_users("shop.example.com"),
             keys.platform_profile("shop.example.com"), keys.site_disputes("shop.example.com")]
    assert {_tag(k) for k in built} == {"p:shop.example.com"}
    assert keys.user_platform_view("a.com", "u1") != keys.user_platform_view("a.com", "u2")
    assert keys.user_seller_view("a.com", "u1", "x:y") != keys.user_seller_view("a.com", "u1", "x")
    # A hostile seller id cannot forge another key's shape.
    forged = keys.user_seller_badge("a.com", "u1", "1}:u:u2:badge")
    assert "}" not in forged.split("}", 1)[1]


def test_page_key_ignores_fragment_and_host_case():
    assert store.page_key("HTTPS://Shop.Example.com/a?b=1#frag") == "https://shop.example.com/a?b=1"
    assert store.page_key("https://shop.example.com") == "https://shop.example.com/"


def test_after_capture_never_raises(r, signer):
    capture, warnings = land(r, signer, "u-odd", html="<html><body><p>x</p></body></html>",
                             facts={"url": "https://odd.example.com/", "domain": "odd.example.com",
                                    "page_kind": "order", "platform": None, "seller": {"opened_on": "not-a-date"},
                                    "order": {"order_no": 12345}, "timestamps": [{"role": "delivered", "at": "x"}],
                                    "promises": [{"kind": "lifetime"}], "policies": [{"kind": "feedback_window",
                                                                                      "quote": "q", "hours": "x"}]})
    assert isinstance(warnings, list)
    assert isinstance(service.after_capture(r, "u-odd", capture, None), list)
    assert isinstance(service.after_capture(r, "u-odd", capture, {"domain": "", "policies": "junk"}), list)
    assert service.after_capture(r, "u-odd", None, {"domain": "odd.example.com"}) == []


def test_user_count_is_anonymous(r, signer):
    land(r, signer, "u-a", file="xingchen-km-terms.html")
    land(r, signer, "u-b", file="xingchen-km-terms.html")
    land(r, signer, "u-b", file="xingchen-km-shop.html")
    assert store.users_count(r, "xingchen-km.com") == 2
    profile = {k.decode(): v.decode() for k, v in r.hgetall(keys.platform_profile("xingchen-km.com")).items()}
    assert set(profile) == {"first_seen", "captures", "updated_at"} and profile["captures"] == "3"
    assert "u-a" not in json.dumps(profile) and "u-b" not in json.dumps(profile)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(url=st.one_of(st.text(max_size=300), st.builds(lambda h, p: f"https://{h}/{p}",
                                                        st.text(min_size=1, max_size=60), st.text(max_size=60))))
def test_any_url_gets_an_answer_or_a_400(client, auth, url):
    response = client.get("/v1/risk", query_string={"url": url}, headers=auth)
    assert response.status_code in (200, 400), (url, response.status_code)
    body = response.get_json()
    if response.status_code == 400:
        assert body["error"] == "bad_request"
    else:
        assert set(body) == {"platform", "seller", "order"}


@pytest.mark.parametrize("seller", ["28517", "name:北极星游戏工作室", None], ids=["id", "name", "none"])
def test_record_dispute_is_idempotent(r, seller):
    for _ in range(3):
        service.record_dispute(r, "Example.COM", seller, "dsp_same", "u-opener")
    counts = store.disputes(r, "example.com", "u-reader", seller)
    assert counts.get("platform") == 1
    assert counts.get(f"seller:{seller}", 0) == (1 if seller else 0)
    assert store.disputes(r, "example.com", "u-opener", seller) == {"platform": 0, **(
        {f"seller:{seller}": 0} if seller else {})}  # one's own dispute is not counted for oneself
    service.record_dispute(r, "", seller, "dsp_x", "u-opener")  # no domain: ignored, never raises
    assert store.disputes(r, "example.com", "u-reader").get("platform") == 1
    stored = json.dumps({k.decode(): sorted(x.decode() for x in r.smembers(k))
                         for k in r.keys("*disputes:users*")})
    assert "u-opener" not in stored  # users are kept as one-way digests
