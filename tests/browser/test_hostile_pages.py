"""A shop page attacking the content script from the main world (in Chromium and Firefox): DOM
clobbering of the Document's members, redefined globals and prototypes, endless mutations. The
capture is still the page, whole, with its facts; the badge still comes."""
from __future__ import annotations

import pytest

from .hostile_pages import (
    BADGE_URL,
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


def _corner_has_the_pill(png: bytes) -> bool:
    """The bottom-right corner of a screenshot (where the badge sits, under the page's white sheet)
    holds coloured pixels: the pill is drawn over everything the page put there."""
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    width, height = image.size
    corner = image.crop((max(0, width - 320), max(0, height - 90), width, height))
    colours = corner.getcolors(corner.width * corner.height) or []
    return any(max(pixel) - min(pixel) > 60 or max(pixel) < 160 for _, pixel in colours)


def test_a_page_cannot_hide_cover_or_remove_the_badge_nor_see_when_it_is_photographed(browser, tmp_path):
    served = browser.shop_url(BADGE_URL)
    page = browser.visit(served)
    detail = _capture(browser, BADGE_URL)
    assert detail["screenshot_sha256"], "the tab was photographed"
    browser.wait(lambda: (page.evaluate("window.__seen") or {}).get("covered"), message="the page's attacks")
    browser.wait(lambda: _badges(browser, page) == 1, message="the badge put back after the page removed it")
    badge = browser.badge(page)
    assert badge.levels and set(badge.host_attributes) <= {"popover"}, badge.host_attributes
    assert not badge.hidden_for_shot, "the badge came back after the screenshot"
    # Nothing on the host changed while the tab was photographed (nor ever): the page cannot tell
    # when the camera looks, and it reads no level.
    assert page.evaluate("window.__seen").get("attributes") == []
    # Its box has one size, whatever the level ("unknown" first, then the judged one): no side channel.
    browser.wait(lambda: browser.badge(page).levels[-1] != "unknown", message="the judged level")
    page.evaluate("document.body.appendChild(document.createElement('i'))")  # (one more look by the page)
    assert len(browser.wait(lambda: page.evaluate("window.__seen").get("sizes"), message="the sizes seen")) == 1
    # Drawn on top of the page's white sheet, despite its style sheet.
    shot = tmp_path / "tab.png"
    page.screenshot(shot)
    assert _corner_has_the_pill(shot.read_bytes()), "the badge is hidden or covered"
    # And the toolbar button, out of the page's reach, carries the same level.
    marks = {"unknown": ("?",), "low": ("低", "LOW"), "medium": ("中", "MED"), "high": ("高", "HIGH")}

    def toolbar():
        text = browser.probe.evaluate("""async (url) => {
            const [tab] = (await chrome.tabs.query({})).filter((t) => t.url === url);
            return tab ? chrome.action.getBadgeText({tabId: tab.id}) : null; }""", served)
        current = browser.badge(page).level
        return text if text and text in marks.get(current, ()) else None

    browser.wait(toolbar, message="the toolbar button marked with the badge's level")
    page.close()
