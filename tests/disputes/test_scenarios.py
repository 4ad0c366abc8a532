"""One scenario per problem kind, on fixture captures with their labelled facts and chosen server
times: timeline order, findings, the checklist's missing items, escalation steps and deadlines."""
from __future__ import annotations

from server.clock import parse_iso
from server.disputes.kinds import PROBLEMS

from .complaint_checks import payment_complaint
from .scenario import (
    PNG_1PX,
    assert_invariants,
    attach,
    changed_product,
    fixture_url,
    labelled,
    open_dispute,
    rebuild,
    store,
    store_fixture,
)

USER = "u_scenarios"
XC_ORDER = "XC20261124100322581"


def _xingchen(app, *, chat: bool = True, changed: bool = True, order_amount: str | None = None) -> dict:
    order_facts = None
    if order_amount:
        order_facts = labelled("xingchen-km-order")
        order_facts["order"]["amount"] = {"amount": order_amount, "currency": "CNY"}
    ids = {
        # Saved last of all, yet the rules were in force at the purchase: it belongs to the transaction.
        "terms": store_fixture(app, USER, "xingchen-km-terms", "2026-11-26T13:30:00.000+08:00").id,
        "shop": store_fixture(app, USER, "xingchen-km-shop", "2026-11-24T09:58:00.000+08:00").id,
        "product": store_fixture(app, USER, "xingchen-km-product", "2026-11-24T10:01:00.000+08:00",
                                 screenshot=PNG_1PX).id,
        "order": store_fixture(app, USER, "xingchen-km-order", "2026-11-24T10:06:00.000+08:00", order_facts).id,
    }
    if changed:
        html, facts = changed_product("xingchen-km-product", ("original_owner",))
        ids["product_after"] = store(app, USER, html, fixture_url("xingchen-km-product.html"), facts,
                                     "2026-11-26T12:00:00.000+08:00").id
    if chat:
        ids["chat"] = store_fixture(app, USER, "xingchen-km-chat", "2026-11-26T13:00:00.000+08:00").id
    return ids


def _step(dispute: dict, name: str) -> dict:
    return next(s for s in dispute["escalation"] if s["step"] == name)


def _row(dispute: dict, item: str) -> dict:
    return next(r for r in dispute["checklist"] if r["item"] == item)


def _codes(dispute: dict, code: str) -> list[dict]:
    return [f for f in dispute["findings"] if f["code"] == code]


def test_every_problem_kind_has_a_scenario():
    tested = {name[len("test_"):].split("__")[0] for name in globals() if name.startswith("test_")}
    assert set(PROBLEMS) <= tested


