"""Findings of the buyer scenarios, round 5: what the buyer may claim that the earlier findings
left unsaid.

- ``duplicate_charge``: the buyer says one order was paid twice (扣了两次): the second payment paid
  for nothing and is owed back whole, whatever happened to the goods;
- ``promise_broken`` with ``agreed``: the seller undertook in the order's chat to refund (「明天中午前
  给你原路退款88元」) and the order shows no refund: its own word, quoted in the letters;
- ``fake_compensation``: the seller's own pages promised a multiple of the price for a fake (假一赔十)
  and the buyer says what came is fake: the letters ask for that multiple of the price paid;
- ``partial_delivery`` of a bundle (「Office 2021 + Windows 11 套装」) whose delivered codes name only
  some of its parts: which parts are missing, and their share of the price only when the product
  page states each part's price (never an equal split the pages do not show);
- ``paypal_personal``: a PayPal payment sent as Friends and Family (好友付款), which PayPal's buyer
  protection does not cover: no PayPal dispute step, the marketplace and the police instead.

The words are clauses.toml's ([duplicate_charge], [chat_refund_promise], [fake_multiple],
[paypal_personal]); every sentence is a template of ``server/rules/disputes.toml`` ([findings]).
"""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from scrapers.facts import Money

from .. import rules
from . import clauses
from .gather import Item, OrderEvidence
from .gather import evidence_of as _evidence
from .gather import finite_decimal as _decimal

DEFECTIVE_FAKES = ("invalid_code", "not_as_described")
# The parts of a bundle's name (「Office 2021 专业增强版 + Windows 11 专业版 套装」).
BUNDLE_JOIN = re.compile(r"\s*[+＋]\s*")
# A part's name as the delivered codes label it: its first Latin word, else its first two Chinese characters.
PART_KEY = re.compile(r"[A-Za-z][A-Za-z0-9]+|[\u4e00-\u9fff]{2}")
PRICE = re.compile(r"(?:¥|￥|RMB|CNY)\s*(\d+(?:\.\d{1,2})?)|(\d+(?:\.\d{1,2})?)\s*元")


def _money(value: Decimal | None, currency: str) -> dict:
    if value is None:
        return rules.texts("letters", "unknown_amount")
    plain = f"{value.quantize(Decimal('0.01'))} {currency}"
    return {"zh": f"¥{value.quantize(Decimal('0.01'))}" if currency == "CNY" else plain, "en": plain}


def _cents(value: Decimal | None) -> str | None:
    return str(value.quantize(Decimal("0.01"))) if value is not None else None


def _law(cross_border: bool) -> str:
    return "cross_border" if cross_border else "domestic"


def _till(ev: OrderEvidence) -> Item | None:
    """The order's own page (the first saved) that states the order."""
    pages = sorted([i for i in ev.order if i.kind in ("order", "checkout") and i.facts], key=lambda i: i.when)
    return pages[0] if pages else None


def duplicate_charge_findings(ev: OrderEvidence, told: str, amount: Money | None) -> list[dict]:
    """The buyer says this one order was paid twice: the second payment is owed back whole (it paid for
    nothing: 民法典第九百八十五条), whatever the goods did. The amount of one payment is the order's."""
    said = clauses.duplicate_charge(told)
    page = _till(ev)
    if not said or page is None:
        return []
    paid = _decimal(amount.amount) if amount else None
    currency = amount.currency if amount else ""
    values = {"told": said, "amount": _money(paid, currency)}
    quote = page.facts.order.order_no or page.facts.order.item or said
    return [{"code": "duplicate_charge", "quote": quote, "evidence": [_evidence(page, quote)],
             "charge": {"amount": str(paid.quantize(Decimal("0.01"))) if paid is not None else None,
                        "currency": currency or None},
             "remedy": rules.text("findings", "duplicate_charge", "remedy", **values),
             "explanation": rules.text("findings", "duplicate_charge", "explanation", **values)}]


