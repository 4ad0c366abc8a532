"""Buyers' real situations, round 2: situations the first round (test_buyer_scenarios.py) did not
cover, built the same way (pages a buyer saw, read by the scrapers as POST /v1/snapshots reads
them, stored at the moments the buyer saved them). Each docstring says what a consumer-rights
advisor would tell this buyer, as far as docs/LEGAL.md supports it; where LEGAL.md is silent
(limitation periods, the law of Taiwan or Hong Kong) KaDun must not invent law."""
from __future__ import annotations

from server.clock import parse_iso

from . import buyer_pages as P
from .complaint_checks import payment_complaint
from .scenario import PNG_1PX, assert_invariants, attach, open_dispute, rebuild
from .test_buyer_scenarios import (
    JINYU,
    JINYU_ICP,
    JINYU_RULES,
    _codes,
    _states,
    _step,
    _steps,
    assert_readable,
    capture,
)

USER = "u_buyers"


def _all_texts(d: dict) -> list[str]:
    texts = [v for letter in d["letters"].values() for v in letter.values()]
    for step in d["escalation"]:
        texts += [step["channel"], step["channel_en"], *step["basis"].values(), *(step.get("advice") or {}).values()]
    texts += [v for f in d["findings"] for v in f["explanation"].values()]
    return texts


def _no_mainland_channel(d: dict) -> None:
    """Nothing sends the buyer to 12315 or cites mainland consumer law (a plan may still say why
    12315 does not help)."""
    for text in _all_texts(d):
        assert "消费者权益保护法" not in text and "电子商务法" not in text, text
    for step in d["escalation"]:
        assert "12315" not in step["channel"] + step["channel_en"] + step["name"]["zh"] + step["name"]["en"]
    for letter in d["letters"].values():
        assert "12315" not in letter["zh"] + letter["en"]
    assert all(c["form"] != "regulator" for c in d["complaints"])


def test_two_orders_from_one_shop_one_delivered_one_not(app):
    """Advisor: the buyer ordered twice from the same single shop; the first order arrived, the
    second (¥60) did not. The dispute is about the second order: its amount, its order number; the
    delivered first order must not be presented as this order's delivery."""
    capture(app, P.shop_order("速通卡铺", order_no="2612031000112201", item="爱奇艺黄金会员 月卡", quantity=1,
                              created="2026-12-03 10:00:11", amount="19.80", status="已发货", payment="微信支付",
                              codes=["IQY-7788-2201"]),
            "https://sutong-ka.shop/detail-order-sn/2612031000112201", "2026-12-03T10:01:00.000+08:00")
    second = capture(app, P.shop_order("速通卡铺", order_no="2612031005332202", item="腾讯视频VIP 季卡", quantity=1,
                                       created="2026-12-03 10:05:33", amount="60.00", status="已付款", payment="微信支付",
                                       codes=[]),
                     "https://sutong-ka.shop/detail-order-sn/2612031005332202", "2026-12-03T14:00:00.000+08:00")
    d = open_dispute(app, USER, "not_delivered", domain="sutong-ka.shop", order_no="2612031005332202",
                     occurred_at="2026-12-03T11:00:00+08:00", created_at="2026-12-03T14:05:00+08:00",
                     now="2026-12-03T14:05:00+08:00", description="同一家店买了两单，第二单一直没发货")
    assert_invariants(app, USER, d)
    assert_readable(d)
    assert d["order"]["order_no"] == "2612031005332202"
    assert d["order"]["amount"] == {"amount": "60.00", "currency": "CNY"}
    assert d["order"]["item"] == "腾讯视频VIP 季卡"
    sources = {e["source"].get("snapshot_id") for e in d["timeline"]}
    assert sources == {second.id}
    assert "¥19.80" not in d["letters"]["seller"]["zh"] and "IQY-7788-2201" not in d["letters"]["seller"]["zh"]


def test_top_up_on_the_buyers_own_account_reversed_ten_days_later(app):
    """Advisor: a 代充 put 6480 crystals on the buyer's own game account through 「官方渠道」; ten
    days later the game clawed them back (the seller's payment was reversed). The top-up is not as
    described (消法第二十三、二十四条): refund or a lasting top-up. The account is the buyer's own:
    no 'bought account' advice (验号, former owner) belongs in the plan."""
    capture(app, P.kameng_product(JINYU, title="原神 6480创世结晶 代充 (UID直充)", price="560.00", seller="小鱼代充",
                                  seller_id="51220", lines=["官方渠道充值 安全稳定", "提供UID即可，无需账号密码"],
                                  icp=JINYU_ICP), "https://www.jinyu-km.com/goods/91010", "2026-11-25T19:00:00.000+08:00")
    capture(app, P.kameng_order(JINYU, order_no="JY202611251901441", item="原神 6480创世结晶 代充 (UID直充)",
                                seller="小鱼代充", amount="560.00", status="已完成", created="2026-11-25 19:01:44",
                                paid="2026-11-25 19:02:00", delivered="2026-11-25 19:30:10", payment="支付宝",
                                codes=["充值成功 UID 101883472"], icp=JINYU_ICP),
            "https://www.jinyu-km.com/user/order/JY202611251901441", "2026-11-25T19:31:00.000+08:00")
    d = open_dispute(app, USER, "not_as_described", domain="jinyu-km.com", order_no="JY202611251901441",
                     occurred_at="2026-12-05T12:00:00+08:00", created_at="2026-12-05T13:00:00+08:00",
                     now="2026-12-05T13:00:00+08:00", description="充值的6480结晶被游戏官方扣回，邮件说充值异常")
    assert_invariants(app, USER, d)
    assert_readable(d)
    assert "官方渠道" in {f["quote"] for f in _codes(d, "promise_broken")} or any(
        "官方渠道" in f["quote"] for f in _codes(d, "promise_broken"))
    assert all(w["kind"] != "account_check" for w in d["windows"])
    assert "原号主" not in " ".join(_all_texts(d))
    assert _steps(d) == ["seller", "platform", "regulator", "consumer_association"]


