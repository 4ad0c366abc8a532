"""Wording helpers shared by the warning templates: durations, times and subjects in zh and en."""
from __future__ import annotations

from datetime import datetime

from ..clock import CHINA


def duration(hours: float) -> dict:
    """24 → 24小时 / 24 hours; 168 → 7天 / 7 days (whole days from 48 hours on)."""
    hours = float(hours)
    if hours >= 48 and hours % 24 == 0:
        days = int(hours // 24)
        return {"zh": f"{days}天", "en": f"{days} days"}
    whole = int(hours) if hours.is_integer() else hours
    return {"zh": f"{whole}小时", "en": f"{whole} hour{'s' if whole != 1 else ''}"}


def china_minute(moment: datetime) -> str:
    """2026-11-25 10:03 in China time (the form users read; the offset is in the deadline field)."""
    return moment.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")


BASE_EVENT = {"delivered": {"zh": "交付后", "en": "delivery"}, "ordered": {"zh": "下单后", "en": "the order"}}
SUBJECT = {"platform": {"zh": "平台", "en": "platform"}, "seller": {"zh": "商家", "en": "seller"}}


def quotes(values: list[str], limit: int = 3) -> dict:
    shown = values[:limit]
    more = len(values) - len(shown)
    zh = "、".join(f"“{v}”" for v in shown) + (f"等{len(values)}处" if more else "")
    en = ", ".join(f'"{v}"' for v in shown) + (f" and {more} more" if more else "")
    return {"zh": zh, "en": en}
