"""Buyers' real situations, round 6: first the three gaps round 5 left (a platform that freezes the
buyer's own balance, a promise made only in a livestream, a page saved dozens of times that filled
the timeline), then situations rounds 1-5 did not cover, built the same way: pages a buyer saw
(buyer_pages.py), read by the scrapers as POST /v1/snapshots reads them, stored at the moments the
buyer saved them, then the dispute as KaDun builds it. Each docstring says what a consumer-rights
advisor would tell this buyer, as far as docs/LEGAL.md supports it; the test checks KaDun says that
(and nothing it should not) in zh-CN and en. Where round 6 changed the engine, a counter-example
test beside the scenario shows where the new rule stops."""
from __future__ import annotations

import re
from functools import partial

from . import buyer_pages as P
from . import test_buyer_scenarios_e as scenarios_e
from .test_buyer_scenarios import JINYU, JINYU_ICP, _codes, _states, _step, _steps, capture
from .test_buyer_scenarios_d import KM, _body, _chat, _order, _product, _terms

RAW6 = re.compile(r"\b(?:account_frozen|livestream_promise|refund_fee_scam|platform_stalling|refund_to_balance|"
                  r"snp_[0-9a-f]+|att_[0-9a-f]+)\b")


# Round 5's checks, with this round's codes.
_readable = partial(scenarios_e._readable, raw=RAW6)
_open = partial(scenarios_e._open, raw=RAW6)


def _seller(d: dict, lang: str = "zh") -> str:
    return _body(d["letters"]["seller"][lang])


# === gap 3: one order page saved 36 times ============================================================

def _order_html(no: str, token: int, status: str = "已付款") -> str:
    html = P.kameng_order(JINYU, order_no=no, item="原神 创世结晶 6480 UID直充", seller="星辰游戏店", amount="648.00",
                          status=status, created="2026-12-01 10:00:00", paid="2026-12-01 10:00:20", delivered=None,
                          payment="支付宝", codes=[], icp=JINYU_ICP)
    # Each load of the page carries a fresh form token: other bytes, the same page and facts.
    return html.replace("</body>", f'<form><input type="hidden" name="_token" value="tk{token:06d}x"></form></body>')


def test_g3_a_page_saved_36_times_is_one_timeline_entry(app):
    """The buyer refreshed the undelivered order page for hours; the extension saved it 36 times (each
    load with a new form token, so 36 different hashes). The timeline gave 40 entries (36 + the
    page's stated times) for one page that said the same thing: now one entry, "seen 36
    times between A and B", with every capture's id still reachable in the entry and in the
    evidence list (and so in the pack)."""
    no = "JY202612011000601"
    ids = []
    for i in range(36):
        at = f"2026-12-01T{10 + i // 6:02d}:{(i % 6) * 10 + 2:02d}:00.000+08:00"
        ids.append(capture(app, _order_html(no, i), f"{KM}/user/order/{no}", at).id)
    d = _open(app, "not_delivered", no, "2026-12-01T12:00:00+08:00", "2026-12-01T16:30:00+08:00", "付款后一直没有发货")
    saved = [e for e in d["timeline"] if "stated_at" in e and e["stated_at"] is None]
    assert len(saved) == 1, [e["summary"]["zh"] for e in d["timeline"]]
    entry, = saved
    assert entry["source"] == {"snapshot_id": ids[0]}
    assert [f["snapshot_id"] for f in entry["folded"]] == ids[1:]
    assert {s["snapshot_id"] for s in entry["sightings"]} == set(ids)
    assert entry["seen"] == {"count": 36, "first": "2026-12-01T10:02:00.000+08:00",
                             "last": "2026-12-01T15:52:00.000+08:00"}
    assert "共保存36次（2026-12-01 10:02:00 (UTC+08:00) 至 2026-12-01 15:52:00 (UTC+08:00)）" in entry["summary"]["zh"]
    assert ("seen 36 times between 2026-12-01 10:02:00 (UTC+08:00) and 2026-12-01 15:52:00 (UTC+08:00)"
            in entry["summary"]["en"])
    assert len(d["timeline"]) == 3  # the entry and the page's stated order and payment times
    assert {i for e in d["evidence"] for i in e["ids"]} == set(ids)  # the pack still lists every capture
    assert entry["evidence_no"] == 1 and [e["no"] for e in d["evidence"]] == list(range(1, 37))


