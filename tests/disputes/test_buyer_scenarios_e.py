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
from .test_buyer_scenarios_d import USER, _body, _chat, _order, _product, _terms

RAW5 = re.compile(r"\b(?:duplicate_charge|fake_compensation|paypal_personal|refund_agreed|bundle_part|"
                  r"confirm_before_delivery|price_above_listing|surcharge_demand|refund_fee_scam|"
                  r"snp_[0-9a-f]+|att_[0-9a-f]+)\b")


def _readable(d: dict, raw: re.Pattern = RAW5) -> None:
    """assert_readable, and no finding code (``raw``; nor a raw evidence id) in any text a user reads."""
    assert_readable(d)
    for text in _all_texts(d):
        assert not raw.search(text), text


def _open(app, problem, no, occurred, now, description, domain="jinyu-km.com", raw: re.Pattern = RAW5):
    d = open_dispute(app, USER, problem, domain=domain, order_no=no, occurred_at=occurred, created_at=now, now=now,
                     description=description)
    assert_invariants(app, USER, d)
    _readable(d, raw)
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
    claim 10 × ¥15 = ¥150, quoting it; note that knowingly selling a fake is fraud with three times the price (and a minimum)
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


# === twenty situations rounds 1-4 did not cover ======================================================
# Each ``_sNN`` saves the pages and opens the dispute; the test beside it says what an advisor says.

def _s01_rental_reclaimed_early(app):
    no = "JY202612011000501"
    _product(app, "50601", "王者荣耀 租号 V8 全英雄 24小时", "12.00", ["租号24小时，到时自动收回", "租期内被收回全额退款"])
    _order(app, no, "王者荣耀 租号 V8 全英雄 24小时", "12.00", codes=["账号：zh8812 密码：Zu#8812（租期24小时）"])
    _chat(app, no, [("我", "2026-12-01 13:10", "才玩了3个小时账号就被顶下线改密了"),
                    ("星辰游戏店", "2026-12-01 13:20", "号主要用号，提前收回了，不退")], "2026-12-01T13:21:00.000+08:00")
    return _open(app, "account_recovered", no, "2026-12-01T13:00:00+08:00", "2026-12-01T14:00:00+08:00",
                 "租了24小时，3小时后账号被号主提前收回改密，商家不退")


def _s02_top_up_to_the_sellers_own_account(app):
    no = "JY202612011000502"
    _product(app, "50602", "和平精英 6000点券 代充", "450.00", ["提供游戏账号密码代充，30分钟内到账"])
    _order(app, no, "和平精英 6000点券 代充", "450.00", codes=["已充值至账号 hp_zz8812"])
    _chat(app, no, [("我", "2026-12-01 10:40", "hp_zz8812不是我的账号，我的账号一分没到"),
                    ("星辰游戏店", "2026-12-01 10:45", "充到我们中转号了，再转到你号上要加50元转移费")],
          "2026-12-01T10:46:00.000+08:00")
    return _open(app, "not_delivered", no, "2026-12-01T10:40:00+08:00", "2026-12-01T11:00:00+08:00",
                 "点券充到了商家自己控制的账号hp_zz8812，不是我的账号，商家还要50元转移费")


def _s03_top_up_paid_with_a_stolen_card_reversed(app):
    no = "JY202612011000503"
    _product(app, "50603", "原神 6480创世结晶 低价代充", "320.00", ["低价代充，官方渠道，安全不封号"])
    _order(app, no, "原神 6480创世结晶 低价代充", "320.00", codes=["充值UID：108834521 已充值"])
    return _open(app, "account_banned", no, "2026-12-08T09:00:00+08:00", "2026-12-08T10:00:00+08:00",
                 "一周后结晶被追回，游戏通知说这笔充值是用盗刷的信用卡付的，我的账号被封了")


def _s04_platform_froze_the_balance(app):
    no = "JY202612011000504"
    _terms(app, ["平台有权对涉嫌违规的账户冻结余额，冻结期间不得提现。", "本平台最终解释权归锦鱼卡盟所有。"])
    _order(app, no, "锦鱼卡盟 余额充值 500元", "500.00", codes=["余额充值成功 ¥500.00"], seller="锦鱼卡盟")
    _chat(app, no, [("我", "2026-12-03 10:00", "为什么我的余额被冻结了，我什么都没做"),
                    ("平台客服", "2026-12-03 10:30", "系统检测到账户风险，余额冻结，解冻时间另行通知")],
          "2026-12-03T10:31:00.000+08:00", seller="锦鱼卡盟客服")
    return _open(app, "platform_stalling", no, "2026-12-03T09:00:00+08:00", "2026-12-05T10:00:00+08:00",
                 "充值的500元余额被平台冻结，客服只说账户风险，不说原因也不说什么时候解冻，无法提现")


