"""The badge's rules found wrong by the blind pages (test_blind_badge.py), each tested as a class:
the rule on a page of its kind, and a counter-example it must leave alone. Pure: no Redis."""
from __future__ import annotations

import copy
import re

import pytest

from server.risk import clauses, score, service, warnings
from server.risk.model import Observation
from server.risk.pagetext import clip, find_quote, is_traditional, page_lines
from server.risk.signals import _number_pattern, read_account_goods, read_deposit_system, read_icp
from tests.risk.pages import facts

AT = "2026-11-24T11:00:00+08:00"


def _obs(body: str, url: str = "https://www.example-km.com/p/1", **parts) -> Observation:
    html = f"<html><body>{body}</body></html>"
    domain = re.sub(r"^https?://(?:www\.)?([^/]+).*$", r"\1", url)
    return Observation(facts=facts(url, domain, **parts), snapshot_id="s1", url=url, seen_at=AT,
                       lines=page_lines(html))


# --- a merchant deposit that pays buyers vs one that is a seller's fee ----------------------------
@pytest.mark.parametrize(("sentence", "value"), [
    ("开通商户需缴纳保证金300元，用于开通收款通道，注销商户后可申请退还。", "not_for_buyers"),
    ("入驻需交纳保证金500元（技术服务费，不予退还）。", "not_for_buyers"),
    # counter-examples: a deposit tied to buyers, or one whose use is not stated
    ("商家须缴纳保证金，用于赔付买家损失。", True),
    ("保证金在退店后无纠纷可申请退还。", True),
    ("本平台实行商家保证金制度。", True),
])
def test_deposit_is_for_buyers_unless_its_sentence_names_only_another_use(sentence, value):
    obs = _obs(f"<h3>商家保证金</h3><p>{sentence}</p><footer>© 2020-2026 某某卡盟</footer>", page_kind="terms",
               platform={"name": "某某卡盟", "deposit_system": True})
    (reading,) = read_deposit_system(obs)
    assert reading.value == value
    assert reading.evidence["quote"] in sentence  # the statement, not the heading


def test_a_deposit_not_for_buyers_counts_neither_way_and_asks_no_deposit_of_sellers():
    state = {"codes": {"deposit_system": {"v": {"value": "not_for_buyers", "evidence": [{"quote": "q"}]}},
                       "seller_deposit": {}}}
    (signal,) = [s for s in score.judge_state(state, "platform", now=AT) if s.code == "deposit_system"]
    assert (signal.effect, signal.weight) == ("neutral", 0)
    seller = score.judge_state({"codes": {"seller_deposit": {"v": {"value": {"amount": "0.00", "currency": "CNY"},
                                                                     "evidence": [{"quote": "保证金：¥0.00"}]}}}},
                               "seller", now=AT)
    assert [w["code"] for w in warnings.signal_warnings(seller, "seller", platform_signals=[signal])] == []
    signal.value = True  # counter-example: a deposit that pays buyers makes a zero deposit a warning
    assert [w["code"] for w in warnings.signal_warnings(seller, "seller", platform_signals=[signal])] == [
        "no_deposit_system"]


# --- no ICP expected of a traditional-character site or a foreign-priced storefront ----------------
FOOTER = "<footer><p>© 2010-2026 {name} 版权所有</p></footer>"


@pytest.mark.parametrize(("body", "price", "expected"), [
    ("<h1>【帳號】原神 滿命雷神 天空島</h1><p>賣家：星空小舖，交易安全由本站提供保障，確認收貨後撥款。</p>", None, []),
    ("<h1>Steam 礼品卡 20 美元（美国区）</h1><p>US$ 21.35</p><p>卖家：CardHouse，买家保护：卡密无效全额退款。</p>",
     {"amount": "21.35", "currency": "USD"}, []),
    # counter-examples: a mainland shop pricing in CNY, even with a traditional slogan, shows none
    ("<h1>王者荣耀 点券 1000</h1><p>¥ 88.00</p><p>卖家：诚信小店，自动发货，售后无忧。</p>", {"amount": "88.00", "currency": "CNY"},
     [False]),
    ("<h1>王者荣耀 点券 1000</h1><p class='slogan'>誠信經營</p><p>卖家：诚信小店，自动发货，售后无忧，欢迎选购本店商品。</p>",
     {"amount": "88.00", "currency": "CNY"}, [False]),
])
def test_icp_absence_is_read_only_where_a_mainland_filing_is_expected(body, price, expected):
    name = "某某商城"
    obs = _obs(body + FOOTER.format(name=name), page_kind="product", platform={"name": name},
               product={"title": "x", "price": price})
    assert [r.value for r in read_icp(obs)] == expected