def test_g3b_a_page_whose_facts_changed_is_not_folded_into_its_earlier_version(app):
    """Counter-example: the same order page saved while 已付款, then 已退款, then 已付款 again (the
    shop reversed its refund): three entries, the change and its reversal both visible; and two
    different pages with the same facts are never one entry."""
    no = "JY202612011000602"
    for i, (status, at) in enumerate([("已付款", "10:02"), ("已付款", "10:12"), ("已退款", "11:02"),
                                      ("已付款", "12:02")]):
        capture(app, _order_html(no, 100 + i, status), f"{KM}/user/order/{no}", f"2026-12-01T{at}:00.000+08:00")
    d = _open(app, "not_delivered", no, "2026-12-01T12:00:00+08:00", "2026-12-01T13:00:00+08:00", "退款又被撤回了，一直没有发货")
    saved = [e for e in d["timeline"] if e["stated_at"] is None]
    assert [len(e.get("folded", [])) for e in sorted(saved, key=lambda e: e["received_at"])] == [1, 0, 0]
    assert len(d["evidence"]) == 4


# === gap 1: the platform freezes the buyer's own balance =============================================

def _frozen(app, no, amount, support_line, *, told, clauses=("平台有权对涉嫌违规的账户冻结余额，冻结期间不得提现。",)):
    _terms(app, list(clauses))
    _order(app, no, f"锦鱼卡盟 余额充值 {amount}元", f"{amount}.00", codes=[f"余额充值成功 ¥{amount}.00"], seller="锦鱼卡盟")
    _chat(app, no, [("我", "2026-12-03 10:00", "为什么我的余额被冻结了，我什么都没做"), ("平台客服", "2026-12-03 10:30", support_line)],
          "2026-12-03T10:31:00.000+08:00", seller="锦鱼卡盟客服")
    return _open(app, "platform_stalling", no, "2026-12-03T09:00:00+08:00", "2026-12-05T10:00:00+08:00", told)


def test_g1_platform_froze_6000_of_the_buyers_own_balance(app):
    """Advisor: the platform froze ¥6000 the buyer had topped up ("系统检测到账户异常，余额已冻结"), gives no
    reason and no date. It is the buyer's own money: ask through the platform's complaint channel for
    the reason, the rule and the release date, and the balance's records (电商法第五十九条、第六十二条);
    its "有权冻结余额" clause cannot take the money (消法第二十六条); then 12315. No police: a freeze is
    no theft by its size (¥6000 is over the ¥5000 rule of thumb). KaDun had no finding (round 5
    recorded it as thin) and its letters asked the "seller" to "resolve this order"."""
    d = _frozen(app, "JY202612011000611", "6000", "系统检测到账户异常，余额已冻结，解冻时间另行通知",
                told="充值的6000元余额被平台冻结，客服不说原因也不说什么时候解冻，无法提现")
    frozen, = _codes(d, "account_frozen")
    assert frozen["quote"] == "系统检测到账户异常，余额已冻结，解冻时间另行通知" and frozen["source"] == "page"
    assert frozen["nearest_problem"] == "platform_stalling"
    zh, en = frozen["explanation"]["zh"], frozen["explanation"]["en"]
    assert "第五十九条" in zh and "第六十二条" in zh and "第二十六条" in zh and "按最接近的“平台推诿”处理" in zh
    assert "申诉/投诉入口" in zh and "解冻费" in zh and "立即报警" in zh
    assert "the platform's own appeal / complaint channel" in en and "nearest" in en
    assert _steps(d) == ["seller", "platform", "regulator", "consumer_association"]  # no police for the size
    for step in ("seller", "platform", "regulator"):
        letter = d["letters"][step]
        assert "解冻我的账户余额并允许提现" in letter["zh"] and "release my frozen balance" in letter["en"], step
        assert "「系统检测到账户异常，余额已冻结，解冻时间另行通知」" in letter["zh"], step
    assert "协商处理本订单的问题" not in d["letters"]["seller"]["zh"]


