"""Findings that size what the buyer may ask for (buyer scenarios, round 3):

- ``unused_term``: a service sold for a period (月卡, 合租车位 30天) that stopped part-way: its unused
  days, or their share of the price, not the whole price (unless a page promised full compensation);
- ``short_top_up``: game currency or points that arrived short (648点券 bought, 328 came): the rest,
  or its share of the price;
- ``no_reason_return``: the buyer no longer wants goods that arrived (买错了, 不想要了): a return
  without a reason, which the law lets a shop refuse for digital goods delivered online (消法第二十五
  条); KaDun says so and asks, it never argues a defect;
- ``surcharge_demand``: the seller asks for more money after the payment (补差价): do not pay it;
- ``confirm_before_delivery`` (round 4): the seller asks the buyer to confirm receipt before it
  delivers (先确认收货再发卡): do not confirm.

The words are clauses.toml's ([change_of_mind], [service_terms], [top_ups], [surcharges]); every
sentence is a template of ``server/rules/disputes.toml`` ([findings]).
"""
from __future__ import annotations

import math
import re
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from scrapers.facts import Money

from .. import rules
from ..clock import written
from . import clauses
from .gather import Item, OrderEvidence
from .gather import evidence_of as _evidence
from .gather import finite_decimal as _decimal
from .windows import StatedTimes

# Promise kinds that, when broken, already give the whole price back (找回包赔, 掉了全额退款): no
# pro-rata share then.
FULL_COMPENSATION = ("original_owner", "refund")
SURCHARGE_PAGES = ("order", "chat")
# A payment above the listed price by no more than this share of it is no overcharge to claim: a
# payment channel's fee (支付手续费, commonly a few per cent) that shops may add at the till.
LISTING_TOLERANCE = Decimal("0.05")
# Problems of a service that worked and then stopped (banned, taken back): the days it worked were
# had. A code that never worked, or goods not as ordered, were never what was paid for: no share.
STOPPED = ("account_banned", "account_recovered")
# Problems that say nothing arrived (a late delivery did arrive; a vanished shop may have delivered first).
CLAIMS_NOTHING_ARRIVED = ("not_delivered",)


def _share(amount: Money | None, part: int, whole: int) -> dict:
    paid = _decimal(amount.amount) if amount else None
    if paid is None:
        return rules.texts("letters", "unknown_amount")
    value = (paid * part / whole).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    plain = f"{value} {amount.currency}"
    return {"zh": f"¥{value}" if amount.currency == "CNY" else plain, "en": plain}


def _cents(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))


def _money(value: Decimal, currency: str) -> dict:
    plain = f"{value.quantize(Decimal('0.01'))} {currency}"
    return {"zh": f"¥{value.quantize(Decimal('0.01'))}" if currency == "CNY" else plain, "en": plain}


def _item_page(ev: OrderEvidence) -> Item | None:
    """The order's own page that names the ordered item (the first saved)."""
    pages = sorted([i for i in ev.order if i.kind in ("order", "checkout") and i.facts
                    and (i.facts.order.item or i.facts.product.title)], key=lambda i: i.when)
    return pages[0] if pages else None


def _law(cross_border: bool) -> str:
    return "cross_border" if cross_border else "domestic"


def unused_term_findings(ev: OrderEvidence, problem: str, item: str | None, times: StatedTimes,
                         amount: Money | None, occurred_at: datetime | None, cross_border: bool,
                         broken_kinds: set[str], ended_early: bool = False) -> list[dict]:
    """A service of a stated period that stopped part-way through it: its unused days and their
    share of the price. None when the item states no period, the service did not stop (a code that
    never worked is owed whole), it stopped within its first day (it never served: owed whole as
    well), it stopped after the period, or a broken promise already owes the
    whole price."""
    # (a "not as described" period service the buyer says ended early counts as one that stopped)
    if (problem not in STOPPED and not ended_early) or occurred_at is None or broken_kinds & set(FULL_COMPENSATION):
        return []
    term = clauses.service_term(item)
    start = times.get("delivered") or times.purchase()
    if not term or not start:
        return []
    days, words = term
    elapsed = (occurred_at - start.at).total_seconds() / 86400
    if not 1 <= elapsed < days:
        return []  # (stopped within its first day: it never served, and the whole price is owed)
    used = max(1, math.ceil(elapsed))
    left = days - used
    if left <= 0:
        return []
    page = _item_page(ev)
    values = {"term": days, "words": words, "start": written(start.at), "occurred": written(occurred_at),
              "day": used, "left": left, "share": _share(amount, left, days)}
    return [{"code": "unused_term", "quote": words, "evidence": [_evidence(page, words)] if page else [],
             "term": {"days": days, "used": used, "left": left},
             "remedy": rules.text("findings", "unused_term", "remedy", **values),
             "explanation": rules.text("findings", "unused_term", _law(cross_border), **values)}]


