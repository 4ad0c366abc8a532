"""Shop pages are detected by what they are, never by the site's name: in real Chromium, the
detector over every page we have (fixture pages, the scrapers' held-out pages, shops in layouts
no fixture has, and pages that only talk about shops), then the extension end to end: unseen shop
layouts are captured, articles, forum threads and price blogs never leave the browser."""
from __future__ import annotations

import pytest

from .detection_pages import BLOG_URL, NOT_SHOPS, SHOPS, known_pages
from .harness import CHROMIUM, EXTENSION, serve_documents

pytestmark = pytest.mark.browser

DETECT = (EXTENSION / "src" / "content" / "detect.js").read_text(encoding="utf-8")


def _verdicts(playwright, pages: dict[str, tuple[str, bytes, bool]]) -> dict[str, dict]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless=new", "--no-sandbox"])
    try:
        page = browser.new_page()
        # Each page is served as the document of its own navigation (…/#/7/detail, …/#/7/pay too).
        show = serve_documents(page)
        out = {}
        for name, (url, body, _) in pages.items():
            show(url, body)
            page.goto("about:blank")
            page.goto(url, wait_until="domcontentloaded")
            page.add_script_tag(content=DETECT)
            out[name] = page.evaluate("KadunCS.detectShop(document, location, [])")
        return out
    finally:
        browser.close()


def test_the_detector_reads_the_page_not_the_site_name(playwright_instance):
    pages = known_pages()
    verdicts = _verdicts(playwright_instance, pages)
    wrong = {name: verdict for name, verdict in verdicts.items() if verdict["shop"] != pages[name][2]}
    assert wrong == {}
    for url in NOT_SHOPS:
        assert not verdicts[url]["reason"].startswith(("site_list", "structure", "system", "rules"))


_DETECT_PARSED = """({detect, pages}) => {
    if (!globalThis.KadunCS || !KadunCS.detectShop) new Function(detect)();
    const out = {};
    for (const [name, url, html] of pages) {
      const doc = new DOMParser().parseFromString(html, "text/html");
      out[name] = KadunCS.detectShop(doc, new URL(url), []);
    }
    return out;
}"""


def test_the_detector_reads_the_same_in_both_browsers(browser):
    """The same pages, parsed by each browser's own DOMParser and judged by the detector there."""
    pages = known_pages()
    tab = browser.visit(browser.shop_url(BLOG_URL))  # a page of no shop: a place to run the detector
    verdicts = {}
    names = list(pages)
    for start in range(0, len(names), 20):
        batch = [[name, pages[name][0], pages[name][1].decode("utf-8")] for name in names[start:start + 20]]
        verdicts.update(tab.evaluate(_DETECT_PARSED, {"detect": DETECT, "pages": batch}))
    tab.close()
    wrong = {name: verdict for name, verdict in verdicts.items() if verdict["shop"] != pages[name][2]}
    assert wrong == {}
    assert len(verdicts) == len(pages)


def _links_page(*hrefs: str) -> str:
    links = "".join(f'<li><a href="{href}">link {n}</a></li>' for n, href in enumerate(hrefs))
    return f"<!DOCTYPE html><html><head><title>t</title></head><body><ul>{links}</ul></body></html>"


# (page URL, its links' hrefs, the reason the detector must give): links are read as the URL parser
# reads them (the detector skips parsing hrefs that cannot hold a shop route; these must not be).
_LINK_CASES = {
    "newline-and-backslash": ("https://shop.example.com/p/5", ["/ord\ner/1", "\\cart\\"], "only:shop_nav"),
    "tab-in-query-word": ("https://shop.example.com/p/5", ["/x?mod=bu\ty", "/pay"], "only:shop_nav"),
    "relative-on-a-route-page": ("https://shop.example.com/goods/5", ["6", "?mod=buy"], "structure:route+shop_nav"),
    "fragment-routes": ("https://spa.example.com/", ["#/7/pay", "#!/order/3"], "only:shop_nav"),
    "other-sites-and-plain-paths": ("https://shop.example.com/p/5",
                                    ["/about", "/help/faq", "https://other.example.com/order/1",
                                     "https://other.example.com/cart"], "no_marker"),
    "one-route-repeated": ("https://shop.example.com/p/5", ["/order/1", "/order/1", "/order/2"], "no_marker"),
}


