"""Issue 14's defects in the dispute, one test each (they failed before the order judgement):
the phase of a page, the checklist's three states, one evidence item per content hash, the item
and amount in letters, the chargeback letter's grounds, and a window counted from the reveal."""
from __future__ import annotations

import copy

from server.clock import parse_iso

from .scenario import PNG_1PX, attach, fixture_url, labelled, open_dispute, rebuild, store, store_fixture

USER = "u_judgement"
XC_ORDER = "XC20261124100322581"


def _row(dispute: dict, item: str) -> dict:
    return next(r for r in dispute["checklist"] if r["item"] == item)


def _step(dispute: dict, name: str) -> dict:
    return next(s for s in dispute["escalation"] if s["step"] == name)


def _events_of(dispute: dict, snapshot_id: str) -> list[dict]:
    return [e for e in dispute["timeline"] if e["source"].get("snapshot_id") == snapshot_id]


# --- 1. the phase comes from what the page documents, not from when it was saved ----------------
def test_order_page_with_codes_saved_after_the_problem_is_delivery(app):
    store_fixture(app, USER, "xingchen-km-product", "2026-11-24T10:01:00.000+08:00")
    # The checklist says "save the order page now": the buyer does, two days after the problem.
    order = store_fixture(app, USER, "xingchen-km-order", "2026-11-28T09:00:00.000+08:00")
    d = open_dispute(app, USER, "account_recovered", domain="xingchen-km.com", order_no=XC_ORDER,
                     occurred_at="2026-11-26T11:00:00+08:00", created_at="2026-11-28T09:30:00+08:00",
                     now="2026-11-28T09:30:00+08:00")
    saved = [e for e in _events_of(d, order.id) if e["stated_at"] is None]
    assert [e["phase"] for e in saved] == ["delivery"]
    assert saved[0]["received_at"] == order.received_at  # the capture time stays a fact of its own
    stated = {e["stated_at"]: e["phase"] for e in _events_of(d, order.id) if e["stated_at"]}
    assert stated["2026-11-24T10:05:40+08:00"] == "delivery"


# --- 2. the checklist: three states, each saying what would complete it ---------------------------
def test_a_capture_after_the_problem_is_not_by_itself_problem_proof(app):
    store_fixture(app, USER, "xingchen-km-order", "2026-11-24T10:06:00.000+08:00")
    store_fixture(app, USER, "xingchen-km-shop", "2026-11-26T12:00:00.000+08:00")  # after the problem
    d = open_dispute(app, USER, "account_recovered", domain="xingchen-km.com", order_no=XC_ORDER,
                     occurred_at="2026-11-26T11:00:00+08:00", created_at="2026-11-26T14:00:00+08:00",
                     now="2026-11-26T15:00:00+08:00")
    row = _row(d, "problem_proof")
    assert row["present"] is False and row["state"] == "missing"
    assert row["complete"]["zh"] and row["complete"]["en"]


def test_the_shops_paid_status_is_at_most_partial_payment_proof(app):
    store_fixture(app, USER, "xingchen-km-order", "2026-11-24T10:06:00.000+08:00")
    d = open_dispute(app, USER, "account_recovered", domain="xingchen-km.com", order_no=XC_ORDER,
                     occurred_at="2026-11-26T11:00:00+08:00", created_at="2026-11-26T14:00:00+08:00",
                     now="2026-11-26T15:00:00+08:00")
    row = _row(d, "payment_proof")
    assert row["state"] == "partial" and row["present"] is False and row["evidence"]
    assert "支付宝" in row["complete"]["zh"] or "微信" in row["complete"]["zh"]
    proof = attach(app, USER, d["id"], "payment_proof", PNG_1PX, "alipay-bill.png", "2026-11-26T14:30:00.000+08:00")
    d = rebuild(app, USER, d["id"], "2026-11-26T15:00:00+08:00")
    row = _row(d, "payment_proof")
    assert row["state"] == "present" and row["present"] is True and proof.id in row["evidence"]
    assert {r["state"] for r in d["checklist"]} <= {"present", "partial", "missing"}
    for r in d["checklist"]:
        assert r["name"]["zh"] and r["state_name"]["zh"] and r["state_name"]["en"]
        assert r["item"] not in r["name"]["zh"]