def chat_refund_findings(ev: OrderEvidence, problem: str, cross_border: bool) -> list[dict]:
    """The seller's undertaking in the order's chat to refund (给你原路退款), while no order page saved
    after it shows the order refunded: its own word, broken. The first such line."""
    if problem == "minor_purchase":
        return []
    chats = sorted([i for i in ev.order + ev.chats if i.kind == "chat" and i.facts], key=lambda i: i.when)
    for item in chats:
        for line in item.lines():
            words = clauses.chat_refund_promise(line)
            if not words:
                continue
            if any(i.kind == "order" and i.facts and i.facts.order.status == "refunded" and i.when >= item.when
                   for i in ev.order):
                return []  # the order says it was refunded since (refund_not_received speaks for a refund that never came)
            quote = line.strip()
            problem_name = rules.texts("problems", problem if problem in rules.texts("problems") else "other")
            return [{"code": "promise_broken", "quote": quote, "promise_kind": "refund", "agreed": True,
                     "evidence": [_evidence(item, quote)],
                     "explanation": rules.text("findings", "refund_agreed", _law(cross_border), quote=quote,
                                               problem=problem_name)}]
    return []


def fake_compensation_findings(ev: OrderEvidence, problem: str, told: str, amount: Money | None,
                               cross_border: bool) -> list[dict]:
    """The seller's own product, shop or order page promises a multiple of the price for a fake
    (假一赔十), and the buyer says what arrived is a fake: that multiple of the price paid is claimed.
    None for a code that merely fails (已被使用 is no fake), or a promise only the platform's rules make."""
    said = clauses.names_fake(told)
    if problem not in DEFECTIVE_FAKES or not said:
        return []
    for item in sorted(ev.products + ev.shops + [i for i in ev.order if i.kind in ("order", "checkout")],
                       key=lambda i: i.when):
        for line in item.lines():
            found = clauses.fake_multiple(line)
            if not found:
                continue
            multiple, words = found
            paid = _decimal(amount.amount) if amount else None
            currency = amount.currency if amount else ""
            claim = paid * multiple if paid is not None else None
            values = {"quote": words, "multiple": str(multiple), "told": said,
                      "paid": _money(paid, currency), "claim": _money(claim, currency)}
            return [{"code": "fake_compensation", "quote": words, "evidence": [_evidence(item, words)],
                     "claim": {"multiple": multiple, "paid": str(paid.quantize(Decimal("0.01"))) if paid is not None else None,
                               "amount": str(claim.quantize(Decimal("0.01"))) if claim is not None else None,
                               "currency": currency or None},
                     "remedy": rules.text("findings", "fake_compensation", "remedy", **values),
                     "explanation": rules.text("findings", "fake_compensation", _law(cross_border), **values)}]
    return []


def _part_key(part: str) -> str | None:
    found = PART_KEY.search(part)
    return found.group(0).lower() if found else None


def _part_price(ev: OrderEvidence, key: str) -> Decimal | None:
    """The price a product page states for one part of a bundle on a line naming it (单买Office ¥59)."""
    for item in ev.products:
        for line in item.lines():
            if key in line.lower():
                found = PRICE.search(line)
                if found:
                    return _decimal(found.group(1) or found.group(2))
    return None