def test_g1b_a_platform_that_asks_for_a_top_up_to_activate_withdrawals_is_a_scam(app):
    """Advisor: a "platform" took a ¥2000 deposit, then 「账户异常，请联系客服」, and its support asks for
    another top-up "to activate" before any withdrawal: the platform itself is the scam (解冻费/保证金
    pattern). Stop paying; the police, whatever the amount, with the stop-paying basis; the money
    already sent is claimed back through the payment app's bill complaint."""
    capture(app, P.kameng_order("汇通易购", order_no="HT20261203001", item="账户余额充值", seller="汇通易购", amount="2000.00",
                                status="已完成", created="2026-12-03 09:00:00", paid="2026-12-03 09:00:30",
                                delivered="2026-12-03 09:00:31", payment="支付宝", codes=["充值成功 ¥2000.00"],
                                icp="", notice="账户异常，请联系客服"),
            "https://www.huitong-yg.com/user/order/HT20261203001", "2026-12-03T09:05:00.000+08:00")
    capture(app, P.kameng_chat("汇通易购", seller="汇通易购在线客服", order_no="HT20261203001", icp="",
                               messages=[("我", "2026-12-03 09:10", "提现一直失败，显示账户异常"),
                                         ("汇通易购在线客服", "2026-12-03 09:15", "您的账户异常，需再充值1000元激活后才能提现")]),
            "https://www.huitong-yg.com/user/chat/HT20261203001", "2026-12-03T09:16:00.000+08:00")
    d = _open(app, "platform_stalling", "HT20261203001", "2026-12-03T09:10:00+08:00", "2026-12-03T10:00:00+08:00",
              "充值2000元后账户被冻结无法提现，客服要我再充1000元激活才能提现", domain="huitong-yg.com")
    assert _codes(d, "account_frozen")
    police = _step(d, "police")
    assert police["reasons"] == ["unfreeze_fee"]
    assert "再充值1000元激活后才能提现" in police["basis"]["zh"] and "请立即停止付款" in police["basis"]["zh"]
    assert "Stop paying now" in police["basis"]["en"] and "a known scam" in police["basis"]["en"]
    assert _step(d, "platform")["payment_channel"]["app"] == "alipay"


def test_g1c_a_freeze_rule_or_the_sellers_frozen_shop_is_no_frozen_balance(app):
    """Counter-examples: a platform rule that it *may* freeze balances, and a seller whose own shop is
    frozen (so it cannot deliver), freeze nothing of the buyer's: no finding, the usual plan."""
    no = "JY202612011000613"
    _terms(app, ["平台有权对涉嫌违规的账户冻结余额，冻结期间不得提现。"])
    _order(app, no, "QQ音乐 豪华绿钻 年卡", "118.00", status="已付款", delivered=None)
    _chat(app, no, [("我", "2026-12-01 12:00", "怎么还没发货"), ("星辰游戏店", "2026-12-01 12:10", "我们店铺账户被冻结了，暂时发不了货")],
          "2026-12-01T12:11:00.000+08:00")
    d = _open(app, "not_delivered", no, "2026-12-01T12:00:00+08:00", "2026-12-01T13:00:00+08:00", "付款后一直不发货")
    assert _codes(d, "account_frozen") == [] and "立即发货或全额退款" in _seller(d)
    from server.risk import frozen

    assert frozen.frozen_words("您的余额已被冻结") and frozen.frozen_words("封号后余额不退")
    assert frozen.frozen_words("Your wallet balance has been frozen")
    for line in ("平台有权冻结违规账户余额", "如账户涉嫌违规，余额将被冻结", "商家保证金已冻结"):
        assert frozen.frozen_words(line) is None, line
    assert frozen.unfreeze_fee("需再充值1000元激活后才能提现") and frozen.unfreeze_fee("余额冻结，解冻时间另行通知") is None