def test_account_recovered__timeline_findings_plan(app):
    ids = _xingchen(app)
    d = open_dispute(app, USER, "account_recovered", domain="www.xingchen-km.com".removeprefix("www."),
                     order_no=XC_ORDER, occurred_at="2026-11-26T11:00:00+08:00",
                     created_at="2026-11-26T14:00:00+08:00", now="2026-11-26T15:00:00+08:00",
                     description="账号被原号主找回，无法登录")
    assert_invariants(app, USER, d)
    seq = [(e["phase"], e["source"]["snapshot_id"], e["stated_at"]) for e in d["timeline"]]
    assert seq == [
        ("transaction", ids["shop"], None), ("transaction", ids["product"], None),
        ("transaction", ids["order"], "2026-11-24T10:03:22+08:00"),
        ("transaction", ids["order"], "2026-11-24T10:03:40+08:00"),
        ("transaction", ids["terms"], None),
        ("delivery", ids["order"], "2026-11-24T10:05:40+08:00"), ("delivery", ids["order"], None),
        ("problem", ids["product_after"], None), ("negotiation", ids["chat"], None)]
    assert d["order"] == {"domain": "xingchen-km.com", "order_no": XC_ORDER,
                          "amount": {"amount": "188.00", "currency": "CNY"}, "platform": "星辰卡盟",
                          "seller": "北极星游戏工作室", "cross_border": False,
                          "product": "和平精英 安卓QQ区 成品号 玛莎拉蒂+3套限定套装", "seller_id": "28517",
                          "item": "和平精英 安卓QQ区 成品号 玛莎拉蒂+3套限定套装", "amount_source": "page",
                          "single_shop": False, "payment_method": "alipay", "payment_network": None}
    broken = {f["quote"] for f in _codes(d, "promise_broken")}
    assert {"永久", "不找回", "若被找回全额包赔", "质保30天", "找回包赔"} <= broken
    assert "24小时内发货" not in broken  # a delivery promise is not what an account recovery breaks
    unfair = {f["quote"]: f for f in _codes(d, "unfair_term")}
    assert set(unfair) == {"本平台不承担任何责任", "最终解释权归本平台所有"}
    assert all("第二十六条" in f["explanation"]["zh"] and "Article 26" in f["explanation"]["en"] for f in unfair.values())
    refusals = {f["quote"]: f for f in _codes(d, "no_refund_claim")}
    assert set(refusals) == {"虚拟商品一经售出概不退换", "账号类商品售出后不支持无理由退款"}
    for finding in refusals.values():
        assert "第二十五条" in finding["explanation"]["zh"] and "第二十三条、第二十四条" in finding["explanation"]["zh"]
    states = {row["item"]: row["state"] for row in d["checklist"]}
    # The shop's own "delivered" status is not the buyer's payment record; the changed description
    # shows a change, not the recovery itself.
    assert states == {"order_record": "present", "description": "present", "payment_proof": "partial",
                      "delivery_record": "present", "problem_proof": "partial", "negotiation_record": "present"}
    assert [s["step"] for s in d["escalation"]] == ["seller", "platform", "regulator",
                                                    "consumer_association"]
    pay, form = payment_complaint(d)
    assert pay["app"] == "alipay" and "支付宝" in pay["channel"] and "支付宝" in pay["basis"]["zh"]
    assert "payment_channel" not in d["letters"] and form["order_no"]["zh"] == d["order"]["order_no"]
    seller = _step(d, "seller")
    assert parse_iso(seller["deadline"]) == parse_iso("2026-11-28T13:00:00+08:00")  # chat + 48 h
    assert "证据" in seller["basis"]["zh"] and seller["overdue"] is False
    platform = _step(d, "platform")
    assert parse_iso(platform["deadline"]) == parse_iso("2026-12-03T11:00:00+08:00")  # problem + 7 days
    assert "问题发生7天内可申请平台介入" in platform["basis"]["zh"] and platform["overdue"] is False
    windows = {w["quote"]: w for w in platform["windows"]}
    feedback = windows["须在交付后24小时内反馈问题"]
    assert parse_iso(feedback["deadline"]) == parse_iso("2026-11-25T10:05:40+08:00")  # delivery + 24 h
    assert feedback["overdue"] is True
    fields = _step(d, "regulator")["fields"]
    assert fields["商家名称"] == "北极星游戏工作室" and fields["平台名称"] == "星辰卡盟"
    assert fields["订单编号"] == XC_ORDER and "账号被找回" in fields["问题描述"] and "无法登录" in fields["问题描述"]
    assert len(fields["证据清单"]) == len(d["evidence"]) == 6
    assert all(e["sha256"] in line for e, line in zip(d["evidence"], fields["证据清单"], strict=True))
    assert "police" not in [s["step"] for s in d["escalation"]]
    seller_letter = d["letters"]["seller"]["zh"]
    assert XC_ORDER in seller_letter and "¥188.00" in seller_letter and "恢复账号" in seller_letter
    product_no = next(e["no"] for e in d["evidence"] if e["id"] == ids["product"])
    product_sha = next(e["sha256"] for e in d["evidence"] if e["id"] == ids["product"])
    assert f"证据{product_no}" in seller_letter and product_sha in seller_letter
    assert "本平台不承担任何责任" not in seller_letter  # the platform's clauses go to the platform
    assert "本平台不承担任何责任" in d["letters"]["platform"]["zh"]


