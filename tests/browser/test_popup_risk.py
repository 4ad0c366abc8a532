"""The popup says what the current tab's site risks, in Chromium and Firefox: for a risky shop's
page, the level the page's badge and the toolbar show (the worker's kept answer, no second
question), in words, with the reasons quoted from the shop's own pages; for a site that is not a
shop, for a tab with no web page and with the backend unreachable, a plain sentence instead of a
level. Zh-CN and English, read as the screen audit reads every screen, at 360 px in Chromium; in
Chromium also the real toolbar popup over the active tab, after the service worker was stopped."""
from __future__ import annotations

import json

import pytest

from .driver import only_chromium
from .harness import extension_worker
from .pages import TICK_ORDER_URL
from .screens import audit
from .test_page_security import _expected_level
from .test_queue import _stop_worker

pytestmark = pytest.mark.browser
RISKY = "risky-shop-order.html"
ARTICLE = "news-article-kameng-scams.html"
WORDS = {"zh_CN": {"high": "高风险", "medium": "中风险", "low": "低风险"},
         "en": {"high": "High risk", "medium": "Medium risk", "low": "Low risk"}}


def _tab_id(browser, url: str) -> int:
    return browser.wait(lambda: browser.probe.evaluate(
        "async (url) => ((await chrome.tabs.query({})).find((t) => t.url === url) || {}).id ?? null", url),
        message=f"the tab of {url}")


def _language(browser, language: str) -> None:
    browser.probe.evaluate("(language) => chrome.storage.local.set({language})", language)


def _popup(browser, tab_id: int):
    popup = browser.new_tab(browser.ext_url(f"src/popup/popup.html?tab={tab_id}"))
    popup.wait_for_selector("body[data-ready=true]")
    return popup


def _risk_box(popup) -> dict:
    return popup.evaluate("""() => { const box = document.getElementById("site-risk");
        return {state: box.dataset.state, level: box.dataset.level, source: box.dataset.source, hidden: box.hidden,
                busy: box.getAttribute("aria-busy"), summary: box.querySelector(".risk-summary").textContent.trim(),
                text: box.innerText,
                role: box.querySelector(".risk-summary").getAttribute("role"),
                named_by: document.getElementById(box.getAttribute("aria-labelledby")).textContent,
                quotes: [...box.querySelectorAll("ul.reasons li q")].map((q) => q.textContent),
                codes: [...box.querySelectorAll("ul.reasons li")].map((li) => li.dataset.code),
                marks: [...box.querySelectorAll("ul.reasons .mark[role=img]")].map((m) => m.getAttribute("aria-label"))}; }""")


def _clean(browser, popup, where: str, tmp_path) -> None:
    if browser.name == "chromium":
        # A popup is as wide as its content (340 px of it); the narrowest a buyer sees is 360 px.
        popup.page.set_viewport_size({"width": 360, "height": 600})
        popup.screenshot(tmp_path / f"{where.replace(' ', '-')}.png")
    found = audit(popup)
    assert not found, f"{where}: {found}"


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_popup_shows_a_risky_shops_level_with_its_reasons_quoted(browser, language, tmp_path, caplog):
    url = browser.pages[RISKY]
    page = browser.visit(url)
    browser.wait(lambda: [i for i in browser.captures() if i["url"] == url], message="the shop page's capture")
    risk = browser.wait(lambda: (lambda r: r if _expected_level(r) != "unknown" else None)(
        browser.api("/v1/risk", query_string={"url": url}).get_json()), message="the judged risk")
    level = _expected_level(risk)
    assert level == "high"   # (the fixture: no deposit, no compensation, pay outside the platform)
    browser.wait(lambda: (browser.badge(page) or None) and browser.badge(page).level == level,
                 message="the badge with the judged level")
    _language(browser, language)
    try:
        tab_id = _tab_id(browser, url)
        caplog.clear()
        popup = _popup(browser, tab_id)
        shown = _risk_box(popup)
        if browser.name == "chromium":   # (its backend runs in this process: its request log is ours)
            assert "/v1/risk" not in caplog.text
        # The badge's own answer, kept by the worker for this tab: no second question to the backend.
        assert (shown["state"], shown["level"], shown["source"], shown["busy"]) == ("judged", level, "cached", "false")
        assert shown["summary"].startswith(WORDS[language][level]), shown["summary"]
        assert shown["role"] == "status" and shown["named_by"] == ("本站风险" if language == "zh_CN" else "This site's risk")
        # The reasons, quoted verbatim from the shop's pages as the backend judged them.
        quotes = {e["quote"] for s in (risk["platform"], risk["seller"] or {}) for sig in s.get("signals", [])
                  for e in sig["evidence"] if e.get("quote")}
        assert shown["quotes"] and set(shown["quotes"]) <= quotes, (shown["quotes"], quotes)
        assert all("_" not in text for text in shown["text"].split()), shown["text"]   # no raw codes
        assert shown["marks"] and set(shown["marks"]) <= ({"使风险更高", "使风险更低"} if language == "zh_CN"
                                                          else {"raises the risk", "lowers the risk"})
        _clean(browser, popup, f"popup risky shop {language}", tmp_path)
        popup.close()
    finally:
        _language(browser, "auto")
    page.close()