def test_g1d_a_bought_game_account_frozen_by_the_game_is_a_ban_not_a_frozen_balance(app):
    """Counter-example: a bought game account the game froze (「账号已被冻结」) holds none of the buyer's
    money on the platform: the ban's plan, no frozen-balance finding; 「账户异常」 alone counts only
    after a deposit into the platform's balance."""
    no = "JY202612011000614"
    _order(app, no, "王者荣耀 安卓QQ区 V10 成品号", "688.00", codes=["账号：wz77 密码：Wz#77"])
    d = _open(app, "account_banned", no, "2026-12-03T09:00:00+08:00", "2026-12-03T10:00:00+08:00",
              "买的王者号登录提示账号已被冻结，688元白花了")
    assert _codes(d, "account_frozen") == [] and "更换可正常使用的账号或退款" in _seller(d)
    from server.risk import frozen

    assert frozen.frozen_words("账户异常，请联系客服") is None
    assert frozen.frozen_words("账户异常，请联系客服", deposit=True)


# === gap 2: a promise made only in a livestream =======================================================

LIVE_ITEM = "【直播间专享】原神 空月祝福 月卡 ×12"
LIVE_TOLD = "直播间主播口播说买12送6，下单后只给了12个，赠送的6个不给了"


def _live(app, no, chat=None):
    _order(app, no, LIVE_ITEM, "300.00", codes=[f"YS-MONTH-{no[-3:]}{i:02d}" for i in range(12)])
    if chat:
        _chat(app, no, chat, "2026-12-02T11:01:00.000+08:00")
    return _open(app, "not_as_described", no, "2026-12-02T10:00:00+08:00", "2026-12-02T12:00:00+08:00", LIVE_TOLD)


def test_g2_a_promise_said_only_in_the_stream_asks_for_the_replay(app):
    """Advisor: 「买12送6」 was said aloud in the livestream and no saved page states it: spoken words are
    proven only by the replay or a screen recording, with the stream's date and the moment it was
    said. KaDun's checklist said only "save the product page" (round 5); now the description row asks
    for the replay and the time, and nothing quotes a promise no capture shows."""
    d = _live(app, "JY202612011000621")
    assert _codes(d, "livestream_promise") == []
    row = next(r for r in d["checklist"] if r["item"] == "description")
    assert row["state"] == "partial"
    assert "直播回放" in row["complete"]["zh"] and "时间点" in row["complete"]["zh"] and "录屏" in row["complete"]["zh"]
    assert "replay" in row["complete"]["en"] and "time into the replay" in row["complete"]["en"]
    for letter in d["letters"].values():
        assert "直播中承诺" not in letter["zh"] and "in the livestream" not in letter["en"]


def test_g2b_a_livestream_promise_a_capture_shows_is_quoted_with_its_date(app):
    """Advisor: the shop's own support wrote 「12月1日直播间说的买12送6是主播口误，不作数」: the page
    shows the promise was made, in the stream of 1 December. The letters quote it as said in the
    livestream on 2026-12-01 (消法第十六条: what it told buyers binds it), and the checklist no longer
    asks for the replay as the only proof."""
    d = _live(app, "JY202612011000622", [("我", "2026-12-02 10:50", "主播说买12送6的，赠送的呢"),
                                          ("星辰游戏店", "2026-12-02 11:00", "12月1日直播间说的买12送6是主播口误，不作数")])
    live, = _codes(d, "livestream_promise")
    assert live["quote"] == "12月1日直播间说的买12送6是主播口误，不作数" and live["said_on"] == "2026-12-01"
    assert "第十六条" in live["explanation"]["zh"]
    for step in ("seller", "platform", "regulator"):
        assert "贵方在 2026-12-01 的直播中承诺「12月1日直播间说的买12送6是主播口误，不作数」" in d["letters"][step]["zh"], step
        assert "you said in the livestream on 2026-12-01" in d["letters"][step]["en"], step
    row = next(r for r in d["checklist"] if r["item"] == "description")
    assert "直播回放" not in (row["complete"] or {}).get("zh", "")