def test_description_changed__diff_shows_the_removed_promise(app):
    ids = _xingchen(app)
    d = open_dispute(app, USER, "account_recovered", domain="xingchen-km.com", order_no=XC_ORDER,
                     occurred_at="2026-11-26T11:00:00+08:00", created_at="2026-11-26T14:00:00+08:00",
                     now="2026-11-26T15:00:00+08:00")
    changed, = _codes(d, "description_changed")
    assert changed["diff"]["before"] == ids["product"] and changed["diff"]["after"] == ids["product_after"]
    assert changed["diff"]["removed"] == ["不找回", "若被找回全额包赔"] and changed["diff"]["added"] == []
    assert "-承诺 / promise [original_owner]: 不找回" in changed["diff"]["lines"]
    assert " 承诺 / promise [lifetime]: 永久" in changed["diff"]["lines"]
    assert [e["snapshot_id"] for e in changed["evidence"]] == [ids["product"], ids["product_after"]]
    assert changed["diff"]["before_seen"] == ["2026-11-24T10:01:00.000+08:00"]
    assert "不找回" in changed["explanation"]["zh"]


def test_description_unchanged__no_finding_for_a_recapture(app):
    _xingchen(app, changed=False)
    store_fixture(app, USER, "xingchen-km-product", "2026-11-26T12:00:00.000+08:00")
    d = open_dispute(app, USER, "account_recovered", domain="xingchen-km.com", order_no=XC_ORDER,
                     occurred_at="2026-11-26T11:00:00+08:00", created_at="2026-11-26T14:00:00+08:00",
                     now="2026-11-26T15:00:00+08:00")
    assert _codes(d, "description_changed") == []
    product = next(e for e in d["evidence"] if e["kind"] == "product")
    assert len(product["sightings"]) == 2  # the same bytes seen twice


def test_account_banned__missing_negotiation_and_police_over_5000(app):
    _xingchen(app, chat=False, changed=False, order_amount="6888.00")
    # The amount the order page shows counts; the buyer's typed amount only when the page has none.
    d = open_dispute(app, USER, "account_banned", domain="xingchen-km.com", order_no=XC_ORDER,
                     amount={"amount": "100.00", "currency": "CNY"}, occurred_at="2026-11-25T08:00:00+08:00",
                     created_at="2026-11-25T09:00:00+08:00", now="2026-11-25T09:30:00+08:00")
    assert_invariants(app, USER, d)
    missing = [r["item"] for r in d["checklist"] if r["state"] == "missing"]
    assert missing == ["problem_proof", "negotiation_record"]
    assert _row(d, "payment_proof")["state"] == "partial"
    assert "平台内置聊天工具" in _row(d, "negotiation_record")["how"]["zh"]
    assert "截图" in _row(d, "problem_proof")["how"]["zh"]
    assert [s["step"] for s in d["escalation"]][-1] == "police"
    police = _step(d, "police")
    assert police["reasons"] == ["amount"] and "5000" in police["basis"]["zh"]
    seller = _step(d, "seller")  # no chat yet: 48 hours from opening the dispute
    assert parse_iso(seller["deadline"]) == parse_iso("2026-11-27T09:00:00+08:00")
    assert "公安机关" in d["letters"]["police"]["zh"]


def test_account_banned__exactly_5000_is_not_a_police_matter(app):
    _xingchen(app, chat=False, changed=False, order_amount="5000.00")
    d = open_dispute(app, USER, "account_banned", domain="xingchen-km.com", order_no=XC_ORDER,
                     amount={"amount": "5000.00", "currency": "CNY"}, occurred_at="2026-11-25T08:00:00+08:00",
                     created_at="2026-11-25T09:00:00+08:00", now="2026-11-25T09:30:00+08:00")
    assert "police" not in [s["step"] for s in d["escalation"]]


