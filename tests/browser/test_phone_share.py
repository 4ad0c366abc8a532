"""The Web Share Target on the phone: what Android's share sheet sends (a POST multipart form to
/m/share with title, text, url and image files) is taken by the service worker, and a link shared
by GET (/m/share?text=…) by the app; either only reaches a confirm screen showing the link in full
(its host set apart) and the images. Nothing is queued, fetched or stored until the buyer taps
保存为证据: any web page can send the browser to /m/share, by a link or an auto-submitted form, and
such a page gets the confirm screen at most. Cancel, or leaving the screen, drops the share."""
from __future__ import annotations

import hashlib
import html
import json
from urllib.parse import quote

import pytest

from .phone import ShopOnLoopback, wait_for
from .test_phone_capture import SHOP_PAGES
from .test_phone_dispute import PNG, paired_phone_page

pytestmark = pytest.mark.browser

SHOP_LINK = "https://www.xingchen-km.com/shop/28517"
HOSTILE = "https://promo.hostile-site.example"


@pytest.fixture
def shop(backend):
    shop = ShopOnLoopback(backend, SHOP_PAGES)
    yield shop
    shop.close()


def share_by_post(page, *, text: str, files: list[dict]) -> None:
    """Submit the form a share sheet submits (a navigation POST the service worker answers)."""
    page.evaluate("""(text) => {
        const form = document.createElement("form");
        form.method = "POST"; form.action = "/m/share"; form.enctype = "multipart/form-data"; form.id = "fake-share";
        for (const [name, value] of [["title", "星辰卡盟"], ["text", text], ["url", ""]]) {
          const input = document.createElement("input"); input.name = name; input.value = value; form.append(input);
        }
        const file = document.createElement("input"); file.type = "file"; file.name = "files"; file.multiple = true;
        form.append(file); document.body.append(form);
    }""", text)
    page.set_input_files("#fake-share input[type=file]", files=files)
    with page.expect_navigation():
        page.evaluate("document.getElementById('fake-share').submit()")


def confirm_screen(page):
    """Wait for the confirm screen of a share and return the link it shows (None without one)."""
    page.wait_for_selector("#inbox-screen #share-save")
    page.wait_for_selector("body[data-ready=true]")
    assert "/m/#/inbox/" in page.url
    assert page.inner_text("#share-save") == "保存为证据" and page.inner_text("#share-cancel") == "取消"
    link = page.locator("#share-url")
    return link.inner_text() if link.count() else None


def snapshot_ids(phone, page) -> set[str]:
    response = phone.api(page, "GET", "/v1/snapshots?limit=200")
    assert response.status_code == 200, response.get_json()
    return {item["id"] for item in response.get_json()["items"]}


def test_shared_link_and_screenshots_wait_for_the_tap_then_queue(phone):
    page = paired_phone_page(phone)
    phone.wait_for_worker(page)
    # Keep what is queued in the queue while we look at it.
    phone.context.set_offline(True)
    share_by_post(page, text=f"来看看这家店 {SHOP_LINK} 很便宜", files=[
        {"name": "bill.png", "mimeType": "image/png", "buffer": PNG},
        {"name": "chat.png", "mimeType": "image/png", "buffer": PNG + b"2"}])
    assert confirm_screen(page) == SHOP_LINK, "the link was found in the shared text and shown in full"
    assert page.inner_text("#share-host") == "www.xingchen-km.com"
    assert page.locator("#inbox-screen img.preview").count() == 2
    assert phone.queue(page) == [], "nothing is queued before the tap"
    # With images, Save asks what they are first (and queues nothing meanwhile).
    page.tap("#share-save")
    page.wait_for_selector("#notice[data-kind=error]:not([hidden])")
    assert page.inner_text("#notice") == "请先选择图片的类型。"
    assert phone.queue(page) == [] and len(phone.inbox(page)) == 1
    page.tap("#inbox-screen button[data-kind=payment_proof]")
    assert page.get_attribute("#inbox-screen button[data-kind=payment_proof]", "aria-pressed") == "true"
    page.tap("#share-save")
    page.wait_for_selector("#capture-screen")
    links = [q for q in phone.queue(page) if q["type"] == "link"]
    assert [(q["url"], q["source"]) for q in links] == [(SHOP_LINK, "share")]
    files = sorted((q for q in phone.queue(page) if q["type"] == "file"), key=lambda q: q["name"])
    assert [(q["name"], q["kind"], q["sha256"]) for q in files] == [
        ("bill.png", "payment_proof", hashlib.sha256(PNG).hexdigest()),
        ("chat.png", "payment_proof", hashlib.sha256(PNG + b"2").hexdigest())]
    page.wait_for_selector("#queue-list li[data-queue-id] >> nth=2")
    assert phone.inbox(page) == []
    # The share is used up: opening its screen again says so.
    page.goto(page.url.split("#")[0] + "#/inbox/shr-gone")
    page.wait_for_selector("#inbox-screen")
    assert page.locator("#share-save").count() == 0
    phone.context.set_offline(False)


