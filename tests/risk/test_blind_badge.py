"""Blind test of the risk badge: 24 pages written as real card shops, account markets and key
marketplaces write them (tests/risk/blind_pages.py, facts labelled by hand), landed as the capture
route lands them, and judged the way a buyer-protection expert judges them: the exact warnings of
the capture, the platform and seller levels, the signals that must (or must not) be there with the
words their quotes must show, and the deadline of an order's window. Every quote must be on the
page's visible text (read independently with BeautifulSoup) and must not cut a word in two."""
from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup

from server.risk import service
from server.storage import blobs, captures
from tests.risk import blind_pages as bp
from tests.risk.conftest import land, visible_text

NOW = "2026-11-24T12:00:00+08:00"
AT = "2026-11-24T11:00:00.000+08:00"
ABSENT = object()


def S(value=None, effect=None, quote=None):  # noqa: N802 - a table cell
    return {"value": value, "effect": effect, "quote": quote}


CASES = [
    # --- platforms: what they state about deposits and compensation -------------------------
    pytest.param(["km_rules_pays_buyers"], [], "low", None, {
        ("platform", "deposit_system"): S(True, "lowers", "须缴纳不低于1000元的保证金"),
        ("platform", "advance_compensation"): S(True, "lowers", "由平台先行赔付"),
        ("platform", "dispute_channel"): S(True, "lowers"),
        ("platform", "icp_filing"): S(True, "lowers", "浙ICP备14022581号-2"),
        ("platform", "feedback_window"): S(24, "raises", "收货后24小时内申请售后"),
    }, None, id="km-rules-deposit-pays-buyers"),
    pytest.param(["faka_deposit_for_sellers"], ["no_advance_compensation", "no_icp", "unfair_term"], "high", None, {
        # The 保证金 is what a merchant pays to open a payment channel, refundable to the merchant:
        # nothing a buyer is paid from. It must not lower the platform's risk.
        ("platform", "deposit_system"): S(effect="neutral", quote="入驻保证金300元"),
        ("platform", "advance_compensation"): S(False, "raises", "不提供先行赔付"),
        ("platform", "unfair_terms"): S(effect="raises", quote="交易纠纷与本平台无关"),
    }, None, id="faka-deposit-is-a-seller-fee-not-a-buyer-fund"),
    pytest.param(["platform_no_compensation"],
                 ["no_deposit_system", "no_advance_compensation", "unfair_term", "unfair_term"], "high", None, {
        ("platform", "deposit_system"): S(False, "raises", "不收取商家保证金"),
        ("platform", "advance_compensation"): S(False, "raises", "不提供任何形式的先行赔付"),
    }, None, id="platform-says-it-does-not-compensate"),
    pytest.param(["forum_scam_thread"], [], "unknown", None, {
        ("platform", "off_platform_payment"): ABSENT, ("platform", "unfair_terms"): ABSENT,
        ("platform", "icp_filing"): ABSENT, ("platform", "advance_compensation"): ABSENT,
    }, None, id="forum-quoting-scam-words-stays-neutral"),
    # --- sellers on 卡盟 ----------------------------------------------------------------------
    pytest.param(["km_product_jiayipeisan"], ["promise_recorded"], "low", "low", {
        ("platform", "advance_compensation"): S(True, "lowers", "假一赔三"),
        ("seller", "seller_deposit"): S(effect="lowers", quote="保证金：¥1,000.00"),
        ("seller", "shell_shop"): S(effect="lowers", quote="2019-03-12"),
    }, None, id="km-product-jia-yi-pei-san-established-seller"),
    pytest.param(["shop_claims_2015_opened_3_days"], ["shell_shop"], "low", "high", {
        ("seller", "shell_shop"): S(effect="raises", quote="开店时间：2026-11-21"),
    }, None, id="shop-says-since-2015-but-opened-3-days-ago"),
    pytest.param(["km_rules_pays_buyers", "km_seller_no_deposit"], ["no_deposit_system"], "low", "medium", {
        ("seller", "seller_deposit"): S(effect="raises", quote="保证金：¥0.00"),
        ("seller", "shell_shop"): S(effect="lowers"),
    }, None, id="seller-without-deposit-on-a-deposit-platform"),
    pytest.param(["shop_old_few_sales"], ["shell_shop"], "low", "medium", {
        ("seller", "shell_shop"): S(effect="raises", quote="成交量：3"),
    }, None, id="old-shop-almost-no-sales"),
    pytest.param(["km_warns_off_platform"], [], "low", "low", {
        ("seller", "off_platform_payment"): ABSENT,
    }, None, id="km-warning-against-off-platform-deals-is-neutral"),
    pytest.param(["km_police_filing_only"], ["no_icp", "promise_recorded"], "medium", "low", {
        ("platform", "icp_filing"): S(False, "raises"),
    }, None, id="public-security-filing-is-no-icp-filing"),
    # --- single-shop 发卡 sites and off-platform payment --------------------------------------
    pytest.param(["faka_tg_usdt"], ["no_icp", "off_platform_payment", "account_recovery_risk", "promise_recorded"],
                 "medium", "high", {
        ("seller", "off_platform_payment"): S(True, "raises", "TG @feiniao_kf 转USDT"),
        ("platform", "cross_border"): ABSENT,
    }, None, id="faka-telegram-usdt-transfer"),
    pytest.param(["faka_personal_qr"], ["young_platform", "no_icp", "off_platform_payment"], "high", "high", {
        ("seller", "off_platform_payment"): S(True, "raises", "个人微信收款码"),
        ("platform", "platform_age"): S(effect="raises", quote="© 2026 灵犀小店"),
    }, None, id="faka-personal-wechat-qr"),
    pytest.param(["young_km_checkout_shared"], ["young_platform", "no_icp"], "high", "unknown", {
        # A seat on a shared account (一人一位, 请勿修改密码) is not an account the buyer owns: telling the
        # buyer to change its password at once is wrong advice, and no recovery risk is the buyer's.
        ("seller", "account_goods"): ABSENT,
    }, None, id="young-km-shared-account-seat-is-no-account-sale"),
    # --- account markets -------------------------------------------------------------------
    pytest.param(["jym_like_account"], ["account_recovery_risk", "promise_recorded"], "low", "medium", {
        ("seller", "account_goods"): S(True, "raises", "王者荣耀 安卓QQ区 V8 账号"),
        ("platform", "advance_compensation"): S(True, "lowers"),
    }, None, id="account-market-platform-compensates"),
    pytest.param(["pangxie_like_new_seller"], ["no_icp", "shell_shop", "account_recovery_risk"], "medium", "high", {
        ("seller", "shell_shop"): S(effect="raises", quote="2026-11-10"),
        ("seller", "account_goods"): S(True, "raises"),
    }, None, id="account-market-two-week-old-seller"),
    pytest.param(["panzhi_like_order"], ["feedback_deadline", "evidence_gap", "account_recovery_risk"], "low", None, {
        ("platform", "feedback_window"): S(24, "raises", "验号期为发货后24小时"),
    }, "2026-11-25T09:40:10+08:00", id="account-order-24h-check-from-delivery"),
    pytest.param(["qiba_like_order"], ["feedback_deadline", "evidence_gap"], "low", "low", {
        ("platform", "feedback_window"): S(72, "neutral", "交易完成后72小时内可申请售后"),
        ("seller", "shell_shop"): S(effect="lowers", quote="88,102"),
    }, "2026-11-27T10:02:13+08:00", id="game-goods-order-72h-after-completion"),
    pytest.param(["tw_account_market"], ["cross_border", "account_recovery_risk"], "medium", "medium", {
        # A Taiwanese site prices in NT$: foreign for a mainland buyer, and no mainland ICP is expected.
        ("platform", "icp_filing"): ABSENT,
        ("platform", "cross_border"): S(True, "raises", "NT$ 3,200"),
        ("platform", "dispute_channel"): S(True, "lowers", "我要投訴"),
        ("seller", "account_goods"): S(True, "raises", "【帳號】原神"),
    }, None, id="zh-tw-account-market-in-twd"),
    # --- foreign key marketplaces ----------------------------------------------------------
    pytest.param(["g2a_like_product"], ["cross_border", "promise_recorded"], "low", "medium", {
        ("platform", "cross_border"): S(True, "raises", "€27.49"),
        ("platform", "advance_compensation"): S(True, "lowers", "Money-back guarantee"),
        ("platform", "icp_filing"): ABSENT,
    }, None, id="key-marketplace-eur-money-back"),
    pytest.param(["plati_like_ru"], ["cross_border"], "medium", "medium", {
        ("platform", "cross_border"): S(True, "raises", "490 ₽"),
        ("platform", "dispute_channel"): S(True, "lowers", "откройте претензию"),
        ("seller", "shell_shop"): S(effect="neutral", quote="Продано: 12 345"),
    }, None, id="russian-marketplace-rub-grouped-sales"),
    pytest.param(["kinguin_like_order"], ["cross_border", "evidence_gap"], "medium", "unknown", {
        ("platform", "cross_border"): S(True, "raises", "$18.99"),
        ("platform", "feedback_window"): S(48, "raises", "Report a problem within 48 hours"),
    }, None, id="key-marketplace-usd-order-48h-from-reveal"),
    pytest.param(["eneba_like_zh"], ["cross_border", "promise_recorded"], "medium", "unknown", {
        # A Chinese-language storefront of a Lithuanian company pricing in US$: foreign, no ICP expected.
        ("platform", "icp_filing"): ABSENT,
        ("platform", "cross_border"): S(True, "raises", "US$ 21.35"),
    }, None, id="zh-storefront-of-a-foreign-marketplace-in-usd"),
    # --- terms pages -----------------------------------------------------------------------
    pytest.param(["terms_no_refund_with_exception"], [], "low", None, {
        # "非质量问题…不予退换" excepts faulty goods: lawful (消法第二十五条), not an unfair term.
        ("platform", "unfair_terms"): ABSENT,
        ("platform", "feedback_window"): S(12, "raises", "请在购买后12小时内反馈"),
    }, None, id="terms-no-refund-except-quality-problems"),
    pytest.param(["terms_no_seven_day"], [], "low", None, {
        ("platform", "unfair_terms"): ABSENT,
    }, None, id="terms-only-exclude-seven-day-no-reason-returns"),
]

