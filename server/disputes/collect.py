"""Collect the evidence of one dispute: every capture of the order, the product page(s) of the
bought item, the seller's shop pages and the platform's terms pages (each with its sightings),
and the buyer's attachments."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from ..clock import parse_iso
from ..storage import captures as capture_store
from ..storage import disputes as dispute_store
from ..storage import uploads as upload_store
from ..storage.captures import Capture
from ..storage.disputes import Attachment, DisputeRecord

# How far back the domain index is read for product, shop and terms pages.
DOMAIN_SCAN = 5000


@dataclass
class Evidence:
    """One capture or attachment with what the dispute needs to know about it."""

    id: str
    kind: str  # a page_kind for captures, "attachment" for attachments
    received_at: str
    sha256: str
    facts: dict = field(default_factory=dict)
    capture: Capture | None = None
    attachment: Attachment | None = None
    sightings: list = field(default_factory=list)
    no: int = 0  # the item number letters and the report cite
    ocr: dict | None = None  # for a screenshot: its OCR state, reading and order match

    @property
    def reading(self) -> dict:
        """What OCR read from this screenshot ({} when nothing, or not yet)."""
        return ((self.ocr or {}).get("reading") or {}) if self.attachment else {}

    @property
    def when(self) -> datetime:
        return parse_iso(self.received_at)

    @property
    def url(self) -> str | None:
        return self.capture.url if self.capture else None

    def source(self) -> dict:
        return {"attachment_id": self.id} if self.attachment else {"snapshot_id": self.id}


@dataclass
class Collection:
    record: DisputeRecord
    order: list[Evidence] = field(default_factory=list)      # order, checkout and chat pages of the order
    products: list[Evidence] = field(default_factory=list)
    shops: list[Evidence] = field(default_factory=list)
    terms: list[Evidence] = field(default_factory=list)
    attachments: list[Evidence] = field(default_factory=list)

    def captures(self) -> list[Evidence]:
        return self.order + self.products + self.shops + self.terms

    def all(self) -> list[Evidence]:
        return self.captures() + self.attachments

    def by_id(self, item_id: str) -> Evidence | None:
        return next((e for e in self.all() if e.id == item_id), None)


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "").lower()


def _title_matches(title: str | None, wanted: set[str]) -> bool:
    title = _norm(title)
    return bool(title) and any(title == w or (len(w) >= 6 and (w in title or title in w)) for w in wanted)


class _Reader:
    """Reads captures with their facts, caching facts shared by identical captures."""

    def __init__(self, r, user: str):
        self.r, self.user, self._facts = r, user, {}

    def evidence(self, capture: Capture) -> Evidence:
        if capture.facts_id not in self._facts:
            self._facts[capture.facts_id] = capture_store.get_facts(self.r, self.user, capture) or {}
        return Evidence(id=capture.id, kind=capture.page_kind, received_at=capture.received_at,
                        sha256=capture.sha256, facts=self._facts[capture.facts_id], capture=capture,
                        sightings=capture_store.sightings(self.r, self.user, capture.sha256))

    def many(self, ids: list[str]) -> list[Evidence]:
        return [self.evidence(c) for c in capture_store.get_many(self.r, self.user, ids)]


def order_key(record: DisputeRecord, seeds: list[Evidence]) -> tuple[str | None, str | None]:
    """(domain, order_no) of the dispute: as given, else from the chosen captures."""
    domain, order_no = record.domain, record.order_no
    for item in seeds:
        domain = domain or item.capture.domain or None
        order_no = order_no or (item.facts.get("order") or {}).get("order_no") or item.capture.order_no
    return (domain.lower() if domain else None), order_no


def collect(r, record: DisputeRecord) -> Collection:
    """Every piece of evidence for ``record``, each list oldest first."""
    reader = _Reader(r, record.user)
    seeds = reader.many(record.snapshot_ids) if record.snapshot_ids else []
    domain, order_no = order_key(record, seeds)
    chosen: dict[str, Evidence] = {e.id: e for e in seeds}
    if order_no:
        ids = [sid for sid, _ in capture_store.ids_newest_first(r, record.user, order_no=order_no, limit=DOMAIN_SCAN)]
        for item in reader.many([i for i in ids if i not in chosen]):
            if not domain or item.capture.domain == domain:
                chosen[item.id] = item
    order_items = list(chosen.values())
    titles = {_norm((e.facts.get("product") or {}).get("title")) for e in order_items} - {""}
    sellers = {(e.facts.get("seller") or {}).get("id") or e.capture.seller_id for e in order_items} - {None, ""}
    if domain:
        ids = [sid for sid, _ in capture_store.ids_newest_first(r, record.user, domain=domain, limit=DOMAIN_SCAN)]
        for item in reader.many([i for i in ids if i not in chosen]):
            if _related(item, titles, sellers, order_no):
                chosen[item.id] = item
    coll = Collection(record=record)
    for item in sorted(chosen.values(), key=lambda e: (e.when, e.capture.chain_index)):
        if item.kind == "product":
            coll.products.append(item)
        elif item.kind == "shop":
            coll.shops.append(item)
        elif item.kind == "terms":
            coll.terms.append(item)
        else:
            coll.order.append(item)
    found = dispute_store.attachments(r, record.user, record.id)
    found += _order_uploads(r, record.user, domain, order_no, {a.id for a in found})
    readings = upload_store.readings(r, record.user, [a.id for a in found])
    for attachment in found:
        coll.attachments.append(Evidence(id=attachment.id, kind="attachment", received_at=attachment.received_at,
                                         sha256=attachment.sha256, attachment=attachment,
                                         ocr=readings.get(attachment.id)))
    return coll


def _order_uploads(r, user: str, domain: str | None, order_no: str | None, have: set[str]) -> list[Attachment]:
    """Phone screenshots filed under this order: named by the uploader, or matched by OCR (a
    match on another shop's order of the same number does not count)."""
    if not order_no:
        return []
    out = []
    for attachment in upload_store.for_order(r, user, order_no):
        if attachment.id in have:
            continue
        state = upload_store.reading(r, user, attachment.id) or {}
        matched = (state.get("match") or {}).get("domain")
        if matched and domain and matched != domain:
            continue
        out.append(attachment)
    return out


def _related(item: Evidence, titles: set[str], sellers: set[str], order_no: str | None) -> bool:
    """Is a capture of the order's domain about this order, its item, its seller or the platform?"""
    seller = (item.facts.get("seller") or {}).get("id") or item.capture.seller_id
    if item.kind == "terms":
        return True
    if item.kind == "product":
        if titles:
            return _title_matches((item.facts.get("product") or {}).get("title") or item.capture.title, titles)
        if sellers:
            return bool(seller and seller in sellers)
        # The order page names neither the item nor a seller (single-shop systems often do not):
        # the product pages the buyer saved on that shop are the best description there is.
        return True
    if item.kind == "shop":
        # Single-shop systems have no seller id: their storefront is the seller's shop.
        return (seller in sellers) if (seller and sellers) else True
    if item.kind == "chat":
        chat_order = (item.facts.get("order") or {}).get("order_no")
        return bool(order_no and chat_order == order_no) or bool(not chat_order and seller and seller in sellers)
    return False
