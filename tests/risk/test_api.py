"""GET /v1/risk through the app: errors, no stale answers, privacy between users, the crowd
signal, and the url → seller mapping."""
from __future__ import annotations

import json
import re

import pytest

from server.risk import service
from tests.conftest import capture_body, pair_user
from tests.risk import pages
from tests.risk.conftest import fixture_url, land

SHOP = "https://www.xingchen-km.com/shop/28517"


def _risk(client, headers, url):
    response = client.get("/v1/risk", query_string={"url": url}, headers=headers)
    assert response.status_code == 200, response.get_json()
    assert response.headers["Cache-Control"] == "private, no-store"
    return response.get_json()


def _evidence(body):
    for subject in (body["platform"], body["seller"]):
        for item in (subject or {}).get("signals", []) + (subject or {}).get("warnings", []):
            yield from item["evidence"]


@pytest.mark.parametrize(("query", "status", "field"), [
    ({}, 400, "url"),
    ({"url": ""}, 400, "url"),
    ({"url": "not a url"}, 400, "url"),
    ({"url": "ftp://example.com/x"}, 400, "url"),
    ({"url": "https://" + "a" * 9000 + ".com/"}, 400, "url"),
], ids=["missing", "empty", "not-a-url", "ftp", "too-long"])
def test_bad_url_is_a_json_400(client, auth, query, status, field):
    response = client.get("/v1/risk", query_string=query, headers=auth)
    assert response.status_code == status
    body = response.get_json()
    assert body["error"] == "bad_request" and body["field"] == field


def test_needs_a_token(client):
    response = client.get("/v1/risk", query_string={"url": SHOP})
    assert response.status_code == 401
    assert response.get_json()["error"] == "unauthorized"


def test_unknown_site_is_unknown(client, auth):
    body = _risk(client, auth, "https://never-seen.example.org/item/1")
    assert body["platform"]["level"] == "unknown"
    assert body["platform"]["score"] is None and body["platform"]["confidence"] == 0
    assert body["seller"] is None


def test_answer_changes_when_a_new_capture_changes_the_profile(app, client, r, signer):
    token, user = pair_user(app)
    headers = {"Authorization": f"Bearer {token}"}
    land(r, signer, user, file="xingchen-km-shop.html")
    before = _risk(client, headers, SHOP)
    assert before["seller"]["id"] == "28517"
    assert before["seller"]["level"] == "medium"
    assert "off_platform_payment" not in [s["code"] for s in before["seller"]["signals"]]
    # A later page of the same seller asks for payment by personal QR code.
    facts = pages.facts(SHOP + "/notice", "xingchen-km.com", page_kind="shop",
                        seller={"name": "北极星游戏工作室", "id": "28517"},
                        policies=[{"kind": "off_platform", "quote": "扫个人收款码付款", "hours": None}])
    html = "<html><body><p>公告：通道维护，请扫个人收款码付款。</p></body></html>"
    land(r, signer, user, html=html, facts=facts, url=SHOP + "/notice")
    after = _risk(client, headers, SHOP)
    assert after["seller"]["level"] == "high"
    assert after["seller"]["score"] >= 70 > before["seller"]["score"]
    assert "off_platform_payment" in [w["code"] for w in after["seller"]["warnings"]]
    assert after["seller"]["updated_at"] != before["seller"]["updated_at"]


def test_platform_answer_changes_with_new_terms(app, client, r, signer):
    token, user = pair_user(app)
    headers = {"Authorization": f"Bearer {token}"}
    land(r, signer, user, file="xingchen-km-shop.html")
    before = _risk(client, headers, SHOP)["platform"]
    land(r, signer, user, file="xingchen-km-terms.html")
    after = _risk(client, headers, SHOP)["platform"]
    assert after["score"] > before["score"]
    assert "unfair_terms" in [s["code"] for s in after["signals"]]
    assert "unfair_terms" not in [s["code"] for s in before["signals"]]


def test_other_users_captures_never_appear_as_evidence(app, client, r, signer):
    token_a, user_a = pair_user(app)
    token_b, user_b = pair_user(app, new_user=True)
    assert user_a != user_b
    a_ids = {land(r, signer, user_a, file=f)[0].id for f in
             ("xingchen-km-terms.html", "xingchen-km-shop.html", "xingchen-km-order.html")}
    a_urls = {fixture_url(f) for f in ("xingchen-km-terms.html", "xingchen-km-shop.html", "xingchen-km-order.html")}
    b_headers = {"Authorization": f"Bearer {token_b}"}
    body = _risk(client, b_headers, SHOP)
    # B has captured nothing here: only aggregates, which name no capture, URL or quote.
    assert body["platform"]["level"] == "unknown"
    assert body["seller"] is None  # A's url → seller mapping is A's
    for evidence in _evidence(body):
        assert evidence["snapshot_id"] is None and evidence["url"] is None and evidence["quote"] is None
    # B captures one page: B's evidence is B's only.
    b_capture, _ = land(r, signer, user_b, file="xingchen-km-product.html")
    body = _risk(client, b_headers, fixture_url("xingchen-km-product.html"))
    ids = {e["snapshot_id"] for e in _evidence(body)} - {None}
    assert ids == {b_capture.id}
    assert not ids & a_ids
    assert not {e["url"] for e in _evidence(body)} & a_urls
    assert "unfair_terms" not in [s["code"] for s in body["platform"]["signals"]]  # only A saw the terms
    # And A's answer still has A's evidence, none of B's.
    a_body = _risk(client, {"Authorization": f"Bearer {token_a}"}, SHOP)
    a_seen = {e["snapshot_id"] for e in _evidence(a_body)} - {None}
    assert a_seen and a_seen <= a_ids