def test_a_link_shared_by_get_is_captured_after_the_tap_when_back_online(phone, shop):
    page = paired_phone_page(phone)
    phone.wait_for_worker(page)
    link = shop.url("/goods/detail/773104")
    phone.context.set_offline(True)
    # The share arrives while offline: the shell comes from the worker, the link waits for the tap.
    page.goto(f"{phone.backend.url}/m/share?title=x&text=%E7%9C%8B%E7%9C%8B%20{link}%E3%80%82")
    assert confirm_screen(page) == link
    assert phone.queue(page) == []
    page.tap("#share-save")
    page.wait_for_selector("#capture-screen #queue-list li[data-queue-id]")
    assert page.url.endswith("/m/#/capture")
    assert [q["url"] for q in phone.queue(page)] == [link]
    phone.context.set_offline(False)
    row = page.wait_for_selector("#result-list li[data-type=link][data-snapshot-id]", timeout=60000)
    capture = phone.api(page, "GET", f"/v1/snapshots/{row.get_attribute('data-snapshot-id')}").get_json()
    assert capture["source"] == "server" and capture["facts"]["page_kind"] == "product"
    wait_for(lambda: phone.queue(page) == [], page=page, message="the queue to empty")


def hostile_pages(phone, target: str, link: str) -> dict[str, str]:
    """Two pages of another origin, served at their own URL: one sends the browser to the share
    URL, one auto-submits a POST form to it (as the share sheet would, a file included)."""
    get_url = f"{target}/m/share?url={quote(link, safe='')}&title=%E5%AE%98%E6%96%B9"
    pages = {
        "/go": f"""<!DOCTYPE html><meta charset="utf-8"><title>优惠</title>
<script>location.href = {json.dumps(get_url)};</script>""",
        "/form": f"""<!DOCTYPE html><meta charset="utf-8"><title>优惠</title>
<form id="f" method="POST" action="{html.escape(target)}/m/share" enctype="multipart/form-data">
<input name="title" value="官方"><input name="text" value="{html.escape(link)}"><input name="url" value="{html.escape(link)}">
<input type="file" name="files" id="files"></form>
<script>
const data = new DataTransfer();
data.items.add(new File([new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10])], "planted.png", {{type: "image/png"}}));
document.getElementById("files").files = data.files;
document.getElementById("f").submit();
</script>""",
    }
    phone.context.route(f"{HOSTILE}/**", lambda route: route.fulfill(
        status=200, content_type="text/html; charset=utf-8",
        body=pages.get(route.request.url[len(HOSTILE):].split("?")[0], "not found")))
    return pages