def test_platform_stalling__overdue_window_says_state_a_reasonable_cause(app):
    _xingchen(app)
    d = open_dispute(app, USER, "platform_stalling", domain="xingchen-km.com", order_no=XC_ORDER,
                     occurred_at="2026-11-26T11:00:00+08:00", created_at="2026-12-05T10:00:00+08:00",
                     now="2026-12-05T10:00:00+08:00")
    assert_invariants(app, USER, d)
    platform = _step(d, "platform")
    assert platform["overdue"] is True and parse_iso(platform["deadline"]) < parse_iso("2026-12-05T10:00:00+08:00")
    assert "合理原因" in platform["advice"]["zh"] and "reasonable cause" in platform["advice"]["en"]
    assert "逾期" not in _step(d, "regulator")["basis"]["zh"]
    assert "原因是" in d["letters"]["platform"]["zh"]
    assert "第五十九条" in d["letters"]["platform"]["zh"]
    # The same dispute read earlier was not overdue: the plan is computed at read time.
    early = rebuild(app, USER, d["id"], "2026-11-27T10:00:00+08:00")
    assert _step(early, "platform")["overdue"] is False and "advice" not in _step(early, "platform")


def test_invalid_code__attachment_is_problem_proof(app):
    store_fixture(app, USER, "dujiaoka-unicorn-product", "2026-11-24T10:02:00.000+08:00")
    checkout = store_fixture(app, USER, "dujiaoka-unicorn-checkout", "2026-11-24T10:03:30.000+08:00")
    store_fixture(app, USER, "dujiaoka-unicorn-order", "2026-11-24T10:05:00.000+08:00")
    d = open_dispute(app, USER, "invalid_code", domain="lanyue.top", order_no="4KQ8ZP2M7XH3N9TD",
                     occurred_at="2026-11-24T11:00:00+08:00", created_at="2026-11-24T11:10:00+08:00",
                     now="2026-11-24T11:20:00+08:00")
    assert _row(d, "problem_proof")["present"] is False
    att = attach(app, USER, d["id"], "error_screenshot", PNG_1PX, "登录失败.png", "2026-11-24T11:15:00.000+08:00")
    d = rebuild(app, USER, d["id"], "2026-11-24T11:20:00+08:00")
    assert_invariants(app, USER, d)
    assert _row(d, "problem_proof")["evidence"] == [att.id]
    problem_events = [e for e in d["timeline"] if e["phase"] == "problem"]
    assert problem_events[0]["source"] == {"attachment_id": att.id} and problem_events[0]["sha256"] == att.sha256
    broken = {f["quote"] for f in _codes(d, "promise_broken")}
    assert {"免费换新", "质保7天", "永久稳定"} <= broken
    assert d["order"]["amount"] == {"amount": "90.00", "currency": "CNY"}
    assert _row(d, "description")["present"] and _row(d, "order_record")["evidence"][0] == checkout.id
    platform = _step(d, "platform")  # "请在24小时内登录验证" counted from the stated order time
    assert parse_iso(platform["deadline"]) == parse_iso("2026-11-25T10:03:22+08:00")
    assert "更换有效的卡密" in d["letters"]["seller"]["zh"]


