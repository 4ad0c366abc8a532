"""Money: ``¥ 30.00``, ``３０.００元``, ``$1,299.99``, ``RMB 88``, ``1.299,00 €``, ``4,99 EUR``, ``NT$300``,
``HK$ 120`` → a decimal string and an ISO 4217 code.

Separators: ``1,299.50`` (comma thousands), ``1.299,00`` and ``4,99`` (European: a comma followed by
one or two digits is the decimal mark), ``1 299,00`` (spaced thousands with a decimal comma). Signs
that several currencies share are read by their prefix (NT$ is TWD, HK$ HKD, US$ and a bare $ USD).
A bare number takes the caller's default (CNY on Chinese pages, or the currency the page says it
prices in: ``page_currency``)."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from ..facts import Money
from . import nfkc
from .normalise import simplify

_PREFIX = {"¥": "CNY", "￥": "CNY", "rmb": "CNY", "cny": "CNY", "$": "USD", "us$": "USD", "usd": "USD",
           "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP", "hk$": "HKD", "hkd": "HKD", "nt$": "TWD",
           "ntd": "TWD", "twd": "TWD", "a$": "AUD", "au$": "AUD", "aud": "AUD", "c$": "CAD", "ca$": "CAD",
           "cad": "CAD", "s$": "SGD", "sgd": "SGD", "r$": "BRL", "brl": "BRL", "mop$": "MOP", "mop": "MOP",
           "₩": "KRW", "krw": "KRW", "₽": "RUB", "rub": "RUB", "₹": "INR", "inr": "INR", "jpy": "JPY",
           "円": "JPY", "chf": "CHF", "usdt": "USDT", "新台币": "TWD", "台币": "TWD", "港币": "HKD", "美元": "USD",
           "美金": "USD", "人民币": "CNY", "欧元": "EUR", "英镑": "GBP", "日元": "JPY", "rp": "IDR", "rp.": "IDR",
           "idr": "IDR", "pln": "PLN", "vnd": "VND", "₫": "VND", "thb": "THB", "฿": "THB"}
_SUFFIX = {"元": "CNY", "块": "CNY", "rmb": "CNY", "cny": "CNY", "usd": "USD", "eur": "EUR", "gbp": "GBP",
           "hkd": "HKD", "twd": "TWD", "ntd": "TWD", "aud": "AUD", "cad": "CAD", "sgd": "SGD", "jpy": "JPY",
           "krw": "KRW", "rub": "RUB", "inr": "INR", "brl": "BRL", "chf": "CHF", "mop": "MOP", "€": "EUR",
           "£": "GBP", "円": "JPY", "美元": "USD", "美金": "USD", "人民币": "CNY", "欧元": "EUR", "英镑": "GBP",
           "港币": "HKD", "港元": "HKD", "港币元": "HKD", "新台币": "TWD", "台币": "TWD", "日元": "JPY", "韩元": "KRW",
           "澳元": "AUD", "加元": "CAD", "新加坡元": "SGD", "卢布": "RUB", "usdt": "USDT", "¥": "CNY", "￥": "CNY",
           "₽": "RUB", "руб": "RUB", "руб.": "RUB", "₩": "KRW", "원": "KRW", "zł": "PLN", "pln": "PLN", "idr": "IDR",
           "vnd": "VND", "₫": "VND", "đ": "VND", "thb": "THB", "฿": "THB", "บาท": "THB"}
# ISO codes a number is quoted in; USDT (a token, no ISO 4217 code) marks an amount that is not read
_CODES = "USDT|RMB|CNY|USD|EUR|GBP|HKD|TWD|NTD|AUD|CAD|SGD|JPY|KRW|RUB|INR|BRL|CHF|MOP|PLN|IDR|VND|THB"
# money with no minor unit in use: a dot groups thousands (Rp 78.500, 200.000 ₫), never a decimal mark
_WHOLE = ("IDR", "VND", "KRW", "JPY")
MONEY_RE = re.compile(
    rf"(?P<pre>(?:US|HK|NT|AU|CA|MOP|A|C|S|R)\$|(?<![A-Za-z])Rp\.?|{_CODES}|[¥￥$€£₩₽₹円฿₫]|新台币|台币|港币|美元|美金|人民币|欧元|英镑|日元)?\s*"
    r"(?P<num>\d{1,3}(?:\.\d{3})+,\d{1,2}(?![\d,])"  # 1.299,00 (European)
    r"|\d{1,3}(?:[ \u00a0\u202f]\d{3})+,\d{2}(?![\d,])"  # 1 299,00
    r"|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?=\s*(?:₽|руб|€|₩|원|zł|₫|đ))"  # 1 049 ₽ (spaced thousands before a sign after the number)
    r"|\d{1,3}(?:\.\d{3}){2,}(?![\d,])"  # 1.000.000 ₫ (two dotted groups: thousands)
    r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?"  # 1,299.50
    r"|\d+,\d{1,2}(?![\d,])"  # 4,99 (a comma and one or two digits: the decimal mark)
    r"|\d+(?:\.\d+)?)"
    r"(?!\d)(?!\s?%)(?:\s*(?P<mult>千万|百万|万|亿))?"  # 1万元, 2.5万 (Chinese multipliers: part of the amount)
    rf"(?:\s*(?P<post>元|块|美元|美金|人民币|欧元|英镑|港币|港元|新台币|台币|日元|韩元|澳元|加元|新加坡元|卢布|руб\.?|원|zł|บาท|[€£円¥￥₽₩₫đ฿]|{_CODES})"
    r"(?![A-Za-z])(?!\s?\d))?", re.I)  # ("1 €54.99": the sign belongs to the number after it)
_DECLARED = re.compile(
    r"(?:all )?prices?(?: are)?(?: shown| listed| displayed| quoted| charged)? in (?P<en>[A-Z]{3}\b|us dollars?|euros?|"
    r"british pounds?|pounds sterling)|(?:currency|币种|货币|结算货币|计价货币)\s*[:：]\s*(?P<code>[A-Z]{3})\b"
    r"|(?:以|按)(?P<cn>美元|美金|欧元|英镑|港币|港元|新台币|台币|日元|人民币)\s*(?:[（(]\s*[A-Z]{3}\s*[)）])?\s*(?:计价|结算|标价|显示|计算)"
    r"|(?:价格|售价|标价)(?:均|皆|都)?(?:为|以)(?P<cn2>美元|美金|欧元|英镑|港币|港元|新台币|台币|日元|人民币)", re.I)
# every declaration holds one of these (a cheap look before the pattern)
_DECLARED_WORDS = ("prices", "price in", "currency", "币种", "货币", "计价", "结算", "标价", "美元", "美金", "欧元", "英镑", "港币",
                   "港元", "台币", "日元")
_WORDS = {"us dollar": "USD", "us dollars": "USD", "euro": "EUR", "euros": "EUR", "british pound": "GBP",
          "british pounds": "GBP", "pounds sterling": "GBP"}


# signs several currencies share: on a page that prices in one of them, the sign is that one ("$ 950" on a
# Taiwanese page is NT$, "￥4,280" on a Japanese page is yen)
_SHARED_SIGN = {"$": ("TWD", "HKD", "MOP", "SGD", "AUD", "CAD"), "¥": ("JPY",), "￥": ("JPY",)}


def _currency(pre: str | None, post: str | None, default: str | None = None) -> str | None:
    sign = (pre or post or "").lower()
    if default and default in _SHARED_SIGN.get(sign, ()) and not (pre and post and pre.lower() != post.lower()):
        return default
    return _PREFIX.get((pre or "").lower()) or _SUFFIX.get((post or "").lower())


def _glued(text: str, m: re.Match) -> bool:
    """A number with no sign before it that is the tail of a word ("TRC20", "ERC20", "Win11"): no amount."""
    at = m.start("num")
    return not m.group("pre") and at > 0 and text[at - 1].isascii() and text[at - 1].isalpha()


_MULTIPLIER = {"万": 10_000, "千万": 10_000_000, "百万": 1_000_000, "亿": 100_000_000}


def _amount(num: str, currency: str | None = None, multiplier: str | None = None) -> str | None:
    if currency in _WHOLE and re.fullmatch(r"\d{1,3}(?:\.\d{3})+", num) or re.fullmatch(r"\d{1,3}(?:\.\d{3}){2,}", num):
        num = num.replace(".", "")  # (Rp 78.500 is 78500 rupiah; 1.000.000 is a million in any money)
    if "," in num and re.search(r",\d{1,2}$", num):  # a decimal comma: dots or spaces group thousands
        num = re.sub(r"[.\s\u00a0\u202f]", "", num).replace(",", ".")
    else:
        num = re.sub(r"[,\s\u00a0\u202f]", "", num)  # (1,299.50; 1 049)
    try:
        value = Decimal(num)
    except InvalidOperation:
        return None
    if multiplier:
        value *= _MULTIPLIER[multiplier]  # (保证金：1万元 is ten thousand yuan, never one)
    if value.as_tuple().exponent >= -2:
        value = value.quantize(Decimal("0.01"))
    return format(value, "f")


def _prepare(text: str) -> str:
    return simplify(nfkc(text))  # full-width digits and signs; 新臺幣 is 新台币


def parse_money(text: str | None, default_currency: str | None = "CNY", *,
                require_marker: bool = False) -> Money | None:
    """The first amount in ``text``. A bare number takes ``default_currency`` (CNY on Chinese pages);
    with ``require_marker`` only amounts with a currency sign or word count."""
    if not text:
        return None
    text = _prepare(text)
    for m in MONEY_RE.finditer(text):
        if _glued(text, m):
            continue
        currency = _currency(m.group("pre"), m.group("post"), default_currency)
        if currency == "USDT":
            continue  # not money with an ISO code: "25 USDT (≈ ¥180.00)" reads the yuan
        if currency is None:
            if require_marker or default_currency is None:
                continue
            currency = default_currency
        amount = _amount(m.group("num"), currency, m.group("mult"))
        if amount is not None:
            return Money(amount, currency)
    return None


def all_money(text: str, default_currency: str | None = None) -> list[Money]:
    """Every amount with a currency marker (or the default) in ``text``, in order."""
    out = []
    text = _prepare(text or "")
    for m in MONEY_RE.finditer(text):
        if _glued(text, m):
            continue
        currency = _currency(m.group("pre"), m.group("post"), default_currency) or default_currency
        amount = _amount(m.group("num"), currency, m.group("mult"))
        if currency and currency != "USDT" and amount is not None:
            out.append(Money(amount, currency))
    return out


def page_currency(text: str, low: str | None = None) -> str | None:
    """The currency a page says it prices in ("All prices are in USD", "币种：HKD", "以美元计价"), or None.
    ``low``: ``text`` lower-cased, when the caller has it. Only the text around the words every
    declaration holds is read."""
    text = text or ""
    low = text.lower() if low is None or len(low) != len(text) else low
    m = None
    for word in _DECLARED_WORDS:
        at = low.find(word)
        while at >= 0 and m is None:
            m = _DECLARED.search(text, max(0, at - 30), at + 40)
            at = low.find(word, at + 1) if m is None else at
        if m is not None:
            break
    if not m:
        return None
    word = (m.group("en") or m.group("code") or "").strip()
    if word:
        code = _WORDS.get(word.lower()) or word.upper()
        return code if re.fullmatch(rf"{_CODES}", code, re.I) and code not in ("RMB", "NTD") else {
            "RMB": "CNY", "NTD": "TWD"}.get(code)
    return _SUFFIX.get(m.group("cn") or m.group("cn2") or "")


_SIGN = re.compile(r"(?:US|HK|NT|AU|CA|MOP|A|C|S|R)\$|[¥￥$€£₩₽₹฿]|\b(?:RMB|CNY|USD|EUR|GBP|HKD|TWD|NTD|AUD|CAD|SGD|JPY|KRW|PLN|IDR|VND|THB|Rp)\b"
                   r"(?=\s?\d)|(?<=\d)\s?(?:\b(?:RMB|CNY|USD|EUR|GBP|HKD|TWD|NTD|AUD|CAD|SGD|JPY|KRW|PLN|IDR|VND|THB)\b|[€£₽₫]|원|zł(?!\w)|đ(?!\w))")


def sign_currency(text: str) -> str | None:
    """The currency most amounts on a page are marked with (€ 12.00 … € 4.99 → EUR), or None: its
    signs and codes beside numbers counted, without reading every number."""
    counts: dict[str, int] = {}
    for m in _SIGN.finditer((text or "")[:60000]):
        sign = m.group().strip()
        currency = _PREFIX.get(sign.lower()) or _SUFFIX.get(sign.lower())
        if currency and currency != "USDT":
            counts[currency] = counts.get(currency, 0) + 1
    return max(counts, key=counts.get) if counts else None
