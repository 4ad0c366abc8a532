"""A quota refuses a capture: the extension keeps it queued (nothing dropped), says why in the
buyer's language with the backend's own words (no codes), and sends it once the quota allows,
stored exactly once. Chromium and Firefox."""
from __future__ import annotations

import pytest

from server import quotas
from server.storage import quotas as quota_store
from server.storage import users

pytestmark = pytest.mark.browser

RAW_CODES = ("captures_per_day", "bytes_stored", "rate_limited", "too_large", "429", "413", "quota ")


def _held(browser, url: str):
    items = [i for i in browser.queue_items() if i["url"] == url]
    return items if items and (items[0]["last_error"] or "").startswith("quota") else None


def _refused_then_let_in(browser, file: str, quota: str, limit_now, limit_later, words: str, row_words: str):
    r = browser.backend.redis
    user = users.default_user(r)
    browser.probe.evaluate("chrome.storage.local.set({language: 'zh_CN'})")  # Chinese first
    quota_store.set_override(r, user, quota, limit_now(r, user))
    url = browser.pages[file]
    page = browser.visit(url)
    held = browser.wait(lambda: _held(browser, url), timeout=60, message="the capture refused by the quota, still queued")
    assert len(held) == 1
    notice = browser.wait(lambda: browser.storage().get("quotaNotice"), message="the quota notice")
    assert notice["name"] == quota and words in notice["messages"]["zh"] and notice["messages"]["en"]
    assert not [c for c in browser.captures() if c["url"] == url], "nothing of it reached the backend"

    host = url.split("/")[2].split(":")[0]
    popup = browser.new_tab(browser.ext_url(f"src/popup/popup.html?host={host}"))
    popup.wait_for_selector("body[data-ready=true]")
    note = browser.wait(lambda: (popup.text_content("#quota-note") or "").strip(), message="the popup's quota note")
    assert words in note and "不会丢失" in note, note
    assert not any(code in note for code in RAW_CODES), note
    assert int(popup.text_content("#queue-length")) >= 1
    popup.close()

    options = browser.new_tab(browser.ext_url("options.html"))
    options.wait_for_selector(f'#quota-list li[data-quota="{quota}"]')
    row = options.text_content(f'#quota-list li[data-quota="{quota}"]')
    assert row_words in row and "已满" in row, row
    listed = options.text_content("#quota-list")
    assert not any(code in listed for code in RAW_CODES[:4]), listed
    assert words in options.text_content("#quota-note")
    options.close()

    quota_store.set_override(r, user, quota, limit_later(r, user))
    browser.probe.evaluate("chrome.runtime.sendMessage({type: KadunMessages.UI_TO_BG.DRAIN})")
    browser.wait(lambda: not [i for i in browser.queue_items() if i["url"] == url], timeout=60,
                 message="the held capture to go in")
    assert len([c for c in browser.captures() if c["url"] == url]) == 1, "stored exactly once"
    browser.wait(lambda: browser.storage().get("quotaNotice") is None, message="the notice to clear")
    quota_store.clear_override(r, user, quota)
    page.close()


def test_a_capture_over_the_days_quota_waits_in_the_queue_and_goes_in_later(browser):
    day = quotas.today()
    _refused_then_let_in(
        browser, "acg-faka-order.html", "captures_per_day",
        limit_now=lambda r, u: quota_store.day_used(r, u, "captures_per_day", day),
        limit_later=lambda r, u: quota_store.day_used(r, u, "captures_per_day", day) + 10,
        words="今日存证已达上限", row_words="每日存证")


def test_a_capture_over_the_space_quota_waits_in_the_queue_and_goes_in_later(browser):
    _refused_then_let_in(
        browser, "qs-faka-order.html", "bytes_stored",
        limit_now=lambda r, u: quota_store.bytes_used(r, u),
        limit_later=lambda r, u: quota_store.bytes_used(r, u) + 64 * 1024 * 1024,
        words="存储空间已满", row_words="存储空间")
