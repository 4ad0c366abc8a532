"""Profiles: what one user's captures of a site have shown, folded in one capture at a time.

A profile *state* is a JSON-able dict, kept per (user, site) for the platform and per (user, site,
seller) for each seller, and updated incrementally when a capture lands (``fold``), never rebuilt
per request. It holds each signal's readings with their evidence, so a person can check them:

``{"codes": {code: {key: {"value", "evidence": [Evidence], "at"}}}, "captures": n, "first_at",
"updated_at", "name", "products": [...], "sellers": [...]}``

How readings of the same code combine is a table (``MERGE``):

- ``latest``: one value; a newer page saying something else replaces it (no stale profile);
- ``sticky_true``: like latest, but once shown, ``True`` stays (an ICP number missing from one
  page's footer does not undo the number shown on another);
- ``union``: one item per clause or quote (unfair terms, off-platform requests, windows).

Evidence belongs to the user whose captures gave it; shared aggregates (first capture of a domain
on this backend, dispute counts) live elsewhere and carry no evidence of anyone's capture.
Pure functions; storage is ``server.storage.profiles``.
"""
from __future__ import annotations

from ..facts import PageFacts, typed
from .model import PLATFORM, SELLER, SHOP_SELLER, Observation, Reading, single_shop_system

MAX_EVIDENCE = 3  # per item: enough to check, small enough to read on every badge request
MAX_ITEMS = 20  # clauses per code
MAX_PRODUCTS = 200

MERGE = {
    "deposit_system": "latest",
    "advance_compensation": "latest",
    "dispute_channel": "latest",
    "icp_filing": "sticky_true",
    "platform_age": "latest",
    "unfair_terms": "union",
    "feedback_window": "union",
    "cross_border": "sticky_true",
    "seller_deposit": "latest",
    "off_platform_payment": "union",
    "shell_shop": "latest",
    "account_goods": "sticky_true",
    "platform_closing": "sticky_true",
}


def new_state() -> dict:
    return {"codes": {}, "captures": 0, "first_at": None, "updated_at": None, "name": None,
            "products": [], "sellers": []}


def _later_or_equal(a: str | None, b: str | None) -> bool:
    """Is time ``a`` at or after ``b``? Unknown times count as newer (offline pages in order)."""
    if not a or not b:
        return True
    from datetime import datetime

    try:
        return datetime.fromisoformat(a) >= datetime.fromisoformat(b)
    except ValueError:
        return True


def _add_evidence(item: dict, evidence: dict) -> None:
    same = [e for e in item["evidence"] if e.get("snapshot_id") == evidence.get("snapshot_id")
            and e.get("quote") == evidence.get("quote")]
    if same:
        return
    item["evidence"].append(evidence)
    # Keep the earliest (the first proof) and the newest ones.
    if len(item["evidence"]) > MAX_EVIDENCE:
        item["evidence"] = item["evidence"][:1] + item["evidence"][-(MAX_EVIDENCE - 1):]


def _merge(slots: dict, reading: Reading, at: str | None) -> None:
    policy = MERGE.get(reading.code, "latest")
    current = slots.get(reading.key)
    if current is None:
        if policy == "union" and len(slots) >= MAX_ITEMS:
            return
        slots[reading.key] = {"value": reading.value, "evidence": [reading.evidence], "at": at}
        return
    if current["value"] == reading.value:
        _add_evidence(current, reading.evidence)
        current["at"] = max(filter(None, (current.get("at"), at)), default=None)
        return
    if policy == "sticky_true" and current["value"] is True:
        return
    if _later_or_equal(at, current.get("at")):
        slots[reading.key] = {"value": reading.value, "evidence": [reading.evidence], "at": at}


def fold(state: dict, readings: list[Reading], obs: Observation) -> dict:
    """Fold one page's readings into a profile state (in place; also returned)."""
    at = obs.seen_at
    state["captures"] = int(state.get("captures") or 0) + 1
    if at and (not state.get("first_at") or not _later_or_equal(at, state["first_at"])):
        state["first_at"] = at
    if at and _later_or_equal(at, state.get("updated_at")):
        state["updated_at"] = at
    codes = state.setdefault("codes", {})
    for reading in readings:
        _merge(codes.setdefault(reading.code, {}), reading, at)
    return state


def note_platform_page(state: dict, obs: Observation, seller: str | None) -> None:
    """Platform-only bookkeeping: its name, its sellers, and product pages (for evidence gaps)."""
    facts = obs.facts
    if facts.platform.name and facts.page_kind != "other":
        state["name"] = facts.platform.name
    if seller and seller not in state.setdefault("sellers", []):
        state["sellers"] = (state["sellers"] + [seller])[-100:]
    if facts.page_kind == "product":
        products = state.setdefault("products", [])
        products.append({"snapshot_id": obs.snapshot_id, "title": facts.product.title, "seller": seller,
                         "at": obs.seen_at})
        state["products"] = products[-MAX_PRODUCTS:]


def note_seller_page(state: dict, obs: Observation) -> None:
    if obs.facts.seller.name:
        state["name"] = obs.facts.seller.name


def _similar(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    a, b = "".join(a.split()), "".join(b.split())
    return a in b or b in a


def product_capture_for(state: dict, facts: PageFacts | dict, seller: str | None) -> dict | None:
    """A product page this user captured that describes the order on ``facts``: same title (the
    order's item, or the product shown) when the order shows one, else the same seller, else
    (single-shop sites) any product page of the site captured before."""
    facts = typed(facts)
    title = facts.product.title or facts.order.item
    products = state.get("products") or []
    if title:
        return next((p for p in reversed(products) if _similar(p.get("title"), title)), None)
    if seller and seller != SHOP_SELLER:
        return next((p for p in reversed(products) if p.get("seller") == seller), None)
    return products[-1] if products else None


def items(state: dict | None, code: str) -> list[dict]:
    """The readings of ``code`` a profile state holds (one per clause or statement)."""
    return list((((state or {}).get("codes") or {}).get(code) or {}).values())


def cross_border(state: dict | None) -> bool:
    """The one rule of a foreign marketplace over a site's captures: some page showed it to be one
    (signals.cross_border_page) and none showed an ICP filing."""
    shown = any(i["value"] is True for i in items(state, "cross_border"))
    icp = any(i["value"] is True for i in items(state, "icp_filing"))
    return shown and not icp


def apply(platform_state: dict | None, seller_state: dict | None, obs: Observation, readings: list[Reading],
          seller: str | None) -> tuple[dict, dict | None]:
    """One capture folded into a site's platform state and (with a seller in view) seller state."""
    platform_state = platform_state or new_state()
    fold(platform_state, [x for x in readings if x.subject == PLATFORM], obs)
    note_platform_page(platform_state, obs, seller)
    if seller == SHOP_SELLER and not single_shop_system(obs.facts.system) and any(
            key != SHOP_SELLER for key in platform_state.get("sellers") or []):
        # A merchant this page does not name, on a site other pages showed named merchants on: not
        # "the shop" of a single-shop site, and maybe not the merchant of the last such page. Judged
        # on this page alone (one unnamed shop's opening date must not meet another's sales count).
        seller_state = None
    if seller:
        seller_state = seller_state or new_state()
        fold(seller_state, [x for x in readings if x.subject == SELLER], obs)
        note_seller_page(seller_state, obs)
    return platform_state, (seller_state if seller else None)
