"""A user's open windows, soonest first, with their reminders: what the extension schedules, the
popup lists and the calendar feed carries (the backend's answer is the only source).

Windows come from each order's judgement as the badge shows it (``risk.service.order_windows``:
the kept order view, made again when anything it rests on changed), so a reminder, the badge's
warning and the dispute plan give the same deadline. Only orders that may still have an open
window are read (``windows_due``, kept beside each order view; orders of sites captured since are
read again first). An order the buyer said is fine, or that has a dispute (the dispute page shows
its plan from then on), has no open windows here; a muted one is listed with ``remind: false``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..clock import parse_iso
from ..risk import service as risk_service
from ..risk.windows import Window
from ..storage import disputes as dispute_store
from ..storage import reminders as store
from ..storage.order_index import member
from ..storage.orders import all_orders
from ..storage.orders import ensure_indexed as ensure_orders_indexed
from . import schedule


@dataclass
class OpenWindow:
    """One open window of one order, with its reminders."""

    domain: str
    order_no: str
    item: str | None
    state: str  # active | muted
    window: dict  # the Window as the badge shows it
    reminders: list[schedule.Reminder]

    @property
    def deadline(self) -> datetime:
        return parse_iso(self.window["deadline"])

    @property
    def order_key(self) -> str:
        return member(self.domain, self.order_no)

    def as_dict(self) -> dict:
        order = {"domain": self.domain, "order_no": self.order_no}
        return {**order, "item": self.item, "state": self.state, "remind": self.state == "active",
                "window": self.window,
                "reminders": [{"id": r.id, "kind": r.kind, "at": r.at.isoformat(),
                               **schedule.texts(r, self.window, order)} for r in self.reminders]}


def _window(entry: dict) -> Window:
    """The Window a view's entry describes (what the schedule needs of it)."""
    def moment(value):
        return parse_iso(value) if value else None

    return Window(id=entry["id"], kind=entry["kind"], start_rule=entry["start_rule"], start=moment(entry["start"]),
                  deadline=moment(entry["deadline"]), hours=entry.get("hours"), met=bool(entry.get("met")))


def _last_unmet(view: dict) -> float | None:
    deadlines = [parse_iso(w["deadline"]).timestamp() for w in view["windows"] if w["deadline"] and not w.get("met")]
    return max(deadlines) if deadlines else None


def refresh(r, user: str, now: datetime) -> None:
    """Bring ``windows_due`` up to date: once for the orders captured before it existed, then for
    the orders of every site captured since their windows were kept."""
    first = not store.indexed(r, user)
    if first:
        ensure_orders_indexed(r, user)
    stale = store.stale_domains(r, user)
    if not first and not stale:
        return
    store.clear_stale(r, user, stale)  # first: a capture landing meanwhile marks its site again
    orders = [(d, o) for d, o in all_orders(r, user) if first or d in stale]
    pipe = r.pipeline(transaction=False)
    for domain, order_no in orders:
        view = risk_service.order_windows(r, user, domain, order_no, now)
        store.index_order(pipe, user, domain, order_no, _last_unmet(view))
    pipe.execute()
    if first:
        store.set_indexed(r, user)


def open_windows(r, user: str, now: datetime) -> list[OpenWindow]:
    """Every open window of the user's orders at ``now``, soonest deadline first."""
    refresh(r, user, now)
    said = store.states(r, user)
    out: list[OpenWindow] = []
    for domain, order_no in store.due_orders(r, user, now.timestamp()):
        state = (said.get((domain, order_no)) or {}).get("state", "active")
        if state == "fine" or dispute_store.for_order(r, user, domain, order_no) is not None:
            continue
        view = risk_service.order_windows(r, user, domain, order_no, now)
        key = member(domain, order_no)
        for entry in view["windows"]:
            window = _window(entry)
            if not window.is_open(now):
                continue
            out.append(OpenWindow(domain, order_no, view.get("item"), state, entry,
                                  schedule.reminders_for(window, key)))
    out.sort(key=lambda w: (w.deadline, w.domain, w.order_no, w.window["id"]))
    return out
