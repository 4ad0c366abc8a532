"""Windows are computed once: for the same order, the reminder (GET /v1/windows), the calendar
feed, the badge's warning (the capture's ``feedback_deadline`` and GET /v1/risk's order windows)
and the dispute plan give the same deadline. On a synthetic shop and on the labelled xingchen pages."""
from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from icalendar import Calendar

from server.clock import parse_iso
from tests.conftest import FIXTURES, pair_user
from tests.disputes.scenario import fixture_url

from . import pages
from .conftest import post_page

CASES = {
    "synthetic": {"now": pages.DELIVERED + timedelta(hours=1), "order_no": "CX20261201090000123",
                  "domain": pages.SHOP, "pages": [(pages.order_url("CX20261201090000123"),
                                                   pages.order_page("CX20261201090000123"))],
                  "occurred": pages.DELIVERED + timedelta(hours=3)},
    "xingchen": {"now": parse_iso("2026-11-24T11:00:00+08:00"), "order_no": "XC20261124100322581",
                 "domain": "www.xingchen-km.com",
                 "pages": [(fixture_url(f), (FIXTURES / f).read_text(encoding="utf-8"))
                           for f in ("xingchen-km-terms.html", "xingchen-km-product.html", "xingchen-km-order.html")],
                 "occurred": parse_iso("2026-11-24T12:00:00+08:00")},
}


@pytest.mark.parametrize("case", list(CASES))
def test_reminder_badge_warning_calendar_and_plan_give_the_same_deadline(app, client, clock, case):
    spec = CASES[case]
    token, _ = pair_user(app)
    headers = {"Authorization": f"Bearer {token}"}
    clock.set(spec["now"])
    answers = [post_page(client, headers, url, html) for url, html in spec["pages"]]
    order_url = spec["pages"][-1][0]

    reminded = {i["window"]["id"]: parse_iso(i["window"]["deadline"])
                for i in client.get("/v1/windows", headers=headers).get_json()["items"]
                if i["order_no"] == spec["order_no"]}
    assert reminded, "the order has open windows"
    badge = client.get("/v1/risk", query_string={"url": order_url}, headers=headers).get_json()["order"]
    shown = {w["id"]: parse_iso(w["deadline"]) for w in badge["windows"] if w["deadline"]}
    assert {k: shown[k] for k in reminded} == reminded
    warning = [w for w in answers[-1]["warnings"] if w["code"] == "feedback_deadline"]
    page_windows = {k: v for k, v in reminded.items() if k.split(":")[0] in ("feedback", "verify_now", "platform_apply")}
    if page_windows:
        assert [parse_iso(w["deadline"]) for w in warning] == [min(page_windows.values())]

    url = client.post("/v1/calendar", headers=headers).get_json()["url"]
    key = parse_qs(urlsplit(url).query)["key"][0]
    cal = Calendar.from_ical(client.get("/v1/reminders.ics", query_string={"key": key}).get_data())
    assert sorted(e.decoded("DTSTART") for e in cal.walk("VEVENT")) == sorted(reminded.values())

    response = client.post("/v1/disputes", headers=headers, json={
        "domain": spec["domain"], "order_no": spec["order_no"], "problem": "invalid_code",
        "occurred_at": spec["occurred"].isoformat()})
    assert response.status_code == 201, response.get_json()
    dispute = response.get_json()
    planned = {w["id"]: parse_iso(w["deadline"]) for w in dispute["windows"] if w["deadline"]}
    assert {k: planned[k] for k in reminded} == reminded
    for step in dispute["escalation"]:
        if step["window"] in reminded:
            assert parse_iso(step["deadline"]) == reminded[step["window"]]
    # Every reminded window of the platform's rules is in the plan's platform step, at the same
    # instant (the step's own deadline is the platform's intervention window when it states one).
    platform = next(s for s in dispute["escalation"] if s["step"] == "platform")
    listed = {w["id"]: parse_iso(w["deadline"]) for w in platform["windows"] if w["deadline"]}
    assert page_windows and {k: listed[k] for k in page_windows} == page_windows, "the plan lists the reminded windows"
