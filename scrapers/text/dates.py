"""Dates and times: ``2026-11-24 10:03:22``, ``2026/11/24 10:03``, ``2026年11月24日 10时03分``,
``2026-10-31T11:31:13+00:00``, ``Jun 12, 2019``. A time with no zone is read in ``default_offset``
(+08:00 on Chinese pages)."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

from . import nfkc

_DT = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<mo>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:\s*T|\s+|(?<=日))\s*(?P<h>\d{1,2})\s*[:时點点]\s*(?P<mi>\d{1,2})"
    r"(?:\s*[:分]\s*(?P<s>\d{1,2})(?:\.\d+)?\s*秒?)?\s*分?"
    r"\s*(?P<zone>Z\b|[+-]\d{2}:?\d{2}\b|\(?\s*(?:UTC|GMT)\s*(?:[+-]\s*\d{1,2}(?::?\d{2})?)?\s*\)?|北京时间)?")
_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<mo>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})")
_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
_EN_DATE = re.compile(
    r"(?:(?P<mon1>[A-Za-z]{3,9})\.?\s+(?P<d1>\d{1,2}),?\s+(?P<y1>\d{4}))|(?:(?P<d2>\d{1,2})\s+(?P<mon2>[A-Za-z]{3,9})\.?,?\s+(?P<y2>\d{4}))")


_ZONE = r"(?P<zone>Z\b|[+-]\d{2}:?\d{2}\b|\(?\s*(?:UTC|GMT)\s*(?:[+-]\s*\d{1,2}(?::?\d{2})?)?\s*\)?|北京时间)?"
_EN_DT = re.compile(
    r"(?:(?P<mon1>[A-Za-z]{3,9})\.?\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y1>(?:19|20)\d{2})"
    r"|(?P<d2>\d{1,2})\s+(?P<mon2>[A-Za-z]{3,9})\.?,?\s+(?P<y2>(?:19|20)\d{2}))"
    r"(?:\s*,|\s+at)?\s+(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?\s*" + _ZONE)


def _offset(zone: str | None, default_offset: str) -> timezone:
    text = (zone or "").strip().strip("()").replace(" ", "").upper()
    if not text:
        text = default_offset
    if text == "北京时间":
        return timezone(timedelta(hours=8))
    if text == "Z" or text in ("UTC", "GMT"):
        return UTC
    m = re.search(r"([+-])(\d{1,2}):?(\d{2})?", text)
    if not m:
        return timezone(timedelta(hours=8))
    minutes = int(m.group(2)) * 60 + int(m.group(3) or 0)
    if minutes > 14 * 60:
        return timezone(timedelta(hours=8))
    return timezone(timedelta(minutes=minutes if m.group(1) == "+" else -minutes))


def parse_datetime(text: str | None, default_offset: str = "+08:00") -> str | None:
    """The first date with a time of day in ``text`` as ISO 8601 with an offset, or None."""
    if not text:
        return None
    text = nfkc(text)
    m = _DT.search(text)
    if not m:
        return _english_datetime(text, default_offset)
    try:
        moment = datetime(int(m.group("y")), int(m.group("mo")), int(m.group("d")), int(m.group("h")),
                          int(m.group("mi")), int(m.group("s") or 0),
                          tzinfo=_offset(m.group("zone"), default_offset))
    except ValueError:
        return None
    return moment.isoformat()


_DOTTED_DT = re.compile(r"(?<![\w.])(?P<d>\d{1,2})\.(?P<mo>\d{1,2})\.(?P<y>(?:19|20)\d{2}),?\s+(?P<h>\d{1,2}):(?P<mi>\d{2})"
                        r"(?::(?P<s>\d{2}))?\s*" + _ZONE)
_DOTTED_DATE = re.compile(r"(?<![\w.])(?P<d>\d{1,2})\.(?P<mo>\d{1,2})\.(?P<y>(?:19|20)\d{2})(?![\d.])")


def _english_datetime(text: str, default_offset: str) -> str | None:
    """``24 Nov 2026, 09:12``, ``Nov 24, 2026 9:12 PM UTC``, ``24.11.2026, 07:31 (UTC)`` (day first)."""
    m = _EN_DT.search(text)
    if not m:
        m = _DOTTED_DT.search(text)
        if not m:
            return None
        try:
            return datetime(int(m.group("y")), int(m.group("mo")), int(m.group("d")), int(m.group("h")),
                            int(m.group("mi")), int(m.group("s") or 0),
                            tzinfo=_offset(m.group("zone"), default_offset)).isoformat()
        except ValueError:
            return None
    mon = (m.group("mon1") or m.group("mon2") or "")[:3].lower()
    if mon not in _MONTHS:
        return None
    hour = int(m.group("h"))
    ampm = (m.group("ampm") or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    try:
        moment = datetime(int(m.group("y1") or m.group("y2")), _MONTHS[mon], int(m.group("d1") or m.group("d2")),
                          hour, int(m.group("mi")), int(m.group("s") or 0),
                          tzinfo=_offset(m.group("zone"), default_offset))
    except ValueError:
        return None
    return moment.isoformat()


def parse_date(text: str | None) -> str | None:
    """The first calendar date in ``text`` as YYYY-MM-DD (``Jun 12, 2019`` too), or None."""
    if not text:
        return None
    text = nfkc(text)
    m = _DATE.search(text)
    try:
        if m:
            return datetime(int(m.group("y")), int(m.group("mo")), int(m.group("d"))).date().isoformat()
        m = _DOTTED_DATE.search(text)
        if m:
            return datetime(int(m.group("y")), int(m.group("mo")), int(m.group("d"))).date().isoformat()
        m = _EN_DATE.search(text)
        if m:
            mon = (m.group("mon1") or m.group("mon2") or "")[:3].lower()
            if mon in _MONTHS:
                day = int(m.group("d1") or m.group("d2"))
                year = int(m.group("y1") or m.group("y2"))
                return datetime(year, _MONTHS[mon], day).date().isoformat()
    except ValueError:
        return None
    return None


def has_time(text: str | None) -> bool:
    return bool(text) and _DT.search(nfkc(text)) is not None
