"""The clause words judgement reads (scrapers/text/rules/clauses.toml, shared with the scrapers'
rules home), compiled once and checked at start-up (``load``).

One home for: what a time limit counts from (``window_start``) and what it is for
(``window_kind``), blanket vs no-reason-only refund clauses, account goods, currency marks, card
networks, and the labels of page times. The badge, the checkout warnings and the dispute read them
only through these functions.
"""
from __future__ import annotations

import functools
import re

from scrapers.text.rules import RuleTableError, table

_PATTERN_SECTIONS = ("window_start", "window_kind", "no_refund", "account_goods", "currency_marks",
                     "payment_networks", "time_labels")


@functools.cache
def _compiled() -> dict[str, dict[str, re.Pattern]]:
    data = table("clauses")
    out: dict[str, dict[str, re.Pattern]] = {}
    for section in _PATTERN_SECTIONS:
        out[section] = {}
        for key, value in data[section].items():
            if not isinstance(value, str):
                continue
            try:
                out[section][key] = re.compile(value, re.I)
            except re.error as error:
                raise RuleTableError(f"clauses.toml: [{section}] {key} is not a valid pattern: {error}") from None
    order = data["window_start"]["order"]
    unknown = [name for name in order if name not in out["window_start"]]
    if unknown:
        raise RuleTableError(f"clauses.toml: [window_start] order names no pattern {unknown[0]!r}")
    return out


def load() -> None:
    """Compile and check every clause pattern (called once at start-up)."""
    _compiled()


def pattern(section: str, key: str) -> re.Pattern:
    return _compiled()[section][key]


def window_start(quote: str) -> str | None:
    """What a window clause counts from: ``problem``, ``reveal``, ``delivery``, ``purchase``, or None
    when its words name none."""
    for name in table("clauses")["window_start"]["order"]:
        if pattern("window_start", name).search(quote or ""):
            return name
    return None


def window_kind(quote: str) -> str:
    """What a window clause is for: ``platform_apply``, ``verify_now`` or ``feedback``."""
    for name in ("platform_apply", "verify_now"):
        if pattern("window_kind", name).search(quote or ""):
            return name
    return "feedback"


def blanket_no_refund(quote: str) -> bool:
    """A clause that refuses every refund, not only refunds without a reason."""
    return bool(pattern("no_refund", "blanket").search(quote or "")) and not pattern("no_refund", "no_reason").search(
        quote or "")


def account_words() -> str:
    return table("clauses")["account_goods"]["words"]


def is_account(text: str | None) -> bool:
    return bool(text) and bool(pattern("account_goods", "words").search(text))


def item_labels() -> str:
    return table("clauses")["account_goods"]["item_labels"]


def currency_mark(currency: str) -> str:
    """How a price in ``currency`` is written (a regex source)."""
    return table("clauses")["currency_marks"].get(currency) or re.escape(currency)


def neutral_currencies() -> frozenset[str]:
    """Currencies that say nothing about where a merchant is (USDT)."""
    return frozenset(table("clauses")["currency_marks"]["neutral"])


def payment_network(text: str) -> str | None:
    """``visa``, ``mastercard`` or ``paypal`` when ``text`` names one (the first named wins)."""
    found = [(m.start(), name) for name, p in _compiled()["payment_networks"].items() if (m := p.search(text or ""))]
    return min(found)[1] if found else None


def time_label(label: str) -> str | None:
    """``delivered``, ``revealed`` or ``promised_delivery`` for a page time's own label, or None."""
    for name in ("promised_delivery", "revealed", "delivered"):
        if pattern("time_labels", name).search((label or "").strip()):
            return name
    return None
