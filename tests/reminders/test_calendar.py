"""GET /v1/reminders.ics: the open windows as iCalendar events with alarms, read back with the
``icalendar`` parser; the secret URL (not the bearer token) can be replaced and revoked (404), and a
feed never shows another user's orders."""
from __future__ import annotations

from datetime import UTC, timedelta
from urllib.parse import parse_qs, urlsplit

from icalendar import Calendar

from server.clock import parse_iso
from tests.conftest import pair_user

from . import pages
from .conftest import post_page

ORDER = "CX20261201090000123"


def _user(app, new_user=False):
    token, user = pair_user(app, new_user=new_user)
    return {"Authorization": f"Bearer {token}"}, token


def _new_feed(client, headers) -> str:
    response = client.post("/v1/calendar", headers=headers)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["active"] is True and body["url"].startswith("http://localhost/v1/reminders.ics?key=cal_")
    return parse_qs(urlsplit(body["url"]).query)["key"][0]


def _feed(client, key, lang=None, status=200):
    query = {"key": key, **({"lang": lang} if lang else {})}
    response = client.get("/v1/reminders.ics", query_string=query)  # no Authorization: a calendar app
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    if status != 200:
        assert response.get_json()["error"] in ("not_found", "bad_request")
        return None
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.get_data())


def _events(cal):
    return [c for c in cal.walk("VEVENT")]


def test_the_feed_validates_and_carries_each_deadline_and_its_alarms(app, client, clock):
    headers, _ = _user(app)
    clock.set(pages.DELIVERED + timedelta(hours=1))
    post_page(client, headers, pages.order_url(ORDER), pages.order_page(ORDER))
    windows = client.get("/v1/windows", headers=headers).get_json()["items"]
    key = _new_feed(client, headers)

    cal = _feed(client, key)
    assert cal["VERSION"] == "2.0" and str(cal["X-WR-CALNAME"]) == "卡盾 维权期限"
    events = _events(cal)
    assert len(events) == len(windows) == 1
    event, window = events[0], windows[0]
    start = event.decoded("DTSTART")
    assert start.tzinfo is not None and start == pages.DEADLINE == parse_iso(window["window"]["deadline"])
    assert event["DTSTART"].to_ical().decode().endswith("Z"), "instants in UTC"
    assert "DTEND" not in event and "DURATION" not in event  # the event is the deadline instant
    assert ORDER in str(event["SUMMARY"]) and str(event["SUMMARY"]).startswith("卡盾")
    assert window["window"]["basis"]["quote"] in str(event["DESCRIPTION"])
    alarms = event.walk("VALARM")
    assert [a.decoded("TRIGGER") for a in alarms] == [
        parse_iso(r["at"]) - pages.DEADLINE for r in window["reminders"]] == [-timedelta(hours=12), -timedelta(hours=2)]
    assert all(str(a["ACTION"]) == "DISPLAY" and str(a["DESCRIPTION"]) for a in alarms)
    uid = str(event["UID"])

    # Read again later: the same event (same UID), only the alarm still ahead.
    clock.set(pages.DEADLINE - timedelta(hours=6))
    event = _events(_feed(client, key))[0]
    assert str(event["UID"]) == uid
    assert [a.decoded("TRIGGER") for a in event.walk("VALARM")] == [-timedelta(hours=2)]
    assert event.decoded("DTSTAMP") == (pages.DEADLINE - timedelta(hours=6)).astimezone(UTC)
    english = _events(_feed(client, key, lang="en"))[0]
    assert str(english["SUMMARY"]).startswith("KaDun") and str(english["UID"]) == uid

    # After the deadline the window is closed: no event.
    clock.set(pages.DEADLINE + timedelta(minutes=1))
    assert _events(_feed(client, key)) == []


def test_a_replaced_or_revoked_secret_answers_404_and_the_token_is_no_key(app, client, clock):
    headers, token = _user(app)
    clock.set(pages.DELIVERED + timedelta(hours=1))
    post_page(client, headers, pages.order_url(ORDER), pages.order_page(ORDER))
    assert client.get("/v1/calendar", headers=headers).get_json() == {"active": False, "created_at": None}
    first = _new_feed(client, headers)
    assert len(_events(_feed(client, first))) == 1
    second = _new_feed(client, headers)
    assert second != first
    _feed(client, first, status=404)
    assert len(_events(_feed(client, second))) == 1
    _feed(client, token, status=404)  # the bearer token opens no feed
    _feed(client, second[:-1] + ("A" if second[-1] != "A" else "B"), status=404)
    _feed(client, "", status=404)  # an empty key opens nothing, like a revoked one
    missing = client.get("/v1/reminders.ics")  # no key at all: a malformed request
    assert missing.status_code == 400 and missing.get_json()["field"] == "key"
    _feed(client, second, lang="fr", status=400)
    response = client.delete("/v1/calendar", headers=headers)
    assert response.status_code == 200 and response.get_json()["active"] is False
    _feed(client, second, status=404)
    assert client.get("/v1/calendar", headers=headers).get_json()["active"] is False
    assert client.post("/v1/calendar").status_code == 401


def test_a_feed_never_shows_another_users_orders(app, client, clock):
    (mine, _), (theirs, _) = _user(app), _user(app, new_user=True)
    clock.set(pages.DELIVERED + timedelta(hours=1))
    post_page(client, mine, pages.order_url(ORDER), pages.order_page(ORDER))
    other = "CX20261201090000999"
    post_page(client, theirs, pages.order_url(other), pages.order_page(other))
    my_key, their_key = _new_feed(client, mine), _new_feed(client, theirs)
    mine_text = " ".join(str(e["SUMMARY"]) + str(e["DESCRIPTION"]) for e in _events(_feed(client, my_key)))
    theirs_text = " ".join(str(e["SUMMARY"]) + str(e["DESCRIPTION"]) for e in _events(_feed(client, their_key)))
    assert ORDER in mine_text and other not in mine_text
    assert other in theirs_text and ORDER not in theirs_text
    # Replacing one user's secret leaves the other's working.
    _new_feed(client, theirs)
    assert len(_events(_feed(client, my_key))) == 1


def test_fine_and_muted_orders_leave_the_feed(app, client, clock):
    headers, _ = _user(app)
    clock.set(pages.DELIVERED + timedelta(hours=1))
    other = "CX20261201090000124"
    for order_no in (ORDER, other):
        post_page(client, headers, pages.order_url(order_no), pages.order_page(order_no))
    key = _new_feed(client, headers)
    assert len(_events(_feed(client, key))) == 2
    for order_no, state in ((ORDER, "fine"), (other, "muted")):
        response = client.post("/v1/orders/reminders", headers=headers,
                               json={"domain": pages.SHOP, "order_no": order_no, "state": state})
        assert response.status_code == 200
    assert _events(_feed(client, key)) == []
