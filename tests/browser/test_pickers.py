"""Pickers that reach every order: with more captures than the popup (200) and the dispute page
(500) used to read, the oldest order is still found by paging and by search, in the popup and on
the dispute page, and a dispute is opened for it."""
from __future__ import annotations

import pytest

from server import clock
from server.storage import captures, users

from .driver import only_chromium

pytestmark = pytest.mark.browser

OLD_SHOP, NEW_SHOP = "laodian-ka.cn", "xinka-shop.com"
OLD_ORDER = "LD20250101000001"
ORDERS = 560  # newer orders, one capture each: the old order's capture is behind all of them
SITE_CAPTURES = 20  # captures of the old shop (its product pages and the old order)


def _store(backend, user: str, n: int, domain: str, order_no: str | None, kind: str) -> str:
    svc = backend.app.extensions["kadun"]
    html = f"<html><body>{domain} {order_no or 'product'} {n}</body></html>".encode()
    facts = {"domain": domain, "page_kind": kind, "order": {"order_no": order_no} if order_no else None}
    capture, _ = captures.store(
        svc.redis, user, client_id=f"seed-{n}", html=html, screenshot=None,
        url=f"https://www.{domain}/{'order' if order_no else 'item'}/{order_no or n}", title=f"{domain} {n}",
        captured_at=None, clock_offset_seconds_of=lambda _: None, trigger="auto", extension_version="seed",
        facts=facts, now=clock.now_iso, sign=lambda payload: svc.signer.sign(payload).as_dict())
    captures.set_warnings(svc.redis, user, capture, [])
    return capture.id


@pytest.fixture(scope="module")
def seeded(browser):
    """The paired extension's user gets the old shop's captures first, then 560 newer orders."""
    backend = browser.backend
    browser.probe.evaluate("chrome.storage.local.set({language: 'zh_CN'})")  # Chinese first
    user = users.default_user(backend.redis)
    n = 0
    for _ in range(SITE_CAPTURES - 1):
        _store(backend, user, n, OLD_SHOP, None, "product")
        n += 1
    old_id = _store(backend, user, n, OLD_SHOP, OLD_ORDER, "order")
    n += 1
    for i in range(ORDERS):
        _store(backend, user, n, NEW_SHOP, f"XK{20261100000 + i}", "order")
        n += 1
    return {"user": user, "old_id": old_id, "total": n}


def _orders_listed(page) -> list[str]:
    return page.eval_on_selector_all("input[name=order]", "els => els.map(e => e.dataset.orderNo)")


@only_chromium  # drives the in-process backend app and Playwright locators directly
def test_dispute_page_pages_to_the_oldest_order_and_opens_a_dispute_for_it(browser, seeded):
    page = browser.context.new_page()
    page.goto(f"chrome-extension://{browser.ext_id}/src/dispute/dispute.html")
    page.wait_for_selector("body[data-ready=true]")
    assert len(_orders_listed(page)) == 50 and OLD_ORDER not in _orders_listed(page)
    assert page.text_content("#more-orders") == "加载更多"
    clicks = 0
    while page.is_visible("#more-orders"):
        count = len(_orders_listed(page))
        page.click("#more-orders")
        browser.wait(lambda count=count: len(_orders_listed(page)) > count or not page.is_visible("#more-orders"),
                     message="the next page of orders")
        clicks += 1
        assert clicks < 50
    listed = _orders_listed(page)
    assert len(listed) == len(set(listed)) == ORDERS + 1  # every order, each once
    assert listed[-1] == OLD_ORDER  # newest first: the old order comes last

    # Search: the order number finds it at once.
    page.fill("#order-search", "ld2025")
    browser.wait(lambda: _orders_listed(page) == [OLD_ORDER], message="the search result")
    assert page.is_checked(f"input[name=order][data-order-no='{OLD_ORDER}']")
    page.select_option("#problem", "not_delivered")
    page.fill("#occurred-at", "2025-01-02T10:00")
    page.click("#create-dispute")
    page.wait_for_selector("#dispute-view:not([hidden])")
    dispute = browser.api(f"/v1/disputes/{page.get_attribute('#dispute-view', 'data-dispute-id')}").get_json()
    assert dispute["order"]["order_no"] == OLD_ORDER
    assert any(entry["source"].get("snapshot_id") == seeded["old_id"] for entry in dispute["timeline"])
    page.close()


def _captures_listed(popup) -> list[str]:
    return popup.eval_on_selector_all("#site-captures li[data-snapshot-id]", "els => els.map(e => e.dataset.snapshotId)")


@only_chromium  # drives the in-process backend app and Playwright locators directly
def test_popup_pages_through_this_sites_captures_and_searches_every_order(browser, seeded):
    popup = browser.context.new_page()
    popup.goto(f"chrome-extension://{browser.ext_id}/src/popup/popup.html?host=shop.{OLD_SHOP}")
    popup.wait_for_selector("body[data-ready=true]")
    assert len(_captures_listed(popup)) == 8
    while popup.is_visible("#more-captures"):
        count = len(_captures_listed(popup))
        popup.click("#more-captures")
        browser.wait(lambda count=count: len(_captures_listed(popup)) > count or not popup.is_visible("#more-captures"),
                     message="the next page of captures")
    listed = _captures_listed(popup)
    assert len(listed) == len(set(listed)) == SITE_CAPTURES
    assert seeded["old_id"] in listed
    texts = popup.inner_text("#site-captures")
    assert "订单页" in texts and "商品页" in texts and "order" not in texts.replace(OLD_ORDER, "")

    # Searching by order number reaches the oldest order, and opens the dispute page on it.
    popup.fill("#search", OLD_ORDER.lower())
    popup.wait_for_selector(f"#search-results li[data-order-no='{OLD_ORDER}']")
    assert popup.locator("#search-results li").count() == 1
    with browser.context.expect_page() as opened:
        popup.click(f"#search-results li[data-order-no='{OLD_ORDER}'] a")
    page = opened.value
    page.wait_for_selector("body[data-ready=true]")
    assert page.is_checked(f"input[name=order][data-order-no='{OLD_ORDER}']")
    page.close()

    # Searching by site lists that site's orders (here, all 560 of the new shop, in pages).
    popup.fill("#search", NEW_SHOP)
    browser.wait(lambda: popup.locator("#search-results li[data-order-no]").count() == 8
                 and popup.get_attribute("#search-results li[data-order-no]", "data-domain") == NEW_SHOP,
                 message="the new shop's orders")
    assert popup.is_visible("#more-results")
    popup.close()
