"""The server's door to the scrapers: facts for a page, never an exception, always typed.

Facts enter the server here as ``scrapers.PageFacts`` (value objects): from the scrapers
(``extract_facts_and_tree``), or from JSON stored earlier or given by a user (``typed``). Code past
this door reads attributes (``facts.order.order_no``), never ``.get()`` chains; the JSON form
(``as_dict()``) is only for storage and answers.
"""
from __future__ import annotations

import logging
import re
from dataclasses import fields

from scrapers.facts import PageFacts

log = logging.getLogger("kadun.facts")

__all__ = ["PageFacts", "clean", "typed", "extract_facts", "extract_facts_and_tree", "facts_version", "looks_like_html"]


def facts_version() -> str:
    """The scraper code's version: the facts cache is keyed with it."""
    import scrapers

    return scrapers.VERSION


def extract_facts(html: str, url: str) -> PageFacts:
    """``scrapers.extract(html, url)``; the empty facts if the scrapers fail."""
    return extract_facts_and_tree(html, url)[0]


def extract_facts_and_tree(html: str, url: str) -> tuple[PageFacts, object]:
    """The facts and the parsed tree they came from (None if there is none): risk reads the page's
    text from the same tree instead of parsing the bytes again."""
    import scrapers

    try:
        return scrapers.extract_with_tree(html, url)
    except ImportError:  # a broken installation (create_app checks it at start): never empty facts
        raise
    except Exception:  # the scrapers promise not to raise; a capture must never fail on parsing
        log.exception("scrapers.extract failed for %s", url)
        return scrapers.empty_facts(url), None


# --- JSON → PageFacts, tolerant of older records and of hand-written facts --------------------
def _text(value) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip() if isinstance(value, str | int | float) else None
    return text or None


def _int(value) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    if isinstance(value, int):
        return value
    try:
        return float(value)
    except ValueError:
        return None


def _flag(value) -> bool | None:
    return value if isinstance(value, bool) else None


def _money(value) -> dict | None:
    if not isinstance(value, dict) or value.get("amount") is None:
        return None
    amount = _text(value.get("amount"))
    return {"amount": amount, "currency": (_text(value.get("currency")) or "CNY").upper()} if amount else None


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _phrases(values) -> list[dict]:
    out = []
    for item in map(_dict, _list(values)):
        kind, quote = _text(item.get("kind")), _text(item.get("quote"))
        if kind and quote:
            out.append({"kind": kind, "quote": quote, "hours": _number(item.get("hours"))})
    return out


def clean(data: dict | None, url: str | None = None) -> dict:
    """``data`` as the contract's facts dict exactly: every key present, unknown keys dropped,
    values of the wrong type unknown (None or [])."""
    data = _dict(data)
    platform, seller, product, order = (_dict(data.get(k)) for k in ("platform", "seller", "product", "order"))
    years = [y for y in (_int(v) for v in _list(platform.get("copyright_years"))) if y is not None]
    return {
        "url": _text(data.get("url")) or url or "",
        "domain": (_text(data.get("domain")) or "").lower(),
        "page_kind": _text(data.get("page_kind")) or "other",
        "system": _text(data.get("system")) or "generic",
        "platform": {"name": _text(platform.get("name")), "icp": _text(platform.get("icp")),
                     "copyright_years": years or None, "deposit_system": _flag(platform.get("deposit_system")),
                     "advance_compensation": _flag(platform.get("advance_compensation")),
                     "dispute_channel": _flag(platform.get("dispute_channel"))},
        "seller": {"name": _text(seller.get("name")), "id": _text(seller.get("id")),
                   "contacts": [{"type": _text(c.get("type")) or "other", "value": _text(c.get("value"))}
                                for c in map(_dict, _list(seller.get("contacts"))) if _text(c.get("value"))],
                   "deposit": _money(seller.get("deposit")), "opened_on": _text(seller.get("opened_on")),
                   "sales": _int(seller.get("sales"))},
        "product": {"title": _text(product.get("title")), "price": _money(product.get("price")),
                    "stock": _int(product.get("stock"))},
        "order": {"order_no": _text(order.get("order_no")), "item": _text(order.get("item")),
                  "amount": _money(order.get("amount")), "quantity": _int(order.get("quantity")),
                  "payment_method": _text(order.get("payment_method")), "status": _text(order.get("status")),
                  "card_codes": [c for c in (_text(v) for v in _list(order.get("card_codes"))) if c]},
        "timestamps": [{"role": _text(t.get("role")) or "other", "label": _text(t.get("label")) or "",
                        "at": _text(t.get("at"))} for t in map(_dict, _list(data.get("timestamps"))) if _text(t.get("at"))],
        "promises": _phrases(data.get("promises")),
        "policies": _phrases(data.get("policies")),
    }


def typed(data: PageFacts | dict | None, url: str | None = None) -> PageFacts:
    """``data`` (a contract facts dict, as stored or sent) as PageFacts, through
    ``PageFacts.from_dict`` after ``clean``: older records and hand-written facts never raise."""
    if isinstance(data, PageFacts):
        return data
    return PageFacts.from_dict(clean(data, url))


def facts_fields() -> tuple[str, ...]:
    """The top-level keys of the facts contract (every one is always present in ``as_dict()``)."""
    return tuple(f.name for f in fields(PageFacts))


_HTML_SIGN = re.compile(
    rb"<\s*(!doctype\s+html|html|head|body|div|p|span|table|form|a|main|section|title|meta|ul|li|h[1-6])\b", re.I)


def looks_like_html(data: bytes) -> bool:
    """A cheap gate against binary or plain-text bodies: no NUL bytes and some HTML tag early on."""
    return bool(data.strip()) and b"\x00" not in data[:1 << 20] and bool(_HTML_SIGN.search(data[:65536]))
