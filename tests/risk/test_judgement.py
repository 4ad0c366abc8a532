"""Issue 14's defects in the badge and the checkout warnings (they failed before the order
judgement): crowd signals that one user cannot poison, warnings that fit the page, and one
deadline for one order whether the badge or the dispute plan shows it."""
from __future__ import annotations

import copy

from server.clock import parse_iso
from server.risk import service
from tests.disputes.scenario import open_dispute
from tests.risk import pages
from tests.risk.conftest import fixture_facts, fixture_url, land

X = "xingchen-km-"
SHOP_URL = fixture_url(X + "shop.html")
ORDER_NO = "XC20261124100322581"


def _seller_score(r, user: str) -> int:
    return service.risk_for_url(r, user, SHOP_URL, now="2026-11-26T12:00:00+08:00")["seller"]["score"]


def _dispute(app, user: str, n: int = 0) -> dict:
    return open_dispute(app, user, "account_recovered", domain="xingchen-km.com", order_no=ORDER_NO,
                        occurred_at="2026-11-25T11:00:00+08:00", created_at=f"2026-11-25T12:{n % 60:02d}:00+08:00",
                        now="2026-11-25T13:00:00+08:00")


# --- 7. crowd signals count distinct other users, with a minimum ---------------------------------
def test_ones_own_dispute_does_not_move_ones_own_badge(app, r, signer):
    land(r, signer, "u-a", file=X + "shop.html")
    land(r, signer, "u-a", file=X + "order.html")
    before = service.risk_for_url(r, "u-a", SHOP_URL, now="2026-11-26T12:00:00+08:00")
    _dispute(app, "u-a")
    after = service.risk_for_url(r, "u-a", SHOP_URL, now="2026-11-26T12:00:00+08:00")
    assert after["seller"]["score"] == before["seller"]["score"]
    assert after["platform"]["score"] == before["platform"]["score"]
    assert "crowd_disputes" not in [s["code"] for s in after["seller"]["signals"]]


def test_one_user_with_many_disputes_cannot_move_anothers_badge(app, r, signer):
    land(r, signer, "u-a", file=X + "shop.html")
    before = _seller_score(r, "u-a")
    land(r, signer, "u-b", file=X + "order.html")  # one capture…
    for n in range(12):  # …and twelve disputes about it
        _dispute(app, "u-b", n)
    assert _seller_score(r, "u-a") == before


def test_enough_distinct_other_users_do_count_once_each(app, r, signer):
    from server.rules import threshold

    land(r, signer, "u-a", file=X + "shop.html")
    before = _seller_score(r, "u-a")
    minimum = threshold("crowd_min_users")
    for n in range(minimum):
        user = f"u-other-{n}"
        land(r, signer, user, file=X + "order.html")
        _dispute(app, user, n)
        _dispute(app, user, n + 30)  # a second dispute of the same user about the same seller
    risk = service.risk_for_url(r, "u-a", SHOP_URL, now="2026-11-26T12:00:00+08:00")
    crowd = next(s for s in risk["seller"]["signals"] if s["code"] == "crowd_disputes")
    assert crowd["value"]["users"] == minimum
    assert risk["seller"]["score"] > before


# --- 8. warnings that fit the page -------------------------------------------------------------
def test_shell_shop_warning_on_a_page_without_an_order_does_not_speak_of_one(r, signer):
    facts = pages.facts("https://www.baiyu-km.com/shop/90412", "baiyu-km.com", page_kind="shop",
                        platform={"name": "白羽卡盟"}, seller={"name": "云起代充", "id": "90412", "opened_on": "2026-11-10"})
    html = ("<html><body><h1>云起代充</h1><p>开店时间：2026-11-10</p>"
            "<footer>© 2016-2026 白羽卡盟 粤ICP备16023344号-2</footer></body></html>")
    _, warnings = land(r, signer, "u-shell", html=html, facts=facts, url=facts["url"],
                       at="2026-11-24T10:00:00.000+08:00")
    shell = next(w for w in warnings if w["code"] == "shell_shop")
    assert "下单" not in shell["message"]["zh"] and "order" not in shell["message"]["en"]
    assert "14" in shell["message"]["zh"]


def test_no_evidence_gap_on_a_checkout_page_that_shows_the_product(r, signer):
    _, warnings = land(r, signer, "u-gap", file="dujiaoka-unicorn-checkout.html")
    assert "evidence_gap" not in [w["code"] for w in warnings]
    facts = copy.deepcopy(fixture_facts("dujiaoka-unicorn-checkout.html"))
    facts["product"] = {"title": None, "price": None, "stock": None}
    facts["order"]["item"] = None
    _, warnings = land(r, signer, "u-gap2", file="dujiaoka-unicorn-checkout.html", facts=facts)
    assert "evidence_gap" in [w["code"] for w in warnings]


def test_a_single_shop_is_not_named_as_a_seller_of_the_platform(r, signer):
    capture, _ = land(r, signer, "u-single", file="acg-faka-item.html")
    risk = service.risk_for_url(r, "u-single", capture.url, now="2026-11-26T12:00:00+08:00")
    assert risk["platform"]["name"] == "奇遇小铺"
    assert risk["seller"]["name"] != risk["platform"]["name"]
    assert risk["seller"]["single_shop"] is True