def _s05_permanent_warranty_said_to_have_ended(app):
    no = "JY202609011000505"
    _product(app, "50605", "英雄联盟 艾欧尼亚 全皮肤 成品号", "880.00", ["永久质保，被找回包赔"],
             at="2026-09-01T09:58:00.000+08:00")
    _order(app, no, "英雄联盟 艾欧尼亚 全皮肤 成品号", "880.00", created="2026-09-01 10:00:00", paid="2026-09-01 10:00:20",
           delivered="2026-09-01 10:01:00", codes=["账号：lol8812 密码：Lo#8812"], at="2026-09-01T10:02:00.000+08:00")
    _chat(app, no, [("我", "2026-12-02 09:00", "账号被原号主找回了，你们写的永久质保"),
                    ("星辰游戏店", "2026-12-02 09:30", "质保只有30天，早就过了，不管")], "2026-12-02T09:31:00.000+08:00")
    return _open(app, "account_recovered", no, "2026-12-01T20:00:00+08:00", "2026-12-02T10:00:00+08:00",
                 "三个月后账号被原号主找回，商品页写着永久质保，商家说质保只有30天已经过了")


def _s06_a_delivery_link_that_expired(app):
    no = "JY202612011000506"
    _product(app, "50606", "Adobe 全家桶 2026 永久激活版 网盘下载", "39.00", ["网盘链接永久有效，失效免费补发"])
    _order(app, no, "Adobe 全家桶 2026 永久激活版 网盘下载", "39.00",
           codes=["链接：https://pan.baidu.com/s/1aB7xQ 提取码：x7k9"])
    return _open(app, "invalid_code", no, "2026-12-04T10:00:00+08:00", "2026-12-04T11:00:00+08:00",
                 "三天后打开网盘链接，显示分享已过期，商家不补发")


def _s07_seller_asks_for_an_id_card_photo(app):
    no = "JY202612011000507"
    _order(app, no, "腾讯视频 超级影视VIP 年卡", "168.00", codes=["TXSP-8812-7761-0091"])
    _chat(app, no, [("我", "2026-12-01 11:00", "兑换码提示已被使用"),
                    ("星辰游戏店", "2026-12-01 11:10", "售后需要你发手持身份证正反面照片给我核实身份，不发不处理")],
          "2026-12-01T11:11:00.000+08:00")
    return _open(app, "invalid_code", no, "2026-12-01T11:00:00+08:00", "2026-12-01T12:00:00+08:00",
                 "兑换码已被使用，商家要我发手持身份证照片才给售后")


def _s08_refund_as_store_credit(app):
    no = "JY202612011000508"
    _order(app, no, "Steam 钱包充值卡 200元", "188.00", status="已退款", delivered=None,
           notice="退款金额：¥188.00 已退回至账户余额（余额不可提现，可用于购买本站商品）",
           at="2026-12-03T10:02:00.000+08:00")
    return _open(app, "not_delivered", no, "2026-12-02T10:00:00+08:00", "2026-12-03T11:00:00+08:00",
                 "一直没发货，商家把188元退到了平台余额，余额不能提现，我要原路退回支付宝")


def _s09_english_store_credit_instead_of_a_card_refund(app):
    _market(app, "KV-7781509", "Elden Ring Nightreign Steam Key (Global)", "34.99", "Visa ending 4421",
            notes=["Order cancelled: out of stock. 34.99 USD refunded as store credit to your KeyVault wallet."],
            at="2026-12-01T10:02:00.000+08:00", paid="2026-12-01 10:00")
    return _open(app, "not_delivered", "KV-7781509", "2026-12-01T10:00:00+08:00", "2026-12-02T10:00:00+08:00",
                 "The order was cancelled and refunded only as wallet credit; I want the money back on my card",
                 domain="keyvault.gg")