# --- 3. the same bytes saved twice are one evidence item with two sightings -----------------------
def test_same_bytes_twice_are_one_item_with_two_sightings(app):
    first = store_fixture(app, USER, "xingchen-km-product", "2026-11-24T10:01:00.000+08:00")
    second = store_fixture(app, USER, "xingchen-km-product", "2026-11-25T09:00:00.000+08:00")
    store_fixture(app, USER, "xingchen-km-order", "2026-11-24T10:06:00.000+08:00")
    d = open_dispute(app, USER, "account_recovered", domain="xingchen-km.com", order_no=XC_ORDER,
                     occurred_at="2026-11-26T11:00:00+08:00", created_at="2026-11-26T14:00:00+08:00",
                     now="2026-11-26T15:00:00+08:00")
    items = [e for e in d["evidence"] if e["sha256"] == first.sha256]
    assert len(items) == 1
    assert [s["received_at"] for s in items[0]["sightings"]] == [first.received_at, second.received_at]
    assert {s["snapshot_id"] for s in items[0]["sightings"]} == {first.id, second.id}
    events = [e for e in d["timeline"] if e["sha256"] == first.sha256]
    assert len(events) == 1 and len(events[0]["sightings"]) == 2
    letter = d["letters"]["seller"]["zh"]
    assert letter.count(first.sha256) == 1


def test_the_pack_holds_the_bytes_once(app, tmp_path):
    import json
    import zipfile

    from server.disputes.export import export_pack

    first = store_fixture(app, USER, "xingchen-km-product", "2026-11-24T10:01:00.000+08:00")
    store_fixture(app, USER, "xingchen-km-product", "2026-11-25T09:00:00.000+08:00")
    store_fixture(app, USER, "xingchen-km-order", "2026-11-24T10:06:00.000+08:00")
    d = open_dispute(app, USER, "account_recovered", domain="xingchen-km.com", order_no=XC_ORDER,
                     occurred_at="2026-11-26T11:00:00+08:00", created_at="2026-11-26T14:00:00+08:00",
                     now="2026-11-26T15:00:00+08:00")
    pack = tmp_path / "pack.zip"
    with open(pack, "wb") as handle:
        export_pack(app.extensions["kadun"].redis, USER, d["id"], app.extensions["kadun"].signer, handle)
    with zipfile.ZipFile(pack) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    same = [i for i in manifest["items"] if i["sha256"] == first.sha256]
    assert len(same) == 1 and len(same[0]["sightings"]) == 2


# --- 4. letters: the ordered item and the amount the page shows, in its currency ------------------
def test_letters_name_the_ordered_item_and_the_paid_amount(app):
    store_fixture(app, USER, "acg-faka-order", "2026-11-24T15:33:00.000+08:00")
    d = open_dispute(app, USER, "invalid_code", domain="qiyu-shop.cn", order_no="261124153208774512",
                     amount={"amount": "30.00", "currency": "CNY"},  # typed by the buyer, from memory
                     occurred_at="2026-11-24T16:00:00+08:00", created_at="2026-11-24T16:10:00+08:00",
                     now="2026-11-24T16:10:00+08:00")
    assert d["order"]["item"] == "Steam 随机游戏 CDK（3A大作池）"
    assert d["order"]["amount"] == {"amount": "25.60", "currency": "CNY"}
    letter = d["letters"]["seller"]["zh"]
    assert "「Steam 随机游戏 CDK（3A大作池）」" in letter and "（见订单页）" not in letter
    assert "¥25.60" in letter and "¥30.00" not in letter


def test_the_typed_amount_is_the_fallback_and_keeps_its_currency(app):
    facts = copy.deepcopy(labelled("acg-faka-order"))
    facts["order"]["amount"] = None
    store(app, USER, "<html><body><p>订单号：261124153208774512</p></body></html>",
          fixture_url("acg-faka-order.html"), facts, "2026-11-24T15:33:00.000+08:00")
    d = open_dispute(app, USER, "invalid_code", domain="qiyu-shop.cn", order_no="261124153208774512",
                     amount={"amount": "19.90", "currency": "EUR"}, occurred_at="2026-11-24T16:00:00+08:00",
                     created_at="2026-11-24T16:10:00+08:00", now="2026-11-24T16:10:00+08:00")
    assert d["order"]["amount"] == {"amount": "19.90", "currency": "EUR"}
    assert "19.90 EUR" in d["letters"]["seller"]["zh"] and "19.90 EUR" in d["letters"]["seller"]["en"]