def test_english_buyer_paid_with_paypal_balance_on_a_key_site(app):
    """Advisor: a key bought on a foreign site with PayPal (balance): PayPal's own buyer protection
    (Item Not Received), within 180 days of the payment; no card chargeback, no Chinese consumer law,
    no 12315; econsumer.gov last."""
    capture(app, P.market_order("Keyvault", order_no="KV-91220001", item="Baldur's Gate 3 Steam Key GLOBAL",
                                seller="KeyKing", amount="41.50", currency="USD", paid="Nov 20, 2026, 09:10 EST",
                                delivered=None, payment="PayPal", key=None),
            "https://www.keyvault.gg/account/orders/KV-91220001", "2026-11-20T22:11:00.000+08:00")
    d = open_dispute(app, USER, "not_delivered", domain="keyvault.gg", order_no="KV-91220001",
                     occurred_at="2026-11-22T10:00:00-05:00", created_at="2026-11-22T11:00:00-05:00",
                     now="2026-11-22T11:00:00-05:00", description="Paid with PayPal, the key never arrived")
    assert_invariants(app, USER, d)
    assert_readable(d)
    assert d["order"]["payment_network"] == "paypal"
    assert _steps(d) == ["seller", "platform", "chargeback", "regulator"]
    chargeback = _step(d, "chargeback")
    assert chargeback["reason_codes"] == ["INR"] and "PayPal" in chargeback["channel_en"]
    assert chargeback["name"] == {"zh": "PayPal 争议", "en": "PayPal dispute"}  # no "信用卡拒付" heading
    assert parse_iso(chargeback["deadline"]) == parse_iso("2027-05-19T09:10:00-05:00")
    assert "Visa" not in chargeback["basis"]["en"] and "issuer" not in chargeback["basis"]["en"]  # balance: no card
    letter = d["letters"]["chargeback"]["en"]
    assert "Item Not Received" in letter and "41.50 USD" in letter and "card issuer" not in letter
    _no_mainland_channel(d)
    # The marketplace's advice when late points to PayPal, not to a card issuer.
    late = rebuild(app, USER, d["id"], "2026-12-25T10:00:00-05:00")
    assert "PayPal" in _step(late, "platform")["advice"]["en"] and "card issuer" not in _step(late, "platform")["advice"]["en"]


def test_taiwan_buyer_on_a_traditional_chinese_shop(app):
    """Advisor: a Taiwan shop (NT$, traditional Chinese, no ICP filing), paid by Visa: mainland
    consumer law and 12315 do not reach it (LEGAL.md covers mainland China only); the shop's own
    channel first, then the card issuer (Visa 13.1 not received, 120 days). LEGAL.md names no
    Taiwan authority, so KaDun names none (no invented law)."""
    capture(app, P.tw_shop_order("遊戲點數小舖", order_no="TW20261205183344", item="MyCard 1000點", created="2026-12-05 18:33:44",
                                 amount="NT$1,000", status="已付款", payment="信用卡（Visa）", codes=[]),
            "https://www.gamepoint-tw.com/member/orders/TW20261205183344", "2026-12-05T18:35:00.000+08:00")
    d = open_dispute(app, USER, "not_delivered", domain="gamepoint-tw.com", order_no="TW20261205183344",
                     occurred_at="2026-12-06T10:00:00+08:00", created_at="2026-12-06T11:00:00+08:00",
                     now="2026-12-06T11:00:00+08:00", description="付款後一直沒有收到序號")
    assert_invariants(app, USER, d)
    assert_readable(d)
    assert d["order"]["cross_border"] is True
    assert d["order"]["amount"] == {"amount": "1000.00", "currency": "TWD"} or d["order"]["amount"]["currency"] == "TWD"
    assert "chargeback" in _steps(d) and "consumer_association" not in _steps(d)
    assert _step(d, "chargeback")["reason_codes"] == ["13.1"]
    # LEGAL.md names no Taiwan body: the plan says its references stop there instead of inventing one.
    regulator = _step(d, "regulator")["basis"]
    assert "港澳台" in regulator["zh"] and "当地机构" in regulator["zh"] and "outside KaDun's references" in regulator["en"]
    _no_mainland_channel(d)