# --- one order, one deadline -------------------------------------------------------------------
def test_the_badge_and_the_dispute_plan_show_the_same_deadline(app, r, signer):
    land(r, signer, "u-one", file=X + "terms.html", at="2026-11-24T09:50:00.000+08:00")
    land(r, signer, "u-one", file=X + "product.html", at="2026-11-24T10:01:00.000+08:00")
    order, _ = land(r, signer, "u-one", file=X + "order.html", at="2026-11-24T10:06:00.000+08:00")
    badge = service.risk_for_url(r, "u-one", order.url, now="2026-11-24T12:00:00+08:00")
    windows = {w["id"]: w for w in badge["order"]["windows"]}
    feedback = next(w for w in windows.values() if w["basis"]["quote"] == "须在交付后24小时内反馈问题")
    assert parse_iso(feedback["deadline"]) == parse_iso("2026-11-25T10:05:40+08:00")
    d = _dispute(app, "u-one")
    planned = {w["id"]: w for w in d["windows"]}
    assert parse_iso(planned[feedback["id"]]["deadline"]) == parse_iso(feedback["deadline"])
    platform_step = next(s for s in d["escalation"] if s["step"] == "platform")
    chosen = platform_step["window"]
    assert chosen in planned
    # After the dispute the badge knows the problem time too: the window the plan chose (counted
    # from the problem) is on the badge at the same instant, and so is every other window.
    later = service.risk_for_url(r, "u-one", order.url, now="2026-11-26T12:00:00+08:00")
    same = {w["id"]: w for w in later["order"]["windows"]}
    assert parse_iso(same[chosen]["deadline"]) == parse_iso(platform_step["deadline"])
    assert parse_iso(platform_step["deadline"]) == parse_iso(planned[chosen]["deadline"])
    for window_id, window in planned.items():
        if window_id in same:
            assert same[window_id]["deadline"] == window["deadline"], window_id


def test_the_badges_order_view_follows_new_evidence(app, r, signer):
    """The badge keeps an order's view between requests; a new capture of the site, a dispute or an
    attachment each make it anew (never a stale deadline)."""
    from tests.disputes.scenario import attach

    land(r, signer, "u-view", file=X + "order.html", at="2026-11-24T10:06:00.000+08:00")
    url = fixture_url(X + "order.html")
    first = service.risk_for_url(r, "u-view", url, now="2026-11-24T12:00:00+08:00")
    assert not [w for w in first["order"]["windows"] if w["kind"] == "feedback"]
    land(r, signer, "u-view", file=X + "terms.html", at="2026-11-24T11:00:00.000+08:00")
    second = service.risk_for_url(r, "u-view", url, now="2026-11-24T12:00:00+08:00")
    assert [w["deadline"] for w in second["order"]["windows"] if w["kind"] == "feedback"] == ["2026-11-25T10:05:40+08:00"]
    d = _dispute(app, "u-view")
    third = service.risk_for_url(r, "u-view", url, now="2026-11-26T12:00:00+08:00")
    reply = next(w for w in third["order"]["windows"] if w["kind"] == "seller_reply")
    assert parse_iso(reply["deadline"]) == parse_iso("2026-11-27T12:00:00+08:00")  # opened + 48 h
    attach(app, "u-view", d["id"], "chat_log", "商家：已收到反馈，处理中".encode(), "chat.txt",
           "2026-11-25T11:30:00.000+08:00")
    fourth = service.risk_for_url(r, "u-view", url, now="2026-11-26T12:00:00+08:00")
    reply = next(w for w in fourth["order"]["windows"] if w["kind"] == "seller_reply")
    assert parse_iso(reply["deadline"]) == parse_iso("2026-11-27T11:30:00+08:00")  # first chat after the problem
    assert reply["overdue"] is False
    later = service.risk_for_url(r, "u-view", url, now="2026-11-28T12:00:00+08:00")
    assert next(w for w in later["order"]["windows"] if w["kind"] == "seller_reply")["overdue"] is True


def test_an_unseen_order_page_through_the_capture_route(client, auth, app):
    """A purchase page in a layout no scraper was written for, posted as the extension sends it and
    read by the real scrapers: the badge shows its reporting window counted as its own sentence
    says ("within 48 hours of revealing the key", although the quote is shorter), from the
    earliest moment the key can have been delivered, and the dispute plan shows the same instant;
    the chargeback names Mastercard's reason."""
    from tests.browser.detection_pages import EN_ORDER, EN_ORDER_URL
    from tests.conftest import capture_body

    body = capture_body("g2x-market-order.html", EN_ORDER_URL, html=EN_ORDER)
    posted = client.post("/v1/snapshots", json=body, headers=auth)
    assert posted.status_code == 201, posted.get_json()
    risk = client.get("/v1/risk", query_string={"url": EN_ORDER_URL}, headers=auth).get_json()
    window = next(w for w in risk["order"]["windows"] if w["hours"] == 48)
    assert window["start_rule"] == "reveal" and window["basis"]["start_basis"]["en"].startswith("the page states no")
    assert parse_iso(window["deadline"]) == parse_iso("2026-11-26T09:12:00+08:00")  # placed + 48 h, the earliest
    opened = client.post("/v1/disputes", json={"domain": "keyforge-market.eu", "order_no": "KF99120483",
                                               "problem": "invalid_code", "occurred_at": "2026-11-25T10:00:00+08:00"},
                         headers=auth)
    assert opened.status_code == 201, opened.get_json()
    d = opened.get_json()
    assert next(w for w in d["windows"] if w["id"] == window["id"])["deadline"] == window["deadline"]
    assert d["order"]["cross_border"] is True and d["order"]["amount"] == {"amount": "24.99", "currency": "EUR"}
    chargeback = d["letters"]["chargeback"]["en"]
    assert "4853" in chargeback and "Mastercard" in chargeback and "Consumer Rights Protection Law" not in chargeback
