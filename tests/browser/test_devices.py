"""The options page lists the paired devices: this one can unpair itself (its token is ended on the
backend and forgotten by the extension), another one can be removed. Chinese first."""
from __future__ import annotations

import pytest

from .driver import only_chromium
from .harness import pair

pytestmark = pytest.mark.browser


def _options(browser):
    page = browser.context.new_page()
    page.goto(f"chrome-extension://{browser.ext_id}/options.html")
    return page


def _lang(page):
    try:
        return page.evaluate("document.readyState === 'complete' && document.documentElement.lang")
    except Exception:  # the page is reloading: ask again
        return None


@only_chromium  # drives the in-process backend app and Playwright locators directly
def test_options_page_shows_this_device_and_unpairs_it(browser):
    backend = browser.backend
    other = backend.app.test_client().post("/v1/pair", json={"code": backend.pairing_code(), "device": "另一台电脑"})
    assert other.status_code == 201
    other_auth = {"Authorization": f"Bearer {other.get_json()['token']}"}
    mine = browser.token()

    page = _options(browser)
    page.wait_for_selector('#pair-status[data-state="paired"]')
    page.select_option("#language", "zh_CN")
    browser.wait(lambda: _lang(page) == "zh-CN", message="the page in Chinese")
    page.wait_for_selector("#devices-section:not([hidden]) #device-list li[data-current=true]")
    rows = page.locator("#device-list li")
    assert rows.count() == 2
    this = page.locator("#device-list li[data-current=true]")
    assert page.text_content("#devices-section h2") == "已配对的设备"
    assert "本设备" in this.inner_text() and "浏览器扩展" in this.inner_text() and "配对于" in this.inner_text()
    assert this.locator("button.unpair").inner_text() == "解除配对"
    # No raw codes in what the buyer reads.
    assert "extension" not in page.inner_text("#devices-section")

    # Remove the other device: its token stops working, the list shows this device alone.
    removed = page.locator("#device-list li[data-current=false]")
    assert "另一台电脑" in removed.inner_text() and removed.locator("button.revoke").inner_text() == "移除"
    removed.locator("button.revoke").click()
    browser.wait(lambda: page.locator("#device-list li").count() == 1, message="the other device to go")
    assert "另一台电脑" in page.text_content("#devices-status")
    assert backend.app.test_client().get("/v1/snapshots", headers=other_auth).status_code == 401

    # Unpair this device: ended on the backend, forgotten here.
    this.locator("button.unpair").click()
    page.wait_for_selector('#pair-status[data-state="not_paired"]')
    assert "已解除配对" in page.text_content("#pair-detail")
    assert browser.token() is None
    assert page.locator("#devices-section").is_hidden()
    client = backend.app.test_client()
    assert client.get("/v1/snapshots", headers={"Authorization": f"Bearer {mine}"}).status_code == 401
    assert browser.storage()["authState"] == "not_paired"
    page.close()

    # Pairing again works as before, and lists the new pairing as this device.
    pair(browser.context, browser.ext_id, backend)
    page = _options(browser)
    page.wait_for_selector("#device-list li[data-current=true]")
    assert page.locator("#device-list li").count() == 1 and browser.token() not in (None, mine)
    page.close()