def test_delivered_code_is_for_a_different_product(app):
    """Advisor: the order was for 「Xbox Game Pass Ultimate 3个月」; the code the shop sent ("已发货")
    redeems as a 1-month Game Pass Core: not as described (消法第二十三、二十四条); the order page with
    the item's name is what was sold; ask for the right code or a refund. Proof: the redemption
    screen."""
    capture(app, P.shop_order("极光数卡", order_no="2612041530447712", item="Xbox Game Pass Ultimate 3个月", quantity=1,
                              created="2026-12-04 15:30:44", amount="139.00", status="已发货", payment="支付宝",
                              codes=["XGPC1-M7QP2-TT8KD-99XZQ-4HRLM"]),
            "https://jiguang-ka.com/detail-order-sn/2612041530447712", "2026-12-04T15:32:00.000+08:00")
    d = open_dispute(app, USER, "not_as_described", domain="jiguang-ka.com", order_no="2612041530447712",
                     occurred_at="2026-12-04T15:40:00+08:00", created_at="2026-12-04T16:00:00+08:00",
                     now="2026-12-04T16:00:00+08:00", description="兑换后显示是 Game Pass Core 1个月，不是Ultimate 3个月")
    shot = attach(app, USER, d["id"], "error_screenshot", PNG_1PX, "兑换结果.png", "2026-12-04T16:02:00.000+08:00")
    d = rebuild(app, USER, d["id"], "2026-12-04T16:05:00+08:00")
    assert_invariants(app, USER, d)
    assert_readable(d)
    assert _states(d)["problem_proof"] == "present" and _states(d)["delivery_record"] == "present"
    assert shot.id in next(r for r in d["checklist"] if r["item"] == "problem_proof")["evidence"]
    seller = d["letters"]["seller"]["zh"]
    assert "Xbox Game Pass Ultimate 3个月" in seller and "第二十三条" in seller and "第二十四条" in seller
    assert "按描述履行、更换或退款" in seller
    assert "not as described" in d["letters"]["seller"]["en"] or "match" in d["letters"]["seller"]["en"]


def test_fake_customer_service_asks_for_an_unfreeze_fee_before_the_refund(app):
    """Advisor: the order was not delivered and the seller agreed to refund; then a "平台客服" in
    the chat says the refund is frozen and asks the buyer to pay a 解冻金 first. No platform asks a
    buyer to pay to receive a refund: it is a scam on top of the dispute. Stop paying, do not
    scan or transfer, report it to the police (a fraud indicator), and complain through the payment
    app's bill for money already sent; the refund itself is still claimed from the seller and the
    platform's real channel."""
    capture(app, P.kameng_order(JINYU, order_no="JY202612010815221", item="QQ音乐豪华绿钻 年卡", seller="音乐会员铺",
                                amount="128.00", status="已付款", created="2026-12-01 08:15:22",
                                paid="2026-12-01 08:15:40", delivered=None, payment="微信支付", codes=[], icp=JINYU_ICP),
            "https://www.jinyu-km.com/user/order/JY202612010815221", "2026-12-01T12:00:00.000+08:00")
    capture(app, P.kameng_chat(JINYU, seller="音乐会员铺", order_no="JY202612010815221", icp=JINYU_ICP, messages=[
        ("我", "2026-12-01 11:00", "付款三小时了还没发货"),
        ("音乐会员铺", "2026-12-01 11:20", "缺货了，给你退款"),
        ("平台客服-小美", "2026-12-01 11:40", "您好，您的退款因账户异常被冻结，需先缴纳解冻金200元，解冻后连同货款原路退回"),
        ("我", "2026-12-01 11:45", "为什么退款还要我先付钱？")]),
        "https://www.jinyu-km.com/user/chat/77120", "2026-12-01T11:50:00.000+08:00")
    d = open_dispute(app, USER, "not_delivered", domain="jinyu-km.com", order_no="JY202612010815221",
                     occurred_at="2026-12-01T11:00:00+08:00", created_at="2026-12-01T12:05:00+08:00",
                     now="2026-12-01T12:05:00+08:00", description="未发货，说退款要先交解冻金")
    assert_invariants(app, USER, d)
    assert_readable(d)
    scam, = _codes(d, "refund_fee_scam")
    assert "解冻金" in scam["quote"]
    assert "停止付款" in scam["explanation"]["zh"] and "stop paying" in scam["explanation"]["en"].lower()
    assert "报警" in scam["explanation"]["zh"] or "公安" in scam["explanation"]["zh"]
    assert _steps(d) == ["seller", "platform", "regulator", "consumer_association", "police"]
    police = _step(d, "police")
    assert police["reasons"] == ["refund_fee_scam"]
    assert "解冻金" in police["basis"]["zh"] and "停止" in police["basis"]["zh"]
    assert "解冻金" in d["letters"]["police"]["zh"] and "unfreeze" in d["letters"]["police"]["en"].lower()
    assert "解冻金" in d["letters"]["platform"]["zh"]  # the platform is told someone poses as its support
    pay, _form = payment_complaint(d)
    assert pay["app"] == "wechat"


def test_fee_scam_words_are_a_demand_to_pay_before_a_refund_not_any_deposit():
    """The words that make a scam finding: a fee asked before a refund or release (解冻金, 先交保证金
    才能退款), not a platform's deposit system or a refund that was made."""
    from server.risk.clauses import fee_scam

    for line in ("您的退款因账户异常被冻结，需先缴纳解冻金200元", "退款需要先交500元保证金，到账后一起退回",
                 "请先支付手续费88元，才能解冻退款", "需要刷流水才能激活退款通道",
                 "To release your refund you must pay a verification fee of $50 first"):
        assert fee_scam(line), line
    for line in ("平台实行商家保证金制度，交易纠纷可申请平台介入", "保证金：¥1000.00", "退款已原路退回，请注意查收",
                 "商家已同意退款，退款金额：¥60.00", "Refunds are returned to the original payment method",
                 # the platform's rule that merchants lodge a deposit to pay buyers from, quoted on an order or chat page
                 "所有入驻商家须缴纳保证金，用于赔付买家", "商家需缴纳保证金，退款由平台先行赔付"):
        assert fee_scam(line) is None, line
    # ... while the same words addressed to the buyer, or with the buyer paying, stay a demand
    for line in ("商家需缴纳保证金，买家需支付解冻手续费后退款", "您需要先缴纳保证金才能退款，商家保证金已冻结"):
        assert fee_scam(line), line


