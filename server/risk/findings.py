"""Findings of an order's judgement: promises the problem breaks, a description changed after the
purchase, unfair terms, "no refund" claims and off-platform payment (contract/api.md findings).

Which promise kinds a problem breaks is a table here; what each finding says is a template in
``server/rules/disputes.toml`` ([findings]), citing the law of ``citations.toml``. Quotes are the
pages' own words, so a person can find them.
"""
from __future__ import annotations

import difflib
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from scrapers.facts import Money

from .. import rules
from ..clock import written
from . import clauses
from .gather import Item, OrderEvidence
from .gather import evidence_of as _evidence
from .gather import finite_decimal as _decimal
from .promise_terms import TERMED, late_refund, not_due_yet, stated_term
from .windows import StatedTimes, promise_due, stated_dates

# problem kind → promise kinds the problem contradicts.
BROKEN_BY = {
    "account_recovered": ("lifetime", "stable", "original_owner", "warranty", "exclusive", "replacement", "refund"),
    "account_banned": ("lifetime", "stable", "warranty", "replacement", "refund"),
    "not_as_described": ("as_described", "exclusive", "lifetime", "stable", "original_owner"),
    "invalid_code": ("as_described", "replacement", "refund", "warranty", "lifetime"),
    "not_delivered": ("delivery_window", "auto_delivery"),
    "delivery_late": ("delivery_window", "auto_delivery"),
    "seller_unresponsive": ("warranty", "replacement", "refund"),
    "shop_vanished": ("delivery_window", "auto_delivery", "warranty", "replacement", "refund", "lifetime"),
    "platform_stalling": ("warranty", "replacement", "refund"),
    "minor_purchase": (),
    "other": (),
}
# problem kind → the promise kinds also broken when the buyer says the goods were stolen (盗号, 黑卡).
STOLEN_BREAKS = {"account_banned": ("original_owner", "as_described"), "not_as_described": ("original_owner",)}
# Problems whose broken promise the buyer's words pick out of the listing's (a "not as described"
# claim is about one of its promises, not all of them).
NAMED_BY_BUYER = ("not_as_described",)
TERM_KINDS = ("final_interpretation", "liability_disclaimer", "no_refund", "off_platform")


def not_received(problem: str) -> bool:
    """Whether the problem is that nothing was delivered (citations.toml [chargeback] not_received)."""
    return rules.chargeback_reason(problem) == "not_received"


def _problem_name(kind: str) -> dict:
    return rules.texts("problems", kind if kind in rules.texts("problems") else "other")


def policies(ev: OrderEvidence, *kinds: str) -> list[tuple[object, Item]]:
    """Every (policy, item) of the given kinds, once per (kind, quote), oldest item first: from the
    captured pages' facts, then from the text OCR read on the buyer's screenshots (a chat with
    "加我微信直接转账", read with the scrapers' own phrase table)."""
    seen, out = set(), []
    for item in sorted(ev.captures(), key=lambda i: i.when):
        for policy in item.facts.policies if item.facts else []:
            if policy.kind in kinds and (policy.kind, policy.quote) not in seen:
                seen.add((policy.kind, policy.quote))
                out.append((policy, item))
    for item in sorted(ev.attachments, key=lambda i: i.when):
        for policy in screenshot_policies(item, frozenset(kinds)):
            if (policy.kind, policy.quote) not in seen:
                seen.add((policy.kind, policy.quote))
                out.append((policy, item))
    return out


def screenshot_policies(item: Item, kinds: frozenset[str]) -> list:
    """The policies (``scrapers`` Phrase) of ``kinds`` in the text OCR read on a screenshot."""
    from scrapers.text.phrases import scan

    if item.candidate:
        return []
    reading = (item.ocr or {}).get("reading") or {}
    text = reading.get("text") if isinstance(reading, dict) else None
    if not isinstance(text, str) or not text:
        return []
    return [phrase for line in text.splitlines() if line.strip()
            for family, phrase in scan(line, promises=False, kinds=kinds) if family == "policy"]


