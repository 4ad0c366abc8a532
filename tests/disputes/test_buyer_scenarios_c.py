"""Buyers' real situations, round 3: situations rounds 1 and 2 (test_buyer_scenarios.py,
test_buyer_scenarios_b.py) did not cover, built the same way: pages a buyer saw, read by the
scrapers as POST /v1/snapshots reads them, stored at the moments the buyer saved them. Each
docstring says what a consumer-rights advisor would tell this buyer, as far as docs/LEGAL.md
supports it, and the test checks KaDun says that in zh-CN and en: the problem, the evidence still
missing, the plan's steps in order with their dates, the letters' articles, no step that cannot
apply, no raw code in a text."""
from __future__ import annotations

import re

from server.clock import parse_iso

from . import buyer_pages as P
from .scenario import assert_invariants, open_dispute
from .test_buyer_scenarios import JINYU, JINYU_ICP, _codes, _states, _step, _steps, assert_readable, capture
from .test_buyer_scenarios_b import _all_texts

USER = "u_buyers"  # the user test_buyer_scenarios.capture saves pages for


RAW3 = re.compile(r"\b(?:no_reason_return|unused_term|short_top_up|surcharge_demand|platform_compensation|"
                  r"off_platform_payment|snp_[0-9a-f]+|att_[0-9a-f]+)\b")


def _readable(d: dict) -> None:
    """assert_readable, and no code of round 3 (nor a raw evidence id) in any text a user reads."""
    assert_readable(d)
    for text in _all_texts(d):
        assert not RAW3.search(text), text


def _letter_texts(d: dict) -> str:
    return "\n".join(v for letter in d["letters"].values() for v in letter.values())


def test_changed_mind_about_a_delivered_code_gets_no_invented_right(app):
    """Advisor: the code arrived; the buyer bought the wrong thing and no longer wants it. That is a
    return without a reason, and 消法第二十五条 lets a shop exclude digital goods delivered online
    from the seven-day no-reason return (the page says 「一经发出不退不换」, lawful for this). There
    is no legal claim: ask the shop politely (an unused code may be taken back); 12315, the payment
    app's complaint or a police report cannot get the money back for this, so the plan must not send
    the buyer there, and no letter may argue that the goods are defective or not as described."""
    capture(app, P.shop_order("速通卡铺", order_no="2612061200118001", item="爱奇艺黄金会员 季卡", quantity=1,
                              created="2026-12-06 12:00:11", amount="58.00", status="已发货", payment="微信支付",
                              codes=["IQY-8811-7720"], notice="虚拟商品一经发出不退不换"),
            "https://sutong-ka.shop/detail-order-sn/2612061200118001", "2026-12-06T12:01:00.000+08:00")
    d = open_dispute(app, USER, "other", domain="sutong-ka.shop", order_no="2612061200118001",
                     occurred_at="2026-12-06T14:00:00+08:00", created_at="2026-12-06T14:10:00+08:00",
                     now="2026-12-06T14:10:00+08:00", description="买错了，不想要了，卡密还没用，想退款")
    assert_invariants(app, USER, d)
    _readable(d)
    reason, = _codes(d, "no_reason_return")
    assert "第二十五条" in reason["explanation"]["zh"] and "Article 25" in reason["explanation"]["en"]
    assert "没有要求经营者退款的依据" in reason["explanation"]["zh"]
    refusal, = _codes(d, "no_refund_claim")
    assert "允许这样做" in refusal["explanation"]["zh"] and "无效" not in refusal["explanation"]["zh"]
    # A request to the shop and its after-sales, nothing further: no authority can order this refund.
    assert _steps(d) == ["seller", "platform"]
    assert "payment_channel" not in _step(d, "platform")
    letters = _letter_texts(d)
    for claim in ("第二十三条", "第二十四条", "第二十六条", "与描述不符或不能正常使用", "立即发货", "全额退款",
                  "Articles 23 and 24", "do not work", "12315"):
        assert claim not in letters, claim
    assert "第二十五条" in d["letters"]["seller"]["zh"] and "考虑协商退款" in d["letters"]["seller"]["zh"]
    assert "goodwill refund" in d["letters"]["seller"]["en"]
    # A single shop has no platform above it: its after-sales letter does not ask "the platform".
    assert "按贵店的售后规则" in d["letters"]["platform"]["zh"] and "请平台" not in d["letters"]["platform"]["zh"]
    proof = next(r for r in d["checklist"] if r["item"] == "problem_proof")
    assert "不需要证明故障" in proof["how"]["zh"] and "卡密无效的报错" not in proof["how"]["zh"]
    assert not [c for c in d["complaints"] if c["form"] in ("regulator", "heimao", "wechat_pay", "alipay")]


def test_a_problem_that_is_neither_a_defect_nor_a_missing_delivery_is_not_called_one(app):
    """Advisor: with the problem given only as "other" and words that name no change of mind, KaDun
    does not know whether the goods are defective: it says what the "不退不换" clause cannot take
    away (defects, 第二十三、二十四条) without saying this case is one."""
    capture(app, P.shop_order("速通卡铺", order_no="2612061200118002", item="爱奇艺黄金会员 季卡", quantity=1,
                              created="2026-12-06 12:00:11", amount="58.00", status="已发货", payment="微信支付",
                              codes=["IQY-8811-7721"], notice="虚拟商品一经发出不退不换"),
            "https://sutong-ka.shop/detail-order-sn/2612061200118002", "2026-12-06T12:01:00.000+08:00")
    d = open_dispute(app, USER, "other", domain="sutong-ka.shop", order_no="2612061200118002",
                     occurred_at="2026-12-06T14:00:00+08:00", created_at="2026-12-06T14:10:00+08:00",
                     now="2026-12-06T14:10:00+08:00", description="商家客服态度很差")
    assert_invariants(app, USER, d)
    refusal, = _codes(d, "no_refund_claim")
    assert "本案不是无理由退货" not in refusal["explanation"]["zh"]
    assert "本案是商品与描述不符" not in d["letters"]["seller"]["zh"]
    assert "第二十三条" in d["letters"]["seller"]["zh"]  # what the clause cannot exclude, said as a rule
    assert _codes(d, "no_reason_return") == []
    assert "regulator" in _steps(d)


