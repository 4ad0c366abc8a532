"""Complaint letters, one per escalation step, in Chinese and English: the order's facts as its
judgement states them (the ordered item, the amount paid in its currency), the findings, the
evidence cited by item number and SHA-256, and the rules that apply: Chinese law for a domestic
shop (docs/LEGAL.md), the marketplace's buyer protection and the card network's dispute reason for
a cross-border one. Every sentence is a template of ``server/rules/disputes.toml``.
"""
from __future__ import annotations

from scrapers import DIRECTION_CONTROLS

from .. import rules
from ..clock import parse_iso
from ..clock import written as when  # a time as a person writes it
from ..risk.findings import BROKEN_BY, not_received
from ..risk.order import OrderJudgement
from .escalation import chargeback_reason
from .kinds import name

MAX_CITED = 20
ARGUED = {"seller": ("no_reason_return", "shown_delivered", "minor_purchase", "promise_broken", "delivery_not_due", "partial_delivery", "unused_term",
                    "short_top_up", "partial_refund", "description_changed", "no_refund_claim", "surcharge_demand",
                    "confirm_before_delivery", "price_above_listing", "refund_not_received", "duplicate_charge",
                    "fake_compensation", "refund_to_balance", "personal_documents",
                    "price_rise_cancel", "review_for_refund", "account_frozen", "livestream_promise",
                    "withdraw_for_refund", "pay_again_demand")}
ALL_CODES = ("no_reason_return", "shown_delivered", "platform_compensation", "minor_purchase", "promise_broken", "delivery_not_due", "partial_delivery", "unused_term", "short_top_up",
             "partial_refund", "description_changed", "no_refund_claim", "unfair_term", "off_platform_payment",
             "refund_fee_scam", "surcharge_demand", "confirm_before_delivery", "price_above_listing",
             "refund_not_received", "duplicate_charge", "fake_compensation", "paypal_personal",
             "refund_to_balance", "personal_documents", "price_rise_cancel",
             "review_for_refund", "account_frozen", "livestream_promise", "withdraw_for_refund",
             "pay_again_demand")
# Findings that size the claim: the first one found gives the letters' remedy (the rest, or its share).
SIZED = ("partial_delivery", "partial_refund", "unused_term", "short_top_up")


# Direction controls (U+202E and kin) in a quote from a page would reverse the rest of the letter's
# line where it is pasted or printed; the letter quotes the words without them (the scrapers' table).
def _plain(quote: str) -> str:
    return quote.translate(DIRECTION_CONTROLS)


def money(judgement: OrderJudgement) -> dict:
    """¥25.60 for CNY; 49.99 EUR for any other currency; a placeholder when no amount is known."""
    amount = judgement.amount
    if amount is None:
        return rules.texts("letters", "unknown_amount")
    plain = f"{amount.amount} {amount.currency}"
    return {"zh": f"¥{amount.amount}" if amount.currency == "CNY" else plain, "en": plain}


def _cited(evidence: list[dict], findings: list[dict], checklist: list[dict]) -> list[dict]:
    by_id: dict[str, dict] = {}
    for entry in evidence:
        for item_id in entry.get("ids") or [entry["id"]]:
            by_id[item_id] = entry
    wanted: list[str] = []
    for finding in findings:
        wanted += [e["snapshot_id"] for e in finding.get("evidence", [])]
    for row in checklist:
        wanted += row["evidence"][:2]
    seen, out = set(), []
    for item_id in wanted:
        entry = by_id.get(item_id)
        if entry and entry["no"] not in seen:
            seen.add(entry["no"])
            out.append(entry)
    out.sort(key=lambda e: e["no"])
    return out[:MAX_CITED]


def _evidence_block(cited: list[dict], total: int) -> dict:
    lines: dict[str, list[str]] = {"zh": [], "en": []}
    for entry in cited:
        url = {"zh": "，" + entry["url"], "en": ", " + entry["url"]} if entry.get("url") else {"zh": "", "en": ""}
        line = rules.text("letters", "evidence_line", no=entry["no"], title=entry["title"], url=url,
                          received_at=when(entry["received_at"]), sha256=entry["sha256"])
        again = [when(s["received_at"]) for s in entry.get("sightings") or []][1:]
        if again:
            extra = rules.text("letters", "evidence_again", times={"zh": "、".join(again), "en": ", ".join(again)})
            line = {lang: line[lang] + extra[lang] for lang in line}
        for lang in lines:
            lines[lang].append(line[lang])
    if total > len(cited):
        more = rules.text("letters", "evidence_more", total=total)
        for lang in lines:
            lines[lang].append(more[lang])
    return {lang: "\n".join(value) for lang, value in lines.items()}