def _s10_taiwan_account_still_bound_to_the_sellers_phone(app):
    capture(app, P.tw_shop_product("寶物小舖", title="天堂W 80等 帳號", price="NT$3,200", lines=["首綁帳號，付款後轉移綁定"]),
            "https://www.baowu-tw.com/item/8812", "2026-12-01T09:58:00.000+08:00")
    capture(app, P.tw_shop_order("寶物小舖", order_no="TW20261201510", item="天堂W 80等 帳號", created="2026-12-01 10:00",
                                 amount="NT$3,200", status="已完成", payment="ATM 轉帳", codes=["帳號：lw8812 密碼：Lw#8812"]),
            "https://www.baowu-tw.com/order/TW20261201510", "2026-12-01T10:02:00.000+08:00")
    return _open(app, "account_recovered", "TW20261201510", "2026-12-05T10:00:00+08:00", "2026-12-05T12:00:00+08:00",
                 "賣家沒有解除手機綁定，帳號被用原手機找回了", domain="baowu-tw.com")


def _s11_month_card_ended_by_the_calendar_month(app):
    no = "JY202612211000511"
    _product(app, "50611", "爱奇艺黄金会员 月卡（30天）", "19.90", ["30天会员，自动发货"], at="2026-12-21T09:58:00.000+08:00")
    _order(app, no, "爱奇艺黄金会员 月卡（30天）", "19.90", created="2026-12-21 10:00:00", paid="2026-12-21 10:00:20",
           delivered="2026-12-21 10:01:00", codes=["IQY-2612-8812"], at="2026-12-21T10:02:00.000+08:00")
    _chat(app, no, [("我", "2027-01-01 10:00", "会员今天就到期了，才10天"),
                    ("星辰游戏店", "2027-01-01 10:30", "月卡按自然月算，到月底就结束，不是30天")],
          "2027-01-01T10:31:00.000+08:00")
    return _open(app, "not_as_described", no, "2027-01-01T00:00:00+08:00", "2027-01-01T11:00:00+08:00",
                 "买的30天月卡，11天后会员就到期了，商家说按自然月算")


def _s12_order_closed_after_payment(app):
    no = "JY202612011000512"
    _order(app, no, "QQ音乐 豪华绿钻 年卡", "118.00", status="交易关闭", delivered=None, payment="微信支付",
           notice="订单超时未处理，系统已自动关闭")
    return _open(app, "not_delivered", no, "2026-12-01T12:00:00+08:00", "2026-12-02T10:00:00+08:00",
                 "付了118元，订单显示交易关闭，没有发货，钱也没有退回")


def _s13_new_user_only_code_not_stated(app):
    no = "JY202612011000513"
    _product(app, "50613", "美团 外卖红包 满50减30 兑换码", "9.90", ["自动发货，即买即用"])
    _order(app, no, "美团 外卖红包 满50减30 兑换码", "9.90", codes=["MT50-30-88127761"])
    return _open(app, "invalid_code", no, "2026-12-01T10:05:00+08:00", "2026-12-01T11:00:00+08:00",
                 "兑换时提示仅限新用户使用，商品页完全没写只限新用户")


def _s14_slow_top_up_past_its_72_hours(app):
    no = "JY202612011000514"
    _product(app, "50614", "移动话费 慢充 100元", "92.00", ["慢充72小时内到账，超时全额退款"])
    _order(app, no, "移动话费 慢充 100元", "92.00", status="充值中", delivered=None)
    _chat(app, no, [("我", "2026-12-04 18:00", "已经80个小时了还没到账"),
                    ("星辰游戏店", "2026-12-04 18:30", "慢充最长要7天，再等等")], "2026-12-04T18:31:00.000+08:00")
    return _open(app, "not_delivered", no, "2026-12-04T10:00:20+08:00", "2026-12-04T19:00:00+08:00",
                 "慢充承诺72小时到账，80小时了话费没到，商家说要7天")


def _s15_out_of_stock_offered_only_credit_or_another_item(app):
    no = "JY202612011000515"
    _product(app, "50615", "Switch 任天堂 eShop 点卡 500港币", "420.00", ["现货秒发"])
    _order(app, no, "Switch 任天堂 eShop 点卡 500港币", "420.00", status="已付款", delivered=None)
    _chat(app, no, [("我", "2026-12-01 12:00", "怎么还没发"),
                    ("星辰游戏店", "2026-12-01 12:30", "没货了，只能换其他商品或者退到平台余额，不能原路退")],
          "2026-12-01T12:31:00.000+08:00")
    return _open(app, "not_delivered", no, "2026-12-01T12:00:00+08:00", "2026-12-01T13:00:00+08:00",
                 "写着现货秒发，付款后说没货，只肯换别的商品或退到余额，不肯原路退款")


