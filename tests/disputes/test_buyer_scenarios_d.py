"""Buyers' real situations, round 4: thirty situations rounds 1-3 (test_buyer_scenarios.py, _b.py,
_c.py) did not cover, built the same way: pages a buyer saw (buyer_pages.py), read by the scrapers as
POST /v1/snapshots reads them, stored at the moments the buyer saved them, then the dispute as KaDun
builds it. Each docstring says what a consumer-rights advisor would tell this buyer, as far as
docs/LEGAL.md supports it; the test checks KaDun says that (and nothing it should not) in zh-CN and
en. Where round 4 changed the engine, a counter-example test beside the scenario shows where the new
rule stops."""
from __future__ import annotations

import re

from . import buyer_pages as P
from .scenario import assert_invariants, open_dispute
from .test_buyer_scenarios import JINYU, JINYU_ICP, _codes, _states, _step, _steps, assert_readable, capture
from .test_buyer_scenarios_b import _all_texts

USER = "u_buyers"  # the user test_buyer_scenarios.capture saves pages for
KM = "https://www.jinyu-km.com"
RAW4 = re.compile(r"\b(?:confirm_before_delivery|price_above_listing|no_reason_return|unused_term|short_top_up|"
                  r"surcharge_demand|platform_compensation|description_changed|refund_fee_scam|"
                  r"snp_[0-9a-f]+|att_[0-9a-f]+)\b")


def _readable(d: dict) -> None:
    """assert_readable, and no finding code (nor a raw evidence id) in any text a user reads."""
    assert_readable(d)
    for text in _all_texts(d):
        assert not RAW4.search(text), text


def _letters(d: dict, lang: str = "zh") -> str:
    return "\n".join(letter[lang] for letter in d["letters"].values())


def _body(letter: str) -> str:
    """A letter without its evidence list (whose page names would match any word)."""
    return letter.split("证据（")[0].split("Evidence (")[0]


def _order(app, no, item, amount, *, status="已完成", created="2026-12-01 10:00:00", paid="2026-12-01 10:00:20",
           delivered="2026-12-01 10:01:00", payment="支付宝", codes=(), seller="星辰游戏店", notice="",
           at="2026-12-01T10:02:00.000+08:00"):
    capture(app, P.kameng_order(JINYU, order_no=no, item=item, seller=seller, amount=amount, status=status,
                                created=created, paid=paid, delivered=delivered, payment=payment, codes=list(codes),
                                icp=JINYU_ICP, notice=notice), f"{KM}/user/order/{no}", at)


def _product(app, gid, title, price, lines, *, seller="星辰游戏店", at="2026-12-01T09:58:00.000+08:00"):
    capture(app, P.kameng_product(JINYU, title=title, price=price, seller=seller, seller_id="40001", lines=lines,
                                  icp=JINYU_ICP), f"{KM}/goods/{gid}", at)


def _chat(app, no, messages, at, seller="星辰游戏店"):
    capture(app, P.kameng_chat(JINYU, seller=seller, order_no=no, messages=messages, icp=JINYU_ICP),
            f"{KM}/user/chat/{no}", at)


def _terms(app, clauses, at="2026-12-01T09:50:00.000+08:00"):
    capture(app, P.kameng_terms(JINYU, clauses=clauses, icp=JINYU_ICP), f"{KM}/help/rules", at)


def _open(app, problem, no, occurred, now, description, domain="jinyu-km.com"):
    d = open_dispute(app, USER, problem, domain=domain, order_no=no, occurred_at=occurred, created_at=now, now=now,
                     description=description)
    assert_invariants(app, USER, d)
    _readable(d)
    return d


# --- wrong before round 4: a kept delivery promise called broken --------------------------------

def _wrong_uid(app, no: str, delivered: str) -> dict:
    _product(app, "50001", "原神 6480创世结晶 UID直充", "648.00", ["填写UID直充，10分钟内到账"])
    _order(app, no, "原神 6480创世结晶 UID直充", "648.00", delivered=delivered, codes=["充值UID：108834512 已充值"])
    _chat(app, no, [("我", "2026-12-01 10:50", "我的UID是108834521，你充到108834512去了，没有到账"),
                    ("星辰游戏店", "2026-12-01 10:55", "是我们填错了UID，已经充进去了没法撤回，你自己找那个人要吧")],
          "2026-12-01T10:56:00.000+08:00")
    return _open(app, "not_delivered", no, "2026-12-01T10:45:00+08:00", "2026-12-01T11:00:00+08:00",
                 "商家把6480创世结晶充到了别人的UID 108834512，我的UID是108834521，商家承认填错却不补充")


def test_01_recharge_credited_to_the_wrong_uid(app):
    """Advisor: the seller topped up someone else's UID and admits it in the chat: the buyer never
    received what was paid for; ask for the top-up on the right UID or a full refund. The order page
    states the top-up 1 minute after the payment, inside its 「10分钟内到账」: that promise was kept, and
    saying it was broken (as KaDun did) hands the seller an easy rebuttal. Evidence: the chat is the
    negotiation record; the game's recharge record of the buyer's UID is the proof still missing."""
    d = _wrong_uid(app, "JY202612011000001", "2026-12-01 10:01:00")
    assert _codes(d, "promise_broken") == []
    assert _states(d)["negotiation_record"] == "present" and _states(d)["problem_proof"] == "missing"
    seller = _body(d["letters"]["seller"]["zh"])
    assert "10分钟内到账" not in seller and "立即发货或全额退款" in seller
    assert "108834512" in seller  # the buyer's own account of what went wrong stays in the letter
    assert _steps(d) == ["seller", "platform", "regulator", "consumer_association"]
    assert _step(d, "platform")["payment_channel"]["app"] == "alipay"


def test_01b_a_top_up_stated_after_its_promised_ten_minutes_breaks_the_promise(app):
    """Counter-example: the same order stated 30 minutes after the payment broke 「10分钟内到账」, and
    the finding says when it was due, in minutes."""
    d = _wrong_uid(app, "JY202612011000101", "2026-12-01 10:30:00")
    broken, = _codes(d, "promise_broken")
    assert broken["quote"] == "10分钟内到账" and broken["due"] == "2026-12-01T10:10:20+08:00"
    assert "付款/下单时间加10分钟" in broken["explanation"]["zh"] and "plus 10 minutes" in broken["explanation"]["en"]


def test_durations_under_an_hour_read_in_minutes():
    from server.risk.messages import duration

    assert duration(1 / 6) == {"zh": "10分钟", "en": "10 minutes"}
    assert duration(0.5)["zh"] == "30分钟" and duration(1)["zh"] == "1小时" and duration(168)["zh"] == "7天"
    assert duration(0.17) == {"zh": "10分钟", "en": "10 minutes"}  # the scrapers' 「10分钟」, rounded
    assert duration(0.08)["zh"] == "5分钟" and duration(1.5)["zh"] == "1.5小时"
    assert duration(0.123)["zh"] == "0.12小时"  # no whole minute: as before


# --- wrong before: a promise read twice ---------------------------------------------------------

def _lifetime(app, no: str, told: str) -> dict:
    _product(app, "50002", "ChatGPT Plus 永久会员 独享账号", "199.00", ["终身使用，永久有效", "掉了包售后"],
             at="2026-09-01T09:58:00.000+08:00")
    _order(app, no, "ChatGPT Plus 永久会员 独享账号", "199.00", created="2026-09-01 10:00:00", paid="2026-09-01 10:00:20",
           delivered="2026-09-01 10:01:00", codes=["账号：gpt881@outlook.com 密码：Gp#8812"],
           at="2026-09-01T10:02:00.000+08:00")
    _chat(app, no, [("我", "2026-12-02 09:00", "永久会员三个月就没了，Plus变成免费版了"),
                    ("星辰游戏店", "2026-12-02 09:30", "永久是指账号永久，会员只保三个月，不售后")],
          "2026-12-02T09:31:00.000+08:00")
    return _open(app, "not_as_described", no, "2026-12-01T20:00:00+08:00", "2026-12-02T10:00:00+08:00", told)


