"""Benchmark: pages built to make the pure parts slow, through extraction and a whole capture.

    .venv/bin/python tests/bench/bench_hostile_pages.py [NAME_PART ...]

For each hostile page (all under the 8 MiB capture limit) prints the CPU seconds of
``extract_facts_and_tree`` and of a whole ``POST /v1/snapshots`` (parse, store, judge) on an
embedded Redis in a temporary directory. Before the attack-c round, "100k table rows" took 22.5 s
to extract (the other-orders blocks, quadratic in the rows) and "100k attributes on one tag"
13.4 s (libxml2's attribute check, quadratic in one tag's attributes; 8 MiB of them: minutes);
figures after are in the README's hardening notes.
"""
from __future__ import annotations

import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

MB = 1024 * 1024
URL = "https://shop.example.cn/order/detail?order_no=A1"


def page(body: str, title: str = "订单详情") -> str:
    return f"<html><head><title>{title}</title></head><body>{body}</body></html>"


def cases() -> dict[str, str]:
    return {
        "3 MB single CJK text node": page("<p>" + "卡密发货保证售后" * (MB // 8) + "</p>"),
        "8 MB single digit text node": page("<p>" + "1234567890" * 800_000 + "</p>"),
        "2.7 MB of 订单号： repeated": page("<p>" + "订单号：" * 700_000 + "</p>"),
        "8 MB ascii without spaces": page("<p>" + "a" * (8 * MB - 200) + "</p>"),
        "deep nesting 100k div": page("<div>" * 100_000 + "订单号：A1" + "</div>" * 100_000),
        "100k table rows": page("<table>" + "".join(f"<tr><td>订单号</td><td>A{i}</td><td>¥{i}.00</td></tr>"
                                                     for i in range(100_000)) + "</table>"),
        "10k promises": page("".join(f"<p>本店承诺{i}小时内自动发货，假一赔十，七天无理由退款，售后保障{i}天。</p>"
                                     for i in range(10_000))),
        "50k label:value lines": page("".join(f"<div>商品名称{i}：测试{i}</div>" for i in range(50_000))),
        "200k dates": page("<p>" + " ".join(f"2026-11-{1 + i % 28:02d} 10:{i % 60:02d}:00" for i in range(200_000)) + "</p>"),
        "300k amounts": page("<p>" + " ".join(f"¥{i}.{i % 100:02d}" for i in range(300_000)) + "</p>"),
        "100k contacts": page("<p>" + " ".join(f"QQ：{10000 + i} 微信：wx_{i}" for i in range(100_000)) + "</p>"),
        "100k attributes on one tag": page("<div " + " ".join(f'data-a{i}="x"' for i in range(100_000)) + ">订单</div>"),
        "600k attributes on one tag": page("<div " + " ".join(f"a{i}" for i in range(600_000)) + ">订单</div>"),
        "100k options": page("<select>" + "".join(f"<option>面值 {i} 元</option>" for i in range(100_000)) + "</select>"),
        "1M '1,' digits": page("<p>" + ",".join("1" for _ in range(1_000_000)) + "</p>"),
        "3M '10:' times": page("<p>" + "10:" * 1_500_000 + "</p>"),
    }


def main() -> int:
    from server import create_app
    from server.facts import extract_facts_and_tree
    from server.storage import users

    wanted = sys.argv[1:]
    with tempfile.TemporaryDirectory(prefix="kadun-bench-hostile-") as tmp:
        app = create_app({"TESTING": True, "DATA_DIR": tmp, "RATELIMIT_ENABLED": False, "OCR_WORKER": False,
                          "DISK_RESERVE_BYTES": 0})
        r = app.extensions["kadun"].redis
        client = app.test_client()
        code = users.new_pairing_code(r)
        token = client.post("/v1/pair", json={"code": code, "device": "bench"}).get_json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        print(f"{'extract s':>9} {'capture s':>9} {'MB':>6}  page")
        for name, html in cases().items():
            if wanted and not any(w in name for w in wanted):
                continue
            start = time.process_time()
            extract_facts_and_tree(html, URL)
            extracted = time.process_time() - start
            start = time.process_time()
            response = client.post("/v1/snapshots", headers=auth, json={
                "client_id": str(uuid.uuid4()), "url": URL, "html": html, "trigger": "manual"})
            captured = time.process_time() - start
            print(f"{extracted:9.2f} {captured:9.2f} {len(html.encode()) / MB:6.2f}  {name} ({response.status_code})",
                  flush=True)
        app.extensions["kadun"].embedded.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
