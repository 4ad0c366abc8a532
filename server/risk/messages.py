"""Wording helpers shared by the warning and dispute texts: durations, times and quotes in zh and en
(the sentences themselves are templates in server/rules/)."""
from __future__ import annotations

from datetime import datetime

from ..clock import CHINA

HOURS_PER_DAY = 24


def exact_hours(hours: float) -> float:
    """Hours as the page stated them: the scrapers give a number of minutes in hours rounded to two
    places (「10分钟」 → 0.17); the whole minutes that round to it are what the page said (1/6 hour),
    so a deadline counted from it is not 12 seconds off. Any other value is returned as it is."""
    hours = float(hours)
    if hours.is_integer() or not 0 < hours < HOURS_PER_DAY:
        return hours
    minutes = round(hours * 60)
    return minutes / 60 if minutes and round(minutes / 60, 2) == hours else hours


def duration(hours: float) -> dict:
    """24 → 24小时 / 24 hours; 168 → 7天 / 7 days (whole days from two days on); 1/6 → 10分钟 / 10 minutes
    (whole minutes under an hour)."""
    hours = exact_hours(hours)
    minutes = round(hours * 60, 6)
    if 0 < hours < 1 and minutes.is_integer():
        return {"zh": f"{int(minutes)}分钟", "en": f"{int(minutes)} minute{'s' if minutes != 1 else ''}"}
    days = hours / HOURS_PER_DAY
    if days >= 2 and days.is_integer():
        return {"zh": f"{int(days)}天", "en": f"{int(days)} days"}
    whole = int(hours) if hours.is_integer() else round(hours, 2)
    return {"zh": f"{whole}小时", "en": f"{whole} hour{'s' if whole != 1 else ''}"}


def china_minute(moment: datetime) -> str:
    """2026-11-25 10:03 in China time (the form users read; the offset is in the deadline field)."""
    return moment.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")


def quotes(values: list[str], limit: int = 3) -> dict:
    """“a”、“b”等3处 / "a", "b" and 1 more."""
    shown = values[:limit]
    more = len(values) - len(shown)
    zh = "、".join(f"“{v}”" for v in shown) + (f"等{len(values)}处" if more else "")
    en = ", ".join(f'"{v}"' for v in shown) + (f" and {more} more" if more else "")
    return {"zh": zh, "en": en}