def bundle_findings(ev: OrderEvidence, item: str | None, amount: Money | None, cross_border: bool) -> list[dict]:
    """A bundle (its name joins parts with "+") whose delivered codes each name a part and together
    leave some part out: the parts missing, and their share of the price only when a product page
    states every part's price (paid × missing parts' prices / all parts' prices). With no prices
    stated no share is invented: the missing part is asked for, or the whole price back."""
    parts = [p for p in BUNDLE_JOIN.split(item or "") if p.strip()]
    keys = [_part_key(p) for p in parts]
    if len(parts) < 2 or None in keys or len(set(keys)) < len(keys):
        return []
    pages = [i for i in ev.order if i.kind == "order" and i.facts and i.facts.order.card_codes]
    if not pages:
        return []
    best = max(pages, key=lambda i: (len(i.facts.order.card_codes), i.when))
    # Each code as its page shows it: the line that holds it, with the part's label (「Windows 11: VK7JG-…」).
    lines = best.lines()
    codes = [next((line for line in lines if code in line), code).lower() for code in best.facts.order.card_codes]
    if not all(any(k in c for k in keys) for c in codes):
        return []  # a code that names no part: which part it is cannot be told
    delivered = [p for p, k in zip(parts, keys, strict=True) if any(k in c for c in codes)]
    missing = [p for p, k in zip(parts, keys, strict=True) if not any(k in c for c in codes)]
    if not delivered or not missing:
        return []
    prices = {k: _part_price(ev, k) for k in keys}
    paid = _decimal(amount.amount) if amount else None
    currency = amount.currency if amount else ""
    share = None
    if paid is not None and all(v is not None and v > 0 for v in prices.values()):
        whole = sum(prices.values())
        part = sum(prices[k] for p, k in zip(parts, keys, strict=True) if p in missing)
        share = (paid * part / whole).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    names = {"zh": "、".join(f"「{p.strip()}」" for p in missing), "en": ", ".join(f"“{p.strip()}”" for p in missing)}
    got = {"zh": "、".join(f"「{p.strip()}」" for p in delivered), "en": ", ".join(f"“{p.strip()}”" for p in delivered)}
    values = {"item": item, "missing": names, "delivered": got, "share": _money(share, currency)}
    priced = "priced" if share is not None else "unpriced"
    quote = item or ""
    return [{"code": "partial_delivery", "quote": quote, "evidence": [_evidence(best, quote)],
             "delivery": {"quantity": len(parts), "delivered": len(delivered), "missing": len(missing)},
             "bundle": {"missing": [p.strip() for p in missing], "delivered": [p.strip() for p in delivered],
                        "share": str(share) if share is not None else None, "currency": currency or None},
             "remedy": rules.text("findings", "bundle_part", f"remedy_{priced}", **values),
             "explanation": rules.text("findings", "bundle_part", f"{_law(cross_border)}_{priced}", **values)}]


def paypal_personal(ev: OrderEvidence) -> tuple[Item, str] | None:
    """(page, words) of an order or checkout page whose payment line says the PayPal payment was sent
    as Friends and Family (好友付款); None otherwise."""
    for item in sorted([i for i in ev.order if i.kind in ("order", "checkout")], key=lambda i: i.when):
        for line in item.lines():
            if "paypal" in line.lower() or "贝宝" in line:
                words = clauses.paypal_personal(line)
                if words:
                    return item, line.strip()
    return None


def paypal_personal_findings(ev: OrderEvidence, network: str | None) -> list[dict]:
    """A PayPal payment sent as Friends and Family: PayPal's buyer protection does not cover it, so
    there is no PayPal dispute to open; the marketplace and the police are the ways left."""
    if network != "paypal":
        return []
    found = paypal_personal(ev)
    if not found:
        return []
    item, quote = found
    return [{"code": "paypal_personal", "quote": quote, "evidence": [_evidence(item, quote)],
             "explanation": rules.text("findings", "paypal_personal", "explanation", quote=quote)}]


def invalid_part_findings(ev: OrderEvidence, problem: str, told: str, amount: Money | None,
                          cross_border: bool) -> list[dict]:
    """An order of N codes, all delivered, of which the buyer counts some that do not work (5个码里有2个
    无效): those are owed, replaced or refunded at their share of the price (paid × failing / N), not
    the whole order. A ``partial_delivery`` (what works is what was delivered) with ``invalid``."""
    if problem != "invalid_code":
        return []
    count = clauses.invalid_count(told)
    pages = [i for i in ev.order if i.kind == "order" and i.facts and i.facts.order.quantity]
    if not count or not pages:
        return []
    best = max(pages, key=lambda i: (len(i.facts.order.card_codes), i.when))
    quantity, delivered = best.facts.order.quantity, len(best.facts.order.card_codes)
    failing, said = count
    if not (quantity > 1 and delivered >= quantity and 0 < failing < quantity):
        return []
    paid = _decimal(amount.amount) if amount else None
    currency = amount.currency if amount else ""
    share = (paid * failing / quantity).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) if paid is not None else None
    values = {"quantity": quantity, "invalid": failing, "working": quantity - failing, "told": said,
              "share": _money(share, currency)}
    return [{"code": "partial_delivery", "quote": str(quantity), "evidence": [_evidence(best, str(quantity))],
             "delivery": {"quantity": quantity, "delivered": quantity - failing, "missing": failing},
             "invalid": failing,
             "remedy": rules.text("findings", "invalid_part", "remedy", **values),
             "explanation": rules.text("findings", "invalid_part", _law(cross_border), **values)}]


