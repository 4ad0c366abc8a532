"""What an order's phone screenshots show, for its judgement (``server.risk.order``): a payment
record read by OCR pays for this order or not (``payments.match_payment`` against the order's own
pages, the same rule the OCR reader files it by), and an error prompt shows the problem and the
time it appeared. Each screenshot that states a time is an event of the timeline at that time.

Pure: the screenshots and their readings come from ``gather``; texts from disputes.toml
(``[screens]``, ``[payment_platforms]``).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .. import rules
from ..clock import parse_iso
from .gather import Item, OrderEvidence
from .payments import OrderSeen, match_payment, order_seen

# What a stated time of a screenshot is: a payment's time is the purchase, a prompt's the problem.
STATED_PHASE = {"paid": "transaction", "problem": "problem"}


@dataclass
class Screen:
    """One screenshot of the order's evidence as the judgement reads it."""

    item_id: str
    state: str | None  # the OCR job's state: queued | reading | done | skipped | failed (None: not an upload read)
    shows: str | None  # what OCR read it to be: payment | error | chat | other (None: not read)
    reading: dict
    match: dict | None  # the order this payment record pays for, among this order's pages
    stated_role: str | None = None  # "paid" or "problem": the time the screenshot itself shows
    stated_at: datetime | None = None
    summary: dict | None = None  # {"zh", "en"}: what it shows, for the event at its stated time
    compared: bool = True  # the order has pages (amount, times) to compare a payment record with

    @property
    def pays(self) -> bool:
        """A payment record of this order (the amount and time, or the order number, agree)."""
        return self.match is not None

    @property
    def pays_another(self) -> bool:
        """Read as a payment record whose amount and time are not this order's."""
        return self.shows == "payment" and self.compared and self.match is None and bool(self.reading.get("amount"))

    @property
    def payment_unchecked(self) -> bool:
        """A payment record with nothing of the order's to compare it with (no order page saved):
        it stands on the uploader's word, like an unread one."""
        return self.shows == "payment" and not self.compared

    @property
    def phase(self) -> str | None:
        return STATED_PHASE.get(self.stated_role or "")

    def as_dict(self) -> dict:
        """The ``ocr`` part of the dispute's evidence item."""
        return {"state": self.state, "shows": self.shows, "reading": self.reading or None, "match": self.match,
                "stated_at": self.stated_at.isoformat() if self.stated_at else None}


def orders_of(ev: OrderEvidence) -> list[OrderSeen]:
    """This order as each of its order and checkout captures shows it (every sighting: a page
    that states no time is matched by when it was saved)."""
    return [order_seen(c.id, ev.domain or c.domain, c.received_at, item.facts)
            for item in ev.order if item.kind in ("order", "checkout") and item.facts for c in item.captures]


def _moment(text) -> datetime | None:
    try:
        return parse_iso(text) if isinstance(text, str) and text else None
    except (TypeError, ValueError):
        return None


def _payment_summary(reading: dict) -> dict:
    platforms = rules.texts("payment_platforms")
    platform = platforms.get(reading.get("platform") or "") or platforms["other"]
    amount = reading.get("amount")
    money = f"{amount} {reading.get('currency') or 'CNY'}" if amount else rules.texts("screens", "unknown")
    number = reading.get("transaction_no") or reading.get("merchant_order_no")
    return rules.text("screens", "payment", platform=platform, money=money,
                      payee=reading.get("payee") or rules.texts("screens", "unknown"),
                      number=rules.text("screens", "number", number=number) if number else {"zh": "", "en": ""})


def read_screen(item: Item, orders: list[OrderSeen]) -> Screen:
    """What one attachment shows and proves for the order of ``orders``."""
    reading = item.reading
    shows = reading.get("kind") if reading else None
    screen = Screen(item_id=item.id, state=(item.ocr or {}).get("state"), shows=shows, reading=reading,
                    match=match_payment(reading, orders) if shows == "payment" else None, compared=bool(orders))
    if shows == "payment":
        screen.stated_at = _moment(reading.get("time"))
        if screen.stated_at:
            screen.stated_role, screen.summary = "paid", _payment_summary(reading)
    problem = reading.get("problem") if isinstance(reading.get("problem"), dict) else None
    if shows == "error" and problem and problem.get("message"):
        screen.stated_at = _moment(problem.get("at"))
        if screen.stated_at:
            screen.stated_role = "problem"
            screen.summary = rules.text("screens", "error", message=problem["message"])
    return screen


def read_screens(ev: OrderEvidence) -> dict[str, Screen]:
    """Every attachment's ``Screen``, by item id."""
    orders = orders_of(ev)
    return {item.id: read_screen(item, orders) for item in ev.attachments}
