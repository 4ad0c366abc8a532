"""The badge's rules found wrong by the round-c blind pages (test_blind_badge_c.py), each tested as
a class: the rule on pages of its kind, and counter-examples it must leave alone. Pure: no Redis."""
from __future__ import annotations

import re

import pytest

from server.risk import score, warnings
from server.risk.model import Observation
from server.risk.pagetext import page_lines
from server.risk.signals import (
    _number_pattern,
    read_advance_compensation,
    read_platform_closing,
    read_seller_deposit,
    read_shell_shop,
)
from tests.risk.pages import facts

AT = "2026-11-24T11:00:00+08:00"


def _obs(body: str, url: str = "https://www.example-km.com/p/1", **parts) -> Observation:
    html = f"<html><body>{body}</body></html>"
    domain = re.sub(r"^https?://(?:www\.)?([^/]+).*$", r"\1", url)
    return Observation(facts=facts(url, domain, **parts), snapshot_id="s1", url=url, seen_at=AT,
                       lines=page_lines(html))


def _judged(readings, subject="platform"):
    state = {"codes": {}}
    for reading in readings:
        state["codes"].setdefault(reading.code, {})[reading.key] = {"value": reading.value,
                                                                    "evidence": [reading.evidence]}
    return score.judge_state(state, subject, now=AT)


# --- 先行赔付 / money-back: for every buyer, for none (virtual goods excluded), or for those who pay --
@pytest.mark.parametrize(("sentence", "value", "effect"), [
    # excluded for virtual goods, on a site selling nothing else: no buyer is paid first
    ("先行赔付服务不适用于虚拟商品（包括点卡、激活码、游戏账号等），此类纠纷由买卖双方自行协商。", False, "raises"),
    ("虚拟类商品不享受先行赔付保障。", False, "raises"),
    ("Buyer protection does not apply to digital goods such as game keys.", False, "raises"),
    # a guarantee the buyer must buy: counts neither way
    ("KeyVault Shield: money-back guarantee for $1.49 (optional add-on)", "paid_add_on", "neutral"),
    ("Add Buyer Protection to your order for an extra fee.", "paid_add_on", "neutral"),
    ("需额外购买包赔服务，账号被找回后由平台先行赔付。", "paid_add_on", "neutral"),
    ("购买找回包赔服务后，账号被找回由平台先行赔付。", "paid_add_on", "neutral"),
    ("开通包赔服务的订单，发生找回由平台先行赔付。", "paid_add_on", "neutral"),
    # counter-examples: the compensation covers buyers; another exclusion in another clause
    ("虚拟商品不支持七天无理由退货，商品与描述不符的由平台先行赔付。", True, "lowers"),
    ("Money-back guarantee: if your key does not work, we refund you.", True, "lowers"),
    ("凡在本站购买的账号，如发生找回，由平台先行赔付。", True, "lowers"),
    ("本站为所有订单免费提供包赔服务，账号被找回由平台先行赔付。", True, "lowers"),
])
def test_advance_compensation_is_read_from_whom_its_sentence_covers(sentence, value, effect):
    # The heading names the topic and says nothing of whom it covers (the round-c page's scraper facts
    # say True from it): only the statement decides.
    obs = _obs(f"<h1>先行赔付说明</h1><h2>Money-back guarantee</h2><p>{sentence}</p><footer>© 2015-2026 Example</footer>",
               page_kind="terms",
               platform={"name": "Example", "advance_compensation": True})
    (reading,) = read_advance_compensation(obs)
    assert reading.value == value
    assert reading.evidence["quote"] in sentence
    (signal,) = [s for s in _judged([reading]) if s.code == "advance_compensation"]
    assert signal.effect == effect
    codes = [w["code"] for w in warnings.signal_warnings([signal], "platform")]
    assert codes == (["no_advance_compensation"] if value is False else [])


def test_one_sentence_covering_buyers_keeps_the_compensation():
    """A page stating both a free compensation and a paid higher tier: the platform does pay first."""
    obs = _obs("<p>账号被找回的，由平台先行赔付成交价的50%。</p><p>加购全额包赔（成交价的6%）后，由平台先行赔付全款。</p>",
               page_kind="terms", platform={"name": "Example", "advance_compensation": True})
    (reading,) = read_advance_compensation(obs)
    assert reading.value is True


# --- dates as Europe, Russia and the US write them ------------------------------------------------
@pytest.mark.parametrize("written", ["На площадке с 14.11.2026", "Joined 14 Nov 2026", "Member since 14 November 2026",
                                     "Зарегистрирован 14 ноября 2026", "Joined 11/14/2026", "开店时间：14/11/2026",
                                     "Joined Nov 14, 2026", "开店时间：2026-11-14"])
def test_a_shop_opening_date_is_quoted_in_every_common_order(written):
    obs = _obs(f"<h1>Seller</h1><p>{written}</p>", page_kind="shop",
               seller={"name": "S", "id": "1", "opened_on": "2026-11-14"})
    (reading,) = read_shell_shop(obs)
    assert reading.value["days_open"] == 10
    (signal,) = _judged([reading], "seller")
    assert (signal.effect, signal.critical) == ("raises", True)


@pytest.mark.parametrize("written", ["Joined 04.03.2026", "开店时间：2026-03-04", "Joined 114.04.2026"])
def test_another_date_is_not_the_opening_date(written):
    """Counter-example: 2026-04-03 is not 04.03.2026 (4 March, day first) nor any other date."""
    obs = _obs(f"<h1>Seller</h1><p>{written}</p>", page_kind="shop",
               seller={"name": "S", "id": "1", "opened_on": "2026-04-03"})
    assert read_shell_shop(obs) == []