def _numbers(ids: list[str], evidence: list[dict]) -> list[int]:
    wanted = set(ids)
    return sorted({e["no"] for e in evidence if wanted & set(e.get("ids") or [e["id"]])})


def _cite(findings: list[dict], evidence: list[dict]) -> dict:
    numbers = _numbers([e["snapshot_id"] for f in findings for e in f.get("evidence", [])], evidence)
    if not numbers:
        return {"zh": "", "en": ""}
    return {"zh": "（" + "、".join(f"证据{n}" for n in numbers) + "）",
            "en": " (" + ", ".join(f"item {n}" for n in numbers) + ")"}


def _money_text(amount: str, currency: str) -> dict:
    """¥40.00 / 40.00 CNY (or 40.00 EUR in both languages)."""
    return {"zh": f"¥{amount}" if currency == "CNY" else f"{amount} {currency}", "en": f"{amount} {currency}"}


def _quotes(findings: list[dict]) -> dict:
    return {"zh": "、".join(f"「{_plain(f['quote'])}」" for f in findings),
            "en": ", ".join(f"“{_plain(f['quote'])}”" for f in findings)}


def _facts_paragraph(judgement: OrderJudgement) -> dict:
    record = judgement.problem
    unknown = rules.texts("letters", "unknown")
    purchase = judgement.times.purchase()
    said = (record.description or "").strip()
    # The buyer's own words end as their language ends a sentence (an English one with a full stop).
    told = {"zh": said, "en": said}
    if said and said[-1] not in "。.!！?？":
        told = {"zh": said + "。", "en": said + ("." if said[-1].isascii() else "。")}
    template = "facts_single_shop" if judgement.single_shop else ("facts" if judgement.seller else "facts_no_seller")
    if record.kind == "minor_purchase":
        template = "facts_minor"  # the guardian writes: the child bought
    paragraph = rules.text(
        "letters", template, when=when(purchase.at) if purchase else unknown,
        platform=judgement.platform or rules.texts("letters", "platform_fallback"),
        seller=judgement.seller or judgement.platform or rules.texts("letters", "seller_fallback"),
        item=judgement.item or unknown, order_no=judgement.order_no or unknown, money=money(judgement),
        occurred=when(record.occurred_at), problem=name("problems", record.kind), told=told)
    if judgement.amount_source == "buyer":
        note = rules.texts("letters", "facts_buyer_amount")
        paragraph = {lang: paragraph[lang].replace(money(judgement)[lang], money(judgement)[lang] + note[lang], 1)
                     for lang in paragraph}
    return {lang: text.strip() for lang, text in paragraph.items()}


