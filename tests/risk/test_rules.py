"""The rules on their own (no Redis): readings, weights, levels, warnings and page text."""
from __future__ import annotations

import pytest

from server import rules
from server.risk import messages, score, warnings
from server.risk.model import Observation, Signal
from server.risk.offline import read_signals
from server.risk.pagetext import clip, find_quote, page_lines
from server.risk.signals import feedback_windows, unfair_clauses
from tests.risk import pages
from tests.risk.conftest import fixture_facts

NOW = "2026-11-24T12:00:00+08:00"


def _sig(code, effect, weight, critical=False, evidence=1):
    return Signal(code, "seller", True, effect, weight,
                  [{"snapshot_id": "snp_x", "quote": "q", "url": None, "seen_at": None}] * evidence, critical)


def test_critical_finding_cannot_be_outweighed_by_bonuses():
    bonuses = [_sig("seller_deposit", "lowers", 8), _sig("shell_shop", "lowers", 10),
               _sig("deposit_system", "lowers", 12), _sig("advance_compensation", "lowers", 12),
               _sig("platform_age", "lowers", 12)]
    level, value, _ = score.score(bonuses + [_sig("off_platform_payment", "raises", 40, critical=True)])
    assert level == "high" and value >= rules.weights()["critical_floor"]
    assert score.score(bonuses)[0] == "low"


def test_unknown_is_never_scored():
    no_evidence = [Signal("deposit_system", "platform", True, "lowers", 12, [])]
    assert score.score(no_evidence) == ("unknown", None, 0.0)
    assert score.score([]) == ("unknown", None, 0.0)


def test_confidence_grows_with_evidence():
    one = score.score([_sig("account_goods", "raises", 15)])[2]
    three = score.score([_sig("account_goods", "raises", 15, evidence=3)])[2]
    many = score.score([_sig(c, "raises", 1, evidence=3) for c in ("a", "b", "c", "d")])[2]
    assert 0 < one < three < many <= 1


@pytest.mark.parametrize(("quote", "blanket"), [
    ("虚拟商品一经售出概不退换", True),
    ("虚拟卡密一经售出不退不换", True),
    ("一经购买概不退款", True),
    ("All sales are final", True),
    ("账号类商品售出后不支持无理由退款", False),
], ids=["yijing-shouchu", "butui-buhuan", "gaibu-tuikuan", "all-sales-final", "no-reason-only"])
def test_blanket_no_refund(quote, blanket):
    facts = pages.facts("https://a.example.com/", "example.com",
                        policies=[{"kind": "no_refund", "quote": quote, "hours": None}])
    assert bool(unfair_clauses(facts)) is blanket


@pytest.mark.parametrize(("quote", "hours", "base", "kind"), [
    ("须在交付后24小时内反馈问题", 24, "delivery", "feedback"),
    ("问题发生7天内可申请平台介入", 168, "problem", "platform_apply"),
    ("平台只处理24小时内订单", 24, "purchase", "feedback"),
    ("Open a dispute from this page within 30 days of purchase", 720, "purchase", "platform_apply"),
    ("Problems with your order must be reported within 48 hours of revealing the key", 48, "reveal", "feedback"),
    ("请在24小时内登录验证", 24, "delivery", "verify_now"),
    ("收到卡密后12小时内验证，超时视为确认", 12, "delivery", "verify_now"),
    ("Report any issue within 72 hours after the problem occurs via a support ticket", 72, "problem", "feedback"),
], ids=["after-delivery", "after-problem", "orders-within", "english-purchase", "reveal-over-order", "no-words",
        "verify-after-receipt", "english-problem"])
def test_feedback_window_clock_start(quote, hours, base, kind):
    facts = pages.facts("https://a.example.com/", "example.com",
                        policies=[{"kind": "feedback_window", "quote": quote, "hours": hours}])
    assert feedback_windows(facts) == [{"hours": float(hours), "quote": quote, "from": base, "kind": kind}]


def _judgement_of(*facts_list, problem=None):
    """The order judgement of pages given as facts (pure: no Redis)."""
    from server.facts import typed
    from server.risk.gather import Item, OrderEvidence
    from server.risk.order import judge

    ev = OrderEvidence(domain=facts_list[0]["domain"], order_no=facts_list[0]["order"]["order_no"])
    for n, facts in enumerate(facts_list):
        ev.order.append(Item(id=f"snp_{n}", type="capture", kind=facts["page_kind"], sha256=f"{n:064x}",
                             received_at=NOW, role="order", facts=typed(facts)))
    return judge(ev, problem)


def test_feedback_deadline_from_this_page():
    facts = fixture_facts("xingchen-km-order.html")
    facts["policies"] = [{"kind": "feedback_window", "quote": "交付后24小时内反馈", "hours": 24}]
    judgement = _judgement_of(facts)
    found = [w for w in warnings.capture_warnings(Observation(facts, "snp_0", facts["url"], NOW), now=NOW,
                                                  judgement=judgement) if w["code"] == "feedback_deadline"]
    assert len(found) == 1
    assert found[0]["deadline"] == "2026-11-25T10:05:40+08:00"
    assert found[0]["message"]["zh"] == "平台规定交付后24小时内反馈问题：截止 2026-11-25 10:05"
    assert "24 hours" in found[0]["message"]["en"]
    window, = [w for w in judgement.windows if w.kind == "feedback"]
    assert window.deadline.isoformat() == found[0]["deadline"]