def _s16_key_sold_to_several_buyers(app):
    no = "JY202612011000516"
    _product(app, "50616", "Windows 11 专业版 零售激活码 一机一码", "29.00", ["一机一码，独立密钥"])
    _order(app, no, "Windows 11 专业版 零售激活码 一机一码", "29.00", codes=["VK7JG-NPHTM-C97JM-9MPGT-3V77T"])
    _chat(app, no, [("我", "2026-12-01 10:30", "激活提示这个密钥已被其他设备使用"),
                    ("星辰游戏店", "2026-12-01 10:40", "这个码确实同时卖给了几个人，谁先激活算谁的")],
          "2026-12-01T10:41:00.000+08:00")
    return _open(app, "invalid_code", no, "2026-12-01T10:30:00+08:00", "2026-12-01T11:00:00+08:00",
                 "激活码已被其他设备使用，商家承认同一个码卖给了好几个人")


def _s17_seller_cancels_because_the_price_went_up(app):
    no = "JY202612011000517"
    _product(app, "50617", "PS5 PSN 港服 点卡 1000港币", "850.00", ["自动发货"])
    _order(app, no, "PS5 PSN 港服 点卡 1000港币", "850.00", status="已退款", delivered=None,
           notice="卖家已取消订单，退款金额：¥850.00 已原路退回", at="2026-12-01T12:00:00.000+08:00")
    _chat(app, no, [("星辰游戏店", "2026-12-01 11:30", "进货价涨了，这单不发了，钱原路退你了，要的话现在得950")],
          "2026-12-01T11:31:00.000+08:00")
    return _open(app, "other", no, "2026-12-01T11:30:00+08:00", "2026-12-01T12:10:00+08:00",
                 "付款后卖家说涨价不发货，单方面取消订单退款，要我按950元重新买")


def _s18_livestream_gift_never_given(app):
    no = "JY202612011000518"
    _order(app, no, "【直播间专享】原神 空月祝福 月卡 ×12", "300.00", codes=[f"YS-MONTH-{i:04d}" for i in range(12)])
    return _open(app, "not_as_described", no, "2026-12-02T10:00:00+08:00", "2026-12-02T12:00:00+08:00",
                 "直播间主播口播说买12个月送6个月，下单后只给了12个，赠送的6个不给了，主播说没说过")


def _s19_five_codes_two_do_not_work(app):
    no = "JY202612011000519"
    capture(app, P.shop_order("星河卡铺", order_no=no, item="Xbox Game Pass Ultimate 1个月", quantity=5,
                              created="2026-12-01 10:00:00", amount="150.00", status="已完成", payment="支付宝",
                              codes=[f"XGPU-1M-{i}812-7761" for i in range(5)]),
            f"https://www.xinghe-ka.com/detail-order-sn/{no}", "2026-12-01T10:02:00.000+08:00")
    return _open(app, "invalid_code", no, "2026-12-01T10:10:00+08:00", "2026-12-01T11:00:00+08:00",
                 "5个码里有2个兑换提示无效，另外3个能用", domain="xinghe-ka.com")


def _s20_seller_wants_the_review_changed_for_the_refund(app):
    no = "JY202612011000520"
    _order(app, no, "网易云音乐 黑胶VIP 季卡", "38.00", codes=["WYY-88-1276"])
    _chat(app, no, [("我", "2026-12-01 10:20", "兑换码无效，请退款"),
                    ("星辰游戏店", "2026-12-01 10:30", "你先把差评删了改成五星好评，我再给你退款")],
          "2026-12-01T10:31:00.000+08:00")
    return _open(app, "invalid_code", no, "2026-12-01T10:20:00+08:00", "2026-12-01T11:00:00+08:00",
                 "兑换码无效，商家要我先删差评改五星好评才退款")


def _seller(d: dict, lang: str = "zh") -> str:
    return _body(d["letters"]["seller"][lang])


# --- right before round 5 (kept so a change that breaks them shows) ---------------------------------

def test_01_rental_account_reclaimed_three_hours_into_24(app):
    """Advisor: a 24-hour rental (租号) taken back after 3 hours, and the listing says 「租期内被收回全额
    退款」: the seller's own remedy is the whole ¥12, claimed as promised; the chat holds its refusal."""
    d = _s01_rental_reclaimed_early(app)
    broken, = _codes(d, "promise_broken")
    assert broken["promise_kind"] == "refund" and "全额退款" in broken["quote"]
    assert "按承诺全额退款" in _seller(d)
    assert _states(d)["negotiation_record"] == "present"
    assert _steps(d) == ["seller", "platform", "regulator", "consumer_association"]


