"""The escalation plan: who to complain to, in order, and by when.

Deadlines come from captured times (page-stated order/payment/delivery times, the buyer's problem
time, the server-received time of a chat) and the platform's own rules where a terms page stating
them was captured; otherwise from general rules. Each step says which rule in ``basis``.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta

from .collect import Collection
from .context import OrderContext, policies
from .kinds import POLICE_THRESHOLD_CNY

SELLER_REPLY_HOURS = 48
CHARGEBACK_DAYS = 120

# What a platform window is counted from, by the words of its clause.
_FROM_PROBLEM = re.compile(r"问题发生|发现问题|出现问题|发生问题|问题出现|after the (problem|issue)|of the (problem|issue)", re.I)
_FROM_DELIVERY = re.compile(r"交付|发货|收货|到账|收到|deliver", re.I)
_FROM_PURCHASE = re.compile(r"购买|下单|付款|支付|订单|purchase|order|payment|paid", re.I)
_ARBITRATION = re.compile(r"介入|仲裁|申诉|投诉|纠纷|维权|申请|dispute|arbitrat|claim|complain", re.I)

OVERDUE_ADVICE = {
    "zh": "已超过平台规则写明的期限。仍可申请：在申请中说明逾期的合理原因（例如问题在期限后才出现、一直在与商家协商、"
          "商家承诺处理后失联），并附上本证据包；平台拒绝受理的，可继续向12315投诉（《电子商务法》第五十九条）。",
    "en": "The deadline in the platform's rules has passed. Apply anyway: state the reasonable cause of the delay (the "
          "problem appeared only later, you were negotiating with the seller, the seller promised a fix and went silent) "
          "and attach this evidence pack; if the platform refuses, complain to 12315 (E-Commerce Law, Article 59).",
}


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _step(step: str, channel: dict, deadline: datetime | None, now: datetime, basis: dict, **extra) -> dict:
    overdue = bool(deadline and now > deadline)
    out = {"step": step, "channel": channel["zh"], "channel_en": channel["en"], "deadline": _iso(deadline),
           "overdue": overdue, "basis": basis, "letter": step}
    if overdue:
        out["advice"] = OVERDUE_ADVICE if step == "platform" else {
            "zh": "期限已过，仍可联系，并说明逾期的合理原因。", "en": "The deadline has passed; still try, and state the reason for the delay."}
    out.update(extra)
    return out


def _anchor(quote: str, ctx: OrderContext) -> tuple[datetime | None, dict]:
    """The moment a platform window counts from, and its name, read from the clause's words."""
    if _FROM_PROBLEM.search(quote):
        return ctx.occurred_at, {"zh": "问题发生时间", "en": "the time the problem occurred"}
    delivered = ctx.at("delivered")
    purchase = ctx.at("paid", "ordered")
    if _FROM_DELIVERY.search(quote) and delivered:
        return delivered[0], {"zh": "页面显示的发货时间", "en": "the delivery time stated on the order page"}
    if _FROM_PURCHASE.search(quote) and purchase:
        return purchase[0], {"zh": "页面显示的下单/付款时间", "en": "the order/payment time stated on the page"}
    if delivered:
        return delivered[0], {"zh": "页面显示的发货时间", "en": "the delivery time stated on the order page"}
    if purchase:
        return purchase[0], {"zh": "页面显示的下单/付款时间", "en": "the order/payment time stated on the page"}
    return None, {"zh": "无可用的起算时间", "en": "no time to count from"}


def platform_windows(coll: Collection, ctx: OrderContext, now: datetime) -> list[dict]:
    out = []
    for policy, item in policies(coll, "feedback_window"):
        hours = policy.get("hours")
        if isinstance(hours, bool) or not isinstance(hours, int | float) or not 0 < hours < 24 * 3650:
            continue
        hours = int(hours) if float(hours).is_integer() else hours
        start, start_name = _anchor(policy.get("quote") or "", ctx)
        deadline = start + timedelta(hours=hours) if start else None
        out.append({"quote": policy.get("quote"), "hours": hours, "snapshot_id": item.id, "sha256": item.sha256,
                    "from": _iso(start), "from_name": start_name, "deadline": _iso(deadline),
                    "overdue": bool(deadline and now > deadline),
                    "arbitration": bool(_ARBITRATION.search(policy.get("quote") or ""))})
    return out