def _findings_paragraph(judgement: OrderJudgement, evidence: list[dict], step: str) -> dict:
    codes = ARGUED.get(step, ALL_CODES)
    findings = judgement.findings
    by_code = {code: [f for f in findings if f["code"] == code] for code in codes}
    cross = judgement.cross_border
    problem = name("problems", judgement.problem.kind)
    parts: list[dict] = [{lang: f["explanation"][lang] + _cite([f], evidence)[lang] for lang in ("zh", "en")}
                         for f in by_code.get("minor_purchase") or []]
    reasons = by_code.get("no_reason_return") or []
    if reasons and reasons[0].get("promised"):
        # The shop offered the no-reason return itself: the letter claims it as promised.
        told = (judgement.problem.description or "").strip().rstrip("。.") or problem["zh"]
        promised = reasons[0]["promised"]
        parts.append(rules.text("letters", "no_reason_promised", quote=promised["quote"], days=str(promised["days"]),
                                until=when(parse_iso(promised["until"])), cite=_cite(reasons, evidence),
                                told={"zh": told, "en": told}))
        return {lang: "\n\n".join(p[lang] for p in parts) for lang in ("zh", "en")}
    if reasons:
        # The buyer no longer wants what arrived: the letter asks, and argues no defect.
        refusals = [f for f in findings if f["code"] == "no_refund_claim"]
        told = (judgement.problem.description or "").strip().rstrip("。.") or problem["zh"]
        parts.append(rules.text("letters", "no_reason_cross_border" if cross else "no_reason",
                                cite=_cite(refusals or reasons, evidence), told={"zh": told, "en": told}))
        return {lang: "\n\n".join(p[lang] for p in parts) for lang in ("zh", "en")}
    promises = by_code.get("promise_broken") or []
    # A delivery promise broken by a late delivery under a problem of another kind (a code that had
    # expired when it came): said as the lateness it is, after the problem's own argument.
    late = [f for f in promises if f["promise_kind"] == "delivery_window"
            and "delivery_window" not in BROKEN_BY.get(judgement.problem.kind, ())]
    promises = [f for f in promises if f not in late]
    if promises:
        key = "promises_cross_border" if cross else "promises"
        parts.append(rules.text("letters", key, quotes=_quotes(promises), cite=_cite(promises, evidence),
                                problem=problem))
    elif (judgement.problem.kind in rules.defective_problems() and judgement.item and "promise_broken" in codes
          and not (by_code.get("unused_term") or by_code.get("short_top_up"))):  # those say what was ordered
        # No promise was quoted from a page: the order itself says what was sold (订单名称), and
        # goods that are not that, or do not work, are argued from it.
        orders = [i.id for i in judgement.evidence.order if i.facts and (i.facts.order.item or i.facts.product.title)]
        cite = _cite([{"evidence": [{"snapshot_id": i} for i in orders[:1]]}], evidence)
        parts.append(rules.text("letters", "as_ordered_cross_border" if cross else "as_ordered",
                                item=judgement.item, cite=cite, problem=problem))
    parts += [{lang: f["explanation"][lang] + _cite([f], evidence)[lang] for lang in ("zh", "en")} for f in late]
    for code in ("livestream_promise", "shown_delivered", "delivery_not_due", "platform_compensation", "partial_delivery", "unused_term", "short_top_up", "partial_refund", "description_changed",
                 "price_above_listing", "unfair_term", "off_platform_payment", "refund_fee_scam", "surcharge_demand",
                 "confirm_before_delivery", "refund_not_received", "duplicate_charge", "fake_compensation", "paypal_personal",
                 "refund_to_balance", "personal_documents", "price_rise_cancel",
                 "review_for_refund", "account_frozen", "livestream_promise", "withdraw_for_refund",
             "pay_again_demand"):
        if code == "platform_compensation" and step != "platform":
            continue  # the platform's promise is claimed from the platform, in its letter only
        for finding in by_code.get(code) or []:
            cite = _cite([finding], evidence)
            if code == "duplicate_charge":
                charge = finding["charge"]
                amount = (_money_text(charge["amount"], charge["currency"]) if charge["amount"]
                          else rules.texts("letters", "unknown_amount"))
                parts.append(rules.text("letters", "duplicate_charge", cite=cite, amount=amount))
                continue
            if code == "fake_compensation":
                claim = finding["claim"]
                unknown = rules.texts("letters", "unknown_amount")
                paid = _money_text(claim["paid"], claim["currency"]) if claim["paid"] else unknown
                total = _money_text(claim["amount"], claim["currency"]) if claim["amount"] else unknown
                parts.append(rules.text("letters", "fake_compensation", cite=cite, quote=_plain(finding["quote"]),
                                        multiple=str(claim["multiple"]), paid=paid, claim=total))
                continue
            if code == "livestream_promise":
                parts.append(rules.text("letters", "livestream_promise", said=finding["letter"], cite=cite))
                continue
            if code == "paypal_personal":
                parts.append(rules.text("letters", "paypal_personal", cite=cite))
                continue
            if code == "price_above_listing":
                price = finding["price"]
                money = {k: _money_text(price[k], price["currency"]) for k in ("listed", "paid", "difference")}
                parts.append(rules.text("letters", "price_above_listing", cite=cite, **money))
                continue
            if code in ("refund_fee_scam", "surcharge_demand", "confirm_before_delivery", "refund_not_received", "refund_to_balance", "personal_documents", "price_rise_cancel",
                        "review_for_refund", "account_frozen", "withdraw_for_refund", "pay_again_demand",
                        "platform_compensation", "delivery_not_due",
                        "shown_delivered", "off_platform_payment"):
                # the finding advises the buyer; a letter reports the demand or claims the promise
                key = {"refund_fee_scam": "fee_scam", "surcharge_demand": "surcharge",
                       "off_platform_payment": "off_platform_cross_border" if cross else "off_platform"}.get(code, code)
                if code == "refund_to_balance" and finding.get("in_kind"):
                    key = "refund_in_kind"  # points or a coupon offered instead of the money
                parts.append(rules.text("letters", key, quote=_plain(finding["quote"]), cite=cite,
                                        due=when(finding["due"]) if finding.get("due") else "",
                                        count=(finding.get("delivery") or {}).get("codes", "")))
                continue
            parts.append({lang: finding["explanation"][lang] + cite[lang] for lang in ("zh", "en")})
    refusals = by_code.get("no_refund_claim") or []
    if refusals:
        key = "refusals_cross_border" if cross else "refusals"
        if not_received(judgement.problem.kind):
            key += "_not_received"
        elif judgement.problem.kind not in rules.defective_problems():
            key += "_unknown"  # neither a defect nor a missing delivery: the letter does not say which
        parts.append(rules.text("letters", key, quotes=_quotes(refusals), cite=_cite(refusals, evidence)))
    return {lang: "\n\n".join(p[lang] for p in parts) for lang in ("zh", "en")}