def test_02_lifetime_membership_ended_after_three_months(app):
    """Advisor: 「ChatGPT Plus 永久会员」 fell back to the free plan after three months and the seller
    says "永久 means the account, the membership is three months". The seller's own words promised
    a lifetime membership: ask it to restore the membership or refund (消法第二十三、二十四条). The
    argument is that promise, quoted once (「永久会员」, not again as its part 「永久」), and not the
    listing's other promise 「独享」, which the buyer does not say failed: KaDun argued all three."""
    d = _lifetime(app, "JY202609011000002", "买的终身会员，3个月后会员到期变成免费版，商家说只保三个月")
    assert [(f["promise_kind"], f["quote"]) for f in _codes(d, "promise_broken")] == [("lifetime", "永久会员")]
    seller = _body(d["letters"]["seller"]["zh"])
    assert "「永久会员」" in seller and "「永久」" not in seller and "独享" not in seller.split("。", 1)[1]
    assert "第二十三条、第二十四条" in seller
    assert _states(d)["negotiation_record"] == "present"
    assert _steps(d) == ["seller", "platform", "regulator", "consumer_association"]


def test_02b_words_that_name_no_promise_leave_every_promise_of_the_listing(app):
    """Counter-example: "和描述不一样" names no promise: every promise a "not as described" order can
    break is argued, as before."""
    d = _lifetime(app, "JY202609011000102", "和描述不一样")
    assert {f["promise_kind"] for f in _codes(d, "promise_broken")} == {"lifetime", "exclusive"}
    from server.risk import clauses

    assert clauses.named_promise_kinds("邮箱登录不上，不是首邮") == {"original_owner"}
    assert clauses.named_promise_kinds("账号是共享的") == {"exclusive"}


# --- missing before: asked to confirm receipt before the delivery --------------------------------

def test_03_seller_asks_to_confirm_receipt_before_delivering(app):
    """Advisor: an hour after paying, no card, and the seller says "系统卡单了，你先点确认收货，我马上手动
    发卡": do not confirm. Confirming tells the platform the goods arrived and releases the money;
    the platform will then hardly step in. Keep the chat, ask for the delivery first; the promise
    「30分钟内发卡」 is broken (due 30 minutes after the payment). The letters refuse the request."""
    no = "JY202612021000003"
    _product(app, "50003", "Steam 钱包充值卡 500元", "470.00", ["人工发货，30分钟内发卡"], at="2026-12-02T09:58:00.000+08:00")
    _order(app, no, "Steam 钱包充值卡 500元", "470.00", status="已付款", created="2026-12-02 10:00:00",
           paid="2026-12-02 10:00:20", delivered=None, at="2026-12-02T10:02:00.000+08:00")
    _chat(app, no, [("我", "2026-12-02 11:00", "一个小时了还没发卡"),
                    ("星辰游戏店", "2026-12-02 11:05", "系统卡单了，你先点确认收货，我马上手动发卡给你")],
          "2026-12-02T11:06:00.000+08:00")
    d = _open(app, "not_delivered", no, "2026-12-02T10:30:00+08:00", "2026-12-02T11:10:00+08:00",
              "付款后没发卡，客服让我先确认收货再发卡")
    confirm, = _codes(d, "confirm_before_delivery")
    assert "先点确认收货" in confirm["quote"]
    assert "请不要确认收货" in confirm["explanation"]["zh"] and "Do not confirm" in confirm["explanation"]["en"]
    broken, = _codes(d, "promise_broken")
    assert broken["quote"] == "30分钟内发卡" and "加30分钟" in broken["explanation"]["zh"]
    for step in ("seller", "platform"):
        assert "在收到商品之前我不会确认收货" in d["letters"][step]["zh"]
        assert "I will not confirm receipt before I receive the goods" in d["letters"][step]["en"]
    assert _steps(d) == ["seller", "platform", "regulator", "consumer_association"]


def test_confirm_first_words_are_a_request_before_delivery_not_a_rule_about_it():
    from server.risk import clauses

    for line in ("你先点确认收货，我马上手动发卡给你", "先确认收货再发货", "确认收货后马上发卡", "确认收货后我再补发",
                 "please confirm the receipt first and I will send the key"):
        assert clauses.confirm_first(line), line
    for line in ("确认收货后7天内可申请售后", "收到卡密后请及时确认收货", "买家确认收货后交易完成", "已确认收货"):
        assert clauses.confirm_first(line) is None, line


def test_03b_asking_to_confirm_what_arrived_is_ordinary(app):
    """Counter-example: the code is on the order page; "用好了先确认收货哈" asks for nothing unusual."""
    no = "JY202612021000103"
    _order(app, no, "Steam 钱包充值卡 500元", "470.00", codes=["STEAM-5000-8812-7761"])
    _chat(app, no, [("星辰游戏店", "2026-12-01 10:05", "卡密已发，用好了先确认收货哈"),
                    ("我", "2026-12-01 10:20", "兑换提示卡密无效")], "2026-12-01T10:21:00.000+08:00")
    d = _open(app, "invalid_code", no, "2026-12-01T10:20:00+08:00", "2026-12-01T10:30:00+08:00", "兑换提示卡密无效")
    assert _codes(d, "confirm_before_delivery") == []


# --- bundles, rules that changed, promises made and then broken ----------------------------------

def test_04_bundle_partly_delivered(app):
    """Advisor: the 「Office 2021 + Windows 11 套装」 brought only the Windows key: the order itself names
    both, so the order is not as described (消法第二十三、二十四条): ask for the Office key or a refund.
    KaDun argues from the order's item name; the missing key's share is not computed (the bundle
    states no split of the price). Round 5 (test_buyer_scenarios_e.py, gap 5) names the missing part:
    deliver it, or refund the whole price when it cannot come."""
    no = "JY202612031000004"
    _product(app, "50004", "Office 2021 专业增强版 + Windows 11 专业版 套装激活码", "89.00",
             ["套装包含Office 2021激活码和Windows 11激活码各一个"], at="2026-12-03T09:58:00.000+08:00")
    _order(app, no, "Office 2021 专业增强版 + Windows 11 专业版 套装激活码", "89.00", created="2026-12-03 10:00:00",
           paid="2026-12-03 10:00:20", delivered="2026-12-03 10:01:00",
           codes=["Windows 11: VK7JG-NPHTM-C97JM-9MPGT-3V66T"], at="2026-12-03T10:02:00.000+08:00")
    d = _open(app, "not_as_described", no, "2026-12-03T10:05:00+08:00", "2026-12-03T11:00:00+08:00",
              "套装只发了Windows激活码，Office的激活码没有发")
    seller = _body(d["letters"]["seller"]["zh"])
    assert "「Office 2021 专业增强版 + Windows 11 专业版 套装激活码」" in seller and "补发缺少的「Office 2021 专业增强版」" in seller
    assert _states(d)["delivery_record"] == "present"
    assert _steps(d) == ["seller", "platform", "regulator", "consumer_association"]