def test_a_terms_page_about_seller_deposits_is_no_scam(app):
    """A platform rule that sellers lodge a deposit the platform pays refunds from is its deposit
    scheme (电商法第五十八条), not a demand on the buyer: no scam finding, no police step."""
    capture(app, P.kameng_terms(JINYU, clauses=["商家须先缴纳保证金方可开店，买家退款可由保证金先行赔付。"], icp=JINYU_ICP),
            "https://www.jinyu-km.com/help/deposit", "2026-12-01T08:00:00.000+08:00")
    capture(app, P.kameng_order(JINYU, order_no="JY202612010815299", item="QQ音乐豪华绿钻 年卡", seller="音乐会员铺",
                                amount="128.00", status="已付款", created="2026-12-01 08:15:22",
                                paid="2026-12-01 08:15:40", delivered=None, payment="微信支付", codes=[], icp=JINYU_ICP,
                                notice="退款已原路退回，请注意查收"),
            "https://www.jinyu-km.com/user/order/JY202612010815299", "2026-12-01T12:00:00.000+08:00")
    d = open_dispute(app, USER, "not_delivered", domain="jinyu-km.com", order_no="JY202612010815299",
                     occurred_at="2026-12-01T11:00:00+08:00", created_at="2026-12-01T12:05:00+08:00",
                     now="2026-12-01T12:05:00+08:00")
    assert _codes(d, "refund_fee_scam") == [] and "police" not in _steps(d)


def test_buyer_comes_back_months_after_every_platform_window(app):
    """Advisor: the account was banned in July; the buyer comes back in December. The platform's
    7-day rule is long past (apply anyway, stating the cause); 12315 and the consumer association
    set no fixed deadline (LEGAL.md); 电商法第六十条 also names arbitration and a lawsuit. LEGAL.md
    states no limitation period, so KaDun names none (no invented years), only that a court's
    time limits are for a lawyer or the court to confirm."""
    capture(app, P.kameng_terms(JINYU, clauses=JINYU_RULES, icp=JINYU_ICP), "https://www.jinyu-km.com/help/rules",
            "2026-07-01T10:00:00.000+08:00")
    capture(app, P.kameng_order(JINYU, order_no="JY202607011002331", item="和平精英 成品号 全枪皮", seller="老刘游戏号店",
                                amount="450.00", status="已完成", created="2026-07-01 10:02:33",
                                paid="2026-07-01 10:02:50", delivered="2026-07-01 10:03:10", payment="支付宝",
                                codes=["账号：hp2331 密码：Hp#2331"], icp=JINYU_ICP),
            "https://www.jinyu-km.com/user/order/JY202607011002331", "2026-07-01T10:04:00.000+08:00")
    d = open_dispute(app, USER, "account_banned", domain="jinyu-km.com", order_no="JY202607011002331",
                     occurred_at="2026-07-05T20:00:00+08:00", created_at="2026-12-07T10:00:00+08:00",
                     now="2026-12-07T10:00:00+08:00", description="7月账号被封，当时没处理")
    assert_invariants(app, USER, d)
    assert_readable(d)
    assert _steps(d) == ["seller", "platform", "regulator", "consumer_association"]
    assert _step(d, "platform")["overdue"] is True and "合理原因" in _step(d, "platform")["advice"]["zh"]
    assert _step(d, "regulator")["deadline"] is None and _step(d, "consumer_association")["deadline"] is None
    # Still open after the platform's window: arbitration and a lawsuit (电商法第六十条), without a
    # limitation period LEGAL.md does not state.
    routes = _step(d, "consumer_association")["basis"]
    assert "仲裁" in routes["zh"] and "起诉" in routes["zh"] and "诉讼时效" in routes["zh"] and "第六十条" in routes["zh"]
    assert "lawsuit" in routes["en"] and "limitation period" in routes["en"]
    for text in _all_texts(d):
        assert "三年" not in text and "3年" not in text and "two years" not in text and "three years" not in text


def test_hong_kong_buyer_on_a_hkd_shop_paid_by_fps(app):
    """Advisor: a Hong Kong shop priced in HK$, paid by FPS bank transfer: no card network stands
    behind the payment (no chargeback), mainland law and 12315 do not apply; the shop's own channel,
    then the bank the transfer was made from, then econsumer.gov."""
    capture(app, P.tw_shop_order("港仔點卡店", order_no="HK2026120412001", item="PSN 港服 HK$200 儲值卡", created="2026-12-04 12:00:01",
                                 amount="HK$200.00", status="已付款", payment="轉數快 FPS", codes=[]),
            "https://www.gangzai-card.hk/orders/HK2026120412001", "2026-12-04T12:02:00.000+08:00")
    d = open_dispute(app, USER, "not_delivered", domain="gangzai-card.hk", order_no="HK2026120412001",
                     occurred_at="2026-12-05T10:00:00+08:00", created_at="2026-12-05T11:00:00+08:00",
                     now="2026-12-05T11:00:00+08:00")
    assert_invariants(app, USER, d)
    assert_readable(d)
    assert d["order"]["cross_border"] is True
    assert "chargeback" not in _steps(d) and d["order"]["payment_method"] == "bank_transfer"
    assert _steps(d) == ["seller", "platform", "regulator"]
    late = rebuild(app, USER, d["id"], "2027-02-05T11:00:00+08:00")
    advice = _step(late, "platform").get("advice") or {"zh": "", "en": ""}
    assert "card issuer" not in advice["en"] and "发卡行" not in advice["zh"]
    _no_mainland_channel(d)