def test_g2c_the_buyers_own_line_or_a_livestream_price_tag_is_no_captured_promise(app):
    """Counter-examples: the buyer's own chat line 「主播说买12送6的」 is the buyer's claim, not the
    seller's promise; 「直播间专享」 on the item names a price channel, not a promise."""
    d = _live(app, "JY202612011000623", [("我", "2026-12-02 10:50", "主播说买12送6的，赠送的呢"),
                                          ("星辰游戏店", "2026-12-02 11:00", "请以订单为准")])
    assert _codes(d, "livestream_promise") == []
    assert "直播回放" in next(r for r in d["checklist"] if r["item"] == "description")["complete"]["zh"]
    from server.risk import livestream

    assert livestream.livestream_line("直播间专享") is None and livestream.livestream_line("下次开播时间：周五晚8点") is None
    assert livestream.livestream_line("直播间承诺：买就送皮肤")
    assert livestream.stated_day("1月3日直播说的", "2027-01-05T10:00:00+08:00").isoformat() == "2027-01-03"
    assert livestream.stated_day("12月30日直播说的", "2027-01-05T10:00:00+08:00").isoformat() == "2026-12-30"


# === situations rounds 1-5 did not cover ==============================================================

def test_01_refund_offered_only_as_game_points(app):
    """Advisor: a Steam card that does not work, and the seller "cannot refund" but offers 1000 点券 on the
    buyer's game account: points are no money; refuse them, ask for a working card or the money back
    the way it was paid. Wrong before round 6: KaDun said nothing of the offer (a balance refund was
    a class, points or a coupon were not); now it joins refund_to_balance as an offer in kind."""
    no = "JY202612011000701"
    _order(app, no, "Steam 钱包充值卡 200元", "188.00", codes=["STEAM-88AA-77BB-66CC"])
    _chat(app, no, [("我", "2026-12-01 11:00", "充值卡无效，请退款"),
                    ("星辰游戏店", "2026-12-01 11:10", "钱退不了，给你补偿1000点券到你的游戏账号吧")], "2026-12-01T11:11:00.000+08:00")
    d = _open(app, "invalid_code", no, "2026-12-01T11:00:00+08:00", "2026-12-01T12:00:00+08:00", "充值卡无效，商家不退钱，只肯补偿1000点券")
    kind, = _codes(d, "refund_to_balance")
    assert kind["in_kind"] and not kind["made"] and "1000点券" in kind["quote"]
    assert "您可以拒绝" in kind["explanation"]["zh"] and "no refund" in kind["explanation"]["en"]
    seller = _seller(d)
    assert "这些不是钱，我不接受" in seller and "更换有效的卡密或退款" in seller
    assert "退到（或只肯退到）平台/店铺余额" not in seller  # an offer in kind is not told as a balance
    from server.risk import settlement

    assert settlement.in_kind("只能给你一张50元优惠券作为补偿") and settlement.in_kind("We can compensate you with 500 coins")
    for line in ("已给你补发1000点券", "点券已充值到账", "退款已原路退回"):
        assert settlement.in_kind(line) is None, line


def test_02_refund_only_if_the_complaint_is_withdrawn(app):
    """Advisor: "withdraw the complaint and cancel the platform's intervention first, then I refund":
    the refund owes nothing to the complaint, and a buyer who withdraws first usually loses both the
    refund and the platform's window. Keep the complaint until the money arrives; report the line.
    Wrong before round 6: no finding (the review-for-refund class did not cover a complaint)."""
    no = "JY202612011000702"
    _order(app, no, "腾讯视频 VIP 年卡", "168.00", codes=["TXSP-1111-2222-3333"])
    _chat(app, no, [("我", "2026-12-01 11:00", "码无效，我已经申请平台介入了"),
                    ("星辰游戏店", "2026-12-01 11:10", "你先撤销投诉，取消平台介入，我再给你退款")], "2026-12-01T11:11:00.000+08:00")
    d = _open(app, "invalid_code", no, "2026-12-01T11:00:00+08:00", "2026-12-01T12:00:00+08:00", "码无效，商家要我先撤销投诉才退款")
    tied, = _codes(d, "withdraw_for_refund")
    assert "钱实际到账之后再撤销投诉" in tied["explanation"]["zh"] and "only after the money has arrived" in tied["explanation"]["en"]
    for step in ("seller", "platform"):
        assert "退款到账前我不会撤销" in d["letters"][step]["zh"], step
    assert "police" not in _steps(d)