def test_traditional_script_is_told_from_a_slogan():
    assert is_traditional(["本站提供交易保障，買家確認收貨後款項才會撥給賣家。"])
    assert not is_traditional(["誠信經營", "卖家：诚信小店，自动发货，售后无忧，欢迎选购本店商品，假一赔三。"])


def test_a_foreign_marketplace_shown_on_one_page_expects_no_icp_on_its_other_pages():
    ev = [{"snapshot_id": "s", "quote": "q", "url": None, "seen_at": AT}]
    state = {"codes": {"icp_filing": {"v": {"value": False, "evidence": ev}},
                       "cross_border": {"v": {"value": True, "evidence": ev}}}}
    assert "icp_filing" not in [s.code for s in score.judge_state(state, "platform", now=AT)]
    del state["codes"]["cross_border"]  # counter-example: a domestic shop without a filing
    assert "icp_filing" in [s.code for s in score.judge_state(state, "platform", now=AT)]


# --- a seat on a shared account is no account the buyer owns ------------------------------------
@pytest.mark.parametrize(("name", "account"), [
    ("Netflix 4K 共享账号 一个月（一人一位）", False),
    ("Spotify 家庭组 合租车位 12个月", False),
    ("Disney+ shared account 1 month", False),
    ("ChatGPT Plus 独享账号 月卡", True),
    ("Netflix 非共享账号 一人一号", True),
    ("Spotify account, not shared", True),
    ("【帳號】原神 天空島 滿命雷神", True),
    ("王者荣耀 安卓QQ区 V8 账号", True),
])
def test_account_goods_are_accounts_the_buyer_takes_over(name, account):
    assert clauses.is_account(name) is account


def test_a_shared_seat_stated_as_a_policy_is_no_account_sale():
    body = "<p>商品名称：Netflix 账号 一个月</p><p>说明：共享账号，非独享，请勿修改密码。</p>"
    shared = _obs(body, page_kind="checkout", order={"item": "Netflix 账号 一个月"},
                  policies=[{"kind": "shared_account", "quote": "共享账号，非独享", "hours": None}])
    assert read_account_goods(shared) == []
    own = _obs(body.replace("共享账号，非独享，请勿修改密码", "收货后请立即修改密码"), page_kind="checkout",
               order={"item": "Netflix 账号 一个月"})
    assert [r.value for r in read_account_goods(own)] == [True]


def test_an_account_order_with_no_seller_named_still_warns_on_its_page():
    def codes(item):
        obs = _obs(f"<p>订单编号：PZ1</p><p>商品名称：{item}</p>", page_kind="order",
                   order={"order_no": "PZ1", "item": item})
        return [w["code"] for w in warnings.capture_warnings(obs, now=AT)]
    assert "account_recovery_risk" in codes("永劫无间 账号 金色武器x6")
    assert "account_recovery_risk" not in codes("永劫无间 金块 1000")


# --- no-refund clauses that except faulty goods are lawful ----------------------------------------
@pytest.mark.parametrize(("quote", "sentence", "blanket"), [
    ("非质量问题一经售出不予退换", None, False),
    ("一经售出概不退换", "本站商品一经售出概不退换，卡密无效的可申请补发。", False),
    ("一经售出概不退换", "一经售出概不退换（质量问题除外）。", False),
    ("No refunds", "No refunds unless the key is faulty.", False),
    # counter-examples: a refusal of every refund stays unfair, whatever else its sentence says
    ("一经售出概不退换", "虚拟商品一经售出概不退换。", True),
    ("一经售出概不退换", "虚拟商品不支持七天无理由退货，一经售出概不退换。", True),
    ("概不退換", None, True),
])
def test_a_no_refund_clause_is_blanket_unless_it_excepts_faults_or_no_reason_only(quote, sentence, blanket):
    assert clauses.blanket_no_refund(quote, sentence) is blanket


# --- quotes: whole words, numbers as pages group them, statements before headings, traditional ---
@pytest.mark.parametrize(("line", "words"), [
    ("Report a problem within 48 hours of revealing the key, otherwise the order is final and closed.",
     "Report a problem"),
    ("Если ключ не подошёл, откройте претензию в течение 24 часов после покупки на площадке.", "откройте претензию"),
    ("Money-back guarantee: if your key doesn't work, we refund you, and the seller is suspended.",
     "Money-back guarantee"),
])
def test_a_clipped_quote_keeps_whole_words(line, words):
    at = line.index(words)
    quote = clip(line, at, at + len(words))
    assert words in quote and len(quote) < len(line)
    start = line.index(quote)
    for edge in (start, start + len(quote)):
        assert not (0 < edge < len(line) and line[edge - 1].isalpha() and line[edge].isalpha()), quote