_WORD = re.compile(r"[A-Za-z\u0400-\u04FF0-9'’]")


def _spaced_text(html: str) -> str:
    """The visible text with a space at every tag boundary (where a word may end)."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "template", "noscript", "head", "title"]):
        tag.decompose()
    return re.sub(r"\s+", " ", soup.get_text(" "))


def _cuts_a_word(quote: str, text: str) -> bool:
    """Whether every place ``quote`` stands in ``text`` starts or ends inside a Latin or Cyrillic word
    (a quote found only across tags is not checked)."""
    spots = [m.start() for m in re.finditer(re.escape(quote), text)]
    def cut(at: int) -> bool:
        before = text[at - 1] if at > 0 else " "
        after = text[at + len(quote)] if at + len(quote) < len(text) else " "
        return bool((_WORD.match(quote[0]) and _WORD.match(before) and not quote[0].isdigit())
                    or (_WORD.match(quote[-1]) and _WORD.match(after) and not quote[-1].isdigit()))
    return bool(spots) and all(cut(at) for at in spots)


def _page_text(r, user, snapshot_id, cache):
    if snapshot_id not in cache:
        html = blobs.get(r, user, captures.get(r, user, snapshot_id).sha256).decode("utf-8")
        cache[snapshot_id] = (visible_text(html), _spaced_text(html))
    return cache[snapshot_id]


def _check_quote(r, user, evidence, cache, what):
    if not evidence.get("snapshot_id"):
        return
    text, spaced = _page_text(r, user, evidence["snapshot_id"], cache)
    quote = evidence["quote"]
    assert quote and quote in text, (what, quote)
    assert not _cuts_a_word(quote, spaced), (what, "cuts a word", quote)


@pytest.mark.parametrize(("names", "codes", "platform_level", "seller_level", "signals", "deadline"), CASES)
def test_blind_badge(r, signer, names, codes, platform_level, seller_level, signals, deadline):
    user = "u-blind"
    for name in names:
        page = bp.PAGES[name]
        capture, warnings = land(r, signer, user, html=page["html"], facts=page["facts"], url=page["url"], at=AT)
    cache = {}
    assert sorted(w["code"] for w in warnings) == sorted(codes)
    for warning in warnings:
        assert warning["message"]["zh"] and warning["message"]["en"]
        for evidence in warning["evidence"]:
            _check_quote(r, user, evidence, cache, warning["code"])
        if warning["code"] == "feedback_deadline":
            assert warning["deadline"] == deadline
    risk = service.risk_for_url(r, user, capture.url, now=NOW)
    assert risk["platform"]["level"] == platform_level
    assert (risk["seller"] or {}).get("level") == seller_level
    got = {}
    for subject in ("platform", "seller"):
        for signal in (risk[subject] or {}).get("signals", []):
            got[(subject, signal["code"])] = signal
            for evidence in signal["evidence"]:
                _check_quote(r, user, evidence, cache, signal["code"])
    for key, want in signals.items():
        if want is ABSENT:
            assert key not in got, (key, got.get(key))
            continue
        assert key in got, (key, sorted(got))
        signal = got[key]
        if want["value"] is not None:
            assert signal["value"] == want["value"], (key, signal["value"])
        if want["effect"] is not None:
            assert signal["effect"] == want["effect"], (key, signal["effect"])
        if want["quote"] is not None:
            quotes = [e["quote"] for e in signal["evidence"]]
            assert any(want["quote"] in (q or "") for q in quotes), (key, quotes)


def test_every_blind_page_is_used():
    used = {name for case in CASES for name in case.values[0]}
    assert used == set(bp.PAGES)



NOTICES = {
    # Telegram handle + a USDT transfer to it, as a 发卡 shop's notice says it while its checkout is "down".
    "tg_usdt": ("<div class=\"notice\"><h4>公告</h4><p>支付宝通道维护中，请联系客服TG @feiniao_kf 转USDT下单，"
                "确认到账后手动发卡。</p></div>", "转USDT下单"),
    # The owner's personal WeChat QR below the notice.
    "personal_qr": ("<div class=\"notice\"><p>温馨提示：在线支付暂时关闭，请扫下方个人微信收款码付款，备注订单号，"
                    "客服微信：lingxi_2026</p><img src=\"/qr/wx-personal.png\" alt=\"收款码\"></div>", "收款码"),
    # Round c's three: a 口令红包 to customer service's QQ, a TRC20 address then "contact us", and a
    # bot shop's "DM the payment screenshot to get the goods".
    "red_packet": ("<div class=\"notice\"><p>支付接口升级中，请发送12.5元支付宝口令红包给客服QQ 2876541190，备注充值账号，"
                   "收到后手动充值。</p></div>", "口令红包给客服"),
    "crypto_address": ("<div class=\"desc\"><p>大额订单优惠：仅支持USDT（TRC20）付款，转账至 TQ7sZr4Kx2mD8fNwLp3yHa91bVc6eJt5uR "
                       "后联系客服发货。</p></div>", "后联系客服发货"),
    "screenshot_by_dm": ("<p>付款方式：点击下方按钮跳转机器人，向机器人给出的地址转账USDT（TRC20），付款后私聊 @kuaima_kefu "
                         "发送截图发货。</p>", "私聊 @kuaima_kefu 发送截图"),
}


@pytest.mark.parametrize("notice", sorted(NOTICES))
def test_the_scrapers_read_an_off_platform_request_on_a_real_shop_page(r, signer, notice):
    """End to end, the two blind pages' danger (a request to pay outside the checkout) as the
    scrapers read it, not as a hand label: the notice is put on a real 独角数卡 product page (its
    own template), the scrapers' facts carry the request, and the badge warns from them."""
    from scrapers import extract
    from tests.conftest import ROOT

    base = ROOT / "tests" / "scrapers" / "pages" / "dujiaoka-hyper-product"
    url = json.loads(base.with_suffix(".json").read_text(encoding="utf-8"))["url"]
    markup, words = NOTICES[notice]
    html = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + markup, base.with_suffix(".html").read_text(encoding="utf-8"),
                  count=1)
    facts = extract(html, url).as_dict()
    found = [p["quote"] for p in facts["policies"] if p["kind"] == "off_platform"]
    assert any(words in quote for quote in found), (facts["page_kind"], found)
    _capture, warnings = land(r, signer, f"u-scraped-{notice}", html=html, facts=facts, url=url)
    assert "off_platform_payment" in {w["code"] for w in warnings}
