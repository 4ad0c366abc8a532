"""The extension's own screens (popup, options, dispute page, reminders) as a first-time buyer
uses them, in real Chromium with the unpacked extension, in Chinese and in English: an unpaired
browser is led to pairing instead of an error; a refused pairing says why in the buyer's
language and keeps the code typed; every screen has named controls, no raw codes, ISO times or
text of the other language, no horizontal overflow, and money with its currency."""
from __future__ import annotations

import re
import uuid

import pytest

from tests.conftest import FIXTURES

from .harness import extension_id, fixture_pages, launch
from .phone import wait_for
from .screens import audit

pytestmark = pytest.mark.browser

PAGES = fixture_pages()
FILES = ["xingchen-km-product.html", "xingchen-km-order.html", "xingchen-km-chat.html", "xingchen-km-terms.html"]
ORDER_NO = "XC20261124100322581"
HOST = PAGES[FILES[1]].split("/")[2]


@pytest.fixture
def chromium(playwright_instance, tmp_path):
    context = launch(playwright_instance, tmp_path / "profile")
    yield context, f"chrome-extension://{extension_id(context)}"
    context.close()


def clean(page, where: str) -> None:
    found = audit(page)
    assert not found, f"{where}: {found}"


def choose_language(context, base: str, language: str) -> None:
    """The language setting as the options page stores it (its own reload is tested in test_options)."""
    from .harness import extension_worker

    extension_worker(context).evaluate(f"chrome.storage.local.set({{language: '{language}'}})")


def open_page(context, url: str, width: int = 1280, height: int = 800):
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": height})
    page.goto(url)
    return page


def popup(context, base: str, host: str = HOST):
    # A popup is at most 800 × 600; the page as Chrome opens it, content-sized, 340 px of content.
    page = open_page(context, f"{base}/src/popup/popup.html?host={host}", 364, 600)
    page.wait_for_selector("body[data-ready=true]")
    return page


def test_an_unpaired_browser_is_led_to_pairing(chromium):
    context, base = chromium
    choose_language(context, base, "zh_CN")
    page = popup(context, base)
    assert page.is_visible("#pair-first") and "配对" in page.text_content("#pair-first")
    assert page.is_hidden("#search")  # nothing to search before pairing
    clean(page, "popup, not paired")
    page.close()

    page = open_page(context, f"{base}/src/dispute/dispute.html?host={HOST}")
    page.wait_for_selector("body[data-ready=true]")
    # Not "出错了：Failed to fetch" over a form that cannot work: what to do, and the way there.
    assert page.is_visible("#not-paired") and page.is_hidden("#dispute-form")
    assert not page.text_content("#error")
    clean(page, "dispute page, not paired")
    with context.expect_page() as opened:
        page.click("#open-settings")
    assert opened.value.url.endswith("/options.html")


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_a_refused_pairing_code_says_why_and_stays_typed(chromium, backend, language):
    context, base = chromium
    choose_language(context, base, language)
    page = open_page(context, f"{base}/options.html")
    page.wait_for_selector("#pair:not([disabled])")
    page.fill("#backend-url", backend.url)
    page.fill("#pairing-code", "WRONG123")
    page.click("#pair")
    detail = wait_for(lambda: page.text_content("#pair-detail"), page=page, message="the pairing's outcome")
    # The backend says "pairing code not valid: … run `kadun pair` …": the buyer reads their language.
    assert "kadun" not in detail and "not valid" not in detail
    assert ("配对码不对" in detail) if language == "zh_CN" else ("pairing code is wrong" in detail)
    assert page.input_value("#pairing-code") == "WRONG123"
    assert page.get_attribute("#pair-detail", "class") == "error-text"  # not grey fine print
    clean(page, "options, a wrong code")


