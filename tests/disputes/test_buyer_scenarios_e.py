"""Buyers' real situations, round 5: first the five gaps round 4 left (PayPal Friends and Family, a
double charge, a refund agreed in the chat before the shop vanished, 假一赔十, a bundle delivered in
part), then twenty situations rounds 1-4 did not cover, built the same way: pages a buyer saw
(buyer_pages.py), read by the scrapers as POST /v1/snapshots reads them, stored at the moments the
buyer saved them, then the dispute as KaDun builds it. Each docstring says what a consumer-rights
advisor would tell this buyer, as far as docs/LEGAL.md supports it; the test checks KaDun says that
(and nothing it should not) in zh-CN and en. Where round 5 changed the engine, a counter-example test
beside the scenario shows where the new rule stops."""
from __future__ import annotations

import re

from . import buyer_pages as P
from .scenario import assert_invariants, open_dispute
from .test_buyer_scenarios import _codes, _states, _step, _steps, assert_readable, capture
from .test_buyer_scenarios_b import _all_texts
from .test_buyer_scenarios_d import KM, USER, _body, _chat, _order, _product, _terms

RAW5 = re.compile(r"\b(?:duplicate_charge|fake_compensation|paypal_personal|refund_agreed|bundle_part|"
                  r"confirm_before_delivery|price_above_listing|surcharge_demand|refund_fee_scam|"
                  r"snp_[0-9a-f]+|att_[0-9a-f]+)\b")


def _readable(d: dict) -> None:
    """assert_readable, and no finding code (nor a raw evidence id) in any text a user reads."""
    assert_readable(d)
    for text in _all_texts(d):
        assert not RAW5.search(text), text


def _open(app, problem, no, occurred, now, description, domain="jinyu-km.com"):
    d = open_dispute(app, USER, problem, domain=domain, order_no=no, occurred_at=occurred, created_at=now, now=now,
                     description=description)
    assert_invariants(app, USER, d)
    _readable(d)
    return d


def _market(app, no, item, amount, payment, *, key=None, currency="USD", notes=(), brand="KeyVault",
            host="https://www.keyvault.gg", at="2026-11-25T10:02:00.000+08:00", paid="2026-11-25 10:00"):
    capture(app, P.market_order(brand, order_no=no, item=item, seller="StreamDeals", amount=amount, currency=currency,
                                paid=paid, delivered=None, payment=payment, key=key, notes=list(notes)),
            f"{host}/account/orders/{no}", at)


# === gap 1: PayPal Friends and Family has no PayPal buyer protection ===============================

def test_g1_paypal_friends_and_family_gets_no_paypal_dispute_step(app):
    """Advisor: the seller had the buyer send $45 by PayPal "Friends and Family" and never delivered.
    PayPal's buyer protection does not cover such personal payments, so a PayPal dispute (INR, 180
    days) is no remedy to promise, and a card issuer will hardly charge back a payment the buyer
    sent as a gift. What applies: the marketplace (report the seller: its rules usually forbid
    steering buyers off its protection), and the police (asking for F&F to dodge protection is a
    fraud sign). KaDun offered a PayPal dispute step (round 4 recorded it); the chosen rule: no
    chargeback step for a PayPal payment whose page says Friends and Family, a finding that says so
    plainly, and a police step whose reason names it."""
    _market(app, "KV-7781301", "Netflix Premium 12 months", "45.00", "PayPal (Friends and Family)")
    d = _open(app, "not_delivered", "KV-7781301", "2026-11-26T10:00:00+08:00", "2026-12-01T09:00:00+08:00",
              "The seller asked me to pay by PayPal friends and family, and never sent the account", domain="keyvault.gg")
    assert d["order"]["payment_network"] == "paypal"
    assert "chargeback" not in _steps(d) and "chargeback" not in {w["kind"] for w in d["windows"]}
    personal, = _codes(d, "paypal_personal")
    assert "Friends and Family" in personal["quote"]
    assert "不适用" in personal["explanation"]["zh"] and "does not cover" in personal["explanation"]["en"]
    assert _steps(d) == ["seller", "platform", "regulator", "police"]
    assert "paypal_personal" in _step(d, "police")["reasons"]
    assert "Friends and Family" in d["letters"]["platform"]["en"] and "好友付款" in d["letters"]["platform"]["zh"]
    assert "PayPal 争议中心" not in d["letters"]["platform"]["zh"]  # nothing offers the dispute that does not exist
    assert "Resolution Center" not in " ".join(_step(d, "platform")["basis"].values())