def test_not_delivered__off_platform_payment_calls_the_police(app):
    store_fixture(app, USER, "risky-shop-order", "2026-11-24T09:13:00.000+08:00")
    d = open_dispute(app, USER, "not_delivered", domain="jisufa-ka.xyz", order_no="2026112409124563",
                     occurred_at="2026-11-24T10:00:00+08:00", created_at="2026-11-24T12:00:00+08:00",
                     now="2026-11-24T12:00:00+08:00")
    assert_invariants(app, USER, d)
    missing = [r["item"] for r in d["checklist"] if r["state"] == "missing"]
    # An unpaid order's page is no payment proof at all; the order page names the item (partial description).
    assert missing == ["payment_proof", "problem_proof", "negotiation_record"]
    assert _row(d, "description")["state"] == "partial"
    assert "支付宝" in _row(d, "payment_proof")["how"]["zh"]
    assert {f["quote"] for f in _codes(d, "off_platform_payment")} == {"请加QQ 2876543210 付款", "扫个人微信收款码"}
    assert {f["quote"] for f in _codes(d, "promise_broken")} == {"秒发"}
    police = _step(d, "police")
    assert police["reasons"] == ["off_platform"]
    # Asked to pay by a personal WeChat QR code: the WeChat Pay bill's complaint reaches the payee.
    pay, form = payment_complaint(d)
    assert pay["app"] == "wechat" and pay["form"] == "wechat_pay"
    assert "平台之外" in pay["basis"]["zh"] and "平台之外" in form["pay_facts"]["zh"]
    platform = _step(d, "platform")
    assert platform["deadline"] is None and "未保存本店的售后规则页" in platform["basis"]["zh"]  # a single shop


def test_delivery_late__cross_border_chargeback(app):
    store_fixture(app, USER, "g2x-market-order", "2026-11-24T10:05:00.000+08:00")
    d = open_dispute(app, USER, "delivery_late", domain="g2x-market.com", order_no="G2X1124835217",
                     occurred_at="2026-11-25T03:00:00+00:00", created_at="2026-11-25T11:30:00+08:00",
                     now="2026-11-25T12:00:00+08:00", description="The key was not delivered within 24 hours.")
    assert_invariants(app, USER, d)
    assert d["order"]["cross_border"] is True and d["order"]["amount"] == {"amount": "26.19", "currency": "USD"}
    assert [s["step"] for s in d["escalation"]] == ["seller", "platform", "chargeback", "regulator"]
    chargeback = _step(d, "chargeback")
    # 120 days from the promised delivery date ("Estimated delivery by"), later than the payment.
    assert parse_iso(chargeback["deadline"]) == parse_iso("2027-03-25T02:03:58+00:00")
    assert "120" in chargeback["basis"]["en"] and "Visa" in chargeback["basis"]["en"]
    platform = _step(d, "platform")  # "within 30 days of purchase", counted from the stated payment
    assert parse_iso(platform["deadline"]) == parse_iso("2026-12-24T02:03:58+00:00")
    assert "econsumer.gov" in _step(d, "regulator")["channel"]
    late, = _codes(d, "promise_broken")
    assert late["quote"] == "Delivery within 24 hours"
    assert parse_iso(late["due"]) == parse_iso("2026-11-25T02:03:58+00:00")  # paid + 24 h
    assert "No delivery is shown" in late["explanation"]["en"]
    assert "chargeback" in d["letters"]["chargeback"]["en"] and "G2X1124835217" in d["letters"]["chargeback"]["en"]
    assert "All sales are final" in {f["quote"] for f in _codes(d, "no_refund_claim")}


def test_seller_unresponsive__shop_pages_collected(app):
    shop = store_fixture(app, USER, "qs-faka-shop", "2026-11-24T14:30:00.000+08:00")
    order = store_fixture(app, USER, "qs-faka-order", "2026-11-24T14:36:00.000+08:00")
    d = open_dispute(app, USER, "seller_unresponsive", domain="yunshang-ka.cn", order_no="Dd261124143512a3f09c2d",
                     occurred_at="2026-11-24T16:00:00+08:00", created_at="2026-11-24T18:00:00+08:00",
                     now="2026-11-24T18:00:00+08:00")
    assert_invariants(app, USER, d)
    sources = [e["source"]["snapshot_id"] for e in d["timeline"]]
    assert sources[0] == shop.id and order.id in sources
    assert {f["quote"] for f in _codes(d, "unfair_term")} == {"平台不参与商品售卖"}
    assert d["order"]["seller"] == "小鹿游戏卡铺"
    assert not _row(d, "negotiation_record")["present"]
    platform = _step(d, "platform")  # "平台只处理24小时内订单": from the stated order time
    assert parse_iso(platform["deadline"]) == parse_iso("2026-11-25T14:35:12+08:00")