def test_crowd_disputes_are_counted_once_capped_and_anonymous(app, client, r, signer):
    from server.rules import threshold, weights

    token, user = pair_user(app)
    headers = {"Authorization": f"Bearer {token}"}
    land(r, signer, user, file="xingchen-km-shop.html")
    base = _risk(client, headers, SHOP)
    minimum = threshold("crowd_min_users")
    _, each = weights()["signal"]["crowd_each"]
    cap = weights()["signal"]["crowd_cap"]
    for n in range(minimum - 1):
        service.record_dispute(r, "xingchen-km.com", "28517", f"dsp_{n}", f"u-other-{n}")
        service.record_dispute(r, "xingchen-km.com", "28517", f"dsp_{n}", f"u-other-{n}")  # a retry counts once
    below = _risk(client, headers, SHOP)
    assert "crowd_disputes" not in [s["code"] for s in below["seller"]["signals"]]
    assert below["seller"]["score"] == base["seller"]["score"]
    service.record_dispute(r, "xingchen-km.com", "28517", "dsp_last", f"u-other-{minimum}")
    one = _risk(client, headers, SHOP)
    crowd = next(s for s in one["seller"]["signals"] if s["code"] == "crowd_disputes")
    assert crowd["value"] == {"users": minimum, "disputes": minimum}
    assert crowd["weight"] == min(cap, each * minimum)
    assert one["seller"]["score"] == base["seller"]["score"] + crowd["weight"]
    assert [w["code"] for w in one["seller"]["warnings"]].count("crowd_disputes") == 1
    for n in range(10):
        service.record_dispute(r, "XINGCHEN-KM.com", "28517", f"dsp_more_{n}", f"u-more-{n}")
    many = _risk(client, headers, SHOP)
    crowd = next(s for s in many["seller"]["signals"] if s["code"] == "crowd_disputes")
    assert crowd["value"]["users"] == minimum + 10 and crowd["weight"] == cap  # capped
    platform_crowd = next(s for s in many["platform"]["signals"] if s["code"] == "crowd_disputes")
    assert platform_crowd["value"]["users"] == minimum + 10
    assert all(e["snapshot_id"] is None and e["quote"] is None for e in crowd["evidence"])
    service.record_dispute(r, "xingchen-km.com", "28517", "dsp_mine", user)  # the reader's own dispute
    assert _risk(client, headers, SHOP)["seller"]["score"] == many["seller"]["score"]


def test_single_shop_site_answers_for_the_shop_on_any_page(app, client, r, signer):
    token, user = pair_user(app)
    headers = {"Authorization": f"Bearer {token}"}
    land(r, signer, user, file="risky-shop-order.html")
    body = _risk(client, headers, "https://vip.jisufa-ka.xyz/")
    assert body["platform"]["domain"] == "jisufa-ka.xyz"
    assert body["seller"]["level"] == "high"
    assert body["seller"]["id"] is None
    codes = {s["code"] for s in body["seller"]["signals"]}
    assert {"off_platform_payment", "shell_shop"} <= codes


def test_capture_route_returns_warnings_and_feeds_the_badge(client, auth):
    url = "https://vip.jisufa-ka.xyz/order.php?orderid=2026112409124563"
    response = client.post("/v1/snapshots", json=capture_body("risky-shop-order.html", url), headers=auth)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert isinstance(body["warnings"], list)
    risk = _risk(client, auth, url)
    assert risk["platform"]["domain"] == "jisufa-ka.xyz"
    # Whatever the scrapers found, the answer's evidence is the caller's capture only.
    assert {e["snapshot_id"] for e in _evidence(risk)} <= {body["id"], None}
    codes = [w["code"] for w in body["warnings"]]
    assert codes == [w["code"] for w in client.get(f"/v1/snapshots/{body['id']}", headers=auth).get_json()["warnings"]]


def test_openapi_describes_the_risk_route(client):
    spec = client.get("/openapi.json").get_json()
    assert "/v1/risk" in spec["paths"]
    assert {"Risk", "Signal", "Warning", "Evidence"} <= set(spec["components"]["schemas"])


def test_times_learnt_from_other_users_say_only_the_day(app, client, r, signer):
    """A site first captured by another user years ago makes the platform's age; the crowd signal
    counts other users' disputes. Neither tells the reader when, to the second, someone else
    captured or complained: the evidence gives the day only."""
    from server.rules import threshold

    _, user_a = pair_user(app)
    token_b, user_b = pair_user(app, new_user=True)
    assert user_a != user_b
    headers = {"Authorization": f"Bearer {token_b}"}
    # A shop page with no copyright line: its age is what the first capture here says.
    land(r, signer, user_a, file="acg-faka-order.html", at="2023-03-05T14:27:31.123+08:00")
    land(r, signer, user_b, file="acg-faka-item.html")
    for n in range(threshold("crowd_min_users")):
        service.record_dispute(r, "qiyu-shop.cn", None, f"dsp_day{n}", f"u-day-{n}")
    body = _risk(client, headers, fixture_url("acg-faka-item.html"))
    signals = {s["code"]: s for s in body["platform"]["signals"]}
    age = signals["platform_age"]
    assert age["value"]["source"] == "first_capture" and age["value"]["since"] == "2023-03-05"
    assert [e["seen_at"] for e in age["evidence"]] == ["2023-03-05T00:00:00.000+08:00"]
    crowd = signals["crowd_disputes"]
    assert crowd["evidence"]
    for evidence in crowd["evidence"]:
        seen = service.clock.parse_iso(evidence["seen_at"])
        assert (seen.hour, seen.minute, seen.second, seen.microsecond) == (0, 0, 0, 0)
    leaks = [m.start() for m in re.finditer("14:27:31", json.dumps(body))]
    assert not leaks, json.dumps(body)[max(0, leaks[0] - 300):leaks[0] + 60]
