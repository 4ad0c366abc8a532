"""The Web Share Target on the phone: what Android's share sheet sends (a POST multipart form to
/m/share with title, text, url and image files) is taken by the service worker into the app's
inbox; the link is queued for a server capture at once, the images after one tap saying what
they are. A link shared by GET (/m/share?text=…) lands the same way."""
from __future__ import annotations

import hashlib

import pytest

from .phone import ShopOnLoopback, wait_for
from .test_phone_capture import SHOP_PAGES
from .test_phone_dispute import PNG, paired_phone_page

pytestmark = pytest.mark.browser

SHOP_LINK = "https://www.xingchen-km.com/shop/28517"


def share_by_post(page, *, text: str, files: list[dict]) -> None:
    """Submit the form a share sheet submits (a navigation POST the service worker answers)."""
    page.evaluate("""() => {
        const form = document.createElement("form");
        form.method = "POST"; form.action = "/m/share"; form.enctype = "multipart/form-data"; form.id = "fake-share";
        for (const [name, value] of [["title", "星辰卡盟"], ["text", arguments[0]], ["url", ""]]) {
          const input = document.createElement("input"); input.name = name; input.value = value; form.append(input);
        }
        const file = document.createElement("input"); file.type = "file"; file.name = "files"; file.multiple = true;
        form.append(file); document.body.append(form);
    }""".replace("arguments[0]", repr(text)))
    page.set_input_files("#fake-share input[type=file]", files=files)
    with page.expect_navigation():
        page.evaluate("document.getElementById('fake-share').submit()")


def test_a_shared_link_and_screenshots_land_in_the_queue(phone):
    page = paired_phone_page(phone)
    phone.wait_for_worker(page)
    # Keep what is queued in the queue while we look at it.
    phone.context.set_offline(True)
    share_by_post(page, text=f"来看看这家店 {SHOP_LINK} 很便宜", files=[
        {"name": "bill.png", "mimeType": "image/png", "buffer": PNG},
        {"name": "chat.png", "mimeType": "image/png", "buffer": PNG + b"2"}])
    page.wait_for_selector("#inbox-screen .big-choices button[data-kind=payment_proof]")
    assert "/m/#/inbox/" in page.url
    assert page.locator("#inbox-screen img.preview").count() == 2
    links = [q for q in phone.queue(page) if q["type"] == "link"]
    assert [q["url"] for q in links] == [SHOP_LINK], "the link was found in the shared text and queued"
    page.tap("#inbox-screen button[data-kind=payment_proof]")
    page.wait_for_selector("#capture-screen")
    files = sorted((q for q in phone.queue(page) if q["type"] == "file"), key=lambda q: q["name"])
    assert [(q["name"], q["kind"], q["sha256"]) for q in files] == [
        ("bill.png", "payment_proof", hashlib.sha256(PNG).hexdigest()),
        ("chat.png", "payment_proof", hashlib.sha256(PNG + b"2").hexdigest())]
    assert page.locator("#queue-list li[data-queue-id]").count() == 3
    # The inbox entry is used up: opening it again says so.
    page.goto(page.url.split("#")[0] + "#/inbox/shr-gone")
    page.wait_for_selector("#inbox-screen")
    phone.context.set_offline(False)


def test_a_link_shared_by_get_is_captured_when_back_online(phone, backend):
    shop = ShopOnLoopback(backend, SHOP_PAGES)
    try:
        page = paired_phone_page(phone)
        phone.wait_for_worker(page)
        link = shop.url("/goods/detail/773104")
        phone.context.set_offline(True)
        # The share arrives while offline: the shell comes from the worker, the link waits.
        page.goto(f"{phone.backend.url}/m/share?title=x&text=%E7%9C%8B%E7%9C%8B%20{link}%E3%80%82")
        page.wait_for_selector("#capture-screen #queue-list li[data-queue-id]")
        assert page.url.endswith("/m/#/capture")
        assert [q["url"] for q in phone.queue(page)] == [link]
        phone.context.set_offline(False)
        row = page.wait_for_selector("#result-list li[data-type=link][data-snapshot-id]", timeout=60000)
        capture = phone.api(page, "GET", f"/v1/snapshots/{row.get_attribute('data-snapshot-id')}").get_json()
        assert capture["source"] == "server" and capture["facts"]["page_kind"] == "product"
        wait_for(lambda: phone.queue(page) == [], page=page, message="the queue to empty")
    finally:
        shop.close()