def test_transfer_words_count_only_on_the_payment_line():
    """轉數快 / SEPA on the payment line is a transfer; 'Payment method' alone, 'ideal' or an item's
    '240 FPS' is none."""
    from server.risk.clauses import bank_transfer

    assert bank_transfer(["付款方式", "轉數快 FPS"]) == "轉數快"
    assert bank_transfer(["Paid with SEPA transfer"]) == "SEPA"
    assert bank_transfer(["Payment method", "Visa"]) is None
    assert bank_transfer(["Product", "Valorant 240 FPS boost", "Payment method", ""]) is None
    assert bank_transfer(["An ideal gift for gamers, pay with card"]) is None


def test_seller_edits_the_product_page_after_the_sale(app):
    """Advisor: the product page said 「质保30天」「永久使用」 when the buyer bought it; after the
    account stopped working the shop removed those words and added 「售出后概不负责」. The earlier
    capture is the evidence of what was sold: the timeline shows both versions, the finding the
    removed words, and the letters quote what the page said at the purchase (消法第二十三、二十四条),
    while the newly added disclaimer is an unfair clause (第二十六条)."""
    before = capture(app, P.kameng_product(JINYU, title="网易云音乐黑胶VIP 年卡 独享账号", price="58.00", seller="云音会员店",
                                           seller_id="70031", lines=["质保30天", "永久使用，稳定不掉线"], icp=JINYU_ICP),
                     "https://www.jinyu-km.com/goods/55120", "2026-11-10T10:00:00.000+08:00")
    capture(app, P.kameng_order(JINYU, order_no="JY202611101001221", item="网易云音乐黑胶VIP 年卡 独享账号",
                                seller="云音会员店", amount="58.00", status="已完成", created="2026-11-10 10:01:22",
                                paid="2026-11-10 10:01:40", delivered="2026-11-10 10:02:05", payment="支付宝",
                                codes=["账号：wy70031 密码：Yy#70031"], icp=JINYU_ICP),
            "https://www.jinyu-km.com/user/order/JY202611101001221", "2026-11-10T10:03:00.000+08:00")
    after = capture(app, P.kameng_product(JINYU, title="网易云音乐黑胶VIP 年卡 独享账号", price="58.00", seller="云音会员店",
                                          seller_id="70031", lines=["账号售出后概不负责"], icp=JINYU_ICP),
                    "https://www.jinyu-km.com/goods/55120", "2026-11-20T18:00:00.000+08:00")
    d = open_dispute(app, USER, "account_banned", domain="jinyu-km.com", order_no="JY202611101001221",
                     occurred_at="2026-11-20T09:00:00+08:00", created_at="2026-11-20T18:10:00+08:00",
                     now="2026-11-20T18:10:00+08:00", description="会员第10天失效，商家改了商品页")
    assert_invariants(app, USER, d)
    assert_readable(d)
    changed, = _codes(d, "description_changed")
    assert changed["diff"]["before"] == before.id and changed["diff"]["after"] == after.id
    assert "质保30天" in changed["diff"]["removed"]
    phases = {e["source"]["snapshot_id"]: e["phase"] for e in d["timeline"] if "snapshot_id" in e["source"]}
    assert phases[before.id] == "transaction" and phases[after.id] == "problem"
    later = next(e for e in d["timeline"] if e["source"].get("snapshot_id") == after.id)
    assert "质保30天" in later["summary"]["zh"], later["summary"]  # the timeline says what changed
    assert "质保30天" in d["letters"]["seller"]["zh"] and "第二十四条" in d["letters"]["seller"]["zh"]
    assert "质保30天" in d["letters"]["platform"]["zh"]
    assert any(f["quote"] == "概不负责" or "概不负责" in f["quote"] for f in d["findings"]
               if f["code"] in ("unfair_term", "no_refund_claim"))


def test_preorder_never_delivered_after_the_promised_date(app):
    """Advisor: a 预售 item promised 「12月15日前发货」; on 20 December nothing has come: delivery is
    late against the seller's own date (消法第二十三条 duty to deliver as stated): deliver now or
    refund in full. The order page saved after the date, still unpaid-for delivery, proves it."""
    capture(app, P.shop_product("星河发卡", title="黑神话：悟空 豪华版 激活码（预售）", price="298.00",
                                lines=["预售商品，付款后于2026-12-15前统一发货", "官方正版激活码"]),
            "https://xinghe-fk.com/buy/88", "2026-12-01T21:00:00.000+08:00")
    capture(app, P.shop_order("星河发卡", order_no="2612012101228891", item="黑神话：悟空 豪华版 激活码（预售）", quantity=1,
                              created="2026-12-01 21:01:22", amount="298.00", status="已付款", payment="微信支付", codes=[],
                              extra_rows=[("预计发货时间", "2026-12-15 23:59:59")]),
            "https://xinghe-fk.com/detail-order-sn/2612012101228891", "2026-12-20T10:00:00.000+08:00")
    d = open_dispute(app, USER, "delivery_late", domain="xinghe-fk.com", order_no="2612012101228891",
                     occurred_at="2026-12-16T00:00:00+08:00", created_at="2026-12-20T10:05:00+08:00",
                     now="2026-12-20T10:05:00+08:00", description="预售说15号前发货，到现在还没发")
    assert_invariants(app, USER, d)
    assert_readable(d)
    promised = [w for w in d["windows"] if w["kind"] == "promised_delivery"]
    assert promised and parse_iso(promised[0]["deadline"]) == parse_iso("2026-12-15T23:59:59+08:00")
    assert promised[0]["overdue"] is True
    assert _states(d)["problem_proof"] == "present"  # the order page after the date, still not delivered
    due, = [f for f in _codes(d, "promise_broken") if f["promise_kind"] == "delivery_date"]
    assert parse_iso(due["due"]) == parse_iso("2026-12-15T23:59:59+08:00") and "预计发货时间" in due["quote"]
    assert "2026-12-15" in d["letters"]["seller"]["zh"] and "2026-12-15" in d["letters"]["seller"]["en"]
    assert "第二十三条" in d["letters"]["platform"]["zh"]
    assert "立即发货或全额退款" in d["letters"]["seller"]["zh"]