def test_g1b_paypal_goods_and_services_keeps_its_dispute(app):
    """Counter-example: a PayPal payment for goods and services keeps PayPal's dispute step (180 days)."""
    _market(app, "KV-7781302", "Netflix Premium 12 months", "45.00", "PayPal (Goods and Services)")
    d = _open(app, "not_delivered", "KV-7781302", "2026-11-26T10:00:00+08:00", "2026-12-01T09:00:00+08:00",
              "Never sent the account", domain="keyvault.gg")
    assert _step(d, "chargeback")["deadline"] == "2027-05-24T10:00:00+08:00"
    assert _codes(d, "paypal_personal") == [] and "police" not in _steps(d)
    from server.risk import clauses

    assert clauses.paypal_personal("付款方式：PayPal 好友付款") and clauses.paypal_personal("PayPal F&F")
    assert clauses.paypal_personal("PayPal (Goods and Services)") is None


# === gap 2: one order paid twice ====================================================================

def test_g2_one_order_charged_twice(app):
    """Advisor: WeChat took ¥100 twice for one order: the second payment paid for nothing and is owed
    back whole (民法典第九百八十五条, unjust enrichment), whatever the goods did. Ask the seller, then
    the WeChat bill's complaint on the duplicate; the payment proof is the two bills. KaDun had no
    finding for it (round 4); now `duplicate_charge` with the amount, and the letters ask for it."""
    no = "JY202612011000201"
    _order(app, no, "王者荣耀 点券 1000", "100.00", codes=["充值成功"], payment="微信支付")
    d = _open(app, "other", no, "2026-12-01T10:00:00+08:00", "2026-12-01T12:00:00+08:00",
              "付款时页面卡住，微信扣了两次100元，订单只有一个，要求退还重复扣的100元")
    dup, = _codes(d, "duplicate_charge")
    assert dup["charge"] == {"amount": "100.00", "currency": "CNY"}
    assert "第九百八十五条" in dup["explanation"]["zh"] and "Article 985" in dup["explanation"]["en"]
    seller = _body(d["letters"]["seller"]["zh"])
    assert "被扣款两次" in seller and "退还重复扣取的一笔 ¥100.00" in seller
    assert "return the duplicate charge of 100.00 CNY" in d["letters"]["seller"]["en"]
    assert _step(d, "platform")["payment_channel"]["app"] == "wechat"
    assert "第二十三条" not in seller


def test_g2b_a_code_tried_twice_or_an_order_placed_twice_is_no_double_charge(app):
    """Counter-example: "兑换了两次都提示无效" is a code that fails, not a payment made twice."""
    no = "JY202612011000202"
    _order(app, no, "Steam 充值卡 100元", "95.00", codes=["STEAM-1100-2200-3300"])
    d = _open(app, "invalid_code", no, "2026-12-01T10:05:00+08:00", "2026-12-01T11:00:00+08:00", "兑换了两次都提示无效")
    assert _codes(d, "duplicate_charge") == []
    from server.risk import clauses

    for words in ("重复扣款了", "被扣了2次钱", "I was charged twice", "多扣了一笔"):
        assert clauses.duplicate_charge(words), words
    for words in ("下了两次单", "兑换了两次", "试了两次", "付款失败两次"):
        assert clauses.duplicate_charge(words) is None, words


# === gap 3: a refund agreed in the chat, then the shop vanished =====================================