def _rules_then_order(app, no: str, *, before: bool) -> None:
    if before:
        _terms(app, ["售后问题须在收货后7天内申请平台介入。"], at="2026-12-04T09:50:00.000+08:00")
    _product(app, "50005", "爱奇艺黄金会员 年卡", "128.00", ["自动发货，一年质保"], at="2026-12-04T09:58:00.000+08:00")
    _order(app, no, "爱奇艺黄金会员 年卡", "128.00", created="2026-12-04 10:00:00", paid="2026-12-04 10:00:20",
           delivered="2026-12-04 10:01:00", codes=["IQY-2025-8871-1123"], at="2026-12-04T10:02:00.000+08:00")
    _terms(app, ["售后问题须在收货后24小时内申请平台介入，逾期不予处理。"], at="2026-12-06T09:00:00.000+08:00")


def test_05_rules_page_rewritten_after_the_sale(app):
    """Advisor: when the buyer bought, the rules said 「收货后7天内申请平台介入」; two days later, when
    the code failed, the page says 24 hours. The rules of the purchase govern the order: the platform
    window closes 7 days after the delivery (2026-12-11), not 24 hours after it (already passed, as
    KaDun said before). The change itself is evidence: both versions go with the application."""
    no = "JY202612041000005"
    _rules_then_order(app, no, before=True)
    d = _open(app, "invalid_code", no, "2026-12-05T20:00:00+08:00", "2026-12-06T09:10:00+08:00",
              "卡密提示无效，去申请售后时平台规则改成了24小时内申请")
    platform = _step(d, "platform")
    assert platform["deadline"] == "2026-12-11T10:01:00+08:00" and not platform["overdue"]
    assert [w["basis"]["quote"] for w in d["windows"] if w["kind"] == "platform_apply"] == ["须在收货后7天内申请"]
    changed, = [f for f in _codes(d, "description_changed") if f.get("page") == "terms"]
    assert changed["diff"]["removed"] == ["1. 售后问题须在收货后7天内申请平台介入。"]
    assert "不能用来限制本订单的售后" in changed["explanation"]["zh"] and "rules of the purchase apply" in changed["explanation"]["en"]
    assert "购买前的版本" in d["letters"]["platform"]["zh"]
    event = next(e for e in d["timeline"] if e["at"].startswith("2026-12-06T09:00"))
    assert "删去了" in event["summary"]["zh"]
    warranty, = [f for f in _codes(d, "promise_broken") if f["promise_kind"] == "warranty"]
    assert warranty["quote"] == "一年质保"


def test_05b_rules_first_saved_after_the_sale_still_count(app):
    """Counter-example: with no version of the rules page from before the purchase, the one saved
    later is all there is: its 24 hours count (and have passed), and no change is claimed."""
    no = "JY202612041000105"
    _rules_then_order(app, no, before=False)
    d = _open(app, "invalid_code", no, "2026-12-05T20:00:00+08:00", "2026-12-06T09:10:00+08:00", "卡密提示无效")
    platform = _step(d, "platform")
    assert platform["deadline"] == "2026-12-05T10:01:00+08:00" and platform["overdue"]
    assert _codes(d, "description_changed") == []


def test_06_refund_promised_then_the_shop_vanished(app):
    """Advisor: the seller agreed in the chat to refund ¥88 by noon the next day, then closed the
    shop. Taking the money and vanishing is a fraud indicator: the platform (and WeChat Pay's bill
    complaint beside it), 12315, and a police report; the chat with the promise is the negotiation
    record made before the problem (partial: the buyer should also save what shows the shop gone)."""
    no = "JY202612051000006"
    _order(app, no, "网易云音乐黑胶VIP 年卡", "88.00", status="已付款", created="2026-12-05 10:00:00",
           paid="2026-12-05 10:00:20", delivered=None, payment="微信支付", at="2026-12-05T10:02:00.000+08:00")
    _chat(app, no, [("我", "2026-12-05 12:00", "还没发货，不要了，请退款"),
                    ("星辰游戏店", "2026-12-05 12:10", "好的亲，明天中午前给你原路退款88元")],
          "2026-12-05T12:11:00.000+08:00")
    _order(app, no, "网易云音乐黑胶VIP 年卡", "88.00", status="已付款", created="2026-12-05 10:00:00",
           paid="2026-12-05 10:00:20", delivered=None, payment="微信支付", notice="该店铺已关闭",
           at="2026-12-07T09:00:00.000+08:00")
    d = _open(app, "shop_vanished", no, "2026-12-06T12:00:00+08:00", "2026-12-07T09:10:00+08:00",
              "商家答应第二天中午前退款88元，结果店铺关了，人也联系不上")
    assert _steps(d) == ["seller", "platform", "regulator", "consumer_association", "police"]
    assert _step(d, "platform")["payment_channel"]["app"] == "wechat"
    assert _codes(d, "no_reason_return") == []  # "不要了" of goods never delivered is no change of mind
    assert "全额退款" in d["letters"]["seller"]["zh"]
    assert _states(d)["negotiation_record"] == "partial"


def test_07_platform_closed_the_case_as_virtual_goods_not_refundable(app):
    """Advisor: the code never worked, and the platform's agent closed the case with "虚拟商品不支持
    退款". That can at most exclude a no-reason return (消法第二十五条); a code that does not work is
    still claimable (第二十三、二十四条). Next: 12315, citing the platform's duty to handle complaints
    (电商法第五十九条)."""
    no = "JY202612061000007"
    _order(app, no, "Apple iTunes 礼品卡 500元 中国区", "480.00", created="2026-12-06 10:00:00",
           paid="2026-12-06 10:00:20", delivered="2026-12-06 10:01:00", codes=["XQ7M2K9P8L3N4R6T"],
           at="2026-12-06T10:02:00.000+08:00")
    _chat(app, no, [("我", "2026-12-06 10:10", "兑换提示此代码无效"),
                    ("平台客服", "2026-12-06 15:00", "经核实，虚拟商品不支持退款，本次纠纷已关闭")],
          "2026-12-06T15:01:00.000+08:00")
    d = _open(app, "platform_stalling", no, "2026-12-06T10:08:00+08:00", "2026-12-06T15:10:00+08:00",
              "卡密兑换提示无效，平台介入后以虚拟商品不支持退款为由关闭了纠纷")
    refusal, = _codes(d, "no_refund_claim")
    assert "第二十五条" in refusal["explanation"]["zh"] and "第二十四条" in refusal["explanation"]["zh"]
    assert "第五十九条" in d["letters"]["platform"]["zh"]
    assert _steps(d) == ["seller", "platform", "regulator", "consumer_association"]


# --- missing before: paid more than the listed price ---------------------------------------------

def _price(app, no: str, paid: str, quantity_item: str = "腾讯视频VIP 年卡") -> dict:
    _product(app, "50008", "腾讯视频VIP 年卡", "98.00", ["自动发货"], seller="优选会员店", at="2026-12-07T09:58:00.000+08:00")
    _order(app, no, quantity_item, paid, seller="优选会员店", created="2026-12-07 10:00:00", paid="2026-12-07 10:00:20",
           delivered="2026-12-07 10:01:00", codes=["TX-8812-7761-2231"], at="2026-12-07T10:02:00.000+08:00")
    return _open(app, "other", no, "2026-12-07T10:01:00+08:00", "2026-12-07T11:00:00+08:00",
                 "商品页标价98元，付款时扣了138元，多收了40元")


