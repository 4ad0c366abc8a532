"""When to remind the buyer of a window, and in which words (pure; the lead times are thresholds).

Two reminders per open window: half-way through it (``reminder_halfway_percent``), and a last one
``reminder_final_lead_minutes`` before the end of a ``reminder_reference_hours`` window, scaled in
proportion for other lengths: 2 hours before the end of a 24-hour window, 4 before a 48-hour one,
10 days before a 120-day chargeback window. A window of unknown length (a stated "deliver by" time
without a purchase time) is taken as ``reminder_reference_hours`` long. Each reminder has an id
that stays the same while its instant does, so a browser that showed it never shows it again.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from .. import rules
from ..risk.messages import china_minute, duration
from ..risk.windows import Window

KINDS = ("halfway", "final")
SECONDS_PER_HOUR = 3600


@dataclass(frozen=True)
class Reminder:
    """One reminder of one window of one order."""

    id: str
    kind: str  # halfway | final
    at: datetime
    deadline: datetime

    @property
    def lead(self) -> timedelta:
        """How long before the deadline it comes."""
        return self.deadline - self.at


def _length(window: Window) -> timedelta:
    return window.length() or timedelta(hours=rules.threshold("reminder_reference_hours"))


def leads(length: timedelta) -> dict[str, timedelta]:
    """How long before the end of a window of ``length`` each reminder comes."""
    halfway = length * (100 - rules.threshold("reminder_halfway_percent")) / 100
    reference = timedelta(hours=rules.threshold("reminder_reference_hours"))
    final = length * (timedelta(minutes=rules.threshold("reminder_final_lead_minutes")) / reference)
    return {"halfway": halfway, "final": final}


def reminder_id(order_key: str, window_id: str, kind: str, at: datetime) -> str:
    text = f"{order_key}\n{window_id}\n{kind}\n{int(at.timestamp())}"
    return "rem_" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def reminders_for(window: Window, order_key: str) -> list[Reminder]:
    """The reminders of a dated window, in time order (none for an undated or met one). Each is
    within the window: a reminder that would come before the window starts is left out."""
    if window.deadline is None or window.met:
        return []
    out = []
    for kind, lead in leads(_length(window)).items():
        at = window.deadline - lead
        if window.start is not None and at <= window.start:
            continue
        out.append(Reminder(reminder_id(order_key, window.id, kind, at), kind, at, window.deadline))
    return sorted(out, key=lambda r: r.at)


def left_text(lead: timedelta) -> dict:
    """The time left at a reminder, as people say it: 12小时 / 12 hours, 10天 / 10 days."""
    hours = lead.total_seconds() / SECONDS_PER_HOUR
    return duration(round(hours, 1) if hours < 10 else round(hours))


def texts(reminder: Reminder, window: dict, order: dict) -> dict:
    """``{"title": {zh, en}, "body": {zh, en}}`` of the reminder's notification. ``window`` is the
    Window's dict (its name, rule and action); ``order`` has the domain and order number."""
    values = {"name": window["name"], "left": left_text(reminder.lead), "rule": window["basis"]["rule"],
              "action": window["action"], "deadline": china_minute(reminder.deadline),
              "domain": order["domain"], "order_no": order["order_no"]}
    row = rules.entry("reminders", "notification", reminder.kind)
    return {"title": rules.fill(row["title"], **values), "body": rules.fill(row["body"], **values)}