def _ask(judgement: OrderJudgement, step: dict, remedy: dict) -> tuple[dict, dict]:
    """(head, ask) of one step's letter."""
    name_ = step["step"]
    platform = judgement.platform or rules.texts("letters", "platform_fallback")
    # On a platform the seller is not the platform: an unnamed one is "the seller".
    seller = judgement.seller or (judgement.platform if judgement.single_shop else None) or rules.texts(
        "letters", "seller_fallback")
    if name_ == "seller":
        head = (rules.text("letters", "seller", "head_single_shop", platform=platform) if judgement.single_shop
                else rules.text("letters", "seller", "head", seller=seller) if judgement.seller
                else rules.texts("letters", "seller", "head_unknown"))  # no page names the seller
        return (head,
                rules.text("letters", "seller", "ask", deadline=when(step["deadline"]), remedy=remedy))
    if name_ == "platform":
        # A single shop (独角数卡 and the like) has no platform above it: the request goes to the
        # shop under its own after-sales rules, and a platform's duties (44, 58) are not cited.
        key = "ask_single_shop" if judgement.single_shop else "ask"
        if judgement.cross_border:  # a foreign shop: its own rules, or its marketplace's buyer protection
            key = "ask_cross_border_single_shop" if judgement.single_shop else "ask_cross_border"
        if judgement.no_reason_return:
            key = "ask_no_reason_single_shop" if judgement.single_shop and not judgement.cross_border else "ask_no_reason"
        elif key == "ask" and any(f["code"] == "off_platform_payment" for f in judgement.findings):
            key = "ask_off_platform"
        ask = rules.text("letters", "platform", key, remedy=remedy)
        if step.get("overdue"):
            late = rules.texts("letters", "platform", "overdue")
            ask = {lang: ask[lang] + late[lang] for lang in ask}
        return rules.text("letters", "platform", "head", platform=platform), ask
    if name_ == "regulator" and not judgement.cross_border:
        fields = step.get("fields") or {}
        lines = "\n".join(f"{k}：{v}" for k, v in fields.items() if not isinstance(v, list))
        return (rules.text("letters", "regulator", "head"),
                rules.text("letters", "regulator", "ask", fields=lines, remedy=remedy))
    if name_ == "regulator":
        return rules.text("letters", "regulator_cross_border", "head"), rules.text("letters", "regulator_cross_border", "ask")
    if name_ == "consumer_association":
        return (rules.text("letters", "consumer_association", "head"),
                rules.text("letters", "consumer_association", "ask", remedy=remedy))
    if name_ == "police":
        return rules.text("letters", "police", "head"), rules.text("letters", "police", "ask", basis=step["basis"])
    reason = chargeback_reason(judgement)
    paypal = judgement.payment_network == "paypal"
    key = "ask_paypal" if paypal else "ask"
    return (rules.text("letters", "chargeback", "head_paypal" if paypal else "head"),
            rules.text("letters", "chargeback", key, reason={"zh": reason["zh"], "en": reason["en"]},
                       order_no=judgement.order_no or rules.texts("letters", "unknown"), money=money(judgement)))


