"""GET /v1/windows and POST /v1/orders/reminders: the open windows of every captured order, with
their reminders, from the order's judgement; the buyer's word (fine, muted) and a dispute stop them.
The server's clock is driven by the test."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from server.clock import parse_iso
from tests.conftest import pair_user

from . import pages
from .conftest import post_page

ORDER = "CX20261201090000123"
RAW_CODE = re.compile(r"\b[a-z]+_[a-z_]+\b")  # order_record, account_check, halfway …


def _headers(app, new_user: bool = False) -> dict:
    token, _ = pair_user(app, new_user=new_user)
    return {"Authorization": f"Bearer {token}"}


def _windows(client, headers) -> list[dict]:
    response = client.get("/v1/windows", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def _ours(items, order_no=ORDER) -> list[dict]:
    return [i for i in items if i["order_no"] == order_no]


def test_an_order_page_with_a_24_hour_rule_gives_its_window_and_two_reminders(app, client, clock):
    headers = _headers(app)
    clock.set(pages.DELIVERED + timedelta(hours=1))
    post_page(client, headers, pages.order_url(ORDER), pages.order_page(ORDER))
    items = _ours(_windows(client, headers))
    assert len(items) == 1, items
    item = items[0]
    assert (item["domain"], item["state"], item["remind"]) == (pages.DOMAIN, "active", True)
    window = item["window"]
    assert window["kind"] == "feedback" and window["basis"]["quote"] in pages.RULE
    assert parse_iso(window["deadline"]) == pages.DEADLINE
    # Half-way (12 hours left) and 2 hours before the end of the 24-hour window.
    assert [(r["kind"], parse_iso(r["at"])) for r in item["reminders"]] == [
        ("halfway", pages.DEADLINE - timedelta(hours=12)), ("final", pages.DEADLINE - timedelta(hours=2))]
    for reminder in item["reminders"]:
        assert reminder["title"]["zh"].startswith("卡盾提醒") and ORDER in reminder["body"]["zh"]
        assert "2026-12-02 09:01" in reminder["body"]["zh"] and "2026-12-02 09:01" in reminder["body"]["en"]
        for lang in ("zh", "en"):
            assert not RAW_CODE.search(reminder["title"][lang] + reminder["body"][lang]), reminder
    assert "12小时" in item["reminders"][0]["title"]["zh"] and "2 hours" in item["reminders"][1]["title"]["en"]
    ids = [r["id"] for r in item["reminders"]]
    assert ids == [r["id"] for r in _ours(_windows(client, headers))[0]["reminders"]], "ids are stable"


def test_a_window_past_its_deadline_is_no_longer_open(app, client, clock):
    headers = _headers(app)
    clock.set(pages.DELIVERED + timedelta(hours=1))
    post_page(client, headers, pages.order_url(ORDER), pages.order_page(ORDER))
    clock.set(pages.DEADLINE - timedelta(seconds=1))
    assert len(_ours(_windows(client, headers))) == 1
    clock.set(pages.DEADLINE + timedelta(seconds=1))
    assert _ours(_windows(client, headers)) == []


def test_fine_and_muted_orders_and_a_dispute_stop_the_reminders(app, client, clock):
    headers = _headers(app)
    clock.set(pages.DELIVERED + timedelta(hours=1))
    others = ["CX20261201090000201", "CX20261201090000202"]
    for order_no in [ORDER, *others]:
        post_page(client, headers, pages.order_url(order_no), pages.order_page(order_no))
    assert {i["order_no"] for i in _windows(client, headers)} == {ORDER, *others}

    def say(order_no, state, status=200):
        response = client.post("/v1/orders/reminders", headers=headers,
                               json={"domain": pages.SHOP, "order_no": order_no, "state": state})
        assert response.status_code == status, response.get_json()
        return response.get_json()

    assert say(ORDER, "fine") == {"domain": pages.DOMAIN, "order_no": ORDER, "state": "fine"}
    say(others[0], "muted")
    listed = {i["order_no"]: i for i in _windows(client, headers)}
    assert ORDER not in listed
    assert listed[others[0]]["state"] == "muted" and listed[others[0]]["remind"] is False
    assert listed[others[1]]["remind"] is True
    say(ORDER, "active")
    assert ORDER in {i["order_no"] for i in _windows(client, headers)}

    response = client.post("/v1/disputes", headers=headers, json={
        "domain": pages.SHOP, "order_no": others[1], "problem": "invalid_code",
        "occurred_at": (pages.DELIVERED + timedelta(minutes=30)).isoformat()})
    assert response.status_code == 201, response.get_json()
    assert others[1] not in {i["order_no"] for i in _windows(client, headers)}

    # Errors: an order without captures, a state that is none, a missing field.
    assert say("NOPE-1", "fine", 404)["error"] == "not_found"
    assert say(ORDER, "asleep", 400)["field"] == "state"
    response = client.post("/v1/orders/reminders", headers=headers, json={"domain": pages.SHOP, "state": "fine"})
    assert response.status_code == 400 and response.get_json()["field"] == "order_no"
    assert client.get("/v1/windows").status_code == 401


def test_a_rule_captured_after_the_order_gives_the_order_its_window(app, client, clock):
    """The terms page of the site, saved after the order page, states the rule: the order's window
    appears (the site's captures mark its orders for a new reading)."""
    headers = _headers(app)
    clock.set(pages.DELIVERED + timedelta(hours=1))
    post_page(client, headers, pages.order_url(ORDER), pages.order_page(ORDER, rule=False))
    assert _ours(_windows(client, headers)) == []
    clock.set(pages.DELIVERED + timedelta(hours=2))
    post_page(client, headers, pages.terms_url(), pages.terms_page())
    items = _ours(_windows(client, headers))
    assert [parse_iso(i["window"]["deadline"]) for i in items] == [pages.DEADLINE]


def test_account_goods_get_a_check_now_window_and_windows_come_soonest_first(app, client, clock):
    headers = _headers(app)
    clock.set(pages.DELIVERED + timedelta(hours=1))
    account = "CX20261201090000301"
    later = pages.ORDERED + timedelta(hours=5)
    post_page(client, headers, pages.order_url(account), pages.order_page(account, item="原神 成品号 UID:1234",
                                                                         rule=False, ordered=later))
    post_page(client, headers, pages.order_url(ORDER), pages.order_page(ORDER))
    items = _windows(client, headers)
    deadlines = [parse_iso(i["window"]["deadline"]) for i in items]
    assert deadlines == sorted(deadlines)
    # The account order has the check-now window, and the site's rule (stated on the other order's
    # page) as well: a site's rule is every order's of that site.
    check = [i for i in items if i["order_no"] == account]
    assert [i["window"]["kind"] for i in check] == ["account_check", "feedback"]
    assert check[0]["window"]["basis"]["quote"] == "原神 成品号 UID:1234"
    assert parse_iso(check[0]["window"]["deadline"]) == later + (pages.DELIVERED - pages.ORDERED) + timedelta(hours=24)
    assert "换绑" in check[0]["window"]["action"]["zh"]


def test_another_users_windows_are_never_listed(app, client, clock):
    mine, theirs = _headers(app), _headers(app, new_user=True)
    clock.set(pages.DELIVERED + timedelta(hours=1))
    post_page(client, mine, pages.order_url(ORDER), pages.order_page(ORDER))
    other = "CX20261201090000999"
    post_page(client, theirs, pages.order_url(other), pages.order_page(other))
    assert {i["order_no"] for i in _windows(client, mine)} == {ORDER}
    assert {i["order_no"] for i in _windows(client, theirs)} == {other}
    response = client.post("/v1/orders/reminders", headers=theirs,
                           json={"domain": pages.SHOP, "order_no": ORDER, "state": "fine"})
    assert response.status_code == 404
    assert {i["order_no"] for i in _windows(client, mine)} == {ORDER}


@pytest.mark.parametrize("path", ["/v1/windows", "/v1/orders/reminders", "/v1/calendar", "/v1/reminders.ics"])
def test_routes_are_documented(app, path):
    from server.api.openapi import build_spec, undocumented_routes

    assert path in build_spec(app)["paths"]
    assert not [m for m in undocumented_routes(app) if path in m]
