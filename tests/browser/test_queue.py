"""Nothing lost: captures wait in the queue while the backend is down, survive the service worker
being stopped and the browser restarting, and arrive exactly once (Chromium and Firefox; stopping
the service worker and restarting the browser are Chromium's)."""
from __future__ import annotations

import pytest

from .chromium import ChromiumBrowser, InProcessBackend
from .driver import only_chromium

pytestmark = pytest.mark.browser


def _count_by_url(browser) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in browser.captures():
        counts[item["url"]] = counts.get(item["url"], 0) + 1
    return counts


def _queue_holds(browser, n: int):
    return browser.wait(lambda: browser.queue_length() >= n, message=f"{n} captures waiting in the queue")


def _visit_all(browser, files) -> None:
    before = browser.queue_length()
    for i, file in enumerate(files, 1):
        page = browser.visit(browser.pages[file])
        # The content script has handed the capture over once the queue grows.
        _queue_holds(browser, before + i)
        page.close()


def _worker_targets(browser) -> list[dict]:
    session = browser.context.new_cdp_session(browser.probe.page)
    try:
        infos = session.send("Target.getTargets")["targetInfos"]
    finally:
        session.detach()
    return [t for t in infos if t["type"] == "service_worker" and t["url"].startswith(f"chrome-extension://{browser.ext_id}/")]


def _stop_worker(browser) -> None:
    """Stop the extension's service worker, as chrome://serviceworker-internals' Stop does."""
    session = browser.context.new_cdp_session(browser.probe.page)
    try:
        session.send("ServiceWorker.enable")
        session.send("ServiceWorker.stopAllWorkers")
    finally:
        session.detach()
    browser.wait(lambda: not _worker_targets(browser), timeout=10, message="the service worker to stop")


def test_backend_down_then_up_delivers_each_capture_once(browser):
    files = ["dujiaoka-unicorn-checkout.html", "acg-faka-order.html", "risky-shop-order.html"]
    browser.backend.stop()
    try:
        _visit_all(browser, files)
        item_errors = browser.probe.evaluate("""new Promise((resolve) => {
            const req = indexedDB.open("kadun");
            req.onsuccess = () => {
              const all = req.result.transaction("queue").objectStore("queue").getAll();
              all.onsuccess = () => { req.result.close(); resolve(all.result.map((i) => [i.attempts, i.last_error])); };
            };
        })""")
    finally:
        browser.backend.start()
    # At least one attempt already failed while the backend was down: these are real retries.
    browser.wait(lambda: browser.queue_length() == 0, timeout=60, message="the queue to drain")
    counts = _count_by_url(browser)
    assert all(counts.get(browser.pages[f]) == 1 for f in files), counts
    assert any(attempts >= 1 for attempts, _ in item_errors), item_errors


@only_chromium
def test_queue_drains_after_the_service_worker_is_stopped(browser):
    files = ["caihong-query.html", "qs-faka-order.html", "zfaka-hyacinth-product.html"]
    browser.backend.stop()
    try:
        _visit_all(browser, files)
        _stop_worker(browser)
        assert browser.queue_length() == 3
    finally:
        browser.backend.start()
    # Nothing but the worker's own alarm wakes it: we send it no message.
    browser.wait(lambda: browser.queue_length() == 0, timeout=90, message="the queue to drain after the stop")
    assert _worker_targets(browser), "the worker came back by itself"
    counts = _count_by_url(browser)
    assert all(counts.get(browser.pages[f]) == 1 for f in files), counts


def test_chromium_queue_survives_a_browser_restart(playwright_instance, backend, tmp_path_factory):
    profile = tmp_path_factory.mktemp("restart-profile")
    backend = InProcessBackend(backend)
    first = ChromiumBrowser(playwright_instance, backend, profile)
    first.pair()
    first.probe  # noqa: B018 - keep visited pages in front
    files = ["xingchen-km-product.html", "g2x-market-order.html"]
    backend.stop()
    try:
        _visit_all(first, files)
        first.close()
    finally:
        backend.start()
    second = ChromiumBrowser(playwright_instance, backend, profile)
    try:
        second.wait(lambda: second.queue_length() == 0, timeout=90, message="the queue to drain after restart")
        counts = _count_by_url(second)
        assert all(counts.get(second.pages[f]) == 1 for f in files), counts
    finally:
        second.close()


def test_a_receipt_that_does_not_verify_keeps_the_item_and_the_retry_reuses_its_client_id(browser):
    url = browser.pages["generic-broken-order.html"]
    good_keys = browser.storage()["keys"]
    # Same key id, someone else's public key: the backend's signature cannot verify against it.
    forged = [{**k, "public_key": "A" * 43 + "="} for k in good_keys]
    browser.probe.evaluate("keys => chrome.storage.local.set({keys})", forged)
    page = browser.visit(url)
    stored = browser.wait(lambda: [i for i in browser.captures() if i["url"] == url], message="the capture on the backend")
    failed = browser.wait(lambda: (lambda items: items if items and items[0]["attempts"] >= 1 else None)(
        browser.probe.evaluate("""new Promise((resolve) => {
            const req = indexedDB.open("kadun");
            req.onsuccess = () => {
              const all = req.result.transaction("queue").objectStore("queue").getAll();
              all.onsuccess = () => { req.result.close(); resolve(all.result.map((i) => ({
                client_id: i.client_id, attempts: i.attempts, last_error: i.last_error}))); };
            };
        })""")), message="a failed receipt check")
    assert len(failed) == 1 and failed[0]["last_error"].startswith("receipt:"), failed
    detail = browser.api(f"/v1/snapshots/{stored[0]['id']}").get_json()
    assert detail["client_id"] == failed[0]["client_id"]

    browser.probe.evaluate("keys => chrome.storage.local.set({keys})", good_keys)
    browser.probe.evaluate("chrome.runtime.sendMessage({type: KadunMessages.UI_TO_BG.DRAIN})")
    browser.wait(lambda: browser.queue_length() == 0, message="the retry to verify")
    again = [i for i in browser.captures() if i["url"] == url]
    assert [i["id"] for i in again] == [stored[0]["id"]], "the retry was the same capture, stored once"
    page.close()


def test_a_page_handed_over_without_its_message_is_still_queued(browser):
    """The content script stores the page, then names it in a message; if the message is lost
    (tab closed, worker stopped) the worker's sweep still queues the stored page."""
    url = browser.shop_url("https://www.orphan-faka.cn/order.php?orderid=OR20261124000001")
    html = ("<!DOCTYPE html><html><head><title>订单详情 - 孤儿发卡</title></head><body>"
            "<p>订单号：OR20261124000001</p></body></html>")
    key = f"kadun.capture.{1795500000000}.orphan"   # written long ago
    browser.probe.evaluate("""([key, record]) => chrome.storage.local.set({[key]: record})""",
                           [key, {"html": html, "url": url, "title": "订单详情", "captured_at": "2026-11-24T10:00:00+08:00"}])
    browser.probe.evaluate("chrome.alarms.create('kadun-sweep', {when: Date.now()})")
    got = browser.wait(lambda: [i for i in browser.captures() if i["url"] == url], message="the orphan's capture")
    assert len(got) == 1
    browser.wait(lambda: key not in browser.storage(), message="the hand-over key to be removed")
    browser.probe.evaluate("chrome.alarms.create('kadun-sweep', {periodInMinutes: 1})")
