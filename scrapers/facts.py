"""PageFacts and its parts: the value objects behind contract/page-facts.md."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Money:
    amount: str
    currency: str

    def as_dict(self) -> dict:
        return {"amount": self.amount, "currency": self.currency}


@dataclass
class Platform:
    name: str | None = None
    icp: str | None = None
    copyright_years: list[int] | None = None
    deposit_system: bool | None = None
    advance_compensation: bool | None = None
    dispute_channel: bool | None = None


@dataclass
class Contact:
    type: str
    value: str


@dataclass
class Seller:
    name: str | None = None
    id: str | None = None
    contacts: list[Contact] = field(default_factory=list)
    deposit: Money | None = None
    opened_on: str | None = None
    sales: int | None = None


@dataclass
class Product:
    title: str | None = None
    price: Money | None = None
    stock: int | None = None


@dataclass
class Order:
    order_no: str | None = None
    item: str | None = None  # the ordered item's name as the page shows it (contract version 2)
    amount: Money | None = None
    quantity: int | None = None
    payment_method: str | None = None
    status: str | None = None
    card_codes: list[str] = field(default_factory=list)


@dataclass
class Timestamp:
    role: str
    label: str
    at: str


@dataclass
class Phrase:
    """A promise or a policy: its kind, the verbatim quote and the hours it names (or None)."""

    kind: str
    quote: str
    hours: float | None = None


@dataclass
class PageFacts:
    url: str
    domain: str
    page_kind: str = "other"
    system: str = "generic"
    platform: Platform = field(default_factory=Platform)
    seller: Seller = field(default_factory=Seller)
    product: Product = field(default_factory=Product)
    order: Order = field(default_factory=Order)
    timestamps: list[Timestamp] = field(default_factory=list)
    promises: list[Phrase] = field(default_factory=list)
    policies: list[Phrase] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> PageFacts:
        def money(value):
            return Money(**value) if value else None

        platform = dict(data.get("platform") or {})
        seller = dict(data.get("seller") or {})
        seller["contacts"] = [Contact(**c) for c in seller.get("contacts") or []]
        seller["deposit"] = money(seller.get("deposit"))
        product = dict(data.get("product") or {})
        product["price"] = money(product.get("price"))
        order = dict(data.get("order") or {})
        order["amount"] = money(order.get("amount"))
        return cls(
            url=data["url"], domain=data.get("domain") or "", page_kind=data.get("page_kind") or "other",
            system=data.get("system") or "generic", platform=Platform(**platform), seller=Seller(**seller),
            product=Product(**product), order=Order(**order),
            timestamps=[Timestamp(**t) for t in data.get("timestamps") or []],
            promises=[Phrase(**p) for p in data.get("promises") or []],
            policies=[Phrase(**p) for p in data.get("policies") or []],
        )
