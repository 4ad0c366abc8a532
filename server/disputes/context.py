"""The order as the captures state it: amount, platform, seller, item, key times, cross-border."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

from ..clock import parse_iso
from .collect import Collection, Evidence

# Time roles a page states, earliest statement wins (a later page repeating it changes nothing).
TIME_ROLES = ("ordered", "paid", "delivered")


@dataclass
class OrderContext:
    domain: str | None
    order_no: str | None
    amount: dict | None
    platform: str | None
    seller: str | None
    seller_id: str | None
    product: str | None
    cross_border: bool
    times: dict[str, tuple[datetime, Evidence]] = field(default_factory=dict)
    occurred_at: datetime | None = None
    created_at: datetime | None = None

    def at(self, *roles: str) -> tuple[datetime, Evidence] | None:
        """The first stated time among ``roles`` (in the order given)."""
        for role in roles:
            if role in self.times:
                return self.times[role]
        return None

    def amount_cny(self) -> Decimal | None:
        if not self.amount or self.amount.get("currency") != "CNY":
            return None
        try:
            return Decimal(str(self.amount.get("amount")))
        except (InvalidOperation, TypeError):
            return None

    def as_order(self) -> dict:
        return {"domain": self.domain, "order_no": self.order_no, "amount": self.amount,
                "platform": self.platform, "seller": self.seller, "cross_border": self.cross_border}


def _first(items: list[Evidence], getter) -> object:
    for item in items:
        value = getter(item.facts)
        if value:
            return value
    return None


def _money(value) -> dict | None:
    if isinstance(value, dict) and value.get("amount") is not None:
        return {"amount": str(value["amount"]), "currency": str(value.get("currency") or "CNY")}
    return None


def build_context(coll: Collection) -> OrderContext:
    record = coll.record
    order_pages = [e for e in coll.order if e.kind in ("order", "checkout")] or coll.order
    ranked = order_pages + coll.order + coll.products + coll.shops + coll.terms
    amount = _money(record.amount) or _money(_first(order_pages, lambda f: (f.get("order") or {}).get("amount")))
    if amount is None:
        amount = _money(_first(coll.products, lambda f: (f.get("product") or {}).get("price")))
    seller = _first(ranked, lambda f: (f.get("seller") or {}).get("name"))
    seller_id = _first(ranked, lambda f: (f.get("seller") or {}).get("id"))
    platform = _first(ranked, lambda f: (f.get("platform") or {}).get("name"))
    product = _first(order_pages + coll.products, lambda f: (f.get("product") or {}).get("title"))
    domain = record.domain or next((e.capture.domain for e in ranked if e.capture and e.capture.domain), None)
    order_no = record.order_no or _first(ranked, lambda f: (f.get("order") or {}).get("order_no"))
    times: dict[str, tuple[datetime, Evidence]] = {}
    for item in coll.order:
        for stamp in item.facts.get("timestamps") or []:
            role = stamp.get("role")
            if role not in TIME_ROLES:
                continue
            try:
                moment = parse_iso(stamp.get("at"))
            except (ValueError, TypeError):
                continue
            if role not in times or moment < times[role][0]:
                times[role] = (moment, item)
    return OrderContext(domain=domain, order_no=order_no, amount=amount, platform=platform or domain,
                        seller=seller or (f"#{seller_id}" if seller_id else None) or platform,
                        seller_id=seller_id, product=product, cross_border=is_cross_border(coll, amount),
                        times=times, occurred_at=parse_iso(record.occurred_at),
                        created_at=parse_iso(record.created_at))


def is_cross_border(coll: Collection, amount: dict | None) -> bool:
    """A foreign marketplace: priced in a foreign currency, with no ICP filing on any page."""
    currencies = {amount.get("currency")} if amount else set()
    for item in coll.captures():
        for money in ((item.facts.get("order") or {}).get("amount"), (item.facts.get("product") or {}).get("price")):
            if isinstance(money, dict) and money.get("currency"):
                currencies.add(money["currency"])
    has_icp = any((item.facts.get("platform") or {}).get("icp") for item in coll.captures())
    return bool(currencies - {"CNY"}) and "CNY" not in currencies and not has_icp


def policies(coll: Collection, *kinds: str) -> list[tuple[dict, Evidence]]:
    """Every (policy, capture) of the given kinds, deduplicated by quote, oldest capture first."""
    seen, out = set(), []
    for item in coll.captures():
        for policy in item.facts.get("policies") or []:
            if policy.get("kind") in kinds and (policy.get("kind"), policy.get("quote")) not in seen:
                seen.add((policy.get("kind"), policy.get("quote")))
                out.append((policy, item))
    return out