def short_top_up_findings(ev: OrderEvidence, item: str | None, told: str, amount: Money | None,
                          cross_border: bool) -> list[dict]:
    """Game currency or points that arrived short, by the buyer's own count (只到账328点券 of 648):
    the rest, or its share of the price."""
    bought = clauses.top_up(item)
    if not bought:
        return []
    ordered, unit, words = bought
    arrived = clauses.arrived_units(told, unit)
    if not arrived or not 0 <= arrived[0] < ordered:
        return []
    got, said = arrived
    missing = ordered - got
    page = _item_page(ev)
    named = {"zh": unit, "en": "yuan" if unit == "元" else unit}  # a card's face value reads as yuan in English
    values = {"item": item, "ordered": ordered, "unit": named, "arrived": got, "missing": missing, "told": said,
              "share": _share(amount, missing, ordered)}
    return [{"code": "short_top_up", "quote": words, "evidence": [_evidence(page, words)] if page else [],
             "top_up": {"ordered": ordered, "arrived": got, "missing": missing, "unit": unit},
             "remedy": rules.text("findings", "short_top_up", "remedy", **values),
             "explanation": rules.text("findings", "short_top_up", _law(cross_border), **values)}]


def wants_no_reason_return(problem: str, told: str, delivered: bool) -> bool:
    """Whether the buyer's complaint is only that they no longer want goods that arrived: their
    words say so and the problem they chose is no defect and no missing delivery (a late delivery
    that did arrive counts)."""
    if not clauses.change_of_mind(told) or problem in rules.defective_problems() or problem == "minor_purchase":
        return False  # (a guardian who "does not want" a child's purchase refuses to ratify it: another claim)
    return not (rules.chargeback_reason(problem) == "not_received" and not (problem == "delivery_late" and delivered))


# A line about physical goods (实物商品支持七天无理由退货) offers nothing for a code or an account.
PHYSICAL_GOODS = re.compile(r"实物|快递|包邮|physical goods|shipped goods", re.I)


def promised_return(ev: OrderEvidence, times: StatedTimes) -> tuple[Item, int, str, datetime] | None:
    """(page, days, words, until) of a no-reason return the seller offers for this order, on its
    product, order or shop pages (支持7天无理由退款), counted from the stated delivery, else the
    purchase; None when no saved page offers one, or no time to count from is stated. A site's general
    rules are not read (「实物商品支持七天无理由退货」 is about other goods), nor a line about physical goods."""
    start = times.get("delivered") or times.purchase()
    if start is None:
        return None
    for item in sorted(ev.products + ev.order + ev.shops, key=lambda i: i.when):
        for line in item.lines():
            found = None if PHYSICAL_GOODS.search(line) else clauses.promised_return(line)
            if found:
                days, words = found
                return item, days, words, start.at + timedelta(days=days)
    return None


