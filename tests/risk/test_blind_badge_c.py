"""Blind test of the risk badge, round c: 24 pages of kinds the first round has not got
(tests/risk/blind_pages_c.py, facts labelled by hand), landed as the capture route lands them and
judged as a buyer-protection expert judges them: the capture's exact warnings, the platform and
seller levels, the signals that must (or must not) be there with the words their quotes show, and
the deadline of an order's window. Every quote must be in the page's visible text (read
independently with BeautifulSoup) and must not cut a word in two (the first round's checks)."""
from __future__ import annotations

import pytest

from server.risk import service
from tests.risk import blind_pages_c as bp
from tests.risk.conftest import land
from tests.risk.test_blind_badge import ABSENT, S, _check_quote

NOW = "2026-11-24T12:00:00+08:00"
AT = "2026-11-24T11:00:00.000+08:00"
NOT_LOWERS = object()  # absent, or present without lowering the risk

CASES = [
    # --- platforms: what they state, and what their statements are worth ----------------------
    pytest.param(["qiba_baopei_rules"], [], "low", None, {
        ("platform", "advance_compensation"): S(True, "lowers", "由平台先行赔付"),
        ("platform", "dispute_channel"): S(True, "lowers", "申请平台介入"),
        ("platform", "icp_filing"): S(True, "lowers", "沪ICP备11020345号-3"),
        ("platform", "platform_age"): S(effect="lowers", quote="2011"),
    }, None, id="account-market-baopei-tiers-platform-pays-first"),
    pytest.param(["key_paid_guarantee"], ["cross_border"], "medium", "medium", {
        # A money-back guarantee the buyer must buy (an unticked $1.49 add-on) protects nobody who
        # did not: it is no reason to trust the marketplace.
        ("platform", "advance_compensation"): NOT_LOWERS,
        ("platform", "cross_border"): S(True, "raises", "$19.87"),
        ("seller", "shell_shop"): S(effect="neutral", quote="48,210"),
    }, None, id="key-marketplace-money-back-is-a-paid-add-on"),
    pytest.param(["faka_borrowed_icp"], [], "low", None, {
        # An ICP number is shown (whose company it names cannot be told from the page: an operator's
        # company name often differs from its brand); the signal says "shown", quoting it.
        ("platform", "icp_filing"): S(True, "lowers", "粤ICP备19045678号-1"),
    }, None, id="faka-icp-beside-another-company-name"),
    # A site announcing that it closes: after-sales, disputes and balances end with it. The contract's
    # warning codes have none for it (codes are kept exactly): the signal, critical, makes it high.
    pytest.param(["km_closing_notice"], [], "high", None, {
        ("platform", "platform_closing"): S(effect="raises", quote="2026年12月15日起停止运营"),
        ("platform", "icp_filing"): S(True, "lowers"),
    }, None, id="platform-announces-it-will-close"),
    pytest.param(["km_advance_excludes_virtual"], ["no_advance_compensation"], "low", None, {
        ("platform", "advance_compensation"): S(False, "raises", "不适用于虚拟商品"),
        ("platform", "dispute_channel"): S(True, "lowers", "申请平台介入"),
    }, None, id="advance-compensation-excludes-virtual-goods"),
    pytest.param(["km_no_intervention"], ["no_advance_compensation"], "medium", None, {
        ("platform", "advance_compensation"): S(False, "raises", "平台无先行赔付"),
        ("platform", "dispute_channel"): S(False, "raises", "平台不介入买卖双方的交易纠纷"),
    }, None, id="platform-does-not-intervene-nor-compensate"),
    pytest.param(["news_scam_report"], [], "unknown", None, {
        ("platform", "icp_filing"): ABSENT, ("platform", "advance_compensation"): ABSENT,
        ("platform", "deposit_system"): ABSENT, ("platform", "unfair_terms"): ABSENT,
        ("seller", "off_platform_payment"): ABSENT,
    }, None, id="news-article-quoting-scam-words-stays-neutral"),
    pytest.param(["km_claims_ten_years"], ["young_platform", "no_icp"], "high", None, {
        ("platform", "platform_age"): S(effect="raises", quote="Copyright © 2026 九州卡盟"),
        ("platform", "icp_filing"): S(False, "raises"),
    }, None, id="claims-ten-years-copyright-this-year"),
    # --- payment outside the checkout ----------------------------------------------------------
    pytest.param(["faka_alipay_kouling"], ["no_icp", "off_platform_payment"], "medium", "high", {
        ("seller", "off_platform_payment"): S(True, "raises", "支付宝口令红包"),
        ("platform", "platform_age"): S(effect="neutral", quote="2025"),
    }, None, id="faka-alipay-red-packet-code-to-qq"),
    pytest.param(["km_usdt_trc20"], ["off_platform_payment", "account_recovery_risk", "promise_recorded"], "low",
                 "high", {
        ("seller", "off_platform_payment"): S(True, "raises", "USDT（TRC20）"),
        ("seller", "shell_shop"): S(effect="lowers", quote="2024-06-18"),
        ("seller", "account_goods"): S(True, "raises", "ChatGPT Plus 独享成品号"),
    }, None, id="km-seller-asks-usdt-trc20"),
    pytest.param(["tg_shop_web"],
                 ["young_platform", "no_icp", "no_refund_claim", "off_platform_payment", "account_recovery_risk",
                  "promise_recorded"], "high", "high", {
        ("seller", "off_platform_payment"): S(True, "raises", "@kuaima_kefu"),
        ("platform", "cross_border"): ABSENT,
        ("platform", "unfair_terms"): S(effect="raises", quote="一经售出概不退换"),
    }, None, id="telegram-shop-usdt-to-bot"),
    pytest.param(["km_shop_qq_contact"], [], "low", "low", {
        ("seller", "off_platform_payment"): ABSENT,
        ("seller", "shell_shop"): S(effect="lowers", quote="120,553"),
        ("seller", "seller_deposit"): S(effect="lowers", quote="保证金：¥3,000.00"),
    }, None, id="shop-after-sales-qq-is-no-off-platform-request"),
    # --- sellers ---------------------------------------------------------------------------------
    pytest.param(["jym_98pct_two_days"], ["shell_shop"], "low", "high", {
        ("seller", "shell_shop"): S(effect="raises", quote="开店时间：2026-11-22"),
    }, None, id="seller-98-percent-positive-two-days-old"),
    pytest.param(["km_deposit_alt_only"], [], "low", "low", {
        # The badge image's alt text is not on the page a person reads: no deposit signal.
        ("seller", "seller_deposit"): ABSENT, ("platform", "deposit_system"): ABSENT,
        ("platform", "advance_compensation"): ABSENT,
        ("seller", "shell_shop"): S(effect="lowers", quote="5,120"),
    }, None, id="deposit-only-in-image-alt-text"),
    pytest.param(["km_deposit_wan"], [], "low", "low", {
        ("seller", "seller_deposit"): S(effect="lowers", quote="1万元"),
        ("seller", "shell_shop"): S(effect="lowers", quote="3.2万"),
    }, None, id="deposit-and-sales-written-in-wan"),
    pytest.param(["km_baozhangjin_seller"], ["promise_recorded"], "low", "low", {
        ("platform", "advance_compensation"): S(True, "lowers", "消费者保障金"),
        ("seller", "seller_deposit"): S(effect="lowers", quote="消费者保障金 ¥2,000"),
    }, None, id="seller-consumer-guarantee-fund-taobao-wording"),
    pytest.param(["km_usd_giftcard_for_cny"], ["promise_recorded"], "low", "low", {
        ("platform", "cross_border"): ABSENT,
        ("seller", "seller_deposit"): S(effect="lowers", quote="保证金：¥2,000.00"),
    }, None, id="usd-gift-card-sold-for-yuan-is-domestic"),
    pytest.param(["panzhi_account_baopei"], ["account_recovery_risk", "promise_recorded"], "low", "medium", {
        ("seller", "account_goods"): S(True, "raises"),
        ("seller", "seller_deposit"): S(effect="lowers", quote="¥5,000"),
        ("seller", "shell_shop"): S(effect="lowers", quote="2021-09-30"),
    }, None, id="account-seller-promises-baozhaohui"),
    # --- foreign marketplaces --------------------------------------------------------------------
    pytest.param(["plati_ru_new_seller"], ["cross_border", "shell_shop", "promise_recorded"], "medium", "high", {
        ("platform", "cross_border"): S(True, "raises", "690 ₽"),
        ("seller", "shell_shop"): S(effect="raises", quote="14.11.2026"),
        ("platform", "feedback_window"): S(720, "neutral", "откройте претензию в течение 30 дней"),
    }, None, id="russian-seller-registered-dd-mm-yyyy"),
    pytest.param(["key_seller_joined_dmy"], ["cross_border", "shell_shop"], "medium", "high", {
        ("platform", "cross_border"): S(True, "raises", "€34.90"),
        ("seller", "shell_shop"): S(effect="raises", quote="Joined 21 Nov 2026"),
    }, None, id="key-seller-joined-day-month-year"),
    pytest.param(["tw_8591_coins"], ["cross_border"], "medium", "low", {
        ("platform", "cross_border"): S(True, "raises", "NT$ 860"),
        ("platform", "icp_filing"): ABSENT,
        ("platform", "feedback_window"): S(72, "neutral"),
        ("seller", "shell_shop"): S(effect="lowers", quote="2019/05/02"),
        ("seller", "account_goods"): ABSENT,
    }, None, id="zh-tw-game-coins-in-twd"),
    pytest.param(["key_terms_all_sales_final"], ["cross_border", "no_refund_claim", "unfair_term"], "medium", None, {
        ("platform", "unfair_terms"): S(effect="raises", quote="No refunds under any circumstances"),
        ("platform", "feedback_window"): S(24, "raises", "within 24 hours of purchase"),
        ("platform", "cross_border"): S(True, "raises"),
    }, None, id="foreign-terms-all-sales-final"),
    pytest.param(["hk_storefront_paid_protection"], ["cross_border"], "medium", "medium", {
        ("platform", "cross_border"): S(True, "raises", "HK$ 203.50"),
        ("platform", "advance_compensation"): NOT_LOWERS,
        ("platform", "icp_filing"): ABSENT,
    }, None, id="zh-tw-hk-storefront-paid-buyer-protection"),
    # --- orders ----------------------------------------------------------------------------------
    pytest.param(["km_order_2h_check"], ["feedback_deadline", "evidence_gap"], "low", None, {
        ("platform", "feedback_window"): S(2, "raises", "请于提货后2小时内核对卡密"),
    }, "2026-11-24T12:15:09+08:00", id="order-2h-check-from-pick-up"),
]


@pytest.mark.parametrize(("names", "codes", "platform_level", "seller_level", "signals", "deadline"), CASES)
def test_blind_badge_c(r, signer, names, codes, platform_level, seller_level, signals, deadline):
    user = "u-blind-c"
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
        if "cross_border" in codes:  # a foreign marketplace is not promised Chinese law's remedies
            assert "此类条款无效" not in warning["message"]["zh"], warning["message"]
    risk = service.risk_for_url(r, user, capture.url, now=NOW)
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
        if want is NOT_LOWERS:
            assert key not in got or got[key]["effect"] != "lowers", (key, got[key])
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
    assert risk["platform"]["level"] == platform_level
    assert (risk["seller"] or {}).get("level") == seller_level


def test_every_round_c_page_is_used():
    used = {name for case in CASES for name in case.values[0]}
    assert used == set(bp.PAGES)