def test_the_popup_says_plainly_when_there_is_no_shop_to_judge(browser, tmp_path):
    # A news article about card shops: not a shop page, so nothing is asked about its site.
    url = browser.pages[ARTICLE]
    page = browser.visit(url)
    browser.wait(lambda: (browser.storage("session").get("lastCaptureSkipped") or {}).get("url") == url,
                 message="the detector's verdict on the article")
    _language(browser, "zh_CN")
    try:
        popup = _popup(browser, _tab_id(browser, url))
        shown = _risk_box(popup)
        assert (shown["state"], shown["level"], shown["quotes"]) == ("not_shop", "", [])
        assert "认出" in shown["summary"] and "没有查询它的风险" in shown["summary"]
        _clean(browser, popup, "popup not a shop", tmp_path)
        popup.close()
        # The asking did not make the article's site a shop, nor mark the toolbar.
        assert page.evaluate("location.hostname") not in (browser.storage("local").get("shopHosts") or {})

        # A tab with no web page (the extension's own options page).
        popup = _popup(browser, _tab_id(browser, browser.probe.evaluate("location.href")))
        assert _risk_box(popup)["state"] == "not_web" and "不是网站" in _risk_box(popup)["summary"]
        assert popup.evaluate("document.getElementById('site-section').hidden")   # no site, no site's captures
        popup.close()
    finally:
        _language(browser, "auto")
    page.close()


def test_the_popup_says_when_kadun_knows_nothing_of_a_shop_yet(browser, tmp_path):
    # Paused: the shop page shows its badge but is not captured, so its platform stays unjudged.
    url = browser.shop_url(TICK_ORDER_URL)
    browser.probe.evaluate("chrome.storage.local.set({paused: true, language: 'zh_CN'})")
    try:
        page = browser.visit(url)
        browser.wait(lambda: (browser.storage("session").get("lastCaptureSkipped") or {}).get("url") == url,
                     message="the paused page's note")
        tab_id = _tab_id(browser, url)
        browser.wait(lambda: browser.storage("session").get(f"tabRisk.{tab_id}"), message="the badge's answer kept")
        assert browser.badge(page).level == "unknown"
        popup = _popup(browser, tab_id)
        shown = _risk_box(popup)
        assert (shown["state"], shown["level"], shown["source"]) == ("unknown", "unknown", "cached")
        assert shown["summary"].startswith("风险未知") and "还不了解这家店" in shown["text"]
        _clean(browser, popup, "popup unknown shop", tmp_path)
        popup.close()
        page.close()
    finally:
        browser.probe.evaluate("chrome.storage.local.set({paused: false, language: 'auto'})")