def test_03_top_up_paid_with_a_stolen_card_reversed(app):
    """Advisor: a cheap 代充 the game reversed a week later as paid with a stolen card, and banned the
    account: 「官方渠道」「不封号」 were false; replacement or refund. Below ¥5000 and with no word of
    the seller's own taking back, no police step (round 2's rule for stolen goods)."""
    d = _s03_top_up_paid_with_a_stolen_card_reversed(app)
    assert {f["quote"] for f in _codes(d, "promise_broken")} == {"不封号", "官方渠道"}
    assert _steps(d) == ["seller", "platform", "regulator", "consumer_association"]
    assert _states(d)["problem_proof"] == "missing"  # the game's ban notice is the proof to save


def test_05_permanent_warranty_the_seller_says_ended(app):
    """Advisor: 「永久质保，被找回包赔」 on the product page, recovered after three months, and the
    seller says the warranty was 30 days: the page's promise governs, not what the chat says now."""
    d = _s05_permanent_warranty_said_to_have_ended(app)
    assert {f["quote"] for f in _codes(d, "promise_broken")} >= {"被找回包赔"}
    assert "恢复账号或按承诺全额退款" in _seller(d)
    assert _states(d)["negotiation_record"] == "present"


def test_06_download_link_that_expired(app):
    """Advisor: 「网盘链接永久有效，失效免费补发」: the expired share link is claimed under the seller's
    replacement promise: a new link, or a refund."""
    d = _s06_a_delivery_link_that_expired(app)
    assert "失效免费补发" in {f["quote"] for f in _codes(d, "promise_broken")}
    assert "更换有效的卡密或退款" in _seller(d)


def test_10_taiwan_account_still_bound_to_the_sellers_phone(app):
    """Advisor: NT$3,200 by ATM transfer for a 「首綁」 account recovered through the seller's phone: the
    first-owner promise is broken; no card, so no chargeback; the shop, then econsumer.gov; TWD kept."""
    d = _s10_taiwan_account_still_bound_to_the_sellers_phone(app)
    assert [f["quote"] for f in _codes(d, "promise_broken")] == ["首綁"]
    assert _steps(d) == ["seller", "platform", "regulator"]
    assert d["order"]["amount"] == {"amount": "3200.00", "currency": "TWD"}
    assert "12315" not in d["letters"]["seller"]["zh"]


def test_12_order_closed_after_payment_without_a_refund(app):
    """Advisor: paid ¥118 by WeChat, the order says 交易关闭, nothing came and no money went back: a
    full refund (and the WeChat bill's complaint beside the platform)."""
    d = _s12_order_closed_after_payment(app)
    assert "全额退款" in _seller(d)
    assert _step(d, "platform")["payment_channel"]["app"] == "wechat"
    assert _codes(d, "refund_to_balance") == [] and _codes(d, "duplicate_charge") == []


def test_13_new_user_only_code_the_page_did_not_say(app):
    """Advisor: the code works only for new users and the page never said so: argued from what the
    order sold (消法第二十三、二十四条); nothing invents a promise the page did not make."""
    d = _s13_new_user_only_code_not_stated(app)
    assert _codes(d, "promise_broken") == []
    assert "订单所购商品为「美团 外卖红包 满50减30 兑换码」" in _seller(d)


def test_14_slow_top_up_past_its_72_hours(app):
    """Advisor: 「慢充72小时内到账，超时全额退款」, 80 hours and nothing, the seller now says 7 days: the
    promised refund is owed now, not after 7 days."""
    d = _s14_slow_top_up_past_its_72_hours(app)
    assert {f["quote"] for f in _codes(d, "promise_broken")} == {"72小时内到账", "全额退款"}
    assert "按承诺全额退款" in _seller(d)


def test_18_livestream_gift_spoken_only_in_the_stream(app):
    """Advisor: the 「买12送6」 was said aloud in a livestream; no saved page states it. KaDun must not
    invent the promise: it argues from the order, and the description evidence stays partial (save the
    replay or a screen recording)."""
    d = _s18_livestream_gift_never_given(app)
    assert _codes(d, "promise_broken") == []
    assert _states(d)["description"] == "partial" and _states(d)["problem_proof"] == "missing"
    assert "送6" not in _seller(d).split("。", 1)[1].split("依据")[1]


# --- wrong or missing before round 5, fixed by class ------------------------------------------------

