"""The badge's precomputed answers: always the same as computing from the profile now."""
from __future__ import annotations

import json

import pytest

from server.risk import service
from server.storage import profiles as store
from tests.risk.conftest import fixture_url, land

X = "xingchen-km-"


def _slow(r, user, url):
    domain = service.domain_of(url)
    live = store.badge_fast_read(r, domain, user, url, service.SHOP_SELLER)
    platform_state, _ = store.read_views(r, domain, user, None)
    seller = live["seller"] or service.shop_seller(platform_state)
    platform_state, seller_state = store.read_views(r, domain, user, seller)
    return service.answer(domain, platform_state, seller, seller_state, first_seen=live["first_seen"],
                          disputes=live["disputes"], disputes_at=live["disputes_at"])


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
    for f in files + [X + "shop.html"]:
        url = fixture_url(f)
        assert json.loads(service.badge_body(r, user, url)) == _slow(r, user, url)
    service.record_dispute(r, service.domain_of(fixture_url(files[0])), "28517", "dsp_cache")
    url = fixture_url(files[-1])
    assert json.loads(service.badge_body(r, user, url)) == _slow(r, user, url)