def test_the_popup_says_when_the_backend_cannot_be_reached(browser):
    url = browser.pages[RISKY]
    page = browser.visit(url)
    browser.wait(lambda: (browser.badge(page) or None) and browser.badge(page).level not in (None, "unknown"),
                 message="the badge with a level")
    tab_id = _tab_id(browser, url)
    backend = browser.storage("local").get("backendUrl")
    # Nothing listens on port 9 of the loopback; the kept answer is dropped so the popup must ask.
    browser.probe.evaluate("(id) => chrome.storage.session.remove('tabRisk.' + id)", tab_id)
    browser.probe.evaluate("chrome.storage.local.set({backendUrl: 'http://127.0.0.1:9', language: 'en'})")
    try:
        popup = _popup(browser, tab_id)
        shown = _risk_box(popup)
        assert (shown["state"], shown["source"]) == ("unreachable", "asked")
        assert "cannot be reached" in shown["summary"] and not shown["quotes"]
        popup.close()
    finally:
        browser.probe.evaluate("(url) => chrome.storage.local.set({backendUrl: url, language: 'auto'})", backend)
    # Back online, the popup asks the same way the badge does and keeps the answer for the next time.
    popup = _popup(browser, tab_id)
    assert (_risk_box(popup)["state"], _risk_box(popup)["source"]) == ("judged", "asked")
    popup.close()
    popup = _popup(browser, tab_id)
    assert _risk_box(popup)["source"] == "cached"
    popup.close()
    page.close()


def _toolbar_popup_state(browser, over) -> dict:
    """Open the real toolbar popup (chrome.action.openPopup) over tab ``over`` and read its risk
    box through the DevTools protocol (the popup is a target of its own, not a Playwright page)."""
    over.page.bring_to_front()
    assert extension_worker(browser.context).evaluate("chrome.action.openPopup().then(() => true)")
    cdp = browser.context.new_cdp_session(over.page)
    try:
        target = browser.wait(lambda: next((t for t in cdp.send("Target.getTargets")["targetInfos"]
                                            if t["url"] == browser.ext_url("src/popup/popup.html")), None),
                              message="the toolbar popup")
        session = cdp.send("Target.attachToTarget", {"targetId": target["targetId"], "flatten": False})["sessionId"]
        answers = {}
        cdp.on("Target.receivedMessageFromTarget",
               lambda event: answers.update({(m := json.loads(event["message"])).get("id"): m}))
        expression = """document.body.dataset.ready === "true" && JSON.stringify({
            state: document.getElementById("site-risk").dataset.state,
            level: document.getElementById("site-risk").dataset.level,
            source: document.getElementById("site-risk").dataset.source})"""

        def ask():
            ask.n += 1
            cdp.send("Target.sendMessageToTarget", {"sessionId": session, "message": json.dumps(
                {"id": ask.n, "method": "Runtime.evaluate", "params": {"expression": expression, "returnByValue": True}})})
            value = browser.wait(lambda: answers.get(ask.n), message="the popup's answer")["result"]["result"].get("value")
            return json.loads(value) if value else None
        ask.n = 0
        return browser.wait(ask, message="the toolbar popup ready")
    finally:
        cdp.detach()


@only_chromium
def test_the_toolbar_popup_speaks_of_the_active_tab(browser):
    """No ?tab=: the popup the toolbar opens reads the active tab of its window. The kept answer
    outlives the service worker (stopped here, as the browser stops it when idle)."""
    url = browser.pages[RISKY]
    page = browser.visit(url)
    browser.wait(lambda: (browser.badge(page) or None) and browser.badge(page).level == "high",
                 message="the badge with the judged level")
    _stop_worker(browser)
    popup = _popup(browser, _tab_id(browser, url))   # (its question wakes the worker)
    assert (_risk_box(popup)["state"], _risk_box(popup)["source"]) == ("judged", "cached")
    popup.close()
    assert _toolbar_popup_state(browser, page) == {"state": "judged", "level": "high", "source": "cached"}
    page.close()