def warranty_term(hours, times: StatedTimes) -> tuple[datetime, datetime] | None:
    """(start, end) of a warranty of ``hours`` (质保30天): from the stated delivery, else the
    purchase (delivery cannot be earlier, so the end is the earliest it can be); None without a
    stated time or hours."""
    if not isinstance(hours, int | float) or isinstance(hours, bool) or hours <= 0:
        return None
    stamp = times.get("delivered") or times.purchase()
    return (stamp.at, stamp.at + timedelta(hours=float(hours))) if stamp else None


def promise_findings(ev: OrderEvidence, problem: str, times: StatedTimes, cross_border: bool,
                     occurred_at: datetime | None = None, told: str = "") -> list[dict]:
    kinds = BROKEN_BY.get(problem, ())
    named = clauses.named_promise_kinds(told) & set(kinds) if problem in NAMED_BY_BUYER else set()
    if named:
        # The buyer says which promise failed (「终身会员3个月就没了」): argue that one, not every
        # promise of the listing (「独享」 beside it was not what went wrong).
        kinds = tuple(k for k in kinds if k in named or k == "as_described")
    if problem in STOLEN_BREAKS and clauses.names_stolen_goods(told):
        # A ban or reversal the buyer says came from stolen goods: the first-hand promise was false too.
        kinds = (*kinds, *STOLEN_BREAKS[problem])
    grouped: dict[str, dict] = {}
    law = "cross_border" if cross_border else "domestic"
    for item in ev.products + ev.order + ev.shops + ev.chats:
        for promise in item.facts.promises if item.facts else []:
            if promise.kind not in kinds and not (promise.kind == "refund" and not_received(problem)
                                                  and late_refund(item, promise.quote)):
                continue  # (a refund promised for a late delivery, 「超时全额退款」, is broken by one)
            term = warranty_term(promise.hours, times) if promise.kind == "warranty" else None
            if promise.kind in TERMED and not promise.hours:
                # A promise whose line states its own period (「90天内找回包赔」): it binds for that long.
                term = warranty_term(stated_term(item, promise.quote), times)
            if term and occurred_at and occurred_at > term[1]:
                continue  # the problem came after the warranty it promised ran out: not broken
            due = not_due_yet(ev, promise, times, occurred_at)
            if due is not None:
                # 「24小时内发货」 five hours after paying: not late yet. Say when it is due.
                grouped.setdefault(f"due:{promise.quote}", {
                    "code": "delivery_not_due", "quote": promise.quote, "promise_kind": promise.kind,
                    "due": due.isoformat(), "evidence": [_evidence(item, promise.quote)],
                    "remedy": rules.text("findings", "delivery_not_due", "remedy", due=written(due)),
                    "explanation": rules.text("findings", "delivery_not_due", "explanation", quote=promise.quote,
                                              due=written(due), duration=_hours(promise.hours))})
                continue
            if promise.kind == "delivery_window" and delivered_in_time(promise.hours, times):
                continue  # the page states a delivery within the promised time: this promise was kept
            finding = grouped.setdefault(promise.quote, {
                "code": "promise_broken", "quote": promise.quote, "promise_kind": promise.kind, "evidence": [],
                "explanation": rules.text("findings", "promise_broken", law, quote=promise.quote,
                                          problem=_problem_name(problem))})
            if promise.kind == "delivery_window" and "due" not in finding:
                _add_due(finding, promise.hours, times)
            if term and occurred_at and "warranty" not in finding:
                finding["warranty"] = {"start": term[0].isoformat(), "end": term[1].isoformat()}
                extra = rules.text("findings", "warranty_within" if promise.kind == "warranty" else "term_within",
                                   duration=_hours(promise.hours or round((term[1] - term[0]).total_seconds() / 3600)),
                                   occurred=written(occurred_at), end=written(term[1]),
                                   day=str((occurred_at - term[0]).days + 1))
                for lang in ("zh", "en"):
                    finding["explanation"][lang] += extra[lang]
            if all(e["snapshot_id"] != item.id for e in finding["evidence"]):
                finding["evidence"].append(_evidence(item, promise.quote))
    return _without_nested(list(grouped.values()))


