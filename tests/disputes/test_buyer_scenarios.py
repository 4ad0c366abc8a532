"""Buyers' real situations, end to end: pages as the buyer saw them (tests/disputes/buyer_pages.py)
read by the scrapers exactly as POST /v1/snapshots reads them, stored at the moments the buyer
saved them, then the dispute as KaDun builds it. Each scenario states what a consumer-rights
advisor would tell this buyer (docs/LEGAL.md: which law, which channel, which deadline) and checks
that KaDun says it, in zh-CN and en: the problem, the evidence still missing, the plan's steps in
order with their dates, the letters' articles, no step that cannot apply, no raw code in a text."""
from __future__ import annotations

import re

from server.clock import parse_iso
from server.facts import extract_facts

from . import buyer_pages as P
from .complaint_checks import payment_complaint
from .scenario import PNG_1PX, assert_invariants, attach, open_dispute, rebuild, store

USER = "u_buyers"
JINYU, JINYU_ICP = "锦鱼卡盟", "湘ICP备15008823号-2"
JINYU_RULES = ["账号类商品请在收货后24小时内验号，逾期视为确认收货。", "售后问题须在收货后7天内申请平台介入。",
               "虚拟商品一经售出不退不换。", "本平台最终解释权归锦鱼卡盟所有。"]
# Raw vocabulary a user must never read in a text: problem kinds, checklist items, states, steps.
RAW = re.compile(r"\b(?:order_record|payment_proof|delivery_record|problem_proof|negotiation_record|"
                 r"not_delivered|invalid_code|account_recovered|account_banned|shop_vanished|not_as_described|"
                 r"delivery_late|seller_unresponsive|platform_stalling|promise_broken|no_refund_claim|"
                 r"off_platform|payment_channel|consumer_association|partial_delivery|unfair_term)\b")


def capture(app, html: str, url: str, at: str):
    """Save a page as the extension does: the scrapers read it, the server stores it at ``at``."""
    return store(app, USER, html, url, extract_facts(html, url).as_dict(), at)


def _step(d: dict, name: str) -> dict:
    return next(s for s in d["escalation"] if s["step"] == name)


def _steps(d: dict) -> list[str]:
    return [s["step"] for s in d["escalation"]]


def _states(d: dict) -> dict:
    return {row["item"]: row["state"] for row in d["checklist"]}


def _codes(d: dict, code: str) -> list[dict]:
    return [f for f in d["findings"] if f["code"] == code]


def assert_readable(d: dict) -> None:
    """Every text a user reads (letters, plan, checklist, findings) is in both languages and shows
    no raw code."""
    texts = [v for letter in d["letters"].values() for v in letter.values()]
    for step in d["escalation"]:
        texts += [step["channel"], step["channel_en"], *step["basis"].values(), *(step.get("advice") or {}).values()]
        if step.get("payment_channel"):
            pay = step["payment_channel"]
            texts += [pay["channel"], pay["channel_en"], *pay["basis"].values(), *pay["app_name"].values()]
    for row in d["checklist"]:
        texts += [*row["name"].values(), *row["how"].values(), *(row["complete"] or {}).values()]
    for finding in d["findings"]:
        assert finding["explanation"]["zh"] and finding["explanation"]["en"]
        texts += list(finding["explanation"].values())
    for text in texts:
        assert not RAW.search(text), f"raw code in {text!r}"


def _jinyu_account(app, delivered_at: str = "2026-10-28 09:31:02") -> None:
    capture(app, P.kameng_terms(JINYU, clauses=JINYU_RULES, icp=JINYU_ICP), "https://www.jinyu-km.com/help/rules",
            "2026-10-28T09:20:00.000+08:00")
    capture(app, P.kameng_product(JINYU, title="王者荣耀 安卓微信区 V8 成品号 全皮肤", price="688.00", seller="老刘游戏号店",
                                  seller_id="30117", lines=["永久使用，找回包赔", "售后：被原号主找回全额赔付", "质保30天", "自动发货"],
                                  icp=JINYU_ICP), "https://www.jinyu-km.com/goods/88231", "2026-10-28T09:29:00.000+08:00")
    capture(app, P.kameng_order(JINYU, order_no="JY202610280930117", item="王者荣耀 安卓微信区 V8 成品号 全皮肤",
                                seller="老刘游戏号店", amount="688.00", status="已完成", created="2026-10-28 09:30:11",
                                paid="2026-10-28 09:30:40", delivered=delivered_at, payment="支付宝",
                                codes=["账号：wz88231@qq.com 密码：Lp#8823x"], icp=JINYU_ICP),
            "https://www.jinyu-km.com/user/order/JY202610280930117", "2026-10-28T09:32:00.000+08:00")