def _agreed(app, no, reply, *, refunded_after=False):
    _order(app, no, "网易云音乐黑胶VIP 年卡", "88.00", status="已付款", created="2026-12-05 10:00:00",
           paid="2026-12-05 10:00:20", delivered=None, payment="微信支付", at="2026-12-05T10:02:00.000+08:00")
    _chat(app, no, [("我", "2026-12-05 12:00", "还没发货，请退款"), ("星辰游戏店", "2026-12-05 12:10", reply)],
          "2026-12-05T12:11:00.000+08:00")
    _order(app, no, "网易云音乐黑胶VIP 年卡", "88.00", status="已退款" if refunded_after else "已付款",
           created="2026-12-05 10:00:00", paid="2026-12-05 10:00:20", delivered=None, payment="微信支付",
           notice="" if refunded_after else "该店铺已关闭", at="2026-12-07T09:00:00.000+08:00")


def test_g3_refund_agreed_in_the_chat_then_the_shop_vanished(app):
    """Advisor: the seller wrote 「好的亲，明天中午前给你原路退款88元」 and closed the shop. Its own
    agreement to refund is the strongest line of the case: the letters quote it (to the platform, to
    12315, to the police) as the seller's undertaking that was not kept. KaDun had no finding using
    it (round 4): now a broken refund promise, quoted from the chat."""
    no = "JY202612051000301"
    _agreed(app, no, "好的亲，明天中午前给你原路退款88元")
    d = _open(app, "shop_vanished", no, "2026-12-06T12:00:00+08:00", "2026-12-07T09:10:00+08:00",
              "商家答应第二天中午前退款88元，结果店铺关了，人也联系不上")
    agreed, = [f for f in _codes(d, "promise_broken") if f.get("agreed")]
    assert agreed["promise_kind"] == "refund" and agreed["quote"] == "好的亲，明天中午前给你原路退款88元"
    assert "商家在聊天中答应退款" in agreed["explanation"]["zh"]
    for step in ("platform", "regulator", "police"):
        assert "「好的亲，明天中午前给你原路退款88元」" in d["letters"][step]["zh"], step
        assert "“好的亲，明天中午前给你原路退款88元”" in d["letters"][step]["en"], step
    assert _steps(d) == ["seller", "platform", "regulator", "consumer_association", "police"]


def test_g3b_a_refusal_or_a_refund_made_is_no_agreed_refund(app):
    """Counter-examples: 「不能退款，虚拟商品概不退换」 promises nothing; an agreement followed by an
    order page saying 已退款 was kept (a refund that never arrived is refund_not_received's)."""
    d = None
    no = "JY202612051000302"
    _agreed(app, no, "不能退款，虚拟商品概不退换")
    d = _open(app, "shop_vanished", no, "2026-12-06T12:00:00+08:00", "2026-12-07T09:10:00+08:00", "店铺关了")
    assert not [f for f in _codes(d, "promise_broken") if f.get("agreed")]
    no = "JY202612051000303"
    _agreed(app, no, "好的，马上给你退款", refunded_after=True)
    d = _open(app, "not_delivered", no, "2026-12-06T12:00:00+08:00", "2026-12-07T09:10:00+08:00", "一直没发货")
    assert not [f for f in _codes(d, "promise_broken") if f.get("agreed")]
    from server.risk import clauses

    assert clauses.chat_refund_promise("我们今天会把钱退给你") and clauses.chat_refund_promise("OK, I will refund you today")
    for line in ("请给我退款", "我要退款", "没法退款哦", "I want a refund"):
        assert clauses.chat_refund_promise(line) is None, line


# === gap 4: 假一赔十 claimed as promised ===========================================================

def _fake(app, no, told):
    _product(app, "50401", "爱奇艺黄金会员 月卡 官方直充", "15.00", ["官方正品，假一赔十", "自动发货"])
    _order(app, no, "爱奇艺黄金会员 月卡 官方直充", "15.00", codes=["IQY-0000-1111-4444"])
    return _open(app, "invalid_code", no, "2026-12-01T10:05:00+08:00", "2026-12-01T11:00:00+08:00", told)