# --- 5. a cross-border chargeback rests on the card network's rules -----------------------------
EU_URL = "https://www.keyhaven-market.eu/account/orders/KH-88213"
EU_HTML = """<!DOCTYPE html><html lang="en"><head><title>Order KH-88213 | KeyHaven</title></head><body>
<h1>Order details</h1><p>Order number: KH-88213</p><p>Order placed: 2026-11-24 09:00 (UTC)</p>
<p>Paid with Visa ending 4242: €49.99</p><p>Item: Forza Horizon 5 Premium | Xbox Key | EU</p>
<p>Status: Paid</p><p>Instant delivery</p>
<footer>© 2021-2026 KeyHaven Market B.V. All rights reserved.</footer></body></html>"""
EU_FACTS = {
    "url": EU_URL, "domain": "keyhaven-market.eu", "page_kind": "order", "system": "generic",
    "platform": {"name": "KeyHaven", "icp": None, "copyright_years": [2021, 2026], "deposit_system": None,
                 "advance_compensation": None, "dispute_channel": None},
    "seller": {"name": None, "id": None, "contacts": [], "deposit": None, "opened_on": None, "sales": None},
    "product": {"title": None, "price": None, "stock": None},
    "order": {"order_no": "KH-88213", "item": "Forza Horizon 5 Premium | Xbox Key | EU",
              "amount": {"amount": "49.99", "currency": "EUR"}, "quantity": 1, "payment_method": "card",
              "status": "paid", "card_codes": []},
    "timestamps": [{"role": "ordered", "label": "Order placed", "at": "2026-11-24T09:00:00+00:00"}],
    "promises": [{"kind": "delivery_window", "quote": "Instant delivery", "hours": 0}],
    "policies": [],
}


def test_cross_border_chargeback_letter_cites_the_card_network(app):
    store(app, USER, EU_HTML, EU_URL, EU_FACTS, "2026-11-24T17:05:00.000+08:00")
    d = open_dispute(app, USER, "not_delivered", domain="keyhaven-market.eu", order_no="KH-88213",
                     occurred_at="2026-11-25T09:00:00+00:00", created_at="2026-11-25T10:00:00+00:00",
                     now="2026-11-25T10:00:00+00:00")
    assert d["order"]["cross_border"] is True
    letter = d["letters"]["chargeback"]
    assert "13.1" in letter["zh"] and "13.1" in letter["en"] and "Visa" in letter["en"]
    assert "消费者权益保护法" not in letter["zh"] and "Consumer Rights Protection Law" not in letter["en"]
    assert "49.99 EUR" in letter["en"] and "KH-88213" in letter["en"]
    assert "Forza Horizon 5 Premium" in letter["en"]
    chargeback = _step(d, "chargeback")
    assert "13.1" in chargeback["basis"]["en"]
    for name in ("seller", "platform"):
        assert "消费者权益保护法" not in d["letters"][name]["zh"]


def test_not_as_described_on_an_unknown_card_names_both_networks(app):
    facts = copy.deepcopy(EU_FACTS)
    html = EU_HTML.replace("Visa ending 4242", "card")
    store(app, USER, html, EU_URL, facts, "2026-11-24T17:05:00.000+08:00")
    d = open_dispute(app, USER, "not_as_described", domain="keyhaven-market.eu", order_no="KH-88213",
                     occurred_at="2026-11-25T09:00:00+00:00", created_at="2026-11-25T10:00:00+00:00",
                     now="2026-11-25T10:00:00+00:00")
    letter = d["letters"]["chargeback"]["en"]
    assert "13.3" in letter and "4853" in letter and "13.1" not in letter


# --- 6. "within 48 hours of revealing the key" counts from delivery / reveal ---------------------
REVEAL_FACTS = copy.deepcopy(EU_FACTS)
REVEAL_FACTS["order"].update(status="delivered", card_codes=["ABCD-EFGH-IJKL"])
REVEAL_FACTS["timestamps"] = [
    {"role": "paid", "label": "Payment time", "at": "2026-11-24T09:00:00+00:00"},
    {"role": "delivered", "label": "Delivered", "at": "2026-11-26T15:00:00+00:00"}]
