"""The badge on seller pages, and what a hostile page can get from the extension: nothing (in
Chromium and Firefox)."""
from __future__ import annotations

import json

import pytest

from .driver import only_chromium
from .pages import FAKE_MARKER, HOSTILE_URL, PASSWORD_ATTR_SECRET, PASSWORD_TYPED_SECRET

pytestmark = pytest.mark.browser

ORDER = {"unknown": 0, "low": 1, "medium": 2, "high": 3}


def _expected_level(risk: dict) -> str:
    level = "unknown"
    for subject in (risk.get("platform"), risk.get("seller")):
        if subject and ORDER.get(subject.get("level"), 0) > ORDER[level]:
            level = subject["level"]
    return level


def test_badge_shows_the_backend_level_in_a_shadow_root(browser):
    url = browser.pages["xingchen-km-shop.html"]
    page = browser.visit(url)
    # The profile is built from captures: first this page's capture, then the badge refreshes.
    browser.wait(lambda: [i for i in browser.captures() if i["url"] == url], message="the shop page's capture")

    def agreed():
        response = browser.api("/v1/risk", query_string={"url": url})
        if response.status_code != 200:
            return None
        level = _expected_level(response.get_json())
        if level == "unknown":
            # The capture is listed as soon as it is chained; its profile update follows in the
            # same request a moment later. Wait for the judged level.
            return None
        badge = browser.badge(page)
        shown = badge.level if badge else None
        return (level, response.get_json()) if shown == level else None

    level, risk = browser.wait(agreed, message="the badge to show the backend's level")
    badge = browser.badge(page)
    assert badge is not None and badge.mode == "closed"
    assert page.evaluate("document.querySelector('kadun-badge').shadowRoot") is None
    assert badge.light_children == 0, "nothing of the badge is in the page's own DOM"

    page.click("kadun-badge")
    opened = browser.badge(page)
    texts = opened.text
    assert "open" in opened.wrap_classes, "clicking opens the panel"
    quotes = [ev["quote"] for subject in (risk["platform"], risk.get("seller")) if subject
              for signal in subject.get("signals", []) for ev in signal.get("evidence", [])[:1] if ev.get("quote")]
    for quote in quotes:
        assert quote in texts
    # The last capture's warnings, each with its deadline when it has one.
    capture = [i for i in browser.captures() if i["url"] == url][0]
    warnings = browser.api(f"/v1/snapshots/{capture['id']}").get_json()["warnings"]
    for warning in warnings:
        assert warning["message"]["en"] in texts
    assert texts.count("Deadline:") == sum(1 for w in warnings if w.get("deadline"))
    # A storefront showing deposit, advance compensation and ICP is not "unknown" to the backend.
    assert level in {"low", "medium", "high"}, risk
    assert quotes, "the backend's reasons carry quotes, and the badge lists them"
    # The score with its scale in words ("(37)" alone meant nothing), and what ▲ and ▼ mean.
    for subject in (risk["platform"], risk.get("seller")):
        if subject and subject.get("score") is not None:
            assert f"risk score {subject['score']}/100" in texts, texts
    assert "▲ raises the risk, ▼ lowers it" in texts
    page.close()


@only_chromium
def test_the_badge_names_itself_to_a_screen_reader(browser):
    """What a screen reader hears of the badge (Chromium's accessibility tree, which reaches into
    the closed shadow root): the pill says what it opens, the open panel has a name, and each ▲ / ▼
    reads as words, not as "black up-pointing triangle"."""
    url = browser.pages["xingchen-km-shop.html"]
    page = browser.visit(url)
    browser.wait(lambda: (browser.badge(page) or None) and browser.badge(page).level not in (None, "unknown"),
                 message="the badge's judged level")
    page.click("kadun-badge")
    browser.wait(lambda: "open" in browser.badge(page).wrap_classes, message="the open panel")
    cdp = page.context.new_cdp_session(page.page)
    nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]

    def named(role: str) -> list[str]:
        return [(n.get("name") or {}).get("value", "") for n in nodes
                if (n.get("role") or {}).get("value") == role and not n.get("ignored")]

    assert "KaDun risk details" in named("dialog")
    pill = [n for n in nodes if (n.get("role") or {}).get("value") == "button"
            and (n.get("name") or {}).get("value", "").startswith("KaDun · ")]
    assert pill and any(p.get("name", {}).get("value", "").endswith(("risk", "Risk unknown")) for p in pill)
    # The marks inside the panel (the shop page's own images are in the tree too).
    by_id = {n["nodeId"]: n for n in nodes}
    [dialog] = [n for n in nodes if (n.get("role") or {}).get("value") == "dialog"
                and (n.get("name") or {}).get("value") == "KaDun risk details"]
    inside, todo = [], list(dialog.get("childIds", []))
    while todo:
        node = by_id.get(todo.pop())
        if node:
            inside.append(node)
            todo += node.get("childIds", [])
    marks = [(n.get("name") or {}).get("value", "") for n in inside
             if (n.get("role") or {}).get("value") in ("image", "img") and not n.get("ignored")]
    assert marks and set(marks) <= {"raises the risk", "lowers the risk"}, marks
    assert not any("triangle" in (n.get("name") or {}).get("value", "") for n in inside)
    cdp.detach()
    # Escape closes the panel and gives the keyboard back to the pill.
    page.page.keyboard.press("Escape")
    browser.wait(lambda: "open" not in browser.badge(page).wrap_classes, message="the panel closed by Escape")
    page.close()