def late_delivery_findings(ev: OrderEvidence, problem: str, times: StatedTimes, cross_border: bool) -> list[dict]:
    """A delivery promise (「1小时内发货」) the order's pages show was broken (the stated delivery came
    after it was due), for a problem of another kind (a code that had expired by the time it came):
    the lateness is a fact of the case, said as such. None for the problems that already judge the
    delivery promise, and for "other" and a minor's purchase (which judge no promise)."""
    kinds = BROKEN_BY.get(problem, ())
    delivered = times.get("delivered")
    if not kinds or "delivery_window" in kinds or delivered is None:
        return []
    law = "cross_border" if cross_border else "domestic"
    for item in ev.products + ev.order:
        for promise in item.facts.promises if item.facts else []:
            due = promise_due(promise.hours, times) if promise.kind == "delivery_window" else None
            if due is None or delivered.at <= due[0]:
                continue
            finding = {"code": "promise_broken", "quote": promise.quote, "promise_kind": promise.kind,
                       "evidence": [_evidence(item, promise.quote)],
                       "explanation": rules.text("findings", "promise_broken", law, quote=promise.quote,
                                                 problem=_problem_name("delivery_late"))}
            _add_due(finding, promise.hours, times)
            return [finding]
    return []


def _without_nested(found: list[dict]) -> list[dict]:
    """One finding per promise: 「永久」 is dropped where 「永久会员」 of the same kind is broken too
    (the shorter quote is part of the longer one, the same words read twice)."""
    def nested(f: dict) -> bool:
        return f["code"] == "promise_broken" and any(
            g is not f and g["code"] == "promise_broken" and g["promise_kind"] == f["promise_kind"]
            and f["quote"] in g["quote"] and len(f["quote"]) < len(g["quote"]) for g in found)
    return [f for f in found if not nested(f)]


def stated_due_findings(ev: OrderEvidence, problem: str, times: StatedTimes, cross_border: bool,
                        occurred_at: datetime | None = None) -> list[dict]:
    """A delivery date the order states (预计发货时间, "Estimated delivery by", 预售：12月15日前统一
    发货: windows.stated_dates) that passed without the delivery: the seller's own date is broken,
    like a promised delivery window. The earliest such date counts."""
    if "delivery_window" not in BROKEN_BY.get(problem, ()):
        return []
    dates = sorted(stated_dates(ev, times), key=lambda d: d[1])
    if not dates:
        return []
    words, due, item, stamp = dates[0]
    delivered = times.get("delivered")
    latest = max([i.when for i in ev.order] + ([occurred_at] if occurred_at else []), default=None)
    if (delivered and delivered.at <= due) or (not delivered and (latest is None or latest < due)):
        return []  # delivered in time, or the date had not come yet
    quote = f"{words}：{due.strftime('%Y-%m-%d %H:%M:%S')}" if stamp else words
    law = "cross_border" if cross_border else "domestic"
    finding = {"code": "promise_broken", "quote": quote, "promise_kind": "delivery_date", "due": due.isoformat(),
               "evidence": [_evidence(item, words)],
               "explanation": rules.text("findings", "promise_broken", law, quote=quote, problem=_problem_name(problem))}
    extra = rules.text("findings", "due", "stated_late" if delivered else "stated_not_delivered",
                       due=written(due), delivered=written(delivered.at) if delivered else "")
    for lang in ("zh", "en"):
        finding["explanation"][lang] += extra[lang]
    return [finding]


def delivered_in_time(hours, times: StatedTimes) -> bool:
    """Whether the order's pages state a delivery no later than a delivery promise of ``hours``
    (「10分钟内到账」 and 发货时间 five minutes after the payment): that promise was kept, whatever
    else went wrong (a top-up to the wrong account, a code that does not work)."""
    due, delivered = promise_due(hours, times), times.get("delivered")
    return bool(due and delivered and delivered.at <= due[0])


