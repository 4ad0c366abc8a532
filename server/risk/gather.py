"""The evidence of one order, read from storage: every capture of the order (grouped by content
hash: the same bytes saved twice are one item with two sightings), and for a dispute the product,
shop, terms and chat pages that relate to it and the buyer's attachments; plus the user's platform
profile of the site (its rules' time limits and its cross-border reading).

Captures come from the extension or from the server itself (a shared link the backend fetched,
``Capture.source == "server"``): both are gathered alike, and a page of the evidence that the other
source also captured (same page, same kind) is gathered with it, so the judgement can compare the
two (``server.risk.crosscheck``). Attachments are the dispute's own, the phone screenshots filed
under the order (by the uploader, or by the OCR reader's match), and, as candidates the judgement
keeps only when they pay for this order, the user's other screenshots read as payment records.
Each screenshot comes with what OCR read from it.

The badge (``server.risk.service``) and the dispute (``server.disputes``) gather with the same
function, so the judgement of an order (``server.risk.order``) starts from the same inputs: the
order's own pages and the profile decide its times and windows in both.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from .. import caches
from ..clock import parse_iso
from ..facts import PageFacts, typed
from ..storage import blobs
from ..storage import captures as capture_store
from ..storage import disputes as dispute_store
from ..storage import profiles as profile_store
from ..storage import uploads as upload_store
from ..storage.captures import Capture
from ..storage.disputes import Attachment
from .pagetext import page_lines

# How far back the domain index is read for product, shop, terms and chat pages of a dispute.
DOMAIN_SCAN = 5000
ORDER_PAGES = 500
# How many of the user's newest phone screenshots are looked at for a payment record of the order.
UPLOAD_SCAN = 200
# What an upload is as evidence when the uploader left it as "other": what OCR read it to be.
READ_KINDS = {"payment": "payment_proof", "error": "error_screenshot", "chat": "chat_log"}


@dataclass
class Item:
    """One piece of evidence: the bytes of one or more captures (every capture record of those
    bytes in this order's evidence, oldest first), or one attachment."""

    id: str  # the first capture's id, or the attachment's
    type: str  # "capture" | "attachment"
    kind: str  # the page kind of a capture; an attachment's kind as evidence (see ``evidence_kind``)
    sha256: str
    received_at: str  # the first time these bytes were received here
    role: str  # "order" (a page of the order itself), "product", "shop", "terms", "chat", "attachment"
    facts: PageFacts | None = None
    captures: list[Capture] = field(default_factory=list)
    attachment: Attachment | None = None
    _sightings: Callable[[], list[dict]] | None = None
    _lines: Callable[[], list[str]] | None = None
    no: int = 0  # the number letters and the report cite (given when the dispute is arranged)
    ocr: dict | None = None  # a screenshot's OCR state: {"state", "reading", "match", …} (storage/uploads)
    candidate: bool = False  # gathered only as a possible payment record of this order

    @property
    def reading(self) -> dict:
        """What OCR read from this screenshot ({} when nothing, or not yet)."""
        return (self.ocr or {}).get("reading") or {}

    @property
    def servers(self) -> list[Capture]:
        """The captures of these bytes that the server fetched itself (shared links)."""
        return [c for c in self.captures if c.source == "server"]

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



def evidence_of(item: Item, quote: str) -> dict:
    """A finding's evidence entry: the piece ``quote`` was read from (its first capture), where and when."""
    return {"snapshot_id": item.id, "quote": quote, "url": item.url, "seen_at": item.received_at, "sha256": item.sha256}


def finite_decimal(text: str | None) -> Decimal | None:
    """``text`` as a finite Decimal, else None (an amount that is no number)."""
    try:
        value = Decimal(text or "")
    except (InvalidOperation, TypeError):
        return None
    return value if value.is_finite() else None

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

    def lines_oldest_first(self, kinds: tuple[str, ...] = ("order", "chat")):
        """(piece, line) for each visible line of this order's own pages and chats of these kinds,
        the oldest piece first."""
        for item in sorted([i for i in self.order + self.chats if i.kind in kinds and i.facts], key=lambda i: i.when):
            for line in item.lines():
                yield item, line


def evidence_kind(uploaded: str, ocr: dict | None) -> str:
    """An attachment's kind as evidence: what the uploader chose, or, for "other", what OCR read
    (a payment record, an error prompt, a chat)."""
    reading = (ocr or {}).get("reading") or {}
    return READ_KINDS.get(reading.get("kind"), uploaded) if uploaded == "other" else uploaded


def page_key(url: str | None) -> str:
    """One page whoever captured it: host (no default port) and path, query and route (``#/…``);
    http and https, and plain anchors, are the same page."""
    try:
        parts = urlsplit((url or "").strip())
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return (url or "").strip()
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    route = parts.fragment if parts.fragment.startswith(("/", "!")) else ""
    return f"{host}{parts.path or '/'}" + (f"?{parts.query}" if parts.query else "") + (f"#{route}" if route else "")


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "").lower()


# The text lines of stored pages, by (user, content hash): a page's bytes never change, so neither do
# its lines, and each capture of an order judges all the order's earlier pages again (their stated
# delivery dates, transfer and fee-demand words): without this, the n-th version of an order page
# parsed the n-1 before it once more.
PAGE_LINES = caches.Lru("page_lines", "stored pages' visible text lines, by content hash", limit=32)


def _title_matches(title: str | None, wanted: set[str]) -> bool:
    title = _norm(title)
    return bool(title) and any(title == w or (len(w) >= 6 and (w in title or title in w)) for w in wanted)


