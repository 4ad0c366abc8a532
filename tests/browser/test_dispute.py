"""The popup and the dispute page, end to end: captures → dispute → attachment → pack that
`kadun verify` accepts."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .harness import ROOT, fixture_pages

pytestmark = pytest.mark.browser

PAGES = fixture_pages()
ORDER_NO = "XC20261124100322581"
FILES = ["xingchen-km-product.html", "xingchen-km-order.html", "xingchen-km-chat.html", "xingchen-km-terms.html"]


def _capture_pages(browser) -> None:
    for file in FILES:
        url = PAGES[file]
        page = browser.visit(url)
        browser.wait(lambda url=url: [i for i in browser.captures() if i["url"] == url],
                     message=f"the capture of {file}")
        page.close()


def test_popup_and_dispute_page_produce_a_verifiable_pack(browser, tmp_path):
    _capture_pages(browser)

    popup = browser.context.new_page()
    popup.goto(f"chrome-extension://{browser.ext_id}/src/popup/popup.html?host=www.xingchen-km.com")
    popup.wait_for_selector("#site-captures li[data-snapshot-id]")
    assert popup.text_content("#queue-length") == "0"
    assert popup.get_attribute("#paired-state", "data-state") == "paired"
    assert popup.locator("#site-captures li[data-snapshot-id]").count() == len(FILES)
    with browser.context.expect_page() as opened:
        popup.click("#open-dispute")
    page = opened.value
    page.wait_for_selector("body[data-ready=true]")
    assert "host=www.xingchen-km.com" in page.url

    page.check(f"input[name=order][data-order-no='{ORDER_NO}']")
    page.select_option("#problem", "account_recovered")
    page.fill("#occurred-at", "2026-11-24T18:30")
    page.fill("#description", "账号在购买当天被原号主找回，商家在聊天中承诺找回包赔。")
    page.fill("#amount", "25")
    page.select_option("#amount-currency", "EUR")  # the form no longer forces CNY
    page.click("#create-dispute")
    page.wait_for_selector("#dispute-view:not([hidden]) #timeline li")
    dispute_id = page.get_attribute("#dispute-view", "data-dispute-id")
    dispute = browser.api(f"/v1/disputes/{dispute_id}").get_json()
    assert dispute["problem"] == "account_recovered"
    assert dispute["order"]["order_no"] == ORDER_NO
    assert page.locator("#timeline li").count() == len(dispute["timeline"])
    assert page.locator("#escalation .step").count() == len(dispute["escalation"])
    assert page.locator("#letters .letter-box .copy").count() == len(dispute["letters"]) > 0
    for step in dispute["escalation"]:
        if step.get("deadline"):
            assert page.locator(f"#escalation .step[data-step='{step['step']}'] .deadline").count() == 1

    # The buyer's typed amount keeps its currency (the order page's own amount is what letters use).
    from server.storage import disputes as dispute_store
    from server.storage import users

    user = users.user_for_token(browser.backend.redis, browser.token())
    assert dispute_store.get(browser.backend.redis, user, dispute_id).amount == {"amount": "25.00", "currency": "EUR"}
    assert dispute["order"]["amount"] == {"amount": "188.00", "currency": "CNY"}
    assert dispute["order"]["item"] in page.text_content("#order-summary")

    # The checklist reads by name, in three states, never by code (no "✓ 已有 · order_record").
    rows = page.locator("#checklist li")
    assert rows.count() == len(dispute["checklist"])
    for row in dispute["checklist"]:
        item = page.locator(f"#checklist li[data-item='{row['item']}']")
        text = item.text_content()
        lang = "zh" if page.evaluate("document.documentElement.lang") == "zh-CN" else "en"
        assert f"· {row['item']}" not in text  # a name, not the code ("✓ 已有 · order_record")
        assert row["name"][lang] in text and row["state_name"][lang] in text
        assert item.get_attribute("data-state") == row["state"]
    assert page.locator("#checklist li[data-item='payment_proof'][data-state='partial']").count() == 1
    assert page.locator("#windows li").count() == len(dispute["windows"]) > 0

    # An attachment: the buyer's chat log as text.
    page.select_option("#attachment-kind", "chat_log")
    page.set_input_files("#attachment-file", files=[{"name": "chat.txt", "mimeType": "text/plain",
                                                     "buffer": "商家：找回包赔，放心。\n".encode()}])
    page.click("#attach")
    page.wait_for_selector("#attachments li")
    assert not page.text_content("#error")

    with page.expect_download() as download_info:
        page.click("#download-pack")
    pack = tmp_path / "pack.zip"
    download_info.value.save_as(pack)
    kadun = Path(sys.executable).with_name("kadun")
    result = subprocess.run([str(kadun), "verify", str(pack)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("OK")
    popup.close()
    page.close()
