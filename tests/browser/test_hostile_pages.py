"""A shop page attacking the content script from the main world (in Chromium and Firefox): DOM
clobbering of the Document's members, redefined globals and prototypes, endless mutations. The
capture is still the page, whole, with its facts; the badge still comes."""
from __future__ import annotations

import pytest

from .hostile_pages import (
    CLOBBER_URL,
    ORDER_NO,
    PROTOTYPES_NO,
    PROTOTYPES_URL,
    SPAM_NO,
    SPAM_URL,
)

pytestmark = pytest.mark.browser


def _capture(browser, url: str) -> dict:
    served = browser.shop_url(url)
    items = browser.wait(lambda: [i for i in browser.captures() if i["url"] == served],
                         message=f"the capture of {url}")
    return browser.api(f"/v1/snapshots/{items[0]['id']}").get_json() | {"id": items[0]["id"]}


def _badges(browser, page) -> int:
    """How many KaDun badges the tab has, asked by the driver (WebDriver in Firefox, Playwright's own
    world in Chromium): the page's world is the one under attack, its DOM methods may be the page's."""
    if browser.name == "firefox":
        return len(page._m.find_elements("css selector", "kadun-badge"))
    return page.count("kadun-badge")


def test_dom_clobbering_the_document_does_not_change_the_capture(browser):
    page = browser.visit(browser.shop_url(CLOBBER_URL))
    # (the attack is real: in the page's own world these members are the page's elements)
    assert page.evaluate("Object.getOwnPropertyDescriptor(Document.prototype, 'documentElement').get.call(document)"
                         " !== document.documentElement && typeof document.addEventListener === 'object'") is True
    detail = _capture(browser, CLOBBER_URL)
    html = browser.api(f"/v1/snapshots/{detail['id']}/html").get_data(as_text=True)
    # the whole page, not the <img name="documentElement"> that shadows document.documentElement
    assert html.startswith("<!DOCTYPE html>") and "<body" in html and ORDER_NO in html, html[:300]
    assert detail["title"] == "订单详情 - 灵狐卡铺", detail.get("title")
    assert detail["facts"]["order"]["order_no"] == ORDER_NO
    browser.wait(lambda: _badges(browser, page) == 1, message="the badge on the clobbering page")
    page.close()


def test_redefined_globals_and_prototypes_of_the_page_do_not_reach_the_content_script(browser):
    page = browser.visit(browser.shop_url(PROTOTYPES_URL))
    detail = _capture(browser, PROTOTYPES_URL)
    assert detail["facts"]["order"]["order_no"] == PROTOTYPES_NO
    html = browser.api(f"/v1/snapshots/{detail['id']}/html").get_data(as_text=True)
    assert PROTOTYPES_NO in html and "clobbered by the page" in html  # (the page's own script, as captured)
    browser.wait(lambda: _badges(browser, page) == 1, message="the badge on the page")
    page.close()


def test_a_page_that_never_stops_changing_gets_a_bounded_number_of_captures(browser):
    page = browser.visit(browser.shop_url(SPAM_URL))
    served = browser.shop_url(SPAM_URL)
    first = _capture(browser, SPAM_URL)
    assert first["facts"]["order"]["order_no"] == SPAM_NO
    # the page keeps adding order rows; follow-up captures stop at the extension's limit (10)
    browser.wait(lambda: len([i for i in browser.captures() if i["url"] == served]) >= 3,
                 timeout=60, message="some follow-up captures")
    page.close()
    settled = browser.wait(lambda: (lambda n: n if browser.queue_length() == 0 else None)(
        len([i for i in browser.captures() if i["url"] == served])), timeout=60, message="an empty queue")
    assert settled <= 11, f"{settled} captures of one page"