def test_shared_membership_seat_kicked_on_day_10_of_30(app):
    """Advisor: a 30-day 合租 seat (¥30) stopped working on day 10; the page promised no full
    compensation. The buyer had 10 days of it: ask for the other 20 days or ¥20.00 (20/30 of the
    price) back (消法第二十三、二十四条), not the whole price; paid by WeChat Pay on a platform: the
    platform, the bill's complaint beside it, then 12315. Missing: a screenshot of the kick / login
    failure and the chat with the seller."""
    capture(app, P.kameng_product(JINYU, title="网飞Netflix 4K 合租车位 30天", price="30.00", seller="影视会员铺",
                                  seller_id="60021", lines=["合租车位，一人一位"], icp=JINYU_ICP),
            "https://www.jinyu-km.com/goods/77011", "2026-11-20T10:00:00.000+08:00")
    capture(app, P.kameng_order(JINYU, order_no="JY202611201001001", item="网飞Netflix 4K 合租车位 30天", seller="影视会员铺",
                                amount="30.00", status="已完成", created="2026-11-20 10:01:00", paid="2026-11-20 10:01:20",
                                delivered="2026-11-20 10:02:00", payment="微信支付",
                                codes=["账号：nf8821@gmail.com 密码：Nf#2231 车位3"], icp=JINYU_ICP),
            "https://www.jinyu-km.com/user/order/JY202611201001001", "2026-11-20T10:03:00.000+08:00")
    d = open_dispute(app, USER, "account_banned", domain="jinyu-km.com", order_no="JY202611201001001",
                     occurred_at="2026-11-30T10:00:00+08:00", created_at="2026-11-30T11:00:00+08:00",
                     now="2026-11-30T11:00:00+08:00", description="合租第10天车位被踢，登录提示密码错误")
    assert_invariants(app, USER, d)
    _readable(d)
    term, = _codes(d, "unused_term")
    assert term["term"] == {"days": 30, "used": 10, "left": 20}
    assert "¥20.00" in term["explanation"]["zh"] and "20.00 CNY" in term["explanation"]["en"]
    for lang, words in (("zh", "恢复剩余20天的服务，或退还未使用部分的货款 ¥20.00"), ("en", "20.00 CNY (20/30 days)")):
        assert words in d["letters"]["seller"][lang] and words in d["letters"]["platform"][lang]
    assert "更换可正常使用的账号或退款" not in d["letters"]["seller"]["zh"]
    assert [k for k, v in _states(d).items() if v == "missing"] == ["problem_proof", "negotiation_record"]
    assert _steps(d) == ["seller", "platform", "regulator", "consumer_association"]
    assert _step(d, "platform")["payment_channel"]["app"] == "wechat"


def test_a_term_service_with_a_full_compensation_promise_keeps_the_whole_price(app):
    """The page promised 「被封全额退款」: the seller's own promise gives more than the unused days,
    so no share is computed."""
    capture(app, P.kameng_product(JINYU, title="网飞Netflix 4K 合租车位 30天", price="30.00", seller="影视会员铺",
                                  seller_id="60021", lines=["被封全额退款"], icp=JINYU_ICP),
            "https://www.jinyu-km.com/goods/77012", "2026-11-20T10:00:00.000+08:00")
    capture(app, P.kameng_order(JINYU, order_no="JY202611201001002", item="网飞Netflix 4K 合租车位 30天", seller="影视会员铺",
                                amount="30.00", status="已完成", created="2026-11-20 10:01:00", paid="2026-11-20 10:01:20",
                                delivered="2026-11-20 10:02:00", payment="微信支付",
                                codes=["账号：nf8822@gmail.com 密码：Nf#2232 车位4"], icp=JINYU_ICP),
            "https://www.jinyu-km.com/user/order/JY202611201001002", "2026-11-20T10:03:00.000+08:00")
    d = open_dispute(app, USER, "account_banned", domain="jinyu-km.com", order_no="JY202611201001002",
                     occurred_at="2026-11-30T10:00:00+08:00", created_at="2026-11-30T11:00:00+08:00",
                     now="2026-11-30T11:00:00+08:00", description="第10天账号被封")
    assert_invariants(app, USER, d)
    assert "refund" in {f["promise_kind"] for f in _codes(d, "promise_broken")}
    assert _codes(d, "unused_term") == []


def test_game_top_up_arrived_short(app):
    """Advisor: 648 点券 were bought for ¥598.00 and 328 arrived: ask for the other 320 点券 or
    320/648 of the price (¥295.31) back (消法第二十三、二十四条), not "deliver what was described or
    refund" of the whole order; the balance screenshot is the proof still missing."""
    capture(app, P.kameng_order(JINYU, order_no="JY202612051201001", item="王者荣耀 648点券 直充", seller="小鱼代充",
                                amount="598.00", status="已完成", created="2026-12-05 12:01:00", paid="2026-12-05 12:01:20",
                                delivered="2026-12-05 12:10:00", payment="支付宝", codes=["充值成功 QQ 23884712"],
                                icp=JINYU_ICP),
            "https://www.jinyu-km.com/user/order/JY202612051201001", "2026-12-05T12:11:00.000+08:00")
    d = open_dispute(app, USER, "not_as_described", domain="jinyu-km.com", order_no="JY202612051201001",
                     occurred_at="2026-12-05T12:15:00+08:00", created_at="2026-12-05T13:00:00+08:00",
                     now="2026-12-05T13:00:00+08:00", description="买的648点券，只到账328点券")
    assert_invariants(app, USER, d)
    _readable(d)
    short, = _codes(d, "short_top_up")
    assert short["top_up"] == {"ordered": 648, "arrived": 328, "missing": 320, "unit": "点券"}
    assert "¥295.31" in short["explanation"]["zh"] and "第二十三条" in short["explanation"]["zh"]
    assert "补足其余320点券，或退还未到账部分的货款 ¥295.31" in d["letters"]["seller"]["zh"]
    assert "295.31 CNY" in d["letters"]["seller"]["en"]
    assert "按描述履行、更换或退款" not in d["letters"]["seller"]["zh"]
    assert _states(d)["problem_proof"] == "missing"
    proof = next(r for r in d["checklist"] if r["item"] == "problem_proof")
    assert "充值记录" in proof["how"]["zh"] and "recharge history" in proof["how"]["en"]
    assert _steps(d) == ["seller", "platform", "regulator", "consumer_association"]


def test_top_up_words_need_the_same_unit_and_fewer_units():
    """Only a smaller count of the same unit is a short top-up."""
    from server.risk import clauses

    assert clauses.top_up("原神 6480创世结晶 代充")[:2] == (6480, "创世结晶")
    assert clauses.top_up("Steam 钱包充值卡 200元")[:2] == (200, "元")
    assert clauses.top_up("腾讯视频VIP 年卡") is None
    assert clauses.arrived_units("卡里余额只有50元", "元")[0] == 50
    assert clauses.arrived_units("收到退款50元", "元") is None  # money back is no arrival
    assert clauses.arrived_units("只到账328点券", "点券")[0] == 328
    assert clauses.arrived_units("到账328钻石", "点券") is None
    assert clauses.arrived_units("only 500 gems arrived", "gems")[0] == 500
    assert clauses.service_term("腾讯视频VIP 年卡")[0] == 365
    assert clauses.service_term("王者荣耀 V8 成品号 质保30天") is None
    assert clauses.service_term("Xbox Game Pass Ultimate 3个月")[0] == 90


