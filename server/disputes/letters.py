"""Complaint letters, one per escalation step, in Chinese and English: the facts filled in, the
evidence cited by item number and SHA-256, the law cited plainly (../shared/LEGAL.md), polite."""
from __future__ import annotations

from .collect import Collection
from .context import OrderContext
from .kinds import problem_name

# problem → what the buyer asks for (zh, en).
REMEDY = {
    "account_recovered": ("恢复账号或按承诺全额退款", "restore the account or refund in full as promised"),
    "account_banned": ("更换可正常使用的账号或退款", "replace it with a working account or refund"),
    "not_as_described": ("按描述履行、更换或退款", "deliver what was described, replace it, or refund"),
    "invalid_code": ("更换有效的卡密或退款", "replace the code with a working one or refund"),
    "not_delivered": ("立即发货或全额退款", "deliver now or refund in full"),
    "delivery_late": ("立即发货或全额退款", "deliver now or refund in full"),
    "seller_unresponsive": ("答复并处理本订单的问题", "reply and resolve this order"),
    "platform_stalling": ("处理本订单的问题", "resolve this order"),
    "shop_vanished": ("全额退款", "refund in full"),
    "other": ("协商处理本订单的问题", "resolve this order"),
}
MAX_CITED = 20


def _money(ctx: OrderContext) -> tuple[str, str]:
    if not ctx.amount:
        return "（金额见订单页）", "(amount: see the order page)"
    text = f"{ctx.amount['amount']} {ctx.amount['currency']}"
    return (f"¥{ctx.amount['amount']}" if ctx.amount["currency"] == "CNY" else text), text


def _cited(evidence: list[dict], findings: list[dict], checklist: list[dict]) -> list[dict]:
    wanted: list[str] = []
    for finding in findings:
        wanted += [e["snapshot_id"] for e in finding.get("evidence", [])]
    for row in checklist:
        wanted += row["evidence"][:2]
    by_id = {e["id"]: e for e in evidence}
    seen, out = set(), []
    for item_id in wanted:
        if item_id in by_id and item_id not in seen:
            seen.add(item_id)
            out.append(by_id[item_id])
    out.sort(key=lambda e: e["no"])
    return out[:MAX_CITED]


def _evidence_block(cited: list[dict], total: int) -> tuple[str, str]:
    zh = [f"证据{e['no']}：{e['title']['zh']}{'，' + e['url'] if e.get('url') else ''}，服务器接收时间 {e['received_at']}，"
          f"SHA-256：{e['sha256']}" for e in cited]
    en = [f"Item {e['no']}: {e['title']['en']}{', ' + e['url'] if e.get('url') else ''}, received by the server at "
          f"{e['received_at']}, SHA-256: {e['sha256']}" for e in cited]
    if total > len(cited):
        zh.append(f"（完整的{total}项证据见证据包的 manifest.json，可用 kadun verify 离线校验。）")
        en.append(f"(All {total} items are listed in the evidence pack's manifest.json and can be checked offline with kadun verify.)")
    return "\n".join(zh), "\n".join(en)


def _no(ids: list[str], evidence: list[dict]) -> str:
    numbers = sorted({e["no"] for e in evidence if e["id"] in ids})
    return "、".join(f"证据{n}" for n in numbers)


def _facts_paragraph(coll: Collection, ctx: OrderContext, evidence: list[dict]) -> tuple[str, str]:
    purchase = ctx.at("paid", "ordered")
    when = _when(purchase[0]) if purchase else "（见订单页）"
    told = coll.record.description.strip()
    if told and told[-1] not in "。.!！?？":
        told += "。"
    zh_money, en_money = _money(ctx)
    item = ctx.product or "（见订单页）"
    problem = coll.record.problem
    zh = (f"我于 {when} 在{ctx.platform or '贵平台'}向{ctx.seller or '商家'}购买了「{item}」，订单编号 {ctx.order_no or '（见订单页）'}，"
          f"实付 {zh_money}。自 {_when(coll.record.occurred_at)} 起出现问题：{problem_name(problem)}。{told}")
    en = (f"On {when} I bought “{item}” from {ctx.seller or 'the seller'} on {ctx.platform or 'your platform'}, order number "
          f"{ctx.order_no or '(see the order page)'}, paying {en_money}. Since {_when(coll.record.occurred_at)}: "
          f"{problem_name(problem, 'en')}. {told}")
    return zh.strip(), en.strip()