def test_a_stated_delivery_date_still_to_come_is_no_broken_promise(app):
    """Before the stated date nothing is broken yet: the order page saved on 5 December, a problem
    reported on 6 December, delivery stated by the 15th."""
    capture(app, P.shop_order("星河发卡", order_no="2612012101228892", item="黑神话：悟空 豪华版 激活码（预售）", quantity=1,
                              created="2026-12-01 21:01:22", amount="298.00", status="已付款", payment="微信支付", codes=[],
                              extra_rows=[("预计发货时间", "2026-12-15 23:59:59")]),
            "https://xinghe-fk.com/detail-order-sn/2612012101228892", "2026-12-05T10:00:00.000+08:00")
    d = open_dispute(app, USER, "delivery_late", domain="xinghe-fk.com", order_no="2612012101228892",
                     occurred_at="2026-12-06T00:00:00+08:00", created_at="2026-12-06T10:05:00+08:00",
                     now="2026-12-06T10:05:00+08:00")
    assert [f for f in _codes(d, "promise_broken") if f.get("promise_kind") == "delivery_date"] == []


def test_game_account_banned_a_week_later_because_it_was_stolen(app):
    """Advisor: the publisher banned the account 6 days after delivery because it had been stolen
    (盗号): the seller sold an account it could not lawfully give and promised 「一手号」「不封号」;
    that is goods not as described (消法第二十三、二十四条): ask the seller to replace it or refund,
    then the platform within its 7-day rule (still open), then 12315. Missing: the ban notice
    (problem proof) and the chat with the seller. No police step for a ¥388 order with no sign of
    fraud on the pages."""
    capture(app, P.kameng_terms(JINYU, clauses=JINYU_RULES, icp=JINYU_ICP), "https://www.jinyu-km.com/help/rules",
            "2026-11-20T09:00:00.000+08:00")
    capture(app, P.kameng_product(JINYU, title="英雄联盟 艾欧尼亚 钻石段位 成品号", price="388.00", seller="峡谷号铺",
                                  seller_id="40233", lines=["一手号，原始邮箱", "不封号，售后无忧"], icp=JINYU_ICP),
            "https://www.jinyu-km.com/goods/66120", "2026-11-20T09:05:00.000+08:00")
    capture(app, P.kameng_order(JINYU, order_no="JY202611200906551", item="英雄联盟 艾欧尼亚 钻石段位 成品号",
                                seller="峡谷号铺", amount="388.00", status="已完成", created="2026-11-20 09:06:55",
                                paid="2026-11-20 09:07:10", delivered="2026-11-20 09:07:40", payment="支付宝",
                                codes=["账号：lol40233 密码：Xg#40233"], icp=JINYU_ICP),
            "https://www.jinyu-km.com/user/order/JY202611200906551", "2026-11-20T09:08:00.000+08:00")
    d = open_dispute(app, USER, "account_banned", domain="jinyu-km.com", order_no="JY202611200906551",
                     occurred_at="2026-11-26T21:00:00+08:00", created_at="2026-11-26T22:00:00+08:00",
                     now="2026-11-26T22:00:00+08:00", description="腾讯通知：该账号涉嫌被盗，已永久封停")
    assert_invariants(app, USER, d)
    assert_readable(d)
    assert {"一手号", "不封号"} <= {f["quote"] for f in _codes(d, "promise_broken")}
    assert [k for k, v in _states(d).items() if v == "missing"] == ["problem_proof", "negotiation_record"]
    assert _steps(d) == ["seller", "platform", "regulator", "consumer_association"]
    platform = _step(d, "platform")
    assert parse_iso(platform["deadline"]) == parse_iso("2026-11-27T09:07:40+08:00") and platform["overdue"] is False
    assert "更换可正常使用的账号或退款" in d["letters"]["seller"]["zh"]
    for article in ("第二十三条", "第二十四条", "第四十四条", "第五十八条"):
        assert article in d["letters"]["platform"]["zh"]


def test_a_ban_the_buyer_does_not_tie_to_theft_leaves_the_first_hand_promise_alone(app):
    """A ban for another reason (the buyer's words name no theft) breaks 「不封号」, not 「一手号」."""
    capture(app, P.kameng_product(JINYU, title="英雄联盟 钻石段位 成品号", price="388.00", seller="峡谷号铺",
                                  seller_id="40233", lines=["一手号，原始邮箱", "不封号，售后无忧"], icp=JINYU_ICP),
            "https://www.jinyu-km.com/goods/66121", "2026-11-20T09:05:00.000+08:00")
    capture(app, P.kameng_order(JINYU, order_no="JY202611200906552", item="英雄联盟 钻石段位 成品号",
                                seller="峡谷号铺", amount="388.00", status="已完成", created="2026-11-20 09:06:55",
                                paid="2026-11-20 09:07:10", delivered="2026-11-20 09:07:40", payment="支付宝",
                                codes=["账号：lol40234 密码：Xg#40234"], icp=JINYU_ICP),
            "https://www.jinyu-km.com/user/order/JY202611200906552", "2026-11-20T09:08:00.000+08:00")
    d = open_dispute(app, USER, "account_banned", domain="jinyu-km.com", order_no="JY202611200906552",
                     occurred_at="2026-11-26T21:00:00+08:00", created_at="2026-11-26T22:00:00+08:00",
                     now="2026-11-26T22:00:00+08:00", description="登录提示账号已被封禁")
    quotes = {f["quote"] for f in _codes(d, "promise_broken")}
    assert "不封号" in quotes and "一手号" not in quotes