# --- amounts and counts written in 万 ------------------------------------------------------------
@pytest.mark.parametrize(("n", "text", "found"), [
    (10000, "保证金：1万元", True), (32000, "累计成交：3.2万笔", True), (12500, "成交 1.25w", True),
    (32000, "32,000", True), (2000, "保证金：¥2,000.00", True),
    # counter-examples: a number before 万 / k is not that number; 3.25万 is not 3.2万
    (1, "保证金：1万元", False), (3, "成交 3.2万", False), (5, "Sales: 5k", False), (32000, "3.25万", False),
])
def test_numbers_in_wan(n, text, found):
    assert bool(re.search(_number_pattern(n), text)) is found


def test_a_deposit_misread_as_one_yuan_is_not_quoted_from_one_wan():
    """A 保证金：1万元 read as ¥1 (a scraper's slip) must not show the seller "lodged ¥1", and read as
    ¥10,000 it shows the deposit, quoted."""
    body = "<h1>皓月游戏</h1><p>保证金：1万元</p>"
    wrong = _obs(body, page_kind="shop", seller={"name": "皓月游戏", "id": "9", "deposit": {"amount": "1.00",
                                                                                          "currency": "CNY"}})
    assert read_seller_deposit(wrong) == []
    right = _obs(body, page_kind="shop", seller={"name": "皓月游戏", "id": "9", "deposit": {"amount": "10000.00",
                                                                                          "currency": "CNY"}})
    (reading,) = read_seller_deposit(right)
    assert reading.evidence["quote"] == "保证金：1万元"


def test_a_consumer_guarantee_fund_is_the_sellers_deposit():
    obs = _obs("<p>该商家已缴纳消费者保障金 ¥2,000，商品与描述不符可申请赔付。</p>", page_kind="product",
               seller={"name": "晨风数码", "id": "5", "deposit": {"amount": "2000.00", "currency": "CNY"}})
    (reading,) = read_seller_deposit(obs)
    assert "保障金 ¥2,000" in reading.evidence["quote"]


# --- a site announcing that it closes --------------------------------------------------------------
@pytest.mark.parametrize(("sentence", "closing"), [
    ("因公司业务调整，本站将于2026年12月15日起停止运营，届时关闭全部充值与交易功能。", True),
    ("本平台定于12月31日正式停止服务，请尽快提现余额。", True),
    ("This marketplace will cease operations on 31 December 2026.", True),
    ("We will shut down on January 5; please redeem your balance.", True),
    # counter-examples: a condition or a right, or another service
    ("如本站停止运营，未使用的余额将全额退还。", False),
    ("平台有权对违规商家停止服务。", False),
    ("该游戏已于2026年10月停止运营，相关点卡已下架。", False),
    ("If we shut down, your balance will be refunded.", False),
    ("本店春节期间停止营业，2月10日恢复发货。", False),
    ("本店对已过质保期的订单停止服务。", False),
])
def test_a_closing_notice_is_the_sites_own_announcement(sentence, closing):
    obs = _obs(f"<h1>公告</h1><p>{sentence}</p>", page_kind="terms", platform={"name": "Example"})
    readings = read_platform_closing(obs)
    assert bool(readings) is closing
    if closing:
        (signal,) = _judged(readings)
        assert (signal.effect, signal.critical) == ("raises", True)
        assert score.score([signal])[0] == "high"
        assert readings[0].evidence["quote"] in sentence


def test_an_article_about_a_closing_is_no_closing():
    obs = _obs("<p>本站将于2026年12月15日起停止运营。</p>", page_kind="other", platform={"name": "新闻网"})
    assert read_platform_closing(obs) == []


# --- an unfair clause of a foreign marketplace: Chinese law stated, not promised -------------------
@pytest.mark.parametrize("foreign", [True, False])
def test_unfair_clause_warnings_of_a_foreign_marketplace_do_not_promise_chinese_law(foreign):
    from server.risk.model import Signal

    quotes = ["No refunds under any circumstances", "最终解释权归本站所有"]
    unfair = Signal("unfair_terms", "platform", quotes, "raises", 10,
                    [{"snapshot_id": "s1", "quote": q, "url": None, "seen_at": AT} for q in quotes],
                    detail={"kinds": {quotes[0]: "no_refund", quotes[1]: "final_interpretation"}})
    signals = [unfair]
    if foreign:
        signals.append(Signal("cross_border", "platform", True, "raises", 15,
                              [{"snapshot_id": "s1", "quote": "$19.87", "url": None, "seen_at": AT}]))
    found = {w["code"]: w for w in warnings.signal_warnings(signals, "platform")}
    assert {"unfair_term", "no_refund_claim"} <= set(found)
    unfair_zh, refund_en = found["unfair_term"]["message"]["zh"], found["no_refund_claim"]["message"]["en"]
    if foreign:  # the marketplace's own process and a chargeback; no "invalid, claim as usual"
        assert "此类条款无效" not in unfair_zh and "境外平台" in unfair_zh and "拒付" in unfair_zh
        assert "chargeback" in refund_en and "Article 24" not in refund_en
    else:  # counter-example: a domestic shop's clause is invalid under 消法第二十六条, said plainly
        assert "此类条款无效" in unfair_zh and "Article 24" in refund_en
