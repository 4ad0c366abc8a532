"""Pickers that reach every order: GET /v1/orders pages through all of a user's orders, and
GET /v1/snapshots?q= / GET /v1/orders?q= search by order number or domain (or a host or URL)."""
from __future__ import annotations

import pytest

from server import clock
from server.storage import captures, keys
from tests.conftest import capture_body, pair_user

SHOPS = ["shop-a.cn", "kami-b.com", "faka-c.xyz"]


def _store(app, user: str, n: int, domain: str, order_no: str | None, page_kind: str = "order") -> str:
    """One capture stored as the API stores it, with facts given (no page to parse)."""
    svc = app.extensions["kadun"]
    html = f"<html><body>capture {n} {order_no}</body></html>".encode()
    facts = {"domain": domain, "page_kind": page_kind, "order": {"order_no": order_no} if order_no else None}
    capture, created = captures.store(
        svc.redis, user, client_id=f"c{n}", html=html, screenshot=None,
        url=f"https://www.{domain}/order/{order_no or n}", title=f"页面 {n}", captured_at=None,
        clock_offset_seconds_of=lambda _: None, trigger="auto", extension_version="t", facts=facts,
        now=clock.now_iso, sign=lambda payload: svc.signer.sign(payload).as_dict())
    assert created
    captures.set_warnings(svc.redis, user, capture, [])
    return capture.id


ORDERS = 120


@pytest.fixture
def many(app):
    """180 captures of 120 orders in three shops (a third captured twice), and product pages; the
    browser tests go past the pickers' old limits (200 and 500 captures)."""
    token, user = pair_user(app)
    plan = []  # (snapshot id, domain, order_no, page_kind), oldest first
    n = 0
    for round_ in range(2):
        for i in range(ORDERS):
            if round_ == 1 and i % 3:
                continue  # a third of the orders get a second capture later
            domain = SHOPS[i % 3]
            order_no = f"KD{2026000 + i:07d}"
            plan.append((_store(app, user, n, domain, order_no), domain, order_no, "order"))
            n += 1
    for i in range(20):
        domain = SHOPS[i % 3]
        plan.append((_store(app, user, n, domain, None, "product"), domain, None, "product"))
        n += 1
    assert len(plan) == ORDERS + ORDERS // 3 + 20
    return {"Authorization": f"Bearer {token}"}, user, plan


def _all(client, auth, path: str, limit: int) -> list[dict]:
    items, cursor, pages = [], None, 0
    while True:
        sep = "&" if "?" in path else "?"
        url = f"{path}{sep}limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        response = client.get(url, headers=auth)
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        assert len(body["items"]) <= limit
        items.extend(body["items"])
        cursor = body["next"]
        pages += 1
        assert pages < 1000
        if not cursor:
            return items


def _expected_orders(plan) -> list[tuple[str, str]]:
    newest: dict[tuple[str, str], int] = {}
    for position, (_, domain, order_no, _) in enumerate(plan):
        if order_no:
            newest[(domain, order_no)] = position
    return [key for key, _ in sorted(newest.items(), key=lambda kv: -kv[1])]


def test_every_order_is_reachable_newest_first(client, many):
    auth, _, plan = many
    expected = _expected_orders(plan)
    assert len(expected) == ORDERS
    for limit in (1, 7, 50, 500):
        got = _all(client, auth, "/v1/orders", limit)
        assert [(o["domain"], o["order_no"]) for o in got] == expected, limit
    counts = {}
    for _, domain, order_no, _ in plan:
        if order_no:
            counts[(domain, order_no)] = counts.get((domain, order_no), 0) + 1
    newest_id = {(d, o): sid for sid, d, o, _ in plan if o}
    for order in _all(client, auth, "/v1/orders", 100):
        key = (order["domain"], order["order_no"])
        assert order["captures"] == counts[key]
        assert order["latest_snapshot_id"] == newest_id[key] and order["latest_at"]


def test_every_capture_is_reachable_by_paging(client, many):
    auth, _, plan = many
    got = _all(client, auth, "/v1/snapshots", 500)
    assert [c["id"] for c in got] == [sid for sid, *_ in reversed(plan)]


@pytest.mark.parametrize("q,expect", [
    ("kd202601", lambda d, o: o is not None and "kd202601" in o.lower()),  # part of an order number
    ("KD2026119", lambda d, o: o == "KD2026119"),
    ("kami", lambda d, o: "kami" in d),  # part of a domain
    ("www.faka-c.xyz", lambda d, o: d == "faka-c.xyz"),  # a host: its registered domain
    ("https://shop.shop-a.cn/order/123?x=1", lambda d, o: d == "shop-a.cn"),  # a URL
    ("no-such-thing", lambda d, o: False),
], ids=["order-part", "order-exact", "domain-part", "host", "url", "nothing"])
def test_search_finds_orders_and_captures(client, many, q, expect):
    auth, _, plan = many
    from urllib.parse import quote

    orders = _all(client, auth, f"/v1/orders?q={quote(q)}", 20)
    wanted_orders = [key for key in _expected_orders(plan) if expect(*key)]
    assert [(o["domain"], o["order_no"]) for o in orders] == wanted_orders
    found = _all(client, auth, f"/v1/snapshots?q={quote(q)}", 30)
    wanted = [sid for sid, domain, order_no, _ in reversed(plan) if expect(domain, order_no)]
    assert [c["id"] for c in found] == wanted
    # The other filters still apply on top of the search.
    products = _all(client, auth, f"/v1/snapshots?q={quote(q)}&page_kind=product", 30)
    assert [c["id"] for c in products] == [sid for sid, d, o, kind in reversed(plan) if kind == "product" and expect(d, o)]