def test_account_recovered_40_days_later_with_a_recovery_promise(app):
    """Advisor: 「找回包赔」 is the seller's own promise with no time limit, so the recovery 40 days on
    breaks it (消法第二十三、二十四条); ask the seller, then the platform (it holds a deposit: 电商法
    第五十八条), though its 7-day rule has passed: apply anyway and give the reason (the problem came
    after it); the 24-hour 验号 rule is about checking the goods, not about asking the platform;
    then 12315. Missing: a screenshot of the recovery itself and the chat with the seller."""
    _jinyu_account(app)
    d = open_dispute(app, USER, "account_recovered", domain="jinyu-km.com", order_no="JY202610280930117",
                     occurred_at="2026-12-07T20:00:00+08:00", created_at="2026-12-07T21:00:00+08:00",
                     now="2026-12-07T21:00:00+08:00", description="账号被原号主找回，无法登录")
    assert_invariants(app, USER, d)
    assert_readable(d)
    assert d["order"]["seller"] == "老刘游戏号店" and d["order"]["platform"] == JINYU
    broken = {f["quote"] for f in _codes(d, "promise_broken")}
    assert {"找回包赔", "永久使用"} <= broken
    assert "质保30天" not in broken  # the 30-day warranty had run out when the account was recovered
    assert [k for k, v in _states(d).items() if v == "missing"] == ["problem_proof", "negotiation_record"]
    assert _steps(d) == ["seller", "platform", "regulator", "consumer_association"]
    platform = _step(d, "platform")
    # The platform's intervention rule ("售后问题须在收货后7天内申请平台介入"), from the stated delivery.
    assert parse_iso(platform["deadline"]) == parse_iso("2026-11-04T09:31:02+08:00")
    assert platform["window"].startswith("platform_apply:") and platform["overdue"] is True
    assert "合理原因" in platform["advice"]["zh"] and "reasonable cause" in platform["advice"]["en"]
    assert "原因是" in d["letters"]["platform"]["zh"]
    for article in ("第二十三条", "第二十四条", "第五十八条", "第五十九条"):
        assert article in d["letters"]["platform"]["zh"]
    assert "找回包赔" in d["letters"]["seller"]["zh"] and "恢复账号或按承诺全额退款" in d["letters"]["seller"]["zh"]
    assert "police" not in _steps(d) and "chargeback" not in _steps(d)


def test_undelivered_goods_refused_with_no_refund_for_virtual_goods(app):
    """Advisor: 「虚拟商品不退不换」 at most removes the seven-day no-reason return of delivered
    digital goods (第二十五条); nothing was delivered, so there is nothing to return: the shop must
    deliver or refund, and a clause excluding that is void (第二十六条). The letters must not argue
    that the goods 'do not match the description or do not work'."""
    capture(app, P.shop_order("星河发卡", order_no="20261207031544871", item="网易云音乐黑胶VIP 年卡", quantity=1,
                              created="2026-12-07 03:15:44", amount="88.00", status="已付款", payment="微信支付", codes=[],
                              notice="虚拟商品不退不换，如有问题请联系客服"),
            "https://xinghe-fk.com/detail-order-sn/20261207031544871", "2026-12-08T08:50:00.000+08:00")
    d = open_dispute(app, USER, "not_delivered", domain="xinghe-fk.com", order_no="20261207031544871",
                     occurred_at="2026-12-07T05:00:00+08:00", created_at="2026-12-08T09:00:00+08:00",
                     now="2026-12-08T09:00:00+08:00", description="付款后一直未发货，客服说虚拟商品不退")
    assert_invariants(app, USER, d)
    assert_readable(d)
    refusal, = _codes(d, "no_refund_claim")
    assert refusal["quote"] == "不退不换"
    for text in [refusal["explanation"]["zh"], *(letter["zh"] for letter in d["letters"].values())]:
        assert "不符或不能正常使用" not in text
    assert "没有交付" in refusal["explanation"]["zh"] and "第二十六条" in refusal["explanation"]["zh"]
    assert "nothing was delivered" in refusal["explanation"]["en"]
    for step in ("seller", "platform", "regulator"):
        letter = d["letters"][step]
        assert "第二十五条" in letter["zh"] and "没有交付" in letter["zh"], step
        assert "nothing was delivered" in letter["en"], step
        assert "not as described" not in letter["en"], step
    assert _states(d)["delivery_record"] == "present"  # the order page shows it is still unpaid-for
    assert "立即发货或全额退款" in d["letters"]["seller"]["zh"]


