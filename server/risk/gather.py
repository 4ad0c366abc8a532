"""The evidence of one order, read from storage: every capture of the order (grouped by content
hash: the same bytes saved twice are one item with two sightings), and for a dispute the product,
shop, terms and chat pages that relate to it and the buyer's attachments; plus the user's platform
profile of the site (its rules' time limits and its cross-border reading).

The badge (``server.risk.service``) and the dispute (``server.disputes``) gather with the same
function, so the judgement of an order (``server.risk.order``) starts from the same inputs: the
order's own pages and the profile decide its times and windows in both.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from ..clock import parse_iso
from ..facts import PageFacts, typed
from ..storage import blobs
from ..storage import captures as capture_store
from ..storage import disputes as dispute_store
from ..storage import profiles as profile_store
from ..storage.captures import Capture
from ..storage.disputes import Attachment
from .pagetext import page_lines

# How far back the domain index is read for product, shop, terms and chat pages of a dispute.
DOMAIN_SCAN = 5000
ORDER_PAGES = 500


@dataclass
class Item:
    """One piece of evidence: the bytes of one or more captures (every capture record of those
    bytes in this order's evidence, oldest first), or one attachment."""

    id: str  # the first capture's id, or the attachment's
    type: str  # "capture" | "attachment"
    kind: str  # the page kind of a capture, the kind of an attachment
    sha256: str
    received_at: str  # the first time these bytes were received here
    role: str  # "order" (a page of the order itself), "product", "shop", "terms", "chat", "attachment"
    facts: PageFacts | None = None
    captures: list[Capture] = field(default_factory=list)
    attachment: Attachment | None = None
    _sightings: Callable[[], list[dict]] | None = None
    _lines: Callable[[], list[str]] | None = None
    no: int = 0  # the number letters and the report cite (given when the dispute is arranged)

    @property
    def sightings(self) -> list[dict]:
        """Every time these bytes were seen: ``{snapshot_id, received_at, url}``, oldest first (read
        from storage the first time they are needed: the badge never needs them)."""
        if self._sightings is None:
            return []
        value = self._sightings()
        self._sightings = lambda: value
        return value

    @property
    def when(self) -> datetime:
        return parse_iso(self.received_at)

    @property
    def capture(self) -> Capture | None:
        return self.captures[0] if self.captures else None

    @property
    def url(self) -> str | None:
        return self.capture.url if self.capture else None

    @property
    def ids(self) -> list[str]:
        return [c.id for c in self.captures] or [self.id]

    def source(self) -> dict:
        return {"attachment_id": self.id} if self.attachment else {"snapshot_id": self.id}

    def lines(self) -> list[str]:
        """The page's visible text lines (read from storage the first time they are needed)."""
        if self._lines is None:
            return []
        value = self._lines()
        self._lines = lambda: value
        return value


@dataclass
class OrderEvidence:
    domain: str | None
    order_no: str | None
    order: list[Item] = field(default_factory=list)  # order, checkout and chat pages of this order
    products: list[Item] = field(default_factory=list)
    shops: list[Item] = field(default_factory=list)
    terms: list[Item] = field(default_factory=list)
    chats: list[Item] = field(default_factory=list)  # chats about the seller that name no order
    attachments: list[Item] = field(default_factory=list)
    platform_state: dict | None = None

    def captures(self) -> list[Item]:
        return self.order + self.products + self.shops + self.terms + self.chats

    def all(self) -> list[Item]:
        return self.captures() + self.attachments

    def by_id(self, item_id: str) -> Item | None:
        return next((i for i in self.all() if item_id == i.id or item_id in i.ids), None)


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "").lower()


def _title_matches(title: str | None, wanted: set[str]) -> bool:
    title = _norm(title)
    return bool(title) and any(title == w or (len(w) >= 6 and (w in title or title in w)) for w in wanted)


class _Reader:
    """Reads captures with their typed facts, caching facts shared by identical captures."""

    def __init__(self, r, user: str):
        self.r, self.user = r, user
        self._facts: dict[str, PageFacts] = {}

    def facts(self, capture: Capture) -> PageFacts:
        if capture.facts_id not in self._facts:
            raw = capture_store.get_facts(self.r, self.user, capture)
            self._facts[capture.facts_id] = typed(raw, url=capture.url)
        return self._facts[capture.facts_id]

    def many(self, ids: list[str]) -> list[Capture]:
        """The captures of ``ids`` with their facts read in the same go (two round trips in all)."""
        found = capture_store.get_many(self.r, self.user, ids)
        missing = [c for c in found if c.facts_id not in self._facts]
        by_id = {c.facts_id: c for c in missing}
        for fid, raw in capture_store.get_facts_many(self.r, self.user, list(by_id)).items():
            self._facts[fid] = typed(raw, url=by_id[fid].url)
        return found

    def sightings_of(self, sha256: str) -> Callable[[], list[dict]]:
        return lambda: capture_store.sightings(self.r, self.user, sha256)

    def lines_of(self, sha256: str) -> Callable[[], list[str]]:
        return lambda: page_lines(blobs.get(self.r, self.user, sha256))


