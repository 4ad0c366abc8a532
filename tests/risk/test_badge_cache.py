"""The badge's precomputed answers: always the same as computing from the profile now."""
from __future__ import annotations

import json

import pytest

from server.risk import service
from server.storage import profiles as store
from tests.risk.conftest import fixture_url, land

X = "xingchen-km-"


def _slow(r, user, url, now=None):
    domain = service.domain_of(url)
    live = store.badge_fast_read(r, domain, user, url, service.SHOP_SELLER)
    platform_state, _ = store.read_views(r, domain, user, None)
    seller = live["seller"] or service.shop_seller(platform_state)
    platform_state, seller_state = store.read_views(r, domain, user, seller)
    body = service.answer(domain, platform_state, seller, seller_state, first_seen=live["first_seen"],
                          disputes=live["disputes"], disputes_at=live["disputes_at"], now=now)
    order_no = store.order_of_url(r, domain, user, url)
    body["order"] = service.order_view(r, user, domain, order_no, now or service.clock.now()) if order_no else None
    return body


def _fast(r, user, url, now=None):
    return json.loads(service.badge_body(r, user, url, now=now or NOW))


NOW = "2026-11-24T12:00:00+08:00"


@pytest.mark.parametrize("files", [
    [X + "shop.html"],
    [X + "shop.html", X + "terms.html"],  # the platform changed after the seller's answer was made
    [X + "terms.html", X + "product.html", X + "order.html", X + "chat.html"],
    ["risky-shop-order.html"],
    ["g2x-market-order.html"],
], ids=["shop", "shop-then-terms", "whole-order", "single-shop", "cross-border"])
def test_fast_answer_equals_fresh_computation(r, signer, files):
    user = "u-cache"
    for f in files:
        land(r, signer, user, file=f)
    now = service.clock.parse_iso(NOW)
    for f in files + [X + "shop.html"]:
        url = fixture_url(f)
        assert _fast(r, user, url) == _slow(r, user, url, now)
    for n in range(3):  # enough other users for the crowd signal to count
        service.record_dispute(r, service.domain_of(fixture_url(files[0])), "28517", f"dsp_cache{n}", f"u-other{n}")
    url = fixture_url(files[-1])
    assert _fast(r, user, url) == _slow(r, user, url, now)


def test_a_later_year_is_not_served_from_the_old_answer(r, signer):
    user = "u-age"
    capture, _ = land(r, signer, user, file="risky-shop-order.html", at="2026-11-24T10:00:00.000+08:00")
    then = service.risk_for_url(r, user, capture.url, now="2026-11-24T12:00:00+08:00")
    later = service.risk_for_url(r, user, capture.url, now="2027-06-01T12:00:00+08:00")
    assert [s["code"] for s in then["platform"]["signals"] if s["code"] == "platform_age"] == ["platform_age"]
    age_then = next(s for s in then["platform"]["signals"] if s["code"] == "platform_age")
    age_later = next(s for s in later["platform"]["signals"] if s["code"] == "platform_age")
    assert (age_then["value"]["years"], age_then["effect"]) == (0, "raises")
    assert (age_later["value"]["years"], age_later["effect"]) == (1, "neutral")
    assert later == _slow(r, user, capture.url, now=service.clock.parse_iso("2027-06-01T12:00:00+08:00"))
    assert "young_platform" in [w["code"] for w in then["platform"]["warnings"]]
    assert "young_platform" not in [w["code"] for w in later["platform"]["warnings"]]