@pytest.mark.parametrize("attack", ["/go", "/form"])
def test_another_site_sending_the_browser_to_the_share_url_stores_nothing(phone, shop, attack):
    page = paired_phone_page(phone)
    phone.wait_for_worker(page)
    link = shop.url("/user/order/detail?order_no=planted")
    hostile_pages(phone, phone.backend.url, link)
    before = snapshot_ids(phone, page)
    # Online and paired: anything queued would be sent, fetched from the shop and stored at once.
    page.goto(f"{HOSTILE}{attack}", wait_until="commit")
    assert confirm_screen(page) == link, "the attack reaches the confirm screen and no further"
    assert page.inner_text("#share-host") == f"www.xingchen-km.com:{shop.server.port}"
    if attack == "/form":
        assert page.locator("#inbox-screen img.preview").count() == 1, "the planted file waits too"
    assert phone.queue(page) == []
    assert [entry["link"] for entry in phone.inbox(page)] == [link]
    # Leaving the confirm screen (here for the Capture tab) drops the share without saving it.
    page.tap("#tabs a[data-tab=capture]")
    page.wait_for_selector("#capture-screen[data-queue='0']")
    wait_for(lambda: phone.inbox(page) == [], page=page, message="the share to be dropped")
    assert phone.queue(page) == [] and page.locator("#result-list li").count() == 0
    assert shop.server.requests == [], "the server fetched nothing"
    assert snapshot_ids(phone, page) == before, "the server stored nothing"


def test_cancel_stores_nothing(phone, shop):
    page = paired_phone_page(phone)
    phone.wait_for_worker(page)
    link = shop.url("/goods/detail/773104")
    before = snapshot_ids(phone, page)
    page.goto(f"{phone.backend.url}/m/share?url={quote(link, safe='')}")
    assert confirm_screen(page) == link
    # In English (the page reloads itself), the share is still there, with the same two buttons.
    page.tap("#lang-toggle")
    page.wait_for_selector("#share-save:text-is('Save as evidence')")
    assert page.inner_text("#share-cancel") == "Cancel" and page.inner_text("#share-url") == link
    assert phone.queue(page) == [] and len(phone.inbox(page)) == 1
    page.tap("#share-cancel")
    page.wait_for_selector("#capture-screen[data-queue='0']")
    assert page.inner_text("#notice") == "Cancelled: nothing was saved."
    assert phone.queue(page) == [] and phone.inbox(page) == []
    assert page.locator("#result-list li").count() == 0
    assert shop.server.requests == [] and snapshot_ids(phone, page) == before
    # The share is gone: going back to its screen offers nothing to save.
    page.go_back()
    page.wait_for_selector("#inbox-screen")
    assert page.locator("#share-save").count() == 0 and phone.queue(page) == []


def test_one_share_is_held_at_a_time(phone, shop):
    first = paired_phone_page(phone)
    phone.wait_for_worker(first)
    first_link, second_link = shop.url("/goods/detail/773104"), shop.url("/user/order/detail?order_no=second")
    first.goto(f"{phone.backend.url}/m/share?url={quote(first_link, safe='')}")
    assert confirm_screen(first) == first_link
    # Another share (another tab, or a page sending the browser here again) replaces the held one.
    second = phone.context.new_page()
    second.goto(f"{phone.backend.url}/m/share?url={quote(second_link, safe='')}")
    assert confirm_screen(second) == second_link
    assert [entry["link"] for entry in phone.inbox(second)] == [second_link]
    # The first screen's Save finds its share gone and queues nothing.
    first.tap("#share-save")
    first.wait_for_selector("#capture-screen")
    assert first.inner_text("#notice") == "这条分享已经处理过或已取消。"
    assert phone.queue(first) == []
    second.tap("#share-save")
    second.wait_for_selector("#capture-screen")
    row = second.wait_for_selector("#result-list li[data-type=link][data-snapshot-id]", timeout=60000)
    capture = phone.api(second, "GET", f"/v1/snapshots/{row.get_attribute('data-snapshot-id')}").get_json()
    assert capture["url"] == second_link and capture["source"] == "server"
    assert [r["path"] for r in shop.server.requests] == ["/user/order/detail?order_no=second"]