def test_a_clipped_chinese_quote_is_cut_by_length_as_before():
    line = "甲" * 40 + "先行赔付" + "乙" * 40
    assert clip(line, 40, 44) == "甲" * 28 + "先行赔付" + "乙" * 28


@pytest.mark.parametrize(("text", "n", "found"), [
    ("Продано: 12 345", 12345, True),
    ("Продано: 12\u00a0345", 12345, True),
    ("Verkauft: 12.345", 12345, True),
    ("成交量：15,320", 15320, True),
    ("保证金：¥1,000.00", 1000, True),
    ("成交量：3件", 3, True),
    # counter-examples: a longer number is not the number
    ("Продано: 112 345", 12345, False),
    ("Продано: 12 345 678", 12345, False),
    ("成交量：13", 3, False),
])
def test_a_count_is_found_however_its_thousands_are_grouped(text, n, found):
    assert bool(re.search(_number_pattern(n), text)) is found


def test_a_statement_is_quoted_before_a_heading_naming_it():
    lines = ["二、先行赔付", "商品与描述不符且商家拒不处理的，由平台先行赔付。"]
    assert find_quote(lines, "先行赔付", statement=True) == lines[1]
    assert find_quote(lines, "先行赔付") == lines[0]  # without the preference: the first match
    assert find_quote(lines[:1], "先行赔付", statement=True) == lines[0]  # only a heading: the heading


def test_a_traditional_page_is_quoted_in_its_own_characters():
    lines = ["賣家：星空小舖", "我要投訴"]
    assert find_quote(lines, "投诉") == "我要投訴"
    assert find_quote(lines, "卖家") == "賣家：星空小舖"


# --- an unnamed merchant on a site with named merchants is not "the shop" -------------------------
def _unnamed(name: str, **seller) -> dict:
    from tests.risk import blind_pages as bp

    page = copy.deepcopy(bp.PAGES[name])
    page["facts"]["seller"].update({"name": None, "id": None, **seller})
    return page


def test_unnamed_merchants_on_a_site_with_named_ones_are_not_merged(r, signer):
    from tests.risk import blind_pages as bp
    from tests.risk.conftest import land

    new_shop = _unnamed("shop_claims_2015_opened_3_days", sales=None, deposit=None)  # opened 3 days ago
    old_shop = _unnamed("km_product_jiayipeisan", opened_on=None, deposit=None)  # 15,320 sales
    named = bp.PAGES["shop_old_few_sales"]  # the same 卡盟 names its merchants elsewhere

    def seller_after(user, pages):
        for page in pages:
            land(r, signer, user, html=page["html"], facts=page["facts"], url=page["url"], at=AT)
        return service.risk_for_url(r, user, pages[-1]["url"], now=AT)["seller"]

    seller = seller_after("u-multi", [named, new_shop, old_shop])
    assert [(s["code"], s["effect"]) for s in seller["signals"]] == [("shell_shop", "neutral")]
    assert seller["level"] != "high"
    # counter-example: on a site that names no merchant (a single shop), its pages add up
    seller = seller_after("u-single", [new_shop, old_shop])
    assert seller["level"] == "high" and seller["signals"][0]["critical"]


@pytest.mark.parametrize(("kind", "sentence", "values"), [
    ("order", "您的退款已冻结，请先缴纳保证金500元，解冻后连同退款一起原路退回。", []),
    ("terms", "买家下单前需缴纳保证金50元，交易完成后退还。", []),
    # counter-examples: a merchant deposit stays one, even in words a scam also uses
    ("terms", "所有入驻商家须缴纳保证金，用于赔付买家损失。", [True]),
    ("terms", "本平台实行保证金制度。", [True]),
])
def test_a_deposit_the_buyer_is_asked_to_pay_is_no_deposit_system(kind, sentence, values):
    obs = _obs(f"<p>{sentence}</p><footer>© 2015-2026 某某卡盟 京ICP备15000000号</footer>", page_kind=kind,
               platform={"name": "某某卡盟", "deposit_system": True})
    assert [r.value for r in read_deposit_system(obs)] == values