def test_08_charged_more_than_the_product_page_listed(app):
    """Advisor: the product page, saved two minutes before the order, listed ¥98.00; the order shows
    ¥138.00 paid. The sale is at the price shown when ordering: ask for the ¥40.00 back (first
    checking no other option or stated fee explains it). Before, KaDun said nothing and asked to
    "negotiate the problem"."""
    d = _price(app, "JY202612071000008", "138.00")
    above, = _codes(d, "price_above_listing")
    assert above["price"] == {"listed": "98.00", "paid": "138.00", "difference": "40.00", "currency": "CNY"}
    assert "¥40.00" in above["explanation"]["zh"] and "请先核对" in above["explanation"]["zh"]
    seller = _body(d["letters"]["seller"]["zh"])
    assert "标价为 ¥98.00" in seller and "请退还多收的 ¥40.00" in seller and "退还多收的差价 ¥40.00" in seller
    assert "please refund the 40.00 CNY charged above it" in d["letters"]["seller"]["en"]
    assert "请先核对" not in seller  # the advice to the buyer stays out of the letter
    assert _steps(d) == ["seller", "platform", "regulator", "consumer_association"]


def test_08b_a_small_fee_or_a_larger_quantity_is_no_overcharge(app):
    """Counter-examples: ¥100.94 for a ¥98.00 listing is within a payment fee's few per cent; two
    cards at ¥196.00 are the listed price twice."""
    d = _price(app, "JY202612071000108", "100.94")
    assert _codes(d, "price_above_listing") == []
    capture(app, P.shop_product("速通卡铺", title="腾讯视频VIP 年卡", price="98.00", lines=["自动发货"]),
            "https://sutong-ka.shop/buy/8", "2026-12-07T09:58:00.000+08:00")
    capture(app, P.shop_order("速通卡铺", order_no="2612071000080002", item="腾讯视频VIP 年卡", quantity=2,
                              created="2026-12-07 10:00:00", amount="196.00", status="已发货", payment="支付宝",
                              codes=["TX-1", "TX-2"]),
            "https://sutong-ka.shop/detail-order-sn/2612071000080002", "2026-12-07T10:02:00.000+08:00")
    two = _open(app, "other", "2612071000080002", "2026-12-07T10:01:00+08:00", "2026-12-07T11:00:00+08:00",
                "价格不对", domain="sutong-ka.shop")
    assert _codes(two, "price_above_listing") == []
    from server.risk import remedies

    assert remedies.LISTING_TOLERANCE * 100 == 5


# --- scams around accounts ------------------------------------------------------------------------

def test_09_seller_demands_an_unfreeze_fee_for_the_bought_account(app):
    """Advisor: the account is frozen and the seller wants ¥200 "解冻费" first: a classic scam; stop
    paying, report it to the police, complain on the bill; the account itself is claimed as not
    working (第二十三、二十四条) and the 「找回包赔」 promise is about recovery, not a ban."""
    no = "JY202612081000009"
    _product(app, "50009", "和平精英 成品号 满级 多套装", "520.00", ["找回包赔"], seller="老刘游戏号店",
             at="2026-12-08T09:58:00.000+08:00")
    _order(app, no, "和平精英 成品号 满级 多套装", "520.00", seller="老刘游戏号店", created="2026-12-08 10:00:00",
           paid="2026-12-08 10:00:20", delivered="2026-12-08 10:01:00", codes=["账号：hp88231 密码：Hp#1123"],
           at="2026-12-08T10:02:00.000+08:00")
    _chat(app, no, [("我", "2026-12-08 12:00", "账号登录提示被冻结了"),
                    ("老刘游戏号店", "2026-12-08 12:10", "需要先交200元解冻费才能解封，解冻后原路退还")],
          "2026-12-08T12:11:00.000+08:00", seller="老刘游戏号店")
    d = _open(app, "account_banned", no, "2026-12-08T11:50:00+08:00", "2026-12-08T12:20:00+08:00",
              "买的号登录提示冻结，卖家要我先交200元解冻费")
    scam, = _codes(d, "refund_fee_scam")
    assert "解冻费" in scam["quote"]
    assert "police" in _steps(d) and "refund_fee_scam" in _step(d, "police")["reasons"]
    assert [f["promise_kind"] for f in _codes(d, "promise_broken")] == []  # 找回包赔 is not broken by a ban


# --- foreign marketplaces ------------------------------------------------------------------------

def test_10_key_already_activated_paid_by_mastercard(app):
    """Advisor: a Steam key "already activated by a different account" on an English marketplace, paid
    by Mastercard: the marketplace's buyer protection (its 30 days), then the card dispute under
    Mastercard 4853 (not as described / defective) within 120 days of the transaction, then
    econsumer.gov; no 12315, no Chinese law in the chargeback letter."""
    capture(app, P.market_order("KeyVault", order_no="KV-7781200", item="Elden Ring Steam Key GLOBAL",
                                seller="GameDealsPro", amount="39.99", currency="USD", paid="2026-12-01 14:00",
                                delivered="2026-12-01 14:01", payment="Mastercard ending 4421", key="7HJ2K-99XQL-PP0A1"),
            "https://www.keyvault.gg/account/orders/KV-7781200", "2026-12-01T14:02:00.000+08:00")
    d = _open(app, "invalid_code", "KV-7781200", "2026-12-01T14:10:00+08:00", "2026-12-02T09:00:00+08:00",
              "Steam says: this product code has already been activated by a different account", domain="keyvault.gg")
    assert _steps(d) == ["seller", "platform", "chargeback", "regulator"]
    assert _step(d, "platform")["deadline"] == "2026-12-31T14:00:00+08:00"
    assert _step(d, "chargeback")["deadline"] == "2027-03-31T14:00:00+08:00"
    chargeback = d["letters"]["chargeback"]
    assert "4853" in chargeback["zh"] and "4853" in chargeback["en"] and "消费者权益保护法" not in chargeback["zh"]
    assert "12315" not in _letters(d)


def test_11_never_delivered_paid_by_mastercard_in_euros(app):
    """Advisor: paid €29.50, "Delivery within 24 hours", nothing after ten days: Mastercard 4855 (goods
    not provided); the promise broke at 24 hours after the payment."""
    capture(app, P.market_order("KeyVault", order_no="KV-7781201", item="Microsoft Office 2021 Pro Plus Key",
                                seller="SoftKeysLtd", amount="29.50", currency="EUR", paid="2026-11-20 10:00",
                                delivered=None, payment="Mastercard ending 4421", key=None,
                                notes=["Delivery within 24 hours"]),
            "https://www.keyvault.gg/account/orders/KV-7781201", "2026-11-20T17:02:00.000+08:00")
    d = _open(app, "not_delivered", "KV-7781201", "2026-11-21T17:00:00+08:00", "2026-12-01T09:00:00+08:00",
              "Paid 10 days ago, still no key, seller does not answer", domain="keyvault.gg")
    broken, = _codes(d, "promise_broken")
    assert broken["due"] == "2026-11-21T10:00:00+08:00"
    assert "4855" in d["letters"]["chargeback"]["en"] and "29.50 EUR" in d["letters"]["chargeback"]["en"]
    # 120 days from the promised delivery (11-21 10:00), later than the transaction (docs/LEGAL.md)
    assert _step(d, "chargeback")["deadline"] == "2027-03-21T10:00:00+08:00"


# --- a platform's own timing rules ----------------------------------------------------------------

def test_12_receipt_confirmed_automatically_then_the_card_failed(app):
    """Advisor: the platform confirmed receipt by itself after 24 hours; two days later the JD card
    turned out to be bound already. An automatic confirmation does not waive a defect: the platform's
    own 7-day after-sales window (from the delivery) is still open until 2026-12-08 10:01."""
    no = "JY202612011000012"
    _terms(app, ["买家须在发货后24小时内确认，逾期系统自动确认收货。", "售后问题须在收货后7天内申请平台介入。"])
    _order(app, no, "京东E卡 500元", "485.00", codes=["JD-5521-8812-7733-0091"], payment="微信支付")
    d = _open(app, "invalid_code", no, "2026-12-03T10:00:00+08:00", "2026-12-03T11:00:00+08:00",
              "系统自动确认收货后才去绑卡，提示卡密已被绑定")
    platform = _step(d, "platform")
    assert platform["deadline"] == "2026-12-08T10:01:00+08:00" and not platform["overdue"]
    assert "第二十四条" in d["letters"]["seller"]["zh"]


