"""The popup and the dispute page, end to end in Chromium and Firefox: captures → dispute →
attachment → pack that `kadun verify` accepts. The pages are photographed for the store listings
(dist/store/<browser>/)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .harness import ROOT

pytestmark = pytest.mark.browser

ORDER_NO = "XC20261124100322581"
FILES = ["xingchen-km-product.html", "xingchen-km-order.html", "xingchen-km-chat.html", "xingchen-km-terms.html"]


def _capture_pages(browser) -> None:
    for file in FILES:
        url = browser.pages[file]
        page = browser.visit(url)
        browser.wait(lambda url=url: [i for i in browser.captures() if i["url"] == url],
                     message=f"the capture of {file}")
        page.close()


def test_popup_and_dispute_page_produce_a_verifiable_pack(browser, tmp_path):
    _capture_pages(browser)

    popup = browser.new_tab(browser.ext_url("src/popup/popup.html?host=www.xingchen-km.com"))
    popup.wait_for_selector("#site-captures li[data-snapshot-id]")
    assert popup.text_content("#queue-length") == "0"
    assert popup.get_attribute("#paired-state", "data-state") == "paired"
    assert popup.count("#site-captures li[data-snapshot-id]") == len(FILES)
    page = browser.expect_new_tab(lambda: popup.click("#open-dispute"))
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
    # No TSA in this backend: the page says the times are the server's own, per item too.
    assert page.inner_text("#trusted-time") in ("未配置可信时间戳：时间为服务器时间",
                                                 "No trusted time configured: times are the server's own")
    assert page.count("#timeline .stamp-not_configured") > 0
    dispute = browser.api(f"/v1/disputes/{dispute_id}").get_json()
    assert dispute["problem"] == "account_recovered"
    assert dispute["order"]["order_no"] == ORDER_NO
    assert page.count("#timeline li") == len(dispute["timeline"])
    assert page.count("#escalation .step") == len(dispute["escalation"])
    assert page.count("#letters .letter-box .copy") == len(dispute["letters"]) > 0
    for step in dispute["escalation"]:
        if step.get("deadline"):
            assert page.count(f"#escalation .step[data-step='{step['step']}'] .deadline") == 1

    # The buyer's typed amount keeps its currency (the order page's own amount is what letters use).
    from server.storage import disputes as dispute_store
    from server.storage import users

    user = users.user_for_token(browser.backend.redis, browser.token())
    assert dispute_store.get(browser.backend.redis, user, dispute_id).amount == {"amount": "25.00", "currency": "EUR"}
    assert dispute["order"]["amount"] == {"amount": "188.00", "currency": "CNY"}
    assert dispute["order"]["item"] in page.text_content("#order-summary")

    # The checklist reads by name, in three states, never by code (no "✓ 已有 · order_record").
    assert page.count("#checklist li") == len(dispute["checklist"])
    lang = "zh" if page.evaluate("document.documentElement.lang") == "zh-CN" else "en"
    for row in dispute["checklist"]:
        selector = f"#checklist li[data-item='{row['item']}']"
        text = page.text_content(selector)
        assert f"· {row['item']}" not in text  # a name, not the code ("✓ 已有 · order_record")
        assert row["name"][lang] in text and row["state_name"][lang] in text
        assert page.get_attribute(selector, "data-state") == row["state"]
    assert page.count("#checklist li[data-item='payment_proof'][data-state='partial']") == 1
    assert page.count("#windows li") == len(dispute["windows"]) > 0

    # An attachment: the buyer's chat log as text.
    page.select_option("#attachment-kind", "chat_log")
    page.set_input_files("#attachment-file", files=[{"name": "chat.txt", "mimeType": "text/plain",
                                                     "buffer": "商家：找回包赔，放心。\n".encode()}])
    page.click("#attach")
    page.wait_for_selector("#attachments li")
    assert not page.text_content("#error")

    pack = browser.download(page, "#download-pack", tmp_path / "pack.zip")
    kadun = Path(sys.executable).with_name("kadun")
    result = subprocess.run([str(kadun), "verify", str(pack)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("OK")
    popup.close()
    _store_shot_in_chinese(browser, page, dispute_id)
    page.close()


def _store_shot_in_chinese(browser, page, dispute_id: str) -> None:
    """The dispute page for the store listings (dist/store/<browser>/3-dispute.png), in Chinese."""
    options = browser.new_tab(browser.ext_url("options.html"))
    options.wait_for_selector('#pair-status[data-state="paired"]')
    options.select_option("#language", "zh_CN")
    browser.wait(lambda: browser.storage().get("language") == "zh_CN", message="the language setting")
    page.reload()
    page.wait_for_selector(f"#dispute-list a[data-dispute-id='{dispute_id}']")
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    page.click(f"#dispute-list a[data-dispute-id='{dispute_id}']")
    page.wait_for_selector("#dispute-view:not([hidden]) #escalation .step")
    page.evaluate("document.getElementById('dispute-heading').scrollIntoView()")
    browser.store_shot(page, "3-dispute")
    options.select_option("#language", "auto")
    browser.wait(lambda: browser.storage().get("language") == "auto", message="the language setting")
    options.close()
