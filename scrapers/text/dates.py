"""Dates and times: ``2026-11-24 10:03:22``, ``2026/11/24 10:03``, ``2026年11月24日 10时03分``,
``2026-10-31T11:31:13+00:00``, ``Jun 12, 2019``, 12-hour clocks (``03:05 PM``, ``下午3点06分``,
``晚上 9:05``, ``凌晨1点``), English dates (``Nov 30, 2026, 9:05 PM UTC``, ``30 November 2026 21:05``,
``9:05 PM · Nov 30, 2026``), traditional characters and Chinese numerals (``二〇二六年十一月二十四日``).
A time with no zone is read in ``default_offset`` (+08:00 on Chinese pages)."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

from . import nfkc
from .normalise import normalise

# patterns of the rules below, compiled once (re's own cache costs a lookup per call)
_UTC_OFFSET = re.compile(r"([+-])(\d{1,2}):?(\d{2})?")


# the part of the day before a Chinese clock (下午3点06分); morning words keep 1-11, the rest add 12
# (and a Korean clock's 오전/오후: 2026.12.07 오후 2:55)
_CN_PERIOD = r"(?P<cnp>上午|早上|早晨|清晨|凌晨|中午|午后|下午|傍晚|晚上|晚间|夜间|夜里|深夜|오전|오후)"
_DT = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<mo>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    rf"(?:\s*T|\s+|(?<=日))\s*(?:{_CN_PERIOD}\s*)?(?P<h>\d{{1,2}})\s*[:时點点]\s*(?P<mi>\d{{1,2}})"
    r"(?:\s*[:分]\s*(?P<s>\d{1,2})(?:\.\d+)?\s*秒?)?\s*分?"
    r"\s*(?P<ampm>[AaPp]\.?[Mm]\.?(?![A-Za-z]))?"
    r"\s*(?P<zone>Z\b|[+-]\d{2}:?\d{2}\b|\(?\s*(?:UTC|GMT)\s*(?:[+-]\s*\d{1,2}(?::?\d{2})?)?\s*\)?|北京时间"
    r"|(?:JST|KST|HKT|SGT|CET|CEST|BST|EST|EDT|PST|PDT|MSK)\b)?")
_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<mo>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})")
_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
_EN_DATE = re.compile(
    r"(?:(?P<mon1>[A-Za-z]{3,9})\.?\s+(?P<d1>\d{1,2}),?\s+(?P<y1>\d{4}))|(?:(?P<d2>\d{1,2})\s+(?P<mon2>[A-Za-z]{3,9})\.?,?\s+(?P<y2>\d{4}))")


_ZONE = (r"(?P<zone>Z\b|[+-]\d{2}:?\d{2}\b|\(?\s*(?:UTC|GMT)\s*(?:[+-]\s*\d{1,2}(?::?\d{2})?)?\s*\)?|北京时间"
         r"|(?:JST|KST|HKT|SGT|CET|CEST|BST|EST|EDT|PST|PDT|MSK)\b)?")
_NAMED_ZONES = {"JST": 9, "KST": 9, "HKT": 8, "SGT": 8, "CET": 1, "CEST": 2, "BST": 1, "EST": -5, "EDT": -4,
                "PST": -8, "PDT": -7, "MSK": 3, "MESZ": 2, "MEZ": 1}
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
    if text in _NAMED_ZONES:
        return timezone(timedelta(hours=_NAMED_ZONES[text]))
    if text == "МСК":
        return timezone(timedelta(hours=3))
    m = _UTC_OFFSET.search(text)
    if not m:
        return timezone(timedelta(hours=8))
    minutes = int(m.group(2)) * 60 + int(m.group(3) or 0)
    if minutes > 14 * 60:
        return timezone(timedelta(hours=8))
    return timezone(timedelta(minutes=minutes if m.group(1) == "+" else -minutes))


def _hour(hour: int, ampm: str | None, period: str | None) -> int:
    """A 12-hour clock's hour on the 24-hour clock (03:05 PM → 15, 下午3点 → 15, 凌晨12点 → 0)."""
    ampm = (ampm or "").lower().replace(".", "")
    if ampm == "pm" or period in ("下午", "午后", "傍晚", "晚上", "晚间", "夜间", "夜里", "深夜", "오후"):
        return hour + 12 if hour < 12 else hour
    if period == "中午":
        return hour + 12 if hour < 6 else hour  # 中午12点 is noon, 中午1点 is 13:00
    if ampm == "am" or period in ("凌晨", "上午", "早上", "早晨", "清晨", "오전"):
        return 0 if hour == 12 else hour
    return hour