def test_badge_lists_the_last_capture_warnings_with_their_deadlines(browser):
    url = browser.pages["qs-faka-order.html"]
    page = browser.visit(url)
    capture = browser.wait(lambda: [i for i in browser.captures() if i["url"] == url], message="the order's capture")[0]

    def judged():
        # The capture is listed once it is chained; its warnings are stored a moment later in the
        # same request (after the judgement). This order page has a reporting window, so one of
        # them carries a deadline.
        found = browser.api(f"/v1/snapshots/{capture['id']}").get_json()["warnings"]
        return found if any(w.get("deadline") for w in found) else None

    warnings = browser.wait(judged, message="the capture's warnings, one with the reporting window's deadline")
    with_deadline = [w for w in warnings if w.get("deadline")]

    def panel_texts():
        badge = browser.badge(page)
        texts = badge.text if badge else ""
        return texts if all(w["message"]["en"] in texts for w in warnings) else None

    texts = browser.wait(panel_texts, message="the badge to list the capture's warnings")
    assert texts.count("Deadline:") == len(with_deadline)
    page.close()


def test_a_hostile_page_gets_nothing_from_the_extension(browser):
    hostile = browser.shop_url(HOSTILE_URL)
    page = browser.visit(f"{hostile}#ext={browser.ext_id}&origin={browser.ext_origin}")
    captured = browser.wait(lambda: [i for i in browser.captures() if i["url"].startswith(hostile)],
                            message="the hostile shop page's own capture")
    probe = browser.wait(lambda: (lambda p: p if p and p.get("done") else None)(page.evaluate("window.__probe")),
                         message="the page's probes to finish")
    assert probe["messages"] == [], "nothing answered the page's postMessage or port"
    assert probe.get("sendMessageReply") in (None,), probe
    assert probe["chromeRuntime"] != "function" or probe.get("sendMessageReply") is None
    assert set(probe["fetches"].values()) == {"blocked"}, probe["fetches"]
    assert probe["badgeShadow"] is None and probe["badgeText"] == ""
    assert probe["globals"] == ["undefined", "undefined"]

    # Its fake capture requests were ignored; its one real capture carries no password value.
    assert len(captured) == 1
    html = browser.api(f"/v1/snapshots/{captured[0]['id']}/html").get_data(as_text=True)
    assert "HK20261124000001" in html
    assert FAKE_MARKER not in html
    assert PASSWORD_ATTR_SECRET not in html and PASSWORD_TYPED_SECRET not in html
    for item in browser.captures():
        body = browser.api(f"/v1/snapshots/{item['id']}/html").get_data(as_text=True)
        assert FAKE_MARKER not in body
    page.close()


@only_chromium
def test_the_worker_answers_each_kind_of_sender_only_its_own_messages(browser):
    """A content script (a page's renderer) cannot use the extension pages' messages, and an
    extension page gets no answer to content-script messages."""
    page = browser.visit(browser.pages["acg-faka-order.html"])
    browser.wait(lambda: page.evaluate("!!document.querySelector('kadun-badge')"), message="the content script")
    session = page.context.new_cdp_session(page.page)
    contexts: list[dict] = []
    session.on("Runtime.executionContextCreated", lambda event: contexts.append(event["context"]))
    session.send("Runtime.enable")
    world = browser.wait(lambda: [c for c in contexts if c.get("auxData", {}).get("type") == "isolated"
                                  and not c["name"].startswith("__playwright")], message="the content script world")[-1]
    probe = """(async () => {
        const ask = (m) => chrome.runtime.sendMessage(m).then((r) => r === undefined ? "none" : JSON.stringify(r),
                                                              (e) => "error");
        return JSON.stringify({storage: JSON.stringify(await chrome.storage.local.get(null)),
                               status: await ask({type: KadunMessages.UI_TO_BG.STATUS}),
                               drain: await ask({type: KadunMessages.UI_TO_BG.DRAIN}),
                               hello: await ask({type: KadunMessages.CS_TO_BG.HELLO})});
    })()"""
    result = session.send("Runtime.evaluate", {"expression": probe, "contextId": world["id"],
                                               "awaitPromise": True, "returnByValue": True})
    session.detach()
    answers = json.loads(result["result"]["value"])
    assert answers["status"] in ("none", "error") and answers["drain"] in ("none", "error"), answers
    assert "sites" in answers["hello"], "the same content script does get its own answers"
    token = browser.token()
    assert token and token not in answers["storage"], "the bearer token is out of content scripts' reach"
    page.close()


def test_an_extension_page_gets_no_answer_to_content_script_messages(browser):
    """Firefox gives no sender.origin: the worker tells its own pages from tabs by their URL."""
    asked = browser.probe.evaluate("""(async () => {
        const ask = (m) => chrome.runtime.sendMessage(m).then((r) => r === undefined ? "none" : r, () => "error");
        const types = KadunMessages.CS_TO_BG;
        return {hello: await ask({type: types.HELLO}), risk: await ask({type: types.GET_RISK}),
                capture: await ask({type: types.CAPTURE, key: types.CAPTURE_KEY_PREFIX + "1.x"}),
                status: await ask({type: KadunMessages.UI_TO_BG.STATUS})};
    })()""")
    assert asked["hello"] in ("none", "error") and asked["risk"] in ("none", "error"), asked
    assert asked["capture"] in ("none", "error"), asked
    assert asked["status"]["paired"] is True, "the same page does get its own answers"