def _add_due(finding: dict, hours, times: StatedTimes) -> None:
    """For a delivery promise: when delivery was due and whether the stated delivery met it."""
    due = promise_due(hours, times)
    if due is None:
        return
    moment, _ = due
    delivered = times.get("delivered")
    finding["due"] = moment.isoformat()
    if delivered and delivered.at <= moment:
        key = "delivered_in_time"
    elif delivered:
        key = "delivered_late"
    else:
        key = "not_delivered"
    extra = rules.text("findings", "due", key, due=written(moment), duration=_hours(hours),
                       delivered=written(delivered.at) if delivered else "")
    for lang in ("zh", "en"):
        finding["explanation"][lang] += extra[lang]


def _hours(hours) -> dict:
    from .messages import duration

    return duration(hours)


def purchase_time(ev: OrderEvidence, times: StatedTimes) -> datetime | None:
    """When the buyer bought: the page-stated payment/order time, else the first capture of an
    order or checkout page (the buyer was at the till by then), else unknown."""
    stamp = times.purchase()
    if stamp:
        return stamp.at
    tills = [i.when for i in ev.order if i.kind in ("order", "checkout")]
    return min(tills) if tills else None


def _page_key(item: Item) -> str:
    return (item.url or "").split("#", 1)[0]


def _described(item: Item) -> list[str]:
    """The lines of a product page that describe what was sold (title, price, promises)."""
    facts = item.facts
    price = facts.product.price
    lines = [f"商品 / item: {facts.product.title or ''}",
             f"价格 / price: {price.amount if price else ''} {price.currency if price else ''}".rstrip()]
    lines += [f"承诺 / promise [{p.kind}]: {p.quote}" for p in facts.promises]
    lines += [f"规则 / policy [{p.kind}]: {p.quote}" for p in facts.policies]
    return lines


def description_findings(ev: OrderEvidence, times: StatedTimes, cross_border: bool = False) -> list[dict]:
    """The same product page captured before and after the purchase, with its promises diffed; and
    the same rules page, with its lines diffed (``page: "terms"``): the version of the purchase is
    the one that governs the order."""
    purchase = purchase_time(ev, times)
    pages: dict[str, list[Item]] = {}
    for item in ev.products:
        pages.setdefault(_page_key(item), []).append(item)
    out = []
    for versions in pages.values():
        versions.sort(key=lambda i: i.when)
        if purchase is not None:
            before = [v for v in versions if v.when <= purchase]
            after = [v for v in versions if v.when > purchase]
        else:
            before, after = versions[:1], versions[1:]
        if not before or not after:
            continue
        old, new = before[-1], after[-1]
        old_lines, new_lines = _described(old), _described(new)
        if old_lines == new_lines:
            continue  # the bytes changed (a counter, an ad) but not what was promised
        old_quotes = [p.quote for p in old.facts.promises]
        new_quotes = [p.quote for p in new.facts.promises]
        removed = [q for q in old_quotes if q not in new_quotes]
        added = [q for q in new_quotes if q not in old_quotes]
        diff = list(difflib.unified_diff(old_lines, new_lines, fromfile=f"{old.id} {old.received_at}",
                                         tofile=f"{new.id} {new.received_at}", lineterm=""))
        shown = {"zh": "、".join(f"「{q}」" for q in removed) or "商品描述",
                 "en": ", ".join(removed) or "the description"}
        out.append({
            "code": "description_changed", "quote": removed[0] if removed else (added[0] if added else ""),
            "evidence": [_evidence(old, "；".join(old_quotes)), _evidence(new, "；".join(new_quotes))],
            "diff": {"before": old.id, "after": new.id, "removed": removed, "added": added, "lines": diff,
                     "before_seen": [s.get("received_at") for s in old.sightings],
                     "after_seen": [s.get("received_at") for s in new.sightings]},
            "explanation": rules.text("findings", "description_changed",
                                      "cross_border" if cross_border else "domestic", before=written(old.received_at),
                                      after=written(new.received_at), shown=shown,
                                      removed={"zh": "、".join(removed) or "无", "en": ", ".join(removed) or "none"},
                                      added={"zh": "、".join(added) or "无", "en": ", ".join(added) or "none"})})
    return out + rules_changed_findings(ev, purchase)


