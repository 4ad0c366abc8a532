"""The calendar feed: a user's open windows as iCalendar (RFC 5545) events with alarms, written with
the ``icalendar`` package, so a phone's calendar reminds the buyer where no extension runs.

Each open window is one event at its deadline (``DTSTART`` in UTC, no end: an instant), with one
``VALARM`` per reminder still ahead, triggered that long before the deadline: the same instants as
the extension's notifications. The event's UID stays the same for the same order and window, so a
calendar that reads the feed again updates the event instead of adding another.
"""
from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from icalendar import Alarm, Calendar, Event, vDuration

from .. import rules
from . import schedule
from .service import OpenWindow

LANGS = ("zh", "en")
REFRESH = timedelta(hours=1)


def uid(window: OpenWindow) -> str:
    digest = hashlib.sha256(f"{window.order_key}\n{window.window['id']}".encode()).hexdigest()[:32]
    return f"{digest}@kadun"


def _values(window: OpenWindow) -> dict:
    entry = window.window
    return {"name": entry["name"], "rule": entry["basis"]["rule"], "action": entry["action"],
            "domain": window.domain, "order_no": window.order_no, "item": window.item or "",
            "quote": entry["basis"].get("quote") or ""}


def feed(windows: list[OpenWindow], now: datetime, lang: str = "zh") -> bytes:
    """The iCalendar text of ``windows`` as read at ``now``, in ``lang`` (zh or en)."""
    texts = rules.entry("reminders", "calendar")
    cal = Calendar()
    cal.add("prodid", "-//KaDun//reminders//" + lang.upper())
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", texts["name"][lang])
    cal.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(REFRESH))
    stamp = now.astimezone(UTC)
    for window in windows:
        values = _values(window)
        event = Event()
        event.add("uid", uid(window))
        event.add("dtstamp", stamp)
        event.add("dtstart", window.deadline.astimezone(UTC))
        event.add("summary", rules.fill(texts["summary"], **values)[lang])
        key = "description" if values["quote"] else "description_no_quote"
        event.add("description", rules.fill(texts[key], **values)[lang].strip())
        event.add("transp", "TRANSPARENT")
        for reminder in window.reminders:
            if reminder.at <= now:
                continue
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("trigger", -reminder.lead)
            alarm.add("description", rules.fill(texts["alarm"], left=schedule.left_text(reminder.lead),
                                                **values)[lang])
            event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical()


__all__ = ["LANGS", "feed", "uid"]