def test_shop_closed_on_a_platform_that_promises_to_pay_first(app):
    """Advisor: the seller's shop closed after payment on a 卡盟 whose rules say 「商家跑路的由平台
    先行赔付」: that is the platform's own promise, binding on it (消法第四十四条), backed by its deposit
    scheme (电商法第五十八条): claim it from the platform directly, without waiting on the seller;
    the WeChat Pay bill's complaint beside it; police (收款后失联); 12315."""
    capture(app, P.kameng_terms(JINYU, clauses=["平台实行商家保证金制度，商家跑路的由平台先行赔付。",
                                                "售后问题须在收货后7天内申请平台介入。"], icp=JINYU_ICP),
            "https://www.jinyu-km.com/help/rules", "2026-12-01T09:00:00.000+08:00")
    capture(app, P.kameng_order(JINYU, order_no="JY202612010930001", item="腾讯视频VIP 年卡", seller="优选会员店",
                                amount="158.00", status="已付款", created="2026-12-01 09:30:00", paid="2026-12-01 09:30:20",
                                delivered=None, payment="微信支付", codes=[], icp=JINYU_ICP, notice="该店铺已关闭"),
            "https://www.jinyu-km.com/user/order/JY202612010930001", "2026-12-02T09:00:00.000+08:00")
    d = open_dispute(app, USER, "shop_vanished", domain="jinyu-km.com", order_no="JY202612010930001",
                     occurred_at="2026-12-02T08:00:00+08:00", created_at="2026-12-02T09:10:00+08:00",
                     now="2026-12-02T09:10:00+08:00", description="付款后店铺关闭，客服不回")
    assert_invariants(app, USER, d)
    _readable(d)
    promise, = _codes(d, "platform_compensation")
    assert "先行赔付" in promise["quote"] and promise["mechanism"] == "advance_compensation"
    platform = d["letters"]["platform"]
    assert "商家跑路的由平台先行赔付" in platform["zh"] and "第四十四条" in platform["zh"] and "第五十八条" in platform["zh"]
    assert "compensate me first" in platform["en"]
    assert "证据1：平台规则页" in platform["zh"]  # the rule it claims under is cited as evidence
    assert "商家跑路的由平台先行赔付" not in d["letters"]["seller"]["zh"]  # the seller's letter does not claim it
    assert _steps(d) == ["seller", "platform", "regulator", "consumer_association", "police"]
    assert _step(d, "platform")["payment_channel"]["app"] == "wechat"


def test_paid_in_usdt_after_the_seller_moved_the_chat_to_telegram(app):
    """Advisor: on a 卡盟 the seller said "加我飞机 … USDT转账" and vanished after 300 USDT. The
    platform will most likely not pay back money that did not go through it, and the plan must say
    so, yet the buyer still reports the seller there (its shop and account, its real identity under
    消法第四十四条); no payment app's complaint exists for USDT; the police (off-platform payment, a
    fraud sign) is the step that matters. The seller is the platform's seller, not "the shop"."""
    capture(app, P.kameng_product(JINYU, title="原神 成品号 55级 多金", price="350.00", seller="老K游戏号", seller_id="88012",
                                  lines=["包售后，找回包赔"], icp=JINYU_ICP),
            "https://www.jinyu-km.com/goods/99012", "2026-12-04T09:50:00.000+08:00")
    capture(app, P.kameng_chat(JINYU, seller="老K游戏号", order_no="JY202612041000001", icp=JINYU_ICP, messages=[
        ("老K游戏号", "2026-12-04 10:00", "平台手续费太高，加我飞机 @oldk_game，USDT转账给你便宜50"),
        ("我", "2026-12-04 10:20", "已经转了 300 USDT 到你给的TRC20地址"),
        ("我", "2026-12-05 10:00", "号呢？人呢？")]),
        "https://www.jinyu-km.com/user/chat/JY202612041000001", "2026-12-05T10:05:00.000+08:00")
    d = open_dispute(app, USER, "not_delivered", domain="jinyu-km.com", order_no="JY202612041000001",
                     occurred_at="2026-12-05T10:00:00+08:00", created_at="2026-12-05T10:10:00+08:00",
                     now="2026-12-05T10:10:00+08:00", description="商家让我到平台外用USDT付款，付了300U后失联",
                     amount={"amount": "300", "currency": "USDT"})
    assert_invariants(app, USER, d)
    _readable(d)
    assert d["order"]["single_shop"] is False
    assert {f["quote"] for f in _codes(d, "off_platform_payment")} >= {"加我飞机"}
    assert _steps(d) == ["seller", "platform", "regulator", "consumer_association", "police"]
    platform = _step(d, "platform")
    assert "payment_channel" not in platform  # no payment app behind a USDT transfer
    assert "平台多半不会为这笔钱赔付" in platform["basis"]["zh"] and "will most likely not pay" in platform["basis"]["en"]
    assert "第四十四条" in d["letters"]["platform"]["zh"] and "真实名称" in d["letters"]["platform"]["zh"]
    police = _step(d, "police")
    assert "加我飞机" in police["basis"]["zh"] and "证据" in police["basis"]["zh"]
    assert "snp_" not in police["basis"]["zh"] + police["basis"]["en"]  # the page by its number, never its id
    # Addressed to the seller the chat names (not to the platform, not "Dear the seller").
    assert d["letters"]["seller"]["zh"].startswith("老K游戏号您好"), d["letters"]["seller"]["zh"][:40]
    assert d["letters"]["seller"]["en"].startswith("Dear 老K游戏号,"), d["letters"]["seller"]["en"][:40]
    # The letters report the request in the buyer's voice; the advice to the buyer stays in the finding.
    assert "I was asked to “加我飞机”" in d["letters"]["police"]["en"]
    assert "report to the police if needed" not in d["letters"]["police"]["en"]
    assert "300 USDT" in d["letters"]["police"]["zh"]
    pay = next(r for r in d["checklist"] if r["item"] == "payment_proof")
    assert pay["state"] == "missing" and "交易哈希（TxID）" in pay["how"]["zh"] and "TxID" in pay["how"]["en"]


def test_seller_asks_for_more_money_after_the_payment(app):
    """Advisor: after the buyer paid ¥180 the seller says the price went up and asks 补差价 ¥20
    before delivering. The order was made at the price paid: do not pay more (least of all outside
    the platform); ask for the delivery at that price or a full refund, and hand the chat to the
    platform. No police step: nothing on the pages is fraud yet."""
    capture(app, P.kameng_order(JINYU, order_no="JY202612031500001", item="Steam 钱包充值卡 200元", seller="蓝鲸点卡",
                                amount="180.00", status="已付款", created="2026-12-03 15:00:00", paid="2026-12-03 15:00:30",
                                delivered=None, payment="支付宝", codes=[], icp=JINYU_ICP),
            "https://www.jinyu-km.com/user/order/JY202612031500001", "2026-12-03T15:01:00.000+08:00")
    capture(app, P.kameng_chat(JINYU, seller="蓝鲸点卡", order_no="JY202612031500001", icp=JINYU_ICP, messages=[
        ("蓝鲸点卡", "2026-12-03 15:20", "亲，进货价涨了，需要补差价20元才能发货"),
        ("我", "2026-12-03 15:22", "我是按页面价格付的款，为什么要补差价？"),
        ("蓝鲸点卡", "2026-12-03 15:25", "不补差价就发不了，你可以申请退款")]),
        "https://www.jinyu-km.com/user/chat/JY202612031500001", "2026-12-03T15:30:00.000+08:00")
    d = open_dispute(app, USER, "not_delivered", domain="jinyu-km.com", order_no="JY202612031500001",
                     occurred_at="2026-12-03T15:20:00+08:00", created_at="2026-12-03T15:40:00+08:00",
                     now="2026-12-03T15:40:00+08:00", description="付款后商家说涨价了要补差价20元才发货")
    assert_invariants(app, USER, d)
    _readable(d)
    demand, = _codes(d, "surcharge_demand")
    assert demand["quote"] == "亲，进货价涨了，需要补差价20元才能发货"
    assert "请不要补差价" in demand["explanation"]["zh"] and "do not pay the difference" in demand["explanation"]["en"]
    seller = d["letters"]["seller"]
    assert "我不会补差价" in seller["zh"] and "will not pay a difference" in seller["en"]
    assert "立即发货或全额退款" in seller["zh"]
    assert _states(d)["negotiation_record"] == "present"
    assert "police" not in _steps(d)
    assert parse_iso(_step(d, "seller")["deadline"]) == parse_iso("2026-12-05T15:30:00+08:00")