def test_recharge_code_already_used_on_delivery_at_a_single_shop_across_the_new_year(app):
    """Advisor: an independent 发卡网 (独角数卡) has no platform above it: ask the shop's support
    (48 h, here across the new year), then its after-sales under its own rules (电商法第五十九条, no
    platform duties of 第四十四/五十八条), the Alipay bill's complaint (paid by 支付宝当面付: it
    reaches the shop's merchant account), then 12315. 「保证未使用」「无效包换」 are broken
    (第二十三、二十四条). The error screenshot is the proof of the problem."""
    capture(app, P.shop_product("速通卡铺", title="京东E卡 100元 电子卡", price="98.50",
                                lines=["自动发货，秒到", "卡密有效期三年，保证未使用，无效包换"]),
            "https://sutong-ka.shop/buy/17", "2026-12-30T23:44:00.000+08:00")
    capture(app, P.shop_order("速通卡铺", order_no="2612302345118842", item="京东E卡 100元", quantity=1,
                              created="2026-12-30 23:45:11", amount="98.50", status="已发货", payment="支付宝当面付",
                              codes=["JDE-7K2M-9QXP-44RT"], notice="卡密一经发出概不退换，请在24小时内使用"),
            "https://sutong-ka.shop/detail-order-sn/2612302345118842", "2026-12-30T23:46:00.000+08:00")
    d = open_dispute(app, USER, "invalid_code", domain="sutong-ka.shop", order_no="2612302345118842",
                     occurred_at="2026-12-30T23:50:00+08:00", created_at="2026-12-31T00:10:00+08:00",
                     now="2026-12-31T00:10:00+08:00", description="绑定时提示该卡密已被使用")
    assert _states(d)["problem_proof"] == "missing"
    shot = attach(app, USER, d["id"], "error_screenshot", PNG_1PX, "卡密已被使用.png", "2026-12-31T00:12:00.000+08:00")
    d = rebuild(app, USER, d["id"], "2026-12-31T00:15:00+08:00")
    assert_invariants(app, USER, d)
    assert_readable(d)
    assert d["order"]["single_shop"] is True and d["order"]["seller"] is None
    assert _states(d)["problem_proof"] == "present" and shot.id in next(
        r for r in d["checklist"] if r["item"] == "problem_proof")["evidence"]
    assert {"保证未使用", "无效包换"} <= {f["quote"] for f in _codes(d, "promise_broken")}
    assert _steps(d) == ["seller", "platform", "regulator", "consumer_association"]
    seller = _step(d, "seller")
    assert "店铺" in seller["channel"] and parse_iso(seller["deadline"]) == parse_iso("2027-01-02T00:10:00+08:00")
    assert "没有上级平台" in _step(d, "platform")["channel"] and "no platform above it" in _step(d, "platform")["channel_en"]
    assert "本店的售后规则" in _step(d, "platform")["basis"]["zh"] and "平台" not in _step(d, "platform")["basis"]["zh"]
    shop_letter = d["letters"]["platform"]
    assert "第五十九条" in shop_letter["zh"] and "第四十四条" not in shop_letter["zh"] and "第五十八条" not in shop_letter["zh"]
    assert "贵店" in shop_letter["zh"] and "平台介入" not in shop_letter["zh"]
    pay, form = payment_complaint(d)  # the Alipay bill's complaint, beside the platform step
    assert pay["app"] == "alipay" and "支付宝" in pay["channel"] and "Alipay" in pay["channel_en"]
    assert pay["form"] == "alipay" and form["order_no"]["zh"] == "2612302345118842" and form["amount"]["zh"] == "¥98.50"
    assert "2612302345118842" in form["pay_facts"]["zh"] and "¥98.50" in form["pay_facts"]["zh"]
    assert "更换有效的卡密或退款" in form["pay_facts"]["zh"] and "replace the code" in form["pay_facts"]["en"]
    assert "2027-01-02 00:10:00 (UTC+08:00)" in d["letters"]["seller"]["zh"]
    assert "更换有效的卡密或退款" in d["letters"]["seller"]["zh"]
    assert [c["form"] for c in d["complaints"]] == ["regulator", "heimao", "alipay"]


def test_single_shop_vanished_after_payment(app):
    """Advisor: the shop took the money and its site is gone: the Alipay bill's complaint is the
    way to the payee's merchant account; report to the police (收款后失联); 12315 with the ICP-less
    domain and the order; the shop's own channels may be dead but the letters are still kept. The
    shop's promises (自动发货, 质保) are broken and nothing was delivered."""
    capture(app, P.shop_product("极速发卡", title="ChatGPT Plus 月卡 独享", price="128.00",
                                lines=["自动发货", "质保30天，掉了包换"]), "https://jisu-fk.top/buy/3",
            "2026-11-30T23:10:00.000+08:00")
    capture(app, P.shop_order("极速发卡", order_no="2611302318449921", item="ChatGPT Plus 月卡 独享", quantity=1,
                              created="2026-11-30 23:18:44", amount="128.00", status="已付款", payment="支付宝当面付",
                              codes=[]), "https://jisu-fk.top/detail-order-sn/2611302318449921",
            "2026-11-30T23:20:00.000+08:00")
    d = open_dispute(app, USER, "shop_vanished", domain="jisu-fk.top", order_no="2611302318449921",
                     occurred_at="2026-12-01T10:00:00+08:00", created_at="2026-12-01T10:30:00+08:00",
                     now="2026-12-01T10:30:00+08:00", description="付款后网站打不开了，客服QQ也联系不上")
    assert_invariants(app, USER, d)
    assert_readable(d)
    assert d["order"]["single_shop"] is True
    assert _steps(d) == ["seller", "platform", "regulator", "consumer_association", "police"]
    assert _step(d, "police")["reasons"] == ["shop_vanished"]
    assert "第五十五条" in d["letters"]["police"]["zh"] or "第五十五条" in _step(d, "police")["basis"]["zh"]
    pay, form = payment_complaint(d)
    assert pay["app"] == "alipay"
    assert {"自动发货", "质保30天"} <= {f["quote"] for f in _codes(d, "promise_broken")}
    assert "全额退款" in form["pay_facts"]["zh"] and "2611302318449921" in form["pay_facts"]["zh"]
    assert "¥128.00" in form["pay_facts"]["zh"] and form["amount"]["zh"] == "¥128.00"
    assert "chargeback" not in _steps(d)  # Alipay, domestic: no card network stands behind it