def test_gift_card_that_works_only_in_another_region(app):
    """Advisor: the page said 「全球通用」; the Steam wallet code is refused in the buyer's region
    ("only redeemable in the United States"): not as described (消法第二十三、二十四条), ask the
    shop to replace it with one that works in the buyer's region or refund. A single shop: its own
    after-sales, then the Alipay bill's complaint, then 12315."""
    capture(app, P.shop_product("环球卡站", title="Steam 钱包充值卡 $20 美元", price="148.00",
                                lines=["全球通用，任意地区账号均可兑换", "自动发货，卡密秒到", "保证未使用"]),
            "https://huanqiu-card.shop/buy/20", "2026-12-02T20:00:00.000+08:00")
    capture(app, P.shop_order("环球卡站", order_no="2612022001558831", item="Steam 钱包充值卡 $20 美元", quantity=1,
                              created="2026-12-02 20:01:55", amount="148.00", status="已发货", payment="支付宝",
                              codes=["STEAM-20US-7QX2-PL9M"]),
            "https://huanqiu-card.shop/detail-order-sn/2612022001558831", "2026-12-02T20:03:00.000+08:00")
    d = open_dispute(app, USER, "not_as_described", domain="huanqiu-card.shop", order_no="2612022001558831",
                     occurred_at="2026-12-02T20:10:00+08:00", created_at="2026-12-02T20:30:00+08:00",
                     now="2026-12-02T20:30:00+08:00",
                     description="Steam 提示：此礼品卡仅可在美国地区兑换，我的账号是国区")
    assert_invariants(app, USER, d)
    assert_readable(d)
    quotes = {f["quote"] for f in _codes(d, "promise_broken")}
    assert any("全球通用" in q for q in quotes), quotes
    assert any("全球通用" in q for q in quotes if q in d["letters"]["seller"]["zh"])
    assert "第二十三条" in d["letters"]["seller"]["zh"]
    assert "按描述履行、更换或退款" in d["letters"]["seller"]["zh"]
    assert _steps(d) == ["seller", "platform", "regulator", "consumer_association"]
    assert _states(d)["problem_proof"] == "missing" and _states(d)["description"] == "present"


def _post_page(client, auth, html: str, url: str) -> dict:
    """Save a page as the extension does (POST /v1/snapshots; the server's own scrapers read it)."""
    import uuid

    body = {"client_id": str(uuid.uuid4()), "url": url, "title": "", "captured_at": "2026-12-03T14:00:00+08:00",
            "trigger": "auto", "html": html, "extension_version": "0.1.0"}
    response = client.post("/v1/snapshots", json=body, headers=auth)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _two_orders(client, auth, second_status: str = "已付款", second_codes: list[str] = ()) -> tuple[dict, dict]:
    first = _post_page(client, auth, P.shop_order("速通卡铺", order_no="2612031000112201", item="爱奇艺黄金会员 月卡",
                                                  quantity=1, created="2026-12-03 10:00:11", amount="19.80",
                                                  status="已发货", payment="微信支付", codes=["IQY-7788-2201"]),
                       "https://sutong-ka.shop/detail-order-sn/2612031000112201")
    second = _post_page(client, auth, P.shop_order("速通卡铺", order_no="2612031005332202", item="腾讯视频VIP 季卡",
                                                   quantity=1, created="2026-12-03 10:05:33", amount="60.00",
                                                   status=second_status, payment="微信支付", codes=list(second_codes)),
                        "https://sutong-ka.shop/detail-order-sn/2612031005332202")
    return first, second


def test_one_dispute_chosen_from_the_pages_of_two_orders_is_about_the_undelivered_one(client, auth):
    """Advisor: the buyer picks both order pages of one shop (one delivered, one not) and says
    "not delivered": the claim is the undelivered ¥60 order; the delivered order's page, its amount
    and code are not this claim's evidence (it was delivered). Before, the dispute took the first
    page's order: "deliver now or refund" for the order that had arrived, at ¥19.80."""
    first, second = _two_orders(client, auth)
    response = client.post("/v1/disputes", headers=auth, json={
        "snapshot_ids": [first["id"], second["id"]], "problem": "not_delivered",
        "occurred_at": "2026-12-03T11:00:00+08:00", "description": "同一家店两单，第二单一直没发货"})
    assert response.status_code == 201, response.get_json()
    d = response.get_json()
    assert d["order"]["order_no"] == "2612031005332202" and d["order"]["amount"] == {"amount": "60.00", "currency": "CNY"}
    assert {e["source"].get("snapshot_id") for e in d["timeline"]} == {second["id"]}
    for letter in d["letters"].values():
        assert "2612031000112201" not in letter["zh"] and "¥19.80" not in letter["zh"]
    assert "2612031005332202" in d["letters"]["seller"]["zh"] and "立即发货或全额退款" in d["letters"]["seller"]["zh"]