def test_surcharge_words():
    from server.risk import clauses

    for line in ("亲，进货价涨了，需要补差价20元才能发货", "价格调整了，再付30元才能发货", "请补个差额15元"):
        assert clauses.surcharge(line), line
    for line in ("本店商品价格随时调整，以下单时价格为准", "差价已退回您的账户", "已发货"):
        assert clauses.surcharge(line) is None, line


def _recovery_account(app, order_no: str, line: str) -> None:
    capture(app, P.kameng_product(JINYU, title="原神 成品号 雷神满命", price="888.00", seller="老刘游戏号店",
                                  seller_id="30117", lines=[line, "自动发货"], icp=JINYU_ICP),
            f"https://www.jinyu-km.com/goods/{order_no[-5:]}", "2026-10-20T09:29:00.000+08:00")
    capture(app, P.kameng_order(JINYU, order_no=order_no, item="原神 成品号 雷神满命", seller="老刘游戏号店",
                                amount="888.00", status="已完成", created="2026-10-20 09:30:00", paid="2026-10-20 09:30:20",
                                delivered="2026-10-20 09:31:00", payment="支付宝",
                                codes=["账号：ys8823@qq.com 密码：Ys#8823x"], icp=JINYU_ICP),
            f"https://www.jinyu-km.com/user/order/{order_no}", "2026-10-20T09:32:00.000+08:00")


def test_account_recovered_on_day_40_within_a_90_day_recovery_promise(app):
    """Advisor: the page promised 「90天内找回包赔」 and the former owner took the account back on day
    41: inside the promised 90 days, so the promise is broken (消法第二十三、二十四条): restore the
    account or refund in full as promised; the letter says it was within the stated term."""
    _recovery_account(app, "JY202610200930001", "90天内找回包赔")
    d = open_dispute(app, USER, "account_recovered", domain="jinyu-km.com", order_no="JY202610200930001",
                     occurred_at="2026-11-29T20:00:00+08:00", created_at="2026-11-29T21:00:00+08:00",
                     now="2026-11-29T21:00:00+08:00", description="第40天账号被原号主找回")
    assert_invariants(app, USER, d)
    _readable(d)
    promise, = [f for f in _codes(d, "promise_broken") if f["quote"] == "找回包赔"]
    assert parse_iso(promise["warranty"]["end"]) == parse_iso("2027-01-18T09:31:00+08:00")
    assert "第41天" in promise["explanation"]["zh"] and "90天期限内" in promise["explanation"]["zh"]
    assert "恢复账号或按承诺全额退款" in d["letters"]["seller"]["zh"]
    assert _codes(d, "unused_term") == []  # an account, not a service of a period


def test_account_recovered_after_a_30_day_recovery_promise_ran_out(app):
    """Advisor: 「30天内找回包赔」 and a recovery on day 41: the seller's own promise had run out, so
    the letters do not claim it; what is left is the general duty that goods be as described (第二十
    三、二十四条), argued from the order."""
    _recovery_account(app, "JY202610200930002", "30天内找回包赔")
    d = open_dispute(app, USER, "account_recovered", domain="jinyu-km.com", order_no="JY202610200930002",
                     occurred_at="2026-11-29T20:00:00+08:00", created_at="2026-11-29T21:00:00+08:00",
                     now="2026-11-29T21:00:00+08:00", description="第40天账号被原号主找回")
    assert_invariants(app, USER, d)
    _readable(d)
    assert "找回包赔" not in {f["quote"] for f in _codes(d, "promise_broken")}
    assert "「找回包赔」" not in d["letters"]["seller"]["zh"]
    assert "原神 成品号 雷神满命" in d["letters"]["seller"]["zh"] and "第二十三条" in d["letters"]["seller"]["zh"]


def test_promise_term_words():
    from server.risk import clauses

    assert clauses.promise_term_hours("90天内找回包赔", "找回包赔") == 90 * 24
    assert clauses.promise_term_hours("找回包赔90天", "找回包赔") == 90 * 24
    assert clauses.promise_term_hours("质保30天，找回包赔", "找回包赔") is None  # another promise's period
    assert clauses.promise_term_hours("永久使用，找回包赔", "找回包赔") is None


def test_order_page_saved_but_never_the_product_page(app):
    """Advisor: only the order page was saved, after the problem: its own item name (「网易云音乐黑胶
    VIP 年卡」) already proves what was bought, and a one-month membership is not that (第二十三、二十
    四条); the product page's promises are still missing: open it from the order or share its link
    to KaDun's phone page (the server fetches it), knowing that today's page may have been changed."""
    capture(app, P.kameng_order(JINYU, order_no="JY202612021100001", item="网易云音乐黑胶VIP 年卡 直充", seller="乐听会员",
                                amount="128.00", status="已完成", created="2026-12-02 11:00:00", paid="2026-12-02 11:00:20",
                                delivered="2026-12-02 11:01:00", payment="支付宝", codes=["充值成功 手机号 139****8821"],
                                icp=JINYU_ICP),
            "https://www.jinyu-km.com/user/order/JY202612021100001", "2026-12-04T20:00:00.000+08:00")
    d = open_dispute(app, USER, "not_as_described", domain="jinyu-km.com", order_no="JY202612021100001",
                     occurred_at="2026-12-04T19:00:00+08:00", created_at="2026-12-04T20:10:00+08:00",
                     now="2026-12-04T20:10:00+08:00", description="说是年卡，实际只有一个月")
    assert_invariants(app, USER, d)
    _readable(d)
    row = next(r for r in d["checklist"] if r["item"] == "description")
    assert row["state"] == "partial"
    assert "分享链接存证" in row["complete"]["zh"] and "share the product link" in row["complete"]["en"]
    assert "本身就是所购商品的凭证" in row["complete"]["zh"]
    assert "「网易云音乐黑胶VIP 年卡 直充」" in d["letters"]["seller"]["zh"] and "第二十四条" in d["letters"]["seller"]["zh"]
    # The order page, saved after the problem, still documents the delivery, not the problem.
    assert "problem" not in {e["phase"] for e in d["timeline"]} and "delivery" in {e["phase"] for e in d["timeline"]}


def _boosting(app, order_at: str = "2026-11-25T18:06:00.000+08:00", status: str = "进行中") -> None:
    capture(app, P.kameng_terms(JINYU, clauses=["售后问题须在收货后7天内申请平台介入。", "本平台最终解释权归锦鱼卡盟所有。"],
                                icp=JINYU_ICP), "https://www.jinyu-km.com/help/rules", "2026-11-25T17:50:00.000+08:00")
    capture(app, P.kameng_product(JINYU, title="王者荣耀 代练 钻石1→星耀1 包上分", price="150.00", seller="峡谷代练工作室",
                                  seller_id="71002", lines=["3天内完成，超时全额退款", "纯手工代练，不开挂"], icp=JINYU_ICP),
            "https://www.jinyu-km.com/goods/81002", "2026-11-25T18:00:00.000+08:00")
    capture(app, P.kameng_order(JINYU, order_no="JY202611251805001", item="王者荣耀 代练 钻石1→星耀1 包上分",
                                seller="峡谷代练工作室", amount="150.00", status=status, created="2026-11-25 18:05:00",
                                paid="2026-11-25 18:05:20", delivered=None, payment="支付宝", codes=[], icp=JINYU_ICP),
            "https://www.jinyu-km.com/user/order/JY202611251805001", order_at)