def test_13_refund_with_a_handling_fee_kept_back(app):
    """Advisor: nothing was delivered and the seller refunded ¥48 of ¥60, keeping 20% as "手续费". For
    goods never delivered the whole price is owed back: claim the other ¥12.00. Before, KaDun said
    "goods that do not work can be returned", which is not this case."""
    no = "JY202612021000013"
    _order(app, no, "Netflix 高级会员 月卡", "60.00", status="已退款", codes=[], delivered=None,
           notice="已退款48.00元（扣除20%手续费）", created="2026-12-02 10:00:00", paid="2026-12-02 10:00:20",
           at="2026-12-03T10:00:00.000+08:00")
    d = _open(app, "not_delivered", no, "2026-12-02T12:00:00+08:00", "2026-12-03T10:10:00+08:00",
              "一直没发货，申请退款后只退了48元，扣了12元手续费")
    refund, = _codes(d, "partial_refund")
    assert refund["refund"] == {"refunded": "48.00", "rest": "12.00", "currency": "CNY"}
    assert "商品没有交付" in refund["explanation"]["zh"] and "不能正常使用" not in refund["explanation"]["zh"]
    assert "Nothing was delivered" in refund["explanation"]["en"]
    assert "退款只需退还其余 ¥12.00" in d["letters"]["seller"]["zh"]


def _refunded(app, no: str, told: str) -> dict:
    _order(app, no, "QQ音乐绿钻 年卡", "98.00", status="已退款", codes=[], delivered=None,
           created="2026-11-20 10:00:00", paid="2026-11-20 10:00:20", payment="支付宝", at="2026-12-01T10:00:00.000+08:00")
    return _open(app, "other", no, "2026-11-21T10:00:00+08:00", "2026-12-01T10:10:00+08:00", told)


def test_14_order_says_refunded_but_the_money_never_came(app):
    """Advisor: the order page says 已退款, but ten days on Alipay shows nothing. The shop's status is
    its own record: check the bill's refund progress, then ask the shop for the refund's transaction
    number (电商法第六十二条: it must provide the transaction records); without one, the Alipay bill's
    complaint and 12315. Before, KaDun only asked to "negotiate the problem"."""
    d = _refunded(app, "JY202612011000014", "订单显示已退款，但是支付宝一直没收到退款，已经十天了")
    missing, = _codes(d, "refund_not_received")
    assert "没收到退款" in missing["explanation"]["zh"] and "第六十二条" in missing["explanation"]["zh"]
    seller = _body(d["letters"]["seller"]["zh"])
    assert "请提供退款的交易流水号或凭证" in seller and "提供这笔退款的交易流水号或凭证" in seller
    assert "transaction number" in d["letters"]["seller"]["en"]
    assert _step(d, "platform")["payment_channel"]["app"] == "alipay"
    assert _steps(d) == ["seller", "platform", "regulator", "consumer_association"]
    assert "第二十三条" not in seller


def test_14b_a_refunded_order_the_buyer_does_not_dispute_as_unpaid_is_no_missing_refund(app):
    """Counter-example: the same refunded order, the buyer's complaint about something else."""
    d = _refunded(app, "JY202612011000114", "客服态度很差")
    assert _codes(d, "refund_not_received") == []
    from server.risk import clauses

    for said in ("退款一直没到账", "还没收到退款", "the refund never arrived"):
        assert clauses.refund_missing(said), said
    assert clauses.refund_missing("已收到退款50元") is None and clauses.refund_missing("申请退款") is None


# --- wrong before: a shop that offers the no-reason return -----------------------------------------

def _wps(app, no: str, line: str) -> None:
    capture(app, P.shop_product("速通卡铺", title="WPS超级会员 年卡", price="89.00", lines=[line, "自动发货"]),
            "https://sutong-ka.shop/buy/31", "2026-12-01T09:58:00.000+08:00")
    capture(app, P.shop_order("速通卡铺", order_no=no, item="WPS超级会员 年卡", quantity=1, created="2026-12-01 10:00:00",
                              amount="89.00", status="已发货", payment="支付宝", codes=["WPS-8812-7761"]),
            f"https://sutong-ka.shop/detail-order-sn/{no}", "2026-12-01T10:02:00.000+08:00")


def test_15_shop_promised_a_seven_day_no_reason_refund(app):
    """Advisor: the buyer bought the wrong thing, but this shop's product page says 「支持7天无理由退款」.
    第二十五条 lets a shop exclude digital goods from the no-reason return; it does not oblige it to,
    and this shop chose to offer it: its word binds it for those 7 days. Ask for the refund as
    promised; if refused, the shop's after-sales, then 12315. Before, KaDun said "the law gives no
    claim, ask politely" and stopped the plan at the shop."""
    _wps(app, "2612011000150001", "支持7天无理由退款")
    d = _open(app, "other", "2612011000150001", "2026-12-03T10:00:00+08:00", "2026-12-03T10:10:00+08:00",
              "买错了，不想要了，卡密没用过，商品页写了支持7天无理由退款", domain="sutong-ka.shop")
    reason, = _codes(d, "no_reason_return")
    assert reason["promised"] == {"quote": "7天无理由退款", "days": 7, "until": "2026-12-08T10:00:00+08:00"}
    assert "这只是允许，不是要求" in reason["explanation"]["zh"] and "法律上没有要求经营者退款的依据" not in reason["explanation"]["zh"]
    seller = _body(d["letters"]["seller"]["zh"])
    assert "贵店自己承诺了7天无理由退款" in seller and "按页面「7天无理由退款」的承诺退款" in seller
    assert "考虑协商" not in seller and "goodwill" not in d["letters"]["seller"]["en"]
    assert _steps(d) == ["seller", "platform", "regulator", "consumer_association"]
    assert _step(d, "platform")["name"]["zh"] == "店铺售后申请"


def test_15b_after_the_promised_days_or_with_the_return_excluded_it_is_a_request_again(app):
    """Counter-examples: asked on day 9 of a 7-day promise, or on a page that says 「不支持7天无理由退货」:
    no claim, a polite request, the shop and its after-sales only."""
    _wps(app, "2612011000150002", "支持7天无理由退款")
    late = _open(app, "other", "2612011000150002", "2026-12-10T10:00:00+08:00", "2026-12-10T10:10:00+08:00",
                 "买错了，不想要了", domain="sutong-ka.shop")
    reason, = _codes(late, "no_reason_return")
    assert "promised" not in reason and _steps(late) == ["seller", "platform"]
    assert "考虑协商退款" in late["letters"]["seller"]["zh"]
    from server.risk import clauses

    assert clauses.promised_return("虚拟商品不支持7天无理由退货") is None
    assert clauses.promised_return("本商品不适用七天无理由退货") is None
    assert clauses.promised_return("7天无理由退货不适用于虚拟商品") is None
    assert clauses.promised_return("七天无理由退换") == (7, "七天无理由退换")
    assert clauses.promised_return("十五天无理由退货")[0] == 15
    assert clauses.promised_return("14-day no-questions-asked refund")[0] == 14
    assert clauses.promised_return("质保30天") is None