def _seller_step(coll: Collection, ctx: OrderContext, now: datetime) -> dict:
    chats = [e for e in coll.order if e.kind == "chat"] + [e for e in coll.attachments if e.attachment.kind == "chat_log"]
    if chats:
        first = min(chats, key=lambda e: e.when)
        start = first.when
        basis = {"zh": f"一般规则：商家应在48小时内答复；从首次协商记录（证据{first.no}，服务器接收时间 {first.received_at}）起算。",
                 "en": f"General rule: the seller should reply within 48 hours, counted from the first negotiation record "
                       f"(item {first.no}, received by the server at {first.received_at})."}
    else:
        start = ctx.created_at
        basis = {"zh": f"一般规则：商家应在48小时内答复；尚无协商记录，从发起维权的时间（{ctx.created_at.isoformat()}）起算。",
                 "en": f"General rule: the seller should reply within 48 hours; no negotiation record yet, so counted "
                       f"from when this dispute was opened ({ctx.created_at.isoformat()})."}
    channel = {"zh": "平台内置聊天/订单页“联系商家”", "en": "the platform's own chat / “contact seller” on the order page"}
    return _step("seller", channel, start + timedelta(hours=SELLER_REPLY_HOURS), now, basis)


def _platform_step(coll: Collection, ctx: OrderContext, now: datetime) -> dict:
    windows = platform_windows(coll, ctx, now)
    channel = ({"zh": f"{ctx.platform or '平台'}的买家保障/争议入口（Open a dispute）",
                "en": f"{ctx.platform or 'the marketplace'}'s buyer protection (open a dispute)"} if ctx.cross_border else
               {"zh": f"{ctx.platform or '平台'}的“申请平台介入”/投诉入口", "en": f"{ctx.platform or 'the platform'}'s "
                "“ask the platform to step in” / complaint channel"})
    dated = [w for w in windows if w["deadline"]]
    chosen = next((w for w in dated if w["arbitration"]), None) or (min(dated, key=lambda w: w["deadline"]) if dated else None)
    if chosen:
        basis = {"zh": f"平台规则「{chosen['quote']}」（{chosen['hours']}小时，自{chosen['from_name']['zh']} "
                       f"{chosen['from']} 起算），见规则页 {chosen['snapshot_id']}。",
                 "en": f"The platform's rule “{chosen['quote']}” ({chosen['hours']} hours from "
                       f"{chosen['from_name']['en']}, {chosen['from']}), captured in {chosen['snapshot_id']}."}
        deadline = datetime.fromisoformat(chosen["deadline"])
    else:
        basis = {"zh": "未保存平台的规则页，无法确定平台规定的期限：请尽快申请，并保存平台的用户协议/售后规则页。",
                 "en": "No terms page of the platform was captured, so its window is unknown: apply soon, and save the "
                       "platform's user agreement / after-sales rules page."}
        deadline = None
    return _step("platform", channel, deadline, now, basis, windows=windows)


def fraud_indicators(coll: Collection, ctx: OrderContext) -> list[dict]:
    out = []
    if coll.record.problem == "shop_vanished":
        out.append({"code": "shop_vanished", "zh": "付款后店铺消失/商家失联", "en": "the shop vanished after payment"})
    for policy, item in policies(coll, "off_platform"):
        out.append({"code": "off_platform", "zh": f"要求平台外付款：「{policy.get('quote')}」（{item.id}）",
                    "en": f"asked to pay outside the platform: “{policy.get('quote')}” ({item.id})"})
    return out


