"""When reminders come (pure): half-way, and 2 hours before the end of a 24-hour window, in
proportion for other lengths; lead times are thresholds, so changing one moves every reminder."""
from __future__ import annotations

from datetime import timedelta

import pytest

from server import rules
from server.clock import parse_iso
from server.reminders.schedule import leads, reminders_for
from server.risk.windows import Window

START = parse_iso("2026-12-01T09:00:00+08:00")


def _window(hours=None, start=START, deadline=None, met=False, kind="feedback"):
    deadline = deadline or (start + timedelta(hours=hours))
    return Window(id=f"{kind}:x", kind=kind, start_rule="delivery", start=start, deadline=deadline, hours=hours, met=met)


@pytest.mark.parametrize(("hours", "halfway", "final"), [
    (24, timedelta(hours=12), timedelta(hours=2)),
    (48, timedelta(hours=24), timedelta(hours=4)),
    (7 * 24, timedelta(days=3, hours=12), timedelta(hours=14)),
    (120 * 24, timedelta(days=60), timedelta(days=10)),
], ids=["24h", "48h", "7d", "120d"])
def test_reminders_scale_with_the_window(hours, halfway, final):
    window = _window(hours)
    got = reminders_for(window, "shop.example\nA1")
    assert [(r.kind, window.deadline - r.at) for r in got] == [("halfway", halfway), ("final", final)]
    assert all(START < r.at < window.deadline for r in got)


def test_undated_and_met_windows_have_no_reminders_and_unknown_lengths_count_as_a_day():
    assert reminders_for(_window(24, met=True), "k") == []
    undated = Window(id="feedback:u", kind="feedback", start_rule="delivery", start=None, deadline=None, hours=24)
    assert reminders_for(undated, "k") == []
    stated = _window(start=None, deadline=START)  # "deliver by" with no purchase time
    assert [START - r.at for r in reminders_for(stated, "k")] == [timedelta(hours=12), timedelta(hours=2)]


def test_ids_change_only_when_the_instant_does():
    a, b = reminders_for(_window(24), "k"), reminders_for(_window(24), "k")
    assert [r.id for r in a] == [r.id for r in b] and len({r.id for r in a}) == 2
    moved = reminders_for(_window(24, start=START + timedelta(minutes=5)), "k")
    assert not {r.id for r in a} & {r.id for r in moved}
    assert not {r.id for r in a} & {r.id for r in reminders_for(_window(24), "other")}


def test_the_lead_times_are_the_thresholds(monkeypatch):
    table = dict(rules.table("thresholds"), reminder_final_lead_minutes=60, reminder_halfway_percent=25)
    monkeypatch.setattr(rules, "table", lambda name, _t=rules.table: table if name == "thresholds" else _t(name))
    assert leads(timedelta(hours=24)) == {"halfway": timedelta(hours=18), "final": timedelta(hours=1)}