def no_reason_findings(ev: OrderEvidence, told: str, item: str | None, refusals: list[dict],
                       cross_border: bool, times: StatedTimes | None = None,
                       occurred_at: datetime | None = None) -> list[dict]:
    """The buyer's change of mind, said as the law has it: no claim, a request; unless the shop's own
    page offered a no-reason return (支持7天无理由退款) and the buyer changed their mind within its
    days: 第二十五条 lets a shop exclude digital goods, and this one chose not to, so its word binds
    it and the finding claims the refund it promised (``promised``, ``remedy``)."""
    page = _item_page(ev)
    quote = item or (page.facts.order.order_no if page else "") or ""
    said = clauses.change_of_mind(told) or ""
    offer = promised_return(ev, times) if times is not None else None
    if offer and occurred_at is not None and occurred_at <= offer[3]:
        where, days, words, until = offer
        values = {"told": said, "quote": words, "days": days, "until": written(until)}
        return [{"code": "no_reason_return", "quote": words, "evidence": [_evidence(where, words)],
                 "promised": {"quote": words, "days": days, "until": until.isoformat()},
                 "remedy": rules.text("findings", "no_reason_return", "promised_remedy", **values),
                 "explanation": rules.text("findings", "no_reason_return", f"{_law(cross_border)}_promised", **values)}]
    clause = ({"zh": f"，页面也写明了「{refusals[0]['quote']}」", "en": f", and the page says so (“{refusals[0]['quote']}”)"}
              if refusals else {"zh": "", "en": ""})
    return [{"code": "no_reason_return", "quote": quote, "evidence": [_evidence(page, quote)] if page else [],
             "explanation": rules.text("findings", "no_reason_return", _law(cross_border), told=said, clause=clause)}]


def surcharge_findings(ev: OrderEvidence) -> list[dict]:
    """One ``surcharge_demand`` finding per distinct demand on the order's pages and chats, oldest
    first, quoting the line that asks."""
    seen, out = set(), []
    for item in sorted([i for i in ev.order + ev.chats if i.kind in SURCHARGE_PAGES and i.facts],
                       key=lambda i: i.when):
        for line in item.lines():
            words = clauses.surcharge(line)
            if not words or line.strip() in seen:
                continue
            seen.add(line.strip())
            out.append({"code": "surcharge_demand", "quote": line.strip(), "words": words,
                        "evidence": [_evidence(item, line.strip())],
                        "explanation": rules.text("findings", "surcharge_demand", quote=line.strip())})
            break  # one line per page: the demand, not the conversation about it
    return out[:1]


def _same_item(title: str | None, item: str | None) -> bool:
    norm = lambda text: "".join((text or "").split()).lower()  # noqa: E731
    a, b = norm(title), norm(item)
    return bool(a and b) and (a == b or a in b or b in a)


def price_above_listing_findings(ev: OrderEvidence, item: str | None, purchase: datetime | None,
                                 cross_border: bool) -> list[dict]:
    """The order page states a payment above the price the product page showed before the purchase
    (标价¥98.00, 实付¥138.00), for the ordered quantity: the difference, to ask back. None when no
    product page of this very item was saved before the purchase, the currencies differ, or the
    difference is within ``LISTING_TOLERANCE`` of the listing (a payment channel's small fee)."""
    page = _item_page(ev)
    paid = page.facts.order.amount if page else None
    if purchase is None or paid is None or _decimal(paid.amount) is None:
        return []
    listings = [i for i in ev.products if i.when <= purchase and i.facts and i.facts.product.price
                and _same_item(i.facts.product.title, item)]
    if not listings:
        return []
    listing = max(listings, key=lambda i: i.when)  # the last look before paying
    price = listing.facts.product.price
    unit = _decimal(price.amount)
    if unit is None or price.currency != paid.currency:
        return []
    quantity = page.facts.order.quantity or 1
    listed, total = unit * quantity, _decimal(paid.amount)
    if total <= listed * (1 + LISTING_TOLERANCE):
        return []
    values = {"listed": _money(listed, paid.currency), "paid": _money(total, paid.currency),
              "difference": _money(total - listed, paid.currency), "quantity": str(quantity)}
    quote = f"{price.amount}"
    return [{"code": "price_above_listing", "quote": quote,
             "evidence": [_evidence(listing, quote), _evidence(page, paid.amount)],
             "price": {"listed": _cents(listed), "paid": _cents(total), "difference": _cents(total - listed),
                       "currency": paid.currency},
             "remedy": rules.text("findings", "price_above_listing", "remedy", **values),
             "explanation": rules.text("findings", "price_above_listing", _law(cross_border), **values)}]