def _regulator_fields(ctx: OrderContext, coll: Collection, evidence: list[dict]) -> dict:
    from .kinds import problem_name

    return {"商家名称": ctx.seller, "平台名称": ctx.platform, "订单编号": ctx.order_no,
            "问题描述": f"{problem_name(coll.record.problem)}：{coll.record.description}".strip("："),
            "证据清单": [f"证据{e['no']}：{e['title']['zh']} {e.get('url') or ''} SHA-256 {e['sha256']}".replace("  ", " ")
                     for e in evidence]}


def build_escalation(coll: Collection, ctx: OrderContext, evidence: list[dict], now: datetime) -> list[dict]:
    steps = [_seller_step(coll, ctx, now), _platform_step(coll, ctx, now)]
    purchase = ctx.at("paid", "ordered")
    if ctx.cross_border:
        start = purchase[0] if purchase else (min(e.when for e in coll.captures()) if coll.captures() else ctx.created_at)
        steps.append(_step("chargeback", {"zh": "信用卡发卡行（Visa / Mastercard 拒付）", "en": "your card issuer (Visa / Mastercard chargeback)"},
                           start + timedelta(days=CHARGEBACK_DAYS), now, {
                               "zh": f"卡组织的争议期一般为交易后120天（自{'页面显示的付款时间' if purchase else '最早的保存时间'} "
                                     f"{start.isoformat()} 起算），以发卡行的答复为准。",
                               "en": f"Card networks commonly accept disputes within 120 days of the transaction (counted from "
                                     f"{'the payment time stated on the page' if purchase else 'the first capture'}, "
                                     f"{start.isoformat()}); ask your issuing bank."}))
        steps.append(_step("regulator", {"zh": "econsumer.gov（国际消费者投诉）", "en": "econsumer.gov (international consumer complaints)"},
                           None, now, {"zh": "跨境平台不在国内监管范围内，12315作用有限；可通过 econsumer.gov 登记投诉。",
                                       "en": "Domestic regulators have little reach over a foreign marketplace; file at econsumer.gov."}))
    else:
        steps.append(_step("regulator", {"zh": "全国12315平台（www.12315.cn，12315热线）", "en": "the national 12315 platform (www.12315.cn, hotline 12315)"},
                           None, now, {"zh": "《电子商务法》第六十条：可向市场监管部门投诉。12315无固定期限；已接入ODR的经营者通常须在约10个工作日内处理。",
                                       "en": "E-Commerce Law, Article 60: complain to the market regulator. 12315 sets no fixed "
                                             "deadline; operators enrolled in its ODR usually have about 10 working days."},
                           fields=_regulator_fields(ctx, coll, evidence)))
        steps.append(_step("consumer_association", {"zh": "消费者协会（经12315转办或当地消协）", "en": "the consumer association (via 12315 or the local association)"},
                           None, now, {"zh": "《电子商务法》第六十条：可请求消费者组织调解。", "en": "E-Commerce Law, Article 60: ask a consumer organisation to mediate."}))
    reasons = fraud_indicators(coll, ctx)
    amount = ctx.amount_cny()
    if amount is not None and amount > POLICE_THRESHOLD_CNY:
        reasons.insert(0, {"code": "amount", "zh": f"金额 ¥{amount} 超过 ¥{POLICE_THRESHOLD_CNY}",
                           "en": f"the amount ¥{amount} exceeds ¥{POLICE_THRESHOLD_CNY}"})
    if reasons:
        steps.append(_step("police", {"zh": "当地公安机关 / 网上报案", "en": "the local police / online crime report"},
                           None, now, {"zh": "报案理由：" + "；".join(r["zh"] for r in reasons) + "。涉嫌诈骗的可依《消费者权益保护法》第五十五条主张赔偿。",
                                       "en": "Reasons: " + "; ".join(r["en"] for r in reasons) + ". Fraud may also be claimed "
                                             "under Article 55 of the Consumer Rights Protection Law."},
                           reasons=list(dict.fromkeys(r["code"] for r in reasons))))
    return steps