def test_15c_a_no_reason_return_for_physical_goods_offers_nothing_for_a_code(app):
    """Counter-example: 「实物商品支持7天无理由退货，虚拟商品除外」 on the shop's page is no offer for a
    code: the change of mind stays a request."""
    _wps(app, "2612011000150003", "实物商品支持7天无理由退货，虚拟商品除外")
    d = _open(app, "other", "2612011000150003", "2026-12-03T10:00:00+08:00", "2026-12-03T10:10:00+08:00",
              "买错了，不想要了", domain="sutong-ka.shop")
    reason, = _codes(d, "no_reason_return")
    assert "promised" not in reason and _steps(d) == ["seller", "platform"]


def test_16_taiwan_shop_paid_by_credit_card_code_already_used(app):
    """Advisor: a MyCard code bought in NT$ on a Taiwanese shop and paid by Visa, "序號已被使用": no
    mainland channel reaches the shop; the shop, then a Visa dispute (13.3, 120 days), then
    econsumer.gov. Amounts stay in TWD."""
    capture(app, P.tw_shop_order("點卡小舖", order_no="TW20261201001", item="MyCard 1000點", created="2026-12-01 10:00",
                                 amount="NT$1,000", status="已完成", payment="信用卡 VISA", codes=["MC1000-88123-77612"]),
            "https://www.dianka-tw.com/order/TW20261201001", "2026-12-01T10:02:00.000+08:00")
    d = _open(app, "invalid_code", "TW20261201001", "2026-12-01T10:05:00+08:00", "2026-12-01T11:00:00+08:00",
              "儲值時顯示序號已被使用", domain="dianka-tw.com")
    assert _steps(d) == ["seller", "platform", "chargeback", "regulator"]
    assert d["order"]["amount"] == {"amount": "1000.00", "currency": "TWD"} and d["order"]["payment_network"] == "visa"
    assert "13.3" in d["letters"]["chargeback"]["zh"] and "12315" not in _letters(d)
    # Nothing says whether the site is a marketplace or one shop: its second letter does not call it
    # a platform ("贵平台"), and asks under its buyer protection or after-sales terms
    assert "贵平台" not in d["letters"]["platform"]["zh"] and "贵站" in d["letters"]["platform"]["zh"]


def test_16b_a_foreign_single_shop_is_asked_under_its_own_terms_then_the_card():
    """The second letter to a foreign shop known to be one shop (独角数卡 and the like: no platform
    above it) asks it under its own published terms and names the chargeback to come; a foreign
    marketplace's asks under its buyer protection; a domestic single shop's cites 电商法 59."""
    from types import SimpleNamespace

    from server.disputes.letters import _ask

    def ask(single_shop, cross_border):
        j = SimpleNamespace(platform="Keyshop", seller=None, single_shop=single_shop, cross_border=cross_border,
                            no_reason_return=False, findings=[])
        return _ask(j, {"step": "platform"}, {"zh": "退款", "en": "refund me"})[1]

    shop = ask(True, True)
    assert "贵店" in shop["zh"] and "拒付" in shop["zh"] and "贵平台" not in shop["zh"] and "chargeback" in shop["en"]
    market = ask(False, True)
    assert "买家保障" in market["zh"] and "buyer protection" in market["en"]
    domestic = ask(True, False)
    assert "贵店" in domestic["zh"] and "12315" in domestic["zh"] and "拒付" not in domestic["zh"]


def _lol(app, no: str, told: str) -> dict:
    _product(app, "50017", "英雄联盟 艾欧尼亚 全英雄 成品号", "1280.00", ["找回包赔", "永久使用"], seller="老刘游戏号店")
    _order(app, no, "英雄联盟 艾欧尼亚 全英雄 成品号", "1280.00", seller="老刘游戏号店", codes=["账号：lol88123 密码：Lol#7712"])
    _chat(app, no, [("我", "2026-12-01 18:00", "密码被改了，绑定手机也换了"),
                    ("老刘游戏号店", "2026-12-01 18:30", "号是我们的，钱不退，你爱找谁找谁")],
          "2026-12-01T18:31:00.000+08:00", seller="老刘游戏号店")
    return _open(app, "account_recovered", no, "2026-12-01T17:30:00+08:00", "2026-12-01T19:00:00+08:00", told)


def test_17_seller_took_the_account_back_himself(app):
    """Advisor: hours after the sale the seller changed the password himself and says "the account is
    ours, no refund". That is no former owner's recovery but the seller's own fraud (a 号商's
    "卖号再找回"): the 「找回包赔」 and 「永久使用」 promises are broken (restore or refund in full), and
    it is a police matter whatever the amount (¥1280 is under the ¥5000 rule of thumb), where fraud
    may be claimed under 消法第五十五条. Before, KaDun offered no police step."""
    d = _lol(app, "JY202612011000017", "当天下午账号就被卖家自己改密找回了，卖家说号是他们的，钱不退")
    assert {f["quote"] for f in _codes(d, "promise_broken")} == {"找回包赔", "永久使用"}
    assert "恢复账号或按承诺全额退款" in d["letters"]["seller"]["zh"]
    assert _steps(d) == ["seller", "platform", "regulator", "consumer_association", "police"]
    police = _step(d, "police")
    assert police["reasons"] == ["seller_recovered"]
    assert "卖家自己改密" in police["basis"]["zh"] and "第五十五条" in police["basis"]["zh"]
    assert "took back the account it had sold" in police["basis"]["en"]


def test_17b_a_recovery_by_the_former_owner_is_no_police_matter_under_the_threshold(app):
    """Counter-example: 「被原号主找回」 of the same ¥1280 account: the promise is claimed, no police step."""
    d = _lol(app, "JY202612011000117", "当天下午账号被原号主找回了")
    assert "police" not in _steps(d)
    from server.risk import clauses

    assert clauses.seller_recovered("号商又申诉回去了") and clauses.seller_recovered("the seller took back the account")
    assert clauses.seller_recovered("账号被找回，卖家不管") is None


# --- wrong before: a seller's guarantee taken for the platform's ---------------------------------

def test_18_seller_guarantees_ten_fold_for_a_fake_and_the_code_is_fake(app):
    """Advisor: the seller's listing says 「官方正品，假一赔十」 and the code "does not exist". That is the
    seller's own promise in its own description, not the platform's: KaDun called it the platform's
    先行赔付 and had the platform letter claim it under 消法第四十四条, a claim the platform can
    rightly refuse. The code is claimed from the seller as not as described (「官方直充」)."""
    no = "JY202612011000018"
    _product(app, "50018", "爱奇艺黄金会员 月卡 官方直充", "15.00", ["官方正品，假一赔十", "自动发货"])
    _order(app, no, "爱奇艺黄金会员 月卡 官方直充", "15.00", codes=["IQY-0000-1111-2222"])
    d = _open(app, "invalid_code", no, "2026-12-01T10:05:00+08:00", "2026-12-01T11:00:00+08:00",
              "兑换提示卡密不存在，是假卡")
    assert _codes(d, "platform_compensation") == []
    assert "贵平台页面写明" not in d["letters"]["platform"]["zh"]
    assert [f["quote"] for f in _codes(d, "promise_broken")] == ["官方直充"]


def test_18b_a_platform_line_on_a_product_page_is_the_platforms_promise(app):
    """Counter-example: a line on the product page that speaks for the platform (「本平台先行赔付」) is
    the platform's promise wherever it stands."""
    no = "JY202612011000118"
    _product(app, "50118", "爱奇艺黄金会员 月卡", "15.00", ["卡密无效由本平台先行赔付", "自动发货"])
    _order(app, no, "爱奇艺黄金会员 月卡", "15.00", codes=["IQY-0000-1111-3333"])
    d = _open(app, "invalid_code", no, "2026-12-01T10:05:00+08:00", "2026-12-01T11:00:00+08:00", "兑换提示卡密不存在")
    claim, = _codes(d, "platform_compensation")
    assert "本平台先行赔付" in claim["quote"] and "贵平台页面写明" in d["letters"]["platform"]["zh"]


