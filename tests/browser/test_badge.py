"""The badge comes first (issue 20): it does not share the capture's settle wait. A shop page of a
new platform shows "unknown" (in words) at once and its level after its own capture; a page of a
shop the extension already knows shows the judged level before its capture is made; a page URL too
long for GET /v1/risk is cut to fit; the badge is not in the captured screenshot's DOM. Each page
here keeps a clock ticking, so its capture waits its full settle limit after load."""
from __future__ import annotations

import pytest

from .pages import TICK_LONG_URL, TICK_ORDER_URL, TICK_PRODUCT_URL
from .test_page_security import _expected_level

pytestmark = pytest.mark.browser


def _level(browser, tab) -> str | None:
    badge = browser.badge(tab)
    return badge.level if badge else None


def _levels_shown(browser, tab) -> list[str]:
    """Every level the badge showed on this page, in order (the badge notes them inside its closed
    shadow root: the page itself learns none of them)."""
    badge = browser.badge(tab)
    return badge.levels if badge else []


def _handed_over(browser, url: str) -> bool:
    """Has the content script handed this page's capture to the worker (its timing note)?"""
    return (browser.storage("session").get("lastCaptureTiming") or {}).get("url") == url


def _captured(browser, url: str) -> list[dict]:
    return [item for item in browser.captures() if item["url"] == url]


def test_a_new_platform_shows_unknown_at_once_and_its_level_after_its_own_capture(browser):
    url = browser.shop_url(TICK_ORDER_URL)
    page = browser.visit(url)
    browser.wait(lambda: _level(browser, page), message="the badge")
    # The page has not settled (its clock ticks), so nothing of it was captured yet: the badge did
    # not wait for the capture, and says in words that the risk is not known.
    assert not _handed_over(browser, url) and not _captured(browser, url)
    assert _level(browser, page) == "unknown"
    assert "Risk unknown" in browser.badge(page).text
    # Its own capture gives the backend evidence (a Chinese shop page without an ICP filing): the
    # stored capture brings the badge its judged level.
    browser.wait(lambda: _captured(browser, url), message="the page's capture")
    browser.wait(lambda: _level(browser, page) not in (None, "unknown"), message="the judged level after the capture")
    assert _levels_shown(browser, page)[0] == "unknown" and _levels_shown(browser, page)[-1] == _level(browser, page)
    # The page itself learnt no level: its script saw only the host's popover attribute.
    seen = page.evaluate("document.documentElement.getAttribute('data-badge-seen')") or ""
    assert not any(level in seen for level in ("unknown", "low", "medium", "high")), seen
    # Asking for the badge early made no capture of its own: the page is captured exactly once.
    browser.wait(lambda: browser.queue_length() == 0, message="an empty queue")
    assert len(_captured(browser, url)) == 1
    page.close()


def test_a_known_shop_shows_its_level_before_the_capture(browser):
    order = browser.shop_url(TICK_ORDER_URL)
    if not _captured(browser, order):  # (when run on its own)
        first = browser.visit(order)
        browser.wait(lambda: _captured(browser, order), message="the first page's capture")
        first.close()
    judged = browser.api("/v1/risk", query_string={"url": browser.shop_url(TICK_PRODUCT_URL)}).get_json()
    assert judged["platform"]["level"] != "unknown"
    url = browser.shop_url(TICK_PRODUCT_URL)
    page = browser.visit(url)
    level = browser.wait(lambda: (lambda lv: lv if lv not in (None, "unknown") else None)(_level(browser, page)),
                         message="the badge with the platform's level")
    assert not _handed_over(browser, url) and not _captured(browser, url)
    assert level == _expected_level(judged)
    # A known platform's page waits for its answer: it never shows "unknown" first.
    assert _levels_shown(browser, page) == [level]
    browser.wait(lambda: _captured(browser, url), message="the page's own capture, later")
    page.close()


def test_a_page_url_too_long_for_the_risk_question_is_cut_to_fit(browser):
    order = browser.shop_url(TICK_ORDER_URL)
    if not _captured(browser, order):
        first = browser.visit(order)
        browser.wait(lambda: _captured(browser, order), message="the first page's capture")
        first.close()
    url = browser.shop_url(TICK_LONG_URL)
    assert len(url) > 3000
    page = browser.visit(url)
    # Had the whole URL been sent, the backend would have refused it (400) and the badge would
    # say it cannot reach the backend, with level unknown.
    browser.wait(lambda: _level(browser, page) not in (None, "unknown"), message="the badge's judged level")
    text = browser.badge(page).text
    assert "cannot be reached" not in text
    page.close()
