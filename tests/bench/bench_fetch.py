"""Share a link: time from POST /v1/fetches to the facts, for a 200 KB shop page on loopback.

    .venv/bin/python -m tests.bench.bench_fetch [--runs 20] [--kb 200]

A real app on the embedded Redis (the Flask test client, no HTTP in front), its fetcher admitting
one loopback shop (the tests' allowance) that serves a fixture product page padded to the size
asked. Prints p50 / p95 / max of the whole request (fetch, parse, store, chain, judge) and of the
fetch alone. The issue's bar: facts in < 3 s.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from server import create_app
from server.capture.fetch import Fetcher, LoopbackForTests
from server.storage import users
from server.storage.redis import EmbeddedRedis, connect
from tests.capture.servers import ShopServer

ROOT = Path(__file__).resolve().parents[2]


def _page(kb: int) -> str:
    html = (ROOT / "tests" / "fixtures" / "pages" / "xingchen-km-product.html").read_text(encoding="utf-8")
    row = "<tr><td>和平精英 安卓QQ区 成品号</td><td>¥188.00</td><td>质保30天 不找回</td></tr>\n"
    filler = row * max(0, (kb * 1024 - len(html.encode())) // len(row.encode()))
    return html.replace("</body>", f"<table class='recent'>{filler}</table></body>")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--kb", type=int, default=200)
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="kadun-fetch-"))
    redis = EmbeddedRedis(tmp / "redis")
    shop = ShopServer()
    try:
        r = connect(redis.start())
        app = create_app({"REDIS": r, "DATA_DIR": str(tmp / "data"), "RATELIMIT_ENABLED": False,
                          "OCR_WORKER": False})
        app.extensions["kadun"].extra["fetcher"] = Fetcher(
            loopback_for_tests=LoopbackForTests(frozenset({("127.0.0.1", shop.port)})))
        page = _page(args.kb)
        client = app.test_client()
        code = users.new_pairing_code(r)
        token = client.post("/v1/pair", json={"code": code, "device": "bench"}).get_json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        totals, fetches = [], []
        for i in range(args.runs):
            # A different page each time (no facts cache): every run parses and judges anew.
            shop.page(f"/goods/{i}", page.replace("</title>", f" {uuid.uuid4().hex}</title>"))
            started = time.perf_counter()
            response = client.post("/v1/fetches", headers=auth, json={"url": shop.url(f"/goods/{i}")})
            totals.append(time.perf_counter() - started)
            body = response.get_json()
            assert response.status_code == 201 and body["facts"]["page_kind"] == "product", body
            fetches.append(body["fetch"]["elapsed_ms"] / 1000)
        size = len(page.encode()) // 1024
        ordered = sorted(totals)
        p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
        print(f"{args.runs} shared links of a {size} KB page on loopback:")
        print(f"  request to facts: p50 {statistics.median(totals) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
              f"max {ordered[-1] * 1000:.0f} ms")
        print(f"  fetch alone:      p50 {statistics.median(fetches) * 1000:.0f} ms, max {max(fetches) * 1000:.0f} ms")
        import os

        print(f"  load average at the end {os.getloadavg()[0]:.1f}")
    finally:
        shop.close()
        redis.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
