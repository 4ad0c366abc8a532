"""Which order a payment record (read from a screenshot) pays for: the order judgement's rule,
pure (no Redis). The window comes from ``server/ocr/rules.toml`` (``[match]``).

An order is matched when the record shows its order number (as the transaction, merchant order
or any long number on the record), else when the amounts are equal and the record's payment time
lies within the window of the order's stated order/payment time (or, when the page states none,
of the order page's capture). The closest in time wins.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from ..clock import parse_iso


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


def order_seen(snapshot_id: str, domain: str, received_at: str, facts: dict) -> OrderSeen:
    order = facts.get("order") or {}
    amount = order.get("amount") if isinstance(order.get("amount"), dict) else None
    times = [s.get("at") for s in facts.get("timestamps") or []
             if s.get("role") in ("ordered", "paid") and isinstance(s.get("at"), str)]
    return OrderSeen(snapshot_id=snapshot_id, domain=domain, order_no=order.get("order_no"),
                     amount=str(amount.get("amount")) if amount and amount.get("amount") is not None else None,
                     currency=(amount or {}).get("currency"), times=times, received_at=received_at)


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


def match_payment(reading: dict, orders: list[OrderSeen], window_minutes: int) -> dict | None:
    """The order ``reading`` (a payment Reading as a dict) pays for, or None:
    ``{"snapshot_id", "domain", "order_no", "by": "order_no" | "amount_time", "minutes_apart"}``."""
    if reading.get("kind") != "payment":
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
    except ValueError:
        paid = None
    if amount is None or paid is None:
        return None
    best: tuple[float, OrderSeen] | None = None
    for order in orders:
        if (order.currency or "CNY") != (reading.get("currency") or "CNY") or _decimal(order.amount) != amount:
            continue
        apart = _minutes_apart(paid, order)
        if apart is not None and apart <= window_minutes and (best is None or apart < best[0]):
            best = (apart, order)
    if best is None:
        return None
    apart, order = best
    return {"snapshot_id": order.snapshot_id, "domain": order.domain, "order_no": order.order_no,
            "by": "amount_time", "minutes_apart": round(apart, 1)}