def rules_changed_findings(ev: OrderEvidence, purchase: datetime | None) -> list[dict]:
    """The same rules page (交易规则, 售后规则) saved before and after the purchase with different
    lines: the site rewrote its rules after the sale. The version of the purchase governs the order
    (its windows are counted from it: windows.added_after_purchase)."""
    if purchase is None:
        return []
    pages: dict[str, list[Item]] = {}
    for item in ev.terms:
        pages.setdefault(_page_key(item), []).append(item)
    out = []
    for versions in pages.values():
        versions.sort(key=lambda i: i.when)
        before = [v for v in versions if v.when <= purchase]
        after = [v for v in versions if v.when > purchase]
        if not before or not after:
            continue
        old, new = before[-1], after[-1]
        old_lines, new_lines = [line.strip() for line in old.lines()], [line.strip() for line in new.lines()]
        removed = [line for line in old_lines if line and line not in new_lines]
        added = [line for line in new_lines if line and line not in old_lines]
        if not removed and not added:
            continue
        diff = list(difflib.unified_diff(old_lines, new_lines, fromfile=f"{old.id} {old.received_at}",
                                         tofile=f"{new.id} {new.received_at}", lineterm=""))
        out.append({
            "code": "description_changed", "page": "terms", "quote": removed[0] if removed else added[0],
            "evidence": [_evidence(old, "；".join(removed) or old_lines[0]), _evidence(new, "；".join(added) or new_lines[0])],
            "diff": {"before": old.id, "after": new.id, "removed": removed, "added": added, "lines": diff,
                     "before_seen": [s.get("received_at") for s in old.sightings],
                     "after_seen": [s.get("received_at") for s in new.sightings]},
            "explanation": rules.text("findings", "description_changed", "rules", before=written(old.received_at),
                                      after=written(new.received_at),
                                      removed={"zh": "、".join(f"「{x}」" for x in removed) or "无",
                                               "en": ", ".join(f"“{x}”" for x in removed) or "none"},
                                      added={"zh": "、".join(f"「{x}」" for x in added) or "无",
                                             "en": ", ".join(f"“{x}”" for x in added) or "none"})})
    return out


def term_findings(ev: OrderEvidence, problem: str, cross_border: bool, no_reason: bool = False) -> list[dict]:
    out = []
    law = "cross_border" if cross_border else "domestic"
    for policy, item in policies(ev, *TERM_KINDS):
        quote, kind = policy.quote, policy.kind
        code = {"no_refund": "no_refund_claim", "off_platform": "off_platform_payment"}.get(kind, "unfair_term")
        # A refusal of refunds answered for goods never delivered argues differently: nothing was
        # downloaded or unsealed, so there is nothing to "return". For a buyer who no longer wants
        # what arrived, the refusal of a no-reason return is lawful (消法第二十五条); for a problem
        # that is neither a defect nor a missing delivery, KaDun does not say which it is.
        variant = law
        if kind == "no_refund":
            variant = (f"{law}_no_reason" if no_reason else f"{law}_not_received" if not_received(problem)
                       else law if problem in rules.defective_problems() else f"{law}_unknown")
        out.append({"code": code, "quote": quote, "policy_kind": kind, "evidence": [_evidence(item, quote)],
                    "explanation": rules.text("findings", kind, variant, quote=quote, problem=_problem_name(problem))})
    return out