def test_partial_delivery_three_of_five_codes(app):
    """Advisor: five cards were paid for and three arrived: ask for the other two or for 2/5 of
    the price back (¥96.00 of ¥240.00), not for 'delivery now or a full refund' of goods that
    partly arrived (第二十三、二十四条); paid by WeChat Pay at a single shop: its bill's complaint."""
    capture(app, P.shop_order("速通卡铺", order_no="2612011200334455", item="Steam 充值卡 50元", quantity=5,
                              created="2026-12-01 12:00:33", amount="240.00", status="已发货", payment="微信支付",
                              codes=["STM-AAAA-1111", "STM-BBBB-2222", "STM-CCCC-3333"]),
            "https://sutong-ka.shop/detail-order-sn/2612011200334455", "2026-12-01T12:02:00.000+08:00")
    d = open_dispute(app, USER, "not_delivered", domain="sutong-ka.shop", order_no="2612011200334455",
                     occurred_at="2026-12-01T12:02:00+08:00", created_at="2026-12-01T13:00:00+08:00",
                     now="2026-12-01T13:00:00+08:00", description="买了5张只发了3张")
    assert_invariants(app, USER, d)
    assert_readable(d)
    partial, = _codes(d, "partial_delivery")
    assert partial["delivery"] == {"quantity": 5, "delivered": 3, "missing": 2}
    assert "¥96.00" in partial["explanation"]["zh"] and "96.00 CNY" in partial["explanation"]["en"]
    assert "第二十三条" in partial["explanation"]["zh"]
    for letter in d["letters"].values():
        assert "补发其余2件" in letter["zh"] or "¥96.00" in letter["zh"]
        assert "全额退款" not in letter["zh"] and "refund in full" not in letter["en"]
    assert "请在 2026-12-03 13:00:00 (UTC+08:00) 前（48小时内）补发其余2件，或退还未交付部分的货款 ¥96.00" in \
        d["letters"]["seller"]["zh"]
    assert _states(d)["delivery_record"] == "present"
    assert _steps(d) == ["seller", "platform", "regulator", "consumer_association"]
    pay, form = payment_complaint(d)
    assert pay["app"] == "wechat" and pay["form"] == "wechat_pay"
    assert "补发其余2件" in form["pay_facts"]["zh"] or "¥96.00" in form["pay_facts"]["zh"]
    assert "全额退款" not in form["pay_facts"]["zh"]


def test_full_delivery_is_no_partial_delivery(app):
    """The same order page with all five codes shows nothing missing."""
    capture(app, P.shop_order("速通卡铺", order_no="2612011200334456", item="Steam 充值卡 50元", quantity=5,
                              created="2026-12-01 12:00:33", amount="240.00", status="已发货", payment="微信支付",
                              codes=[f"STM-{c * 4}-{i}{i}{i}{i}" for i, c in enumerate("ABCDE", 1)]),
            "https://sutong-ka.shop/detail-order-sn/2612011200334456", "2026-12-01T12:02:00.000+08:00")
    d = open_dispute(app, USER, "invalid_code", domain="sutong-ka.shop", order_no="2612011200334456",
                     occurred_at="2026-12-01T12:05:00+08:00", created_at="2026-12-01T13:00:00+08:00",
                     now="2026-12-01T13:00:00+08:00")
    assert any("5 条卡密" in e["summary"]["zh"] for e in d["timeline"])  # the scrapers read all five
    assert _codes(d, "partial_delivery") == []
    assert "更换有效的卡密或退款" in d["letters"]["seller"]["zh"]


def test_seller_moves_to_wechat_and_takes_a_transfer(app):
    """Advisor: the seller lured the buyer off the platform ("加我微信…直接转账给我"): the platform's
    protection may not cover the money, so the WeChat Pay bill's complaint is the way to the payee;
    report to the police (off-platform payment is a fraud sign); still ask the platform, whose
    seller did this on its chat. The letters state the ¥25 actually transferred, not the ¥30 of the
    unpaid order, and the buyer still needs the WeChat transfer record (payment proof)."""
    capture(app, P.kameng_product(JINYU, title="原神 月卡 代充 30天", price="30.00", seller="小鱼代充", seller_id="51220",
                                  lines=["10分钟内到账", "官方渠道 安全稳定"], icp=JINYU_ICP),
            "https://www.jinyu-km.com/goods/91002", "2026-12-05T20:00:00.000+08:00")
    capture(app, P.kameng_chat(JINYU, seller="小鱼代充", order_no="JY202612052003551", icp=JINYU_ICP, messages=[
        ("小鱼代充", "2026-12-05 20:04", "平台通道在维护，你加我微信 xiaoyu_dc88 直接转账给我，便宜5块"),
        ("我", "2026-12-05 20:06", "好的，已经微信转账25元"), ("我", "2026-12-06 10:00", "怎么还没到账？")]),
        "https://www.jinyu-km.com/user/chat/51220", "2026-12-06T10:01:00.000+08:00")
    capture(app, P.kameng_order(JINYU, order_no="JY202612052003551", item="原神 月卡 代充 30天", seller="小鱼代充",
                                amount="30.00", status="待付款", created="2026-12-05 20:03:55", paid="", delivered=None,
                                payment="", codes=[], icp=JINYU_ICP),
            "https://www.jinyu-km.com/user/order/JY202612052003551", "2026-12-06T10:02:00.000+08:00")
    d = open_dispute(app, USER, "not_delivered", domain="jinyu-km.com", order_no="JY202612052003551",
                     occurred_at="2026-12-05T20:30:00+08:00", created_at="2026-12-06T10:05:00+08:00",
                     now="2026-12-06T10:05:00+08:00", amount={"amount": "25.00", "currency": "CNY"},
                     description="卖家让加微信转账25元后不发货")
    assert_invariants(app, USER, d)
    assert_readable(d)
    off, = _codes(d, "off_platform_payment")
    assert "加我微信" in off["quote"] and "转账" in off["quote"]
    assert _steps(d) == ["seller", "platform", "regulator", "consumer_association", "police"]
    assert _step(d, "police")["reasons"] == ["off_platform"]
    pay, form = payment_complaint(d)
    assert pay["app"] == "wechat" and "平台之外" in pay["basis"]["zh"] and "outside the platform" in pay["basis"]["en"]
    assert pay["form"] == "wechat_pay" and pay["off_platform"] is True
    assert d["order"]["amount"] == {"amount": "25.00", "currency": "CNY"} and d["order"]["amount_source"] == "buyer"
    assert "实付 ¥25.00（我实际支付的金额" in d["letters"]["platform"]["zh"]
    assert form["amount"]["zh"] == "¥25.00" and "¥25.00" in form["pay_facts"]["zh"]
    assert "平台之外" in form["pay_facts"]["zh"] and "off-platform" in form["pay_facts"]["en"]
    assert "JY202612052003551" in form["pay_facts"]["zh"] and "收款账户" in form["pay_facts"]["zh"]
    assert "¥30.00" not in d["letters"]["seller"]["zh"]
    assert _states(d)["payment_proof"] == "missing" and _states(d)["negotiation_record"] == "present"
    assert "第四十四条" in d["letters"]["platform"]["zh"]