def test_02b_a_platform_saying_it_will_refund_after_its_ruling_ties_nothing(app):
    """Counter-examples: 「平台介入后我们会按处理结果退款」 and the buyer's own 「我已经撤销投诉了」 tie no
    refund to a withdrawal."""
    from server.risk import settlement

    for line in ("平台介入后我们会按处理结果退款", "我已经撤销投诉了", "投诉已关闭"):
        assert settlement.withdraw_for_refund(line) is None, line
    assert settlement.withdraw_for_refund("关闭纠纷后马上退款给你")
    assert settlement.withdraw_for_refund("Please withdraw the dispute and we will refund you")


def test_03_asked_to_pay_again_for_an_order_shown_paid(app):
    """Advisor: the order page says 已付款 (¥88 by WeChat), and the seller says the payment "did not go
    through, pay again, the first will come back automatically": do not pay twice; the saved page is
    the proof of payment; ask for delivery or a refund on the paid order and for the payment's
    records (电商法第六十二条). Wrong before round 6: KaDun asked "deliver or refund" and said nothing
    of the second payment asked."""
    no = "JY202612011000703"
    _order(app, no, "网易云音乐 黑胶VIP 年卡", "88.00", status="已付款", delivered=None, payment="微信支付")
    _chat(app, no, [("我", "2026-12-01 11:00", "我已经付款了，怎么不发货"),
                    ("星辰游戏店", "2026-12-01 11:10", "系统显示你没付款成功，请重新付款88元，之前那笔会自动退回")],
          "2026-12-01T11:11:00.000+08:00")
    d = _open(app, "not_delivered", no, "2026-12-01T11:00:00+08:00", "2026-12-01T12:00:00+08:00", "订单显示已付款，商家说没收到要我重新付款")
    again, = _codes(d, "pay_again_demand")
    assert "请不要再付" in again["explanation"]["zh"] and "第六十二条" in again["explanation"]["zh"]
    assert "Do not pay again" in again["explanation"]["en"]
    seller = _seller(d)
    assert "我不会重复付款" in seller and "立即发货或全额退款" in seller
    assert _step(d, "platform")["payment_channel"]["app"] == "wechat"


def test_03b_an_order_shown_unpaid_may_really_need_paying(app):
    """Counter-example: the order page says 未付款 and the shop says the payment failed: asking to pay is
    ordinary, no finding."""
    no = "JY202612011000713"
    _order(app, no, "网易云音乐 黑胶VIP 年卡", "88.00", status="未付款", paid="", delivered=None, payment="微信支付")
    _chat(app, no, [("星辰游戏店", "2026-12-01 11:10", "您的付款失败了，请重新付款")], "2026-12-01T11:11:00.000+08:00")
    d = _open(app, "not_delivered", no, "2026-12-01T11:00:00+08:00", "2026-12-01T12:00:00+08:00", "付款后没有发货")
    assert _codes(d, "pay_again_demand") == []
    from server.risk import settlement

    assert settlement.pay_again("请再付一次款") is None  # no claim that the first payment failed
    assert settlement.pay_again("掉单了，麻烦再支付一次")


def test_04_steam_key_revoked_three_weeks_later_on_a_domestic_platform(app):
    """Advisor: a 「官方正版key，永久入库」 Steam key bought on a 卡盟, revoked by Steam three weeks on (封key:
    keys bought with stolen cards are revoked), the seller "does not handle sold goods": the promises
    「正版」「永久」 were false; replacement or refund (消法第二十三、二十四条); no police under the
    threshold; the Steam revocation notice is the proof still to save. Right before round 6 (kept)."""
    no = "JY202611101000704"
    _product(app, "50704", "Steam 艾尔登法环 CDKEY 国区 正版激活码", "128.00", ["官方正版key，永久入库", "激活后永久有效"],
             at="2026-11-10T09:58:00.000+08:00")
    _order(app, no, "Steam 艾尔登法环 CDKEY 国区 正版激活码", "128.00", created="2026-11-10 10:00:00",
           paid="2026-11-10 10:00:20", delivered="2026-11-10 10:01:00", codes=["3XK9P-7QWER-ZT5M2"],
           at="2026-11-10T10:02:00.000+08:00")
    d = _open(app, "invalid_code", no, "2026-12-01T20:00:00+08:00", "2026-12-02T10:00:00+08:00",
              "激活三周后游戏从库里被移除，Steam提示该CDKEY已被撤销（封key），商家说售出不管")
    assert {f["quote"] for f in _codes(d, "promise_broken")} == {"正版激活", "永久"}
    assert _steps(d) == ["seller", "platform", "regulator", "consumer_association"]
    assert _states(d)["problem_proof"] == "missing" and "更换有效的卡密或退款" in _seller(d)