def _when(value) -> str:
    """A time as a person writes it: 2026-11-24 10:03:40 (UTC+08:00)."""
    from datetime import datetime

    from ..clock import parse_iso

    try:
        moment = value if isinstance(value, datetime) else parse_iso(str(value))
    except ValueError:
        return str(value)
    offset = moment.strftime("%z")
    return f"{moment.strftime('%Y-%m-%d %H:%M:%S')} (UTC{offset[:3]}:{offset[3:]})"


def _cite(finding_list: list[dict], evidence: list[dict]) -> tuple[str, str]:
    ids = [e["snapshot_id"] for f in finding_list for e in f.get("evidence", [])]
    zh = _no(ids, evidence)
    return (f"（{zh}）" if zh else ""), (f" ({zh.replace('证据', 'item ').replace('、', ', ')})" if zh else "")


def _quotes(finding_list: list[dict], sep: str, left: str, right: str) -> str:
    return sep.join(f"{left}{f['quote']}{right}" for f in finding_list)


# Which findings each letter argues: the seller hears about its promises and "no refund", the
# platform and regulators also about the platform's own clauses and off-platform payment.
ARGUED = {"seller": ("promise_broken", "description_changed", "no_refund_claim")}
ALL_CODES = ("promise_broken", "description_changed", "no_refund_claim", "unfair_term", "off_platform_payment")


def _findings_paragraph(findings: list[dict], evidence: list[dict], step: str, problem: str) -> tuple[str, str]:
    codes = ARGUED.get(step, ALL_CODES)
    by_code = {code: [f for f in findings if f["code"] == code] for code in codes}
    zh, en = [], []
    promises = by_code.get("promise_broken") or []
    if promises:
        cz, ce = _cite(promises, evidence)
        zh.append(f"商家承诺{_quotes(promises, '、', '「', '」')}{cz}，而实际情况是{problem_name(problem)}。依据《消费者权益保护法》"
                  "第二十三条、第二十四条，商品应当与所作的说明相符；不符的，消费者可以要求退货、更换或修理。")
        en.append(f"The seller promised {_quotes(promises, ', ', '“', '”')}{ce}, but {problem_name(problem, 'en')}. Under "
                  "Articles 23 and 24 of the Consumer Rights Protection Law goods must match what the seller stated; "
                  "when they do not, the buyer may ask for a return, replacement or repair.")
    for code in ("description_changed", "unfair_term", "off_platform_payment"):
        for finding in by_code.get(code) or []:
            cz, ce = _cite([finding], evidence)
            zh.append(finding["explanation"]["zh"] + cz)
            en.append(finding["explanation"]["en"] + ce)
    refusals = by_code.get("no_refund_claim") or []
    if refusals:
        cz, ce = _cite(refusals, evidence)
        zh.append(f"页面所称{_quotes(refusals, '、', '「', '」')}{cz}最多只能排除七天无理由退货（《消费者权益保护法》第二十五条）；"
                  "本案是商品与描述不符或不能正常使用，依第二十三条、第二十四条仍可要求退货、更换或修理。")
        en.append(f"The statements {_quotes(refusals, ', ', '“', '”')}{ce} can at most exclude the seven-day no-reason "
                  "return (Article 25); goods that are not as described or do not work can still be returned, replaced or "
                  "repaired under Articles 23 and 24.")
    return "\n\n".join(zh), "\n\n".join(en)