def test_key_revoked_weeks_later_on_a_foreign_marketplace_paid_by_visa(app):
    """Advisor: a euro purchase on a foreign key marketplace, paid by Visa; the publisher revoked
    the key 38 days later, after the marketplace's 30-day buyer protection: still ask the seller and
    the marketplace (stating the cause of the delay), then the card issuer: Visa 13.3 (not as
    described / defective) within 120 days of the transaction; econsumer.gov last. Chinese consumer
    law, 12315 and a payment app's complaint do not apply."""
    capture(app, P.market_order("Keyvault", order_no="KV-88412937", item="Elden Ring Steam Key GLOBAL", seller="GameDealz",
                                amount="39.99", currency="EUR", paid="Nov 2, 2026, 14:05 CET",
                                delivered="Nov 2, 2026, 14:06 CET", payment="Visa •••• 4417", key="7XK2Q-9PLMN-44RTA"),
            "https://www.keyvault.gg/account/orders/KV-88412937", "2026-11-02T21:07:00.000+08:00")
    d = open_dispute(app, USER, "invalid_code", domain="keyvault.gg", order_no="KV-88412937",
                     occurred_at="2026-12-10T10:00:00+08:00", created_at="2026-12-10T11:00:00+08:00",
                     now="2026-12-10T11:00:00+08:00",
                     description="Steam says: This product key has been revoked by the publisher")
    assert_invariants(app, USER, d)
    assert_readable(d)
    assert d["order"]["cross_border"] is True and d["order"]["payment_network"] == "visa"
    assert d["order"]["amount"] == {"amount": "39.99", "currency": "EUR"}
    assert _steps(d) == ["seller", "platform", "chargeback", "regulator"]
    platform = _step(d, "platform")
    assert parse_iso(platform["deadline"]) == parse_iso("2026-12-02T14:05:00+01:00") and platform["overdue"] is True
    assert "发卡行" in platform["advice"]["zh"] and "card issuer" in platform["advice"]["en"]
    chargeback = _step(d, "chargeback")
    assert chargeback["reason_codes"] == ["13.3"] and chargeback["overdue"] is False
    assert parse_iso(chargeback["deadline"]) == parse_iso("2027-03-02T14:05:00+01:00")  # 120 days
    letter = d["letters"]["chargeback"]
    assert "13.3" in letter["zh"] and "13.3" in letter["en"] and "39.99 EUR" in letter["en"]
    for text in (letter["zh"], *(v["zh"] for v in d["letters"].values())):
        assert "消费者权益保护法" not in text and "12315" not in text
    assert "econsumer.gov" in _step(d, "regulator")["channel"]
    assert [c["form"] for c in d["complaints"]] == ["heimao"]


def test_foreign_marketplace_paid_by_alipay_has_no_chargeback(app):
    """No card, no chargeback: a foreign marketplace paid through Alipay gets no card-network step."""
    capture(app, P.market_order("Keyvault", order_no="KV-88412990", item="Hades II Steam Key GLOBAL", seller="GameDealz",
                                amount="24.99", currency="EUR", paid="Nov 2, 2026, 14:05 CET",
                                delivered=None, payment="Alipay", key=None),
            "https://www.keyvault.gg/account/orders/KV-88412990", "2026-11-02T21:07:00.000+08:00")
    d = open_dispute(app, USER, "not_delivered", domain="keyvault.gg", order_no="KV-88412990",
                     occurred_at="2026-11-03T10:00:00+08:00", created_at="2026-11-03T11:00:00+08:00",
                     now="2026-11-03T11:00:00+08:00")
    assert_invariants(app, USER, d)
    assert d["order"]["cross_border"] is True and d["order"]["payment_method"] == "alipay"
    assert "chargeback" not in _steps(d) and "chargeback" not in d["letters"]
    assert all(w["kind"] != "chargeback" for w in d["windows"])
    # The wallet's own complaint stands where a card's chargeback would.
    assert _steps(d) == ["seller", "platform", "regulator"]
    pay, form = payment_complaint(d)
    assert pay["app"] == "alipay" and pay["form"] == "alipay" and "支付宝" in pay["channel"]
    assert form["order_no"]["zh"] == "KV-88412990" and "24.99 EUR" in form["pay_facts"]["zh"]