REVEAL_FACTS["policies"] = [{"kind": "feedback_window", "hours": 48,
                             "quote": "Problems with your order must be reported within 48 hours of revealing the key"}]


def test_a_reveal_window_counts_from_the_delivery_the_page_states(app):
    store(app, USER, EU_HTML, EU_URL, REVEAL_FACTS, "2026-11-26T16:00:00.000+00:00")
    d = open_dispute(app, USER, "invalid_code", domain="keyhaven-market.eu", order_no="KH-88213",
                     occurred_at="2026-11-27T09:00:00+00:00", created_at="2026-11-27T10:00:00+00:00",
                     now="2026-11-27T10:00:00+00:00")
    window = next(w for w in d["windows"] if w["basis"].get("quote") == REVEAL_FACTS["policies"][0]["quote"])
    assert window["start_rule"] == "reveal"
    assert parse_iso(window["start"]) == parse_iso("2026-11-26T15:00:00+00:00")
    assert parse_iso(window["deadline"]) == parse_iso("2026-11-28T15:00:00+00:00")


def test_a_delivered_label_is_a_delivery_time(app):
    facts = copy.deepcopy(REVEAL_FACTS)
    facts["timestamps"][1]["role"] = "other"  # the page's own "Delivered" line, not read as a role
    store(app, USER, EU_HTML, EU_URL, facts, "2026-11-26T16:00:00.000+00:00")
    d = open_dispute(app, USER, "invalid_code", domain="keyhaven-market.eu", order_no="KH-88213",
                     occurred_at="2026-11-27T09:00:00+00:00", created_at="2026-11-27T10:00:00+00:00",
                     now="2026-11-27T10:00:00+00:00")
    window = next(w for w in d["windows"] if w["kind"] in ("feedback", "verify_now", "platform_apply"))
    assert parse_iso(window["deadline"]) == parse_iso("2026-11-28T15:00:00+00:00")


def test_a_single_shop_is_not_named_as_a_seller_of_itself(app):
    store_fixture(app, USER, "acg-faka-item", "2026-11-24T15:30:00.000+08:00")
    store_fixture(app, USER, "acg-faka-order", "2026-11-24T15:33:00.000+08:00")
    d = open_dispute(app, USER, "shop_vanished", domain="qiyu-shop.cn", order_no="261124153208774512",
                     occurred_at="2026-11-25T09:00:00+08:00", created_at="2026-11-25T10:00:00+08:00",
                     now="2026-11-25T10:00:00+08:00")
    assert d["order"]["single_shop"] is True and d["order"]["seller"] is None
    assert d["order"]["platform"] == "奇遇小铺"
    letter = d["letters"]["seller"]["zh"]
    assert "向奇遇小铺购买" not in letter and "在奇遇小铺（店铺）购买了「Steam 随机游戏 CDK（3A大作池）」" in letter
    assert "店主" in letter.splitlines()[0]


def test_a_paypal_purchase_is_disputed_at_paypal_within_its_own_time(app):
    facts = copy.deepcopy(EU_FACTS)
    facts["order"]["payment_method"] = "paypal"
    store(app, USER, EU_HTML.replace("Visa ending 4242", "PayPal"), EU_URL, facts, "2026-11-24T17:05:00.000+08:00")
    d = open_dispute(app, USER, "not_delivered", domain="keyhaven-market.eu", order_no="KH-88213",
                     occurred_at="2026-11-25T09:00:00+00:00", created_at="2026-11-25T10:00:00+00:00",
                     now="2026-11-25T10:00:00+00:00")
    chargeback = _step(d, "chargeback")
    assert chargeback["network"] == "paypal" and chargeback["reason_codes"] == ["INR"]
    # 180 days from the payment (PayPal counts from the payment, not from a promised date).
    assert parse_iso(chargeback["deadline"]) == parse_iso("2027-05-23T09:00:00+00:00")
    assert "PayPal" in chargeback["channel_en"]
    letter = d["letters"]["chargeback"]["en"]
    assert "Item Not Received" in letter and "Resolution Center" in letter and "13.1" not in letter