def changed_after(findings: list[dict]) -> set[str]:
    """Ids of the product pages that show a description changed after the purchase."""
    return {f["diff"]["after"] for f in findings if f["code"] == "description_changed"}


def _share(amount: Money | None, part: int, whole: int) -> dict:
    """``part/whole`` of the amount paid, as a letter writes it (¥96.00 / 16.00 EUR); a placeholder
    when the amount is unknown."""
    paid = _decimal(amount.amount) if amount else None
    value = (paid * part / whole).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) if paid is not None else None
    return _money(value, amount.currency if amount else "")


def partial_delivery_findings(ev: OrderEvidence, amount: Money | None, cross_border: bool) -> list[dict]:
    """An order of N items whose pages show fewer than N delivered codes (3 of 5 cards): what is
    missing and its share of the price. The page showing the most codes counts (a later page that
    shows them all settles it)."""
    orders = [i for i in ev.order if i.kind == "order" and i.facts and i.facts.order.quantity]
    if not orders:
        return []
    best = max(orders, key=lambda i: (len(i.facts.order.card_codes), i.when))
    quantity, delivered = best.facts.order.quantity, len(best.facts.order.card_codes)
    if not (quantity and quantity > 1 and 0 < delivered < quantity):
        return []
    missing = quantity - delivered
    values = {"quantity": quantity, "delivered": delivered, "missing": missing,
              "share": _share(amount, missing, quantity)}
    law = "cross_border" if cross_border else "domestic"
    return [{"code": "partial_delivery", "quote": str(quantity), "evidence": [_evidence(best, str(quantity))],
             "delivery": {"quantity": quantity, "delivered": delivered, "missing": missing},
             "remedy": rules.text("findings", "partial_delivery", "remedy", **values),
             "explanation": rules.text("findings", "partial_delivery", law, **values)}]


def partial_refund_findings(ev: OrderEvidence, amount: Money | None, problem: str, cross_border: bool) -> list[dict]:
    """A refund of part of the price that an order page or the order's chat states (退款金额：¥60.00):
    what was refunded and what is still to claim. None when it is the whole price or more (then
    nothing is left to claim) or the amount paid is unknown."""
    paid = _decimal(amount.amount) if amount else None
    if paid is None:
        return []
    for item in sorted(ev.order, key=lambda i: i.when, reverse=True):
        if item.kind not in ("order", "chat"):
            continue
        for line in item.lines():
            found = clauses.refunded_amount(line)
            if not found:
                continue
            refunded = Decimal(found)
            if not 0 < refunded < paid:
                continue
            rest = paid - refunded
            values = {"refunded": _money(refunded, amount.currency), "rest": _money(rest, amount.currency),
                      "paid": _money(paid, amount.currency)}
            # Nothing delivered: the whole price was owed back, not "goods that do not work".
            law = "cross_border" if cross_border else "domestic_not_received" if not_received(problem) else "domestic"
            remedy = rules.fill(rules.texts("findings", "partial_refund", "remedy"), remedy=_remedy(problem), **values)
            return [{"code": "partial_refund", "quote": line.strip(), "evidence": [_evidence(item, line.strip())],
                     "refund": {"refunded": str(refunded), "rest": str(rest), "currency": amount.currency},
                     "remedy": remedy, "explanation": rules.text("findings", "partial_refund", law, **values)}]
    return []


def _money(value: Decimal | None, currency: str) -> dict:
    """¥60.00 for CNY, 16.00 EUR otherwise (zh/en); the letters' placeholder when ``value`` is unknown."""
    if value is None:
        return rules.texts("letters", "unknown_amount")
    plain = f"{value.quantize(Decimal('0.01'))} {currency}"
    return {"zh": f"¥{value.quantize(Decimal('0.01'))}" if currency == "CNY" else plain, "en": plain}


def _remedy(problem: str) -> dict:
    names = rules.texts("remedies")
    return names.get(problem) or names["other"]