# --- missing before: a late delivery behind another problem ---------------------------------------

def _expired(app, no: str, delivered: str) -> dict:
    _product(app, "50019", "原神 限定活动兑换码", "30.00", ["1小时内发货", "兑换码12月1日23:59前有效"])
    _order(app, no, "原神 限定活动兑换码", "30.00", created="2026-12-01 10:00:00", paid="2026-12-01 10:00:20",
           delivered=delivered, codes=["GENSHIN2026XMAS"], at="2026-12-02T09:01:00.000+08:00")
    return _open(app, "invalid_code", no, "2026-12-02T09:05:00+08:00", "2026-12-02T10:00:00+08:00",
                 "第二天才发货，兑换码已经过期了")


def test_19_a_code_that_expired_because_it_came_a_day_late(app):
    """Advisor: 「1小时内发货」, delivered the next morning, and the event code had expired at midnight.
    The code does not work (第二十三、二十四条), and the reason is the broken delivery promise, which
    the letters must state as the lateness it is ("超时", with due and stated times), not as "the
    promise 1小时内发货 was broken by an invalid code"."""
    d = _expired(app, "JY202612011000019", "2026-12-02 09:00:00")
    late, = _codes(d, "promise_broken")
    assert late["quote"] == "1小时内发货" and late["due"] == "2026-12-01T11:00:20+08:00"
    assert "超时未到账" in late["explanation"]["zh"] and "已超时" in late["explanation"]["zh"]
    seller = _body(d["letters"]["seller"]["zh"])
    assert "订单所购商品为「原神 限定活动兑换码」" in seller  # the code itself, argued from the order
    assert "商家承诺「1小时内发货」，而实际情况是超时未到账" in seller
    assert "商家承诺「1小时内发货」（证据1），而实际情况是卡密无效" not in seller
    assert "更换有效的卡密或退款" in seller


def test_19b_a_delivery_in_time_adds_no_lateness(app):
    d = _expired(app, "JY202612011000119", "2026-12-01 10:30:00")
    assert _codes(d, "promise_broken") == []


def test_20_charged_twice_for_one_order(app):
    """Advisor: WeChat took ¥100 twice for one order: the second payment is the seller's (or the
    payment's) to return; the WeChat bill's complaint is the direct way. KaDun has no finding for a
    duplicate charge (left for a later round); the plan reaches the payment app, and nothing claims
    the goods were defective."""
    no = "JY202612011000020"
    _order(app, no, "王者荣耀 点券 1000", "100.00", codes=["充值成功"], payment="微信支付")
    d = _open(app, "other", no, "2026-12-01T10:00:00+08:00", "2026-12-01T12:00:00+08:00",
              "付款时页面卡住，微信扣了两次100元，订单只有一个，要求退还重复扣的100元")
    assert _step(d, "platform")["payment_channel"]["app"] == "wechat"
    assert "第二十三条" not in _body(d["letters"]["seller"]["zh"])


def test_21_paypal_friends_and_family(app):
    """Advisor: the seller had the buyer pay by PayPal "Friends and Family", which PayPal's buyer
    protection does not cover. Round 4 recorded KaDun still offering a PayPal dispute step within 180
    days; round 5 (test_buyer_scenarios_e.py, gap 1) removed it: the marketplace and the police."""
    capture(app, P.market_order("KeyVault", order_no="KV-7781221", item="Netflix Premium 12 months", seller="StreamDeals",
                                amount="45.00", currency="USD", paid="2026-11-25 10:00", delivered=None,
                                payment="PayPal (Friends and Family)", key=None),
            "https://www.keyvault.gg/account/orders/KV-7781221", "2026-11-25T10:02:00.000+08:00")
    d = _open(app, "not_delivered", "KV-7781221", "2026-11-26T10:00:00+08:00", "2026-12-01T09:00:00+08:00",
              "The seller asked me to pay by PayPal friends and family, and never sent the account", domain="keyvault.gg")
    assert d["order"]["payment_network"] == "paypal"
    assert "chargeback" not in _steps(d) and _codes(d, "paypal_personal")


# --- appeal windows -----------------------------------------------------------------------------

def _youku(app, no: str, day: str) -> None:
    _terms(app, ["售后问题须在收货后7天内申请平台介入。"], at=f"{day}T09:50:00.000+08:00")
    _order(app, no, "优酷VIP 年卡", "118.00", created=f"{day} 10:00:00", paid=f"{day} 10:00:20",
           delivered=f"{day} 10:01:00", codes=["YK-8812-7761"], at=f"{day}T10:02:00.000+08:00")


def test_22_the_platform_window_closes_tomorrow(app):
    """Advisor: delivered 11-27 10:01; the rules give 7 days from delivery: apply by 12-04 10:01,
    tomorrow; not overdue yet, and that is the platform step's deadline."""
    _youku(app, "JY202611271000022", "2026-11-27")
    d = _open(app, "invalid_code", "JY202611271000022", "2026-12-03T09:00:00+08:00", "2026-12-03T10:00:00+08:00",
              "激活时提示卡密已失效")
    platform = _step(d, "platform")
    assert platform["deadline"] == "2026-12-04T10:01:00+08:00" and not platform["overdue"]


def test_23_the_platform_window_passed_a_day_ago(app):
    """Advisor: delivered 11-25; the 7 days ended 12-02 10:01. Apply anyway, stating a reasonable
    cause (the step says how), and go on to 12315: the window of a platform's rules does not end the
    buyer's rights under 消法第二十四条."""
    _youku(app, "JY202611251000023", "2026-11-25")
    d = _open(app, "invalid_code", "JY202611251000023", "2026-12-03T09:00:00+08:00", "2026-12-03T10:00:00+08:00",
              "出差回来才激活，提示卡密已失效")
    platform = _step(d, "platform")
    assert platform["deadline"] == "2026-12-02T10:01:00+08:00" and platform["overdue"]
    assert platform["advice"]["zh"] and platform["advice"]["en"]
    assert "regulator" in _steps(d)


def test_24_gift_card_of_a_smaller_denomination(app):
    """Advisor: a 500元 JD card for ¥490 arrived as 100元: ask for the other 400元 or 400/500 of the
    price (¥392.00) back."""
    no = "JY202612011000024"
    _order(app, no, "京东E卡 500元", "490.00", codes=["面值100元 JD-1000-2000-3000"], payment="微信支付")
    d = _open(app, "not_as_described", no, "2026-12-01T10:05:00+08:00", "2026-12-01T11:00:00+08:00",
              "买的500元京东E卡，绑定后卡里余额只有100元")
    short, = _codes(d, "short_top_up")
    assert short["top_up"] == {"ordered": 500, "arrived": 100, "missing": 400, "unit": "元"}
    assert "补足其余400元，或退还未到账部分的货款 ¥392.00" in d["letters"]["seller"]["zh"]


# --- wrong before: the delivery only in the chat --------------------------------------------------

def _chat_code(app, no: str, message: str) -> dict:
    _order(app, no, "Steam 钱包充值卡 100元", "95.00", status="已付款", delivered=None, codes=[])
    _chat(app, no, [("星辰游戏店", "2026-12-01 10:30", message), ("我", "2026-12-01 10:40", "兑换提示无效"),
                    ("星辰游戏店", "2026-12-01 11:00", "我这边是好的，你自己的问题")], "2026-12-01T11:01:00.000+08:00")
    return _open(app, "invalid_code", no, "2026-12-01T10:40:00+08:00", "2026-12-01T11:10:00+08:00",
                 "卖家在聊天里发了卡密，兑换提示无效，卖家不认")