def test_02_top_up_credited_to_the_sellers_own_account_and_a_transfer_fee(app):
    """Advisor: the points went to an account the seller controls, and it wants ¥50 to "transfer" them:
    nothing was delivered to the buyer; do not pay the fee, ask for the top-up or a full refund. KaDun
    missed the fee demand (「加50元转移费」 is a surcharge like 补差价: clauses.toml [surcharge_fees])."""
    d = _s02_top_up_to_the_sellers_own_account(app)
    fee, = _codes(d, "surcharge_demand")
    assert "50元转移费" in fee["quote"]
    assert "我不会补差价" in _seller(d) and "立即发货或全额退款" in _seller(d)
    from server.risk import clauses

    assert clauses.surcharge("要加30元手续费才能发货") and clauses.surcharge("手续费由卖家承担") is None


def test_07_seller_asks_for_a_photo_holding_the_id_card(app):
    """Advisor: never send an ID card photo for after-sales: the order is enough (个人信息保护法第六条,
    minimum necessary), and such photos feed impersonation. KaDun said nothing (new finding
    `personal_documents`); the letters refuse the request."""
    d = _s07_seller_asks_for_an_id_card_photo(app)
    ask, = _codes(d, "personal_documents")
    assert "手持身份证" in ask["quote"] and "请不要发送" in ask["explanation"]["zh"]
    assert "Do not send them" in ask["explanation"]["en"]
    assert "我不会提供" in _seller(d) and "《个人信息保护法》第六条" in _seller(d)
    assert "更换有效的卡密或退款" in _seller(d)


def test_07b_asking_for_the_order_and_a_screenshot_is_ordinary(app):
    """Counter-examples: 「请提供订单号和兑换失败的截图」 asks for evidence, not identity; an order page's
    own notice to complete a game's real-name check (防沉迷) is the site's compliance step, no demand."""
    no = "JY202612011000557"
    _order(app, no, "腾讯视频 超级影视VIP 年卡", "168.00", codes=["TXSP-8812-7761-0092"],
           notice="根据防沉迷规定，充值账号须提供身份证号完成实名认证")
    _chat(app, no, [("星辰游戏店", "2026-12-01 11:10", "请提供订单号和兑换失败的截图，我们核实后处理")],
          "2026-12-01T11:11:00.000+08:00")
    d = _open(app, "invalid_code", no, "2026-12-01T11:00:00+08:00", "2026-12-01T12:00:00+08:00", "兑换码已被使用")
    assert _codes(d, "personal_documents") == []
    from server.risk import clauses

    assert clauses.personal_documents("发一下身份证正反面照片") and clauses.personal_documents("please send me your ID")
    assert clauses.personal_documents("本平台已通过实名认证") is None


def test_08_refund_put_into_a_balance_that_cannot_be_withdrawn(app):
    """Advisor: ¥188 "refunded" into a platform balance that cannot be withdrawn is no refund: the money
    stays with them. Do not spend it; ask for it back the way it was paid; the Alipay bill's complaint
    and 12315 next. KaDun took the 已退款 page at its word and asked "deliver or refund" (new finding
    `refund_to_balance`: the ask is the money back by the original route)."""
    d = _s08_refund_as_store_credit(app)
    bal, = _codes(d, "refund_to_balance")
    assert bal["made"] and "账户余额" in bal["quote"]
    assert "原路退回" in bal["explanation"]["zh"] and "不要用这笔余额再下单" in bal["explanation"]["zh"]
    seller = _seller(d)
    assert "我不接受" in seller and "按原付款方式全额退款（原路退回，不接受余额）" in seller
    assert "refund in full to the original payment method" in d["letters"]["seller"]["en"]


def test_09_english_store_credit_instead_of_a_card_refund(app):
    """Advisor (English, cross-border, Visa): the marketplace cancelled and "refunded" as wallet credit:
    ask for the card refund; if refused, the card's dispute (Visa 13.1, nothing received) stands."""
    d = _s09_english_store_credit_instead_of_a_card_refund(app)
    bal, = _codes(d, "refund_to_balance")
    assert "store credit" in bal["quote"] and "original payment method" in bal["explanation"]["en"]
    assert _steps(d) == ["seller", "platform", "chargeback", "regulator"]
    assert "13.1" in d["letters"]["chargeback"]["en"]
    assert "12315" not in d["letters"]["seller"]["zh"]


def test_15_out_of_stock_and_offered_only_a_balance(app):
    """Advisor: 「现货秒发」, then "no stock: another item or a balance refund, not to the original route":
    the buyer may refuse both and ask for the money back; the broken 「秒发」 stands. The offer is told
    as an offer (not a refund made), and the ask stays "deliver or refund in full"."""
    d = _s15_out_of_stock_offered_only_credit_or_another_item(app)
    bal, = _codes(d, "refund_to_balance")
    assert not bal["made"] and "您可以拒绝" in bal["explanation"]["zh"]
    assert "立即发货或全额退款" in _seller(d) and "我不接受" in _seller(d)