def refund_not_received_findings(ev: OrderEvidence, told: str) -> list[dict]:
    """The order's own page says 已退款 but the buyer says the money never arrived: the shop's status
    is its own record, so ask it for the refund's transaction record (退款流水号, 电商法第六十二条:
    the operator must provide the transaction records) and check the payment app's refund record."""
    said = clauses.refund_missing(told)
    refunded = [i for i in ev.order if i.kind == "order" and i.facts and i.facts.order.status == "refunded"]
    if not said or not refunded:
        return []
    page = max(refunded, key=lambda i: i.when)
    quote = page.facts.order.order_no or said
    return [{"code": "refund_not_received", "quote": quote, "evidence": [_evidence(page, quote)],
             "remedy": rules.texts("findings", "refund_not_received", "remedy"),
             "explanation": rules.text("findings", "refund_not_received", "explanation", told=said)}]


def confirm_first_findings(ev: OrderEvidence, delivered: bool) -> list[dict]:
    """A request on the order's pages or chats to confirm receipt before anything was delivered
    (「你先点确认收货，我马上手动发卡」): do not confirm. The first such line; none once a page of the
    order shows the delivery (asking to confirm what arrived is ordinary)."""
    if delivered:
        return []
    for item, line in ev.lines_oldest_first(SURCHARGE_PAGES):
        if clauses.confirm_first(line):
            quote = line.strip()
            return [{"code": "confirm_before_delivery", "quote": quote, "evidence": [_evidence(item, quote)],
                     "explanation": rules.text("findings", "confirm_before_delivery", quote=quote)}]
    return []


# Words by which a line on a seller's own page speaks for the platform (「平台先行赔付」), not the seller.
PLATFORM_WORDS = re.compile(r"平台|platform|marketplace", re.I)


def platform_compensation_findings(ev: OrderEvidence, problem: str, single_shop: bool, cross_border: bool) -> list[dict]:
    """The platform's own statement that it pays buyers first (先行赔付), quoted from a saved page: its promise binds it (消法第四十四条, 电商法第五十八条), so the
    platform step claims it instead of asking whether it exists. None on a single shop, abroad, for
    a change of mind or a minor's purchase, or when no page states it."""
    from . import profiles

    if single_shop or cross_border or problem in ("minor_purchase",):
        return []
    # Only a statement that the platform pays (先行赔付): a seller's deposit amount shown on a product
    # page is no promise to the buyer (the platform letter asks about deposits in general, 第五十八条).
    for code in ("advance_compensation",):
        for reading in profiles.items(ev.platform_state, code):
            if reading.get("value") is not True:
                continue
            for evidence in reading.get("evidence") or []:
                quote = (evidence.get("quote") or "").strip()
                item = ev.by_id(evidence.get("snapshot_id") or "")
                if not quote or item is None:
                    continue  # a statement the buyer's own evidence of this order does not hold
                if item.role in ("product", "shop") and not PLATFORM_WORDS.search(quote):
                    continue  # a seller's own guarantee in its listing (「假一赔十」): the seller's word, not the platform's
                return [{"code": "platform_compensation", "quote": quote, "mechanism": code,
                         "evidence": [_evidence(item, quote)],
                         "explanation": rules.text("findings", "platform_compensation", quote=quote)}]
    return []


def shown_delivered_findings(ev: OrderEvidence, problem: str, partly: bool) -> list[dict]:
    """The buyer says nothing arrived, but a saved page of this very order shows delivered codes:
    a claim of non-delivery that the buyer's own evidence contradicts. Said to the buyer (look on the
    order page; a code that does not work is another problem), and the letters ask the seller to
    check and resend rather than assert that nothing was delivered. None when part of a quantity is
    missing (partial delivery says that) or no order page shows a code."""
    if partly or problem not in CLAIMS_NOTHING_ARRIVED:
        return []
    pages = [i for i in ev.order if i.kind == "order" and i.facts and i.facts.order.card_codes]
    if not pages:
        return []
    page = max(pages, key=lambda i: i.when)
    count = len(page.facts.order.card_codes)
    quote = page.facts.order.order_no or (page.facts.order.item or "")
    values = {"count": count, "saved": written(page.when), "problem": rules.texts("problems", problem)}
    return [{"code": "shown_delivered", "quote": quote, "evidence": [_evidence(page, quote)],
             "delivery": {"codes": count},
             "remedy": rules.texts("findings", "shown_delivered", "remedy"),
             "explanation": rules.text("findings", "shown_delivered", "explanation", **values)}]