def _items(reader: _Reader, captures: list[Capture], role_of: Callable[[Capture], str]) -> list[Item]:
    """Captures grouped by their bytes: one item per content hash and role, oldest first."""
    grouped: dict[tuple[str, str], list[Capture]] = {}
    for capture in sorted(captures, key=lambda c: (parse_iso(c.received_at), c.chain_index)):
        grouped.setdefault((role_of(capture), capture.sha256), []).append(capture)
    out = []
    for (role, sha), group in grouped.items():
        first = group[0]
        out.append(Item(id=first.id, type="capture", kind=first.page_kind, sha256=sha,
                        received_at=first.received_at, role=role, facts=reader.facts(first), captures=group,
                        _sightings=reader.sightings_of(sha), _lines=reader.lines_of(sha)))
    return out


def order_key(r, user: str, domain: str | None, order_no: str | None,
              snapshot_ids: list[str] | None = None) -> tuple[str | None, str | None]:
    """(domain, order_no) of an order: as given, else from the chosen captures."""
    reader = _Reader(r, user)
    for capture in reader.many(list(snapshot_ids or [])):
        domain = domain or capture.domain or None
        order_no = order_no or reader.facts(capture).order.order_no or capture.order_no
    return (domain.lower() if domain else None), order_no


def gather(r, user: str, *, domain: str | None, order_no: str | None, snapshot_ids: list[str] | None = None,
           related: bool = True, dispute_id: str | None = None) -> OrderEvidence:
    """The evidence of an order. ``related``: also the domain's product, shop, terms and chat
    pages about it (a dispute; the badge needs only the order's own pages). ``dispute_id``: with
    that dispute's attachments."""
    reader = _Reader(r, user)
    seeds = reader.many(list(snapshot_ids or []))
    for capture in seeds:
        domain = domain or capture.domain or None
        order_no = order_no or reader.facts(capture).order.order_no or capture.order_no
    domain = domain.lower() if domain else None
    chosen: dict[str, Capture] = {c.id: c for c in seeds}
    in_order: set[str] = {c.id for c in seeds if c.page_kind in ("order", "checkout", "chat")}
    if order_no:
        ids = [sid for sid, _ in capture_store.ids_newest_first(r, user, order_no=order_no, limit=ORDER_PAGES)]
        for capture in reader.many([i for i in ids if i not in chosen]):
            if not domain or capture.domain == domain:
                chosen[capture.id] = capture
                in_order.add(capture.id)
    ev = OrderEvidence(domain=domain, order_no=order_no)
    if related and domain:
        order_facts = [reader.facts(c) for c in chosen.values()]
        titles = {_norm(f.product.title) for f in order_facts} | {_norm(f.order.item) for f in order_facts}
        titles -= {""}
        sellers = {f.seller.id or c.seller_id for f, c in zip(order_facts, chosen.values(), strict=True)} - {None, ""}
        ids = [sid for sid, _ in capture_store.ids_newest_first(r, user, domain=domain, limit=DOMAIN_SCAN)]
        for capture in reader.many([i for i in ids if i not in chosen]):
            if _related(capture, reader.facts(capture), titles, sellers, order_no):
                chosen[capture.id] = capture

    def role_of(capture: Capture) -> str:
        if capture.page_kind in ("product", "shop", "terms"):
            return capture.page_kind
        if capture.page_kind == "chat" and capture.id not in in_order:
            return "chat"
        return "order"

    for item in _items(reader, list(chosen.values()), role_of):
        {"order": ev.order, "product": ev.products, "shop": ev.shops, "terms": ev.terms,
         "chat": ev.chats}[item.role].append(item)
    if dispute_id:
        for att in dispute_store.attachments(r, user, dispute_id):
            ev.attachments.append(Item(id=att.id, type="attachment", kind=att.kind, sha256=att.sha256,
                                       received_at=att.received_at, role="attachment", attachment=att))
    if domain:
        ev.platform_state = profile_store.read_views(r, domain, user, None)[0]
    return ev


def _related(capture: Capture, facts: PageFacts, titles: set[str], sellers: set[str], order_no: str | None) -> bool:
    """Is a capture of the order's domain about this order, its item, its seller or the platform?"""
    seller = facts.seller.id or capture.seller_id
    kind = capture.page_kind
    if kind == "terms":
        return True
    if kind == "product":
        if titles:
            return _title_matches(facts.product.title or capture.title, titles)
        if sellers:
            return bool(seller and seller in sellers)
        # The order page names neither the item nor a seller (single-shop systems often do not):
        # the product pages the buyer saved on that shop are the best description there is.
        return True
    if kind == "shop":
        # Single-shop systems have no seller id: their storefront is the seller's shop.
        return (seller in sellers) if (seller and sellers) else True
    if kind == "chat":
        chat_order = facts.order.order_no
        return bool(order_no and chat_order == order_no) or bool(not chat_order and seller and seller in sellers)
    return False