def test_15b_a_refund_to_the_original_route_is_no_balance(app):
    """Counter-example: 「已原路退回」 (and the buyer's own 「我不要余额」) is no balance refund."""
    d = _s17_seller_cancels_because_the_price_went_up(app)
    assert _codes(d, "refund_to_balance") == []
    from server.risk import clauses

    assert clauses.refund_to_balance("退款已原路退回至支付宝") is None
    assert clauses.refund_to_balance("我不要余额，要退回银行卡") is None
    assert clauses.refund_to_balance("已退款至您的会员余额")


def test_11_month_card_that_ended_on_day_11(app):
    """Advisor: a 「月卡（30天）」 that ended on day 11 ("按自然月算"): 19 of its 30 days were not had:
    restore them, or refund 19/30 of ¥19.90 = ¥12.60. KaDun argued only "not as described" and asked
    for the whole (`unused_term` counted only bans and recoveries; now also a period service the
    buyer says ended early)."""
    d = _s11_month_card_ended_by_the_calendar_month(app)
    unused, = _codes(d, "unused_term")
    assert unused["term"] == {"days": 30, "used": 11, "left": 19}
    assert "¥12.60" in _seller(d) and "恢复剩余19天的服务" in _seller(d)


def test_11b_a_wrong_membership_tier_is_no_unused_term(app):
    """Counter-example: the same card "not as described" for another reason (the tier) is no term cut
    short: no share."""
    no = "JY202612211000561"
    _order(app, no, "爱奇艺黄金会员 月卡（30天）", "19.90", created="2026-12-21 10:00:00", paid="2026-12-21 10:00:20",
           delivered="2026-12-21 10:01:00", codes=["IQY-2612-8813"], at="2026-12-21T10:02:00.000+08:00")
    d = _open(app, "not_as_described", no, "2027-01-01T00:00:00+08:00", "2027-01-01T11:00:00+08:00",
              "开通的是星钻体验会员，不是黄金会员")
    assert _codes(d, "unused_term") == []


def test_16_key_sold_to_several_buyers(app):
    """Advisor: the seller admits it sold the same key to several buyers ("谁先激活算谁的"): that is
    knowingly selling what was already sold, fraud (消法第五十五条: refund and three times the price,
    at least ¥500), and a police matter whatever the amount, like a seller taking back an account
    it sold. KaDun had no police step (police reason `resold`)."""
    d = _s16_key_sold_to_several_buyers(app)
    assert _steps(d) == ["seller", "platform", "regulator", "consumer_association", "police"]
    police = _step(d, "police")
    assert police["reasons"] == ["resold"] and "第五十五条" in police["basis"]["zh"]
    assert "sold the same code or account to several buyers" in police["basis"]["en"]


def test_16b_a_used_key_alone_is_no_resale(app):
    """Counter-example: "已被其他设备使用" alone says nothing of the seller selling it twice: no police."""
    no = "JY202612011000566"
    _order(app, no, "Windows 11 专业版 零售激活码", "29.00", codes=["VK7JG-NPHTM-C97JM-9MPGT-3V88T"])
    d = _open(app, "invalid_code", no, "2026-12-01T10:30:00+08:00", "2026-12-01T11:00:00+08:00", "激活提示密钥已被其他设备使用")
    assert "police" not in _steps(d)
    from server.risk import clauses

    assert clauses.resold("这个号卖给了好几个人") and clauses.resold("he sold the same key to several buyers")
    assert clauses.resold("卖给了我") is None


def test_19_five_codes_two_of_which_do_not_work(app):
    """Advisor: 5 Game Pass codes for ¥150, 2 fail: replace those 2 or refund 2/5 = ¥60; the 3 that work
    are not returned. KaDun asked to replace "the code" or refund the whole order (now `partial_delivery`
    with `invalid`, from the buyer's own count)."""
    d = _s19_five_codes_two_do_not_work(app)
    part, = _codes(d, "partial_delivery")
    assert part["invalid"] == 2 and part["delivery"] == {"quantity": 5, "delivered": 3, "missing": 2}
    seller = _seller(d)
    assert "更换不能使用的2条卡密，或退还这部分货款 ¥60.00" in seller and "您说" not in seller
    assert "refund that part of the price, 60.00 CNY" in d["letters"]["seller"]["en"]