def remedy_of(judgement: OrderJudgement) -> dict:
    """What the buyer asks for, ``{zh, en}``: the problem kind's remedy, or, when part of the order
    was delivered or refunded, the rest or its share of the price; a duplicate charge is asked back
    beside it (alone when the complaint is "other")."""
    remedy = _remedy_of(judgement)
    duplicate = next((f["remedy"] for f in judgement.findings if f["code"] == "duplicate_charge"), None)
    if duplicate is None or judgement.no_reason_return:
        return remedy
    if judgement.problem.kind == "other":
        return duplicate
    joint = rules.texts("letters", "remedy_and")
    return {lang: remedy[lang] + joint[lang] + duplicate[lang] for lang in ("zh", "en")}


def _remedy_of(judgement: OrderJudgement) -> dict:
    if judgement.no_reason_return:
        return name("remedies", "no_reason")
    promised = next((f["remedy"] for f in judgement.findings if f["code"] == "no_reason_return" and f.get("promised")),
                    None)
    if promised:
        return promised
    frozen = next((f["remedy"] for f in judgement.findings if f["code"] == "account_frozen"), None)
    if frozen and judgement.problem.kind in ("platform_stalling", "other", "seller_unresponsive"):
        return frozen  # the buyer's own money held: released, or the reason and the date in writing
    balance = next((f["remedy"] for f in judgement.findings if f["code"] == "refund_to_balance" and f["made"]), None)
    if balance:
        return balance  # the money sits in a balance: the ask is to have it back the way it was paid
    fake = next((f["remedy"] for f in judgement.findings if f["code"] == "fake_compensation"), None)
    if fake:
        return fake  # the seller's own 假一赔十: what it promised for a fake
    partial = next((f["remedy"] for code in SIZED + ("shown_delivered",) for f in judgement.findings
                    if f["code"] == code), None)
    if partial:
        return partial
    above = next((f["remedy"] for f in judgement.findings if f["code"] in ("price_above_listing", "refund_not_received")),
                 None)
    cancelled = next((f["remedy"] for f in judgement.findings if f["code"] == "price_rise_cancel"), None)
    if cancelled and judgement.problem.kind in ("other", "not_delivered"):
        return cancelled  # the sale stands at the price paid
    if above and judgement.problem.kind == "other":
        return above  # the complaint is the price, or a refund that never came: that is the ask
    if judgement.problem.kind in ("not_delivered", "delivery_late") and not any(
            f["code"] == "promise_broken" and f.get("promise_kind") in ("delivery_window", "delivery_date", "auto_delivery")
            for f in judgement.findings):
        early = next((f["remedy"] for f in judgement.findings if f["code"] == "delivery_not_due"), None)
        if early:
            return early  # asked before the promised time: delivery by then, not "now"
    if judgement.problem.kind == "delivery_late" and (judgement.times.get("delivered") or any(
            i.facts and i.facts.order.card_codes for i in judgement.evidence.order)):
        return name("remedies", "delivery_late_delivered")  # it came, late: no "deliver now" for it
    if judgement.problem.kind != "shop_vanished" and not_received(judgement.problem.kind) and any(f["code"] == "promise_broken" and f.get("promise_kind") == "refund"
                                                    for f in judgement.findings):
        return name("remedies", "refund_as_promised")  # 「超时全额退款」: the seller's own remedy
    return name("remedies", judgement.problem.kind)


def build_letters(judgement: OrderJudgement, escalation: list[dict], evidence: list[dict],
                  checklist: list[dict]) -> dict:
    facts = _facts_paragraph(judgement)
    block = _evidence_block(_cited(evidence, judgement.findings, checklist), len(evidence))
    remedy = remedy_of(judgement)
    head_of_evidence = rules.texts("letters", "evidence_head")
    closing = rules.texts("letters", "closing")
    out = {}
    for step in escalation:
        head, ask = _ask(judgement, step, remedy)
        found = _findings_paragraph(judgement, evidence, step["step"])
        out[step["letter"]] = {
            lang: "\n\n".join(p for p in (head[lang], facts[lang], found[lang], ask[lang],
                                          f"{head_of_evidence[lang]}\n{block[lang]}", closing[lang]) if p)
            for lang in ("zh", "en")}
    return out