def test_shop_vanished__fraud_indicator_and_single_shop_product(app):
    item = store_fixture(app, USER, "acg-faka-item", "2026-11-24T15:30:00.000+08:00")
    store_fixture(app, USER, "acg-faka-order", "2026-11-24T15:33:00.000+08:00")
    d = open_dispute(app, USER, "shop_vanished", domain="qiyu-shop.cn", order_no="261124153208774512",
                     occurred_at="2026-11-25T09:00:00+08:00", created_at="2026-11-25T10:00:00+08:00",
                     now="2026-11-25T10:00:00+08:00")
    assert_invariants(app, USER, d)
    assert item.id in _row(d, "description")["evidence"]
    assert _step(d, "police")["reasons"] == ["shop_vanished"]
    assert {"无效包换", "自动发货"} <= {f["quote"] for f in _codes(d, "promise_broken")}


def test_not_as_described__by_snapshot_ids_without_an_order(app):
    product = store_fixture(app, USER, "zfaka-hyacinth-product", "2026-11-24T10:00:00.000+08:00")
    d = open_dispute(app, USER, "not_as_described", snapshot_ids=[product.id],
                     occurred_at="2026-11-24T12:00:00+08:00", created_at="2026-11-24T12:30:00+08:00",
                     now="2026-11-24T12:30:00+08:00", description="密钥是盗版，电话激活被拒")
    assert_invariants(app, USER, d)
    assert d["order"]["domain"] == "zhiyun-net.com" and d["order"]["order_no"] is None
    assert {"本站所有密钥均为正版渠道", "永久激活"} <= {f["quote"] for f in _codes(d, "promise_broken")}
    assert [r["item"] for r in d["checklist"] if not r["present"]][:1] == ["order_record"]
    assert "订单" in _row(d, "order_record")["how"]["zh"]


def test_other__stated_times_make_the_timeline(app):
    capture = store_fixture(app, USER, "caihong-query", "2026-11-24T10:40:00.000+08:00")
    d = open_dispute(app, USER, "other", domain="lingxi-shop.cn", order_no="20261124103358217",
                     occurred_at="2026-11-24T11:00:00+08:00", created_at="2026-11-24T11:00:00+08:00",
                     now="2026-11-24T11:00:00+08:00")
    assert_invariants(app, USER, d)
    assert [(e["phase"], e["stated_at"]) for e in d["timeline"]] == [
        ("transaction", "2026-11-24T10:33:58+08:00"), ("delivery", "2026-11-24T10:34:02+08:00"),
        ("delivery", None)]
    assert all(e["source"] == {"snapshot_id": capture.id} for e in d["timeline"])
    assert _codes(d, "promise_broken") == []
    assert {f["quote"] for f in _codes(d, "no_refund_claim")} == {"一经购买概不退款"}


def test_minor_purchase__guardian_does_not_ratify(app):
    _xingchen(app, changed=False)
    d = open_dispute(app, USER, "minor_purchase", domain="xingchen-km.com", order_no=XC_ORDER,
                     occurred_at="2026-11-26T11:00:00+08:00", created_at="2026-11-26T14:00:00+08:00",
                     now="2026-11-26T15:00:00+08:00", description="孩子用家长账号购买")
    assert_invariants(app, USER, d)
    minor, = _codes(d, "minor_purchase")
    assert "第十九条" in minor["explanation"]["zh"] and "¥188.00" in minor["explanation"]["zh"]
    assert _codes(d, "promise_broken") == []  # the goods are not said to be defective
    assert "确认该交易不发生效力并全额退款" in d["letters"]["platform"]["zh"]
    assert "户口本" in _row(d, "problem_proof")["how"]["zh"]
