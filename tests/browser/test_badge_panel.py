"""The badge's panel as a buyer reads it, on its own (badge.js in a plain page, its messages as the
worker hands them over, no extension): a seller's name in right-to-left script or with direction
controls cannot reorder the level words after it, a very long unbroken name or quote wraps inside
the panel at phone width, the score has its scale and the marks their meaning in words."""
from __future__ import annotations

import json

import pytest

from .harness import CHROMIUM, EXTENSION

pytestmark = pytest.mark.browser

# The shadow root opened for the test (the badge's own is closed), and the worker's hand-over.
SETUP_JS = """(messages) => {
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, {...init, mode: "open"});
    window.badgeRoot = root;
    return root;
  };
  globalThis.chrome = {i18n: {getUILanguage: () => "en", getMessage: () => ""}};
  globalThis.KadunCS = {language: "en", messages};
}"""

RTL_NAME = "\u202eتجارة النجوم 🙂"
LONG = "XC" + "7" * 120


@pytest.fixture
def plain_page(playwright_instance):
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=["--headless=new", "--no-sandbox"])
    page = browser.new_page(viewport={"width": 390, "height": 844})
    yield page
    browser.close()


def test_the_badge_panel_isolates_names_and_wraps_at_phone_width(plain_page):
    page = plain_page
    messages = json.loads((EXTENSION / "_locales" / "en" / "messages.json").read_text(encoding="utf-8"))
    page.set_content("<!DOCTYPE html><html><body><p>shop</p></body></html>")
    page.evaluate(SETUP_JS, messages)
    page.add_script_tag(path=str(EXTENSION / "src" / "content" / "badge.js"))
    risk = {"platform": {"name": LONG, "level": "low", "score": 10, "signals": [
                {"code": "deposit_system", "effect": "lowers", "evidence": [{"quote": "保证金" + "Z" * 150}]}]},
            "seller": {"name": RTL_NAME, "level": "high", "score": 81, "signals": [
                {"code": "shell_shop", "effect": "raises", "evidence": [{"quote": "开店时间：2026-11-01"}]}]}}
    page.evaluate("(risk) => KadunCS.showBadge({risk, last: null})", risk)
    page.evaluate("badgeRoot.querySelector('button.pill').click()")
    heads = page.evaluate("[...badgeRoot.querySelectorAll('.panel h3')].map((h) => ({text: h.textContent,"
                          " bdi: [...h.querySelectorAll('bdi')].map((b) => b.textContent)}))")
    seller = next(h for h in heads if h["text"].startswith("Seller"))
    # The name sits in its own <bdi>, the level words outside it: "\u202e" cannot turn them around.
    assert seller["bdi"] == [RTL_NAME] and seller["text"].endswith("High risk (risk score 81/100, higher is riskier)")
    # Nothing of the panel runs off its box or off the phone's screen.
    box = page.evaluate("(() => { const p = badgeRoot.querySelector('.panel'); const r = p.getBoundingClientRect();"
                        " return {scroll: p.scrollWidth, client: p.clientWidth, left: r.left, right: r.right}; })()")
    assert box["scroll"] <= box["client"] + 1, box
    assert box["left"] >= 0 and box["right"] <= 390, box