def test_boosting_service_paid_and_not_finished_in_the_promised_three_days(app):
    """Advisor: a 代练 (boosting) order promised 「3天内完成，超时全额退款」; a week on it is not done.
    The seller's own words give the remedy: a full refund as promised (or, if the buyer still wants
    it, completion now) (消法第二十三、二十四条); due 28 November 18:05:20, three days after the
    payment; then the platform, the Alipay bill's complaint beside it, 12315. No account-check advice
    (the account is the buyer's own)."""
    _boosting(app, order_at="2026-12-02T18:00:00.000+08:00")
    d = open_dispute(app, USER, "delivery_late", domain="jinyu-km.com", order_no="JY202611251805001",
                     occurred_at="2026-11-28T18:05:00+08:00", created_at="2026-12-02T18:10:00+08:00",
                     now="2026-12-02T18:10:00+08:00", description="代练一周了才打了两颗星，说好3天完成")
    assert_invariants(app, USER, d)
    _readable(d)
    broken = {f["quote"]: f for f in _codes(d, "promise_broken")}
    assert parse_iso(broken["3天内完成"]["due"]) == parse_iso("2026-11-28T18:05:20+08:00")
    assert broken["全额退款"]["promise_kind"] == "refund"
    assert "按承诺全额退款" in d["letters"]["seller"]["zh"] and "refund in full as promised" in d["letters"]["seller"]["en"]
    assert "立即发货或全额退款" not in d["letters"]["seller"]["zh"]
    assert all(w["kind"] != "account_check" for w in d["windows"])
    assert _steps(d) == ["seller", "platform", "regulator", "consumer_association"]
    assert _step(d, "platform")["payment_channel"]["app"] == "alipay"


def test_a_refund_promise_without_a_late_condition_is_not_broken_by_lateness(app):
    """「7天无理由全额退款」-like refund words that say nothing of lateness are no late-delivery promise."""
    from server.risk import clauses

    assert clauses.refund_if_late("3天内完成，超时全额退款") and clauses.refund_if_late("不发货包退")
    assert not clauses.refund_if_late("不满意全额退款")


def test_reminders_fire_before_each_window_of_a_new_order_closes(app):
    """Advisor (issue 18): right after paying, the buyer should be reminded before the promised
    completion (3 days after the payment) and before the platform's 7-day rule would close; each
    reminder comes after now and before its own deadline, soonest window first."""
    from server.reminders.service import open_windows

    _boosting(app)
    now = parse_iso("2026-11-25T18:10:00+08:00")
    windows = open_windows(app.extensions["kadun"].redis, USER, now)
    mine = [w for w in windows if w.order_no == "JY202611251805001"]
    kinds = [w.window["kind"] for w in mine]
    assert "promised_delivery" in kinds
    promised = next(w for w in mine if w.window["kind"] == "promised_delivery")
    assert parse_iso(promised.window["deadline"]) == parse_iso("2026-11-28T18:05:20+08:00")
    for window in mine:
        if window.window["deadline"] is None:
            continue
        assert window.reminders, window.window["id"]
        assert all(now < r.at < parse_iso(window.window["deadline"]) for r in window.reminders)
    deadlines = [parse_iso(w.window["deadline"]) for w in mine if w.window["deadline"]]
    assert deadlines == sorted(deadlines)
    texts = [t for w in mine for r in w.as_dict()["reminders"] for t in (r.get("title") or {}).values()]
    assert all(not RAW3.search(t) and "promised_delivery" not in t for t in texts)
    # The dispute opened later counts the same instant for the product page's promise.
    d = open_dispute(app, USER, "delivery_late", domain="jinyu-km.com", order_no="JY202611251805001",
                     occurred_at="2026-11-28T18:06:00+08:00", created_at="2026-11-28T19:00:00+08:00",
                     now="2026-11-28T19:00:00+08:00", description="说好3天完成，还没打完")
    window = next(w for w in d["windows"] if w["kind"] == "promised_delivery")
    assert window["deadline"] == promised.window["deadline"]


def test_late_code_then_delivered_and_no_longer_wanted(app):
    """Advisor: the code promised 「10分钟内自动发货」 came three hours late; the buyer, who needed it
    that evening, no longer wants it. The late delivery is a fact the letter may state, but it
    arrived: wanting the money back now is a return without a reason (消法第二十五条 lets the shop
    refuse it for a delivered code). KaDun asks the shop, it does not demand "deliver now or refund
    in full" of goods that were delivered, and sends the buyer nowhere further."""
    capture(app, P.shop_product("星河发卡", title="Steam 充值卡 100元", price="96.00",
                                lines=["10分钟内自动发货", "官方正版卡密"]), "https://xinghe-fk.com/buy/12",
            "2026-12-05T18:00:00.000+08:00")
    capture(app, P.shop_order("星河发卡", order_no="2612051801224455", item="Steam 充值卡 100元", quantity=1,
                              created="2026-12-05 18:01:22", amount="96.00", status="已发货", payment="支付宝",
                              codes=["STM-9K2M-77QX-1024"], extra_rows=[("发货时间", "2026-12-05 21:05:40")]),
            "https://xinghe-fk.com/detail-order-sn/2612051801224455", "2026-12-05T21:10:00.000+08:00")
    d = open_dispute(app, USER, "delivery_late", domain="xinghe-fk.com", order_no="2612051801224455",
                     occurred_at="2026-12-05T18:11:22+08:00", created_at="2026-12-05T21:20:00+08:00",
                     now="2026-12-05T21:20:00+08:00", description="晚了三个小时才发货，已经用不上了，不想要了，想退款")
    assert_invariants(app, USER, d)
    _readable(d)
    assert _codes(d, "no_reason_return")
    assert _steps(d) == ["seller", "platform"]
    seller = d["letters"]["seller"]["zh"]
    assert "立即发货或全额退款" not in seller and "考虑协商退款" in seller