def minor_findings(ev: OrderEvidence, problem: str, amount: Money | None, cross_border: bool) -> list[dict]:
    """A minor's purchase the guardian does not ratify (民法典第十九条、第一百四十五条): the
    guardian's position, once, on the order's own page."""
    if problem != "minor_purchase":
        return []
    tills = sorted([i for i in ev.order if i.kind in ("order", "checkout") and i.facts], key=lambda i: i.when)
    quote = (tills[0].facts.order.item or tills[0].facts.order.order_no or "") if tills else ""
    money = _money(_decimal(amount.amount) if amount else None, amount.currency if amount else "")
    law = "cross_border" if cross_border else "domestic"
    return [{"code": "minor_purchase", "quote": quote, "evidence": [_evidence(tills[0], quote)] if tills else [],
             "explanation": rules.text("findings", "minor_purchase", law, money=money)}]




def build_findings(ev: OrderEvidence, problem: str, times: StatedTimes, cross_border: bool,
                   amount: Money | None = None, occurred_at: datetime | None = None, told: str = "",
                   item: str | None = None) -> list[dict]:
    from . import claims, frozen, livestream, remedies, settlement

    delivered = bool(times.get("delivered")) or any(i.facts and i.facts.order.card_codes for i in ev.order)
    no_reason = remedies.wants_no_reason_return(problem, told, delivered)
    promises = promise_findings(ev, problem, times, cross_border, occurred_at, told)
    promises += late_delivery_findings(ev, problem, times, cross_border)
    # A stated delivery date counts when no delivery promise of the order already says when it is due.
    stated = ([] if any(f["promise_kind"] == "delivery_window" for f in promises)
              else stated_due_findings(ev, problem, times, cross_border, occurred_at))
    terms = term_findings(ev, problem, cross_border, no_reason)
    sized = (remedies.unused_term_findings(ev, problem, item, times, amount, occurred_at, cross_border,
                                           {f["promise_kind"] for f in promises},
                                           ended_early=problem == "not_as_described" and bool(clauses.service_ended(told)))
             + remedies.short_top_up_findings(ev, item, told, amount, cross_border))
    partly = (partial_delivery_findings(ev, amount, cross_border) or claims.bundle_findings(ev, item, amount, cross_border)
              or claims.invalid_part_findings(ev, problem, told, amount, cross_border))
    if not any(f["promise_kind"] == "refund" for f in promises):
        promises += claims.chat_refund_findings(ev, problem, cross_border)
    shown = [] if no_reason else remedies.shown_delivered_findings(ev, problem, bool(partly))
    if shown and not times.get("delivered"):
        # The page shows codes delivered at a time it does not state: no delivery promise can be
        # called broken by "nothing arrived".
        promises = [f for f in promises if f.get("promise_kind") not in ("auto_delivery", "delivery_window")]
    reasons = (remedies.no_reason_findings(ev, told, item, [f for f in terms if f["code"] == "no_refund_claim"],
                                           cross_border, times, occurred_at) if no_reason else [])
    return (reasons + shown + minor_findings(ev, problem, amount, cross_border) + promises + stated
            + partly + sized
            + partial_refund_findings(ev, amount, problem, cross_border)
            + description_findings(ev, times, cross_border) + terms + remedies.surcharge_findings(ev)
            + remedies.confirm_first_findings(ev, delivered)
            + remedies.refund_not_received_findings(ev, told)
            + claims.duplicate_charge_findings(ev, told, amount) + claims.refund_to_balance_findings(ev, cross_border)
            + claims.fake_compensation_findings(ev, problem, told, amount, cross_border)
            + claims.personal_documents_findings(ev) + claims.price_rise_cancel_findings(ev, amount, cross_border)
            + claims.review_for_refund_findings(ev) + frozen.account_frozen_findings(ev, told, cross_border)
            + livestream.livestream_findings(ev, cross_border)
            + settlement.withdraw_findings(ev) + settlement.pay_again_findings(ev)
            + remedies.price_above_listing_findings(ev, item, purchase_time(ev, times), cross_border))