def refund_to_balance_findings(ev: OrderEvidence, cross_border: bool) -> list[dict]:
    """A refund made, or offered only, into the shop's or platform's balance (退到平台余额, store credit)
    on the order's pages or chat: a balance that can only be spent there keeps the money with them;
    the buyer paid money and may ask for it back the way it was paid (原路退回). ``made`` when an order
    page says it was refunded so; the first such line."""
    for item, line in ev.lines_oldest_first():
        words = clauses.refund_to_balance(line)
        if not words:
            continue
        quote = line.strip()
        made = item.kind == "order" and item.facts.order.status == "refunded"
        key = f"{_law(cross_border)}_{'made' if made else 'offered'}"
        return [{"code": "refund_to_balance", "quote": quote, "made": made, "evidence": [_evidence(item, quote)],
                 "remedy": rules.texts("findings", "refund_to_balance", "remedy"),
                 "explanation": rules.text("findings", "refund_to_balance", key, quote=quote)}]
    from .settlement import in_kind_findings

    return in_kind_findings(ev, cross_border)  # points or a coupon instead of the money: the same class


def resold(ev: OrderEvidence, told: str) -> str | None:
    """The words saying the seller sold this code or account to several buyers (一码多卖): the buyer's
    own, or a line of the order's chat; None when nothing says so."""
    said = clauses.resold(told)
    if said:
        return said
    for _item, line in ev.lines_oldest_first(("chat",)):
        if clauses.resold(line):
            return line.strip()
    return None


def personal_documents_findings(ev: OrderEvidence) -> list[dict]:
    """A request in the order's chat for identity documents or biometrics (手持身份证照片): do not send
    them; after-sales needs the order, not the buyer's identity (个人信息保护法第六条). Only a chat: an
    order page's own notice (防沉迷实名认证 of a game top-up) is the site's compliance step, not a demand."""
    for item, line in ev.lines_oldest_first(("chat",)):
        if clauses.personal_documents(line):
            quote = line.strip()
            return [{"code": "personal_documents", "quote": quote, "evidence": [_evidence(item, quote)],
                     "explanation": rules.text("findings", "personal_documents", "explanation", quote=quote)}]
    return []


def price_rise_cancel_findings(ev: OrderEvidence, amount: Money | None, cross_border: bool) -> list[dict]:
    """The seller cancels or refuses a paid order because its price or cost rose (进货价涨了，这单不发了),
    on the order's pages or chat: the sale was made at the price paid when the order was submitted and
    paid (电商法第四十九条); the seller owes the delivery at that price, or the buyer's loss (the new price
    it asks above the price paid, when it states one)."""
    for item, line in ev.lines_oldest_first():
        found = clauses.price_rise_cancel(line)
        if not found:
            continue
        quote = line.strip()
        paid = _decimal(amount.amount) if amount else None
        currency = amount.currency if amount else ""
        asked = _decimal(found[1])
        difference = asked - paid if asked is not None and paid is not None and asked > paid else None
        values = {"quote": quote, "paid": _money(paid, currency), "difference": _money(difference, currency)}
        key = "with_difference" if difference is not None else "plain"
        return [{"code": "price_rise_cancel", "quote": quote, "evidence": [_evidence(item, quote)],
                 "price": {"paid": _cents(paid), "asked": _cents(asked), "difference": _cents(difference),
                           "currency": currency or None},
                 "remedy": rules.text("findings", "price_rise_cancel", f"remedy_{key}", **values),
                 "explanation": rules.text("findings", "price_rise_cancel",
                                           f"{_law(cross_border)}_{key}" if not cross_border else "cross_border",
                                           **values)}]
    return []


def review_for_refund_findings(ev: OrderEvidence) -> list[dict]:
    """A line of the order's pages or chat making the refund or after-sales depend on the buyer's review
    (先删差评再退款): the claim owes nothing to a review. The first such line."""
    for item, line in ev.lines_oldest_first():
        if clauses.review_for_refund(line):
            quote = line.strip()
            return [{"code": "review_for_refund", "quote": quote, "evidence": [_evidence(item, quote)],
                     "explanation": rules.text("findings", "review_for_refund", "explanation", quote=quote)}]
    return []