def test_paid_in_the_last_minutes_of_a_month_deadlines_cross_into_the_next(app):
    """Advisor: the shop's rules count from the stated delivery (23:59:30 on 30 November): the
    24-hour 验号 check ends at 23:59:30 on 1 December and the 7-day 平台介入 window at 23:59:30 on
    7 December, China time; a dispute opened at 23:00 that day is still in time, one at 00:00:01
    is late by the same rule."""
    capture(app, P.kameng_terms(JINYU, clauses=JINYU_RULES, icp=JINYU_ICP), "https://www.jinyu-km.com/help/rules",
            "2026-11-30T23:40:00.000+08:00")
    capture(app, P.kameng_order(JINYU, order_no="JY202611302350117", item="和平精英 成品号 玛莎拉蒂", seller="老刘游戏号店",
                                amount="300.00", status="已完成", created="2026-11-30 23:50:11",
                                paid="2026-11-30 23:50:40", delivered="2026-11-30 23:59:30", payment="支付宝",
                                codes=["账号：hp8823@qq.com 密码：Lp#8823x"], icp=JINYU_ICP),
            "https://www.jinyu-km.com/user/order/JY202611302350117", "2026-12-01T00:00:10.000+08:00")
    d = open_dispute(app, USER, "account_banned", domain="jinyu-km.com", order_no="JY202611302350117",
                     occurred_at="2026-12-07T20:00:00+08:00", created_at="2026-12-07T23:00:00+08:00",
                     now="2026-12-07T23:00:00+08:00")
    assert_invariants(app, USER, d)
    windows = {w["kind"]: w for w in d["windows"]}
    assert parse_iso(windows["verify_now"]["deadline"]) == parse_iso("2026-12-01T23:59:30+08:00")
    assert parse_iso(windows["platform_apply"]["deadline"]) == parse_iso("2026-12-07T23:59:30+08:00")
    platform = _step(d, "platform")
    assert platform["window"] == windows["platform_apply"]["id"] and platform["overdue"] is False
    assert parse_iso(_step(d, "seller")["deadline"]) == parse_iso("2026-12-09T23:00:00+08:00")
    late = rebuild(app, USER, d["id"], "2026-12-08T00:00:01+08:00")
    assert _step(late, "platform")["overdue"] is True
    assert "原因是" in late["letters"]["platform"]["zh"] and "原因是" not in d["letters"]["platform"]["zh"]


def test_foreign_order_on_the_last_day_of_january_counts_through_february(app):
    """30 days from 31 January 23:30 CET end on 2 March (February 2027 has 28 days); the card's
    120 days on 31 May; both at the page's own offset, which is the same instant in China time."""
    capture(app, P.market_order("Keyvault", order_no="KV-90000131", item="Cyberpunk 2077 GOG Key GLOBAL",
                                seller="GameDealz", amount="29.99", currency="EUR", paid="Jan 31, 2027, 23:30 CET",
                                delivered=None, payment="Mastercard •••• 5100", key=None),
            "https://www.keyvault.gg/account/orders/KV-90000131", "2027-02-01T06:31:00.000+08:00")
    d = open_dispute(app, USER, "not_delivered", domain="keyvault.gg", order_no="KV-90000131",
                     occurred_at="2027-02-02T10:00:00+08:00", created_at="2027-02-02T11:00:00+08:00",
                     now="2027-02-02T11:00:00+08:00")
    assert_invariants(app, USER, d)
    assert parse_iso(_step(d, "platform")["deadline"]) == parse_iso("2027-03-02T23:30:00+01:00")
    assert parse_iso(_step(d, "platform")["deadline"]) == parse_iso("2027-03-03T06:30:00+08:00")
    chargeback = _step(d, "chargeback")
    assert chargeback["network"] == "mastercard" and chargeback["reason_codes"] == ["4855"]
    assert parse_iso(chargeback["deadline"]) == parse_iso("2027-05-31T23:30:00+01:00")


def test_seller_already_refunded_half(app):
    """Advisor: the seller refunded ¥60 of ¥120 for a VIP account banned after 8 days: the partial
    refund does not settle it; claim a working account or the remaining ¥60 (第二十三、二十四条),
    not 'a refund' of the whole price again."""
    capture(app, P.kameng_order(JINYU, order_no="JY202611200815442", item="腾讯视频VIP 年卡 独享账号", seller="影视会员铺",
                                amount="120.00", status="部分退款", created="2026-11-20 08:15:44",
                                paid="2026-11-20 08:16:01", delivered="2026-11-20 08:16:30", payment="支付宝",
                                codes=["账号：tx1688 密码：a88231"], icp=JINYU_ICP,
                                notice="退款金额：¥60.00（商家已同意部分退款）"),
            "https://www.jinyu-km.com/user/order/JY202611200815442", "2026-12-02T09:00:00.000+08:00")
    d = open_dispute(app, USER, "account_banned", domain="jinyu-km.com", order_no="JY202611200815442",
                     occurred_at="2026-11-28T08:00:00+08:00", created_at="2026-12-02T09:10:00+08:00",
                     now="2026-12-02T09:10:00+08:00", description="会员账号用了8天被封，商家只退了一半")
    assert_invariants(app, USER, d)
    assert_readable(d)
    refund, = _codes(d, "partial_refund")
    assert refund["refund"] == {"refunded": "60.00", "rest": "60.00", "currency": "CNY"}
    assert "退款金额" in refund["quote"] and "¥60.00" in refund["explanation"]["zh"]
    assert "第二十三条" in refund["explanation"]["zh"]
    seller = d["letters"]["seller"]
    assert "已退款 ¥60.00，退款只需退还其余 ¥60.00" in seller["zh"] and "remaining 60.00 CNY" in seller["en"]
    assert "实付 ¥120.00" in seller["zh"]
    assert "更换可正常使用的账号" in seller["zh"]