def test_g4_ten_fold_for_a_fake_is_claimed_as_promised(app):
    """Advisor: the listing says 「官方正品，假一赔十」 and iQIYI says the code does not exist: the
    seller's own promise binds it (消法第十六条: what an operator agrees with a consumer it must keep):
    claim 10 × ¥15 = ¥150, quoting it; note that knowingly selling a fake is fraud with at least ¥500
    under 第五十五条, whichever is more. KaDun claimed only a replacement or refund (round 4)."""
    d = _fake(app, "JY202612011000401", "兑换提示卡密不存在，是假卡")
    claim, = _codes(d, "fake_compensation")
    assert claim["quote"] == "假一赔十" and claim["claim"] == {"multiple": 10, "paid": "15.00", "amount": "150.00",
                                                            "currency": "CNY"}
    seller = _body(d["letters"]["seller"]["zh"])
    assert "「假一赔十」" in seller and "¥150.00" in seller and "第十六条" in seller
    assert "10 times the ¥15.00" not in d["letters"]["seller"]["en"] and "150.00 CNY" in d["letters"]["seller"]["en"]
    assert "第五十五条" in claim["explanation"]["zh"]
    assert _codes(d, "platform_compensation") == []  # still the seller's promise, not the platform's


def test_g4b_a_used_code_is_no_fake(app):
    """Counter-example: 「卡密已被使用」 is a code that fails, not a fake: claimed as such, no multiple."""
    d = _fake(app, "JY202612011000402", "兑换提示卡密已被使用")
    assert _codes(d, "fake_compensation") == []
    assert "¥150.00" not in d["letters"]["seller"]["zh"]
    from server.risk import clauses

    assert clauses.fake_multiple("假一罚三") == (3, "假一罚三") and clauses.fake_multiple("假一赔1") is None


# === gap 5: a bundle delivered in part ==============================================================

def _bundle(app, no, lines):
    _product(app, "50501", "Office 2021 专业增强版 + Windows 11 专业版 套装激活码", "89.00", lines,
             at="2026-12-03T09:58:00.000+08:00")
    _order(app, no, "Office 2021 专业增强版 + Windows 11 专业版 套装激活码", "89.00", created="2026-12-03 10:00:00",
           paid="2026-12-03 10:00:20", delivered="2026-12-03 10:01:00",
           codes=["Windows 11: VK7JG-NPHTM-C97JM-9MPGT-3V66T"], at="2026-12-03T10:02:00.000+08:00")
    return _open(app, "not_as_described", no, "2026-12-03T10:05:00+08:00", "2026-12-03T11:00:00+08:00",
                 "套装只发了Windows激活码，Office的激活码没有发")


def test_g5_bundle_with_each_part_priced_claims_the_missing_parts_share(app):
    """Advisor: the bundle page states each part's own price (单买Office ¥69, 单买Windows ¥39) and only
    the Windows key came: the missing Office is 69/108 of the ¥89 paid, ¥56.86: ask for the Office
    key or that share back (消法第二十三、二十四条). Computed from the page's own prices, never split
    by count."""
    d = _bundle(app, "JY202612031000501", ["套装包含Office 2021激活码和Windows 11激活码各一个",
                                           "单买Office 2021 专业增强版：¥69.00", "单买Windows 11 专业版：¥39.00"])
    part, = _codes(d, "partial_delivery")
    assert part["bundle"]["missing"] == ["Office 2021 专业增强版"] and part["bundle"]["share"] == "56.86"
    seller = _body(d["letters"]["seller"]["zh"])
    assert "缺少的「Office 2021 专业增强版」" in seller and "¥56.86" in seller


def test_g5b_bundle_without_part_prices_invents_no_share(app):
    """Counter-example (round 4's bundle): the pages state no price per part: no share is computed;
    the letter asks for the missing part, or the whole price when it cannot come."""
    d = _bundle(app, "JY202612031000502", ["套装包含Office 2021激活码和Windows 11激活码各一个"])
    part, = _codes(d, "partial_delivery")
    assert part["bundle"]["share"] is None and "不按件数平分" in part["explanation"]["zh"]
    seller = _body(d["letters"]["seller"]["zh"])
    assert "¥44.50" not in seller and "不能补发的，退还全部货款" in seller