def test_same_order_number_in_two_shops_are_two_orders(app, client):
    token, user = pair_user(app)
    auth = {"Authorization": f"Bearer {token}"}
    first = _store(app, user, 1, "shop-a.cn", "1001")
    second = _store(app, user, 2, "kami-b.com", "1001")
    orders = client.get("/v1/orders", headers=auth).get_json()["items"]
    assert [(o["domain"], o["captures"], o["latest_snapshot_id"]) for o in orders] == [
        ("kami-b.com", 1, second), ("shop-a.cn", 1, first)]


def test_captures_stored_before_the_indexes_are_indexed_once(app, client, many, redis_client):
    auth, user, plan = many
    # As a backend before this version left them: no orders, domains or shop-order indexes.
    for pattern in (keys.orders(user), keys.user_domains(user), keys.search_indexed(user)):
        redis_client.delete(pattern)
    for key in list(redis_client.scan_iter(match=f"kadun:{{u:{user}}}:snaps:shop-order:*", count=1000)):
        redis_client.delete(key)
    assert redis_client.zcard(keys.orders(user)) == 0
    got = _all(client, auth, "/v1/orders", 100)
    assert [(o["domain"], o["order_no"]) for o in got] == _expected_orders(plan)
    assert redis_client.exists(keys.search_indexed(user))
    # New captures keep being indexed afterwards.
    newest = _store(app, user, 9999, "shop-a.cn", "KD-NEW")
    first = client.get("/v1/orders?limit=1", headers=auth).get_json()["items"][0]
    assert (first["order_no"], first["latest_snapshot_id"]) == ("KD-NEW", newest)


def test_orders_of_a_capture_through_the_api(client, auth):
    body = capture_body("xingchen-km-order.html", "https://www.xingchen-km.com/order/detail?order_no=XC20261124100322581")
    stored = client.post("/v1/snapshots", json=body, headers=auth)
    assert stored.status_code == 201
    orders = client.get("/v1/orders?q=www.xingchen-km.com", headers=auth).get_json()["items"]
    assert [(o["domain"], o["order_no"]) for o in orders] == [("xingchen-km.com", "XC20261124100322581")]
    assert orders[0]["latest_snapshot_id"] == stored.get_json()["id"]


def test_another_users_orders_are_not_listed(app, client, many):
    token, _ = pair_user(app, new_user=True)
    other = {"Authorization": f"Bearer {token}"}
    assert client.get("/v1/orders", headers=other).get_json() == {"items": [], "next": None}
    assert client.get("/v1/snapshots?q=kd", headers=other).get_json() == {"items": [], "next": None}


def test_search_length_is_exact_and_bad_cursors_are_400(client, auth):
    for path in ("/v1/orders", "/v1/snapshots"):
        assert client.get(f"{path}?q={'a' * 200}", headers=auth).status_code == 200
        too_long = client.get(f"{path}?q={'a' * 201}", headers=auth)
        assert too_long.status_code == 400 and too_long.get_json()["field"] == "q"
        bad = client.get(f"{path}?cursor=abc", headers=auth)
        assert bad.status_code == 400 and bad.get_json()["field"] == "cursor"
        assert client.get(f"{path}?limit=501", headers=auth).status_code == 400


def test_orders_route_is_documented(app):
    spec = app.test_client().get("/openapi.json").get_json()
    params = {p["name"] for p in spec["paths"]["/v1/orders"]["get"]["parameters"]}
    assert params == {"q", "limit", "cursor"}
    assert "q" in {p["name"] for p in spec["paths"]["/v1/snapshots"]["get"]["parameters"]}


def test_odd_facts_are_indexed_as_text_and_never_fail_a_capture(app, client):
    token, user = pair_user(app)
    auth = {"Authorization": f"Bearer {token}"}
    _store(app, user, 1, "Odd.Example.COM", 12345)  # a number where text is expected
    _store(app, user, 2, "odd.example.com", "a\nb")  # a newline cannot be part of an index entry
    orders = client.get("/v1/orders", headers=auth).get_json()["items"]
    assert [(o["domain"], o["order_no"]) for o in orders] == [("odd.example.com", "12345")]
    assert len(client.get("/v1/snapshots?q=odd.example", headers=auth).get_json()["items"]) == 2
