"""Cost of GET /v1/windows (the reminders' source) and of the calendar feed, in-process.

Run: .venv/bin/python -m tests.bench.bench_windows [--orders 50] [--shops 5] [--runs 20]
Prints figures; it is a script, not a test. Uses a throwaway embedded Redis and the server's real
clock frozen at one instant. A user with ORDERS orders spread over SHOPS shops (each order page states
its times and a 24-hour rule), then: the listing with every order view kept (the steady state), the
listing right after one new capture on a shop (its orders are judged again), and the calendar feed.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def _ms(samples: list[float]) -> str:
    return f"median {statistics.median(samples) * 1000:.1f} ms, max {max(samples) * 1000:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=50)
    parser.add_argument("--shops", type=int, default=5)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    from server import clock
    from server.storage import users
    from tests.bench.backend import bench_backend
    from tests.reminders import pages

    frozen = pages.DELIVERED + timedelta(hours=1)
    clock.now = lambda: frozen  # the windows stay open for the whole run
    with bench_backend() as (app, r, tmp):
        client = app.test_client()
        code = users.new_pairing_code(r)
        token = client.post("/v1/pair", json={"code": code, "device": "bench"}).get_json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        shops = [f"www.bench{n}-faka.cn" for n in range(args.shops)]

        def post(url: str, html: str) -> None:
            body = {"client_id": str(uuid.uuid4()), "url": url, "html": html, "trigger": "auto"}
            assert client.post("/v1/snapshots", json=body, headers=headers).status_code == 201

        for n in range(args.orders):
            shop = shops[n % len(shops)]
            order_no = f"BN2026120109{n:06d}"
            post(pages.order_url(order_no, shop), pages.order_page(order_no))
        items = client.get("/v1/windows", headers=headers).get_json()["items"]
        print(f"{args.orders} orders on {len(shops)} shops: {len(items)} open windows")

        steady = []
        for _ in range(args.runs):
            started = time.perf_counter()
            client.get("/v1/windows", headers=headers)
            steady.append(time.perf_counter() - started)
        print(f"GET /v1/windows, every view kept: {_ms(steady)}")

        after = []
        for n in range(args.runs):
            post(pages.terms_url(shops[0]) + f"?v={n}", pages.terms_page() + f"<!-- {n} -->")
            started = time.perf_counter()
            client.get("/v1/windows", headers=headers)
            after.append(time.perf_counter() - started)
        per_shop = args.orders // len(shops)
        print(f"GET /v1/windows after a capture on a shop with {per_shop} orders: {_ms(after)}")

        key = client.post("/v1/calendar", headers=headers).get_json()["url"].split("key=", 1)[1]
        feed = []
        for _ in range(args.runs):
            started = time.perf_counter()
            response = client.get("/v1/reminders.ics", query_string={"key": key})
            feed.append(time.perf_counter() - started)
        print(f"GET /v1/reminders.ics ({len(response.data)} bytes): {_ms(feed)}")


if __name__ == "__main__":
    main()
