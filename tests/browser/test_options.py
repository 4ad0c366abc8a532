"""The options page: pairing states (paired / not paired / unreachable) and the user's site list."""
from __future__ import annotations

import json

import pytest

from server.evidence.hashing import sha256_hex
from server.storage import keys

from .harness import free_port

pytestmark = pytest.mark.browser


def _options(browser):
    return browser.new_tab(browser.ext_url("options.html"))


def test_pairing_states(browser):
    page = _options(browser)
    page.wait_for_selector('#pair-status[data-state="paired"]')
    assert page.input_value("#backend-url") == browser.backend.url

    # A wrong code on a live backend: not paired, and the old pairing is kept.
    page.fill("#pairing-code", "ZZZZ2222")
    page.click("#pair")
    page.wait_for_selector('#pair-status[data-state="not_paired"]')
    assert browser.token(), "a failed pairing does not forget the working one"

    # Nobody listens at this address: unreachable.
    page.fill("#backend-url", f"http://127.0.0.1:{free_port()}")
    page.fill("#pairing-code", "ABCD2345")
    page.click("#pair")
    page.wait_for_selector('#pair-status[data-state="unreachable"]')
    assert browser.storage()["backendUrl"] == browser.backend.url

    # The right code again: paired.
    page.fill("#backend-url", browser.backend.url)
    page.fill("#pairing-code", browser.backend.pairing_code())
    page.click("#pair")
    page.wait_for_selector('#pair-status[data-state="paired"]')
    page.close()
    # The backend knows the device by the browser's name (Firefox has no navigator.userAgentData).
    record = json.loads(browser.backend.redis.get(keys.token(sha256_hex(browser.token().encode()))))
    assert record["name"].startswith({"chromium": "Chromium", "firefox": "Firefox"}[browser.name]), record


def test_site_list_adds_a_site_that_is_not_recognised_by_itself(browser):
    url = browser.pages["news-article-kameng-scams.html"]
    page = _options(browser)
    page.fill("#site-list", "https://news.anxin-xiaofei.cn/\n  not a host ?? \nEXAMPLE.org")
    page.click("#save-sites")
    browser.wait(lambda: browser.storage().get("sites") == ["news.anxin-xiaofei.cn", "example.org"],
                 message="the site list to be saved")
    assert page.input_value("#site-list") == "news.anxin-xiaofei.cn\nexample.org"
    article = browser.visit(url)
    browser.wait(lambda: [i for i in browser.captures() if i["url"] == url], message="the listed site's capture")
    article.close()
    page.close()


def _lang(page):
    try:
        return page.evaluate("document.readyState === 'complete' && document.documentElement.lang")
    except Exception:  # the page is reloading: ask again
        return None


def test_language_switch_shows_chinese_in_pages_and_badge(browser):
    page = _options(browser)
    page.wait_for_selector('#pair-status[data-state="paired"]')
    page.select_option("#language", "zh_CN")
    browser.wait(lambda: _lang(page) == "zh-CN", message="the page in Chinese")
    page.wait_for_selector('#pair-status[data-state="paired"]')
    assert page.text_content("#pair-status") == "已配对"
    assert page.text_content("#pair") == "配对"

    shop = browser.visit(browser.pages["acg-faka-item.html"])
    browser.wait(lambda: shop.evaluate("!!document.querySelector('kadun-badge')"), message="the badge")
    texts = browser.badge(shop).text
    assert "卡盾 · " in texts and "风险" in texts

    page.select_option("#language", "en")
    browser.wait(lambda: _lang(page) == "en", message="the page in English")
    page.wait_for_selector('#pair-status[data-state="paired"]')
    assert page.text_content("#pair-status") == "Paired"
    shop.close()
    page.close()


def test_the_options_page_says_when_firefox_will_remove_a_temporary_add_on(browser):
    """A temporary add-on loses its pairing and queue when Firefox closes (Chrome keeps an unpacked
    extension): the options page says so in Firefox, and only there."""
    page = _options(browser)
    page.wait_for_selector('#pair-status[data-state="paired"]')
    install = page.evaluate("chrome.management.getSelf().then((s) => s.installType)")
    assert install == "development"
    temporary = browser.name == "firefox"
    browser.wait(lambda: page.evaluate("!document.getElementById('temporary-note').hidden") == temporary,
                 message="the temporary add-on note")
    text = page.text_content("#temporary-note")
    assert "about:debugging" in text and ("Firefox" in text)


def test_pairing_pins_the_extension_and_its_requests_carry_ids(browser):
    from server.storage import origins

    # Pairing through the options page pinned this extension's origin (and only it).
    assert browser.ext_origin in origins.pinned(browser.backend.redis)
    page = _options(browser)
    page.wait_for_selector('#pair-status[data-state="paired"]')
    echoed = page.evaluate("""(async () => {
        const api = await import(chrome.runtime.getURL("src/shared/api.js"));
        const response = await api.request("/v1/snapshots?limit=1", {raw: true});
        return response.headers.get("X-Request-ID");
    })()""")
    # The extension's own id for the request, echoed (and logged) by the backend.
    assert echoed and echoed.startswith("ext-") and len(echoed) > 20, echoed
    page.close()


def test_sign_in_on_a_backend_without_accounts_says_to_pair_and_keeps_the_pairing(browser):
    """"登录卡盾" against a backend run by its owner (local mode): no sign-in window, a message
    naming `kadun pair`, and the existing pairing untouched."""
    token = browser.token()
    page = _options(browser)
    page.wait_for_selector('#pair-status[data-state="paired"]')
    page.click("#signin")
    browser.wait(lambda: "kadun pair" in (page.text_content("#pair-detail") or ""), message="the no-accounts note")
    assert page.get_attribute("#pair-status", "data-state") == "paired"
    assert browser.token() == token
    page.close()
