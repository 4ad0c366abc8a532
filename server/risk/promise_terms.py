"""When a promise holds (buyer scenarios, round 3): the period its own line states (「90天内找回包赔」),
a refund promised for a late delivery (「超时全额退款」), and a delivery promise not yet due
(「24小时内发货」 asked about after five hours). The words are clauses.toml's."""
from __future__ import annotations

from datetime import datetime

from . import clauses
from .gather import Item, OrderEvidence
from .windows import StatedTimes, promise_due

# Promise kinds whose own line may state how long they hold (「90天内找回包赔」, 「30天内无效包换」).
TERMED = ("original_owner", "replacement", "refund", "stable")


def not_due_yet(ev: OrderEvidence, promise, times: StatedTimes, occurred_at: datetime | None) -> datetime | None:
    """When a delivery promise (「24小时内发货」) is due, if nothing shows it was delivered and no
    saved page nor the problem's time is past it yet (it cannot be broken before then); else None."""
    if promise.kind != "delivery_window" or times.get("delivered") or times.delivered_shown:
        return None
    due = promise_due(promise.hours, times)
    if due is None:
        return None
    latest = max([i.when for i in ev.order] + ([occurred_at] if occurred_at else []), default=None)
    return due[0] if latest is not None and latest < due[0] else None


def late_refund(item: Item, quote: str) -> bool:
    """Whether the line holding the refund promise ``quote`` owes it for a late delivery."""
    return any(quote in line and clauses.refund_if_late(line) for line in item.lines())


def stated_term(item: Item, quote: str) -> float | None:
    """The period (hours) the line holding ``quote`` on ``item`` states for it, if any."""
    for line in item.lines():
        if quote in line:
            return clauses.promise_term_hours(line, quote)
    return None