def test_read_signals_from_facts_only():
    """The pure entry point works on contract facts alone (quotes then come from the facts)."""
    out = read_signals([fixture_facts("xingchen-km-terms.html"), fixture_facts("risky-shop-order.html")], now=NOW)
    codes = {s["code"] for s in out["platform"]}
    assert {"deposit_system", "advance_compensation", "unfair_terms", "feedback_window", "icp_filing"} <= codes
    seller = out["sellers"]["_shop"]
    off = next(s for s in seller if s["code"] == "off_platform_payment")
    assert off["critical"] and [e["quote"] for e in off["evidence"]] == ["请加QQ 2876543210 付款", "扫个人微信收款码"]
    shell = next(s for s in seller if s["code"] == "shell_shop")
    assert shell["value"] == {"opened_on": "2026-11-21", "days_open": 3, "counted_to": "order"}
    assert shell["effect"] == "raises"


@pytest.mark.parametrize(("hours", "zh", "en"), [
    (24, "24小时", "24 hours"), (168, "7天", "7 days"), (1, "1小时", "1 hour"), (36, "36小时", "36 hours"),
], ids=["24h", "7d", "1h", "36h"])
def test_durations(hours, zh, en):
    assert messages.duration(hours) == {"zh": zh, "en": en}


def test_every_warning_code_is_in_the_contract():
    contract = {"no_deposit_system", "no_advance_compensation", "young_platform", "no_icp", "unfair_term",
                "no_refund_claim", "feedback_deadline", "off_platform_payment", "shell_shop", "cross_border",
                "account_recovery_risk", "promise_recorded", "evidence_gap", "crowd_disputes"}
    table = rules.table("warnings")
    variants = ("shell_shop_few_sales", "shell_shop_no_order", "unfair_term_cross_border", "no_refund_claim_cross_border")
    table_codes = {code for code in table if code not in ("words", *variants)}
    assert table_codes == contract
    for code in table_codes:
        row = rules.warning(code)
        assert row["severity"] in ("info", "caution", "danger") and row["zh"] and row["en"]


def test_no_deposit_warnings():
    facts = pages.facts("https://a.example.com/shop/1", "example.com", page_kind="shop",
                        platform={"name": "甲卡盟", "deposit_system": False, "advance_compensation": False})
    html = "<html><body><p>本平台不设保证金，本站不提供先行赔付。</p></body></html>"
    found = warnings.capture_warnings(Observation(facts, "snp_1", facts["url"], NOW, page_lines(html)))
    assert sorted(w["code"] for w in found) == ["no_advance_compensation", "no_deposit_system"]
    assert all(e["quote"] in "本平台不设保证金，本站不提供先行赔付。" for w in found for e in w["evidence"])


def test_hidden_text_is_not_visible():
    html = ("<html><body><p>看得见</p><div hidden>隐藏一</div><p style='display: none'>隐藏二</p>"
            "<script>var a='脚本'</script><template><p>模板</p></template><p>甲<b>乙</b>丙</p></body></html>")
    assert page_lines(html) == ["看得见", "甲乙丙"]
    assert page_lines("") == [] and page_lines("   ") == [] and page_lines(b"\xff\xfe") == ["\ufffd\ufffd"]


def test_quotes_are_short_substrings():
    line = "第一句话很长很长很长很长很长很长很长很长很长很长很长很长。本平台实行商家保证金制度。第三句话也很长很长很长很长很长很长很长很长很长很长很长。"
    quote = find_quote([line], r"保证金制度")
    assert quote == "本平台实行商家保证金制度。" and quote in line
    assert clip("短句", 0, 1) == "短句"


@pytest.mark.parametrize(("line", "quote", "start"), [
    ("Keep this key private. Contact us within 48 hours of revealing the key if it does not work.",
     "Contact us within 48 hours", "reveal"),
    ("逾期视为确认收货，收到卡密后请在24小时内验证，超时不予处理。", "24小时内验证", "delivery"),
    ("问题发生后，须在7天内申请平台介入；交付后24小时内反馈。", "须在7天内申请平台介入", "problem"),
    ("自下单起3天内可申请售后，交付后24小时内须验号。", "24小时内须验号", "delivery"),
    ("付款后48小时内发货，72小时内可申请退款。", "72小时内可申请退款", None),
    ("请在24小时内登录验证", "请在24小时内登录验证", None),
], ids=["english-reveal-after-quote", "chinese-receipt-before-quote", "problem-in-the-part-before",
        "own-part-first", "not-another-limits-start", "no-words"])
def test_a_window_reads_the_words_around_its_quote(line, quote, start):
    from server.risk import clauses
    from server.risk.pagetext import sentence_of

    sentence = sentence_of([line], quote)
    assert quote in sentence
    assert clauses.window_start_around(quote, sentence) == start
