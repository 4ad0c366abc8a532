"""Money: ``¥ 30.00``, ``３０.００元``, ``$1,299.99``, ``RMB 88`` → a decimal string and an ISO 4217 code."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from ..facts import Money
from . import nfkc

_PREFIX = {"¥": "CNY", "￥": "CNY", "rmb": "CNY", "cny": "CNY", "$": "USD", "us$": "USD", "usd": "USD",
           "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP", "hk$": "HKD", "hkd": "HKD",
           "jpy": "JPY", "円": "JPY"}
_SUFFIX = {"元": "CNY", "块": "CNY", "rmb": "CNY", "cny": "CNY", "usd": "USD", "eur": "EUR", "gbp": "GBP",
           "hkd": "HKD", "美元": "USD", "人民币": "CNY"}
MONEY_RE = re.compile(
    r"(?P<pre>US\$|HK\$|RMB|CNY|USD|EUR|GBP|HKD|[¥￥$€£])?\s*"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?!\d)(?:\s*(?P<post>元|块|美元|人民币|RMB|CNY|USD|EUR|GBP|HKD)(?![A-Za-z]))?", re.I)


def _amount(num: str) -> str | None:
    try:
        value = Decimal(num.replace(",", ""))
    except InvalidOperation:
        return None
    if value.as_tuple().exponent >= -2:
        value = value.quantize(Decimal("0.01"))
    return format(value, "f")


def parse_money(text: str | None, default_currency: str | None = "CNY", *,
                require_marker: bool = False) -> Money | None:
    """The first amount in ``text``. A bare number takes ``default_currency`` (CNY on Chinese pages);
    with ``require_marker`` only amounts with a currency sign or word count."""
    if not text:
        return None
    for m in MONEY_RE.finditer(nfkc(text)):
        pre, post = m.group("pre"), m.group("post")
        currency = _PREFIX.get((pre or "").lower()) or _SUFFIX.get((post or "").lower())
        if currency is None:
            if require_marker or default_currency is None:
                continue
            currency = default_currency
        amount = _amount(m.group("num"))
        if amount is not None:
            return Money(amount, currency)
    return None


def all_money(text: str, default_currency: str | None = None) -> list[Money]:
    """Every amount with a currency marker (or the default) in ``text``, in order."""
    out = []
    for m in MONEY_RE.finditer(nfkc(text or "")):
        currency = _PREFIX.get((m.group("pre") or "").lower()) or _SUFFIX.get((m.group("post") or "").lower())
        currency = currency or default_currency
        amount = _amount(m.group("num"))
        if currency and amount is not None:
            out.append(Money(amount, currency))
    return out