def test_a_refund_policy_line_is_no_refund_made(app):
    """Words about refunds that state no refunded amount ("7天内可申请退款", "退款100%到账") are no
    partial refund."""
    capture(app, P.kameng_order(JINYU, order_no="JY202611200815443", item="腾讯视频VIP 年卡 独享账号", seller="影视会员铺",
                                amount="120.00", status="已完成", created="2026-11-20 08:15:44",
                                paid="2026-11-20 08:16:01", delivered="2026-11-20 08:16:30", payment="支付宝",
                                codes=["账号：tx1689 密码：a88232"], icp=JINYU_ICP,
                                notice="售后：7天内可申请退款，退款100%原路退回"),
            "https://www.jinyu-km.com/user/order/JY202611200815443", "2026-12-02T09:00:00.000+08:00")
    d = open_dispute(app, USER, "account_banned", domain="jinyu-km.com", order_no="JY202611200815443",
                     occurred_at="2026-11-28T08:00:00+08:00", created_at="2026-12-02T09:10:00+08:00",
                     now="2026-12-02T09:10:00+08:00")
    assert _codes(d, "partial_refund") == []


def test_subscription_stopped_on_day_10_of_30(app):
    """Advisor: a 30-day VIP membership account stopped working on day 10: well within the shop's
    「质保30天」 and against 「稳定不掉线」 (第二十三、二十四条): ask the seller to restore it (补时长)
    or refund; the plan counts the shop's 24-hour 验号 rule (long past, and not the deadline to ask
    the platform) apart from its 7-day intervention rule."""
    capture(app, P.kameng_terms(JINYU, clauses=JINYU_RULES, icp=JINYU_ICP), "https://www.jinyu-km.com/help/rules",
            "2026-11-01T19:50:00.000+08:00")
    capture(app, P.kameng_product(JINYU, title="爱奇艺黄金会员 月卡 30天 独享账号", price="15.00", seller="影视会员铺",
                                  seller_id="60021", lines=["质保30天，掉了补时长", "稳定不掉线"], icp=JINYU_ICP),
            "https://www.jinyu-km.com/goods/77001", "2026-11-01T19:58:00.000+08:00")
    capture(app, P.kameng_order(JINYU, order_no="JY202611012000310", item="爱奇艺黄金会员 月卡 30天 独享账号",
                                seller="影视会员铺", amount="15.00", status="已完成", created="2026-11-01 20:00:31",
                                paid="2026-11-01 20:00:52", delivered="2026-11-01 20:01:10", payment="支付宝",
                                codes=["账号：1390000xxxx 密码：iq8823"], icp=JINYU_ICP),
            "https://www.jinyu-km.com/user/order/JY202611012000310", "2026-11-01T20:02:00.000+08:00")
    d = open_dispute(app, USER, "account_banned", domain="jinyu-km.com", order_no="JY202611012000310",
                     occurred_at="2026-11-10T21:00:00+08:00", created_at="2026-11-10T22:00:00+08:00",
                     now="2026-11-10T22:00:00+08:00", description="会员第10天提示账号异常，已不是VIP")
    assert_invariants(app, USER, d)
    assert_readable(d)
    broken = {f["quote"]: f for f in _codes(d, "promise_broken")}
    assert {"质保30天", "稳定不掉线"} <= set(broken)
    warranty = broken["质保30天"]
    assert parse_iso(warranty["warranty"]["end"]) == parse_iso("2026-12-01T20:01:10+08:00")
    assert "第10天" in warranty["explanation"]["zh"] and "仍在承诺的30天质保期内" in warranty["explanation"]["zh"]
    assert "day 10" in warranty["explanation"]["en"]
    platform = _step(d, "platform")
    assert platform["window"].startswith("platform_apply:") and platform["overdue"] is True
    assert parse_iso(platform["deadline"]) == parse_iso("2026-11-08T20:01:10+08:00")
    assert "质保30天" in d["letters"]["seller"]["zh"] and "第二十四条" in d["letters"]["seller"]["zh"]
    assert _steps(d) == ["seller", "platform", "regulator", "consumer_association"]


