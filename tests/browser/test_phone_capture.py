"""Share a link and upload a screenshot on the phone, against the real backend: the link is
fetched by the backend itself (through part A's fetcher, allowed onto one loopback shop server
by its test-only allowance) and kept as a server capture with its facts; a payment screenshot
rendered in Chromium is stored at once, read by the real Tesseract off the request path and
matched to the order, and the phone shows what was read and the match."""
from __future__ import annotations

import html

import pytest

from tests.conftest import FIXTURES

from .phone import ShopOnLoopback, wait_for
from .test_phone_dispute import ORDER_NO, build_dispute, paired_phone_page

pytestmark = pytest.mark.browser

ORDER_PATH = f"/user/order/detail?order_no={ORDER_NO}"
SHOP_PAGES = {
    "/user/order/detail": (FIXTURES / "xingchen-km-order.html").read_bytes(),
    "/goods/detail/773104": (FIXTURES / "xingchen-km-product.html").read_bytes(),
    "/nothing-here": b"\x00\x01binary",
}


@pytest.fixture
def shop(backend):
    shop = ShopOnLoopback(backend, SHOP_PAGES)
    yield shop
    shop.close()


def alipay_bill(amount: str, paid_at: str, merchant_order_no: str, payee: str = "星辰卡盟") -> str:
    """An Alipay 账单详情 screen as a phone shows it (the OCR tests' layout, our values)."""
    rows = [("支付时间", paid_at), ("付款方式", "余额宝"), ("商品说明", "和平精英 安卓QQ区 成品号"),
            ("收款方全称", payee), ("收单机构", "支付宝(中国)网络技术有限公司"),
            ("交易单号", "2026112422001412345678901234"), ("商家订单号", merchant_order_no)]
    cells = "".join(f'<div class="row"><span class="k">{html.escape(k)}</span><span class="v">{html.escape(v)}</span></div>'
                    for k, v in rows)
    return f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><style>