class _Reader:
    """Reads captures with their typed facts, caching facts shared by identical captures."""

    def __init__(self, r, user: str, known_lines: dict[str, list[str]] | None = None):
        self.r, self.user = r, user
        self._facts: dict[str, PageFacts] = {}
        for sha256, lines in (known_lines or {}).items():  # already read by the caller
            PAGE_LINES.put((user, sha256), tuple(lines))

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
        def read() -> tuple[str, ...] | None:
            html = blobs.get(self.r, self.user, sha256)
            return None if html is None else tuple(page_lines(html))

        return lambda: PAGE_LINES.get((self.user, sha256), read) or ()


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


def seed_orders(r, user: str, snapshot_ids: list[str]) -> dict[str, list]:
    """The order numbers the chosen captures name, in the order given, each with its pages' facts
    (a buyer may choose the pages of several orders from one shop)."""
    reader = _Reader(r, user)
    out: dict[str, list] = {}
    for capture in reader.many(list(snapshot_ids)):
        facts = reader.facts(capture)
        number = facts.order.order_no or capture.order_no
        if number:
            out.setdefault(number, []).append(facts)
    return out


def gather(r, user: str, *, domain: str | None, order_no: str | None, snapshot_ids: list[str] | None = None,
           related: bool = True, dispute_id: str | None = None,
           known_lines: dict[str, list[str]] | None = None) -> OrderEvidence:
    """The evidence of an order. ``related``: also the domain's product, shop, terms and chat
    pages about it (a dispute; the badge needs only the order's own pages). ``dispute_id``: with
    that dispute's attachments. ``known_lines``: text lines the caller has already read, by content
    hash (the page just captured), so that it is not parsed again."""
    reader = _Reader(r, user, known_lines)
    seeds = reader.many(list(snapshot_ids or []))
    for capture in seeds:
        domain = domain or capture.domain or None
        order_no = order_no or reader.facts(capture).order.order_no or capture.order_no
    # Pages of another order chosen alongside are not this order's evidence.
    seeds = [c for c in seeds if (reader.facts(c).order.order_no or c.order_no) in (None, "", order_no)]
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
        others = reader.many([i for i in ids if i not in chosen])
        for capture in others:
            if _related(capture, reader.facts(capture), titles, sellers, order_no):
                chosen[capture.id] = capture
        # The same page captured by the other source (the server's fetch of a shared link, the
        # extension's save): gathered too, so the two can be compared.
        pages = {(page_key(c.url), c.page_kind) for c in chosen.values()}
        for capture in others:
            if capture.id not in chosen and (page_key(capture.url), capture.page_kind) in pages:
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
        ev.attachments = _attachments(r, user, dispute_id, domain, order_no)
    if domain:
        ev.platform_state = profile_store.read_views(r, domain, user, None)[0]
        if not related and not ev.products:
            _bought_from(reader, ev, role_of)
    return ev


def _bought_from(reader: _Reader, ev: OrderEvidence, role_of: Callable[[Capture], str]) -> None:
    """The one product page the order was bought from (its item's title, else its seller's page, as
    the site's profile lists them), for the badge's view of the order: a delivery promise there
    (「24小时内发货」) is the order's window in the badge, the reminders and the dispute alike. One
    capture read, not the dispute's scan of the site."""
    from .model import seller_key
    from .profiles import product_capture_for

    tills = [i for i in ev.order if i.kind in ("order", "checkout") and i.facts]
    if not tills or not ev.platform_state:
        return
    found = product_capture_for(ev.platform_state, tills[0].facts, seller_key(tills[0].facts))
    if not found or not found.get("snapshot_id"):
        return
    # Only a page the dispute's own gathering would take as this order's (the same rule), so the
    # badge's windows are never more than the dispute's.
    facts = [i.facts for i in ev.order if i.facts]
    titles = ({_norm(f.product.title) for f in facts} | {_norm(f.order.item) for f in facts}) - {""}
    sellers = {f.seller.id for f in facts} - {None, ""}
    captures = [c for c in reader.many([found["snapshot_id"]]) if c.page_kind == "product"
                and _related(c, reader.facts(c), titles, sellers, ev.order_no)]
    ev.products.extend(_items(reader, captures, role_of))


def _attachments(r, user: str, dispute_id: str, domain: str | None, order_no: str | None) -> list[Item]:
    """The dispute's attachments, the screenshots filed under the order (not those the reader
    matched to another shop's order of the same number), then the user's other screenshots read as
    payment records (candidates: the judgement keeps those that pay for this order)."""
    found: list[tuple[Attachment, bool]] = [(a, False) for a in dispute_store.attachments(r, user, dispute_id)]
    have = {a.id for a, _ in found}
    filed = upload_store.for_order(r, user, order_no) if order_no else []
    recent = [i for i in upload_store.list_ids(r, user, UPLOAD_SCAN) if i not in have]
    states = upload_store.readings(r, user, list(have) + [a.id for a in filed] + recent)
    def elsewhere(attachment_id: str) -> bool:  # the reader matched it to another order
        match = (states.get(attachment_id) or {}).get("match") or {}
        return bool(match) and ((bool(domain) and match.get("domain") != domain) or match.get("order_no") != order_no)

    for attachment in filed:
        if attachment.id not in have and not elsewhere(attachment.id):
            found.append((attachment, False))
            have.add(attachment.id)
    payments = [i for i in recent if i not in have and not elsewhere(i)
                and ((states.get(i) or {}).get("reading") or {}).get("kind") == "payment"]
    found += [(a, True) for a in upload_store.get_many(r, user, payments)]
    return [Item(id=att.id, type="attachment", kind=evidence_kind(att.kind, states.get(att.id)), sha256=att.sha256,
                 received_at=att.received_at, role="attachment", attachment=att, ocr=states.get(att.id),
                 candidate=candidate)
            for att, candidate in found]


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
