"""GET /v1/snapshots: filters (domain, order_no, page_kind, since), newest first, cursor pages.

Captures with chosen facts are written through the storage layer (the same ``captures.store``
the route uses), so the filters are tested independently of what the scrapers find.
"""
from __future__ import annotations

import itertools
import uuid

from server import clock
from server.storage import captures
from tests.conftest import capture_body, pair_user

_counter = itertools.count()


def store(app, user: str, *, domain: str, page_kind: str = "other", order_no: str | None = None,
          seller_id: str | None = None, now=clock.now_iso) -> captures.Capture:
    svc = app.extensions["kadun"]
    html = f"<html><body>capture {next(_counter)} {uuid.uuid4()}</body></html>".encode()
    url = f"https://shop.{domain}/page"
    facts = {"url": url, "domain": domain, "page_kind": page_kind, "order": {"order_no": order_no},
             "seller": {"id": seller_id}}
    capture, created = captures.store(
        svc.redis, user, client_id=str(uuid.uuid4()), html=html, screenshot=None, url=url, title="t",
        captured_at=None, clock_offset_seconds_of=lambda _: None, trigger="auto", extension_version=None,
        facts=facts, now=now, sign=lambda payload: svc.signer.sign(payload).as_dict())
    assert created
    return capture


def listing(client, auth, query: str = "") -> dict:
    response = client.get(f"/v1/snapshots?{query}", headers=auth)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def all_pages(client, auth, query: str, limit: int) -> list[str]:
    ids, cursor, pages = [], None, 0
    while True:
        q = f"{query}&limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        page = listing(client, auth, q)
        assert len(page["items"]) <= limit
        ids += [item["id"] for item in page["items"]]
        pages += 1
        cursor = page["next"]
        if cursor is None:
            return ids
        assert page["items"], "a cursor was given for an empty page"
        assert pages < 1000


def test_items_have_the_contract_fields_newest_first(client, auth):
    outs = [client.post("/v1/snapshots", json=capture_body(f, u), headers=auth).get_json()
            for f, u in [("risky-shop-order.html", "https://vip.jisufa-ka.xyz/order.php?orderid=1"),
                         ("acg-faka-item.html", "https://www.qiyu-shop.cn/item/36")]]
    body = listing(client, auth)
    assert body["next"] is None
    assert [item["id"] for item in body["items"]] == [outs[1]["id"], outs[0]["id"]]
    item = body["items"][0]
    assert set(item) == {"id", "url", "title", "domain", "page_kind", "received_at", "sha256", "order_no"}
    assert (item["domain"], item["sha256"], item["received_at"]) == ("qiyu-shop.cn", outs[1]["sha256"],
                                                                      outs[1]["received_at"])


def test_filters_combine(app, client, auth):
    _, user = pair_user(app)  # the default user: the same as ``auth``'s
    a1 = store(app, user, domain="a.cn", page_kind="order", order_no="K1")
    b1 = store(app, user, domain="b.cn", page_kind="order", order_no="K1")
    a2 = store(app, user, domain="a.cn", page_kind="product")
    a3 = store(app, user, domain="a.cn", page_kind="order", order_no="K2", seller_id="s1")
    ids = lambda q: [i["id"] for i in listing(client, auth, q)["items"]]  # noqa: E731
    assert ids("domain=a.cn") == [a3.id, a2.id, a1.id]
    assert ids("domain=A.CN") == [a3.id, a2.id, a1.id]
    assert ids("order_no=K1") == [b1.id, a1.id]
    assert ids("order_no=K1&domain=b.cn") == [b1.id]
    assert ids("page_kind=order") == [a3.id, b1.id, a1.id]
    assert ids("page_kind=product&domain=a.cn") == [a2.id]
    assert ids("page_kind=product&domain=b.cn") == []
    assert ids("order_no=nope") == []
    assert ids("domain=a.cn&order_no=K2&page_kind=order") == [a3.id]


def test_since_keeps_captures_received_at_or_after(app, client, auth):
    _, user = pair_user(app)
    times = iter(["2026-11-20T10:00:00.000+08:00", "2026-11-21T10:00:00.000+08:00",
                  "2026-11-22T10:00:00.000+08:00", "2026-11-23T10:00:00.000+08:00"])
    made = [store(app, user, domain="a.cn", now=lambda: next(times)) for _ in range(4)]
    ids = lambda q: [i["id"] for i in listing(client, auth, q)["items"]]  # noqa: E731
    assert ids("since=2026-11-22T10:00:00%2B08:00") == [made[3].id, made[2].id]
    # The same instant in another zone, and a zone-less time read as China time.
    assert ids("since=2026-11-22T02:00:00Z") == [made[3].id, made[2].id]
    assert ids("since=2026-11-21T10:00:01") == [made[3].id, made[2].id]
    assert ids("since=2030-01-01T00:00:00Z") == []
    page = listing(client, auth, "since=2026-11-21T00:00:00Z&limit=2")
    assert [i["id"] for i in page["items"]] == [made[3].id, made[2].id]
    rest = listing(client, auth, f"since=2026-11-21T00:00:00Z&limit=2&cursor={page['next']}")
    assert [i["id"] for i in rest["items"]] == [made[1].id] and rest["next"] is None


def test_cursor_pages_have_no_duplicates_or_gaps(app, client, auth):
    _, user = pair_user(app)
    made = []
    for n in range(57):
        made.append(store(app, user, domain="a.cn" if n % 3 else "b.cn", page_kind="order" if n % 2 else "product"))
    newest_first = [c.id for c in reversed(made)]
    for limit in (1, 5, 10, 56, 57, 58, 500):
        assert all_pages(client, auth, "", limit) == newest_first
    wanted = [c.id for c in reversed(made) if c.domain == "a.cn" and c.page_kind == "order"]
    for limit in (1, 4, len(wanted), len(wanted) + 1):
        assert all_pages(client, auth, "domain=a.cn&page_kind=order", limit) == wanted


def test_exact_last_page_has_no_cursor(app, client, auth):
    _, user = pair_user(app)
    made = [store(app, user, domain="a.cn") for _ in range(4)]
    first = listing(client, auth, "limit=2")
    second = listing(client, auth, f"limit=2&cursor={first['next']}")
    assert [i["id"] for i in second["items"]] == [made[1].id, made[0].id]
    assert second["next"] is None


def test_pages_are_stable_while_new_captures_arrive(app, client, auth):
    _, user = pair_user(app)
    made = [store(app, user, domain="a.cn") for _ in range(6)]
    first = listing(client, auth, "limit=3")
    newer = store(app, user, domain="a.cn")
    second = listing(client, auth, f"limit=3&cursor={first['next']}")
    assert [i["id"] for i in first["items"] + second["items"]] == [c.id for c in reversed(made)]
    assert newer.id == listing(client, auth, "limit=1")["items"][0]["id"]


def test_another_users_captures_are_never_listed(app, client, auth):
    _, user_a = pair_user(app)
    store(app, user_a, domain="a.cn", order_no="K1")
    token_b, _ = pair_user(app, new_user=True)
    auth_b = {"Authorization": f"Bearer {token_b}"}
    for query in ("", "domain=a.cn", "order_no=K1", "page_kind=other"):
        assert listing(client, auth_b, query) == {"items": [], "next": None}
    assert len(listing(client, auth, "")["items"]) == 1