body {{ margin: 0; background: #f5f5f5; color: #1a1a1a; font: 16px/1.5 "Noto Sans CJK SC", sans-serif; }}
.nav {{ text-align: center; padding: 10px; font-size: 17px; }}
.card {{ background: #fff; margin: 10px; border-radius: 10px; padding: 12px 16px; }}
.center {{ text-align: center; }} .big {{ font-size: 34px; font-weight: 600; margin: 6px 0; }}
.sub {{ color: #8a8a8a; }} .row {{ display: flex; justify-content: space-between; gap: 16px; padding: 7px 0; }}
.k {{ color: #8a8a8a; white-space: nowrap; }} .v {{ text-align: right; word-break: break-all; }}
</style></head><body>
<div class="nav">账单详情</div>
<div class="card center"><div>{html.escape(payee)}</div><div class="big">-{amount}</div><div class="sub">交易成功</div></div>
<div class="card">{cells}</div></body></html>"""


def render(phone, page_html: str) -> bytes:
    context = phone.context.browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=3,
                                                is_mobile=True, has_touch=True)
    try:
        tab = context.new_page()
        tab.set_content(page_html, wait_until="load")
        tab.evaluate("document.fonts.ready")
        return tab.screenshot(type="png")
    finally:
        context.close()


def test_a_shared_link_becomes_a_server_capture_and_a_bill_is_read_and_matched(phone, shop):
    page = paired_phone_page(phone)
    link = shop.url(ORDER_PATH)
    page.fill("#link-url", link)
    page.tap("#link-submit")
    row = page.wait_for_selector("#result-list li[data-type=link][data-snapshot-id]", timeout=60000)
    snapshot_id = row.get_attribute("data-snapshot-id")
    capture = phone.api(page, "GET", f"/v1/snapshots/{snapshot_id}").get_json()
    assert capture["source"] == "server" and capture["url"] == link
    assert capture["fetch"]["address"] == "127.0.0.1" and capture["fetch"]["status"] == 200
    assert capture["facts"]["order"]["order_no"] == ORDER_NO
    assert ORDER_NO in row.inner_text() and "订单页" in row.inner_text()
    assert shop.server.requests and "KaDun" in shop.server.requests[-1]["headers"]["User-Agent"]
    assert phone.queue(page) == []

    # A link the backend must not or cannot capture is kept with the reason, in Chinese.
    page.fill("#link-url", shop.url("/nothing-here"))
    page.tap("#link-submit")
    refused = page.wait_for_selector("#queue-list li[data-state=refused]", timeout=60000)
    assert "不是网页" in refused.inner_text()
    refused.query_selector("button").tap()
    page.wait_for_selector("#queue-list li[data-state=refused]", state="detached")

    # The payment record: uploaded at once, read by Tesseract afterwards, matched to the order.
    bill = render(phone, alipay_bill("188.00", "2026-11-24 10:03:40", ORDER_NO))
    page.select_option("#shot-kind", "payment_proof")
    page.set_input_files("#shot-files", files=[{"name": "alipay.png", "mimeType": "image/png", "buffer": bill}])
    page.tap("#shot-submit")
    reading = page.wait_for_selector("#result-list li[data-type=file] .ocr[data-state=done]", timeout=120000)
    assert reading.get_attribute("data-match") == ORDER_NO
    text = reading.inner_text()
    assert "¥188.00" in text and "支付宝" in text and ORDER_NO in text, text
    attachment_id = page.get_attribute("#result-list li[data-type=file]", "data-attachment-id")
    stored = phone.api(page, "GET", f"/v1/screenshots/{attachment_id}").get_json()
    assert stored["ocr"]["match"]["order_no"] == ORDER_NO and stored["kind"] == "payment_proof"
    assert stored["ocr"]["reading"]["amount"] == "188.00"

    # The extension saved the same page too: the dispute, built on the phone, checks the two copies.
    extension_copy = {"client_id": "ext-same-page", "url": link, "title": "order", "trigger": "auto",
                      "html": (FIXTURES / "xingchen-km-order.html").read_text(encoding="utf-8")}
    assert phone.api(page, "POST", "/v1/snapshots", json=extension_copy).status_code == 201
    dispute_id = build_dispute(page)
    dispute = phone.api(page, "GET", f"/v1/disputes/{dispute_id}").get_json()
    assert snapshot_id in {e.get("id") for e in dispute["evidence"]} | {
        (t.get("source") or {}).get("snapshot_id") for t in dispute["timeline"]}
    checks = dispute.get("cross_checks") or []
    assert checks and all(c["match"] for c in checks), checks
    page.wait_for_selector("#cross-checks li[data-match=true]")
    assert page.locator("#cross-checks li").count() == len(checks)


def test_a_screenshot_over_the_storage_quota_is_held_on_the_phone_and_sent_when_there_is_room(phone):
    """A quota of space refuses an upload (413 naming the quota): the phone keeps the screenshot
    queued, says why in the backend's own words and that nothing is lost (not "refused", which
    offers only to discard it), and sends it once there is room, stored once."""
    from server.storage import quotas as quota_store
    from server.storage import users

    page = paired_phone_page(phone)
    r = phone.backend.redis
    user = users.default_user(r)
    quota_store.set_override(r, user, "bytes_stored", 1)
    try:
        bill = render(phone, alipay_bill("66.00", "2026-11-25 09:12:00", "Q" + ORDER_NO))
        page.select_option("#shot-kind", "payment_proof")
        page.set_input_files("#shot-files", files=[{"name": "bill.png", "mimeType": "image/png", "buffer": bill}])
        page.tap("#shot-submit")
        page.wait_for_selector("#queue-list li[data-state=pending]", timeout=60000)
        # The list is drawn again after each try: read the row as it is now.
        text = wait_for(lambda: (lambda t: t if "存储空间已满" in t else None)(page.inner_text("#queue-list li")),
                        message="the quota's own words on the held row", page=page)
        assert "不会丢失" in text and "413" not in text and "bytes_stored" not in text, text
        assert page.locator("#queue-list li button").count() == 0  # nothing to discard: held, not refused
        [item] = phone.queue(page)
        assert item["state"] == "pending" and item["error"]["status"] == 413
        assert page.locator("#result-list li[data-type=file]").count() == 0
    finally:
        quota_store.clear_override(r, user, "bytes_stored")
    page.tap("#queue-retry")
    page.wait_for_selector("#result-list li[data-type=file][data-attachment-id]", timeout=60000)
    wait_for(lambda: phone.queue(page) == [], message="the queue to empty", page=page)
    attachment_id = page.get_attribute("#result-list li[data-type=file]", "data-attachment-id")
    assert phone.api(page, "GET", f"/v1/screenshots/{attachment_id}").status_code == 200