def _two_orders_of_one_seller(app) -> tuple[dict, dict]:
    capture(app, P.kameng_terms(JINYU, clauses=["账号类商品请在收货后24小时内验号，逾期视为确认收货。",
                                                "售后问题须在收货后7天内申请平台介入。"], icp=JINYU_ICP),
            "https://www.jinyu-km.com/help/rules", "2026-11-01T19:50:00.000+08:00")
    capture(app, P.kameng_product(JINYU, title="爱奇艺黄金会员 月卡 30天 独享账号", price="15.00", seller="影视会员铺",
                                  seller_id="60021", lines=["稳定不掉线"], icp=JINYU_ICP),
            "https://www.jinyu-km.com/goods/77001", "2026-11-01T19:58:00.000+08:00")
    capture(app, P.kameng_order(JINYU, order_no="JY202611012000310", item="爱奇艺黄金会员 月卡 30天 独享账号", seller="影视会员铺",
                                amount="15.00", status="已完成", created="2026-11-01 20:00:31", paid="2026-11-01 20:00:52",
                                delivered="2026-11-01 20:01:10", payment="支付宝", codes=["账号：1390000xxxx 密码：iq8823"],
                                icp=JINYU_ICP),
            "https://www.jinyu-km.com/user/order/JY202611012000310", "2026-11-01T20:02:00.000+08:00")
    capture(app, P.kameng_order(JINYU, order_no="JY202611152100442", item="腾讯视频VIP 季卡 直充", seller="影视会员铺",
                                amount="68.00", status="已付款", created="2026-11-15 21:00:42", paid="2026-11-15 21:01:00",
                                delivered=None, payment="支付宝", codes=[], icp=JINYU_ICP),
            "https://www.jinyu-km.com/user/order/JY202611152100442", "2026-11-16T09:00:00.000+08:00")
    first = open_dispute(app, USER, "account_banned", domain="jinyu-km.com", order_no="JY202611012000310",
                         occurred_at="2026-11-10T21:00:00+08:00", created_at="2026-11-10T22:00:00+08:00",
                         now="2026-11-10T22:00:00+08:00", description="会员第10天被封")
    second = open_dispute(app, USER, "not_delivered", domain="jinyu-km.com", order_no="JY202611152100442",
                          occurred_at="2026-11-16T08:00:00+08:00", created_at="2026-11-16T09:10:00+08:00",
                          now="2026-11-16T09:10:00+08:00", description="付款后一直未到账")
    return first, second


def test_two_disputes_by_one_buyer_against_one_seller(app):
    """Advisor: two separate orders from the same seller went wrong (a month card banned on day 10,
    a season card never delivered): two claims, each on its own order, amount and remedy (the unused
    20 days, ¥10.00; delivery or a full refund of ¥68.00); the platform's rules page is evidence for
    both; neither order's page or amount leaks into the other's letters; the buyer's own two
    disputes do not count as "other users' disputes" about the seller or the platform."""
    from server.storage import profiles as profile_store

    first, second = _two_orders_of_one_seller(app)
    for d in (first, second):
        assert_invariants(app, USER, d)
        _readable(d)
    assert first["order"]["order_no"] == "JY202611012000310" and second["order"]["order_no"] == "JY202611152100442"
    urls = [{e.get("url") for e in d["evidence"]} for d in (first, second)]
    assert "https://www.jinyu-km.com/user/order/JY202611152100442" not in urls[0]
    assert "https://www.jinyu-km.com/user/order/JY202611012000310" not in urls[1]
    assert "https://www.jinyu-km.com/help/rules" in urls[0] & urls[1]
    assert "¥10.00" in first["letters"]["seller"]["zh"] and "¥68.00" not in first["letters"]["seller"]["zh"]
    assert "立即发货或全额退款" in second["letters"]["seller"]["zh"] and "¥15.00" not in second["letters"]["seller"]["zh"]
    assert _codes(second, "unused_term") == []  # nothing was delivered: no days were had
    assert parse_iso(_step(first, "platform")["deadline"]) == parse_iso("2026-11-08T20:01:10+08:00")
    counts = profile_store.disputes(app.extensions["kadun"].redis, "jinyu-km.com", USER, "60021")
    assert set(counts.values()) == {0}


def test_english_letters_for_a_buyer_on_a_chinese_shop(app):
    """Advisor: a buyer who reads English bought on a Chinese 卡盟: the English letters carry the
    same claim (Chinese law named in English, the amount in its currency, the evidence by item
    number), the page's own words quoted as they stand (a Chinese reader checks them against the
    page), and no Chinese boilerplate of the zh letter (证据, 此致, 《…》) left in them."""
    first, _ = _two_orders_of_one_seller(app)
    for step, letter in first["letters"].items():
        en = letter["en"]
        assert "证据" not in en and "此致" not in en and "《" not in en and "（" not in en, (step, en)
        assert "JY202611012000310" in en and "15.00 CNY" in en
    seller = first["letters"]["seller"]["en"]
    assert "Articles 23 and 24 of the Consumer Rights Protection Law" in seller
    assert "“稳定不掉线” (item 2)" in seller and "10.00 CNY (20/30 days)" in seller
    assert "Article 60 of the E-Commerce Law" in first["letters"]["regulator"]["en"]


def test_changed_mind_on_a_foreign_key_site_is_no_chargeback(app):
    """Advisor: a Steam key bought by Visa on a foreign marketplace arrived and works; the buyer
    changed their mind. No card dispute reason covers a change of mind (LEGAL.md: not received / not
    as described), Chinese law does not reach the merchant: ask the merchant and the marketplace
    under their own refund policy, nothing more."""
    capture(app, P.market_order("Keyvault", order_no="KV-90001234", item="Hades II Steam Key GLOBAL", seller="GameDealz",
                                amount="24.99", currency="EUR", paid="Dec 5, 2026, 14:05 CET",
                                delivered="Dec 5, 2026, 14:06 CET", payment="Visa •••• 4417", key="9XK2Q-7PLMN-44RTB"),
            "https://www.keyvault.gg/account/orders/KV-90001234", "2026-12-05T21:07:00.000+08:00")
    d = open_dispute(app, USER, "other", domain="keyvault.gg", order_no="KV-90001234",
                     occurred_at="2026-12-05T22:00:00+08:00", created_at="2026-12-05T22:10:00+08:00",
                     now="2026-12-05T22:10:00+08:00", description="I changed my mind and no longer want this game")
    assert_invariants(app, USER, d)
    _readable(d)
    assert d["order"]["cross_border"] is True
    reason, = _codes(d, "no_reason_return")
    assert "no card dispute reason" in reason["explanation"]["en"]
    assert _steps(d) == ["seller", "platform"]
    assert all(w["kind"] != "chargeback" for w in d["windows"])
    assert "no longer want this game." in d["letters"]["seller"]["en"] and "game。" not in d["letters"]["seller"]["en"]
    for text in _all_texts(d):
        assert "消费者权益保护法" not in text and "Consumer Rights Protection Law" not in text
        assert "13.3" not in text and "chargeback" not in text.lower().replace("no card dispute", "")


def test_the_pack_of_a_shared_seat_case_names_the_new_findings_in_words(app, tmp_path):
    """The evidence pack of a round-3 case verifies, and its report names the new findings in words
    (服务中途停止, 平台承诺先行赔付 …), never by their codes."""
    import zipfile

    from server.disputes.export import export_pack
    from server.evidence.verify import verify_pack

    capture(app, P.kameng_terms(JINYU, clauses=["平台实行商家保证金制度，商家跑路的由平台先行赔付。"], icp=JINYU_ICP),
            "https://www.jinyu-km.com/help/rules", "2026-11-20T09:00:00.000+08:00")
    test_shared_membership_seat_kicked_on_day_10_of_30(app)
    d = open_dispute(app, USER, "account_banned", domain="jinyu-km.com", order_no="JY202611201001001",
                     occurred_at="2026-11-30T10:00:00+08:00", created_at="2026-11-30T11:00:00+08:00",
                     now="2026-11-30T11:00:00+08:00", description="合租第10天车位被踢")
    assert {"unused_term", "platform_compensation"} <= {f["code"] for f in d["findings"]}
    path = tmp_path / "pack.zip"
    with open(path, "wb") as handle:
        export_pack(app.extensions["kadun"].redis, USER, d["id"], app.extensions["kadun"].signer, handle)
    assert verify_pack(path).ok
    with zipfile.ZipFile(path) as pack:
        report = pack.read("report.html").decode("utf-8")
    assert "服务中途停止 Service stopped part-way" in report and "平台承诺先行赔付" in report
    codes = re.compile(r"\b(?:no_reason_return|unused_term|short_top_up|surcharge_demand|platform_compensation)\b")
    assert not codes.search(re.sub(r"<[^>]+>", " ", report).replace("dispute.json", ""))  # ids may show: they are checked


