"""The phone app on an emulated phone (prints figures; not a test).

Chromium with mobile emulation (360 × 740, 3×, touch) against the real backend on 127.0.0.1,
with the network throttled like a fair mobile link (default 1.6 Mbit/s down, 750 kbit/s up,
150 ms latency, DevTools' "Fast 3G"), and reports:
- the bytes the first visit transfers (shell, scripts, styles, texts, icons, manifest, worker);
- time from navigation to the screen being ready (``body[data-ready=true]``): first visit,
  a later visit (the service worker answers from its shell) and a visit with no network at all;
- time from tapping 存证 on a link to its acknowledgement by the backend (the fetch included),
  and for a 300 KB screenshot upload.

Run: .venv/bin/python -m tests.bench.bench_phone [--runs N] [--no-throttle]
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser.harness import Backend
from tests.browser.phone import PHONE, ShopOnLoopback, launch_phone_browser
from tests.conftest import FIXTURES

FAST_3G = {"offline": False, "latency": 150, "downloadThroughput": 1.6 * 1024 * 1024 / 8,
           "uploadThroughput": 750 * 1024 / 8}


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def _throttle(page, on: bool) -> None:
    if on:
        session = page.context.new_cdp_session(page)
        session.send("Network.enable")
        session.send("Network.emulateNetworkConditions", FAST_3G)


def _ready(page, url: str) -> float:
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_selector("body[data-ready=true] main > section")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-throttle", action="store_true")
    args = parser.parse_args()
    throttle = not args.no_throttle

    from server import create_app
    from server.storage.redis import EmbeddedRedis, connect

    with tempfile.TemporaryDirectory() as tmp:
        embedded = EmbeddedRedis(Path(tmp) / "redis")
        client = connect(embedded.start())
        app = create_app({"TESTING": True, "REDIS": client, "DATA_DIR": str(Path(tmp) / "data"),
                          "RATELIMIT_ENABLED": False, "OCR_WORKER": False})
        backend = Backend(app)
        backend.start()
        shop = ShopOnLoopback(backend, {"/user/order/detail": (FIXTURES / "xingchen-km-order.html").read_bytes()})
        try:
            with sync_playwright() as playwright:
                browser = launch_phone_browser(playwright)
                first, later, offline, transferred, links, uploads = [], [], [], [], [], []
                for _ in range(args.runs):
                    context = browser.new_context(**PHONE)
                    page = context.new_page()
                    _throttle(page, throttle)
                    sizes: list[int] = []
                    page.on("requestfinished", lambda request, sizes=sizes: sizes.append(
                        (request.sizes() or {}).get("responseBodySize", 0)))
                    first.append(_ready(page, f"{backend.url}/m/#pair={backend.pairing_code()}"))
                    page.wait_for_function("navigator.serviceWorker.controller !== null")
                    transferred.append(sum(sizes))
                    later.append(_ready(page, f"{backend.url}/m/#/capture"))
                    context.set_offline(True)
                    offline.append(_ready(page, f"{backend.url}/m/#/capture"))
                    context.set_offline(False)
                    page.goto(f"{backend.url}/m/#/capture")
                    page.wait_for_selector("#capture-screen")
                    page.fill("#link-url", shop.url("/user/order/detail?order_no=XC20261124100322581"))
                    started = time.perf_counter()
                    page.tap("#link-submit")
                    page.wait_for_selector("#result-list li[data-type=link]", timeout=60000)
                    links.append(time.perf_counter() - started)
                    image = (Path(__file__).resolve().parents[2] / "server/web/static/icons/icon-512.png").read_bytes()
                    image += b"\0" * (300 * 1024 - len(image))  # a PNG with trailing bytes: 300 KB
                    page.set_input_files("#shot-files", files=[{"name": "s.png", "mimeType": "image/png",
                                                                "buffer": image + str(time.time()).encode()}])
                    started = time.perf_counter()
                    page.tap("#shot-submit")
                    page.wait_for_selector("#result-list li[data-type=file]", timeout=60000)
                    uploads.append(time.perf_counter() - started)
                    context.close()
                browser.close()
        finally:
            shop.close()
            backend.stop()
            embedded.stop()

    med = statistics.median
    net = "throttled to Fast 3G (1.6 Mbit/s down, 750 kbit/s up, 150 ms)" if throttle else "loopback, not throttled"
    print(f"phone app, {args.runs} runs, {net}:")
    print(f"  first visit transfers {med(transferred) / 1024:.0f} KiB (shell, scripts, texts, icons, worker)")
    print(f"  ready: first visit {_ms(med(first))}, later visit {_ms(med(later))}, offline {_ms(med(offline))}")
    print(f"  link shared → acknowledged (backend fetch included): {_ms(med(links))}")
    print(f"  300 KB screenshot → acknowledged: {_ms(med(uploads))}")


if __name__ == "__main__":
    main()