def test_05_livestream_promise_on_the_product_page_without_a_date(app):
    """Advisor: the product page itself says 「直播间承诺：下单即送限定皮肤」 and the skin never came: the page
    records the promise (no stream date on it), so the letters quote it as the page saved on its date
    records it, not with an invented stream date."""
    no = "JY202612011000705"
    _product(app, "50705", "王者荣耀 点券 1000 直播间专享", "95.00", ["直播间承诺：下单即送限定皮肤", "自动发货"])
    _order(app, no, "王者荣耀 点券 1000 直播间专享", "95.00", codes=["已充值1000点券"])
    d = _open(app, "not_as_described", no, "2026-12-02T10:00:00+08:00", "2026-12-02T12:00:00+08:00",
              "主播直播时说下单送限定皮肤，点券到了但皮肤没给")
    live, = _codes(d, "livestream_promise")
    assert live["said_on"] is None and live["quote"] == "直播间承诺：下单即送限定皮肤"
    assert "（见 2026-12-01 保存的页面）" in _seller(d)
    assert "as the page saved on 2026-12-01 records" in d["letters"]["seller"]["en"]
    assert _states(d)["description"] == "present"  # the page shows the promise: no replay asked for


def test_06_english_marketplace_froze_the_wallet(app):
    """Advisor (cross-border, Visa): the marketplace froze the buyer's $120 wallet "pending verification"
    after a top-up: its own appeal first (reason, term, date), the wallet back to the card; if refused,
    the card's dispute of the top-up; econsumer.gov. No 12315 (foreign), no police (no fee asked)."""
    capture(app, P.market_order("KeyVault", order_no="KV-7781606", item="KeyVault Wallet top-up", seller="KeyVault",
                                amount="120.00", currency="USD", paid="2026-12-01 10:00", delivered=None,
                                payment="Visa ending 4421", key=None,
                                notes=["Your wallet balance has been frozen pending verification."]),
            "https://www.keyvault.gg/account/orders/KV-7781606", "2026-12-02T10:02:00.000+08:00")
    d = _open(app, "platform_stalling", "KV-7781606", "2026-12-02T09:00:00+08:00", "2026-12-03T10:00:00+08:00",
              "My wallet was frozen after a top-up and support gives no reason or date", domain="keyvault.gg")
    frozen, = _codes(d, "account_frozen")
    assert frozen["quote"] == "Your wallet balance has been frozen pending verification."
    assert "dispute that top-up with your card issuer" in frozen["explanation"]["en"]
    assert _steps(d) == ["seller", "platform", "chargeback", "regulator"]
    assert "release my frozen balance" in d["letters"]["platform"]["en"]
    assert "12315" not in d["letters"]["seller"]["zh"]


def test_07_banned_on_the_platform_and_the_balance_kept_told_only_by_the_buyer(app):
    """Advisor: the buyer's account on the 卡盟 was banned and its ¥300 balance kept (「封号后余额不退」),
    and only the buyer says so (the banned account shows no page): the finding still stands, on the
    buyer's words, with no page evidence claimed for it."""
    no = "JY202612011000707"
    _order(app, no, "锦鱼卡盟 余额充值 300元", "300.00", codes=["余额充值成功 ¥300.00"], seller="锦鱼卡盟")
    d = _open(app, "platform_stalling", no, "2026-12-03T09:00:00+08:00", "2026-12-05T10:00:00+08:00",
              "平台无故封号，封号后余额不退，300元拿不回来")
    frozen, = _codes(d, "account_frozen")
    assert frozen["source"] == "buyer" and frozen["evidence"] == []
    assert "解冻我的账户余额并允许提现" in _seller(d)
    assert "police" not in _steps(d)