def parse_datetime(text: str | None, default_offset: str = "+08:00", day_first: bool = False) -> str | None:
    """The first date with a time of day in ``text`` as ISO 8601 with an offset, or None. ``day_first``:
    a slashed date is day/month/year (24/11/2026 on a French or Brazilian page; 11/12 is then 11 December)."""
    if not text:
        return None
    text = nfkc(normalise(text).text)  # 下午3點 → 下午3点, 二〇二六年十一月 → 2026年11月, full-width digits
    m = _DT.search(text)
    if not m:
        return _english_datetime(text, default_offset, day_first)
    try:
        moment = datetime(int(m.group("y")), int(m.group("mo")), int(m.group("d")),
                          _hour(int(m.group("h")), m.group("ampm"), m.group("cnp")),
                          int(m.group("mi")), int(m.group("s") or 0),
                          tzinfo=_offset(m.group("zone"), default_offset))
    except ValueError:
        return None
    return moment.isoformat()


# (a Russian date puts "в" before the time and names Moscow time in its own words: "06.12.2026 в 23:48:05 (МСК)")
_DOTTED_DT = re.compile(r"(?<![\w.])(?P<d>\d{1,2})\.(?P<mo>\d{1,2})\.(?P<y>(?:19|20)\d{2}),?\s+(?:в\s+)?(?P<h>\d{1,2}):(?P<mi>\d{2})"
                        r"(?::(?P<s>\d{2}))?(?:\s*Uhr)?\s*" + _ZONE[:-2] + r"|\(?\s*(?:МСК|мск|MESZ|MEZ)\s*\)?)?")
# (German: "01.10.2026, 12:00 Uhr (MESZ)": summer time UTC+2, MEZ winter time UTC+1)
_DOTTED_DATE = re.compile(r"(?<![\w.])(?P<d>\d{1,2})\.(?P<mo>\d{1,2})\.(?P<y>(?:19|20)\d{2})(?![\d.])")


_TIME_FIRST = re.compile(  # "9:05 PM · Nov 30, 2026", "21:05, 30 November 2026"
    r"(?<![\d:])(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?\s*" + _ZONE.replace("zone", "zone1")
    + r"\s*(?:[,·•|@-]|on)?\s*"
    r"(?:(?P<mon1>[A-Za-z]{3,9})\.?\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y1>(?:19|20)\d{2})"
    r"|(?P<d2>\d{1,2})\s+(?P<mon2>[A-Za-z]{3,9})\.?,?\s+(?P<y2>(?:19|20)\d{2}))")
# US dates with a slash (11/30/2026 9:05 PM): month first unless the first number cannot be a month
_SLASH_DT = re.compile(r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>(?:19|20)\d{2}),?\s+(?:(?:à|às|at|o|pukul|lúc)\s+)?(?P<h>\d{1,2})[:h](?P<mi>\d{2})"
                       r"(?::(?P<s>\d{2}))?\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?\s*" + _ZONE)


def _english_datetime(text: str, default_offset: str, day_first: bool = False) -> str | None:
    """``24 Nov 2026, 09:12``, ``Nov 24, 2026 9:12 PM UTC``, ``24.11.2026, 07:31 (UTC)`` (day first),
    ``9:05 PM · Nov 30, 2026``, ``11/30/2026 9:05 PM``."""
    m = _EN_DT.search(text) or _TIME_FIRST.search(text)
    if m and (m.group("mon1") or m.group("mon2") or "")[:3].lower() not in _MONTHS:
        m = None
    if not m:
        m = _SLASH_DT.search(text)
        if m:
            a, b = int(m.group("a")), int(m.group("b"))
            month, day = (b, a) if a > 12 or day_first and b <= 12 else (a, b)
            try:
                return datetime(int(m.group("y")), month, day, _hour(int(m.group("h")), m.group("ampm"), None),
                                int(m.group("mi")), int(m.group("s") or 0),
                                tzinfo=_offset(m.group("zone"), default_offset)).isoformat()
            except ValueError:
                return None
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
    zone = m.groupdict().get("zone") or m.groupdict().get("zone1")
    try:
        moment = datetime(int(m.group("y1") or m.group("y2")), _MONTHS[mon], int(m.group("d1") or m.group("d2")),
                          _hour(int(m.group("h")), m.group("ampm"), None), int(m.group("mi")), int(m.group("s") or 0),
                          tzinfo=_offset(zone, default_offset))
    except ValueError:
        return None
    return moment.isoformat()


def parse_date(text: str | None) -> str | None:
    """The first calendar date in ``text`` as YYYY-MM-DD (``Jun 12, 2019`` too), or None."""
    if not text:
        return None
    text = nfkc(normalise(text).text)
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
    return bool(text) and _DT.search(nfkc(normalise(text).text)) is not None
