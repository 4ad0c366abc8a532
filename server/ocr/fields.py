"""Lines of a screenshot → what it shows: a payment record's payee, amount, time and numbers, an
error prompt's problem and time, or a chat's order numbers and times (pure, no I/O).

Labels and phrases come from ``rules.toml``. A bill detail is a column of rows "label value"; a
value too long for its row continues on the next line, at the value's column; on some layouts
the label stands above its value.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

from ..clock import CHINA
from .engine import Line
from .rules import labels, rules

_JUNK = "\"'“”‘’。，,:：;；·・|丨!！ _-—~`"
_DATE = re.compile(r"(20\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*"
                   r"(?:(\d{1,2})\s*[:：]\s*(\d{2})(?:\s*[:：]\s*(\d{2}))?)?")
_MONEY = re.compile(r"^[-−–+]?\s*[¥￥]?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\s*[.,]\s*(\d{1,2}))?\s*(?:元|CNY|RMB)?$")
_MONEY_IN = re.compile(r"[-−–+]?\s*[¥￥]?\s*(\d{1,3}(?:,\d{3})+|\d+)\s*\.\s*(\d{2})")
_NUMBER = re.compile(r"[A-Za-z]{0,4}\d[\dA-Za-z]{7,}")
# Letters Tesseract reads for digits inside a long number.
_DIGIT_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "l": "1", "I": "1", "|": "1",
                                   "i": "1", "Z": "2", "S": "5", "s": "5", "B": "8", "g": "9"})


@dataclass
class Reading:
    """What a screenshot shows. ``kind``: payment | error | chat | other."""

    kind: str
    platform: str | None = None
    payee: str | None = None
    amount: str | None = None
    currency: str | None = None
    time: str | None = None
    transaction_no: str | None = None
    merchant_order_no: str | None = None
    item: str | None = None
    status: str | None = None
    problem: dict | None = None
    numbers: list[str] = field(default_factory=list)
    times: list[str] = field(default_factory=list)
    text: str = ""

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Reading:
        names = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in (data or {}).items() if k in names})


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _near(a: str, b: str) -> bool:
    """Equal, or (for words of 4+ characters) one character misread."""
    if a == b:
        return True
    return len(a) == len(b) >= 4 and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def split_label(text: str) -> tuple[str | None, str, str]:
    """(field, label, value) when ``text`` starts with a known label, else (None, "", text)."""
    squashed = text.lstrip(_JUNK + " ")
    compact = _squash(squashed)
    for label, name in labels():
        head = compact[:len(label)]
        if _near(head, label):
            # Cut the label's characters off the original text (spaces inside it do not count).
            taken, i = 0, 0
            while i < len(squashed) and taken < len(label):
                if not squashed[i].isspace():
                    taken += 1
                i += 1
            value = squashed[i:].strip().lstrip(_JUNK).strip()
            return name, label, value
    return None, "", text


def parse_time(text: str) -> str | None:
    """The first date-time in ``text`` as ISO 8601 in China time (seconds kept when shown)."""
    for match in _DATE.finditer(text):
        year, month, day, hour, minute, second = match.groups()
        if hour is None:
            continue
        try:
            moment = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0), tzinfo=CHINA)
        except ValueError:
            continue
        return moment.isoformat(timespec="seconds" if second is not None else "minutes")
    return None


def parse_amount(text: str) -> str | None:
    """``"188.00"`` for "-188.00", "¥188", "188.00元", "1,688.50"; None when it is no amount."""
    compact = text.strip().replace("，", ",").replace("。", ".")
    match = _MONEY.match(compact) or _MONEY_IN.search(compact)
    if not match:
        return None
    whole, cents = match.group(1).replace(",", ""), match.group(2) or "0"
    try:
        return str(Decimal(f"{whole}.{cents}").quantize(Decimal("0.01")))
    except InvalidOperation:
        return None


def clean_number(text: str) -> str | None:
    """A transaction or order number from a value: spaces out, look-alike letters inside the
    digit run turned into digits (a short letter prefix such as ``T`` is kept)."""
    compact = _squash(text).strip(_JUNK)
    prefix = re.match(r"[A-Za-z]{0,4}(?=\d)", compact)
    head = prefix.group(0) if prefix else ""
    body = compact[len(head):].translate(_DIGIT_LOOKALIKES)
    match = re.match(r"[0-9A-Za-z]+", body)
    if not match or sum(c.isdigit() for c in match.group(0)) < 6:
        return None
    return head + match.group(0)


def _rows(lines: list[Line]) -> list[tuple[str, str, Line]]:
    """(field, value, line) for each labelled row; continuation lines (a value wrapped onto the
    next line, or a value under its label) are joined to their row."""
    rows: list[list] = []
    for line in lines:
        name, _label, value = split_label(line.text)
        if name:
            value_left = line.words[-1][1] if value and line.words else line.left
            for word, left in line.words:
                if value and value.startswith(word.strip(_JUNK)[:2]) and word.strip(_JUNK):
                    value_left = left
                    break
            rows.append([name, value, line, value_left, not value])
            continue
        if rows:
            last = rows[-1]
            gap = line.top - (last[2].top + last[2].height)
            same_column = abs(line.left - last[3]) <= max(12, line.height) or last[4]
            if gap <= line.height * 1.2 and same_column and (last[4] or _continues(last[1], line.text)):
                last[1] = (last[1] + (" " if last[4] and False else "") + line.text).strip()
                if last[4]:
                    last[3], last[4] = line.left, False
                continue
    return [(name, value, line) for name, value, line, _left, _empty in rows]


def _continues(value: str, text: str) -> bool:
    """Is ``text`` the rest of ``value`` (a long number or a name broken at the row's edge)?"""
    if not value:
        return True
    if re.fullmatch(r"[0-9A-Za-z]+", _squash(value)) and re.fullmatch(r"[0-9A-Za-z]{1,40}", _squash(text)):
        return True
    return bool(re.search(r"[\u4e00-\u9fff]$", value)) and len(_squash(text)) <= 8 and "：" not in text


def _platform(text: str) -> str | None:
    squashed = _squash(text)
    scores = {name: sum(word in squashed for word in words) for name, words in rules()["platforms"].items()}
    best = max(scores, key=lambda name: scores[name])
    return best if scores[best] else None


def amount_line(lines: list[Line]) -> int | None:
    """The index of the amount a bill prints large above its rows ("-188.00"), if any: the first
    line before the first labelled row made mostly of digits, with a sign or two decimals."""
    for i, line in enumerate(lines):
        if split_label(line.text)[0]:
            return None
        compact = _squash(line.text)
        digits = sum(c.isdigit() for c in compact)
        if digits >= 2 and digits >= 0.6 * len(compact) and re.search(r"^[-−–+¥￥]|[.,]\d{2}$", compact) \
                and not parse_time(line.text) and not re.search(r"\d{1,2}:\d{2}", compact):
            return i
    return None


def _problem(lines: list[Line]) -> dict | None:
    for i, line in enumerate(lines):
        squashed = _squash(line.text).lower()
        for kind, phrases in rules()["prompts"].items():
            if any(_squash(p).lower() in squashed for p in phrases):
                nearby = [parse_time(other.text) for other in lines[max(0, i - 3):i + 4]]
                at = next((t for t in nearby if t), None)
                return {"kind": kind, "message": line.text, "at": at}
    return None


def read_fields(lines: list[Line], hint: str | None = None, big_amount: str | None = None) -> Reading:
    """What the lines show. ``hint`` (payment | error | chat) is what the uploader said it is; the
    text decides when it clearly shows something else. ``big_amount``: the large amount line
    (``amount_line``) read again as digits, when the caller did."""
    text = "\n".join(line.text for line in lines)
    rows = _rows(lines)
    found: dict[str, str] = {}
    for name, value, _line in rows:
        if value and name not in found:
            found[name] = value
    numbers = list(dict.fromkeys(n for n in (clean_number(m.group(0)) for m in _NUMBER.finditer(text)) if n))
    times = list(dict.fromkeys(t for t in (parse_time(line.text) for line in lines) if t))
    reading = Reading(kind="other", numbers=numbers, times=times, text=text)
    payment_rows = sum(1 for name in ("time", "transaction_no", "merchant_order_no", "payee", "amount")
                       if name in found)
    problem = _problem(lines)
    if payment_rows >= 2 or (hint == "payment" and payment_rows >= 1):
        reading.kind = "payment"
        big_index = amount_line(lines)
        big = parse_amount(big_amount) if big_amount else None
        if big is None and big_index is not None:
            big = parse_amount(lines[big_index].text)
        reading.amount = big or (parse_amount(found["amount"]) if "amount" in found else None)
        reading.currency = "CNY" if reading.amount else None
        for name in ("time",):
            if name in found:
                reading.time = parse_time(found[name])
        reading.time = reading.time or (times[0] if times else None)
        for name in ("transaction_no", "merchant_order_no"):
            if name in found:
                setattr(reading, name, clean_number(found[name]))
        reading.payee = found.get("payee") or (lines[big_index - 1].text if big_index else None)
        reading.item, reading.status = found.get("item"), found.get("status")
        reading.platform = _platform(text)
    elif problem or hint == "error":
        reading.kind = "error"
    elif hint == "chat" or _looks_like_chat(lines):
        reading.kind = "chat"
    if problem:
        reading.problem = problem
    return reading


def _looks_like_chat(lines: list[Line]) -> bool:
    """Chat screens: many short lines at varied left edges (bubbles on both sides)."""
    if len(lines) < 4:
        return False
    lefts = {line.left // 40 for line in lines}
    return len(lefts) >= 3 and not any(split_label(line.text)[0] for line in lines[:6])
