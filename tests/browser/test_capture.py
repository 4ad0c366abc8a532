"""Passive capture in real Chromium and Firefox: shop pages are captured once with a screenshot of
the page and the right facts, other pages never."""
from __future__ import annotations

import io
import json

import pytest

from .harness import FIXTURES
from .pages import FOLLOW_UP_URL

pytestmark = pytest.mark.browser

ORDER_PAGE = "xingchen-km-order.html"


def _label(file: str) -> dict:
    return json.loads((FIXTURES / file.replace(".html", ".json")).read_text(encoding="utf-8"))


def _captures_of(browser, url: str) -> list[dict]:
    return [item for item in browser.captures() if item["url"] == url]


def _shows_the_page(shot: bytes, view: bytes) -> None:
    """The extension's screenshot is the page as the browser shows it: same size as the tab's own
    screenshot, not blank, and alike once the badge's corner (drawn after the capture) is left out."""
    from PIL import Image, ImageChops, ImageStat

    ours, theirs = Image.open(io.BytesIO(shot)).convert("L"), Image.open(io.BytesIO(view)).convert("L")
    assert ours.size == theirs.size, (ours.size, theirs.size)
    width, height = ours.size
    assert ImageStat.Stat(ours).stddev[0] > 10, "the screenshot is blank"
    # Text and pictures of a page, not one flat colour.
    assert len(ours.getcolors(256 * 256) or range(100)) > 16
    box = (0, 0, width * 2 // 3, height * 3 // 4)   # away from the badge in the bottom right corner
    small = [im.crop(box).resize((96, 64)) for im in (ours, theirs)]
    difference = ImageStat.Stat(ImageChops.difference(*small)).mean[0]
    assert difference < 8, f"the screenshot differs from the page as shown (mean difference {difference:.1f})"


def test_order_page_makes_exactly_one_capture_with_screenshot_and_facts(browser, tmp_path):
    url = browser.pages[ORDER_PAGE]
    page = browser.visit(url)
    items = browser.wait(lambda url=url: _captures_of(browser, url), message="the order page's capture")
    # The receipt verified before the item left the queue; nothing else is pending for this page.
    browser.wait(lambda: browser.queue_length() == 0, message="an empty queue")
    assert len(_captures_of(browser, url)) == 1

    # Same bytes again in this session (a reload): not queued a second time. (The badge comes back
    # before the capture now; the worker notes what it did with the page's capture.)
    reloaded = browser.probe.evaluate("Date.now()")
    page.reload()
    result = browser.wait(lambda: (lambda r: r if r and r.get("url") == url and r["at"] >= reloaded else None)(
        browser.storage("session").get("lastCaptureResult")), message="the worker's decision on the reloaded page")
    assert result["queued"] is False and result["reason"] == "duplicate"
    assert browser.queue_length() == 0
    assert len(_captures_of(browser, url)) == 1

    detail = browser.api(f"/v1/snapshots/{items[0]['id']}").get_json()
    assert detail["trigger"] == "auto"
    assert detail["screenshot_sha256"], "the capture must carry the tab's screenshot"
    shot = browser.api(f"/v1/snapshots/{items[0]['id']}/screenshot")
    assert shot.status_code == 200 and shot.data.startswith(b"\x89PNG")
    view = tmp_path / "view.png"
    page.screenshot(view)
    _shows_the_page(shot.data, view.read_bytes())

    label = _label(ORDER_PAGE)
    facts = detail["facts"]
    assert facts["url"] == url
    assert facts["domain"] == label["domain"]
    assert facts["page_kind"] == label["page_kind"]
    assert facts["order"]["order_no"] == label["order"]["order_no"]
    assert facts["platform"]["name"] == label["platform"]["name"]

    html = browser.api(f"/v1/snapshots/{items[0]['id']}/html").get_data(as_text=True)
    assert html.startswith("<!DOCTYPE html>") and label["order"]["order_no"] in html
    assert "kadun-badge" not in html, "our own badge is not part of the evidence"
    # Exactly the page as it is (a static page: the reload shows the same DOM), our badge aside: the
    # parts handed over (doctype, outerHTML, the badge's markup) are joined by the worker. (The
    # browser leaves an empty style attribute on the search input after the load; that aside.)
    _same_markup(page.evaluate(_PAGE_WITHOUT_BADGE_JS).replace(' style=""', ""), html.replace(' style=""', ""))
    page.close()


def _same_markup(expected: str, got: str) -> None:
    at = next((i for i, (a, b) in enumerate(zip(expected, got, strict=False)) if a != b), min(len(expected), len(got)))
    assert expected == got, (f"captured markup differs at {at} (lengths {len(expected)}, {len(got)}): "
                             f"page {expected[at - 80:at + 120]!r} vs captured {got[at - 80:at + 120]!r}")


_PAGE_WITHOUT_BADGE_JS = """() => {
  const copy = document.documentElement.cloneNode(true);
  for (const badge of copy.querySelectorAll("kadun-badge")) badge.remove();
  const dt = document.doctype;
  return (dt ? `<!DOCTYPE ${dt.name}>` : "") + copy.outerHTML;
}"""

_JOIN_CASES_JS = """async () => {
  const {joinPage} = await import(new URL("/src/shared/page.js", location.href).href);
  const B = '<kadun-badge data-level="high"></kadun-badge>';
  const DT = "<!DOCTYPE html>";
  return {
    cut: joinPage({html: `<html><body>订单${B}</body></html>`, doctype: DT, badge: B}),
    last: joinPage({html: `<html><body><p>${B}</p>x${B}</body></html>`, doctype: DT, badge: B}),
    none: joinPage({html: "<html><body>a</body></html>", doctype: DT, badge: null}),
    absent: joinPage({html: "<html><body>a</body></html>", doctype: DT, badge: B}),
    old_record: joinPage({html: "<!DOCTYPE html><html></html>"}),
    no_doctype: joinPage({html: "<html></html>", doctype: "", badge: null}),
    empty: joinPage({html: "", doctype: DT, badge: null}),
    not_text: joinPage({html: 42, doctype: DT, badge: null}),
    bad_doctype: joinPage({html: "<html></html>", doctype: "<script>", badge: null}),
    bad_badge: joinPage({html: "<html></html>", doctype: DT, badge: 7}),
  };
}"""


def test_the_worker_joins_the_handed_over_parts_into_the_page(browser):
    """The content script hands over outerHTML's own string, the doctype and our badge's markup;
    the worker's join gives the page: doctype first, the badge's last occurrence cut (an earlier one
    is the page's own text), and nothing for parts a content script never hands over."""
    joined = browser.probe.evaluate(_JOIN_CASES_JS)
    assert joined["cut"] == "<!DOCTYPE html><html><body>订单</body></html>"
    assert joined["last"] == '<!DOCTYPE html><html><body><p><kadun-badge data-level="high"></kadun-badge></p>x</body></html>'
    assert joined["none"] == joined["absent"] == "<!DOCTYPE html><html><body>a</body></html>"
    assert joined["old_record"] == "<!DOCTYPE html><html></html>"
    assert joined["no_doctype"] == "<html></html>"
    assert [joined[k] for k in ("empty", "not_text", "bad_doctype", "bad_badge")] == [None] * 4


def test_a_non_shop_page_is_not_captured(browser):
    url = browser.pages["news-article-kameng-scams.html"]
    before = browser.captures()
    page = browser.visit(url)
    # The content script ran (it answers the worker) and settled; give it a shop page after the
    # article so that we know its verdict on the article was already made.
    control = browser.pages["dujiaoka-unicorn-order.html"]
    other = browser.visit(control)
    browser.wait(lambda: _captures_of(browser, control), message="the control page's capture")
    assert not _captures_of(browser, url)
    assert not page.evaluate("!!document.querySelector('kadun-badge, #kadun-badge')")
    assert len(browser.captures()) == len(before) + 1
    page.close()
    other.close()


def test_pause_switch_stops_all_capture(browser):
    options = browser.new_tab(browser.ext_url("options.html"))
    # Once the status is shown: a click while the layout still moves can land beside the switch.
    options.wait_for_selector("body[data-ready=true]")
    options.check("#pause")
    browser.wait(lambda: browser.storage().get("paused") is True, message="the pause setting")
    chat = browser.pages["xingchen-km-chat.html"]
    page = browser.visit(chat)
    # The content script notes that it did not capture this shop page because of the pause.
    browser.wait(lambda: browser.storage("session").get("lastCaptureSkipped", {}).get("url") == chat,
                 message="the paused page's note")
    assert browser.storage("session")["lastCaptureSkipped"]["reason"] == "paused"
    # The badge still shows on a shop page while paused.
    assert page.evaluate("!!document.querySelector('kadun-badge')")
    assert browser.storage("session").get("lastCaptureTiming", {}).get("url") != chat
    assert not [i for i in browser.captures() if i["url"] == chat]
    options.uncheck("#pause")
    browser.wait(lambda: browser.storage().get("paused") is False, message="capture resumed")
    page.reload()
    browser.wait(lambda: _captures_of(browser, chat), message="capture after resuming")
    page.close()
    options.close()


_RECORD_HANDOVERS = """() => {
  // Every page handed over through storage, as the extension's own pages see it (marks only).
  window.kadunHandovers = [];
  chrome.storage.onChanged.addListener((changes, area) => {
    for (const [key, change] of Object.entries(changes)) {
      const html = change.newValue && change.newValue.html;
      if (area === "local" && key.startsWith("kadun.capture.") && html) {
        window.kadunHandovers.push([html.includes("MARK-PAUSED"), html.includes("MARK-RESUMED")]);
      }
    }
  });
}"""
_ADD_ORDER_TEXT = """(mark) => {
  const div = document.createElement("div");
  div.textContent = "订单号：" + mark + " 下单时间：2026-11-24 10:00:00";
  document.body.appendChild(div);
}"""


def test_pausing_applies_to_a_page_already_open(browser):
    """A follow-up capture (order text added later) on a page opened before the pause reads the
    switch again: nothing of the page is serialised or handed over while paused."""
    url = browser.shop_url(FOLLOW_UP_URL)
    recorder = browser.new_tab(browser.ext_url("options.html"))
    recorder.evaluate(_RECORD_HANDOVERS)
    page = browser.visit(url)
    browser.wait(lambda: _captures_of(browser, url), message="the page's first capture")

    recorder.check("#pause")
    browser.wait(lambda: browser.storage().get("paused") is True, message="the pause setting")
    page.evaluate(_ADD_ORDER_TEXT, "MARK-PAUSED")
    browser.wait(lambda: (browser.storage("session").get("lastCaptureSkipped") or {}).get("url") == url,
                 message="the follow-up capture skipped while paused")
    recorder.uncheck("#pause")
    browser.wait(lambda: browser.storage().get("paused") is False, message="capture resumed")
    page.evaluate(_ADD_ORDER_TEXT, "MARK-RESUMED")

    # The capture after resuming holds both marks; none before it was made while paused.
    browser.wait(lambda: [c for c in _captures_of(browser, url)
                          if "MARK-RESUMED" in browser.api(f"/v1/snapshots/{c['id']}/html").get_data(as_text=True)],
                 message="the capture after resuming")
    handovers = recorder.evaluate("window.kadunHandovers")
    assert [True, True] in handovers
    assert [True, False] not in handovers, "a page was serialised and handed over while paused"
    page.close()
    recorder.close()


def test_every_fixture_shop_page_is_recognised(browser):
    pages = browser.pages
    shop_files = [f for f in pages if not f.startswith("news-")]
    for file in shop_files:
        url = pages[file]
        page = browser.visit(url)
        browser.wait(lambda url=url: _captures_of(browser, url), timeout=20, message=f"a capture of {file}")
        page.close()
    counts: dict[str, int] = {}
    for item in browser.captures():
        counts[item["url"]] = counts.get(item["url"], 0) + 1
    assert pages["news-article-kameng-scams.html"] not in counts
    assert all(counts[pages[f]] == 1 for f in shop_files), counts