def test_two_undelivered_orders_in_one_dispute_are_refused_with_their_numbers(client, auth):
    """Two orders that both fit "not delivered": KaDun cannot tell which one the letters claim, so
    it says so (422, naming both orders: one dispute per order) instead of picking one silently."""
    first = _post_page(client, auth, P.shop_order("速通卡铺", order_no="2612031000112203", item="爱奇艺黄金会员 月卡",
                                                  quantity=1, created="2026-12-03 10:00:11", amount="19.80",
                                                  status="已付款", payment="微信支付", codes=[]),
                       "https://sutong-ka.shop/detail-order-sn/2612031000112203")
    _, second = _two_orders(client, auth)
    response = client.post("/v1/disputes", headers=auth, json={
        "snapshot_ids": [first["id"], second["id"]], "problem": "not_delivered",
        "occurred_at": "2026-12-03T11:00:00+08:00", "description": "两单都没发货"})
    assert response.status_code == 422
    body = response.get_json()
    assert body["error"] == "unprocessable" and "2612031000112203" in body["message"]
    assert "2612031005332202" in body["message"] and "one dispute per order" in body["message"]


def test_restock_date_promised_on_the_product_page_across_the_new_year(app):
    """Advisor: the product page said 「缺货补货中，1月5日前统一发货」 (no year) when the buyer paid
    on 20 December 2026; on 8 January nothing has come: the date is 5 January 2027 (the next one
    after the purchase), passed; deliver now or refund (消法第二十三、二十四条). No order-page row
    states it: the product page's own words do."""
    capture(app, P.shop_product("星河发卡", title="Nintendo eShop 500港币 点卡", price="468.00",
                                lines=["缺货补货中，1月5日前统一发货", "官方正版点卡"]),
            "https://xinghe-fk.com/buy/91", "2026-12-20T20:00:00.000+08:00")
    capture(app, P.shop_order("星河发卡", order_no="2612202001558801", item="Nintendo eShop 500港币 点卡", quantity=1,
                              created="2026-12-20 20:01:55", amount="468.00", status="已付款", payment="支付宝", codes=[]),
            "https://xinghe-fk.com/detail-order-sn/2612202001558801", "2027-01-08T10:00:00.000+08:00")
    d = open_dispute(app, USER, "delivery_late", domain="xinghe-fk.com", order_no="2612202001558801",
                     occurred_at="2027-01-06T00:00:00+08:00", created_at="2027-01-08T10:05:00+08:00",
                     now="2027-01-08T10:05:00+08:00", description="说1月5日前补货发货，到现在没发")
    assert_invariants(app, USER, d)
    assert_readable(d)
    promised = [w for w in d["windows"] if w["kind"] == "promised_delivery"]
    assert [parse_iso(w["deadline"]) for w in promised] == [parse_iso("2027-01-05T23:59:59+08:00")]
    assert promised[0]["overdue"] is True
    due, = [f for f in _codes(d, "promise_broken") if f["promise_kind"] == "delivery_date"]
    assert "1月5日前统一发货" in due["quote"] and "2027-01-05" in due["explanation"]["zh"]
    assert "1月5日前统一发货" in d["letters"]["seller"]["zh"] and "第二十三条" in d["letters"]["seller"]["zh"]
    assert _states(d)["problem_proof"] == "present"  # the order page saved after the date, still undelivered


def test_delivery_date_words():
    """The date forms a page promises delivery by, and what is no such date."""
    from server.risk.clauses import delivery_date

    assert delivery_date("预售商品，付款后于2026-12-15前统一发货")[1:4] == (2026, 12, 15)
    assert delivery_date("预计12月20日发货")[1:4] == (None, 12, 20)
    assert delivery_date("預計2027年1月3日發貨")[1:4] == (2027, 1, 3)
    assert delivery_date("12月15日 18:00前发货")[4] == (18, 0)
    for line in ("2026-12-15 购买", "有效期至2027-12-31", "13月40日前发货", "24小时内发货"):
        assert delivery_date(line) is None, line


def test_paypal_paid_with_a_visa_card_names_the_card_as_the_next_resort(app):
    """Advisor: a PayPal payment funded by a Visa card: PayPal's own dispute first (180 days); when
    it fails, the card issuer may be asked about a Visa dispute (the issuer decides). One PayPal
    step, no second card step; a PayPal balance payment (above) names no card."""
    capture(app, P.market_order("Keyvault", order_no="KV-91220002", item="Baldur's Gate 3 Steam Key GLOBAL",
                                seller="KeyKing", amount="41.50", currency="USD", paid="Nov 20, 2026, 09:10 EST",
                                delivered=None, payment="PayPal (Visa •••• 4417)", key=None),
            "https://www.keyvault.gg/account/orders/KV-91220002", "2026-11-20T22:11:00.000+08:00")
    d = open_dispute(app, USER, "not_delivered", domain="keyvault.gg", order_no="KV-91220002",
                     occurred_at="2026-11-22T10:00:00-05:00", created_at="2026-11-22T11:00:00-05:00",
                     now="2026-11-22T11:00:00-05:00")
    assert_invariants(app, USER, d)
    assert d["order"]["payment_network"] == "paypal" and _steps(d) == ["seller", "platform", "chargeback", "regulator"]
    basis = _step(d, "chargeback")["basis"]
    assert "Visa" in basis["en"] and "13.1" in basis["en"] and "card issuer" in basis["en"]
    assert "发卡行" in basis["zh"] and "PayPal" in basis["zh"]