def test_asking_five_hours_into_a_24_hour_delivery_promise(app):
    """Advisor: the shop promised 「24小时内发货」 and the buyer asks after five hours. Nothing is
    broken yet: the promise runs until 10:01:22 the next day; ask the shop now and, if nothing has
    come by then, claim delivery or a full refund. KaDun must not tell the shop its promise was
    broken nor demand delivery "now"; the window is counted and reminded."""
    capture(app, P.shop_product("星河发卡", title="ChatGPT Plus 代充 月卡", price="158.00",
                                lines=["24小时内发货", "官方代充"]), "https://xinghe-fk.com/buy/31",
            "2026-12-05T10:00:00.000+08:00")
    capture(app, P.shop_order("星河发卡", order_no="2612051001224466", item="ChatGPT Plus 代充 月卡", quantity=1,
                              created="2026-12-05 10:01:22", amount="158.00", status="已付款", payment="支付宝", codes=[]),
            "https://xinghe-fk.com/detail-order-sn/2612051001224466", "2026-12-05T10:02:00.000+08:00")
    d = open_dispute(app, USER, "not_delivered", domain="xinghe-fk.com", order_no="2612051001224466",
                     occurred_at="2026-12-05T15:00:00+08:00", created_at="2026-12-05T15:10:00+08:00",
                     now="2026-12-05T15:10:00+08:00", description="付款5小时了还没发货")
    assert_invariants(app, USER, d)
    _readable(d)
    assert _codes(d, "promise_broken") == []
    early, = _codes(d, "delivery_not_due")
    assert parse_iso(early["due"]) == parse_iso("2026-12-06T10:01:22+08:00")
    assert "还没有到期" in early["explanation"]["zh"] and "not broken yet" in early["explanation"]["en"]
    seller = d["letters"]["seller"]
    assert "立即发货" not in seller["zh"] and "而实际情况是" not in seller["zh"]
    assert "按承诺在 2026-12-06 10:01:22 (UTC+08:00) 前交付" in seller["zh"] and "by 2026-12-06 10:01:22" in seller["en"]
    window = next(w for w in d["windows"] if w["kind"] == "promised_delivery")
    assert parse_iso(window["deadline"]) == parse_iso("2026-12-06T10:01:22+08:00")


def test_the_same_promise_is_broken_once_its_time_has_passed(app):
    """The same order saved again the next afternoon, still showing no delivery: now it is late."""
    test_asking_five_hours_into_a_24_hour_delivery_promise(app)
    capture(app, P.shop_order("星河发卡", order_no="2612051001224466", item="ChatGPT Plus 代充 月卡", quantity=1,
                              created="2026-12-05 10:01:22", amount="158.00", status="已付款", payment="支付宝", codes=[],
                              notice="订单处理中"),
            "https://xinghe-fk.com/detail-order-sn/2612051001224466", "2026-12-06T15:00:00.000+08:00")
    d = open_dispute(app, "u_buyers", "not_delivered", domain="xinghe-fk.com", order_no="2612051001224466",
                     occurred_at="2026-12-06T10:01:30+08:00", created_at="2026-12-06T15:10:00+08:00",
                     now="2026-12-06T15:10:00+08:00", description="超过24小时仍未发货")
    assert_invariants(app, USER, d)
    assert [f["quote"] for f in _codes(d, "promise_broken")] == ["24小时内发货"]
    assert _codes(d, "delivery_not_due") == []
    assert "立即发货或全额退款" in d["letters"]["seller"]["zh"]


def test_reminders_for_a_bought_account_come_before_the_check_and_the_platform_windows(app):
    """Advisor (issue 18): an account bought at 20:01 on a 卡盟 whose rules say 「收货后24小时内验号」
    and 「收货后7天内申请平台介入」: the buyer must be reminded to check the account before the next
    evening and to ask the platform before the seventh day; every reminder falls between now and
    its window's end, and the windows are the ones the dispute would count."""
    from server.reminders.service import open_windows

    from .test_buyer_scenarios import JINYU_RULES

    capture(app, P.kameng_terms(JINYU, clauses=JINYU_RULES, icp=JINYU_ICP), "https://www.jinyu-km.com/help/rules",
            "2026-11-01T19:50:00.000+08:00")
    capture(app, P.kameng_order(JINYU, order_no="JY202611012000399", item="王者荣耀 成品号 V6 全英雄", seller="老刘游戏号店",
                                amount="260.00", status="已完成", created="2026-11-01 20:00:31", paid="2026-11-01 20:00:52",
                                delivered="2026-11-01 20:01:10", payment="支付宝", codes=["账号：wz1188@qq.com 密码：Lp#1188"],
                                icp=JINYU_ICP),
            "https://www.jinyu-km.com/user/order/JY202611012000399", "2026-11-01T20:02:00.000+08:00")
    now = parse_iso("2026-11-01T20:05:00+08:00")
    mine = [w for w in open_windows(app.extensions["kadun"].redis, USER, now) if w.order_no == "JY202611012000399"]
    deadlines = {w.window["kind"]: parse_iso(w.window["deadline"]) for w in mine if w.window["deadline"]}
    assert deadlines["verify_now"] == parse_iso("2026-11-02T20:01:10+08:00")
    assert deadlines["platform_apply"] == parse_iso("2026-11-08T20:01:10+08:00")
    for window in mine:
        if window.window["deadline"]:
            assert window.reminders and all(now < r.at < parse_iso(window.window["deadline"]) for r in window.reminders)
    d = open_dispute(app, USER, "account_recovered", domain="jinyu-km.com", order_no="JY202611012000399",
                     occurred_at="2026-11-03T10:00:00+08:00", created_at="2026-11-03T11:00:00+08:00",
                     now="2026-11-03T11:00:00+08:00", description="账号被原号主找回")
    assert parse_iso(_step(d, "platform")["deadline"]) == deadlines["platform_apply"]