def test_25_the_code_came_only_in_the_chat(app):
    """Advisor: the order page still says 已付款; the seller pasted the code into the chat, the code
    failed and the seller denies it. The saved chat is the record of that delivery (the seller's own
    message): KaDun said the delivery record was missing and told the buyer to save the order page's
    codes, which do not exist. It is a partial record that says so."""
    d = _chat_code(app, "JY202612011000025", "卡密：STEAM-7781-AAQ2-PP91 请查收")
    row = next(r for r in d["checklist"] if r["item"] == "delivery_record")
    assert row["state"] == "partial" and "聊天中发送" in row["complete"]["zh"] and "in the chat" in row["complete"]["en"]
    assert _states(d)["negotiation_record"] == "present"


def test_25b_a_chat_without_a_code_is_no_delivery_record(app):
    d = _chat_code(app, "JY202612011000125", "稍等，马上给你发")
    assert _states(d)["delivery_record"] == "missing"
    from server.risk import clauses

    assert clauses.sent_in_chat("激活码：ABCD-EFGH-1234")
    assert clauses.sent_in_chat("Your product key: 7HJ2K-99XQL-PP0A1")
    assert clauses.sent_in_chat("卡密在订单页查看") is None and clauses.sent_in_chat("卡密：已发") is None


def test_26_single_shop_that_takes_payment_by_a_personal_qr_code(app):
    """Advisor: the shop's page says to pay the agent's personal WeChat QR code, then the agent went
    silent: money paid outside any checkout, a fraud indicator: the police report, 12315; the shop's
    own after-sales is the only "platform"."""
    capture(app, P.shop_product("极速发卡", title="Spotify Premium 年卡", price="99.00",
                                lines=["请使用微信扫描客服个人收款码付款，付款后联系客服发货"]),
            "https://jisu-fk.top/buy/12", "2026-12-01T09:58:00.000+08:00")
    capture(app, P.shop_order("极速发卡", order_no="2612011000260001", item="Spotify Premium 年卡", quantity=1,
                              created="2026-12-01 10:00:00", amount="99.00", status="待发货", payment="个人收款码",
                              codes=[]),
            "https://jisu-fk.top/detail-order-sn/2612011000260001", "2026-12-01T10:05:00.000+08:00")
    d = _open(app, "not_delivered", "2612011000260001", "2026-12-01T12:00:00+08:00", "2026-12-02T10:00:00+08:00",
              "扫了客服的个人收款码付了99元，客服就不回了", domain="jisu-fk.top")
    off, = _codes(d, "off_platform_payment")
    assert "个人收款码" in off["quote"]
    assert _steps(d) == ["seller", "platform", "regulator", "consumer_association", "police"]
    assert _step(d, "platform")["name"]["zh"] == "店铺售后申请"


def test_27_account_whose_first_email_is_not_handed_over(app):
    """Advisor: 「一手账号」 with "可换绑，首邮在手", but the mail box does not open and the account cannot
    be rebound: not as described; the first-hand promise is the one broken."""
    no = "JY202612011000027"
    _product(app, "50027", "Steam 账号 含艾尔登法环 可换绑邮箱", "150.00", ["可换绑，首邮在手", "一手账号"], seller="老刘游戏号店")
    _order(app, no, "Steam 账号 含艾尔登法环 可换绑邮箱", "150.00", seller="老刘游戏号店",
           codes=["账号：st88123 密码：St#7712 邮箱：st88123@mail.ru"])
    d = _open(app, "not_as_described", no, "2026-12-01T11:00:00+08:00", "2026-12-01T12:00:00+08:00",
              "邮箱登录不上，没法换绑，不是首邮")
    assert [f["quote"] for f in _codes(d, "promise_broken")] == ["一手账号"]
    assert "按描述履行、更换或退款" in d["letters"]["seller"]["zh"]


# --- wrong before: a service dead on its first day ------------------------------------------------

def _seat(app, no: str, occurred: str, now: str) -> dict:
    _product(app, "50028", "网飞Netflix 4K 合租车位 30天", "30.00", ["合租车位，一人一位"], seller="影视会员铺")
    _order(app, no, "网飞Netflix 4K 合租车位 30天", "30.00", seller="影视会员铺",
           codes=["账号：nf9911@gmail.com 密码：Nf#9911 车位2"])
    return _open(app, "account_banned", no, occurred, now, "拿到就登录不上，提示账号已停用")


def test_28_a_30_day_seat_that_never_worked(app):
    """Advisor: the seat failed 29 minutes after delivery: it never served, so the whole ¥30.00 is
    owed (replacement or refund), not "29 of 30 days" as KaDun computed, counting a day the buyer never
    had."""
    d = _seat(app, "JY202612011000028", "2026-12-01T10:30:00+08:00", "2026-12-01T11:00:00+08:00")
    assert _codes(d, "unused_term") == []
    assert "更换可正常使用的账号或退款" in d["letters"]["seller"]["zh"] and "29/30" not in _letters(d)


def test_28b_a_seat_that_stopped_on_day_two_claims_its_unused_days(app):
    d = _seat(app, "JY202612011000128", "2026-12-02T12:00:00+08:00", "2026-12-02T13:00:00+08:00")
    term, = _codes(d, "unused_term")
    assert term["term"] == {"days": 30, "used": 2, "left": 28}


def test_29_taiwan_shop_paid_at_a_convenience_store(app):
    """Advisor: paid NT$1,000 with a convenience-store code (超商代碼繳費) and nothing came: no card, so
    no chargeback; the shop, then econsumer.gov; the payment receipt is the proof to keep."""
    capture(app, P.tw_shop_order("點卡小舖", order_no="TW20261201029", item="GASH 1000點", created="2026-12-01 10:00",
                                 amount="NT$1,000", status="待出貨", payment="超商代碼繳費", codes=[]),
            "https://www.dianka-tw.com/order/TW20261201029", "2026-12-01T10:02:00.000+08:00")
    d = _open(app, "not_delivered", "TW20261201029", "2026-12-02T10:00:00+08:00", "2026-12-03T10:00:00+08:00",
              "超商繳費完成兩天了還沒收到序號", domain="dianka-tw.com")
    assert _steps(d) == ["seller", "platform", "regulator"]
    assert "chargeback" not in {w["kind"] for w in d["windows"]}
    assert _states(d)["payment_proof"] == "missing"


def test_30_a_child_bought_a_game_account_with_the_parents_wechat(app):
    """Advisor: a 13-year-old paid ¥2680 for a game account with the parent's WeChat: the guardian does
    not ratify it (《民法典》第十九条、第一百四十五条); the letters speak as the guardian; proof is what
    shows the child bought it, not a defect."""
    no = "JY202612011000030"
    _product(app, "50030", "王者荣耀 V10 成品号", "2680.00", ["找回包赔"], seller="老刘游戏号店")
    _order(app, no, "王者荣耀 V10 成品号", "2680.00", seller="老刘游戏号店", codes=["账号：wz99123 密码：Wz#7712"],
           payment="微信支付")
    d = _open(app, "minor_purchase", no, "2026-12-02T19:00:00+08:00", "2026-12-02T20:00:00+08:00",
              "我是家长，孩子13岁，偷偷用我的微信买了2680元的游戏账号，我不同意")
    minor, = _codes(d, "minor_purchase")
    assert "第一百四十五条" in minor["explanation"]["zh"]
    assert "不追认" in d["letters"]["seller"]["zh"] and "确认该交易不发生效力并全额退款" in d["letters"]["seller"]["zh"]
    proof = next(r for r in d["checklist"] if r["item"] == "problem_proof")
    assert "未成年人" in proof["how"]["zh"]
    assert _codes(d, "promise_broken") == []
