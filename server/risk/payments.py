"""Which order a payment record (read from a screenshot) pays for: the order judgement's rule,
pure (no Redis). The window is ``payment_match_minutes`` of ``server/rules/thresholds.toml``.

An order is matched when the record shows its order number (as the transaction, merchant order
or any long number on the record), else when the amounts are equal and the record's payment time
lies within the window of the order's stated order/payment time (or, when the page states none,
of the order page's capture). The closest in time wins.

The OCR reader (``server.ocr.worker``) uses it to file a new reading under the user's order, and
the order's judgement (``server.risk.screens``) uses it again on the order's own pages, so a
payment record counts for the order it pays whatever was captured first.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from .. import rules
from ..clock import parse_iso
from ..facts import PageFacts, typed
from . import clauses
from .clauses import payment_app as payment_app_named
from .findings import policies
from .gather import OrderEvidence


@dataclass
class OrderSeen:
    """An order as a capture shows it."""

    snapshot_id: str
    domain: str
    order_no: str | None
    amount: str | None
    currency: str | None
    times: list[str]  # stated order / payment times, ISO
    received_at: str


def order_seen(snapshot_id: str, domain: str, received_at: str, facts: PageFacts | dict | None) -> OrderSeen:
    """The order a capture's facts show (typed facts, or their stored JSON)."""
    facts = typed(facts)
    amount = facts.order.amount
    times = [s.at for s in facts.timestamps if s.role in ("ordered", "paid") and isinstance(s.at, str)]
    return OrderSeen(snapshot_id=snapshot_id, domain=domain, order_no=facts.order.order_no,
                     amount=str(amount.amount) if amount and amount.amount is not None else None,
                     currency=amount.currency if amount else None, times=times, received_at=received_at)


def window_minutes() -> int | float:
    """How far apart a payment and its order's stated time may be (thresholds.toml)."""
    return rules.threshold("payment_match_minutes")


def _digits(value: str | None) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", value or "").upper()


def _decimal(value: str | None) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        return None


def _minutes_apart(paid: datetime, order: OrderSeen) -> float | None:
    best = None
    for text in order.times or [order.received_at]:
        try:
            moment = parse_iso(text)
        except (ValueError, TypeError):
            continue
        apart = abs((paid - moment).total_seconds()) / 60
        best = apart if best is None or apart < best else best
    return best


def match_payment(reading: dict, orders: list[OrderSeen], window: int | float | None = None) -> dict | None:
    """The order ``reading`` (a payment Reading as a dict) pays for, or None:
    ``{"snapshot_id", "domain", "order_no", "by": "order_no" | "amount_time", "minutes_apart"}``.
    ``window``: minutes (default: the rules' ``payment_match_minutes``)."""
    window = window_minutes() if window is None else window
    if not isinstance(reading, dict) or reading.get("kind") != "payment":
        return None
    seen = {_digits(n) for n in [reading.get("transaction_no"), reading.get("merchant_order_no"),
                                 *(reading.get("numbers") or [])] if n}
    seen.discard("")
    for order in orders:
        if order.order_no and len(_digits(order.order_no)) >= 6 and _digits(order.order_no) in seen:
            return {"snapshot_id": order.snapshot_id, "domain": order.domain, "order_no": order.order_no,
                    "by": "order_no", "minutes_apart": None}
    amount = _decimal(reading.get("amount"))
    try:
        paid = parse_iso(reading["time"]) if reading.get("time") else None
    except (ValueError, TypeError):
        paid = None
    if amount is None or paid is None:
        return None
    best: tuple[float, OrderSeen] | None = None
    for order in orders:
        if (order.currency or "CNY") != (reading.get("currency") or "CNY") or _decimal(order.amount) != amount:
            continue
        apart = _minutes_apart(paid, order)
        if apart is not None and apart <= window and (best is None or apart < best[0]):
            best = (apart, order)
    if best is None:
        return None
    apart, order = best
    return {"snapshot_id": order.snapshot_id, "domain": order.domain, "order_no": order.order_no,
            "by": "amount_time", "minutes_apart": round(apart, 1)}


PAYMENT_APPS = ("wechat", "alipay")


def payment_app(ev: OrderEvidence, method: str | None, screens: dict, cross_border: bool) -> str | None:
    """The payment app (WeChat Pay, Alipay) the buyer paid through, whose bill has a complaint entry
    (docs/LEGAL.md): the order's payment method, else a payment record that pays for this order,
    else, at a domestic shop, the app an off-platform payment request names ("加我微信转账")."""
    if method in PAYMENT_APPS:
        return method
    for screen in screens.values():
        if (screen.pays or screen.payment_unchecked) and screen.reading.get("platform") in PAYMENT_APPS:
            return screen.reading["platform"]
    for policy, _item in [] if cross_border else policies(ev, "off_platform"):
        app = payment_app_named(policy.quote)
        if app:
            return app
    return None


def paypal_card(ev: OrderEvidence) -> str | None:
    """The card network a PayPal payment was made with, when the order's payment line names one
    ("PayPal (Visa •••• 4417)")."""
    for item in ev.order:
        if item.kind not in ("order", "checkout"):
            continue
        for line in item.lines():
            if clauses.payment_network(line) == "paypal":
                rest = clauses.pattern("payment_networks", "paypal").sub(" ", line)
                card = clauses.payment_network(rest)
                if card in ("visa", "mastercard"):
                    return card
    return None
