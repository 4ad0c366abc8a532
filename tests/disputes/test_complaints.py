"""Ready-to-file complaints: the fields of 12315, 黑猫投诉 and the payment app's complaint entry,
filled from the dispute within each field's limit. (Every dispute scenario also checks them through
``scenario.assert_invariants``: limits, zh and en, no raw codes.)"""
from __future__ import annotations

from server import rules

from .complaint_checks import assert_complaints, raw_codes
from .scenario import attach, open_dispute, rebuild, store_fixture

USER = "u_complaints"
XC_ORDER = "XC20261124100322581"


def _xingchen(app):
    for name, at in (("xingchen-km-terms", "2026-11-24T09:50:00.000+08:00"),
                     ("xingchen-km-product", "2026-11-24T10:01:00.000+08:00"),
                     ("xingchen-km-order", "2026-11-24T10:06:00.000+08:00"),
                     ("xingchen-km-chat", "2026-11-26T13:00:00.000+08:00")):
        store_fixture(app, USER, name, at)


def _form(dispute, form) -> dict:
    complaint = next(c for c in dispute["complaints"] if c["form"] == form)
    return {f["key"]: f for f in complaint["fields"]}


def test_every_field_is_filled_from_the_dispute(app):
    _xingchen(app)
    d = open_dispute(app, USER, "invalid_code", domain="xingchen-km.com", order_no=XC_ORDER,
                     occurred_at="2026-11-24T18:00:00+08:00", created_at="2026-11-25T09:00:00+08:00",
                     now="2026-11-25T09:00:00+08:00", description="卡密登录提示密码错误。")
    assert_complaints(d)
    assert [c["form"] for c in d["complaints"]] == ["regulator", "heimao", "alipay"]  # paid with Alipay
    f = _form(d, "regulator")
    value = {k: v["value"]["zh"] for k, v in f.items()}
    assert value["party_name"] == "北极星游戏工作室（星辰卡盟上的店铺）"
    assert value["party_website"] == "https://www.xingchen-km.com"
    assert value["platform"] == "星辰卡盟（xingchen-km.com）"
    assert value["purchase_time"] == "2026-11-24 10:03"
    assert value["order_no"] == XC_ORDER and value["amount"] == "¥188.00"
    assert value["demand"] == "更换、退款"
    assert "卡密登录提示密码错误。" in value["facts"] and "卡密无效" in value["facts"]
    assert "2026-11-24 18:00" in value["facts"] and "和平精英" in value["facts"]
    for entry in d["evidence"]:
        assert f"证据{entry['no']}：" in value["evidence"] and entry["sha256"] in value["evidence"]
    heimao = _form(d, "heimao")
    assert heimao["title"]["value"]["zh"] == "星辰卡盟订单卡密无效，要求更换、退款"
    assert heimao["title"]["value"]["en"] == "星辰卡盟: invalid code"
    assert heimao["problem"]["value"] == {"zh": "卡密无效", "en": "invalid code"}
    alipay = _form(d, "alipay")
    assert alipay["pay_reason"]["value"] == {"zh": "商品与描述不符/无法使用", "en": "Not as described / broken"}
    assert len(alipay["pay_facts"]["value"]["zh"]) <= 200
    english = _form(d, "regulator")["facts"]["value"]["en"]
    assert english.startswith("On 2026-11-24 10:03 I bought") and "replacement, refund" in english


def test_long_texts_are_shortened_to_each_forms_limit_keeping_the_facts(app):
    _xingchen(app)
    told = "商家客服一直不回复，" * 80  # 800 characters of the buyer's own words
    d = open_dispute(app, USER, "shop_vanished", domain="xingchen-km.com", order_no=XC_ORDER,
                     occurred_at="2026-11-24T18:00:00+08:00", created_at="2026-11-25T09:00:00+08:00",
                     now="2026-11-25T09:00:00+08:00", description=told)
    # Many attachments: the evidence list is longer than its field.
    for n in range(40):
        attach(app, USER, d["id"], "other", f"screenshot {n}".encode() * 20, f"shot-{n}.txt",
               "2026-11-25T09:30:00.000+08:00")
    d = rebuild(app, USER, d["id"], "2026-11-25T10:00:00+08:00")
    assert_complaints(d)
    regulator = _form(d, "regulator")
    facts = regulator["facts"]["value"]["zh"]
    assert len(facts) <= 500 and XC_ORDER in facts and "¥188.00" in facts and "退款、赔偿" in facts
    assert "商家客服一直不回复" in facts and "…" in facts  # the buyer's words cut, the order's facts kept
    assert facts.endswith("可凭SHA-256核对。")
    listing = regulator["evidence"]["value"]
    for lang in ("zh", "en"):
        assert len(listing[lang]) <= regulator["evidence"]["max_length"]
        assert str(len(d["evidence"])) in listing[lang].splitlines()[-1]  # "… 共N项"
    assert listing["zh"].splitlines()[0].startswith("证据1：")
    short = _form(d, "alipay")["evidence_short"]["value"]["zh"]
    assert len(short) <= 500 and short.splitlines()[-1].startswith("……")


def test_the_limits_are_the_rules_files():
    fields = rules.entry("complaints", "fields")
    forms = rules.entry("complaints", "forms")
    assert {"regulator", "heimao", "wechat_pay", "alipay"} <= set(forms)
    for form in forms.values():
        assert set(form["fields"]) <= set(fields)
    assert fields["title"]["max"] < fields["facts"]["max"] < fields["facts_long"]["max"]


def test_raw_code_finder_finds_codes():
    assert raw_codes("订单状态 delivered，account_recovered", "zh") == ["account_recovered", "delivered"]
    assert raw_codes("paid with alipay", "en") == ["alipay"]
    assert raw_codes("Item 1: order page, SHA-256 ab12", "en") == []
    assert raw_codes("https://www.xingchen-km.com/user/order", "zh") == []