def test_a_minor_bought_game_currency_without_the_guardians_consent(app):
    """Advisor: a 12-year-old spent ¥648 on a game top-up without the parents' knowledge: a minor
    has limited civil capacity and a purchase not suited to their age needs the guardian's consent
    or ratification (民法典第十九条、第一百四十五条); the guardian refuses and asks for a refund,
    first from the seller and the platform (and the payment app's bill complaint), then 12315.
    What proves it is who bought (ID, the child's device or account, the guardian's statement)."""
    capture(app, P.kameng_order(JINYU, order_no="JY202612011830224", item="原神 648创世结晶 直充", seller="小鱼代充",
                                amount="648.00", status="已完成", created="2026-12-01 18:30:22",
                                paid="2026-12-01 18:30:40", delivered="2026-12-01 18:31:05", payment="微信支付",
                                codes=["充值成功 UID 182736450"], icp=JINYU_ICP),
            "https://www.jinyu-km.com/user/order/JY202612011830224", "2026-12-03T20:00:00.000+08:00")
    d = open_dispute(app, USER, "minor_purchase", domain="jinyu-km.com", order_no="JY202612011830224",
                     occurred_at="2026-12-03T19:00:00+08:00", created_at="2026-12-03T20:10:00+08:00",
                     now="2026-12-03T20:10:00+08:00", description="孩子12岁，用我的手机微信付款充值")
    assert_invariants(app, USER, d)
    assert_readable(d)
    minor, = _codes(d, "minor_purchase")
    assert "《民法典》第十九条、第一百四十五条" in minor["explanation"]["zh"] and "¥648.00" in minor["explanation"]["zh"]
    assert "Civil Code" in minor["explanation"]["en"]
    seller = d["letters"]["seller"]
    assert "我的孩子（未成年人）" in seller["zh"] and "my child, a minor" in seller["en"]
    assert "第一百四十五条" in seller["zh"] and "确认该交易不发生效力并全额退款" in seller["zh"]
    assert "消费者权益保护法》第二十三条" not in seller["zh"]  # no goods defect is claimed
    proof = next(r for r in d["checklist"] if r["item"] == "problem_proof")
    assert proof["state"] == "missing" and "户口本" in proof["how"]["zh"] and "household register" in proof["how"]["en"]
    assert _steps(d) == ["seller", "platform", "regulator", "consumer_association"]
    assert next(c for c in d["complaints"] if c["form"] == "wechat_pay")
    pay, form = payment_complaint(d)
    assert pay["app"] == "wechat"
    assert "我的孩子（未成年人）" in form["pay_facts"]["zh"] and "第一百四十五条" in form["pay_facts"]["zh"]
    assert "my child, a minor" in form["pay_facts"]["en"].lower() and "¥648.00" in form["pay_facts"]["zh"]
    assert "确认该交易不发生效力并全额退款" in form["pay_facts"]["zh"] and "未按约定履行" not in form["pay_facts"]["zh"]
    statement = attach(app, USER, d["id"], "other", PNG_1PX, "户口本.png", "2026-12-03T20:20:00.000+08:00")
    d = rebuild(app, USER, d["id"], "2026-12-03T20:30:00+08:00")
    proof = next(r for r in d["checklist"] if r["item"] == "problem_proof")
    assert proof["state"] == "present" and proof["evidence"] == [statement.id]


def test_foreign_order_without_a_stated_payment_method_says_the_chargeback_needs_a_card(app):
    """A foreign order page that does not say how it was paid: the chargeback step may apply, and
    says it holds only for a card payment."""
    capture(app, P.market_order("Keyvault", order_no="KV-90000200", item="Hades II Steam Key GLOBAL", seller="GameDealz",
                                amount="24.99", currency="EUR", paid="Nov 2, 2026, 14:05 CET", delivered=None,
                                payment="", key=None),
            "https://www.keyvault.gg/account/orders/KV-90000200", "2026-11-02T21:07:00.000+08:00")
    d = open_dispute(app, USER, "not_delivered", domain="keyvault.gg", order_no="KV-90000200",
                     occurred_at="2026-11-03T10:00:00+08:00", created_at="2026-11-03T11:00:00+08:00",
                     now="2026-11-03T11:00:00+08:00")
    assert_invariants(app, USER, d)
    assert d["order"]["payment_method"] is None
    chargeback = _step(d, "chargeback")
    assert "仅在您用银行卡" in chargeback["basis"]["zh"] and "only if you paid by bank card" in chargeback["basis"]["en"]
    assert chargeback["reason_codes"] == ["13.1", "4855"]


def test_the_pack_of_an_off_platform_case_verifies_and_names_every_step(app, tmp_path):
    """The evidence pack a buyer hands over: it verifies, and its report names the payment-app step
    and the new findings in words, never by their codes."""
    import zipfile

    from server.disputes.export import export_pack
    from server.evidence.verify import verify_pack

    test_partial_delivery_three_of_five_codes(app)
    d = open_dispute(app, USER, "not_delivered", domain="sutong-ka.shop", order_no="2612011200334455",
                     occurred_at="2026-12-01T12:02:00+08:00", created_at="2026-12-01T13:00:00+08:00",
                     now="2026-12-01T13:00:00+08:00")
    path = tmp_path / "pack.zip"
    with open(path, "wb") as handle:
        export_pack(app.extensions["kadun"].redis, USER, d["id"], app.extensions["kadun"].signer, handle)
    assert verify_pack(path).ok
    with zipfile.ZipFile(path) as pack:
        report = pack.read("report.html").decode("utf-8")
    assert "部分未交付 Partly delivered" in report
    # The WeChat Pay bill's complaint beside the platform step, with its form's description and order.
    plan = report[report.index("维权步骤 Escalation plan"):report.index("</ol>", report.index("维权步骤 Escalation plan"))]
    platform = plan[plan.index("店铺售后申请"):plan.index("12315 投诉 12315 complaint")]
    assert "支付渠道投诉 Alongside: payment app complaint" in platform and "微信支付" in platform
    assert "2612011200334455" in platform and "补发其余2件" in platform and "WeChat Pay" in platform
    assert not RAW.search(re.sub(r"<[^>]+>", " ", report).replace("dispute.json", ""))
