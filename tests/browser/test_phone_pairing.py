"""Pairing a phone by the QR code of the extension's options page, in Chromium with mobile
emulation against the real backend; the app's screens fit a 360-px screen with thumb-sized
targets, in Chinese first and in English by choice."""
from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image

from .driver import only_chromium

pytestmark = pytest.mark.browser


def scan_options_qr(browser, keep_open: bool = False):
    """Open 配对手机 on the options page and read the QR code off the screen like a camera does."""
    page = browser.context.new_page()
    page.goto(f"chrome-extension://{browser.ext_id}/options.html")
    page.wait_for_selector('#pair-status[data-state="paired"]')
    page.click("#phone-pair")
    page.wait_for_selector("#phone-box:not([hidden])")
    page.wait_for_function("document.getElementById('phone-qr').complete && "
                           "document.getElementById('phone-qr').naturalWidth > 0")
    shot = page.locator("#phone-qr").screenshot()
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(shot)))
    shown = page.text_content("#phone-url")
    code = page.text_content("#phone-code")
    if not keep_open:
        page.close()
    assert len(found) == 1, "the options page shows one readable QR code"
    assert found[0].text == shown
    return (found[0].text, code, page) if keep_open else (found[0].text, code)


@only_chromium
def test_phone_pairs_by_the_qr_code_as_a_phone_of_the_same_user(browser, phone):
    url, code, options = scan_options_qr(browser, keep_open=True)
    assert url == f"{browser.backend.url}/m/#pair={code}"

    page = phone.context.new_page()
    page.goto(url)
    page.wait_for_selector("#capture-screen")
    assert "pair=" not in page.url and code not in page.url, "the code leaves the address bar"
    assert page.evaluate("history.length") >= 1
    token = phone.token(page)
    assert token and token != browser.token()
    devices = phone.api(page, "GET", "/v1/devices").get_json()["items"]
    mine = [d for d in devices if d["current"]]
    assert len(mine) == 1 and mine[0]["kind"] == "phone" and "Android" in mine[0]["name"]
    extension = browser.api("/v1/devices").get_json()["items"]
    assert {d["user"] for d in extension} == {mine[0]["user"]}, "a device of the same user"
    assert mine[0]["id"] in {d["id"] for d in extension}, "listed with the user's other devices"
    # The phone sees the user's own data.
    assert phone.api(page, "GET", "/v1/snapshots?limit=1").status_code == 200
    # The options page notices the new phone: the used code goes, the phone is in the device list.
    options.wait_for_selector("#phone-box[data-state=paired]", state="attached")
    assert options.is_hidden("#phone-box") and mine[0]["name"] in options.text_content("#phone-error")
    row = options.wait_for_selector(f"#device-list li[data-device-id='{mine[0]['id']}']")
    assert mine[0]["name"] in row.text_content() and row.query_selector("button.revoke"), "revocable there"
    options.close()

    # The same QR code on another phone: the code was single use.
    other = phone.context.browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    second = other.new_page()
    second.goto(url)
    second.wait_for_selector('#pair-status[data-state="failed"]')
    assert "配对码无效" in second.text_content("#pair-status")
    assert not phone.token(second)
    other.close()


def test_manual_code_and_settings_unpair(phone):
    page = phone.page("#/capture")
    page.wait_for_selector("#pair-screen")  # unpaired: every screen asks for pairing
    page.fill("#pair-code", phone.backend.pairing_code().lower())
    page.tap("#pair-submit")
    page.wait_for_selector("#capture-screen")
    page.tap("#tabs a[data-tab=settings]")
    page.wait_for_selector('#pair-state[data-state="paired"]')
    token = phone.token(page)
    client = phone.backend.app.test_client()
    assert client.get("/v1/devices", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    page.once("dialog", lambda dialog: dialog.accept())
    page.tap("#unpair")
    page.wait_for_selector("#pair-screen")
    assert phone.token(page) is None
    # Revoked on the backend too, like any other device: the old token is refused.
    assert client.get("/v1/devices", headers={"Authorization": f"Bearer {token}"}).status_code == 401


SCREENS = ["#/capture", "#/disputes", "#/dispute/new", "#/settings"]


@only_chromium
def test_screens_fit_360_pixels_with_thumb_sized_targets(browser, phone):
    url, _ = scan_options_qr(browser)
    page = phone.context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    page.wait_for_selector("#capture-screen")
    for fragment in SCREENS:
        page.goto(f"{browser.backend.url}/m/{fragment}")
        page.wait_for_selector("body[data-ready=true] main > section")
        assert page.evaluate("window.innerWidth") == 360
        width = page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
        assert width <= 360, f"{fragment} scrolls sideways ({width}px)"
        small = page.evaluate("""[...document.querySelectorAll('main button, main input, main select, nav.tabs a')]
            .filter((n) => n.offsetParent !== null && n.type !== 'radio' && n.type !== 'checkbox')
            // A file input sits behind its button (ui.js filePicker): the button is what the thumb taps.
            .map((n) => [n.id || n.textContent.trim().slice(0, 20),
                         (n.classList.contains('file-input') ? document.querySelector(`label[for="${n.id}"]`) : n)
                           .getBoundingClientRect().height])
            .filter(([, h]) => h < 44)""")
        assert small == [], f"{fragment}: tap targets under 44px: {small}"
        # The bottom tab bar is inside the screen, where the thumb is.
        bar = page.evaluate("document.querySelector('nav.tabs').getBoundingClientRect().bottom")
        assert bar <= 740
        text = page.inner_text("main")
        assert not [w for w in text.split() if "_" in w and w.isascii() and w.islower()], \
            f"{fragment}: a raw code is shown: {text}"
    # Nothing third-party, nothing the policy had to block, no script error.
    assert requests and all(u.startswith((browser.backend.url + "/", "data:", "blob:")) for u in requests), requests
    assert errors == [], errors


@only_chromium
def test_english_by_choice(browser, phone):
    url, _ = scan_options_qr(browser)
    page = phone.context.new_page()
    page.goto(url)
    page.wait_for_selector("#capture-screen")
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    assert "分享链接存证" in page.inner_text("main")
    page.tap("#lang-toggle")
    page.wait_for_selector("html[lang=en] body[data-ready=true] #capture-screen")
    assert "Capture a shared link" in page.inner_text("main")
    assert page.inner_text("#tabs a[data-tab=disputes] [data-i18n]") == "Disputes"
    page.tap("#lang-toggle")
    page.wait_for_selector("html[lang=zh-CN] body[data-ready=true] #capture-screen")