def build_letters(coll: Collection, ctx: OrderContext, findings: list[dict], checklist: list[dict],
                  escalation: list[dict], evidence: list[dict]) -> dict:
    facts_zh, facts_en = _facts_paragraph(coll, ctx, evidence)
    ev_zh, ev_en = _evidence_block(_cited(evidence, findings, checklist), len(evidence))
    remedy_zh, remedy_en = REMEDY.get(coll.record.problem, REMEDY["other"])
    out = {}
    for step in escalation:
        deadline = step.get("deadline")
        name = step["step"]
        if name == "seller":
            head_zh, head_en = f"{ctx.seller or '商家'}您好：", f"Dear {ctx.seller or 'seller'},"
            ask_zh = f"请在 {_when(deadline)} 前（48小时内）{remedy_zh}。如有疑问，请通过平台聊天回复我。"
            ask_en = f"Please {remedy_en} by {_when(deadline)} (within 48 hours), replying through the platform's chat."
        elif name == "platform":
            head_zh, head_en = f"{ctx.platform or '平台'}客服/纠纷处理部门：", f"Dear {ctx.platform or 'platform'} support,"
            ask_zh = ("商家未能解决上述问题，现申请平台介入处理，请依据《电子商务法》第五十九条及时处理；平台设有保证金或先行赔付的，"
                      "请依第五十八条先行赔付。若无法提供商家的真实名称、地址和有效联系方式，依《消费者权益保护法》第四十四条，"
                      f"我将向平台要求赔偿。请{remedy_zh}。")
            ask_en = ("The seller has not resolved this, so I ask the platform to step in and handle it promptly (E-Commerce "
                      "Law, Article 59), compensating first where a deposit or advance-compensation scheme applies (Article 58). "
                      "If the seller's real name, address and contact cannot be given, I will claim from the platform "
                      f"(Consumer Rights Protection Law, Article 44). Please {remedy_en}.")
            if step.get("overdue"):
                ask_zh += "本申请晚于平台规则的期限，原因是：（请填写，例如：问题在期限后才出现/一直在与商家协商）。"
                ask_en += " This request is later than the platform's window because: (state the reason)."
        elif name == "regulator" and not ctx.cross_border:
            fields = step.get("fields") or {}
            head_zh, head_en = "市场监督管理部门（12315）：", "To the market regulator (12315):"
            lines = [f"{k}：{v}" for k, v in fields.items() if k != "证据清单"]
            ask_zh = "\n".join(lines) + f"\n请依据《电子商务法》第六十条受理本投诉，责令经营者{remedy_zh}。"
            ask_en = f"Please accept this complaint (E-Commerce Law, Article 60) and ask the operator to {remedy_en}."
        elif name == "consumer_association":
            head_zh, head_en = "消费者协会：", "To the consumer association:"
            ask_zh = f"与经营者协商未果，请求贵会调解，促成经营者{remedy_zh}。"
            ask_en = f"Negotiation with the operator failed; I ask for your mediation so that the operator will {remedy_en}."
        elif name == "police":
            head_zh, head_en = "公安机关：", "To the police:"
            ask_zh = f"现就上述交易报案，理由：{step['basis']['zh']}请依法处理。收款账号、聊天记录等材料见下列证据。"
            ask_en = f"I report this transaction. {step['basis']['en']} The payee account and chat are in the evidence below."
        elif name == "chargeback":
            head_zh, head_en = "发卡行信用卡争议部门：", "To my card issuer's dispute department:"
            ask_zh = "该境外商户未按约定提供商品/服务，且商户与平台均未解决，现申请对该笔交易发起拒付（chargeback）。"
            ask_en = ("The merchant did not provide the goods or service as agreed, and neither the merchant nor the "
                      "marketplace resolved it. I request a chargeback of this transaction.")
        else:  # regulator of a cross-border marketplace
            head_zh, head_en = "econsumer.gov：", "To econsumer.gov:"
            ask_zh = "现就一家境外平台的交易登记投诉，事实与证据如下。"
            ask_en = "I am filing a complaint about a transaction with a foreign marketplace; the facts and evidence follow."
        find_zh, find_en = _findings_paragraph(findings, evidence, name, coll.record.problem)
        zh = "\n\n".join(p for p in (head_zh, facts_zh, find_zh, ask_zh, "证据（均由卡盾留存并签名，可凭SHA-256核对）：\n" + ev_zh,
                                     "此致\n买家") if p)
        en = "\n\n".join(p for p in (head_en, facts_en, find_en, ask_en, "Evidence (kept and signed by KaDun; check each by "
                                     "its SHA-256):\n" + ev_en, "Sincerely,\nThe buyer") if p)
        out[name] = {"zh": zh, "en": en}
    return out