def test_paid_by_bank_transfer_to_a_seller_outside_the_platform(app):
    """Advisor: the seller asked for 「转账到我的个人银行卡」 and vanished: the platform's guarantee
    does not cover money paid outside it (the plan says so) but the buyer still reports the seller
    there; no payment-app complaint exists for a bank transfer; the police (off-platform payment)."""
    capture(app, P.kameng_product(JINYU, title="和平精英 成品号 M416满级", price="420.00", seller="吃鸡号行", seller_id="90321",
                                  lines=["自动发货"], icp=JINYU_ICP), "https://www.jinyu-km.com/goods/90321",
            "2026-12-06T09:00:00.000+08:00")
    capture(app, P.kameng_chat(JINYU, seller="吃鸡号行", order_no="JY202612060905001", icp=JINYU_ICP, messages=[
        ("吃鸡号行", "2026-12-06 09:06", "平台付款要等审核，你直接转账到我的个人银行卡，我马上发号"),
        ("我", "2026-12-06 09:20", "已经银行转账420元"), ("我", "2026-12-06 20:00", "怎么还不发号？")]),
        "https://www.jinyu-km.com/user/chat/JY202612060905001", "2026-12-06T20:05:00.000+08:00")
    d = open_dispute(app, USER, "not_delivered", domain="jinyu-km.com", order_no="JY202612060905001",
                     occurred_at="2026-12-06T20:00:00+08:00", created_at="2026-12-06T20:10:00+08:00",
                     now="2026-12-06T20:10:00+08:00", description="按商家要求银行转账420元后不发货",
                     amount={"amount": "420.00", "currency": "CNY"})
    assert_invariants(app, USER, d)
    _readable(d)
    assert d["order"]["single_shop"] is False
    assert _codes(d, "off_platform_payment")
    platform = _step(d, "platform")
    assert "payment_channel" not in platform and "平台多半不会为这笔钱赔付" in platform["basis"]["zh"]
    assert _steps(d) == ["seller", "platform", "regulator", "consumer_association", "police"]
    assert "¥420.00" in d["letters"]["police"]["zh"]


def test_says_not_delivered_but_the_saved_order_page_shows_the_code(app):
    """Advisor: the buyer never got the e-mail and says "not delivered", yet the order page they
    saved shows the code (and 「自动发货」 was kept). Look on the order page first; a code that does
    not work is another problem. A letter claiming nothing was delivered would be refuted by the
    buyer's own evidence: ask the shop to check and resend, or refund."""
    capture(app, P.shop_product("速通卡铺", title="腾讯视频VIP 月卡", price="25.00", lines=["自动发货，秒到"]),
            "https://sutong-ka.shop/buy/44", "2026-12-07T09:59:00.000+08:00")
    capture(app, P.shop_order("速通卡铺", order_no="2612071000114455", item="腾讯视频VIP 月卡", quantity=1,
                              created="2026-12-07 10:00:11", amount="25.00", status="已发货", payment="微信支付",
                              codes=["TXSP-8812-3391-0021"]),
            "https://sutong-ka.shop/detail-order-sn/2612071000114455", "2026-12-07T12:00:00.000+08:00")
    d = open_dispute(app, USER, "not_delivered", domain="sutong-ka.shop", order_no="2612071000114455",
                     occurred_at="2026-12-07T11:00:00+08:00", created_at="2026-12-07T12:10:00+08:00",
                     now="2026-12-07T12:10:00+08:00", description="付款后邮箱一直没收到卡密")
    assert_invariants(app, USER, d)
    _readable(d)
    shown, = _codes(d, "shown_delivered")
    assert "显示已交付 1 条" in shown["explanation"]["zh"] and "卡密无效" in shown["explanation"]["zh"]
    assert _codes(d, "promise_broken") == []  # 「自动发货」 is not shown broken by the pages
    seller = d["letters"]["seller"]
    assert "立即发货或全额退款" not in seller["zh"] and "重新发送" in seller["zh"] and "resend" in seller["en"]
    assert "而实际情况是未发货" not in seller["zh"]


def test_gift_card_whose_balance_is_half_its_face_value(app):
    """Advisor: a 京东E卡 of 100元 face value bought for ¥98.50 redeemed with a 50元 balance: half
    of what was sold (消法第二十三、二十四条): the other 50元 of value or ¥49.25 back."""
    capture(app, P.shop_order("速通卡铺", order_no="2612061830117788", item="京东E卡 100元 电子卡", quantity=1,
                              created="2026-12-06 18:30:11", amount="98.50", status="已发货", payment="支付宝",
                              codes=["JDE-5K2M-8QXP-11RT"]),
            "https://sutong-ka.shop/detail-order-sn/2612061830117788", "2026-12-06T18:31:00.000+08:00")
    d = open_dispute(app, USER, "not_as_described", domain="sutong-ka.shop", order_no="2612061830117788",
                     occurred_at="2026-12-06T18:40:00+08:00", created_at="2026-12-06T19:00:00+08:00",
                     now="2026-12-06T19:00:00+08:00", description="绑定后卡里余额只有50元，不是100元")
    assert_invariants(app, USER, d)
    _readable(d)
    short, = _codes(d, "short_top_up")
    assert short["top_up"] == {"ordered": 100, "arrived": 50, "missing": 50, "unit": "元"}
    assert "¥49.25" in d["letters"]["seller"]["zh"] and "49.25 CNY" in d["letters"]["seller"]["en"]
    assert "other 50 yuan" in d["letters"]["seller"]["en"]


def test_change_of_mind_words_are_not_a_no_reason_return_for_a_defect_or_a_minor():
    from server.risk.remedies import wants_no_reason_return

    assert wants_no_reason_return("other", "买错了，不想要了", delivered=True)
    assert wants_no_reason_return("delivery_late", "晚了三小时才到，不想要了", delivered=True)
    assert not wants_no_reason_return("delivery_late", "一直没到，不想要了", delivered=False)
    assert not wants_no_reason_return("not_delivered", "不想要了，退款", delivered=False)
    assert not wants_no_reason_return("account_banned", "号被封了，不想要了", delivered=True)
    assert not wants_no_reason_return("minor_purchase", "孩子偷偷买的，我们不想要", delivered=True)
    assert not wants_no_reason_return("other", "商家客服态度差", delivered=True)


def test_a_code_that_came_three_hours_late_and_works(app):
    """Advisor: 「付款后10分钟内发货」 and the code came three hours later; it works. The promise was
    broken (the order page's own times show it: 消法第二十三条), but the goods came: ask for an
    explanation and compensation by agreement, not "deliver now or refund in full"."""
    capture(app, P.shop_product("星河发卡", title="Steam 充值卡 100元", price="96.00",
                                lines=["付款后10分钟内发货", "官方正版卡密"]), "https://xinghe-fk.com/buy/13",
            "2026-12-05T18:00:00.000+08:00")
    capture(app, P.shop_order("星河发卡", order_no="2612051801224456", item="Steam 充值卡 100元", quantity=1,
                              created="2026-12-05 18:01:22", amount="96.00", status="已发货", payment="支付宝",
                              codes=["STM-9K2M-77QX-1025"], extra_rows=[("发货时间", "2026-12-05 21:05:40")]),
            "https://xinghe-fk.com/detail-order-sn/2612051801224456", "2026-12-05T21:10:00.000+08:00")
    d = open_dispute(app, USER, "delivery_late", domain="xinghe-fk.com", order_no="2612051801224456",
                     occurred_at="2026-12-05T18:11:22+08:00", created_at="2026-12-05T21:20:00+08:00",
                     now="2026-12-05T21:20:00+08:00", description="说好10分钟发货，三个小时后才到")
    assert_invariants(app, USER, d)
    _readable(d)
    late, = [f for f in _codes(d, "promise_broken") if f["quote"] == "10分钟内发货"]
    assert "已超时" in late["explanation"]["zh"]
    seller = d["letters"]["seller"]
    assert "立即发货或全额退款" not in seller["zh"] and "协商补偿" in seller["zh"] and "compensation" in seller["en"]
    assert _codes(d, "shown_delivered") == [] and _codes(d, "no_reason_return") == []