def seed_order(backend) -> None:
    client = backend.app.test_client()
    token = client.post("/v1/pair", json={"code": backend.pairing_code(), "device": "PC-2"}).get_json()["token"]
    for file in FILES:
        body = {"client_id": str(uuid.uuid4()), "url": PAGES[file], "title": "星辰卡盟", "trigger": "auto",
                "captured_at": "2026-11-24T10:03:30+08:00", "html": (FIXTURES / file).read_text(encoding="utf-8")}
        assert client.post("/v1/snapshots", json=body, headers={"Authorization": f"Bearer {token}"}).status_code in (200, 201)


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_every_extension_screen_reads_right(chromium, backend, language):
    context, base = chromium
    choose_language(context, base, language)
    page = open_page(context, f"{base}/options.html")
    page.wait_for_selector("#pair:not([disabled])")
    clean(page, "options, not paired")
    page.fill("#backend-url", backend.url)
    page.fill("#pairing-code", backend.pairing_code())
    page.click("#pair")
    page.wait_for_selector('#pair-status[data-state="paired"]')
    seed_order(backend)
    page.reload()
    page.wait_for_selector('#pair-status[data-state="paired"]')
    page.wait_for_selector("#device-list li")
    clean(page, "options, paired")
    page.click("#phone-pair")
    page.wait_for_selector("#phone-box:not([hidden])")
    clean(page, "options, a phone's QR code")
    # Its expiry in the reader's own way of writing a time, not the browser's ("6:54:57 AM" on a Chinese page).
    expiry = page.text_content("#phone-expiry")
    assert re.search(r"\d{1,2}:\d{2}", expiry) and (bool(re.search(r"[AP]M", expiry)) == (language == "en")), expiry
    page.close()

    page = popup(context, base)
    page.wait_for_selector("#site-captures li[data-snapshot-id]")
    # A capture of the order leads on to its dispute page.
    assert page.locator(f"#site-captures li a[href*='order_no={ORDER_NO}']").count() >= 1
    page.fill("#search", "XC2026")
    page.wait_for_selector(f"#search-results li[data-order-no='{ORDER_NO}']")
    clean(page, "popup with search results")
    page.fill("#search", "no-such-order")
    page.wait_for_selector("#search-results li.muted")
    clean(page, "popup, nothing found")
    page.close()

    page = open_page(context, f"{base}/src/dispute/dispute.html?host={HOST}")
    page.wait_for_selector("body[data-ready=true]")
    page.wait_for_selector(f"#orders input[data-order-no='{ORDER_NO}']")
    clean(page, "dispute page, choosing the order")
    page.check(f"#orders input[data-order-no='{ORDER_NO}']")
    page.select_option("#problem", "account_recovered")
    page.fill("#description", "账号在购买当天被原号主找回。")
    page.click("#create-dispute")
    page.wait_for_selector("#dispute-view:not([hidden]) #timeline li")
    clean(page, "dispute")
    page.click("#attach")  # no file chosen: told so, not ignored
    assert page.text_content("#error") == ("请先选择要上传的文件。" if language == "zh_CN" else "Choose a file to upload first.")
    summary = page.text_content("#order-summary")
    assert "¥188.00" in summary and "188.00 CNY" not in summary, summary
    # The file chooser speaks the reader's language (the browser's own says "Choose File · No file
    # chosen" in the browser's): a button in KaDun's words and what was chosen beside it.
    zh = language == "zh_CN"
    assert page.locator("#attachment-file").bounding_box()["width"] <= 1
    assert page.text_content("label[for=attachment-file]") == ("选择文件" if zh else "Choose a file")
    assert page.text_content("#attachment-chosen") == ("还没有选择文件" if zh else "No file chosen yet")
    page.set_input_files("#attachment-file", files=[{"name": "账单.png", "mimeType": "image/png", "buffer": b"x"}])
    assert page.text_content("#attachment-chosen") == "账单.png"
    # A narrow window (a browser beside the shop, a phone browser with extensions): long order
    # numbers and SHA-256 values in the plan, forms and letters wrap instead of widening the page.
    page.set_viewport_size({"width": 390, "height": 844})
    clean(page, "dispute at 390 px")
    page.close()

    page = open_page(context, f"{base}/src/reminders/reminders.html")
    page.wait_for_selector("body[data-ready=true]")
    clean(page, "reminders")