def test_19b_a_failing_code_without_a_count_claims_the_order(app):
    """Counter-example: "兑换提示无效" counts nothing: the order is claimed as before."""
    no = "JY202612011000569"
    capture(app, P.shop_order("星河卡铺", order_no=no, item="Xbox Game Pass Ultimate 1个月", quantity=5,
                              created="2026-12-01 10:00:00", amount="150.00", status="已完成", payment="支付宝",
                              codes=[f"XGPU-1M-{i}812-7762" for i in range(5)]),
            f"https://www.xinghe-ka.com/detail-order-sn/{no}", "2026-12-01T10:02:00.000+08:00")
    d = _open(app, "invalid_code", no, "2026-12-01T10:10:00+08:00", "2026-12-01T11:00:00+08:00", "兑换提示无效",
              domain="xinghe-ka.com")
    assert _codes(d, "partial_delivery") == [] and "更换有效的卡密或退款" in _seller(d)


def test_20_refund_offered_only_for_a_five_star_review(app):
    """Advisor: "delete the bad review and give five stars, then I refund" is a demand, not a promise
    to refund (round 5's own chat-refund rule first read it as one: fixed by [chat_refund_promise]
    conditional). The refund for a code that does not work owes nothing to a review: keep the review,
    report the demand to the platform (new finding `review_for_refund`; the letters say so)."""
    d = _s20_seller_wants_the_review_changed_for_the_refund(app)
    assert _codes(d, "promise_broken") == []
    tied, = _codes(d, "review_for_refund")
    assert "不必修改评价" in tied["explanation"]["zh"] and "need not change your review" in tied["explanation"]["en"]
    seller = _seller(d)
    assert "不以修改或删除评价为条件" in seller and "更换有效的卡密或退款" in seller


def test_20b_asking_for_a_good_review_after_a_delivery_is_ordinary():
    """Counter-example: 「收到货请给个好评哦」 ties nothing to the refund."""
    from server.risk import clauses

    assert clauses.review_for_refund("收到货请给个好评哦") is None
    assert clauses.review_for_refund("追加评价可以领红包") is None
    assert clauses.review_for_refund("给个五星好评才退款")


# --- still thin (recorded as they are; README round-5 notes) ----------------------------------------

def test_04_platform_froze_the_buyers_balance(app):
    """Advisor: the platform froze ¥500 of the buyer's balance "for account risk" with no reason or
    date: ask the platform for the reason and its basis and to unfreeze or refund (电商法第五十九条
    complaint handling), then 12315. KaDun's plan reaches the platform and 12315 and flags the
    platform's 最终解释权 clause; its first letter still goes to the platform as "the seller", with a
    generic ask (left: no problem kind for a platform acting against its own user)."""
    d = _s04_platform_froze_the_balance(app)
    assert _steps(d)[:3] == ["seller", "platform", "regulator"]
    assert _codes(d, "unfair_term")


# --- wrong before round 5, fixed by class (continued) ---------------------------------------------

def test_17_seller_cancels_the_paid_order_because_the_price_rose(app):
    """Advisor: the seller cancelled a paid order because its cost rose and offers it again at ¥950:
    the contract was made when the order was submitted and paid (电商法第四十九条): ask for delivery at
    ¥850, or the ¥100 more it now asks; do not pay the new price. KaDun asked only to "negotiate"
    (new finding `price_rise_cancel`, clauses.toml [price_rise_cancel])."""
    d = _s17_seller_cancels_because_the_price_went_up(app)
    cancel, = _codes(d, "price_rise_cancel")
    assert cancel["price"] == {"paid": "850.00", "asked": "950.00", "difference": "100.00", "currency": "CNY"}
    assert "第四十九条" in cancel["explanation"]["zh"] and "请不要按新价格重新付款" in cancel["explanation"]["zh"]
    seller = _seller(d)
    assert "按已付的 ¥850.00 交付商品，不另加价；不交付的，赔偿多付的 ¥100.00" in seller
    assert "协商处理本订单的问题" not in seller
    assert "Article 49 of the E-Commerce Law" in d["letters"]["platform"]["en"]


def test_17b_a_difference_asked_to_complete_the_order_is_a_surcharge_not_a_cancellation():
    """Counter-example: 「涨价了，补差价20元才能发货」 keeps the order alive and asks for more: a surcharge
    (do not pay it), not a cancellation."""
    from server.risk import clauses

    assert clauses.price_rise_cancel("涨价了，补差价20元才能发货") is None and clauses.surcharge("涨价了，补差价20元才能发货")
    assert clauses.price_rise_cancel("价格调整了，原价单取消，可以重新下单")
    assert clauses.price_rise_cancel("价格以下单时为准") is None
