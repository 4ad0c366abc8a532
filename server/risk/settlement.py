"""What a seller offers or demands around a refund that the buyer need not accept (round 6):

- a refund in kind: points, diamonds, coupons or game currency instead of the money paid (补偿你1000点券,
  只能给你一张优惠券): the buyer paid money and may refuse it, as with a balance (``refund_to_balance``,
  whose finding it joins with ``in_kind``);
- a refund made to depend on withdrawing a complaint (先撤销投诉/取消平台介入再退款): the claim owes
  nothing to that; keep the complaint until the money has arrived (``withdraw_for_refund``);
- a second payment asked for an order its own page shows paid (系统显示你没付款成功，请重新付款): the
  page is the proof of payment; do not pay again, ask for the payment's records (电商法第六十二条)
  (``pay_again_demand``).

Read on the order's pages and the other side's chat lines (``frozen.own_lines``: the buyer's own line
is their complaint). The patterns live here, not in the scrapers' clauses.toml, which other helpers
own this round.
"""
from __future__ import annotations

import re

from .. import rules
from .frozen import own_lines
from .gather import OrderEvidence
from .gather import evidence_of as _evidence

IN_KIND = re.compile(
    r"(?:补偿|赔偿|赔|退款|退还|退|返还|返)(?:给)?(?:你|您)?[^，。；,;]{0,8}?\d*\s*(?:个|张|枚|点)?"
    r"(?:点券|钻石|金币|游戏币|元宝|代金券|优惠券|积分|Q币|礼品卡|兑换券)"
    r"|(?:点券|钻石|金币|游戏币|元宝|代金券|优惠券|积分|Q币|兑换券)[^，。；,;]{0,4}(?:作为|当作?|抵)(?:补偿|退款|赔偿)"
    r"|(?:refund|compensat\w*)[^.;]{0,30}(?:coupon|voucher|in-game currency|gems|coins|points)", re.I)
NOT_IN_KIND = re.compile(r"充值|到账|发货|已发|兑换码为|卡密", re.I)
WITHDRAW = re.compile(
    r"(?:撤销|撤回|撤掉|撤|取消|关闭)(?:了)?(?:你的|您的)?(?:投诉|举报|平台介入|介入申请|申诉|纠纷|售后申请|12315)"
    r"[^。；;]{0,12}?(?:再|才|后|就)[^。；;]{0,6}?(?:退|处理|补发|赔)"
    r"|withdraw (?:the |your )?(?:complaint|dispute|claim|case)[^.;]{0,30}(?:refund|resolve)", re.I)
PAY_AGAIN = re.compile(r"(?:重新|再次|再)(?:付款|支付|付一次|付一遍|转账|转一次)|pay (?:again|once more)", re.I)
NOT_PAID = re.compile(r"没付款成功|没有付款成功|未付款|没收到(?:款|钱|你的付款)|付款失败|支付失败|掉单|未到账|没到账|"
                      r"payment (?:failed|not received)", re.I)
PAID_STATUSES = ("paid", "delivered", "refunded", "disputed")


def _other_side(ev: OrderEvidence):
    for item in sorted([i for i in ev.order + ev.chats if i.kind in ("order", "chat") and i.facts], key=lambda i: i.when):
        for line, by_buyer in own_lines(item):
            if not by_buyer:
                yield item, line


def in_kind(line: str | None) -> str | None:
    """The words of a line refunding or compensating in points, coupons or game currency; None otherwise."""
    text = line or ""
    found = IN_KIND.search(text)
    return None if not found or NOT_IN_KIND.search(text) else found.group(0)


def withdraw_for_refund(line: str | None) -> str | None:
    """The words of a line making a refund depend on withdrawing a complaint; None otherwise."""
    found = WITHDRAW.search(line or "")
    return found.group(0) if found else None


def pay_again(line: str | None) -> str | None:
    """The words of a line asking for the payment again because it "did not arrive"; None otherwise."""
    text = line or ""
    found = PAY_AGAIN.search(text)
    return found.group(0) if found and NOT_PAID.search(text) else None


def in_kind_findings(ev: OrderEvidence, cross_border: bool) -> list[dict]:
    law = "cross_border" if cross_border else "domestic"
    for item, line in _other_side(ev):
        if in_kind(line):
            return [{"code": "refund_to_balance", "quote": line, "made": False, "in_kind": True,
                     "evidence": [_evidence(item, line)], "remedy": rules.texts("findings", "refund_to_balance", "remedy"),
                     "explanation": rules.text("findings", "refund_to_balance", f"{law}_in_kind", quote=line)}]
    return []


def withdraw_findings(ev: OrderEvidence) -> list[dict]:
    for item, line in _other_side(ev):
        if withdraw_for_refund(line):
            return [{"code": "withdraw_for_refund", "quote": line, "evidence": [_evidence(item, line)],
                     "explanation": rules.text("findings", "withdraw_for_refund", "explanation", quote=line)}]
    return []


def pay_again_findings(ev: OrderEvidence) -> list[dict]:
    """Only when a saved page of the order shows it paid: an order its page shows unpaid may really
    need paying, and asking for it is ordinary."""
    paid = [i for i in ev.order if i.kind in ("order", "checkout") and i.facts and (
        i.facts.order.status in PAID_STATUSES or any(t.role == "paid" for t in i.facts.timestamps))]
    if not paid:
        return []
    for item, line in _other_side(ev):
        if pay_again(line):
            shown = paid[0].facts.order.order_no or ""
            return [{"code": "pay_again_demand", "quote": line, "evidence": [_evidence(item, line), _evidence(paid[0], shown)],
                     "explanation": rules.text("findings", "pay_again_demand", "explanation", quote=line)}]
    return []