def test_links_are_read_as_the_url_parser_reads_them(browser):
    tab = browser.visit(browser.shop_url(BLOG_URL))
    cases = [[name, url, _links_page(*hrefs)] for name, (url, hrefs, _) in _LINK_CASES.items()]
    verdicts = tab.evaluate(_DETECT_PARSED, {"detect": DETECT, "pages": cases})
    tab.close()
    assert {name: verdict["reason"] for name, verdict in verdicts.items()} == {
        name: reason for name, (_, _, reason) in _LINK_CASES.items()}


def _captures_of(browser, url: str) -> list[dict]:
    return [item for item in browser.captures() if item["url"] == url]


def test_unseen_shop_layouts_are_captured(browser):
    for url in map(browser.shop_url, SHOPS):  # (Firefox gets shop pages over plain http)
        page = browser.visit(url)
        browser.wait(lambda url=url: _captures_of(browser, url), message=f"the capture of {url}")
        page.close()
    order = _captures_of(browser, browser.shop_url(next(iter(SHOPS))))[0]
    assert browser.api(f"/v1/snapshots/{order['id']}").get_json()["facts"]["page_kind"] == "order"


def _skipped(browser) -> dict:
    return browser.storage("session").get("lastCaptureSkipped") or {}


def test_pages_about_shops_never_leave_the_browser(browser):
    before = len(browser.captures())
    risk_asked = browser.backend.risk_requests()
    for url in map(browser.shop_url, NOT_SHOPS):
        page = browser.visit(url)
        # The content script's verdict on this page (kept in the browser's session storage only).
        browser.wait(lambda url=url: _skipped(browser).get("url") == url, message=f"the verdict on {url}")
        assert _skipped(browser)["reason"].startswith("not_shop:")
        assert not page.evaluate("!!document.querySelector('kadun-badge')")
        page.close()
    browser.wait(lambda: browser.queue_length() == 0, message="an empty queue")
    assert len(browser.captures()) == before
    assert not [url for url in NOT_SHOPS if _captures_of(browser, browser.shop_url(url))]
    # Not even the badge's question: no page of these sites caused a request to the backend (each
    # page's verdict came after its settle wait, long after its document_start question).
    assert browser.backend.risk_requests() == risk_asked


def test_the_badge_on_an_order_page_shows_the_orders_deadlines(browser):
    """The badge reads the order's windows from GET /v1/risk (the judgement the dispute plan reads)."""
    pages = browser.pages
    terms = browser.visit(pages["xingchen-km-terms.html"])
    browser.wait(lambda: _captures_of(browser, pages["xingchen-km-terms.html"]), message="the terms page's capture")
    terms.close()
    url = pages["xingchen-km-order.html"]
    order = browser.visit(url)
    browser.wait(lambda: _captures_of(browser, url), message="the order page's capture")
    risk = browser.api("/v1/risk", query_string={"url": url}).get_json()
    dated = [w for w in risk["order"]["windows"] if w["deadline"]]
    assert dated, risk["order"]
    order.reload()  # the badge of a page whose capture is stored
    names = [w["name"]["zh"] for w in dated] + [w["name"]["en"] for w in dated]

    def shown():
        badge = browser.badge(order)
        text = badge.text if badge else ""
        return any(name in text for name in names) and text

    text = browser.wait(shown, message="the order's deadlines on the badge")
    assert any(w["basis"]["rule"]["zh"] in text or w["basis"]["rule"]["en"] in text for w in dated)
    order.close()


_LONG_THREAD = """({detect, url}) => {
    if (!globalThis.KadunCS || !KadunCS.detectShop) new Function(detect)();
    const replies = Array.from({length: 6000}, (_, i) => `<p>回复 ${i}：卡密还能用吗</p>`).join("");
    const order = `<dl><dt>订单号</dt><dd>KM2026112300417</dd><dt>实付金额</dt><dd>¥ 88.00</dd></dl>`;
    const doc = new DOMParser().parseFromString(
      `<!DOCTYPE html><html><body><div class="comment-list">${replies}</div>${order}</body></html>`, "text/html");
    return KadunCS.detectShop(doc, new URL(url), []);
}"""


def test_an_order_after_thousands_of_replies_is_still_read(browser):
    """The walk's bound (5,000 text nodes) counts the text it reads: replies (prose) are stepped
    over whole, so an order's facts after 6,000 of them are still found."""
    tab = browser.visit(browser.shop_url(BLOG_URL))
    verdict = tab.evaluate(_LONG_THREAD, {"detect": DETECT, "url": "https://www.example-km.com/detail/1"})
    tab.close()
    assert verdict == {"shop": True, "reason": "structure:order_label+order_number"}

